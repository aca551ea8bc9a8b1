/* relance-outbox-record.c: who claims rows, claiming and recording them, and the rows
 * read back and decided on by the user (see relance-outbox.h). The SQL and its
 * transactions are the store's (src/core/store/relance-store-outbox*.c); what is here is
 * what the store cannot know: whether a claimer process is still alive, the local date a
 * claim checks the invoices against, and what an SMTP outcome means for the row. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relance-error.h"
#include "relance-outbox-private.h"

/* Delays before retrying after a temporary failure, by attempt number. */
static const gint64 retry_delays[] = { 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60 };

/* ---- who claims ------------------------------------------------------------------
 *
 * A row in `sending` belongs to the process that claimed it. Whether that process is still
 * alive is known from a lock it holds for its whole life: "<db>.claims/<uuid>.lock",
 * locked with flock(). A lock works across PID namespaces (each Flatpak instance has its
 * own), where process ids would lie; the kernel drops it when the process dies, however it
 * dies. The token in the row is "<uuid>". */

static GMutex claims_lock;
static GHashTable *claim_files; /* database path → fd held locked */

static const char *
claimer_token (void)
{
  static char *token;

  if (g_once_init_enter (&token))
    g_once_init_leave (&token, g_uuid_string_random ());
  return token;
}

static char *
claim_lock_path (RelanceStore *store, const char *token)
{
  g_autofree char *dir = g_strconcat (relance_store_get_path (store), ".claims", NULL);
  g_autofree char *name = g_strconcat (token, ".lock", NULL);

  return g_build_filename (dir, name, NULL);
}

gboolean
relance_outbox_hold_claim_lock (RelanceStore  *store,
                                GError       **error)
{
  const char *db = relance_store_get_path (store);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_mutex_lock (&claims_lock);
  if (claim_files == NULL)
    claim_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (claim_files, db))
    {
      g_mutex_unlock (&claims_lock);
      return TRUE;
    }
  path = claim_lock_path (store, claimer_token ());
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_mutex_unlock (&claims_lock);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second the reason */
                   _("Could not create the sending lock “%s”: %s."), path, g_strerror (saved));
      return FALSE;
    }
  /* Held until the process exits. */
  g_hash_table_insert (claim_files, g_strdup (db), GINT_TO_POINTER (fd));
  g_mutex_unlock (&claims_lock);
  return TRUE;
}

/* RelanceOutboxClaimerAlive for relance_store_recover_outbox(): @data is the store. */
static gboolean
claimer_is_alive (const char *token, gpointer data)
{
  RelanceStore *store = data;
  g_autofree char *path = NULL;
  int fd;
  gboolean alive;

  if (token == NULL || strchr (token, '/') != NULL || strstr (token, "..") != NULL)
    return FALSE;
  if (g_strcmp0 (token, claimer_token ()) == 0)
    return TRUE;
  path = claim_lock_path (store, token);
  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  alive = flock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  if (!alive)
    g_unlink (path); /* a dead claimer's lock: tidy it */
  close (fd);
  return alive;
}

/* ---- recovery --------------------------------------------------------------------- */

int
relance_outbox_recover (RelanceStore  *store,
                        GError       **error)
{
  return relance_store_recover_outbox (store, claimer_is_alive, store, error);
}

/* ---- reading and the user's decisions ---------------------------------------------- */

GPtrArray *
relance_outbox_list (RelanceStore  *store,
                     const char    *invoice_number,
                     GError       **error)
{
  return relance_store_list_outbox (store, invoice_number, error);
}

GPtrArray *
relance_outbox_list_for_client (RelanceStore  *store,
                                gint64         client_id,
                                GError       **error)
{
  return relance_store_list_client_outbox (store, client_id, error);
}

RelanceOutboxItem *
relance_outbox_get (RelanceStore  *store,
                    gint64         id,
                    gboolean       with_raw,
                    GError       **error)
{
  return relance_store_get_outbox_item (store, id, with_raw, error);
}

gint64
relance_outbox_count_ready (RelanceStore  *store,
                            GDateTime     *now,
                            GError       **error)
{
  return relance_store_count_ready_outbox (store, g_date_time_to_unix (now), error);
}

gboolean
relance_outbox_retry (RelanceStore  *store,
                      gint64         id,
                      GError       **error)
{
  return relance_store_retry_outbox (store, id, error);
}

gboolean
relance_outbox_cancel (RelanceStore  *store,
                       gint64         id,
                       GError       **error)
{
  return relance_store_cancel_outbox (store, id, error);
}

/* ---- claiming and recording (main context) ---------------------------------------- */

RelanceOutboxItem *
relance_outbox_claim (RelanceStore        *store,
                      gint64               id,
                      GDateTime           *now,
                      RelanceOutboxItem  **cancelled,
                      gboolean            *paused,
                      GError             **error)
{
  g_autoptr(GDateTime) here = g_date_time_to_local (now);
  GDate today;

  /* The invoices are checked as of the owner's day: a promise holds through its date. */
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (here),
                  (GDateMonth) g_date_time_get_month (here),
                  (GDateYear) g_date_time_get_year (here));
  return relance_store_claim_outbox (store, id, claimer_token (), g_date_time_to_unix (now),
                                     &today, cancelled, paused, error);
}

gboolean
relance_outbox_record (RelanceStore        *store,
                       RelanceOutboxItem   *item,
                       RelanceSmtpOutcome   outcome,
                       const char          *reply,
                       const GError        *send_error,
                       gint64               retry_after,
                       gint64               now,
                       GError             **error)
{
  const char *state;
  gint64 next = 0;

  switch (outcome)
    {
    case RELANCE_SMTP_SENT:
      state = "sent";
      break;
    case RELANCE_SMTP_TEMPORARY:
      if (item->attempts >= RELANCE_OUTBOX_MAX_ATTEMPTS)
        state = "failed";
      else
        {
          state = "retry";
          next = now + retry_delays[MIN (item->attempts, (int) G_N_ELEMENTS (retry_delays)) - 1];
          /* An HTTP API may say how long to wait (Retry-After): never sooner than that. */
          next = MAX (next, now + retry_after);
        }
      break;
    case RELANCE_SMTP_PERMANENT:
      state = "failed";
      break;
    case RELANCE_SMTP_ACCOUNT:
    default:
      /* Not this message's fault: it waits for the account to be fixed. */
      state = "queued";
      break;
    }

  return relance_store_record_outbox (store, item, state, next, reply,
                                      send_error != NULL ? send_error->message : NULL,
                                      outcome == RELANCE_SMTP_ACCOUNT, now, error);
}
