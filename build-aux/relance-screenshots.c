/* relance-screenshots.c: renders the main views of Relance to PNG, in process.
 *
 * Used by build-aux/screenshots.sh under Xvfb: opens the window on a demo database, shows
 * each page in turn, waits until it has read the store, and renders the window with its
 * own GskRenderer (no screen grab, so no window manager or compositor is needed).
 * Usage: relance-screenshots DATABASE OUTDIR LANG */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "relance-demo.h"
#include "relance-onboarding.h"
#include "relance-resources.h"
#include "relance-store.h"
#include "relance-window.h"

static void
settle (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    g_error ("Nothing was drawn for %s", path);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

int
main (int    argc,
      char **argv)
{
  static const char *pages[] = { "invoices", "clients", "upcoming", "dashboard", "templates" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = NULL;
  const char *localedir = g_getenv ("RELANCE_LOCALEDIR");
  RelanceOnboarding *onboarding;
  RelanceWindow *window;

  if (argc != 4)
    {
      g_printerr ("Usage: %s DATABASE OUTDIR LANG\n", argv[0]);
      return 2;
    }
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_init ();
  adw_init ();
  g_assert (relance_get_resource () != NULL);

  store = relance_store_open (argv[1], &error);
  if (store == NULL)
    g_error ("%s", error->message);
  {
    g_autoptr(GPtrArray) invoices = relance_store_list_invoices (store,
                                                                 RELANCE_INVOICE_FILTER_ALL,
                                                                 NULL, NULL);

    if ((invoices == NULL || invoices->len == 0) && !relance_demo_fill (store, &error))
      g_error ("%s", error->message);
  }

  window = relance_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s-%s.png", argv[2], pages[i], argv[3]);
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      relance_window_show_page (window, pages[i]);
      settle (300);
      while (relance_window_is_loading (window) && g_get_monotonic_time () < deadline)
        settle (50);
      settle (500);
      save_png (GTK_WIDGET (window), path);
    }

  /* The assistant as a new user sees it, over the window. */
  relance_store_set_setting (store, RELANCE_SETTING_ONBOARDING, "0", NULL);
  onboarding = relance_onboarding_new (GTK_WINDOW (window), store);
  gtk_window_set_default_size (GTK_WINDOW (onboarding), 640, 720);
  gtk_window_present (GTK_WINDOW (onboarding));
  settle (800);
  {
    g_autofree char *path = g_strdup_printf ("%s/onboarding-%s.png", argv[2], argv[3]);
    save_png (GTK_WIDGET (onboarding), path);
  }
  relance_store_set_setting (store, RELANCE_SETTING_ONBOARDING, "done", NULL);
  return 0;
}
