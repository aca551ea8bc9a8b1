/* relance-sheet-ods.c: OpenDocument spreadsheets (.ods): the content part's tables, with
 * repeated cells and rows expanded within the caps. */
#include "config.h"

#include "relance-sheet-private.h"

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
  gint64 repeat = relance_sheet_xml_attribute_int (attributes, n_attributes, NS_ODF_TABLE,
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

  if (relance_sheet_xml_attribute_is (attributes, n_attributes, NS_ODF_CALCEXT, "value-type",
                                      "error"))
    {
      ods->cell_has_value = TRUE;
      return;
    }
  type = relance_sheet_xml_attribute (attributes, n_attributes, NS_ODF_OFFICE, "value-type",
                                      &length);
  if (type == NULL)
    return;
#define TYPE_IS(s) (length == strlen (s) && memcmp (type, s, length) == 0)
  if (TYPE_IS ("float") || TYPE_IS ("percentage") || TYPE_IS ("currency"))
    {
      value = relance_sheet_xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE, "value");
      if (value != NULL)
        relance_sheet_append_number_text (ods->cell_text, value);
    }
  else if (TYPE_IS ("date"))
    {
      value = relance_sheet_xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE,
                                               "date-value");
      if (value != NULL)
        relance_sheet_append_iso_date (ods->cell_text, value);
    }
  else if (TYPE_IS ("time"))
    {
      value = relance_sheet_xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE,
                                               "time-value");
      if (value != NULL)
        relance_sheet_append_odf_time (ods->cell_text, value);
    }
  else if (TYPE_IS ("boolean"))
    {
      value = relance_sheet_xml_attribute_dup (attributes, n_attributes, NS_ODF_OFFICE,
                                               "boolean-value");
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
      const char *text = relance_sheet_intern (sheet, ods->cell_text->str);
      /* A repeat past the last column would be garbage: never expand beyond it. */
      guint64 end = MIN (ods->col + ods->col_repeat, MAX_COLUMNS);

      for (guint64 col = ods->col; col < end; col++)
        {
          Cell cell = { (guint) col, text };

          if (sheet->cells->len >= MAX_CELLS)
            {
              relance_sheet_set_too_many_cells (&ods->parse);
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
      relance_sheet_end_row (sheet, (guint) ods->row_number, first);
      /* Identical rows written once: each is a row of its own for the importer. */
      for (guint64 i = 1; i < ods->row_repeat && ods->row_number + i <= MAX_ROWS; i++)
        {
          guint copy_first = sheet->cells->len;

          if (sheet->cells->len + n > MAX_CELLS)
            {
              relance_sheet_set_too_many_cells (&ods->parse);
              return;
            }
          g_array_set_size (sheet->cells, copy_first + n);
          memcpy (&g_array_index (sheet->cells, Cell, copy_first),
                  &g_array_index (sheet->cells, Cell, first), n * sizeof (Cell));
          relance_sheet_end_row (sheet, (guint) (ods->row_number + i), copy_first);
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
          char *table_name = relance_sheet_xml_attribute_dup (attributes, n_attributes,
                                                              NS_ODF_TABLE, "name");

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
      gint64 repeat = relance_sheet_xml_attribute_int (attributes, n_attributes, NS_ODF_TABLE,
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
      gint64 count = relance_sheet_xml_attribute_int (attributes, n_attributes, NS_ODF_TEXT, "c",
                                                      1);

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
          relance_sheet_xml_stop (parse);
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

RelanceSheet *
relance_sheet_read_ods (Package     *package,
                        const char  *sheet_name,
                        GError     **error)
{
  g_autoptr(RelanceSheet) sheet = relance_sheet_new_empty ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cell_text = g_string_new (NULL);
  OdsParse ods = { { 0 } };

  ods.parse.start = ods_start;
  ods.parse.end = ods_end;
  ods.sheet = sheet;
  ods.wanted = sheet_name;
  ods.names = names;
  ods.cell_text = cell_text;
  if (!relance_sheet_xml_parse_part (package, "content.xml", TRUE, &ods.parse, error))
    return NULL;
  if (!ods.found)
    {
      if (names->len == 0)
        relance_sheet_set_no_sheet (error);
      else
        relance_sheet_set_not_found (error, sheet_name, names);
      return NULL;
    }
  relance_sheet_finish (sheet);
  return g_steal_pointer (&sheet);
}
