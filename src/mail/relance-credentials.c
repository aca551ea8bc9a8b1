/* relance-credentials.c: the account password in the keyring through libsecret (the Secret
 * Service on the session bus, the secret portal inside the Flatpak). Errors become the three
 * situations a user can do something about: no keyring, a locked keyring, no password.
 * The keyring helpers serve the OAuth refresh token and the Brevo API key too
 * (relance-credentials-private.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relance-credentials.h"
#include "relance-credentials-private.h"
#include "relance-mail-error.h"

static const SecretSchema *
relance_account_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Relance.Account", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static gboolean
check_account (const RelanceAccount  *account,
               GError               **error)
{
  if (account == NULL || account->host == NULL || *account->host == '\0'
      || account->user == NULL || *account->user == '\0')
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("The mail account needs a server and a user name before a "
                             "password can be kept for it."));
      return FALSE;
    }
  return TRUE;
}

/* A cancellation asked by the caller stays G_IO_ERROR_CANCELLED; one that comes from a
 * dismissed unlock prompt means "locked". */
void
relance_credentials_propagate_error (GError        *secret_error,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  g_autoptr(GError) owned = secret_error;

  /* The message names D-Bus objects, never a secret. */
  g_debug ("Keyring error: %s (%s, %d)", owned->message, g_quark_to_string (owned->domain),
           owned->code);

  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_propagate_error (error, g_steal_pointer (&owned));
      return;
    }

  if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)
      || g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (owned, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_KEYRING_LOCKED,
                           _("The keyring is locked: unlock it to let Relance send."));
      return;
    }

  /* No Secret Service on the bus (G_DBUS_ERROR_SERVICE_UNKNOWN, NAME_HAS_NO_OWNER,
   * SPAWN_*), no bus at all (G_IO_ERROR_*), or a service that misbehaves: in every case
   * there is no keyring Relance can use in this session. */
  g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_KEYRING,
                       _("No keyring is available in this session: sending is paused until one "
                         "is (GNOME Keyring or another Secret Service)."));
}

gboolean
relance_credentials_keyring (RelanceKeyringOp     op,
                             const SecretSchema  *schema,
                             const char          *label,
                             const char          *secret,
                             char               **out_secret,
                             GCancellable        *cancellable,
                             GError             **error,
                             ...)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *secret_error = NULL;
  char *found = NULL;
  va_list args;

  va_start (args, error);
  attributes = secret_attributes_buildv (schema, args);
  va_end (args);
  switch (op)
    {
    case RELANCE_KEYRING_STORE:
      secret_password_storev_sync (schema, attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &secret_error);
      break;
    case RELANCE_KEYRING_LOOKUP:
      *out_secret = NULL;
      found = secret_password_lookupv_sync (schema, attributes, cancellable, &secret_error);
      break;
    case RELANCE_KEYRING_CLEAR:
      /* FALSE without an error only means there was nothing to remove. */
      secret_password_clearv_sync (schema, attributes, cancellable, &secret_error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (secret_error != NULL)
    {
      relance_credentials_propagate_error (secret_error, cancellable, error);
      return FALSE;
    }
  if (found != NULL)
    {
      /* libsecret may hand out non-pageable memory that only secret_password_free() may
       * release: give the caller ordinary memory and wipe the original. */
      *out_secret = g_strdup (found);
      secret_password_free (found);
    }
  return TRUE;
}

gboolean
relance_credentials_store (const RelanceAccount  *account,
                           const char            *password,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autofree char *label = NULL;

  if (!check_account (account, error))
    return FALSE;
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("The password is empty."));
      return FALSE;
    }

  /* Translators: the name of the keyring item, as shown in Passwords and Keys; the
   * first %s is the user name, the second the mail server. */
  label = g_strdup_printf (_("Relance mail account %s@%s"), account->user, account->host);
  return relance_credentials_keyring (RELANCE_KEYRING_STORE, relance_account_schema (), label,
                                      password, NULL, cancellable, error,
                                      "host", account->host,
                                      "user", account->user,
                                      NULL);
}

char *
relance_credentials_lookup (const RelanceAccount  *account,
                            GCancellable          *cancellable,
                            GError               **error)
{
  char *secret;

  if (!check_account (account, error)
      || !relance_credentials_keyring (RELANCE_KEYRING_LOOKUP, relance_account_schema (), NULL,
                                       NULL, &secret, cancellable, error,
                                       "host", account->host,
                                       "user", account->user,
                                       NULL))
    return NULL;
  if (secret == NULL)
    g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD,
                         _("No password is stored for this account: run “relance account "
                           "set-password”."));
  return secret;
}

gboolean
relance_credentials_clear (const RelanceAccount  *account,
                           GCancellable          *cancellable,
                           GError               **error)
{
  return check_account (account, error)
         && relance_credentials_keyring (RELANCE_KEYRING_CLEAR, relance_account_schema (), NULL,
                                         NULL, NULL, cancellable, error,
                                         "host", account->host,
                                         "user", account->user,
                                         NULL);
}
