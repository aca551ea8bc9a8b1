/* relance-einvoice-pdf.c: Factur-X and ZUGFeRD: the CII invoice a PDF/A-3 carries as an
 * embedded file, found with poppler-glib and capped before it is decompressed. */
#include "config.h"

#include "relance-einvoice-private.h"
#include <poppler.h>

/* ---- PDF ------------------------------------------------------------------------------- */

/* The names Factur-X 1.0, ZUGFeRD 2.x and XRechnung give the embedded XML. */
static gboolean
is_invoice_attachment_name (const char *name)
{
  static const char * const names[] = {
    "factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml",
  };

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Poppler decompresses the attachment as it goes: stop as soon as it passes the cap, since
 * a few kilobytes of PDF can inflate to gigabytes. */
static gboolean
save_capped (const gchar  *buf,
             gsize         count,
             gpointer      user_data,
             GError      **error)
{
  GByteArray *out = user_data;

  if (count > RELANCE_EINVOICE_MAX_XML_SIZE - out->len)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %d is a size in megabytes */
                   _("The invoice attached to this PDF is larger than %d MB, which is far too "
                     "big for an invoice."), RELANCE_EINVOICE_MAX_XML_SIZE / (1024 * 1024));
      return FALSE;
    }
  g_byte_array_append (out, (const guint8 *) buf, count);
  return TRUE;
}

static RelanceEinvoice *
read_attachment (PopplerAttachment  *attachment,
                 GError            **error)
{
  g_autoptr(GByteArray) xml = g_byte_array_new ();
  g_autoptr(GError) save_error = NULL;
  RelanceEinvoice *e;

  if (!poppler_attachment_save_to_callback (attachment, save_capped, xml, &save_error))
    {
      if (g_error_matches (save_error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID))
        g_propagate_error (error, g_steal_pointer (&save_error));
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                     /* Translators: %s is the reason given by the PDF library */
                     _("The invoice attached to this PDF could not be extracted: %s"),
                     save_error != NULL ? save_error->message : "");
      return NULL;
    }
  e = relance_einvoice_read_xml (xml->data, xml->len, TRUE, error);
  if (e != NULL)
    {
      g_free (e->syntax);
      e->syntax = g_strdup ("Factur-X");
    }
  return e;
}

RelanceEinvoice *
relance_einvoice_read_pdf (GBytes  *bytes,
                           GError **error)
{
  PopplerDocument *document;
  g_autoptr(GError) pdf_error = NULL;
  g_autoptr(GError) first_error = NULL;
  GList *attachments;
  RelanceEinvoice *e = NULL;

  if (g_bytes_get_size (bytes) > RELANCE_EINVOICE_MAX_PDF_SIZE)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %d is a size in megabytes */
                   _("This PDF is larger than %d MB, which is far too big for an invoice."),
                   RELANCE_EINVOICE_MAX_PDF_SIZE / (1024 * 1024));
      return NULL;
    }

  document = poppler_document_new_from_bytes (bytes, NULL, &pdf_error);
  if (document == NULL)
    {
      if (g_error_matches (pdf_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        relance_einvoice_invalid (error,
                                  _("This PDF is protected by a password, so Relance cannot read "
                                    "the invoice inside it."));
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                     /* Translators: %s is the reason given by the PDF library (in English) */
                     _("This PDF is damaged and cannot be read: %s"),
                     pdf_error != NULL ? pdf_error->message : "");
      return NULL;
    }

  attachments = poppler_document_get_attachments (document);
  for (GList *l = attachments; l != NULL && e == NULL; l = l->next)
    {
      g_autoptr(GError) attachment_error = NULL;

      if (!is_invoice_attachment_name (poppler_attachment_get_name (l->data)))
        continue;
      /* Several candidates (a CII and an older copy, say): the first that reads wins, the
       * first failure is what the user sees when none does. */
      e = read_attachment (l->data, &attachment_error);
      if (e == NULL && first_error == NULL)
        first_error = g_steal_pointer (&attachment_error);
    }
  g_list_free_full (attachments, g_object_unref);
  /* No g_autoptr: poppler-glib only gained autoptr support after 22.12 (Debian 12). */
  g_object_unref (document);

  if (e != NULL)
    return e;
  if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  else
    relance_einvoice_invalid (error,
                              _("This PDF carries no Factur-X or ZUGFeRD invoice: it is a plain "
                                "PDF."));
  return NULL;
}
