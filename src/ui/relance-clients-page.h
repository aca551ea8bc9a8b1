/* relance-clients-page.h: the Clients page of the main window. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_CLIENTS_PAGE (relance_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceClientsPage, relance_clients_page, RELANCE, CLIENTS_PAGE, AdwBin)

RelanceStore *relance_clients_page_get_store (RelanceClientsPage *self);
void          relance_clients_page_set_store (RelanceClientsPage *self,
                                              RelanceStore       *store);
/* Reads the store again (the window calls it on RelanceWindow::store-changed). */
void          relance_clients_page_reload    (RelanceClientsPage *self);

G_END_DECLS
