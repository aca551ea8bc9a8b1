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

#include "relance-stats.h"
#include "relance-store-stats.h"

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
  g_autoptr(GArray) unpaid = NULL;
  g_autoptr(GArray) sales = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if ((unpaid = relance_store_sum_unpaid (store, today, error)) == NULL
      || (sales = relance_store_sum_sales (store, today, RELANCE_STATS_DSO_PERIOD_DAYS,
                                           error)) == NULL)
    return NULL;

  for (guint i = 0; i < unpaid->len; i++)
    {
      const RelanceUnpaidSum *sum = &g_array_index (unpaid, RelanceUnpaidSum, i);
      RelanceCurrencyStats *entry = currency_entry (list, sum->currency);
      RelanceAgingBucket bucket = relance_aging_bucket_for_days (sum->days_late);

      entry->bucket_count[bucket] += sum->count;
      entry->bucket_amount[bucket] += sum->unpaid;
      entry->n_outstanding += sum->count;
      entry->outstanding += sum->unpaid;
      if (bucket != RELANCE_AGING_NOT_DUE)
        {
          entry->n_overdue += sum->count;
          entry->overdue += sum->unpaid;
        }
    }

  for (guint i = 0; i < sales->len; i++)
    {
      const RelanceCurrencySum *sum = &g_array_index (sales, RelanceCurrencySum, i);

      /* A currency with sales but nothing owed is worth a line only if it has sales. */
      if (sum->amount > 0)
        currency_entry (list, sum->currency)->sales_90 = sum->amount;
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
  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  return relance_store_count_paid_on_time (store, today, RELANCE_STATS_ON_TIME_MONTHS, out_paid,
                                           out_on_time, error);
}

GPtrArray *
relance_stats_steps (RelanceStore  *store,
                     const GDate   *today,
                     GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  return relance_store_list_step_results (store, today, RELANCE_STATS_PAYMENT_WINDOW_DAYS,
                                          error);
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
