/* test-scheduler.c: the background scheduler, under a fake clock the tests drive.
 *
 * Each test builds its own database in a temporary directory (company in Paris, a mail
 * account on a loopback port), gives the scheduler a fake clock (now() is the test's
 * time, arm() records the deadline) and a fake sender (marks the ready rows sent, or
 * failed for the invoice numbers listed), and fires the timer only when the fake time
 * reaches the armed deadline, the way the real timer would. A private D-Bus daemon
 * (GTestDBus) carries the suspend signal and the notifications. The inbox is not read
 * unless a test gives the scheduler the fake inbox reader below (no network, no IMAP:
 * tests/mail/test-inbox.py reads a real server). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relance-account.h"
#include "relance-autostart.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-inbox.h"
#include "relance-mail-error.h"
#include "relance-outbox.h"
#include "relance-planner.h"
#include "relance-scheduler.h"
#include "relance-store.h"

#include "../relance-test-sql.h"

/* ---- fixtures ----------------------------------------------------------------------- */

typedef struct
{
  GDateTime *now;
  GDateTime *deadline;
  guint      arms;
} FakeClock;

static GDateTime *
fake_now (gpointer data)
{
  return g_date_time_ref (((FakeClock *) data)->now);
}

static void
fake_arm (gpointer data, GDateTime *deadline)
{
  FakeClock *clock = data;

  g_clear_pointer (&clock->deadline, g_date_time_unref);
  if (deadline != NULL)
    {
      clock->deadline = g_date_time_ref (deadline);
      clock->arms++;
    }
}

static const RelanceSchedulerClock fake_clock_vtable = { fake_now, fake_arm };

static GDateTime *
parse_time (const char *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static void
fake_clock_set (FakeClock *clock, const char *iso)
{
  g_clear_pointer (&clock->now, g_date_time_unref);
  clock->now = parse_time (iso);
  relance_clock_set_override (clock->now);
}

static void
fake_clock_clear (FakeClock *clock)
{
  g_clear_pointer (&clock->now, g_date_time_unref);
  g_clear_pointer (&clock->deadline, g_date_time_unref);
  relance_clock_set_override (NULL);
}

/* The private D-Bus daemon's address, NULL without one. */
static const char *bus_address;

/* Invoice numbers the fake sender fails instead of sending. */
static const char *fail_numbers[4];

static void
fake_send_async (RelanceStore          *store,
                 GCancellable          *cancellable,
                 RelanceOutboxCallback  callback,
                 gpointer               callback_data,
                 GAsyncReadyCallback    ready,
                 gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, ready, user_data);
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GPtrArray) rows = relance_outbox_list (store, NULL, NULL);
  RelanceOutboxReport *report = g_new0 (RelanceOutboxReport, 1);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (rows, i);
      gboolean fail = FALSE;
      g_autofree char *sql = NULL;

      if (!g_str_equal (item->channel, "email")
          || !(g_str_equal (item->state, "queued")
               || (g_str_equal (item->state, "retry")
                   && item->next_attempt_at <= g_date_time_to_unix (now))))
        continue;
      for (guint f = 0; f < G_N_ELEMENTS (fail_numbers) && fail_numbers[f] != NULL; f++)
        fail = fail || g_strv_contains ((const char * const *) item->invoices, fail_numbers[f]);
      sql = g_strdup_printf ("UPDATE outbox SET state = '%s', sent_at = %" G_GINT64_FORMAT
                             " WHERE id = %" G_GINT64_FORMAT, fail ? "failed" : "sent",
                             g_date_time_to_unix (now), item->id);
      relance_test_sql_exec (store, sql);
      g_free (sql);
      /* As the outbox records it: the reminders of the row share its fate. */
      sql = g_strdup_printf ("UPDATE reminders SET state = '%s', sent_at = %" G_GINT64_FORMAT
                             " WHERE outbox_id = %" G_GINT64_FORMAT, fail ? "failed" : "sent",
                             g_date_time_to_unix (now), item->id);
      relance_test_sql_exec (store, sql);
      callback (item, fail ? "failed" : "sent", callback_data);
      if (fail)
        report->failed++;
      else
        report->sent++;
    }
  g_task_set_task_data (task, report, g_free);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fake_send_finish (RelanceStore         *store,
                  GAsyncResult         *result,
                  RelanceOutboxReport  *report,
                  GError              **error)
{
  *report = *(RelanceOutboxReport *) g_task_get_task_data (G_TASK (result));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The fake inbox reader: what the next checks find, and how many were made. It writes
 * to the test's store as the real one does on its own connection: what it recognised,
 * and on failure the reason and the next try. */
typedef struct
{
  RelanceStore *store;
  guint         calls;
  gboolean      fail;
  const char   *reply_to;   /* an invoice number: the next check finds its client's reply */
  const char   *bounce_of;  /* an invoice number: the next check finds its reminder bounced */
} FakeInbox;

static FakeInbox fake_inbox;

static RelanceInboxMessage *
fake_answer (RelanceInboxKind kind, const char *number, gint64 at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (fake_inbox.store, number,
                                                                 &error);
  RelanceInboxMessage *message = g_new0 (RelanceInboxMessage, 1);
  char *numbers[] = { (char *) number, NULL };

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  message->uidvalidity = 1;
  message->uid = fake_inbox.calls;
  message->message_id = g_strdup_printf ("answer-%u@client.example", fake_inbox.calls);
  message->received_at = at;
  message->sender = g_strdup (kind == RELANCE_INBOX_BOUNCE ? "mailer-daemon@example.com"
                                                           : "compta@example.com");
  message->subject = g_strdup_printf ("Re: %s", number);
  message->kind = kind;
  message->client_id = invoice->client_id;
  message->invoices = g_strdupv (numbers);
  if (kind == RELANCE_INBOX_REPLY)
    message->text = g_strdup ("Paid yesterday by transfer, please check.");
  else
    message->bounced_address = g_strdup ("compta@example.com");
  return message;
}

static void
fake_inbox_async (const char          *db_path,
                  GDateTime           *now,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  ready,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, ready, user_data);
  g_autoptr(GError) error = NULL;
  GPtrArray *recognised =
    g_ptr_array_new_with_free_func ((GDestroyNotify) relance_inbox_message_free);
  gint64 at = g_date_time_to_unix (now);

  g_assert_cmpstr (db_path, ==, relance_store_get_path (fake_inbox.store));
  fake_inbox.calls++;
  if (fake_inbox.fail)
    {
      g_assert_true (relance_store_inbox_set_status (fake_inbox.store, at, "unreachable",
                                                     at + RELANCE_INBOX_POLL_SECONDS, &error));
      g_ptr_array_unref (recognised);
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE,
                               "Cannot reach the mail server");
      return;
    }
  if (fake_inbox.reply_to != NULL || fake_inbox.bounce_of != NULL)
    {
      RelanceInboxMessage *message =
        fake_answer (fake_inbox.reply_to != NULL ? RELANCE_INBOX_REPLY : RELANCE_INBOX_BOUNCE,
                     fake_inbox.reply_to != NULL ? fake_inbox.reply_to : fake_inbox.bounce_of,
                     at);

      g_assert_true (relance_store_inbox_record (fake_inbox.store, message, at, &error));
      g_assert_no_error (error);
      g_ptr_array_add (recognised, message);
      fake_inbox.reply_to = fake_inbox.bounce_of = NULL;
    }
  g_assert_true (relance_store_inbox_set_status (fake_inbox.store, at, NULL, 0, &error));
  g_task_set_task_data (task, recognised, (GDestroyNotify) g_ptr_array_unref);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fake_inbox_finish (GAsyncResult        *result,
                   RelanceInboxReport  *report,
                   GError             **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  report->recognised = g_ptr_array_ref (g_task_get_task_data (G_TASK (result)));
  report->read = report->recognised->len;
  return TRUE;
}

static RelanceStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relance-scheduler-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  RelanceAccount account = {
    .host = (char *) "127.0.0.1", .port = 1, .security = (char *) "none",
    .user = (char *) "owner", .from_address = (char *) "owner@example.com", .timeout = 5,
  };
  RelanceStore *store;

  g_assert_no_error (error);
  path = g_build_filename (dir, "relance.db", NULL);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);

  company = relance_store_get_company (store, &error);
  g_assert_no_error (error);
  g_free (company->name);
  company->name = g_strdup ("Atelier Test");
  g_free (company->country);
  company->country = g_strdup ("FR");
  g_assert_true (relance_store_set_company (store, company, &error));
  g_assert_no_error (error);
  g_assert_true (relance_account_save (store, &account, &error));
  g_assert_no_error (error);
  return store;
}

static void
remove_store (RelanceStore *store)
{
  g_autofree char *path = g_strdup (relance_store_get_path (store));
  g_autofree char *dir = g_path_get_dirname (path);
  const char *suffixes[] = { "", "-wal", "-shm", "-journal", ".scheduler.lock" };

  g_object_unref (store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

static void
add_invoice (RelanceStore *store, const char *client_name, const char *number, const char *due)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) existing = relance_store_find_client (store, client_name, NULL);
  RelanceClient client = {
    .name = (char *) client_name, .email = (char *) "compta@example.com",
    .language = (char *) "fr", .country = (char *) "FR", .kind = (char *) "business",
    .segment = (char *) "regular",
  };
  RelanceInvoice inv = {
    .number = (char *) number, .total = 120000, .currency = (char *) "EUR",
  };

  if (existing != NULL)
    client.id = existing->id;
  else
    {
      g_assert_true (relance_store_save_client (store, &client, &error));
      g_assert_no_error (error);
    }
  inv.client_id = client.id;
  g_assert_true (relance_date_from_iso (due, &inv.due_date));
  inv.issue_date = inv.due_date;
  g_date_subtract_days (&inv.issue_date, 30);
  g_date_clear (&inv.promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, &inv, &error));
  g_assert_no_error (error);
}

static RelanceScheduler *
new_scheduler (RelanceStore *store, FakeClock *clock, GApplication *app)
{
  RelanceScheduler *scheduler = relance_scheduler_new (store, app);

  relance_scheduler_set_clock (scheduler, &fake_clock_vtable, clock);
  relance_scheduler_set_sender (scheduler, fake_send_async, fake_send_finish);
  /* The inbox tests give the fake reader; the others are about sending alone. */
  relance_scheduler_set_inbox_checker (scheduler, NULL, NULL);
  /* No logind here: the sleep test hands its own bus. */
  relance_scheduler_set_sleep_bus (scheduler, NULL);
  return scheduler;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done (a gboolean) or @seconds pass. */
static void
wait_for (const gboolean *done, guint seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

/* The pass (queueing) and the plan run in worker threads and end on this main context:
 * iterate it until both are done. */
static void
wait_idle (RelanceScheduler *scheduler)
{
  while (relance_scheduler_is_busy (scheduler))
    g_main_context_iteration (NULL, TRUE);
}

static void
on_count (gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Iterates the main context (no sleep) for @ms: long enough for the file watch's debounce
 * to go off, for the tests that check nothing more happens. */
static void
run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* Fires the timer if the fake time has reached the armed deadline, as the real one would. */
static gboolean
tick (RelanceScheduler *scheduler, FakeClock *clock)
{
  if (clock->deadline == NULL || g_date_time_compare (clock->now, clock->deadline) < 0)
    return FALSE;
  relance_scheduler_fire (scheduler);
  wait_idle (scheduler);
  return TRUE;
}

static void
assert_wakeup (RelanceScheduler *scheduler, const char *expected_utc)
{
  GDateTime *next = relance_scheduler_get_next_wakeup (scheduler);
  g_autofree char *got = next != NULL ? g_date_time_format (next, "%FT%TZ") : NULL;

  g_assert_cmpstr (got, ==, expected_utc);
}

static int
count_rows (RelanceStore *store, const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE %s", where);

  return (int) relance_test_sql_int (store, sql);
}

/* ---- the timer is armed for exactly the next due moment ---------------------------- */

static void
test_next_due_moment (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;

  /* Due Saturday 14 March 2026; Friday 18:30 in Paris, after the send window. */
  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);

  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  /* Monday 09:00 in Paris, nothing sent at start-up, no wake-up yet. */
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");
  g_assert_nonnull (clock.deadline);
  g_assert_true (g_date_time_equal (clock.deadline, relance_scheduler_get_next_wakeup (scheduler)));
  g_assert_cmpint (count_rows (store, "1"), ==, 0);
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 0);

  /* One second early: the timer would not go off. */
  fake_clock_set (&clock, "2026-03-16T07:59:59Z");
  g_assert_false (tick (scheduler, &clock));
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 1);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  /* The next step waits its gap: J+8, Monday 23 March 09:00 in Paris. */
  assert_wakeup (scheduler, "2026-03-23T08:00:00Z");

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- a payment recorded elsewhere while waiting drops the pending message ----------- */

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_payment_replans (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;
  GDate date;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");  /* J+1: Monday 16, 09:00 */
  add_invoice (store, "Martin SA", "F2", "2026-03-20");    /* J-3: Tuesday 17, 09:00 */
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");

  /* Saturday: the owner records the payment from the command line (another connection). */
  fake_clock_set (&clock, "2026-03-14T10:00:00Z");
  g_signal_connect (scheduler, "notify::next-wakeup", G_CALLBACK (on_notify), &changed);
  other = relance_store_open_quick (relance_store_get_path (store), &error);
  g_assert_no_error (error);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 14, 3, 2026);
  payment = relance_store_pay (other, "F1", -1, &date, &error);
  g_assert_no_error (error);
  g_assert_nonnull (payment);

  /* The store's watch notices it and re-plans: Dupont's message is gone, Martin's is next. */
  wait_for (&changed, 10);
  g_assert_true (changed);
  assert_wakeup (scheduler, "2026-03-17T08:00:00Z");
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 0);

  /* And when the time comes only Martin hears from us. */
  fake_clock_set (&clock, "2026-03-17T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpint (count_rows (store, "1"), ==, 1);
  g_assert_cmpint (count_rows (store, "client_id = (SELECT id FROM clients WHERE name = "
                                      "'Martin SA')"), ==, 1);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- a broken promise is followed up: the timer is armed for the day after it -------- */

static void
set_promise (RelanceStore *store, const char *number, const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) inv = relance_store_get_invoice (store, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (inv);
  g_assert_true (relance_date_from_iso (date, &inv->promise_date));
  g_assert_true (relance_store_save_invoice (store, inv, &error));
  g_assert_no_error (error);
}

static void
test_promise_wakes_up (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  /* Due Monday 2 March; on Wednesday 4 the client promises to pay by Tuesday 10. */
  add_invoice (store, "Dupont SARL", "F1", "2026-03-02");
  set_promise (store, "F1", "2026-03-10");
  fake_clock_set (&clock, "2026-03-04T09:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);

  /* Nothing now, and the timer is armed for Wednesday 11, 09:00 in Paris. */
  g_assert_cmpint (count_rows (store, "1"), ==, 0);
  assert_wakeup (scheduler, "2026-03-11T08:00:00Z");

  /* Friday 6: the client asks for two more days (from another connection). */
  fake_clock_set (&clock, "2026-03-06T10:00:00Z");
  g_signal_connect (scheduler, "notify::next-wakeup", G_CALLBACK (on_notify), &changed);
  other = relance_store_open_quick (relance_store_get_path (store), &error);
  g_assert_no_error (error);
  set_promise (other, "F1", "2026-03-12");
  wait_for (&changed, 10);
  g_assert_true (changed);
  assert_wakeup (scheduler, "2026-03-13T08:00:00Z");
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 0);

  /* The old moment passes quietly; the new one queues and sends the reminder. */
  fake_clock_set (&clock, "2026-03-11T08:00:00Z");
  g_assert_false (tick (scheduler, &clock));
  fake_clock_set (&clock, "2026-03-13T07:59:59Z");
  g_assert_false (tick (scheduler, &clock));
  g_assert_cmpint (count_rows (store, "1"), ==, 0);
  fake_clock_set (&clock, "2026-03-13T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 1);
  g_assert_cmpint (count_rows (store, "state = 'sent' AND template_key = 'first-reminder'"),
                   ==, 1);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- resume after 3 days asleep: one message per client, not a burst ---------------- */

static void
test_resume_catches_up (gconstpointer data)
{
  GDBusConnection *bus = (GDBusConnection *) data;
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GDBusConnection) logind = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint owner;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  add_invoice (store, "Martin SA", "F2", "2026-03-13");
  /* Four steps already past for this one: still a single message. */
  add_invoice (store, "Leroy EURL", "F3", "2026-02-20");
  add_invoice (store, "Leroy EURL", "F4", "2026-03-02");

  /* Sunday evening: Leroy's catch-up went out at start-up; then the lid closes. */
  fake_clock_set (&clock, "2026-03-15T20:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  if (bus != NULL)
    relance_scheduler_set_sleep_bus (scheduler, bus);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  g_assert_cmpint (count_rows (store, "1"), ==, 0); /* Sunday: nothing goes out */
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");

  /* Asleep from Sunday 20:00 to Wednesday 20:00 (the timer stood still), then the
   * morning after, opened at 10:00 in Paris. */
  fake_clock_set (&clock, "2026-03-18T09:00:00Z");
  if (bus != NULL)
    {
      /* logind's PrepareForSleep(false), on a bus we own under logind's name. */
      logind = g_dbus_connection_new_for_address_sync (
        bus_address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
        | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
      g_assert_no_error (error);
      owner = g_bus_own_name_on_connection (logind, "org.freedesktop.login1",
                                            G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
      /* Let the name be taken before the signal goes out. */
      {
        g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
          logind, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
          "GetNameOwner", g_variant_new ("(s)", "org.freedesktop.login1"), NULL,
          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
        while (reply == NULL)
          {
            g_main_context_iteration (NULL, TRUE);
            reply = g_dbus_connection_call_sync (
              logind, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
              "GetNameOwner", g_variant_new ("(s)", "org.freedesktop.login1"), NULL,
              G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
          }
      }
      g_signal_connect_swapped (scheduler, "pass-done", G_CALLBACK (on_timeout), &done);
      g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1",
                                     "org.freedesktop.login1.Manager", "PrepareForSleep",
                                     g_variant_new ("(b)", FALSE), &error);
      g_assert_no_error (error);
      g_dbus_connection_flush_sync (logind, NULL, NULL);
      wait_for (&done, 10);
      g_assert_true (done);
      g_bus_unown_name (owner);
    }
  else
    relance_scheduler_resumed (scheduler);
  wait_idle (scheduler);

  /* One message for each client, Leroy's two invoices together. */
  g_assert_cmpint (count_rows (store, "1"), ==, 3);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 3);
  g_assert_cmpint (count_rows (store, "client_id IN (SELECT client_id FROM outbox GROUP BY "
                                      "client_id HAVING count(*) > 1)"), ==, 0);
  /* And the next step of each waits its gap: nothing due now. */
  g_assert_true (g_date_time_compare (relance_scheduler_get_next_wakeup (scheduler),
                                      clock.now) > 0);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- a second scheduler on the same database defers to the first ------------------- */

static void
test_second_instance_defers (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) first = NULL;
  g_autoptr(RelanceScheduler) second = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gboolean activated = FALSE;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  other = relance_store_open (relance_store_get_path (store), &error);
  g_assert_no_error (error);

  first = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (first));
  second = new_scheduler (other, &clock, NULL);
  g_assert_false (relance_scheduler_start (second));
  g_assert_false (relance_scheduler_is_active (second));
  g_assert_null (relance_scheduler_get_next_wakeup (second));

  /* The deferred one does nothing even when poked. */
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  relance_scheduler_fire (second);
  g_assert_cmpint (count_rows (store, "1"), ==, 0);
  g_assert_cmpuint (relance_scheduler_get_wakeups (second), ==, 0);

  /* The first one stops (the window closes): the second one takes over by itself. */
  g_signal_connect (second, "notify::active", G_CALLBACK (on_notify), &activated);
  relance_scheduler_stop (first);
  wait_for (&activated, 10);
  g_assert_true (relance_scheduler_is_active (second));
  wait_idle (second);
  /* It caught up with what became due meanwhile, once. */
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);

  relance_scheduler_stop (second);
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- an idle scheduler does not wake up between due times --------------------------- */

/* Sending alone: the timer goes off at the due moments and never in between. */
static void
test_idle_wakeups (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GDateTime) end = parse_time ("2026-03-17T12:00:00Z");
  g_autoptr(GPtrArray) fired = g_ptr_array_new_with_free_func (g_free);

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");  /* Monday 16, 09:00 Paris */
  add_invoice (store, "Martin SA", "F2", "2026-03-20");    /* Tuesday 17, 09:00 Paris */
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);

  /* Minute by minute through the weekend and two working days. */
  while (g_date_time_compare (clock.now, end) < 0)
    {
      GDateTime *next = g_date_time_add_minutes (clock.now, 1);

      g_date_time_unref (clock.now);
      clock.now = next;
      relance_clock_set_override (next);
      if (tick (scheduler, &clock))
        g_ptr_array_add (fired, g_date_time_format (next, "%FT%TZ"));
    }

  /* Two wake-ups, each at a due moment; none on Saturday or Sunday. */
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 2);
  g_assert_cmpuint (fired->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fired, 0), ==, "2026-03-16T08:00:00Z");
  g_assert_cmpstr (g_ptr_array_index (fired, 1), ==, "2026-03-17T08:00:00Z");
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 2);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* What reading the inbox adds, honestly: no IMAP IDLE (libcurl 7.88 has none), so once a
 * reminder is out and unanswered the scheduler wakes up every 15 minutes, day and night,
 * weekends included, to poll the inbox; before anything is sent it sleeps as above. */
static void
test_idle_wakeups_inbox (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GDateTime) end = parse_time ("2026-03-17T12:00:00Z");
  g_autoptr(GPtrArray) fired = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) previous_check = NULL;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");  /* Monday 16, 09:00 Paris */
  add_invoice (store, "Martin SA", "F2", "2026-03-20");    /* Tuesday 17, 09:00 Paris */
  fake_inbox = (FakeInbox) { .store = store };
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  relance_scheduler_set_inbox_checker (scheduler, fake_inbox_async, fake_inbox_finish);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);

  while (g_date_time_compare (clock.now, end) < 0)
    {
      GDateTime *next = g_date_time_add_minutes (clock.now, 1);
      guint calls = fake_inbox.calls;

      g_date_time_unref (clock.now);
      clock.now = next;
      relance_clock_set_override (next);
      if (tick (scheduler, &clock))
        {
          g_ptr_array_add (fired, g_date_time_format (next, "%FT%TZ"));
          if (fake_inbox.calls > calls)
            {
              /* Never two checks less than 15 minutes apart. */
              if (previous_check != NULL)
                g_assert_cmpint (g_date_time_difference (next, previous_check), >=,
                                 15 * G_TIME_SPAN_MINUTE);
              g_clear_pointer (&previous_check, g_date_time_unref);
              previous_check = g_date_time_ref (next);
            }
        }
    }

  /* The weekend before the first reminder: silence. Then the reminder, a first look at
   * the inbox the next minute, and a poll every 15 minutes: 96 in the 24 hours to the
   * second reminder, 16 more until noon. */
  g_assert_cmpstr (g_ptr_array_index (fired, 0), ==, "2026-03-16T08:00:00Z");
  g_assert_cmpstr (g_ptr_array_index (fired, 1), ==, "2026-03-16T08:01:00Z");
  g_assert_cmpstr (g_ptr_array_index (fired, 2), ==, "2026-03-16T08:16:00Z");
  g_assert_true (g_ptr_array_find_with_equal_func (fired, "2026-03-17T08:00:00Z",
                                                   g_str_equal, NULL));
  g_assert_cmpuint (fake_inbox.calls, ==, 96 + 16);
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 2 + 96 + 16);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 2);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- the inbox poll ----------------------------------------------------------------- */

static void
test_inbox_poll (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;
  GDate date;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");  /* Monday 16, 09:00 Paris */
  fake_inbox = (FakeInbox) { .store = store };
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  relance_scheduler_set_inbox_checker (scheduler, fake_inbox_async, fake_inbox_finish);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);

  /* Nothing sent yet, no answer to wait for: the inbox is not read, the timer waits for
   * the reminder. */
  g_assert_cmpuint (fake_inbox.calls, ==, 0);
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");

  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  /* A reminder is out: the inbox is read at once the first time… */
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 1);
  /* …then 15 minutes after the last check. */
  assert_wakeup (scheduler, "2026-03-16T08:15:00Z");
  fake_clock_set (&clock, "2026-03-16T08:10:00Z");
  g_assert_false (tick (scheduler, &clock));
  fake_clock_set (&clock, "2026-03-16T08:15:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 2);
  assert_wakeup (scheduler, "2026-03-16T08:30:00Z");

  /* `relance inbox check` from the command line counts as a check too. */
  fake_clock_set (&clock, "2026-03-16T08:20:00Z");
  g_assert_true (relance_store_inbox_set_status (store, g_date_time_to_unix (clock.now), NULL,
                                                 0, &error));
  relance_scheduler_replan (scheduler);
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T08:35:00Z");

  /* Paid: no reminder outstanding any more, the polling stops. */
  g_signal_connect (scheduler, "notify::next-wakeup", G_CALLBACK (on_notify), &changed);
  other = relance_store_open_quick (relance_store_get_path (store), &error);
  g_assert_no_error (error);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 16, 3, 2026);
  payment = relance_store_pay (other, "F1", -1, &date, &error);
  g_assert_no_error (error);
  wait_for (&changed, 10);
  g_assert_true (changed);
  g_assert_null (relance_scheduler_get_next_wakeup (scheduler));
  g_assert_cmpuint (fake_inbox.calls, ==, 2);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* An unreachable server: the next try is the one the store keeps; the network coming
 * back brings it forward. */
static void
test_inbox_failure (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  gint64 checked_at = 0, next_try_at = 0;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  fake_inbox = (FakeInbox) { .store = store, .fail = TRUE };
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  relance_scheduler_set_inbox_checker (scheduler, fake_inbox_async, fake_inbox_finish);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  /* Start-up sent the reminder; the first check is due at once, and fails. */
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 1);
  g_assert_true (relance_store_inbox_get_status (store, &checked_at, &failure, &next_try_at,
                                                 &error));
  g_assert_nonnull (failure);
  assert_wakeup (scheduler, "2026-03-16T08:15:00Z");

  /* Still down at the retry: tried again, once, and again 15 minutes later. */
  fake_clock_set (&clock, "2026-03-16T08:15:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 2);
  assert_wakeup (scheduler, "2026-03-16T08:30:00Z");

  /* The network goes and comes back at 08:20: the check is not kept waiting until 08:30. */
  fake_clock_set (&clock, "2026-03-16T08:20:00Z");
  fake_inbox.fail = FALSE;
  relance_scheduler_network_changed (scheduler, FALSE);
  relance_scheduler_network_changed (scheduler, TRUE);
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T08:20:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 3);
  assert_wakeup (scheduler, "2026-03-16T08:35:00Z");

  /* A network that was there all along changes nothing. */
  relance_scheduler_network_changed (scheduler, TRUE);
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T08:35:00Z");

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* A reply found pauses the client before their next reminder leaves; the owner's decision
 * re-plans it. */
static void
test_inbox_reply_pauses (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  fake_inbox = (FakeInbox) { .store = store };
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  relance_scheduler_set_inbox_checker (scheduler, fake_inbox_async, fake_inbox_finish);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 1);

  /* A week later, the second reminder is due; the client's reply came in meanwhile. */
  fake_clock_set (&clock, "2026-03-23T08:00:00Z");
  fake_inbox.reply_to = "F1";
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpuint (fake_inbox.calls, ==, 2);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  g_assert_cmpint (count_rows (store, "state = 'queued'"), ==, 0);
  pending = relance_store_inbox_pending_replies (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  /* Only the poll is ahead: the reminder waits for the owner. */
  assert_wakeup (scheduler, "2026-03-23T08:15:00Z");

  /* The owner resumes from the window (another connection): re-planned, due now. */
  g_signal_connect (scheduler, "notify::next-wakeup", G_CALLBACK (on_notify), &changed);
  other = relance_store_open_quick (relance_store_get_path (store), &error);
  g_assert_no_error (error);
  g_assert_true (relance_store_inbox_decide (other, ((RelanceInboxMessage *)
                                                     pending->pdata[0])->id, "resume",
                                             &error));
  g_assert_no_error (error);
  wait_for (&changed, 10);
  g_assert_true (changed);
  assert_wakeup (scheduler, "2026-03-23T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 2);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- the real timer (default clock): a retry due in a second ------------------------ */

static void
test_real_timer (void)
{
  RelanceStore *store = open_store ();
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GDateTime) then = parse_time ("2026-03-16T08:00:00Z");
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gboolean done = FALSE;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  queued = relance_outbox_queue_due (store, then, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued->len, ==, 1);
  /* Invoice cancelled since (nothing planned any more); the row waits for its retry. */
  g_assert_true (relance_store_set_invoice_status (store, "F1", "cancelled", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE outbox SET state = 'retry', next_attempt_at = %"
                         G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC + 2);
  relance_test_sql_exec (store, sql);

  scheduler = relance_scheduler_new (store, NULL);
  relance_scheduler_set_sender (scheduler, fake_send_async, fake_send_finish);
  relance_scheduler_set_sleep_bus (scheduler, NULL);
  g_signal_connect_swapped (scheduler, "pass-done", G_CALLBACK (on_timeout), &done);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  g_assert_nonnull (relance_scheduler_get_next_wakeup (scheduler));
  done = FALSE;
  wait_for (&done, 10);
  g_assert_true (done);
  wait_idle (scheduler);
  g_assert_cmpuint (relance_scheduler_get_wakeups (scheduler), ==, 1);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  g_assert_null (relance_scheduler_get_next_wakeup (scheduler));

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  remove_store (store);
}

/* ---- our own writes do not re-plan forever; a change during a pass waits for it ------ */

static void
test_own_writes_settle (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(RelanceStore) other = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  guint plans = 0, notifies = 0, passes = 0;
  GDate date;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");  /* J+1: Monday 16, 09:00 */
  add_invoice (store, "Martin SA", "F2", "2026-03-20");    /* J-3: Tuesday 17, 09:00 */
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_signal_connect_swapped (scheduler, "planned", G_CALLBACK (on_count), &plans);
  g_signal_connect_swapped (scheduler, "pass-done", G_CALLBACK (on_count), &passes);
  g_signal_connect_swapped (scheduler, "notify::next-wakeup", G_CALLBACK (on_count),
                            &notifies);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T08:00:00Z");
  g_assert_cmpuint (plans, ==, 1);

  /* Monday: the pass queues F1 in its worker; while it runs, Martin's payment arrives
   * from the command line. The plan waits for the pass, then sees both. */
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  other = relance_store_open_quick (relance_store_get_path (store), &error);
  g_assert_no_error (error);
  relance_scheduler_fire (scheduler);
  g_assert_true (relance_scheduler_is_busy (scheduler));
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 16, 3, 2026);
  payment = relance_store_pay (other, "F2", -1, &date, &error);
  g_assert_no_error (error);
  relance_scheduler_replan (scheduler); /* as the store's watch would: not in parallel */
  wait_idle (scheduler);
  g_assert_cmpuint (passes, ==, 2);
  g_assert_cmpuint (plans, ==, 2);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);
  /* F2 is paid: Dupont's next step, J+8, is all that is left. */
  assert_wakeup (scheduler, "2026-03-23T08:00:00Z");

  /* The queueing, the sending and the payment were all announced by the store; the
   * scheduler sees them after the debounce, finds nothing new since the last plan began,
   * and rests. */
  notifies = 0;
  run_for (1500);
  g_assert_false (relance_scheduler_is_busy (scheduler));
  g_assert_cmpuint (plans, ==, 2);
  g_assert_cmpuint (notifies, ==, 0);

  /* A real change still re-plans, once. */
  add_invoice (other, "Leroy EURL", "F3", "2026-03-20");  /* J-3: Tuesday 17, 09:00 */
  while (plans < 3)
    g_main_context_iteration (NULL, TRUE);
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-17T08:00:00Z");
  run_for (1500);
  g_assert_cmpuint (plans, ==, 3);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&other);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- stopping while a worker runs (the window closes) ------------------------------- */

static void
test_stop_during_pass (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  RelanceScheduler *scheduler;
  guint passes = 0, plans = 0;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_object_add_weak_pointer (G_OBJECT (scheduler), (gpointer *) &scheduler);
  g_signal_connect_swapped (scheduler, "pass-done", G_CALLBACK (on_count), &passes);
  g_signal_connect_swapped (scheduler, "planned", G_CALLBACK (on_count), &plans);

  /* The catch-up pass at start is queueing in its worker when the window closes. */
  g_assert_true (relance_scheduler_start (scheduler));
  g_assert_true (relance_scheduler_is_busy (scheduler));
  relance_scheduler_stop (scheduler);
  g_object_unref (scheduler);
  /* The worker holds the last reference: the object goes once its callback has run. */
  g_assert_nonnull (scheduler);
  while (scheduler != NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Nothing was sent, reported or planned after the stop. */
  g_assert_cmpuint (passes, ==, 0);
  g_assert_cmpuint (plans, ==, 0);
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 0);

  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- global pause ------------------------------------------------------------------- */

static void
test_pause (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  g_assert_true (relance_store_set_setting (store, RELANCE_SETTING_PAUSED, "true", &error));
  fake_clock_set (&clock, "2026-03-16T09:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  /* Due, but paused: nothing queued, no timer. */
  g_assert_cmpint (count_rows (store, "1"), ==, 0);
  g_assert_null (relance_scheduler_get_next_wakeup (scheduler));

  g_assert_true (relance_store_set_setting (store, RELANCE_SETTING_PAUSED, "false", &error));
  relance_scheduler_replan (scheduler);
  g_assert_true (relance_scheduler_is_busy (scheduler)); /* planning, in a worker */
  wait_idle (scheduler);
  assert_wakeup (scheduler, "2026-03-16T09:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  g_assert_cmpint (count_rows (store, "state = 'sent'"), ==, 1);

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- notifications (captured as org.gtk.Notifications on the private bus) ----------- */

typedef struct
{
  guint      count;
  char      *id;
  GVariant  *notification;
} Captured;

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  Captured *captured = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      captured->count++;
      g_clear_pointer (&captured->id, g_free);
      g_clear_pointer (&captured->notification, g_variant_unref);
      g_variant_get (parameters, "(ss@a{sv})", NULL, &captured->id, &captured->notification);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
test_notification (gconstpointer data)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GDBusConnection) shell = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  Captured captured = { 0 };
  const char *title = NULL, *action = NULL;
  g_autoptr(GVariant) target = NULL;
  guint registration, owner;
  gboolean owned = FALSE;

  if (data == NULL)
    {
      g_test_skip ("No private D-Bus daemon");
      remove_store (store);
      return;
    }

  /* The desktop's side: a notification server under GTK's name. */
  shell = g_dbus_connection_new_for_address_sync (
    bus_address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
    | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (shell, "/org/gtk/Notifications",
                                                    info->interfaces[0], &vtable, &captured,
                                                    NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (shell, "org.gtk.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_name_acquired, NULL,
                                        &owned, NULL);
  wait_for (&owned, 10);
  g_assert_true (owned);

  app = g_application_new (APPLICATION_ID ".SchedulerTest", G_APPLICATION_DEFAULT_FLAGS);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

  add_invoice (store, "Dupont SARL", "F1", "2026-03-14");
  add_invoice (store, "Martin SA", "F2", "2026-03-13");
  fail_numbers[0] = "F2";
  fake_clock_set (&clock, "2026-03-13T17:30:00Z");
  scheduler = new_scheduler (store, &clock, app);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);

  /* A pass that sends nothing says nothing. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (captured.count, ==, 0);

  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  g_assert_true (tick (scheduler, &clock));
  while (captured.count == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (captured.count, ==, 1);
  g_assert_cmpstr (captured.id, ==, "batch");
  g_assert_true (g_variant_lookup (captured.notification, "title", "&s", &title));
  g_assert_cmpstr (title, ==, "1 reminder sent, 1 failed");
  /* Clicking it opens the window on the failed reminder's invoice. */
  g_assert_true (g_variant_lookup (captured.notification, "default-action", "&s", &action));
  g_assert_cmpstr (action, ==, "app.show-history");
  target = g_variant_lookup_value (captured.notification, "default-action-target", NULL);
  g_assert_nonnull (target);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "F2");

  fail_numbers[0] = NULL;
  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (shell, registration);
  g_clear_pointer (&captured.id, g_free);
  g_clear_pointer (&captured.notification, g_variant_unref);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* A reply and a bounce found in the inbox each tell the owner, and open Upcoming. */
static void
test_inbox_notifications (gconstpointer data)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GDBusConnection) shell = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  Captured captured = { 0 };
  const char *title = NULL, *body = NULL, *action = NULL;
  g_autoptr(GVariant) target = NULL;
  guint registration, owner;
  gboolean owned = FALSE;

  if (data == NULL)
    {
      g_test_skip ("No private D-Bus daemon");
      remove_store (store);
      return;
    }

  shell = g_dbus_connection_new_for_address_sync (
    bus_address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
    | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (shell, "/org/gtk/Notifications",
                                                    info->interfaces[0], &vtable, &captured,
                                                    NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (shell, "org.gtk.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_name_acquired, NULL, &owned, NULL);
  wait_for (&owned, 10);
  g_assert_true (owned);
  app = g_application_new (APPLICATION_ID ".SchedulerInboxTest", G_APPLICATION_DEFAULT_FLAGS);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

  add_invoice (store, "Garage des Alpes", "F2026-0103", "2026-03-14");
  add_invoice (store, "Martin SA", "F2026-0104", "2026-03-14");
  fake_inbox = (FakeInbox) { .store = store };
  fake_clock_set (&clock, "2026-03-16T08:00:00Z");
  scheduler = new_scheduler (store, &clock, app);
  relance_scheduler_set_inbox_checker (scheduler, fake_inbox_async, fake_inbox_finish);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  /* The batch of two reminders sent at start-up. */
  while (captured.count == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (captured.id, ==, "batch");

  fake_inbox.reply_to = "F2026-0103";
  g_assert_true (tick (scheduler, &clock));
  while (captured.count < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (captured.id, "inbox-reply-"));
  g_assert_true (g_variant_lookup (captured.notification, "title", "&s", &title));
  g_assert_cmpstr (title, ==, "Garage des Alpes replied about F2026-0103");
  g_assert_true (g_variant_lookup (captured.notification, "body", "&s", &body));
  g_assert_cmpstr (body, ==, "Paid yesterday by transfer, please check.");
  g_assert_true (g_variant_lookup (captured.notification, "default-action", "&s", &action));
  g_assert_cmpstr (action, ==, "app.show-history");
  target = g_variant_lookup_value (captured.notification, "default-action-target", NULL);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "");

  fake_inbox.bounce_of = "F2026-0104";
  fake_clock_set (&clock, "2026-03-16T08:15:00Z");
  g_assert_true (tick (scheduler, &clock));
  while (captured.count < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (captured.id, "inbox-bounce-"));
  g_assert_true (g_variant_lookup (captured.notification, "title", "&s", &title));
  g_assert_cmpstr (title, ==, "The address of Martin SA bounced: find a new one");
  g_assert_true (g_variant_lookup (captured.notification, "body", "&s", &body));
  g_assert_cmpstr (body, ==, "compta@example.com");

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (shell, registration);
  g_clear_pointer (&captured.id, g_free);
  g_clear_pointer (&captured.notification, g_variant_unref);
  fake_clock_clear (&clock);
  remove_store (store);
}

/* ---- autostart ---------------------------------------------------------------------- */

static void
test_autostart_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = relance_autostart_get_path ();
  g_autofree char *expected_dir = g_build_filename (g_get_user_config_dir (), "autostart",
                                                    NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *exec = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *validate = g_find_program_in_path ("desktop-file-validate");

  g_assert_true (g_str_has_prefix (path, expected_dir));
  g_assert_true (g_str_has_suffix (path, "/" APPLICATION_ID ".desktop"));
  /* Off by default. */
  g_assert_false (relance_autostart_is_enabled ());

  g_assert_true (relance_autostart_set (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (relance_autostart_is_enabled ());
  g_assert_true (g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (keys, "Desktop Entry", "Exec", &error);
  g_assert_cmpstr (exec, ==, "relance --background");
  g_assert_true (g_key_file_get_boolean (keys, "Desktop Entry", "X-GNOME-Autostart-enabled",
                                         NULL));
  g_assert_true (g_key_file_get_boolean (keys, "Desktop Entry", "NoDisplay", NULL));

  if (validate != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("desktop-file-validate %s", path);
      g_autofree char *out = NULL;
      int status = 0;

      g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, &status, &error));
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  /* Another database: named on the command line, quoted for the Exec key. */
  g_assert_true (relance_autostart_set (TRUE, "/tmp/my books/relance.db", &error));
  g_assert_true (g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &error));
  g_free (exec);
  exec = g_key_file_get_string (keys, "Desktop Entry", "Exec", &error);
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, &error));
  g_assert_cmpuint (g_strv_length (argv), ==, 4);
  g_assert_cmpstr (argv[2], ==, "/tmp/my books/relance.db");
  g_assert_cmpstr (argv[3], ==, "--background");

  g_assert_true (relance_autostart_set (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Switching off twice is fine. */
  g_assert_true (relance_autostart_set (FALSE, NULL, &error));
}

/* ---- the bank folder: a statement saved there pays invoices by itself ------------- */

static gboolean
invoice_paid (RelanceStore *store, const char *number)
{
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, number, NULL);

  return invoice != NULL && invoice->paid == invoice->total;
}

static gboolean
on_poll (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_bank_folder (void)
{
  RelanceStore *store = open_store ();
  FakeClock clock = { 0 };
  g_autoptr(RelanceScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (g_path_get_dirname (relance_store_get_path (store)),
                                              "statements", NULL);
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "bank",
                                                    "camt053-v02.xml", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *target = g_build_filename (folder, "releve-novembre.xml", NULL);
  g_autofree char *ignored = g_build_filename (folder, "notes.txt", NULL);
  gint64 deadline;
  guint poll;

  add_invoice (store, "Garage des Alpes", "F2026-0101", "2026-10-31");
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (relance_store_set_setting (store, "bank-folder", folder, &error));
  g_assert_no_error (error);
  fake_clock_set (&clock, "2026-11-20T09:00:00Z");
  scheduler = new_scheduler (store, &clock, NULL);
  g_assert_true (relance_scheduler_start (scheduler));
  wait_idle (scheduler);
  g_assert_false (invoice_paid (store, "F2026-0101"));

  /* Saved as browsers do (written aside, then renamed); another file is left alone. */
  g_assert_true (g_file_get_contents (fixture, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (ignored, "not a statement", -1, NULL));
  g_assert_true (g_file_set_contents (target, contents, -1, &error));
  g_assert_no_error (error);
  poll = g_timeout_add (100, on_poll, NULL);
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!invoice_paid (store, "F2026-0101") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (poll);
  g_assert_true (invoice_paid (store, "F2026-0101"));

  relance_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  fake_clock_clear (&clock);
  remove_store (store);
}

int
main (int argc, char **argv)
{
  g_autoptr(GTestDBus) dbus = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_unsetenv ("RELANCE_NOW");
  /* GApplication would pick the freedesktop backend when GTK's is not up yet. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);

  if (daemon != NULL)
    {
      dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (dbus);
      bus_address = g_test_dbus_get_bus_address (dbus);
      bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
    }

  g_test_add_func ("/scheduler/next-due-moment", test_next_due_moment);
  g_test_add_func ("/scheduler/payment-replans", test_payment_replans);
  g_test_add_func ("/scheduler/promise-wakes-up", test_promise_wakes_up);
  g_test_add_data_func ("/scheduler/resume-catches-up", bus, test_resume_catches_up);
  g_test_add_func ("/scheduler/second-instance-defers", test_second_instance_defers);
  g_test_add_func ("/scheduler/idle-wakeups", test_idle_wakeups);
  g_test_add_func ("/scheduler/idle-wakeups-inbox", test_idle_wakeups_inbox);
  g_test_add_func ("/scheduler/inbox-poll", test_inbox_poll);
  g_test_add_func ("/scheduler/inbox-failure", test_inbox_failure);
  g_test_add_func ("/scheduler/inbox-reply-pauses", test_inbox_reply_pauses);
  g_test_add_func ("/scheduler/real-timer", test_real_timer);
  g_test_add_func ("/scheduler/pause", test_pause);
  g_test_add_func ("/scheduler/own-writes-settle", test_own_writes_settle);
  g_test_add_func ("/scheduler/stop-during-pass", test_stop_during_pass);
  g_test_add_data_func ("/scheduler/notification", bus, test_notification);
  g_test_add_data_func ("/scheduler/inbox-notifications", bus, test_inbox_notifications);
  g_test_add_func ("/scheduler/autostart-file", test_autostart_file);
  g_test_add_func ("/scheduler/bank-folder", test_bank_folder);

  status = g_test_run ();
  g_clear_object (&bus);
  if (dbus != NULL)
    g_test_dbus_down (dbus);
  return status;
}
