/* relance-store-company.h: settings with a meaning of their own, read and written in one
 * place whatever the caller (window, command line, scheduler). */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* The global pause: while it is on nothing is sent (`relance pause|resume`, the window's
 * switch). Off when never set or unreadable. */
gboolean relance_store_get_reminders_paused (RelanceStore  *self);
gboolean relance_store_set_reminders_paused (RelanceStore  *self,
                                             gboolean       paused,
                                             GError       **error);

G_END_DECLS
