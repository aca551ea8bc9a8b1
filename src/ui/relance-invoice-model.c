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

#include "relance-invoice-model-private.h"
#include "relance-invoice-model.h"

/* Past this many separate runs of changes, one pass over all the rows is cheaper than
 * moving the arrays once per run. */
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
  guint32             last_stamp;
  gboolean            partial;  /* only the first rows of one order, not yet all */
};

static void relance_invoice_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelanceInvoiceModel, relance_invoice_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      relance_invoice_model_list_model_init))

static void
object_unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

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

static int
row_id_compare (gconstpointer a,
                gconstpointer b)
{
  gint64 x = ((const RelanceInvoiceRow *) a)->id, y = ((const RelanceInvoiceRow *) b)->id;

  return x < y ? -1 : x > y;
}

typedef struct
{
  RelanceInvoiceRows *rows;
  GHashTable         *client_keys; /* interned name → interned folded name */
} LoadContext;

static void
add_row (const RelanceInvoiceSummary *summary,
         gpointer                     user_data)
{
  LoadContext *context = user_data;
  RelanceInvoiceRow row = { 0 };

  row.id = summary->id;
  row.number = g_string_chunk_insert (context->rows->strings, summary->number);
  row.client_id = summary->client_id;
  row.client_name = g_intern_string (summary->client_name);
  /* Many invoices share a client: fold each name once. */
  row.client_key = g_hash_table_lookup (context->client_keys, row.client_name);
  if (row.client_key == NULL)
    {
      g_autofree char *key = relance_text_fold (row.client_name);

      row.client_key = g_intern_string (key);
      g_hash_table_insert (context->client_keys, (gpointer) row.client_name,
                           (gpointer) row.client_key);
    }
  row.issue_julian = summary->issue_julian;
  row.due_julian = summary->due_julian;
  row.total = summary->total;
  g_strlcpy (row.currency, summary->currency != NULL ? summary->currency : "",
             sizeof row.currency);
  row.status = g_intern_string (summary->status);
  row.promise_julian = summary->promise_julian;
  row.paid = summary->paid;
  row.client_paused = summary->client_paused;
  g_array_append_val (context->rows->rows, row);
}

/* Reads the rows in @order (with @limit > 0, the first @limit only, then put back in the
 * order of their ids). */
static RelanceInvoiceRows *
rows_load (RelanceStore         *store,
           RelanceInvoiceOrder   order,
           gboolean              descending,
           guint                 limit,
           GError              **error)
{
  g_autoptr(RelanceInvoiceRows) rows = rows_new (limit > 0 ? limit : 1024);
  g_autoptr(GHashTable) client_keys = g_hash_table_new (g_direct_hash, g_direct_equal);
  LoadContext context = { rows, client_keys };

  if (!relance_store_foreach_invoice_summary (store, order, descending, limit, add_row,
                                              &context, error))
    return NULL;
  if (limit > 0)
    g_array_sort (rows->rows, row_id_compare);
  return g_steal_pointer (&rows);
}

RelanceInvoiceRows *
relance_invoice_rows_load (RelanceStore  *store,
                           GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  return rows_load (store, RELANCE_INVOICE_ORDER_ID, FALSE, 0, error);
}

gboolean
relance_invoice_sort_has_first_rows (RelanceInvoiceSort sort)
{
  return sort == RELANCE_INVOICE_SORT_NONE || sort == RELANCE_INVOICE_SORT_NUMBER ||
         sort == RELANCE_INVOICE_SORT_DUE;
}

RelanceInvoiceRows *
relance_invoice_rows_load_first (RelanceStore        *store,
                                 RelanceInvoiceSort   sort,
                                 gboolean             descending,
                                 guint                limit,
                                 GError             **error)
{
  RelanceInvoiceOrder order;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (relance_invoice_sort_has_first_rows (sort), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* The order of RelanceInvoiceQuery for these keys: equal keys in the order of the ids
   * whichever the direction. */
  switch (sort)
    {
    case RELANCE_INVOICE_SORT_NUMBER:
      order = RELANCE_INVOICE_ORDER_NUMBER;
      break;
    case RELANCE_INVOICE_SORT_DUE:
      order = RELANCE_INVOICE_ORDER_DUE;
      break;
    case RELANCE_INVOICE_SORT_NONE:
    case RELANCE_INVOICE_SORT_CLIENT:
    case RELANCE_INVOICE_SORT_OUTSTANDING:
    case RELANCE_INVOICE_SORT_STATUS:
    default:
      order = RELANCE_INVOICE_ORDER_ID;
      descending = FALSE;
      break;
    }
  return rows_load (store, order, descending, limit, error);
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
      /* A new stamp tells the views above that this row is new or changed. */
      for (guint k = position; k < position + added; k++)
        g_array_index (self->rows, RelanceInvoiceRow, k).stamp = ++self->last_stamp;
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

/* Takes @new_rows as they are in one step, keeping the stamp and the object of each row
 * that did not change: the views above see the unchanged rows as the same items. Many
 * runs of changes (the first rows, then all of them) cost one pass instead of a move of
 * the arrays per run. */
static void
replace_all (RelanceInvoiceModel *self,
             GArray              *new_rows)
{
  GArray *old_rows = self->rows;
  GPtrArray *old_objects = self->objects;
  guint old_len = old_rows->len, i = 0;

  /* The new rows become the model's as they are: no second copy of 100 000 rows. */
  self->rows = g_array_ref (new_rows);
  self->objects = g_ptr_array_new_full (new_rows->len, object_unref_if_any);
  g_ptr_array_set_size (self->objects, new_rows->len);

  for (guint j = 0; j < new_rows->len; j++)
    {
      RelanceInvoiceRow *row = &g_array_index (self->rows, RelanceInvoiceRow, j);

      while (i < old_len && g_array_index (old_rows, RelanceInvoiceRow, i).id < row->id)
        i++;
      if (i < old_len && relance_invoice_row_equal (&g_array_index (old_rows, RelanceInvoiceRow, i),
                                                    row))
        {
          row->stamp = g_array_index (old_rows, RelanceInvoiceRow, i).stamp;
          g_ptr_array_index (self->objects, j) = g_steal_pointer (&g_ptr_array_index (old_objects, i));
        }
      else
        row->stamp = ++self->last_stamp;
    }
  g_array_unref (old_rows);
  g_ptr_array_unref (old_objects);
  if (old_len > 0 || new_rows->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, new_rows->len);
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

  if (runs->len > MAX_RUNS || self->partial)
    replace_all (self, new_rows);
  else
    {
      for (guint k = 0; k < runs->len; k++)
        {
          const Run *run = &g_array_index (runs, Run, k);

          splice (self, run->new_start, run->removed,
                  &g_array_index (new_rows, RelanceInvoiceRow, run->new_start), run->added);
        }
    }
  self->partial = FALSE;

  /* The rows are now equal to the new ones; let them point into the new strings, and
   * keep only the strings of the snapshot: a second copy of 100 000 rows is 10 MB. */
  g_assert (self->rows->len == new_rows->len);
  if (self->rows != new_rows)
    for (guint k = 0; k < new_rows->len; k++)
      {
        RelanceInvoiceRow *row = &g_array_index (self->rows, RelanceInvoiceRow, k);
        guint32 stamp = row->stamp;

        *row = g_array_index (new_rows, RelanceInvoiceRow, k);
        row->stamp = stamp;
      }
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

typedef struct
{
  char              *path;
  RelanceInvoiceSort sort;
  gboolean           descending;
  guint              limit;  /* 0: every row */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(RelanceStore) store = NULL;
  GError *error = NULL;
  RelanceInvoiceRows *rows;

  /* A connection belongs to the thread that opened it: this one is ours alone. */
  store = relance_store_open_quick (data->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->limit > 0)
    rows = relance_invoice_rows_load_first (store, data->sort, data->descending, data->limit,
                                            &error);
  else
    rows = relance_invoice_rows_load (store, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) relance_invoice_rows_free);
}

static void
load_async (RelanceInvoiceModel *self,
            LoadData            *data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relance_invoice_model_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

void
relance_invoice_model_load_async (RelanceInvoiceModel *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  LoadData *data;

  g_return_if_fail (RELANCE_IS_INVOICE_MODEL (self));
  g_return_if_fail (path != NULL);

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (path);
  load_async (self, data, cancellable, callback, user_data);
}

void
relance_invoice_model_load_first_async (RelanceInvoiceModel *self,
                                        const char          *path,
                                        RelanceInvoiceSort   sort,
                                        gboolean             descending,
                                        guint                limit,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  LoadData *data;

  g_return_if_fail (RELANCE_IS_INVOICE_MODEL (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (relance_invoice_sort_has_first_rows (sort));
  g_return_if_fail (limit > 0);

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (path);
  data->sort = sort;
  data->descending = descending;
  data->limit = limit;
  load_async (self, data, cancellable, callback, user_data);
}

gboolean
relance_invoice_model_load_finish (RelanceInvoiceModel  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  RelanceInvoiceRows *rows;
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        relance_invoice_model_load_async, FALSE);

  rows = g_task_propagate_pointer (G_TASK (result), error);
  if (rows == NULL)
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  relance_invoice_model_set_rows (self, rows);
  /* Set after: the next rows replace these in one pass. */
  self->partial = data->limit > 0;
  return TRUE;
}

gboolean
relance_invoice_model_is_partial (RelanceInvoiceModel *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_MODEL (self), FALSE);
  return self->partial;
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

GArray *
relance_invoice_model_peek_rows (RelanceInvoiceModel *self)
{
  return self->rows;
}

/* GObject. */

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
