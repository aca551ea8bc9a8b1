/* relance-sheet.h: reading one sheet of an .xlsx or .ods spreadsheet as rows of text cells.
 *
 * The importers treat the result like a CSV file: every cell is text, whatever its type in
 * the spreadsheet. Numbers are plain decimals with '.' ("1440.5", never "1.4405E3"), dates
 * are ISO ("2026-01-05", "2026-01-05T14:30:00" with a time, "14:30:00" for a bare time),
 * booleans "1"/"0", errors and empty cells "". Rows that hold nothing are left out, but each
 * row remembers its number in the spreadsheet so that messages can point at "Feuil1!C12".
 *
 * The file is read from untrusted hands: zip parts that would decompress beyond a cap, XML
 * with a DOCTYPE (entity expansion, external entities) and damaged archives are refused
 * with a sentence for the user, in bounded memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RelanceSheet RelanceSheet;

/* Reads the first sheet, or the sheet named @sheet_name, of an .xlsx (Office Open XML) or
 * .ods (OpenDocument) file; the format is chosen from the content (zip entries), not the
 * name. Errors are in RELANCE_CORE_ERROR: IO when the file cannot be opened, INVALID for
 * anything wrong with its content (including a missing sheet, whose message lists the
 * sheets there are). */
RelanceSheet *relance_sheet_read_file        (const char    *path,
                                              const char    *sheet_name,
                                              GError       **error);
/* The same from bytes in memory (also the entry point for fuzzing). */
RelanceSheet *relance_sheet_read_bytes       (GBytes        *bytes,
                                              const char    *sheet_name,
                                              GError       **error);
void          relance_sheet_free             (RelanceSheet  *sheet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceSheet, relance_sheet_free)

/* The sheet's name as the spreadsheet shows it on its tab, e.g. "Feuil1". */
const char   *relance_sheet_get_name         (RelanceSheet  *sheet);
/* Rows with at least one non-empty cell, in the spreadsheet's order. */
guint         relance_sheet_get_n_rows       (RelanceSheet  *sheet);
/* One more than the column of the row's last non-empty cell. */
guint         relance_sheet_get_n_cells      (RelanceSheet  *sheet,
                                              guint          row);
/* The cell's text (see above); "" when absent. Valid as long as @sheet. */
const char   *relance_sheet_get_cell         (RelanceSheet  *sheet,
                                              guint          row,
                                              guint          col);
/* The sheet's own 1-based number of the row (what the spreadsheet shows on the left). */
guint         relance_sheet_get_row_number   (RelanceSheet  *sheet,
                                              guint          row);
/* A reference a user can find in the spreadsheet: "Feuil1!C12", or "'Factures 2026'!C12"
 * when the name needs quoting as spreadsheets do. */
char         *relance_sheet_cell_ref         (RelanceSheet  *sheet,
                                              guint          row,
                                              guint          col);

G_END_DECLS
