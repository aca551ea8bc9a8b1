/* relance-store-outbox.c: writing an outbox row (see relance-store-outbox.h). */
#include "config.h"

#include <sqlite3.h>

#include "relance-store-outbox.h"

static gboolean
step_done (RelanceStore  *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

gint64
relance_store_outbox_insert (RelanceStore            *store,
                             const RelanceOutboxRow  *row,
                             GBytes                  *raw,
                             GError                 **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "INSERT INTO outbox (client_id, channel, tone, scenario_key, step_offset, template_key, "
    "state, recipients, subject, message_id, scheduled_at, queued_at, sent_at, last_error, "
    "amount_due, ab_test_id, ab_variant) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12, ?13, ?14, ?15, ?16, ?17)",
    error);
  gint64 id;

  g_return_val_if_fail (row != NULL, 0);

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
  if (!step_done (store, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (relance_store_get_db (store));
  if (raw == NULL)
    return id;

  /* Apart from the row, which changes state twice per message (migration 7). */
  stmt = relance_store_prepare (store, "INSERT INTO outbox_raw (outbox_id, raw) VALUES (?1, ?2)",
                                error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob (stmt, 2, g_bytes_get_data (raw, NULL), (int) g_bytes_get_size (raw),
                     SQLITE_STATIC);
  if (!step_done (store, stmt, error))
    return 0;
  return id;
}
