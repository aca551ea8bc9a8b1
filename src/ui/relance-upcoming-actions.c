/* relance-upcoming-actions.c: the owner's decisions on the Upcoming page, written on the
 * main thread, each in one transaction of the store:
 *  - Skip and Postpone, undone from their toast (relance-store-upcoming.h, and the
 *    promises of relance-store-invoices.h);
 *  - sending what is due (queued in a worker, then sent by the outbox);
 *  - the friendly channels: a WhatsApp message or a call, recorded with their outcome;
 *  - Retry and Cancel of a reminder waiting for a decision;
 *  - the decision on a client's reply. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "relance-account.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-inbox.h"
#include "relance-language.h"
#include "relance-outbox.h"
#include "relance-sms.h"
#include "relance-store-upcoming.h"
#include "relance-ui-util.h"
#include "relance-upcoming-page-private.h"

/* ---- skip and postpone, with undo ---------------------------------------------- */

typedef struct _UndoData UndoData;

struct _UndoData
{
  RelanceStore *store;
  gboolean    (*undo) (UndoData *data, GError **error);
  GArray       *steps;     /* RelanceInvoiceStep (skip) */
  GArray       *ids;       /* gint64 invoices (postpone)… */
  GArray       *previous;  /* …and the GDate of the promise each had */
};

static void
undo_data_free (UndoData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->steps, g_array_unref);
  g_clear_pointer (&data->ids, g_array_unref);
  g_clear_pointer (&data->previous, g_array_unref);
  g_free (data);
}

static void
undo_clicked_cb (AdwToast            *toast,
                 RelanceUpcomingPage *self)
{
  UndoData *data = g_object_get_data (G_OBJECT (toast), "undo");
  g_autoptr(GError) error = NULL;

  if (!data->undo (data, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Undo"), error);
      return;
    }
}

/* A toast saying @title whose Undo puts back what @data (transfer full) says. */
static void
add_undo_toast (RelanceUpcomingPage *self,
                const char          *title,
                UndoData            *data)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "undo", data, (GDestroyNotify) undo_data_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
  relance_upcoming_page_add_toast (self, toast);
}

static gboolean
unskip (UndoData  *data,
        GError   **error)
{
  return relance_store_unskip_steps (data->store, (const RelanceInvoiceStep *) data->steps->data,
                                     data->steps->len, error);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const RelancePlannedMessage *message;
  UndoData *data;

  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;

  data = g_new0 (UndoData, 1);
  data->store = g_object_ref (RELANCE_PAGE_STORE (self));
  data->undo = unskip;
  data->steps = g_array_sized_new (FALSE, FALSE, sizeof (RelanceInvoiceStep),
                                   message->invoices->len);
  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);
      RelanceInvoiceStep step = { p->invoice->id, p->step->id };

      g_array_append_val (data->steps, step);
    }
  if (!relance_store_skip_steps (RELANCE_PAGE_STORE (self), (const RelanceInvoiceStep *) data->steps->data,
                                 data->steps->len, message->channel, message->handover,
                                 g_date_time_to_unix (message->scheduled_at), &error))
    {
      undo_data_free (data);
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Skip the Reminder"), error);
      return;
    }

  /* Translators: a toast after skipping a planned reminder; %s is the client's name */
  title = g_markup_printf_escaped (_("Reminder to %s skipped"), message->client->name);
  add_undo_toast (self, title, data);
}

static gboolean
unpostpone (UndoData  *data,
            GError   **error)
{
  return relance_store_restore_invoice_promises (data->store, (const gint64 *) data->ids->data,
                                                 data->ids->len, data->previous, error);
}

static void
postpone_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *shown = NULL;
  const RelancePlannedMessage *message;
  const char *iso;
  guint index;
  GDate date;
  UndoData *data;

  g_variant_get (parameter, "(u&s)", &index, &iso);
  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL
      || !relance_date_from_iso (iso, &date))
    return;

  data = g_new0 (UndoData, 1);
  data->store = g_object_ref (RELANCE_PAGE_STORE (self));
  data->undo = unpostpone;
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), message->invoices->len);
  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);

      g_array_append_val (data->ids, p->invoice->id);
    }
  if (!relance_store_promise_invoices (RELANCE_PAGE_STORE (self), (const gint64 *) data->ids->data,
                                       data->ids->len, &date, &data->previous, &error))
    {
      undo_data_free (data);
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Postpone the Reminder"), error);
      return;
    }

  shown = relance_date_format (&date, relance_language_for_user ());
  /* Translators: a toast; %s is the client's name, then the date the client promised */
  title = g_markup_printf_escaped (_("Reminders to %s wait until %s"), message->client->name,
                                  shown);
  add_undo_toast (self, title, data);
}

/* ---- sending ------------------------------------------------------------------- */

static char *
describe_report (const RelanceOutboxReport *report,
                 guint                      queued)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (report->sent + report->retry + report->failed + report->cancelled == 0)
    return g_strdup (queued > 0 ? _("The due reminders were handed over")
                                : _("Nothing was due"));
  if (report->sent > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u reminder sent",
                                               "%u reminders sent", report->sent),
                            report->sent);
  if (report->retry > 0)
    {
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u will be retried",
                                                 "%u will be retried", report->retry),
                              report->retry);
    }
  if (report->failed > 0)
    {
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                 report->failed),
                              report->failed);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelanceUpcomingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  RelanceOutboxReport report = { 0 };
  guint queued = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "queued"));

  self->sending = FALSE;
  if (!relance_outbox_send_finish (RELANCE_STORE (object), result, &report, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Reminders"), error);
      relance_upcoming_page_update_sending (self);
      /* What was sent before the failure, another connection's commits, is read again. */
      relance_page_reload (RELANCE_PAGE (self));
      return;
    }
  relance_upcoming_page_banner_set (self->account_banner,
              report.account_error != NULL ? report.account_error->message : NULL);
  summary = describe_report (&report, queued);
  relance_upcoming_page_add_toast (self, adw_toast_new (summary));
  g_clear_error (&report.account_error);
  relance_upcoming_page_update_sending (self);
}

static gboolean
check_ready_to_send (RelanceUpcomingPage  *self,
                     GError              **error)
{
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(RelanceCompany) company = NULL;

  if ((account = relance_account_load (RELANCE_PAGE_STORE (self), error)) == NULL)
    return FALSE;
  if ((company = relance_store_get_company (RELANCE_PAGE_STORE (self), error)) == NULL)
    return FALSE;
  if (company->name == NULL || *company->name == '\0')
    {
      /* Every reminder is signed with it. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Set your company name in the preferences before sending "
                             "reminders: every reminder is signed with it."));
      return FALSE;
    }
  return TRUE;
}

/* The due messages are queued, by a worker on its own connection: send them. */
static void
queue_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelanceUpcomingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = relance_outbox_queue_due_finish (result, &error);

  /* Cancelled only when the page went away (dispose): touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Another database was opened meanwhile: what is ready there was not asked for. */
  if (RELANCE_PAGE_STORE (self) == NULL
      || g_strcmp0 (relance_store_get_path (RELANCE_PAGE_STORE (self)),
                    g_object_get_data (G_OBJECT (self), "queue-path")) != 0)
    {
      self->sending = FALSE;
      relance_upcoming_page_update_sending (self);
      return;
    }
  if (queued == NULL)
    {
      self->sending = FALSE;
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Reminders"), error);
      relance_upcoming_page_update_sending (self);
      /* What was sent before the failure, another connection's commits, is read again. */
      relance_page_reload (RELANCE_PAGE (self));
      return;
    }
  g_object_set_data (G_OBJECT (self), "queued", GUINT_TO_POINTER (queued->len));
  relance_outbox_send_async (RELANCE_PAGE_STORE (self), self->send_cancellable, NULL, NULL, send_cb,
                             g_object_ref (self));
}

static void
send_due (RelanceUpcomingPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();

  if (RELANCE_PAGE_STORE (self) == NULL || self->paused || self->sending)
    return;
  if (!check_ready_to_send (self, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Reminders"), error);
      return;
    }
  self->sending = TRUE;
  relance_upcoming_page_update_sending (self);
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "queue-path",
                          g_strdup (relance_store_get_path (RELANCE_PAGE_STORE (self))), g_free);
  /* Planning and building every email (GMime, QR code, PDF letter) takes seconds with
   * many invoices: in a worker, so the window keeps responding. */
  relance_outbox_queue_due_async (relance_store_get_path (RELANCE_PAGE_STORE (self)), now,
                                  self->send_cancellable, queue_cb, g_object_ref (self));
}

static void
send_due_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  send_due (RELANCE_UPCOMING_PAGE (widget));
}

static void
send_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GDateTime) now = relance_clock_now ();
  const RelancePlannedMessage *message;

  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;
  /* Only the outbox sends, and only what is due: a message not due yet stays planned. */
  if (g_date_time_compare (message->scheduled_at, now) > 0)
    return;
  send_due (self);
}

/* ---- friendly channels ------------------------------------------------------------ */

/* Applies @outcome to the planned message at @index; the store's `changed` reloads the page. */
static void
record_task (RelanceUpcomingPage *self,
             guint                index,
             RelanceTaskOutcome   outcome,
             const GDate         *promise_date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  const RelancePlannedMessage *message;

  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;
  if (!relance_outbox_record_task (RELANCE_PAGE_STORE (self), message, outcome, promise_date, now, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Record the Task"), error);
      return;
    }
  if (outcome == RELANCE_TASK_CALL_NO_ANSWER)
    relance_upcoming_page_add_toast (self, adw_toast_new (_("No answer: the call stays planned")));
  else
    relance_upcoming_page_add_toast (self, adw_toast_new (_("Recorded on the invoice’s timeline")));
}

static void
whatsapp_sent_cb (AdwMessageDialog    *dialog,
                  const char          *response,
                  RelanceUpcomingPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "index"));

  if (g_strcmp0 (response, "sent") == 0)
    record_task (self, index, RELANCE_TASK_WHATSAPP_SENT, NULL);
}

/* https://wa.me/<number without +>?text=<the rendered text, URL-encoded> */
static char *
whatsapp_uri (const char *e164,
              const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);

  return g_strdup_printf ("https://wa.me/%s?text=%s", e164[0] == '+' ? e164 + 1 : e164,
                          escaped);
}

static void
open_uri (GtkWidget  *widget,
          const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *uri_log = g_getenv ("RELANCE_TEST_URI_LOG");

  /* Tests only: the URI is written down in that file instead of opened (under Xvfb there
   * is neither portal nor browser). */
  if (uri_log != NULL && *uri_log != '\0')
    {
      FILE *log = g_fopen (uri_log, "a");

      if (log != NULL)
        {
          fprintf (log, "%s\n", uri);
          fclose (log);
        }
      return;
    }

  /* Inside the Flatpak both go through the OpenURI portal. */
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                           NULL, NULL);
#else
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
#endif
}

static void
whatsapp_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autofree char *text = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *uri = NULL;
  const RelancePlannedMessage *message;
  GtkWidget *dialog;
  GtkRoot *root;

  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;
  company = relance_store_get_company (RELANCE_PAGE_STORE (self), NULL);
  if (!relance_planner_render (RELANCE_PAGE_STORE (self), message, NULL, &text, NULL, &error)
      || (mobile = relance_phone_normalise_mobile (message->client->phone,
                                                   message->client->country != NULL
                                                     ? message->client->country
                                                     : company != NULL ? company->country : "FR",
                                                   &error)) == NULL)
    {
      relance_show_error_dialog (widget, _("Could Not Open WhatsApp"), error);
      return;
    }
  g_strstrip (text);
  uri = whatsapp_uri (mobile, text);
  open_uri (widget, uri);

  root = gtk_widget_get_root (widget);
  /* Translators: asked after Relance opened a WhatsApp chat with the text written in */
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Sent?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is a client's name */
                                  _("Did you send the WhatsApp message to %s? It is then "
                                    "recorded on the invoice’s timeline."),
                                  message->client->name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Yet"),
                                    "sent", _("_Sent"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sent",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sent");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data (G_OBJECT (dialog), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (dialog, "response", G_CALLBACK (whatsapp_sent_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
call_outcome_cb (AdwMessageDialog    *dialog,
                 const char          *response,
                 RelanceUpcomingPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "index"));
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (dialog), "calendar");

  if (g_strcmp0 (response, "reached") == 0)
    record_task (self, index, RELANCE_TASK_CALL_REACHED, NULL);
  else if (g_strcmp0 (response, "no-answer") == 0)
    record_task (self, index, RELANCE_TASK_CALL_NO_ANSWER, NULL);
  else if (g_strcmp0 (response, "dispute") == 0)
    record_task (self, index, RELANCE_TASK_CALL_DISPUTE, NULL);
  else if (g_strcmp0 (response, "paid") == 0)
    record_task (self, index, RELANCE_TASK_CALL_PAID, NULL);
  else if (g_strcmp0 (response, "promise") == 0)
    {
      g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (picked),
                      g_date_time_get_month (picked), g_date_time_get_year (picked));
      record_task (self, index, RELANCE_TASK_CALL_PROMISE, &date);
    }
}

static void
call_outcome_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) in_a_week = g_date_time_add_days (now, 7);
  const RelancePlannedMessage *message;
  GtkWidget *dialog, *box, *label, *calendar;
  GtkRoot *root = gtk_widget_get_root (widget);

  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;
  /* Translators: the title of the form that ends a phone-call task */
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("How Did the Call Go?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is a client's name */
                                  _("Your call to %s. A promise, a dispute or a payment stops "
                                    "the reminders as the matching commands do."),
                                  message->client->name);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* Translators: above a calendar in the call-outcome form */
  label = gtk_label_new (_("Promised payment date"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  calendar = gtk_calendar_new ();
  gtk_calendar_select_day (GTK_CALENDAR (calendar), in_a_week);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (calendar),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), calendar);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: call outcomes */
                                    "no-answer", _("_No Answer"),
                                    "reached", _("_Reached"),
                                    "promise", _("_Promise to Pay"),
                                    "dispute", _("_Dispute"),
                                    "paid", _("P_aid"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "promise",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (dialog), "calendar", calendar);
  g_signal_connect_object (dialog, "response", G_CALLBACK (call_outcome_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- retry and cancel ---------------------------------------------------------- */

static void
apply_decision (RelanceUpcomingPage *self,
                gint64               id,
                gboolean             retry)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = retry ? relance_outbox_retry (RELANCE_PAGE_STORE (self), id, &error)
                      : relance_outbox_cancel (RELANCE_PAGE_STORE (self), id, &error);

  if (!ok)
    {
      relance_show_error_dialog (GTK_WIDGET (self),
                                 retry ? _("Could Not Retry the Reminder")
                                       : _("Could Not Cancel the Reminder"), error);
      return;
    }
  relance_upcoming_page_add_toast (self, adw_toast_new (retry ? _("The reminder will be sent again")
                                        : _("The reminder was cancelled")));
}

static void
decision_response_cb (AdwMessageDialog    *dialog,
                      const char          *response,
                      RelanceUpcomingPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "outbox-id");

  if (g_strcmp0 (response, "retry") == 0)
    apply_decision (self, id, TRUE);
  else if (g_strcmp0 (response, "cancel-reminder") == 0)
    apply_decision (self, id, FALSE);
}

static void
confirm_decision (RelanceUpcomingPage *self,
                  gint64               id,
                  gboolean             retry,
                  gboolean             uncertain)
{
  GtkWidget *dialog;
  const char *response = retry ? "retry" : "cancel-reminder";

  if (retry)
    dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                     _("Send This Reminder Again?"),
                                     _("The client may already have received it: Relance "
                                       "stopped while it was being sent."));
  else
    dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                     _("Cancel This Reminder?"),
                                     uncertain
                                     ? _("The client may already have received it. It will "
                                         "not be sent again; the next step follows in its "
                                         "time.")
                                     : _("It will never be sent; the next step follows in "
                                         "its time."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", retry ? _("_Cancel") : _("_Keep It"),
                                    response, retry ? _("_Send Again")
                                                    : _("_Cancel Reminder"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data_full (G_OBJECT (dialog), "outbox-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (decision_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  gint64 id;
  gboolean uncertain;

  g_variant_get (parameter, "(xb)", &id, &uncertain);
  if (uncertain)
    confirm_decision (self, id, TRUE, TRUE);
  else
    apply_decision (self, id, TRUE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  gint64 id;
  gboolean uncertain;

  g_variant_get (parameter, "(xb)", &id, &uncertain);
  confirm_decision (self, id, FALSE, uncertain);
}

/* ---- the owner's decision on a reply ------------------------------------------ */

static const RelanceInboxMessage *
find_reply (RelanceUpcomingPage *self,
            gint64               id)
{
  for (guint i = 0; self->replies != NULL && i < self->replies->len; i++)
    {
      const RelanceInboxMessage *reply = g_ptr_array_index (self->replies, i);

      if (reply->id == id)
        return reply;
    }
  return NULL;
}

/* Marks each invoice of @reply (dispute, promise), then records the decision, which ends
 * the client's reply pause. */
static void
decide_reply (RelanceUpcomingPage *self,
              gint64               id,
              const char          *decision,
              const GDate         *promise)
{
  const RelanceInboxMessage *reply = find_reply (self, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *who;

  if (reply == NULL)
    return;
  who = reply->client_name != NULL ? reply->client_name : reply->sender;
  for (guint i = 0; reply->invoices[i] != NULL && error == NULL; i++)
    {
      if (g_str_equal (decision, "dispute"))
        relance_store_dispute_invoice (RELANCE_PAGE_STORE (self), reply->invoices[i], &error);
      else if (g_str_equal (decision, "promise"))
        relance_store_set_invoice_promise (RELANCE_PAGE_STORE (self), reply->invoices[i], promise, &error);
    }
  if (error == NULL)
    relance_store_inbox_decide (RELANCE_PAGE_STORE (self), id, decision, &error);
  if (error != NULL)
    {
      /* Translators: the heading of an error dialog about a client's reply */
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Record Your Decision"), error);
      relance_page_reload (RELANCE_PAGE (self));
      return;
    }
  if (g_str_equal (decision, "dispute"))
    /* Translators: a toast; %s is a client's name */
    message = g_strdup_printf (_("Marked as disputed: no more reminders to %s for it"), who);
  else if (g_str_equal (decision, "promise"))
    {
      g_autofree char *date = relance_date_format (promise, relance_language_for_user ());

      /* Translators: a toast; %s is a client's name, then the date they promised */
      message = g_strdup_printf (_("%s promised to pay by %s"), who, date);
    }
  else
    /* Translators: a toast; %s is a client's name */
    message = g_strdup_printf (_("Reminders to %s go on"), who);
  relance_upcoming_page_add_toast (self, adw_toast_new (message));
}

static void
reply_decide_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gint64 id;
  const char *decision;

  g_variant_get (parameter, "(x&s)", &id, &decision);
  decide_reply (RELANCE_UPCOMING_PAGE (widget), id, decision, NULL);
}

static void
reply_promise_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gint64 id;
  const char *iso;
  GDate date;

  g_variant_get (parameter, "(x&s)", &id, &iso);
  if (!relance_date_from_iso (iso, &date))
    return;
  decide_reply (RELANCE_UPCOMING_PAGE (widget), id, "promise", &date);
}

/* The invoice's own payment dialog; the reply is settled once the payment is recorded
 * (relance-invoice-view.c), not when the owner only looks. */
static void
reply_payment_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (widget);
  const RelanceInboxMessage *reply = find_reply (self, g_variant_get_int64 (parameter));
  if (reply == NULL || reply->invoices[0] == NULL)
    return;
  /* The window's action: its Invoices page asks for the payment. */
  gtk_widget_activate_action (widget, "win.ask-payment", "s", reply->invoices[0]);
}

void
relance_upcoming_page_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "upcoming.send-due", NULL, send_due_action);
  gtk_widget_class_install_action (widget_class, "upcoming.send-now", "u", send_now_action);
  gtk_widget_class_install_action (widget_class, "upcoming.skip", "u", skip_action);
  gtk_widget_class_install_action (widget_class, "upcoming.whatsapp", "u", whatsapp_action);
  gtk_widget_class_install_action (widget_class, "upcoming.call-outcome", "u",
                                   call_outcome_action);
  gtk_widget_class_install_action (widget_class, "upcoming.postpone", "(us)", postpone_action);
  gtk_widget_class_install_action (widget_class, "upcoming.retry", "(xb)", retry_action);
  gtk_widget_class_install_action (widget_class, "upcoming.cancel", "(xb)", cancel_action);
  gtk_widget_class_install_action (widget_class, "upcoming.reply-decide", "(xs)",
                                   reply_decide_action);
  gtk_widget_class_install_action (widget_class, "upcoming.reply-promise", "(xs)",
                                   reply_promise_action);
  gtk_widget_class_install_action (widget_class, "upcoming.reply-payment", "x",
                                   reply_payment_action);
}
