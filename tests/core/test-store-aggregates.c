/* test-store-aggregates.c: the store functions of src/core/store that took over the SQL of
 * the planner, scenarios, Dashboard, backups, bank and import: each rule where the data
 * changes, all or nothing, and RelanceStore::changed after the commit. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-planner.h"
#include "relance-store-backup.h"
#include "relance-store-bank.h"
#include "relance-store-import.h"
#include "relance-store-planning.h"
#include "relance-store-rates.h"
#include "relance-store-scenarios.h"
#include "relance-store-stats.h"
#include "store-records.h"

typedef struct
{
  RelanceStoreChanged what;   /* every change announced, or'ed */
  guint               n;      /* announcements */
  GArray             *client_ids;
  GArray             *invoice_ids;
} Seen;

static void
changed_cb (RelanceStore             *store,
            const RelanceStoreChange *change,
            Seen                     *seen)
{
  seen->what |= change->what;
  seen->n++;
  g_array_append_vals (seen->client_ids, change->client_ids->data, change->client_ids->len);
  g_array_append_vals (seen->invoice_ids, change->invoice_ids->data, change->invoice_ids->len);
}

static void
seen_reset (Seen *seen)
{
  seen->what = 0;
  seen->n = 0;
  g_array_set_size (seen->client_ids, 0);
  g_array_set_size (seen->invoice_ids, 0);
}

static gboolean
ids_contain (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

typedef struct
{
  char         *dir;
  char         *path;
  RelanceStore *store;
  Seen          seen;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-10T10:00:00Z", NULL);

  relance_clock_set_override (now);
  f->dir = g_dir_make_tmp ("relance-aggregates-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "relance.db", NULL);
  f->store = relance_store_open (f->path, &error);
  g_assert_no_error (error);
  f->seen.client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->seen.invoice_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), &f->seen);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_array_unref (f->seen.client_ids);
  g_array_unref (f->seen.invoice_ids);
  relance_clock_set_override (NULL);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
add_client (Fixture    *f,
            const char *name)
{
  return store_records_add_client (f->store,
                                   &(RelanceClient) { .name = (char *) name,
                                                      .email = (char *) "compta@example.fr" });
}

/* ---- rates ------------------------------------------------------------------------ */

/* A rate set by hand is never replaced by a fetched one; a fetched one is replaced when the
 * bank publishes another value, and dated. */
static void
test_rates (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) fetched = g_date_time_new_from_iso8601 ("2026-03-01T08:00:00Z", NULL);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(RelanceRateTable) table = NULL;
  const RelanceRateEntry *entry = NULL;
  RelanceRateSaveOutcome outcome;
  int previous = 0;

  g_assert_true (relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 215,
                                               "ecb-data-portal", fetched, &outcome, &previous,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_ADDED);
  g_assert_cmpint (previous, ==, -1);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_SETTINGS);
  when = relance_store_get_rate_fetched_at (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2);
  g_assert_nonnull (when);
  g_assert_cmpint (g_date_time_compare (when, fetched), ==, 0);

  seen_reset (&f->seen);
  g_assert_true (relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 215,
                                               "ecb-data-portal", fetched, &outcome, &previous,
                                               &error));
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_UNCHANGED);
  g_assert_cmpint (previous, ==, 215);
  g_assert_cmpuint (f->seen.n, ==, 0);
  g_assert_true (relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 200,
                                               "ecb-data-portal", fetched, &outcome, &previous,
                                               &error));
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_CHANGED);
  g_assert_cmpint (previous, ==, 215);

  /* By hand: it wins, and the fetch time no longer speaks for it. */
  g_assert_true (relance_store_save_rate (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 250,
                                          &error));
  g_assert_no_error (error);
  g_clear_pointer (&when, g_date_time_unref);
  when = relance_store_get_rate_fetched_at (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2);
  g_assert_null (when);
  g_assert_true (relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 100,
                                               "ecb-data-portal", fetched, &outcome, &previous,
                                               &error));
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_KEPT_USER);
  g_assert_cmpint (previous, ==, 250);
  table = relance_store_load_rates (f->store, RELANCE_RATE_SERIES_ECB, &error);
  g_assert_no_error (error);
  g_assert_true (relance_rate_table_lookup (table, 2026, 2, &entry, NULL, NULL));
  g_assert_cmpint (entry->bp, ==, 250);
}

/* ---- planning --------------------------------------------------------------------- */

static RelancePlannedMessage *
first_message (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GPtrArray) plan = relance_planner_plan (f->store, now, NULL, RELANCE_PLAN_ALL,
                                                    &error);

  g_assert_no_error (error);
  return plan->len > 0 ? g_ptr_array_steal_index (plan, 0) : NULL;
}

/* Skipping a planned message records its step as skipped for each invoice, so the planner
 * goes on with the next step; undoing removes those rows only, and nothing else. */
static void
test_skip (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePlannedMessage) before = NULL;
  g_autoptr(RelancePlannedMessage) after = NULL;
  g_autoptr(RelancePlannedMessage) again = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GHashTable) states = NULL;
  GArray *rows;
  gint64 client = add_client (f, "Boulangerie Martin");
  gint64 invoice = store_records_add_invoice (f->store, client, "F-1", "2026-01-10", "2026-02-09",
                                              120000, "EUR");

  before = first_message (f);
  g_assert_nonnull (before);
  seen_reset (&f->seen);
  g_assert_true (relance_store_skip_planned_message (f->store, before, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpuint (f->seen.n, ==, 1);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_OUTBOX);
  g_assert_true (ids_contain (f->seen.client_ids, client));
  g_assert_true (ids_contain (f->seen.invoice_ids, invoice));

  states = relance_store_list_reminder_states (f->store, &error);
  g_assert_no_error (error);
  rows = g_hash_table_lookup (states, &invoice);
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_array_index (rows, RelanceReminderState, 0).state, ==, "skipped");
  g_assert_cmpint (g_array_index (rows, RelanceReminderState, 0).step_id, ==, before->step->id);
  g_assert_cmpint (g_array_index (rows, RelanceReminderState, 0).offset_days, ==,
                   before->step->offset_days);

  after = first_message (f);
  g_assert_nonnull (after);
  g_assert_cmpint (after->step->offset_days, >, before->step->offset_days);

  /* A reminder the outbox sent is not a skip: undoing leaves it. */
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO reminders (invoice_id, step_id, channel, state, scheduled_at, sent_at) "
      "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'email', 'sent', 0, 0)",
      invoice, after->step->id);
    gint64 sent_id;

    relance_test_sql_exec (f->store, sql);
    sent_id = relance_test_sql_int (f->store, "SELECT max(id) FROM reminders");
    g_array_append_val (ids, sent_id);
  }
  seen_reset (&f->seen);
  g_assert_true (relance_store_unskip_reminders (f->store, (gint64 *) ids->data, ids->len,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->seen.n, ==, 1);
  g_clear_pointer (&states, g_hash_table_unref);
  states = relance_store_list_reminder_states (f->store, &error);
  rows = g_hash_table_lookup (states, &invoice);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_array_index (rows, RelanceReminderState, 0).state, ==, "sent");

  /* Without the sent row, the plan is the first one again. */
  relance_test_sql_exec (f->store, "DELETE FROM reminders");
  again = first_message (f);
  g_assert_cmpint (again->step->id, ==, before->step->id);
  g_assert_cmpint (g_date_time_compare (again->scheduled_at, before->scheduled_at), ==, 0);
}

/* A client's own scenario, as the planner reads it. */
static void
test_client_scenarios (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (f->store, &error);
  gint64 plain = add_client (f, "Sans scénario");
  gint64 own = add_client (f, "Avec scénario");
  RelanceScenario *firm = NULL;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    if (g_str_equal (((RelanceScenario *) g_ptr_array_index (scenarios, i))->key, "firm"))
      firm = g_ptr_array_index (scenarios, i);
  g_assert_nonnull (firm);
  /* The clients' page sets it; the clients' store functions are not this test's. */
  sql = g_strdup_printf ("UPDATE clients SET scenario_id = %" G_GINT64_FORMAT " WHERE id = %"
                         G_GINT64_FORMAT, firm->id, own);
  relance_test_sql_exec (f->store, sql);

  chosen = relance_store_list_client_scenarios (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (chosen), ==, 1);
  g_assert_null (g_hash_table_lookup (chosen, &plain));
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (chosen, &own), ==, firm->id);
}

/* ---- scenarios and templates ---------------------------------------------------------- */

/* The shipped scenarios are seeded as relance_scenario_list_shipped() describes them. */
static void
test_seeded (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shipped = relance_scenario_list_shipped ();
  g_autoptr(GPtrArray) stored = relance_store_list_scenarios (f->store, &error);
  g_auto(GStrv) keys = relance_store_list_template_keys (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, shipped->len);
  for (guint i = 0; i < shipped->len; i++)
    {
      RelanceScenario *a = g_ptr_array_index (shipped, i);
      RelanceScenario *b = g_ptr_array_index (stored, i);
      guint n_email = 0;

      g_assert_cmpstr (a->key, ==, b->key);
      g_assert_cmpstr (a->segment, ==, b->segment);
      for (guint s = 0; s < a->steps->len; s++)
        {
          RelanceStep *step = g_ptr_array_index (a->steps, s);

          n_email += g_str_equal (step->channel, "email");
          g_assert_true (g_strv_contains ((const char * const *) keys, step->template_key));
        }
      /* Later migrations add steps (the Gentle WhatsApp nudge), never remove one. */
      g_assert_cmpuint (b->steps->len, >=, a->steps->len);
      g_assert_cmpuint (n_email, >, 0);
    }
  for (const char * const *k = relance_template_shipped_keys (); *k != NULL; k++)
    g_assert_true (g_strv_contains ((const char * const *) keys, *k));
}

/* A template that does not parse is never saved; one that does is, and announced. */
static void
test_save_template (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceTemplateText) kept = relance_store_get_template (f->store, "firm", "fr",
                                                                    &error);
  g_autoptr(RelanceTemplateText) read = NULL;
  RelanceTemplateText broken = { .key = (char *) "firm", .language = (char *) "fr",
                                 .subject = (char *) "Relance {{invoice.numbr}}",
                                 .body = (char *) "Bonjour.\n" };
  RelanceTemplateText good = { .key = (char *) "firm", .language = (char *) "fr",
                               .subject = (char *) "Facture {{invoice.number}}",
                               .body = (char *) "Bonjour {{client.name}}.\n" };

  g_assert_no_error (error);
  seen_reset (&f->seen);
  g_assert_false (relance_store_save_template (f->store, &broken, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (f->seen.n, ==, 0);
  read = relance_store_get_template (f->store, "firm", "fr", &error);
  g_assert_cmpstr (read->subject, ==, kept->subject);
  g_clear_pointer (&read, relance_template_text_free);

  g_assert_true (relance_store_save_template (f->store, &good, &error));
  g_assert_no_error (error);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_TEMPLATES);
  read = relance_store_get_template (f->store, "firm", "fr", &error);
  g_assert_cmpstr (read->subject, ==, good.subject);
}

static RelanceScenario *
scenario_named (GPtrArray  *scenarios,
                const char *key)
{
  for (guint i = 0; i < scenarios->len; i++)
    if (g_str_equal (((RelanceScenario *) g_ptr_array_index (scenarios, i))->key, key))
      return g_ptr_array_index (scenarios, i);
  g_assert_not_reached ();
}

/* The step @id of the standard scenario as stored. */
static const RelanceStep *
saved_step (GPtrArray *scenarios,
            gint64     id)
{
  RelanceScenario *standard = scenario_named (scenarios, "standard");

  for (guint i = 0; i < standard->steps->len; i++)
    if (((RelanceStep *) g_ptr_array_index (standard->steps, i))->id == id)
      return g_ptr_array_index (standard->steps, i);
  g_assert_not_reached ();
}

/* Two steps swap days in one save; two on the same day are refused, and then nothing of
 * the save is written, not even its other edits. */
static void
test_save_steps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (f->store, &error);
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GPtrArray) edited = g_ptr_array_new ();
  RelanceScenario *standard = scenario_named (scenarios, "standard");
  RelanceStep *a = g_ptr_array_index (standard->steps, 1);
  RelanceStep *b = g_ptr_array_index (standard->steps, 2);
  gint64 a_id = a->id, b_id = b->id;
  int a_day = a->offset_days, b_day = b->offset_days;

  g_assert_no_error (error);
  a->offset_days = b_day;
  b->offset_days = a_day;
  g_ptr_array_add (edited, standard);
  seen_reset (&f->seen);
  g_assert_true (relance_store_save_scenario_steps (f->store, edited, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->seen.n, ==, 1);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_TEMPLATES);
  saved = relance_store_list_scenarios (f->store, &error);
  g_assert_cmpint (saved_step (saved, a_id)->offset_days, ==, b_day);
  g_assert_cmpint (saved_step (saved, b_id)->offset_days, ==, a_day);
  g_clear_pointer (&saved, g_ptr_array_unref);

  /* Same day twice, with a tone change that must not be kept either. */
  a->offset_days = b->offset_days;
  g_free (a->tone);
  a->tone = g_strdup ("formal-notice");
  seen_reset (&f->seen);
  g_assert_false (relance_store_save_scenario_steps (f->store, edited, NULL, 0, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (f->seen.n, ==, 0);
  saved = relance_store_list_scenarios (f->store, &error);
  g_assert_cmpint (saved_step (saved, a_id)->offset_days, ==, b_day);
  g_assert_cmpstr (saved_step (saved, a_id)->tone, !=, "formal-notice");
}

/* ---- Dashboard sums ------------------------------------------------------------------- */

static const RelanceUnpaidSum *
unpaid_at (GArray     *sums,
           const char *currency,
           int         days_late)
{
  for (guint i = 0; i < sums->len; i++)
    {
      const RelanceUnpaidSum *sum = &g_array_index (sums, RelanceUnpaidSum, i);

      if (g_str_equal (sum->currency, currency) && sum->days_late == days_late)
        return sum;
    }
  return NULL;
}

/* Unpaid parts by currency and lateness (cancelled and settled invoices left out); sales of
 * a window of days; invoices paid in full on time among those settled in a window. */
static void
test_stats_sums (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) unpaid = NULL;
  g_autoptr(GArray) sales = NULL;
  GDate today;
  guint paid = 0, on_time = 0;
  gint64 client = add_client (f, "Hôtel du Lac");
  gint64 late = store_records_add_invoice (f->store, client, "F-1", "2026-01-01", "2026-02-28",
                                           10000, "EUR");
  gint64 settled = store_records_add_invoice (f->store, client, "F-2", "2026-01-01", "2026-01-31",
                                              5000, "EUR");
  gint64 cancelled = store_records_add_invoice (f->store, client, "F-3", "2026-01-01", "2026-02-28",
                                                7000, "EUR");
  gint64 paid_late = store_records_add_invoice (f->store, client, "F-6", "2025-12-01", "2025-12-31",
                                                1000, "EUR");

  store_records_add_invoice (f->store, client, "F-4", "2026-03-01", "2026-03-31", 3000, "EUR");
  store_records_add_invoice (f->store, client, "F-5", "2025-12-10", "2026-02-28", 2000, "GBP");
  /* Not today's sales: 90 days before 10 March is 10 December, excluded. */
  store_records_add_invoice (f->store, client, "F-7", "2025-12-10", "2026-03-31", 500, "EUR");
  store_records_add_payment (f->store, late, "2026-03-01", 4000);
  store_records_add_payment (f->store, settled, "2026-01-20", 5000);
  store_records_add_payment (f->store, paid_late, "2026-01-15", 1000);
  g_assert_true (relance_store_set_invoice_status (f->store, "F-3", "cancelled", &error));
  g_assert_no_error (error);
  (void) cancelled;
  g_assert_true (relance_date_from_iso ("2026-03-10", &today));

  unpaid = relance_store_sum_unpaid (f->store, &today, &error);
  g_assert_no_error (error);
  /* F-1 (10 days late, 6000 left), F-4 and F-7 (due in 21 days), F-5 in GBP. */
  g_assert_cmpuint (unpaid->len, ==, 3);
  g_assert_cmpint (unpaid_at (unpaid, "EUR", 10)->unpaid, ==, 6000);
  g_assert_cmpuint (unpaid_at (unpaid, "EUR", 10)->count, ==, 1);
  g_assert_cmpint (unpaid_at (unpaid, "EUR", -21)->unpaid, ==, 3500);
  g_assert_cmpuint (unpaid_at (unpaid, "EUR", -21)->count, ==, 2);
  g_assert_cmpint (unpaid_at (unpaid, "GBP", 10)->unpaid, ==, 2000);

  sales = relance_store_sum_sales (f->store, &today, 90, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sales->len, ==, 1);
  g_assert_cmpstr (g_array_index (sales, RelanceCurrencySum, 0).currency, ==, "EUR");
  /* F-1, F-2 and F-4; F-6 and F-7 were issued 90 days ago or earlier, F-3 is cancelled. */
  g_assert_cmpint (g_array_index (sales, RelanceCurrencySum, 0).amount, ==, 10000 + 5000 + 3000);

  g_assert_true (relance_store_count_paid_on_time (f->store, &today, 12, &paid, &on_time,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (paid, ==, 2);
  g_assert_cmpuint (on_time, ==, 1);
}

/* ---- backups -------------------------------------------------------------------------- */

/* A copy is an intact Relance database holding what the store held; a damaged file is not;
 * restoring puts the copy's contents in place. */
static void
test_backup_files (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.db", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_false (relance_store_has_clients (f->store));
  add_client (f, "Gardé");
  g_assert_true (relance_store_has_clients (f->store));
  g_assert_true (relance_store_write_copy (f->store, copy, &error));
  g_assert_no_error (error);
  g_assert_true (relance_store_check_file (copy));
  /* VACUUM INTO never overwrites: the engine's reason comes back. */
  g_assert_false (relance_store_write_copy (f->store, copy, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "Pain\nBeurre\n", -1, NULL));
  g_assert_false (relance_store_check_file (text));
  g_assert_true (g_file_get_contents (copy, &contents, &len, NULL));
  memset (contents, 'x', 16);
  g_assert_true (g_file_set_contents (other, contents, len, NULL));
  g_assert_false (relance_store_check_file (other));

  {
    g_autoptr(RelanceStore) empty = relance_store_open (other, NULL);
    g_autoptr(GPtrArray) clients = NULL;

    g_assert_null (empty);
    g_remove (other);
    g_assert_true (relance_store_restore_file (other, copy));
    empty = relance_store_open_quick (other, &error);
    g_assert_no_error (error);
    clients = relance_store_list_clients (empty, &error);
    g_assert_cmpuint (clients->len, ==, 1);
    g_assert_cmpstr (((RelanceClient *) g_ptr_array_index (clients, 0))->name, ==, "Gardé");
  }
}

/* ---- bank ----------------------------------------------------------------------------- */

/* A certain match pays the invoice and says so; undoing takes the payment back. */
static void
test_bank_changes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankStatement) statement = g_new0 (RelanceBankStatement, 1);
  g_autoptr(RelanceBankImportReport) report = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  RelanceBankCredit *credit = g_new0 (RelanceBankCredit, 1);
  gint64 client = add_client (f, "Garage des Alpes");
  gint64 invoice_id = store_records_add_invoice (f->store, client, "FA-2026-017", "2026-01-10",
                                                 "2026-02-09", 75000, "EUR");
  RelanceBankTransaction *t;

  statement->name = g_strdup ("march.xml");
  statement->format = g_strdup ("CAMT.053");
  statement->credits = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_credit_free);
  credit->key = g_strdup ("k1");
  credit->account = g_strdup ("");
  g_date_set_dmy (&credit->date, 1, 3, 2026);
  credit->amount = 75000;
  credit->currency = g_strdup ("EUR");
  credit->payer = g_strdup ("GARAGE DES ALPES");
  credit->label = g_strdup ("VIR FACTURE FA-2026-017");
  g_ptr_array_add (statement->credits, credit);

  seen_reset (&f->seen);
  report = relance_bank_store_import (f->store, statement, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_applied, ==, 1);
  g_assert_cmpuint (f->seen.n, ==, 1);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_BANK);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_INVOICES);
  g_assert_true (ids_contain (f->seen.invoice_ids, invoice_id));
  invoice = relance_store_get_invoice (f->store, "FA-2026-017", &error);
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "paid");
  g_clear_pointer (&invoice, relance_invoice_free);

  t = g_ptr_array_index (report->transactions, 0);
  seen_reset (&f->seen);
  g_assert_true (relance_bank_store_undo (f->store, t->id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->seen.n, ==, 1);
  g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_BANK);
  g_assert_true (ids_contain (f->seen.invoice_ids, invoice_id));
  invoice = relance_store_get_invoice (f->store, "FA-2026-017", &error);
  g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "open");

  /* A dry run announces nothing: it is rolled back. */
  seen_reset (&f->seen);
  g_clear_pointer (&report, relance_bank_import_report_free);
  g_free (credit->key);
  credit->key = g_strdup ("k2");
  report = relance_bank_store_import (f->store, statement, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->seen.n, ==, 0);
}

/* ---- import --------------------------------------------------------------------------- */

static RelanceClient *
new_client (const char *name)
{
  RelanceClient *client = g_new0 (RelanceClient, 1);

  client->name = g_strdup (name);
  client->language = g_strdup ("fr");
  client->kind = g_strdup ("business");
  client->segment = g_strdup ("regular");
  return client;
}

static guint
count_invoices (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = relance_store_list_invoices (f->store, RELANCE_INVOICE_FILTER_ALL,
                                                          NULL, &error);

  g_assert_no_error (error);
  return all->len;
}

/* A dry run gives ids and counts but writes nothing; a real import writes everything at the
 * commit, announced once; a failure at the commit writes nothing at all. */
static void
test_import_writer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) owned =
    g_ptr_array_new_with_free_func ((GDestroyNotify) relance_client_free);
  guint32 issue = relance_date_julian_from_iso ("2026-01-05");
  guint32 due = relance_date_julian_from_iso ("2026-02-04");

  for (int dry = 1; dry >= 0; dry--)
    {
      g_autoptr(RelanceStoreImport) import = relance_store_begin_import (f->store, dry, &error);
      RelanceClient *client = new_client (dry ? "Fictif" : "Boulangerie Dupré");
      RelanceStoreImportInvoice invoice = { .number = "F-2026-001", .issue = issue, .due = due,
                                            .total = 120000, .currency = "EUR",
                                            .status = "open" };
      g_autoptr(GPtrArray) clients = NULL;
      g_autoptr(GArray) existing = NULL;

      g_assert_no_error (error);
      g_ptr_array_add (owned, client);
      clients = relance_store_import_list_clients (import, &error);
      g_assert_cmpuint (clients->len, ==, 0);
      g_assert_true (relance_store_import_use_batches (import, 1, 0, &error));
      g_assert_true (relance_store_import_add_client (import, client, &error));
      g_assert_no_error (error);
      if (dry)
        g_assert_cmpint (client->id, <, 0);
      else
        g_assert_cmpint (client->id, >, 0);
      invoice.client_id = client->id;
      g_assert_true (relance_store_import_add_invoice (import, &invoice, &error));
      g_assert_true (relance_store_import_add_payment (import, invoice.id, 20000, &error));
      g_assert_no_error (error);
      seen_reset (&f->seen);
      g_assert_true (relance_store_import_commit (import, &error));
      g_assert_no_error (error);
      if (dry)
        {
          g_assert_cmpuint (f->seen.n, ==, 0);
          g_assert_cmpuint (count_invoices (f), ==, 0);
          continue;
        }
      g_assert_cmpuint (f->seen.n, ==, 1);
      g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_INVOICES);
      g_assert_true (f->seen.what & RELANCE_STORE_CHANGED_CLIENTS);
      {
        g_autoptr(RelanceInvoice) stored = relance_store_get_invoice (f->store, "F-2026-001",
                                                                      &error);
        g_autoptr(GStringChunk) strings = g_string_chunk_new (256);
        g_autoptr(RelanceStoreImport) next = relance_store_begin_import (f->store, TRUE, &error);
        const RelanceStoreImportInvoice *e;

        g_assert_no_error (error);
        g_assert_cmpint (stored->client_id, ==, client->id);
        g_assert_cmpint (stored->paid, ==, 20000);
        g_assert_cmpstr (stored->client_name, ==, "Boulangerie Dupré");
        /* What the next import reads back: dates as Julian days, the sum paid. */
        existing = relance_store_import_list_invoices (next, strings, &error);
        g_assert_cmpuint (existing->len, ==, 1);
        e = &g_array_index (existing, RelanceStoreImportInvoice, 0);
        g_assert_cmpstr (e->number, ==, "F-2026-001");
        g_assert_cmpuint (e->issue, ==, issue);
        g_assert_cmpuint (e->due, ==, due);
        g_assert_cmpint (e->paid, ==, 20000);
        g_assert_true (e->currency == g_intern_static_string ("EUR"));
      }
    }

  /* The same number again in a new batch: refused at the commit, and nothing of the batch
   * is written (the new client neither). */
  {
    g_autoptr(RelanceStoreImport) import = relance_store_begin_import (f->store, FALSE, &error);
    RelanceClient *client = new_client ("Café des Arts");
    RelanceStoreImportInvoice ok = { .number = "F-2026-002", .issue = issue, .due = due,
                                     .total = 35050, .currency = "EUR", .status = "open" };
    RelanceStoreImportInvoice twice = ok;
    g_autoptr(GPtrArray) clients = NULL;

    g_ptr_array_add (owned, client);
    twice.number = "F-2026-001";
    g_assert_true (relance_store_import_use_batches (import, 2, 1, &error));
    g_assert_true (relance_store_import_add_client (import, client, &error));
    ok.client_id = twice.client_id = client->id;
    g_assert_true (relance_store_import_add_invoice (import, &ok, &error));
    g_assert_true (relance_store_import_add_invoice (import, &twice, &error));
    g_assert_no_error (error);
    seen_reset (&f->seen);
    g_assert_false (relance_store_import_commit (import, &error));
    g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_clear_pointer (&import, relance_store_import_free);
    g_assert_cmpuint (f->seen.n, ==, 0);
    g_assert_cmpuint (count_invoices (f), ==, 1);
    clients = relance_store_list_clients (f->store, &error);
    g_assert_cmpuint (clients->len, ==, 1);
  }
}

/* A large import into a near-empty store drops the secondary indexes and builds them again
 * from the schema before the commit: the schema is the same afterwards. */
static void
test_import_bulk_indexes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = relance_test_sql_text (f->store,
    "SELECT group_concat (sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = 'index' "
    "AND sql IS NOT NULL ORDER BY name)");
  g_autofree char *after = NULL;
  g_autoptr(RelanceStoreImport) import = relance_store_begin_import (f->store, FALSE, &error);
  RelanceClient *client = new_client ("Client");
  guint32 day = relance_date_julian_from_iso ("2026-01-05");
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_true (relance_store_import_use_batches (import, 20000, 0, &error));
  /* While it runs, the invoices' indexes are gone. */
  g_assert_cmpint (relance_test_sql_int (f->store, "SELECT count(*) FROM sqlite_schema WHERE "
                                         "type = 'index' AND tbl_name = 'invoices' AND "
                                         "sql IS NOT NULL"), ==, 0);
  g_assert_true (relance_store_import_add_client (import, client, &error));
  for (guint i = 0; i < 5000; i++)
    {
      RelanceStoreImportInvoice invoice = { .client_id = client->id, .issue = day, .due = day,
                                            .total = 1000 + i, .currency = "EUR",
                                            .status = "open" };

      g_ptr_array_add (numbers, g_strdup_printf ("F-%05u", i));
      invoice.number = g_ptr_array_index (numbers, i);
      g_assert_true (relance_store_import_add_invoice (import, &invoice, &error));
    }
  g_assert_true (relance_store_import_commit (import, &error));
  g_assert_no_error (error);
  after = relance_test_sql_text (f->store,
    "SELECT group_concat (sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = 'index' "
    "AND sql IS NOT NULL ORDER BY name)");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_invoices (f), ==, 5000);
  relance_client_free (client);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func) \
  g_test_add ("/store-aggregates/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rates", test_rates);
  ADD ("skip", test_skip);
  ADD ("client-scenarios", test_client_scenarios);
  ADD ("seeded", test_seeded);
  ADD ("save-template", test_save_template);
  ADD ("save-steps", test_save_steps);
  ADD ("stats-sums", test_stats_sums);
  ADD ("backup-files", test_backup_files);
  ADD ("bank-changes", test_bank_changes);
  ADD ("import-writer", test_import_writer);
  ADD ("import-bulk-indexes", test_import_bulk_indexes);
#undef ADD
  return g_test_run ();
}
