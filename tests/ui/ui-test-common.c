/* ui-test-common.c: the harness the UI tests share, compiled into each of them.
 *
 * The GTK state and the application's name on the session bus live for the life of the
 * process, so each case that starts an application runs in a child of its own; the
 * children get back the system XDG_DATA_DIRS that the test isolation replaced, since GTK
 * recognises icon files with the shared MIME database found there. */
#include "config.h"

#include <string.h>

#include "relance-date.h"
#include "relance-window.h"

#include "ui-test-common.h"

#include "../relance-test-sql.h"

#define DEFAULT_WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

/* XDG_DATA_DIRS before the isolation of each test replaced it. */
static char *system_data_dirs;
static gint64 wait_timeout_us = DEFAULT_WAIT_TIMEOUT_US;

/* Before g_test_init: remembers the real XDG_DATA_DIRS, for the children too. */
void
relance_test_keep_system_data_dirs (void)
{
  g_free (system_data_dirs);
  system_data_dirs = g_strdup (g_getenv ("RELANCE_TEST_SYSTEM_DATA_DIRS"));
  if (system_data_dirs == NULL)
    system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL || *system_data_dirs == '\0')
    {
      g_free (system_data_dirs);
      system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
    }
  g_setenv ("RELANCE_TEST_SYSTEM_DATA_DIRS", system_data_dirs, TRUE);
}

/* After g_test_init: the user's own dirs (settings, database) stay isolated. */
void
relance_test_use_system_data_dirs (void)
{
  g_assert_nonnull (system_data_dirs);
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
}

void
relance_test_set_wait_timeout (gint64 timeout_us)
{
  wait_timeout_us = timeout_us;
}

/* Runs the main loop until @condition holds; fails the test after the wait timeout. */
void
relance_test_iterate_until (RelanceTestCondition  condition,
                            gpointer              data,
                            const char           *what)
{
  gint64 deadline = g_get_monotonic_time () + wait_timeout_us;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
relance_test_collect_labels (GtkWidget *widget,
                             GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) || GTK_IS_INSCRIPTION (widget))
    {
      const char *text = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                                               : gtk_inscription_get_text (GTK_INSCRIPTION (widget));

      g_string_append (out, text != NULL ? text : "");
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    relance_test_collect_labels (child, out);
}

/* Every label (or list cell) the user can see in @widget, one per line. */
char *
relance_test_visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  relance_test_collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

typedef struct
{
  GtkWidget  *widget;
  const char *needle;
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = NULL;

  if (!gtk_widget_get_mapped (wait->widget))
    return FALSE;
  text = relance_test_visible_text (wait->widget);
  return strstr (text, wait->needle) != NULL;
}

static gboolean
hides_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = relance_test_visible_text (wait->widget);

  return strstr (text, wait->needle) == NULL;
}

/* Runs the main loop until @widget, mapped, shows @needle in one of its labels. */
void
relance_test_wait_for_text (GtkWidget  *widget,
                            const char *needle,
                            const char *what)
{
  relance_test_iterate_until (shows_text, &(TextWait) { widget, needle }, what);
}

/* Runs the main loop until no label of @widget shows @needle. */
void
relance_test_wait_text_gone (GtkWidget  *widget,
                             const char *needle,
                             const char *what)
{
  relance_test_iterate_until (hides_text, &(TextWait) { widget, needle }, what);
}

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

/* The first widget under @widget, itself included and depth first, that @match accepts. */
static GtkWidget *
find_matching (GtkWidget     *widget,
               WidgetMatch    match,
               gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_matching (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) data);
}

GtkWidget *
relance_test_find_descendant_of_type (GtkWidget *widget,
                                      GType      type)
{
  return find_matching (widget, is_of_type, &type);
}

static gboolean
is_mapped_button_with_label (GtkWidget     *widget,
                             gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* The mapped button whose label is @label, under @widget. */
GtkWidget *
relance_test_find_button_with_label (GtkWidget  *widget,
                                     const char *label)
{
  return find_matching (widget, is_mapped_button_with_label, label);
}

static gboolean
is_mapped_button_with_action (GtkWidget     *widget,
                              gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0
         && gtk_widget_get_mapped (widget);
}

/* The mapped button that activates @action, under @widget. */
GtkWidget *
relance_test_find_button_with_action (GtkWidget  *widget,
                                      const char *action)
{
  return find_matching (widget, is_mapped_button_with_action, action);
}

GtkWidget *
relance_test_find_toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }
  return NULL;
}

typedef struct
{
  GType       type;
  const char *title;
} RowMatch;

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  const RowMatch *match = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, match->type)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                       match->title) == 0;
}

/* The first AdwPreferencesRow of @type (or a subtype) under @widget whose title is @title,
 * mnemonic underscore included, mapped or not. */
GtkWidget *
relance_test_find_row (GtkWidget  *widget,
                       GType       type,
                       const char *title)
{
  g_return_val_if_fail (g_type_is_a (type, ADW_TYPE_PREFERENCES_ROW), NULL);
  return find_matching (widget, is_row_titled, &(RowMatch) { type, title });
}

static gboolean
has_id (GtkWidget     *widget,
        gconstpointer  data)
{
  const char *buildable_id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  return g_strcmp0 (buildable_id, data) == 0
         || g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

/* The widget under @widget whose id in its .ui file (or whose name) is @id. */
GtkWidget *
relance_test_find_widget (GtkWidget  *widget,
                          const char *id)
{
  return find_matching (widget, has_id, id);
}

GtkWidget *
relance_test_get_widget (GtkWidget  *root,
                         const char *id)
{
  GtkWidget *widget = relance_test_find_widget (root, id);

  if (widget == NULL)
    g_error ("No widget “%s” in the %s", id, G_OBJECT_TYPE_NAME (root));
  return widget;
}

void
relance_test_add_invoice (RelanceStore *store,
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

gint64
relance_test_add_client (RelanceStore *store,
                         const char   *name,
                         const char   *email)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { 0 };

  client.name = (char *) name;
  client.email = (char *) email;
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (client.id, >, 0);
  return client.id;
}

void
relance_test_add_sent_reminder (RelanceStore           *store,
                                const char             *invoice_number,
                                const RelanceOutboxRow *row,
                                const char             *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, invoice_number, &error);
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  RelanceOutboxRow sent = *row;
  gint64 step_id, outbox_id = 0;

  g_assert_no_error (error);
  /* The reminder of the first step of the scenarios as shipped. */
  step_id = relance_test_sql_int (store, "SELECT min (id) FROM scenario_steps");
  if (sent.client_id == 0)
    sent.client_id = invoice->client_id;
  sent.raw = bytes;
  sent.n_invoices = 1;
  sent.invoice_ids = &invoice->id;
  sent.step_ids = &step_id;
  g_assert_true (relance_store_queue_outbox (store, &sent, 1, FALSE, &outbox_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_id, >, 0);
}

char *
relance_test_new_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "test", "relance.db", NULL);
}

static gboolean
window_loaded (gpointer data)
{
  return !relance_window_is_loading (RELANCE_WINDOW (data));
}

/* Starts the application the way `relance --database PATH` does, up to a mapped window
 * whose invoices (read in a worker thread) are loaded. The window is a RelanceWindow
 * unless the database could not be opened. */
RelanceApplication *
relance_test_start_application (const char  *path,
                                GtkWidget  **out_window)
{
  g_autoptr(GError) error = NULL;
  RelanceApplication *app = relance_application_new (path);
  GList *windows;

  relance_test_use_system_data_dirs ();

  g_assert_true (g_application_get_flags (G_APPLICATION (app)) & G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  *out_window = windows->data;
  if (RELANCE_IS_WINDOW (*out_window))
    relance_test_iterate_until (window_loaded, *out_window, "the invoices are loaded");
  return app;
}

void
relance_test_stop_application (RelanceApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

static void
run_in_subprocess (gconstpointer data,
                   gboolean      init_gtk)
{
  GTestFunc func = (GTestFunc) data;

  if (g_test_subprocess ())
    {
      if (init_gtk)
        {
          gtk_init ();
          adw_init ();
        }
      func ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* For g_test_add_data_func() with the case's GTestFunc as data: runs it in a child. */
void
relance_test_run_in_subprocess (gconstpointer data)
{
  run_in_subprocess (data, FALSE);
}

/* The same, for cases that build widgets without an application to initialise GTK. */
void
relance_test_run_in_gtk_subprocess (gconstpointer data)
{
  run_in_subprocess (data, TRUE);
}
