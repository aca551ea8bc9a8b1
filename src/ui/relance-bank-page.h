/* relance-bank-page.h: the Bank page of the main window: bank statements in (file chooser,
 * drag and drop), transfers proposed for a click, credits to assign to invoices, undo. */
#pragma once

#include <adwaita.h>

#include "relance-bank-store.h"
#include "relance-page.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_BANK_PAGE (relance_bank_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceBankPage, relance_bank_page, RELANCE, BANK_PAGE, RelancePage)

/* Imports the statement at @path as a drop or the file chooser does; FALSE (and an error
 * dialog) when it is refused. */
gboolean      relance_bank_page_import_file (RelanceBankPage *self,
                                             GFile           *file);
/* Tests: how many rows each list shows ("proposed", "unmatched", "applied"). */
guint         relance_bank_page_count_rows  (RelanceBankPage *self,
                                             const char      *list);
/* Tests: does what the first row's button of that list does (accept, assign to @number,
 * undo). */
gboolean      relance_bank_page_act_first   (RelanceBankPage *self,
                                             const char      *list,
                                             const char      *number);

G_END_DECLS
