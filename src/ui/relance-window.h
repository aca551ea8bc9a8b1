/* relance-window.h: the main window: the invoice list, or an invitation to import. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_WINDOW (relance_window_get_type ())
G_DECLARE_FINAL_TYPE (RelanceWindow, relance_window, RELANCE, WINDOW, AdwApplicationWindow)

RelanceWindow *relance_window_new         (GtkApplication *application,
                                           RelanceStore   *store);
RelanceStore  *relance_window_get_store   (RelanceWindow  *self);
/* The sorted list shown in the column view (items are RelanceInvoiceObject). */
GListModel    *relance_window_get_model   (RelanceWindow  *self);
void           relance_window_reload      (RelanceWindow  *self);
/* Asks for a CSV file (through the portal in a sandbox) and imports it. */
void           relance_window_choose_import (RelanceWindow *self);
/* Imports @file in a worker thread, then shows the outcome and reloads the list. */
void           relance_window_import_file (RelanceWindow  *self,
                                           GFile          *file);

G_END_DECLS
