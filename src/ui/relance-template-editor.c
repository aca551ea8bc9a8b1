/* relance-template-editor.c: the editor of one reminder template.
 * (Over 800 lines: the checks as one types, the preview and the test send share one editor.)
 *
 * The subject and body are checked as the owner types (debounced): the first error shows
 * under the body with its LINE:COLUMN, the faulty tag is underlined, and Save stays
 * insensitive until the text parses (the store refuses a broken template anyway). The
 * preview renders the edited text, not the saved one, with the values of a real open
 * invoice; those values come from the planner (the step, penalties and grouping that
 * invoice would really get), computed in a worker thread on its own connection because
 * planning reads the whole store. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clock.h"
#include "relance-language.h"
#include "relance-names.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-store-clients.h"
#include "relance-template-editor.h"
#include "relance-template.h"
#include "relance-test-send.h"
#include "relance-ui-util.h"

#define CHECK_DELAY_MS    250
#define MAX_INVOICES      200

struct _RelanceTemplateEditor
{
  AdwBin                 parent_instance;

  RelanceStore          *store;
  GCancellable          *cancellable;
  char                  *key;
  char                  *language;
  char                  *saved_subject;
  char                  *saved_body;
  GPtrArray             *invoice_numbers;
  char                  *preview_number;
  RelanceTemplateValues *values;
  guint                  check_id;
  guint                  jobs;
  gboolean               valid;
  gboolean               updating;

  AdwComboRow           *key_row;
  GtkStringList         *key_list;
  AdwComboRow           *language_row;
  AdwEntryRow           *subject_row;
  GtkTextView           *body_view;
  GtkLabel              *error_label;
  GtkMenuButton         *insert_button;
  GtkButton             *save_button;
  AdwComboRow           *invoice_row;
  GtkStringList         *invoice_list;
  GtkLabel              *preview_subject;
  GtkLabel              *preview_body;
  GtkTextTag            *error_tag;
};

G_DEFINE_FINAL_TYPE (RelanceTemplateEditor, relance_template_editor, ADW_TYPE_BIN)

static const char *languages[] = { "en", "fr" };

static void schedule_check (RelanceTemplateEditor *self);
static void load_values    (RelanceTemplateEditor *self);

static char *
get_body (RelanceTemplateEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_dirty (RelanceTemplateEditor *self)
{
  g_autofree char *body = get_body (self);

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)),
                    self->saved_subject) != 0
         || g_strcmp0 (body, self->saved_body) != 0;
}

static void
update_actions (RelanceTemplateEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->key != NULL && self->valid && is_dirty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.revert", self->key != NULL);
}

static void
render_preview (RelanceTemplateEditor *self,
                RelanceTemplate       *subject_tpl,
                RelanceTemplate       *body_tpl)
{
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  if (self->values == NULL)
    {
      gtk_label_set_text (self->preview_subject, "");
      gtk_label_set_text (self->preview_body,
                          self->invoice_numbers->len == 0
                            ? _("Add an unpaid invoice to preview the template with it.")
                            : "");
      return;
    }
  relance_planner_render_values (subject_tpl, body_tpl, self->values, &subject, &body, NULL);
  gtk_label_set_text (self->preview_subject, subject);
  gtk_label_set_text (self->preview_body, body);
}

static void
check_now (RelanceTemplateEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  g_autofree char *body = get_body (self);
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  g_autoptr(RelanceTemplate) subject_tpl = NULL;
  g_autoptr(RelanceTemplate) body_tpl = NULL;
  g_autoptr(GError) subject_error = NULL;
  g_autoptr(GError) body_error = NULL;
  RelanceTemplatePosition position;
  GtkTextIter start, end;

  g_clear_handle_id (&self->check_id, g_source_remove);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->error_tag, &start, &end);

  subject_tpl = relance_template_parse (subject, &subject_error);
  body_tpl = relance_template_parse_full (body, &position, &body_error);

  if (subject_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->subject_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->subject_row), "error");

  if (body_error != NULL)
    {
      glong first = g_utf8_pointer_to_offset (body, body + position.offset);

      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) first);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) (first + MAX (position.length, 1)));
      gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
      gtk_label_set_text (self->error_label, body_error->message);
    }
  else if (subject_error != NULL)
    {
      /* Translators: %s is the reason, starting with LINE:COLUMN */
      g_autofree char *message = g_strdup_printf (_("Subject: %s"), subject_error->message);

      gtk_label_set_text (self->error_label, message);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label),
                          body_error != NULL || subject_error != NULL);

  self->valid = subject_tpl != NULL && body_tpl != NULL;
  if (self->valid)
    render_preview (self, subject_tpl, body_tpl);
  update_actions (self);
}

static gboolean
check_timeout (gpointer data)
{
  RelanceTemplateEditor *self = data;

  self->check_id = 0;
  check_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (RelanceTemplateEditor *self)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_timeout, self);
  update_actions (self);
}

static void
text_changed (RelanceTemplateEditor *self)
{
  if (!self->updating)
    schedule_check (self);
}

static void
set_texts (RelanceTemplateEditor *self,
           const char            *subject,
           const char            *body)
{
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject != NULL ? subject : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            body != NULL ? body : "", -1);
  self->updating = FALSE;
  check_now (self);
}

static void
toast (RelanceTemplateEditor *self,
       const char            *title)
{
  relance_widget_add_toast (GTK_WIDGET (self), adw_toast_new (title));
}

gboolean
relance_template_editor_save (RelanceTemplateEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RelanceTemplateText text = { 0 };

  g_return_val_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self), FALSE);

  check_now (self);
  if (self->store == NULL || self->key == NULL || !self->valid)
    return FALSE;

  body = get_body (self);
  text.key = self->key;
  text.language = self->language;
  text.subject = (char *) gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  text.body = body;
  if (!relance_store_save_template (self->store, &text, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_free (self->saved_subject);
  self->saved_subject = g_strdup (text.subject);
  g_free (self->saved_body);
  self->saved_body = g_steal_pointer (&body);
  update_actions (self);
  toast (self, _("Template saved"));
  return TRUE;
}

/* ---- send me a test ------------------------------------------------------------------ */

static void
send_test_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RelanceTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = relance_test_send_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.send-test", TRUE);
  if (address == NULL)
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Test"), error);
      return;
    }
  {
    /* Translators: a toast; %s is the owner's email address */
    g_autofree char *text = g_strdup_printf (_("Test sent to %s"), address);
    toast (self, text);
  }
}

/* The edited text (saved or not) rendered with the preview invoice's values, sent to the
 * owner's own address marked [TEST]; nothing is recorded as a reminder. */
static void
send_test_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (widget);
  g_autofree char *body = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autoptr(RelanceTemplate) subject_tpl = NULL;
  g_autoptr(RelanceTemplate) body_tpl = NULL;
  g_autoptr(GError) error = NULL;

  check_now (self);
  if (self->store == NULL || !self->valid || self->values == NULL)
    return;
  body = get_body (self);
  subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  if ((subject_tpl = relance_template_parse (subject, &error)) == NULL
      || (body_tpl = relance_template_parse (body, &error)) == NULL)
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Test"), error);
      return;
    }
  g_clear_pointer (&subject, g_free);
  relance_planner_render_values (subject_tpl, body_tpl, self->values, &subject, &text, &html);
  gtk_widget_action_set_enabled (widget, "editor.send-test", FALSE);
  relance_test_send_async (relance_store_get_path (self->store), subject, text, html,
                           self->cancellable, send_test_cb, g_object_ref (self));
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  relance_template_editor_save (RELANCE_TEMPLATE_EDITOR (widget));
}

static void
revert_response (AdwMessageDialog      *dialog,
                 const char            *response,
                 RelanceTemplateEditor *self)
{
  g_autoptr(RelanceTemplateText) shipped = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "revert") != 0 || self->key == NULL)
    return;
  shipped = relance_template_text_load_shipped (self->key, self->language, &error);
  if (shipped == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  set_texts (self, shipped->subject, shipped->body);
  relance_template_editor_save (self);
}

static void
revert_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (relance_widget_get_window (widget),
                                                       _("Revert to the Shipped Text?"),
                                                       _("This template goes back to the text "
                                                         "Relance comes with, and your "
                                                         "wording of it is lost.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "revert", _("_Revert"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "revert", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (revert_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
insert_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *tag = NULL;

  if (g_str_equal (name, "#" RELANCE_TEMPLATE_SECTION))
    tag = g_strdup ("{{#" RELANCE_TEMPLATE_SECTION "}}\n{{invoice.number}}\n{{/"
                    RELANCE_TEMPLATE_SECTION "}}\n");
  else
    tag = g_strdup_printf ("{{%s}}", name);
  gtk_text_buffer_insert_at_cursor (buffer, tag, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

static GMenuModel *
placeholder_menu (void)
{
  g_autoptr(GPtrArray) names = relance_template_list_names ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) all = g_menu_new ();
  g_autoptr(GMenu) loop = g_menu_new ();
  g_autoptr(GMenuItem) section = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *label = g_strdup_printf ("%s — {{%s}}",
                                                relance_template_describe_name (name), name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "editor.insert", "s", name);
      g_menu_append_item (all, item);
    }
  section = g_menu_item_new (_("Every invoice of the message — {{#invoices}}…{{/invoices}}"),
                             NULL);
  g_menu_item_set_action_and_target (section, "editor.insert", "s",
                                     "#" RELANCE_TEMPLATE_SECTION);
  g_menu_append_item (loop, section);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (all));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (loop));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* Worker jobs: everything they need is copied in, their own store is opened there. */
typedef struct
{
  char *path;
  char *number;
  char *language;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->number);
  g_free (job->language);
  g_free (job);
}

static void
list_invoices_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) invoices = NULL;

  if ((store = relance_store_open_quick (job->path, &error)) == NULL
      || (invoices = relance_store_list_invoices_to_preview (store, MAX_INVOICES,
                                                             &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Pairs: number, then "number — client". */
  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoice *invoice = g_ptr_array_index (invoices, i);

      g_ptr_array_add (rows, g_strdup (invoice->number));
      g_ptr_array_add (rows, g_strdup_printf ("%s — %s", invoice->number, invoice->client_name));
    }
  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

static void
values_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  RelanceTemplateValues *values;

  if ((store = relance_store_open_quick (job->path, &error)) == NULL
      || (values = relance_planner_preview_values (store, job->number, job->language, now,
                                                   &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, values, (GDestroyNotify) relance_template_values_free);
}

static void
values_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (object);
  g_autoptr(GError) error = NULL;
  RelanceTemplateValues *values = g_task_propagate_pointer (G_TASK (result), &error);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->jobs--;
  /* Only the answer for what is selected now counts: the owner may have moved on. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable
      || g_strcmp0 (job->number, self->preview_number) != 0
      || g_strcmp0 (job->language, self->language) != 0)
    {
      g_clear_pointer (&values, relance_template_values_free);
      return;
    }
  if (values == NULL)
    g_warning ("Could not prepare the preview: %s", error->message);
  g_clear_pointer (&self->values, relance_template_values_free);
  self->values = values;
  check_now (self);
}

static Job *
new_job (RelanceTemplateEditor *self)
{
  Job *job = g_new0 (Job, 1);

  job->path = g_strdup (relance_store_get_path (self->store));
  job->language = g_strdup (self->language);
  job->number = g_strdup (self->preview_number);
  return job;
}

static void
load_values (RelanceTemplateEditor *self)
{
  g_autoptr(GTask) task = NULL;

  g_clear_pointer (&self->values, relance_template_values_free);
  if (self->store == NULL || self->preview_number == NULL || self->language == NULL)
    {
      check_now (self);
      return;
    }
  task = g_task_new (self, self->cancellable, values_loaded, NULL);
  g_task_set_source_tag (task, load_values);
  g_task_set_task_data (task, new_job (self), (GDestroyNotify) job_free);
  self->jobs++;
  g_task_run_in_thread (task, values_thread);
}

static void
invoices_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->jobs--;
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  if (rows == NULL)
    {
      g_warning ("Could not list the invoices to preview: %s", error->message);
      return;
    }

  g_ptr_array_set_size (self->invoice_numbers, 0);
  for (guint i = 0; i + 1 < rows->len; i += 2)
    {
      if (g_strcmp0 (g_ptr_array_index (rows, i), self->preview_number) == 0)
        selected = i / 2;
      g_ptr_array_add (self->invoice_numbers, g_strdup (g_ptr_array_index (rows, i)));
      g_ptr_array_add (labels, g_ptr_array_index (rows, i + 1));
    }
  g_ptr_array_add (labels, NULL);

  self->updating = TRUE;
  gtk_string_list_splice (self->invoice_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->invoice_list)),
                          (const char * const *) labels->pdata);
  if (self->invoice_numbers->len > 0)
    adw_combo_row_set_selected (self->invoice_row, selected);
  self->updating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->invoice_row), self->invoice_numbers->len > 0);

  g_free (self->preview_number);
  self->preview_number = self->invoice_numbers->len > 0
                           ? g_strdup (g_ptr_array_index (self->invoice_numbers, selected))
                           : NULL;
  load_values (self);
}

static void
key_or_language_selected (RelanceTemplateEditor *self)
{
  guint key = adw_combo_row_get_selected (self->key_row);
  guint lang = adw_combo_row_get_selected (self->language_row);

  if (self->updating || key == GTK_INVALID_LIST_POSITION || lang >= G_N_ELEMENTS (languages))
    return;
  relance_template_editor_open (self, gtk_string_list_get_string (self->key_list, key),
                                languages[lang]);
}

static void
invoice_selected (RelanceTemplateEditor *self)
{
  guint position = adw_combo_row_get_selected (self->invoice_row);

  if (self->updating || position >= self->invoice_numbers->len)
    return;
  relance_template_editor_set_preview_invoice (self,
                                              g_ptr_array_index (self->invoice_numbers, position));
}

static void
relance_template_editor_dispose (GObject *object)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->check_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  g_clear_pointer (&self->values, relance_template_values_free);

  G_OBJECT_CLASS (relance_template_editor_parent_class)->dispose (object);
}

static void
relance_template_editor_finalize (GObject *object)
{
  RelanceTemplateEditor *self = RELANCE_TEMPLATE_EDITOR (object);

  g_free (self->key);
  g_free (self->language);
  g_free (self->saved_subject);
  g_free (self->saved_body);
  g_free (self->preview_number);
  g_ptr_array_unref (self->invoice_numbers);

  G_OBJECT_CLASS (relance_template_editor_parent_class)->finalize (object);
}

static void
relance_template_editor_class_init (RelanceTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_template_editor_dispose;
  object_class->finalize = relance_template_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, key_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, insert_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, invoice_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, invoice_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, preview_subject);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplateEditor, preview_body);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.revert", NULL, revert_activated);
  gtk_widget_class_install_action (widget_class, "editor.send-test", NULL, send_test_activated);
  gtk_widget_class_install_action (widget_class, "editor.insert", "s", insert_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

/* The selector lists the keys and shows their names. */
static char *
template_display_name (GtkStringObject *item,
                       gpointer         user_data)
{
  return g_strdup (relance_template_key_display_name (gtk_string_object_get_string (item)));
}

static void
relance_template_editor_init (RelanceTemplateEditor *self)
{
  g_autoptr(GMenuModel) menu = placeholder_menu ();
  g_autoptr(GtkExpression) expression = NULL;
  GtkTextBuffer *buffer;
  const char * const *keys = relance_template_shipped_keys ();

  self->invoice_numbers = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->body_view);
  self->error_tag = gtk_text_buffer_create_tag (buffer, "error",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                "underline-rgba", &(GdkRGBA) { 0.88f, 0.11f,
                                                                               0.14f, 1.0f },
                                                NULL);
  gtk_menu_button_set_menu_model (self->insert_button, menu);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->body_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Body"), -1);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                           G_CALLBACK (template_display_name), NULL, NULL);
  adw_combo_row_set_expression (self->key_row, expression);

  self->updating = TRUE;
  gtk_string_list_splice (self->key_list, 0, 0, keys);
  adw_combo_row_set_selected (self->language_row,
                              g_strcmp0 (relance_language_for_user (), "fr") == 0 ? 1 : 0);
  self->updating = FALSE;

  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (text_changed), self);
  g_signal_connect_swapped (self->subject_row, "changed", G_CALLBACK (text_changed), self);
  g_signal_connect_swapped (self->key_row, "notify::selected",
                            G_CALLBACK (key_or_language_selected), self);
  g_signal_connect_swapped (self->language_row, "notify::selected",
                            G_CALLBACK (key_or_language_selected), self);
  g_signal_connect_swapped (self->invoice_row, "notify::selected",
                            G_CALLBACK (invoice_selected), self);
  update_actions (self);
}

GtkWidget *
relance_template_editor_new (void)
{
  return g_object_new (RELANCE_TYPE_TEMPLATE_EDITOR, NULL);
}

void
relance_template_editor_set_store (RelanceTemplateEditor *self,
                                   RelanceStore          *store)
{
  g_return_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self));

  if (g_set_object (&self->store, store))
    relance_template_editor_reload (self);
}

void
relance_template_editor_open (RelanceTemplateEditor *self,
                              const char            *key,
                              const char            *language)
{
  g_autoptr(RelanceTemplateText) text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean language_changed;

  g_return_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (key != NULL && language != NULL);

  language_changed = g_strcmp0 (language, self->language) != 0;
  g_free (self->key);
  self->key = g_strdup (key);
  g_free (self->language);
  self->language = g_strdup (language);

  self->updating = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->key_list)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->key_list, i), key) == 0)
      adw_combo_row_set_selected (self->key_row, i);
  adw_combo_row_set_selected (self->language_row, g_str_equal (language, "fr") ? 1 : 0);
  self->updating = FALSE;

  if (self->store != NULL)
    text = relance_store_get_template (self->store, key, language, &error);
  if (text == NULL && error != NULL)
    g_warning ("Could not read the template %s (%s): %s", key, language, error->message);

  g_free (self->saved_subject);
  self->saved_subject = g_strdup (text != NULL ? text->subject : "");
  g_free (self->saved_body);
  self->saved_body = g_strdup (text != NULL ? text->body : "");
  set_texts (self, self->saved_subject, self->saved_body);

  /* Amounts and dates of the preview are formatted for the template's language. */
  if (language_changed)
    load_values (self);
}

void
relance_template_editor_reload (RelanceTemplateEditor *self)
{
  g_autoptr(GTask) task = NULL;
  guint key;

  g_return_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->jobs = 0;
  self->cancellable = g_cancellable_new ();

  key = adw_combo_row_get_selected (self->key_row);
  /* Unsaved edits survive a reload caused by another page's change. */
  if (self->key == NULL || !is_dirty (self))
    relance_template_editor_open (self,
                                  key != GTK_INVALID_LIST_POSITION
                                    ? gtk_string_list_get_string (self->key_list, key)
                                    : relance_template_shipped_keys ()[0],
                                  languages[MIN (adw_combo_row_get_selected (self->language_row),
                                                 G_N_ELEMENTS (languages) - 1)]);
  if (self->store == NULL)
    return;

  task = g_task_new (self, self->cancellable, invoices_loaded, NULL);
  g_task_set_source_tag (task, relance_template_editor_reload);
  g_task_set_task_data (task, new_job (self), (GDestroyNotify) job_free);
  self->jobs++;
  g_task_run_in_thread (task, list_invoices_thread);
}

void
relance_template_editor_set_preview_invoice (RelanceTemplateEditor *self,
                                             const char            *number)
{
  g_return_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self));

  if (g_strcmp0 (number, self->preview_number) == 0 && self->values != NULL)
    return;
  g_free (self->preview_number);
  self->preview_number = g_strdup (number);
  self->updating = TRUE;
  for (guint i = 0; i < self->invoice_numbers->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->invoice_numbers, i), number) == 0)
      adw_combo_row_set_selected (self->invoice_row, i);
  self->updating = FALSE;
  load_values (self);
}

gboolean
relance_template_editor_is_busy (RelanceTemplateEditor *self)
{
  g_return_val_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->jobs > 0 || self->check_id != 0;
}

char *
relance_template_editor_get_preview_text (RelanceTemplateEditor *self)
{
  g_return_val_if_fail (RELANCE_IS_TEMPLATE_EDITOR (self), NULL);
  return g_strdup_printf ("%s\n\n%s", gtk_label_get_text (self->preview_subject),
                          gtk_label_get_text (self->preview_body));
}
