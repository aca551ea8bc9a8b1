/* relance-cli-scheduler.c: `relance pause|resume` and `relance --background`.
 *
 * The background runner is a GApplication (GIO, no GTK) with the window's app id, so the
 * desktop shows its notifications as Relance's and their actions reach the window. When
 * asked to show something (a notification clicked, `relance` started) it hands the name
 * over to a window process and keeps scheduling. */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "relance-cli-private.h"
#include "relance-planner.h"
#include "relance-scheduler.h"
#include "relance-store-company.h"

/* ---- pause | resume ----------------------------------------------------------------- */

static int
set_paused (CliContext *ctx, char **command_argv, gboolean paused)
{
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  if (g_strv_length (command_argv) != 1)
    return relance_cli_usage_error (_("“%s” takes no argument."), command_argv[0]);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (!relance_store_set_reminders_paused (store, paused, &error))
    return relance_cli_fail (error);
  if (paused)
    g_print ("%s\n", _("All reminders are paused: nothing will be sent until "
                       "“relance resume”."));
  else
    g_print ("%s\n", _("Reminders are on again: what is due will be sent at the next "
                       "opportunity."));
  return 0;
}

int
relance_cli_cmd_pause (CliContext *ctx, char **argv)
{
  return set_paused (ctx, argv, TRUE);
}

int
relance_cli_cmd_resume (CliContext *ctx, char **argv)
{
  return set_paused (ctx, argv, FALSE);
}

/* ---- --background ------------------------------------------------------------------- */

typedef struct
{
  GApplication     *app;      /* NULL without a session bus */
  GMainLoop        *loop;     /* used when there is no GApplication */
  RelanceStore     *store;
  RelanceScheduler *scheduler;
  char             *database;
  char             *pending_target; /* show-history target waiting for the window */
  guint             watch_id;
  gboolean          handed_over;
} Runner;

static gboolean
on_quit_signal (gpointer user_data)
{
  Runner *runner = user_data;

  g_log_structured ("Relance", G_LOG_LEVEL_INFO, "MESSAGE", "Stopping on a signal");
  if (runner->app != NULL)
    g_application_quit (runner->app);
  else
    g_main_loop_quit (runner->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_window_appeared (GDBusConnection *connection,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  Runner *runner = user_data;
  g_autofree char *object_path = g_strconcat ("/", APPLICATION_ID, NULL);

  g_strdelimit (object_path, ".", '/');
  if (runner->pending_target != NULL)
    {
      GVariantBuilder params;

      g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
      g_variant_builder_add (&params, "v", g_variant_new_string (runner->pending_target));
      g_dbus_connection_call (connection, owner, object_path, "org.freedesktop.Application",
                              "ActivateAction",
                              g_variant_new ("(sava{sv})", "show-history", &params, NULL),
                              NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
      g_clear_pointer (&runner->pending_target, g_free);
    }
  g_bus_unwatch_name (runner->watch_id);
  runner->watch_id = 0;
}

/* Opens the window: a GApplication without GTK cannot, so it gives up the app id and
 * starts `relance`, which becomes the primary instance; the scheduling goes on here (the
 * window's scheduler defers to this one through the database lock). */
static void
hand_over (Runner *runner, const char *target)
{
  GDBusConnection *bus = g_application_get_dbus_connection (runner->app);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  g_free (runner->pending_target);
  runner->pending_target = g_strdup (target);
  if (!runner->handed_over && bus != NULL)
    {
      g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
        bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "ReleaseName", g_variant_new ("(s)", APPLICATION_ID), NULL, G_DBUS_CALL_FLAGS_NONE,
        -1, NULL, &error);
      if (reply == NULL)
        {
          g_log_structured ("Relance", G_LOG_LEVEL_MESSAGE,
                            "MESSAGE", "Cannot hand over to the window: %s", error->message);
          return;
        }
      runner->handed_over = TRUE;
    }
  if (bus != NULL && runner->watch_id == 0)
    runner->watch_id = g_bus_watch_name_on_connection (bus, APPLICATION_ID,
                                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                       on_window_appeared, NULL, runner, NULL);

  g_ptr_array_add (args, exe != NULL ? exe : (char *) "relance");
  if (runner->database != NULL)
    {
      g_ptr_array_add (args, (char *) "--database");
      g_ptr_array_add (args, runner->database);
    }
  g_ptr_array_add (args, NULL);
  if (!g_spawn_async (NULL, (char **) args->pdata, NULL,
                      exe != NULL ? G_SPAWN_DEFAULT : G_SPAWN_SEARCH_PATH,
                      NULL, NULL, NULL, &error))
    g_log_structured ("Relance", G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "Cannot open the window: %s", error->message);
}

static void
on_activate (GApplication *app, gpointer user_data)
{
  hand_over (user_data, NULL);
}

static void
show_history_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  hand_over (user_data, parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL);
}

static void
on_startup (GApplication *app, gpointer user_data)
{
  Runner *runner = user_data;

  /* Held for as long as the process runs: a service does not quit when idle. */
  g_application_hold (app);
  runner->scheduler = relance_scheduler_new (runner->store, app);
  relance_scheduler_start (runner->scheduler);
}

int
relance_cli_run_background (RelanceLaunch *launch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) session = NULL;
  g_autofree char *path = launch->database != NULL ? g_strdup (launch->database)
                                                   : relance_store_default_path ();
  Runner runner = { 0 };
  guint sigterm, sigint;
  int status = 0;

  runner.store = relance_store_open (path, &error);
  if (runner.store == NULL)
    return relance_cli_fail (error);
  runner.database = g_strdup (launch->database);

  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, &runner);
  sigint = g_unix_signal_add (SIGINT, on_quit_signal, &runner);

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (session != NULL)
    {
      static const GActionEntry actions[] = {
        { .name = "show-history", .activate = show_history_action, .parameter_type = "s" },
      };

      runner.app = g_application_new (APPLICATION_ID, G_APPLICATION_IS_SERVICE);
      g_action_map_add_action_entries (G_ACTION_MAP (runner.app), actions,
                                       G_N_ELEMENTS (actions), &runner);
      g_signal_connect (runner.app, "startup", G_CALLBACK (on_startup), &runner);
      g_signal_connect (runner.app, "activate", G_CALLBACK (on_activate), &runner);
      /* A service fails to register when the app id is taken: the window (or another
       * background process) owns it on this session and runs the scheduler. */
      if (!g_application_register (runner.app, NULL, &error)
          || g_application_get_is_remote (runner.app))
        {
          if (error != NULL)
            g_log_structured ("Relance", G_LOG_LEVEL_INFO,
                              "MESSAGE", "Not registered: %s", error->message);
          g_printerr ("relance: %s\n", _("Relance is already running in this session; it "
                                         "keeps sending the reminders."));
          status = 1;
        }
      else
        status = g_application_run (runner.app, 0, NULL);
    }
  else
    {
      /* No session bus (a server, cron): schedule all the same, without notifications. */
      runner.loop = g_main_loop_new (NULL, FALSE);
      runner.scheduler = relance_scheduler_new (runner.store, NULL);
      relance_scheduler_start (runner.scheduler);
      g_main_loop_run (runner.loop);
      g_main_loop_unref (runner.loop);
    }

  if (runner.watch_id != 0)
    g_bus_unwatch_name (runner.watch_id);
  if (runner.scheduler != NULL)
    relance_scheduler_stop (runner.scheduler);
  g_clear_object (&runner.scheduler);
  g_clear_object (&runner.app);
  g_clear_object (&runner.store);
  g_free (runner.database);
  g_free (runner.pending_target);
  g_source_remove (sigterm);
  g_source_remove (sigint);
  return status;
}
