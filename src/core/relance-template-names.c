/* relance-template-names.c: the names a template may use, with what they stand for, and
 * the name a typo most likely meant. */
#include "config.h"

#include "relance-template-private.h"

/* Every name a template may use; the editor completes from this list, in this order. */
static const NameInfo names[] = {
  { "client.name",          FALSE, N_("The client’s name") },
  { "company.name",         FALSE, N_("Your company’s name") },
  { "company.address",      FALSE, N_("Your company’s postal address") },
  { "company.iban",         FALSE, N_("Your bank account number (IBAN)") },
  { "company.bic",          FALSE, N_("Your bank’s identifier code (BIC)") },
  { "invoice.number",       TRUE,  N_("The invoice number") },
  { "invoice.issue_date",   TRUE,  N_("The date the invoice was issued") },
  { "invoice.due_date",     TRUE,  N_("The date the invoice was due") },
  { "invoice.total",        TRUE,  N_("The invoice total, taxes included") },
  { "invoice.outstanding",  TRUE,  N_("What remains to be paid on the invoice") },
  { "invoice.days_overdue", TRUE,  N_("How many days the invoice is overdue") },
  { "invoice.penalties",    TRUE,  N_("The late-payment penalties on the invoice") },
  { "invoice.indemnity",    TRUE,  N_("The fixed recovery indemnity for the invoice") },
  { "invoice.promise_date", TRUE,  N_("The date the client promised to pay by, once it has "
                                      "passed (empty otherwise)") },
  { "payment.link",         FALSE, N_("The web address where the client can pay") },
  { "payment.reference",    FALSE, N_("The payment reference (ISO 11649, RF…) the client "
                                      "gives with the transfer, so that it is recognised on "
                                      "your bank statement") },
  { "penalties.amount",     FALSE, N_("The late-payment penalties on all the invoices") },
  { "penalties.rate",       FALSE, N_("The yearly rate of the late-payment penalties") },
  { "indemnity",            FALSE, N_("The fixed recovery indemnities for all the invoices") },
  { "deadline",             FALSE, N_("The date by which the client must pay") },
  { "total_due",            FALSE, N_("The total the client owes for the invoices") },
};

/* Suggestions are for typos, not for rewriting a whole word. */
#define MAX_SUGGESTION_DISTANCE 2

const NameInfo *
relance_template_lookup_name (const char *name,
                              gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i].name) == len && memcmp (names[i].name, name, len) == 0)
      return &names[i];
  return NULL;
}

gboolean
relance_template_is_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);
  return relance_template_lookup_name (name, strlen (name)) != NULL;
}

const char *
relance_template_describe_name (const char *name)
{
  const NameInfo *info;

  g_return_val_if_fail (name != NULL, NULL);
  info = relance_template_lookup_name (name, strlen (name));
  return info != NULL ? _(info->description) : NULL;
}

GPtrArray *
relance_template_list_names (void)
{
  GPtrArray *list = g_ptr_array_new_full (G_N_ELEMENTS (names), g_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (list, g_strdup (names[i].name));
  return list;
}

/* Edit distance in characters, so an accented typo counts once. */
static guint
levenshtein (const char *a,
             const char *b)
{
  glong la, lb;
  g_autofree gunichar *ua = g_utf8_to_ucs4_fast (a, -1, &la);
  g_autofree gunichar *ub = g_utf8_to_ucs4_fast (b, -1, &lb);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (glong j = 0; j <= lb; j++)
    row[j] = j;
  for (glong i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (glong j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* The closest of @candidates to @wrong, if it is close enough to be a typo. */
const char *
relance_template_suggest (const char         *wrong,
                          const char * const *candidates,
                          guint               n_candidates)
{
  g_autofree char *lower = NULL;
  const char *best = NULL;
  guint best_distance = MAX_SUGGESTION_DISTANCE + 1;

  if (g_utf8_strlen (wrong, -1) > 64)
    return NULL;
  lower = g_utf8_strdown (wrong, -1);
  for (guint i = 0; i < n_candidates; i++)
    {
      guint distance = levenshtein (lower, candidates[i]);

      if (distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }
  return best;
}

const char *
relance_template_suggest_name (const char *wrong)
{
  const char *candidates[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    candidates[i] = names[i].name;
  return relance_template_suggest (wrong, candidates, G_N_ELEMENTS (candidates));
}
