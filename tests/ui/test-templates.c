/* test-templates.c: the Templates page under Xvfb: the template editor refuses a broken
 * template (error at LINE:COLUMN with its suggestion, Save insensitive, the database
 * unchanged), saves a fixed one, and previews the edited text on a real invoice. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-names.h"
#include "relance-scenario.h"
#include "relance-store.h"
#include "relance-templates-page.h"

#include "ui-test-common.h"

static gboolean
editor_idle (gpointer data)
{
  return !relance_template_editor_is_busy (RELANCE_TEMPLATE_EDITOR (data));
}

static GtkWidget *
find_button_with_action (GtkWidget  *widget,
                         const char *action)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible label of @root whose style has @css_class. */
static GtkLabel *
find_label_with_class (GtkWidget  *widget,
                       const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static RelanceStore *
new_store (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "test", NULL);
  g_autofree char *path = g_build_filename (dir, "relance.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceClient client = { 0 };
  RelanceInvoice invoice = { 0 };
  RelanceStore *store;

  relance_test_use_system_data_dirs ();
  g_mkdir_with_parents (dir, 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);

  client.name = (char *) "Blue Harbour Ltd";
  client.email = (char *) "accounts@example.com";
  client.language = (char *) "en";
  relance_store_save_client (store, &client, &error);
  g_assert_no_error (error);

  invoice.number = (char *) "INV-2026-042";
  invoice.client_id = client.id;
  g_assert_true (relance_date_from_iso ("2026-01-02", &invoice.issue_date));
  g_assert_true (relance_date_from_iso ("2026-02-01", &invoice.due_date));
  invoice.total = 123456;
  invoice.currency = (char *) "EUR";
  invoice.status = (char *) "open";
  g_date_clear (&invoice.promise_date, 1);
  relance_store_save_invoice (store, &invoice, &error);
  g_assert_no_error (error);
  return store;
}

static char *
stored_body (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceTemplateText) text =
    relance_store_get_template (store, "first-reminder", "en", &error);

  g_assert_no_error (error);
  return g_strdup (text->body);
}

static void
set_body (GtkWidget  *page,
          const char *text)
{
  GtkWidget *view = relance_test_find_descendant_of_type (page, GTK_TYPE_TEXT_VIEW);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static void
test_refuses_broken_template (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autofree char *original = stored_body (store);
  g_autofree char *after = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *amount = relance_money_format (123456, "EUR", "en");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (RELANCE_TYPE_TEMPLATES_PAGE, "store", store, NULL);
  RelanceTemplateEditor *editor =
    relance_templates_page_get_template_editor (RELANCE_TEMPLATES_PAGE (page));
  GtkWidget *save;
  GtkLabel *error_label;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));

  relance_template_editor_open (editor, "first-reminder", "en");
  relance_template_editor_set_preview_invoice (editor, "INV-2026-042");
  relance_test_iterate_until (editor_idle, editor, "the preview values are loaded");

  /* The preview is the real invoice, formatted for the template's language. */
  preview = relance_template_editor_get_preview_text (editor);
  g_assert_nonnull (strstr (preview, "INV-2026-042"));
  g_assert_nonnull (strstr (preview, amount));
  g_clear_pointer (&preview, g_free);

  save = find_button_with_action (page, "editor.save");
  g_assert_nonnull (save);
  g_assert_false (gtk_widget_get_sensitive (save)); /* nothing edited yet */

  set_body (page, "Hello,\n\nStill {{invoice.outstandng}} to pay.\n");
  relance_test_iterate_until (editor_idle, editor, "the text is checked");

  error_label = find_label_with_class (page, "error");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "3:7:"));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "invoice.outstanding"));
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (relance_template_editor_save (editor));
  after = stored_body (store);
  g_assert_cmpstr (after, ==, original);
  g_clear_pointer (&after, g_free);

  /* Fixed: Save comes back, the preview follows the edited text, and Save stores it. */
  set_body (page, "Hello,\n\nStill {{invoice.outstanding}} to pay on {{invoice.number}}.\n");
  relance_test_iterate_until (editor_idle, editor, "the text is checked again");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_true (gtk_widget_get_sensitive (save));
  preview = relance_template_editor_get_preview_text (editor);
  g_assert_nonnull (strstr (preview, "to pay on INV-2026-042."));
  g_assert_nonnull (strstr (preview, amount));

  g_assert_true (gtk_widget_activate_action (save, "editor.save", NULL));
  after = stored_body (store);
  g_assert_cmpstr (after, ==,
                   "Hello,\n\nStill {{invoice.outstanding}} to pay on {{invoice.number}}.\n");
  g_assert_false (gtk_widget_get_sensitive (save));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The combo row of the template editor whose title is @title. */
static AdwComboRow *
find_combo_row (GtkWidget  *widget,
                const char *title)
{
  return ADW_COMBO_ROW (relance_test_find_row (widget, ADW_TYPE_COMBO_ROW, title));
}

/* The template selector shows each template's name, never its key. */
static void
test_selector_shows_names (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autofree char *text = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (RELANCE_TYPE_TEMPLATES_PAGE, "store", store, NULL);
  RelanceTemplateEditor *editor =
    relance_templates_page_get_template_editor (RELANCE_TEMPLATES_PAGE (page));
  AdwComboRow *selector;
  GListModel *model;
  GtkExpression *expression;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));

  relance_template_editor_open (editor, "handover-task", "en");
  relance_test_iterate_until (editor_idle, editor, "the template is loaded");
  relance_test_wait_for_text (GTK_WIDGET (editor), "Task: decision", "the name shows");
  text = relance_test_visible_text (GTK_WIDGET (editor));
  g_assert_null (strstr (text, "handover-task"));

  /* Every entry of the list, shipped keys in, names out. */
  selector = find_combo_row (GTK_WIDGET (editor), "_Template");
  g_assert_nonnull (selector);
  model = adw_combo_row_get_model (selector);
  expression = adw_combo_row_get_expression (selector);
  g_assert_nonnull (expression);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    g_strv_length ((char **) relance_template_shipped_keys ()));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_auto(GValue) value = G_VALUE_INIT;
      const char *key = gtk_string_object_get_string (GTK_STRING_OBJECT (item));

      g_assert_true (gtk_expression_evaluate (expression, item, &value));
      g_assert_cmpstr (g_value_get_string (&value), !=, key);
      g_assert_null (strchr (g_value_get_string (&value), '-'));
    }
  g_assert_cmpstr (relance_template_key_display_name ("before-due"), ==, "Before the due date");
  g_assert_cmpstr (relance_template_key_display_name ("first-reminder"), ==, "First reminder");

  relance_test_iterate_until (editor_idle, editor, "the template editor is idle");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scenario_duplicate_offset (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (RELANCE_TYPE_TEMPLATES_PAGE, "store", store, NULL);
  RelanceScenarioEditor *editor =
    relance_templates_page_get_scenario_editor (RELANCE_TEMPLATES_PAGE (page));
  GtkSpinButton *first, *second;
  GtkWidget *spin;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* The first two offsets of the first scenario ("standard": D-3, D+1). */
  spin = relance_test_find_descendant_of_type (GTK_WIDGET (editor), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  first = GTK_SPIN_BUTTON (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (first), ==, -3);
  second = NULL;
  for (GtkWidget *w = spin; w != NULL && second == NULL; w = gtk_widget_get_parent (w))
    for (GtkWidget *s = gtk_widget_get_next_sibling (w); s != NULL && second == NULL;
         s = gtk_widget_get_next_sibling (s))
      second = (GtkSpinButton *) relance_test_find_descendant_of_type (s, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (second);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (second), ==, 1);

  /* Two steps on one day: refused, nothing written. */
  gtk_spin_button_set_value (second, -3);
  g_assert_false (relance_scenario_editor_save (editor));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (second), "error"));

  /* Swapped days are fine (the unique key is kept at every statement). */
  gtk_spin_button_set_value (first, 1);
  g_assert_true (relance_scenario_editor_save (editor));
  scenarios = relance_store_list_scenarios (store, &error);
  g_assert_no_error (error);
  {
    RelanceScenario *standard = g_ptr_array_index (scenarios, 0);
    RelanceStep *a = g_ptr_array_index (standard->steps, 0);
    RelanceStep *b = g_ptr_array_index (standard->steps, 1);

    g_assert_cmpstr (standard->key, ==, "standard");
    g_assert_cmpint (a->offset_days, ==, -3);
    g_assert_cmpstr (a->template_key, ==, "first-reminder");
    g_assert_cmpint (b->offset_days, ==, 1);
    g_assert_cmpstr (b->template_key, ==, "before-due");
  }
  /* The page's template editor loads its invoices in threads: done before this test's
   * files go away, or its answers would read them during the next test. */
  relance_test_iterate_until (editor_idle,
                              relance_templates_page_get_template_editor (
                                RELANCE_TEMPLATES_PAGE (page)),
                              "the template editor is idle");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* "Send Me a Test" without a mail account: the button waits while the test is under way,
 * then the error says in plain words what to do; nothing is queued as a reminder. */
static void
test_send_test_without_account (void)
{
  g_autoptr(RelanceStore) store = new_store ();
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (RELANCE_TYPE_TEMPLATES_PAGE, "store", store, NULL);
  RelanceTemplateEditor *editor =
    relance_templates_page_get_template_editor (RELANCE_TEMPLATES_PAGE (page));
  GtkWidget *send_test;
  GtkWidget *dialog;
  const char *heading;
  const char *body;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));

  relance_template_editor_open (editor, "first-reminder", "en");
  relance_template_editor_set_preview_invoice (editor, "INV-2026-042");
  relance_test_iterate_until (editor_idle, editor, "the preview values are loaded");

  send_test = find_button_with_action (page, "editor.send-test");
  g_assert_nonnull (send_test);
  g_assert_true (gtk_widget_get_sensitive (send_test));
  g_signal_emit_by_name (send_test, "clicked");
  /* The test is sent in a thread: until its answer, the button cannot start another. */
  g_assert_false (gtk_widget_get_sensitive (send_test));

  relance_test_iterate_until (message_dialog_shown, NULL, "the error is shown");
  dialog = relance_test_find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  heading = adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog));
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (heading, ==, "Could Not Send the Test");
  g_assert_nonnull (strstr (body, "No mail account is set up"));
  g_assert_null (strstr (body, "SQL"));
  g_assert_null (strstr (body, "GDBus"));
  g_assert_null (strstr (body, "relance_"));
  g_assert_true (gtk_widget_get_sensitive (send_test));

  /* A test is not a reminder: the outbox stays empty. */
  outbox = relance_store_list_outbox (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  relance_test_iterate_until (editor_idle, editor, "the template editor is idle");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 9, 0, 0);

  relance_test_keep_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_test_set_wait_timeout (10 * G_USEC_PER_SEC);
  gtk_init ();
  adw_init ();
  relance_clock_set_override (now);

  g_test_add_func ("/ui/templates/refuses-broken-template", test_refuses_broken_template);
  g_test_add_func ("/ui/templates/scenario-offsets", test_scenario_duplicate_offset);
  g_test_add_func ("/ui/templates/selector-shows-names", test_selector_shows_names);
  g_test_add_func ("/ui/templates/send-test-without-account", test_send_test_without_account);

  return g_test_run ();
}
