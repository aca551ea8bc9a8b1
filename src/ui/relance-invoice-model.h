/* relance-invoice-model.h: the invoices of the store as a GListModel of
 * RelanceInvoiceObject, cheap at 100 000 rows and reloaded with minimal changes. */
#pragma once

#include <gio/gio.h>

#include "relance-invoice-object.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* A snapshot of the invoices, ordered by id: compact rows that any thread can read from
 * its own store connection and hand to the main thread. */
typedef struct _RelanceInvoiceRows RelanceInvoiceRows;

RelanceInvoiceRows *relance_invoice_rows_load    (RelanceStore        *store,
                                                  GError             **error);
guint               relance_invoice_rows_get_len (RelanceInvoiceRows  *rows);
void                relance_invoice_rows_free    (RelanceInvoiceRows  *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceInvoiceRows, relance_invoice_rows_free)

#define RELANCE_TYPE_INVOICE_MODEL (relance_invoice_model_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceModel, relance_invoice_model, RELANCE, INVOICE_MODEL, GObject)

/* @language ("fr" or "en") is how the objects write amounts and dates. */
RelanceInvoiceModel *relance_invoice_model_new        (const char           *language);
/* Replaces the rows (transfer full), emitting items-changed only where rows were added,
 * removed or changed (matched by invoice id). */
void                 relance_invoice_model_set_rows   (RelanceInvoiceModel  *self,
                                                       RelanceInvoiceRows   *rows);
/* Reads @store now, on the calling thread. */
gboolean             relance_invoice_model_reload     (RelanceInvoiceModel  *self,
                                                       RelanceStore         *store,
                                                       GError              **error);
/* Reads the database at @path in a worker thread with a connection of its own, then
 * sets the rows on the main context of the caller. */
void                 relance_invoice_model_load_async  (RelanceInvoiceModel  *self,
                                                        const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean             relance_invoice_model_load_finish (RelanceInvoiceModel  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* The position of the invoice @id, or G_MAXUINT. */
guint                relance_invoice_model_find       (RelanceInvoiceModel  *self,
                                                       gint64                id);

G_END_DECLS
