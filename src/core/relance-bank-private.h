/* relance-bank-private.h: what the statement readers share (relance-bank-read.c: the
 * statement, its credits and their keys, amounts; relance-bank-camt.c, -ofx.c, -csv.c: one
 * format each). */
#pragma once

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-bank.h"
#include "relance-error.h"

G_BEGIN_DECLS

/* relance-bank-read.c: a statement, its credits, their keys */
RelanceBankStatement *relance_bank_statement_new (const char           *name,
                                                  const char           *format);
RelanceBankCredit    *relance_bank_credit_new    (void);
void                  relance_bank_assign_keys   (RelanceBankStatement *statement);
char                 *relance_bank_squeeze       (const char           *text);
/* Sets @error to "FILE:LINE: message" (no line when @line is 0) and returns FALSE. */
gboolean              relance_bank_fail_at       (GError              **error,
                                                  const char           *name,
                                                  guint                 line,
                                                  const char           *format,
                                                  ...) G_GNUC_PRINTF (4, 5);

/* One reader per format: the whole file, or NULL and @error. */
RelanceBankStatement *relance_bank_read_camt (const char  *name,
                                              GBytes      *bytes,
                                              GError     **error);
RelanceBankStatement *relance_bank_read_ofx  (const char  *name,
                                              GBytes      *bytes,
                                              GError     **error);
RelanceBankStatement *relance_bank_read_csv  (const char  *name,
                                              GBytes      *bytes,
                                              GError     **error);

G_END_DECLS
