/* relance-date.c: parsing and formatting calendar dates. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "relance-date.h"
#include "relance-error.h"

static gboolean
set_checked (GDate *out, int year, int month, int day)
{
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Reads exactly N digits (or 1..N when @flexible) from *p. */
static gboolean
read_number (const char **p, int min_digits, int max_digits, int *out)
{
  int n = 0, value = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      value = value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min_digits || g_ascii_isdigit (**p))
    return FALSE;
  *out = value;
  return TRUE;
}

/* Month names as French and English invoicing tools and spreadsheets write them, full or
 * short, compared without accents, case or a trailing dot ("oct.", "févr", "Sept"). */
static const struct { const char *name; int month; } month_names[] = {
  { "january", 1 }, { "jan", 1 }, { "janvier", 1 }, { "janv", 1 },
  { "february", 2 }, { "feb", 2 }, { "fevrier", 2 }, { "fevr", 2 }, { "fev", 2 },
  { "march", 3 }, { "mar", 3 }, { "mars", 3 },
  { "april", 4 }, { "apr", 4 }, { "avril", 4 }, { "avr", 4 },
  { "may", 5 }, { "mai", 5 },
  { "june", 6 }, { "jun", 6 }, { "juin", 6 },
  { "july", 7 }, { "jul", 7 }, { "juillet", 7 }, { "juil", 7 },
  { "august", 8 }, { "aug", 8 }, { "aout", 8 },
  { "september", 9 }, { "sep", 9 }, { "sept", 9 }, { "septembre", 9 },
  { "october", 10 }, { "oct", 10 }, { "octobre", 10 },
  { "november", 11 }, { "nov", 11 }, { "novembre", 11 },
  { "december", 12 }, { "dec", 12 }, { "decembre", 12 },
};

static int
month_from_name (const char *word)
{
  g_autofree char *folded = g_utf8_strdown (word, -1);
  g_autofree char *ascii = g_str_to_ascii (folded, "C");

  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (strcmp (ascii, month_names[i].name) == 0)
      return month_names[i].month;
  return 0;
}

/* "Oct 31, 2026", "31 Oct 2026", "31-oct.-2026", "31 octobre 2026", "October 31 2026",
 * optionally followed by a time: three words, one of them a month name. */
static gboolean
parse_with_month_name (const char *text,
                       GDate      *out_date)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  int month = 0, day = 0, year = 0;
  guint month_at = G_MAXUINT;

  /* Words are separated by blanks and the punctuation dates use: "31-oct.-2026". */
  words = g_strsplit_set (text, " \t,./-", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (parts, words[i]);
  /* A time after the date ("31 Oct 2026 00:00") is dropped. */
  if (parts->len > 3 && strchr (g_ptr_array_index (parts, 3), ':') != NULL)
    g_ptr_array_set_size (parts, 3);
  if (parts->len != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      int m = month_from_name (g_ptr_array_index (parts, i));

      if (m != 0)
        {
          if (month != 0)
            return FALSE;
          month = m;
          month_at = i;
        }
    }
  if (month == 0 || month_at == 2)
    return FALSE;
  for (guint i = 0, k = 0; i < 3; i++)
    {
      const char *p = g_ptr_array_index (parts, i);
      int value;

      if (i == month_at)
        continue;
      if (!read_number (&p, 1, 4, &value) || *p != '\0')
        return FALSE;
      if (k++ == 0)
        day = value;
      else
        year = value;
    }
  if (year < 100)
    year += 2000;
  return set_checked (out_date, year, month, day);
}

int
relance_date_order_hint (const char *text)
{
  const char *p = text;
  int a, b;
  char sep;

  if (p == NULL)
    return -1;
  while (*p == ' ')
    p++;
  if (!read_number (&p, 1, 2, &a))
    return -1;
  sep = *p;
  if (sep != '/' && sep != '.' && sep != '-')
    return -1;
  p++;
  if (!read_number (&p, 1, 2, &b) || *p != sep)
    return -1;
  if (a > 12 && a <= 31 && b <= 12)
    return RELANCE_DATE_ORDER_DMY;
  if (b > 12 && b <= 31 && a <= 12)
    return RELANCE_DATE_ORDER_MDY;
  return -1;
}

gboolean
relance_date_parse (const char        *text,
                    RelanceDateOrder   order,
                    GDate             *out_date,
                    GError           **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  int a, b, c;
  char sep;

  g_return_val_if_fail (out_date != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  p = trimmed;
  if (*p == '\0')
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, _("The date is empty."));
      return FALSE;
    }

  /* YYYY-MM-DD, optionally followed by a time that we ignore (ISO timestamps). */
  if (read_number (&p, 4, 4, &a) && *p == '-')
    {
      p++;
      if (read_number (&p, 1, 2, &b) && *p == '-')
        {
          p++;
          if (read_number (&p, 1, 2, &c) && (*p == '\0' || *p == 'T' || *p == ' ')
              && set_checked (out_date, a, b, c))
            return TRUE;
        }
      goto bad;
    }

  /* Month names are rare next to numeric dates: only text with a letter is split. */
  for (p = trimmed; *p != '\0' && !g_ascii_isalpha (*p) && !((guchar) *p & 0x80); p++)
    ;
  if (*p != '\0' && parse_with_month_name (trimmed, out_date))
    return TRUE;

  p = trimmed;
  if (!read_number (&p, 1, 2, &a))
    goto bad;
  sep = *p;
  if (sep != '/' && sep != '.' && sep != '-')
    goto bad;
  p++;
  if (!read_number (&p, 1, 2, &b) || *p != sep)
    goto bad;
  p++;
  if (!read_number (&p, 4, 4, &c))
    {
      /* D/M/YY: a two-digit year is this century's; invoices are not from the 1900s. */
      p = strrchr (trimmed, sep) + 1;
      if (!read_number (&p, 2, 2, &c))
        goto bad;
      c += 2000;
    }
  while (*p == ' ')
    p++;
  /* Spreadsheets often append a time: "31/12/2026 00:00" */
  if (*p != '\0' && !g_ascii_isdigit (*p))
    goto bad;

  if (order == RELANCE_DATE_ORDER_MDY ? set_checked (out_date, c, a, b)
                                      : set_checked (out_date, c, b, a))
    return TRUE;

bad:
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               order == RELANCE_DATE_ORDER_MDY
               /* Translators: %s is the text that was read from a file or typed */
               ? _("“%s” is not a valid date (expected MM/DD/YYYY or YYYY-MM-DD).")
               /* Translators: %s is the text that was read from a file or typed */
               : _("“%s” is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)."),
               trimmed);
  return FALSE;
}

/* The --date-format option: "DD/MM/YYYY" (default), "MM/DD/YYYY", "YYYY-MM-DD". */
gboolean
relance_date_parse_format (const char        *format,
                           RelanceDateOrder  *out_order,
                           GError           **error)
{
  g_autofree char *up = g_ascii_strup (format != NULL ? format : "", -1);

  if (g_str_has_prefix (up, "DD") || g_str_has_prefix (up, "YYYY") || g_str_has_prefix (up, "%D"))
    {
      *out_order = RELANCE_DATE_ORDER_DMY;
      return TRUE;
    }
  if (g_str_has_prefix (up, "MM") || g_str_has_prefix (up, "%M"))
    {
      *out_order = RELANCE_DATE_ORDER_MDY;
      return TRUE;
    }
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is the value of the --date-format option; keep the formats as is */
               _("Unknown date format “%s”: use DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD."), format);
  return FALSE;
}

/* Strict YYYY-MM-DD, as the store writes it; hot in the planner, so no sscanf. */
gboolean
relance_date_from_iso (const char *text,
                       GDate      *out_date)
{
  int y = 0, m = 0, d = 0;

  if (text == NULL)
    return FALSE;
  for (int i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  if (text[10] != '\0')
    return FALSE;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  return set_checked (out_date, y, m, d);
}

char *
relance_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Short dates as each language writes them: 26/11/2026 in French, 26 Nov 2026 in
 * English (day-first, readable on both sides of the Atlantic). */
char *
relance_date_format (const GDate *date,
                     const char  *language)
{
  static const char *months_en[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  if (language != NULL && g_str_has_prefix (language, "en"))
    return g_strdup_printf ("%u %s %04u", g_date_get_day (date),
                            months_en[g_date_get_month (date) - 1], g_date_get_year (date));
  return g_strdup_printf ("%02u/%02u/%04u", g_date_get_day (date), g_date_get_month (date),
                          g_date_get_year (date));
}

int
relance_date_days_between (const GDate *from,
                           const GDate *to)
{
  return g_date_days_between (from, to);
}

void
relance_date_from_date_time (GDateTime *date_time,
                             GDate     *out_date)
{
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, (GDateDay) g_date_time_get_day_of_month (date_time),
                  (GDateMonth) g_date_time_get_month (date_time),
                  (GDateYear) g_date_time_get_year (date_time));
}

/* Dates are read and written once per row of an import: plain digit arithmetic, no
 * scanf/printf. */
guint32
relance_date_julian_from_iso (const char *text)
{
  GDate date;
  int y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return 0;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

void
relance_date_julian_to_iso (guint32 julian,
                            char    out[11])
{
  GDate date;
  guint y, m, d;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  y = g_date_get_year (&date);
  m = g_date_get_month (&date);
  d = g_date_get_day (&date);
  out[0] = (char) ('0' + y / 1000 % 10);
  out[1] = (char) ('0' + y / 100 % 10);
  out[2] = (char) ('0' + y / 10 % 10);
  out[3] = (char) ('0' + y % 10);
  out[4] = '-';
  out[5] = (char) ('0' + m / 10);
  out[6] = (char) ('0' + m % 10);
  out[7] = '-';
  out[8] = (char) ('0' + d / 10);
  out[9] = (char) ('0' + d % 10);
  out[10] = '\0';
}
