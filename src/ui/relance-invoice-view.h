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
/* The "Print Formal Notice…" and "Export Proof…" buttons (for tests). */
GtkWidget  *relance_invoice_view_get_print_button  (RelanceInvoiceView *self);
GtkWidget  *relance_invoice_view_get_export_button (RelanceInvoiceView *self);
/* A print operation drawing the formal notice of the invoice shown (A4, points), or NULL
 * with the letter's error (a paid or not yet overdue invoice). */
GtkPrintOperation *relance_invoice_view_new_print_operation (RelanceInvoiceView  *self,
                                                             GError             **error);
/* Writes the proof of the invoice's reminders to @file (PDF, or CSV for "*.csv") in a
 * worker thread; a toast says when it is done. */
void        relance_invoice_view_export_proof      (RelanceInvoiceView *self,
                                                    GFile              *file);

G_END_DECLS
