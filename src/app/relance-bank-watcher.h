/* relance-bank-watcher.h: the folder of bank statements the running scheduler watches.
 *
 * `relance config set bank-folder DIR` (or Preferences) names it. Each statement saved
 * there (.xml, .ofx, .qfx, .csv…) is imported once it is written, and a notification says
 * what was paid; a file imported again adds nothing (each credit is kept once), so the
 * files already there when the watcher starts cost a read and no notification. */
#pragma once

#include <gio/gio.h>

#include "relance-bank-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_BANK_WATCHER (relance_bank_watcher_get_type ())
G_DECLARE_FINAL_TYPE (RelanceBankWatcher, relance_bank_watcher, RELANCE, BANK_WATCHER, GObject)

/* @application (may be NULL) carries the notifications. */
RelanceBankWatcher *relance_bank_watcher_new     (RelanceStore       *store,
                                                  GApplication       *application);
/* Watches the folder of the bank-folder setting (again, when it changed); stops watching
 * when it is unset. Imports what the folder holds. */
void                relance_bank_watcher_refresh (RelanceBankWatcher *self);
void                relance_bank_watcher_stop    (RelanceBankWatcher *self);
/* The folder watched, or NULL. */
const char         *relance_bank_watcher_get_folder (RelanceBankWatcher *self);
/* Imports @path now, as when it appears in the folder (tests, and the window's drop). The
 * report, or NULL with @error. Notifies when something new was paid or proposed. */
RelanceBankImportReport *relance_bank_watcher_import (RelanceBankWatcher  *self,
                                                      const char          *path,
                                                      GError             **error);

G_END_DECLS
