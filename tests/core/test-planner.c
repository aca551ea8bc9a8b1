/* test-planner.c: the reminder planner's rules, one table per rule.
 *
 * Each row builds a store through the store API (clients, invoices, payments, statuses,
 * settings and the reminders already sent), plans at an explicit `now` and compares the
 * plan with what a user would expect: how many messages, when exactly (ISO 8601 with the
 * client's UTC offset), which step, tone, channel and invoices. The process runs with
 * TZ=UTC, so every time below carries its own offset. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-store.h"
#include "relance-store-inbox.h"
#include "relance-store-planning.h"

#define MAX_SENT     6
#define MAX_CLIENTS  3
#define MAX_INVOICES 4
#define MAX_MESSAGES 4
#define MAX_SETTINGS 3

/* 1 200,00 €: under the formal-notice threshold. */
#define SMALL 120000

typedef struct
{
  int         offset;    /* step of the client's scenario, by its offset in days */
  const char *at;        /* sent_at (scheduled_at for states other than sent); NULL ends */
  const char *state;     /* NULL: "sent" */
  gboolean    handover;
} SentSpec;

typedef struct
{
  const char *name;      /* NULL ends the list */
  const char *language;  /* NULL: "fr" */
  const char *country;
  const char *timezone;
  const char *kind;      /* NULL: "business" */
  const char *segment;   /* NULL: "regular" */
  gboolean    paused;
  gboolean    do_not_remind;
  const char *replied_at;     /* a reply recognised in the inbox at that moment */
  const char *decided;        /* the owner's decision on that reply */
  gboolean    bounced;        /* a reminder to the client's address bounced */
  const char *new_email;      /* … then the address was edited */
} ClientSpec;

typedef struct
{
  const char *number;    /* NULL ends the list */
  int         client;    /* index in the case's clients */
  const char *due;
  gint64      total;
  const char *currency;  /* NULL: EUR */
  const char *status;    /* NULL: open; else set with relance_store_set_invoice_status */
  const char *promise;
  gint64      paid;      /* 0: nothing paid, -1: everything */
  SentSpec    sent[MAX_SENT];
} InvoiceSpec;

typedef struct
{
  const char *invoices;  /* "F1,F2": identifies the message; NULL ends the list */
  const char *client;
  const char *scheduled_at;
  int         offset;
  const char *tone;
  const char *channel;
  const char *template_key;
  gboolean    handover;
} MessageSpec;

typedef struct
{
  const char      *name;
  const char      *company_country;  /* NULL: the default (FR) */
  const char      *settings[MAX_SETTINGS][2];
  ClientSpec       clients[MAX_CLIENTS];
  InvoiceSpec      invoices[MAX_INVOICES];
  const char      *now;
  const char      *until;
  RelancePlanMode  mode;
  guint            n_messages;
  MessageSpec      messages[MAX_MESSAGES];
} PlanCase;

/* ---- building the store ----------------------------------------------------------- */

static GDateTime *
parse_time (const char *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static char *
format_time (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

static RelanceStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relance-planner-XXXXXX", &error);
  g_autofree char *path = NULL;
  RelanceStore *store;

  g_assert_no_error (error);
  path = g_build_filename (dir, "relance.db", NULL);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
remove_store (RelanceStore *store)
{
  g_autofree char *path = g_strdup (relance_store_get_path (store));
  g_autofree char *dir = g_path_get_dirname (path);
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_object_unref (store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

static void
set_company (RelanceStore *store, const char *country, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = relance_store_get_company (store, &error);

  g_assert_no_error (error);
  if (country != NULL)
    {
      g_free (company->country);
      company->country = g_strdup (country);
    }
  if (name != NULL)
    {
      g_free (company->name);
      company->name = g_strdup (name);
    }
  g_free (company->iban);
  company->iban = g_strdup ("FR76 3000 6000 0112 3456 7890 189");
  g_assert_true (relance_store_set_company (store, company, &error));
  g_assert_no_error (error);
}

static gint64
add_client (RelanceStore *store, const ClientSpec *spec)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = {
    .name = (char *) spec->name,
    .email = (char *) "compta@example.com",
    .language = (char *) (spec->language != NULL ? spec->language : "fr"),
    .country = (char *) spec->country,
    .timezone = (char *) spec->timezone,
    .kind = (char *) (spec->kind != NULL ? spec->kind : "business"),
    .segment = (char *) (spec->segment != NULL ? spec->segment : "regular"),
    .paused = spec->paused,
    .do_not_remind = spec->do_not_remind,
  };

  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
  if (spec->replied_at != NULL || spec->bounced)
    {
      g_autoptr(GDateTime) at = parse_time (spec->replied_at != NULL ? spec->replied_at
                                                                     : "2026-03-01T09:00:00Z");
      RelanceInboxMessage message = {
        .uid = client.id, .uidvalidity = 1, .received_at = g_date_time_to_unix (at),
        .sender = (char *) "compta@example.com", .subject = (char *) "Re: F1",
        .kind = spec->bounced ? RELANCE_INBOX_BOUNCE : RELANCE_INBOX_REPLY,
        .client_id = client.id, .invoices = (char *[]) { (char *) "F1", NULL },
      };

      g_assert_true (relance_store_inbox_record (store, &message, g_date_time_to_unix (at),
                                                 &error));
      g_assert_no_error (error);
      g_free (message.action);
      if (spec->decided != NULL)
        {
          g_assert_true (relance_store_inbox_decide (store, message.id, spec->decided, &error));
          g_assert_no_error (error);
        }
    }
  if (spec->new_email != NULL)
    {
      client.email = (char *) spec->new_email;
      g_assert_true (relance_store_save_client (store, &client, &error));
      g_assert_no_error (error);
    }
  return client.id;
}

/* A reminder row as the outbox leaves it (sent, failed, uncertain… at a given time), for the
 * step of the client's own scenario: only sending writes such rows, so the test shapes them
 * in SQL. */
static void
add_reminder (RelanceStore   *store,
              gint64          invoice_id,
              const char     *segment,
              const SentSpec *sent)
{
  sqlite3 *db = relance_test_sql_db (store);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GDateTime) at = parse_time (sent->at);
  const char *state = sent->state != NULL ? sent->state : "sent";
  gboolean is_sent = g_str_equal (state, "sent") || g_str_equal (state, "done");

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO reminders (invoice_id, step_id, message_key, channel, handover, state, "
    "scheduled_at, sent_at) "
    "SELECT ?1, st.id, ?2, st.channel, ?3, ?4, ?5, ?6 FROM scenario_steps st "
    "JOIN scenarios s ON s.id = st.scenario_id WHERE s.segment = ?7 AND st.offset_days = ?8",
    -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  sqlite3_bind_text (stmt, 2, "test-message", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, sent->handover ? 1 : 0);
  sqlite3_bind_text (stmt, 4, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (at));
  if (is_sent)
    sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (at));
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, segment, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, sent->offset);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  /* The step must exist in the scenario, or the row silently went nowhere. */
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
}

static void
add_invoice (RelanceStore      *store,
             const InvoiceSpec *spec,
             gint64             client_id,
             const char        *segment)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice inv = {
    .number = (char *) spec->number,
    .client_id = client_id,
    .total = spec->total,
    .currency = (char *) (spec->currency != NULL ? spec->currency : "EUR"),
  };

  g_assert_true (relance_date_from_iso (spec->due, &inv.due_date));
  inv.issue_date = inv.due_date;
  g_date_subtract_days (&inv.issue_date, 30);
  g_date_clear (&inv.promise_date, 1);
  if (spec->promise != NULL)
    g_assert_true (relance_date_from_iso (spec->promise, &inv.promise_date));
  g_assert_true (relance_store_save_invoice (store, &inv, &error));
  g_assert_no_error (error);

  if (spec->paid != 0)
    {
      g_autoptr(RelancePayment) payment = NULL;

      payment = relance_store_pay (store, spec->number, spec->paid, &inv.due_date, &error);
      g_assert_no_error (error);
      g_assert_nonnull (payment);
    }
  if (spec->status != NULL)
    {
      g_assert_true (relance_store_set_invoice_status (store, spec->number, spec->status,
                                                       &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < MAX_SENT && spec->sent[i].at != NULL; i++)
    add_reminder (store, inv.id, segment, &spec->sent[i]);
}

static RelanceStore *
build_store (const PlanCase *tc)
{
  RelanceStore *store = open_store ();
  gint64 client_ids[MAX_CLIENTS] = { 0 };

  if (tc->company_country != NULL)
    set_company (store, tc->company_country, NULL);
  for (guint i = 0; i < MAX_SETTINGS && tc->settings[i][0] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (relance_store_set_setting (store, tc->settings[i][0], tc->settings[i][1],
                                                &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < MAX_CLIENTS && tc->clients[i].name != NULL; i++)
    client_ids[i] = add_client (store, &tc->clients[i]);
  for (guint i = 0; i < MAX_INVOICES && tc->invoices[i].number != NULL; i++)
    {
      const InvoiceSpec *spec = &tc->invoices[i];
      const char *segment = tc->clients[spec->client].segment;

      g_assert_cmpint (client_ids[spec->client], !=, 0);
      add_invoice (store, spec, client_ids[spec->client],
                   segment != NULL ? segment : "regular");
    }
  return store;
}

/* ---- checking the plan ------------------------------------------------------------ */

static char *
message_numbers (const RelancePlannedMessage *msg)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < msg->invoices->len; i++)
    {
      const RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, p->invoice->number);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* One line per message: what a user reading the "Upcoming" view would compare. */
static char *
describe_plan (GPtrArray *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < plan->len; i++)
    {
      const RelancePlannedMessage *msg = g_ptr_array_index (plan, i);
      g_autofree char *when = format_time (msg->scheduled_at);
      g_autofree char *numbers = message_numbers (msg);

      g_string_append_printf (out, "%s %s J%+d %s %s %s%s [%s]\n", when, msg->client->name,
                              msg->step->offset_days, msg->step->tone, msg->channel,
                              msg->template_key, msg->handover ? " handover" : "", numbers);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GPtrArray *
plan_at (RelanceStore *store, const char *now, const char *until, RelancePlanMode mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now_dt = parse_time (now);
  g_autoptr(GDateTime) until_dt = until != NULL ? parse_time (until) : NULL;
  GPtrArray *plan = relance_planner_plan (store, now_dt, until_dt, mode, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static void
check_plan (const PlanCase *tc, GPtrArray *plan)
{
  g_autofree char *described = describe_plan (plan);

  g_test_message ("%s at %s:\n%s", tc->name, tc->now, described);
  g_assert_cmpuint (plan->len, ==, tc->n_messages);

  for (guint i = 1; i < plan->len; i++)
    {
      const RelancePlannedMessage *a = g_ptr_array_index (plan, i - 1);
      const RelancePlannedMessage *b = g_ptr_array_index (plan, i);

      g_assert_cmpint (g_date_time_compare (a->scheduled_at, b->scheduled_at), <=, 0);
    }

  for (guint e = 0; e < MAX_MESSAGES && tc->messages[e].invoices != NULL; e++)
    {
      const MessageSpec *want = &tc->messages[e];
      const RelancePlannedMessage *got = NULL;
      g_autofree char *when = NULL;

      for (guint i = 0; i < plan->len && got == NULL; i++)
        {
          const RelancePlannedMessage *msg = g_ptr_array_index (plan, i);
          g_autofree char *numbers = message_numbers (msg);

          if (g_str_equal (numbers, want->invoices))
            got = msg;
        }
      if (got == NULL)
        g_error ("%s: no message for invoices %s in the plan:\n%s", tc->name, want->invoices,
                 described);

      when = format_time (got->scheduled_at);
      g_assert_cmpstr (got->client->name, ==, want->client);
      g_assert_cmpstr (when, ==, want->scheduled_at);
      g_assert_cmpint (got->step->offset_days, ==, want->offset);
      g_assert_cmpstr (got->step->tone, ==, want->tone);
      g_assert_cmpstr (got->channel, ==, want->channel);
      g_assert_cmpstr (got->template_key, ==, want->template_key);
      g_assert_cmpint (got->handover, ==, want->handover);
    }
}

static void
test_plan_case (gconstpointer data)
{
  const PlanCase *tc = data;
  RelanceStore *store = build_store (tc);
  g_autoptr(GPtrArray) plan = plan_at (store, tc->now, tc->until, tc->mode);
  g_autoptr(GPtrArray) all = plan_at (store, tc->now, NULL, RELANCE_PLAN_ALL);
  g_autoptr(GDateTime) now = parse_time (tc->now);
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GError) error = NULL;

  check_plan (tc, plan);

  /* What the scheduler arms its timer for: the earliest moment of the full plan, found
   * without building the messages. */
  g_assert_true (relance_planner_next_due (store, now, &next, &error));
  g_assert_no_error (error);
  if (all->len == 0)
    g_assert_null (next);
  else
    {
      const RelancePlannedMessage *first = g_ptr_array_index (all, 0);
      g_assert_nonnull (next);
      g_assert_cmpint (g_date_time_compare (next, first->scheduled_at), ==, 0);
    }
  remove_store (store);
}

static void
add_cases (const char *rule, const PlanCase *cases, guint n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/%s/%s", rule, cases[i].name);

      g_test_add_data_func (path, &cases[i], test_plan_case);
    }
}

/* ---- the tables --------------------------------------------------------------------- */

#define ONE_CLIENT { { .name = "Dupont SARL" } }
#define MSG(numbers, client_, when, off, tone_, channel_, tpl) \
  { .invoices = numbers, .client = client_, .scheduled_at = when, .offset = off, \
    .tone = tone_, .channel = channel_, .template_key = tpl }

/* Rule 1: steps in order, each no sooner than its gap after the previous one was sent;
 * no burst after downtime. Invoice due Monday 2 March 2026, company in Paris. */
static const PlanCase order_cases[] = {
  { .name = "first-step-before-due", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-02-20T10:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-02-27T09:00:00+01:00", -3, "courteous",
                       "email", "before-due") } },
  { .name = "next-step-after-the-sent-one", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { -3, "2026-02-27T09:00:00+01:00" } } } },
    .now = "2026-02-27T09:00:01+01:00", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-03T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* J+1 went out two days late: J+8 waits its 7 days from that send, not from J+1. */
  { .name = "gap-counts-from-actual-send", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { -3, "2026-02-27T09:00:00+01:00" },
                              { 1, "2026-03-05T10:00:00+01:00" } } } },
    .now = "2026-03-06T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-12T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
  /* Machine off 41 days: J+8, J+15 and J+30 are all past; only J+8 goes, once. */
  { .name = "one-message-after-downtime", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { -3, "2026-02-27T09:00:00+01:00" },
                              { 1, "2026-03-03T09:00:00+01:00" } } } },
    .now = "2026-04-13T07:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-13T09:30:00+02:00", 8, "firm", "email",
                       "firm") } },
  { .name = "after-downtime-next-waits-its-gap", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { -3, "2026-02-27T09:00:00+01:00" },
                              { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-04-13T09:30:00+02:00" } } } },
    .now = "2026-04-13T09:31:00+02:00", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-20T09:00:00+02:00", 15, "firm", "email",
                       "firm-penalties") } },
  { .name = "skipped-step-counts-as-done", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00", "skipped" } } } },
    .now = "2026-03-04T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-10T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
  { .name = "scenario-finished", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { -3, "2026-02-27T09:00:00+01:00" },
                              { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" },
                              { 15, "2026-03-17T09:00:00+01:00" },
                              { 30, "2026-04-01T09:00:00+02:00" },
                              { 45, "2026-04-16T09:00:00+02:00" } } } },
    .now = "2026-06-01T08:00:00Z", .n_messages = 0 },
};

/* Rule 2: late arrivals start at the first overdue step; pre-due steps are skipped once
 * due, a due-day step once late. */
static const PlanCase late_cases[] = {
  /* Imported at J+20: J+1 now, not J+15 (nor three reminders at once). */
  { .name = "late-import-starts-at-first-overdue-step", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-03", SMALL } },
    .now = "2026-03-23T10:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-23T11:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "pre-due-step-before-due", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-13", SMALL } },
    .now = "2026-03-05T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-10T09:00:00+01:00", -3, "courteous",
                       "email", "before-due") } },
  { .name = "pre-due-step-skipped-on-due-day", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-10", SMALL } },
    .now = "2026-03-10T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-11T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "firm-due-day-step-on-due-day",
    .clients = { { .name = "Risky Ltd", .segment = "at-risk" } },
    .invoices = { { "F1", 0, "2026-03-11", SMALL } },
    .now = "2026-03-11T07:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Risky Ltd", "2026-03-11T09:00:00+01:00", 0, "courteous",
                       "email", "due-today") } },
  /* Firm scenario at J+2: J0 is skipped, J+5 falls on a Sunday and goes on Monday. */
  { .name = "firm-due-day-step-skipped-when-late",
    .clients = { { .name = "Risky Ltd", .segment = "at-risk" } },
    .invoices = { { "F1", 0, "2026-03-11", SMALL } },
    .now = "2026-03-13T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Risky Ltd", "2026-03-16T09:00:00+01:00", 5, "firm", "email",
                       "firm") } },
  /* A step is judged by the day it would go out, not by the day it is planned: the
   * "due today" email of the firm scenario, planned after the window closed on the due
   * day, would otherwise arrive the next morning saying "due today". */
  { .name = "due-day-step-not-sent-the-day-after",
    .clients = { { .name = "Risky Ltd", .segment = "at-risk" } },
    .invoices = { { "F1", 0, "2026-03-11", SMALL } },
    .now = "2026-03-11T17:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Risky Ltd", "2026-03-16T09:00:00+01:00", 5, "firm", "email",
                       "firm") } },
  { .name = "due-day-step-on-a-holiday",
    .clients = { { .name = "Risky Ltd", .segment = "at-risk" } },
    .invoices = { { "F1", 0, "2026-07-14", SMALL,
                    .sent = { { -5, "2026-07-09T09:00:00+02:00" } } } },
    .now = "2026-07-13T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Risky Ltd", "2026-07-20T09:00:00+02:00", 5, "firm", "email",
                       "firm") } },
  /* Due on Saturday 14 March, planned on Friday evening: "payment due on 14 March" must
   * not arrive on Monday 16; the first overdue step goes instead. */
  { .name = "pre-due-step-not-sent-after-due", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-14", SMALL } },
    .now = "2026-03-13T17:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-16T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "gentle-first-step",
    .clients = { { .name = "Big Partner", .segment = "strategic" } },
    .invoices = { { "F1", 0, "2026-03-11", SMALL } },
    .now = "2026-03-11T07:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Big Partner", "2026-03-16T09:00:00+01:00", 3, "courteous",
                       "email", "first-reminder") } },
};

/* Rule 3: nothing for paid, cancelled, disputed or promised invoices, nor for paused or
 * do-not-remind clients, nor while the outbox still holds a reminder of the invoice. */
static const PlanCase stop_cases[] = {
  { .name = "open-invoice-is-reminded", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "paid", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .paid = -1 } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "partially-paid-still-reminded", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .paid = 20000 } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "cancelled", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .status = "cancelled" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "disputed", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .status = "disputed" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  /* A promise holds the invoice until the day after it: the next step is planned for the
   * first sending moment then (Tuesday 10 → Wednesday 11, 09:00), so the plan shows when
   * reminders resume and the scheduler wakes up for a broken promise. */
  { .name = "promise-in-the-future", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-10" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-11T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* … and nothing before then. */
  { .name = "promise-in-the-future-until-before", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-10" } },
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-10T23:59:59Z", .n_messages = 0 },
  /* A promise for a Friday resumes on Monday, in the window. */
  { .name = "promise-on-friday-resumes-monday", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-13",
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-16T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
  { .name = "promise-today", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-04" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-05T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* A paused client stays quiet, promise or not. */
  { .name = "promise-and-pause", .clients = { { .name = "Dupont SARL", .paused = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-10" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "promise-passed-and-pause",
    .clients = { { .name = "Dupont SARL", .paused = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-03" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  /* The promise is the client's for one invoice: the other one is reminded now, on its
   * own, and the promised one waits for its own message after the date. */
  { .name = "promise-on-one-invoice-of-a-group", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-10" },
                  { "F2", 0, "2026-03-02", 50000 } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 2,
    .messages = { MSG ("F2", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F1", "Dupont SARL", "2026-03-11T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* Two invoices whose promises end the same day go out together after it. */
  { .name = "promise-on-two-invoices-same-day", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-10" },
                  { "F2", 0, "2026-03-02", 50000, .promise = "2026-03-10" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1,F2", "Dupont SARL", "2026-03-11T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* The day after the promise, the next step in order (J+8), at the window's start. */
  { .name = "promise-passed-resumes-next-step", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-03-12",
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } } },
    .now = "2026-03-13T06:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-13T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
  /* A long promise broken: still J+8 (not J+30), on the next working day after it. */
  { .name = "promise-passed-no-jump-ahead", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL, .promise = "2026-04-10",
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } } },
    .now = "2026-04-11T10:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-13T09:00:00+02:00", 8, "firm", "email",
                       "firm") } },
  { .name = "paused-client", .clients = { { .name = "Dupont SARL", .paused = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "do-not-remind-client",
    .clients = { { .name = "Dupont SARL", .do_not_remind = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "paused-client-others-still-reminded",
    .clients = { { .name = "Dupont SARL", .paused = TRUE }, { .name = "Martin SA" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL }, { "F2", 1, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F2", "Martin SA", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "queued-reminder-waits", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00", "queued" } } } },
    .now = "2026-03-10T09:00:00Z", .n_messages = 0 },
  { .name = "failed-reminder-waits-for-the-user", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00", "failed" } } } },
    .now = "2026-03-10T09:00:00Z", .n_messages = 0 },
  { .name = "uncertain-reminder-waits-for-the-user", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00", "uncertain" } } } },
    .now = "2026-03-10T09:00:00Z", .n_messages = 0 },
};

/* Rule 4: one message per client and day (and currency), at the most advanced step. */
static const PlanCase group_cases[] = {
  /* F1 is at J+8 (firm), F2 arrived late and is at J+1: one firm message for both. */
  { .name = "same-client-same-day-one-message", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } },
                  { "F2", 0, "2026-03-02", 50000 } },
    .now = "2026-03-10T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1,F2", "Dupont SARL", "2026-03-10T09:00:00+01:00", 8, "firm",
                       "email", "firm") } },
  { .name = "same-client-two-currencies-two-messages", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL },
                  { "F2", 0, "2026-03-02", SMALL, "USD" } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "another-client-separate-message",
    .clients = { { .name = "Dupont SARL" }, { .name = "Martin SA" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL }, { "F2", 1, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Martin SA", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "same-client-other-day-separate-message", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL }, { "F2", 0, "2026-03-20", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Dupont SARL", "2026-03-17T09:00:00+01:00", -3, "courteous",
                       "email", "before-due") } },
  /* Three invoices on one day: the grouped message is at the most advanced step. */
  { .name = "three-invoices-formal-notice-wins", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" },
                              { 15, "2026-03-17T09:00:00+01:00" } } },
                  { "F2", 0, "2026-03-17", SMALL,
                    .sent = { { -3, "2026-03-14T09:00:00+01:00" } } },
                  { "F3", 0, "2026-03-25", SMALL,
                    .sent = { { -3, "2026-03-23T09:00:00+01:00" } } } },
    .now = "2026-04-01T06:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1,F2,F3", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30,
                       "formal-notice", "email", "formal-notice") } },
};

/* Rule 5: a step of an invoice is planned at most once ever. */
static const PlanCase duplicate_cases[] = {
  { .name = "sent-step-never-planned-again", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } } },
    .now = "2026-03-03T09:00:01+01:00", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-10T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
  /* The owner sent J+8 by hand early: J+1 is never sent after it, J+15 follows. */
  { .name = "earlier-step-not-sent-after-a-later-one", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 8, "2026-03-05T09:00:00+01:00" } } } },
    .now = "2026-03-05T12:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-17T09:00:00+01:00", 15, "firm", "email",
                       "firm-penalties") } },
  { .name = "cancelled-step-not-planned-again", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00", "cancelled" } } } },
    .now = "2026-03-04T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-10T09:00:00+01:00", 8, "firm", "email",
                       "firm") } },
};

/* Rule 6: inside the send window, on working days of the client's country, in the
 * client's time zone. */
static const PlanCase window_cases[] = {
  { .name = "paris-and-new-york-at-9-local",
    .clients = { { .name = "Dupont SARL", .country = "FR", .timezone = "Europe/Paris" },
                 { .name = "Acme Inc", .language = "en", .country = "US",
                   .timezone = "America/New_York" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL }, { "F2", 1, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Acme Inc", "2026-03-04T09:00:00-05:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "client-country-gives-its-timezone",
    .clients = { { .name = "Acme Inc", .language = "en", .country = "US" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Acme Inc", "2026-03-04T09:00:00-05:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "company-timezone-from-country-gb", .company_country = "GB",
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T09:00:00+00:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "company-timezone-from-country-us", .company_country = "US",
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T09:00:00-05:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "timezone-setting-wins-over-country",
    .settings = { { RELANCE_SETTING_TIMEZONE, "America/Toronto" } },
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T09:00:00-05:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "unknown-client-timezone-uses-company-one",
    .clients = { { .name = "Dupont SARL", .timezone = "Mars/Olympus_Mons" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T05:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* The same UTC instant is already the due day in Paris but the eve in Los Angeles. */
  { .name = "local-date-decides-the-step",
    .clients = { { .name = "Dupont SARL", .country = "FR", .timezone = "Europe/Paris" },
                 { .name = "Acme Inc", .language = "en", .country = "US",
                   .timezone = "America/Los_Angeles" } },
    .invoices = { { "F1", 0, "2026-03-04", SMALL }, { "F2", 1, "2026-03-04", SMALL } },
    .now = "2026-03-03T23:30:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-05T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Acme Inc", "2026-03-03T15:30:00-08:00", -3, "courteous",
                       "email", "before-due") } },
  /* J+1 on Saturday 28 March; clocks go forward on the 29th: Monday 09:00 summer time. */
  { .name = "weekend-across-dst-change", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-27", SMALL } },
    .now = "2026-03-27T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-30T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "inside-window-sends-now", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-05", SMALL } },
    .now = "2026-03-06T10:15:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-06T11:15:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "friday-after-18h-goes-monday-9h", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-05", SMALL } },
    .now = "2026-03-06T17:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-09T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "bastille-day", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-07-13", SMALL } },
    .now = "2026-07-13T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-07-15T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* Christmas on a Friday: France resumes Monday 28; in England Boxing Day (Saturday) is
   * substituted by Monday 28, so Tuesday 29. */
  { .name = "christmas-france-and-england",
    .clients = { { .name = "Dupont SARL", .country = "FR" },
                 { .name = "Smith Ltd", .language = "en", .country = "GB",
                   .timezone = "Europe/London" } },
    .invoices = { { "F1", 0, "2026-12-24", SMALL }, { "F2", 1, "2026-12-24", SMALL } },
    .now = "2026-12-24T20:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-12-28T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Smith Ltd", "2026-12-29T09:00:00+00:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* Monday 4 May 2026 is the early May bank holiday in England, a working day in France. */
  { .name = "uk-early-may-bank-holiday",
    .clients = { { .name = "Dupont SARL", .country = "FR" },
                 { .name = "Smith Ltd", .language = "en", .country = "GB",
                   .timezone = "Europe/London" } },
    .invoices = { { "F1", 0, "2026-05-01", SMALL }, { "F2", 1, "2026-05-01", SMALL } },
    .now = "2026-05-01T20:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-05-04T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Smith Ltd", "2026-05-05T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* Easter Monday 6 April 2026: a holiday in France, not in the United States. */
  { .name = "easter-monday",
    .clients = { { .name = "Dupont SARL", .country = "FR" },
                 { .name = "Acme Inc", .language = "en", .country = "US",
                   .timezone = "America/New_York" } },
    .invoices = { { "F1", 0, "2026-04-05", SMALL }, { "F2", 1, "2026-04-05", SMALL } },
    .now = "2026-04-05T12:00:00Z", .n_messages = 2,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-07T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder"),
                  MSG ("F2", "Acme Inc", "2026-04-06T09:00:00-04:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "good-friday-is-worked-in-france", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-04-02", SMALL } },
    .now = "2026-04-02T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-03T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "calendar-setting-alsace-moselle",
    .settings = { { RELANCE_SETTING_CALENDAR, "FR-ALSACE" } },
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-04-02", SMALL } },
    .now = "2026-04-02T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-07T09:00:00+02:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "custom-window-hours",
    .settings = { { RELANCE_SETTING_SEND_WINDOW, "mon-fri 08:30-12:00" } },
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T12:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-05T08:30:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "custom-window-days",
    .settings = { { RELANCE_SETTING_SEND_WINDOW, "mon,tue,thu 10:00-16:00" } },
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-05T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "custom-window-with-saturday",
    .settings = { { RELANCE_SETTING_SEND_WINDOW, "mon-sat 09:00-18:00" } },
    .clients = ONE_CLIENT, .invoices = { { "F1", 0, "2026-03-06", SMALL } },
    .now = "2026-03-06T20:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-07T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
};

/* Rule 7: over the threshold, a human takes over instead of the formal notice. J+1, J+8
 * and J+15 already went out; J+30 is Wednesday 1 April 2026. */
#define BEFORE_FORMAL_NOTICE \
  { { 1, "2026-03-03T09:00:00+01:00" }, { 8, "2026-03-10T09:00:00+01:00" }, \
    { 15, "2026-03-17T09:00:00+01:00" } }

static const PlanCase threshold_cases[] = {
  { .name = "6000-euros-becomes-a-task", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 600000, .sent = BEFORE_FORMAL_NOTICE } },
    .now = "2026-04-01T07:00:00Z", .n_messages = 1,
    .messages = { { "F1", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                    "task", "handover-task", TRUE } } },
  { .name = "4000-euros-formal-notice", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 400000, .sent = BEFORE_FORMAL_NOTICE } },
    .now = "2026-04-01T07:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                       "email", "formal-notice") } },
  { .name = "exactly-5000-euros-is-not-over", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 500000, .sent = BEFORE_FORMAL_NOTICE } },
    .now = "2026-04-01T07:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                       "email", "formal-notice") } },
  { .name = "threshold-setting",
    .settings = { { RELANCE_SETTING_THRESHOLD, "3000" } },
    .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 400000, .sent = BEFORE_FORMAL_NOTICE } },
    .now = "2026-04-01T07:00:00Z", .n_messages = 1,
    .messages = { { "F1", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                    "task", "handover-task", TRUE } } },
  { .name = "big-invoice-still-gets-the-earlier-reminders", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 600000,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" } } } },
    .now = "2026-03-17T08:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-17T09:00:00+01:00", 15, "firm", "email",
                       "firm-penalties") } },
  { .name = "nothing-after-the-hand-over", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 600000,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" },
                              { 15, "2026-03-17T09:00:00+01:00" },
                              { 30, "2026-04-01T09:00:00+02:00", "done", TRUE } } } },
    .now = "2026-06-01T08:00:00Z", .n_messages = 0 },
  /* The hand-over task and the formal notice of a smaller invoice are two messages. */
  { .name = "task-and-formal-notice-separate", .clients = ONE_CLIENT,
    .invoices = { { "F1", 0, "2026-03-02", 600000, .sent = BEFORE_FORMAL_NOTICE },
                  { "F2", 0, "2026-03-02", 100000, .sent = BEFORE_FORMAL_NOTICE } },
    .now = "2026-04-01T07:00:00Z", .n_messages = 2,
    .messages = { { "F1", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                    "task", "handover-task", TRUE },
                  MSG ("F2", "Dupont SARL", "2026-04-01T09:00:00+02:00", 30, "formal-notice",
                       "email", "formal-notice") } },
};

/* Modes and the `until` limit. Dupont: F1 (J+1 today) and F2 (J-3 on 17 March); Martin: F3
 * (J+1 today). */
#define TWO_CLIENTS { { .name = "Dupont SARL" }, { .name = "Martin SA" } }
#define THREE_INVOICES \
  { { "F1", 0, "2026-03-02", SMALL }, { "F2", 0, "2026-03-20", SMALL }, \
    { "F3", 1, "2026-03-02", SMALL } }
#define F1_NOW MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous", "email", \
                    "first-reminder")
#define F2_LATER MSG ("F2", "Dupont SARL", "2026-03-17T09:00:00+01:00", -3, "courteous", \
                      "email", "before-due")
#define F3_NOW MSG ("F3", "Martin SA", "2026-03-04T10:00:00+01:00", 1, "courteous", "email", \
                    "first-reminder")

/* Rule 8: a reply pauses the client for reply-pause-days (7 by default) from the reply;
 * the owner's decision ends the pause at once; a bounced address stops everything until
 * the address is edited. */
static const PlanCase answer_cases[] = {
  /* Replied on Wednesday 4 at 10:00: the first reminder waits until Wednesday 11 10:00. */
  { .name = "reply-pauses-seven-days",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-03-04T09:00:00Z" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-11T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "reply-pause-nothing-before",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-03-04T09:00:00Z" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:30:00Z", .until = "2026-03-11T08:59:59Z", .n_messages = 0 },
  /* reply-pause-days 2: Friday 6 at 10:00. */
  { .name = "reply-pause-days-setting",
    .settings = { { RELANCE_SETTING_REPLY_PAUSE_DAYS, "2" } },
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-03-04T09:00:00Z" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:30:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-06T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* A pause ending on a Saturday resumes on Monday, in the window. */
  { .name = "reply-pause-ends-on-weekend",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-02-28T12:00:00Z" } },
    .invoices = { { "F1", 0, "2026-02-20", SMALL } },
    .now = "2026-03-02T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-09T09:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* Over: the next step as usual. */
  { .name = "reply-pause-over",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-02-20T09:00:00Z" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* The owner chose "resume": at once. */
  { .name = "reply-resumed-by-owner",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-03-04T08:00:00Z",
                   .decided = "resume" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  /* A reply of one client does not pause another. */
  { .name = "reply-pauses-only-that-client",
    .clients = { { .name = "Dupont SARL", .replied_at = "2026-03-04T08:00:00Z" },
                 { .name = "Martin SA" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL }, { "F2", 1, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-05T00:00:00Z", .n_messages = 1,
    .messages = { MSG ("F2", "Martin SA", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
  { .name = "bounce-stops-everything",
    .clients = { { .name = "Dupont SARL", .bounced = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 0 },
  { .name = "bounce-cleared-by-new-address",
    .clients = { { .name = "Dupont SARL", .bounced = TRUE, .new_email = "new@example.com" } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .n_messages = 1,
    .messages = { MSG ("F1", "Dupont SARL", "2026-03-04T10:00:00+01:00", 1, "courteous",
                       "email", "first-reminder") } },
};

static const PlanCase mode_cases[] = {
  { .name = "all", .clients = TWO_CLIENTS, .invoices = THREE_INVOICES,
    .now = "2026-03-04T09:00:00Z", .n_messages = 3,
    .messages = { F1_NOW, F2_LATER, F3_NOW } },
  { .name = "next-per-client", .clients = TWO_CLIENTS, .invoices = THREE_INVOICES,
    .now = "2026-03-04T09:00:00Z", .mode = RELANCE_PLAN_NEXT_PER_CLIENT, .n_messages = 2,
    .messages = { F1_NOW, F3_NOW } },
  { .name = "until-excludes-later", .clients = TWO_CLIENTS, .invoices = THREE_INVOICES,
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-10T00:00:00Z", .n_messages = 2,
    .messages = { F1_NOW, F3_NOW } },
  { .name = "until-is-inclusive", .clients = TWO_CLIENTS, .invoices = THREE_INVOICES,
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-17T09:00:00+01:00", .n_messages = 3,
    .messages = { F1_NOW, F2_LATER, F3_NOW } },
  { .name = "until-one-second-before", .clients = TWO_CLIENTS, .invoices = THREE_INVOICES,
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-17T08:59:59+01:00", .n_messages = 2,
    .messages = { F1_NOW, F3_NOW } },
  { .name = "next-per-client-with-until", .clients = TWO_CLIENTS,
    .invoices = { { "F2", 0, "2026-03-20", SMALL }, { "F3", 1, "2026-03-02", SMALL } },
    .now = "2026-03-04T09:00:00Z", .until = "2026-03-10T00:00:00Z",
    .mode = RELANCE_PLAN_NEXT_PER_CLIENT, .n_messages = 1, .messages = { F3_NOW } },
};

/* ---- whole scenarios, sent one step after the other ------------------------------- */

typedef struct
{
  int         offset;
  const char *at;        /* NULL ends */
  const char *channel;
  gboolean    handover;
} RunStep;

typedef struct
{
  const char *name;
  const char *segment;
  const char *due;
  gint64      total;
  RunStep     steps[8];
} RunCase;

/* Each reminder is recorded as sent at its planned time, and the planner asked again at
 * that very moment: every step comes once, in order, then nothing. */
static const RunCase run_cases[] = {
  { "standard", "regular", "2026-03-02", SMALL,
    { { -3, "2026-02-27T09:00:00+01:00", "email" },
      { 1, "2026-03-03T09:00:00+01:00", "email" },
      { 8, "2026-03-10T09:00:00+01:00", "email" },
      { 15, "2026-03-17T09:00:00+01:00", "email" },
      { 30, "2026-04-01T09:00:00+02:00", "email" },
      { 45, "2026-04-16T09:00:00+02:00", "task" } } },
  { "gentle", "strategic", "2026-03-02", SMALL,
    { { 3, "2026-03-05T09:00:00+01:00", "email" },
      { 15, "2026-03-17T09:00:00+01:00", "email" },
      { 30, "2026-04-01T09:00:00+02:00", "task" } } },
  /* J+10 falls on Saturday 21 March and goes on Monday 23: J+20 then waits 10 days from
   * that send (2 April), and J+30 10 days from 2 April (Sunday 12, so Monday 13). */
  { "firm", "at-risk", "2026-03-11", SMALL,
    { { -5, "2026-03-06T09:00:00+01:00", "email" },
      { 0, "2026-03-11T09:00:00+01:00", "email" },
      { 5, "2026-03-16T09:00:00+01:00", "email" },
      { 10, "2026-03-23T09:00:00+01:00", "email" },
      { 20, "2026-04-02T09:00:00+02:00", "email" },
      { 30, "2026-04-13T09:00:00+02:00", "task" } } },
  { "standard-over-threshold", "regular", "2026-03-02", 600000,
    { { -3, "2026-02-27T09:00:00+01:00", "email" },
      { 1, "2026-03-03T09:00:00+01:00", "email" },
      { 8, "2026-03-10T09:00:00+01:00", "email" },
      { 15, "2026-03-17T09:00:00+01:00", "email" },
      { 30, "2026-04-01T09:00:00+02:00", "task", TRUE } } },
};

static void
test_run_scenario (gconstpointer data)
{
  const RunCase *rc = data;
  RelanceStore *store = open_store ();
  const ClientSpec client = { .name = "Dupont SARL", .segment = rc->segment };
  const InvoiceSpec invoice = { "F1", 0, rc->due, rc->total };
  g_autofree char *now = g_strdup ("2026-02-01T00:00:00Z");
  guint n = 0;

  add_invoice (store, &invoice, add_client (store, &client), rc->segment);

  for (; n < G_N_ELEMENTS (rc->steps) && rc->steps[n].at != NULL; n++)
    {
      const RunStep *want = &rc->steps[n];
      g_autoptr(GPtrArray) plan = plan_at (store, now, NULL, RELANCE_PLAN_ALL);
      g_autofree char *described = describe_plan (plan);
      const RelancePlannedMessage *msg;
      const RelancePlannedInvoice *planned;
      g_autofree char *when = NULL;
      SentSpec sent = { 0 };

      g_test_message ("%s, step %u at %s:\n%s", rc->name, n, now, described);
      g_assert_cmpuint (plan->len, ==, 1);
      msg = g_ptr_array_index (plan, 0);
      planned = g_ptr_array_index (msg->invoices, 0);
      when = format_time (msg->scheduled_at);
      g_assert_cmpint (msg->step->offset_days, ==, want->offset);
      g_assert_cmpstr (when, ==, want->at);
      g_assert_cmpstr (msg->channel, ==, want->channel);
      g_assert_cmpint (msg->handover, ==, want->handover);
      g_assert_cmpint (planned->step->offset_days, ==, want->offset);

      /* The outbox sends it at the planned time, and the planner runs again then. */
      sent.offset = want->offset;
      sent.at = when;
      sent.handover = msg->handover;
      add_reminder (store, planned->invoice->id, rc->segment, &sent);
      g_free (now);
      now = g_steal_pointer (&when);
    }

  /* Nothing more, even a year later. */
  {
    g_autoptr(GPtrArray) plan = plan_at (store, now, NULL, RELANCE_PLAN_ALL);
    g_autoptr(GPtrArray) later = plan_at (store, "2027-03-01T10:00:00Z", NULL,
                                          RELANCE_PLAN_ALL);

    g_assert_cmpuint (plan->len, ==, 0);
    g_assert_cmpuint (later->len, ==, 0);
  }
  remove_store (store);
}

/* ---- duplicates: the same state twice gives the same single message ----------------- */

static void
test_same_state_same_plan (void)
{
  const PlanCase tc = {
    .name = "same-state-twice",
    .clients = TWO_CLIENTS,
    .invoices = { { "F1", 0, "2026-03-02", SMALL,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } },
                  { "F2", 0, "2026-03-02", SMALL },
                  { "F3", 1, "2026-03-02", SMALL } },
  };
  RelanceStore *store = build_store (&tc);
  g_autoptr(GPtrArray) first = plan_at (store, "2026-03-10T08:00:00Z", NULL, RELANCE_PLAN_ALL);
  g_autoptr(GPtrArray) second = plan_at (store, "2026-03-10T08:00:00Z", NULL, RELANCE_PLAN_ALL);
  g_autofree char *a = describe_plan (first);
  g_autofree char *b = describe_plan (second);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", a);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (first->len, ==, 2);

  /* No invoice twice in a plan. */
  for (guint i = 0; i < first->len; i++)
    {
      const RelancePlannedMessage *msg = g_ptr_array_index (first, i);

      for (guint j = 0; j < msg->invoices->len; j++)
        {
          const RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);

          g_assert_true (g_hash_table_add (seen, g_strdup (p->invoice->number)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);

  /* The store itself refuses a second row for a step of an invoice: a message skipped once
   * cannot be recorded again, and the refusal writes nothing. */
  g_assert_true (relance_store_skip_planned_message (store, g_ptr_array_index (first, 0), NULL,
                                                     &error));
  g_assert_no_error (error);
  g_assert_false (relance_store_skip_planned_message (store, g_ptr_array_index (first, 0), NULL,
                                                      &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GHashTable) reminders = relance_store_list_reminder_states (store, &error);
    const RelancePlannedMessage *skipped = g_ptr_array_index (first, 0);
    GHashTableIter iter;
    gpointer rows;
    guint n = 0;

    g_assert_no_error (error);
    g_hash_table_iter_init (&iter, reminders);
    while (g_hash_table_iter_next (&iter, NULL, &rows))
      n += ((GArray *) rows)->len;
    /* F1's reminder sent before, and one per invoice of the skipped message. */
    g_assert_cmpuint (n, ==, 1 + skipped->invoices->len);
  }

  remove_store (store);
}

/* ---- penalties in the planned invoice ------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *kind;
  const char *due;
  gint64      paid;
  SentSpec    sent[2];
  const char *now;
  const char *scheduled_at;
  int         days_overdue;
  gint64      penalties;
  gint64      indemnity;
  int         rate_bp;
} PenaltyCase;

/* 3 000,00 € at J+15 (firm-penalties). Shipped rates: ECB 2.15 % in 2025-H2 and 2026-H1,
 * plus 10 points = 12.15 %; interest = outstanding × 1215 × days / (10000 × 365), rounded
 * half up; 40 € indemnity per invoice, businesses only. */
static const PenaltyCase penalty_cases[] = {
  /* 300000 × 1215 × 15 / 3650000 = 1497.95 → 14,98 € */
  { "business", "business", "2026-01-15", 0,
    { { 1, "2026-01-16T09:00:00+01:00" }, { 8, "2026-01-23T09:00:00+01:00" } },
    "2026-01-30T08:00:00Z", "2026-01-30T09:00:00+01:00", 15, 1498, 4000, 1215 },
  /* Outstanding 2 000,00 €: 200000 × 1215 × 15 / 3650000 = 998.63 → 9,99 € */
  { "business-partially-paid", "business", "2026-01-15", 100000,
    { { 1, "2026-01-16T09:00:00+01:00" }, { 8, "2026-01-23T09:00:00+01:00" } },
    "2026-01-30T08:00:00Z", "2026-01-30T09:00:00+01:00", 15, 999, 4000, 1215 },
  /* J+15 is Sunday 4 January: computed as of Monday 5, 16 days over two half-years:
   * 300000 × 1215 × 16 / 3650000 = 1597.81 → 15,98 € */
  { "business-across-half-years", "business", "2025-12-20", 0,
    { { 1, "2025-12-22T08:00:00Z" }, { 8, "2025-12-29T08:00:00Z" } },
    "2026-01-02T12:00:00Z", "2026-01-05T09:00:00+01:00", 16, 1598, 4000, 1215 },
  { "consumer", "consumer", "2026-01-15", 0,
    { { 1, "2026-01-16T09:00:00+01:00" }, { 8, "2026-01-23T09:00:00+01:00" } },
    "2026-01-30T08:00:00Z", "2026-01-30T09:00:00+01:00", 15, 0, 0, 0 },
};

static void
test_penalties (gconstpointer data)
{
  const PenaltyCase *pc = data;
  const PlanCase tc = {
    .name = pc->name,
    .clients = { { .name = "Dupont SARL", .kind = pc->kind } },
    .invoices = { { "F1", 0, pc->due, 300000, .paid = pc->paid,
                    .sent = { pc->sent[0], pc->sent[1] } } },
  };
  RelanceStore *store = build_store (&tc);
  g_autoptr(GPtrArray) plan = plan_at (store, pc->now, NULL, RELANCE_PLAN_ALL);
  const RelancePlannedMessage *msg;
  const RelancePlannedInvoice *p;
  g_autofree char *when = NULL;

  g_assert_cmpuint (plan->len, ==, 1);
  msg = g_ptr_array_index (plan, 0);
  when = format_time (msg->scheduled_at);
  g_assert_cmpstr (when, ==, pc->scheduled_at);
  g_assert_cmpint (msg->step->offset_days, ==, 15);
  g_assert_true (msg->step->penalties);
  p = g_ptr_array_index (msg->invoices, 0);
  g_assert_cmpint (p->days_overdue, ==, pc->days_overdue);
  g_assert_cmpint (p->penalties, ==, pc->penalties);
  g_assert_cmpint (p->indemnity, ==, pc->indemnity);
  g_assert_cmpint (p->rate_bp, ==, pc->rate_bp);
  if (pc->indemnity != 0)
    g_assert_cmpstr (p->indemnity_currency, ==, "EUR");
  remove_store (store);
}

/* ---- rendering ----------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *language;
  gint64      total;
  gboolean    at_formal_notice;
  const char *subject_prefix;
  const char *text_contains[4];
} RenderCase;

static const RenderCase render_cases[] = {
  { "first-reminder-fr", "fr", 123456, FALSE, "Rappel de paiement",
    { "Bonjour", "F-2026-001", "F-2026-002", "1\u202f234,56\u00a0€" } },
  { "first-reminder-en", "en", 123456, FALSE, "Payment reminder",
    { "Hello", "F-2026-001", "F-2026-002", "€1,234.56" } },
  { "hand-over-fr", "fr", 600000, TRUE, "À traiter",
    { "F-2026-001", "F-2026-002", "6\u202f000,00\u00a0€" } },
  { "hand-over-en", "en", 600000, TRUE, "Action needed",
    { "F-2026-001", "F-2026-002", "€6,000.00" } },
};

static void
test_render (gconstpointer data)
{
  const RenderCase *rcase = data;
  const PlanCase tc = {
    .name = rcase->name,
    .clients = { { .name = "Dupont <b>\r\nBcc: evil@x", .language = rcase->language } },
    .invoices = { { "F-2026-001", 0, "2026-03-02", rcase->total,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" },
                              { 15, "2026-03-17T09:00:00+01:00" } } },
                  { "F-2026-002", 0, "2026-03-02", rcase->total,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" },
                              { 8, "2026-03-10T09:00:00+01:00" },
                              { 15, "2026-03-17T09:00:00+01:00" } } } },
  };
  const PlanCase fresh = {
    .name = rcase->name,
    .clients = { { .name = "Dupont <b>\r\nBcc: evil@x", .language = rcase->language } },
    .invoices = { { "F-2026-001", 0, "2026-03-02", rcase->total },
                  { "F-2026-002", 0, "2026-03-02", rcase->total } },
  };
  RelanceStore *store = build_store (rcase->at_formal_notice ? &tc : &fresh);
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  const RelancePlannedMessage *msg;

  set_company (store, NULL, "ACME <b>\r\nBcc: evil@x");
  plan = plan_at (store, rcase->at_formal_notice ? "2026-04-01T07:00:00Z"
                                                 : "2026-03-04T09:00:00Z",
                  NULL, RELANCE_PLAN_ALL);
  g_assert_cmpuint (plan->len, ==, 1);
  msg = g_ptr_array_index (plan, 0);
  g_assert_cmpuint (msg->invoices->len, ==, 2);
  g_assert_cmpint (msg->handover, ==, rcase->at_formal_notice);

  g_assert_true (relance_planner_render (store, msg, &subject, &text, &html, &error));
  g_assert_no_error (error);
  g_test_message ("Subject: %s\n\n%s", subject, text);

  g_assert_true (g_str_has_prefix (subject, rcase->subject_prefix));
  g_assert_null (strchr (subject, '\r'));
  g_assert_null (strchr (subject, '\n'));
  /* The injected name must not become a header line of its own. */
  g_assert_null (strstr (subject, "\nBcc"));
  for (guint i = 0; i < G_N_ELEMENTS (rcase->text_contains) && rcase->text_contains[i]; i++)
    g_assert_nonnull (strstr (text, rcase->text_contains[i]));
  g_assert_nonnull (strstr (html, "F-2026-001"));
  g_assert_null (strstr (html, "<b>\r\nBcc"));
  g_assert_null (strstr (html, "ACME <b>"));
  g_assert_null (strstr (html, "Dupont <b>"));
  if (!rcase->at_formal_notice)
    g_assert_nonnull (strstr (html, "ACME &lt;b&gt;"));
  /* The other language's words stay out. */
  if (g_str_equal (rcase->language, "fr"))
    g_assert_null (strstr (text, "Invoice "));
  else
    g_assert_null (strstr (text, "Facture"));
  remove_store (store);
}

/* A reminder after a broken promise says so, in the client's language; one without a
 * promise does not. The promise is on the second invoice of a grouped message. */
static void
test_render_broken_promise (gconstpointer data)
{
  const char *language = data;
  const PlanCase tc = {
    .name = "broken-promise",
    .clients = { { .name = "Dupont SARL", .language = language } },
    .invoices = { { "F-2026-001", 0, "2026-03-02", 123456,
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } },
                  { "F-2026-002", 0, "2026-03-02", 123456, .promise = "2026-03-09",
                    .sent = { { 1, "2026-03-03T09:00:00+01:00" } } } },
  };
  const char *sentence = g_str_equal (language, "fr")
                         ? "le règlement nous parviendrait au plus tard\nle 09/03/2026"
                         : "You told us payment would arrive by 9 Mar 2026";
  RelanceStore *store = build_store (&tc);
  g_autoptr(GPtrArray) plan = plan_at (store, "2026-03-10T07:00:00Z", NULL, RELANCE_PLAN_ALL);
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  const RelancePlannedMessage *msg;

  set_company (store, NULL, "ACME");
  g_assert_cmpuint (plan->len, ==, 1);
  msg = g_ptr_array_index (plan, 0);
  g_assert_cmpuint (msg->invoices->len, ==, 2);
  g_assert_cmpstr (msg->template_key, ==, "firm");
  g_assert_true (relance_planner_render (store, msg, &subject, &text, &html, &error));
  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, sentence));
  g_assert_null (strstr (text, "{{"));
  g_assert_nonnull (strstr (html, g_str_equal (language, "fr") ? "09/03/2026" : "9 Mar 2026"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&html, g_free);
  g_clear_pointer (&subject, g_free);

  /* Once paid, the promise is not mentioned for the other invoice's next reminder. */
  payment = relance_store_pay (store, "F-2026-002", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (payment);
  later = plan_at (store, "2026-03-10T07:00:00Z", NULL, RELANCE_PLAN_ALL);
  g_assert_cmpuint (later->len, ==, 1);
  msg = g_ptr_array_index (later, 0);
  g_assert_true (relance_planner_render (store, msg, &subject, &text, &html, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (text, g_str_equal (language, "fr") ? "Vous nous aviez indiqué"
                                                            : "You told us"));
  g_assert_null (strstr (text, "{{"));
  remove_store (store);
}

/* ---- the template preview ------------------------------------------------------------ */

/* What the template editor previews for an invoice is what relance_planner_render() sends
 * for the message that carries it, word for word, whichever invoice of it is chosen. */
static void
test_preview_is_what_is_sent (gconstpointer data)
{
  const char *language = data;
  const PlanCase tc = {
    .name = "preview",
    .clients = { { .name = "Dupont SARL", .language = language } },
    .invoices = { { "F-2026-001", 0, "2026-03-02", 123456 },
                  { "F-2026-002", 0, "2026-03-02", 123456 } },
  };
  RelanceStore *store = build_store (&tc);
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GDateTime) now = parse_time ("2026-03-04T09:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  const RelancePlannedMessage *msg;
  g_autofree char *sent_subject = NULL;
  g_autofree char *sent_text = NULL;
  g_autofree char *sent_html = NULL;

  set_company (store, NULL, "ACME");
  company = relance_store_get_company (store, &error);
  g_assert_no_error (error);
  g_free (company->payment_link);
  company->payment_link = g_strdup ("https://pay.example.com/{{invoice.number}}");
  g_assert_true (relance_store_set_company (store, company, &error));
  g_assert_no_error (error);

  plan = plan_at (store, "2026-03-04T09:00:00Z", NULL, RELANCE_PLAN_ALL);
  g_assert_cmpuint (plan->len, ==, 1);
  msg = g_ptr_array_index (plan, 0);
  g_assert_true (relance_planner_render (store, msg, &sent_subject, &sent_text, &sent_html,
                                         &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      const char *number = i == 0 ? "F-2026-001" : "F-2026-002";
      g_autoptr(RelanceTemplateText) text = relance_store_get_template (store,
                                                                        msg->template_key,
                                                                        language, &error);
      g_autoptr(RelanceTemplate) subject_tpl = relance_template_parse (text->subject, &error);
      g_autoptr(RelanceTemplate) body_tpl = relance_template_parse (text->body, &error);
      g_autoptr(RelanceTemplateValues) values =
        relance_planner_preview_values (store, number, language, now, &error);
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      g_autofree char *html = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (values);
      relance_planner_render_values (subject_tpl, body_tpl, values, &subject, &body, &html);
      g_test_message ("%s: Subject: %s\n\n%s", number, subject, body);
      g_assert_cmpstr (subject, ==, sent_subject);
      g_assert_cmpstr (body, ==, sent_text);
      g_assert_cmpstr (html, ==, sent_html);
      /* Both invoices of the message, and the link of the first, as sent. */
      g_assert_nonnull (strstr (body, "F-2026-001"));
      g_assert_nonnull (strstr (body, "F-2026-002"));
      g_assert_nonnull (strstr (body, "https://pay.example.com/F-2026-001"));
    }
  remove_store (store);
}

typedef struct
{
  const char *name;
  const char *language;
  const char *now;
  const char *expected;
} PreviewCase;

#define PREVIEW_TEMPLATE \
  "{{#invoices}}{{invoice.number}} {{invoice.days_overdue}} {{invoice.outstanding}}" \
  "{{/invoices}} | {{total_due}} | {{penalties.amount}} | {{deadline}} | {{client.name}}"

/* A paused client: nothing is planned, the preview shows the invoice alone as of now
 * (days overdue that day, no penalties, eight days to pay), in the template's language. */
static const PreviewCase preview_alone_cases[] = {
  { "alone-fr", "fr", "2026-03-12T09:00:00Z",
    "F1 10 1\u202f200,00\u00a0€ | 1\u202f200,00\u00a0€ | 0,00\u00a0€ | 20/03/2026 | "
    "Dupont SARL" },
  { "alone-en", "en", "2026-03-12T09:00:00Z",
    "F1 10 €1,200.00 | €1,200.00 | €0.00 | 20 Mar 2026 | Dupont SARL" },
  { "alone-not-due", "en", "2026-02-20T09:00:00Z",
    "F1 0 €1,200.00 | €1,200.00 | €0.00 | 28 Feb 2026 | Dupont SARL" },
};

static void
test_preview_alone (gconstpointer data)
{
  const PreviewCase *pc = data;
  const PlanCase tc = {
    .name = pc->name,
    .clients = { { .name = "Dupont SARL", .paused = TRUE } },
    .invoices = { { "F1", 0, "2026-03-02", SMALL } },
  };
  RelanceStore *store = build_store (&tc);
  g_autoptr(GDateTime) now = parse_time (pc->now);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plan = plan_at (store, pc->now, NULL, RELANCE_PLAN_ALL);
  g_autoptr(RelanceTemplate) tpl = relance_template_parse (PREVIEW_TEMPLATE, &error);
  g_autoptr(RelanceTemplateValues) values = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (plan->len, ==, 0);
  values = relance_planner_preview_values (store, "F1", pc->language, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);
  relance_planner_render_values (tpl, tpl, values, NULL, &text, NULL);
  g_assert_cmpstr (text, ==, pc->expected);

  /* An invoice that does not exist is an error, not an empty preview. */
  g_clear_pointer (&values, relance_template_values_free);
  values = relance_planner_preview_values (store, "F404", pc->language, now, &error);
  g_assert_null (values);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  remove_store (store);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_cases ("order", order_cases, G_N_ELEMENTS (order_cases));
  add_cases ("late", late_cases, G_N_ELEMENTS (late_cases));
  add_cases ("stop", stop_cases, G_N_ELEMENTS (stop_cases));
  add_cases ("group", group_cases, G_N_ELEMENTS (group_cases));
  add_cases ("duplicates", duplicate_cases, G_N_ELEMENTS (duplicate_cases));
  add_cases ("window", window_cases, G_N_ELEMENTS (window_cases));
  add_cases ("threshold", threshold_cases, G_N_ELEMENTS (threshold_cases));
  add_cases ("answers", answer_cases, G_N_ELEMENTS (answer_cases));
  add_cases ("mode", mode_cases, G_N_ELEMENTS (mode_cases));
  g_test_add_func ("/planner/duplicates/same-state-same-plan", test_same_state_same_plan);
  for (guint i = 0; i < G_N_ELEMENTS (run_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/run/%s", run_cases[i].name);
      g_test_add_data_func (path, &run_cases[i], test_run_scenario);
    }
  for (guint i = 0; i < G_N_ELEMENTS (penalty_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/penalties/%s", penalty_cases[i].name);
      g_test_add_data_func (path, &penalty_cases[i], test_penalties);
    }
  for (guint i = 0; i < G_N_ELEMENTS (render_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/render/%s", render_cases[i].name);
      g_test_add_data_func (path, &render_cases[i], test_render);
    }
  g_test_add_data_func ("/planner/render/broken-promise-fr", "fr", test_render_broken_promise);
  g_test_add_data_func ("/planner/render/broken-promise-en", "en", test_render_broken_promise);
  g_test_add_data_func ("/planner/preview/what-is-sent-fr", "fr", test_preview_is_what_is_sent);
  g_test_add_data_func ("/planner/preview/what-is-sent-en", "en", test_preview_is_what_is_sent);
  for (guint i = 0; i < G_N_ELEMENTS (preview_alone_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/preview/%s",
                                               preview_alone_cases[i].name);
      g_test_add_data_func (path, &preview_alone_cases[i], test_preview_alone);
    }
  return g_test_run ();
}
