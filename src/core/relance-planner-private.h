/* relance-planner-private.h: what the planner (relance-planner.c) and the rendering of
 * its messages (relance-planner-render.c) share. */
#pragma once

#include "relance-planner.h"

G_BEGIN_DECLS

/* An empty list of RelancePlannedInvoice*, for a message's invoices. */
GPtrArray *relance_planned_invoices_new (void);

G_END_DECLS
