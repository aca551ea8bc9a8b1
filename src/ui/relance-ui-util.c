/* relance-ui-util.c: small helpers every page of the window needs the same way.
 *
 * They were copied in each page before; one copy keeps the pages' dialogs and lists
 * behaving alike. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-ui-util.h"

/* The window @widget is shown in, for dialogs to be transient for; NULL while it is not in
 * a window (a page built by a test on its own). */
GtkWindow *
relance_widget_get_window (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The toast goes to the nearest AdwToastOverlay above @widget (the window's); a widget
 * outside any (a test showing one page alone) drops it. */
void
relance_widget_add_toast (GtkWidget *widget,
                          AdwToast  *toast)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* @heading says what failed ("Could Not Save the Client"); the error's message, a whole
 * sentence from the layer below, says why. */
void
relance_show_error_dialog (GtkWidget    *widget,
                           const char   *heading,
                           const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  dialog = adw_message_dialog_new (relance_widget_get_window (widget), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Only the rows the pages add: none of their list boxes has a placeholder or a model. */
void
relance_list_box_remove_all (GtkListBox *box)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (box));

  /* Nested: GDK_VERSION_4_12 is not even defined by older headers (-Werror=undef). */
#if GTK_CHECK_VERSION (4, 12, 0)
# if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_12
  gtk_list_box_remove_all (box);
  return;
# endif
#endif
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static void
spinner_map_cb (GtkSpinner *spinner)
{
  gtk_spinner_start (spinner);
}

static void
spinner_unmap_cb (GtkSpinner *spinner)
{
  gtk_spinner_stop (spinner);
}

/* A spinner turns through a CSS animation, which GTK 4.8 runs on every frame even while
 * the spinner is in a page nobody sees: a "loading" spinner left spinning kept the window
 * drawing 60 frames a second when idle. Such spinners spin only while on screen. */
void
relance_spinner_spin_while_mapped (GtkSpinner *spinner)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  g_signal_connect (spinner, "map", G_CALLBACK (spinner_map_cb), NULL);
  g_signal_connect (spinner, "unmap", G_CALLBACK (spinner_unmap_cb), NULL);
  gtk_spinner_set_spinning (spinner, gtk_widget_get_mapped (GTK_WIDGET (spinner)));
}

/* What relance_class_install_store_property() keeps on each class's type. */
typedef struct
{
  gsize              store_offset;
  RelanceStoreSetter set_store;
} StoreProperty;

static GQuark
store_property_quark (void)
{
  return g_quark_from_static_string ("relance-store-property");
}

enum {
  PROP_0,
  PROP_STORE,
};

static void
store_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  const StoreProperty *property = g_type_get_qdata (G_OBJECT_TYPE (object),
                                                    store_property_quark ());

  if (prop_id == PROP_STORE)
    g_value_set_object (value, G_STRUCT_MEMBER (RelanceStore *, object,
                                                property->store_offset));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
store_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
  const StoreProperty *property = g_type_get_qdata (G_OBJECT_TYPE (object),
                                                    store_property_quark ());

  if (prop_id == PROP_STORE)
    property->set_store (object, g_value_get_object (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

GParamSpec *
relance_class_install_store_property (GObjectClass       *object_class,
                                      gsize               store_offset,
                                      RelanceStoreSetter  set_store)
{
  StoreProperty *property = g_new0 (StoreProperty, 1);
  GParamSpec *pspec;

  g_return_val_if_fail (G_IS_OBJECT_CLASS (object_class), NULL);
  g_return_val_if_fail (set_store != NULL, NULL);

  /* Kept for the life of the type, as class data is. */
  property->store_offset = store_offset;
  property->set_store = set_store;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), store_property_quark (), property);
  object_class->get_property = store_get_property;
  object_class->set_property = store_set_property;
  pspec = g_param_spec_object ("store", NULL, NULL, RELANCE_TYPE_STORE,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_STORE, pspec);
  return pspec;
}
