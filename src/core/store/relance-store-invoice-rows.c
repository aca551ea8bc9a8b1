/* relance-store-invoice-rows.c: the rows of the invoice list (relance-store-invoices.h),
 * read without a record per invoice: the list holds 100 000 of them. */
#include "config.h"

#include "relance-date.h"
#include "relance-store-invoices.h"
#include "relance-store-private.h"

static guint32
column_julian (sqlite3_stmt *stmt,
               int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  GDate date;

  if (text == NULL || !relance_date_from_iso (text, &date))
    return 0;
  return g_date_get_julian (&date);
}

static const char *
order_by (RelanceInvoiceOrder order,
          gboolean            descending)
{
  /* Equal keys in the order of the ids, whichever the direction. */
  switch (order)
    {
    case RELANCE_INVOICE_ORDER_NUMBER:
      return descending ? "i.number COLLATE NOCASE DESC, i.id" : "i.number COLLATE NOCASE, i.id";
    case RELANCE_INVOICE_ORDER_DUE:
      return descending ? "i.due_date DESC, i.id" : "i.due_date, i.id";
    case RELANCE_INVOICE_ORDER_ID:
    default:
      return descending ? "i.id DESC" : "i.id";
    }
}

gboolean
relance_store_foreach_invoice_summary (RelanceStore               *self,
                                       RelanceInvoiceOrder         order,
                                       gboolean                    descending,
                                       guint                       limit,
                                       RelanceInvoiceSummaryFunc   func,
                                       gpointer                    user_data,
                                       GError                    **error)
{
  /* Every row: the payments summed once, grouped. The first rows only: one sum per row
   * read, not a sum over every invoice, and the order through the indexes. */
  static const char all[] =
    "SELECT i.id, i.number, i.client_id, c.name, i.issue_date, i.due_date, i.total, "
    "i.currency, i.status, i.promise_date, coalesce(p.paid, 0), c.paused "
    "FROM invoices i JOIN clients c ON c.id = i.client_id "
    "LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id ORDER BY ";
  static const char first[] =
    "SELECT i.id, i.number, i.client_id, c.name, i.issue_date, i.due_date, i.total, "
    "i.currency, i.status, i.promise_date, "
    "(SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.invoice_id = i.id), c.paused "
    "FROM invoices i JOIN clients c ON c.id = i.client_id ORDER BY ";
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  sql = g_strconcat (limit > 0 ? first : all, order_by (order, descending),
                     limit > 0 ? " LIMIT ?1" : "", NULL);
  stmt = relance_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (limit > 0)
    sqlite3_bind_int64 (stmt, 1, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceInvoiceSummary summary;

      summary.id = sqlite3_column_int64 (stmt, 0);
      summary.number = (const char *) sqlite3_column_text (stmt, 1);
      summary.client_id = sqlite3_column_int64 (stmt, 2);
      summary.client_name = (const char *) sqlite3_column_text (stmt, 3);
      summary.issue_julian = column_julian (stmt, 4);
      summary.due_julian = column_julian (stmt, 5);
      summary.total = sqlite3_column_int64 (stmt, 6);
      summary.currency = (const char *) sqlite3_column_text (stmt, 7);
      summary.status = (const char *) sqlite3_column_text (stmt, 8);
      summary.promise_julian = column_julian (stmt, 9);
      summary.paid = sqlite3_column_int64 (stmt, 10);
      summary.client_paused = sqlite3_column_int (stmt, 11) != 0;
      func (&summary, user_data);
    }
  /* A damaged page must not pass for the end of the list. */
  if (rc != SQLITE_DONE)
    relance_store_set_error (self, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}
