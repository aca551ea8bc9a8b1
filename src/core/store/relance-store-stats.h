/* relance-store-stats.h: the sums the Dashboard's figures are computed from
 * (relance-stats.c), each one a single grouped read of the store. */
#pragma once

#include "relance-stats.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* The unpaid part of the invoices that are not cancelled, summed per currency and lateness. */
typedef struct
{
  char   currency[4];
  int    days_late;   /* @today − due date; 0 or less: not due */
  guint  count;
  gint64 unpaid;
} RelanceUnpaidSum;

typedef struct
{
  char   currency[4];
  gint64 amount;
} RelanceCurrencySum;

/* RelanceUnpaidSum per (currency, days late) with something unpaid, as of @today. */
GArray    *relance_store_sum_unpaid          (RelanceStore  *self,
                                              const GDate   *today,
                                              GError       **error);
/* RelanceCurrencySum: the totals of the invoices that are not cancelled, issued in the
 * @days days ending @today (today − days + 1 … today). */
GArray    *relance_store_sum_sales           (RelanceStore  *self,
                                              const GDate   *today,
                                              int            days,
                                              GError       **error);
/* Among the invoices that are not cancelled, fully paid (payments ≥ total > 0) with their
 * last payment in the @months months up to @today: how many, and how many of them had it
 * on or before their due date. */
gboolean   relance_store_count_paid_on_time  (RelanceStore  *self,
                                              const GDate   *today,
                                              int            months,
                                              guint         *out_paid,
                                              guint         *out_on_time,
                                              GError       **error);
/* RelanceStepStats* for every scenario step, by scenario then offset: the invoices it was
 * sent for up to @today, and those of them paid (a payment) from the day of the sending
 * to @window_days after it, in UTC days. */
GPtrArray *relance_store_list_step_results   (RelanceStore  *self,
                                              const GDate   *today,
                                              int            window_days,
                                              GError       **error);

G_END_DECLS
