/* relance-dashboard-page.c: the Dashboard page of the main window.
 *
 * Outstanding and overdue totals, DSO and the on-time rate as four cards, the aging chart,
 * and for every scenario step how many invoices got a payment in the week after it. The
 * figures come from relance-stats.c, computed in a worker thread on its own connection
 * (they scan every invoice), and are applied on the main loop. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-aging-chart.h"
#include "relance-clock.h"
#include "relance-dashboard-page.h"
#include "relance-page.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-names.h"
#include "relance-scenario.h"
#include "relance-scenario-editor.h"
#include "relance-stats.h"
#include "relance-store-ab.h"
#include "relance-ui-util.h"

struct _RelanceDashboardPage
{
  RelancePage   parent_instance;

  GtkSpinner   *loading_spinner;
  GCancellable *cancellable;
  gboolean      loading;

  GtkStack     *stack;
  GtkLabel     *outstanding_label;
  GtkLabel     *outstanding_detail;
  GtkLabel     *overdue_label;
  GtkLabel     *overdue_detail;
  GtkLabel     *dso_label;
  GtkLabel     *dso_detail;
  GtkLabel     *on_time_label;
  GtkLabel     *on_time_detail;
  AdwPreferencesGroup *aging_group;
  RelanceAgingChart *chart;
  GtkListBox   *steps_list;
  AdwPreferencesGroup *ab_group;
  GtkListBox   *ab_list;
};

G_DEFINE_FINAL_TYPE (RelanceDashboardPage, relance_dashboard_page, RELANCE_TYPE_PAGE)

static void
relance_dashboard_page_dispose (GObject *object)
{
  RelanceDashboardPage *self = RELANCE_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (relance_dashboard_page_parent_class)->dispose (object);
}

static void
relance_dashboard_page_reload (RelancePage *page);

static void
relance_dashboard_page_class_init (RelanceDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_dashboard_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_dashboard_page_reload;
  RELANCE_PAGE_CLASS (klass)->reads_in_worker = TRUE;

  g_type_ensure (RELANCE_TYPE_AGING_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, outstanding_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, outstanding_detail);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, overdue_detail);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, dso_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, dso_detail);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, on_time_label);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, on_time_detail);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, aging_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, ab_group);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, ab_list);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, chart);
  gtk_widget_class_bind_template_child (widget_class, RelanceDashboardPage, steps_list);
}

static void
relance_dashboard_page_init (RelanceDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  relance_spinner_spin_while_mapped (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* One line per currency, the largest first. */
static char *
amounts_text (GPtrArray *currencies,
              gboolean   overdue)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *language = relance_language_for_user ();

  for (guint i = 0; i < currencies->len; i++)
    {
      const RelanceCurrencyStats *c = g_ptr_array_index (currencies, i);
      g_autofree char *amount = NULL;

      if (c->n_outstanding == 0 && i > 0)
        continue;
      amount = relance_money_format (overdue ? c->overdue : c->outstanding, c->currency,
                                     language);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, amount);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
count_invoices (GPtrArray *currencies,
                gboolean   overdue)
{
  guint n = 0;

  for (guint i = 0; i < currencies->len; i++)
    {
      const RelanceCurrencyStats *c = g_ptr_array_index (currencies, i);

      n += overdue ? c->n_overdue : c->n_outstanding;
    }
  return n;
}

static void
show_figures (RelanceDashboardPage *self,
              const RelanceStats   *stats)
{
  g_autofree char *outstanding = amounts_text (stats->currencies, FALSE);
  g_autofree char *overdue = amounts_text (stats->currencies, TRUE);
  g_autofree char *detail = NULL;
  const RelanceCurrencyStats *main_currency = NULL;
  guint n;
  int percent;

  if (stats->currencies->len > 0)
    main_currency = g_ptr_array_index (stats->currencies, 0);

  gtk_label_set_text (self->outstanding_label, outstanding);
  n = count_invoices (stats->currencies, FALSE);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unpaid invoice",
                                         "%u unpaid invoices", n), n);
  gtk_label_set_text (self->outstanding_detail, detail);
  g_clear_pointer (&detail, g_free);

  gtk_label_set_text (self->overdue_label, overdue);
  n = count_invoices (stats->currencies, TRUE);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice past its due date",
                                         "%u invoices past their due date", n), n);
  gtk_label_set_text (self->overdue_detail, detail);
  g_clear_pointer (&detail, g_free);

  if (main_currency != NULL && main_currency->dso >= 0)
    {
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                             main_currency->dso), main_currency->dso);
      gtk_label_set_text (self->dso_label, detail);
      g_clear_pointer (&detail, g_free);
      /* Translators: %s is a currency code such as EUR */
      detail = g_strdup_printf (_("Over the last 90 days, in %s"), main_currency->currency);
      gtk_label_set_text (self->dso_detail, detail);
      g_clear_pointer (&detail, g_free);
    }
  else
    {
      /* Translators: no value (the DSO needs invoices issued in the last 90 days) */
      gtk_label_set_text (self->dso_label, _("—"));
      gtk_label_set_text (self->dso_detail, _("Nothing invoiced in the last 90 days"));
    }

  percent = relance_stats_on_time_percent (stats);
  if (percent >= 0)
    {
      /* Translators: a percentage; use your language's spacing (“75 %” in French) */
      detail = g_strdup_printf (_("%d%%"), percent);
      gtk_label_set_text (self->on_time_label, detail);
      g_clear_pointer (&detail, g_free);
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u invoice paid in the last 12 months",
                                             "%u of %u invoices paid in the last 12 months",
                                             stats->n_paid),
                                stats->n_paid_on_time, stats->n_paid);
      gtk_label_set_text (self->on_time_detail, detail);
      g_clear_pointer (&detail, g_free);
    }
  else
    {
      gtk_label_set_text (self->on_time_label, _("—"));
      gtk_label_set_text (self->on_time_detail, _("No invoice paid in the last 12 months"));
    }

  relance_aging_chart_set_stats (self->chart, main_currency);
  if (main_currency != NULL && stats->currencies->len > 1)
    {
      /* Translators: %s is a currency code such as EUR */
      detail = g_strdup_printf (_("Invoices in %s; other currencies are not converted."),
                                main_currency->currency);
      adw_preferences_group_set_description (self->aging_group, detail);
      g_clear_pointer (&detail, g_free);
    }
  else
    adw_preferences_group_set_description (self->aging_group, NULL);
}

static GtkWidget *
step_row (const RelanceStepStats *s)
{
  g_autofree char *offset = relance_step_offset_label (s->offset_days);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *figure = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  /* Translators: a reminder step: its offset from the due date ("D+8") and its tone */
  title = g_strdup_printf (_("%s · %s"), offset, relance_step_tone_label (s->tone));
  if (s->n_sent == 0)
    subtitle = g_strdup_printf (_("%s · not sent yet"), relance_step_channel_label (s->channel));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s · %u of %u invoice paid within 7 days",
                                             "%s · %u of %u invoices paid within 7 days",
                                             s->n_sent),
                                relance_step_channel_label (s->channel), s->n_paid_after,
                                s->n_sent);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (s->n_sent > 0)
    figure = g_strdup_printf (_("%d%%"), (int) ((s->n_paid_after * 200u + s->n_sent)
                                                / (s->n_sent * 2u)));
  label = gtk_label_new (figure != NULL ? figure : _("—"));
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
show_steps (RelanceDashboardPage *self,
            GPtrArray            *steps)
{
  const char *language = relance_language_for_user ();
  AdwExpanderRow *expander = NULL;
  gint64 scenario_id = -1;
  guint sent = 0;

  relance_list_box_remove_all (self->steps_list);

  for (guint i = 0; i <= steps->len; i++)
    {
      const RelanceStepStats *s = i < steps->len ? g_ptr_array_index (steps, i) : NULL;

      if (expander != NULL && (s == NULL || s->scenario_id != scenario_id))
        {
          g_autofree char *subtitle =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reminder sent",
                                          "%u reminders sent", sent), sent);

          adw_expander_row_set_subtitle (expander, subtitle);
          adw_expander_row_set_expanded (expander, sent > 0);
          expander = NULL;
        }
      if (s == NULL)
        break;
      if (expander == NULL)
        {
          expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
          /* A scenario's name is the user's text, never markup. */
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                         g_strcmp0 (language, "fr") == 0 ? s->scenario_name_fr
                                                                         : s->scenario_name_en);
          gtk_list_box_append (self->steps_list, GTK_WIDGET (expander));
          scenario_id = s->scenario_id;
          sent = 0;
        }
      sent += s->n_sent;
      adw_expander_row_add_row (expander, step_row (s));
    }
}

/* One row per running A/B test: the step, the counts of each text and the plain sentence. */
static void
show_ab_tests (RelanceDashboardPage *self,
               GPtrArray            *reports)
{
  relance_list_box_remove_all (self->ab_list);
  gtk_widget_set_visible (GTK_WIDGET (self->ab_group), reports != NULL && reports->len > 0);
  for (guint i = 0; reports != NULL && i < reports->len; i++)
    {
      const RelanceAbReport *r = g_ptr_array_index (reports, i);
      AdwExpanderRow *row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      g_autofree char *title = NULL;
      g_autofree char *escaped = g_markup_escape_text (r->sentence, -1);

      /* Translators: an A/B test on the dashboard: a step (standard:+8) and a template name */
      title = g_strdup_printf (_("Step %s: %s"), r->step_name,
                               relance_template_key_display_name (r->test->template_key));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_set_subtitle (row, escaped);
      for (int v = 0; v < 2; v++)
        {
          GtkWidget *line = adw_action_row_new ();
          g_autofree char *subtitle = NULL;

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line),
                                         v == 0 ? _("Text A (current)") : _("Text B"));
          /* Translators: counts of one text of an A/B test */
          subtitle = g_strdup_printf (_("%u sent · %u paid within 7 days · %u within 14 days"),
                                      r->counts[v].sent, r->counts[v].paid_7d,
                                      r->counts[v].paid_14d);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (line), subtitle);
          adw_expander_row_add_row (row, line);
        }
      gtk_list_box_append (self->ab_list, GTK_WIDGET (row));
    }
}

static void
compute_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  const GDate *today = task_data;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RelanceStats *stats;

  if ((store = relance_store_open_quick (path, &error)) == NULL
      || (stats = relance_stats_compute (store, today, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autoptr(GDateTime) now = relance_clock_now ();
    g_autoptr(GError) ab_error = NULL;
    GPtrArray *reports = relance_store_ab_reports (store, TRUE, now, &ab_error);

    if (reports == NULL)
      g_warning ("Could not read the A/B tests: %s", ab_error->message);
    else
      g_object_set_data_full (G_OBJECT (task), "ab-reports", reports,
                              (GDestroyNotify) g_ptr_array_unref);
  }
  g_task_return_pointer (task, stats, (GDestroyNotify) relance_stats_free);
}

static void
computed (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RelanceDashboardPage *self = RELANCE_DASHBOARD_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStats) stats = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer reload is under way: its result will be shown instead. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  self->loading = FALSE;

  if (stats == NULL)
    {
      g_warning ("Could not compute the dashboard figures: %s", error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  show_figures (self, stats);
  show_steps (self, stats->steps);
  show_ab_tests (self, g_object_get_data (G_OBJECT (result), "ab-reports"));
  gtk_stack_set_visible_child_name (self->stack,
                                    stats->currencies->len > 0 || stats->n_paid > 0
                                      ? "figures" : "empty");
}


gboolean
relance_dashboard_page_is_loading (RelanceDashboardPage *self)
{
  g_return_val_if_fail (RELANCE_IS_DASHBOARD_PAGE (self), FALSE);
  /* A change announced and not read yet counts: what is shown is about to change. */
  return self->loading || relance_page_is_stale (RELANCE_PAGE (self));
}

RelanceAgingChart *
relance_dashboard_page_get_chart (RelanceDashboardPage *self)
{
  g_return_val_if_fail (RELANCE_IS_DASHBOARD_PAGE (self), NULL);
  return self->chart;
}

static void
relance_dashboard_page_reload (RelancePage *page)
{
  RelanceDashboardPage *self = RELANCE_DASHBOARD_PAGE (page);
  g_autoptr(GTask) task = NULL;
  GDate *today;


  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (RELANCE_PAGE_STORE (self) == NULL || relance_store_get_path (RELANCE_PAGE_STORE (self)) == NULL)
    {
      self->loading = FALSE;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  /* Keep the old figures on screen while the new ones are computed. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "figures") != 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  today = g_new0 (GDate, 1);
  relance_clock_today (NULL, today);
  task = g_task_new (self, self->cancellable, computed, NULL);
  g_task_set_source_tag (task, relance_dashboard_page_reload);
  g_task_set_task_data (task, today, g_free);
  g_object_set_data_full (G_OBJECT (task), "path",
                          g_strdup (relance_store_get_path (RELANCE_PAGE_STORE (self))), g_free);
  g_task_run_in_thread (task, compute_in_thread);
}
