/* relance-store-planning.h: what the planner reads besides clients, invoices and scenarios
 * (the reminders already made, each client's own scenario), and the reminders the owner
 * writes from the plan (a planned message skipped, and that undone). */
#pragma once

#include "relance-planner.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* A reminder as the planner weighs it. */
typedef struct
{
  gint64      step_id;
  int         offset_days; /* of its step */
  const char *state;       /* interned: "queued", "sent", "skipped"… */
  gboolean    handover;
  gint64      done_at;     /* sent_at, or scheduled_at for skipped/cancelled steps; UTC */
} RelanceReminderState;

/* Every reminder, by invoice: gint64* invoice id → GArray of RelanceReminderState. */
GHashTable *relance_store_list_reminder_states  (RelanceStore                 *self,
                                                 GError                      **error);
/* The clients given a scenario of their own: gint64* client id → gint64* scenario id. */
GHashTable *relance_store_list_client_scenarios (RelanceStore                 *self,
                                                 GError                      **error);

/* Records @message's step as skipped for each of its invoices, in one transaction: the
 * planner then goes on with the next step. @out_ids (may be NULL) gets the reminders
 * written (gint64), for relance_store_unskip_reminders(). */
gboolean    relance_store_skip_planned_message  (RelanceStore                 *self,
                                                 const RelancePlannedMessage  *message,
                                                 GArray                      **out_ids,
                                                 GError                      **error);
/* Undoes relance_store_skip_planned_message(): removes those of @ids still skipped. */
gboolean    relance_store_unskip_reminders      (RelanceStore                 *self,
                                                 const gint64                 *ids,
                                                 guint                         n_ids,
                                                 GError                      **error);

G_END_DECLS
