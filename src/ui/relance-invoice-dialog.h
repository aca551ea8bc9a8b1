/* relance-invoice-dialog.h: the dialog that adds or edits an invoice, each field checked
 * as it is typed, with the reason shown under the field. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_INVOICE_DIALOG (relance_invoice_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceDialog, relance_invoice_dialog, RELANCE, INVOICE_DIALOG,
                      AdwWindow)

/* Adds an invoice when @invoice is NULL, edits a copy of it otherwise. */
RelanceInvoiceDialog *relance_invoice_dialog_new            (GtkWindow            *parent,
                                                             RelanceStore         *store,
                                                             const RelanceInvoice *invoice);
/* The entry row of a field ("number", "new-client", "issue", "due", "total",
 * "currency") and the label that says what is wrong with it. */
GtkWidget            *relance_invoice_dialog_get_field       (RelanceInvoiceDialog *self,
                                                             const char           *name);
GtkLabel             *relance_invoice_dialog_get_error_label (RelanceInvoiceDialog *self,
                                                             const char           *name);
GtkWidget            *relance_invoice_dialog_get_save_button (RelanceInvoiceDialog *self);

G_END_DECLS
