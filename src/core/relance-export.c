/* relance-export.c: clients and invoices as UTF-8 CSV that relance-import.c reads back.
 *
 * The format is the plainest one spreadsheets and scripts agree on: no BOM, ',' between
 * fields, LF line ends, ISO dates, amounts with a dot ("1200.00"), English headers. The
 * invoice export carries the client's identity and the amount paid, so that importing it
 * into an empty database gives the same clients, invoices and balances. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-csv.h"
#include "relance-error.h"
#include "relance-export.h"
#include "relance-money.h"

static const char * const client_headers[] = {
  "Name", "Reference", "Email", "Cc", "Phone", "Language", "Country", "Time zone",
  "Customer type", "Segment", "Notes", "Address", "Postcode", "City",
};

static const char * const invoice_headers[] = {
  "Invoice number", "Client", "Client ref", "Email", "Customer type", "Language", "Country",
  "Issue date", "Due date", "Total", "Currency", "Status", "Amount paid", "Notes",
};

static gboolean
export_clients (RelanceStore  *store,
                GString       *out,
                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT name, reference, email, cc, phone, language, country, timezone, kind, segment, "
    "notes, street, postcode, city FROM clients ORDER BY name COLLATE NOCASE, id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  relance_csv_append_record (out, client_headers, G_N_ELEMENTS (client_headers), ',');
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[G_N_ELEMENTS (client_headers)];

      for (int i = 0; i < (int) G_N_ELEMENTS (values); i++)
        values[i] = (const char *) sqlite3_column_text (stmt, i);
      relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

static gboolean
export_invoices (RelanceStore  *store,
                 GString       *out,
                 GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT i.number, c.name, c.reference, c.email, c.kind, c.language, c.country, "
    "i.issue_date, i.due_date, i.total, i.currency, i.status, COALESCE(p.paid, 0), i.notes "
    "FROM invoices i JOIN clients c ON c.id = i.client_id "
    "LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id ORDER BY i.issue_date, i.number", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  relance_csv_append_record (out, invoice_headers, G_N_ELEMENTS (invoice_headers), ',');
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[G_N_ELEMENTS (invoice_headers)];
      const char *currency = (const char *) sqlite3_column_text (stmt, 10);
      const char *status = (const char *) sqlite3_column_text (stmt, 11);
      gint64 total = sqlite3_column_int64 (stmt, 9);
      gint64 paid = sqlite3_column_int64 (stmt, 12);
      g_autofree char *total_text = relance_money_to_decimal (total, currency);
      g_autofree char *paid_text = paid > 0 ? relance_money_to_decimal (paid, currency) : NULL;

      for (int i = 0; i < 9; i++)
        values[i] = (const char *) sqlite3_column_text (stmt, i);
      values[9] = total_text;
      values[10] = currency;
      /* Cancelled and disputed are stored; paid is what the payments add up to. */
      if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "disputed") == 0)
        values[11] = status;
      else
        values[11] = total > 0 && paid >= total ? "paid" : "open";
      values[12] = paid_text;
      values[13] = (const char *) sqlite3_column_text (stmt, 13);
      relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

gboolean
relance_export_file (RelanceStore       *store,
                     RelanceImportKind   kind,
                     const char         *path,
                     GError            **error)
{
  g_autoptr(GString) out = g_string_sized_new (64 * 1024);
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  ok = kind == RELANCE_IMPORT_INVOICES ? export_invoices (store, out, error)
                                       : export_clients (store, out, error);
  if (!ok)
    return FALSE;

  /* g_file_set_contents writes a temporary file and renames it over @path. */
  if (!g_file_set_contents (path, out->str, (gssize) out->len, &local_error))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second the system's reason */
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
