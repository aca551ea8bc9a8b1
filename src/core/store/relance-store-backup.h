/* relance-store-backup.h: what relance-backup.c needs from the engine to copy a database,
 * check a copy and put one back (the copies' names, folder and keeping are its own). */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* Writes a consistent copy of the database to @path (a new file), even while other
 * connections write. On failure, @error's message is the engine's reason alone. */
gboolean relance_store_write_copy   (RelanceStore  *self,
                                     const char    *path,
                                     GError       **error);
/* Whether the database holds a client: an empty one has nothing worth a copy. */
gboolean relance_store_has_clients  (RelanceStore  *self);
/* Whether the file at @path opens read-only as an intact Relance database. */
gboolean relance_store_check_file   (const char    *path);
/* Replaces the contents of the database at @db_path with those of @source, page by page,
 * so that it stays a database for other connections. FALSE when the engine could not
 * (the file at @db_path is then too damaged to write into). */
gboolean relance_store_restore_file (const char    *db_path,
                                     const char    *source);

G_END_DECLS
