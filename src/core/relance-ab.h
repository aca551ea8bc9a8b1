/* relance-ab.h: A/B tests of reminder texts: which client gets which text, and what the
 * counts say.
 *
 * Pure functions (no store): the split of clients and the statistics. The tests themselves,
 * their texts and their counts live in the store (src/core/store/relance-store-ab.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The difference in payment rate a test is sized to tell, in percentage points. */
#define RELANCE_AB_DIFFERENCE_POINTS 15
/* Verdicts need this probability that one text beats the other (or its complement). */
#define RELANCE_AB_CONFIDENCE 0.95

/* 'a' or 'b' for @client_id in the test whose secret is @salt: a keyed hash (HMAC-SHA-256),
 * so the split is random between clients, stable across restarts and different per test. */
char     relance_ab_assign              (const char *salt,
                                         gint64      client_id);
/* A new random salt, for a new test. */
char    *relance_ab_new_salt            (void);

/* P(rate of B > rate of A) with uniform Beta(1, 1) priors on both rates, computed exactly
 * (sum of Beta functions): @paid_x out of @n_x for each variant. */
double   relance_ab_probability_better  (guint n_a,
                                         guint paid_a,
                                         guint n_b,
                                         guint paid_b);

/* Reminders needed per variant to tell @p1 from @p2 with a one-sided test at 5 % and 80 %
 * power (normal approximation for two proportions). */
guint    relance_ab_sample_size         (double p1,
                                         double p2);
/* The same for a RELANCE_AB_DIFFERENCE_POINTS difference around the @baseline rate (the
 * pooled rate seen so far; 0.5 when nothing is known yet, which asks for the most). */
guint    relance_ab_needed_per_variant  (double baseline);

/* The median of @n values (sorted in place); NAN when @n is 0. */
double   relance_ab_median              (int   *values,
                                         guint  n);

typedef enum
{
  RELANCE_AB_TOO_EARLY,
  RELANCE_AB_B_BETTER,
  RELANCE_AB_A_BETTER,
  RELANCE_AB_NO_DIFFERENCE,
} RelanceAbVerdict;

typedef struct
{
  double            probability_better;  /* P(B beats A) */
  guint             needed;              /* reminders per variant for a verdict */
  RelanceAbVerdict  verdict;
  char             *sentence;            /* one plain sentence, translated */
} RelanceAbSummary;

void        relance_ab_summary_clear    (RelanceAbSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelanceAbSummary, relance_ab_summary_clear)

/* "too-early", "b-better", "a-better", "no-difference" */
const char *relance_ab_verdict_to_string (RelanceAbVerdict verdict);

/* The verdict on reminders old enough to be judged (@n_x sent at least 14 days ago, @paid_x
 * of them paid within 14 days). */
void        relance_ab_summarise        (guint             n_a,
                                         guint             paid_a,
                                         guint             n_b,
                                         guint             paid_b,
                                         RelanceAbSummary *out);

G_END_DECLS
