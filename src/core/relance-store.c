/* relance-store.c: placeholder, being written. */
#include "config.h"
