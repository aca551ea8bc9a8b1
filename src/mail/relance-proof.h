/* relance-proof.h: the proof dossier of the reminders sent for an invoice or a client,
 * months later: a PDF (every reminder with its date and time, channel, recipients,
 * Message-ID, server reply, state and the full text decoded from the exact bytes kept in
 * the outbox) and a CSV of the same rows. */
#pragma once

#include <gio/gio.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* The outbox rows of invoice @invoice_number, or of the client @client (name or
 * reference), or every row when both are NULL; oldest first, raw bytes loaded
 * (RelanceOutboxItem*). Fails for an unknown invoice or client. */
GPtrArray *relance_proof_collect      (RelanceStore  *store,
                                       const char    *invoice_number,
                                       const char    *client,
                                       GError       **error);

/* The text/plain part of a stored message, decoded to UTF-8 with GMime (transfer
 * encoding and charset), or NULL when it has none. */
char      *relance_proof_message_text (GBytes        *raw);

/* One line per reminder after a header line, comma-separated (RFC 4180), UTF-8; times
 * in UTC (ISO 8601, and date and time columns). The column names are fixed, for scripts:
 * id, client, invoices, channel, state, date, time, sent_at, queued_at, recipients,
 * subject, message_id, server_reply, attempts. */
GBytes    *relance_proof_to_csv       (RelanceStore  *store,
                                       const char    *invoice_number,
                                       const char    *client,
                                       GError       **error);

/* The dossier as an A4 PDF, in the language of the interface. */
GBytes    *relance_proof_to_pdf       (RelanceStore  *store,
                                       const char    *invoice_number,
                                       const char    *client,
                                       GError       **error);

G_END_DECLS
