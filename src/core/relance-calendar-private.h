/* relance-calendar-private.h: what the holidays (relance-calendar.c) and the send window
 * (relance-send-window.c) share. */
#pragma once

#include "relance-calendar.h"

G_BEGIN_DECLS

/* Whether @window has a day and hours to send in. */
gboolean   relance_send_window_is_usable  (const RelanceSendWindow *window);
/* The local wall-clock time @minute minutes after the start of @date, 24:00 included. */
GDateTime *relance_send_window_wall_clock (GTimeZone               *tz,
                                           const GDate             *date,
                                           int                      minute);

G_END_DECLS
