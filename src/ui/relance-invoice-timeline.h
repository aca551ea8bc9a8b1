/* relance-invoice-timeline.h: the timeline of an invoice's page. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* Fills @list with the reminders of invoice @number and the client's answers about it,
 * newest first, each reminder with a button that opens the exact message stored. */
void relance_invoice_timeline_fill (GtkListBox   *list,
                                    RelanceStore *store,
                                    const char   *number);

G_END_DECLS
