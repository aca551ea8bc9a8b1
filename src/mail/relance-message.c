/* relance-message.c: being written. */
#include "config.h"
