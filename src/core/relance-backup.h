/* relance-backup.h: copies of the database kept beside it, one a day, and restoring one.
 *
 * The first Relance process that writes on a given day (window, scheduler or command)
 * first copies the database with VACUUM INTO, a consistent copy even while other
 * processes use it, into the "backups" folder next to it: "relance.db" gets
 * "backups/relance-2026-12-07.db". Seven daily copies and one a week for four more weeks
 * are kept. A copy made on demand is named after its minute ("2026-12-07-1432").
 * Restoring checks the copy, keeps the current file aside, and puts the copy in place. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_BACKUP_DAILY  7
#define RELANCE_BACKUP_WEEKLY 4

typedef struct
{
  char      *name;   /* what `relance backup restore` takes: "2026-12-07" */
  char      *path;
  GDateTime *made;   /* from the file's modification time, UTC */
  goffset    size;
} RelanceBackup;

void          relance_backup_free        (RelanceBackup *backup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBackup, relance_backup_free)

/* The folder of the copies of the database at @db_path. */
char         *relance_backup_dir         (const char    *db_path);
/* Every copy, newest first (empty when there is none). */
GPtrArray    *relance_backup_list        (const char    *db_path,
                                          GError       **error);
/* A copy now; its name in @out_name. Old copies beyond what is kept are removed. */
gboolean      relance_backup_create      (RelanceStore  *store,
                                          char         **out_name,
                                          GError       **error);
/* Today's copy, when there is none yet (the day as the clock says, RELANCE_NOW too) and
 * the database holds something worth keeping. TRUE when nothing had to be done. */
gboolean      relance_backup_daily       (RelanceStore  *store,
                                          GError       **error);
/* The newest copy that opens as an intact Relance database, or NULL. */
RelanceBackup *relance_backup_newest_good (const char   *db_path);
/* Puts the copy @name in place of the database at @db_path, after checking it; the file
 * it replaces is kept beside it as "relance.db.before-restore-…" and named in
 * @out_kept_path. No Relance process may have the database open meanwhile. */
gboolean      relance_backup_restore     (const char    *db_path,
                                          const char    *name,
                                          char         **out_kept_path,
                                          GError       **error);

G_END_DECLS
