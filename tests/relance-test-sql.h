/* relance-test-sql.h: raw SQL for the few tests that must see or shape the database as the
 * engine holds it: migrations from an old schema, a damaged or foreign file, a row the
 * store API would refuse to write. Everything else goes through the store API.
 *
 * Header only; include it from a test program (tests/ is on the include path). */
#pragma once

#include <glib.h>

#include "relance-store-private.h"
#include "relance-store.h"

/* The store's SQLite connection. */
static inline sqlite3 *
relance_test_sql_db (RelanceStore *store)
{
  return relance_store_get_db (store);
}

/* Runs @sql (one or more statements); the test fails if SQLite refuses it. */
static inline void
relance_test_sql_exec (RelanceStore *store,
                       const char   *sql)
{
  char *message = NULL;

  if (sqlite3_exec (relance_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL refused: %s\n%s", message, sql);
}

/* The first column of the first row of @sql as an integer (the test fails without a row). */
static inline gint64
relance_test_sql_int (RelanceStore *store,
                      const char   *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (relance_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("SQL gave no row: %s\n%s", sqlite3_errmsg (relance_store_get_db (store)), sql);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The same as text (NULL for NULL); free with g_free(). */
static inline char *
relance_test_sql_text (RelanceStore *store,
                       const char   *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  if (sqlite3_prepare_v2 (relance_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("SQL gave no row: %s\n%s", sqlite3_errmsg (relance_store_get_db (store)), sql);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}
