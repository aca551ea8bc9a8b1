/* relance-demo.h: demo data for `relance --demo`, screenshots and trying the app. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

gboolean  relance_demo_fill   (RelanceStore  *store,
                               GError       **error);
char     *relance_demo_create (GError       **error);
void      relance_demo_remove (const char    *path);

G_END_DECLS
