/* bench-bank.c: times matching 10 000 bank credits against the open invoices (100 000 in the
 * full data set) against a bare SQLite read of both tables.
 *
 * The credits are written once as unmatched bank transactions, made like a real month of a
 * busy account: a third give an invoice number in their label (some with spaces or in lower
 * case), a sixth an ISO 11649 reference, a sixth the exact amount of an invoice with the
 * client's name, the rest nothing Relance knows. The timed side reads the open invoices, the
 * grouped reminders and the unmatched transactions through the store's functions, builds the
 * matcher and matches every credit (nothing is written). The floor reads every row of both
 * tables with sqlite3 and nothing else. Prints one line; never fails on timing.
 *
 * Usage: bench-bank DATABASE [RUNS] [CREDITS] */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "../relance-test-sql.h"
#include "relance-bank-match.h"
#include "relance-store-bank.h"
#include "relance-clock.h"
#include "relance-creditor-ref.h"
#include "relance-date.h"
#include "relance-store.h"

#define GOAL 5.0

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = (*(RelanceInvoice * const *) a)->id;
  gint64 y = (*(RelanceInvoice * const *) b)->id;

  return (x > y) - (x < y);
}

/* The credits go in as the transactions of a statement left unmatched, which no store
 * function writes (importing one matches it): in SQL, as tests/relance-test-sql.h allows. */
static void
write_credits (RelanceStore *store,
               guint         n_credits)
{
  sqlite3 *db = relance_test_sql_db (store);
  sqlite3_stmt *insert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  GRand *rand = g_rand_new_with_seed (11649);

  relance_test_sql_exec (store, "DELETE FROM bank_matches; DELETE FROM bank_transactions;");
  invoices = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_ALL, NULL, &error);
  if (invoices == NULL)
    g_error ("%s", error->message);
  if (invoices->len == 0)
    g_error ("No invoice in the database");
  /* In the order the credits were always drawn from: the invoices' own. */
  g_ptr_array_sort (invoices, compare_ids);

  relance_test_sql_exec (store, "BEGIN");
  if (sqlite3_prepare_v2 (db, "INSERT INTO bank_transactions (key, date, amount, currency, payer, "
                          "label, reference, statement, imported_at) VALUES (?1, '2026-03-10', "
                          "?2, 'EUR', ?3, ?4, ?5, 'bench.xml', 0)", -1, &insert, NULL)
      != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  for (guint i = 0; i < n_credits; i++)
    {
      const RelanceInvoice *invoice = g_ptr_array_index (invoices,
                                                         g_rand_int_range (rand, 0,
                                                                           (gint32) invoices->len));
      g_autofree char *key = g_strdup_printf ("bench:%u", i);
      g_autofree char *label = NULL;
      g_autofree char *reference = NULL;
      const char *payer = "";
      gint64 amount = invoice->total;
      guint kind = i % 6;

      if (kind < 2)
        {
          g_autofree char *spaced = g_strdelimit (g_strdup (invoice->number), "-", ' ');

          label = g_strdup_printf ("VIR SEPA %s FACTURE %s", invoice->client_name,
                                   kind == 0 ? invoice->number : spaced);
        }
      else if (kind == 2)
        {
          reference = relance_creditor_ref_for_invoice (invoice->number, invoice->id);
          label = g_strdup ("PAIEMENT");
        }
      else if (kind == 3)
        {
          payer = invoice->client_name;
          label = g_strdup ("VIREMENT RECU");
        }
      else
        {
          label = g_strdup_printf ("VIR INST REMBOURSEMENT %u DOSSIER %u", i, i * 7);
          amount = 1000 + i;
        }
      sqlite3_bind_text (insert, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 2, MAX (amount, 1));
      sqlite3_bind_text (insert, 3, payer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, label, -1, SQLITE_TRANSIENT);
      if (reference != NULL)
        sqlite3_bind_text (insert, 5, reference, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (insert, 5);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  relance_test_sql_exec (store, "COMMIT");
  g_rand_free (rand);
}

static double
time_matching (RelanceStore *store,
               guint        *out_certain,
               guint        *out_proposed)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) invoices = relance_bank_store_open_invoices (store, &error);
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GPtrArray) transactions = NULL;
  g_autoptr(RelanceBankMatcher) matcher = NULL;
  guint certain = 0, proposed = 0;

  if (invoices == NULL
      || (groups = relance_bank_store_groups (store, &error)) == NULL
      || (transactions = relance_bank_store_list (store, RELANCE_BANK_FILTER_UNMATCHED,
                                                  &error)) == NULL)
    g_error ("The store failed: %s", error->message);
  matcher = relance_bank_matcher_new (invoices, groups);
  for (guint i = 0; i < transactions->len; i++)
    {
      RelanceBankTransaction *t = g_ptr_array_index (transactions, i);
      RelanceBankCredit credit = {
        .key = t->key, .account = (char *) "", .date = t->date, .amount = t->amount,
        .currency = t->currency, .payer = t->payer, .label = t->label,
        .reference = t->reference,
      };
      RelanceBankMatch match;

      relance_bank_matcher_match (matcher, &credit, &match);
      certain += match.kind == RELANCE_BANK_MATCH_CERTAIN;
      proposed += match.kind == RELANCE_BANK_MATCH_PROPOSED;
      relance_bank_match_clear (&match);
    }
  *out_certain = certain;
  *out_proposed = proposed;
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_scan (RelanceStore *store,
           guint        *out_rows)
{
  static const char *queries[] = {
    "SELECT i.*, (SELECT sum(amount) FROM payments p WHERE p.invoice_id = i.id) FROM invoices i",
    "SELECT * FROM bank_transactions",
  };
  sqlite3 *db = relance_test_sql_db (store);
  gint64 start = g_get_monotonic_time ();
  gint64 checksum = 0;
  guint rows = 0;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL) != SQLITE_OK)
        g_error ("Cannot prepare the scan: %s", sqlite3_errmsg (db));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            checksum += sqlite3_column_bytes (stmt, c);
          rows++;
        }
      if (rc != SQLITE_DONE)
        g_error ("The scan failed: %s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
    }
  *out_rows = rows;
  (void) checksum;
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  double best_match = G_MAXDOUBLE, best_scan = G_MAXDOUBLE;
  guint certain = 0, proposed = 0, rows = 0, n_credits;
  int runs;

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      g_printerr ("usage: %s DATABASE [RUNS] [CREDITS]\n", argv[0]);
      return 2;
    }
  runs = argc > 2 ? MAX (1, atoi (argv[2])) : 3;
  n_credits = argc > 3 ? (guint) MAX (1, atoi (argv[3])) : 10000;
  store = relance_store_open (argv[1], &error);
  if (store == NULL)
    g_error ("Cannot open %s: %s", argv[1], error->message);
  write_credits (store, n_credits);

  for (int i = 0; i < runs; i++)
    {
      best_scan = MIN (best_scan, time_scan (store, &rows));
      best_match = MIN (best_match, time_matching (store, &certain, &proposed));
    }
  g_print ("# bank: %u credits, %u rows read by the floor; %u certain, %u proposed\n",
           n_credits, rows, certain, proposed);
  g_print ("bank matching: %.3f s vs floor %.3f s = ratio %.2f (goal ≤ %g)%s\n",
           best_match, best_scan, best_match / best_scan, GOAL,
           best_match / best_scan <= GOAL ? "" : "  [over goal]");
  return 0;
}
