/* test-einvoice.c: the e-invoice reader: every field of CII, UBL and Factur-X/ZUGFeRD
 * fixtures, amounts and dates at their edges, and hostile files (entity bombs, external
 * entities, inflating attachments, binary and truncated files) refused in bounded memory.
 * The PDF fixtures come from tests/data/einvoices/make-facturx.py. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "relance-einvoice.h"
#include "relance-error.h"

/* How much a hostile file may add to the peak memory of the process. */
#define MAX_GROWTH_KB (100 * 1024)

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "einvoices", name, NULL);
}

typedef struct
{
  const char          *file;
  RelanceEinvoiceKind  kind;
  const char          *syntax;
  const char          *number;
  const char          *issue_date; /* YYYY-MM-DD */
  const char          *due_date;   /* YYYY-MM-DD, NULL when invalid */
  gint64               amount_due;
  gint64               total;
  const char          *currency;
  const char          *buyer_name;
  const char          *buyer_email;
  const char          *buyer_siren;
  const char          *buyer_vat;
  const char          *buyer_country;
  const char          *preceding_number;
} Expected;

static const Expected expected_files[] = {
  { "cii-invoice-fr.xml", RELANCE_EINVOICE_INVOICE, "CII", "F2024-0042", "2024-04-15",
    "2024-05-15", 100000, 123450, "EUR", "Garage des Alpes", "compta@garage-des-alpes.fr",
    "732829320", "FR44732829320", "FR", NULL },
  /* 2024-01-31 + 45 days = 2024-03-16, then the end of that month; the 10-day discount does
   * not count. Amount due: 600.0000 - 100.5. */
  { "cii-invoice-terms.xml", RELANCE_EINVOICE_INVOICE, "CII", "FA-2024-117", "2024-01-31",
    "2024-03-31", 49950, 60000, "EUR", "Boulangerie Lefèvre", "paul@boulangerie-lefevre.fr",
    "40305211100026", NULL, "BE", NULL },
  { "cii-credit-note.xml", RELANCE_EINVOICE_CREDIT_NOTE, "CII", "AV2024-0007", "2024-05-02",
    NULL, 14400, 14400, "EUR", "Garage des Alpes", "compta@garage-des-alpes.fr",
    "73282932000074", "FR44732829320", "FR", "F2024-0042" },
  { "ubl-invoice.xml", RELANCE_EINVOICE_INVOICE, "UBL", "INV-2024-1187", "2024-03-01",
    "2024-03-31", 200000, 245000, "EUR", "Garage des Alpes SAS",
    "claire.martin@garage-des-alpes.fr", "73282932000074", "FR44732829320", "FR", NULL },
  /* The legal id is a GLN (scheme 0088): no SIREN. */
  { "ubl-credit-note.xml", RELANCE_EINVOICE_CREDIT_NOTE, "UBL", "CN-2024-0031", "2024-03-20",
    "2024-04-19", 12000, 12000, "GBP", "Harbour Books Ltd", "accounts@harbour-books.co.uk",
    NULL, "GB987654321", "GB", "INV-2024-1187" },
  { "facturx.pdf", RELANCE_EINVOICE_INVOICE, "Factur-X", "F2024-0042", "2024-04-15",
    "2024-05-15", 100000, 123450, "EUR", "Garage des Alpes", "compta@garage-des-alpes.fr",
    "732829320", "FR44732829320", "FR", NULL },
  { "zugferd.pdf", RELANCE_EINVOICE_CREDIT_NOTE, "Factur-X", "AV2024-0007", "2024-05-02",
    NULL, 14400, 14400, "EUR", "Garage des Alpes", "compta@garage-des-alpes.fr",
    "73282932000074", "FR44732829320", "FR", "F2024-0042" },
};

static void
assert_date (const GDate *date,
             const char  *expected)
{
  char text[16];

  if (expected == NULL)
    {
      g_assert_false (g_date_valid (date));
      return;
    }
  g_assert_true (g_date_valid (date));
  g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date));
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_expected (const RelanceEinvoice *e,
                 const Expected        *x)
{
  g_assert_cmpint (e->kind, ==, x->kind);
  g_assert_cmpstr (e->syntax, ==, x->syntax);
  g_assert_cmpstr (e->number, ==, x->number);
  assert_date (&e->issue_date, x->issue_date);
  assert_date (&e->due_date, x->due_date);
  g_assert_cmpint (e->amount_due, ==, x->amount_due);
  g_assert_cmpint (e->total, ==, x->total);
  g_assert_cmpstr (e->currency, ==, x->currency);
  g_assert_cmpstr (e->buyer_name, ==, x->buyer_name);
  g_assert_cmpstr (e->buyer_email, ==, x->buyer_email);
  g_assert_cmpstr (e->buyer_siren, ==, x->buyer_siren);
  g_assert_cmpstr (e->buyer_vat, ==, x->buyer_vat);
  g_assert_cmpstr (e->buyer_country, ==, x->buyer_country);
  g_assert_cmpstr (e->preceding_number, ==, x->preceding_number);
}

static void
test_fixture (gconstpointer data)
{
  const Expected *x = data;
  g_autofree char *path = fixture (x->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceEinvoice) e = relance_einvoice_read_file (path, &error);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RelanceEinvoice) from_bytes = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (e);
  assert_expected (e, x);

  /* The same bytes from memory give the same invoice. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  from_bytes = relance_einvoice_read_bytes (bytes, &error);
  g_assert_no_error (error);
  assert_expected (from_bytes, x);
}

/* ---- Edge cases on a minimal CII ------------------------------------------------------- */

typedef struct
{
  const char *type_code;
  const char *issue;     /* format 102 */
  const char *due;       /* format 102, or NULL */
  const char *terms;     /* or NULL */
  const char *currency;
  const char *total;     /* whole element, so that attributes can be tried */
  const char *payable;   /* whole element, or NULL */
} Cii;

static GBytes *
make_cii (const Cii *c)
{
  g_autofree char *due = c->due != NULL
    ? g_strdup_printf ("<ram:DueDateDateTime><udt:DateTimeString format=\"102\">%s"
                       "</udt:DateTimeString></ram:DueDateDateTime>", c->due)
    : g_strdup ("");
  g_autofree char *terms = c->terms != NULL
    ? g_strdup_printf ("<ram:Description>%s</ram:Description>", c->terms) : g_strdup ("");
  char *xml = g_strdup_printf (
    "<?xml version=\"1.0\"?>\n"
    "<rsm:CrossIndustryInvoice"
    " xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\""
    " xmlns:ram=\"urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100\""
    " xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">"
    "<rsm:ExchangedDocument><ram:ID>T-1</ram:ID><ram:TypeCode>%s</ram:TypeCode>"
    "<ram:IssueDateTime><udt:DateTimeString format=\"102\">%s</udt:DateTimeString>"
    "</ram:IssueDateTime></rsm:ExchangedDocument>"
    "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>"
    "<ram:InvoiceCurrencyCode>%s</ram:InvoiceCurrencyCode>"
    "<ram:SpecifiedTradePaymentTerms>%s%s</ram:SpecifiedTradePaymentTerms>"
    "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>%s%s"
    "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
    "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
    "</rsm:CrossIndustryInvoice>\n",
    c->type_code, c->issue, c->currency, terms, due, c->total,
    c->payable != NULL ? c->payable : "");

  return g_bytes_new_take (xml, strlen (xml));
}

typedef struct
{
  const char          *name;
  Cii                  cii;
  const char          *error;      /* part of the message, or NULL when it reads */
  RelanceEinvoiceKind  kind;
  gint64               total;
  gint64               amount_due;
  const char          *due_date;
} CiiCase;

static void
test_cii_edges (void)
{
  static const CiiCase cases[] = {
    { "four decimals of zeros", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>10.5000</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 1050, 1050, NULL },
    { "a digit beyond the cents", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>10.0050</ram:GrandTotalAmount>", NULL },
      "more decimals than EUR allows", 0, 0, 0, NULL },
    { "yen without decimals", { "380", "20240301", NULL, NULL, "JPY",
      "<ram:GrandTotalAmount>12345</ram:GrandTotalAmount>",
      "<ram:DuePayableAmount>12000.00</ram:DuePayableAmount>" },
      NULL, RELANCE_EINVOICE_INVOICE, 12345, 12000, NULL },
    { "yen with a fraction", { "380", "20240301", NULL, NULL, "JPY",
      "<ram:GrandTotalAmount>12345.5</ram:GrandTotalAmount>", NULL },
      "more decimals than JPY allows", 0, 0, 0, NULL },
    { "xsd:decimal forms", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount> +.5 </ram:GrandTotalAmount>",
      "<ram:DuePayableAmount>0.</ram:DuePayableAmount>" },
      NULL, RELANCE_EINVOICE_INVOICE, 50, 0, NULL },
    { "decimal comma", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>12,50</ram:GrandTotalAmount>", NULL },
      "is not a number: “12,50”", 0, 0, 0, NULL },
    { "absurd amount", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>99999999999999999999999</ram:GrandTotalAmount>", NULL },
      "too large", 0, 0, 0, NULL },
    { "negative invoice", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>-10.00</ram:GrandTotalAmount>", NULL },
      "negative total", 0, 0, 0, NULL },
    { "overpaid invoice", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>10.00</ram:GrandTotalAmount>",
      "<ram:DuePayableAmount>-2.00</ram:DuePayableAmount>" },
      "negative amount due", 0, 0, 0, NULL },
    { "negative credit note", { "381", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>-10.00</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_CREDIT_NOTE, 1000, 1000, NULL },
    { "corrected invoice 384", { "384", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, NULL },
    { "prepayment invoice 386 is an invoice", { "386", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, NULL },
    { "self-billed 389", { "389", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, NULL },
    { "unknown type code", { "999", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      "“999” (BT-3)", 0, 0, 0, NULL },
    { "other currency on an amount", { "380", "20240301", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount currencyID=\"USD\">1</ram:GrandTotalAmount>", NULL },
      "given in USD while the invoice is in EUR", 0, 0, 0, NULL },
    { "no currency code", { "380", "20240301", NULL, NULL, "euro",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      "(BT-5)", 0, 0, 0, NULL },
    { "no grand total", { "380", "20240301", NULL, NULL, "EUR", "", NULL },
      "no grand total (BT-112)", 0, 0, 0, NULL },
    { "30 February", { "380", "20240230", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      "“20240230”", 0, 0, 0, NULL },
    { "ISO date in CII", { "380", "2024-03-01", NULL, NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      "issue date (BT-2)", 0, 0, 0, NULL },
    { "bad due date", { "380", "20240301", "20241301", NULL, "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      "due date (BT-9)", 0, 0, 0, NULL },
    { "due date wins over terms", { "380", "20240301", "20240310", "30 days", "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, "2024-03-10" },
    { "net 30", { "380", "20240301", NULL, "Net 30", "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, "2024-03-31" },
    { "60 jours", { "380", "20241231", NULL, "Paiement à 60 jours date de facture", "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, "2025-03-01" },
    { "terms without days", { "380", "20240301", NULL, "Paiement à réception", "EUR",
      "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL },
      NULL, RELANCE_EINVOICE_INVOICE, 100, 100, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CiiCase *c = &cases[i];
      g_autoptr(GBytes) bytes = make_cii (&c->cii);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceEinvoice) e = NULL;

      g_test_message ("case %s", c->name);
      e = relance_einvoice_read_bytes (bytes, &error);
      if (c->error != NULL)
        {
          g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
          g_assert_null (e);
          if (strstr (error->message, c->error) == NULL)
            g_error ("“%s” does not contain “%s”", error->message, c->error);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (e->kind, ==, c->kind);
      g_assert_cmpint (e->total, ==, c->total);
      g_assert_cmpint (e->amount_due, ==, c->amount_due);
      assert_date (&e->due_date, c->due_date);
      g_assert_cmpstr (e->number, ==, "T-1");
      g_assert_null (e->buyer_name);
      g_assert_null (e->buyer_email);
    }
}

/* An XML that mentions "%PDF-" near its start is still read as XML. */
static void
test_xml_quoting_pdf_header (void)
{
  static const Cii cii = { "380", "20240301", NULL, NULL, "EUR",
                           "<ram:GrandTotalAmount>1</ram:GrandTotalAmount>", NULL };
  g_autoptr(GBytes) plain = make_cii (&cii);
  const char *text = g_bytes_get_data (plain, NULL);
  const char *after_declaration = strchr (text, '\n') + 1;
  g_autofree char *xml = g_strdup_printf ("%.*s<!-- from %%PDF-1.7 export -->\n%s",
                                          (int) (after_declaration - text), text,
                                          after_declaration);
  gsize length = strlen (xml);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&xml), length);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceEinvoice) e = relance_einvoice_read_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (e->syntax, ==, "CII");
  g_assert_cmpint (e->total, ==, 100);
}

/* ---- Refusals -------------------------------------------------------------------------- */

static glong
max_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* Reads @path, expects a refusal whose message contains @part, and checks the attempt did not
 * raise the process's peak memory by more than MAX_GROWTH_KB. */
static void
assert_refused_file (const char *path,
                     int         code,
                     const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceEinvoice) e = NULL;
  glong before = max_rss_kb ();

  e = relance_einvoice_read_file (path, &error);
  g_assert_null (e);
  g_assert_error (error, RELANCE_CORE_ERROR, code);
  g_test_message ("%s: %s", path, error->message);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, part);
  g_assert_cmpint (max_rss_kb () - before, <, MAX_GROWTH_KB);
}

typedef struct
{
  const char *file;
  const char *message;
} Refusal;

static const Refusal refusals[] = {
  { "billion-laughs.xml",
    "This file declares a DTD or entities, which Relance refuses for safety." },
  { "external-entity.xml",
    "This file declares a DTD or entities, which Relance refuses for safety." },
  { "binary.xml", "This file is neither an XML nor a PDF file, so it cannot be an e-invoice." },
  { "xrechnung-ubl.pdf",
    "The invoice attached to this PDF is in UBL, but a Factur-X or ZUGFeRD PDF must carry CII." },
  { "plain.pdf", "This PDF carries no Factur-X or ZUGFeRD invoice: it is a plain PDF." },
  { "attachment-bomb.pdf",
    "The invoice attached to this PDF is larger than 20 MB, which is far too big for an "
    "invoice." },
};

static void
test_refused_fixture (gconstpointer data)
{
  const Refusal *r = data;
  g_autofree char *path = fixture (r->file);

  assert_refused_file (path, RELANCE_CORE_ERROR_INVALID, r->message);
}

/* Poppler either rebuilds what is left of the cross-reference table or gives up; either way
 * the attachment is gone or damaged, never an invoice. */
static void
test_truncated_pdf (void)
{
  g_autofree char *path = fixture ("truncated.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceEinvoice) e = relance_einvoice_read_file (path, &error);

  g_assert_null (e);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (strstr (error->message, "PDF") != NULL
                 || strstr (error->message, "XML") != NULL);
}

static void
test_refused_bytes (void)
{
  static const struct { const char *name; const char *data; const char *message; } cases[] = {
    { "empty", "", "neither an XML nor a PDF file" },
    { "not well-formed", "<a><b></a>", "This file is not well-formed XML (line 1: " },
    { "other XML", "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>",
      "This XML file is neither a CII nor a UBL invoice." },
    { "UBL without namespace", "<Invoice><ID>1</ID></Invoice>",
      "This XML file is neither a CII nor a UBL invoice." },
    { "ZUGFeRD 1.0", "<rsm:CrossIndustryDocument xmlns:rsm=\"urn:ferd:CrossIndustryDocument:"
      "invoice:1p0\"/>", "ZUGFeRD 1.0" },
    { "DOCTYPE without entities", "<!DOCTYPE Invoice SYSTEM \"http://example.com/x.dtd\">"
      "<Invoice/>", "DTD or entities" },
    { "no number", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>",
      "The invoice has no number (BT-1)." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].data, strlen (cases[i].data));
      g_autoptr(GError) error = NULL;
      g_autoptr(RelanceEinvoice) e = NULL;

      g_test_message ("case %s", cases[i].name);
      e = relance_einvoice_read_bytes (bytes, &error);
      g_assert_null (e);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, cases[i].message);
    }
}

/* Too big to commit: an XML over the cap and one nested deeper than any invoice, written
 * into the test's own temporary directory. */
static void
test_generated_hostile (void)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own cache directory, removed at exit. */
  const char *dir = g_get_user_cache_dir ();
  g_autofree char *big = g_build_filename (dir, "big.xml", NULL);
  g_autofree char *deep = g_build_filename (dir, "deep.xml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);
  g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\"?>\n<a>");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  while (text->len <= RELANCE_EINVOICE_MAX_XML_SIZE)
    g_string_append (text, "<b>padding padding padding padding padding padding</b>\n");
  g_string_append (text, "</a>\n");
  g_assert_true (g_file_set_contents (big, text->str, text->len, &error));
  g_assert_no_error (error);
  g_string_truncate (text, 0);
  assert_refused_file (big, RELANCE_CORE_ERROR_INVALID, "larger than 20 MB");

  g_string_append (text, "<?xml version=\"1.0\"?>\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "<x>");
  g_assert_true (g_file_set_contents (deep, text->str, text->len, &error));
  g_assert_no_error (error);
  assert_refused_file (deep, RELANCE_CORE_ERROR_INVALID, "not well-formed XML");

  assert_refused_file (missing, RELANCE_CORE_ERROR_IO, "missing.xml");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected_files); i++)
    {
      g_autofree char *name = g_strconcat ("/einvoice/read/", expected_files[i].file, NULL);
      g_test_add_data_func (name, &expected_files[i], test_fixture);
    }
  g_test_add_func ("/einvoice/cii-edges", test_cii_edges);
  g_test_add_func ("/einvoice/xml-quoting-pdf-header", test_xml_quoting_pdf_header);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strconcat ("/einvoice/refused/", refusals[i].file, NULL);
      g_test_add_data_func (name, &refusals[i], test_refused_fixture);
    }
  g_test_add_func ("/einvoice/refused/truncated.pdf", test_truncated_pdf);
  g_test_add_func ("/einvoice/refused/bytes", test_refused_bytes);
  g_test_add_func ("/einvoice/refused/generated", test_generated_hostile);

  return g_test_run ();
}
