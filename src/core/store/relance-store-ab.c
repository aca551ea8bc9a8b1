/* relance-store-ab.c: A/B tests of reminder texts (their texts, their split, their counts)
 * and the switch of optional steps. See relance-store-ab.h. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relance-ab.h"
#include "relance-error.h"
#include "relance-store-private.h"
#include "relance-store-ab.h"
#include "relance-template.h"

void
relance_ab_test_free (RelanceAbTest *test)
{
  if (test == NULL)
    return;
  g_free (test->scenario_key);
  g_free (test->template_key);
  g_free (test->salt);
  g_clear_pointer (&test->texts, g_ptr_array_unref);
  g_free (test);
}

const RelanceTemplateText *
relance_ab_test_get_text (const RelanceAbTest *test,
                          const char          *language)
{
  for (guint i = 0; test->texts != NULL && i < test->texts->len; i++)
    {
      const RelanceTemplateText *text = g_ptr_array_index (test->texts, i);

      if (g_strcmp0 (text->language, language) == 0)
        return text;
    }
  return NULL;
}

static gboolean
run (RelanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return relance_store_set_error (store, error);
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
relance_ab_parse_step_name (const char  *name,
                            char       **out_scenario_key,
                            int         *out_offset_days,
                            GError     **error)
{
  const char *colon = name != NULL ? strchr (name, ':') : NULL;
  gint64 offset;

  if (colon == NULL || colon == name || colon[1] == '\0'
      || !g_ascii_string_to_signed (colon[1] == '+' ? colon + 2 : colon + 1, 10,
                                    RELANCE_STEP_MIN_OFFSET, RELANCE_STEP_MAX_OFFSET, &offset,
                                    NULL)
      || (colon[1] == '+' && colon[2] == '-'))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is what the user typed; keep SCENARIO:OFFSET and the
                    * example as they are */
                   _("“%s” is not a step: name it SCENARIO:OFFSET, for example standard:+8."),
                   name != NULL ? name : "");
      return FALSE;
    }
  *out_scenario_key = g_strndup (name, colon - name);
  *out_offset_days = (int) offset;
  return TRUE;
}

char *
relance_ab_format_step_name (const char *scenario_key,
                             int         offset_days)
{
  return g_strdup_printf ("%s:%s%d", scenario_key, offset_days > 0 ? "+" : "", offset_days);
}

/* The step @scenario_key:@offset_days, which must be an email step. */
static gboolean
find_email_step (RelanceStore  *store,
                 const char    *scenario_key,
                 int            offset_days,
                 gint64        *out_step_id,
                 char         **out_template_key,
                 GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT st.id, st.channel, st.template_key FROM scenario_steps st "
    "JOIN scenarios s ON s.id = st.scenario_id WHERE s.key = ?1 AND st.offset_days = ?2", error);
  g_autofree char *channel = NULL;
  g_autofree char *name = relance_ab_format_step_name (scenario_key, offset_days);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scenario_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, offset_days);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_step_id = sqlite3_column_int64 (stmt, 0);
      channel = column_dup (stmt, 1);
      *out_template_key = column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a step such as standard:+8 */
                   _("There is no step %s: see the scenarios’ steps with “relance plan” or in "
                     "the window."), name);
      return FALSE;
    }
  if (g_strcmp0 (channel, "email") != 0)
    {
      g_clear_pointer (out_template_key, g_free);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is a step such as standard:+45 */
                   _("Step %s is not an email: only the texts of emails can be tested."), name);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
load_texts (RelanceStore *store, gint64 test_id, const char *template_key, GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT language, subject, body FROM ab_variants WHERE test_id = ?1 ORDER BY language",
    error);
  g_autoptr(GPtrArray) texts = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  texts = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_template_text_free);
  sqlite3_bind_int64 (stmt, 1, test_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceTemplateText *text = g_new0 (RelanceTemplateText, 1);

      text->key = g_strdup (template_key);
      text->language = column_dup (stmt, 0);
      text->subject = column_dup (stmt, 1);
      text->body = column_dup (stmt, 2);
      g_ptr_array_add (texts, text);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&texts);
}

static GPtrArray *
list_tests (RelanceStore *store, gint64 step_id, gboolean running_only, GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT t.id, t.step_id, s.key, st.offset_days, st.template_key, t.salt, t.started_at, "
    "coalesce (t.stopped_at, 0), t.kept FROM ab_tests t "
    "JOIN scenario_steps st ON st.id = t.step_id JOIN scenarios s ON s.id = st.scenario_id "
    "WHERE (?1 = 0 OR t.step_id = ?1) AND (?2 = 0 OR t.stopped_at IS NULL) "
    "ORDER BY t.stopped_at IS NOT NULL, coalesce (t.stopped_at, 0) DESC, s.id, st.offset_days",
    error);
  g_autoptr(GPtrArray) tests = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tests = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_ab_test_free);
  sqlite3_bind_int64 (stmt, 1, step_id);
  sqlite3_bind_int (stmt, 2, running_only ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceAbTest *test = g_new0 (RelanceAbTest, 1);
      const char *kept = (const char *) sqlite3_column_text (stmt, 8);

      test->id = sqlite3_column_int64 (stmt, 0);
      test->step_id = sqlite3_column_int64 (stmt, 1);
      test->scenario_key = column_dup (stmt, 2);
      test->offset_days = sqlite3_column_int (stmt, 3);
      test->template_key = column_dup (stmt, 4);
      test->salt = column_dup (stmt, 5);
      test->started_at = sqlite3_column_int64 (stmt, 6);
      test->stopped_at = sqlite3_column_int64 (stmt, 7);
      test->kept = kept != NULL ? kept[0] : 0;
      g_ptr_array_add (tests, test);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  for (guint i = 0; i < tests->len; i++)
    {
      RelanceAbTest *test = g_ptr_array_index (tests, i);

      if ((test->texts = load_texts (store, test->id, test->template_key, error)) == NULL)
        return NULL;
    }
  return g_steal_pointer (&tests);
}

GPtrArray *
relance_store_ab_list (RelanceStore  *store,
                       gboolean       running_only,
                       GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  return list_tests (store, 0, running_only, error);
}

RelanceAbTest *
relance_store_ab_get_running (RelanceStore  *store,
                              gint64         step_id,
                              GError       **error)
{
  g_autoptr(GPtrArray) tests = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  if (step_id == 0 || (tests = list_tests (store, step_id, TRUE, error)) == NULL
      || tests->len == 0)
    return NULL;
  return g_ptr_array_steal_index (tests, 0);
}

static gboolean
check_text (const RelanceTemplateText *text, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (g_strcmp0 (text->language, "fr") != 0 && g_strcmp0 (text->language, "en") != 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is a language code */
                   _("“%s” is not a language of reminders: use fr or en."),
                   text->language != NULL ? text->language : "");
      return FALSE;
    }
  if (!relance_template_check (text->subject, &local))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the reason, starting with LINE:COLUMN */
                   _("Subject: %s"), local->message);
      return FALSE;
    }
  return relance_template_check (text->body, error);
}

static gboolean
start_in_transaction (RelanceStore               *store,
                      const char                 *scenario_key,
                      int                         offset_days,
                      const RelanceTemplateText  *text_b,
                      GDateTime                  *now,
                      gint64                     *out_test_id,
                      GError                    **error)
{
  g_autofree char *template_key = NULL;
  g_autoptr(RelanceAbTest) running = NULL;
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;
  gint64 step_id = 0;

  if (!find_email_step (store, scenario_key, offset_days, &step_id, &template_key, error))
    return FALSE;
  running = relance_store_ab_get_running (store, step_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (running != NULL)
    *out_test_id = running->id;
  else
    {
      g_autofree char *salt = relance_ab_new_salt ();

      if ((stmt = relance_store_prepare (store,
             "INSERT INTO ab_tests (step_id, salt, started_at) VALUES (?1, ?2, ?3)",
             error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, step_id);
      sqlite3_bind_text (stmt, 2, salt, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_date_time_to_unix (now));
      if (!run (store, stmt, error))
        return FALSE;
      *out_test_id = sqlite3_last_insert_rowid (relance_store_get_db (store));
    }

  if ((stmt = relance_store_prepare (store,
         "INSERT INTO ab_variants (test_id, language, subject, body) VALUES (?1, ?2, ?3, ?4) "
         "ON CONFLICT (test_id, language) DO UPDATE SET subject = excluded.subject, "
         "body = excluded.body", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *out_test_id);
  sqlite3_bind_text (stmt, 2, text_b->language, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text_b->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, text_b->body, -1, SQLITE_TRANSIENT);
  return run (store, stmt, error);
}

RelanceAbTest *
relance_store_ab_start (RelanceStore               *store,
                        const char                 *scenario_key,
                        int                         offset_days,
                        const RelanceTemplateText  *text_b,
                        GDateTime                  *now,
                        GError                    **error)
{
  g_autoptr(GPtrArray) tests = NULL;
  gint64 test_id = 0;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (scenario_key != NULL && text_b != NULL && now != NULL, NULL);

  if (!check_text (text_b, error) || !relance_store_begin (store, error))
    return NULL;
  if (!start_in_transaction (store, scenario_key, offset_days, text_b, now, &test_id, error)
      || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return NULL;
    }
  if ((tests = list_tests (store, 0, TRUE, error)) == NULL)
    return NULL;
  for (guint i = 0; i < tests->len; i++)
    if (((RelanceAbTest *) g_ptr_array_index (tests, i))->id == test_id)
      return g_ptr_array_steal_index (tests, i);
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                       _("The test was saved but could not be read back."));
  return NULL;
}

static gboolean
keep_b (RelanceStore *store, const RelanceAbTest *test, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *key = g_strdup (test->template_key);
  gboolean shared;
  int rc;

  if ((stmt = relance_store_prepare (store,
         "SELECT 1 FROM scenario_steps WHERE template_key = ?1 AND id <> ?2 LIMIT 1",
         error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, test->template_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, test->step_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  shared = rc == SQLITE_ROW;

  if (shared)
    {
      /* The other steps keep text A: this one gets a copy of its own. */
      g_free (key);
      key = g_strdup_printf ("%s-b%" G_GINT64_FORMAT, test->template_key, test->id);
      if ((stmt = relance_store_prepare (store,
             "INSERT OR REPLACE INTO templates (key, language, subject, body) "
             "SELECT ?1, language, subject, body FROM templates WHERE key = ?2", error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, test->template_key, -1, SQLITE_TRANSIENT);
      if (!run (store, stmt, error))
        return FALSE;
      if ((stmt = relance_store_prepare (store,
             "UPDATE scenario_steps SET template_key = ?1 WHERE id = ?2", error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, test->step_id);
      if (!run (store, stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < test->texts->len; i++)
    {
      const RelanceTemplateText *b = g_ptr_array_index (test->texts, i);
      RelanceTemplateText text = { .key = key, .language = b->language, .subject = b->subject,
                                   .body = b->body };

      if (!relance_store_save_template (store, &text, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_ab_stop (RelanceStore  *store,
                       const char    *scenario_key,
                       int            offset_days,
                       char           keep,
                       GDateTime     *now,
                       GError       **error)
{
  g_autofree char *template_key = NULL;
  g_autofree char *name = relance_ab_format_step_name (scenario_key, offset_days);
  g_autoptr(RelanceAbTest) test = NULL;
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;
  gint64 step_id = 0;
  const char kept[2] = { keep, '\0' };

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (keep == 'a' || keep == 'b', FALSE);

  if (!relance_store_begin (store, error))
    return FALSE;
  if (!find_email_step (store, scenario_key, offset_days, &step_id, &template_key, error))
    goto fail;
  test = relance_store_ab_get_running (store, step_id, &local);
  if (test == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                     /* Translators: %s is a step such as standard:+8 */
                     _("No test is running on step %s."), name);
      goto fail;
    }
  if (keep == 'b' && !keep_b (store, test, error))
    goto fail;
  if ((stmt = relance_store_prepare (store,
         "UPDATE ab_tests SET stopped_at = ?1, kept = ?2 WHERE id = ?3", error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (now));
  sqlite3_bind_text (stmt, 2, kept, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, test->id);
  if (!run (store, stmt, error) || !relance_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (store);
  return FALSE;
}

gboolean
relance_store_ab_counts (RelanceStore     *store,
                         gint64            test_id,
                         GDateTime        *now,
                         RelanceAbCounts   out[2],
                         GError          **error)
{
  /* Each invoice of each message sent with a variant; "paid" is paid in full, on the day of
   * the payment that completed it (its latest). */
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT o.ab_variant, o.sent_at, i.total, "
    "  (SELECT coalesce (sum (p.amount), 0) FROM payments p WHERE p.invoice_id = i.id), "
    "  (SELECT max (p.date) FROM payments p WHERE p.invoice_id = i.id) "
    "FROM outbox o JOIN reminders r ON r.outbox_id = o.id JOIN invoices i ON i.id = r.invoice_id "
    "WHERE o.ab_test_id = ?1 AND o.ab_variant IS NOT NULL AND o.state = 'sent' "
    "AND o.sent_at IS NOT NULL", error);
  g_autoptr(GArray) days_a = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) days_b = g_array_new (FALSE, FALSE, sizeof (int));
  gint64 judged_before = g_date_time_to_unix (now) - 14 * 86400;
  int rc;

  memset (out, 0, 2 * sizeof (RelanceAbCounts));
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, test_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *variant = (const char *) sqlite3_column_text (stmt, 0);
      gint64 sent_at = sqlite3_column_int64 (stmt, 1);
      gboolean paid = sqlite3_column_int64 (stmt, 3) >= sqlite3_column_int64 (stmt, 2)
                      && sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      gboolean is_b = variant != NULL && variant[0] == 'b';
      RelanceAbCounts *c = &out[is_b ? 1 : 0];
      int days = 0;

      c->sent++;
      if (sent_at <= judged_before)
        c->judged++;
      if (paid)
        {
          g_autoptr(GDateTime) sent = g_date_time_new_from_unix_utc (sent_at);
          GDate sent_day, paid_day;

          g_date_clear (&sent_day, 1);
          g_date_set_dmy (&sent_day, g_date_time_get_day_of_month (sent),
                          g_date_time_get_month (sent), g_date_time_get_year (sent));
          g_date_clear (&paid_day, 1);
          g_date_set_parse (&paid_day, (const char *) sqlite3_column_text (stmt, 4));
          if (g_date_valid (&paid_day))
            days = MAX (0, g_date_days_between (&sent_day, &paid_day));
          if (days <= 7)
            c->paid_7d++;
          if (days <= 14)
            {
              c->paid_14d++;
              if (sent_at <= judged_before)
                c->judged_paid++;
            }
          g_array_append_val (is_b ? days_b : days_a, days);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  out[0].median_days = relance_ab_median ((int *) (void *) days_a->data, days_a->len);
  out[1].median_days = relance_ab_median ((int *) (void *) days_b->data, days_b->len);
  return TRUE;
}

void
relance_ab_report_free (RelanceAbReport *report)
{
  if (report == NULL)
    return;
  relance_ab_test_free (report->test);
  g_free (report->step_name);
  g_free (report->verdict);
  g_free (report->sentence);
  g_free (report);
}

GPtrArray *
relance_store_ab_reports (RelanceStore  *store,
                          gboolean       running_only,
                          GDateTime     *now,
                          GError       **error)
{
  g_autoptr(GPtrArray) tests = relance_store_ab_list (store, running_only, error);
  g_autoptr(GPtrArray) reports = NULL;

  if (tests == NULL)
    return NULL;
  reports = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_ab_report_free);
  for (guint i = 0; i < tests->len; i++)
    {
      RelanceAbReport *report = g_new0 (RelanceAbReport, 1);
      g_auto(RelanceAbSummary) summary = { 0 };

      report->test = g_steal_pointer (&tests->pdata[i]);
      g_ptr_array_add (reports, report);
      report->step_name = relance_ab_format_step_name (report->test->scenario_key,
                                                       report->test->offset_days);
      if (!relance_store_ab_counts (store, report->test->id, now, report->counts, error))
        return NULL;
      relance_ab_summarise (report->counts[0].judged, report->counts[0].judged_paid,
                            report->counts[1].judged, report->counts[1].judged_paid, &summary);
      report->probability_better = summary.probability_better;
      report->verdict = g_strdup (relance_ab_verdict_to_string (summary.verdict));
      report->sentence = g_steal_pointer (&summary.sentence);
    }
  return g_steal_pointer (&reports);
}

gboolean
relance_store_set_step_enabled (RelanceStore  *store,
                                gint64         step_id,
                                gboolean       enabled,
                                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "UPDATE scenario_steps SET enabled = ?1 WHERE id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, enabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, step_id);
  if (!run (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (relance_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                           _("That step no longer exists."));
      return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_ab_migrate_data (RelanceStore  *store,
                               GError       **error)
{
  static const char *languages[] = { "fr", "en" };
  const char * const *keys = relance_template_shipped_keys ();
  sqlite3_stmt *stmt;

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; g_str_has_prefix (keys[i], RELANCE_WHATSAPP_TEMPLATE_PREFIX)
                      && l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (keys[i], languages[l], error);

        if (text == NULL)
          return FALSE;
        if ((stmt = relance_store_prepare (store, "INSERT OR IGNORE INTO templates (key, "
                                           "language, subject, body) VALUES (?1, ?2, ?3, ?4)",
                                           error)) == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, text->key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, text->language, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 3, text->subject, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 4, text->body, -1, SQLITE_TRANSIENT);
        if (!run (store, stmt, error))
          return FALSE;
      }

  /* The Gentle scenario's nudge, switched off, unless the owner already has a step that day. */
  if ((stmt = relance_store_prepare (store,
         "INSERT INTO scenario_steps (scenario_id, offset_days, channel, template_key, tone, "
         "enabled) SELECT s.id, ?1, 'task', 'whatsapp-nudge', 'courteous', 0 FROM scenarios s "
         "WHERE s.key = 'gentle' AND NOT EXISTS (SELECT 1 FROM scenario_steps st "
         "WHERE st.scenario_id = s.id AND st.offset_days = ?1)", error)) == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, RELANCE_GENTLE_WHATSAPP_OFFSET);
  return run (store, stmt, error);
}
