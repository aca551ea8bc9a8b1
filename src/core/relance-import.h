/* relance-import.h: importing clients and invoices, all or nothing, from CSV files,
 * .xlsx/.ods spreadsheets, e-invoices (Factur-X PDF, CII or UBL XML) or a folder of them.
 *
 * A file is read (encoding and separator detected), its headers matched to fields
 * (French and English synonyms, or explicit --map overrides), every row validated;
 * only when no row is bad is anything written, in one transaction. Re-importing
 * updates by invoice number (clients by reference, email, then name). */
#pragma once

#include <gio/gio.h>

#include "relance-date.h"
#include "relance-store.h"

G_BEGIN_DECLS

typedef enum
{
  RELANCE_IMPORT_CLIENTS,
  RELANCE_IMPORT_INVOICES,
} RelanceImportKind;

typedef struct
{
  RelanceImportKind  kind;
  RelanceDateOrder   date_order;   /* with date_order_given: what --date-format says */
  gboolean           dry_run;      /* validate and count, write nothing */
  /* FIELD=HEADER overrides from --map ("number", "client", "email", "issue_date",
   * "due_date", "total", "currency", "status", "kind", "language", "country",
   * "reference", "name", "cc", "phone", "timezone", "segment", "notes", "paid"),
   * or NULL. Keys and values are strings. */
  GHashTable        *mapping;
  /* FALSE: day or month first is decided from the file's own dates (date_order is the
   * fallback only through the company's country). */
  gboolean           date_order_given;
  const char        *sheet_name;   /* --sheet: a spreadsheet's sheet; NULL for the first */
} RelanceImportOptions;

typedef struct
{
  char      *path;
  char      *encoding;        /* "UTF-8" or "WINDOWS-1252" */
  char       separator;       /* ';', ',' or '\t' */
  guint      n_rows;          /* data rows read */
  guint      created;
  guint      updated;
  guint      unchanged;
  guint      clients_created; /* invoice imports: clients created on the way */
  GPtrArray *errors;          /* char*: "FILE:LINE: reason", translated */
  GPtrArray *ignored_columns; /* char*: headers that matched no field */
  GPtrArray *fields;          /* char*: "field=Header" as detected, for previews */
  GPtrArray *preview_rows;    /* GStrv: the first rows as read, for previews */
  guint      header_line;     /* where the header was found */
  guint      skipped_above_header; /* records above it (titles, export dates) */
  RelanceDateOrder date_order; /* how dates were read */
  gboolean   date_order_assumed; /* no date in the file told: the company's country did */
  guint      drafts;          /* draft invoices left out: not sent, so not chased */
  guint      merged_rows;     /* extra rows of invoices spread over several rows */
  char      *profile;         /* the invoicing tool recognised from the header, or NULL */
  char      *sheet;           /* a spreadsheet's sheet that was read, or NULL */
  guint      credit_notes;    /* e-invoices: credit notes that lowered an invoice */
  guint      total_rows;      /* lines of totals under the invoices (no number, client or
                               * date), left out */
} RelanceImportReport;

void relance_import_report_free (RelanceImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceImportReport, relance_import_report_free)

typedef void (*RelanceImportProgress) (guint    rows_done,
                                       guint    rows_total,
                                       gpointer user_data);

/* Returns FALSE and sets @error (RELANCE_CORE_ERROR_IMPORT when rows were refused,
 * with every problem in report->errors) when nothing was written. The report is
 * returned in both cases when the file could be read. May run in a worker thread
 * with a store opened in that thread. */
gboolean relance_import_file (RelanceStore                *store,
                              const char                  *path,
                              const RelanceImportOptions  *options,
                              RelanceImportProgress        progress,
                              gpointer                     progress_data,
                              GCancellable                *cancellable,
                              RelanceImportReport        **out_report,
                              GError                     **error);

G_END_DECLS
