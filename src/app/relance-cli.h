/* relance-cli.h: the command line (the contract in DESIGN.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the window (or the background service) should open when the command line names
 * no command. */
typedef struct
{
  char     *database;   /* NULL: the default database */
  gboolean  demo;       /* --demo: a throw-away database with demo data */
  gboolean  background; /* --background */
} RelanceLaunch;

#define RELANCE_CLI_LAUNCH_APP (-1)

/* Runs the command named in @argv and returns its exit status (0, 1 error, 2 usage), or
 * RELANCE_CLI_LAUNCH_APP when no command is named and the application should start
 * with @launch filled in. Never touches GTK. */
int  relance_cli_main          (int            argc,
                                char         **argv,
                                RelanceLaunch *launch);
void relance_launch_clear      (RelanceLaunch *launch);

G_END_DECLS
