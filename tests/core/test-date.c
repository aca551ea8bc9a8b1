/* test-date.c: dates as spreadsheets write them, and the clock that honours RELANCE_NOW. */
#include "config.h"

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"

typedef struct
{
  const char       *text;
  RelanceDateOrder  order;
  const char       *iso; /* NULL when refused */
} DateCase;

static const DateCase date_cases[] = {
  { "31/12/2026", RELANCE_DATE_ORDER_DMY, "2026-12-31" },
  { "1/2/2026", RELANCE_DATE_ORDER_DMY, "2026-02-01" },
  { "31.12.2026", RELANCE_DATE_ORDER_DMY, "2026-12-31" },
  { "2026-12-31", RELANCE_DATE_ORDER_DMY, "2026-12-31" },
  { "2026-12-31", RELANCE_DATE_ORDER_MDY, "2026-12-31" },
  { " 05/03/2026 ", RELANCE_DATE_ORDER_DMY, "2026-03-05" },
  { "05/03/2026", RELANCE_DATE_ORDER_MDY, "2026-05-03" },
  { "12/31/2026", RELANCE_DATE_ORDER_MDY, "2026-12-31" },
  { "31/12/2026 00:00", RELANCE_DATE_ORDER_DMY, "2026-12-31" },
  { "2026-02-28T10:00:00", RELANCE_DATE_ORDER_DMY, "2026-02-28" },
  { "29/02/2028", RELANCE_DATE_ORDER_DMY, "2028-02-29" },
  { "29/02/2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "31/02/2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "12/31/2026", RELANCE_DATE_ORDER_DMY, NULL },
  /* D/M/YY, month names, as exports write them */
  { "31/12/26", RELANCE_DATE_ORDER_DMY, "2026-12-31" },
  { "1/2/26", RELANCE_DATE_ORDER_DMY, "2026-02-01" },
  { "1/2/26", RELANCE_DATE_ORDER_MDY, "2026-01-02" },
  { "Oct 31, 2026", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "October 31 2026", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "31 Oct 2026", RELANCE_DATE_ORDER_MDY, "2026-10-31" },
  { "31-oct.-2026", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "31 octobre 2026", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "1er févr. 2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "3 févr. 2026", RELANCE_DATE_ORDER_DMY, "2026-02-03" },
  { "3 Août 2026 00:00", RELANCE_DATE_ORDER_DMY, "2026-08-03" },
  { "2026-10-31 00:00:00", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "2026-10-31T00:00:00Z", RELANCE_DATE_ORDER_DMY, "2026-10-31" },
  { "31 Foo 2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "Oct 2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "31/12/2", RELANCE_DATE_ORDER_DMY, NULL },
  { "2026/12/31", RELANCE_DATE_ORDER_DMY, NULL },
  { "31-12.2026", RELANCE_DATE_ORDER_DMY, NULL },
  { "demain", RELANCE_DATE_ORDER_DMY, NULL },
  { "", RELANCE_DATE_ORDER_DMY, NULL },
  { "2026-13-01", RELANCE_DATE_ORDER_DMY, NULL },
};

static void
test_order_hint (void)
{
  g_assert_cmpint (relance_date_order_hint ("31/10/2026"), ==, RELANCE_DATE_ORDER_DMY);
  g_assert_cmpint (relance_date_order_hint ("10/31/2026"), ==, RELANCE_DATE_ORDER_MDY);
  g_assert_cmpint (relance_date_order_hint ("13.1.26"), ==, RELANCE_DATE_ORDER_DMY);
  g_assert_cmpint (relance_date_order_hint ("05/03/2026"), ==, -1);
  g_assert_cmpint (relance_date_order_hint ("2026-10-31"), ==, -1);
  g_assert_cmpint (relance_date_order_hint ("31 Oct 2026"), ==, -1);
  g_assert_cmpint (relance_date_order_hint ("40/10/2026"), ==, -1);
  g_assert_cmpint (relance_date_order_hint (NULL), ==, -1);
}

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      const DateCase *c = &date_cases[i];
      g_autoptr(GError) error = NULL;
      GDate date;
      gboolean ok = relance_date_parse (c->text, c->order, &date, &error);

      g_test_message ("case %u: “%s”", i, c->text);
      if (c->iso != NULL)
        {
          g_autofree char *iso = NULL;
          g_assert_no_error (error);
          g_assert_true (ok);
          iso = relance_date_to_iso (&date);
          g_assert_cmpstr (iso, ==, c->iso);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
        }
    }
}

static void
test_format (void)
{
  GDate date;
  g_autofree char *fr = NULL;
  g_autofree char *en = NULL;
  RelanceDateOrder order;
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_date_from_iso ("2026-03-05", &date));
  fr = relance_date_format (&date, "fr");
  en = relance_date_format (&date, "en");
  g_assert_cmpstr (fr, ==, "05/03/2026");
  g_assert_cmpstr (en, ==, "5 Mar 2026");
  g_assert_false (relance_date_from_iso ("2026-03-05x", &date));

  g_assert_true (relance_date_parse_format ("MM/DD/YYYY", &order, NULL));
  g_assert_cmpint (order, ==, RELANCE_DATE_ORDER_MDY);
  g_assert_true (relance_date_parse_format ("dd/mm/yyyy", &order, NULL));
  g_assert_cmpint (order, ==, RELANCE_DATE_ORDER_DMY);
  g_assert_false (relance_date_parse_format ("julian", &order, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
}

static void
test_clock (void)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GTimeZone) auckland = g_time_zone_new_identifier ("Pacific/Auckland");
  GDate today;

  g_setenv ("RELANCE_NOW", "2026-03-01T20:30:00Z", TRUE);
  now = relance_clock_now ();
  g_assert_cmpint (g_date_time_get_year (now), ==, 2026);
  g_assert_cmpint (g_date_time_get_hour (now), ==, 20);

  /* The same instant is already the 2nd of March in New Zealand. */
  relance_clock_today (auckland, &today);
  g_assert_cmpint (g_date_get_day (&today), ==, 2);
  relance_clock_today (NULL, &today); /* TZ=UTC in the test environment */
  g_assert_cmpint (g_date_get_day (&today), ==, 1);

  g_setenv ("RELANCE_NOW", "2026-07-14", TRUE);
  g_clear_pointer (&now, g_date_time_unref);
  now = relance_clock_now ();
  g_assert_cmpint (g_date_time_get_month (now), ==, 7);
  g_assert_cmpint (g_date_time_get_day_of_month (now), ==, 14);
  g_unsetenv ("RELANCE_NOW");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/date/parse", test_parse);
  g_test_add_func ("/date/order-hint", test_order_hint);
  g_test_add_func ("/date/format", test_format);
  g_test_add_func ("/date/clock", test_clock);
  return g_test_run ();
}
