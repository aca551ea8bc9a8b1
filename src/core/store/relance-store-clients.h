/* relance-store-clients.h: what the window and the command line do to a client, each rule
 * once (reminders paused or never sent, the scenario chosen, deletion), and what the
 * Clients page reads beyond the client records of relance-store.h. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* Reminders to a client: paused (until resumed) or never sent. Each changes that flag
 * alone; relance_store_resume_client() clears both (`relance client resume`). */
gboolean   relance_store_set_client_paused        (RelanceStore  *self,
                                                   gint64         client_id,
                                                   gboolean       paused,
                                                   GError       **error);
gboolean   relance_store_set_client_do_not_remind (RelanceStore  *self,
                                                   gint64         client_id,
                                                   gboolean       do_not_remind,
                                                   GError       **error);
gboolean   relance_store_resume_client            (RelanceStore  *self,
                                                   gint64         client_id,
                                                   GError       **error);

/* The scenario chosen for a client: 0 when none is, and the client gets the one serving
 * their segment. Setting refuses a scenario that does not exist. */
gboolean   relance_store_get_client_scenario      (RelanceStore  *self,
                                                   gint64         client_id,
                                                   gint64        *out_scenario_id,
                                                   GError       **error);
gboolean   relance_store_set_client_scenario      (RelanceStore  *self,
                                                   gint64         client_id,
                                                   gint64         scenario_id,
                                                   GError       **error);

/* A client with invoices cannot be deleted: they are kept as a record. The check alone
 * (to say so before asking for a confirmation) fails with RELANCE_CORE_ERROR_CONFLICT and
 * a message telling what to do instead; the deletion makes the same check in its
 * transaction, and takes the history of the client's reminders with it. */
gboolean   relance_store_check_client_deletable   (RelanceStore  *self,
                                                   gint64         client_id,
                                                   GError       **error);
gboolean   relance_store_delete_client            (RelanceStore  *self,
                                                   gint64         client_id,
                                                   GError       **error);

/* What a client owes in one currency: unpaid amounts of invoices not cancelled, and the
 * part of it due before the day given. */
typedef struct
{
  gint64  client_id;
  char   *currency;
  gint64  outstanding;
  gint64  overdue;
} RelanceClientBalance;

void       relance_client_balance_free            (RelanceClientBalance *balance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceClientBalance, relance_client_balance_free)

/* Every client's balances in one pass, by client id then currency; clients who owe
 * nothing have none. */
GPtrArray *relance_store_list_client_balances     (RelanceStore  *self,
                                                   const GDate   *today,
                                                   GError       **error);

/* Invoices in brief (RelanceInvoice* with only id, number, client_id, client_name,
 * due_date, total, currency, status and paid set): a client's own, the latest due first;
 * and the open unpaid ones a template can be previewed with, the soonest due first, at
 * most @limit. */
GPtrArray *relance_store_list_client_invoices     (RelanceStore  *self,
                                                   gint64         client_id,
                                                   GError       **error);
GPtrArray *relance_store_list_invoices_to_preview (RelanceStore  *self,
                                                   guint          limit,
                                                   GError       **error);

G_END_DECLS
