/* relance-clients-page.c: the Clients page of the main window.
 * (Over 800 lines: the list and a client's page share one leaflet, its state and reload.)
 *
 * The list (clients with what they owe and what is overdue) is read in a worker thread
 * with its own connection: the totals add up every invoice, which at 100 000 of them is
 * too slow for the main loop. A client's own page reads a handful of rows and does it on
 * the main thread. Each change is announced by the store, and every page reads it again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-client-dialog.h"
#include "relance-client-object.h"
#include "relance-clients-page.h"
#include "relance-page.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-invoice-object.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-names.h"
#include "relance-outbox-labels.h"
#include "relance-outbox.h"
#include "relance-proof-export.h"
#include "relance-scenario.h"
#include "relance-store-clients.h"
#include "relance-ui-util.h"

struct _RelanceClientsPage
{
  RelancePage         parent_instance;

  GtkSpinner         *loading_spinner;
  GListStore         *clients;       /* RelanceClientObject */
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  char               *folded_search;
  GCancellable       *cancellable;
  gboolean            loading;

  RelanceClient      *client;        /* the one on the client page, or NULL */
  GArray             *scenario_ids;  /* gint64 per scenario_row item; 0 = segment's */
  gboolean            filling;

  /* Template widgets */
  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkLabel           *title_label;
  GtkListBox         *details_list;
  AdwComboRow        *scenario_row;
  GtkSwitch          *pause_switch;
  GtkSwitch          *do_not_remind_switch;
  GtkListBox         *invoices_list;
  GtkListBox         *timeline_list;
};

G_DEFINE_FINAL_TYPE (RelanceClientsPage, relance_clients_page, RELANCE_TYPE_PAGE)

static void fill_client (RelanceClientsPage *self);

/* ---- the list ------------------------------------------------------------------- */

static void
update_stack (RelanceClientsPage *self)
{
  const char *name;

  if (self->loading && g_list_model_get_n_items (G_LIST_MODEL (self->clients)) == 0)
    name = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->clients)) == 0)
    name = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    name = "no-results";
  else
    name = "list";
  gtk_stack_set_visible_child_name (self->stack, name);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  RelanceClientsPage *self = user_data;

  return relance_client_object_matches (item, self->folded_search);
}

static void
search_changed_cb (RelanceClientsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_strstrip (folded);
  if (self->folded_search != NULL && g_str_has_prefix (folded, self->folded_search))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->folded_search != NULL && g_str_has_prefix (self->folded_search, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  g_free (self->folded_search);
  self->folded_search = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_stack (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *labels[4];

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      labels[i] = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (labels[i]), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (labels[i]), i < 2 ? 0.0f : 1.0f);
      gtk_box_append (GTK_BOX (i < 2 ? left : right), labels[i]);
    }
  gtk_widget_add_css_class (labels[0], "heading");
  gtk_widget_add_css_class (labels[1], "dim-label");
  gtk_widget_add_css_class (labels[1], "caption");
  gtk_widget_add_css_class (labels[2], "numeric");
  gtk_widget_add_css_class (labels[3], "error");
  gtk_widget_add_css_class (labels[3], "caption");
  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_valign (right, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), left);
  gtk_box_append (GTK_BOX (box), right);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  RelanceClientObject *object = gtk_list_item_get_item (list_item);
  const RelanceClient *client = relance_client_object_get_client (object);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *left = gtk_widget_get_first_child (box);
  GtkWidget *right = gtk_widget_get_last_child (box);
  GtkLabel *name = GTK_LABEL (gtk_widget_get_first_child (left));
  GtkLabel *email = GTK_LABEL (gtk_widget_get_last_child (left));
  GtkLabel *outstanding = GTK_LABEL (gtk_widget_get_first_child (right));
  GtkLabel *overdue = GTK_LABEL (gtk_widget_get_last_child (right));
  const char *overdue_text = relance_client_object_get_overdue (object);
  g_autofree char *overdue_label = NULL;
  const char *contact = client->email != NULL ? client->email : client->phone;

  gtk_label_set_text (name, client->name);
  if (client->paused || client->do_not_remind)
    {
      g_autofree char *text = NULL;

      /* Translators: a client's contact in the list, and why they get no reminder */
      text = g_strdup_printf (_("%s · %s"), contact != NULL ? contact : "",
                              client->do_not_remind ? _("Do not remind") : _("Paused"));
      gtk_label_set_text (email, text);
    }
  else
    gtk_label_set_text (email, contact != NULL ? contact : "");
  gtk_widget_set_visible (GTK_WIDGET (email), *gtk_label_get_text (email) != '\0');
  gtk_label_set_text (outstanding, relance_client_object_get_outstanding (object));
  if (*overdue_text != '\0')
    /* Translators: under what a client owes in the list: the part of it that is late */
    overdue_label = g_strdup_printf (_("%s overdue"), overdue_text);
  gtk_label_set_text (overdue, overdue_label != NULL ? overdue_label : "");
  gtk_widget_set_visible (GTK_WIDGET (overdue), overdue_label != NULL);
}

typedef struct
{
  char  *path;
  GDate  today;
  char  *language;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_free (job->language);
  g_free (job);
}

/* Adds "1 200,00 €" to @totals (per client id) as " + "-joined text. */
static void
append_total (GHashTable *totals,
              gint64      client_id,
              gint64      amount,
              const char *currency,
              const char *language)
{
  GString *text = g_hash_table_lookup (totals, &client_id);
  g_autofree char *formatted = NULL;

  if (amount <= 0)
    return;
  formatted = relance_money_format (amount, currency, language);
  if (text == NULL)
    {
      text = g_string_new (NULL);
      g_hash_table_insert (totals, g_memdup2 (&client_id, sizeof client_id), text);
    }
  else
    g_string_append (text, " + ");
  g_string_append (text, formatted);
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) balances = NULL;
  g_autoptr(GHashTable) outstanding = NULL;
  g_autoptr(GHashTable) overdue = NULL;

  store = relance_store_open_quick (job->path, &error);
  if (store == NULL || (clients = relance_store_list_clients (store, &error)) == NULL
      || (balances = relance_store_list_client_balances (store, &job->today, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  outstanding = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_gstring);
  overdue = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_gstring);
  for (guint i = 0; i < balances->len; i++)
    {
      const RelanceClientBalance *balance = g_ptr_array_index (balances, i);

      append_total (outstanding, balance->client_id, balance->outstanding, balance->currency,
                    job->language);
      append_total (overdue, balance->client_id, balance->overdue, balance->currency,
                    job->language);
    }

  objects = g_ptr_array_new_full (clients->len, g_object_unref);
  for (guint i = 0; i < clients->len; i++)
    {
      RelanceClient *client = g_ptr_array_index (clients, i);
      GString *owed = g_hash_table_lookup (outstanding, &client->id);
      GString *late = g_hash_table_lookup (overdue, &client->id);

      g_ptr_array_index (clients, i) = NULL;
      g_ptr_array_add (objects, relance_client_object_new (client,
                                                          owed != NULL ? owed->str : "",
                                                          late != NULL ? late->str : ""));
    }
  g_task_return_pointer (task, g_steal_pointer (&objects), (GDestroyNotify) g_ptr_array_unref);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (objects == NULL)
    {
      g_warning ("Could not list the clients: %s", error->message);
      update_stack (self);
      return;
    }
  g_list_store_splice (self->clients, 0, g_list_model_get_n_items (G_LIST_MODEL (self->clients)),
                       objects->pdata, objects->len);
  update_stack (self);
}

static void
relance_clients_page_reload (RelancePage *page)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (page);
  g_autoptr(GTask) task = NULL;
  LoadJob *job;


  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (RELANCE_PAGE_STORE (self) == NULL)
    {
      self->loading = FALSE;
      g_list_store_remove_all (self->clients);
      update_stack (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  job = g_new0 (LoadJob, 1);
  job->path = g_strdup (relance_store_get_path (RELANCE_PAGE_STORE (self)));
  relance_clock_today (NULL, &job->today);
  job->language = g_strdup (relance_language_for_user ());
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, relance_clients_page_reload);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
  update_stack (self);

  if (self->client != NULL)
    fill_client (self);
}

/* ---- a client's page ----------------------------------------------------------- */

static void
add_detail (GtkListBox *list,
            const char *title,
            const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               value != NULL && *value != '\0' ? value : C_("value", "None"));
  gtk_list_box_append (list, row);
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static const char *
segment_label (const char *segment)
{
  if (g_strcmp0 (segment, "at-risk") == 0)
    return C_("segment", "At Risk");
  if (g_strcmp0 (segment, "strategic") == 0)
    return C_("segment", "Strategic");
  return C_("segment", "Regular");
}

static void
fill_scenarios (RelanceClientsPage *self)
{
  const char *language = relance_language_for_user ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *automatic = NULL;
  gint64 current = 0;
  guint selected = 0;
  const char *segment_scenario = NULL;

  /* Unreadable: shown as the segment's, as when none is chosen. */
  relance_store_get_client_scenario (RELANCE_PAGE_STORE (self), self->client->id, &current, NULL);
  scenarios = relance_store_list_scenarios (RELANCE_PAGE_STORE (self), &error);
  g_array_set_size (self->scenario_ids, 0);
  for (guint i = 0; scenarios != NULL && i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      if (g_strcmp0 (scenario->segment, self->client->segment) == 0)
        segment_scenario = relance_scenario_get_name (scenario, language);
    }
  /* Translators: the scenario a client gets when none is chosen; %s is its name */
  automatic = g_strdup_printf (_("By Segment (%s)"),
                               segment_scenario != NULL ? segment_scenario : "");
  gtk_string_list_append (names, automatic);
  g_array_append_val (self->scenario_ids, (gint64) { 0 });
  for (guint i = 0; scenarios != NULL && i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      gtk_string_list_append (names, relance_scenario_get_name (scenario, language));
      g_array_append_val (self->scenario_ids, scenario->id);
      if (scenario->id == current)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->scenario_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->scenario_row, selected);
}

static void
fill_invoices (RelanceClientsPage *self)
{
  const char *language = relance_language_for_user ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  guint n = 0;

  relance_list_box_remove_all (self->invoices_list);
  invoices = relance_store_list_client_invoices (RELANCE_PAGE_STORE (self), self->client->id, &error);
  if (invoices == NULL)
    {
      g_warning ("Could not list the invoices of a client: %s", error->message);
      return;
    }
  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoice *invoice = g_ptr_array_index (invoices, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *amount;
      g_autofree char *due = NULL;
      g_autofree char *outstanding = NULL;
      g_autofree char *subtitle = NULL;

      due = g_date_valid (&invoice->due_date) ? relance_date_format (&invoice->due_date, language)
                                              : g_strdup ("");
      outstanding = relance_money_format (relance_invoice_get_outstanding (invoice),
                                          invoice->currency, language);
      /* Translators: an invoice on a client's page: due date · state */
      subtitle = g_strdup_printf (_("Due %s · %s"), due,
                                  relance_invoice_state_to_label (
                                    relance_invoice_get_state (invoice)));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), invoice->number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      amount = gtk_label_new (outstanding);
      gtk_widget_add_css_class (amount, "numeric");
      gtk_widget_set_tooltip_text (amount, _("Outstanding"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);
      gtk_list_box_append (self->invoices_list, row);
      n++;
    }
  if (n == 0)
    add_placeholder (self->invoices_list, _("No invoice"));
}

static void
show_message_clicked_cb (GtkButton          *button,
                         RelanceClientsPage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "outbox-id"));

  relance_show_outbox_message (GTK_WIDGET (self), RELANCE_PAGE_STORE (self), id);
}

static void
fill_timeline (RelanceClientsPage *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  relance_list_box_remove_all (self->timeline_list);
  items = relance_outbox_list_for_client (RELANCE_PAGE_STORE (self), self->client->id, &error);
  if (items == NULL)
    {
      g_warning ("Could not list the reminders of a client: %s", error->message);
      return;
    }
  /* Newest first, as relance_outbox_list_for_client returns them. */
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      GtkWidget *row;
      GtkWidget *button;
      g_autofree char *time = NULL;
      g_autofree char *subtitle = NULL;

      row = adw_action_row_new ();
      time = relance_format_instant (item->sent_at > 0 ? item->sent_at : item->scheduled_at);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     item->subject != NULL && *item->subject != '\0'
                                     ? item->subject
                                     : relance_template_key_display_name (item->template_key));
      /* Translators: a reminder in a client's timeline: time · state · channel */
      subtitle = g_strdup_printf (_("%s · %s · %s"), time,
                                  relance_outbox_state_to_label (item->state),
                                  relance_channel_to_label (item->channel));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      button = gtk_button_new_with_mnemonic (_("Show _Message"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Open the exact message that was stored"));
      g_object_set_data (G_OBJECT (button), "outbox-id", GSIZE_TO_POINTER (item->id));
      g_signal_connect (button, "clicked", G_CALLBACK (show_message_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->timeline_list, row);
      n++;
    }
  if (n == 0)
    add_placeholder (self->timeline_list, _("No reminder yet"));
}

static void
fill_client (RelanceClientsPage *self)
{
  g_autoptr(GError) error = NULL;
  RelanceClient *client;
  const char *zone;

  client = relance_store_get_client (RELANCE_PAGE_STORE (self), self->client->id, &error);
  if (client == NULL)
    {
      /* Deleted, here or elsewhere: nothing left to show. */
      g_clear_pointer (&self->client, relance_client_free);
      adw_leaflet_set_visible_child_name (self->leaflet, "list");
      return;
    }
  relance_client_free (self->client);
  self->client = client;

  self->filling = TRUE;
  gtk_label_set_text (self->title_label, client->name);
  relance_list_box_remove_all (self->details_list);
  add_detail (self->details_list, _("Email"), client->email);
  /* Translators: more addresses copied on each reminder */
  add_detail (self->details_list, _("Copy To"), client->cc);
  add_detail (self->details_list, _("Phone"), client->phone);
  add_detail (self->details_list, _("Language"),
              g_strcmp0 (client->language, "fr") == 0 ? _("French") : _("English"));
  zone = client->timezone;
  /* Translators: a client without a time zone of their own */
  add_detail (self->details_list, _("Time Zone"),
              zone != NULL ? zone : _("The company’s"));
  add_detail (self->details_list, _("Segment"), segment_label (client->segment));
  fill_scenarios (self);
  gtk_switch_set_active (self->pause_switch, client->paused);
  gtk_switch_set_active (self->do_not_remind_switch, client->do_not_remind);
  fill_invoices (self);
  fill_timeline (self);
  self->filling = FALSE;
}

void
relance_clients_page_show_client (RelanceClientsPage *self,
                                  gint64              id)
{
  g_return_if_fail (RELANCE_IS_CLIENTS_PAGE (self));

  if (RELANCE_PAGE_STORE (self) == NULL)
    return;
  g_clear_pointer (&self->client, relance_client_free);
  self->client = g_new0 (RelanceClient, 1);
  self->client->id = id;
  fill_client (self);
  if (self->client != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "client");
}

static void
list_activate_cb (RelanceClientsPage *self,
                  guint               position)
{
  g_autoptr(RelanceClientObject) object = g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                                 position);

  if (object != NULL)
    relance_clients_page_show_client (self,
                                      relance_client_object_get_client (object)->id);
}

/* After a change on the client's page: the error said, or the change announced. */
static void
client_saved (RelanceClientsPage *self,
              gboolean            saved,
              GError             *error)
{
  if (!saved)
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Save the Client"), error);
}

static void
switch_toggled_cb (RelanceClientsPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean paused = gtk_switch_get_active (self->pause_switch);
  gboolean do_not_remind = gtk_switch_get_active (self->do_not_remind_switch);
  gboolean saved = TRUE;

  if (self->filling || self->client == NULL)
    return;
  /* Only the switch that moved: the other flag stays as the store has it. */
  if (paused != self->client->paused)
    saved = relance_store_set_client_paused (RELANCE_PAGE_STORE (self), self->client->id, paused, &error);
  else if (do_not_remind != self->client->do_not_remind)
    saved = relance_store_set_client_do_not_remind (RELANCE_PAGE_STORE (self), self->client->id,
                                                    do_not_remind, &error);
  else
    return;
  if (saved)
    {
      self->client->paused = paused;
      self->client->do_not_remind = do_not_remind;
    }
  client_saved (self, saved, error);
}

static void
scenario_selected_cb (RelanceClientsPage *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->scenario_row);
  gboolean saved;

  if (self->filling || self->client == NULL || selected >= self->scenario_ids->len)
    return;
  saved = relance_store_set_client_scenario (RELANCE_PAGE_STORE (self), self->client->id,
                                             g_array_index (self->scenario_ids, gint64, selected),
                                             &error);
  client_saved (self, saved, error);
}

/* ---- actions ------------------------------------------------------------------- */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  g_clear_pointer (&self->client, relance_client_free);
}

static void
dialog_saved_cb (RelanceClientDialog *dialog,
                 gint64               id,
                 RelanceClientsPage  *self)
{
  relance_clients_page_show_client (self, id);
}

static RelanceClientDialog *
open_dialog (RelanceClientsPage  *self,
             const RelanceClient *client)
{
  RelanceClientDialog *dialog;

  if (RELANCE_PAGE_STORE (self) == NULL)
    return NULL;
  dialog = relance_client_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                      RELANCE_PAGE_STORE (self), client);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (RELANCE_CLIENTS_PAGE (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (widget);

  if (self->client != NULL)
    open_dialog (self, self->client);
}

static void
delete_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    RelanceClientsPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "client-id"));

  if (g_strcmp0 (response, "delete") != 0 || RELANCE_PAGE_STORE (self) == NULL)
    return;
  /* The store checks the invoices again: one may have arrived meanwhile. */
  if (!relance_store_delete_client (RELANCE_PAGE_STORE (self), id, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Delete the Client"), error);
      return;
    }
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  g_clear_pointer (&self->client, relance_client_free);
}

static void
export_proof_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (widget);

  if (self->client == NULL)
    return;
  /* The reference tells apart two clients with the same name. */
  relance_proof_export_choose (widget, RELANCE_PAGE_STORE (self), NULL,
                               self->client->reference != NULL && *self->client->reference
                               ? self->client->reference : self->client->name);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (self->client == NULL || RELANCE_PAGE_STORE (self) == NULL)
    return;
  if (!relance_store_check_client_deletable (RELANCE_PAGE_STORE (self), self->client->id, &error))
    {
      /* The store's refusal says why and what to do instead. */
      if (!g_error_matches (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT))
        {
          relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Delete the Client"), error);
          return;
        }
      dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                       _("This Client Has Invoices"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  dialog = adw_message_dialog_new (relance_widget_get_window (GTK_WIDGET (self)), NULL, NULL);
  /* Translators: %s is a client's name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete %s?"),
                                     self->client->name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The client and the history of their reminders are deleted "
                                 "for good."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "client-id", GSIZE_TO_POINTER (self->client->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the object ---------------------------------------------------------------- */

static void
relance_clients_page_dispose (GObject *object)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->clients);
  g_clear_pointer (&self->client, relance_client_free);

  G_OBJECT_CLASS (relance_clients_page_parent_class)->dispose (object);
}

static void
relance_clients_page_finalize (GObject *object)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);

  g_clear_pointer (&self->folded_search, g_free);
  g_clear_pointer (&self->scenario_ids, g_array_unref);

  G_OBJECT_CLASS (relance_clients_page_parent_class)->finalize (object);
}

static void
relance_clients_page_class_init (RelanceClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_clients_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_clients_page_reload;
  RELANCE_PAGE_CLASS (klass)->reads_in_worker = TRUE;
  object_class->finalize = relance_clients_page_finalize;


  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-clients-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, details_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, pause_switch);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, do_not_remind_switch);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, invoices_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceClientsPage, timeline_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, switch_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, scenario_selected_cb);

  gtk_widget_class_install_action (widget_class, "clients.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "clients.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "clients.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "clients.export-proof", NULL,
                                   export_proof_action);
  gtk_widget_class_install_action (widget_class, "clients.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "clients.back", NULL);
}

static void
relance_clients_page_init (RelanceClientsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  self->scenario_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
  relance_spinner_spin_while_mapped (self->loading_spinner);

  self->clients = g_list_store_new (RELANCE_TYPE_CLIENT_OBJECT);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->clients)),
                                              GTK_FILTER (self->filter));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_stack (self);
}

gboolean
relance_clients_page_is_loading (RelanceClientsPage *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENTS_PAGE (self), FALSE);
  /* A change announced and not read yet counts: what is shown is about to change. */
  return self->loading || relance_page_is_stale (RELANCE_PAGE (self));
}

GListModel *
relance_clients_page_get_model (RelanceClientsPage *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

GtkListBox *
relance_clients_page_get_timeline (RelanceClientsPage *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENTS_PAGE (self), NULL);
  return self->timeline_list;
}

GtkListBox *
relance_clients_page_get_invoices (RelanceClientsPage *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENTS_PAGE (self), NULL);
  return self->invoices_list;
}
