/* relance-mail-error.h: the error domain of the mail layer (account, keyring, messages,
 * transports, outbox). Messages are whole sentences a user can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELANCE_MAIL_ERROR (relance_mail_error_quark ())

typedef enum
{
  RELANCE_MAIL_ERROR_CONFIG,             /* the account settings are missing or invalid */
  RELANCE_MAIL_ERROR_NO_KEYRING,         /* no Secret Service on the session bus */
  RELANCE_MAIL_ERROR_KEYRING_LOCKED,     /* the keyring is locked (or unlock was refused) */
  RELANCE_MAIL_ERROR_NO_PASSWORD,        /* no password stored for the account */
  RELANCE_MAIL_ERROR_UNREACHABLE,        /* host not found, connection refused, no route */
  RELANCE_MAIL_ERROR_CERTIFICATE,        /* the server's certificate is not trusted */
  RELANCE_MAIL_ERROR_AUTH,               /* the server refused the user name or password */
  RELANCE_MAIL_ERROR_SENDER_REJECTED,    /* MAIL FROM refused */
  RELANCE_MAIL_ERROR_RECIPIENT_REJECTED, /* RCPT TO refused (5xx): that message fails */
  RELANCE_MAIL_ERROR_TEMPORARY,          /* 4xx, timeout, dropped connection: try again */
  RELANCE_MAIL_ERROR_PERMANENT,          /* 5xx on the message: it fails */
  RELANCE_MAIL_ERROR_INVALID,            /* a message that cannot be built (bad address…) */
  RELANCE_MAIL_ERROR_SIGN_IN_AGAIN,      /* the OAuth grant was revoked or expired, or none */
} RelanceMailError;

GQuark relance_mail_error_quark (void);

G_END_DECLS
