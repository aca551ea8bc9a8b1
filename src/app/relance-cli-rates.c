/* relance-cli-rates.c: `relance rate update [--series ecb|boe]` fetches the official rates
 * now; `relance rate list [--series ecb|boe|fr-legal]` shows each half-year's rate with
 * where it came from, and which half-years are missing. */
#include "config.h"

#include <glib/gi18n.h>

#include "relance-cli-rates.h"
#include "relance-clock.h"
#include "relance-language.h"
#include "relance-penalty.h"
#include "relance-planner.h"
#include "relance-rates-fetch.h"

gboolean
relance_cli_rates_handles (char **argv)
{
  /* The first word that is not an option names the subcommand. */
  for (guint i = 1; argv[i] != NULL; i++)
    {
      if (g_str_equal (argv[i], "--series") && argv[i + 1] != NULL)
        i++; /* its value */
      else if (argv[i][0] != '-')
        return g_str_equal (argv[i], "update") || g_str_equal (argv[i], "list");
    }
  return FALSE;
}

static gboolean
parse_series (const char        *text,
              gboolean           legal_allowed,
              RelanceRateSeries *out)
{
  if (g_strcmp0 (text, "ecb") == 0)
    *out = RELANCE_RATE_SERIES_ECB;
  else if (g_strcmp0 (text, "boe") == 0)
    *out = RELANCE_RATE_SERIES_BOE;
  else if (legal_allowed && g_strcmp0 (text, "fr-legal") == 0)
    *out = RELANCE_RATE_SERIES_FR_LEGAL;
  else
    return FALSE;
  return TRUE;
}

static const char *
series_title (RelanceRateSeries series)
{
  switch (series)
    {
    case RELANCE_RATE_SERIES_BOE:
      return _("Bank of England Bank Rate (reference of the UK statutory interest)");
    case RELANCE_RATE_SERIES_FR_LEGAL:
      return _("French legal interest rate");
    case RELANCE_RATE_SERIES_ECB:
    default:
      return _("ECB main refinancing rate (reference of the French and EU penalties)");
    }
}

static const char *
source_label (const char *source)
{
  if (g_strcmp0 (source, "shipped") == 0)
    return _("shipped with Relance");
  if (g_strcmp0 (source, "user") == 0)
    return _("set by hand");
  if (g_strcmp0 (source, RELANCE_RATES_SOURCE_ECB) == 0)
    return _("ECB Data Portal");
  if (g_strcmp0 (source, RELANCE_RATES_SOURCE_BOE) == 0)
    return _("Bank of England");
  return source;
}

/* ---- rate update ---------------------------------------------------------------------- */

typedef struct
{
  RelanceRatesUpdate *update;
  GError             *error;
  gboolean            done;
} UpdateRun;

static void
update_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  UpdateRun *run = user_data;

  run->update = relance_rates_fetch_finish (result, &run->error);
  run->done = TRUE;
}

static int
rate_update (CliContext        *ctx,
             RelanceRateSeries  series)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelanceRatesUpdate) update = NULL;
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;
  UpdateRun run = { NULL, NULL, FALSE };
  RelanceStore *store;
  GDate today;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  g_main_context_push_thread_default (context);
  relance_rates_fetch_async (store, series, 0, NULL, update_done, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  if (run.error != NULL)
    return relance_cli_fail (run.error);
  update = run.update;
  text = relance_rates_update_describe (update);
  g_print ("%s\n", text);

  relance_clock_today (NULL, &today);
  if ((note = relance_rates_missing_note (store, series, &today)) != NULL)
    g_print ("%s\n", note);
  return 0;
}

/* ---- rate list ------------------------------------------------------------------------ */

static int
rate_list (CliContext        *ctx,
           RelanceRateSeries  series)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRateTable) table = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *note = NULL;
  g_autofree char *attempt = NULL;
  const char *language = relance_language_for_user ();
  RelanceStore *store;
  GDate today;
  int year, half;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((table = relance_store_load_rates (store, series, &error)) == NULL)
    return relance_cli_fail (error);

  relance_clock_today (NULL, &today);
  relance_half_year_of_date (&today, &year, &half);

  g_string_append_printf (out, "%s\n", series_title (series));
  for (guint i = 0; i < relance_rate_table_get_n_entries (table); i++)
    {
      const RelanceRateEntry *entry = relance_rate_table_get_entry (table, i);
      g_autofree char *name = relance_half_year_format (entry->year, entry->half);
      g_autofree char *rate = relance_rate_format (entry->bp, language);
      g_autoptr(GDateTime) fetched = NULL;

      if (entry->year * 2 + entry->half > year * 2 + half)
        continue;
      relance_cli_append_padded (out, name, 10);
      relance_cli_append_padded (out, rate, 10);
      g_string_append (out, source_label (entry->source));
      fetched = relance_store_get_rate_fetched_at (store, series, entry->year, entry->half);
      if (fetched != NULL)
        {
          g_autofree char *date = g_date_time_format (fetched, "%Y-%m-%d");

          /* Translators: after a source such as "ECB Data Portal"; %s is a date */
          g_string_append_printf (out, _(", fetched on %s"), date);
        }
      g_string_append_c (out, '\n');
    }

  if ((note = relance_rates_missing_note (store, series, &today)) != NULL)
    g_string_append_printf (out, "%s\n", note);
  else
    /* Translators: %d-H%d is the current half-year, such as 2026-H1 */
    g_string_append_printf (out, _("No half-year is missing up to %d-H%d.\n"), year, half);

  attempt = relance_store_get_setting (store, RELANCE_RATES_SETTING_LAST_ATTEMPT);
  if (series != RELANCE_RATE_SERIES_FR_LEGAL)
    {
      if (attempt != NULL)
        /* Translators: %s is an ISO 8601 time */
        g_string_append_printf (out, _("Last attempt to fetch the rates: %s.\n"), attempt);
      else
        g_string_append (out, _("The rates have never been fetched: run “relance rate "
                                "update”.\n"));
    }
  g_print ("%s", out->str);
  return 0;
}

int
relance_cli_cmd_rates (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  g_autofree char *series_text = NULL;
  g_autoptr(GError) error = NULL;
  int argc = 0;
  GOptionEntry entries[] = {
    { "series", 0, 0, G_OPTION_ARG_STRING, &series_text,
      N_("The rate: ecb or boe (list: also fr-legal); default: the company's reference"),
      N_("SERIES") },
    G_OPTION_ENTRY_NULL
  };
  RelanceRateSeries series;
  gboolean update;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "update|list [--series ecb|boe]", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2 || !(g_str_equal (argv[1], "update") || g_str_equal (argv[1], "list")))
    return relance_cli_usage_error (_("Use “rate update [--series ecb|boe]” or "
                                      "“rate list”."));
  update = g_str_equal (argv[1], "update");

  if (series_text != NULL)
    {
      if (!parse_series (series_text, !update, &series))
        return relance_cli_usage_error (_("“%s” is not a rate Relance fetches: use ecb "
                                          "or boe."), series_text);
    }
  else
    {
      if ((store = relance_cli_store (ctx, &error)) == NULL)
        return relance_cli_fail (error);
      series = relance_rates_series_for_store (store);
    }

  return update ? rate_update (ctx, series) : rate_list (ctx, series);
}
