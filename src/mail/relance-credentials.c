/* relance-credentials.c: being written. */
#include "config.h"
