/* relance-store-upcoming.c: skipped steps in reminders (relance-store-upcoming.h). */
#include "config.h"

#include "relance-store-private.h"
#include "relance-store-upcoming.h"

/* Runs @sql once per step (?1 the invoice, ?2 the step; ?3 to ?5 as the skip binds
 * them), in one transaction. */
static gboolean
write_steps (RelanceStore              *self,
             const char                *sql,
             const RelanceInvoiceStep  *steps,
             guint                      n_steps,
             const char                *channel,
             gboolean                   handover,
             gint64                     scheduled_at,
             GError                   **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (steps != NULL || n_steps == 0, FALSE);

  if (!relance_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_steps; i++)
    {
      sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);
      int rc;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, steps[i].invoice_id);
      sqlite3_bind_int64 (stmt, 2, steps[i].step_id);
      if (channel != NULL)
        {
          sqlite3_bind_text (stmt, 3, channel, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 4, handover ? 1 : 0);
          sqlite3_bind_int64 (stmt, 5, scheduled_at);
        }
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        relance_store_set_error (self, error);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        goto fail;
      /* The plan of this invoice changes. */
      relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, 0, steps[i].invoice_id);
    }
  if (relance_store_commit (self, error))
    return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}

gboolean
relance_store_skip_steps (RelanceStore              *self,
                          const RelanceInvoiceStep  *steps,
                          guint                      n_steps,
                          const char                *channel,
                          gboolean                   handover,
                          gint64                     scheduled_at,
                          GError                   **error)
{
  g_return_val_if_fail (channel != NULL, FALSE);

  /* The columns the outbox fills for a queued step, with no outbox row behind it. */
  return write_steps (self,
                      "INSERT INTO reminders (invoice_id, step_id, channel, handover, state, "
                      "scheduled_at) VALUES (?1, ?2, ?3, ?4, 'skipped', ?5)",
                      steps, n_steps, channel, handover, scheduled_at, error);
}

gboolean
relance_store_unskip_steps (RelanceStore              *self,
                            const RelanceInvoiceStep  *steps,
                            guint                      n_steps,
                            GError                   **error)
{
  return write_steps (self,
                      "DELETE FROM reminders WHERE invoice_id = ?1 AND step_id = ?2 "
                      "AND state = 'skipped'",
                      steps, n_steps, NULL, FALSE, 0, error);
}
