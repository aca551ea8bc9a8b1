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
#include "relance-date.h"
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
  g_autoptr(GPtrArray) clients = relance_store_list_clients (store, error);

  if (clients == NULL)
    return FALSE;
  relance_csv_append_record (out, client_headers, G_N_ELEMENTS (client_headers), ',');
  for (guint i = 0; i < clients->len; i++)
    {
      const RelanceClient *c = g_ptr_array_index (clients, i);
      const char *values[] = {
        c->name, c->reference, c->email, c->cc, c->phone, c->language, c->country,
        c->timezone, c->kind, c->segment, c->notes, c->street, c->postcode, c->city,
      };

      G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (client_headers));
      relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
    }
  return TRUE;
}

/* By issue date, then number, as people read a ledger. */
static gint
compare_issue_then_number (gconstpointer a,
                           gconstpointer b)
{
  const RelanceInvoice *x = *(RelanceInvoice * const *) a;
  const RelanceInvoice *y = *(RelanceInvoice * const *) b;
  int cmp = g_date_compare (&x->issue_date, &y->issue_date);

  return cmp != 0 ? cmp : strcmp (x->number, y->number);
}

static gboolean
export_invoices (RelanceStore  *store,
                 GString       *out,
                 GError       **error)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  if ((clients = relance_store_list_clients (store, error)) == NULL
      || (invoices = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_ALL, NULL,
                                                  error)) == NULL)
    return FALSE;
  for (guint i = 0; i < clients->len; i++)
    {
      RelanceClient *c = g_ptr_array_index (clients, i);

      g_hash_table_insert (by_id, &c->id, c);
    }
  g_ptr_array_sort (invoices, compare_issue_then_number);

  relance_csv_append_record (out, invoice_headers, G_N_ELEMENTS (invoice_headers), ',');
  for (guint i = 0; i < invoices->len; i++)
    {
      const RelanceInvoice *inv = g_ptr_array_index (invoices, i);
      const RelanceClient *c = g_hash_table_lookup (by_id, &inv->client_id);
      g_autofree char *issue = relance_date_to_iso (&inv->issue_date);
      g_autofree char *due = relance_date_to_iso (&inv->due_date);
      g_autofree char *total_text = relance_money_to_decimal (inv->total, inv->currency);
      g_autofree char *paid_text = inv->paid > 0 ? relance_money_to_decimal (inv->paid,
                                                                             inv->currency)
                                                 : NULL;
      const char *status;

      /* Cancelled and disputed are stored; paid is what the payments add up to. */
      if (g_strcmp0 (inv->status, "cancelled") == 0 || g_strcmp0 (inv->status, "disputed") == 0)
        status = inv->status;
      else
        status = inv->total > 0 && inv->paid >= inv->total ? "paid" : "open";

      {
        const char *values[] = {
          inv->number, c->name, c->reference, c->email, c->kind, c->language, c->country,
          issue, due, total_text, inv->currency, status, paid_text, inv->notes,
        };

        G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (invoice_headers));
        relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
      }
    }
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
