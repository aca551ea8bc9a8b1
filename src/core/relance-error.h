/* relance-error.h: the error domain of the core layer (store, money, dates, CSV, engine). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELANCE_CORE_ERROR (relance_core_error_quark ())

typedef enum
{
  RELANCE_CORE_ERROR_INVALID,        /* bad input: an amount, a date, a field */
  RELANCE_CORE_ERROR_NOT_FOUND,      /* no such invoice, client… */
  RELANCE_CORE_ERROR_CONFLICT,       /* the action does not fit the current state */
  RELANCE_CORE_ERROR_DATABASE,       /* SQLite reported an error */
  RELANCE_CORE_ERROR_NEWER_DATABASE, /* created by a newer Relance */
  RELANCE_CORE_ERROR_NOT_RELANCE,    /* not a Relance database, or damaged */
  RELANCE_CORE_ERROR_IO,             /* reading or writing a file failed */
  RELANCE_CORE_ERROR_IMPORT,         /* one or more rows of an import were refused */
} RelanceCoreError;

GQuark relance_core_error_quark (void);

G_END_DECLS
