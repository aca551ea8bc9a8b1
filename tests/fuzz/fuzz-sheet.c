/* fuzz-sheet.c: the .xlsx/.ods reader on any bytes (zip container, XML, sheet data). */
#include "fuzz-common.h"
#include "relance-sheet.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RelanceSheet) sheet = NULL;

  fuzz_set_up ();
  bytes = g_bytes_new (data, size);
  sheet = relance_sheet_read_bytes (bytes, NULL, NULL);
  if (sheet != NULL)
    for (guint r = 0; r < relance_sheet_get_n_rows (sheet); r++)
      for (guint c = 0; c < relance_sheet_get_n_cells (sheet, r); c++)
        {
          g_autofree char *ref = relance_sheet_cell_ref (sheet, r, c);

          (void) relance_sheet_get_cell (sheet, r, c);
        }
  return 0;
}
