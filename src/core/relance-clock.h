/* relance-clock.h: the one clock every time-dependent piece reads.
 *
 * It honours RELANCE_NOW (ISO 8601, e.g. 2026-03-01T10:00:00Z) so that tests and
 * demos can travel in time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *relance_clock_now          (void);
void       relance_clock_set_override (GDateTime *now);
void       relance_clock_today        (GTimeZone *tz,
                                       GDate     *out_date);

G_END_DECLS
