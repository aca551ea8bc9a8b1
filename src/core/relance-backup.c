/* relance-backup.c: daily copies of the database with VACUUM INTO, kept for seven days and
 * four weeks, and restoring one (see relance-backup.h). */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "relance-backup.h"
#include "relance-clock.h"
#include "relance-error.h"
#include "relance-store-backup.h"

void
relance_backup_free (RelanceBackup *backup)
{
  if (backup == NULL)
    return;
  g_free (backup->name);
  g_free (backup->path);
  g_clear_pointer (&backup->made, g_date_time_unref);
  g_free (backup);
}

char *
relance_backup_dir (const char *db_path)
{
  g_autofree char *dir = g_path_get_dirname (db_path);

  return g_build_filename (dir, "backups", NULL);
}

/* "relance" for "/x/relance.db": copies are "relance-NAME.db". */
static char *
db_stem (const char *db_path)
{
  g_autofree char *base = g_path_get_basename (db_path);

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - 3] = '\0';
  return g_steal_pointer (&base);
}

static char *
backup_path (const char *db_path,
             const char *name)
{
  g_autofree char *dir = relance_backup_dir (db_path);
  g_autofree char *stem = db_stem (db_path);
  g_autofree char *file = g_strdup_printf ("%s-%s.db", stem, name);

  return g_build_filename (dir, file, NULL);
}

/* A name is "YYYY-MM-DD" or "YYYY-MM-DD-HHMM": what the copy's day is, for keeping. */
static gboolean
name_day (const char *name,
          GDate      *out)
{
  int y, m, d;

  if (strlen (name) < 10 || sscanf (name, "%4d-%2d-%2d", &y, &m, &d) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const RelanceBackup *ba = *(RelanceBackup * const *) a;
  const RelanceBackup *bb = *(RelanceBackup * const *) b;

  return -strcmp (ba->name, bb->name);
}

GPtrArray *
relance_backup_list (const char  *db_path,
                     GError     **error)
{
  g_autofree char *dir = relance_backup_dir (db_path);
  g_autofree char *stem = db_stem (db_path);
  g_autofree char *prefix = g_strconcat (stem, "-", NULL);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_backup_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) folder = g_dir_open (dir, 0, &local_error);
  const char *file;

  if (folder == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&list);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: %s is an error message */
                   _("The backup copies could not be listed: %s"), local_error->message);
      return NULL;
    }
  while ((file = g_dir_read_name (folder)) != NULL)
    {
      RelanceBackup *backup;
      GStatBuf st;
      GDate day;
      g_autofree char *name = NULL;

      if (!g_str_has_prefix (file, prefix) || !g_str_has_suffix (file, ".db"))
        continue;
      name = g_strndup (file + strlen (prefix), strlen (file) - strlen (prefix) - 3);
      if (!name_day (name, &day))
        continue;
      backup = g_new0 (RelanceBackup, 1);
      backup->name = g_steal_pointer (&name);
      backup->path = g_build_filename (dir, file, NULL);
      if (g_stat (backup->path, &st) == 0)
        {
          backup->size = st.st_size;
          backup->made = g_date_time_new_from_unix_utc (st.st_mtime);
        }
      else
        backup->made = g_date_time_new_now_utc ();
      g_ptr_array_add (list, backup);
    }
  g_ptr_array_sort (list, compare_newest_first);
  return g_steal_pointer (&list);
}

/* Keeps the newest RELANCE_BACKUP_DAILY copies, then the newest copy of each of the
 * RELANCE_BACKUP_WEEKLY weeks before them; removes the others. */
static void
prune (const char *db_path)
{
  g_autoptr(GPtrArray) list = relance_backup_list (db_path, NULL);
  guint weeks = 0;
  int last_week = -1, last_year = -1;

  for (guint i = RELANCE_BACKUP_DAILY; list != NULL && i < list->len; i++)
    {
      RelanceBackup *backup = g_ptr_array_index (list, i);
      GDate day;
      int week, year;

      name_day (backup->name, &day);
      week = (int) g_date_get_iso8601_week_of_year (&day);
      year = g_date_get_year (&day);
      if (weeks < RELANCE_BACKUP_WEEKLY && (week != last_week || year != last_year))
        {
          weeks++;
          last_week = week;
          last_year = year;
          continue;
        }
      g_remove (backup->path);
    }
}

static gboolean
copy_into (RelanceStore  *store,
           const char    *target,
           GError       **error)
{
  /* Several processes (or a worker's connection) may make the day's copy at once: each
   * writes its own file, and the first rename wins. */
  g_autofree char *partial = g_strdup_printf ("%s.%d-%08x.partial", target, (int) getpid (),
                                              g_random_int ());
  g_autoptr(GError) local_error = NULL;

  if (!relance_store_write_copy (store, partial, &local_error))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second SQLite's reason */
                   _("The backup copy “%s” could not be written: %s."), target,
                   local_error->message);
      g_remove (partial);
      return FALSE;
    }
  g_chmod (partial, 0600);
  if (g_rename (partial, target) != 0)
    {
      int saved = errno;

      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("The backup copy “%s” could not be written: %s."), target,
                   g_strerror (saved));
      g_remove (partial);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_copy (RelanceStore  *store,
           const char    *name,
           GError       **error)
{
  const char *db_path = relance_store_get_path (store);
  g_autofree char *dir = relance_backup_dir (db_path);
  g_autofree char *target = backup_path (db_path, name);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a folder, the second the reason */
                   _("The folder for backup copies “%s” could not be created: %s."), dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (!copy_into (store, target, error))
    return FALSE;
  prune (db_path);
  return TRUE;
}

gboolean
relance_backup_create (RelanceStore  *store,
                       char         **out_name,
                       GError       **error)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autofree char *name = g_date_time_format (local, "%Y-%m-%d-%H%M");
  g_autofree char *target = backup_path (relance_store_get_path (store), name);

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);

  /* Two on demand in one minute: the second replaces the first. */
  g_remove (target);
  if (!make_copy (store, name, error))
    return FALSE;
  if (out_name != NULL)
    *out_name = g_steal_pointer (&name);
  return TRUE;
}

gboolean
relance_backup_daily (RelanceStore  *store,
                      GError       **error)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autofree char *name = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *target = backup_path (relance_store_get_path (store), name);

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);

  if (g_file_test (target, G_FILE_TEST_EXISTS))
    return TRUE;
  /* A database with no client yet holds nothing to lose. */
  if (!relance_store_has_clients (store))
    return TRUE;
  return make_copy (store, name, error);
}

/* Checks that @path is an intact Relance database. */
static gboolean
check_copy (const char  *path,
            GError     **error)
{
  if (relance_store_check_file (path))
    return TRUE;
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
               /* Translators: %s is a file path */
               _("The backup copy “%s” is damaged or is not a Relance database."), path);
  return FALSE;
}

RelanceBackup *
relance_backup_newest_good (const char *db_path)
{
  g_autoptr(GPtrArray) list = relance_backup_list (db_path, NULL);

  for (guint i = 0; list != NULL && i < list->len; i++)
    if (check_copy (((RelanceBackup *) g_ptr_array_index (list, i))->path, NULL))
      return g_ptr_array_steal_index (list, i);
  return NULL;
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);

  return g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

gboolean
relance_backup_restore (const char  *db_path,
                        const char  *name,
                        char       **out_kept_path,
                        GError     **error)
{
  g_autofree char *source = backup_path (db_path, name);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *kept = g_strdup_printf ("%s.before-restore-%s", db_path, stamp);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a backup's name, such as 2026-12-07 */
                   _("There is no backup copy named “%s”: “relance backup list” shows them."),
                   name);
      return FALSE;
    }
  if (!check_copy (source, error))
    return FALSE;

  /* The file being replaced is kept, damaged or not: nothing is ever lost by a restore. */
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);

      if (!copy_file (db_path, kept, &local_error))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                       /* Translators: %s is an error message */
                       _("The current database could not be kept aside, so nothing was "
                         "restored: %s"), local_error->message);
          return FALSE;
        }
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          g_autofree char *kept_wal = g_strconcat (kept, "-wal", NULL);

          copy_file (wal, kept_wal, NULL);
        }
    }

  /* Page by page through SQLite's backup API: the database stays a database for any
   * other connection, which sees the restored contents. A file too damaged for SQLite to
   * write into is replaced whole. */
  if (!relance_store_restore_file (db_path, source))
    {
      const char *suffixes[] = { "-wal", "-shm", "-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *side = g_strconcat (db_path, suffixes[i], NULL);
          g_remove (side);
        }
      if (!copy_file (source, db_path, &local_error))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                       /* Translators: the first %s is a backup's name, the second a reason */
                       _("The backup copy “%s” could not be restored: %s"), name,
                       local_error->message);
          return FALSE;
        }
    }
  g_chmod (db_path, 0600);
  if (out_kept_path != NULL)
    *out_kept_path = g_file_test (kept, G_FILE_TEST_EXISTS) ? g_steal_pointer (&kept) : NULL;
  return TRUE;
}
