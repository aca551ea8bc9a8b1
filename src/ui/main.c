/* main.c: the relance executable.
 *
 * The command line comes first and never touches GTK, so that every command works
 * without a display; only a plain `relance` (or --database/--demo) starts the window. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "relance-application.h"
#include "relance-cli.h"
#include "relance-demo.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(RelanceApplication) app = NULL;
  RelanceLaunch launch = { 0 };
  const char *localedir;
  int status;

  /* Tests point at the catalogs compiled in the build dir. */
  localedir = g_getenv ("RELANCE_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  status = relance_cli_main (argc, argv, &launch);
  if (status != RELANCE_CLI_LAUNCH_APP)
    {
      relance_launch_clear (&launch);
      return status;
    }

#ifdef __GLIBC__
  /* The window holds a few large arrays (100 000 invoice rows, their sort and filter
   * orders) that it replaces as a whole. A fixed threshold keeps them mapped on their own,
   * so that each one freed goes back to the system; glibc's sliding threshold otherwise
   * moved them into the heap after the first one was freed, where they stayed resident
   * (about 3 MB at 100 000 invoices). */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif
  g_set_application_name (_("Relance"));
  app = relance_application_new (launch.database);

  /* The command line was parsed already: GApplication sees no option to parse again. */
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_clear_object (&app);
  if (launch.demo)
    relance_demo_remove (launch.database);
  relance_launch_clear (&launch);
  return status;
}
