/* relance-invoices-page.c: the Invoices page.
 *
 * The list is a GtkColumnView over a RelanceInvoiceQuery of RelanceInvoiceModel: the
 * rows sorted by the column the user chose and then filtered by the search text and the
 * chips, both on compact rows, so that a keystroke at 100 000 invoices makes no object
 * and sorts nothing (GtkSortListModel and GtkFilterListModel would make an object per
 * invoice). The column headers keep GTK's sorting UI: each column's sorter only tells
 * which column the header asks for (see sort_changed_cb). The rows are read in a worker thread with its own connection,
 * so opening a large database never freezes the window.
 *
 * The list's cells are in relance-invoices-page-cells.c; the actions on a selection (mark
 * paid, dispute, pause client), each with a toast whose Undo puts back exactly what it
 * changed, in relance-invoices-page-actions.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-invoice-dialog.h"
#include "relance-invoice-model.h"
#include "relance-invoice-object.h"
#include "relance-invoice-view.h"
#include "relance-invoices-page-private.h"
#include "relance-invoices-page.h"
#include "relance-language.h"
#include "relance-ui-util.h"

/* Below this width the secondary columns give their room to the client's name. */
#define NARROW_WIDTH 560

G_DEFINE_FINAL_TYPE (RelanceInvoicesPage, relance_invoices_page, RELANCE_TYPE_PAGE)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
relance_invoices_page_show_toast (RelanceInvoicesPage *self,
                                  AdwToast            *toast)
{
  relance_widget_add_toast (GTK_WIDGET (self), toast);
}

/* What is shown. */

static void
update_visible_page (RelanceInvoicesPage *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "invoices");

  gtk_stack_set_visible_child_name (self->list_stack, n_shown > 0 ? "list" : "no-results");
}

GPtrArray *
relance_invoices_page_selected_invoices (RelanceInvoicesPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GPtrArray *invoices = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (invoices, g_list_model_get_item (G_LIST_MODEL (self->filtered), position));
  return invoices;
}

static void
update_selection (RelanceInvoicesPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  guint64 n_selected;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  n_selected = gtk_bitset_get_size (selected);

  gtk_action_bar_set_revealed (self->action_bar, n_selected > 0);
  if (n_selected > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected", "%u selected",
                                      (gulong) n_selected),
                         (guint) n_selected);

      gtk_label_set_text (self->selection_label, text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.mark-paid", n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.dispute", n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.pause-client", n_selected > 0);
}

static void
selection_changed_cb (GtkSelectionModel   *model,
                      guint                position,
                      guint                n_items,
                      RelanceInvoicesPage *self)
{
  update_selection (self);
}

static void
filtered_items_changed_cb (GListModel          *model,
                           guint                position,
                           guint                removed,
                           guint                added,
                           RelanceInvoicesPage *self)
{
  update_visible_page (self);
  update_selection (self);
}

/* Filtering. */

static gboolean
filter_func (const RelanceInvoiceRow *row,
             gpointer                 user_data)
{
  RelanceInvoicesPage *self = user_data;

  if (!relance_invoice_row_matches (row, self->needle))
    return FALSE;
  if (self->chips == 0)
    return TRUE;

  /* Chips add up: Overdue and Disputed shows both kinds. */
  if ((self->chips & CHIP_OVERDUE) && relance_invoice_row_get_days_overdue (row, &self->today) > 0)
    return TRUE;
  if ((self->chips & CHIP_DISPUTED) && strcmp (relance_invoice_row_get_state (row), "disputed") == 0)
    return TRUE;
  if ((self->chips & CHIP_PROMISED) && relance_invoice_row_has_promise (row))
    return TRUE;
  if ((self->chips & CHIP_PAID) && strcmp (relance_invoice_row_get_state (row), "paid") == 0)
    return TRUE;
  return FALSE;
}

/* Sorting. */

typedef struct
{
  RelanceInvoicesPage *self;
  RelanceInvoiceSort   sort;
} ColumnSort;

/* Never sorts anything: it records which column the column view asks first, and says
 * "smaller" so that the column view asks no other column (see sort_changed_cb). */
static int
column_probe_compare (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  ColumnSort *column_sort = user_data;

  if (column_sort->self->probed_sort == RELANCE_INVOICE_SORT_NONE)
    column_sort->self->probed_sort = column_sort->sort;
  return GTK_ORDERING_SMALLER;
}

static void
set_column_sort (RelanceInvoicesPage *self,
                 GtkColumnViewColumn *column,
                 RelanceInvoiceSort   sort)
{
  ColumnSort *column_sort = g_new (ColumnSort, 1);
  g_autoptr(GtkCustomSorter) sorter = NULL;

  column_sort->self = self;
  column_sort->sort = sort;
  sorter = gtk_custom_sorter_new (column_probe_compare, column_sort, g_free);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
}

/* GTK 4.8 has no getter for the column view's primary sort column (4.10 does): compare
 * two placeholder objects with the column view's sorter, which asks the primary
 * column's sorter first and inverts its answer when the order is descending. */
static void
sort_changed_cb (GtkSorter           *sorter,
                 GtkSorterChange      change,
                 RelanceInvoicesPage *self)
{
  static const RelanceInvoiceRow empty_row = { 0 };
  g_autoptr(RelanceInvoiceObject) a = relance_invoice_object_new_from_row (&empty_row, "en");
  g_autoptr(RelanceInvoiceObject) b = relance_invoice_object_new_from_row (&empty_row, "en");
  GtkOrdering ordering;

  if (self->filtered == NULL)
    return;
  self->probed_sort = RELANCE_INVOICE_SORT_NONE;
  ordering = gtk_sorter_compare (sorter, a, b);
  relance_invoice_query_set_sort (self->filtered, self->probed_sort,
                                  ordering == GTK_ORDERING_LARGER);
}

/* See RelanceInvoiceQueryScrollFunc: the column view's own list view holds the rows.
 * When the first changed row is below what the list shows, nothing on screen changes:
 * the list stays where it is (the rows it shows keep their widgets). */
static void
query_scroll_cb (guint    position,
                 guint    n_before,
                 gpointer user_data)
{
  RelanceInvoicesPage *self = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  /* The adjustment still measures the rows shown before, which all have one height. */
  if (adjustment != NULL && n_before > 0)
    {
      double row_height = gtk_adjustment_get_upper (adjustment) / n_before;
      double bottom = gtk_adjustment_get_value (adjustment) +
                      gtk_adjustment_get_page_size (adjustment);

      if (position * row_height >= bottom)
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static void
relance_invoices_page_search_changed (RelanceInvoicesPage *self)
{
  g_autofree char *needle = relance_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  /* A longer search only hides rows: the filter need not look at hidden ones again. */
  if (self->needle == NULL || strstr (needle, self->needle) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (self->needle, needle) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  relance_invoice_query_refilter (self->filtered, change);
}

static void
relance_invoices_page_stop_search (RelanceInvoicesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
relance_invoices_page_chip_toggled (RelanceInvoicesPage *self)
{
  Chips chips = 0;

  if (gtk_toggle_button_get_active (self->overdue_chip))
    chips |= CHIP_OVERDUE;
  if (gtk_toggle_button_get_active (self->disputed_chip))
    chips |= CHIP_DISPUTED;
  if (gtk_toggle_button_get_active (self->promised_chip))
    chips |= CHIP_PROMISED;
  if (gtk_toggle_button_get_active (self->paid_chip))
    chips |= CHIP_PAID;

  self->chips = chips;
  relance_clock_today (NULL, &self->today);
  relance_invoice_query_refilter (self->filtered, GTK_FILTER_CHANGE_DIFFERENT);
}

/* Loading. */

static void
set_loading (RelanceInvoicesPage *self,
             gboolean             loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void load_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Reads every invoice in a worker thread; load_cb() applies them. */
static void
load_all (RelanceInvoicesPage *self)
{
  relance_invoice_model_load_async (self->model, relance_store_get_path (RELANCE_PAGE_STORE (self)),
                                    self->cancellable, load_cb, g_object_ref (self));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelanceInvoicesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relance_invoice_model_load_finish (RELANCE_INVOICE_MODEL (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not list the invoices: %s", error->message);
      /* The list shows its first rows only: say so rather than let them pass for all. */
      if (relance_invoice_model_is_partial (self->model))
        relance_show_error_dialog (GTK_WIDGET (self), _("Could Not List Every Invoice"), error);
    }

  self->loaded = TRUE;
  update_visible_page (self);
  relance_invoice_view_reload (self->invoice_view);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      load_all (self);
      return;
    }
  set_loading (self, FALSE);
}

static void
load_first_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RelanceInvoicesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relance_invoice_model_load_finish (RELANCE_INVOICE_MODEL (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The complete read below says what is wrong, if anything still is. */
      g_debug ("Could not read the first invoices: %s", error->message);
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      self->loaded = TRUE;
      update_visible_page (self);
    }
  self->reload_again = FALSE;
  if (RELANCE_PAGE_STORE (self) == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  load_all (self);
}

/* A screenful of rows on a 1440-pixel-high screen (rows are about 21 pixels high). Not
 * more: the list makes the widgets of each row it has (up to 200 in GTK 4.8) before it
 * shows the first frame, and the other rows are only a few hundred milliseconds away. */
#define FIRST_ROWS 60

static void
relance_invoices_page_reload (RelancePage *page)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (page);
  RelanceInvoiceSort sort;
  gboolean descending;


  if (RELANCE_PAGE_STORE (self) == NULL)
    return;

  relance_clock_today (NULL, &self->today);
  /* A change while reading: read once more when this read is done. */
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  set_loading (self, TRUE);

  /* The first time, the rows the list shows at the top come first: reading them takes a
   * few milliseconds through the indexes, reading 100 000 rows a few hundred. */
  sort = relance_invoice_query_get_sort (self->filtered, &descending);
  if (!self->loaded && relance_invoice_sort_has_first_rows (sort))
    {
      relance_invoice_model_load_first_async (self->model, relance_store_get_path (RELANCE_PAGE_STORE (self)),
                                              sort, descending, FIRST_ROWS, self->cancellable,
                                              load_first_cb, g_object_ref (self));
      return;
    }
  load_all (self);
}

gboolean
relance_invoices_page_is_loading (RelanceInvoicesPage *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICES_PAGE (self), FALSE);
  /* A change announced and not read yet counts: what is shown is about to change. */
  return self->loading || relance_page_is_stale (RELANCE_PAGE (self));
}

/* The invoice's own page. */

static void
open_invoice (RelanceInvoicesPage  *self,
              RelanceInvoiceObject *invoice)
{
  relance_invoice_view_show (self->invoice_view, RELANCE_PAGE_STORE (self),
                             relance_invoice_object_get_number (invoice));
  adw_leaflet_set_visible_child_name (self->leaflet, "invoice");
}

static void
relance_invoices_page_row_activated (RelanceInvoicesPage *self,
                                     guint                position)
{
  g_autoptr(RelanceInvoiceObject) invoice = NULL;

  invoice = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  if (invoice != NULL)
    open_invoice (self, invoice);
}

static void
relance_invoices_page_view_back (RelanceInvoicesPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Narrow windows. */

static gboolean
apply_narrow_cb (gpointer user_data)
{
  RelanceInvoicesPage *self = user_data;

  self->narrow_idle = 0;
  gtk_column_view_column_set_visible (self->due_column, !self->narrow);
  gtk_column_view_column_set_visible (self->status_column, !self->narrow);
  return G_SOURCE_REMOVE;
}

/* The page lays out its one child itself (no layout manager) to learn its width. */
static void
relance_invoices_page_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

static void
relance_invoices_page_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean narrow = width < NARROW_WIDTH;

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* Columns cannot change while the list is being allocated: after this frame. */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_idle == 0)
        self->narrow_idle = g_idle_add (apply_narrow_cb, self);
    }
}

/* GObject. */

static void
relance_invoices_page_dispose (GObject *object)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  relance_invoices_page_forget_undo (self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (relance_invoices_page_parent_class)->dispose (object);
}

static void
relance_invoices_page_finalize (GObject *object)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->needle, g_free);

  G_OBJECT_CLASS (relance_invoices_page_parent_class)->finalize (object);
}

static void
relance_invoices_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RelanceInvoicesPage *self = RELANCE_INVOICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_invoices_page_class_init (RelanceInvoicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_invoices_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_invoices_page_reload;
  RELANCE_PAGE_CLASS (klass)->reads_in_worker = TRUE;
  object_class->finalize = relance_invoices_page_finalize;
  object_class->get_property = relance_invoices_page_get_property;

  widget_class->measure = relance_invoices_page_measure;
  widget_class->size_allocate = relance_invoices_page_size_allocate;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELANCE_TYPE_INVOICE_OBJECT);
  g_type_ensure (RELANCE_TYPE_INVOICE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-invoices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, overdue_chip);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, disputed_chip);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, promised_chip);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, paid_chip);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, number_column);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, client_column);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, due_column);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, outstanding_column);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, selection_buttons);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceInvoicesPage, invoice_view);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_chip_toggled);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_view_back);

  relance_invoices_page_cells_class_init (widget_class);
  relance_invoices_page_actions_class_init (widget_class);
}

static void
relance_invoices_page_init (RelanceInvoicesPage *self)
{
  GtkSorter *sorter;
  GtkColumnViewColumn *due_column;

  gtk_widget_init_template (GTK_WIDGET (self));
  relance_spinner_spin_while_mapped (self->loading_spinner);
  /* Long translations of the selection's buttons must not keep the window from a phone's
   * 360 pixels: their labels give way (the tooltips say it all). */
  for (GtkWidget *button = gtk_widget_get_first_child (self->selection_buttons);
       button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      if (GTK_IS_LABEL (label))
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);

  self->cancellable = g_cancellable_new ();
  self->model = relance_invoice_model_new (relance_language_for_user ());
  relance_clock_today (NULL, &self->today);

  self->filtered = relance_invoice_query_new (self->model);
  relance_invoice_query_set_filter (self->filtered, filter_func, self);
  relance_invoice_query_set_scroll_func (self->filtered, query_scroll_cb, self);
  set_column_sort (self, self->number_column, RELANCE_INVOICE_SORT_NUMBER);
  set_column_sort (self, self->client_column, RELANCE_INVOICE_SORT_CLIENT);
  set_column_sort (self, self->due_column, RELANCE_INVOICE_SORT_DUE);
  set_column_sort (self, self->outstanding_column, RELANCE_INVOICE_SORT_OUTSTANDING);
  set_column_sort (self, self->status_column, RELANCE_INVOICE_SORT_STATUS);
  sorter = gtk_column_view_get_sorter (self->column_view);
  g_signal_connect_object (sorter, "changed", G_CALLBACK (sort_changed_cb), self, 0);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, 0);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (filtered_items_changed_cb), self, 0);

  /* Most urgent first: the oldest due date at the top. */
  due_column = self->due_column;
  gtk_column_view_sort_by_column (self->column_view, due_column, GTK_SORT_ASCENDING);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
  update_selection (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.undo", FALSE);
  update_visible_page (self);
}

GListModel *
relance_invoices_page_get_model (RelanceInvoicesPage *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICES_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
relance_invoices_page_focus_search (RelanceInvoicesPage *self)
{
  g_return_if_fail (RELANCE_IS_INVOICES_PAGE (self));

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
relance_invoices_page_show_invoice (RelanceInvoicesPage *self,
                                    const char          *number)
{
  g_return_if_fail (RELANCE_IS_INVOICES_PAGE (self));
  g_return_if_fail (number != NULL);

  if (RELANCE_PAGE_STORE (self) == NULL)
    return;
  relance_invoice_view_show (self->invoice_view, RELANCE_PAGE_STORE (self), number);
  /* The view keeps what it showed before when it could not read this invoice. */
  if (g_strcmp0 (relance_invoice_view_get_number (self->invoice_view), number) == 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "invoice");
}

void
relance_invoices_page_ask_payment (RelanceInvoicesPage *self,
                                   const char          *number)
{
  g_return_if_fail (RELANCE_IS_INVOICES_PAGE (self));

  relance_invoices_page_show_invoice (self, number);
  if (g_strcmp0 (relance_invoice_view_get_number (self->invoice_view), number) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->invoice_view), "invoice.add-payment", NULL);
}

void
relance_invoices_page_new_invoice (RelanceInvoicesPage *self)
{
  RelanceInvoiceDialog *dialog;

  g_return_if_fail (RELANCE_IS_INVOICES_PAGE (self));

  if (RELANCE_PAGE_STORE (self) == NULL)
    return;
  dialog = relance_invoice_dialog_new (relance_widget_get_window (GTK_WIDGET (self)),
                                       RELANCE_PAGE_STORE (self), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}
