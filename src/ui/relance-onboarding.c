/* relance-onboarding.c: the first-run assistant.
 * (Over 800 lines: four steps sharing one form, its checks and its navigation.)
 *
 * Four pages in a carousel that only moves through Back and Next, so that a page is
 * checked before the next one shows. Each page writes what it holds when it is left
 * (company, account, scenario), so "Skip" loses nothing and the assistant resumes where
 * it was. The keyring and the test email are blocking calls: they run in worker threads. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-account.h"
#include "relance-clock.h"
#include "relance-credentials.h"
#include "relance-epc-qr.h"
#include "relance-import-dialog.h"
#include "relance-message.h"
#include "relance-onboarding.h"
#include "relance-penalty.h"
#include "relance-scenario.h"
#include "relance-smtp.h"
#include "relance-store-templates.h"

enum {
  STEP_COMPANY,
  STEP_ACCOUNT,
  STEP_SCENARIO,
  STEP_IMPORT,
  N_STEPS
};

struct _RelanceOnboarding
{
  AdwWindow          parent_instance;

  RelanceStore      *store;
  GCancellable      *cancellable;
  guint              step;
  gboolean           busy;
  gboolean           disposing;
  char              *scenario_key;   /* the chosen one */
  GPtrArray         *scenario_checks;

  /* Template widgets */
  AdwCarousel       *carousel;
  GtkWidget         *back_button;
  GtkWidget         *skip_button;
  GtkButton         *next_button;
  GtkWidget         *company_page;
  GtkWidget         *account_page;
  GtkWidget         *scenario_page;
  GtkWidget         *import_page;
  AdwActionRow      *name_row;
  GtkEntry          *name_entry;
  GtkEntry          *address_entry;
  GtkDropDown       *country_dropdown;
  GtkEntry          *siret_entry;
  GtkEntry          *vat_entry;
  AdwActionRow      *iban_row;
  GtkEntry          *iban_entry;
  AdwActionRow      *bic_row;
  GtkEntry          *bic_entry;
  GtkSpinButton     *terms_spin;
  GtkCheckButton    *legal_check;
  GtkCheckButton    *contractual_check;
  AdwActionRow      *rate_row;
  GtkEntry          *rate_entry;
  AdwActionRow      *host_row;
  GtkEntry          *host_entry;
  GtkSpinButton     *port_spin;
  GtkDropDown       *security_dropdown;
  GtkEntry          *user_entry;
  AdwActionRow      *from_row;
  GtkEntry          *from_entry;
  AdwActionRow      *password_row;
  GtkWidget         *password_entry;
  GtkWidget         *test_button;
  GtkSpinner        *account_spinner;
  GtkLabel          *account_status;
  GtkWidget         *account_later_button;
  AdwPreferencesGroup *scenario_group;
  GtkLabel          *import_status;
};

G_DEFINE_FINAL_TYPE (RelanceOnboarding, relance_onboarding, ADW_TYPE_WINDOW)

/* ---- shared helpers --------------------------------------------------------------- */

typedef struct
{
  const char *code;
  const char *name;
  const char *currency;
  const char *language;
} Country;

static const Country countries[] = {
  { "FR", N_("France"), "EUR", "fr" },
  { "BE", N_("Belgium"), "EUR", "fr" },
  { "LU", N_("Luxembourg"), "EUR", "fr" },
  { "CH", N_("Switzerland"), "CHF", "fr" },
  { "GB", N_("United Kingdom"), "GBP", "en" },
  { "IE", N_("Ireland"), "EUR", "en" },
  { "US", N_("United States"), "USD", "en" },
  { "CA", N_("Canada"), "CAD", "en" },
  { "DE", N_("Germany"), "EUR", "en" },
  { "ES", N_("Spain"), "EUR", "en" },
  { "IT", N_("Italy"), "EUR", "en" },
  { "NL", N_("Netherlands"), "EUR", "en" },
};

guint
relance_company_n_countries (void)
{
  return G_N_ELEMENTS (countries);
}

const char *
relance_company_country_code (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (countries), NULL);
  return countries[index].code;
}

const char *
relance_company_country_name (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (countries), NULL);
  return _(countries[index].name);
}

static guint
country_index (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (code != NULL && g_ascii_strcasecmp (code, countries[i].code) == 0)
      return i;
  return 0;
}

static gboolean
bic_is_valid (const char *text)
{
  gsize len = strlen (text);

  if (len != 8 && len != 11)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = g_ascii_toupper (text[i]);

      /* Bank and country codes are letters; location and branch may hold digits. */
      if (i < 6 ? !g_ascii_isupper (c) : !(g_ascii_isupper (c) || g_ascii_isdigit (c)))
        return FALSE;
    }
  return TRUE;
}

char *
relance_company_field_check (const char *field,
                             const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, "name"))
    return *stripped == '\0'
           ? g_strdup (_("Enter the name of your company: it signs every reminder."))
           : NULL;
  if (*stripped == '\0')
    return NULL;
  if (g_str_equal (field, "iban"))
    return relance_iban_validate (stripped, NULL, &error) ? NULL : g_strdup (error->message);
  if (g_str_equal (field, "bic"))
    return bic_is_valid (stripped)
           ? NULL
           : g_strdup (_("A BIC has 8 or 11 letters and digits, such as BNPAFRPP."));
  if (g_str_equal (field, "penalty-rate"))
    {
      int bp;

      return relance_rate_parse (stripped, &bp, &error) ? NULL : g_strdup (error->message);
    }
  return NULL;
}

static const char *
step_kind (const RelanceStep *step)
{
  if (g_strcmp0 (step->channel, "task") == 0)
    return _("phone call");
  if (g_strcmp0 (step->channel, "letter") == 0 || step->with_letter)
    return g_strcmp0 (step->tone, "formal-notice") == 0 ? _("formal notice by letter")
                                                        : _("letter");
  if (g_strcmp0 (step->tone, "formal-notice") == 0)
    return _("formal notice by email");
  if (g_strcmp0 (step->tone, "firm") == 0)
    return _("firm email");
  return _("courteous email");
}

char *
relance_scenario_describe_steps (GPtrArray *steps)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const RelanceStep *step = g_ptr_array_index (steps, i);
      g_autofree char *when = NULL;

      if (step->offset_days < 0)
        /* Translators: a reminder step %d days before the due date */
        when = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day before", "%d days before",
                                             -step->offset_days), -step->offset_days);
      else if (step->offset_days == 0)
        when = g_strdup (_("On the due date"));
      else
        /* Translators: a reminder step %d days after the due date */
        when = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late",
                                             step->offset_days), step->offset_days);
      if (out->len > 0)
        g_string_append (out, " · ");
      /* Translators: "3 days late: firm email" */
      g_string_append_printf (out, _("%s: %s"), when, step_kind (step));
    }
  return g_string_free (out, FALSE);
}

gboolean
relance_onboarding_should_show (RelanceStore *store)
{
  g_autofree char *step = NULL;
  g_autoptr(RelanceCompany) company = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);

  step = relance_store_get_setting (store, RELANCE_SETTING_ONBOARDING);
  if (g_strcmp0 (step, "done") == 0)
    return FALSE;
  if (step != NULL)
    return TRUE;
  company = relance_store_get_company (store, NULL);
  return company == NULL || company->name == NULL || *g_strstrip (company->name) == '\0';
}

/* ---- field errors ----------------------------------------------------------------- */

static void
show_field_error (AdwActionRow *row,
                  GtkWidget    *entry,
                  const char   *message)
{
  g_autofree char *escaped = g_markup_escape_text (message != NULL ? message : "", -1);

  adw_action_row_set_subtitle (row, escaped);
  if (message != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Checks one field; returns TRUE when it is fine. */
static gboolean
check_field (AdwActionRow *row,
             GtkEntry     *entry,
             const char   *field)
{
  g_autofree char *message = relance_company_field_check (field,
                                                          gtk_editable_get_text (GTK_EDITABLE (entry)));

  show_field_error (row, GTK_WIDGET (entry), message);
  return message == NULL;
}

static void
company_field_changed_cb (GtkEditable       *editable,
                          RelanceOnboarding *self)
{
  /* Errors go away as soon as the field is right, but only appear on Next: a
   * half-typed IBAN is not a mistake yet. */
  if (editable == GTK_EDITABLE (self->name_entry))
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->name_row), "error"))
        check_field (self->name_row, self->name_entry, "name");
    }
  else if (editable == GTK_EDITABLE (self->iban_entry))
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->iban_row), "error"))
        check_field (self->iban_row, self->iban_entry, "iban");
    }
  else if (editable == GTK_EDITABLE (self->bic_entry))
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->bic_row), "error"))
        check_field (self->bic_row, self->bic_entry, "bic");
    }
  else if (editable == GTK_EDITABLE (self->rate_entry))
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->rate_row), "error"))
        check_field (self->rate_row, self->rate_entry, "penalty-rate");
    }
}

static char *
entry_text (GtkEntry *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* ---- step 1: the company ---------------------------------------------------------- */

static void
load_company (RelanceOnboarding *self)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (self->store, NULL);

  if (company == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), company->name ? company->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry),
                         company->address ? company->address : "");
  gtk_drop_down_set_selected (self->country_dropdown, country_index (company->country));
  gtk_editable_set_text (GTK_EDITABLE (self->siret_entry), company->siret ? company->siret : "");
  gtk_editable_set_text (GTK_EDITABLE (self->vat_entry), company->vat ? company->vat : "");
  gtk_editable_set_text (GTK_EDITABLE (self->iban_entry), company->iban ? company->iban : "");
  gtk_editable_set_text (GTK_EDITABLE (self->bic_entry), company->bic ? company->bic : "");
  if (company->payment_terms > 0)
    gtk_spin_button_set_value (self->terms_spin, company->payment_terms);
  gtk_check_button_set_active (company->penalty_rate != NULL ? self->contractual_check
                                                             : self->legal_check, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->rate_entry),
                         company->penalty_rate ? company->penalty_rate : "");
}

static gboolean
save_company (RelanceOnboarding *self)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (self->store, NULL);
  g_autoptr(GError) error = NULL;
  const Country *country = &countries[MIN (gtk_drop_down_get_selected (self->country_dropdown),
                                           G_N_ELEMENTS (countries) - 1)];
  gboolean ok = TRUE;
  gboolean country_changed;
  GtkWidget *first_bad = NULL;

  ok = check_field (self->name_row, self->name_entry, "name");
  if (!ok)
    first_bad = GTK_WIDGET (self->name_entry);
  if (!check_field (self->iban_row, self->iban_entry, "iban"))
    {
      ok = FALSE;
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->iban_entry);
    }
  if (!check_field (self->bic_row, self->bic_entry, "bic"))
    {
      ok = FALSE;
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->bic_entry);
    }
  if (gtk_check_button_get_active (self->contractual_check))
    {
      g_autofree char *message = NULL;

      if (gtk_editable_get_text (GTK_EDITABLE (self->rate_entry))[0] == '\0')
        message = g_strdup (_("Enter the contractual rate, or choose the legal rate."));
      else
        message = relance_company_field_check ("penalty-rate",
                                               gtk_editable_get_text (GTK_EDITABLE (self->rate_entry)));
      show_field_error (self->rate_row, GTK_WIDGET (self->rate_entry), message);
      if (message != NULL)
        {
          ok = FALSE;
          first_bad = first_bad ? first_bad : GTK_WIDGET (self->rate_entry);
        }
    }
  else
    show_field_error (self->rate_row, GTK_WIDGET (self->rate_entry), NULL);

  if (!ok)
    {
      gtk_widget_grab_focus (first_bad);
      return FALSE;
    }
  if (company == NULL)
    company = g_new0 (RelanceCompany, 1);

  country_changed = g_strcmp0 (company->country, country->code) != 0;
  g_free (company->name);
  company->name = entry_text (self->name_entry);
  g_free (company->address);
  company->address = entry_text (self->address_entry);
  g_free (company->country);
  company->country = g_strdup (country->code);
  g_free (company->siret);
  company->siret = entry_text (self->siret_entry);
  g_free (company->vat);
  company->vat = entry_text (self->vat_entry);
  g_free (company->iban);
  company->iban = NULL;
  {
    g_autofree char *iban = entry_text (self->iban_entry);

    if (iban != NULL)
      relance_iban_validate (iban, &company->iban, NULL);
  }
  g_free (company->bic);
  company->bic = entry_text (self->bic_entry);
  if (company->bic != NULL)
    {
      char *upper = g_ascii_strup (company->bic, -1);

      g_free (company->bic);
      company->bic = upper;
    }
  company->payment_terms = gtk_spin_button_get_value_as_int (self->terms_spin);
  g_free (company->penalty_rate);
  company->penalty_rate = NULL;
  if (gtk_check_button_get_active (self->contractual_check))
    {
      g_autofree char *text = entry_text (self->rate_entry);
      int bp;

      if (relance_rate_parse (text, &bp, NULL))
        company->penalty_rate = relance_rate_to_decimal (bp);
    }
  /* The currency and the language of new clients follow the country the first time,
   * when they are still the defaults of a new database. */
  if (country_changed || company->currency == NULL)
    {
      g_free (company->currency);
      company->currency = g_strdup (country->currency);
      g_free (company->language);
      company->language = g_strdup (country->language);
    }

  if (!relance_store_set_company (self->store, company, &error))
    {
      show_field_error (self->name_row, GTK_WIDGET (self->name_entry), error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- step 2: the mail account ----------------------------------------------------- */

static RelanceAccount *
account_from_form (RelanceOnboarding *self,
                   GError           **error)
{
  g_autoptr(RelanceAccount) account = g_new0 (RelanceAccount, 1);
  g_autofree char *from = entry_text (self->from_entry);

  account->host = entry_text (self->host_entry);
  account->port = gtk_spin_button_get_value_as_int (self->port_spin);
  account->security = g_strdup (gtk_drop_down_get_selected (self->security_dropdown) == 1
                                ? "tls" : "starttls");
  account->user = entry_text (self->user_entry);
  account->timeout = 60;
  if (from == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address reminders are sent from."));
      return NULL;
    }
  if (!relance_address_parse (from, &account->from_name, &account->from_address, error))
    return NULL;
  if (!relance_account_validate (account, error))
    return NULL;
  return g_steal_pointer (&account);
}

static gboolean
account_form_is_empty (RelanceOnboarding *self)
{
  GtkEditable *editables[] = {
    GTK_EDITABLE (self->host_entry), GTK_EDITABLE (self->user_entry),
    GTK_EDITABLE (self->from_entry), GTK_EDITABLE (self->password_entry),
  };

  for (guint i = 0; i < G_N_ELEMENTS (editables); i++)
    if (gtk_editable_get_text (editables[i])[0] != '\0')
      return FALSE;
  return TRUE;
}

static void
load_account (RelanceOnboarding *self)
{
  g_autoptr(RelanceAccount) account = relance_account_load (self->store, NULL);
  g_autofree char *from = NULL;

  if (account == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), account->host ? account->host : "");
  gtk_spin_button_set_value (self->port_spin, account->port);
  gtk_drop_down_set_selected (self->security_dropdown,
                              g_strcmp0 (account->security, "tls") == 0 ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), account->user ? account->user : "");
  from = account->from_name != NULL
         ? g_strdup_printf ("%s <%s>", account->from_name, account->from_address)
         : g_strdup (account->from_address);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from ? from : "");
}

static void
set_busy (RelanceOnboarding *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->account_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !busy);
  gtk_widget_set_sensitive (self->back_button, !busy);
  gtk_widget_set_sensitive (self->test_button, !busy);
  gtk_widget_set_sensitive (self->account_later_button, !busy);
}

static void
show_account_status (RelanceOnboarding *self,
                     const char        *message,
                     gboolean           is_error)
{
  gtk_label_set_label (self->account_status, message);
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_status), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->account_status), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_status), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->account_status), "success");
    }
}

typedef struct
{
  RelanceAccount *account;
  char           *password;
} AccountJob;

static void
account_job_free (AccountJob *job)
{
  g_clear_pointer (&job->account, relance_account_free);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static AccountJob *
account_job_new (RelanceAccount *account,
                 const char     *password)
{
  AccountJob *job = g_new0 (AccountJob, 1);

  job->account = account;
  job->password = g_strdup (password);
  return job;
}

/* The same message as `relance account test`, sent with the password as typed. */
static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AccountJob *job = task_data;
  g_autoptr(RelanceSmtpSession) session = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autofree char *message_id = NULL;
  g_autofree char *reply = NULL;
  g_auto(GStrv) recipients = NULL;
  GError *error = NULL;
  const char *to[2] = { NULL, NULL };
  RelanceMessageSpec spec = { 0 };

  session = relance_smtp_session_new (job->account, job->password);
  to[0] = job->account->from_address;
  spec.from_name = job->account->from_name;
  spec.from_address = job->account->from_address;
  spec.to = to;
  spec.to_name = job->account->from_name;
  spec.subject = _("Relance test message");
  spec.text = _("This message was sent by Relance to check your mail account. "
                "Reminders will be sent the same way.\n");
  spec.date = now;
  spec.auto_submitted = TRUE;
  if ((raw = relance_message_build (&spec, &message_id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  recipients = relance_message_spec_recipients (&spec);
  if (relance_smtp_session_send (session, (const char * const *) recipients, raw, &reply,
                                 &error) != RELANCE_SMTP_SENT)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RelanceOnboarding *self = RELANCE_ONBOARDING (object);
  AccountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_account_status (self, error->message, TRUE);
      return;
    }
  {
    /* Translators: %s is an email address */
    g_autofree char *text = g_strdup_printf (_("Test message sent to %s."),
                                             job->account->from_address);
    show_account_status (self, text, FALSE);
  }
}

static void
test_clicked_cb (RelanceOnboarding *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  RelanceAccount *account;

  if ((account = account_from_form (self, &error)) == NULL)
    {
      show_account_status (self, error->message, TRUE);
      return;
    }
  set_busy (self, TRUE);
  show_account_status (self, _("Sending a test message…"), FALSE);
  task = g_task_new (self, self->cancellable, test_done_cb, NULL);
  g_task_set_source_tag (task, test_clicked_cb);
  g_task_set_task_data (task,
                        account_job_new (account,
                                         gtk_editable_get_text (GTK_EDITABLE (self->password_entry))),
                        (GDestroyNotify) account_job_free);
  g_task_run_in_thread (task, test_thread);
}

static void go_to_step (RelanceOnboarding *self,
                        guint              step);

static void
store_password_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  AccountJob *job = task_data;
  GError *error = NULL;

  if (relance_credentials_store (job->account, job->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RelanceOnboarding *self = RELANCE_ONBOARDING (object);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_field_error (self->password_row, self->password_entry, error->message);
      return;
    }
  go_to_step (self, STEP_SCENARIO);
}

/* Saves the account and, in a worker thread, its password; moves on when both are kept.
 * Returns FALSE when the form is refused (the errors are shown). */
static gboolean
save_account (RelanceOnboarding *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(GTask) task = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  show_field_error (self->host_row, GTK_WIDGET (self->host_entry), NULL);
  show_field_error (self->from_row, GTK_WIDGET (self->from_entry), NULL);
  show_field_error (self->password_row, self->password_entry, NULL);
  if ((account = account_from_form (self, &error)) == NULL)
    {
      AdwActionRow *row = gtk_editable_get_text (GTK_EDITABLE (self->host_entry))[0] == '\0'
                          ? self->host_row : self->from_row;
      GtkWidget *entry = row == self->host_row ? GTK_WIDGET (self->host_entry)
                                               : GTK_WIDGET (self->from_entry);

      show_field_error (row, entry, error->message);
      gtk_widget_grab_focus (entry);
      return FALSE;
    }
  if (!relance_account_save (self->store, account, &error))
    {
      show_field_error (self->host_row, GTK_WIDGET (self->host_entry), error->message);
      return FALSE;
    }
  if (*password == '\0')
    {
      /* A password already in the keyring stays; without one, sending asks for it. */
      go_to_step (self, STEP_SCENARIO);
      return TRUE;
    }
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, store_password_cb, NULL);
  g_task_set_source_tag (task, save_account);
  g_task_set_task_data (task, account_job_new (g_steal_pointer (&account), password),
                        (GDestroyNotify) account_job_free);
  g_task_run_in_thread (task, store_password_thread);
  return TRUE;
}

static void
security_changed_cb (RelanceOnboarding *self)
{
  int port = gtk_spin_button_get_value_as_int (self->port_spin);
  gboolean tls = gtk_drop_down_get_selected (self->security_dropdown) == 1;

  /* Follow the usual ports, unless the user typed another one. */
  if (tls && port == 587)
    gtk_spin_button_set_value (self->port_spin, 465);
  else if (!tls && port == 465)
    gtk_spin_button_set_value (self->port_spin, 587);
}

static void
account_later_cb (RelanceOnboarding *self)
{
  go_to_step (self, STEP_SCENARIO);
}

/* ---- step 3: the scenario --------------------------------------------------------- */

static void
scenario_toggled_cb (GtkCheckButton    *check,
                     RelanceOnboarding *self)
{
  if (!gtk_check_button_get_active (check))
    return;
  g_free (self->scenario_key);
  self->scenario_key = g_strdup (g_object_get_data (G_OBJECT (check), "key"));
}

static void
load_scenarios (RelanceOnboarding *self)
{
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (self->store, NULL);
  g_autoptr(RelanceCompany) company = relance_store_get_company (self->store, NULL);
  const char *language = company != NULL && company->language != NULL ? company->language : "en";
  GtkCheckButton *group = NULL;

  for (guint i = 0; scenarios != NULL && i < scenarios->len; i++)
    {
      const RelanceScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autofree char *steps = relance_scenario_describe_steps (scenario->steps);
      g_autofree char *escaped = g_markup_escape_text (steps, -1);
      g_autofree char *title = g_markup_escape_text (relance_scenario_get_name (scenario, language),
                                                     -1);
      g_autofree char *name = g_strdup_printf ("scenario-%s", scenario->key);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_name (check, name);
      g_object_set_data_full (G_OBJECT (check), "key", g_strdup (scenario->key), g_free);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      g_signal_connect (check, "toggled", G_CALLBACK (scenario_toggled_cb), self);
      if (g_strcmp0 (scenario->segment, "regular") == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->scenario_group, row);
      g_ptr_array_add (self->scenario_checks, check);
    }
}

static gboolean
save_scenario (RelanceOnboarding *self)
{
  g_autoptr(GError) error = NULL;

  if (self->scenario_key == NULL)
    return TRUE;
  if (!relance_store_set_regular_scenario (self->store, self->scenario_key, &error))
    {
      adw_preferences_group_set_description (self->scenario_group, error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- step 4: the import ----------------------------------------------------------- */

static void
import_file_chosen (RelanceOnboarding *self,
                    GFile             *file)
{
  RelanceImportDialog *dialog = relance_import_dialog_new (GTK_WINDOW (self), self->store, file);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     RelanceOnboarding *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        import_file_chosen (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_clicked_cb (RelanceOnboarding *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  /* GtkFileChooserNative goes through the file chooser portal inside Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Import a CSV File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- navigation ------------------------------------------------------------------- */

static GtkWidget *
page_widget (RelanceOnboarding *self,
             guint              step)
{
  GtkWidget *pages[N_STEPS] = {
    self->company_page, self->account_page, self->scenario_page, self->import_page,
  };

  return pages[MIN (step, N_STEPS - 1)];
}

static void
remember_step (RelanceOnboarding *self,
               const char        *value)
{
  relance_store_set_setting (self->store, RELANCE_SETTING_ONBOARDING, value, NULL);
}

static void
go_to_step (RelanceOnboarding *self,
            guint              step)
{
  step = MIN (step, N_STEPS - 1);
  self->step = step;
  /* Pages out of sight stay out of the focus chain, so Tab never lands on them. */
  for (guint i = 0; i < N_STEPS; i++)
    gtk_widget_set_can_focus (page_widget (self, i), i == step);
  adw_carousel_scroll_to (self->carousel, page_widget (self, step),
                          gtk_widget_get_mapped (GTK_WIDGET (self)));
  gtk_widget_set_visible (self->back_button, step > 0);
  gtk_widget_set_visible (self->skip_button, step < STEP_IMPORT);
  gtk_button_set_label (self->next_button, step == STEP_IMPORT ? _("_Finish") : _("_Next"));
  if (step == STEP_COMPANY)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  else if (step == STEP_ACCOUNT)
    gtk_widget_grab_focus (GTK_WIDGET (self->host_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

static void
finish (RelanceOnboarding *self)
{
  remember_step (self, "done");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
next_clicked_cb (RelanceOnboarding *self)
{
  if (self->busy)
    return;
  switch (self->step)
    {
    case STEP_COMPANY:
      if (save_company (self))
        go_to_step (self, STEP_ACCOUNT);
      break;

    case STEP_ACCOUNT:
      /* An untouched page is the same as "Set Up Later". */
      if (account_form_is_empty (self))
        go_to_step (self, STEP_SCENARIO);
      else
        save_account (self);
      break;

    case STEP_SCENARIO:
      if (save_scenario (self))
        go_to_step (self, STEP_IMPORT);
      break;

    case STEP_IMPORT:
    default:
      finish (self);
      break;
    }
}

static void
back_clicked_cb (RelanceOnboarding *self)
{
  if (self->step > 0 && !self->busy)
    go_to_step (self, self->step - 1);
}

static void
skip_clicked_cb (RelanceOnboarding *self)
{
  g_autofree char *step = g_strdup_printf ("%u", self->step);

  remember_step (self, step);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
restore_page_idle (gpointer data)
{
  g_autoptr(RelanceOnboarding) self = data;

  if (!self->disposing)
    adw_carousel_scroll_to (self->carousel, page_widget (self, self->step), FALSE);
  return G_SOURCE_REMOVE;
}

static void
map_cb (RelanceOnboarding *self)
{
  /* A carousel laid out for the first time shows page 0, which would hide a resumed
   * step: go back to it once the window is on screen. */
  g_idle_add (restore_page_idle, g_object_ref (self));
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
relance_onboarding_dispose (GObject *object)
{
  RelanceOnboarding *self = RELANCE_ONBOARDING (object);

  self->disposing = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELANCE_TYPE_ONBOARDING);

  G_OBJECT_CLASS (relance_onboarding_parent_class)->dispose (object);
}

static void
relance_onboarding_finalize (GObject *object)
{
  RelanceOnboarding *self = RELANCE_ONBOARDING (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scenario_key, g_free);
  g_clear_pointer (&self->scenario_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (relance_onboarding_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RelanceOnboarding, name)

static void
relance_onboarding_class_init (RelanceOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_onboarding_dispose;
  object_class->finalize = relance_onboarding_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-onboarding.ui");
  BIND (carousel);
  BIND (back_button);
  BIND (skip_button);
  BIND (next_button);
  BIND (company_page);
  BIND (account_page);
  BIND (scenario_page);
  BIND (import_page);
  BIND (name_row);
  BIND (name_entry);
  BIND (address_entry);
  BIND (country_dropdown);
  BIND (siret_entry);
  BIND (vat_entry);
  BIND (iban_row);
  BIND (iban_entry);
  BIND (bic_row);
  BIND (bic_entry);
  BIND (terms_spin);
  BIND (legal_check);
  BIND (contractual_check);
  BIND (rate_row);
  BIND (rate_entry);
  BIND (host_row);
  BIND (host_entry);
  BIND (port_spin);
  BIND (security_dropdown);
  BIND (user_entry);
  BIND (from_row);
  BIND (from_entry);
  BIND (password_row);
  BIND (password_entry);
  BIND (test_button);
  BIND (account_spinner);
  BIND (account_status);
  BIND (account_later_button);
  BIND (scenario_group);
  BIND (import_status);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, skip_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_later_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);

  /* Keyboard: Alt+Left / Alt+Right, as in the assistants of GNOME. */
  gtk_widget_class_install_action (widget_class, "onboarding.back", NULL,
                                   (GtkWidgetActionActivateFunc) back_clicked_cb);
  gtk_widget_class_install_action (widget_class, "onboarding.next", NULL,
                                   (GtkWidgetActionActivateFunc) next_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "onboarding.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "onboarding.next", NULL);
}

#undef BIND

static void
relance_onboarding_init (RelanceOnboarding *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkEntry *checked[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  checked[0] = self->name_entry;
  checked[1] = self->iban_entry;
  checked[2] = self->bic_entry;
  checked[3] = self->rate_entry;

  self->cancellable = g_cancellable_new ();
  self->scenario_checks = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      /* Translators: a country in a list, "France (FR)" */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), _(countries[i].name),
                                                countries[i].code);
      gtk_string_list_append (names, label);
    }
  gtk_drop_down_set_model (self->country_dropdown, G_LIST_MODEL (names));

  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    g_signal_connect (checked[i], "changed", G_CALLBACK (company_field_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect_swapped (self->security_dropdown, "notify::selected",
                            G_CALLBACK (security_changed_cb), self);
  /* Enter in the last field of a page moves on, like the Next button. */
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    gtk_entry_set_activates_default (checked[i], TRUE);
}

RelanceOnboarding *
relance_onboarding_new (GtkWindow    *parent,
                        RelanceStore *store)
{
  RelanceOnboarding *self;
  g_autofree char *step = NULL;
  guint64 resume = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  self = g_object_new (RELANCE_TYPE_ONBOARDING, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  load_company (self);
  load_account (self);
  load_scenarios (self);

  step = relance_store_get_setting (store, RELANCE_SETTING_ONBOARDING);
  if (step != NULL && !g_ascii_string_to_unsigned (step, 10, 0, N_STEPS - 1, &resume, NULL))
    resume = 0;
  go_to_step (self, (guint) resume);
  return self;
}

guint
relance_onboarding_get_step (RelanceOnboarding *self)
{
  g_return_val_if_fail (RELANCE_IS_ONBOARDING (self), 0);
  return self->step;
}

gboolean
relance_onboarding_is_busy (RelanceOnboarding *self)
{
  g_return_val_if_fail (RELANCE_IS_ONBOARDING (self), FALSE);
  return self->busy;
}
