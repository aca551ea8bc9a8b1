/* relance-store-inbox.h: the inbox aggregate of the store: the answers recognised in the
 * owner's mailbox (replies, automatic replies, bounces), where reading has got to (UID and
 * UIDVALIDITY), and what an answer holds against a client: a reply pauses their reminders
 * for a few days, a bounce marks their address invalid until it is edited.
 *
 * Every rule lives here: relance_store_inbox_record() applies the consequences of a message
 * in the same transaction that stores it; the planner and the outbox ask for the holds. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* `relance config set reply-pause-days N`: how long a reply pauses the client (days). */
#define RELANCE_SETTING_REPLY_PAUSE_DAYS "reply-pause-days"
#define RELANCE_REPLY_PAUSE_DAYS_DEFAULT 7
/* The first check reads this far back, at most. */
#define RELANCE_INBOX_LOOKBACK_DAYS 60

typedef enum
{
  RELANCE_INBOX_REPLY,
  RELANCE_INBOX_AUTO_REPLY,
  RELANCE_INBOX_BOUNCE,
} RelanceInboxKind;

typedef struct
{
  gint64            id;
  gint64            uidvalidity;
  gint64            uid;
  char             *message_id;      /* without angle brackets, may be NULL */
  gint64            received_at;     /* unix seconds, UTC */
  char             *sender;          /* address */
  char             *sender_name;     /* may be NULL */
  char             *subject;
  RelanceInboxKind  kind;
  gint64            client_id;       /* 0 when unknown */
  char             *client_name;     /* joined, may be NULL */
  gint64            outbox_id;       /* the reminder answered or bounced, 0 when none */
  GStrv             invoices;        /* invoice numbers concerned, never NULL */
  char             *action;          /* "paused", "noted", "address-invalid", "none" */
  char             *text;            /* the text part (replies), may be NULL */
  char             *bounced_address; /* bounces, may be NULL */
  char             *decision;        /* the owner's decision on a reply, NULL until made */
} RelanceInboxMessage;

void relance_inbox_message_free (RelanceInboxMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceInboxMessage, relance_inbox_message_free)

const char *relance_inbox_kind_to_string (RelanceInboxKind kind); /* "reply", "auto-reply"… */

/* What holds a client's reminders back. */
typedef struct
{
  gint64  client_id;
  gint64  reply_paused_until;  /* unix seconds; 0 when no reply pause */
  char   *invalid_address;     /* the address that bounced, NULL when valid */
} RelanceClientHold;

void relance_client_hold_free (RelanceClientHold *hold);

/* The reading position; *uidvalidity is 0 before the first check. */
gboolean   relance_store_inbox_get_cursor  (RelanceStore  *store,
                                            gint64        *uidvalidity,
                                            gint64        *last_uid,
                                            GError       **error);
gboolean   relance_store_inbox_set_cursor  (RelanceStore  *store,
                                            gint64         uidvalidity,
                                            gint64         last_uid,
                                            GError       **error);
/* The outcome of the last check: @error_text NULL when it went well; @next_try_at is when
 * the scheduler tries again after a failure (0: at its usual pace). */
gboolean   relance_store_inbox_set_status  (RelanceStore  *store,
                                            gint64         checked_at,
                                            const char    *error_text,
                                            gint64         next_try_at,
                                            GError       **error);
gboolean   relance_store_inbox_get_status  (RelanceStore  *store,
                                            gint64        *checked_at,
                                            char         **error_text,
                                            gint64        *next_try_at,
                                            GError       **error);

/* TRUE when a message with this Message-ID was recognised already (a UIDVALIDITY change
 * makes the server number everything anew: the same message must not count twice). */
gboolean   relance_store_inbox_knows       (RelanceStore  *store,
                                            const char    *message_id);

/* The reminder sent with this Message-ID (angle brackets allowed): its outbox row, client
 * and invoice numbers. FALSE when Relance sent no such message. */
gboolean   relance_store_inbox_find_sent   (RelanceStore  *store,
                                            const char    *message_id,
                                            gint64        *out_outbox_id,
                                            gint64        *out_client_id,
                                            GStrv         *out_invoices);
/* The clients whose address (or copy address) is @address, each with the numbers of their
 * open, unpaid invoices: GPtrArray of GStrv, element 0 the client id in decimal, element 1
 * the name, then the numbers. */
GPtrArray *relance_store_inbox_clients_at  (RelanceStore  *store,
                                            const char    *address,
                                            GError       **error);

/* Stores @message (its id is set) and applies what it means, in one transaction:
 * - reply: the client's reminders pause until @now + reply-pause-days, and reminders
 *   queued for them are cancelled (the planner gives them back after the pause);
 * - auto-reply: noted only;
 * - bounce: the outbox row becomes `bounced`, the client's address is marked invalid and
 *   their queued reminders are cancelled until the address is edited.
 * @message->action is set to what was done. */
gboolean   relance_store_inbox_record      (RelanceStore         *store,
                                            RelanceInboxMessage  *message,
                                            gint64                now,
                                            GError              **error);

/* Every stored message, newest first (RelanceInboxMessage*). With @client_id > 0, only
 * that client's; with @invoice, only those naming that invoice. */
GPtrArray *relance_store_inbox_list        (RelanceStore  *store,
                                            gint64         client_id,
                                            const char    *invoice,
                                            GError       **error);

/* The holds on clients (RelanceClientHold*, keyed by a gint64* client id) in force at @now:
 * reply pauses not over yet and invalid addresses. */
GHashTable *relance_store_inbox_holds      (RelanceStore  *store,
                                            gint64         now,
                                            GError       **error);
/* Why the reminder in outbox row @outbox_id must not leave at @now (a sentence), or NULL. */
char       *relance_store_inbox_hold_reason (RelanceStore *store,
                                             gint64        outbox_id,
                                             gint64        now);

/* Replies waiting for the owner's decision (RelanceInboxMessage*), oldest first. */
GPtrArray  *relance_store_inbox_pending_replies (RelanceStore  *store,
                                                 GError       **error);
/* The owner's decision on reply @id: "resume" ends the pause at once; "dispute",
 * "promise" and "payment" record that the owner dealt with it (the invoice was marked by
 * the usual store functions) and end the pause too, the invoice's own state taking over. */
gboolean    relance_store_inbox_decide     (RelanceStore  *store,
                                            gint64         id,
                                            const char    *decision,
                                            GError       **error);
/* Clients whose address bounced: RelanceClientHold* with invalid_address set. */
GPtrArray  *relance_store_inbox_invalid_addresses (RelanceStore  *store,
                                                   GError       **error);

/* TRUE while some reminder went out for an invoice still open and unpaid: only then is
 * an answer worth watching for. */
gboolean    relance_store_inbox_reminder_outstanding (RelanceStore *store);

/* reply-pause-days, or its default. */
int         relance_store_inbox_reply_pause_days (RelanceStore *store);

G_END_DECLS
