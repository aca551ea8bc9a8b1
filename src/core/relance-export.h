/* relance-export.h: writing clients and invoices as UTF-8 CSV that import reads back. */
#pragma once

#include <gio/gio.h>

#include "relance-import.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* Writes atomically (a temporary file renamed over @path): never half a file. */
gboolean relance_export_file (RelanceStore       *store,
                              RelanceImportKind   kind,
                              const char         *path,
                              GError            **error);

G_END_DECLS
