/* relance-account.h: the owner's mail account (no secret here: the password lives in the
 * keyring, see relance-credentials.h). Stored in the database settings as "account.*". */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

typedef struct
{
  char     *host;
  int       port;
  char     *security;     /* "starttls", "tls" or "none" (loopback hosts only) */
  char     *user;
  char     *from_name;    /* may be NULL */
  char     *from_address;
  char     *reply_to;     /* may be NULL */
  gboolean  bcc_self;
  char     *ca_file;      /* a private CA to trust, may be NULL (system CAs) */
  int       timeout;      /* seconds for one SMTP exchange; default 60 */
  char     *auth;         /* "password" (NULL means that too), "oauth-microsoft", "oauth-google" */
  char     *oauth_client_id; /* overrides the build's OAuth client id, may be NULL */
} RelanceAccount;

void            relance_account_free     (RelanceAccount  *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceAccount, relance_account_free)

/* NULL with RELANCE_MAIL_ERROR_CONFIG when no account is set up. */
RelanceAccount *relance_account_load     (RelanceStore          *store,
                                          GError               **error);
/* Validates first (relance_account_validate) and writes nothing when invalid. */
gboolean        relance_account_save     (RelanceStore          *store,
                                          const RelanceAccount  *account,
                                          GError               **error);
/* Host and port set, security known, "none" only for a loopback host (127.0.0.0/8, ::1,
 * localhost), a valid From address, a readable CA file when given. */
gboolean        relance_account_validate (const RelanceAccount  *account,
                                          GError               **error);
/* "Name <address>" or "address" → parts; FALSE with a clear error when invalid. */
gboolean        relance_address_parse    (const char            *text,
                                          char                 **out_name,
                                          char                 **out_address,
                                          GError               **error);
/* A single mailbox address (no display name), syntax checked; no CR/LF/controls. */
gboolean        relance_address_is_valid (const char            *address);

G_END_DECLS
