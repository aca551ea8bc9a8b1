/* relance-bank-match.h: which open invoices a bank credit pays.
 *
 * A pure function of the open invoices, the grouped reminders sent and the credit, so that
 * it is tested and measured without a database. Rules, in order:
 *   1. a valid ISO 11649 reference (given apart by the bank, or in the label) of an invoice
 *      or of a grouped reminder: certain (a credit above what is owed is applied and the
 *      excess flagged);
 *   2. invoice numbers in the label (case, spaces and dashes do not matter), the amount not
 *      above what they still owe: certain; above it: proposed;
 *   3. the amount is what one open invoice, or one grouped reminder, still owes, and the
 *      payer's name is close to the client's: proposed;
 *   4. anything else: unmatched.
 * A credit in another currency than the invoice never matches. The matcher lowers the
 * outstanding of what a certain match pays, so that two credits of one statement do not pay
 * the same invoice twice. */
#pragma once

#include <glib.h>

#include "relance-bank.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *number;
  gint64  client_id;
  char   *client_name;
  gint64  outstanding;   /* minor units, > 0 */
  char   *currency;
  GDate   due_date;
} RelanceBankOpenInvoice;

void relance_bank_open_invoice_free (RelanceBankOpenInvoice *invoice);

typedef enum
{
  RELANCE_BANK_MATCH_NONE,
  RELANCE_BANK_MATCH_PROPOSED,
  RELANCE_BANK_MATCH_CERTAIN,
} RelanceBankMatchKind;

typedef struct
{
  gint64 invoice_id;
  gint64 amount;         /* what goes to that invoice */
} RelanceBankAllocation;

typedef struct
{
  RelanceBankMatchKind  kind;
  const char           *rule;         /* "reference", "number", "amount", NULL */
  GArray               *allocations;  /* of RelanceBankAllocation */
  gint64                excess;       /* what is left once every invoice is paid */
  char                 *note;         /* why it did not match, or what to look at; or NULL */
} RelanceBankMatch;

void relance_bank_match_clear (RelanceBankMatch *match);

typedef struct _RelanceBankMatcher RelanceBankMatcher;

/* Takes @invoices (of RelanceBankOpenInvoice) and @groups (reference → GArray of invoice
 * ids, as relance_creditor_ref_for_group() made them); both are kept (a reference). */
RelanceBankMatcher *relance_bank_matcher_new   (GPtrArray               *invoices,
                                                GHashTable              *groups);
void                relance_bank_matcher_free  (RelanceBankMatcher      *matcher);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBankMatcher, relance_bank_matcher_free)

/* Fills @out (cleared first); a certain match lowers what those invoices owe. */
void                relance_bank_matcher_match (RelanceBankMatcher      *matcher,
                                                const RelanceBankCredit *credit,
                                                RelanceBankMatch        *out);
/* Spreads @amount over @ids in that order, each up to what it owes; what is left is the
 * excess. FALSE (and @error) when one is not open or is in another currency. Used for
 * `bank match`, by hand. */
gboolean            relance_bank_matcher_allocate (RelanceBankMatcher   *matcher,
                                                   const gint64         *ids,
                                                   guint                 n_ids,
                                                   gint64                amount,
                                                   const char           *currency,
                                                   RelanceBankMatch     *out,
                                                   GError              **error);

/* Names compared without accents, case, punctuation or legal forms (SARL, SAS, Ltd…). */
char               *relance_bank_normalise_name (const char             *name);
gboolean            relance_bank_names_close    (const char             *payer,
                                                 const char             *client);

G_END_DECLS
