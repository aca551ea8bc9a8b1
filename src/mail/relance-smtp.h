/* relance-smtp.h: sending built messages through the owner's SMTP server with libcurl,
 * over one connection reused for a whole batch. TLS is always verified (system CAs, or
 * the account's CA file); a plain connection is only allowed to a loopback host.
 *
 * A session is used from one thread (a GTask worker), never shared. */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"

G_BEGIN_DECLS

typedef enum
{
  RELANCE_SMTP_SENT,      /* the server accepted the message (250 after DATA) */
  RELANCE_SMTP_TEMPORARY, /* 4xx, timeout, dropped connection: try this message again later */
  RELANCE_SMTP_PERMANENT, /* 5xx for this message (recipient refused…): it fails */
  RELANCE_SMTP_ACCOUNT,   /* the account itself fails (unreachable, certificate, password,
                           * sender refused): stop the batch, the message is not at fault */
} RelanceSmtpOutcome;

typedef struct _RelanceSmtpSession RelanceSmtpSession;

RelanceSmtpSession *relance_smtp_session_new  (const RelanceAccount  *account,
                                               const char            *password);
/* @is_bearer: @secret is an OAuth 2.0 access token, sent with SASL XOAUTH2 (and only that
 * mechanism: never as a password) instead of a password. */
RelanceSmtpSession *relance_smtp_session_new_with_secret (const RelanceAccount *account,
                                                          const char           *secret,
                                                          gboolean              is_bearer);
void                relance_smtp_session_free (RelanceSmtpSession    *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceSmtpSession, relance_smtp_session_free)

/* Sends @raw to @recipients (envelope) from the account's address. @out_reply receives
 * the server's last reply line (e.g. "250 2.0.0 Ok: queued as 4F2A"), also on failure;
 * @error (RELANCE_MAIL_ERROR) says in plain words what went wrong. */
RelanceSmtpOutcome  relance_smtp_session_send (RelanceSmtpSession    *session,
                                               const char * const    *recipients,
                                               GBytes                *raw,
                                               char                 **out_reply,
                                               GError               **error);

G_END_DECLS
