/* relance-upcoming-page.h: the Upcoming page of the main window. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_UPCOMING_PAGE (relance_upcoming_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceUpcomingPage, relance_upcoming_page, RELANCE, UPCOMING_PAGE, AdwBin)

RelanceStore *relance_upcoming_page_get_store (RelanceUpcomingPage *self);
void          relance_upcoming_page_set_store (RelanceUpcomingPage *self,
                                               RelanceStore        *store);
/* Reads the store again (the window calls it on RelanceWindow::store-changed). */
void          relance_upcoming_page_reload    (RelanceUpcomingPage *self);

G_END_DECLS
