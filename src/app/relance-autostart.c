/* relance-autostart.c: the autostart file, or the background portal inside the Flatpak. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#ifdef HAVE_LIBPORTAL
#include <libportal/portal.h>
#endif

#include "relance-autostart.h"
#include "relance-error.h"

char *
relance_autostart_get_path (void)
{
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".desktop", NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

/* Quotes one argument of an Exec line (Desktop Entry Specification, "The Exec key"). */
static void
append_exec_arg (GString *out, const char *arg)
{
  if (strpbrk (arg, " \t\n\"'\\><~|&;$*?#()`=%") == NULL)
    {
      g_string_append (out, arg);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = arg; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '`' || *p == '$' || *p == '\\')
        g_string_append (out, "\\\\");
      if (*p == '%')
        g_string_append_c (out, '%');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* "fr" for fr_FR.UTF-8: the key suffix of the translated Name and Comment. */
static char *
current_language (void)
{
  const char *name = g_get_language_names ()[0];
  g_autofree char *lang = g_strdup (name);
  char *cut = strpbrk (lang, "_.@");

  if (cut != NULL)
    *cut = '\0';
  if (*lang == '\0' || g_str_equal (lang, "C") || g_str_equal (lang, "en"))
    return NULL;
  return g_steal_pointer (&lang);
}

char *
relance_autostart_get_contents (const char *database)
{
  static const char *comment = N_("Sends your payment reminders while the window is closed");
  g_autoptr(GString) out = g_string_new ("[Desktop Entry]\nType=Application\n");
  g_autofree char *lang = current_language ();
  g_autofree char *database_abs = NULL;

  g_string_append (out, "Name=Relance\n");
  g_string_append_printf (out, "Comment=%s\n", comment);
  if (lang != NULL && g_strcmp0 (_(comment), comment) != 0)
    g_string_append_printf (out, "Comment[%s]=%s\n", lang, _(comment));
  g_string_append (out, "Exec=relance");
  if (database != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (database);

      database_abs = g_file_get_path (file);
      g_string_append (out, " --database ");
      append_exec_arg (out, database_abs);
    }
  g_string_append (out, " --background\n");
  g_string_append_printf (out, "Icon=%s\n", APPLICATION_ID);
  g_string_append (out, "Terminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
relance_autostart_is_enabled (void)
{
  g_autofree char *path = relance_autostart_get_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

#ifdef HAVE_LIBPORTAL
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} PortalCall;

static void
on_background (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PortalCall *call = user_data;

  call->ok = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &call->error);
  call->done = TRUE;
  g_main_context_wakeup (NULL);
}

static gboolean
portal_set (gboolean enabled, GError **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(XdpPortal) portal = NULL;
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = g_strdup (_("Relance sends your payment reminders at the right "
                                        "hours, even when its window is closed."));
  PortalCall call = { 0 };

  g_main_context_push_thread_default (context);
  portal = xdp_portal_new ();
  g_ptr_array_add (commandline, g_strdup ("relance"));
  g_ptr_array_add (commandline, g_strdup ("--background"));
  /* No window from the command line: the portal accepts a NULL parent. */
  xdp_portal_request_background (portal, NULL, reason, commandline,
                                 enabled ? XDP_BACKGROUND_FLAG_AUTOSTART
                                         : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_background, &call);
  while (!call.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  if (!call.ok)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("The system refused to let Relance run in the background: %s"),
                   call.error != NULL ? call.error->message : "");
      g_clear_error (&call.error);
      return FALSE;
    }
  return TRUE;
}
#endif

gboolean
relance_autostart_set (gboolean     enabled,
                       const char  *database,
                       GError     **error)
{
  g_autofree char *path = relance_autostart_get_path ();

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
#ifdef HAVE_LIBPORTAL
      return portal_set (enabled, error);
#else
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("This build of Relance cannot ask the system to start it at login."));
      return FALSE;
#endif
    }

  if (enabled)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *contents = relance_autostart_get_contents (database);
      g_autoptr(GError) local = NULL;

      if (g_mkdir_with_parents (dir, 0700) != 0
          || !g_file_set_contents_full (path, contents, -1,
                                        G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                       /* Translators: %s is a file name, then the system's reason */
                       _("Could not write the autostart file %s: %s"), path,
                       local != NULL ? local->message : g_strerror (errno));
          return FALSE;
        }
      return TRUE;
    }

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("Could not remove the autostart file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
