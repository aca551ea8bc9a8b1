/* relance-client-object.h: one client in the Clients list, with what they owe. */
#pragma once

#include <glib-object.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_CLIENT_OBJECT (relance_client_object_get_type ())
G_DECLARE_FINAL_TYPE (RelanceClientObject, relance_client_object, RELANCE, CLIENT_OBJECT,
                      GObject)

/* Takes @client; @outstanding and @overdue are already formatted ("" when nothing). */
RelanceClientObject *relance_client_object_new             (RelanceClient       *client,
                                                            const char          *outstanding,
                                                            const char          *overdue);
const RelanceClient *relance_client_object_get_client      (RelanceClientObject *self);
const char          *relance_client_object_get_outstanding (RelanceClientObject *self);
const char          *relance_client_object_get_overdue     (RelanceClientObject *self);
/* Whether every word of @folded (lower case, g_utf8_casefold) is in the name, the
 * reference, the email or the phone. */
gboolean             relance_client_object_matches         (RelanceClientObject *self,
                                                            const char          *folded);

G_END_DECLS
