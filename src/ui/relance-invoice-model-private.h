/* relance-invoice-model-private.h: what RelanceInvoiceQuery reads of RelanceInvoiceModel. */
#pragma once

#include "relance-invoice-model.h"

G_BEGIN_DECLS

/* The model's rows (RelanceInvoiceRow, by id), as they are now: valid until the next
 * change of the model. */
GArray *relance_invoice_model_peek_rows (RelanceInvoiceModel *self);

G_END_DECLS
