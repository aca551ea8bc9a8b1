/* relance-cli.c: the command line, a stable contract for scripts, cron and tests.
 * (Over 800 lines: the command table, option parsing and the record commands built on it.)
 *
 *   relance [--database FILE] [--demo] COMMAND [ARGS…]
 *
 * Exit status: 0 success, 1 error (one clear sentence on stderr), 2 usage error.
 * Nothing here touches GTK, so every command runs without a display. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "relance-cli.h"
#include "relance-cli-private.h"
#include "relance-clock.h"
#include "relance-csv.h"
#include "relance-date.h"
#include "relance-demo.h"
#include "relance-error.h"
#include "relance-export.h"
#include "relance-import.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store.h"


typedef int (*CommandFunc) (CliContext *ctx, char **argv);

typedef struct
{
  const char  *name;
  const char  *synopsis;    /* N_(): only the words in capitals are translated */
  const char  *description; /* N_() */
  CommandFunc  func;
} Command;

int
relance_cli_fail (GError *error)
{
  g_printerr ("relance: %s\n", error->message);
  return 1;
}

int
relance_cli_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("relance: %s\n", message);
  g_printerr ("%s\n", _("Run “relance --help” to see the commands and their options."));
  return EXIT_USAGE;
}

/* Opens the store named by --database (or the default one) on first use. */
RelanceStore *
relance_cli_store (CliContext *ctx, GError **error)
{
  if (ctx->store == NULL)
    {
      g_autofree char *path = ctx->launch->database != NULL
                                ? g_strdup (ctx->launch->database)
                                : relance_store_default_path ();
      /* Commands that only read skip the full integrity check (0.1 s at 100 000
       * invoices: SQLite still reports the damaged pages they touch); commands that write
       * check the whole file first, so nothing is written into a damaged database. */
      static const char *readers[] = {
        "list", "export", "plan", "preview", "history", "template", NULL,
      };
      ctx->store = g_strv_contains (readers, ctx->command)
                     ? relance_store_open_quick (path, error)
                     : relance_store_open (path, error);
    }
  return ctx->store;
}

/* Parses a subcommand's options out of @args (a copy the caller owns) and leaves the
 * remaining words, the command name first; returns FALSE (after printing) on a usage error. */
gboolean
relance_cli_parse_options (GOptionEntry  *entries,
                           const char    *parameter_string,
                           char        ***args,
                           int           *argc)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, args, &error))
    {
      relance_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  *argc = (int) g_strv_length (*args);
  return TRUE;
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "open") == 0)
    return C_("invoice state", "open");
  if (g_strcmp0 (state, "partially-paid") == 0)
    return C_("invoice state", "partially paid");
  if (g_strcmp0 (state, "paid") == 0)
    return C_("invoice state", "paid");
  if (g_strcmp0 (state, "cancelled") == 0)
    return C_("invoice state", "cancelled");
  if (g_strcmp0 (state, "disputed") == 0)
    return C_("invoice state", "disputed");
  return state;
}

/* Pads @text to @width characters (not bytes), for aligned text tables. */
void
relance_cli_append_padded (GString *out, const char *text, int width)
{
  glong len = g_utf8_strlen (text != NULL ? text : "", -1);

  g_string_append (out, text != NULL ? text : "");
  for (glong i = len; i < width; i++)
    g_string_append_c (out, ' ');
}

void
relance_cli_json_string_member (JsonBuilder *builder,
                                const char  *name,
                                const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Prints the builder's root, pretty, followed by a newline. */
void
relance_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Appends "name":"value" (or null) with JSON string escaping (RFC 8259). */
static void
json_member (GString *out, const char *name, const char *value, gboolean first)
{
  if (!first)
    g_string_append_c (out, ',');
  g_string_append_printf (out, "\"%s\":", name);
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_stdout (const char *text, gsize len)
{
  fwrite (text, 1, len, stdout);
}

/* ---- list ------------------------------------------------------------------------- */

static int
list_invoices (CliContext *ctx, gboolean overdue, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GString) out = g_string_sized_new (1 << 16);
  RelanceStore *store;
  GDate today;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  relance_clock_today (NULL, &today);
  invoices = relance_store_list_invoices (store,
                                          overdue ? RELANCE_INVOICE_FILTER_OVERDUE
                                                  : RELANCE_INVOICE_FILTER_ALL,
                                          &today, &error);
  if (invoices == NULL)
    return relance_cli_fail (error);

  if (g_strcmp0 (format, "json") == 0)
    {
      /* Streamed object by object: a JsonBuilder tree of 100 000 invoices costs more than
       * the query. The same escaping rules as json-glib's generator. */
      g_string_append_c (out, '[');
      for (guint i = 0; i < invoices->len; i++)
        {
          RelanceInvoice *inv = g_ptr_array_index (invoices, i);
          g_autofree char *issue = relance_date_to_iso (&inv->issue_date);
          g_autofree char *due = relance_date_to_iso (&inv->due_date);
          g_autofree char *total = relance_money_to_decimal (inv->total, inv->currency);
          g_autofree char *outstanding = relance_money_to_decimal (
            relance_invoice_get_outstanding (inv), inv->currency);

          g_string_append (out, i > 0 ? ",\n  {" : "\n  {");
          json_member (out, "number", inv->number, TRUE);
          json_member (out, "client", inv->client_name, FALSE);
          json_member (out, "email", inv->client_email, FALSE);
          json_member (out, "issue_date", issue, FALSE);
          json_member (out, "due_date", due, FALSE);
          json_member (out, "total", total, FALSE);
          json_member (out, "outstanding", outstanding, FALSE);
          json_member (out, "currency", inv->currency, FALSE);
          json_member (out, "status", relance_invoice_get_state (inv), FALSE);
          g_string_append_printf (out, ",\"days_overdue\":%d",
                                  relance_invoice_get_days_overdue (inv, &today));
          if (g_date_valid (&inv->promise_date))
            {
              g_autofree char *promise = relance_date_to_iso (&inv->promise_date);
              json_member (out, "promise_date", promise, FALSE);
            }
          g_string_append_c (out, '}');
          if (out->len > (1 << 16))
            {
              write_stdout (out->str, out->len);
              g_string_truncate (out, 0);
            }
        }
      g_string_append (out, invoices->len > 0 ? "\n]\n" : "]\n");
    }
  else if (g_strcmp0 (format, "csv") == 0)
    {
      static const char *headers[] = {
        "Number", "Client", "Email", "Issue date", "Due date", "Total", "Outstanding",
        "Currency", "Status", "Days overdue",
      };
      relance_csv_append_record (out, headers, G_N_ELEMENTS (headers), ',');
      for (guint i = 0; i < invoices->len; i++)
        {
          RelanceInvoice *inv = g_ptr_array_index (invoices, i);
          g_autofree char *issue = relance_date_to_iso (&inv->issue_date);
          g_autofree char *due = relance_date_to_iso (&inv->due_date);
          g_autofree char *total = relance_money_to_decimal (inv->total, inv->currency);
          g_autofree char *outstanding = relance_money_to_decimal (
            relance_invoice_get_outstanding (inv), inv->currency);
          g_autofree char *days = g_strdup_printf ("%d",
            relance_invoice_get_days_overdue (inv, &today));
          const char *fields[] = {
            inv->number, inv->client_name, inv->client_email != NULL ? inv->client_email : "",
            issue, due, total, outstanding, inv->currency, relance_invoice_get_state (inv), days,
          };
          relance_csv_append_record (out, (const char * const *) fields, G_N_ELEMENTS (fields), ',');
        }
    }
  else
    {
      const char *language = relance_language_for_user ();

      if (invoices->len == 0)
        {
          g_print ("%s\n", overdue ? _("No overdue invoices.") : _("No invoices."));
          return 0;
        }
      relance_cli_append_padded (out, C_("column", "Number"), 14);
      relance_cli_append_padded (out, C_("column", "Client"), 28);
      relance_cli_append_padded (out, C_("column", "Due"), 13);
      relance_cli_append_padded (out, C_("column", "Outstanding"), 18);
      g_string_append (out, C_("column", "Status"));
      g_string_append_c (out, '\n');
      for (guint i = 0; i < invoices->len; i++)
        {
          RelanceInvoice *inv = g_ptr_array_index (invoices, i);
          g_autofree char *due = relance_date_format (&inv->due_date, language);
          g_autofree char *outstanding = relance_money_format (
            relance_invoice_get_outstanding (inv), inv->currency, language);
          int days = relance_invoice_get_days_overdue (inv, &today);

          relance_cli_append_padded (out, inv->number, 13);
          g_string_append_c (out, ' ');
          relance_cli_append_padded (out, inv->client_name, 27);
          g_string_append_c (out, ' ');
          relance_cli_append_padded (out, due, 12);
          g_string_append_c (out, ' ');
          relance_cli_append_padded (out, outstanding, 17);
          g_string_append_c (out, ' ');
          g_string_append (out, state_label (relance_invoice_get_state (inv)));
          if (days > 0)
            {
              g_string_append (out, ", ");
              /* Translators: how late an invoice is, in the list of invoices */
              g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%d day late",
                                                        "%d days late", days), days);
            }
          g_string_append_c (out, '\n');
        }
    }
  write_stdout (out->str, out->len);
  fflush (stdout);
  return 0;
}

static int
list_clients (CliContext *ctx, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  RelanceStore *store;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((clients = relance_store_list_clients (store, &error)) == NULL)
    return relance_cli_fail (error);

  if (g_strcmp0 (format, "json") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < clients->len; i++)
        {
          RelanceClient *c = g_ptr_array_index (clients, i);
          const struct { const char *name; const char *value; } fields[] = {
            { "name", c->name }, { "reference", c->reference }, { "email", c->email },
            { "cc", c->cc }, { "phone", c->phone }, { "language", c->language },
            { "country", c->country }, { "timezone", c->timezone }, { "kind", c->kind },
            { "segment", c->segment }, { "notes", c->notes }, { "street", c->street },
            { "postcode", c->postcode }, { "city", c->city },
          };

          json_builder_begin_object (builder);
          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            relance_cli_json_string_member (builder, fields[f].name, fields[f].value);
          json_builder_set_member_name (builder, "paused");
          json_builder_add_boolean_value (builder, c->paused);
          json_builder_set_member_name (builder, "do_not_remind");
          json_builder_add_boolean_value (builder, c->do_not_remind);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      write_stdout (out->str, out->len);
      relance_cli_print_json (builder);
      return 0;
    }
  else if (g_strcmp0 (format, "csv") == 0)
    {
      static const char *headers[] = {
        "Name", "Reference", "Email", "Cc", "Phone", "Language", "Country", "Time zone",
        "Type", "Segment", "Paused", "Do not remind", "Address", "Postcode", "City",
      };
      relance_csv_append_record (out, headers, G_N_ELEMENTS (headers), ',');
      for (guint i = 0; i < clients->len; i++)
        {
          RelanceClient *c = g_ptr_array_index (clients, i);
          const char *fields[] = {
            c->name, c->reference ? c->reference : "", c->email ? c->email : "",
            c->cc ? c->cc : "", c->phone ? c->phone : "", c->language,
            c->country ? c->country : "", c->timezone ? c->timezone : "", c->kind, c->segment,
            c->paused ? "yes" : "no", c->do_not_remind ? "yes" : "no",
            c->street ? c->street : "", c->postcode ? c->postcode : "", c->city ? c->city : "",
          };
          relance_csv_append_record (out, (const char * const *) fields, G_N_ELEMENTS (fields), ',');
        }
    }
  else
    {
      if (clients->len == 0)
        {
          g_print ("%s\n", _("No clients."));
          return 0;
        }
      relance_cli_append_padded (out, C_("column", "Name"), 30);
      relance_cli_append_padded (out, C_("column", "Reference"), 14);
      relance_cli_append_padded (out, C_("column", "Email"), 32);
      g_string_append (out, C_("column", "Language"));
      g_string_append_c (out, '\n');
      for (guint i = 0; i < clients->len; i++)
        {
          RelanceClient *c = g_ptr_array_index (clients, i);

          relance_cli_append_padded (out, c->name, 29);
          g_string_append_c (out, ' ');
          relance_cli_append_padded (out, c->reference, 13);
          g_string_append_c (out, ' ');
          relance_cli_append_padded (out, c->email, 31);
          g_string_append_c (out, ' ');
          g_string_append (out, c->language);
          if (c->paused)
            g_string_append_printf (out, " (%s)", _("paused"));
          if (c->do_not_remind)
            g_string_append_printf (out, " (%s)", _("do not remind"));
          g_string_append_c (out, '\n');
        }
    }
  write_stdout (out->str, out->len);
  return 0;
}

static int
cmd_list (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  gboolean overdue = FALSE;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only invoices past their due date"),
      NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text, csv or json"),
      N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  if (!relance_cli_parse_options (entries, "clients|invoices", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2)
    return relance_cli_usage_error (_("“list” needs one argument: clients or invoices."));
  if (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "csv") != 0
      && g_strcmp0 (format, "json") != 0)
    return relance_cli_usage_error (_("Unknown format “%s”: use text, csv or json."), format);

  if (g_strcmp0 (argv[1], "invoices") == 0)
    return list_invoices (ctx, overdue, format);
  if (g_strcmp0 (argv[1], "clients") == 0)
    {
      if (overdue)
        return relance_cli_usage_error (_("--overdue only applies to invoices."));
      return list_clients (ctx, format);
    }
  return relance_cli_usage_error (_("“list” needs one argument: clients or invoices."));
}

/* ---- import / export -------------------------------------------------------------- */

static gboolean
parse_kind (const char *word, RelanceImportKind *kind)
{
  if (g_strcmp0 (word, "invoices") == 0)
    *kind = RELANCE_IMPORT_INVOICES;
  else if (g_strcmp0 (word, "clients") == 0)
    *kind = RELANCE_IMPORT_CLIENTS;
  else
    return FALSE;
  return TRUE;
}

static const char *
separator_name (char separator)
{
  switch (separator)
    {
    case ';':
      return _("semicolon");
    case '\t':
      return _("tab");
    case ',':
      return _("comma");
    default:
      return "?";
    }
}

static int
cmd_import (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  gboolean dry_run = FALSE;
  g_auto(GStrv) maps = NULL;
  g_autofree char *date_format = NULL;
  g_autofree char *sheet = NULL;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and report, write nothing"),
      NULL },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Read FIELD from the column named HEADER (repeatable)"), N_("FIELD=HEADER") },
    { "date-format", 0, 0, G_OPTION_ARG_STRING, &date_format,
      N_("Order of dates in the file: DD/MM/YYYY (default) or MM/DD/YYYY"), N_("FORMAT") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet,
      N_("The sheet of an .xlsx or .ods file to read (the first one by default)"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GHashTable) mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  RelanceImportOptions options = { 0 };
  RelanceStore *store;
  gboolean ok;

  if (!relance_cli_parse_options (entries, "clients|invoices PATH", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3 || !parse_kind (argv[1], &options.kind))
    return relance_cli_usage_error (_("“import” needs two arguments: clients or invoices, then "
                                      "a file (.csv, .xlsx, .ods, .pdf, .xml) or a folder of "
                                      "e-invoices."));

  options.date_order = RELANCE_DATE_ORDER_DMY;
  if (date_format != NULL && !relance_date_parse_format (date_format, &options.date_order, &error))
    return relance_cli_usage_error ("%s", error->message);
  options.date_order_given = date_format != NULL;
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *eq = strchr (maps[i], '=');
      if (eq == NULL || eq == maps[i] || eq[1] == '\0')
        return relance_cli_usage_error (_("--map takes FIELD=HEADER, for example --map total=\"Montant TTC\"."));
      g_hash_table_insert (mapping, g_strndup (maps[i], eq - maps[i]), g_strdup (eq + 1));
    }
  options.mapping = mapping;
  options.dry_run = dry_run;
  options.sheet_name = sheet;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  ok = relance_import_file (store, argv[2], &options, NULL, NULL, NULL, &report, &error);

  if (report != NULL)
    {
      if (report->sheet != NULL)
        /* Translators: %s is the name of a spreadsheet's sheet, as on its tab */
        g_print (_("Read the sheet “%s”."), report->sheet);
      else if (g_strcmp0 (report->encoding, "E-INVOICE") == 0)
        g_print ("%s", _("Read e-invoices."));
      else
        /* Translators: first %s is an encoding name (UTF-8), second a separator name */
        g_print (_("Read %s, columns separated by %s."), report->encoding,
                 separator_name (report->separator));
      g_print ("\n");
      if (report->credit_notes > 0)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE,
                                "%u credit note lowered the invoice it corrects.",
                                "%u credit notes lowered the invoices they correct.",
                                report->credit_notes), report->credit_notes);
          g_print ("\n");
        }
      if (report->profile != NULL)
        {
          /* Translators: %s is the name of an invoicing tool, such as Dolibarr */
          g_print (_("Recognised: %s export."), report->profile);
          g_print ("\n");
        }
      if (report->skipped_above_header > 0)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: %u is a line number, then a count of lines */
                                "Header found on line %u; the line above it was skipped.",
                                "Header found on line %u; the %u lines above it were skipped.",
                                report->skipped_above_header),
                   report->header_line, report->skipped_above_header);
          g_print ("\n");
        }
      if (report->date_order_assumed)
        {
          g_print ("%s\n", report->date_order == RELANCE_DATE_ORDER_MDY
                           ? _("No date in the file tells whether the day or the month comes "
                               "first: dates were read month first (MM/DD/YYYY), as in your "
                               "company’s country. Use --date-format to say otherwise.")
                           : _("No date in the file tells whether the day or the month comes "
                               "first: dates were read day first (DD/MM/YYYY), as in your "
                               "company’s country. Use --date-format to say otherwise."));
        }
      else if (report->date_order == RELANCE_DATE_ORDER_MDY && date_format == NULL)
        g_print ("%s\n", _("Dates were read month first (MM/DD/YYYY), as the file writes them."));
      if (report->ignored_columns != NULL && report->ignored_columns->len > 0)
        {
          g_autoptr(GString) list = g_string_new (NULL);
          for (guint i = 0; i < report->ignored_columns->len; i++)
            g_string_append_printf (list, "%s“%s”", i > 0 ? ", " : "",
                                    (char *) g_ptr_array_index (report->ignored_columns, i));
          /* Translators: %s is a list of column headers */
          g_print (_("Ignored columns: %s."), list->str);
          g_print ("\n");
        }
      for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
        g_printerr ("%s\n", (char *) g_ptr_array_index (report->errors, i));
    }

  if (!ok)
    {
      if (g_error_matches (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT)
          && report != NULL && report->errors != NULL)
        {
          g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                   "relance: nothing was imported: %u problem was found.\n",
                                   "relance: nothing was imported: %u problems were found.\n",
                                   report->errors->len),
                      report->errors->len);
          return 1;
        }
      return relance_cli_fail (error);
    }

  /* Translators: counts of rows after an import */
  g_print (_("%u created, %u updated, %u unchanged."), report->created, report->updated,
           report->unchanged);
  if (report->merged_rows > 0)
    {
      g_print (" ");
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u more row was a line of an invoice already read.",
                            "%u more rows were lines of invoices already read.",
                            report->merged_rows), report->merged_rows);
    }
  if (report->drafts > 0)
    {
      g_print (" ");
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u draft left out: drafts are not chased.",
                            "%u drafts left out: drafts are not chased.",
                            report->drafts), report->drafts);
    }
  if (report->clients_created > 0)
    {
      g_print (" ");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u new client.", "%u new clients.",
                            report->clients_created), report->clients_created);
    }
  g_print ("\n");
  if (dry_run)
    g_print ("%s\n", _("Dry run: nothing was written."));
  return 0;
}

static int
cmd_export (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  RelanceImportKind kind;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "clients|invoices FILE.csv", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3 || !parse_kind (argv[1], &kind))
    return relance_cli_usage_error (_("“export” needs two arguments: clients or invoices, then a CSV file."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (!relance_export_file (store, kind, argv[2], &error))
    return relance_cli_fail (error);
  return 0;
}

/* ---- pay -------------------------------------------------------------------------- */

static int
cmd_pay (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *amount_text = NULL;
  g_autofree char *date_text = NULL;
  GOptionEntry entries[] = {
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text,
      N_("Amount received (default: everything outstanding)"), N_("AMOUNT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Date of the payment (default: today)"),
      N_("YYYY-MM-DD") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  g_autoptr(RelanceInvoice) after = NULL;
  g_autofree char *paid_text = NULL;
  g_autofree char *left_text = NULL;
  const char *language = relance_language_for_user ();
  gint64 amount = -1;
  GDate date;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "NUMBER", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2)
    return relance_cli_usage_error (_("“pay” needs the invoice number."));

  g_date_clear (&date, 1);
  if (date_text != NULL && !relance_date_parse (date_text, RELANCE_DATE_ORDER_DMY, &date, &error))
    return relance_cli_fail (error);

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((invoice = relance_store_get_invoice (store, argv[1], &error)) == NULL)
    return relance_cli_fail (error);

  if (amount_text != NULL)
    {
      g_autofree char *currency = NULL;
      RelanceDecimalHint hint = relance_money_guess_hint (amount_text);

      if (hint == RELANCE_DECIMAL_UNKNOWN)
        hint = g_str_equal (language, "fr") ? RELANCE_DECIMAL_COMMA : RELANCE_DECIMAL_DOT;
      if (!relance_money_parse (amount_text, invoice->currency, hint, &amount, &currency, &error))
        return relance_cli_fail (error);
      if (g_strcmp0 (currency, invoice->currency) != 0)
        {
          g_printerr ("relance: ");
          /* Translators: first %s is an invoice number, second and third currency codes */
          g_printerr (_("Invoice %s is in %s, not %s."), invoice->number, invoice->currency,
                      currency);
          g_printerr ("\n");
          return 1;
        }
      if (amount == 0)
        {
          g_printerr ("relance: %s\n", _("A payment must be a positive amount."));
          return 1;
        }
    }

  payment = relance_store_pay (store, invoice->number, amount, &date, &error);
  if (payment == NULL)
    return relance_cli_fail (error);
  after = relance_store_get_invoice (store, invoice->number, NULL);

  paid_text = relance_money_format (payment->amount, invoice->currency, language);
  left_text = relance_money_format (after != NULL ? relance_invoice_get_outstanding (after) : 0,
                                    invoice->currency, language);
  if (after != NULL && relance_invoice_get_outstanding (after) == 0)
    /* Translators: first %s is an amount, second an invoice number */
    g_print (_("Recorded %s on invoice %s; it is now paid in full."), paid_text, invoice->number);
  else
    /* Translators: first %s is an amount, second an invoice number, third an amount */
    g_print (_("Recorded %s on invoice %s; %s is still outstanding."), paid_text,
             invoice->number, left_text);
  g_print ("\n");
  return 0;
}

/* ---- dispatch --------------------------------------------------------------------- */

/* Translators: in the synopses, translate only the words in capitals (FILE, NUMBER…);
 * keep command names, option names and values as they are. */
static const Command commands[] = {
  { "import", N_("import clients|invoices PATH [--dry-run] [--map FIELD=HEADER] "
              "[--date-format F] [--sheet NAME]"),
    N_("Import clients or invoices from a CSV, .xlsx or .ods file, or from e-invoices "
       "(.pdf, .xml, or a folder of them), all or nothing"), cmd_import },
  { "export", N_("export clients|invoices FILE.csv"),
    N_("Export clients or invoices to a CSV file"), cmd_export },
  { "list", N_("list clients|invoices [--overdue] [--format text|csv|json]"),
    N_("List clients or invoices"), cmd_list },
  { "pay", N_("pay NUMBER [--amount AMOUNT] [--date YYYY-MM-DD]"),
    N_("Record a payment on an invoice"), cmd_pay },
  { "bank", N_("bank import FILE [--dry-run] · bank list [--unmatched|--proposed] "
               "[--format text|json] · bank match TXID NUMBER[,NUMBER…] · bank ignore TXID · "
               "bank undo TXID"),
    N_("Read a bank statement (CAMT.053/.054, OFX, your bank’s CSV): payments found are "
       "recorded, doubtful ones wait for you"), relance_cli_cmd_bank },
  { "invoice", N_("invoice dispute|resume|cancel NUMBER · "
                  "invoice promise NUMBER --date YYYY-MM-DD"),
    N_("Mark an invoice disputed, open again, cancelled, or promised for a date"),
    relance_cli_cmd_invoice },
  { "client", N_("client pause|resume|do-not-remind NAME"),
    N_("Pause or resume reminders for a client, or never remind them"), relance_cli_cmd_client },
  { "plan", N_("plan [--until YYYY-MM-DD] [--format text|json]"),
    N_("Show the next reminder of each client"), relance_cli_cmd_plan },
  { "preview", N_("preview NUMBER [--send-to-me [--template KEY]]"),
    N_("Show the reminder that would go out next for an invoice, or send it to yourself "
       "marked [TEST]"), relance_cli_cmd_preview },
  { "ab", N_("ab start STEP --variant FILE [--language fr|en] · ab status [--format json] · "
             "ab stop STEP --keep a|b"),
    N_("Test a second text (B) on an email step and keep the one that gets paid; STEP is "
       "SCENARIO:OFFSET, for example standard:+8"), relance_cli_cmd_ab },
  { "template", N_("template check FILE · template preview NUMBER"),
    N_("Check a template file for errors, or preview a reminder"), relance_cli_cmd_template },
  { "rate", N_("rate set YYYY-H1|YYYY-H2 PERCENT · rate update [--series ecb|boe] · "
               "rate list [--series ecb|boe|fr-legal]"),
    N_("Set the central bank reference rate of a half-year (ECB, or Bank of England)"),
    relance_cli_cmd_rate },
  { "config", N_("config get|set KEY [VALUE]"),
    N_("Read or change a setting: send-window, calendar, timezone, formal-notice-threshold, "
       "paused, background, reply-pause-days, bank-folder"),
    relance_cli_cmd_config },
  { "company", N_("company show | set [--name N] [--address A] [--country CC] [--siret S] "
               "[--vat V] [--iban I] [--bic B] [--currency EUR] [--language fr|en] "
               "[--payment-terms DAYS] [--penalty-rate PERCENT] [--payment-link PATTERN]"),
    N_("Show or change the company profile"), relance_cli_cmd_company },
  { "account", N_("account set --host H --port P --security starttls|tls|none --user U "
                  "--from ADDRESS [--reply-to ADDRESS] [--bcc-self] [--ca-file FILE] "
                  "[--transport smtp|brevo] · account set --imap-host H [--imap-port P] "
                  "[--imap-security tls|starttls] · account show · account set-password · "
                  "account set-api-key · account oauth microsoft|google [--device] "
                  "[--client-id ID] · account test"),
    N_("Set up the mail account reminders are sent from (password in the keyring)"),
    relance_cli_cmd_account },
  { "send-due", N_("send-due [--dry-run]"),
    N_("Queue and send the reminders that are due now"), relance_cli_cmd_send_due },
  { "history", N_("history [--invoice NUMBER] [--format text|json] [--show ID] "
                  "[--export FILE.pdf|FILE.csv]"),
    N_("Every reminder with its state, times and server reply"), relance_cli_cmd_history },
  { "inbox", N_("inbox check · inbox list [--format text|json]"),
    N_("Read the inbox now for replies and bounces, or list those recognised"),
    relance_cli_cmd_inbox },
  { "outbox", N_("outbox retry|cancel ID"),
    N_("Send again, or give up, a failed or uncertain reminder"), relance_cli_cmd_outbox },
  { "sms", N_("sms check TEXT|FILE · sms enable --sender NAME [--cost \"0.045 EUR\"] · "
              "sms disable"),
    N_("Count an SMS (GSM-7 or UCS-2, parts, cost), or turn SMS steps on or off"),
    relance_cli_cmd_sms },
  { "letter", N_("letter NUMBER -o FILE.pdf [--registered-ref REF]"),
    N_("Write the formal-notice letter of an invoice as a PDF"), relance_cli_cmd_letter },
  { "backup", N_("backup create · backup list · backup restore NAME"),
    N_("Copy the database now, list the copies (one a day is made by itself), or put one "
       "back"), relance_cli_cmd_backup },
  { "pause", N_("pause"), N_("Stop sending all reminders until “relance resume”"),
    relance_cli_cmd_pause },
  { "resume", N_("resume"), N_("Send reminders again after “relance pause”"),
    relance_cli_cmd_resume },
};

static char *
commands_summary (void)
{
  GString *out = g_string_new (_("Commands:"));

  g_string_append_c (out, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %s\n      %s\n", _(commands[i].synopsis),
                            _(commands[i].description));
  g_string_append_c (out, '\n');
  g_string_append (out, _("Without a command, Relance opens its window."));
  g_string_append_c (out, '\n');
  g_string_append (out, _("Exit status: 0 on success, 1 on an error, 2 on a usage error."));
  return g_string_free (out, FALSE);
}

void
relance_launch_clear (RelanceLaunch *launch)
{
  g_clear_pointer (&launch->database, g_free);
  launch->demo = FALSE;
  launch->background = FALSE;
}

int
relance_cli_main (int            argc,
                  char         **argv,
                  RelanceLaunch *launch)
{
  g_autofree char *database = NULL;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  gboolean background = FALSE;
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database,
      N_("Use FILE instead of the default database"), N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Use a throw-away database filled with demo data"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, &background,
      N_("Run the reminder scheduler without a window"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) args = NULL;
  int n_args;
  CliContext ctx = { 0 };
  int status;

  memset (launch, 0, sizeof *launch);

  /* Global options come before the command; the command's own options after it. */
  context = g_option_context_new (_("[COMMAND [ARGUMENTS…]]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Relance chases unpaid invoices with polite reminders."));
  summary = commands_summary ();
  g_option_context_set_description (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);

  /* --database and --demo apply to every command, so they are taken wherever they stand
   * ("relance list invoices --database x.db" works too); the rest is left to GOption. */
  args = g_new0 (char *, argc + 1);
  n_args = 0;
  for (int i = 0; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        {
          for (; i < argc; i++)
            args[n_args++] = g_strdup (argv[i]);
          break;
        }
      if (i > 0 && g_strcmp0 (argv[i], "--database") == 0 && i + 1 < argc)
        {
          g_free (database);
          database = g_strdup (argv[++i]);
        }
      else if (i > 0 && g_str_has_prefix (argv[i], "--database="))
        {
          g_free (database);
          database = g_strdup (argv[i] + strlen ("--database="));
        }
      else if (i > 0 && g_strcmp0 (argv[i], "--demo") == 0)
        demo = TRUE;
      else
        args[n_args++] = g_strdup (argv[i]);
    }
  if (!g_option_context_parse_strv (context, &args, &error))
    return relance_cli_usage_error ("%s", error->message);
  n_args = (int) g_strv_length (args);

  if (version)
    {
      g_print ("relance %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (demo)
    {
      g_free (database);
      database = relance_demo_create (&error);
      if (database == NULL)
        return relance_cli_fail (error);
    }

  if (n_args < 2 && background)
    {
      int bg_status;

      launch->database = g_steal_pointer (&database);
      bg_status = relance_cli_run_background (launch);
      if (demo)
        relance_demo_remove (launch->database);
      relance_launch_clear (launch);
      return bg_status;
    }

  if (n_args < 2)
    {
      /* The window keeps it until it closes; say where it is, to look at it meanwhile. */
      if (demo)
        g_printerr ("%s %s\n", _("Demo database:"), database);
      launch->database = g_steal_pointer (&database);
      launch->demo = demo;
      launch->background = background;
      return RELANCE_CLI_LAUNCH_APP;
    }

  if (background)
    return relance_cli_usage_error (_("--background takes no command."));

  launch->database = g_steal_pointer (&database);
  launch->demo = demo;
  ctx.launch = launch;
  ctx.command = args[1];

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, args[1]) == 0)
      {
        /* The subcommand parser sees "relance COMMAND args…" with COMMAND as argv[0]. */
        status = commands[i].func (&ctx, args + 1);
        g_clear_object (&ctx.store);
        /* A throw-away database is thrown away once the command is done. */
        if (demo)
          relance_demo_remove (launch->database);
        return status;
      }

  return relance_cli_usage_error (_("Unknown command “%s”."), args[1]);
}
