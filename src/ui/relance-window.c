/* relance-window.c: the main window.
 * (Over 800 lines: the pages, the pause banner, imports and drops share the window's state.)
 *
 * A view switcher over six pages, each a RelancePage of its own (relance-*-page.c). The
 * window hands the store to every page; each page reads it again when the store announces
 * a change that concerns it (RelanceStore::changed, from this window or from the command
 * line, the scheduler or another window). Imports run in a worker thread with their own
 * connection to the database, so the main loop never waits on a large file. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clients-page.h"
#include "relance-dashboard-page.h"
#include "relance-data-resources.h"
#include "relance-import.h"
#include "relance-import-dialog.h"
#include "relance-invoice-object.h"
#include "relance-invoices-page.h"
#include "relance-planner.h"
#include "relance-resources.h"
#include "relance-store-company.h"
#include "relance-templates-page.h"
#include "relance-upcoming-page.h"
#include "relance-bank-page.h"
#include "relance-window.h"
#include "relance-ui-util.h"

/* An import can refuse thousands of rows; a dialog shows the first ones. */
#define MAX_ERRORS_SHOWN 12

struct _RelanceWindow
{
  AdwApplicationWindow  parent_instance;

  RelanceStore         *store;
  GSettings            *settings;
  GCancellable         *cancellable;
  gboolean              importing;
#if !GTK_CHECK_VERSION(4, 10, 0)
  GtkFileChooserNative *chooser;
#endif

  /* "All reminders are paused": AdwBanner or GtkInfoBar, see banner_set_paused() */
  GtkWidget            *paused_banner;
  GSimpleAction        *pause_action;

  /* Template widgets */
  GtkBox               *banner_box;
  AdwViewStack         *view_stack;
  AdwToastOverlay      *toast_overlay;
  GtkSpinner           *import_spinner;
  RelanceInvoicesPage  *invoices_page;
  RelanceClientsPage   *clients_page;
  RelanceUpcomingPage  *upcoming_page;
  RelanceDashboardPage *dashboard_page;
  RelanceBankPage      *bank_page;
  RelanceTemplatesPage *templates_page;
};

G_DEFINE_FINAL_TYPE (RelanceWindow, relance_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pages, in the order of the switcher and of Alt+1…6. */
static const char * const page_names[] = {
  "invoices", "clients", "upcoming", "dashboard", "templates", "bank",
};

/* Pages. */

/* Hands the store to the page shown, the first time it is shown. */
static void
load_visible_page (RelanceWindow *self)
{
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);
  g_autoptr(RelanceStore) store = NULL;

  if (page == NULL || self->store == NULL
      || g_object_class_find_property (G_OBJECT_GET_CLASS (page), "store") == NULL)
    return;
  g_object_get (page, "store", &store, NULL);
  if (store != self->store)
    g_object_set (page, "store", self->store, NULL);
}

void
relance_window_reload (RelanceWindow *self)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));

  relance_page_reload (RELANCE_PAGE (self->invoices_page));
  relance_page_reload (RELANCE_PAGE (self->clients_page));
  relance_page_reload (RELANCE_PAGE (self->upcoming_page));
  relance_page_reload (RELANCE_PAGE (self->dashboard_page));
  relance_page_reload (RELANCE_PAGE (self->bank_page));
  relance_page_reload (RELANCE_PAGE (self->templates_page));
}

/* The global pause, shown on every page while it is on. */

static gboolean
store_is_paused (RelanceWindow *self)
{
  return self->store != NULL && relance_store_get_reminders_paused (self->store);
}

static void
update_paused (RelanceWindow *self)
{
  gboolean paused = store_is_paused (self);

#if ADW_CHECK_VERSION(1, 3, 0)
  adw_banner_set_revealed (ADW_BANNER (self->paused_banner), paused);
#else
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->paused_banner), paused);
  gtk_widget_set_visible (self->paused_banner, paused);
#endif
  g_simple_action_set_state (self->pause_action, g_variant_new_boolean (paused));
}

static void
set_paused (RelanceWindow *self,
            gboolean       paused)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!relance_store_set_reminders_paused (self->store, paused, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Change the Pause"), error);
      return;
    }
}

static void
resume_clicked_cb (RelanceWindow *self)
{
  set_paused (self, FALSE);
}

static void
pause_change_state_cb (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  set_paused (RELANCE_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
paused_banner_init (RelanceWindow *self)
{
  /* Translators: the banner shown on every page while the global pause is on */
  const char *title = _("All reminders are paused");

#if ADW_CHECK_VERSION(1, 3, 0)
  self->paused_banner = adw_banner_new (title);
  /* Translators: the button of the banner saying all reminders are paused */
  adw_banner_set_button_label (ADW_BANNER (self->paused_banner), _("_Resume"));
  g_signal_connect_swapped (self->paused_banner, "button-clicked",
                            G_CALLBACK (resume_clicked_cb), self);
#else
  GtkWidget *label = gtk_label_new (title);

  self->paused_banner = gtk_info_bar_new ();
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->paused_banner), GTK_MESSAGE_WARNING);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_info_bar_add_child (GTK_INFO_BAR (self->paused_banner), label);
  /* Translators: the button of the banner saying all reminders are paused */
  gtk_info_bar_add_button (GTK_INFO_BAR (self->paused_banner), _("_Resume"),
                           GTK_RESPONSE_ACCEPT);
  g_signal_connect_swapped (self->paused_banner, "response",
                            G_CALLBACK (resume_clicked_cb), self);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->paused_banner), FALSE);
  gtk_widget_set_visible (self->paused_banner, FALSE);
#endif
  gtk_box_append (self->banner_box, self->paused_banner);

  /* Stateful, so that the primary menu shows it as a check item. */
  self->pause_action = g_simple_action_new_stateful ("pause-all", NULL,
                                                     g_variant_new_boolean (FALSE));
  g_signal_connect (self->pause_action, "change-state", G_CALLBACK (pause_change_state_cb),
                    self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->pause_action));
}

gboolean
relance_window_get_paused_banner_shown (RelanceWindow *self)
{
  g_return_val_if_fail (RELANCE_IS_WINDOW (self), FALSE);
#if ADW_CHECK_VERSION(1, 3, 0)
  return adw_banner_get_revealed (ADW_BANNER (self->paused_banner))
         && gtk_widget_get_mapped (self->paused_banner);
#else
  return gtk_info_bar_get_revealed (GTK_INFO_BAR (self->paused_banner))
         && gtk_widget_get_mapped (self->paused_banner);
#endif
}

static void
store_changed_cb (RelanceWindow            *self,
                  const RelanceStoreChange *change)
{
  if (change->what & RELANCE_STORE_CHANGED_SETTINGS)
    update_paused (self);
}

void
relance_window_add_toast (RelanceWindow *self,
                          AdwToast      *toast)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
relance_window_show_page (RelanceWindow *self,
                          const char    *name)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
relance_window_show_invoice (RelanceWindow *self,
                             const char    *number)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));
  g_return_if_fail (number != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "invoices");
  relance_invoices_page_show_invoice (self->invoices_page, number);
}

void
relance_window_ask_payment (RelanceWindow *self,
                            const char    *number)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));
  g_return_if_fail (number != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "invoices");
  relance_invoices_page_ask_payment (self->invoices_page, number);
}

gboolean
relance_window_is_loading (RelanceWindow *self)
{
  g_return_val_if_fail (RELANCE_IS_WINDOW (self), FALSE);
  return relance_invoices_page_is_loading (self->invoices_page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RelanceWindow *self = RELANCE_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index < G_N_ELEMENTS (page_names))
    relance_window_show_page (self, page_names[index]);
}

/* From a page (a client's reply in Upcoming): the Invoices page asks for the payment. */
static void
ask_payment_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  relance_window_ask_payment (RELANCE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceWindow *self = RELANCE_WINDOW (widget);

  relance_window_show_page (self, "invoices");
  relance_invoices_page_focus_search (self->invoices_page);
}

static void
new_invoice_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RelanceWindow *self = RELANCE_WINDOW (widget);

  if (self->store == NULL)
    return;
  relance_window_show_page (self, "invoices");
  relance_invoices_page_new_invoice (self->invoices_page);
}

/* Importing. */

typedef struct
{
  char *database_path;
  char *csv_path;
} ImportJob;

typedef struct
{
  RelanceImportReport *report;
  GError              *error;
} ImportOutcome;

static void
import_job_free (ImportJob *job)
{
  g_free (job->database_path);
  g_free (job->csv_path);
  g_free (job);
}

static void
import_outcome_free (ImportOutcome *outcome)
{
  g_clear_pointer (&outcome->report, relance_import_report_free);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportOutcome, import_outcome_free)

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(ImportOutcome) outcome = g_new0 (ImportOutcome, 1);
  g_autoptr(RelanceStore) store = NULL;
  RelanceImportOptions options = {
    .kind = RELANCE_IMPORT_INVOICES,
    .date_order = RELANCE_DATE_ORDER_DMY,
    .dry_run = FALSE,
    .mapping = NULL,
  };

  /* A connection is bound to the thread that opened it: this one is ours alone. */
  store = relance_store_open (job->database_path, &outcome->error);
  if (store != NULL)
    relance_import_file (store, job->csv_path, &options, NULL, NULL, cancellable,
                         &outcome->report, &outcome->error);

  g_task_return_pointer (task, g_steal_pointer (&outcome),
                         (GDestroyNotify) import_outcome_free);
}

static void
import_file_async (RelanceWindow       *self,
                   GFile               *file,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, import_file_async);

  job = g_new0 (ImportJob, 1);
  job->database_path = g_strdup (relance_store_get_path (self->store));
  job->csv_path = g_file_get_path (file);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);

  g_task_run_in_thread (task, import_thread);
}

static ImportOutcome *
import_file_finish (RelanceWindow  *self,
                    GAsyncResult   *result,
                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == import_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_importing (RelanceWindow *self,
               gboolean       importing)
{
  self->importing = importing;
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), importing);
  gtk_spinner_set_spinning (self->import_spinner, importing);
}

static char *
describe_success (const RelanceImportReport *report)
{
  GString *body = g_string_new (NULL);

  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u new invoice", "%u new invoices", report->created),
                          report->created);
  g_string_append_c (body, '\n');
  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u invoice updated", "%u invoices updated",
                                       report->updated),
                          report->updated);
  g_string_append_c (body, '\n');
  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u invoice unchanged", "%u invoices unchanged",
                                       report->unchanged),
                          report->unchanged);
  if (report->clients_created > 0)
    {
      g_string_append_c (body, '\n');
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u new client", "%u new clients",
                                           report->clients_created),
                              report->clients_created);
    }
  return g_string_free (body, FALSE);
}

static char *
describe_failure (const RelanceImportReport *report,
                  const GError              *error)
{
  GString *body = g_string_new (_("Nothing was imported."));
  guint n_errors = report != NULL && report->errors != NULL ? report->errors->len : 0;

  g_string_append (body, "\n\n");
  if (n_errors == 0)
    {
      g_string_append (body, error->message);
      return g_string_free (body, FALSE);
    }

  for (guint i = 0; i < MIN (n_errors, MAX_ERRORS_SHOWN); i++)
    {
      if (i > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, g_ptr_array_index (report->errors, i));
    }
  if (n_errors > MAX_ERRORS_SHOWN)
    {
      guint more = n_errors - MAX_ERRORS_SHOWN;

      g_string_append_c (body, '\n');
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "…and %u more problem", "…and %u more problems",
                                           more),
                              more);
    }
  return g_string_free (body, FALSE);
}

static void
show_message (RelanceWindow *self,
              const char    *heading,
              const char    *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_file_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RelanceWindow *self = RELANCE_WINDOW (object);
  g_autoptr(ImportOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  outcome = import_file_finish (self, result, &error);
  set_importing (self, FALSE);

  /* The window is closing: nobody is there to read the outcome. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (outcome != NULL && g_error_matches (outcome->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  if (outcome == NULL || outcome->error != NULL)
    {
      body = describe_failure (outcome != NULL ? outcome->report : NULL,
                               outcome != NULL ? outcome->error : error);
      show_message (self, _("Import Failed"), body);
    }
  else
    {
      body = describe_success (outcome->report);
      show_message (self, _("Import Complete"), body);
    }

  /* Committed on the worker's connection: read at once rather than when the file
   * monitor tells. */
  relance_window_reload (self);
}

void
relance_window_import_file (RelanceWindow *self,
                            GFile         *file)
{
  g_return_if_fail (RELANCE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->importing || self->store == NULL)
    return;

  set_importing (self, TRUE);
  import_file_async (self, file, import_file_cb, NULL);
}

static GtkFileFilter *
csv_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  /* Translators: the file chooser's filter when importing invoices */
  gtk_file_filter_set_name (filter, _("Invoices (CSV, Spreadsheets, E-Invoices)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_filter_add_suffix (filter, "ods");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_filter_add_suffix (filter, "xml");
  return filter;
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
file_dialog_open_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RelanceWindow) self = user_data;
  g_autoptr(GFile) file = NULL;

  file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);
  /* The dialog previews the mapping and the errors before anything is written. */
  if (file != NULL)
    gtk_window_present (GTK_WINDOW (relance_import_dialog_new (GTK_WINDOW (self), self->store,
                                                               file)));
}

void
relance_window_choose_import (RelanceWindow *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = csv_filter_new ();

  g_return_if_fail (RELANCE_IS_WINDOW (self));

  g_list_store_append (filters, filter);
  gtk_file_dialog_set_title (dialog, _("Import Invoices"));
  gtk_file_dialog_set_accept_label (dialog, _("_Import"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  gtk_file_dialog_open (dialog, GTK_WINDOW (self), self->cancellable, file_dialog_open_cb,
                        g_object_ref (self));
}
#else
static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     RelanceWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      /* The dialog previews the mapping and the errors before anything is written. */
      if (file != NULL)
        gtk_window_present (GTK_WINDOW (relance_import_dialog_new (GTK_WINDOW (self),
                                                                   self->store, file)));
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

void
relance_window_choose_import (RelanceWindow *self)
{
  g_autoptr(GtkFileFilter) filter = csv_filter_new ();

  g_return_if_fail (RELANCE_IS_WINDOW (self));

  if (self->chooser != NULL || self->importing)
    return;

  /* GtkFileChooserNative goes through the file chooser portal inside Flatpak. */
  self->chooser = gtk_file_chooser_native_new (_("Import Invoices"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
#endif

/* Window state. */

static gboolean
relance_window_close_request (GtkWindow *window)
{
  RelanceWindow *self = RELANCE_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);

  g_cancellable_cancel (self->cancellable);

  if (self->settings == NULL)
    return GTK_WINDOW_CLASS (relance_window_parent_class)->close_request (window);

  /* A maximized window's size says nothing about the size to come back to. */
  if (!maximized)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  return GTK_WINDOW_CLASS (relance_window_parent_class)->close_request (window);
}

static void
relance_window_constructed (GObject *object)
{
  RelanceWindow *self = RELANCE_WINDOW (object);

  G_OBJECT_CLASS (relance_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 900, 600);

  /* Each page reads the store as it receives it: the invoices at once, the others when
   * first shown. Planning, adding up and charting 100 000 invoices for pages nobody
   * looked at cost the start-up two cores and ~100 MB. */
  relance_page_set_store (RELANCE_PAGE (self->invoices_page), self->store);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child",
                            G_CALLBACK (load_visible_page), self);
  load_visible_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-invoice", self->store != NULL);
  g_simple_action_set_enabled (self->pause_action, self->store != NULL);
  update_paused (self);
  if (self->store != NULL)
    {
      /* The pages listen to the store themselves; the window shows the global pause. The
       * command line, the scheduler and other windows commit on their own connections. */
      g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                               G_CONNECT_SWAPPED);
      relance_store_watch_external (self->store);
    }
}

static void
relance_window_dispose (GObject *object)
{
  RelanceWindow *self = RELANCE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
#if !GTK_CHECK_VERSION(4, 10, 0)
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
#endif
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_func (self->view_stack, load_visible_page, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELANCE_TYPE_WINDOW);

  G_OBJECT_CLASS (relance_window_parent_class)->dispose (object);
}

static void
relance_window_finalize (GObject *object)
{
  RelanceWindow *self = RELANCE_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pause_action);

  G_OBJECT_CLASS (relance_window_parent_class)->finalize (object);
}

static void
relance_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RelanceWindow *self = RELANCE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RelanceWindow *self = RELANCE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_window_class_init (RelanceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = relance_window_constructed;
  object_class->dispose = relance_window_dispose;
  object_class->finalize = relance_window_finalize;
  object_class->get_property = relance_window_get_property;
  object_class->set_property = relance_window_set_property;

  window_class->close_request = relance_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELANCE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);


  /* The resources are compiled into a static library: naming them here keeps their
   * objects, whose constructors register them, in every program that shows a window. */
  if (relance_get_resource () == NULL || relance_data_get_resource () == NULL)
    g_error ("The resources of Relance are missing from this build.");

  g_type_ensure (RELANCE_TYPE_INVOICES_PAGE);
  g_type_ensure (RELANCE_TYPE_CLIENTS_PAGE);
  g_type_ensure (RELANCE_TYPE_UPCOMING_PAGE);
  g_type_ensure (RELANCE_TYPE_DASHBOARD_PAGE);
  g_type_ensure (RELANCE_TYPE_BANK_PAGE);
  g_type_ensure (RELANCE_TYPE_TEMPLATES_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, invoices_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, clients_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, upcoming_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, bank_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceWindow, templates_page);

  gtk_widget_class_install_action (widget_class, "win.show-page", "u", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.ask-payment", "s", ask_payment_action);
  gtk_widget_class_install_action (widget_class, "win.new-invoice", NULL, new_invoice_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-invoice", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "u", i);
}

/* A build run uninstalled without GSETTINGS_SCHEMA_DIR has no schema: it then opens at
 * the default size instead of aborting in g_settings_new(). */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; the window size will not be kept.",
                 APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* Files dropped on the invoice list open the import preview, as if chosen in the file
 * chooser: one file, or one folder of e-invoices. */
static gboolean
invoices_drop_cb (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  RelanceWindow *self)
{
  GSList *files;

  if (self->store == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  gtk_window_present (GTK_WINDOW (relance_import_dialog_new (GTK_WINDOW (self), self->store,
                                                             files->data)));
  g_slist_free (files);
  return TRUE;
}

static void
relance_window_init (RelanceWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (invoices_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->invoices_page), GTK_EVENT_CONTROLLER (drop));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = settings_new_if_installed ();
  self->cancellable = g_cancellable_new ();
  paused_banner_init (self);
}

RelanceWindow *
relance_window_new (GtkApplication *application,
                    RelanceStore   *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || RELANCE_IS_STORE (store), NULL);

  return g_object_new (RELANCE_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

RelanceStore *
relance_window_get_store (RelanceWindow *self)
{
  g_return_val_if_fail (RELANCE_IS_WINDOW (self), NULL);
  return self->store;
}

GListModel *
relance_window_get_model (RelanceWindow *self)
{
  g_return_val_if_fail (RELANCE_IS_WINDOW (self), NULL);
  return relance_invoices_page_get_model (self->invoices_page);
}
