/* test-penalty.c: late-payment interest and indemnities, each amount worked out by hand
 * in the comment next to it. Interest = amount (minor units) × Σ rate (bp) × days
 * / (10000 × 365), rounded half up once per invoice. */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "relance-error.h"
#include "relance-penalty.h"

static GDate *
date_from_iso (const char *iso)
{
  int y, m, d;

  g_assert_cmpint (sscanf (iso, "%d-%d-%d", &y, &m, &d), ==, 3);
  return g_date_new_dmy (d, m, y);
}

typedef struct
{
  const char          *name;
  const char          *country;
  int                  contractual_bp;
  gboolean             consumer;
  gint64               amount;
  const char          *currency;
  const char          *due;
  const char          *as_of;
  RelancePenaltyStatus status;
  int                  days;
  gint64               interest;
  gint64               indemnity;
  const char          *indemnity_currency;
  int                  rate_bp;
  gboolean             floored;
} ComputeCase;

static const ComputeCase compute_cases[] = {
  /* 15 days of H1 2025 at 3.15 + 10 = 13.15 %, 15 days of H2 at 2.15 + 10 = 12.15 %:
   * 100000 × (1315 × 15 + 1215 × 15) / 3650000 = 1039.726… → 10,40 €. Rounding each
   * half-year apart would give 540 + 499 = 10,39 €. */
  { "fr-across-halves", "FR", -1, FALSE, 100000, "EUR", "2025-06-15", "2025-07-15",
    RELANCE_PENALTY_APPLIES, 30, 1040, 4000, "EUR", 1215, FALSE },
  /* Whole year 2025: 181 days (Jan–Jun) at 13.15 %, 184 days at 12.15 %:
   * 1315 × 181 + 1215 × 184 = 461575; 100000 × 461575 / 3650000 = 12645.89… → 126,46 €. */
  { "fr-whole-year", "FR", -1, FALSE, 100000, "EUR", "2024-12-31", "2025-12-31",
    RELANCE_PENALTY_APPLIES, 365, 12646, 4000, "EUR", 1215, FALSE },
  /* The largest accepted amount, 10^12 € = 10^14 cents, over the same year:
   * 10^14 × 461575 / 3650000 = 12645890410958.90… → 12645890410959 cents; the product
   * 4.6 × 10^19 is past 2^63, so this checks the exact split multiplication. */
  { "fr-huge-amount", "FR", -1, FALSE, G_GINT64_CONSTANT (100000000000000), "EUR",
    "2024-12-31", "2025-12-31",
    RELANCE_PENALTY_APPLIES, 365, G_GINT64_CONSTANT (12645890410959), 4000, "EUR", 1215,
    FALSE },
  /* Not yet due: nothing, but the rate that will apply is given. */
  { "fr-not-due", "FR", -1, FALSE, 100000, "EUR", "2025-07-15", "2025-07-10",
    RELANCE_PENALTY_NOT_OVERDUE, 0, 0, 0, "", 1215, FALSE },
  /* Due today: interest runs from tomorrow. */
  { "fr-due-today", "FR", -1, FALSE, 100000, "EUR", "2025-07-15", "2025-07-15",
    RELANCE_PENALTY_NOT_OVERDUE, 0, 0, 0, "", 1215, FALSE },
  /* The day after: 100000 × 1215 × 1 / 3650000 = 33.29 → 0,33 €, and the full 40 €. */
  { "fr-day-after", "FR", -1, FALSE, 100000, "EUR", "2025-07-15", "2025-07-16",
    RELANCE_PENALTY_APPLIES, 1, 33, 4000, "EUR", 1215, FALSE },
  /* Exactly half a cent: 365000 × 1315 × 1 / 3650000 = 131.5 → 132 (half up)… */
  { "fr-half-up", "FR", -1, FALSE, 365000, "EUR", "2025-03-10", "2025-03-11",
    RELANCE_PENALTY_APPLIES, 1, 132, 4000, "EUR", 1315, FALSE },
  /* …and just under it: 364999 × 1315 / 3650000 = 131.4996 → 131. */
  { "fr-under-half", "FR", -1, FALSE, 364999, "EUR", "2025-03-10", "2025-03-11",
    RELANCE_PENALTY_APPLIES, 1, 131, 4000, "EUR", 1315, FALSE },
  /* A consumer client: no B2B penalty, no indemnity. */
  { "fr-consumer", "FR", -1, TRUE, 100000, "EUR", "2025-06-15", "2025-07-15",
    RELANCE_PENALTY_CONSUMER, 30, 0, 0, "", 0, FALSE },
  /* Paid in full: nothing left to charge interest on. */
  { "fr-nothing-left", "FR", -1, FALSE, 0, "EUR", "2025-06-15", "2025-07-15",
    RELANCE_PENALTY_NOT_OVERDUE, 30, 0, 0, "", 1315, FALSE },
  /* Contractual 15 % (above the statutory 13.15 %), 30 days of March 2025:
   * 100000 × 1500 × 30 / 3650000 = 1232.88 → 12,33 €. */
  { "fr-contractual-above", "FR", 1500, FALSE, 100000, "EUR", "2025-03-01", "2025-03-31",
    RELANCE_PENALTY_APPLIES, 30, 1233, 4000, "EUR", 1500, FALSE },
  /* Contractual 5 % is below 3 × 3.71 % (legal rate 2025-H1) = 11.13 %, so 11.13 % applies:
   * 100000 × 1113 × 30 / 3650000 = 914.79 → 9,15 €. */
  { "fr-contractual-floored", "FR", 500, FALSE, 100000, "EUR", "2025-03-01", "2025-03-31",
    RELANCE_PENALTY_APPLIES, 30, 915, 4000, "EUR", 1113, TRUE },
  /* Germany under the directive: ECB + 8 points, 11.15 % then 10.15 %:
   * 100000 × (1115 × 15 + 1015 × 15) / 3650000 = 875.34 → 8,75 €. */
  { "eu-across-halves", "DE", -1, FALSE, 100000, "EUR", "2025-06-15", "2025-07-15",
    RELANCE_PENALTY_APPLIES, 30, 875, 4000, "EUR", 1015, FALSE },
  /* UK: overdue from 21 June 2025, so the 2025-H1 reference (Bank Rate on 31 Dec 2024,
   * 4.75 %) + 8 = 12.75 % for the whole debt, even after 1 July:
   * 100000 × 1275 × 30 / 3650000 = 1047.95 → £10.48; £1,000.00 is in the £70 band. */
  { "uk-fixed-rate", "GB", -1, FALSE, 100000, "GBP", "2025-06-20", "2025-07-20",
    RELANCE_PENALTY_APPLIES, 30, 1048, 7000, "GBP", 1275, FALSE },
  /* Due 30 June: overdue from 1 July, reference = Bank Rate on 30 June 2025 (4.25 %),
   * 12.25 %: 99999 × 1225 × 10 / 3650000 = 335.61 → £3.36; under £1,000 → £40. */
  { "uk-second-half", "UK", -1, FALSE, 99999, "GBP", "2025-06-30", "2025-07-10",
    RELANCE_PENALTY_APPLIES, 10, 336, 4000, "GBP", 1225, FALSE },
  /* £9,999.99: 999999 × 1225 × 10 / 3650000 = 3356.16 → £33.56; £70 band. */
  { "uk-under-10000", "GB", -1, FALSE, 999999, "GBP", "2025-06-30", "2025-07-10",
    RELANCE_PENALTY_APPLIES, 10, 3356, 7000, "GBP", 1225, FALSE },
  /* £10,000.00: 1000000 × 1225 × 10 / 3650000 = 3356.16 → £33.56; £100 band. */
  { "uk-10000", "GB", -1, FALSE, 1000000, "GBP", "2025-06-30", "2025-07-10",
    RELANCE_PENALTY_APPLIES, 10, 3356, 10000, "GBP", 1225, FALSE },
  /* No statutory interest in the United States. */
  { "us-none", "US", -1, FALSE, 100000, "USD", "2025-06-15", "2025-07-15",
    RELANCE_PENALTY_NO_STATUTE, 30, 0, 0, "", 0, FALSE },
};

static void
test_compute (gconstpointer data)
{
  const ComputeCase *c = data;
  RelancePenaltyPolicy policy = relance_penalty_policy_for_country (c->country);
  g_autoptr(GDate) due = date_from_iso (c->due);
  g_autoptr(GDate) as_of = date_from_iso (c->as_of);
  g_autoptr(GError) error = NULL;
  RelancePenalty penalty;

  policy.contractual_bp = c->contractual_bp;
  g_assert_true (relance_penalty_compute (&policy, NULL, NULL, c->amount, c->currency, due,
                                          as_of, c->consumer, &penalty, &error));
  g_assert_no_error (error);

  g_assert_cmpint (penalty.status, ==, c->status);
  g_assert_cmpint (penalty.days_late, ==, c->days);
  g_assert_cmpint (penalty.interest_minor, ==, c->interest);
  g_assert_cmpstr (penalty.currency, ==, c->currency);
  g_assert_cmpint (penalty.indemnity_minor, ==, c->indemnity);
  g_assert_cmpstr (penalty.indemnity_currency, ==, c->indemnity_currency);
  g_assert_cmpint (penalty.rate_bp, ==, c->rate_bp);
  g_assert_cmpint (penalty.floored, ==, c->floored);
  g_assert_cmpint (penalty.contractual, ==, c->contractual_bp >= 0
                                             && c->status != RELANCE_PENALTY_CONSUMER);
  g_assert_false (penalty.fallback);
  if (c->status == RELANCE_PENALTY_APPLIES)
    g_assert_null (penalty.reason);
  else
    g_assert_true (penalty.reason != NULL && penalty.reason[0] != '\0');
}

static void
test_reasons (void)
{
  RelancePenaltyPolicy fr = relance_penalty_policy_for_country ("FR");
  RelancePenaltyPolicy us = relance_penalty_policy_for_country ("US");
  g_autoptr(GDate) due = date_from_iso ("2025-06-15");
  g_autoptr(GDate) as_of = date_from_iso ("2025-07-15");
  RelancePenalty penalty;

  g_assert_true (relance_penalty_compute (&us, NULL, NULL, 100000, "USD", due, as_of, FALSE,
                                          &penalty, NULL));
  g_assert_cmpstr (penalty.reason, ==,
                   "There is no statutory late-payment interest in this country.");
  g_assert_true (relance_penalty_compute (&fr, NULL, NULL, 100000, "EUR", due, as_of, TRUE,
                                          &penalty, NULL));
  g_assert_nonnull (strstr (penalty.reason, "consumer"));
}

/* A debt in euros under the UK Act: the band is chosen on its face value and flagged. */
static void
test_uk_foreign_currency (void)
{
  RelancePenaltyPolicy policy = relance_penalty_policy_for_country ("GB");
  g_autoptr(GDate) due = date_from_iso ("2025-06-30");
  g_autoptr(GDate) as_of = date_from_iso ("2025-07-10");
  RelancePenalty penalty;

  g_assert_true (relance_penalty_compute (&policy, NULL, NULL, 50000, "EUR", due, as_of,
                                          FALSE, &penalty, NULL));
  g_assert_cmpstr (penalty.currency, ==, "EUR");
  g_assert_cmpstr (penalty.indemnity_currency, ==, "GBP");
  g_assert_cmpint (penalty.indemnity_minor, ==, 4000);
  g_assert_true (penalty.indemnity_approximate);
}

/* A half-year nobody has set yet: the latest earlier rate is used, and flagged. */
static void
test_missing_half_year (void)
{
  g_autoptr(RelanceRateTable) table = relance_rate_table_new (RELANCE_RATE_SERIES_ECB);
  RelancePenaltyPolicy policy = relance_penalty_policy_for_country ("FR");
  g_autoptr(GDate) due = date_from_iso ("2025-06-15");
  g_autoptr(GDate) as_of = date_from_iso ("2025-07-15");
  g_autoptr(GDate) early = date_from_iso ("2024-12-01");
  g_autoptr(GError) error = NULL;
  const RelanceRateEntry *entry = NULL;
  gboolean fallback = FALSE;
  RelancePenalty penalty;

  g_assert_true (relance_rate_table_set (table, 2025, 1, 315, "shipped", NULL));

  g_assert_true (relance_rate_table_lookup (table, 2025, 2, &entry, &fallback, NULL));
  g_assert_true (fallback);
  g_assert_cmpint (entry->year, ==, 2025);
  g_assert_cmpint (entry->half, ==, 1);

  /* All 30 days at 13.15 %: 100000 × 1315 × 30 / 3650000 = 1080.82 → 10,81 €. */
  g_assert_true (relance_penalty_compute (&policy, table, NULL, 100000, "EUR", due, as_of,
                                          FALSE, &penalty, &error));
  g_assert_no_error (error);
  g_assert_cmpint (penalty.interest_minor, ==, 1081);
  g_assert_cmpint (penalty.rate_bp, ==, 1315);
  g_assert_true (penalty.fallback);
  g_assert_cmpint (penalty.fallback_year, ==, 2025);
  g_assert_cmpint (penalty.fallback_half, ==, 2);

  /* Nothing at or before 2024-H2: an error that says how to fix it. */
  g_assert_false (relance_rate_table_lookup (table, 2024, 2, &entry, &fallback, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "relance rate set 2024-H2"));
  g_clear_error (&error);

  g_assert_false (relance_penalty_compute (&policy, table, NULL, 100000, "EUR", early, as_of,
                                           FALSE, &penalty, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
}

static void
test_bad_input (void)
{
  RelancePenaltyPolicy fr = relance_penalty_policy_for_country ("FR");
  RelancePenaltyPolicy uk = relance_penalty_policy_for_country ("GB");
  g_autoptr(RelanceRateTable) ecb = relance_rate_table_new_shipped (RELANCE_RATE_SERIES_ECB);
  g_autoptr(GDate) due = date_from_iso ("2025-06-15");
  g_autoptr(GDate) as_of = date_from_iso ("2025-07-15");
  GDate invalid;
  RelancePenalty penalty;
  struct { gint64 amount; const char *currency; } cases[] = {
    { -1, "EUR" },
    { G_GINT64_CONSTANT (100000000000001), "EUR" },
    { 100, "euro" },
    { 100, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (relance_penalty_compute (&fr, NULL, NULL, cases[i].amount,
                                               cases[i].currency, due, as_of, FALSE,
                                               &penalty, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;

    g_date_clear (&invalid, 1);
    g_assert_false (relance_penalty_compute (&fr, NULL, NULL, 100, "EUR", &invalid, as_of,
                                             FALSE, &penalty, &error));
    g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  }
  {
    g_autoptr(GError) error = NULL;

    /* The UK Act starts from the Bank of England rate, not the ECB's. */
    g_assert_false (relance_penalty_compute (&uk, ecb, NULL, 100, "GBP", due, as_of, FALSE,
                                             &penalty, &error));
    g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  }
}

/* Ten years at a 100 % contractual rate on the largest amount still fits. */
static void
test_no_overflow (void)
{
  RelancePenaltyPolicy policy = relance_penalty_policy_for_country ("US");
  g_autoptr(GDate) due = date_from_iso ("2015-12-31");
  g_autoptr(GDate) as_of = date_from_iso ("2025-12-31");
  g_autoptr(GError) error = NULL;
  RelancePenalty penalty;

  policy.contractual_bp = 10000;
  g_assert_true (relance_penalty_compute (&policy, NULL, NULL,
                                          G_GINT64_CONSTANT (100000000000000), "USD", due,
                                          as_of, FALSE, &penalty, &error));
  g_assert_no_error (error);
  /* 3653 days (three leap years): 10^14 × 10000 × 3653 / 3650000 = 10^14 × 3653 / 365
   * = 1000821917808219.17… → 1000821917808219, with no indemnity outside FR/EU/UK. */
  g_assert_cmpint (penalty.days_late, ==, 3653);
  g_assert_cmpint (penalty.interest_minor, ==, G_GINT64_CONSTANT (1000821917808219));
  g_assert_cmpint (penalty.indemnity_minor, ==, 0);
  g_assert_cmpint (penalty.status, ==, RELANCE_PENALTY_APPLIES);
}

static void
test_shipped_tables (void)
{
  static const struct { RelanceRateSeries series; int year; int half; int bp; } cases[] = {
    { RELANCE_RATE_SERIES_ECB, 2022, 1, 0 },
    { RELANCE_RATE_SERIES_ECB, 2022, 2, 0 },
    { RELANCE_RATE_SERIES_ECB, 2023, 1, 250 },
    { RELANCE_RATE_SERIES_ECB, 2023, 2, 400 },
    { RELANCE_RATE_SERIES_ECB, 2024, 1, 450 },
    { RELANCE_RATE_SERIES_ECB, 2024, 2, 425 },
    { RELANCE_RATE_SERIES_ECB, 2025, 1, 315 },
    { RELANCE_RATE_SERIES_ECB, 2025, 2, 215 },
    { RELANCE_RATE_SERIES_ECB, 2026, 1, 215 },
    { RELANCE_RATE_SERIES_FR_LEGAL, 2024, 1, 507 },
    { RELANCE_RATE_SERIES_FR_LEGAL, 2024, 2, 492 },
    { RELANCE_RATE_SERIES_FR_LEGAL, 2025, 1, 371 },
    { RELANCE_RATE_SERIES_FR_LEGAL, 2025, 2, 276 },
    /* Bank Rate on 31 Dec 2021, 30 Jun 2022, 31 Dec 2022, 30 Jun 2023, 31 Dec 2024,
     * 30 Jun 2025. */
    { RELANCE_RATE_SERIES_BOE, 2022, 1, 25 },
    { RELANCE_RATE_SERIES_BOE, 2022, 2, 125 },
    { RELANCE_RATE_SERIES_BOE, 2023, 1, 350 },
    { RELANCE_RATE_SERIES_BOE, 2023, 2, 500 },
    { RELANCE_RATE_SERIES_BOE, 2025, 1, 475 },
    { RELANCE_RATE_SERIES_BOE, 2025, 2, 425 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelanceRateTable) table = relance_rate_table_new_shipped (cases[i].series);
      const RelanceRateEntry *entry = NULL;
      gboolean fallback = TRUE;

      g_assert_true (relance_rate_table_lookup (table, cases[i].year, cases[i].half, &entry,
                                                &fallback, NULL));
      g_assert_false (fallback);
      g_assert_cmpint (entry->bp, ==, cases[i].bp);
      g_assert_cmpstr (entry->source, ==, "shipped");
    }
}

static void
test_boe_base_rate (void)
{
  static const struct { const char *date; int bp; } cases[] = {
    { "2019-01-01", -1 },
    { "2024-11-06", 500 },
    { "2024-11-07", 475 },
    { "2025-02-05", 475 },
    { "2025-02-06", 450 },
    { "2025-05-08", 425 },
    { "2025-08-07", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDate) date = date_from_iso (cases[i].date);

      g_assert_cmpint (relance_boe_base_rate_on (date), ==, cases[i].bp);
    }
}

static void
test_table_set (void)
{
  g_autoptr(RelanceRateTable) table = relance_rate_table_new_shipped (RELANCE_RATE_SERIES_ECB);
  g_autoptr(RelanceRateTable) copy = NULL;
  g_autoptr(GError) error = NULL;
  const RelanceRateEntry *entry = NULL;
  guint n = relance_rate_table_get_n_entries (table);
  gboolean fallback = TRUE;

  /* A new half-year is added in order… */
  g_assert_true (relance_rate_table_set (table, 2026, 2, 200, "user", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (relance_rate_table_get_n_entries (table), ==, n + 1);
  entry = relance_rate_table_get_entry (table, n);
  g_assert_cmpint (entry->year, ==, 2026);
  g_assert_cmpint (entry->half, ==, 2);
  g_assert_true (relance_rate_table_lookup (table, 2026, 2, &entry, &fallback, NULL));
  g_assert_false (fallback);
  g_assert_cmpint (entry->bp, ==, 200);
  g_assert_cmpstr (entry->source, ==, "user");

  /* …an existing one is overridden, not duplicated… */
  g_assert_true (relance_rate_table_set (table, 2025, 1, 300, "user", NULL));
  g_assert_cmpuint (relance_rate_table_get_n_entries (table), ==, n + 1);
  g_assert_true (relance_rate_table_lookup (table, 2025, 1, &entry, NULL, NULL));
  g_assert_cmpint (entry->bp, ==, 300);

  /* …an older one goes first. */
  g_assert_true (relance_rate_table_set (table, 2021, 2, 0, "user", NULL));
  g_assert_cmpint (relance_rate_table_get_entry (table, 0)->year, ==, 2021);

  /* A copy is independent of the original. */
  copy = relance_rate_table_copy (table);
  g_assert_true (relance_rate_table_set (copy, 2025, 1, 315, "shipped", NULL));
  g_assert_true (relance_rate_table_lookup (table, 2025, 1, &entry, NULL, NULL));
  g_assert_cmpint (entry->bp, ==, 300);

  g_assert_false (relance_rate_table_set (table, 2026, 3, 200, "user", &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relance_rate_table_set (table, 2026, 2, 10001, "user", &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relance_rate_table_set (table, 2026, 2, -5, "user", &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
}

static void
test_rate_parse (void)
{
  static const struct { const char *text; int bp; } good[] = {
    { "13.15", 1315 },
    { "13,15", 1315 },
    { "12.5 %", 1250 },
    { "12,5\u00a0%", 1250 },
    { "8%", 800 },
    { " 0 ", 0 },
    { "100", 10000 },
    { "100.00 %", 10000 },
    { "12.150", 1215 },
    { "+3.5", 350 },
    { ".5", 50 },
  };
  static const struct { const char *text; const char *hint; } bad[] = {
    { "", "No rate" },
    { " % ", "No rate" },
    { "-1", "negative" },
    { "\u22122", "negative" },
    { "100.01", "above 100" },
    { "101", "above 100" },
    { "99999999999999999999", "above 100" },
    { "12.155", "too many decimals" },
    { "abc", "not a rate" },
    { "1.2.3", "not a rate" },
    { "12 5", "not a rate" },
    { "12.5 %%", "not a rate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      int bp = -1;

      g_assert_true (relance_rate_parse (good[i].text, &bp, &error));
      g_assert_no_error (error);
      g_assert_cmpint (bp, ==, good[i].bp);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int bp = -1;

      g_assert_false (relance_rate_parse (bad[i].text, &bp, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].hint));
      g_assert_cmpint (bp, ==, -1);
    }
}

static void
test_rate_format (void)
{
  static const struct { int bp; const char *language; const char *text; } cases[] = {
    { 1215, "fr", "12,15\u00a0%" },
    { 1215, "fr_FR", "12,15\u00a0%" },
    { 1215, "en", "12.15%" },
    { 1250, NULL, "12.50%" },
    { 0, "en", "0.00%" },
    { 10000, "fr", "100,00\u00a0%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = relance_rate_format (cases[i].bp, cases[i].language);
      g_autofree char *decimal = relance_rate_to_decimal (cases[i].bp);
      int back = -1;

      g_assert_cmpstr (text, ==, cases[i].text);
      /* What we write, we read back. */
      g_assert_true (relance_rate_parse (text, &back, NULL));
      g_assert_cmpint (back, ==, cases[i].bp);
      g_assert_true (relance_rate_parse (decimal, &back, NULL));
      g_assert_cmpint (back, ==, cases[i].bp);
    }
}

static void
test_half_year_parse (void)
{
  static const struct { const char *text; int year; int half; const char *canonical; } good[] = {
    { "2026-H2", 2026, 2, "2026-H2" },
    { "2026-h1", 2026, 1, "2026-H1" },
    { " 2025-S2 ", 2025, 2, "2025-H2" },
  };
  static const char *const bad[] = {
    "2026-H3", "2026H2", "26-H2", "2026-H", "2026-H2x", "", "H2-2026", "1990-H1", "2200-H1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *back = NULL;
      int year = 0, half = 0;

      g_assert_true (relance_half_year_parse (good[i].text, &year, &half, NULL));
      g_assert_cmpint (year, ==, good[i].year);
      g_assert_cmpint (half, ==, good[i].half);
      back = relance_half_year_format (year, half);
      g_assert_cmpstr (back, ==, good[i].canonical);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int year = 0, half = 0;

      g_assert_false (relance_half_year_parse (bad[i], &year, &half, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_assert_cmpint (year, ==, 0);
    }
}

static void
test_policy_for_country (void)
{
  static const struct { const char *country; RelancePenaltyRegime regime; int margin; } cases[] = {
    { "FR", RELANCE_PENALTY_REGIME_FRANCE, 1000 },
    { "fr", RELANCE_PENALTY_REGIME_FRANCE, 1000 },
    { "RE", RELANCE_PENALTY_REGIME_FRANCE, 1000 },
    { "DE", RELANCE_PENALTY_REGIME_EU, 800 },
    { "BE", RELANCE_PENALTY_REGIME_EU, 800 },
    { "GB", RELANCE_PENALTY_REGIME_UK, 800 },
    { "UK", RELANCE_PENALTY_REGIME_UK, 800 },
    { "US", RELANCE_PENALTY_REGIME_NONE, 0 },
    { "CH", RELANCE_PENALTY_REGIME_NONE, 0 },
    { NULL, RELANCE_PENALTY_REGIME_NONE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RelancePenaltyPolicy policy = relance_penalty_policy_for_country (cases[i].country);

      g_assert_cmpint (policy.regime, ==, cases[i].regime);
      g_assert_cmpint (policy.margin_bp, ==, cases[i].margin);
      g_assert_cmpint (policy.contractual_bp, ==, -1);
      g_assert_cmpint (policy.reference, ==, cases[i].regime == RELANCE_PENALTY_REGIME_UK
                                             ? RELANCE_RATE_SERIES_BOE
                                             : RELANCE_RATE_SERIES_ECB);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (compute_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/penalty/compute/%s", compute_cases[i].name);

      g_test_add_data_func (path, &compute_cases[i], test_compute);
    }
  g_test_add_func ("/penalty/reasons", test_reasons);
  g_test_add_func ("/penalty/uk-foreign-currency", test_uk_foreign_currency);
  g_test_add_func ("/penalty/missing-half-year", test_missing_half_year);
  g_test_add_func ("/penalty/bad-input", test_bad_input);
  g_test_add_func ("/penalty/no-overflow", test_no_overflow);
  g_test_add_func ("/penalty/rates/shipped", test_shipped_tables);
  g_test_add_func ("/penalty/rates/boe-base-rate", test_boe_base_rate);
  g_test_add_func ("/penalty/rates/set", test_table_set);
  g_test_add_func ("/penalty/rates/parse", test_rate_parse);
  g_test_add_func ("/penalty/rates/format", test_rate_format);
  g_test_add_func ("/penalty/half-year/parse", test_half_year_parse);
  g_test_add_func ("/penalty/policy", test_policy_for_country);

  return g_test_run ();
}
