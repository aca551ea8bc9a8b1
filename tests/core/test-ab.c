/* test-ab.c: A/B tests of reminder texts: the split of clients (relance-ab.c), the
 * statistics against values computed independently (tests/core/ab-expected.py: exact
 * fractions, cross-checked with scipy's numerical integration), and the store's tests
 * (relance-store-ab.c) through start, counts, the planner and stop. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-ab.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-outbox.h"
#include "relance-planner.h"
#include "relance-store-ab.h"
#include "relance-store-outbox.h"
#include "relance-store.h"
#include "store-records.h"

static void
test_probability (void)
{
  /* (n_a, paid_a, n_b, paid_b) → P(B beats A), from ab-expected.py */
  static const struct { guint na, pa, nb, pb; double p; } cases[] = {
    { 10, 3, 10, 7, 0.956945531249 },
    { 12, 4, 9, 3, 0.510095571409 },
    { 0, 0, 0, 0, 0.5 },
    { 50, 20, 50, 30, 0.976426365948 },
    { 100, 40, 120, 70, 0.996555734153 },
    { 200, 90, 200, 88, 0.420480246721 },
    { 5, 5, 5, 0, 0.001082251082 },   /* exactly 1/924 */
    { 3, 1, 2, 1, 0.628571428571 },   /* exactly 22/35 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (relance_ab_probability_better (cases[i].na, cases[i].pa,
                                                                   cases[i].nb, cases[i].pb),
                                    cases[i].p, 1e-9);
}

static void
test_sample_size (void)
{
  /* From ab-expected.py (statistics.NormalDist quantiles, one-sided 5 %, 80 % power). */
  g_assert_cmpuint (relance_ab_sample_size (0.5, 0.65), ==, 132);
  g_assert_cmpuint (relance_ab_sample_size (0.2, 0.35), ==, 107);
  g_assert_cmpuint (relance_ab_sample_size (0.1, 0.25), ==, 77);
  g_assert_cmpuint (relance_ab_sample_size (0.85, 0.7), ==, 93);
  g_assert_cmpuint (relance_ab_sample_size (0.3, 0.45), ==, 126);
  g_assert_cmpuint (relance_ab_needed_per_variant (0.5), ==, 132);
  g_assert_cmpuint (relance_ab_needed_per_variant (0.95), ==, relance_ab_sample_size (0.95, 0.8));
}

static void
test_median (void)
{
  int odd[] = { 9, 1, 4 };
  int even[] = { 10, 2, 3, 7 };

  g_assert_cmpfloat (relance_ab_median (odd, 3), ==, 4.0);
  g_assert_cmpfloat (relance_ab_median (even, 4), ==, 5.0);
  g_assert_true (isnan (relance_ab_median (NULL, 0)));
}

static void
test_summary (void)
{
  g_auto(RelanceAbSummary) s = { 0 };

  /* 21 reminders judged: the pooled rate 7/21 sizes the test: 130 per variant. */
  relance_ab_summarise (12, 4, 9, 3, &s);
  g_assert_cmpint (s.verdict, ==, RELANCE_AB_TOO_EARLY);
  g_assert_cmpuint (s.needed, ==, 130);
  g_assert_cmpstr (s.sentence, ==, "Too early: 12 and 9 reminders so far; about 130 per variant "
                   "are needed to tell a 15-point difference (one-sided test at 5 %, 80 % power).");
  g_assert_cmpstr (relance_ab_verdict_to_string (s.verdict), ==, "too-early");

  relance_ab_summarise (200, 60, 200, 100, &s);
  g_assert_cmpint (s.verdict, ==, RELANCE_AB_B_BETTER);
  g_assert_cmpfloat (s.probability_better, >, 0.99);
  relance_ab_summarise (200, 100, 200, 60, &s);
  g_assert_cmpint (s.verdict, ==, RELANCE_AB_A_BETTER);
  relance_ab_summarise (200, 90, 200, 88, &s);
  g_assert_cmpint (s.verdict, ==, RELANCE_AB_NO_DIFFERENCE);
  g_assert_nonnull (strstr (s.sentence, "42 %"));
}

static void
test_assignment (void)
{
  guint b = 0, agree = 0;

  for (gint64 id = 1; id <= 10000; id++)
    {
      char v = relance_ab_assign ("0123456789abcdef", id);

      g_assert_true (v == 'a' || v == 'b');
      /* Stable: the same salt always gives the same group (nothing but the salt is kept). */
      g_assert_cmpint (relance_ab_assign ("0123456789abcdef", id), ==, v);
      b += v == 'b';
      agree += relance_ab_assign ("another-test-salt", id) == v;
    }
  /* About 50/50: 4 standard deviations of a fair coin over 10 000 clients is ±200. */
  g_assert_cmpuint (b, >, 4800);
  g_assert_cmpuint (b, <, 5200);
  /* Another test splits independently. */
  g_assert_cmpuint (agree, >, 4800);
  g_assert_cmpuint (agree, <, 5200);

  {
    g_autofree char *s1 = relance_ab_new_salt ();
    g_autofree char *s2 = relance_ab_new_salt ();
    g_assert_cmpuint (strlen (s1), ==, 32);
    g_assert_cmpstr (s1, !=, s2);
  }
}

static void
test_step_names (void)
{
  g_autofree char *key = NULL;
  g_autofree char *formatted = NULL;
  g_autoptr(GError) error = NULL;
  int offset = 0;

  g_assert_true (relance_ab_parse_step_name ("standard:+8", &key, &offset, &error));
  g_assert_cmpstr (key, ==, "standard");
  g_assert_cmpint (offset, ==, 8);
  g_clear_pointer (&key, g_free);
  g_assert_true (relance_ab_parse_step_name ("firm:-5", &key, &offset, &error));
  g_assert_cmpint (offset, ==, -5);
  formatted = relance_ab_format_step_name ("firm", -5);
  g_assert_cmpstr (formatted, ==, "firm:-5");
  g_clear_pointer (&key, g_free);
  g_assert_false (relance_ab_parse_step_name ("standard", &key, &offset, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relance_ab_parse_step_name ("standard:+-3", &key, &offset, &error));
  g_clear_error (&error);
  g_assert_false (relance_ab_parse_step_name (":8", &key, &offset, &error));
}

static RelanceStore *
open_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "ab.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static void
set_company (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceCompany) company = relance_store_get_company (store, &error);

  g_assert_no_error (error);
  g_free (company->name);
  company->name = g_strdup ("Atelier");
  g_free (company->iban);
  company->iban = g_strdup ("FR7630006000011234567890189");
  g_assert_true (relance_store_set_company (store, company, &error));
  g_assert_no_error (error);
}

/* The step of @scenario_key using @template_key, or NULL. */
static RelanceStep *
find_step (GPtrArray  *scenarios,
           const char *scenario_key,
           const char *template_key)
{
  for (guint i = 0; i < scenarios->len; i++)
    {
      RelanceScenario *sc = g_ptr_array_index (scenarios, i);

      for (guint j = 0; j < sc->steps->len; j++)
        {
          RelanceStep *step = g_ptr_array_index (sc->steps, j);

          if ((scenario_key == NULL || g_str_equal (sc->key, scenario_key))
              && g_str_equal (step->template_key, template_key))
            return step;
        }
    }
  return NULL;
}

static GPtrArray *
all_scenarios (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *scenarios = relance_store_list_scenarios (store, &error);

  g_assert_no_error (error);
  return scenarios;
}

/* Outbox rows with @template_key, and @state and @client_id unless NULL and 0. */
static guint
count_outbox (RelanceStore *store,
              const char   *state,
              const char   *template_key,
              gint64        client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = relance_outbox_list (store, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      const RelanceOutboxItem *item = g_ptr_array_index (items, i);

      n += (state == NULL || g_strcmp0 (item->state, state) == 0)
           && g_strcmp0 (item->template_key, template_key) == 0
           && (client_id == 0 || item->client_id == client_id);
    }
  return n;
}

static void
test_store (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-10T10:00:00Z", NULL);
  g_autoptr(RelanceAbTest) test = NULL;
  g_autoptr(GPtrArray) tests = NULL;
  RelanceTemplateText b = { .key = NULL, .language = (char *) "fr",
                            .subject = (char *) "Facture {{invoice.number}} : un oubli ?",
                            .body = (char *) "Bonjour {{client.name}}, texte B.\n" };
  RelanceTemplateText broken = { .language = (char *) "fr", .subject = (char *) "x",
                                 .body = (char *) "{{nope}}\n" };
  RelanceAbCounts counts[2];
  gint64 clients[2], invoices[3], step_id;

  g_assert_cmpint (relance_store_get_version (store), ==, 12);
  /* Migration 12: the WhatsApp texts and the Gentle scenario's nudge, switched off. */
  {
    g_autoptr(RelanceTemplateText) fr = relance_store_get_template (store, "whatsapp-nudge",
                                                                    "fr", &error);
    g_autoptr(RelanceTemplateText) en = relance_store_get_template (store, "whatsapp-nudge",
                                                                    "en", &error);
    g_autoptr(GPtrArray) scenarios = all_scenarios (store);
    g_auto(GStrv) keys = relance_store_list_template_keys (store, &error);

    g_assert_no_error (error);
    g_assert_nonnull (fr);
    g_assert_nonnull (en);
    g_assert_true (g_strv_contains ((const char * const *) keys, "whatsapp-nudge"));
    g_assert_true (find_step (scenarios, "gentle", "whatsapp-nudge")->disabled);
  }

  /* Same checks as templates; only email steps. */
  g_assert_null (relance_store_ab_start (store, "standard", 8, &broken, now, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relance_store_ab_start (store, "standard", 45, &b, now, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (relance_store_ab_start (store, "standard", 9, &b, now, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* first-reminder is shared by standard:+1 and gentle:+3. */
  test = relance_store_ab_start (store, "standard", 1, &b, now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test->template_key, ==, "first-reminder");
  g_assert_nonnull (relance_ab_test_get_text (test, "fr"));
  g_assert_null (relance_ab_test_get_text (test, "en"));
  tests = relance_store_ab_list (store, TRUE, &error);
  g_assert_cmpuint (tests->len, ==, 1);

  /* Two invoices of clients 1 (A) and 2 (B), reminded on 02-01 (judged) and 03-05 (not). */
  clients[0] = store_records_add_client (store, &(RelanceClient) { .name = (char *) "Un" });
  clients[1] = store_records_add_client (store, &(RelanceClient) { .name = (char *) "Deux" });
  invoices[0] = store_records_add_invoice (store, clients[0], "F1", "2026-01-01", "2026-01-31",
                                           1000, "EUR");
  invoices[1] = store_records_add_invoice (store, clients[1], "F2", "2026-01-01", "2026-01-31",
                                           1000, "EUR");
  invoices[2] = store_records_add_invoice (store, clients[1], "F3", "2026-02-01", "2026-03-03",
                                           1000, "EUR");
  store_records_add_payment (store, invoices[0], "2026-02-13", 1000);
  store_records_add_payment (store, invoices[1], "2026-02-04", 400);
  store_records_add_payment (store, invoices[1], "2026-02-05", 600);
  step_id = relance_test_sql_int (store, "SELECT st.id FROM scenario_steps st JOIN scenarios s "
                                  "ON s.id = st.scenario_id WHERE s.key = 'standard' "
                                  "AND st.offset_days = 1");
  for (guint i = 0; i < G_N_ELEMENTS (invoices); i++)
    {
      RelanceOutboxRow row = {
        .client_id = i == 0 ? clients[0] : clients[1], .channel = "email", .tone = "courteous",
        .step_offset = 1, .template_key = "first-reminder", .state = "sent",
        .sent_at = i < 2 ? 1769940000 /* 2026-02-01 10:00 */ : 1772704800 /* 2026-03-05 10:00 */,
        .ab_test_id = test->id, .ab_variant = i == 0 ? 'a' : 'b',
      };
      gint64 outbox_id = 0;

      /* The reminder of the Standard scenario's first step, sent with it. */
      row.n_invoices = 1;
      row.invoice_ids = &invoices[i];
      row.step_ids = &step_id;
      g_assert_true (relance_store_queue_outbox (store, &row, 1, FALSE, &outbox_id, &error));
      g_assert_no_error (error);
    }
  g_assert_true (relance_store_ab_counts (store, test->id, now, counts, &error));
  g_assert_no_error (error);
  /* A: F1 paid 12 days after; B: F2 paid 4 days after (last payment), F3 unpaid. */
  g_assert_cmpuint (counts[0].sent, ==, 1);
  g_assert_cmpuint (counts[0].paid_7d, ==, 0);
  g_assert_cmpuint (counts[0].paid_14d, ==, 1);
  g_assert_cmpfloat (counts[0].median_days, ==, 12.0);
  g_assert_cmpuint (counts[1].sent, ==, 2);
  g_assert_cmpuint (counts[1].paid_7d, ==, 1);
  g_assert_cmpuint (counts[1].paid_14d, ==, 1);
  g_assert_cmpuint (counts[1].judged, ==, 1);
  g_assert_cmpuint (counts[1].judged_paid, ==, 1);
  g_assert_cmpfloat (counts[1].median_days, ==, 4.0);

  /* Keeping B on a shared template gives the step its own copy; gentle:+3 keeps text A. */
  g_assert_true (relance_store_ab_stop (store, "standard", 1, 'b', now, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) scenarios = all_scenarios (store);
    guint n = 0;

    for (guint i = 0; i < scenarios->len; i++)
      {
        RelanceScenario *sc = g_ptr_array_index (scenarios, i);

        for (guint j = 0; j < sc->steps->len; j++)
          n += g_str_equal (((RelanceStep *) g_ptr_array_index (sc->steps, j))->template_key,
                            "first-reminder");
      }
    g_assert_cmpuint (n, ==, 1);
  }
  {
    g_autofree char *key = g_strdup_printf ("first-reminder-b%" G_GINT64_FORMAT, test->id);
    g_autoptr(RelanceTemplateText) fr = relance_store_get_template (store, key, "fr", &error);
    g_autoptr(RelanceTemplateText) en = relance_store_get_template (store, key, "en", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fr->body, ==, b.body);
    g_assert_cmpstr (en->body, !=, b.body);
  }
  g_assert_false (relance_store_ab_stop (store, "standard", 1, 'a', now, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND);
}

static void
test_planner_uses_variant (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-02-24T10:00:00Z", NULL);
  g_autoptr(RelanceAbTest) test = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  RelanceTemplateText b = { .language = (char *) "fr", .subject = (char *) "B {{invoice.number}}",
                            .body = (char *) "Texte B pour {{client.name}}.\n" };
  guint seen_a = 0, seen_b = 0;

  set_company (store);
  for (int i = 1; i <= 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("C%d", i);
      g_autofree char *email = g_strdup_printf ("c%d@example.test", i);
      g_autofree char *number = g_strdup_printf ("F%d", i);
      gint64 client = store_records_add_client (store, &(RelanceClient) { .name = name,
                                                .email = email,
                                                            .language = (char *) "fr" });

      store_records_add_invoice (store, client, number, "2026-01-01", "2026-02-20", 1000, "EUR");
    }
  test = relance_store_ab_start (store, "standard", 1, &b, now, &error);
  g_assert_no_error (error);
  plan = relance_planner_plan (store, now, NULL, RELANCE_PLAN_NEXT_PER_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->len, ==, 40);
  for (guint i = 0; i < plan->len; i++)
    {
      RelancePlannedMessage *msg = g_ptr_array_index (plan, i);
      g_autofree char *subject = NULL;
      g_autofree char *text = NULL;

      g_assert_cmpint (msg->step->offset_days, ==, 1);
      g_assert_cmpint (msg->ab_test_id, ==, test->id);
      g_assert_cmpint (msg->ab_variant, ==, relance_ab_assign (test->salt, msg->client->id));
      g_assert_true (relance_planner_render (store, msg, &subject, &text, NULL, &error));
      g_assert_no_error (error);
      if (msg->ab_variant == 'b')
        {
          g_assert_true (g_str_has_prefix (subject, "B F"));
          seen_b++;
        }
      else
        {
          g_assert_false (g_str_has_prefix (subject, "B F"));
          seen_a++;
        }
    }
  g_assert_cmpuint (seen_a, >, 0);
  g_assert_cmpuint (seen_b, >, 0);
}

/* Friendly channels: the Gentle scenario's WhatsApp nudge (off until switched on, only for
 * clients with a mobile number), recorded by the owner; a call's outcome feeds the planner. */
static RelancePlannedMessage *
next_message (RelanceStore *store, const char *when, const char *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (when, NULL);
  g_autoptr(GPtrArray) plan = relance_planner_plan (store, now, NULL,
                                                    RELANCE_PLAN_NEXT_PER_CLIENT, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < plan->len; i++)
    if (g_str_equal (((RelancePlannedMessage *) g_ptr_array_index (plan, i))->client->name,
                     client))
      return g_ptr_array_steal_index (plan, i);
  return NULL;
}

static void
test_friendly_channels (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelancePlannedMessage) msg = NULL;
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(GDateTime) now = NULL;
  GDate promise;
  gint64 step_id;
  gint64 mobile, fixe;

  set_company (store);
  mobile = store_records_add_client (store, &(RelanceClient) { .name = (char *) "Mobile",
                                                 .email = (char *) "m@example.test",
                                                 .phone = (char *) "06 12 34 56 78",
                                                 .segment = (char *) "strategic",
                                                 .country = (char *) "FR" });
  fixe = store_records_add_client (store, &(RelanceClient) { .name = (char *) "Fixe",
                                               .email = (char *) "f@example.test",
                                               .segment = (char *) "strategic",
                                               .country = (char *) "FR" });
  store_records_add_invoice (store, mobile, "W1", "2026-01-01", "2026-02-02", 1000, "EUR");
  store_records_add_invoice (store, fixe, "W2", "2026-01-01", "2026-02-02", 1000, "EUR");
  /* The reminders the outbox wrote when it sent J+3: no store function writes one sent. */
  relance_test_sql_exec (store,
    "INSERT INTO reminders (invoice_id, step_id, channel, state, scheduled_at, sent_at)"
    " SELECT i.id, st.id, 'email', 'sent', 1770372000, 1770372000 FROM invoices i,"
    " scenario_steps st JOIN scenarios s ON s.id = st.scenario_id"
    " WHERE s.key = 'gentle' AND st.offset_days = 3;");
  {
    g_autoptr(GPtrArray) scenarios = all_scenarios (store);

    step_id = find_step (scenarios, "gentle", "whatsapp-nudge")->id;
  }

  /* Off: J+3 was sent, the next step is J+15. */
  msg = next_message (store, "2026-02-10T10:00:00Z", "Mobile");
  g_assert_cmpint (msg->step->offset_days, ==, 15);
  g_clear_pointer (&msg, relance_planned_message_free);

  /* Switched on: J+8 for the client with a mobile number only. */
  g_assert_true (relance_store_set_step_enabled (store, step_id, TRUE, &error));
  g_assert_no_error (error);
  msg = next_message (store, "2026-02-10T10:00:00Z", "Mobile");
  g_assert_cmpint (msg->step->offset_days, ==, 8);
  g_assert_cmpstr (msg->channel, ==, "task");
  g_assert_cmpstr (msg->template_key, ==, "whatsapp-nudge");
  g_clear_pointer (&msg, relance_planned_message_free);
  msg = next_message (store, "2026-02-10T10:00:00Z", "Fixe");
  g_assert_cmpint (msg->step->offset_days, ==, 15);
  g_clear_pointer (&msg, relance_planned_message_free);

  /* "Sent?" — yes: on the timeline, and the scenario moves on. */
  msg = next_message (store, "2026-02-10T10:00:00Z", "Mobile");
  now = g_date_time_new_from_iso8601 ("2026-02-10T10:05:00Z", NULL);
  g_assert_true (relance_outbox_record_task (store, msg, RELANCE_TASK_WHATSAPP_SENT, NULL, now,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_outbox (store, "done", "whatsapp-nudge", mobile), ==, 1);
  g_clear_pointer (&msg, relance_planned_message_free);
  msg = next_message (store, "2026-02-11T10:00:00Z", "Mobile");
  g_assert_cmpint (msg->step->offset_days, ==, 15);
  g_clear_pointer (&msg, relance_planned_message_free);

  /* The J+30 call: no answer records nothing; a promise holds the reminders like
   * `relance invoice promise`. */
  relance_test_sql_exec (store,
    "INSERT INTO reminders (invoice_id, step_id, channel, state, scheduled_at, sent_at)"
    " SELECT i.id, st.id, 'email', 'sent', 1771322400, 1771322400 FROM invoices i,"
    " scenario_steps st JOIN scenarios s ON s.id = st.scenario_id"
    " WHERE s.key = 'gentle' AND st.offset_days = 15 AND i.number = 'W1';");
  msg = next_message (store, "2026-03-05T10:00:00Z", "Mobile");
  g_assert_cmpstr (msg->template_key, ==, "call-task");
  g_assert_true (relance_outbox_record_task (store, msg, RELANCE_TASK_CALL_NO_ANSWER, NULL, now,
                                             &error));
  g_assert_cmpuint (count_outbox (store, NULL, "call-task", 0), ==, 0);
  g_date_clear (&promise, 1);
  g_date_set_dmy (&promise, 20, G_DATE_MARCH, 2026);
  g_assert_true (relance_outbox_record_task (store, msg, RELANCE_TASK_CALL_PROMISE, &promise,
                                             now, &error));
  g_assert_no_error (error);
  invoice = relance_store_get_invoice (store, "W1", &error);
  g_assert_cmpint (g_date_compare (&invoice->promise_date, &promise), ==, 0);
  g_clear_pointer (&msg, relance_planned_message_free);
  g_assert_null (next_message (store, "2026-03-06T10:00:00Z", "Mobile"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/ab/probability", test_probability);
  g_test_add_func ("/ab/sample-size", test_sample_size);
  g_test_add_func ("/ab/median", test_median);
  g_test_add_func ("/ab/summary", test_summary);
  g_test_add_func ("/ab/assignment", test_assignment);
  g_test_add_func ("/ab/step-names", test_step_names);
  g_test_add_func ("/ab/store", test_store);
  g_test_add_func ("/ab/planner", test_planner_uses_variant);
  g_test_add_func ("/ab/friendly-channels", test_friendly_channels);
  return g_test_run ();
}
