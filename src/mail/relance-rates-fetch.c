/* relance-rates-fetch.c: fetching the ECB and Bank of England rates, deriving one rate per
 * half-year from their history of changes, and storing them without ever touching what
 * the user set by hand. Everything runs on the main loop (libsoup 3 async); an answer
 * that is not exactly what the services document changes nothing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-csv.h"
#include "relance-language.h"
#include "relance-mail-error.h"
#include "relance-planner.h"
#include "relance-rates-fetch.h"

/* The ECB Data Portal's SDMX CSV ("csvdata"): one header line naming the columns, then one
 * line per observation; the series has one observation per change of the rate. CSV
 * rather than SDMX-JSON because the columns are found by name, with no positional
 * indexes into the structure to get wrong. */
#define ECB_DEFAULT_BASE "https://data-api.ecb.europa.eu"
#define ECB_SERIES_KEY   "FM.B.U2.EUR.4F.KR.MRR_FR.LEV"
#define ECB_PATH         "/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata"

/* The Bank of England database: "DATE,IUDBEDR" then "07 Aug 2025,4.0000" lines (daily or
 * per change; either works, the rate on a day is the latest line on or before it). */
#define BOE_DEFAULT_BASE "https://www.bankofengland.co.uk"
#define BOE_SERIES_CODE  "IUDBEDR"
#define BOE_PATH         "/boeapps/database/_iadb-fromshowcolumns.asp?csv.x=yes" \
                         "&Datefrom=01/Jan/2020&Dateto=now&SeriesCodes=IUDBEDR&CSVF=TN" \
                         "&UsingCodes=Y"

/* Half-years before this one are not stored: no invoice that old is still chased, and the
 * Bank of England request starts in 2020. */
#define FIRST_YEAR 2020

/* A central bank rate outside -1 % .. 25 % means the answer is not what we think it is. */
#define MIN_SANE_BP (-100)
#define MAX_SANE_BP 2500

/* Far more than either series needs; a bigger answer is not the series. */
#define MAX_BODY_SIZE (4 * 1024 * 1024)

void
relance_rates_update_free (RelanceRatesUpdate *update)
{
  if (update == NULL)
    return;
  g_clear_pointer (&update->notes, g_ptr_array_unref);
  g_free (update);
}

RelanceRateSeries
relance_rates_series_for_store (RelanceStore *store)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (store, NULL);
  RelancePenaltyPolicy policy;

  policy = relance_penalty_policy_for_country (company != NULL ? company->country : NULL);
  return policy.reference == RELANCE_RATE_SERIES_BOE ? RELANCE_RATE_SERIES_BOE
                                                     : RELANCE_RATE_SERIES_ECB;
}

const char *
relance_rates_service_name (RelanceRateSeries series)
{
  switch (series)
    {
    case RELANCE_RATE_SERIES_BOE:
      /* Translators: used inside sentences such as "Could not reach %s" */
      return _("the Bank of England database");
    case RELANCE_RATE_SERIES_ECB:
    case RELANCE_RATE_SERIES_FR_LEGAL:
    default:
      /* Translators: used inside sentences such as "Could not reach %s" */
      return _("the ECB Data Portal");
    }
}

static const char *
source_of (RelanceRateSeries series)
{
  return series == RELANCE_RATE_SERIES_BOE ? RELANCE_RATES_SOURCE_BOE
                                           : RELANCE_RATES_SOURCE_ECB;
}

char *
relance_rates_url (RelanceRateSeries series)
{
  gboolean boe = series == RELANCE_RATE_SERIES_BOE;
  const char *base = g_getenv (boe ? "RELANCE_BOE_BASE_URL" : "RELANCE_ECB_BASE_URL");
  g_autofree char *trimmed = NULL;

  if (base == NULL || *base == '\0')
    base = boe ? BOE_DEFAULT_BASE : ECB_DEFAULT_BASE;
  trimmed = g_strdup (base);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  return g_strconcat (trimmed, boe ? BOE_PATH : ECB_PATH, NULL);
}

/* Like relance_rate_format, which refuses the negative rates a central bank may set. */
static char *
format_half_year_rate (int bp)
{
  g_autofree char *text = relance_rate_format (ABS (bp), relance_language_for_user ());

  return bp < 0 ? g_strconcat ("-", text, NULL) : g_steal_pointer (&text);
}

/* ---- reading the answers ------------------------------------------------------------- */

static void
set_invalid (GError          **error,
             RelanceRateSeries series,
             const char       *why)
{
  g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
               /* Translators: the first %s is a service ("the ECB Data Portal"), the second
                * says what is wrong with its answer. */
               _("The answer of %s could not be used (%s); no rate was changed."),
               relance_rates_service_name (series), why);
}

/* "4.25", "-0.5", "4.0000": a decimal percentage, rounded to the nearest basis point. */
static gboolean
parse_percent (const char *text,
               int        *out_bp)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 whole = 0;
  gint64 millionths = 0;
  int n_int = 0;
  int n_dec = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++)
    {
      if (++n_int > 4)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    {
      gint64 scale = 100000;

      for (p++; g_ascii_isdigit (*p); p++)
        {
          if (++n_dec > 6)
            return FALSE;
          millionths += (*p - '0') * scale;
          scale /= 10;
        }
      if (n_dec == 0)
        return FALSE;
    }
  if (*p != '\0' || n_int == 0)
    return FALSE;

  millionths += whole * 1000000;
  *out_bp = (int) ((millionths + 5000) / 10000) * (negative ? -1 : 1);
  return TRUE;
}

static gboolean
parse_iso_date (const char *text,
                GDate      *out)
{
  unsigned y, m, d;
  char tail;

  if (strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

/* "07 Aug 2025", as the Bank of England writes dates (English month names). */
static gboolean
parse_boe_date (const char *text,
                GDate      *out)
{
  static const char *const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  unsigned d, y;
  char month[4];
  char tail;

  if (sscanf (text, "%2u %3s %4u%c", &d, month, &y, &tail) != 3)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strcasecmp (month, months[i]) == 0 && g_date_valid_dmy (d, i + 1, y))
      {
        g_date_set_dmy (out, d, i + 1, y);
        return TRUE;
      }
  return FALSE;
}

static int
find_column (RelanceCsv *csv,
             const char *name)
{
  for (guint i = 0; i < relance_csv_get_n_fields (csv, 0); i++)
    if (g_ascii_strcasecmp (relance_csv_get_field (csv, 0, i), name) == 0)
      return (int) i;
  return -1;
}

static gint
compare_observations (gconstpointer a,
                      gconstpointer b)
{
  return g_date_compare (&((const RelanceRateObservation *) a)->date,
                         &((const RelanceRateObservation *) b)->date);
}

static gboolean
looks_like_html (GBytes *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  gsize i = 0;

  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;
  return i < size && data[i] == '<';
}

GArray *
relance_rates_parse (RelanceRateSeries   series,
                     GBytes             *body,
                     GError            **error)
{
  gboolean boe = series == RELANCE_RATE_SERIES_BOE;
  g_autoptr(GArray) observations = g_array_new (FALSE, FALSE, sizeof (RelanceRateObservation));
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(GError) csv_error = NULL;
  int date_col, value_col, key_col;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (series == RELANCE_RATE_SERIES_ECB || boe, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  data = g_bytes_get_data (body, &size);
  if (size == 0)
    {
      set_invalid (error, series, _("the answer is empty"));
      return NULL;
    }
  if (looks_like_html (body))
    {
      set_invalid (error, series, _("a web page came instead of the data"));
      return NULL;
    }
  if ((csv = relance_csv_parse (data, size, NULL, &csv_error)) == NULL)
    {
      set_invalid (error, series, csv_error->message);
      return NULL;
    }

  date_col = find_column (csv, boe ? "DATE" : "TIME_PERIOD");
  value_col = find_column (csv, boe ? BOE_SERIES_CODE : "OBS_VALUE");
  key_col = boe ? -1 : find_column (csv, "KEY");
  if (date_col < 0 || value_col < 0)
    {
      set_invalid (error, series, boe ? _("the DATE and IUDBEDR columns are missing")
                                      : _("the TIME_PERIOD and OBS_VALUE columns are missing"));
      return NULL;
    }

  for (guint r = 1; r < relance_csv_get_n_records (csv); r++)
    {
      const char *date_text = relance_csv_get_field (csv, r, date_col);
      const char *value_text = relance_csv_get_field (csv, r, value_col);
      RelanceRateObservation obs = { 0 };

      g_date_clear (&obs.date, 1);
      if (key_col >= 0 && !g_str_equal (relance_csv_get_field (csv, r, key_col), ECB_SERIES_KEY))
        {
          g_autofree char *why = g_strdup_printf (_("line %u belongs to another series, %s"),
                                                  relance_csv_get_line (csv, r),
                                                  relance_csv_get_field (csv, r, key_col));
          set_invalid (error, series, why);
          return NULL;
        }
      if (!(boe ? parse_boe_date (date_text, &obs.date) : parse_iso_date (date_text, &obs.date)))
        {
          /* Translators: %u is a line number, %s the text found instead of a date */
          g_autofree char *why = g_strdup_printf (_("line %u has “%s” where a date should be"),
                                                  relance_csv_get_line (csv, r), date_text);
          set_invalid (error, series, why);
          return NULL;
        }
      if (!parse_percent (value_text, &obs.bp))
        {
          /* Translators: %u is a line number, %s the text found instead of a rate */
          g_autofree char *why = g_strdup_printf (_("line %u has “%s” where a rate should be"),
                                                  relance_csv_get_line (csv, r), value_text);
          set_invalid (error, series, why);
          return NULL;
        }
      if (obs.bp < MIN_SANE_BP || obs.bp > MAX_SANE_BP)
        {
          /* Translators: %u is a line number, %s a rate as sent ("45.00") */
          g_autofree char *why = g_strdup_printf (_("line %u gives a rate of %s %%, outside "
                                                    "-1 %% to 25 %%"),
                                                  relance_csv_get_line (csv, r), value_text);
          set_invalid (error, series, why);
          return NULL;
        }
      g_array_append_val (observations, obs);
    }

  if (observations->len == 0)
    {
      set_invalid (error, series, _("the series has no values"));
      return NULL;
    }

  g_array_sort (observations, compare_observations);
  for (guint i = 1; i < observations->len; i++)
    {
      RelanceRateObservation *prev = &g_array_index (observations, RelanceRateObservation, i - 1);
      RelanceRateObservation *obs = &g_array_index (observations, RelanceRateObservation, i);

      if (g_date_compare (&prev->date, &obs->date) == 0 && prev->bp != obs->bp)
        {
          set_invalid (error, series, _("one day has two different rates"));
          return NULL;
        }
    }
  return g_steal_pointer (&observations);
}

/* ---- from changes to half-years ------------------------------------------------------ */

/* The rate in force on @day: the latest observation on or before it, or FALSE. */
static gboolean
rate_on (GArray      *observations,
         const GDate *day,
         int         *out_bp)
{
  gboolean found = FALSE;

  for (guint i = 0; i < observations->len; i++)
    {
      const RelanceRateObservation *obs = &g_array_index (observations,
                                                          RelanceRateObservation, i);

      if (g_date_compare (&obs->date, day) > 0)
        break;
      *out_bp = obs->bp;
      found = TRUE;
    }
  return found;
}

GArray *
relance_rates_half_years (RelanceRateSeries   series,
                          GArray             *observations,
                          const GDate        *today,
                          GError            **error)
{
  g_autoptr(GArray) result = g_array_new (FALSE, FALSE, sizeof (RelanceHalfYearRate));
  int today_year, today_half;

  g_return_val_if_fail (observations != NULL && today != NULL, NULL);

  relance_half_year_of_date (today, &today_year, &today_half);
  for (int year = FIRST_YEAR; year <= today_year; year++)
    for (int half = 1; half <= 2; half++)
      {
        RelanceHalfYearRate rate = { year, half, 0 };
        GDate day;

        if (year == today_year && half > today_half)
          break;
        g_date_clear (&day, 1);
        if (series == RELANCE_RATE_SERIES_BOE)
          {
            /* The Late Payment Act's reference rate: the Bank Rate on the last day of the
             * previous half-year. */
            if (half == 1)
              g_date_set_dmy (&day, 31, G_DATE_DECEMBER, year - 1);
            else
              g_date_set_dmy (&day, 30, G_DATE_JUNE, year);
          }
        else
          /* L441-10: the rate of the ECB's latest operation, i.e. the one in force on the
           * first day of the half-year. */
          g_date_set_dmy (&day, 1, half == 1 ? G_DATE_JANUARY : G_DATE_JULY, year);

        if (rate_on (observations, &day, &rate.bp))
          g_array_append_val (result, rate);
      }

  if (result->len == 0)
    {
      set_invalid (error, series, _("it covers no half-year since 2020"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* ---- storing ------------------------------------------------------------------------- */

RelanceRatesUpdate *
relance_rates_apply (RelanceStore       *store,
                     RelanceRateSeries   series,
                     GArray             *half_years,
                     GDateTime          *fetched_at,
                     GError            **error)
{
  g_autoptr(RelanceRatesUpdate) update = g_new0 (RelanceRatesUpdate, 1);
  const RelanceHalfYearRate *first, *last;

  g_return_val_if_fail (half_years != NULL && half_years->len > 0, NULL);

  update->series = series;
  update->notes = g_ptr_array_new_with_free_func (g_free);
  first = &g_array_index (half_years, RelanceHalfYearRate, 0);
  last = &g_array_index (half_years, RelanceHalfYearRate, half_years->len - 1);
  update->first_year = first->year;
  update->first_half = first->half;
  update->last_year = last->year;
  update->last_half = last->half;

  if (!relance_store_begin (store, error))
    return NULL;
  for (guint i = 0; i < half_years->len; i++)
    {
      const RelanceHalfYearRate *rate = &g_array_index (half_years, RelanceHalfYearRate, i);
      RelanceRateSaveOutcome outcome;
      int previous_bp;
      g_autofree char *name = NULL;
      g_autofree char *old_text = NULL;
      g_autofree char *new_text = NULL;

      if (!relance_store_save_rate_full (store, series, rate->year, rate->half, rate->bp,
                                         source_of (series), fetched_at, &outcome,
                                         &previous_bp, error))
        {
          relance_store_rollback (store);
          return NULL;
        }

      name = relance_half_year_format (rate->year, rate->half);
      old_text = format_half_year_rate (previous_bp);
      new_text = format_half_year_rate (rate->bp);
      switch (outcome)
        {
        case RELANCE_RATE_SAVE_ADDED:
          update->n_added++;
          break;
        case RELANCE_RATE_SAVE_CHANGED:
          update->n_changed++;
          g_ptr_array_add (update->notes,
                           /* Translators: a half-year (2025-H2), two rates, a service */
                           g_strdup_printf (_("%s: %s changed to %s according to %s."),
                                            name, old_text, new_text,
                                            relance_rates_service_name (series)));
          break;
        case RELANCE_RATE_SAVE_UNCHANGED:
          update->n_unchanged++;
          break;
        case RELANCE_RATE_SAVE_KEPT_USER:
          update->n_kept_user++;
          if (previous_bp != rate->bp)
            g_ptr_array_add (update->notes,
                             /* Translators: a half-year (2025-H2), a rate, a service, a
                              * rate; keep the command as is. */
                             g_strdup_printf (_("%s: kept %s, the rate you set, although %s "
                                                "gives %s (“relance rate set” changes it)."),
                                              name, old_text,
                                              relance_rates_service_name (series), new_text));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (!relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return NULL;
    }
  return g_steal_pointer (&update);
}

char *
relance_rates_update_describe (const RelanceRatesUpdate *update)
{
  GString *out = g_string_new (NULL);
  g_autofree char *first = relance_half_year_format (update->first_year, update->first_half);
  g_autofree char *last = relance_half_year_format (update->last_year, update->last_half);
  const char *service = relance_rates_service_name (update->series);

  if (update->n_added > 0)
    g_string_append_printf (out,
                            /* Translators: %u half-years, then a service, then the range of
                             * half-years such as "2020-H1 to 2026-H1" */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Stored %u new half-year rate from %s (%s to %s).",
                                         "Stored %u new half-year rates from %s (%s to %s).",
                                         update->n_added),
                            update->n_added, service, first, last);
  else if (update->n_changed == 0)
    g_string_append_printf (out,
                            /* Translators: a service, then two half-years */
                            _("The rates are up to date with %s (%s to %s)."),
                            service, first, last);
  for (guint i = 0; i < update->notes->len; i++)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, g_ptr_array_index (update->notes, i));
    }
  return g_string_free (out, FALSE);
}

/* ---- fetching ------------------------------------------------------------------------ */

typedef struct
{
  RelanceStore      *store;
  RelanceRateSeries  series;
  guint              timeout;
  SoupSession       *session;
  SoupMessage       *message;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->message);
  g_clear_object (&data->session);
  g_free (data);
}

/* The rates the penalties keep using, for the sentences of a failed fetch. */
static char *
kept_rates_sentence (RelanceRateSeries series)
{
  g_autoptr(RelanceRateTable) shipped = relance_rate_table_new_shipped (series);
  guint n = relance_rate_table_get_n_entries (shipped);
  const RelanceRateEntry *last = relance_rate_table_get_entry (shipped, n - 1);
  g_autofree char *name = relance_half_year_format (last->year, last->half);

  /* Translators: %s is a half-year such as 2026-H1 */
  return g_strdup_printf (_("Relance keeps using the rates it has (shipped table up to %s, "
                            "and those set by hand)."), name);
}

static void
return_transport_error (GTask     *task,
                        FetchData *data,
                        GError    *error)
{
  const char *service = relance_rates_service_name (data->series);
  g_autofree char *kept = kept_rates_sentence (data->series);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_TEMPORARY,
                             /* Translators: a service, seconds, then a sentence */
                             g_dngettext (GETTEXT_PACKAGE,
                                          "No answer came from %s within %u second. %s",
                                          "No answer came from %s within %u seconds. %s",
                                          data->timeout),
                             service, data->timeout, kept);
  else if (error->domain == G_TLS_ERROR)
    g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CERTIFICATE,
                             /* Translators: a service, the technical reason, a sentence */
                             _("The identity of %s could not be verified (%s), so its answer "
                               "was not read. %s"),
                             service, error->message, kept);
  else
    g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE,
                             /* Translators: a service, the technical reason, a sentence */
                             _("Could not reach %s (%s); check the network connection. %s"),
                             service, error->message, kept);
}

static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GArray) observations = NULL;
  g_autoptr(GArray) half_years = NULL;
  g_autoptr(GDateTime) now = NULL;
  RelanceRatesUpdate *update;
  const char *content_type;
  GDate today;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      return_transport_error (task, data, error);
      return;
    }

  status = soup_message_get_status (data->message);
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *kept = kept_rates_sentence (data->series);

      g_task_return_new_error (task, RELANCE_MAIL_ERROR,
                               status >= 500 ? RELANCE_MAIL_ERROR_TEMPORARY
                                             : RELANCE_MAIL_ERROR_PERMANENT,
                               /* Translators: a service, an HTTP status such as 404 and its
                                * reason ("Not Found"), a sentence */
                               _("The answer of %s was “%u %s” instead of the rates. %s"),
                               relance_rates_service_name (data->series), status,
                               soup_message_get_reason_phrase (data->message), kept);
      return;
    }

  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (data->message), NULL);
  if (content_type != NULL && g_ascii_strcasecmp (content_type, "text/html") == 0)
    {
      set_invalid (&error, data->series, _("a web page came instead of the data"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (body) > MAX_BODY_SIZE)
    {
      set_invalid (&error, data->series, _("the answer is far too large"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  now = relance_clock_now ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if ((observations = relance_rates_parse (data->series, body, &error)) == NULL
      || (half_years = relance_rates_half_years (data->series, observations, &today,
                                                 &error)) == NULL
      || (update = relance_rates_apply (data->store, data->series, half_years, now,
                                        &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, update, (GDestroyNotify) relance_rates_update_free);
}

void
relance_rates_fetch_async (RelanceStore        *store,
                           RelanceRateSeries    series,
                           guint                timeout_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *attempt = NULL;
  FetchData *data;

  g_return_if_fail (RELANCE_IS_STORE (store));
  g_return_if_fail (series == RELANCE_RATE_SERIES_ECB || series == RELANCE_RATE_SERIES_BOE);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relance_rates_fetch_async);
  data = g_new0 (FetchData, 1);
  data->store = g_object_ref (store);
  data->series = series;
  data->timeout = timeout_seconds > 0 ? timeout_seconds : RELANCE_RATES_DEFAULT_TIMEOUT;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  /* Recorded before trying, so that a fetch that never finishes still counts. */
  attempt = g_date_time_format_iso8601 (now);
  if (!relance_store_set_setting (store, RELANCE_RATES_SETTING_LAST_ATTEMPT, attempt, &error))
    g_debug ("Could not record the rates fetch attempt: %s", error->message);

  url = relance_rates_url (series);
  data->message = soup_message_new (SOUP_METHOD_GET, url);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                               /* Translators: %s is a web address */
                               _("“%s” is not a valid web address."), url);
      return;
    }
  soup_message_headers_append (soup_message_get_request_headers (data->message), "Accept",
                               "text/csv, application/vnd.sdmx.data+csv, */*;q=0.1");

  /* The default session checks certificates against the system's CA database; nothing
   * here ever relaxes that. */
  data->session = soup_session_new ();
  soup_session_set_timeout (data->session, data->timeout);
  soup_session_set_idle_timeout (data->session, data->timeout);
  soup_session_set_user_agent (data->session, "Relance/" PACKAGE_VERSION);

  soup_session_send_and_read_async (data->session, data->message, G_PRIORITY_DEFAULT,
                                    cancellable, fetch_done, g_steal_pointer (&task));
}

RelanceRatesUpdate *
relance_rates_fetch_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relance_rates_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- what is missing ----------------------------------------------------------------- */

char *
relance_rates_missing_note (RelanceStore       *store,
                            RelanceRateSeries   series,
                            const GDate        *today)
{
  g_autoptr(RelanceRateTable) table = relance_store_load_rates (store, series, NULL);
  const RelanceRateEntry *last;
  GString *out;
  int year, half, key, last_key;
  guint n;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (table == NULL || (n = relance_rate_table_get_n_entries (table)) == 0)
    return NULL;
  last = relance_rate_table_get_entry (table, n - 1);
  relance_half_year_of_date (today, &year, &half);
  key = year * 2 + half - 1;
  last_key = last->year * 2 + last->half - 1;
  if (last_key >= key)
    return NULL;

  out = g_string_new (NULL);
  for (int k = last_key + 1; k <= key; k++)
    {
      g_autofree char *missing = relance_half_year_format (k / 2, k % 2 + 1);
      g_autofree char *used = relance_half_year_format (last->year, last->half);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              /* Translators: two half-years such as 2026-H2 and 2026-H1 */
                              _("%s: missing — the %s rate is used until it is known."),
                              missing, used);
    }
  return g_string_free (out, FALSE);
}

gboolean
relance_rates_update_due (RelanceStore *store,
                          GDateTime    *now)
{
  RelanceRateSeries series = relance_rates_series_for_store (store);
  g_autoptr(RelanceRateTable) table = relance_store_load_rates (store, series, NULL);
  g_autofree char *attempt_text = NULL;
  g_autoptr(GDateTime) attempt = NULL;
  const RelanceRateEntry *entry = NULL;
  gboolean fallback = TRUE;
  int year, half;
  GDate today;

  g_return_val_if_fail (now != NULL, FALSE);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  relance_half_year_of_date (&today, &year, &half);
  if (table != NULL
      && relance_rate_table_lookup (table, year, half, &entry, &fallback, NULL)
      && !fallback && g_strcmp0 (entry->source, "shipped") != 0)
    return FALSE;

  attempt_text = relance_store_get_setting (store, RELANCE_RATES_SETTING_LAST_ATTEMPT);
  if (attempt_text != NULL)
    attempt = g_date_time_new_from_iso8601 (attempt_text, NULL);
  return attempt == NULL || g_date_time_difference (now, attempt) >= G_TIME_SPAN_DAY
         || g_date_time_difference (now, attempt) < 0;
}
