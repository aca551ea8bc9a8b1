/* test-upcoming.c: the Upcoming page of the real window, in process, under Xvfb.
 *
 * Each case writes its own database (two clients, each with an overdue invoice, so the
 * planner has one message for each today), starts a RelanceApplication on it and drives
 * the page through its actions, then reads what is on screen and in the store. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relance-account.h"
#include "relance-application.h"
#include "relance-client-dialog.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-invoice-view.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-store-ab.h"
#include "relance-store-inbox.h"
#include "relance-store.h"
#include "relance-upcoming-page-private.h"
#include "relance-upcoming-page.h"
#include "relance-window.h"

#include "../relance-test-sql.h"
#include "ui-test-common.h"

/* Alpha owes A-1, Beta owes B-1; both were due on 20 February (the clock says 10 March). */
static void
write_two_overdue (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  gint64 alpha;
  gint64 beta;

  g_assert_no_error (error);
  alpha = relance_test_add_client (store, "Alpha SARL", "alpha@example.com");
  beta = relance_test_add_client (store, "Beta Ltd", "beta@example.com");
  relance_test_add_invoice (store, alpha, "A-1", "2026-01-21", "2026-02-20", 120000);
  relance_test_add_invoice (store, beta, "B-1", "2026-01-21", "2026-02-20", 45000);
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

  *out_app = relance_test_start_application (path, out_window);
  g_assert_true (RELANCE_IS_WINDOW (*out_window));
  relance_window_show_page (RELANCE_WINDOW (*out_window), "upcoming");
  page = relance_test_find_descendant_of_type (*out_window, RELANCE_TYPE_UPCOMING_PAGE);
  g_assert_nonnull (page);
  relance_test_iterate_until (page_loaded, page, "the reminders are planned");
  return RELANCE_UPCOMING_PAGE (page);
}

/* Waits for the reload that follows a change made through the window. */
static void
wait_replanned (RelanceUpcomingPage *page)
{
  relance_test_iterate_until (page_loaded, page, "the reminders are planned again");
}

/* What the engine holds, as the assertions below count it. */
static gint64
count_rows (RelanceStore *store,
            const char   *sql)
{
  return relance_test_sql_int (store, sql);
}

static void
test_mark_paid_removes_message (void)
{
  g_autofree char *path = relance_test_new_database_path ();
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
  relance_test_wait_for_text (GTK_WIDGET (page), "Alpha SARL", "Alpha's reminder is listed");
  relance_test_wait_for_text (GTK_WIDGET (page), "Beta Ltd", "Beta's reminder is listed");
  relance_test_wait_for_text (GTK_WIDGET (page), "Today", "the Today section shows");

  /* Alpha pays A-1 in full: its reminder must go, Beta's must stay. */
  store = relance_application_get_store (app);
  relance_clock_today (NULL, &today);
  payment = relance_store_pay (store, "A-1", -1, &today, &error);
  g_assert_no_error (error);
  wait_replanned (page);

  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  relance_test_wait_text_gone (GTK_WIDGET (page), "Alpha SARL", "Alpha's reminder is gone");
  relance_test_wait_for_text (GTK_WIDGET (page), "Beta Ltd", "Beta's reminder is still listed");

  relance_test_stop_application (app);
}

static void
test_skip_and_undo (void)
{
  g_autofree char *path = relance_test_new_database_path ();
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
  relance_test_wait_for_text (window, "skipped", "the toast says skipped");

  /* Undo, from the toast's own button, brings the message back. */
  undo = relance_test_find_button_with_label (window, "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM reminders"), ==, 0);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);
  relance_test_wait_for_text (GTK_WIDGET (page), "Alpha SARL", "Alpha's reminder is back");
  relance_test_wait_for_text (GTK_WIDGET (page), "Beta Ltd", "Beta's reminder is back");

  relance_test_stop_application (app);
}

static void
test_postpone_and_undo (void)
{
  g_autofree char *path = relance_test_new_database_path ();
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

  undo = relance_test_find_button_with_label (window, "_Undo");
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

  relance_test_stop_application (app);
}

/* The window's banner, seen from the Upcoming page: @data is the page. */
static gboolean
banner_shown (gpointer data)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (data), RELANCE_TYPE_WINDOW);

  return window != NULL && relance_window_get_paused_banner_shown (RELANCE_WINDOW (window));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_pause_hides_sending (void)
{
  g_autofree char *path = relance_test_new_database_path ();
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
  g_assert_false (banner_shown (page));

  gtk_switch_set_active (relance_upcoming_page_get_pause_switch (page), TRUE);
  wait_replanned (page);
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "true");
  relance_test_iterate_until (banner_shown, page, "the paused banner shows");
  /* The banner is the window's, above every page. */
  relance_test_wait_for_text (window, "All reminders are paused",
                              "the banner says all reminders are paused");
  g_assert_false (gtk_widget_is_sensitive (send));
  /* The plan still shows what would go out. */
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 2);

  /* Resume from the banner's own button. */
  g_signal_emit_by_name (relance_test_find_button_with_label (window, "_Resume"), "clicked");
  wait_replanned (page);
  g_clear_pointer (&paused, g_free);
  paused = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  g_assert_cmpstr (paused, ==, "false");
  relance_test_iterate_until (banner_hidden, page, "the paused banner hides");
  g_assert_true (gtk_widget_is_sensitive (send));
  g_assert_false (gtk_switch_get_active (relance_upcoming_page_get_pause_switch (page)));

  relance_test_stop_application (app);
}

static void
test_uncertain_needs_confirmation (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *dialog;
  gint64 id;

  write_two_overdue (path);
  {
    g_autoptr(RelanceStore) writer = relance_store_open (path, &error);

    g_assert_no_error (error);
    /* A row only a crash mid-send leaves: no store function writes it. */
    relance_test_sql_exec (writer,
      "INSERT INTO outbox (client_id, channel, tone, step_offset, template_key, state, "
      "subject, scheduled_at, queued_at) VALUES ((SELECT id FROM clients WHERE name = "
      "'Beta Ltd'), 'email', 'firm', 7, 'firm', 'uncertain', 'Invoice B-1 is late', "
      "1773133200, 1773133200)");
    id = relance_test_sql_int (writer, "SELECT max (id) FROM outbox");
  }

  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  relance_test_wait_for_text (GTK_WIDGET (page), "Invoice B-1 is late",
                              "the uncertain reminder is listed");
  relance_test_wait_for_text (GTK_WIDGET (page), "Needs Your Decision", "its section shows");

  /* Retrying an uncertain reminder asks first, and saying no changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.retry", "(xb)", id, TRUE);
  dialog = relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "may already have received it"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM outbox WHERE state = 'uncertain'"),
                   ==, 1);

  /* Cancelling it, once confirmed, takes it out of the section. */
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.cancel", "(xb)", id, TRUE);
  dialog = relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-reminder");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_replanned (page);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM outbox WHERE state = 'cancelled'"),
                   ==, 1);
  relance_test_wait_text_gone (GTK_WIDGET (page), "Invoice B-1 is late",
                               "the cancelled reminder leaves the section");

  relance_test_stop_application (app);
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
  g_autofree char *path = relance_test_new_database_path ();
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
  relance_test_wait_for_text (GTK_WIDGET (page), "2 reminders are due now",
                              "both reminders are due");
  g_assert_true (gtk_widget_is_sensitive (send));

  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.send-due", NULL);
  /* Back at once, busy: the work goes on in the worker, then in the outbox's. */
  g_assert_false (gtk_widget_is_sensitive (send));
  relance_test_iterate_until (send_done, page, "the sending is over");

  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(DISTINCT client_id) FROM outbox"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM reminders"), ==, 2);
  /* Nothing reached a server on port 1: no row is sent. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox WHERE state = 'sent'"),
                   ==, 0);

  /* Again: nothing more to queue, the same rows. */
  wait_replanned (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.send-due", NULL);
  relance_test_iterate_until (send_done, page, "the second sending is over");
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox"), ==, 2);

  relance_test_stop_application (app);
  close (fd);
}

/* The window closes while the worker queues: its callback must not touch the page. */
static void
test_close_while_queueing (void)
{
  g_autofree char *path = relance_test_new_database_path ();
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

  relance_test_stop_application (app);
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
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  GtkWidget *window;

  g_clear_object (&(RelanceStore *) { relance_store_open (path, &error) });
  g_assert_no_error (error);
  page = open_upcoming (path, &app, &window);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 0);
  relance_test_wait_for_text (GTK_WIDGET (page), "Nothing Planned", "the empty state shows");
  relance_test_stop_application (app);
}

/* Alpha replied about A-1 (their reminders pause); Beta's address bounced. */
static void
write_reply_and_bounce (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(RelanceClient) alpha = NULL;
  g_autoptr(RelanceClient) beta = NULL;
  char *a1[] = { (char *) "A-1", NULL };
  char *b1[] = { (char *) "B-1", NULL };
  RelanceInboxMessage reply = {
    .uidvalidity = 1, .uid = 1, .message_id = (char *) "r1@alpha.example",
    .received_at = g_date_time_to_unix (now) - 3600, .sender = (char *) "alpha@example.com",
    .subject = (char *) "Re: A-1", .kind = RELANCE_INBOX_REPLY, .invoices = a1,
    .text = (char *) "We dispute line 3 of this invoice.\nRegards, Alpha",
  };
  RelanceInboxMessage bounce = {
    .uidvalidity = 1, .uid = 2, .message_id = (char *) "b1@mx.example",
    .received_at = g_date_time_to_unix (now) - 1800,
    .sender = (char *) "mailer-daemon@mx.example", .subject = (char *) "Undelivered",
    .kind = RELANCE_INBOX_BOUNCE, .invoices = b1,
    .bounced_address = (char *) "beta@example.com",
  };

  write_two_overdue (path);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  alpha = relance_store_find_client (store, "Alpha SARL", &error);
  beta = relance_store_find_client (store, "Beta Ltd", &error);
  g_assert_nonnull (alpha);
  g_assert_nonnull (beta);
  reply.client_id = alpha->id;
  bounce.client_id = beta->id;
  g_assert_true (relance_store_inbox_record (store, &reply, g_date_time_to_unix (now), &error));
  g_assert_no_error (error);
  g_assert_true (relance_store_inbox_record (store, &bounce, g_date_time_to_unix (now), &error));
  g_assert_no_error (error);
  g_free (reply.action);
  g_free (bounce.action);
}

static gboolean
client_dialog_shown (gpointer data)
{
  return relance_test_find_toplevel_of_type (RELANCE_TYPE_CLIENT_DIALOG) != NULL;
}

static gboolean
client_dialog_gone (gpointer data)
{
  return relance_test_find_toplevel_of_type (RELANCE_TYPE_CLIENT_DIALOG) == NULL;
}

static void
test_reply_and_bounce (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) invalid = NULL;
  g_autoptr(RelanceInvoice) a1 = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *edit;
  GtkWidget *dialog;
  GtkWidget *view;
  gint64 reply_id;

  write_reply_and_bounce (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);

  /* The reply waits for a decision, with its sender, date and the start of its text. */
  relance_test_wait_for_text (GTK_WIDGET (page), "Replied — Your Decision",
                              "the replies section shows");
  relance_test_wait_for_text (GTK_WIDGET (relance_upcoming_page_get_replies_list (page)),
                              "Alpha SARL — A-1", "the reply names the client and invoice");
  relance_test_wait_for_text (GTK_WIDGET (relance_upcoming_page_get_replies_list (page)),
                              "alpha@example.com", "the reply shows its sender");
  relance_test_wait_for_text (GTK_WIDGET (relance_upcoming_page_get_replies_list (page)),
                              "We dispute line 3", "the reply shows its text");
  g_assert_nonnull (relance_test_find_button_with_label (
    GTK_WIDGET (relance_upcoming_page_get_replies_list (page)), "_Resume"));
  g_assert_nonnull (relance_test_find_button_with_label (
    GTK_WIDGET (relance_upcoming_page_get_replies_list (page)), "Pa_yment…"));
  /* The bounce is a task. */
  relance_test_wait_for_text (GTK_WIDGET (relance_upcoming_page_get_tasks_list (page)),
                              "Find a new address for Beta Ltd", "the bounce is a task");

  /* One click: dispute. The invoice is disputed, the reply decided, the row gone. */
  pending = relance_store_inbox_pending_replies (store, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  reply_id = ((RelanceInboxMessage *) pending->pdata[0])->id;
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.reply-decide", "(xs)", reply_id,
                              "dispute");
  wait_replanned (page);
  relance_test_wait_text_gone (GTK_WIDGET (page), "Alpha SARL — A-1", "the reply is decided");
  a1 = relance_store_get_invoice (store, "A-1", &error);
  g_assert_cmpstr (a1->status, ==, "disputed");
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = relance_store_inbox_pending_replies (store, &error);
  g_assert_cmpuint (pending->len, ==, 0);

  /* The task opens the client dialog; a new address clears the bounce. */
  edit = relance_test_find_button_with_label (
    GTK_WIDGET (relance_upcoming_page_get_tasks_list (page)), "_Edit Client…");
  g_assert_nonnull (edit);
  g_signal_emit_by_name (edit, "clicked");
  relance_test_iterate_until (client_dialog_shown, NULL, "the client dialog opens");
  dialog = relance_test_find_toplevel_of_type (RELANCE_TYPE_CLIENT_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (relance_client_dialog_get_field (
                           RELANCE_CLIENT_DIALOG (dialog), "email")), "accounts@beta.example");
  g_signal_emit_by_name (relance_client_dialog_get_save_button (RELANCE_CLIENT_DIALOG (dialog)),
                         "clicked");
  relance_test_iterate_until (client_dialog_gone, NULL, "the client dialog closes");
  relance_test_wait_text_gone (GTK_WIDGET (page), "Find a new address for Beta Ltd",
                               "the task is done");
  invalid = relance_store_inbox_invalid_addresses (store, &error);
  g_assert_cmpuint (invalid->len, ==, 0);

  /* The invoice's timeline shows the answer: kind, sender, text. */
  relance_window_show_invoice (RELANCE_WINDOW (window), "A-1");
  view = relance_test_find_descendant_of_type (window, RELANCE_TYPE_INVOICE_VIEW);
  g_assert_nonnull (view);
  relance_test_wait_for_text (GTK_WIDGET (relance_invoice_view_get_timeline (
                                RELANCE_INVOICE_VIEW (view))), "Reply", "the reply is there");
  relance_test_wait_for_text (GTK_WIDGET (relance_invoice_view_get_timeline (
                                RELANCE_INVOICE_VIEW (view))), "alpha@example.com",
                              "with its sender");
  relance_test_wait_for_text (GTK_WIDGET (relance_invoice_view_get_timeline (
                                RELANCE_INVOICE_VIEW (view))), "We dispute line 3",
                              "and its text");

  relance_test_stop_application (app);
}

/* Promise Date: the invoice gets the date, the reply is decided. */
static void
test_reply_promise (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(RelanceInvoice) a1 = NULL;
  g_autofree char *promised = NULL;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;

  write_reply_and_bounce (path);
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  pending = relance_store_inbox_pending_replies (store, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (page), "upcoming.reply-promise", "(xs)",
                              ((RelanceInboxMessage *) pending->pdata[0])->id, "2026-03-31");
  wait_replanned (page);
  relance_test_wait_text_gone (GTK_WIDGET (page), "Alpha SARL — A-1", "the reply is decided");
  a1 = relance_store_get_invoice (store, "A-1", &error);
  promised = relance_date_to_iso (&a1->promise_date);
  g_assert_cmpstr (promised, ==, "2026-03-31");
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = relance_store_inbox_pending_replies (store, &error);
  g_assert_cmpuint (pending->len, ==, 0);

  relance_test_stop_application (app);
}

/* ---- friendly channels ------------------------------------------------------------ */

/* Mobile SAS (Gentle scenario, a French mobile) owes M-1, due on @due; of the Gentle
 * scenario's steps only the one with @template_key is on, so it is today's message. */
static void
write_friendly (const char *path,
                const char *due,
                const char *template_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open (path, &error);
  g_autoptr(GPtrArray) scenarios = NULL;
  RelanceClient client = { 0 };
  gboolean found = FALSE;

  g_assert_no_error (error);
  client.name = (char *) "Mobile SAS";
  client.email = (char *) "mobile@example.com";
  client.language = (char *) "en";
  client.phone = (char *) "06 12 34 56 78";
  client.country = (char *) "FR";
  client.segment = (char *) "strategic";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);
  relance_test_add_invoice (store, client.id, "M-1", "2026-01-10", due, 80000);

  scenarios = relance_store_list_scenarios (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      if (!g_str_equal (scenario->key, "gentle"))
        continue;
      for (guint j = 0; j < scenario->steps->len; j++)
        {
          RelanceStep *step = g_ptr_array_index (scenario->steps, j);
          gboolean on = g_str_equal (step->template_key, template_key);

          found |= on;
          g_assert_true (relance_store_set_step_enabled (store, step->id, on, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_true (found);
  /* Reminders paused: the background pass of the scheduler would otherwise hand the due
   * task over to the owner (state "done") as soon as the window opens, before the owner
   * opens the chat or makes the call. */
  g_assert_true (relance_store_set_setting (store, RELANCE_SETTING_PAUSED, "true", &error));
  g_assert_no_error (error);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
message_dialog_gone (gpointer data)
{
  return relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

typedef struct
{
  GtkWidget  *window;
  const char *action;
} ButtonSearch;

static gboolean
button_mapped (gpointer data)
{
  ButtonSearch *search = data;

  return relance_test_find_button_with_action (search->window, search->action) != NULL;
}

/* Opens the page's only planned row, as the owner does, and returns its button with
 * @action once on screen. */
static GtkWidget *
find_task_button (GtkWidget  *window,
                  const char *action)
{
  GtkWidget *page = relance_test_find_descendant_of_type (window, RELANCE_TYPE_UPCOMING_PAGE);
  GtkWidget *row = relance_test_find_descendant_of_type (page, ADW_TYPE_EXPANDER_ROW);
  ButtonSearch search = { window, action };

  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  relance_test_iterate_until (button_mapped, &search, "the task's button shows");
  return relance_test_find_button_with_action (window, action);
}

typedef struct
{
  GtkWidget  *dialog;
  const char *label;
} LabelSearch;

static gboolean
response_mapped (gpointer data)
{
  LabelSearch *search = data;

  return relance_test_find_button_with_label (search->dialog, search->label) != NULL;
}

/* Clicks the response button of @dialog labelled @label, and waits for the dialog to go. */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  LabelSearch search = { GTK_WIDGET (dialog), label };

  relance_test_iterate_until (response_mapped, &search, "the response button shows");
  g_signal_emit_by_name (relance_test_find_button_with_label (GTK_WIDGET (dialog), label),
                         "clicked");
  relance_test_iterate_until (message_dialog_gone, NULL, "the form closes");
}

/* Clicks the task row's button with @action and returns the form it opens. */
static AdwMessageDialog *
click_task_button (GtkWidget  *window,
                   const char *action)
{
  GtkWidget *button = find_task_button (window, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  relance_test_iterate_until (message_dialog_shown, NULL, "the form opens");
  return ADW_MESSAGE_DIALOG (relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
}

/* The outbox rows of M-1 made from @template_key, in @state. */
static guint
count_task_rows (RelanceStore *store,
                 const char   *template_key,
                 const char   *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = relance_store_list_outbox (store, "M-1", &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->template_key, template_key) && g_str_equal (item->state, state))
        n++;
    }
  return n;
}

/* Open WhatsApp: the chat opens on wa.me with the text written in, and "Sent?" — yes —
 * records the message on the invoice's timeline. */
static void
test_whatsapp_task (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *uri_log = g_build_filename (g_get_user_cache_dir (), "uris.log", NULL);
  g_autofree char *logged = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const RelancePlannedMessage *message;
  AdwMessageDialog *dialog;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *button;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_setenv ("RELANCE_TEST_URI_LOG", uri_log, TRUE);
  /* Due on 2 March: the Gentle scenario's J+8 WhatsApp nudge is today's. */
  write_friendly (path, "2026-03-02", "whatsapp-nudge");
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  relance_test_wait_for_text (GTK_WIDGET (page), "Mobile SAS", "the task is listed");

  button = find_task_button (window, "upcoming.whatsapp");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Open _WhatsApp…");

  /* What the chat must be opened with: the step's text, as the planner renders it. */
  message = relance_upcoming_page_planned_at (page, 0);
  g_assert_nonnull (message);
  g_assert_cmpstr (message->template_key, ==, "whatsapp-nudge");
  g_assert_true (relance_planner_render (store, message, NULL, &text, NULL, &error));
  g_assert_no_error (error);
  g_strstrip (text);
  g_assert_nonnull (strstr (text, "M-1"));
  escaped = g_uri_escape_string (text, NULL, FALSE);
  expected = g_strdup_printf ("https://wa.me/33612345678?text=%s\n", escaped);
  g_assert_cmpuint (count_task_rows (store, "whatsapp-nudge", "done"), ==, 0);

  dialog = click_task_button (window, "upcoming.whatsapp");
  g_assert_true (g_file_get_contents (uri_log, &logged, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (logged, ==, expected);
  g_assert_null (strchr (expected, ' '));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sent?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Mobile SAS"));
  g_assert_cmpuint (count_task_rows (store, "whatsapp-nudge", "done"), ==, 0);

  respond (dialog, "_Sent");
  wait_replanned (page);
  /* On M-1's timeline (the outbox), done; the step is no longer planned. */
  g_assert_cmpuint (count_task_rows (store, "whatsapp-nudge", "done"), ==, 1);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 0);
  relance_test_wait_for_text (window, "Recorded on the invoice’s timeline", "the toast says so");

  g_unsetenv ("RELANCE_TEST_URI_LOG");
  relance_test_stop_application (app);
}

/* The outcome form of a phone call: "No Answer" keeps the call planned, "Promise to Pay"
 * gives the invoice the date picked in the calendar. */
static void
test_call_outcome_promise (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *promised = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 3, 25, 12, 0, 0);
  AdwMessageDialog *dialog;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;
  GtkWidget *calendar;

  /* Due on 8 February: the Gentle scenario's J+30 call is today's. */
  write_friendly (path, "2026-02-08", "call-task");
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_task_button (
                     window, "upcoming.call-outcome"))), ==, "Call _Outcome…");

  /* No answer: nothing recorded, the call stays planned. */
  dialog = click_task_button (window, "upcoming.call-outcome");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "How Did the Call Go?");
  respond (dialog, "_No Answer");
  relance_test_wait_for_text (window, "No answer: the call stays planned", "the toast says so");
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 1);
  g_assert_cmpuint (count_task_rows (store, "call-task", "done"), ==, 0);
  invoice = relance_store_get_invoice (store, "M-1", &error);
  g_assert_no_error (error);
  g_assert_false (g_date_valid (&invoice->promise_date));
  g_clear_pointer (&invoice, relance_invoice_free);

  /* A promise for 25 March, picked in the form's calendar. */
  dialog = click_task_button (window, "upcoming.call-outcome");
  calendar = relance_test_find_descendant_of_type (GTK_WIDGET (dialog), GTK_TYPE_CALENDAR);
  g_assert_nonnull (calendar);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  respond (dialog, "_Promise to Pay");
  wait_replanned (page);
  invoice = relance_store_get_invoice (store, "M-1", &error);
  g_assert_no_error (error);
  promised = relance_date_to_iso (&invoice->promise_date);
  g_assert_cmpstr (promised, ==, "2026-03-25");
  g_assert_cmpuint (count_task_rows (store, "call-task", "done"), ==, 1);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 0);

  relance_test_stop_application (app);
}

/* "Paid" in the outcome form records the payment of the whole invoice. */
static void
test_call_outcome_paid (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  AdwMessageDialog *dialog;
  RelanceUpcomingPage *page;
  RelanceApplication *app;
  RelanceStore *store;
  GtkWidget *window;

  write_friendly (path, "2026-02-08", "call-task");
  page = open_upcoming (path, &app, &window);
  store = relance_application_get_store (app);
  invoice = relance_store_get_invoice (store, "M-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (invoice->paid, ==, 0);
  g_clear_pointer (&invoice, relance_invoice_free);

  dialog = click_task_button (window, "upcoming.call-outcome");
  respond (dialog, "P_aid");
  wait_replanned (page);
  invoice = relance_store_get_invoice (store, "M-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (invoice->paid, ==, 80000);
  g_assert_cmpuint (relance_upcoming_page_get_n_planned (page), ==, 0);

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

  g_test_add_data_func ("/ui/upcoming/mark-paid-removes-message",
                        test_mark_paid_removes_message, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/skip-undo", test_skip_and_undo,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/postpone-undo", test_postpone_and_undo,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/pause-hides-sending", test_pause_hides_sending,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/uncertain-needs-confirmation",
                        test_uncertain_needs_confirmation, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/send-due", test_send_due, relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/close-while-queueing", test_close_while_queueing,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/empty-state", test_empty_state,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/reply-and-bounce", test_reply_and_bounce,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/reply-promise", test_reply_promise,
                        relance_test_run_in_subprocess);

  g_test_add_data_func ("/ui/upcoming/whatsapp-task", test_whatsapp_task,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/call-outcome-promise", test_call_outcome_promise,
                        relance_test_run_in_subprocess);
  g_test_add_data_func ("/ui/upcoming/call-outcome-paid", test_call_outcome_paid,
                        relance_test_run_in_subprocess);

  return g_test_run ();
}
