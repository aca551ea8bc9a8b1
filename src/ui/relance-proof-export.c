/* relance-proof-export.c: exporting the proof dossier from a timeline.
 *
 * The dossier decodes every stored message, which can take a while for a client with
 * years of reminders: it is built in a worker thread with its own store connection, and
 * the outcome comes back to the main loop. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-proof.h"
#include "relance-proof-export.h"
#include "relance-ui-util.h"

typedef struct
{
  GtkWidget *widget;
  char      *database_path;
  char      *invoice_number;
  char      *client;
  GFile     *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->widget);
  g_free (job->database_path);
  g_free (job->invoice_number);
  g_free (job->client);
  g_clear_object (&job->file);
  g_free (job);
}

static ExportJob *
export_job_new (GtkWidget    *widget,
                const char   *database_path,
                const char   *invoice_number,
                const char   *client)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->widget = g_object_ref (widget);
  job->database_path = g_strdup (database_path);
  job->invoice_number = g_strdup (invoice_number);
  job->client = g_strdup (client);
  return job;
}

static gboolean
is_csv (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, ".csv");
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  store = relance_store_open_quick (job->database_path, &error);
  if (store != NULL)
    bytes = is_csv (job->file)
            ? relance_proof_to_csv (store, job->invoice_number, job->client, &error)
            : relance_proof_to_pdf (store, job->invoice_number, job->client, &error);
  if (bytes != NULL
      && g_file_replace_contents (job->file, g_bytes_get_data (bytes, NULL),
                                  g_bytes_get_size (bytes), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable,
                                  &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      relance_show_error_dialog (job->widget, _("Could Not Export the Proof"), error);
      return;
    }
  relance_widget_add_toast (job->widget, adw_toast_new (_("Proof exported")));
}

void
relance_proof_export_to_file (GtkWidget    *widget,
                              RelanceStore *store,
                              const char   *invoice_number,
                              const char   *client,
                              GFile        *file)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (RELANCE_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  job = export_job_new (widget, relance_store_get_path (store), invoice_number, client);
  job->file = g_object_ref (file);
  task = g_task_new (NULL, NULL, export_done_cb, NULL);
  g_task_set_source_tag (task, relance_proof_export_to_file);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
add_filters (GListStore *filters)
{
  g_autoptr(GtkFileFilter) pdf = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  gtk_file_filter_set_name (pdf, _("PDF Documents"));
  gtk_file_filter_add_mime_type (pdf, "application/pdf");
  gtk_file_filter_add_suffix (pdf, "pdf");
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  g_list_store_append (filters, pdf);
  g_list_store_append (filters, csv);
}

static char *
suggested_name (const char *invoice_number,
                const char *client)
{
  /* Translators: the file name suggested for a proof export, %s is an invoice number or
   * a client's name; keep it free of slashes */
  g_autofree char *name = g_strdup_printf (_("proof-%s.pdf"),
                                           invoice_number != NULL ? invoice_number : client);

  return g_strdelimit (g_steal_pointer (&name), "/\\", '-');
}

/* The file chosen for @job (NULL: none), exported in a worker thread on its own
 * connection to the same database. */
static void
export_chosen (ExportJob *job,
               GFile     *file)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *copy;

  if (file == NULL)
    return;
  copy = export_job_new (job->widget, job->database_path, job->invoice_number, job->client);
  copy->file = g_object_ref (file);
  task = g_task_new (NULL, NULL, export_done_cb, NULL);
  g_task_set_source_tag (task, export_chosen);
  g_task_set_task_data (task, copy, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ExportJob *job = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, NULL);

  export_chosen (job, file);
  export_job_free (job);
}

void
relance_proof_export_choose (GtkWidget    *widget,
                             RelanceStore *store,
                             const char   *invoice_number,
                             const char   *client)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autofree char *name = suggested_name (invoice_number, client);

  add_filters (filters);
  gtk_file_dialog_set_title (dialog, _("Export Proof"));
  gtk_file_dialog_set_accept_label (dialog, _("_Export"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_save (dialog, relance_widget_get_window (widget), NULL, save_cb,
                        export_job_new (widget, relance_store_get_path (store), invoice_number, client));
}
#else
static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     ExportJob       *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      export_chosen (job, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
relance_proof_export_choose (GtkWidget    *widget,
                             RelanceStore *store,
                             const char   *invoice_number,
                             const char   *client)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autofree char *name = suggested_name (invoice_number, client);
  GtkFileChooserNative *chooser;

  /* GtkFileChooserNative goes through the file chooser portal inside Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Export Proof"),
                                         relance_widget_get_window (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (filters);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (filters)); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (G_LIST_MODEL (filters), i);

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_data (chooser, "response", G_CALLBACK (chooser_response_cb),
                         export_job_new (widget, relance_store_get_path (store), invoice_number, client),
                         (GClosureNotify) (void (*) (void)) export_job_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif
