/* relance-store-templates.c: changes to scenarios the window makes beyond their records
 * (relance-scenario.c): which one serves the "regular" segment. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-error.h"
#include "relance-store-private.h"
#include "relance-store-templates.h"

/* Runs @sql with ?1 bound to @text (NULL: SQL NULL). */
static gboolean
run_with_text (RelanceStore  *self,
               const char    *sql,
               const char    *text,
               GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || relance_store_set_error (self, error);
}

gboolean
relance_store_set_regular_scenario (RelanceStore  *self,
                                    const char    *key,
                                    GError       **error)
{
  g_autofree char *old_segment = NULL;
  sqlite3_stmt *stmt;
  gboolean found;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!relance_store_begin (self, error))
    return FALSE;
  if ((stmt = relance_store_prepare (self, "SELECT segment FROM scenarios WHERE key = ?1",
                                     error)) == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  found = rc == SQLITE_ROW;
  if (found)
    old_segment = relance_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      goto fail;
    }
  if (!found)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a scenario key such as "firm" */
                   _("There is no scenario “%s”."), key);
      goto fail;
    }
  if (g_strcmp0 (old_segment, "regular") == 0)
    {
      relance_store_rollback (self);
      return TRUE;
    }

  /* Segments are unique: free the chosen one's, hand it to the former holder of
   * "regular", then give "regular" to the chosen one. */
  if (!run_with_text (self, "UPDATE scenarios SET segment = NULL WHERE key = ?1", key, error)
      || !run_with_text (self, "UPDATE scenarios SET segment = ?1 WHERE segment = 'regular'",
                         old_segment, error)
      || !run_with_text (self, "UPDATE scenarios SET segment = 'regular' WHERE key = ?1", key,
                         error))
    goto fail;
  relance_store_note_change (self, RELANCE_STORE_CHANGED_TEMPLATES, 0, 0);
  return relance_store_commit (self, error);

fail:
  relance_store_rollback (self);
  return FALSE;
}
