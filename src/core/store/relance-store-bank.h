/* relance-store-bank.h: bank transactions in the store, and the payments they become.
 *
 * Every rule about bank credits lives here: a transaction is kept once (by its key), a
 * certain match becomes payments at once through relance_store_add_payment() (so a payment
 * from the bank stops reminders exactly as `relance pay` does), each payment is linked to
 * its transaction so that undo removes exactly those payments. The window, the command line
 * and the scheduler call these functions; none of them speaks SQL. */
#pragma once

#include "relance-bank.h"
#include "relance-bank-match.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* The folder the running scheduler watches for statements (`config set bank-folder DIR`);
 * empty or unset: none. */
#define RELANCE_SETTING_BANK_FOLDER "bank-folder"

typedef struct
{
  gint64  invoice_id;
  char   *number;
  gint64  amount;       /* what the transaction pays (or would pay) on it */
  gint64  payment_id;   /* 0 while proposed */
} RelanceBankLink;

typedef struct
{
  gint64     id;
  char      *key;
  GDate      date;
  gint64     amount;
  char      *currency;
  char      *payer;
  char      *label;
  char      *reference;   /* NULL when the bank gave none apart */
  char      *statement;   /* the file it came from */
  char      *status;      /* "applied", "proposed", "unmatched", "ignored" */
  char      *rule;        /* "reference", "number", "amount", "manual" or NULL */
  gint64     excess;      /* paid above what the invoices owed */
  char      *note;
  GPtrArray *links;       /* of RelanceBankLink */
} RelanceBankTransaction;

void relance_bank_transaction_free (RelanceBankTransaction *transaction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBankTransaction, relance_bank_transaction_free)

typedef struct
{
  guint      n_new;
  guint      n_known;      /* already imported from an earlier statement */
  guint      n_debits;     /* not credits, skipped */
  guint      n_applied;
  guint      n_proposed;
  guint      n_unmatched;
  GPtrArray *transactions; /* the new ones, of RelanceBankTransaction */
} RelanceBankImportReport;

void relance_bank_import_report_free (RelanceBankImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceBankImportReport, relance_bank_import_report_free)

typedef enum
{
  RELANCE_BANK_FILTER_ALL,
  RELANCE_BANK_FILTER_UNMATCHED,
  RELANCE_BANK_FILTER_PROPOSED,
  RELANCE_BANK_FILTER_APPLIED,
} RelanceBankFilter;

/* Imports the credits of @statement in one transaction: new ones are matched and kept,
 * certain matches paid. With @dry_run, everything is rolled back (the report says what
 * would happen). */
RelanceBankImportReport *relance_bank_store_import   (RelanceStore                *store,
                                                      const RelanceBankStatement  *statement,
                                                      gboolean                     dry_run,
                                                      GError                     **error);
GPtrArray               *relance_bank_store_list     (RelanceStore                *store,
                                                      RelanceBankFilter            filter,
                                                      GError                     **error);
RelanceBankTransaction  *relance_bank_store_get      (RelanceStore                *store,
                                                      gint64                       id,
                                                      GError                     **error);
/* Pays @numbers with transaction @id (proposed, unmatched or ignored), spread in that
 * order; refuses another currency, a paid or cancelled invoice, an applied transaction. */
gboolean                 relance_bank_store_match    (RelanceStore                *store,
                                                      gint64                       id,
                                                      const char * const          *numbers,
                                                      GError                     **error);
/* Accepts the proposal of transaction @id (relance_bank_store_match with its invoices). */
gboolean                 relance_bank_store_accept   (RelanceStore                *store,
                                                      gint64                       id,
                                                      GError                     **error);
/* Drops the proposal: the transaction is unmatched again. */
gboolean                 relance_bank_store_reject   (RelanceStore                *store,
                                                      gint64                       id,
                                                      GError                     **error);
gboolean                 relance_bank_store_ignore   (RelanceStore                *store,
                                                      gint64                       id,
                                                      GError                     **error);
/* Removes the payments transaction @id made (applied) and makes it unmatched; an ignored
 * transaction is unmatched again. */
gboolean                 relance_bank_store_undo     (RelanceStore                *store,
                                                      gint64                       id,
                                                      GError                     **error);

/* What the matcher works on: every open invoice with what it still owes, and the grouped
 * reminders (reference → GArray of invoice ids). */
GPtrArray               *relance_bank_store_open_invoices (RelanceStore          *store,
                                                           GError               **error);
GHashTable              *relance_bank_store_groups        (RelanceStore          *store,
                                                           GError               **error);
/* The transaction a payment came from, or NULL (for the invoice timeline). */
RelanceBankTransaction  *relance_bank_store_for_payment   (RelanceStore          *store,
                                                           gint64                 payment_id);

G_END_DECLS
