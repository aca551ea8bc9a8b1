/* relance-sheet-xml.c: the parts of a spreadsheet's zip archive, refused beyond the caps
 * before a byte is inflated, and its XML parts read by libxml2's SAX push parser in chunks,
 * never as a DOM, never with a DOCTYPE. */
#include "config.h"

#include "relance-sheet-private.h"

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

gboolean
relance_sheet_package_has (Package    *package,
                           const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, "/", -1);
  g_autoptr(SheetInput) input = gsf_infile_child_by_aname (package->zip, (const char **) names);

  return input != NULL;
}

/* Reads a small part whole (the ODF mimetype), up to @max bytes. */
char *
relance_sheet_package_read_small (Package    *package,
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


void
relance_sheet_xml_stop (XmlParse *parse)
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
  relance_sheet_xml_stop (parse);
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
const char *
relance_sheet_xml_attribute (const xmlChar **attributes,
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
char *
relance_sheet_xml_attribute_dup (const xmlChar **attributes,
                                 int             n_attributes,
                                 const char     *uri,
                                 const char     *name)
{
  gsize length = 0;
  const char *value = relance_sheet_xml_attribute (attributes, n_attributes, uri, name, &length);
  GString *copy;

  if (value == NULL)
    return NULL;
  copy = g_string_new_len (value, length);
  g_string_replace (copy, "&#38;", "&", 0);
  return g_string_free (copy, FALSE);
}

gint64
relance_sheet_xml_attribute_int (const xmlChar **attributes,
                                 int             n_attributes,
                                 const char     *uri,
                                 const char     *name,
                                 gint64          fallback)
{
  gsize length = 0;
  const char *value = relance_sheet_xml_attribute (attributes, n_attributes, uri, name, &length);
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

gboolean
relance_sheet_xml_attribute_is (const xmlChar **attributes,
                                int             n_attributes,
                                const char     *uri,
                                const char     *name,
                                const char     *expected)
{
  gsize length = 0;
  const char *value = relance_sheet_xml_attribute (attributes, n_attributes, uri, name, &length);

  return value != NULL && length == strlen (expected) && memcmp (value, expected, length) == 0;
}

gboolean
relance_sheet_xml_attribute_is_true (const xmlChar **attributes,
                                     int             n_attributes,
                                     const char     *name)
{
  return relance_sheet_xml_attribute_is (attributes, n_attributes, NULL, name, "1")
         || relance_sheet_xml_attribute_is (attributes, n_attributes, NULL, name, "true");
}

/* Parses the part @path with @parse's handlers. A missing part is an error when @required,
 * else it is parsed as if empty. */
gboolean
relance_sheet_xml_parse_part (Package     *package,
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

void
relance_sheet_set_too_many_cells (XmlParse *parse)
{
  if (parse->error == NULL)
    g_set_error (&parse->error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                 /* Translators: %u is a number of cells, in millions */
                 _("This sheet has more than %u million cells with a value, more than Relance "
                   "can import at once."),
                 (guint) (MAX_CELLS / (1024 * 1024)));
  relance_sheet_xml_stop (parse);
}

/* Resolves a relationship target against the folder of the part that names it. */
char *
relance_sheet_resolve_target (const char *base_dir,
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

char *
relance_sheet_part_dir (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? g_strndup (path, slash - path) : g_strdup ("");
}
