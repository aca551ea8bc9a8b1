/* relance-import-dialog.c: importing a file (CSV, spreadsheet, e-invoices) with a preview
 * of what will happen: how the file is read, which column goes to which field, how dates
 * are read, the first rows and every error.
 * (Over 800 lines: the preview, the column choices and the import share one dialog's state.)
 *
 * Every read of the file is a dry run of relance_import_file() in a worker thread with
 * its own connection to the database, so the preview shows exactly what the import
 * would do (the same column detection, the same per-line errors). The real import runs
 * the same way; the core writes it in one transaction, so Cancel leaves the store as it
 * was. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-import-dialog.h"

/* A refused file can have thousands of bad rows: the list shows the first ones. */
#define MAX_ERRORS_SHOWN 50

struct _RelanceImportDialog
{
  AdwWindow            parent_instance;

  RelanceStore        *store;
  GFile               *file;
  RelanceImportKind    kind;
  GHashTable          *mapping;      /* field key → header, the user's overrides */
  RelanceImportReport *report;
  GCancellable        *cancellable;  /* of the running job, if any */
  guint                generation;   /* drops the answers of superseded dry runs */
  gboolean             dry_running;
  gboolean             importing;
  gboolean             updating_rows;
  gboolean             date_order_given; /* the user chose how dates are read */
  RelanceDateOrder     date_order;
  GPtrArray           *mapping_rows; /* AdwActionRow* in mapping_group */

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *import_button;
  GtkProgressBar      *progress_bar;
  GtkStack            *stack;
  GtkToggleButton     *invoices_toggle;
  GtkToggleButton     *clients_toggle;
  GtkWidget           *kind_box;
  GtkWidget           *busy_box;
  GtkSpinner          *spinner;
  GtkLabel            *summary_label;
  GtkWidget           *errors_box;
  GtkLabel            *errors_title;
  GtkListBox          *errors_list;
  AdwPreferencesGroup *file_group;
  AdwActionRow        *format_row;
  AdwActionRow        *date_order_row;
  GtkDropDown         *date_order_dropdown;
  AdwPreferencesGroup *mapping_group;
  GtkLabel            *ignored_label;
  GtkWidget           *preview_box;
  GtkGrid             *preview_grid;
  AdwStatusPage       *done_page;
};

G_DEFINE_FINAL_TYPE (RelanceImportDialog, relance_import_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  const char *key;
  const char *label;
  gboolean    invoices;
  gboolean    clients;
} FieldSpec;

/* The fields of relance-import.h, in the order a person reads an invoice. */
static const FieldSpec fields[] = {
  { "number", N_("Invoice number"), TRUE, FALSE },
  { "name", N_("Name"), FALSE, TRUE },
  { "client", N_("Client"), TRUE, FALSE },
  { "reference", N_("Client reference"), TRUE, TRUE },
  { "email", N_("Email"), TRUE, TRUE },
  { "cc", N_("Copy to"), FALSE, TRUE },
  { "phone", N_("Phone"), FALSE, TRUE },
  { "issue_date", N_("Issue date"), TRUE, FALSE },
  { "due_date", N_("Due date"), TRUE, FALSE },
  { "total", N_("Total"), TRUE, FALSE },
  { "paid", N_("Amount paid"), TRUE, FALSE },
  { "balance", N_("Still owed"), TRUE, FALSE },
  { "currency", N_("Currency"), TRUE, FALSE },
  { "status", N_("Status"), TRUE, FALSE },
  { "kind", N_("Customer type"), TRUE, TRUE },
  { "language", N_("Language"), TRUE, TRUE },
  { "street", N_("Address"), TRUE, TRUE },
  { "postcode", N_("Postcode"), TRUE, TRUE },
  { "city", N_("City"), TRUE, TRUE },
  { "country", N_("Country"), TRUE, TRUE },
  { "timezone", N_("Time zone"), FALSE, TRUE },
  { "segment", N_("Segment"), FALSE, TRUE },
  { "notes", N_("Notes"), TRUE, TRUE },
};

static void run_dry_run (RelanceImportDialog *self);

/* ---- jobs in a worker thread ------------------------------------------------------ */

typedef struct
{
  char                 *db_path;
  char                 *csv_path;
  RelanceImportOptions  options;
  guint                 generation;
  GMainContext         *context;
  GWeakRef              dialog;
  /* Progress handed to the main loop; only the latest value matters. */
  guint                 rows_done;
  guint                 rows_total;
  gint                  progress_pending;
} ImportJob;

typedef struct
{
  RelanceImportReport *report;
  GError              *error;
} ImportOutcome;

static void
import_job_free (ImportJob *job)
{
  g_free (job->db_path);
  g_free (job->csv_path);
  g_clear_pointer (&job->options.mapping, g_hash_table_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_weak_ref_clear (&job->dialog);
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

static gboolean
progress_idle (gpointer data)
{
  ImportJob *job = data;
  g_autoptr(RelanceImportDialog) self = g_weak_ref_get (&job->dialog);
  guint done = g_atomic_int_get (&job->rows_done);
  guint total = g_atomic_int_get (&job->rows_total);

  g_atomic_int_set (&job->progress_pending, 0);
  if (self != NULL && self->importing && total > 0)
    {
      g_autofree char *text = NULL;

      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
      /* Translators: progress of an import, e.g. "1200 of 100000 rows" */
      text = g_strdup_printf (_("%u of %u rows"), done, total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  return G_SOURCE_REMOVE;
}

/* Called in the worker thread: coalesces updates so the main loop gets at most one
 * pending callback at a time. */
static void
import_progress (guint    rows_done,
                 guint    rows_total,
                 gpointer user_data)
{
  ImportJob *job = user_data;

  g_atomic_int_set (&job->rows_done, rows_done);
  g_atomic_int_set (&job->rows_total, rows_total);
  if (g_atomic_int_compare_and_exchange (&job->progress_pending, 0, 1))
    g_main_context_invoke (job->context, progress_idle, job);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  ImportOutcome *outcome = g_new0 (ImportOutcome, 1);

  store = relance_store_open_quick (job->db_path, &outcome->error);
  if (store != NULL)
    relance_import_file (store, job->csv_path, &job->options,
                         job->options.dry_run ? NULL : import_progress, job, cancellable,
                         &outcome->report, &outcome->error);
  g_task_return_pointer (task, outcome, (GDestroyNotify) import_outcome_free);
}

static void
start_job (RelanceImportDialog *self,
           gboolean             dry_run,
           GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job = g_new0 (ImportJob, 1);
  GHashTableIter iter;
  gpointer key, value;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job->db_path = g_strdup (relance_store_get_path (self->store));
  job->csv_path = g_file_get_path (self->file);
  job->options.kind = self->kind;
  job->options.date_order = self->date_order;
  job->options.date_order_given = self->date_order_given;
  job->options.dry_run = dry_run;
  job->options.mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, self->mapping);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (job->options.mapping, g_strdup (key), g_strdup (value));
  job->generation = ++self->generation;
  job->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&job->dialog, self);

  task = g_task_new (self, self->cancellable, callback, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

/* ---- showing a report ------------------------------------------------------------- */

static void
clear_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_LIST_BOX (widget))
        gtk_list_box_remove (GTK_LIST_BOX (widget), child);
      else
        gtk_widget_unparent (child);
    }
}

static gboolean
field_applies (const FieldSpec   *spec,
               RelanceImportKind  kind)
{
  return kind == RELANCE_IMPORT_INVOICES ? spec->invoices : spec->clients;
}

/* "field=Header" of the report for @key, or NULL. */
static const char *
detected_header (RelanceImportReport *report,
                 const char          *key)
{
  gsize len = strlen (key);

  if (report == NULL)
    return NULL;
  for (guint i = 0; i < report->fields->len; i++)
    {
      const char *pair = g_ptr_array_index (report->fields, i);

      if (strncmp (pair, key, len) == 0 && pair[len] == '=')
        return pair + len + 1;
    }
  return NULL;
}

static void
mapping_selected_cb (GtkDropDown         *dropdown,
                     GParamSpec          *pspec,
                     RelanceImportDialog *self)
{
  const char *key = g_object_get_data (G_OBJECT (dropdown), "field");
  guint position = gtk_drop_down_get_selected (dropdown);
  GtkStringList *headers = GTK_STRING_LIST (gtk_drop_down_get_model (dropdown));

  if (self->updating_rows)
    return;
  /* The first item, "Detected", leaves the choice to the column detection. */
  relance_import_dialog_set_mapping (self, key,
                                     position == 0 || position == GTK_INVALID_LIST_POSITION
                                     ? NULL : gtk_string_list_get_string (headers, position));
}

static void
rebuild_mapping_rows (RelanceImportDialog *self,
                      const char * const  *headers)
{
  self->updating_rows = TRUE;

  for (guint i = 0; i < self->mapping_rows->len; i++)
    adw_preferences_group_remove (self->mapping_group, g_ptr_array_index (self->mapping_rows, i));
  g_ptr_array_set_size (self->mapping_rows, 0);

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      const char *current = detected_header (self->report, fields[f].key);
      g_autoptr(GtkStringList) model = NULL;
      GtkWidget *row;
      GtkWidget *dropdown;
      guint selected = 0;

      if (!field_applies (&fields[f], self->kind))
        continue;

      model = gtk_string_list_new (NULL);
      /* Translators: in the column chooser of an import, the choice of no column */
      gtk_string_list_append (model, C_("column", "Not in the file"));
      for (guint h = 0; headers != NULL && headers[h] != NULL; h++)
        {
          gtk_string_list_append (model, headers[h]);
          if (selected == 0 && g_strcmp0 (headers[h], current) == 0)
            selected = h + 1;
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[f].label));
      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&model)), NULL);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
      gtk_widget_set_name (dropdown, fields[f].key);
      g_object_set_data (G_OBJECT (dropdown), "field", (gpointer) fields[f].key);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (dropdown),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (mapping_selected_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
      adw_preferences_group_add (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
    }

  self->updating_rows = FALSE;
}

static void
fill_preview (RelanceImportDialog *self)
{
  GPtrArray *rows = self->report->preview_rows;

  clear_children (GTK_WIDGET (self->preview_grid));
  gtk_widget_set_visible (self->preview_box, rows->len > 0);
  for (guint r = 0; r < rows->len; r++)
    {
      char **values = g_ptr_array_index (rows, r);

      for (guint c = 0; values[c] != NULL; c++)
        {
          GtkWidget *label = gtk_label_new (values[c]);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          /* Record 0 is the header line. */
          if (r == 0)
            gtk_widget_add_css_class (label, "heading");
          gtk_grid_attach (self->preview_grid, label, (int) c, (int) r, 1, 1);
        }
    }
}

/* How the file was read: its kind, the tool recognised, where the header is; and how its
 * dates were read, which the user may change. */
static void
fill_file_rows (RelanceImportDialog *self)
{
  RelanceImportReport *report = self->report;
  g_autoptr(GString) format = g_string_new (NULL);

  if (report->sheet != NULL)
    /* Translators: %s is the name of a spreadsheet's sheet, as on its tab */
    g_string_printf (format, _("Spreadsheet, sheet “%s”"), report->sheet);
  else if (g_strcmp0 (report->encoding, "E-INVOICE") == 0)
    g_string_assign (format, _("E-invoices"));
  else
    /* Translators: %s is a text encoding such as UTF-8 */
    g_string_printf (format, _("CSV file (%s)"), report->encoding);
  if (report->profile != NULL)
    {
      g_string_append (format, " — ");
      /* Translators: %s is the name of an invoicing tool, such as Dolibarr */
      g_string_append_printf (format, _("recognised: %s export"), report->profile);
    }
  if (report->skipped_above_header > 0)
    {
      g_string_append (format, " — ");
      g_string_append_printf (format,
                              /* Translators: %u is a line number */
                              _("header on line %u"), report->header_line);
    }
  adw_action_row_set_subtitle (self->format_row, format->str);

  self->updating_rows = TRUE;
  gtk_drop_down_set_selected (self->date_order_dropdown,
                              report->date_order == RELANCE_DATE_ORDER_MDY ? 1 : 0);
  self->updating_rows = FALSE;
  adw_action_row_set_subtitle (self->date_order_row,
                               report->date_order_assumed && !self->date_order_given
                               ? _("No date in the file tells: read as in your company’s "
                                   "country")
                               : "");
  gtk_widget_set_visible (GTK_WIDGET (self->date_order_row),
                          self->kind == RELANCE_IMPORT_INVOICES);
}

static void
date_order_selected_cb (GtkDropDown         *dropdown,
                        GParamSpec          *pspec,
                        RelanceImportDialog *self)
{
  if (self->updating_rows)
    return;
  self->date_order_given = TRUE;
  self->date_order = gtk_drop_down_get_selected (dropdown) == 1 ? RELANCE_DATE_ORDER_MDY
                                                                  : RELANCE_DATE_ORDER_DMY;
  run_dry_run (self);
}

static void
fill_errors (RelanceImportDialog *self)
{
  GPtrArray *errors = self->report->errors;
  g_autofree char *title = NULL;

  clear_children (GTK_WIDGET (self->errors_list));
  gtk_widget_set_visible (self->errors_box, errors->len > 0);
  if (errors->len == 0)
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Error", "%u Errors", errors->len),
                           errors->len);
  gtk_label_set_label (self->errors_title, title);
  for (guint i = 0; i < errors->len && i < MAX_ERRORS_SHOWN; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (errors, i));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->errors_list, label);
    }
  if (errors->len > MAX_ERRORS_SHOWN)
    {
      g_autofree char *more = NULL;
      GtkWidget *label;
      guint n = errors->len - MAX_ERRORS_SHOWN;

      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more error.",
                                           "And %u more errors.", n), n);
      label = gtk_label_new (more);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->errors_list, label);
    }
}

static void
update_sensitivity (RelanceImportDialog *self)
{
  gboolean busy = self->dry_running || self->importing;
  gboolean clean = self->report != NULL && self->report->errors->len == 0
                   && self->report->n_rows > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy && clean);
  gtk_widget_set_sensitive (self->kind_box, !self->importing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mapping_group), !self->importing);
  gtk_widget_set_visible (self->busy_box, self->dry_running);
  gtk_spinner_set_spinning (self->spinner, self->dry_running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->importing);
}

static void
show_report (RelanceImportDialog *self,
             GError              *error)
{
  g_autofree char *summary = NULL;

  if (self->report == NULL)
    {
      /* The file itself could not be read: there is nothing to map or preview. */
      gtk_label_set_label (self->summary_label, error != NULL ? error->message : "");
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
      gtk_widget_set_visible (self->errors_box, FALSE);
      gtk_widget_set_visible (self->preview_box, FALSE);
      rebuild_mapping_rows (self, NULL);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  if (self->report->errors->len == 0)
    {
      guint to_create = self->report->created;
      guint to_update = self->report->updated + self->report->unchanged;

      /* Translators: the outcome of a dry run; the first %u is a number of rows */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u row is ready: %u new, %u already known.",
                                              "%u rows are ready: %u new, %u already known.",
                                              self->report->n_rows),
                                 self->report->n_rows, to_create, to_update);
    }
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row read.", "%u rows read.",
                                            self->report->n_rows),
                               self->report->n_rows);
  gtk_label_set_label (self->summary_label, summary);

  fill_file_rows (self);
  fill_errors (self);
  fill_preview (self);
  rebuild_mapping_rows (self,
                        self->report->preview_rows->len > 0
                        ? g_ptr_array_index (self->report->preview_rows, 0) : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->ignored_label),
                          self->report->ignored_columns->len > 0);
  if (self->report->ignored_columns->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *text = NULL;

      g_ptr_array_add (self->report->ignored_columns, NULL);
      names = g_strjoinv (", ", (char **) self->report->ignored_columns->pdata);
      g_ptr_array_remove_index (self->report->ignored_columns,
                                self->report->ignored_columns->len - 1);
      /* Translators: %s is a list of column headers */
      text = g_strdup_printf (_("Columns not imported: %s."), names);
      gtk_label_set_label (self->ignored_label, text);
    }
}

static void
dry_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RelanceImportDialog *self = RELANCE_IMPORT_DIALOG (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(ImportOutcome) outcome = g_task_propagate_pointer (G_TASK (result), NULL);

  if (outcome == NULL || job->generation != self->generation)
    return;

  self->dry_running = FALSE;
  g_clear_pointer (&self->report, relance_import_report_free);
  self->report = g_steal_pointer (&outcome->report);
  show_report (self, outcome->error);
  update_sensitivity (self);
}

static void
run_dry_run (RelanceImportDialog *self)
{
  if (self->importing)
    return;
  self->dry_running = TRUE;
  update_sensitivity (self);
  start_job (self, TRUE, dry_run_cb);
}

/* ---- the import itself ------------------------------------------------------------ */

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RelanceImportDialog *self = RELANCE_IMPORT_DIALOG (object);
  g_autoptr(ImportOutcome) outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autofree char *description = NULL;
  RelanceImportReport *report;

  self->importing = FALSE;
  gtk_button_set_label (self->cancel_button, _("_Cancel"));
  update_sensitivity (self);
  if (outcome == NULL)
    return;

  if (outcome->error != NULL)
    {
      /* Cancelled or refused: the core wrote nothing; show why and offer to try again. */
      if (g_error_matches (outcome->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->summary_label,
                             _("The import was cancelled. Nothing was written."));
      else
        {
          g_autofree char *text = g_strdup_printf ("%s %s", outcome->error->message,
                                                   _("Nothing was written."));
          gtk_label_set_label (self->summary_label, text);
        }
      if (outcome->report != NULL && outcome->report->errors->len > 0)
        {
          g_clear_pointer (&self->report, relance_import_report_free);
          self->report = g_steal_pointer (&outcome->report);
          fill_errors (self);
        }
      update_sensitivity (self);
      return;
    }

  report = outcome->report;
  if (self->kind == RELANCE_IMPORT_INVOICES)
    /* Translators: the outcome of an import of invoices */
    description = g_strdup_printf (_("Invoices: %u added, %u updated, %u unchanged. "
                                     "Clients added on the way: %u."),
                                   report->created, report->updated, report->unchanged,
                                   report->clients_created);
  else
    /* Translators: the outcome of an import of clients */
    description = g_strdup_printf (_("Clients: %u added, %u updated, %u unchanged."),
                                   report->created, report->updated, report->unchanged);
  adw_status_page_set_description (self->done_page, description);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  g_clear_pointer (&self->report, relance_import_report_free);
  self->report = g_steal_pointer (&outcome->report);
}

void
relance_import_dialog_import (RelanceImportDialog *self)
{
  g_return_if_fail (RELANCE_IS_IMPORT_DIALOG (self));

  if (self->importing || self->dry_running || self->report == NULL
      || self->report->errors->len > 0 || self->report->n_rows == 0)
    return;

  self->importing = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Importing…"));
  /* Translators: the Cancel button while an import runs */
  gtk_button_set_label (self->cancel_button, _("_Stop"));
  update_sensitivity (self);
  start_job (self, FALSE, import_cb);
}

static void
cancel_clicked_cb (RelanceImportDialog *self)
{
  if (self->importing)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
kind_toggled_cb (RelanceImportDialog *self)
{
  relance_import_dialog_set_kind (self,
                                  gtk_toggle_button_get_active (self->invoices_toggle)
                                  ? RELANCE_IMPORT_INVOICES : RELANCE_IMPORT_CLIENTS);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
relance_import_dialog_dispose (GObject *object)
{
  RelanceImportDialog *self = RELANCE_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELANCE_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (relance_import_dialog_parent_class)->dispose (object);
}

static void
relance_import_dialog_finalize (GObject *object)
{
  RelanceImportDialog *self = RELANCE_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mapping, g_hash_table_unref);
  g_clear_pointer (&self->report, relance_import_report_free);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (relance_import_dialog_parent_class)->finalize (object);
}

static void
relance_import_dialog_class_init (RelanceImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_import_dialog_dispose;
  object_class->finalize = relance_import_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, invoices_toggle);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, clients_toggle);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, kind_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, busy_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, errors_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, errors_title);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, errors_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, file_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, date_order_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, ignored_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, preview_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, RelanceImportDialog, done_page);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_order_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, relance_import_dialog_import);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relance_import_dialog_init (RelanceImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->kind = RELANCE_IMPORT_INVOICES;
  self->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->mapping_rows = g_ptr_array_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->import_button));
}

RelanceImportDialog *
relance_import_dialog_new (GtkWindow    *parent,
                           RelanceStore *store,
                           GFile        *file)
{
  RelanceImportDialog *self;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (RELANCE_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  basename = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, basename);
  run_dry_run (self);
  return self;
}

RelanceImportKind
relance_import_dialog_get_kind (RelanceImportDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_IMPORT_DIALOG (self), RELANCE_IMPORT_INVOICES);
  return self->kind;
}

void
relance_import_dialog_set_kind (RelanceImportDialog *self,
                                RelanceImportKind    kind)
{
  g_return_if_fail (RELANCE_IS_IMPORT_DIALOG (self));

  if (self->importing || kind == self->kind)
    return;
  self->kind = kind;
  /* The two kinds have different fields: earlier overrides would name unknown ones. */
  g_hash_table_remove_all (self->mapping);
  gtk_toggle_button_set_active (kind == RELANCE_IMPORT_INVOICES ? self->invoices_toggle
                                                                : self->clients_toggle, TRUE);
  run_dry_run (self);
}

void
relance_import_dialog_set_mapping (RelanceImportDialog *self,
                                   const char          *field,
                                   const char          *header)
{
  g_return_if_fail (RELANCE_IS_IMPORT_DIALOG (self));
  g_return_if_fail (field != NULL);

  if (self->importing)
    return;
  if (header == NULL)
    g_hash_table_remove (self->mapping, field);
  else
    g_hash_table_replace (self->mapping, g_strdup (field), g_strdup (header));
  run_dry_run (self);
}

gboolean
relance_import_dialog_is_busy (RelanceImportDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_IMPORT_DIALOG (self), FALSE);
  return self->dry_running || self->importing;
}

const RelanceImportReport *
relance_import_dialog_get_report (RelanceImportDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_IMPORT_DIALOG (self), NULL);
  return self->report;
}
