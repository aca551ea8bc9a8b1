/* relance-import.c: importing clients and invoices from CSV files, spreadsheets and
 * e-invoices, all or nothing.
 *
 * Three passes over rows already split in one buffer (relance-import-read.c): the headers
 * are matched to fields (relance-import-map.c); every row is validated into a compact
 * struct that points into the buffer, collecting every problem
 * (relance-import-validate.c); only when there is none are the rows applied here, matched
 * against the existing clients and invoices loaded once into hash tables (no per-row
 * SELECT), and written in one transaction by the store (relance-store-import.c). A dry run
 * goes through the very same apply code with writes switched off, so its counts are the
 * real ones. */
#include "config.h"

#include "relance-error.h"
#include "relance-import-private.h"

static void
import_clear (Import *self)
{
  g_free (self->default_currency);
  g_free (self->default_language);
  relance_import_source_clear (&self->source);
  /* Rolls back what was not committed. */
  g_clear_pointer (&self->writer, relance_store_import_free);
  g_clear_pointer (&self->by_reference, g_hash_table_unref);
  g_clear_pointer (&self->by_email, g_hash_table_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->invoices, g_hash_table_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->existing, g_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  if (self->key != NULL)
    g_string_free (self->key, TRUE);
}

/* ---- what the store already holds ---------------------------------------------------- */

static void
index_client (Import        *self,
              RelanceClient *client)
{
  if (client->reference != NULL && *client->reference != '\0')
    g_hash_table_insert (self->by_reference, client->reference, client);
  if (client->email != NULL && *client->email != '\0')
    {
      const char *key = g_string_chunk_insert (self->strings, fold_key (self->key, client->email));
      if (!g_hash_table_contains (self->by_email, key))
        g_hash_table_insert (self->by_email, (gpointer) key, client);
    }
  {
    const char *key = g_string_chunk_insert (self->strings, fold_key (self->key, client->name));
    if (!g_hash_table_contains (self->by_name, key))
      g_hash_table_insert (self->by_name, (gpointer) key, client);
  }
}

static gboolean
load_existing (Import  *self,
               GError **error)
{
  self->strings = g_string_chunk_new (64 * 1024);
  self->by_reference = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_email = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->invoices = g_hash_table_new (g_str_hash, g_str_equal);

  if ((self->clients = relance_store_import_list_clients (self->writer, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < self->clients->len; i++)
    index_client (self, g_ptr_array_index (self->clients, i));
  if (self->options->kind != RELANCE_IMPORT_INVOICES)
    return TRUE;

  if ((self->existing = relance_store_import_list_invoices (self->writer, self->strings,
                                                           error)) == NULL)
    return FALSE;
  for (guint i = 0; i < self->existing->len; i++)
    {
      RelanceStoreImportInvoice *e = &g_array_index (self->existing, RelanceStoreImportInvoice, i);

      g_hash_table_insert (self->invoices, (gpointer) e->number, e);
    }
  return TRUE;
}

/* ---- applying ------------------------------------------------------------------------ */

static RelanceClient *
match_client (Import     *self,
              const char *reference,
              const char *email,
              const char *name)
{
  RelanceClient *client = NULL;

  if (reference != NULL && *reference != '\0')
    {
      client = g_hash_table_lookup (self->by_reference, reference);
      if (client != NULL)
        return client;
    }
  if (email != NULL && *email != '\0')
    client = g_hash_table_lookup (self->by_email, fold_key (self->key, email));
  if (client == NULL && name != NULL)
    client = g_hash_table_lookup (self->by_name, fold_key (self->key, name));
  /* Two different references are two different clients, whatever their names. */
  if (client != NULL && reference != NULL && *reference != '\0'
      && client->reference != NULL && strcmp (client->reference, reference) != 0)
    return NULL;
  return client;
}

/* Adds @client (owned by the import from now on) to the store, or pretends to. */
static gboolean
create_client (Import         *self,
               RelanceClient  *client,
               GError        **error)
{
  g_ptr_array_add (self->clients, client);
  if (!relance_store_import_add_client (self->writer, client, error))
    return FALSE;
  index_client (self, client);
  return TRUE;
}

static char *
dup_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* Every thousand rows: stop when cancelled (nothing is committed), report progress. */
static gboolean
every_thousand_rows (Import                 *self,
                     guint                   i,
                     RelanceImportProgress   progress,
                     gpointer                progress_data,
                     GCancellable           *cancellable,
                     GError                **error)
{
  if (i % 1000 != 0 || i == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress (i, self->rows->len, progress_data);
  return TRUE;
}

static gboolean
apply_invoices (Import                 *self,
                RelanceImportProgress   progress,
                gpointer                progress_data,
                GCancellable           *cancellable,
                GError                **error)
{
  if (!relance_store_import_use_batches (self->writer, self->rows->len,
                                         self->existing->len, error))
    return FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const InvoiceRow *row = &g_array_index (self->rows, InvoiceRow, i);
      RelanceStoreImportInvoice *e = g_hash_table_lookup (self->invoices, row->number);
      RelanceClient *client;
      const char *status;
      const char *currency;
      const char *notes;
      RelanceStoreImportInvoice invoice;
      gint64 recorded;
      gint64 payments[2] = { 0, 0 };
      gboolean changed = FALSE;

      if (!every_thousand_rows (self, i, progress, progress_data, cancellable, error))
        return FALSE;

      client = match_client (self, row->reference, row->email, row->client);
      if (client == NULL)
        {
          client = g_new0 (RelanceClient, 1);
          client->name = g_strdup (row->client);
          client->reference = dup_or_null (row->reference);
          client->email = dup_or_null (row->email);
          client->language = g_strdup (row->language ? row->language : self->default_language);
          client->country = dup_or_null (row->country);
          client->street = dup_or_null (row->street);
          client->postcode = dup_or_null (row->postcode);
          client->city = dup_or_null (row->city);
          client->kind = g_strdup (row->kind ? row->kind : "business");
          client->segment = g_strdup ("regular");
          if (!create_client (self, client, error))
            return FALSE;
          self->report->clients_created++;
        }

      /* Cells left empty, and columns the file lacks, keep what the store has. */
      switch (row->status)
        {
        case STATUS_CANCELLED:
          status = "cancelled";
          break;
        case STATUS_DISPUTED:
          status = "disputed";
          break;
        case STATUS_OPEN:
        case STATUS_PAID:
          status = "open";
          break;
        case STATUS_NONE:
        case STATUS_DRAFT: /* left out in validation */
        default:
          status = e != NULL ? e->status : "open";
          break;
        }
      currency = e != NULL && !row->currency_given ? e->currency : row->currency;
      notes = row->notes != NULL ? (*row->notes != '\0' ? row->notes : NULL)
                                 : (e != NULL ? e->notes : NULL);

      invoice = (RelanceStoreImportInvoice) {
        .id = e != NULL ? e->id : 0, .number = row->number, .client_id = client->id,
        .issue = row->issue, .due = row->due, .total = row->total, .currency = currency,
        .status = status, .notes = notes,
      };
      if (e == NULL)
        {
          recorded = 0;
          if (!relance_store_import_add_invoice (self->writer, &invoice, error))
            return FALSE;
          self->report->created++;
        }
      else
        {
          recorded = e->paid;
          changed = e->client_id != client->id || e->issue != row->issue || e->due != row->due
                    || e->total != row->total || strcmp (e->currency, currency) != 0
                    || strcmp (e->status, status) != 0 || g_strcmp0 (e->notes, notes) != 0;
          if (changed && !relance_store_import_update_invoice (self->writer, &invoice, error))
            return FALSE;
        }

      /* What the file says was paid, beyond what is recorded; then the rest when the
       * status says the invoice is settled. */
      if (row->paid > recorded)
        {
          payments[0] = row->paid - recorded;
          recorded = row->paid;
        }
      if (row->status == STATUS_PAID && row->total > recorded)
        payments[1] = row->total - recorded;
      for (guint k = 0; k < G_N_ELEMENTS (payments); k++)
        {
          if (payments[k] <= 0)
            continue;
          changed = TRUE;
          if (!relance_store_import_add_payment (self->writer, invoice.id, payments[k], error))
            return FALSE;
        }

      if (e != NULL)
        {
          if (changed)
            self->report->updated++;
          else
            self->report->unchanged++;
        }
    }
  return TRUE;
}

/* Replaces *@field with @value when the file has the column (@value not NULL); an empty
 * cell clears an optional field. Returns whether it changed. */
static gboolean
merge (char       **field,
       const char  *value,
       gboolean     optional)
{
  const char *wanted;

  if (value == NULL || (!optional && *value == '\0'))
    return FALSE;
  wanted = *value != '\0' ? value : NULL;
  if (g_strcmp0 (*field, wanted) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (wanted);
  return TRUE;
}

static gboolean
apply_clients (Import                 *self,
               RelanceImportProgress   progress,
               gpointer                progress_data,
               GCancellable           *cancellable,
               GError                **error)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      const ClientRow *row = &g_array_index (self->rows, ClientRow, i);
      RelanceClient *client;
      gboolean is_new = FALSE;
      gboolean changed = FALSE;

      if (!every_thousand_rows (self, i, progress, progress_data, cancellable, error))
        return FALSE;

      client = match_client (self, row->reference, row->email, row->name);
      if (client == NULL)
        {
          client = g_new0 (RelanceClient, 1);
          client->language = g_strdup (self->default_language);
          client->kind = g_strdup ("business");
          client->segment = g_strdup ("regular");
          is_new = TRUE;
        }
      changed |= merge (&client->name, row->name, FALSE);
      changed |= merge (&client->reference, row->reference, TRUE);
      changed |= merge (&client->email, row->email, TRUE);
      changed |= merge (&client->cc, row->cc, TRUE);
      changed |= merge (&client->phone, row->phone, TRUE);
      changed |= merge (&client->language, row->language, FALSE);
      changed |= merge (&client->country, row->country, TRUE);
      changed |= merge (&client->timezone, row->timezone, TRUE);
      changed |= merge (&client->kind, row->kind, FALSE);
      changed |= merge (&client->segment, row->segment, FALSE);
      changed |= merge (&client->notes, row->notes, TRUE);
      changed |= merge (&client->street, row->street, TRUE);
      changed |= merge (&client->postcode, row->postcode, TRUE);
      changed |= merge (&client->city, row->city, TRUE);

      if (is_new)
        {
          if (!create_client (self, client, error))
            return FALSE;
          self->report->created++;
          continue;
        }
      if (!changed)
        {
          self->report->unchanged++;
          continue;
        }
      self->report->updated++;
      /* The keys may have changed: index again (old keys stay, harmless within one file). */
      index_client (self, client);
      if (!relance_store_import_update_client (self->writer, client, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the report ---------------------------------------------------------------------- */

void
relance_import_report_free (RelanceImportReport *report)
{
  if (report == NULL)
    return;
  g_free (report->path);
  g_free (report->encoding);
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_clear_pointer (&report->ignored_columns, g_ptr_array_unref);
  g_clear_pointer (&report->fields, g_ptr_array_unref);
  g_clear_pointer (&report->preview_rows, g_ptr_array_unref);
  g_free (report->profile);
  g_free (report->sheet);
  g_free (report);
}

static RelanceImportReport *
report_new (const char *path)
{
  RelanceImportReport *report = g_new0 (RelanceImportReport, 1);

  report->path = g_strdup (path);
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->ignored_columns = g_ptr_array_new_with_free_func (g_free);
  report->fields = g_ptr_array_new_with_free_func (g_free);
  report->preview_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return report;
}

/* How many rows the preview shows. */
#define PREVIEW_ROWS 10

static void
fill_preview (Import *self)
{
  guint n = MIN (relance_csv_get_n_records (self->csv), self->header + PREVIEW_ROWS + 1);

  /* From the header on: the titles above it are not part of the table. */
  for (guint r = self->header; r < n; r++)
    {
      guint n_fields = relance_csv_get_n_fields (self->csv, r);
      char **values = g_new0 (char *, n_fields + 1);

      for (guint f = 0; f < n_fields; f++)
        values[f] = g_strdup (relance_csv_get_field (self->csv, r, f));
      g_ptr_array_add (self->report->preview_rows, values);
    }
}

static gboolean
refuse (Import  *self,
        GError **error)
{
  guint n = self->report->errors->len;

  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT,
               /* Translators: %s is a file name; the first sentence is about a count */
               g_dngettext (GETTEXT_PACKAGE,
                            "%u problem was found in “%s”. Nothing was imported.",
                            "%u problems were found in “%s”. Nothing was imported.", n),
               n, self->path);
  return FALSE;
}

gboolean
relance_import_file (RelanceStore                *store,
                     const char                  *path,
                     const RelanceImportOptions  *options,
                     RelanceImportProgress        progress,
                     gpointer                     progress_data,
                     GCancellable                *cancellable,
                     RelanceImportReport        **out_report,
                     GError                     **error)
{
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GError) local_error = NULL;
  Import self = { 0 };
  gboolean ok = FALSE;
  guint error_line = 0;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL && options != NULL, FALSE);

  if (out_report != NULL)
    *out_report = NULL;

  report = report_new (path);
  csv = relance_import_read (store, path, options->sheet_name, &self.source, report->errors,
                             &error_line, &local_error);
  if (csv == NULL && error_line == 0 && report->errors->len == 0)
    {
      relance_import_source_clear (&self.source);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self.store = store;
  self.path = path;
  self.options = options;
  self.report = report;
  self.csv = csv;
  self.key = g_string_new (NULL);

  if (csv == NULL)
    {
      if (local_error != NULL)
        add_error (&self, error_line, "%s", local_error->message);
      refuse (&self, error);
      goto out;
    }

  report->encoding = g_strdup (relance_csv_get_encoding (csv));
  report->sheet = g_strdup (self.source.sheet);
  report->credit_notes = self.source.credit_notes;
  report->separator = relance_csv_get_separator (csv);

  if (relance_csv_get_n_records (csv) == 0)
    {
      add_error (&self, 1, _("The file is empty."));
      refuse (&self, error);
      goto out;
    }
  self.header = relance_import_find_header (&self);
  self.header_line = relance_csv_get_line (csv, self.header);
  self.n_columns = relance_csv_get_n_fields (csv, self.header);
  report->header_line = self.header_line;
  report->skipped_above_header = self.header;
  fill_preview (&self);
  self.profile = relance_import_detect_profile (&self);
  if (self.profile != NULL)
    report->profile = g_strdup (relance_import_profile_get_name (self.profile));
  if (!relance_import_map_columns (&self))
    {
      refuse (&self, error);
      goto out;
    }
  if (relance_csv_get_n_records (csv) == self.header + 1)
    {
      add_error (&self, self.header_line, _("The file has a header line but no data rows."));
      refuse (&self, error);
      goto out;
    }

  company = relance_store_get_company (store, NULL);
  self.default_currency = g_strdup (company != NULL && company->currency != NULL
                                    ? company->currency : "EUR");
  self.default_language = g_strdup (company != NULL && company->language != NULL
                                    ? company->language : "fr");
  relance_import_decide_date_order (&self, company != NULL ? company->country : NULL);

  /* What exists is read under the write lock the import then writes with. */
  if ((self.writer = relance_store_begin_import (store, options->dry_run, error)) == NULL
      || !load_existing (&self, error))
    goto out;

  if (options->kind == RELANCE_IMPORT_INVOICES)
    relance_import_validate_invoices (&self, cancellable);
  else
    relance_import_validate_clients (&self, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (report->errors->len > 0)
    {
      refuse (&self, error);
      goto out;
    }

  if (options->kind == RELANCE_IMPORT_INVOICES
      ? !apply_invoices (&self, progress, progress_data, cancellable, error)
      : !apply_clients (&self, progress, progress_data, cancellable, error))
    goto out;

  if (!relance_store_import_commit (self.writer, error))
    goto out;
  if (progress != NULL)
    progress (self.rows->len, self.rows->len, progress_data);
  ok = TRUE;

out:
  import_clear (&self);
  if (out_report != NULL)
    *out_report = g_steal_pointer (&report);
  return ok;
}
