/* relance-client-object.c: one client in the Clients list, with what they owe.
 *
 * The list filters as the user types, so the text searched is folded once, here, and
 * not at every keystroke. */
#include "config.h"

#include <string.h>

#include "relance-client-object.h"

struct _RelanceClientObject
{
  GObject        parent_instance;

  RelanceClient *client;
  char          *outstanding;
  char          *overdue;
  char          *haystack;
};

G_DEFINE_FINAL_TYPE (RelanceClientObject, relance_client_object, G_TYPE_OBJECT)

static void
relance_client_object_finalize (GObject *object)
{
  RelanceClientObject *self = RELANCE_CLIENT_OBJECT (object);

  g_clear_pointer (&self->client, relance_client_free);
  g_clear_pointer (&self->outstanding, g_free);
  g_clear_pointer (&self->overdue, g_free);
  g_clear_pointer (&self->haystack, g_free);

  G_OBJECT_CLASS (relance_client_object_parent_class)->finalize (object);
}

static void
relance_client_object_class_init (RelanceClientObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relance_client_object_finalize;
}

static void
relance_client_object_init (RelanceClientObject *self)
{
}

RelanceClientObject *
relance_client_object_new (RelanceClient *client,
                           const char    *outstanding,
                           const char    *overdue)
{
  RelanceClientObject *self;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  self = g_object_new (RELANCE_TYPE_CLIENT_OBJECT, NULL);
  self->client = client;
  self->outstanding = g_strdup (outstanding != NULL ? outstanding : "");
  self->overdue = g_strdup (overdue != NULL ? overdue : "");
  joined = g_strjoin ("\n", client->name,
                      client->reference != NULL ? client->reference : "",
                      client->email != NULL ? client->email : "",
                      client->phone != NULL ? client->phone : "", NULL);
  self->haystack = g_utf8_casefold (joined, -1);
  return self;
}

const RelanceClient *
relance_client_object_get_client (RelanceClientObject *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENT_OBJECT (self), NULL);
  return self->client;
}

const char *
relance_client_object_get_outstanding (RelanceClientObject *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENT_OBJECT (self), NULL);
  return self->outstanding;
}

const char *
relance_client_object_get_overdue (RelanceClientObject *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENT_OBJECT (self), NULL);
  return self->overdue;
}

gboolean
relance_client_object_matches (RelanceClientObject *self,
                               const char          *folded)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (RELANCE_IS_CLIENT_OBJECT (self), FALSE);

  if (folded == NULL || *folded == '\0')
    return TRUE;
  words = g_strsplit_set (folded, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (self->haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}
