/* test-proof.c: the proof export round-trips the history: a store with sent reminders
 * (real messages built with GMime, stored as the outbox keeps them), exported to CSV and
 * PDF for an invoice and for a client, read back (CSV parser, poppler-glib). */
#include "config.h"


#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-csv.h"
#include "relance-date.h"
#include "relance-message.h"
#include "relance-outbox.h"
#include "relance-proof.h"
#include "relance-scenario.h"
#include "relance-store.h"

#include "relance-test-cli.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

typedef struct
{
  const char *client;
  const char *invoice;
  const char *state;
  const char *sent_at;      /* NULL: not sent */
  const char *reply;
  const char *text;         /* the plain text part */
} SentSpec;

static const SentSpec sent[] = {
  { "Boulangerie Martin", "F1", "sent", "2026-10-08T09:15:02Z", "250 2.0.0 Ok: queued as A1",
    "Bonjour,\nSauf erreur de notre part, la facture F1 reste impayée.\nMerci d’avance." },
  { "Boulangerie Martin", "F2", "sent", "2026-10-20T14:02:59Z", "250 2.0.0 Ok: queued as B2",
    "Bonjour,\nLa facture F2 est échue depuis 15 jours." },
  { "Boulangerie Martin", "F1", "failed", NULL, NULL,
    "Relance ferme : la facture F1 n’est toujours pas réglée." },
  { "Brown & Co Ltd", "F3", "sent", "2026-10-21T08:00:00Z", "250 OK id=C3",
    "Dear Sir or Madam,\nInvoice F3 is now overdue." },
};

typedef struct
{
  char         *dir;
  char         *path;
  RelanceStore *store;
  char         *message_ids[G_N_ELEMENTS (sent)];
} Fixture;

static gint64
client_id (RelanceStore *store, const char *name, const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceClient) found = relance_store_find_client (store, name, NULL);
  RelanceClient client = { 0 };

  if (found != NULL)
    return found->id;
  client.name = (char *) name;
  client.email = (char *) "compta@example.com";
  client.language = (char *) language;
  client.kind = (char *) "business";
  client.segment = (char *) "regular";
  g_assert_true (relance_store_save_client (store, &client, &error));
  return client.id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-26T10:00:00Z", NULL);
  g_autoptr(GPtrArray) scenarios = NULL;
  RelanceScenario *scenario;

  relance_clock_set_override (now);
  f->dir = g_dir_make_tmp ("relance-proof-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "relance.db", NULL);
  f->store = relance_store_open (f->path, &error);
  g_assert_no_error (error);
  company = relance_store_get_company (f->store, &error);
  g_free (company->name);
  company->name = g_strdup ("Atelier Dupré SARL");
  g_assert_true (relance_store_set_company (f->store, company, &error));

  /* Each message at a step of its own: a reminder is unique per invoice and step. */
  scenarios = relance_store_list_scenarios (f->store, &error);
  g_assert_no_error (error);
  scenario = g_ptr_array_index (scenarios, 0);
  g_assert_cmpuint (scenario->steps->len, >=, G_N_ELEMENTS (sent));

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      const SentSpec *s = &sent[i];
      gint64 cid = client_id (f->store, s->client, i == 3 ? "en" : "fr");
      g_autoptr(RelanceInvoice) inv = relance_store_get_invoice (f->store, s->invoice, NULL);
      g_autoptr(GBytes) raw = NULL;
      const char *to[] = { "compta@example.com", NULL };
      RelanceMessageSpec spec = { 0 };
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (
        s->sent_at != NULL ? s->sent_at : "2026-11-02T09:00:00Z", NULL);
      g_autofree char *subject = g_strdup_printf ("Relance : facture %s", s->invoice);
      g_autoptr(RelanceOutboxItem) item = NULL;
      RelanceOutboxItem *cancelled = NULL;
      gboolean paused = FALSE;
      RelanceOutboxRow row = {
        .channel = "email", .tone = "firm", .scenario_key = "standard", .step_offset = 7,
        .template_key = "firm", .state = "queued", .recipients = "compta@example.com",
        .n_invoices = 1,
      };
      gint64 outbox_id;
      GDate today;

      if (inv == NULL)
        {
          RelanceInvoice fresh = { 0 };

          fresh.number = (char *) s->invoice;
          fresh.client_id = cid;
          g_assert_true (relance_date_from_iso ("2026-09-01", &fresh.issue_date));
          g_assert_true (relance_date_from_iso ("2026-10-01", &fresh.due_date));
          fresh.total = 120000;
          fresh.currency = (char *) "EUR";
          fresh.status = (char *) "open";
          g_assert_true (relance_store_save_invoice (f->store, &fresh, &error));
          g_assert_no_error (error);
          inv = relance_store_get_invoice (f->store, s->invoice, &error);
        }

      spec.from_name = "Atelier Dupré SARL";
      spec.from_address = "contact@atelier-dupre.fr";
      spec.to = to;
      spec.subject = subject;
      spec.text = s->text;
      spec.html = "<p>HTML</p>";
      spec.date = when;
      raw = relance_message_build (&spec, &f->message_ids[i], &error);
      g_assert_no_error (error);

      /* Stored the way the outbox stores it: queued, claimed, then its outcome. */
      row.client_id = cid;
      row.subject = subject;
      row.message_id = f->message_ids[i];
      row.raw = raw;
      row.scheduled_at = row.queued_at = g_date_time_to_unix (when) - 60;
      row.amount_due = relance_invoice_get_outstanding (inv);
      row.invoice_ids = &inv->id;
      row.step_ids = &((RelanceStep *) g_ptr_array_index (scenario->steps, i))->id;
      g_assert_true (relance_store_queue_outbox (f->store, &row, 1, FALSE, &outbox_id, &error));
      g_assert_no_error (error);
      g_date_clear (&today, 1);
      g_date_set_time_t (&today, (time_t) row.queued_at);
      item = relance_store_claim_outbox (f->store, outbox_id, "test-proof", row.queued_at,
                                         &today, &cancelled, &paused, &error);
      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_assert_true (relance_store_record_outbox (f->store, item, s->state, 0, s->reply, NULL,
                                                  FALSE, g_date_time_to_unix (when), &error));
      g_assert_no_error (error);
    }
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
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    g_free (f->message_ids[i]);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  relance_clock_set_override (NULL);
}

static guint
column (RelanceCsv *csv, const char *name)
{
  for (guint i = 0; i < relance_csv_get_n_fields (csv, 0); i++)
    if (g_str_equal (relance_csv_get_field (csv, 0, i), name))
      return i;
  g_error ("No column “%s” in the CSV", name);
  return 0;
}

/* The CSV of @invoice / @client has exactly the rows @expected (indexes in sent[], in
 * time order), with their Message-IDs, states and times. */
static void
check_csv (Fixture *f, const char *invoice, const char *client, const guint *expected,
           guint n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = relance_proof_to_csv (f->store, invoice, client, &error);
  g_autoptr(RelanceCsv) csv = NULL;

  g_assert_no_error (error);
  csv = relance_csv_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relance_csv_get_n_records (csv), ==, n_expected + 1);
  for (guint r = 0; r < n_expected; r++)
    {
      const SentSpec *s = &sent[expected[r]];

      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "message_id")), ==,
                       f->message_ids[expected[r]]);
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "state")), ==, s->state);
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "sent_at")), ==,
                       s->sent_at != NULL ? s->sent_at : "");
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "server_reply")), ==,
                       s->reply != NULL ? s->reply : "");
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "invoices")), ==,
                       s->invoice);
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "client")), ==,
                       s->client);
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "recipients")), ==,
                       "compta@example.com");
      g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "channel")), ==, "email");
      if (s->sent_at != NULL)
        {
          g_autofree char *date = g_strndup (s->sent_at, 10);
          g_autofree char *time = g_strndup (s->sent_at + 11, 8);

          g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "date")), ==, date);
          g_assert_cmpstr (relance_csv_get_field (csv, r + 1, column (csv, "time")), ==, time);
        }
    }
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  const guint f1[] = { 0, 2 };
  const guint martin[] = { 0, 1, 2 };
  const guint all[] = { 0, 1, 3, 2 };

  check_csv (f, "F1", NULL, f1, G_N_ELEMENTS (f1));
  check_csv (f, NULL, "Boulangerie Martin", martin, G_N_ELEMENTS (martin));
  check_csv (f, NULL, NULL, all, G_N_ELEMENTS (all));
}

static void
test_decode (Fixture *f, gconstpointer data)
{
  const guint order[] = { 0, 1, 3, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = relance_proof_collect (f->store, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *text = relance_proof_message_text (item->raw);

      g_assert_cmpstr (item->message_id, ==, f->message_ids[order[i]]);
      /* The exact text written, accents and all, back from quoted-printable. */
      g_assert_cmpstr (g_strchomp (text), ==, sent[order[i]].text);
    }
  g_assert_null (relance_proof_message_text (NULL));
}

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

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = relance_proof_to_pdf (f->store, NULL, "Boulangerie Martin", &error);
  g_autoptr(PopplerDocument) doc = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *page_text = poppler_page_get_text (page);
      double w, h;

      poppler_page_get_size (page, &w, &h);
      g_assert_cmpfloat_with_epsilon (w, 595.28, 0.5);
      g_assert_cmpfloat_with_epsilon (h, 841.89, 0.5);
      g_string_append (all, page_text);
    }
  text = squeeze (all->str);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autofree char *id = squeeze (f->message_ids[i]);
      g_auto(GStrv) lines = g_strsplit (sent[i].text, "\n", -1);
      gboolean expected = g_str_equal (sent[i].client, "Boulangerie Martin");

      if ((strstr (text, id) != NULL) != expected)
        g_error ("Message-ID %s %s in the dossier:\n%s", f->message_ids[i],
                 expected ? "missing" : "unexpected", all->str);
      /* The full text, decoded from quoted-printable UTF-8. */
      for (guint l = 0; expected && lines[l] != NULL; l++)
        {
          g_autofree char *line = squeeze (lines[l]);

          if (strstr (text, line) == NULL)
            g_error ("Line “%s” missing from the dossier:\n%s", lines[l], all->str);
        }
      if (expected && sent[i].reply != NULL)
        {
          g_autofree char *reply = squeeze (sent[i].reply);

          g_assert_nonnull (strstr (text, reply));
        }
    }
  g_assert_nonnull (strstr (text, "2026-10-0809:15:02UTC"));
  g_assert_nonnull (strstr (text, "failed"));
  g_assert_nonnull (strstr (text, "Atelier"));
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = g_build_filename (f->dir, "proof.csv", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "proof.PDF", NULL);
  g_autofree char *txt = g_build_filename (f->dir, "proof.txt", NULL);
  const char *to_csv[] = { "history", "--invoice", "F1", "--export", csv, NULL };
  const char *to_pdf[] = { "history", "--invoice", "F1", "--export", pdf, NULL };
  const char *to_txt[] = { "history", "--export", txt, NULL };
  const char *unknown[] = { "history", "--invoice", "F404", "--export", csv, NULL };
  g_autofree char *contents = NULL;

  g_assert_cmpint (relance_test_run_cli (f->path, to_csv), ==, 0);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "id,client,invoices,"));
  g_assert_nonnull (strstr (contents, f->message_ids[0]));
  g_assert_nonnull (strstr (contents, f->message_ids[2]));
  g_assert_null (strstr (contents, f->message_ids[1]));
  g_assert_cmpint (relance_test_run_cli (f->path, to_pdf), ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (relance_test_run_cli (f->path, to_txt), ==, 2);
  g_assert_cmpint (relance_test_run_cli (f->path, unknown), ==, 1);
  g_remove (csv);
  g_remove (pdf);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/proof/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/proof/decode", Fixture, NULL, fixture_setup, test_decode, fixture_teardown);
  g_test_add ("/proof/pdf", Fixture, NULL, fixture_setup, test_pdf, fixture_teardown);
  g_test_add ("/proof/cli", Fixture, NULL, fixture_setup, test_cli, fixture_teardown);
  return g_test_run ();
}
