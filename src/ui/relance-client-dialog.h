/* relance-client-dialog.h: the dialog that adds or edits a client, each field checked as
 * it is typed, with the reason shown under the field. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_CLIENT_DIALOG (relance_client_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelanceClientDialog, relance_client_dialog, RELANCE, CLIENT_DIALOG,
                      AdwWindow)

/* Adds a client when @client is NULL, edits a copy of it otherwise. Emits ::saved with
 * the client's id once the store has it. */
RelanceClientDialog *relance_client_dialog_new             (GtkWindow           *parent,
                                                            RelanceStore        *store,
                                                            const RelanceClient *client);
/* The entry row of a field ("name", "email", "cc", "phone", "postcode", "city", "country",
 * "timezone") and the label that says what is wrong with it. */
GtkWidget           *relance_client_dialog_get_field       (RelanceClientDialog *self,
                                                            const char          *name);
GtkLabel            *relance_client_dialog_get_error_label (RelanceClientDialog *self,
                                                            const char          *name);
/* The street lines of the postal address, one per line. */
GtkTextView         *relance_client_dialog_get_street_view (RelanceClientDialog *self);
GtkWidget           *relance_client_dialog_get_save_button (RelanceClientDialog *self);

G_END_DECLS
