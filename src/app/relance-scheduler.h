/* relance-scheduler.h: the background scheduler, the service that keeps chasing.
 *
 * One timer, armed for exactly the next due moment (next planned message, next retry);
 * re-planned when the database file changes (the window, the command line, another
 * process), after suspend/resume (logind PrepareForSleep), when the network comes back
 * (GNetworkMonitor) and after a clock or time-zone change.
 *
 * The inbox is read (relance-inbox.h) at most every 15 minutes, and only while some
 * reminder is outstanding: a poll, not IMAP IDLE, which libcurl 7.88 cannot do without
 * protocol written by hand. That poll is one more moment the timer is armed for. One scheduler per database at a time: an advisory lock next to the database,
 * a second scheduler waits for it. GIO only, so `relance --background` runs without GTK
 * and the window's application can run the same object. */
#pragma once

#include <gio/gio.h>

#include "relance-inbox.h"
#include "relance-outbox.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* The scheduler's sense of time. The default reads relance_clock_now() and arms one
 * GSource on the monotonic clock; tests drive a fake one: now() returns the fake time,
 * arm() records the deadline, and the test calls relance_scheduler_fire() when its fake
 * time reaches it. */
typedef struct
{
  GDateTime *(*now) (gpointer   data);     /* full reference, any time zone */
  void       (*arm) (gpointer   data,
                     GDateTime *deadline); /* NULL: nothing to wait for */
} RelanceSchedulerClock;

/* The same shape as relance_outbox_send_async/finish, which are the default. */
typedef void     (*RelanceSchedulerSendAsync)  (RelanceStore           *store,
                                                GCancellable           *cancellable,
                                                RelanceOutboxCallback   callback,
                                                gpointer                callback_data,
                                                GAsyncReadyCallback     ready,
                                                gpointer                user_data);
typedef gboolean (*RelanceSchedulerSendFinish) (RelanceStore           *store,
                                                GAsyncResult           *result,
                                                RelanceOutboxReport    *report,
                                                GError                **error);

/* The same shape as relance_inbox_check_async/finish, which are the default. The check
 * records what it recognised, and on failure its reason and next try, in the store. */
typedef void     (*RelanceSchedulerInboxAsync)  (const char             *db_path,
                                                 GDateTime              *now,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     ready,
                                                 gpointer                user_data);
typedef gboolean (*RelanceSchedulerInboxFinish) (GAsyncResult           *result,
                                                 RelanceInboxReport     *report,
                                                 GError                **error);

#define RELANCE_TYPE_SCHEDULER (relance_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (RelanceScheduler, relance_scheduler, RELANCE, SCHEDULER, GObject)

/* @application (may be NULL) carries the desktop notifications. */
RelanceScheduler *relance_scheduler_new             (RelanceStore                *store,
                                                     GApplication                *application);
void              relance_scheduler_set_clock       (RelanceScheduler            *self,
                                                     const RelanceSchedulerClock *clock,
                                                     gpointer                     clock_data);
void              relance_scheduler_set_sender      (RelanceScheduler            *self,
                                                     RelanceSchedulerSendAsync    send_async,
                                                     RelanceSchedulerSendFinish   send_finish);
/* The inbox reader; both NULL: the inbox is not read (tests of sending alone). */
void              relance_scheduler_set_inbox_checker (RelanceScheduler          *self,
                                                       RelanceSchedulerInboxAsync  check_async,
                                                       RelanceSchedulerInboxFinish check_finish);
/* The bus where logind's PrepareForSleep is watched; the system bus when never set.
 * Call before relance_scheduler_start(). */
void              relance_scheduler_set_sleep_bus   (RelanceScheduler            *self,
                                                     GDBusConnection             *bus);

/* Takes the database's scheduler lock and starts (TRUE), or defers to the scheduler that
 * holds it and starts by itself when that one stops (FALSE). */
gboolean          relance_scheduler_start           (RelanceScheduler            *self);
void              relance_scheduler_stop            (RelanceScheduler            *self);
gboolean          relance_scheduler_is_active       (RelanceScheduler            *self);
/* Whether a pass (queue and send) or a re-plan is under way: both run in worker threads
 * and end on the main context, which must be running. */
gboolean          relance_scheduler_is_busy         (RelanceScheduler            *self);

/* The moment the timer is armed for, NULL when nothing is to be done (transfer none). */
GDateTime        *relance_scheduler_get_next_wakeup (RelanceScheduler            *self);
/* How many times the timer went off since the start. */
guint             relance_scheduler_get_wakeups     (RelanceScheduler            *self);

/* What the timer calls: runs a pass when something is due, then re-arms. */
void              relance_scheduler_fire            (RelanceScheduler            *self);
/* Re-plans (in a worker) and re-arms without sending (the store changed). */
void              relance_scheduler_replan          (RelanceScheduler            *self);
/* After a suspend, a clock or a time-zone change: catch up with what became due. */
void              relance_scheduler_resumed         (RelanceScheduler            *self);
/* What GNetworkMonitor's network-changed calls: when the network comes back after a
 * failed inbox check, the inbox is read at once instead of at the planned retry. */
void              relance_scheduler_network_changed (RelanceScheduler            *self,
                                                     gboolean                     available);

G_END_DECLS
