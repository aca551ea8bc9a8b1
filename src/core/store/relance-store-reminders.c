/* relance-store-reminders.c: queueing messages: the outbox row, its bytes, and the
 * reminders rows that record each invoice's step as taken (see relance-store-outbox.h). */
#include "config.h"

#include "relance-store-private.h"
#include "relance-store-outbox-private.h"

static gint64
insert_row (RelanceStore            *self,
            const RelanceOutboxRow  *row,
            GError                 **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "INSERT INTO outbox (client_id, channel, tone, scenario_key, step_offset, template_key, "
    "state, recipients, subject, message_id, scheduled_at, queued_at, sent_at, last_error, "
    "amount_due, ab_test_id, ab_variant) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12, ?13, ?14, ?15, ?16, ?17)",
    error);
  gint64 id;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, row->client_id);
  sqlite3_bind_text (stmt, 2, row->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->tone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->scenario_key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, row->step_offset);
  sqlite3_bind_text (stmt, 6, row->template_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, row->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, row->recipients != NULL ? row->recipients : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, row->subject != NULL ? row->subject : "", -1, SQLITE_STATIC);
  if (row->message_id != NULL)
    sqlite3_bind_text (stmt, 10, row->message_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, row->scheduled_at);
  sqlite3_bind_int64 (stmt, 12, row->queued_at);
  if (row->sent_at != 0)
    sqlite3_bind_int64 (stmt, 13, row->sent_at);
  if (row->last_error != NULL)
    sqlite3_bind_text (stmt, 14, row->last_error, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 15, row->amount_due);
  /* A/B test: which text this client got (relance-store-ab.h). */
  if (row->ab_test_id != 0)
    {
      const char variant[2] = { row->ab_variant, '\0' };

      sqlite3_bind_int64 (stmt, 16, row->ab_test_id);
      sqlite3_bind_text (stmt, 17, variant, -1, SQLITE_TRANSIENT);
    }
  if (!relance_store_outbox_run (self, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (relance_store_get_db (self));
  if (row->raw == NULL)
    return id;

  /* Apart from the row, which changes state twice per message (migration 7). */
  stmt = relance_store_prepare (self, "INSERT INTO outbox_raw (outbox_id, raw) VALUES (?1, ?2)",
                                error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob (stmt, 2, g_bytes_get_data (row->raw, NULL),
                     (int) g_bytes_get_size (row->raw), SQLITE_STATIC);
  if (!relance_store_outbox_run (self, stmt, error))
    return 0;
  return id;
}

/* FALSE with *taken set when another process queued one of these steps already. */
static gboolean
insert_reminders (RelanceStore            *self,
                  const RelanceOutboxRow  *row,
                  gint64                   outbox_id,
                  gboolean                *taken,
                  GError                 **error)
{
  for (guint i = 0; i < row->n_invoices; i++)
    {
      sqlite3_stmt *stmt = relance_store_prepare (self,
        "INSERT INTO reminders (invoice_id, step_id, channel, handover, state, scheduled_at, "
        "sent_at, outbox_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->invoice_ids[i]);
      sqlite3_bind_int64 (stmt, 2, row->step_ids[i]);
      sqlite3_bind_text (stmt, 3, row->channel, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, row->handover);
      sqlite3_bind_text (stmt, 5, row->state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, row->scheduled_at);
      if (row->sent_at != 0)
        sqlite3_bind_int64 (stmt, 7, row->sent_at);
      sqlite3_bind_int64 (stmt, 8, outbox_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          if (sqlite3_extended_errcode (relance_store_get_db (self)) == SQLITE_CONSTRAINT_UNIQUE)
            *taken = TRUE;
          return relance_store_set_error (self, error);
        }
    }
  return TRUE;
}

static gboolean
run_sql (RelanceStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);

  return stmt != NULL && relance_store_outbox_run (self, stmt, error);
}

gboolean
relance_store_queue_outbox (RelanceStore            *self,
                            const RelanceOutboxRow  *rows,
                            guint                    n_rows,
                            gboolean                 skip_taken,
                            gint64                  *ids,
                            GError                 **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);
  g_return_val_if_fail (ids != NULL || n_rows == 0, FALSE);

  /* One transaction for the lot: one commit per row held the write lock (and rewrote the
   * WAL and the other connection's page cache) once per message while the sending
   * connection claimed and recorded rows in between. Each row under its own savepoint, so
   * that a row another process queued first is skipped and the others kept. */
  if (!relance_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GError) local = NULL;
      gboolean taken = FALSE;

      if (!run_sql (self, "SAVEPOINT queue_row", error))
        goto fail;
      ids[i] = insert_row (self, &rows[i], &local);
      if (ids[i] == 0 || !insert_reminders (self, &rows[i], ids[i], &taken, &local))
        {
          ids[i] = 0;
          if (!taken || !skip_taken)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              goto fail;
            }
          /* Another process queued it first: it is theirs to send. */
          if (!run_sql (self, "ROLLBACK TO queue_row", error))
            goto fail;
        }
      else
        {
          relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, rows[i].client_id, 0);
          for (guint k = 0; k < rows[i].n_invoices; k++)
            relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, 0,
                                       rows[i].invoice_ids[k]);
        }
      if (!run_sql (self, "RELEASE queue_row", error))
        goto fail;
    }
  if (!relance_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (self);
  for (guint i = 0; i < n_rows; i++)
    ids[i] = 0;
  return FALSE;
}
