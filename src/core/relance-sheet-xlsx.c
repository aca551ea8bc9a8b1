/* relance-sheet-xlsx.c: Office Open XML (.xlsx): the workbook, its relationships, styles
 * (which numbers are dates), shared strings and the chosen worksheet. */
#include "config.h"

#include "relance-sheet-private.h"

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
  id = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL, "Id");
  type = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL, "Type");
  target = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL, "Target");
  if (target == NULL
      || relance_sheet_xml_attribute_is (attributes, n_attributes, NULL, "TargetMode",
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
  return relance_sheet_xml_parse_part (package, path, FALSE, &rels->parse, error);
}

char *
relance_sheet_xlsx_workbook_path (Package  *package,
                                  GError  **error)
{
  g_auto(RelsParse) root_rels = { { 0 } };

  if (!rels_read (package, "_rels/.rels", &root_rels, error))
    return NULL;
  if (root_rels.office_document != NULL)
    return relance_sheet_resolve_target ("", root_rels.office_document);
  return g_strdup ("xl/workbook.xml");
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
      char *sheet_name = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL, "name");
      /* r:id; "id" is the only attribute of <sheet> with that local name. */
      char *id = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL, "id");

      g_ptr_array_add (workbook->names, sheet_name != NULL ? sheet_name : g_strdup (""));
      g_ptr_array_add (workbook->ids, id != NULL ? id : g_strdup (""));
    }
  else if (strcmp (name, "workbookPr") == 0)
    workbook->date1904 = relance_sheet_xml_attribute_is_true (attributes, n_attributes, "date1904");
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
      gint64 id = relance_sheet_xml_attribute_int (attributes, n_attributes, NULL, "numFmtId", -1);
      g_autofree char *code = relance_sheet_xml_attribute_dup (attributes, n_attributes, NULL,
                                                               "formatCode");

      if (id >= 0 && id <= G_MAXINT && code != NULL)
        g_hash_table_replace (styles->custom_formats, GINT_TO_POINTER ((int) id),
                              GINT_TO_POINTER (format_code_is_date (code) + 1));
    }
  else if (strcmp (name, "cellXfs") == 0)
    styles->in_cell_xfs = TRUE;
  else if (strcmp (name, "xf") == 0 && styles->in_cell_xfs)
    {
      gint64 id = relance_sheet_xml_attribute_int (attributes, n_attributes, NULL, "numFmtId", 0);
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
      relance_sheet_append_ooxml_text (shared->item, parse->text->str, parse->text->len);
      parse->collect = FALSE;
    }
  else if (strcmp (name, "rPh") == 0 && shared->phonetic_depth > 0)
    shared->phonetic_depth--;
  else if (strcmp (name, "si") == 0 && shared->in_item)
    {
      shared->in_item = FALSE;
      g_ptr_array_add (shared->strings, (gpointer) relance_sheet_intern (shared->sheet,
                                                                         shared->item->str));
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
      gint64 number = relance_sheet_xml_attribute_int (attributes, n_attributes, NULL, "r", -1);

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
      const char *ref = relance_sheet_xml_attribute (attributes, n_attributes, NULL, "r",
                                                     &ref_length);
      const char *type = relance_sheet_xml_attribute (attributes, n_attributes, NULL, "t", &length);
      int col = ref != NULL ? column_of_reference (ref, ref_length) : -1;
      gint64 style = relance_sheet_xml_attribute_int (attributes, n_attributes, NULL, "s", 0);

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
      relance_sheet_append_ooxml_text (out, value, ws->value->len);
      break;
    case XLSX_BOOLEAN:
      g_string_append (out, g_strstrip (ws->value->str)[0] == '1' ? "1" : "0");
      break;
    case XLSX_ERROR:
      break;
    case XLSX_DATE:
      relance_sheet_append_iso_date (out, value);
      break;
    case XLSX_NUMBER:
    default:
      {
        double number;

        if (ws->is_date && relance_sheet_parse_double (value, &number))
          relance_sheet_append_serial_date (out, number, ws->date1904);
        else
          relance_sheet_append_number_text (out, value);
      }
      break;
    }
  if (out->len == 0 || ws->col >= MAX_COLUMNS)
    return;
  if (sheet->cells->len >= MAX_CELLS)
    {
      relance_sheet_set_too_many_cells (&ws->parse);
      return;
    }
  cell.col = ws->col;
  cell.text = relance_sheet_intern (sheet, out->str);
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
      relance_sheet_end_row (ws->sheet, ws->row_number, ws->row_first_cell);
    }
  else if (strcmp (name, "sheetData") == 0)
    {
      /* Merged ranges, hyperlinks and page setup follow: nothing an importer needs. */
      parse->done = TRUE;
      relance_sheet_xml_stop (parse);
    }
}

RelanceSheet *
relance_sheet_read_xlsx (Package     *package,
                         const char  *workbook_path,
                         const char  *sheet_name,
                         GError     **error)
{
  g_autoptr(RelanceSheet) sheet = relance_sheet_new_empty ();
  g_autofree char *workbook_dir = relance_sheet_part_dir (workbook_path);
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
  if (!relance_sheet_xml_parse_part (package, workbook_path, TRUE, &workbook.parse, error))
    return NULL;
  if (names->len == 0)
    {
      relance_sheet_set_no_sheet (error);
      return NULL;
    }
  if (sheet_name != NULL)
    {
      if (!g_ptr_array_find_with_equal_func (names, sheet_name, g_str_equal, &index))
        {
          relance_sheet_set_not_found (error, sheet_name, names);
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
  sheet_path = target != NULL ? relance_sheet_resolve_target (workbook_dir, target)
                              : g_strdup_printf ("%s/worksheets/sheet%u.xml", workbook_dir,
                                                 index + 1);
  styles_path = relance_sheet_resolve_target (workbook_dir,
                                              rels.styles != NULL ? rels.styles : "styles.xml");
  shared_path = relance_sheet_resolve_target (workbook_dir,
                                              rels.shared_strings != NULL
                                                ? rels.shared_strings : "sharedStrings.xml");

  styles.parse.start = styles_start;
  styles.parse.end = styles_end;
  styles.custom_formats = custom_formats;
  styles.xf_is_date = xf_is_date;
  if (!relance_sheet_xml_parse_part (package, styles_path, FALSE, &styles.parse, error))
    return NULL;

  shared.parse.start = shared_strings_start;
  shared.parse.end = shared_strings_end;
  shared.sheet = sheet;
  shared.strings = shared_strings;
  shared.item = item;
  if (!relance_sheet_xml_parse_part (package, shared_path, FALSE, &shared.parse, error))
    return NULL;

  ws.parse.start = worksheet_start;
  ws.parse.end = worksheet_end;
  ws.sheet = sheet;
  ws.shared = shared_strings;
  ws.xf_is_date = xf_is_date;
  ws.date1904 = workbook.date1904;
  ws.value = value;
  ws.cell_text = cell_text;
  if (!relance_sheet_xml_parse_part (package, sheet_path, TRUE, &ws.parse, error))
    return NULL;

  sheet->name = g_strdup (g_ptr_array_index (names, index));
  relance_sheet_finish (sheet);
  return g_steal_pointer (&sheet);
}
