/* powercut-vfs.c: a power cut, for tests. Loaded into a Relance process with LD_PRELOAD,
 * it becomes SQLite's default VFS over the real "unix" one and keeps every write in memory
 * until the file is synced, as an operating system's page cache does. When the process has
 * made RELANCE_POWERCUT_AFTER_WRITES writes, it stops on the spot (_exit), and every write
 * not yet synced is lost, as in a power cut where the disk never got the dirty pages.
 *
 * Writes are kept per file name, not per handle, because the page cache is shared: another
 * connection of the same process reads what this one wrote. The -shm file is shared memory
 * (xShm* pass through): SQLite rebuilds it from the WAL when the next process opens the
 * database alone, as after a real power cut. Without RELANCE_POWERCUT_AFTER_WRITES, writes
 * still wait for xSync (so a test can check a run that ends normally behaves the same).
 *
 * A full disk, too: with RELANCE_DISKFULL_AFTER_BYTES=N, once the process has grown its
 * files by N bytes, a write that would grow one further fails with SQLITE_FULL, as write()
 * does with ENOSPC (rewriting bytes a file already has still works, as on a real disk). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Write Write;
struct Write
{
  Write         *next;
  sqlite3_int64  offset;
  int            length;
  unsigned char  data[];
};

/* The writes not yet synced of one file, shared by every handle on it. */
typedef struct Pending Pending;
struct Pending
{
  Pending *next;
  char    *name;
  Write   *first;
  Write   *last;
  int      handles;
};

typedef struct
{
  sqlite3_file  base;
  Pending      *pending;   /* NULL for files that are not persistent (temp files) */
  sqlite3_file  real[];    /* the unix VFS's file, szOsFile bytes */
} File;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs powercut_vfs;
static sqlite3_io_methods powercut_methods;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Pending *files;
static long long writes_left = -1;  /* -1: never cut */
static long long bytes_left = -1;   /* -1: the disk never fills */

static void
cut (void)
{
  /* Nothing pending reaches the disk; the process stops as with the power. */
  _exit (137);
}

static Pending *
pending_for (const char *name)
{
  Pending *p;

  for (p = files; p != NULL; p = p->next)
    if (strcmp (p->name, name) == 0)
      return p;
  p = calloc (1, sizeof *p);
  p->name = strdup (name);
  p->next = files;
  files = p;
  return p;
}

/* Writes @p's pending writes into the real file, oldest first; the caller syncs. */
static int
flush_locked (File *f)
{
  Write *w = f->pending->first;
  int rc = SQLITE_OK;

  while (w != NULL && rc == SQLITE_OK)
    {
      Write *next = w->next;

      rc = f->real->pMethods->xWrite (f->real, w->data, w->length, w->offset);
      free (w);
      w = next;
    }
  f->pending->first = w;
  if (w == NULL)
    f->pending->last = NULL;
  return rc;
}

static int
pc_close (sqlite3_file *file)
{
  File *f = (File *) file;
  int rc;

  pthread_mutex_lock (&lock);
  /* A normal close with no power cut: the page cache reaches the disk in time. */
  if (f->pending != NULL && --f->pending->handles == 0)
    flush_locked (f);
  pthread_mutex_unlock (&lock);
  rc = f->real->pMethods->xClose (f->real);
  return rc;
}

static int
pc_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  File *f = (File *) file;
  int rc;
  sqlite3_int64 end = offset + amount;
  int covered_to = 0;

  pthread_mutex_lock (&lock);
  rc = f->real->pMethods->xRead (f->real, buffer, amount, offset);
  if (f->pending != NULL)
    for (Write *w = f->pending->first; w != NULL; w = w->next)
      {
        sqlite3_int64 from = w->offset > offset ? w->offset : offset;
        sqlite3_int64 to = w->offset + w->length < end ? w->offset + w->length : end;

        if (from >= to)
          continue;
        memcpy ((unsigned char *) buffer + (from - offset), w->data + (from - w->offset),
                (size_t) (to - from));
        if (from == offset + covered_to)
          covered_to = (int) (to - offset);
      }
  pthread_mutex_unlock (&lock);
  /* A short read of the real file that pending writes fill up is a full read. */
  if (rc == SQLITE_IOERR_SHORT_READ && covered_to >= amount)
    rc = SQLITE_OK;
  return rc;
}

static sqlite3_int64 size_locked (File *f);

/* FALSE when the disk has no room for what this write adds to the file's size. */
static int
room_for_locked (File *f, int amount, sqlite3_int64 offset)
{
  sqlite3_int64 grows = offset + amount - size_locked (f);

  if (bytes_left < 0 || grows <= 0)
    return 1;
  if (grows > bytes_left)
    return 0;
  bytes_left -= grows;
  return 1;
}

static int
pc_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  File *f = (File *) file;
  Write *w;

  if (f->pending == NULL)
    return f->real->pMethods->xWrite (f->real, buffer, amount, offset);
  pthread_mutex_lock (&lock);
  if (writes_left >= 0 && writes_left-- == 0)
    cut ();
  if (!room_for_locked (f, amount, offset))
    {
      pthread_mutex_unlock (&lock);
      return SQLITE_FULL;
    }
  w = malloc (sizeof *w + (size_t) amount);
  w->next = NULL;
  w->offset = offset;
  w->length = amount;
  memcpy (w->data, buffer, (size_t) amount);
  if (f->pending->last != NULL)
    f->pending->last->next = w;
  else
    f->pending->first = w;
  f->pending->last = w;
  pthread_mutex_unlock (&lock);
  return SQLITE_OK;
}

static int
pc_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  File *f = (File *) file;
  int rc = SQLITE_OK;

  pthread_mutex_lock (&lock);
  /* Rare (a WAL reset with a size limit): the writes before it are applied first. */
  if (f->pending != NULL)
    rc = flush_locked (f);
  pthread_mutex_unlock (&lock);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate (f->real, size);
}

static int
pc_sync (sqlite3_file *file, int flags)
{
  File *f = (File *) file;
  int rc = SQLITE_OK;

  pthread_mutex_lock (&lock);
  if (f->pending != NULL)
    rc = flush_locked (f);
  pthread_mutex_unlock (&lock);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xSync (f->real, flags);
}

/* The file's size with its pending writes; the caller holds the lock. */
static int
file_size_locked (File *f, sqlite3_int64 *size)
{
  int rc = f->real->pMethods->xFileSize (f->real, size);

  if (rc == SQLITE_OK && f->pending != NULL)
    for (Write *w = f->pending->first; w != NULL; w = w->next)
      if (w->offset + w->length > *size)
        *size = w->offset + w->length;
  return rc;
}

static sqlite3_int64
size_locked (File *f)
{
  sqlite3_int64 size = 0;

  return file_size_locked (f, &size) == SQLITE_OK ? size : 0;
}

static int
pc_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  int rc;

  pthread_mutex_lock (&lock);
  rc = file_size_locked ((File *) file, size);
  pthread_mutex_unlock (&lock);
  return rc;
}

#define PASS(name, signature, call) \
  static int pc_##name signature { File *f = (File *) file; return f->real->pMethods->call; }

PASS (lock, (sqlite3_file *file, int level), xLock (f->real, level))
PASS (unlock, (sqlite3_file *file, int level), xUnlock (f->real, level))
PASS (check_reserved, (sqlite3_file *file, int *out), xCheckReservedLock (f->real, out))
PASS (file_control, (sqlite3_file *file, int op, void *arg), xFileControl (f->real, op, arg))
PASS (sector_size, (sqlite3_file *file), xSectorSize (f->real))
PASS (device_characteristics, (sqlite3_file *file), xDeviceCharacteristics (f->real))
PASS (shm_map, (sqlite3_file *file, int page, int size, int extend, void volatile **out),
      xShmMap (f->real, page, size, extend, out))
PASS (shm_lock, (sqlite3_file *file, int offset, int n, int flags),
      xShmLock (f->real, offset, n, flags))
PASS (shm_unmap, (sqlite3_file *file, int delete_flag), xShmUnmap (f->real, delete_flag))

static void
pc_shm_barrier (sqlite3_file *file)
{
  File *f = (File *) file;

  f->real->pMethods->xShmBarrier (f->real);
}

static int
pc_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  File *f = (File *) file;
  int rc;

  memset (f, 0, sizeof *f);
  rc = real_vfs->xOpen (real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK)
    return rc;
  if (name != NULL && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL
                                | SQLITE_OPEN_MAIN_JOURNAL)))
    {
      pthread_mutex_lock (&lock);
      f->pending = pending_for (name);
      f->pending->handles++;
      pthread_mutex_unlock (&lock);
    }
  f->base.pMethods = &powercut_methods;
  return SQLITE_OK;
}

#define FORWARD(name, signature, call) \
  static int pc_vfs_##name signature { return real_vfs->call; }

FORWARD (delete, (sqlite3_vfs *vfs, const char *name, int sync), xDelete (real_vfs, name, sync))
FORWARD (access, (sqlite3_vfs *vfs, const char *name, int flags, int *out),
         xAccess (real_vfs, name, flags, out))
FORWARD (full_pathname, (sqlite3_vfs *vfs, const char *name, int n, char *out),
         xFullPathname (real_vfs, name, n, out))
FORWARD (randomness, (sqlite3_vfs *vfs, int n, char *out), xRandomness (real_vfs, n, out))
FORWARD (sleep, (sqlite3_vfs *vfs, int us), xSleep (real_vfs, us))
FORWARD (current_time, (sqlite3_vfs *vfs, double *out), xCurrentTime (real_vfs, out))
FORWARD (last_error, (sqlite3_vfs *vfs, int n, char *out), xGetLastError (real_vfs, n, out))
FORWARD (current_time_int64, (sqlite3_vfs *vfs, sqlite3_int64 *out),
         xCurrentTimeInt64 (real_vfs, out))

__attribute__ ((constructor)) static void
powercut_register (void)
{
  const char *after = getenv ("RELANCE_POWERCUT_AFTER_WRITES");
  const char *full = getenv ("RELANCE_DISKFULL_AFTER_BYTES");

  if (sqlite3_initialize () != SQLITE_OK || (real_vfs = sqlite3_vfs_find ("unix")) == NULL)
    return;
  if (after != NULL && *after != '\0')
    writes_left = atoll (after);
  if (full != NULL && *full != '\0')
    bytes_left = atoll (full);

  powercut_methods = (sqlite3_io_methods) {
    .iVersion = 2,
    .xClose = pc_close, .xRead = pc_read, .xWrite = pc_write, .xTruncate = pc_truncate,
    .xSync = pc_sync, .xFileSize = pc_file_size, .xLock = pc_lock, .xUnlock = pc_unlock,
    .xCheckReservedLock = pc_check_reserved, .xFileControl = pc_file_control,
    .xSectorSize = pc_sector_size, .xDeviceCharacteristics = pc_device_characteristics,
    .xShmMap = pc_shm_map, .xShmLock = pc_shm_lock, .xShmBarrier = pc_shm_barrier,
    .xShmUnmap = pc_shm_unmap,
  };
  powercut_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (File) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = "powercut",
    .xOpen = pc_open, .xDelete = pc_vfs_delete, .xAccess = pc_vfs_access,
    .xFullPathname = pc_vfs_full_pathname, .xDlOpen = NULL, .xDlError = NULL,
    .xDlSym = NULL, .xDlClose = NULL, .xRandomness = pc_vfs_randomness,
    .xSleep = pc_vfs_sleep, .xCurrentTime = pc_vfs_current_time,
    .xGetLastError = pc_vfs_last_error, .xCurrentTimeInt64 = pc_vfs_current_time_int64,
  };
  sqlite3_vfs_register (&powercut_vfs, 1);
}
