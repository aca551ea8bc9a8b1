/* relance-cli-inbox.c: `relance inbox check` (one pass over the inbox now) and
 * `relance inbox list [--format text|json]` (the answers recognised so far). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-cli-private.h"
#include "relance-clock.h"
#include "relance-inbox.h"
#include "relance-store-inbox.h"

static char *
iso_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static int
inbox_check (RelanceStore *store)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(GError) error = NULL;
  RelanceInboxReport report = { 0 };
  int status = 0;

  if (!relance_inbox_check (store, now, NULL, &report, &error))
    status = relance_cli_fail (error);
  for (guint i = 0; report.recognised != NULL && i < report.recognised->len; i++)
    {
      RelanceInboxMessage *message = g_ptr_array_index (report.recognised, i);
      g_autofree char *line = NULL;

      if (message->client_name == NULL && message->client_id > 0)
        {
          g_autoptr(RelanceClient) client = relance_store_get_client (store, message->client_id,
                                                                      NULL);
          if (client != NULL)
            message->client_name = g_strdup (client->name);
        }
      line = relance_inbox_message_summary (message);
      g_print ("%s\n", line);
    }
  if (status == 0)
    {
      guint recognised = report.recognised->len;
      /* Translators: the summary of `relance inbox check`; both are counts. */
      g_autofree char *read = g_strdup_printf (ngettext ("%u new message read", "%u new messages read",
                                                         report.read), report.read);
      g_print ("%s, ", read);
      g_print (ngettext ("%u answer recognised.", "%u answers recognised.", recognised),
               recognised);
      g_print ("\n");
    }
  relance_inbox_report_clear (&report);
  return status;
}

static int
inbox_list (RelanceStore *store, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = relance_store_inbox_list (store, 0, NULL, &error);

  if (messages == NULL)
    return relance_cli_fail (error);
  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < messages->len; i++)
        {
          RelanceInboxMessage *m = g_ptr_array_index (messages, i);
          g_autofree char *date = iso_utc (m->received_at);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "uid");
          json_builder_add_int_value (b, m->uid);
          relance_cli_json_string_member (b, "date", date);
          relance_cli_json_string_member (b, "from", m->sender);
          relance_cli_json_string_member (b, "kind", relance_inbox_kind_to_string (m->kind));
          relance_cli_json_string_member (b, "client", m->client_name);
          json_builder_set_member_name (b, "invoices");
          json_builder_begin_array (b);
          for (guint n = 0; m->invoices[n] != NULL; n++)
            json_builder_add_string_value (b, m->invoices[n]);
          json_builder_end_array (b);
          relance_cli_json_string_member (b, "action", m->action);
          relance_cli_json_string_member (b, "subject", m->subject);
          relance_cli_json_string_member (b, "decision", m->decision);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      relance_cli_print_json (b);
      return 0;
    }

  if (messages->len == 0)
    {
      g_print ("%s\n", _("No answer recognised in the inbox yet."));
      return 0;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      RelanceInboxMessage *m = g_ptr_array_index (messages, i);
      g_autofree char *date = iso_utc (m->received_at);
      g_autofree char *numbers = g_strjoinv (",", m->invoices);
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "%-6" G_GINT64_FORMAT " %s  ", m->uid, date);
      relance_cli_append_padded (line, relance_inbox_kind_to_string (m->kind), 11);
      relance_cli_append_padded (line, m->sender, 28);
      relance_cli_append_padded (line, m->client_name != NULL ? m->client_name : "—", 22);
      relance_cli_append_padded (line, *numbers != '\0' ? numbers : "—", 16);
      g_string_append (line, m->action);
      g_print ("%s\n", line->str);
    }
  return 0;
}

int
relance_cli_cmd_inbox (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  g_autofree char *format = NULL;
  int argc = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format"), "text|json" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "check | list [--format text|json]", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2 || (!g_str_equal (argv[1], "check") && !g_str_equal (argv[1], "list")))
    return relance_cli_usage_error (_("Use “inbox check” or “inbox list”."));
  if (format == NULL)
    format = g_strdup ("text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return relance_cli_usage_error (_("Use “--format text” or “--format json”."));
  if (g_str_equal (argv[1], "check") && !g_str_equal (format, "text"))
    return relance_cli_usage_error (_("“inbox check” takes no option."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (g_str_equal (argv[1], "check"))
    return inbox_check (store);
  return inbox_list (store, format);
}
