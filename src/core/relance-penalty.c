/* relance-penalty.c: late-payment interest and recovery indemnities (France L441-10, EU
 * directive 2011/7/EU, UK Late Payment Act 1998), rates kept per half-year, all in integer
 * arithmetic rounded once per invoice.
 * (Over 800 lines: three jurisdictions' rules, tables of rates and one rounding.) */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-money.h"
#include "relance-penalty-private.h"

/* Interest is amount × rate (bp) × days / (10000 × 365): the statutory texts count an
 * ordinary year, and French practice keeps 365 even in leap years. */
#define INTEREST_DENOMINATOR G_GUINT64_CONSTANT (3650000)


static const char *const eu_countries[] = {
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "DE", "GR", "EL", "HU", "IE",
  "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
};

/* Metropolitan France and the overseas departments, where the Code de commerce applies. */
static const char *const french_countries[] = {
  "FR", "GP", "MQ", "GF", "RE", "YT",
};

/* ---- policies ------------------------------------------------------------------------ */

static gboolean
country_in (const char        *country,
            const char *const *list,
            gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (country, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The statutory policy of the seller's country (ISO 3166 code); the caller sets
 * contractual_bp when the company states its own rate. */
RelancePenaltyPolicy
relance_penalty_policy_for_country (const char *country)
{
  RelancePenaltyPolicy policy = {
    .regime = RELANCE_PENALTY_REGIME_NONE,
    .reference = RELANCE_RATE_SERIES_ECB,
    .margin_bp = 0,
    .split_by_half = TRUE,
    .contractual_bp = -1,
  };

  if (country == NULL)
    return policy;

  if (country_in (country, french_countries, G_N_ELEMENTS (french_countries)))
    {
      policy.regime = RELANCE_PENALTY_REGIME_FRANCE;
      policy.margin_bp = 1000;
    }
  else if (country_in (country, eu_countries, G_N_ELEMENTS (eu_countries)))
    {
      policy.regime = RELANCE_PENALTY_REGIME_EU;
      policy.margin_bp = 800;
    }
  else if (g_ascii_strcasecmp (country, "GB") == 0 || g_ascii_strcasecmp (country, "UK") == 0)
    {
      policy.regime = RELANCE_PENALTY_REGIME_UK;
      policy.reference = RELANCE_RATE_SERIES_BOE;
      policy.margin_bp = 800;
      /* The Act fixes the reference rate for the whole life of the debt. */
      policy.split_by_half = FALSE;
    }
  return policy;
}

/* ---- computation --------------------------------------------------------------------- */

/* a × b / d rounded half up, exactly, without a 128-bit type: with b = q·d + r and
 * a = x·d + y, a·b = d·(a·q + x·r) + y·r, and y·r < d² fits in 64 bits as d < 2^31. */
static gboolean
mul_div_round_half_up (guint64  a,
                       guint64  b,
                       guint64  d,
                       guint64 *out)
{
  guint64 q = b / d, r = b % d, x = a / d, y = a % d;
  guint64 whole, part;

  if (!g_uint64_checked_mul (&whole, a, q)
      || !g_uint64_checked_mul (&part, x, r)
      || !g_uint64_checked_add (&whole, whole, part)
      || !g_uint64_checked_add (&whole, whole, (y * r + d / 2) / d))
    return FALSE;
  *out = whole;
  return TRUE;
}

static gint64
max_minor (const char *currency)
{
  gint64 max = RELANCE_MONEY_MAX_UNITS;

  for (int i = relance_currency_digits (currency); i > 0; i--)
    max *= 10;
  return max;
}

static void
note_fallback (RelancePenalty *out,
               gboolean        fallback,
               int             year,
               int             half)
{
  if (fallback && !out->fallback)
    {
      out->fallback = TRUE;
      out->fallback_year = year;
      out->fallback_half = half;
    }
}

/* The yearly rate for the days of one half-year. */
static gboolean
segment_rate (const RelancePenaltyPolicy *policy,
              const RelanceRateTable     *rates,
              const RelanceRateTable     *legal_rates,
              int                         year,
              int                         half,
              RelancePenalty             *out,
              int                        *out_bp,
              GError                    **error)
{
  const RelanceRateEntry *entry;
  gboolean fallback = FALSE;

  if (policy->contractual_bp >= 0)
    {
      int bp = policy->contractual_bp;

      out->contractual = TRUE;
      out->floored = FALSE;
      out->reference_bp = 0;
      /* L441-10: a contractual rate may not be below three times the legal interest rate. */
      if (policy->regime == RELANCE_PENALTY_REGIME_FRANCE)
        {
          if (!relance_rate_table_lookup (legal_rates, year, half, &entry, &fallback, error))
            return FALSE;
          note_fallback (out, fallback, year, half);
          out->reference_bp = entry->bp;
          if (bp < 3 * entry->bp)
            {
              bp = 3 * entry->bp;
              out->floored = TRUE;
            }
        }
      *out_bp = bp;
      return TRUE;
    }

  if (!relance_rate_table_lookup (rates, year, half, &entry, &fallback, error))
    return FALSE;
  note_fallback (out, fallback, year, half);
  out->contractual = FALSE;
  out->floored = FALSE;
  out->reference_bp = entry->bp;
  *out_bp = entry->bp + policy->margin_bp;
  return TRUE;
}

static void
set_indemnity (const RelancePenaltyPolicy *policy,
               gint64                      outstanding_minor,
               const char                 *currency,
               RelancePenalty             *out)
{
  switch (policy->regime)
    {
    case RELANCE_PENALTY_REGIME_FRANCE:
    case RELANCE_PENALTY_REGIME_EU:
      /* D441-5 and article 6 of the directive: 40 € per invoice paid late. */
      g_strlcpy (out->indemnity_currency, "EUR", sizeof out->indemnity_currency);
      out->indemnity_minor = 4000;
      break;
    case RELANCE_PENALTY_REGIME_UK:
      {
        /* Section 5A: £40 under £1,000, £70 under £10,000, £100 above. A debt in another
         * currency is banded on its face value in major units, as we keep no exchange
         * rates; the flag lets the caller say so. */
        gint64 scale = max_minor (currency) / RELANCE_MONEY_MAX_UNITS;

        g_strlcpy (out->indemnity_currency, "GBP", sizeof out->indemnity_currency);
        out->indemnity_approximate = strcmp (currency, "GBP") != 0;
        if (outstanding_minor < 1000 * scale)
          out->indemnity_minor = 4000;
        else if (outstanding_minor < 10000 * scale)
          out->indemnity_minor = 7000;
        else
          out->indemnity_minor = 10000;
      }
      break;
    case RELANCE_PENALTY_REGIME_NONE:
      out->indemnity_minor = 0;
      break;
    default:
      g_warn_if_reached ();
      break;
    }
}

/* Fills out with the interest (simple interest from the day after the due date to as_of
 * included, each half-year at its own rate unless the policy fixes it, rounded half up
 * once) and the fixed recovery indemnity. NULL tables mean the shipped ones. Returns
 * FALSE only on bad input or a missing rate; "no penalty" is a success with a reason. */
gboolean
relance_penalty_compute (const RelancePenaltyPolicy *policy,
                         const RelanceRateTable     *rates,
                         const RelanceRateTable     *legal_rates,
                         gint64                      outstanding_minor,
                         const char                 *currency,
                         const GDate                *due,
                         const GDate                *as_of,
                         gboolean                    consumer_client,
                         RelancePenalty             *out,
                         GError                    **error)
{
  g_autoptr(GDate) day = NULL;
  guint64 rate_days = 0; /* Σ rate (bp) × days, the common numerator of all periods */
  guint64 interest;
  int year, half;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (due != NULL && as_of != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);

  if (rates == NULL)
    rates = relance_penalty_shipped_table (policy->reference);
  if (legal_rates == NULL)
    legal_rates = relance_penalty_shipped_table (RELANCE_RATE_SERIES_FR_LEGAL);
  if (relance_rate_table_get_series (rates) != policy->reference)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("Late-payment interest in this country is based on the %s, but "
                     "another table of rates was given."),
                   relance_penalty_series_name (policy->reference));
      return FALSE;
    }
  if (!g_date_valid (due) || !g_date_valid (as_of))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("Late-payment penalties need a valid due date."));
      return FALSE;
    }
  if (currency == NULL || !relance_currency_is_known (currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("“%s” is not a currency code: use three capital letters such as EUR."),
                   currency != NULL ? currency : "");
      return FALSE;
    }
  if (outstanding_minor < 0 || outstanding_minor > max_minor (currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The amount left to pay must be between zero and one trillion."));
      return FALSE;
    }

  g_strlcpy (out->currency, currency, sizeof out->currency);
  out->days_late = MAX (0, g_date_days_between (due, as_of));

  if (policy->regime == RELANCE_PENALTY_REGIME_NONE && policy->contractual_bp < 0)
    {
      out->status = RELANCE_PENALTY_NO_STATUTE;
      out->reason = _("There is no statutory late-payment interest in this country.");
      return TRUE;
    }
  if (consumer_client)
    {
      out->status = RELANCE_PENALTY_CONSUMER;
      out->reason = _("Late-payment penalties and the recovery indemnity apply only "
                      "between businesses, and this client is a consumer.");
      return TRUE;
    }

  day = g_date_copy (due);
  g_date_add_days (day, 1);
  relance_half_year_of_date (day, &year, &half);

  if (out->days_late == 0 || outstanding_minor == 0)
    {
      /* The rate that will apply is still worth showing in a reminder sent before the
       * due date; a missing rate is no error yet. */
      if (!segment_rate (policy, rates, legal_rates, year, half, out, &out->rate_bp, NULL))
        out->rate_bp = 0;
      out->status = RELANCE_PENALTY_NOT_OVERDUE;
      out->reason = out->days_late == 0
                    ? _("The invoice is not overdue yet.")
                    : _("Nothing is left to pay on this invoice.");
      return TRUE;
    }

  if (!policy->split_by_half)
    {
      if (!segment_rate (policy, rates, legal_rates, year, half, out, &out->rate_bp, error))
        return FALSE;
      rate_days = (guint64) out->rate_bp * (guint64) out->days_late;
    }
  else
    {
      while (g_date_compare (day, as_of) <= 0)
        {
          g_autoptr(GDate) end = NULL;
          int bp;

          relance_half_year_of_date (day, &year, &half);
          end = half == 1 ? g_date_new_dmy (30, G_DATE_JUNE, year)
                          : g_date_new_dmy (31, G_DATE_DECEMBER, year);
          if (g_date_compare (end, as_of) > 0)
            g_date_set_julian (end, g_date_get_julian (as_of));

          if (!segment_rate (policy, rates, legal_rates, year, half, out, &bp, error))
            return FALSE;
          out->rate_bp = bp;
          rate_days += (guint64) bp * (guint64) (g_date_days_between (day, end) + 1);

          g_date_set_julian (day, g_date_get_julian (end));
          g_date_add_days (day, 1);
        }
    }

  if (!mul_div_round_half_up ((guint64) outstanding_minor, rate_days, INTEREST_DENOMINATOR,
                              &interest)
      || interest > G_MAXINT64)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The late-payment interest on this invoice is too large to compute."));
      return FALSE;
    }

  out->interest_minor = (gint64) interest;
  set_indemnity (policy, outstanding_minor, currency, out);
  out->status = RELANCE_PENALTY_APPLIES;
  out->reason = NULL;
  return TRUE;
}
