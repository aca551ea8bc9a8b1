/* relance-autostart.h: starting `relance --background` at login ("Run in the background").
 *
 * Outside the sandbox: a desktop autostart file in $XDG_CONFIG_HOME/autostart. Inside the
 * Flatpak: the background portal (libportal), which writes the equivalent for us. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* $XDG_CONFIG_HOME/autostart/<app id>.desktop */
char     *relance_autostart_get_path     (void);
/* The autostart file for @database (NULL: the default database). */
char     *relance_autostart_get_contents (const char  *database);
gboolean  relance_autostart_is_enabled   (void);
/* Blocking (the portal call runs its own main context): for the command line. The window
 * should ask the portal itself with its GtkWindow as the parent. */
gboolean  relance_autostart_set          (gboolean     enabled,
                                          const char  *database,
                                          GError     **error);

G_END_DECLS
