/* relance-calendar.c: public holidays computed from their rules, working days, and the
 * first moment the send window allows on a working day (the window itself is
 * relance-send-window.c).
 *
 * Everything is integer and GDate arithmetic. Wall-clock times are always built with
 * g_date_time_new (tz, …) rather than by adding minutes to midnight, so that "09:00" on the
 * day clocks change is still 09:00 on the client's clock. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-calendar-private.h"

/* Far enough for a window of one weekday to clear a long run of holidays, and a bound so
 * that a window no day can satisfy cannot loop forever. */
#define MAX_SEARCH_DAYS 400

/* Easter needs the Gregorian calendar; the upper bound keeps year + 1 inside GDateTime. */
#define FIRST_YEAR 1583
#define LAST_YEAR  9998

typedef enum
{
  RULE_FIXED,        /* month, day */
  RULE_EASTER,       /* day = days after Easter Sunday (negative before) */
  RULE_NTH_WEEKDAY,  /* day = 1 for the first @weekday of month, 2 for the second… */
  RULE_LAST_WEEKDAY, /* the last @weekday of month */
  RULE_ST_BRIGID,    /* Ireland: 1 February if a Friday, else the first Monday of February */
} RuleKind;

typedef struct
{
  RuleKind      kind;
  int           month;
  int           day;
  GDateWeekday  weekday;
  int           first_year;
  const char   *name;
  const char   *moved_name; /* RULE_FIXED only: the name of the day off when it moves */
} HolidayRule;

/* What happens when a fixed-date holiday falls on a Saturday or a Sunday. */
typedef enum
{
  WEEKEND_STAYS,            /* France, Belgium: the holiday is simply lost */
  WEEKEND_NEXT_WORKING_DAY, /* UK, Ireland: the next weekday that is not already a holiday */
  WEEKEND_NEAREST_WEEKDAY,  /* US: Saturday → the Friday before, Sunday → the Monday after */
} WeekendRule;

typedef struct
{
  const char        *id;
  const HolidayRule *rules;
  gsize              n_rules;
  const HolidayRule *extra_rules;
  gsize              n_extra_rules;
  WeekendRule        weekend;
} RegionInfo;

typedef struct
{
  GDate       date;
  const char *name;       /* untranslated */
  const char *moved_name; /* untranslated, may be NULL */
  gboolean    day_off;    /* a day the authorities publish as off */
} HolidayEntry;

#define FIXED(m, d, name, moved) { RULE_FIXED, m, d, G_DATE_BAD_WEEKDAY, 0, name, moved }
#define EASTER(offset, name)     { RULE_EASTER, 0, offset, G_DATE_BAD_WEEKDAY, 0, name, NULL }
#define NTH(n, wd, m, name)      { RULE_NTH_WEEKDAY, m, n, wd, 0, name, NULL }
#define LAST(wd, m, name)        { RULE_LAST_WEEKDAY, m, 0, wd, 0, name, NULL }

static const HolidayRule fr_rules[] = {
  FIXED (1, 1, N_("New Year’s Day"), NULL),
  EASTER (1, N_("Easter Monday")),
  FIXED (5, 1, N_("Labour Day"), NULL),
  /* Translators: 8 May in France, end of the Second World War in Europe. */
  FIXED (5, 8, N_("Victory in Europe Day"), NULL),
  EASTER (39, N_("Ascension Day")),
  EASTER (50, N_("Whit Monday")),
  /* Translators: the national holiday of France (14 July) or of Belgium (21 July). */
  FIXED (7, 14, N_("National Day"), NULL),
  FIXED (8, 15, N_("Assumption Day"), NULL),
  FIXED (11, 1, N_("All Saints’ Day"), NULL),
  FIXED (11, 11, N_("Armistice Day"), NULL),
  FIXED (12, 25, N_("Christmas Day"), NULL),
};

/* Alsace and Moselle keep two holidays of the local law inherited from before 1918. */
static const HolidayRule fr_alsace_moselle_rules[] = {
  EASTER (-2, N_("Good Friday")),
  FIXED (12, 26, N_("St Stephen’s Day"), NULL),
};

static const HolidayRule gb_rules[] = {
  FIXED (1, 1, N_("New Year’s Day"), N_("New Year’s Day (substitute day)")),
  EASTER (-2, N_("Good Friday")),
  EASTER (1, N_("Easter Monday")),
  NTH (1, G_DATE_MONDAY, 5, N_("Early May bank holiday")),
  LAST (G_DATE_MONDAY, 5, N_("Spring bank holiday")),
  LAST (G_DATE_MONDAY, 8, N_("Summer bank holiday")),
  FIXED (12, 25, N_("Christmas Day"), N_("Christmas Day (substitute day)")),
  FIXED (12, 26, N_("Boxing Day"), N_("Boxing Day (substitute day)")),
};

static const HolidayRule ie_rules[] = {
  FIXED (1, 1, N_("New Year’s Day"), N_("New Year’s Day (substitute day)")),
  { RULE_ST_BRIGID, 2, 0, G_DATE_MONDAY, 2023, N_("St Brigid’s Day"), NULL },
  FIXED (3, 17, N_("St Patrick’s Day"), N_("St Patrick’s Day (substitute day)")),
  EASTER (1, N_("Easter Monday")),
  NTH (1, G_DATE_MONDAY, 5, N_("May bank holiday")),
  NTH (1, G_DATE_MONDAY, 6, N_("June bank holiday")),
  NTH (1, G_DATE_MONDAY, 8, N_("August bank holiday")),
  LAST (G_DATE_MONDAY, 10, N_("October bank holiday")),
  FIXED (12, 25, N_("Christmas Day"), N_("Christmas Day (substitute day)")),
  FIXED (12, 26, N_("St Stephen’s Day"), N_("St Stephen’s Day (substitute day)")),
};

static const HolidayRule be_rules[] = {
  FIXED (1, 1, N_("New Year’s Day"), NULL),
  EASTER (1, N_("Easter Monday")),
  FIXED (5, 1, N_("Labour Day"), NULL),
  EASTER (39, N_("Ascension Day")),
  EASTER (50, N_("Whit Monday")),
  FIXED (7, 21, N_("National Day"), NULL),
  FIXED (8, 15, N_("Assumption Day"), NULL),
  FIXED (11, 1, N_("All Saints’ Day"), NULL),
  FIXED (11, 11, N_("Armistice Day"), NULL),
  FIXED (12, 25, N_("Christmas Day"), NULL),
};

static const HolidayRule us_rules[] = {
  FIXED (1, 1, N_("New Year’s Day"), N_("New Year’s Day (observed)")),
  NTH (3, G_DATE_MONDAY, 1, N_("Birthday of Martin Luther King, Jr.")),
  NTH (3, G_DATE_MONDAY, 2, N_("Washington’s Birthday")),
  LAST (G_DATE_MONDAY, 5, N_("Memorial Day")),
  { RULE_FIXED, 6, 19, G_DATE_BAD_WEEKDAY, 2021, N_("Juneteenth National Independence Day"),
    N_("Juneteenth National Independence Day (observed)") },
  FIXED (7, 4, N_("Independence Day"), N_("Independence Day (observed)")),
  NTH (1, G_DATE_MONDAY, 9, N_("Labor Day")),
  NTH (2, G_DATE_MONDAY, 10, N_("Columbus Day")),
  FIXED (11, 11, N_("Veterans Day"), N_("Veterans Day (observed)")),
  NTH (4, G_DATE_THURSDAY, 11, N_("Thanksgiving Day")),
  FIXED (12, 25, N_("Christmas Day"), N_("Christmas Day (observed)")),
};

#undef FIXED
#undef EASTER
#undef NTH
#undef LAST

static const RegionInfo *
region_info (RelanceCalendarRegion region)
{
  static const RegionInfo fr = {
    "fr", fr_rules, G_N_ELEMENTS (fr_rules), NULL, 0, WEEKEND_STAYS
  };
  static const RegionInfo fr_am = {
    "fr-alsace-moselle", fr_rules, G_N_ELEMENTS (fr_rules),
    fr_alsace_moselle_rules, G_N_ELEMENTS (fr_alsace_moselle_rules), WEEKEND_STAYS
  };
  static const RegionInfo gb = {
    "gb", gb_rules, G_N_ELEMENTS (gb_rules), NULL, 0, WEEKEND_NEXT_WORKING_DAY
  };
  static const RegionInfo ie = {
    "ie", ie_rules, G_N_ELEMENTS (ie_rules), NULL, 0, WEEKEND_NEXT_WORKING_DAY
  };
  static const RegionInfo be = {
    "be", be_rules, G_N_ELEMENTS (be_rules), NULL, 0, WEEKEND_STAYS
  };
  static const RegionInfo us = {
    "us", us_rules, G_N_ELEMENTS (us_rules), NULL, 0, WEEKEND_NEAREST_WEEKDAY
  };

  switch (region)
    {
    case RELANCE_CALENDAR_FR:
      return &fr;
    case RELANCE_CALENDAR_FR_ALSACE_MOSELLE:
      return &fr_am;
    case RELANCE_CALENDAR_GB:
      return &gb;
    case RELANCE_CALENDAR_IE:
      return &ie;
    case RELANCE_CALENDAR_BE:
      return &be;
    case RELANCE_CALENDAR_US:
      return &us;
    default:
      g_return_val_if_reached (&fr);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Computing the dates                                                                  */

static void
date_set (GDate *date,
          int    year,
          int    month,
          int    day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
is_weekend (const GDate *date)
{
  GDateWeekday wd = g_date_get_weekday (date);

  return wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY;
}

/* The anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
static void
easter_sunday (int    year,
               GDate *out)
{
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;

  date_set (out, year, month, day);
}

static void
nth_weekday (int           year,
             int           month,
             GDateWeekday  weekday,
             int           nth,
             GDate        *out)
{
  int first_wd;

  date_set (out, year, month, 1);
  first_wd = (int) g_date_get_weekday (out);
  g_date_add_days (out, (guint) (((int) weekday - first_wd + 7) % 7 + 7 * (nth - 1)));
}

static void
last_weekday (int           year,
              int           month,
              GDateWeekday  weekday,
              GDate        *out)
{
  int last_wd;

  date_set (out, year, month, g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year));
  last_wd = (int) g_date_get_weekday (out);
  g_date_subtract_days (out, (guint) ((last_wd - (int) weekday + 7) % 7));
}

static void
rule_date (const HolidayRule *rule,
           int                year,
           GDate             *out)
{
  switch (rule->kind)
    {
    case RULE_FIXED:
      date_set (out, year, rule->month, rule->day);
      break;
    case RULE_EASTER:
      easter_sunday (year, out);
      if (rule->day >= 0)
        g_date_add_days (out, (guint) rule->day);
      else
        g_date_subtract_days (out, (guint) -rule->day);
      break;
    case RULE_NTH_WEEKDAY:
      nth_weekday (year, rule->month, rule->weekday, rule->day, out);
      break;
    case RULE_LAST_WEEKDAY:
      last_weekday (year, rule->month, rule->weekday, out);
      break;
    case RULE_ST_BRIGID:
      date_set (out, year, 2, 1);
      if (g_date_get_weekday (out) != G_DATE_FRIDAY)
        nth_weekday (year, 2, G_DATE_MONDAY, 1, out);
      break;
    default:
      g_assert_not_reached ();
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return g_date_compare (&((const HolidayEntry *) a)->date, &((const HolidayEntry *) b)->date);
}

static gboolean
is_day_off_in (GArray      *entries,
               const GDate *date)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const HolidayEntry *e = &g_array_index (entries, HolidayEntry, i);

      if (e->day_off && g_date_compare (&e->date, date) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
append_rules (GArray            *entries,
              const HolidayRule *rules,
              gsize              n_rules,
              int                year)
{
  for (gsize i = 0; i < n_rules; i++)
    {
      HolidayEntry e = { .name = rules[i].name, .moved_name = rules[i].moved_name };

      if (year < rules[i].first_year)
        continue;
      rule_date (&rules[i], year, &e.date);
      g_array_append_val (entries, e);
    }
}

/* Appends to @out every holiday of the rules of @year: the feast days themselves and, when
 * one falls on a weekend, the day off given instead (which may lie in another year). */
static void
collect_year (const RegionInfo *info,
              int               year,
              GArray           *out)
{
  g_autoptr(GArray) entries = NULL;
  guint n_feasts;

  if (year < FIRST_YEAR || year > LAST_YEAR)
    return;

  entries = g_array_new (FALSE, TRUE, sizeof (HolidayEntry));
  append_rules (entries, info->rules, info->n_rules, year);
  append_rules (entries, info->extra_rules, info->n_extra_rules, year);
  g_array_sort (entries, compare_entries);

  n_feasts = entries->len;
  for (guint i = 0; i < n_feasts; i++)
    {
      HolidayEntry *e = &g_array_index (entries, HolidayEntry, i);

      e->day_off = info->weekend == WEEKEND_STAYS || !is_weekend (&e->date);
    }

  /* Feasts are in date order, so Christmas claims its substitute day before Boxing Day. */
  for (guint i = 0; i < n_feasts && info->weekend != WEEKEND_STAYS; i++)
    {
      HolidayEntry moved = g_array_index (entries, HolidayEntry, i);

      if (moved.day_off)
        continue;
      moved.day_off = TRUE;
      if (moved.moved_name != NULL)
        moved.name = moved.moved_name;

      if (info->weekend == WEEKEND_NEAREST_WEEKDAY)
        {
          if (g_date_get_weekday (&moved.date) == G_DATE_SATURDAY)
            g_date_subtract_days (&moved.date, 1);
          else
            g_date_add_days (&moved.date, 1);
        }
      else
        {
          do
            g_date_add_days (&moved.date, 1);
          while (is_weekend (&moved.date) || is_day_off_in (entries, &moved.date));
        }
      g_array_append_val (entries, moved);
    }

  g_array_append_vals (out, entries->data, entries->len);
}

/* Holidays whose rules belong to year - 1 … year + 1: enough to know every day of @year,
 * since a moved day off never travels further than into the neighbouring year. */
static GArray *
collect_around (const RegionInfo *info,
                int               year)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (HolidayEntry));

  for (int y = year - 1; y <= year + 1; y++)
    collect_year (info, y, entries);
  return entries;
}

/* The planner asks for the same few years hundreds of thousands of times: the holidays of
 * a (region, year) never change, so they are computed once per process and shared,
 * read-only, between threads. */
static GArray *
holidays_around (const RegionInfo *info,
                 int               year)
{
  static GMutex lock;
  static GHashTable *cache; /* (RegionInfo*, year) → GArray */
  gpointer key = GSIZE_TO_POINTER (((gsize) info << 16) ^ (gsize) year);
  GArray *entries;

  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                   (GDestroyNotify) g_array_unref);
  entries = g_hash_table_lookup (cache, key);
  if (entries == NULL)
    {
      entries = collect_around (info, year);
      g_hash_table_insert (cache, key, entries);
    }
  g_array_ref (entries);
  g_mutex_unlock (&lock);
  return entries;
}

/* A published day off wins over a feast that fell on a weekend on the same date. */
static const char *
lookup_name (GArray      *entries,
             const GDate *date)
{
  const char *feast = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      const HolidayEntry *e = &g_array_index (entries, HolidayEntry, i);

      if (g_date_compare (&e->date, date) != 0)
        continue;
      if (e->day_off)
        return e->name;
      if (feast == NULL)
        feast = e->name;
    }
  return feast;
}

/* ------------------------------------------------------------------------------------ */
/* Regions                                                                              */

/**
 * relance_calendar_region_from_string:
 * @country_or_name: an ISO 3166 code ("FR", "GB", "UK"…), a subdivision ("FR-57") or a
 *   region id as written by relance_calendar_region_to_string() ("fr-alsace-moselle")
 * @out_region: (out): the region
 *
 * Case-insensitive; "_" and "-" are equivalent. Scotland and Northern Ireland are not
 * recognised, on purpose: their bank holidays differ from England and Wales.
 *
 * Returns: %TRUE if @country_or_name names a supported calendar
 */
gboolean
relance_calendar_region_from_string (const char            *country_or_name,
                                     RelanceCalendarRegion *out_region)
{
  static const struct {
    const char            *name;
    RelanceCalendarRegion  region;
  } names[] = {
    { "fr", RELANCE_CALENDAR_FR },
    { "france", RELANCE_CALENDAR_FR },
    { "fr-alsace", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "fr-moselle", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "fr-alsace-moselle", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    /* Départements of Bas-Rhin, Haut-Rhin, Moselle, and the Collectivité européenne
     * d'Alsace, as ISO 3166-2 writes them. */
    { "fr-67", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "fr-68", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "fr-57", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "fr-6ae", RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
    { "gb", RELANCE_CALENDAR_GB },
    { "uk", RELANCE_CALENDAR_GB },
    { "gb-eng", RELANCE_CALENDAR_GB },
    { "gb-wls", RELANCE_CALENDAR_GB },
    { "ie", RELANCE_CALENDAR_IE },
    { "be", RELANCE_CALENDAR_BE },
    { "us", RELANCE_CALENDAR_US },
    { "usa", RELANCE_CALENDAR_US },
  };
  g_autofree char *key = NULL;

  g_return_val_if_fail (out_region != NULL, FALSE);

  if (country_or_name == NULL)
    return FALSE;

  key = g_strstrip (g_ascii_strdown (country_or_name, -1));
  g_strdelimit (key, "_", '-');

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strcmp (key, names[i].name) == 0)
        {
          *out_region = names[i].region;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * relance_calendar_region_to_string:
 *
 * Returns: the stable, untranslated id of @region, for settings and the command line
 */
const char *
relance_calendar_region_to_string (RelanceCalendarRegion region)
{
  return region_info (region)->id;
}

/**
 * relance_calendar_region_get_name:
 *
 * Returns: the translated name of @region, for the preferences
 */
const char *
relance_calendar_region_get_name (RelanceCalendarRegion region)
{
  switch (region)
    {
    case RELANCE_CALENDAR_FR:
      return _("France");
    case RELANCE_CALENDAR_FR_ALSACE_MOSELLE:
      return _("France (Alsace-Moselle)");
    case RELANCE_CALENDAR_GB:
      return _("United Kingdom (England and Wales)");
    case RELANCE_CALENDAR_IE:
      return _("Ireland");
    case RELANCE_CALENDAR_BE:
      return _("Belgium");
    case RELANCE_CALENDAR_US:
      return _("United States (federal holidays)");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Holidays and working days                                                            */

/**
 * relance_calendar_holiday_name:
 * @region: the calendar
 * @date: a valid date
 *
 * Knows both the days off (a substitute Monday, a US "observed" Friday) and the feast days
 * themselves when they fall on a weekend: nobody wants a dunning email on Christmas Day,
 * even when the send window includes Saturdays.
 *
 * Returns: (nullable): the translated name of the holiday on @date, or %NULL
 */
const char *
relance_calendar_holiday_name (RelanceCalendarRegion  region,
                               const GDate           *date)
{
  g_autoptr(GArray) entries = NULL;
  const char *name;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  entries = collect_around (region_info (region), g_date_get_year (date));
  name = lookup_name (entries, date);
  return name != NULL ? _(name) : NULL;
}

gboolean
relance_calendar_is_holiday (RelanceCalendarRegion  region,
                             const GDate           *date)
{
  return relance_calendar_holiday_name (region, date) != NULL;
}

/**
 * relance_calendar_is_working_day:
 * @window: (nullable): whose weekdays count as working days; %NULL for Monday to Friday
 *
 * Returns: %TRUE if @date is one of the window's weekdays and not a holiday
 */
gboolean
relance_calendar_is_working_day (RelanceCalendarRegion    region,
                                 const RelanceSendWindow *window,
                                 const GDate             *date)
{
  RelanceSendWindow fallback;

  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (window == NULL)
    {
      relance_send_window_init_default (&fallback);
      window = &fallback;
    }
  if ((window->weekdays & RELANCE_WEEKDAY_BIT (g_date_get_weekday (date))) == 0)
    return FALSE;
  return !relance_calendar_is_holiday (region, date);
}

/**
 * relance_calendar_holidays:
 * @region: the calendar
 * @year: a year from 1583 to 9998
 *
 * Lists the days off of @year as the authorities publish them: in the UK, Ireland and the
 * US a holiday that falls on a weekend is replaced by its substitute or observed day, and
 * the list holds that day, in the year it falls in (so the US list for 2027 ends with
 * Friday 31 December, New Year's Day 2028 observed). France and Belgium do not move
 * holidays, so their lists include the ones on weekends.
 *
 * Returns: (transfer full) (element-type GDate): the sorted dates, without duplicates
 */
GArray *
relance_calendar_holidays (RelanceCalendarRegion region,
                           int                   year)
{
  g_autoptr(GArray) entries = collect_around (region_info (region), year);
  GArray *dates = g_array_new (FALSE, TRUE, sizeof (GDate));

  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      const HolidayEntry *e = &g_array_index (entries, HolidayEntry, i);

      if (!e->day_off || (int) g_date_get_year (&e->date) != year)
        continue;
      if (dates->len > 0
          && g_date_compare (&g_array_index (dates, GDate, dates->len - 1), &e->date) == 0)
        continue;
      g_array_append_val (dates, e->date);
    }
  return dates;
}

/* ------------------------------------------------------------------------------------ */
/* The first moment to send                                                             */

/**
 * relance_calendar_next_send_time:
 * @region: the holidays to skip (the client's country)
 * @window: (nullable): the send window; %NULL for Monday to Friday, 09:00 to 18:00
 * @tz: the client's time zone; the window's hours are read on its clock
 * @not_before: the earliest acceptable instant, in any time zone
 *
 * The window's end is exclusive: at 18:00 sharp the next chance is the next working day.
 * A start time that does not exist on a spring-forward day (02:30 in Paris) becomes the
 * first time after the gap, as GLib resolves it.
 *
 * Returns: (transfer full) (nullable): the first instant at or after @not_before inside the
 *   window on a working day, in @tz; %NULL if the window has no day or no hours, or if no
 *   such instant exists within 400 days
 */
GDateTime *
relance_calendar_next_send_time (RelanceCalendarRegion    region,
                                 const RelanceSendWindow *window,
                                 GTimeZone               *tz,
                                 GDateTime               *not_before)
{
  const RegionInfo *info = region_info (region);
  RelanceSendWindow fallback;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GArray) holidays = NULL;
  int holidays_year = 0;
  GDate day;

  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (not_before != NULL, NULL);

  if (window == NULL)
    {
      relance_send_window_init_default (&fallback);
      window = &fallback;
    }
  if (!relance_send_window_is_usable (window))
    return NULL;

  local = g_date_time_to_timezone (not_before, tz);
  if (local == NULL)
    return NULL;
  date_set (&day,
            g_date_time_get_year (local),
            g_date_time_get_month (local),
            g_date_time_get_day_of_month (local));

  for (int i = 0; i <= MAX_SEARCH_DAYS; i++, g_date_add_days (&day, 1))
    {
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      int year = g_date_get_year (&day);

      if ((window->weekdays & RELANCE_WEEKDAY_BIT (g_date_get_weekday (&day))) == 0)
        continue;

      if (holidays == NULL || holidays_year != year)
        {
          g_clear_pointer (&holidays, g_array_unref);
          holidays = holidays_around (info, year);
          holidays_year = year;
        }
      if (lookup_name (holidays, &day) != NULL)
        continue;

      start = relance_send_window_wall_clock (tz, &day, window->start_minute);
      end = relance_send_window_wall_clock (tz, &day, window->end_minute);
      if (start == NULL || end == NULL)
        return NULL;

      if (g_date_time_compare (local, start) < 0)
        return g_steal_pointer (&start);
      if (g_date_time_compare (local, end) < 0)
        return g_steal_pointer (&local);
    }

  return NULL;
}
