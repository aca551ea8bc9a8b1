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

#define WAIT_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* XDG_DATA_DIRS before the isolation of each test replaced it: GTK recognises icon files
 * with the shared MIME database, which the isolated data dirs lack. */
static char *system_data_dirs;

typedef gboolean (*Condition) (gpointer data);

static void
iterate_until (Condition   condition,
               gpointer    data,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
page_loaded (gpointer data)
{
  return !relance_dashboard_page_is_loading (RELANCE_DASHBOARD_PAGE (data));
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
add_invoice (RelanceStore *store,
             gint64        client_id,
             const char   *number,
             const char   *issue,
             const char   *due,
             gint64        total)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice invoice = { 0 };

  invoice.number = (char *) number;
  invoice.client_id = client_id;
  g_assert_true (relance_date_from_iso (issue, &invoice.issue_date));
  g_assert_true (relance_date_from_iso (due, &invoice.due_date));
  invoice.total = total;
  invoice.currency = (char *) "EUR";
  invoice.status = (char *) "open";
  g_date_clear (&invoice.promise_date, 1);
  relance_store_save_invoice (store, &invoice, &error);
  g_assert_no_error (error);
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

  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  g_mkdir_with_parents (dir, 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  client.name = (char *) "Blue Harbour Ltd";
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);
  add_invoice (store, client.id, "A", "2026-03-01", "2026-03-31", 50000);
  add_invoice (store, client.id, "B", "2026-02-01", "2026-03-01", 20000);
  add_invoice (store, client.id, "C", "2025-12-25", "2026-01-24", 30000);
  add_invoice (store, client.id, "D", "2025-10-11", "2025-11-10", 100000);

  window = gtk_window_new ();
  page = g_object_new (RELANCE_TYPE_DASHBOARD_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 800);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (page_loaded, page, "the figures are computed");
  while (g_main_context_iteration (NULL, FALSE))
    ;

  collect_labels (page, text);
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

  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL || *system_data_dirs == '\0')
    {
      g_free (system_data_dirs);
      system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
    }
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();
  relance_clock_set_override (now);

  g_test_add_func ("/ui/dashboard/totals", test_dashboard_totals);

  return g_test_run ();
}
