/* relance-store-invoices.c: invoices (with the client and the sum of payments joined in)
 * and their payments, and the rules that change them (relance-store-invoices.h). The rows of
 * the invoice list are read in relance-store-invoice-rows.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store-invoices.h"
#include "relance-store-private.h"
#include "relance-store.h"

/* Transactions: each function below runs in one, or inside the caller's when one is open,
 * so that they also serve as steps of a larger operation. */

static gboolean
begin_unless_open (RelanceStore  *self,
                   gboolean      *began,
                   GError       **error)
{
  *began = sqlite3_get_autocommit (relance_store_get_db (self)) != 0;
  return !*began || relance_store_begin (self, error);
}

/* Commits what begin_unless_open() began when @ok, rolls it back otherwise. */
static gboolean
finish (RelanceStore  *self,
        gboolean       began,
        gboolean       ok,
        GError       **error)
{
  if (!began)
    return ok;
  if (ok && relance_store_commit (self, error))
    return TRUE;
  relance_store_rollback (self);
  return FALSE;
}

/* Steps @stmt, which returns no row. */
static gboolean
run (RelanceStore  *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    relance_store_set_error (self, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Invoices */

#define INVOICE_SELECT \
  "SELECT i.id, i.number, i.client_id, c.name, c.email, i.issue_date, i.due_date, i.total, " \
  "i.currency, i.status, i.promise_date, " \
  "coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0), i.notes " \
  "FROM invoices i JOIN clients c ON c.id = i.client_id "

static RelanceInvoice *
invoice_from_row (sqlite3_stmt *stmt)
{
  RelanceInvoice *invoice = g_new0 (RelanceInvoice, 1);

  invoice->id = sqlite3_column_int64 (stmt, 0);
  invoice->number = relance_store_column_dup (stmt, 1);
  invoice->client_id = sqlite3_column_int64 (stmt, 2);
  invoice->client_name = relance_store_column_dup (stmt, 3);
  invoice->client_email = relance_store_column_dup (stmt, 4);
  relance_store_column_date (stmt, 5, &invoice->issue_date);
  relance_store_column_date (stmt, 6, &invoice->due_date);
  invoice->total = sqlite3_column_int64 (stmt, 7);
  invoice->currency = relance_store_column_dup (stmt, 8);
  invoice->status = relance_store_column_dup (stmt, 9);
  relance_store_column_date (stmt, 10, &invoice->promise_date);
  invoice->paid = sqlite3_column_int64 (stmt, 11);
  invoice->notes = relance_store_column_dup (stmt, 12);
  return invoice;
}

GPtrArray *
relance_store_list_invoices (RelanceStore          *self,
                             RelanceInvoiceFilter   filter,
                             const GDate           *today,
                             GError               **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *today_iso = NULL;

  if (filter == RELANCE_INVOICE_FILTER_OVERDUE)
    {
      g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
      today_iso = relance_date_to_iso (today);
      stmt = relance_store_prepare (self,
        INVOICE_SELECT "WHERE i.due_date < ?1 AND i.status <> 'cancelled' "
        "AND i.total > coalesce((SELECT sum(p.amount) FROM payments p "
        "WHERE p.invoice_id = i.id), 0) ORDER BY i.due_date, i.number", error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, today_iso, -1, SQLITE_TRANSIENT);
    }
  else if (filter == RELANCE_INVOICE_FILTER_REMINDABLE)
    stmt = relance_store_prepare (self,
      INVOICE_SELECT "WHERE i.status = 'open' AND c.paused = 0 AND c.do_not_remind = 0 "
      "AND i.total > coalesce((SELECT sum(p.amount) FROM payments p "
      "WHERE p.invoice_id = i.id), 0)", error);
  else
    stmt = relance_store_prepare (self, INVOICE_SELECT "ORDER BY i.due_date, i.number", error);
  if (stmt == NULL)
    return NULL;
  return relance_store_collect_rows (self, stmt, (gpointer (*) (sqlite3_stmt *)) invoice_from_row,
                       (GDestroyNotify) relance_invoice_free, error);
}

RelanceInvoice *
relance_store_get_invoice (RelanceStore  *self,
                           const char    *number,
                           GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, INVOICE_SELECT "WHERE i.number = ?", error);
  RelanceInvoice *invoice = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    invoice = invoice_from_row (stmt);
  sqlite3_reset (stmt);
  /* A damaged page must not read as "no such invoice". */
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    relance_store_set_error (self, error);
  else if (invoice == NULL)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                 /* Translators: %s is an invoice number */
                 _("There is no invoice numbered “%s”."), number);
  return invoice;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
validate_invoice (const RelanceInvoice *invoice, GError **error)
{
  if (is_blank (invoice->number))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("An invoice needs a number."));
      return FALSE;
    }
  if (!g_date_valid (&invoice->issue_date) || !g_date_valid (&invoice->due_date))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("An invoice needs an issue date and a due date."));
      return FALSE;
    }
  if (g_date_compare (&invoice->due_date, &invoice->issue_date) < 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The due date cannot be before the issue date."));
      return FALSE;
    }
  if (invoice->total < 0 || invoice->total > RELANCE_MONEY_MAX_UNITS * 100)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The invoice total must be a positive amount."));
      return FALSE;
    }
  if (!relance_currency_is_known (invoice->currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The currency must be a three-letter ISO 4217 code such as EUR."));
      return FALSE;
    }
  return TRUE;
}

/* An edited total still covers the payments recorded. */
static gboolean
check_total_covers_payments (RelanceStore          *self,
                             const RelanceInvoice  *invoice,
                             GError               **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = ?1", error);
  gint64 paid = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    paid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self, error);
  if (invoice->total < paid)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is an invoice number */
                   _("The new total of invoice %s is less than the payments already "
                     "recorded for it."), invoice->number);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_invoice (RelanceStore    *self,
               RelanceInvoice  *invoice,
               GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (invoice->id == 0)
    stmt = relance_store_prepare (self,
      "INSERT INTO invoices (number, client_id, issue_date, due_date, total, currency, status, "
      "promise_date, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  else
    stmt = relance_store_prepare (self,
      "UPDATE invoices SET number = ?1, client_id = ?2, issue_date = ?3, due_date = ?4, "
      "total = ?5, currency = ?6, status = ?7, promise_date = ?8, notes = ?9 WHERE id = ?10",
      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, invoice->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, invoice->client_id);
  relance_store_bind_date_or_null (stmt, 3, &invoice->issue_date);
  relance_store_bind_date_or_null (stmt, 4, &invoice->due_date);
  sqlite3_bind_int64 (stmt, 5, invoice->total);
  sqlite3_bind_text (stmt, 6, invoice->currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, invoice->status != NULL ? invoice->status : "open", -1,
                     SQLITE_TRANSIENT);
  relance_store_bind_date_or_null (stmt, 8, &invoice->promise_date);
  relance_store_bind_text_or_null (stmt, 9, invoice->notes);
  if (invoice->id != 0)
    sqlite3_bind_int64 (stmt, 10, invoice->id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (relance_store_get_db (self)) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                       /* Translators: %s is an invoice number */
                       _("An invoice numbered “%s” already exists."), invoice->number);
          return FALSE;
        }
      return relance_store_set_error (self, error);
    }
  if (invoice->id == 0)
    invoice->id = sqlite3_last_insert_rowid (relance_store_get_db (self));
  relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES, invoice->client_id,
                             invoice->id);
  return TRUE;
}

gboolean
relance_store_save_invoice (RelanceStore    *self,
                            RelanceInvoice  *invoice,
                            GError         **error)
{
  gboolean is_new = invoice->id == 0;
  gboolean began;

  if (!validate_invoice (invoice, error) || !begin_unless_open (self, &began, error))
    return FALSE;
  if (finish (self, began,
              (is_new || check_total_covers_payments (self, invoice, error))
              && write_invoice (self, invoice, error),
              error))
    return TRUE;
  /* Nothing was written: the invoice is still new. */
  if (is_new)
    invoice->id = 0;
  return FALSE;
}

gboolean
relance_store_set_invoice_status (RelanceStore  *self,
                                  const char    *number,
                                  const char    *status,
                                  GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE invoices SET status = ?2 WHERE number = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  if (sqlite3_changes (relance_store_get_db (self)) == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   _("There is no invoice numbered “%s”."), number);
      return FALSE;
    }
  relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES, 0, 0);
  return TRUE;
}

/* Payments */

GPtrArray *
relance_store_list_payments (RelanceStore  *self,
                             gint64         invoice_id,
                             GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT id, invoice_id, date, amount, method, note FROM payments WHERE invoice_id = ? "
    "ORDER BY date, id", error);
  g_autoptr(GPtrArray) payments = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  payments = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_payment_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelancePayment *payment = g_new0 (RelancePayment, 1);
      payment->id = sqlite3_column_int64 (stmt, 0);
      payment->invoice_id = sqlite3_column_int64 (stmt, 1);
      relance_store_column_date (stmt, 2, &payment->date);
      payment->amount = sqlite3_column_int64 (stmt, 3);
      payment->method = relance_store_column_dup (stmt, 4);
      payment->note = relance_store_column_dup (stmt, 5);
      g_ptr_array_add (payments, payment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&payments);
}

gboolean
relance_store_add_payment (RelanceStore    *self,
                           RelancePayment  *payment,
                           GError         **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "INSERT INTO payments (invoice_id, date, amount, method, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (payment->amount <= 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A payment must be a positive amount."));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, payment->invoice_id);
  relance_store_bind_date_or_null (stmt, 2, &payment->date);
  sqlite3_bind_int64 (stmt, 3, payment->amount);
  relance_store_bind_text_or_null (stmt, 4, payment->method);
  relance_store_bind_text_or_null (stmt, 5, payment->note);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  payment->id = sqlite3_last_insert_rowid (relance_store_get_db (self));
  relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES, 0, payment->invoice_id);
  return TRUE;
}

RelancePayment *
relance_store_pay (RelanceStore  *self,
                   const char    *number,
                   gint64         amount,
                   const GDate   *date,
                   GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  gint64 outstanding;
  gboolean began;

  if (!begin_unless_open (self, &began, error))
    return NULL;

  invoice = relance_store_get_invoice (self, number, error);
  if (invoice == NULL)
    goto fail;
  if (g_strcmp0 (invoice->status, "cancelled") == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is an invoice number */
                   _("Invoice %s is cancelled; no payment can be recorded for it."), number);
      goto fail;
    }
  outstanding = relance_invoice_get_outstanding (invoice);
  if (outstanding == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is an invoice number */
                   _("Invoice %s is already paid in full."), number);
      goto fail;
    }
  if (amount < 0)
    amount = outstanding;
  if (amount == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A payment must be a positive amount."));
      goto fail;
    }
  if (amount > outstanding)
    {
      g_autofree char *shown = relance_money_format (outstanding, invoice->currency,
                                                       relance_language_for_user ());
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is an invoice number, the second an amount */
                   _("The payment is larger than what is left to pay on invoice %s (%s)."),
                   number, shown);
      goto fail;
    }

  payment = g_new0 (RelancePayment, 1);
  payment->invoice_id = invoice->id;
  payment->amount = amount;
  if (date != NULL && g_date_valid (date))
    payment->date = *date;
  else
    relance_clock_today (NULL, &payment->date);
  if (!finish (self, began, relance_store_add_payment (self, payment, error), error))
    return NULL;
  return g_steal_pointer (&payment);

fail:
  finish (self, began, FALSE, NULL);
  return NULL;
}

gboolean
relance_store_delete_payments (RelanceStore  *self,
                               const gint64  *ids,
                               guint          n_ids,
                               GError       **error)
{
  gboolean began;
  gboolean ok = TRUE;

  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!begin_unless_open (self, &began, error))
    return FALSE;
  for (guint i = 0; i < n_ids && ok; i++)
    {
      sqlite3_stmt *stmt = relance_store_prepare (self,
        "DELETE FROM payments WHERE id = ?1 RETURNING invoice_id", error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      /* Its bank match, if any, goes with it (ON DELETE CASCADE). */
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        relance_store_note_change (self,
                                   RELANCE_STORE_CHANGED_INVOICES | RELANCE_STORE_CHANGED_BANK,
                                   0, sqlite3_column_int64 (stmt, 0));
      if (rc != SQLITE_DONE)
        ok = relance_store_set_error (self, error);
      sqlite3_reset (stmt);
    }
  return finish (self, began, ok, error);
}

/* Rules of an invoice's life */

gboolean
relance_store_delete_invoice (RelanceStore  *self,
                              const char    *number,
                              GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  sqlite3_stmt *stmt;
  gboolean began;
  gboolean ok = FALSE;

  if (!begin_unless_open (self, &began, error))
    return FALSE;
  invoice = relance_store_get_invoice (self, number, error);
  /* Payments, reminders and bank matches go with it (ON DELETE CASCADE). */
  if (invoice != NULL
      && (stmt = relance_store_prepare (self, "DELETE FROM invoices WHERE id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, invoice->id);
      ok = run (self, stmt, error);
    }
  if (ok)
    relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES | RELANCE_STORE_CHANGED_OUTBOX
                                     | RELANCE_STORE_CHANGED_BANK,
                               invoice->client_id, invoice->id);
  return finish (self, began, ok, error);
}

/* May the invoice be given another status? Sets @error when not. */
typedef gboolean (*StatusCheck) (const RelanceInvoice  *invoice,
                                 GError               **error);

static gboolean
not_cancelled (const RelanceInvoice  *invoice,
               GError               **error)
{
  if (g_strcmp0 (invoice->status, "cancelled") != 0)
    return TRUE;
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
               /* Translators: %s is an invoice number */
               _("Invoice %s is cancelled."), invoice->number);
  return FALSE;
}

static gboolean
no_payment (const RelanceInvoice  *invoice,
            GError               **error)
{
  if (invoice->paid == 0)
    return TRUE;
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
               /* Translators: %s is an invoice number */
               _("Invoice %s has payments recorded; it cannot be cancelled."), invoice->number);
  return FALSE;
}

static gboolean
write_promise (RelanceStore          *self,
               const RelanceInvoice  *invoice,
               const GDate           *date,
               GError               **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE invoices SET promise_date = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice->id);
  relance_store_bind_date_or_null (stmt, 2, date);
  if (!run (self, stmt, error))
    return FALSE;
  relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES, invoice->client_id,
                             invoice->id);
  return TRUE;
}

/* Gives invoice @number the status @to when its status is @from (any when NULL) and
 * @check agrees; @clear_promise clears its promise as well. */
static gboolean
change_status (RelanceStore  *self,
               const char    *number,
               const char    *from,
               const char    *to,
               StatusCheck    check,
               gboolean       clear_promise,
               GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  sqlite3_stmt *stmt;
  gboolean began;
  gboolean ok;

  if (!begin_unless_open (self, &began, error))
    return FALSE;
  invoice = relance_store_get_invoice (self, number, error);
  ok = invoice != NULL && (check == NULL || check (invoice, error));
  if (ok && (from == NULL || g_strcmp0 (invoice->status, from) == 0)
      && g_strcmp0 (invoice->status, to) != 0)
    {
      stmt = relance_store_prepare (self, "UPDATE invoices SET status = ?2 WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, invoice->id);
          sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
          ok = run (self, stmt, error);
        }
      if (ok)
        relance_store_note_change (self, RELANCE_STORE_CHANGED_INVOICES, invoice->client_id,
                                   invoice->id);
    }
  if (ok && clear_promise && g_date_valid (&invoice->promise_date))
    ok = write_promise (self, invoice, NULL, error);
  return finish (self, began, ok, error);
}

gboolean
relance_store_dispute_invoice (RelanceStore  *self,
                               const char    *number,
                               GError       **error)
{
  return change_status (self, number, NULL, "disputed", not_cancelled, FALSE, error);
}

gboolean
relance_store_undispute_invoice (RelanceStore  *self,
                                 const char    *number,
                                 GError       **error)
{
  return change_status (self, number, "disputed", "open", NULL, FALSE, error);
}

gboolean
relance_store_cancel_invoice (RelanceStore  *self,
                              const char    *number,
                              GError       **error)
{
  return change_status (self, number, NULL, "cancelled", no_payment, FALSE, error);
}

gboolean
relance_store_reopen_invoice (RelanceStore  *self,
                              const char    *number,
                              GError       **error)
{
  return change_status (self, number, "cancelled", "open", NULL, FALSE, error);
}

gboolean
relance_store_resume_invoice (RelanceStore  *self,
                              const char    *number,
                              GError       **error)
{
  return change_status (self, number, NULL, "open", NULL, TRUE, error);
}

/* Promises to pay */

static gboolean
check_promise_date (const GDate  *date,
                    GError      **error)
{
  GDate today;

  relance_clock_today (NULL, &today);
  if (date == NULL || !g_date_valid (date) || g_date_compare (date, &today) >= 0)
    return TRUE;
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("A promise to pay needs a date from today on."));
  return FALSE;
}

gboolean
relance_store_set_invoice_promise (RelanceStore  *self,
                                   const char    *number,
                                   const GDate   *date,
                                   GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  gboolean began;

  if (!check_promise_date (date, error) || !begin_unless_open (self, &began, error))
    return FALSE;
  invoice = relance_store_get_invoice (self, number, error);
  return finish (self, began, invoice != NULL && write_promise (self, invoice, date, error),
                 error);
}

/* Sets the promise of each invoice of @ids to @date, or to @dates[i] when @date is NULL;
 * @previous (may be NULL) receives what each had. An invoice gone meanwhile is passed. */
static gboolean
write_promises (RelanceStore  *self,
                const gint64  *ids,
                guint          n_ids,
                const GDate   *date,
                GArray        *dates,
                GArray        *previous,
                GError       **error)
{
  gboolean began;
  gboolean ok = TRUE;

  if (!begin_unless_open (self, &began, error))
    return FALSE;
  for (guint i = 0; i < n_ids && ok; i++)
    {
      sqlite3_stmt *stmt = relance_store_prepare (self,
        "SELECT client_id, promise_date FROM invoices WHERE id = ?1", error);
      RelanceInvoice invoice = { .id = ids[i] };
      int rc;

      g_date_clear (&invoice.promise_date, 1);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          invoice.client_id = sqlite3_column_int64 (stmt, 0);
          relance_store_column_date (stmt, 1, &invoice.promise_date);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ok = relance_store_set_error (self, error);
      if (previous != NULL)
        g_array_append_val (previous, invoice.promise_date);
      if (ok && rc == SQLITE_ROW)
        ok = write_promise (self, &invoice, date != NULL ? date : &g_array_index (dates, GDate, i),
                            error);
    }
  return finish (self, began, ok, error);
}

gboolean
relance_store_promise_invoices (RelanceStore  *self,
                                const gint64  *ids,
                                guint          n_ids,
                                const GDate   *date,
                                GArray       **previous,
                                GError       **error)
{
  g_autoptr(GArray) before = g_array_sized_new (FALSE, FALSE, sizeof (GDate), n_ids);

  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (!check_promise_date (date, error)
      || !write_promises (self, ids, n_ids, date, NULL, before, error))
    return FALSE;
  if (previous != NULL)
    *previous = g_steal_pointer (&before);
  return TRUE;
}

gboolean
relance_store_restore_invoice_promises (RelanceStore  *self,
                                        const gint64  *ids,
                                        guint          n_ids,
                                        GArray        *previous,
                                        GError       **error)
{
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (previous != NULL && previous->len >= n_ids, FALSE);

  return write_promises (self, ids, n_ids, NULL, previous, NULL, error);
}

gboolean
relance_store_save_invoice_for_new_client (RelanceStore    *self,
                                           RelanceInvoice  *invoice,
                                           RelanceClient   *client,
                                           GError         **error)
{
  gboolean invoice_is_new = invoice->id == 0;
  gboolean began;
  gboolean ok;

  g_return_val_if_fail (client != NULL && client->id == 0, FALSE);

  if (!validate_invoice (invoice, error) || !begin_unless_open (self, &began, error))
    return FALSE;
  ok = relance_store_save_client (self, client, error);
  if (ok)
    {
      invoice->client_id = client->id;
      ok = relance_store_save_invoice (self, invoice, error);
    }
  if (finish (self, began, ok, error))
    return TRUE;
  /* Nothing was written: both are still new. */
  client->id = 0;
  if (invoice_is_new)
    invoice->id = 0;
  return FALSE;
}
