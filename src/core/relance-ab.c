/* relance-ab.c: the split of clients between two texts, and the statistics of a test.
 *
 * Why these choices:
 *  - Clients, not invoices, are split: a client who gets two reminders at once must not read
 *    two different texts. A keyed hash of the client id needs no row per client and stays
 *    the same after a restart; a new salt per test gives each test its own split.
 *  - The probability that B beats A is exact (Evan Miller's sum of Beta functions with
 *    uniform priors), not sampled: the same counts always give the same sentence.
 *  - The sample size is the usual normal approximation for two proportions, one-sided at
 *    5 % with 80 % power; until both variants reach it, the verdict is "too early" whatever
 *    the probability says, as small counts swing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relance-ab.h"

/* Standard normal quantiles: 95 % (one-sided 5 %) and 80 % (power). */
#define Z_ALPHA_ONE_SIDED 1.6448536269514722
#define Z_POWER           0.8416212335729143
/* Below this many judged reminders the pooled rate says too little to size the test. */
#define MIN_FOR_BASELINE  20

char
relance_ab_assign (const char *salt,
                   gint64      client_id)
{
  g_autofree char *data = g_strdup_printf ("%" G_GINT64_FORMAT, client_id);
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) salt,
                                                     strlen (salt), data, -1);

  /* The last hex digit's lowest bit: one bit of a keyed hash, as good as a coin. */
  return (g_ascii_xdigit_value (hmac[strlen (hmac) - 1]) & 1) == 0 ? 'a' : 'b';
}

char *
relance_ab_new_salt (void)
{
  GString *salt = g_string_new (NULL);

  for (int i = 0; i < 4; i++)
    g_string_append_printf (salt, "%08x", g_random_int ());
  return g_string_free (salt, FALSE);
}

static double
log_beta (double a, double b)
{
  return lgamma (a) + lgamma (b) - lgamma (a + b);
}

double
relance_ab_probability_better (guint n_a,
                               guint paid_a,
                               guint n_b,
                               guint paid_b)
{
  double alpha_a = 1.0 + paid_a;
  double beta_a = 1.0 + (n_a - MIN (paid_a, n_a));
  double alpha_b = 1.0 + paid_b;
  double beta_b = 1.0 + (n_b - MIN (paid_b, n_b));
  double total = 0.0;

  for (guint i = 0; i < (guint) alpha_b; i++)
    total += exp (log_beta (alpha_a + i, beta_b + beta_a) - log (beta_b + i)
                  - log_beta (1.0 + i, beta_b) - log_beta (alpha_a, beta_a));
  return CLAMP (total, 0.0, 1.0);
}

guint
relance_ab_sample_size (double p1,
                        double p2)
{
  double z = Z_ALPHA_ONE_SIDED + Z_POWER;
  double d = p1 - p2;

  if (fabs (d) < 1e-9)
    return G_MAXUINT;
  return (guint) ceil (z * z * (p1 * (1.0 - p1) + p2 * (1.0 - p2)) / (d * d) - 1e-9);
}

guint
relance_ab_needed_per_variant (double baseline)
{
  double d = RELANCE_AB_DIFFERENCE_POINTS / 100.0;
  double p1 = CLAMP (baseline, 0.02, 0.98);
  double p2 = p1 + d <= 0.99 ? p1 + d : p1 - d;

  return relance_ab_sample_size (p1, p2);
}

static int
compare_ints (const void *a, const void *b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

double
relance_ab_median (int   *values,
                   guint  n)
{
  if (n == 0)
    return NAN;
  qsort (values, n, sizeof (int), compare_ints);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

void
relance_ab_summary_clear (RelanceAbSummary *summary)
{
  g_clear_pointer (&summary->sentence, g_free);
}

const char *
relance_ab_verdict_to_string (RelanceAbVerdict verdict)
{
  switch (verdict)
    {
    case RELANCE_AB_B_BETTER:
      return "b-better";
    case RELANCE_AB_A_BETTER:
      return "a-better";
    case RELANCE_AB_NO_DIFFERENCE:
      return "no-difference";
    case RELANCE_AB_TOO_EARLY:
    default:
      return "too-early";
    }
}

void
relance_ab_summarise (guint             n_a,
                      guint             paid_a,
                      guint             n_b,
                      guint             paid_b,
                      RelanceAbSummary *out)
{
  double baseline = 0.5;
  int percent;

  g_return_if_fail (out != NULL);

  if (n_a + n_b >= MIN_FOR_BASELINE)
    baseline = (double) (paid_a + paid_b) / (n_a + n_b);
  out->needed = relance_ab_needed_per_variant (baseline);
  out->probability_better = relance_ab_probability_better (n_a, paid_a, n_b, paid_b);
  percent = (int) floor (out->probability_better * 100.0 + 0.5);
  g_clear_pointer (&out->sentence, g_free);

  if (n_a < out->needed || n_b < out->needed)
    {
      out->verdict = RELANCE_AB_TOO_EARLY;
      out->sentence = g_strdup_printf (
        /* Translators: an A/B test of two reminder texts. The first two numbers are the
         * reminders judged so far with text A and text B, the third how many each needs,
         * the fourth a difference in payment rate in percentage points. */
        ngettext ("Too early: %u and %u reminder so far; about %u per variant are needed to "
                  "tell a %d-point difference (one-sided test at 5 %%, 80 %% power).",
                  "Too early: %u and %u reminders so far; about %u per variant are needed to "
                  "tell a %d-point difference (one-sided test at 5 %%, 80 %% power).",
                  n_a + n_b),
        n_a, n_b, out->needed, RELANCE_AB_DIFFERENCE_POINTS);
    }
  else if (out->probability_better >= RELANCE_AB_CONFIDENCE)
    {
      out->verdict = RELANCE_AB_B_BETTER;
      out->sentence = g_strdup_printf (
        /* Translators: an A/B test result; %d %% is a probability, then reminder counts */
        _("Text B gets paid more often: %d %% likely to be better (%u and %u reminders)."),
        percent, n_a, n_b);
    }
  else if (out->probability_better <= 1.0 - RELANCE_AB_CONFIDENCE)
    {
      out->verdict = RELANCE_AB_A_BETTER;
      out->sentence = g_strdup_printf (
        /* Translators: an A/B test result; %d %% is a probability, then reminder counts */
        _("Text A gets paid more often: %d %% likely to be better (%u and %u reminders)."),
        100 - percent, n_a, n_b);
    }
  else
    {
      out->verdict = RELANCE_AB_NO_DIFFERENCE;
      out->sentence = g_strdup_printf (
        /* Translators: an A/B test result; reminder counts, then a probability */
        _("No clear difference after %u and %u reminders: text B is better with a "
          "probability of %d %%."),
        n_a, n_b, percent);
    }
}
