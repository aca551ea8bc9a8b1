/* relance-mail-error.c: the error domain of the mail layer. */
#include "config.h"

#include "relance-mail-error.h"

G_DEFINE_QUARK (relance-mail-error-quark, relance_mail_error)
