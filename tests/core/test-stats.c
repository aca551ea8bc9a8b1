/* test-stats.c: the Dashboard figures (relance-stats.c) on a small store whose every
 * expected value was computed by hand, as of 2026-03-10. */
#include "config.h"

#include <string.h>

#include "../relance-test-sql.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-stats.h"
#include "relance-store.h"

#define TODAY "2026-03-10"

typedef struct
{
  const char *number;
  const char *currency;
  const char *issue;
  const char *due;
  gint64      total;
  const char *status;
  const char *payments; /* "DATE:AMOUNT DATE:AMOUNT", or NULL */
} InvoiceRow;

/* Days overdue and buckets as of 2026-03-10 in the comments. */
static const InvoiceRow invoices[] = {
  { "A", "EUR", "2026-02-18", "2026-03-20", 100000, "open", NULL },           /* -10: not due */
  { "B", "EUR", "2026-02-08", "2026-03-10", 5000, "open", NULL },             /* 0: not due */
  { "C", "EUR", "2026-01-30", "2026-03-01", 20000, "open", "2026-03-05:5000" }, /* 9 */
  { "D", "EUR", "2025-12-10", "2026-01-09", 30000, "open", NULL },            /* 60 */
  { "E", "EUR", "2025-11-09", "2025-12-09", 40000, "open", NULL },            /* 91 */
  { "F", "EUR", "2025-11-10", "2025-12-10", 7000, "open", NULL },             /* 90 */
  { "G", "EUR", "2026-01-01", "2026-01-31", 99999, "cancelled", NULL },       /* ignored */
  { "H", "EUR", "2026-01-29", "2026-02-28", 1000, "disputed", NULL },         /* 10 */
  { "I", "EUR", "2026-01-02", "2026-02-01", 8000, "open", "2026-01-30:8000" }, /* on time */
  { "J", "EUR", "2026-01-02", "2026-02-01", 6000, "open",
    "2026-01-20:3000 2026-02-05:3000" },                                    /* late */
  { "K", "EUR", "2024-12-01", "2025-01-01", 2000, "open", "2025-03-10:2000" }, /* too old */
  { "L", "EUR", "2025-03-01", "2025-04-01", 2500, "open", "2025-03-11:2500" }, /* on time */
  { "M", "GBP", "2026-01-09", "2026-02-08", 12000, "open", NULL },            /* 30 */
  { "N", "USD", "2026-03-01", "2026-03-31", 5000, "open", "2026-03-02:5000" }, /* on time */
};

typedef struct
{
  const char *invoice;
  int         offset;   /* the step of the "standard" scenario */
  const char *sent_at;  /* ISO 8601 UTC, or NULL (still queued) */
} ReminderRow;

static const ReminderRow reminders[] = {
  { "C", 1, "2026-03-02T10:00:00Z" },  /* paid 03-05: counts */
  { "D", 1, "2026-01-10T09:00:00Z" },  /* never paid */
  { "J", 1, "2026-02-02T09:00:00Z" },  /* paid 02-05: counts */
  { "E", 8, "2025-12-17T09:00:00Z" },  /* never paid */
  { "I", 8, "2026-01-22T09:00:00Z" },  /* paid 01-30, 8 days later: does not count */
  { "H", 8, "2026-03-11T09:00:00Z" },  /* after today: not sent yet as of today */
  { "F", 8, NULL },                     /* queued */
  { "J", 15, "2026-01-29T23:30:00Z" }, /* paid 02-05, 7th day after (UTC): counts */
};

static RelanceStore *
open_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "r.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
step_id (RelanceStore *store,
         int           offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *sc = g_ptr_array_index (scenarios, i);

      for (guint j = 0; g_str_equal (sc->key, "standard") && j < sc->steps->len; j++)
        if (((RelanceStep *) g_ptr_array_index (sc->steps, j))->offset_days == offset)
          return ((RelanceStep *) g_ptr_array_index (sc->steps, j))->id;
    }
  g_assert_not_reached ();
}

static RelanceStore *
fill_store (void)
{
  RelanceStore *store = open_store ();
  g_autoptr(GError) error = NULL;
  RelanceClient client = { 0 };

  client.name = (char *) "Client";
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (invoices); i++)
    {
      const InvoiceRow *row = &invoices[i];
      RelanceInvoice invoice = { 0 };
      g_auto(GStrv) payments = NULL;

      invoice.number = (char *) row->number;
      invoice.client_id = client.id;
      g_assert_true (relance_date_from_iso (row->issue, &invoice.issue_date));
      g_assert_true (relance_date_from_iso (row->due, &invoice.due_date));
      invoice.total = row->total;
      invoice.currency = (char *) row->currency;
      invoice.status = (char *) row->status;
      g_date_clear (&invoice.promise_date, 1);
      relance_store_save_invoice (store, &invoice, &error);
      g_assert_no_error (error);

      payments = g_strsplit (row->payments != NULL ? row->payments : "", " ", -1);
      for (guint p = 0; payments[p] != NULL && *payments[p] != '\0'; p++)
        {
          RelancePayment payment = { 0 };
          g_auto(GStrv) parts = g_strsplit (payments[p], ":", 2);

          payment.invoice_id = invoice.id;
          g_assert_true (relance_date_from_iso (parts[0], &payment.date));
          payment.amount = g_ascii_strtoll (parts[1], NULL, 10);
          relance_store_add_payment (store, &payment, &error);
          g_assert_no_error (error);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (reminders); i++)
    {
      const ReminderRow *row = &reminders[i];
      g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, row->invoice, &error);
      g_autofree char *sent_at = g_strdup ("NULL");
      g_autofree char *sql = NULL;

      g_assert_no_error (error);
      if (row->sent_at != NULL)
        {
          g_autoptr(GDateTime) sent = g_date_time_new_from_iso8601 (row->sent_at, NULL);

          g_assert_nonnull (sent);
          g_free (sent_at);
          sent_at = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (sent));
        }
      /* Sent and queued reminders as the outbox writes them: no store function does. */
      sql = g_strdup_printf ("INSERT INTO reminders (invoice_id, step_id, channel, state, "
                             "scheduled_at, sent_at) VALUES (%" G_GINT64_FORMAT ", %"
                             G_GINT64_FORMAT ", 'email', '%s', 0, %s)", invoice->id,
                             step_id (store, row->offset),
                             row->sent_at != NULL ? "sent" : "queued", sent_at);
      relance_test_sql_exec (store, sql);
    }
  return store;
}

static void
today (GDate *out)
{
  g_assert_true (relance_date_from_iso (TODAY, out));
}

typedef struct
{
  const char *currency;
  gint64      outstanding;
  guint       n_outstanding;
  gint64      overdue;
  guint       n_overdue;
  gint64      amounts[RELANCE_AGING_N_BUCKETS];
  guint       counts[RELANCE_AGING_N_BUCKETS];
  gint64      sales;
  int         dso;
} CurrencyCase;

/* EUR: A+B not due; C (15 000 left) and H in 1–30; D in 31–60; F in 61–90; E over 90.
 * Sales over 2025-12-11…2026-03-10: A B C H I J = 140 000; DSO = 198 000 / 140 000 × 90
 * = 127.3. GBP: one invoice of 12 000, 30 days late, issued in the period: DSO 90. USD:
 * nothing owed, 5 000 sold: DSO 0. */
static const CurrencyCase currency_cases[] = {
  { "EUR", 198000, 7, 93000, 5, { 105000, 16000, 30000, 7000, 40000 }, { 2, 2, 1, 1, 1 },
    140000, 127 },
  { "GBP", 12000, 1, 12000, 1, { 0, 12000, 0, 0, 0 }, { 0, 1, 0, 0, 0 }, 12000, 90 },
  { "USD", 0, 0, 0, 0, { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 }, 5000, 0 },
};

static void
test_currencies (void)
{
  g_autoptr(RelanceStore) store = fill_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GDate day;

  today (&day);
  list = relance_stats_currencies (store, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (currency_cases));
  for (guint i = 0; i < list->len; i++)
    {
      const CurrencyCase *c = &currency_cases[i];
      const RelanceCurrencyStats *s = g_ptr_array_index (list, i);

      g_test_message ("currency %s", c->currency);
      g_assert_cmpstr (s->currency, ==, c->currency);
      g_assert_cmpint (s->outstanding, ==, c->outstanding);
      g_assert_cmpuint (s->n_outstanding, ==, c->n_outstanding);
      g_assert_cmpint (s->overdue, ==, c->overdue);
      g_assert_cmpuint (s->n_overdue, ==, c->n_overdue);
      for (guint b = 0; b < RELANCE_AGING_N_BUCKETS; b++)
        {
          g_assert_cmpint (s->bucket_amount[b], ==, c->amounts[b]);
          g_assert_cmpuint (s->bucket_count[b], ==, c->counts[b]);
        }
      g_assert_cmpint (s->sales_90, ==, c->sales);
      g_assert_cmpint (s->dso, ==, c->dso);
    }
}

static void
test_empty_store (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStats) stats = NULL;
  GDate day;

  today (&day);
  stats = relance_stats_compute (store, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->currencies->len, ==, 0);
  g_assert_cmpuint (stats->n_paid, ==, 0);
  g_assert_cmpint (relance_stats_on_time_percent (stats), ==, -1);
  /* The shipped steps are listed even before anything was sent. */
  g_assert_cmpuint (stats->steps->len, >, 0);
  for (guint i = 0; i < stats->steps->len; i++)
    g_assert_cmpuint (((RelanceStepStats *) g_ptr_array_index (stats->steps, i))->n_sent, ==, 0);
}

/* Fully paid in the last 12 months: I (on time), J (last payment after due), L (paid
 * 2025-03-11, the first day of the period, on time), N (on time); K's last payment,
 * 2025-03-10, is just outside. 3 of 4 = 75 %. */
static void
test_on_time (void)
{
  g_autoptr(RelanceStore) store = fill_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStats) stats = NULL;
  GDate day;

  today (&day);
  stats = relance_stats_compute (store, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_paid, ==, 4);
  g_assert_cmpuint (stats->n_paid_on_time, ==, 3);
  g_assert_cmpint (relance_stats_on_time_percent (stats), ==, 75);
}

typedef struct
{
  int   offset;
  guint sent;
  guint paid_after;
} StepCase;

static const StepCase step_cases[] = {
  { -3, 0, 0 },
  { 1, 3, 2 },  /* C and J paid within the week, D not */
  { 8, 2, 0 },  /* E never paid, I paid on the 8th day; H's is after today, F's queued */
  { 15, 1, 1 }, /* J paid on the 7th day (UTC) */
  { 30, 0, 0 },
  { 45, 0, 0 },
};

static void
test_steps (void)
{
  g_autoptr(RelanceStore) store = fill_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint found = 0;
  GDate day;

  today (&day);
  list = relance_stats_steps (store, &day, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const RelanceStepStats *s = g_ptr_array_index (list, i);

      if (g_strcmp0 (s->scenario_key, "standard") != 0)
        {
          g_assert_cmpuint (s->n_sent, ==, 0);
          continue;
        }
      g_assert_cmpuint (found, <, G_N_ELEMENTS (step_cases));
      g_test_message ("step J%+d", s->offset_days);
      g_assert_cmpint (s->offset_days, ==, step_cases[found].offset);
      g_assert_cmpuint (s->n_sent, ==, step_cases[found].sent);
      g_assert_cmpuint (s->n_paid_after, ==, step_cases[found].paid_after);
      g_assert_nonnull (s->tone);
      found++;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (step_cases));
}

static void
test_buckets (void)
{
  static const struct { int days; RelanceAgingBucket bucket; } cases[] = {
    { -5, RELANCE_AGING_NOT_DUE }, { 0, RELANCE_AGING_NOT_DUE }, { 1, RELANCE_AGING_1_30 },
    { 30, RELANCE_AGING_1_30 }, { 31, RELANCE_AGING_31_60 }, { 60, RELANCE_AGING_31_60 },
    { 61, RELANCE_AGING_61_90 }, { 90, RELANCE_AGING_61_90 }, { 91, RELANCE_AGING_OVER_90 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (relance_aging_bucket_for_days (cases[i].days), ==, cases[i].bucket);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stats/buckets", test_buckets);
  g_test_add_func ("/stats/currencies", test_currencies);
  g_test_add_func ("/stats/empty-store", test_empty_store);
  g_test_add_func ("/stats/on-time", test_on_time);
  g_test_add_func ("/stats/steps", test_steps);

  return g_test_run ();
}
