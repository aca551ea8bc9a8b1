/* relance-scenario.c: the shipped scenarios and templates, and reading/writing them. */
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

static gboolean
step_exec (RelanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

gboolean
relance_scenario_seed (RelanceStore  *store,
                       GError       **error)
{
  static const char *languages[] = { "fr", "en" };

  for (guint i = 0; shipped_template_keys[i] != NULL; i++)
    for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (shipped_template_keys[i], languages[l], error);

        if (text == NULL || !relance_store_save_template (store, text, error))
          return FALSE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (shipped_scenarios); i++)
    {
      const ShippedScenario *sc = &shipped_scenarios[i];
      sqlite3_stmt *stmt = relance_store_prepare (store,
        "INSERT INTO scenarios (key, name_fr, name_en, segment) VALUES (?1, ?2, ?3, ?4)", error);
      gint64 scenario_id;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, sc->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, sc->name_fr, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, sc->name_en, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, sc->segment, -1, SQLITE_STATIC);
      if (!step_exec (store, stmt, error))
        return FALSE;
      scenario_id = sqlite3_last_insert_rowid (relance_store_get_db (store));

      for (guint s = 0; s < sc->n_steps; s++)
        {
          const ShippedStep *st = &sc->steps[s];

          stmt = relance_store_prepare (store,
            "INSERT INTO scenario_steps (scenario_id, offset_days, channel, template_key, tone, "
            "penalties, with_letter, deadline_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, scenario_id);
          sqlite3_bind_int (stmt, 2, st->offset_days);
          sqlite3_bind_text (stmt, 3, st->channel, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, st->template_key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 5, st->tone, -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 6, st->penalties);
          sqlite3_bind_int (stmt, 7, st->with_letter);
          sqlite3_bind_int (stmt, 8, st->deadline_days);
          if (!step_exec (store, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

GPtrArray *
relance_store_list_scenarios (RelanceStore  *store,
                              GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT s.id, s.key, s.name_fr, s.name_en, s.segment, st.id, st.offset_days, st.channel, "
    "st.template_key, st.tone, st.penalties, st.with_letter, st.deadline_days, st.enabled "
    "FROM scenarios s LEFT JOIN scenario_steps st ON st.scenario_id = s.id "
    "ORDER BY s.id, st.offset_days, st.id", error);
  g_autoptr(GPtrArray) scenarios = NULL;
  RelanceScenario *current = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_scenario_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (current == NULL || current->id != id)
        {
          current = g_new0 (RelanceScenario, 1);
          current->id = id;
          current->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          current->name_fr = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          current->name_en = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          current->segment = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          current->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_step_free);
          g_ptr_array_add (scenarios, current);
        }
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          RelanceStep *step = g_new0 (RelanceStep, 1);
          step->id = sqlite3_column_int64 (stmt, 5);
          step->offset_days = sqlite3_column_int (stmt, 6);
          step->channel = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
          step->template_key = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
          step->tone = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
          step->penalties = sqlite3_column_int (stmt, 10) != 0;
          step->with_letter = sqlite3_column_int (stmt, 11) != 0;
          step->deadline_days = sqlite3_column_int (stmt, 12);
          step->disabled = sqlite3_column_int (stmt, 13) == 0;
          g_ptr_array_add (current->steps, step);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&scenarios);
}

RelanceTemplateText *
relance_store_get_template (RelanceStore  *store,
                            const char    *key,
                            const char    *language,
                            GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT subject, body FROM templates WHERE key = ?1 AND language = ?2", error);
  RelanceTemplateText *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      text = g_new0 (RelanceTemplateText, 1);
      text->key = g_strdup (key);
      text->language = g_strdup (language);
      text->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      text->body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (text == NULL)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                 /* Translators: first %s is a template name, second a language code */
                 _("There is no template “%s” in language “%s”."), key, language);
  return text;
}

/* Refuses a template that does not parse: a broken one is never saved. */
gboolean
relance_store_save_template (RelanceStore               *store,
                             const RelanceTemplateText  *text,
                             GError                    **error)
{
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;

  if (!relance_template_check (text->subject, &local))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the reason, starting with LINE:COLUMN */
                   _("Subject: %s"), local->message);
      return FALSE;
    }
  if (!relance_template_check (text->body, error))
    return FALSE;

  stmt = relance_store_prepare (store,
    "INSERT INTO templates (key, language, subject, body) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (key, language) DO UPDATE SET subject = excluded.subject, "
    "body = excluded.body", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text->language, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, text->body, -1, SQLITE_TRANSIENT);
  return step_exec (store, stmt, error);
}

GStrv
relance_store_list_template_keys (RelanceStore  *store,
                                  GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT DISTINCT key FROM templates ORDER BY key", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
relance_store_step_is_used (RelanceStore  *store,
                            gint64         step_id,
                            gboolean      *out_used,
                            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (out_used != NULL, FALSE);

  *out_used = FALSE;
  if (step_id == 0)
    return TRUE;
  stmt = relance_store_prepare (store, "SELECT 1 FROM reminders WHERE step_id = ?1 LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  *out_used = rc == SQLITE_ROW;
  return TRUE;
}

/* Offsets are unique per scenario and two steps may swap days: the saved steps are first
 * parked on days no step uses, before or after this save, then given their own. */
static gboolean
park_steps (RelanceStore     *store,
            RelanceScenario  *scenario,
            GError          **error)
{
  gboolean used[RELANCE_STEP_MAX_OFFSET - RELANCE_STEP_MIN_OFFSET + 1] = { FALSE, };
  sqlite3_stmt *stmt;
  int next = RELANCE_STEP_MIN_OFFSET;
  int rc;

  if ((stmt = relance_store_prepare (store,
         "SELECT offset_days FROM scenario_steps WHERE scenario_id = ?1", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, scenario->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    used[CLAMP (sqlite3_column_int (stmt, 0), RELANCE_STEP_MIN_OFFSET, RELANCE_STEP_MAX_OFFSET)
         - RELANCE_STEP_MIN_OFFSET] = TRUE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  for (guint s = 0; s < scenario->steps->len; s++)
    {
      RelanceStep *step = g_ptr_array_index (scenario->steps, s);

      used[CLAMP (step->offset_days, RELANCE_STEP_MIN_OFFSET, RELANCE_STEP_MAX_OFFSET)
           - RELANCE_STEP_MIN_OFFSET] = TRUE;
    }

  for (guint s = 0; s < scenario->steps->len; s++)
    {
      RelanceStep *step = g_ptr_array_index (scenario->steps, s);

      if (step->id == 0)
        continue;
      while (next <= RELANCE_STEP_MAX_OFFSET && used[next - RELANCE_STEP_MIN_OFFSET])
        next++;
      if (next > RELANCE_STEP_MAX_OFFSET)
        break;
      if ((stmt = relance_store_prepare (store,
             "UPDATE scenario_steps SET offset_days = ?1 WHERE id = ?2", error)) == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, next);
      sqlite3_bind_int64 (stmt, 2, step->id);
      if (!step_exec (store, stmt, error))
        return FALSE;
      used[next - RELANCE_STEP_MIN_OFFSET] = TRUE;
    }
  return TRUE;
}

static gboolean
write_steps (RelanceStore  *store,
             GPtrArray     *scenarios,
             const gint64  *removed_ids,
             guint          n_removed,
             GError       **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_removed; i++)
    {
      if ((stmt = relance_store_prepare (store, "DELETE FROM scenario_steps WHERE id = ?1",
                                         error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, removed_ids[i]);
      if (!step_exec (store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *scenario = g_ptr_array_index (scenarios, i);

      if (!park_steps (store, scenario, error))
        return FALSE;

      for (guint s = 0; s < scenario->steps->len; s++)
        {
          RelanceStep *step = g_ptr_array_index (scenario->steps, s);

          if (step->id != 0)
            stmt = relance_store_prepare (store,
              "UPDATE scenario_steps SET offset_days = ?2, channel = ?3, template_key = ?4, "
              "tone = ?5, penalties = ?6, enabled = ?8 WHERE id = ?7 AND scenario_id = ?1",
              error);
          else
            stmt = relance_store_prepare (store,
              "INSERT INTO scenario_steps (scenario_id, offset_days, channel, template_key, "
              "tone, penalties, enabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, scenario->id);
          sqlite3_bind_int (stmt, 2, step->offset_days);
          sqlite3_bind_text (stmt, 3, step->channel, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, step->template_key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, step->tone, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 6, step->penalties ? 1 : 0);
          sqlite3_bind_int (stmt, 8, step->disabled ? 0 : 1);
          if (step->id != 0)
            sqlite3_bind_int64 (stmt, 7, step->id);
          if (!step_exec (store, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
relance_store_save_scenario_steps (RelanceStore  *store,
                                   GPtrArray     *scenarios,
                                   const gint64  *removed_ids,
                                   guint          n_removed,
                                   GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (scenarios != NULL, FALSE);
  g_return_val_if_fail (removed_ids != NULL || n_removed == 0, FALSE);

  if (!relance_store_begin (store, error))
    return FALSE;
  if (!write_steps (store, scenarios, removed_ids, n_removed, error)
      || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
