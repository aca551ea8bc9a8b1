/* relance-template.c: parsing reminder templates once, into text, values and sections, with
 * their HTML compiled ahead of rendering (relance-template-render.c). */
#include "config.h"

#include "relance-template-private.h"

/* {{#invoices}} with a conditional inside, or conditionals in conditionals: a few levels
 * are plenty for a letter, and a bound keeps the parser's state fixed. */
#define MAX_SECTION_DEPTH 8

/* Long garbage between braces is cut in error messages. */
#define MAX_NAME_IN_MESSAGE 40

typedef struct
{
  const char              *text;
  GArray                  *nodes;
  GString                 *literal;
  guint                    depth;              /* open sections, innermost last: */
  guint                    open[MAX_SECTION_DEPTH];           /* index of the node */
  const char              *open_tag[MAX_SECTION_DEPTH];       /* its "{{" */
  const char              *open_tag_end[MAX_SECTION_DEPTH];
  gboolean                 open_standalone[MAX_SECTION_DEPTH];
  RelanceTemplatePosition *position;
  GError                 **error;
} Parser;

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_clear_pointer (&node->text, g_free);
  g_clear_pointer (&node->html, g_free);
}

void
relance_template_free (RelanceTemplate *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->nodes);
  g_free (self);
}

static char *
name_for_message (const char *start,
                  gsize       len)
{
  g_autofree char *name = g_strndup (start, len);

  if (g_utf8_strlen (name, -1) > MAX_NAME_IN_MESSAGE)
    {
      g_autofree char *cut = g_utf8_substring (name, 0, MAX_NAME_IN_MESSAGE);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&name);
}

/* Takes @reason. */
static void
parser_fail (Parser     *parser,
             const char *at,
             guint       length,
             char       *reason)
{
  g_autofree char *owned_reason = reason;
  const char *line_start = parser->text;
  guint line = 1;
  guint column;

  for (const char *s = parser->text; s < at; s++)
    if (*s == '\n')
      {
        line++;
        line_start = s + 1;
      }
  column = g_utf8_strlen (line_start, at - line_start) + 1;

  if (parser->position != NULL)
    {
      parser->position->line = line;
      parser->position->column = column;
      parser->position->offset = at - parser->text;
      parser->position->length = length;
    }
  g_set_error (parser->error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               "%u:%u: %s", line, column, owned_reason);
}

static void
parser_flush_literal (Parser *parser)
{
  Node node = { NODE_TEXT, };

  if (parser->literal->len == 0)
    return;
  node.text_len = parser->literal->len;
  node.text = g_strndup (parser->literal->str, parser->literal->len);
  g_array_append_val (parser->nodes, node);
  g_string_truncate (parser->literal, 0);
}

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* A section tag alone on its line takes the whole line with it, so that sections laid out
 * as lines do not leave blank lines behind. Returns where to carry on, or NULL. */
static const char *
standalone_end (Parser     *parser,
                const char *tag,
                const char *tag_end,
                gsize      *out_blank_before)
{
  const char *start = tag;
  const char *end = tag_end;

  while (start > parser->text && is_blank (start[-1]))
    start--;
  if (start > parser->text && start[-1] != '\n')
    return NULL;
  while (is_blank (*end))
    end++;
  if (end[0] == '\r' && end[1] == '\n')
    end += 2;
  else if (end[0] == '\n')
    end++;
  else if (end[0] != '\0')
    return NULL;

  *out_blank_before = tag - start;
  return end;
}

static guint
line_of (const Parser *parser,
         const char   *at)
{
  guint line = 1;

  for (const char *s = parser->text; s < at; s++)
    if (*s == '\n')
      line++;
  return line;
}

/* The name of an open section as the user wrote it in its opening tag. */
static const char *
open_name (const Parser *parser,
           guint         level)
{
  const Node *node = &g_array_index (parser->nodes, Node, parser->open[level]);

  return node->when != NULL ? node->when->name : RELANCE_TEMPLATE_SECTION;
}

/* Handles {{#name}} and {{/name}}; returns where to carry on, or NULL on error.
 * {{#invoices}} repeats its content for each invoice; {{#placeholder}} shows its content
 * only when that placeholder has a value (in or out of {{#invoices}}, like the value). */
static const char *
parser_section_tag (Parser     *parser,
                    const char *tag,
                    const char *tag_end,
                    char        sigil,
                    const char *name,
                    gsize       name_len)
{
  guint tag_length = g_utf8_strlen (tag, tag_end - tag);
  gsize blank_before = 0;
  const NameInfo *when = NULL;
  g_autofree char *shown = name_for_message (name, name_len);
  const char *after;
  const char *resume;

  if (name_len != strlen (RELANCE_TEMPLATE_SECTION)
      || memcmp (name, RELANCE_TEMPLATE_SECTION, name_len) != 0)
    when = relance_template_lookup_name (name, name_len);
  if ((name_len != strlen (RELANCE_TEMPLATE_SECTION)
       || memcmp (name, RELANCE_TEMPLATE_SECTION, name_len) != 0) && when == NULL)
    {
      static const char * const sections[] = { RELANCE_TEMPLATE_SECTION };
      const char *close = relance_template_suggest (shown, sections, G_N_ELEMENTS (sections));

      if (close == NULL)
        close = relance_template_suggest_name (shown);
      if (close != NULL)
        /* Translators: a section of a reminder template, written {{#name}} … {{/name}};
         * the first %s is what the user typed, the second a valid name such as
         * “invoices”. */
        parser_fail (parser, tag, tag_length,
                     g_strdup_printf (_("Unknown section “%s”. Did you mean “%s”?"),
                                      shown, close));
      else
        parser_fail (parser, tag, tag_length,
                     g_strdup_printf (_("Unknown section “%s”: a section is either "
                                        "“{{#invoices}}” … “{{/invoices}}”, or a placeholder "
                                        "such as “{{#invoice.promise_date}}” … "
                                        "“{{/invoice.promise_date}}”, shown only when it has "
                                        "a value."), shown));
      return NULL;
    }

  after = standalone_end (parser, tag, tag_end, &blank_before);
  if (after != NULL)
    {
      g_string_truncate (parser->literal, parser->literal->len - MIN (blank_before,
                                                                        parser->literal->len));
      resume = after;
    }
  else
    resume = tag_end;

  if (sigil == '#')
    {
      Node node = { NODE_SECTION, };

      node.when = when;
      for (guint level = 0; when == NULL && level < parser->depth; level++)
        if (g_array_index (parser->nodes, Node, parser->open[level]).when == NULL)
          {
            /* Translators: %u is a line number in the template. */
            parser_fail (parser, tag, tag_length,
                         g_strdup_printf (_("Sections cannot be nested: close the section "
                                            "opened on line %u with “{{/invoices}}” first."),
                                          line_of (parser, parser->open_tag[level])));
            return NULL;
          }
      if (parser->depth == MAX_SECTION_DEPTH)
        {
          /* Translators: %u is a number of sections, such as 8. */
          parser_fail (parser, tag, tag_length,
                       g_strdup_printf (_("Too many sections inside one another: at most "
                                          "%u."), MAX_SECTION_DEPTH));
          return NULL;
        }
      parser_flush_literal (parser);
      parser->open[parser->depth] = parser->nodes->len;
      parser->open_tag[parser->depth] = tag;
      parser->open_tag_end[parser->depth] = tag_end;
      parser->open_standalone[parser->depth] = after != NULL;
      parser->depth++;
      g_array_append_val (parser->nodes, node);
    }
  else
    {
      guint level;
      Node *section;

      if (parser->depth == 0)
        {
          if (when == NULL)
            parser_fail (parser, tag, tag_length,
                         g_strdup (_("“{{/invoices}}” closes a section that was never opened: "
                                     "add “{{#invoices}}” before it, or remove it.")));
          else
            /* Translators: both %s are the same placeholder name, such as
             * invoice.promise_date. */
            parser_fail (parser, tag, tag_length,
                         g_strdup_printf (_("“{{/%s}}” closes a section that was never "
                                            "opened: add “{{#%s}}” before it, or remove it."),
                                          shown, shown));
          return NULL;
        }
      level = parser->depth - 1;
      section = &g_array_index (parser->nodes, Node, parser->open[level]);
      if (section->when != when)
        {
          /* Translators: the first %s is the closing tag the user wrote, such as
           * {{/invoices}}; the second the name of the section still open; %u its line. */
          parser_fail (parser, tag, tag_length,
                       g_strdup_printf (_("“{{/%s}}” does not close the section that is open: "
                                          "close “{{#%s}}”, opened on line %u, first."),
                                        shown, open_name (parser, level),
                                        line_of (parser, parser->open_tag[level])));
          return NULL;
        }
      parser_flush_literal (parser);
      section = &g_array_index (parser->nodes, Node, parser->open[level]);
      section->end = parser->nodes->len;
      section->as_table = when == NULL && parser->open_standalone[level] && after != NULL
                          && section->end > parser->open[level] + 1;
      parser->depth--;
    }
  return resume;
}

/* Handles the tag at @tag ("{{"); returns where to carry on, or NULL on error. */
static const char *
parser_tag (Parser     *parser,
            const char *tag)
{
  const char *close = tag + 2;
  const char *tag_end;
  const char *start;
  const char *end;
  const NameInfo *info;
  Node node = { NODE_VALUE, };

  /* A tag stops at the end of its line, so that a forgotten "}}" is reported where it was
   * forgotten and not many lines later. */
  while (*close != '\0' && *close != '\n'
         && !(close[0] == '}' && close[1] == '}')
         && !(close[0] == '{' && close[1] == '{'))
    close++;
  if (!(close[0] == '}' && close[1] == '}'))
    {
      parser_fail (parser, tag, 2,
                   g_strdup (_("“{{” is not closed: add “}}” after the placeholder name.")));
      return NULL;
    }
  tag_end = close + 2;

  start = tag + 2;
  end = close;
  while (start < end && is_blank (*start))
    start++;
  while (end > start && is_blank (end[-1]))
    end--;

  if (start < end && (*start == '#' || *start == '/'))
    {
      char sigil = *start++;

      while (start < end && is_blank (*start))
        start++;
      if (start < end)
        return parser_section_tag (parser, tag, tag_end, sigil, start, end - start);
    }

  if (start == end)
    {
      parser_fail (parser, tag, g_utf8_strlen (tag, tag_end - tag),
                   g_strdup (_("Empty placeholder: write a name between the braces, "
                               "such as “{{client.name}}”.")));
      return NULL;
    }

  info = relance_template_lookup_name (start, end - start);
  if (info == NULL)
    {
      g_autofree char *shown = name_for_message (start, end - start);
      const char *close_name = relance_template_suggest_name (shown);
      guint tag_length = g_utf8_strlen (tag, tag_end - tag);

      if (strcmp (shown, RELANCE_TEMPLATE_SECTION) == 0)
        parser_fail (parser, tag, tag_length,
                     g_strdup (_("“invoices” is a section, not a value: put "
                                 "“{{#invoices}}” before and “{{/invoices}}” after what to "
                                 "repeat for each invoice.")));
      else if (close_name != NULL)
        /* Translators: the first %s is what the user typed between {{ }}, the second a
         * valid placeholder name such as client.name (not to be translated). */
        parser_fail (parser, tag, tag_length,
                     g_strdup_printf (_("Unknown placeholder “%s”. Did you mean “%s”?"),
                                      shown, close_name));
      else
        /* Translators: %s is what the user typed between {{ }}. */
        parser_fail (parser, tag, tag_length,
                     g_strdup_printf (_("Unknown placeholder “%s”. Choose one from the list "
                                        "of placeholders."), shown));
      return NULL;
    }

  parser_flush_literal (parser);
  node.name = info;
  g_array_append_val (parser->nodes, node);
  return tag_end;
}

/* Removes control characters but line breaks and tabs; NULL when there are none. */
static char *
strip_controls (const char *text)
{
  GString *out = NULL;
  const char *p;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean drop = c != '\n' && c != '\t' && g_unichar_iscntrl (c);

      if (drop && out == NULL)
        out = g_string_new_len (text, p - text);
      if (out != NULL && !drop)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

/* Escaped text with line breaks as <br>; in a table row, "|" and tabs separate cells. */
void
relance_template_append_html (GString    *out,
                              const char *text,
                              gboolean    in_table)
{
  g_autofree char *clean = strip_controls (text);
  g_autofree char *escaped = g_markup_escape_text (clean != NULL ? clean : text, -1);

  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "<br>\n");
      else if (*p == '&' && strncmp (p, "&apos;", 6) == 0)
        {
          /* &apos; is not HTML 4, which some mail clients still are. */
          g_string_append (out, "&#39;");
          p += 5;
        }
      else if (in_table && (*p == '|' || *p == '\t'))
        {
          while (out->len > 0 && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append (out, CELL_BREAK);
          while (p[1] == ' ')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
}

/* In a row, a leading list bullet and the line break that ends the row are plain-text
 * layout: the table shows them already. */
static char *
literal_to_html (const char *text,
                 gboolean    in_table,
                 gboolean    first_in_row,
                 gboolean    last_in_row)
{
  g_autofree char *trimmed = g_strdup (text);
  char *start = trimmed;
  GString *out = g_string_new (NULL);

  if (in_table && first_in_row)
    {
      static const char * const bullets[] = { "- ", "* ", "• ", "– ", "— ", "-\t", "*\t" };

      while (g_ascii_isspace (*start))
        start++;
      for (guint i = 0; i < G_N_ELEMENTS (bullets); i++)
        if (g_str_has_prefix (start, bullets[i]))
          {
            start += strlen (bullets[i]);
            break;
          }
      while (is_blank (*start))
        start++;
    }
  if (in_table && last_in_row)
    g_strchomp (start);

  relance_template_append_html (out, start, in_table);
  return g_string_free (out, FALSE);
}

static void
compile_html (RelanceTemplate *self)
{
  guint table_end = 0;
  guint table_start = 0;

  for (guint i = 0; i < self->nodes->len; i++)
    {
      Node *node = &g_array_index (self->nodes, Node, i);

      switch (node->kind)
        {
        case NODE_SECTION:
          if (node->when == NULL && node->as_table)
            {
              table_start = i + 1;
              table_end = node->end;
            }
          break;

        case NODE_TEXT:
          {
            gboolean in_table = i >= table_start && i < table_end;

            node->html = literal_to_html (node->text, in_table,
                                          in_table && i == table_start,
                                          in_table && i + 1 == table_end);
            node->html_len = strlen (node->html);
          }
          break;

        case NODE_VALUE:
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

RelanceTemplate *
relance_template_parse_full (const char               *text,
                             RelanceTemplatePosition  *out_error_position,
                             GError                  **error)
{
  g_autoptr(RelanceTemplate) self = NULL;
  g_autoptr(GString) literal = NULL;
  const char *invalid = NULL;
  const char *p;
  Parser parser = { 0, };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_error_position != NULL)
    memset (out_error_position, 0, sizeof *out_error_position);

  self = g_new0 (RelanceTemplate, 1);
  self->nodes = g_array_new (FALSE, TRUE, sizeof (Node));
  g_array_set_clear_func (self->nodes, node_clear);
  literal = g_string_new (NULL);

  parser.text = text;
  parser.nodes = self->nodes;
  parser.literal = literal;
  parser.position = out_error_position;
  parser.error = error;

  if (!g_utf8_validate (text, -1, &invalid))
    {
      parser_fail (&parser, invalid, 1,
                   g_strdup (_("The template is not valid UTF-8 text: save it again as "
                               "UTF-8.")));
      return NULL;
    }

  p = text;
  while (*p != '\0')
    {
      if (p[0] == '\\' && p[1] == '{' && p[2] == '{')
        {
          g_string_append (literal, "{{");
          p += 3;
        }
      else if (p[0] == '{' && p[1] == '{')
        {
          p = parser_tag (&parser, p);
          if (p == NULL)
            return NULL;
        }
      else
        g_string_append_c (literal, *p++);
    }
  parser_flush_literal (&parser);

  if (parser.depth > 0)
    {
      guint level = parser.depth - 1;
      const char *tag = parser.open_tag[level];
      guint length = g_utf8_strlen (tag, parser.open_tag_end[level] - tag);
      const char *name = open_name (&parser, level);

      if (g_str_equal (name, RELANCE_TEMPLATE_SECTION))
        parser_fail (&parser, tag, length,
                     g_strdup (_("The section “{{#invoices}}” is never closed: add "
                                 "“{{/invoices}}” after its content.")));
      else
        /* Translators: both %s are the same placeholder name, such as
         * invoice.promise_date. */
        parser_fail (&parser, tag, length,
                     g_strdup_printf (_("The section “{{#%s}}” is never closed: add "
                                        "“{{/%s}}” after its content."), name, name));
      return NULL;
    }

  compile_html (self);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const Node *node = &g_array_index (self->nodes, Node, i);

      if (node->kind == NODE_SECTION && node->when == NULL)
        self->has_section = TRUE;
      /* Room for the literal text and a typical value, so most renders allocate once. */
      self->size_hint += node->kind == NODE_TEXT ? node->html_len : 32;
    }
  return g_steal_pointer (&self);
}

RelanceTemplate *
relance_template_parse (const char  *text,
                        GError     **error)
{
  return relance_template_parse_full (text, NULL, error);
}

gboolean
relance_template_check (const char  *text,
                        GError     **error)
{
  g_autoptr(RelanceTemplate) tpl = relance_template_parse (text, error);

  return tpl != NULL;
}

/* Reads back the position at the start of a template error's message. */
gboolean
relance_template_error_get_position (const GError *error,
                                     guint        *out_line,
                                     guint        *out_column)
{
  const char *p;
  char *end;
  guint64 line;
  guint64 column;

  if (error == NULL || !g_error_matches (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID))
    return FALSE;

  p = error->message;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  line = g_ascii_strtoull (p, &end, 10);
  if (*end != ':' || !g_ascii_isdigit (end[1]))
    return FALSE;
  column = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != ':' || line == 0 || column == 0 || line > G_MAXUINT || column > G_MAXUINT)
    return FALSE;

  if (out_line != NULL)
    *out_line = line;
  if (out_column != NULL)
    *out_column = column;
  return TRUE;
}

gboolean
relance_template_has_section (const RelanceTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_section;
}

gboolean
relance_template_uses (const RelanceTemplate *self,
                       const char            *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      const Node *node = &g_array_index (self->nodes, Node, i);

      if (node->kind == NODE_VALUE && strcmp (node->name->name, name) == 0)
        return TRUE;
    }
  return FALSE;
}
