/* relance-store-outbox.h: the outbox and its reminders in the store.
 *
 * States of a row: queued → sending → sent | retry | failed | uncertain (and cancelled,
 * bounced, or done for tasks handed to the owner). A row is claimed with a conditional
 * update in a transaction of its own just before it is sent, so two processes never send
 * the same reminder; a row found in `sending` whose claimer is gone becomes `uncertain`
 * and is never sent again without the user. The reminders rows (one per invoice and step)
 * share the state of the outbox row that carries them. src/mail/relance-outbox.h builds,
 * sends and reports; every read and write of these tables is here. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     id;
  gint64     client_id;
  char      *client_name;
  char      *channel;
  char      *tone;
  char      *scenario_key;
  int        step_offset;
  char      *template_key;
  char      *state;
  GStrv      recipients;      /* envelope */
  char      *subject;
  char      *message_id;
  GBytes    *raw;             /* may be NULL (tasks, or not loaded) */
  GStrv      invoices;        /* invoice numbers */
  gint64     scheduled_at;    /* unix seconds, UTC */
  gint64     queued_at;
  gint64     next_attempt_at; /* 0 when none */
  int        attempts;
  gint64     sent_at;         /* 0 when not sent */
  char      *server_reply;
  char      *last_error;
  gint64     ab_test_id;      /* 0: not part of an A/B test */
  char       ab_variant;      /* 'a' or 'b' in an A/B test, '\0' otherwise */
} RelanceOutboxItem;

void relance_outbox_item_free (RelanceOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceOutboxItem, relance_outbox_item_free)

/* The addresses of a comma- or semicolon-separated list, trimmed, empty ones left out. */
GStrv relance_outbox_split_addresses (const char *list);

/* ---- queueing ---------------------------------------------------------------------- */

/* One message queued (or a task recorded): the outbox row, and the reminders it carries
 * (one per invoice, each at that invoice's step), which take the row's state. */
typedef struct
{
  gint64        client_id;
  const char   *channel;
  const char   *tone;
  const char   *scenario_key;
  int           step_offset;
  const char   *template_key;
  const char   *state;
  const char   *recipients;   /* NULL: "" */
  const char   *subject;      /* NULL: "" */
  const char   *message_id;   /* may be NULL */
  GBytes       *raw;          /* the bytes to send, the proof kept; may be NULL */
  gint64        scheduled_at; /* UTC */
  gint64        queued_at;
  gint64        sent_at;      /* 0: not sent */
  const char   *last_error;   /* may be NULL */
  gint64        amount_due;   /* what the message asks for, in minor units */
  gint64        ab_test_id;   /* 0: no A/B test */
  char          ab_variant;   /* 'a' or 'b' with a test */
  gboolean      handover;     /* over the amount threshold: a human takes over */
  guint         n_invoices;
  const gint64 *invoice_ids;  /* n_invoices */
  const gint64 *step_ids;     /* n_invoices: each invoice's own step */
} RelanceOutboxRow;

/* Writes @rows in one transaction and sets ids[i] to each new row's id. A row whose step
 * another process already queued for one of its invoices (a reminder is unique per invoice
 * and step) is theirs to send: with @skip_taken it is left out (ids[i] = 0) and the others
 * are kept; without, nothing is written and the error says why. */
gboolean relance_store_queue_outbox (RelanceStore            *self,
                                     const RelanceOutboxRow  *rows,
                                     guint                    n_rows,
                                     gboolean                 skip_taken,
                                     gint64                  *ids,
                                     GError                 **error);

/* ---- reading ----------------------------------------------------------------------- */

/* Every row (newest first), optionally only those of one invoice; raw is not loaded. */
GPtrArray         *relance_store_list_outbox        (RelanceStore  *self,
                                                     const char    *invoice_number,
                                                     GError       **error);
/* The rows of one client, newest first (the outbox_client index: a client's page does not
 * read the whole outbox). */
GPtrArray         *relance_store_list_client_outbox (RelanceStore  *self,
                                                     gint64         client_id,
                                                     GError       **error);
/* RELANCE_CORE_ERROR_NOT_FOUND when there is no row @id. */
RelanceOutboxItem *relance_store_get_outbox_item    (RelanceStore  *self,
                                                     gint64         id,
                                                     gboolean       with_raw,
                                                     GError       **error);

/* Rows ready to be sent at @now (unix): emails and SMS, queued, or to retry whose time has
 * come, with their bytes. -1 on error. */
gint64   relance_store_count_ready_outbox  (RelanceStore  *self,
                                            gint64         now,
                                            GError       **error);
/* Their ids (gint64), in sending order. */
GArray  *relance_store_list_ready_outbox   (RelanceStore  *self,
                                            gint64         now,
                                            GError       **error);
/* Which channels have rows waiting at @now, for the transports a batch must open. */
gboolean relance_store_get_waiting_channels (RelanceStore  *self,
                                             gint64         now,
                                             gboolean      *emails,
                                             gboolean      *sms,
                                             GError       **error);
/* The earliest moment (unix) an email waits for: 0 for a queued row, a retry's own time;
 * FALSE when none waits (or on error). */
gboolean relance_store_get_outbox_next_due (RelanceStore  *self,
                                            gint64        *at,
                                            GError       **error);

/* ---- the user's decisions on `failed` and `uncertain` rows ------------------------- */

/* Sends the row again; a row that was never built (no address…) is closed instead and
 * its steps given back to the planner, which prepares them anew from today's data. */
gboolean relance_store_retry_outbox  (RelanceStore  *self,
                                      gint64         id,
                                      GError       **error);
gboolean relance_store_cancel_outbox (RelanceStore  *self,
                                      gint64         id,
                                      GError       **error);

/* ---- claiming and recording (relance-store-outbox-claim.c) ------------------------- */

/* Whether the claimer that wrote @token in a row is still running. */
typedef gboolean (*RelanceOutboxClaimerAlive) (const char *token,
                                               gpointer    user_data);

/* Rows left in `sending` by a claimer that is gone become `uncertain`. Returns how many,
 * -1 on error. */
int      relance_store_recover_outbox      (RelanceStore               *self,
                                            RelanceOutboxClaimerAlive   alive,
                                            gpointer                    user_data,
                                            GError                    **error);

/* The rule that holds a queued reminder back: whether row @id may still leave, as of
 * @today (the owner's date) and @now (unix). *reason is set (and the row must not leave)
 * when one of its invoices was paid, cancelled, disputed or promised since, when its
 * client's reminders were paused, when a partial payment changed the amount it asks for,
 * or when the client replied or their address bounced (relance-store-inbox.h). */
gboolean relance_store_check_outbox_row (RelanceStore  *self,
                                         gint64         id,
                                         const GDate   *today,
                                         gint64         now,
                                         char         **reason,
                                         GError       **error);

/* Cancels the rows still waiting (queued, or to retry): row @outbox_id, or every row of
 * @client_id when @outbox_id is 0, keeping @reason with them. Their steps go back to the
 * planner: all of them when @today is NULL (a hold on the client, planned again once it is
 * over), else those of the invoices still to remind as of @today (the others stay on their
 * timeline, cancelled). Returns how many rows were cancelled, -1 on error. Inside the
 * caller's transaction: the claim below, and the inbox's reply and bounce
 * (relance_store_inbox_record()), cancel reminders only through this. */
int      relance_store_cancel_waiting_outbox (RelanceStore  *self,
                                              gint64         outbox_id,
                                              gint64         client_id,
                                              const char    *reason,
                                              const GDate   *today,
                                              GError       **error);

/* Claims row @id for @claimer just before it is sent, in one durable transaction (on the
 * disk before the message leaves). Returns the row, with its bytes, when claimed; NULL
 * when another process has it, when sending is paused (*paused set), or when
 * relance_store_check_outbox_row() holds it back: then the row is cancelled, the steps of
 * its invoices still to remind are given back to the planner, and *cancelled is the row
 * as cancelled (for the report). */
RelanceOutboxItem *relance_store_claim_outbox (RelanceStore        *self,
                                               gint64               id,
                                               const char          *claimer,
                                               gint64               now,
                                               const GDate         *today,
                                               RelanceOutboxItem  **cancelled,
                                               gboolean            *paused,
                                               GError             **error);

/* Records what became of claimed @item: @state (sent, retry, failed, or queued when the
 * row is given back untouched: @given_back undoes its attempt), with @next_attempt_at for
 * a retry (0: none), the server's @reply and @last_error (may be NULL); sent_at is @now
 * when sent. @item is updated to match. */
gboolean relance_store_record_outbox (RelanceStore       *self,
                                      RelanceOutboxItem  *item,
                                      const char         *state,
                                      gint64              next_attempt_at,
                                      const char         *reply,
                                      const char         *last_error,
                                      gboolean            given_back,
                                      gint64              now,
                                      GError            **error);

/* ---- the database while a batch sends ---------------------------------------------- */

/* Two small transactions per message filled SQLite's default 1000-page WAL every 70
 * messages or so, and each checkpoint (two fsyncs) fell on a claim: while @sending, the
 * WAL grows to 20 000 pages and the batch checkpoints it itself, with
 * relance_store_checkpoint_wal() while the worker sends (no claim waits for it). */
void     relance_store_set_sending_batch (RelanceStore  *self,
                                          gboolean       sending);
void     relance_store_checkpoint_wal    (RelanceStore  *self);

/* What the database looks like to this connection: another connection's commit changes
 * data_version, one of this connection's the count of changes. Equal fingerprints: no
 * commit in between (the scheduler plans again only after one). */
typedef struct
{
  gint64 data_version;
  gint64 changes;
} RelanceStoreFingerprint;

void     relance_store_get_fingerprint   (RelanceStore             *self,
                                          RelanceStoreFingerprint  *out);

G_END_DECLS
