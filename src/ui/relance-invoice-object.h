/* relance-invoice-object.h: one invoice row of the store as a GObject, for list models. */
#pragma once

#include <glib-object.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* What the invoice list needs of an invoice, small enough to hold 100 000 of them. The
 * strings other than @number are interned (g_intern_string), so rows compare them by
 * address. */
typedef struct
{
  gint64      id;
  gint64      client_id;
  const char *number;
  const char *client_name;
  const char *client_key;     /* client_name folded for search, see relance_text_fold() */
  const char *status;         /* stored status: "open", "cancelled", "disputed" */
  gint64      total;
  gint64      paid;
  guint32     issue_julian;   /* 0 when none */
  guint32     due_julian;
  guint32     promise_julian;
  char        currency[4];
  gboolean    client_paused;
  guint32     stamp;          /* set by RelanceInvoiceModel: new for each new or changed row */
} RelanceInvoiceRow;

gboolean relance_invoice_row_equal (const RelanceInvoiceRow *a,
                                    const RelanceInvoiceRow *b);
/* The same rules as the object's functions below, on a bare row (no object needed). */
const char *relance_invoice_row_get_state        (const RelanceInvoiceRow *row);
int         relance_invoice_row_get_days_overdue (const RelanceInvoiceRow *row,
                                                  const GDate             *today);
gboolean    relance_invoice_row_has_promise      (const RelanceInvoiceRow *row);
gboolean    relance_invoice_row_matches          (const RelanceInvoiceRow *row,
                                                  const char              *folded_needle);
/* Lower case and without accents, for searching as a person types ("Épée" → "epee"). */
char    *relance_text_fold         (const char              *text);

#define RELANCE_TYPE_INVOICE_OBJECT (relance_invoice_object_get_type ())
G_DECLARE_FINAL_TYPE (RelanceInvoiceObject, relance_invoice_object, RELANCE, INVOICE_OBJECT,
                      GObject)

RelanceInvoiceObject *relance_invoice_object_new                 (RelanceInvoice       *invoice,
                                                                  const char           *language);
RelanceInvoiceObject *relance_invoice_object_new_from_row        (const RelanceInvoiceRow *row,
                                                                  const char           *language);
const RelanceInvoiceRow *relance_invoice_object_get_row          (RelanceInvoiceObject *self);
/* Built on first use from the row (client e-mail and notes are not in it). */
const RelanceInvoice *relance_invoice_object_get_invoice         (RelanceInvoiceObject *self);
gint64                relance_invoice_object_get_id              (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_number          (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_client_name     (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_due_label       (RelanceInvoiceObject *self);
guint                 relance_invoice_object_get_due_julian      (RelanceInvoiceObject *self);
gint64                relance_invoice_object_get_outstanding     (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_outstanding_label (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_state           (RelanceInvoiceObject *self);
const char           *relance_invoice_object_get_status_label    (RelanceInvoiceObject *self);
int                   relance_invoice_object_get_days_overdue    (RelanceInvoiceObject *self,
                                                                  const GDate          *today);
gboolean              relance_invoice_object_has_promise         (RelanceInvoiceObject *self);
/* @folded_needle comes from relance_text_fold(). */
gboolean              relance_invoice_object_matches             (RelanceInvoiceObject *self,
                                                                  const char           *folded_needle);

const char           *relance_invoice_state_to_label             (const char           *state);

G_END_DECLS
