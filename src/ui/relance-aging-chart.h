/* relance-aging-chart.h: the Dashboard's bar chart of what is owed, by days overdue. */
#pragma once

#include <gtk/gtk.h>

#include "relance-stats.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_AGING_CHART (relance_aging_chart_get_type ())
G_DECLARE_FINAL_TYPE (RelanceAgingChart, relance_aging_chart, RELANCE, AGING_CHART, GtkWidget)

GtkWidget  *relance_aging_chart_new        (void);
/* Shows the buckets of @stats (NULL: nothing owed). Copies what it needs. */
void        relance_aging_chart_set_stats  (RelanceAgingChart          *self,
                                            const RelanceCurrencyStats *stats);
/* What the chart shows, for tests and assistive technologies. */
guint       relance_aging_chart_get_n_buckets (RelanceAgingChart *self);
gint64      relance_aging_chart_get_amount (RelanceAgingChart *self,
                                            guint              bucket);
guint       relance_aging_chart_get_count  (RelanceAgingChart *self,
                                            guint              bucket);
const char *relance_aging_chart_get_currency (RelanceAgingChart *self);
/* The bucket's name as the chart labels it ("1–30 days"…). */
const char *relance_aging_bucket_get_label (RelanceAgingBucket bucket);

G_END_DECLS
