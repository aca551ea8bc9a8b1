/* relance-cli-backup.c: `relance backup create | list | restore NAME`. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "relance-backup.h"
#include "relance-cli-private.h"
#include "relance-date.h"
#include "relance-language.h"

static char *
database_path (CliContext *ctx)
{
  return ctx->launch->database != NULL ? g_strdup (ctx->launch->database)
                                       : relance_store_default_path ();
}

static int
backup_create (CliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  RelanceStore *store;

  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (g_steal_pointer (&error));
  if (!relance_backup_create (store, &name, &error))
    return relance_cli_fail (g_steal_pointer (&error));
  /* Translators: %s is the backup's name, such as 2026-12-07-1432 */
  g_print (_("Backup copy “%s” made."), name);
  g_print ("\n");
  return EXIT_SUCCESS;
}

static int
backup_list (CliContext *ctx)
{
  g_autofree char *path = database_path (ctx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = relance_backup_list (path, &error);

  if (list == NULL)
    return relance_cli_fail (g_steal_pointer (&error));
  if (list->len == 0)
    {
      g_print ("%s\n", _("No backup copy yet: one is made each day Relance writes, or now "
                         "with “relance backup create”."));
      return EXIT_SUCCESS;
    }
  for (guint i = 0; i < list->len; i++)
    {
      RelanceBackup *backup = g_ptr_array_index (list, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (backup->made);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *size = g_format_size (backup->size);
      g_autoptr(GString) line = g_string_new (NULL);

      /* The name first: it is what “backup restore” takes. */
      relance_cli_append_padded (line, backup->name, 18);
      g_string_append (line, "  ");
      relance_cli_append_padded (line, when, 16);
      g_string_append (line, "  ");
      g_string_append (line, size);
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

static int
backup_restore (CliContext *ctx,
                const char *name)
{
  g_autofree char *path = database_path (ctx);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  if (!relance_backup_restore (path, name, &kept, &error))
    return relance_cli_fail (g_steal_pointer (&error));
  /* Translators: %s is the backup's name, such as 2026-12-07 */
  g_print (_("The database is back as it was in the copy “%s”."), name);
  g_print ("\n");
  if (kept != NULL)
    {
      /* Translators: %s is a file path */
      g_print (_("The file it replaced is kept as “%s”."), kept);
      g_print ("\n");
    }
  return EXIT_SUCCESS;
}

int
relance_cli_cmd_backup (CliContext  *ctx,
                        char       **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  int argc = 0;

  if (!relance_cli_parse_options (entries, "create|list|restore [NAME]", &argv, &argc))
    return EXIT_USAGE;
  if (argc == 2 && g_str_equal (argv[1], "create"))
    return backup_create (ctx);
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return backup_list (ctx);
  if (argc == 3 && g_str_equal (argv[1], "restore"))
    return backup_restore (ctx, argv[2]);
  return relance_cli_usage_error (_("“backup” needs create, list, or restore and the name of "
                                    "a copy (see “relance backup list”)."));
}
