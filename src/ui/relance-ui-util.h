/* relance-ui-util.h: small helpers every page of the window needs the same way (the window
 * a dialog belongs to, an error dialog, emptying a list box, a spinner that only turns
 * on screen, the "store" property). */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

GtkWindow *relance_widget_get_window   (GtkWidget    *widget);
/* Shows @toast (transfer full) over the window @widget is in. */
void       relance_widget_add_toast    (GtkWidget    *widget,
                                        AdwToast     *toast);
void       relance_show_error_dialog   (GtkWidget    *widget,
                                        const char   *heading,
                                        const GError *error);
void       relance_list_box_remove_all (GtkListBox   *box);
void       relance_spinner_spin_while_mapped (GtkSpinner *spinner);

typedef void (*RelanceStoreSetter) (gpointer      object,
                                    RelanceStore *store);

/* The "store" property of the window and its pages, installed on @object_class (a final
 * type with no other property) with the get_property and set_property it needs: reading
 * the RelanceStore * at @store_offset of the instance, writing through @set_store (which
 * notifies with the returned pspec). */
GParamSpec *relance_class_install_store_property (GObjectClass       *object_class,
                                                  gsize               store_offset,
                                                  RelanceStoreSetter  set_store);

G_END_DECLS
