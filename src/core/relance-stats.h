/* relance-stats.h: the figures of the Dashboard: what is owed and how late, DSO, the
 * on-time payment rate and which reminder step brings the money in.
 *
 * Every function is a read of the store as of a given day (the caller passes
 * relance_clock_today ()); amounts stay per currency, never converted. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* The aging buckets, by days past the due date. */
typedef enum
{
  RELANCE_AGING_NOT_DUE,   /* due today or later */
  RELANCE_AGING_1_30,
  RELANCE_AGING_31_60,
  RELANCE_AGING_61_90,
  RELANCE_AGING_OVER_90,
  RELANCE_AGING_N_BUCKETS,
} RelanceAgingBucket;

typedef struct
{
  char   currency[4];
  gint64 outstanding;                         /* unpaid part of every non-cancelled invoice */
  guint  n_outstanding;
  gint64 overdue;                             /* the part of it past its due date */
  guint  n_overdue;
  gint64 bucket_amount[RELANCE_AGING_N_BUCKETS];
  guint  bucket_count[RELANCE_AGING_N_BUCKETS];
  gint64 sales_90;                            /* invoiced over the last 90 days */
  int    dso;                                 /* days, or -1 when nothing was invoiced */
} RelanceCurrencyStats;

typedef struct
{
  gint64  scenario_id;
  char   *scenario_key;
  char   *scenario_name_fr;
  char   *scenario_name_en;
  gint64  step_id;
  int     offset_days;
  char   *tone;
  char   *channel;
  guint   n_sent;          /* invoices this step was sent for */
  guint   n_paid_after;    /* of them, those with a payment within 7 days of the sending */
} RelanceStepStats;

typedef struct
{
  GDate      today;
  GPtrArray *currencies;   /* RelanceCurrencyStats*, the largest outstanding first */
  guint      n_paid;       /* invoices fully paid over the last 12 months */
  guint      n_paid_on_time; /* of them, last payment on or before the due date */
  GPtrArray *steps;        /* RelanceStepStats*, by scenario then offset */
} RelanceStats;

#define RELANCE_STATS_PAYMENT_WINDOW_DAYS 7
#define RELANCE_STATS_DSO_PERIOD_DAYS     90
#define RELANCE_STATS_ON_TIME_MONTHS      12

void          relance_step_stats_free (RelanceStepStats *stats);
void          relance_stats_free      (RelanceStats     *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceStats, relance_stats_free)

/* Outstanding, overdue, aging buckets and DSO, one entry per currency. */
GPtrArray    *relance_stats_currencies (RelanceStore  *store,
                                        const GDate   *today,
                                        GError       **error);
gboolean      relance_stats_on_time    (RelanceStore  *store,
                                        const GDate   *today,
                                        guint         *out_paid,
                                        guint         *out_on_time,
                                        GError       **error);
GPtrArray    *relance_stats_steps      (RelanceStore  *store,
                                        const GDate   *today,
                                        GError       **error);
/* All of the above. */
RelanceStats *relance_stats_compute    (RelanceStore  *store,
                                        const GDate   *today,
                                        GError       **error);

/* The bucket of an invoice @days_overdue days past due (0 or less: not due). */
RelanceAgingBucket relance_aging_bucket_for_days (int days_overdue);
/* On-time rate in percent, rounded; -1 when no invoice was paid. */
int           relance_stats_on_time_percent (const RelanceStats *stats);

G_END_DECLS
