/* relance-page.h: what every page of the main window shares: the store it shows, and
 * reading it again after a commit that concerns it (from this window, another window, the
 * scheduler or the command line: RelanceStore::changed tells them all). */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_PAGE (relance_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (RelancePage, relance_page, RELANCE, PAGE, AdwBin)

struct _RelancePageClass
{
  AdwBinClass parent_class;

  /* Reads the store again (only called while a store is set). */
  void                (* reload)  (RelancePage *self);
  /* Which changes make the page read again; RELANCE_STORE_CHANGED_ALL by default. */
  RelanceStoreChanged    changes;
  /* TRUE when reload only starts a read in a worker thread (nothing shown changes until it
   * is done): the page then starts it at once, inside the announcement, so that no frame
   * nor test sees the old list after the commit. Otherwise it reads when idle. */
  gboolean               reads_in_worker;

  gpointer padding[3];
};

RelanceStore *relance_page_get_store (RelancePage  *self);
/* Sets the store, listens to its changes and reads it. */
void          relance_page_set_store (RelancePage  *self,
                                      RelanceStore *store);
/* Reads the store again now (nothing without a store). */
void          relance_page_reload    (RelancePage  *self);
/* TRUE while a change announced by the store waits to be read (the page reads it when
 * the main loop is next idle: several commits in a row are read once). */
gboolean      relance_page_is_stale  (RelancePage  *self);

/* A page's own code: the store of @page (a RelancePage subclass). */
#define RELANCE_PAGE_STORE(page) (relance_page_get_store (RELANCE_PAGE (page)))

G_END_DECLS
