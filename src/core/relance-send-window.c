/* relance-send-window.c: the send window ("mon-fri 09:00-18:00"): its default, reading and
 * writing it, wall-clock times on the client's clock; and the time zones Relance accepts. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-calendar-private.h"
#include "relance-error.h"

/* ------------------------------------------------------------------------------------ */
/* The send window                                                                      */

void
relance_send_window_init_default (RelanceSendWindow *window)
{
  g_return_if_fail (window != NULL);

  window->weekdays = RELANCE_WEEKDAYS_MONDAY_TO_FRIDAY;
  window->start_minute = 9 * 60;
  window->end_minute = 18 * 60;
}

gboolean
relance_send_window_is_usable (const RelanceSendWindow *window)
{
  return (window->weekdays & 0xfe) != 0
         && window->start_minute >= 0
         && window->start_minute < window->end_minute
         && window->end_minute <= 24 * 60;
}

/* The local wall-clock time @minute minutes after the start of @date, 24:00 included. */
GDateTime *
relance_send_window_wall_clock (GTimeZone   *tz,
                                const GDate *date,
                                int          minute)
{
  GDate day = *date;

  if (minute >= 24 * 60)
    {
      g_date_add_days (&day, 1);
      minute -= 24 * 60;
    }
  return g_date_time_new (tz,
                          (int) g_date_get_year (&day),
                          (int) g_date_get_month (&day),
                          (int) g_date_get_day (&day),
                          minute / 60, minute % 60, 0);
}


static const char * const day_names[] = {
  NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static const char * const day_full_names[] = {
  NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

static GDateWeekday
parse_day (const char *text)
{
  for (int wd = G_DATE_MONDAY; wd <= G_DATE_SUNDAY; wd++)
    {
      if (g_ascii_strcasecmp (text, day_names[wd]) == 0
          || g_ascii_strcasecmp (text, day_full_names[wd]) == 0)
        return (GDateWeekday) wd;
    }
  return G_DATE_BAD_WEEKDAY;
}

static gboolean
set_bad_day (GError     **error,
             const char  *text)
{
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: the day names are the English abbreviations the setting
                * understands; do not translate them. */
               _("“%s” is not a day of the week. Use mon, tue, wed, thu, fri, sat or sun, "
                 "separated by commas, or a range such as “mon-fri”."),
               text);
  return FALSE;
}

/* "mon-fri", "mon,tue,thu", "mon-wed,sat"; a range may wrap around ("fri-mon"). */
static gboolean
parse_days (const char  *text,
            guint8      *out_weekdays,
            GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  guint8 weekdays = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) bounds = g_strsplit (items[i], "-", -1);
      GDateWeekday first, last;
      int wd;

      if (bounds[0] == NULL || g_strv_length (bounds) > 2)
        return set_bad_day (error, items[i]);
      first = parse_day (bounds[0]);
      if (first == G_DATE_BAD_WEEKDAY)
        return set_bad_day (error, bounds[0][0] != '\0' ? bounds[0] : items[i]);
      last = first;
      if (bounds[1] != NULL)
        {
          last = parse_day (bounds[1]);
          if (last == G_DATE_BAD_WEEKDAY)
            return set_bad_day (error, bounds[1][0] != '\0' ? bounds[1] : items[i]);
        }

      for (wd = (int) first; ; wd = wd % 7 + 1)
        {
          weekdays |= RELANCE_WEEKDAY_BIT (wd);
          if (wd == (int) last)
            break;
        }
    }

  *out_weekdays = weekdays;
  return TRUE;
}

/* H:MM or HH:MM, 00:00 … 24:00. */
static gboolean
parse_time (const char  *text,
            int         *out_minute,
            GError     **error)
{
  const char *p = text;
  int hours = 0, minutes = 0, n = 0;

  while (g_ascii_isdigit (*p) && n < 2)
    {
      hours = hours * 10 + (*p - '0');
      p++;
      n++;
    }
  if (n == 0 || *p++ != ':')
    goto bad;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || p[2] != '\0')
    goto bad;
  minutes = (p[0] - '0') * 10 + (p[1] - '0');
  if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0))
    goto bad;

  *out_minute = hours * 60 + minutes;
  return TRUE;

bad:
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               _("“%s” is not a time of day. Write hours from 00 to 24 and minutes from 00 "
                 "to 59, for example “08:30”."),
               text);
  return FALSE;
}

static char *
strip_spaces (const char *text,
              gsize       len)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len && text[i] != '\0'; i++)
    if (!g_ascii_isspace (text[i]))
      g_string_append_c (s, text[i]);
  return g_string_free (s, FALSE);
}

/**
 * relance_send_window_parse:
 * @text: days then hours, such as "mon-fri 09:00-18:00" or "mon,tue,thu 08:30-12:00"
 * @out_window: (out): the window, untouched on error
 *
 * Day names are the English abbreviations (or full names), case-insensitive; spaces
 * around "," and "-" are tolerated. The hours are local to the client and the end is
 * exclusive; "24:00" stands for midnight at the end of the day.
 *
 * Returns: %TRUE on success, %FALSE with a user-readable @error otherwise
 */
gboolean
relance_send_window_parse (const char         *text,
                           RelanceSendWindow  *out_window,
                           GError            **error)
{
  g_autofree char *days = NULL;
  g_autofree char *hours = NULL;
  g_auto(GStrv) times = NULL;
  RelanceSendWindow window;
  const char *digit;

  g_return_val_if_fail (out_window != NULL, FALSE);

  if (text == NULL)
    text = "";

  /* The days are words and the hours start with a digit: that is where they split. */
  digit = text;
  while (*digit != '\0' && !g_ascii_isdigit (*digit))
    digit++;
  days = strip_spaces (text, (gsize) (digit - text));
  hours = strip_spaces (digit, strlen (digit));

  if (*days == '\0' && *hours == '\0')
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The send window is empty. Write the days and the hours, for example "
                     "“mon-fri 09:00-18:00”."));
      return FALSE;
    }
  if (*hours == '\0')
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The send window “%s” has no hours. Write the days and the hours, for "
                     "example “mon-fri 09:00-18:00”."),
                   text);
      return FALSE;
    }
  if (*days == '\0')
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The send window “%s” has no days. Write the days before the hours, "
                     "for example “mon-fri 09:00-18:00”."),
                   text);
      return FALSE;
    }

  if (!parse_days (days, &window.weekdays, error))
    return FALSE;

  times = g_strsplit (hours, "-", -1);
  if (g_strv_length (times) != 2)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("“%s” is not a range of hours. Write the start and end times as "
                     "HH:MM-HH:MM, for example “09:00-18:00”."),
                   hours);
      return FALSE;
    }
  if (!parse_time (times[0], &window.start_minute, error)
      || !parse_time (times[1], &window.end_minute, error))
    return FALSE;
  if (window.end_minute <= window.start_minute)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The send window must end after it starts: %s is not later than %s. "
                     "A window cannot run past midnight."),
                   times[1], times[0]);
      return FALSE;
    }

  *out_window = window;
  return TRUE;
}

/**
 * relance_send_window_to_string:
 *
 * The inverse of relance_send_window_parse(): runs of three days or more become a range
 * ("mon-fri"), shorter ones a list ("mon,tue,thu"). A window with no day is written
 * "none", which the parser refuses on purpose.
 *
 * Returns: (transfer full): the window, such as "mon-fri 09:00-18:00"
 */
char *
relance_send_window_to_string (const RelanceSendWindow *window)
{
  GString *s;
  int wd = G_DATE_MONDAY;

  g_return_val_if_fail (window != NULL, NULL);

  s = g_string_new (NULL);
  while (wd <= G_DATE_SUNDAY)
    {
      int last = wd;

      if ((window->weekdays & RELANCE_WEEKDAY_BIT (wd)) == 0)
        {
          wd++;
          continue;
        }
      while (last < G_DATE_SUNDAY && (window->weekdays & RELANCE_WEEKDAY_BIT (last + 1)) != 0)
        last++;

      if (s->len > 0)
        g_string_append_c (s, ',');
      if (last - wd >= 2)
        g_string_append_printf (s, "%s-%s", day_names[wd], day_names[last]);
      else
        for (int d = wd; d <= last; d++)
          g_string_append_printf (s, "%s%s", d > wd ? "," : "", day_names[d]);
      wd = last + 1;
    }
  if (s->len == 0)
    g_string_append (s, "none");

  g_string_append_printf (s, " %02d:%02d-%02d:%02d",
                          window->start_minute / 60, window->start_minute % 60,
                          window->end_minute / 60, window->end_minute % 60);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Time zones                                                                           */

/**
 * relance_timezone_is_valid:
 * @iana: an IANA time zone identifier such as "Europe/Paris"
 *
 * GLib also accepts fixed offsets ("+01:00"), POSIX TZ rules and file paths; they are
 * refused here because a client's zone must follow its daylight saving time.
 *
 * Returns: %TRUE if @iana names a time zone known to this system
 */
gboolean
relance_timezone_is_valid (const char *iana)
{
  g_autoptr(GTimeZone) tz = NULL;

  static const char * const legacy_with_digits[] = {
    "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", NULL,
  };
  gboolean has_digit = FALSE;

  if (iana == NULL || !g_ascii_isalpha (iana[0]) || strstr (iana, "..") != NULL)
    return FALSE;
  for (const char *p = iana; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("/_-+", *p) == NULL)
        return FALSE;
      has_digit |= g_ascii_isdigit (*p);
    }

  /* "ABC5" would be read as a POSIX rule; zone names with digits have a "/" ("Etc/GMT+5")
   * but for four legacy ones. */
  if (has_digit && strchr (iana, '/') == NULL
      && !g_strv_contains (legacy_with_digits, iana))
    return FALSE;

  tz = g_time_zone_new_identifier (iana);
  return tz != NULL;
}
