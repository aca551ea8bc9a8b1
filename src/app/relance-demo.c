/* relance-demo.c: placeholder, being written. */
#include "config.h"
