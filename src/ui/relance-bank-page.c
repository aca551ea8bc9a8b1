/* relance-bank-page.c: the Bank page (see header). Every change goes through the store's
 * bank functions (relance-bank-store.c), the same as `relance bank …`; the page then tells
 * the window the store changed, and reloads with the others. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-bank-page.h"
#include "relance-page.h"
#include "relance-date.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-ui-util.h"

/* Search results shown under the search entry of "Assign". */
#define MAX_RESULTS 8
#define MAX_APPLIED 100

struct _RelanceBankPage
{
  RelancePage    parent_instance;

  GPtrArray     *open_invoices;   /* for the searches; NULL until one is made */

  GtkStack      *stack;
  AdwActionRow  *summary_row;
  GtkWidget     *proposed_box;
  GtkWidget     *unmatched_box;
  GtkWidget     *applied_box;
  GtkListBox    *proposed_list;
  GtkListBox    *unmatched_list;
  GtkListBox    *applied_list;
};

G_DEFINE_FINAL_TYPE (RelanceBankPage, relance_bank_page, RELANCE_TYPE_PAGE)

/* ---- changes ---------------------------------------------------------------------- */

static void
changed (RelanceBankPage *self)
{
  /* The store announces the change: this page and the others read it again. */
  g_clear_pointer (&self->open_invoices, g_ptr_array_unref);
}

static void
toast (RelanceBankPage *self,
       const char      *text)
{
  relance_widget_add_toast (GTK_WIDGET (self), adw_toast_new (text));
}

static gint64
row_id (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

  return row != NULL ? GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "transaction"))
                     : 0;
}

static void
after (RelanceBankPage *self,
       gboolean         done,
       const char      *heading,
       GError          *error)
{
  if (!done)
    {
      relance_show_error_dialog (GTK_WIDGET (self), heading, error);
      relance_page_reload (RELANCE_PAGE (self));
      return;
    }
  changed (self);
}

static void
accept_clicked (GtkButton       *button,
                RelanceBankPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean done = relance_bank_store_accept (RELANCE_PAGE_STORE (self), row_id (GTK_WIDGET (button)), &error);

  after (self, done, _("Could Not Record the Payment"), error);
}

static void
reject_clicked (GtkButton       *button,
                RelanceBankPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean done = relance_bank_store_reject (RELANCE_PAGE_STORE (self), row_id (GTK_WIDGET (button)), &error);

  after (self, done, _("Could Not Reject the Match"), error);
}

static void
ignore_clicked (GtkButton       *button,
                RelanceBankPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean done = relance_bank_store_ignore (RELANCE_PAGE_STORE (self), row_id (GTK_WIDGET (button)), &error);

  after (self, done, _("Could Not Ignore the Transfer"), error);
}

static void
undo_clicked (GtkButton       *button,
              RelanceBankPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean done = relance_bank_store_undo (RELANCE_PAGE_STORE (self), row_id (GTK_WIDGET (button)), &error);

  after (self, done, _("Could Not Undo"), error);
  if (done)
    toast (self, _("Undone: the payments of this transfer are removed"));
}

static void
assign (RelanceBankPage *self,
        gint64           id,
        const char      *number)
{
  g_autoptr(GError) error = NULL;
  const char *numbers[] = { number, NULL };
  gboolean done = relance_bank_store_match (RELANCE_PAGE_STORE (self), id, numbers, &error);

  after (self, done, _("Could Not Record the Payment"), error);
}

/* ---- the search of "Assign" ------------------------------------------------------- */

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack != NULL ? haystack : "", -1);

  return strstr (folded, folded_needle) != NULL;
}

static void
result_activated (GtkListBox      *list,
                  GtkListBoxRow   *row,
                  RelanceBankPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list), "transaction"));
  g_autofree char *number = g_strdup (g_object_get_data (G_OBJECT (row), "number"));

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  assign (self, id, number);
}

static void
search_changed (GtkSearchEntry  *entry,
                RelanceBankPage *self)
{
  GtkListBox *results = g_object_get_data (G_OBJECT (entry), "results");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  const char *language = relance_language_for_user ();
  guint shown = 0;

  relance_list_box_remove_all (results);
  if (self->open_invoices == NULL)
    self->open_invoices = relance_bank_store_open_invoices (RELANCE_PAGE_STORE (self), NULL);
  for (guint i = 0; self->open_invoices != NULL && i < self->open_invoices->len
                    && shown < MAX_RESULTS; i++)
    {
      RelanceBankOpenInvoice *invoice = g_ptr_array_index (self->open_invoices, i);
      g_autofree char *owed = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (*needle != '\0' && !contains_folded (invoice->number, needle)
          && !contains_folded (invoice->client_name, needle))
        continue;
      owed = relance_money_format (invoice->outstanding, invoice->currency, language);
      /* Translators: a search result: a client's name and what the invoice still owes */
      subtitle = g_strdup_printf (_("%s · %s to pay"), invoice->client_name, owed);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), invoice->number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "number", g_strdup (invoice->number), g_free);
      gtk_list_box_append (results, row);
      shown++;
    }
}

static GtkWidget *
assign_button (RelanceBankPage *self,
               gint64           id)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *results = gtk_list_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("_Assign…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (button), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Choose the invoice this transfer pays"));
  g_object_set (entry, "placeholder-text", _("Invoice number or client"), NULL);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (results), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (results, "boxed-list");
  g_object_set_data (G_OBJECT (results), "transaction", GSIZE_TO_POINTER (id));
  g_object_set_data (G_OBJECT (entry), "results", results);
  g_signal_connect (entry, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect (results, "row-activated", G_CALLBACK (result_activated), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), results);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  /* The list is filled when the popover opens: the open invoices are read then. */
  g_signal_connect_swapped (popover, "show", G_CALLBACK (search_changed), entry);
  g_signal_connect_object (popover, "show", G_CALLBACK (gtk_widget_grab_focus), entry,
                           G_CONNECT_SWAPPED);
  (void) self;
  return button;
}

/* ---- rows ------------------------------------------------------------------------- */

static GtkWidget *
suffix_button (RelanceBankPage *self,
               const char      *label,
               GCallback        callback,
               gboolean         suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  else
    gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static char *
invoices_of (const RelanceBankTransaction *t)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < t->links->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "",
                            ((RelanceBankLink *) g_ptr_array_index (t->links, i))->number);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
transaction_row (RelanceBankPage              *self,
                 const RelanceBankTransaction *t)
{
  const char *language = relance_language_for_user ();
  g_autofree char *amount = relance_money_format (t->amount, t->currency, language);
  g_autofree char *date = relance_date_format (&t->date, language);
  g_autofree char *invoices = invoices_of (t);
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (date);
  GtkWidget *row = adw_action_row_new ();
  const char *who = *t->payer != '\0' ? t->payer : t->label;

  /* Translators: a bank credit: an amount and who sent it */
  title = g_strdup_printf (_("%s from %s"), amount, *who != '\0' ? who : _("an unknown payer"));
  if (*t->payer != '\0' && *t->label != '\0')
    g_string_append_printf (subtitle, " · %s", t->label);
  if (g_str_equal (t->status, "applied"))
    /* Translators: what a bank credit paid; %s are invoice numbers */
    {
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("Paid %s"), invoices);
    }
  else if (g_str_equal (t->status, "proposed"))
    /* Translators: what a bank credit would pay; %s are invoice numbers */
    {
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("Pays %s?"), invoices);
    }
  else if (g_str_equal (t->status, "ignored"))
    g_string_append_printf (subtitle, "\n%s", _("Ignored: it pays no invoice"));
  if (t->excess > 0)
    {
      g_autofree char *excess = relance_money_format (t->excess, t->currency, language);

      /* Translators: %s is an amount paid above what the invoices owed */
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("%s more than owed: check with the client"), excess);
    }
  if (t->note != NULL && !g_str_equal (t->status, "applied"))
    g_string_append_printf (subtitle, "\n%s", t->note);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  g_object_set_data (G_OBJECT (row), "transaction", GSIZE_TO_POINTER ((gsize) t->id));

  if (g_str_equal (t->status, "proposed"))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (self, _("_Reject"), G_CALLBACK (reject_clicked),
                                                FALSE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (self, _("_Accept"), G_CALLBACK (accept_clicked),
                                                TRUE));
    }
  else if (g_str_equal (t->status, "unmatched"))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (self, _("_Ignore"), G_CALLBACK (ignore_clicked),
                                                FALSE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), assign_button (self, t->id));
    }
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               suffix_button (self, _("_Undo"), G_CALLBACK (undo_clicked),
                                              FALSE));
  return row;
}


/* ---- import ----------------------------------------------------------------------- */

gboolean
relance_bank_page_import_file (RelanceBankPage *self,
                               GFile           *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankStatement) statement = NULL;
  g_autoptr(RelanceBankImportReport) report = NULL;
  g_autofree char *message = NULL;
  const char *path;

  g_return_val_if_fail (RELANCE_IS_BANK_PAGE (self), FALSE);
  path = g_file_peek_path (file);
  if (RELANCE_PAGE_STORE (self) == NULL || path == NULL)
    return FALSE;
  if ((statement = relance_bank_statement_read (path, &error)) == NULL
      || (report = relance_bank_store_import (RELANCE_PAGE_STORE (self), statement, FALSE, &error)) == NULL)
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Import the Statement"), error);
      return FALSE;
    }
  if (report->n_new == 0)
    message = g_strdup (_("Nothing new: this statement was already imported"));
  else
    /* Translators: a toast after a bank statement import; each %u is a count */
    message = g_strdup_printf (_("%u paid at once · %u to confirm · %u not matched"),
                               report->n_applied, report->n_proposed, report->n_unmatched);
  toast (self, message);
  changed (self);
  return TRUE;
}

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  RelanceBankPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        relance_bank_page_import_file (self, file);
    }
  g_object_unref (dialog);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelanceBankPage *self = RELANCE_BANK_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) statements = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  static const char *patterns[] = {
    "*.xml", "*.XML", "*.ofx", "*.OFX", "*.qfx", "*.QFX", "*.csv", "*.CSV", "*.053", "*.054",
  };

  chooser = gtk_file_chooser_native_new (_("Import a Bank Statement"),
                                         relance_widget_get_window (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (statements, _("Bank statements (CAMT, OFX, CSV)"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    gtk_file_filter_add_pattern (statements, patterns[i]);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), statements);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         RelanceBankPage *self)
{
  GSList *files;
  gboolean any = FALSE;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    any = relance_bank_page_import_file (self, G_FILE (l->data)) || any;
  return any;
}

/* ---- tests ------------------------------------------------------------------------ */

static GtkListBox *
list_named (RelanceBankPage *self,
            const char      *name)
{
  if (g_strcmp0 (name, "proposed") == 0)
    return self->proposed_list;
  if (g_strcmp0 (name, "unmatched") == 0)
    return self->unmatched_list;
  return self->applied_list;
}

guint
relance_bank_page_count_rows (RelanceBankPage *self,
                              const char      *name)
{
  GtkListBox *list = list_named (self, name);
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_LIST_BOX_ROW (c);
  return n;
}

gboolean
relance_bank_page_act_first (RelanceBankPage *self,
                             const char      *name,
                             const char      *number)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_named (self, name)));
  gint64 id;

  if (row == NULL)
    return FALSE;
  id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "transaction"));
  if (g_str_equal (name, "proposed"))
    {
      g_autoptr(GError) error = NULL;
      gboolean done = relance_bank_store_accept (RELANCE_PAGE_STORE (self), id, &error);

      after (self, done, _("Could Not Record the Payment"), error);
      return done;
    }
  if (g_str_equal (name, "unmatched"))
    {
      assign (self, id, number);
      return TRUE;
    }
  {
    g_autoptr(GError) error = NULL;
    gboolean done = relance_bank_store_undo (RELANCE_PAGE_STORE (self), id, &error);

    after (self, done, _("Could Not Undo"), error);
    return done;
  }
}

/* ---- the object ------------------------------------------------------------------- */

static void
relance_bank_page_dispose (GObject *object)
{
  RelanceBankPage *self = RELANCE_BANK_PAGE (object);

  g_clear_pointer (&self->open_invoices, g_ptr_array_unref);
  G_OBJECT_CLASS (relance_bank_page_parent_class)->dispose (object);
}

static void
relance_bank_page_reload (RelancePage *page);

static void
relance_bank_page_class_init (RelanceBankPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_bank_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_bank_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-bank-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, proposed_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, unmatched_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, applied_box);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, proposed_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, unmatched_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceBankPage, applied_list);
  gtk_widget_class_install_action (widget_class, "bank.import", NULL, import_action);
}

static void
relance_bank_page_init (RelanceBankPage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static void
relance_bank_page_reload (RelancePage *page)
{
  RelanceBankPage *self = RELANCE_BANK_PAGE (page);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint n_proposed = 0, n_unmatched = 0, n_applied = 0;


  g_clear_pointer (&self->open_invoices, g_ptr_array_unref);
  relance_list_box_remove_all (self->proposed_list);
  relance_list_box_remove_all (self->unmatched_list);
  relance_list_box_remove_all (self->applied_list);
  if (RELANCE_PAGE_STORE (self) == NULL)
    return;
  list = relance_bank_store_list (RELANCE_PAGE_STORE (self), RELANCE_BANK_FILTER_ALL, &error);
  if (list == NULL)
    {
      g_warning ("Bank transactions could not be read: %s", error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      RelanceBankTransaction *t = g_ptr_array_index (list, i);

      if (g_str_equal (t->status, "proposed"))
        {
          gtk_list_box_append (self->proposed_list, transaction_row (self, t));
          n_proposed++;
        }
      else if (g_str_equal (t->status, "unmatched"))
        {
          gtk_list_box_append (self->unmatched_list, transaction_row (self, t));
          n_unmatched++;
        }
      else if (n_applied < MAX_APPLIED)
        {
          gtk_list_box_append (self->applied_list, transaction_row (self, t));
          n_applied++;
        }
    }
  gtk_widget_set_visible (self->proposed_box, n_proposed > 0);
  gtk_widget_set_visible (self->unmatched_box, n_unmatched > 0);
  gtk_widget_set_visible (self->applied_box, n_applied > 0);
  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
  {
    g_autofree char *summary = g_strdup_printf (
      /* Translators: the summary of the Bank page; each %u is a count */
      _("%u to confirm · %u not matched · drop a statement here, or import it"),
      n_proposed, n_unmatched);

    adw_action_row_set_subtitle (self->summary_row, summary);
  }
}
