/* test-oauth.c: signing in to Microsoft 365 with OAuth 2.0 against a loopback SoupServer
 * that answers like the Microsoft identity platform (token and device-code endpoints, on
 * a thread of its own), the test playing the browser; refreshing and its refusals; and
 * SMTP with XOAUTH2 against aiosmtpd (tests/mail/xoauth2_smtpd.py), which accepts the
 * issued token only. Cases that store a refresh token need the throw-away keyring of
 * build-aux/test.sh (RELANCE_TEST_KEYRING=1) and are skipped without it. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "relance-credentials.h"
#include "relance-mail-error.h"
#include "relance-oauth.h"
#include "relance-smtp.h"

#define CLIENT_ID   "test-client"
#define TOKEN_PATH  "/common/oauth2/v2.0/token"
#define DEVICE_PATH "/common/oauth2/v2.0/devicecode"

/* ---- the fake identity platform ----------------------------------------------------- */

typedef struct
{
  guint  status;
  char  *body;
} Canned;

typedef struct
{
  GMutex        lock;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  char         *base_url;

  char         *challenge;       /* from the authorization URL */
  const char   *code;            /* the code the browser was given */
  GQueue        canned;          /* answered first, whatever the request */
  GQueue        device_script;   /* error codes for the next device polls */
  gint64        expires_in;
  int           serial;
  char         *refresh_token;   /* the one valid refresh token; NULL: revoked */
  char         *access_token;    /* the last one issued */
  guint         issues, refreshes, polls;
  gint64        poll_times[8];
  gboolean      bad_verifier;    /* a code_verifier that did not match was seen */
} Fake;

static Fake fake;

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *b64;

  g_checksum_update (sha, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sha, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if (strchr (b64, '=') != NULL)
    *strchr (b64, '=') = '\0';
  return b64;
}

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* Called with the lock held. */
static void
issue (SoupServerMessage *msg)
{
  g_autofree char *body = NULL;

  fake.serial++;
  g_free (fake.access_token);
  g_free (fake.refresh_token);
  fake.access_token = g_strdup_printf ("at-%d", fake.serial);
  fake.refresh_token = g_strdup_printf ("rt-%d", fake.serial);
  body = g_strdup_printf ("{\"token_type\":\"Bearer\",\"scope\":\"https://outlook.office.com/"
                          "SMTP.Send\",\"expires_in\":%" G_GINT64_FORMAT ",\"ext_expires_in\":"
                          "3600,\"access_token\":\"%s\",\"refresh_token\":\"%s\"}",
                          fake.expires_in, fake.access_token, fake.refresh_token);
  answer (msg, 200, body);
}

static void
token_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *grant = g_hash_table_lookup (form, "grant_type");
  Canned *canned;

  g_mutex_lock (&fake.lock);
  if ((canned = g_queue_pop_head (&fake.canned)) != NULL)
    {
      answer (msg, canned->status, canned->body);
      g_free (canned->body);
      g_free (canned);
    }
  else if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), CLIENT_ID) != 0)
    answer (msg, 400, "{\"error\":\"invalid_client\"}");
  else if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *verifier = g_hash_table_lookup (form, "code_verifier");
      const char *redirect = g_hash_table_lookup (form, "redirect_uri");
      g_autofree char *challenge = verifier != NULL ? s256 (verifier) : NULL;

      /* RFC 7636 §4.6: the verifier must hash to the challenge of the authorization. */
      if (verifier == NULL || strlen (verifier) < 43 || strlen (verifier) > 128
          || g_strcmp0 (challenge, fake.challenge) != 0)
        {
          fake.bad_verifier = TRUE;
          answer (msg, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS501481"
                  ": The Code_Verifier does not match the code_challenge.\"}");
        }
      else if (g_strcmp0 (g_hash_table_lookup (form, "code"), fake.code) != 0
               || redirect == NULL || !g_str_has_prefix (redirect, "http://127.0.0.1:"))
        answer (msg, 400, "{\"error\":\"invalid_grant\"}");
      else
        {
          fake.issues++;
          issue (msg);
        }
    }
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      fake.refreshes++;
      if (fake.refresh_token != NULL
          && g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), fake.refresh_token) == 0)
        issue (msg);
      else
        answer (msg, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: "
                "The refresh token has expired or is invalid.\"}");
    }
  else if (g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:device_code") == 0
           && g_strcmp0 (g_hash_table_lookup (form, "device_code"), "dc-1") == 0)
    {
      g_autofree char *error = g_queue_pop_head (&fake.device_script);

      if (fake.polls < G_N_ELEMENTS (fake.poll_times))
        fake.poll_times[fake.polls] = g_get_monotonic_time ();
      fake.polls++;
      if (error != NULL)
        {
          g_autofree char *body = g_strdup_printf ("{\"error\":\"%s\"}", error);

          answer (msg, 400, body);
        }
      else
        issue (msg);
    }
  else
    answer (msg, 400, "{\"error\":\"unsupported_grant_type\"}");
  g_mutex_unlock (&fake.lock);
}

static void
device_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  answer (msg, 200, "{\"user_code\":\"ABCD-EFGH\",\"device_code\":\"dc-1\",\"verification_uri\":"
          "\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":1,"
          "\"message\":\"To sign in, use a web browser...\"}");
}

static gpointer
fake_thread (gpointer data)
{
  g_main_context_push_thread_default (fake.context);
  g_main_loop_run (fake.loop);
  g_main_context_pop_thread_default (fake.context);
  return NULL;
}

static void
fake_start (void)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_mutex_init (&fake.lock);
  g_queue_init (&fake.canned);
  g_queue_init (&fake.device_script);
  fake.context = g_main_context_new ();
  fake.loop = g_main_loop_new (fake.context, FALSE);
  g_main_context_push_thread_default (fake.context);
  fake.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake.server, TOKEN_PATH, token_cb, NULL, NULL);
  soup_server_add_handler (fake.server, DEVICE_PATH, device_cb, NULL, NULL);
  soup_server_listen_local (fake.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (fake.context);
  uris = soup_server_get_uris (fake.server);
  fake.base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fake.thread = g_thread_new ("fake-identity-platform", fake_thread, NULL);
  g_setenv ("RELANCE_OAUTH_BASE_URL", fake.base_url, TRUE);
}

/* Every case starts from a fresh grant state. */
static void
fake_reset (gint64 expires_in)
{
  g_mutex_lock (&fake.lock);
  g_clear_pointer (&fake.challenge, g_free);
  g_clear_pointer (&fake.refresh_token, g_free);
  g_clear_pointer (&fake.access_token, g_free);
  fake.code = "code-from-microsoft";
  fake.expires_in = expires_in;
  fake.issues = fake.refreshes = fake.polls = 0;
  fake.serial = 0;
  fake.bad_verifier = FALSE;
  g_queue_clear_full (&fake.device_script, g_free);
  g_mutex_unlock (&fake.lock);
}

static void
fake_can (guint       status,
          const char *body)
{
  Canned *canned = g_new0 (Canned, 1);

  canned->status = status;
  canned->body = g_strdup (body);
  g_mutex_lock (&fake.lock);
  g_queue_push_tail (&fake.canned, canned);
  g_mutex_unlock (&fake.lock);
}

/* ---- helpers ------------------------------------------------------------------------ */

static RelanceAccount
test_account (const char *user)
{
  return (RelanceAccount) {
    .host = (char *) "127.0.0.1", .port = 25, .security = (char *) "none",
    .user = (char *) user, .from_address = (char *) user, .timeout = 10,
    .auth = (char *) "oauth-microsoft", .oauth_client_id = (char *) CLIENT_ID,
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
wait_for (gpointer *result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef struct
{
  char *uri;
  char *user_code;
} Prompt;

static void
prompt_cb (const char *uri,
           const char *user_code,
           gpointer    user_data)
{
  Prompt *prompt = user_data;

  g_assert_null (prompt->uri);
  prompt->uri = g_strdup (uri);
  prompt->user_code = g_strdup (user_code);
}

/* The test as the browser: one GET of the loopback redirect; the page's status and text. */
static guint
browser_get (const char  *url,
             char       **out_page)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result,
                                    &result);
  wait_for ((gpointer *) &result);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  if (out_page != NULL)
    *out_page = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

/* Reads the authorization URL like the provider would, checks it, and hands the challenge
 * to the fake token endpoint. Returns the redirect URI and the state. */
static void
check_authorization_url (const char  *url,
                         char       **out_redirect,
                         char       **out_state)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *challenge;

  g_assert_nonnull (uri);
  g_assert_true (g_str_has_prefix (url, fake.base_url));
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/common/oauth2/v2.0/authorize");
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==,
                   "https://outlook.office.com/SMTP.Send "
                   "https://outlook.office.com/IMAP.AccessAsUser.All offline_access");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  challenge = g_hash_table_lookup (params, "code_challenge");
  g_assert_cmpuint (strlen (challenge), ==, 43);  /* base64url of SHA-256, no padding */
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (params, "redirect_uri"),
                                   "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (params, "redirect_uri"), "/callback"));
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "state")), >=, 16);

  g_mutex_lock (&fake.lock);
  g_free (fake.challenge);
  fake.challenge = g_strdup (challenge);
  g_mutex_unlock (&fake.lock);
  *out_redirect = g_strdup (g_hash_table_lookup (params, "redirect_uri"));
  *out_state = g_strdup (g_hash_table_lookup (params, "state"));
}

/* The whole browser flow for @account; the sign-in's error, if any. */
static GError *
browser_sign_in (const RelanceAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *state = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *page = NULL;
  Prompt prompt = { NULL, NULL };
  GError *error = NULL;

  relance_oauth_sign_in_async (account, RELANCE_OAUTH_MICROSOFT, RELANCE_OAUTH_FLOW_BROWSER,
                               prompt_cb, &prompt, NULL, store_result, &result);
  g_assert_nonnull (prompt.uri);
  g_assert_null (prompt.user_code);
  check_authorization_url (prompt.uri, &redirect, &state);

  /* Another page with the wrong state changes nothing. */
  bad = g_strdup_printf ("%s?code=%s&state=forged", redirect, fake.code);
  g_assert_cmpuint (browser_get (bad, NULL), ==, 400);
  g_assert_null (result);

  good = g_strdup_printf ("%s?code=%s&state=%s", redirect, fake.code, state);
  g_assert_cmpuint (browser_get (good, &page), ==, 200);
  g_assert_nonnull (strstr (page, "You can close this tab"));
  wait_for ((gpointer *) &result);
  relance_oauth_sign_in_finish (result, &error);
  g_free (prompt.uri);
  return error;
}

static const SecretSchema oauth_schema = {
  "com.example.Relance.OAuth", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static char *
stored_refresh_token (const RelanceAccount *account)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (&oauth_schema, NULL, &error,
                                              "host", account->host, "user", account->user,
                                              "kind", "oauth-refresh", NULL);
  char *copy;

  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* ---- cases -------------------------------------------------------------------------- */

static void
test_browser_flow (void)
{
  RelanceAccount account = test_account ("browser@example.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *secret = NULL;
  char *password;
  gboolean is_bearer = FALSE;

  if (!keyring_available ())
    return;
  fake_reset (3600);

  error = browser_sign_in (&account);
  g_assert_no_error (error);
  g_assert_false (fake.bad_verifier);
  g_assert_cmpuint (fake.issues, ==, 1);

  /* The refresh token is in the keyring, out of reach of a password lookup. */
  stored = stored_refresh_token (&account);
  g_assert_cmpstr (stored, ==, "rt-1");
  password = relance_credentials_lookup (&account, NULL, &error);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD);
  g_assert_null (password);
  g_clear_error (&error);

  /* The access token of the sign-in is used while it lasts: no refresh. */
  secret = relance_oauth_get_smtp_secret (&account, NULL, &is_bearer, &error);
  g_assert_no_error (error);
  g_assert_true (is_bearer);
  g_assert_cmpstr (secret, ==, "at-1");
  g_assert_cmpuint (fake.refreshes, ==, 0);

  g_assert_true (relance_oauth_sign_out (&account, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = stored_refresh_token (&account);
  g_assert_null (stored);
}

static void
test_browser_refusals (void)
{
  RelanceAccount account = test_account ("refused@example.com");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *state = NULL;
  g_autofree char *url = NULL;
  Prompt prompt = { NULL, NULL };

  fake_reset (3600);

  /* The user says no in the browser. */
  relance_oauth_sign_in_async (&account, RELANCE_OAUTH_MICROSOFT, RELANCE_OAUTH_FLOW_BROWSER,
                               prompt_cb, &prompt, NULL, store_result, &result);
  check_authorization_url (prompt.uri, &redirect, &state);
  url = g_strdup_printf ("%s?error=access_denied&error_description=The+user+declined&state=%s",
                         redirect, state);
  g_assert_cmpuint (browser_get (url, NULL), ==, 200);
  wait_for ((gpointer *) &result);
  g_assert_false (relance_oauth_sign_in_finish (result, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH);
  g_assert_cmpuint (fake.issues, ==, 0);
  g_clear_error (&error);
  g_clear_object (&result);
  g_clear_pointer (&prompt.uri, g_free);
  g_clear_pointer (&redirect, g_free);
  g_clear_pointer (&state, g_free);
  g_clear_pointer (&url, g_free);

  /* A code exchanged with a verifier that does not match the challenge is refused. */
  relance_oauth_sign_in_async (&account, RELANCE_OAUTH_MICROSOFT, RELANCE_OAUTH_FLOW_BROWSER,
                               prompt_cb, &prompt, NULL, store_result, &result);
  check_authorization_url (prompt.uri, &redirect, &state);
  g_mutex_lock (&fake.lock);
  g_free (fake.challenge);
  fake.challenge = g_strdup ("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_mutex_unlock (&fake.lock);
  url = g_strdup_printf ("%s?code=%s&state=%s", redirect, fake.code, state);
  g_assert_cmpuint (browser_get (url, NULL), ==, 200);
  wait_for ((gpointer *) &result);
  g_assert_false (relance_oauth_sign_in_finish (result, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH);
  g_assert_true (fake.bad_verifier);
  g_assert_cmpuint (fake.issues, ==, 0);
  g_free (prompt.uri);
}

static void
test_device_flow (void)
{
  RelanceAccount account = test_account ("device@example.com");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  Prompt prompt = { NULL, NULL };

  if (!keyring_available ())
    return;
  fake_reset (3600);
  g_mutex_lock (&fake.lock);
  g_queue_push_tail (&fake.device_script, g_strdup ("authorization_pending"));
  g_queue_push_tail (&fake.device_script, g_strdup ("slow_down"));
  g_mutex_unlock (&fake.lock);

  relance_oauth_sign_in_async (&account, RELANCE_OAUTH_MICROSOFT, RELANCE_OAUTH_FLOW_DEVICE,
                               prompt_cb, &prompt, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  g_assert_true (relance_oauth_sign_in_finish (result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prompt.uri, ==, "https://microsoft.com/devicelogin");
  g_assert_cmpstr (prompt.user_code, ==, "ABCD-EFGH");

  /* interval 1 s, then 5 s more after slow_down (RFC 8628 §3.5) */
  g_assert_cmpuint (fake.polls, ==, 3);
  g_assert_cmpint (fake.poll_times[1] - fake.poll_times[0], >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (fake.poll_times[2] - fake.poll_times[1], >=, 6 * G_USEC_PER_SEC);
  stored = stored_refresh_token (&account);
  g_assert_cmpstr (stored, ==, "rt-1");
  g_free (prompt.uri);
  g_free (prompt.user_code);
  relance_oauth_sign_out (&account, NULL, NULL);
}

typedef struct
{
  const char *name;
  guint       status;        /* 0: no canned answer, the fake's own logic */
  const char *body;
  gboolean    unreachable;   /* a port where nothing listens */
  int         error_code;    /* -1: success */
} RefreshCase;

static void
test_refresh_answers (void)
{
  static const RefreshCase cases[] = {
    { "issued", 0, NULL, FALSE, -1 },
    { "revoked", 0, NULL, FALSE, RELANCE_MAIL_ERROR_SIGN_IN_AGAIN },
    { "interaction", 400, "{\"error\":\"interaction_required\"}", FALSE,
      RELANCE_MAIL_ERROR_SIGN_IN_AGAIN },
    { "malformed", 200, "{\"access_token\": \"at-x\", \"expires_in\": ", FALSE,
      RELANCE_MAIL_ERROR_TEMPORARY },
    { "no token", 200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}", FALSE,
      RELANCE_MAIL_ERROR_TEMPORARY },
    { "html", 200, "<html>Sign in</html>", FALSE, RELANCE_MAIL_ERROR_TEMPORARY },
    { "500", 500, "{\"error\":\"server_error\"}", FALSE, RELANCE_MAIL_ERROR_TEMPORARY },
    { "429", 429, "", FALSE, RELANCE_MAIL_ERROR_TEMPORARY },
    { "bad client", 401, "{\"error\":\"invalid_client\"}", FALSE, RELANCE_MAIL_ERROR_CONFIG },
    { "unreachable", 0, NULL, TRUE, RELANCE_MAIL_ERROR_UNREACHABLE },
  };
  RelanceAccount account = test_account ("refresh@example.com");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RefreshCase *c = &cases[i];
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(RelanceOAuthTokens) tokens = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketListener) listener = NULL;

      g_test_message ("refresh: %s", c->name);
      fake_reset (3600);
      g_mutex_lock (&fake.lock);
      /* "revoked": the token sent is not the one the fake knows. */
      fake.refresh_token = g_strdup (g_str_equal (c->name, "revoked") ? "rt-other" : "rt-0");
      g_mutex_unlock (&fake.lock);
      if (c->status != 0)
        fake_can (c->status, c->body);
      if (c->unreachable)
        {
          guint16 port;
          g_autofree char *base = NULL;

          /* A port that was just free: nothing listens there any more. */
          listener = g_socket_listener_new ();
          port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
          g_socket_listener_close (listener);
          base = g_strdup_printf ("http://127.0.0.1:%u", port);
          g_setenv ("RELANCE_OAUTH_BASE_URL", base, TRUE);
        }

      relance_oauth_refresh_async (&account, "rt-0", NULL, store_result, &result);
      wait_for ((gpointer *) &result);
      tokens = relance_oauth_refresh_finish (result, &error);
      g_setenv ("RELANCE_OAUTH_BASE_URL", fake.base_url, TRUE);

      if (c->error_code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (tokens->access_token, ==, "at-1");
          g_assert_cmpstr (tokens->refresh_token, ==, "rt-1");  /* rotated */
          g_assert_cmpint (tokens->expires_in, ==, 3600);
        }
      else
        {
          g_assert_error (error, RELANCE_MAIL_ERROR, c->error_code);
          g_assert_null (tokens);
          /* Never the token in a message a user or a log sees. */
          g_assert_null (strstr (error->message, "rt-0"));
          if (c->error_code == RELANCE_MAIL_ERROR_SIGN_IN_AGAIN)
            g_assert_nonnull (strstr (error->message, "relance account oauth microsoft"));
        }
      /* A canned answer not consumed would leak into the next case. */
      g_assert_true (g_queue_is_empty (&fake.canned));
    }
}

static void
test_configuration (void)
{
  RelanceAccount account = test_account ("config@example.com");
  RelanceAccount password_account = test_account ("password-only@example.com");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_bearer = TRUE;
  char *secret;

  /* Without a client id in the build or the settings, a clear sentence. */
  if (*OAUTH_CLIENT_ID_GOOGLE == '\0')
    {
      account.oauth_client_id = NULL;
      relance_oauth_sign_in_async (&account, RELANCE_OAUTH_GOOGLE, RELANCE_OAUTH_FLOW_BROWSER,
                                   NULL, NULL, NULL, store_result, &result);
      wait_for ((gpointer *) &result);
      g_assert_false (relance_oauth_sign_in_finish (result, &error));
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "--client-id"));
      g_clear_error (&error);
      g_clear_object (&result);
      account.oauth_client_id = (char *) CLIENT_ID;
    }

  /* The test-only base URL never sends tokens in the clear over a network. */
  g_setenv ("RELANCE_OAUTH_BASE_URL", "http://login.example.com", TRUE);
  relance_oauth_refresh_async (&account, "rt-0", NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  g_assert_null (relance_oauth_refresh_finish (result, &error));
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_clear_error (&error);
  g_setenv ("RELANCE_OAUTH_BASE_URL", fake.base_url, TRUE);

  /* A password account still gets its password, not a token. */
  if (g_getenv ("RELANCE_TEST_KEYRING") == NULL)
    g_test_message ("the keyring parts need RELANCE_TEST_KEYRING=1");
  else
    {
      password_account.auth = NULL;
      g_assert_true (relance_credentials_store (&password_account, "pa55", NULL, &error));
      secret = relance_oauth_get_smtp_secret (&password_account, NULL, &is_bearer, &error);
      g_assert_no_error (error);
      g_assert_false (is_bearer);
      g_assert_cmpstr (secret, ==, "pa55");
      g_free (secret);
      relance_credentials_clear (&password_account, NULL, NULL);

      /* An OAuth account never signed in: "sign in", not a password question. */
      account.user = (char *) "never-signed-in@example.com";
      secret = relance_oauth_get_smtp_secret (&account, NULL, &is_bearer, &error);
      g_assert_null (secret);
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_SIGN_IN_AGAIN);
    }
}

/* ---- SMTP with XOAUTH2 -------------------------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *token_file;
  int          port;
} Smtpd;

static void
smtpd_accept (Smtpd      *smtpd,
              const char *token)
{
  g_autofree char *part = g_strconcat (smtpd->token_file, ".part", NULL);

  g_assert_true (g_file_set_contents (part, token, -1, NULL));
  g_assert_cmpint (g_rename (part, smtpd->token_file), ==, 0);
}

static void
smtpd_start (Smtpd      *smtpd,
             const char *user)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "mail", "xoauth2_smtpd.py",
                                                   NULL);
  g_autofree char *port_file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  smtpd->dir = g_dir_make_tmp ("relance-xoauth2-XXXXXX", &error);
  g_assert_no_error (error);
  port_file = g_build_filename (smtpd->dir, "port", NULL);
  smtpd->token_file = g_build_filename (smtpd->dir, "tokens", NULL);
  smtpd->process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/bin/python3",
                                     script, port_file, smtpd->token_file, user, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 200 && !g_file_test (port_file, G_FILE_TEST_EXISTS); i++)
    g_usleep (50000);
  g_assert_true (g_file_get_contents (port_file, &text, NULL, NULL));
  smtpd->port = atoi (text);
  g_assert_cmpint (smtpd->port, >, 0);
}

static void
smtpd_stop (Smtpd *smtpd)
{
  g_subprocess_send_signal (smtpd->process, SIGTERM);
  g_subprocess_wait (smtpd->process, NULL, NULL);
  g_clear_object (&smtpd->process);
  g_remove (smtpd->token_file);
  g_free (smtpd->token_file);
  {
    g_autofree char *port_file = g_build_filename (smtpd->dir, "port", NULL);

    g_remove (port_file);
  }
  g_rmdir (smtpd->dir);
  g_free (smtpd->dir);
}

static RelanceSmtpOutcome
send_with (const RelanceAccount  *account,
           const char            *token,
           char                 **out_reply,
           GError               **error)
{
  g_autoptr(RelanceSmtpSession) session = relance_smtp_session_new_with_secret (account, token,
                                                                               TRUE);
  static const char message[] = "From: owner@example.com\r\nTo: client@example.com\r\n"
                                "Subject: Invoice\r\n\r\nHello\r\n";
  const char *to[] = { "client@example.com", NULL };
  g_autoptr(GBytes) raw = g_bytes_new_static (message, sizeof message - 1);

  return relance_smtp_session_send (session, to, raw, out_reply, error);
}

static void
test_smtp_xoauth2 (void)
{
  RelanceAccount account = test_account ("owner@example.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *again = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *stored = NULL;
  gboolean is_bearer = FALSE;
  Smtpd smtpd = { 0 };

  if (!keyring_available ())
    return;
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs /usr/bin/python3 with aiosmtpd");
      return;
    }
  smtpd_start (&smtpd, account.user);
  account.port = smtpd.port;

  /* The sign-in's token lives four minutes: less than the five kept in hand. */
  fake_reset (240);
  error = browser_sign_in (&account);
  g_assert_no_error (error);
  fake.expires_in = 3600;
  smtpd_accept (&smtpd, "at-2\n");   /* the server only knows the token still to come */

  secret = relance_oauth_get_smtp_secret (&account, NULL, &is_bearer, &error);
  g_assert_no_error (error);
  g_assert_true (is_bearer);
  g_assert_cmpstr (secret, ==, "at-2");
  g_assert_cmpuint (fake.refreshes, ==, 1);
  stored = stored_refresh_token (&account);
  g_assert_cmpstr (stored, ==, "rt-2");   /* the rotated one replaced the old one */

  /* The expiring token and a made-up one are refused; the fresh one is accepted. */
  g_assert_cmpint (send_with (&account, "at-1", &reply, &error), ==, RELANCE_SMTP_ACCOUNT);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (reply, "535"));
  g_clear_error (&error);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpint (send_with (&account, "forged", &reply, &error), ==, RELANCE_SMTP_ACCOUNT);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH);
  g_clear_error (&error);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpint (send_with (&account, secret, &reply, &error), ==, RELANCE_SMTP_SENT);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (reply, "250"));

  /* Still good for an hour: no second refresh. */
  again = relance_oauth_get_smtp_secret (&account, NULL, &is_bearer, &error);
  g_assert_cmpstr (again, ==, "at-2");
  g_assert_cmpuint (fake.refreshes, ==, 1);

  /* The grant is revoked: "sign in again", and nothing to send with. */
  g_mutex_lock (&fake.lock);
  g_clear_pointer (&fake.refresh_token, g_free);
  g_mutex_unlock (&fake.lock);
  relance_oauth_forget_access_token (&account);
  g_clear_pointer (&again, g_free);
  again = relance_oauth_get_smtp_secret (&account, NULL, &is_bearer, &error);
  g_assert_null (again);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_SIGN_IN_AGAIN);

  relance_oauth_sign_out (&account, NULL, NULL);
  smtpd_stop (&smtpd);
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG_DATA_DIRS hide the system's proxy settings schema, which the GNOME
   * proxy resolver would abort on; loopback servers need no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("RELANCE_OAUTH_NO_BROWSER", "1", TRUE);
  fake_start ();

  g_test_add_func ("/mail/oauth/browser-flow", test_browser_flow);
  g_test_add_func ("/mail/oauth/browser-refusals", test_browser_refusals);
  g_test_add_func ("/mail/oauth/device-flow", test_device_flow);
  g_test_add_func ("/mail/oauth/refresh-answers", test_refresh_answers);
  g_test_add_func ("/mail/oauth/configuration", test_configuration);
  g_test_add_func ("/mail/oauth/smtp-xoauth2", test_smtp_xoauth2);
  return g_test_run ();
}
