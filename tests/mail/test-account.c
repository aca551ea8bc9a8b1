/* test-account.c: the mail account in the settings table, its validation and the address
 * syntax (one mailbox, no control character, no group). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relance-account.h"
#include "relance-mail-error.h"

#include "../relance-test-sql.h"

static RelanceStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "relance.db", NULL);
  RelanceStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static RelanceAccount
good_account (void)
{
  return (RelanceAccount) {
    .host = (char *) "smtp.example.com", .port = 587, .security = (char *) "starttls",
    .user = (char *) "bob", .from_name = (char *) "Atelier Dupré, SARL",
    .from_address = (char *) "facturation@atelier-dupre.fr",
    .reply_to = (char *) "contact@atelier-dupre.fr", .bcc_self = TRUE, .timeout = 60,
  };
}

static void
test_round_trip (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceAccount) loaded = NULL;
  RelanceAccount account = good_account ();

  loaded = relance_account_load (store, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_assert_null (loaded);
  g_clear_error (&error);

  g_assert_true (relance_account_save (store, &account, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relance_store_get_setting (store, "account.from"), ==,
                   "\"Atelier Dupré, SARL\" <facturation@atelier-dupre.fr>");
  loaded = relance_account_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->host, ==, "smtp.example.com");
  g_assert_cmpint (loaded->port, ==, 587);
  g_assert_cmpstr (loaded->security, ==, "starttls");
  g_assert_cmpstr (loaded->user, ==, "bob");
  g_assert_cmpstr (loaded->from_name, ==, "Atelier Dupré, SARL");
  g_assert_cmpstr (loaded->from_address, ==, "facturation@atelier-dupre.fr");
  g_assert_cmpstr (loaded->reply_to, ==, "contact@atelier-dupre.fr");
  g_assert_true (loaded->bcc_self);
  g_assert_null (loaded->ca_file);
  g_assert_cmpint (loaded->timeout, ==, 60);

  /* Nothing that looks like a password is in the settings. */
  g_assert_cmpint (relance_test_sql_int (store, "SELECT count(*) FROM settings WHERE key LIKE "
                                       "'account.%' AND (key LIKE '%pass%' "
                                       "OR key LIKE '%secret%')"), ==, 0);

  /* Clearing the reply address removes it; an invalid change writes nothing. */
  account.reply_to = NULL;
  account.bcc_self = FALSE;
  g_assert_true (relance_account_save (store, &account, &error));
  g_assert_null (relance_store_get_setting (store, "account.reply-to"));
  g_assert_cmpstr (relance_store_get_setting (store, "account.bcc-self"), ==, "false");
  account.host = (char *) "smtp.other.com";
  account.port = 0;
  g_assert_false (relance_account_save (store, &account, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_assert_cmpstr (relance_store_get_setting (store, "account.host"), ==, "smtp.example.com");
}

static void
test_load_hand_edited (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceAccount) loaded = NULL;

  /* Minimal settings get defaults: STARTTLS on 587, 60 seconds. */
  g_assert_true (relance_store_set_setting (store, "account.host", "smtp.example.com", NULL));
  g_assert_true (relance_store_set_setting (store, "account.user", "bob", NULL));
  g_assert_true (relance_store_set_setting (store, "account.from", "bob@example.com", NULL));
  loaded = relance_account_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->port, ==, 587);
  g_assert_cmpstr (loaded->security, ==, "starttls");
  g_assert_cmpint (loaded->timeout, ==, 60);
  g_assert_null (loaded->from_name);
  g_clear_pointer (&loaded, relance_account_free);

  /* A value that save() would refuse is refused on load too. */
  g_assert_true (relance_store_set_setting (store, "account.port", "587x", NULL));
  loaded = relance_account_load (store, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_assert_null (loaded);
  g_clear_error (&error);
  g_assert_true (relance_store_set_setting (store, "account.port", "465", NULL));
  g_assert_true (relance_store_set_setting (store, "account.from", "Bob\r\n<bob@x.fr>", NULL));
  loaded = relance_account_load (store, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
}

typedef struct
{
  const char *label;
  const char *host;
  int         port;
  const char *security;
  const char *user;
  const char *from_address;
  const char *reply_to;
  const char *ca_file;
  int         timeout;
  gboolean    valid;
} ValidateCase;

static void
test_validate (void)
{
  g_autofree char *ca = g_build_filename (g_get_user_data_dir (), "ca.pem", NULL);
  const ValidateCase cases[] = {
    { "good", NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, TRUE },
    { "no host", "", 0, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "host with space", "smtp.example.com x", 0, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "host with path", "smtp.example.com/x", 0, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "host with LF", "smtp.example.com\n", 0, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "port 0", NULL, -1, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "port 65536", NULL, 65536, NULL, NULL, NULL, NULL, NULL, 0, FALSE },
    { "port 65535", NULL, 65535, NULL, NULL, NULL, NULL, NULL, 0, TRUE },
    { "tls", NULL, 465, "tls", NULL, NULL, NULL, NULL, 0, TRUE },
    { "unknown security", NULL, 0, "ssl", NULL, NULL, NULL, NULL, 0, FALSE },
    { "plain to a remote host", NULL, 25, "none", NULL, NULL, NULL, NULL, 0, FALSE },
    { "plain to 10.0.0.1", "10.0.0.1", 25, "none", NULL, NULL, NULL, NULL, 0, FALSE },
    { "plain to localhost", "localhost", 25, "none", NULL, NULL, NULL, NULL, 0, TRUE },
    { "plain to 127.0.0.1", "127.0.0.1", 25, "none", NULL, NULL, NULL, NULL, 0, TRUE },
    { "plain to 127.1.2.3", "127.1.2.3", 25, "none", NULL, NULL, NULL, NULL, 0, TRUE },
    { "plain to ::1", "::1", 25, "none", NULL, NULL, NULL, NULL, 0, TRUE },
    { "plain to [::1]", "[::1]", 25, "none", NULL, NULL, NULL, NULL, 0, TRUE },
    { "plain to localhost.evil.com", "localhost.evil.com", 25, "none", NULL, NULL, NULL, NULL,
      0, FALSE },
    { "no user", NULL, 0, NULL, "", NULL, NULL, NULL, 0, FALSE },
    { "bad from", NULL, 0, NULL, NULL, "facturation", NULL, NULL, 0, FALSE },
    { "bad reply-to", NULL, 0, NULL, NULL, NULL, "contact@", NULL, 0, FALSE },
    { "missing CA file", NULL, 0, NULL, NULL, NULL, NULL, "/nonexistent/ca.pem", 0, FALSE },
    { "readable CA file", NULL, 0, NULL, NULL, NULL, NULL, ca, 0, TRUE },
    { "timeout 0", NULL, 0, NULL, NULL, NULL, NULL, NULL, -1, FALSE },
    { "timeout 601", NULL, 0, NULL, NULL, NULL, NULL, NULL, 601, FALSE },
    { "timeout 600", NULL, 0, NULL, NULL, NULL, NULL, NULL, 600, TRUE },
  };

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (ca, "-----BEGIN CERTIFICATE-----\n", -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ValidateCase *c = &cases[i];
      RelanceAccount account = good_account ();
      g_autoptr(GError) error = NULL;

      g_test_message ("case: %s", c->label);
      if (c->host != NULL)
        account.host = (char *) c->host;
      if (c->port != 0)
        account.port = c->port == -1 ? 0 : c->port;
      if (c->security != NULL)
        account.security = (char *) c->security;
      if (c->user != NULL)
        account.user = (char *) c->user;
      if (c->from_address != NULL)
        account.from_address = (char *) c->from_address;
      if (c->reply_to != NULL)
        account.reply_to = (char *) c->reply_to;
      if (c->ca_file != NULL)
        account.ca_file = (char *) c->ca_file;
      if (c->timeout != 0)
        account.timeout = c->timeout == -1 ? 0 : c->timeout;
      if (c->valid)
        {
          g_assert_true (relance_account_validate (&account, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (relance_account_validate (&account, &error));
          g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
          /* A sentence, not a code. */
          g_assert_true (g_str_has_suffix (error->message, "."));
        }
    }
}

typedef struct
{
  const char *text;
  const char *name;    /* NULL: none */
  const char *address; /* NULL: refused */
} ParseCase;

static void
test_parse (void)
{
  static const ParseCase cases[] = {
    { "bob@example.com", NULL, "bob@example.com" },
    { "  bob@example.com  ", NULL, "bob@example.com" },
    { "Bob Martin <bob@example.com>", "Bob Martin", "bob@example.com" },
    { "\"Dupont, SARL\" <compta@dupont.fr>", "Dupont, SARL", "compta@dupont.fr" },
    { "Hélène Dupré <helene@dupre.fr>", "Hélène Dupré", "helene@dupre.fr" },
    { "=?UTF-8?Q?H=C3=A9l=C3=A8ne?= <helene@dupre.fr>", "Hélène", "helene@dupre.fr" },
    { "<bob@example.com>", NULL, "bob@example.com" },
    { "root@localhost", NULL, "root@localhost" },
    { "", NULL, NULL },
    { "   ", NULL, NULL },
    { "bob", NULL, NULL },
    { "bob@", NULL, NULL },
    { "@example.com", NULL, NULL },
    { "bob@example", NULL, NULL },
    { "bob@@example.com", NULL, NULL },
    { "a@b.fr, c@d.fr", NULL, NULL },
    { "Team: a@b.fr, c@d.fr;", NULL, NULL },
    { "Team: a@b.fr;", NULL, NULL },
    { "Bob\r\n<bob@example.com>", NULL, NULL },
    { "bob@example.com\r\nBcc: x@y.fr", NULL, NULL },
    { "Bob <bob@example.com>\n", NULL, NULL },
    { "Bob\t<bob@example.com>", NULL, NULL },
    { "Bob <bob@example.com", NULL, NULL },
    { "bob@example.com>", NULL, NULL },
    { "\"A <b>\" <bob@example.com>", "A <b>", "bob@example.com" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ParseCase *c = &cases[i];
      g_autofree char *name = NULL;
      g_autofree char *address = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = relance_address_parse (c->text, &name, &address, &error);

      g_test_message ("case: %s", c->text);
      if (c->address != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (name, ==, c->name);
          g_assert_cmpstr (address, ==, c->address);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID);
          g_assert_null (name);
          g_assert_null (address);
          g_assert_null (strpbrk (error->message, "\r\n"));
        }
    }
}

static void
test_is_valid (void)
{
  static const struct { const char *address; gboolean valid; } cases[] = {
    { "bob@example.com", TRUE },
    { "b.o+b-x_1@sub.example.co.uk", TRUE },
    { "root@localhost", TRUE },
    { "élodie@exemple.fr", TRUE },
    { "bob@example", FALSE },
    { "bob", FALSE },
    { "@example.com", FALSE },
    { "bob@", FALSE },
    { "bob@.example.com", FALSE },
    { "bob@example.com.", FALSE },
    { "bob@exa..mple.com", FALSE },
    { "b@b@example.com", FALSE },
    { "bob smith@example.com", FALSE },
    { "\"bob\"@example.com", FALSE },
    { "bob'@example.com", FALSE },
    { "bob@example.com\r\n", FALSE },
    { "bob\t@example.com", FALSE },
    { "<bob@example.com>", FALSE },
    { "bob@example.com,eve@x.fr", FALSE },
    { "", FALSE },
  };
  g_autofree char *long_local = g_strnfill (65, 'a');
  g_autofree char *too_long_local = g_strconcat (long_local, "@example.com", NULL);
  g_autofree char *long_domain = g_strnfill (250, 'd');
  g_autofree char *too_long = g_strconcat ("a@", long_domain, ".fr", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case: %s", cases[i].address);
      g_assert_cmpint (relance_address_is_valid (cases[i].address), ==, cases[i].valid);
    }
  g_assert_false (relance_address_is_valid (NULL));
  g_assert_false (relance_address_is_valid (too_long_local));
  g_assert_false (relance_address_is_valid (too_long));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mail/account/round-trip", test_round_trip);
  g_test_add_func ("/mail/account/load-hand-edited", test_load_hand_edited);
  g_test_add_func ("/mail/account/validate", test_validate);
  g_test_add_func ("/mail/account/parse", test_parse);
  g_test_add_func ("/mail/account/is-valid", test_is_valid);
  return g_test_run ();
}
