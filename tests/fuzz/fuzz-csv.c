/* fuzz-csv.c: the CSV reader (encodings, separators, quotes) on any bytes. */
#include "fuzz-common.h"
#include "relance-csv.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(RelanceCsv) csv = NULL;
  guint line = 0;

  fuzz_set_up ();
  csv = relance_csv_parse ((const char *) data, size, &line, NULL);
  if (csv != NULL)
    for (guint r = 0; r < relance_csv_get_n_records (csv); r++)
      for (guint f = 0; f <= relance_csv_get_n_fields (csv, r); f++)
        (void) relance_csv_get_field (csv, r, f);
  return 0;
}
