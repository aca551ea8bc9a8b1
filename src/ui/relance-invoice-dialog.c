/* relance-invoice-dialog.c: the dialog that adds or edits an invoice.
 *
 * Each field is checked with the same parsers as the import (relance_money_parse,
 * relance_date_parse) as the user types, and the reason a value is refused is written
 * right under its field; Save stays insensitive until every field is valid, so the store
 * never sees a value the import would have refused. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-invoice-dialog.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-ui-util.h"

typedef enum
{
  FIELD_NUMBER,
  FIELD_NEW_CLIENT,
  FIELD_ISSUE,
  FIELD_DUE,
  FIELD_TOTAL,
  FIELD_CURRENCY,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  "number", "new-client", "issue", "due", "total", "currency",
};

struct _RelanceInvoiceDialog
{
  AdwWindow       parent_instance;

  RelanceStore   *store;
  RelanceInvoice *invoice;     /* the copy being edited, id 0 for a new one */
  GArray         *client_ids;  /* gint64, as the drop-down's items */

  GtkWidget      *entries[N_FIELDS];
  GtkLabel       *errors[N_FIELDS];
  GtkDropDown    *client_drop_down;
  GtkWidget      *save_button;
};

G_DEFINE_FINAL_TYPE (RelanceInvoiceDialog, relance_invoice_dialog, ADW_TYPE_WINDOW)

static const char *
field_text (RelanceInvoiceDialog *self,
            Field                 field)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->entries[field]));
}

static void
set_field_error (RelanceInvoiceDialog *self,
                 Field                 field,
                 const char           *message)
{
  gboolean shown = message != NULL;

  gtk_label_set_text (self->errors[field], shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->errors[field]), shown);
  if (shown)
    gtk_widget_add_css_class (self->entries[field], "error");
  else
    gtk_widget_remove_css_class (self->entries[field], "error");
}

/* Checks every field; fills @out when all are valid. An empty field the user has not
 * reached yet blocks Save without a message. */
static gboolean
validate (RelanceInvoiceDialog *self,
          RelanceInvoice       *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  const char *number = g_strstrip (g_strdup (field_text (self, FIELD_NUMBER)));
  const char *code = field_text (self, FIELD_CURRENCY);
  gboolean valid = TRUE;
  GDate issue, due;
  gint64 total = 0;

  /* Number: required, and unique among invoices. */
  if (*number == '\0')
    {
      set_field_error (self, FIELD_NUMBER, NULL);
      valid = FALSE;
    }
  else if (g_strcmp0 (number, self->invoice->number) != 0)
    {
      g_autoptr(RelanceInvoice) existing = relance_store_get_invoice (self->store, number, NULL);

      if (existing != NULL)
        {
          set_field_error (self, FIELD_NUMBER, _("Another invoice already has this number."));
          valid = FALSE;
        }
      else
        set_field_error (self, FIELD_NUMBER, NULL);
    }
  else
    set_field_error (self, FIELD_NUMBER, NULL);

  /* Client: one from the list, or a new name. */
  if (*field_text (self, FIELD_NEW_CLIENT) == '\0' &&
      gtk_drop_down_get_selected (self->client_drop_down) == GTK_INVALID_LIST_POSITION)
    {
      set_field_error (self, FIELD_NEW_CLIENT, _("Choose a client, or type the name of a new one."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_NEW_CLIENT, NULL);

  /* Currency first: the total is read in it. */
  if (!relance_currency_is_known (code))
    {
      set_field_error (self, FIELD_CURRENCY,
                       *code == '\0' ? NULL : _("Enter a currency code such as EUR, GBP or USD."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_CURRENCY, NULL);

  g_date_clear (&issue, 1);
  g_date_clear (&due, 1);
  if (*field_text (self, FIELD_ISSUE) == '\0')
    {
      set_field_error (self, FIELD_ISSUE, NULL);
      valid = FALSE;
    }
  else if (!relance_date_parse (field_text (self, FIELD_ISSUE), RELANCE_DATE_ORDER_DMY, &issue,
                                &error))
    {
      set_field_error (self, FIELD_ISSUE, error->message);
      g_clear_error (&error);
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_ISSUE, NULL);

  if (*field_text (self, FIELD_DUE) == '\0')
    {
      set_field_error (self, FIELD_DUE, NULL);
      valid = FALSE;
    }
  else if (!relance_date_parse (field_text (self, FIELD_DUE), RELANCE_DATE_ORDER_DMY, &due,
                                &error))
    {
      set_field_error (self, FIELD_DUE, error->message);
      g_clear_error (&error);
      valid = FALSE;
    }
  else if (g_date_valid (&issue) && g_date_compare (&due, &issue) < 0)
    {
      set_field_error (self, FIELD_DUE, _("The due date cannot come before the issue date."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_DUE, NULL);

  if (*field_text (self, FIELD_TOTAL) == '\0')
    {
      set_field_error (self, FIELD_TOTAL, NULL);
      valid = FALSE;
    }
  else if (!relance_money_parse (field_text (self, FIELD_TOTAL),
                                 relance_currency_is_known (code) ? code : "EUR",
                                 relance_money_guess_hint (field_text (self, FIELD_TOTAL)),
                                 &total, &currency, &error))
    {
      set_field_error (self, FIELD_TOTAL, error->message);
      g_clear_error (&error);
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_TOTAL, NULL);

  if (valid && out != NULL)
    {
      g_free (out->number);
      out->number = g_strdup (number);
      out->issue_date = issue;
      out->due_date = due;
      out->total = total;
      g_free (out->currency);
      out->currency = g_strdup (currency != NULL ? currency : code);
    }
  g_free ((char *) number);
  return valid;
}

static void
field_changed_cb (RelanceInvoiceDialog *self)
{
  gtk_widget_set_sensitive (self->save_button, validate (self, NULL));
}

static gboolean
save (RelanceInvoiceDialog  *self,
      GError               **error)
{
  const char *new_client = field_text (self, FIELD_NEW_CLIENT);

  if (!validate (self, self->invoice))
    return FALSE;

  if (self->invoice->status == NULL)
    self->invoice->status = g_strdup ("open");
  if (*new_client != '\0')
    {
      RelanceClient client = { 0 };
      g_autofree char *name = g_strstrip (g_strdup (new_client));

      client.name = name;
      client.language = (char *) relance_language_for_user ();
      client.kind = (char *) "business";
      client.segment = (char *) "regular";
      /* Both or neither: a refused invoice leaves no client behind. */
      return relance_store_save_invoice_for_new_client (self->store, self->invoice, &client,
                                                        error);
    }
  self->invoice->client_id = g_array_index (self->client_ids, gint64,
                                            gtk_drop_down_get_selected (self->client_drop_down));
  return relance_store_save_invoice (self->store, self->invoice, error);
}

static void
save_clicked_cb (RelanceInvoiceDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!save (self, &error))
    {
      if (error != NULL)
        relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Save the Invoice"), error);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static GtkWidget *
add_field (RelanceInvoiceDialog *self,
           GtkBox               *box,
           Field                 field,
           const char           *title,
           GtkWidget            *row)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  if (row == NULL)
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (field_changed_cb), self);
      self->entries[field] = row;
    }
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (group), list);

  if (field < N_FIELDS)
    {
      gtk_label_set_xalign (GTK_LABEL (error_label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
      gtk_widget_set_margin_start (error_label, 12);
      gtk_widget_add_css_class (error_label, "error");
      gtk_widget_add_css_class (error_label, "caption");
      gtk_widget_set_visible (error_label, FALSE);
      gtk_box_append (GTK_BOX (group), error_label);
      self->errors[field] = GTK_LABEL (error_label);
    }
  gtk_box_append (box, group);
  return row;
}

static char *
client_name_of (GtkStringObject *item)
{
  return g_strdup (gtk_string_object_get_string (item));
}

static GtkWidget *
client_row_new (RelanceInvoiceDialog *self)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  GtkExpression *expression;
  GtkWidget *row = adw_action_row_new ();
  guint selected = GTK_INVALID_LIST_POSITION;

  clients = relance_store_list_clients (self->store, &error);
  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      RelanceClient *client = g_ptr_array_index (clients, i);

      gtk_string_list_append (names, client->name);
      g_array_append_val (self->client_ids, client->id);
      if (client->id == self->invoice->client_id)
        selected = i;
    }

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (client_name_of), NULL, NULL);
  self->client_drop_down = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (G_LIST_MODEL (names)),
                                                             expression));
  gtk_drop_down_set_enable_search (self->client_drop_down, TRUE);
  gtk_drop_down_set_selected (self->client_drop_down, selected);
  gtk_widget_set_valign (GTK_WIDGET (self->client_drop_down), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (self->client_drop_down), FALSE);
  g_signal_connect_swapped (self->client_drop_down, "notify::selected",
                            G_CALLBACK (field_changed_cb), self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Client"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->client_drop_down));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row),
                                         GTK_WIDGET (self->client_drop_down));
  return row;
}

static void
relance_invoice_dialog_finalize (GObject *object)
{
  RelanceInvoiceDialog *self = RELANCE_INVOICE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->invoice, relance_invoice_free);
  g_clear_pointer (&self->client_ids, g_array_unref);

  G_OBJECT_CLASS (relance_invoice_dialog_parent_class)->finalize (object);
}

static void
relance_invoice_dialog_class_init (RelanceInvoiceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = relance_invoice_dialog_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relance_invoice_dialog_init (RelanceInvoiceDialog *self)
{
  self->client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
build (RelanceInvoiceDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header_bar = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *fields = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gboolean editing = self->invoice->id != 0;

  gtk_window_set_title (GTK_WINDOW (self), editing ? _("Edit Invoice") : _("New Invoice"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 640);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header_bar), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header_bar), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header_bar), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), self->save_button);
  gtk_box_append (GTK_BOX (box), header_bar);

  gtk_widget_set_margin_start (fields, 12);
  gtk_widget_set_margin_end (fields, 12);
  gtk_widget_set_margin_top (fields, 18);
  gtk_widget_set_margin_bottom (fields, 18);

  /* Translators: a field of the invoice dialog */
  add_field (self, GTK_BOX (fields), FIELD_NUMBER, _("Invoice Number"), NULL);
  add_field (self, GTK_BOX (fields), N_FIELDS, NULL, client_row_new (self));
  /* Translators: a field of the invoice dialog, used instead of choosing a client */
  add_field (self, GTK_BOX (fields), FIELD_NEW_CLIENT, _("Or a New Client’s Name"), NULL);
  /* Translators: a field of the invoice dialog; dates are typed as 31/12/2026 */
  add_field (self, GTK_BOX (fields), FIELD_ISSUE, _("Issue Date (DD/MM/YYYY)"), NULL);
  add_field (self, GTK_BOX (fields), FIELD_DUE, _("Due Date (DD/MM/YYYY)"), NULL);
  /* Translators: a field of the invoice dialog: the amount, taxes included */
  add_field (self, GTK_BOX (fields), FIELD_TOTAL, _("Total"), NULL);
  add_field (self, GTK_BOX (fields), FIELD_CURRENCY, _("Currency"), NULL);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), fields);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
fill (RelanceInvoiceDialog *self)
{
  g_autofree char *issue = NULL;
  g_autofree char *due = NULL;
  g_autofree char *total = NULL;

  if (self->invoice->number != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entries[FIELD_NUMBER]), self->invoice->number);
  if (g_date_valid (&self->invoice->issue_date))
    issue = relance_date_to_iso (&self->invoice->issue_date);
  if (g_date_valid (&self->invoice->due_date))
    due = relance_date_to_iso (&self->invoice->due_date);
  if (self->invoice->id != 0)
    total = relance_money_to_decimal (self->invoice->total, self->invoice->currency);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[FIELD_ISSUE]), issue != NULL ? issue : "");
  gtk_editable_set_text (GTK_EDITABLE (self->entries[FIELD_DUE]), due != NULL ? due : "");
  gtk_editable_set_text (GTK_EDITABLE (self->entries[FIELD_TOTAL]), total != NULL ? total : "");
  gtk_editable_set_text (GTK_EDITABLE (self->entries[FIELD_CURRENCY]),
                         self->invoice->currency != NULL ? self->invoice->currency : "EUR");
  field_changed_cb (self);
}

RelanceInvoiceDialog *
relance_invoice_dialog_new (GtkWindow            *parent,
                            RelanceStore         *store,
                            const RelanceInvoice *invoice)
{
  RelanceInvoiceDialog *self;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  self = g_object_new (RELANCE_TYPE_INVOICE_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->invoice = g_new0 (RelanceInvoice, 1);
  g_date_clear (&self->invoice->issue_date, 1);
  g_date_clear (&self->invoice->due_date, 1);
  g_date_clear (&self->invoice->promise_date, 1);
  if (invoice != NULL)
    {
      self->invoice->id = invoice->id;
      self->invoice->number = g_strdup (invoice->number);
      self->invoice->client_id = invoice->client_id;
      self->invoice->issue_date = invoice->issue_date;
      self->invoice->due_date = invoice->due_date;
      self->invoice->total = invoice->total;
      self->invoice->currency = g_strdup (invoice->currency);
      self->invoice->status = g_strdup (invoice->status);
      self->invoice->promise_date = invoice->promise_date;
      self->invoice->notes = g_strdup (invoice->notes);
    }
  else
    {
      g_autoptr(RelanceCompany) company = relance_store_get_company (store, NULL);

      if (company != NULL)
        self->invoice->currency = g_strdup (company->currency);
    }
  build (self);
  fill (self);
  return self;
}

GtkWidget *
relance_invoice_dialog_get_field (RelanceInvoiceDialog *self,
                                  const char           *name)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_DIALOG (self), NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_strcmp0 (name, field_names[i]) == 0)
      return self->entries[i];
  return NULL;
}

GtkLabel *
relance_invoice_dialog_get_error_label (RelanceInvoiceDialog *self,
                                        const char           *name)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_DIALOG (self), NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_strcmp0 (name, field_names[i]) == 0)
      return self->errors[i];
  return NULL;
}

GtkWidget *
relance_invoice_dialog_get_save_button (RelanceInvoiceDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_DIALOG (self), NULL);
  return self->save_button;
}
