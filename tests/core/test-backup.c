/* test-backup.c: the daily copies of the database, what is kept, and restoring one. Each
 * case has its own folder and clock (relance_clock_set_override). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relance-backup.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-store.h"

static void
set_now (const char *iso)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (now);
  relance_clock_set_override (now);
}

static char *
db_path (void)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), "relance.db", NULL);
}

static gint64
add_client (RelanceStore *store,
            const char   *name)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = {
    .name = (char *) name, .language = (char *) "fr", .kind = (char *) "business",
    .segment = (char *) "regular",
  };

  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
  return client.id;
}

/* One write in a transaction, as every user action is: the daily copy is made before it. */
static void
write_something (RelanceStore *store,
                 const char   *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_store_begin (store, &error));
  g_assert_no_error (error);
  add_client (store, name);
  g_assert_true (relance_store_commit (store, &error));
  g_assert_no_error (error);
}

static int
count_clients_in (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open_quick (path, &error);
  g_autoptr(GPtrArray) clients = NULL;

  g_assert_no_error (error);
  clients = relance_store_list_clients (store, &error);
  g_assert_no_error (error);
  return (int) clients->len;
}

/* The first write of a day copies the database as it was; later writes that day do not;
 * an empty database is not copied. */
static void
test_daily (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  RelanceBackup *copy;

  set_now ("2026-12-01T09:00:00Z");
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  write_something (store, "Première");
  list = relance_backup_list (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The next day: a copy of the day before's state, before the new write. */
  set_now ("2026-12-02T09:00:00Z");
  g_assert_true (relance_backup_daily (store, &error));
  write_something (store, "Deuxième");
  write_something (store, "Troisième");
  list = relance_backup_list (path, &error);
  g_assert_cmpuint (list->len, ==, 1);
  copy = g_ptr_array_index (list, 0);
  g_assert_cmpstr (copy->name, ==, "2026-12-02");
  g_assert_cmpint (count_clients_in (copy->path), ==, 1);
  g_assert_true (g_str_has_suffix (copy->path, "backups/relance-2026-12-02.db"));
  relance_clock_set_override (NULL);
}

/* Sixty days of daily writes: the seven newest copies, and one a week for four weeks. */
static void
test_kept (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GDate day;

  set_now ("2026-10-01T09:00:00Z");
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  add_client (store, "Client");
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, 10, 2026);
  for (int i = 0; i < 60; i++)
    {
      g_autofree char *iso = relance_date_to_iso (&day);
      g_autofree char *when = g_strconcat (iso, "T09:00:00Z", NULL);

      set_now (when);
      g_assert_true (relance_backup_daily (store, &error));
      g_assert_no_error (error);
      g_date_add_days (&day, 1);
    }
  list = relance_backup_list (path, &error);
  g_assert_cmpuint (list->len, ==, RELANCE_BACKUP_DAILY + RELANCE_BACKUP_WEEKLY);
  /* Newest first: 29 Nov back to 23 Nov, then one a week. */
  g_assert_cmpstr (((RelanceBackup *) g_ptr_array_index (list, 0))->name, ==, "2026-11-29");
  g_assert_cmpstr (((RelanceBackup *) g_ptr_array_index (list, 6))->name, ==, "2026-11-23");
  for (guint i = RELANCE_BACKUP_DAILY + 1; i < list->len; i++)
    {
      RelanceBackup *newer = g_ptr_array_index (list, i - 1);
      RelanceBackup *older = g_ptr_array_index (list, i);
      GDate a, b;

      g_assert_true (relance_date_from_iso (newer->name, &a));
      g_assert_true (relance_date_from_iso (older->name, &b));
      g_assert_cmpint (g_date_days_between (&b, &a), ==, 7);
    }
  relance_clock_set_override (NULL);
}

/* Restoring puts the copy's data back, keeps the replaced file, even when that file is
 * damaged; a damaged copy or an unknown name is refused and changes nothing. */
static void
test_restore (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(RelanceBackup) good = NULL;
  FILE *f;

  set_now ("2026-12-01T09:00:00Z");
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  add_client (store, "Gardé");
  g_assert_true (relance_backup_create (store, &name, &error));
  /* Named after its minute in local time (TZ=UTC in the tests). */
  g_assert_cmpstr (name, ==, "2026-12-01-0900");
  add_client (store, "Perdu");
  g_clear_object (&store);

  g_assert_true (relance_backup_restore (path, name, &kept, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_clients_in (path), ==, 1);
  g_assert_nonnull (kept);
  g_assert_cmpint (count_clients_in (kept), ==, 2);
  g_clear_pointer (&kept, g_free);

  /* Unknown name. */
  g_assert_false (relance_backup_restore (path, "1999-01-01", NULL, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The database damaged: the newest intact copy is found and restored over it. */
  f = fopen (path, "r+b");
  g_assert_nonnull (f);
  fseek (f, 0, SEEK_SET);
  fwrite ("garbage garbage garbage garbage!", 1, 32, f);
  fclose (f);
  store = relance_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE);
  g_clear_error (&error);
  good = relance_backup_newest_good (path);
  g_assert_nonnull (good);
  g_assert_cmpstr (good->name, ==, name);
  g_assert_true (relance_backup_restore (path, good->name, &kept, &error));
  g_assert_no_error (error);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (count_clients_in (path), ==, 1);
  g_clear_object (&store);

  /* A damaged copy is refused; the database is left as it is. */
  f = fopen (good->path, "r+b");
  fwrite ("garbage garbage garbage garbage!", 1, 32, f);
  fclose (f);
  g_assert_false (relance_backup_restore (path, good->name, NULL, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE);
  g_assert_cmpint (count_clients_in (path), ==, 1);
  g_assert_null (relance_backup_newest_good (path));
  relance_clock_set_override (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/backup/daily", test_daily);
  g_test_add_func ("/backup/kept", test_kept);
  g_test_add_func ("/backup/restore", test_restore);
  return g_test_run ();
}
