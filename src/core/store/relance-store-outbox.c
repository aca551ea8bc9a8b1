/* relance-store-outbox.c: reading the outbox back, the user's decisions on its rows, and
 * the connection's settings while a batch sends (see relance-store-outbox.h). Queueing is
 * in relance-store-reminders.c, claiming and recording in relance-store-outbox-claim.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-error.h"
#include "relance-store-private.h"
#include "relance-store-outbox-private.h"

/* WAL sizes that trigger a checkpoint: SQLite's default, and while a batch sends. */
#define DEFAULT_AUTOCHECKPOINT_PAGES 1000
#define SENDING_AUTOCHECKPOINT_PAGES 20000

void
relance_outbox_item_free (RelanceOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->client_name);
  g_free (item->channel);
  g_free (item->tone);
  g_free (item->scenario_key);
  g_free (item->template_key);
  g_free (item->state);
  g_strfreev (item->recipients);
  g_free (item->subject);
  g_free (item->message_id);
  g_clear_pointer (&item->raw, g_bytes_unref);
  g_strfreev (item->invoices);
  g_free (item->server_reply);
  g_free (item->last_error);
  g_free (item);
}

GStrv
relance_outbox_split_addresses (const char *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (list == NULL)
    return g_strv_builder_end (builder);
  parts = g_strsplit_set (list, ",;", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

gboolean
relance_store_outbox_run (RelanceStore  *self,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

gboolean
relance_store_set_reminders_state (RelanceStore  *self,
                                   gint64         outbox_id,
                                   const char    *state,
                                   gint64         sent_at,
                                   GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE reminders SET state = ?2, sent_at = coalesce (?3, sent_at) WHERE outbox_id = ?1",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (sent_at > 0)
    sqlite3_bind_int64 (stmt, 3, sent_at);
  else
    sqlite3_bind_null (stmt, 3);
  return relance_store_outbox_run (self, stmt, error);
}

/* ---- reading ---------------------------------------------------------------------- */

#define ITEM_COLUMNS \
  "o.id, o.client_id, c.name, o.channel, o.tone, o.scenario_key, o.step_offset, " \
  "o.template_key, o.state, o.recipients, o.subject, o.message_id, o.scheduled_at, " \
  "o.queued_at, o.next_attempt_at, o.attempts, o.sent_at, o.server_reply, o.last_error, " \
  "(SELECT group_concat (number, ',') FROM (SELECT i.number FROM reminders r " \
  "  JOIN invoices i ON i.id = r.invoice_id WHERE r.outbox_id = o.id ORDER BY i.number)), " \
  "o.ab_test_id, o.ab_variant"
#define ITEM_N_COLUMNS 22

static gpointer
item_from_row (sqlite3_stmt *stmt)
{
  RelanceOutboxItem *item = g_new0 (RelanceOutboxItem, 1);
  const char *recipients = (const char *) sqlite3_column_text (stmt, 9);
  const char *numbers = (const char *) sqlite3_column_text (stmt, 19);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->client_id = sqlite3_column_int64 (stmt, 1);
  item->client_name = relance_store_column_dup (stmt, 2);
  item->channel = relance_store_column_dup (stmt, 3);
  item->tone = relance_store_column_dup (stmt, 4);
  item->scenario_key = relance_store_column_dup (stmt, 5);
  item->step_offset = sqlite3_column_int (stmt, 6);
  item->template_key = relance_store_column_dup (stmt, 7);
  item->state = relance_store_column_dup (stmt, 8);
  item->recipients = relance_outbox_split_addresses (recipients);
  item->subject = relance_store_column_dup (stmt, 10);
  item->message_id = relance_store_column_dup (stmt, 11);
  item->scheduled_at = sqlite3_column_int64 (stmt, 12);
  item->queued_at = sqlite3_column_int64 (stmt, 13);
  item->next_attempt_at = sqlite3_column_int64 (stmt, 14);
  item->attempts = sqlite3_column_int (stmt, 15);
  item->sent_at = sqlite3_column_int64 (stmt, 16);
  item->server_reply = relance_store_column_dup (stmt, 17);
  item->last_error = relance_store_column_dup (stmt, 18);
  item->invoices = numbers != NULL ? g_strsplit (numbers, ",", -1) : g_new0 (char *, 1);
  item->ab_test_id = sqlite3_column_int64 (stmt, 20);
  if (sqlite3_column_type (stmt, 21) != SQLITE_NULL)
    {
      const char *variant = (const char *) sqlite3_column_text (stmt, 21);
      item->ab_variant = variant != NULL ? variant[0] : '\0';
    }
  return item;
}

GPtrArray *
relance_store_list_outbox (RelanceStore  *self,
                           const char    *invoice_number,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  if (invoice_number != NULL)
    {
      stmt = relance_store_prepare (self,
        "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
        "WHERE o.id IN (SELECT r.outbox_id FROM reminders r JOIN invoices i "
        "ON i.id = r.invoice_id WHERE i.number = ?1) ORDER BY o.queued_at DESC, o.id DESC",
        error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, invoice_number, -1, SQLITE_TRANSIENT);
    }
  else
    stmt = relance_store_prepare (self,
      "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
      "ORDER BY o.queued_at DESC, o.id DESC", error);
  if (stmt == NULL)
    return NULL;
  return relance_store_collect_rows (self, stmt, item_from_row,
                                     (GDestroyNotify) relance_outbox_item_free, error);
}

GPtrArray *
relance_store_list_client_outbox (RelanceStore  *self,
                                  gint64         client_id,
                                  GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = relance_store_prepare (self,
    "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
    "WHERE o.client_id = ?1 ORDER BY o.queued_at DESC, o.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return relance_store_collect_rows (self, stmt, item_from_row,
                                     (GDestroyNotify) relance_outbox_item_free, error);
}

RelanceOutboxItem *
relance_store_get_outbox_item (RelanceStore  *self,
                               gint64         id,
                               gboolean       with_raw,
                               GError       **error)
{
  sqlite3_stmt *stmt;
  RelanceOutboxItem *item = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = relance_store_prepare (self,
    "SELECT " ITEM_COLUMNS ", (SELECT r.raw FROM outbox_raw r WHERE r.outbox_id = o.id) "
    "FROM outbox o JOIN clients c ON c.id = o.client_id WHERE o.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      item = item_from_row (stmt);
      if (with_raw && sqlite3_column_type (stmt, ITEM_N_COLUMNS) != SQLITE_NULL)
        item->raw = g_bytes_new (sqlite3_column_blob (stmt, ITEM_N_COLUMNS),
                                 (gsize) sqlite3_column_bytes (stmt, ITEM_N_COLUMNS));
    }
  sqlite3_reset (stmt);
  if (item == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a reminder's number in the history */
                   _("There is no reminder %s in the history."), shown);
    }
  return item;
}

/* What a batch sends: emails and SMS with their bytes, queued or due for a retry. */
#define READY_ROWS \
  "FROM outbox WHERE channel IN ('email', 'sms') " \
  "AND id IN (SELECT outbox_id FROM outbox_raw) " \
  "AND (state = 'queued' " \
  "OR (state = 'retry' AND coalesce (next_attempt_at, 0) <= ?1))"

gint64
relance_store_count_ready_outbox (RelanceStore  *self,
                                  gint64         now,
                                  GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (RELANCE_IS_STORE (self), -1);

  stmt = relance_store_prepare (self, "SELECT count(*) " READY_ROWS, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

GArray *
relance_store_outbox_collect_ids (RelanceStore  *self,
                                  sqlite3_stmt  *stmt,
                                  GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
relance_store_list_ready_outbox (RelanceStore  *self,
                                 gint64         now,
                                 GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = relance_store_prepare (self, "SELECT id " READY_ROWS " ORDER BY scheduled_at, id",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return relance_store_outbox_collect_ids (self, stmt, error);
}

gboolean
relance_store_get_waiting_channels (RelanceStore  *self,
                                    gint64         now,
                                    gboolean      *emails,
                                    gboolean      *sms,
                                    GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  stmt = relance_store_prepare (self,
    "SELECT coalesce (sum (channel = 'email'), 0), coalesce (sum (channel = 'sms'), 0) "
    "FROM outbox WHERE channel IN ('email', 'sms') AND (state = 'queued' "
    "OR (state = 'retry' AND coalesce (next_attempt_at, 0) <= ?1))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *emails = sqlite3_column_int64 (stmt, 0) > 0;
      *sms = sqlite3_column_int64 (stmt, 1) > 0;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
relance_store_get_outbox_next_due (RelanceStore  *self,
                                   gint64        *at,
                                   GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  /* Queued rows are due at once; retries at their own time. */
  stmt = relance_store_prepare (self,
    "SELECT min (CASE WHEN state = 'queued' THEN 0 ELSE coalesce (next_attempt_at, 0) END) "
    "FROM outbox WHERE channel = 'email' AND state IN ('queued', 'retry')", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *at = sqlite3_column_int64 (stmt, 0);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* ---- the user's decisions --------------------------------------------------------- */

static gboolean
row_has_raw (RelanceStore *self, gint64 id)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT EXISTS (SELECT 1 FROM outbox_raw WHERE outbox_id = ?1)", NULL);
  gboolean has = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    has = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return has;
}

static gboolean
decide (RelanceStore *self, gint64 id, const char *new_state, GError **error)
{
  g_autoptr(RelanceOutboxItem) item = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  if (!relance_store_begin (self, error))
    return FALSE;
  if ((item = relance_store_get_outbox_item (self, id, FALSE, error)) == NULL)
    goto fail;
  if (!g_str_equal (item->state, "failed") && !g_str_equal (item->state, "uncertain"))
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: the first %s is a number, the second a state */
                   _("Reminder %s is %s: only failed or uncertain reminders can be retried "
                     "or cancelled."), shown, item->state);
      goto fail;
    }
  relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, item->client_id, 0);
  /* A message that could not even be built (no email address…) has nothing to send
   * again: retrying it means preparing it anew from today's data, so its steps are given
   * back to the planner and the row is closed. */
  if (g_str_equal (new_state, "queued") && !row_has_raw (self, id))
    {
      stmt = relance_store_prepare (self,
        "UPDATE outbox SET state = 'cancelled', last_error = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Prepared again from the current data."), -1,
                         SQLITE_TRANSIENT);
      if (!relance_store_outbox_run (self, stmt, error))
        goto fail;
      stmt = relance_store_prepare (self, "DELETE FROM reminders WHERE outbox_id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!relance_store_outbox_run (self, stmt, error) || !relance_store_commit (self, error))
        goto fail;
      return TRUE;
    }

  stmt = relance_store_prepare (self,
    "UPDATE outbox SET state = ?2, next_attempt_at = NULL, "
    "attempts = CASE WHEN ?2 = 'queued' THEN 0 ELSE attempts END WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, new_state, -1, SQLITE_STATIC);
  if (!relance_store_outbox_run (self, stmt, error)
      || !relance_store_set_reminders_state (self, id, new_state, 0, error)
      || !relance_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}

gboolean
relance_store_retry_outbox (RelanceStore  *self,
                            gint64         id,
                            GError       **error)
{
  return decide (self, id, "queued", error);
}

gboolean
relance_store_cancel_outbox (RelanceStore  *self,
                             gint64         id,
                             GError       **error)
{
  return decide (self, id, "cancelled", error);
}

/* ---- the connection while a batch sends -------------------------------------------- */

void
relance_store_set_sending_batch (RelanceStore *self,
                                 gboolean      sending)
{
  g_return_if_fail (RELANCE_IS_STORE (self));

  sqlite3_wal_autocheckpoint (relance_store_get_db (self),
                              sending ? SENDING_AUTOCHECKPOINT_PAGES
                                      : DEFAULT_AUTOCHECKPOINT_PAGES);
}

void
relance_store_checkpoint_wal (RelanceStore *self)
{
  g_return_if_fail (RELANCE_IS_STORE (self));

  /* PASSIVE: never waits for a reader, never holds up a writer. */
  sqlite3_wal_checkpoint_v2 (relance_store_get_db (self), NULL, SQLITE_CHECKPOINT_PASSIVE,
                             NULL, NULL);
}

void
relance_store_get_fingerprint (RelanceStore            *self,
                               RelanceStoreFingerprint *out)
{
  sqlite3_stmt *stmt;

  g_return_if_fail (RELANCE_IS_STORE (self));

  stmt = relance_store_prepare (self, "PRAGMA data_version", NULL);
  out->data_version = -1;
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        out->data_version = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  out->changes = sqlite3_total_changes64 (relance_store_get_db (self));
}
