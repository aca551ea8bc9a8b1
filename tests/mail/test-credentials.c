/* test-credentials.c: the password in a real keyring (store, lookup, replace, clear) and the
 * plain error when the session has no Secret Service. It needs the throw-away
 * gnome-keyring that build-aux/test.sh starts inside its dbus-run-session, announced by
 * RELANCE_TEST_KEYRING=1; without it every case is skipped. */
#include "config.h"

#include "relance-credentials.h"
#include "relance-mail-error.h"

static RelanceAccount
test_account (const char *user)
{
  return (RelanceAccount) {
    .host = (char *) "smtp.example.com", .port = 587, .security = (char *) "starttls",
    .user = (char *) user, .from_address = (char *) "bob@example.com", .timeout = 60,
  };
}

static gboolean
keyring_available (void)
{
  if (g_getenv ("RELANCE_TEST_KEYRING") == NULL)
    {
      g_test_skip ("needs the keyring of build-aux/test.sh (RELANCE_TEST_KEYRING=1)");
      return FALSE;
    }
  return TRUE;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  RelanceAccount account = test_account ("bob-round-trip");
  RelanceAccount other = test_account ("alice-round-trip");
  char *password;

  if (!keyring_available ())
    return;

  /* Nothing yet. */
  password = relance_credentials_lookup (&account, NULL, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD);
  g_assert_null (password);
  g_clear_error (&error);

  g_assert_true (relance_credentials_store (&account, "s3cret é", NULL, &error));
  g_assert_no_error (error);
  password = relance_credentials_lookup (&account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "s3cret é");
  g_free (password);

  /* Another user on the same server has no password: items are per host and user. */
  password = relance_credentials_lookup (&other, NULL, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD);
  g_clear_error (&error);

  /* Storing again replaces. */
  g_assert_true (relance_credentials_store (&account, "n3w", NULL, &error));
  password = relance_credentials_lookup (&account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "n3w");
  g_free (password);

  g_assert_true (relance_credentials_clear (&account, NULL, &error));
  g_assert_no_error (error);
  password = relance_credentials_lookup (&account, NULL, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD);
  g_clear_error (&error);
  /* Clearing what is not there is not an error. */
  g_assert_true (relance_credentials_clear (&account, NULL, &error));
  g_assert_no_error (error);
}

static void
test_refuses_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  RelanceAccount account = test_account ("");

  g_assert_false (relance_credentials_store (&account, "x", NULL, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_clear_error (&error);
  account = test_account ("bob");
  g_assert_false (relance_credentials_store (&account, "", NULL, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
}

/* Needs no keyring: runs everywhere. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      RelanceAccount account = test_account ("bob");
      char *password;

      password = relance_credentials_lookup (&account, NULL, &error);
      g_assert_null (password);
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_KEYRING);
      g_print ("%s\n", error->message);
      g_clear_error (&error);
      g_assert_false (relance_credentials_store (&account, "x", NULL, &error));
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_KEYRING);
      g_clear_error (&error);
      g_assert_false (relance_credentials_clear (&account, NULL, &error));
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_KEYRING);
      return;
    }

  {
    /* The child sees no session bus at all, as in a session without any keyring (it
     * inherits our environment; GLib 2.74 has no _with_envp variant). */
    g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (saved != NULL)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
    else
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  }
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*No keyring is available in this session*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mail/credentials/round-trip", test_round_trip);
  g_test_add_func ("/mail/credentials/refuses-incomplete", test_refuses_incomplete);
  g_test_add_func ("/mail/credentials/no-keyring", test_no_keyring);
  return g_test_run ();
}
