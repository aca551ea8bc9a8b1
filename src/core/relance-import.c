/* relance-import.c: placeholder, being written. */
#include "config.h"
