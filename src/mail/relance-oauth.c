/* relance-oauth.c: OAuth 2.0 for Microsoft 365 and Gmail SMTP. Sign-in runs the
 * authorization-code flow with PKCE (S256) through the system browser and a one-shot
 * loopback SoupServer, or the device-code flow; the refresh token goes to the keyring
 * (its own schema, so a password lookup can never return it); access tokens live in
 * memory only and are refreshed when they have less than five minutes left.
 *
 * All HTTP is libsoup 3 async on the thread-default main context; the blocking
 * relance_oauth_get_smtp_secret() runs it on a private context of the calling thread.
 * Tokens are never logged. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relance-credentials.h"
#include "relance-mail-error.h"
#include "relance-oauth.h"

#define HTTP_TIMEOUT       30            /* seconds for one request */
#define BROWSER_TIMEOUT    (10 * 60)     /* seconds to wait for the browser's redirect */
#define REFRESH_MARGIN     (5 * 60)      /* refresh when fewer seconds than this are left */
#define MAX_BODY_SIZE      (64 * 1024)
#define VERIFIER_LENGTH    64            /* RFC 7636: 43 to 128 characters */
#define DEVICE_GRANT_TYPE  "urn:ietf:params:oauth:grant-type:device_code"
#define REFRESH_KIND       "oauth-refresh"

typedef struct
{
  RelanceOAuthProvider  provider;
  const char           *auth;
  const char           *authorize_url;
  const char           *token_url;
  const char           *device_url;
  const char           *scope;
  const char           *client_id;      /* build option, may be "" */
  const char           *client_secret;  /* Google "desktop app" clients have one */
  gboolean              offline_params; /* Google: access_type=offline&prompt=consent */
} Provider;

static const Provider providers[] = {
  {
    RELANCE_OAUTH_MICROSOFT, "oauth-microsoft",
    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
    /* IMAP.AccessAsUser.All: the inbox is read with the same token (relance-inbox.c).
     * An account signed in before it was asked for is told to sign in again when the
     * refresh is refused, like any consent the server no longer honours. */
    "https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All "
    "offline_access",
    OAUTH_CLIENT_ID_MICROSOFT, "", FALSE,
  },
  {
    RELANCE_OAUTH_GOOGLE, "oauth-google",
    "https://accounts.google.com/o/oauth2/v2/auth",
    "https://oauth2.googleapis.com/token",
    "https://oauth2.googleapis.com/device/code",
    "https://mail.google.com/",
    OAUTH_CLIENT_ID_GOOGLE, OAUTH_CLIENT_SECRET_GOOGLE, TRUE,
  },
};

static const Provider *
provider_get (RelanceOAuthProvider provider)
{
  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    if (providers[i].provider == provider)
      return &providers[i];
  return NULL;
}

void
relance_oauth_tokens_free (RelanceOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;
  if (tokens->access_token != NULL)
    memset (tokens->access_token, 0, strlen (tokens->access_token));
  if (tokens->refresh_token != NULL)
    memset (tokens->refresh_token, 0, strlen (tokens->refresh_token));
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens);
}

RelanceOAuthProvider
relance_oauth_provider_for_account (const RelanceAccount *account)
{
  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_strcmp0 (account->auth, providers[i].auth) == 0)
      return providers[i].provider;
  return RELANCE_OAUTH_NONE;
}

RelanceOAuthProvider
relance_oauth_provider_from_name (const char *name)
{
  if (g_strcmp0 (name, "microsoft") == 0)
    return RELANCE_OAUTH_MICROSOFT;
  if (g_strcmp0 (name, "google") == 0)
    return RELANCE_OAUTH_GOOGLE;
  return RELANCE_OAUTH_NONE;
}

const char *
relance_oauth_provider_auth (RelanceOAuthProvider provider)
{
  const Provider *p = provider_get (provider);

  return p != NULL ? p->auth : "password";
}

const char *
relance_oauth_provider_title (RelanceOAuthProvider provider)
{
  switch (provider)
    {
    case RELANCE_OAUTH_MICROSOFT:
      return "Microsoft 365";
    case RELANCE_OAUTH_GOOGLE:
      return "Gmail";
    case RELANCE_OAUTH_NONE:
    default:
      return "";
    }
}

/* ---- endpoints and client ----------------------------------------------------------- */

/* RELANCE_OAUTH_BASE_URL (tests only) replaces scheme, host and port of every endpoint;
 * plain http only to a loopback host, so no token ever crosses a network in the clear. */
static char *
endpoint (const char  *url,
          GError     **error)
{
  const char *base = g_getenv ("RELANCE_OAUTH_BASE_URL");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *scheme;
  const char *host;

  if (base == NULL || *base == '\0')
    return g_strdup (url);

  base_uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  scheme = base_uri != NULL ? g_uri_get_scheme (base_uri) : NULL;
  host = base_uri != NULL ? g_uri_get_host (base_uri) : NULL;
  if (host != NULL)
    inet = g_inet_address_new_from_string (host);
  if (scheme == NULL || host == NULL
      || !(g_str_equal (scheme, "https")
           || (g_str_equal (scheme, "http") && inet != NULL
               && g_inet_address_get_is_loopback (inet))))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("RELANCE_OAUTH_BASE_URL must be an https address, or an http "
                             "address on this computer."));
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, g_uri_get_port (base_uri),
                     g_uri_get_path (uri), g_uri_get_query (uri), NULL);
}

static const char *
client_id_for (const RelanceAccount  *account,
               const Provider        *p,
               GError               **error)
{
  if (account->oauth_client_id != NULL && *account->oauth_client_id != '\0')
    return account->oauth_client_id;
  if (*p->client_id != '\0')
    return p->client_id;
  g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
               /* Translators: %s is "Microsoft 365" or "Gmail"; keep --client-id as is. */
               _("This copy of Relance has no OAuth client id for %s: register an application "
                 "with the provider and give its client id with “--client-id”."),
               relance_oauth_provider_title (p->provider));
  return NULL;
}

/* The client secret goes only with the build's own Google client id: a client id set by
 * the user comes without one Relance knows. */
static const char *
client_secret_for (const RelanceAccount *account,
                   const Provider       *p)
{
  if (account->oauth_client_id != NULL && *account->oauth_client_id != '\0')
    return NULL;
  return *p->client_secret != '\0' ? p->client_secret : NULL;
}

/* ---- PKCE and random strings -------------------------------------------------------- */

/* RFC 7636 "unreserved" characters, so the verifier needs no encoding anywhere. */
static char *
random_string (gsize length)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  char *s = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    s[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  s[length] = '\0';
  return s;
}

static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *s = g_base64_encode (data, length);
  gsize n = strlen (s);

  while (n > 0 && s[n - 1] == '=')
    s[--n] = '\0';
  for (char *p = s; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  return s;
}

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (sha, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sha, digest, &length);
  return base64url (digest, length);
}

/* ---- HTTP --------------------------------------------------------------------------- */

static SoupSession *
new_session (void)
{
  /* libsoup 3 refuses an untrusted certificate unless told otherwise: it is never told. */
  return g_object_new (SOUP_TYPE_SESSION,
                       "timeout", HTTP_TIMEOUT,
                       "idle-timeout", HTTP_TIMEOUT,
                       "user-agent", "Relance/" PACKAGE_VERSION,
                       NULL);
}

/* "a=1&b=2" from NULL-terminated name/value pairs; a NULL value leaves its name out. */
static char *
form_encode (const char *first_name,
             ...)
{
  GString *form = g_string_new (NULL);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", name, escaped);
    }
  va_end (args);
  return g_string_free (form, FALSE);
}

typedef enum
{
  PURPOSE_ISSUE,    /* authorization code → tokens */
  PURPOSE_REFRESH,
  PURPOSE_DEVICE,   /* the device authorization request */
  PURPOSE_POLL,     /* the device code → tokens */
} Purpose;

typedef struct
{
  SoupSession          *session;
  SoupMessage          *message;
  RelanceOAuthProvider  provider;
  Purpose               purpose;
} PostData;

static void
post_data_free (PostData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data);
}

/* The answer of an OAuth endpoint: a JSON object and its HTTP status. */
typedef struct
{
  guint       status;
  JsonObject *object;   /* NULL when the body is not a JSON object */
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->object, json_object_unref);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
post_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *data = g_task_get_task_data (task);
  const char *title = relance_oauth_provider_title (data->provider);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Reply *reply;
  gsize size = 0;
  const char *text;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CERTIFICATE,
                                 /* Translators: %s is "Microsoft 365" or "Gmail". */
                                 _("The certificate of the %s sign-in service is not "
                                   "trusted: nothing was sent to it."), title);
      else
        g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE,
                                 /* Translators: the first %s is "Microsoft 365" or "Gmail",
                                  * the second the network error. */
                                 _("Cannot reach the %s sign-in service (%s): check the "
                                   "connection and try again."), title, error->message);
      return;
    }

  reply = g_new0 (Reply, 1);
  reply->status = soup_message_get_status (data->message);
  text = g_bytes_get_data (body, &size);
  if (size > 0 && size <= MAX_BODY_SIZE && g_utf8_validate (text, size, NULL)
      && json_parser_load_from_data (parser, text, size, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply->object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_task_return_pointer (task, reply, (GDestroyNotify) reply_free);
}

static void
post_form_async (RelanceOAuthProvider  provider,
                 Purpose               purpose,
                 const char           *url,
                 char                 *form,         /* taken */
                 GCancellable         *cancellable,
                 GAsyncReadyCallback   callback,
                 gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PostData *data = g_new0 (PostData, 1);

  g_task_set_source_tag (task, post_form_async);
  data->provider = provider;
  data->purpose = purpose;
  data->session = new_session ();
  data->message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url, form);
  g_task_set_task_data (task, data, (GDestroyNotify) post_data_free);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                               _("The address of the sign-in service is not valid."));
      g_object_unref (task);
      return;
    }
  soup_message_headers_append (soup_message_get_request_headers (data->message), "Accept",
                               "application/json");
  soup_session_send_and_read_async (data->session, data->message, G_PRIORITY_DEFAULT,
                                    cancellable, post_done, task);
}

static Reply *
post_form_finish (GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A number, also as a string (some services send "3600"); -1 when absent or invalid. */
static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  gint64 n;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING
      && g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT32, &n, NULL))
    return n;
  return -1;
}

/* The error code of a refusal ("invalid_grant"), checked to be a plain word before it goes
 * into a message. */
static const char *
reply_error_code (Reply *reply)
{
  const char *code = member_string (reply->object, "error");

  if (code == NULL || *code == '\0' || strlen (code) > 64)
    return NULL;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return NULL;
  return code;
}

/* Every answer that is not a success, in words a user can act on. */
static void
set_reply_error (RelanceOAuthProvider   provider,
                 Purpose                purpose,
                 Reply                 *reply,
                 GError               **error)
{
  const char *title = relance_oauth_provider_title (provider);
  const char *code = reply_error_code (reply);
  const char *name = provider == RELANCE_OAUTH_GOOGLE ? "google" : "microsoft";

  if (reply->status >= 500 || reply->status == 429)
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_TEMPORARY,
                   /* Translators: %s is "Microsoft 365" or "Gmail", %u an HTTP status. */
                   _("The %s sign-in service is not available at the moment (HTTP %u): "
                     "Relance will try again later."), title, reply->status);
      return;
    }
  if (code == NULL)
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_TEMPORARY,
                   /* Translators: %s is "Microsoft 365" or "Gmail", %u an HTTP status. */
                   _("The %s sign-in service gave an answer Relance does not understand "
                     "(HTTP %u): nothing was changed; try again later."), title, reply->status);
      return;
    }
  if (g_str_equal (code, "invalid_client") || g_str_equal (code, "unauthorized_client"))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   /* Translators: %s is "Microsoft 365" or "Gmail", then an error code. */
                   _("%s does not accept Relance’s OAuth client id (%s): check the client id "
                     "given with “--client-id”."), title, code);
      return;
    }
  if (purpose == PURPOSE_REFRESH
      && (g_str_equal (code, "invalid_grant") || g_str_equal (code, "interaction_required")
          || g_str_equal (code, "consent_required")))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_SIGN_IN_AGAIN,
                   /* Translators: the first %s is "Microsoft 365" or "Gmail", the second
                    * "microsoft" or "google" (a command argument, keep it). */
                   _("%s no longer accepts Relance’s sign-in for this account (it was revoked "
                     "or has expired): sending is paused until you sign in again with "
                     "“relance account oauth %s”."), title, name);
      return;
    }
  if (g_str_equal (code, "access_denied") || g_str_equal (code, "authorization_declined"))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                   /* Translators: %s is "Microsoft 365" or "Gmail". */
                   _("The sign-in to %s was refused: nothing was changed."), title);
      return;
    }
  if (g_str_equal (code, "expired_token"))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                           _("The code expired before the sign-in was completed: start "
                             "again."));
      return;
    }
  g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
               /* Translators: %s is "Microsoft 365" or "Gmail", then an error code. */
               _("%s refused the sign-in (%s): start it again."), title, code);
}

/* A token answer → tokens; a refusal or a malformed answer → error. */
static RelanceOAuthTokens *
tokens_from_reply (RelanceOAuthProvider   provider,
                   Purpose                purpose,
                   Reply                 *reply,
                   GError               **error)
{
  g_autoptr(RelanceOAuthTokens) tokens = NULL;
  const char *access = member_string (reply->object, "access_token");
  const char *refresh = member_string (reply->object, "refresh_token");
  const char *type = member_string (reply->object, "token_type");
  gint64 expires_in = member_int (reply->object, "expires_in");

  if (reply->status != 200)
    {
      set_reply_error (provider, purpose, reply, error);
      return NULL;
    }
  if (access == NULL || *access == '\0' || (type != NULL && g_ascii_strcasecmp (type, "Bearer"))
      || expires_in <= 0 || (refresh != NULL && *refresh == '\0'))
    {
      reply->status = 0;
      g_clear_pointer (&reply->object, json_object_unref);
      set_reply_error (provider, purpose, reply, error);
      return NULL;
    }
  tokens = g_new0 (RelanceOAuthTokens, 1);
  tokens->access_token = g_strdup (access);
  tokens->refresh_token = g_strdup (refresh);
  tokens->expires_in = expires_in;
  return g_steal_pointer (&tokens);
}

/* ---- keyring ------------------------------------------------------------------------ */

/* Not com.example.Relance.Account: libsecret matches items that have at least the
 * attributes asked for, so an item of the password schema with one more attribute would be
 * found by every password lookup. */
static const SecretSchema *
oauth_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Relance.OAuth", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* The same three situations as for the password (relance-credentials.c). */
static void
propagate_secret_error (GError        *secret_error,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) owned = secret_error;

  g_debug ("Keyring error: %s", owned->message);
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_propagate_error (error, g_steal_pointer (&owned));
  else if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)
           || g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           || g_error_matches (owned, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
    g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_KEYRING_LOCKED,
                         _("The keyring is locked: unlock it to let Relance send."));
  else
    g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_KEYRING,
                         _("No keyring is available in this session: sending is paused until "
                           "one is (GNOME Keyring or another Secret Service)."));
}

static char *
refresh_label (const char *host,
               const char *user)
{
  /* Translators: the name of the keyring item, as shown in Passwords and Keys; the first
   * %s is the user name, the second the mail server. */
  return g_strdup_printf (_("Relance sign-in for %s@%s"), user, host);
}

static gboolean
store_refresh_token_sync (const RelanceAccount  *account,
                          const char            *token,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autofree char *label = refresh_label (account->host, account->user);
  GError *secret_error = NULL;

  if (!secret_password_store_sync (oauth_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                   cancellable, &secret_error,
                                   "host", account->host, "user", account->user,
                                   "kind", REFRESH_KIND, NULL))
    {
      propagate_secret_error (secret_error, cancellable, error);
      return FALSE;
    }
  return TRUE;
}

static char *
lookup_refresh_token_sync (const RelanceAccount  *account,
                           GCancellable          *cancellable,
                           GError               **error)
{
  GError *secret_error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_sync (oauth_schema (), cancellable, &secret_error,
                                        "host", account->host, "user", account->user,
                                        "kind", REFRESH_KIND, NULL);
  if (secret_error != NULL)
    {
      propagate_secret_error (secret_error, cancellable, error);
      return NULL;
    }
  if (secret == NULL)
    {
      RelanceOAuthProvider provider = relance_oauth_provider_for_account (account);

      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_SIGN_IN_AGAIN,
                   /* Translators: the first %s is "Microsoft 365" or "Gmail", the second
                    * "microsoft" or "google" (a command argument, keep it). */
                   _("Relance is not signed in to %s for this account: sending is paused "
                     "until you sign in with “relance account oauth %s”."),
                   relance_oauth_provider_title (provider),
                   provider == RELANCE_OAUTH_GOOGLE ? "google" : "microsoft");
      return NULL;
    }
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* ---- access tokens in memory -------------------------------------------------------- */

/* Kept in memory only: the background scheduler reuses one for its whole life, a command
 * line run pays one refresh. In the keyring it would be one more secret at rest, for an
 * hour's gain. Monotonic time, since only this process compares it. */
typedef struct
{
  char   *token;
  gint64  expires;   /* g_get_monotonic_time() */
} CachedToken;

static GMutex cache_lock;
static GHashTable *cache;

static void
cached_token_free (CachedToken *cached)
{
  memset (cached->token, 0, strlen (cached->token));
  g_free (cached->token);
  g_free (cached);
}

static char *
cache_key (const RelanceAccount *account)
{
  return g_strdup_printf ("%s\n%s\n%s\n%s", account->auth != NULL ? account->auth : "",
                          account->host, account->user,
                          account->oauth_client_id != NULL ? account->oauth_client_id : "");
}

static void
cache_put (const RelanceAccount *account,
           const char           *token,
           gint64                expires_in)
{
  CachedToken *cached = g_new0 (CachedToken, 1);

  cached->token = g_strdup (token);
  cached->expires = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) cached_token_free);
  g_hash_table_replace (cache, cache_key (account), cached);
  g_mutex_unlock (&cache_lock);
}

static char *
cache_get (const RelanceAccount *account)
{
  g_autofree char *key = cache_key (account);
  CachedToken *cached;
  char *token = NULL;

  g_mutex_lock (&cache_lock);
  cached = cache != NULL ? g_hash_table_lookup (cache, key) : NULL;
  if (cached != NULL
      && cached->expires - g_get_monotonic_time () > (gint64) REFRESH_MARGIN * G_USEC_PER_SEC)
    token = g_strdup (cached->token);
  g_mutex_unlock (&cache_lock);
  return token;
}

void
relance_oauth_forget_access_token (const RelanceAccount *account)
{
  g_autofree char *key = cache_key (account);

  g_mutex_lock (&cache_lock);
  if (cache != NULL)
    g_hash_table_remove (cache, key);
  g_mutex_unlock (&cache_lock);
}

/* ---- sign-in ------------------------------------------------------------------------ */

typedef struct
{
  RelanceAccount         *account;   /* a copy: host, user, auth, client id */
  const Provider         *provider;
  RelanceOAuthFlow        flow;
  RelanceOAuthPromptFunc  prompt;
  gpointer                prompt_data;
  char                   *client_id;
  const char             *client_secret;
  char                   *token_url;

  /* browser */
  SoupServer             *server;
  char                   *verifier;
  char                   *state;
  char                   *redirect_uri;
  gboolean                answered;  /* the one redirect was received */

  /* device */
  char                   *device_code;
  gint64                  interval;  /* seconds */
  gint64                  deadline;  /* monotonic */

  /* The server's handler and the sources hold no reference: this one keeps the task
   * alive until it returns. */
  GTask                  *self_ref;
  gboolean                returned;
  guint                   timeout_id;
  guint                   poll_id;
  GSource                *cancel_source;
  GError                 *deferred_error;
  RelanceOAuthTokens     *tokens;
} SignIn;

static void
sign_in_free (SignIn *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_source_unref (self->cancel_source);
    }
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_object_unref (self->server);
    }
  relance_account_free (self->account);
  g_free (self->client_id);
  g_free (self->token_url);
  if (self->verifier != NULL)
    memset (self->verifier, 0, strlen (self->verifier));
  g_free (self->verifier);
  g_free (self->state);
  g_free (self->redirect_uri);
  g_free (self->device_code);
  relance_oauth_tokens_free (self->tokens);
  g_clear_error (&self->deferred_error);
  g_free (self);
}

static gboolean
release_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Stops every source that points at the task, then drops the self reference from an idle
 * callback: the caller may be a handler of the task's own server. */
static void
sign_in_stop (SignIn *self)
{
  self->returned = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  if (self->self_ref != NULL)
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, release_cb, g_steal_pointer (&self->self_ref),
                             g_object_unref);
      g_source_attach (idle, g_main_context_get_thread_default ());
      g_source_unref (idle);
    }
}

static void
sign_in_fail (GTask  *task,
              GError *error)
{
  SignIn *self = g_task_get_task_data (task);

  if (self->returned)
    {
      g_error_free (error);
      return;
    }
  sign_in_stop (self);
  g_task_return_error (task, error);
}

static void
sign_in_succeed (GTask *task)
{
  SignIn *self = g_task_get_task_data (task);

  if (self->returned)
    return;
  sign_in_stop (self);
  g_task_return_boolean (task, TRUE);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *self = g_task_get_task_data (task);
  GError *secret_error = NULL;

  if (!secret_password_store_finish (result, &secret_error))
    {
      GError *error = NULL;

      propagate_secret_error (secret_error, g_task_get_cancellable (task), &error);
      sign_in_fail (task, error);
      return;
    }
  self->account->auth = g_strdup (self->provider->auth);
  cache_put (self->account, self->tokens->access_token, self->tokens->expires_in);
  sign_in_succeed (task);
}

/* Takes a ref on @task. */
static void
sign_in_store (GTask              *task,
               RelanceOAuthTokens *tokens)
{
  SignIn *self = g_task_get_task_data (task);
  g_autofree char *label = NULL;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (tokens->refresh_token == NULL)
    {
      relance_oauth_tokens_free (tokens);
      sign_in_fail (task, g_error_new (RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                                       /* Translators: %s is "Microsoft 365" or "Gmail". */
                                       _("%s signed Relance in without the right to stay "
                                         "signed in (no refresh token): sign in again and "
                                         "accept every permission asked."),
                                       relance_oauth_provider_title (self->provider->provider)));
      return;
    }
  self->tokens = tokens;
  label = refresh_label (self->account->host, self->account->user);
  secret_password_store (oauth_schema (), SECRET_COLLECTION_DEFAULT, label,
                         tokens->refresh_token, g_task_get_cancellable (task), stored_cb,
                         g_object_ref (task),
                         "host", self->account->host, "user", self->account->user,
                         "kind", REFRESH_KIND, NULL);
}

static void
code_exchanged_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *self = g_task_get_task_data (task);
  g_autoptr(Reply) reply = NULL;
  GError *error = NULL;
  RelanceOAuthTokens *tokens;

  if ((reply = post_form_finish (result, &error)) == NULL
      || (tokens = tokens_from_reply (self->provider->provider, PURPOSE_ISSUE, reply,
                                      &error)) == NULL)
    {
      sign_in_fail (task, error);
      return;
    }
  sign_in_store (task, tokens);
}

static void
answer_browser (SoupServerMessage *msg,
                guint              status,
                const char        *title,
                const char        *text)
{
  g_autofree char *title_html = g_markup_escape_text (title, -1);
  g_autofree char *text_html = g_markup_escape_text (text, -1);
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>Relance</title><style>body{font-family:sans-serif;"
                          "max-width:36em;margin:4em auto;}</style></head>\n"
                          "<body><h1>%s</h1><p>%s</p></body></html>\n",
                          title_html, text_html);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
}

static void
page_sent_cb (SoupServerMessage *msg,
              gpointer           user_data)
{
  GTask *task = user_data;
  SignIn *self = g_task_get_task_data (task);

  if (self->deferred_error != NULL)
    sign_in_fail (task, g_steal_pointer (&self->deferred_error));
}

/* The loopback redirect. Only a request carrying our state ends the wait; anything else
 * (a stale tab, another program guessing the port) gets a 400 and changes nothing. */
static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTask *task = user_data;
  SignIn *self = g_task_get_task_data (task);
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *refusal = query != NULL ? g_hash_table_lookup (query, "error") : NULL;
  g_autofree char *form = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (self->answered || self->returned || state == NULL
      || !g_str_equal (state, self->state))
    {
      answer_browser (msg, SOUP_STATUS_BAD_REQUEST, _("Unknown sign-in"),
                      _("This page does not belong to the sign-in Relance is waiting for. "
                        "Close it and start the sign-in again from Relance."));
      return;
    }
  self->answered = TRUE;

  if (code == NULL || *code == '\0')
    {
      const char *title = relance_oauth_provider_title (self->provider->provider);

      answer_browser (msg, SOUP_STATUS_OK, _("Sign-in not completed"),
                      _("You can close this tab: Relance says what happened."));
      if (g_strcmp0 (refusal, "access_denied") == 0
          || g_strcmp0 (refusal, "consent_required") == 0)
        self->deferred_error = g_error_new (RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                                            _("The sign-in to %s was refused: nothing was "
                                              "changed."), title);
      else
        self->deferred_error = g_error_new (RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                                            _("%s refused the sign-in (%s): start it again."),
                                            title, "error");
      /* Once the page is sent: the caller may leave as soon as the task returns. */
      g_signal_connect (msg, "finished", G_CALLBACK (page_sent_cb), task);
      return;
    }

  answer_browser (msg, SOUP_STATUS_OK, _("Relance received your sign-in"),
                  _("You can close this tab and go back to Relance."));
  form = form_encode ("grant_type", "authorization_code",
                      "code", code,
                      "redirect_uri", self->redirect_uri,
                      "client_id", self->client_id,
                      "client_secret", self->client_secret,
                      "code_verifier", self->verifier,
                      NULL);
  post_form_async (self->provider->provider, PURPOSE_ISSUE, self->token_url,
                   g_steal_pointer (&form), g_task_get_cancellable (task), code_exchanged_cb,
                   g_object_ref (task));
}

static gboolean
browser_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SignIn *self = g_task_get_task_data (task);

  self->timeout_id = 0;
  sign_in_fail (task, g_error_new_literal (RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                                           _("The browser did not come back to Relance within "
                                             "ten minutes: start the sign-in again.")));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;

  sign_in_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The sign-in was cancelled.")));
  return G_SOURCE_REMOVE;
}

static gboolean
start_browser (GTask   *task,
               GError **error)
{
  SignIn *self = g_task_get_task_data (task);
  g_autofree char *authorize_url = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  if ((authorize_url = endpoint (self->provider->authorize_url, error)) == NULL)
    return FALSE;

  self->server = soup_server_new ("server-header", "Relance", NULL);
  soup_server_add_handler (self->server, "/callback", redirect_cb, task, NULL);
  /* 127.0.0.1 rather than localhost: both providers document the loopback IP literal, and
   * it cannot be resolved elsewhere by a hostile hosts file or DNS. */
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback",
                                        g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->verifier = random_string (VERIFIER_LENGTH);
  self->state = random_string (32);
  challenge = pkce_challenge (self->verifier);
  query = form_encode ("client_id", self->client_id,
                       "response_type", "code",
                       "redirect_uri", self->redirect_uri,
                       "scope", self->provider->scope,
                       "state", self->state,
                       "code_challenge", challenge,
                       "code_challenge_method", "S256",
                       "login_hint", self->account->user,
                       "access_type", self->provider->offline_params ? "offline" : NULL,
                       "prompt", self->provider->offline_params ? "consent" : NULL,
                       NULL);
  url = g_strdup_printf ("%s?%s", authorize_url, query);

  self->timeout_id = g_timeout_add_seconds (BROWSER_TIMEOUT, browser_timeout_cb, task);
  if (self->prompt != NULL)
    self->prompt (url, NULL, self->prompt_data);
  if (g_getenv ("RELANCE_OAUTH_NO_BROWSER") == NULL)
    {
      g_autoptr(GError) launch_error = NULL;

      /* The URL was shown: without a browser the user can still copy it. */
      if (!g_app_info_launch_default_for_uri (url, NULL, &launch_error))
        g_message ("No browser could be opened: %s", launch_error->message);
    }
  return TRUE;
}

static void poll_device (GTask *task);

static gboolean
poll_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SignIn *self = g_task_get_task_data (task);

  self->poll_id = 0;
  poll_device (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  SignIn *self = g_task_get_task_data (task);

  if (g_get_monotonic_time () + self->interval * G_USEC_PER_SEC > self->deadline)
    {
      sign_in_fail (task, g_error_new_literal (RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                                               _("The code expired before the sign-in was "
                                                 "completed: start again.")));
      return;
    }
  /* Not g_timeout_add_seconds(): it may fire early to batch wake-ups, and the service
   * answers slow_down to a poll that comes sooner than the interval. */
  self->poll_id = g_timeout_add ((guint) self->interval * 1000, poll_timeout_cb, task);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *self = g_task_get_task_data (task);
  g_autoptr(Reply) reply = NULL;
  GError *error = NULL;
  RelanceOAuthTokens *tokens;
  const char *code;

  if (self->returned)
    return;
  if ((reply = post_form_finish (result, &error)) == NULL)
    {
      sign_in_fail (task, error);
      return;
    }
  code = reply->status != 200 ? reply_error_code (reply) : NULL;
  if (g_strcmp0 (code, "authorization_pending") == 0)
    {
      schedule_poll (task);
      return;
    }
  if (g_strcmp0 (code, "slow_down") == 0)
    {
      /* RFC 8628 §3.5: five more seconds for this and every later request. */
      self->interval += 5;
      schedule_poll (task);
      return;
    }
  if ((tokens = tokens_from_reply (self->provider->provider, PURPOSE_POLL, reply,
                                   &error)) == NULL)
    {
      sign_in_fail (task, error);
      return;
    }
  sign_in_store (task, tokens);
}

static void
poll_device (GTask *task)
{
  SignIn *self = g_task_get_task_data (task);
  g_autofree char *form = NULL;

  form = form_encode ("grant_type", DEVICE_GRANT_TYPE,
                      "device_code", self->device_code,
                      "client_id", self->client_id,
                      "client_secret", self->client_secret,
                      NULL);
  post_form_async (self->provider->provider, PURPOSE_POLL, self->token_url,
                   g_steal_pointer (&form), g_task_get_cancellable (task), polled_cb,
                   g_object_ref (task));
}

static void
device_code_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *self = g_task_get_task_data (task);
  g_autoptr(Reply) reply = NULL;
  GError *error = NULL;
  const char *device_code;
  const char *user_code;
  const char *verification;
  gint64 expires_in;
  gint64 interval;

  if ((reply = post_form_finish (result, &error)) == NULL)
    {
      sign_in_fail (task, error);
      return;
    }
  device_code = member_string (reply->object, "device_code");
  user_code = member_string (reply->object, "user_code");
  /* Microsoft says verification_uri (RFC 8628), Google verification_url. */
  verification = member_string (reply->object, "verification_uri");
  if (verification == NULL)
    verification = member_string (reply->object, "verification_url");
  expires_in = member_int (reply->object, "expires_in");
  interval = member_int (reply->object, "interval");
  if (reply->status == 200
      && (device_code == NULL || user_code == NULL || verification == NULL || expires_in <= 0
          || !(g_str_has_prefix (verification, "https://")
               || g_str_has_prefix (verification, "http://"))))
    reply->status = 0; /* malformed */
  if (reply->status != 200)
    {
      set_reply_error (self->provider->provider, PURPOSE_DEVICE, reply, &error);
      sign_in_fail (task, error);
      return;
    }

  self->device_code = g_strdup (device_code);
  self->interval = interval > 0 ? MIN (interval, 60) : 5;  /* RFC 8628: 5 by default */
  self->deadline = g_get_monotonic_time () + MIN (expires_in, 3600) * G_USEC_PER_SEC;
  if (self->prompt != NULL)
    self->prompt (verification, user_code, self->prompt_data);
  schedule_poll (task);
}

void
relance_oauth_sign_in_async (const RelanceAccount    *account,
                             RelanceOAuthProvider     provider,
                             RelanceOAuthFlow         flow,
                             RelanceOAuthPromptFunc   prompt,
                             gpointer                 prompt_data,
                             GCancellable            *cancellable,
                             GAsyncReadyCallback      callback,
                             gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  const char *client_id;
  SignIn *self;

  g_return_if_fail (account != NULL);

  g_task_set_source_tag (task, relance_oauth_sign_in_async);
  self = g_new0 (SignIn, 1);
  g_task_set_task_data (task, self, (GDestroyNotify) sign_in_free);
  self->provider = provider_get (provider);
  self->flow = flow;
  self->prompt = prompt;
  self->prompt_data = prompt_data;
  self->account = g_new0 (RelanceAccount, 1);
  self->account->host = g_strdup (account->host);
  self->account->user = g_strdup (account->user);
  self->account->oauth_client_id = g_strdup (account->oauth_client_id);

  if (self->provider == NULL)
    {
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                               _("Relance can sign in to “microsoft” or “google” only."));
      return;
    }
  if (account->host == NULL || *account->host == '\0'
      || account->user == NULL || *account->user == '\0')
    {
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                               _("The mail account needs a server and a user name before "
                                 "Relance can sign in to it."));
      return;
    }
  if ((client_id = client_id_for (account, self->provider, &error)) == NULL
      || (self->token_url = endpoint (self->provider->token_url, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->client_id = g_strdup (client_id);
  self->client_secret = client_secret_for (account, self->provider);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, (GSourceFunc) cancelled_cb, task, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }

  self->self_ref = g_object_ref (task);
  if (flow == RELANCE_OAUTH_FLOW_DEVICE)
    {
      g_autofree char *device_url = endpoint (self->provider->device_url, &error);
      g_autofree char *form = NULL;

      if (device_url == NULL)
        {
          sign_in_fail (task, error);
          return;
        }
      form = form_encode ("client_id", self->client_id,
                          "scope", self->provider->scope,
                          "client_secret", self->client_secret,
                          NULL);
      post_form_async (provider, PURPOSE_DEVICE, device_url, g_steal_pointer (&form),
                       cancellable, device_code_cb, g_object_ref (task));
      return;
    }

  if (!start_browser (task, &error))
    sign_in_fail (task, error);
}

gboolean
relance_oauth_sign_in_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- refresh ------------------------------------------------------------------------ */

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelanceOAuthProvider provider = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(Reply) reply = NULL;
  GError *error = NULL;
  RelanceOAuthTokens *tokens;

  if ((reply = post_form_finish (result, &error)) == NULL
      || (tokens = tokens_from_reply (provider, PURPOSE_REFRESH, reply, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) relance_oauth_tokens_free);
}

void
relance_oauth_refresh_async (const RelanceAccount  *account,
                             const char            *refresh_token,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const Provider *p = provider_get (relance_oauth_provider_for_account (account));
  g_autofree char *token_url = NULL;
  g_autofree char *form = NULL;
  GError *error = NULL;
  const char *client_id;

  g_task_set_source_tag (task, relance_oauth_refresh_async);
  if (p == NULL)
    {
      g_task_return_new_error (task, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                               _("This mail account signs in with a password, not with "
                                 "Microsoft 365 or Gmail."));
      return;
    }
  g_task_set_task_data (task, GINT_TO_POINTER (p->provider), NULL);
  if ((client_id = client_id_for (account, p, &error)) == NULL
      || (token_url = endpoint (p->token_url, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  form = form_encode ("grant_type", "refresh_token",
                      "refresh_token", refresh_token,
                      "client_id", client_id,
                      "client_secret", client_secret_for (account, p),
                      "scope", p->provider == RELANCE_OAUTH_MICROSOFT ? p->scope : NULL,
                      NULL);
  post_form_async (p->provider, PURPOSE_REFRESH, token_url, g_steal_pointer (&form),
                   cancellable, refreshed_cb, g_object_ref (task));
}

RelanceOAuthTokens *
relance_oauth_refresh_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

char *
relance_oauth_get_smtp_secret (const RelanceAccount  *account,
                               GCancellable          *cancellable,
                               gboolean              *out_is_bearer,
                               GError               **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelanceOAuthTokens) tokens = NULL;
  g_autofree char *refresh_token = NULL;
  char *token;

  g_return_val_if_fail (account != NULL, NULL);

  if (out_is_bearer != NULL)
    *out_is_bearer = FALSE;
  if (relance_oauth_provider_for_account (account) == RELANCE_OAUTH_NONE)
    return relance_credentials_lookup (account, cancellable, error);
  if (out_is_bearer != NULL)
    *out_is_bearer = TRUE;

  if ((token = cache_get (account)) != NULL)
    return token;
  if ((refresh_token = lookup_refresh_token_sync (account, cancellable, error)) == NULL)
    return NULL;

  /* The HTTP exchange is async: run it on a context of this thread alone, so a worker
   * thread never touches the main loop's sources and the caller's loop is not re-entered. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  relance_oauth_refresh_async (account, refresh_token, cancellable, sync_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  tokens = relance_oauth_refresh_finish (result, error);
  g_clear_object (&result);
  /* Let libsoup finish closing the connection on this context before it goes away. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  memset (refresh_token, 0, strlen (refresh_token));
  if (tokens == NULL)
    return NULL;

  /* Microsoft rotates refresh tokens: the old one may soon stop working. A failure to keep
   * the new one is not fatal now, the old one is still in the keyring. */
  if (tokens->refresh_token != NULL)
    {
      g_autoptr(GError) store_error = NULL;

      if (!store_refresh_token_sync (account, tokens->refresh_token, cancellable, &store_error))
        g_warning ("The renewed sign-in could not be kept in the keyring: %s",
                   store_error->message);
    }
  cache_put (account, tokens->access_token, tokens->expires_in);
  return g_strdup (tokens->access_token);
}

gboolean
relance_oauth_sign_out (const RelanceAccount  *account,
                        GCancellable          *cancellable,
                        GError               **error)
{
  GError *secret_error = NULL;
  RelanceAccount copy = *account;

  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      copy.auth = (char *) providers[i].auth;
      relance_oauth_forget_access_token (&copy);
    }
  if (!secret_password_clear_sync (oauth_schema (), cancellable, &secret_error,
                                   "host", account->host, "user", account->user,
                                   "kind", REFRESH_KIND, NULL)
      && secret_error != NULL)
    {
      propagate_secret_error (secret_error, cancellable, error);
      return FALSE;
    }
  return TRUE;
}
