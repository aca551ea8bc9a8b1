/* relance-pdf-private.h: what the A4 documents of src/mail (the formal notice,
 * relance-letter*.c, and the proof dossier, relance-proof.c) share: the page, the fonts,
 * Pango layouts measured the same way on paper and in PDF, and a PDF made in memory. */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* A4 portrait in points, 20 mm margins. */
#define RELANCE_PDF_PAGE_WIDTH   595.2756
#define RELANCE_PDF_PAGE_HEIGHT  841.8898
#define RELANCE_PDF_MARGIN       56.6929
#define RELANCE_PDF_CONTENT      (RELANCE_PDF_PAGE_WIDTH - 2 * RELANCE_PDF_MARGIN)
#define RELANCE_PDF_BOTTOM       (RELANCE_PDF_PAGE_HEIGHT - RELANCE_PDF_MARGIN - 14) /* footer */

#define RELANCE_PDF_FONT         "Cantarell, DejaVu Sans, sans-serif"
#define RELANCE_PDF_FONT_MONO    "DejaVu Sans Mono, monospace"

/* A Pango context for @cr whose metrics do not depend on the device: the same line breaks
 * on paper and in PDF. @language: "fr-FR", "en-GB", or NULL for Pango's default. */
PangoContext    *relance_pdf_pango_context   (cairo_t       *cr,
                                              const char    *language);
/* @markup in @family at @size points, wrapped at word or character boundaries to @width
 * points. */
PangoLayout     *relance_pdf_layout          (PangoContext  *pango,
                                              const char    *family,
                                              const char    *markup,
                                              double         size,
                                              gboolean       bold,
                                              double         width);
/* The height of @layout in points. */
double           relance_pdf_layout_height   (PangoLayout   *layout);

/* An A4 PDF surface writing into @pdf, with @title and Relance as its creator. */
cairo_surface_t *relance_pdf_surface_new     (GByteArray    *pdf,
                                              const char    *title);
/* Finishes and destroys @surface; what cairo says of it. */
cairo_status_t   relance_pdf_surface_finish  (cairo_surface_t *surface);

G_END_DECLS
