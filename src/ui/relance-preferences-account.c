/* relance-preferences-account.c: the rows of the Preferences window about the mail
 * account: the server and sender, the password, the sign-in with Microsoft 365 or Gmail,
 * the Brevo API key and the text messages. The rest of the window, and how a row is built
 * and checked, are in relance-preferences.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-account.h"
#include "relance-brevo.h"
#include "relance-credentials.h"
#include "relance-oauth.h"
#include "relance-preferences-private.h"
#include "relance-scenario.h"
#include "relance-sms.h"

/* ---- the mail account ------------------------------------------------------------- */

static RelanceAccount *
account_from_form (RelancePreferences *self,
                   GError            **error)
{
  g_autoptr(RelanceAccount) account = relance_account_load (self->store, NULL);
  g_autofree char *from = relance_prefs_entry_text (self->from_entry);

  if (account == NULL)
    {
      account = g_new0 (RelanceAccount, 1);
      account->timeout = 60;
    }
  g_free (account->host);
  account->host = relance_prefs_entry_text (self->host_entry);
  account->port = gtk_spin_button_get_value_as_int (self->port_spin);
  g_free (account->security);
  account->security = g_strdup (gtk_drop_down_get_selected (self->security_dropdown) == 1
                                ? "tls" : "starttls");
  g_free (account->user);
  account->user = relance_prefs_entry_text (self->user_entry);
  g_clear_pointer (&account->from_name, g_free);
  g_clear_pointer (&account->from_address, g_free);
  if (from == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address reminders are sent from."));
      return NULL;
    }
  if (!relance_address_parse (from, &account->from_name, &account->from_address, error)
      || !relance_account_validate (account, error))
    return NULL;
  return g_steal_pointer (&account);
}

static void
account_changed_cb (RelancePreferences *self)
{
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_host;

  if (self->loading)
    return;
  no_host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry))[0] == '\0';
  relance_prefs_set_row_error (self->host_row, GTK_WIDGET (self->host_entry), NULL);
  relance_prefs_set_row_error (self->from_row, GTK_WIDGET (self->from_entry), NULL);
  if ((account = account_from_form (self, &error)) == NULL
      || !relance_account_save (self->store, account, &error))
    {
      if (no_host)
        relance_prefs_set_row_error (self->host_row, GTK_WIDGET (self->host_entry),
                                     error->message);
      else
        relance_prefs_set_row_error (self->from_row, GTK_WIDGET (self->from_entry),
                                     error->message);
    }
}

/* A secret typed in a row, kept in the keyring by a worker thread: the account's password
 * when @account is set, the Brevo API key otherwise. */
typedef struct
{
  RelanceAccount *account;
  char           *secret;
  AdwActionRow   *row;
  GtkWidget      *entry;
  const char     *kept;     /* the relance_prefs_toast once it is kept */
} SecretJob;

static void
secret_job_free (SecretJob *job)
{
  g_clear_pointer (&job->account, relance_account_free);
  if (job->secret != NULL)
    memset (job->secret, 0, strlen (job->secret));
  g_free (job->secret);
  g_free (job);
}

static void
secret_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;
  gboolean kept = job->account != NULL
                  ? relance_credentials_store (job->account, job->secret, cancellable, &error)
                  : relance_brevo_api_key_store (job->secret, cancellable, &error);

  if (kept)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
secret_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RelancePreferences *self = RELANCE_PREFERENCES (object);
  SecretJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relance_prefs_set_row_error (job->row, job->entry, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (job->entry), "");
  relance_prefs_set_row_error (job->row, job->entry, NULL);
  relance_prefs_toast (self, job->kept);
}

/* Takes @account (NULL for the Brevo API key). */
static void
keep_secret (RelancePreferences *self,
             AdwActionRow       *row,
             GtkWidget          *entry,
             RelanceAccount     *account,
             const char         *kept,
             gpointer            source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, secret_done_cb, NULL);
  SecretJob *job = g_new0 (SecretJob, 1);

  job->account = account;
  job->secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  job->row = row;
  job->entry = entry;
  job->kept = kept;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) secret_job_free);
  g_task_run_in_thread (task, secret_thread);
}

/* A password entry and a button that keeps what it holds in the keyring. */
static AdwActionRow *
add_secret_row (RelancePreferences   *self,
                AdwPreferencesGroup  *group,
                const char           *title,
                const char           *button_label,
                const char           *tooltip,
                GCallback             save,
                GtkWidget           **out_entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_password_entry_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (button_label);
  AdwActionRow *row;

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", save, self);
  gtk_box_append (GTK_BOX (box), button);
  row = relance_prefs_add_row (group, title, NULL, box);
  adw_action_row_set_activatable_widget (row, entry);
  *out_entry = entry;
  return row;
}

static void
password_save_cb (RelancePreferences *self)
{
  g_autoptr(RelanceAccount) account = relance_account_load (self->store, NULL);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (account == NULL)
    {
      relance_prefs_set_row_error (self->password_row, self->password_entry,
                                   _("Set up the server and the sender first."));
      return;
    }
  if (*password == '\0')
    {
      relance_prefs_set_row_error (self->password_row, self->password_entry,
                                   _("Type the new password."));
      return;
    }
  keep_secret (self, self->password_row, self->password_entry, g_steal_pointer (&account),
               _("The new password is kept in the keyring."), password_save_cb);
}

/* ---- sign-in (OAuth) -------------------------------------------------------------- */

static void
oauth_set_running (RelancePreferences *self,
                   gboolean            running)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->oauth_buttons); i++)
    gtk_widget_set_sensitive (self->oauth_buttons[i], !running);
  gtk_widget_set_visible (self->oauth_spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->oauth_spinner), running);
  gtk_widget_set_visible (self->oauth_cancel, running);
}

static void
oauth_prompt_cb (const char *uri,
                 const char *user_code,
                 gpointer    user_data)
{
  RelancePreferences *self = user_data;

  adw_action_row_set_subtitle (self->oauth_row,
                               _("Continue in your browser, then come back here."));
}

static void
oauth_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RelancePreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->oauth_cancellable);
  oauth_set_running (self, FALSE);
  if (!relance_oauth_sign_in_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relance_prefs_set_row_error (self->oauth_row, self->oauth_cancel,
                                     _("Sign-in cancelled."));
      else
        relance_prefs_set_row_error (self->oauth_row, self->oauth_cancel, error->message);
      return;
    }
  relance_prefs_set_row_error (self->oauth_row, self->oauth_cancel, NULL);
  adw_action_row_set_subtitle (self->oauth_row,
                               _("Signed in: reminders are sent without a password."));
}

static void
oauth_start (RelancePreferences   *self,
             RelanceOAuthProvider  provider)
{
  g_autoptr(RelanceAccount) account = relance_account_load (self->store, NULL);

  if (account == NULL)
    {
      relance_prefs_set_row_error (self->oauth_row, self->oauth_cancel,
                                   _("Set up the server and the sender first."));
      return;
    }
  relance_prefs_set_row_error (self->oauth_row, self->oauth_cancel, NULL);
  adw_action_row_set_subtitle (self->oauth_row, _("Opening your browser…"));
  self->oauth_cancellable = g_cancellable_new ();
  oauth_set_running (self, TRUE);
  relance_oauth_sign_in_async (account, provider, RELANCE_OAUTH_FLOW_BROWSER, oauth_prompt_cb,
                               self, self->oauth_cancellable, oauth_done_cb,
                               g_object_ref (self));
}

static void
oauth_microsoft_cb (RelancePreferences *self)
{
  oauth_start (self, RELANCE_OAUTH_MICROSOFT);
}

static void
oauth_google_cb (RelancePreferences *self)
{
  oauth_start (self, RELANCE_OAUTH_GOOGLE);
}

static void
oauth_cancel_cb (RelancePreferences *self)
{
  g_cancellable_cancel (self->oauth_cancellable);
}

/* ---- Brevo and SMS ---------------------------------------------------------------- */

static void
brevo_save_cb (RelancePreferences *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->brevo_entry));

  if (*key == '\0')
    {
      relance_prefs_set_row_error (self->brevo_row, self->brevo_entry,
                                   _("Paste the API key from Brevo."));
      return;
    }
  keep_secret (self, self->brevo_row, self->brevo_entry, NULL,
               _("The Brevo API key is kept in the keyring."), brevo_save_cb);
}

/* "0.045 EUR" → 45000 millionths and "EUR"; integers only, like every amount. */
static gboolean
parse_cost (const char  *text,
            gint64      *out_micro,
            char       **out_currency)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *copy = NULL;
  const char *p;
  gint64 micro = 0;
  int decimals = -1;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  parts = g_strsplit (copy, " ", 2);
  if (parts[0] == NULL || *parts[0] == '\0')
    return FALSE;
  for (p = parts[0]; *p != '\0'; p++)
    {
      if ((*p == '.' || *p == ',') && decimals < 0)
        decimals = 0;
      else if (g_ascii_isdigit (*p) && decimals < 6 && micro < G_MAXINT64 / 100)
        {
          micro = micro * 10 + (*p - '0');
          if (decimals >= 0)
            decimals++;
        }
      else
        return FALSE;
    }
  for (int d = MAX (decimals, 0); d < 6; d++)
    micro *= 10;
  *out_micro = micro;
  *out_currency = g_strdup (parts[1] != NULL ? g_strstrip (parts[1]) : "EUR");
  return TRUE;
}

static void
update_sms (RelancePreferences *self)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (self->store, NULL);
  g_autofree char *currency = NULL;
  const char *language = company != NULL && g_strcmp0 (company->language, "en") == 0
                         ? "en" : "fr";
  gboolean has_cost;
  gint64 micro = 0;

  has_cost = parse_cost (gtk_editable_get_text (GTK_EDITABLE (self->cost_entry)), &micro,
                         &currency);
  for (guint i = 0; i < self->sms_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->sms_rows, i);
      const char *key = g_object_get_data (G_OBJECT (row), "template-key");
      g_autoptr(RelanceTemplateText) text = relance_template_text_load_shipped (key, language,
                                                                               NULL);
      g_autofree char *gsm = NULL;
      g_autofree char *summary = NULL;
      RelanceSmsCount count;

      if (text == NULL)
        continue;
      /* Sent as GSM-7 where a close spelling exists, as the outbox does. */
      gsm = relance_sms_transliterate (g_strstrip (text->body), NULL);
      relance_sms_count (gsm, &count);
      /* Translators: the length of a text message template: characters, then parts */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u characters · %u message (%s)",
                                              "%u characters · %u messages (%s)",
                                              count.segments),
                                 count.characters, count.segments,
                                 count.encoding == RELANCE_SMS_GSM7 ? "GSM-7" : "UCS-2");
      if (has_cost)
        {
          gint64 total = micro * count.segments;
          g_autofree char *with_cost = NULL;
          /* The amount is built apart: a G_GINT64_FORMAT inside a msgid cannot be extracted. */
          g_autofree char *price = g_strdup_printf ("%" G_GINT64_FORMAT ".%03d %s",
                                                    total / 1000000,
                                                    (int) ((total % 1000000) / 1000), currency);

          /* Translators: a text message's length, then its cost such as "0.090 EUR" */
          with_cost = g_strdup_printf (_("%s · %s per message"), summary, price);
          g_free (summary);
          summary = g_steal_pointer (&with_cost);
        }
      adw_action_row_set_subtitle (row, summary);
    }
}

static void
sms_changed_cb (RelancePreferences *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *currency = NULL;
  gint64 micro;

  update_sms (self);
  if (self->loading)
    return;
  sender = relance_prefs_entry_text (self->sender_entry);
  if (sender != NULL && !relance_sms_sender_is_valid (sender, &error))
    relance_prefs_set_row_error (self->sender_row, GTK_WIDGET (self->sender_entry),
                                 error->message);
  else
    {
      relance_prefs_set_row_error (self->sender_row, GTK_WIDGET (self->sender_entry), NULL);
      relance_store_set_setting (self->store, RELANCE_SETTING_SMS_SENDER,
                                 sender != NULL ? sender : "", NULL);
    }
  if (parse_cost (gtk_editable_get_text (GTK_EDITABLE (self->cost_entry)), &micro, &currency))
    {
      relance_prefs_set_row_error (self->cost_row, GTK_WIDGET (self->cost_entry), NULL);
      relance_store_set_setting (self->store, RELANCE_SETTING_SMS_COST,
                                 gtk_editable_get_text (GTK_EDITABLE (self->cost_entry)), NULL);
    }
  else
    relance_prefs_set_row_error (self->cost_row, GTK_WIDGET (self->cost_entry),
                                 _("Type a price such as 0.045 EUR."));
}

/* ---- building and loading --------------------------------------------------------- */

void
relance_prefs_build_account (RelancePreferences *self)
{
  g_autoptr(GtkStringList) security = gtk_string_list_new (NULL);
  GCallback account = G_CALLBACK (account_changed_cb);
  GtkWidget *widget;

  gtk_string_list_append (security, C_("security", "STARTTLS"));
  gtk_string_list_append (security, C_("security", "TLS"));

  /* Account */
  self->host_entry = relance_prefs_add_entry (self, self->server_group, _("_Server"),
                                              &self->host_row, account);
  widget = gtk_spin_button_new_with_range (1, 65535, 1);
  self->port_spin = GTK_SPIN_BUTTON (widget);
  relance_prefs_add_row (self->server_group, _("_Port"), NULL, widget);
  g_signal_connect_swapped (widget, "value-changed", account, self);
  self->security_dropdown = relance_prefs_add_dropdown (self, self->server_group,
                                                        _("S_ecurity"), NULL,
                                                        g_steal_pointer (&security), account);
  self->user_entry = relance_prefs_add_entry (self, self->server_group, _("_User Name"), NULL,
                                              account);
  self->from_entry = relance_prefs_add_entry (self, self->server_group, _("_From"),
                                              &self->from_row, account);
  self->password_row = add_secret_row (self, self->password_group, _("New _Password"),
                                       _("_Save"), _("Store the new password in the keyring"),
                                       G_CALLBACK (password_save_cb), &self->password_entry);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->password_entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->password_row,
                                  NULL, -1);

  /* Sign-in */
  self->oauth_spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->oauth_spinner, FALSE);
  self->oauth_cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_visible (self->oauth_cancel, FALSE);
  g_signal_connect_swapped (self->oauth_cancel, "clicked", G_CALLBACK (oauth_cancel_cb), self);
  self->oauth_buttons[0] = gtk_button_new_with_mnemonic (_("Sign In with _Microsoft…"));
  self->oauth_buttons[1] = gtk_button_new_with_mnemonic (_("Sign In with _Google…"));
  gtk_widget_set_tooltip_text (self->oauth_buttons[0], _("For a Microsoft 365 account"));
  gtk_widget_set_tooltip_text (self->oauth_buttons[1], _("For a Gmail account"));
  g_signal_connect_swapped (self->oauth_buttons[0], "clicked", G_CALLBACK (oauth_microsoft_cb),
                            self);
  g_signal_connect_swapped (self->oauth_buttons[1], "clicked", G_CALLBACK (oauth_google_cb),
                            self);
  self->oauth_row = relance_prefs_add_row (self->sign_in_group, _("Microsoft 365"), NULL,
                                           self->oauth_buttons[0]);
  /* Hidden until a sign-in runs; hidden suffixes take no room. */
  adw_action_row_add_suffix (self->oauth_row, self->oauth_spinner);
  gtk_widget_set_valign (self->oauth_cancel, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (self->oauth_row, self->oauth_cancel);
  relance_prefs_add_row (self->sign_in_group, _("Gmail"), NULL, self->oauth_buttons[1]);
  adw_action_row_set_subtitle (self->oauth_row, "");

  /* Brevo */
  self->brevo_row = add_secret_row (self, self->brevo_group, _("API _Key"), _("Sa_ve"),
                                    _("Store the API key in the keyring"),
                                    G_CALLBACK (brevo_save_cb), &self->brevo_entry);

  /* SMS */
  self->sender_entry = relance_prefs_add_entry (self, self->sms_group, _("Sender _Name"),
                                                &self->sender_row, G_CALLBACK (sms_changed_cb));
  self->cost_entry = relance_prefs_add_entry (self, self->sms_group, _("Cost per _Part"),
                                              &self->cost_row, G_CALLBACK (sms_changed_cb));
  gtk_entry_set_placeholder_text (self->cost_entry, "0.045 EUR");
  self->sms_rows = g_ptr_array_new ();
  {
    static const struct { const char *key; const char *title; } sms[] = {
      { "sms-before-due", N_("Before the Due Date") },
      { "sms-overdue", N_("Overdue") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (sms); i++)
      {
        widget = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), _(sms[i].title));
        g_object_set_data (G_OBJECT (widget), "template-key", (gpointer) sms[i].key);
        adw_preferences_group_add (self->sms_group, widget);
        g_ptr_array_add (self->sms_rows, widget);
      }
  }
}

void
relance_prefs_load_account (RelancePreferences *self)
{
  g_autoptr(RelanceAccount) account = relance_account_load (self->store, NULL);
  g_autofree char *sender = relance_store_get_setting (self->store, RELANCE_SETTING_SMS_SENDER);
  g_autofree char *cost = relance_store_get_setting (self->store, RELANCE_SETTING_SMS_COST);

  gtk_spin_button_set_value (self->port_spin, 587);
  if (account != NULL)
    {
      g_autofree char *from = account->from_name != NULL
                              ? g_strdup_printf ("%s <%s>", account->from_name,
                                                 account->from_address)
                              : g_strdup (account->from_address);

      relance_prefs_set_entry (self->host_entry, account->host);
      gtk_spin_button_set_value (self->port_spin, account->port);
      gtk_drop_down_set_selected (self->security_dropdown,
                                  g_strcmp0 (account->security, "tls") == 0 ? 1 : 0);
      relance_prefs_set_entry (self->user_entry, account->user);
      relance_prefs_set_entry (self->from_entry, from);
    }
  relance_prefs_set_entry (self->sender_entry, sender);
  relance_prefs_set_entry (self->cost_entry, cost);
  update_sms (self);
}
