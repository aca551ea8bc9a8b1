/* relance-store-upcoming.h: what the owner decides about the planned reminders (the
 * Upcoming page): skipping a step of an invoice's scenario, and undoing that. Postponing
 * is a promise to pay (relance-store-invoices.h). */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* One step of an invoice's scenario. */
typedef struct
{
  gint64 invoice_id;
  gint64 step_id;
} RelanceInvoiceStep;

/* Records each of @steps as skipped, as the outbox records a queued one but with no
 * message behind it: the planner moves on to the next step. @channel, @handover and
 * @scheduled_at (UTC) are those of the planned message. All or none. */
gboolean relance_store_skip_steps   (RelanceStore              *self,
                                     const RelanceInvoiceStep  *steps,
                                     guint                      n_steps,
                                     const char                *channel,
                                     gboolean                   handover,
                                     gint64                     scheduled_at,
                                     GError                   **error);
/* Plans @steps again where they are still skipped (the undo of the above). */
gboolean relance_store_unskip_steps (RelanceStore              *self,
                                     const RelanceInvoiceStep  *steps,
                                     guint                      n_steps,
                                     GError                   **error);

G_END_DECLS
