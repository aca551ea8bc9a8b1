/* test-csv.c: the CSV reader (encodings, separators, quoting, line numbers) and writer. */
#include "config.h"

#include <string.h>

#include "relance-csv.h"
#include "relance-error.h"

static RelanceCsv *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RelanceCsv *csv = relance_csv_parse (text, strlen (text), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

static void
assert_record (RelanceCsv          *csv,
               guint                record,
               guint                line,
               const char * const  *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (relance_csv_get_line (csv, record), ==, line);
  g_assert_cmpuint (relance_csv_get_n_fields (csv, record), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (relance_csv_get_field (csv, record, i), ==, expected[i]);
}

typedef struct
{
  const char *name;
  const char *text;
  char        separator;
} SeparatorCase;

static void
test_separators (void)
{
  static const SeparatorCase cases[] = {
    { "semicolon", "a;b;c\n1,5;2;3\n", ';' },
    { "comma", "a,b,c\n1;5,2,3\n", ',' },
    { "tab", "a\tb\tc\n1,5\t2\t3\n", '\t' },
    /* The header has as many ',' as ';', the rows settle it. */
    { "semicolon checked on rows", "a;b,c,d;e\n1;2;3\n4;5;6\n", ';' },
    /* A separator inside quotes in the header does not count. */
    { "quoted header", "\"a;b\",c,d\n1,2,3\n", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelanceCsv) csv = parse_ok (cases[i].text);

      g_test_message ("case %s", cases[i].name);
      g_assert_cmpint (relance_csv_get_separator (csv), ==, cases[i].separator);
      g_assert_cmpuint (relance_csv_get_n_records (csv), >=, 2);
      g_assert_cmpuint (relance_csv_get_n_fields (csv, 1), ==, 3);
    }
}

static void
test_quoting (void)
{
  const char *text =
    "Number;Client;Notes\r\n"
    "F-1;\"Martin; Fils\";\"He said \"\"pay\"\"\"\r\n"
    "F-2;\"Two\r\nlines\";  spaced  \r\n"
    "F-3;\" kept \";\"\"\r\n"
    "\r\n"
    "F-4;\"three\n\nlines\";x\n"
    "F-5;last;no newline";
  g_autoptr(RelanceCsv) csv = parse_ok (text);

  g_assert_cmpint (relance_csv_get_separator (csv), ==, ';');
  g_assert_cmpuint (relance_csv_get_n_records (csv), ==, 6);
  assert_record (csv, 0, 1, (const char *[]) { "Number", "Client", "Notes", NULL });
  assert_record (csv, 1, 2, (const char *[]) { "F-1", "Martin; Fils", "He said \"pay\"", NULL });
  /* CRLF inside a quoted field comes out as LF; blanks around unquoted text go. */
  assert_record (csv, 2, 3, (const char *[]) { "F-2", "Two\nlines", "spaced", NULL });
  assert_record (csv, 3, 5, (const char *[]) { "F-3", " kept ", "", NULL });
  /* The empty line 6 is skipped, and the line count goes on past it. */
  assert_record (csv, 4, 7, (const char *[]) { "F-4", "three\n\nlines", "x", NULL });
  assert_record (csv, 5, 10, (const char *[]) { "F-5", "last", "no newline", NULL });
  g_assert_cmpstr (relance_csv_get_field (csv, 5, 7), ==, "");
}

static void
test_unterminated_quote (void)
{
  const char *text = "a,b\n1,2\n3,\"open\nstill open\n4,5\n";
  g_autoptr(GError) error = NULL;
  guint line = 0;
  RelanceCsv *csv = relance_csv_parse (text, strlen (text), &line, &error);

  g_assert_null (csv);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_cmpuint (line, ==, 3);
  g_assert_nonnull (strstr (error->message, "line 3"));
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static void
test_windows_1252_file (void)
{
  g_autofree char *path = data_path ("factures-fr.csv");
  g_autofree char *bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCsv) csv = NULL;
  gsize length = 0;

  /* Make sure the sample really is Windows-1252: é is 0xE9, € is 0x80. */
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_false (g_utf8_validate_len (bytes, length, NULL));
  g_assert_nonnull (memchr (bytes, 0xE9, length));
  g_assert_nonnull (memchr (bytes, 0x80, length));

  csv = relance_csv_read_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relance_csv_get_encoding (csv), ==, "WINDOWS-1252");
  g_assert_false (relance_csv_get_had_bom (csv));
  g_assert_cmpint (relance_csv_get_separator (csv), ==, ';');
  g_assert_cmpuint (relance_csv_get_n_records (csv), ==, 6);
  g_assert_cmpstr (relance_csv_get_field (csv, 0, 0), ==, "N° facture");
  g_assert_cmpstr (relance_csv_get_field (csv, 0, 4), ==, "Échéance");
  g_assert_cmpstr (relance_csv_get_field (csv, 1, 1), ==, "Boulangerie Dupré");
  g_assert_cmpstr (relance_csv_get_field (csv, 1, 5), ==, "1\u00a0200,00 €");
  g_assert_cmpstr (relance_csv_get_field (csv, 3, 1), ==, "Martin; Fils & Cie");
  g_assert_cmpuint (relance_csv_get_line (csv, 5), ==, 6);
}

static void
test_bom_file (void)
{
  g_autofree char *path = data_path ("factures-bom.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCsv) csv = relance_csv_read_file (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (relance_csv_get_encoding (csv), ==, "UTF-8");
  g_assert_true (relance_csv_get_had_bom (csv));
  /* The BOM is not part of the first header. */
  g_assert_cmpstr (relance_csv_get_field (csv, 0, 0), ==, "Numéro");
  g_assert_cmpstr (relance_csv_get_field (csv, 1, 9), ==, "Livraison \"express\"\nsur deux lignes");
  g_assert_cmpuint (relance_csv_get_line (csv, 2), ==, 4);
  g_assert_cmpstr (relance_csv_get_field (csv, 3, 1), ==, "Œnologie & Co");
}

typedef struct
{
  const char *name;
  const char *bytes;
  gsize       length;
  const char *encoding;
  const char *field;
} EncodingCase;

static void
test_encodings (void)
{
  static const EncodingCase cases[] = {
    { "utf-8", "Nom;Ville\nCaf\xc3\xa9;S\xc3\xa8te\n", 0, "UTF-8", "Café" },
    { "utf-8 bom", "\xef\xbb\xbfNom;Ville\nCaf\xc3\xa9;S\xc3\xa8te\n", 0, "UTF-8", "Café" },
    { "windows-1252", "Nom;Ville\nCaf\xe9;S\xe8te\n", 0, "WINDOWS-1252", "Café" },
    { "windows-1252 euro", "Nom;Prix\n\x80 d\xe9j\xe0;5\n", 0, "WINDOWS-1252", "€ déjà" },
    { "utf-16le bom", "\xff\xfeN\0o\0m\0\t\0V\0\n\0\xe9\0\t\0x\0\n\0", 22, "UTF-16", "é" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].length ? cases[i].length : strlen (cases[i].bytes);
      g_autoptr(RelanceCsv) csv = relance_csv_parse (cases[i].bytes, len, NULL, &error);

      g_test_message ("case %s", cases[i].name);
      g_assert_no_error (error);
      g_assert_cmpstr (relance_csv_get_encoding (csv), ==, cases[i].encoding);
      g_assert_cmpstr (relance_csv_get_field (csv, 1, 0), ==, cases[i].field);
      g_assert_cmpstr (relance_csv_get_field (csv, 0, 0), ==, "Nom");
    }
}

static void
test_binary_refused (void)
{
  static const char zip[] = "PK\3\4\0\0\0\0garbage";
  g_autoptr(GError) error = NULL;
  RelanceCsv *csv = relance_csv_parse (zip, sizeof zip - 1, NULL, &error);

  g_assert_null (csv);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  RelanceCsv *csv = relance_csv_read_file ("/nonexistent/relance.csv", NULL, &error);

  g_assert_null (csv);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO);
}

static void
test_writer_round_trip (void)
{
  static const char *values[] = {
    "plain", "with,comma", "with \"quotes\"", "two\nlines", " padded ", "", "semi;colon",
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(GError) error = NULL;

  relance_csv_append_record (out, (const char *[]) { "a", "b", "c", "d", "e", "f", "g" }, 7, ',');
  relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
  g_assert_cmpstr (out->str, ==,
                   "a,b,c,d,e,f,g\n"
                   "plain,\"with,comma\",\"with \"\"quotes\"\"\",\"two\nlines\",\" padded \",,"
                   "semi;colon\n");

  csv = relance_csv_parse (out->str, out->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relance_csv_get_separator (csv), ==, ',');
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (relance_csv_get_field (csv, 1, i), ==, values[i]);
}

static void
test_speed (void)
{
  g_autoptr(GString) big = g_string_new ("Invoice number;Client;Issue date;Due date;Total\n");
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (big, "F-%06u;\"Client %u; SARL\";05/01/2026;04/02/2026;%u,50\n",
                            i, i % 10000, i);
  start = g_get_monotonic_time ();
  csv = relance_csv_parse (big->str, big->len, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (relance_csv_get_n_records (csv), ==, 100001);
  g_assert_cmpstr (relance_csv_get_field (csv, 100000, 1), ==, "Client 9999; SARL");
  g_assert_cmpuint (relance_csv_get_line (csv, 100000), ==, 100001);
  /* A figure to read, never asserted: speed is measured in tests/bench. */
  g_test_message ("parsed 100000 rows in %" G_GINT64_FORMAT " ms", elapsed / 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/separators", test_separators);
  g_test_add_func ("/csv/quoting", test_quoting);
  g_test_add_func ("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/csv/windows-1252-file", test_windows_1252_file);
  g_test_add_func ("/csv/bom-file", test_bom_file);
  g_test_add_func ("/csv/encodings", test_encodings);
  g_test_add_func ("/csv/binary-refused", test_binary_refused);
  g_test_add_func ("/csv/missing-file", test_missing_file);
  g_test_add_func ("/csv/writer-round-trip", test_writer_round_trip);
  g_test_add_func ("/csv/speed", test_speed);

  return g_test_run ();
}
