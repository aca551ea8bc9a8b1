/* test-documents.c: the documents of an invoice's page (the formal notice printed through
 * GtkPrintOperation, the proof export) and the window-wide banner of the global pause, on
 * the real window, in process, under Xvfb. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relance-application.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-invoice-view.h"
#include "relance-invoices-page.h"
#include "relance-planner.h"
#include "relance-store.h"
#include "relance-window.h"

#include "ui-test-common.h"

/* A French company, a client and two invoices: F-1 overdue since 4 February, F-2 paid. */
static void
write_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  RelanceClient client = { 0 };
  static const char *numbers[] = { "F-1", "F-2" };
  GDate paid_on;

  g_assert_no_error (error);
  company = relance_store_get_company (store, &error);
  g_assert_no_error (error);
#define SET(field, value) (g_free (company->field), company->field = g_strdup (value))
  SET (name, "Atelier Dupré SARL");
  SET (address, "12 rue de la République\n69002 Lyon");
  SET (country, "FR");
  SET (siret, "123 456 789 00012");
  SET (iban, "FR76 3000 6000 0112 3456 7890 189");
  SET (bic, "BNPAFRPPXXX");
  SET (currency, "EUR");
  SET (language, "fr");
#undef SET
  g_assert_true (relance_store_set_company (store, company, &error));
  g_assert_no_error (error);

  client.name = (char *) "Boulangerie Martin";
  client.email = (char *) "compta@martin.example";
  client.language = (char *) "fr";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      RelanceInvoice invoice = { 0 };

      invoice.number = (char *) numbers[i];
      invoice.client_id = client.id;
      g_assert_true (relance_date_from_iso ("2026-01-05", &invoice.issue_date));
      g_assert_true (relance_date_from_iso ("2026-02-04", &invoice.due_date));
      invoice.total = 123456;
      invoice.currency = (char *) "EUR";
      invoice.status = (char *) "open";
      g_date_clear (&invoice.promise_date, 1);
      relance_store_save_invoice (store, &invoice, &error);
      g_assert_no_error (error);
    }
  g_date_set_dmy (&paid_on, 20, 2, 2026);
  payment = relance_store_pay (store, "F-2", -1, &paid_on, &error);
  g_assert_no_error (error);
}

/* The application on @path, up to its loaded RelanceWindow. */
static RelanceApplication *
start_window (const char  *path,
              GtkWidget  **out_window)
{
  RelanceApplication *app = relance_test_start_application (path, out_window);

  g_assert_true (RELANCE_IS_WINDOW (*out_window));
  return app;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static RelanceInvoiceView *
open_invoice (GtkWidget  *window,
              const char *number)
{
  RelanceInvoiceView *view;

  relance_window_show_invoice (RELANCE_WINDOW (window), number);
  view = RELANCE_INVOICE_VIEW (relance_test_find_descendant_of_type (window,
                                                                     RELANCE_TYPE_INVOICE_VIEW));
  g_assert_nonnull (view);
  g_assert_cmpstr (relance_invoice_view_get_number (view), ==, number);
  relance_test_iterate_until (widget_mapped, view, "the invoice's page shows");
  return view;
}

static gboolean
file_written (gpointer data)
{
  GStatBuf buf;

  return g_stat (data, &buf) == 0 && buf.st_size > 4;
}

static void
assert_pdf (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
}

static void
test_buttons_and_proof (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *proof = g_build_filename (g_get_user_data_dir (), "proof-F-1.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (proof);
  RelanceInvoiceView *view;
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *print;
  GtkWidget *export;

  write_database (path);
  app = start_window (path, &window);
  view = open_invoice (window, "F-1");

  print = relance_invoice_view_get_print_button (view);
  export = relance_invoice_view_get_export_button (view);
  relance_test_iterate_until (widget_mapped, print, "the print button shows");
  g_assert_true (gtk_widget_is_sensitive (print));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (print)), ==, "_Print Formal Notice…");

  /* The client has no postal address: said before the letter is printed. */
  {
    AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_ancestor (print, ADW_TYPE_ACTION_ROW));
    RelanceStore *store = relance_application_get_store (app);
    g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, "F-1", NULL);
    g_autoptr(RelanceClient) client = relance_store_get_client (store, invoice->client_id, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                     "The client has no postal address: this letter cannot be posted as it "
                     "is. Add the address in the client’s details.");
    client->street = g_strdup ("12 rue des Lilas");
    client->postcode = g_strdup ("74000");
    client->city = g_strdup ("Annecy");
    g_assert_true (relance_store_save_client (store, client, &error));
    g_assert_no_error (error);
    relance_invoice_view_reload (view);
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                     "The letter to send by registered mail, with penalties and a deadline");
  }
  g_assert_true (gtk_widget_get_mapped (export));
  g_assert_true (gtk_widget_is_sensitive (export));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (export)), ==, "_Export Proof…");

  /* The export writes its file from a worker thread. */
  relance_invoice_view_export_proof (view, file);
  relance_test_iterate_until (file_written, proof, "the proof is written");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_pdf (proof);

  /* A paid invoice has no formal notice to print. */
  view = open_invoice (window, "F-2");
  g_assert_false (gtk_widget_get_mapped (relance_invoice_view_get_print_button (view)));
  g_assert_true (gtk_widget_get_mapped (relance_invoice_view_get_export_button (view)));

  relance_test_stop_application (app);
}

static void
test_print_operation_exports (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *pdf = g_build_filename (g_get_user_data_dir (), "notice.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  RelanceInvoiceView *view;
  RelanceApplication *app;
  GtkPrintOperationResult result;
  GtkWidget *window;

  write_database (path);
  app = start_window (path, &window);
  view = open_invoice (window, "F-1");

  operation = relance_invoice_view_new_print_operation (view, &error);
  g_assert_no_error (error);
  g_assert_nonnull (operation);
  gtk_print_operation_set_export_filename (operation, pdf);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                    GTK_WINDOW (window), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  assert_pdf (pdf);
  g_clear_object (&operation);

  /* The paid one is refused with a sentence. */
  view = open_invoice (window, "F-2");
  operation = relance_invoice_view_new_print_operation (view, &error);
  g_assert_null (operation);
  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error->message), >, 10);

  relance_test_stop_application (app);
}

static gboolean
banner_shown (gpointer data)
{
  return relance_window_get_paused_banner_shown (RELANCE_WINDOW (data));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_paused_banner_everywhere (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *paused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) state = NULL;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *resume;

  write_database (path);
  app = start_window (path, &window);
  store = relance_window_get_store (RELANCE_WINDOW (window));
  relance_window_show_page (RELANCE_WINDOW (window), "invoices");
  g_assert_false (banner_shown (window));

  g_assert_true (relance_store_set_setting (store, RELANCE_SETTING_PAUSED, "true", &error));
  relance_test_iterate_until (banner_shown, window,
                              "the paused banner shows on the Invoices page");
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "pause-all");
  g_assert_true (g_variant_get_boolean (state));

  /* One banner, whatever the page. */
  relance_window_show_page (RELANCE_WINDOW (window), "clients");
  g_assert_true (banner_shown (window));

  resume = relance_test_find_button_with_label (window, "_Resume");
  g_assert_nonnull (resume);
  g_signal_emit_by_name (resume, "clicked");
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "false");
  relance_test_iterate_until (banner_hidden, window, "the paused banner hides");

  /* The primary menu's toggle pauses again. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "pause-all",
                                      g_variant_new_boolean (TRUE));
  g_clear_pointer (&paused, g_free);
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "true");
  relance_test_iterate_until (banner_shown, window, "the paused banner shows again");

  relance_test_stop_application (app);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_clock_set_override (now);

  g_test_add_data_func ("/ui/documents/buttons-and-proof",
                        test_buttons_and_proof, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/documents/print-operation-exports",
                        test_print_operation_exports, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/paused-banner-everywhere",
                        test_paused_banner_everywhere, relance_test_run_in_subprocess);

  return g_test_run ();
}
