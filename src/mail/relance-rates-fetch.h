/* relance-rates-fetch.h: keeping the official reference rates current over HTTP.
 *
 * The ECB main refinancing operations rate (ECB Data Portal, SDMX CSV) and the Bank of
 * England Bank Rate (the Bank's statistical database, CSV) are fetched with libsoup 3 on
 * the main loop, turned from a history of changes into one rate per half-year, checked,
 * and stored all-or-nothing with their source and fetch time. A value the user set by
 * hand is never overwritten; without network the shipped table keeps being used.
 *
 * FOR TESTS ONLY: RELANCE_ECB_BASE_URL and RELANCE_BOE_BASE_URL replace the scheme and
 * host of the two services (e.g. "http://127.0.0.1:40123"); the paths stay the real
 * ones. Nothing else may set them: they would let anyone feed Relance false rates. */
#pragma once

#include <gio/gio.h>

#include "relance-penalty.h"
#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_RATES_SOURCE_ECB           "ecb-data-portal"
#define RELANCE_RATES_SOURCE_BOE           "bank-of-england"
/* ISO 8601 time of the latest attempt to fetch, successful or not. */
#define RELANCE_RATES_SETTING_LAST_ATTEMPT "rates.last-attempt"
#define RELANCE_RATES_DEFAULT_TIMEOUT      30 /* seconds */

/* One observation of a central bank's series: the rate from @date on. */
typedef struct
{
  GDate date;
  int   bp;
} RelanceRateObservation;

/* The rate of a half-year, derived from the observations. */
typedef struct
{
  int year;
  int half;
  int bp;
} RelanceHalfYearRate;

typedef struct
{
  RelanceRateSeries series;
  int               first_year;   /* the half-years the answer covered */
  int               first_half;
  int               last_year;
  int               last_half;
  guint             n_added;      /* stored where nothing was stored yet */
  guint             n_changed;    /* a fetched value replaced by a different one */
  guint             n_unchanged;
  guint             n_kept_user;  /* set by hand: kept */
  GPtrArray        *notes;        /* translated sentences: each change, each kept value
                                   * that differs from the official one */
} RelanceRatesUpdate;

void                relance_rates_update_free     (RelanceRatesUpdate  *update);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceRatesUpdate, relance_rates_update_free)

/* The series that the seller's country refers to (ECB unless the UK's). */
RelanceRateSeries   relance_rates_series_for_store (RelanceStore       *store);
/* Translated, for sentences: "the ECB Data Portal", "the Bank of England database". */
const char         *relance_rates_service_name    (RelanceRateSeries    series);
/* The URL fetched for @series (ECB or BoE only). */
char               *relance_rates_url             (RelanceRateSeries    series);

/* Reads a service's answer into observations sorted by date. Refuses (RELANCE_MAIL_ERROR_
 * INVALID) a web page, missing columns, a foreign series, bad dates, non-numeric or
 * absurd rates (outside -1..25 %) and an empty series. */
GArray             *relance_rates_parse           (RelanceRateSeries    series,
                                                   GBytes              *body,
                                                   GError             **error);
/* The rate of each half-year from 2020-H1 to the one holding @today, where the
 * observations cover it: ECB, the rate in force on 1 January / 1 July; Bank of England,
 * the rate on 31 December / 30 June just before the half-year. */
GArray             *relance_rates_half_years      (RelanceRateSeries    series,
                                                   GArray              *observations,
                                                   const GDate         *today,
                                                   GError             **error);
/* Stores @half_years (RelanceHalfYearRate) in one transaction. */
RelanceRatesUpdate *relance_rates_apply           (RelanceStore        *store,
                                                   RelanceRateSeries    series,
                                                   GArray              *half_years,
                                                   GDateTime           *fetched_at,
                                                   GError             **error);

/* Fetches @series (ECB or BoE), on the thread-default main context, and stores the
 * result in @store, which must belong to that thread. @timeout_seconds 0 means
 * RELANCE_RATES_DEFAULT_TIMEOUT. Errors are RELANCE_MAIL_ERROR with a translated
 * sentence (UNREACHABLE, CERTIFICATE, TEMPORARY for a timeout or 5xx, PERMANENT for 4xx,
 * INVALID for an unreadable answer), or G_IO_ERROR_CANCELLED; then nothing changed. */
void                relance_rates_fetch_async     (RelanceStore        *store,
                                                   RelanceRateSeries    series,
                                                   guint                timeout_seconds,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
RelanceRatesUpdate *relance_rates_fetch_finish    (GAsyncResult        *result,
                                                   GError             **error);

/* What happened, as translated lines for the command line or a toast. */
char               *relance_rates_update_describe (const RelanceRatesUpdate *update);

/* The note of the penalties settings: one translated line per half-year up to the one
 * holding @today that has no rate (shipped, fetched or set by hand), saying which rate
 * is used instead; NULL when nothing is missing. */
char               *relance_rates_missing_note    (RelanceStore        *store,
                                                   RelanceRateSeries    series,
                                                   const GDate         *today);

/* For the scheduler: TRUE when the current half-year of the company's series has no
 * fetched or hand-set value and the last attempt is more than a day old. */
gboolean            relance_rates_update_due      (RelanceStore        *store,
                                                   GDateTime           *now);

G_END_DECLS
