/* relance-template-render.c: a parsed template rendered with values, as plain text, as an
 * HTML email body, or as a header line. */
#include "config.h"

#include "relance-template-private.h"

static const char *
lookup_value (const RelanceTemplateValues *values,
              const NameInfo              *info,
              GHashTable                  *current)
{
  GHashTable *invoice = current;
  const char *value = NULL;

  if (values == NULL)
    return NULL;
  if (invoice == NULL && info->per_invoice
      && values->invoices != NULL && values->invoices->len > 0)
    invoice = g_ptr_array_index (values->invoices, 0);
  if (invoice != NULL)
    value = g_hash_table_lookup (invoice, info->name);
  /* Inside {{#invoices}}, an invoice's own value or nothing: a value set for the message
   * as a whole stands in for the first invoice only outside the section. */
  if (value == NULL && current != NULL && info->per_invoice)
    return NULL;
  if (value == NULL && values->globals != NULL)
    value = g_hash_table_lookup (values->globals, info->name);
  return value;
}

static void
append_value (GString             *out,
              const char          *value,
              RelanceTemplateMode  mode)
{
  g_autofree char *valid = NULL;

  if (value == NULL || *value == '\0')
    return;
  /* Values come from user data and imports: never let bad bytes reach a message. */
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  switch (mode)
    {
    case RELANCE_TEMPLATE_MODE_HTML:
      relance_template_append_html (out, value, FALSE);
      break;

    case RELANCE_TEMPLATE_MODE_TEXT:
    case RELANCE_TEMPLATE_MODE_HEADER: /* cleaned once the whole line is there */
      g_string_append (out, value);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
render_range (const RelanceTemplate       *self,
              guint                        from,
              guint                        to,
              const RelanceTemplateValues *values,
              GHashTable                  *current,
              RelanceTemplateMode          mode,
              GString                     *out)
{
  for (guint i = from; i < to; i++)
    {
      const Node *node = &g_array_index (self->nodes, Node, i);

      switch (node->kind)
        {
        case NODE_TEXT:
          if (mode == RELANCE_TEMPLATE_MODE_HTML)
            g_string_append_len (out, node->html, node->html_len);
          else
            g_string_append_len (out, node->text, node->text_len);
          break;

        case NODE_VALUE:
          append_value (out, lookup_value (values, node->name, current), mode);
          break;

        case NODE_SECTION:
          if (node->when != NULL)
            {
              const char *value = lookup_value (values, node->when, current);

              if (value != NULL && *value != '\0')
                render_range (self, i + 1, node->end, values, current, mode, out);
              i = node->end - 1;
              break;
            }
          {
            gboolean table = mode == RELANCE_TEMPLATE_MODE_HTML && node->as_table;
            GPtrArray *invoices = values != NULL ? values->invoices : NULL;
            guint n_invoices = invoices != NULL ? invoices->len : 0;

            if (table && n_invoices > 0)
              g_string_append (out, TABLE_OPEN);
            for (guint k = 0; k < n_invoices; k++)
              {
                if (table)
                  g_string_append (out, ROW_OPEN);
                render_range (self, i + 1, node->end, values,
                              g_ptr_array_index (invoices, k), mode, out);
                if (table)
                  g_string_append (out, ROW_CLOSE);
              }
            if (table && n_invoices > 0)
              g_string_append (out, TABLE_CLOSE);
            i = node->end - 1;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* One line for a header: no control character (CR and LF above all) and no run of
 * spaces survives, whichever value or template text brought it. */
static char *
clean_header (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' || c == '\t' || c == 0x2028 || c == 0x2029 || g_unichar_iscntrl (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static const char *
document_language (const RelanceTemplateValues *values)
{
  const char *lang = values != NULL ? values->language : NULL;

  if (lang == NULL || *lang == '\0' || strlen (lang) > 35)
    return "en";
  for (const char *p = lang; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return "en";
  return lang;
}

char *
relance_template_render (const RelanceTemplate       *self,
                         const RelanceTemplateValues *values,
                         RelanceTemplateMode          mode)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  switch (mode)
    {
    case RELANCE_TEMPLATE_MODE_TEXT:
      out = g_string_sized_new (self->size_hint);
      render_range (self, 0, self->nodes->len, values, NULL, mode, out);
      return g_string_free (out, FALSE);

    case RELANCE_TEMPLATE_MODE_HEADER:
      {
        g_autofree char *raw = NULL;

        out = g_string_sized_new (self->size_hint);
        render_range (self, 0, self->nodes->len, values, NULL, mode, out);
        raw = g_string_free (out, FALSE);
        return clean_header (raw);
      }

    case RELANCE_TEMPLATE_MODE_HTML:
      out = g_string_sized_new (self->size_hint + 1024);
      g_string_append_printf (out,
                              "<!DOCTYPE html>\n"
                              "<html lang=\"%s\">\n"
                              "<head>\n"
                              "<meta charset=\"utf-8\">\n"
                              "<meta name=\"viewport\" content=\"width=device-width, "
                              "initial-scale=1\">\n",
                              document_language (values));
      if (values != NULL && values->title != NULL)
        {
          g_autofree char *title = clean_header (values->title);

          g_string_append (out, "<title>");
          relance_template_append_html (out, title, FALSE);
          g_string_append (out, "</title>\n");
        }
      g_string_append (out,
                       "</head>\n"
                       "<body style=\"margin: 0; padding: 16px; background-color: #ffffff; "
                       "color: #1e1e1e; font-family: Cantarell, 'Segoe UI', Roboto, "
                       "Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5;\">\n"
                       "<div style=\"max-width: 640px;\">\n");
      render_range (self, 0, self->nodes->len, values, NULL, mode, out);
      g_string_append (out, "\n</div>\n</body>\n</html>\n");
      return g_string_free (out, FALSE);

    default:
      g_return_val_if_reached (NULL);
    }
}

char *
relance_template_render_subject (const RelanceTemplate       *self,
                                 const RelanceTemplateValues *values)
{
  return relance_template_render (self, values, RELANCE_TEMPLATE_MODE_HEADER);
}

RelanceTemplateValues *
relance_template_values_new (const char *language)
{
  RelanceTemplateValues *values = g_new0 (RelanceTemplateValues, 1);

  values->language = g_strdup (language != NULL ? language : "en");
  values->globals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  values->invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  return values;
}

void
relance_template_values_free (RelanceTemplateValues *values)
{
  if (values == NULL)
    return;
  g_free (values->language);
  g_free (values->title);
  g_clear_pointer (&values->globals, g_hash_table_unref);
  g_clear_pointer (&values->invoices, g_ptr_array_unref);
  g_free (values);
}

static void
table_set (GHashTable *table,
           const char *name,
           const char *value)
{
  if (value == NULL)
    g_hash_table_remove (table, name);
  else
    g_hash_table_insert (table, g_strdup (name), g_strdup (value));
}

/* A name outside the list is a programming error: the template could never show it. */
void
relance_template_values_set (RelanceTemplateValues *values,
                             const char            *name,
                             const char            *value)
{
  g_return_if_fail (values != NULL);
  g_return_if_fail (name != NULL && relance_template_is_name (name));

  table_set (values->globals, name, value);
}

void
relance_template_values_set_title (RelanceTemplateValues *values,
                                   const char            *title)
{
  g_return_if_fail (values != NULL);

  g_free (values->title);
  values->title = g_strdup (title);
}

/* Returns the index of the new invoice, for relance_template_values_set_invoice(). */
guint
relance_template_values_add_invoice (RelanceTemplateValues *values)
{
  g_return_val_if_fail (values != NULL, 0);

  g_ptr_array_add (values->invoices,
                   g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free));
  return values->invoices->len - 1;
}

void
relance_template_values_set_invoice (RelanceTemplateValues *values,
                                     guint                  index,
                                     const char            *name,
                                     const char            *value)
{
  g_return_if_fail (values != NULL);
  g_return_if_fail (index < values->invoices->len);
  g_return_if_fail (name != NULL && relance_template_is_name (name));

  table_set (g_ptr_array_index (values->invoices, index), name, value);
}
