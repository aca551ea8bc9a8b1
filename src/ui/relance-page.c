/* relance-page.c: the base class of the window's pages (see relance-page.h). */
#include "config.h"

#include "relance-page.h"

typedef struct
{
  RelanceStore *store;
  gulong        changed_id;
  guint         reload_id;
} RelancePagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RelancePage, relance_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
reload_idle (gpointer user_data)
{
  RelancePage *self = user_data;
  RelancePagePrivate *priv = relance_page_get_instance_private (self);

  priv->reload_id = 0;
  g_debug ("%s: reading the store again", G_OBJECT_TYPE_NAME (self));
  relance_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* The change is announced right after a commit, in the middle of the code that made it
 * (which may still hold rows of the old list): a page that rebuilds what it shows reads
 * when idle, before the next frame; a page whose reading only starts a worker starts it at
 * once (the list changes when the worker is done, on the main loop). */
static void
store_changed_cb (RelanceStore             *store,
                  const RelanceStoreChange *change,
                  gpointer                  user_data)
{
  RelancePage *self = user_data;
  RelancePagePrivate *priv = relance_page_get_instance_private (self);

  g_debug ("%s: the store changed (0x%x%s)", G_OBJECT_TYPE_NAME (self), change->what,
           change->external ? ", elsewhere" : "");
  if ((change->what & RELANCE_PAGE_GET_CLASS (self)->changes) == 0)
    return;
  if (RELANCE_PAGE_GET_CLASS (self)->reads_in_worker)
    {
      relance_page_reload (self);
      return;
    }
  if (priv->reload_id != 0)
    return;
  /* Before the next frame is drawn (GDK_PRIORITY_REDRAW), after the code that committed. */
  priv->reload_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_idle, self, NULL);
}

static void
disconnect_store (RelancePage *self)
{
  RelancePagePrivate *priv = relance_page_get_instance_private (self);

  g_clear_handle_id (&priv->reload_id, g_source_remove);
  if (priv->store != NULL)
    g_clear_signal_handler (&priv->changed_id, priv->store);
  g_clear_object (&priv->store);
}

static void
relance_page_dispose (GObject *object)
{
  disconnect_store (RELANCE_PAGE (object));

  G_OBJECT_CLASS (relance_page_parent_class)->dispose (object);
}

static void
relance_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, relance_page_get_store (RELANCE_PAGE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      relance_page_set_store (RELANCE_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_page_class_init (RelancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relance_page_dispose;
  object_class->get_property = relance_page_get_property;
  object_class->set_property = relance_page_set_property;
  klass->changes = RELANCE_STORE_CHANGED_ALL;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELANCE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relance_page_init (RelancePage *self)
{
}

RelanceStore *
relance_page_get_store (RelancePage *self)
{
  RelancePagePrivate *priv;

  g_return_val_if_fail (RELANCE_IS_PAGE (self), NULL);

  priv = relance_page_get_instance_private (self);
  return priv->store;
}

void
relance_page_set_store (RelancePage  *self,
                        RelanceStore *store)
{
  RelancePagePrivate *priv;

  g_return_if_fail (RELANCE_IS_PAGE (self));
  g_return_if_fail (store == NULL || RELANCE_IS_STORE (store));

  priv = relance_page_get_instance_private (self);
  if (priv->store == store)
    return;
  disconnect_store (self);
  if (store != NULL)
    {
      priv->store = g_object_ref (store);
      priv->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb),
                                           self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  relance_page_reload (self);
}

void
relance_page_reload (RelancePage *self)
{
  RelancePagePrivate *priv;

  g_return_if_fail (RELANCE_IS_PAGE (self));

  priv = relance_page_get_instance_private (self);
  g_clear_handle_id (&priv->reload_id, g_source_remove);
  if (priv->store != NULL && RELANCE_PAGE_GET_CLASS (self)->reload != NULL)
    RELANCE_PAGE_GET_CLASS (self)->reload (self);
}

gboolean
relance_page_is_stale (RelancePage *self)
{
  RelancePagePrivate *priv;

  g_return_val_if_fail (RELANCE_IS_PAGE (self), FALSE);

  priv = relance_page_get_instance_private (self);
  return priv->reload_id != 0;
}
