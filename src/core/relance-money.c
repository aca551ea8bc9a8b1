/* relance-money.c: parsing and formatting amounts in French and English. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-money.h"

typedef struct
{
  const char *code;
  const char *symbol;
  int         digits;
} CurrencyInfo;

/* The currencies our users invoice in; any other well-formed ISO code is accepted with
 * two decimals and shown by its code. */
static const CurrencyInfo currencies[] = {
  { "EUR", "€", 2 },
  { "GBP", "£", 2 },
  { "USD", "$", 2 },
  { "CHF", "CHF", 2 },
  { "CAD", "CA$", 2 },
  { "AUD", "A$", 2 },
  { "NZD", "NZ$", 2 },
  { "JPY", "¥", 0 },
  { "XPF", "XPF", 0 },
  { "XOF", "XOF", 0 },
  { "XAF", "XAF", 0 },
  { "MAD", "MAD", 2 },
  { "TND", "TND", 3 },
  { "SEK", "SEK", 2 },
  { "DKK", "DKK", 2 },
  { "NOK", "NOK", 2 },
  { "PLN", "PLN", 2 },
};

static const CurrencyInfo *
lookup_currency (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (g_ascii_strcasecmp (currencies[i].code, code) == 0)
      return &currencies[i];
  return NULL;
}

/* A well-formed code is three ASCII capitals; we do not keep the full ISO list. */
gboolean
relance_currency_is_known (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

int
relance_currency_digits (const char *code)
{
  const CurrencyInfo *info = lookup_currency (code);
  return info != NULL ? info->digits : 2;
}

const char *
relance_currency_symbol (const char *code)
{
  const CurrencyInfo *info = lookup_currency (code);
  return info != NULL ? info->symbol : code;
}

static gboolean
is_group_space (gunichar c)
{
  /* space, no-break space, narrow no-break space, thin space, apostrophe (Swiss) */
  return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == '\'' || c == 0x2019;
}

/* Removes a currency symbol or code at either end; returns the currency found or NULL. */
static const char *
strip_currency (GString *s)
{
  static const struct { const char *token; const char *code; } tokens[] = {
    { "EUR", "EUR" }, { "€", "EUR" }, { "GBP", "GBP" }, { "£", "GBP" },
    { "USD", "USD" }, { "US$", "USD" }, { "$", "USD" }, { "CHF", "CHF" },
    { "CAD", "CAD" }, { "AUD", "AUD" }, { "JPY", "JPY" }, { "¥", "JPY" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      gsize len = strlen (tokens[i].token);

      if (s->len >= len && strncmp (s->str, tokens[i].token, len) == 0)
        {
          g_string_erase (s, 0, len);
          return tokens[i].code;
        }
      if (s->len >= len && strcmp (s->str + s->len - len, tokens[i].token) == 0)
        {
          g_string_truncate (s, s->len - len);
          return tokens[i].code;
        }
    }
  return NULL;
}

static void
strip_spaces_at_ends (GString *s)
{
  g_autofree char *copy = NULL;
  const char *start = s->str;
  const char *end = s->str + s->len;

  while (start < end && is_group_space (g_utf8_get_char (start)) && g_utf8_get_char (start) != '\'')
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      gunichar c = g_utf8_get_char (prev);
      if (!(is_group_space (c) && c != '\'') && c != '\t')
        break;
      end = prev;
    }
  copy = g_strndup (start, end - start);
  g_string_assign (s, copy);
}

/* Which decimal convention does this text use unambiguously? */
RelanceDecimalHint
relance_money_guess_hint (const char *text)
{
  const char *last_comma;
  const char *last_dot;
  gsize digits_after = 0;
  const char *sep;

  if (text == NULL)
    return RELANCE_DECIMAL_UNKNOWN;

  last_comma = strrchr (text, ',');
  last_dot = strrchr (text, '.');
  if (last_comma != NULL && last_dot != NULL)
    return last_comma > last_dot ? RELANCE_DECIMAL_COMMA : RELANCE_DECIMAL_DOT;

  sep = last_comma != NULL ? last_comma : last_dot;
  if (sep == NULL)
    return RELANCE_DECIMAL_UNKNOWN;

  /* Two separators of one kind are thousands groups: "1.234.567" */
  if (strchr (text, *sep) != sep)
    return *sep == ',' ? RELANCE_DECIMAL_DOT : RELANCE_DECIMAL_COMMA;

  for (const char *p = sep + 1; g_ascii_isdigit (*p); p++)
    digits_after++;
  if (digits_after == 3)
    return RELANCE_DECIMAL_UNKNOWN;
  return *sep == ',' ? RELANCE_DECIMAL_COMMA : RELANCE_DECIMAL_DOT;
}

static gboolean
invalid (GError **error, const char *text, const char *reason)
{
  /* Translators: the first %s is what the user typed, the second the reason it was refused */
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               _("“%s” is not a valid amount: %s"), text, reason);
  return FALSE;
}

/* Checks that the integer part's group separators sit every three digits. */
static gboolean
groups_are_regular (const char *integer_part, char group)
{
  g_auto(GStrv) groups = g_strsplit (integer_part, (char[]){ group, 0 }, -1);
  guint n = g_strv_length (groups);

  if (n <= 1)
    return TRUE;
  if (strlen (groups[0]) < 1 || strlen (groups[0]) > 3)
    return FALSE;
  for (guint i = 1; i < n; i++)
    if (strlen (groups[i]) != 3)
      return FALSE;
  return TRUE;
}

gboolean
relance_money_parse (const char          *text,
                     const char          *default_currency,
                     RelanceDecimalHint   hint,
                     gint64              *out_minor,
                     char               **out_currency,
                     GError             **error)
{
  g_autoptr(GString) s = NULL;
  g_autoptr(GString) digits = NULL;
  const char *currency;
  const char *found;
  char decimal_sep = 0;
  char group_sep = 0;
  const char *last_comma;
  const char *last_dot;
  const char *dec;
  gsize n_decimals = 0;
  int allowed;
  gint64 units = 0;
  gint64 fraction = 0;
  gboolean negative = FALSE;
  g_autofree char *integer_part = NULL;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return invalid (error, "", _("it is empty"));

  s = g_string_new (text);
  strip_spaces_at_ends (s);
  if (s->len == 0)
    return invalid (error, text, _("it is empty"));

  if (s->str[0] == '-' || s->str[0] == '(' || g_str_has_prefix (s->str, "−"))
    negative = TRUE;
  if (s->str[0] == '+')
    g_string_erase (s, 0, 1);

  found = strip_currency (s);
  strip_spaces_at_ends (s);
  if (s->len > 0 && (s->str[0] == '-' || g_str_has_prefix (s->str, "−")))
    negative = TRUE;
  if (negative)
    return invalid (error, text, _("amounts cannot be negative"));

  currency = found != NULL ? found : default_currency;
  if (currency == NULL || !relance_currency_is_known (currency))
    return invalid (error, text, _("the currency is unknown"));

  /* Keep digits and the two possible separators; drop group spaces. */
  digits = g_string_new (NULL);
  for (const char *p = s->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (c) || c == ',' || c == '.')
        g_string_append_c (digits, (char) c);
      else if (is_group_space (c))
        continue;
      else
        return invalid (error, text, _("it contains characters that are not digits"));
    }
  if (digits->len == 0 || !g_ascii_isdigit (digits->str[0]))
    return invalid (error, text, _("it has no digits before the separator"));

  last_comma = strrchr (digits->str, ',');
  last_dot = strrchr (digits->str, '.');

  if (last_comma != NULL && last_dot != NULL)
    {
      decimal_sep = last_comma > last_dot ? ',' : '.';
      group_sep = decimal_sep == ',' ? '.' : ',';
      if (strchr (digits->str, decimal_sep) != strrchr (digits->str, decimal_sep))
        return invalid (error, text, _("the decimal separator appears twice"));
    }
  else if (last_comma != NULL || last_dot != NULL)
    {
      char sep = last_comma != NULL ? ',' : '.';
      const char *only = last_comma != NULL ? last_comma : last_dot;
      gsize after = strlen (only + 1);
      gboolean repeated = strchr (digits->str, sep) != only;

      if (repeated)
        group_sep = sep;
      else if (after != 3)
        decimal_sep = sep;
      else if (hint == RELANCE_DECIMAL_COMMA)
        {
          if (sep == ',')
            decimal_sep = sep;
          else
            group_sep = sep;
        }
      else if (hint == RELANCE_DECIMAL_DOT)
        {
          if (sep == '.')
            decimal_sep = sep;
          else
            group_sep = sep;
        }
      else
        return invalid (error, text,
                        _("it is ambiguous (thousands or decimals?); write it with two decimals"));
    }

  dec = decimal_sep != 0 ? strrchr (digits->str, decimal_sep) : NULL;
  integer_part = dec != NULL ? g_strndup (digits->str, dec - digits->str) : g_strdup (digits->str);
  if (*integer_part == '\0')
    return invalid (error, text, _("it has no digits before the separator"));
  if (group_sep != 0 && !groups_are_regular (integer_part, group_sep))
    return invalid (error, text, _("its thousands separators are misplaced"));

  for (const char *p = integer_part; *p != '\0'; p++)
    {
      if (*p == group_sep)
        continue;
      if (!g_ascii_isdigit (*p))
        return invalid (error, text, _("its thousands separators are misplaced"));
      if (units > RELANCE_MONEY_MAX_UNITS)
        break;
      units = units * 10 + (*p - '0');
    }
  if (units > RELANCE_MONEY_MAX_UNITS)
    return invalid (error, text, _("it is too large to be a real invoice amount"));

  allowed = relance_currency_digits (currency);
  if (dec != NULL)
    {
      for (const char *p = dec + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return invalid (error, text, _("the decimal separator appears twice"));
          n_decimals++;
          /* Spreadsheets and exports write "1440.00000000": zeros past the currency's
           * decimals change nothing; any other digit there would be lost. */
          if ((int) n_decimals > allowed)
            {
              if (*p != '0')
                return invalid (error, text,
                                _("it has more decimals than the currency allows"));
              continue;
            }
          fraction = fraction * 10 + (*p - '0');
        }
      if (n_decimals == 0)
        return invalid (error, text, _("it ends with a separator"));
    }
  for (int i = (int) n_decimals; i < allowed; i++)
    fraction *= 10;

  for (int i = 0; i < allowed; i++)
    units *= 10;
  units += fraction;
  if (units > RELANCE_MONEY_MAX_UNITS * 100)
    return invalid (error, text, _("it is too large to be a real invoice amount"));

  *out_minor = units;
  if (out_currency != NULL)
    *out_currency = g_strdup (currency);
  return TRUE;
}

static char *
group_digits (guint64 units, const char *group)
{
  g_autofree char *plain = g_strdup_printf ("%" G_GUINT64_FORMAT, units);
  GString *out = g_string_new (NULL);
  gsize len = strlen (plain);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group);
      g_string_append_c (out, plain[i]);
    }
  return g_string_free (out, FALSE);
}

/* "1 234,56 €" in French (narrow no-break spaces), "€1,234.56" in English. */
char *
relance_money_format (gint64      minor,
                      const char *currency,
                      const char *language)
{
  int digits = relance_currency_digits (currency);
  gint64 scale = 1;
  guint64 abs_minor = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
  g_autofree char *integer = NULL;
  g_autofree char *fraction = NULL;
  const char *symbol = relance_currency_symbol (currency);
  gboolean french = language != NULL && g_str_has_prefix (language, "fr");
  gboolean symbol_is_code = strlen (symbol) == 3 && g_ascii_isupper (symbol[0]);

  for (int i = 0; i < digits; i++)
    scale *= 10;

  integer = group_digits (abs_minor / (guint64) scale, french ? "\u202f" : ",");
  if (digits > 0)
    fraction = g_strdup_printf ("%s%0*" G_GUINT64_FORMAT, french ? "," : ".", digits,
                                abs_minor % (guint64) scale);
  else
    fraction = g_strdup ("");

  if (french || symbol_is_code)
    return g_strdup_printf ("%s%s%s\u00a0%s", minor < 0 ? "-" : "", integer, fraction, symbol);
  return g_strdup_printf ("%s%s%s%s", minor < 0 ? "-" : "", symbol, integer, fraction);
}

/* "1200.00": the form scripts and JSON read. */
char *
relance_money_to_decimal (gint64      minor,
                          const char *currency)
{
  int digits = relance_currency_digits (currency);
  gint64 scale = 1;
  guint64 abs_minor = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;

  for (int i = 0; i < digits; i++)
    scale *= 10;
  if (digits == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, minor < 0 ? "-" : "", abs_minor);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          abs_minor / (guint64) scale, digits, abs_minor % (guint64) scale);
}
