/* relance-store-private.h: what the store's own files share (src/core/store and
 * src/core/relance-store.c), and nothing else includes: the SQLite connection, cached
 * statements, row helpers, and the change log announced after each commit. */
#pragma once

#include <sqlite3.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* The connection. */
sqlite3      *relance_store_get_db          (RelanceStore  *self);
/* Prepared statements are cached per connection; the returned statement is reset and
 * its bindings cleared. Do not finalize it. */
sqlite3_stmt *relance_store_prepare         (RelanceStore  *self,
                                             const char    *sql,
                                             GError       **error);
gboolean      relance_store_exec            (RelanceStore  *self,
                                             const char    *sql,
                                             GError       **error);
/* Sets @error from the connection's last error, in Relance's terms (RELANCE_CORE_ERROR).
 * Returns FALSE. */
gboolean      relance_store_set_error       (RelanceStore  *self,
                                             GError       **error);

typedef gboolean (* RelanceStoreMigrationData) (RelanceStore *self, GError **error);

/* The schema: the SQL taking version N-1 to N, the C code adding data in the same
 * transaction (NULL when none), and whether foreign keys must be off while it runs. */
const char                *relance_store_migration_sql            (int version);
RelanceStoreMigrationData  relance_store_migration_data           (int version);
gboolean                   relance_store_migration_rebuilds_tables (int version);

/* Row helpers: text columns are copied (NULL stays NULL), dates read from ISO text (an
 * invalid GDate when NULL); empty text and invalid dates are bound as NULL. */
char      *relance_store_column_dup         (sqlite3_stmt *stmt,
                                             int           col);
void       relance_store_column_date        (sqlite3_stmt *stmt,
                                             int           col,
                                             GDate        *out);
void       relance_store_bind_text_or_null  (sqlite3_stmt *stmt,
                                             int           index,
                                             const char   *text);
void       relance_store_bind_date_or_null  (sqlite3_stmt *stmt,
                                             int           index,
                                             const GDate  *date);
/* Steps @stmt to the end, turning each row into a record; NULL (and @error) when the
 * engine fails midway (a damaged page), never a silently short list. */
GPtrArray *relance_store_collect_rows       (RelanceStore    *self,
                                             sqlite3_stmt    *stmt,
                                             gpointer       (*from_row) (sqlite3_stmt *stmt),
                                             GDestroyNotify   free_func,
                                             GError         **error);

/* Steps a statement that returns no row and resets it: FALSE with @error (in Relance's
 * terms) when the engine refused it. */
static inline gboolean
relance_store_step_done (RelanceStore  *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || relance_store_set_error (self, error);
}

/* Every function that changes data records what it changed; RelanceStore::changed
 * announces it after the commit (at once when no transaction is open) and a rollback
 * forgets it. @client_id and @invoice_id are 0 when not known or not concerned. */
void       relance_store_note_change        (RelanceStore         *self,
                                             RelanceStoreChanged   what,
                                             gint64                client_id,
                                             gint64                invoice_id);

G_END_DECLS
