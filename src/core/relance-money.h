/* relance-money.h: amounts as gint64 minor units plus an ISO 4217 code; never a double.
 *
 * Parsing accepts what French and English invoicing tools and spreadsheets write:
 * "1 234,56 €", "1234,56", "€1,234.56", "1,234.56", "1.234,56", "EUR 12". It refuses
 * negative amounts, absurd ones (over 10^12 units) and ambiguous ones ("1,234" with no
 * hint of which separator is the decimal one), always with the reason. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest accepted amount, in major units of the currency. */
#define RELANCE_MONEY_MAX_UNITS G_GINT64_CONSTANT (1000000000000)

typedef enum
{
  RELANCE_DECIMAL_UNKNOWN, /* no hint: "1,234" and "1.234" are ambiguous */
  RELANCE_DECIMAL_COMMA,   /* French style: "1 234,56", "1.234,56" */
  RELANCE_DECIMAL_DOT,     /* English style: "1,234.56" */
} RelanceDecimalHint;

gboolean  relance_currency_is_known  (const char *code);
int       relance_currency_digits    (const char *code);
const char *relance_currency_symbol  (const char *code);

gboolean  relance_money_parse        (const char          *text,
                                      const char          *default_currency,
                                      RelanceDecimalHint   hint,
                                      gint64              *out_minor,
                                      char               **out_currency,
                                      GError             **error);
RelanceDecimalHint relance_money_guess_hint (const char *text);

char     *relance_money_format       (gint64      minor,
                                      const char *currency,
                                      const char *language);
char     *relance_money_to_decimal   (gint64      minor,
                                      const char *currency);

G_END_DECLS
