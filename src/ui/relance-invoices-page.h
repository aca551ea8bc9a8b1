/* relance-invoices-page.h: the Invoices page: the list of invoices, searched, filtered
 * and sorted, with actions on a selection, and each invoice's own page. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_INVOICES_PAGE (relance_invoices_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoicesPage, relance_invoices_page, RELANCE, INVOICES_PAGE, AdwBin)

RelanceStore *relance_invoices_page_get_store    (RelanceInvoicesPage *self);
void          relance_invoices_page_set_store    (RelanceInvoicesPage *self,
                                                  RelanceStore        *store);
/* Reads the store again in a worker thread; the list changes only where rows did. */
void          relance_invoices_page_reload       (RelanceInvoicesPage *self);
gboolean      relance_invoices_page_is_loading   (RelanceInvoicesPage *self);
/* The list as shown: sorted and filtered (items are RelanceInvoiceObject). */
GListModel   *relance_invoices_page_get_model    (RelanceInvoicesPage *self);
void          relance_invoices_page_focus_search (RelanceInvoicesPage *self);
/* Opens the page of the invoice @number (its payments and timeline); an unknown number
 * leaves the list shown, after an error dialog. */
/* Shows the invoice @number and opens its payment dialog. */
void          relance_invoices_page_ask_payment (RelanceInvoicesPage *self,
                                                 const char          *number);
void          relance_invoices_page_show_invoice (RelanceInvoicesPage *self,
                                                  const char          *number);
/* Opens the dialog that adds an invoice. */
void          relance_invoices_page_new_invoice  (RelanceInvoicesPage *self);

G_END_DECLS
