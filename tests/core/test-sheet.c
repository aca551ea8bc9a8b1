/* test-sheet.c: the .xlsx/.ods reader: cell text, dates, numbers, sheets by name, references,
 * and hostile files (bombs, DOCTYPEs, damaged archives) refused in bounded memory. */
#include "config.h"

#include <glib/gstdio.h>
#include <gsf/gsf-outfile-zip.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>
#include <string.h>
#include <sys/resource.h>

#include "relance-error.h"
#include "relance-sheet.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "sheets", name, NULL);
}

static RelanceSheet *
read_ok (const char *name,
         const char *sheet_name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  RelanceSheet *sheet = relance_sheet_read_file (path, sheet_name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sheet);
  return sheet;
}

/* Checks one row: its number in the sheet and its cells, NULL-terminated. */
static void
assert_row (RelanceSheet       *sheet,
            guint               row,
            guint               number,
            const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (relance_sheet_get_row_number (sheet, row), ==, number);
  g_assert_cmpuint (relance_sheet_get_n_cells (sheet, row), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (relance_sheet_get_cell (sheet, row, i), ==, expected[i]);
  g_assert_cmpstr (relance_sheet_get_cell (sheet, row, n), ==, "");
}

/* factures.xlsx and factures.ods: the same LibreOffice workbook saved both ways. */
static void
test_libreoffice (gconstpointer data)
{
  const char *name = data;
  g_autoptr(RelanceSheet) sheet = read_ok (name, NULL);
  g_autoptr(RelanceSheet) clients = read_ok (name, "Clients");
  g_autofree char *ref = NULL;

  g_assert_cmpstr (relance_sheet_get_name (sheet), ==, "Feuil1");
  g_assert_cmpuint (relance_sheet_get_n_rows (sheet), ==, 5);
  assert_row (sheet, 0, 1, (const char *[]) { "N° facture", "Client", "Date d'émission",
                                              "Échéance", "Montant TTC", "TVA", "Payée",
                                              "Notes", NULL });
  assert_row (sheet, 1, 2, (const char *[]) { "F-2026-001", "Boulangerie Dupré", "2026-01-05",
                                              "2026-02-04", "1440", "0.07", "0",
                                              "Première ligne\ndeuxième ligne", NULL });
  assert_row (sheet, 2, 3, (const char *[]) { "F-2026-002", "Café des Arts",
                                              "2026-01-10T14:30:00", "2026-02-09", "1440.5",
                                              "0.2", "1", NULL });
  /* Rows 4 and 5 are empty: left out, and the numbers say so. */
  assert_row (sheet, 3, 6, (const char *[]) { "F-2026-003", "Martin; Fils & Cie", "2026-01-15",
                                              "2026-02-14", "1234.56", "", "",
                                              "Relancé  deux fois", NULL });
  /* A formula's cached value; a #DIV/0! error is empty. */
  assert_row (sheet, 4, 7, (const char *[]) { "", "", "", "", "4115.06", NULL });

  ref = relance_sheet_cell_ref (sheet, 3, 4);
  g_assert_cmpstr (ref, ==, "Feuil1!E6");

  g_assert_cmpstr (relance_sheet_get_name (clients), ==, "Clients");
  g_assert_cmpuint (relance_sheet_get_n_rows (clients), ==, 3);
  assert_row (clients, 1, 2, (const char *[]) { "Boulangerie Dupré", "contact@dupre.fr", "30",
                                                NULL });
  /* Merged cells: the value is the top-left one's. */
  assert_row (clients, 2, 3, (const char *[]) { "Fusionnée sur deux colonnes", "", "45", NULL });
}

static void
test_xlsx_tricky (void)
{
  g_autoptr(RelanceSheet) sheet = read_ok ("tricky.xlsx", NULL);
  g_autoptr(RelanceSheet) second = read_ok ("tricky.xlsx", "Factures 2026");
  g_autofree char *ref = NULL;
  g_autofree char *quoted = NULL;

  g_assert_cmpstr (relance_sheet_get_name (sheet), ==, "Données");
  g_assert_cmpuint (relance_sheet_get_n_rows (sheet), ==, 5);
  /* Shared strings (rich-text runs joined), inline strings (runs too). */
  assert_row (sheet, 0, 1, (const char *[]) { "Numéro", "Client principal", "Échéance",
                                              "Montant", NULL });
  /* Custom date format, the long float behind 1234.56, 0.07 in exponent form, an elapsed
   * [h]:mm duration that is no date, "mmm yyyy" that is one, a built-in date and time. */
  assert_row (sheet, 1, 2, (const char *[]) { "Martin & Fils", "東京", "2026-01-05", "1234.56",
                                              "0.07", "1.5", "2026-01-05",
                                              "2026-01-10T14:30:00", NULL });
  /* A row and cells without r follow on; booleans; an #N/A error is empty. */
  assert_row (sheet, 2, 3, (const char *[]) { "  espaces  ", "2023-03-15", "1000000000000000",
                                              "1", "0", NULL });
  /* Formulas' cached values, t="d" cells, a negative number, an escaped CR. */
  assert_row (sheet, 3, 7, (const char *[]) { "", "Martin & Fils!", "1440.5", "2026-03-15",
                                              "2026-03-15T09:45:30", "-0.5", "123456789012345",
                                              "Ligne 1\r\nLigne 2", NULL });
  g_assert_cmpuint (relance_sheet_get_n_cells (sheet, 4), ==, 27);
  g_assert_cmpstr (relance_sheet_get_cell (sheet, 4, 26), ==, "loin");
  g_assert_cmpstr (relance_sheet_get_cell (sheet, 4, 0), ==, "");
  g_assert_cmpstr (relance_sheet_get_cell (sheet, 99, 0), ==, "");
  ref = relance_sheet_cell_ref (sheet, 4, 26);
  g_assert_cmpstr (ref, ==, "Données!AA9");

  /* Found by name, at a target given as an absolute path; the name needs quotes. */
  g_assert_cmpstr (relance_sheet_get_name (second), ==, "Factures 2026");
  g_assert_cmpuint (relance_sheet_get_n_rows (second), ==, 1);
  g_assert_cmpstr (relance_sheet_get_cell (second, 0, 2), ==, "douze");
  quoted = relance_sheet_cell_ref (second, 0, 2);
  g_assert_cmpstr (quoted, ==, "'Factures 2026'!C12");
}

static void
test_xlsx_date1904 (void)
{
  g_autoptr(RelanceSheet) sheet = read_ok ("date1904.xlsx", NULL);

  assert_row (sheet, 0, 1, (const char *[]) { "1904-01-01", "2026-01-05", "2026-01-05T18:00:00",
                                              "1904-01-01T06:00:00", NULL });
}

static void
test_ods_repeated (void)
{
  g_autoptr(RelanceSheet) sheet = read_ok ("repeated.ods", NULL);
  g_autoptr(RelanceSheet) empty = read_ok ("repeated.ods", "Feuille vide");
  g_autofree char *ref = NULL;

  g_assert_cmpstr (relance_sheet_get_name (sheet), ==, "Relevé");
  g_assert_cmpuint (relance_sheet_get_n_rows (sheet), ==, 5);
  /* Header rows count; a value after 16 380 repeated empty columns lands in its column. */
  g_assert_cmpuint (relance_sheet_get_n_cells (sheet, 0), ==, 16383);
  g_assert_cmpstr (relance_sheet_get_cell (sheet, 0, 1), ==, "Libellé");
  g_assert_cmpstr (relance_sheet_get_cell (sheet, 0, 16382), ==, "XFD");
  ref = relance_sheet_cell_ref (sheet, 0, 16382);
  g_assert_cmpstr (ref, ==, "Relevé!XFC1");
  /* A row repeated three times is three rows; a repeated cell fills its columns. */
  for (guint i = 1; i <= 3; i++)
    assert_row (sheet, i, i + 1, (const char *[]) { "idem", "idem", "1500", NULL });
  /* Spaces, tabs and line breaks of ODF text; annotations left out; typed values. */
  assert_row (sheet, 4, 9, (const char *[]) { "A   B\tC\nD E", "14:30:00", "2026-01-31", "1",
                                              "0.07", "", "sans type", NULL });

  g_assert_cmpstr (relance_sheet_get_name (empty), ==, "Feuille vide");
  g_assert_cmpuint (relance_sheet_get_n_rows (empty), ==, 0);
}

static void
test_sheet_not_found (void)
{
  const char *files[] = { "tricky.xlsx", "factures.ods" };
  const char *listed[] = { "“Données”, “Factures 2026”", "“Feuil1”, “Clients”" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = fixture (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceSheet) sheet = relance_sheet_read_file (path, "Relances", &error);

      g_assert_null (sheet);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_test_message ("%s: %s", files[i], error->message);
      g_assert_nonnull (strstr (error->message, "“Relances”"));
      g_assert_nonnull (strstr (error->message, listed[i]));
    }
}

typedef struct
{
  const char *file;
  const char *words;   /* in the message */
} BadCase;

static void
test_bad_files (void)
{
  static const BadCase cases[] = {
    { "doctype.xlsx", "DOCTYPE" },
    { "external-entity.ods", "DOCTYPE" },
    { "lying-size.xlsx", "200 MB" },
    { "ratio.xlsx", "1000 times" },
    { "not-xml.xlsx", "is not valid XML (line 1)" },
    { "missing-sheet.xlsx", "“xl/worksheets/sheet1.xml” is missing" },
    { "truncated.xlsx", "not a complete zip archive" },
    { "binary.xlsx", "not a spreadsheet Relance can read" },
    { "document.docx", "not a spreadsheet Relance can read" },
    { "text.odt", "not a spreadsheet Relance can read" },
    { "legacy.xls", "old Excel format" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceSheet) sheet = relance_sheet_read_file (path, NULL, &error);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_test_message ("%s: %s", cases[i].file, error != NULL ? error->message : "(no error)");
      g_assert_null (sheet);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].words));

      /* The same from memory, as the fuzzer calls it. */
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
        g_autoptr(RelanceSheet) again = relance_sheet_read_bytes (bytes, NULL, &error);

        g_assert_null (again);
        g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      }
    }
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceSheet) sheet = relance_sheet_read_file ("/nonexistent/factures.xlsx", NULL,
                                                           &error);

  g_assert_null (sheet);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO);
}

static void
test_empty_and_garbage_bytes (void)
{
  /* Nothing, a zip signature alone, and an empty zip archive (its end record only). */
  static const char *inputs[] = {
    "", "PK", "PK\003\004", "PK\005\006\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      gsize length = i == 3 ? 22 : strlen (inputs[i]);
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], length);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceSheet) sheet = relance_sheet_read_bytes (bytes, NULL, &error);

      g_assert_null (sheet);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    }
}

/* Peak resident memory so far, in kB. */
static glong
max_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

typedef void (*WriteBody) (GsfOutput *output, gpointer data);

/* Writes an .xlsx whose first sheet's XML comes from @write_body, deflated by libgsf. */
static char *
write_xlsx (const char *name,
            WriteBody   write_body,
            gpointer    data)
{
  static const char *workbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char *rels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  GsfOutput *sink = gsf_output_stdio_new (path, &error);
  GsfOutfile *zip;
  GsfOutput *child;

  g_assert_no_error (error);
  zip = gsf_outfile_zip_new (sink, &error);
  g_assert_no_error (error);
  g_object_unref (sink);

  child = gsf_outfile_new_child_full (zip, "xl", TRUE, NULL);
  {
    GsfOutput *part = gsf_outfile_new_child_full (GSF_OUTFILE (child), "workbook.xml", FALSE,
                                                  "compression-level", GSF_ZIP_DEFLATED, NULL);
    GsfOutput *rels_dir = gsf_outfile_new_child_full (GSF_OUTFILE (child), "_rels", TRUE, NULL);
    GsfOutput *rels_part = gsf_outfile_new_child_full (GSF_OUTFILE (rels_dir),
                                                       "workbook.xml.rels", FALSE,
                                                       "compression-level", GSF_ZIP_DEFLATED,
                                                       NULL);
    GsfOutput *sheets = gsf_outfile_new_child_full (GSF_OUTFILE (child), "worksheets", TRUE,
                                                    NULL);
    GsfOutput *sheet = gsf_outfile_new_child_full (GSF_OUTFILE (sheets), "sheet1.xml", FALSE,
                                                   "compression-level", GSF_ZIP_DEFLATED, NULL);

    gsf_output_puts (part, workbook);
    gsf_output_close (part);
    g_object_unref (part);
    gsf_output_puts (rels_part, rels);
    gsf_output_close (rels_part);
    g_object_unref (rels_part);
    gsf_output_close (rels_dir);
    g_object_unref (rels_dir);
    write_body (sheet, data);
    gsf_output_close (sheet);
    g_object_unref (sheet);
    gsf_output_close (sheets);
    g_object_unref (sheets);
  }
  gsf_output_close (child);
  g_object_unref (child);
  gsf_output_close (GSF_OUTPUT (zip));
  g_object_unref (zip);
  return path;
}

static void
write_zeros (GsfOutput *output,
             gpointer   data)
{
  gsize total = GPOINTER_TO_SIZE (data);
  g_autofree guint8 *zeros = g_malloc0 (1024 * 1024);

  for (gsize written = 0; written < total; written += 1024 * 1024)
    g_assert_true (gsf_output_write (output, 1024 * 1024, zeros));
}

/* A real zip bomb: 300 MB of zeros in a few hundred kB. */
static void
test_zip_bomb (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceSheet) sheet = NULL;
  glong before;

  path = write_xlsx ("bomb.xlsx", write_zeros, GSIZE_TO_POINTER ((gsize) 300 * 1024 * 1024));
  before = max_rss_kb ();
  sheet = relance_sheet_read_file (path, NULL, &error);
  g_test_message ("%s", error != NULL ? error->message : "(no error)");
  g_assert_null (sheet);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "200 MB"));
  g_assert_cmpint (max_rss_kb () - before, <, 100 * 1024);
  g_unlink (path);
}

static void
write_invoices (GsfOutput *output,
                gpointer   data)
{
  guint n_rows = GPOINTER_TO_UINT (data);
  g_autoptr(GString) chunk = g_string_new (NULL);

  gsf_output_puts (output, "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
                           "spreadsheetml/2006/main\"><sheetData>");
  for (guint i = 1; i <= n_rows; i++)
    {
      g_string_append_printf (chunk,
                              "<row r=\"%u\"><c r=\"A%u\" t=\"inlineStr\"><is><t>F-%06u</t></is>"
                              "</c><c r=\"B%u\" t=\"inlineStr\"><is><t>Client n°%u</t></is></c>"
                              "<c r=\"C%u\"><v>%u.%02u</v></c><c r=\"D%u\" t=\"d\"><v>2026-01-%02u"
                              "</v></c></row>",
                              i, i, i, i, i % 500, i, i % 10000, i % 100, i, 1 + i % 28);
      if (chunk->len > 64 * 1024)
        {
          gsf_output_write (output, chunk->len, (const guint8 *) chunk->str);
          g_string_truncate (chunk, 0);
        }
    }
  g_string_append (chunk, "</sheetData></worksheet>");
  gsf_output_write (output, chunk->len, (const guint8 *) chunk->str);
}

/* 100 000 rows stream through: memory grows with the cells kept, not with the XML. */
static void
test_big_sheet (void)
{
  g_autofree char *path = write_xlsx ("big.xlsx", write_invoices, GUINT_TO_POINTER (100000));
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceSheet) sheet = NULL;
  glong before = max_rss_kb ();
  gint64 start = g_get_monotonic_time ();

  sheet = relance_sheet_read_file (path, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("100 000 rows read in %.2f s, peak memory +%ld kB",
                  (g_get_monotonic_time () - start) / 1e6, max_rss_kb () - before);
  g_assert_cmpuint (relance_sheet_get_n_rows (sheet), ==, 100000);
  assert_row (sheet, 99999, 100000, (const char *[]) { "F-100000", "Client n°0", "0", "2026-01-13",
                                                       NULL });
  assert_row (sheet, 1233, 1234, (const char *[]) { "F-001234", "Client n°234", "1234.34",
                                                    "2026-01-03", NULL });
  g_assert_cmpint (max_rss_kb () - before, <, 100 * 1024);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gsf_init ();

  g_test_add_data_func ("/sheet/libreoffice/xlsx", "factures.xlsx", test_libreoffice);
  g_test_add_data_func ("/sheet/libreoffice/ods", "factures.ods", test_libreoffice);
  g_test_add_func ("/sheet/xlsx/tricky", test_xlsx_tricky);
  g_test_add_func ("/sheet/xlsx/date1904", test_xlsx_date1904);
  g_test_add_func ("/sheet/ods/repeated", test_ods_repeated);
  g_test_add_func ("/sheet/not-found", test_sheet_not_found);
  g_test_add_func ("/sheet/bad-files", test_bad_files);
  g_test_add_func ("/sheet/missing-file", test_missing_file);
  g_test_add_func ("/sheet/garbage-bytes", test_empty_and_garbage_bytes);
  g_test_add_func ("/sheet/zip-bomb", test_zip_bomb);
  g_test_add_func ("/sheet/big", test_big_sheet);

  return g_test_run ();
}
