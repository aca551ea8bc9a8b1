/* store-records.h: clients, invoices and payments written through the store API, for the
 * core tests that need a few (header only; each helper fails the test on an error). */
#pragma once

#include "relance-date.h"
#include "relance-store.h"

static inline gint64
store_records_add_client (RelanceStore  *store,
                          RelanceClient *client)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relance_store_save_client (store, client, &error));
  g_assert_no_error (error);
  return client->id;
}

/* Dates are YYYY-MM-DD. */
static inline gint64
store_records_add_invoice (RelanceStore *store,
                           gint64        client_id,
                           const char   *number,
                           const char   *issue,
                           const char   *due,
                           gint64        total,
                           const char   *currency)
{
  g_autoptr(GError) error = NULL;
  RelanceInvoice invoice = { .number = (char *) number, .client_id = client_id,
                             .total = total, .currency = (char *) currency };

  g_assert_true (relance_date_from_iso (issue, &invoice.issue_date));
  g_assert_true (relance_date_from_iso (due, &invoice.due_date));
  g_date_clear (&invoice.promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, &invoice, &error));
  g_assert_no_error (error);
  return invoice.id;
}

static inline void
store_records_add_payment (RelanceStore *store,
                           gint64        invoice_id,
                           const char   *date,
                           gint64        amount)
{
  g_autoptr(GError) error = NULL;
  RelancePayment payment = { .invoice_id = invoice_id, .amount = amount };

  g_assert_true (relance_date_from_iso (date, &payment.date));
  g_assert_true (relance_store_add_payment (store, &payment, &error));
  g_assert_no_error (error);
}
