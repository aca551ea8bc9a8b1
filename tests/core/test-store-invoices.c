/* test-store-invoices.c: the rules of invoices in the store (relance-store-invoices.h and
 * relance-store-upcoming.h): each rule, its refusals, nothing half-written when one is
 * refused, and RelanceStore::changed once after the commit, naming the invoice. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-store-upcoming.h"
#include "relance-store.h"

#include "../relance-test-sql.h"

typedef struct
{
  RelanceStore *store;
  gint64        client_id;
  guint         n_changes;
  RelanceStoreChanged what;
  GArray       *invoice_ids;  /* of the last change */
  GArray       *client_ids;
} Fixture;

static void
changed_cb (RelanceStore             *store,
            const RelanceStoreChange *change,
            Fixture                  *fixture)
{
  /* Announced after the commit, never inside the transaction. */
  g_assert_cmpint (sqlite3_get_autocommit (relance_test_sql_db (store)), !=, 0);
  fixture->n_changes++;
  fixture->what = change->what;
  g_array_set_size (fixture->invoice_ids, 0);
  g_array_append_vals (fixture->invoice_ids, change->invoice_ids->data, change->invoice_ids->len);
  g_array_set_size (fixture->client_ids, 0);
  g_array_append_vals (fixture->client_ids, change->client_ids->data, change->client_ids->len);
}

static void
forget_changes (Fixture *fixture)
{
  fixture->n_changes = 0;
  fixture->what = 0;
  g_array_set_size (fixture->invoice_ids, 0);
  g_array_set_size (fixture->client_ids, 0);
}

/* Exactly one change was announced, with @what among its kinds and @invoice_id (if not 0)
 * among its invoices. */
static void
assert_changed_once (Fixture             *fixture,
                     RelanceStoreChanged  what,
                     gint64               invoice_id)
{
  gboolean found = invoice_id == 0;

  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpint (fixture->what & what, ==, what);
  for (guint i = 0; i < fixture->invoice_ids->len; i++)
    found = found || g_array_index (fixture->invoice_ids, gint64, i) == invoice_id;
  g_assert_true (found);
  forget_changes (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RelanceClient client = { .name = (char *) "Garage des Alpes",
                           .email = (char *) "compta@garage.test" };

  /* Today is 1 March 2026 for the promises. */
  g_setenv ("RELANCE_NOW", "2026-03-01T10:00:00Z", TRUE);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "invoices.db", NULL);
  fixture->store = relance_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (relance_store_save_client (fixture->store, &client, &error));
  g_assert_no_error (error);
  fixture->client_id = client.id;
  fixture->invoice_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->invoice_ids, g_array_unref);
  g_clear_pointer (&fixture->client_ids, g_array_unref);
  g_unsetenv ("RELANCE_NOW");
}

/* Adds invoice @number (due 31 January 2026, @total cents) without announcing it. */
static gint64
add_invoice (Fixture    *fixture,
             const char *number,
             gint64      total)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice invoice = { .number = (char *) number, .client_id = fixture->client_id,
                             .total = total, .currency = (char *) "EUR" };

  g_assert_true (relance_date_from_iso ("2026-01-01", &invoice.issue_date));
  g_assert_true (relance_date_from_iso ("2026-01-31", &invoice.due_date));
  g_date_clear (&invoice.promise_date, 1);
  g_assert_true (relance_store_save_invoice (fixture->store, &invoice, &error));
  g_assert_no_error (error);
  forget_changes (fixture);
  return invoice.id;
}

static RelanceInvoice *
get_invoice (Fixture    *fixture,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice *invoice = relance_store_get_invoice (fixture->store, number, &error);

  g_assert_no_error (error);
  return invoice;
}

static gint64
pay (Fixture    *fixture,
     const char *number,
     gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePayment) payment = relance_store_pay (fixture->store, number, amount, NULL,
                                                         &error);

  g_assert_no_error (error);
  forget_changes (fixture);
  return payment->id;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return relance_test_sql_int (fixture->store, sql);
}

/* A refused call changed nothing and announced nothing. */
static void
assert_refused (Fixture          *fixture,
                gboolean          result,
                GError           *error,
                RelanceCoreError  code)
{
  g_assert_false (result);
  g_assert_error (error, RELANCE_CORE_ERROR, code);
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  g_assert_cmpint (sqlite3_get_autocommit (relance_test_sql_db (fixture->store)), !=, 0);
}

/* ---- payments ------------------------------------------------------------------------ */

static void
test_pay (Fixture       *fixture,
          gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;

  payment = relance_store_pay (fixture->store, "F-1", 4000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->amount, ==, 4000);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);

  /* More than what is left, nothing, a cancelled invoice: refused. */
  g_assert_null (relance_store_pay (fixture->store, "F-1", 6001, NULL, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relance_store_pay (fixture->store, "F-2", -1, NULL, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&payment, relance_payment_free);
  payment = relance_store_pay (fixture->store, "F-1", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->amount, ==, 6000);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  invoice = get_invoice (fixture, "F-1");
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "paid");

  /* Paid in full: nothing more. */
  g_assert_null (relance_store_pay (fixture->store, "F-1", 1, NULL, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM payments"), ==, 2);
}

static void
test_delete_payments (Fixture       *fixture,
                      gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  gint64 ids[3];
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;

  ids[0] = pay (fixture, "F-1", 1000);
  ids[1] = pay (fixture, "F-1", 2000);
  ids[2] = ids[1] + 100;  /* gone already: no error, the undo's goal is met */
  g_assert_true (relance_store_delete_payments (fixture->store, ids, G_N_ELEMENTS (ids), &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  invoice = get_invoice (fixture, "F-1");
  g_assert_cmpint (invoice->paid, ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM payments"), ==, 0);
}

/* ---- deleting an invoice ------------------------------------------------------------- */

static gint64
first_step (Fixture *fixture,
            guint    n)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM scenario_steps ORDER BY id "
                                          "LIMIT 1 OFFSET %u", n);

  return count (fixture, sql);
}

static void
test_delete_invoice (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  gint64 other = add_invoice (fixture, "F-2", 5000);
  RelanceInvoiceStep step = { id, first_step (fixture, 0) };
  g_autoptr(GError) error = NULL;

  pay (fixture, "F-1", 1000);
  pay (fixture, "F-2", 1000);
  g_assert_true (relance_store_skip_steps (fixture->store, &step, 1, "email", FALSE, 1772355600,
                                           &error));
  g_assert_no_error (error);
  forget_changes (fixture);

  g_assert_true (relance_store_delete_invoice (fixture->store, "F-1", &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  /* Its payments and reminders went with it; the other invoice kept its own. */
  g_assert_null (relance_store_get_invoice (fixture->store, "F-1", NULL));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM payments"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM reminders"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM payments WHERE invoice_id = "
                                   "(SELECT id FROM invoices WHERE number = 'F-2')"), ==, 1);
  g_assert_cmpint (other, >, 0);

  g_assert_false (relance_store_delete_invoice (fixture->store, "F-1", &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_NOT_FOUND);
}

/* ---- statuses ------------------------------------------------------------------------ */

static void
assert_status (Fixture    *fixture,
               const char *number,
               const char *status)
{
  g_autoptr(RelanceInvoice) invoice = get_invoice (fixture, number);

  g_assert_cmpstr (invoice->status, ==, status);
}

static void
test_dispute (Fixture       *fixture,
              gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_store_dispute_invoice (fixture->store, "F-1", &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  g_assert_cmpint (fixture->client_ids->len, ==, 0);
  assert_status (fixture, "F-1", "disputed");
  /* Twice is once. */
  g_assert_true (relance_store_dispute_invoice (fixture->store, "F-1", &error));
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  /* Open again; a second time changes nothing. */
  g_assert_true (relance_store_undispute_invoice (fixture->store, "F-1", &error));
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  assert_status (fixture, "F-1", "open");
  g_assert_true (relance_store_undispute_invoice (fixture->store, "F-1", &error));
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  /* A cancelled invoice cannot be disputed, nor undisputed into open. */
  g_assert_true (relance_store_cancel_invoice (fixture->store, "F-1", &error));
  forget_changes (fixture);
  g_assert_false (relance_store_dispute_invoice (fixture->store, "F-1", &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (relance_store_undispute_invoice (fixture->store, "F-1", &error));
  assert_status (fixture, "F-1", "cancelled");

  g_assert_false (relance_store_dispute_invoice (fixture->store, "F-9", &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_NOT_FOUND);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  g_autoptr(GError) error = NULL;

  add_invoice (fixture, "F-2", 10000);
  pay (fixture, "F-2", 1);
  /* A payment recorded: the invoice was owed, it cannot be cancelled. */
  g_assert_false (relance_store_cancel_invoice (fixture->store, "F-2", &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  assert_status (fixture, "F-2", "open");
  g_clear_error (&error);

  g_assert_true (relance_store_cancel_invoice (fixture->store, "F-1", &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  assert_status (fixture, "F-1", "cancelled");
  /* No payment on a cancelled invoice. */
  g_assert_null (relance_store_pay (fixture->store, "F-1", -1, NULL, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (relance_store_reopen_invoice (fixture->store, "F-1", &error));
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  assert_status (fixture, "F-1", "open");
  /* Reopening an open or disputed invoice leaves it as it is. */
  g_assert_true (relance_store_dispute_invoice (fixture->store, "F-1", &error));
  forget_changes (fixture);
  g_assert_true (relance_store_reopen_invoice (fixture->store, "F-1", &error));
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  assert_status (fixture, "F-1", "disputed");
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  GDate date;

  g_assert_true (relance_date_from_iso ("2026-03-20", &date));
  g_assert_true (relance_store_set_invoice_promise (fixture->store, "F-1", &date, &error));
  g_assert_true (relance_store_dispute_invoice (fixture->store, "F-1", &error));
  forget_changes (fixture);

  /* Open, without the promise: both in one commit. */
  g_assert_true (relance_store_resume_invoice (fixture->store, "F-1", &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  invoice = get_invoice (fixture, "F-1");
  g_assert_cmpstr (invoice->status, ==, "open");
  g_assert_false (g_date_valid (&invoice->promise_date));
}

/* ---- promises ------------------------------------------------------------------------ */

static void
assert_promise (Fixture    *fixture,
                const char *number,
                const char *iso)
{
  g_autoptr(RelanceInvoice) invoice = get_invoice (fixture, number);
  g_autofree char *shown = g_date_valid (&invoice->promise_date)
                           ? relance_date_to_iso (&invoice->promise_date) : NULL;

  g_assert_cmpstr (shown, ==, iso);
}

static void
test_promise (Fixture       *fixture,
              gconstpointer  user_data)
{
  gint64 id = add_invoice (fixture, "F-1", 10000);
  g_autoptr(GError) error = NULL;
  GDate date;

  /* Yesterday: refused. Today and later: kept. */
  g_assert_true (relance_date_from_iso ("2026-02-28", &date));
  g_assert_false (relance_store_set_invoice_promise (fixture->store, "F-1", &date, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_promise (fixture, "F-1", NULL);

  g_assert_true (relance_date_from_iso ("2026-03-01", &date));
  g_assert_true (relance_store_set_invoice_promise (fixture->store, "F-1", &date, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  assert_promise (fixture, "F-1", "2026-03-01");

  /* Cleared. */
  g_assert_true (relance_store_set_invoice_promise (fixture->store, "F-1", NULL, &error));
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  assert_promise (fixture, "F-1", NULL);

  g_assert_false (relance_store_set_invoice_promise (fixture->store, "F-9", &date, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_NOT_FOUND);
}

static void
test_promise_several (Fixture       *fixture,
                      gconstpointer  user_data)
{
  gint64 ids[] = { add_invoice (fixture, "F-1", 10000), add_invoice (fixture, "F-2", 5000) };
  g_autoptr(RelanceInvoice) second = get_invoice (fixture, "F-2");
  g_autoptr(GArray) previous = NULL;
  g_autoptr(GError) error = NULL;
  GDate date;

  /* F-2 had a promise that has run out: an undo puts it back as it was. */
  g_assert_true (relance_date_from_iso ("2026-02-15", &second->promise_date));
  g_assert_true (relance_store_save_invoice (fixture->store, second, &error));
  forget_changes (fixture);

  g_assert_true (relance_date_from_iso ("2026-02-28", &date));
  g_assert_false (relance_store_promise_invoices (fixture->store, ids, 2, &date, &previous,
                                                  &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_INVALID);
  g_assert_null (previous);
  g_clear_error (&error);

  g_assert_true (relance_date_from_iso ("2026-03-20", &date));
  g_assert_true (relance_store_promise_invoices (fixture->store, ids, 2, &date, &previous,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpuint (fixture->invoice_ids->len, ==, 2);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, ids[1]);
  assert_promise (fixture, "F-1", "2026-03-20");
  assert_promise (fixture, "F-2", "2026-03-20");
  g_assert_cmpuint (previous->len, ==, 2);
  g_assert_false (g_date_valid (&g_array_index (previous, GDate, 0)));

  g_assert_true (relance_store_restore_invoice_promises (fixture->store, ids, 2, previous,
                                                         &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, ids[0]);
  assert_promise (fixture, "F-1", NULL);
  assert_promise (fixture, "F-2", "2026-02-15");
}

/* ---- editing ------------------------------------------------------------------------- */

static void
test_edit_total (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  gint64 id = add_invoice (fixture, "F-1", 10000);

  pay (fixture, "F-1", 6000);
  invoice = get_invoice (fixture, "F-1");
  invoice->total = 5999;
  g_assert_false (relance_store_save_invoice (fixture->store, invoice, &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "The new total of invoice F-1 is less than the payments already recorded "
                   "for it.");
  g_clear_error (&error);
  g_clear_pointer (&invoice, relance_invoice_free);
  invoice = get_invoice (fixture, "F-1");
  g_assert_cmpint (invoice->total, ==, 10000);

  /* Down to what was paid: allowed, the invoice is then paid. */
  invoice->total = 6000;
  g_assert_true (relance_store_save_invoice (fixture->store, invoice, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES, id);
  g_clear_pointer (&invoice, relance_invoice_free);
  invoice = get_invoice (fixture, "F-1");
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "paid");
}

/* The refusal reads in French for a French user. */
static void
test_edit_total_french (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  const char *localedir = g_getenv ("RELANCE_LOCALEDIR");
  g_autofree char *old_locale = g_strdup (setlocale (LC_MESSAGES, NULL));

  if (localedir == NULL || setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("No French locale");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "fr", TRUE);

  add_invoice (fixture, "F-1", 10000);
  pay (fixture, "F-1", 6000);
  invoice = get_invoice (fixture, "F-1");
  invoice->total = 100;
  g_assert_false (relance_store_save_invoice (fixture->store, invoice, &error));
  g_assert_cmpstr (error->message, ==,
                   "Le nouveau total de la facture F-1 est inférieur aux paiements déjà "
                   "enregistrés pour elle.");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
}

/* An invoice and its new client: both, or neither. */
static void
test_new_client (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { .name = (char *) "Boulangerie Martin" };
  RelanceInvoice invoice = { .number = (char *) "F-1", .total = 4200,
                             .currency = (char *) "EUR" };
  gint64 clients = count (fixture, "SELECT count(*) FROM clients");

  g_assert_true (relance_date_from_iso ("2026-01-01", &invoice.issue_date));
  g_assert_true (relance_date_from_iso ("2026-01-31", &invoice.due_date));
  g_date_clear (&invoice.promise_date, 1);
  add_invoice (fixture, "F-1", 100);

  /* The number is taken: the client is not written either. */
  g_assert_false (relance_store_save_invoice_for_new_client (fixture->store, &invoice, &client,
                                                             &error));
  assert_refused (fixture, FALSE, error, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (client.id, ==, 0);
  g_assert_cmpint (invoice.id, ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clients"), ==, clients);

  invoice.number = (char *) "F-2";
  g_assert_true (relance_store_save_invoice_for_new_client (fixture->store, &invoice, &client,
                                                            &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_INVOICES | RELANCE_STORE_CHANGED_CLIENTS,
                       invoice.id);
  g_assert_cmpint (invoice.client_id, ==, client.id);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clients"), ==, clients + 1);
}

/* ---- skipped steps ------------------------------------------------------------------- */

static void
test_skip (Fixture       *fixture,
           gconstpointer  user_data)
{
  RelanceInvoiceStep steps[] = {
    { add_invoice (fixture, "F-1", 10000), first_step (fixture, 0) },
    { add_invoice (fixture, "F-2", 10000), first_step (fixture, 0) },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_store_skip_steps (fixture->store, steps, 2, "email", FALSE, 1772355600,
                                           &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_OUTBOX, steps[1].invoice_id);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM reminders WHERE state = 'skipped' "
                                   "AND channel = 'email' AND scheduled_at = 1772355600"), ==, 2);

  /* A step planned once already is refused, and the batch with it: nothing written. */
  steps[0].step_id = first_step (fixture, 1);
  g_assert_false (relance_store_skip_steps (fixture->store, steps, 2, "email", FALSE, 1772355600,
                                            &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM reminders"), ==, 2);

  /* Undone: planned again. A step sent meanwhile would stay. */
  steps[0].step_id = first_step (fixture, 0);
  relance_test_sql_exec (fixture->store, "UPDATE reminders SET state = 'sent' WHERE invoice_id = "
                                         "(SELECT id FROM invoices WHERE number = 'F-2')");
  g_assert_true (relance_store_unskip_steps (fixture->store, steps, 2, &error));
  g_assert_no_error (error);
  assert_changed_once (fixture, RELANCE_STORE_CHANGED_OUTBOX, steps[0].invoice_id);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM reminders"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM reminders WHERE state = 'sent'"), ==, 1);
}

/* ---- the list's rows ----------------------------------------------------------------- */

static void
collect_number (const RelanceInvoiceSummary *summary,
                gpointer                     user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%s", summary->number,
                                               summary->paid, summary->status));
}

static char *
summaries (Fixture             *fixture,
           RelanceInvoiceOrder  order,
           gboolean             descending,
           guint                limit)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_store_foreach_invoice_summary (fixture->store, order, descending, limit,
                                                        collect_number, rows, &error));
  g_assert_no_error (error);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv (" ", (char **) rows->pdata);
}

static void
test_summaries (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) b = NULL;
  char *text;

  add_invoice (fixture, "b-2", 10000);
  add_invoice (fixture, "A-3", 10000);
  add_invoice (fixture, "c-1", 10000);
  pay (fixture, "A-3", 2500);
  pay (fixture, "A-3", 500);
  g_assert_true (relance_store_dispute_invoice (fixture->store, "c-1", &error));
  b = get_invoice (fixture, "b-2");
  g_assert_true (relance_date_from_iso ("2025-12-31", &b->due_date));
  g_assert_true (relance_date_from_iso ("2025-12-01", &b->issue_date));
  g_assert_true (relance_store_save_invoice (fixture->store, b, &error));

  text = summaries (fixture, RELANCE_INVOICE_ORDER_ID, FALSE, 0);
  g_assert_cmpstr (text, ==, "b-2:0:open A-3:3000:open c-1:0:disputed");
  g_free (text);
  text = summaries (fixture, RELANCE_INVOICE_ORDER_NUMBER, FALSE, 0);
  g_assert_cmpstr (text, ==, "A-3:3000:open b-2:0:open c-1:0:disputed");
  g_free (text);
  text = summaries (fixture, RELANCE_INVOICE_ORDER_NUMBER, TRUE, 2);
  g_assert_cmpstr (text, ==, "c-1:0:disputed b-2:0:open");
  g_free (text);
  /* Equal due dates in the order of the ids, whichever the direction. */
  text = summaries (fixture, RELANCE_INVOICE_ORDER_DUE, TRUE, 10);
  g_assert_cmpstr (text, ==, "A-3:3000:open c-1:0:disputed b-2:0:open");
  g_free (text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/store-invoices/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pay", test_pay);
  ADD ("delete-payments", test_delete_payments);
  ADD ("delete-invoice", test_delete_invoice);
  ADD ("dispute", test_dispute);
  ADD ("cancel", test_cancel);
  ADD ("resume", test_resume);
  ADD ("promise", test_promise);
  ADD ("promise-several", test_promise_several);
  ADD ("edit-total", test_edit_total);
  ADD ("edit-total-french", test_edit_total_french);
  ADD ("new-client", test_new_client);
  ADD ("skip", test_skip);
  ADD ("summaries", test_summaries);
#undef ADD
  return g_test_run ();
}
