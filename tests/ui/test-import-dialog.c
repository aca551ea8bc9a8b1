/* test-import-dialog.c: the CSV import dialog, driven in process under Xvfb.
 *
 * Each case writes its own CSV file and database; the dialog runs its dry run and its
 * import in worker threads, so the test iterates the main loop until it is idle, then
 * reads what the dialog shows and what the store holds. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-import-dialog.h"
#include "relance-resources.h"
#include "relance-store.h"

#include "ui-test-common.h"

#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

static void
wait_idle (RelanceImportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  do
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  while (relance_import_dialog_is_busy (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static RelanceStore *
new_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "relance.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceStore *store = relance_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static GFile *
write_csv (const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* How many "clients" or "invoices" the store holds. */
static int
count_rows (RelanceStore *store,
            const char   *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (g_str_equal (table, "clients"))
    rows = relance_store_list_clients (store, &error);
  else
    rows = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_ALL, NULL, &error);
  g_assert_no_error (error);
  return (int) rows->len;
}

static RelanceImportDialog *
open_dialog (RelanceStore *store,
             GFile        *file)
{
  RelanceImportDialog *dialog = relance_import_dialog_new (NULL, store, file);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_idle (dialog);
  return dialog;
}

/* The acceptance case: one bad row shows its error with its line, and nothing is written. */
static void
test_import_bad_row_writes_nothing (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GFile) file = write_csv ("broken.csv",
    "Invoice number,Client,Issue date,Due date,Total,Currency\n"
    "INV-201,Acme Widgets Ltd,05/01/2026,04/02/2026,1200.00,GBP\n"
    "INV-202,Acme Widgets Ltd,01/02/2026,31/02/2026,80.50,GBP\n"
    "INV-203,Boulangerie Dupont,03/02/2026,05/03/2026,45.00,EUR\n");
  const RelanceImportReport *report;
  RelanceImportDialog *dialog;
  GtkWidget *root;
  g_autofree char *text = NULL;
  int invoices_before = count_rows (store, "invoices");

  dialog = open_dialog (store, file);
  root = GTK_WIDGET (dialog);
  report = relance_import_dialog_get_report (dialog);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_rows, ==, 3);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (report->errors, 0), "broken.csv:3:")
                 || strstr (g_ptr_array_index (report->errors, 0), "broken.csv:3:") != NULL);

  /* What the user sees: the error with its line, the reason nothing can be imported,
   * the detected columns and the first rows. */
  text = visible_text (root);
  g_assert_nonnull (strstr (text, "broken.csv:3:"));
  g_assert_nonnull (strstr (text, "Nothing will be written while a row has an error"));
  g_assert_nonnull (strstr (text, "1 Error"));
  g_assert_nonnull (strstr (text, "INV-203"));
  g_assert_nonnull (strstr (text, "Boulangerie Dupont"));
  g_assert_cmpuint (gtk_drop_down_get_selected (
                      GTK_DROP_DOWN (relance_test_get_widget (root, "due_date"))),
                    ==, 4);

  g_assert_false (gtk_widget_is_sensitive (relance_test_get_widget (root, "import_button")));
  /* Even asked directly, the dialog refuses. */
  relance_import_dialog_import (dialog);
  wait_idle (dialog);
  g_assert_cmpint (count_rows (store, "invoices"), ==, invoices_before);
  g_assert_cmpint (count_rows (store, "clients"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A clean file: the preview says what will happen, Import writes it, the counts show. */
static void
test_import_clean_file (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GFile) file = write_csv ("factures.csv",
    "\xef\xbb\xbfN° facture;Client;Date;Échéance;Montant TTC;Remarque interne\n"
    "F-001;Boulangerie Dupont;05/01/2026;04/02/2026;1 200,00;appelé\n"
    "F-002;Garage Martin;01/02/2026;03/03/2026;80,50;\n");
  RelanceImportDialog *dialog;
  GtkWidget *root;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  dialog = open_dialog (store, file);
  root = GTK_WIDGET (dialog);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, ==, 0);
  before = visible_text (root);
  g_assert_nonnull (strstr (before, "2 rows are ready: 2 new, 0 already known."));
  g_assert_nonnull (strstr (before, "Remarque interne"));
  g_assert_true (gtk_widget_is_sensitive (relance_test_get_widget (root, "import_button")));
  /* The dry run wrote nothing. */
  g_assert_cmpint (count_rows (store, "invoices"), ==, 0);

  g_signal_emit_by_name (relance_test_get_widget (root, "import_button"), "clicked");
  g_assert_true (relance_import_dialog_is_busy (dialog));
  wait_idle (dialog);
  g_assert_cmpint (count_rows (store, "invoices"), ==, 2);
  g_assert_cmpint (count_rows (store, "clients"), ==, 2);
  after = visible_text (root);
  g_assert_nonnull (strstr (after, "Import Done"));
  g_assert_nonnull (strstr (after, "Invoices: 2 added, 0 updated, 0 unchanged."));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A column the detection cannot guess: mapping it by hand clears the error. */
static void
test_import_mapping_override (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GFile) file = write_csv ("odd.csv",
    "Doc,Client,Issue date,Due date,Total,Currency\n"
    "X-1,Acme Widgets Ltd,05/01/2026,04/02/2026,10.00,GBP\n");
  RelanceImportDialog *dialog;
  GtkWidget *root;
  GtkDropDown *number;

  dialog = open_dialog (store, file);
  root = GTK_WIDGET (dialog);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, >, 0);
  g_assert_false (gtk_widget_is_sensitive (relance_test_get_widget (root, "import_button")));

  /* Choosing "Doc" (item 1: after "Not in the file") in the Invoice number row. */
  number = GTK_DROP_DOWN (relance_test_get_widget (root, "number"));
  g_assert_cmpuint (gtk_drop_down_get_selected (number), ==, 0);
  gtk_drop_down_set_selected (number, 1);
  wait_idle (dialog);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, ==, 0);
  g_assert_true (gtk_widget_is_sensitive (relance_test_get_widget (root, "import_button")));
  number = GTK_DROP_DOWN (relance_test_get_widget (root, "number"));
  g_assert_cmpuint (gtk_drop_down_get_selected (number), ==, 1);

  /* The clients chooser reads the same file as clients. */
  relance_import_dialog_set_kind (dialog, RELANCE_IMPORT_CLIENTS);
  wait_idle (dialog);
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (relance_test_get_widget (root, "clients_toggle"))));
  g_assert_null (relance_test_find_widget (root, "number"));
  g_assert_nonnull (relance_test_find_widget (root, "name"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A spreadsheet saved as CSV with a title above the header and dates that never tell day
 * from month: the preview says where the header is and how dates are read; reading them
 * month first instead makes the 13th month an error, and back again clears it. */
static void
test_import_file_and_date_order (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GFile) file = write_csv ("export.csv",
    "Export des factures;;;;\n"
    ";;;;\n"
    "N° facture;Client;Date;Échéance;Montant TTC\n"
    "F-001;Boulangerie Dupont;05/01/2026;04/02/2026;1 200,00\n"
    "F-002;Garage Martin;01/02/2026;03/03/2026;80,50\n");
  RelanceImportDialog *dialog;
  GtkWidget *root;
  GtkDropDown *dates;
  g_autofree char *text = NULL;

  dialog = open_dialog (store, file);
  root = GTK_WIDGET (dialog);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, ==, 0);
  text = visible_text (root);
  g_assert_nonnull (strstr (text, "header on line 3"));
  g_assert_nonnull (strstr (text, "No date in the file tells"));
  /* The first rows shown start at the header, not at the title. */
  g_assert_null (strstr (text, "Export des factures"));
  dates = GTK_DROP_DOWN (relance_test_get_widget (root, "date_order_dropdown"));
  g_assert_cmpuint (gtk_drop_down_get_selected (dates), ==, 0);

  gtk_drop_down_set_selected (dates, 1);
  wait_idle (dialog);
  /* 04/02/2026 read month first is 2 April, before its issue date of 1 May. */
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, >, 0);
  g_assert_false (gtk_widget_is_sensitive (relance_test_get_widget (root, "import_button")));

  gtk_drop_down_set_selected (dates, 0);
  wait_idle (dialog);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, ==, 0);
  g_signal_emit_by_name (relance_test_get_widget (root, "import_button"), "clicked");
  wait_idle (dialog);
  g_assert_cmpint (count_rows (store, "invoices"), ==, 2);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A spreadsheet opens in the same preview, its sheet named. */
static void
test_import_spreadsheet (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "sheets", "factures.ods",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  RelanceImportDialog *dialog;
  g_autofree char *text = NULL;

  dialog = open_dialog (store, file);
  g_assert_cmpuint (relance_import_dialog_get_report (dialog)->errors->len, ==, 0);
  text = visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Spreadsheet, sheet “Feuil1”"));
  g_assert_nonnull (strstr (text, "3 rows are ready: 3 new, 0 already known."));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);
  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_use_system_data_dirs ();
  relance_clock_set_override (now);
  g_assert_nonnull (relance_get_resource ());

  g_test_add_data_func ("/ui/import-dialog/bad-row-writes-nothing",
                        test_import_bad_row_writes_nothing, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/import-dialog/clean-file",
                        test_import_clean_file, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/import-dialog/mapping-override",
                        test_import_mapping_override, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/import-dialog/file-and-date-order",
                        test_import_file_and_date_order, relance_test_run_in_gtk_subprocess);
  g_test_add_data_func ("/ui/import-dialog/spreadsheet",
                        test_import_spreadsheet, relance_test_run_in_gtk_subprocess);
  return g_test_run ();
}
