/* relance-address.c: placeholder, being written. */
#include "config.h"
