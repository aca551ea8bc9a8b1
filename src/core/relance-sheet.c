/* relance-sheet.c: one sheet of an .xlsx or .ods file as rows of text, read with libgsf (the
 * zip container) and libxml2's SAX push parser (the XML parts), in bounded memory. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gsf/gsf-infile-zip.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-utils.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-sheet.h"

/* No spreadsheet part worth importing comes near this once decompressed; a part that claims
 * or turns out to be bigger is a decompression bomb or garbage. */
#define PART_MAX_SIZE (200 * 1024 * 1024)
/* Deflate cannot beat about 1030:1, so a bigger part that claims more against the whole
 * archive lies about its size. libgsf does not tell a member's compressed size, so the
 * archive's size stands for it: an upper bound, which keeps the check free of false alarms. */
#define PART_MAX_RATIO       1000
#define PART_RATIO_MIN_SIZE  (10 * 1024 * 1024)
/* Repeated ODS cells are written once and stand for many: cap what they may expand to, so
 * a few bytes cannot ask for billions of cells. 100 000 invoices of 20 columns fit easily. */
#define MAX_CELLS     (8 * 1024 * 1024)
/* Beyond what Excel and LibreOffice allow; cells past it are garbage, not data. */
#define MAX_COLUMNS   (1u << 20)
#define MAX_ROWS      (1u << 30)
#define READ_CHUNK    (64 * 1024)

#define NS_ODF_OFFICE  "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_ODF_TABLE   "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_ODF_TEXT    "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_ODF_CALCEXT "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

/* libgsf has no autoptr cleanups of its own; local names avoid a clash if it gains them. */
typedef GsfInput  SheetInput;
typedef GsfInfile SheetInfile;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SheetInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SheetInfile, g_object_unref)

typedef struct
{
  guint       col;
  const char *text;   /* in @strings */
} Cell;

typedef struct
{
  guint number;
  guint first_cell;
  guint n_cells;      /* cells stored, sorted by column; empty ones are not */
} Row;

struct _RelanceSheet
{
  char         *name;
  GStringChunk *strings;
  GArray       *rows;    /* Row */
  GArray       *cells;   /* Cell */
};

/* ------------------------------------------------------------------------------------ */
/* The result, built row by row                                                          */

static RelanceSheet *
sheet_new (void)
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
static void
sheet_end_row (RelanceSheet *sheet,
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
static void
sheet_finish (RelanceSheet *sheet)
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

static const char *
sheet_intern (RelanceSheet *sheet,
              const char   *text)
{
  /* Invoices repeat the same clients, currencies and statuses: store each text once. */
  return g_string_chunk_insert_const (sheet->strings, text);
}

/* ------------------------------------------------------------------------------------ */
/* Cell text                                                                             */

static gboolean
parse_double (const char *text,
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

static void
append_number_text (GString    *out,
                    const char *text)
{
  double value;

  if (parse_double (text, &value))
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
static void
append_serial_date (GString  *out,
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
static void
append_iso_date (GString    *out,
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
static void
append_odf_time (GString    *out,
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
static void
append_ooxml_text (GString    *out,
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

/* ------------------------------------------------------------------------------------ */
/* The zip container                                                                     */

typedef struct
{
  GsfInfile *zip;
  gsf_off_t  archive_size;
} Package;

static void
package_clear (Package *package)
{
  g_clear_object (&package->zip);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Package, package_clear)

static void
set_damaged_part (GError     **error,
                  const char  *part)
{
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is the path of a file inside the spreadsheet's zip
                * archive, such as “xl/worksheets/sheet1.xml” */
               _("This spreadsheet is damaged: its part “%s” could not be read."), part);
}

static void
set_too_big (GError     **error,
             const char  *part)
{
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is the path of a file inside the spreadsheet's zip
                * archive; %u is a size in megabytes */
               _("This spreadsheet was refused: its part “%s” would take more than %u MB once "
                 "decompressed, which no real spreadsheet needs."),
               part, (guint) (PART_MAX_SIZE / (1024 * 1024)));
}

/* Opens the part at @path ("xl/workbook.xml"). A missing part gives NULL without error;
 * a part that would decompress beyond the caps is refused before a byte is inflated. */
static GsfInput *
package_open (Package     *package,
              const char  *path,
              GError     **error)
{
  g_auto(GStrv) names = g_strsplit (path, "/", -1);
  g_autoptr(SheetInput) input = NULL;
  gsf_off_t size;

  input = gsf_infile_child_by_aname (package->zip, (const char **) names);
  if (input == NULL)
    return NULL;
  if (GSF_IS_INFILE (input) && gsf_infile_num_children (GSF_INFILE (input)) >= 0)
    return NULL;   /* a folder */

  size = gsf_input_size (input);
  if (size < 0)
    {
      set_damaged_part (error, path);
      return NULL;
    }
  if (size > PART_MAX_SIZE)
    {
      set_too_big (error, path);
      return NULL;
    }
  if (size > PART_RATIO_MIN_SIZE && size / PART_MAX_RATIO > package->archive_size)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the path of a file inside the spreadsheet's zip
                    * archive; %u is a number such as 1000 */
                   _("This spreadsheet was refused: its part “%s” claims to be compressed "
                     "more than %u times, as only a decompression bomb or a damaged file "
                     "does."),
                   path, (guint) PART_MAX_RATIO);
      return NULL;
    }
  return g_steal_pointer (&input);
}

static gboolean
package_has (Package    *package,
             const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, "/", -1);
  g_autoptr(SheetInput) input = gsf_infile_child_by_aname (package->zip, (const char **) names);

  return input != NULL;
}

/* Reads a small part whole (the ODF mimetype), up to @max bytes. */
static char *
package_read_small (Package    *package,
                    const char *path,
                    gsize       max)
{
  g_autoptr(SheetInput) input = package_open (package, path, NULL);
  gsf_off_t size;
  const guint8 *data;

  if (input == NULL)
    return NULL;
  size = MIN (gsf_input_size (input), (gsf_off_t) max);
  data = gsf_input_read (input, size, NULL);
  return data != NULL ? g_strndup ((const char *) data, size) : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* XML parts: libxml2's SAX push parser fed by chunks, never a DOM                        */

typedef struct _XmlParse XmlParse;

struct _XmlParse
{
  void (*start) (XmlParse       *parse,
                 const char     *name,
                 const char     *uri,
                 const xmlChar **attributes,
                 int             n_attributes);
  void (*end)   (XmlParse       *parse,
                 const char     *name,
                 const char     *uri);

  xmlParserCtxtPtr ctxt;
  const char      *part;
  GString         *text;        /* characters, while @collect */
  gboolean         collect;
  gboolean         stopped;     /* the handlers stopped the parser: see the fields below */
  gboolean         doctype;
  gboolean         done;        /* stopped because everything needed was read */
  GError          *error;       /* stopped on an error of the handlers */
  int              xml_error_line;
  gboolean         xml_error;
};

static void
xml_stop (XmlParse *parse)
{
  parse->stopped = TRUE;
  xmlStopParser (parse->ctxt);
}

static void
on_start_element (void           *user_data,
                  const xmlChar  *localname,
                  const xmlChar  *prefix,
                  const xmlChar  *uri,
                  int             n_namespaces,
                  const xmlChar **namespaces,
                  int             n_attributes,
                  int             n_defaulted,
                  const xmlChar **attributes)
{
  XmlParse *parse = user_data;

  if (!parse->stopped)
    parse->start (parse, (const char *) localname, (const char *) uri, attributes, n_attributes);
}

static void
on_end_element (void          *user_data,
                const xmlChar *localname,
                const xmlChar *prefix,
                const xmlChar *uri)
{
  XmlParse *parse = user_data;

  if (!parse->stopped && parse->end != NULL)
    parse->end (parse, (const char *) localname, (const char *) uri);
}

static void
on_characters (void          *user_data,
               const xmlChar *text,
               int            length)
{
  XmlParse *parse = user_data;

  if (parse->collect && !parse->stopped)
    g_string_append_len (parse->text, (const char *) text, length);
}

/* Spreadsheets never carry a DOCTYPE; one is where entity bombs and external entities
 * live, so stop right at it, before its declarations are even read. */
static void
on_internal_subset (void          *user_data,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  XmlParse *parse = user_data;

  parse->doctype = TRUE;
  xml_stop (parse);
}

static void
on_xml_error (void           *user_data,
              const xmlError *xml_error)
{
  XmlParse *parse = user_data;

  /* Keep the first error; the message to the user is ours, libxml2's is for nobody. */
  if (!parse->xml_error && xml_error->level >= XML_ERR_FATAL)
    {
      parse->xml_error = TRUE;
      parse->xml_error_line = xml_error->line;
    }
}

/* An attribute's value, found by local name (and namespace when @uri is not NULL). */
static const char *
xml_attribute (const xmlChar **attributes,
               int             n_attributes,
               const char     *uri,
               const char     *name,
               gsize          *length)
{
  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar **attribute = attributes + 5 * i;

      if (strcmp ((const char *) attribute[0], name) == 0
          && (uri == NULL
              || (attribute[2] != NULL && strcmp ((const char *) attribute[2], uri) == 0)))
        {
          *length = attribute[4] - attribute[3];
          return (const char *) attribute[3];
        }
    }
  return NULL;
}

/* A copy of an attribute's value. Without entity substitution libxml2 hands '&' over as
 * "&#38;" in attribute values (for its tree builder to decode), so decode it here. */
static char *
xml_attribute_dup (const xmlChar **attributes,
                   int             n_attributes,
                   const char     *uri,
                   const char     *name)
{
  gsize length = 0;
  const char *value = xml_attribute (attributes, n_attributes, uri, name, &length);
  GString *copy;

  if (value == NULL)
    return NULL;
  copy = g_string_new_len (value, length);
  g_string_replace (copy, "&#38;", "&", 0);
  return g_string_free (copy, FALSE);
}

static gint64
xml_attribute_int (const xmlChar **attributes,
                   int             n_attributes,
                   const char     *uri,
                   const char     *name,
                   gint64          fallback)
{
  gsize length = 0;
  const char *value = xml_attribute (attributes, n_attributes, uri, name, &length);
  char buffer[24];
  gint64 number;
  char *end = NULL;

  if (value == NULL || length == 0 || length >= sizeof buffer)
    return fallback;
  memcpy (buffer, value, length);
  buffer[length] = '\0';
  number = g_ascii_strtoll (buffer, &end, 10);
  return *end == '\0' ? number : fallback;
}

static gboolean
xml_attribute_is (const xmlChar **attributes,
                  int             n_attributes,
                  const char     *uri,
                  const char     *name,
                  const char     *expected)
{
  gsize length = 0;
  const char *value = xml_attribute (attributes, n_attributes, uri, name, &length);

  return value != NULL && length == strlen (expected) && memcmp (value, expected, length) == 0;
}

static gboolean
xml_attribute_is_true (const xmlChar **attributes,
                       int             n_attributes,
                       const char     *name)
{
  return xml_attribute_is (attributes, n_attributes, NULL, name, "1")
         || xml_attribute_is (attributes, n_attributes, NULL, name, "true");
}

/* Parses the part @path with @parse's handlers. A missing part is an error when @required,
 * else it is parsed as if empty. */
static gboolean
xml_parse_part (Package     *package,
                const char  *path,
                gboolean     required,
                XmlParse    *parse,
                GError     **error)
{
  g_autoptr(SheetInput) input = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  xmlSAXHandler sax;
  gsf_off_t total = 0;
  gboolean read_failed = FALSE;
  gboolean ok = TRUE;

  input = package_open (package, path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (input == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the path of a file inside the spreadsheet's zip
                    * archive, such as “xl/workbook.xml” */
                   _("This spreadsheet is damaged: its part “%s” is missing."), path);
      return FALSE;
    }

  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start_element;
  sax.endElementNs = on_end_element;
  sax.characters = on_characters;
  sax.ignorableWhitespace = on_characters;
  sax.cdataBlock = on_characters;
  sax.internalSubset = on_internal_subset;
  /* libxml2 2.12 made the error const; the layout is the same. */
  sax.serror = (xmlStructuredErrorFunc) on_xml_error;

  parse->part = path;
  parse->text = text;
  parse->ctxt = xmlCreatePushParserCtxt (&sax, parse, NULL, 0, path);
  if (parse->ctxt == NULL)
    g_error ("libxml2 could not allocate a parser");
  /* No XML_PARSE_NOENT or XML_PARSE_DTDLOAD: entities stay unexpanded, no DTD is loaded. */
  xmlCtxtUseOptions (parse->ctxt, XML_PARSE_NONET);

  while (!parse->stopped)
    {
      gsf_off_t remaining = gsf_input_remaining (input);
      gsize n = (gsize) MIN (remaining, READ_CHUNK);
      const guint8 *data;

      if (remaining <= 0)
        break;
      data = gsf_input_read (input, n, NULL);
      if (data == NULL)
        {
          read_failed = TRUE;
          break;
        }
      /* The zip header's size is what libgsf trusts; count what really comes out too. */
      total += n;
      if (total > PART_MAX_SIZE)
        {
          set_too_big (&parse->error, path);
          parse->stopped = TRUE;
          break;
        }
      if (xmlParseChunk (parse->ctxt, (const char *) data, (int) n, 0) != 0 || parse->xml_error)
        break;
    }
  if (!parse->stopped && !read_failed && !parse->xml_error)
    xmlParseChunk (parse->ctxt, NULL, 0, 1);

  if (parse->doctype)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the path of a file inside the spreadsheet's zip
                    * archive; DOCTYPE is an XML keyword, keep it as is */
                   _("This spreadsheet was refused: its part “%s” contains a document type "
                     "declaration (DOCTYPE), which real spreadsheets never have and which can "
                     "hide an attack."),
                   path);
      ok = FALSE;
    }
  else if (parse->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parse->error));
      ok = FALSE;
    }
  else if (parse->done)
    ok = TRUE;
  else if (read_failed)
    {
      set_damaged_part (error, path);
      ok = FALSE;
    }
  else if (parse->xml_error || !parse->ctxt->wellFormed)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the path of a file inside the spreadsheet's zip
                    * archive; %d a line number in it */
                   _("This spreadsheet is damaged: its part “%s” is not valid XML (line %d)."),
                   path, parse->xml_error_line);
      ok = FALSE;
    }

  xmlFreeParserCtxt (parse->ctxt);
  parse->ctxt = NULL;
  parse->text = NULL;
  g_clear_error (&parse->error);
  return ok;
}

static void
set_too_many_cells (XmlParse *parse)
{
  if (parse->error == NULL)
    g_set_error (&parse->error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                 /* Translators: %u is a number of cells, in millions */
                 _("This sheet has more than %u million cells with a value, more than Relance "
                   "can import at once."),
                 (guint) (MAX_CELLS / (1024 * 1024)));
  xml_stop (parse);
}

/* Resolves a relationship target against the folder of the part that names it. */
static char *
resolve_target (const char *base_dir,
                const char *target)
{
  g_autofree char *joined = NULL;
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (target[0] == '/')
    joined = g_strdup (target + 1);
  else
    joined = base_dir[0] != '\0' ? g_strconcat (base_dir, "/", target, NULL) : g_strdup (target);

  segments = g_strsplit (joined, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (segments[i][0] == '\0' || strcmp (segments[i], ".") == 0)
        continue;
      if (strcmp (segments[i], "..") == 0)
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, segments[i]);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

static char *
part_dir (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? g_strndup (path, slash - path) : g_strdup ("");
}

/* ------------------------------------------------------------------------------------ */
/* Office Open XML (.xlsx)                                                               */

/* The _rels/…rels parts: relationship ids and types to targets. */
typedef struct
{
  XmlParse    parse;
  GHashTable *by_id;        /* id → target */
  char       *office_document;
  char       *shared_strings;
  char       *styles;
} RelsParse;

static void
rels_start (XmlParse       *parse,
            const char     *name,
            const char     *uri,
            const xmlChar **attributes,
            int             n_attributes)
{
  RelsParse *rels = (RelsParse *) parse;
  g_autofree char *id = NULL;
  g_autofree char *type = NULL;
  g_autofree char *target = NULL;

  if (strcmp (name, "Relationship") != 0)
    return;
  id = xml_attribute_dup (attributes, n_attributes, NULL, "Id");
  type = xml_attribute_dup (attributes, n_attributes, NULL, "Type");
  target = xml_attribute_dup (attributes, n_attributes, NULL, "Target");
  if (target == NULL || xml_attribute_is (attributes, n_attributes, NULL, "TargetMode",
                                          "External"))
    return;
  /* Transitional and Strict OOXML spell the types' URIs differently; their ends agree. */
  if (type != NULL && g_str_has_suffix (type, "/officeDocument") && rels->office_document == NULL)
    rels->office_document = g_strdup (target);
  else if (type != NULL && g_str_has_suffix (type, "/sharedStrings"))
    {
      g_free (rels->shared_strings);
      rels->shared_strings = g_strdup (target);
    }
  else if (type != NULL && g_str_has_suffix (type, "/styles"))
    {
      g_free (rels->styles);
      rels->styles = g_strdup (target);
    }
  if (id != NULL)
    g_hash_table_replace (rels->by_id, g_steal_pointer (&id), g_steal_pointer (&target));
}

static void
rels_clear (RelsParse *rels)
{
  g_clear_pointer (&rels->by_id, g_hash_table_unref);
  g_clear_pointer (&rels->office_document, g_free);
  g_clear_pointer (&rels->shared_strings, g_free);
  g_clear_pointer (&rels->styles, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelsParse, rels_clear)

static gboolean
rels_read (Package     *package,
           const char  *path,
           RelsParse   *rels,
           GError     **error)
{
  memset (rels, 0, sizeof *rels);
  rels->parse.start = rels_start;
  rels->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return xml_parse_part (package, path, FALSE, &rels->parse, error);
}

/* xl/workbook.xml: the sheets' names and relationship ids, and the date system. */
typedef struct
{
  XmlParse   parse;
  GPtrArray *names;
  GPtrArray *ids;
  gboolean   date1904;
} WorkbookParse;

static void
workbook_start (XmlParse       *parse,
                const char     *name,
                const char     *uri,
                const xmlChar **attributes,
                int             n_attributes)
{
  WorkbookParse *workbook = (WorkbookParse *) parse;

  if (strcmp (name, "sheet") == 0)
    {
      char *sheet_name = xml_attribute_dup (attributes, n_attributes, NULL, "name");
      /* r:id; "id" is the only attribute of <sheet> with that local name. */
      char *id = xml_attribute_dup (attributes, n_attributes, NULL, "id");

      g_ptr_array_add (workbook->names, sheet_name != NULL ? sheet_name : g_strdup (""));
      g_ptr_array_add (workbook->ids, id != NULL ? id : g_strdup (""));
    }
  else if (strcmp (name, "workbookPr") == 0)
    workbook->date1904 = xml_attribute_is_true (attributes, n_attributes, "date1904");
}

/* xl/styles.xml: which cell formats (the cells' s="…") show a number as a date. */
typedef struct
{
  XmlParse    parse;
  GHashTable *custom_formats;   /* numFmtId → GINT_TO_POINTER (is a date + 1) */
  GArray     *xf_is_date;       /* gboolean per cellXfs entry */
  gboolean    in_cell_xfs;
} StylesParse;

/* Whether a number format code shows a date: it has a day, month or year outside quoted
 * text, [brackets] (colours, locales, elapsed [h]) and escapes. An "m" next to h or s is
 * minutes, so a format with only those is a time, not a date. */
static gboolean
format_code_is_date (const char *code)
{
  gboolean has_day_or_year = FALSE;
  gboolean has_m = FALSE;
  gboolean has_time = FALSE;

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == '"')
        {
          p = strchr (p + 1, '"');
          if (p == NULL)
            break;
        }
      else if (c == '[')
        {
          const char *close = strchr (p + 1, ']');

          if (close == NULL)
            break;
          /* Elapsed time, [h]:mm or [mm]:ss, is a duration. */
          if (strspn (p + 1, "hHmMsS") == (gsize) (close - p - 1) && close > p + 1)
            has_time = TRUE;
          p = close;
        }
      else if (c == '\\' || c == '_' || c == '*')
        {
          if (p[1] == '\0')
            break;
          p++;
        }
      else if (g_ascii_strncasecmp (p, "AM/PM", 5) == 0)
        {
          has_time = TRUE;
          p += 4;
        }
      else if (g_ascii_strncasecmp (p, "A/P", 3) == 0)
        {
          has_time = TRUE;
          p += 2;
        }
      else if (c == 'd' || c == 'y')
        has_day_or_year = TRUE;
      else if (c == 'm')
        has_m = TRUE;
      else if (c == 'h' || c == 's')
        has_time = TRUE;
    }
  return has_day_or_year || (has_m && !has_time);
}

static gboolean
builtin_format_is_date (gint64 id)
{
  /* 14-22: dates and times; 45-47: mm:ss and [h]:mm:ss; 27-36 and 50-58: the East Asian
   * locales' date formats. */
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
         || (id >= 50 && id <= 58);
}

static void
styles_start (XmlParse       *parse,
              const char     *name,
              const char     *uri,
              const xmlChar **attributes,
              int             n_attributes)
{
  StylesParse *styles = (StylesParse *) parse;

  if (strcmp (name, "numFmt") == 0)
    {
      gint64 id = xml_attribute_int (attributes, n_attributes, NULL, "numFmtId", -1);
      g_autofree char *code = xml_attribute_dup (attributes, n_attributes, NULL, "formatCode");

      if (id >= 0 && id <= G_MAXINT && code != NULL)
        g_hash_table_replace (styles->custom_formats, GINT_TO_POINTER ((int) id),
                              GINT_TO_POINTER (format_code_is_date (code) + 1));
    }
  else if (strcmp (name, "cellXfs") == 0)
    styles->in_cell_xfs = TRUE;
  else if (strcmp (name, "xf") == 0 && styles->in_cell_xfs)
    {
      gint64 id = xml_attribute_int (attributes, n_attributes, NULL, "numFmtId", 0);
      gpointer custom = NULL;
      gboolean is_date;

      /* A file may redefine a built-in id; its own code wins then. */
      if (id >= 0 && id <= G_MAXINT
          && g_hash_table_lookup_extended (styles->custom_formats, GINT_TO_POINTER ((int) id),
                                           NULL, &custom))
        is_date = GPOINTER_TO_INT (custom) - 1;
      else
        is_date = builtin_format_is_date (id);
      if (styles->xf_is_date->len < MAX_CELLS)
        g_array_append_val (styles->xf_is_date, is_date);
    }
}

static void
styles_end (XmlParse   *parse,
            const char *name,
            const char *uri)
{
  StylesParse *styles = (StylesParse *) parse;

  if (strcmp (name, "cellXfs") == 0)
    styles->in_cell_xfs = FALSE;
}

/* xl/sharedStrings.xml: the text of t="s" cells, by index. */
typedef struct
{
  XmlParse      parse;
  RelanceSheet *sheet;
  GPtrArray    *strings;     /* const char *, in sheet->strings */
  GString      *item;
  gboolean      in_item;
  guint         phonetic_depth;
} SharedStringsParse;

static void
shared_strings_start (XmlParse       *parse,
                      const char     *name,
                      const char     *uri,
                      const xmlChar **attributes,
                      int             n_attributes)
{
  SharedStringsParse *shared = (SharedStringsParse *) parse;

  if (strcmp (name, "si") == 0)
    {
      shared->in_item = TRUE;
      g_string_truncate (shared->item, 0);
    }
  else if (strcmp (name, "rPh") == 0)
    shared->phonetic_depth++;   /* Japanese reading aids, not part of the text */
  else if (strcmp (name, "t") == 0 && shared->in_item && shared->phonetic_depth == 0)
    {
      g_string_truncate (parse->text, 0);
      parse->collect = TRUE;
    }
}

static void
shared_strings_end (XmlParse   *parse,
                    const char *name,
                    const char *uri)
{
  SharedStringsParse *shared = (SharedStringsParse *) parse;

  if (strcmp (name, "t") == 0 && parse->collect)
    {
      append_ooxml_text (shared->item, parse->text->str, parse->text->len);
      parse->collect = FALSE;
    }
  else if (strcmp (name, "rPh") == 0 && shared->phonetic_depth > 0)
    shared->phonetic_depth--;
  else if (strcmp (name, "si") == 0 && shared->in_item)
    {
      shared->in_item = FALSE;
      g_ptr_array_add (shared->strings, (gpointer) sheet_intern (shared->sheet, shared->item->str));
    }
}

/* xl/worksheets/sheetN.xml: the cells. */
typedef enum
{
  XLSX_NUMBER,
  XLSX_SHARED,
  XLSX_INLINE,
  XLSX_STRING,
  XLSX_BOOLEAN,
  XLSX_ERROR,
  XLSX_DATE,
} XlsxType;

typedef struct
{
  XmlParse      parse;
  RelanceSheet *sheet;
  GPtrArray    *shared;
  GArray       *xf_is_date;
  gboolean      date1904;

  gboolean      in_data;
  gboolean      in_row;
  guint         row_number;
  guint         row_first_cell;
  gboolean      in_cell;
  guint         col;
  XlsxType      type;
  gboolean      is_date;
  gboolean      has_value;
  guint         phonetic_depth;
  GString      *value;
  GString      *cell_text;
} WorksheetParse;

/* "C12" → 2; -1 when there are no letters or too many. */
static int
column_of_reference (const char *ref,
                     gsize       length)
{
  guint col = 0;
  gsize i;

  for (i = 0; i < length && g_ascii_isalpha (ref[i]); i++)
    {
      col = col * 26 + (g_ascii_toupper (ref[i]) - 'A' + 1);
      if (col > MAX_COLUMNS)
        return -1;
    }
  return i == 0 ? -1 : (int) col - 1;
}

static void
worksheet_start (XmlParse       *parse,
                 const char     *name,
                 const char     *uri,
                 const xmlChar **attributes,
                 int             n_attributes)
{
  WorksheetParse *ws = (WorksheetParse *) parse;

  if (strcmp (name, "sheetData") == 0)
    ws->in_data = TRUE;
  else if (!ws->in_data)
    return;
  else if (strcmp (name, "row") == 0)
    {
      gint64 number = xml_attribute_int (attributes, n_attributes, NULL, "r", -1);

      ws->row_number = number >= 1 && number <= MAX_ROWS ? (guint) number
                                                         : MIN (ws->row_number + 1, MAX_ROWS);
      ws->row_first_cell = ws->sheet->cells->len;
      ws->in_row = TRUE;
      ws->col = 0;
    }
  else if (strcmp (name, "c") == 0 && ws->in_row)
    {
      gsize ref_length = 0;
      gsize length = 0;
      const char *ref = xml_attribute (attributes, n_attributes, NULL, "r", &ref_length);
      const char *type = xml_attribute (attributes, n_attributes, NULL, "t", &length);
      int col = ref != NULL ? column_of_reference (ref, ref_length) : -1;
      gint64 style = xml_attribute_int (attributes, n_attributes, NULL, "s", 0);

      /* Cells without r follow the previous one; ws->col is one past it. */
      ws->col = col >= 0 ? (guint) col : ws->col;
      ws->type = XLSX_NUMBER;
      if (type != NULL)
        {
          g_autofree char *t = g_strndup (type, length);

          if (strcmp (t, "s") == 0)
            ws->type = XLSX_SHARED;
          else if (strcmp (t, "inlineStr") == 0)
            ws->type = XLSX_INLINE;
          else if (strcmp (t, "str") == 0)
            ws->type = XLSX_STRING;
          else if (strcmp (t, "b") == 0)
            ws->type = XLSX_BOOLEAN;
          else if (strcmp (t, "e") == 0)
            ws->type = XLSX_ERROR;
          else if (strcmp (t, "d") == 0)
            ws->type = XLSX_DATE;
        }
      ws->is_date = style >= 0 && style < ws->xf_is_date->len
                    && g_array_index (ws->xf_is_date, gboolean, style);
      ws->in_cell = TRUE;
      ws->has_value = FALSE;
      ws->phonetic_depth = 0;
      g_string_truncate (ws->value, 0);
    }
  else if (!ws->in_cell)
    return;
  else if (strcmp (name, "v") == 0 || (strcmp (name, "t") == 0 && ws->phonetic_depth == 0))
    {
      /* <v> holds the value (the cached result for a formula); <is><r><t> inline text. */
      g_string_truncate (parse->text, 0);
      parse->collect = TRUE;
      ws->has_value = TRUE;
    }
  else if (strcmp (name, "rPh") == 0)
    ws->phonetic_depth++;
}

static void
worksheet_end_cell (WorksheetParse *ws)
{
  RelanceSheet *sheet = ws->sheet;
  GString *out = ws->cell_text;
  const char *value = ws->value->str;
  Cell cell;

  g_string_truncate (out, 0);
  if (!ws->has_value)
    return;
  switch (ws->type)
    {
    case XLSX_SHARED:
      {
        guint64 index = g_ascii_strtoull (value, NULL, 10);

        if (index < ws->shared->len)
          g_string_append (out, g_ptr_array_index (ws->shared, index));
      }
      break;
    case XLSX_INLINE:
    case XLSX_STRING:
      append_ooxml_text (out, value, ws->value->len);
      break;
    case XLSX_BOOLEAN:
      g_string_append (out, g_strstrip (ws->value->str)[0] == '1' ? "1" : "0");
      break;
    case XLSX_ERROR:
      break;
    case XLSX_DATE:
      append_iso_date (out, value);
      break;
    case XLSX_NUMBER:
    default:
      {
        double number;

        if (ws->is_date && parse_double (value, &number))
          append_serial_date (out, number, ws->date1904);
        else
          append_number_text (out, value);
      }
      break;
    }
  if (out->len == 0 || ws->col >= MAX_COLUMNS)
    return;
  if (sheet->cells->len >= MAX_CELLS)
    {
      set_too_many_cells (&ws->parse);
      return;
    }
  cell.col = ws->col;
  cell.text = sheet_intern (sheet, out->str);
  g_array_append_val (sheet->cells, cell);
}

static void
worksheet_end (XmlParse   *parse,
               const char *name,
               const char *uri)
{
  WorksheetParse *ws = (WorksheetParse *) parse;

  if (!ws->in_data)
    return;
  if (parse->collect && (strcmp (name, "v") == 0 || strcmp (name, "t") == 0))
    {
      g_string_append_len (ws->value, parse->text->str, parse->text->len);
      parse->collect = FALSE;
    }
  else if (strcmp (name, "rPh") == 0 && ws->phonetic_depth > 0)
    ws->phonetic_depth--;
  else if (strcmp (name, "c") == 0 && ws->in_cell)
    {
      ws->in_cell = FALSE;
      worksheet_end_cell (ws);
      ws->col = MIN (ws->col + 1, MAX_COLUMNS);
    }
  else if (strcmp (name, "row") == 0 && ws->in_row)
    {
      ws->in_row = FALSE;
      sheet_end_row (ws->sheet, ws->row_number, ws->row_first_cell);
    }
  else if (strcmp (name, "sheetData") == 0)
    {
      /* Merged ranges, hyperlinks and page setup follow: nothing an importer needs. */
      parse->done = TRUE;
      xml_stop (parse);
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

static void
set_sheet_not_found (GError     **error,
                     const char  *sheet_name,
                     GPtrArray   *names)
{
  g_autofree char *list = join_sheet_names (names);

  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: the first %s is the sheet the user asked for, the second the
                * list of the file's sheets, each in quotes, separated by commas */
               _("The sheet “%s” is not in this file; its sheets are: %s."), sheet_name, list);
}

static void
set_no_sheet (GError **error)
{
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("This spreadsheet is damaged: it has no sheet."));
}

static RelanceSheet *
read_xlsx (Package     *package,
           const char  *workbook_path,
           const char  *sheet_name,
           GError     **error)
{
  g_autoptr(RelanceSheet) sheet = sheet_new ();
  g_autofree char *workbook_dir = part_dir (workbook_path);
  g_autofree char *rels_path = NULL;
  g_autofree char *sheet_path = NULL;
  g_autofree char *styles_path = NULL;
  g_autofree char *shared_path = NULL;
  g_auto(RelsParse) rels = { { 0 } };
  WorkbookParse workbook = { { 0 } };
  StylesParse styles = { { 0 } };
  SharedStringsParse shared = { { 0 } };
  WorksheetParse ws = { { 0 } };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) custom_formats = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) xf_is_date = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) shared_strings = g_ptr_array_new ();
  g_autoptr(GString) item = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GString) cell_text = g_string_new (NULL);
  const char *target = NULL;
  guint index = 0;

  workbook.parse.start = workbook_start;
  workbook.names = names;
  workbook.ids = ids;
  if (!xml_parse_part (package, workbook_path, TRUE, &workbook.parse, error))
    return NULL;
  if (names->len == 0)
    {
      set_no_sheet (error);
      return NULL;
    }
  if (sheet_name != NULL)
    {
      if (!g_ptr_array_find_with_equal_func (names, sheet_name, g_str_equal, &index))
        {
          set_sheet_not_found (error, sheet_name, names);
          return NULL;
        }
    }

  {
    g_autofree char *base = g_path_get_basename (workbook_path);

    rels_path = workbook_dir[0] != '\0' ? g_strdup_printf ("%s/_rels/%s.rels", workbook_dir, base)
                                        : g_strdup_printf ("_rels/%s.rels", base);
  }
  if (!rels_read (package, rels_path, &rels, error))
    return NULL;
  target = g_hash_table_lookup (rels.by_id, g_ptr_array_index (ids, index));
  sheet_path = target != NULL ? resolve_target (workbook_dir, target)
                              : g_strdup_printf ("%s/worksheets/sheet%u.xml", workbook_dir,
                                                 index + 1);
  styles_path = resolve_target (workbook_dir, rels.styles != NULL ? rels.styles : "styles.xml");
  shared_path = resolve_target (workbook_dir, rels.shared_strings != NULL ? rels.shared_strings
                                                                          : "sharedStrings.xml");

  styles.parse.start = styles_start;
  styles.parse.end = styles_end;
  styles.custom_formats = custom_formats;
  styles.xf_is_date = xf_is_date;
  if (!xml_parse_part (package, styles_path, FALSE, &styles.parse, error))
    return NULL;

  shared.parse.start = shared_strings_start;
  shared.parse.end = shared_strings_end;
  shared.sheet = sheet;
  shared.strings = shared_strings;
  shared.item = item;
  if (!xml_parse_part (package, shared_path, FALSE, &shared.parse, error))
    return NULL;

  ws.parse.start = worksheet_start;
  ws.parse.end = worksheet_end;
  ws.sheet = sheet;
  ws.shared = shared_strings;
  ws.xf_is_date = xf_is_date;
  ws.date1904 = workbook.date1904;
  ws.value = value;
  ws.cell_text = cell_text;
  if (!xml_parse_part (package, sheet_path, TRUE, &ws.parse, error))
    return NULL;

  sheet->name = g_strdup (g_ptr_array_index (names, index));
  sheet_finish (sheet);
  return g_steal_pointer (&sheet);
}

/* ------------------------------------------------------------------------------------ */
/* OpenDocument (.ods)                                                                   */

typedef struct
{
  XmlParse      parse;
  RelanceSheet *sheet;
  const char   *wanted;        /* NULL: the first table */
  GPtrArray    *names;         /* every table seen, for the error message */
  gboolean      found;

  guint         table_depth;   /* tables nest inside cells; only the outer ones count */
  gboolean      active;        /* inside the wanted table, at its own level */
  guint64       row_number;    /* 1-based number of the current row */
  guint64       row_repeat;
  guint         row_first_cell;
  gboolean      in_row;
  guint64       col;
  guint64       col_repeat;
  gboolean      in_cell;
  gboolean      cell_has_value; /* the value is in an attribute, not the text */
  guint         annotation_depth;
  guint         paragraphs;
  gboolean      in_paragraph;
  gboolean      last_was_space;
  GString      *cell_text;
} OdsParse;

static gboolean
is_odf (const char *uri,
        const char *ns)
{
  return uri != NULL && strcmp (uri, ns) == 0;
}

/* Text in a paragraph: ODF collapses runs of white space to one space, as HTML does
 * (real runs are <text:s text:c="N"/>). */
static void
ods_append_paragraph_text (OdsParse *ods)
{
  GString *text = ods->parse.text;

  for (gsize i = 0; i < text->len; i++)
    {
      char c = text->str[i];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          if (!ods->last_was_space)
            g_string_append_c (ods->cell_text, ' ');
          ods->last_was_space = TRUE;
        }
      else
        {
          g_string_append_c (ods->cell_text, c);
          ods->last_was_space = FALSE;
        }
    }
  g_string_truncate (text, 0);
}

static void
ods_start_cell (OdsParse       *ods,
                const xmlChar **attributes,
                int             n_attributes,
                gboolean        covered)
{
  gsize length = 0;
  const char *type;
  g_autofree char *value = NULL;
  gint64 repeat = xml_attribute_int (attributes, n_attributes, NS_ODF_TABLE,
                                     "number-columns-repeated", 1);

  ods->in_cell = TRUE;
  ods->col_repeat = repeat >= 1 ? (guint64) repeat : 1;
  ods->cell_has_value = FALSE;
  ods->paragraphs = 0;
  ods->annotation_depth = 0;
  g_string_truncate (ods->cell_text, 0);
  if (covered)
    {
      /* Merged away: the value is the top-left cell's. */
      ods->cell_has_value = TRUE;
      return;
    }

  if (xml_attribute_is (attributes, n_attributes, NS_ODF_CALCEXT, "value-type", "error"))
    {
      ods->cell_has_value = TRUE;
      return;
    }
  type = xml_attribute (attributes, n_attributes, NS_ODF_OFFICE, "value-type", &length);
  if (type == NULL)
    return;
#define TYPE_IS(s) (length == strlen (s) && memcmp (type, s, length) == 0)
  if (TYPE_IS ("float") || TYPE_IS ("percentage") || TYPE_IS ("currency"))
    {
      value = xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE, "value");
      if (value != NULL)
        append_number_text (ods->cell_text, value);
    }
  else if (TYPE_IS ("date"))
    {
      value = xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE, "date-value");
      if (value != NULL)
        append_iso_date (ods->cell_text, value);
    }
  else if (TYPE_IS ("time"))
    {
      value = xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE, "time-value");
      if (value != NULL)
        append_odf_time (ods->cell_text, value);
    }
  else if (TYPE_IS ("boolean"))
    {
      value = xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE, "boolean-value");
      if (value != NULL)
        g_string_append (ods->cell_text, strcmp (value, "true") == 0 ? "1" : "0");
    }
#undef TYPE_IS
  ods->cell_has_value = value != NULL;
}

static void
ods_end_cell (OdsParse *ods)
{
  RelanceSheet *sheet = ods->sheet;

  ods->in_cell = FALSE;
  if (ods->cell_text->len > 0 && ods->col < MAX_COLUMNS)
    {
      const char *text = sheet_intern (sheet, ods->cell_text->str);
      /* A repeat past the last column would be garbage: never expand beyond it. */
      guint64 end = MIN (ods->col + ods->col_repeat, MAX_COLUMNS);

      for (guint64 col = ods->col; col < end; col++)
        {
          Cell cell = { (guint) col, text };

          if (sheet->cells->len >= MAX_CELLS)
            {
              set_too_many_cells (&ods->parse);
              return;
            }
          g_array_append_val (sheet->cells, cell);
        }
    }
  /* An empty repeat, however long, only moves the column on. */
  ods->col = MIN (ods->col + ods->col_repeat, (guint64) MAX_COLUMNS);
}

static void
ods_end_row (OdsParse *ods)
{
  RelanceSheet *sheet = ods->sheet;
  guint first = ods->row_first_cell;
  guint n = sheet->cells->len - first;

  ods->in_row = FALSE;
  if (n > 0 && ods->row_number <= MAX_ROWS)
    {
      sheet_end_row (sheet, (guint) ods->row_number, first);
      /* Identical rows written once: each is a row of its own for the importer. */
      for (guint64 i = 1; i < ods->row_repeat && ods->row_number + i <= MAX_ROWS; i++)
        {
          guint copy_first = sheet->cells->len;

          if (sheet->cells->len + n > MAX_CELLS)
            {
              set_too_many_cells (&ods->parse);
              return;
            }
          g_array_set_size (sheet->cells, copy_first + n);
          memcpy (&g_array_index (sheet->cells, Cell, copy_first),
                  &g_array_index (sheet->cells, Cell, first), n * sizeof (Cell));
          sheet_end_row (sheet, (guint) (ods->row_number + i), copy_first);
        }
    }
  /* An empty repeat, however long, only moves the row number on. */
  ods->row_number += ods->row_repeat;
}

static void
ods_start (XmlParse       *parse,
           const char     *name,
           const char     *uri,
           const xmlChar **attributes,
           int             n_attributes)
{
  OdsParse *ods = (OdsParse *) parse;

  if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "table") == 0)
    {
      if (ods->table_depth++ == 0)
        {
          char *table_name = xml_attribute_dup (attributes, n_attributes, NS_ODF_TABLE, "name");

          if (table_name == NULL)
            table_name = g_strdup ("");
          g_ptr_array_add (ods->names, table_name);
          if (!ods->found && (ods->wanted == NULL || strcmp (ods->wanted, table_name) == 0))
            {
              ods->found = TRUE;
              ods->active = TRUE;
              ods->sheet->name = g_strdup (table_name);
              ods->row_number = 1;
            }
        }
      return;
    }
  if (!ods->active || ods->table_depth != 1)
    return;

  if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "table-row") == 0)
    {
      gint64 repeat = xml_attribute_int (attributes, n_attributes, NS_ODF_TABLE,
                                         "number-rows-repeated", 1);

      ods->in_row = TRUE;
      ods->row_repeat = repeat >= 1 ? (guint64) repeat : 1;
      ods->row_first_cell = ods->sheet->cells->len;
      ods->col = 0;
    }
  else if (!ods->in_row)
    return;
  else if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "table-cell") == 0)
    ods_start_cell (ods, attributes, n_attributes, FALSE);
  else if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "covered-table-cell") == 0)
    ods_start_cell (ods, attributes, n_attributes, TRUE);
  else if (!ods->in_cell)
    return;
  else if (is_odf (uri, NS_ODF_OFFICE) && strcmp (name, "annotation") == 0)
    ods->annotation_depth++;
  else if (ods->annotation_depth > 0 || ods->cell_has_value || !is_odf (uri, NS_ODF_TEXT))
    return;
  else if (strcmp (name, "p") == 0 || strcmp (name, "h") == 0)
    {
      if (ods->paragraphs++ > 0)
        g_string_append_c (ods->cell_text, '\n');
      ods->in_paragraph = TRUE;
      ods->last_was_space = TRUE;   /* leading blanks of a paragraph do not count */
      g_string_truncate (parse->text, 0);
      parse->collect = TRUE;
    }
  else if (!ods->in_paragraph)
    return;
  else if (strcmp (name, "s") == 0)
    {
      gint64 count = xml_attribute_int (attributes, n_attributes, NS_ODF_TEXT, "c", 1);

      ods_append_paragraph_text (ods);
      for (gint64 i = 0; i < CLAMP (count, 1, 1024); i++)
        g_string_append_c (ods->cell_text, ' ');
      ods->last_was_space = FALSE;
    }
  else if (strcmp (name, "tab") == 0 || strcmp (name, "line-break") == 0)
    {
      ods_append_paragraph_text (ods);
      g_string_append_c (ods->cell_text, name[0] == 't' ? '\t' : '\n');
      ods->last_was_space = TRUE;
    }
  else if (strcmp (name, "note") == 0)
    {
      /* A footnote's body is not the cell's text. */
      ods_append_paragraph_text (ods);
      ods->annotation_depth++;
      parse->collect = FALSE;
    }
}

static void
ods_end (XmlParse   *parse,
         const char *name,
         const char *uri)
{
  OdsParse *ods = (OdsParse *) parse;

  if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "table") == 0)
    {
      if (ods->table_depth > 0 && --ods->table_depth == 0 && ods->active)
        {
          /* The wanted table is read: the rest of the file does not matter. */
          ods->active = FALSE;
          parse->done = TRUE;
          xml_stop (parse);
        }
      return;
    }
  if (!ods->active || ods->table_depth != 1)
    return;

  if (is_odf (uri, NS_ODF_TABLE) && strcmp (name, "table-row") == 0 && ods->in_row)
    ods_end_row (ods);
  else if (is_odf (uri, NS_ODF_TABLE)
           && (strcmp (name, "table-cell") == 0 || strcmp (name, "covered-table-cell") == 0)
           && ods->in_cell)
    ods_end_cell (ods);
  else if (!ods->in_cell)
    return;
  else if (is_odf (uri, NS_ODF_OFFICE) && strcmp (name, "annotation") == 0)
    {
      if (ods->annotation_depth > 0)
        ods->annotation_depth--;
    }
  else if (!is_odf (uri, NS_ODF_TEXT))
    return;
  else if (strcmp (name, "note") == 0)
    {
      if (ods->annotation_depth > 0)
        ods->annotation_depth--;
      if (ods->annotation_depth == 0 && ods->in_paragraph)
        parse->collect = TRUE;
    }
  else if ((strcmp (name, "p") == 0 || strcmp (name, "h") == 0) && ods->in_paragraph
           && ods->annotation_depth == 0)
    {
      ods_append_paragraph_text (ods);
      ods->in_paragraph = FALSE;
      parse->collect = FALSE;
    }
}

static RelanceSheet *
read_ods (Package     *package,
          const char  *sheet_name,
          GError     **error)
{
  g_autoptr(RelanceSheet) sheet = sheet_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cell_text = g_string_new (NULL);
  OdsParse ods = { { 0 } };

  ods.parse.start = ods_start;
  ods.parse.end = ods_end;
  ods.sheet = sheet;
  ods.wanted = sheet_name;
  ods.names = names;
  ods.cell_text = cell_text;
  if (!xml_parse_part (package, "content.xml", TRUE, &ods.parse, error))
    return NULL;
  if (!ods.found)
    {
      if (names->len == 0)
        set_no_sheet (error);
      else
        set_sheet_not_found (error, sheet_name, names);
      return NULL;
    }
  sheet_finish (sheet);
  return g_steal_pointer (&sheet);
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
  g_auto(RelsParse) root_rels = { { 0 } };
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
  if (!rels_read (&package, "_rels/.rels", &root_rels, error))
    return NULL;
  if (root_rels.office_document != NULL)
    workbook_path = resolve_target ("", root_rels.office_document);
  else
    workbook_path = g_strdup ("xl/workbook.xml");
  if (package_has (&package, workbook_path))
    return read_xlsx (&package, workbook_path, sheet_name, error);

  mimetype = package_read_small (&package, "mimetype", 256);
  if (mimetype != NULL)
    {
      g_strstrip (mimetype);
      if (g_str_has_prefix (mimetype, "application/vnd.oasis.opendocument.spreadsheet"))
        return read_ods (&package, sheet_name, error);
    }
  else if (package_has (&package, "content.xml"))
    return read_ods (&package, sheet_name, error);

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
