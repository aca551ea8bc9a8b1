/* relance-bank-store.h: the bank aggregate of the store now lives in
 * src/core/store/relance-store-bank.h; this name stays for the files that include it. */
#pragma once

#include "relance-store-bank.h"
