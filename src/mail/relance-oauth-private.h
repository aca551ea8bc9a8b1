/* relance-oauth-private.h: what the OAuth files share. relance-oauth.c knows the providers,
 * keeps the refresh token in the keyring and access tokens in memory, and refreshes them;
 * relance-oauth-http.c talks to the token endpoints and puts their refusals in words;
 * relance-oauth-sign-in.c runs the sign-in (browser and loopback redirect, device code). */
#pragma once

#include <json-glib/json-glib.h>

#include "relance-oauth.h"

G_BEGIN_DECLS

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
} OAuthProvider;

/* relance-oauth.c: the providers, their endpoints and Relance's client there. */
const OAuthProvider *relance_oauth_provider_get       (RelanceOAuthProvider   provider);
char                *relance_oauth_endpoint           (const char            *url,
                                                       GError               **error);
const char          *relance_oauth_client_id_for      (const RelanceAccount  *account,
                                                       const OAuthProvider   *p,
                                                       GError               **error);
const char          *relance_oauth_client_secret_for  (const RelanceAccount  *account,
                                                       const OAuthProvider   *p);

/* relance-oauth.c: the refresh token in the keyring (async: the sign-in runs on the main
 * loop), and the access token kept in memory for @account (its auth says the provider). */
void                 relance_oauth_keep_refresh_token_async  (const RelanceAccount  *account,
                                                              const char            *token,
                                                              GCancellable          *cancellable,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
gboolean             relance_oauth_keep_refresh_token_finish (GAsyncResult          *result,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
void                 relance_oauth_cache_put           (const RelanceAccount  *account,
                                                        const char            *token,
                                                        gint64                 expires_in);

/* relance-oauth-http.c: one form POST to an endpoint, and what its answer says. */
typedef enum
{
  OAUTH_PURPOSE_ISSUE,    /* authorization code → tokens */
  OAUTH_PURPOSE_REFRESH,
  OAUTH_PURPOSE_DEVICE,   /* the device authorization request */
  OAUTH_PURPOSE_POLL,     /* the device code → tokens */
} OAuthPurpose;

/* The answer of an OAuth endpoint: a JSON object and its HTTP status. */
typedef struct
{
  guint       status;
  JsonObject *object;   /* NULL when the body is not a JSON object */
} OAuthReply;

void relance_oauth_reply_free (OAuthReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OAuthReply, relance_oauth_reply_free)

/* "a=1&b=2" from NULL-terminated name/value pairs; a NULL value leaves its name out. */
char               *relance_oauth_form_encode       (const char             *first_name,
                                                     ...) G_GNUC_NULL_TERMINATED;
void                relance_oauth_post_form_async   (RelanceOAuthProvider    provider,
                                                     OAuthPurpose            purpose,
                                                     const char             *url,
                                                     char                   *form,  /* taken */
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
OAuthReply         *relance_oauth_post_form_finish  (GAsyncResult           *result,
                                                     GError                **error);
const char         *relance_oauth_member_string     (JsonObject             *object,
                                                     const char             *name);
gint64              relance_oauth_member_int        (JsonObject             *object,
                                                     const char             *name);
const char         *relance_oauth_reply_error_code  (OAuthReply             *reply);
void                relance_oauth_set_reply_error   (RelanceOAuthProvider    provider,
                                                     OAuthPurpose            purpose,
                                                     OAuthReply             *reply,
                                                     GError                **error);
RelanceOAuthTokens *relance_oauth_tokens_from_reply (RelanceOAuthProvider    provider,
                                                     OAuthPurpose            purpose,
                                                     OAuthReply             *reply,
                                                     GError                **error);

G_END_DECLS
