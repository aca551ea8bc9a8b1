/* test-store-changes.c: RelanceStore::changed — what the pages and the scheduler listen
 * to: once after a commit, never for a rollback, and for another connection's commit once
 * the store watches the file. */
#include "config.h"

#include <glib/gstdio.h>

#include "relance-date.h"
#include "relance-store.h"

typedef struct
{
  guint               count;
  RelanceStoreChanged what;
  gboolean            external;
  GArray             *client_ids;
  GArray             *invoice_ids;
} Seen;

static void
changed_cb (RelanceStore             *store,
            const RelanceStoreChange *change,
            gpointer                  user_data)
{
  Seen *seen = user_data;

  seen->count++;
  seen->what = change->what;
  seen->external = change->external;
  g_clear_pointer (&seen->client_ids, g_array_unref);
  g_clear_pointer (&seen->invoice_ids, g_array_unref);
  seen->client_ids = g_array_copy (change->client_ids);
  seen->invoice_ids = g_array_copy (change->invoice_ids);
}

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->client_ids, g_array_unref);
  g_clear_pointer (&seen->invoice_ids, g_array_unref);
  memset (seen, 0, sizeof *seen);
}

static RelanceStore *
open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RelanceStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), name, NULL);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
save_client (RelanceStore *store, const char *name, GError **error)
{
  RelanceClient client = { .name = (char *) name, .email = (char *) "compta@example.fr",
                           .language = (char *) "fr" };

  return relance_store_save_client (store, &client, error) ? client.id : 0;
}

/* Outside a transaction, a change is announced at once, with the client's id. */
static void
test_autocommit (void)
{
  g_autoptr(RelanceStore) store = open_store ("autocommit.db");
  g_autoptr(GError) error = NULL;
  Seen seen = { 0 };
  gint64 id;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &seen);
  id = save_client (store, "Boulangerie Martin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpint (seen.what, ==, RELANCE_STORE_CHANGED_CLIENTS);
  g_assert_false (seen.external);
  g_assert_cmpuint (seen.client_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.client_ids, gint64, 0), ==, id);
  seen_clear (&seen);
}

/* Inside a transaction: nothing until the commit, then one announcement for all of it. */
static void
test_transaction (void)
{
  g_autoptr(RelanceStore) store = open_store ("transaction.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = g_new0 (RelanceInvoice, 1);
  Seen seen = { 0 };
  gint64 client_id;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &seen);
  g_assert_true (relance_store_begin (store, &error));
  client_id = save_client (store, "Atelier Dupont", &error);
  g_assert_no_error (error);
  invoice->number = g_strdup ("F-1");
  invoice->client_id = client_id;
  invoice->total = 12000;
  invoice->currency = g_strdup ("EUR");
  g_assert_true (relance_date_from_iso ("2026-11-01", &invoice->issue_date));
  g_assert_true (relance_date_from_iso ("2026-12-01", &invoice->due_date));
  g_date_clear (&invoice->promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, invoice, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 0);

  g_assert_true (relance_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpint (seen.what, ==, RELANCE_STORE_CHANGED_CLIENTS | RELANCE_STORE_CHANGED_INVOICES);
  g_assert_cmpuint (seen.invoice_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.invoice_ids, gint64, 0), ==, invoice->id);
  seen_clear (&seen);
}

/* A rolled-back change is not announced, not even with the next commit. */
static void
test_rollback (void)
{
  g_autoptr(RelanceStore) store = open_store ("rollback.db");
  g_autoptr(GError) error = NULL;
  Seen seen = { 0 };

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &seen);
  g_assert_true (relance_store_begin (store, &error));
  save_client (store, "Gone", &error);
  g_assert_no_error (error);
  relance_store_rollback (store);
  g_assert_cmpuint (seen.count, ==, 0);

  g_assert_true (relance_store_set_setting (store, "send-window", "mon-fri 09:00-17:00",
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpint (seen.what, ==, RELANCE_STORE_CHANGED_SETTINGS);
  g_assert_cmpuint (seen.client_ids->len, ==, 0);
  seen_clear (&seen);
}

static gboolean
timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for @seen to reach @count, or 5 s. */
static void
wait_for (Seen *seen, guint count)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (5000, timed_out, &expired);

  while (seen->count < count && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

/* Another connection (the command line, the scheduler's worker) commits: the watching
 * store announces it as external; its own commits are not announced twice. */
static void
test_external (void)
{
  g_autoptr(RelanceStore) window = open_store ("shared.db");
  g_autoptr(RelanceStore) cli = NULL;
  g_autoptr(GError) error = NULL;
  Seen seen = { 0 };

  cli = relance_store_open (relance_store_get_path (window), &error);
  g_assert_no_error (error);
  relance_store_watch_external (window);
  g_signal_connect (window, "changed", G_CALLBACK (changed_cb), &seen);

  save_client (cli, "Client du terminal", &error);
  g_assert_no_error (error);
  wait_for (&seen, 1);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_true (seen.external);
  g_assert_cmpint (seen.what, ==, RELANCE_STORE_CHANGED_ALL);

  /* The window's own commit: announced once as its own, and the file events it causes
   * are not taken for another connection's. */
  save_client (window, "Client de la fenêtre", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 2);
  g_assert_false (seen.external);
  {
    gboolean expired = FALSE;
    g_timeout_add (400, timed_out, &expired);
    while (!expired)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.count, ==, 2);
  seen_clear (&seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/store/changes/autocommit", test_autocommit);
  g_test_add_func ("/store/changes/transaction", test_transaction);
  g_test_add_func ("/store/changes/rollback", test_rollback);
  g_test_add_func ("/store/changes/external", test_external);
  return g_test_run ();
}
