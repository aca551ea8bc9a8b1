/* relance-credentials-private.h: what the mail files that keep a secret in the keyring
 * (the password here, the OAuth refresh token, the Brevo API key) share: one reading of
 * libsecret's errors, and store, lookup and clear for a schema of their own. Attributes
 * come as NULL-terminated name/value pairs, as for secret_password_store_sync(). */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Takes @secret_error and turns it into one of the situations a user can act on
 * (RELANCE_MAIL_ERROR_NO_KEYRING or _KEYRING_LOCKED); a cancellation the caller asked for
 * stays G_IO_ERROR_CANCELLED. */
void     relance_credentials_propagate_error (GError              *secret_error,
                                              GCancellable        *cancellable,
                                              GError             **error);
gboolean relance_credentials_store_secret    (const SecretSchema  *schema,
                                              const char          *label,
                                              const char          *secret,
                                              GCancellable        *cancellable,
                                              GError             **error,
                                              ...) G_GNUC_NULL_TERMINATED;
/* TRUE with *@out_secret NULL when nothing is stored (the caller says what is missing);
 * the secret is copied into ordinary memory and libsecret's own copy wiped. */
gboolean relance_credentials_lookup_secret   (const SecretSchema  *schema,
                                              char               **out_secret,
                                              GCancellable        *cancellable,
                                              GError             **error,
                                              ...) G_GNUC_NULL_TERMINATED;
/* Nothing to remove is not an error. */
gboolean relance_credentials_clear_secret    (const SecretSchema  *schema,
                                              GCancellable        *cancellable,
                                              GError             **error,
                                              ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
