/* relance-preferences.h: the Preferences window (company, mail account, sending, penalties,
 * background). Every change is checked and saved at once, as in GNOME's own settings. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_PREFERENCES (relance_preferences_get_type ())
G_DECLARE_FINAL_TYPE (RelancePreferences, relance_preferences, RELANCE, PREFERENCES,
                      AdwPreferencesWindow)

RelancePreferences *relance_preferences_new (GtkWindow    *parent,
                                             RelanceStore *store);

G_END_DECLS
