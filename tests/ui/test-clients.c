/* test-clients.c: the Clients page of the real window, in process, under Xvfb.
 *
 * Each case writes its own database, starts a RelanceApplication on it and looks at the
 * list, a client's page and the client dialog the way the user would. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-application.h"
#include "relance-client-dialog.h"
#include "relance-client-object.h"
#include "relance-clients-page.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-message-viewer.h"
#include "relance-store.h"
#include "relance-window.h"

#include "ui-test-common.h"

static const char raw_message[] =
  "From: Acme Billing <billing@acme.example>\r\n"
  "To: alpha@example.com\r\n"
  "Subject: Invoice A-1 is overdue\r\n"
  "Message-ID: <reminder-1@acme.example>\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "\r\n"
  "Hello, invoice A-1 was due on 20 February.\r\n";

/* Alpha owes A-1 (overdue) and A-2 (not due), and got one reminder; Beta owes nothing;
 * Gamma has no invoice at all. */
static void
write_clients (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelancePayment) payment = NULL;
  gint64 alpha;
  gint64 beta;
  GDate paid_on;

  g_assert_no_error (error);
  alpha = relance_test_add_client (store, "Alpha SARL", "alpha@example.com");
  beta = relance_test_add_client (store, "Beta Ltd", "beta@example.com");
  relance_test_add_client (store, "Gamma Studio", "gamma@example.com");
  relance_test_add_invoice (store, alpha, "A-1", "2026-01-21", "2026-02-20", 120000);
  relance_test_add_invoice (store, alpha, "A-2", "2026-03-01", "2026-03-31", 30000);
  relance_test_add_invoice (store, beta, "B-1", "2026-01-21", "2026-02-20", 45000);
  g_date_clear (&paid_on, 1);
  g_date_set_dmy (&paid_on, 1, G_DATE_MARCH, 2026);
  payment = relance_store_pay (store, "B-1", -1, &paid_on, &error);
  g_assert_no_error (error);

  relance_test_add_sent_reminder (store, "A-1", &(RelanceOutboxRow) {
                                    .channel = "email", .tone = "courteous", .step_offset = 7,
                                    .template_key = "courteous", .state = "sent",
                                    .recipients = "alpha@example.com",
                                    .subject = "Invoice A-1 is overdue",
                                    .message_id = "<reminder-1@acme.example>",
                                    /* 5 March 2026, 09:00 UTC */
                                    .scheduled_at = 1772701200, .queued_at = 1772701200,
                                    .sent_at = 1772701200 },
                                  raw_message);
}

static gboolean
page_loaded (gpointer data)
{
  return !relance_clients_page_is_loading (RELANCE_CLIENTS_PAGE (data));
}

static RelanceClientsPage *
open_clients (const char          *path,
              RelanceApplication **out_app,
              GtkWidget          **out_window)
{
  GtkWidget *page;

  *out_app = relance_test_start_application (path, out_window);
  g_assert_true (RELANCE_IS_WINDOW (*out_window));
  relance_window_show_page (RELANCE_WINDOW (*out_window), "clients");
  page = relance_test_find_descendant_of_type (*out_window, RELANCE_TYPE_CLIENTS_PAGE);
  g_assert_nonnull (page);
  relance_test_iterate_until (page_loaded, page, "the clients are loaded");
  return RELANCE_CLIENTS_PAGE (page);
}

static RelanceClientObject *
client_at (GListModel *model,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelanceClientObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (relance_client_object_get_client (object)->name, name) == 0)
        return object;
    }
  return NULL;
}

/* The clients list (combo rows hold list views of their own). */
static GtkWidget *
find_rich_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "rich-list"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_rich_list (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
model_has_n (gpointer data)
{
  GListModel *model = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return g_list_model_get_n_items (model) == n;
}

static void
test_list_totals_and_search (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceClientsPage *page;
  RelanceApplication *app;
  RelanceClientObject *alpha;
  RelanceClientObject *beta;
  GtkWidget *window;
  GtkWidget *search;
  GListModel *model;

  write_clients (path);
  page = open_clients (path, &app, &window);
  model = relance_clients_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Alpha owes 1 200 + 300, of which 1 200 is late; Beta paid everything. */
  alpha = client_at (model, "Alpha SARL");
  g_assert_nonnull (alpha);
  g_assert_nonnull (strstr (relance_client_object_get_outstanding (alpha), "1,500.00"));
  g_assert_nonnull (strstr (relance_client_object_get_overdue (alpha), "1,200.00"));
  beta = client_at (model, "Beta Ltd");
  g_assert_cmpstr (relance_client_object_get_outstanding (beta), ==, "");
  g_assert_cmpstr (relance_client_object_get_overdue (beta), ==, "");
  relance_test_wait_for_text (GTK_WIDGET (page), "overdue", "the list says what is overdue");

  /* Search as you type, on the name and the email. */
  search = relance_test_find_descendant_of_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (search), "beta");
  relance_test_iterate_until (model_has_n, (gpointer[]) { model, GUINT_TO_POINTER (1) },
                              "the search keeps one client");
  g_assert_nonnull (client_at (model, "Beta Ltd"));
  gtk_editable_set_text (GTK_EDITABLE (search), "gamma@");
  relance_test_iterate_until (model_has_n, (gpointer[]) { model, GUINT_TO_POINTER (1) },
                              "the search matches the email");
  g_assert_nonnull (client_at (model, "Gamma Studio"));
  gtk_editable_set_text (GTK_EDITABLE (search), "nobody");
  relance_test_iterate_until (model_has_n, (gpointer[]) { model, GUINT_TO_POINTER (0) },
                              "the search matches nobody");
  relance_test_wait_for_text (GTK_WIDGET (page), "No Client Found", "the page says nobody matches");

  relance_test_stop_application (app);
}

static void
test_client_page (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *text = NULL;
  RelanceClientsPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkListBoxRow *row;
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *viewer;
  GtkListView *list;
  guint position = G_MAXUINT;
  GListModel *model;

  write_clients (path);
  page = open_clients (path, &app, &window);
  store = relance_application_get_store (app);

  /* Open Alpha as a click on its row does. */
  model = relance_clients_page_get_model (page);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelanceClientObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (relance_client_object_get_client (object)->name, "Alpha SARL") == 0)
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  list = GTK_LIST_VIEW (find_rich_list (GTK_WIDGET (page)));
  g_signal_emit_by_name (list, "activate", position);
  relance_test_wait_for_text (GTK_WIDGET (page), "alpha@example.com",
                              "the client's page shows their contact");

  /* Both invoices, newest due date first, with what is outstanding and their state. */
  row = gtk_list_box_get_row_at_index (relance_clients_page_get_invoices (page), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "A-2");
  row = gtk_list_box_get_row_at_index (relance_clients_page_get_invoices (page), 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "A-1");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Open"));
  g_assert_null (gtk_list_box_get_row_at_index (relance_clients_page_get_invoices (page), 2));

  /* The timeline: one reminder, time · state · channel, and its stored message. */
  row = gtk_list_box_get_row_at_index (relance_clients_page_get_timeline (page), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Invoice A-1 is overdue");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Sent"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Email"));
  g_assert_null (gtk_list_box_get_row_at_index (relance_clients_page_get_timeline (page), 1));
  button = relance_test_find_descendant_of_type (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  g_signal_emit_by_name (button, "clicked");
  viewer = relance_test_find_toplevel_of_type (RELANCE_TYPE_MESSAGE_VIEWER);
  g_assert_nonnull (viewer);
  text = relance_message_viewer_get_text (RELANCE_MESSAGE_VIEWER (viewer));
  g_assert_nonnull (strstr (text, "invoice A-1 was due on 20 February"));
  gtk_window_destroy (GTK_WINDOW (viewer));

  /* Pausing from the page writes it at once. */
  gtk_switch_set_active (GTK_SWITCH (relance_test_find_descendant_of_type (GTK_WIDGET (page),
                                                                           GTK_TYPE_SWITCH)), TRUE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceClient) client = relance_store_find_client (store, "Alpha SARL", &error);

    g_assert_no_error (error);
    g_assert_true (client->paused);
  }

  /* A client with invoices cannot be deleted: the dialog says why. */
  gtk_widget_activate_action (GTK_WIDGET (page), "clients.delete", NULL);
  {
    GtkWidget *dialog = relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                     "This Client Has Invoices");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  relance_test_stop_application (app);
}

static void
test_delete_confirmed (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) gamma = NULL;
  g_autoptr(RelanceClient) gone = NULL;
  RelanceClientsPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *dialog;

  write_clients (path);
  page = open_clients (path, &app, &window);
  store = relance_application_get_store (app);
  gamma = relance_store_find_client (store, "Gamma Studio", &error);
  g_assert_no_error (error);

  relance_clients_page_show_client (page, gamma->id);
  gtk_widget_activate_action (GTK_WIDGET (page), "clients.delete", NULL);
  dialog = relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Delete Gamma Studio?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "delete"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  gone = relance_store_find_client (store, "Gamma Studio", NULL);
  g_assert_null (gone);
  relance_test_iterate_until (page_loaded, page, "the clients are loaded again");
  g_assert_cmpuint (g_list_model_get_n_items (relance_clients_page_get_model (page)), ==, 2);

  relance_test_stop_application (app);
}

static void
type_into (RelanceClientDialog *dialog,
           const char          *field,
           const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (relance_client_dialog_get_field (dialog, field)), text);
}

static void
test_dialog_validates (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) saved = NULL;
  RelanceClientsPage *page;
  RelanceApplication *app;
  RelanceClientDialog *dialog;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *save;
  GtkLabel *email_error;

  write_clients (path);
  page = open_clients (path, &app, &window);
  store = relance_application_get_store (app);

  gtk_widget_activate_action (GTK_WIDGET (page), "clients.add", NULL);
  dialog = RELANCE_CLIENT_DIALOG (relance_test_find_toplevel_of_type (RELANCE_TYPE_CLIENT_DIALOG));
  g_assert_nonnull (dialog);
  save = relance_client_dialog_get_save_button (dialog);
  email_error = relance_client_dialog_get_error_label (dialog, "email");

  /* Nothing typed: Save waits, without scolding. */
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (email_error)));

  /* A bad address: the reason shows under the field and Save stays insensitive. */
  type_into (dialog, "name", "Delta & Co");
  type_into (dialog, "email", "accounts at delta");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (email_error)));
  g_assert_nonnull (strstr (gtk_label_get_text (email_error), "not an email address"));
  g_assert_true (gtk_widget_has_css_class (relance_client_dialog_get_field (dialog, "email"),
                                           "error"));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* A bad time zone too. */
  type_into (dialog, "email", "accounts@delta.example");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (email_error)));
  type_into (dialog, "timezone", "Europe/Atlantis");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (relance_client_dialog_get_error_label (dialog, "timezone"))));
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (dialog, "timezone", "Europe/Paris");
  g_assert_true (gtk_widget_get_sensitive (save));

  /* The name is required: emptied, the reason shows. */
  type_into (dialog, "name", "");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (relance_client_dialog_get_error_label (dialog, "name"))));
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (dialog, "name", "Delta & Co");

  /* The postal address: street lines, postcode, city and a two-letter country. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (relance_client_dialog_get_street_view (
                              dialog)), "Bâtiment B\n 4 allée des Tilleuls \n\n", -1);
  type_into (dialog, "postcode", "33000");
  type_into (dialog, "city", "Bordeaux");
  type_into (dialog, "country", "France");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (relance_client_dialog_get_error_label (dialog, "country"))));
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (dialog, "country", "fr");
  g_assert_true (gtk_widget_get_sensitive (save));

  g_signal_emit_by_name (save, "clicked");
  saved = relance_store_find_client (store, "Delta & Co", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->email, ==, "accounts@delta.example");
  g_assert_cmpstr (saved->timezone, ==, "Europe/Paris");
  g_assert_cmpstr (saved->street, ==, "Bâtiment B\n4 allée des Tilleuls");
  g_assert_cmpstr (saved->postcode, ==, "33000");
  g_assert_cmpstr (saved->city, ==, "Bordeaux");
  g_assert_cmpstr (saved->country, ==, "FR");
  /* The new client's page opens. */
  relance_test_wait_for_text (GTK_WIDGET (page), "accounts@delta.example",
                              "the new client's page shows");

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

  g_test_add_data_func ("/ui/clients/list-totals-search", test_list_totals_and_search,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/clients/client-page", test_client_page,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/clients/delete-confirmed", test_delete_confirmed,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/clients/dialog-validates", test_dialog_validates,
                        relance_test_run_in_subprocess);

  return g_test_run ();
}
