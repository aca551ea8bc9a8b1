/* relance-import-read.c: deciding what an import file is and reading it into one table
 * (see relance-import-read.h). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-date.h"
#include "relance-einvoice.h"
#include "relance-error.h"
#include "relance-import-read.h"
#include "relance-money.h"
#include "relance-sheet.h"

/* The header of the table made from e-invoices: names the importer knows already. */
enum { EI_NUMBER, EI_CLIENT, EI_EMAIL, EI_ISSUE, EI_DUE, EI_TOTAL, EI_PAID, EI_CURRENCY,
       EI_COUNTRY, EI_NOTES, EI_N };
static const char * const einvoice_header[EI_N] = {
  "Invoice number", "Client", "Email", "Issue date", "Due date", "Total", "Amount paid",
  "Currency", "Country", "Notes",
};

void
relance_import_source_clear (RelanceImportSource *source)
{
  g_clear_pointer (&source->sheet, g_free);
  g_clear_pointer (&source->files, g_ptr_array_unref);
}

static gboolean
has_suffix (const char *path,
            const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, suffix);
}

/* What the first bytes say: a zip (spreadsheet), a PDF, XML, or NULL for text. */
static const char *
sniff (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guchar head[64] = { 0 };
  gsize got = 0;
  gsize i = 0;

  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head - 1, &got, NULL, NULL))
    return NULL;
  if (got >= 4 && memcmp (head, "PK\003\004", 4) == 0)
    return "zip";
  if (got >= 5 && memcmp (head, "%PDF-", 5) == 0)
    return "pdf";
  if (got >= 3 && memcmp (head, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < got && g_ascii_isspace (head[i]))
    i++;
  if (i < got && head[i] == '<')
    return "xml";
  return NULL;
}

static RelanceCsv *
read_sheet (const char           *path,
            const char           *sheet_name,
            RelanceImportSource  *source,
            GError              **error)
{
  g_autoptr(RelanceSheet) sheet = relance_sheet_read_file (path, sheet_name, error);
  RelanceCsv *table;
  guint n;

  if (sheet == NULL)
    return NULL;
  table = relance_csv_new_table (has_suffix (path, ".ods") ? "ODS" : "XLSX");
  n = relance_sheet_get_n_rows (sheet);
  for (guint r = 0; r < n; r++)
    {
      guint n_cells = relance_sheet_get_n_cells (sheet, r);
      g_autofree const char **cells = g_new0 (const char *, n_cells + 1);

      for (guint c = 0; c < n_cells; c++)
        cells[c] = relance_sheet_get_cell (sheet, r, c);
      relance_csv_table_add_record (table, cells, n_cells, relance_sheet_get_row_number (sheet, r));
    }
  source->kind = RELANCE_IMPORT_SOURCE_SHEET;
  source->sheet = g_strdup (relance_sheet_get_name (sheet));
  return table;
}

/* One e-invoice as a row of the table, in the header's order. */
typedef struct
{
  char *values[EI_N];
  char *path;
} EinvoiceRow;

static void
einvoice_row_free (EinvoiceRow *row)
{
  for (guint i = 0; i < EI_N; i++)
    g_free (row->values[i]);
  g_free (row->path);
  g_free (row);
}

static EinvoiceRow *
row_from_einvoice (const RelanceEinvoice *e,
                   const char            *path)
{
  EinvoiceRow *row = g_new0 (EinvoiceRow, 1);

  row->path = g_strdup (path);
  row->values[EI_NUMBER] = g_strdup (e->number);
  row->values[EI_CLIENT] = g_strdup (e->buyer_name);
  row->values[EI_EMAIL] = g_strdup (e->buyer_email);
  row->values[EI_ISSUE] = g_date_valid (&e->issue_date) ? relance_date_to_iso (&e->issue_date)
                                                        : NULL;
  /* An invoice that states neither a due date nor terms Relance can read is due on
   * receipt, as French law has it when nothing was agreed otherwise (L441-10). */
  row->values[EI_DUE] = g_date_valid (&e->due_date) ? relance_date_to_iso (&e->due_date)
                                                    : g_strdup (row->values[EI_ISSUE]);
  row->values[EI_TOTAL] = relance_money_to_decimal (e->total, e->currency);
  row->values[EI_PAID] = relance_money_to_decimal (e->total - e->amount_due, e->currency);
  row->values[EI_CURRENCY] = g_strdup (e->currency);
  row->values[EI_COUNTRY] = g_strdup (e->buyer_country);
  if (e->buyer_siren != NULL || e->buyer_vat != NULL)
    /* Translators: written in the notes of an invoice imported from an e-invoice; %s are
     * the buyer's SIREN (or SIRET) and VAT numbers, either may be empty */
    row->values[EI_NOTES] = g_strdup_printf (_("Buyer: SIREN %s, VAT %s"),
                                             e->buyer_siren != NULL ? e->buyer_siren : "—",
                                             e->buyer_vat != NULL ? e->buyer_vat : "—");
  return row;
}

/* Takes @reason. */
static void
add_file_error (GPtrArray  *errors,
                const char *file,
                char       *reason)
{
  g_ptr_array_add (errors, g_strdup_printf ("%s: %s", file, reason));
  g_free (reason);
}

/* A credit note lowers the total of the invoice it corrects: one read in the same import,
 * or one Relance has already. */
static gboolean
apply_credit_note (RelanceStore          *store,
                   const RelanceEinvoice *credit,
                   const char            *path,
                   GPtrArray             *rows,
                   GHashTable            *by_number,
                   GPtrArray             *errors)
{
  EinvoiceRow *row;
  gint64 total = 0, paid = 0;
  const char *place = path;

  if (credit->preceding_number == NULL)
    {
      add_file_error (errors, place,
                                        /* Translators: %s is a credit note's number */
                                        g_strdup_printf (_("The credit note %s does not say "
                                                           "which invoice it corrects."),
                                                         credit->number));
      return FALSE;
    }
  row = g_hash_table_lookup (by_number, credit->preceding_number);
  if (row == NULL && store != NULL)
    {
      g_autoptr(RelanceInvoice) inv = relance_store_get_invoice (store, credit->preceding_number,
                                                                 NULL);

      if (inv != NULL)
        {
          row = g_new0 (EinvoiceRow, 1);
          row->path = g_strdup (path);
          row->values[EI_NUMBER] = g_strdup (inv->number);
          row->values[EI_CLIENT] = g_strdup (inv->client_name);
          row->values[EI_ISSUE] = relance_date_to_iso (&inv->issue_date);
          row->values[EI_DUE] = relance_date_to_iso (&inv->due_date);
          row->values[EI_TOTAL] = relance_money_to_decimal (inv->total, inv->currency);
          row->values[EI_CURRENCY] = g_strdup (inv->currency);
          g_ptr_array_add (rows, row);
          g_hash_table_insert (by_number, row->values[EI_NUMBER], row);
        }
    }
  if (row == NULL)
    {
      add_file_error (errors, place,
                                        /* Translators: the first %s is a credit note's
                                         * number, the second an invoice number */
                                        g_strdup_printf (_("The credit note %s corrects "
                                                           "invoice %s, which is neither "
                                                           "among these files nor in "
                                                           "Relance."),
                                                         credit->number,
                                                         credit->preceding_number));
      return FALSE;
    }
  if (g_strcmp0 (row->values[EI_CURRENCY], credit->currency) != 0
      || !relance_money_parse (row->values[EI_TOTAL], credit->currency, RELANCE_DECIMAL_DOT,
                               &total, NULL, NULL)
      || (row->values[EI_PAID] != NULL
          && !relance_money_parse (row->values[EI_PAID], credit->currency, RELANCE_DECIMAL_DOT,
                                   &paid, NULL, NULL))
      || credit->total > total - paid)
    {
      add_file_error (errors, place,
                                        /* Translators: the first %s is a credit note's
                                         * number, the second an invoice number */
                                        g_strdup_printf (_("The credit note %s is for more "
                                                           "than what remains to be paid on "
                                                           "invoice %s, or in another "
                                                           "currency."),
                                                         credit->number,
                                                         credit->preceding_number));
      return FALSE;
    }
  g_free (row->values[EI_TOTAL]);
  row->values[EI_TOTAL] = relance_money_to_decimal (total - credit->total, credit->currency);
  return TRUE;
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static RelanceCsv *
read_einvoices (RelanceStore         *store,
                const char           *path,
                gboolean              folder,
                RelanceImportSource  *source,
                GPtrArray            *errors,
                GError              **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) einvoice_row_free);
  g_autoptr(GPtrArray) credits = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_einvoice_free);
  g_autoptr(GPtrArray) credit_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_number = g_hash_table_new (g_str_hash, g_str_equal);
  guint errors_before = errors->len;
  RelanceCsv *table;

  if (folder)
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return NULL;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (has_suffix (name, ".xml") || has_suffix (name, ".pdf"))
          g_ptr_array_add (paths, g_build_filename (path, name, NULL));
      g_ptr_array_sort (paths, compare_paths);
      if (paths->len == 0)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       /* Translators: %s is a folder */
                       _("The folder “%s” holds no e-invoice (.xml or .pdf file)."), path);
          return NULL;
        }
    }
  else
    g_ptr_array_add (paths, g_strdup (path));

  for (guint i = 0; i < paths->len; i++)
    {
      const char *file = g_ptr_array_index (paths, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RelanceEinvoice) e = relance_einvoice_read_file (file, &local_error);

      if (e == NULL)
        {
          if (!folder)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_ptr_array_add (errors, g_strdup_printf ("%s: %s", file, local_error->message));
          continue;
        }
      if (e->kind == RELANCE_EINVOICE_CREDIT_NOTE)
        {
          g_ptr_array_add (credits, g_steal_pointer (&e));
          g_ptr_array_add (credit_paths, g_strdup (file));
          continue;
        }
      {
        EinvoiceRow *row = row_from_einvoice (e, file);

        if (g_hash_table_contains (by_number, row->values[EI_NUMBER]))
          {
            EinvoiceRow *first = g_hash_table_lookup (by_number, row->values[EI_NUMBER]);

            add_file_error (errors, file,
                                              /* Translators: %s are an invoice number and a
                                               * file name */
                                              g_strdup_printf (_("Invoice %s is also in “%s”."),
                                                               row->values[EI_NUMBER],
                                                               first->path));
            einvoice_row_free (row);
            continue;
          }
        g_ptr_array_add (rows, row);
        g_hash_table_insert (by_number, row->values[EI_NUMBER], row);
      }
    }
  /* Credit notes last: the invoice they correct may come after them in the folder. */
  for (guint i = 0; i < credits->len; i++)
    if (apply_credit_note (store, g_ptr_array_index (credits, i),
                           g_ptr_array_index (credit_paths, i), rows, by_number, errors))
      source->credit_notes++;
  if (errors->len > errors_before)
    return NULL;

  source->kind = RELANCE_IMPORT_SOURCE_EINVOICES;
  source->files = g_ptr_array_new_with_free_func (g_free);
  table = relance_csv_new_table ("E-INVOICE");
  /* Line 1 is the header; invoice k is on "line" k + 2, which names its file. */
  g_ptr_array_add (source->files, g_strdup (path));
  g_ptr_array_add (source->files, g_strdup (path));
  relance_csv_table_add_record (table, einvoice_header, EI_N, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      EinvoiceRow *row = g_ptr_array_index (rows, i);

      relance_csv_table_add_record (table, (const char * const *) row->values, EI_N, i + 2);
      g_ptr_array_add (source->files, g_strdup (row->path));
    }
  return table;
}

RelanceCsv *
relance_import_read (RelanceStore         *store,
                     const char           *path,
                     const char           *sheet_name,
                     RelanceImportSource  *source,
                     GPtrArray            *errors,
                     guint                *error_line,
                     GError              **error)
{
  const char *magic;

  memset (source, 0, sizeof *source);
  *error_line = 0;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return read_einvoices (store, path, TRUE, source, errors, error);

  magic = sniff (path);
  if (g_strcmp0 (magic, "zip") == 0 || has_suffix (path, ".xlsx") || has_suffix (path, ".ods"))
    return read_sheet (path, sheet_name, source, error);
  if (magic != NULL || has_suffix (path, ".pdf") || has_suffix (path, ".xml"))
    return read_einvoices (store, path, FALSE, source, errors, error);

  source->kind = RELANCE_IMPORT_SOURCE_CSV;
  return relance_csv_read_file (path, error_line, error);
}

/* "C" for column 2, "AA" for column 26. */
static void
append_column_letters (GString *out,
                       guint    column)
{
  char letters[8];
  int n = 0;

  column++;
  while (column > 0 && n < (int) sizeof letters)
    {
      letters[n++] = 'A' + (column - 1) % 26;
      column = (column - 1) / 26;
    }
  while (n > 0)
    g_string_append_c (out, letters[--n]);
}

char *
relance_import_source_place (const RelanceImportSource *source,
                             const char                *path,
                             guint                      line,
                             int                        column)
{
  GString *out;

  switch (source->kind)
    {
    case RELANCE_IMPORT_SOURCE_EINVOICES:
      if (source->files != NULL && line < source->files->len)
        return g_strdup (g_ptr_array_index (source->files, line));
      return g_strdup (path);

    case RELANCE_IMPORT_SOURCE_SHEET:
      out = g_string_new (path);
      g_string_append_c (out, ':');
      if (source->sheet != NULL && strpbrk (source->sheet, " '!-") != NULL)
        {
          g_autofree char *quoted = NULL;
          g_auto(GStrv) parts = g_strsplit (source->sheet, "'", -1);

          quoted = g_strjoinv ("''", parts);
          g_string_append_printf (out, "'%s'", quoted);
        }
      else if (source->sheet != NULL)
        g_string_append (out, source->sheet);
      g_string_append_c (out, '!');
      if (column >= 0)
        append_column_letters (out, (guint) column);
      g_string_append_printf (out, "%u", line);
      return g_string_free (out, FALSE);

    case RELANCE_IMPORT_SOURCE_CSV:
    default:
      return g_strdup_printf ("%s:%u", path, line);
    }
}
