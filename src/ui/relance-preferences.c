/* relance-preferences.c: the Preferences window; the rows about the mail account are in
 * relance-preferences-account.c.
 *
 * Rows are built here from small tables rather than in the .ui, because each one is
 * checked the same way: a change that passes its check is saved at once, one that does
 * not shows the reason under the row's title and is not saved. Blocking work (keyring,
 * autostart file or portal) goes to worker threads; the rates fetch is asynchronous. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-autostart.h"
#include "relance-bank-store.h"
#include "relance-calendar.h"
#include "relance-clock.h"
#include "relance-epc-qr.h"
#include "relance-money.h"
#include "relance-onboarding.h"
#include "relance-penalty.h"
#include "relance-planner.h"
#include "relance-preferences-private.h"
#include "relance-rates-fetch.h"
#include "relance-ui-util.h"

G_DEFINE_FINAL_TYPE (RelancePreferences, relance_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const calendars[] = { "fr", "fr-alsace-moselle", "gb", "ie", "be", "us" };

/* ---- building rows ---------------------------------------------------------------- */

void
relance_prefs_set_row_error (AdwActionRow *row,
                             GtkWidget    *widget,
                             const char   *message)
{
  g_autofree char *escaped = g_markup_escape_text (message != NULL ? message : "", -1);

  adw_action_row_set_subtitle (row, escaped);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

AdwActionRow *
relance_prefs_add_row (AdwPreferencesGroup *group,
                       const char          *title,
                       const char          *subtitle,
                       GtkWidget           *widget)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  adw_preferences_group_add (group, row);
  return ADW_ACTION_ROW (row);
}

GtkEntry *
relance_prefs_add_entry (RelancePreferences  *self,
                         AdwPreferencesGroup *group,
                         const char          *title,
                         AdwActionRow       **out_row,
                         GCallback            changed)
{
  GtkWidget *entry = gtk_entry_new ();
  AdwActionRow *row;

  gtk_widget_set_hexpand (entry, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
  row = relance_prefs_add_row (group, title, NULL, entry);
  if (out_row != NULL)
    *out_row = row;
  g_signal_connect_swapped (entry, "changed", changed, self);
  return GTK_ENTRY (entry);
}

GtkDropDown *
relance_prefs_add_dropdown (RelancePreferences  *self,
                            AdwPreferencesGroup *group,
                            const char          *title,
                            const char          *subtitle,
                            GtkStringList       *model,
                            GCallback            changed)
{
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (model), NULL);

  relance_prefs_add_row (group, title, subtitle, dropdown);
  g_signal_connect_swapped (dropdown, "notify::selected", changed, self);
  return GTK_DROP_DOWN (dropdown);
}

char *
relance_prefs_entry_text (GtkEntry *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

void
relance_prefs_set_entry (GtkEntry   *entry,
                         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

void
relance_prefs_toast (RelancePreferences *self,
                     const char         *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* ---- the bank folder -------------------------------------------------------------- */

static void
update_bank_folder (RelancePreferences *self)
{
  g_autofree char *folder = relance_store_get_setting (self->store, RELANCE_SETTING_BANK_FOLDER);
  gboolean set = folder != NULL && *folder != '\0';

  adw_action_row_set_subtitle (self->bank_folder_row,
                               set ? folder
                                   : _("None: import statements by hand on the Bank page"));
  gtk_widget_set_visible (self->bank_folder_clear, set);
}

static void
set_bank_folder (RelancePreferences *self,
                 const char         *folder)
{
  g_autoptr(GError) error = NULL;

  if (!relance_store_set_setting (self->store, RELANCE_SETTING_BANK_FOLDER, folder, &error))
    relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Change the Folder"), error);
  update_bank_folder (self);
}

static void
bank_folder_response (GtkNativeDialog    *dialog,
                      int                 response,
                      RelancePreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (folder != NULL && g_file_peek_path (folder) != NULL)
        set_bank_folder (self, g_file_peek_path (folder));
    }
  g_object_unref (dialog);
}

static void
bank_folder_choose_cb (RelancePreferences *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Folder of Bank Statements"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (bank_folder_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
bank_folder_clear_cb (RelancePreferences *self)
{
  set_bank_folder (self, "");
}

/* ---- company ---------------------------------------------------------------------- */

static gboolean
check (AdwActionRow *row,
       GtkEntry     *entry,
       const char   *field)
{
  g_autofree char *message =
    relance_company_field_check (field, gtk_editable_get_text (GTK_EDITABLE (entry)));

  relance_prefs_set_row_error (row, GTK_WIDGET (entry), message);
  return message == NULL;
}

static void
company_changed_cb (RelancePreferences *self)
{
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *iban = NULL;
  gboolean ok = TRUE;
  guint country;

  if (self->loading)
    return;
  ok &= check (self->name_row, self->name_entry, "name");
  ok &= check (self->iban_row, self->iban_entry, "iban");
  ok &= check (self->bic_row, self->bic_entry, "bic");
  if (gtk_check_button_get_active (self->contractual_check))
    ok &= check (self->rate_row, self->rate_entry, "penalty-rate");
  else
    relance_prefs_set_row_error (self->rate_row, GTK_WIDGET (self->rate_entry), NULL);
  if (!ok || (company = relance_store_get_company (self->store, &error)) == NULL)
    return;

  country = MIN (gtk_drop_down_get_selected (self->country_dropdown),
                 relance_company_n_countries () - 1);
  g_free (company->name);
  company->name = relance_prefs_entry_text (self->name_entry);
  g_free (company->address);
  company->address = relance_prefs_entry_text (self->address_entry);
  g_free (company->country);
  company->country = g_strdup (relance_company_country_code (country));
  g_free (company->siret);
  company->siret = relance_prefs_entry_text (self->siret_entry);
  g_free (company->vat);
  company->vat = relance_prefs_entry_text (self->vat_entry);
  g_clear_pointer (&company->iban, g_free);
  if ((iban = relance_prefs_entry_text (self->iban_entry)) != NULL)
    relance_iban_validate (iban, &company->iban, NULL);
  g_free (company->bic);
  company->bic = relance_prefs_entry_text (self->bic_entry);
  if (company->bic != NULL)
    {
      char *upper = g_ascii_strup (company->bic, -1);

      g_free (company->bic);
      company->bic = upper;
    }
  company->payment_terms = gtk_spin_button_get_value_as_int (self->terms_spin);
  g_free (company->language);
  company->language = g_strdup (gtk_drop_down_get_selected (self->language_dropdown) == 0
                                ? "fr" : "en");
  g_clear_pointer (&company->penalty_rate, g_free);
  if (gtk_check_button_get_active (self->contractual_check))
    {
      g_autofree char *text = relance_prefs_entry_text (self->rate_entry);
      int bp;

      if (text != NULL && relance_rate_parse (text, &bp, NULL))
        company->penalty_rate = relance_rate_to_decimal (bp);
    }
  if (!relance_store_set_company (self->store, company, &error))
    relance_prefs_set_row_error (self->name_row, GTK_WIDGET (self->name_entry), error->message);
}

/* ---- sending ---------------------------------------------------------------------- */

static gboolean
parse_time (const char *text,
            gboolean    is_end,
            int        *out_minutes)
{
  int h, m;
  char tail;

  if (sscanf (text, "%d:%d%c", &h, &m, &tail) != 2 || m < 0 || m > 59 || h < 0
      || h > 24 || (h == 24 && (m != 0 || !is_end)))
    return FALSE;
  *out_minutes = h * 60 + m;
  return TRUE;
}

static void
window_changed_cb (RelancePreferences *self)
{
  RelanceSendWindow window = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *normal = NULL;

  if (self->loading)
    return;
  for (int d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    if (gtk_toggle_button_get_active (self->day_toggles[d - 1]))
      window.weekdays |= RELANCE_WEEKDAY_BIT (d);
  if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start_entry)), FALSE,
                   &window.start_minute)
      || !parse_time (gtk_editable_get_text (GTK_EDITABLE (self->end_entry)), TRUE,
                      &window.end_minute))
    {
      relance_prefs_set_row_error (self->hours_row, GTK_WIDGET (self->start_entry),
                                   _("Write the times as HH:MM, such as 09:00 and 18:00."));
      return;
    }
  if (window.weekdays == 0)
    {
      relance_prefs_set_row_error (self->hours_row, GTK_WIDGET (self->start_entry),
                                   _("Choose at least one day, or nothing will ever be sent."));
      return;
    }
  /* The core says what is wrong with the window (end before start…). */
  text = relance_send_window_to_string (&window);
  if (!relance_send_window_parse (text, &window, &error)
      || (normal = relance_send_window_to_string (&window)) == NULL
      || !relance_store_set_setting (self->store, RELANCE_SETTING_SEND_WINDOW, normal, &error))
    {
      relance_prefs_set_row_error (self->hours_row, GTK_WIDGET (self->start_entry),
                                   error != NULL ? error->message : NULL);
      return;
    }
  relance_prefs_set_row_error (self->hours_row, GTK_WIDGET (self->start_entry), NULL);
}

static void
calendar_changed_cb (RelancePreferences *self)
{
  guint i = gtk_drop_down_get_selected (self->calendar_dropdown);

  if (!self->loading && i < G_N_ELEMENTS (calendars))
    relance_store_set_setting (self->store, RELANCE_SETTING_CALENDAR, calendars[i], NULL);
}

static void
autostart_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RelancePreferences *self = source_object;
  GError *error = NULL;

  if (relance_autostart_set (GPOINTER_TO_INT (task_data),
                             relance_store_get_path (self->store), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
autostart_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RelancePreferences *self = RELANCE_PREFERENCES (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    relance_prefs_set_row_error (self->background_row, GTK_WIDGET (self->background_switch),
                                 error->message);
}

static void
background_changed_cb (RelancePreferences *self)
{
  gboolean enabled = gtk_switch_get_active (self->background_switch);
  g_autoptr(GTask) task = NULL;

  if (self->loading)
    return;
  relance_prefs_set_row_error (self->background_row, GTK_WIDGET (self->background_switch),
                               NULL);
  relance_store_set_setting (self->store, "background", enabled ? "true" : "false", NULL);
  /* The autostart file (or, in the Flatpak, the background portal, which waits for the
   * user's answer) is blocking work. */
  task = g_task_new (self, self->cancellable, autostart_done_cb, NULL);
  g_task_set_source_tag (task, background_changed_cb);
  g_task_set_task_data (task, GINT_TO_POINTER (enabled), NULL);
  g_task_run_in_thread (task, autostart_thread);
}

/* ---- penalties -------------------------------------------------------------------- */

static void
update_rates_note (RelancePreferences *self)
{
  GDate today;
  g_autofree char *note = NULL;

  relance_clock_today (NULL, &today);
  note = relance_rates_missing_note (self->store, relance_rates_series_for_store (self->store),
                                     &today);
  gtk_label_set_label (self->rates_note,
                       note != NULL ? note : _("Every half-year up to today has its rate."));
}

static void
rates_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelancePreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceRatesUpdate) update = relance_rates_fetch_finish (result, &error);

  gtk_widget_set_sensitive (self->rates_button, TRUE);
  if (update == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relance_prefs_toast (self, error->message);
      return;
    }
  {
    g_autofree char *text = relance_rates_update_describe (update);
    relance_prefs_toast (self, text);
  }
  update_rates_note (self);
}

static void
rates_clicked_cb (RelancePreferences *self)
{
  gtk_widget_set_sensitive (self->rates_button, FALSE);
  relance_rates_fetch_async (self->store, relance_rates_series_for_store (self->store), 0,
                             self->cancellable, rates_fetched_cb, g_object_ref (self));
}

static void
threshold_changed_cb (RelancePreferences *self)
{
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->threshold_entry));
  gint64 minor;

  if (self->loading || (company = relance_store_get_company (self->store, NULL)) == NULL)
    return;
  if (!relance_money_parse (text, company->currency,
                            relance_money_guess_hint (text) == RELANCE_DECIMAL_COMMA
                            ? RELANCE_DECIMAL_COMMA : RELANCE_DECIMAL_DOT,
                            &minor, NULL, &error))
    {
      relance_prefs_set_row_error (self->threshold_row, GTK_WIDGET (self->threshold_entry),
                                   error->message);
      return;
    }
  value = relance_money_to_decimal (minor, company->currency);
  relance_store_set_setting (self->store, RELANCE_SETTING_THRESHOLD, value, NULL);
  relance_prefs_set_row_error (self->threshold_row, GTK_WIDGET (self->threshold_entry), NULL);
}

/* ---- building and loading --------------------------------------------------------- */

static void
build_rows (RelancePreferences *self)
{
  g_autoptr(GtkStringList) countries = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) regions = gtk_string_list_new (NULL);
  static const char *day_names[] = {
    N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
  };
  GCallback company = G_CALLBACK (company_changed_cb);
  GtkWidget *widget;
  GtkWidget *box;

  for (guint i = 0; i < relance_company_n_countries (); i++)
    gtk_string_list_append (countries, relance_company_country_name (i));
  gtk_string_list_append (languages, "Français");
  gtk_string_list_append (languages, "English");
  for (guint i = 0; i < G_N_ELEMENTS (calendars); i++)
    {
      RelanceCalendarRegion region = RELANCE_CALENDAR_FR;

      relance_calendar_region_from_string (calendars[i], &region);
      gtk_string_list_append (regions, relance_calendar_region_get_name (region));
    }

  /* Company */
  self->name_entry = relance_prefs_add_entry (self, self->identity_group, _("_Name"),
                                              &self->name_row, company);
  self->address_entry = relance_prefs_add_entry (self, self->identity_group, _("_Address"),
                                                 NULL, company);
  self->country_dropdown = relance_prefs_add_dropdown (self, self->identity_group,
                                                       _("C_ountry"),
                                                       _("Sets the law on late payments"),
                                                       g_steal_pointer (&countries), company);
  self->siret_entry = relance_prefs_add_entry (self, self->identity_group,
                                               _("_SIRET or Company Number"), NULL, company);
  self->vat_entry = relance_prefs_add_entry (self, self->identity_group, _("_VAT Number"), NULL,
                                             company);
  self->iban_entry = relance_prefs_add_entry (self, self->payment_group, _("_IBAN"),
                                              &self->iban_row, company);
  self->bic_entry = relance_prefs_add_entry (self, self->payment_group, _("_BIC"),
                                             &self->bic_row, company);
  widget = gtk_spin_button_new_with_range (0, 365, 1);
  self->terms_spin = GTK_SPIN_BUTTON (widget);
  relance_prefs_add_row (self->payment_group, _("Payment _Terms (Days)"), NULL, widget);
  g_signal_connect_swapped (widget, "value-changed", company, self);
  self->language_dropdown =
    relance_prefs_add_dropdown (self, self->clients_group, _("_Language"),
                                _("Reminders to new clients are written in it"),
                                g_steal_pointer (&languages), company);

  /* Mail account, sign-in, Brevo and text messages (relance-preferences-account.c) */
  relance_prefs_build_account (self);

  /* Send window */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  for (guint d = 0; d < 7; d++)
    {
      widget = gtk_toggle_button_new_with_label (_(day_names[d]));
      self->day_toggles[d] = GTK_TOGGLE_BUTTON (widget);
      g_signal_connect_swapped (widget, "toggled", G_CALLBACK (window_changed_cb), self);
      gtk_box_append (GTK_BOX (box), widget);
    }
  relance_prefs_add_row (self->window_group, _("Days"), NULL, box);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->start_entry = GTK_ENTRY (gtk_entry_new ());
  self->end_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->start_entry), 5);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->end_entry), 5);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("From"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->end_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Until"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->start_entry));
  gtk_box_append (GTK_BOX (box), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->end_entry));
  g_signal_connect_swapped (self->start_entry, "changed", G_CALLBACK (window_changed_cb), self);
  g_signal_connect_swapped (self->end_entry, "changed", G_CALLBACK (window_changed_cb), self);
  self->hours_row = relance_prefs_add_row (self->window_group, _("_Hours"), NULL, box);
  adw_action_row_set_activatable_widget (self->hours_row, GTK_WIDGET (self->start_entry));
  self->calendar_dropdown = relance_prefs_add_dropdown (self, self->window_group,
                                                        _("Public _Holidays"),
                                                        _("No reminder leaves on these days"),
                                                        g_steal_pointer (&regions),
                                                        G_CALLBACK (calendar_changed_cb));

  /* Background */
  widget = gtk_switch_new ();
  self->background_switch = GTK_SWITCH (widget);
  self->background_row =
    relance_prefs_add_row (self->background_group, _("Run in the _Background"),
                           _("Keep sending reminders when the window is closed, and start at "
                             "login"), widget);
  g_signal_connect_swapped (widget, "notify::active", G_CALLBACK (background_changed_cb), self);
  /* The folder the scheduler imports bank statements from. */
  widget = gtk_button_new_with_mnemonic (_("_Choose…"));
  g_signal_connect_swapped (widget, "clicked", G_CALLBACK (bank_folder_choose_cb), self);
  self->bank_folder_row = relance_prefs_add_row (self->background_group,
                                                 _("Bank _Statements Folder"), NULL, widget);
  self->bank_folder_clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (self->bank_folder_clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->bank_folder_clear, "flat");
  gtk_widget_set_tooltip_text (self->bank_folder_clear, _("Stop Watching This Folder"));
  g_signal_connect_swapped (self->bank_folder_clear, "clicked",
                            G_CALLBACK (bank_folder_clear_cb), self);
  adw_action_row_add_suffix (self->bank_folder_row, self->bank_folder_clear);

  /* Penalties */
  self->legal_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  self->contractual_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_check_button_set_group (self->contractual_check, self->legal_check);
  widget = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), _("_Legal Rate"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (widget), TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (widget), GTK_WIDGET (self->legal_check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (widget),
                                         GTK_WIDGET (self->legal_check));
  adw_preferences_group_add (self->penalty_group, widget);
  self->rate_entry = relance_prefs_add_entry (self, self->penalty_group,
                                              _("Contractual _Rate (%)"), &self->rate_row,
                                              company);
  adw_action_row_add_prefix (self->rate_row, GTK_WIDGET (self->contractual_check));
  adw_action_row_set_activatable_widget (self->rate_row, GTK_WIDGET (self->contractual_check));
  g_object_bind_property (self->contractual_check, "active", self->rate_entry, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->contractual_check, "toggled", company, self);

  self->rates_note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->rates_note, TRUE);
  gtk_label_set_xalign (self->rates_note, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->rates_note), "dim-label");
  self->rates_button = gtk_button_new_with_mnemonic (_("_Update Rates"));
  gtk_widget_set_tooltip_text (self->rates_button,
                               _("Fetch the official reference rates from the central bank"));
  g_signal_connect_swapped (self->rates_button, "clicked", G_CALLBACK (rates_clicked_cb), self);
  widget = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), _("Reference Rates"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (widget), self->rates_button);
  gtk_widget_set_valign (self->rates_button, GTK_ALIGN_CENTER);
  adw_preferences_group_add (self->penalty_group, widget);
  adw_preferences_group_add (self->penalty_group, GTK_WIDGET (self->rates_note));
  gtk_widget_set_margin_top (GTK_WIDGET (self->rates_note), 12);

  self->threshold_entry = relance_prefs_add_entry (self, self->notice_group, _("_Threshold"),
                                                   &self->threshold_row,
                                                   G_CALLBACK (threshold_changed_cb));
  adw_action_row_set_subtitle (self->threshold_row,
                               _("Scenario steps of formal notice apply only to amounts due "
                                 "from this much"));
}

static void
load (RelancePreferences *self)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (self->store, NULL);
  g_autofree char *window_text = relance_store_get_setting (self->store,
                                                            RELANCE_SETTING_SEND_WINDOW);
  g_autofree char *calendar = relance_store_get_setting (self->store, RELANCE_SETTING_CALENDAR);
  g_autofree char *background = relance_store_get_setting (self->store, "background");
  g_autofree char *threshold = relance_store_get_setting (self->store, RELANCE_SETTING_THRESHOLD);
  RelanceSendWindow window;
  RelanceCalendarRegion region = RELANCE_CALENDAR_FR;

  self->loading = TRUE;
  if (company != NULL)
    {
      relance_prefs_set_entry (self->name_entry, company->name);
      relance_prefs_set_entry (self->address_entry, company->address);
      for (guint i = 0; i < relance_company_n_countries (); i++)
        if (g_strcmp0 (company->country, relance_company_country_code (i)) == 0)
          gtk_drop_down_set_selected (self->country_dropdown, i);
      relance_prefs_set_entry (self->siret_entry, company->siret);
      relance_prefs_set_entry (self->vat_entry, company->vat);
      relance_prefs_set_entry (self->iban_entry, company->iban);
      relance_prefs_set_entry (self->bic_entry, company->bic);
      gtk_spin_button_set_value (self->terms_spin, company->payment_terms);
      gtk_drop_down_set_selected (self->language_dropdown,
                                  g_strcmp0 (company->language, "en") == 0 ? 1 : 0);
      gtk_check_button_set_active (company->penalty_rate != NULL ? self->contractual_check
                                                                 : self->legal_check, TRUE);
      relance_prefs_set_entry (self->rate_entry, company->penalty_rate);
      if (calendar == NULL && company->country != NULL)
        relance_calendar_region_from_string (company->country, &region);
    }

  relance_prefs_load_account (self);

  if (window_text == NULL || !relance_send_window_parse (window_text, &window, NULL))
    relance_send_window_init_default (&window);
  for (int d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    gtk_toggle_button_set_active (self->day_toggles[d - 1],
                                  (window.weekdays & RELANCE_WEEKDAY_BIT (d)) != 0);
  {
    g_autofree char *start = g_strdup_printf ("%02d:%02d", window.start_minute / 60,
                                              window.start_minute % 60);
    g_autofree char *end = g_strdup_printf ("%02d:%02d", window.end_minute / 60,
                                            window.end_minute % 60);
    relance_prefs_set_entry (self->start_entry, start);
    relance_prefs_set_entry (self->end_entry, end);
  }

  if (calendar != NULL)
    relance_calendar_region_from_string (calendar, &region);
  for (guint i = 0; i < G_N_ELEMENTS (calendars); i++)
    if (g_strcmp0 (calendars[i], relance_calendar_region_to_string (region)) == 0)
      gtk_drop_down_set_selected (self->calendar_dropdown, i);

  gtk_switch_set_active (self->background_switch, g_strcmp0 (background, "true") == 0);
  relance_prefs_set_entry (self->threshold_entry, threshold != NULL ? threshold : "5000");
  update_rates_note (self);
  update_bank_folder (self);
  self->loading = FALSE;
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
relance_preferences_dispose (GObject *object)
{
  RelancePreferences *self = RELANCE_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->oauth_cancellable);
  g_clear_pointer (&self->sms_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELANCE_TYPE_PREFERENCES);

  G_OBJECT_CLASS (relance_preferences_parent_class)->dispose (object);
}

static void
relance_preferences_finalize (GObject *object)
{
  RelancePreferences *self = RELANCE_PREFERENCES (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->oauth_cancellable);

  G_OBJECT_CLASS (relance_preferences_parent_class)->finalize (object);
}

static void
relance_preferences_class_init (RelancePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_preferences_dispose;
  object_class->finalize = relance_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, identity_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, payment_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, clients_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, server_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, password_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, window_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, background_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, penalty_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, notice_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, brevo_group);
  gtk_widget_class_bind_template_child (widget_class, RelancePreferences, sms_group);
}

static void
relance_preferences_init (RelancePreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  build_rows (self);
}

RelancePreferences *
relance_preferences_new (GtkWindow    *parent,
                         RelanceStore *store)
{
  RelancePreferences *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  self = g_object_new (RELANCE_TYPE_PREFERENCES, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  load (self);
  return self;
}
