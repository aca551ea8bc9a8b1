/* relance-credentials.h: the account password in the system keyring (libsecret: the
 * Secret Service here, the portal inside the Flatpak). Never written anywhere else. */
#pragma once

#include <gio/gio.h>

#include "relance-account.h"

G_BEGIN_DECLS

/* Blocking calls: use them from a worker thread or the command line. Errors are
 * RELANCE_MAIL_ERROR_NO_KEYRING, _KEYRING_LOCKED or _NO_PASSWORD with a plain sentence. */
gboolean  relance_credentials_store  (const RelanceAccount  *account,
                                      const char            *password,
                                      GCancellable          *cancellable,
                                      GError               **error);
char     *relance_credentials_lookup (const RelanceAccount  *account,
                                      GCancellable          *cancellable,
                                      GError               **error);
gboolean  relance_credentials_clear  (const RelanceAccount  *account,
                                      GCancellable          *cancellable,
                                      GError               **error);

G_END_DECLS
