/* relance-invoice-object.h: one invoice row of the store as a GObject, for list models. */
#pragma once

#include <glib-object.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_INVOICE_OBJECT (relance_invoice_object_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceObject, relance_invoice_object, RELANCE, INVOICE_OBJECT,
                      GObject)

RelanceInvoiceObject *relance_invoice_object_new                 (RelanceInvoice       *invoice,
                                                                  const char           *language);
const RelanceInvoice *relance_invoice_object_get_invoice         (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_number          (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_client_name     (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_due_label       (RelanceInvoiceObject *self);
guint                 relance_invoice_object_get_due_julian      (RelanceInvoiceObject *self);
gint64                relance_invoice_object_get_outstanding     (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_outstanding_label (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_state           (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_status_label    (RelanceInvoiceObject *self);

const char           *relance_invoice_state_to_label             (const char           *state);

G_END_DECLS
