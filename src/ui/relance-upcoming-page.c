/* relance-upcoming-page.c: the Upcoming page of the main window.
 *
 * The plan (relance_planner_plan over the next seven days) and the reminders waiting for
 * a decision are read in a worker thread with its own connection, like the invoice list:
 * the planner reads every open invoice. A message is rendered only when its row is
 * expanded. The owner's decisions are written on the main thread, each in one
 * transaction, and the destructive ones can be undone from their toast:
 *  - Skip records the step of each invoice as `skipped` in reminders, as the outbox
 *    records a queued one, so the planner moves on to the next step;
 *  - Postpone sets a promise-to-pay date on the message's invoices (the planner holds an
 *    invoice until the day after its promise);
 *  - Send Now is the outbox's own send of what is due: there is no second queue, so it is
 *    offered only once the message is due. Queueing (planning and building the emails)
 *    runs in a worker with its own connection too; only then does the outbox send.
 * The clients' replies the inbox reader found wait here for the owner ("Replied — Your
 * Decision"): resume, dispute, a promise date or a payment, each through the usual store
 * function and then relance_store_inbox_decide(), which ends the reply pause. A client
 * whose address bounced gets a task row that opens the client dialog: saving a new
 * address clears the bounce (a rule of the store). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-account.h"
#include "relance-client-dialog.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-inbox.h"
#include "relance-language.h"
#include "relance-names.h"
#include "relance-outbox-labels.h"
#include "relance-outbox.h"
#include "relance-planner.h"
#include "relance-sms.h"
#include "relance-store-ab.h"
#include "relance-store-upcoming.h"
#include "relance-upcoming-page.h"
#include "relance-ui-util.h"
#include "relance-window.h"

#define PLAN_DAYS 7

struct _RelanceUpcomingPage
{
  AdwBin           parent_instance;

  RelanceStore    *store;
  GPtrArray       *planned;      /* RelancePlannedMessage*, as shown */
  GPtrArray       *replies;      /* RelanceInboxMessage*, pending replies as shown */
  guint            n_rows;       /* planned messages that have a row, from the first */
  GtkWidget       *more_row;     /* "Show More" after them, or NULL */
  GCancellable    *cancellable;  /* the load */
  GCancellable    *send_cancellable;
  gboolean         loading;
  gboolean         sending;
  gboolean         paused;
  gboolean         filling;

  GtkWidget       *account_banner;

  /* Template widgets */
  GtkBox          *banners_box;
  GtkSwitch       *pause_switch;
  AdwActionRow    *send_row;
  GtkSpinner      *send_spinner;
  GtkButton       *send_button;
  AdwStatusPage   *empty_page;
  GtkWidget       *problems_group;
  GtkListBox      *problems_list;
  GtkWidget       *replies_group;
  GtkListBox      *replies_list;
  GtkWidget       *tasks_group;
  GtkListBox      *tasks_list;
  GtkWidget       *today_group;
  GtkListBox      *today_list;
  GtkWidget       *week_group;
  GtkListBox      *week_list;
};

G_DEFINE_FINAL_TYPE (RelanceUpcomingPage, relance_upcoming_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static RelanceWindow *
main_window (RelanceUpcomingPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), RELANCE_TYPE_WINDOW);

  return window != NULL ? RELANCE_WINDOW (window) : NULL;
}

static void
changed_store (RelanceUpcomingPage *self)
{
  RelanceWindow *window = main_window (self);

  if (window != NULL)
    relance_window_notify_store_changed (window);
  else
    relance_upcoming_page_reload (self);
}

static void
add_toast (RelanceUpcomingPage *self,
           AdwToast            *toast)
{
  RelanceWindow *window = main_window (self);

  if (window != NULL)
    relance_window_add_toast (window, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ---- banners: AdwBanner where libadwaita has it, a GtkInfoBar before 1.3 ----------- */

static GtkWidget *
banner_new (RelanceUpcomingPage *self,
            const char          *button_label,
            GCallback            clicked)
{
  GtkWidget *banner;

#if ADW_CHECK_VERSION(1, 3, 0)
  banner = adw_banner_new ("");
  if (button_label != NULL)
    {
      adw_banner_set_button_label (ADW_BANNER (banner), button_label);
      g_signal_connect_swapped (banner, "button-clicked", clicked, self);
    }
#else
  GtkWidget *label = gtk_label_new (NULL);

  banner = gtk_info_bar_new ();
  gtk_info_bar_set_message_type (GTK_INFO_BAR (banner), GTK_MESSAGE_WARNING);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_info_bar_add_child (GTK_INFO_BAR (banner), label);
  g_object_set_data (G_OBJECT (banner), "label", label);
  if (button_label != NULL)
    {
      gtk_info_bar_add_button (GTK_INFO_BAR (banner), button_label, GTK_RESPONSE_ACCEPT);
      g_signal_connect_swapped (banner, "response", clicked, self);
    }
  gtk_info_bar_set_revealed (GTK_INFO_BAR (banner), FALSE);
#endif
  gtk_box_append (self->banners_box, banner);
  return banner;
}

/* Shows @banner with @title, or hides it when @title is NULL. */
static void
banner_set (GtkWidget  *banner,
            const char *title)
{
#if ADW_CHECK_VERSION(1, 3, 0)
  if (title != NULL)
    adw_banner_set_title (ADW_BANNER (banner), title);
  adw_banner_set_revealed (ADW_BANNER (banner), title != NULL);
#else
  if (title != NULL)
    gtk_label_set_text (g_object_get_data (G_OBJECT (banner), "label"), title);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (banner), title != NULL);
#endif
}

static void
update_sending (RelanceUpcomingPage *self)
{
  gboolean can_send = self->store != NULL && !self->paused && !self->sending;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upcoming.send-due", can_send);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upcoming.send-now", can_send);
  gtk_widget_set_visible (GTK_WIDGET (self->send_spinner), self->sending);
  gtk_spinner_set_spinning (self->send_spinner, self->sending);
  if (self->paused)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button),
                                 _("Resume the reminders to send them"));
  else if (self->sending)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button), _("Sending…"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button),
                                 _("Send every reminder that is due now, inside the send "
                                   "window"));
}

static void
set_paused (RelanceUpcomingPage *self,
            gboolean             paused)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!relance_store_set_setting (self->store, RELANCE_SETTING_PAUSED,
                                  paused ? "true" : "false", &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Change the Pause"), error);
      return;
    }
  changed_store (self);
}

static void
pause_toggled_cb (RelanceUpcomingPage *self)
{
  if (self->filling)
    return;
  set_paused (self, gtk_switch_get_active (self->pause_switch));
}

/* ---- rows ---------------------------------------------------------------------- */

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

  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "rendered"))
    return;
  if (self->planned == NULL || index >= self->planned->len)
    return;
  if (!relance_planner_render (self->store, g_ptr_array_index (self->planned, index), &subject,
                               &text, NULL, &error))
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
postpone_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (button), "calendar");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *iso = g_date_time_format (picked, "%Y-%m-%d");

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_activate_action (GTK_WIDGET (button), "upcoming.postpone", "(us)", index, iso);
}

static GtkWidget *
postpone_button_new (RelanceUpcomingPage *self,
                     guint                index)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_("The client promised to pay by this date: reminders "
                                      "wait until the day after."));
  GtkWidget *calendar = gtk_calendar_new ();
  GtkWidget *apply = gtk_button_new_with_mnemonic (_("_Postpone"));
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) week = g_date_time_add_days (local, PLAN_DAYS);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Postpone _Until…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_tooltip_text (menu_button, _("Wait for the payment the client promised"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), week);
  gtk_widget_add_css_class (apply, "suggested-action");
  g_object_set_data (G_OBJECT (apply), "calendar", calendar);
  g_object_set_data (G_OBJECT (apply), "index", GUINT_TO_POINTER (index));
  g_signal_connect (apply, "clicked", G_CALLBACK (postpone_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), calendar);
  gtk_box_append (GTK_BOX (box), apply);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  return menu_button;
}

static GtkWidget *
planned_row_new (RelanceUpcomingPage         *self,
                 const RelancePlannedMessage *message,
                 guint                        index,
                 gboolean                     today,
                 GDateTime                   *now)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *subject = gtk_label_new (_("Rendering…"));
  GtkWidget *text = gtk_label_new (NULL);
  /* Three buttons side by side are wider than a phone (360 px): they wrap instead. */
  GtkWidget *buttons = gtk_flow_box_new ();
  GtkWidget *skip = gtk_button_new_with_mnemonic (_("S_kip"));
  GtkWidget *send = gtk_button_new_with_mnemonic (_("Send _Now"));
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
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (buttons), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 3);
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
  for (GtkWidget **w = (GtkWidget *[]) { skip, postpone_button_new (self, index), send, NULL };
       *w != NULL;
       w++)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), *w);
      /* Tab goes from button to button, not through the flow box's own children. */
      gtk_widget_set_focusable (gtk_widget_get_parent (*w), FALSE);
    }

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), subject);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), buttons);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), box);

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

  relance_show_outbox_message (GTK_WIDGET (self), self->store, id);
}

static GtkWidget *
problem_row_new (RelanceUpcomingPage     *self,
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

typedef struct
{
  RelanceClient *client;
  char          *address;  /* the address that bounced */
} BouncedClient;

static void
bounced_client_free (BouncedClient *bounced)
{
  relance_client_free (bounced->client);
  g_free (bounced->address);
  g_free (bounced);
}

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

static void
reply_promise_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (button), "calendar");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "reply-id");
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *iso = g_date_time_format (picked, "%Y-%m-%d");

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_activate_action (GTK_WIDGET (button), "upcoming.reply-promise", "(xs)", id, iso);
}

/* The same date chooser as Postpone, for the date the client promised in their reply. */
static GtkWidget *
reply_promise_button_new (gint64 id)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_("The client promised to pay by this date: reminders "
                                      "wait until the day after."));
  GtkWidget *calendar = gtk_calendar_new ();
  /* Translators: confirms the date chosen in the calendar of a client's reply */
  GtkWidget *apply = gtk_button_new_with_mnemonic (_("_Set Promise"));
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) week = g_date_time_add_days (local, PLAN_DAYS);

  /* Translators: a button of a client's reply: record the date they promised to pay by */
  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("_Promise Date…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), week);
  gtk_widget_add_css_class (apply, "suggested-action");
  g_object_set_data (G_OBJECT (apply), "calendar", calendar);
  g_object_set_data_full (G_OBJECT (apply), "reply-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect (apply, "clicked", G_CALLBACK (reply_promise_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), calendar);
  gtk_box_append (GTK_BOX (box), apply);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  return menu_button;
}

static GtkWidget *
reply_row_new (RelanceUpcomingPage       *self,
               const RelanceInboxMessage *reply)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *text = gtk_label_new (reply->text != NULL ? reply->text : "");
  GtkWidget *buttons = gtk_flow_box_new ();
  /* Translators: a button of a client's reply: their reminders go on as planned */
  GtkWidget *resume = gtk_button_new_with_mnemonic (_("_Resume"));
  /* Translators: a button of a client's reply: mark the invoices as disputed */
  GtkWidget *dispute = gtk_button_new_with_mnemonic (_("_Dispute"));
  /* Translators: a button of a client's reply: record the payment they announced */
  GtkWidget *payment = gtk_button_new_with_mnemonic (_("Pa_yment…"));
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

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (buttons), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 4);
  for (GtkWidget **w = (GtkWidget *[]) { resume, dispute, reply_promise_button_new (reply->id),
                                         payment, NULL };
       *w != NULL;
       w++)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), *w);
      gtk_widget_set_focusable (gtk_widget_get_parent (*w), FALSE);
    }

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), buttons);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), box);
  return row;
}

static void
client_saved_cb (RelanceClientDialog *dialog,
                 gint64               id,
                 RelanceUpcomingPage *self)
{
  changed_store (self);
}

static void
edit_client_clicked_cb (GtkButton           *button,
                        RelanceUpcomingPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "client-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = relance_store_get_client (self->store, id, &error);
  RelanceClientDialog *dialog;

  if (client == NULL)
    {
      /* Translators: the heading of an error dialog */
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Open the Client"), error);
      return;
    }
  dialog = relance_client_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                      self->store, client);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (client_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
bounced_row_new (RelanceUpcomingPage *self,
                 const BouncedClient *bounced)
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

/* ---- loading ------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *planned;   /* RelancePlannedMessage* */
  GPtrArray *problems;  /* RelanceOutboxItem* */
  GPtrArray *replies;   /* RelanceInboxMessage*, waiting for a decision */
  GPtrArray *bounced;   /* BouncedClient* */
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->planned, g_ptr_array_unref);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_clear_pointer (&result->replies, g_ptr_array_unref);
  g_clear_pointer (&result->bounced, g_ptr_array_unref);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) until = g_date_time_add_days (now, PLAN_DAYS);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) holds = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  store = relance_store_open_quick (path, &error);
  if (store == NULL
      || (result->planned = relance_planner_plan (store, now, until, RELANCE_PLAN_ALL,
                                                  &error)) == NULL
      || (items = relance_outbox_list (store, NULL, &error)) == NULL
      || (result->replies = relance_store_inbox_pending_replies (store, &error)) == NULL
      || (holds = relance_store_inbox_invalid_addresses (store, &error)) == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_outbox_item_free);
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->state, "failed") == 0 || g_strcmp0 (item->state, "uncertain") == 0)
        g_ptr_array_add (result->problems, g_ptr_array_steal_index (items, i--));
    }
  result->bounced = g_ptr_array_new_with_free_func ((GDestroyNotify) bounced_client_free);
  for (guint i = 0; i < holds->len; i++)
    {
      RelanceClientHold *hold = g_ptr_array_index (holds, i);
      RelanceClient *client = relance_store_get_client (store, hold->client_id, NULL);
      BouncedClient *bounced;

      if (client == NULL)
        continue;
      bounced = g_new0 (BouncedClient, 1);
      bounced->client = client;
      bounced->address = g_strdup (hold->invalid_address);
      g_ptr_array_add (result->bounced, bounced);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

/* A row (an AdwExpanderRow and its children) per planned message would, at 100 000
 * invoices, be thousands of rows made before the window can paint: seconds and hundreds
 * of MB for a page that may not even be looked at. Rows come in batches instead, with a
 * "Show More" row after the last one. */
#define ROWS_PER_BATCH 50

static void append_planned_rows (RelanceUpcomingPage *self);

static void
more_activated_cb (AdwActionRow        *row,
                   RelanceUpcomingPage *self)
{
  append_planned_rows (self);
  /* The keyboard focus was on the row that went: give it to the first new one. */
  if (self->n_rows > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->week_list), GTK_DIR_TAB_FORWARD);
}

static void
append_planned_rows (RelanceUpcomingPage *self)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  GtkListBox *last_list = self->today_list;
  guint end;

  if (self->more_row != NULL)
    {
      gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (self->more_row)),
                           self->more_row);
      self->more_row = NULL;
    }
  if (self->planned == NULL)
    return;

  end = MIN (self->planned->len, self->n_rows + ROWS_PER_BATCH);
  for (; self->n_rows < end; self->n_rows++)
    {
      RelancePlannedMessage *message = g_ptr_array_index (self->planned, self->n_rows);
      g_autoptr(GDateTime) local = g_date_time_to_local (message->scheduled_at);
      gboolean today = g_date_time_get_year (local) == g_date_time_get_year (local_now)
                       && g_date_time_get_day_of_year (local)
                          == g_date_time_get_day_of_year (local_now);

      last_list = today ? self->today_list : self->week_list;
      gtk_list_box_append (last_list, planned_row_new (self, message, self->n_rows, today, now));
    }
  if (self->n_rows < self->planned->len)
    {
      guint left = self->planned->len - self->n_rows;
      g_autofree char *subtitle =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more reminder planned",
                                      "%u more reminders planned", left), left);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Show More"));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (more_activated_cb), self);
      gtk_list_box_append (last_list, row);
      self->more_row = row;
    }
  gtk_widget_set_visible (self->today_group,
                          gtk_widget_get_first_child (GTK_WIDGET (self->today_list)) != NULL);
  gtk_widget_set_visible (self->week_group,
                          gtk_widget_get_first_child (GTK_WIDGET (self->week_list)) != NULL);
}

static void
fill (RelanceUpcomingPage *self,
      GPtrArray           *problems,
      GPtrArray           *bounced)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  guint n_today = 0;
  guint n_week = 0;
  guint n_due = 0;

  self->more_row = NULL;
  self->n_rows = 0;
  relance_list_box_remove_all (self->today_list);
  relance_list_box_remove_all (self->week_list);
  relance_list_box_remove_all (self->problems_list);
  relance_list_box_remove_all (self->replies_list);
  relance_list_box_remove_all (self->tasks_list);

  for (guint i = 0; self->planned != NULL && i < self->planned->len; i++)
    {
      RelancePlannedMessage *message = g_ptr_array_index (self->planned, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (message->scheduled_at);
      gboolean today = g_date_time_get_year (local) == g_date_time_get_year (local_now)
                       && g_date_time_get_day_of_year (local)
                          == g_date_time_get_day_of_year (local_now);

      if (today)
        n_today++;
      else
        n_week++;
      if (g_date_time_compare (message->scheduled_at, now) <= 0)
        n_due++;
    }
  append_planned_rows (self);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    gtk_list_box_append (self->problems_list,
                         problem_row_new (self, g_ptr_array_index (problems, i)));

  for (guint i = 0; self->replies != NULL && i < self->replies->len; i++)
    gtk_list_box_append (self->replies_list,
                         reply_row_new (self, g_ptr_array_index (self->replies, i)));
  for (guint i = 0; bounced != NULL && i < bounced->len; i++)
    gtk_list_box_append (self->tasks_list,
                         bounced_row_new (self, g_ptr_array_index (bounced, i)));

  gtk_widget_set_visible (self->problems_group, problems != NULL && problems->len > 0);
  gtk_widget_set_visible (self->replies_group, self->replies != NULL && self->replies->len > 0);
  gtk_widget_set_visible (self->tasks_group, bounced != NULL && bounced->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page),
                          !self->loading && n_today + n_week == 0
                          && (problems == NULL || problems->len == 0)
                          && (self->replies == NULL || self->replies->len == 0)
                          && (bounced == NULL || bounced->len == 0));
  if (n_due == 0)
    adw_action_row_set_subtitle (self->send_row, _("Nothing is due at this moment"));
  else
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reminder is due now",
                                           "%u reminders are due now", n_due), n_due);
      adw_action_row_set_subtitle (self->send_row, text);
    }
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (object);
  g_autoptr(GError) error = NULL;
  LoadResult *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  g_clear_pointer (&self->planned, g_ptr_array_unref);
  g_clear_pointer (&self->replies, g_ptr_array_unref);
  if (loaded == NULL)
    {
      g_warning ("Could not plan the reminders: %s", error->message);
      fill (self, NULL, NULL);
      return;
    }
  self->planned = g_steal_pointer (&loaded->planned);
  self->replies = g_steal_pointer (&loaded->replies);
  fill (self, loaded->problems, loaded->bounced);
  load_result_free (loaded);
}

void
relance_upcoming_page_reload (RelanceUpcomingPage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *paused = NULL;

  g_return_if_fail (RELANCE_IS_UPCOMING_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    {
      self->loading = FALSE;
      g_clear_pointer (&self->planned, g_ptr_array_unref);
      g_clear_pointer (&self->replies, g_ptr_array_unref);
      fill (self, NULL, NULL);
      update_sending (self);
      return;
    }

  paused = relance_store_get_setting (self->store, RELANCE_SETTING_PAUSED);
  self->paused = g_strcmp0 (paused, "true") == 0;
  self->filling = TRUE;
  gtk_switch_set_active (self->pause_switch, self->paused);
  self->filling = FALSE;
  update_sending (self);

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, relance_upcoming_page_reload);
  g_task_set_task_data (task, g_strdup (relance_store_get_path (self->store)), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

/* ---- skip and postpone, with undo ---------------------------------------------- */

typedef struct
{
  RelanceStore *store;
  GArray       *steps;     /* RelanceInvoiceStep (skip) */
  GArray       *ids;       /* gint64 invoices (postpone)… */
  GArray       *previous;  /* …and the GDate of the promise each had */
} UndoData;

static void
undo_data_free (UndoData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->steps, g_array_unref);
  g_clear_pointer (&data->ids, g_array_unref);
  g_clear_pointer (&data->previous, g_array_unref);
  g_free (data);
}

/* A toast saying @title whose Undo calls @undo with @data (transfer full). */
static void
add_undo_toast (RelanceUpcomingPage *self,
                const char          *title,
                UndoData            *data,
                GCallback            undo)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "undo", data, (GDestroyNotify) undo_data_free);
  g_signal_connect_object (toast, "button-clicked", undo, self, 0);
  changed_store (self);
  add_toast (self, toast);
}

static void
undo_skip_cb (AdwToast            *toast,
              RelanceUpcomingPage *self)
{
  UndoData *data = g_object_get_data (G_OBJECT (toast), "undo");
  g_autoptr(GError) error = NULL;

  if (!relance_store_unskip_steps (data->store, (const RelanceInvoiceStep *) data->steps->data,
                                   data->steps->len, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Undo"), error);
      return;
    }
  changed_store (self);
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

  if (self->planned == NULL || index >= self->planned->len)
    return;
  message = g_ptr_array_index (self->planned, index);

  data = g_new0 (UndoData, 1);
  data->store = g_object_ref (self->store);
  data->steps = g_array_sized_new (FALSE, FALSE, sizeof (RelanceInvoiceStep),
                                   message->invoices->len);
  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);
      RelanceInvoiceStep step = { p->invoice->id, p->step->id };

      g_array_append_val (data->steps, step);
    }
  if (!relance_store_skip_steps (self->store, (const RelanceInvoiceStep *) data->steps->data,
                                 data->steps->len, message->channel, message->handover,
                                 g_date_time_to_unix (message->scheduled_at), &error))
    {
      undo_data_free (data);
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Skip the Reminder"), error);
      return;
    }

  /* Translators: a toast after skipping a planned reminder; %s is the client's name */
  title = g_markup_printf_escaped (_("Reminder to %s skipped"), message->client->name);
  add_undo_toast (self, title, data, G_CALLBACK (undo_skip_cb));
}

static void
undo_postpone_cb (AdwToast            *toast,
                  RelanceUpcomingPage *self)
{
  UndoData *data = g_object_get_data (G_OBJECT (toast), "undo");
  g_autoptr(GError) error = NULL;

  if (!relance_store_restore_invoice_promises (data->store, (const gint64 *) data->ids->data,
                                               data->ids->len, data->previous, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Undo"), error);
      return;
    }
  changed_store (self);
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
  if (self->planned == NULL || index >= self->planned->len || !relance_date_from_iso (iso, &date))
    return;
  message = g_ptr_array_index (self->planned, index);

  data = g_new0 (UndoData, 1);
  data->store = g_object_ref (self->store);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), message->invoices->len);
  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);

      g_array_append_val (data->ids, p->invoice->id);
    }
  if (!relance_store_promise_invoices (self->store, (const gint64 *) data->ids->data,
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
  add_undo_toast (self, title, data, G_CALLBACK (undo_postpone_cb));
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
      update_sending (self);
      changed_store (self);
      return;
    }
  banner_set (self->account_banner,
              report.account_error != NULL ? report.account_error->message : NULL);
  summary = describe_report (&report, queued);
  add_toast (self, adw_toast_new (summary));
  g_clear_error (&report.account_error);
  update_sending (self);
  changed_store (self);
}

static gboolean
check_ready_to_send (RelanceUpcomingPage  *self,
                     GError              **error)
{
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(RelanceCompany) company = NULL;

  if ((account = relance_account_load (self->store, error)) == NULL)
    return FALSE;
  if ((company = relance_store_get_company (self->store, error)) == NULL)
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
  if (self->store == NULL
      || g_strcmp0 (relance_store_get_path (self->store),
                    g_object_get_data (G_OBJECT (self), "queue-path")) != 0)
    {
      self->sending = FALSE;
      update_sending (self);
      return;
    }
  if (queued == NULL)
    {
      self->sending = FALSE;
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Reminders"), error);
      update_sending (self);
      changed_store (self);
      return;
    }
  g_object_set_data (G_OBJECT (self), "queued", GUINT_TO_POINTER (queued->len));
  relance_outbox_send_async (self->store, self->send_cancellable, NULL, NULL, send_cb,
                             g_object_ref (self));
}

static void
send_due (RelanceUpcomingPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();

  if (self->store == NULL || self->paused || self->sending)
    return;
  if (!check_ready_to_send (self, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Send the Reminders"), error);
      return;
    }
  self->sending = TRUE;
  update_sending (self);
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "queue-path",
                          g_strdup (relance_store_get_path (self->store)), g_free);
  /* Planning and building every email (GMime, QR code, PDF letter) takes seconds with
   * many invoices: in a worker, so the window keeps responding. */
  relance_outbox_queue_due_async (relance_store_get_path (self->store), now,
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

  if (self->planned == NULL || index >= self->planned->len)
    return;
  message = g_ptr_array_index (self->planned, index);
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

  if (self->planned == NULL || index >= self->planned->len)
    return;
  message = g_ptr_array_index (self->planned, index);
  if (!relance_outbox_record_task (self->store, message, outcome, promise_date, now, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Record the Task"), error);
      return;
    }
  if (outcome == RELANCE_TASK_CALL_NO_ANSWER)
    add_toast (self, adw_toast_new (_("No answer: the call stays planned")));
  else
    add_toast (self, adw_toast_new (_("Recorded on the invoice’s timeline")));
  changed_store (self);
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

  if (self->planned == NULL || index >= self->planned->len)
    return;
  message = g_ptr_array_index (self->planned, index);
  company = relance_store_get_company (self->store, NULL);
  if (!relance_planner_render (self->store, message, NULL, &text, NULL, &error)
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

  if (self->planned == NULL || index >= self->planned->len)
    return;
  message = g_ptr_array_index (self->planned, index);
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
  gboolean ok = retry ? relance_outbox_retry (self->store, id, &error)
                      : relance_outbox_cancel (self->store, id, &error);

  if (!ok)
    {
      relance_show_error_dialog (GTK_WIDGET (self),
                                 retry ? _("Could Not Retry the Reminder")
                                       : _("Could Not Cancel the Reminder"), error);
      return;
    }
  add_toast (self, adw_toast_new (retry ? _("The reminder will be sent again")
                                        : _("The reminder was cancelled")));
  changed_store (self);
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
        relance_store_dispute_invoice (self->store, reply->invoices[i], &error);
      else if (g_str_equal (decision, "promise"))
        relance_store_set_invoice_promise (self->store, reply->invoices[i], promise, &error);
    }
  if (error == NULL)
    relance_store_inbox_decide (self->store, id, decision, &error);
  if (error != NULL)
    {
      /* Translators: the heading of an error dialog about a client's reply */
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Record Your Decision"), error);
      changed_store (self);
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
  add_toast (self, adw_toast_new (message));
  changed_store (self);
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
  RelanceWindow *window = main_window (self);

  if (reply == NULL || reply->invoices[0] == NULL || window == NULL)
    return;
  relance_window_ask_payment (window, reply->invoices[0]);
}

/* ---- the object ---------------------------------------------------------------- */

static void
relance_upcoming_page_dispose (GObject *object)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->send_cancellable);
  g_clear_object (&self->send_cancellable);
  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  g_clear_pointer (&self->planned, g_ptr_array_unref);
  g_clear_pointer (&self->replies, g_ptr_array_unref);

  G_OBJECT_CLASS (relance_upcoming_page_parent_class)->dispose (object);
}

static void
relance_upcoming_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (object);

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
relance_upcoming_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      relance_upcoming_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_upcoming_page_class_init (RelanceUpcomingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_upcoming_page_dispose;
  object_class->get_property = relance_upcoming_page_get_property;
  object_class->set_property = relance_upcoming_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELANCE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-upcoming-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, banners_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, pause_switch);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, send_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, send_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, problems_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, replies_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, replies_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, tasks_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, tasks_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, today_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, today_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, week_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceUpcomingPage, week_list);
  gtk_widget_class_bind_template_callback (widget_class, pause_toggled_cb);

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

static void
relance_upcoming_page_init (RelanceUpcomingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The banner saying all reminders are paused is the window's, on every page. */
  self->account_banner = banner_new (self, NULL, NULL);
  update_sending (self);
}

RelanceStore *
relance_upcoming_page_get_store (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), NULL);
  return self->store;
}

void
relance_upcoming_page_set_store (RelanceUpcomingPage *self,
                                 RelanceStore        *store)
{
  g_return_if_fail (RELANCE_IS_UPCOMING_PAGE (self));
  g_return_if_fail (store == NULL || RELANCE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
      relance_upcoming_page_reload (self);
    }
}

gboolean
relance_upcoming_page_is_loading (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), FALSE);
  return self->loading;
}

guint
relance_upcoming_page_get_n_planned (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), 0);
  return self->planned != NULL ? self->planned->len : 0;
}

GtkWidget *
relance_upcoming_page_get_send_button (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), NULL);
  return GTK_WIDGET (self->send_button);
}

GtkListBox *
relance_upcoming_page_get_replies_list (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), NULL);
  return self->replies_list;
}

GtkListBox *
relance_upcoming_page_get_tasks_list (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), NULL);
  return self->tasks_list;
}

GtkSwitch *
relance_upcoming_page_get_pause_switch (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), NULL);
  return self->pause_switch;
}

gboolean
relance_upcoming_page_get_paused_banner_shown (RelanceUpcomingPage *self)
{
  GtkWidget *window;

  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), FALSE);
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), RELANCE_TYPE_WINDOW);
  return window != NULL && relance_window_get_paused_banner_shown (RELANCE_WINDOW (window));
}
