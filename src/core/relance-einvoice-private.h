/* relance-einvoice-private.h: what the e-invoice reader's files share: the XML tree and
 * the two syntaxes (relance-einvoice.c), the values as EN 16931 writes them
 * (relance-einvoice-values.c), the XML carried in a Factur-X PDF (relance-einvoice-pdf.c). */
#pragma once

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "relance-einvoice.h"
#include "relance-error.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* relance-einvoice.c: errors, the XML tree, a CII or UBL document read */
gboolean         relance_einvoice_invalid        (GError       **error,
                                                  const char    *message);
char            *relance_einvoice_node_text      (xmlNode       *node);
char            *relance_einvoice_node_attribute (xmlNode       *node,
                                                  const char    *name);
RelanceEinvoice *relance_einvoice_read_xml       (const guint8  *data,
                                                  gsize          size,
                                                  gboolean       cii_only,
                                                  GError       **error);

/* relance-einvoice-values.c: the values as EN 16931 writes them */
gboolean  relance_einvoice_read_amount         (xmlNode             *node,
                                                const char          *term,
                                                const char          *currency,
                                                gboolean            *out_present,
                                                gint64              *out_minor,
                                                GError             **error);
gboolean  relance_einvoice_parse_cii_date      (xmlNode             *node,
                                                GDate               *out_date);
gboolean  relance_einvoice_parse_ubl_date      (xmlNode             *node,
                                                GDate               *out_date);
gboolean  relance_einvoice_due_date_from_terms (const char          *terms,
                                                const GDate         *issue,
                                                GDate               *out_due);
gboolean  relance_einvoice_code_in             (const char          *code,
                                                const char * const  *codes,
                                                gsize                n_codes);
char     *relance_einvoice_clean_email         (char                *text);
char     *relance_einvoice_clean_siren         (char                *text,
                                                const char          *scheme);
char     *relance_einvoice_clean_country       (char                *text);
char     *relance_einvoice_siren_of            (xmlNode             *node);

/* relance-einvoice-pdf.c: the XML a Factur-X PDF carries */
RelanceEinvoice *relance_einvoice_read_pdf (GBytes  *bytes,
                                            GError **error);

G_END_DECLS
