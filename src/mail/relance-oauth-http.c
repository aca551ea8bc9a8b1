/* relance-oauth-http.c: the token endpoints of Microsoft 365 and Gmail: one form POST, its
 * JSON answer, tokens read from it, and every refusal in words a user can act on.
 * libsoup 3 async on the thread-default main context. Tokens are never logged. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relance-mail-error.h"
#include "relance-oauth-private.h"

#define HTTP_TIMEOUT       30            /* seconds for one request */
#define MAX_BODY_SIZE      (64 * 1024)

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

char *
relance_oauth_form_encode (const char *first_name,
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

typedef struct
{
  SoupSession          *session;
  SoupMessage          *message;
  RelanceOAuthProvider  provider;
  OAuthPurpose          purpose;
} PostData;

static void
post_data_free (PostData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data);
}

void
relance_oauth_reply_free (OAuthReply *reply)
{
  g_clear_pointer (&reply->object, json_object_unref);
  g_free (reply);
}

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
  OAuthReply *reply;
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

  reply = g_new0 (OAuthReply, 1);
  reply->status = soup_message_get_status (data->message);
  text = g_bytes_get_data (body, &size);
  if (size > 0 && size <= MAX_BODY_SIZE && g_utf8_validate (text, size, NULL)
      && json_parser_load_from_data (parser, text, size, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply->object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_task_return_pointer (task, reply, (GDestroyNotify) relance_oauth_reply_free);
}

void
relance_oauth_post_form_async (RelanceOAuthProvider  provider,
                               OAuthPurpose          purpose,
                               const char           *url,
                               char                 *form,         /* taken */
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PostData *data = g_new0 (PostData, 1);

  g_task_set_source_tag (task, relance_oauth_post_form_async);
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

OAuthReply *
relance_oauth_post_form_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
relance_oauth_member_string (JsonObject *object,
                             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A number, also as a string (some services send "3600"); -1 when absent or invalid. */
gint64
relance_oauth_member_int (JsonObject *object,
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
const char *
relance_oauth_reply_error_code (OAuthReply *reply)
{
  const char *code = relance_oauth_member_string (reply->object, "error");

  if (code == NULL || *code == '\0' || strlen (code) > 64)
    return NULL;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return NULL;
  return code;
}

/* Every answer that is not a success, in words a user can act on. */
void
relance_oauth_set_reply_error (RelanceOAuthProvider   provider,
                               OAuthPurpose           purpose,
                               OAuthReply            *reply,
                               GError               **error)
{
  const char *title = relance_oauth_provider_title (provider);
  const char *code = relance_oauth_reply_error_code (reply);
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
  if (purpose == OAUTH_PURPOSE_REFRESH
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
RelanceOAuthTokens *
relance_oauth_tokens_from_reply (RelanceOAuthProvider   provider,
                                 OAuthPurpose           purpose,
                                 OAuthReply            *reply,
                                 GError               **error)
{
  g_autoptr(RelanceOAuthTokens) tokens = NULL;
  const char *access = relance_oauth_member_string (reply->object, "access_token");
  const char *refresh = relance_oauth_member_string (reply->object, "refresh_token");
  const char *type = relance_oauth_member_string (reply->object, "token_type");
  gint64 expires_in = relance_oauth_member_int (reply->object, "expires_in");

  if (reply->status != 200)
    {
      relance_oauth_set_reply_error (provider, purpose, reply, error);
      return NULL;
    }
  if (access == NULL || *access == '\0' || (type != NULL && g_ascii_strcasecmp (type, "Bearer"))
      || expires_in <= 0 || (refresh != NULL && *refresh == '\0'))
    {
      reply->status = 0;
      g_clear_pointer (&reply->object, json_object_unref);
      relance_oauth_set_reply_error (provider, purpose, reply, error);
      return NULL;
    }
  tokens = g_new0 (RelanceOAuthTokens, 1);
  tokens->access_token = g_strdup (access);
  tokens->refresh_token = g_strdup (refresh);
  tokens->expires_in = expires_in;
  return g_steal_pointer (&tokens);
}
