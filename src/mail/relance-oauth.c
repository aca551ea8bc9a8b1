/* relance-oauth.c: OAuth 2.0 for Microsoft 365 and Gmail SMTP: the providers and Relance's
 * client there, the refresh token in the keyring (its own schema, so a password lookup
 * can never return it), access tokens in memory only, refreshed when they have less than
 * five minutes left. The token endpoints are in relance-oauth-http.c, the sign-in (PKCE
 * through the browser and a loopback server, or the device code) in
 * relance-oauth-sign-in.c.
 *
 * All HTTP is libsoup 3 async on the thread-default main context; the blocking
 * relance_oauth_get_smtp_secret() runs it on a private context of the calling thread.
 * Tokens are never logged. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relance-credentials.h"
#include "relance-credentials-private.h"
#include "relance-mail-error.h"
#include "relance-oauth-private.h"

#define REFRESH_MARGIN     (5 * 60)      /* refresh when fewer seconds than this are left */
#define REFRESH_KIND       "oauth-refresh"

static const OAuthProvider providers[] = {
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

const OAuthProvider *
relance_oauth_provider_get (RelanceOAuthProvider provider)
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
  const OAuthProvider *p = relance_oauth_provider_get (provider);

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
char *
relance_oauth_endpoint (const char  *url,
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

const char *
relance_oauth_client_id_for (const RelanceAccount  *account,
                             const OAuthProvider   *p,
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
const char *
relance_oauth_client_secret_for (const RelanceAccount *account,
                                 const OAuthProvider  *p)
{
  if (account->oauth_client_id != NULL && *account->oauth_client_id != '\0')
    return NULL;
  return *p->client_secret != '\0' ? p->client_secret : NULL;
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

  return relance_credentials_keyring (RELANCE_KEYRING_STORE, oauth_schema (), label, token,
                                      NULL, cancellable, error,
                                      "host", account->host, "user", account->user,
                                      "kind", REFRESH_KIND, NULL);
}

void
relance_oauth_keep_refresh_token_async (const RelanceAccount  *account,
                                        const char            *token,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  g_autofree char *label = refresh_label (account->host, account->user);

  secret_password_store (oauth_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, callback, user_data,
                         "host", account->host, "user", account->user,
                         "kind", REFRESH_KIND, NULL);
}

gboolean
relance_oauth_keep_refresh_token_finish (GAsyncResult  *result,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  GError *secret_error = NULL;

  if (!secret_password_store_finish (result, &secret_error))
    {
      relance_credentials_propagate_error (secret_error, cancellable, error);
      return FALSE;
    }
  return TRUE;
}

static char *
lookup_refresh_token_sync (const RelanceAccount  *account,
                           GCancellable          *cancellable,
                           GError               **error)
{
  char *secret;

  if (!relance_credentials_keyring (RELANCE_KEYRING_LOOKUP, oauth_schema (), NULL, NULL,
                                    &secret, cancellable, error,
                                    "host", account->host, "user", account->user,
                                    "kind", REFRESH_KIND, NULL))
    return NULL;
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
    }
  return secret;
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

void
relance_oauth_cache_put (const RelanceAccount *account,
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

/* ---- refresh ------------------------------------------------------------------------ */

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelanceOAuthProvider provider = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(OAuthReply) reply = NULL;
  GError *error = NULL;
  RelanceOAuthTokens *tokens;

  if ((reply = relance_oauth_post_form_finish (result, &error)) == NULL
      || (tokens = relance_oauth_tokens_from_reply (provider, OAUTH_PURPOSE_REFRESH, reply,
                                                    &error)) == NULL)
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
  const OAuthProvider *p =
    relance_oauth_provider_get (relance_oauth_provider_for_account (account));
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
  if ((client_id = relance_oauth_client_id_for (account, p, &error)) == NULL
      || (token_url = relance_oauth_endpoint (p->token_url, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  form = relance_oauth_form_encode ("grant_type", "refresh_token",
                                    "refresh_token", refresh_token,
                                    "client_id", client_id,
                                    "client_secret",
                                    relance_oauth_client_secret_for (account, p),
                                    "scope",
                                    p->provider == RELANCE_OAUTH_MICROSOFT ? p->scope : NULL,
                                    NULL);
  relance_oauth_post_form_async (p->provider, OAUTH_PURPOSE_REFRESH, token_url,
                                 g_steal_pointer (&form), cancellable, refreshed_cb,
                                 g_object_ref (task));
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
  relance_oauth_cache_put (account, tokens->access_token, tokens->expires_in);
  return g_strdup (tokens->access_token);
}

gboolean
relance_oauth_sign_out (const RelanceAccount  *account,
                        GCancellable          *cancellable,
                        GError               **error)
{
  RelanceAccount copy = *account;

  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      copy.auth = (char *) providers[i].auth;
      relance_oauth_forget_access_token (&copy);
    }
  return relance_credentials_keyring (RELANCE_KEYRING_CLEAR, oauth_schema (), NULL, NULL, NULL,
                                      cancellable, error,
                                      "host", account->host, "user", account->user,
                                      "kind", REFRESH_KIND, NULL);
}
