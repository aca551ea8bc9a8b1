/* relance-letter.h: the formal notice to pay ("mise en demeure de payer", or "letter before
 * action" in English) as an A4 document laid out with Pango and drawn with cairo: a PDF to
 * attach to the formal-notice email or to save (`relance letter`), and pages a print
 * operation can draw.
 *
 * The letter is written in the client's language, whatever the language of the interface:
 * its wording is part of the document, like the reminder templates. Amounts come from the
 * penalty engine as of the letter's date, with the store's rate tables. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* Days given to pay when the scenario step does not say. */
#define RELANCE_LETTER_DEFAULT_DEADLINE_DAYS 8

typedef struct _RelanceLetter RelanceLetter;

/* Gathers what the letter says: for the invoice @invoice_number, or for the invoices of a
 * planned formal notice (@planned_invoices: RelancePlannedInvoice*, one client; the
 * step's deadline is used when it has one). @date is the letter's date (NULL: now);
 * @registered_ref the registered-mail number, NULL or empty to leave a blank to fill in.
 * Fails (RELANCE_CORE_ERROR_NOT_FOUND, _CONFLICT) for an unknown, paid, cancelled or not
 * yet overdue invoice, with a sentence saying so. */
RelanceLetter *relance_letter_new          (RelanceStore   *store,
                                            const char     *invoice_number,
                                            GPtrArray      *planned_invoices,
                                            GDateTime      *date,
                                            const char     *registered_ref,
                                            GError        **error);
void           relance_letter_free         (RelanceLetter  *letter);

/* Whether the client has a postal address to print in the envelope's window: without one,
 * the letter shows the name and email address and cannot be posted as it is. */
gboolean       relance_letter_has_postal_address (RelanceLetter *letter);
/* "fr" or "en": the client's language. */
const char    *relance_letter_get_language (RelanceLetter  *letter);
/* "mise-en-demeure-F2026-001.pdf", "letter-before-action-F2026-001.pdf" */
char          *relance_letter_get_filename (RelanceLetter  *letter);

/* Lays the letter out for @cr (points, A4 portrait) and returns the number of pages. */
guint          relance_letter_paginate     (RelanceLetter  *letter,
                                            cairo_t        *cr);
/* Draws page @page (from 0) of the last pagination on @cr. */
void           relance_letter_draw_page    (RelanceLetter  *letter,
                                            cairo_t        *cr,
                                            guint           page);

/* The whole letter as a PDF file. */
GBytes        *relance_letter_to_pdf       (RelanceLetter  *letter,
                                            GError        **error);

/* relance_letter_new () and relance_letter_to_pdf () in one call. */
GBytes        *relance_letter_render_pdf   (RelanceStore   *store,
                                            const char     *invoice_number,
                                            GPtrArray      *planned_invoices,
                                            GDateTime      *date,
                                            const char     *registered_ref,
                                            GError        **error);

/* The town of a postal address: the last line's words once the postcode and any
 * "CEDEX" are taken away ("12 rue X\n69002 Lyon" → "Lyon"), or NULL when no line looks
 * like "postcode town". */
char          *relance_letter_town_of_address (const char *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceLetter, relance_letter_free)

G_END_DECLS
