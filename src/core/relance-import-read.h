/* relance-import-read.h: turning what an owner has (a CSV file, a spreadsheet, an
 * e-invoice, a folder of e-invoices) into one table the importer maps and validates.
 *
 * The importer only ever sees a RelanceCsv: its first rows (a title, then the header) and
 * data rows of text. This file decides what PATH is, from its content more than its name,
 * reads it with the reader for that format, and remembers how to name a place in it for
 * error messages ("FILE:LINE", "FILE:Sheet!C12", or the e-invoice's own file). */
#pragma once

#include "relance-csv.h"
#include "relance-store.h"

G_BEGIN_DECLS

typedef enum
{
  RELANCE_IMPORT_SOURCE_CSV,
  RELANCE_IMPORT_SOURCE_SHEET,     /* .xlsx or .ods */
  RELANCE_IMPORT_SOURCE_EINVOICES, /* one e-invoice, or a folder of them */
} RelanceImportSourceKind;

typedef struct
{
  RelanceImportSourceKind  kind;
  char                    *sheet;   /* SHEET: the sheet's name as its tab shows it */
  GPtrArray               *files;   /* EINVOICES: char *path per line (index = line) */
  guint                    credit_notes;  /* EINVOICES: credit notes applied */
} RelanceImportSource;

void        relance_import_source_clear (RelanceImportSource *source);

/* Reads @path. Returns NULL with @error when it cannot be read at all (or when
 * @error_line is set, the line where a CSV's quoting breaks). For a folder of e-invoices,
 * every file that cannot be read adds "FILE: reason" to @errors and the table is NULL
 * with @error unset: nothing is imported when one of them is bad. */
RelanceCsv *relance_import_read         (RelanceStore        *store,
                                         const char          *path,
                                         const char          *sheet_name,
                                         RelanceImportSource *source,
                                         GPtrArray           *errors,
                                         guint               *error_line,
                                         GError             **error);

/* The name of a place in the source for a message: "FILE:LINE", "FILE:Sheet!C12" when
 * @column is known (-1 otherwise: "FILE:Sheet!12"), or an e-invoice's file. */
char       *relance_import_source_place  (const RelanceImportSource *source,
                                          const char                *path,
                                          guint                      line,
                                          int                        column);

G_END_DECLS
