/* relance-upcoming-rows.c: the rows of the Upcoming page: a planned reminder (its text
 * rendered when expanded), a reminder waiting for a decision, a client's reply and a
 * bounced address. Their buttons activate the page's actions (relance-upcoming-actions.c). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-client-dialog.h"
#include "relance-clock.h"
#include "relance-names.h"
#include "relance-outbox-labels.h"
#include "relance-store-ab.h"
#include "relance-ui-util.h"
#include "relance-upcoming-page-private.h"

static char *
format_scheduled (GDateTime *when,
                  gboolean   today)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  if (today)
    /* Translators: when a reminder goes out today, see g_date_time_format() */
    return g_date_time_format (local, _("%H:%M"));
  /* Translators: when a reminder goes out this week, see g_date_time_format() */
  return g_date_time_format (local, _("%A %e %B, %H:%M"));
}

static char *
invoice_numbers (const RelancePlannedMessage *message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) numbers = NULL;

  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);

      g_strv_builder_add (builder, p->invoice->number);
    }
  numbers = g_strv_builder_end (builder);
  return g_strjoinv (", ", numbers);
}

static void
expanded_cb (AdwExpanderRow      *row,
             GParamSpec          *pspec,
             RelanceUpcomingPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  GtkLabel *subject_label = g_object_get_data (G_OBJECT (row), "subject-label");
  GtkLabel *text_label = g_object_get_data (G_OBJECT (row), "text-label");
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const RelancePlannedMessage *message;

  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "rendered"))
    return;
  if ((message = relance_upcoming_page_planned_at (self, index)) == NULL)
    return;
  if (!relance_planner_render (RELANCE_PAGE_STORE (self), message, &subject, &text, NULL, &error))
    {
      gtk_label_set_text (subject_label, _("This reminder cannot be written"));
      gtk_label_set_text (text_label, error->message);
      return;
    }
  gtk_label_set_text (subject_label, subject);
  gtk_label_set_text (text_label, g_strstrip (text));
  g_object_set_data (G_OBJECT (row), "rendered", GINT_TO_POINTER (TRUE));
}

static void
promise_date_clicked_cb (GtkButton *button,
                         gpointer   user_data)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (button), "calendar");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  GVariant *target = g_object_get_data (G_OBJECT (button), "target");
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *iso = g_date_time_format (picked, "%Y-%m-%d");
  GVariant *both[] = { target, g_variant_new_string (iso) };

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_activate_action_variant (GTK_WIDGET (button), user_data,
                                      g_variant_new_tuple (both, G_N_ELEMENTS (both)));
}

/* A button whose popover asks for the date the client promised to pay by, a week from
 * now at first; @apply_label activates @action with (@target, the date in ISO). */
static GtkWidget *
promise_date_button_new (const char *label,
                         const char *apply_label,
                         const char *action,
                         GVariant   *target)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *text = gtk_label_new (_("The client promised to pay by this date: reminders "
                                     "wait until the day after."));
  GtkWidget *calendar = gtk_calendar_new ();
  GtkWidget *apply = gtk_button_new_with_mnemonic (apply_label);
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) week = g_date_time_add_days (local, PLAN_DAYS);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), label);
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 30);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), week);
  gtk_widget_add_css_class (apply, "suggested-action");
  g_object_set_data (G_OBJECT (apply), "calendar", calendar);
  g_object_set_data_full (G_OBJECT (apply), "target", g_variant_ref_sink (target),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect (apply, "clicked", G_CALLBACK (promise_date_clicked_cb), (gpointer) action);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), calendar);
  gtk_box_append (GTK_BOX (box), apply);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  return menu_button;
}

/* Puts @labels (NULL-terminated) and then @buttons (NULL-terminated) inside @row: the
 * buttons side by side, wrapping on a narrow window (three are wider than a phone's
 * 360 pixels). */
static void
expander_fill (AdwExpanderRow  *row,
               GtkWidget      **labels,
               GtkWidget      **buttons)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *flow = gtk_flow_box_new ();
  guint n = 0;

  for (; labels != NULL && *labels != NULL; labels++)
    gtk_box_append (GTK_BOX (box), *labels);
  for (; *buttons != NULL; buttons++, n++)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (flow), *buttons);
      /* Tab goes from button to button, not through the flow box's own children. */
      gtk_widget_set_focusable (gtk_widget_get_parent (*buttons), FALSE);
    }
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), MAX (n, 1));
  gtk_box_append (GTK_BOX (box), flow);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  adw_expander_row_add_row (row, box);
}

GtkWidget *
relance_upcoming_planned_row_new (RelanceUpcomingPage         *self,
                                  const RelancePlannedMessage *message,
                                  guint                        index,
                                  gboolean                     today,
                                  GDateTime                   *now)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *subject = gtk_label_new (_("Rendering…"));
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *skip = gtk_button_new_with_mnemonic (_("S_kip"));
  GtkWidget *send = gtk_button_new_with_mnemonic (_("Send _Now"));
  GtkWidget *postpone;
  g_autofree char *when = format_scheduled (message->scheduled_at, today);
  g_autofree char *numbers = invoice_numbers (message);
  g_autofree char *subtitle = NULL;
  g_autofree char *how = relance_channel_tone_display_name (message->channel,
                                                            message->step->tone);
  gboolean due = g_date_time_compare (message->scheduled_at, now) <= 0;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message->client->name);
  /* Translators: a planned reminder: time · invoice numbers · channel and tone ("Email,
   * courteous tone") */
  subtitle = g_strdup_printf (_("%s · %s · %s"), when, numbers, how);
  /* The subtitle of an expander row is markup in libadwaita 1.2. */
  {
    g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);
  }

  gtk_label_set_wrap (GTK_LABEL (subject), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subject), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (subject), TRUE);
  gtk_widget_add_css_class (subject, "heading");
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (skip), "upcoming.skip");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (skip), "u", index);
  gtk_widget_set_tooltip_text (skip, _("Do not send this reminder: the next step follows "
                                       "in its time"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (send), "upcoming.send-now");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (send), "u", index);
  if (due)
    gtk_widget_set_tooltip_text (send, _("Send the reminders that are due now, this one "
                                         "included"));
  else
    {
      g_autofree char *tooltip = NULL;

      /* Translators: %s is when a planned reminder is due, inside the send window */
      tooltip = g_strdup_printf (_("Reminders go out inside the send window, in the "
                                   "client’s time zone: this one is due %s."), when);
      gtk_widget_set_tooltip_text (send, tooltip);
      gtk_widget_set_sensitive (send, FALSE);
    }
  /* Friendly channels: a WhatsApp task opens the chat, a call ends with its outcome. */
  if (g_strcmp0 (message->channel, "task") == 0 && !message->handover)
    {
      gboolean whatsapp = g_str_has_prefix (message->template_key,
                                            RELANCE_WHATSAPP_TEMPLATE_PREFIX);

      g_object_unref (g_object_ref_sink (send));
      send = gtk_button_new_with_mnemonic (whatsapp ? _("Open _WhatsApp…")
                                                    : _("Call _Outcome…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (send),
                                      whatsapp ? "upcoming.whatsapp" : "upcoming.call-outcome");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (send), "u", index);
      gtk_widget_add_css_class (send, "suggested-action");
      gtk_widget_set_tooltip_text (send, whatsapp
                                   ? _("Open the chat with the text written in, then say "
                                       "whether you sent it")
                                   : _("Say how the call went: reached, no answer, a promise "
                                       "to pay, a dispute, or paid"));
    }
  postpone = promise_date_button_new (_("Postpone _Until…"), _("_Postpone"), "upcoming.postpone",
                                      g_variant_new_uint32 (index));
  gtk_widget_set_tooltip_text (postpone, _("Wait for the payment the client promised"));
  expander_fill (ADW_EXPANDER_ROW (row), (GtkWidget *[]) { subject, text, NULL },
                 (GtkWidget *[]) { skip, postpone, send, NULL });

  g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (row), "subject-label", subject);
  g_object_set_data (G_OBJECT (row), "text-label", text);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expanded_cb), self);
  return row;
}

static void
show_problem_clicked_cb (GtkButton           *button,
                         RelanceUpcomingPage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "outbox-id"));

  relance_show_outbox_message (GTK_WIDGET (self), RELANCE_PAGE_STORE (self), id);
}

GtkWidget *
relance_upcoming_problem_row_new (RelanceUpcomingPage     *self,
                                  const RelanceOutboxItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *show = gtk_button_new_from_icon_name ("mail-read-symbolic");
  g_autofree char *time = relance_format_instant (item->scheduled_at);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 item->subject != NULL && *item->subject != '\0'
                                 ? item->subject : item->client_name);
  /* Translators: a reminder waiting for a decision: client · state · time · the error */
  subtitle = g_strdup_printf (_("%s · %s · %s%s%s"), item->client_name,
                              relance_outbox_state_to_label (item->state), time,
                              item->last_error != NULL ? " · " : "",
                              item->last_error != NULL ? item->last_error : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_tooltip_text (show, _("Show the Message"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (show), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show the Message"), -1);
  g_object_set_data (G_OBJECT (show), "outbox-id", GSIZE_TO_POINTER (item->id));
  g_signal_connect (show, "clicked", G_CALLBACK (show_problem_clicked_cb), self);
  gtk_widget_set_visible (show, g_strcmp0 (item->channel, "email") == 0
                                || g_strcmp0 (item->channel, "sms") == 0);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "upcoming.retry");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "(xb)", item->id,
                                    g_strcmp0 (item->state, "uncertain") == 0);
  gtk_widget_set_tooltip_text (retry, _("Send it again at the next pass"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "upcoming.cancel");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (cancel), "(xb)", item->id,
                                    g_strcmp0 (item->state, "uncertain") == 0);
  gtk_widget_set_tooltip_text (cancel, _("Never send it; the next step follows in its time"));
  for (GtkWidget **w = (GtkWidget *[]) { show, retry, cancel, NULL }; *w != NULL; w++)
    {
      gtk_widget_set_valign (*w, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), *w);
    }
  return row;
}

/* ---- replies and bounces --------------------------------------------------------- */

static char *
reply_start (const char *text)
{
  g_autofree char *flat = NULL;
  glong length;

  if (text == NULL)
    return g_strdup ("");
  flat = g_strdup (text);
  g_strdelimit (flat, "\r\n\t", ' ');
  g_strstrip (flat);
  length = g_utf8_strlen (flat, -1);
  if (length <= 80)
    return g_steal_pointer (&flat);
  {
    g_autofree char *start = g_utf8_substring (flat, 0, 79);

    return g_strconcat (start, "…", NULL);
  }
}

GtkWidget *
relance_upcoming_reply_row_new (RelanceUpcomingPage       *self,
                                const RelanceInboxMessage *reply)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *text = gtk_label_new (reply->text != NULL ? reply->text : "");
  /* Translators: a button of a client's reply: their reminders go on as planned */
  GtkWidget *resume = gtk_button_new_with_mnemonic (_("_Resume"));
  /* Translators: a button of a client's reply: mark the invoices as disputed */
  GtkWidget *dispute = gtk_button_new_with_mnemonic (_("_Dispute"));
  /* Translators: a button of a client's reply: record the payment they announced */
  GtkWidget *payment = gtk_button_new_with_mnemonic (_("Pa_yment…"));
  GtkWidget *promise;
  g_autofree char *when = relance_format_instant (reply->received_at);
  g_autofree char *start = reply_start (reply->text);
  g_autofree char *numbers = g_strjoinv (", ", reply->invoices);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  const char *who = reply->client_name != NULL ? reply->client_name : reply->sender;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: a client's reply waiting for the owner: client — invoice numbers */
  title = g_strdup_printf (_("%s — %s"), who, numbers);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Translators: a client's reply: sender's address · date and time · start of the text */
  subtitle = g_strdup_printf (_("%s · %s · %s"), reply->sender, when, start);
  /* The subtitle of an expander row is markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (subtitle, -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);
  /* Few and waiting: the actions are one click away. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (resume), "upcoming.reply-decide");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (resume), "(xs)", reply->id, "resume");
  /* Translators: tooltip of the Resume button of a client's reply */
  gtk_widget_set_tooltip_text (resume, _("Nothing to change: reminders go on"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (dispute), "upcoming.reply-decide");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (dispute), "(xs)", reply->id, "dispute");
  /* Translators: tooltip of the Dispute button of a client's reply */
  gtk_widget_set_tooltip_text (dispute, _("The client disputes these invoices: reminders "
                                          "stop until you resume them"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (payment), "upcoming.reply-payment");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (payment), "x", reply->id);
  /* Translators: tooltip of the Payment button of a client's reply */
  gtk_widget_set_tooltip_text (payment, _("Record the payment the client announced"));

  promise = promise_date_button_new (
    /* Translators: a button of a client's reply: record the date they promised to pay by */
    _("_Promise Date…"),
    /* Translators: confirms the date chosen in the calendar of a client's reply */
    _("_Set Promise"),
    "upcoming.reply-promise", g_variant_new_int64 (reply->id));
  expander_fill (ADW_EXPANDER_ROW (row), (GtkWidget *[]) { text, NULL },
                 (GtkWidget *[]) { resume, dispute, promise, payment, NULL });
  return row;
}

static void
edit_client_clicked_cb (GtkButton           *button,
                        RelanceUpcomingPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "client-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = relance_store_get_client (RELANCE_PAGE_STORE (self), id, &error);

  if (client == NULL)
    {
      /* Translators: the heading of an error dialog */
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Open the Client"), error);
      return;
    }
  /* Saving the new address clears the bounce; the store's change reads the page again. */
  gtk_window_present (GTK_WINDOW (relance_client_dialog_new (
    relance_widget_get_window (GTK_WIDGET (self)), RELANCE_PAGE_STORE (self), client)));
}

GtkWidget *
relance_upcoming_bounced_row_new (RelanceUpcomingPage        *self,
                                  const RelanceBouncedClient *bounced)
{
  GtkWidget *row = adw_action_row_new ();
  /* Translators: the button of the task "Find a new address for …" */
  GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit Client…"));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: a task in Upcoming; %s is a client's name */
  title = g_strdup_printf (_("Find a new address for %s"), bounced->client->name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Translators: under "Find a new address for …"; %s is the address that bounced */
  subtitle = g_strdup_printf (_("Reminders to %s bounced; none is sent until the address "
                                "is changed"), bounced->address);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  /* Translators: tooltip of the Edit Client button of a bounced address */
  gtk_widget_set_tooltip_text (edit, _("Change the client’s email address"));
  g_object_set_data_full (G_OBJECT (edit), "client-id",
                          g_memdup2 (&bounced->client->id, sizeof (gint64)), g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (edit_client_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  return row;
}
