/* relance-invoice-model.h: the invoices of the store as a GListModel of
 * RelanceInvoiceObject, cheap at 100 000 rows and reloaded with minimal changes. */
#pragma once

#include <gtk/gtk.h>

#include "relance-invoice-object.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* A snapshot of the invoices, ordered by id: compact rows that any thread can read from
 * its own store connection and hand to the main thread. */
typedef struct _RelanceInvoiceRows RelanceInvoiceRows;

/* The orders a RelanceInvoiceQuery can sort on. */
typedef enum
{
  RELANCE_INVOICE_SORT_NONE,  /* by id */
  RELANCE_INVOICE_SORT_NUMBER,
  RELANCE_INVOICE_SORT_CLIENT,
  RELANCE_INVOICE_SORT_DUE,
  RELANCE_INVOICE_SORT_OUTSTANDING,
  RELANCE_INVOICE_SORT_STATUS,
} RelanceInvoiceSort;

RelanceInvoiceRows *relance_invoice_rows_load    (RelanceStore        *store,
                                                  GError             **error);
/* The first @limit rows in the order of @sort (a key for which
 * relance_invoice_sort_has_first_rows() is TRUE): what a list shows first, read through
 * the indexes in a few milliseconds whatever the number of invoices. */
gboolean            relance_invoice_sort_has_first_rows (RelanceInvoiceSort sort);
RelanceInvoiceRows *relance_invoice_rows_load_first (RelanceStore        *store,
                                                     RelanceInvoiceSort   sort,
                                                     gboolean             descending,
                                                     guint                limit,
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
/* Reads only the first @limit rows in the order of @sort, as above: the model is then
 * partial (relance_invoice_model_is_partial) until the next rows are set. */
void                 relance_invoice_model_load_first_async (RelanceInvoiceModel  *self,
                                                             const char           *path,
                                                             RelanceInvoiceSort    sort,
                                                             gboolean              descending,
                                                             guint                 limit,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
/* Finishes either load. */
gboolean             relance_invoice_model_load_finish (RelanceInvoiceModel  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
gboolean             relance_invoice_model_is_partial  (RelanceInvoiceModel  *self);
/* The position of the invoice @id, or G_MAXUINT. */
guint                relance_invoice_model_find       (RelanceInvoiceModel  *self,
                                                       gint64                id);

/* The rows of a RelanceInvoiceModel sorted on one key and filtered, as a GListModel of
 * the model's own objects (made only for the positions asked for). */

typedef gboolean (*RelanceInvoiceRowFilter) (const RelanceInvoiceRow *row,
                                             gpointer                 user_data);

#define RELANCE_TYPE_INVOICE_QUERY (relance_invoice_query_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceQuery, relance_invoice_query, RELANCE, INVOICE_QUERY, GObject)

RelanceInvoiceQuery *relance_invoice_query_new        (RelanceInvoiceModel     *model);
RelanceInvoiceModel *relance_invoice_query_get_model  (RelanceInvoiceQuery     *self);
void                 relance_invoice_query_set_sort   (RelanceInvoiceQuery     *self,
                                                       RelanceInvoiceSort       sort,
                                                       gboolean                 descending);
RelanceInvoiceSort   relance_invoice_query_get_sort   (RelanceInvoiceQuery     *self,
                                                       gboolean                *descending);
/* @filter (or NULL for every row) is called on the main thread, on each row. */
void                 relance_invoice_query_set_filter (RelanceInvoiceQuery     *self,
                                                       RelanceInvoiceRowFilter  filter,
                                                       gpointer                 user_data);
/* Called while the shown rows are replaced (a new search, another order), when the new
 * rows are at @position and the old ones still after them (@n_before rows were shown
 * before the change): a list view that shows @position, or rows after it, scrolls to
 * @position there, so that it moves its row widgets to the new rows instead of
 * destroying them and making new ones. */
typedef void (*RelanceInvoiceQueryScrollFunc) (guint    position,
                                               guint    n_before,
                                               gpointer user_data);
void                 relance_invoice_query_set_scroll_func (RelanceInvoiceQuery           *self,
                                                            RelanceInvoiceQueryScrollFunc  func,
                                                            gpointer                       user_data);
/* Runs the filter again now; GTK_FILTER_CHANGE_MORE_STRICT looks only at shown rows. */
void                 relance_invoice_query_refilter   (RelanceInvoiceQuery     *self,
                                                       GtkFilterChange          change);

G_END_DECLS
