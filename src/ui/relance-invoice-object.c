/* relance-invoice-object.c: one invoice row of the store as a GObject, for list models.
 *
 * The labels (amount, date, status) are formatted once, when the row is loaded, so that
 * binding a cell while scrolling a long list costs nothing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-date.h"
#include "relance-invoice-object.h"
#include "relance-money.h"

struct _RelanceInvoiceObject
{
  GObject         parent_instance;

  RelanceInvoice *invoice;
  char           *due_label;
  char           *outstanding_label;
};

G_DEFINE_FINAL_TYPE (RelanceInvoiceObject, relance_invoice_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_CLIENT_NAME,
  PROP_DUE_JULIAN,
  PROP_DUE_LABEL,
  PROP_OUTSTANDING,
  PROP_OUTSTANDING_LABEL,
  PROP_STATE,
  PROP_STATUS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The translated label of a state from relance_invoice_get_state(). */
const char *
relance_invoice_state_to_label (const char *state)
{
  static const struct { const char *state; const char *label; } labels[] = {
    /* Translators: the status of an invoice in the invoice list */
    { "open", NC_("invoice status", "Open") },
    /* Translators: the status of an invoice in the invoice list */
    { "partially-paid", NC_("invoice status", "Partially Paid") },
    /* Translators: the status of an invoice in the invoice list */
    { "paid", NC_("invoice status", "Paid") },
    /* Translators: the status of an invoice in the invoice list */
    { "cancelled", NC_("invoice status", "Cancelled") },
    /* Translators: the status of an invoice in the invoice list */
    { "disputed", NC_("invoice status", "Disputed") },
  };

  if (state == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (state, labels[i].state) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "invoice status", labels[i].label);
  return state;
}

static void
relance_invoice_object_finalize (GObject *object)
{
  RelanceInvoiceObject *self = (RelanceInvoiceObject *) object;

  g_clear_pointer (&self->invoice, relance_invoice_free);
  g_clear_pointer (&self->due_label, g_free);
  g_clear_pointer (&self->outstanding_label, g_free);

  G_OBJECT_CLASS (relance_invoice_object_parent_class)->finalize (object);
}

static void
relance_invoice_object_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RelanceInvoiceObject *self = RELANCE_INVOICE_OBJECT (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_string (value, relance_invoice_object_get_number (self));
      break;

    case PROP_CLIENT_NAME:
      g_value_set_string (value, relance_invoice_object_get_client_name (self));
      break;

    case PROP_DUE_JULIAN:
      g_value_set_uint (value, relance_invoice_object_get_due_julian (self));
      break;

    case PROP_DUE_LABEL:
      g_value_set_string (value, relance_invoice_object_get_due_label (self));
      break;

    case PROP_OUTSTANDING:
      g_value_set_int64 (value, relance_invoice_object_get_outstanding (self));
      break;

    case PROP_OUTSTANDING_LABEL:
      g_value_set_string (value, relance_invoice_object_get_outstanding_label (self));
      break;

    case PROP_STATE:
      g_value_set_string (value, relance_invoice_object_get_state (self));
      break;

    case PROP_STATUS_LABEL:
      g_value_set_string (value, relance_invoice_object_get_status_label (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relance_invoice_object_class_init (RelanceInvoiceObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relance_invoice_object_finalize;
  object_class->get_property = relance_invoice_object_get_property;

  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_NAME] =
    g_param_spec_string ("client-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Sorting by the Julian day keeps date order without parsing labels. */
  properties[PROP_DUE_JULIAN] =
    g_param_spec_uint ("due-julian", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_LABEL] =
    g_param_spec_string ("due-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTSTANDING] =
    g_param_spec_int64 ("outstanding", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTSTANDING_LABEL] =
    g_param_spec_string ("outstanding-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relance_invoice_object_init (RelanceInvoiceObject *self)
{
}

/* Takes ownership of @invoice. @language ("fr" or "en") chooses how amounts and dates
 * are written. */
RelanceInvoiceObject *
relance_invoice_object_new (RelanceInvoice *invoice,
                            const char     *language)
{
  RelanceInvoiceObject *self;

  g_return_val_if_fail (invoice != NULL, NULL);

  self = g_object_new (RELANCE_TYPE_INVOICE_OBJECT, NULL);
  self->invoice = invoice;
  if (g_date_valid (&invoice->due_date))
    self->due_label = relance_date_format (&invoice->due_date, language);
  else
    self->due_label = g_strdup ("");
  self->outstanding_label = relance_money_format (relance_invoice_get_outstanding (invoice),
                                                  invoice->currency, language);
  return self;
}

const RelanceInvoice *
relance_invoice_object_get_invoice (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->invoice;
}

const char *
relance_invoice_object_get_number (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->invoice->number;
}

const char *
relance_invoice_object_get_client_name (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->invoice->client_name;
}

const char *
relance_invoice_object_get_due_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->due_label;
}

guint
relance_invoice_object_get_due_julian (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);
  if (!g_date_valid (&self->invoice->due_date))
    return 0;
  return g_date_get_julian (&self->invoice->due_date);
}

gint64
relance_invoice_object_get_outstanding (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);
  return relance_invoice_get_outstanding (self->invoice);
}

const char *
relance_invoice_object_get_outstanding_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->outstanding_label;
}

const char *
relance_invoice_object_get_state (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return relance_invoice_get_state (self->invoice);
}

const char *
relance_invoice_object_get_status_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return relance_invoice_state_to_label (relance_invoice_get_state (self->invoice));
}
