/* test-bank.c: bank statements in (CAMT .02 to .08, camt.054, OFX 1 and 2, each bank's CSV),
 * ISO 11649 references, the matching rules, and the store's bank transactions: applied at
 * once, proposed, unmatched, re-imported, undone, matched by hand, in another currency. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-bank-match.h"
#include "relance-bank.h"
#include "relance-store-bank.h"
#include "relance-store-outbox.h"
#include "relance-clock.h"
#include "relance-creditor-ref.h"
#include "relance-error.h"

typedef struct
{
  char         *dir;
  RelanceStore *store;
} Fixture;

static char *
bank_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "bank", name, NULL);
}

static gint64
add_invoice (RelanceStore *store,
             const char   *client_name,
             const char   *number,
             gint64        total,
             const char   *currency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = relance_store_find_client (store, client_name, NULL);
  g_autoptr(RelanceInvoice) invoice = g_new0 (RelanceInvoice, 1);

  if (client == NULL)
    {
      client = g_new0 (RelanceClient, 1);
      client->name = g_strdup (client_name);
      client->language = g_strdup ("fr");
      client->kind = g_strdup ("business");
      client->segment = g_strdup ("regular");
      g_assert_true (relance_store_save_client (store, client, &error));
      g_assert_no_error (error);
    }
  invoice->number = g_strdup (number);
  invoice->client_id = client->id;
  g_date_set_dmy (&invoice->issue_date, 1, 10, 2026);
  g_date_set_dmy (&invoice->due_date, 31, 10, 2026);
  invoice->total = total;
  invoice->currency = g_strdup (currency);
  invoice->status = g_strdup ("open");
  g_date_clear (&invoice->promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, invoice, &error));
  g_assert_no_error (error);
  return invoice->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-20T10:00:00Z", NULL);
  g_autofree char *path = NULL;

  relance_clock_set_override (now);
  f->dir = g_dir_make_tmp ("relance-bank-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "relance.db", NULL);
  f->store = relance_store_open (path, &error);
  g_assert_no_error (error);
  add_invoice (f->store, "Garage des Alpes SARL", "F2026-0101", 120000, "EUR");
  add_invoice (f->store, "Garage des Alpes SARL", "F2026-0102", 30000, "EUR");
  add_invoice (f->store, "Garage des Alpes SARL", "F2026-0103", 45000, "EUR");
  add_invoice (f->store, "Boulangerie Martin", "F2026-0110", 8000, "EUR");
  add_invoice (f->store, "Studio Lumière", "F2026-0120", 99900, "EUR");
  add_invoice (f->store, "Atelier Dupont EURL", "F2026-0130", 50000, "EUR");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  relance_clock_set_override (NULL);
  g_free (f->dir);
}

static RelanceBankStatement *
read_fixture (const char *name)
{
  g_autofree char *path = bank_path (name);
  g_autoptr(GError) error = NULL;
  RelanceBankStatement *statement = relance_bank_statement_read (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (statement);
  return statement;
}

static RelanceBankImportReport *
import (Fixture    *f,
        const char *name)
{
  g_autoptr(RelanceBankStatement) statement = read_fixture (name);
  g_autoptr(GError) error = NULL;
  RelanceBankImportReport *report = relance_bank_store_import (f->store, statement, FALSE,
                                                               &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static gint64
paid_on (Fixture    *f,
         const char *number)
{
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (f->store, number, NULL);

  g_assert_nonnull (invoice);
  return invoice->paid;
}

static RelanceBankTransaction *
find_by_amount (GPtrArray *transactions,
                gint64     amount)
{
  for (guint i = 0; i < transactions->len; i++)
    {
      RelanceBankTransaction *t = g_ptr_array_index (transactions, i);

      if (t->amount == amount)
        return t;
    }
  g_assert_not_reached ();
}

/* ---- references ------------------------------------------------------------------- */

static void
test_creditor_ref (void)
{
  g_autofree char *made = relance_creditor_ref_make ("539007547034");
  g_autofree char *invoice = relance_creditor_ref_for_invoice ("F2026-0101", 1);
  g_autofree char *long_number = relance_creditor_ref_for_invoice ("FACT-2026-CLIENT-ALPHA-00012", 35);
  g_autofree char *formatted = relance_creditor_ref_format ("RF18539007547034");
  g_autofree char *found = relance_creditor_ref_find ("VIR SEPA REF RF18 5390 0754 7034 MERCI",
                                                      NULL);
  g_autofree char *invalid = NULL;
  g_autofree char *none = relance_creditor_ref_find ("PAIEMENT RF19539007547034", &invalid);
  gint64 ids_a[] = { 3, 1, 2 }, ids_b[] = { 1, 2, 3 }, ids_c[] = { 1, 2 };
  g_autofree char *group_a = relance_creditor_ref_for_group (ids_a, 3);
  g_autofree char *group_b = relance_creditor_ref_for_group (ids_b, 3);
  g_autofree char *group_c = relance_creditor_ref_for_group (ids_c, 2);

  /* The example of ISO 11649 itself. */
  g_assert_cmpstr (made, ==, "RF18539007547034");
  g_assert_true (relance_creditor_ref_is_valid ("RF18 5390 0754 7034"));
  g_assert_true (relance_creditor_ref_is_valid ("rf18539007547034"));
  g_assert_false (relance_creditor_ref_is_valid ("RF19539007547034"));
  g_assert_false (relance_creditor_ref_is_valid ("RF18"));
  g_assert_cmpstr (invoice, ==, "RF28F20260101");
  g_assert_true (g_str_has_prefix (long_number, "RF"));
  g_assert_true (relance_creditor_ref_is_valid (long_number));
  g_assert_cmpuint (strlen (long_number), <=, 25);
  g_assert_cmpstr (formatted, ==, "RF18 5390 0754 7034");
  g_assert_cmpstr (found, ==, "RF18539007547034");
  g_assert_null (none);
  g_assert_cmpstr (invalid, ==, "RF19539007547034");
  g_assert_cmpstr (group_a, ==, group_b);
  g_assert_cmpstr (group_a, !=, group_c);
  g_assert_true (relance_creditor_ref_is_valid (group_a));
  g_assert_cmpuint (strlen (group_a), <=, 25);
}

static void
test_amounts (void)
{
  static const struct { const char *text; char decimal; gint64 minor; } good[] = {
    { "300,00", ',', 30000 }, { "1 234,56", ',', 123456 }, { "1.234,56", ',', 123456 },
    { "1\xc2\xa0" "234,5", ',', 123450 }, { "-49,00", ',', -4900 }, { "+12", ',', 1200 },
    { "300,00 €", ',', 30000 }, { "1,234.56", '.', 123456 }, { "EUR 12.50", '.', 1250 },
    { "-49.00 EUR", '.', -4900 }, { "0.01", '.', 1 },
  };
  static const struct { const char *text; char decimal; } bad[] = {
    /* A dot read with a decimal comma is not a thousands separator before two digits. */
    { "300.00", ',' }, { "12,5,0", ',' }, { "1,2345", ',' }, { "trois", ',' }, { "", ',' },
    { "12.345", '.' }, { "1 23,00", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 0;

      g_assert_true (relance_bank_parse_amount (good[i].text, good[i].decimal, "EUR", &minor,
                                                &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, good[i].minor);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 0;

      g_test_message ("%s", bad[i].text);
      g_assert_false (relance_bank_parse_amount (bad[i].text, bad[i].decimal, "EUR", &minor,
                                                 &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    }
}

static void
test_names (void)
{
  g_assert_true (relance_bank_names_close ("GARAGE DES ALPES", "Garage des Alpes SARL"));
  g_assert_true (relance_bank_names_close ("Studio Lumiere", "Studio Lumière"));
  g_assert_true (relance_bank_names_close ("ACME LTD", "Acme"));
  g_assert_true (relance_bank_names_close ("BOULANGERIE MARTN", "Boulangerie Martin"));
  g_assert_false (relance_bank_names_close ("JEAN INCONNU", "Boulangerie Martin"));
  g_assert_false (relance_bank_names_close ("", "Boulangerie Martin"));
}

/* ---- readers ---------------------------------------------------------------------- */

static void
test_csv_profiles (void)
{
  g_auto(GStrv) ids = relance_bank_profile_ids ();

  g_assert_cmpuint (g_strv_length (ids), >=, 12);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("csv/%s.csv", ids[i]);
      g_autoptr(RelanceBankStatement) statement = NULL;
      RelanceBankCredit *credit;

      g_test_message ("profile %s", ids[i]);
      statement = read_fixture (name);
      g_assert_cmpstr (statement->format, ==, "CSV");
      g_assert_cmpstr (statement->bank, ==, relance_bank_profile_name (ids[i]));
      g_assert_cmpuint (statement->credits->len, ==, 1);
      g_assert_cmpuint (statement->n_debits, ==, 1);
      credit = g_ptr_array_index (statement->credits, 0);
      g_assert_cmpint (credit->amount, ==, 30000);
      g_assert_cmpstr (credit->currency, ==, "EUR");
      g_assert_cmpint (g_date_get_day (&credit->date), ==, 12);
      g_assert_cmpint (g_date_get_month (&credit->date), ==, 11);
      g_assert_cmpint (g_date_get_year (&credit->date), ==, 2026);
      g_assert_true (strstr (credit->label, "F2026-0102") != NULL
                     || g_strcmp0 (credit->reference, "F2026-0102") == 0);
      g_assert_true (g_str_has_prefix (credit->key, "id:") || g_str_has_prefix (credit->key, "hash:"));
    }
}

static void
test_camt_versions (void)
{
  g_autoptr(RelanceBankStatement) v02 = read_fixture ("camt053-v02.xml");
  g_autoptr(RelanceBankStatement) v08 = read_fixture ("camt053-v08.xml");
  g_autoptr(RelanceBankStatement) n04 = read_fixture ("camt054-v04.xml");
  RelanceBankCredit *c;

  g_assert_cmpstr (v02->format, ==, "CAMT.053");
  g_assert_cmpuint (v02->credits->len, ==, 4);
  g_assert_cmpuint (v02->n_debits, ==, 1);
  c = g_ptr_array_index (v02->credits, 0);
  g_assert_cmpint (c->amount, ==, 120000);
  g_assert_cmpstr (c->reference, ==, "RF28F20260101");
  g_assert_cmpstr (c->payer, ==, "GARAGE DES ALPES");
  g_assert_cmpstr (c->key, ==, "id:FR7630006000011234567890189:A1");
  c = g_ptr_array_index (v02->credits, 1);
  g_assert_cmpstr (c->label, ==, "FACTURES F2026-0102 ET F 2026 0103");

  /* .08: the status is a <Cd>, the debtor under <Pty>; a batch is split per transfer; a
   * pending credit is not a payment yet. */
  g_assert_cmpuint (v08->credits->len, ==, 3);
  c = g_ptr_array_index (v08->credits, 0);
  g_assert_cmpint (c->amount, ==, 99900);
  g_assert_cmpstr (c->payer, ==, "Studio Lumière");
  g_assert_cmpstr (c->bank_id, ==, "B1-1");
  c = g_ptr_array_index (v08->credits, 2);
  g_assert_cmpstr (c->currency, ==, "USD");
  g_assert_cmpuint (v08->n_debits, ==, 1);

  g_assert_cmpstr (n04->format, ==, "CAMT.054");
  g_assert_cmpuint (n04->credits->len, ==, 1);
}

static void
test_ofx (void)
{
  g_autoptr(RelanceBankStatement) v1 = read_fixture ("releve.ofx");
  g_autoptr(RelanceBankStatement) v2 = read_fixture ("releve-v2.ofx");
  RelanceBankCredit *c;

  g_assert_cmpstr (v1->format, ==, "OFX");
  g_assert_cmpuint (v1->credits->len, ==, 2);
  g_assert_cmpuint (v1->n_debits, ==, 1);
  c = g_ptr_array_index (v1->credits, 0);
  g_assert_cmpint (c->amount, ==, 45000);
  g_assert_cmpstr (c->currency, ==, "EUR");
  g_assert_cmpstr (c->bank_id, ==, "OFX-0001");
  g_assert_true (strstr (c->label, "F2026-0103") != NULL);
  g_assert_cmpint (g_date_get_day (&c->date), ==, 16);

  g_assert_cmpuint (v2->credits->len, ==, 1);
  c = g_ptr_array_index (v2->credits, 0);
  g_assert_cmpint (c->amount, ==, 30000);
  g_assert_cmpint (g_date_get_day (&c->date), ==, 17);
  g_assert_true (strstr (c->label, "F2026-0102") != NULL);
}

static void
test_refused (void)
{
  static const struct { const char *name; const char *message; } cases[] = {
    { "camt-entities.xml", "camt-entities.xml: This file declares a DTD or entities" },
    { "camt-malformed.xml", "camt-malformed.xml:" },
    { "releve-malformed.ofx", "releve-malformed.ofx:" },
    { "csv/bad-amount.csv", "bad-amount.csv:3: “trois cents” is not an amount." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = bank_path (cases[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceBankStatement) statement = relance_bank_statement_read (path, &error);

      g_assert_null (statement);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }
}

/* ---- the store -------------------------------------------------------------------- */

static void
test_import_and_match (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RelanceBankImportReport) report = import (f, "camt053-v02.xml");
  g_autoptr(RelanceBankImportReport) again = NULL;
  g_autoptr(RelanceBankImportReport) overlap = NULL;
  RelanceBankTransaction *t;

  g_assert_cmpuint (report->n_new, ==, 4);
  g_assert_cmpuint (report->n_applied, ==, 2);
  g_assert_cmpuint (report->n_proposed, ==, 1);
  g_assert_cmpuint (report->n_unmatched, ==, 1);
  g_assert_cmpuint (report->n_debits, ==, 1);

  /* The structured reference: certain, dated the booking day, by transfer. */
  t = find_by_amount (report->transactions, 120000);
  g_assert_cmpstr (t->status, ==, "applied");
  g_assert_cmpstr (t->rule, ==, "reference");
  g_assert_cmpint (paid_on (f, "F2026-0101"), ==, 120000);
  {
    g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (f->store, "F2026-0101", NULL);
    g_autoptr(GPtrArray) payments = relance_store_list_payments (f->store, invoice->id, NULL);
    RelancePayment *payment = g_ptr_array_index (payments, 0);
    g_autoptr(RelanceBankTransaction) source = relance_bank_store_for_payment (f->store,
                                                                              payment->id);

    g_assert_cmpint (g_date_get_day (&payment->date), ==, 12);
    g_assert_cmpstr (payment->method, ==, "transfer");
    g_assert_nonnull (source);
    g_assert_cmpstr (source->statement, ==, "camt053-v02.xml");
  }
  /* Two invoice numbers, typed with spaces: both paid. */
  t = find_by_amount (report->transactions, 75000);
  g_assert_cmpstr (t->status, ==, "applied");
  g_assert_cmpuint (t->links->len, ==, 2);
  g_assert_cmpint (paid_on (f, "F2026-0102"), ==, 30000);
  g_assert_cmpint (paid_on (f, "F2026-0103"), ==, 45000);
  /* Amount and payer: proposed, not paid. */
  t = find_by_amount (report->transactions, 8000);
  g_assert_cmpstr (t->status, ==, "proposed");
  g_assert_cmpstr (((RelanceBankLink *) g_ptr_array_index (t->links, 0))->number, ==, "F2026-0110");
  g_assert_cmpint (paid_on (f, "F2026-0110"), ==, 0);
  t = find_by_amount (report->transactions, 10000);
  g_assert_cmpstr (t->status, ==, "unmatched");

  /* The same statement again adds nothing; an overlapping one adds what is new. */
  again = import (f, "camt053-v02.xml");
  g_assert_cmpuint (again->n_new, ==, 0);
  g_assert_cmpuint (again->n_known, ==, 4);
  overlap = import (f, "camt053-v02-overlap.xml");
  g_assert_cmpuint (overlap->n_new, ==, 1);
  g_assert_cmpuint (overlap->n_known, ==, 2);
  /* A partial payment leaves the invoice partly paid. */
  g_assert_cmpint (paid_on (f, "F2026-0130"), ==, 20000);
}

static void
test_accept_undo_ignore (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RelanceBankImportReport) report = import (f, "camt053-v02.xml");
  g_autoptr(GError) error = NULL;
  RelanceBankTransaction *proposed = find_by_amount (report->transactions, 8000);
  RelanceBankTransaction *unmatched = find_by_amount (report->transactions, 10000);
  RelanceBankTransaction *multi = find_by_amount (report->transactions, 75000);
  const char *numbers[] = { "F2026-0120", NULL };
  const char *paid[] = { "F2026-0101", NULL };

  g_assert_true (relance_bank_store_accept (f->store, proposed->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (paid_on (f, "F2026-0110"), ==, 8000);

  /* Undo removes exactly the payments that transaction made. */
  g_assert_true (relance_bank_store_undo (f->store, multi->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (paid_on (f, "F2026-0102"), ==, 0);
  g_assert_cmpint (paid_on (f, "F2026-0103"), ==, 0);
  g_assert_cmpint (paid_on (f, "F2026-0101"), ==, 120000);
  {
    g_autoptr(RelanceBankTransaction) t = relance_bank_store_get (f->store, multi->id, NULL);

    g_assert_cmpstr (t->status, ==, "unmatched");
    g_assert_cmpuint (t->links->len, ==, 0);
  }
  g_assert_false (relance_bank_store_undo (f->store, multi->id, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* By hand: an unmatched credit assigned to an invoice; a paid invoice refused. */
  g_assert_false (relance_bank_store_match (f->store, unmatched->id, paid, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (relance_bank_store_match (f->store, unmatched->id, numbers, &error));
  g_assert_no_error (error);
  g_assert_cmpint (paid_on (f, "F2026-0120"), ==, 10000);
  g_assert_false (relance_bank_store_match (f->store, unmatched->id, numbers, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (relance_bank_store_ignore (f->store, multi->id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) unmatched_list = relance_bank_store_list (f->store,
                                                                   RELANCE_BANK_FILTER_UNMATCHED,
                                                                   &error);
    g_assert_no_error (error);
    g_assert_cmpuint (unmatched_list->len, ==, 0);
  }
}

static void
test_typed_wrong_and_currency (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RelanceBankImportReport) report = import (f, "camt053-v08.xml");
  RelanceBankTransaction *t;

  g_assert_cmpuint (report->n_new, ==, 3);
  /* The reference typed wrong: proposed on amount and payer, with a word about it. */
  t = find_by_amount (report->transactions, 99900);
  g_assert_cmpstr (t->status, ==, "proposed");
  g_assert_cmpstr (t->rule, ==, "amount");
  g_assert_nonnull (t->note);
  g_assert_true (strstr (t->note, "RF97F20260121") != NULL);
  g_assert_cmpint (paid_on (f, "F2026-0120"), ==, 0);
  /* The invoice number, lower case: certain, partial. */
  t = find_by_amount (report->transactions, 30000);
  g_assert_cmpstr (t->status, ==, "applied");
  g_assert_cmpint (paid_on (f, "F2026-0130"), ==, 30000);
  /* Dollars never pay a euro invoice silently. */
  t = find_by_amount (report->transactions, 8000);
  g_assert_cmpstr (t->currency, ==, "USD");
  g_assert_cmpstr (t->status, ==, "unmatched");
  g_assert_true (strstr (t->note, "USD") != NULL);
  g_assert_cmpint (paid_on (f, "F2026-0110"), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    const char *numbers[] = { "F2026-0110", NULL };

    g_assert_false (relance_bank_store_match (f->store, t->id, numbers, &error));
    g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  }
}

static void
test_over_payment (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RelanceBankImportReport) report = import (f, "camt054-v04.xml");
  RelanceBankTransaction *t = g_ptr_array_index (report->transactions, 0);

  g_assert_cmpstr (t->status, ==, "applied");
  g_assert_cmpint (t->excess, ==, 80000);
  g_assert_cmpint (paid_on (f, "F2026-0130"), ==, 50000);
}

static void
test_csv_overlap_and_dry_run (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(RelanceBankStatement) statement = read_fixture ("csv/overlap-a.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankImportReport) dry = relance_bank_store_import (f->store, statement, TRUE,
                                                                      &error);
  g_autoptr(RelanceBankImportReport) a = NULL;
  g_autoptr(RelanceBankImportReport) b = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (dry->n_applied, ==, 2);
  g_assert_cmpint (paid_on (f, "F2026-0120"), ==, 0);
  /* Two identical credits of one day without bank ids stay two… */
  a = import (f, "csv/overlap-a.csv");
  g_assert_cmpuint (a->n_new, ==, 2);
  g_assert_cmpint (paid_on (f, "F2026-0120"), ==, 10000);
  /* …and a statement covering the same day and the next adds only the next. */
  b = import (f, "csv/overlap-b.csv");
  g_assert_cmpuint (b->n_new, ==, 1);
  g_assert_cmpuint (b->n_known, ==, 2);
  g_assert_cmpint (paid_on (f, "F2026-0120"), ==, 11000);
}

static void
test_ofx_import (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RelanceBankImportReport) report = import (f, "releve.ofx");

  g_assert_cmpuint (report->n_applied, ==, 1);
  g_assert_cmpuint (report->n_proposed, ==, 1);
  g_assert_cmpint (paid_on (f, "F2026-0103"), ==, 45000);
}

/* A grouped reminder about several invoices carries the group's reference: a transfer
 * giving it pays them all; one giving their total and the client's name is proposed. */
static void
test_grouped_reminder (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RelanceInvoice) a = relance_store_get_invoice (f->store, "F2026-0102", NULL);
  g_autoptr(RelanceInvoice) b = relance_store_get_invoice (f->store, "F2026-0103", NULL);
  gint64 ids[] = { a->id, b->id };
  g_autofree char *reference = relance_creditor_ref_for_group (ids, 2);
  RelanceOutboxRow row = { .client_id = a->client_id, .channel = "email", .tone = "courteous",
                           .step_offset = 1, .template_key = "first-reminder", .state = "sent" };
  gint64 step_ids[2];
  gint64 outbox_id = 0;
  g_autoptr(RelanceBankStatement) statement = g_new0 (RelanceBankStatement, 1);
  g_autoptr(RelanceBankImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *key, *payer, *label; gint64 amount; } credits[] = {
    { "k1", "GARAGE DES ALPES", NULL, 75000 },
    { "k2", "GARAGE DES ALPES", "PAIEMENT", 75000 },
  };

  /* One message about both invoices, as the outbox records it when sending. */
  step_ids[0] = step_ids[1] = relance_test_sql_int (f->store, "SELECT min (id) FROM scenario_steps");
  row.n_invoices = 2;
  row.invoice_ids = ids;
  row.step_ids = step_ids;
  g_assert_true (relance_store_queue_outbox (f->store, &row, 1, FALSE, &outbox_id, &error));
  g_assert_no_error (error);
  statement->name = g_strdup ("memory.xml");
  statement->format = g_strdup ("CAMT.053");
  statement->credits = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_credit_free);
  for (guint i = 0; i < G_N_ELEMENTS (credits); i++)
    {
      RelanceBankCredit *credit = g_new0 (RelanceBankCredit, 1);

      credit->key = g_strdup (credits[i].key);
      credit->account = g_strdup ("");
      g_date_set_dmy (&credit->date, 18, 11, 2026);
      credit->amount = credits[i].amount;
      credit->currency = g_strdup ("EUR");
      credit->payer = g_strdup (credits[i].payer);
      /* The first gives the group's reference (as the QR code does), the second nothing. */
      credit->label = g_strdup (credits[i].label != NULL ? credits[i].label : "VIR");
      credit->reference = credits[i].label == NULL ? g_strdup (reference) : NULL;
      g_ptr_array_add (statement->credits, credit);
    }

  report = relance_bank_store_import (f->store, statement, TRUE, &error);
  g_assert_no_error (error);
  {
    RelanceBankTransaction *t = g_ptr_array_index (report->transactions, 0);

    g_assert_cmpstr (t->status, ==, "applied");
    g_assert_cmpstr (t->rule, ==, "reference");
    g_assert_cmpuint (t->links->len, ==, 2);
  }
  /* Dry run: nothing stays. */
  g_assert_cmpint (paid_on (f, "F2026-0102"), ==, 0);

  /* Without the first, the second is the group's total from its client: proposed. */
  g_ptr_array_remove_index (statement->credits, 0);
  g_clear_pointer (&report, relance_bank_import_report_free);
  report = relance_bank_store_import (f->store, statement, FALSE, &error);
  g_assert_no_error (error);
  {
    RelanceBankTransaction *t = g_ptr_array_index (report->transactions, 0);

    g_assert_cmpstr (t->status, ==, "proposed");
    g_assert_cmpstr (t->rule, ==, "amount");
    g_assert_cmpuint (t->links->len, ==, 2);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/bank/creditor-ref", test_creditor_ref);
  g_test_add_func ("/bank/amounts", test_amounts);
  g_test_add_func ("/bank/names", test_names);
  g_test_add_func ("/bank/csv-profiles", test_csv_profiles);
  g_test_add_func ("/bank/camt-versions", test_camt_versions);
  g_test_add_func ("/bank/ofx", test_ofx);
  g_test_add_func ("/bank/refused", test_refused);
  g_test_add ("/bank/import-and-match", Fixture, NULL, fixture_set_up, test_import_and_match,
              fixture_tear_down);
  g_test_add ("/bank/accept-undo-ignore", Fixture, NULL, fixture_set_up, test_accept_undo_ignore,
              fixture_tear_down);
  g_test_add ("/bank/typed-wrong-and-currency", Fixture, NULL, fixture_set_up,
              test_typed_wrong_and_currency, fixture_tear_down);
  g_test_add ("/bank/over-payment", Fixture, NULL, fixture_set_up, test_over_payment,
              fixture_tear_down);
  g_test_add ("/bank/csv-overlap-and-dry-run", Fixture, NULL, fixture_set_up,
              test_csv_overlap_and_dry_run, fixture_tear_down);
  g_test_add ("/bank/ofx-import", Fixture, NULL, fixture_set_up, test_ofx_import,
              fixture_tear_down);
  g_test_add ("/bank/grouped-reminder", Fixture, NULL, fixture_set_up, test_grouped_reminder,
              fixture_tear_down);
  return g_test_run ();
}
