/* relance-scheduler.c: the background scheduler (see relance-scheduler.h).
 * (Over 800 lines: one main-loop state machine; its timers and watches share its state.)
 *
 * It never polls the database: after each pass and each re-plan it computes the next moment
 * something is due and arms one timer for it. What can change that moment without the
 * timer going off is watched instead: the store's commits, this connection's and any
 * other process's (RelanceStore::changed, relance_store_watch_external()), logind's
 * PrepareForSleep (the monotonic clock stops while suspended), /etc/localtime, the network
 * coming back (GNetworkMonitor), and wall clock jumps noticed when the timer fires.
 *
 * The inbox is the exception: nothing tells us an answer arrived. IMAP IDLE would, but
 * libcurl 7.88 offers it only as raw commands over CURLOPT_CONNECT_ONLY (protocol written
 * by hand), so the inbox is polled: one of the moments the timer is armed for is the next
 * inbox check, 15 minutes after the last one (or the retry the store keeps after a
 * failure), and only while some reminder is outstanding, so a scheduler with nothing sent
 * and unanswered still sleeps until its next due reminder. The check runs first in a
 * pass, so a reply found pauses the client before their next reminder is queued.
 *
 * The planner reads every open invoice and queueing builds every email (GMime, QR code,
 * PDF letter): both run in GTask worker threads, each on a connection of its own, and
 * hand their result back to the main context, so a window sharing this main loop never
 * freezes. One pass and one plan at a time: a request that comes while one runs is
 * served after it. Stopping cancels them; their callbacks hold a reference and apply
 * nothing once cancelled. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relance-clock.h"
#include "relance-planner.h"
#include "relance-bank-watcher.h"
#include "relance-scheduler.h"

#define LOG_DOMAIN "Relance"

/* Store changes come in bursts (a transaction touches the WAL many times). */
#define DEBOUNCE_MS 500
/* When due work could not be done (no account, locked keyring), try again this much later
 * rather than at once; fixing the account changes the database and re-plans sooner. */
#define BLOCKED_DELAY_S (15 * 60)
/* A wall clock that moved more than this against the monotonic clock was changed. */
#define CLOCK_JUMP_US (30 * G_USEC_PER_SEC)

struct _RelanceScheduler
{
  GObject                     parent_instance;

  RelanceStore               *store;
  GApplication               *application;
  GDBusConnection            *sleep_bus;
  gboolean                    sleep_bus_set;

  const RelanceSchedulerClock *clock;
  gpointer                    clock_data;
  RelanceSchedulerSendAsync   send_async;
  RelanceSchedulerSendFinish  send_finish;
  RelanceSchedulerInboxAsync  inbox_async;  /* NULL: the inbox is not read */
  RelanceSchedulerInboxFinish inbox_finish;

  int                         lock_fd;
  struct LockWaiter          *waiter;
  gboolean                    active;

  GDateTime                  *next_wakeup;
  guint                       wakeups;
  gboolean                    busy;        /* a pass: queueing (worker), then sending */
  gboolean                    pass_again;
  gboolean                    blocked;
  GDateTime                  *pass_time;   /* the moment the pass under way queued for */
  gboolean                    planning;    /* a plan worker runs */
  gboolean                    plan_again;  /* asked for while it ran */
  RelanceStoreFingerprint     planned_fingerprint; /* the store as the last plan began */
  GCancellable               *cancellable; /* the workers and the sending; new on each stop */

  /* the default clock */
  GSource                    *timer;
  gint64                      armed_real;
  gint64                      armed_mono;
  GDateTime                  *env_base;    /* RELANCE_NOW at start: time flows from it */
  gint64                      env_base_mono;

  gulong                      store_changed_id;
  GFileMonitor               *tz_monitor;
  RelanceBankWatcher         *bank_watcher; /* the bank-folder setting's folder */
  guint                       debounce_id;
  guint                       sleep_subscription;
  GNetworkMonitor            *network_monitor;
  gboolean                    network_available;

  /* the inbox */
  gint64                      inbox_attempted_at; /* unix; the last check this one began */
  gboolean                    inbox_now;          /* the network came back: retry at once */

  /* what the current pass did, for the notification */
  GPtrArray                  *failed_items;  /* RelanceOutboxItem* copies: client, invoices */
  guint                       n_sent;
  guint                       n_failed;
  int                         n_uncertain;
  char                       *uncertain_invoice;
};

G_DEFINE_FINAL_TYPE (RelanceScheduler, relance_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_NEXT_WAKEUP,
  N_PROPS
};

enum {
  PASS_DONE,
  PLANNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void plan_async    (RelanceScheduler *self);
static void run_pass      (RelanceScheduler *self);
static void queue_due     (RelanceScheduler *self);
static void store_changed (RelanceScheduler *self);

/* ---- logging ------------------------------------------------------------------------ */

static void
log_item (GLogLevelFlags           level,
          const RelanceOutboxItem *item,
          const char              *outcome)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, item->id);
  g_autofree char *invoices = item->invoices != NULL
                                ? g_strjoinv (", ", item->invoices) : g_strdup ("");

  g_log_structured (LOG_DOMAIN, level,
                    "RELANCE_CLIENT", item->client_name != NULL ? item->client_name : "",
                    "RELANCE_OUTBOX_ID", id,
                    "MESSAGE", "Reminder %s to %s (%s): %s%s%s", id,
                    item->client_name != NULL ? item->client_name : "?", invoices, outcome,
                    item->last_error != NULL ? ": " : "",
                    item->last_error != NULL ? item->last_error : "");
}

/* ---- the clock ---------------------------------------------------------------------- */

static gboolean
on_timer (gpointer user_data)
{
  RelanceScheduler *self = user_data;
  gint64 real_elapsed = g_get_real_time () - self->armed_real;
  gint64 mono_elapsed = g_get_monotonic_time () - self->armed_mono;

  g_clear_pointer (&self->timer, g_source_unref);
  /* The monotonic clock drives the timer; the wall clock says what is due. */
  if (ABS (real_elapsed - mono_elapsed) > CLOCK_JUMP_US)
    g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                      "MESSAGE", "The system clock moved by %" G_GINT64_FORMAT " s; re-planning",
                      (real_elapsed - mono_elapsed) / G_USEC_PER_SEC);
  relance_scheduler_fire (self);
  return G_SOURCE_REMOVE;
}

static GDateTime *
default_now (gpointer data)
{
  RelanceScheduler *self = data;

  /* With RELANCE_NOW (demos, end-to-end tests) time starts there and then flows, or a
   * long-running service would wait forever for a frozen moment. */
  if (self->env_base != NULL)
    return g_date_time_add (self->env_base, g_get_monotonic_time () - self->env_base_mono);
  return relance_clock_now ();
}

static void
default_arm (gpointer data, GDateTime *deadline)
{
  RelanceScheduler *self = data;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan delay;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (deadline == NULL)
    return;

  now = default_now (self);
  delay = MAX (0, g_date_time_difference (deadline, now));
  self->armed_real = g_get_real_time ();
  self->armed_mono = g_get_monotonic_time ();
  /* A precise ready time, not a seconds timeout: the planner's moment is exact and a
   * wake-up a fraction early would find nothing due. */
  self->timer = g_timeout_source_new (0);
  g_source_set_ready_time (self->timer, self->armed_mono + delay + 1000);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_name (self->timer, "[relance] scheduler timer");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static const RelanceSchedulerClock default_clock = { default_now, default_arm };

static GDateTime *
scheduler_now (RelanceScheduler *self)
{
  return self->clock->now (self->clock_data);
}

/* ---- the lock ----------------------------------------------------------------------- */

/* A thread blocked in flock() until the scheduler holding the lock lets go: waiting for
 * it without waking up every so often. Shared with the scheduler, which may be gone by
 * the time the lock comes. */
typedef struct LockWaiter
{
  gatomicrefcount   ref;
  GMutex            mutex;
  RelanceScheduler *scheduler;  /* NULL once the scheduler gave up waiting */
  GMainContext     *context;
  char             *path;
  int               fd;
} LockWaiter;

static void
lock_waiter_unref (LockWaiter *waiter)
{
  if (!g_atomic_ref_count_dec (&waiter->ref))
    return;
  if (waiter->fd >= 0)
    close (waiter->fd);
  g_main_context_unref (waiter->context);
  g_mutex_clear (&waiter->mutex);
  g_free (waiter->path);
  g_free (waiter);
}

static char *
lock_path (RelanceScheduler *self)
{
  return g_strconcat (relance_store_get_path (self->store), ".scheduler.lock", NULL);
}

static int
open_lock (const char *path)
{
  return open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

static void become_active (RelanceScheduler *self, int fd);

static gboolean
lock_acquired (gpointer data)
{
  LockWaiter *waiter = data;
  RelanceScheduler *self;

  g_mutex_lock (&waiter->mutex);
  self = waiter->scheduler != NULL ? g_object_ref (waiter->scheduler) : NULL;
  g_mutex_unlock (&waiter->mutex);
  if (self != NULL && self->waiter == waiter)
    {
      int fd = waiter->fd;

      waiter->fd = -1;
      self->waiter = NULL;
      waiter->scheduler = NULL;
      lock_waiter_unref (waiter); /* the scheduler's reference */
      become_active (self, fd);
    }
  g_clear_object (&self);
  return G_SOURCE_REMOVE;
}

static gpointer
lock_wait_thread (gpointer data)
{
  LockWaiter *waiter = data;
  int fd = open_lock (waiter->path);

  if (fd >= 0)
    {
      while (flock (fd, LOCK_EX) != 0 && errno == EINTR)
        ;
      waiter->fd = fd;
      g_main_context_invoke_full (waiter->context, G_PRIORITY_DEFAULT, lock_acquired,
                                  waiter, (GDestroyNotify) lock_waiter_unref);
    }
  else
    lock_waiter_unref (waiter);
  return NULL;
}

/* ---- watching what changes the plan ------------------------------------------------- */

static gboolean
debounced_replan (gpointer user_data)
{
  RelanceScheduler *self = user_data;

  self->debounce_id = 0;
  store_changed (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (RelanceStore             *store,
                  const RelanceStoreChange *change,
                  gpointer                  user_data)
{
  RelanceScheduler *self = user_data;

  /* Restart the delay on each commit: re-plan once the burst is over. */
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounced_replan, self);
}

static void
on_tz_changed (GFileMonitor      *monitor,
               GFile             *file,
               GFile             *other,
               GFileMonitorEvent  event,
               gpointer           user_data)
{
  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "The time zone changed; re-planning");
  relance_scheduler_resumed (RELANCE_SCHEDULER (user_data));
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender,
                      const char      *object_path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean going_to_sleep = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "MESSAGE", "Resumed from suspend; catching up");
      relance_scheduler_resumed (RELANCE_SCHEDULER (user_data));
    }
}

static void
watch_sleep (RelanceScheduler *self, GDBusConnection *bus)
{
  g_set_object (&self->sleep_bus, bus);
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep,
                                        self, NULL);
}

static void
on_system_bus (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelanceScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      /* Containers and CI have none; only suspend/resume goes unnoticed. */
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "No system bus (%s): suspend and resume are not watched",
                        error->message);
      return;
    }
  if (self->active && self->sleep_subscription == 0)
    watch_sleep (self, bus);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  relance_scheduler_network_changed (RELANCE_SCHEDULER (user_data), available);
}

static GFileMonitor *
monitor_path (RelanceScheduler *self,
              const char       *path,
              GCallback         callback)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_HARD_LINKS, NULL,
                                               &error);

  if (monitor == NULL)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Cannot watch %s: %s", path, error->message);
      return NULL;
    }
  g_signal_connect (monitor, "changed", callback, self);
  return monitor;
}

static void
unwatch (RelanceScheduler *self)
{
  g_clear_signal_handler (&self->store_changed_id, self->store);
  if (self->tz_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tz_monitor, self);
      g_file_monitor_cancel (self->tz_monitor);
      g_clear_object (&self->tz_monitor);
    }
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->bank_watcher != NULL)
    relance_bank_watcher_stop (self->bank_watcher);
  if (self->sleep_subscription != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->sleep_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
    }
  if (self->network_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->network_monitor, self);
      g_clear_object (&self->network_monitor);
    }
}

/* ---- notifications ------------------------------------------------------------------ */

static const char *
first_invoice (const RelanceOutboxItem *item)
{
  return item->invoices != NULL && item->invoices[0] != NULL ? item->invoices[0] : "";
}

static void
notify_batch (RelanceScheduler *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  if (self->application == NULL || self->n_sent + self->n_failed == 0)
    return;

  /* Translators: the first half of a notification title, "3 reminders sent, 1 failed" */
  g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, "%u reminder sent",
                                              "%u reminders sent", self->n_sent),
                          self->n_sent);
  if (self->n_failed > 0)
    {
      g_string_append (title, C_("list separator", ", "));
      /* Translators: the second half of "3 reminders sent, 1 failed" */
      g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                  self->n_failed), self->n_failed);
    }
  notification = g_notification_new (title->str);

  for (guint i = 0; i < self->failed_items->len; i++)
    {
      const RelanceOutboxItem *item = g_ptr_array_index (self->failed_items, i);
      g_autofree char *invoices = g_strjoinv (", ", item->invoices);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: a line of the notification; %s are a client's name and invoice
       * numbers */
      g_string_append_printf (body, _("Not sent to %s (%s)."), item->client_name, invoices);
    }
  if (body->len > 0)
    g_notification_set_body (notification, body->str);

  if (self->failed_items->len > 0)
    {
      const RelanceOutboxItem *item = g_ptr_array_index (self->failed_items, 0);

      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action_and_target (notification, "app.show-history", "s",
                                                    first_invoice (item));
      g_notification_add_button_with_target (notification, _("Show in History"),
                                             "app.show-history", "s", first_invoice (item));
    }
  else
    g_notification_set_default_action_and_target (notification, "app.show-history", "s", "");
  g_application_send_notification (self->application, "batch", notification);
}

static void
notify_uncertain (RelanceScheduler *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  if (self->application == NULL || self->n_uncertain <= 0)
    return;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%d reminder may not have been sent",
                                        "%d reminders may not have been sent",
                                        self->n_uncertain), self->n_uncertain);
  notification = g_notification_new (title);
  g_notification_set_body (notification,
                           _("Relance stopped while sending. Check with the client, then "
                             "send again or give up."));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-history", "s",
                                                self->uncertain_invoice != NULL
                                                  ? self->uncertain_invoice : "");
  g_application_send_notification (self->application, "uncertain", notification);
}

/* A reply or a bounce found in the inbox; automatic replies are only noted. Both open
 * Upcoming, where the owner decides or finds a new address. */
static void
notify_answer (RelanceScheduler          *self,
               const RelanceInboxMessage *message)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(RelanceClient) client = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  const char *who = message->client_name;

  if (self->application == NULL || message->kind == RELANCE_INBOX_AUTO_REPLY)
    return;
  if (who == NULL && message->client_id > 0
      && (client = relance_store_get_client (self->store, message->client_id, NULL)) != NULL)
    who = client->name;
  if (who == NULL)
    who = message->sender;

  if (message->kind == RELANCE_INBOX_REPLY)
    {
      RelanceInboxMessage named = *message;

      named.client_name = (char *) who;
      title = relance_inbox_message_summary (&named);
      notification = g_notification_new (title);
      if (message->text != NULL && *message->text != '\0')
        {
          g_autofree char *start = g_utf8_substring (message->text, 0,
                                                     MIN (g_utf8_strlen (message->text, -1),
                                                          200));
          g_notification_set_body (notification, g_strstrip (start));
        }
      id = g_strdup_printf ("inbox-reply-%" G_GINT64_FORMAT, message->client_id);
    }
  else
    {
      /* Translators: a notification title; %s is a client's name. */
      title = g_strdup_printf (_("The address of %s bounced: find a new one"), who);
      notification = g_notification_new (title);
      if (message->bounced_address != NULL)
        g_notification_set_body (notification, message->bounced_address);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      id = g_strdup_printf ("inbox-bounce-%" G_GINT64_FORMAT, message->client_id);
    }
  g_notification_set_default_action_and_target (notification, "app.show-history", "s", "");
  g_application_send_notification (self->application, id, notification);
}

/* ---- a pass ------------------------------------------------------------------------- */

static void
count_outcome (RelanceScheduler        *self,
               const RelanceOutboxItem *item,
               const char              *outcome)
{
  if (g_strcmp0 (outcome, "sent") == 0)
    {
      self->n_sent++;
      log_item (G_LOG_LEVEL_INFO, item, outcome);
    }
  else if (g_strcmp0 (outcome, "failed") == 0)
    {
      RelanceOutboxItem *copy = g_new0 (RelanceOutboxItem, 1);

      self->n_failed++;
      copy->id = item->id;
      copy->client_name = g_strdup (item->client_name);
      copy->invoices = g_strdupv (item->invoices);
      g_ptr_array_add (self->failed_items, copy);
      log_item (G_LOG_LEVEL_MESSAGE, item, outcome);
    }
  else
    log_item (G_LOG_LEVEL_INFO, item, outcome);
}

static void
on_item (const RelanceOutboxItem *item, const char *outcome, gpointer user_data)
{
  count_outcome (RELANCE_SCHEDULER (user_data), item, outcome);
}

static void
end_pass (RelanceScheduler *self)
{
  notify_batch (self);
  g_signal_emit (self, signals[PASS_DONE], 0, self->n_sent, self->n_failed);
  self->busy = FALSE;
  g_clear_pointer (&self->pass_time, g_date_time_unref);
  if (self->pass_again)
    {
      self->pass_again = FALSE;
      run_pass (self);
      return;
    }
  plan_async (self);
}

/* The scheduler stopped during the pass. It may have been started again meanwhile, and
 * its start asked for a pass that waited for this one. */
static void
pass_cancelled (RelanceScheduler *self)
{
  self->busy = FALSE;
  g_clear_pointer (&self->pass_time, g_date_time_unref);
  if (self->active && self->pass_again)
    {
      self->pass_again = FALSE;
      run_pass (self);
    }
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelanceScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  RelanceOutboxReport report = { 0 };

  if (!self->send_finish (RELANCE_STORE (source), result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          pass_cancelled (self);
          return;
        }
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Sending stopped: %s", error->message);
      self->blocked = TRUE;
    }
  if (report.account_error != NULL)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Sending is paused: %s", report.account_error->message);
      self->blocked = TRUE;
      g_clear_error (&report.account_error);
    }
  end_pass (self);
}

static gboolean
is_paused (RelanceScheduler *self)
{
  g_autofree char *paused = relance_store_get_setting (self->store, RELANCE_SETTING_PAUSED);

  return g_strcmp0 (paused, "true") == 0;
}

/* The due messages are queued (in a worker, on its own connection): send what is ready. */
static void
on_queued (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelanceScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = relance_outbox_queue_due_finish (result, &error);
  gint64 ready;

  if (queued == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          pass_cancelled (self);
          return;
        }
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Could not queue the reminders due now: %s", error->message);
      self->blocked = TRUE;
      end_pass (self);
      return;
    }
  for (guint i = 0; i < queued->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (queued, i);
      if (!g_str_equal (item->state, "queued"))
        count_outcome (self, item, item->state);
    }

  /* This connection sees the worker's commits (WAL): a cheap count on an index. */
  ready = relance_outbox_count_ready (self->store, self->pass_time, &error);
  if (ready <= 0)
    {
      if (ready < 0)
        {
          g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                            "MESSAGE", "Could not read the outbox: %s", error->message);
          self->blocked = TRUE;
        }
      end_pass (self);
      return;
    }
  self->send_async (self->store, self->cancellable, on_item, self, on_sent,
                    g_object_ref (self));
}

/* When the inbox is read next (unix seconds), 0 when there is no answer to wait for: no
 * reminder outstanding, or no inbox reader. 15 minutes after the last check (by any
 * process: `relance inbox check` counts), at the retry a failure set, or at once the first
 * time; never sooner than 15 minutes after the last check this scheduler began, unless the
 * network came back after a failure (@at_once). */
static gint64
inbox_next_check (RelanceStore *store,
                  gint64        now,
                  gint64        attempted_at,
                  gboolean      at_once)
{
  gint64 checked_at = 0, next_try_at = 0, next;
  g_autofree char *failure = NULL;

  if (!relance_store_inbox_reminder_outstanding (store)
      || !relance_store_inbox_get_status (store, &checked_at, &failure, &next_try_at, NULL))
    return 0;
  if (at_once && failure != NULL)
    return now;
  if (next_try_at > 0)
    next = next_try_at;
  else if (checked_at > 0)
    next = checked_at + RELANCE_INBOX_POLL_SECONDS;
  else
    next = now;
  if (attempted_at > 0)
    next = MAX (next, attempted_at + RELANCE_INBOX_POLL_SECONDS);
  return MAX (next, now);
}

static gboolean
inbox_due (RelanceScheduler *self, GDateTime *now)
{
  gint64 at = g_date_time_to_unix (now);
  gint64 next;

  if (self->inbox_async == NULL)
    return FALSE;
  next = inbox_next_check (self->store, at, self->inbox_attempted_at, self->inbox_now);
  return next > 0 && next <= at;
}

/* The inbox was read (in a worker, on its own connection, which also recorded what it
 * found and, on failure, when to try again): tell the owner, then queue what is due. */
static void
on_inbox_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelanceScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  RelanceInboxReport report = { 0 };

  if (!self->inbox_finish (result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->active)
        {
          pass_cancelled (self);
          return;
        }
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Could not read the inbox: %s", error->message);
    }
  else if (!self->active)
    {
      relance_inbox_report_clear (&report);
      pass_cancelled (self);
      return;
    }
  for (guint i = 0; report.recognised != NULL && i < report.recognised->len; i++)
    {
      const RelanceInboxMessage *message = g_ptr_array_index (report.recognised, i);
      g_autofree char *numbers = g_strjoinv (", ", message->invoices);

      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "MESSAGE", "Inbox: %s from %s (%s): %s",
                        relance_inbox_kind_to_string (message->kind), message->sender,
                        numbers, message->action != NULL ? message->action : "");
      notify_answer (self, message);
    }
  relance_inbox_report_clear (&report);
  queue_due (self);
}

static void
run_pass (RelanceScheduler *self)
{
  self->busy = TRUE;
  self->blocked = FALSE;
  self->n_sent = self->n_failed = 0;
  g_ptr_array_set_size (self->failed_items, 0);
  g_clear_pointer (&self->pass_time, g_date_time_unref);
  self->pass_time = scheduler_now (self);

  if (is_paused (self))
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "MESSAGE", "All reminders are paused: nothing sent");
      end_pass (self);
      return;
    }
  /* The outbox reads the one clock; keep it on the scheduler's time. */
  if (self->env_base != NULL && self->clock == &default_clock)
    relance_clock_set_override (self->pass_time);

  /* The inbox first: a reply found pauses the client before their next reminder goes. */
  if (inbox_due (self, self->pass_time))
    {
      self->inbox_attempted_at = g_date_time_to_unix (self->pass_time);
      self->inbox_now = FALSE;
      self->inbox_async (relance_store_get_path (self->store), self->pass_time,
                         self->cancellable, on_inbox_checked, g_object_ref (self));
      return;
    }
  queue_due (self);
}

static void
queue_due (RelanceScheduler *self)
{
  /* Planning and building every email takes seconds with many invoices: never on the
   * main thread, where the window lives. */
  relance_outbox_queue_due_async (relance_store_get_path (self->store), self->pass_time,
                                  self->cancellable, on_queued, g_object_ref (self));
}

/* ---- planning ----------------------------------------------------------------------- */

/* The earliest moment something is due: a planned message or a retry. Runs in the plan
 * worker, on that thread's own connection. */
static GDateTime *
next_due (RelanceStore *store, GDateTime *now, gboolean inbox, gint64 inbox_attempted_at,
          gboolean inbox_now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) planned = NULL;
  GDateTime *next = NULL;
  gint64 waiting;

  /* Only the moment: building every message (and a copy of each invoice) for 100 000
   * invoices held tens of MB in this thread's arena for nothing. */
  if (!relance_planner_next_due (store, now, &planned, &error))
    g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "Could not plan the reminders: %s", error->message);
  else if (planned != NULL)
    next = g_date_time_to_utc (planned);

  /* Queued rows are due at once; retries at their own time. */
  if (relance_store_get_outbox_next_due (store, &waiting, NULL))
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (
        MAX (waiting, g_date_time_to_unix (now)));

      if (next == NULL || g_date_time_compare (at, next) < 0)
        {
          g_clear_pointer (&next, g_date_time_unref);
          next = g_steal_pointer (&at);
        }
    }

  /* The inbox poll, while an answer may come (see the file comment). */
  if (inbox)
    {
      gint64 check = inbox_next_check (store, g_date_time_to_unix (now), inbox_attempted_at,
                                       inbox_now);

      if (check > 0)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (check);

          if (next == NULL || g_date_time_compare (at, next) < 0)
            {
              g_clear_pointer (&next, g_date_time_unref);
              next = g_steal_pointer (&at);
            }
        }
    }
  return next;
}

static void
set_next_wakeup (RelanceScheduler *self, GDateTime *deadline)
{
  /* Most re-plans (our own writes announced by the store, a change that moves nothing)
   * find the same moment: then the timer stays as it is and nobody is told. */
  if (deadline == NULL && self->next_wakeup == NULL)
    return;
  if (deadline != NULL && self->next_wakeup != NULL
      && g_date_time_equal (deadline, self->next_wakeup))
    return;
  g_clear_pointer (&self->next_wakeup, g_date_time_unref);
  if (deadline != NULL)
    self->next_wakeup = g_date_time_ref (deadline);
  self->clock->arm (self->clock_data, deadline);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_WAKEUP]);
}

typedef struct
{
  char      *db_path;
  GDateTime *now;
  gboolean   inbox;
  gint64     inbox_attempted_at;
  gboolean   inbox_now;
} PlanJob;

static void
plan_job_free (PlanJob *job)
{
  g_free (job->db_path);
  g_date_time_unref (job->now);
  g_free (job);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanJob *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  GError *error = NULL;

  store = relance_store_open_quick (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, next_due (store, job->now, job->inbox, job->inbox_attempted_at,
                                         job->inbox_now),
                         (GDestroyNotify) g_date_time_unref);
}

static void
on_planned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RelanceScheduler *self = RELANCE_SCHEDULER (source); /* the task holds a reference */
  PlanJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) next = g_task_propagate_pointer (G_TASK (result), &error);

  self->planning = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->active)
    {
      /* Stopped meanwhile; a new start may have asked for a plan behind this one. */
      if (self->active && self->plan_again)
        {
          self->plan_again = FALSE;
          plan_async (self);
        }
      return;
    }
  /* A pass started meanwhile: it plans again when it ends, from what it did. */
  if (self->busy)
    {
      self->plan_again = FALSE;
      return;
    }
  /* Something changed while this one ran: its moment may be stale, the next one is not. */
  if (self->plan_again)
    {
      self->plan_again = FALSE;
      plan_async (self);
      return;
    }
  if (error != NULL)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Could not plan the reminders: %s", error->message);
      next = g_date_time_add_seconds (job->now, BLOCKED_DELAY_S);
    }
  else if (next != NULL && self->blocked && g_date_time_compare (next, job->now) <= 0)
    {
      g_clear_pointer (&next, g_date_time_unref);
      next = g_date_time_add_seconds (job->now, BLOCKED_DELAY_S);
    }
  if (next != NULL)
    {
      g_autofree char *when = g_date_time_format_iso8601 (next);
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_DEBUG,
                        "MESSAGE", "Next wake-up at %s", when);
    }
  set_next_wakeup (self, next);
  g_signal_emit (self, signals[PLANNED], 0);
}

/* Plans in a worker thread (the planner reads every open invoice), with a connection of
 * its own; the result arms the timer back here. One plan at a time: a request while one
 * runs starts another once it is done. */
static void
plan_async (RelanceScheduler *self)
{
  g_autoptr(GTask) task = NULL;
  PlanJob *job;

  if (!self->active)
    return;
  if (self->planning)
    {
      self->plan_again = TRUE;
      return;
    }
  relance_store_get_fingerprint (self->store, &self->planned_fingerprint);
  if (is_paused (self))
    {
      /* Resuming writes the setting: the store watch re-plans then. */
      set_next_wakeup (self, NULL);
      g_signal_emit (self, signals[PLANNED], 0);
      return;
    }

  job = g_new0 (PlanJob, 1);
  job->db_path = g_strdup (relance_store_get_path (self->store));
  job->now = scheduler_now (self);
  job->inbox = self->inbox_async != NULL;
  job->inbox_attempted_at = self->inbox_attempted_at;
  job->inbox_now = self->inbox_now;
  self->planning = TRUE;
  task = g_task_new (self, self->cancellable, on_planned, NULL);
  g_task_set_source_tag (task, plan_async);
  g_task_set_name (task, "[relance] scheduler plan");
  g_task_set_task_data (task, job, (GDestroyNotify) plan_job_free);
  g_task_run_in_thread (task, plan_thread);
}

/* The store announced commits (after the debounce). Our own queueing and
 * sending change it too: those writes were made before the plan that followed the pass
 * started, so the fingerprint is the same and nothing is planned again for them. */
static void
store_changed (RelanceScheduler *self)
{
  RelanceStoreFingerprint fingerprint;

  if (!self->active)
    return;
  /* `config set bank-folder` from the command line or Preferences: watch the new one. */
  if (self->bank_watcher != NULL)
    relance_bank_watcher_refresh (self->bank_watcher);
  if (self->busy)
    return; /* a pass under way plans when it ends */
  relance_store_get_fingerprint (self->store, &fingerprint);
  if (fingerprint.data_version == self->planned_fingerprint.data_version
      && fingerprint.changes == self->planned_fingerprint.changes)
    return;
  /* A change in the store (the account fixed, a payment…) deserves a fresh attempt. */
  self->blocked = FALSE;
  plan_async (self);
}

/* Runs a pass now, or right after the one under way. */
static void
pass_now (RelanceScheduler *self)
{
  if (self->busy)
    {
      self->pass_again = TRUE;
      return;
    }
  run_pass (self);
}

void
relance_scheduler_fire (RelanceScheduler *self)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  if (!self->active)
    return;
  self->wakeups++;
  /* The timer we armed is spent: forget it so the re-plan arms a fresh one. */
  if (self->next_wakeup != NULL)
    {
      g_clear_pointer (&self->next_wakeup, g_date_time_unref);
      self->clock->arm (self->clock_data, NULL);
    }
  pass_now (self);
}

void
relance_scheduler_replan (RelanceScheduler *self)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  /* A pass under way re-plans when it ends. */
  if (self->busy)
    return;
  /* A change in the store (the account fixed, a payment…) deserves a fresh attempt. */
  self->blocked = FALSE;
  plan_async (self);
}

void
relance_scheduler_resumed (RelanceScheduler *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  if (!self->active)
    return;
  /* The monotonic timer stood still while suspended: what was due is overdue now. */
  now = scheduler_now (self);
  if (self->next_wakeup != NULL && g_date_time_compare (self->next_wakeup, now) <= 0)
    relance_scheduler_fire (self);
  else
    {
      g_clear_pointer (&self->next_wakeup, g_date_time_unref);
      relance_scheduler_replan (self);
    }
}

void
relance_scheduler_network_changed (RelanceScheduler *self,
                                   gboolean          available)
{
  gboolean was_available;

  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  if (!self->active)
    return;
  was_available = self->network_available;
  self->network_available = available;
  /* Routes come and go while connected; only a return is news. */
  if (!available || was_available)
    return;
  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "The network is back; catching up");
  /* A check that failed for want of a network need not wait for its retry. */
  self->inbox_now = TRUE;
  relance_scheduler_resumed (self);
}

/* ---- starting and stopping ---------------------------------------------------------- */

static void
become_active (RelanceScheduler *self, int fd)
{
  g_autoptr(GError) error = NULL;
  int recovered;

  self->lock_fd = fd;
  self->active = TRUE;
  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "Scheduler started on %s", relance_store_get_path (self->store));

  /* Another process's commits are announced once the store watches for them. */
  relance_store_watch_external (self->store);
  self->store_changed_id = g_signal_connect (self->store, "changed",
                                             G_CALLBACK (on_store_changed), self);
  self->tz_monitor = monitor_path (self, "/etc/localtime", G_CALLBACK (on_tz_changed));
  if (self->bank_watcher == NULL)
    self->bank_watcher = relance_bank_watcher_new (self->store, self->application);
  relance_bank_watcher_refresh (self->bank_watcher);
  if (self->sleep_bus_set)
    {
      if (self->sleep_bus != NULL)
        watch_sleep (self, self->sleep_bus);
    }
  else
    g_bus_get (G_BUS_TYPE_SYSTEM, NULL, on_system_bus, g_object_ref (self));
  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->network_monitor);
  g_signal_connect (self->network_monitor, "network-changed",
                    G_CALLBACK (on_network_changed), self);

  /* What a process that died mid-send left behind is uncertain, never sent again. */
  recovered = relance_outbox_recover (self->store, &error);
  if (recovered < 0)
    g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "Could not check the outbox: %s", error->message);
  else if (recovered > 0)
    {
      g_autoptr(GPtrArray) rows = relance_outbox_list (self->store, NULL, NULL);

      self->n_uncertain = recovered;
      for (guint i = 0; rows != NULL && i < rows->len; i++)
        {
          RelanceOutboxItem *item = g_ptr_array_index (rows, i);
          if (g_str_equal (item->state, "uncertain"))
            {
              log_item (G_LOG_LEVEL_MESSAGE, item, "uncertain");
              if (self->uncertain_invoice == NULL)
                self->uncertain_invoice = g_strdup (first_invoice (item));
            }
        }
      notify_uncertain (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  /* Catch up at once; the planner's rules keep it to one message per client. */
  pass_now (self);
}

gboolean
relance_scheduler_start (RelanceScheduler *self)
{
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (RELANCE_IS_SCHEDULER (self), FALSE);
  if (self->active || self->waiter != NULL)
    return self->active;

  if (self->clock == &default_clock && g_getenv ("RELANCE_NOW") != NULL)
    {
      self->env_base = relance_clock_now ();
      self->env_base_mono = g_get_monotonic_time ();
    }

  path = lock_path (self);
  fd = open_lock (path);
  if (fd < 0)
    {
      int saved = errno;
      /* Without a lock file (read-only directory) run anyway: a second scheduler is
       * still harmless, the outbox claims each row once. */
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Cannot open the scheduler lock %s: %s", path,
                        g_strerror (saved));
      become_active (self, -1);
      return TRUE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    {
      become_active (self, fd);
      return TRUE;
    }
  close (fd);

  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "Another scheduler runs on %s; waiting for it to stop",
                    relance_store_get_path (self->store));
  self->waiter = g_new0 (LockWaiter, 1);
  g_atomic_ref_count_init (&self->waiter->ref);
  g_atomic_ref_count_inc (&self->waiter->ref); /* the thread's */
  g_mutex_init (&self->waiter->mutex);
  self->waiter->scheduler = self;
  self->waiter->context = g_main_context_ref_thread_default ();
  self->waiter->path = g_steal_pointer (&path);
  self->waiter->fd = -1;
  g_thread_unref (g_thread_new ("relance-lock", lock_wait_thread, self->waiter));
  return FALSE;
}

void
relance_scheduler_stop (RelanceScheduler *self)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  if (self->waiter != NULL)
    {
      /* The thread stays blocked until the lock comes, then lets it go. */
      g_mutex_lock (&self->waiter->mutex);
      self->waiter->scheduler = NULL;
      g_mutex_unlock (&self->waiter->mutex);
      g_clear_pointer (&self->waiter, lock_waiter_unref);
    }
  if (!self->active)
    return;

  /* The workers' callbacks hold a reference and see the cancellation: nothing they
   * finish afterwards is applied. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pass_again = FALSE;
  self->plan_again = FALSE;
  unwatch (self);
  set_next_wakeup (self, NULL);
  self->active = FALSE;
  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }
  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO, "MESSAGE", "Scheduler stopped");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* ---- the object --------------------------------------------------------------------- */

RelanceScheduler *
relance_scheduler_new (RelanceStore *store,
                       GApplication *application)
{
  RelanceScheduler *self;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  self = g_object_new (RELANCE_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  if (application != NULL)
    g_set_weak_pointer (&self->application, application);
  return self;
}

void
relance_scheduler_set_clock (RelanceScheduler            *self,
                             const RelanceSchedulerClock *clock,
                             gpointer                     clock_data)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  self->clock = clock != NULL ? clock : &default_clock;
  self->clock_data = clock != NULL ? clock_data : self;
}

void
relance_scheduler_set_sender (RelanceScheduler           *self,
                              RelanceSchedulerSendAsync   send_async,
                              RelanceSchedulerSendFinish  send_finish)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));
  g_return_if_fail ((send_async == NULL) == (send_finish == NULL));

  self->send_async = send_async != NULL ? send_async : relance_outbox_send_async;
  self->send_finish = send_finish != NULL ? send_finish : relance_outbox_send_finish;
}

void
relance_scheduler_set_inbox_checker (RelanceScheduler            *self,
                                     RelanceSchedulerInboxAsync   check_async,
                                     RelanceSchedulerInboxFinish  check_finish)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));
  g_return_if_fail ((check_async == NULL) == (check_finish == NULL));

  self->inbox_async = check_async;
  self->inbox_finish = check_finish;
}

void
relance_scheduler_set_sleep_bus (RelanceScheduler *self,
                                 GDBusConnection  *bus)
{
  g_return_if_fail (RELANCE_IS_SCHEDULER (self));

  self->sleep_bus_set = TRUE;
  g_set_object (&self->sleep_bus, bus);
}

gboolean
relance_scheduler_is_active (RelanceScheduler *self)
{
  g_return_val_if_fail (RELANCE_IS_SCHEDULER (self), FALSE);
  return self->active;
}

gboolean
relance_scheduler_is_busy (RelanceScheduler *self)
{
  g_return_val_if_fail (RELANCE_IS_SCHEDULER (self), FALSE);
  return self->busy || self->planning;
}

GDateTime *
relance_scheduler_get_next_wakeup (RelanceScheduler *self)
{
  g_return_val_if_fail (RELANCE_IS_SCHEDULER (self), NULL);
  return self->next_wakeup;
}

guint
relance_scheduler_get_wakeups (RelanceScheduler *self)
{
  g_return_val_if_fail (RELANCE_IS_SCHEDULER (self), 0);
  return self->wakeups;
}

static void
relance_scheduler_dispose (GObject *object)
{
  RelanceScheduler *self = RELANCE_SCHEDULER (object);

  relance_scheduler_stop (self);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_object (&self->bank_watcher);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->sleep_bus);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relance_scheduler_parent_class)->dispose (object);
}

static void
relance_scheduler_finalize (GObject *object)
{
  RelanceScheduler *self = RELANCE_SCHEDULER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_wakeup, g_date_time_unref);
  g_clear_pointer (&self->pass_time, g_date_time_unref);
  g_clear_pointer (&self->env_base, g_date_time_unref);
  g_clear_pointer (&self->failed_items, g_ptr_array_unref);
  g_free (self->uncertain_invoice);
  G_OBJECT_CLASS (relance_scheduler_parent_class)->finalize (object);
}

static void
relance_scheduler_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelanceScheduler *self = RELANCE_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_NEXT_WAKEUP:
      g_value_set_boxed (value, self->next_wakeup);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_scheduler_class_init (RelanceSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relance_scheduler_dispose;
  object_class->finalize = relance_scheduler_finalize;
  object_class->get_property = relance_scheduler_get_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NEXT_WAKEUP] =
    g_param_spec_boxed ("next-wakeup", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each pass, with how many reminders went out and how many failed. */
  signals[PASS_DONE] = g_signal_new ("pass-done", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /* After each re-plan, whether the next wake-up moved or not. */
  signals[PLANNED] = g_signal_new ("planned", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
relance_scheduler_init (RelanceScheduler *self)
{
  self->lock_fd = -1;
  self->clock = &default_clock;
  self->clock_data = self;
  self->send_async = relance_outbox_send_async;
  self->send_finish = relance_outbox_send_finish;
  self->inbox_async = relance_inbox_check_async;
  self->inbox_finish = relance_inbox_check_finish;
  self->cancellable = g_cancellable_new ();
  self->failed_items = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_outbox_item_free);
}
