/* fuzz-money.c: amounts as people write them, under each decimal hint and currency. */
#include "fuzz-common.h"
#include "relance-money.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *currencies[] = { "EUR", "GBP", "JPY", "USD", "XYZ" };
  g_autofree char *text = NULL;

  fuzz_set_up ();
  text = fuzz_string (data, size);
  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    for (int hint = RELANCE_DECIMAL_UNKNOWN; hint <= RELANCE_DECIMAL_DOT; hint++)
      {
        g_autofree char *found = NULL;
        gint64 minor = -1;

        if (relance_money_parse (text, currencies[c], hint, &minor, &found, NULL))
          {
            g_autofree char *back = relance_money_to_decimal (minor, found);
            g_autofree char *shown = relance_money_format (minor, found, "fr");

            /* What was accepted is a real amount, and reads back to itself. */
            g_assert_cmpint (minor, >=, 0);
            g_assert_nonnull (back);
            g_assert_nonnull (shown);
          }
      }
  (void) relance_money_guess_hint (text);
  return 0;
}
