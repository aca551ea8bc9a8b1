/* relance-ui-util.h: small helpers every page of the window needs the same way (the window
 * a dialog belongs to, an error dialog, emptying a list box, a spinner that only turns
 * on screen). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWindow *relance_widget_get_window   (GtkWidget    *widget);
void       relance_show_error_dialog   (GtkWidget    *widget,
                                        const char   *heading,
                                        const GError *error);
void       relance_list_box_remove_all (GtkListBox   *box);
void       relance_spinner_spin_while_mapped (GtkSpinner *spinner);

G_END_DECLS
