/* fuzz-import.c: the whole invoice importer (reading, header and profile detection, mapping,
 * validation) as a dry run on any file contents, against one database kept for the run. */
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "relance-import.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static RelanceStore *store;
  static char *path;
  RelanceImportOptions options = { RELANCE_IMPORT_INVOICES, RELANCE_DATE_ORDER_DMY, TRUE, NULL };
  g_autoptr(RelanceImportReport) report = NULL;

  fuzz_set_up ();
  if (store == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("relance-fuzz-import-XXXXXX", NULL);
      g_autofree char *db = g_build_filename (dir, "relance.db", NULL);

      store = relance_store_open (db, NULL);
      g_assert_nonnull (store);
      path = g_build_filename (dir, "input.csv", NULL);
    }
  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return 0;
  (void) relance_import_file (store, path, &options, NULL, NULL, NULL, &report, NULL);
  /* A dry run writes nothing, whatever the file. */
  g_assert_true (report == NULL || report->errors->len > 0 || report->n_rows >= report->created);
  return 0;
}
