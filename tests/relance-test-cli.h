/* relance-test-cli.h: running the command line in process, as `relance --database PATH
 * ARGS…` would, for the tests that check a command end to end without a child process.
 *
 * Header only; include it from a test program (tests/ is on the include path). */
#pragma once

#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <unistd.h>

#include "relance-cli.h"

/* The exit status of `relance --database @db_path @args…` (@args NULL-terminated). What the
 * command prints on stdout is thrown away: it would mix with the TAP stream. */
static inline int
relance_test_run_cli (const char         *db_path,
                      const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  RelanceLaunch launch = { 0 };
  int status, saved_stdout, devnull;

  g_ptr_array_add (argv, (char *) "relance");
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, (char *) db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  fflush (stdout);
  saved_stdout = dup (STDOUT_FILENO);
  devnull = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  dup2 (devnull, STDOUT_FILENO);
  status = relance_cli_main ((int) argv->len - 1, (char **) argv->pdata, &launch);
  fflush (stdout);
  dup2 (saved_stdout, STDOUT_FILENO);
  close (saved_stdout);
  close (devnull);
  relance_launch_clear (&launch);
  return status;
}
