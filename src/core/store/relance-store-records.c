/* relance-store-records.c: the records the store hands out (clients, invoices, payments,
 * company): freeing them and the figures derived from them, without the database. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store-private.h"
#include "relance-store.h"

/* Records */

void
relance_client_free (RelanceClient *client)
{
  if (client == NULL)
    return;
  g_free (client->name);
  g_free (client->reference);
  g_free (client->email);
  g_free (client->cc);
  g_free (client->phone);
  g_free (client->language);
  g_free (client->country);
  g_free (client->timezone);
  g_free (client->kind);
  g_free (client->segment);
  g_free (client->notes);
  g_free (client->street);
  g_free (client->postcode);
  g_free (client->city);
  g_free (client);
}

static gboolean
has_text (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return TRUE;
  return FALSE;
}

gboolean
relance_client_has_postal_address (const RelanceClient *client)
{
  g_return_val_if_fail (client != NULL, FALSE);
  return has_text (client->street) && has_text (client->city);
}

void
relance_invoice_free (RelanceInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->number);
  g_free (invoice->client_name);
  g_free (invoice->client_email);
  g_free (invoice->currency);
  g_free (invoice->status);
  g_free (invoice->notes);
  g_free (invoice);
}

void
relance_payment_free (RelancePayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->method);
  g_free (payment->note);
  g_free (payment);
}

void
relance_company_free (RelanceCompany *company)
{
  if (company == NULL)
    return;
  g_free (company->name);
  g_free (company->address);
  g_free (company->country);
  g_free (company->siret);
  g_free (company->vat);
  g_free (company->iban);
  g_free (company->bic);
  g_free (company->currency);
  g_free (company->language);
  g_free (company->penalty_rate);
  g_free (company->payment_link);
  g_free (company);
}

gint64
relance_invoice_get_outstanding (const RelanceInvoice *invoice)
{
  gint64 left = invoice->total - invoice->paid;
  return left > 0 ? left : 0;
}

const char *
relance_invoice_get_state (const RelanceInvoice *invoice)
{
  if (g_strcmp0 (invoice->status, "cancelled") == 0)
    return "cancelled";
  if (invoice->paid >= invoice->total)
    return "paid";
  if (g_strcmp0 (invoice->status, "disputed") == 0)
    return "disputed";
  if (invoice->paid > 0)
    return "partially-paid";
  return "open";
}

int
relance_invoice_get_days_overdue (const RelanceInvoice *invoice,
                                  const GDate          *today)
{
  int days;

  if (g_strcmp0 (invoice->status, "cancelled") == 0 || invoice->paid >= invoice->total
      || !g_date_valid (&invoice->due_date))
    return 0;
  days = g_date_days_between (&invoice->due_date, today);
  return days > 0 ? days : 0;
}
