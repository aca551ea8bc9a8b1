/* relance-penalty-private.h: what the rate tables (relance-penalty-rates.c) and the
 * computation of penalties (relance-penalty.c) share. */
#pragma once

#include "relance-penalty.h"

G_BEGIN_DECLS

/* The series as messages name it ("ECB main refinancing rate"…), translated. */
const char             *relance_penalty_series_name   (RelanceRateSeries series);
/* Shared read-only shipped tables, for callers that pass NULL. */
const RelanceRateTable *relance_penalty_shipped_table (RelanceRateSeries series);

G_END_DECLS
