/* relance-store-scenarios.c: the scenarios, their steps and the templates (tables of
 * migration 3): seeding the shipped ones, reading them for the planner and the editors,
 * saving the owner's edits. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-error.h"
#include "relance-store-private.h"
#include "relance-store-scenarios.h"
#include "relance-template.h"

/* Adds @step to scenario @scenario_id (a new step: its id is set). */
static gboolean
insert_step (RelanceStore  *store,
             gint64         scenario_id,
             RelanceStep   *step,
             GError       **error)
{
  /* Only a step switched off names the column: migration 3 seeds steps before
   * migration 12 adds it (enabled by default). */
  sqlite3_stmt *stmt = relance_store_prepare (store, step->disabled
    ? "INSERT INTO scenario_steps (scenario_id, offset_days, channel, template_key, tone, "
      "penalties, with_letter, deadline_days, enabled) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)"
    : "INSERT INTO scenario_steps (scenario_id, offset_days, channel, template_key, tone, "
      "penalties, with_letter, deadline_days) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, scenario_id);
  sqlite3_bind_int (stmt, 2, step->offset_days);
  sqlite3_bind_text (stmt, 3, step->channel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, step->template_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, step->tone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, step->penalties ? 1 : 0);
  sqlite3_bind_int (stmt, 7, step->with_letter ? 1 : 0);
  sqlite3_bind_int (stmt, 8, step->deadline_days);
  if (!relance_store_step_done (store, stmt, error))
    return FALSE;
  step->id = sqlite3_last_insert_rowid (relance_store_get_db (store));
  return TRUE;
}

gboolean
relance_store_seed_scenarios (RelanceStore  *store,
                              GError       **error)
{
  static const char *languages[] = { "fr", "en" };
  const char * const *keys = relance_template_shipped_keys ();
  g_autoptr(GPtrArray) scenarios = relance_scenario_list_shipped ();

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (keys[i], languages[l], error);

        if (text == NULL || !relance_store_save_template (store, text, error))
          return FALSE;
      }

  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *sc = g_ptr_array_index (scenarios, i);
      sqlite3_stmt *stmt = relance_store_prepare (store,
        "INSERT INTO scenarios (key, name_fr, name_en, segment) VALUES (?1, ?2, ?3, ?4)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, sc->key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sc->name_fr, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, sc->name_en, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, sc->segment, -1, SQLITE_TRANSIENT);
      if (!relance_store_step_done (store, stmt, error))
        return FALSE;
      sc->id = sqlite3_last_insert_rowid (relance_store_get_db (store));
      for (guint s = 0; s < sc->steps->len; s++)
        if (!insert_step (store, sc->id, g_ptr_array_index (sc->steps, s), error))
          return FALSE;
    }
  relance_store_note_change (store, RELANCE_STORE_CHANGED_TEMPLATES, 0, 0);
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
          current->key = relance_store_column_dup (stmt, 1);
          current->name_fr = relance_store_column_dup (stmt, 2);
          current->name_en = relance_store_column_dup (stmt, 3);
          current->segment = relance_store_column_dup (stmt, 4);
          current->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_step_free);
          g_ptr_array_add (scenarios, current);
        }
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          RelanceStep *step = g_new0 (RelanceStep, 1);
          step->id = sqlite3_column_int64 (stmt, 5);
          step->offset_days = sqlite3_column_int (stmt, 6);
          step->channel = relance_store_column_dup (stmt, 7);
          step->template_key = relance_store_column_dup (stmt, 8);
          step->tone = relance_store_column_dup (stmt, 9);
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
      text->subject = relance_store_column_dup (stmt, 0);
      text->body = relance_store_column_dup (stmt, 1);
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
  if (!relance_store_step_done (store, stmt, error))
    return FALSE;
  relance_store_note_change (store, RELANCE_STORE_CHANGED_TEMPLATES, 0, 0);
  return TRUE;
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
      if (!relance_store_step_done (store, stmt, error))
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
      if (!relance_store_step_done (store, stmt, error))
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

          if (step->id == 0)
            {
              if (!insert_step (store, scenario->id, step, error))
                return FALSE;
              /* The caller's step stays new: the transaction may yet be rolled back. */
              step->id = 0;
              continue;
            }
          stmt = relance_store_prepare (store,
            "UPDATE scenario_steps SET offset_days = ?2, channel = ?3, template_key = ?4, "
            "tone = ?5, penalties = ?6, enabled = ?8 WHERE id = ?7 AND scenario_id = ?1",
            error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, scenario->id);
          sqlite3_bind_int (stmt, 2, step->offset_days);
          sqlite3_bind_text (stmt, 3, step->channel, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, step->template_key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, step->tone, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 6, step->penalties ? 1 : 0);
          sqlite3_bind_int64 (stmt, 7, step->id);
          sqlite3_bind_int (stmt, 8, step->disabled ? 0 : 1);
          if (!relance_store_step_done (store, stmt, error))
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
  relance_store_note_change (store, RELANCE_STORE_CHANGED_TEMPLATES, 0, 0);
  if (!write_steps (store, scenarios, removed_ids, n_removed, error)
      || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
