/* relance-oauth-sign-in.c: signing in to Microsoft 365 or Gmail. The authorization-code
 * flow with PKCE (S256) through the system browser and a one-shot loopback SoupServer, or
 * the device-code flow; the refresh token obtained goes to the keyring, the access token
 * to memory (relance-oauth.c). Tokens are never logged. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relance-mail-error.h"
#include "relance-oauth-private.h"

#define BROWSER_TIMEOUT    (10 * 60)     /* seconds to wait for the browser's redirect */
#define VERIFIER_LENGTH    64            /* RFC 7636: 43 to 128 characters */
#define DEVICE_GRANT_TYPE  "urn:ietf:params:oauth:grant-type:device_code"

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

/* ---- sign-in ------------------------------------------------------------------------ */

typedef struct
{
  RelanceAccount         *account;   /* a copy: host, user, auth, client id */
  const OAuthProvider    *provider;
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

/* Removes the timeout, the next poll and the cancellation watch: the sources that point at
 * the task. */
static void
remove_sources (SignIn *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
}

static void
sign_in_free (SignIn *self)
{
  remove_sources (self);
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
  remove_sources (self);
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
  GError *error = NULL;

  if (!relance_oauth_keep_refresh_token_finish (result, g_task_get_cancellable (task), &error))
    {
      sign_in_fail (task, error);
      return;
    }
  self->account->auth = g_strdup (self->provider->auth);
  relance_oauth_cache_put (self->account, self->tokens->access_token, self->tokens->expires_in);
  sign_in_succeed (task);
}

/* Takes a ref on @task. */
static void
sign_in_store (GTask              *task,
               RelanceOAuthTokens *tokens)
{
  SignIn *self = g_task_get_task_data (task);

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
  relance_oauth_keep_refresh_token_async (self->account, tokens->refresh_token,
                                          g_task_get_cancellable (task), stored_cb,
                                          g_object_ref (task));
}

/* The answer of a token endpoint, or NULL once the sign-in has failed for want of one. */
static OAuthReply *
finish_post (GTask        *task,
             GAsyncResult *result)
{
  GError *error = NULL;
  OAuthReply *reply = relance_oauth_post_form_finish (result, &error);

  if (reply == NULL)
    sign_in_fail (task, error);
  return reply;
}

/* The tokens of a token endpoint's answer are kept; a refusal ends the sign-in. */
static void
take_tokens (GTask        *task,
             OAuthPurpose  purpose,
             OAuthReply   *reply)
{
  SignIn *self = g_task_get_task_data (task);
  GError *error = NULL;
  RelanceOAuthTokens *tokens = relance_oauth_tokens_from_reply (self->provider->provider,
                                                                purpose, reply, &error);

  if (tokens == NULL)
    sign_in_fail (task, error);
  else
    sign_in_store (task, tokens);
}

static void
code_exchanged_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(OAuthReply) reply = finish_post (task, result);

  if (reply != NULL)
    take_tokens (task, OAUTH_PURPOSE_ISSUE, reply);
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
  form = relance_oauth_form_encode ("grant_type", "authorization_code",
                                    "code", code,
                                    "redirect_uri", self->redirect_uri,
                                    "client_id", self->client_id,
                                    "client_secret", self->client_secret,
                                    "code_verifier", self->verifier,
                                    NULL);
  relance_oauth_post_form_async (self->provider->provider, OAUTH_PURPOSE_ISSUE,
                                 self->token_url, g_steal_pointer (&form),
                                 g_task_get_cancellable (task), code_exchanged_cb,
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
  gboolean offline;
  GSList *uris;

  if ((authorize_url = relance_oauth_endpoint (self->provider->authorize_url, error)) == NULL)
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
  offline = self->provider->offline_params;
  query = relance_oauth_form_encode ("client_id", self->client_id,
                                     "response_type", "code",
                                     "redirect_uri", self->redirect_uri,
                                     "scope", self->provider->scope,
                                     "state", self->state,
                                     "code_challenge", challenge,
                                     "code_challenge_method", "S256",
                                     "login_hint", self->account->user,
                                     "access_type", offline ? "offline" : NULL,
                                     "prompt", offline ? "consent" : NULL,
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
  g_autoptr(OAuthReply) reply = NULL;
  const char *code;

  if (self->returned || (reply = finish_post (task, result)) == NULL)
    return;
  code = reply->status != 200 ? relance_oauth_reply_error_code (reply) : NULL;
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
  take_tokens (task, OAUTH_PURPOSE_POLL, reply);
}

static void
poll_device (GTask *task)
{
  SignIn *self = g_task_get_task_data (task);
  g_autofree char *form = NULL;

  form = relance_oauth_form_encode ("grant_type", DEVICE_GRANT_TYPE,
                                    "device_code", self->device_code,
                                    "client_id", self->client_id,
                                    "client_secret", self->client_secret,
                                    NULL);
  relance_oauth_post_form_async (self->provider->provider, OAUTH_PURPOSE_POLL,
                                 self->token_url, g_steal_pointer (&form),
                                 g_task_get_cancellable (task), polled_cb, g_object_ref (task));
}

static void
device_code_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *self = g_task_get_task_data (task);
  g_autoptr(OAuthReply) reply = NULL;
  GError *error = NULL;
  const char *device_code;
  const char *user_code;
  const char *verification;
  gint64 expires_in;
  gint64 interval;

  if ((reply = finish_post (task, result)) == NULL)
    return;
  device_code = relance_oauth_member_string (reply->object, "device_code");
  user_code = relance_oauth_member_string (reply->object, "user_code");
  /* Microsoft says verification_uri (RFC 8628), Google verification_url. */
  verification = relance_oauth_member_string (reply->object, "verification_uri");
  if (verification == NULL)
    verification = relance_oauth_member_string (reply->object, "verification_url");
  expires_in = relance_oauth_member_int (reply->object, "expires_in");
  interval = relance_oauth_member_int (reply->object, "interval");
  if (reply->status == 200
      && (device_code == NULL || user_code == NULL || verification == NULL || expires_in <= 0
          || !(g_str_has_prefix (verification, "https://")
               || g_str_has_prefix (verification, "http://"))))
    reply->status = 0; /* malformed */
  if (reply->status != 200)
    {
      relance_oauth_set_reply_error (self->provider->provider, OAUTH_PURPOSE_DEVICE, reply,
                                     &error);
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
  self->provider = relance_oauth_provider_get (provider);
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
  if ((client_id = relance_oauth_client_id_for (account, self->provider, &error)) == NULL
      || (self->token_url = relance_oauth_endpoint (self->provider->token_url, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->client_id = g_strdup (client_id);
  self->client_secret = relance_oauth_client_secret_for (account, self->provider);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, (GSourceFunc) cancelled_cb, task, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }

  self->self_ref = g_object_ref (task);
  if (flow == RELANCE_OAUTH_FLOW_DEVICE)
    {
      g_autofree char *device_url = relance_oauth_endpoint (self->provider->device_url, &error);
      g_autofree char *form = NULL;

      if (device_url == NULL)
        {
          sign_in_fail (task, error);
          return;
        }
      form = relance_oauth_form_encode ("client_id", self->client_id,
                                        "scope", self->provider->scope,
                                        "client_secret", self->client_secret,
                                        NULL);
      relance_oauth_post_form_async (provider, OAUTH_PURPOSE_DEVICE, device_url,
                                     g_steal_pointer (&form), cancellable, device_code_cb,
                                     g_object_ref (task));
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
