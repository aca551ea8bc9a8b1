/* relance-application.c: the Relance application.
 *
 * One instance per database: running `relance` again raises the open window, while
 * another database (--database, --demo, tests) gets its own non-unique instance. The
 * store is opened at startup; when that fails the user reads why, and nothing crashes.
 * The full check of the file (a read of all of it, 0.1 s at 100 000 invoices) runs in a
 * worker thread once the window shows its invoices, and the scheduler starts after it:
 * a damaged file still gets the same dialog, and the window closes. */
#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "relance-application.h"
#include "relance-backup.h"
#include "relance-error.h"
#include "relance-onboarding.h"
#include "relance-preferences.h"
#include "relance-scheduler.h"
#include "relance-window.h"

#define RESOURCE_BASE_PATH "/com/example/Relance"

struct _RelanceApplication
{
  AdwApplication  parent_instance;

  char           *database_path;
  RelanceStore   *store;
  GError         *open_error;
  /* The same service as `relance --background`, while the window is open. */
  RelanceScheduler *scheduler;
  /* Until the check of the file is started: the window's frame clock and our handler. */
  GdkFrameClock  *frame_clock;
  gulong          after_paint_id;
  guint           check_timeout_id;
  gboolean        check_started;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (RelanceApplication, relance_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static RelanceWindow *
find_window (RelanceApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RELANCE_IS_WINDOW (active))
    return RELANCE_WINDOW (active);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (RELANCE_IS_WINDOW (l->data))
      return RELANCE_WINDOW (l->data);

  return NULL;
}

static void show_open_error (RelanceApplication *self);
static void open_store (RelanceApplication *self);

static void
open_error_response_cb (AdwMessageDialog   *dialog,
                        const char         *response,
                        RelanceApplication *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "backup");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "restore") != 0 || name == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  /* The damaged file is kept beside the database by the restore; then start as usual. */
  if (!relance_backup_restore (self->database_path, name, NULL, &error))
    {
      g_clear_error (&self->open_error);
      self->open_error = g_steal_pointer (&error);
      show_open_error (self);
      return;
    }
  g_clear_error (&self->open_error);
  self->check_started = FALSE;
  open_store (self);
  g_application_activate (G_APPLICATION (self));
}

static void
show_open_error (RelanceApplication *self)
{
  g_autoptr(RelanceBackup) backup = NULL;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Could Not Open the Database"),
                                   self->open_error->message);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  /* A damaged file: the newest intact copy is offered, the damaged file kept aside. */
  if (g_error_matches (self->open_error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE)
      && (backup = relance_backup_newest_good (self->database_path)) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (backup->made);
      g_autofree char *when = g_date_time_format (local, "%x %H:%M");
      g_autofree char *body = g_strdup_printf (
        /* Translators: the first %s is an error message, the second a date and time */
        _("%s\n\nA backup copy made on %s is intact. Restoring it puts your data back as it "
          "was then; the damaged file is kept beside it."), self->open_error->message, when);

      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "restore",
                                       _("_Restore the Copy"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
      g_object_set_data_full (G_OBJECT (dialog), "backup", g_strdup (backup->name), g_free);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (open_error_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The check of the file and, once it passed, the scheduler. */

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(RelanceStore) store = NULL;
  GError *error = NULL;

  /* A connection of its own: the main thread's belongs to the main thread. */
  store = relance_store_open_quick (task_data, &error);
  if (store == NULL || !relance_store_verify (store, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RelanceApplication *self = RELANCE_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) windows = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
#ifdef __GLIBC__
      /* The check read the whole file in its thread, whose arena glibc keeps otherwise. */
      malloc_trim (0);
#endif
      if (self->scheduler != NULL)
        relance_scheduler_start (self->scheduler);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Refused as relance_store_open() would have: the dialog first, so that closing the
   * windows does not end the application before it shows. */
  g_message ("%s", error->message);
  g_clear_error (&self->open_error);
  self->open_error = g_steal_pointer (&error);
  g_action_map_remove_action (G_ACTION_MAP (self), "import");
  g_action_map_remove_action (G_ACTION_MAP (self), "preferences");
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  show_open_error (self);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
}

static void
stop_waiting_for_frame (RelanceApplication *self)
{
  /* A window destroyed before its first frame disposes its frame clock, and disposing
   * drops every handler: ours may be gone already (the "has no handler with id" warning
   * that failed a UI test now and then). */
  if (self->frame_clock != NULL && self->after_paint_id != 0
      && g_signal_handler_is_connected (self->frame_clock, self->after_paint_id))
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  self->after_paint_id = 0;
  g_clear_object (&self->frame_clock);
  g_clear_handle_id (&self->check_timeout_id, g_source_remove);
}

static void
start_check (RelanceApplication *self)
{
  g_autoptr(GTask) task = NULL;

  stop_waiting_for_frame (self);
  if (self->check_started || self->store == NULL)
    return;
  self->check_started = TRUE;
  task = g_task_new (self, self->cancellable, check_cb, NULL);
  g_task_set_source_tag (task, start_check);
  g_task_set_task_data (task, g_strdup (relance_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, check_thread);
}

static void
after_paint_cb (GdkFrameClock      *clock,
                RelanceApplication *self)
{
  RelanceWindow *window = find_window (self);

  /* The first frame that shows the invoices, not the empty list before them. */
  if (window != NULL && relance_window_is_loading (window))
    return;
  start_check (self);
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  RelanceApplication *self = user_data;

  /* A window never painted (minimized at once, no compositor): check all the same. */
  self->check_timeout_id = 0;
  start_check (self);
  return G_SOURCE_REMOVE;
}

static void
check_after_first_frame (RelanceApplication *self,
                         RelanceWindow      *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (self->check_started || self->after_paint_id != 0 || self->check_timeout_id != 0)
    return;
  if (clock != NULL)
    {
      self->frame_clock = g_object_ref (clock);
      self->after_paint_id = g_signal_connect (clock, "after-paint",
                                               G_CALLBACK (after_paint_cb), self);
    }
  self->check_timeout_id = g_timeout_add_seconds (5, check_timeout_cb, self);
}

static void
relance_application_activate (GApplication *application)
{
  RelanceApplication *self = RELANCE_APPLICATION (application);
  RelanceWindow *window;

  if (self->open_error != NULL)
    {
      show_open_error (self);
      return;
    }

  window = find_window (self);
  if (window == NULL)
    {
      window = relance_window_new (GTK_APPLICATION (self), self->store);
      gtk_window_present (GTK_WINDOW (window));
      check_after_first_frame (self, window);
      /* First run (no company name yet), or an assistant left with Skip. */
      if (relance_onboarding_should_show (self->store))
        gtk_window_present (GTK_WINDOW (relance_onboarding_new (GTK_WINDOW (window),
                                                                self->store)));
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  RelanceApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Closing (rather than just quitting) lets each window save its size. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
import_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  RelanceApplication *self = user_data;
  RelanceWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = find_window (self);
  if (window != NULL)
    relance_window_choose_import (window);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RelanceApplication *self = user_data;

  g_application_activate (G_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (relance_preferences_new (GTK_WINDOW (find_window (self)),
                                                           self->store)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  RelanceApplication *self = user_data;
  static const char *developers[] = { "The Relance developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

#if ADW_CHECK_VERSION(1, 4, 0)
  about = adw_about_window_new_from_appdata (RESOURCE_BASE_PATH "/" APPLICATION_ID
                                             ".metainfo.xml", PACKAGE_VERSION);
#else
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Relance"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", developers[0],
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://example.com/relance",
                        "issue-url", "https://example.com/relance/issues",
                        NULL);
#endif
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_copyright (ADW_ABOUT_WINDOW (about), "© 2026 The Relance developers");
  /* Translators: put your names here, one per line, to be credited in the About window */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), parent != NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The notifications' action: @parameter is an invoice number, or "" for the reminders
 * planned and waiting for a decision. */
static void
show_history_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelanceApplication *self = user_data;
  const char *number = g_variant_get_string (parameter, NULL);
  RelanceWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = find_window (self);
  if (window == NULL)
    return;
  if (*number != '\0')
    relance_window_show_invoice (window, number);
  else
    relance_window_show_page (window, "upcoming");
}

/* The bank folder's notification: the Bank page (@parameter is unused, "" ). */
static void
show_bank_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelanceApplication *self = user_data;
  RelanceWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = find_window (self);
  if (window != NULL)
    relance_window_show_page (window, "bank");
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "show-history", .activate = show_history_action, .parameter_type = "s" },
  { .name = "show-bank", .activate = show_bank_action, .parameter_type = "s" },
  { .name = "import", .activate = import_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "about", .activate = about_action },
};

static void
relance_application_startup (GApplication *application)
{
  RelanceApplication *self = RELANCE_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *import_accels[] = { "<Control>i", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (relance_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.import", import_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  /* Opened here, in the primary instance only: a second `relance` just raises us. */
  open_store (self);
}

/* Quick: the check of the whole file waits for the first frame (check_after_first_frame). */
static void
open_store (RelanceApplication *self)
{
  self->store = relance_store_open_quick (self->database_path, &self->open_error);
  if (self->store == NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self), "import");
      g_action_map_remove_action (G_ACTION_MAP (self), "preferences");
      /* Not a warning: the dialog tells the user, this line only helps a bug report. */
      g_message ("%s", self->open_error->message);
      return;
    }
  /* After a restore, the actions a damaged file had taken away come back. */
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  /* Started once the file passed its check, after the window's first frame. */
  self->scheduler = relance_scheduler_new (self->store, G_APPLICATION (self));
}

static void
relance_application_shutdown (GApplication *application)
{
  RelanceApplication *self = RELANCE_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  stop_waiting_for_frame (self);
  if (self->scheduler != NULL)
    relance_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);

  G_APPLICATION_CLASS (relance_application_parent_class)->shutdown (application);
}

static void
relance_application_finalize (GObject *object)
{
  RelanceApplication *self = RELANCE_APPLICATION (object);

  stop_waiting_for_frame (self);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (relance_application_parent_class)->finalize (object);
}

static void
relance_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelanceApplication *self = RELANCE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_application_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelanceApplication *self = RELANCE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_free (self->database_path);
      self->database_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_application_class_init (RelanceApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = relance_application_finalize;
  object_class->get_property = relance_application_get_property;
  object_class->set_property = relance_application_set_property;

  app_class->startup = relance_application_startup;
  app_class->activate = relance_application_activate;
  app_class->shutdown = relance_application_shutdown;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relance_application_init (RelanceApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

RelanceApplication *
relance_application_new (const char *database_path)
{
  g_autofree char *default_path = relance_store_default_path ();
  GApplicationFlags flags = G_APPLICATION_DEFAULT_FLAGS;

  if (database_path == NULL)
    database_path = default_path;
  else if (g_strcmp0 (database_path, default_path) != 0)
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (RELANCE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags,
                       /* Also for the Devel app id: one set of resources serves both. */
                       "resource-base-path", RESOURCE_BASE_PATH,
                       "database-path", database_path,
                       NULL);
}

const char *
relance_application_get_database_path (RelanceApplication *self)
{
  g_return_val_if_fail (RELANCE_IS_APPLICATION (self), NULL);
  return self->database_path;
}

RelanceStore *
relance_application_get_store (RelanceApplication *self)
{
  g_return_val_if_fail (RELANCE_IS_APPLICATION (self), NULL);
  return self->store;
}
