/* relance-calendar.c: placeholder, being written. */
#include "config.h"
