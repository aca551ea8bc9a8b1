/* relance-store-templates.h: what the window changes in scenarios and templates beyond
 * relance-scenario.h (the scenarios' own records live there). */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* Makes the scenario @key serve the "regular" segment (new clients get it), in one
 * transaction: segments are unique, so the former holder of "regular" takes over the
 * segment @key served, if any. NOT_FOUND when there is no such scenario. */
gboolean relance_store_set_regular_scenario (RelanceStore  *self,
                                             const char    *key,
                                             GError       **error);

G_END_DECLS
