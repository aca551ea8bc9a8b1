/* relance-cli-engine.c: the reminder engine's commands: plan, preview, template check,
 * invoice and client states, rates, settings and the company profile.
 * (Over 800 lines: small commands, each the thin wrapper of one engine function.) */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "relance-autostart.h"
#include "relance-calendar.h"
#include "relance-bank-store.h"
#include "relance-cli-private.h"
#include "relance-store-clients.h"
#include "relance-store-company.h"
#include "relance-store-inbox.h"
#include "relance-cli-rates.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-names.h"
#include "relance-penalty.h"
#include "relance-planner.h"
#include "relance-scenario.h"
#include "relance-template.h"

/* ---- invoice dispute|resume|cancel|promise ---------------------------------------- */

int
relance_cli_cmd_invoice (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *date_text = NULL;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("With promise: the date the client promised to pay by"), N_("YYYY-MM-DD") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  RelanceStore *store;
  const char *action;
  gboolean ok;

  if (!relance_cli_parse_options (entries, "dispute|resume|cancel|promise NUMBER", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3)
    return relance_cli_usage_error (_("“invoice” needs an action (dispute, resume, cancel or "
                                      "promise) and an invoice number."));
  action = argv[1];
  if (!g_str_equal (action, "dispute") && !g_str_equal (action, "resume")
      && !g_str_equal (action, "cancel") && !g_str_equal (action, "promise"))
    return relance_cli_usage_error (_("Unknown action “%s”: use dispute, resume, cancel or "
                                      "promise."), action);
  if (g_str_equal (action, "promise") && date_text == NULL)
    return relance_cli_usage_error (_("“invoice promise” needs --date YYYY-MM-DD."));
  if (!g_str_equal (action, "promise") && date_text != NULL)
    return relance_cli_usage_error (_("--date only goes with “invoice promise”."));

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((invoice = relance_store_get_invoice (store, argv[2], &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (action, "promise"))
    {
      g_autofree char *shown = NULL;

      if (!relance_date_parse (date_text, RELANCE_DATE_ORDER_DMY, &invoice->promise_date, &error)
          || !relance_store_set_invoice_promise (store, invoice->number, &invoice->promise_date,
                                                 &error))
        return relance_cli_fail (error);
      shown = relance_date_format (&invoice->promise_date, relance_language_for_user ());
      /* Translators: first %s is an invoice number, second a date */
      g_print (_("Invoice %s: payment promised by %s; no reminder until then."), invoice->number,
               shown);
      g_print ("\n");
      return 0;
    }

  /* The store refuses what does not fit: cancelling a paid invoice, disputing a
   * cancelled one. */
  if (g_str_equal (action, "cancel"))
    ok = relance_store_cancel_invoice (store, invoice->number, &error);
  else if (g_str_equal (action, "dispute"))
    ok = relance_store_dispute_invoice (store, invoice->number, &error);
  else
    ok = relance_store_resume_invoice (store, invoice->number, &error);
  if (!ok)
    return relance_cli_fail (error);

  if (g_str_equal (action, "cancel"))
    g_print (_("Invoice %s is cancelled; no reminder will be sent for it."), invoice->number);
  else if (g_str_equal (action, "dispute"))
    g_print (_("Invoice %s is disputed; reminders stop until it is resumed."), invoice->number);
  else
    g_print (_("Invoice %s is open again; reminders resume at the next step."), invoice->number);
  g_print ("\n");
  return 0;
}

/* ---- client pause|resume|do-not-remind -------------------------------------------- */

int
relance_cli_cmd_client (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = NULL;
  RelanceStore *store;
  const char *action;
  gboolean done;

  if (!relance_cli_parse_options (entries, "pause|resume|do-not-remind NAME", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3)
    return relance_cli_usage_error (_("“client” needs an action (pause, resume or "
                                      "do-not-remind) and a client name or reference."));
  action = argv[1];
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (!g_str_equal (action, "pause") && !g_str_equal (action, "resume")
      && !g_str_equal (action, "do-not-remind"))
    return relance_cli_usage_error (_("Unknown action “%s”: use pause, resume or "
                                      "do-not-remind."), action);
  if ((client = relance_store_find_client (store, argv[2], &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (action, "pause"))
    done = relance_store_set_client_paused (store, client->id, TRUE, &error);
  else if (g_str_equal (action, "do-not-remind"))
    done = relance_store_set_client_do_not_remind (store, client->id, TRUE, &error);
  else
    done = relance_store_resume_client (store, client->id, &error);
  if (!done)
    return relance_cli_fail (error);

  if (g_str_equal (action, "pause"))
    /* Translators: %s is a client name */
    g_print (_("Reminders to %s are paused."), client->name);
  else if (g_str_equal (action, "do-not-remind"))
    g_print (_("%s will never be sent a reminder."), client->name);
  else
    g_print (_("Reminders to %s resume."), client->name);
  g_print ("\n");
  return 0;
}

/* ---- plan ------------------------------------------------------------------------- */

static void
add_recipients (JsonBuilder *builder, const RelanceClient *client)
{
  json_builder_set_member_name (builder, "to");
  json_builder_begin_array (builder);
  if (client->email != NULL)
    json_builder_add_string_value (builder, client->email);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "cc");
  json_builder_begin_array (builder);
  if (client->cc != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (client->cc, ",;", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            json_builder_add_string_value (builder, parts[i]);
        }
    }
  json_builder_end_array (builder);
}

static char *
format_step (int offset)
{
  return g_strdup_printf ("J%s%d", offset < 0 ? "" : "+", offset);
}

/* --until: a date (end of that day, UTC) or an ISO 8601 instant. */
static GDateTime *
parse_until (const char *text, GDateTime *now, GError **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDate date;

  if (text == NULL)
    return g_date_time_add_days (now, 7);
  if (relance_date_from_iso (text, &date)
      || relance_date_parse (text, RELANCE_DATE_ORDER_DMY, &date, NULL))
    return g_date_time_new (utc, g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date), 23, 59, 59);
  {
    GDateTime *dt = g_date_time_new_from_iso8601 (text, utc);
    if (dt != NULL)
      return dt;
  }
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               _("“%s” is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)."), text);
  return NULL;
}

int
relance_cli_cmd_plan (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *until_text = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text,
      N_("Last day to plan for (default: 7 days from now)"), N_("YYYY-MM-DD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"),
      N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gboolean json = FALSE;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 1)
    return relance_cli_usage_error (_("“plan” takes no argument, only options."));
  if (format != NULL && !g_str_equal (format, "text") && !(json = g_str_equal (format, "json")))
    return relance_cli_usage_error (_("Unknown format “%s”: use text or json."), format);
  if ((until = parse_until (until_text, now, &error)) == NULL)
    return relance_cli_usage_error ("%s", error->message);

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  messages = relance_planner_plan (store, now, until, RELANCE_PLAN_NEXT_PER_CLIENT, &error);
  if (messages == NULL)
    return relance_cli_fail (error);

  if (relance_store_get_reminders_paused (store))
    g_printerr ("%s\n", _("All reminders are paused: nothing below will be sent until "
                           "sending is resumed."));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < messages->len; i++)
        {
          RelancePlannedMessage *msg = g_ptr_array_index (messages, i);
          g_autofree char *when = g_date_time_format (msg->scheduled_at, "%FT%T%:z");
          g_autofree char *subject = NULL;

          if (!relance_planner_render (store, msg, &subject, NULL, NULL, &error))
            return relance_cli_fail (error);

          json_builder_begin_object (builder);
          relance_cli_json_string_member (builder, "client", msg->client->name);
          add_recipients (builder, msg->client);
          relance_cli_json_string_member (builder, "scheduled_at", when);
          relance_cli_json_string_member (builder, "channel", msg->channel);
          relance_cli_json_string_member (builder, "tone", msg->step->tone);
          relance_cli_json_string_member (builder, "scenario", msg->scenario_key);
          json_builder_set_member_name (builder, "step");
          json_builder_add_int_value (builder, msg->step->offset_days);
          relance_cli_json_string_member (builder, "template", msg->template_key);
          json_builder_set_member_name (builder, "handover");
          json_builder_add_boolean_value (builder, msg->handover);
          relance_cli_json_string_member (builder, "language", msg->language);
          relance_cli_json_string_member (builder, "subject", subject);
          json_builder_set_member_name (builder, "invoices");
          json_builder_begin_array (builder);
          for (guint j = 0; j < msg->invoices->len; j++)
            {
              RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);
              const char *cur = p->invoice->currency;
              const char *ind_cur = p->indemnity_currency[0] != '\0' ? p->indemnity_currency : cur;
              g_autofree char *outstanding = relance_money_to_decimal (
                relance_invoice_get_outstanding (p->invoice), cur);
              g_autofree char *penalties = relance_money_to_decimal (p->penalties, cur);
              g_autofree char *indemnity = relance_money_to_decimal (p->indemnity, ind_cur);
              g_autofree char *rate = relance_rate_to_decimal (p->rate_bp);

              json_builder_begin_object (builder);
              relance_cli_json_string_member (builder, "number", p->invoice->number);
              relance_cli_json_string_member (builder, "outstanding", outstanding);
              relance_cli_json_string_member (builder, "currency", cur);
              json_builder_set_member_name (builder, "days_overdue");
              json_builder_add_int_value (builder, p->days_overdue);
              json_builder_set_member_name (builder, "step");
              json_builder_add_int_value (builder, p->step->offset_days);
              relance_cli_json_string_member (builder, "penalties", penalties);
              relance_cli_json_string_member (builder, "penalty_rate", rate);
              relance_cli_json_string_member (builder, "indemnity", indemnity);
              relance_cli_json_string_member (builder, "indemnity_currency", ind_cur);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      relance_cli_print_json (builder);
      return 0;
    }

  if (messages->len == 0)
    {
      g_print ("%s\n", _("No reminder is due in this period."));
      return 0;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      RelancePlannedMessage *msg = g_ptr_array_index (messages, i);
      g_autofree char *when = g_date_time_format (msg->scheduled_at, "%F %R %:z");
      g_autofree char *step = format_step (msg->step->offset_days);
      g_autofree char *subject = NULL;
      g_autoptr(GString) numbers = g_string_new (NULL);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *how = NULL;

      if (!relance_planner_render (store, msg, &subject, NULL, NULL, &error))
        return relance_cli_fail (error);
      for (guint j = 0; j < msg->invoices->len; j++)
        {
          RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);
          g_string_append_printf (numbers, "%s%s", j > 0 ? ", " : "", p->invoice->number);
        }
      /* The words shown to a person; JSON keeps the stable values. */
      how = relance_channel_tone_display_name (msg->channel, msg->step->tone);
      relance_cli_append_padded (line, when, 24);
      relance_cli_append_padded (line, msg->client->name, 28);
      /* Translators: `relance plan`: "Email, courteous tone (Standard D+8)  F2026-001",
       * then the subject on the next line */
      g_string_append_printf (line, _("%1$s (%2$s %3$s)  %4$s\n    %5$s\n"), how,
                              msg->scenario_name, step, numbers->str, subject);
      g_print ("%s", line->str);
    }
  return 0;
}

/* ---- preview ---------------------------------------------------------------------- */

static int
preview_invoice (CliContext *ctx, const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  RelanceStore *store;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((invoice = relance_store_get_invoice (store, number, &error)) == NULL)
    return relance_cli_fail (error);
  if ((messages = relance_planner_plan (store, now, NULL, RELANCE_PLAN_ALL, &error)) == NULL)
    return relance_cli_fail (error);

  for (guint i = 0; i < messages->len; i++)
    {
      RelancePlannedMessage *msg = g_ptr_array_index (messages, i);

      for (guint j = 0; j < msg->invoices->len; j++)
        {
          RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);
          g_autofree char *subject = NULL;
          g_autofree char *body = NULL;
          g_autofree char *when = NULL;
          g_autofree char *step = NULL;
          g_autofree char *how = NULL;

          if (!g_str_equal (p->invoice->number, invoice->number))
            continue;
          if (!relance_planner_render (store, msg, &subject, &body, NULL, &error))
            return relance_cli_fail (error);
          when = g_date_time_format (msg->scheduled_at, "%F %R %:z");
          step = format_step (msg->step->offset_days);
          g_print ("%s %s\n", _("To:"), msg->client->email != NULL ? msg->client->email : "—");
          if (msg->client->cc != NULL)
            g_print ("%s %s\n", _("Cc:"), msg->client->cc);
          g_print ("%s %s\n", _("Scheduled:"), when);
          how = relance_channel_tone_display_name (msg->channel, msg->step->tone);
          /* Translators: channel and tone ("Email, courteous tone"), scenario name and
           * step such as "J+8" */
          g_print (_("%1$s %2$s, %3$s %4$s\n"), _("Step:"), how, msg->scenario_name, step);
          g_print ("%s %s\n\n%s", _("Subject:"), subject, body);
          if (body[0] != '\0' && !g_str_has_suffix (body, "\n"))
            g_print ("\n");
          return 0;
        }
    }

  /* Translators: %s is an invoice number */
  g_print (_("No reminder is planned for invoice %s (paid, cancelled, disputed, promised, "
             "paused, or every step already sent)."), invoice->number);
  g_print ("\n");
  return 0;
}

int
relance_cli_cmd_preview (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  g_autofree char *template_key = NULL;
  gboolean send_to_me = FALSE;
  int argc = 0;
  GOptionEntry entries[] = {
    { "send-to-me", 0, 0, G_OPTION_ARG_NONE, &send_to_me,
      N_("Send it to your own address (the account’s From), marked [TEST]; not a reminder"),
      NULL },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_key,
      N_("With --send-to-me: this template instead of the step planned next"), N_("KEY") },
    G_OPTION_ENTRY_NULL
  };

  if (!relance_cli_parse_options (entries, "NUMBER [--send-to-me [--template KEY]]", &argv,
                                  &argc))
    return EXIT_USAGE;
  if (argc != 2)
    return relance_cli_usage_error (_("“preview” needs an invoice number."));
  if (template_key != NULL && !send_to_me)
    return relance_cli_usage_error (_("--template only goes with --send-to-me."));
  if (send_to_me)
    return relance_cli_preview_send_to_me (ctx, argv[1], template_key);
  return preview_invoice (ctx, argv[1]);
}

/* ---- template check|preview ------------------------------------------------------- */

static gboolean
check_part (const char *path, const char *text, guint first_line, gboolean *ok)
{
  RelanceTemplatePosition pos = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceTemplate) tpl = relance_template_parse_full (text, &pos, &error);
  const char *reason;

  if (tpl != NULL)
    return TRUE;
  /* The engine's message starts with "LINE:COLUMN: "; print the line in the file instead. */
  reason = error->message;
  if (pos.line > 0)
    {
      const char *colon = strchr (reason, ':');
      if (colon != NULL && (colon = strchr (colon + 1, ':')) != NULL)
        reason = colon + 1;
      while (*reason == ' ')
        reason++;
      g_printerr ("%s:%u:%u: %s\n", path, pos.line + first_line - 1, pos.column, reason);
    }
  else
    g_printerr ("%s: %s\n", path, reason);
  *ok = FALSE;
  return FALSE;
}

static int
template_check (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  gboolean ok = TRUE;

  if (!g_file_get_contents (path, &contents, &len, &error))
    return relance_cli_fail (error);
  if (!g_utf8_validate (contents, len, NULL))
    {
      g_printerr ("relance: ");
      g_printerr (_("%s is not UTF-8 text."), path);
      g_printerr ("\n");
      return 1;
    }
  if (g_str_has_prefix (contents, "Subject:"))
    {
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      const char *eol = strchr (contents, '\n');
      guint body_line = eol != NULL && eol[1] == '\n' ? 3 : 2;

      relance_template_text_split (contents, &subject, &body, NULL);
      check_part (path, subject, 1, &ok);
      check_part (path, body, body_line, &ok);
    }
  else
    check_part (path, contents, 1, &ok);

  if (!ok)
    return 1;
  /* Translators: %s is a file name */
  g_print (_("%s: the template is valid."), path);
  g_print ("\n");
  return 0;
}

int
relance_cli_cmd_template (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };

  if (!relance_cli_parse_options (entries, "check FILE | preview NUMBER", &argv, &argc))
    return EXIT_USAGE;
  if (argc == 3 && g_str_equal (argv[1], "check"))
    return template_check (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "preview"))
    return preview_invoice (ctx, argv[2]);
  return relance_cli_usage_error (_("Use “template check FILE” or “template preview NUMBER”."));
}

/* ---- rate set --------------------------------------------------------------------- */

int
relance_cli_cmd_rate (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *penalty = NULL;
  RelancePenaltyPolicy policy;
  RelanceStore *store;
  int year, half, bp;
  const char *language = relance_language_for_user ();

  if (relance_cli_rates_handles (command_argv))
    return relance_cli_cmd_rates (ctx, command_argv);
  if (!relance_cli_parse_options (entries, "set YYYY-H1|YYYY-H2 PERCENT", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 4 || !g_str_equal (argv[1], "set"))
    return relance_cli_usage_error (_("Use “rate set YYYY-H1 PERCENT”, for example "
                                      "“rate set 2026-H2 2.15”."));
  if (!relance_half_year_parse (argv[2], &year, &half, &error)
      || !relance_rate_parse (argv[3], &bp, &error))
    return relance_cli_usage_error ("%s", error->message);

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((company = relance_store_get_company (store, &error)) == NULL)
    return relance_cli_fail (error);
  policy = relance_penalty_policy_for_country (company->country);
  if (policy.regime == RELANCE_PENALTY_REGIME_NONE)
    policy.reference = RELANCE_RATE_SERIES_ECB;
  if (!relance_store_save_rate (store, policy.reference, year, half, bp, &error))
    return relance_cli_fail (error);

  shown = relance_rate_format (bp, language);
  penalty = relance_rate_format (bp + policy.margin_bp, language);
  if (policy.reference == RELANCE_RATE_SERIES_BOE)
    /* Translators: %d is a year, %d 1 or 2, then two rates such as "4.00%" */
    g_print (_("Bank of England reference rate for %d-H%d: %s; statutory interest: %s."),
             year, half, shown, penalty);
  else
    /* Translators: %d is a year, %d 1 or 2, then two rates such as "2,15 %" */
    g_print (_("ECB main refinancing rate for %d-H%d: %s; late-payment penalty rate: %s."),
             year, half, shown, penalty);
  g_print ("\n");
  return 0;
}

/* ---- config get|set --------------------------------------------------------------- */

static const char *config_keys[] = {
  RELANCE_SETTING_SEND_WINDOW, RELANCE_SETTING_CALENDAR, RELANCE_SETTING_TIMEZONE,
  RELANCE_SETTING_THRESHOLD, RELANCE_SETTING_PAUSED, "background",
  RELANCE_SETTING_REPLY_PAUSE_DAYS, RELANCE_SETTING_BANK_FOLDER,
};

static char *
config_default (RelanceStore *store, const char *key)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (store, NULL);
  const char *country = company != NULL ? company->country : "FR";

  if (g_str_equal (key, RELANCE_SETTING_SEND_WINDOW))
    return g_strdup ("mon-fri 09:00-18:00");
  if (g_str_equal (key, RELANCE_SETTING_CALENDAR))
    {
      RelanceCalendarRegion region = RELANCE_CALENDAR_FR;
      relance_calendar_region_from_string (country, &region);
      return g_strdup (relance_calendar_region_to_string (region));
    }
  if (g_str_equal (key, RELANCE_SETTING_TIMEZONE))
    return relance_planner_default_timezone (country);
  if (g_str_equal (key, RELANCE_SETTING_THRESHOLD))
    return g_strdup ("5000");
  if (g_str_equal (key, RELANCE_SETTING_REPLY_PAUSE_DAYS))
    return g_strdup_printf ("%d", RELANCE_REPLY_PAUSE_DAYS_DEFAULT);
  if (g_str_equal (key, RELANCE_SETTING_BANK_FOLDER))
    return g_strdup ("");
  return g_strdup ("false");
}

/* Checks and normalises a value; returns NULL with @error when it is refused. */
static char *
config_normalise (RelanceStore *store, const char *key, const char *value, GError **error)
{
  if (g_str_equal (key, RELANCE_SETTING_REPLY_PAUSE_DAYS))
    {
      gint64 days;
      if (!g_ascii_string_to_signed (value, 10, 0, 365, &days, NULL))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("“%s” is not a number of days: use a whole number from 0 to 365."),
                       value);
          return NULL;
        }
      return g_strdup_printf ("%" G_GINT64_FORMAT, days);
    }
  if (g_str_equal (key, RELANCE_SETTING_SEND_WINDOW))
    {
      RelanceSendWindow window;
      if (!relance_send_window_parse (value, &window, error))
        return NULL;
      return relance_send_window_to_string (&window);
    }
  if (g_str_equal (key, RELANCE_SETTING_CALENDAR))
    {
      RelanceCalendarRegion region;
      if (!relance_calendar_region_from_string (value, &region))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("Unknown calendar “%s”: use fr, fr-alsace-moselle, gb, ie, be or us."),
                       value);
          return NULL;
        }
      return g_strdup (relance_calendar_region_to_string (region));
    }
  if (g_str_equal (key, RELANCE_SETTING_TIMEZONE))
    {
      if (!relance_timezone_is_valid (value))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("Unknown time zone “%s”: use a name such as Europe/Paris."), value);
          return NULL;
        }
      return g_strdup (value);
    }
  if (g_str_equal (key, RELANCE_SETTING_BANK_FOLDER))
    {
      g_autoptr(GFile) folder = NULL;

      /* Empty: no folder is watched. */
      if (*value == '\0')
        return g_strdup ("");
      folder = g_file_new_for_commandline_arg (value);
      if (!g_file_test (g_file_peek_path (folder), G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       /* Translators: %s is a folder path */
                       _("“%s” is not a folder."), value);
          return NULL;
        }
      return g_file_get_path (folder);
    }
  if (g_str_equal (key, RELANCE_SETTING_THRESHOLD))
    {
      g_autoptr(RelanceCompany) company = relance_store_get_company (store, error);
      gint64 minor;

      if (company == NULL
          || !relance_money_parse (value, company->currency, relance_money_guess_hint (value)
                                   == RELANCE_DECIMAL_COMMA ? RELANCE_DECIMAL_COMMA
                                                            : RELANCE_DECIMAL_DOT,
                                   &minor, NULL, error))
        return NULL;
      return relance_money_to_decimal (minor, company->currency);
    }
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1")
      || g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0)
    return g_strdup ("true");
  if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0")
      || g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "off") == 0)
    return g_strdup ("false");
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is the value the user typed */
               _("“%s” is not a yes/no value: use true or false."), value);
  return NULL;
}

int
relance_cli_cmd_config (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  RelanceStore *store;
  gboolean known = FALSE;
  const char *key;

  if (!relance_cli_parse_options (entries, "get|set KEY [VALUE]", &argv, &argc))
    return EXIT_USAGE;
  if (!((argc == 3 && g_str_equal (argv[1], "get")) || (argc == 4 && g_str_equal (argv[1], "set"))))
    return relance_cli_usage_error (_("Use “config get KEY” or “config set KEY VALUE”."));
  key = argv[2];
  for (guint i = 0; i < G_N_ELEMENTS (config_keys); i++)
    known = known || g_str_equal (key, config_keys[i]);
  if (!known)
    return relance_cli_usage_error (_("Unknown setting “%s”: use send-window, calendar, "
                                      "timezone, formal-notice-threshold, paused, "
                                      "background, reply-pause-days or bank-folder."), key);

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (argv[1], "get"))
    {
      g_autofree char *value = relance_store_get_setting (store, key);
      if (value == NULL)
        value = config_default (store, key);
      g_print ("%s\n", value);
      return 0;
    }
  else
    {
      g_autofree char *value = config_normalise (store, key, argv[3], &error);
      if (value == NULL || !relance_store_set_setting (store, key, value, &error))
        return relance_cli_fail (error);
      if (g_str_equal (key, "background")
          && !relance_autostart_set (g_str_equal (value, "true"), ctx->launch->database, &error))
        return relance_cli_fail (error);
      g_print ("%s = %s\n", key, value);
      return 0;
    }
}

/* ---- company show|set ------------------------------------------------------------- */

int
relance_cli_cmd_company (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  char *name = NULL, *address = NULL, *country = NULL, *siret = NULL, *vat = NULL;
  char *iban = NULL, *bic = NULL, *currency = NULL, *language = NULL, *penalty = NULL;
  char *link = NULL;
  int terms = -1;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Company name"), N_("NAME") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("Postal address"), N_("ADDRESS") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, N_("Country code, e.g. FR or GB"), "CC" },
    { "siret", 0, 0, G_OPTION_ARG_STRING, &siret, N_("SIRET number"), "SIRET" },
    { "vat", 0, 0, G_OPTION_ARG_STRING, &vat, N_("VAT number"), N_("VAT") },
    { "iban", 0, 0, G_OPTION_ARG_STRING, &iban, N_("IBAN for payments"), "IBAN" },
    { "bic", 0, 0, G_OPTION_ARG_STRING, &bic, N_("BIC for payments"), "BIC" },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Default currency"), "EUR" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Language of new clients"), "fr|en" },
    { "payment-terms", 0, 0, G_OPTION_ARG_INT, &terms, N_("Default payment terms in days"),
      N_("DAYS") },
    { "penalty-rate", 0, 0, G_OPTION_ARG_STRING, &penalty,
      N_("Contractual late-payment rate (empty: the legal rate)"), N_("PERCENT") },
    { "payment-link", 0, 0, G_OPTION_ARG_STRING, &link,
      N_("Online payment link, may use {{invoice.number}} and {{total_due}}"), N_("PATTERN") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  RelanceStore *store;
  int status = 0;

  if (!relance_cli_parse_options (entries, "show | set [OPTIONS]", &argv, &argc))
    {
      status = EXIT_USAGE;
      goto out;
    }
  if (argc != 2 || (!g_str_equal (argv[1], "show") && !g_str_equal (argv[1], "set")))
    {
      status = relance_cli_usage_error (_("Use “company show” or “company set --name …”."));
      goto out;
    }
  if ((store = relance_cli_store (ctx, &error)) == NULL
      || (company = relance_store_get_company (store, &error)) == NULL)
    {
      status = relance_cli_fail (error);
      goto out;
    }

  if (g_str_equal (argv[1], "set"))
    {
      const char *lang_code = NULL;
      int bp;

#define TAKE(field, value) if (value != NULL) { g_free (company->field); \
                             company->field = g_strdup (*value != '\0' ? value : NULL); }
      TAKE (name, name);
      TAKE (address, address);
      TAKE (siret, siret);
      TAKE (vat, vat);
      TAKE (bic, bic);
      TAKE (payment_link, link);
#undef TAKE
      if (iban != NULL)
        {
          g_autoptr(GString) compact = g_string_new (NULL);
          for (const char *p = iban; *p != '\0'; p++)
            if (!g_ascii_isspace (*p))
              g_string_append_c (compact, g_ascii_toupper (*p));
          g_free (company->iban);
          company->iban = compact->len > 0 ? g_strdup (compact->str) : NULL;
        }
      if (country != NULL)
        {
          g_autofree char *up = g_ascii_strup (country, -1);
          if (strlen (up) != 2 || !g_ascii_isalpha (up[0]) || !g_ascii_isalpha (up[1]))
            {
              status = relance_cli_usage_error (_("--country takes a two-letter code such as "
                                                  "FR, BE, GB, IE or US."));
              goto out;
            }
          g_free (company->country);
          company->country = g_steal_pointer (&up);
        }
      if (currency != NULL)
        {
          g_autofree char *up = g_ascii_strup (currency, -1);
          if (!relance_currency_is_known (up))
            {
              status = relance_cli_usage_error (_("The currency must be a three-letter ISO 4217 "
                                                  "code such as EUR."));
              goto out;
            }
          g_free (company->currency);
          company->currency = g_steal_pointer (&up);
        }
      if (language != NULL)
        {
          if (!relance_language_parse (language, &lang_code))
            {
              status = relance_cli_usage_error (_("--language takes fr or en."));
              goto out;
            }
          g_free (company->language);
          company->language = g_strdup (lang_code);
        }
      if (terms != -1)
        {
          if (terms < 0 || terms > 365)
            {
              status = relance_cli_usage_error (_("--payment-terms takes a number of days "
                                                  "from 0 to 365."));
              goto out;
            }
          company->payment_terms = terms;
        }
      if (penalty != NULL)
        {
          g_free (company->penalty_rate);
          company->penalty_rate = NULL;
          if (*penalty != '\0')
            {
              if (!relance_rate_parse (penalty, &bp, &error))
                {
                  status = relance_cli_fail (error);
                  goto out;
                }
              company->penalty_rate = relance_rate_to_decimal (bp);
            }
        }
      if (link != NULL && *link != '\0' && !relance_template_check (link, &error))
        {
          status = relance_cli_fail (error);
          goto out;
        }
      if (!relance_store_set_company (store, company, &error))
        {
          status = relance_cli_fail (error);
          goto out;
        }
    }

  {
    const struct { const char *label; const char *value; } rows[] = {
      { C_("company", "Name"), company->name }, { C_("company", "Address"), company->address },
      { C_("company", "Country"), company->country }, { "SIRET", company->siret },
      { C_("company", "VAT"), company->vat }, { "IBAN", company->iban }, { "BIC", company->bic },
      { C_("company", "Currency"), company->currency },
      { C_("company", "Language"), company->language },
      { C_("company", "Penalty rate"), company->penalty_rate },
      { C_("company", "Payment link"), company->payment_link },
    };
    g_autofree char *terms_text = g_strdup_printf (ngettext ("%d day", "%d days",
                                                             company->payment_terms),
                                                   company->payment_terms);
    /* Translators: payment terms in days */
    const char *terms_label = C_("company", "Payment terms");
    glong width = g_utf8_strlen (terms_label, -1);

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      width = MAX (width, g_utf8_strlen (rows[i].label, -1));
    for (guint i = 0; i < G_N_ELEMENTS (rows) + 1; i++)
      {
        g_autoptr(GString) line = g_string_new (NULL);
        const char *label = i < G_N_ELEMENTS (rows) ? rows[i].label : terms_label;
        const char *raw = i < G_N_ELEMENTS (rows) ? rows[i].value : terms_text;
        g_autofree char *value = g_strdup (raw != NULL && *raw != '\0' ? raw : "—");

        g_strdelimit (value, "\n", ',');
        relance_cli_append_padded (line, label, (int) width + 2);
        g_print ("%s%s\n", line->str, value);
      }
  }

out:
  g_free (name); g_free (address); g_free (country); g_free (siret); g_free (vat);
  g_free (iban); g_free (bic); g_free (currency); g_free (language); g_free (penalty);
  g_free (link);
  return status;
}
