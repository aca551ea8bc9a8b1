/* relance-pdf.c: the A4 page, fonts, layouts and in-memory PDF the formal notice and the
 * proof dossier share (relance-pdf-private.h). */
#include "config.h"

#include <cairo-pdf.h>

#include "relance-pdf-private.h"

PangoContext *
relance_pdf_pango_context (cairo_t    *cr,
                           const char *language)
{
  PangoContext *pango = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  if (language != NULL)
    pango_context_set_language (pango, pango_language_from_string (language));
  return pango;
}

PangoLayout *
relance_pdf_layout (PangoContext *pango,
                    const char   *family,
                    const char   *markup,
                    double        size,
                    gboolean      bold,
                    double        width)
{
  PangoLayout *layout = pango_layout_new (pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (family);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

double
relance_pdf_layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
relance_pdf_surface_new (GByteArray *pdf,
                         const char *title)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_array, pdf,
                                                                  RELANCE_PDF_PAGE_WIDTH,
                                                                  RELANCE_PDF_PAGE_HEIGHT);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relance");
  return surface;
}

cairo_status_t
relance_pdf_surface_finish (cairo_surface_t *surface)
{
  cairo_status_t status;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}
