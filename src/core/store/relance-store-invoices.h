/* relance-store-invoices.h: the rules of the invoice aggregate (payments, promises to pay,
 * disputes, cancellation, deletion) and the compact rows of the invoice list.
 *
 * Each rule lives here once: the window, the command line and the outbox call these
 * functions rather than writing invoices themselves. Every function that writes runs in
 * one transaction (or inside the caller's, when one is open) and announces
 * RELANCE_STORE_CHANGED_INVOICES with the invoice's id after the commit. Records,
 * listing, relance_store_save_invoice() and relance_store_pay() are in relance-store.h. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* Deletes invoice @number; its payments, the history of its reminders and its bank
 * matches go with it. */
gboolean relance_store_delete_invoice       (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);

/* Deletes the payments @ids (the undo of relance_store_pay()), all or none; a payment
 * already gone is not an error. */
gboolean relance_store_delete_payments      (RelanceStore        *self,
                                             const gint64        *ids,
                                             guint                n_ids,
                                             GError             **error);

/* Marks invoice @number disputed: reminders stop. A cancelled invoice is refused
 * (RELANCE_CORE_ERROR_CONFLICT). */
gboolean relance_store_dispute_invoice      (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);
/* A disputed invoice is open again (its promise, if any, still holds); any other is left
 * as it is. */
gboolean relance_store_undispute_invoice    (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);
/* Cancels invoice @number: nothing is owed and no reminder goes out. An invoice with
 * payments recorded is refused (RELANCE_CORE_ERROR_CONFLICT). */
gboolean relance_store_cancel_invoice       (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);
/* A cancelled invoice is open again; any other is left as it is. */
gboolean relance_store_reopen_invoice       (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);
/* Invoice @number is open whatever it was, without a promise: reminders resume at the
 * next step (`relance invoice resume`). */
gboolean relance_store_resume_invoice       (RelanceStore        *self,
                                             const char          *number,
                                             GError             **error);

/* Promises to pay. A new promise needs a date from today on (RELANCE_CORE_ERROR_INVALID
 * before); NULL or an invalid @date clears the promise. */
gboolean relance_store_set_invoice_promise  (RelanceStore        *self,
                                             const char          *number,
                                             const GDate         *date,
                                             GError             **error);
/* The same promise on each invoice of @ids (Upcoming's Postpone), all or none; @previous
 * (out, optional) receives a GArray of the GDate each invoice had (invalid when none),
 * for relance_store_restore_invoice_promises(). */
gboolean relance_store_promise_invoices     (RelanceStore        *self,
                                             const gint64        *ids,
                                             guint                n_ids,
                                             const GDate         *date,
                                             GArray             **previous,
                                             GError             **error);
/* Puts back the promises @previous (GDate, as relance_store_promise_invoices() gave them):
 * an undo, so past dates are allowed. */
gboolean relance_store_restore_invoice_promises (RelanceStore    *self,
                                                 const gint64    *ids,
                                                 guint            n_ids,
                                                 GArray          *previous,
                                                 GError         **error);

/* Saves @invoice for @client, a new client (client->id == 0) saved first, all or none:
 * the invoice dialog's "new client" field. Both ids are set on success. */
gboolean relance_store_save_invoice_for_new_client (RelanceStore    *self,
                                                    RelanceInvoice  *invoice,
                                                    RelanceClient   *client,
                                                    GError         **error);

/* The rows of the invoice list: what it shows of each invoice, read without a record per
 * row (100 000 invoices are read in a few hundred milliseconds). */
typedef enum
{
  RELANCE_INVOICE_ORDER_ID,
  RELANCE_INVOICE_ORDER_NUMBER,  /* case-insensitive, then by id */
  RELANCE_INVOICE_ORDER_DUE,     /* then by id */
} RelanceInvoiceOrder;

/* Strings are the engine's, valid during the call only. */
typedef struct
{
  gint64      id;
  gint64      client_id;
  const char *number;
  const char *client_name;
  const char *currency;
  const char *status;          /* stored status: "open", "cancelled", "disputed" */
  gint64      total;
  gint64      paid;            /* sum of payments */
  guint32     issue_julian;    /* Julian day, 0 when none */
  guint32     due_julian;
  guint32     promise_julian;
  gboolean    client_paused;
} RelanceInvoiceSummary;

typedef void (*RelanceInvoiceSummaryFunc) (const RelanceInvoiceSummary *summary,
                                           gpointer                     user_data);

/* Calls @func on each invoice in @order (@descending reverses the key, equal keys stay in
 * the order of the ids); with @limit > 0, on the first @limit only, read through the
 * indexes. FALSE (and @error) when the engine fails midway. */
gboolean relance_store_foreach_invoice_summary (RelanceStore              *self,
                                                RelanceInvoiceOrder        order,
                                                gboolean                   descending,
                                                guint                      limit,
                                                RelanceInvoiceSummaryFunc  func,
                                                gpointer                   user_data,
                                                GError                   **error);

G_END_DECLS
