/* relance-scenario.c: the shipped scenarios and templates; the store keeps them
 * (src/core/store/relance-store-scenarios.c). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-core-resources.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-template.h"

typedef struct
{
  int         offset_days;
  const char *channel;
  const char *template_key;
  const char *tone;
  gboolean    penalties;
  gboolean    with_letter;
  int         deadline_days;
} ShippedStep;

typedef struct
{
  const char        *key;
  const char        *name_fr;
  const char        *name_en;
  const char        *segment;
  const ShippedStep *steps;
  guint              n_steps;
} ShippedScenario;

static const ShippedStep standard_steps[] = {
  { -3, "email", "before-due", "courteous", FALSE, FALSE, 0 },
  { 1, "email", "first-reminder", "courteous", FALSE, FALSE, 0 },
  { 8, "email", "firm", "firm", FALSE, FALSE, 0 },
  { 15, "email", "firm-penalties", "firm", TRUE, FALSE, 0 },
  { 30, "email", "formal-notice", "formal-notice", TRUE, TRUE, 8 },
  { 45, "task", "call-task", "formal-notice", FALSE, FALSE, 0 },
};

static const ShippedStep gentle_steps[] = {
  { 3, "email", "first-reminder", "courteous", FALSE, FALSE, 0 },
  { 15, "email", "second-reminder", "courteous", FALSE, FALSE, 0 },
  { 30, "task", "call-task", "courteous", FALSE, FALSE, 0 },
};

static const ShippedStep firm_steps[] = {
  { -5, "email", "before-due", "courteous", FALSE, FALSE, 0 },
  { 0, "email", "due-today", "courteous", FALSE, FALSE, 0 },
  { 5, "email", "firm", "firm", FALSE, FALSE, 0 },
  { 10, "email", "firm-penalties", "firm", TRUE, FALSE, 0 },
  { 20, "email", "formal-notice", "formal-notice", TRUE, TRUE, 8 },
  { 30, "task", "call-task", "formal-notice", FALSE, FALSE, 0 },
};

static const ShippedScenario shipped_scenarios[] = {
  { "standard", "Standard", "Standard", "regular", standard_steps,
    G_N_ELEMENTS (standard_steps) },
  { "gentle", "Bienveillant", "Gentle", "strategic", gentle_steps, G_N_ELEMENTS (gentle_steps) },
  { "firm", "Ferme", "Firm", "at-risk", firm_steps, G_N_ELEMENTS (firm_steps) },
};

static const char * const shipped_template_keys[] = {
  "before-due", "due-today", "first-reminder", "second-reminder", "firm", "firm-penalties",
  "formal-notice", "call-task", "handover-task", "sms-before-due", "sms-overdue",
  "whatsapp-nudge", NULL,
};

const char * const *
relance_template_shipped_keys (void)
{
  return shipped_template_keys;
}

void
relance_step_free (RelanceStep *step)
{
  if (step == NULL)
    return;
  g_free (step->channel);
  g_free (step->template_key);
  g_free (step->tone);
  g_free (step);
}

void
relance_scenario_free (RelanceScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->key);
  g_free (scenario->name_fr);
  g_free (scenario->name_en);
  g_free (scenario->segment);
  g_clear_pointer (&scenario->steps, g_ptr_array_unref);
  g_free (scenario);
}

void
relance_template_text_free (RelanceTemplateText *text)
{
  if (text == NULL)
    return;
  g_free (text->key);
  g_free (text->language);
  g_free (text->subject);
  g_free (text->body);
  g_free (text);
}

int
relance_tone_rank (const char *tone)
{
  if (g_strcmp0 (tone, "formal-notice") == 0)
    return 2;
  if (g_strcmp0 (tone, "firm") == 0)
    return 1;
  return 0;
}

const char *
relance_scenario_get_name (const RelanceScenario *scenario,
                           const char            *language)
{
  return g_strcmp0 (language, "fr") == 0 ? scenario->name_fr : scenario->name_en;
}

/* "Subject: …" on the first line, a blank line, then the body. */
gboolean
relance_template_text_split (const char  *contents,
                             char       **out_subject,
                             char       **out_body,
                             GError     **error)
{
  const char *eol;
  const char *body;

  if (contents == NULL || !g_str_has_prefix (contents, "Subject:"))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("1:1: a template file starts with a “Subject:” line."));
      return FALSE;
    }
  eol = strchr (contents, '\n');
  if (eol == NULL)
    {
      *out_subject = g_strstrip (g_strdup (contents + strlen ("Subject:")));
      *out_body = g_strdup ("");
      return TRUE;
    }
  *out_subject = g_strstrip (g_strndup (contents + strlen ("Subject:"),
                                        eol - contents - strlen ("Subject:")));
  body = eol + 1;
  if (*body == '\n')
    body++;
  *out_body = g_strdup (body);
  return TRUE;
}

RelanceTemplateText *
relance_template_text_load_shipped (const char  *key,
                                    const char  *language,
                                    GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/com/example/Relance/core/templates/%s/%s.txt",
                                           language, key);
  /* Looked up in our own resource, not the global table: in a static library nothing else
   * would pull the resource's object file (and its constructor) into the program. */
  g_autoptr(GBytes) bytes = g_resource_lookup_data (relance_core_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(RelanceTemplateText) text = NULL;
  g_autofree char *contents = NULL;

  if (bytes == NULL)
    return NULL;
  contents = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  text = g_new0 (RelanceTemplateText, 1);
  text->key = g_strdup (key);
  text->language = g_strdup (language);
  if (!relance_template_text_split (contents, &text->subject, &text->body, error))
    return NULL;
  return g_steal_pointer (&text);
}

GPtrArray *
relance_scenario_list_shipped (void)
{
  GPtrArray *scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_scenario_free);

  for (guint i = 0; i < G_N_ELEMENTS (shipped_scenarios); i++)
    {
      const ShippedScenario *sc = &shipped_scenarios[i];
      RelanceScenario *scenario = g_new0 (RelanceScenario, 1);

      scenario->key = g_strdup (sc->key);
      scenario->name_fr = g_strdup (sc->name_fr);
      scenario->name_en = g_strdup (sc->name_en);
      scenario->segment = g_strdup (sc->segment);
      scenario->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_step_free);
      for (guint s = 0; s < sc->n_steps; s++)
        {
          const ShippedStep *st = &sc->steps[s];
          RelanceStep *step = g_new0 (RelanceStep, 1);

          step->offset_days = st->offset_days;
          step->channel = g_strdup (st->channel);
          step->template_key = g_strdup (st->template_key);
          step->tone = g_strdup (st->tone);
          step->penalties = st->penalties;
          step->with_letter = st->with_letter;
          step->deadline_days = st->deadline_days;
          g_ptr_array_add (scenario->steps, step);
        }
      g_ptr_array_add (scenarios, scenario);
    }
  return scenarios;
}
