/* test-store-clients.c: the rules about clients the window and the command line share
 * (reminders paused or never sent, the scenario chosen, deletion refused with invoices),
 * what the Clients page reads, the regular scenario and the global pause; each change
 * announced once, after its commit, and nothing half-written when one fails. */
#include "config.h"

#include <string.h>

#include "../relance-test-sql.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-store-clients.h"
#include "relance-store-company.h"
#include "relance-store-outbox.h"
#include "relance-store-templates.h"
#include "relance-store.h"

/* What RelanceStore::changed said. */
typedef struct
{
  guint               count;
  RelanceStoreChanged what;
  GArray             *client_ids;
  gboolean            committed;  /* no transaction open during every emission */
} Changes;

static void
changed_cb (RelanceStore             *store,
            const RelanceStoreChange *change,
            Changes                  *changes)
{
  changes->count++;
  changes->what = change->what;
  g_array_set_size (changes->client_ids, 0);
  g_array_append_vals (changes->client_ids, change->client_ids->data, change->client_ids->len);
  changes->committed = changes->committed
                       && sqlite3_get_autocommit (relance_test_sql_db (store)) != 0;
}

static void
changes_reset (Changes *changes)
{
  changes->count = 0;
  changes->what = 0;
  changes->committed = TRUE;
  g_array_set_size (changes->client_ids, 0);
}

/* Exactly one announcement, after the commit, of @what about @client_id (0: none). */
static void
assert_announced_once (Changes             *changes,
                       RelanceStoreChanged  what,
                       gint64               client_id)
{
  g_assert_cmpuint (changes->count, ==, 1);
  g_assert_cmpint (changes->what, ==, what);
  g_assert_true (changes->committed);
  if (client_id == 0)
    g_assert_cmpuint (changes->client_ids->len, ==, 0);
  else
    {
      g_assert_cmpuint (changes->client_ids->len, ==, 1);
      g_assert_cmpint (g_array_index (changes->client_ids, gint64, 0), ==, client_id);
    }
  changes_reset (changes);
}

typedef struct
{
  RelanceStore *store;
  Changes       changes;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "relance.db", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  fixture->store = relance_store_open (path, &error);
  g_assert_no_error (error);
  fixture->changes.client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  changes_reset (&fixture->changes);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), &fixture->changes);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_array_unref (fixture->changes.client_ids);
}

static gint64
add_client (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { .name = (char *) name, .email = (char *) "accounts@example.com" };

  g_assert_true (relance_store_save_client (fixture->store, &client, &error));
  g_assert_no_error (error);
  changes_reset (&fixture->changes);
  return client.id;
}

static void
add_invoice (Fixture    *fixture,
             gint64      client_id,
             const char *number,
             const char *due,
             gint64      total,
             const char *currency)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice invoice = { .number = (char *) number, .client_id = client_id,
                             .total = total, .currency = (char *) currency };

  g_assert_true (relance_date_from_iso ("2026-01-01", &invoice.issue_date));
  g_assert_true (relance_date_from_iso (due, &invoice.due_date));
  g_date_clear (&invoice.promise_date, 1);
  g_assert_true (relance_store_save_invoice (fixture->store, &invoice, &error));
  g_assert_no_error (error);
  changes_reset (&fixture->changes);
}

static void
pay (Fixture    *fixture,
     const char *number,
     gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  GDate date;

  g_assert_true (relance_date_from_iso ("2026-02-01", &date));
  payment = relance_store_pay (fixture->store, number, amount, &date, &error);
  g_assert_no_error (error);
  changes_reset (&fixture->changes);
}

/* A reminder sent to @client_id: the history that goes with a deleted client. */
static void
add_sent_message (Fixture *fixture,
                  gint64   client_id)
{
  g_autoptr(GError) error = NULL;
  static const char message[] = "Subject: x\r\n\r\nx\r\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (message, sizeof message - 1);
  RelanceOutboxRow row = {
    .client_id = client_id, .channel = "email", .tone = "courteous", .step_offset = 1,
    .template_key = "first-reminder", .state = "sent", .scheduled_at = 1772701200,
    .queued_at = 1772701200, .sent_at = 1772701200,
  };

  gint64 id = 0;

  row.raw = raw;
  g_assert_true (relance_store_queue_outbox (fixture->store, &row, 1, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  changes_reset (&fixture->changes);
}

static gint64
count_where (Fixture    *fixture,
             const char *table,
             const char *column,
             gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE %s = %" G_GINT64_FORMAT,
                                          table, column, id);

  return relance_test_sql_int (fixture->store, sql);
}

static void
assert_flags (Fixture  *fixture,
              gint64    client_id,
              gboolean  paused,
              gboolean  do_not_remind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = relance_store_get_client (fixture->store, client_id, &error);

  g_assert_no_error (error);
  g_assert_cmpint (client->paused, ==, paused);
  g_assert_cmpint (client->do_not_remind, ==, do_not_remind);
}

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_client (fixture, "Alpha");
  gint64 other = add_client (fixture, "Beta");

  /* Each flag alone; the other stays as it is. */
  g_assert_true (relance_store_set_client_paused (fixture->store, id, TRUE, &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_flags (fixture, id, TRUE, FALSE);
  g_assert_true (relance_store_set_client_do_not_remind (fixture->store, id, TRUE, &error));
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_flags (fixture, id, TRUE, TRUE);
  g_assert_true (relance_store_set_client_paused (fixture->store, id, FALSE, &error));
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_flags (fixture, id, FALSE, TRUE);
  g_assert_true (relance_store_set_client_do_not_remind (fixture->store, id, FALSE, &error));
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_flags (fixture, id, FALSE, FALSE);

  /* Resuming clears both; the other client is untouched throughout. */
  g_assert_true (relance_store_set_client_paused (fixture->store, id, TRUE, &error));
  g_assert_true (relance_store_set_client_do_not_remind (fixture->store, id, TRUE, &error));
  changes_reset (&fixture->changes);
  g_assert_true (relance_store_resume_client (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_flags (fixture, id, FALSE, FALSE);
  assert_flags (fixture, other, FALSE, FALSE);

  /* No such client: refused, nothing announced. */
  g_assert_false (relance_store_set_client_paused (fixture->store, 9999, TRUE, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relance_store_set_client_do_not_remind (fixture->store, 9999, TRUE, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relance_store_resume_client (fixture->store, 9999, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
}

/* The id and the segment of the shipped scenario @key. */
static gint64
lookup_scenario (Fixture     *fixture,
                 const char  *key,
                 char       **out_segment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (fixture->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      if (g_strcmp0 (scenario->key, key) != 0)
        continue;
      if (out_segment != NULL)
        *out_segment = g_strdup (scenario->segment);
      return scenario->id;
    }
  g_assert_not_reached ();
}

static char *
segment_of (Fixture    *fixture,
            const char *key)
{
  char *segment = NULL;

  lookup_scenario (fixture, key, &segment);
  return segment;
}

static void
assert_client_scenario (Fixture *fixture,
                        gint64   client_id,
                        gint64   expected)
{
  g_autoptr(GError) error = NULL;
  gint64 id = -1;

  g_assert_true (relance_store_get_client_scenario (fixture->store, client_id, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, expected);
}

static void
test_scenario (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_client (fixture, "Alpha");
  gint64 firm = lookup_scenario (fixture, "firm", NULL);
  gint64 out = -1;

  /* None chosen: the segment's. */
  assert_client_scenario (fixture, id, 0);

  g_assert_true (relance_store_set_client_scenario (fixture->store, id, firm, &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_client_scenario (fixture, id, firm);

  /* A scenario that does not exist: refused, the choice kept. */
  g_assert_false (relance_store_set_client_scenario (fixture->store, id, 9999, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "9999"));
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
  assert_client_scenario (fixture, id, firm);

  /* Back to the segment's. */
  g_assert_true (relance_store_set_client_scenario (fixture->store, id, 0, &error));
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, id);
  assert_client_scenario (fixture, id, 0);

  /* No such client, reading or writing. */
  g_assert_false (relance_store_set_client_scenario (fixture->store, 9999, firm, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relance_store_get_client_scenario (fixture->store, 9999, &out, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_cmpint (out, ==, 0);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) gone = NULL;
  gint64 owing = add_client (fixture, "Alpha SARL");
  gint64 free_of_debt = add_client (fixture, "Beta");

  add_invoice (fixture, owing, "A-1", "2026-02-01", 10000, "EUR");
  add_invoice (fixture, owing, "A-2", "2026-03-01", 20000, "EUR");
  pay (fixture, "A-1", -1);
  add_sent_message (fixture, owing);
  add_sent_message (fixture, free_of_debt);

  /* With invoices (even paid ones): refused, saying why and what to do instead. */
  g_assert_false (relance_store_check_client_deletable (fixture->store, owing, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "Alpha SARL has 2 invoices, which are kept as a record. To stop the "
                   "reminders, pause the client or choose “Do Not Remind” instead.");
  g_clear_error (&error);
  g_assert_false (relance_store_delete_client (fixture->store, owing, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
  g_assert_cmpint (count_where (fixture, "clients", "id", owing), ==, 1);
  g_assert_cmpint (count_where (fixture, "invoices", "client_id", owing), ==, 2);
  g_assert_cmpint (count_where (fixture, "outbox", "client_id", owing), ==, 1);

  /* A failure midway (the history cannot go): rolled back whole, nothing announced, and
   * the store takes the next change. */
  relance_test_sql_exec (fixture->store,
                         "CREATE TEMP TRIGGER keep_history BEFORE DELETE ON outbox BEGIN "
                         "SELECT RAISE (ABORT, 'history kept'); END;");
  g_assert_true (relance_store_check_client_deletable (fixture->store, free_of_debt, &error));
  g_assert_false (relance_store_delete_client (fixture->store, free_of_debt, &error));
  /* SQLite's refusal in Relance's terms. */
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
  g_assert_cmpint (count_where (fixture, "clients", "id", free_of_debt), ==, 1);
  g_assert_cmpint (count_where (fixture, "outbox", "client_id", free_of_debt), ==, 1);
  g_assert_true (sqlite3_get_autocommit (relance_test_sql_db (fixture->store)));
  relance_test_sql_exec (fixture->store, "DROP TRIGGER keep_history;");

  /* Without invoices: the client goes, with the history of their reminders. */
  g_assert_true (relance_store_delete_client (fixture->store, free_of_debt, &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_CLIENTS, free_of_debt);
  gone = relance_store_get_client (fixture->store, free_of_debt, &error);
  g_assert_null (gone);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_where (fixture, "outbox", "client_id", free_of_debt), ==, 0);
  g_assert_cmpint (count_where (fixture, "outbox", "client_id", owing), ==, 1);

  /* Deleted already, or never there. */
  g_assert_false (relance_store_delete_client (fixture->store, free_of_debt, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relance_store_check_client_deletable (fixture->store, 9999, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
}

static void
test_delete_one_invoice (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_client (fixture, "Gamma");

  add_invoice (fixture, id, "G-1", "2026-02-01", 10000, "EUR");
  g_assert_false (relance_store_delete_client (fixture->store, id, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "Gamma has 1 invoice, which is kept as a record. To stop the reminders, "
                   "pause the client or choose “Do Not Remind” instead.");
}

static void
assert_balance (GPtrArray  *balances,
                guint       index,
                gint64      client_id,
                const char *currency,
                gint64      outstanding,
                gint64      overdue)
{
  const RelanceClientBalance *balance = g_ptr_array_index (balances, index);

  g_assert_cmpint (balance->client_id, ==, client_id);
  g_assert_cmpstr (balance->currency, ==, currency);
  g_assert_cmpint (balance->outstanding, ==, outstanding);
  g_assert_cmpint (balance->overdue, ==, overdue);
}

static void
test_balances (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) balances = NULL;
  gint64 alpha = add_client (fixture, "Alpha");
  gint64 beta = add_client (fixture, "Beta");
  GDate today;

  /* Alpha: one overdue paid in two parts, one not due, one in pounds; a cancelled one and
   * a paid one count for nothing. Beta owes nothing. */
  add_invoice (fixture, alpha, "A-1", "2026-02-20", 120000, "EUR");
  pay (fixture, "A-1", 20000);
  pay (fixture, "A-1", 30000);
  add_invoice (fixture, alpha, "A-2", "2026-03-31", 30000, "EUR");
  add_invoice (fixture, alpha, "A-3", "2026-02-01", 5000, "GBP");
  add_invoice (fixture, alpha, "A-4", "2026-02-01", 9000, "EUR");
  g_assert_true (relance_store_set_invoice_status (fixture->store, "A-4", "cancelled", &error));
  add_invoice (fixture, beta, "B-1", "2026-02-01", 45000, "EUR");
  pay (fixture, "B-1", -1);

  g_assert_true (relance_date_from_iso ("2026-03-10", &today));
  balances = relance_store_list_client_balances (fixture->store, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (balances->len, ==, 2);
  assert_balance (balances, 0, alpha, "EUR", 70000 + 30000, 70000);
  assert_balance (balances, 1, alpha, "GBP", 5000, 5000);
}

static void
test_invoices_brief (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) preview = NULL;
  g_autoptr(GPtrArray) first = NULL;
  gint64 alpha = add_client (fixture, "Alpha");
  gint64 beta = add_client (fixture, "Beta");
  const RelanceInvoice *invoice;

  add_invoice (fixture, alpha, "A-1", "2026-02-20", 12000, "EUR");
  pay (fixture, "A-1", 2000);
  add_invoice (fixture, alpha, "A-2", "2026-03-31", 3000, "EUR");
  add_invoice (fixture, alpha, "A-3", "2026-01-31", 1000, "EUR");
  pay (fixture, "A-3", -1);
  add_invoice (fixture, beta, "B-1", "2026-01-15", 4500, "GBP");
  add_invoice (fixture, beta, "B-2", "2026-01-10", 4500, "EUR");
  g_assert_true (relance_store_set_invoice_status (fixture->store, "B-2", "disputed", &error));

  /* A client's own, the latest due first, paid ones included. */
  own = relance_store_list_client_invoices (fixture->store, alpha, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (own->len, ==, 3);
  invoice = g_ptr_array_index (own, 0);
  g_assert_cmpstr (invoice->number, ==, "A-2");
  invoice = g_ptr_array_index (own, 1);
  g_assert_cmpstr (invoice->number, ==, "A-1");
  g_assert_cmpint (invoice->client_id, ==, alpha);
  g_assert_cmpstr (invoice->client_name, ==, "Alpha");
  g_assert_cmpint (invoice->total, ==, 12000);
  g_assert_cmpint (invoice->paid, ==, 2000);
  g_assert_cmpstr (invoice->currency, ==, "EUR");
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "partially-paid");
  g_assert_cmpint (g_date_get_day (&invoice->due_date), ==, 20);
  invoice = g_ptr_array_index (own, 2);
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "paid");

  /* To preview a template with: open and unpaid, the soonest due first, at most @limit. */
  preview = relance_store_list_invoices_to_preview (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->len, ==, 3);
  g_assert_cmpstr (((RelanceInvoice *) g_ptr_array_index (preview, 0))->number, ==, "B-1");
  g_assert_cmpstr (((RelanceInvoice *) g_ptr_array_index (preview, 0))->client_name, ==, "Beta");
  g_assert_cmpstr (((RelanceInvoice *) g_ptr_array_index (preview, 1))->number, ==, "A-1");
  g_assert_cmpstr (((RelanceInvoice *) g_ptr_array_index (preview, 2))->number, ==, "A-2");
  first = relance_store_list_invoices_to_preview (fixture->store, 1, &error);
  g_assert_cmpuint (first->len, ==, 1);
}

static void
assert_segments (Fixture    *fixture,
                 const char *standard,
                 const char *gentle,
                 const char *firm)
{
  const char *keys[] = { "standard", "gentle", "firm" };
  const char *expected[] = { standard, gentle, firm };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *segment = segment_of (fixture, keys[i]);

      g_assert_cmpstr (segment, ==, expected[i]);
    }
}

static void
test_regular_scenario (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gentle = segment_of (fixture, "gentle");
  g_autofree char *firm = segment_of (fixture, "firm");

  assert_segments (fixture, "regular", gentle, firm);

  /* The chosen one gets "regular"; the former holder gets what it served. */
  g_assert_true (relance_store_set_regular_scenario (fixture->store, "firm", &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_TEMPLATES, 0);
  assert_segments (fixture, firm, gentle, "regular");

  /* Already so: nothing to do, nothing announced. */
  g_assert_true (relance_store_set_regular_scenario (fixture->store, "firm", &error));
  g_assert_cmpuint (fixture->changes.count, ==, 0);

  /* No such scenario. */
  g_assert_false (relance_store_set_regular_scenario (fixture->store, "nope", &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
  assert_segments (fixture, firm, gentle, "regular");

  /* A failure at the last of the three writes: the first two are undone with it. */
  relance_test_sql_exec (fixture->store,
                         "CREATE TEMP TRIGGER refuse_regular BEFORE UPDATE OF segment ON scenarios "
                         "WHEN NEW.segment = 'regular' BEGIN "
                         "SELECT RAISE (ABORT, 'refused'); END;");
  g_assert_false (relance_store_set_regular_scenario (fixture->store, "gentle", &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_cmpuint (fixture->changes.count, ==, 0);
  assert_segments (fixture, firm, gentle, "regular");
}

static void
test_reminders_paused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  g_assert_false (relance_store_get_reminders_paused (fixture->store));
  g_assert_true (relance_store_set_reminders_paused (fixture->store, TRUE, &error));
  g_assert_no_error (error);
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_SETTINGS, 0);
  g_assert_true (relance_store_get_reminders_paused (fixture->store));
  /* The value `relance config get paused` shows. */
  stored = relance_store_get_setting (fixture->store, "paused");
  g_assert_cmpstr (stored, ==, "true");
  g_assert_true (relance_store_set_reminders_paused (fixture->store, FALSE, &error));
  assert_announced_once (&fixture->changes, RELANCE_STORE_CHANGED_SETTINGS, 0);
  g_assert_false (relance_store_get_reminders_paused (fixture->store));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func) \
  g_test_add ("/store-clients/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pause-resume", test_pause_resume);
  ADD ("scenario", test_scenario);
  ADD ("delete", test_delete);
  ADD ("delete-one-invoice", test_delete_one_invoice);
  ADD ("balances", test_balances);
  ADD ("invoices-brief", test_invoices_brief);
  ADD ("regular-scenario", test_regular_scenario);
  ADD ("reminders-paused", test_reminders_paused);
#undef ADD
  return g_test_run ();
}
