/* relance-template-private.h: what the template engine's files share: the names a template
 * may use (relance-template-names.c), the parsed template (relance-template.c) and its
 * rendering (relance-template-render.c). */
#pragma once

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-template.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  gboolean    per_invoice; /* outside the section, taken from the first invoice */
  const char *description;
} NameInfo;

typedef enum
{
  NODE_TEXT,
  NODE_VALUE,
  NODE_SECTION,
} NodeKind;

typedef struct
{
  NodeKind        kind;
  const NameInfo *name;     /* NODE_VALUE */
  char           *text;     /* NODE_TEXT, as written */
  gsize           text_len;
  char           *html;     /* NODE_TEXT, escaped, line breaks as <br> */
  gsize           html_len;
  guint           end;      /* NODE_SECTION: index just past its content */
  gboolean        as_table; /* NODE_SECTION: laid out as lines, so a table in HTML */
  const NameInfo *when;     /* NODE_SECTION: NULL for {{#invoices}}; else a placeholder
                             * whose content shows only when the value is not empty */
} Node;

struct _RelanceTemplate
{
  GArray *nodes;
  gsize   size_hint;
  guint   has_section : 1;
};

/* The HTML of {{#invoices}} laid out as lines: a table. */
#define CELL_STYLE "padding: 4px 16px 4px 0; border-bottom: 1px solid #dddddd; " \
                   "vertical-align: top;"
#define TABLE_OPEN "<table style=\"border-collapse: collapse; margin: 8px 0;\">\n"
#define TABLE_CLOSE "</table>\n"
#define ROW_OPEN "<tr><td style=\"" CELL_STYLE "\">"
#define ROW_CLOSE "</td></tr>\n"
#define CELL_BREAK "</td><td style=\"" CELL_STYLE "\">"

/* relance-template-names.c: the names, and the one a typo meant */
const NameInfo *relance_template_lookup_name  (const char         *name,
                                               gsize               len);
const char     *relance_template_suggest      (const char         *wrong,
                                               const char * const *candidates,
                                               guint               n_candidates);
const char     *relance_template_suggest_name (const char         *wrong);

/* relance-template.c: text escaped for HTML, with line breaks (a row's cells in a table) */
void relance_template_append_html (GString    *out,
                                   const char *text,
                                   gboolean    in_table);

G_END_DECLS
