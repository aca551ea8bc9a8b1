/* relance-outbox-private.h: what the outbox's files in src/mail share (queueing in
 * relance-outbox-queue.c, claiming and recording in relance-outbox-record.c, the send loop
 * in relance-outbox-send.c), and nothing else includes. */
#pragma once

#include "relance-outbox.h"
#include "relance-smtp.h"

G_BEGIN_DECLS

/* Takes this process's claim lock for @store before its first claim. */
gboolean           relance_outbox_hold_claim_lock (RelanceStore        *store,
                                                   GError             **error);
/* Claims row @id for this process at @now (relance_store_claim_outbox()). */
RelanceOutboxItem *relance_outbox_claim           (RelanceStore        *store,
                                                   gint64               id,
                                                   GDateTime           *now,
                                                   RelanceOutboxItem  **cancelled,
                                                   gboolean            *paused,
                                                   GError             **error);
/* Records the outcome of a message sent (or given back, RELANCE_SMTP_ACCOUNT): its state,
 * and when to try again after a temporary failure. */
gboolean           relance_outbox_record          (RelanceStore        *store,
                                                   RelanceOutboxItem   *item,
                                                   RelanceSmtpOutcome   outcome,
                                                   const char          *reply,
                                                   const GError        *send_error,
                                                   gint64               retry_after,
                                                   gint64               now,
                                                   GError             **error);

G_END_DECLS
