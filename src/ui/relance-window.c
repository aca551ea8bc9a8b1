/* relance-window.c: placeholder, being written. */
#include "config.h"
