/* relance-inbox.h: reading the owner's inbox, read-only, to see the clients' answers.
 *
 * IMAP through libcurl on the sending account (host, port and security derived from the
 * SMTP settings unless given), TLS verified with the account's CA file when set, the
 * password from the keyring or an OAuth bearer (XOAUTH2). Only EXAMINE, UID SEARCH and
 * UID FETCH BODY.PEEK[] are sent: the mailbox is opened read-only and no flag changes.
 * Messages are parsed with GMime and classified (reply, automatic reply, bounce); the rest
 * is ignored and not stored. IMAP IDLE is not used: libcurl 7.88 offers it only as raw
 * commands over CURLOPT_CONNECT_ONLY, which would be protocol written by hand, so the
 * scheduler polls instead (relance-scheduler.c). */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"
#include "relance-store-inbox.h"

G_BEGIN_DECLS

typedef struct
{
  char *host;
  int   port;
  char *security;   /* "tls", "starttls", or "none" (loopback hosts only) */
} RelanceImapSettings;

void relance_imap_settings_free (RelanceImapSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceImapSettings, relance_imap_settings_free)

/* The IMAP settings given with `account set --imap-*`, the rest derived from @account:
 * smtp.example.com → imap.example.com, TLS on 993 or STARTTLS on 143 like the SMTP side. */
RelanceImapSettings *relance_imap_settings_load (RelanceStore          *store,
                                                 const RelanceAccount  *account);
/* Saves what is given (NULL / 0: keep); "" for @host goes back to deriving it. */
gboolean             relance_imap_settings_save (RelanceStore          *store,
                                                 const char            *host,
                                                 int                    port,
                                                 const char            *security,
                                                 GError               **error);

/* Classifies one raw message read at (@uidvalidity, @uid): NULL when it is none of
 * Relance's business (unrelated mail, or a message already recognised). Reads the store
 * to match Message-IDs and clients; writes nothing. */
RelanceInboxMessage *relance_inbox_classify    (RelanceStore  *store,
                                                GBytes        *raw,
                                                gint64         uidvalidity,
                                                gint64         uid,
                                                GDateTime     *now);

typedef struct
{
  GPtrArray *recognised;   /* RelanceInboxMessage* stored by this pass */
  guint      read;         /* messages read from the server */
} RelanceInboxReport;

void relance_inbox_report_clear (RelanceInboxReport *report);

/* One pass, blocking (a worker thread or the command line): reads what arrived since the
 * last pass (the last 60 days at most the first time, or after a UIDVALIDITY change),
 * stores and applies what it recognises. On failure the reason and the time of the next
 * try (in 15 minutes) are kept in the store, and @error is a sentence for the owner. */
gboolean   relance_inbox_check         (RelanceStore        *store,
                                        GDateTime           *now,
                                        GCancellable        *cancellable,
                                        RelanceInboxReport  *report,
                                        GError             **error);
/* The same in a worker thread on its own connection to @db_path. */
void       relance_inbox_check_async   (const char          *db_path,
                                        GDateTime           *now,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean   relance_inbox_check_finish  (GAsyncResult        *result,
                                        RelanceInboxReport  *report,
                                        GError             **error);

/* One sentence for the owner about @message: a notification, a line of `inbox check`.
 * @client_name may be NULL (the message's own is used). */
char      *relance_inbox_message_summary (const RelanceInboxMessage *message);

/* How long after a failed pass the next one is tried, and the polling period. */
#define RELANCE_INBOX_POLL_SECONDS (15 * 60)

G_END_DECLS
