/* relance-cli-bank.c: `relance bank import|list|match|ignore|undo`, the command line of
 * bank statements. Every rule is in the store (relance-bank-store.c); this file reads the
 * arguments and says what happened. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "relance-bank-store.h"
#include "relance-cli-private.h"
#include "relance-date.h"
#include "relance-language.h"
#include "relance-money.h"

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "applied") == 0)
    /* Translators: state of a bank credit: it became payments */
    return C_("bank", "applied");
  if (g_strcmp0 (status, "proposed") == 0)
    /* Translators: state of a bank credit: a match waits for the owner's click */
    return C_("bank", "proposed");
  if (g_strcmp0 (status, "ignored") == 0)
    /* Translators: state of a bank credit: the owner said it pays no invoice */
    return C_("bank", "ignored");
  /* Translators: state of a bank credit: no invoice found for it */
  return C_("bank", "unmatched");
}

/* "12 → F2026-0101, F2026-0102" */
static char *
links_text (const RelanceBankTransaction *t)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < t->links->len; i++)
    {
      RelanceBankLink *link = g_ptr_array_index (t->links, i);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, link->number);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_transaction (const RelanceBankTransaction *t,
                   const char                   *language)
{
  g_autofree char *date = relance_date_format (&t->date, language);
  g_autofree char *amount = relance_money_format (t->amount, t->currency, language);
  g_autofree char *invoices = links_text (t);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("#%" G_GINT64_FORMAT, t->id);
  const char *who = *t->payer != '\0' ? t->payer : t->label;

  relance_cli_append_padded (line, id, 6);
  relance_cli_append_padded (line, date, 12);
  relance_cli_append_padded (line, amount, 14);
  relance_cli_append_padded (line, status_label (t->status), 11);
  relance_cli_append_padded (line, who, 28);
  if (*invoices != '\0')
    g_string_append_printf (line, " → %s", invoices);
  g_print ("%s\n", line->str);
  if (*t->payer != '\0' && *t->label != '\0')
    g_print ("      %s\n", t->label);
  if (t->excess > 0)
    {
      g_autofree char *excess = relance_money_format (t->excess, t->currency, language);

      /* Translators: %s is an amount paid above what the invoices owed */
      g_print ("      ");
      g_print (_("Paid %s more than owed: check with the client."), excess);
      g_print ("\n");
    }
  if (t->note != NULL && !g_str_equal (t->status, "applied"))
    g_print ("      %s\n", t->note);
}

static gboolean
parse_txid (const char *text,
            gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*text == '#')
    text++;
  value = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != '\0' || value <= 0)
    return FALSE;
  *out = value;
  return TRUE;
}

/* ---- import ----------------------------------------------------------------------- */

static int
cmd_import (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Read and match, write nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankStatement) statement = NULL;
  g_autoptr(RelanceBankImportReport) report = NULL;
  const char *language = relance_language_for_user ();
  RelanceStore *store;
  guint n_credits;

  if (!relance_cli_parse_options (entries, "import FILE", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3)
    return relance_cli_usage_error (_("“bank import” needs the statement file."));
  if ((statement = relance_bank_statement_read (argv[2], &error)) == NULL)
    return relance_cli_fail (error);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if ((report = relance_bank_store_import (store, statement, dry_run, &error)) == NULL)
    return relance_cli_fail (error);

  n_credits = statement->credits->len;
  if (statement->bank != NULL)
    /* Translators: %s is the name of a bank (Qonto, LCL…) */
    g_print (_("Recognised: CSV export of %s."), statement->bank);
  else
    /* Translators: %s is a format: CAMT.053, CAMT.054 or OFX */
    g_print (_("Recognised: %s statement."), statement->format);
  g_print (" ");
  g_print (ngettext ("%u credit", "%u credits", n_credits), n_credits);
  if (statement->n_debits > 0)
    {
      g_print (", ");
      g_print (ngettext ("%u debit left aside", "%u debits left aside", statement->n_debits),
               statement->n_debits);
    }
  g_print (".\n");

  if (report->n_new == 0 && n_credits > 0)
    {
      g_print ("%s\n", _("Nothing new: every credit of this statement was already imported."));
      return 0;
    }
  for (guint i = 0; i < report->transactions->len; i++)
    print_transaction (g_ptr_array_index (report->transactions, i), language);
  /* Translators: a summary of a bank statement import; each %u is a count */
  g_print (_("Paid at once: %u · to confirm: %u · unmatched: %u · already imported: %u."),
           report->n_applied, report->n_proposed, report->n_unmatched, report->n_known);
  g_print ("\n");
  if (dry_run)
    g_print ("%s\n", _("Dry run: nothing was written."));
  return 0;
}

/* ---- list ------------------------------------------------------------------------- */

static void
json_transaction (JsonBuilder                  *builder,
                  const RelanceBankTransaction *t)
{
  g_autofree char *date = relance_date_to_iso (&t->date);
  g_autofree char *amount = relance_money_to_decimal (t->amount, t->currency);
  g_autofree char *excess = relance_money_to_decimal (t->excess, t->currency);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, t->id);
  relance_cli_json_string_member (builder, "date", date);
  relance_cli_json_string_member (builder, "amount", amount);
  relance_cli_json_string_member (builder, "currency", t->currency);
  relance_cli_json_string_member (builder, "payer", t->payer);
  relance_cli_json_string_member (builder, "label", t->label);
  relance_cli_json_string_member (builder, "reference", t->reference);
  relance_cli_json_string_member (builder, "status", t->status);
  json_builder_set_member_name (builder, "invoices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < t->links->len; i++)
    {
      RelanceBankLink *link = g_ptr_array_index (t->links, i);
      g_autofree char *paid = relance_money_to_decimal (link->amount, t->currency);

      json_builder_begin_object (builder);
      relance_cli_json_string_member (builder, "number", link->number);
      relance_cli_json_string_member (builder, "amount", paid);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Beyond the contract's fields: what was paid above what was owed, and why a credit did
   * not match. */
  relance_cli_json_string_member (builder, "excess", excess);
  relance_cli_json_string_member (builder, "statement", t->statement);
  relance_cli_json_string_member (builder, "note", t->note);
  json_builder_end_object (builder);
}

static int
cmd_list (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  gboolean unmatched = FALSE, proposed = FALSE;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "unmatched", 0, 0, G_OPTION_ARG_NONE, &unmatched,
      N_("Only the credits no invoice was found for"), NULL },
    { "proposed", 0, 0, G_OPTION_ARG_NONE, &proposed,
      N_("Only the matches waiting to be confirmed"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format"), "text|json" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, "list [--unmatched|--proposed]", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2)
    return relance_cli_usage_error (_("“bank list” takes no other argument."));
  if (unmatched && proposed)
    return relance_cli_usage_error (_("Use --unmatched or --proposed, not both."));
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return relance_cli_usage_error (_("Unknown format “%s”: use text or json."), format);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  list = relance_bank_store_list (store,
                                  unmatched ? RELANCE_BANK_FILTER_UNMATCHED
                                  : proposed ? RELANCE_BANK_FILTER_PROPOSED
                                  : RELANCE_BANK_FILTER_ALL, &error);
  if (list == NULL)
    return relance_cli_fail (error);

  if (g_strcmp0 (format, "json") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        json_transaction (builder, g_ptr_array_index (list, i));
      json_builder_end_array (builder);
      relance_cli_print_json (builder);
      return 0;
    }
  if (list->len == 0)
    {
      g_print ("%s\n", unmatched ? _("No unmatched credit.")
                       : proposed ? _("No match waits for confirmation.")
                       : _("No bank statement imported yet: use “relance bank import FILE”."));
      return 0;
    }
  for (guint i = 0; i < list->len; i++)
    print_transaction (g_ptr_array_index (list, i), relance_language_for_user ());
  return 0;
}

/* ---- match, ignore, undo ---------------------------------------------------------- */

static int
cmd_match (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autoptr(RelanceBankTransaction) t = NULL;
  g_autofree char *invoices = NULL;
  RelanceStore *store;
  gint64 id;

  if (!relance_cli_parse_options (entries, "match TXID NUMBER[,NUMBER…]", &argv, &argc))
    return EXIT_USAGE;
  if (argc < 4)
    return relance_cli_usage_error (_("“bank match” needs a transaction and invoice numbers."));
  if (!parse_txid (argv[2], &id))
    return relance_cli_usage_error (_("“%s” is not a bank transaction number."), argv[2]);
  for (int i = 3; i < argc; i++)
    {
      g_auto(GStrv) parts = g_strsplit (argv[i], ",", -1);

      for (guint p = 0; parts[p] != NULL; p++)
        if (*g_strstrip (parts[p]) != '\0')
          g_strv_builder_add (numbers, parts[p]);
    }
  list = g_strv_builder_end (numbers);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (!relance_bank_store_match (store, id, (const char * const *) list, &error)
      || (t = relance_bank_store_get (store, id, &error)) == NULL)
    return relance_cli_fail (error);
  print_transaction (t, relance_language_for_user ());
  return 0;
}

static int
cmd_simple (CliContext *ctx,
            char      **command_argv,
            gboolean  (*action) (RelanceStore *, gint64, GError **))
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceBankTransaction) t = NULL;
  RelanceStore *store;
  gint64 id;

  if (!relance_cli_parse_options (entries, "ignore|undo TXID", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3)
    return relance_cli_usage_error (_("“bank %s” needs the bank transaction number."), argv[1]);
  if (!parse_txid (argv[2], &id))
    return relance_cli_usage_error (_("“%s” is not a bank transaction number."), argv[2]);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);
  if (!action (store, id, &error) || (t = relance_bank_store_get (store, id, &error)) == NULL)
    return relance_cli_fail (error);
  print_transaction (t, relance_language_for_user ());
  return 0;
}

int
relance_cli_cmd_bank (CliContext *ctx, char **argv)
{
  const char *sub = argv[1];

  if (sub == NULL)
    return relance_cli_usage_error (_("Use “bank import”, “bank list”, “bank match”, "
                                      "“bank ignore” or “bank undo”."));
  if (g_str_equal (sub, "import"))
    return cmd_import (ctx, argv);
  if (g_str_equal (sub, "list"))
    return cmd_list (ctx, argv);
  if (g_str_equal (sub, "match"))
    return cmd_match (ctx, argv);
  if (g_str_equal (sub, "ignore"))
    return cmd_simple (ctx, argv, relance_bank_store_ignore);
  if (g_str_equal (sub, "undo"))
    return cmd_simple (ctx, argv, relance_bank_store_undo);
  return relance_cli_usage_error (_("Use “bank import”, “bank list”, “bank match”, "
                                    "“bank ignore” or “bank undo”."));
}
