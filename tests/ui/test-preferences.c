/* test-preferences.c: the Preferences window under Xvfb. The mail account's rows show what
 * the store holds and save what is typed when it is valid; the password and API key rows
 * say what is missing before anything goes to the keyring (and, with the throw-away keyring
 * of build-aux/test.sh, keep the secret there); the text-message rows count the parts and
 * their cost. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-account.h"
#include "relance-brevo.h"
#include "relance-credentials.h"
#include "relance-preferences.h"
#include "relance-sms.h"
#include "relance-store.h"

#include "ui-test-common.h"

/* The row titled @title, mnemonic underscore included. */
static AdwActionRow *
get_row (GtkWidget  *window,
         const char *title)
{
  GtkWidget *row = relance_test_find_row (window, ADW_TYPE_ACTION_ROW, title);

  if (row == NULL)
    g_error ("No row titled “%s” in the Preferences window", title);
  return ADW_ACTION_ROW (row);
}

/* The widget a row activates: the entry of an entry row, the password entry of a secret
 * row. */
static GtkEditable *
row_editable (GtkWidget  *window,
              const char *title)
{
  GtkWidget *widget = adw_action_row_get_activatable_widget (get_row (window, title));

  g_assert_true (GTK_IS_EDITABLE (widget));
  return GTK_EDITABLE (widget);
}

static void
click_row_button (GtkWidget  *window,
                  const char *title)
{
  GtkWidget *row = GTK_WIDGET (get_row (window, title));
  GtkWidget *button = relance_test_find_descendant_of_type (row, GTK_TYPE_BUTTON);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_row_says (GtkWidget  *window,
                 const char *title,
                 const char *subtitle)
{
  AdwActionRow *row = get_row (window, title);

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error") == (*subtitle != '\0'));
}

static RelanceStore *
open_store (void)
{
  g_autofree char *path = relance_test_new_database_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  relance_test_use_system_data_dirs ();
  g_mkdir_with_parents (dir, 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static void
save_account (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  RelanceAccount account = {
    .host = (char *) "smtp.example.com", .port = 465, .security = (char *) "tls",
    .user = (char *) "ann", .from_name = (char *) "Ann Example",
    .from_address = (char *) "ann@example.com", .timeout = 60,
  };

  g_assert_true (relance_account_save (store, &account, &error));
  g_assert_no_error (error);
}

static GtkWidget *
open_preferences (RelanceStore *store)
{
  GtkWidget *window = GTK_WIDGET (relance_preferences_new (NULL, store));

  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return window;
}

static void
test_preferences_account (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(RelanceAccount) account = NULL;
  GtkWidget *window;
  GtkWidget *port;

  save_account (store);
  window = open_preferences (store);

  g_assert_cmpstr (gtk_editable_get_text (row_editable (window, "_Server")), ==,
                   "smtp.example.com");
  g_assert_cmpstr (gtk_editable_get_text (row_editable (window, "_User Name")), ==, "ann");
  g_assert_cmpstr (gtk_editable_get_text (row_editable (window, "_From")), ==,
                   "Ann Example <ann@example.com>");
  port = adw_action_row_get_activatable_widget (get_row (window, "_Port"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (port)), ==, 465);

  /* A valid change is saved at once. */
  gtk_editable_set_text (row_editable (window, "_User Name"), "ann.example");
  account = relance_account_load (store, NULL);
  g_assert_cmpstr (account->user, ==, "ann.example");
  g_clear_pointer (&account, relance_account_free);

  /* An invalid one says why under the row and changes nothing. */
  gtk_editable_set_text (row_editable (window, "_From"), "");
  assert_row_says (window, "_From", "Enter the address reminders are sent from.");
  account = relance_account_load (store, NULL);
  g_assert_cmpstr (account->from_address, ==, "ann@example.com");
  gtk_editable_set_text (row_editable (window, "_From"), "Ann <billing@example.com>");
  assert_row_says (window, "_From", "");
  g_clear_pointer (&account, relance_account_free);
  account = relance_account_load (store, NULL);
  g_assert_cmpstr (account->from_name, ==, "Ann");
  g_assert_cmpstr (account->from_address, ==, "billing@example.com");

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GtkWidget  *window;
  const char *title;
  const char *subtitle;
} SubtitleWait;

static gboolean
subtitle_is (gpointer data)
{
  SubtitleWait *wait = data;

  return g_strcmp0 (adw_action_row_get_subtitle (get_row (wait->window, wait->title)),
                    wait->subtitle) == 0;
}

static void
test_preferences_secrets (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  GtkWidget *window = open_preferences (store);

  /* Nothing reaches the keyring without an account, or without a password. */
  click_row_button (window, "New _Password");
  assert_row_says (window, "New _Password", "Set up the server and the sender first.");
  gtk_window_destroy (GTK_WINDOW (window));

  save_account (store);
  window = open_preferences (store);
  click_row_button (window, "New _Password");
  assert_row_says (window, "New _Password", "Type the new password.");
  click_row_button (window, "API _Key");
  assert_row_says (window, "API _Key", "Paste the API key from Brevo.");

  if (g_getenv ("RELANCE_TEST_KEYRING") != NULL)
    {
      g_autoptr(RelanceAccount) account = relance_account_load (store, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *password = NULL;
      g_autofree char *key = NULL;

      /* Kept by a worker thread; the entry is emptied and the error cleared after. */
      gtk_editable_set_text (row_editable (window, "New _Password"), "s3cret é");
      click_row_button (window, "New _Password");
      relance_test_iterate_until (subtitle_is, &(SubtitleWait) { window, "New _Password", "" },
                                  "the password is kept");
      g_assert_cmpstr (gtk_editable_get_text (row_editable (window, "New _Password")), ==, "");
      password = relance_credentials_lookup (account, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (password, ==, "s3cret é");

      gtk_editable_set_text (row_editable (window, "API _Key"), "xkeysib-test");
      click_row_button (window, "API _Key");
      relance_test_iterate_until (subtitle_is, &(SubtitleWait) { window, "API _Key", "" },
                                  "the API key is kept");
      key = relance_brevo_api_key_lookup (NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, "xkeysib-test");
      relance_credentials_clear (account, NULL, NULL);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences_sms (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  GtkWidget *window = open_preferences (store);
  g_autofree char *saved = NULL;
  const char *subtitle;

  gtk_editable_set_text (row_editable (window, "Cost per _Part"), "a lot");
  assert_row_says (window, "Cost per _Part", "Type a price such as 0.045 EUR.");
  g_assert_null (relance_store_get_setting (store, RELANCE_SETTING_SMS_COST));

  gtk_editable_set_text (row_editable (window, "Cost per _Part"), "0.045 EUR");
  assert_row_says (window, "Cost per _Part", "");
  saved = relance_store_get_setting (store, RELANCE_SETTING_SMS_COST);
  g_assert_cmpstr (saved, ==, "0.045 EUR");
  /* Each shipped text: its characters, its parts, and what one costs. */
  subtitle = adw_action_row_get_subtitle (get_row (window, "Overdue"));
  g_test_message ("%s", subtitle);
  g_assert_nonnull (strstr (subtitle, " characters · "));
  g_assert_true (g_str_has_suffix (subtitle, " EUR per message"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_set_wait_timeout (20 * G_USEC_PER_SEC);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/preferences/account", test_preferences_account);
  g_test_add_func ("/ui/preferences/secrets", test_preferences_secrets);
  g_test_add_func ("/ui/preferences/sms", test_preferences_sms);

  return g_test_run ();
}
