/* relance-invoice-query.c: RelanceInvoiceQuery (relance-invoice-model.h), sorting and
 * filtering the compact rows of a RelanceInvoiceModel.
 *
 * GtkSortListModel and GtkFilterListModel would ask RelanceInvoiceModel for an object
 * per invoice (100 000 GObjects kept alive, and their sort keys) and run their functions
 * on objects. Here the order is a permutation of row positions sorted on a key computed
 * once per row, the filter runs on the rows, and objects are only made for the rows a
 * list actually shows. */
#include "config.h"

#include <string.h>

#include "relance-invoice-model-private.h"
#include "relance-invoice-model.h"

struct _RelanceInvoiceQuery
{
  GObject              parent_instance;

  RelanceInvoiceModel *model;
  RelanceInvoiceSort   sort;
  gboolean             descending;
  RelanceInvoiceRowFilter filter;
  gpointer             filter_data;
  GArray              *order;  /* guint32 row positions, sorted */
  GArray              *shown;  /* guint32 row positions, the filtered order */
  GArray              *stamps; /* guint32, the stamp of each shown row */
  RelanceInvoiceQueryScrollFunc scroll_func;
  gpointer             scroll_data;
};

static void relance_invoice_query_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelanceInvoiceQuery, relance_invoice_query, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      relance_invoice_query_list_model_init))

static GType
relance_invoice_query_get_item_type (GListModel *list)
{
  return RELANCE_TYPE_INVOICE_OBJECT;
}

static guint
relance_invoice_query_get_n_items (GListModel *list)
{
  return RELANCE_INVOICE_QUERY (list)->shown->len;
}

static gpointer
relance_invoice_query_get_item (GListModel *list,
                                guint       position)
{
  RelanceInvoiceQuery *self = RELANCE_INVOICE_QUERY (list);
  if (position >= self->shown->len)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->model),
                                g_array_index (self->shown, guint32, position));
}

static void
relance_invoice_query_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = relance_invoice_query_get_item_type;
  iface->get_n_items = relance_invoice_query_get_n_items;
  iface->get_item = relance_invoice_query_get_item;
}

typedef struct
{
  gint64      key;
  const char *text;  /* compared when the keys are equal, for RELANCE_INVOICE_SORT_NUMBER */
  guint32     position;
} SortEntry;

static int
sort_entry_compare (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const SortEntry *x = a, *y = b;
  gboolean descending = GPOINTER_TO_INT (user_data);
  int result = 0;

  if (x->key != y->key)
    result = x->key < y->key ? -1 : 1;
  else if (x->text != NULL && y->text != NULL)
    result = g_ascii_strcasecmp (x->text, y->text);
  if (descending)
    result = -result;
  /* Equal keys keep the order of the ids, whichever the direction. */
  if (result == 0)
    result = x->position < y->position ? -1 : x->position > y->position;
  return result;
}

static int
collate_compare (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GHashTable *keys = user_data;

  return strcmp (g_hash_table_lookup (keys, *(const char **) a),
                 g_hash_table_lookup (keys, *(const char **) b));
}

/* The rank of each distinct (interned) text in the collation order of the user's
 * language: a few thousand client names sorted once, then compared as integers. */
static GHashTable *
rank_texts (GPtrArray *texts)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  GHashTable *ranks = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);
      g_autofree char *folded = g_utf8_casefold (text, -1);

      g_hash_table_insert (keys, (gpointer) text, g_utf8_collate_key (folded, -1));
    }
  g_ptr_array_sort_with_data (texts, collate_compare, keys);
  for (guint i = 0; i < texts->len; i++)
    g_hash_table_insert (ranks, g_ptr_array_index (texts, i), GUINT_TO_POINTER (i + 1));
  return ranks;
}

static void
relance_invoice_query_sort_rows (RelanceInvoiceQuery *self)
{
  GArray *rows = relance_invoice_model_peek_rows (self->model);
  g_autofree SortEntry *entries = NULL;
  g_autoptr(GHashTable) ranks = NULL;
  gboolean sorted = TRUE;

  g_array_set_size (self->order, rows->len);
  if (rows->len == 0)
    return;

  if (self->sort == RELANCE_INVOICE_SORT_CLIENT || self->sort == RELANCE_INVOICE_SORT_STATUS)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
      g_autoptr(GPtrArray) texts = g_ptr_array_new ();

      for (guint i = 0; i < rows->len; i++)
        {
          const RelanceInvoiceRow *row = &g_array_index (rows, RelanceInvoiceRow, i);
          const char *text = self->sort == RELANCE_INVOICE_SORT_CLIENT
            ? row->client_name
            : g_intern_string (relance_invoice_state_to_label (relance_invoice_row_get_state (row)));

          if (text != NULL && g_hash_table_add (seen, (gpointer) text))
            g_ptr_array_add (texts, (gpointer) text);
        }
      ranks = rank_texts (texts);
    }

  entries = g_new (SortEntry, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const RelanceInvoiceRow *row = &g_array_index (rows, RelanceInvoiceRow, i);
      SortEntry *entry = &entries[i];

      entry->position = i;
      entry->text = NULL;
      switch (self->sort)
        {
        case RELANCE_INVOICE_SORT_NONE:
          entry->key = 0;
          break;
        case RELANCE_INVOICE_SORT_NUMBER:
          entry->key = 0;
          entry->text = row->number;
          break;
        case RELANCE_INVOICE_SORT_CLIENT:
          entry->key = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, row->client_name));
          break;
        case RELANCE_INVOICE_SORT_DUE:
          entry->key = row->due_julian;
          break;
        case RELANCE_INVOICE_SORT_OUTSTANDING:
          entry->key = MAX (row->total - row->paid, 0);
          break;
        case RELANCE_INVOICE_SORT_STATUS:
          entry->key = GPOINTER_TO_UINT (g_hash_table_lookup (ranks,
            g_intern_string (relance_invoice_state_to_label (relance_invoice_row_get_state (row)))));
          break;
        default:
          g_assert_not_reached ();
        }
      if (i > 0 && sorted &&
          sort_entry_compare (&entries[i - 1], entry, GINT_TO_POINTER (self->descending)) > 0)
        sorted = FALSE;
    }
  /* Rows that come in the order asked for (the ids, or a reload that changed nothing of
   * the key) cost one pass. */
  if (!sorted)
    g_qsort_with_data (entries, rows->len, sizeof (SortEntry), sort_entry_compare,
                  GINT_TO_POINTER (self->descending));
  for (guint i = 0; i < rows->len; i++)
    g_array_index (self->order, guint32, i) = entries[i].position;
}

/* Tells the list what changed between the old shown rows and the new: one change over
 * the span between the unchanged start and the unchanged end (rows compared by stamp,
 * which is new for each added or changed row), so that an untouched selection stays. */
static void
relance_invoice_query_set_shown (RelanceInvoiceQuery *self,
                                 GArray              *shown,
                                 gboolean             same_rows)
{
  GArray *rows = relance_invoice_model_peek_rows (self->model);
  g_autoptr(GArray) old_stamps = self->stamps;
  g_autoptr(GArray) old_shown = g_array_ref (self->shown);
  guint old_len = old_stamps->len, new_len = shown->len;
  guint prefix = 0, suffix = 0;

  self->stamps = g_array_sized_new (FALSE, FALSE, sizeof (guint32), new_len);
  g_array_set_size (self->stamps, new_len);
  for (guint i = 0; i < new_len; i++)
    g_array_index (self->stamps, guint32, i) =
      g_array_index (rows, RelanceInvoiceRow, g_array_index (shown, guint32, i)).stamp;
  g_array_unref (self->shown);
  self->shown = shown;

  while (prefix < old_len && prefix < new_len &&
         g_array_index (old_stamps, guint32, prefix) ==
         g_array_index (self->stamps, guint32, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_array_index (old_stamps, guint32, old_len - 1 - suffix) ==
         g_array_index (self->stamps, guint32, new_len - 1 - suffix))
    suffix++;
  if (prefix == old_len && prefix == new_len)
    return;

  /* Rows removed and rows added are told apart: given both in one items-changed, GTK 4.8's
   * list item manager asks for every added item (to reuse the widgets of removed ones), so
   * a keystroke at 100 000 rows made an object for each match.
   *
   * The new rows come first, in front of the old ones, then the old ones go: in between,
   * the scroll function moves the list to the new rows, and GTK moves the row widgets it
   * holds (up to 200 in 4.8, six cells each) from the old rows it no longer shows to the
   * new ones. Removed first, their widgets would be destroyed and as many made again. */
  if (old_len - prefix - suffix > 0 && new_len - prefix - suffix > 0 && same_rows &&
      self->scroll_func != NULL)
    {
      guint old_mid = old_len - prefix - suffix, new_mid = new_len - prefix - suffix;
      GArray *both = g_array_sized_new (FALSE, FALSE, sizeof (guint32), new_len + old_mid);

      g_array_append_vals (both, shown->data, prefix + new_mid);
      g_array_append_vals (both, &g_array_index (old_shown, guint32, prefix), old_mid + suffix);
      self->shown = both;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, new_mid);
      self->scroll_func (prefix, old_len, self->scroll_data);
      self->shown = shown;
      g_array_unref (both);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix + new_mid, old_mid, 0);
    }
  else if (old_len - prefix - suffix > 0 && new_len - prefix - suffix > 0)
    {
      GArray *both = g_array_sized_new (FALSE, FALSE, sizeof (guint32), prefix + suffix);

      g_array_append_vals (both, shown->data, prefix);
      g_array_append_vals (both, &g_array_index (shown, guint32, new_len - suffix), suffix);
      self->shown = both;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix, 0);
      self->shown = shown;
      g_array_unref (both);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, new_len - prefix - suffix);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix,
                                new_len - prefix - suffix);
}

static GArray *
filter_positions (RelanceInvoiceQuery *self,
                  GArray              *from)
{
  GArray *rows = relance_invoice_model_peek_rows (self->model);
  GArray *shown = g_array_sized_new (FALSE, FALSE, sizeof (guint32), from->len);

  for (guint i = 0; i < from->len; i++)
    {
      guint32 position = g_array_index (from, guint32, i);

      if (self->filter == NULL ||
          self->filter (&g_array_index (rows, RelanceInvoiceRow, position), self->filter_data))
        g_array_append_val (shown, position);
    }
  return shown;
}

/* Sorts every row again and shows those the filter keeps; @same_rows as for
 * relance_invoice_query_set_shown(). */
static void
resort (RelanceInvoiceQuery *self,
        gboolean             same_rows)
{
  relance_invoice_query_sort_rows (self);
  relance_invoice_query_set_shown (self, filter_positions (self, self->order), same_rows);
}

static void
model_items_changed_cb (GListModel          *model,
                        guint                position,
                        guint                removed,
                        guint                added,
                        RelanceInvoiceQuery *self)
{
  /* The positions of every row after @position moved: sort again (one pass when the
   * keys are still in order, a few ms at 100 000 rows otherwise). */
  resort (self, FALSE);
}

void
relance_invoice_query_set_sort (RelanceInvoiceQuery *self,
                                RelanceInvoiceSort   sort,
                                gboolean             descending)
{
  g_return_if_fail (RELANCE_IS_INVOICE_QUERY (self));

  if (self->sort == sort && self->descending == descending)
    return;
  self->sort = sort;
  self->descending = descending;
  resort (self, TRUE);
}

RelanceInvoiceSort
relance_invoice_query_get_sort (RelanceInvoiceQuery *self,
                                gboolean            *descending)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_QUERY (self), RELANCE_INVOICE_SORT_NONE);

  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

void
relance_invoice_query_set_filter (RelanceInvoiceQuery     *self,
                                  RelanceInvoiceRowFilter  filter,
                                  gpointer                 user_data)
{
  g_return_if_fail (RELANCE_IS_INVOICE_QUERY (self));

  self->filter = filter;
  self->filter_data = user_data;
  relance_invoice_query_refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

void
relance_invoice_query_refilter (RelanceInvoiceQuery *self,
                                GtkFilterChange      change)
{
  g_return_if_fail (RELANCE_IS_INVOICE_QUERY (self));

  /* A stricter filter only looks at the rows shown now. */
  if (change == GTK_FILTER_CHANGE_MORE_STRICT)
    relance_invoice_query_set_shown (self, filter_positions (self, self->shown), TRUE);
  else
    relance_invoice_query_set_shown (self, filter_positions (self, self->order), TRUE);
}

void
relance_invoice_query_set_scroll_func (RelanceInvoiceQuery           *self,
                                       RelanceInvoiceQueryScrollFunc  func,
                                       gpointer                       user_data)
{
  g_return_if_fail (RELANCE_IS_INVOICE_QUERY (self));

  self->scroll_func = func;
  self->scroll_data = user_data;
}

RelanceInvoiceModel *
relance_invoice_query_get_model (RelanceInvoiceQuery *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_QUERY (self), NULL);
  return self->model;
}

static void
relance_invoice_query_finalize (GObject *object)
{
  RelanceInvoiceQuery *self = RELANCE_INVOICE_QUERY (object);

  g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->stamps, g_array_unref);

  G_OBJECT_CLASS (relance_invoice_query_parent_class)->finalize (object);
}

static void
relance_invoice_query_class_init (RelanceInvoiceQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relance_invoice_query_finalize;
}

static void
relance_invoice_query_init (RelanceInvoiceQuery *self)
{
  self->order = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->stamps = g_array_new (FALSE, FALSE, sizeof (guint32));
}

RelanceInvoiceQuery *
relance_invoice_query_new (RelanceInvoiceModel *model)
{
  RelanceInvoiceQuery *self;

  g_return_val_if_fail (RELANCE_IS_INVOICE_MODEL (model), NULL);

  self = g_object_new (RELANCE_TYPE_INVOICE_QUERY, NULL);
  self->model = g_object_ref (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
  resort (self, FALSE);
  return self;
}
