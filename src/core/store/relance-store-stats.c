/* relance-store-stats.c: grouped reads over invoices, payments and reminders for the
 * Dashboard; what the figures mean is relance-stats.c's business. */
#include "config.h"

#include "relance-date.h"
#include "relance-store-private.h"
#include "relance-store-stats.h"

static void
copy_currency (char         out[4],
               sqlite3_stmt *stmt,
               int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  g_strlcpy (out, text != NULL ? text : "", 4);
}

/* Steps @stmt to its end, one struct of @size bytes per row; NULL and @error when the
 * engine fails midway. */
static GArray *
collect_structs (RelanceStore  *self,
                 sqlite3_stmt  *stmt,
                 guint          size,
                 void         (*from_row) (sqlite3_stmt *stmt, gpointer out),
                 GError       **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, size);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_array_set_size (rows, rows->len + 1);
      from_row (stmt, rows->data + (gsize) (rows->len - 1) * size);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* @sql prepared with today's date bound to ?1 and, unless NULL, a date modifier such as
 * "-90 days" to ?2. */
static sqlite3_stmt *
prepare_as_of (RelanceStore  *self,
               const char    *sql,
               const GDate   *today,
               const char    *period,
               GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);
  g_autofree char *iso = NULL;

  if (stmt == NULL)
    return NULL;
  iso = relance_date_to_iso (today);
  sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
  if (period != NULL)
    sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  return stmt;
}

static void
unpaid_from_row (sqlite3_stmt *stmt,
                 gpointer      out)
{
  RelanceUnpaidSum *sum = out;

  copy_currency (sum->currency, stmt, 0);
  sum->days_late = sqlite3_column_int (stmt, 1);
  sum->count = (guint) sqlite3_column_int64 (stmt, 2);
  sum->unpaid = sqlite3_column_int64 (stmt, 3);
}

GArray *
relance_store_sum_unpaid (RelanceStore  *self,
                          const GDate   *today,
                          GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  /* The engine groups every invoice; there are as many rows as due dates at most. */
  stmt = prepare_as_of (self,
    "SELECT currency, late, COUNT(*), SUM(unpaid) "
    "FROM (SELECT i.currency AS currency, "
    "        CAST(julianday(?1) - julianday(i.due_date) AS INTEGER) AS late, "
    "        i.total - COALESCE(p.paid, 0) AS unpaid "
    "      FROM invoices i "
    "      LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM payments "
    "                 GROUP BY invoice_id) p ON p.invoice_id = i.id "
    "      WHERE i.status <> 'cancelled' AND i.total > COALESCE(p.paid, 0)) "
    "GROUP BY currency, late", today, NULL, error);
  if (stmt == NULL)
    return NULL;
  return collect_structs (self, stmt, sizeof (RelanceUnpaidSum), unpaid_from_row, error);
}

static void
currency_sum_from_row (sqlite3_stmt *stmt,
                       gpointer      out)
{
  RelanceCurrencySum *sum = out;

  copy_currency (sum->currency, stmt, 0);
  sum->amount = sqlite3_column_int64 (stmt, 1);
}

GArray *
relance_store_sum_sales (RelanceStore  *self,
                         const GDate   *today,
                         int            days,
                         GError       **error)
{
  g_autofree char *period = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  period = g_strdup_printf ("-%d days", days);
  stmt = prepare_as_of (self,
    "SELECT currency, SUM(total) FROM invoices "
    "WHERE status <> 'cancelled' AND issue_date > date(?1, ?2) AND issue_date <= ?1 "
    "GROUP BY currency", today, period, error);
  if (stmt == NULL)
    return NULL;
  return collect_structs (self, stmt, sizeof (RelanceCurrencySum), currency_sum_from_row,
                          error);
}

gboolean
relance_store_count_paid_on_time (RelanceStore  *self,
                                  const GDate   *today,
                                  int            months,
                                  guint         *out_paid,
                                  guint         *out_on_time,
                                  GError       **error)
{
  g_autofree char *period = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  period = g_strdup_printf ("-%d months", months);
  stmt = prepare_as_of (self,
    "SELECT COUNT(*), COALESCE(SUM(last <= due_date), 0) "
    "FROM (SELECT i.due_date AS due_date, MAX(p.date) AS last, SUM(p.amount) AS paid, "
    "        i.total AS total "
    "      FROM invoices i JOIN payments p ON p.invoice_id = i.id "
    "      WHERE i.status <> 'cancelled' AND i.total > 0 "
    "      GROUP BY i.id) "
    "WHERE paid >= total AND last > date(?1, ?2) AND last <= ?1", today, period, error);
  if (stmt == NULL)
    return FALSE;
  ok = sqlite3_step (stmt) == SQLITE_ROW;
  if (ok)
    {
      if (out_paid != NULL)
        *out_paid = (guint) sqlite3_column_int64 (stmt, 0);
      if (out_on_time != NULL)
        *out_on_time = (guint) sqlite3_column_int64 (stmt, 1);
    }
  else
    relance_store_set_error (self, error);
  sqlite3_reset (stmt);
  return ok;
}

static RelanceStepStats *
step_stats_from_row (sqlite3_stmt *stmt)
{
  RelanceStepStats *entry = g_new0 (RelanceStepStats, 1);

  entry->scenario_id = sqlite3_column_int64 (stmt, 0);
  entry->scenario_key = relance_store_column_dup (stmt, 1);
  entry->scenario_name_fr = relance_store_column_dup (stmt, 2);
  entry->scenario_name_en = relance_store_column_dup (stmt, 3);
  entry->step_id = sqlite3_column_int64 (stmt, 4);
  entry->offset_days = sqlite3_column_int (stmt, 5);
  entry->tone = relance_store_column_dup (stmt, 6);
  entry->channel = relance_store_column_dup (stmt, 7);
  entry->n_sent = (guint) sqlite3_column_int64 (stmt, 8);
  entry->n_paid_after = (guint) sqlite3_column_int64 (stmt, 9);
  return entry;
}

GPtrArray *
relance_store_list_step_results (RelanceStore  *self,
                                 const GDate   *today,
                                 int            window_days,
                                 GError       **error)
{
  g_autofree char *window = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  /* Reminders are unique per (invoice, step): counting them counts invoices. */
  window = g_strdup_printf ("+%d days", window_days);
  stmt = prepare_as_of (self,
    "SELECT s.id, s.key, s.name_fr, s.name_en, st.id, st.offset_days, st.tone, st.channel, "
    "  COUNT(r.id), "
    "  COUNT(CASE WHEN EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = r.invoice_id "
    "    AND p.date >= date(r.sent_at, 'unixepoch') "
    "    AND p.date <= date(r.sent_at, 'unixepoch', ?2)) THEN 1 END) "
    "FROM scenarios s JOIN scenario_steps st ON st.scenario_id = s.id "
    "LEFT JOIN reminders r ON r.step_id = st.id AND r.sent_at IS NOT NULL "
    "  AND date(r.sent_at, 'unixepoch') <= ?1 "
    "GROUP BY st.id ORDER BY s.id, st.offset_days", today, window, error);
  if (stmt == NULL)
    return NULL;
  return relance_store_collect_rows (self, stmt,
                                     (gpointer (*) (sqlite3_stmt *)) step_stats_from_row,
                                     (GDestroyNotify) relance_step_stats_free, error);
}
