/* relance-import-dialog.h: importing a CSV file with a preview of what will happen.
 *
 * The dialog reads the file with a dry run first (detected columns, first rows, errors
 * per line), lets the user correct the column mapping, and imports for real only when no
 * row is refused, in a worker thread with a progress bar and a Cancel button. */
#pragma once

#include <adwaita.h>

#include "relance-import.h"
#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_IMPORT_DIALOG (relance_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelanceImportDialog, relance_import_dialog, RELANCE, IMPORT_DIALOG,
                      AdwWindow)

/* @parent: the window to reload after the import (a RelanceWindow, or any window whose
 * transient parent is one), may be NULL. The dry run starts at once. */
RelanceImportDialog *relance_import_dialog_new        (GtkWindow           *parent,
                                                       RelanceStore        *store,
                                                       GFile               *file);
RelanceImportKind    relance_import_dialog_get_kind   (RelanceImportDialog *self);
/* Switches between invoices and clients and runs the dry run again. */
void                 relance_import_dialog_set_kind   (RelanceImportDialog *self,
                                                       RelanceImportKind    kind);
/* Overrides the header read for @field ("number", "client"…), or clears the override
 * when @header is NULL, and runs the dry run again. */
void                 relance_import_dialog_set_mapping (RelanceImportDialog *self,
                                                        const char          *field,
                                                        const char          *header);
/* TRUE while the dry run or the import is running. */
gboolean             relance_import_dialog_is_busy    (RelanceImportDialog *self);
/* The report of the latest dry run (or import), NULL before the first one ends. */
const RelanceImportReport *
                     relance_import_dialog_get_report (RelanceImportDialog *self);
/* Starts the import, as the Import button does; nothing happens while rows are refused. */
void                 relance_import_dialog_import     (RelanceImportDialog *self);

G_END_DECLS
