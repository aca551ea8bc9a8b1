/* relance-store.h: the store — every query and every rule that changes data, behind typed
 * functions and records; the pages, the command line, the scheduler and the senders go
 * through it and nothing else (a test, tests/app/test-layers.py, keeps SQLite out of
 * src/ui, src/app and src/mail).
 *
 * One RelanceStore is one connection and must be used from one thread only; a worker
 * thread opens its own store on the same database. Outstanding amounts and "paid" are
 * derived from payments, never stored. Aggregates live in src/core/store/ (clients,
 * invoices and payments, company and settings, scenarios and templates, the outbox, A/B
 * tests, the inbox, bank transactions, statistics); their SQL stays behind this header.
 *
 * What a second engine (PostgreSQL, issue 21) must provide behind these functions:
 * - open / verify / migrate: the same numbered migrations in its dialect, refusing a
 *   newer schema (RELANCE_CORE_ERROR_NEWER_DATABASE) and a foreign or damaged database
 *   (RELANCE_CORE_ERROR_NOT_RELANCE) without writing to it;
 * - transactions: begin takes the write lock at once (a concurrent writer waits, up to
 *   5 s, then RELANCE_CORE_ERROR_DATABASE "busy"); commit/rollback; durable commits on
 *   demand (relance_store_set_durable_commits);
 * - errors mapped to RELANCE_CORE_ERROR codes: a broken rule (unique, check, foreign key)
 *   is INVALID or CONFLICT, never the engine's own text alone;
 * - change notification: RelanceStore::changed after each local commit, and for other
 *   connections' commits once relance_store_watch_external() is called (SQLite: file
 *   monitor + PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY);
 * - outbox claims that two senders cannot both win (SQLite: one writer at a time;
 *   PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED) and one sender per database;
 * - dates stored as ISO 8601 text (YYYY-MM-DD) and money as 64-bit integers in minor
 *   units, so every query compares and sums them the same way;
 * - backups (relance-backup.h): SQLite copies the file with VACUUM INTO; another engine
 *   leaves them to its own tools and says so. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Current schema version (PRAGMA user_version). */
#define RELANCE_STORE_SCHEMA_VERSION 12

typedef struct
{
  gint64    id;
  char     *name;
  char     *reference;     /* may be NULL */
  char     *email;         /* may be NULL */
  char     *cc;            /* comma-separated, may be NULL */
  char     *phone;
  char     *language;      /* "fr" or "en" */
  char     *country;       /* ISO 3166 alpha-2, may be NULL */
  char     *timezone;      /* IANA name, may be NULL (company's) */
  char     *kind;          /* "business" or "consumer" */
  char     *segment;       /* "regular", "at-risk", "strategic" */
  gboolean  paused;
  gboolean  do_not_remind;
  char     *notes;
  char     *street;        /* postal address: street lines, "\n"-separated, may be NULL */
  char     *postcode;      /* may be NULL */
  char     *city;          /* may be NULL */
} RelanceClient;

typedef struct
{
  gint64    id;
  char     *number;
  gint64    client_id;
  char     *client_name;   /* joined from clients */
  char     *client_email;  /* joined from clients */
  GDate     issue_date;
  GDate     due_date;
  gint64    total;         /* minor units, tax included */
  char     *currency;
  char     *status;        /* stored status: "open", "cancelled", "disputed" */
  GDate     promise_date;  /* invalid (cleared) when none */
  gint64    paid;          /* sum of payments, derived */
  char     *notes;
} RelanceInvoice;

typedef struct
{
  gint64  id;
  gint64  invoice_id;
  GDate   date;
  gint64  amount;
  char   *method;
  char   *note;
} RelancePayment;

typedef struct
{
  char  *name;
  char  *address;
  char  *country;
  char  *siret;
  char  *vat;
  char  *iban;
  char  *bic;
  char  *currency;
  char  *language;
  int    payment_terms;   /* days */
  char  *penalty_rate;    /* contractual rate as a decimal string ("12.5"), NULL = legal */
  char  *payment_link;
} RelanceCompany;

void            relance_client_free   (RelanceClient  *client);
void            relance_invoice_free  (RelanceInvoice *invoice);
void            relance_payment_free  (RelancePayment *payment);
void            relance_company_free  (RelanceCompany *company);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceClient, relance_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceInvoice, relance_invoice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelancePayment, relance_payment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceCompany, relance_company_free)

/* Whether @client has a postal address a letter can be sent to: street lines and a town. */
gboolean    relance_client_has_postal_address (const RelanceClient *client);

/* Derived figures of an invoice. */
gint64      relance_invoice_get_outstanding  (const RelanceInvoice *invoice);
/* "open", "partially-paid", "paid", "cancelled" or "disputed" */
const char *relance_invoice_get_state        (const RelanceInvoice *invoice);
/* Days past the due date as of @today; 0 when not due, paid or cancelled. */
int         relance_invoice_get_days_overdue (const RelanceInvoice *invoice,
                                              const GDate          *today);

/* What a commit changed, as RelanceStore::changed announces it. */
typedef enum
{
  RELANCE_STORE_CHANGED_CLIENTS   = 1 << 0,
  RELANCE_STORE_CHANGED_INVOICES  = 1 << 1, /* invoices, payments, promises, disputes */
  RELANCE_STORE_CHANGED_OUTBOX    = 1 << 2, /* reminders queued, sent, failed; tasks */
  RELANCE_STORE_CHANGED_SETTINGS  = 1 << 3, /* company, settings, rates, accounts */
  RELANCE_STORE_CHANGED_TEMPLATES = 1 << 4, /* scenarios, steps, templates, A/B tests */
  RELANCE_STORE_CHANGED_BANK      = 1 << 5, /* statements, transactions, matches */
  RELANCE_STORE_CHANGED_INBOX     = 1 << 6, /* answers and bounces read from the inbox */
  RELANCE_STORE_CHANGED_ALL       = (1 << 7) - 1,
} RelanceStoreChanged;

typedef struct
{
  RelanceStoreChanged  what;
  GArray              *client_ids;  /* gint64, each once; empty when not known */
  GArray              *invoice_ids; /* gint64, each once; empty when not known */
  gboolean             external;    /* committed by another connection or process: @what is
                                     * then ALL and the ids are not known */
} RelanceStoreChange;

#define RELANCE_TYPE_STORE (relance_store_get_type ())
G_DECLARE_FINAL_TYPE (RelanceStore, relance_store, RELANCE, STORE, GObject)

char         *relance_store_default_path    (void);
RelanceStore *relance_store_open            (const char    *path,
                                             GError       **error);
/* The same without reading the whole file to check it (command-line calls): damage is
 * still noticed on the pages read, and reported as such. */
RelanceStore *relance_store_open_quick      (const char    *path,
                                             GError       **error);
/* The check relance_store_open() makes, on a store opened quick (the window opens quick
 * and runs it in a worker thread after its first frame): FALSE with
 * RELANCE_CORE_ERROR_NOT_RELANCE when the file is damaged. */
gboolean      relance_store_verify          (RelanceStore  *self,
                                             GError       **error);
/* Tests only: create or migrate a database up to @version and stop there. */
RelanceStore *relance_store_open_at_version (const char    *path,
                                             int            version,
                                             GError       **error);
const char   *relance_store_get_path        (RelanceStore  *self);
int           relance_store_get_version     (RelanceStore  *self);

/* One transaction: begin takes the write lock at once (another writer waits, up to 5 s,
 * then a "busy" error); a rollback forgets the changes noted since begin. */
gboolean      relance_store_begin           (RelanceStore  *self,
                                             GError       **error);
/* Until called again with FALSE, every commit of this connection is on the disk when it
 * returns (survives a power cut), at the cost of a sync each; otherwise commits survive a
 * crash of the process only. Call between transactions. */
void          relance_store_set_durable_commits (RelanceStore  *self,
                                                 gboolean       durable);
gboolean      relance_store_commit          (RelanceStore  *self,
                                             GError       **error);
void          relance_store_rollback        (RelanceStore  *self);

/* RelanceStore::changed (const RelanceStoreChange *change) is emitted after every commit of
 * this connection that changed data, in the thread that committed. Once this is called, it
 * is also emitted (external = TRUE, from the thread-default main context of the caller)
 * when another connection or process commits: the window and the scheduler listen to
 * that instead of watching files themselves. */
void          relance_store_watch_external  (RelanceStore  *self);

/* Company profile (a single row, created with defaults). */
RelanceCompany *relance_store_get_company   (RelanceStore         *self,
                                             GError              **error);
gboolean        relance_store_set_company   (RelanceStore         *self,
                                             const RelanceCompany *company,
                                             GError              **error);

/* Settings: a small key/value table for `relance config`. */
char         *relance_store_get_setting     (RelanceStore  *self,
                                             const char    *key);
gboolean      relance_store_set_setting     (RelanceStore  *self,
                                             const char    *key,
                                             const char    *value,
                                             GError       **error);

/* Clients */
GPtrArray      *relance_store_list_clients       (RelanceStore        *self,
                                                  GError             **error);
RelanceClient  *relance_store_get_client         (RelanceStore        *self,
                                                  gint64               id,
                                                  GError             **error);
RelanceClient  *relance_store_find_client        (RelanceStore        *self,
                                                  const char          *name_or_reference,
                                                  GError             **error);
/* Inserts when client->id == 0 (and sets it), updates otherwise. */
gboolean        relance_store_save_client        (RelanceStore        *self,
                                                  RelanceClient       *client,
                                                  GError             **error);

/* Invoices, with client name/email and the sum of payments joined in. */
typedef enum
{
  RELANCE_INVOICE_FILTER_ALL,
  RELANCE_INVOICE_FILTER_OVERDUE,  /* unpaid, not cancelled, due before @today */
  RELANCE_INVOICE_FILTER_REMINDABLE, /* open, unpaid, client neither paused nor do-not-remind */
} RelanceInvoiceFilter;

GPtrArray      *relance_store_list_invoices      (RelanceStore         *self,
                                                  RelanceInvoiceFilter  filter,
                                                  const GDate          *today,
                                                  GError              **error);
RelanceInvoice *relance_store_get_invoice        (RelanceStore         *self,
                                                  const char           *number,
                                                  GError              **error);
/* Inserts when invoice->id == 0 (and sets it), updates otherwise. */
gboolean        relance_store_save_invoice       (RelanceStore         *self,
                                                  RelanceInvoice       *invoice,
                                                  GError              **error);
gboolean        relance_store_set_invoice_status (RelanceStore         *self,
                                                  const char           *number,
                                                  const char           *status,
                                                  GError              **error);

/* Payments. relance_store_pay refuses an amount over what is outstanding, a paid or
 * cancelled invoice, and a non-positive amount. amount < 0 means "all outstanding". */
GPtrArray      *relance_store_list_payments      (RelanceStore         *self,
                                                  gint64                invoice_id,
                                                  GError              **error);
gboolean        relance_store_add_payment        (RelanceStore         *self,
                                                  RelancePayment       *payment,
                                                  GError              **error);
RelancePayment *relance_store_pay                (RelanceStore         *self,
                                                  const char           *number,
                                                  gint64                amount,
                                                  const GDate          *date,
                                                  GError              **error);

/* The rules of invoices (disputes, promises, cancellation, deletion) and the list's rows. */
#include "relance-store-invoices.h"

G_END_DECLS
