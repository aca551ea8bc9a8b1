/* relance-penalty.c: late-payment interest and recovery indemnities (France L441-10, EU
 * directive 2011/7/EU, UK Late Payment Act 1998), rates kept per half-year, all in integer
 * arithmetic rounded once per invoice.
 * (Over 800 lines: three jurisdictions' rules, tables of rates and one rounding.) */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-money.h"
#include "relance-penalty.h"

/* Interest is amount × rate (bp) × days / (10000 × 365): the statutory texts count an
 * ordinary year, and French practice keeps 365 even in leap years. */
#define INTEREST_DENOMINATOR G_GUINT64_CONSTANT (3650000)

/* The euro (and the ECB) started in 1999; past 2199 is a typing mistake. */
#define FIRST_YEAR 1999
#define LAST_YEAR  2199

struct _RelanceRateTable
{
  RelanceRateSeries series;
  GArray           *entries; /* RelanceRateEntry sorted by half-year; each owns its source */
};

typedef struct
{
  int year;
  int half;
  int bp;
} ShippedRate;

/* ECB main refinancing operations rate in force on 1 January / 1 July (L441-10 takes the
 * rate of the ECB's latest operation before each half-year). The hike to 0.50 % came on
 * 27 July 2022, so 2022-H2 is still 0.00 %. */
static const ShippedRate ecb_rates[] = {
  { 2022, 1, 0 },
  { 2022, 2, 0 },
  { 2023, 1, 250 },
  { 2023, 2, 400 },
  { 2024, 1, 450 },
  { 2024, 2, 425 },
  { 2025, 1, 315 },
  { 2025, 2, 215 },
  { 2026, 1, 215 },
};

/* French legal interest rate for creditors who are not consumers ("autres cas"), published
 * by arrêté each half-year. Only used as the floor of a contractual rate (3 ×). */
static const ShippedRate fr_legal_rates[] = {
  { 2022, 1, 76 },
  { 2022, 2, 77 },
  { 2023, 1, 206 },
  { 2023, 2, 422 },
  { 2024, 1, 507 },
  { 2024, 2, 492 },
  { 2025, 1, 371 },
  { 2025, 2, 276 },
  { 2026, 1, 276 }, /* TO BE CONFIRMED against the arrêté of December 2025 */
};

typedef struct
{
  int year;
  int month;
  int day;
  int bp;
} BaseRateChange;

/* Bank of England Bank Rate, each change with the day it took effect. */
static const BaseRateChange boe_changes[] = {
  { 2020, 3, 19, 10 },
  { 2021, 12, 16, 25 },
  { 2022, 2, 3, 50 },
  { 2022, 3, 17, 75 },
  { 2022, 5, 5, 100 },
  { 2022, 6, 16, 125 },
  { 2022, 8, 4, 175 },
  { 2022, 9, 22, 225 },
  { 2022, 11, 3, 300 },
  { 2022, 12, 15, 350 },
  { 2023, 2, 2, 400 },
  { 2023, 3, 23, 425 },
  { 2023, 5, 11, 450 },
  { 2023, 6, 22, 500 },
  { 2023, 8, 3, 525 },
  { 2024, 8, 1, 500 },
  { 2024, 11, 7, 475 },
  { 2025, 2, 6, 450 },
  { 2025, 5, 8, 425 },
  { 2025, 8, 7, 400 },
  { 2025, 12, 18, 375 }, /* TO BE CONFIRMED: the December 2025 cut to 3.75 % */
};

/* The BoE reference table is derived from boe_changes for these half-years. */
#define BOE_FIRST_YEAR 2022
#define BOE_LAST_YEAR  2026
#define BOE_LAST_HALF  1

static const char *const eu_countries[] = {
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "DE", "GR", "EL", "HU", "IE",
  "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
};

/* Metropolitan France and the overseas departments, where the Code de commerce applies. */
static const char *const french_countries[] = {
  "FR", "GP", "MQ", "GF", "RE", "YT",
};

/* ---- rates as text ------------------------------------------------------------------- */

static gboolean
is_blank (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0x2009;
}

/* Returns a copy of text without blanks at either end. */
static char *
strip_blanks (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && is_blank (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !is_blank (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* Accepts "13.15", "13,15", "12.5 %", "8%": a percentage with at most two significant
 * decimals, from 0 to 100. */
gboolean
relance_rate_parse (const char  *text,
                    int         *out_bp,
                    GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *number = NULL;
  const char *p;
  int units = 0;
  int hundredths = 0;
  int n_digits = 0;
  int bp;

  g_return_val_if_fail (out_bp != NULL, FALSE);

  stripped = strip_blanks (text != NULL ? text : "");
  if (g_str_has_suffix (stripped, "%"))
    {
      stripped[strlen (stripped) - 1] = '\0';
      number = strip_blanks (stripped);
    }
  else
    number = g_strdup (stripped);

  if (*number == '\0')
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("No rate was given: write a percentage such as 12.15."));
      return FALSE;
    }

  p = number;
  if (*p == '-' || g_str_has_prefix (p, "\u2212"))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The rate “%s” is negative: a late-payment rate must be between "
                     "0 and 100 %%."), text);
      return FALSE;
    }
  if (*p == '+')
    p++;

  for (; g_ascii_isdigit (*p); p++, n_digits++)
    if (units <= 1000) /* past 100 % the exact value no longer matters */
      units = units * 10 + (*p - '0');

  if (*p == '.' || *p == ',')
    {
      int n_decimals = 0;

      for (p++; g_ascii_isdigit (*p); p++, n_decimals++, n_digits++)
        {
          if (n_decimals < 2)
            hundredths = hundredths * 10 + (*p - '0');
          else if (*p != '0')
            {
              g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("The rate “%s” has too many decimals: rates are kept to "
                             "the hundredth of a percent, such as 12.15."), text);
              return FALSE;
            }
        }
      if (n_decimals == 1)
        hundredths *= 10;
    }

  if (*p != '\0' || n_digits == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("“%s” is not a rate: write a percentage such as 12.15 or 12,15 %%."),
                   text);
      return FALSE;
    }

  bp = units * 100 + hundredths;
  if (units > 100 || bp > RELANCE_RATE_MAX_BP)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The rate “%s” is above 100 %%: a late-payment rate must be between "
                     "0 and 100 %%."), text);
      return FALSE;
    }

  *out_bp = bp;
  return TRUE;
}

/* "12,15 %" in French (with a no-break space), "12.15%" in English. */
char *
relance_rate_format (int         bp,
                     const char *language)
{
  gboolean french = language != NULL && g_str_has_prefix (language, "fr");

  g_return_val_if_fail (bp >= 0, NULL);

  if (french)
    return g_strdup_printf ("%d,%02d\u00a0%%", bp / 100, bp % 100);
  return g_strdup_printf ("%d.%02d%%", bp / 100, bp % 100);
}

/* "12.15": the form kept in the store and written for scripts. */
char *
relance_rate_to_decimal (int bp)
{
  g_return_val_if_fail (bp >= 0, NULL);

  return g_strdup_printf ("%d.%02d", bp / 100, bp % 100);
}

/* ---- half-years ---------------------------------------------------------------------- */

/* Accepts "2026-H2" (and "2026-h2", "2026-S2" as French users write semesters). */
gboolean
relance_half_year_parse (const char  *text,
                         int         *out_year,
                         int         *out_half,
                         GError     **error)
{
  g_autofree char *s = strip_blanks (text != NULL ? text : "");
  int year = 0;

  g_return_val_if_fail (out_year != NULL && out_half != NULL, FALSE);

  if (strlen (s) != 7
      || !g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1])
      || !g_ascii_isdigit (s[2]) || !g_ascii_isdigit (s[3])
      || s[4] != '-'
      || (g_ascii_toupper (s[5]) != 'H' && g_ascii_toupper (s[5]) != 'S')
      || (s[6] != '1' && s[6] != '2'))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: H1 and H2 are the two halves of a year; keep them as is,
                    * they are what the user types. */
                   _("“%s” is not a half-year: write YYYY-H1 for January to June or "
                     "YYYY-H2 for July to December, for example 2026-H2."), text);
      return FALSE;
    }

  for (int i = 0; i < 4; i++)
    year = year * 10 + (s[i] - '0');
  if (year < FIRST_YEAR || year > LAST_YEAR)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The year of “%s” is out of range: rates are kept from %d to %d."),
                   text, FIRST_YEAR, LAST_YEAR);
      return FALSE;
    }

  *out_year = year;
  *out_half = s[6] - '0';
  return TRUE;
}

char *
relance_half_year_format (int year,
                          int half)
{
  return g_strdup_printf ("%04d-H%d", year, half);
}

void
relance_half_year_of_date (const GDate *date,
                           int         *out_year,
                           int         *out_half)
{
  *out_year = g_date_get_year (date);
  *out_half = g_date_get_month (date) <= G_DATE_JUNE ? 1 : 2;
}

static int
half_year_key (int year,
               int half)
{
  return year * 2 + (half - 1);
}

/* ---- rate tables --------------------------------------------------------------------- */

static void
clear_entry (gpointer data)
{
  RelanceRateEntry *entry = data;

  g_free ((char *) entry->source);
}

RelanceRateTable *
relance_rate_table_new (RelanceRateSeries series)
{
  RelanceRateTable *table = g_new0 (RelanceRateTable, 1);

  table->series = series;
  table->entries = g_array_new (FALSE, TRUE, sizeof (RelanceRateEntry));
  g_array_set_clear_func (table->entries, clear_entry);
  return table;
}

void
relance_rate_table_free (RelanceRateTable *table)
{
  if (table == NULL)
    return;
  g_array_unref (table->entries);
  g_free (table);
}

RelanceRateTable *
relance_rate_table_copy (const RelanceRateTable *table)
{
  RelanceRateTable *copy;

  g_return_val_if_fail (table != NULL, NULL);

  copy = relance_rate_table_new (table->series);
  for (guint i = 0; i < table->entries->len; i++)
    {
      RelanceRateEntry entry = g_array_index (table->entries, RelanceRateEntry, i);

      entry.source = g_strdup (entry.source);
      g_array_append_val (copy->entries, entry);
    }
  return copy;
}

RelanceRateSeries
relance_rate_table_get_series (const RelanceRateTable *table)
{
  return table->series;
}

guint
relance_rate_table_get_n_entries (const RelanceRateTable *table)
{
  return table->entries->len;
}

const RelanceRateEntry *
relance_rate_table_get_entry (const RelanceRateTable *table,
                              guint                   index)
{
  g_return_val_if_fail (index < table->entries->len, NULL);

  return &g_array_index (table->entries, RelanceRateEntry, index);
}

/* Adds the rate of a half-year, or replaces the one already there. */
gboolean
relance_rate_table_set (RelanceRateTable  *table,
                        int                year,
                        int                half,
                        int                bp,
                        const char        *source,
                        GError           **error)
{
  RelanceRateEntry entry;
  int key = half_year_key (year, half);
  guint i;

  g_return_val_if_fail (table != NULL, FALSE);

  if (half != 1 && half != 2)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A year has two halves, 1 and 2; %d is not one of them."), half);
      return FALSE;
    }
  if (year < FIRST_YEAR || year > LAST_YEAR)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The year %d is out of range: rates are kept from %d to %d."),
                   year, FIRST_YEAR, LAST_YEAR);
      return FALSE;
    }
  if (bp < 0 || bp > RELANCE_RATE_MAX_BP)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A reference rate must be between 0 and 100 %%."));
      return FALSE;
    }

  for (i = 0; i < table->entries->len; i++)
    {
      RelanceRateEntry *e = &g_array_index (table->entries, RelanceRateEntry, i);
      int k = half_year_key (e->year, e->half);

      if (k == key)
        {
          e->bp = bp;
          g_free ((char *) e->source);
          e->source = g_strdup (source != NULL ? source : "user");
          return TRUE;
        }
      if (k > key)
        break;
    }

  entry.year = year;
  entry.half = half;
  entry.bp = bp;
  entry.source = g_strdup (source != NULL ? source : "user");
  g_array_insert_val (table->entries, i, entry);
  return TRUE;
}

static const char *
series_name (RelanceRateSeries series)
{
  switch (series)
    {
    case RELANCE_RATE_SERIES_ECB:
      return _("ECB main refinancing rate");
    case RELANCE_RATE_SERIES_BOE:
      return _("Bank of England reference rate");
    case RELANCE_RATE_SERIES_FR_LEGAL:
      return _("French legal interest rate");
    default:
      g_return_val_if_reached ("");
    }
}

/* Finds the rate of a half-year; when it is missing (a half-year newer than the shipped
 * table and not yet set by the user), takes the latest earlier one and says so. */
gboolean
relance_rate_table_lookup (const RelanceRateTable  *table,
                           int                      year,
                           int                      half,
                           const RelanceRateEntry **out_entry,
                           gboolean                *out_fallback,
                           GError                 **error)
{
  const RelanceRateEntry *found = NULL;
  int key = half_year_key (year, half);

  g_return_val_if_fail (table != NULL && out_entry != NULL, FALSE);

  for (guint i = 0; i < table->entries->len; i++)
    {
      const RelanceRateEntry *e = &g_array_index (table->entries, RelanceRateEntry, i);

      if (half_year_key (e->year, e->half) > key)
        break;
      found = e;
    }

  if (found == NULL)
    {
      g_autofree char *name = relance_half_year_format (year, half);

      if (table->series == RELANCE_RATE_SERIES_ECB)
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                     /* Translators: the first %s is the name of a rate, the others a
                      * half-year such as 2021-H2; keep the command as is. */
                     _("No %s is known for %s or any earlier half-year: set it with "
                       "“relance rate set %s PERCENT”."),
                     series_name (table->series), name, name);
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                     /* Translators: the first %s is the name of a rate, the second a
                      * half-year such as 2021-H2. */
                     _("No %s is known for %s or any earlier half-year, so late-payment "
                       "interest cannot be computed for that period."),
                     series_name (table->series), name);
      return FALSE;
    }

  *out_entry = found;
  if (out_fallback != NULL)
    *out_fallback = half_year_key (found->year, found->half) != key;
  return TRUE;
}

/* The Bank Rate in force on date, in basis points, or -1 before the shipped history. */
int
relance_boe_base_rate_on (const GDate *date)
{
  int bp = -1;

  g_return_val_if_fail (date != NULL && g_date_valid (date), -1);

  for (guint i = 0; i < G_N_ELEMENTS (boe_changes); i++)
    {
      g_autoptr(GDate) from = g_date_new_dmy (boe_changes[i].day, boe_changes[i].month,
                                              boe_changes[i].year);

      if (g_date_compare (from, date) > 0)
        break;
      bp = boe_changes[i].bp;
    }
  return bp;
}

static void
add_shipped (RelanceRateTable  *table,
             const ShippedRate *rates,
             gsize              n_rates)
{
  for (gsize i = 0; i < n_rates; i++)
    relance_rate_table_set (table, rates[i].year, rates[i].half, rates[i].bp, "shipped", NULL);
}

RelanceRateTable *
relance_rate_table_new_shipped (RelanceRateSeries series)
{
  RelanceRateTable *table = relance_rate_table_new (series);

  switch (series)
    {
    case RELANCE_RATE_SERIES_ECB:
      add_shipped (table, ecb_rates, G_N_ELEMENTS (ecb_rates));
      break;
    case RELANCE_RATE_SERIES_FR_LEGAL:
      add_shipped (table, fr_legal_rates, G_N_ELEMENTS (fr_legal_rates));
      break;
    case RELANCE_RATE_SERIES_BOE:
      /* The Act's reference rate for a half-year is the Bank Rate on the 31 December or
       * 30 June just before it. */
      for (int year = BOE_FIRST_YEAR; year <= BOE_LAST_YEAR; year++)
        for (int half = 1; half <= 2; half++)
          {
            g_autoptr(GDate) day = NULL;

            if (year == BOE_LAST_YEAR && half > BOE_LAST_HALF)
              break;
            day = half == 1 ? g_date_new_dmy (31, G_DATE_DECEMBER, year - 1)
                            : g_date_new_dmy (30, G_DATE_JUNE, year);
            relance_rate_table_set (table, year, half, relance_boe_base_rate_on (day),
                                    "shipped", NULL);
          }
      break;
    default:
      g_warn_if_reached ();
      break;
    }
  return table;
}

/* Shared read-only shipped tables, for callers that pass NULL. */
static const RelanceRateTable *
shipped_table (RelanceRateSeries series)
{
  static RelanceRateTable *tables[RELANCE_RATE_SERIES_FR_LEGAL + 1];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (int i = 0; i <= RELANCE_RATE_SERIES_FR_LEGAL; i++)
        tables[i] = relance_rate_table_new_shipped ((RelanceRateSeries) i);
      g_once_init_leave (&initialised, 1);
    }
  return tables[series];
}

/* ---- policies ------------------------------------------------------------------------ */

static gboolean
country_in (const char        *country,
            const char *const *list,
            gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (country, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The statutory policy of the seller's country (ISO 3166 code); the caller sets
 * contractual_bp when the company states its own rate. */
RelancePenaltyPolicy
relance_penalty_policy_for_country (const char *country)
{
  RelancePenaltyPolicy policy = {
    .regime = RELANCE_PENALTY_REGIME_NONE,
    .reference = RELANCE_RATE_SERIES_ECB,
    .margin_bp = 0,
    .split_by_half = TRUE,
    .contractual_bp = -1,
  };

  if (country == NULL)
    return policy;

  if (country_in (country, french_countries, G_N_ELEMENTS (french_countries)))
    {
      policy.regime = RELANCE_PENALTY_REGIME_FRANCE;
      policy.margin_bp = 1000;
    }
  else if (country_in (country, eu_countries, G_N_ELEMENTS (eu_countries)))
    {
      policy.regime = RELANCE_PENALTY_REGIME_EU;
      policy.margin_bp = 800;
    }
  else if (g_ascii_strcasecmp (country, "GB") == 0 || g_ascii_strcasecmp (country, "UK") == 0)
    {
      policy.regime = RELANCE_PENALTY_REGIME_UK;
      policy.reference = RELANCE_RATE_SERIES_BOE;
      policy.margin_bp = 800;
      /* The Act fixes the reference rate for the whole life of the debt. */
      policy.split_by_half = FALSE;
    }
  return policy;
}

/* ---- computation --------------------------------------------------------------------- */

/* a × b / d rounded half up, exactly, without a 128-bit type: with b = q·d + r and
 * a = x·d + y, a·b = d·(a·q + x·r) + y·r, and y·r < d² fits in 64 bits as d < 2^31. */
static gboolean
mul_div_round_half_up (guint64  a,
                       guint64  b,
                       guint64  d,
                       guint64 *out)
{
  guint64 q = b / d, r = b % d, x = a / d, y = a % d;
  guint64 whole, part;

  if (!g_uint64_checked_mul (&whole, a, q)
      || !g_uint64_checked_mul (&part, x, r)
      || !g_uint64_checked_add (&whole, whole, part)
      || !g_uint64_checked_add (&whole, whole, (y * r + d / 2) / d))
    return FALSE;
  *out = whole;
  return TRUE;
}

static gint64
max_minor (const char *currency)
{
  gint64 max = RELANCE_MONEY_MAX_UNITS;

  for (int i = relance_currency_digits (currency); i > 0; i--)
    max *= 10;
  return max;
}

static void
note_fallback (RelancePenalty *out,
               gboolean        fallback,
               int             year,
               int             half)
{
  if (fallback && !out->fallback)
    {
      out->fallback = TRUE;
      out->fallback_year = year;
      out->fallback_half = half;
    }
}

/* The yearly rate for the days of one half-year. */
static gboolean
segment_rate (const RelancePenaltyPolicy *policy,
              const RelanceRateTable     *rates,
              const RelanceRateTable     *legal_rates,
              int                         year,
              int                         half,
              RelancePenalty             *out,
              int                        *out_bp,
              GError                    **error)
{
  const RelanceRateEntry *entry;
  gboolean fallback = FALSE;

  if (policy->contractual_bp >= 0)
    {
      int bp = policy->contractual_bp;

      out->contractual = TRUE;
      out->floored = FALSE;
      out->reference_bp = 0;
      /* L441-10: a contractual rate may not be below three times the legal interest rate. */
      if (policy->regime == RELANCE_PENALTY_REGIME_FRANCE)
        {
          if (!relance_rate_table_lookup (legal_rates, year, half, &entry, &fallback, error))
            return FALSE;
          note_fallback (out, fallback, year, half);
          out->reference_bp = entry->bp;
          if (bp < 3 * entry->bp)
            {
              bp = 3 * entry->bp;
              out->floored = TRUE;
            }
        }
      *out_bp = bp;
      return TRUE;
    }

  if (!relance_rate_table_lookup (rates, year, half, &entry, &fallback, error))
    return FALSE;
  note_fallback (out, fallback, year, half);
  out->contractual = FALSE;
  out->floored = FALSE;
  out->reference_bp = entry->bp;
  *out_bp = entry->bp + policy->margin_bp;
  return TRUE;
}

static void
set_indemnity (const RelancePenaltyPolicy *policy,
               gint64                      outstanding_minor,
               const char                 *currency,
               RelancePenalty             *out)
{
  switch (policy->regime)
    {
    case RELANCE_PENALTY_REGIME_FRANCE:
    case RELANCE_PENALTY_REGIME_EU:
      /* D441-5 and article 6 of the directive: 40 € per invoice paid late. */
      g_strlcpy (out->indemnity_currency, "EUR", sizeof out->indemnity_currency);
      out->indemnity_minor = 4000;
      break;
    case RELANCE_PENALTY_REGIME_UK:
      {
        /* Section 5A: £40 under £1,000, £70 under £10,000, £100 above. A debt in another
         * currency is banded on its face value in major units, as we keep no exchange
         * rates; the flag lets the caller say so. */
        gint64 scale = max_minor (currency) / RELANCE_MONEY_MAX_UNITS;

        g_strlcpy (out->indemnity_currency, "GBP", sizeof out->indemnity_currency);
        out->indemnity_approximate = strcmp (currency, "GBP") != 0;
        if (outstanding_minor < 1000 * scale)
          out->indemnity_minor = 4000;
        else if (outstanding_minor < 10000 * scale)
          out->indemnity_minor = 7000;
        else
          out->indemnity_minor = 10000;
      }
      break;
    case RELANCE_PENALTY_REGIME_NONE:
      out->indemnity_minor = 0;
      break;
    default:
      g_warn_if_reached ();
      break;
    }
}

/* Fills out with the interest (simple interest from the day after the due date to as_of
 * included, each half-year at its own rate unless the policy fixes it, rounded half up
 * once) and the fixed recovery indemnity. NULL tables mean the shipped ones. Returns
 * FALSE only on bad input or a missing rate; "no penalty" is a success with a reason. */
gboolean
relance_penalty_compute (const RelancePenaltyPolicy *policy,
                         const RelanceRateTable     *rates,
                         const RelanceRateTable     *legal_rates,
                         gint64                      outstanding_minor,
                         const char                 *currency,
                         const GDate                *due,
                         const GDate                *as_of,
                         gboolean                    consumer_client,
                         RelancePenalty             *out,
                         GError                    **error)
{
  g_autoptr(GDate) day = NULL;
  guint64 rate_days = 0; /* Σ rate (bp) × days, the common numerator of all periods */
  guint64 interest;
  int year, half;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (due != NULL && as_of != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);

  if (rates == NULL)
    rates = shipped_table (policy->reference);
  if (legal_rates == NULL)
    legal_rates = shipped_table (RELANCE_RATE_SERIES_FR_LEGAL);
  if (relance_rate_table_get_series (rates) != policy->reference)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("Late-payment interest in this country is based on the %s, but "
                     "another table of rates was given."),
                   series_name (policy->reference));
      return FALSE;
    }
  if (!g_date_valid (due) || !g_date_valid (as_of))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("Late-payment penalties need a valid due date."));
      return FALSE;
    }
  if (currency == NULL || !relance_currency_is_known (currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("“%s” is not a currency code: use three capital letters such as EUR."),
                   currency != NULL ? currency : "");
      return FALSE;
    }
  if (outstanding_minor < 0 || outstanding_minor > max_minor (currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The amount left to pay must be between zero and one trillion."));
      return FALSE;
    }

  g_strlcpy (out->currency, currency, sizeof out->currency);
  out->days_late = MAX (0, g_date_days_between (due, as_of));

  if (policy->regime == RELANCE_PENALTY_REGIME_NONE && policy->contractual_bp < 0)
    {
      out->status = RELANCE_PENALTY_NO_STATUTE;
      out->reason = _("There is no statutory late-payment interest in this country.");
      return TRUE;
    }
  if (consumer_client)
    {
      out->status = RELANCE_PENALTY_CONSUMER;
      out->reason = _("Late-payment penalties and the recovery indemnity apply only "
                      "between businesses, and this client is a consumer.");
      return TRUE;
    }

  day = g_date_copy (due);
  g_date_add_days (day, 1);
  relance_half_year_of_date (day, &year, &half);

  if (out->days_late == 0 || outstanding_minor == 0)
    {
      /* The rate that will apply is still worth showing in a reminder sent before the
       * due date; a missing rate is no error yet. */
      if (!segment_rate (policy, rates, legal_rates, year, half, out, &out->rate_bp, NULL))
        out->rate_bp = 0;
      out->status = RELANCE_PENALTY_NOT_OVERDUE;
      out->reason = out->days_late == 0
                    ? _("The invoice is not overdue yet.")
                    : _("Nothing is left to pay on this invoice.");
      return TRUE;
    }

  if (!policy->split_by_half)
    {
      if (!segment_rate (policy, rates, legal_rates, year, half, out, &out->rate_bp, error))
        return FALSE;
      rate_days = (guint64) out->rate_bp * (guint64) out->days_late;
    }
  else
    {
      while (g_date_compare (day, as_of) <= 0)
        {
          g_autoptr(GDate) end = NULL;
          int bp;

          relance_half_year_of_date (day, &year, &half);
          end = half == 1 ? g_date_new_dmy (30, G_DATE_JUNE, year)
                          : g_date_new_dmy (31, G_DATE_DECEMBER, year);
          if (g_date_compare (end, as_of) > 0)
            g_date_set_julian (end, g_date_get_julian (as_of));

          if (!segment_rate (policy, rates, legal_rates, year, half, out, &bp, error))
            return FALSE;
          out->rate_bp = bp;
          rate_days += (guint64) bp * (guint64) (g_date_days_between (day, end) + 1);

          g_date_set_julian (day, g_date_get_julian (end));
          g_date_add_days (day, 1);
        }
    }

  if (!mul_div_round_half_up ((guint64) outstanding_minor, rate_days, INTEREST_DENOMINATOR,
                              &interest)
      || interest > G_MAXINT64)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The late-payment interest on this invoice is too large to compute."));
      return FALSE;
    }

  out->interest_minor = (gint64) interest;
  set_indemnity (policy, outstanding_minor, currency, out);
  out->status = RELANCE_PENALTY_APPLIES;
  out->reason = NULL;
  return TRUE;
}
