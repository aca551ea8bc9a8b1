/* relance-invoices-page.h: the Invoices page: the list of invoices, searched, filtered
 * and sorted, with actions on a selection, and each invoice's own page. */
#pragma once

#include <adwaita.h>

#include "relance-page.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_INVOICES_PAGE (relance_invoices_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoicesPage, relance_invoices_page, RELANCE, INVOICES_PAGE, RelancePage)

gboolean      relance_invoices_page_is_loading   (RelanceInvoicesPage *self);
/* The list as shown: sorted and filtered (items are RelanceInvoiceObject). */
GListModel   *relance_invoices_page_get_model    (RelanceInvoicesPage *self);
void          relance_invoices_page_focus_search (RelanceInvoicesPage *self);
/* Shows the invoice @number and opens its payment dialog. */
void          relance_invoices_page_ask_payment (RelanceInvoicesPage *self,
                                                 const char          *number);
/* Opens the page of the invoice @number (its payments and timeline); an unknown number
 * leaves the list shown, after an error dialog. */
void          relance_invoices_page_show_invoice (RelanceInvoicesPage *self,
                                                  const char          *number);
/* Opens the dialog that adds an invoice. */
void          relance_invoices_page_new_invoice  (RelanceInvoicesPage *self);

G_END_DECLS
