/* test-store.c: opening, migrating and refusing databases; the records and derived figures. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-store.h"

static char *
temp_db_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

/* Rows of a table as the engine holds it: migration tests read old schemas. */
static gint64
count_rows (RelanceStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return relance_test_sql_int (store, sql);
}

static void
add_invoice (RelanceStore *store, gint64 client_id, const char *number, const char *due,
             gint64 total)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice inv = { .number = (char *) number, .client_id = client_id, .total = total,
                         .currency = (char *) "EUR" };

  g_assert_true (relance_date_from_iso ("2026-01-01", &inv.issue_date));
  g_assert_true (relance_date_from_iso (due, &inv.due_date));
  g_date_clear (&inv.promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, &inv, &error));
  g_assert_no_error (error);
}

static gint64
add_client (RelanceStore *store, const char *name)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { .name = (char *) name, .email = (char *) "a@example.fr" };

  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
  return client.id;
}

static void
test_fresh (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "sub", "dir", "r.db", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceCompany) company = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (relance_store_get_version (store), ==, RELANCE_STORE_SCHEMA_VERSION);
  /* The folder is private. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  company = relance_store_get_company (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (company->currency, ==, "EUR");
  g_assert_cmpint (company->payment_terms, ==, 30);
  /* No backup is made for a new file. */
  g_autofree char *backup = g_strdup_printf ("%s.v0.bak", path);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
}

/* Migration 8: the shipped texts the owner never edited gain the paragraph about a broken
 * promise; an edited text stays as the owner wrote it. */
static void
test_migrate_promise_texts (void)
{
  g_autofree char *path = temp_db_path ("promise-texts.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) old = relance_store_open_at_version (path, 7, &error);
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(RelanceTemplateText) edited = NULL;
  const char *strip =
    "UPDATE templates SET body = substr (body, 1, instr (body, '{{#invoice.promise_date}}') - 1)"
    " || substr (body, instr (body, '{{/invoice.promise_date}}') + 26)"
    " WHERE instr (body, '{{#invoice.promise_date}}') > 0";

  g_assert_no_error (error);
  /* A version-7 database holds the texts as they were shipped then, without the paragraph;
   * the owner edited the English first reminder. */
  relance_test_sql_exec (old, strip);
  g_assert_cmpint (count_rows (old, "templates WHERE body LIKE '%promise_date%'"), ==, 0);
  relance_test_sql_exec (old, "UPDATE templates SET body = 'My own words.' WHERE "
                              "key = 'first-reminder' AND language = 'en'");
  g_clear_object (&old);

  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  /* Five steps after the due date, in two languages, less the one the owner edited. */
  g_assert_cmpint (count_rows (store, "templates WHERE "
                                      "body LIKE '%{{#invoice.promise_date}}%'"), ==, 9);
  edited = relance_store_get_template (store, "first-reminder", "en", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited->body, ==, "My own words.");
}

/* Migration 11: the shipped texts that give the IBAN gain the payment reference line when the
 * owner never edited them. */
static void
test_migrate_reference_texts (void)
{
  g_autofree char *path = temp_db_path ("reference-texts.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) old = relance_store_open_at_version (path, 8, &error);
  g_autoptr(RelanceStore) store = NULL;
  guint with_reference;
  const char *strip_fr =
    "UPDATE templates SET body = replace (body, char(10) || 'Référence de virement : "
    "{{payment.reference}}', '')";
  const char *strip_en =
    "UPDATE templates SET body = replace (body, char(10) || 'Payment reference: "
    "{{payment.reference}}', '')";

  g_assert_no_error (error);
  with_reference = count_rows (old, "templates WHERE body LIKE '%{{payment.reference}}%'");
  g_assert_cmpuint (with_reference, >=, 14);
  relance_test_sql_exec (old, strip_fr);
  relance_test_sql_exec (old, strip_en);
  g_assert_cmpint (count_rows (old, "templates WHERE body LIKE '%payment.reference%'"), ==, 0);
  relance_test_sql_exec (old, "UPDATE templates SET body = body || ' Merci.' WHERE "
                              "key = 'first-reminder' AND language = 'fr'");
  g_clear_object (&old);

  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "templates WHERE body LIKE '%{{payment.reference}}%'"), ==,
                   with_reference - 1);
  g_assert_cmpint (count_rows (store, "templates WHERE key = 'first-reminder' AND language = 'fr' "
                                      "AND body LIKE '%payment.reference%'"), ==, 0);
}

static void
test_migrate_from_each_version (void)
{
  for (int from = 1; from < RELANCE_STORE_SCHEMA_VERSION; from++)
    {
      g_autofree char *name = g_strdup_printf ("from-v%d.db", from);
      g_autofree char *path = temp_db_path (name);
      g_autofree char *backup = g_strdup_printf ("%s.v%d.bak", path, from);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceStore) store = NULL;
      g_autoptr(RelanceStore) old = relance_store_open_at_version (path, from, &error);
      gint64 client;

      g_assert_no_error (error);
      g_assert_cmpint (relance_store_get_version (old), ==, from);
      /* In SQL: relance_store_save_client() writes the columns of the current schema. */
      relance_test_sql_exec (old, "INSERT INTO clients (name, email) "
                                  "VALUES ('Boulangerie Martin', 'a@example.fr')");
      client = relance_test_sql_int (old, "SELECT id FROM clients "
                                          "WHERE name = 'Boulangerie Martin'");
      add_invoice (old, client, "F-1", "2026-02-01", 12000);
      g_clear_object (&old);

      store = relance_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (relance_store_get_version (store), ==, RELANCE_STORE_SCHEMA_VERSION);
      g_assert_cmpint (count_rows (store, "invoices"), ==, 1);
      g_assert_cmpint (count_rows (store, "clients"), ==, 1);
      /* The copy taken before migrating is a database at the old version. */
      g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
      {
        g_autoptr(RelanceStore) copy = relance_store_open_at_version (backup, from, &error);
        g_assert_no_error (error);
        g_assert_cmpint (relance_store_get_version (copy), ==, from);
        g_assert_cmpint (count_rows (copy, "invoices"), ==, 1);
      }
    }
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
assert_refused_untouched (const char *path, int code, const char *word)
{
  g_autofree char *before = file_digest (path);
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strdup_printf ("%s-wal", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, RELANCE_CORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, word));
  /* One sentence, naming the file. */
  g_assert_nonnull (strstr (error->message, path));
  after = file_digest (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_newer_refused (void)
{
  g_autofree char *path = temp_db_path ("newer.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d",
                                           RELANCE_STORE_SCHEMA_VERSION + 1);

  g_assert_no_error (error);
  relance_test_sql_exec (store, "PRAGMA journal_mode = DELETE");
  relance_test_sql_exec (store, bump);
  g_clear_object (&store);

  assert_refused_untouched (path, RELANCE_CORE_ERROR_NEWER_DATABASE, "newer");
}

static void
test_foreign_refused (void)
{
  g_autofree char *path = temp_db_path ("other.db");
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT); "
                                 "INSERT INTO recipes VALUES ('tarte')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  assert_refused_untouched (path, RELANCE_CORE_ERROR_NOT_RELANCE, "not a Relance database");
}

static void
test_corrupt_refused (void)
{
  g_autofree char *text_path = temp_db_path ("notes.db");
  g_autofree char *damaged_path = temp_db_path ("damaged.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  /* A text file someone named .db */
  g_assert_true (g_file_set_contents (text_path, "Liste de courses\nPain\nBeurre\n" 
                                      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, "
                                      "sed do eiusmod tempor incididunt ut labore et dolore "
                                      "magna aliqua.\n", -1, NULL));
  assert_refused_untouched (text_path, RELANCE_CORE_ERROR_NOT_RELANCE, "damaged");

  /* A real Relance database whose pages were overwritten. */
  {
    g_autoptr(RelanceStore) store = relance_store_open (damaged_path, &error);
    gint64 client;
    g_assert_no_error (error);
    client = add_client (store, "Garage des Alpes");
    for (int i = 0; i < 200; i++)
      {
        g_autofree char *number = g_strdup_printf ("F-%04d", i);
        add_invoice (store, client, number, "2026-03-01", 1000 + i);
      }
    relance_test_sql_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)");
    relance_test_sql_exec (store, "PRAGMA journal_mode = DELETE");
  }
  g_assert_true (g_file_get_contents (damaged_path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 3 * 4096);
  memset (contents + 4096 + 100, 0x5a, 2 * 4096);
  g_assert_true (g_file_set_contents (damaged_path, contents, len, NULL));
  assert_refused_untouched (damaged_path, RELANCE_CORE_ERROR_NOT_RELANCE, "damaged");
}

static void
test_derived_figures (void)
{
  g_autofree char *path = temp_db_path ("figures.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceInvoice) inv = NULL;
  g_autoptr(RelancePayment) p1 = NULL;
  g_autoptr(RelancePayment) p2 = NULL;
  g_autoptr(RelancePayment) p3 = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  gint64 client = add_client (store, "Hôtel du Lac");
  GDate today, paid_on;

  add_invoice (store, client, "F-1", "2026-02-01", 100000);
  add_invoice (store, client, "F-2", "2026-04-01", 5000);
  g_assert_true (relance_date_from_iso ("2026-02-11", &today));

  inv = relance_store_get_invoice (store, "F-1", &error);
  g_assert_cmpstr (relance_invoice_get_state (inv), ==, "open");
  g_assert_cmpint (relance_invoice_get_days_overdue (inv, &today), ==, 10);
  g_clear_pointer (&inv, relance_invoice_free);

  g_assert_true (relance_date_from_iso ("2026-02-05", &paid_on));
  p1 = relance_store_pay (store, "F-1", 40000, &paid_on, &error);
  g_assert_no_error (error);
  inv = relance_store_get_invoice (store, "F-1", &error);
  g_assert_cmpint (relance_invoice_get_outstanding (inv), ==, 60000);
  g_assert_cmpstr (relance_invoice_get_state (inv), ==, "partially-paid");
  g_clear_pointer (&inv, relance_invoice_free);

  /* More than what is left is refused and changes nothing. */
  p2 = relance_store_pay (store, "F-1", 60001, &paid_on, &error);
  g_assert_null (p2);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(RelanceInvoice) f1 = relance_store_get_invoice (store, "F-1", &error);
    g_autoptr(RelanceInvoice) f2 = relance_store_get_invoice (store, "F-2", &error);
    g_autoptr(GPtrArray) f1_payments = relance_store_list_payments (store, f1->id, &error);
    g_autoptr(GPtrArray) f2_payments = relance_store_list_payments (store, f2->id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (f1_payments->len, ==, 1);
    g_assert_cmpuint (f2_payments->len, ==, 0);
  }

  /* Default: everything outstanding. */
  p3 = relance_store_pay (store, "F-1", -1, &paid_on, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p3->amount, ==, 60000);
  inv = relance_store_get_invoice (store, "F-1", &error);
  g_assert_cmpstr (relance_invoice_get_state (inv), ==, "paid");
  g_assert_cmpint (relance_invoice_get_days_overdue (inv, &today), ==, 0);

  g_assert_null (relance_store_pay (store, "F-1", -1, &paid_on, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (relance_store_pay (store, "F-404", -1, &paid_on, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  overdue = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_OVERDUE, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 0);

  g_assert_true (relance_store_set_invoice_status (store, "F-2", "cancelled", &error));
  g_assert_null (relance_store_pay (store, "F-2", -1, &paid_on, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
}

static void
test_invalid_records (void)
{
  g_autofree char *path = temp_db_path ("invalid.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  gint64 client = add_client (store, "Imprimerie Vasseur");
  RelanceInvoice inv = { .number = (char *) "F-9", .client_id = client, .total = 100,
                         .currency = (char *) "EUR" };

  g_assert_true (relance_date_from_iso ("2026-03-01", &inv.issue_date));
  g_assert_true (relance_date_from_iso ("2026-02-01", &inv.due_date));
  g_date_clear (&inv.promise_date, 1);
  g_assert_false (relance_store_save_invoice (store, &inv, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (relance_date_from_iso ("2026-04-01", &inv.due_date));
  inv.total = -5;
  g_assert_false (relance_store_save_invoice (store, &inv, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);

  inv.total = 100;
  g_assert_true (relance_store_save_invoice (store, &inv, &error));
  inv.id = 0;
  g_assert_false (relance_store_save_invoice (store, &inv, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) all = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_ALL,
                                                            NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 1);
  }
}

static void
test_find_client (void)
{
  g_autofree char *path = temp_db_path ("find.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceClient) found = NULL;
  RelanceClient a = { .name = (char *) "Dupont SARL", .reference = (char *) "C1" };
  RelanceClient b = { .name = (char *) "dupont sarl", .reference = (char *) "C2" };

  g_assert_true (relance_store_save_client (store, &a, NULL));
  found = relance_store_find_client (store, "DUPONT SARL", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, a.id);
  g_clear_pointer (&found, relance_client_free);

  g_assert_true (relance_store_save_client (store, &b, NULL));
  found = relance_store_find_client (store, "DUPONT SARL", &error);
  g_assert_null (found);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  found = relance_store_find_client (store, "C2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, b.id);
  g_clear_pointer (&found, relance_client_free);
  found = relance_store_find_client (store, "dupont sarl", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, b.id);
}

/* The postal address is kept, read back by every reader, updated and cleared. */
static void
test_client_address (void)
{
  g_autofree char *path = temp_db_path ("address.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceClient) found = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  RelanceClient client = { .name = (char *) "Garage des Alpes", .country = (char *) "FR",
                           .street = (char *) "Zone artisanale\n12 rue des Lilas",
                           .postcode = (char *) "74000", .city = (char *) "Annecy" };
  RelanceClient bare = { .name = (char *) "Sans Adresse" };

  g_assert_no_error (error);
  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
  g_assert_true (relance_client_has_postal_address (&client));
  g_assert_false (relance_client_has_postal_address (&bare));

  found = relance_store_get_client (store, client.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->street, ==, "Zone artisanale\n12 rue des Lilas");
  g_assert_cmpstr (found->postcode, ==, "74000");
  g_assert_cmpstr (found->city, ==, "Annecy");
  g_clear_pointer (&found, relance_client_free);

  found = relance_store_find_client (store, "Garage des Alpes", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->city, ==, "Annecy");

  clients = relance_store_list_clients (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);
  g_assert_cmpstr (((RelanceClient *) g_ptr_array_index (clients, 0))->postcode, ==, "74000");

  /* An update changes it; empty values are stored as none. */
  g_free (found->city);
  found->city = g_strdup ("Annecy-le-Vieux");
  g_free (found->postcode);
  found->postcode = g_strdup ("");
  g_assert_true (relance_store_save_client (store, found, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, relance_client_free);
  found = relance_store_get_client (store, client.id, &error);
  g_assert_cmpstr (found->city, ==, "Annecy-le-Vieux");
  g_assert_null (found->postcode);
  g_assert_cmpstr (found->street, ==, "Zone artisanale\n12 rue des Lilas");
}

/* Migration 9: the clients of a version-8 database keep everything and have no address. */
static void
test_migrate_client_address (void)
{
  g_autofree char *path = temp_db_path ("address-v8.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) old = relance_store_open_at_version (path, 8, &error);
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(RelanceClient) client = NULL;

  g_assert_no_error (error);
  relance_test_sql_exec (old, "INSERT INTO clients (name, email, country) "
                              "VALUES ('Ancien Client', 'old@example.fr', 'BE')");
  g_clear_object (&old);

  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relance_store_get_version (store), ==, RELANCE_STORE_SCHEMA_VERSION);
  client = relance_store_find_client (store, "Ancien Client", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (client->email, ==, "old@example.fr");
  g_assert_cmpstr (client->country, ==, "BE");
  g_assert_null (client->street);
  g_assert_null (client->postcode);
  g_assert_null (client->city);
  g_assert_false (relance_client_has_postal_address (client));

  /* And the new columns take an address. */
  client->street = g_strdup ("Rue Haute 1");
  client->postcode = g_strdup ("1000");
  client->city = g_strdup ("Bruxelles");
  g_assert_true (relance_store_save_client (store, client, &error));
  g_assert_no_error (error);
  g_clear_pointer (&client, relance_client_free);
  client = relance_store_find_client (store, "Ancien Client", &error);
  g_assert_cmpstr (client->city, ==, "Bruxelles");
}

static void
test_settings (void)
{
  g_autofree char *path = temp_db_path ("settings.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autofree char *value = NULL;

  g_assert_null (relance_store_get_setting (store, "send-window"));
  g_assert_true (relance_store_set_setting (store, "send-window", "mon-fri 09:00-18:00", &error));
  g_assert_true (relance_store_set_setting (store, "send-window", "mon-fri 08:00-12:00", &error));
  value = relance_store_get_setting (store, "send-window");
  g_assert_cmpstr (value, ==, "mon-fri 08:00-12:00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/store/fresh", test_fresh);
  g_test_add_func ("/store/migrate-from-each-version", test_migrate_from_each_version);
  g_test_add_func ("/store/migrate-promise-texts", test_migrate_promise_texts);
  g_test_add_func ("/store/migrate-reference-texts", test_migrate_reference_texts);
  g_test_add_func ("/store/newer-refused", test_newer_refused);
  g_test_add_func ("/store/foreign-refused", test_foreign_refused);
  g_test_add_func ("/store/corrupt-refused", test_corrupt_refused);
  g_test_add_func ("/store/derived-figures", test_derived_figures);
  g_test_add_func ("/store/invalid-records", test_invalid_records);
  g_test_add_func ("/store/find-client", test_find_client);
  g_test_add_func ("/store/settings", test_settings);
  g_test_add_func ("/store/client-address", test_client_address);
  g_test_add_func ("/store/migrate-client-address", test_migrate_client_address);
  return g_test_run ();
}
