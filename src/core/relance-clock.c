/* relance-clock.c: the one clock (RELANCE_NOW, or a test override, or the system time). */
#include "config.h"

#include "relance-clock.h"
#include "relance-date.h"

/* Set from the main thread, read from worker threads: guarded. */
static GMutex clock_lock;
static GDateTime *clock_override;

/* Tests that drive time themselves set an override; NULL returns to RELANCE_NOW / real time. */
void
relance_clock_set_override (GDateTime *now)
{
  g_mutex_lock (&clock_lock);
  g_clear_pointer (&clock_override, g_date_time_unref);
  if (now != NULL)
    clock_override = g_date_time_ref (now);
  g_mutex_unlock (&clock_lock);
}

/* Returns the current instant in UTC. */
GDateTime *
relance_clock_now (void)
{
  const char *env;
  GDateTime *over = NULL;

  g_mutex_lock (&clock_lock);
  if (clock_override != NULL)
    over = g_date_time_to_utc (clock_override);
  g_mutex_unlock (&clock_lock);
  if (over != NULL)
    return over;

  env = g_getenv ("RELANCE_NOW");
  if (env != NULL && *env != '\0')
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (env, utc);

      if (parsed == NULL)
        {
          /* A bare date means midnight UTC of that day. */
          g_autofree char *with_time = g_strconcat (env, "T00:00:00Z", NULL);
          parsed = g_date_time_new_from_iso8601 (with_time, utc);
        }
      if (parsed != NULL)
        return g_date_time_to_utc (parsed);
      g_warning ("RELANCE_NOW=%s is not an ISO 8601 date or time; using the system clock", env);
    }

  return g_date_time_new_now_utc ();
}

/* The calendar date of "now" in @tz (local time zone when NULL). */
void
relance_clock_today (GTimeZone *tz,
                     GDate     *out_date)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) here = NULL;

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  here = g_date_time_to_timezone (now, tz);

  relance_date_from_date_time (here, out_date);
}
