/* test-scenario.c: the shipped scenarios and reminder texts, as the database holds them,
 * and the scenario editor's reads and writes of them. */
#include "config.h"

#include <string.h>

#include "../relance-test-sql.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-store.h"
#include "relance-template.h"

static RelanceStore *
open_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "r.db", NULL);
  g_autoptr(GError) error = NULL;
  RelanceStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = relance_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

typedef struct
{
  const char *scenario;
  const char *segment;
  const char *steps; /* "offset:channel:tone:penalties" separated by spaces */
} ScenarioCase;

static const ScenarioCase scenario_cases[] = {
  { "standard", "regular",
    "-3:email:courteous:0 1:email:courteous:0 8:email:firm:0 15:email:firm:1 "
    "30:email:formal-notice:1 45:task:formal-notice:0" },
  /* The WhatsApp nudge on J+8 ships switched off (migration 12). */
  { "gentle", "strategic",
    "3:email:courteous:0 8:task:courteous:0 15:email:courteous:0 30:task:courteous:0" },
  { "firm", "at-risk",
    "-5:email:courteous:0 0:email:courteous:0 5:email:firm:0 10:email:firm:1 "
    "20:email:formal-notice:1 30:task:formal-notice:0" },
};

static void
test_shipped_scenarios (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (scenarios->len, ==, G_N_ELEMENTS (scenario_cases));
  for (guint i = 0; i < G_N_ELEMENTS (scenario_cases); i++)
    {
      const ScenarioCase *c = &scenario_cases[i];
      RelanceScenario *sc = g_ptr_array_index (scenarios, i);
      g_autoptr(GString) steps = g_string_new (NULL);

      g_assert_cmpstr (sc->key, ==, c->scenario);
      g_assert_cmpstr (sc->segment, ==, c->segment);
      for (guint s = 0; s < sc->steps->len; s++)
        {
          RelanceStep *st = g_ptr_array_index (sc->steps, s);
          g_string_append_printf (steps, "%s%d:%s:%s:%d", s > 0 ? " " : "", st->offset_days,
                                  st->channel, st->tone, st->penalties);
          /* The formal notice comes with a letter and an 8-day deadline. */
          if (g_str_equal (st->tone, "formal-notice") && g_str_equal (st->channel, "email"))
            {
              g_assert_true (st->with_letter);
              g_assert_cmpint (st->deadline_days, ==, 8);
            }
        }
      g_assert_cmpstr (steps->str, ==, c->steps);
    }
}

static void
test_shipped_templates_parse (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  const char * const *keys = relance_template_shipped_keys ();
  static const char *languages[] = { "fr", "en" };

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(RelanceTemplateText) text =
          relance_store_get_template (store, keys[i], languages[l], &error);

        g_test_message ("%s/%s", languages[l], keys[i]);
        g_assert_no_error (error);
        g_assert_true (relance_template_check (text->subject, &error));
        g_assert_true (relance_template_check (text->body, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (strlen (text->subject), >, 5);
        /* Every email to a client lists its invoices (an SMS is too short for a table). */
        if (!g_str_has_suffix (keys[i], "-task") && !g_str_has_prefix (keys[i], "sms-"))
          g_assert_true (strstr (text->body, "{{#invoices}}") != NULL);
      }
}

/* The French formal notice as the law and a French owner expect it. */
static void
test_formal_notice_wording (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(RelanceTemplateText) fr = relance_store_get_template (store, "formal-notice", "fr",
                                                                  NULL);
  g_autoptr(RelanceTemplateText) en = relance_store_get_template (store, "formal-notice", "en",
                                                                  NULL);
  g_autofree char *fr_all = g_strconcat (fr->subject, "\n", fr->body, NULL);
  g_autofree char *fr_lower = g_utf8_strdown (fr_all, -1);
  static const char *required_fr[] = {
    "mise en demeure", "{{invoice.number}}", "{{invoice.outstanding}}", "{{penalties.amount}}",
    "{{penalties.rate}}", "{{indemnity}}", "{{deadline}}", "{{total_due}}", "injonction de payer",
    "l441-10", "40", "vous",
  };
  static const char *required_en[] = {
    "{{invoice.number}}", "{{penalties.amount}}", "{{indemnity}}", "{{deadline}}",
    "{{total_due}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required_fr); i++)
    {
      g_test_message ("fr: %s", required_fr[i]);
      g_assert_nonnull (strstr (fr_lower, required_fr[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (required_en); i++)
    g_assert_nonnull (strstr (en->body, required_en[i]));
  /* Vouvoiement: no "tu"/"ton"/"ta" addressed to the client. */
  g_assert_null (strstr (fr_lower, " tu "));
  g_assert_null (strstr (fr_lower, " ta facture"));
}

static void
test_broken_template_refused (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceTemplateText) before = relance_store_get_template (store, "firm", "fr", NULL);
  g_autoptr(RelanceTemplateText) after = NULL;
  RelanceTemplateText broken = {
    .key = (char *) "firm", .language = (char *) "fr",
    .subject = (char *) "Relance {{invoice.number}}",
    .body = (char *) "Bonjour,\n\nMontant : {{invoice.outstandng}}\n",
  };

  g_assert_false (relance_store_save_template (store, &broken, &error));
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "3:11:"));
  after = relance_store_get_template (store, "firm", "fr", NULL);
  g_assert_cmpstr (after->body, ==, before->body);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The keys the scenario editor offers: every shipped template, once, sorted. */
static void
test_template_keys (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = relance_store_list_template_keys (store, &error);
  g_autoptr(GPtrArray) shipped = g_ptr_array_new ();

  g_assert_no_error (error);
  for (const char * const *k = relance_template_shipped_keys (); *k != NULL; k++)
    g_ptr_array_add (shipped, (gpointer) *k);
  g_ptr_array_sort (shipped, compare_strings);
  g_ptr_array_add (shipped, NULL);
  g_assert_cmpstrv (keys, (const char * const *) shipped->pdata);
  g_assert_cmpstr (keys[0], ==, "before-due");
}

/* The standard scenario, as the database holds it now. */
static RelanceScenario *
load_standard (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = relance_store_list_scenarios (store, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (((RelanceScenario *) g_ptr_array_index (scenarios, 0))->key, ==,
                   "standard");
  return g_ptr_array_steal_index (scenarios, 0);
}

static RelanceStep *
step_at (RelanceScenario *scenario,
         int              offset)
{
  for (guint i = 0; i < scenario->steps->len; i++)
    {
      RelanceStep *step = g_ptr_array_index (scenario->steps, i);

      if (step->offset_days == offset)
        return step;
    }
  g_assert_not_reached ();
}

/* "offset:template:tone:penalties" for each step, by offset. */
static char *
describe_steps (const RelanceScenario *scenario)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < scenario->steps->len; i++)
    {
      const RelanceStep *st = g_ptr_array_index (scenario->steps, i);

      g_string_append_printf (out, "%s%d:%s:%s:%d", i > 0 ? " " : "", st->offset_days,
                              st->template_key, st->tone, st->penalties);
    }
  return g_string_free (out, FALSE);
}

/* A reminder sent for the step: it becomes proof. */
static void
use_step (RelanceStore *store,
          gint64        step_id)
{
  g_autoptr(GError) error = NULL;
  RelanceClient client = {
    .name = (char *) "Dupont SARL", .email = (char *) "compta@example.com",
    .language = (char *) "fr", .kind = (char *) "business", .segment = (char *) "regular",
  };
  RelanceInvoice invoice = {
    .number = (char *) "F1", .total = 120000, .currency = (char *) "EUR",
  };
  g_autofree char *sql = NULL;

  g_assert_true (relance_store_save_client (store, &client, &error));
  g_assert_no_error (error);
  invoice.client_id = client.id;
  g_date_clear (&invoice.issue_date, 1);
  g_date_set_dmy (&invoice.issue_date, 1, G_DATE_FEBRUARY, 2026);
  g_date_clear (&invoice.due_date, 1);
  g_date_set_dmy (&invoice.due_date, 2, G_DATE_MARCH, 2026);
  g_date_clear (&invoice.promise_date, 1);
  g_assert_true (relance_store_save_invoice (store, &invoice, &error));
  g_assert_no_error (error);
  /* A reminder sent for the step, as the outbox writes it: no store function does. */
  sql = g_strdup_printf ("INSERT INTO reminders (invoice_id, step_id, channel, state, "
                         "scheduled_at, sent_at) VALUES (%" G_GINT64_FORMAT ", %"
                         G_GINT64_FORMAT ", 'email', 'sent', 1772701200, 1772701200)",
                         invoice.id, step_id);
  relance_test_sql_exec (store, sql);
}

static void
test_step_is_used (void)
{
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(RelanceScenario) standard = load_standard (store);
  g_autoptr(GError) error = NULL;
  struct { gint64 id; gboolean used; } cases[] = {
    { 0, FALSE },                      /* a step not saved yet */
    { step_at (standard, 1)->id, TRUE },
    { step_at (standard, 8)->id, FALSE },
  };

  use_step (store, step_at (standard, 1)->id);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean used = !cases[i].used;

      g_assert_true (relance_store_step_is_used (store, cases[i].id, &used, &error));
      g_assert_no_error (error);
      g_assert_cmpint (used, ==, cases[i].used);
    }
}

typedef void (*EditFunc) (RelanceScenario *standard,
                          GArray          *removed);

static void
edit_swap (RelanceScenario *standard,
           GArray          *removed)
{
  RelanceStep *first = step_at (standard, 1);
  RelanceStep *second = step_at (standard, 8);

  first->offset_days = 8;
  second->offset_days = 1;
}

static void
edit_add_and_change (RelanceScenario *standard,
                     GArray          *removed)
{
  RelanceStep *step = g_new0 (RelanceStep, 1);

  step->offset_days = 60;
  step->channel = g_strdup ("email");
  step->template_key = g_strdup ("second-reminder");
  step->tone = g_strdup ("firm");
  step->penalties = TRUE;
  g_ptr_array_add (standard->steps, step);
  step = step_at (standard, 8);
  g_free (step->tone);
  step->tone = g_strdup ("courteous");
}

static void
edit_remove (RelanceScenario *standard,
             GArray          *removed)
{
  RelanceStep *step = step_at (standard, 45);

  g_array_append_val (removed, step->id);
  g_ptr_array_remove (standard->steps, step);
}

/* Two steps on one day, with another edit that must not be written either. */
static void
edit_same_day (RelanceScenario *standard,
               GArray          *removed)
{
  g_free (step_at (standard, -3)->template_key);
  step_at (standard, -3)->template_key = g_strdup ("due-today");
  step_at (standard, 8)->offset_days = 15;
}

static void
edit_out_of_range (RelanceScenario *standard,
                   GArray          *removed)
{
  step_at (standard, 45)->offset_days = RELANCE_STEP_MAX_OFFSET + 1;
}

/* The step at D+45 was used (test_save_steps marks it): its removal is refused, and the
 * other edit with it. */
static void
edit_remove_used (RelanceScenario *standard,
                  GArray          *removed)
{
  edit_remove (standard, removed);
  g_free (step_at (standard, 8)->tone);
  step_at (standard, 8)->tone = g_strdup ("courteous");
}

typedef struct
{
  const char *name;
  EditFunc    edit;
  gboolean    ok;
  const char *steps;  /* after the save; the shipped ones when it fails */
} SaveCase;

#define SHIPPED_STANDARD \
  "-3:before-due:courteous:0 1:first-reminder:courteous:0 8:firm:firm:0 " \
  "15:firm-penalties:firm:1 30:formal-notice:formal-notice:1 45:call-task:formal-notice:0"

static const SaveCase save_cases[] = {
  { "swap", edit_swap, TRUE,
    "-3:before-due:courteous:0 1:firm:firm:0 8:first-reminder:courteous:0 "
    "15:firm-penalties:firm:1 30:formal-notice:formal-notice:1 45:call-task:formal-notice:0" },
  { "add-and-change", edit_add_and_change, TRUE,
    "-3:before-due:courteous:0 1:first-reminder:courteous:0 8:firm:courteous:0 "
    "15:firm-penalties:firm:1 30:formal-notice:formal-notice:1 45:call-task:formal-notice:0 "
    "60:second-reminder:firm:1" },
  { "remove", edit_remove, TRUE,
    "-3:before-due:courteous:0 1:first-reminder:courteous:0 8:firm:firm:0 "
    "15:firm-penalties:firm:1 30:formal-notice:formal-notice:1" },
  { "same-day", edit_same_day, FALSE, SHIPPED_STANDARD },
  { "out-of-range", edit_out_of_range, FALSE, SHIPPED_STANDARD },
  { "remove-used", edit_remove_used, FALSE, SHIPPED_STANDARD },
};

static void
test_save_steps (gconstpointer data)
{
  const SaveCase *sc = data;
  g_autoptr(RelanceStore) store = open_store ();
  g_autoptr(GPtrArray) edited = g_ptr_array_new_with_free_func (
    (GDestroyNotify) relance_scenario_free);
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(RelanceScenario) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *steps = NULL;
  RelanceScenario *standard;

  g_ptr_array_add (edited, load_standard (store));
  standard = g_ptr_array_index (edited, 0);
  if (sc->edit == edit_remove_used)
    use_step (store, step_at (standard, 45)->id);
  sc->edit (standard, removed);

  if (sc->ok)
    {
      g_assert_true (relance_store_save_scenario_steps (store, edited,
                                                        (const gint64 *) (gpointer) removed->data,
                                                        removed->len, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (relance_store_save_scenario_steps (store, edited,
                                                         (const gint64 *) (gpointer) removed->data,
                                                         removed->len, &error));
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    }

  saved = load_standard (store);
  steps = describe_steps (saved);
  g_assert_cmpstr (steps, ==, sc->steps);
  /* A saved step keeps its id (reminders point at it), wherever it moved. */
  if (sc->ok)
    for (guint i = 0; i < standard->steps->len; i++)
      {
        RelanceStep *before = g_ptr_array_index (standard->steps, i);

        if (before->id != 0)
          {
            RelanceStep *after = step_at (saved, before->offset_days);

            g_assert_cmpint (after->id, ==, before->id);
            g_assert_cmpstr (after->template_key, ==, before->template_key);
          }
      }
  /* The store is still usable: no transaction was left open. */
  g_clear_error (&error);
  g_assert_true (relance_store_begin (store, &error));
  g_assert_true (relance_store_commit (store, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/scenario/shipped", test_shipped_scenarios);
  g_test_add_func ("/scenario/templates-parse", test_shipped_templates_parse);
  g_test_add_func ("/scenario/formal-notice-wording", test_formal_notice_wording);
  g_test_add_func ("/scenario/broken-template-refused", test_broken_template_refused);
  g_test_add_func ("/scenario/template-keys", test_template_keys);
  g_test_add_func ("/scenario/step-is-used", test_step_is_used);
  for (guint i = 0; i < G_N_ELEMENTS (save_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/save-steps/%s", save_cases[i].name);
      g_test_add_data_func (path, &save_cases[i], test_save_steps);
    }
  return g_test_run ();
}
