/* relance-store-bank.c: the bank aggregate of the store (tables of migration 9:
 * bank_transactions, bank_matches). Payments are made with relance_store_add_payment() in
 * the same transaction as the link that lets `bank undo` remove them. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-creditor-ref.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-money.h"
#include "relance-store-bank.h"
#include "relance-store-private.h"

#define TRANSACTION_COLUMNS \
  "id, key, date, amount, currency, payer, label, reference, statement, status, rule, " \
  "excess, note"

static const char *
id_text (gint64  id,
         char   *buffer)
{
  g_snprintf (buffer, 32, "%" G_GINT64_FORMAT, id);
  return buffer;
}

static void
link_free (RelanceBankLink *link)
{
  g_free (link->number);
  g_free (link);
}

void
relance_bank_transaction_free (RelanceBankTransaction *t)
{
  if (t == NULL)
    return;
  g_free (t->key);
  g_free (t->currency);
  g_free (t->payer);
  g_free (t->label);
  g_free (t->reference);
  g_free (t->statement);
  g_free (t->status);
  g_free (t->rule);
  g_free (t->note);
  g_clear_pointer (&t->links, g_ptr_array_unref);
  g_free (t);
}

void
relance_bank_import_report_free (RelanceBankImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->transactions, g_ptr_array_unref);
  g_free (report);
}

static RelanceBankTransaction *
transaction_from_row (sqlite3_stmt *stmt)
{
  RelanceBankTransaction *t = g_new0 (RelanceBankTransaction, 1);

  t->id = sqlite3_column_int64 (stmt, 0);
  t->key = relance_store_column_dup (stmt, 1);
  g_date_clear (&t->date, 1);
  relance_date_from_iso ((const char *) sqlite3_column_text (stmt, 2), &t->date);
  t->amount = sqlite3_column_int64 (stmt, 3);
  t->currency = relance_store_column_dup (stmt, 4);
  t->payer = relance_store_column_dup (stmt, 5);
  t->label = relance_store_column_dup (stmt, 6);
  t->reference = relance_store_column_dup (stmt, 7);
  t->statement = relance_store_column_dup (stmt, 8);
  t->status = relance_store_column_dup (stmt, 9);
  t->rule = relance_store_column_dup (stmt, 10);
  t->excess = sqlite3_column_int64 (stmt, 11);
  t->note = relance_store_column_dup (stmt, 12);
  t->links = g_ptr_array_new_with_free_func ((GDestroyNotify) link_free);
  return t;
}

static gboolean
load_links (RelanceStore            *store,
            RelanceBankTransaction  *t,
            GError                 **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT m.invoice_id, i.number, m.amount, coalesce(m.payment_id, 0) FROM bank_matches m "
    "JOIN invoices i ON i.id = m.invoice_id WHERE m.transaction_id = ?1 ORDER BY m.rowid",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, t->id);
  g_ptr_array_set_size (t->links, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceBankLink *link = g_new0 (RelanceBankLink, 1);

      link->invoice_id = sqlite3_column_int64 (stmt, 0);
      link->number = relance_store_column_dup (stmt, 1);
      link->amount = sqlite3_column_int64 (stmt, 2);
      link->payment_id = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (t->links, link);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

RelanceBankTransaction *
relance_bank_store_get (RelanceStore  *store,
                        gint64         id,
                        GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT " TRANSACTION_COLUMNS " FROM bank_transactions WHERE id = ?1", error);
  g_autoptr(RelanceBankTransaction) t = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    t = transaction_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  if (t == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the number of a bank transaction */
                   _("There is no bank transaction %s."),
                   id_text (id, (char[32]) { 0 }));
      return NULL;
    }
  if (!load_links (store, t, error))
    return NULL;
  return g_steal_pointer (&t);
}

GPtrArray *
relance_bank_store_list (RelanceStore       *store,
                         RelanceBankFilter   filter,
                         GError            **error)
{
  static const char *statuses[] = { NULL, "unmatched", "proposed", "applied" };
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT " TRANSACTION_COLUMNS " FROM bank_transactions "
    "WHERE ?1 IS NULL OR status = ?1 ORDER BY date DESC, id DESC", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, statuses[filter], -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_transaction_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, transaction_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  for (guint i = 0; i < list->len; i++)
    if (!load_links (store, g_ptr_array_index (list, i), error))
      return NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
relance_bank_store_open_invoices (RelanceStore  *store,
                                  GError       **error)
{
  /* One pass over invoices; the payments' sums come from their index. Cancelled invoices
   * take no payment; a disputed one may well be paid. */
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT i.id, i.number, i.client_id, c.name, i.total - coalesce(p.paid, 0), i.currency, "
    "i.due_date FROM invoices i JOIN clients c ON c.id = i.client_id "
    "LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id "
    "WHERE i.status <> 'cancelled' AND i.total > coalesce(p.paid, 0)", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_open_invoice_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceBankOpenInvoice *invoice = g_new0 (RelanceBankOpenInvoice, 1);

      invoice->id = sqlite3_column_int64 (stmt, 0);
      invoice->number = relance_store_column_dup (stmt, 1);
      invoice->client_id = sqlite3_column_int64 (stmt, 2);
      invoice->client_name = relance_store_column_dup (stmt, 3);
      invoice->outstanding = sqlite3_column_int64 (stmt, 4);
      invoice->currency = relance_store_column_dup (stmt, 5);
      g_date_clear (&invoice->due_date, 1);
      relance_date_from_iso ((const char *) sqlite3_column_text (stmt, 6), &invoice->due_date);
      g_ptr_array_add (list, invoice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GHashTable *
relance_bank_store_groups (RelanceStore  *store,
                           GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT outbox_id, invoice_id FROM reminders WHERE outbox_id IS NOT NULL "
    "ORDER BY outbox_id", error);
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 current = -1;
  int rc;

  if (stmt == NULL)
    return NULL;
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_array_unref);
  for (;;)
    {
      gint64 outbox_id = -2, invoice_id = 0;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          outbox_id = sqlite3_column_int64 (stmt, 0);
          invoice_id = sqlite3_column_int64 (stmt, 1);
        }
      if (outbox_id != current && ids != NULL)
        {
          if (ids->len > 1)
            g_hash_table_replace (groups,
                                  relance_creditor_ref_for_group ((gint64 *) ids->data, ids->len),
                                  g_array_ref (ids));
          g_clear_pointer (&ids, g_array_unref);
        }
      if (rc != SQLITE_ROW)
        break;
      if (ids == NULL)
        ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      current = outbox_id;
      g_array_append_val (ids, invoice_id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&groups);
}

static gboolean
delete_links (RelanceStore  *store,
              gint64         id,
              GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "DELETE FROM bank_matches WHERE transaction_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return relance_store_step_done (store, stmt, error);
}

/* Makes the payments of @match for transaction @t (inside the caller's transaction), and
 * the links; the transaction becomes applied. */
static gboolean
apply (RelanceStore            *store,
       gint64                   transaction_id,
       const GDate             *date,
       const char              *statement,
       const RelanceBankMatch  *match,
       GError                 **error)
{
  sqlite3_stmt *stmt;

  if (!delete_links (store, transaction_id, error))
    return FALSE;

  for (guint i = 0; i < match->allocations->len; i++)
    {
      RelanceBankAllocation *a = &g_array_index (match->allocations, RelanceBankAllocation, i);
      RelancePayment payment = { 0 };
      g_autofree char *note = g_strdup_printf ("statement %s", statement);

      payment.invoice_id = a->invoice_id;
      payment.date = *date;
      payment.amount = a->amount;
      payment.method = (char *) "transfer";
      payment.note = note;
      if (!relance_store_add_payment (store, &payment, error))
        return FALSE;
      stmt = relance_store_prepare (store,
        "INSERT INTO bank_matches (transaction_id, invoice_id, amount, payment_id) "
        "VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, transaction_id);
      sqlite3_bind_int64 (stmt, 2, a->invoice_id);
      sqlite3_bind_int64 (stmt, 3, a->amount);
      sqlite3_bind_int64 (stmt, 4, payment.id);
      if (!relance_store_step_done (store, stmt, error))
        return FALSE;
    }
  stmt = relance_store_prepare (store,
    "UPDATE bank_transactions SET status = 'applied', rule = ?2, excess = ?3 WHERE id = ?1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, transaction_id);
  sqlite3_bind_text (stmt, 2, match->rule, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, match->excess);
  if (!relance_store_step_done (store, stmt, error))
    return FALSE;
  relance_store_note_change (store, RELANCE_STORE_CHANGED_BANK, 0, 0);
  return TRUE;
}

static gboolean
propose (RelanceStore            *store,
         gint64                   transaction_id,
         const RelanceBankMatch  *match,
         GError                 **error)
{
  for (guint i = 0; i < match->allocations->len; i++)
    {
      RelanceBankAllocation *a = &g_array_index (match->allocations, RelanceBankAllocation, i);
      sqlite3_stmt *stmt = relance_store_prepare (store,
        "INSERT INTO bank_matches (transaction_id, invoice_id, amount) VALUES (?1, ?2, ?3)",
        error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, transaction_id);
      sqlite3_bind_int64 (stmt, 2, a->invoice_id);
      sqlite3_bind_int64 (stmt, 3, a->amount);
      if (!relance_store_step_done (store, stmt, error))
        return FALSE;
    }
  relance_store_note_change (store, RELANCE_STORE_CHANGED_BANK, 0, 0);
  return TRUE;
}

static gboolean
is_known (RelanceStore  *store,
          const char    *key,
          gboolean      *out_known,
          GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT 1 FROM bank_transactions WHERE key = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  *out_known = rc == SQLITE_ROW;
  return TRUE;
}

RelanceBankImportReport *
relance_bank_store_import (RelanceStore                *store,
                           const RelanceBankStatement  *statement,
                           gboolean                     dry_run,
                           GError                     **error)
{
  g_autoptr(RelanceBankImportReport) report = g_new0 (RelanceBankImportReport, 1);
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(RelanceBankMatcher) matcher = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GHashTable) keys_in_file = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *found_reference = NULL;

  report->n_debits = statement->n_debits;
  report->transactions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_transaction_free);
  if (!relance_store_begin (store, error))
    return NULL;
  if ((invoices = relance_bank_store_open_invoices (store, error)) == NULL
      || (groups = relance_bank_store_groups (store, error)) == NULL)
    goto fail;
  matcher = relance_bank_matcher_new (invoices, groups);

  for (guint i = 0; i < statement->credits->len; i++)
    {
      const RelanceBankCredit *credit = g_ptr_array_index (statement->credits, i);
      RelanceBankMatch match = { 0 };
      g_autofree char *date = relance_date_to_iso (&credit->date);
      const char *status;
      gboolean known = FALSE;
      sqlite3_stmt *stmt;
      gint64 id;

      if (!is_known (store, credit->key, &known, error))
        goto fail;
      /* A bank that gives one id to two credits of one file: kept once, as the bank says. */
      if (known || !g_hash_table_add (keys_in_file, credit->key))
        {
          report->n_known++;
          continue;
        }
      relance_bank_matcher_match (matcher, credit, &match);
      status = match.kind == RELANCE_BANK_MATCH_CERTAIN ? "applied"
               : match.kind == RELANCE_BANK_MATCH_PROPOSED ? "proposed" : "unmatched";
      stmt = relance_store_prepare (store,
        "INSERT INTO bank_transactions (key, account, bank_id, date, amount, currency, payer, "
        "label, reference, statement, status, rule, excess, note, imported_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'unmatched', ?11, ?12, ?13, ?14)",
        error);
      if (stmt == NULL)
        {
          relance_bank_match_clear (&match);
          goto fail;
        }
      sqlite3_bind_text (stmt, 1, credit->key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, credit->account, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, credit->bank_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, credit->amount);
      sqlite3_bind_text (stmt, 6, credit->currency, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, credit->payer != NULL ? credit->payer : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, credit->label != NULL ? credit->label : "", -1, SQLITE_TRANSIENT);
      /* The reference the bank gave apart, or a valid one the payer wrote in the label. */
      g_clear_pointer (&found_reference, g_free);
      if (credit->reference == NULL)
        found_reference = relance_creditor_ref_find (credit->label, NULL);
      sqlite3_bind_text (stmt, 9, credit->reference != NULL ? credit->reference : found_reference,
                         -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 10, statement->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 11, match.rule, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 12, match.excess);
      sqlite3_bind_text (stmt, 13, match.note, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 14, g_date_time_to_unix (now));
      if (!relance_store_step_done (store, stmt, error))
        {
          relance_bank_match_clear (&match);
          goto fail;
        }
      id = sqlite3_last_insert_rowid (relance_store_get_db (store));
      relance_store_note_change (store, RELANCE_STORE_CHANGED_BANK, 0, 0);
      if ((match.kind == RELANCE_BANK_MATCH_CERTAIN
           && !apply (store, id, &credit->date, statement->name, &match, error))
          || (match.kind == RELANCE_BANK_MATCH_PROPOSED && !propose (store, id, &match, error)))
        {
          relance_bank_match_clear (&match);
          goto fail;
        }
      if (match.kind == RELANCE_BANK_MATCH_PROPOSED)
        {
          stmt = relance_store_prepare (store,
            "UPDATE bank_transactions SET status = 'proposed' WHERE id = ?1", error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!relance_store_step_done (store, stmt, error))
            goto fail;
        }
      report->n_new++;
      report->n_applied += g_str_equal (status, "applied");
      report->n_proposed += g_str_equal (status, "proposed");
      report->n_unmatched += g_str_equal (status, "unmatched");
      relance_bank_match_clear (&match);
      {
        RelanceBankTransaction *t = relance_bank_store_get (store, id, error);

        if (t == NULL)
          goto fail;
        g_ptr_array_add (report->transactions, t);
      }
    }

  if (dry_run)
    relance_store_rollback (store);
  else if (!relance_store_commit (store, error))
    goto fail;
  return g_steal_pointer (&report);

fail:
  relance_store_rollback (store);
  return NULL;
}

/* The transaction @id, checked to be in one of @allowed states. */
static RelanceBankTransaction *
get_in_state (RelanceStore        *store,
              gint64               id,
              const char * const  *allowed,
              GError             **error)
{
  g_autoptr(RelanceBankTransaction) t = relance_bank_store_get (store, id, error);

  if (t == NULL)
    return NULL;
  if (!g_strv_contains (allowed, t->status))
    {
      if (g_str_equal (t->status, "applied"))
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                     /* Translators: %s is the number of a bank transaction */
                     _("Bank transaction %s is already applied; undo it first."),
                     id_text (id, (char[32]) { 0 }));
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                     /* Translators: %s is the number of a bank transaction */
                     _("Bank transaction %s has nothing to undo."),
                     id_text (id, (char[32]) { 0 }));
      return NULL;
    }
  return g_steal_pointer (&t);
}

static gboolean
set_status (RelanceStore  *store,
            gint64         id,
            const char    *status,
            GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "UPDATE bank_transactions SET status = ?2, rule = CASE WHEN ?2 = 'unmatched' THEN NULL "
    "ELSE rule END, excess = 0 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  if (!relance_store_step_done (store, stmt, error))
    return FALSE;
  relance_store_note_change (store, RELANCE_STORE_CHANGED_BANK, 0, 0);
  return TRUE;
}

static gboolean
match_ids (RelanceStore  *store,
           gint64         id,
           GArray        *ids,
           const char    *rule,
           GError       **error)
{
  static const char * const allowed[] = { "proposed", "unmatched", "ignored", NULL };
  g_autoptr(RelanceBankTransaction) t = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(RelanceBankMatcher) matcher = NULL;
  RelanceBankMatch match = { 0 };

  if (!relance_store_begin (store, error))
    return FALSE;
  if ((t = get_in_state (store, id, allowed, error)) == NULL
      || (invoices = relance_bank_store_open_invoices (store, error)) == NULL)
    goto fail;
  matcher = relance_bank_matcher_new (invoices, NULL);
  if (!relance_bank_matcher_allocate (matcher, (gint64 *) ids->data, ids->len, t->amount,
                                      t->currency, &match, error))
    goto fail;
  if (rule != NULL)
    match.rule = rule;
  if (!apply (store, id, &t->date, t->statement, &match, error))
    {
      relance_bank_match_clear (&match);
      goto fail;
    }
  relance_bank_match_clear (&match);
  return relance_store_commit (store, error);

fail:
  relance_store_rollback (store);
  return FALSE;
}

gboolean
relance_bank_store_match (RelanceStore        *store,
                          gint64               id,
                          const char * const  *numbers,
                          GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; numbers != NULL && numbers[i] != NULL; i++)
    {
      g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, numbers[i], error);

      if (invoice == NULL)
        return FALSE;
      g_array_append_val (ids, invoice->id);
    }
  if (ids->len == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, "%s",
                   _("Name at least one invoice."));
      return FALSE;
    }
  return match_ids (store, id, ids, "manual", error);
}

gboolean
relance_bank_store_accept (RelanceStore  *store,
                           gint64         id,
                           GError       **error)
{
  g_autoptr(RelanceBankTransaction) t = relance_bank_store_get (store, id, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (t == NULL)
    return FALSE;
  if (!g_str_equal (t->status, "proposed") || t->links->len == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is the number of a bank transaction */
                   _("Bank transaction %s has no proposal to accept."),
                   id_text (id, (char[32]) { 0 }));
      return FALSE;
    }
  for (guint i = 0; i < t->links->len; i++)
    g_array_append_val (ids, ((RelanceBankLink *) g_ptr_array_index (t->links, i))->invoice_id);
  return match_ids (store, id, ids, t->rule, error);
}

static gboolean
change_state (RelanceStore        *store,
              gint64               id,
              const char * const  *allowed,
              const char          *status,
              GError             **error)
{
  g_autoptr(RelanceBankTransaction) t = NULL;

  if (!relance_store_begin (store, error))
    return FALSE;
  if ((t = get_in_state (store, id, allowed, error)) == NULL
      || !delete_links (store, id, error) || !set_status (store, id, status, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }
  return relance_store_commit (store, error);
}

gboolean
relance_bank_store_reject (RelanceStore  *store,
                           gint64         id,
                           GError       **error)
{
  static const char * const allowed[] = { "proposed", NULL };

  return change_state (store, id, allowed, "unmatched", error);
}

gboolean
relance_bank_store_ignore (RelanceStore  *store,
                           gint64         id,
                           GError       **error)
{
  static const char * const allowed[] = { "proposed", "unmatched", "ignored", NULL };

  return change_state (store, id, allowed, "ignored", error);
}

gboolean
relance_bank_store_undo (RelanceStore  *store,
                         gint64         id,
                         GError       **error)
{
  static const char * const allowed[] = { "applied", "ignored", NULL };
  g_autoptr(RelanceBankTransaction) t = NULL;

  if (!relance_store_begin (store, error))
    return FALSE;
  if ((t = get_in_state (store, id, allowed, error)) == NULL)
    goto fail;
  /* Exactly the payments this transaction made; the links go with them (cascade). */
  for (guint i = 0; i < t->links->len; i++)
    {
      RelanceBankLink *link = g_ptr_array_index (t->links, i);
      sqlite3_stmt *stmt;

      if (link->payment_id == 0)
        continue;
      stmt = relance_store_prepare (store, "DELETE FROM payments WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, link->payment_id);
      if (!relance_store_step_done (store, stmt, error))
        goto fail;
      relance_store_note_change (store, RELANCE_STORE_CHANGED_INVOICES, 0, link->invoice_id);
    }
  if (!delete_links (store, id, error) || !set_status (store, id, "unmatched", error))
    goto fail;
  return relance_store_commit (store, error);

fail:
  relance_store_rollback (store);
  return FALSE;
}

RelanceBankTransaction *
relance_bank_store_for_payment (RelanceStore *store,
                                gint64        payment_id)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT transaction_id FROM bank_matches WHERE payment_id = ?1", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id != 0 ? relance_bank_store_get (store, id, NULL) : NULL;
}
