/* relance-proof-export.h: "Export Proof…" from a timeline (an invoice's or a client's): asks
 * for a PDF or CSV file and writes the proof dossier of src/mail/relance-proof.h there in a
 * worker thread. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* Asks for the file (GtkFileDialog from GTK 4.10, GtkFileChooserNative before), then
 * writes it. @widget is the page asking; one of @invoice_number and @client is set. */
void relance_proof_export_choose  (GtkWidget    *widget,
                                   RelanceStore *store,
                                   const char   *invoice_number,
                                   const char   *client);
/* Writes @file (PDF, or CSV when its name ends in ".csv") in a worker thread with a
 * connection of its own, then shows the toast "Proof exported", or a dialog with the
 * error. */
void relance_proof_export_to_file (GtkWidget    *widget,
                                   RelanceStore *store,
                                   const char   *invoice_number,
                                   const char   *client,
                                   GFile        *file);

G_END_DECLS
