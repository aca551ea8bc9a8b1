/* relance-clients-page.c: the Clients page of the main window.
 *
 * A placeholder that keeps the window's contract (a store, reload on store-changed)
 * until the page itself is built. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-clients-page.h"

struct _RelanceClientsPage
{
  AdwBin        parent_instance;

  RelanceStore *store;
};

G_DEFINE_FINAL_TYPE (RelanceClientsPage, relance_clients_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
relance_clients_page_dispose (GObject *object)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);

  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relance_clients_page_parent_class)->dispose (object);
}

static void
relance_clients_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_clients_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RelanceClientsPage *self = RELANCE_CLIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      relance_clients_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_clients_page_class_init (RelanceClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_clients_page_dispose;
  object_class->get_property = relance_clients_page_get_property;
  object_class->set_property = relance_clients_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELANCE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-clients-page.ui");
}

static void
relance_clients_page_init (RelanceClientsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RelanceStore *
relance_clients_page_get_store (RelanceClientsPage *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENTS_PAGE (self), NULL);
  return self->store;
}

void
relance_clients_page_set_store (RelanceClientsPage *self,
                                RelanceStore       *store)
{
  g_return_if_fail (RELANCE_IS_CLIENTS_PAGE (self));
  g_return_if_fail (store == NULL || RELANCE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
      relance_clients_page_reload (self);
    }
}

void
relance_clients_page_reload (RelanceClientsPage *self)
{
  g_return_if_fail (RELANCE_IS_CLIENTS_PAGE (self));
}
