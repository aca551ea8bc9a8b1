/* relance-template.h: the reminder template language.
 *
 * A template is plain text with {{name}} placeholders (spaces allowed inside the braces)
 * and sections. {{#invoices}} … {{/invoices}} is repeated for each invoice of a grouped
 * message (it cannot contain itself); {{#name}} … {{/name}}, for any placeholder name,
 * shows its content only when that value is not empty (e.g. a sentence about a broken
 * promise to pay). Inside {{#invoices}}, an invoice.* name is the current invoice's value;
 * outside it, invoice.* names refer to the first invoice, or to a value set for the whole
 * message when the first invoice has none. Everything else comes from the global values.
 * Missing values render as nothing. A backslash right before "{{" writes a literal "{{".
 *
 * A template is parsed once (errors carry "LINE:COLUMN: reason", 1-based, the column in
 * characters, at the opening "{{" of the faulty tag) and then rendered as many times as
 * needed without reparsing: as plain text, as an HTML email body (everything escaped), or
 * as a header such as a subject (no CR, LF or other control character can get through). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The repeated section: {{#invoices}} … {{/invoices}}. */
#define RELANCE_TEMPLATE_SECTION "invoices"

typedef struct _RelanceTemplate RelanceTemplate;

typedef enum
{
  RELANCE_TEMPLATE_MODE_TEXT,   /* plain text, values as given */
  RELANCE_TEMPLATE_MODE_HTML,   /* a complete HTML document, every value escaped */
  RELANCE_TEMPLATE_MODE_HEADER, /* one line: control characters become spaces, runs of
                                 * whitespace collapse, ends trimmed */
} RelanceTemplateMode;

/* Where a template error is, for the editor to highlight it. */
typedef struct
{
  guint line;   /* 1-based */
  guint column; /* 1-based, in characters */
  gsize offset; /* in bytes from the start of the text */
  guint length; /* in characters: the faulty tag, or 2 for an unclosed "{{" */
} RelanceTemplatePosition;

/* What a template is rendered with. The values are already formatted for the client's
 * language by the caller (amounts, dates). Fill it with the functions below; the fields
 * may be read directly. */
typedef struct
{
  char       *language; /* "fr", "en"…: the lang of the HTML document */
  char       *title;    /* optional <title> of the HTML document, usually the subject */
  GHashTable *globals;  /* name → value */
  GPtrArray  *invoices; /* one GHashTable (name → value) per invoice, in message order */
} RelanceTemplateValues;

RelanceTemplate *relance_template_parse          (const char               *text,
                                                  GError                  **error);
RelanceTemplate *relance_template_parse_full     (const char               *text,
                                                  RelanceTemplatePosition  *out_error_position,
                                                  GError                  **error);
gboolean         relance_template_check          (const char               *text,
                                                  GError                  **error);
gboolean         relance_template_error_get_position (const GError         *error,
                                                      guint                *out_line,
                                                      guint                *out_column);
void             relance_template_free           (RelanceTemplate          *self);

gboolean         relance_template_has_section    (const RelanceTemplate    *self);
gboolean         relance_template_uses           (const RelanceTemplate    *self,
                                                  const char               *name);

char            *relance_template_render         (const RelanceTemplate        *self,
                                                  const RelanceTemplateValues  *values,
                                                  RelanceTemplateMode           mode);
char            *relance_template_render_subject (const RelanceTemplate        *self,
                                                  const RelanceTemplateValues  *values);

GPtrArray       *relance_template_list_names     (void);
gboolean         relance_template_is_name        (const char               *name);
const char      *relance_template_describe_name  (const char               *name);

RelanceTemplateValues *relance_template_values_new         (const char            *language);
void                   relance_template_values_free        (RelanceTemplateValues *values);
void                   relance_template_values_set         (RelanceTemplateValues *values,
                                                            const char            *name,
                                                            const char            *value);
void                   relance_template_values_set_title   (RelanceTemplateValues *values,
                                                            const char            *title);
guint                  relance_template_values_add_invoice (RelanceTemplateValues *values);
void                   relance_template_values_set_invoice (RelanceTemplateValues *values,
                                                            guint                  index,
                                                            const char            *name,
                                                            const char            *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceTemplate, relance_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceTemplateValues, relance_template_values_free)

G_END_DECLS
