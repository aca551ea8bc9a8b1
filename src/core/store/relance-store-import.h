/* relance-store-import.h: the all-or-nothing write of an import (relance-import.c decides
 * what to write; this writes it fast).
 *
 * An import begins by taking the write lock, so that what it reads of the store does not
 * change before it writes; it then adds and updates clients, invoices and payments, and
 * either commits all of it or nothing. A dry run goes through the very same calls: nothing
 * is written, new clients get ids below zero, so its counts are the real ones.
 *
 * Invoices of a large import go in by multi-row INSERTs with ids assigned here (as SQLite
 * would: max + 1, under the write lock), and a near-empty table loses its secondary
 * indexes until the commit, which builds them again from the schema's own definitions. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

typedef struct _RelanceStoreImport RelanceStoreImport;

/* An invoice as the import reads and writes it: dates as Julian days, strings owned by the
 * caller (interned or in its buffers) until the import is committed or freed. */
typedef struct
{
  gint64      id;
  const char *number;
  gint64      client_id;
  guint32     issue;       /* Julian day */
  guint32     due;         /* Julian day */
  gint64      total;
  gint64      paid;        /* sum of payments; read only */
  const char *currency;    /* interned when read */
  const char *status;      /* "open", "cancelled", "disputed"; interned when read */
  const char *notes;       /* NULL: none */
} RelanceStoreImportInvoice;

/* Starts an import (its write transaction unless @dry_run). */
RelanceStoreImport *relance_store_begin_import        (RelanceStore               *store,
                                                       gboolean                    dry_run,
                                                       GError                    **error);
/* Rolls back what was not committed, and frees @self. */
void                relance_store_import_free         (RelanceStoreImport         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceStoreImport, relance_store_import_free)

/* Every client (RelanceClient*), oldest first. */
GPtrArray          *relance_store_import_list_clients (RelanceStoreImport         *self,
                                                       GError                    **error);
/* Every invoice with what was paid on it (RelanceStoreImportInvoice); numbers and notes
 * are copied into @strings. */
GArray             *relance_store_import_list_invoices (RelanceStoreImport        *self,
                                                        GStringChunk              *strings,
                                                        GError                   **error);

/* From here on, new clients, invoices and payments are gathered and written by batches:
 * for imports of @n_rows invoices into a store holding @n_existing. */
gboolean            relance_store_import_use_batches  (RelanceStoreImport         *self,
                                                       guint                       n_rows,
                                                       guint                       n_existing,
                                                       GError                    **error);
/* Adds @client and sets its id. */
gboolean            relance_store_import_add_client   (RelanceStoreImport         *self,
                                                       RelanceClient              *client,
                                                       GError                    **error);
gboolean            relance_store_import_update_client (RelanceStoreImport        *self,
                                                        RelanceClient             *client,
                                                        GError                   **error);
/* Adds @invoice (its paid is ignored) and sets its id. */
gboolean            relance_store_import_add_invoice  (RelanceStoreImport         *self,
                                                       RelanceStoreImportInvoice  *invoice,
                                                       GError                    **error);
gboolean            relance_store_import_update_invoice (RelanceStoreImport              *self,
                                                         const RelanceStoreImportInvoice *invoice,
                                                         GError                         **error);
/* A payment of @amount on invoice @invoice_id, dated today, "import" as its method. */
gboolean            relance_store_import_add_payment  (RelanceStoreImport         *self,
                                                       gint64                      invoice_id,
                                                       gint64                      amount,
                                                       GError                    **error);
/* Writes what is gathered and commits (a dry run: forgets it all). */
gboolean            relance_store_import_commit       (RelanceStoreImport         *self,
                                                       GError                    **error);

G_END_DECLS
