/* relance-invoices-page-cells.c: the cells of the Invoices page's list. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-invoices-page-private.h"

/* Cell factories, connected from relance-invoices-page.ui.
 *
 * Cells are GtkInscriptions, not labels: an inscription asks for a size from its font
 * and a number of characters, not from its text. GTK 4.8's list view keeps 200 rows of
 * widgets whatever the window's height, and a new search gives them new text: labels
 * made Pango lay out a thousand texts only to know the columns' widths. */

/* Wide enough for "16 mars 2026", "12 345,67 €" or "F-2026-00042". */
#define CELL_CHARS 12

static void
relance_invoices_page_setup_start_label (GtkSignalListItemFactory *factory,
                                         GtkListItem              *item,
                                         gpointer                  user_data)
{
  GtkInscription *cell = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  gtk_inscription_set_xalign (cell, 0.0f);
  gtk_inscription_set_nat_chars (cell, CELL_CHARS);
  gtk_inscription_set_text_overflow (cell, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_list_item_set_child (item, GTK_WIDGET (cell));
}

/* The status column is as wide as its longest status in the user's language. */
static void
relance_invoices_page_setup_status_label (GtkSignalListItemFactory *factory,
                                          GtkListItem              *item,
                                          gpointer                  user_data)
{
  static const char *states[] = { "open", "partially-paid", "paid", "cancelled", "disputed" };
  GtkInscription *cell;
  guint chars = 0;

  relance_invoices_page_setup_start_label (factory, item, user_data);
  cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    chars = MAX (chars, g_utf8_strlen (relance_invoice_state_to_label (states[i]), -1));
  gtk_inscription_set_nat_chars (cell, chars);
}

static void
relance_invoices_page_setup_end_label (GtkSignalListItemFactory *factory,
                                       GtkListItem              *item,
                                       gpointer                  user_data)
{
  GtkInscription *cell = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  /* Amounts line up on their last digit, in tabular figures. */
  gtk_inscription_set_xalign (cell, 1.0f);
  gtk_inscription_set_nat_chars (cell, CELL_CHARS);
  gtk_inscription_set_text_overflow (cell, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (cell), "numeric");
  gtk_list_item_set_child (item, GTK_WIDGET (cell));
}

static RelanceInvoiceObject *
item_invoice (GtkListItem *item)
{
  return RELANCE_INVOICE_OBJECT (gtk_list_item_get_item (item));
}

static void
relance_invoices_page_bind_number (GtkSignalListItemFactory *factory,
                                   GtkListItem              *item,
                                   gpointer                  user_data)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            relance_invoice_object_get_number (item_invoice (item)));
}

/* Tooltips of cells are asked for when shown, not set on each bind: in GTK 4.8 setting a
 * tooltip asks the X server where the pointer is, a round trip per cell that made a
 * keystroke in the search entry cost a hundred milliseconds. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (label), "relance-tooltip");

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* @text must outlive the binding (an interned or translated string). */
static void
set_cell_tooltip (GtkWidget  *label,
                  const char *text)
{
  if (g_object_get_data (G_OBJECT (label), "relance-has-tooltip") == NULL)
    {
      g_object_set_data (G_OBJECT (label), "relance-has-tooltip", GINT_TO_POINTER (TRUE));
      g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
      gtk_widget_set_has_tooltip (label, TRUE);
    }
  g_object_set_data (G_OBJECT (label), "relance-tooltip", (gpointer) text);
}

static void
relance_invoices_page_bind_client (GtkSignalListItemFactory *factory,
                                   GtkListItem              *item,
                                   gpointer                  user_data)
{
  const char *name = relance_invoice_object_get_client_name (item_invoice (item));
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_inscription_set_text (GTK_INSCRIPTION (label), name != NULL ? name : "");
  /* The name is ellipsized in a narrow window: the tooltip keeps it readable. The row's
   * names are interned, so they outlive the binding. */
  set_cell_tooltip (label, name);
}

static void
relance_invoices_page_bind_due_date (GtkSignalListItemFactory *factory,
                                     GtkListItem              *item,
                                     gpointer                  user_data)
{
  RelanceInvoiceObject *invoice = item_invoice (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  GDate today;

  gtk_inscription_set_text (GTK_INSCRIPTION (label),
                            relance_invoice_object_get_due_label (invoice));

  /* Rows are recycled: the style has to be set both ways. */
  relance_clock_today (NULL, &today);
  if (relance_invoice_object_get_days_overdue (invoice, &today) > 0 &&
      strcmp (relance_invoice_object_get_state (invoice), "disputed") != 0)
    {
      gtk_widget_add_css_class (label, "error");
      set_cell_tooltip (label, _("Overdue"));
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      set_cell_tooltip (label, NULL);
    }
}

static void
relance_invoices_page_bind_outstanding (GtkSignalListItemFactory *factory,
                                        GtkListItem              *item,
                                        gpointer                  user_data)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            relance_invoice_object_get_outstanding_label (item_invoice (item)));
}

static void
relance_invoices_page_bind_status (GtkSignalListItemFactory *factory,
                                   GtkListItem              *item,
                                   gpointer                  user_data)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            relance_invoice_object_get_status_label (item_invoice (item)));
}

void
relance_invoices_page_cells_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_setup_start_label);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_setup_end_label);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_setup_status_label);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_bind_number);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_bind_client);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_bind_due_date);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_bind_outstanding);
  gtk_widget_class_bind_template_callback (widget_class, relance_invoices_page_bind_status);
}
