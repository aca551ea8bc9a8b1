/* relance-application.c: placeholder, being written. */
#include "config.h"
