/* relance-einvoice.c: reads one CII, UBL or Factur-X/ZUGFeRD e-invoice into a RelanceEinvoice.
 *
 * libxml2 builds the tree and XPath picks the business terms; poppler-glib finds the XML
 * embedded in a PDF. The files are untrusted, so: no DOCTYPE at all (the parser is stopped
 * the moment one starts), no network, no entity substitution, and every byte count capped
 * before memory is spent on it. */
#include "config.h"

#include "relance-einvoice-private.h"
#include "relance-xml.h"

#define NS_RSM "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#define NS_RAM "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
#define NS_UDT "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
#define NS_UBL_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_UBL_CREDIT_NOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

/* Where a PDF header may start: readers accept some junk before it, so do we. */
#define PDF_HEADER_WINDOW 1024

typedef enum
{
  SYNTAX_CII,
  SYNTAX_UBL_INVOICE,
  SYNTAX_UBL_CREDIT_NOTE,
} Syntax;

/* UNTDID 1001 codes that EN 16931 allows for BT-3, split by what they mean for the buyer's
 * balance: a credit note lowers it, everything else is something to pay. */
static const char * const credit_note_codes[] = {
  "81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532",
};
static const char * const invoice_codes[] = {
  "71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219", "295", "325",
  "326", "331", "380", "382", "383", "384", "385", "386", "387", "388", "389", "390", "393",
  "394", "395", "456", "457", "527", "553", "575", "623", "633", "751", "780", "817", "870",
  "875", "876", "877", "935",
};

void
relance_einvoice_free (RelanceEinvoice *e)
{
  if (e == NULL)
    return;
  g_free (e->syntax);
  g_free (e->number);
  g_free (e->currency);
  g_free (e->buyer_name);
  g_free (e->buyer_email);
  g_free (e->buyer_siren);
  g_free (e->buyer_vat);
  g_free (e->buyer_country);
  g_free (e->preceding_number);
  g_free (e);
}

gboolean
relance_einvoice_invalid (GError     **error,
                          const char  *message)
{
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, message);
  return FALSE;
}

/* ---- XML ------------------------------------------------------------------------------- */

static gboolean
looks_like_pdf (const guint8 *data,
                gsize         size)
{
  gsize window = MIN (size, PDF_HEADER_WINDOW);

  for (gsize i = 0; i + 5 <= window; i++)
    if (memcmp (data + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the bytes could start an XML document: '<' after blanks, or a Unicode BOM (UTF-16
 * and UTF-8). Only used to tell a binary file apart with a useful message; libxml2 decides. */
static gboolean
looks_like_xml (const guint8 *data,
                gsize         size)
{
  gsize i = 0;

  if (size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    return TRUE;
  if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    i = 3;
  while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  return i < size && data[i] == '<';
}

static xmlDoc *
parse_xml (const guint8  *data,
           gsize          size,
           GError       **error)
{
  xmlDoc *doc;
  g_autofree char *detail = NULL;
  RelanceXmlProblem problem;
  int line;

  if (size > RELANCE_EINVOICE_MAX_XML_SIZE)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %d is a size in megabytes */
                   _("This XML file is larger than %d MB, which is far too big for an "
                     "invoice."), RELANCE_EINVOICE_MAX_XML_SIZE / (1024 * 1024));
      return NULL;
    }

  doc = relance_xml_read ((const char *) data, size, &problem, &line, &detail);
  switch (problem)
    {
    case RELANCE_XML_NO_READER:
      relance_einvoice_invalid (error, _("The XML reader could not be started."));
      break;
    case RELANCE_XML_DOCTYPE:
      relance_einvoice_invalid (error,
                                _("This file declares a DTD or entities, which Relance refuses for "
                                  "safety."));
      break;
    case RELANCE_XML_MALFORMED:
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %d is a line number, %s libxml2's explanation (in English) */
                   _("This file is not well-formed XML (line %d: %s)."), line, detail);
      break;
    case RELANCE_XML_OK:
    default:
      break;
    }
  return doc;
}

static xmlNode *
find_node (xmlXPathContext *xpath,
           xmlNode         *from,
           const char      *expression)
{
  g_autoptr(xmlXPathObject) result = NULL;

  if (from == NULL)
    return NULL;
  xpath->node = from;
  result = xmlXPathEvalExpression ((const xmlChar *) expression, xpath);
  if (result == NULL || result->type != XPATH_NODESET
      || xmlXPathNodeSetIsEmpty (result->nodesetval))
    return NULL;
  return result->nodesetval->nodeTab[0];
}

/* The node's text with blanks around it removed; NULL when empty. */
char *
relance_einvoice_node_text (xmlNode *node)
{
  xmlChar *content;
  g_autofree char *text = NULL;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  if (content == NULL)
    return NULL;
  text = g_strdup ((const char *) content);
  xmlFree (content);
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static char *
find_text (xmlXPathContext *xpath,
           xmlNode         *from,
           const char      *expression)
{
  return relance_einvoice_node_text (find_node (xpath, from, expression));
}

/* Every match's text, one per line: payment terms may be split over several elements. */
static char *
find_all_text (xmlXPathContext *xpath,
               xmlNode         *from,
               const char      *expression)
{
  g_autoptr(xmlXPathObject) result = NULL;
  g_autoptr(GString) all = g_string_new (NULL);

  if (from == NULL)
    return NULL;
  xpath->node = from;
  result = xmlXPathEvalExpression ((const xmlChar *) expression, xpath);
  if (result == NULL || result->type != XPATH_NODESET
      || xmlXPathNodeSetIsEmpty (result->nodesetval))
    return NULL;
  for (int i = 0; i < result->nodesetval->nodeNr; i++)
    {
      g_autofree char *text = relance_einvoice_node_text (result->nodesetval->nodeTab[i]);

      if (text == NULL)
        continue;
      if (all->len > 0)
        g_string_append_c (all, '\n');
      g_string_append (all, text);
    }
  return all->len > 0 ? g_string_free (g_steal_pointer (&all), FALSE) : NULL;
}

char *
relance_einvoice_node_attribute (xmlNode    *node,
                                 const char *name)
{
  xmlChar *value;
  char *text;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  text = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return text;
}

/* ---- The two syntaxes ------------------------------------------------------------------ */

/* What both syntaxes hand to finish(): nodes and texts, not yet checked. */
typedef struct
{
  char    *type_code;
  char    *issue_text;   /* for error messages */
  gboolean issue_ok;
  char    *due_text;
  gboolean due_ok;
  char    *terms;
  xmlNode *total;        /* BT-112 */
  xmlNode *prepaid;      /* BT-113 */
  xmlNode *payable;      /* BT-115 */
} Pending;

static void
pending_clear (Pending *p)
{
  g_free (p->type_code);
  g_free (p->issue_text);
  g_free (p->due_text);
  g_free (p->terms);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pending, pending_clear)

static xmlXPathContext *
new_xpath (xmlDoc *doc)
{
  xmlXPathContext *xpath = xmlXPathNewContext (doc);

  xmlXPathRegisterNs (xpath, (const xmlChar *) "rsm", (const xmlChar *) NS_RSM);
  xmlXPathRegisterNs (xpath, (const xmlChar *) "ram", (const xmlChar *) NS_RAM);
  xmlXPathRegisterNs (xpath, (const xmlChar *) "udt", (const xmlChar *) NS_UDT);
  xmlXPathRegisterNs (xpath, (const xmlChar *) "cac", (const xmlChar *) NS_CAC);
  xmlXPathRegisterNs (xpath, (const xmlChar *) "cbc", (const xmlChar *) NS_CBC);
  return xpath;
}

static void
read_cii (xmlXPathContext *xpath,
          xmlNode         *root,
          RelanceEinvoice *e,
          Pending         *p)
{
  xmlNode *header = find_node (xpath, root, "rsm:ExchangedDocument");
  xmlNode *agreement = find_node (xpath, root,
                                  "rsm:SupplyChainTradeTransaction/"
                                  "ram:ApplicableHeaderTradeAgreement");
  xmlNode *settlement = find_node (xpath, root,
                                   "rsm:SupplyChainTradeTransaction/"
                                   "ram:ApplicableHeaderTradeSettlement");
  xmlNode *buyer = find_node (xpath, agreement, "ram:BuyerTradeParty");
  xmlNode *sums = find_node (xpath, settlement,
                             "ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  xmlNode *node;

  e->number = find_text (xpath, header, "ram:ID");
  p->type_code = find_text (xpath, header, "ram:TypeCode");
  node = find_node (xpath, header, "ram:IssueDateTime/udt:DateTimeString");
  p->issue_text = relance_einvoice_node_text (node);
  p->issue_ok = relance_einvoice_parse_cii_date (node, &e->issue_date);
  node = find_node (xpath, settlement,
                    "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString");
  p->due_text = relance_einvoice_node_text (node);
  p->due_ok = relance_einvoice_parse_cii_date (node, &e->due_date);
  p->terms = find_all_text (xpath, settlement, "ram:SpecifiedTradePaymentTerms/ram:Description");

  e->currency = find_text (xpath, settlement, "ram:InvoiceCurrencyCode");
  /* BT-110 may repeat TaxTotalAmount in the VAT currency; the three below never repeat. */
  p->total = find_node (xpath, sums, "ram:GrandTotalAmount");
  p->prepaid = find_node (xpath, sums, "ram:TotalPrepaidAmount");
  p->payable = find_node (xpath, sums, "ram:DuePayableAmount");
  e->preceding_number = find_text (xpath, settlement,
                                   "ram:InvoiceReferencedDocument/ram:IssuerAssignedID");

  e->buyer_name = find_text (xpath, buyer, "ram:Name");
  e->buyer_siren = relance_einvoice_siren_of (find_node (xpath, buyer,
                                                         "ram:SpecifiedLegalOrganization/ram:ID"));
  e->buyer_vat = find_text (xpath, buyer, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']");
  e->buyer_country = relance_einvoice_clean_country (find_text (xpath, buyer,
                                                     "ram:PostalTradeAddress/ram:CountryID"));
  e->buyer_email = relance_einvoice_clean_email (find_text (xpath, buyer,
                                                 "ram:URIUniversalCommunication/"
                                                 "ram:URIID[@schemeID='EM']"));
  if (e->buyer_email == NULL)
    e->buyer_email = relance_einvoice_clean_email (find_text (xpath, buyer,
                                                   "ram:DefinedTradeContact/"
                                                   "ram:EmailURIUniversalCommunication/ram:URIID"));
}

static void
read_ubl (xmlXPathContext *xpath,
          xmlNode         *root,
          gboolean         credit_note,
          RelanceEinvoice *e,
          Pending         *p)
{
  xmlNode *buyer = find_node (xpath, root, "cac:AccountingCustomerParty/cac:Party");
  xmlNode *sums = find_node (xpath, root, "cac:LegalMonetaryTotal");
  xmlNode *node;
  xmlNode *endpoint;
  g_autofree char *endpoint_scheme = NULL;

  e->number = find_text (xpath, root, "cbc:ID");
  p->type_code = find_text (xpath, root,
                            credit_note ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode");
  node = find_node (xpath, root, "cbc:IssueDate");
  p->issue_text = relance_einvoice_node_text (node);
  p->issue_ok = relance_einvoice_parse_ubl_date (node, &e->issue_date);
  /* An Invoice has cbc:DueDate; a CreditNote only the payment means' due date. */
  node = find_node (xpath, root, "cbc:DueDate");
  if (node == NULL)
    node = find_node (xpath, root, "cac:PaymentMeans/cbc:PaymentDueDate");
  p->due_text = relance_einvoice_node_text (node);
  p->due_ok = relance_einvoice_parse_ubl_date (node, &e->due_date);
  p->terms = find_all_text (xpath, root, "cac:PaymentTerms/cbc:Note");

  e->currency = find_text (xpath, root, "cbc:DocumentCurrencyCode");
  p->total = find_node (xpath, sums, "cbc:TaxInclusiveAmount");
  p->prepaid = find_node (xpath, sums, "cbc:PrepaidAmount");
  p->payable = find_node (xpath, sums, "cbc:PayableAmount");
  e->preceding_number = find_text (xpath, root,
                                   "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID");

  e->buyer_name = find_text (xpath, buyer, "cac:PartyLegalEntity/cbc:RegistrationName");
  if (e->buyer_name == NULL)
    e->buyer_name = find_text (xpath, buyer, "cac:PartyName/cbc:Name");
  e->buyer_siren = relance_einvoice_siren_of (find_node (xpath, buyer,
                                                         "cac:PartyLegalEntity/cbc:CompanyID"));
  e->buyer_vat = find_text (xpath, buyer,
                            "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID");
  e->buyer_country = relance_einvoice_clean_country (find_text (xpath, buyer,
                                                     "cac:PostalAddress/cac:Country/"
                                                     "cbc:IdentificationCode"));

  /* Peppol's electronic address is often the SIRET itself (scheme 0009) rather than an
   * email address; take it for whichever of the two it is. */
  endpoint = find_node (xpath, buyer, "cbc:EndpointID");
  endpoint_scheme = relance_einvoice_node_attribute (endpoint, "schemeID");
  if (g_strcmp0 (endpoint_scheme, "EM") == 0)
    e->buyer_email = relance_einvoice_clean_email (relance_einvoice_node_text (endpoint));
  else if (e->buyer_siren == NULL
           && (g_strcmp0 (endpoint_scheme, "0002") == 0
               || g_strcmp0 (endpoint_scheme, "0009") == 0))
    e->buyer_siren = relance_einvoice_clean_siren (relance_einvoice_node_text (endpoint),
                                                   endpoint_scheme);
  if (e->buyer_email == NULL)
    e->buyer_email = relance_einvoice_clean_email (find_text (xpath, buyer,
                                                              "cac:Contact/cbc:ElectronicMail"));
}

/* The checks and arithmetic both syntaxes share. */
static gboolean
finish (RelanceEinvoice  *e,
        Pending          *p,
        gboolean          credit_note_root,
        GError          **error)
{
  gboolean has_total, has_prepaid, has_payable;
  gint64 prepaid = 0;
  gint64 payable = 0;

  if (e->number == NULL)
    return relance_einvoice_invalid (error, _("The invoice has no number (BT-1)."));

  if (credit_note_root)
    e->kind = RELANCE_EINVOICE_CREDIT_NOTE;
  else if (p->type_code == NULL
           || relance_einvoice_code_in (p->type_code, invoice_codes, G_N_ELEMENTS (invoice_codes)))
    e->kind = RELANCE_EINVOICE_INVOICE;
  else if (relance_einvoice_code_in (p->type_code, credit_note_codes,
                                     G_N_ELEMENTS (credit_note_codes)))
    e->kind = RELANCE_EINVOICE_CREDIT_NOTE;
  else
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is a document type code such as 380 (invoice) or 381
                    * (credit note) */
                   _("The document type code “%s” (BT-3) is neither an invoice nor a credit "
                     "note."), p->type_code);
      return FALSE;
    }

  if (p->issue_text == NULL)
    return relance_einvoice_invalid (error, _("The invoice has no issue date (BT-2)."));
  if (!p->issue_ok)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the date as written in the file */
                   _("The issue date (BT-2) is not a valid date: “%s”."), p->issue_text);
      return FALSE;
    }
  if (p->due_text != NULL && !p->due_ok)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is the date as written in the file */
                   _("The due date (BT-9) is not a valid date: “%s”."), p->due_text);
      return FALSE;
    }
  if (p->due_text == NULL && !relance_einvoice_due_date_from_terms (p->terms, &e->issue_date,
                                                                    &e->due_date))
    g_date_clear (&e->due_date, 1);

  if (e->currency == NULL || strlen (e->currency) != 3 || !g_ascii_isupper (e->currency[0])
      || !g_ascii_isupper (e->currency[1]) || !g_ascii_isupper (e->currency[2]))
    return relance_einvoice_invalid (error,
                                     _("The invoice currency (BT-5) is missing or is not an ISO "
                                       "4217 code."));

  if (!relance_einvoice_read_amount (p->total, "BT-112", e->currency, &has_total, &e->total, error)
      || !relance_einvoice_read_amount (p->prepaid, "BT-113", e->currency, &has_prepaid, &prepaid,
                                        error)
      || !relance_einvoice_read_amount (p->payable, "BT-115", e->currency, &has_payable, &payable,
                                        error))
    return FALSE;
  if (!has_total)
    return relance_einvoice_invalid (error, _("The invoice has no grand total (BT-112)."));
  e->amount_due = has_payable ? payable : e->total - prepaid;

  if (e->kind == RELANCE_EINVOICE_CREDIT_NOTE)
    {
      /* Credit notes normally state positive amounts, but some tools write them negative:
       * either way it is money owed to the buyer, reported as a positive amount. */
      e->total = ABS (e->total);
      e->amount_due = ABS (e->amount_due);
    }
  else if (e->total < 0)
    return relance_einvoice_invalid (error,
                                     _("This invoice has a negative total (BT-112): a refund must "
                                       "be sent as a credit note."));
  else if (e->amount_due < 0)
    return relance_einvoice_invalid (error, _("This invoice has a negative amount due (BT-115)."));
  return TRUE;
}

/* Reads an XML invoice. With @cii_only (the XML inside a PDF), UBL is refused. */
RelanceEinvoice *
relance_einvoice_read_xml (const guint8  *data,
                           gsize          size,
                           gboolean       cii_only,
                           GError       **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(xmlXPathContext) xpath = NULL;
  g_autoptr(RelanceEinvoice) e = NULL;
  g_auto(Pending) p = { 0 };
  xmlNode *root;
  const char *ns;
  const char *name;
  Syntax syntax;

  doc = parse_xml (data, size, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  name = root != NULL ? (const char *) root->name : "";
  ns = root != NULL && root->ns != NULL ? (const char *) root->ns->href : "";
  if (g_str_equal (name, "CrossIndustryInvoice") && g_str_equal (ns, NS_RSM))
    syntax = SYNTAX_CII;
  else if (!cii_only && g_str_equal (name, "Invoice") && g_str_equal (ns, NS_UBL_INVOICE))
    syntax = SYNTAX_UBL_INVOICE;
  else if (!cii_only && g_str_equal (name, "CreditNote") && g_str_equal (ns, NS_UBL_CREDIT_NOTE))
    syntax = SYNTAX_UBL_CREDIT_NOTE;
  else if (cii_only && (g_str_equal (ns, NS_UBL_INVOICE) || g_str_equal (ns, NS_UBL_CREDIT_NOTE)))
    {
      relance_einvoice_invalid (error,
                                _("The invoice attached to this PDF is in UBL, but a Factur-X or "
                                  "ZUGFeRD PDF must carry CII."));
      return NULL;
    }
  else if (g_str_equal (name, "CrossIndustryDocument"))
    {
      relance_einvoice_invalid (error,
                                _("This is a ZUGFeRD 1.0 invoice, which Relance does not read: ask "
                                  "for the Factur-X or ZUGFeRD 2 version."));
      return NULL;
    }
  else
    {
      relance_einvoice_invalid (error, _("This XML file is neither a CII nor a UBL invoice."));
      return NULL;
    }

  xpath = new_xpath (doc);
  e = g_new0 (RelanceEinvoice, 1);
  g_date_clear (&e->issue_date, 1);
  g_date_clear (&e->due_date, 1);
  switch (syntax)
    {
    case SYNTAX_CII:
      e->syntax = g_strdup ("CII");
      read_cii (xpath, root, e, &p);
      break;
    case SYNTAX_UBL_INVOICE:
    case SYNTAX_UBL_CREDIT_NOTE:
    default:
      e->syntax = g_strdup ("UBL");
      read_ubl (xpath, root, syntax == SYNTAX_UBL_CREDIT_NOTE, e, &p);
      break;
    }
  if (!finish (e, &p, syntax == SYNTAX_UBL_CREDIT_NOTE, error))
    return NULL;
  return g_steal_pointer (&e);
}

/* ---- Entry points ---------------------------------------------------------------------- */

RelanceEinvoice *
relance_einvoice_read_bytes (GBytes  *bytes,
                             GError **error)
{
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  /* XML first: a PDF never starts with "<", while an XML invoice may well quote "%PDF-" in
   * its first kilobyte (a note, a comment). */
  if (size > 0 && looks_like_xml (data, size))
    return relance_einvoice_read_xml (data, size, FALSE, error);
  if (size > 0 && looks_like_pdf (data, size))
    return relance_einvoice_read_pdf (bytes, error);
  relance_einvoice_invalid (error,
                            _("This file is neither an XML nor a PDF file, so it cannot be an "
                              "e-invoice."));
  return NULL;
}

RelanceEinvoice *
relance_einvoice_read_file (const char  *path,
                            GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) io_error = NULL;
  g_autofree char *display = NULL;
  guint8 chunk[64 * 1024];

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  display = g_filename_display_name (path);
  stream = g_file_read (file, NULL, &io_error);

  /* Read in chunks rather than trusting the file's size: it may be a pipe, or grow. */
  while (stream != NULL)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, sizeof chunk, NULL,
                                      &io_error);

      if (n <= 0)
        break;
      if ((gsize) n > RELANCE_EINVOICE_MAX_PDF_SIZE - data->len)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       /* Translators: %s is a file name, %d a size in megabytes */
                       _("“%s” is larger than %d MB, which is far too big for an invoice."),
                       display, RELANCE_EINVOICE_MAX_PDF_SIZE / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (data, chunk, n);
    }
  if (io_error != NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file name, the second the reason */
                   _("Could not read “%s”: %s"), display, io_error->message);
      return NULL;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return relance_einvoice_read_bytes (bytes, error);
}
