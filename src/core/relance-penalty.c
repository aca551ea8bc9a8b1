/* relance-penalty.c: placeholder, being written. */
#include "config.h"
