/* relance-einvoice-values.c: the values of an e-invoice as EN 16931 writes them: decimal
 * amounts into minor units, CII and UBL dates, a due date from payment terms in words,
 * codes, addresses and company numbers cleaned up. */
#include "config.h"

#include "relance-einvoice-private.h"
#include "relance-date.h"
#include "relance-money.h"

/* Longest payment term read from a text ("N days"): beyond a year it is not a due date. */
#define MAX_TERM_DAYS 366

/* How payment terms say "to the end of that month", in French and English. */
#define END_OF_MONTH "(?:fin\\s+de\\s+mois|end\\s+of\\s+(?:the\\s+)?month|eom)"
/* ---- Values ---------------------------------------------------------------------------- */

typedef enum
{
  DECIMAL_OK,
  DECIMAL_NOT_A_NUMBER,
  DECIMAL_TOO_PRECISE,
  DECIMAL_TOO_LARGE,
} DecimalResult;

/* An xsd:decimal ("-1234.50", "+.5", "12.") into minor units with @digits decimals.
 * Zeros beyond @digits are fine (amounts often come with four decimals); any other digit
 * there would be lost, so it is refused. */
static DecimalResult
decimal_to_minor (const char *text,
                  int         digits,
                  gint64     *out_minor)
{
  const char *p = text;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gint64 units = 0;
  gint64 fraction = 0;
  int n_decimals = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++)
    {
      any_digit = TRUE;
      units = units * 10 + (*p - '0');
      if (units > RELANCE_MONEY_MAX_UNITS)
        return DECIMAL_TOO_LARGE;
    }
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        {
          any_digit = TRUE;
          n_decimals++;
          if (n_decimals <= digits)
            fraction = fraction * 10 + (*p - '0');
          else if (*p != '0')
            return DECIMAL_TOO_PRECISE;
        }
    }
  if (!any_digit || *p != '\0')
    return DECIMAL_NOT_A_NUMBER;
  for (int i = MIN (n_decimals, digits); i < digits; i++)
    fraction *= 10;
  for (int i = 0; i < digits; i++)
    units *= 10;
  *out_minor = negative ? -(units + fraction) : units + fraction;
  return DECIMAL_OK;
}

/* Reads the amount of business term @term (e.g. "BT-112") from @node into @out_minor, signed.
 * Returns FALSE with @error set when it is unreadable; *@out_present tells whether the
 * invoice gave it at all. */
gboolean
relance_einvoice_read_amount (xmlNode     *node,
                              const char  *term,
                              const char  *currency,
                              gboolean    *out_present,
                              gint64      *out_minor,
                              GError     **error)
{
  g_autofree char *text = relance_einvoice_node_text (node);
  g_autofree char *amount_currency = relance_einvoice_node_attribute (node, "currencyID");

  *out_present = FALSE;
  *out_minor = 0;
  if (text == NULL)
    return TRUE;

  if (amount_currency != NULL && g_ascii_strcasecmp (amount_currency, currency) != 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is a business term of EN 16931 such as "BT-112",
                    * then two ISO 4217 currency codes */
                   _("The amount %s is given in %s while the invoice is in %s."),
                   term, amount_currency, currency);
      return FALSE;
    }

  switch (decimal_to_minor (text, relance_currency_digits (currency), out_minor))
    {
    case DECIMAL_OK:
      *out_present = TRUE;
      return TRUE;
    case DECIMAL_TOO_PRECISE:
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is a business term of EN 16931 such as "BT-112",
                    * the second an ISO 4217 currency code, the third the amount as written in
                    * the file */
                   _("The amount %s has more decimals than %s allows: “%s”."),
                   term, currency, text);
      return FALSE;
    case DECIMAL_TOO_LARGE:
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is a business term of EN 16931 such as "BT-112",
                    * the second the amount as written in the file */
                   _("The amount %s is too large to be a real invoice amount: “%s”."),
                   term, text);
      return FALSE;
    case DECIMAL_NOT_A_NUMBER:
    default:
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is a business term of EN 16931 such as "BT-112",
                    * the second the text found in the file */
                   _("The amount %s is not a number: “%s”."), term, text);
      return FALSE;
    }
}

/* CII dates: udt:DateTimeString with format 102, YYYYMMDD (the only format EN 16931 uses). */
gboolean
relance_einvoice_parse_cii_date (xmlNode *node,
                                 GDate   *out_date)
{
  g_autofree char *text = relance_einvoice_node_text (node);
  g_autofree char *format = relance_einvoice_node_attribute (node, "format");
  int year, month, day;

  if (text == NULL || (format != NULL && strcmp (format, "102") != 0) || strlen (text) != 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[4] - '0') * 10 + (text[5] - '0');
  day = (text[6] - '0') * 10 + (text[7] - '0');
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (out_date, day, month, year);
  return TRUE;
}

/* UBL dates: xsd:date, YYYY-MM-DD with an optional time zone ("Z", "+01:00") that does not
 * change which day it is for the seller. */
gboolean
relance_einvoice_parse_ubl_date (xmlNode *node,
                                 GDate   *out_date)
{
  g_autofree char *text = relance_einvoice_node_text (node);
  const char *zone;

  if (text == NULL || strlen (text) < 10)
    return FALSE;
  zone = text + 10;
  if (!(*zone == '\0' || g_str_equal (zone, "Z")
        || ((zone[0] == '+' || zone[0] == '-') && strlen (zone) == 6 && zone[3] == ':')))
    return FALSE;
  text[10] = '\0';
  return relance_date_from_iso (text, out_date);
}

/* BT-9 is optional when the terms say it in words. Reads "30 days", "Net 30", "30 jours",
 * "45 jours fin de mois"; with several ("2 % within 10 days, net 30") the longest wins, since
 * the shorter ones are early-payment discounts. */
gboolean
relance_einvoice_due_date_from_terms (const char  *terms,
                                      const GDate *issue,
                                      GDate       *out_due)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  int best = -1;
  gboolean best_end_of_month = FALSE;

  if (terms == NULL || !g_date_valid (issue))
    return FALSE;
  regex = g_regex_new ("\\bnet\\s*(\\d{1,3})\\b(\\s*(?:days?|jours?))?(\\s*" END_OF_MONTH ")?"
                       "|\\b(\\d{1,3})\\s*(?:days?|jours?|j)\\b(\\s*(?:net\\s*)?" END_OF_MONTH ")?",
                       G_REGEX_CASELESS, 0, NULL);
  g_return_val_if_fail (regex != NULL, FALSE);

  g_regex_match (regex, terms, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *net = g_match_info_fetch (match, 1);
      g_autofree char *net_eom = g_match_info_fetch (match, 3);
      g_autofree char *days = g_match_info_fetch (match, 4);
      g_autofree char *days_eom = g_match_info_fetch (match, 5);
      gboolean is_net = net != NULL && *net != '\0';
      int n = atoi (is_net ? net : days);
      gboolean end_of_month = is_net ? (net_eom != NULL && *net_eom != '\0')
                                     : (days_eom != NULL && *days_eom != '\0');

      if (n > best && n <= MAX_TERM_DAYS)
        {
          best = n;
          best_end_of_month = end_of_month;
        }
      g_match_info_next (match, NULL);
    }
  if (best < 0)
    return FALSE;

  *out_due = *issue;
  g_date_add_days (out_due, best);
  /* French "45 jours fin de mois": 45 days, then to the end of that month, the more common
   * of the two readings French practice accepts (the other ends the month first). */
  if (best_end_of_month)
    g_date_set_day (out_due, g_date_get_days_in_month (g_date_get_month (out_due),
                                                       g_date_get_year (out_due)));
  return TRUE;
}

gboolean
relance_einvoice_code_in (const char         *code,
                          const char * const *codes,
                          gsize               n_codes)
{
  for (gsize i = 0; i < n_codes; i++)
    if (g_str_equal (code, codes[i]))
      return TRUE;
  return FALSE;
}

char *
relance_einvoice_clean_email (char *text)
{
  g_autofree char *owned = text;
  const char *address = text;

  if (text == NULL)
    return NULL;
  if (g_ascii_strncasecmp (address, "mailto:", 7) == 0)
    address = address + 7;
  /* Anything without an "@" is not an address to send reminders to. */
  if (strchr (address, '@') == NULL || strchr (address, ' ') != NULL)
    return NULL;
  return g_strdup (address);
}

/* BT-47 only when it is a SIREN or SIRET (ISO 6523 schemes 0002 and 0009, or a bare number of
 * 9 or 14 digits): a German register number in this field would mislead whoever reads it. */
char *
relance_einvoice_clean_siren (char       *text,
                              const char *scheme)
{
  g_autofree char *owned = text;
  g_autoptr(GString) digits = g_string_new (NULL);

  if (text == NULL)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '.')
      g_string_append_c (digits, *p);
  if (scheme != NULL && *scheme != '\0')
    return g_str_equal (scheme, "0002") || g_str_equal (scheme, "0009")
           ? g_string_free (g_steal_pointer (&digits), FALSE) : NULL;
  if (digits->len != 9 && digits->len != 14)
    return NULL;
  for (gsize i = 0; i < digits->len; i++)
    if (!g_ascii_isdigit (digits->str[i]))
      return NULL;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

char *
relance_einvoice_clean_country (char *text)
{
  g_autofree char *owned = text;

  if (text == NULL || strlen (text) != 2 || !g_ascii_isalpha (text[0])
      || !g_ascii_isalpha (text[1]))
    return NULL;
  return g_ascii_strup (text, -1);
}

/* A company number (BT-47) from its node, with the scheme it names. */
char *
relance_einvoice_siren_of (xmlNode *node)
{
  g_autofree char *scheme = relance_einvoice_node_attribute (node, "schemeID");

  return relance_einvoice_clean_siren (relance_einvoice_node_text (node), scheme);
}
