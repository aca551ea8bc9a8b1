/* relance-smtp.c: being written. */
#include "config.h"
