/* test-onboarding.c: the first-run assistant, driven in process under Xvfb.
 *
 * Each case gets its own database; the assistant is filled and clicked through the same
 * widgets a person uses (found by their ids in relance-onboarding.ui), and the outcome
 * is read back from the store. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-onboarding.h"
#include "relance-resources.h"
#include "relance-scenario.h"
#include "relance-store.h"

#include "ui-test-common.h"

#define WAIT_TIMEOUT_US (10 * G_USEC_PER_SEC)

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_text (GtkWidget  *root,
          const char *id,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (relance_test_get_widget (root, id)), text);
  iterate ();
}

static void
click (GtkWidget  *root,
       const char *id)
{
  GtkWidget *button = relance_test_get_widget (root, id);

  g_assert_true (gtk_widget_is_sensitive (button));
  if (GTK_IS_CHECK_BUTTON (button))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
  else
    g_signal_emit_by_name (button, "clicked");
  iterate ();
}

static void
wait_idle (RelanceOnboarding *onboarding)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  while (relance_onboarding_is_busy (onboarding))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static char *
scenario_segment (RelanceStore *store,
                  const char   *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      if (g_strcmp0 (scenario->key, key) == 0)
        return g_strdup (scenario->segment);
    }
  g_assert_not_reached ();
}

static RelanceStore *
new_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "relance.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceStore *store = relance_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* The acceptance journey: company with an IBAN (a wrong one first), no account yet, the
 * Firm scenario for regular clients. */
static void
test_onboarding_to_first_scenario (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(RelanceCompany) company = NULL;
  g_autofree char *firm = NULL;
  g_autofree char *standard = NULL;
  g_autofree char *gentle = NULL;
  g_autofree char *step = NULL;
  RelanceOnboarding *onboarding;
  GtkWidget *root;
  GtkWidget *iban_row;
  GtkWidget *next;

  g_assert_true (relance_onboarding_should_show (store));
  onboarding = relance_onboarding_new (NULL, store);
  g_object_add_weak_pointer (G_OBJECT (onboarding), (gpointer *) &onboarding);
  gtk_window_present (GTK_WINDOW (onboarding));
  iterate ();
  root = GTK_WIDGET (onboarding);
  next = relance_test_get_widget (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 0);

  /* Next with no name: refused, with the reason next to the field. */
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 0);
  g_assert_true (gtk_widget_has_css_class (relance_test_get_widget (root, "name_row"), "error"));

  set_text (root, "name_entry", "Atelier Durand");
  g_assert_false (gtk_widget_has_css_class (relance_test_get_widget (root, "name_row"), "error"));
  /* The last check digit is wrong (…189 is right). */
  set_text (root, "iban_entry", "FR76 3000 6000 0112 3456 7890 188");
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 0);
  iban_row = relance_test_get_widget (root, "iban_row");
  g_assert_true (gtk_widget_has_css_class (iban_row, "error"));
  g_assert_true (gtk_widget_has_css_class (relance_test_get_widget (root, "iban_entry"), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (iban_row)), !=, "");
  /* The keyboard focus goes to the field to correct. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (onboarding)),
                                         relance_test_get_widget (root, "iban_entry")));
  /* Nothing was written while the page is refused. */
  company = relance_store_get_company (store, NULL);
  g_assert_true (company->name == NULL || *company->name == '\0');
  g_clear_pointer (&company, relance_company_free);

  /* Corrected: the error goes away as the user types, and Next moves on. */
  set_text (root, "iban_entry", "fr76 3000 6000 0112 3456 7890 189");
  g_assert_false (gtk_widget_has_css_class (iban_row, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (iban_row)), ==, "");
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 1);
  company = relance_store_get_company (store, NULL);
  g_assert_cmpstr (company->name, ==, "Atelier Durand");
  g_assert_cmpstr (company->iban, ==, "FR7630006000011234567890189");
  g_assert_cmpstr (company->country, ==, "FR");
  g_assert_null (company->penalty_rate);

  /* No mail account yet. */
  click (root, "account_later_button");
  wait_idle (onboarding);
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 2);

  /* The three shipped scenarios are offered, each with its steps spelled out. */
  g_assert_nonnull (relance_test_get_widget (root, "scenario-standard"));
  g_assert_nonnull (relance_test_get_widget (root, "scenario-gentle"));
  g_assert_true (gtk_check_button_get_active (
    GTK_CHECK_BUTTON (relance_test_get_widget (root, "scenario-standard"))));
  click (root, "scenario-firm");
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 3);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Finish");

  click (root, "next_button");
  g_assert_null (onboarding);

  firm = scenario_segment (store, "firm");
  standard = scenario_segment (store, "standard");
  gentle = scenario_segment (store, "gentle");
  g_assert_cmpstr (firm, ==, "regular");
  /* Segments stay unique: the former "regular" scenario took the Firm one's segment. */
  g_assert_cmpstr (standard, ==, "at-risk");
  g_assert_cmpstr (gentle, ==, "strategic");
  step = relance_store_get_setting (store, RELANCE_SETTING_ONBOARDING);
  g_assert_cmpstr (step, ==, "done");
  g_assert_false (relance_onboarding_should_show (store));
}

/* Skip keeps what was entered and opens again at the same step. */
static void
test_onboarding_skip_and_resume (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autofree char *step = NULL;
  RelanceOnboarding *onboarding = relance_onboarding_new (NULL, store);
  GtkWidget *root = GTK_WIDGET (onboarding);

  g_object_add_weak_pointer (G_OBJECT (onboarding), (gpointer *) &onboarding);
  gtk_window_present (GTK_WINDOW (onboarding));
  iterate ();
  set_text (root, "name_entry", "Acme Widgets Ltd");
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 1);
  click (root, "skip_button");
  g_assert_null (onboarding);

  step = relance_store_get_setting (store, RELANCE_SETTING_ONBOARDING);
  g_assert_cmpstr (step, ==, "1");
  g_assert_true (relance_onboarding_should_show (store));

  onboarding = relance_onboarding_new (NULL, store);
  root = GTK_WIDGET (onboarding);
  gtk_window_present (GTK_WINDOW (onboarding));
  iterate ();
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relance_test_get_widget (root,
                                                                                 "name_entry"))),
                   ==, "Acme Widgets Ltd");
  /* Back returns to the company, which keeps its values. */
  click (root, "back_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 0);
  gtk_window_destroy (GTK_WINDOW (onboarding));
  iterate ();
}

/* The account page refuses what the sending code would refuse, next to the field. */
static void
test_onboarding_account_validation (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  RelanceOnboarding *onboarding;
  GtkWidget *root;

  relance_store_set_setting (store, RELANCE_SETTING_ONBOARDING, "1", NULL);
  onboarding = relance_onboarding_new (NULL, store);
  root = GTK_WIDGET (onboarding);
  gtk_window_present (GTK_WINDOW (onboarding));
  iterate ();
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 1);

  set_text (root, "host_entry", "smtp.example.com");
  set_text (root, "from_entry", "not an address");
  click (root, "next_button");
  g_assert_cmpuint (relance_onboarding_get_step (onboarding), ==, 1);
  g_assert_true (gtk_widget_has_css_class (relance_test_get_widget (root, "from_row"), "error"));
  /* "Send a Test Email" checks the same before it tries the network. */
  click (root, "test_button");
  g_assert_true (gtk_widget_has_css_class (relance_test_get_widget (root, "account_status"),
                                           "error"));
  gtk_window_destroy (GTK_WINDOW (onboarding));
  iterate ();
}

static void
test_company_field_check (void)
{
  static const struct { const char *field; const char *text; gboolean ok; } cases[] = {
    { "name", "", FALSE },
    { "name", "  ", FALSE },
    { "name", "Atelier Durand", TRUE },
    { "iban", "", TRUE },
    { "iban", "FR76 3000 6000 0112 3456 7890 189", TRUE },
    { "iban", "GB82 WEST 1234 5698 7654 32", TRUE },
    { "iban", "FR76 3000 6000 0112 3456 7890 188", FALSE },
    { "iban", "hello", FALSE },
    { "bic", "BNPAFRPP", TRUE },
    { "bic", "bnpafrppxxx", TRUE },
    { "bic", "BNP", FALSE },
    { "bic", "12PAFRPP", FALSE },
    { "penalty-rate", "12.5", TRUE },
    { "penalty-rate", "12,5", TRUE },
    { "penalty-rate", "twelve", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = relance_company_field_check (cases[i].field, cases[i].text);

      if (cases[i].ok != (message == NULL))
        g_error ("%s “%s”: expected %s, got %s", cases[i].field, cases[i].text,
                 cases[i].ok ? "accepted" : "refused", message ? message : "accepted");
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);
  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_use_system_data_dirs ();
  relance_clock_set_override (now);
  /* Keeps the resources of the static library linked in. */
  g_assert_nonnull (relance_get_resource ());

  g_test_add_func ("/ui/onboarding/company-field-check", test_company_field_check);
  g_test_add_data_func ("/ui/onboarding/to-first-scenario",
                        test_onboarding_to_first_scenario, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/onboarding/skip-and-resume",
                        test_onboarding_skip_and_resume, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/onboarding/account-validation",
                        test_onboarding_account_validation, relance_test_run_in_gtk_subprocess);
  return g_test_run ();
}
