/* relance-outbox.h: the outbox, where planned reminders become sent emails, at most once.
 *
 * States of a row: queued → sending → sent | retry | failed | uncertain (and cancelled,
 * or done for tasks handed to the owner). A row is claimed with a conditional update in a
 * transaction just before it is sent, so two processes never send the same reminder; a
 * row found in `sending` whose process is gone becomes `uncertain` and is never sent again
 * without the user. The exact bytes sent are kept with the row as proof. The rows, their
 * transactions and the rules that hold a reminder back are the store's
 * (relance-store-outbox.h); this builds the messages, sends them and reports. */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"
#include "relance-planner.h"
#include "relance-store.h"
#include "relance-store-outbox.h"

G_BEGIN_DECLS

/* How many times a temporary failure is retried before the row fails. */
#define RELANCE_OUTBOX_MAX_ATTEMPTS 5

/* RelanceOutboxItem, one row as read back, is the store's (relance-store-outbox.h). */

/* Rows left in `sending` by a process that is gone become `uncertain`. Returns how many. */
int        relance_outbox_recover      (RelanceStore   *store,
                                        GError        **error);

/* Plans what is due at @now and queues it: one row per message, rendered and built, with
 * its reminders. Tasks and letters are handed to the owner at once (state `done`).
 * Returns the new rows (RelanceOutboxItem*). */
GPtrArray *relance_outbox_queue_due    (RelanceStore   *store,
                                        GDateTime      *now,
                                        GError        **error);
/* The same in a worker thread, on its own connection to the database at @db_path (the
 * rows are written there, each message in its own transaction). The callback runs on the
 * calling thread's main context; cancelling stops between messages, leaving the rows
 * already queued for the next send. */
void       relance_outbox_queue_due_async  (const char           *db_path,
                                            GDateTime            *now,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* The same, calling @row_queued (on the caller's main context, coalesced) whenever rows
 * were committed, so that sending can start before all the messages are built. */
void       relance_outbox_queue_due_async_full (const char           *db_path,
                                                GDateTime            *now,
                                                GCancellable         *cancellable,
                                                GSourceFunc           row_queued,
                                                gpointer              row_data,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray *relance_outbox_queue_due_finish (GAsyncResult         *result,
                                            GError              **error);

/* Every row (newest first), optionally only those of one invoice. raw is not loaded. */
GPtrArray *relance_outbox_list         (RelanceStore   *store,
                                        const char     *invoice_number,
                                        GError        **error);
/* The rows of one client, newest first, as relance_outbox_list (uses the outbox_client
 * index: a client's page does not read the whole outbox). */
GPtrArray *relance_outbox_list_for_client (RelanceStore   *store,
                                           gint64          client_id,
                                           GError        **error);
RelanceOutboxItem *relance_outbox_get  (RelanceStore   *store,
                                        gint64          id,
                                        gboolean        with_raw,
                                        GError        **error);

/* The user's decisions on `failed` and `uncertain` rows. */
gboolean   relance_outbox_retry        (RelanceStore   *store,
                                        gint64          id,
                                        GError        **error);
gboolean   relance_outbox_cancel       (RelanceStore   *store,
                                        gint64          id,
                                        GError        **error);

/* Rows ready to be sent at @now (queued, or retry whose time has come). */
gint64     relance_outbox_count_ready  (RelanceStore   *store,
                                        GDateTime      *now,
                                        GError        **error);

typedef struct
{
  guint  sent;
  guint  retry;
  guint  failed;
  guint  cancelled;
  GError *account_error; /* set when the account or keyring stopped the batch */
} RelanceOutboxReport;

typedef void (*RelanceOutboxCallback) (const RelanceOutboxItem *item,
                                       const char              *outcome, /* sent, retry… */
                                       gpointer                 user_data);

/* Sends every ready row over one SMTP connection: the password is read from the keyring
 * and each row is claimed, sent and recorded one after the other; the SMTP exchange runs
 * in a worker thread and every write to @store happens on the calling thread's main
 * context, which must be running. @callback reports each row as it is done. */
void       relance_outbox_send_async   (RelanceStore           *store,
                                        GCancellable           *cancellable,
                                        RelanceOutboxCallback   callback,
                                        gpointer                callback_data,
                                        GAsyncReadyCallback     ready,
                                        gpointer                user_data);
gboolean   relance_outbox_send_finish  (RelanceStore           *store,
                                        GAsyncResult           *result,
                                        RelanceOutboxReport    *report,
                                        GError                **error);

/* Friendly channels: what the owner did with a task the Upcoming page showed. */
typedef enum
{
  RELANCE_TASK_WHATSAPP_SENT,  /* the WhatsApp message opened by Relance was sent */
  RELANCE_TASK_CALL_REACHED,   /* the client was reached on the phone */
  RELANCE_TASK_CALL_NO_ANSWER, /* nobody answered: the task stays planned, nothing recorded */
  RELANCE_TASK_CALL_PROMISE,   /* reached; a promise to pay by @promise_date */
  RELANCE_TASK_CALL_DISPUTE,   /* reached; the client disputes the invoices */
  RELANCE_TASK_CALL_PAID,      /* reached; the client says it is paid: recorded paid today */
} RelanceTaskOutcome;

/* Records the task @message as done on each invoice's timeline (an outbox row `done` whose
 * subject says what happened, and the step's reminders rows), then applies the outcome with
 * the same store functions as `relance invoice promise|dispute` and `relance pay`.
 * RELANCE_TASK_CALL_NO_ANSWER records nothing. */
gboolean   relance_outbox_record_task (RelanceStore                 *store,
                                       const RelancePlannedMessage  *message,
                                       RelanceTaskOutcome            outcome,
                                       const GDate                  *promise_date,
                                       GDateTime                    *now,
                                       GError                      **error);

G_END_DECLS
