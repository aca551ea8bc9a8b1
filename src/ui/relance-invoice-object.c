/* relance-invoice-object.c: placeholder, being written. */
#include "config.h"
