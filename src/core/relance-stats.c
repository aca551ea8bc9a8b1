/* relance-stats.c: the figures of the Dashboard, read from the store as of a given day.
 *
 * Definitions (each one checked by tests/core/test-stats.c with hand-computed values):
 *
 * - Outstanding: for every invoice that is not cancelled (disputed ones included: the money
 *   is still owed), its total minus the sum of its payments, when positive.
 * - Overdue: the outstanding part of the invoices whose due date is before today.
 * - Aging: days overdue = today − due date; ≤ 0 is "not due", then 1–30, 31–60, 61–90 and
 *   over 90 days.
 * - DSO (days sales outstanding), per currency:
 *       DSO = outstanding today / sales of the last 90 days × 90
 *   where the sales are the totals of the non-cancelled invoices issued in the 90 days
 *   ending today (today − 89 … today). Rounded to the nearest day in integer arithmetic;
 *   -1 (undefined) when nothing was invoiced in that period.
 * - On-time rate: among the invoices fully paid (payments ≥ total, total > 0) whose last
 *   payment falls in the last 12 months (after today − 12 months, up to today), the share
 *   whose last payment date is on or before the due date.
 * - Which step works: for each scenario step, the invoices it was sent for (reminders with
 *   a sent_at, sent on or before today), and among them those that received a payment
 *   dated from the day of the sending to 7 days after it (UTC days: sent_at is UTC).
 */
#include "config.h"

#include <string.h>

#include "relance-date.h"
#include "relance-stats.h"

void
relance_step_stats_free (RelanceStepStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->scenario_key);
  g_free (stats->scenario_name_fr);
  g_free (stats->scenario_name_en);
  g_free (stats->tone);
  g_free (stats->channel);
  g_free (stats);
}

void
relance_stats_free (RelanceStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->currencies, g_ptr_array_unref);
  g_clear_pointer (&stats->steps, g_ptr_array_unref);
  g_free (stats);
}

RelanceAgingBucket
relance_aging_bucket_for_days (int days_overdue)
{
  if (days_overdue <= 0)
    return RELANCE_AGING_NOT_DUE;
  if (days_overdue <= 30)
    return RELANCE_AGING_1_30;
  if (days_overdue <= 60)
    return RELANCE_AGING_31_60;
  if (days_overdue <= 90)
    return RELANCE_AGING_61_90;
  return RELANCE_AGING_OVER_90;
}

int
relance_stats_on_time_percent (const RelanceStats *stats)
{
  g_return_val_if_fail (stats != NULL, -1);

  if (stats->n_paid == 0)
    return -1;
  return (int) ((stats->n_paid_on_time * 200u + stats->n_paid) / (stats->n_paid * 2u));
}

static RelanceCurrencyStats *
currency_entry (GPtrArray  *list,
                const char *currency)
{
  RelanceCurrencyStats *entry;

  for (guint i = 0; i < list->len; i++)
    {
      entry = g_ptr_array_index (list, i);
      if (g_strcmp0 (entry->currency, currency) == 0)
        return entry;
    }
  entry = g_new0 (RelanceCurrencyStats, 1);
  g_strlcpy (entry->currency, currency != NULL ? currency : "", sizeof entry->currency);
  entry->dso = -1;
  g_ptr_array_add (list, entry);
  return entry;
}

static int
compare_outstanding (gconstpointer a,
                     gconstpointer b)
{
  const RelanceCurrencyStats *x = *(RelanceCurrencyStats * const *) a;
  const RelanceCurrencyStats *y = *(RelanceCurrencyStats * const *) b;

  if (x->outstanding != y->outstanding)
    return x->outstanding > y->outstanding ? -1 : 1;
  return strcmp (x->currency, y->currency);
}

/* outstanding / sales × period, rounded half up; both are ≥ 0 and far below 2^63 / 90. */
static int
dso_days (gint64 outstanding,
          gint64 sales)
{
  gint64 days;

  if (sales <= 0)
    return -1;
  days = (outstanding * RELANCE_STATS_DSO_PERIOD_DAYS * 2 + sales) / (sales * 2);
  return (int) MIN (days, G_MAXINT);
}

GPtrArray *
relance_stats_currencies (RelanceStore  *store,
                          const GDate   *today,
                          GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *iso = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  iso = relance_date_to_iso (today);

  /* One row per (currency, bucket): the store does the grouping over every invoice. */
  stmt = relance_store_prepare (store,
    "SELECT currency, CASE WHEN late <= 0 THEN 0 WHEN late <= 30 THEN 1 WHEN late <= 60 THEN 2 "
    "  WHEN late <= 90 THEN 3 ELSE 4 END AS bucket, COUNT(*), SUM(unpaid) "
    "FROM (SELECT i.currency AS currency, "
    "        CAST(julianday(?1) - julianday(i.due_date) AS INTEGER) AS late, "
    "        i.total - COALESCE(p.paid, 0) AS unpaid "
    "      FROM invoices i "
    "      LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM payments "
    "                 GROUP BY invoice_id) p ON p.invoice_id = i.id "
    "      WHERE i.status <> 'cancelled' AND i.total > COALESCE(p.paid, 0)) "
    "GROUP BY currency, bucket", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceCurrencyStats *entry =
        currency_entry (list, (const char *) sqlite3_column_text (stmt, 0));
      int bucket = CLAMP (sqlite3_column_int (stmt, 1), 0, RELANCE_AGING_N_BUCKETS - 1);
      guint count = (guint) sqlite3_column_int64 (stmt, 2);
      gint64 amount = sqlite3_column_int64 (stmt, 3);

      entry->bucket_count[bucket] += count;
      entry->bucket_amount[bucket] += amount;
      entry->n_outstanding += count;
      entry->outstanding += amount;
      if (bucket != RELANCE_AGING_NOT_DUE)
        {
          entry->n_overdue += count;
          entry->overdue += amount;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }

  stmt = relance_store_prepare (store,
    "SELECT currency, SUM(total) FROM invoices "
    "WHERE status <> 'cancelled' AND issue_date > date(?1, ?2) AND issue_date <= ?1 "
    "GROUP BY currency", error);
  if (stmt == NULL)
    return NULL;
  {
    g_autofree char *period = g_strdup_printf ("-%d days", RELANCE_STATS_DSO_PERIOD_DAYS);

    sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *currency = (const char *) sqlite3_column_text (stmt, 0);
      gint64 sales = sqlite3_column_int64 (stmt, 1);

      /* A currency with sales but nothing owed is worth a line only if it has sales. */
      if (sales > 0)
        currency_entry (list, currency)->sales_90 = sales;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    {
      RelanceCurrencyStats *entry = g_ptr_array_index (list, i);

      entry->dso = dso_days (entry->outstanding, entry->sales_90);
    }
  g_ptr_array_sort (list, compare_outstanding);
  return g_steal_pointer (&list);
}

gboolean
relance_stats_on_time (RelanceStore  *store,
                       const GDate   *today,
                       guint         *out_paid,
                       guint         *out_on_time,
                       GError       **error)
{
  g_autofree char *iso = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  iso = relance_date_to_iso (today);
  stmt = relance_store_prepare (store,
    "SELECT COUNT(*), COALESCE(SUM(last <= due_date), 0) "
    "FROM (SELECT i.due_date AS due_date, MAX(p.date) AS last, SUM(p.amount) AS paid, "
    "        i.total AS total "
    "      FROM invoices i JOIN payments p ON p.invoice_id = i.id "
    "      WHERE i.status <> 'cancelled' AND i.total > 0 "
    "      GROUP BY i.id) "
    "WHERE paid >= total AND last > date(?1, '-12 months') AND last <= ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_ROW;
  if (ok)
    {
      if (out_paid != NULL)
        *out_paid = (guint) sqlite3_column_int64 (stmt, 0);
      if (out_on_time != NULL)
        *out_on_time = (guint) sqlite3_column_int64 (stmt, 1);
    }
  else
    relance_store_set_error (store, error);
  sqlite3_reset (stmt);
  return ok;
}

GPtrArray *
relance_stats_steps (RelanceStore  *store,
                     const GDate   *today,
                     GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *window = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  iso = relance_date_to_iso (today);
  window = g_strdup_printf ("+%d days", RELANCE_STATS_PAYMENT_WINDOW_DAYS);
  /* Reminders are unique per (invoice, step): counting them counts invoices. */
  stmt = relance_store_prepare (store,
    "SELECT s.id, s.key, s.name_fr, s.name_en, st.id, st.offset_days, st.tone, st.channel, "
    "  COUNT(r.id), "
    "  COUNT(CASE WHEN EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = r.invoice_id "
    "    AND p.date >= date(r.sent_at, 'unixepoch') "
    "    AND p.date <= date(r.sent_at, 'unixepoch', ?2)) THEN 1 END) "
    "FROM scenarios s JOIN scenario_steps st ON st.scenario_id = s.id "
    "LEFT JOIN reminders r ON r.step_id = st.id AND r.sent_at IS NOT NULL "
    "  AND date(r.sent_at, 'unixepoch') <= ?1 "
    "GROUP BY st.id ORDER BY s.id, st.offset_days", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, window, -1, SQLITE_TRANSIENT);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_step_stats_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceStepStats *entry = g_new0 (RelanceStepStats, 1);

      entry->scenario_id = sqlite3_column_int64 (stmt, 0);
      entry->scenario_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->scenario_name_fr = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->scenario_name_en = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->step_id = sqlite3_column_int64 (stmt, 4);
      entry->offset_days = sqlite3_column_int (stmt, 5);
      entry->tone = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      entry->channel = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      entry->n_sent = (guint) sqlite3_column_int64 (stmt, 8);
      entry->n_paid_after = (guint) sqlite3_column_int64 (stmt, 9);
      g_ptr_array_add (list, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

RelanceStats *
relance_stats_compute (RelanceStore  *store,
                       const GDate   *today,
                       GError       **error)
{
  g_autoptr(RelanceStats) stats = g_new0 (RelanceStats, 1);

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  stats->today = *today;
  if ((stats->currencies = relance_stats_currencies (store, today, error)) == NULL
      || !relance_stats_on_time (store, today, &stats->n_paid, &stats->n_paid_on_time, error)
      || (stats->steps = relance_stats_steps (store, today, error)) == NULL)
    return NULL;
  return g_steal_pointer (&stats);
}
