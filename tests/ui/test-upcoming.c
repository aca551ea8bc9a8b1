/* test-upcoming.c: the Upcoming page of the real window, in process, under Xvfb.
 *
 * Each case writes its own database (two clients, each with an overdue invoice, so the
 * planner has one message for each today), starts a RelanceApplication on it and drives
 * the page through its actions, then reads what is on screen and in the store. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relance-account.h"
#include "relance-application.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-planner.h"
#include "relance-store.h"
#include "relance-upcoming-page.h"
#include "relance-window.h"

#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

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

/* Every label the user can see in @widget, one per line. */
static char *
visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
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
  text = visible_text (wait->widget);
  return strstr (text, wait->needle) != NULL;
}

static gboolean
hides_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = visible_text (wait->widget);

  return strstr (text, wait->needle) == NULL;
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

/* The mapped button whose label is @label, under @widget. */
static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_toplevel_of_type (GType type)
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

static char *
new_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "test", "relance.db", NULL);
}

static gboolean
invoices_loaded (gpointer data)
{
  return !relance_window_is_loading (RELANCE_WINDOW (data));
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

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  *out_window = windows->data;
  g_assert_true (RELANCE_IS_WINDOW (*out_window));
  iterate_until (invoices_loaded, *out_window, "the invoices are loaded");
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

/* The GTK state lives for the life of the process, so each case runs in a child of its
 * own. */
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

/* Before g_test_init: remembers the real XDG_DATA_DIRS for the children. */
static void
keep_system_data_dirs (void)
{
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

/* Alpha owes A-1, Beta owes B-1; both were due on 20 February (the clock says 10 March). */
static void
write_two_overdue (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  gint64 alpha;
  gint64 beta;

  g_assert_no_error (error);
  alpha = add_client (store, "Alpha SARL", "alpha@example.com");
  beta = add_client (store, "Beta Ltd", "beta@example.com");
  add_invoice (store, alpha, "A-1", "2026-01-21", "2026-02-20", 120000);
  add_invoice (store, beta, "B-1", "2026-01-21", "2026-02-20", 45000);
}

static gboolean
page_loaded (gpointer data)
{
  return !relance_upcoming_page_is_loading (RELANCE_UPCOMING_PAGE (data));
}

/* Starts the window on @path and shows its Upcoming page, once planned. */
static RelanceUpcomingPage *
open_upcoming (const char          *path,
               RelanceApplication **out_app,
               GtkWidget          **out_window)
{
  GtkWidget *page;

  *out_app = start_application (path, out_window);
  relance_window_show_page (RELANCE_WINDOW (*out_window), "upcoming");
  page = find_descendant_of_type (*out_window, RELANCE_TYPE_UPCOMING_PAGE);
  g_assert_nonnull (page);
  iterate_until (page_loaded, page, "the reminders are planned");
  return RELANCE_UPCOMING_PAGE (page);
}

/* Waits for the reload that follows a change made through the window. */
static void
wait_replanned (RelanceUpcomingPage *page)
{
  iterate_until (page_loaded, page, "the reminders are planned again");
}

static gint64
count_rows (RelanceStore *store,
            const char   *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = relance_store_prepare (store, sql, &error);
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_mark_paid_removes_message (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GDate today;

  write_two_overdue (path);
  page = open_upcoming (path, &app, &window);

  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Alpha SARL" },
                 "Alpha's reminder is listed");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Beta Ltd" },
                 "Beta's reminder is listed");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Today" },
                 "the Today section shows");

  /* Alpha pays A-1 in full: its reminder must go, Beta's must stay. */
  store = relance_application_get_store (app);
  relance_clock_today (NULL, &today);
  payment = relance_store_pay (store, "A-1", -1, &today, &error);
  g_assert_no_error (error);
  relance_window_notify_store_changed (RELANCE_WINDOW (window));
  wait_replanned (page);

  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  iterate_until (hides_text, &(TextWait) { GTK_WIDGET (page), "Alpha SARL" },
                 "Alpha's reminder is gone");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Beta Ltd" },
                 "Beta's reminder is still listed");

  stop_application (app);
}

static void
test_skip_and_undo (void)
{
  g_autofree char *path = new_database_path ();
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *undo;

  write_two_overdue (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);

  /* Skip the first message: its step is recorded as skipped, nothing is queued. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.skip", "u", 0);
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM reminders WHERE state = 'skipped'"),
                   ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM outbox"), ==, 0);
  iterate_until (shows_text, &(TextWait) { window, "skipped" }, "the toast says skipped");

  /* Undo, from the toast's own button, brings the message back. */
  undo = find_button_with_label (window, "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM reminders"), ==, 0);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Alpha SARL" },
                 "Alpha's reminder is back");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Beta Ltd" },
                 "Beta's reminder is back");

  stop_application (app);
}

static void
test_postpone_and_undo (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *undo;

  write_two_overdue (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);

  /* Planned messages are sorted by time, then in the planner's order: find B-1's. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.postpone", "(us)", 1, "2026-03-20");
  wait_replanned (page);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM invoices "
                                      "WHERE promise_date = '2026-03-20'"), ==, 1);

  undo = find_button_with_label (window, "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM invoices "
                                      "WHERE promise_date IS NOT NULL"), ==, 0);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);

  /* A day in the past is refused, and nothing is written. */
  invoice = relance_store_get_invoice (store, "A-1", &error);
  g_assert_no_error (error);
  g_assert_false (g_date_valid (&invoice->promise_date));

  stop_application (app);
}

static gboolean
banner_shown (gpointer data)
{
  return relance_upcoming_page_get_paused_banner_shown (RELANCE_UPCOMING_PAGE (data));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_pause_hides_sending (void)
{
  g_autofree char *path = new_database_path ();
  g_autofree char *paused = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *send;

  write_two_overdue (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  send = relance_upcoming_page_get_send_button (page);

  g_assert_true (gtk_widget_is_sensitive (send));
  g_assert_false (relance_upcoming_page_get_paused_banner_shown (page));

  gtk_switch_set_active (relance_upcoming_page_get_pause_switch (page), TRUE);
  wait_replanned (page);
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "true");
  iterate_until (banner_shown, page, "the paused banner shows");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "All reminders are paused" },
                 "the banner says all reminders are paused");
  g_assert_false (gtk_widget_is_sensitive (send));
  /* The plan still shows what would go out. */
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);

  /* Resume from the banner's own button. */
  g_signal_emit_by_name (find_button_with_label (GTK_WIDGET (page), "_Resume"), "clicked");
  wait_replanned (page);
  g_clear_pointer (&paused, g_free);
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "false");
  iterate_until (banner_hidden, page, "the paused banner hides");
  g_assert_true (gtk_widget_is_sensitive (send));
  g_assert_false (gtk_switch_get_active (relance_upcoming_page_get_pause_switch (page)));

  stop_application (app);
}

static void
test_uncertain_needs_confirmation (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *dialog;
  sqlite3_stmt *stmt;
  gint64 id;

  write_two_overdue (path);
  {
    g_autoptr(RelanceStore) writer = relance_store_open (path, &error);

    g_assert_no_error (error);
    stmt = relance_store_prepare (writer,
      "INSERT INTO outbox (client_id, channel, tone, step_offset, template_key, state, "
      "subject, scheduled_at, queued_at) VALUES ((SELECT id FROM clients WHERE name = "
      "'Beta Ltd'), 'email', 'firm', 7, 'firm', 'uncertain', 'Invoice B-1 is late', "
      "1773133200, 1773133200)", &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_reset (stmt);
    id = sqlite3_last_insert_rowid (relance_store_get_db (writer));
  }

  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Invoice B-1 is late" },
                 "the uncertain reminder is listed");
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Needs Your Decision" },
                 "its section shows");

  /* Retrying an uncertain reminder asks first, and saying no changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.retry", "(xb)", id, TRUE);
  dialog = find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "may already have received it"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM outbox WHERE state = 'uncertain'"),
                   ==, 1);

  /* Cancelling it, once confirmed, takes it out of the section. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.cancel", "(xb)", id, TRUE);
  dialog = find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-reminder");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM outbox WHERE state = 'cancelled'"),
                   ==, 1);
  iterate_until (hides_text, &(TextWait) { GTK_WIDGET (page), "Invoice B-1 is late" },
                 "the cancelled reminder leaves the section");

  stop_application (app);
}

static gboolean
send_done (gpointer data)
{
  return gtk_widget_is_sensitive (relance_upcoming_page_get_send_button (data));
}

/* Two overdue invoices, a company name and a mail account on a closed port; a scheduler
 * elsewhere holds the database's lock, so the window's defers and only the page queues.
 * Returns the lock's descriptor. */
static int
write_ready_to_send (const char *path)
{
  g_autofree char *lock = NULL;
  g_autoptr(GError) error = NULL;
  RelanceAccount account = {
    .host = (char *) "127.0.0.1", .port = 1, .security = (char *) "none",
    .user = (char *) "owner", .from_address = (char *) "owner@example.com", .timeout = 5,
  };
  int fd;

  write_two_overdue (path);
  {
    g_autoptr(RelanceStore) writer = relance_store_open (path, &error);
    g_autoptr(RelanceCompany) company = NULL;

    g_assert_no_error (error);
    company = relance_store_get_company (writer, &error);
    g_assert_no_error (error);
    g_free (company->name);
    company->name = g_strdup ("Atelier Test");
    g_assert_true (relance_store_set_company (writer, company, &error));
    g_assert_true (relance_account_save (writer, &account, &error));
    g_assert_no_error (error);
  }
  lock = g_strconcat (path, ".scheduler.lock", NULL);
  fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  return fd;
}

/* Send Due Reminders queues in a worker (its own connection), then sends: the rows are
 * there once each, and the page comes back to rest. */
static void
test_send_due (void)
{
  g_autofree char *path = new_database_path ();
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *send;
  int fd;

  fd = write_ready_to_send (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  send = relance_upcoming_page_get_send_button (page);
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "2 reminders are due now" },
                 "both reminders are due");
  g_assert_true (gtk_widget_is_sensitive (send));

  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.send-due", NULL);
  /* Back at once, busy: the work goes on in the worker, then in the outbox's. */
  g_assert_false (gtk_widget_is_sensitive (send));
  iterate_until (send_done, page, "the sending is over");

  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(DISTINCT client_id) FROM outbox"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM reminders"), ==, 2);
  /* Nothing reached a server on port 1: no row is sent. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox WHERE state = 'sent'"),
                   ==, 0);

  /* Again: nothing more to queue, the same rows. */
  wait_replanned (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.send-due", NULL);
  iterate_until (send_done, page, "the second sending is over");
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox"), ==, 2);

  stop_application (app);
  close (fd);
}

/* The window closes while the worker queues: its callback must not touch the page. */
static void
test_close_while_queueing (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  GtkWidget *window;
  int fd;

  fd = write_ready_to_send (path);
  page = open_upcoming (path, &app, &window);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.send-due", NULL);
  g_assert_false (gtk_widget_is_sensitive (relance_upcoming_page_get_send_button (page)));

  stop_application (app);
  /* The worker's callback holds the last reference; the page goes once it has run. */
  while (page != NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Whatever the worker queued before it saw the cancellation waits, unsent. */
  {
    g_autoptr(RelanceStore) reader = relance_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (count_rows (reader, "SELECT count(*) FROM outbox WHERE state = 'sent'"),
                     ==, 0);
    g_assert_cmpint (count_rows (reader, "SELECT count(*) FROM outbox"), <=, 2);
  }
  close (fd);
}

static void
test_empty_state (void)
{
  g_autofree char *path = new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  GtkWidget *window;

  g_clear_object (&(RelanceStore *) { relance_store_open (path, &error) });
  g_assert_no_error (error);
  page = open_upcoming (path, &app, &window);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 0);
  iterate_until (shows_text, &(TextWait) { GTK_WIDGET (page), "Nothing Planned" },
                 "the empty state shows");
  stop_application (app);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_clock_set_override (now);

  g_test_add_data_func ("/ui/upcoming/mark-paid-removes-message",
                        test_mark_paid_removes_message, run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/skip-undo", test_skip_and_undo, run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/postpone-undo", test_postpone_and_undo,
                        run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/pause-hides-sending", test_pause_hides_sending,
                        run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/uncertain-needs-confirmation",
                        test_uncertain_needs_confirmation, run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/send-due", test_send_due, run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/close-while-queueing", test_close_while_queueing,
                        run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/empty-state", test_empty_state, run_in_subprocess);

  return g_test_run ();
}
