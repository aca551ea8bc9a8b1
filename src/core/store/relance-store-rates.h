/* relance-store-rates.h: the penalty rate tables in the store: the shipped values plus
 * what the user set (`relance rate set`) or fetched from the central banks. */
#pragma once

#include "relance-penalty.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* The penalty rate tables: shipped values plus what the user set (`relance rate set`). */
RelanceRateTable *relance_store_load_rates  (RelanceStore       *store,
                                             RelanceRateSeries   series,
                                             GError            **error);
gboolean          relance_store_save_rate   (RelanceStore       *store,
                                             RelanceRateSeries   series,
                                             int                 year,
                                             int                 half,
                                             int                 bp,
                                             GError            **error);

/* Rates fetched from the central banks (src/mail/relance-rates-fetch.c). */
typedef enum
{
  RELANCE_RATE_SAVE_ADDED,     /* no value was stored for that half-year */
  RELANCE_RATE_SAVE_CHANGED,   /* a fetched value was there, with another rate */
  RELANCE_RATE_SAVE_UNCHANGED, /* the same rate was already stored: nothing written */
  RELANCE_RATE_SAVE_KEPT_USER, /* the user set that half-year by hand: never overwritten */
} RelanceRateSaveOutcome;

/* Stores a rate with its @source ("ecb-data-portal"…) and fetch time; never replaces a
 * row whose source is "user". @out_previous_bp gets the rate that was stored, or -1.
 * Run it inside the caller's transaction. */
gboolean          relance_store_save_rate_full (RelanceStore           *store,
                                                RelanceRateSeries       series,
                                                int                     year,
                                                int                     half,
                                                int                     bp,
                                                const char             *source,
                                                GDateTime              *fetched_at,
                                                RelanceRateSaveOutcome *out_outcome,
                                                int                    *out_previous_bp,
                                                GError                **error);
/* When the stored rate of a half-year was fetched, or NULL (shipped, set by hand, none). */
GDateTime        *relance_store_get_rate_fetched_at (RelanceStore      *store,
                                                     RelanceRateSeries  series,
                                                     int                year,
                                                     int                half);

G_END_DECLS
