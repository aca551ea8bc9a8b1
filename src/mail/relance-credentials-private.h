/* relance-credentials-private.h: what the mail files that keep a secret in the keyring
 * (the password here, the OAuth refresh token, the Brevo API key) share: one reading of
 * libsecret's errors, and one call to store, look up or clear a secret under a schema of
 * their own. Attributes come as NULL-terminated name/value pairs, as for
 * secret_password_store_sync(). */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Takes @secret_error and turns it into one of the situations a user can act on
 * (RELANCE_MAIL_ERROR_NO_KEYRING or _KEYRING_LOCKED); a cancellation the caller asked for
 * stays G_IO_ERROR_CANCELLED. */
void     relance_credentials_propagate_error (GError              *secret_error,
                                              GCancellable        *cancellable,
                                              GError             **error);

typedef enum
{
  RELANCE_KEYRING_STORE,   /* @label and @secret */
  RELANCE_KEYRING_LOOKUP,  /* into *@out_secret: NULL when nothing is stored */
  RELANCE_KEYRING_CLEAR,   /* nothing to remove is not an error */
} RelanceKeyringOp;

/* One keyring operation on the item of @schema that the name/value pairs after @error name.
 * A secret looked up is copied into ordinary memory and libsecret's own copy wiped; the
 * caller says what is missing when nothing is stored. */
gboolean relance_credentials_keyring         (RelanceKeyringOp     op,
                                              const SecretSchema  *schema,
                                              const char          *label,
                                              const char          *secret,
                                              char               **out_secret,
                                              GCancellable        *cancellable,
                                              GError             **error,
                                              ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
