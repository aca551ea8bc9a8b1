/* relance-message-viewer.h: a window showing a stored reminder exactly as it was sent. */
#pragma once

#include <adwaita.h>

#include "relance-outbox.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_MESSAGE_VIEWER (relance_message_viewer_get_type ())
G_DECLARE_FINAL_TYPE (RelanceMessageViewer, relance_message_viewer, RELANCE, MESSAGE_VIEWER,
                      AdwWindow)

/* @item must have been read with its raw bytes (relance_outbox_get (…, TRUE, …)). */
RelanceMessageViewer *relance_message_viewer_new      (GtkWindow               *parent,
                                                       const RelanceOutboxItem *item);
/* The text shown: the headers, a blank line and the text/plain part. */
char                 *relance_message_viewer_get_text (RelanceMessageViewer    *self);

/* Decodes @raw (an RFC 5322 message) into its headers and its text/plain part. */
gboolean              relance_message_decode          (GBytes                  *raw,
                                                       char                   **out_headers,
                                                       char                   **out_text);

G_END_DECLS
