/* relance-csv.c: placeholder, being written. */
#include "config.h"
