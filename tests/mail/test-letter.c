/* test-letter.c: the formal-notice letter, opened with poppler-glib: every mandatory
 * mention in French and in English, amounts equal to the penalty engine's, A4 pages, a
 * long table flowing onto page 2, the refusals, and `relance letter` end to end. */
#include "config.h"


#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-letter.h"
#include "relance-money.h"
#include "relance-penalty.h"
#include "relance-planner.h"
#include "relance-store.h"

#include "relance-test-cli.h"

#define LETTER_DATE "2026-11-26T10:00:00Z"

/* poppler-glib 22.12 declares no cleanup functions. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

typedef struct
{
  char         *dir;
  char         *path;
  RelanceStore *store;
} Fixture;

static void
add_client (RelanceStore *store, const char *name, const char *language, const char *kind)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = { 0 };

  client.name = (char *) name;
  client.email = (char *) "compta@example.com";
  client.language = (char *) language;
  client.kind = (char *) kind;
  client.segment = (char *) "regular";
  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
}

static void
add_invoice (RelanceStore *store, const char *number, const char *client, const char *issued,
             const char *due, gint64 total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) who = relance_store_find_client (store, client, &error);
  RelanceInvoice invoice = { 0 };

  g_assert_no_error (error);
  invoice.number = (char *) number;
  invoice.client_id = who->id;
  g_assert_true (relance_date_from_iso (issued, &invoice.issue_date));
  g_assert_true (relance_date_from_iso (due, &invoice.due_date));
  invoice.total = total;
  invoice.currency = (char *) "EUR";
  invoice.status = (char *) "open";
  g_assert_true (relance_store_save_invoice (store, &invoice, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (LETTER_DATE, NULL);
  GDate paid_on;

  relance_clock_set_override (now);
  f->dir = g_dir_make_tmp ("relance-letter-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "relance.db", NULL);
  f->store = relance_store_open (f->path, &error);
  g_assert_no_error (error);

  company = relance_store_get_company (f->store, &error);
  g_assert_no_error (error);
#define SET(field, value) (g_free (company->field), company->field = g_strdup (value))
  SET (name, "Atelier Dupré SARL");
  SET (address, "12 rue de la République\n69002 Lyon");
  SET (country, "FR");
  SET (siret, "123 456 789 00012");
  SET (vat, "FR12123456789");
  SET (iban, "FR76 3000 6000 0112 3456 7890 189");
  SET (bic, "BNPAFRPPXXX");
  SET (currency, "EUR");
  SET (language, "fr");
  SET (payment_link, "https://pay.example.com/{{invoice.number}}?amount={{amount}}");
#undef SET
  g_assert_true (relance_store_set_company (f->store, company, &error));
  g_assert_no_error (error);

  add_client (f->store, "Boulangerie Martin", "fr", "business");
  add_client (f->store, "Brown & Co Ltd", "en", "business");
  add_client (f->store, "Jean Petit", "fr", "consumer");
  add_invoice (f->store, "F2026-001", "Boulangerie Martin", "2026-09-01", "2026-10-01", 120000);
  add_invoice (f->store, "F2026-002", "Brown & Co Ltd", "2026-08-14", "2026-09-13", 98050);
  add_invoice (f->store, "F2026-003", "Jean Petit", "2026-09-01", "2026-10-01", 45000);
  add_invoice (f->store, "F2026-004", "Boulangerie Martin", "2026-09-01", "2026-10-01", 5000);
  add_invoice (f->store, "F2026-005", "Boulangerie Martin", "2026-11-01", "2026-12-01", 5000);
  add_invoice (f->store, "F2026-006", "Boulangerie Martin", "2026-09-01", "2026-10-01", 5000);

  /* F2026-001 partly paid: 1 000,00 € left. F2026-004 paid in full. */
  g_date_clear (&paid_on, 1);
  g_date_set_dmy (&paid_on, 15, 10, 2026);
  g_clear_pointer (&error, g_error_free);
  relance_payment_free (relance_store_pay (f->store, "F2026-001", 20000, &paid_on, &error));
  g_assert_no_error (error);
  relance_payment_free (relance_store_pay (f->store, "F2026-004", -1, &paid_on, &error));
  g_assert_no_error (error);
  g_assert_true (relance_store_set_invoice_status (f->store, "F2026-006", "cancelled", &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  relance_clock_set_override (NULL);
}

/* The text of every page, without any kind of space: PDF text extraction turns
 * no-break and narrow spaces, and line breaks, into whatever it likes. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x202F && c != 0x00A0)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* RELANCE_TEST_KEEP_PDF=DIR keeps each letter, to look at it (pdftoppm -png -r 60). */
static void
keep (GBytes *pdf, const char *name)
{
  const char *dir = g_getenv ("RELANCE_TEST_KEEP_PDF");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      (gssize) g_bytes_get_size (pdf), NULL));
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static char *
page_text (PopplerDocument *doc, int index)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (doc, index);
  g_autofree char *text = poppler_page_get_text (page);

  return squeeze (text);
}

static char *
document_text (PopplerDocument *doc)
{
  GString *all = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autofree char *text = page_text (doc, i);

      g_string_append (all, text);
    }
  return g_string_free (all, FALSE);
}

static void
assert_says (const char *text, const char *expected)
{
  g_autofree char *needle = squeeze (expected);

  if (strstr (text, needle) == NULL)
    g_error ("The letter does not say “%s”:\n%s", expected, text);
}

static void
assert_not_says (const char *text, const char *unexpected)
{
  g_autofree char *needle = squeeze (unexpected);

  if (strstr (text, needle) != NULL)
    g_error ("The letter should not say “%s”:\n%s", unexpected, text);
}

static void
assert_a4 (PopplerDocument *doc)
{
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      double w, h;

      poppler_page_get_size (page, &w, &h);
      g_assert_cmpfloat_with_epsilon (w, 595.28, 0.5);
      g_assert_cmpfloat_with_epsilon (h, 841.89, 0.5);
    }
}

/* What the penalty engine says for @number as of the letter's date. */
static void
engine_amounts (RelanceStore *store, const char *number, RelancePenalty *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceInvoice) inv = relance_store_get_invoice (store, number, &error);
  g_autoptr(RelanceClient) client = NULL;
  g_autoptr(RelanceRateTable) rates = NULL;
  g_autoptr(RelanceRateTable) legal = NULL;
  RelancePenaltyPolicy policy = relance_penalty_policy_for_country ("FR");
  GDate as_of;

  g_assert_no_error (error);
  client = relance_store_get_client (store, inv->client_id, &error);
  rates = relance_store_load_rates (store, policy.reference, &error);
  legal = relance_store_load_rates (store, RELANCE_RATE_SERIES_FR_LEGAL, &error);
  g_assert_no_error (error);
  g_assert_true (relance_date_from_iso ("2026-11-26", &as_of));
  g_assert_true (relance_penalty_compute (&policy, rates, legal,
                                          relance_invoice_get_outstanding (inv), inv->currency,
                                          &inv->due_date, &as_of,
                                          g_strcmp0 (client->kind, "consumer") == 0, out,
                                          &error));
  g_assert_no_error (error);
}

static GBytes *
render (Fixture *f, const char *number, const char *registered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (LETTER_DATE, NULL);
  GBytes *pdf = relance_letter_render_pdf (f->store, number, NULL, date, registered, &error);
  g_autofree char *name = g_strconcat (number, ".pdf", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  keep (pdf, name);
  return pdf;
}

static void
test_french (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) pdf = render (f, "F2026-001", "1A 234 567 8901 2");
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = document_text (doc);
  g_autofree char *interest = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *total = NULL;
  RelancePenalty p = { 0 };

  engine_amounts (f->store, "F2026-001", &p);
  g_assert_cmpint (p.status, ==, RELANCE_PENALTY_APPLIES);
  g_assert_cmpint (p.interest_minor, >, 0);
  g_assert_cmpint (p.indemnity_minor, ==, 4000);
  interest = relance_money_format (p.interest_minor, "EUR", "fr");
  rate = relance_rate_format (p.rate_bp, "fr");
  total = relance_money_format (100000 + p.interest_minor + 4000, "EUR", "fr");

  assert_a4 (doc);
  g_assert_cmpint (poppler_document_get_n_pages (doc), <=, 2);
  assert_says (text, "Atelier Dupré SARL");
  assert_says (text, "69002 Lyon");
  assert_says (text, "SIRET : 123 456 789 00012");
  assert_says (text, "N° TVA : FR12123456789");
  assert_says (text, "Boulangerie Martin");
  assert_says (text, "À Lyon, le 26 novembre 2026");
  assert_says (text, "Lettre recommandée avec accusé de réception n° 1A 234 567 8901 2");
  assert_says (text, "Objet : Mise en demeure de payer");
  assert_says (text, "F2026-001");
  assert_says (text, "01/09/2026");   /* invoice date */
  assert_says (text, "01/10/2026");   /* due date */
  assert_says (text, "1 000,00 €");   /* outstanding principal, after the payment */
  assert_says (text, "Pénalités de retard");
  assert_says (text, interest);
  assert_says (text, rate);
  /* The indemnity on its own line and in its own sentence, apart from the interest. */
  assert_says (text, "Indemnités forfaitaires de recouvrement");
  assert_says (text, "indemnité forfaitaire pour frais de recouvrement de 40,00 € par facture");
  assert_says (text, "Total dû");
  assert_says (text, total);
  assert_says (text, "au plus tard le 4 décembre 2026");
  assert_says (text, "FR76 3000 6000 0112 3456 7890 189");
  assert_says (text, "BNPAFRPPXXX");
  assert_says (text, "https://pay.example.com/F2026-001");
  assert_says (text, "procédure d’injonction de payer");
  assert_says (text, "Nous vous prions d’agréer");
  assert_says (text, "Signature");
  assert_not_says (text, "1 200,00 €");
}

static void
test_english (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) pdf = render (f, "F2026-002", NULL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = document_text (doc);
  g_autofree char *interest = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *total = NULL;
  RelancePenalty p = { 0 };

  engine_amounts (f->store, "F2026-002", &p);
  g_assert_cmpint (p.status, ==, RELANCE_PENALTY_APPLIES);
  interest = relance_money_format (p.interest_minor, "EUR", "en");
  rate = relance_rate_format (p.rate_bp, "en");
  total = relance_money_format (98050 + p.interest_minor + p.indemnity_minor, "EUR", "en");

  assert_a4 (doc);
  assert_says (text, "Lyon, 26 November 2026");
  assert_says (text, "Sent by registered post (signed for), no. ______");
  assert_says (text, "Letter before action");
  assert_says (text, "Brown & Co Ltd");
  assert_says (text, "F2026-002");
  assert_says (text, "14 Aug 2026");
  assert_says (text, "13 Sep 2026");
  assert_says (text, "€980.50");
  assert_says (text, interest);
  assert_says (text, rate);
  assert_says (text, "Fixed compensation for recovery costs");
  assert_says (text, "fixed compensation for recovery costs of €40.00 per invoice");
  assert_says (text, "Total due");
  assert_says (text, total);
  assert_says (text, "by 4 December 2026 at the latest");
  assert_says (text, "IBAN: FR76 3000 6000 0112 3456 7890 189");
  assert_says (text, "court proceedings");
  assert_says (text, "Yours faithfully");
  assert_says (text, "Signature");
  assert_not_says (text, "Mise en demeure");
}

static void
test_consumer (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) pdf = render (f, "F2026-003", NULL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = document_text (doc);

  assert_says (text, "Mise en demeure de payer");
  assert_says (text, "450,00 €");
  assert_says (text, "Lettre recommandée avec accusé de réception n° ______");
  /* Business-to-business rules only: no fixed indemnity for a consumer. */
  assert_not_says (text, "Indemnit");
  assert_not_says (text, "forfaitaire");
  assert_not_says (text, "40,00 €");
}

static void
test_long_table (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) planned = g_ptr_array_new ();
  g_autoptr(GPtrArray) invoices = g_ptr_array_new_with_free_func (
    (GDestroyNotify) relance_invoice_free);
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (LETTER_DATE, NULL);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *last = NULL;
  RelancePlannedInvoice rows[40];
  RelanceStep step = { 0 };

  step.tone = (char *) "formal-notice";
  step.deadline_days = 15;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *number = g_strdup_printf ("L%02u", i + 1);

      add_invoice (f->store, number, "Boulangerie Martin", "2026-08-01", "2026-09-01",
                   10000 + i);
      memset (&rows[i], 0, sizeof rows[i]);
      rows[i].invoice = relance_store_get_invoice (f->store, number, &error);
      rows[i].step = &step;
      g_assert_no_error (error);
      g_ptr_array_add (invoices, rows[i].invoice);
      g_ptr_array_add (planned, &rows[i]);
    }
  pdf = relance_letter_render_pdf (f->store, NULL, planned, date, NULL, &error);
  g_assert_no_error (error);
  keep (pdf, "long-table.pdf");
  doc = open_pdf (pdf);
  assert_a4 (doc);
  g_assert_cmpint (poppler_document_get_n_pages (doc), >=, 2);
  first = page_text (doc, 0);
  second = page_text (doc, 1);
  last = document_text (doc);
  assert_says (first, "L01");
  assert_not_says (first, "L40");
  /* The table goes on, under its header again. */
  assert_says (second, "L40");
  assert_says (second, "Facture");
  assert_says (second, "page 2/");
  /* One ISO 11649 reference for the invoices of the letter, as in the reminders. */
  assert_says (last, "Référence de virement : RF");
  /* The step's deadline: 15 days. */
  assert_says (last, "au plus tard le 11 décembre 2026");
  assert_says (last, "injonction de payer");
}

static void
test_refusals (Fixture *f, gconstpointer data)
{
  struct
  {
    const char *number;
    int         code;
    const char *says;
  } cases[] = {
    { "F404", RELANCE_CORE_ERROR_NOT_FOUND, "F404" },
    { "F2026-004", RELANCE_CORE_ERROR_CONFLICT, "paid" },
    { "F2026-005", RELANCE_CORE_ERROR_CONFLICT, "not overdue" },
    { "F2026-006", RELANCE_CORE_ERROR_CONFLICT, "cancelled" },
  };
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (LETTER_DATE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = relance_letter_render_pdf (f->store, cases[i].number, NULL, date,
                                                         NULL, &error);

      g_assert_null (pdf);
      g_assert_error (error, RELANCE_CORE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

static void
test_town (void)
{
  struct
  {
    const char *address;
    const char *town;
  } cases[] = {
    { "12 rue de la République\n69002 Lyon", "Lyon" },
    { "12 rue de la République, 69002 Lyon", "Lyon" },
    { "5 avenue Foch\n75116 PARIS CEDEX 16", "PARIS" },
    { "3 place X\n42000 Saint-Étienne\nFrance", "Saint-Étienne" },
    { "1 Main Street\nLondon SW1A 1AA", "London" },
    { "12 rue de la Paix", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *town = relance_letter_town_of_address (cases[i].address);

      g_assert_cmpstr (town, ==, cases[i].town);
    }
}

#define MM 2.8346457

static void
set_address (Fixture *f, const char *name, const char *street, const char *postcode,
             const char *city, const char *country)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) client = relance_store_find_client (f->store, name, &error);

  g_assert_no_error (error);
#define SET(field, value) (g_free (client->field), client->field = g_strdup (value))
  SET (street, street);
  SET (postcode, postcode);
  SET (city, city);
  SET (country, country);
#undef SET
  g_assert_true (relance_store_save_client (f->store, client, &error));
  g_assert_no_error (error);
}

static void
set_company_country (Fixture *f, const char *country, const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = relance_store_get_company (f->store, &error);

  g_assert_no_error (error);
  g_free (company->country);
  company->country = g_strdup (country);
  g_free (company->address);
  company->address = g_strdup (address);
  g_assert_true (relance_store_set_company (f->store, company, &error));
  g_assert_no_error (error);
}

/* Whether @needle is on the first page inside the window of the envelope: x and y in
 * millimetres from the top left corner. (The sender's block or the body may say the same
 * words elsewhere: one occurrence inside is what counts.) */
static void
assert_in_window (PopplerDocument *doc, const char *needle, double x0, double y0, double x1,
                  double y1)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (doc, 0);
  GList *found = poppler_page_find_text (page, needle);
  g_autoptr(GString) seen = g_string_new (NULL);
  gboolean inside = FALSE;
  double w, h;

  if (found == NULL)
    g_error ("“%s” is not on the first page", needle);
  poppler_page_get_size (page, &w, &h);
  for (GList *l = found; l != NULL; l = l->next)
    {
      PopplerRectangle *r = l->data;
      /* poppler-glib gives PDF coordinates: the origin at the bottom left. */
      double left = MIN (r->x1, r->x2) / MM, right = MAX (r->x1, r->x2) / MM;
      double top = (h - MAX (r->y1, r->y2)) / MM, bottom = (h - MIN (r->y1, r->y2)) / MM;

      g_string_append_printf (seen, " %.0f–%.0f × %.0f–%.0f", left, right, top, bottom);
      if (left >= x0 && right <= x1 && top >= y0 && bottom <= y1)
        inside = TRUE;
    }
  g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
  if (!inside)
    g_error ("“%s” is at%s mm, outside the window %.0f–%.0f × %.0f–%.0f mm", needle, seen->str,
             x0, x1, y0, y1);
}

/* NF Z 10-011: name, street lines, "POSTCODE TOWN" in capitals, in the window of a French
 * C5/DL envelope (110 × 45 mm from 100-110 mm from the left, 45-55 mm from the top); the
 * country only when it is not the sender's. */
static void
test_address_french_window (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceLetter) letter = NULL;

  set_address (f, "Boulangerie Martin", "Zone artisanale des Gones\n3 place du Marché", "69007",
               "Lyon", "FR");
  letter = relance_letter_new (f->store, "F2026-001", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relance_letter_has_postal_address (letter));

  pdf = render (f, "F2026-001", NULL);
  doc = open_pdf (pdf);
  text = document_text (doc);
  assert_says (text, "Boulangerie Martin Zone artisanale des Gones 3 place du Marché 69007 LYON");
  assert_not_says (text, "FRANCE");
  /* The window's smallest common rectangle: 110-205 mm across, 55-90 mm down. */
  assert_in_window (doc, "Boulangerie Martin", 105, 50, 205, 95);
  assert_in_window (doc, "3 place du Marché", 105, 50, 205, 95);
  assert_in_window (doc, "69007 LYON", 105, 50, 205, 95);
  g_clear_pointer (&text, g_free);
  g_clear_object (&doc);
  g_clear_pointer (&pdf, g_bytes_unref);

  /* Abroad: the country, in capitals, on a line of its own. */
  set_address (f, "Brown & Co Ltd", "Rue Haute 12", "1000", "Bruxelles", "BE");
  pdf = render (f, "F2026-002", NULL);
  doc = open_pdf (pdf);
  text = document_text (doc);
  assert_says (text, "Rue Haute 12 1000 BRUXELLES BELGIUM");
  assert_in_window (doc, "BELGIUM", 105, 50, 205, 95);
}

/* A UK company: the DL window on the left (about 20 mm from the left, 50 mm from the top),
 * the town in capitals over the postcode. */
static void
test_address_uk_window (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autofree char *text = NULL;

  set_company_country (f, "GB", "1 High Street\nOxford\nOX1 1AA");
  set_address (f, "Brown & Co Ltd", "Unit 4\n10 Long Lane", "EC1A 9EJ", "London", "GB");
  pdf = render (f, "F2026-002", NULL);
  doc = open_pdf (pdf);
  text = document_text (doc);
  assert_says (text, "Brown & Co Ltd Unit 4 10 Long Lane LONDON EC1A 9EJ");
  assert_not_says (text, "UNITED KINGDOM");
  assert_in_window (doc, "Brown & Co Ltd", 18, 48, 110, 95);
  assert_in_window (doc, "LONDON", 18, 48, 110, 95);
  assert_in_window (doc, "EC1A 9EJ", 18, 48, 110, 95);
}

/* No postal address: the letter is still written (it goes with the formal-notice email),
 * with the name and email address, and says it cannot be posted as it is. */
static void
test_address_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceLetter) letter = relance_letter_new (f->store, "F2026-003", NULL, NULL,
                                                         NULL, &error);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_false (relance_letter_has_postal_address (letter));
  pdf = relance_letter_to_pdf (letter, &error);
  g_assert_no_error (error);
  doc = open_pdf (pdf);
  text = document_text (doc);
  assert_says (text, "Jean Petit compta@example.com");
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "x.pdf", NULL);
  const char *ok[] = { "letter", "F2026-001", "-o", out, "--registered-ref", "RR1", NULL };
  const char *unknown[] = { "letter", "F404", "-o", out, NULL };
  const char *paid[] = { "letter", "F2026-004", "-o", out, NULL };
  const char *no_output[] = { "letter", "F2026-001", NULL };
  const char *no_number[] = { "letter", "-o", out, NULL };
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_cmpint (relance_test_run_cli (f->path, ok), ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_true (len > 1000 && memcmp (contents, "%PDF-", 5) == 0);
  g_remove (out);

  g_assert_cmpint (relance_test_run_cli (f->path, unknown), ==, 1);
  g_assert_cmpint (relance_test_run_cli (f->path, paid), ==, 1);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (relance_test_run_cli (f->path, no_output), ==, 2);
  g_assert_cmpint (relance_test_run_cli (f->path, no_number), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/letter/french", Fixture, NULL, fixture_setup, test_french, fixture_teardown);
  g_test_add ("/letter/english", Fixture, NULL, fixture_setup, test_english, fixture_teardown);
  g_test_add ("/letter/consumer", Fixture, NULL, fixture_setup, test_consumer,
              fixture_teardown);
  g_test_add ("/letter/long-table", Fixture, NULL, fixture_setup, test_long_table,
              fixture_teardown);
  g_test_add ("/letter/refusals", Fixture, NULL, fixture_setup, test_refusals,
              fixture_teardown);
  g_test_add_func ("/letter/town", test_town);
  g_test_add ("/letter/address-french-window", Fixture, NULL, fixture_setup,
              test_address_french_window, fixture_teardown);
  g_test_add ("/letter/address-uk-window", Fixture, NULL, fixture_setup, test_address_uk_window,
              fixture_teardown);
  g_test_add ("/letter/address-missing", Fixture, NULL, fixture_setup, test_address_missing,
              fixture_teardown);
  g_test_add ("/letter/cli", Fixture, NULL, fixture_setup, test_cli, fixture_teardown);
  return g_test_run ();
}
