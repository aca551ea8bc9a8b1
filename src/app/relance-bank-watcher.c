/* relance-bank-watcher.c: imports the statements saved in the bank folder (see header).
 *
 * A file is imported a moment after its last change (browsers write downloads in pieces,
 * and rename them at the end), on the main context, through relance_bank_store_import():
 * the same function as `relance bank import`. */
#include "config.h"

#include <glib/gi18n.h>

#include "relance-bank-watcher.h"
#include "relance-language.h"
#include "relance-money.h"

#define LOG_DOMAIN "relance"
#define SETTLE_MS 1500

struct _RelanceBankWatcher
{
  GObject        parent_instance;

  RelanceStore  *store;
  GApplication  *application;
  char          *folder;
  GFileMonitor  *monitor;
  GHashTable    *pending;   /* path → source id */
};

G_DEFINE_FINAL_TYPE (RelanceBankWatcher, relance_bank_watcher, G_TYPE_OBJECT)

static void
notify_report (RelanceBankWatcher            *self,
               const RelanceBankImportReport *report,
               const char                    *name)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  const char *language = relance_language_for_user ();

  if (self->application == NULL || report->n_applied + report->n_proposed == 0)
    return;
  if (report->n_applied > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: a notification title */
                                          "%u payment found on your bank statement",
                                          "%u payments found on your bank statement",
                                          report->n_applied), report->n_applied);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: a notification title */
                                          "%u transfer to confirm",
                                          "%u transfers to confirm",
                                          report->n_proposed), report->n_proposed);
  for (guint i = 0; i < report->transactions->len; i++)
    {
      RelanceBankTransaction *t = g_ptr_array_index (report->transactions, i);
      g_autofree char *amount = NULL;
      g_autoptr(GString) numbers = g_string_new (NULL);

      if (!g_str_equal (t->status, "applied"))
        continue;
      for (guint l = 0; l < t->links->len; l++)
        g_string_append_printf (numbers, "%s%s", l > 0 ? ", " : "",
                                ((RelanceBankLink *) g_ptr_array_index (t->links, l))->number);
      amount = relance_money_format (t->amount, t->currency, language);
      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: a line of the notification: an amount and invoice numbers */
      g_string_append_printf (body, _("%s paid %s."), amount, numbers->str);
    }
  if (report->n_proposed > 0 && report->n_applied > 0)
    {
      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u transfer to confirm.",
                                                 "%u transfers to confirm.",
                                                 report->n_proposed), report->n_proposed);
    }
  if (body->len == 0)
    /* Translators: %s is a file name */
    g_string_append_printf (body, _("From %s."), name);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_default_action_and_target (notification, "app.show-bank", "s", "");
  g_application_send_notification (self->application, "bank", notification);
}

RelanceBankImportReport *
relance_bank_watcher_import (RelanceBankWatcher  *self,
                             const char          *path,
                             GError             **error)
{
  g_autoptr(RelanceBankStatement) statement = relance_bank_statement_read (path, error);
  RelanceBankImportReport *report;

  if (statement == NULL)
    return NULL;
  report = relance_bank_store_import (self->store, statement, FALSE, error);
  if (report != NULL)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "MESSAGE", "Bank statement %s: %u new credits (%u paid, %u proposed), "
                        "%u already known", statement->name, report->n_new, report->n_applied,
                        report->n_proposed, report->n_known);
      notify_report (self, report, statement->name);
    }
  return report;
}

static void
import_quietly (RelanceBankWatcher *self,
                const char         *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankImportReport) report = relance_bank_watcher_import (self, path, &error);

  if (report == NULL)
    g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "Bank statement not imported: %s", error->message);
}

typedef struct
{
  RelanceBankWatcher *self;
  char               *path;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_free (pending->path);
  g_free (pending);
}

static gboolean
settled (gpointer data)
{
  Pending *pending = data;
  RelanceBankWatcher *self = pending->self;
  g_autofree char *path = g_strdup (pending->path);

  /* Removing the entry frees @pending (the source is being destroyed anyway). */
  g_hash_table_steal (self->pending, path);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    import_quietly (self, path);
  return G_SOURCE_REMOVE;
}

static void
schedule (RelanceBankWatcher *self,
          const char         *path)
{
  Pending *pending;
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (self->pending, path));

  if (!relance_bank_is_statement_name (path))
    return;
  if (id != 0)
    g_source_remove (id);
  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->path = g_strdup (path);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, SETTLE_MS, settled, pending, pending_free);
  g_hash_table_replace (self->pending, g_strdup (path), GUINT_TO_POINTER (id));
}

static void
on_folder_changed (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  RelanceBankWatcher *self = user_data;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      schedule (self, g_file_peek_path (file));
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      schedule (self, g_file_peek_path (other != NULL ? other : file));
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      break;
    }
}

static void
cancel_pending (RelanceBankWatcher *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_source_remove (GPOINTER_TO_UINT (value));
  g_hash_table_remove_all (self->pending);
}

void
relance_bank_watcher_stop (RelanceBankWatcher *self)
{
  g_return_if_fail (RELANCE_IS_BANK_WATCHER (self));

  cancel_pending (self);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_clear_pointer (&self->folder, g_free);
}

void
relance_bank_watcher_refresh (RelanceBankWatcher *self)
{
  g_autofree char *folder = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) children = NULL;

  g_return_if_fail (RELANCE_IS_BANK_WATCHER (self));

  folder = relance_store_get_setting (self->store, RELANCE_SETTING_BANK_FOLDER);
  if (folder != NULL && *folder == '\0')
    g_clear_pointer (&folder, g_free);
  if (g_strcmp0 (folder, self->folder) == 0)
    return;
  relance_bank_watcher_stop (self);
  if (folder == NULL)
    return;

  dir = g_file_new_for_path (folder);
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "MESSAGE", "Cannot watch the bank folder %s: %s", folder, error->message);
      return;
    }
  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_folder_changed), self);
  self->folder = g_steal_pointer (&folder);
  g_log_structured (LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "Watching %s for bank statements", self->folder);

  /* What was saved while nothing watched: imported now (what is known adds nothing). */
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL)
    {
      GFileInfo *info = g_file_enumerator_next_file (children, NULL, NULL);
      g_autofree char *path = NULL;

      if (info == NULL)
        break;
      path = g_build_filename (self->folder, g_file_info_get_name (info), NULL);
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        schedule (self, path);
      g_object_unref (info);
    }
}

const char *
relance_bank_watcher_get_folder (RelanceBankWatcher *self)
{
  g_return_val_if_fail (RELANCE_IS_BANK_WATCHER (self), NULL);
  return self->folder;
}

static void
relance_bank_watcher_dispose (GObject *object)
{
  RelanceBankWatcher *self = RELANCE_BANK_WATCHER (object);

  relance_bank_watcher_stop (self);
  g_clear_object (&self->store);
  g_clear_weak_pointer (&self->application);
  G_OBJECT_CLASS (relance_bank_watcher_parent_class)->dispose (object);
}

static void
relance_bank_watcher_finalize (GObject *object)
{
  RelanceBankWatcher *self = RELANCE_BANK_WATCHER (object);

  g_hash_table_unref (self->pending);
  G_OBJECT_CLASS (relance_bank_watcher_parent_class)->finalize (object);
}

static void
relance_bank_watcher_class_init (RelanceBankWatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relance_bank_watcher_dispose;
  G_OBJECT_CLASS (klass)->finalize = relance_bank_watcher_finalize;
}

static void
relance_bank_watcher_init (RelanceBankWatcher *self)
{
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

RelanceBankWatcher *
relance_bank_watcher_new (RelanceStore *store,
                          GApplication *application)
{
  RelanceBankWatcher *self;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  self = g_object_new (RELANCE_TYPE_BANK_WATCHER, NULL);
  self->store = g_object_ref (store);
  if (application != NULL)
    g_set_weak_pointer (&self->application, application);
  return self;
}
