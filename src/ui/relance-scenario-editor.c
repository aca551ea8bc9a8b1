/* relance-scenario-editor.c: the editor of the reminder scenarios.
 *
 * Each scenario is a group of expandable rows, one per step (offset, channel, tone,
 * penalties, template). Edits change a copy of the scenarios; Save writes them all in one
 * transaction, so a half-edited scenario never reaches the scheduler. Removing a step can be
 * undone until the next Save; a step already sent for some invoice cannot be removed (the
 * reminders keep pointing at it as proof). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clock.h"
#include "relance-language.h"
#include "relance-names.h"
#include "relance-scenario.h"
#include "relance-scenario-editor.h"
#include "relance-ui-util.h"
#include "relance-store-ab.h"

struct _RelanceScenarioEditor
{
  AdwBin        parent_instance;

  RelanceStore *store;
  GPtrArray    *scenarios;      /* RelanceScenario*, the edited copy */
  GArray       *removed_ids;    /* gint64: saved steps to delete at Save */
  GStrv         template_keys;
  GPtrArray    *ab_reports;     /* RelanceAbReport*: the A/B tests running */
  gboolean      dirty;

  GtkBox       *groups;
  GtkButton    *save_button;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (RelanceScenarioEditor, relance_scenario_editor, ADW_TYPE_BIN)

static const char *channels[] = { "email", "letter", "task", "sms" };
static const char *tones[] = { "courteous", "firm", "formal-notice" };

static void rebuild (RelanceScenarioEditor *self);

char *
relance_step_offset_label (int offset_days)
{
  /* Translators: a reminder step's offset from the due date: "D-3", "D+8" (French: "J-3") */
  return g_strdup_printf (C_("step offset", "D%+d"), offset_days);
}

const char *
relance_step_tone_label (const char *tone)
{
  return relance_tone_display_name (tone);
}

const char *
relance_step_channel_label (const char *channel)
{
  return relance_channel_display_name (channel);
}

static void
set_dirty (RelanceScenarioEditor *self)
{
  self->dirty = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

static void
show_error (RelanceScenarioEditor *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static guint
index_of (const char  **list,
          guint         n,
          const char   *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (list[i], value) == 0)
      return i;
  return 0;
}

static void
update_row_title (AdwExpanderRow *row,
                  RelanceStep    *step)
{
  g_autofree char *offset = relance_step_offset_label (step->offset_days);
  g_autofree char *title = g_strdup_printf (_("%s · %s"), offset,
                                            relance_step_tone_label (step->tone));
  g_autofree char *subtitle = g_markup_printf_escaped ("%s · %s%s",
                                                      relance_step_channel_label (step->channel),
                                                      relance_template_key_display_name (
                                                        step->template_key),
                                                      /* Translators: after a step that is
                                                       * switched off */
                                                      step->disabled ? _(" · off") : "");

  /* A template the owner added keeps its key as its name: the user's text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (row, subtitle);
}

/* Data attached to each editing widget. */
typedef struct
{
  RelanceScenarioEditor *self;
  RelanceScenario       *scenario;
  RelanceStep           *step;
  AdwExpanderRow        *row;
} StepRef;

static void
offset_changed (GtkSpinButton *spin,
                StepRef       *ref)
{
  ref->step->offset_days = gtk_spin_button_get_value_as_int (spin);
  gtk_widget_remove_css_class (GTK_WIDGET (spin), "error");
  update_row_title (ref->row, ref->step);
  set_dirty (ref->self);
}

static void
combo_changed (AdwComboRow *combo,
               GParamSpec  *pspec,
               StepRef     *ref)
{
  const char *what = g_object_get_data (G_OBJECT (combo), "field");
  guint selected = adw_combo_row_get_selected (combo);
  char **field;
  const char *value;

  if (g_str_equal (what, "channel"))
    {
      field = &ref->step->channel;
      value = channels[MIN (selected, G_N_ELEMENTS (channels) - 1)];
    }
  else if (g_str_equal (what, "tone"))
    {
      field = &ref->step->tone;
      value = tones[MIN (selected, G_N_ELEMENTS (tones) - 1)];
    }
  else
    {
      field = &ref->step->template_key;
      if (selected >= g_strv_length (ref->self->template_keys))
        return;
      value = ref->self->template_keys[selected];
    }
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  update_row_title (ref->row, ref->step);
  set_dirty (ref->self);
}

static void
penalties_changed (GtkSwitch  *sw,
                   GParamSpec *pspec,
                   StepRef    *ref)
{
  ref->step->penalties = gtk_switch_get_active (sw);
  set_dirty (ref->self);
}

static void
enabled_changed (GtkSwitch  *sw,
                 GParamSpec *pspec,
                 StepRef    *ref)
{
  ref->step->disabled = !gtk_switch_get_active (sw);
  update_row_title (ref->row, ref->step);
  set_dirty (ref->self);
}

typedef struct
{
  RelanceScenarioEditor *self;
  RelanceScenario       *scenario;
  RelanceStep           *step;
  gboolean               was_saved;
} Removal;

static void
undo_removal (AdwToast *toast,
              Removal  *removal)
{
  RelanceScenarioEditor *self = removal->self;

  g_ptr_array_add (removal->scenario->steps, g_steal_pointer (&removal->step));
  for (guint i = 0; removal->was_saved && i < self->removed_ids->len; i++)
    if (g_array_index (self->removed_ids, gint64, i)
        == ((RelanceStep *) g_ptr_array_index (removal->scenario->steps,
                                               removal->scenario->steps->len - 1))->id)
      {
        g_array_remove_index (self->removed_ids, i);
        break;
      }
  rebuild (self);
}

static void
removal_free (gpointer data)
{
  Removal *removal = data;

  relance_step_free (removal->step);
  g_object_unref (removal->self);
  g_free (removal);
}

static void
remove_clicked (GtkButton *button,
                StepRef   *ref)
{
  RelanceScenarioEditor *self = ref->self;
  g_autofree char *offset = relance_step_offset_label (ref->step->offset_days);
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  gboolean used;
  Removal *removal;
  AdwToast *toast;

  if (!relance_store_step_is_used (self->store, ref->step->id, &used, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (used)
    {
      g_autofree char *message =
        /* Translators: %s is a step offset such as "D+8" */
        g_strdup_printf (_("The step %s was already used for some invoices, and their "
                           "history points at it: it cannot be removed. Change its "
                           "template or tone instead."), offset);
      show_error (self, message);
      return;
    }

  removal = g_new0 (Removal, 1);
  removal->self = g_object_ref (self);
  removal->scenario = ref->scenario;
  removal->was_saved = ref->step->id != 0;
  if (removal->was_saved)
    g_array_append_val (self->removed_ids, ref->step->id);
  g_ptr_array_set_free_func (ref->scenario->steps, NULL);
  g_ptr_array_remove (ref->scenario->steps, ref->step);
  g_ptr_array_set_free_func (ref->scenario->steps, (GDestroyNotify) relance_step_free);
  removal->step = ref->step;
  set_dirty (self);
  rebuild (self);

  /* Translators: %s is a step offset such as "D+8" */
  title = g_strdup_printf (_("Step %s removed"), offset);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_removal), removal,
                         (GClosureNotify) (void (*) (void)) removal_free, 0);
  relance_widget_add_toast (GTK_WIDGET (self), toast);
}

static void
add_clicked (GtkButton       *button,
             RelanceScenario *scenario)
{
  RelanceScenarioEditor *self = g_object_get_data (G_OBJECT (button), "editor");
  RelanceStep *step = g_new0 (RelanceStep, 1);
  int offset = 0;

  /* A week after the last step: a free offset the owner will adjust. */
  for (guint i = 0; i < scenario->steps->len; i++)
    offset = MAX (offset, ((RelanceStep *) g_ptr_array_index (scenario->steps, i))->offset_days
                          + 7);
  step->offset_days = MIN (offset, RELANCE_STEP_MAX_OFFSET);
  step->channel = g_strdup ("email");
  step->tone = g_strdup ("firm");
  step->template_key = g_strdup (self->template_keys != NULL && self->template_keys[0] != NULL
                                   ? self->template_keys[0] : "firm");
  g_ptr_array_add (scenario->steps, step);
  set_dirty (self);
  rebuild (self);
}

static GtkWidget *
combo_row (const char  *title,
           const char  *field,
           const char **labels,
           guint        selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  return row;
}

static GtkWidget *
step_row (RelanceScenarioEditor *self,
          RelanceScenario       *scenario,
          RelanceStep           *step)
{
  AdwExpanderRow *row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  StepRef *ref = g_new0 (StepRef, 1);
  const char *channel_labels[G_N_ELEMENTS (channels) + 1] = { NULL, };
  const char *tone_labels[G_N_ELEMENTS (tones) + 1] = { NULL, };
  GtkWidget *child, *spin, *sw, *button;
  guint key = 0;

  ref->self = self;
  ref->scenario = scenario;
  ref->step = step;
  ref->row = row;
  g_object_set_data_full (G_OBJECT (row), "ref", ref, g_free);
  update_row_title (row, step);

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("_Days from due date"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (child), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child), _("Negative: before the due date"));
  spin = gtk_spin_button_new_with_range (RELANCE_STEP_MIN_OFFSET, RELANCE_STEP_MAX_OFFSET, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), step->offset_days);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (child), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (child), spin);
  g_signal_connect (spin, "value-changed", G_CALLBACK (offset_changed), ref);
  g_object_set_data (G_OBJECT (row), "spin", spin);
  adw_expander_row_add_row (row, child);

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    channel_labels[i] = relance_step_channel_label (channels[i]);
  child = combo_row (_("_Channel"), "channel", channel_labels,
                     index_of (channels, G_N_ELEMENTS (channels), step->channel));
  g_signal_connect (child, "notify::selected", G_CALLBACK (combo_changed), ref);
  adw_expander_row_add_row (row, child);

  for (guint i = 0; i < G_N_ELEMENTS (tones); i++)
    tone_labels[i] = relance_step_tone_label (tones[i]);
  child = combo_row (_("T_one"), "tone", tone_labels,
                     index_of (tones, G_N_ELEMENTS (tones), step->tone));
  g_signal_connect (child, "notify::selected", G_CALLBACK (combo_changed), ref);
  adw_expander_row_add_row (row, child);

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("State _penalties"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (child), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                               _("Late-payment interest and the recovery indemnity"));
  sw = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (sw), step->penalties);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (child), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (child), sw);
  g_signal_connect (sw, "notify::active", G_CALLBACK (penalties_changed), ref);
  adw_expander_row_add_row (row, child);

  if (self->template_keys != NULL)
    for (guint i = 0; self->template_keys[i] != NULL; i++)
      if (g_strcmp0 (self->template_keys[i], step->template_key) == 0)
        key = i;
  {
    guint n = self->template_keys != NULL ? g_strv_length (self->template_keys) : 0;
    g_autofree const char **template_labels = g_new0 (const char *, n + 1);

    for (guint i = 0; i < n; i++)
      template_labels[i] = relance_template_key_display_name (self->template_keys[i]);
    child = combo_row (_("_Template"), "template", template_labels, key);
  }
  g_signal_connect (child, "notify::selected", G_CALLBACK (combo_changed), ref);
  adw_expander_row_add_row (row, child);

  /* Optional steps (the Gentle scenario's WhatsApp nudge ships off) are switched, not
   * removed, so that the owner finds them again. */
  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("_Use this step"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (child), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                               _("When off, the scenario goes on as if the step were not there"));
  sw = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (sw), !step->disabled);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (child), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (child), sw);
  g_signal_connect (sw, "notify::active", G_CALLBACK (enabled_changed), ref);
  adw_expander_row_add_row (row, child);

  /* The step's A/B test, when one runs: the counts and the plain sentence. */
  for (guint i = 0; self->ab_reports != NULL && i < self->ab_reports->len; i++)
    {
      const RelanceAbReport *r = g_ptr_array_index (self->ab_reports, i);
      g_autofree char *subtitle = NULL;

      if (step->id == 0 || r->test->step_id != step->id)
        continue;
      child = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Text test (A/B)"));
      /* Translators: counts of an A/B test (text A, then text B), then a plain sentence */
      subtitle = g_markup_printf_escaped (_("A: %u sent, %u paid within 14 days · B: %u sent, "
                                            "%u paid within 14 days\n%s"),
                                          r->counts[0].sent, r->counts[0].paid_14d,
                                          r->counts[1].sent, r->counts[1].paid_14d,
                                          r->sentence);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), subtitle);
      adw_expander_row_add_row (row, child);
    }

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Remove this step"));
  button = gtk_button_new_with_mnemonic (_("_Remove"));
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (child), button);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked), ref);
  adw_expander_row_add_row (row, child);

  return GTK_WIDGET (row);
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const RelanceStep *x = *(RelanceStep * const *) a;
  const RelanceStep *y = *(RelanceStep * const *) b;

  return x->offset_days - y->offset_days;
}

static void
rebuild (RelanceScenarioEditor *self)
{
  const char *language = relance_language_for_user ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups))) != NULL)
    gtk_box_remove (self->groups, child);
  if (self->scenarios == NULL)
    return;

  for (guint i = 0; i < self->scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (self->scenarios, i);
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       relance_scenario_get_name (scenario, language));
      gtk_widget_set_tooltip_text (add, _("Add a Step"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Add a Step"), -1);
      gtk_widget_add_css_class (add, "flat");
      g_object_set_data (G_OBJECT (add), "editor", self);
      g_signal_connect (add, "clicked", G_CALLBACK (add_clicked), scenario);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

      g_ptr_array_sort (scenario->steps, compare_steps);
      for (guint s = 0; s < scenario->steps->len; s++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   step_row (self, scenario,
                                             g_ptr_array_index (scenario->steps, s)));
      gtk_box_append (self->groups, group);
    }
}

static void
relance_scenario_editor_dispose (GObject *object)
{
  RelanceScenarioEditor *self = RELANCE_SCENARIO_EDITOR (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  g_clear_pointer (&self->scenarios, g_ptr_array_unref);
  g_clear_pointer (&self->removed_ids, g_array_unref);
  g_clear_pointer (&self->template_keys, g_strfreev);
  g_clear_pointer (&self->ab_reports, g_ptr_array_unref);

  G_OBJECT_CLASS (relance_scenario_editor_parent_class)->dispose (object);
}

static void
relance_scenario_editor_class_init (RelanceScenarioEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relance_scenario_editor_dispose;
}

static void
save_clicked (RelanceScenarioEditor *self)
{
  relance_scenario_editor_save (self);
}

static void
relance_scenario_editor_init (RelanceScenarioEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->removed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->groups = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->save_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Save Scenarios")));
  gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "suggested-action");
  gtk_widget_set_halign (GTK_WIDGET (self->save_button), GTK_ALIGN_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->save_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked), self);

  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->save_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->groups));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (box), bar);
  adw_bin_set_child (ADW_BIN (self), box);
}

GtkWidget *
relance_scenario_editor_new (void)
{
  return g_object_new (RELANCE_TYPE_SCENARIO_EDITOR, NULL);
}

void
relance_scenario_editor_set_store (RelanceScenarioEditor *self,
                                   RelanceStore          *store)
{
  g_return_if_fail (RELANCE_IS_SCENARIO_EDITOR (self));

  if (g_set_object (&self->store, store))
    relance_scenario_editor_reload (self);
}

void
relance_scenario_editor_reload (RelanceScenarioEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELANCE_IS_SCENARIO_EDITOR (self));

  /* Unsaved edits survive another page's change of the store. */
  if (self->dirty)
    return;
  g_clear_pointer (&self->scenarios, g_ptr_array_unref);
  g_clear_pointer (&self->template_keys, g_strfreev);
  g_array_set_size (self->removed_ids, 0);
  if (self->store != NULL)
    {
      self->template_keys = relance_store_list_template_keys (self->store, &error);
      if (self->template_keys == NULL)
        {
          /* The steps still show; only their template choice is empty. */
          self->template_keys = g_new0 (char *, 1);
          show_error (self, error->message);
          g_clear_error (&error);
        }
      self->scenarios = relance_store_list_scenarios (self->store, &error);
      if (self->scenarios == NULL)
        show_error (self, error->message);
      g_clear_error (&error);
      {
        g_autoptr(GDateTime) now = relance_clock_now ();

        g_clear_pointer (&self->ab_reports, g_ptr_array_unref);
        self->ab_reports = relance_store_ab_reports (self->store, TRUE, now, &error);
        if (self->ab_reports == NULL)
          g_warning ("Could not read the A/B tests: %s", error->message);
      }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  rebuild (self);
}

static GtkWidget *
find_step_row (GtkWidget   *widget,
               RelanceStep *step)
{
  StepRef *ref = g_object_get_data (G_OBJECT (widget), "ref");

  if (ref != NULL && ref->step == step)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_step_row (child, step);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Shows the faulty offset: its row open, the field red and focused. */
static void
flag_offset (RelanceScenarioEditor *self,
             RelanceStep           *step)
{
  GtkWidget *row = find_step_row (GTK_WIDGET (self->groups), step);
  GtkWidget *spin;

  if (row == NULL)
    return;
  spin = g_object_get_data (G_OBJECT (row), "spin");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gtk_widget_add_css_class (spin, "error");
  gtk_widget_grab_focus (spin);
}

/* Two steps of one scenario on the same day: refused before anything is written. */
static gboolean
check_offsets (RelanceScenarioEditor *self)
{
  for (guint i = 0; i < self->scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (self->scenarios, i);

      for (guint a = 0; a < scenario->steps->len; a++)
        for (guint b = a + 1; b < scenario->steps->len; b++)
          {
            RelanceStep *x = g_ptr_array_index (scenario->steps, a);
            RelanceStep *y = g_ptr_array_index (scenario->steps, b);

            if (x->offset_days == y->offset_days)
              {
                g_autofree char *offset = relance_step_offset_label (x->offset_days);
                g_autofree char *message =
                  /* Translators: %s is a scenario name, then a step offset such as "D+8" */
                  g_strdup_printf (_("“%s” has two steps at %s. Give each step its own day."),
                                   relance_scenario_get_name (scenario,
                                                              relance_language_for_user ()),
                                   offset);

                show_error (self, message);
                flag_offset (self, y);
                return FALSE;
              }
          }
    }
  return TRUE;
}

gboolean
relance_scenario_editor_save (RelanceScenarioEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RELANCE_IS_SCENARIO_EDITOR (self), FALSE);

  if (self->store == NULL || self->scenarios == NULL)
    return FALSE;
  show_error (self, NULL);
  if (!check_offsets (self))
    return FALSE;

  if (!relance_store_save_scenario_steps (self->store, self->scenarios,
                                          (const gint64 *) (gpointer) self->removed_ids->data,
                                          self->removed_ids->len, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  self->dirty = FALSE;
  relance_scenario_editor_reload (self);
  relance_widget_add_toast (GTK_WIDGET (self), adw_toast_new (_("Scenarios saved")));
  return TRUE;
}
