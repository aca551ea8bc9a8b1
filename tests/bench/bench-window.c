/* bench-window.c: start-up, memory and search of the main window on one database.
 *
 * Usage: bench-window DATABASE [SEARCH_TEXT]
 *
 * Opens the store and the window as the application does (quick, the full check of the
 * file in a worker thread after the first frame), waits for the first frame painted with
 * invoices in the list (start-up: the first rows are read first), then for the frame
 * after every invoice is in the list (complete, and the resident memory then), lets the check and
 * the pages finish (the resident memory again, settled), then types
 * SEARCH_TEXT into the search entry (one keystroke) and waits until the list is filtered
 * and painted again. Prints one line:
 * "startup_ms=… complete_ms=… rss_kb=… rss_settled_kb=… filter_ms=… shown=…". It never judges
 * the figures; tests/bench/bench-window.py compares runs on different databases. */
#include "config.h"

#include <adwaita.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relance-invoices-page.h"
#include "relance-store.h"
#include "relance-window.h"

static gint64 start_us;
static guint frames;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  frames++;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
quiet_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until nothing happened for 300 ms (at most 60 s): the other pages read the
 * store in worker threads and fill themselves when they are done, which must not land in
 * the middle of the keystroke measured. */
static void
wait_until_settled (void)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  while (busy && g_get_monotonic_time () < give_up)
    {
      gboolean quiet = FALSE;

      busy = FALSE;
      g_timeout_add (300, quiet_cb, &quiet);
      while (!quiet)
        {
          g_main_context_iteration (NULL, TRUE);
          busy |= !quiet;
        }
    }
}

/* What the application runs in a worker thread once the invoices are painted. */
static gpointer
check_thread (gpointer data)
{
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = relance_store_open_quick (data, &error);
  if (store == NULL || !relance_store_verify (store, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  return NULL;
}

/* Iterates until a frame was painted after this call. */
static void
wait_for_frame (GtkWidget *window)
{
  guint seen = frames;

  gtk_widget_queue_draw (window);
  while (frames == seen)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  RelanceWindow *window;
  GtkWidget *entry;
  GdkFrameClock *clock;
  GListModel *model;
  GThread *check;
  gint64 startup_us, complete_us, filter_start, filter_us = 0;
  long rss, rss_settled;

  start_us = g_get_monotonic_time ();
  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-window DATABASE [SEARCH_TEXT]\n");
      return 2;
    }

#ifdef __GLIBC__
  /* As the application does (src/ui/main.c). */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif
  adw_init ();
  store = relance_store_open_quick (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  window = relance_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  if (g_getenv ("BENCH_WINDOW_DEBUG") != NULL)
    fprintf (stderr, "realized at %.1f ms\n", (g_get_monotonic_time () - start_us) / 1000.0);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  /* The list shows invoices when the first rows are in the model (the rest follows from
   * the same worker thread), or an empty database is read. */
  model = relance_window_get_model (window);
  while (relance_window_is_loading (window) && g_list_model_get_n_items (model) == 0)
    g_main_context_iteration (NULL, TRUE);
  if (g_getenv ("BENCH_WINDOW_DEBUG") != NULL)
    fprintf (stderr, "first rows at %.1f ms\n", (g_get_monotonic_time () - start_us) / 1000.0);
  wait_for_frame (GTK_WIDGET (window));
  startup_us = g_get_monotonic_time () - start_us;

  /* Every invoice in the list, painted: what a search or a scroll to the end needs. */
  while (relance_window_is_loading (window))
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (window));
  complete_us = g_get_monotonic_time () - start_us;
  rss = rss_kb ();

  check = g_thread_new ("check", check_thread, argv[1]);
  wait_until_settled ();
  g_thread_join (check);
#ifdef __GLIBC__
  /* As the application does once the check is over: the thread's arena goes back. */
  malloc_trim (0);
#endif
  rss_settled = rss_kb ();
  entry = find_type (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  if (argc > 2 && entry != NULL)
    {
      /* One keystroke: the text changes and the entry reports it at once (its usual
       * delay is there to wait for the next key, not work to measure). */
      filter_start = g_get_monotonic_time ();
      gtk_editable_set_text (GTK_EDITABLE (entry), argv[2]);
      g_signal_emit_by_name (entry, "search-changed");
      /* The invoice list filters on the spot (no incremental filtering): the model is
       * up to date here, and the frame below is its layout and painting. */
      if (g_getenv ("BENCH_WINDOW_DEBUG") != NULL)
        fprintf (stderr, "filtered in %.2f ms\n", (g_get_monotonic_time () - filter_start) / 1000.0);
      wait_for_frame (GTK_WIDGET (window));
      filter_us = g_get_monotonic_time () - filter_start;
    }

  printf ("startup_ms=%.1f complete_ms=%.1f rss_kb=%ld rss_settled_kb=%ld filter_ms=%.2f "
          "shown=%u\n",
          startup_us / 1000.0, complete_us / 1000.0, rss, rss_settled, filter_us / 1000.0,
          g_list_model_get_n_items (model));
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
