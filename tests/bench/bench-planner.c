/* bench-planner.c: times one planner pass against a bare SQLite scan of the same rows.
 *
 * Both run in this process on the same open store, so the floor pays for the same page
 * cache and the same disk: it reads every invoice with the sum of its payments, which is
 * the least the planner must read. Prints one line; never fails on timing.
 *
 * Usage: bench-planner DATABASE [RUNS] */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "../relance-test-sql.h"
#include "relance-clock.h"
#include "relance-planner.h"
#include "relance-store.h"

#define GOAL 3.0

static double
time_planner (RelanceStore *store,
              GDateTime    *now,
              guint        *out_messages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gint64 start = g_get_monotonic_time ();

  messages = relance_planner_plan (store, now, NULL, RELANCE_PLAN_ALL, &error);
  if (messages == NULL)
    g_error ("The planner failed: %s", error->message);
  *out_messages = messages->len;
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_scan (RelanceStore *store,
           guint        *out_rows)
{
  /* The floor is bare SQLite, on the store's own connection. */
  sqlite3 *db = relance_test_sql_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 checksum = 0;
  guint rows = 0;
  int rc;

  /* Preparing is part of the cost, as it is for the planner's first pass. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT i.*, (SELECT sum(amount) FROM payments p "
                          "WHERE p.invoice_id = i.id) FROM invoices i",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Cannot prepare the scan: %s", sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* Touch the columns so SQLite decodes them, as any real reader would. */
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        checksum += sqlite3_column_bytes (stmt, c);
      rows++;
    }
  if (rc != SQLITE_DONE)
    g_error ("The scan failed: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  *out_rows = rows;
  (void) checksum;
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GDateTime) now = NULL;
  double best_plan = G_MAXDOUBLE;
  double best_scan = G_MAXDOUBLE;
  guint messages = 0;
  guint rows = 0;
  int runs;

  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      g_printerr ("usage: %s DATABASE [RUNS]\n", argv[0]);
      return 2;
    }
  runs = argc > 2 ? MAX (1, atoi (argv[2])) : 3;

  store = relance_store_open (argv[1], &error);
  if (store == NULL)
    g_error ("Cannot open %s: %s", argv[1], error->message);
  now = relance_clock_now ();

  /* Alternated, so that neither side always runs on a warmer cache. */
  for (int i = 0; i < runs; i++)
    {
      best_scan = MIN (best_scan, time_scan (store, &rows));
      best_plan = MIN (best_plan, time_planner (store, now, &messages));
    }

  g_print ("# planner: %u invoices scanned, %u messages planned\n", rows, messages);
  g_print ("planner: %.3f s vs floor %.3f s = ratio %.2f (goal ≤ %g)%s\n",
           best_plan, best_scan, best_plan / best_scan, GOAL,
           best_plan / best_scan <= GOAL ? "" : "  [over goal]");
  return 0;
}
