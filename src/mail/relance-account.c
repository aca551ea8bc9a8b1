/* relance-account.c: the owner's mail account, kept in the settings table as "account.*",
 * its validation, and the address syntax the whole mail layer relies on. The password is
 * never here: it lives in the keyring (relance-credentials.c). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <string.h>
#include <unistd.h>

#include "relance-account.h"
#include "relance-mail-error.h"
#include "relance-message.h"

/* GMime 3.2 declares no autoptr cleanups for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddress, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)

#define DEFAULT_TIMEOUT 60
#define MAX_TIMEOUT     600

void
relance_account_free (RelanceAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->host);
  g_free (account->security);
  g_free (account->user);
  g_free (account->from_name);
  g_free (account->from_address);
  g_free (account->reply_to);
  g_free (account->ca_file);
  g_free (account->auth);
  g_free (account->oauth_client_id);
  g_free (account);
}

static gboolean
has_controls (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

gboolean
relance_address_is_valid (const char *address)
{
  const char *at;
  const char *domain;
  gsize len;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  len = strlen (address);
  if (len == 0 || len > 254)
    return FALSE;

  /* Characters that are legal in quoted local parts but that no real mailbox of a client
   * uses; refusing them keeps every address safe to put in a header or an SMTP command. */
  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || strchr ("\"'<>()[]\\,;:", c) != NULL)
        return FALSE;
    }

  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (at - address > 64)
    return FALSE;

  domain = at + 1;
  if (g_ascii_strcasecmp (domain, "localhost") == 0)
    return TRUE;
  if (strchr (domain, '.') == NULL || domain[0] == '.' || domain[strlen (domain) - 1] == '.'
      || strstr (domain, "..") != NULL || domain[0] == '-')
    return FALSE;
  return TRUE;
}

gboolean
relance_address_parse (const char  *text,
                       char       **out_name,
                       char       **out_address,
                       GError     **error)
{
  g_autoptr(InternetAddressList) list = NULL;
  InternetAddress *ia;
  const char *name;
  const char *addr;

  if (out_name != NULL)
    *out_name = NULL;
  if (out_address != NULL)
    *out_address = NULL;

  if (is_blank (text))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The email address is empty."));
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL) || has_controls (text))
    {
      /* Never echo the text: it may carry a header injection attempt. */
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The email address contains a line break or another control "
                             "character: write it on one line."));
      return FALSE;
    }

  /* GMime forgives a missing '>'; a typo like that should be seen, not guessed. */
  {
    g_autofree char *trimmed = g_strstrip (g_strdup (text));

    if (strchr (trimmed, '<') != NULL ? !g_str_has_suffix (trimmed, ">")
                                      : strchr (trimmed, '>') != NULL)
      goto invalid;
  }

  relance_message_init ();
  list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) != 1
      || !INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (list, 0)))
    goto invalid;

  ia = internet_address_list_get_address (list, 0);
  addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
  if (!relance_address_is_valid (addr))
    goto invalid;
  name = internet_address_get_name (ia);
  if (name != NULL && has_controls (name))
    goto invalid;

  if (out_name != NULL && name != NULL && *name != '\0')
    *out_name = g_strstrip (g_strdup (name));
  if (out_address != NULL)
    *out_address = g_strdup (addr);
  return TRUE;

invalid:
  g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
               /* Translators: %s is what the user typed. */
               _("“%s” is not a valid email address: write it as “name@example.com” or "
                 "“Name <name@example.com>”."), text);
  return FALSE;
}

/* localhost, 127.0.0.0/8 and ::1 (bracketed or not): the only hosts a plain connection may
 * go to, since nothing leaves the machine. */
static gboolean
host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  gsize len = strlen (host);

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;
  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);
  inet = g_inet_address_new_from_string (bare);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

static gboolean
host_is_valid (const char *host)
{
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || !g_utf8_validate (host, -1, NULL))
    return FALSE;
  len = strlen (host);
  if (len == 0 || len > 253)
    return FALSE;
  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    {
      bare = g_strndup (host + 1, len - 2);
      return g_hostname_is_ip_address (bare) && strchr (bare, ':') != NULL;
    }
  if (g_hostname_is_ip_address (host))
    return TRUE;
  /* The host goes into a URL: nothing that could change its meaning. */
  for (const char *p = host; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || strchr ("/?#@:[]\\%\"'<>,;", c) != NULL)
        return FALSE;
    }
  return host[0] != '.' && host[0] != '-';
}

static gboolean
config_error (GError     **error,
              const char  *message)
{
  g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG, message);
  return FALSE;
}

gboolean
relance_account_validate (const RelanceAccount  *account,
                          GError               **error)
{
  g_return_val_if_fail (account != NULL, FALSE);

  if (account->host == NULL || *account->host == '\0')
    return config_error (error, _("The mail server’s host name is missing."));
  if (!host_is_valid (account->host))
    return config_error (error, _("The mail server’s host name must be a single word such as "
                                  "“smtp.example.com”, without spaces or other signs."));
  if (account->port < 1 || account->port > 65535)
    return config_error (error, _("The mail server’s port must be a number from 1 to 65535 "
                                  "(usually 587, or 465 for TLS)."));
  if (account->security == NULL
      || (g_strcmp0 (account->security, "starttls") != 0
          && g_strcmp0 (account->security, "tls") != 0
          && g_strcmp0 (account->security, "none") != 0))
    return config_error (error, _("The connection security must be “starttls”, “tls” or "
                                  "“none”."));
  if (g_strcmp0 (account->security, "none") == 0 && !host_is_loopback (account->host))
    return config_error (error, _("An unencrypted connection is only allowed to this computer "
                                  "(localhost): choose “starttls” or “tls” for a mail "
                                  "server on the network."));
  if (account->user == NULL || *account->user == '\0')
    return config_error (error, _("The user name for the mail server is missing."));
  if (has_controls (account->user) || !g_utf8_validate (account->user, -1, NULL))
    return config_error (error, _("The user name for the mail server contains a line break "
                                  "or another control character."));
  if (account->from_address == NULL || !relance_address_is_valid (account->from_address))
    return config_error (error, _("The sender address (From) is missing or not a valid email "
                                  "address."));
  if (account->from_name != NULL
      && (has_controls (account->from_name) || !g_utf8_validate (account->from_name, -1, NULL)))
    return config_error (error, _("The sender name contains a line break or another control "
                                  "character."));
  if (account->reply_to != NULL && *account->reply_to != '\0'
      && !relance_address_is_valid (account->reply_to))
    return config_error (error, _("The reply address (Reply-To) is not a valid email "
                                  "address."));
  if (account->ca_file != NULL && *account->ca_file != '\0'
      && (!g_file_test (account->ca_file, G_FILE_TEST_IS_REGULAR)
          || g_access (account->ca_file, R_OK) != 0))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   /* Translators: %s is a file path. */
                   _("The certificate authority file “%s” cannot be read."), account->ca_file);
      return FALSE;
    }
  if (account->timeout < 1 || account->timeout > MAX_TIMEOUT)
    return config_error (error, _("The time limit for the mail server must be from 1 to 600 "
                                  "seconds."));
  if (account->auth != NULL && g_strcmp0 (account->auth, "password") != 0
      && g_strcmp0 (account->auth, "oauth-microsoft") != 0
      && g_strcmp0 (account->auth, "oauth-google") != 0)
    return config_error (error, _("The sign-in method must be “password”, “oauth-microsoft” "
                                  "or “oauth-google”."));
  if (account->oauth_client_id != NULL
      && (has_controls (account->oauth_client_id) || strchr (account->oauth_client_id, ' ')))
    return config_error (error, _("The OAuth client id must be one word without spaces."));
  return TRUE;
}

static int
default_port (const char *security)
{
  if (g_strcmp0 (security, "tls") == 0)
    return 465;
  if (g_strcmp0 (security, "none") == 0)
    return 25;
  return 587;
}

/* A number setting; -1 when it is not a number so that validation names the problem. */
static int
parse_int_setting (const char *value,
                   int         fallback)
{
  gint64 n;

  if (value == NULL || *value == '\0')
    return fallback;
  if (!g_ascii_string_to_signed (value, 10, G_MININT, G_MAXINT, &n, NULL))
    return -1;
  return (int) n;
}

static char *
empty_to_null (char *value)
{
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

RelanceAccount *
relance_account_load (RelanceStore  *store,
                      GError       **error)
{
  g_autoptr(RelanceAccount) account = g_new0 (RelanceAccount, 1);
  g_autofree char *from = NULL;
  g_autofree char *port = NULL;
  g_autofree char *bcc_self = NULL;
  g_autofree char *timeout = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  account->host = empty_to_null (relance_store_get_setting (store, "account.host"));
  if (account->host == NULL)
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("No mail account is set up: give Relance your mail server, user "
                             "name and sender address first."));
      return NULL;
    }
  account->security = empty_to_null (relance_store_get_setting (store, "account.security"));
  if (account->security == NULL)
    account->security = g_strdup ("starttls");
  port = relance_store_get_setting (store, "account.port");
  account->port = parse_int_setting (port, default_port (account->security));
  account->user = empty_to_null (relance_store_get_setting (store, "account.user"));
  account->reply_to = empty_to_null (relance_store_get_setting (store, "account.reply-to"));
  account->ca_file = empty_to_null (relance_store_get_setting (store, "account.ca-file"));
  bcc_self = relance_store_get_setting (store, "account.bcc-self");
  account->bcc_self = g_strcmp0 (bcc_self, "true") == 0;
  timeout = relance_store_get_setting (store, "account.timeout");
  account->timeout = parse_int_setting (timeout, DEFAULT_TIMEOUT);
  account->auth = empty_to_null (relance_store_get_setting (store, "account.auth"));
  account->oauth_client_id = empty_to_null (relance_store_get_setting (store,
                                                                       "account.oauth-client-id"));

  from = empty_to_null (relance_store_get_setting (store, "account.from"));
  if (from != NULL
      && !relance_address_parse (from, &account->from_name, &account->from_address,
                                 &local_error))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   /* Translators: %s explains why the address is refused. */
                   _("The sender address of the mail account is invalid. %s"),
                   local_error->message);
      return NULL;
    }

  /* Settings can be edited by hand (relance config): never hand on an account that
   * save() would have refused. */
  if (!relance_account_validate (account, error))
    return NULL;
  return g_steal_pointer (&account);
}

/* "Name <address>", quoted and escaped as needed so that parsing it back gives the same
 * parts (a name with a comma or quotes stays one mailbox). Not RFC 2047 encoded: this is
 * for the settings table, the message builder encodes headers itself. */
static char *
format_from (const RelanceAccount *account)
{
  g_autoptr(InternetAddress) ia = NULL;

  if (account->from_name == NULL || *account->from_name == '\0')
    return g_strdup (account->from_address);
  relance_message_init ();
  ia = internet_address_mailbox_new (account->from_name, account->from_address);
  return internet_address_to_string (ia, NULL, FALSE);
}

gboolean
relance_account_save (RelanceStore          *store,
                      const RelanceAccount  *account,
                      GError               **error)
{
  g_autofree char *from = NULL;
  g_autofree char *port = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *check_name = NULL;
  g_autofree char *check_address = NULL;
  const char *reply_to;
  const char *ca_file;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  if (!relance_account_validate (account, error))
    return FALSE;

  from = format_from (account);
  /* The stored form must load back to the same sender. */
  if (!relance_address_parse (from, &check_name, &check_address, NULL)
      || g_strcmp0 (check_address, account->from_address) != 0)
    return config_error (error, _("The sender name cannot be stored with this address: "
                                  "remove the unusual signs from the name."));

  port = g_strdup_printf ("%d", account->port);
  timeout = g_strdup_printf ("%d", account->timeout);
  reply_to = account->reply_to != NULL && *account->reply_to != '\0' ? account->reply_to : NULL;
  ca_file = account->ca_file != NULL && *account->ca_file != '\0' ? account->ca_file : NULL;

  if (!relance_store_begin (store, error))
    return FALSE;
  if (!relance_store_set_setting (store, "account.host", account->host, error)
      || !relance_store_set_setting (store, "account.port", port, error)
      || !relance_store_set_setting (store, "account.security", account->security, error)
      || !relance_store_set_setting (store, "account.user", account->user, error)
      || !relance_store_set_setting (store, "account.from", from, error)
      || !relance_store_set_setting (store, "account.reply-to", reply_to, error)
      || !relance_store_set_setting (store, "account.bcc-self",
                                     account->bcc_self ? "true" : "false", error)
      || !relance_store_set_setting (store, "account.ca-file", ca_file, error)
      || !relance_store_set_setting (store, "account.timeout", timeout, error)
      || !relance_store_set_setting (store, "account.auth", account->auth, error)
      || !relance_store_set_setting (store, "account.oauth-client-id",
                                     account->oauth_client_id, error)
      || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
