/* relance-invoice-view.c: one invoice's own page.
 *
 * Everything here reads and writes through the store on the main thread: one invoice,
 * its payments and its reminders are a handful of rows. Each change is announced by the
 * store, and the Invoices page (this view with it) and the others read it again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-invoice-dialog.h"
#include "relance-invoice-object.h"
#include "relance-bank-store.h"
#include "relance-invoice-timeline.h"
#include "relance-invoice-view.h"
#include "relance-language.h"
#include "relance-letter.h"
#include "relance-money.h"
#include "relance-proof-export.h"
#include "relance-store-inbox.h"
#include "relance-ui-util.h"

struct _RelanceInvoiceView
{
  AdwBin          parent_instance;

  RelanceStore   *store;
  RelanceInvoice *invoice;

  /* Template widgets */
  GtkLabel       *title_label;
  GtkListBox     *details_list;
  GtkListBox     *payments_list;
  GtkListBox     *timeline_list;
  GtkButton      *dispute_button;
  AdwActionRow   *dispute_row;
  GtkButton      *cancel_button;
  AdwActionRow   *cancel_row;
  AdwActionRow   *notice_row;
  GtkButton      *print_button;
  GtkButton      *export_button;
};

G_DEFINE_FINAL_TYPE (RelanceInvoiceView, relance_invoice_view, ADW_TYPE_BIN)

enum {
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_detail (RelanceInvoiceView *self,
            const char         *title,
            const char         *value)
{
  GtkWidget *row = adw_action_row_new ();

  /* The value is the user's text ("Lefèvre & Associés"): never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL ? value : "");
  gtk_list_box_append (self->details_list, row);
}

static char *
format_date (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup (C_("date", "None"));
  return relance_date_format (date, relance_language_for_user ());
}

/* Translators: shown where the formal-notice letter is printed, when the client has no
 * postal address (the letter then shows only the name and email address) */
static const char no_address_warning[] =
  N_("The client has no postal address: this letter cannot be posted as it is. Add the "
     "address in the client’s details.");

static void
fill (RelanceInvoiceView *self)
{
  const char *language = relance_language_for_user ();
  const char *state = relance_invoice_get_state (self->invoice);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *issued = format_date (&self->invoice->issue_date);
  g_autofree char *due = format_date (&self->invoice->due_date);
  g_autofree char *promise = format_date (&self->invoice->promise_date);
  g_autofree char *total = relance_money_format (self->invoice->total, self->invoice->currency,
                                                 language);
  g_autofree char *outstanding =
    relance_money_format (relance_invoice_get_outstanding (self->invoice),
                          self->invoice->currency, language);
  g_autofree char *title = NULL;
  gboolean disputed = g_strcmp0 (self->invoice->status, "disputed") == 0;
  gboolean cancelled = g_strcmp0 (self->invoice->status, "cancelled") == 0;

  /* Translators: the title of an invoice's page, %s is its number */
  title = g_strdup_printf (_("Invoice %s"), self->invoice->number);
  gtk_label_set_text (self->title_label, title);

  relance_list_box_remove_all (self->details_list);
  add_detail (self, _("Client"), self->invoice->client_name);
  add_detail (self, _("Status"), relance_invoice_state_to_label (state));
  add_detail (self, _("Issued"), issued);
  add_detail (self, _("Due"), due);
  add_detail (self, _("Total"), total);
  add_detail (self, _("Outstanding"), outstanding);
  add_detail (self, _("Promised Payment"), promise);

  relance_list_box_remove_all (self->payments_list);
  payments = relance_store_list_payments (self->store, self->invoice->id, &error);
  for (guint i = 0; payments != NULL && i < payments->len; i++)
    {
      RelancePayment *payment = g_ptr_array_index (payments, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *amount = relance_money_format (payment->amount, self->invoice->currency,
                                                      language);
      g_autofree char *date = format_date (&payment->date);

      g_autoptr(RelanceBankTransaction) transfer =
        relance_bank_store_for_payment (self->store, payment->id);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), amount);
      if (transfer != NULL)
        {
          /* Translators: the day and month of a bank transfer, as in "12 Nov"; see
           * g_date_time_format() */
          g_autoptr(GDateTime) when = g_date_time_new_utc (g_date_get_year (&payment->date),
                                                           g_date_get_month (&payment->date),
                                                           g_date_get_day (&payment->date),
                                                           0, 0, 0);
          g_autofree char *day = g_date_time_format (when, C_("transfer date", "%-d %b"));
          g_autofree char *source = NULL;

          /* Translators: a payment of an invoice's timeline; the first %s is a date ("12
           * Nov"), the second the bank statement's file name */
          source = g_strdup_printf (_("Paid by transfer of %s (statement %s)"), day,
                                    transfer->statement);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), source);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), date);
      gtk_list_box_append (self->payments_list, row);
    }
  if (payments == NULL || payments->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No payment yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->payments_list, row);
    }

  gtk_button_set_label (self->dispute_button, disputed ? _("_Resume") : _("_Dispute"));
  gtk_button_set_label (self->cancel_button, cancelled ? _("_Reopen") : _("_Cancel Invoice"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.add-payment",
                                 relance_invoice_get_outstanding (self->invoice) > 0 && !cancelled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.toggle-dispute", !cancelled);
  {
    GDate today;
    gboolean overdue;

    /* The letter refuses a paid, cancelled or not yet overdue invoice: offer it only when
     * it can be written. */
    relance_clock_today (NULL, &today);
    overdue = relance_invoice_get_days_overdue (self->invoice, &today) > 0;
    gtk_widget_set_visible (GTK_WIDGET (self->notice_row), overdue);
    if (overdue)
      {
        g_autoptr(RelanceClient) client = relance_store_get_client (self->store,
                                                                    self->invoice->client_id,
                                                                    NULL);

        /* Said before the owner prints it and posts it to nowhere. */
        adw_action_row_set_subtitle (self->notice_row,
                                     client != NULL && !relance_client_has_postal_address (client)
                                     ? _(no_address_warning)
                                     : _("The letter to send by registered mail, with penalties "
                                         "and a deadline"));
      }
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.print-notice", overdue);
  }

  relance_invoice_timeline_fill (self->timeline_list, self->store, self->invoice->number);
}

void
relance_invoice_view_reload (RelanceInvoiceView *self)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice *invoice;

  g_return_if_fail (RELANCE_IS_INVOICE_VIEW (self));

  if (self->store == NULL || self->invoice == NULL)
    return;

  invoice = relance_store_get_invoice (self->store, self->invoice->number, &error);
  if (invoice == NULL)
    {
      /* Deleted, here or elsewhere: nothing left to show. */
      g_clear_pointer (&self->invoice, relance_invoice_free);
      g_signal_emit (self, signals[BACK], 0);
      return;
    }
  relance_invoice_free (self->invoice);
  self->invoice = invoice;
  fill (self);
}

void
relance_invoice_view_show (RelanceInvoiceView *self,
                           RelanceStore       *store,
                           const char         *number)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice *invoice;

  g_return_if_fail (RELANCE_IS_INVOICE_VIEW (self));
  g_return_if_fail (RELANCE_IS_STORE (store));
  g_return_if_fail (number != NULL);

  invoice = relance_store_get_invoice (store, number, &error);
  if (invoice == NULL)
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Open the Invoice"), error);
      return;
    }
  g_set_object (&self->store, store);
  g_clear_pointer (&self->invoice, relance_invoice_free);
  self->invoice = invoice;
  fill (self);
}

const char *
relance_invoice_view_get_number (RelanceInvoiceView *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_VIEW (self), NULL);
  return self->invoice != NULL ? self->invoice->number : NULL;
}

GtkListBox *
relance_invoice_view_get_timeline (RelanceInvoiceView *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_VIEW (self), NULL);
  return self->timeline_list;
}

GtkWidget *
relance_invoice_view_get_print_button (RelanceInvoiceView *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_VIEW (self), NULL);
  return GTK_WIDGET (self->print_button);
}

GtkWidget *
relance_invoice_view_get_export_button (RelanceInvoiceView *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_VIEW (self), NULL);
  return GTK_WIDGET (self->export_button);
}

/* The formal notice on paper, and the proof of what was sent. */

static void
run_print_operation (RelanceInvoiceView *self,
                     GtkPrintOperation  *operation)
{
  g_autoptr(GError) error = NULL;

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               relance_widget_get_window (GTK_WIDGET (self)),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Print the Formal Notice"), error);
}

static void
no_address_response_cb (AdwMessageDialog   *dialog,
                        const char         *response,
                        RelanceInvoiceView *self)
{
  GtkPrintOperation *operation = g_object_get_data (G_OBJECT (dialog), "operation");

  if (g_strcmp0 (response, "print") == 0)
    run_print_operation (self, operation);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                RelanceLetter     *letter)
{
  guint n_pages = relance_letter_paginate (letter, gtk_print_context_get_cairo_context (context));

  gtk_print_operation_set_n_pages (operation, (int) MAX (n_pages, 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              RelanceLetter     *letter)
{
  relance_letter_draw_page (letter, gtk_print_context_get_cairo_context (context),
                            (guint) page_nr);
}

GtkPrintOperation *
relance_invoice_view_new_print_operation (RelanceInvoiceView  *self,
                                          GError             **error)
{
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPaperSize) a4 = NULL;
  g_autofree char *name = NULL;
  GtkPrintOperation *operation;
  RelanceLetter *letter;

  g_return_val_if_fail (RELANCE_IS_INVOICE_VIEW (self), NULL);
  g_return_val_if_fail (self->invoice != NULL, NULL);

  letter = relance_letter_new (self->store, self->invoice->number, NULL, NULL, NULL, error);
  if (letter == NULL)
    return NULL;

  operation = gtk_print_operation_new ();
  name = relance_letter_get_filename (letter);
  gtk_print_operation_set_job_name (operation, name);
  /* The letter lays itself out in points on A4, margins included. */
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  setup = gtk_page_setup_new ();
  a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), letter);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), letter);
  g_object_set_data_full (G_OBJECT (operation), "relance-letter", letter,
                          (GDestroyNotify) relance_letter_free);
  return operation;
}

static void
print_notice_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  RelanceLetter *letter;
  GtkWidget *dialog;

  operation = relance_invoice_view_new_print_operation (self, &error);
  if (operation == NULL)
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Print the Formal Notice"),
                                 error);
      return;
    }
  letter = g_object_get_data (G_OBJECT (operation), "relance-letter");
  if (relance_letter_has_postal_address (letter))
    {
      run_print_operation (self, operation);
      return;
    }

  /* Printed all the same when the owner asks: it can be handed over or sent later. */
  dialog = adw_message_dialog_new (relance_widget_get_window (widget), _("No Postal Address"),
                                   _(no_address_warning));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "print", _("_Print Anyway"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "operation", g_steal_pointer (&operation),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (no_address_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_proof_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);

  relance_proof_export_choose (widget, self->store, self->invoice->number, NULL);
}

void
relance_invoice_view_export_proof (RelanceInvoiceView *self,
                                   GFile              *file)
{
  g_return_if_fail (RELANCE_IS_INVOICE_VIEW (self));
  g_return_if_fail (self->invoice != NULL);

  relance_proof_export_to_file (GTK_WIDGET (self), self->store, self->invoice->number, NULL,
                                file);
}

/* Dialogs asking for one value: an amount, a date. */

typedef gboolean (*Validate) (RelanceInvoiceView *self, const char *text, gpointer out,
                              GError **error);
typedef void (*Apply) (RelanceInvoiceView *self, gpointer value);

typedef struct
{
  RelanceInvoiceView *view;
  GtkEditable        *entry;
  GtkLabel           *error_label;
  Validate            validate;
  Apply               apply;
  union { gint64 amount; GDate date; } value;
} AskData;

static void
ask_changed_cb (GtkEditable *entry,
                AdwMessageDialog *dialog)
{
  AskData *data = g_object_get_data (G_OBJECT (dialog), "ask");
  g_autoptr(GError) error = NULL;
  gboolean valid;

  valid = data->validate (data->view, gtk_editable_get_text (entry), &data->value, &error);
  gtk_label_set_text (data->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), error != NULL &&
                          *gtk_editable_get_text (entry) != '\0');
  adw_message_dialog_set_response_enabled (dialog, "save", valid);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  AskData *data = g_object_get_data (G_OBJECT (dialog), "ask");

  if (g_strcmp0 (response, "save") == 0)
    data->apply (data->view, &data->value);
}

static void
ask_value (RelanceInvoiceView *self,
           const char         *heading,
           const char         *body,
           const char         *field,
           const char         *initial,
           Validate            validate,
           Apply               apply)
{
  GtkWidget *dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                              heading, body);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  AskData *data = g_new0 (AskData, 1);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), field);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (entry), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), entry);
  gtk_box_append (GTK_BOX (box), list);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_add_css_class (error_label, "caption");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_box_append (GTK_BOX (box), error_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data->view = self;
  data->entry = GTK_EDITABLE (entry);
  data->error_label = GTK_LABEL (error_label);
  data->validate = validate;
  data->apply = apply;
  g_object_set_data_full (G_OBJECT (dialog), "ask", data, g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (ask_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (ask_response_cb), NULL);

  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  ask_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
validate_payment (RelanceInvoiceView  *self,
                  const char          *text,
                  gpointer             out,
                  GError             **error)
{
  g_autofree char *currency = NULL;
  gint64 *amount = out;

  if (!relance_money_parse (text, self->invoice->currency, relance_money_guess_hint (text),
                            amount, &currency, error))
    return FALSE;
  if (*amount <= 0 || *amount > relance_invoice_get_outstanding (self->invoice))
    {
      g_autofree char *left = relance_money_format (relance_invoice_get_outstanding (self->invoice),
                                                    self->invoice->currency,
                                                    relance_language_for_user ());

      /* Translators: %s is the amount left to pay */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Enter an amount above zero and at most %s."), left);
      return FALSE;
    }
  return TRUE;
}

/* A payment recorded here answers the client's reply that announced it (Upcoming's
 * "Payment…" opens this dialog): the reply is decided and the client's pause ends. */
static void
settle_replies (RelanceInvoiceView *self)
{
  g_autoptr(GPtrArray) replies = relance_store_inbox_pending_replies (self->store, NULL);

  for (guint i = 0; replies != NULL && i < replies->len; i++)
    {
      RelanceInboxMessage *reply = g_ptr_array_index (replies, i);
      g_autoptr(GError) error = NULL;

      if (g_strv_contains ((const char * const *) reply->invoices, self->invoice->number)
          && !relance_store_inbox_decide (self->store, reply->id, "payment", &error))
        g_warning ("Could not settle the reply %" G_GINT64_FORMAT ": %s", reply->id,
                   error->message);
    }
}

static void
apply_payment (RelanceInvoiceView *self,
               gpointer            value)
{
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  relance_clock_today (NULL, &today);
  payment = relance_store_pay (self->store, self->invoice->number, *(gint64 *) value, &today,
                               &error);
  if (payment == NULL)
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Add the Payment"), error);
  else
    settle_replies (self);
}

static void
add_payment_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);
  g_autofree char *left = NULL;

  left = relance_money_to_decimal (relance_invoice_get_outstanding (self->invoice),
                                   self->invoice->currency);
  ask_value (self, _("Add a Payment"), _("The payment is recorded as received today."),
             _("Amount"), left, validate_payment, apply_payment);
}

static gboolean
validate_date (RelanceInvoiceView  *self,
               const char          *text,
               gpointer             out,
               GError             **error)
{
  return relance_date_parse (text, RELANCE_DATE_ORDER_DMY, out, error);
}

static void
apply_promise (RelanceInvoiceView *self,
               gpointer            value)
{
  g_autoptr(GError) error = NULL;

  if (!relance_store_set_invoice_promise (self->store, self->invoice->number, value, &error))
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Save the Promise"), error);
}

static void
promise_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);
  g_autofree char *initial = NULL;

  if (g_date_valid (&self->invoice->promise_date))
    initial = relance_date_to_iso (&self->invoice->promise_date);
  ask_value (self, _("Promise to Pay"),
             _("The date the client promised to pay by, such as 31/12/2026."),
             _("Date"), initial, validate_date, apply_promise);
}

typedef gboolean (*StatusChange) (RelanceStore  *store,
                                  const char    *number,
                                  GError       **error);

static void
change_status (RelanceInvoiceView *self,
               StatusChange        change)
{
  g_autoptr(GError) error = NULL;

  if (!change (self->store, self->invoice->number, &error))
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Change the Invoice"), error);
}

static void
toggle_dispute_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);

  change_status (self, g_strcmp0 (self->invoice->status, "disputed") == 0
                       ? relance_store_undispute_invoice : relance_store_dispute_invoice);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);

  change_status (self, g_strcmp0 (self->invoice->status, "cancelled") == 0
                       ? relance_store_reopen_invoice : relance_store_cancel_invoice);
}

static void
delete_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    RelanceInvoiceView *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->invoice == NULL)
    return;
  if (!relance_store_delete_invoice (self->store, self->invoice->number, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Delete the Invoice"), error);
      return;
    }
  g_signal_emit (self, signals[BACK], 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is an invoice number */
  heading = g_strdup_printf (_("Delete Invoice %s?"), self->invoice->number);
  dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)), heading,
                                   _("Its payments and the history of its reminders are deleted "
                                     "with it. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (widget);
  RelanceInvoiceDialog *dialog;

  dialog = relance_invoice_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                       self->store, self->invoice);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
relance_invoice_view_dispose (GObject *object)
{
  RelanceInvoiceView *self = RELANCE_INVOICE_VIEW (object);

  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  g_clear_pointer (&self->invoice, relance_invoice_free);

  G_OBJECT_CLASS (relance_invoice_view_parent_class)->dispose (object);
}

static void
relance_invoice_view_class_init (RelanceInvoiceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_invoice_view_dispose;

  /**
   * RelanceInvoiceView::back:
   *
   * The user asked to go back to the list, or the invoice is gone.
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-invoice-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, details_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, payments_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, dispute_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, dispute_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, cancel_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, notice_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, print_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoiceView, export_button);

  gtk_widget_class_install_action (widget_class, "invoice.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "invoice.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "invoice.add-payment", NULL, add_payment_action);
  gtk_widget_class_install_action (widget_class, "invoice.promise", NULL, promise_action);
  gtk_widget_class_install_action (widget_class, "invoice.toggle-dispute", NULL,
                                   toggle_dispute_action);
  gtk_widget_class_install_action (widget_class, "invoice.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "invoice.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "invoice.print-notice", NULL,
                                   print_notice_action);
  gtk_widget_class_install_action (widget_class, "invoice.export-proof", NULL,
                                   export_proof_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "invoice.back", NULL);
}

static void
relance_invoice_view_init (RelanceInvoiceView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
