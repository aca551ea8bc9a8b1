/* test-window.c: the real main window, in process, under Xvfb.
 *
 * Each case writes its own database in a temporary directory, starts a RelanceApplication
 * on it (non-unique, as any database but the default), and looks at what is on screen by
 * walking the widget tree once the window is mapped. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relance-application.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-invoice-object.h"
#include "relance-store.h"
#include "relance-window.h"

#define WAIT_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* XDG_DATA_DIRS before the isolation of each test replaced it. */
static char *system_data_dirs;

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test after WAIT_TIMEOUT_US. */
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

/* Every label the user can see in @window, one per line. */
static char *
visible_text (GtkWidget *window)
{
  GString *out = g_string_new (NULL);

  collect_labels (window, out);
  return g_string_free (out, FALSE);
}

typedef struct
{
  GtkWidget  *window;
  const char *needle;
} TextWait;

static gboolean
window_shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = NULL;

  if (!gtk_widget_get_mapped (wait->window))
    return FALSE;
  text = visible_text (wait->window);
  return strstr (text, wait->needle) != NULL;
}

static GtkWidget *
find_button_with_action (GtkWidget  *widget,
                         const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_descendant_of_type (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

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

static gint64
add_client (RelanceStore *store,
            const char   *name)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { 0 };

  client.name = (char *) name;
  client.email = (char *) "accounts@example.com";
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (client.id, >, 0);
  return client.id;
}

static char *
new_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "test", "relance.db", NULL);
}

/* Starts the application the way `relance --database PATH` does, up to a mapped window. */
static RelanceApplication *
start_application (const char  *path,
                   GtkWidget  **out_window)
{
  g_autoptr(GError) error = NULL;
  RelanceApplication *app = relance_application_new (path);
  GList *windows;

  /* GTK recognises icon files with the shared MIME database, which the isolated data
   * dirs lack; the user's own dirs (settings, database) stay isolated. */
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);

  g_assert_true (g_application_get_flags (G_APPLICATION (app)) & G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  *out_window = windows->data;
  return app;
}

static void
stop_application (RelanceApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

static void
test_window_lists_invoices (void)
{
  g_autofree char *path = new_database_path ();
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
    acme = add_client (store, "Acme Widgets Ltd");
    dupont = add_client (store, "Boulangerie Dupont");
    add_invoice (store, acme, numbers[0], "2026-01-05", "2026-02-04", 123456);
    add_invoice (store, dupont, numbers[1], "2026-02-01", "2026-03-03", 50000);
    add_invoice (store, acme, numbers[2], "2026-02-15", "2026-03-17", 990);
    g_date_set_dmy (&paid_on, 20, 2, 2026);
    payment = relance_store_pay (store, numbers[0], -1, &paid_on, &error);
    g_assert_no_error (error);
  }

  app = start_application (path, &window);
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

  iterate_until (window_shows_text, &(TextWait) { window, numbers[2] }, "the last row shows");
  text = visible_text (window);
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

  stop_application (app);
}

static void
test_window_sorts_by_outstanding (void)
{
  g_autofree char *path = new_database_path ();
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
    client = add_client (store, "Client");
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      add_invoice (store, client, rows[i].number, "2026-01-01", "2026-01-31", rows[i].total);
  }

  app = start_application (path, &window);
  view = GTK_COLUMN_VIEW (find_descendant_of_type (window, GTK_TYPE_COLUMN_VIEW));
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

  stop_application (app);
}

static void
test_window_empty_state (void)
{
  g_autofree char *path = new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  GtkWidget *visible;
  GtkWidget *button;
  GtkStack *stack;

  app = start_application (path, &window);
  g_assert_cmpuint (g_list_model_get_n_items (relance_window_get_model (RELANCE_WINDOW (window))),
                    ==, 0);

  stack = find_main_stack (window);
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  visible = gtk_stack_get_visible_child (stack);
  g_assert_true (ADW_IS_STATUS_PAGE (visible));

  iterate_until (window_shows_text, &(TextWait) { window, "No Invoices Yet" },
                 "the empty state shows");

  /* The suggested action of the empty page starts an import. */
  button = find_button_with_action (visible, "app.import");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "import"));

  stop_application (app);
}

static void
test_window_restores_size (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  RelanceApplication *app;
  GtkWidget *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 777);
  g_settings_set_int (settings, "window-height", 555);

  app = start_application (path, &window);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  /* Closing saves the size it has now. */
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);

  stop_application (app);
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
  iterate_until (dialog_is_shown, NULL, "the import reports its outcome");
  return find_mapped_dialog ();
}

static void
test_window_imports_csv (void)
{
  g_autofree char *path = new_database_path ();
  RelanceApplication *app;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GListModel *model;
  const char *body;

  app = start_application (path, &window);
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
  iterate_until (window_shows_text, &(TextWait) { window, "INV-102" }, "the new rows show");

  stop_application (app);
}

static void
test_window_import_refused (void)
{
  g_autofree char *path = new_database_path ();
  RelanceApplication *app;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  const char *body;

  app = start_application (path, &window);
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

  stop_application (app);
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
  g_autofree char *path = new_database_path ();
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
  app = start_application (path, &window);
  g_assert_null (relance_application_get_store (app));
  g_assert_false (RELANCE_IS_WINDOW (window));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window));
  iterate_until (application_shows_dialog, app, "the error dialog shows");

  dialog = ADW_MESSAGE_DIALOG (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open the Database");
  g_assert_cmpuint (strlen (adw_message_dialog_get_body (dialog)), >, 10);
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (dialog), "."));

  stop_application (app);
}

static void
test_about_window (void)
{
  g_autofree char *path = new_database_path ();
  RelanceApplication *app;
  GtkWidget *window;
  AdwAboutWindow *about = NULL;

  app = start_application (path, &window);
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
  stop_application (app);
}

/* One application per process: GApplication exports its object path on the session bus
 * for the life of the process, so each case runs in a child of its own. */
static void
run_in_subprocess (gconstpointer data)
{
  GTestFunc func = (GTestFunc) data;

  if (g_test_subprocess ())
    {
      func ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  /* Children inherit the isolated XDG_DATA_DIRS of their parent's test. */
  system_data_dirs = g_strdup (g_getenv ("RELANCE_TEST_SYSTEM_DATA_DIRS"));
  if (system_data_dirs == NULL)
    system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL || *system_data_dirs == '\0')
    {
      g_free (system_data_dirs);
      system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
    }
  g_setenv ("RELANCE_TEST_SYSTEM_DATA_DIRS", system_data_dirs, TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_clock_set_override (now);

  g_test_add_data_func ("/ui/window/lists-invoices",
                        test_window_lists_invoices, run_in_subprocess);
  g_test_add_data_func ("/ui/window/sorts-by-outstanding",
                        test_window_sorts_by_outstanding, run_in_subprocess);
  g_test_add_data_func ("/ui/window/empty-state",
                        test_window_empty_state, run_in_subprocess);
  g_test_add_data_func ("/ui/window/restores-size",
                        test_window_restores_size, run_in_subprocess);
  g_test_add_data_func ("/ui/window/imports-csv",
                        test_window_imports_csv, run_in_subprocess);
  g_test_add_data_func ("/ui/window/import-refused",
                        test_window_import_refused, run_in_subprocess);
  g_test_add_data_func ("/ui/application/about",
                        test_about_window, run_in_subprocess);
  g_test_add_data_func ("/ui/application/unreadable-database",
                        test_unreadable_database, run_in_subprocess);

  return g_test_run ();
}
