/* relance-export.c: placeholder, being written. */
#include "config.h"
