/* relance-planner-private.h: what the planner (relance-planner.c) and the rendering of
 * its messages (relance-planner-render.c) share. */
#pragma once

#include "relance-planner.h"

G_BEGIN_DECLS

void relance_planned_invoice_free (RelancePlannedInvoice *planned);

G_END_DECLS
