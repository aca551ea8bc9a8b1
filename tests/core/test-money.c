/* test-money.c: amounts as French and English users write them, and the ones we refuse. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "relance-error.h"
#include "relance-money.h"

typedef struct
{
  const char         *text;
  RelanceDecimalHint  hint;
  gint64              minor;    /* expected, or -1 when refused */
  const char         *currency; /* expected currency, or a word of the reason when refused */
} ParseCase;

static const ParseCase parse_cases[] = {
  { "1 234,56 €", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1\u00a0234,56\u00a0€", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1\u202f234,56 €", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1234,56", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "€1,234.56", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1,234.56", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1.234,56", RELANCE_DECIMAL_UNKNOWN, 123456, "EUR" },
  { "1.234.567,8", RELANCE_DECIMAL_UNKNOWN, 123456780, "EUR" },
  { "£12", RELANCE_DECIMAL_UNKNOWN, 1200, "GBP" },
  { "12 GBP", RELANCE_DECIMAL_UNKNOWN, 1200, "GBP" },
  { "$ 99.9", RELANCE_DECIMAL_UNKNOWN, 9990, "USD" },
  { "0", RELANCE_DECIMAL_UNKNOWN, 0, "EUR" },
  { "1,234", RELANCE_DECIMAL_COMMA, -1, "decimals" },   /* 3 decimals in EUR */
  { "1.234", RELANCE_DECIMAL_COMMA, 123400, "EUR" },    /* French thousands */
  { "1,234", RELANCE_DECIMAL_DOT, 123400, "EUR" },      /* English thousands */
  { "1,234", RELANCE_DECIMAL_UNKNOWN, -1, "ambiguous" },
  { "1.234", RELANCE_DECIMAL_UNKNOWN, -1, "ambiguous" },
  { "-12,00", RELANCE_DECIMAL_UNKNOWN, -1, "negative" },
  { "(12.00)", RELANCE_DECIMAL_UNKNOWN, -1, "negative" },
  { "- 5 €", RELANCE_DECIMAL_UNKNOWN, -1, "negative" },
  { "1000000000001", RELANCE_DECIMAL_UNKNOWN, -1, "large" },
  { "999 999 999 999 999,00", RELANCE_DECIMAL_UNKNOWN, -1, "large" },
  { "1000000000000", RELANCE_DECIMAL_UNKNOWN, G_GINT64_CONSTANT (100000000000000), "EUR" },
  { "12,5a", RELANCE_DECIMAL_UNKNOWN, -1, "digits" },
  { "", RELANCE_DECIMAL_UNKNOWN, -1, "empty" },
  { "   ", RELANCE_DECIMAL_UNKNOWN, -1, "empty" },
  { "12,", RELANCE_DECIMAL_UNKNOWN, -1, "separator" },
  { ",5", RELANCE_DECIMAL_UNKNOWN, -1, "digits" },
  { "1,23,45", RELANCE_DECIMAL_UNKNOWN, -1, "thousands" },
  { "12.345,67.8", RELANCE_DECIMAL_UNKNOWN, -1, "separator" },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *currency = NULL;
      gint64 minor = -42;
      gboolean ok = relance_money_parse (c->text, "EUR", c->hint, &minor, &currency, &error);

      g_test_message ("case %u: “%s”", i, c->text);
      if (c->minor >= 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (minor, ==, c->minor);
          g_assert_cmpstr (currency, ==, c->currency);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, c->currency));
          g_assert_cmpint (minor, ==, -42);
        }
    }
}

static void
test_parse_currency_digits (void)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  g_assert_true (relance_money_parse ("1 500", "JPY", RELANCE_DECIMAL_UNKNOWN, &minor, NULL,
                                      &error));
  g_assert_cmpint (minor, ==, 1500);
  g_assert_false (relance_money_parse ("15,5", "JPY", RELANCE_DECIMAL_UNKNOWN, &minor, NULL,
                                       &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relance_money_parse ("12", "euro", RELANCE_DECIMAL_UNKNOWN, &minor, NULL,
                                       &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
}

typedef struct
{
  gint64      minor;
  const char *currency;
  const char *language;
  const char *expected;
} FormatCase;

static const FormatCase format_cases[] = {
  { 123456, "EUR", "fr", "1\u202f234,56\u00a0€" },
  { 123456, "EUR", "en", "€1,234.56" },
  { 5, "EUR", "fr", "0,05\u00a0€" },
  { 100000000, "GBP", "en", "£1,000,000.00" },
  { 120000, "CHF", "en", "1,200.00\u00a0CHF" },
  { 1500, "JPY", "fr", "1\u202f500\u00a0¥" },
  { -250, "EUR", "en", "-€2.50" },
};

static void
test_format (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autofree char *text = relance_money_format (c->minor, c->currency, c->language);
      gint64 back = 0;

      g_assert_cmpstr (text, ==, c->expected);
      /* What we write, we read back. */
      if (c->minor >= 0)
        {
          g_assert_true (relance_money_parse (text, c->currency,
                                              g_str_equal (c->language, "fr")
                                                ? RELANCE_DECIMAL_COMMA : RELANCE_DECIMAL_DOT,
                                              &back, NULL, NULL));
          g_assert_cmpint (back, ==, c->minor);
        }
    }
}

static void
test_decimal (void)
{
  static const struct { gint64 minor; const char *currency; const char *expected; } cases[] = {
    { 120000, "EUR", "1200.00" }, { 5, "EUR", "0.05" }, { 0, "GBP", "0.00" },
    { 1500, "JPY", "1500" }, { G_GINT64_CONSTANT (100000000000000), "EUR", "1000000000000.00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = relance_money_to_decimal (cases[i].minor, cases[i].currency);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_guess_hint (void)
{
  g_assert_cmpint (relance_money_guess_hint ("1 234,56"), ==, RELANCE_DECIMAL_COMMA);
  g_assert_cmpint (relance_money_guess_hint ("1,234.56"), ==, RELANCE_DECIMAL_DOT);
  g_assert_cmpint (relance_money_guess_hint ("1.234.567"), ==, RELANCE_DECIMAL_COMMA);
  g_assert_cmpint (relance_money_guess_hint ("1,234"), ==, RELANCE_DECIMAL_UNKNOWN);
  g_assert_cmpint (relance_money_guess_hint ("12.5"), ==, RELANCE_DECIMAL_DOT);
  g_assert_cmpint (relance_money_guess_hint ("12"), ==, RELANCE_DECIMAL_UNKNOWN);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/money/parse", test_parse);
  g_test_add_func ("/money/parse-currency-digits", test_parse_currency_digits);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/decimal", test_decimal);
  g_test_add_func ("/money/guess-hint", test_guess_hint);
  return g_test_run ();
}
