/* fuzz-date.c: dates as exports write them, in both orders. */
#include "fuzz-common.h"
#include "relance-date.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  fuzz_set_up ();
  text = fuzz_string (data, size);
  for (int order = RELANCE_DATE_ORDER_DMY; order <= RELANCE_DATE_ORDER_MDY; order++)
    {
      GDate date;

      if (relance_date_parse (text, order, &date, NULL))
        {
          g_autofree char *iso = relance_date_to_iso (&date);
          GDate again;

          /* An accepted date is valid and survives its own ISO form. */
          g_assert_true (g_date_valid (&date));
          g_assert_true (relance_date_from_iso (iso, &again));
          g_assert_cmpint (g_date_compare (&date, &again), ==, 0);
        }
    }
  (void) relance_date_order_hint (text);
  return 0;
}
