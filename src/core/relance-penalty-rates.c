/* relance-penalty-rates.c: the reference rates per half-year (ECB, French legal rate, Bank
 * of England), as shipped and as set by hand; rates and half-years as text. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-penalty-private.h"

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

const char *
relance_penalty_series_name (RelanceRateSeries series)
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
                     relance_penalty_series_name (table->series), name, name);
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                     /* Translators: the first %s is the name of a rate, the second a
                      * half-year such as 2021-H2. */
                     _("No %s is known for %s or any earlier half-year, so late-payment "
                       "interest cannot be computed for that period."),
                     relance_penalty_series_name (table->series), name);
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

const RelanceRateTable *
relance_penalty_shipped_table (RelanceRateSeries series)
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
