/* relance-template.c: placeholder, being written. */
#include "config.h"
