/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput() on every file of the corpus
 * folders given on the command line, so the normal test suite (built with gcc, no fuzzer)
 * replays what fuzzing found. Prints one TAP line per folder. */
#include <glib.h>
#include <stdio.h>

#include "fuzz-common.h"

int
main (int    argc,
      char **argv)
{
  guint total = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
      const char *name;
      guint n = 0;

      if (dir == NULL)
        {
          printf ("not ok %d - %s: %s\n", i, argv[i], error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          if (!g_file_get_contents (path, &contents, &length, &error))
            {
              printf ("not ok %d - %s: %s\n", i, path, error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
          n++;
        }
      printf ("ok %d - %s: %u inputs\n", i, argv[i], n);
      total += n;
    }
  printf ("1..%d\n", argc - 1);
  return total > 0 ? 0 : 1;
}
