/* relance-xml.c: a libxml2 tree from untrusted bytes, refusing any DOCTYPE. */
#include "config.h"

#include <libxml/parser.h>

#include "relance-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)

static void
ensure_libxml (void)
{
  static gsize initialized = 0;

  /* libxml2 wants one xmlInitParser() before threads may use it. */
  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Replaces libxml2's own handler: the first sight of "<!DOCTYPE" stops the parser, before a
 * single entity is declared, let alone expanded. */
static void
refuse_internal_subset (void          *user_data,
                        const xmlChar *name,
                        const xmlChar *external_id,
                        const xmlChar *system_id)
{
  xmlStopParser ((xmlParserCtxt *) user_data);
}

xmlDoc *
relance_xml_read (const char         *data,
                  gsize               size,
                  RelanceXmlProblem  *out_problem,
                  int                *out_line,
                  char              **out_detail)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  /* NONET: no fetching of anything; no NOENT (entity substitution), no DTDLOAD, no HUGE:
   * libxml2 keeps its default limits on depth and text size. */
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

  g_return_val_if_fail (out_problem != NULL, NULL);
  g_return_val_if_fail (size <= G_MAXINT, NULL);

  *out_problem = RELANCE_XML_OK;
  if (out_line != NULL)
    *out_line = 0;
  if (out_detail != NULL)
    *out_detail = NULL;

  ensure_libxml ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      *out_problem = RELANCE_XML_NO_READER;
      return NULL;
    }
  ctxt->sax->internalSubset = refuse_internal_subset;
  doc = xmlCtxtReadMemory (ctxt, data, (int) size, NULL, NULL, options);

  /* Only refuse_internal_subset() stops this parser. The DTD checks after it are a second
   * lock in case a libxml2 version reports a DOCTYPE some other way. */
  if (ctxt->errNo == XML_ERR_USER_STOP
      || (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL)))
    {
      *out_problem = RELANCE_XML_DOCTYPE;
      return NULL;
    }
  if (doc == NULL || !ctxt->wellFormed)
    {
      const xmlError *xml_error = xmlCtxtGetLastError (ctxt);

      *out_problem = RELANCE_XML_MALFORMED;
      if (out_line != NULL && xml_error != NULL)
        *out_line = xml_error->line;
      if (out_detail != NULL)
        *out_detail = g_strstrip (g_strdup (xml_error != NULL && xml_error->message != NULL
                                            ? xml_error->message : ""));
      return NULL;
    }
  return g_steal_pointer (&doc);
}
