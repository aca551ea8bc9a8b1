/* relance-invoice-view.h: one invoice's own page: details, payments, promise to pay,
 * status changes, and the timeline of every reminder sent about it. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_INVOICE_VIEW (relance_invoice_view_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceView, relance_invoice_view, RELANCE, INVOICE_VIEW, AdwBin)

/* Shows the invoice @number of @store. */
void        relance_invoice_view_show       (RelanceInvoiceView *self,
                                             RelanceStore       *store,
                                             const char         *number);
/* Reads the invoice shown again (after the store changed). */
void        relance_invoice_view_reload     (RelanceInvoiceView *self);
const char *relance_invoice_view_get_number (RelanceInvoiceView *self);
/* The timeline as a list box of rows, newest first (for tests). */
GtkListBox *relance_invoice_view_get_timeline (RelanceInvoiceView *self);

G_END_DECLS
