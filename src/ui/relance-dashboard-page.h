/* relance-dashboard-page.h: the Dashboard page of the main window. */
#pragma once

#include <adwaita.h>

#include "relance-aging-chart.h"
#include "relance-page.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_DASHBOARD_PAGE (relance_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceDashboardPage, relance_dashboard_page, RELANCE, DASHBOARD_PAGE, RelancePage)

/* TRUE while the figures are computed in the background. */
gboolean      relance_dashboard_page_is_loading (RelanceDashboardPage *self);
RelanceAgingChart *relance_dashboard_page_get_chart (RelanceDashboardPage *self);

G_END_DECLS
