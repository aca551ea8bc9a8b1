/* relance-oauth.h: signing in to Microsoft 365 and Gmail with OAuth 2.0 (authorization code
 * with PKCE through the browser and a loopback redirect, or the device code where there is
 * no browser), the refresh token in the keyring, and the secret SMTP needs at send time. */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"

G_BEGIN_DECLS

typedef enum
{
  RELANCE_OAUTH_NONE,       /* a password account */
  RELANCE_OAUTH_MICROSOFT,
  RELANCE_OAUTH_GOOGLE,
} RelanceOAuthProvider;

typedef enum
{
  RELANCE_OAUTH_FLOW_BROWSER,  /* authorization code + PKCE, loopback redirect */
  RELANCE_OAUTH_FLOW_DEVICE,   /* device code: a code typed on another device */
} RelanceOAuthFlow;

typedef struct
{
  char   *access_token;
  char   *refresh_token;  /* NULL when the service kept the one it had */
  gint64  expires_in;     /* seconds */
} RelanceOAuthTokens;

void relance_oauth_tokens_free (RelanceOAuthTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceOAuthTokens, relance_oauth_tokens_free)

/* What the user must do. Browser flow: @uri is the authorization page (also opened in the
 * browser unless RELANCE_OAUTH_NO_BROWSER is set) and @user_code is NULL. Device flow: @uri
 * is the verification page and @user_code the code to type there. */
typedef void (*RelanceOAuthPromptFunc) (const char *uri,
                                        const char *user_code,
                                        gpointer    user_data);

/* From "account.auth"; NONE for password accounts. */
RelanceOAuthProvider relance_oauth_provider_for_account (const RelanceAccount *account);
/* "microsoft" or "google" (as typed on the command line); NONE otherwise. */
RelanceOAuthProvider relance_oauth_provider_from_name   (const char           *name);
/* The "account.auth" value: "oauth-microsoft" or "oauth-google". */
const char          *relance_oauth_provider_auth        (RelanceOAuthProvider  provider);
/* "Microsoft 365" or "Gmail". */
const char          *relance_oauth_provider_title       (RelanceOAuthProvider  provider);

/* Runs the whole sign-in on the thread-default main context and stores the refresh token
 * in the keyring for the account's host and user. Errors: RELANCE_MAIL_ERROR (CONFIG for a
 * missing client id, AUTH when the service or the user refused, UNREACHABLE, TEMPORARY,
 * NO_KEYRING, KEYRING_LOCKED) or G_IO_ERROR_CANCELLED. */
void     relance_oauth_sign_in_async  (const RelanceAccount    *account,
                                       RelanceOAuthProvider     provider,
                                       RelanceOAuthFlow         flow,
                                       RelanceOAuthPromptFunc   prompt,
                                       gpointer                 prompt_data,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
gboolean relance_oauth_sign_in_finish (GAsyncResult            *result,
                                       GError                 **error);

/* One refresh_token grant, nothing stored. invalid_grant (revoked or expired) gives
 * RELANCE_MAIL_ERROR_SIGN_IN_AGAIN. */
void                relance_oauth_refresh_async  (const RelanceAccount  *account,
                                                  const char            *refresh_token,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
RelanceOAuthTokens *relance_oauth_refresh_finish (GAsyncResult          *result,
                                                  GError               **error);

/* Blocking (a worker thread or the command line): the account's password for password
 * accounts (*out_is_bearer FALSE), or an OAuth access token valid for five minutes at
 * least (*out_is_bearer TRUE), refreshed when needed; a rotated refresh token is stored. */
char    *relance_oauth_get_smtp_secret     (const RelanceAccount  *account,
                                            GCancellable          *cancellable,
                                            gboolean              *out_is_bearer,
                                            GError               **error);
/* Drops the access token kept in memory (the server refused it). */
void     relance_oauth_forget_access_token (const RelanceAccount  *account);
/* Removes the refresh token from the keyring and the access token from memory. */
gboolean relance_oauth_sign_out            (const RelanceAccount  *account,
                                            GCancellable          *cancellable,
                                            GError               **error);

G_END_DECLS
