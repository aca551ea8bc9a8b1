/* relance-store-backup.c: copying and restoring whole databases with SQLite's own means
 * (VACUUM INTO, the backup API), for relance-backup.c. */
#include "config.h"

#include "relance-error.h"
#include "relance-store-backup.h"
#include "relance-store-private.h"

/* The application_id every Relance database carries (relance-store.c). */
#define RELANCE_APPLICATION_ID 0x524c4e43

gboolean
relance_store_write_copy (RelanceStore  *self,
                          const char    *path,
                          GError       **error)
{
  sqlite3 *db = relance_store_get_db (self);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Not a cached statement: VACUUM cannot run while another statement is pending. */
  rc = sqlite3_prepare_v2 (db, "VACUUM INTO ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                           sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_has_clients (RelanceStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  if (sqlite3_prepare_v2 (relance_store_get_db (self), "SELECT EXISTS (SELECT 1 FROM clients)",
                          -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    found = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return found;
}

gboolean
relance_store_check_file (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_int (stmt, 0) == RELANCE_APPLICATION_ID)
    {
      sqlite3_finalize (stmt);
      stmt = NULL;
      ok = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK
           && sqlite3_step (stmt) == SQLITE_ROW
           && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

gboolean
relance_store_restore_file (const char *db_path,
                            const char *source)
{
  sqlite3 *live = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *job;
  gboolean done = FALSE;

  g_return_val_if_fail (db_path != NULL && source != NULL, FALSE);

  if (sqlite3_open_v2 (db_path, &live, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        == SQLITE_OK
      && sqlite3_open_v2 (source, &copy, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && (job = sqlite3_backup_init (live, "main", copy, "main")) != NULL)
    {
      int rc = sqlite3_backup_step (job, -1);

      sqlite3_backup_finish (job);
      done = rc == SQLITE_DONE;
    }
  sqlite3_close (copy);
  sqlite3_close (live);
  return done;
}
