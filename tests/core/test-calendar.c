/* test-calendar.c: public holidays against the published lists, working days, and the
 * next instant a reminder may go out in the client's time zone. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "relance-calendar.h"
#include "relance-error.h"

static void
date_from_iso (const char *iso,
               GDate      *out)
{
  int y, m, d;

  g_assert_cmpint (sscanf (iso, "%d-%d-%d", &y, &m, &d), ==, 3);
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  g_assert_true (g_date_valid (out));
}

/* ------------------------------------------------------------------------------------ */
/* The full lists, written from service-public.fr, belgium.be, gov.uk/bank-holidays,
 * gov.ie and opm.gov. Easter: 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16,
 * 2029-04-01, 2030-04-21. */

typedef struct
{
  RelanceCalendarRegion  region;
  int                    year;
  const char            *dates; /* MM-DD, space separated, sorted */
} YearCase;

static const YearCase year_cases[] = {
  /* France: nothing moves; Easter Monday, Ascension (+39), Whit Monday (+50). */
  { RELANCE_CALENDAR_FR, 2025,
    "01-01 04-21 05-01 05-08 05-29 06-09 07-14 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_FR, 2026,
    "01-01 04-06 05-01 05-08 05-14 05-25 07-14 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_FR, 2027,
    "01-01 03-29 05-01 05-06 05-08 05-17 07-14 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_FR, 2028,
    "01-01 04-17 05-01 05-08 05-25 06-05 07-14 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_FR, 2029,
    "01-01 04-02 05-01 05-08 05-10 05-21 07-14 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_FR, 2030,
    "01-01 04-22 05-01 05-08 05-30 06-10 07-14 08-15 11-01 11-11 12-25" },

  /* Alsace-Moselle: plus Good Friday and 26 December. */
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2025,
    "01-01 04-18 04-21 05-01 05-08 05-29 06-09 07-14 08-15 11-01 11-11 12-25 12-26" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2026,
    "01-01 04-03 04-06 05-01 05-08 05-14 05-25 07-14 08-15 11-01 11-11 12-25 12-26" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2027,
    "01-01 03-26 03-29 05-01 05-06 05-08 05-17 07-14 08-15 11-01 11-11 12-25 12-26" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2028,
    "01-01 04-14 04-17 05-01 05-08 05-25 06-05 07-14 08-15 11-01 11-11 12-25 12-26" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2029,
    "01-01 03-30 04-02 05-01 05-08 05-10 05-21 07-14 08-15 11-01 11-11 12-25 12-26" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, 2030,
    "01-01 04-19 04-22 05-01 05-08 05-30 06-10 07-14 08-15 11-01 11-11 12-25 12-26" },

  /* Belgium: nothing moves either. */
  { RELANCE_CALENDAR_BE, 2025, "01-01 04-21 05-01 05-29 06-09 07-21 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_BE, 2026, "01-01 04-06 05-01 05-14 05-25 07-21 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_BE, 2027, "01-01 03-29 05-01 05-06 05-17 07-21 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_BE, 2028, "01-01 04-17 05-01 05-25 06-05 07-21 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_BE, 2029, "01-01 04-02 05-01 05-10 05-21 07-21 08-15 11-01 11-11 12-25" },
  { RELANCE_CALENDAR_BE, 2030, "01-01 04-22 05-01 05-30 06-10 07-21 08-15 11-01 11-11 12-25" },

  /* England and Wales: weekend holidays move to substitute days (gov.uk lists those). */
  { RELANCE_CALENDAR_GB, 2025, "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26" },
  { RELANCE_CALENDAR_GB, 2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28" },
  { RELANCE_CALENDAR_GB, 2027, "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28" },
  { RELANCE_CALENDAR_GB, 2028, "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26" },
  { RELANCE_CALENDAR_GB, 2029, "01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26" },
  { RELANCE_CALENDAR_GB, 2030, "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26" },

  /* Ireland: St Brigid's Day on 1 February when a Friday (2030), St Patrick's Day moved
   * off a weekend (2029, 2030). */
  { RELANCE_CALENDAR_IE, 2025, "01-01 02-03 03-17 04-21 05-05 06-02 08-04 10-27 12-25 12-26" },
  { RELANCE_CALENDAR_IE, 2026, "01-01 02-02 03-17 04-06 05-04 06-01 08-03 10-26 12-25 12-28" },
  { RELANCE_CALENDAR_IE, 2027, "01-01 02-01 03-17 03-29 05-03 06-07 08-02 10-25 12-27 12-28" },
  { RELANCE_CALENDAR_IE, 2028, "01-03 02-07 03-17 04-17 05-01 06-05 08-07 10-30 12-25 12-26" },
  { RELANCE_CALENDAR_IE, 2029, "01-01 02-05 03-19 04-02 05-07 06-04 08-06 10-29 12-25 12-26" },
  { RELANCE_CALENDAR_IE, 2030, "01-01 02-01 03-18 04-22 05-06 06-03 08-05 10-28 12-25 12-26" },

  /* US federal: Saturday → Friday, Sunday → Monday; New Year's Day 2028 (a Saturday) is
   * observed on Friday 2027-12-31 and belongs to the 2027 list. */
  { RELANCE_CALENDAR_US, 2025,
    "01-01 01-20 02-17 05-26 06-19 07-04 09-01 10-13 11-11 11-27 12-25" },
  { RELANCE_CALENDAR_US, 2026,
    "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 12-25" },
  { RELANCE_CALENDAR_US, 2027,
    "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 11-25 12-24 12-31" },
  { RELANCE_CALENDAR_US, 2028,
    "01-17 02-21 05-29 06-19 07-04 09-04 10-09 11-10 11-23 12-25" },
  { RELANCE_CALENDAR_US, 2029,
    "01-01 01-15 02-19 05-28 06-19 07-04 09-03 10-08 11-12 11-22 12-25" },
  { RELANCE_CALENDAR_US, 2030,
    "01-01 01-21 02-18 05-27 06-19 07-04 09-02 10-14 11-11 11-28 12-25" },
};

static void
test_holidays_by_year (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (year_cases); i++)
    {
      const YearCase *c = &year_cases[i];
      g_autoptr(GArray) dates = relance_calendar_holidays (c->region, c->year);
      g_autoptr(GString) got = g_string_new (NULL);

      for (guint j = 0; j < dates->len; j++)
        {
          const GDate *d = &g_array_index (dates, GDate, j);

          g_assert_cmpint (g_date_get_year (d), ==, c->year);
          g_string_append_printf (got, "%s%02d-%02d", j > 0 ? " " : "",
                                  g_date_get_month (d), g_date_get_day (d));
          /* Every listed day off has a name and is not a working day. */
          g_assert_nonnull (relance_calendar_holiday_name (c->region, d));
          g_assert_false (relance_calendar_is_working_day (c->region, NULL, d));
        }
      g_test_message ("%s %d", relance_calendar_region_to_string (c->region), c->year);
      g_assert_cmpstr (got->str, ==, c->dates);
    }
}

/* Easter Sunday from the Meeus/Jones/Butcher algorithm, seen through Easter Monday (France)
 * and Good Friday (England), including the earliest and latest possible dates. */
static void
test_easter (void)
{
  static const char * const easter_sundays[] = {
    "1818-03-22", "1943-04-25", "2000-04-23", "2019-04-21", "2024-03-31", "2025-04-20",
    "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01", "2030-04-21", "2038-04-25",
    "2285-03-22",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (easter_sundays); i++)
    {
      GDate sunday, monday, friday;

      date_from_iso (easter_sundays[i], &sunday);
      monday = sunday;
      g_date_add_days (&monday, 1);
      friday = sunday;
      g_date_subtract_days (&friday, 2);

      g_test_message ("Easter %s", easter_sundays[i]);
      g_assert_cmpstr (relance_calendar_holiday_name (RELANCE_CALENDAR_FR, &monday), ==,
                       "Easter Monday");
      g_assert_cmpstr (relance_calendar_holiday_name (RELANCE_CALENDAR_GB, &friday), ==,
                       "Good Friday");
      g_assert_null (relance_calendar_holiday_name (RELANCE_CALENDAR_FR, &friday));
    }
}

typedef struct
{
  RelanceCalendarRegion  region;
  const char            *date;
  const char            *name; /* NULL: not a holiday */
} NameCase;

static const NameCase name_cases[] = {
  { RELANCE_CALENDAR_FR, "2026-07-14", "National Day" },
  { RELANCE_CALENDAR_FR, "2026-05-08", "Victory in Europe Day" },
  { RELANCE_CALENDAR_FR, "2026-11-11", "Armistice Day" },
  { RELANCE_CALENDAR_FR, "2026-05-14", "Ascension Day" },
  { RELANCE_CALENDAR_FR, "2026-07-15", NULL },
  { RELANCE_CALENDAR_FR, "2026-12-26", NULL },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, "2026-12-26", "St Stephen’s Day" },
  { RELANCE_CALENDAR_FR_ALSACE_MOSELLE, "2026-04-03", "Good Friday" },
  { RELANCE_CALENDAR_BE, "2026-07-21", "National Day" },
  { RELANCE_CALENDAR_BE, "2026-07-14", NULL },
  /* The substitute days carry their own name; the feast itself stays a holiday. */
  { RELANCE_CALENDAR_GB, "2027-12-27", "Christmas Day (substitute day)" },
  { RELANCE_CALENDAR_GB, "2027-12-28", "Boxing Day (substitute day)" },
  { RELANCE_CALENDAR_GB, "2027-12-25", "Christmas Day" },
  { RELANCE_CALENDAR_GB, "2026-12-28", "Boxing Day (substitute day)" },
  { RELANCE_CALENDAR_GB, "2028-01-03", "New Year’s Day (substitute day)" },
  { RELANCE_CALENDAR_GB, "2027-12-29", NULL },
  /* Christmas on a Sunday: Boxing Day keeps Monday, Christmas moves to Tuesday (2022). */
  { RELANCE_CALENDAR_GB, "2022-12-26", "Boxing Day" },
  { RELANCE_CALENDAR_GB, "2022-12-27", "Christmas Day (substitute day)" },
  { RELANCE_CALENDAR_GB, "2026-05-04", "Early May bank holiday" },
  { RELANCE_CALENDAR_GB, "2026-03-17", NULL },
  { RELANCE_CALENDAR_IE, "2024-03-18", "St Patrick’s Day (substitute day)" },
  { RELANCE_CALENDAR_IE, "2024-03-17", "St Patrick’s Day" },
  { RELANCE_CALENDAR_IE, "2022-12-27", "Christmas Day (substitute day)" },
  { RELANCE_CALENDAR_IE, "2023-02-06", "St Brigid’s Day" },
  { RELANCE_CALENDAR_IE, "2024-02-05", "St Brigid’s Day" },
  { RELANCE_CALENDAR_IE, "2030-02-01", "St Brigid’s Day" },
  { RELANCE_CALENDAR_IE, "2030-02-04", NULL },
  { RELANCE_CALENDAR_IE, "2022-02-07", NULL }, /* St Brigid's Day began in 2023 */
  { RELANCE_CALENDAR_IE, "2026-04-03", NULL }, /* Good Friday is not a public holiday */
  { RELANCE_CALENDAR_IE, "2026-10-26", "October bank holiday" },
  { RELANCE_CALENDAR_US, "2027-12-31", "New Year’s Day (observed)" },
  { RELANCE_CALENDAR_US, "2028-01-01", "New Year’s Day" },
  { RELANCE_CALENDAR_US, "2027-07-05", "Independence Day (observed)" },
  { RELANCE_CALENDAR_US, "2027-12-24", "Christmas Day (observed)" },
  { RELANCE_CALENDAR_US, "2026-11-26", "Thanksgiving Day" },
  { RELANCE_CALENDAR_US, "2026-01-19", "Birthday of Martin Luther King, Jr." },
  { RELANCE_CALENDAR_US, "2020-06-19", NULL }, /* Juneteenth became federal in 2021 */
  { RELANCE_CALENDAR_US, "2026-11-27", NULL },
};

static void
test_holiday_names (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      const NameCase *c = &name_cases[i];
      GDate d;

      date_from_iso (c->date, &d);
      g_test_message ("%s %s", relance_calendar_region_to_string (c->region), c->date);
      g_assert_cmpstr (relance_calendar_holiday_name (c->region, &d), ==, c->name);
      g_assert_true (relance_calendar_is_holiday (c->region, &d) == (c->name != NULL));
    }
}

static void
test_working_days (void)
{
  RelanceSendWindow every_day = { 0xfe, 9 * 60, 18 * 60 };
  GDate d;

  date_from_iso ("2026-07-15", &d); /* Wednesday */
  g_assert_true (relance_calendar_is_working_day (RELANCE_CALENDAR_FR, NULL, &d));
  date_from_iso ("2026-07-14", &d);
  g_assert_false (relance_calendar_is_working_day (RELANCE_CALENDAR_FR, NULL, &d));
  g_assert_true (relance_calendar_is_working_day (RELANCE_CALENDAR_GB, NULL, &d));

  /* A Saturday is a working day only when the window says so. */
  date_from_iso ("2026-07-18", &d);
  g_assert_false (relance_calendar_is_working_day (RELANCE_CALENDAR_FR, NULL, &d));
  g_assert_true (relance_calendar_is_working_day (RELANCE_CALENDAR_FR, &every_day, &d));

  /* Christmas on a Saturday is no day for a reminder, even with Saturdays open. */
  date_from_iso ("2027-12-25", &d);
  g_assert_false (relance_calendar_is_working_day (RELANCE_CALENDAR_GB, &every_day, &d));
  g_assert_false (relance_calendar_is_working_day (RELANCE_CALENDAR_US, &every_day, &d));
  date_from_iso ("2027-11-06", &d); /* an ordinary Saturday */
  g_assert_true (relance_calendar_is_working_day (RELANCE_CALENDAR_US, &every_day, &d));
}

/* ------------------------------------------------------------------------------------ */
/* Regions */

typedef struct
{
  const char            *text;
  gboolean               ok;
  RelanceCalendarRegion  region;
} RegionCase;

static const RegionCase region_cases[] = {
  { "FR", TRUE, RELANCE_CALENDAR_FR },
  { "fr", TRUE, RELANCE_CALENDAR_FR },
  { "FR-ALSACE", TRUE, RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
  { "fr-alsace-moselle", TRUE, RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
  { "fr_alsace_moselle", TRUE, RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
  { "FR-57", TRUE, RELANCE_CALENDAR_FR_ALSACE_MOSELLE },
  { "GB", TRUE, RELANCE_CALENDAR_GB },
  { "UK", TRUE, RELANCE_CALENDAR_GB },
  { "uk", TRUE, RELANCE_CALENDAR_GB },
  { "IE", TRUE, RELANCE_CALENDAR_IE },
  { "be", TRUE, RELANCE_CALENDAR_BE },
  { " US ", TRUE, RELANCE_CALENDAR_US },
  { "DE", FALSE, RELANCE_CALENDAR_FR },
  { "GB-SCT", FALSE, RELANCE_CALENDAR_FR },
  { "", FALSE, RELANCE_CALENDAR_FR },
  { NULL, FALSE, RELANCE_CALENDAR_FR },
};

static void
test_regions (void)
{
  static const RelanceCalendarRegion all[] = {
    RELANCE_CALENDAR_FR, RELANCE_CALENDAR_FR_ALSACE_MOSELLE, RELANCE_CALENDAR_GB,
    RELANCE_CALENDAR_IE, RELANCE_CALENDAR_BE, RELANCE_CALENDAR_US,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (region_cases); i++)
    {
      const RegionCase *c = &region_cases[i];
      RelanceCalendarRegion region = RELANCE_CALENDAR_US;

      g_test_message ("region “%s”", c->text != NULL ? c->text : "(null)");
      g_assert_true (relance_calendar_region_from_string (c->text, &region) == c->ok);
      if (c->ok)
        g_assert_cmpint (region, ==, c->region);
      else
        g_assert_cmpint (region, ==, RELANCE_CALENDAR_US); /* untouched */
    }

  /* The stored id reads back as the same region, and every region has a name. */
  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    {
      RelanceCalendarRegion region;

      g_assert_true (relance_calendar_region_from_string (
                       relance_calendar_region_to_string (all[i]), &region));
      g_assert_cmpint (region, ==, all[i]);
      g_assert_nonnull (relance_calendar_region_get_name (all[i]));
    }
}

/* ------------------------------------------------------------------------------------ */
/* The send window */

typedef struct
{
  const char *text;
  guint8      weekdays;
  int         start_minute;
  int         end_minute;
  const char *canonical;
} WindowCase;

#define B(wd) RELANCE_WEEKDAY_BIT (G_DATE_##wd)

static const WindowCase window_cases[] = {
  { "mon-fri 09:00-18:00", RELANCE_WEEKDAYS_MONDAY_TO_FRIDAY, 540, 1080, "mon-fri 09:00-18:00" },
  { "mon,tue,thu 08:30-12:00", B (MONDAY) | B (TUESDAY) | B (THURSDAY), 510, 720,
    "mon,tue,thu 08:30-12:00" },
  { "mon,wed 08:30-12:00", B (MONDAY) | B (WEDNESDAY), 510, 720, "mon,wed 08:30-12:00" },
  { "MON-Wed, sat  9:00 - 17:30", B (MONDAY) | B (TUESDAY) | B (WEDNESDAY) | B (SATURDAY),
    540, 1050, "mon-wed,sat 09:00-17:30" },
  { "fri-mon 10:00-16:00", B (FRIDAY) | B (SATURDAY) | B (SUNDAY) | B (MONDAY), 600, 960,
    "mon,fri-sun 10:00-16:00" },
  { "monday-sunday 00:00-24:00", 0xfe, 0, 1440, "mon-sun 00:00-24:00" },
  { "sat,sun 10:00-12:00", B (SATURDAY) | B (SUNDAY), 600, 720, "sat,sun 10:00-12:00" },
  { "thu 23:59-24:00", B (THURSDAY), 1439, 1440, "thu 23:59-24:00" },
};

static void
test_window_parse (void)
{
  RelanceSendWindow window;
  g_autofree char *text = NULL;

  relance_send_window_init_default (&window);
  g_assert_cmpuint (window.weekdays, ==, RELANCE_WEEKDAYS_MONDAY_TO_FRIDAY);
  g_assert_cmpint (window.start_minute, ==, 9 * 60);
  g_assert_cmpint (window.end_minute, ==, 18 * 60);
  text = relance_send_window_to_string (&window);
  g_assert_cmpstr (text, ==, "mon-fri 09:00-18:00");

  for (gsize i = 0; i < G_N_ELEMENTS (window_cases); i++)
    {
      const WindowCase *c = &window_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *canonical = NULL;
      RelanceSendWindow again;

      g_test_message ("window “%s”", c->text);
      g_assert_true (relance_send_window_parse (c->text, &window, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (window.weekdays, ==, c->weekdays);
      g_assert_cmpint (window.start_minute, ==, c->start_minute);
      g_assert_cmpint (window.end_minute, ==, c->end_minute);

      canonical = relance_send_window_to_string (&window);
      g_assert_cmpstr (canonical, ==, c->canonical);
      g_assert_true (relance_send_window_parse (canonical, &again, NULL));
      /* Field by field: the structure's padding is whatever the stack held. */
      g_assert_cmpuint (again.weekdays, ==, window.weekdays);
      g_assert_cmpint (again.start_minute, ==, window.start_minute);
      g_assert_cmpint (again.end_minute, ==, window.end_minute);
    }
}

#undef B

typedef struct
{
  const char *text;
  const char *in_message; /* the part of the message that points at the mistake */
} BadWindowCase;

static const BadWindowCase bad_window_cases[] = {
  { "", "is empty" },
  { "   ", "is empty" },
  { NULL, "is empty" },
  { "mon-fri", "has no hours" },
  { "09:00-18:00", "has no days" },
  { "lun-ven 09:00-18:00", "“lun” is not a day" },
  { "mon-fry 09:00-18:00", "“fry” is not a day" },
  { "mon--fri 09:00-18:00", "is not a day" },
  { "mon,,fri 09:00-18:00", "is not a day" },
  { "mon-fri 9-18", "“9” is not a time" },
  { "mon-fri 09:00", "“09:00” is not a range of hours" },
  { "mon-fri 09:00-18:00-19:00", "is not a range of hours" },
  { "mon-fri 18:00-09:00", "09:00 is not later than 18:00" },
  { "mon-fri 09:00-09:00", "must end after it starts" },
  { "mon-fri 25:00-26:00", "“25:00” is not a time" },
  { "mon-fri 09:60-10:00", "“09:60” is not a time" },
  { "mon-fri 24:30-24:45", "“24:30” is not a time" },
  { "mon-fri 09:00-18:0", "“18:0” is not a time" },
};

static void
test_window_parse_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_window_cases); i++)
    {
      const BadWindowCase *c = &bad_window_cases[i];
      g_autoptr(GError) error = NULL;
      RelanceSendWindow window = { 0x42, 1, 2 };

      g_test_message ("bad window “%s”", c->text != NULL ? c->text : "(null)");
      g_assert_false (relance_send_window_parse (c->text, &window, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      if (strstr (error->message, c->in_message) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, c->in_message);
      /* Untouched on error. */
      g_assert_cmpuint (window.weekdays, ==, 0x42);
      g_assert_cmpint (window.start_minute, ==, 1);
      g_assert_cmpint (window.end_minute, ==, 2);
    }
}

static void
test_window_to_string_empty (void)
{
  RelanceSendWindow window = { 0, 9 * 60, 18 * 60 };
  g_autofree char *text = relance_send_window_to_string (&window);

  g_assert_cmpstr (text, ==, "none 09:00-18:00");
  g_assert_false (relance_send_window_parse (text, &window, NULL));
}

/* ------------------------------------------------------------------------------------ */
/* The next send time */

typedef struct
{
  const char            *what;
  RelanceCalendarRegion  region;
  const char            *tz;
  const char            *window;     /* NULL: the default window */
  const char            *not_before; /* ISO 8601 with its offset */
  const char            *expected;   /* local time in @tz with its offset, NULL for none */
} NextCase;

static const NextCase next_cases[] = {
  { "Friday 17:59 is inside", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T17:59:00+01:00", "2026-03-27T17:59:00+01:00" },
  { "the same instant given in UTC", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T16:59:00Z", "2026-03-27T17:59:00+01:00" },
  { "early morning waits for 09:00", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T07:00:00+01:00", "2026-03-27T09:00:00+01:00" },
  { "09:00 sharp is inside", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T09:00:00+01:00", "2026-03-27T09:00:00+01:00" },
  /* Clocks go forward on Sunday 29 March: Monday 09:00 is in summer time. */
  { "Friday 18:00 is too late: Monday 09:00", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T18:00:00+01:00", "2026-03-30T09:00:00+02:00" },
  { "Saturday: Monday 09:00", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-28T11:00:00+01:00", "2026-03-30T09:00:00+02:00" },
  { "the evening before 14 July: 15 July", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-07-13T19:00:00+02:00", "2026-07-15T09:00:00+02:00" },
  { "the evening before Ascension: Friday", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-05-13T18:30:00+02:00", "2026-05-15T09:00:00+02:00" },
  { "Belgium works on 14 July", RELANCE_CALENDAR_BE, "Europe/Brussels", NULL,
    "2026-07-13T19:00:00+02:00", "2026-07-14T09:00:00+02:00" },
  { "Alsace rests on 26 December", RELANCE_CALENDAR_FR_ALSACE_MOSELLE, "Europe/Paris", NULL,
    "2030-12-24T18:00:00+01:00", "2030-12-27T09:00:00+01:00" },
  { "the rest of France does not", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2030-12-24T18:00:00+01:00", "2030-12-26T09:00:00+01:00" },

  /* England 2027: Christmas Saturday, Boxing Day Sunday, substitutes Monday and Tuesday;
   * New Year's Day Saturday, substitute Monday 3 January. */
  { "UK Christmas 2027", RELANCE_CALENDAR_GB, "Europe/London", NULL,
    "2027-12-24T18:00:00Z", "2027-12-29T09:00:00+00:00" },
  { "UK Christmas 2027, Saturdays open", RELANCE_CALENDAR_GB, "Europe/London",
    "mon-sat 09:00-18:00", "2027-12-24T18:00:00Z", "2027-12-29T09:00:00+00:00" },
  { "UK New Year 2028", RELANCE_CALENDAR_GB, "Europe/London", NULL,
    "2027-12-31T18:00:00Z", "2028-01-04T09:00:00+00:00" },
  { "UK Boxing Day 2026", RELANCE_CALENDAR_GB, "Europe/London", NULL,
    "2026-12-24T18:00:00Z", "2026-12-29T09:00:00+00:00" },
  { "Ireland, St Patrick's Day 2024 on a Sunday", RELANCE_CALENDAR_IE, "Europe/Dublin", NULL,
    "2024-03-15T18:00:00Z", "2024-03-19T09:00:00+00:00" },
  { "US, New Year 2028 observed on 2027-12-31", RELANCE_CALENDAR_US, "America/New_York",
    NULL, "2027-12-30T18:00:00-05:00", "2028-01-03T09:00:00-05:00" },

  /* One UTC instant, two clients: Paris is past 18:00 (18:30 CET) while New York, already
   * in summer time since 8 March, is at 13:30. */
  { "client in Paris", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-03-27T17:30:00Z", "2026-03-30T09:00:00+02:00" },
  { "client in New York", RELANCE_CALENDAR_US, "America/New_York", NULL,
    "2026-03-27T17:30:00Z", "2026-03-27T13:30:00-04:00" },
  /* And on Friday 3 July 2026, Independence Day observed in the US only. */
  { "client in Paris, 3 July", RELANCE_CALENDAR_FR, "Europe/Paris", NULL,
    "2026-07-03T08:00:00Z", "2026-07-03T10:00:00+02:00" },
  { "client in New York, 3 July", RELANCE_CALENDAR_US, "America/New_York", NULL,
    "2026-07-03T08:00:00Z", "2026-07-06T09:00:00-04:00" },

  /* Days when the clocks change: 09:00 stays 09:00 on the local clock. */
  { "Paris spring-forward Sunday", RELANCE_CALENDAR_FR, "Europe/Paris", "mon-sun 09:00-18:00",
    "2026-03-28T20:00:00+01:00", "2026-03-29T09:00:00+02:00" },
  { "Paris, 03:00 right after the gap", RELANCE_CALENDAR_FR, "Europe/Paris",
    "sun 03:00-04:00", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00" },
  { "Paris fall-back Sunday", RELANCE_CALENDAR_FR, "Europe/Paris", "mon-sun 09:00-18:00",
    "2026-10-24T20:00:00+02:00", "2026-10-25T09:00:00+01:00" },
  { "London spring-forward Sunday", RELANCE_CALENDAR_GB, "Europe/London", "mon-sun 09:00-18:00",
    "2026-03-28T18:30:00Z", "2026-03-29T09:00:00+01:00" },
  { "London fall-back Sunday", RELANCE_CALENDAR_GB, "Europe/London", "sat,sun 08:00-10:00",
    "2026-10-24T20:00:00+01:00", "2026-10-25T08:00:00+00:00" },
  { "New York spring-forward weekend", RELANCE_CALENDAR_US, "America/New_York", NULL,
    "2026-03-06T23:30:00Z", "2026-03-09T09:00:00-04:00" },

  /* A custom window. */
  { "Tuesday: Wednesday 08:30", RELANCE_CALENDAR_FR, "Europe/Paris", "mon,wed 08:30-12:00",
    "2026-06-02T10:00:00+02:00", "2026-06-03T08:30:00+02:00" },
  { "Wednesday 11:59:59 is inside", RELANCE_CALENDAR_FR, "Europe/Paris", "mon,wed 08:30-12:00",
    "2026-06-03T11:59:59+02:00", "2026-06-03T11:59:59+02:00" },
  { "Wednesday noon: Monday 08:30", RELANCE_CALENDAR_FR, "Europe/Paris", "mon,wed 08:30-12:00",
    "2026-06-03T12:00:00+02:00", "2026-06-08T08:30:00+02:00" },
  { "Whit Monday skipped", RELANCE_CALENDAR_FR, "Europe/Paris", "mon,wed 08:30-12:00",
    "2026-05-25T07:00:00+02:00", "2026-05-27T08:30:00+02:00" },
  { "a window to midnight", RELANCE_CALENDAR_FR, "Europe/Paris", "mon-sun 00:00-24:00",
    "2026-07-13T23:59:59+02:00", "2026-07-13T23:59:59+02:00" },
  { "a window to midnight, across a holiday", RELANCE_CALENDAR_FR, "Europe/Paris",
    "mon-sun 00:00-24:00", "2026-07-14T12:00:00+02:00", "2026-07-15T00:00:00+02:00" },
};

static void
test_next_send_time (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (next_cases); i++)
    {
      const NextCase *c = &next_cases[i];
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (c->tz);
      g_autoptr(GDateTime) not_before = g_date_time_new_from_iso8601 (c->not_before, NULL);
      g_autoptr(GDateTime) next = NULL;
      g_autofree char *got = NULL;
      RelanceSendWindow window;

      g_test_message ("%s", c->what);
      g_assert_nonnull (tz);
      g_assert_nonnull (not_before);
      if (c->window != NULL)
        g_assert_true (relance_send_window_parse (c->window, &window, NULL));
      else
        relance_send_window_init_default (&window);

      next = relance_calendar_next_send_time (c->region, &window, tz, not_before);
      g_assert_nonnull (next);
      got = g_date_time_format (next, "%Y-%m-%dT%H:%M:%S%:z");
      g_assert_cmpstr (got, ==, c->expected);
      g_assert_cmpint (g_date_time_compare (next, not_before), >=, 0);
    }
}

static void
test_next_send_time_default_window (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) saturday = g_date_time_new (tz, 2026, 3, 28, 11, 0, 0);
  g_autoptr(GDateTime) monday = g_date_time_new (tz, 2026, 3, 30, 9, 0, 0);
  g_autoptr(GDateTime) next = NULL;

  next = relance_calendar_next_send_time (RELANCE_CALENDAR_FR, NULL, tz, saturday);
  g_assert_nonnull (next);
  g_assert_true (g_date_time_equal (next, monday));
}

/* A start time that does not exist (02:30 the night clocks go forward) still gives an
 * instant inside the day's window, after @not_before; the exact one is GLib's choice. */
static void
test_next_send_time_in_gap (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) not_before = g_date_time_new_from_iso8601 ("2026-03-29T00:00:00+01:00",
                                                                  NULL);
  g_autoptr(GDateTime) limit = g_date_time_new_from_iso8601 ("2026-03-29T04:00:00+02:00", NULL);
  g_autoptr(GDateTime) next = NULL;
  RelanceSendWindow window;

  g_assert_true (relance_send_window_parse ("sun 02:30-04:00", &window, NULL));
  next = relance_calendar_next_send_time (RELANCE_CALENDAR_FR, &window, tz, not_before);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_get_day_of_month (next), ==, 29);
  g_assert_cmpint (g_date_time_get_hour (next), ==, 3);
  g_assert_cmpint (g_date_time_compare (next, not_before), >, 0);
  g_assert_cmpint (g_date_time_compare (next, limit), <, 0);
}

static void
test_next_send_time_none (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 3, 27, 10, 0, 0);
  RelanceSendWindow empty = { 0, 9 * 60, 18 * 60 };
  RelanceSendWindow backwards = { RELANCE_WEEKDAYS_MONDAY_TO_FRIDAY, 18 * 60, 9 * 60 };
  RelanceSendWindow bit_zero_only = { 1, 9 * 60, 18 * 60 }; /* not a weekday */
  RelanceSendWindow sunday = { RELANCE_WEEKDAY_BIT (G_DATE_SUNDAY), 9 * 60, 18 * 60 };
  g_autoptr(GDateTime) next = NULL;

  g_assert_null (relance_calendar_next_send_time (RELANCE_CALENDAR_FR, &empty, tz, now));
  g_assert_null (relance_calendar_next_send_time (RELANCE_CALENDAR_FR, &backwards, tz, now));
  g_assert_null (relance_calendar_next_send_time (RELANCE_CALENDAR_FR, &bit_zero_only, tz,
                                                  now));

  /* One day a week is enough, even when it is a Sunday. */
  next = relance_calendar_next_send_time (RELANCE_CALENDAR_FR, &sunday, tz, now);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_get_day_of_week (next), ==, 7);
  g_assert_cmpint (g_date_time_get_day_of_month (next), ==, 29);
}

/* ------------------------------------------------------------------------------------ */
/* Time zones */

static void
test_timezones (void)
{
  static const struct {
    const char *iana;
    gboolean    valid;
  } cases[] = {
    { "Europe/Paris", TRUE },
    { "Europe/London", TRUE },
    { "America/New_York", TRUE },
    { "America/Argentina/Buenos_Aires", TRUE },
    { "UTC", TRUE },
    { "Etc/GMT+5", TRUE },
    { "Europe/Pariss", FALSE },
    { "Mars/Olympus_Mons", FALSE },
    { "", FALSE },
    { NULL, FALSE },
    { "+01:00", FALSE },
    { "/etc/localtime", FALSE },
    { "../etc/passwd", FALSE },
    { "Europe/../Europe/Paris", FALSE },
    { "Europe/Paris ", FALSE },
    { "EST5EDT", TRUE },
    { "ABC5", FALSE },         /* a POSIX rule, not a zone */
    { "CET-1CEST", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("time zone “%s”", cases[i].iana != NULL ? cases[i].iana : "(null)");
      g_assert_true (relance_timezone_is_valid (cases[i].iana) == cases[i].valid);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/calendar/holidays-by-year", test_holidays_by_year);
  g_test_add_func ("/calendar/easter", test_easter);
  g_test_add_func ("/calendar/holiday-names", test_holiday_names);
  g_test_add_func ("/calendar/working-days", test_working_days);
  g_test_add_func ("/calendar/regions", test_regions);
  g_test_add_func ("/calendar/window/parse", test_window_parse);
  g_test_add_func ("/calendar/window/parse-errors", test_window_parse_errors);
  g_test_add_func ("/calendar/window/to-string-empty", test_window_to_string_empty);
  g_test_add_func ("/calendar/next-send-time/cases", test_next_send_time);
  g_test_add_func ("/calendar/next-send-time/default-window",
                   test_next_send_time_default_window);
  g_test_add_func ("/calendar/next-send-time/in-gap", test_next_send_time_in_gap);
  g_test_add_func ("/calendar/next-send-time/none", test_next_send_time_none);
  g_test_add_func ("/calendar/timezones", test_timezones);

  return g_test_run ();
}
