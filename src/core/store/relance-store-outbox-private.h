/* relance-store-outbox-private.h: what the outbox's store files share, and nothing else
 * includes. */
#pragma once

#include "relance-store-outbox.h"
#include "relance-store-private.h"

G_BEGIN_DECLS

/* Steps @stmt, which returns no row, and resets it; FALSE (and @error) on failure. */
gboolean relance_store_outbox_run           (RelanceStore  *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* Steps @stmt (bound) to the end and returns its first column as ids (gint64); NULL (and
 * @error) when the engine fails midway. */
GArray  *relance_store_outbox_collect_ids   (RelanceStore  *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* The reminders carried by row @outbox_id take its @state (and @sent_at when > 0). */
gboolean relance_store_set_reminders_state  (RelanceStore  *self,
                                             gint64         outbox_id,
                                             const char    *state,
                                             gint64         sent_at,
                                             GError       **error);
G_END_DECLS
