/* fuzz-common.h: what every fuzz target shares. Each target defines
 * LLVMFuzzerTestOneInput(); built with -Dfuzzing=true (clang) it is a libFuzzer target, and
 * otherwise it is linked with replay.c so that the test suite replays its checked-in corpus
 * (tests/fuzz/corpus/TARGET/) on every run, and a bug once found stays fixed. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* GLib's criticals are bugs too, and aborts are what the fuzzer reports. */
static inline void
fuzz_set_up (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
}

/* @data as a NUL-terminated string (inputs may hold NULs: they end it early, as a C string
 * read from a file would). */
static inline char *
fuzz_string (const uint8_t *data,
             size_t         size)
{
  return g_strndup ((const char *) data, size);
}
