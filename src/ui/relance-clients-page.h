/* relance-clients-page.h: the Clients page of the main window: the clients with what they
 * owe, searched as you type, and each client's own page (contacts, reminder settings,
 * invoices, timeline). */
#pragma once

#include <adwaita.h>

#include "relance-page.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_CLIENTS_PAGE (relance_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceClientsPage, relance_clients_page, RELANCE, CLIENTS_PAGE, RelancePage)

/* TRUE while the list is read (in a worker thread). */
gboolean      relance_clients_page_is_loading   (RelanceClientsPage *self);
/* The list as shown, filtered by the search (items are RelanceClientObject). */
GListModel   *relance_clients_page_get_model    (RelanceClientsPage *self);
/* Slides in the page of the client with @id. */
void          relance_clients_page_show_client  (RelanceClientsPage *self,
                                                 gint64              id);
/* The rows of the client page's invoices and timeline (tests). */
GtkListBox   *relance_clients_page_get_invoices (RelanceClientsPage *self);
GtkListBox   *relance_clients_page_get_timeline (RelanceClientsPage *self);

G_END_DECLS
