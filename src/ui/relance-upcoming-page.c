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
 * address clears the bounce (a rule of the store).
 *
 * This file loads and fills the page; its rows are made in relance-upcoming-rows.c and
 * its actions are in relance-upcoming-actions.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clock.h"
#include "relance-inbox.h"
#include "relance-outbox.h"
#include "relance-store-ab.h"
#include "relance-ui-util.h"
#include "relance-upcoming-page-private.h"

G_DEFINE_FINAL_TYPE (RelanceUpcomingPage, relance_upcoming_page, RELANCE_TYPE_PAGE)

void
relance_upcoming_page_add_toast (RelanceUpcomingPage *self,
                                 AdwToast            *toast)
{
  relance_widget_add_toast (GTK_WIDGET (self), toast);
}

const RelancePlannedMessage *
relance_upcoming_page_planned_at (RelanceUpcomingPage *self,
                                  guint                index)
{
  if (self->planned == NULL || index >= self->planned->len)
    return NULL;
  return g_ptr_array_index (self->planned, index);
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
void
relance_upcoming_page_banner_set (GtkWidget  *banner,
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

void
relance_upcoming_page_update_sending (RelanceUpcomingPage *self)
{
  gboolean can_send = RELANCE_PAGE_STORE (self) != NULL && !self->paused && !self->sending;

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

  if (RELANCE_PAGE_STORE (self) == NULL)
    return;
  if (!relance_store_set_setting (RELANCE_PAGE_STORE (self), RELANCE_SETTING_PAUSED,
                                  paused ? "true" : "false", &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Change the Pause"), error);
      return;
    }
}

static void
pause_toggled_cb (RelanceUpcomingPage *self)
{
  if (self->filling)
    return;
  set_paused (self, gtk_switch_get_active (self->pause_switch));
}

static void
bounced_client_free (RelanceBouncedClient *bounced)
{
  relance_client_free (bounced->client);
  g_free (bounced->address);
  g_free (bounced);
}

/* ---- loading ------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *planned;   /* RelancePlannedMessage* */
  GPtrArray *problems;  /* RelanceOutboxItem* */
  GPtrArray *replies;   /* RelanceInboxMessage*, waiting for a decision */
  GPtrArray *bounced;   /* RelanceBouncedClient* */
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
      RelanceBouncedClient *bounced;

      if (client == NULL)
        continue;
      bounced = g_new0 (RelanceBouncedClient, 1);
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
      gtk_list_box_append (last_list, relance_upcoming_planned_row_new (self, message,
                                                                        self->n_rows, today,
                                                                        now));
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
                         relance_upcoming_problem_row_new (self,
                                                           g_ptr_array_index (problems, i)));

  for (guint i = 0; self->replies != NULL && i < self->replies->len; i++)
    gtk_list_box_append (self->replies_list,
                         relance_upcoming_reply_row_new (self,
                                                         g_ptr_array_index (self->replies, i)));
  for (guint i = 0; bounced != NULL && i < bounced->len; i++)
    gtk_list_box_append (self->tasks_list,
                         relance_upcoming_bounced_row_new (self,
                                                           g_ptr_array_index (bounced, i)));

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

static void
relance_upcoming_page_reload (RelancePage *page)
{
  RelanceUpcomingPage *self = RELANCE_UPCOMING_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autofree char *paused = NULL;


  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (RELANCE_PAGE_STORE (self) == NULL)
    {
      self->loading = FALSE;
      g_clear_pointer (&self->planned, g_ptr_array_unref);
      g_clear_pointer (&self->replies, g_ptr_array_unref);
      fill (self, NULL, NULL);
      relance_upcoming_page_update_sending (self);
      return;
    }

  paused = relance_store_get_setting (RELANCE_PAGE_STORE (self), RELANCE_SETTING_PAUSED);
  self->paused = g_strcmp0 (paused, "true") == 0;
  self->filling = TRUE;
  gtk_switch_set_active (self->pause_switch, self->paused);
  self->filling = FALSE;
  relance_upcoming_page_update_sending (self);

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, relance_upcoming_page_reload);
  g_task_set_task_data (task, g_strdup (relance_store_get_path (RELANCE_PAGE_STORE (self))), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
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
  g_clear_pointer (&self->planned, g_ptr_array_unref);
  g_clear_pointer (&self->replies, g_ptr_array_unref);

  G_OBJECT_CLASS (relance_upcoming_page_parent_class)->dispose (object);
}

static void
relance_upcoming_page_class_init (RelanceUpcomingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_upcoming_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_upcoming_page_reload;
  RELANCE_PAGE_CLASS (klass)->reads_in_worker = TRUE;


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

  relance_upcoming_page_actions_class_init (widget_class);
}

static void
relance_upcoming_page_init (RelanceUpcomingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The banner saying all reminders are paused is the window's, on every page. */
  self->account_banner = banner_new (self, NULL, NULL);
  relance_upcoming_page_update_sending (self);
}

gboolean
relance_upcoming_page_is_loading (RelanceUpcomingPage *self)
{
  g_return_val_if_fail (RELANCE_IS_UPCOMING_PAGE (self), FALSE);
  /* A change announced and not read yet counts: what is shown is about to change. */
  return self->loading || relance_page_is_stale (RELANCE_PAGE (self));
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

