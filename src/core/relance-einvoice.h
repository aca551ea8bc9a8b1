/* relance-einvoice.h: reading the few fields Relance needs (number, dates, amount due, buyer)
 * from one structured e-invoice or credit note, so that it can be imported without typing.
 *
 * Three forms are read, decided from the content and never from the file name:
 *  - CII: UN/CEFACT CrossIndustryInvoice D16B, as profiled by EN 16931, Factur-X and
 *    ZUGFeRD 2.x;
 *  - UBL 2.1 Invoice or CreditNote, as profiled by Peppol BIS Billing 3.0;
 *  - Factur-X / ZUGFeRD PDF: a PDF/A-3 carrying the CII XML as an embedded file named
 *    factur-x.xml, zugferd-invoice.xml or xrechnung.xml.
 *
 * Files come from anyone, so the reader refuses any XML with a DOCTYPE (entity expansion,
 * external entities), never touches the network, and caps both the XML and what a PDF
 * attachment may decompress to (RELANCE_EINVOICE_MAX_XML_SIZE). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest XML accepted, whether a file of its own or extracted from a PDF. A real invoice
 * with hundreds of lines is well under 1 MB. */
#define RELANCE_EINVOICE_MAX_XML_SIZE (20 * 1024 * 1024)

/* Largest PDF file accepted: invoices with scanned pages attached stay far below. */
#define RELANCE_EINVOICE_MAX_PDF_SIZE (100 * 1024 * 1024)

typedef enum
{
  RELANCE_EINVOICE_INVOICE,
  RELANCE_EINVOICE_CREDIT_NOTE,
} RelanceEinvoiceKind;

/* Field names follow the business terms (BT-n) of EN 16931. Strings are NULL when the
 * invoice does not give them; amounts are in minor units of @currency. */
typedef struct
{
  RelanceEinvoiceKind kind;
  char   *syntax;           /* "CII", "UBL", "Factur-X" (CII inside a PDF) */
  char   *number;           /* BT-1 */
  GDate   issue_date;       /* BT-2 */
  GDate   due_date;         /* BT-9; else issue + N for terms "N days"/"N jours"; else invalid */
  gint64  amount_due;       /* BT-115, or BT-112 minus BT-113; always >= 0 */
  gint64  total;            /* BT-112 grand total incl. VAT; always >= 0 */
  char   *currency;         /* BT-5 ISO 4217 */
  char   *buyer_name;       /* BT-44 */
  char   *buyer_email;      /* BT-49 when its scheme is EM, else the contact's BT-58 */
  char   *buyer_siren;      /* BT-47 when SIREN/SIRET (scheme 0002/0009), spaces removed */
  char   *buyer_vat;        /* BT-48 */
  char   *buyer_country;    /* BT-55 ISO 3166-1 alpha-2 */
  char   *preceding_number; /* BT-25: the invoice a credit note corrects */
} RelanceEinvoice;

/* Reads an .xml or .pdf file; which one is decided from its content. */
RelanceEinvoice *relance_einvoice_read_file  (const char       *path,
                                              GError          **error);
/* The same from bytes in memory (also what the fuzzer calls). */
RelanceEinvoice *relance_einvoice_read_bytes (GBytes           *bytes,
                                              GError          **error);
void             relance_einvoice_free       (RelanceEinvoice  *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceEinvoice, relance_einvoice_free)

G_END_DECLS
