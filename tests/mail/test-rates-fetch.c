/* test-rates-fetch.c: fetching the ECB and Bank of England rates from a loopback SoupServer
 * that answers like the real services (tests/data/rates/), and what reaches the store. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-mail-error.h"
#include "relance-planner.h"
#include "relance-rates-fetch.h"

#include "../relance-test-sql.h"

#define ECB_PATH "/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV"
#define BOE_PATH "/boeapps/database/_iadb-fromshowcolumns.asp"

typedef enum
{
  SERVE_DATA,   /* the body below, 200 */
  SERVE_STATUS, /* an HTML error page with the status below */
  SERVE_STALL,  /* never answer */
} ServeMode;

typedef struct
{
  RelanceStore *store;
  SoupServer   *server;
  char         *base;
  ServeMode     mode;
  guint         status;
  char         *body;          /* NULL: the sample file of the series asked for */
  const char   *content_type;
  char         *user_agent;    /* seen by the server */
  guint         n_requests;
  GPtrArray    *stalled;       /* SoupServerMessage*, paused */
} Fixture;

static char *
sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rates", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *f = user_data;
  gboolean ecb = g_str_equal (path, ECB_PATH);
  gboolean boe = g_str_equal (path, BOE_PATH);
  g_autofree char *body = NULL;

  f->n_requests++;
  g_free (f->user_agent);
  f->user_agent = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "User-Agent"));

  /* Like the real services: an unknown path or a query without the series is a 404. */
  if ((!ecb && !boe) || query == NULL
      || (ecb && g_strcmp0 (g_hash_table_lookup (query, "format"), "csvdata") != 0)
      || (boe && g_strcmp0 (g_hash_table_lookup (query, "SeriesCodes"), "IUDBEDR") != 0))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><body>Not found</body></html>", 35);
      return;
    }

  switch (f->mode)
    {
    case SERVE_STALL:
      g_ptr_array_add (f->stalled, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    case SERVE_STATUS:
      soup_server_message_set_status (msg, f->status, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><body>Error</body></html>", 31);
      return;
    case SERVE_DATA:
    default:
      body = f->body != NULL ? g_strdup (f->body)
                             : sample (ecb ? "ecb-mrr-fr.csv" : "boe-iudbedr.csv");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, f->content_type != NULL ? f->content_type
                                                                     : "text/csv",
                                        SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
}

static void
set_now (const char *iso)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (now);
  relance_clock_set_override (now);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "rates.db", NULL);
  GSList *uris;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->store = relance_store_open (path, &error);
  g_assert_no_error (error);
  f->stalled = g_ptr_array_new_with_free_func (g_object_unref);

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handle, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_setenv ("RELANCE_ECB_BASE_URL", f->base, TRUE);
  g_setenv ("RELANCE_BOE_BASE_URL", f->base, TRUE);

  set_now ("2026-01-10T09:00:00Z");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < f->stalled->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->stalled, i));
  g_ptr_array_unref (f->stalled);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  g_free (f->base);
  g_free (f->body);
  g_free (f->user_agent);
  relance_clock_set_override (NULL);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static RelanceRatesUpdate *
run_fetch (Fixture            *f,
           RelanceRateSeries   series,
           guint               timeout,
           GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relance_rates_fetch_async (f->store, series, timeout, NULL, fetched, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return relance_rates_fetch_finish (result, error);
}

/* The stored rate of a half-year, or -1; @out_source may be NULL. */
static int
stored (Fixture    *f,
        const char *series,
        int         year,
        int         half,
        char      **out_source)
{
  sqlite3 *db = relance_test_sql_db (f->store);
  sqlite3_stmt *stmt = NULL;
  int bp = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rate_bp, source FROM rates "
                                           "WHERE series = ?1 AND year = ?2 AND half = ?3",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, series, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int (stmt, 3, half);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      bp = sqlite3_column_int (stmt, 0);
      if (out_source != NULL)
        *out_source = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  return bp;
}

static int
count_rows (Fixture *f)
{
  return (int) relance_test_sql_int (f->store,
                                     "SELECT (SELECT count(*) FROM rates) "
                                     "+ (SELECT count(*) FROM settings "
                                     "WHERE key LIKE 'rates.fetched-at.%')");
}

/* ---- success ------------------------------------------------------------------------- */

static const struct
{
  const char *series;
  int         year;
  int         half;
  int         bp;
} expected_rates[] = {
  /* ECB, in force on 1 January / 1 July */
  { "ecb", 2020, 1, 0 },
  { "ecb", 2022, 2, 0 },     /* the hike of 27 July 2022 came after 1 July */
  { "ecb", 2023, 1, 250 },   /* 21 Dec 2022 */
  { "ecb", 2023, 2, 400 },   /* 21 Jun 2023 */
  { "ecb", 2024, 1, 450 },
  { "ecb", 2024, 2, 425 },   /* 12 Jun 2024 */
  { "ecb", 2025, 1, 315 },   /* 18 Dec 2024 */
  { "ecb", 2025, 2, 215 },   /* 11 Jun 2025 */
  { "ecb", 2026, 1, 215 },
  /* Bank of England, the rate on 31 December / 30 June before */
  { "boe", 2020, 2, 10 },    /* 2020-H1 needs 31 Dec 2019, before the answer: not stored */
  { "boe", 2023, 1, 350 },   /* 15 Dec 2022 */
  { "boe", 2023, 2, 500 },   /* 22 Jun 2023 */
  { "boe", 2024, 1, 525 },
  { "boe", 2024, 2, 525 },
  { "boe", 2025, 1, 475 },   /* 7 Nov 2024 */
  { "boe", 2025, 2, 425 },   /* 8 May 2025 */
  { "boe", 2026, 1, 375 },   /* 18 Dec 2025 */
};

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) ecb = NULL;
  g_autoptr(RelanceRatesUpdate) boe = NULL;
  g_autoptr(RelanceRatesUpdate) again = NULL;
  g_autoptr(RelanceRateTable) table = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  const RelanceRateEntry *entry = NULL;
  gboolean fallback = TRUE;

  ecb = run_fetch (f, RELANCE_RATE_SERIES_ECB, 5, &error);
  g_assert_no_error (error);
  boe = run_fetch (f, RELANCE_RATE_SERIES_BOE, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->user_agent, ==, "Relance/" PACKAGE_VERSION);

  for (guint i = 0; i < G_N_ELEMENTS (expected_rates); i++)
    {
      g_autofree char *source = NULL;

      g_test_message ("%s %d-H%d", expected_rates[i].series, expected_rates[i].year,
                      expected_rates[i].half);
      g_assert_cmpint (stored (f, expected_rates[i].series, expected_rates[i].year,
                               expected_rates[i].half, &source), ==, expected_rates[i].bp);
      g_assert_cmpstr (source, ==, g_str_equal (expected_rates[i].series, "ecb")
                                     ? "ecb-data-portal" : "bank-of-england");
    }
  g_assert_cmpint (stored (f, "boe", 2020, 1, NULL), ==, -1);
  g_assert_cmpint (stored (f, "ecb", 2019, 2, NULL), ==, -1);   /* before 2020: not kept */
  g_assert_cmpint (stored (f, "ecb", 2026, 2, NULL), ==, -1);   /* not started yet */

  /* 2020-H1 .. 2026-H1 = 13 half-years for the ECB, 12 for the Bank of England */
  g_assert_cmpuint (ecb->n_added, ==, 13);
  g_assert_cmpint (ecb->first_year, ==, 2020);
  g_assert_cmpint (ecb->last_year, ==, 2026);
  g_assert_cmpuint (boe->n_added, ==, 12);
  g_assert_cmpuint (boe->notes->len, ==, 0);

  /* The penalties read them, with their source and date. */
  table = relance_store_load_rates (f->store, RELANCE_RATE_SERIES_ECB, &error);
  g_assert_no_error (error);
  relance_rate_table_lookup (table, 2025, 2, &entry, &fallback, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->bp, ==, 215);
  g_assert_cmpstr (entry->source, ==, "ecb-data-portal");
  g_assert_false (fallback);
  fetched_at = relance_store_get_rate_fetched_at (f->store, RELANCE_RATE_SERIES_ECB, 2025, 2);
  g_assert_nonnull (fetched_at);
  g_assert_cmpint (g_date_time_get_year (fetched_at), ==, 2026);
  g_assert_cmpint (g_date_time_get_day_of_month (fetched_at), ==, 10);

  /* The same answer again changes nothing. */
  again = run_fetch (f, RELANCE_RATE_SERIES_ECB, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_added, ==, 0);
  g_assert_cmpuint (again->n_changed, ==, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 13);
}

/* A value stored from an earlier fetch is updated when the service now says otherwise,
 * and the change is reported; a value set by hand is never touched. */
static void
test_user_value_kept (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = NULL;
  g_autoptr(GDateTime) old = g_date_time_new_utc (2025, 7, 2, 8, 0, 0);
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  RelanceRateSaveOutcome outcome;

  relance_store_save_rate (f->store, RELANCE_RATE_SERIES_ECB, 2025, 2, 300, &error);
  g_assert_no_error (error);
  relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2025, 1, 340,
                                "ecb-data-portal", old, &outcome, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_ADDED);

  update = run_fetch (f, RELANCE_RATE_SERIES_ECB, 5, &error);
  g_assert_no_error (error);

  g_assert_cmpint (stored (f, "ecb", 2025, 2, &source), ==, 300);
  g_assert_cmpstr (source, ==, "user");
  g_assert_null (relance_store_get_rate_fetched_at (f->store, RELANCE_RATE_SERIES_ECB, 2025, 2));
  g_assert_cmpint (stored (f, "ecb", 2025, 1, NULL), ==, 315);
  g_assert_cmpuint (update->n_kept_user, ==, 1);
  g_assert_cmpuint (update->n_changed, ==, 1);
  g_assert_cmpuint (update->n_added, ==, 11);

  text = relance_rates_update_describe (update);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "2025-H1: 3.40% changed to 3.15%"));
  g_assert_nonnull (strstr (text, "2025-H2: kept 3.00%"));

  /* Nor by a direct call. */
  relance_store_save_rate_full (f->store, RELANCE_RATE_SERIES_ECB, 2025, 2, 215,
                                "ecb-data-portal", old, &outcome, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, RELANCE_RATE_SAVE_KEPT_USER);
  g_assert_cmpint (stored (f, "ecb", 2025, 2, NULL), ==, 300);
}

/* ---- answers that change nothing ----------------------------------------------------- */

typedef struct
{
  const char        *name;
  RelanceRateSeries  series;
  const char        *body;        /* NULL: the sample with @from replaced by @to */
  const char        *from;
  const char        *to;
  const char        *content_type;
  const char        *reason;      /* expected in the message */
} BadAnswer;

static const BadAnswer bad_answers[] = {
  { "html-page", RELANCE_RATE_SERIES_ECB,
    "<!DOCTYPE html><html><body>Maintenance</body></html>", NULL, NULL, "text/csv",
    "web page" },
  { "html-content-type", RELANCE_RATE_SERIES_BOE, NULL, NULL, NULL, "text/html", "web page" },
  { "empty-body", RELANCE_RATE_SERIES_ECB, "", NULL, NULL, NULL, "empty" },
  { "header-only", RELANCE_RATE_SERIES_BOE, "DATE,IUDBEDR\n", NULL, NULL, NULL, "no values" },
  { "missing-column", RELANCE_RATE_SERIES_ECB, NULL, "OBS_VALUE", "OBS_VAL", NULL,
    "OBS_VALUE" },
  { "wrong-series", RELANCE_RATE_SERIES_BOE, NULL, "IUDBEDR", "IUMABEDR", NULL, "IUDBEDR" },
  { "not-a-number", RELANCE_RATE_SERIES_ECB, NULL, ",2.15,", ",n/a,", NULL, "“n/a”" },
  { "absurd-rate", RELANCE_RATE_SERIES_BOE, NULL, "4.2500", "42.5000", NULL, "outside" },
  { "negative-absurd", RELANCE_RATE_SERIES_ECB, NULL, ",3.15,", ",-3.15,", NULL, "outside" },
  { "bad-date", RELANCE_RATE_SERIES_BOE, NULL, "07 Aug 2025", "07/08/2025", NULL, "date" },
  { "other-series-key", RELANCE_RATE_SERIES_ECB, NULL, "MRR_FR.LEV,B", "DFR.LEV,B", NULL,
    "another series" },
  { "future-only", RELANCE_RATE_SERIES_ECB,
    "KEY,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.MRR_FR.LEV,2027-01-01,2.00\n",
    NULL, NULL, NULL, "no half-year" },
};

static void
test_bad_answer (Fixture       *f,
                 gconstpointer  data)
{
  const BadAnswer *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = NULL;
  g_autoptr(GDateTime) old = g_date_time_new_utc (2025, 7, 2, 8, 0, 0);

  /* One value from an earlier fetch, to prove it stays. */
  relance_store_save_rate_full (f->store, bad->series, 2025, 1, 999, "x-earlier", old,
                                NULL, NULL, &error);
  g_assert_no_error (error);

  if (bad->body != NULL)
    f->body = g_strdup (bad->body);
  else if (bad->from != NULL)
    {
      g_autofree char *text = sample (bad->series == RELANCE_RATE_SERIES_BOE
                                        ? "boe-iudbedr.csv" : "ecb-mrr-fr.csv");
      g_autoptr(GString) edited = g_string_new (text);

      g_assert_cmpuint (g_string_replace (edited, bad->from, bad->to, 1), ==, 1);
      f->body = g_string_free (g_steal_pointer (&edited), FALSE);
    }
  f->content_type = bad->content_type;

  update = run_fetch (f, bad->series, 5, &error);
  g_assert_null (update);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, bad->reason));
  g_assert_nonnull (strstr (error->message, "no rate was changed"));
  g_assert_cmpint (count_rows (f), ==, 2);
  g_assert_cmpint (stored (f, bad->series == RELANCE_RATE_SERIES_BOE ? "boe" : "ecb",
                           2025, 1, NULL), ==, 999);
}

/* ---- the network fails --------------------------------------------------------------- */

static void
test_http_status (Fixture       *f,
                  gconstpointer  data)
{
  const guint statuses[] = { 500, 503, 404, 403 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceRatesUpdate) update = NULL;
      g_autofree char *code = g_strdup_printf ("“%u ", statuses[i]);

      f->mode = SERVE_STATUS;
      f->status = statuses[i];
      update = run_fetch (f, i % 2 ? RELANCE_RATE_SERIES_BOE : RELANCE_RATE_SERIES_ECB, 5,
                          &error);
      g_assert_null (update);
      g_assert_error (error, RELANCE_MAIL_ERROR, (statuses[i] >= 500
                                                    ? RELANCE_MAIL_ERROR_TEMPORARY
                                                    : RELANCE_MAIL_ERROR_PERMANENT));
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, code));
      g_assert_cmpint (count_rows (f), ==, 0);
    }
}

/* A wrong path is what a moved service answers: the real 404 of the server. */
static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = NULL;
  g_autofree char *base = g_strconcat (f->base, "/moved", NULL);

  g_setenv ("RELANCE_ECB_BASE_URL", base, TRUE);
  update = run_fetch (f, RELANCE_RATE_SERIES_ECB, 5, &error);
  g_assert_null (update);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_PERMANENT);
  g_assert_nonnull (strstr (error->message, "“404 Not Found”"));
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpint (count_rows (f), ==, 0);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = NULL;

  f->mode = SERVE_STALL;
  update = run_fetch (f, RELANCE_RATE_SERIES_ECB, 1, &error);
  g_assert_null (update);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_TEMPORARY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message,
                            "No answer came from the ECB Data Portal within 1 second."));
  g_assert_cmpint (count_rows (f), ==, 0);
}

/* Offline: nothing listens on the port. The penalties keep the shipped table. */
static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(RelanceRateTable) table = NULL;
  g_autofree char *base = NULL;
  g_autofree char *attempt = NULL;
  const RelanceRateEntry *entry = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_setenv ("RELANCE_ECB_BASE_URL", base, TRUE);

  update = run_fetch (f, RELANCE_RATE_SERIES_ECB, 5, &error);
  g_assert_null (update);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach the ECB Data Portal"));
  g_assert_nonnull (strstr (error->message, "shipped table up to 2026-H1"));
  g_assert_cmpint (count_rows (f), ==, 0);

  attempt = relance_store_get_setting (f->store, RELANCE_RATES_SETTING_LAST_ATTEMPT);
  g_assert_cmpstr (attempt, ==, "2026-01-10T09:00:00Z");
  g_clear_error (&error);

  table = relance_store_load_rates (f->store, RELANCE_RATE_SERIES_ECB, &error);
  g_assert_no_error (error);
  relance_rate_table_lookup (table, 2026, 1, &entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->bp, ==, 215);
  g_assert_cmpstr (entry->source, ==, "shipped");
}

/* ---- what is missing, and when to fetch ---------------------------------------------- */

static void
test_missing_note (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) march = g_date_new_dmy (1, G_DATE_MARCH, 2026);
  g_autoptr(GDate) august = g_date_new_dmy (1, G_DATE_AUGUST, 2026);
  g_autoptr(GDate) next_year = g_date_new_dmy (15, G_DATE_FEBRUARY, 2027);
  g_autofree char *none = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *after = NULL;

  none = relance_rates_missing_note (f->store, RELANCE_RATE_SERIES_ECB, march);
  g_assert_null (none);

  one = relance_rates_missing_note (f->store, RELANCE_RATE_SERIES_ECB, august);
  g_assert_cmpstr (one, ==, "2026-H2: missing — the 2026-H1 rate is used until it is known.");

  two = relance_rates_missing_note (f->store, RELANCE_RATE_SERIES_BOE, next_year);
  g_assert_cmpstr (two, ==, "2026-H2: missing — the 2026-H1 rate is used until it is known.\n"
                            "2027-H1: missing — the 2026-H1 rate is used until it is known.");

  relance_store_save_rate (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 190, &error);
  g_assert_no_error (error);
  after = relance_rates_missing_note (f->store, RELANCE_RATE_SERIES_ECB, august);
  g_assert_null (after);
}

static void
test_update_due (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) july = g_date_time_new_utc (2026, 7, 1, 6, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_add_hours (july, 5);
  g_autoptr(GDateTime) next_day = g_date_time_add_hours (july, 25);

  /* No company country: France, the ECB series. */
  g_assert_true (relance_rates_update_due (f->store, july));
  relance_store_set_setting (f->store, RELANCE_RATES_SETTING_LAST_ATTEMPT,
                             "2026-07-01T06:00:00Z", &error);
  g_assert_no_error (error);
  g_assert_false (relance_rates_update_due (f->store, later));
  g_assert_true (relance_rates_update_due (f->store, next_day));

  /* Once the half-year has a value (fetched or set by hand), nothing is due. */
  relance_store_save_rate (f->store, RELANCE_RATE_SERIES_ECB, 2026, 2, 190, &error);
  g_assert_no_error (error);
  g_assert_false (relance_rates_update_due (f->store, next_day));

  /* A shipped value alone still calls for a fetch (January 2026). */
  {
    g_autoptr(GDateTime) january = g_date_time_new_utc (2026, 1, 3, 6, 0, 0);

    relance_store_set_setting (f->store, RELANCE_RATES_SETTING_LAST_ATTEMPT, NULL, &error);
    g_assert_true (relance_rates_update_due (f->store, january));
  }
}

int
main (int argc, char **argv)
{
  /* The isolated XDG_DATA_DIRS hide the system's proxy settings schema, which the GNOME
   * proxy resolver would abort on; the loopback server needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add ("/rates-fetch/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("success", test_success, NULL);
  ADD ("user-value-kept", test_user_value_kept, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_answers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rates-fetch/bad-answer/%s",
                                               bad_answers[i].name);

      g_test_add (path, Fixture, &bad_answers[i], fixture_set_up, test_bad_answer,
                  fixture_tear_down);
    }
  ADD ("http-status", test_http_status, NULL);
  ADD ("not-found", test_not_found, NULL);
  ADD ("timeout", test_timeout, NULL);
  ADD ("offline", test_offline, NULL);
  ADD ("missing-note", test_missing_note, NULL);
  ADD ("update-due", test_update_due, NULL);

#undef ADD
  return g_test_run ();
}
