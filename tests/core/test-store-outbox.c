/* test-store-outbox.c: the outbox in the store (relance-store-outbox.h): queueing a row
 * with its reminders, the rule that holds a queued reminder back (a payment, cancellation,
 * dispute, promise, pause, a partial payment, a reply), claiming a row once, recording its
 * outcome, recovering what a dead claimer left, and the user's decisions. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-store-inbox.h"
#include "relance-store-outbox.h"
#include "relance-store.h"

/* Monday 16 March 2026, 10:00 UTC. */
#define NOW ((gint64) 1773655200)

typedef struct
{
  RelanceStore *store;
  gint64        steps[4];
  gint64        client_id;
  gint64        f1;       /* 1 000.00 € */
  gint64        f2;       /* 2 000.00 € */
  GDate         today;
  guint         changes;  /* RelanceStore::changed with the outbox in it */
} Fixture;

static void
on_changed (RelanceStore *store, const RelanceStoreChange *change, gpointer user_data)
{
  Fixture *f = user_data;

  if (change->what & RELANCE_STORE_CHANGED_OUTBOX)
    f->changes++;
}

static gint64
add_invoice (Fixture *f, const char *number, gint64 total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) stored = NULL;
  RelanceInvoice inv = { .number = (char *) number, .client_id = f->client_id, .total = total,
                         .currency = (char *) "EUR", .status = (char *) "open" };

  g_assert_true (relance_date_from_iso ("2026-01-01", &inv.issue_date));
  g_assert_true (relance_date_from_iso ("2026-02-01", &inv.due_date));
  g_date_clear (&inv.promise_date, 1);
  g_assert_true (relance_store_save_invoice (f->store, &inv, &error));
  g_assert_no_error (error);
  stored = relance_store_get_invoice (f->store, number, &error);
  g_assert_no_error (error);
  return stored->id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "outbox.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  RelanceScenario *scenario;
  RelanceClient client = { .name = (char *) "Dupont SARL", .email = (char *) "a@example.fr",
                           .language = (char *) "fr", .kind = (char *) "business",
                           .segment = (char *) "regular" };

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->store = relance_store_open (path, &error);
  g_assert_no_error (error);
  scenarios = relance_store_list_scenarios (f->store, &error);
  g_assert_no_error (error);
  scenario = g_ptr_array_index (scenarios, 0);
  g_assert_cmpuint (scenario->steps->len, >=, G_N_ELEMENTS (f->steps));
  for (guint i = 0; i < G_N_ELEMENTS (f->steps); i++)
    f->steps[i] = ((RelanceStep *) g_ptr_array_index (scenario->steps, i))->id;
  g_assert_true (relance_store_save_client (f->store, &client, &error));
  g_assert_no_error (error);
  f->client_id = client.id;
  f->f1 = add_invoice (f, "F1", 100000);
  f->f2 = add_invoice (f, "F2", 200000);
  g_date_clear (&f->today, 1);
  g_date_set_dmy (&f->today, 16, 3, 2026);
  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup (relance_store_get_path (f->store));
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

/* A row as the outbox queues it: an email for @n invoices of @invoices, each at @step,
 * asking for what they owe now. */
static RelanceOutboxRow
email_row (Fixture *f, const gint64 *invoices, const gint64 *steps, guint n, GBytes *raw)
{
  RelanceOutboxRow row = {
    .client_id = f->client_id, .channel = "email", .tone = "courteous",
    .scenario_key = "standard", .step_offset = 1, .template_key = "first-reminder",
    .state = "queued", .recipients = "a@example.fr, b@example.fr", .subject = "Relance",
    .message_id = "m@relance", .raw = raw, .scheduled_at = NOW - 3600, .queued_at = NOW - 60,
    .n_invoices = n, .invoice_ids = invoices, .step_ids = steps,
  };

  g_autoptr(GPtrArray) all = relance_store_list_invoices (f->store, RELANCE_INVOICE_FILTER_ALL,
                                                          &f->today, NULL);

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < all->len; k++)
      {
        RelanceInvoice *inv = g_ptr_array_index (all, k);
        if (inv->id == invoices[i])
          row.amount_due += relance_invoice_get_outstanding (inv);
      }
  return row;
}

static gint64
queue (Fixture *f, const gint64 *invoices, const gint64 *steps, guint n)
{
  g_autoptr(GBytes) raw = g_bytes_new_static ("the message", 11);
  g_autoptr(GError) error = NULL;
  RelanceOutboxRow row = email_row (f, invoices, steps, n, raw);
  gint64 id = 0;

  g_assert_true (relance_store_queue_outbox (f->store, &row, 1, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static RelanceOutboxItem *
get (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  RelanceOutboxItem *item = relance_store_get_outbox_item (f->store, id, FALSE, &error);

  g_assert_no_error (error);
  return item;
}

static guint
n_rows_of (Fixture *f, const char *invoice_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relance_store_list_outbox (f->store, invoice_number, &error);

  g_assert_no_error (error);
  return rows->len;
}

/* ---- queueing and reading ----------------------------------------------------------- */

static void
test_queue_and_read (Fixture *f, gconstpointer data)
{
  const gint64 invoices[] = { f->f1, f->f2 };
  const gint64 steps[] = { f->steps[0], f->steps[0] };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) item = NULL;
  g_autoptr(RelanceOutboxItem) missing = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GArray) ready = NULL;
  RelanceOutboxRow task = email_row (f, &f->f1, &f->steps[1], 1, NULL);
  gboolean emails = FALSE, sms = TRUE;
  gint64 id, task_id = 0, at = -1;

  id = queue (f, invoices, steps, 2);
  g_assert_cmpuint (f->changes, ==, 1);
  item = relance_store_get_outbox_item (f->store, id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->state, ==, "queued");
  g_assert_cmpstr (item->client_name, ==, "Dupont SARL");
  g_assert_cmpuint (g_strv_length (item->recipients), ==, 2);
  g_assert_cmpstr (item->recipients[1], ==, "b@example.fr");
  g_assert_cmpuint (g_strv_length (item->invoices), ==, 2);
  g_assert_cmpstr (item->invoices[0], ==, "F1");
  g_assert_cmpuint (g_bytes_get_size (item->raw), ==, 11);
  g_assert_cmpint (item->sent_at, ==, 0);

  missing = relance_store_get_outbox_item (f->store, id + 100, FALSE, &error);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  /* A task handed to the owner: done at once, nothing for a batch to send. */
  task.channel = "task";
  task.state = "done";
  task.sent_at = NOW;
  g_assert_true (relance_store_queue_outbox (f->store, &task, 1, FALSE, &task_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&item, relance_outbox_item_free);
  item = get (f, task_id);
  g_assert_cmpint (item->sent_at, ==, NOW);

  g_assert_cmpuint (n_rows_of (f, NULL), ==, 2);
  g_assert_cmpuint (n_rows_of (f, "F1"), ==, 2);
  g_assert_cmpuint (n_rows_of (f, "F2"), ==, 1);
  mine = relance_store_list_client_outbox (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 2);

  g_assert_cmpint (relance_store_count_ready_outbox (f->store, NOW, &error), ==, 1);
  ready = relance_store_list_ready_outbox (f->store, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 1);
  g_assert_cmpint (g_array_index (ready, gint64, 0), ==, id);
  g_assert_true (relance_store_get_waiting_channels (f->store, NOW, &emails, &sms, &error));
  g_assert_true (emails);
  g_assert_false (sms);
  g_assert_true (relance_store_get_outbox_next_due (f->store, &at, &error));
  g_assert_cmpint (at, ==, 0);
}

/* A reminder is unique per invoice and step: a row another process queued first is
 * theirs; the rest of the batch is kept, or nothing is written when asked. */
static void
test_queue_taken (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) raw = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  RelanceOutboxRow rows[2];
  gint64 ids[2] = { -1, -1 };

  queue (f, &f->f1, &f->steps[0], 1);
  rows[0] = email_row (f, &f->f1, &f->steps[0], 1, raw);
  rows[1] = email_row (f, &f->f2, &f->steps[0], 1, raw);
  g_assert_true (relance_store_queue_outbox (f->store, rows, 2, TRUE, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ids[0], ==, 0);
  g_assert_cmpint (ids[1], >, 0);
  g_assert_cmpuint (n_rows_of (f, NULL), ==, 2);

  rows[1] = email_row (f, &f->f2, &f->steps[1], 1, raw);
  g_assert_false (relance_store_queue_outbox (f->store, rows, 2, FALSE, ids, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_cmpuint (n_rows_of (f, NULL), ==, 2);
}

/* ---- the rule that holds a reminder back ------------------------------------------- */

typedef enum { PAID, CANCELLED, DISPUTED, PROMISED, CLIENT_PAUSED, DO_NOT_REMIND,
               PARTIAL, NOTHING } Change;

static const struct
{
  Change      change;
  const char *reason;  /* NULL: the row still leaves */
} hold_cases[] = {
  { PAID, "Invoice F1 was paid before the reminder left." },
  { CANCELLED, "Invoice F1 was marked cancelled before the reminder left." },
  { DISPUTED, "Invoice F1 was marked disputed before the reminder left." },
  { PROMISED, "A payment was promised for invoice F1." },
  { CLIENT_PAUSED, "Reminders to this client were paused." },
  { DO_NOT_REMIND, "Reminders to this client were paused." },
  { PARTIAL, "A payment was recorded since the reminder was prepared: it will be prepared "
             "again with the amount still due." },
  { NOTHING, NULL },
};

static void
apply_change (Fixture *f, Change change)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) f1 = relance_store_get_invoice (f->store, "F1", &error);
  g_autoptr(RelanceClient) client = relance_store_get_client (f->store, f->client_id, &error);
  g_autoptr(RelancePayment) payment = NULL;

  switch (change)
    {
    case PAID:
    case PARTIAL:
      payment = relance_store_pay (f->store, "F1", change == PAID ? -1 : 1000, &f->today,
                                   &error);
      break;
    case CANCELLED:
    case DISPUTED:
      relance_store_set_invoice_status (f->store, "F1",
                                        change == CANCELLED ? "cancelled" : "disputed", &error);
      break;
    case PROMISED:
      f1->promise_date = f->today;
      relance_store_save_invoice (f->store, f1, &error);
      break;
    case CLIENT_PAUSED:
    case DO_NOT_REMIND:
      client->paused = change == CLIENT_PAUSED;
      client->do_not_remind = change == DO_NOT_REMIND;
      relance_store_save_client (f->store, client, &error);
      break;
    case NOTHING:
    default:
      break;
    }
  g_assert_no_error (error);
}

static void
test_hold_rules (Fixture *f, gconstpointer data)
{
  const gint64 invoices[] = { f->f1, f->f2 };

  for (guint c = 0; c < G_N_ELEMENTS (hold_cases); c++)
    {
      const gint64 steps[] = { f->steps[c % 4], f->steps[c % 4] };
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceOutboxItem) claimed = NULL;
      RelanceOutboxItem *cancelled = NULL;
      g_autofree char *reason = NULL;
      gboolean paused = FALSE;
      gint64 id;

      /* A fresh pair of invoices each time: the same numbers, the same rows of the table. */
      if (c > 0)
        {
          fixture_teardown (f, NULL);
          fixture_setup (f, NULL);
        }
      id = queue (f, invoices, steps, 2);
      apply_change (f, hold_cases[c].change);

      g_assert_true (relance_store_check_outbox_row (f->store, id, &f->today, NOW, &reason,
                                                     &error));
      g_assert_no_error (error);
      g_assert_cmpstr (reason, ==, hold_cases[c].reason);

      claimed = relance_store_claim_outbox (f->store, id, "me", NOW, &f->today, &cancelled,
                                            &paused, &error);
      g_assert_no_error (error);
      g_assert_false (paused);
      if (hold_cases[c].reason == NULL)
        {
          g_assert_nonnull (claimed);
          g_assert_null (cancelled);
          g_assert_cmpstr (claimed->state, ==, "sending");
          continue;
        }
      g_assert_null (claimed);
      g_assert_nonnull (cancelled);
      g_assert_cmpstr (cancelled->state, ==, "cancelled");
      g_assert_cmpstr (cancelled->last_error, ==, hold_cases[c].reason);
      /* F2 is still to remind: its step goes back to the planner. F1 keeps the cancelled
       * reminder on its timeline, unless it is still to remind too (a partial payment). */
      g_assert_cmpuint (n_rows_of (f, "F2"), ==,
                        hold_cases[c].change == CLIENT_PAUSED
                        || hold_cases[c].change == DO_NOT_REMIND ? 1 : 0);
      g_assert_cmpuint (n_rows_of (f, "F1"), ==, hold_cases[c].change == PARTIAL ? 0 : 1);
      relance_outbox_item_free (cancelled);
    }
}

#define REPLIED "The client replied: reminders wait for your decision."

/* A reply or a bounce in the inbox cancels every waiting row of the client and gives all
 * their steps back; a row queued since is held at its claim. */
static void
test_inbox_hold (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) first = NULL;
  g_autoptr(RelanceOutboxItem) claimed = NULL;
  g_autofree char *reason = NULL;
  RelanceOutboxItem *cancelled = NULL;
  gboolean paused = FALSE;
  RelanceInboxMessage reply = {
    .uid = 1, .uidvalidity = 1, .received_at = NOW - 30, .sender = (char *) "a@example.fr",
    .subject = (char *) "Re: F1", .kind = RELANCE_INBOX_REPLY, .client_id = f->client_id,
    .invoices = (char *[]) { (char *) "F1", NULL },
  };
  gint64 id, later;

  id = queue (f, &f->f1, &f->steps[0], 1);
  g_assert_true (relance_store_inbox_record (f->store, &reply, NOW - 30, &error));
  g_assert_no_error (error);
  g_free (reply.action);
  first = get (f, id);
  g_assert_cmpstr (first->state, ==, "cancelled");
  g_assert_cmpstr (first->last_error, ==, REPLIED);
  g_assert_cmpuint (g_strv_length (first->invoices), ==, 0);

  later = queue (f, &f->f1, &f->steps[0], 1);
  g_assert_true (relance_store_check_outbox_row (f->store, later, &f->today, NOW, &reason,
                                                 &error));
  g_assert_cmpstr (reason, ==, REPLIED);
  claimed = relance_store_claim_outbox (f->store, later, "me", NOW, &f->today, &cancelled,
                                        &paused, &error);
  g_assert_no_error (error);
  g_assert_null (claimed);
  g_assert_nonnull (cancelled);
  relance_outbox_item_free (cancelled);
}

/* `relance pause`: nothing is claimed, nothing is cancelled. */
static void
test_sending_paused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) claimed = NULL;
  g_autoptr(RelanceOutboxItem) row = NULL;
  RelanceOutboxItem *cancelled = NULL;
  gboolean paused = FALSE;
  gint64 id = queue (f, &f->f1, &f->steps[0], 1);

  g_assert_true (relance_store_set_setting (f->store, RELANCE_SETTING_PAUSED, "true", &error));
  claimed = relance_store_claim_outbox (f->store, id, "me", NOW, &f->today, &cancelled,
                                        &paused, &error);
  g_assert_no_error (error);
  g_assert_null (claimed);
  g_assert_null (cancelled);
  g_assert_true (paused);
  row = get (f, id);
  g_assert_cmpstr (row->state, ==, "queued");
}

/* ---- claiming, recording, recovering ------------------------------------------------ */

static void
test_claim_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) mine = NULL;
  g_autoptr(RelanceOutboxItem) again = NULL;
  RelanceOutboxItem *cancelled = NULL;
  gboolean paused = FALSE;
  gint64 id = queue (f, &f->f1, &f->steps[0], 1);

  mine = relance_store_claim_outbox (f->store, id, "me", NOW, &f->today, &cancelled, &paused,
                                     &error);
  g_assert_no_error (error);
  g_assert_nonnull (mine);
  g_assert_cmpstr (mine->state, ==, "sending");
  g_assert_cmpint (mine->attempts, ==, 1);
  g_assert_nonnull (mine->raw);
  g_assert_cmpint (relance_store_count_ready_outbox (f->store, NOW, &error), ==, 0);

  again = relance_store_claim_outbox (f->store, id, "other", NOW, &f->today, &cancelled,
                                      &paused, &error);
  g_assert_no_error (error);
  g_assert_null (again);
  g_assert_null (cancelled);
  g_assert_false (paused);
}

static RelanceOutboxItem *
claim (Fixture *f, gint64 id, const char *claimer)
{
  g_autoptr(GError) error = NULL;
  RelanceOutboxItem *cancelled = NULL;
  gboolean paused = FALSE;
  RelanceOutboxItem *item = relance_store_claim_outbox (f->store, id, claimer, NOW, &f->today,
                                                        &cancelled, &paused, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
test_record (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) sent = claim (f, queue (f, &f->f1, &f->steps[0], 1), "me");
  g_autoptr(RelanceOutboxItem) given = claim (f, queue (f, &f->f1, &f->steps[1], 1), "me");
  g_autoptr(RelanceOutboxItem) later = claim (f, queue (f, &f->f1, &f->steps[2], 1), "me");
  g_autoptr(RelanceOutboxItem) row = NULL;
  gint64 at = 0;

  g_assert_true (relance_store_record_outbox (f->store, sent, "sent", 0, "250 Ok", NULL, FALSE,
                                              NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sent->state, ==, "sent");
  g_assert_cmpint (sent->sent_at, ==, NOW);
  row = get (f, sent->id);
  g_assert_cmpstr (row->state, ==, "sent");
  g_assert_cmpstr (row->server_reply, ==, "250 Ok");
  g_assert_cmpint (row->sent_at, ==, NOW);
  g_clear_pointer (&row, relance_outbox_item_free);

  /* Given back untouched (the account failed): as if never claimed. */
  g_assert_true (relance_store_record_outbox (f->store, given, "queued", 0, NULL,
                                              "The server is unreachable.", TRUE, NOW, &error));
  row = get (f, given->id);
  g_assert_cmpstr (row->state, ==, "queued");
  g_assert_cmpint (row->attempts, ==, 0);
  g_clear_pointer (&row, relance_outbox_item_free);

  /* A temporary failure: ready again at its time, and the scheduler wakes up for it. */
  g_assert_true (relance_store_record_outbox (f->store, later, "retry", NOW + 300, "451 Later",
                                              "Try again later.", FALSE, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpint (relance_store_count_ready_outbox (f->store, NOW, &error), ==, 1);
  g_assert_cmpint (relance_store_count_ready_outbox (f->store, NOW + 300, &error), ==, 2);
  g_assert_true (relance_store_get_outbox_next_due (f->store, &at, &error));
  g_assert_cmpint (at, ==, 0); /* the row given back waits already */
}

static gboolean
only_alive_lives (const char *token, gpointer user_data)
{
  (*(guint *) user_data)++;
  return g_strcmp0 (token, "alive") == 0;
}

static void
test_recover (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) dead = claim (f, queue (f, &f->f1, &f->steps[0], 1), "dead");
  g_autoptr(RelanceOutboxItem) alive = claim (f, queue (f, &f->f2, &f->steps[0], 1), "alive");
  g_autoptr(RelanceOutboxItem) row = NULL;
  guint asked = 0;

  g_assert_cmpint (relance_store_recover_outbox (f->store, only_alive_lives, &asked, &error),
                   ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (asked, ==, 2);
  row = get (f, dead->id);
  g_assert_cmpstr (row->state, ==, "uncertain");
  g_assert_nonnull (row->last_error);
  g_clear_pointer (&row, relance_outbox_item_free);
  row = get (f, alive->id);
  g_assert_cmpstr (row->state, ==, "sending");
  g_clear_pointer (&row, relance_outbox_item_free);

  /* Its outcome may still arrive: sent wins over uncertain. */
  g_assert_true (relance_store_record_outbox (f->store, dead, "sent", 0, "250 Ok", NULL, FALSE,
                                              NOW, &error));
  row = get (f, dead->id);
  g_assert_cmpstr (row->state, ==, "sent");
}

/* ---- the user's decisions ----------------------------------------------------------- */

static void
test_decisions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) failed = claim (f, queue (f, &f->f1, &f->steps[0], 1), "me");
  g_autoptr(RelanceOutboxItem) row = NULL;
  RelanceOutboxRow unbuilt = email_row (f, &f->f2, &f->steps[0], 1, NULL);
  gint64 queued = queue (f, &f->f1, &f->steps[1], 1);
  gint64 unbuilt_id = 0;

  g_assert_true (relance_store_record_outbox (f->store, failed, "failed", 0, "550 No", "Refused.",
                                              FALSE, NOW, &error));
  g_assert_true (relance_store_retry_outbox (f->store, failed->id, &error));
  g_assert_no_error (error);
  row = get (f, failed->id);
  g_assert_cmpstr (row->state, ==, "queued");
  g_assert_cmpint (row->attempts, ==, 0);
  g_clear_pointer (&row, relance_outbox_item_free);

  /* Only failed or uncertain rows are the user's to decide about. */
  g_assert_false (relance_store_cancel_outbox (f->store, queued, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A message never built has nothing to send again: prepared anew from today's data. */
  unbuilt.state = "failed";
  unbuilt.last_error = "Dupont SARL has no email address: add one to send reminders.";
  g_assert_true (relance_store_queue_outbox (f->store, &unbuilt, 1, FALSE, &unbuilt_id, &error));
  g_assert_cmpuint (n_rows_of (f, "F2"), ==, 1);
  g_assert_true (relance_store_retry_outbox (f->store, unbuilt_id, &error));
  g_assert_no_error (error);
  row = get (f, unbuilt_id);
  g_assert_cmpstr (row->state, ==, "cancelled");
  g_assert_cmpstr (row->last_error, ==, "Prepared again from the current data.");
  g_assert_cmpuint (n_rows_of (f, "F2"), ==, 0);
  g_clear_pointer (&row, relance_outbox_item_free);

  /* Cancelling an uncertain row. */
  g_clear_pointer (&failed, relance_outbox_item_free);
  failed = claim (f, queued, "me");
  g_assert_true (relance_store_record_outbox (f->store, failed, "uncertain", 0, NULL, NULL,
                                              FALSE, NOW, &error));
  g_assert_true (relance_store_cancel_outbox (f->store, queued, &error));
  g_assert_no_error (error);
  row = get (f, queued);
  g_assert_cmpstr (row->state, ==, "cancelled");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/store-outbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("queue-and-read", test_queue_and_read);
  ADD ("queue-taken", test_queue_taken);
  ADD ("hold-rules", test_hold_rules);
  ADD ("inbox-hold", test_inbox_hold);
  ADD ("sending-paused", test_sending_paused);
  ADD ("claim-once", test_claim_once);
  ADD ("record", test_record);
  ADD ("recover", test_recover);
  ADD ("decisions", test_decisions);
#undef ADD

  return g_test_run ();
}
