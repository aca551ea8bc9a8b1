/* relance-invoices-page-actions.c: the Invoices page's actions on the selection (mark
 * paid, dispute, pause the client), each with a toast whose Undo puts back exactly what
 * the action changed. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-invoice-object.h"
#include "relance-invoices-page-private.h"
#include "relance-store-clients.h"
#include "relance-ui-util.h"

typedef enum
{
  UNDO_PAYMENTS,  /* delete the payments the action added */
  UNDO_DISPUTE,   /* open again the invoices the action disputed (all were open) */
  UNDO_PAUSE,     /* resume the clients the action paused */
} UndoKind;

struct _RelanceInvoicesUndo
{
  UndoKind   kind;
  GArray    *ids;      /* payment ids, or client ids */
  GPtrArray *numbers;  /* UNDO_DISPUTE: invoice numbers */
};

static RelanceInvoicesUndo *
undo_new (UndoKind kind)
{
  RelanceInvoicesUndo *undo = g_new0 (RelanceInvoicesUndo, 1);

  undo->kind = kind;
  if (kind == UNDO_DISPUTE)
    undo->numbers = g_ptr_array_new_with_free_func (g_free);
  else
    undo->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return undo;
}

static void
undo_free (RelanceInvoicesUndo *undo)
{
  g_clear_pointer (&undo->ids, g_array_unref);
  g_clear_pointer (&undo->numbers, g_ptr_array_unref);
  g_free (undo);
}

static void
undo_toast_dismissed_cb (AdwToast            *toast,
                         RelanceInvoicesPage *self)
{
  if (self->undo_toast == toast)
    {
      self->undo_toast = NULL;
      g_clear_pointer (&self->undo, undo_free);
    }
}

static void undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

static void
undo_toast_clicked_cb (AdwToast            *toast,
                       RelanceInvoicesPage *self)
{
  if (self->undo_toast == toast)
    undo_action (GTK_WIDGET (self), "invoices.undo", NULL);
}

/* Keeps @undo (transfer full) for the toast that says @title. */
static void
offer_undo (RelanceInvoicesPage *self,
            RelanceInvoicesUndo *undo,
            const char          *title)
{
  AdwToast *toast = adw_toast_new (title);

  if (self->undo_toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->undo_toast, self);
      adw_toast_dismiss (self->undo_toast);
    }
  g_clear_pointer (&self->undo, undo_free);
  self->undo = undo;
  self->undo_toast = toast;

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_toast_clicked_cb), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.undo", TRUE);
  relance_invoices_page_show_toast (self, toast);
}

/* The end of each action: an undo offered (transfer full) when it did @n things, said by
 * @title, and what stopped it, under @heading. */
static void
finish_action (RelanceInvoicesPage *self,
               RelanceInvoicesUndo *undo,
               guint                n,
               const char          *title,
               const char          *heading,
               const GError        *error)
{
  if (n > 0)
    {
      offer_undo (self, undo, title);
    }
  else
    undo_free (undo);

  if (error != NULL)
    relance_show_error_dialog (GTK_WIDGET (self), heading, error);
}

static void
mark_paid_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (widget);
  g_autoptr(GPtrArray) invoices = relance_invoices_page_selected_invoices (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  RelanceInvoicesUndo *undo;
  GDate today;

  undo = undo_new (UNDO_PAYMENTS);
  relance_clock_today (NULL, &today);

  for (guint i = 0; i < invoices->len; i++)
    {
      RelanceInvoiceObject *invoice = g_ptr_array_index (invoices, i);
      const char *state = relance_invoice_object_get_state (invoice);
      g_autoptr(RelancePayment) payment = NULL;

      /* Nothing is left to pay on these: selecting them with others is no mistake. */
      if (strcmp (state, "paid") == 0 || strcmp (state, "cancelled") == 0)
        continue;
      payment = relance_store_pay (RELANCE_PAGE_STORE (self), relance_invoice_object_get_number (invoice),
                                   -1, &today, &error);
      if (payment == NULL)
        break;
      g_array_append_val (undo->ids, payment->id);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice marked paid",
                                        "%u invoices marked paid", undo->ids->len),
                           undo->ids->len);
  finish_action (self, undo, undo->ids->len, title, _("Could Not Mark the Invoice Paid"), error);
}

static void
dispute_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (widget);
  g_autoptr(GPtrArray) invoices = relance_invoices_page_selected_invoices (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  RelanceInvoicesUndo *undo;

  undo = undo_new (UNDO_DISPUTE);

  for (guint i = 0; i < invoices->len; i++)
    {
      RelanceInvoiceObject *invoice = g_ptr_array_index (invoices, i);
      const RelanceInvoiceRow *row = relance_invoice_object_get_row (invoice);
      const char *state = relance_invoice_object_get_state (invoice);

      /* Their stored status is "open": the undo opens them again. */
      if (strcmp (state, "paid") == 0 || strcmp (state, "cancelled") == 0 ||
          strcmp (state, "disputed") == 0)
        continue;
      if (!relance_store_dispute_invoice (RELANCE_PAGE_STORE (self), row->number, &error))
        break;
      g_ptr_array_add (undo->numbers, g_strdup (row->number));
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice disputed",
                                        "%u invoices disputed", undo->numbers->len),
                           undo->numbers->len);
  finish_action (self, undo, undo->numbers->len, title, _("Could Not Dispute the Invoice"), error);
}

static void
pause_client_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (widget);
  g_autoptr(GPtrArray) invoices = relance_invoices_page_selected_invoices (self);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  RelanceInvoicesUndo *undo;

  undo = undo_new (UNDO_PAUSE);

  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoiceRow *row =
        relance_invoice_object_get_row (g_ptr_array_index (invoices, i));

      if (row->client_paused || g_hash_table_contains (seen, &row->client_id))
        continue;
      g_hash_table_add (seen, (gpointer) &row->client_id);
      if (!relance_store_set_client_paused (RELANCE_PAGE_STORE (self), row->client_id, TRUE, &error))
        break;
      g_array_append_val (undo->ids, row->client_id);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client paused",
                                        "%u clients paused", undo->ids->len),
                           undo->ids->len);
  finish_action (self, undo, undo->ids->len, title, _("Could Not Pause the Client"), error);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (widget);
  g_autoptr(GError) error = NULL;
  RelanceInvoicesUndo *undo = g_steal_pointer (&self->undo);

  if (undo == NULL)
    return;

  if (self->undo_toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->undo_toast, self);
      adw_toast_dismiss (self->undo_toast);
      self->undo_toast = NULL;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.undo", FALSE);

  switch (undo->kind)
    {
    case UNDO_PAYMENTS:
      relance_store_delete_payments (RELANCE_PAGE_STORE (self), (const gint64 *) undo->ids->data,
                                     undo->ids->len, &error);
      break;

    case UNDO_DISPUTE:
      for (guint i = 0; i < undo->numbers->len && error == NULL; i++)
        relance_store_undispute_invoice (RELANCE_PAGE_STORE (self), g_ptr_array_index (undo->numbers, i),
                                         &error);
      break;

    case UNDO_PAUSE:
      for (guint i = 0; i < undo->ids->len && error == NULL; i++)
        relance_store_set_client_paused (RELANCE_PAGE_STORE (self), g_array_index (undo->ids, gint64, i), FALSE, &error);
      break;

    default:
      g_assert_not_reached ();
    }
  undo_free (undo);

  if (error != NULL)
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Undo"), error);
}

void
relance_invoices_page_forget_undo (RelanceInvoicesPage *self)
{
  if (self->undo_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->undo_toast, self);
  self->undo_toast = NULL;
  g_clear_pointer (&self->undo, undo_free);
}

void
relance_invoices_page_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "invoices.mark-paid", NULL, mark_paid_action);
  gtk_widget_class_install_action (widget_class, "invoices.dispute", NULL, dispute_action);
  gtk_widget_class_install_action (widget_class, "invoices.pause-client", NULL,
                                   pause_client_action);
  gtk_widget_class_install_action (widget_class, "invoices.undo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "invoices.undo", NULL);
}
