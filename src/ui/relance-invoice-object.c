/* relance-invoice-object.c: one invoice row of the store as a GObject, for list models.
 *
 * The list holds one object per invoice, so an object is a compact row and nothing
 * more until a cell shows it: the labels (amount, date) are formatted on first use and
 * kept, so that scrolling back costs nothing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-date.h"
#include "relance-invoice-object.h"
#include "relance-money.h"

struct _RelanceInvoiceObject
{
  GObject            parent_instance;

  RelanceInvoiceRow  row;          /* row.number is ours */
  const char        *language;     /* interned */
  char              *due_label;
  char              *outstanding_label;
  RelanceInvoice    *invoice;      /* built or given on demand */
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

  g_free ((char *) self->row.number);
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

char *
relance_text_fold (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  /* Plain ASCII, the common case for invoice numbers, needs no Unicode tables. */
  for (const char *p = text; ; p++)
    {
      if (*p == '\0')
        return g_ascii_strdown (text, -1);
      if ((guchar) *p >= 0x80)
        break;
    }

  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_steal_pointer (&folded);

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* The accents of é, ç, ö… are combining marks once decomposed. */
      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

gboolean
relance_invoice_row_equal (const RelanceInvoiceRow *a,
                           const RelanceInvoiceRow *b)
{
  return a->id == b->id &&
         a->client_id == b->client_id &&
         a->client_name == b->client_name &&
         a->status == b->status &&
         a->total == b->total &&
         a->paid == b->paid &&
         a->issue_julian == b->issue_julian &&
         a->due_julian == b->due_julian &&
         a->promise_julian == b->promise_julian &&
         a->client_paused == b->client_paused &&
         memcmp (a->currency, b->currency, sizeof a->currency) == 0 &&
         g_strcmp0 (a->number, b->number) == 0;
}

static guint32
julian_of (const GDate *date)
{
  return g_date_valid (date) ? g_date_get_julian (date) : 0;
}

static void
date_of (guint32  julian,
         GDate   *out)
{
  g_date_clear (out, 1);
  if (julian > 0)
    g_date_set_julian (out, julian);
}

/* The figures of the row as a RelanceInvoice on the stack, for the core's rules. */
static void
row_to_stack_invoice (const RelanceInvoiceRow *row,
                      RelanceInvoice          *out)
{
  memset (out, 0, sizeof *out);
  out->total = row->total;
  out->paid = row->paid;
  out->status = (char *) row->status;
  date_of (row->due_julian, &out->due_date);
}

/* Takes ownership of @invoice. @language ("fr" or "en") chooses how amounts and dates
 * are written. */
RelanceInvoiceObject *
relance_invoice_object_new (RelanceInvoice *invoice,
                            const char     *language)
{
  RelanceInvoiceObject *self;
  RelanceInvoiceRow row = { 0 };
  g_autofree char *key = NULL;

  g_return_val_if_fail (invoice != NULL, NULL);

  key = relance_text_fold (invoice->client_name);
  row.id = invoice->id;
  row.client_id = invoice->client_id;
  row.number = invoice->number;
  row.client_name = g_intern_string (invoice->client_name);
  row.client_key = g_intern_string (key);
  row.status = g_intern_string (invoice->status);
  row.total = invoice->total;
  row.paid = invoice->paid;
  row.issue_julian = julian_of (&invoice->issue_date);
  row.due_julian = julian_of (&invoice->due_date);
  row.promise_julian = julian_of (&invoice->promise_date);
  g_strlcpy (row.currency, invoice->currency != NULL ? invoice->currency : "",
             sizeof row.currency);

  self = relance_invoice_object_new_from_row (&row, language);
  self->invoice = invoice;
  return self;
}

/* Copies @row (and its number). */
RelanceInvoiceObject *
relance_invoice_object_new_from_row (const RelanceInvoiceRow *row,
                                     const char              *language)
{
  RelanceInvoiceObject *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELANCE_TYPE_INVOICE_OBJECT, NULL);
  self->row = *row;
  self->row.number = g_strdup (row->number);
  self->language = g_intern_string (language);
  return self;
}

const RelanceInvoiceRow *
relance_invoice_object_get_row (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return &self->row;
}

const RelanceInvoice *
relance_invoice_object_get_invoice (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);

  if (self->invoice == NULL)
    {
      RelanceInvoice *invoice = g_new0 (RelanceInvoice, 1);

      invoice->id = self->row.id;
      invoice->number = g_strdup (self->row.number);
      invoice->client_id = self->row.client_id;
      invoice->client_name = g_strdup (self->row.client_name);
      date_of (self->row.issue_julian, &invoice->issue_date);
      date_of (self->row.due_julian, &invoice->due_date);
      date_of (self->row.promise_julian, &invoice->promise_date);
      invoice->total = self->row.total;
      invoice->currency = g_strdup (self->row.currency);
      invoice->status = g_strdup (self->row.status);
      invoice->paid = self->row.paid;
      self->invoice = invoice;
    }
  return self->invoice;
}

gint64
relance_invoice_object_get_id (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);
  return self->row.id;
}

const char *
relance_invoice_object_get_number (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->row.number;
}

const char *
relance_invoice_object_get_client_name (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return self->row.client_name;
}

const char *
relance_invoice_object_get_due_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);

  if (self->due_label == NULL)
    {
      GDate due;

      date_of (self->row.due_julian, &due);
      self->due_label = g_date_valid (&due) ? relance_date_format (&due, self->language)
                                            : g_strdup ("");
    }
  return self->due_label;
}

guint
relance_invoice_object_get_due_julian (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);
  return self->row.due_julian;
}

gint64
relance_invoice_object_get_outstanding (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);
  return MAX (self->row.total - self->row.paid, 0);
}

const char *
relance_invoice_object_get_outstanding_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);

  if (self->outstanding_label == NULL)
    self->outstanding_label =
      relance_money_format (relance_invoice_object_get_outstanding (self),
                            self->row.currency, self->language);
  return self->outstanding_label;
}

const char *
relance_invoice_row_get_state (const RelanceInvoiceRow *row)
{
  RelanceInvoice invoice;

  row_to_stack_invoice (row, &invoice);
  return relance_invoice_get_state (&invoice);
}

const char *
relance_invoice_object_get_state (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);

  return relance_invoice_row_get_state (&self->row);
}

const char *
relance_invoice_object_get_status_label (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), NULL);
  return relance_invoice_state_to_label (relance_invoice_object_get_state (self));
}

int
relance_invoice_row_get_days_overdue (const RelanceInvoiceRow *row,
                                      const GDate             *today)
{
  RelanceInvoice invoice;

  row_to_stack_invoice (row, &invoice);
  return relance_invoice_get_days_overdue (&invoice, today);
}

int
relance_invoice_object_get_days_overdue (RelanceInvoiceObject *self,
                                         const GDate          *today)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), 0);

  return relance_invoice_row_get_days_overdue (&self->row, today);
}

/* A promise to pay that still stands: given, and the invoice not settled yet. */
gboolean
relance_invoice_row_has_promise (const RelanceInvoiceRow *row)
{
  const char *state;

  if (row->promise_julian == 0)
    return FALSE;
  state = relance_invoice_row_get_state (row);
  return strcmp (state, "paid") != 0 && strcmp (state, "cancelled") != 0;
}

gboolean
relance_invoice_object_has_promise (RelanceInvoiceObject *self)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), FALSE);

  return relance_invoice_row_has_promise (&self->row);
}

/* @needle is folded, so lower case: only the haystack's case needs folding. */
static gboolean
ascii_contains_folded (const char *haystack,
                       const char *needle)
{
  gsize n = strlen (needle);
  char first = needle[0];

  if (n == 0)
    return TRUE;
  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_tolower (*p) == first && g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Called for every row on each keystroke: the client's key is folded once per client
 * when the rows are read, and an ASCII number (nearly all are) is searched in place. */
gboolean
relance_invoice_row_matches (const RelanceInvoiceRow *row,
                             const char              *folded_needle)
{
  if (folded_needle == NULL || *folded_needle == '\0')
    return TRUE;
  if (row->client_key != NULL && strstr (row->client_key, folded_needle) != NULL)
    return TRUE;
  if (row->number == NULL)
    return FALSE;
  if (g_str_is_ascii (row->number))
    return ascii_contains_folded (row->number, folded_needle);
  else
    {
      g_autofree char *number = relance_text_fold (row->number);

      return strstr (number, folded_needle) != NULL;
    }
}

gboolean
relance_invoice_object_matches (RelanceInvoiceObject *self,
                                const char           *folded_needle)
{
  g_return_val_if_fail (RELANCE_IS_INVOICE_OBJECT (self), FALSE);

  return relance_invoice_row_matches (&self->row, folded_needle);
}
