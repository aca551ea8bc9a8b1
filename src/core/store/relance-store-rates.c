/* relance-store-rates.c: the rates table (migration 5): penalty reference rates per
 * series and half-year, as shipped, set by hand or fetched. */
#include "config.h"

#include "relance-store-private.h"
#include "relance-store-rates.h"

static const char *
series_key (RelanceRateSeries series)
{
  switch (series)
    {
    case RELANCE_RATE_SERIES_BOE:
      return "boe";
    case RELANCE_RATE_SERIES_FR_LEGAL:
      return "fr-legal";
    case RELANCE_RATE_SERIES_ECB:
    default:
      return "ecb";
    }
}

RelanceRateTable *
relance_store_load_rates (RelanceStore       *store,
                          RelanceRateSeries   series,
                          GError            **error)
{
  g_autoptr(RelanceRateTable) table = relance_rate_table_new_shipped (series);
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT year, half, rate_bp, source FROM rates WHERE series = ? ORDER BY year, half", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, series_key (series), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    relance_rate_table_set (table, sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                            sqlite3_column_int (stmt, 2),
                            (const char *) sqlite3_column_text (stmt, 3), NULL);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* Binds the half-year a row is about to parameters 1 to 3. */
static void
bind_half_year (sqlite3_stmt      *stmt,
                RelanceRateSeries  series,
                int                year,
                int                half)
{
  sqlite3_bind_text (stmt, 1, series_key (series), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int (stmt, 3, half);
}

/* The rate stored for a half-year and where it came from (NULL, -1 when none). */
static gboolean
stored_rate (RelanceStore       *store,
             RelanceRateSeries   series,
             int                 year,
             int                 half,
             int                *out_bp,
             char              **out_source,
             GError            **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT rate_bp, source FROM rates WHERE series = ?1 AND year = ?2 AND half = ?3", error);
  int rc;

  *out_bp = -1;
  *out_source = NULL;
  if (stmt == NULL)
    return FALSE;
  bind_half_year (stmt, series, year, half);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_bp = sqlite3_column_int (stmt, 0);
      *out_source = relance_store_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || relance_store_set_error (store, error);
}

gboolean
relance_store_save_rate (RelanceStore       *store,
                         RelanceRateSeries   series,
                         int                 year,
                         int                 half,
                         int                 bp,
                         GError            **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "INSERT INTO rates (series, year, half, rate_bp, source) VALUES (?1, ?2, ?3, ?4, 'user') "
    "ON CONFLICT (series, year, half) DO UPDATE SET rate_bp = excluded.rate_bp, "
    "source = 'user'", error);

  if (stmt == NULL)
    return FALSE;
  bind_half_year (stmt, series, year, half);
  sqlite3_bind_int (stmt, 4, bp);
  if (!relance_store_step_done (store, stmt, error))
    return FALSE;
  relance_store_note_change (store, RELANCE_STORE_CHANGED_SETTINGS, 0, 0);
  return TRUE;
}

/* The fetch time lives in the settings table, next to the row it dates, so that no
 * migration was needed; both are written in the caller's transaction. */
static char *
fetched_at_key (RelanceRateSeries series,
                int               year,
                int               half)
{
  return g_strdup_printf ("rates.fetched-at.%s.%d-H%d", series_key (series), year, half);
}

gboolean
relance_store_save_rate_full (RelanceStore           *store,
                              RelanceRateSeries       series,
                              int                     year,
                              int                     half,
                              int                     bp,
                              const char             *source,
                              GDateTime              *fetched_at,
                              RelanceRateSaveOutcome *out_outcome,
                              int                    *out_previous_bp,
                              GError                **error)
{
  g_autofree char *key = fetched_at_key (series, year, half);
  g_autofree char *when = NULL;
  g_autofree char *old_source = NULL;
  RelanceRateSaveOutcome outcome = RELANCE_RATE_SAVE_ADDED;
  int previous_bp = -1;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (source != NULL && !g_str_equal (source, "user"), FALSE);
  g_return_val_if_fail (fetched_at != NULL, FALSE);

  if (!stored_rate (store, series, year, half, &previous_bp, &old_source, error))
    return FALSE;

  if (old_source != NULL && g_str_equal (old_source, "user"))
    outcome = RELANCE_RATE_SAVE_KEPT_USER;
  else if (old_source != NULL && previous_bp == bp)
    outcome = RELANCE_RATE_SAVE_UNCHANGED;
  else
    {
      outcome = old_source != NULL ? RELANCE_RATE_SAVE_CHANGED : RELANCE_RATE_SAVE_ADDED;
      /* The WHERE keeps a hand-set value even if one appeared since the SELECT. */
      stmt = relance_store_prepare (store,
        "INSERT INTO rates (series, year, half, rate_bp, source) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (series, year, half) DO UPDATE SET rate_bp = excluded.rate_bp, "
        "source = excluded.source WHERE rates.source <> 'user'", error);
      if (stmt == NULL)
        return FALSE;
      bind_half_year (stmt, series, year, half);
      sqlite3_bind_int (stmt, 4, bp);
      sqlite3_bind_text (stmt, 5, source, -1, SQLITE_TRANSIENT);
      if (!relance_store_step_done (store, stmt, error))
        return FALSE;
      relance_store_note_change (store, RELANCE_STORE_CHANGED_SETTINGS, 0, 0);
      when = g_date_time_format_iso8601 (fetched_at);
      if (!relance_store_set_setting (store, key, when, error))
        return FALSE;
    }

  if (out_outcome != NULL)
    *out_outcome = outcome;
  if (out_previous_bp != NULL)
    *out_previous_bp = previous_bp;
  return TRUE;
}

GDateTime *
relance_store_get_rate_fetched_at (RelanceStore      *store,
                                   RelanceRateSeries  series,
                                   int                year,
                                   int                half)
{
  g_autofree char *key = fetched_at_key (series, year, half);
  g_autofree char *when = relance_store_get_setting (store, key);
  g_autofree char *source = NULL;
  int bp;

  if (when == NULL)
    return NULL;
  /* A value the user set by hand after a fetch is no longer the fetched one. */
  if (!stored_rate (store, series, year, half, &bp, &source, NULL)
      || source == NULL || g_str_equal (source, "user"))
    return NULL;
  return g_date_time_new_from_iso8601 (when, NULL);
}
