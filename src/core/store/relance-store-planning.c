/* relance-store-planning.c: the reminders table as the planner reads it, the scenario
 * chosen per client, and the reminders the owner writes from the plan. */
#include "config.h"

#include "relance-store-planning.h"
#include "relance-store-private.h"

GHashTable *
relance_store_list_reminder_states (RelanceStore  *self,
                                    GError       **error)
{
  g_autoptr(GHashTable) reminders = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = relance_store_prepare (self,
    "SELECT r.invoice_id, r.step_id, st.offset_days, r.state, r.handover, "
    "coalesce (r.sent_at, r.scheduled_at) FROM reminders r "
    "JOIN scenario_steps st ON st.id = r.step_id", error);
  if (stmt == NULL)
    return NULL;
  reminders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) g_array_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 invoice_id = sqlite3_column_int64 (stmt, 0);
      GArray *rows = g_hash_table_lookup (reminders, &invoice_id);
      RelanceReminderState row = {
        .step_id = sqlite3_column_int64 (stmt, 1),
        .offset_days = sqlite3_column_int (stmt, 2),
        .state = g_intern_string ((const char *) sqlite3_column_text (stmt, 3)),
        .handover = sqlite3_column_int (stmt, 4) != 0,
        .done_at = sqlite3_column_int64 (stmt, 5),
      };

      if (rows == NULL)
        {
          rows = g_array_new (FALSE, FALSE, sizeof (RelanceReminderState));
          g_hash_table_insert (reminders, g_memdup2 (&invoice_id, sizeof invoice_id), rows);
        }
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&reminders);
}

GHashTable *
relance_store_list_client_scenarios (RelanceStore  *self,
                                     GError       **error)
{
  g_autoptr(GHashTable) scenarios = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = relance_store_prepare (self,
    "SELECT id, scenario_id FROM clients WHERE scenario_id IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  scenarios = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (scenarios,
                         g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                         g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 1) }, sizeof (gint64)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&scenarios);
}

gboolean
relance_store_skip_planned_message (RelanceStore                 *self,
                                    const RelancePlannedMessage  *message,
                                    GArray                      **out_ids,
                                    GError                      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!relance_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < message->invoices->len; i++)
    {
      const RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);
      /* The columns the outbox fills for a queued step, with no outbox row behind it. */
      sqlite3_stmt *stmt = relance_store_prepare (self,
        "INSERT INTO reminders (invoice_id, step_id, channel, handover, state, scheduled_at) "
        "VALUES (?1, ?2, ?3, ?4, 'skipped', ?5)", error);
      gint64 id;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, p->invoice->id);
      sqlite3_bind_int64 (stmt, 2, p->step->id);
      sqlite3_bind_text (stmt, 3, message->channel, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, message->handover);
      sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (message->scheduled_at));
      if (!relance_store_step_done (self, stmt, error))
        goto fail;
      id = sqlite3_last_insert_rowid (relance_store_get_db (self));
      g_array_append_val (ids, id);
      relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, message->client->id,
                                 p->invoice->id);
    }
  if (!relance_store_commit (self, error))
    goto fail;
  if (out_ids != NULL)
    *out_ids = g_steal_pointer (&ids);
  return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}

gboolean
relance_store_unskip_reminders (RelanceStore  *self,
                                const gint64  *ids,
                                guint          n_ids,
                                GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!relance_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_stmt *stmt = relance_store_prepare (self,
        "DELETE FROM reminders WHERE id = ?1 AND state = 'skipped'", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      if (!relance_store_step_done (self, stmt, error))
        goto fail;
    }
  relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, 0, 0);
  if (!relance_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}
