/* relance-cli.c: placeholder, being written. */
#include "config.h"
