/* relance-window.h: the main window: a header bar with a view switcher over the pages
 * (Invoices, Clients, Upcoming, Dashboard, Templates). */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_WINDOW (relance_window_get_type ())
G_DECLARE_FINAL_TYPE (RelanceWindow, relance_window, RELANCE, WINDOW, AdwApplicationWindow)

RelanceWindow *relance_window_new         (GtkApplication *application,
                                           RelanceStore   *store);
RelanceStore  *relance_window_get_store   (RelanceWindow  *self);
/* The list shown by the Invoices page, sorted and filtered (items are
 * RelanceInvoiceObject). */
GListModel    *relance_window_get_model   (RelanceWindow  *self);
/* Reloads every page from the store. */
void           relance_window_reload      (RelanceWindow  *self);
/* TRUE while a page still reads the store in the background. */
gboolean       relance_window_is_loading  (RelanceWindow  *self);
/* Asks for a CSV file (through the portal in a sandbox) and imports it. */
void           relance_window_choose_import (RelanceWindow *self);
/* Imports @file in a worker thread, then shows the outcome and reloads the pages. */
void           relance_window_import_file (RelanceWindow  *self,
                                           GFile          *file);

/* Shows @toast (transfer full) over the window's content. */
void           relance_window_add_toast   (RelanceWindow  *self,
                                           AdwToast       *toast);
/* TRUE while the banner saying all reminders are paused shows (tests). */
gboolean       relance_window_get_paused_banner_shown (RelanceWindow *self);
/* Shows the page named "invoices", "clients", "upcoming", "dashboard" or "templates". */
void           relance_window_show_page   (RelanceWindow  *self,
                                           const char     *name);
/* Shows the invoice @number with its payment dialog open (a client's reply said paid). */
void           relance_window_ask_payment (RelanceWindow *self,
                                           const char    *number);
/* Shows the Invoices page open on the invoice @number. */
void           relance_window_show_invoice (RelanceWindow *self,
                                            const char    *number);

G_END_DECLS
