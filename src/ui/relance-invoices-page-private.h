/* relance-invoices-page-private.h: what the files of the Invoices page share: the page
 * itself (relance-invoices-page.c), its cells (relance-invoices-page-cells.c) and its
 * actions on the selection (relance-invoices-page-actions.c). */
#pragma once

#include "relance-invoice-model.h"
#include "relance-invoice-view.h"
#include "relance-invoices-page.h"

G_BEGIN_DECLS

typedef enum
{
  CHIP_OVERDUE  = 1 << 0,
  CHIP_DISPUTED = 1 << 1,
  CHIP_PROMISED = 1 << 2,
  CHIP_PAID     = 1 << 3,
} Chips;

/* What the last action on the selection changed (relance-invoices-page-actions.c). */
typedef struct _RelanceInvoicesUndo RelanceInvoicesUndo;

struct _RelanceInvoicesPage
{
  RelancePage               parent_instance;

  GtkSpinner          *loading_spinner;
  RelanceInvoiceModel *model;
  RelanceInvoiceQuery *filtered;
  GtkMultiSelection   *selection;
  RelanceInvoiceSort   probed_sort;  /* see sort_changed_cb */
  GCancellable        *cancellable;
  gboolean             loading;
  gboolean             loaded;
  gboolean             reload_again;
  char                *needle;      /* folded search text */
  Chips                chips;
  GDate                today;
  gboolean             narrow;
  guint                narrow_idle;
  RelanceInvoicesUndo *undo;        /* of the last action, while its toast may show */
  AdwToast            *undo_toast;

  /* Template widgets */
  AdwLeaflet          *leaflet;
  GtkStack            *stack;
  GtkStack            *list_stack;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *overdue_chip;
  GtkToggleButton     *disputed_chip;
  GtkToggleButton     *promised_chip;
  GtkToggleButton     *paid_chip;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *number_column;
  GtkColumnViewColumn *client_column;
  GtkColumnViewColumn *due_column;
  GtkColumnViewColumn *outstanding_column;
  GtkColumnViewColumn *status_column;
  GtkActionBar        *action_bar;
  GtkWidget           *selection_buttons;
  GtkLabel            *selection_label;
  RelanceInvoiceView  *invoice_view;
};

/* Shows @toast (transfer full) in the window. */
void       relance_invoices_page_show_toast        (RelanceInvoicesPage *self,
                                                    AdwToast            *toast);
/* The selected rows' RelanceInvoiceObjects. */
GPtrArray *relance_invoices_page_selected_invoices (RelanceInvoicesPage *self);

/* The template callbacks of the list's cells. */
void       relance_invoices_page_cells_class_init   (GtkWidgetClass      *widget_class);
/* invoices.mark-paid, invoices.dispute, invoices.pause-client and invoices.undo. */
void       relance_invoices_page_actions_class_init (GtkWidgetClass      *widget_class);
/* Drops the undo of the last action (the page goes away). */
void       relance_invoices_page_forget_undo        (RelanceInvoicesPage *self);

G_END_DECLS
