/* relance-error.c: the error domain of the core layer. */
#include "config.h"

#include "relance-error.h"

G_DEFINE_QUARK (relance-core-error-quark, relance_core_error)
