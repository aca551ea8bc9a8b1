/* test-dashboard.c: the Dashboard page under Xvfb shows the totals of a known store, and
 * its chart has the five aging buckets with their amounts. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store.h"
#include "relance-dashboard-page.h"

#include "ui-test-common.h"

static gboolean
page_loaded (gpointer data)
{
  return !relance_dashboard_page_is_loading (RELANCE_DASHBOARD_PAGE (data));
}

/* As of 2026-03-10: A not due (500.00), B 9 days late (200.00), C 45 days late (300.00),
 * D 120 days late (1,000.00). Outstanding 2,000.00, overdue 1,500.00. */
static void
test_dashboard_totals (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "test", NULL);
  g_autofree char *path = g_build_filename (dir, "relance.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *language = relance_language_for_user ();
  g_autofree char *outstanding = relance_money_format (200000, "EUR", language);
  g_autofree char *overdue = relance_money_format (150000, "EUR", language);
  static const gint64 amounts[] = { 50000, 20000, 30000, 0, 100000 };
  RelanceClient client = { 0 };
  GtkWidget *window, *page;
  RelanceAgingChart *chart;

  relance_test_use_system_data_dirs ();
  g_mkdir_with_parents (dir, 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  client.name = (char *) "Blue Harbour Ltd";
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);
  relance_test_add_invoice (store, client.id, "A", "2026-03-01", "2026-03-31", 50000);
  relance_test_add_invoice (store, client.id, "B", "2026-02-01", "2026-03-01", 20000);
  relance_test_add_invoice (store, client.id, "C", "2025-12-25", "2026-01-24", 30000);
  relance_test_add_invoice (store, client.id, "D", "2025-10-11", "2025-11-10", 100000);

  window = gtk_window_new ();
  page = g_object_new (RELANCE_TYPE_DASHBOARD_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 800);
  gtk_window_present (GTK_WINDOW (window));
  relance_test_iterate_until (page_loaded, page, "the figures are computed");
  while (g_main_context_iteration (NULL, FALSE))
    ;

  relance_test_collect_labels (page, text);
  g_test_message ("%s", text->str);
  g_assert_nonnull (strstr (text->str, outstanding));
  g_assert_nonnull (strstr (text->str, overdue));
  g_assert_nonnull (strstr (text->str, "4 unpaid invoices"));
  g_assert_nonnull (strstr (text->str, "3 invoices past their due date"));

  chart = relance_dashboard_page_get_chart (RELANCE_DASHBOARD_PAGE (page));
  g_assert_cmpuint (relance_aging_chart_get_n_buckets (chart), ==, 5);
  g_assert_cmpstr (relance_aging_chart_get_currency (chart), ==, "EUR");
  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_assert_cmpint (relance_aging_chart_get_amount (chart, i), ==, amounts[i]);
      g_assert_cmpuint (relance_aging_chart_get_count (chart, i), ==, amounts[i] > 0 ? 1 : 0);
    }
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_set_wait_timeout (10 * G_USEC_PER_SEC);
  gtk_init ();
  adw_init ();
  relance_clock_set_override (now);

  g_test_add_func ("/ui/dashboard/totals", test_dashboard_totals);

  return g_test_run ();
}
