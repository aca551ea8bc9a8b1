/* relance-xml.h: reading an untrusted XML document (e-invoices, bank statements) as a tree:
 * no DOCTYPE at all (the parser is stopped the moment one starts), no network, no entity
 * substitution, libxml2's own limits on depth and text size. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

typedef enum
{
  RELANCE_XML_OK,
  RELANCE_XML_NO_READER,  /* libxml2 could not start a parser */
  RELANCE_XML_DOCTYPE,    /* a DTD or entities are declared: refused */
  RELANCE_XML_MALFORMED,  /* not well-formed: see @out_line and @out_detail */
} RelanceXmlProblem;

/* The document, or NULL with @out_problem saying why (each caller words it for its users);
 * @out_line and @out_detail (libxml2's explanation, in English) describe a malformed one. */
xmlDoc *relance_xml_read (const char         *data,
                          gsize               size,
                          RelanceXmlProblem  *out_problem,
                          int                *out_line,
                          char              **out_detail);

G_END_DECLS
