/* relance-cli-ab.c: `relance ab start|status|stop` (A/B tests of reminder texts) and
 * `relance preview NUMBER --send-to-me` (a test sent to the owner). A step is named
 * SCENARIO:OFFSET, as in `relance ab start standard:+8 --variant texte-b.txt`. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "relance-ab.h"
#include "relance-cli-private.h"
#include "relance-clock.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-store-ab.h"
#include "relance-template.h"
#include "relance-test-send.h"

/* ---- ab start ---------------------------------------------------------------------- */

static int
ab_start (CliContext *ctx, const char *step_name, const char *file, const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario_key = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *name = NULL;
  g_autoptr(RelanceAbTest) test = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  RelanceTemplateText text = { 0 };
  RelanceStore *store;
  int offset = 0;
  int status = 0;

  if (!relance_ab_parse_step_name (step_name, &scenario_key, &offset, &error))
    return relance_cli_usage_error ("%s", error->message);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (language != NULL)
    lang = g_strdup (language);
  else
    {
      g_autoptr(RelanceCompany) company = relance_store_get_company (store, &error);

      if (company == NULL)
        return relance_cli_fail (error);
      lang = g_strdup (company->language);
    }
  if (!g_file_get_contents (file, &contents, NULL, &error))
    return relance_cli_fail (error);
  text.language = lang;
  if (!relance_template_text_split (contents, &text.subject, &text.body, &error))
    return relance_cli_fail (error);
  test = relance_store_ab_start (store, scenario_key, offset, &text, now, &error);
  if (test == NULL)
    status = relance_cli_fail (g_steal_pointer (&error));
  else
    {
      name = relance_ab_format_step_name (test->scenario_key, test->offset_days);
      /* Translators: first %s is a step such as standard:+8, second a language code */
      g_print (_("A/B test running on step %s: about half of the clients writing in “%s” get "
                 "text B from now on; the others keep text A."), name, lang);
      g_print ("\n");
    }
  g_free (text.subject);
  g_free (text.body);
  return status;
}

/* ---- ab stop ----------------------------------------------------------------------- */

static int
ab_stop (CliContext *ctx, const char *step_name, const char *keep)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario_key = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  RelanceStore *store;
  int offset = 0;

  if (!relance_ab_parse_step_name (step_name, &scenario_key, &offset, &error))
    return relance_cli_usage_error ("%s", error->message);
  if (keep == NULL || (!g_str_equal (keep, "a") && !g_str_equal (keep, "b")))
    return relance_cli_usage_error (_("“ab stop” needs --keep a or --keep b."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (!relance_store_ab_stop (store, scenario_key, offset, keep[0], now, &error))
    return relance_cli_fail (error);
  if (keep[0] == 'b')
    /* Translators: %s is a step such as standard:+8 */
    g_print (_("A/B test of step %s stopped: text B is now the step’s text."), step_name);
  else
    /* Translators: %s is a step such as standard:+8 */
    g_print (_("A/B test of step %s stopped: the step keeps text A."), step_name);
  g_print ("\n");
  return 0;
}

/* ---- ab status --------------------------------------------------------------------- */

static void
json_counts (JsonBuilder *b, char variant, const RelanceAbCounts *c)
{
  const char name[2] = { variant, '\0' };

  json_builder_begin_object (b);
  relance_cli_json_string_member (b, "variant", name);
  json_builder_set_member_name (b, "sent");
  json_builder_add_int_value (b, c->sent);
  json_builder_set_member_name (b, "paid_7d");
  json_builder_add_int_value (b, c->paid_7d);
  json_builder_set_member_name (b, "paid_14d");
  json_builder_add_int_value (b, c->paid_14d);
  json_builder_set_member_name (b, "median_days");
  if (isnan (c->median_days))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, c->median_days);
  /* The reminders the test judges: sent at least 14 days ago, and those paid within 14. */
  json_builder_set_member_name (b, "judged");
  json_builder_add_int_value (b, c->judged);
  json_builder_set_member_name (b, "judged_paid");
  json_builder_add_int_value (b, c->judged_paid);
  json_builder_end_object (b);
}

static char *
iso_date (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static int
ab_status (CliContext *ctx, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tests = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean json = g_strcmp0 (format, "json") == 0;
  RelanceStore *store;

  if (format != NULL && !json && !g_str_equal (format, "text"))
    return relance_cli_usage_error (_("--format is text or json."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((tests = relance_store_ab_list (store, FALSE, &error)) == NULL)
    return relance_cli_fail (error);

  json_builder_begin_array (b);
  if (!json && tests->len == 0)
    g_print ("%s\n", _("No A/B test: start one with “relance ab start STEP --variant FILE”."));
  for (guint i = 0; i < tests->len; i++)
    {
      RelanceAbTest *test = g_ptr_array_index (tests, i);
      g_autofree char *name = relance_ab_format_step_name (test->scenario_key,
                                                           test->offset_days);
      g_autofree char *started = iso_date (test->started_at);
      g_auto(RelanceAbSummary) summary = { 0 };
      RelanceAbCounts counts[2];

      if (!relance_store_ab_counts (store, test->id, now, counts, &error))
        return relance_cli_fail (error);
      relance_ab_summarise (counts[0].judged, counts[0].judged_paid, counts[1].judged,
                            counts[1].judged_paid, &summary);
      if (json)
        {
          const char kept[2] = { test->kept, '\0' };

          json_builder_begin_object (b);
          relance_cli_json_string_member (b, "step", name);
          relance_cli_json_string_member (b, "template", test->template_key);
          json_builder_set_member_name (b, "running");
          json_builder_add_boolean_value (b, test->stopped_at == 0);
          relance_cli_json_string_member (b, "started", started);
          if (test->stopped_at != 0)
            {
              g_autofree char *stopped = iso_date (test->stopped_at);
              relance_cli_json_string_member (b, "stopped", stopped);
              relance_cli_json_string_member (b, "kept", kept);
            }
          json_builder_set_member_name (b, "languages");
          json_builder_begin_array (b);
          for (guint t = 0; t < test->texts->len; t++)
            json_builder_add_string_value (b, ((RelanceTemplateText *)
                                               g_ptr_array_index (test->texts, t))->language);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "variants");
          json_builder_begin_array (b);
          json_counts (b, 'a', &counts[0]);
          json_counts (b, 'b', &counts[1]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "probability_better");
          json_builder_add_double_value (b, round (summary.probability_better * 10000) / 10000);
          json_builder_set_member_name (b, "needed_per_variant");
          json_builder_add_int_value (b, summary.needed);
          relance_cli_json_string_member (b, "verdict",
                                          relance_ab_verdict_to_string (summary.verdict));
          relance_cli_json_string_member (b, "sentence", summary.sentence);
          json_builder_end_object (b);
          continue;
        }

      if (test->stopped_at == 0)
        /* Translators: %s is a step such as standard:+8, then a template name */
        g_print (_("Step %s (text A: %s), running since %s\n"), name, test->template_key,
                 started);
      else
        /* Translators: %s is a step such as standard:+8, then the text kept, A or B */
        g_print (_("Step %s, stopped; kept text %c\n"), name, g_ascii_toupper (test->kept));
      for (int v = 0; v < 2; v++)
        {
          g_autofree char *median = isnan (counts[v].median_days)
                                      ? g_strdup ("—")
                                      : g_strdup_printf ("%.1f", counts[v].median_days);
          /* Translators: one line per text of an A/B test: the letter, reminders sent, paid
           * within 7 and 14 days, median days to payment */
          g_print (_("  %c: %u sent, %u paid within 7 days, %u within 14 days, median %s days\n"),
                   v == 0 ? 'A' : 'B', counts[v].sent, counts[v].paid_7d, counts[v].paid_14d,
                   median);
        }
      g_print ("  %s\n", summary.sentence);
    }
  json_builder_end_array (b);
  if (json)
    relance_cli_print_json (b);
  return 0;
}

int
relance_cli_cmd_ab (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  g_autofree char *variant = NULL;
  g_autofree char *language = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *format = NULL;
  int argc = 0;
  GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_FILENAME, &variant,
      N_("With start: the template file of text B (“Subject: …”, a blank line, the body)"),
      N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("With start: the language of text B (default: the company’s)"), "fr|en" },
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep,
      N_("With stop: the text the step keeps"), "a|b" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("With status: output format"),
      "text|json" },
    G_OPTION_ENTRY_NULL
  };

  if (!relance_cli_parse_options (entries, "start STEP --variant FILE | status | stop STEP "
                                  "--keep a|b", &argv, &argc))
    return EXIT_USAGE;
  if (argc >= 2 && g_str_equal (argv[1], "status") && argc == 2)
    return ab_status (ctx, format);
  if (argc == 3 && g_str_equal (argv[1], "start"))
    {
      if (variant == NULL)
        return relance_cli_usage_error (_("“ab start” needs --variant FILE."));
      if (language != NULL && !g_str_equal (language, "fr") && !g_str_equal (language, "en"))
        return relance_cli_usage_error (_("--language is fr or en."));
      return ab_start (ctx, argv[2], variant, language);
    }
  if (argc == 3 && g_str_equal (argv[1], "stop"))
    return ab_stop (ctx, argv[2], keep);
  return relance_cli_usage_error (_("Use “ab start STEP --variant FILE”, “ab status” or "
                                    "“ab stop STEP --keep a|b”; a step is SCENARIO:OFFSET, "
                                    "for example standard:+8."));
}

/* ---- preview NUMBER --send-to-me ------------------------------------------------------ */

int
relance_cli_preview_send_to_me (CliContext *ctx,
                                const char *number,
                                const char *template_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *address = NULL;
  RelanceStore *store;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((invoice = relance_store_get_invoice (store, number, &error)) == NULL)
    return relance_cli_fail (error);

  if (template_key != NULL)
    {
      g_autoptr(RelanceClient) client = relance_store_get_client (store, invoice->client_id,
                                                                  &error);
      g_autoptr(RelanceTemplateText) tpl = NULL;
      g_autoptr(RelanceTemplate) subject_tpl = NULL;
      g_autoptr(RelanceTemplate) body_tpl = NULL;
      g_autoptr(RelanceTemplateValues) values = NULL;
      const char *language;

      if (client == NULL)
        return relance_cli_fail (error);
      language = client->language != NULL ? client->language : "fr";
      if ((tpl = relance_store_get_template (store, template_key, language, &error)) == NULL
          || (subject_tpl = relance_template_parse (tpl->subject, &error)) == NULL
          || (body_tpl = relance_template_parse (tpl->body, &error)) == NULL
          || (values = relance_planner_preview_values (store, number, language, now,
                                                       &error)) == NULL)
        return relance_cli_fail (error);
      relance_planner_render_values (subject_tpl, body_tpl, values, &subject, &text, &html);
    }
  else
    {
      g_autoptr(GPtrArray) messages = relance_planner_plan (store, now, NULL, RELANCE_PLAN_ALL,
                                                            &error);

      if (messages == NULL)
        return relance_cli_fail (error);
      for (guint i = 0; i < messages->len && text == NULL; i++)
        {
          RelancePlannedMessage *msg = g_ptr_array_index (messages, i);

          for (guint j = 0; j < msg->invoices->len && text == NULL; j++)
            {
              RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);

              if (p->invoice->id == invoice->id
                  && !relance_planner_render (store, msg, &subject, &text, &html, &error))
                return relance_cli_fail (error);
            }
        }
      if (text == NULL)
        {
          g_printerr ("relance: ");
          /* Translators: %s is an invoice number; keep --template KEY as it is */
          g_printerr (_("No reminder is planned for invoice %s: name a template with "
                        "--template KEY to send that one."), invoice->number);
          g_printerr ("\n");
          return 1;
        }
    }

  if (!relance_test_send (store, subject, text, html, &address, &error))
    return relance_cli_fail (error);
  /* Translators: %s is the owner's email address */
  g_print (_("Test sent to %s, marked [TEST]; it does not count as a reminder."), address);
  g_print ("\n");
  return 0;
}
