/* test-window.c: the real main window, in process, under Xvfb.
 *
 * Each case writes its own database in a temporary directory, starts a RelanceApplication
 * on it (non-unique, as any database but the default), and looks at what is on screen by
 * walking the widget tree once the window is mapped. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "relance-application.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-invoice-dialog.h"
#include "relance-invoice-model.h"
#include "relance-invoice-object.h"
#include "relance-invoice-view.h"
#include "relance-invoices-page.h"
#include "relance-message-viewer.h"
#include "relance-store-outbox.h"
#include "relance-store.h"
#include "relance-window.h"

#include "ui-test-common.h"

#include "../relance-test-sql.h"

/* The window's own stack: the one with an "empty" page (AdwApplicationWindow has others). */
static GtkStack *
find_main_stack (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "empty"))
    return GTK_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_main_stack (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
window_loaded (gpointer data)
{
  return !relance_window_is_loading (RELANCE_WINDOW (data));
}

/* The invoices are read in a worker thread: waits until the list has them. */
static void
wait_loaded (GtkWidget *window)
{
  relance_test_iterate_until (window_loaded, window, "the invoices are loaded");
}

static void
test_window_lists_invoices (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceApplication *app;
  GtkWidget *window;
  GListModel *model;
  GtkStack *stack;
  g_autofree char *text = NULL;
  static const char *numbers[] = { "F-2026-001", "F-2026-002", "F-2026-003" };

  {
    g_autoptr(RelanceStore) store = relance_store_open (path, &error);
    g_autoptr(RelancePayment) payment = NULL;
    GDate paid_on;
    gint64 acme;
    gint64 dupont;

    g_assert_no_error (error);
    acme = relance_test_add_client (store, "Acme Widgets Ltd", "accounts@example.com");
    dupont = relance_test_add_client (store, "Boulangerie Dupont", "accounts@example.com");
    relance_test_add_invoice (store, acme, numbers[0], "2026-01-05", "2026-02-04", 123456);
    relance_test_add_invoice (store, dupont, numbers[1], "2026-02-01", "2026-03-03", 50000);
    relance_test_add_invoice (store, acme, numbers[2], "2026-02-15", "2026-03-17", 990);
    g_date_set_dmy (&paid_on, 20, 2, 2026);
    payment = relance_store_pay (store, numbers[0], -1, &paid_on, &error);
    g_assert_no_error (error);
  }

  app = relance_test_start_application (path, &window);
  g_assert_true (RELANCE_IS_WINDOW (window));
  /* A development build is told apart at a glance by its striped header bar. */
  g_assert_cmpint (gtk_widget_has_css_class (window, "devel"), ==, DEVELOPMENT_BUILD);

  model = relance_window_get_model (RELANCE_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Sorted by due date, the oldest first. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RelanceInvoiceObject) row = g_list_model_get_item (model, i);

      g_assert_cmpstr (relance_invoice_object_get_number (row), ==, numbers[i]);
    }

  stack = find_main_stack (window);
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "invoices");

  relance_test_wait_for_text (window, numbers[2], "the last row shows");
  text = relance_test_visible_text (window);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_assert_nonnull (strstr (text, numbers[i]));
  g_assert_nonnull (strstr (text, "Acme Widgets Ltd"));
  g_assert_nonnull (strstr (text, "Boulangerie Dupont"));
  /* Column titles, a translated status and a formatted amount. */
  g_assert_nonnull (strstr (text, "Outstanding"));
  g_assert_nonnull (strstr (text, "Paid\n"));
  g_assert_nonnull (strstr (text, "Open\n"));
  g_assert_nonnull (strstr (text, "17 Mar 2026"));
  g_assert_nonnull (strstr (text, "500.00"));
  g_assert_null (strstr (text, "No Invoices Yet"));

  relance_test_stop_application (app);
}

static void
test_window_sorts_by_outstanding (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) columns = NULL;
  GtkColumnViewColumn *outstanding = NULL;
  RelanceApplication *app;
  GtkColumnView *view;
  GtkWidget *window;
  GListModel *model;
  static const struct { const char *number; gint64 total; } rows[] = {
    { "A-1", 20000 }, { "A-2", 300 }, { "A-3", 4500000 }, { "A-10", 71000 },
  };
  static const char *descending[] = { "A-3", "A-10", "A-1", "A-2" };

  {
    g_autoptr(RelanceStore) store = relance_store_open (path, &error);
    gint64 client;

    g_assert_no_error (error);
    client = relance_test_add_client (store, "Client", "accounts@example.com");
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      relance_test_add_invoice (store, client, rows[i].number, "2026-01-01", "2026-01-31",
                                rows[i].total);
  }

  app = relance_test_start_application (path, &window);
  view = GTK_COLUMN_VIEW (relance_test_find_descendant_of_type (window, GTK_TYPE_COLUMN_VIEW));
  columns = g_object_ref (gtk_column_view_get_columns (view));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_nonnull (gtk_column_view_column_get_sorter (column));
      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Outstanding") == 0)
        outstanding = column;
    }
  g_assert_nonnull (outstanding);

  /* Amounts sort as numbers, not as text ("45 000.00" > "710.00"). */
  gtk_column_view_sort_by_column (view, outstanding, GTK_SORT_DESCENDING);
  model = relance_window_get_model (RELANCE_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (descending));
  for (guint i = 0; i < G_N_ELEMENTS (descending); i++)
    {
      g_autoptr(RelanceInvoiceObject) row = g_list_model_get_item (model, i);

      g_assert_cmpstr (relance_invoice_object_get_number (row), ==, descending[i]);
    }

  relance_test_stop_application (app);
}

static void
test_window_empty_state (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *visible;
  GtkWidget *button;
  GtkStack *stack;

  app = relance_test_start_application (path, &window);
  g_assert_cmpuint (g_list_model_get_n_items (relance_window_get_model (RELANCE_WINDOW (window))),
                    ==, 0);

  stack = find_main_stack (window);
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  visible = gtk_stack_get_visible_child (stack);
  g_assert_true (ADW_IS_STATUS_PAGE (visible));

  relance_test_wait_for_text (window, "No Invoices Yet", "the empty state shows");

  /* The suggested action of the empty page starts an import. */
  button = relance_test_find_button_with_action (visible, "app.import");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "import"));

  relance_test_stop_application (app);
}

static void write_three_invoices (const char *path);

/* The view switcher the header bar shows (AdwViewSwitcherTitle maps one of its two). */
static AdwViewSwitcher *
find_mapped_switcher (GtkWidget *widget)
{
  if (ADW_IS_VIEW_SWITCHER (widget) && gtk_widget_get_mapped (widget))
    return ADW_VIEW_SWITCHER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewSwitcher *found = find_mapped_switcher (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* The narrowest the window's content can be (what the user sees: without the frame and
 * shadows the toolkit adds around it). */
static int
content_minimum_width (GtkWidget *window)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  int minimum, natural;

  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum;
}

static gboolean
narrow_enough (gpointer data)
{
  return content_minimum_width (GTK_WIDGET (data)) <= 360;
}

/* GNOME's header layout (a close button only), in @language: at its default size the header
 * bar has room for the wide switcher (icons beside the labels) rather than falling back to
 * the narrow one, and the window goes down to a phone's 360 pixels. */
static void
check_window_widths (const char *language)
{
  g_autofree char *path = relance_test_new_database_path ();
  const char *localedir = g_getenv ("RELANCE_LOCALEDIR");
  RelanceApplication *app;
  GtkWidget *window;
  AdwViewSwitcher *switcher;

  if (g_str_equal (language, "fr"))
    {
      if (localedir == NULL || setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
        {
          g_test_skip ("No French locale or no built translations");
          return;
        }
      g_setenv ("LANGUAGE", "fr", TRUE);
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  write_three_invoices (path);
  app = relance_test_start_application (path, &window);
  relance_test_iterate_until (window_mapped, window, "the window is shown");
  if (g_str_equal (language, "fr"))
    relance_test_wait_for_text (window, "Factures", "the window speaks French");

  switcher = find_mapped_switcher (window);
  g_test_message ("%s: shown %d pixels wide", language, gtk_widget_get_width (window));
  g_assert_nonnull (switcher);
  g_assert_cmpint (adw_view_switcher_get_policy (switcher), ==, ADW_VIEW_SWITCHER_POLICY_WIDE);

  /* Asked for 360 pixels, the window gets as narrow as it can, which makes the invoice
   * list give up its secondary columns; then it fits a phone's 360 pixels. */
  gtk_widget_set_visible (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  gtk_window_present (GTK_WINDOW (window));
  relance_test_iterate_until (narrow_enough, window, "the window can be 360 pixels wide");
  g_test_message ("%s: narrowest content %d pixels", language, content_minimum_width (window));

  relance_test_stop_application (app);
}

static void
test_window_widths_en (void)
{
  check_window_widths ("en");
}

static void
test_window_widths_fr (void)
{
  check_window_widths ("fr");
}

static void
count_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
time_is_up (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* An idle window draws nothing: pages not shown (their "loading" spinners were animated
 * by GTK even there) must not keep it painting 60 frames a second. */
static void
test_window_idle_still (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GdkFrameClock *clock;
  guint frames = 0;
  gint64 until;

  write_three_invoices (path);
  app = relance_test_start_application (path, &window);
  wait_loaded (window);
  relance_test_wait_for_text (window, "F-2026-003", "the list shows");
  /* Transitions and the pages' first loads end. */
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  relance_test_iterate_until (time_is_up, &until, "two seconds pass");

  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &frames);
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  relance_test_iterate_until (time_is_up, &until, "one second passes");
  g_signal_handlers_disconnect_by_func (clock, count_frame_cb, &frames);
  /* A blinking text cursor may draw a few; an animation draws about 60. */
  g_assert_cmpuint (frames, <, 10);

  relance_test_stop_application (app);
}

static void
test_window_restores_size (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  RelanceApplication *app;
  GtkWidget *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 777);
  g_settings_set_int (settings, "window-height", 555);

  app = relance_test_start_application (path, &window);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  /* Closing saves the size it has now. */
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);

  relance_test_stop_application (app);
}

static AdwMessageDialog *
find_mapped_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_mapped (toplevel))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
dialog_is_shown (gpointer data)
{
  return find_mapped_dialog () != NULL;
}

/* Imports @contents through the window, as the Import button does after the file chooser,
 * and returns the dialog that reports the outcome. */
static AdwMessageDialog *
import_through_window (GtkWidget  *window,
                       const char *file_name,
                       const char *contents)
{
  g_autofree char *csv = g_build_filename (g_get_tmp_dir (), file_name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (csv, contents, -1, &error);
  g_assert_no_error (error);

  g_assert_null (find_mapped_dialog ());
  relance_window_import_file (RELANCE_WINDOW (window), file);
  relance_test_iterate_until (dialog_is_shown, NULL, "the import reports its outcome");
  wait_loaded (window);
  return find_mapped_dialog ();
}

static void
test_window_imports_csv (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GListModel *model;
  const char *body;

  app = relance_test_start_application (path, &window);
  model = relance_window_get_model (RELANCE_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  dialog = import_through_window (window, "invoices.csv",
    "Invoice number,Client,Email,Issue date,Due date,Total,Currency\n"
    "INV-101,Acme Widgets Ltd,accounts@acme.example,05/01/2026,04/02/2026,1200.00,GBP\n"
    "INV-102,Acme Widgets Ltd,accounts@acme.example,01/02/2026,03/03/2026,80.50,GBP\n");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Complete");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "2 new invoices"));
  g_assert_nonnull (strstr (body, "0 invoices updated"));

  /* The list shows what was imported, without a restart. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (find_main_stack (window)), ==, "invoices");
  relance_test_wait_for_text (window, "INV-102", "the new rows show");

  relance_test_stop_application (app);
}

static void
test_window_import_refused (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  const char *body;

  app = relance_test_start_application (path, &window);
  dialog = import_through_window (window, "broken.csv",
    "Invoice number,Client,Issue date,Due date,Total,Currency\n"
    "INV-201,Acme Widgets Ltd,05/01/2026,04/02/2026,1200.00,GBP\n"
    "INV-202,Acme Widgets Ltd,01/02/2026,31/02/2026,80.50,GBP\n");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import Failed");
  body = adw_message_dialog_get_body (dialog);
  g_assert_true (g_str_has_prefix (body, "Nothing was imported."));
  /* Each refused row is named by file and line. */
  g_assert_nonnull (strstr (body, "broken.csv:3:"));

  /* All or nothing: the good row was not written either. */
  g_assert_cmpuint (g_list_model_get_n_items (relance_window_get_model (RELANCE_WINDOW (window))),
                    ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (find_main_stack (window)), ==, "empty");

  relance_test_stop_application (app);
}

static gboolean
application_shows_dialog (gpointer data)
{
  for (GList *l = gtk_application_get_windows (data); l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      return TRUE;
  return FALSE;
}

static void
test_unreadable_database (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  RelanceApplication *app;
  GtkWidget *window;
  AdwMessageDialog *dialog;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "This is a shopping list, not a database.\n"
                       "Eggs, flour, butter, sugar, and far more than a hundred bytes of it.\n",
                       -1, &error);
  g_assert_no_error (error);

  /* No crash and no invoice window: one dialog that says why. */
  app = relance_test_start_application (path, &window);
  g_assert_null (relance_application_get_store (app));
  g_assert_false (RELANCE_IS_WINDOW (window));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window));
  relance_test_iterate_until (application_shows_dialog, app, "the error dialog shows");

  dialog = ADW_MESSAGE_DIALOG (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open the Database");
  g_assert_cmpuint (strlen (adw_message_dialog_get_body (dialog)), >, 10);
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (dialog), "."));

  relance_test_stop_application (app);
}

static void
test_about_window (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  AdwAboutWindow *about = NULL;

  app = relance_test_start_application (path, &window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  if (about == NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

          if (ADW_IS_ABOUT_WINDOW (toplevel))
            about = ADW_ABOUT_WINDOW (toplevel);
        }
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Relance");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  gtk_window_destroy (GTK_WINDOW (about));
  relance_test_stop_application (app);
}

/* The three invoices of lists-invoices: F-2026-001 paid, F-2026-002 overdue on
 * 10 March 2026, F-2026-003 not due yet. */
static void
write_three_invoices (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelancePayment) payment = NULL;
  GDate paid_on;
  gint64 acme;
  gint64 dupont;

  g_assert_no_error (error);
  acme = relance_test_add_client (store, "Acme Widgets Ltd", "accounts@example.com");
  dupont = relance_test_add_client (store, "Boulangerie Dupont", "accounts@example.com");
  relance_test_add_invoice (store, acme, "F-2026-001", "2026-01-05", "2026-02-04", 123456);
  relance_test_add_invoice (store, dupont, "F-2026-002", "2026-02-01", "2026-03-03", 50000);
  relance_test_add_invoice (store, acme, "F-2026-003", "2026-02-15", "2026-03-17", 990);
  g_date_set_dmy (&paid_on, 20, 2, 2026);
  payment = relance_store_pay (store, "F-2026-001", -1, &paid_on, &error);
  g_assert_no_error (error);
}

static RelanceInvoicesPage *
find_invoices_page (GtkWidget *window)
{
  GtkWidget *page = relance_test_find_descendant_of_type (window, RELANCE_TYPE_INVOICES_PAGE);

  g_assert_nonnull (page);
  return RELANCE_INVOICES_PAGE (page);
}

typedef struct
{
  GListModel *model;
  guint       n_items;
} CountWait;

static gboolean
model_has_count (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n_items;
}

static void
wait_for_count (GListModel *model,
                guint       n_items,
                const char *what)
{
  relance_test_iterate_until (model_has_count, &(CountWait) { model, n_items }, what);
}

static const char *
number_at (GListModel *model,
           guint       position)
{
  g_autoptr(RelanceInvoiceObject) row = g_list_model_get_item (model, position);

  /* The string belongs to the row, which the model keeps. */
  return relance_invoice_object_get_number (row);
}

static GtkToggleButton *
find_toggle_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_TOGGLE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_toggle_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_invoices_search (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GListModel *model;
  GtkWidget *entry;
  static const struct { const char *text; guint n_rows; const char *first; } cases[] = {
    { "dupont", 1, "F-2026-002" },
    /* Case and accents do not matter: "DÛPONT" finds "Dupont". */
    { "DÛPONT", 1, "F-2026-002" },
    { "acme", 2, "F-2026-001" },
    { "2026-003", 1, "F-2026-003" },
    { "f-2026", 3, "F-2026-001" },
    { "nobody", 0, NULL },
    { "", 3, "F-2026-001" },
  };

  write_three_invoices (path);
  app = relance_test_start_application (path, &window);
  model = relance_window_get_model (RELANCE_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Typing goes through the search entry, as a person's keys would. */
  entry = relance_test_find_descendant_of_type (window, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      static const char *numbers[] = { "F-2026-001", "F-2026-002", "F-2026-003" };
      g_autofree char *text = NULL;

      gtk_editable_set_text (GTK_EDITABLE (entry), cases[i].text);
      wait_for_count (model, cases[i].n_rows, cases[i].text);
      if (cases[i].first == NULL)
        continue;
      g_assert_cmpstr (number_at (model, 0), ==, cases[i].first);

      /* The rows on screen are the matches, and only them: the list moves its row widgets
       * from the old rows to the new ones (RelanceInvoiceQueryScrollFunc). */
      relance_test_wait_for_text (window, cases[i].first, "the first match shows");
      text = relance_test_visible_text (window);
      for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
        {
          gboolean matches = FALSE;

          for (guint n = 0; n < g_list_model_get_n_items (model); n++)
            matches |= g_strcmp0 (number_at (model, n), numbers[k]) == 0;
          if (matches)
            g_assert_nonnull (strstr (text, numbers[k]));
          else
            g_assert_null (strstr (text, numbers[k]));
        }
    }

  /* No match shows a status page, not an empty table. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nobody");
  wait_for_count (model, 0, "nothing matches");
  relance_test_wait_for_text (window, "No Matching Invoices", "the no-results page shows");

  relance_test_stop_application (app);
}

/* A search that changes only rows below the screen leaves the list where it is: the rows
 * a person is reading do not jump away under the search entry. */
static void
test_invoices_search_keeps_position (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *entry;
  GtkWidget *view;
  GListModel *model;
  GtkAdjustment *adjustment;
  gint64 until;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceStore) store = relance_store_open (path, &error);
    gint64 alpha, beta, gamma;

    g_assert_no_error (error);
    alpha = relance_test_add_client (store, "Keep Alpha", "a@example.com");
    beta = relance_test_add_client (store, "Keep Beta", "b@example.com");
    gamma = relance_test_add_client (store, "Other Gamma", "g@example.com");
    /* By due date: 100 rows of Alpha first, then Beta and Gamma in turn. */
    for (guint i = 0; i < 300; i++)
      {
        g_autofree char *number = g_strdup_printf ("K-%03u", i);
        g_autofree char *due = g_strdup_printf ("2026-%02u-%02u", 1 + i / 28, 1 + i % 28);

        relance_test_add_invoice (store, i < 100 ? alpha : i % 2 ? beta : gamma, number,
                                  "2025-12-01", due, 1000);
      }
  }

  app = relance_test_start_application (path, &window);
  wait_loaded (window);
  model = relance_window_get_model (RELANCE_WINDOW (window));
  entry = relance_test_find_descendant_of_type (window, GTK_TYPE_SEARCH_ENTRY);
  view = relance_test_find_descendant_of_type (window, GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (entry);
  g_assert_nonnull (view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  gtk_editable_set_text (GTK_EDITABLE (entry), "keep");
  wait_for_count (model, 200, "Alpha and Beta");
  relance_test_wait_for_text (window, "K-000", "the top of the list shows");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0.0);

  /* "e" also finds Gamma: rows change from the 101st on, far below the screen. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "e");
  wait_for_count (model, 300, "every invoice");
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  relance_test_iterate_until (time_is_up, &until, "the list is laid out");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0.0);
  relance_test_wait_for_text (window, "K-000", "the top of the list still shows");

  relance_test_stop_application (app);
}

static void
test_invoices_mark_paid_undo (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceInvoicesPage *page;
  RelanceApplication *app;
  GtkToggleButton *overdue;
  GtkColumnView *view;
  GtkWidget *window;
  GListModel *model;

  write_three_invoices (path);
  app = relance_test_start_application (path, &window);
  page = find_invoices_page (window);
  model = relance_window_get_model (RELANCE_WINDOW (window));

  /* Only F-2026-002 is past due on 10 March (F-2026-001 is paid). */
  overdue = find_toggle_with_label (window, "Overdue");
  g_assert_nonnull (overdue);
  gtk_toggle_button_set_active (overdue, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (number_at (model, 0), ==, "F-2026-002");

  /* Select it and mark it paid through the action bar's action. */
  view = GTK_COLUMN_VIEW (relance_test_find_descendant_of_type (window, GTK_TYPE_COLUMN_VIEW));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "invoices.undo", NULL) &&
                  FALSE);
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "invoices.mark-paid", NULL));
  wait_loaded (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceInvoice) invoice =
      relance_store_get_invoice (relance_window_get_store (RELANCE_WINDOW (window)),
                                 "F-2026-002", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (relance_invoice_get_state (invoice), ==, "paid");
  }

  /* Undo deletes the payment: the invoice is overdue again, and unpaid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "invoices.undo", NULL));
  wait_loaded (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (number_at (model, 0), ==, "F-2026-002");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceInvoice) invoice =
      relance_store_get_invoice (relance_window_get_store (RELANCE_WINDOW (window)),
                                 "F-2026-002", &error);

    g_assert_no_error (error);
    g_assert_cmpint (invoice->paid, ==, 0);
  }

  /* Dispute and undo: the stored status comes back. */
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "invoices.dispute", NULL));
  wait_loaded (window);
  gtk_toggle_button_set_active (overdue, FALSE);
  gtk_toggle_button_set_active (find_toggle_with_label (window, "Disputed"), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "invoices.undo", NULL));
  wait_loaded (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  relance_test_stop_application (app);
}

/* A client's name is the user's text: "A & B <C>" is no markup. GTK says "Failed to set
 * text … from markup" with a warning, fatal here, wherever a row took it for markup (the
 * invoice's page, the Upcoming list, the client's page). */
static void
test_window_client_name_not_markup (void)
{
  static const char name[] = "A & B <C>";
  g_autofree char *path = relance_test_new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *leaflet;

  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceStore) store = relance_store_open (path, &error);
    gint64 client;

    g_assert_no_error (error);
    client = relance_test_add_client (store, name, "accounts@example.com");
    /* Overdue: planned for a reminder on the Upcoming page too. */
    relance_test_add_invoice (store, client, "M-1", "2026-01-01", "2026-02-01", 12000);
  }

  app = relance_test_start_application (path, &window);

  /* app.show-history with a number opens that invoice's page. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-history",
                                  g_variant_new_string ("M-1"));
  leaflet = relance_test_find_descendant_of_type (GTK_WIDGET (find_invoices_page (window)),
                                                  ADW_TYPE_LEAFLET);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), ==, "invoice");
  relance_test_wait_for_text (window, name, "the invoice shows the name");

  for (guint i = 0; i < 2; i++)
    {
      static const char *pages[] = { "upcoming", "clients" };

      relance_window_show_page (RELANCE_WINDOW (window), pages[i]);
      relance_test_wait_for_text (window, name, pages[i]);
    }

  relance_test_stop_application (app);
}

static RelanceInvoiceDialog *
find_invoice_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (RELANCE_IS_INVOICE_DIALOG (toplevel))
        return RELANCE_INVOICE_DIALOG (toplevel);
    }
  return NULL;
}

static void
test_invoice_dialog_validates (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  RelanceInvoiceDialog *dialog;
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *save;
  GtkLabel *error_label;

  write_three_invoices (path);
  app = relance_test_start_application (path, &window);
  g_assert_true (gtk_widget_activate_action (window, "win.new-invoice", NULL));
  dialog = find_invoice_dialog ();
  g_assert_nonnull (dialog);
  save = relance_invoice_dialog_get_save_button (dialog);

  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "number")),
                         "F-2026-010");
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "new-client")),
                         "Café Noël");
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "issue")),
                         "01/03/2026");
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "due")),
                         "31/03/2026");
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "total")),
                         "-12");

  /* The reason is under the amount, and nothing can be saved. */
  error_label = relance_invoice_dialog_get_error_label (dialog, "total");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (error_label), "error"));
  g_assert_cmpuint (strlen (gtk_label_get_text (error_label)), >, 10);
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (relance_invoice_dialog_get_error_label (dialog, "due"))));

  /* A due date before the issue date is named under the due date. */
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "due")),
                         "01/02/2026");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (relance_invoice_dialog_get_error_label (dialog, "due"))));
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "due")),
                         "31/03/2026");

  /* An invoice number already in use is refused too. */
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "number")),
                         "F-2026-001");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (relance_invoice_dialog_get_error_label (dialog, "number"))));
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "number")),
                         "F-2026-010");

  /* Once valid, Save writes the invoice and its new client; the list shows it. */
  gtk_editable_set_text (GTK_EDITABLE (relance_invoice_dialog_get_field (dialog, "total")),
                         "1 200,50");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  wait_loaded (window);
  g_assert_cmpuint (g_list_model_get_n_items (relance_window_get_model (RELANCE_WINDOW (window))),
                    ==, 4);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelanceInvoice) invoice =
      relance_store_get_invoice (relance_window_get_store (RELANCE_WINDOW (window)),
                                 "F-2026-010", &error);

    g_assert_no_error (error);
    g_assert_cmpint (invoice->total, ==, 120050);
    g_assert_cmpstr (invoice->client_name, ==, "Café Noël");
  }

  relance_test_stop_application (app);
}

static const char raw_message[] =
  "From: Acme Billing <billing@acme.example>\r\n"
  "To: accounts@example.com\r\n"
  "Date: Tue, 10 Mar 2026 09:00:00 +0000\r\n"
  "Subject: Reminder: invoice F-2026-002\r\n"
  "Message-ID: <reminder-1@acme.example>\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "Content-Transfer-Encoding: quoted-printable\r\n"
  "\r\n"
  "Bonjour, la facture F-2026-002 est =C3=A9chue depuis le 3 mars.\r\n";

/* Writes one sent reminder about F-2026-002 into the outbox, as the sender would. */
static void
write_reminder (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);

  g_assert_no_error (error);
  relance_test_add_sent_reminder (store, "F-2026-002", &(RelanceOutboxRow) {
                                    .channel = "email", .tone = "firm", .step_offset = 7,
                                    .template_key = "firm", .state = "sent",
                                    .recipients = "accounts@example.com",
                                    .subject = "Reminder: invoice F-2026-002",
                                    .message_id = "<reminder-1@acme.example>",
                                    /* 10 March 2026, 09:00 UTC */
                                    .scheduled_at = 1773133200, .queued_at = 1773133200,
                                    .sent_at = 1773133200 },
                                  raw_message);
}

static GtkWidget *
find_viewer (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (RELANCE_IS_MESSAGE_VIEWER (toplevel))
        return toplevel;
    }
  return NULL;
}

static void
test_invoice_timeline (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *text = NULL;
  RelanceApplication *app;
  RelanceInvoiceView *invoice_view;
  GtkColumnView *view;
  GtkListBoxRow *row;
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *viewer;
  GListModel *model;
  guint position = G_MAXUINT;

  write_three_invoices (path);
  write_reminder (path);
  app = relance_test_start_application (path, &window);

  /* Open F-2026-002 as a double click or Enter on its row does. */
  model = relance_window_get_model (RELANCE_WINDOW (window));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (number_at (model, i), "F-2026-002") == 0)
      position = i;
  g_assert_cmpuint (position, !=, G_MAXUINT);
  view = GTK_COLUMN_VIEW (relance_test_find_descendant_of_type (window, GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (view, "activate", position);

  invoice_view = RELANCE_INVOICE_VIEW (
    relance_test_find_descendant_of_type (window, RELANCE_TYPE_INVOICE_VIEW));
  g_assert_cmpstr (relance_invoice_view_get_number (invoice_view), ==, "F-2026-002");
  relance_test_wait_for_text (window, "Invoice F-2026-002", "the invoice's page shows");

  /* One row in the timeline: its subject, state, time and channel. */
  row = gtk_list_box_get_row_at_index (relance_invoice_view_get_timeline (invoice_view), 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (relance_invoice_view_get_timeline (invoice_view),
                                                1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Reminder: invoice F-2026-002");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Sent"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Email"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "2026"));

  /* Show Message opens the stored bytes, decoded. */
  button = relance_test_find_descendant_of_type (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  viewer = find_viewer ();
  g_assert_nonnull (viewer);
  text = relance_message_viewer_get_text (RELANCE_MESSAGE_VIEWER (viewer));
  g_assert_nonnull (strstr (text, "From: Acme Billing <billing@acme.example>"));
  g_assert_nonnull (strstr (text, "Subject: Reminder: invoice F-2026-002"));
  g_assert_nonnull (strstr (text, "reminder-1@acme.example"));
  g_assert_nonnull (strstr (text, "est échue depuis le 3 mars."));
  gtk_window_destroy (GTK_WINDOW (viewer));

  relance_test_stop_application (app);
}

/* RelanceInvoiceModel, without a window. */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
test_invoice_model_reload (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(RelanceInvoiceModel) model = relance_invoice_model_new ("en");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(RelanceInvoiceObject) kept = NULL;
  g_autoptr(RelanceInvoiceObject) again = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  gint64 client;
  GDate today;

  g_assert_no_error (error);
  client = relance_test_add_client (store, "Client", "accounts@example.com");
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("M-%u", i);

      relance_test_add_invoice (store, client, number, "2026-01-01", "2026-01-31", 1000 * i);
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change), changes);

  g_assert_true (relance_invoice_model_reload (model, store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 5);
  kept = g_list_model_get_item (G_LIST_MODEL (model), 0);

  /* Nothing changed: nothing said, and the objects stay. */
  g_array_set_size (changes, 0);
  g_assert_true (relance_invoice_model_reload (model, store, &error));
  g_assert_cmpuint (changes->len, ==, 0);

  /* One row added (at the end, by id). */
  relance_test_add_invoice (store, client, "M-6", "2026-01-01", "2026-01-31", 6000);
  g_assert_true (relance_invoice_model_reload (model, store, &error));
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 5);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);

  /* One row changed (M-3 paid): one row replaced, in place. */
  g_array_set_size (changes, 0);
  relance_clock_today (NULL, &today);
  payment = relance_store_pay (store, "M-3", -1, &today, &error);
  g_assert_no_error (error);
  g_assert_true (relance_invoice_model_reload (model, store, &error));
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 1);
  {
    g_autoptr(RelanceInvoiceObject) paid = g_list_model_get_item (G_LIST_MODEL (model), 2);

    g_assert_cmpstr (relance_invoice_object_get_state (paid), ==, "paid");
  }

  /* One row removed (M-2), and another changed further on (M-5): two changes. */
  g_array_set_size (changes, 0);
  g_assert_true (relance_store_delete_invoice (store, "M-2", &error));
  g_assert_true (relance_store_set_invoice_status (store, "M-5", "disputed", &error));
  g_assert_true (relance_invoice_model_reload (model, store, &error));
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 0);
  /* After the removal M-5 is the fourth row. */
  g_assert_cmpuint (g_array_index (changes, Change, 1).position, ==, 3);
  g_assert_cmpuint (g_array_index (changes, Change, 1).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 1).added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpstr (number_at (G_LIST_MODEL (model), 1), ==, "M-3");
  g_assert_cmpstr (number_at (G_LIST_MODEL (model), 3), ==, "M-5");

  /* The untouched first row is the very same object. */
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == kept);
  g_assert_cmpuint (relance_invoice_model_find (model, relance_invoice_object_get_id (kept)),
                    ==, 0);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_invoice_model_load_finish (RELANCE_INVOICE_MODEL (object), result,
                                                    &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
load_and_wait (RelanceInvoiceModel *model,
               const char          *path,
               RelanceInvoiceSort   sort,
               gboolean             descending,
               guint                limit)
{
  gboolean done = FALSE;

  if (limit > 0)
    relance_invoice_model_load_first_async (model, path, sort, descending, limit, NULL,
                                            load_done_cb, &done);
  else
    relance_invoice_model_load_async (model, path, NULL, load_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The window reads the rows it shows at the top first, then every row: the first read
 * must be exactly the top of the complete list, and the complete read must leave those
 * rows where they are (same objects, no change said for them). */
static void
test_invoice_model_first_rows (void)
{
  static const struct { RelanceInvoiceSort sort; gboolean descending; } cases[] = {
    { RELANCE_INVOICE_SORT_DUE, FALSE },
    { RELANCE_INVOICE_SORT_DUE, TRUE },
    { RELANCE_INVOICE_SORT_NUMBER, FALSE },
    { RELANCE_INVOICE_SORT_NUMBER, TRUE },
    { RELANCE_INVOICE_SORT_NONE, FALSE },
  };
  const guint n_invoices = 500, limit = 40;
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(RelanceStore) store = relance_store_open (path, &error);
    gint64 clients[3];

    g_assert_no_error (error);
    clients[0] = relance_test_add_client (store, "Acme", "a@example.com");
    clients[1] = relance_test_add_client (store, "Dupont", "d@example.com");
    clients[2] = relance_test_add_client (store, "Zed", "z@example.com");
    /* Due dates repeat (ties keep the order of the ids) and are not in the order of the
     * ids; numbers are not either, and differ in case. */
    for (guint i = 0; i < n_invoices; i++)
      {
        g_autofree char *number = g_strdup_printf ("%s-%05u", i % 2 ? "f" : "F",
                                                   (i * 7919) % 100000);
        g_autofree char *due = g_strdup_printf ("2026-%02u-%02u", 1 + (i * 37) % 12,
                                                1 + (i * 13) % 28);

        relance_test_add_invoice (store, clients[i % 3], number, "2025-12-01", due, 1000 + i);
      }
  }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(RelanceInvoiceModel) model = relance_invoice_model_new ("en");
      g_autoptr(RelanceInvoiceQuery) query = relance_invoice_query_new (model);
      g_autoptr(RelanceInvoiceModel) all_model = relance_invoice_model_new ("en");
      g_autoptr(RelanceInvoiceQuery) all = relance_invoice_query_new (all_model);
      g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
      g_autoptr(GPtrArray) first_objects = g_ptr_array_new_with_free_func (g_object_unref);

      g_test_message ("sort %d, descending %d", cases[c].sort, cases[c].descending);
      relance_invoice_query_set_sort (query, cases[c].sort, cases[c].descending);
      relance_invoice_query_set_sort (all, cases[c].sort, cases[c].descending);
      load_and_wait (all_model, path, 0, FALSE, 0);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, n_invoices);

      load_and_wait (model, path, cases[c].sort, cases[c].descending, limit);
      g_assert_true (relance_invoice_model_is_partial (model));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (query)), ==, limit);
      for (guint i = 0; i < limit; i++)
        {
          g_assert_cmpstr (number_at (G_LIST_MODEL (query), i), ==,
                           number_at (G_LIST_MODEL (all), i));
          g_ptr_array_add (first_objects, g_list_model_get_item (G_LIST_MODEL (query), i));
        }

      g_signal_connect (query, "items-changed", G_CALLBACK (record_change), changes);
      load_and_wait (model, path, 0, FALSE, 0);
      g_assert_false (relance_invoice_model_is_partial (model));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (query)), ==, n_invoices);
      /* The top stays as it was: one change, after it. */
      g_assert_cmpuint (changes->len, ==, 1);
      g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, limit);
      g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
      g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, n_invoices - limit);
      for (guint i = 0; i < n_invoices; i++)
        g_assert_cmpstr (number_at (G_LIST_MODEL (query), i), ==,
                         number_at (G_LIST_MODEL (all), i));
      for (guint i = 0; i < limit; i++)
        {
          g_autoptr(RelanceInvoiceObject) again = g_list_model_get_item (G_LIST_MODEL (query), i);

          g_assert_true (again == g_ptr_array_index (first_objects, i));
        }
    }
}

static void
test_text_fold (void)
{
  static const struct { const char *text; const char *folded; } cases[] = {
    { "F-2026-001", "f-2026-001" },
    { "Boulangerie Dupré", "boulangerie dupre" },
    { "ÉLECTRICITÉ Noël", "electricite noel" },
    { "Müller Straße", "muller strasse" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = relance_text_fold (cases[i].text);

      g_assert_cmpstr (folded, ==, cases[i].folded);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_set_wait_timeout (10 * G_USEC_PER_SEC);
  relance_clock_set_override (now);

  g_test_add_data_func ("/ui/window/lists-invoices",
                        test_window_lists_invoices, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/sorts-by-outstanding",
                        test_window_sorts_by_outstanding, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/empty-state",
                        test_window_empty_state, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/idle-still",
                        test_window_idle_still, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/restores-size",
                        test_window_restores_size, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/widths-en",
                        test_window_widths_en, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/widths-fr",
                        test_window_widths_fr, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/imports-csv",
                        test_window_imports_csv, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/import-refused",
                        test_window_import_refused, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/invoices/search",
                        test_invoices_search, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/invoices/search-keeps-position",
                        test_invoices_search_keeps_position, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/invoices/mark-paid-undo",
                        test_invoices_mark_paid_undo, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/window/client-name-not-markup",
                        test_window_client_name_not_markup, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/invoices/dialog-validates",
                        test_invoice_dialog_validates, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/invoices/timeline",
                        test_invoice_timeline, relance_test_run_in_subprocess);
  g_test_add_func ("/ui/invoice-model/reload", test_invoice_model_reload);
  g_test_add_func ("/ui/invoice-model/first-rows", test_invoice_model_first_rows);
  g_test_add_func ("/ui/invoice-model/text-fold", test_text_fold);
  g_test_add_data_func ("/ui/application/about",
                        test_about_window, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/application/unreadable-database",
                        test_unreadable_database, relance_test_run_in_subprocess);

  return g_test_run ();
}
