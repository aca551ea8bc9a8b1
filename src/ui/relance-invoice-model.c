/* relance-invoice-model.c: the invoices of the store as a GListModel.
 *
 * The rows are a compact array ordered by invoice id; the objects the list asks for are
 * made on first use and kept. A reload walks the old and the new rows side by side,
 * matching them by id, and reports each run of added, removed or changed rows as its own
 * items-changed, so that a list of 100 000 invoices where one was paid redraws one row,
 * keeps its selection and does not resort the rest. */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "relance-date.h"
#include "relance-invoice-model.h"

/* Past this many separate runs of changes, one change over the span they cover is
 * cheaper than moving the arrays once per run. */
#define MAX_RUNS 256

struct _RelanceInvoiceRows
{
  GArray       *rows;    /* RelanceInvoiceRow, by id */
  GStringChunk *strings; /* the numbers */
};

struct _RelanceInvoiceModel
{
  GObject             parent_instance;

  const char         *language;
  GArray             *rows;     /* RelanceInvoiceRow */
  GPtrArray          *objects;  /* RelanceInvoiceObject or NULL, as rows */
  RelanceInvoiceRows *snapshot; /* owns the strings of rows */
};

static void relance_invoice_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelanceInvoiceModel, relance_invoice_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      relance_invoice_model_list_model_init))

/* Rows. */

static RelanceInvoiceRows *
rows_new (guint reserved)
{
  RelanceInvoiceRows *rows = g_new0 (RelanceInvoiceRows, 1);

  rows->rows = g_array_sized_new (FALSE, FALSE, sizeof (RelanceInvoiceRow), reserved);
  rows->strings = g_string_chunk_new (4096);
  return rows;
}

void
relance_invoice_rows_free (RelanceInvoiceRows *rows)
{
  if (rows == NULL)
    return;
  g_array_unref (rows->rows);
  g_string_chunk_free (rows->strings);
  g_free (rows);
}

guint
relance_invoice_rows_get_len (RelanceInvoiceRows *rows)
{
  g_return_val_if_fail (rows != NULL, 0);
  return rows->rows->len;
}

static guint32
column_julian (sqlite3_stmt *stmt,
               int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  GDate date;

  if (text == NULL || !relance_date_from_iso (text, &date))
    return 0;
  return g_date_get_julian (&date);
}

RelanceInvoiceRows *
relance_invoice_rows_load (RelanceStore  *store,
                           GError       **error)
{
  static const char sql[] =
    "SELECT i.id, i.number, i.client_id, c.name, i.issue_date, i.due_date, i.total, "
    "i.currency, i.status, i.promise_date, coalesce(p.paid, 0), c.paused "
    "FROM invoices i JOIN clients c ON c.id = i.client_id "
    "LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id ORDER BY i.id";
  g_autoptr(RelanceInvoiceRows) rows = NULL;
  g_autoptr(GHashTable) client_keys = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  stmt = relance_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  rows = rows_new (1024);
  /* Many invoices share a client: fold each name once. */
  client_keys = g_hash_table_new (g_direct_hash, g_direct_equal);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceInvoiceRow row = { 0 };
      const char *currency = (const char *) sqlite3_column_text (stmt, 7);

      row.id = sqlite3_column_int64 (stmt, 0);
      row.number = g_string_chunk_insert (rows->strings,
                                          (const char *) sqlite3_column_text (stmt, 1));
      row.client_id = sqlite3_column_int64 (stmt, 2);
      row.client_name = g_intern_string ((const char *) sqlite3_column_text (stmt, 3));
      row.client_key = g_hash_table_lookup (client_keys, row.client_name);
      if (row.client_key == NULL)
        {
          g_autofree char *key = relance_text_fold (row.client_name);

          row.client_key = g_intern_string (key);
          g_hash_table_insert (client_keys, (gpointer) row.client_name, (gpointer) row.client_key);
        }
      row.issue_julian = column_julian (stmt, 4);
      row.due_julian = column_julian (stmt, 5);
      row.total = sqlite3_column_int64 (stmt, 6);
      g_strlcpy (row.currency, currency != NULL ? currency : "", sizeof row.currency);
      row.status = g_intern_string ((const char *) sqlite3_column_text (stmt, 8));
      row.promise_julian = column_julian (stmt, 9);
      row.paid = sqlite3_column_int64 (stmt, 10);
      row.client_paused = sqlite3_column_int (stmt, 11) != 0;
      g_array_append_val (rows->rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

/* GListModel. */

static GType
relance_invoice_model_get_item_type (GListModel *list)
{
  return RELANCE_TYPE_INVOICE_OBJECT;
}

static guint
relance_invoice_model_get_n_items (GListModel *list)
{
  RelanceInvoiceModel *self = RELANCE_INVOICE_MODEL (list);

  return self->rows->len;
}

static gpointer
relance_invoice_model_get_item (GListModel *list,
                                guint       position)
{
  RelanceInvoiceModel *self = RELANCE_INVOICE_MODEL (list);

  if (position >= self->rows->len)
    return NULL;

  if (g_ptr_array_index (self->objects, position) == NULL)
    g_ptr_array_index (self->objects, position) =
      relance_invoice_object_new_from_row (&g_array_index (self->rows, RelanceInvoiceRow,
                                                           position),
                                           self->language);
  return g_object_ref (g_ptr_array_index (self->objects, position));
}

static void
relance_invoice_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = relance_invoice_model_get_item_type;
  iface->get_n_items = relance_invoice_model_get_n_items;
  iface->get_item = relance_invoice_model_get_item;
}

/* Reloading. */

/* Replaces @removed rows at @position by @added rows of @from, and says so. */
static void
splice (RelanceInvoiceModel     *self,
        guint                    position,
        guint                    removed,
        const RelanceInvoiceRow *from,
        guint                    added)
{
  if (removed == 0 && added == 0)
    return;

  if (removed > 0)
    {
      g_array_remove_range (self->rows, position, removed);
      g_ptr_array_remove_range (self->objects, position, removed);
    }
  if (added > 0)
    {
      guint old_len = self->objects->len;

      g_array_insert_vals (self->rows, position, from, added);
      /* Objects are made when asked for: the inserted slots start empty. */
      g_ptr_array_set_size (self->objects, old_len + added);
      memmove (self->objects->pdata + position + added, self->objects->pdata + position,
               (old_len - position) * sizeof (gpointer));
      memset (self->objects->pdata + position, 0, added * sizeof (gpointer));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

typedef struct
{
  guint old_start;  /* in the old rows */
  guint removed;
  guint new_start;  /* in the new rows, which is also the position once applied */
  guint added;
} Run;

static GArray *
diff_runs (GArray *old_rows,
           GArray *new_rows)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (Run));
  guint i = 0, j = 0;

  while (i < old_rows->len || j < new_rows->len)
    {
      const RelanceInvoiceRow *a = i < old_rows->len
        ? &g_array_index (old_rows, RelanceInvoiceRow, i) : NULL;
      const RelanceInvoiceRow *b = j < new_rows->len
        ? &g_array_index (new_rows, RelanceInvoiceRow, j) : NULL;
      Run *last = runs->len > 0 ? &g_array_index (runs, Run, runs->len - 1) : NULL;
      guint removed = 0, added = 0;

      if (a != NULL && b != NULL && a->id == b->id)
        {
          if (relance_invoice_row_equal (a, b))
            {
              i++, j++;
              continue;
            }
          removed = added = 1;
        }
      else if (b == NULL || (a != NULL && a->id < b->id))
        removed = 1;
      else
        added = 1;

      /* Neighbouring changes make one run. */
      if (last != NULL && last->old_start + last->removed == i &&
          last->new_start + last->added == j)
        {
          last->removed += removed;
          last->added += added;
        }
      else
        {
          Run run = { i, removed, j, added };

          g_array_append_val (runs, run);
        }
      i += removed;
      j += added;
    }
  return runs;
}

void
relance_invoice_model_set_rows (RelanceInvoiceModel *self,
                                RelanceInvoiceRows  *rows)
{
  g_autoptr(GArray) runs = NULL;
  RelanceInvoiceRows *old;
  GArray *new_rows;

  g_return_if_fail (RELANCE_IS_INVOICE_MODEL (self));
  g_return_if_fail (rows != NULL);

  new_rows = rows->rows;
  runs = diff_runs (self->rows, new_rows);
  /* The old strings stay alive until every run is applied: rows not yet reached still
   * point into them. */
  old = self->snapshot;
  self->snapshot = rows;

  if (runs->len > MAX_RUNS)
    {
      Run *first = &g_array_index (runs, Run, 0);
      Run *last = &g_array_index (runs, Run, runs->len - 1);
      guint removed = last->old_start + last->removed - first->old_start;
      guint added = last->new_start + last->added - first->new_start;

      splice (self, first->new_start, removed,
              &g_array_index (new_rows, RelanceInvoiceRow, first->new_start), added);
    }
  else
    {
      for (guint k = 0; k < runs->len; k++)
        {
          const Run *run = &g_array_index (runs, Run, k);

          splice (self, run->new_start, run->removed,
                  &g_array_index (new_rows, RelanceInvoiceRow, run->new_start), run->added);
        }
    }

  /* The rows are now equal to the new ones; let them point into the new strings, and
   * keep only the strings of the snapshot: a second copy of 100 000 rows is 10 MB. */
  g_assert (self->rows->len == new_rows->len);
  if (new_rows->len > 0)
    memcpy (self->rows->data, new_rows->data, new_rows->len * sizeof (RelanceInvoiceRow));
  g_array_unref (rows->rows);
  rows->rows = g_array_new (FALSE, FALSE, sizeof (RelanceInvoiceRow));
  relance_invoice_rows_free (old);
#ifdef __GLIBC__
  /* The rows were built in a worker thread, whose arena glibc keeps otherwise. */
  malloc_trim (0);
#endif
}

gboolean
relance_invoice_model_reload (RelanceInvoiceModel  *self,
                              RelanceStore         *store,
                              GError              **error)
{
  RelanceInvoiceRows *rows;

  g_return_val_if_fail (RELANCE_IS_INVOICE_MODEL (self), FALSE);
  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);

  rows = relance_invoice_rows_load (store, error);
  if (rows == NULL)
    return FALSE;
  relance_invoice_model_set_rows (self, rows);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(RelanceStore) store = NULL;
  GError *error = NULL;
  RelanceInvoiceRows *rows;

  /* A connection belongs to the thread that opened it: this one is ours alone. */
  store = relance_store_open_quick (path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  rows = relance_invoice_rows_load (store, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) relance_invoice_rows_free);
}

void
relance_invoice_model_load_async (RelanceInvoiceModel *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELANCE_IS_INVOICE_MODEL (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relance_invoice_model_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
relance_invoice_model_load_finish (RelanceInvoiceModel  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  RelanceInvoiceRows *rows;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        relance_invoice_model_load_async, FALSE);

  rows = g_task_propagate_pointer (G_TASK (result), error);
  if (rows == NULL)
    return FALSE;
  relance_invoice_model_set_rows (self, rows);
  return TRUE;
}

guint
relance_invoice_model_find (RelanceInvoiceModel *self,
                            gint64               id)
{
  guint low = 0, high;

  g_return_val_if_fail (RELANCE_IS_INVOICE_MODEL (self), G_MAXUINT);

  /* The rows are ordered by id. */
  high = self->rows->len;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      gint64 here = g_array_index (self->rows, RelanceInvoiceRow, middle).id;

      if (here == id)
        return middle;
      if (here < id)
        low = middle + 1;
      else
        high = middle;
    }
  return G_MAXUINT;
}

/* GObject. */

static void
object_unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
relance_invoice_model_finalize (GObject *object)
{
  RelanceInvoiceModel *self = RELANCE_INVOICE_MODEL (object);

  g_clear_pointer (&self->objects, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->snapshot, relance_invoice_rows_free);

  G_OBJECT_CLASS (relance_invoice_model_parent_class)->finalize (object);
}

static void
relance_invoice_model_class_init (RelanceInvoiceModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relance_invoice_model_finalize;
}

static void
relance_invoice_model_init (RelanceInvoiceModel *self)
{
  self->rows = g_array_new (FALSE, FALSE, sizeof (RelanceInvoiceRow));
  self->objects = g_ptr_array_new_with_free_func (object_unref_if_any);
  self->language = g_intern_static_string ("en");
}

RelanceInvoiceModel *
relance_invoice_model_new (const char *language)
{
  RelanceInvoiceModel *self = g_object_new (RELANCE_TYPE_INVOICE_MODEL, NULL);

  if (language != NULL)
    self->language = g_intern_string (language);
  return self;
}
