/* relance-cli-documents.c: the command line's documents: the formal-notice letter
 * (`relance letter NUMBER -o FILE.pdf`) and the proof export of the history
 * (`relance history --export FILE.pdf|FILE.csv`). */
#include "config.h"

#include <glib/gi18n.h>

#include "relance-cli-private.h"
#include "relance-clock.h"
#include "relance-letter.h"
#include "relance-proof.h"

static gboolean
write_file (const char *path, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (path, data, (gssize) len, &local))
    {
      g_set_error (error, local->domain, local->code,
                   /* Translators: %1$s is a file name, %2$s the system's reason */
                   _("Could not write “%1$s”: %2$s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- letter ------------------------------------------------------------------------ */

int
relance_cli_cmd_letter (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *output = NULL;
  g_autofree char *registered = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the letter to FILE (PDF)"),
      N_("FILE") },
    { "registered-ref", 0, 0, G_OPTION_ARG_STRING, &registered,
      N_("The registered-mail number to print on the letter"), N_("REF") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(RelanceLetter) letter = NULL;
  RelanceStore *store;

  if (!relance_cli_parse_options (entries, _("NUMBER"), &argv, &argc))
    return EXIT_USAGE;
  if (argc != 2)
    return relance_cli_usage_error (_("“letter” needs one invoice number."));
  if (output == NULL)
    return relance_cli_usage_error (_("Say where to write the letter: relance letter %s -o "
                                      "FILE.pdf"), argv[1]);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  now = relance_clock_now ();
  if ((letter = relance_letter_new (store, argv[1], NULL, now, registered, &error)) == NULL
      || (pdf = relance_letter_to_pdf (letter, &error)) == NULL
      || !write_file (output, pdf, &error))
    return relance_cli_fail (error);
  /* Translators: %1$s is an invoice number, %2$s a file name */
  g_print (_("Formal notice for invoice %1$s written to %2$s.\n"), argv[1], output);
  /* Written all the same: it also goes out attached to the formal-notice email. */
  if (!relance_letter_has_postal_address (letter))
    g_printerr ("%s\n", _("The client has no postal address: this letter cannot be posted as "
                          "it is. Add the address in the client’s details."));
  return 0;
}

/* ---- history --export -------------------------------------------------------------- */

int
relance_cli_export_history (RelanceStore *store,
                            const char   *invoice_number,
                            const char   *client,
                            const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".pdf"))
    bytes = relance_proof_to_pdf (store, invoice_number, client, &error);
  else if (g_str_has_suffix (lower, ".csv"))
    bytes = relance_proof_to_csv (store, invoice_number, client, &error);
  else
    return relance_cli_usage_error (_("“%s”: the history can be exported to a .pdf or a .csv "
                                      "file."), path);
  if (bytes == NULL || !write_file (path, bytes, &error))
    return relance_cli_fail (error);
  g_print (_("History written to %s.\n"), path);
  return 0;
}
