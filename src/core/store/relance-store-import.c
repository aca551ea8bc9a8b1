/* relance-store-import.c: the writing side of an import (see relance-store-import.h):
 * one transaction, existing rows read once, new rows by multi-row INSERTs. */
#include "config.h"

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-store-import.h"
#include "relance-store-private.h"

/* Rows per multi-row INSERT: SQLite runs a statement's per-execution set-up (the CHECK ...
 * IN lists build a temporary b-tree) once per batch instead of once per row. Past a few
 * dozen the gain flattens, and 64 rows of 15 parameters stay far below SQLite's limit. */
#define BATCH_ROWS 64
/* Pending invoices that trigger a flush, to keep the buffers small. */
#define FLUSH_ROWS 4096
/* Below this many rows, or into a table holding more than half as many, the indexes stay. */
#define BULK_ROWS 20000

typedef struct
{
  gint64      id;
  const char *number;
  gint64      client_id;
  char        issue[11];
  char        due[11];
  gint64      total;
  const char *currency;
  const char *status;
  const char *notes;
} PendingInvoice;

typedef struct
{
  gint64 invoice_id;
  gint64 amount;
} PendingPayment;

struct _RelanceStoreImport
{
  RelanceStore *store;
  gboolean      dry_run;
  gboolean      in_transaction;
  gboolean      wrote;
  int           cache_size;       /* to put back; 0 when not changed */
  int           temp_store;       /* to put back; -1 when not changed */
  char          today[11];

  /* Batches (relance_store_import_use_batches): NULL until then. */
  GPtrArray    *pending_clients;  /* RelanceClient*, owned by the caller */
  GArray       *pending_invoices; /* PendingInvoice */
  GArray       *pending_payments; /* PendingPayment */
  gint64        last_client_id;
  gint64        last_invoice_id;
  gint64        next_fake_id;     /* dry runs: ids of clients not created */
  GPtrArray    *dropped_indexes;  /* their CREATE INDEX, to run before the commit */
};

static int
query_pragma (RelanceStore *store,
              const char   *pragma)
{
  sqlite3_stmt *stmt = relance_store_prepare (store, pragma, NULL);
  int value = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

static void
set_pragma (RelanceStore *store,
            const char   *pragma,
            int           value)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s = %d", pragma, value);

  relance_store_exec (store, sql, NULL);
}

RelanceStoreImport *
relance_store_begin_import (RelanceStore  *store,
                            gboolean       dry_run,
                            GError       **error)
{
  g_autoptr(RelanceStoreImport) self = g_new0 (RelanceStoreImport, 1);
  GDate today;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->dry_run = dry_run;
  self->temp_store = -1;
  relance_clock_today (NULL, &today);
  relance_date_julian_to_iso (g_date_get_julian (&today), self->today);

  /* A big page cache keeps the indexes of a large import in memory until the commit. */
  self->cache_size = query_pragma (store, "PRAGMA cache_size");
  relance_store_exec (store, "PRAGMA cache_size = -65536", NULL);
  /* Each multi-row INSERT keeps a statement journal (to undo its first rows when a later
   * one fails): in memory it costs a copy, in a temporary file a write per page. */
  self->temp_store = query_pragma (store, "PRAGMA temp_store");
  relance_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);

  /* Take the write lock before reading what exists, so nothing changes in between. */
  if (!dry_run)
    {
      if (!relance_store_begin (store, error))
        return NULL;
      self->in_transaction = TRUE;
    }
  return g_steal_pointer (&self);
}

void
relance_store_import_free (RelanceStoreImport *self)
{
  if (self == NULL)
    return;
  if (self->in_transaction)
    relance_store_rollback (self->store);
  if (self->cache_size != 0)
    set_pragma (self->store, "cache_size", self->cache_size);
  if (self->temp_store >= 0)
    set_pragma (self->store, "temp_store", self->temp_store);
  g_clear_pointer (&self->pending_clients, g_ptr_array_unref);
  g_clear_pointer (&self->pending_invoices, g_array_unref);
  g_clear_pointer (&self->pending_payments, g_array_unref);
  g_clear_pointer (&self->dropped_indexes, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_free (self);
}

/* ---- reading ------------------------------------------------------------------------ */

static gint
compare_client_ids (gconstpointer a,
                    gconstpointer b)
{
  const RelanceClient *x = *(RelanceClient * const *) a;
  const RelanceClient *y = *(RelanceClient * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

GPtrArray *
relance_store_import_list_clients (RelanceStoreImport  *self,
                                   GError             **error)
{
  GPtrArray *clients = relance_store_list_clients (self->store, error);

  /* The oldest client wins when two share an email or a name. */
  if (clients != NULL)
    g_ptr_array_sort (clients, compare_client_ids);
  return clients;
}

GArray *
relance_store_import_list_invoices (RelanceStoreImport  *self,
                                    GStringChunk        *strings,
                                    GError             **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self->store, "SELECT count(*) FROM invoices",
                                              error);
  g_autoptr(GArray) invoices = NULL;
  gint64 count;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relance_store_set_error (self->store, error);
      return NULL;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Sized once: 100 000 invoices are read for every import. */
  invoices = g_array_sized_new (FALSE, FALSE, sizeof (RelanceStoreImportInvoice),
                                (guint) CLAMP (count, 1, G_MAXUINT));
  stmt = relance_store_prepare (self->store,
    "SELECT i.id, i.number, i.client_id, i.issue_date, i.due_date, i.total, i.currency, "
    "i.status, i.notes, COALESCE(p.paid, 0) FROM invoices i "
    "LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *notes = (const char *) sqlite3_column_text (stmt, 8);
      RelanceStoreImportInvoice e = {
        .id = sqlite3_column_int64 (stmt, 0),
        .number = g_string_chunk_insert (strings, (const char *) sqlite3_column_text (stmt, 1)),
        .client_id = sqlite3_column_int64 (stmt, 2),
        .issue = relance_date_julian_from_iso ((const char *) sqlite3_column_text (stmt, 3)),
        .due = relance_date_julian_from_iso ((const char *) sqlite3_column_text (stmt, 4)),
        .total = sqlite3_column_int64 (stmt, 5),
        .currency = g_intern_string ((const char *) sqlite3_column_text (stmt, 6)),
        .status = g_intern_string ((const char *) sqlite3_column_text (stmt, 7)),
        .notes = notes != NULL ? g_string_chunk_insert (strings, notes) : NULL,
        .paid = sqlite3_column_int64 (stmt, 9),
      };

      g_array_append_val (invoices, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&invoices);
}

/* ---- batches ------------------------------------------------------------------------ */

#define CLIENT_COLUMNS 15
#define INSERT_CLIENTS_HEAD \
  "INSERT INTO clients (name, reference, email, cc, phone, language, country, timezone, " \
  "kind, segment, notes, street, postcode, city, id)"
#define INSERT_INVOICES_HEAD \
  "INSERT INTO invoices (id, number, client_id, issue_date, due_date, total, currency, " \
  "status, notes)"
#define INSERT_PAYMENTS_HEAD \
  "INSERT INTO payments (invoice_id, date, amount, method)"

/* Text the import keeps alive until the commit: bound without a copy. */
static void
bind_static (sqlite3_stmt *stmt,
             int           index,
             const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

typedef void (*BindRow) (RelanceStoreImport *self,
                         sqlite3_stmt       *stmt,
                         int                 base,
                         guint               index);

static void
bind_pending_client (RelanceStoreImport *self,
                     sqlite3_stmt       *stmt,
                     int                 base,
                     guint               index)
{
  const RelanceClient *client = g_ptr_array_index (self->pending_clients, index);
  const char *values[CLIENT_COLUMNS - 1] = {
    client->name, client->reference, client->email, client->cc, client->phone,
    client->language, client->country, client->timezone, client->kind, client->segment,
    client->notes, client->street, client->postcode, client->city,
  };

  for (int i = 0; i < CLIENT_COLUMNS - 1; i++)
    bind_static (stmt, base + i + 1, values[i]);
  sqlite3_bind_int64 (stmt, base + CLIENT_COLUMNS, client->id);
}

static void
bind_pending_invoice (RelanceStoreImport *self,
                      sqlite3_stmt       *stmt,
                      int                 base,
                      guint               index)
{
  const PendingInvoice *p = &g_array_index (self->pending_invoices, PendingInvoice, index);

  sqlite3_bind_int64 (stmt, base + 1, p->id);
  sqlite3_bind_text (stmt, base + 2, p->number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 3, p->client_id);
  sqlite3_bind_text (stmt, base + 4, p->issue, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, base + 5, p->due, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 6, p->total);
  sqlite3_bind_text (stmt, base + 7, p->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, base + 8, p->status, -1, SQLITE_STATIC);
  bind_static (stmt, base + 9, p->notes);
}

static void
bind_pending_payment (RelanceStoreImport *self,
                      sqlite3_stmt       *stmt,
                      int                 base,
                      guint               index)
{
  const PendingPayment *p = &g_array_index (self->pending_payments, PendingPayment, index);

  sqlite3_bind_int64 (stmt, base + 1, p->invoice_id);
  sqlite3_bind_text (stmt, base + 2, self->today, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 3, p->amount);
  sqlite3_bind_text (stmt, base + 4, "import", -1, SQLITE_STATIC);
}

/* Inserts @n_rows rows with "@head VALUES (?, ...), ...", BATCH_ROWS at a time. */
static gboolean
insert_batches (RelanceStoreImport  *self,
                const char          *head,
                guint                n_columns,
                guint                n_rows,
                BindRow              bind_row,
                GError             **error)
{
  for (guint done = 0; done < n_rows;)
    {
      guint n = MIN (BATCH_ROWS, n_rows - done);
      g_autoptr(GString) sql = g_string_new (head);
      sqlite3_stmt *stmt;

      for (guint r = 0; r < n; r++)
        {
          g_string_append (sql, r == 0 ? " VALUES (?" : ", (?");
          for (guint c = 1; c < n_columns; c++)
            g_string_append (sql, ", ?");
          g_string_append_c (sql, ')');
        }
      /* Cached by its text: only the full batch and the last remainder get prepared. */
      stmt = relance_store_prepare (self->store, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      for (guint r = 0; r < n; r++)
        bind_row (self, stmt, r * n_columns, done + r);
      if (!relance_store_step_done (self->store, stmt, error))
        return FALSE;
      done += n;
    }
  return TRUE;
}

/* Writes the pending clients: before anything that may refer to them. */
static gboolean
flush_clients (RelanceStoreImport  *self,
               GError             **error)
{
  if (self->pending_clients == NULL || self->pending_clients->len == 0)
    return TRUE;
  if (!insert_batches (self, INSERT_CLIENTS_HEAD, CLIENT_COLUMNS, self->pending_clients->len,
                       bind_pending_client, error))
    return FALSE;
  g_ptr_array_set_size (self->pending_clients, 0);
  return TRUE;
}

/* Writes everything pending, in the order the foreign keys need. */
static gboolean
flush_pending (RelanceStoreImport  *self,
               GError             **error)
{
  if (self->pending_invoices == NULL)
    return TRUE;
  if (!flush_clients (self, error)
      || !insert_batches (self, INSERT_INVOICES_HEAD, 9, self->pending_invoices->len,
                          bind_pending_invoice, error)
      || !insert_batches (self, INSERT_PAYMENTS_HEAD, 4, self->pending_payments->len,
                          bind_pending_payment, error))
    return FALSE;
  g_array_set_size (self->pending_invoices, 0);
  g_array_set_size (self->pending_payments, 0);
  return TRUE;
}

static gboolean
query_max_id (RelanceStore  *store,
              const char    *sql,
              gint64        *out_id,
              GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || relance_store_set_error (store, error);
}

/* Filling a near-empty table with many rows is faster without its secondary indexes, built
 * once at the end from sorted keys, than with every row inserted into each of them. The
 * indexes of invoices and payments are dropped here and created again by
 * restore_indexes() in the same transaction, from their own definitions in the schema, so
 * the import can never leave them different or missing (a failure rolls everything back).
 * The UNIQUE key on the number is not an index of its own and stays. */
static gboolean
drop_indexes_for_bulk (RelanceStoreImport  *self,
                       GError             **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = relance_store_prepare (self->store,
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN ('invoices', 'payments')", error);
  if (stmt == NULL)
    return FALSE;
  self->dropped_indexes = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, relance_store_column_dup (stmt, 0));
      g_ptr_array_add (self->dropped_indexes, relance_store_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self->store, error);
  for (guint i = 0; i < names->len; i++)
    {
      /* Names come from the schema itself; quoted as SQL identifiers all the same. */
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (names, i), "\"", -1);
      g_autofree char *quoted = g_strjoinv ("\"\"", parts);
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", quoted);

      if (!relance_store_exec (self->store, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_indexes (RelanceStoreImport  *self,
                 GError             **error)
{
  for (guint i = 0; self->dropped_indexes != NULL && i < self->dropped_indexes->len; i++)
    if (!relance_store_exec (self->store, g_ptr_array_index (self->dropped_indexes, i), error))
      return FALSE;
  g_clear_pointer (&self->dropped_indexes, g_ptr_array_unref);
  return TRUE;
}

gboolean
relance_store_import_use_batches (RelanceStoreImport  *self,
                                  guint                n_rows,
                                  guint                n_existing,
                                  GError             **error)
{
  g_return_val_if_fail (self != NULL && self->pending_invoices == NULL, FALSE);

  if (self->dry_run)
    return TRUE;
  if (!query_max_id (self->store, "SELECT coalesce(max(id), 0) FROM clients",
                     &self->last_client_id, error)
      || !query_max_id (self->store, "SELECT coalesce(max(id), 0) FROM invoices",
                        &self->last_invoice_id, error))
    return FALSE;
  self->pending_clients = g_ptr_array_new ();
  self->pending_invoices = g_array_sized_new (FALSE, FALSE, sizeof (PendingInvoice), FLUSH_ROWS);
  self->pending_payments = g_array_new (FALSE, FALSE, sizeof (PendingPayment));
  if (n_rows >= BULK_ROWS && n_rows >= 2 * (gsize) n_existing)
    return drop_indexes_for_bulk (self, error);
  return TRUE;
}

/* ---- writing ------------------------------------------------------------------------ */

gboolean
relance_store_import_add_client (RelanceStoreImport  *self,
                                 RelanceClient       *client,
                                 GError             **error)
{
  g_return_val_if_fail (self != NULL && client != NULL && client->id == 0, FALSE);

  if (self->dry_run)
    {
      client->id = --self->next_fake_id;
      return TRUE;
    }
  self->wrote = TRUE;
  if (self->pending_clients == NULL)
    return relance_store_save_client (self->store, client, error);
  client->id = ++self->last_client_id;
  g_ptr_array_add (self->pending_clients, client);
  return TRUE;
}

gboolean
relance_store_import_update_client (RelanceStoreImport  *self,
                                    RelanceClient       *client,
                                    GError             **error)
{
  g_return_val_if_fail (self != NULL && client != NULL && client->id > 0, FALSE);

  if (self->dry_run)
    return TRUE;
  self->wrote = TRUE;
  return flush_clients (self, error) && relance_store_save_client (self->store, client, error);
}

gboolean
relance_store_import_add_invoice (RelanceStoreImport         *self,
                                  RelanceStoreImportInvoice  *invoice,
                                  GError                    **error)
{
  PendingInvoice p;

  g_return_val_if_fail (self != NULL && invoice != NULL, FALSE);
  g_return_val_if_fail (self->dry_run || self->pending_invoices != NULL, FALSE);

  if (self->dry_run)
    {
      invoice->id = 0;
      return TRUE;
    }
  if (self->pending_invoices->len >= FLUSH_ROWS && !flush_pending (self, error))
    return FALSE;
  self->wrote = TRUE;
  p.id = invoice->id = ++self->last_invoice_id;
  p.number = invoice->number;
  p.client_id = invoice->client_id;
  relance_date_julian_to_iso (invoice->issue, p.issue);
  relance_date_julian_to_iso (invoice->due, p.due);
  p.total = invoice->total;
  p.currency = invoice->currency;
  p.status = invoice->status;
  p.notes = invoice->notes;
  g_array_append_val (self->pending_invoices, p);
  return TRUE;
}

gboolean
relance_store_import_update_invoice (RelanceStoreImport               *self,
                                     const RelanceStoreImportInvoice  *invoice,
                                     GError                          **error)
{
  sqlite3_stmt *stmt;
  char issue[11], due[11];

  g_return_val_if_fail (self != NULL && invoice != NULL && invoice->id > 0, FALSE);

  if (self->dry_run)
    return TRUE;
  self->wrote = TRUE;
  /* The client may be one this import created. */
  if (!flush_clients (self, error))
    return FALSE;
  stmt = relance_store_prepare (self->store,
    "UPDATE invoices SET client_id = ?2, issue_date = ?3, due_date = ?4, "
    "total = ?5, currency = ?6, status = ?7, notes = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  relance_date_julian_to_iso (invoice->issue, issue);
  relance_date_julian_to_iso (invoice->due, due);
  sqlite3_bind_int64 (stmt, 1, invoice->id);
  sqlite3_bind_int64 (stmt, 2, invoice->client_id);
  sqlite3_bind_text (stmt, 3, issue, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, due, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, invoice->total);
  sqlite3_bind_text (stmt, 6, invoice->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, invoice->status, -1, SQLITE_STATIC);
  bind_static (stmt, 8, invoice->notes);
  return relance_store_step_done (self->store, stmt, error);
}

gboolean
relance_store_import_add_payment (RelanceStoreImport  *self,
                                  gint64               invoice_id,
                                  gint64               amount,
                                  GError             **error)
{
  PendingPayment p = { invoice_id, amount };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->dry_run || self->pending_payments != NULL, FALSE);

  if (self->dry_run)
    return TRUE;
  self->wrote = TRUE;
  g_array_append_val (self->pending_payments, p);
  return TRUE;
}

gboolean
relance_store_import_commit (RelanceStoreImport  *self,
                             GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->dry_run)
    return TRUE;
  if (!flush_pending (self, error) || !restore_indexes (self, error))
    return FALSE;
  if (self->wrote)
    relance_store_note_change (self->store,
                               RELANCE_STORE_CHANGED_CLIENTS | RELANCE_STORE_CHANGED_INVOICES,
                               0, 0);
  if (!relance_store_commit (self->store, error))
    return FALSE;
  self->in_transaction = FALSE;
  return TRUE;
}
