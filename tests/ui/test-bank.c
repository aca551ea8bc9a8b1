/* test-bank.c: the Bank page under Xvfb: a statement dropped on it (the drop target's own
 * path) lists what it paid, what waits for a click and what matched nothing; accepting,
 * assigning and undoing change the invoices; the invoice's timeline says "Paid by transfer
 * of 12 Nov (statement …)". */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-bank-page.h"
#include "relance-clock.h"
#include "relance-invoice-view.h"
#include "relance-store.h"

#include "ui-test-common.h"

static gint64
paid (RelanceStore *store,
      const char   *number)
{
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, number, NULL);

  g_assert_nonnull (invoice);
  return invoice->paid;
}

static gboolean
page_read (gpointer data)
{
  return !relance_page_is_stale (RELANCE_PAGE (data));
}

/* The page reads the store again once the change it made is announced. */
static void
wait_read (GtkWidget *page)
{
  relance_test_iterate_until (page_read, page, "the Bank page reads the store again");
}

static void
test_bank_page (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "test", NULL);
  g_autofree char *path = g_build_filename (dir, "relance.db", NULL);
  g_autofree char *statement = g_test_build_filename (G_TEST_DIST, "data", "bank",
                                                      "camt053-v02.xml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (statement);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window, *page;
  gint64 garage, martin, lumiere;

  relance_test_use_system_data_dirs ();
  g_mkdir_with_parents (dir, 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  garage = relance_test_add_client (store, "Garage des Alpes SARL", "a@garage.test");
  martin = relance_test_add_client (store, "Boulangerie Martin", "b@martin.test");
  lumiere = relance_test_add_client (store, "Studio Lumière", "s@lumiere.test");
  relance_test_add_invoice (store, garage, "F2026-0101", "2026-10-01", "2026-10-31", 120000);
  relance_test_add_invoice (store, garage, "F2026-0102", "2026-10-01", "2026-10-31", 30000);
  relance_test_add_invoice (store, garage, "F2026-0103", "2026-10-01", "2026-10-31", 45000);
  relance_test_add_invoice (store, martin, "F2026-0110", "2026-10-01", "2026-10-31", 8000);
  relance_test_add_invoice (store, lumiere, "F2026-0120", "2026-10-01", "2026-10-31", 99900);

  window = gtk_window_new ();
  page = g_object_new (RELANCE_TYPE_BANK_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 800);
  gtk_window_present (GTK_WINDOW (window));
  relance_test_wait_for_text (page, "No Bank Statement Yet", "the empty page");

  /* What a drop of the file does. */
  g_assert_true (relance_bank_page_import_file (RELANCE_BANK_PAGE (page), file));
  relance_test_wait_for_text (page, "To Confirm", "the proposals");
  text = relance_test_visible_text (page);
  g_test_message ("%s", text);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "proposed"), ==, 1);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "unmatched"), ==, 1);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "applied"), ==, 2);
  g_assert_nonnull (strstr (text, "BOULANGERIE MARTIN"));
  g_assert_nonnull (strstr (text, "Pays F2026-0110?"));
  g_assert_nonnull (relance_test_find_button_with_label (page, "_Accept"));
  g_assert_nonnull (relance_test_find_button_with_label (page, "_Undo"));
  g_assert_cmpint (paid (store, "F2026-0101"), ==, 120000);

  /* Accept the proposal; assign the stray 100.00 to Studio Lumière's invoice. */
  g_assert_true (relance_bank_page_act_first (RELANCE_BANK_PAGE (page), "proposed", NULL));
  wait_read (page);
  g_assert_cmpint (paid (store, "F2026-0110"), ==, 8000);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "proposed"), ==, 0);
  g_assert_true (relance_bank_page_act_first (RELANCE_BANK_PAGE (page), "unmatched",
                                              "F2026-0120"));
  wait_read (page);
  g_assert_cmpint (paid (store, "F2026-0120"), ==, 10000);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "applied"), ==, 4);

  /* Undo the newest: that payment goes, the others stay. */
  g_assert_true (relance_bank_page_act_first (RELANCE_BANK_PAGE (page), "applied", NULL));
  wait_read (page);
  g_assert_cmpuint (relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "applied")
                    + relance_bank_page_count_rows (RELANCE_BANK_PAGE (page), "unmatched"), ==, 4);
  g_assert_cmpint (paid (store, "F2026-0101"), ==, 120000);

  gtk_window_destroy (GTK_WINDOW (window));

  /* The invoice's page says where its payment came from. */
  {
    GtkWidget *view_window = gtk_window_new ();
    GtkWidget *view = g_object_new (RELANCE_TYPE_INVOICE_VIEW, NULL);

    gtk_window_set_child (GTK_WINDOW (view_window), view);
    relance_invoice_view_show (RELANCE_INVOICE_VIEW (view), store, "F2026-0101");
    gtk_window_present (GTK_WINDOW (view_window));
    relance_test_wait_for_text (view, "Paid by transfer of 12 Nov (statement camt053-v02.xml)",
                                "the payment's source");
    gtk_window_destroy (GTK_WINDOW (view_window));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 9, 0, 0);

  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_set_wait_timeout (10 * G_USEC_PER_SEC);
  gtk_init ();
  adw_init ();
  relance_clock_set_override (now);

  g_test_add_func ("/ui/bank/page", test_bank_page);

  return g_test_run ();
}
