/* fuzz-einvoice.c: CII, UBL and Factur-X PDF reading on any bytes. */
#include "fuzz-common.h"
#include "relance-einvoice.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RelanceEinvoice) e = NULL;

  fuzz_set_up ();
  bytes = g_bytes_new (data, size);
  e = relance_einvoice_read_bytes (bytes, NULL);
  if (e != NULL)
    {
      g_assert_nonnull (e->number);
      g_assert_cmpint (e->total, >=, 0);
      g_assert_cmpint (e->amount_due, >=, 0);
    }
  return 0;
}
