/* relance-penalty.h: late-payment interest and fixed recovery indemnities, by the law of
 * the seller's country, in exact integer arithmetic.
 *
 * Rates are kept in hundredths of a percent (basis points): 1315 means 13.15 %. Reference
 * rates (ECB, Bank of England, French legal interest rate) are kept per half-year in a
 * RelanceRateTable; Relance ships the values it knows and the user adds newer ones
 * ("relance rate set 2026-H2 2.15"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 100 % in basis points: no rate, reference or contractual, may exceed it. */
#define RELANCE_RATE_MAX_BP 10000

typedef enum
{
  RELANCE_RATE_SERIES_ECB,          /* ECB main refinancing rate in force on 1 Jan / 1 Jul */
  RELANCE_RATE_SERIES_BOE,          /* Bank of England base rate on 31 Dec / 30 Jun before */
  RELANCE_RATE_SERIES_FR_LEGAL,     /* French legal interest rate, creditors other than
                                     * consumers ("autres cas") */
} RelanceRateSeries;

typedef struct
{
  int         year;
  int         half;   /* 1: January to June, 2: July to December */
  int         bp;
  const char *source; /* "shipped", "user"… */
} RelanceRateEntry;

typedef struct _RelanceRateTable RelanceRateTable;

gboolean    relance_rate_parse        (const char  *text,
                                       int         *out_bp,
                                       GError     **error);
char       *relance_rate_format       (int          bp,
                                       const char  *language);
char       *relance_rate_to_decimal   (int          bp);

gboolean    relance_half_year_parse   (const char  *text,
                                       int         *out_year,
                                       int         *out_half,
                                       GError     **error);
char       *relance_half_year_format  (int          year,
                                       int          half);
void        relance_half_year_of_date (const GDate *date,
                                       int         *out_year,
                                       int         *out_half);

RelanceRateTable *relance_rate_table_new         (RelanceRateSeries        series);
RelanceRateTable *relance_rate_table_new_shipped (RelanceRateSeries        series);
RelanceRateTable *relance_rate_table_copy        (const RelanceRateTable  *table);
void              relance_rate_table_free        (RelanceRateTable        *table);
RelanceRateSeries relance_rate_table_get_series  (const RelanceRateTable  *table);
guint             relance_rate_table_get_n_entries (const RelanceRateTable *table);
const RelanceRateEntry *relance_rate_table_get_entry (const RelanceRateTable *table,
                                                      guint                   index);
gboolean          relance_rate_table_set         (RelanceRateTable        *table,
                                                  int                      year,
                                                  int                      half,
                                                  int                      bp,
                                                  const char              *source,
                                                  GError                 **error);
gboolean          relance_rate_table_lookup      (const RelanceRateTable  *table,
                                                  int                      year,
                                                  int                      half,
                                                  const RelanceRateEntry **out_entry,
                                                  gboolean                *out_fallback,
                                                  GError                 **error);

int               relance_boe_base_rate_on       (const GDate             *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceRateTable, relance_rate_table_free)

typedef enum
{
  RELANCE_PENALTY_REGIME_NONE,   /* no statutory late-payment interest (US, others) */
  RELANCE_PENALTY_REGIME_FRANCE, /* Code de commerce L441-10 and D441-5 */
  RELANCE_PENALTY_REGIME_EU,     /* directive 2011/7/EU as transposed elsewhere in the EU */
  RELANCE_PENALTY_REGIME_UK,     /* Late Payment of Commercial Debts (Interest) Act 1998 */
} RelancePenaltyRegime;

typedef struct
{
  RelancePenaltyRegime regime;
  RelanceRateSeries    reference;       /* the table the statutory rate starts from */
  int                  margin_bp;       /* points added to the reference rate */
  gboolean             split_by_half;   /* each half-year at its own rate, or one fixed rate */
  int                  contractual_bp;  /* the company's own rate, or -1 for the statutory one */
} RelancePenaltyPolicy;

typedef enum
{
  RELANCE_PENALTY_APPLIES,     /* overdue: interest and indemnity are due */
  RELANCE_PENALTY_NOT_OVERDUE, /* due date not passed, or nothing left to pay */
  RELANCE_PENALTY_CONSUMER,    /* the client is a consumer: business-to-business rules only */
  RELANCE_PENALTY_NO_STATUTE,  /* the seller's country has no statutory penalty */
} RelancePenaltyStatus;

typedef struct
{
  RelancePenaltyStatus status;
  const char *reason;                 /* translated sentence, NULL when the penalty applies */
  int         days_late;              /* days from the day after the due date to as_of */
  gint64      interest_minor;         /* in the invoice currency */
  char        currency[4];
  gint64      indemnity_minor;        /* fixed recovery sum, in indemnity_currency */
  char        indemnity_currency[4];  /* EUR for France and the EU, GBP for the UK */
  gboolean    indemnity_approximate;  /* UK band chosen on a debt not in pounds */
  int         rate_bp;                /* rate of the latest period, for display */
  int         reference_bp;           /* reference rate of the latest period */
  gboolean    contractual;            /* rate_bp is the company's own rate */
  gboolean    floored;                /* contractual rate raised to 3 × legal interest */
  gboolean    fallback;               /* a half-year was missing: an earlier rate was used */
  int         fallback_year;          /* the first missing half-year, when fallback */
  int         fallback_half;
} RelancePenalty;

RelancePenaltyPolicy relance_penalty_policy_for_country (const char *country);

gboolean relance_penalty_compute (const RelancePenaltyPolicy *policy,
                                  const RelanceRateTable     *rates,
                                  const RelanceRateTable     *legal_rates,
                                  gint64                      outstanding_minor,
                                  const char                 *currency,
                                  const GDate                *due,
                                  const GDate                *as_of,
                                  gboolean                    consumer_client,
                                  RelancePenalty             *out,
                                  GError                    **error);

G_END_DECLS
