/* relance-calendar.h: working days, public holidays and the send window.
 *
 * Reminders go out only on working days of the client's country, inside the owner's
 * send window, in the client's time zone. Holidays are computed from their rules (Easter,
 * "first Monday of May", weekend substitution…), never read from a table, so the
 * calendar keeps working in any year. Pure functions: no store, no clock. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RELANCE_CALENDAR_FR,                /* France (metropolitan) */
  RELANCE_CALENDAR_FR_ALSACE_MOSELLE, /* France, plus Good Friday and 26 December */
  RELANCE_CALENDAR_GB,                /* United Kingdom: England and Wales bank holidays */
  RELANCE_CALENDAR_IE,                /* Ireland */
  RELANCE_CALENDAR_BE,                /* Belgium */
  RELANCE_CALENDAR_US,                /* United States: federal holidays */
} RelanceCalendarRegion;

/* One bit per day, indexed by GDateWeekday: 1 << G_DATE_MONDAY … 1 << G_DATE_SUNDAY. */
#define RELANCE_WEEKDAY_BIT(wd) ((guint8) (1u << (wd)))
#define RELANCE_WEEKDAYS_MONDAY_TO_FRIDAY \
  ((guint8) (RELANCE_WEEKDAY_BIT (G_DATE_MONDAY) | RELANCE_WEEKDAY_BIT (G_DATE_TUESDAY) | \
             RELANCE_WEEKDAY_BIT (G_DATE_WEDNESDAY) | RELANCE_WEEKDAY_BIT (G_DATE_THURSDAY) | \
             RELANCE_WEEKDAY_BIT (G_DATE_FRIDAY)))

typedef struct
{
  guint8 weekdays;     /* RELANCE_WEEKDAY_BIT() of each day when sending is allowed */
  int    start_minute; /* minutes after local midnight, 0 … 1439 */
  int    end_minute;   /* exclusive, start_minute < end_minute <= 1440 (24:00) */
} RelanceSendWindow;

gboolean               relance_calendar_region_from_string (const char            *country_or_name,
                                                            RelanceCalendarRegion *out_region);
const char            *relance_calendar_region_to_string   (RelanceCalendarRegion  region);
const char            *relance_calendar_region_get_name    (RelanceCalendarRegion  region);

const char            *relance_calendar_holiday_name       (RelanceCalendarRegion    region,
                                                            const GDate             *date);
gboolean               relance_calendar_is_holiday         (RelanceCalendarRegion    region,
                                                            const GDate             *date);
gboolean               relance_calendar_is_working_day     (RelanceCalendarRegion    region,
                                                            const RelanceSendWindow *window,
                                                            const GDate             *date);
GArray                *relance_calendar_holidays           (RelanceCalendarRegion    region,
                                                            int                      year);
GDateTime             *relance_calendar_next_send_time     (RelanceCalendarRegion    region,
                                                            const RelanceSendWindow *window,
                                                            GTimeZone               *tz,
                                                            GDateTime               *not_before);

void                   relance_send_window_init_default    (RelanceSendWindow       *window);
gboolean               relance_send_window_parse           (const char              *text,
                                                            RelanceSendWindow       *out_window,
                                                            GError                 **error);
char                  *relance_send_window_to_string       (const RelanceSendWindow *window);

gboolean               relance_timezone_is_valid           (const char              *iana);

G_END_DECLS
