/* relance-store.c: the SQLite store: opening, refusing what is not ours, migrations, and
 * the clients / invoices / payments / company records.
 *
 * Every statement is prepared once per connection and bound, never built from strings. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "relance-backup.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-scenario.h"
#include "relance-store-ab.h"
#include "relance-store-private.h"
#include "relance-store.h"

/* "RLNC": marks a file as a Relance database (PRAGMA application_id). */
#define RELANCE_APPLICATION_ID 0x524c4e43

struct _RelanceStore
{
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GHashTable *statements; /* SQL text (static) → sqlite3_stmt* */
  int         version;
  gint64      backup_checked_at; /* monotonic time of the last daily-backup check */

  RelanceStoreChange pending;     /* noted since the transaction began */
  GFileMonitor *db_monitor;       /* relance_store_watch_external() */
  GFileMonitor *wal_monitor;
  guint         external_id;      /* debounce of the monitors' events */
  GMainContext *watch_context;
  gint64        data_version;     /* PRAGMA data_version last seen */
};

G_DEFINE_FINAL_TYPE (RelanceStore, relance_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Files written by another process are read again once its burst of writes is over. */
#define EXTERNAL_DEBOUNCE_MS 100

/* How long a statement waits for another connection's write lock before "busy". */
#define BUSY_TIMEOUT_US (5 * G_USEC_PER_SEC)

/* SQLite's own busy timeout sleeps 1 ms, then 2, 5, 10… ms: longer than another
 * connection of this process holds the write lock for a few rows, and a sending batch that
 * claims rows while a worker queues others waited that long hundreds of times. Short
 * sleeps first, the same 5 s in all. */
static int
wait_while_busy (gpointer data,
                 int      count)
{
  static const guint delays_us[] = { 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 25000 };
  guint64 waited = 0;
  guint delay;

  for (int i = 0; i < count; i++)
    waited += delays_us[MIN (i, (int) G_N_ELEMENTS (delays_us) - 1)];
  if (waited >= BUSY_TIMEOUT_US)
    return 0;
  delay = delays_us[MIN (count, (int) G_N_ELEMENTS (delays_us) - 1)];
  g_usleep (delay);
  return 1;
}

static void
relance_store_finalize (GObject *object)
{
  RelanceStore *self = RELANCE_STORE (object);

  if (self->external_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->watch_context,
                                                          self->external_id);
      if (source != NULL)
        g_source_destroy (source);
    }
  g_clear_pointer (&self->watch_context, g_main_context_unref);
  g_clear_object (&self->db_monitor);
  g_clear_object (&self->wal_monitor);
  g_clear_pointer (&self->pending.client_ids, g_array_unref);
  g_clear_pointer (&self->pending.invoice_ids, g_array_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (relance_store_parent_class)->finalize (object);
}

static void
relance_store_class_init (RelanceStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relance_store_finalize;

  /**
   * RelanceStore::changed:
   * @change: (type gpointer): a const RelanceStoreChange *, valid during the emission
   *
   * Data was committed: by this connection (after relance_store_commit(), or at once
   * for a change made outside a transaction), or by another one once
   * relance_store_watch_external() was called.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
relance_store_init (RelanceStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->pending.client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pending.invoice_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* ---- what changed -------------------------------------------------------------------- */

static void
add_id (GArray *ids, gint64 id)
{
  if (id <= 0)
    return;
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return;
  g_array_append_val (ids, id);
}

static void
forget_changes (RelanceStore *self)
{
  self->pending.what = 0;
  g_array_set_size (self->pending.client_ids, 0);
  g_array_set_size (self->pending.invoice_ids, 0);
}

static void
announce_changes (RelanceStore *self)
{
  RelanceStoreChange change;

  if (self->pending.what == 0)
    return;
  /* A handler may write again (and note new changes): announce a copy. */
  change.what = self->pending.what;
  change.client_ids = g_array_copy (self->pending.client_ids);
  change.invoice_ids = g_array_copy (self->pending.invoice_ids);
  change.external = FALSE;
  forget_changes (self);
  g_signal_emit (self, signals[CHANGED], 0, &change);
  g_array_unref (change.client_ids);
  g_array_unref (change.invoice_ids);
}

void
relance_store_note_change (RelanceStore        *self,
                           RelanceStoreChanged  what,
                           gint64               client_id,
                           gint64               invoice_id)
{
  g_return_if_fail (RELANCE_IS_STORE (self));

  self->pending.what |= what;
  add_id (self->pending.client_ids, client_id);
  add_id (self->pending.invoice_ids, invoice_id);
  if (sqlite3_get_autocommit (self->db))
    announce_changes (self);
}

static gint64
read_data_version (RelanceStore *self)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

/* PRAGMA data_version changes when another connection commits, never for our own
 * commits: the monitors' events caused by this connection's writes are ignored. */
static gboolean
external_settled (gpointer user_data)
{
  RelanceStore *self = user_data;
  gint64 version;
  RelanceStoreChange change = { RELANCE_STORE_CHANGED_ALL, NULL, NULL, TRUE };

  self->external_id = 0;
  version = read_data_version (self);
  if (version == self->data_version)
    return G_SOURCE_REMOVE;
  self->data_version = version;
  change.client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  change.invoice_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_emit (self, signals[CHANGED], 0, &change);
  g_array_unref (change.client_ids);
  g_array_unref (change.invoice_ids);
  return G_SOURCE_REMOVE;
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  RelanceStore *self = user_data;
  GSource *source;

  if (self->external_id != 0)
    {
      source = g_main_context_find_source_by_id (self->watch_context, self->external_id);
      if (source != NULL)
        g_source_destroy (source);
    }
  source = g_timeout_source_new (EXTERNAL_DEBOUNCE_MS);
  g_source_set_callback (source, external_settled, self, NULL);
  g_source_set_static_name (source, "[relance] store changed elsewhere");
  self->external_id = g_source_attach (source, self->watch_context);
  g_source_unref (source);
}

static GFileMonitor *
watch_file (RelanceStore *self, const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_HARD_LINKS, NULL,
                                               &error);

  if (monitor == NULL)
    {
      g_message ("Cannot watch %s for changes: %s", path, error->message);
      return NULL;
    }
  g_signal_connect (monitor, "changed", G_CALLBACK (file_changed_cb), self);
  return monitor;
}

void
relance_store_watch_external (RelanceStore *self)
{
  g_autofree char *wal = NULL;

  g_return_if_fail (RELANCE_IS_STORE (self));

  if (self->db_monitor != NULL || self->wal_monitor != NULL)
    return;
  self->watch_context = g_main_context_ref_thread_default ();
  self->data_version = read_data_version (self);
  wal = g_strconcat (self->path, "-wal", NULL);
  self->db_monitor = watch_file (self, self->path);
  self->wal_monitor = watch_file (self, wal);
}

gboolean
relance_store_set_error (RelanceStore  *self,
                         GError       **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                 /* Translators: %s is SQLite's own explanation */
                 _("The change was refused because it breaks a rule of the database (%s)."),
                 sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                 _("The database is busy in another program; try again in a moment."));
  else if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                 /* Translators: %s is the path of the database file */
                 _("The disk holding “%s” is full: the change was not saved. Free some space, "
                   "then try again."), self->path);
  else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                 /* Translators: %s is a file path */
                 _("The file “%s” is damaged or is not a Relance database."), self->path);
  else
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                 /* Translators: %s is SQLite's own explanation */
                 _("The database reported an error: %s."), sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
relance_store_prepare (RelanceStore  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
relance_store_exec (RelanceStore  *self,
                    const char    *sql,
                    GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* Transaction statements are prepared once like the others: a sending batch runs two
 * transactions per message, and sqlite3_exec() would parse them every time. */
static gboolean
step_cached (RelanceStore  *self,
             const char    *sql,
             GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* The first write of the day, from any process, copies the database first (see
 * relance-backup.h). Looked at once a minute at most: begin is on the sending path. */
static GMutex backup_lock;

static void
backup_if_first_write_today (RelanceStore *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->backup_checked_at != 0 && now - self->backup_checked_at < 60 * G_USEC_PER_SEC)
    return;
  self->backup_checked_at = now;
  if (!sqlite3_get_autocommit (self->db))
    return;
  /* One copy at a time in a process: the window's connection and a worker's may both
   * write first on a new day; the one that finds the other busy tries again later. */
  if (!g_mutex_trylock (&backup_lock))
    {
      self->backup_checked_at = 0;
      return;
    }
  ok = relance_backup_daily (self, &error);
  g_mutex_unlock (&backup_lock);
  /* A copy that cannot be made (disk full, a folder removed meanwhile) must not stop the
   * owner's action; a write a minute later tries again, and `relance backup list` shows
   * the gap. */
  if (!ok)
    g_message ("%s", error->message);
}

gboolean
relance_store_begin (RelanceStore  *self,
                     GError       **error)
{
  backup_if_first_write_today (self);
  /* IMMEDIATE takes the write lock now, so a concurrent writer waits (busy timeout)
   * instead of failing halfway through a user action. */
  return step_cached (self, "BEGIN IMMEDIATE", error);
}

void
relance_store_set_durable_commits (RelanceStore *self,
                                   gboolean      durable)
{
  g_return_if_fail (RELANCE_IS_STORE (self));

  /* SQLite in WAL mode: FULL syncs the WAL at every commit, NORMAL only at checkpoints
   * (safe against a crash, not against a power cut). Not inside a transaction. */
  relance_store_exec (self, durable ? "PRAGMA synchronous = FULL"
                                    : "PRAGMA synchronous = NORMAL", NULL);
}

gboolean
relance_store_commit (RelanceStore  *self,
                      GError       **error)
{
  if (!step_cached (self, "COMMIT", error))
    return FALSE;
  announce_changes (self);
  return TRUE;
}

void
relance_store_rollback (RelanceStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    step_cached (self, "ROLLBACK", NULL);
  forget_changes (self);
}

char *
relance_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "relance", "relance.db", NULL);
}

static gboolean
pragma_int (RelanceStore *self, const char *sql, int *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* PRAGMA quick_check answers "ok", or one row per problem found. */
static gboolean
quick_check_passes (RelanceStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
backup_before_migrating (RelanceStore *self, int from_version, GError **error)
{
  g_autofree char *backup = g_strdup_printf ("%s.v%d.bak", self->path, from_version);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_unlink (backup);
  /* VACUUM INTO writes a consistent copy even with WAL frames not yet checkpointed. */
  if (sqlite3_prepare_v2 (self->db, "VACUUM INTO ?", -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  sqlite3_bind_text (stmt, 1, backup, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: %s is a file path */
                   _("Could not save a copy of the database to “%s” before updating it; "
                     "nothing was changed."), backup);
      return FALSE;
    }
  return TRUE;
}

/* Step 10 of the SQLite recipe: the rebuilt schema still satisfies every foreign key. */
static gboolean
foreign_keys_hold (RelanceStore *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self, error);
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                       _("The database holds links between records that do not match; it "
                         "was not updated. Restore a backup copy."));
  return FALSE;
}

static gboolean
migrate (RelanceStore *self, int from, int to, GError **error)
{
  if (from > 0 && from < to && !backup_before_migrating (self, from, error))
    return FALSE;

  for (int v = from + 1; v <= to; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v);
      gboolean fk_off = relance_store_migration_rebuilds_tables (v);

      if (fk_off && !relance_store_exec (self, "PRAGMA foreign_keys = OFF", error))
        return FALSE;
      if (!relance_store_begin (self, error))
        goto restore;
      if (v == 1 && !relance_store_exec (self, "PRAGMA application_id = 1380732483", error))
        goto fail;
      if (!relance_store_exec (self, relance_store_migration_sql (v), error)
          || (relance_store_migration_data (v) != NULL
              && !relance_store_migration_data (v) (self, error))
          || (fk_off && !foreign_keys_hold (self, error))
          || !relance_store_exec (self, bump, error)
          || !relance_store_commit (self, error))
        goto fail;
      if (fk_off && !relance_store_exec (self, "PRAGMA foreign_keys = ON", error))
        return FALSE;
      self->version = v;
      continue;
    fail:
      relance_store_rollback (self);
    restore:
      if (fk_off)
        relance_store_exec (self, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  return TRUE;
}

G_STATIC_ASSERT (RELANCE_APPLICATION_ID == 1380732483);

static gboolean
journal_is_wal (RelanceStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return wal;
}

static RelanceStore *
open_internal (const char *path, int target_version, gboolean verify, GError **error)
{
  g_autoptr(RelanceStore) self = g_object_new (RELANCE_TYPE_STORE, NULL);
  g_autofree char *dir = NULL;
  int app_id = 0, version = 0, n_tables = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a folder, the second the system's reason */
                   _("Could not create the folder “%s”: %s."), dir, g_strerror (saved));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("“%s” is a folder, not a database file."), path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second SQLite's reason */
                   _("Could not open the database “%s”: %s."), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_handler (self->db, wait_while_busy, NULL);

  /* Read the header before writing anything: a foreign or damaged file stays untouched. */
  if (!pragma_int (self, "PRAGMA application_id", &app_id, NULL)
      || !pragma_int (self, "PRAGMA user_version", &version, NULL)
      || !pragma_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, NULL))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                   /* Translators: %s is a file path */
                   _("The file “%s” is damaged or is not a Relance database; it was left "
                     "untouched."), path);
      return NULL;
    }
  if (app_id != RELANCE_APPLICATION_ID && (app_id != 0 || n_tables > 0 || version != 0))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                   /* Translators: %s is a file path */
                   _("The file “%s” is not a Relance database; it was left untouched."), path);
      return NULL;
    }
  if (version > RELANCE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NEWER_DATABASE,
                   /* Translators: %s is a file path */
                   _("The database “%s” was created by a newer version of Relance; update "
                     "Relance to open it. It was left untouched."), path);
      return NULL;
    }
  /* A full check reads the whole file (0.1 s at 100 000 invoices), so it runs when the
   * window opens, before a migration, and before switching a file to WAL (a write); other
   * commands rely on SQLite noticing damage on the pages they read. */
  if (app_id == RELANCE_APPLICATION_ID
      && (verify || version < target_version || !journal_is_wal (self)))
    {
      if (!quick_check_passes (self))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                       /* Translators: %s is a file path */
                       _("The database “%s” is damaged; it was left untouched. Restore a "
                         "backup copy."), path);
          return NULL;
        }
    }

  if (!relance_store_exec (self, "PRAGMA journal_mode = WAL", error)
      || !relance_store_exec (self, "PRAGMA foreign_keys = ON", error)
      || !relance_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  self->version = version;
  if (version < target_version && !migrate (self, version, target_version, error))
    return NULL;

  g_chmod (path, 0600);
  return g_steal_pointer (&self);
}

RelanceStore *
relance_store_open (const char  *path,
                    GError     **error)
{
  return open_internal (path, RELANCE_STORE_SCHEMA_VERSION, TRUE, error);
}

RelanceStore *
relance_store_open_quick (const char  *path,
                          GError     **error)
{
  return open_internal (path, RELANCE_STORE_SCHEMA_VERSION, FALSE, error);
}

gboolean
relance_store_verify (RelanceStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  if (quick_check_passes (self))
    return TRUE;
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
               /* Translators: %s is a file path */
               _("The database “%s” is damaged; it was left untouched. Restore a "
                 "backup copy."), self->path);
  return FALSE;
}

RelanceStore *
relance_store_open_at_version (const char  *path,
                               int          version,
                               GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= RELANCE_STORE_SCHEMA_VERSION, NULL);
  return open_internal (path, version, TRUE, error);
}

const char *
relance_store_get_path (RelanceStore *self)
{
  return self->path;
}

sqlite3 *
relance_store_get_db (RelanceStore *self)
{
  return self->db;
}

int
relance_store_get_version (RelanceStore *self)
{
  return self->version;
}

char *
relance_store_column_dup (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

void
relance_store_column_date (sqlite3_stmt *stmt, int col, GDate *out)
{
  g_date_clear (out, 1);
  relance_date_from_iso ((const char *) sqlite3_column_text (stmt, col), out);
}

void
relance_store_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
relance_store_bind_date_or_null (sqlite3_stmt *stmt, int index, const GDate *date)
{
  if (date != NULL && g_date_valid (date))
    {
      g_autofree char *iso = relance_date_to_iso (date);
      sqlite3_bind_text (stmt, index, iso, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, index);
}

/* Steps @stmt to the end, turning each row into a record; NULL (and @error) when SQLite
 * fails midway (a damaged page), never a silently short list. */
GPtrArray *
relance_store_collect_rows (RelanceStore    *self,
              sqlite3_stmt    *stmt,
              gpointer       (*from_row) (sqlite3_stmt *stmt),
              GDestroyNotify   free_func,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

