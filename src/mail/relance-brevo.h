/* relance-brevo.h: sending built messages and SMS through Brevo's transactional HTTP API
 * (libsoup 3), as an alternative to SMTP. Outcomes are the SMTP ones, so the outbox treats
 * both transports alike: 2xx sent; 429 and 5xx temporary (with the server's delay); 400
 * permanent; 401, 402, 403 stop the batch (the key or the account is at fault).
 *
 * A session is used from one thread (a GTask worker), never shared: it owns a SoupSession
 * created in that thread and uses the synchronous API there. */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"
#include "relance-smtp.h"

G_BEGIN_DECLS

/* "smtp" (the default) or "brevo": how the account's emails leave. */
#define RELANCE_SETTING_ACCOUNT_TRANSPORT "account.transport"

#define RELANCE_BREVO_DEFAULT_BASE "https://api.brevo.com"

typedef struct _RelanceBrevoSession RelanceBrevoSession;

/* The base URL is Brevo's, or RELANCE_BREVO_BASE_URL (tests only: a loopback server). */
RelanceBrevoSession *relance_brevo_session_new       (const RelanceAccount  *account,
                                                      const char            *api_key);
void                 relance_brevo_session_free      (RelanceBrevoSession   *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBrevoSession, relance_brevo_session_free)

/* Sends the built message @raw (the proof we keep) through POST /v3/smtp/email: its parts
 * are read back with GMime so that the API receives exactly what the proof holds. @recipients
 * is the envelope (To, Cc and Bcc). @out_reply receives "201 messageId <…>" on success, the
 * status and Brevo's message on a refusal. */
RelanceSmtpOutcome   relance_brevo_session_send      (RelanceBrevoSession   *session,
                                                      const char * const    *recipients,
                                                      GBytes                *raw,
                                                      char                 **out_reply,
                                                      GError               **error);

/* Sends @content to @recipient (E.164, "+33612345678") through POST
 * /v3/transactionalSMS/sms, from @sender (see relance_sms_sender_is_valid()). @tag (may be
 * NULL) is sent along to find the SMS in Brevo's logs. */
RelanceSmtpOutcome   relance_brevo_session_send_sms  (RelanceBrevoSession   *session,
                                                      const char            *sender,
                                                      const char            *recipient,
                                                      const char            *content,
                                                      const char            *tag,
                                                      char                 **out_reply,
                                                      GError               **error);

/* Seconds the server asked to wait (Retry-After, in seconds or as an HTTP date, or Brevo's
 * x-sib-ratelimit-reset) on the last call; 0 when it asked nothing. */
gint64               relance_brevo_session_get_retry_after (RelanceBrevoSession *session);

/* The JSON body sent for @raw (exposed for the tests). */
char                *relance_brevo_email_json        (const char * const    *recipients,
                                                      GBytes                *raw,
                                                      GError               **error);

/* The API key in the keyring (an item with kind = "brevo-api-key"), never anywhere else.
 * Blocking: call from a worker thread or the command line. */
gboolean             relance_brevo_api_key_store     (const char            *api_key,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
char                *relance_brevo_api_key_lookup    (GCancellable          *cancellable,
                                                      GError               **error);

G_END_DECLS
