/* relance-sheet.c: one sheet of an .xlsx or .ods file as rows of text, read with libgsf (the
 * zip container) and libxml2's SAX push parser (the XML parts), in bounded memory: the
 * result built row by row, the texts cells become, and the entry points. */
#include "config.h"

#include "relance-sheet-private.h"

/* ------------------------------------------------------------------------------------ */
/* The result, built row by row                                                          */

RelanceSheet *
relance_sheet_new_empty (void)
{
  RelanceSheet *sheet = g_new0 (RelanceSheet, 1);

  sheet->strings = g_string_chunk_new (64 * 1024);
  sheet->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  sheet->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  return sheet;
}

void
relance_sheet_free (RelanceSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->name);
  g_string_chunk_free (sheet->strings);
  g_array_unref (sheet->rows);
  g_array_unref (sheet->cells);
  g_free (sheet);
}

static int
compare_cells (gconstpointer a,
               gconstpointer b)
{
  const Cell *ca = a;
  const Cell *cb = b;

  return (ca->col > cb->col) - (ca->col < cb->col);
}

/* Ends the row whose cells were appended from @first_cell on; a row with no cell is not
 * kept. Writers put cells in column order, but a hand-made file may not: sort then, and
 * keep the last of two cells in the same column. */
void
relance_sheet_end_row (RelanceSheet *sheet,
                       guint         number,
                       guint         first_cell)
{
  Row row = { number, first_cell, sheet->cells->len - first_cell };
  Cell *cells = &g_array_index (sheet->cells, Cell, first_cell);
  gboolean sorted = TRUE;

  if (row.n_cells == 0)
    return;
  for (guint i = 1; i < row.n_cells && sorted; i++)
    sorted = cells[i - 1].col < cells[i].col;
  if (!sorted)
    {
      guint kept = 0;

      /* g_qsort_with_data () is stable: of two cells in one column, the last stays last. */
      g_qsort_with_data (cells, row.n_cells, sizeof (Cell), (GCompareDataFunc) compare_cells,
                         NULL);
      for (guint i = 0; i < row.n_cells; i++)
        {
          if (kept > 0 && cells[kept - 1].col == cells[i].col)
            cells[kept - 1] = cells[i];
          else
            cells[kept++] = cells[i];
        }
      g_array_set_size (sheet->cells, first_cell + kept);
      row.n_cells = kept;
    }
  g_array_append_val (sheet->rows, row);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = a;
  const Row *rb = b;

  return (ra->number > rb->number) - (ra->number < rb->number);
}

/* XLSX rows come in order from every writer we know; sort a hand-made file's anyway. */
void
relance_sheet_finish (RelanceSheet *sheet)
{
  for (guint i = 1; i < sheet->rows->len; i++)
    {
      const Row *rows = (const Row *) sheet->rows->data;

      if (rows[i - 1].number > rows[i].number)
        {
          g_qsort_with_data (sheet->rows->data, sheet->rows->len, sizeof (Row),
                             (GCompareDataFunc) compare_rows, NULL);
          break;
        }
    }
}

const char *
relance_sheet_intern (RelanceSheet *sheet,
                      const char   *text)
{
  /* Invoices repeat the same clients, currencies and statuses: store each text once. */
  return g_string_chunk_insert_const (sheet->strings, text);
}

/* ------------------------------------------------------------------------------------ */
/* Cell text                                                                             */

gboolean
relance_sheet_parse_double (const char *text,
                            double     *out)
{
  char *end = NULL;
  double value;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/* The shortest decimal that reads back as @value, written out in full: spreadsheets store
 * 1234.56 as 1234.5599999999999 and 0.07 as 7.0000000000000007E-2, and an importer wants
 * what the user typed. */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[32];
  guint n_digits = 0;
  int exponent;
  int point;
  const char *p;

  if (value == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  if (fabs (value) >= 1e21)
    {
      g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision - 1);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  /* buffer is "-d.ddddde+XX": collect the digits and the exponent. */
  p = buffer;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && n_digits < sizeof digits - 1)
      digits[n_digits++] = *p;
  exponent = *p == 'e' ? atoi (p + 1) : 0;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  point = exponent + 1;   /* digits before the decimal point */
  if (point <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits);
    }
  else if ((guint) point >= n_digits)
    {
      g_string_append (out, digits);
      for (guint i = n_digits; i < (guint) point; i++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits, point);
      g_string_append_c (out, '.');
      g_string_append (out, digits + point);
    }
}

void
relance_sheet_append_number_text (GString    *out,
                                  const char *text)
{
  double value;

  if (relance_sheet_parse_double (text, &value))
    append_number (out, value);
  else
    g_string_append (out, text);
}

static void
append_time (GString *out,
             guint64  seconds)
{
  g_string_append_printf (out, "%02u:%02u:%02u", (guint) (seconds / 3600),
                          (guint) (seconds / 60 % 60), (guint) (seconds % 60));
}

/* A spreadsheet serial date: days since 1899-12-30 (1900 system, where Lotus' 1900-02-29
 * shifts the first two months) or since 1904-01-01 (old Mac files, date1904). */
void
relance_sheet_append_serial_date (GString  *out,
                                  double    serial,
                                  gboolean  date1904)
{
  gint64 total = (gint64) llround (serial * 86400.0);
  gint64 days = total / 86400;
  guint64 seconds = total % 86400;
  g_autoptr(GDate) date = NULL;

  if (serial < 0 || serial > 2958466.0)   /* after 9999-12-31: not a date */
    {
      append_number (out, serial);
      return;
    }
  if (days == 0 && !date1904)
    {
      /* A bare time of day (formats like h:mm): there is no date to give. */
      append_time (out, seconds);
      return;
    }

  if (date1904)
    date = g_date_new_dmy (1, G_DATE_JANUARY, 1904);
  else if (days >= 61)
    date = g_date_new_dmy (30, G_DATE_DECEMBER, 1899);
  else
    {
      /* Before Lotus' phantom 1900-02-29 (serial 60, shown as the 28th here). */
      date = g_date_new_dmy (31, G_DATE_DECEMBER, 1899);
      if (days == 60)
        days = 59;
    }
  g_date_add_days (date, (guint) days);
  if (!g_date_valid (date))
    {
      append_number (out, serial);
      return;
    }
  g_string_append_printf (out, "%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
  if (seconds != 0)
    {
      g_string_append_c (out, 'T');
      append_time (out, seconds);
    }
}

static gboolean
is_iso_date (const char *text)
{
  return strlen (text) >= 10 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[3])
         && text[4] == '-' && g_ascii_isdigit (text[5]) && g_ascii_isdigit (text[6])
         && text[7] == '-' && g_ascii_isdigit (text[8]) && g_ascii_isdigit (text[9]);
}

/* "2026-01-05T00:00:00.000Z" → "2026-01-05"; a time of day is kept to the second. */
void
relance_sheet_append_iso_date (GString    *out,
                               const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  if (!is_iso_date (text))
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_len (out, text, 10);
  if (text[10] == 'T' && strlen (text) >= 19 && strncmp (text + 11, "00:00:00", 8) != 0)
    {
      g_string_append_c (out, 'T');
      g_string_append_len (out, text + 11, 8);
    }
}

/* ODF durations as LibreOffice writes times: "PT14H30M00S" → "14:30:00". */
void
relance_sheet_append_odf_time (GString    *out,
                               const char *text)
{
  const char *p = text;
  double hours = 0, minutes = 0, seconds = 0;

  if (g_str_has_prefix (p, "PT"))
    {
      p += 2;
      while (*p != '\0')
        {
          char *end = NULL;
          double value = g_ascii_strtod (p, &end);

          if (end == p)
            break;
          if (*end == 'H')
            hours = value;
          else if (*end == 'M')
            minutes = value;
          else if (*end == 'S')
            seconds = value;
          else
            break;
          p = end + 1;
        }
    }
  if (*p != '\0' || p == text || hours < 0 || hours > 1e6)
    {
      g_string_append (out, text);
      return;
    }
  append_time (out, (guint64) llround (hours * 3600 + minutes * 60 + seconds));
}

/* OOXML escapes characters XML cannot hold as "_x000D_"; "_x005F_" escapes the underscore. */
void
relance_sheet_append_ooxml_text (GString    *out,
                                 const char *text,
                                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '_' && i + 6 < length && text[i + 1] == 'x' && text[i + 6] == '_'
          && g_ascii_isxdigit (text[i + 2]) && g_ascii_isxdigit (text[i + 3])
          && g_ascii_isxdigit (text[i + 4]) && g_ascii_isxdigit (text[i + 5]))
        {
          gunichar c = 0;

          for (gsize j = i + 2; j < i + 6; j++)
            c = c * 16 + g_ascii_xdigit_value (text[j]);
          if (g_unichar_validate (c) && c != 0)
            {
              g_string_append_unichar (out, c);
              i += 6;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }
}

static char *
join_sheet_names (GPtrArray *names)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (joined, ", ");
      /* Translators: one sheet name in the list of a file's sheets; use your quotes */
      g_string_append_printf (joined, _("“%s”"), (const char *) g_ptr_array_index (names, i));
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

void
relance_sheet_set_not_found (GError     **error,
                             const char  *sheet_name,
                             GPtrArray   *names)
{
  g_autofree char *list = join_sheet_names (names);

  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: the first %s is the sheet the user asked for, the second the
                * list of the file's sheets, each in quotes, separated by commas */
               _("The sheet “%s” is not in this file; its sheets are: %s."), sheet_name, list);
}

void
relance_sheet_set_no_sheet (GError **error)
{
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("This spreadsheet is damaged: it has no sheet."));
}

/* ------------------------------------------------------------------------------------ */
/* Entry points                                                                          */

static void
set_not_spreadsheet (GError **error)
{
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("This file is not a spreadsheet Relance can read (.xlsx or .ods)."));
}

static RelanceSheet *
read_source (GsfInput    *source,
             const char  *sheet_name,
             GError     **error)
{
  static const guint8 zip_magic[] = { 'P', 'K' };
  static const guint8 ole_magic[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
  g_auto(Package) package = { NULL, 0 };
  g_autoptr(GError) zip_error = NULL;
  g_autofree char *workbook_path = NULL;
  g_autofree char *mimetype = NULL;
  guint8 head[8] = { 0 };
  gsf_off_t size = gsf_input_size (source);

  /* Look at the first bytes to say something useful about what the file is instead. */
  if (size >= (gsf_off_t) sizeof head && gsf_input_read (source, sizeof head, head) != NULL
      && memcmp (head, ole_magic, sizeof ole_magic) == 0)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("This spreadsheet is in the old Excel format (.xls) or is "
                             "protected by a password; save it as .xlsx or .ods without a "
                             "password and try again."));
      return NULL;
    }
  if (size < 4 || memcmp (head, zip_magic, sizeof zip_magic) != 0)
    {
      set_not_spreadsheet (error);
      return NULL;
    }
  gsf_input_seek (source, 0, G_SEEK_SET);

  package.archive_size = size;
  package.zip = gsf_infile_zip_new (source, &zip_error);
  if (package.zip == NULL)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("This spreadsheet is damaged: it is not a complete zip archive "
                             "(it may have been cut short while being copied or downloaded)."));
      return NULL;
    }

  /* Office Open XML names its main part in _rels/.rels; ODF puts a mimetype first. */
  if ((workbook_path = relance_sheet_xlsx_workbook_path (&package, error)) == NULL)
    return NULL;
  if (relance_sheet_package_has (&package, workbook_path))
    return relance_sheet_read_xlsx (&package, workbook_path, sheet_name, error);

  mimetype = relance_sheet_package_read_small (&package, "mimetype", 256);
  if (mimetype != NULL)
    {
      g_strstrip (mimetype);
      if (g_str_has_prefix (mimetype, "application/vnd.oasis.opendocument.spreadsheet"))
        return relance_sheet_read_ods (&package, sheet_name, error);
    }
  else if (relance_sheet_package_has (&package, "content.xml"))
    return relance_sheet_read_ods (&package, sheet_name, error);

  set_not_spreadsheet (error);
  return NULL;
}

static void
ensure_libraries (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gsf_init ();
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

RelanceSheet *
relance_sheet_read_file (const char  *path,
                         const char  *sheet_name,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SheetInput) source = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libraries ();
  source = gsf_input_stdio_new (path, &local_error);
  if (source == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: %s is the system's reason */
                   _("The file could not be read: %s"),
                   local_error != NULL ? local_error->message : g_strerror (EIO));
      return NULL;
    }
  return read_source (source, sheet_name, error);
}

RelanceSheet *
relance_sheet_read_bytes (GBytes      *bytes,
                          const char  *sheet_name,
                          GError     **error)
{
  g_autoptr(SheetInput) source = NULL;
  gsize length = 0;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libraries ();
  data = g_bytes_get_data (bytes, &length);
  /* libgsf reads @bytes in place; @bytes outlives @source, which ends here. */
  source = gsf_input_memory_new (data != NULL ? data : (const guint8 *) "", length, FALSE);
  return read_source (source, sheet_name, error);
}

/* ------------------------------------------------------------------------------------ */
/* Reading the result                                                                    */

const char *
relance_sheet_get_name (RelanceSheet *sheet)
{
  g_return_val_if_fail (sheet != NULL, NULL);

  return sheet->name;
}

guint
relance_sheet_get_n_rows (RelanceSheet *sheet)
{
  g_return_val_if_fail (sheet != NULL, 0);

  return sheet->rows->len;
}

static const Row *
get_row (RelanceSheet *sheet,
         guint         row)
{
  if (row >= sheet->rows->len)
    return NULL;
  return &g_array_index (sheet->rows, Row, row);
}

guint
relance_sheet_get_n_cells (RelanceSheet *sheet,
                           guint         row)
{
  const Row *r;

  g_return_val_if_fail (sheet != NULL, 0);

  r = get_row (sheet, row);
  if (r == NULL || r->n_cells == 0)
    return 0;
  return g_array_index (sheet->cells, Cell, r->first_cell + r->n_cells - 1).col + 1;
}

const char *
relance_sheet_get_cell (RelanceSheet *sheet,
                        guint         row,
                        guint         col)
{
  const Row *r;
  const Cell *cells;
  guint low = 0;
  guint high;

  g_return_val_if_fail (sheet != NULL, "");

  r = get_row (sheet, row);
  if (r == NULL)
    return "";
  /* Cells are stored sparsely, sorted by column. */
  cells = &g_array_index (sheet->cells, Cell, r->first_cell);
  high = r->n_cells;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (cells[middle].col == col)
        return cells[middle].text;
      if (cells[middle].col < col)
        low = middle + 1;
      else
        high = middle;
    }
  return "";
}

guint
relance_sheet_get_row_number (RelanceSheet *sheet,
                              guint         row)
{
  const Row *r;

  g_return_val_if_fail (sheet != NULL, 0);

  r = get_row (sheet, row);
  return r != NULL ? r->number : 0;
}

char *
relance_sheet_cell_ref (RelanceSheet *sheet,
                        guint         row,
                        guint         col)
{
  g_autoptr(GString) ref = g_string_new (NULL);
  char letters[8];
  guint n_letters = 0;
  gboolean plain;

  g_return_val_if_fail (sheet != NULL, NULL);

  plain = sheet->name[0] != '\0';
  /* Spreadsheets quote a sheet name that is not a plain word: 'Factures 2026'!C12. */
  for (const char *p = sheet->name; *p != '\0' && plain; p = g_utf8_next_char (p))
    plain = g_unichar_isalnum (g_utf8_get_char (p)) || *p == '_';
  if (plain)
    g_string_append (ref, sheet->name);
  else
    {
      g_autoptr(GString) quoted = g_string_new (sheet->name);

      g_string_replace (quoted, "'", "''", 0);
      g_string_append_printf (ref, "'%s'", quoted->str);
    }
  g_string_append_c (ref, '!');

  for (guint64 n = (guint64) col + 1; n > 0 && n_letters < sizeof letters; n = (n - 1) / 26)
    letters[n_letters++] = 'A' + (n - 1) % 26;
  while (n_letters > 0)
    g_string_append_c (ref, letters[--n_letters]);
  g_string_append_printf (ref, "%u", relance_sheet_get_row_number (sheet, row));
  return g_string_free (g_steal_pointer (&ref), FALSE);
}
