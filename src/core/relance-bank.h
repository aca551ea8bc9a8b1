/* relance-bank.h: bank statements read into credits (CAMT.053/.054, OFX 1.x/2.x, banks' CSV).
 *
 * Only credits are kept: a statement's debits are counted and dropped. Amounts are gint64
 * minor units of the statement's currency. Each credit gets a key that stays the same when
 * the same transaction comes again in another, overlapping statement: the bank's own id
 * (AcctSvcrRef, FITID, the CSV's transaction id) when there is one, else a hash of the
 * account, date, amount, currency, label and its rank among identical credits of the file.
 *
 * Readers are all or nothing: a malformed entry refuses the whole file with FILE:LINE. XML
 * with a DOCTYPE (so entities or external references) is refused before it is read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *key;        /* "id:ACCOUNT:BANKID" or "hash:…", see above */
  char    *bank_id;    /* AcctSvcrRef, FITID… or NULL */
  char    *account;    /* IBAN or account id, "" when the file does not say */
  GDate    date;       /* booking date */
  gint64   amount;     /* minor units, > 0 */
  char    *currency;   /* ISO 4217 */
  char    *payer;      /* the debtor's name, may be "" */
  char    *label;      /* remittance text, may be "" */
  char    *reference;  /* a structured creditor reference the bank gave apart, or NULL */
  guint    line;       /* where it is in the file */
} RelanceBankCredit;

typedef struct
{
  char      *format;       /* "CAMT.053", "CAMT.054", "OFX", "CSV" */
  char      *bank;         /* the CSV profile's name (Qonto…), NULL otherwise */
  char      *name;         /* the file's base name, as payments mention it */
  GPtrArray *credits;      /* of RelanceBankCredit */
  guint      n_debits;     /* entries skipped because they are not credits */
} RelanceBankStatement;

void                  relance_bank_credit_free     (RelanceBankCredit    *credit);
void                  relance_bank_statement_free  (RelanceBankStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBankCredit, relance_bank_credit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBankStatement, relance_bank_statement_free)

/* Reads @path, recognising the format from the content (not the name). Errors are
 * RELANCE_CORE_ERROR_INVALID with "FILE:LINE: …" when a line is known. */
RelanceBankStatement *relance_bank_statement_read       (const char   *path,
                                                         GError      **error);
/* The same from bytes in memory; @name is used in messages and as the statement's name. */
RelanceBankStatement *relance_bank_statement_read_bytes (const char   *name,
                                                         GBytes       *bytes,
                                                         GError      **error);
/* Whether @path has the name of a statement Relance reads (.xml .ofx .qfx .csv, .053…). */
gboolean              relance_bank_is_statement_name    (const char   *path);

/* The CSV profiles (src/core/bank/profiles.ini): ids and names, for tests. */
GStrv                 relance_bank_profile_ids          (void);
const char           *relance_bank_profile_name         (const char   *id);

/* Parses a decimal amount written with @decimal ('.' or ','), optional sign, optional
 * thousands separators (spaces, and the other of '.' ','), into minor units of @currency. */
gboolean              relance_bank_parse_amount         (const char   *text,
                                                         char          decimal,
                                                         const char   *currency,
                                                         gint64       *out_minor,
                                                         GError      **error);

G_END_DECLS
