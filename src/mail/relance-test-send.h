/* relance-test-send.h: "Send me a test": a rendered reminder sent to the owner's own address
 * (the account's From), its subject marked [TEST]. It is never a reminder: no outbox row, no
 * reminders row, nothing the planner or the statistics count. */
#pragma once

#include <gio/gio.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* Sends now, blocking (the command line, or a worker thread with its own store).
 * @out_address gets the address it went to. */
gboolean relance_test_send        (RelanceStore         *store,
                                   const char           *subject,
                                   const char           *text,
                                   const char           *html,
                                   char                **out_address,
                                   GError              **error);

/* The same in a worker thread with its own connection to the database at @db_path. */
void     relance_test_send_async  (const char           *db_path,
                                   const char           *subject,
                                   const char           *text,
                                   const char           *html,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* The address it went to, or NULL with @error. */
char    *relance_test_send_finish (GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
