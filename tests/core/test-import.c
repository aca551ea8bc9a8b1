/* test-import.c: CSV import (French and English files, bad rows, re-import, dry run,
 * column mapping) and the export → import round trip. */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-export.h"
#include "relance-import.h"
#include "relance-import-profiles.h"

typedef struct
{
  char         *dir;
  RelanceStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-01T10:00:00Z", NULL);
  g_autofree char *path = NULL;

  relance_clock_set_override (now);
  f->dir = g_dir_make_tmp ("relance-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "relance.db", NULL);
  f->store = relance_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  relance_clock_set_override (NULL);
  g_free (f->dir);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static char *
write_temp (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static GPtrArray *
all_clients (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *clients = relance_store_list_clients (store, &error);

  g_assert_no_error (error);
  return clients;
}

static GPtrArray *
all_invoices (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *invoices = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_ALL, NULL,
                                                     &error);

  g_assert_no_error (error);
  return invoices;
}

/* The payments with the given date and method (NULL: any), of every invoice. */
static guint
count_payments (RelanceStore *store,
                const char   *date,
                const char   *method)
{
  g_autoptr(GPtrArray) invoices = all_invoices (store);
  guint n = 0;

  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoice *inv = g_ptr_array_index (invoices, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) payments = relance_store_list_payments (store, inv->id, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < payments->len; j++)
        {
          const RelancePayment *p = g_ptr_array_index (payments, j);
          g_autofree char *iso = relance_date_to_iso (&p->date);

          if ((date == NULL || g_strcmp0 (iso, date) == 0)
              && (method == NULL || g_strcmp0 (p->method, method) == 0))
            n++;
        }
    }
  return n;
}

static guint
count_all (RelanceStore *store)
{
  g_autoptr(GPtrArray) clients = all_clients (store);
  g_autoptr(GPtrArray) invoices = all_invoices (store);

  return clients->len * 1000000 + invoices->len * 1000 + count_payments (store, NULL, NULL);
}

/* The value of a client's field named as in the import's --map ("name", "email"…). */
static const char *
client_field (const RelanceClient *c,
              const char          *field)
{
  if (g_str_equal (field, "name"))
    return c->name;
  if (g_str_equal (field, "reference"))
    return c->reference;
  if (g_str_equal (field, "email"))
    return c->email;
  if (g_str_equal (field, "country"))
    return c->country;
  if (g_str_equal (field, "language"))
    return c->language;
  g_assert_not_reached ();
}

/* The clients whose fields have the values given in pairs: "name", "Dupré", …, NULL. */
G_GNUC_NULL_TERMINATED
static guint
count_clients_where (RelanceStore *store,
                     ...)
{
  g_autoptr(GPtrArray) clients = all_clients (store);
  guint n = 0;

  for (guint i = 0; i < clients->len; i++)
    {
      const RelanceClient *c = g_ptr_array_index (clients, i);
      gboolean match = TRUE;
      const char *field;
      va_list args;

      va_start (args, store);
      while (match && (field = va_arg (args, const char *)) != NULL)
        match = g_strcmp0 (client_field (c, field), va_arg (args, const char *)) == 0;
      va_end (args);
      n += match;
    }
  return n;
}

static const RelanceInvoice *
find_invoice (GPtrArray  *invoices,
              const char *number)
{
  for (guint i = 0; i < invoices->len; i++)
    if (g_str_equal (((RelanceInvoice *) g_ptr_array_index (invoices, i))->number, number))
      return g_ptr_array_index (invoices, i);
  return NULL;
}

static const RelanceClient *
find_client_by_id (GPtrArray *clients,
                   gint64     id)
{
  for (guint i = 0; i < clients->len; i++)
    if (((RelanceClient *) g_ptr_array_index (clients, i))->id == id)
      return g_ptr_array_index (clients, i);
  return NULL;
}

static gint
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(RelanceInvoice * const *) a)->number, (*(RelanceInvoice * const *) b)->number);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  const RelanceClient *x = *(RelanceClient * const *) a;
  const RelanceClient *y = *(RelanceClient * const *) b;
  int cmp = strcmp (x->name, y->name);

  return cmp != 0 ? cmp : (x->id > y->id) - (x->id < y->id);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* What `relance list` shows, one line per invoice, in a stable order. */
static char *
dump_invoices (RelanceStore *store)
{
  g_autoptr(GPtrArray) clients = all_clients (store);
  g_autoptr(GPtrArray) invoices = all_invoices (store);
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (invoices, compare_numbers);
  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoice *inv = g_ptr_array_index (invoices, i);
      const RelanceClient *c = find_client_by_id (clients, inv->client_id);
      g_autofree char *issue = relance_date_to_iso (&inv->issue_date);
      g_autofree char *due = relance_date_to_iso (&inv->due_date);

      g_string_append_printf (out, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%" G_GINT64_FORMAT "|%s|%s|%"
                              G_GINT64_FORMAT "|%s|\n", inv->number, c->name,
                              or_empty (c->reference), or_empty (c->email), c->kind, c->language,
                              or_empty (c->country), issue, due, inv->total, inv->currency,
                              inv->status, inv->paid, or_empty (inv->notes));
    }
  return g_string_free (out, FALSE);
}

static char *
dump_clients (RelanceStore *store)
{
  g_autoptr(GPtrArray) clients = all_clients (store);
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (clients, compare_names);
  for (guint i = 0; i < clients->len; i++)
    {
      const RelanceClient *c = g_ptr_array_index (clients, i);

      g_string_append_printf (out, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", c->name,
                              or_empty (c->reference), or_empty (c->email), or_empty (c->cc),
                              or_empty (c->phone), c->language, or_empty (c->country),
                              or_empty (c->timezone), c->kind, c->segment, or_empty (c->notes));
    }
  return g_string_free (out, FALSE);
}

/* One invoice as "client|issue|due|total|currency|status|paid|kind". */
static char *
describe (RelanceStore *store,
          const char   *number)
{
  g_autoptr(GPtrArray) clients = all_clients (store);
  g_autoptr(GPtrArray) invoices = all_invoices (store);
  const RelanceInvoice *inv = find_invoice (invoices, number);
  const RelanceClient *c;
  g_autofree char *issue = NULL;
  g_autofree char *due = NULL;

  if (inv == NULL)
    return NULL;
  c = find_client_by_id (clients, inv->client_id);
  issue = relance_date_to_iso (&inv->issue_date);
  due = relance_date_to_iso (&inv->due_date);
  return g_strdup_printf ("%s|%s|%s|%" G_GINT64_FORMAT "|%s|%s|%" G_GINT64_FORMAT "|%s",
                          c->name, issue, due, inv->total, inv->currency, inv->status,
                          inv->paid, c->kind);
}

static RelanceImportReport *
import_ok (Fixture                    *f,
           const char                 *path,
           const RelanceImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  RelanceImportReport *report = NULL;
  gboolean ok = relance_import_file (f->store, path, options, NULL, NULL, NULL, &report, &error);

  if (report != NULL)
    for (guint i = 0; i < report->errors->len; i++)
      g_test_message ("unexpected: %s", (char *) g_ptr_array_index (report->errors, i));
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->errors->len, ==, 0);
  return report;
}

static const RelanceImportOptions invoice_options = { RELANCE_IMPORT_INVOICES,
                                                      RELANCE_DATE_ORDER_DMY, FALSE, NULL };
static const RelanceImportOptions client_options = { RELANCE_IMPORT_CLIENTS,
                                                     RELANCE_DATE_ORDER_DMY, FALSE, NULL };

static void
assert_invoice (Fixture    *f,
                const char *number,
                const char *expected)
{
  g_autofree char *actual = describe (f->store, number);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_french_windows_1252 (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = data_path ("factures-fr.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);

  g_assert_cmpstr (report->encoding, ==, "WINDOWS-1252");
  g_assert_cmpint (report->separator, ==, ';');
  g_assert_cmpuint (report->n_rows, ==, 5);
  g_assert_cmpuint (report->created, ==, 5);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->clients_created, ==, 4);
  g_assert_cmpuint (report->ignored_columns->len, ==, 0);

  /* "1 200,00 €" with a no-break space, DD/MM/YYYY */
  assert_invoice (f, "F-2026-001",
                  "Boulangerie Dupré|2026-01-05|2026-02-04|120000|EUR|open|0|business");
  /* "Payée": a payment of the whole amount, dated today */
  assert_invoice (f, "F-2026-002",
                  "Café des Arts|2026-01-10|2026-02-09|35050|EUR|open|35050|business");
  assert_invoice (f, "F-2026-003",
                  "Martin; Fils & Cie|2026-01-15|2026-02-14|250000|EUR|open|0|business");
  /* "1.234,56": dots as thousands separators */
  assert_invoice (f, "F-2026-004",
                  "Boulangerie Dupré|2026-01-20|2026-02-19|123456|EUR|open|0|business");
  /* no currency: the company's; "Annulée", "particulier" */
  assert_invoice (f, "F-2026-005",
                  "Mme Lefèvre|2026-01-25|2026-02-24|8990|EUR|cancelled|0|consumer");

  g_assert_cmpuint (count_payments (f->store, "2026-03-01", "import"), ==, 1);
  g_assert_cmpuint (count_clients_where (f->store, "name", "Boulangerie Dupré",
                                         "email", "contact@dupre.fr", "country", "FR",
                                         "language", "fr", NULL), ==, 1);
}

static void
test_english (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = data_path ("invoices-en.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);

  g_assert_cmpstr (report->encoding, ==, "UTF-8");
  g_assert_cmpint (report->separator, ==, ',');
  g_assert_cmpuint (report->created, ==, 4);
  g_assert_cmpuint (report->clients_created, ==, 3);
  assert_invoice (f, "INV-1001", "Acme Ltd|2026-01-05|2026-02-04|120000|GBP|open|0|business");
  assert_invoice (f, "INV-1002",
                  "Globex Corporation|2026-01-12|2026-02-11|45000|USD|open|45000|business");
  assert_invoice (f, "INV-1003", "Acme Ltd|2026-01-20|2026-02-19|9950|GBP|open|0|business");
  assert_invoice (f, "INV-1004", "Jane Smith|2026-01-25|2026-02-24|7500|GBP|disputed|0|consumer");
  g_assert_cmpuint (count_clients_where (f->store, "reference", "C-001", "language", "en",
                                         "country", "GB", NULL), ==, 1);
}

static void
test_bom_and_tab (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *bom = data_path ("factures-bom.csv");
  g_autofree char *tab = data_path ("invoices-tab.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, bom, &invoice_options);
  g_autoptr(RelanceImportReport) report2 = NULL;

  g_assert_true (report->separator == ';');
  g_assert_cmpuint (report->created, ==, 3);
  g_assert_cmpuint (report->clients_created, ==, 2);
  /* "Réglée", "1 234,5", DD.MM.YYYY */
  assert_invoice (f, "2026-010",
                  "Atelier Höfner|2026-02-01|2026-03-03|123450|EUR|open|123450|business");
  assert_invoice (f, "2026-011",
                  "Atelier Höfner|2026-02-02|2026-03-04|1200000|EUR|open|0|business");
  assert_invoice (f, "2026-012", "Œnologie & Co|2026-02-03|2026-03-05|64000|EUR|open|0|business");
  {
    g_autoptr(GPtrArray) invoices = all_invoices (f->store);
    guint n = 0;

    for (guint i = 0; i < invoices->len; i++)
      n += g_strcmp0 (((RelanceInvoice *) g_ptr_array_index (invoices, i))->notes,
                      "Livraison \"express\"\nsur deux lignes") == 0;
    g_assert_cmpuint (n, ==, 1);
  }

  report2 = import_ok (f, tab, &invoice_options);
  g_assert_cmpint (report2->separator, ==, '\t');
  /* No issue date column: the due date stands in; "Amount paid" records a payment. */
  assert_invoice (f, "T-1", "Tab & Co|2026-03-31|2026-03-31|100000|EUR|open|25000|business");
  assert_invoice (f, "T-2", "Tab & Co|2026-04-30|2026-04-30|50000|EUR|open|0|business");
}

typedef struct
{
  guint       line;
  const char *reason;
} Expected;

static void
assert_refused (Fixture                    *f,
                const char                 *path,
                const RelanceImportOptions *options,
                const Expected             *expected,
                guint                       n_expected)
{
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump_invoices (f->store);
  g_autofree char *clients_before = dump_clients (f->store);
  g_autofree char *after = NULL;
  g_autofree char *clients_after = NULL;
  guint count_before = count_all (f->store);

  g_assert_false (relance_import_file (f->store, path, options, NULL, NULL, NULL, &report,
                                       &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->errors->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (report->errors, i));

  g_assert_cmpuint (report->errors->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s:%u: ", path, expected[i].line);
      const char *message = g_ptr_array_index (report->errors, i);

      g_test_message ("expecting %s… %s", prefix, expected[i].reason);
      g_assert_true (g_str_has_prefix (message, prefix));
      g_assert_nonnull (strstr (message, expected[i].reason));
    }

  /* Nothing written */
  g_assert_cmpuint (count_all (f->store), ==, count_before);
  after = dump_invoices (f->store);
  clients_after = dump_clients (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (clients_after, ==, clients_before);
}

/* A spreadsheet saved as CSV: a title and an export date above the header, rows of bare
 * separators, extra zero decimals, a "Reste à payer" column, two-digit years, a draft. */
static void
test_spreadsheet_export (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = data_path ("export-tableur.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);

  g_assert_cmpint (report->separator, ==, ';');
  g_assert_cmpuint (report->header_line, ==, 4);
  g_assert_cmpuint (report->skipped_above_header, ==, 3);
  g_assert_cmpuint (report->created, ==, 4);
  g_assert_cmpuint (report->drafts, ==, 1);
  g_assert_false (report->date_order_assumed);
  g_assert_cmpint (report->date_order, ==, RELANCE_DATE_ORDER_DMY);
  assert_invoice (f, "F-2026-201",
                  "Garage des Alpes|2026-10-01|2026-10-31|144000|EUR|open|0|business");
  /* What is still owed: 200 of 1 200, so 1 000 paid */
  assert_invoice (f, "F-2026-202",
                  "Garage des Alpes|2026-10-02|2026-11-01|120000|EUR|open|100000|business");
  assert_invoice (f, "F-2026-203",
                  "Boulangerie Dupré|2026-10-03|2026-11-02|30000|EUR|open|30000|business");
  assert_invoice (f, "F-2026-205",
                  "Café du Port|2026-10-05|2026-11-04|123450|EUR|open|0|business");
  /* The draft was not imported. */
  g_assert_null (describe (f->store, "F-2026-204"));
}

/* An invoicing tool's export: one row per invoice line, dates with month names and month
 * first (10/15/2026 tells), a Paid column of Yes/No. */
static void
test_invoice_lines (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = data_path ("invoice-lines-en.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);

  g_assert_cmpuint (report->created, ==, 2);
  g_assert_cmpuint (report->merged_rows, ==, 1);
  g_assert_cmpint (report->date_order, ==, RELANCE_DATE_ORDER_MDY);
  g_assert_false (report->date_order_assumed);
  assert_invoice (f, "INV-77", "Acme Ltd|2026-10-01|2026-10-31|120000|USD|open|0|business");
  assert_invoice (f, "INV-78", "Globex|2026-10-15|2026-11-14|30000|USD|open|30000|business");
}

/* Exports of named tools are recognised from their header and read with their own
 * meanings: Dolibarr's numeric states and Payée flag, Invoice Ninja's Balance and words,
 * Pennylane's "Reste à payer" and "À venir". */
typedef struct
{
  const char *file;
  const char *profile;
  guint       created;
  guint       drafts;
  const char *invoices[4][2];  /* number, as assert_invoice describes it */
} ProfileCase;

static const ProfileCase profile_cases[] = {
  { "profile-dolibarr.csv", "Dolibarr", 3, 1,
    { { "FA2610-0001", "Garage des Alpes|2026-10-01|2026-10-31|144000|EUR|open|0|business" },
      { "FA2610-0002", "Boulangerie Dupré|2026-10-02|2026-11-01|30000|EUR|open|30000|business" },
      { "FA2610-0004", "Garage des Alpes|2026-10-04|2026-11-03|6000|EUR|cancelled|0|business" } } },
  { "profile-invoiceninja.csv", "Invoice Ninja", 4, 1,
    { { "0001", "Acme Ltd|2026-10-01|2026-10-31|120000|EUR|open|0|business" },
      { "0002", "Acme Ltd|2026-10-05|2026-11-04|30000|EUR|open|20000|business" },
      { "0003", "Globex|2026-10-07|2026-11-06|5000|EUR|open|5000|business" },
      { "0005", "Initech|2026-10-10|2026-11-09|8000|EUR|open|0|business" } } },
  { "profile-dolibarr-en.csv", "Dolibarr", 2, 1,
    { { "IN2610-0001", "Harbour Books Ltd|2026-10-01|2026-10-31|24000|EUR|open|0|business" },
      { "IN2610-0002", "Harbour Books Ltd|2026-10-02|2026-11-01|12000|EUR|open|12000|business" } } },
  { "profile-axonaut.csv", "Axonaut", 3, 1,
    { { "FA-0101", "Garage des Alpes|2026-10-01|2026-10-31|144000|EUR|open|0|business" },
      { "FA-0102", "Garage des Alpes|2026-10-05|2026-11-04|60000|EUR|open|50000|business" },
      { "FA-0103", "Café du Port|2026-10-07|2026-11-06|9000|EUR|open|9000|business" } } },
  { "profile-henrri.csv", "Henrri", 2, 1,
    { { "F2026-010", "Atelier Lumière|2026-10-02|2026-11-01|36000|EUR|open|0|business" },
      { "F2026-011", "Atelier Lumière|2026-10-03|2026-11-02|48000|EUR|open|48000|business" } } },
  { "profile-sellsy.csv", "Sellsy", 3, 0,
    { { "FAC-00077", "Boulangerie Dupré|2026-10-10|2026-11-09|120000|EUR|open|0|business" },
      { "FAC-00078", "Boulangerie Dupré|2026-10-11|2026-11-10|30000|EUR|open|30000|business" },
      { "FAC-00079", "Garage Martin|2026-10-12|2026-11-11|4500|EUR|disputed|0|business" } } },
  { "profile-tiime.csv", "Tiime", 2, 1,
    { { "2026-0042", "Studio Graphique|2026-10-15|2026-11-14|240000|EUR|open|0|business" },
      { "2026-0043", "Studio Graphique|2026-10-16|2026-11-15|60000|EUR|open|60000|business" } } },
  { "profile-freebe.csv", "Freebe / Zervant", 3, 0,
    { { "F-2026-31", "Agence Rivière|2026-10-20|2026-11-19|80000|EUR|open|0|business" },
      { "F-2026-32", "Agence Rivière|2026-10-21|2026-11-20|15000|EUR|open|15000|business" },
      { "F-2026-33", "Hôtel Bérard|2026-10-22|2026-11-21|6000|EUR|cancelled|0|business" } } },
  { "profile-pennylane.csv", "Pennylane", 2, 1,
    { { "F-2026-0042", "Studio Graphique|2026-10-15|2026-11-14|240000|EUR|open|0|business" },
      { "F-2026-0043", "Studio Graphique|2026-10-16|2026-11-15|60000|EUR|open|60000|business" } } },
};

static void
test_profiles (Fixture       *f,
               gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (profile_cases); i++)
    {
      const ProfileCase *pc = &profile_cases[i];
      g_autofree char *path = data_path (pc->file);
      g_autoptr(RelanceImportReport) report = NULL;

      g_test_message ("%s", pc->file);
      report = import_ok (f, path, &invoice_options);
      g_assert_cmpstr (report->profile, ==, pc->profile);
      g_assert_cmpuint (report->created, ==, pc->created);
      g_assert_cmpuint (report->drafts, ==, pc->drafts);
      for (guint k = 0; k < G_N_ELEMENTS (pc->invoices) && pc->invoices[k][0] != NULL; k++)
        assert_invoice (f, pc->invoices[k][0], pc->invoices[k][1]);
    }
}

/* Every profile in the data file is well formed: a name, headers to detect it, states
 * Relance knows, and field keys the importer has. */
static void
test_profile_data (void)
{
  g_autoptr(GPtrArray) list = relance_import_profile_list ();
  const char *wanted[] = { "dolibarr-fr", "dolibarr-en", "invoiceninja", "axonaut", "henrri",
                           "pennylane", "sellsy", "tiime", "freebe" };

  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < list->len && !found; i++)
        found = g_str_equal (relance_import_profile_get_id (g_ptr_array_index (list, i)),
                             wanted[w]);
      g_assert_true (found);
    }
  /* A generic export names no tool. */
  {
    const char *headers[] = { "invoice number", "customer", "due date", "total" };

    g_assert_null (relance_import_profile_detect (headers, G_N_ELEMENTS (headers)));
  }
}

static char *
other_data_path (const char *folder,
                 const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", folder, name, NULL);
}

/* A folder of its own holding copies of some e-invoice fixtures. */
static char *
einvoice_folder (const char * const *names)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "einvoices", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *from = other_data_path ("einvoices", names[i]);
      g_autofree char *to = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (from, &contents, &length, &error));
      g_assert_true (g_file_set_contents (to, contents, length, &error));
    }
  return g_steal_pointer (&dir);
}

/* A spreadsheet as it is, .xlsx or .ods: date and number cells read as such, a Payée
 * flag column, a totals line at the bottom left out. */
static void
test_spreadsheet (Fixture       *f,
                  gconstpointer  data)
{
  const char *name = data;
  g_autofree char *path = other_data_path ("sheets", name);
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);

  g_assert_cmpstr (report->sheet, ==, "Feuil1");
  g_assert_cmpuint (report->created, ==, 3);
  g_assert_cmpuint (report->total_rows, ==, 1);
  assert_invoice (f, "F-2026-001",
                  "Boulangerie Dupré|2026-01-05|2026-02-04|144000|EUR|open|0|business");
  assert_invoice (f, "F-2026-002",
                  "Café des Arts|2026-01-10|2026-02-09|144050|EUR|open|144050|business");
  assert_invoice (f, "F-2026-003",
                  "Martin; Fils & Cie|2026-01-15|2026-02-14|123456|EUR|open|0|business");
}

/* The sheet is chosen with --sheet; a wrong one is named with the sheets there are, and a
 * bad cell is named as the spreadsheet names it. */
static void
test_spreadsheet_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = other_data_path ("sheets", "factures.xlsx");
  RelanceImportOptions options = invoice_options;
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  g_autofree char *expected = NULL;

  options.sheet_name = "Relances";
  g_assert_false (relance_import_file (f->store, path, &options, NULL, NULL, NULL, &report,
                                       &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "“Feuil1”"));
  g_assert_cmpuint (count_all (f->store), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&report, relance_import_report_free);

  /* The "Clients" sheet has no invoice columns: the missing column is reported. */
  options.sheet_name = "Clients";
  g_assert_false (relance_import_file (f->store, path, &options, NULL, NULL, NULL, &report,
                                       &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT);
  g_assert_cmpuint (count_all (f->store), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&report, relance_import_report_free);

  /* Amounts read from the Notes column: the message names the first bad cell, H2. */
  options.sheet_name = NULL;
  options.mapping = mapping;
  g_hash_table_insert (mapping, g_strdup ("total"), g_strdup ("Notes"));
  g_assert_false (relance_import_file (f->store, path, &options, NULL, NULL, NULL, &report,
                                       &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT);
  g_assert_cmpuint (report->errors->len, >, 0);
  expected = g_strdup_printf ("%s:Feuil1!H2: ", path);
  g_test_message ("%s", (char *) g_ptr_array_index (report->errors, 0));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (report->errors, 0), expected));
  g_assert_cmpuint (count_all (f->store), ==, 0);
}

/* A folder of e-invoices: CII and UBL, a prepaid part, a credit note that lowers the
 * invoice it corrects. */
static void
test_einvoice_folder (Fixture       *f,
                      gconstpointer  data)
{
  const char *names[] = { "cii-invoice-fr.xml", "cii-credit-note.xml", "ubl-invoice.xml",
                          "cii-invoice-terms.xml", NULL };
  g_autofree char *dir = einvoice_folder (names);
  g_autoptr(RelanceImportReport) report = import_ok (f, dir, &invoice_options);

  g_assert_cmpstr (report->encoding, ==, "E-INVOICE");
  g_assert_cmpuint (report->created, ==, 3);
  g_assert_cmpuint (report->credit_notes, ==, 1);
  /* 1 234,50 less the credit note's 144,00; 234,50 paid in advance */
  assert_invoice (f, "F2024-0042",
                  "Garage des Alpes|2024-04-15|2024-05-15|109050|EUR|open|23450|business");
  assert_invoice (f, "INV-2024-1187",
                  "Garage des Alpes SAS|2024-03-01|2024-03-31|245000|EUR|open|45000|business");
  assert_invoice (f, "FA-2024-117",
                  "Boulangerie Lefèvre|2024-01-31|2024-03-31|60000|EUR|open|10050|business");
  g_assert_cmpuint (count_clients_where (f->store, "email", "compta@garage-des-alpes.fr",
                                         "country", "FR", NULL), ==, 1);
}

/* One Factur-X PDF, then a credit note alone for an invoice Relance already has. */
static void
test_einvoice_files (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *pdf = other_data_path ("einvoices", "facturx.pdf");
  g_autofree char *credit = other_data_path ("einvoices", "cii-credit-note.xml");
  g_autoptr(RelanceImportReport) first = import_ok (f, pdf, &invoice_options);
  g_autoptr(RelanceImportReport) second = NULL;

  g_assert_cmpuint (first->created, ==, 1);
  assert_invoice (f, "F2024-0042",
                  "Garage des Alpes|2024-04-15|2024-05-15|123450|EUR|open|23450|business");
  second = import_ok (f, credit, &invoice_options);
  g_assert_cmpuint (second->updated, ==, 1);
  assert_invoice (f, "F2024-0042",
                  "Garage des Alpes|2024-04-15|2024-05-15|109050|EUR|open|23450|business");
}

/* All or nothing over a folder: one bad file, a duplicate, or a credit note in another
 * currency, and nothing is written; each message names its file. */
static void
test_einvoice_folder_refused (Fixture       *f,
                              gconstpointer  data)
{
  static const struct { const char *names[4]; const char *file; const char *reason; } cases[] = {
    { { "cii-invoice-fr.xml", "billion-laughs.xml", NULL }, "billion-laughs.xml", "DTD" },
    { { "cii-invoice-fr.xml", "facturx.pdf", NULL }, "facturx.pdf", "is also in" },
    { { "ubl-invoice.xml", "ubl-credit-note.xml", NULL }, "ubl-credit-note.xml",
      "another currency" },
    { { "cii-credit-note.xml", NULL }, "cii-credit-note.xml", "neither among these files" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = einvoice_folder (cases[i].names);
      g_autoptr(RelanceImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) listing = NULL;
      const char *name;
      gboolean found = FALSE;

      g_test_message ("case %u", i);
      g_assert_false (relance_import_file (f->store, dir, &invoice_options, NULL, NULL, NULL,
                                           &report, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT);
      g_assert_nonnull (report);
      for (guint k = 0; k < report->errors->len; k++)
        {
          const char *message = g_ptr_array_index (report->errors, k);

          g_test_message ("%s", message);
          found = found || (strstr (message, cases[i].file) != NULL
                            && strstr (message, cases[i].reason) != NULL);
        }
      g_assert_true (found);
      g_assert_cmpuint (count_all (f->store), ==, 0);
      /* The next case starts from an empty folder. */
      listing = g_dir_open (dir, 0, NULL);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir, name, NULL);
          g_remove (file);
        }
    }
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Hostile files, whatever their name: a clear sentence, nothing written, and bounded memory
 * (peak resident memory grows by less than 100 MB, though the bombs expand to far more). */
static void
test_hostile_files (Fixture       *f,
                    gconstpointer  data)
{
  static const struct { const char *folder; const char *name; const char *as; } cases[] = {
    { "einvoices", "attachment-bomb.pdf", "factures.pdf" },
    { "einvoices", "billion-laughs.xml", "facture.xml" },
    { "einvoices", "external-entity.xml", "facture.xml" },
    { "sheets", "doctype.xlsx", "factures.xlsx" },
    { "sheets", "lying-size.xlsx", "factures.xlsx" },
    /* A spreadsheet named .csv is read as what it is, and refused as a bomb still. */
    { "sheets", "ratio.xlsx", "factures.csv" },
    { "sheets", "truncated.xlsx", "factures.ods" },
    { NULL, NULL, "binary.csv" },
  };

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), cases[i].as, NULL);
      g_autoptr(RelanceImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      glong before;

      if (cases[i].folder != NULL)
        {
          g_autofree char *from = other_data_path (cases[i].folder, cases[i].name);

          g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
        }
      else
        {
          /* Random bytes with NULs, as a renamed executable or image would be. */
          GRand *rand = g_rand_new_with_seed (42);

          length = 64 * 1024;
          contents = g_malloc (length);
          for (gsize k = 0; k < length; k++)
            contents[k] = (char) g_rand_int_range (rand, 0, 256);
          g_rand_free (rand);
        }
      g_assert_true (g_file_set_contents (path, contents, length, NULL));

      g_test_message ("%s as %s", cases[i].name, cases[i].as);
      before = peak_rss_kb ();
      g_assert_false (relance_import_file (f->store, path, &invoice_options, NULL, NULL, NULL,
                                           &report, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      if (report != NULL)
        for (guint k = 0; k < report->errors->len; k++)
          g_test_message ("%s", (char *) g_ptr_array_index (report->errors, k));
      g_assert_cmpint (peak_rss_kb () - before, <, 100 * 1024);
      g_assert_cmpuint (count_all (f->store), ==, 0);
      g_remove (path);
    }
}

static char *
client_address (RelanceStore *store,
                const char   *name)
{
  g_autoptr(GPtrArray) clients = all_clients (store);

  for (guint i = 0; i < clients->len; i++)
    {
      const RelanceClient *c = g_ptr_array_index (clients, i);

      /* NULL as the engine's text would print it. */
      if (g_str_equal (c->name, name))
        return g_strdup_printf ("%s|%s|%s|%s", c->street != NULL ? c->street : "(null)",
                                c->postcode != NULL ? c->postcode : "(null)",
                                c->city != NULL ? c->city : "(null)",
                                c->country != NULL ? c->country : "(null)");
    }
  return NULL;
}

/* The postal address from the usual columns, French or English, two street lines joined;
 * with clients, and with invoices that create their clients. */
static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *clients = write_temp (f, "clients.csv",
    "Nom;Adresse;Complément d'adresse;Code postal;Ville;Pays\n"
    "Garage des Alpes;12 rue des Lilas;Bâtiment B;74000;Annecy;France\n"
    "Café du Port;;;;;\n");
  g_autofree char *invoices = write_temp (f, "invoices.csv",
    "Invoice number,Customer,Address,Zip,City,Country,Due date,Total\n"
    "INV-1,Harbour Books Ltd,1 Quay Street,BS1 4DJ,Bristol,GB,2026-03-01,10.00\n");
  g_autoptr(RelanceImportReport) first = import_ok (f, clients, &client_options);
  g_autoptr(RelanceImportReport) second = import_ok (f, invoices, &invoice_options);
  g_autofree char *alpes = client_address (f->store, "Garage des Alpes");
  g_autofree char *port = client_address (f->store, "Café du Port");
  g_autofree char *harbour = client_address (f->store, "Harbour Books Ltd");

  g_assert_cmpstr (alpes, ==, "12 rue des Lilas\nBâtiment B|74000|Annecy|FR");
  g_assert_cmpstr (port, ==, "(null)|(null)|(null)|(null)");
  g_assert_cmpstr (harbour, ==, "1 Quay Street|BS1 4DJ|Bristol|GB");
}

/* When no date tells day from month, the company's country decides, and the report says
 * so; a file whose dates tell wins over the country. */
static void
test_date_order_assumed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("relance-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "f.csv", NULL);
  g_autoptr(RelanceImportReport) report = NULL;

  g_assert_true (g_file_set_contents (path, "Number;Client;Due date;Total\n"
                                      "A-1;Acme;05/03/2026;10,00\n", -1, NULL));
  report = import_ok (f, path, &invoice_options);
  g_assert_true (report->date_order_assumed);
  g_assert_cmpint (report->date_order, ==, RELANCE_DATE_ORDER_DMY);
  assert_invoice (f, "A-1", "Acme|2026-03-05|2026-03-05|1000|EUR|open|0|business");
  g_remove (path);
  g_rmdir (dir);
}

static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  static const Expected expected[] = {
    { 3, "invoice number is missing" },
    { 4, "client is missing" },
    { 5, "31/02/2026" },
    { 6, "due date is missing" },
    { 7, "before the issue date" },
    { 8, "negative" },
    { 9, "too large" },
    { 10, "not digits" },
    { 11, "not a currency" },
    { 12, "not a valid email address" },
    { 13, "not a status" },
    { 14, "not a customer type" },
    { 15, "not a language" },
    { 16, "is also on line 2, with another “Client”" },
    { 17, "has 11 fields but the header has 10" },
    { 18, "not a valid email address" },
    { 20, "issue date is missing" },
  };
  g_autofree char *english = data_path ("invoices-en.csv");
  g_autofree char *path = data_path ("factures-erreurs.csv");
  g_autoptr(RelanceImportReport) first = import_ok (f, english, &invoice_options);

  assert_refused (f, path, &invoice_options, expected, G_N_ELEMENTS (expected));
}

typedef struct
{
  const char *name;
  const char *contents;
  gboolean    clients;
  const char *map_field;
  const char *map_header;
  Expected    error;
} BadFile;

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  static const BadFile cases[] = {
    { "ambiguous", "Invoice,Client,Due,Total\nA-1,X,2026-03-01,\"1,234.50\"\n"
      "A-2,X,2026-03-01,\"1.234,50\"\nA-3,X,2026-03-01,\"1,234\"\n", FALSE, NULL, NULL,
      { 4, "ambiguous" } },
    { "unterminated", "Invoice,Client,Due,Total\nA-1,X,2026-03-01,12\n"
      "A-2,\"X,2026-03-01,12\nA-3,X,2026-03-01,12\n", FALSE, NULL, NULL,
      { 3, "never closed" } },
    { "empty", "", FALSE, NULL, NULL, { 1, "empty" } },
    { "header only", "Invoice;Client;Due;Total\r\n", FALSE, NULL, NULL, { 1, "no data rows" } },
    { "no total", "Invoice;Client;Due\nA-1;X;01/03/2026\n", FALSE, NULL, NULL,
      { 1, "no “Total” column" } },
    { "map to missing", "Invoice;Client;Due;Total\nA-1;X;01/03/2026;12\n", FALSE,
      "total", "Montant", { 1, "no column “Montant”" } },
    { "map unknown field", "Invoice;Client;Due;Total\nA-1;X;01/03/2026;12\n", FALSE,
      "colour", "Total", { 1, "not a field" } },
    { "total below payments", "Invoice number,Customer,Due date,Total\n"
      "INV-1002,Globex Corporation,2026-02-11,400.00\n", FALSE, NULL, NULL,
      { 2, "less than the payments" } },
    { "paid over total", "Invoice,Client,Due,Total,Paid\nA-1,X,2026-03-01,10.00,12.00\n",
      FALSE, NULL, NULL, { 2, "larger than the total" } },
    { "client missing name", "Nom;Courriel\n;a@example.fr\n", TRUE, NULL, NULL,
      { 2, "name is missing" } },
    { "client bad cc", "Name,Cc\nAcme,\"a@example.fr; nope\"\n", TRUE, NULL, NULL,
      { 2, "not a valid email" } },
    { "client cc list ok but bad zone", "Name,Cc,Time zone\nAcme,\"a@x.fr, b@y.fr\",Mars/Olympus\n",
      TRUE, NULL, NULL, { 2, "not a time zone" } },
    { "client bad segment", "Name,Segment\nAcme,VIP\n", TRUE, NULL, NULL, { 2, "not a segment" } },
    { "client duplicate", "Name,Reference\nAcme,R1\nAcme Bis,R1\n", TRUE, NULL, NULL,
      { 3, "already appears on line 2" } },
    { "client bad country", "Name,Country\nAcme,Atlantis\n", TRUE, NULL, NULL,
      { 2, "not a country" } },
  };
  g_autofree char *english = data_path ("invoices-en.csv");
  g_autoptr(RelanceImportReport) first = import_ok (f, english, &invoice_options);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (f, "bad.csv", cases[i].contents);
      g_autoptr(GHashTable) mapping = g_hash_table_new (g_str_hash, g_str_equal);
      RelanceImportOptions options = cases[i].clients ? client_options : invoice_options;

      g_test_message ("case %s", cases[i].name);
      if (cases[i].map_field != NULL)
        {
          g_hash_table_insert (mapping, (char *) cases[i].map_field, (char *) cases[i].map_header);
          options.mapping = mapping;
        }
      assert_refused (f, path, &options, &cases[i].error, 1);
    }
}

static void
test_reimport (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = data_path ("factures-fr.csv");
  g_autoptr(RelanceImportReport) first = import_ok (f, path, &invoice_options);
  g_autoptr(RelanceImportReport) again = import_ok (f, path, &invoice_options);
  g_autoptr(RelanceImportReport) corrected = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *corrected_path = NULL;
  gsize length;

  g_assert_cmpuint (again->created, ==, 0);
  g_assert_cmpuint (again->updated, ==, 0);
  g_assert_cmpuint (again->unchanged, ==, 5);
  g_assert_cmpuint (again->clients_created, ==, 0);
  g_assert_cmpuint (count_all (f->store), ==, 4 * 1000000 + 5 * 1000 + 1);

  /* A corrected export: one total changed, one invoice now paid, one new invoice. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  {
    g_autoptr(GString) s = g_string_new_len (contents, (gssize) length);
    g_string_replace (s, "\"2 500,00\"", "\"2 600,00\"", 1);
    g_string_replace (s, "1.234,56;EUR;En attente", "1.234,56;EUR;R\xe9gl\xe9" "e", 1);
    g_string_append (s, "F-2026-006;Caf\xe9 des Arts;compta@cafedesarts.fr;01/02/2026;"
                        "03/03/2026;10,00;EUR;;pro;FR\r\n");
    fixed = g_string_free (g_steal_pointer (&s), FALSE);
  }
  corrected_path = g_build_filename (f->dir, "corrected.csv", NULL);
  g_assert_true (g_file_set_contents (corrected_path, fixed, -1, NULL));
  corrected = import_ok (f, corrected_path, &invoice_options);
  g_assert_cmpuint (corrected->created, ==, 1);
  g_assert_cmpuint (corrected->updated, ==, 2);
  g_assert_cmpuint (corrected->unchanged, ==, 3);
  g_assert_cmpuint (corrected->clients_created, ==, 0);
  assert_invoice (f, "F-2026-003",
                  "Martin; Fils & Cie|2026-01-15|2026-02-14|260000|EUR|open|0|business");
  assert_invoice (f, "F-2026-004",
                  "Boulangerie Dupré|2026-01-20|2026-02-19|123456|EUR|open|123456|business");
  /* The payment recorded by the first import is still there. */
  assert_invoice (f, "F-2026-002",
                  "Café des Arts|2026-01-10|2026-02-09|35050|EUR|open|35050|business");
  {
    g_autoptr(GPtrArray) invoices = all_invoices (f->store);

    g_assert_cmpuint (invoices->len, ==, 6);
    g_assert_cmpuint (count_payments (f->store, NULL, NULL), ==, 2);
  }
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = data_path ("factures-fr.csv");
  RelanceImportOptions dry = invoice_options;
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(RelanceImportReport) real = NULL;
  g_autoptr(RelanceImportReport) again = NULL;

  dry.dry_run = TRUE;
  report = import_ok (f, path, &dry);
  g_assert_cmpuint (report->created, ==, 5);
  g_assert_cmpuint (report->clients_created, ==, 4);
  g_assert_cmpuint (count_all (f->store), ==, 0);

  real = import_ok (f, path, &invoice_options);
  again = import_ok (f, path, &dry);
  g_assert_cmpuint (again->created, ==, 0);
  g_assert_cmpuint (again->unchanged, ==, 5);
  g_assert_cmpuint (count_all (f->store), ==, 4 * 1000000 + 5 * 1000 + 1);
}

static void
test_mapping (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = write_temp (f, "odd.csv",
                                      "Ref;Qui;Quand;Combien;Date;Couleur\n"
                                      "Z-1;Zèbre SA;15/03/2026;1 000;01/02/2026;bleu\n");
  g_autoptr(GHashTable) mapping = g_hash_table_new (g_str_hash, g_str_equal);
  RelanceImportOptions options = invoice_options;
  g_autoptr(RelanceImportReport) report = NULL;

  g_hash_table_insert (mapping, (char *) "number", (char *) "Ref");
  /* headers match without case */
  g_hash_table_insert (mapping, (char *) "client", (char *) "qui");
  g_hash_table_insert (mapping, (char *) "total", (char *) "Combien");
  /* overrides the automatic "Date" → issue date */
  g_hash_table_insert (mapping, (char *) "due_date", (char *) "Date");
  options.mapping = mapping;
  report = import_ok (f, path, &options);
  g_assert_cmpuint (report->created, ==, 1);
  assert_invoice (f, "Z-1", "Zèbre SA|2026-02-01|2026-02-01|100000|EUR|open|0|business");
  g_assert_cmpuint (report->ignored_columns->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (report->ignored_columns, 0), ==, "Quand");
  g_assert_cmpstr (g_ptr_array_index (report->ignored_columns, 1), ==, "Couleur");
}

static void
test_clients (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = data_path ("clients-fr.csv");
  g_autoptr(RelanceImportReport) report = import_ok (f, path, &client_options);
  g_autoptr(RelanceImportReport) again = import_ok (f, path, &client_options);
  g_autofree char *dump = dump_clients (f->store);

  g_assert_cmpuint (report->created, ==, 3);
  g_assert_cmpuint (again->created, ==, 0);
  g_assert_cmpuint (again->unchanged, ==, 3);
  g_assert_cmpstr (dump, ==,
    "Acme Ltd|CL-2|accounts@acme.co.uk||+44 20 7946 0000|en|GB|Europe/London|business|"
    "strategic|Paie à 60 jours|\n"
    "Boulangerie Dupré|CL-1|contact@dupre.fr|compta@dupre.fr, patron@dupre.fr|"
    "01 23 45 67 89|fr|FR|Europe/Paris|business|regular||\n"
    "Mme Lefèvre||lefevre@example.fr|||fr|||consumer|at-risk||\n");
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  static const char *files[] = { "factures-fr.csv", "invoices-en.csv", "factures-bom.csv",
                                 "invoices-tab.csv" };
  g_autofree char *export_path = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *clients_path = g_build_filename (f->dir, "clients.csv", NULL);
  g_autofree char *other_db = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *clients_before = NULL;
  g_autofree char *clients_after = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(RelanceImportReport) r1 = NULL;
  g_autoptr(RelanceImportReport) r2 = NULL;
  g_autoptr(GError) error = NULL;
  RelanceStore *saved;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_path (files[i]);
      g_autoptr(RelanceImportReport) report = import_ok (f, path, &invoice_options);
    }
  /* A partial payment and a note with a comma and quotes. */
  {
    g_autoptr(RelanceInvoice) partly = relance_store_get_invoice (f->store, "INV-1003", &error);
    g_autoptr(RelanceInvoice) noted = relance_store_get_invoice (f->store, "INV-1001", &error);
    g_autoptr(RelanceClient) acme = relance_store_find_client (f->store, "C-001", &error);
    RelancePayment payment = { .invoice_id = partly->id, .amount = 1234,
                               .method = (char *) "transfer" };

    g_assert_no_error (error);
    g_assert_true (relance_date_from_iso ("2026-02-20", &payment.date));
    g_assert_true (relance_store_add_payment (f->store, &payment, &error));
    g_free (noted->notes);
    noted->notes = g_strdup ("Call \"Bob\", then email");
    g_assert_true (relance_store_save_invoice (f->store, noted, &error));
    g_free (acme->timezone);
    acme->timezone = g_strdup ("Europe/London");
    g_free (acme->segment);
    acme->segment = g_strdup ("strategic");
    g_free (acme->cc);
    acme->cc = g_strdup ("a@acme.co.uk, b@acme.co.uk");
    g_assert_true (relance_store_save_client (f->store, acme, &error));
    g_assert_no_error (error);
  }

  g_assert_true (relance_export_file (f->store, RELANCE_IMPORT_INVOICES, export_path, &error));
  g_assert_no_error (error);
  g_assert_true (relance_export_file (f->store, RELANCE_IMPORT_CLIENTS, clients_path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (export_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "Invoice number,Client,Client ref,Email,"));
  g_assert_null (strchr (contents, '\r'));
  g_assert_nonnull (strstr (contents, ",2026-01-05,2026-02-04,1200.00,GBP,open,"));
  g_assert_nonnull (strstr (contents, ",\"Call \"\"Bob\"\", then email\"\n"));

  before = dump_invoices (f->store);
  clients_before = dump_clients (f->store);
  other = relance_store_open (other_db, &error);
  g_assert_no_error (error);
  saved = f->store;
  f->store = other;
  r1 = import_ok (f, clients_path, &client_options);
  r2 = import_ok (f, export_path, &invoice_options);
  f->store = saved;
  g_assert_cmpuint (r2->clients_created, ==, 0);
  g_assert_cmpuint (r2->created, ==, 14);

  after = dump_invoices (other);
  clients_after = dump_clients (other);
  /* Payment dates and methods are not exported: the amounts are. */
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (clients_after, ==, clients_before);
}

static void
count_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  GArray *calls = user_data;

  g_assert_cmpuint (total, ==, 2500);
  g_array_append_val (calls, done);
}

static char *
generate (Fixture    *f,
          guint       n_rows,
          guint       n_clients)
{
  g_autoptr(GString) s = g_string_new ("N° facture;Client;Référence client;Date;Échéance;"
                                       "Montant TTC;Statut\n");
  g_autofree char *path = NULL;

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (s, "F%07u;Client %u;C%05u;05/01/2026;04/02/2026;%u,%02u;%s\n",
                            i, i % n_clients, i % n_clients, 100 + i % 5000, i % 100,
                            i % 10 == 0 ? "Payée" : "À payer");
  path = g_build_filename (f->dir, "big.csv", NULL);
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  return g_steal_pointer (&path);
}

static void
test_progress_and_cancel (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = generate (f, 2500, 100);
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(RelanceImportReport) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (relance_import_file (f->store, path, &invoice_options, NULL, NULL,
                                       cancellable, &cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_all (f->store), ==, 0);

  g_assert_true (relance_import_file (f->store, path, &invoice_options, count_progress, calls,
                                      NULL, &report, NULL));
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, 2000);
  g_assert_cmpuint (g_array_index (calls, guint, 2), ==, 2500);
  g_assert_cmpuint (report->created, ==, 2500);
  g_assert_cmpuint (report->clients_created, ==, 100);
}

static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = generate (f, 100000, 10000);
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(RelanceImportReport) again = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 first_ms, second_ms;

  report = import_ok (f, path, &invoice_options);
  first_ms = (g_get_monotonic_time () - start) / 1000;
  start = g_get_monotonic_time ();
  again = import_ok (f, path, &invoice_options);
  second_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("100000 rows: import %" G_GINT64_FORMAT " ms, re-import %" G_GINT64_FORMAT
                  " ms", first_ms, second_ms);
  g_assert_cmpuint (report->created, ==, 100000);
  g_assert_cmpuint (report->clients_created, ==, 10000);
  g_assert_cmpuint (again->unchanged, ==, 100000);
  g_assert_cmpuint (count_payments (f->store, NULL, NULL), ==, 10000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/import/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("french-windows-1252", test_french_windows_1252);
  ADD ("english", test_english);
  ADD ("bom-and-tab", test_bom_and_tab);
  ADD ("spreadsheet-export", test_spreadsheet_export);
  ADD ("invoice-lines", test_invoice_lines);
  ADD ("date-order-assumed", test_date_order_assumed);
  ADD ("profiles", test_profiles);
  ADD ("addresses", test_addresses);
  g_test_add ("/import/spreadsheet/xlsx", Fixture, "factures.xlsx", fixture_set_up,
              test_spreadsheet, fixture_tear_down);
  g_test_add ("/import/spreadsheet/ods", Fixture, "factures.ods", fixture_set_up,
              test_spreadsheet, fixture_tear_down);
  ADD ("spreadsheet-errors", test_spreadsheet_errors);
  ADD ("einvoice-folder", test_einvoice_folder);
  ADD ("einvoice-files", test_einvoice_files);
  ADD ("einvoice-folder-refused", test_einvoice_folder_refused);
  ADD ("hostile-files", test_hostile_files);
  g_test_add_func ("/import/profile-data", test_profile_data);
  ADD ("bad-rows", test_bad_rows);
  ADD ("bad-files", test_bad_files);
  ADD ("reimport", test_reimport);
  ADD ("dry-run", test_dry_run);
  ADD ("mapping", test_mapping);
  ADD ("clients", test_clients);
  ADD ("round-trip", test_round_trip);
  ADD ("progress-and-cancel", test_progress_and_cancel);
  if (g_test_slow () || g_getenv ("RELANCE_TEST_SPEED") != NULL)
    ADD ("speed", test_speed);
#undef ADD

  return g_test_run ();
}
