/* test-scenario.c: the shipped scenarios and reminder texts, as the database holds them. */
#include "config.h"

#include <string.h>

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
  { "gentle", "strategic", "3:email:courteous:0 15:email:courteous:0 30:task:courteous:0" },
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/scenario/shipped", test_shipped_scenarios);
  g_test_add_func ("/scenario/templates-parse", test_shipped_templates_parse);
  g_test_add_func ("/scenario/formal-notice-wording", test_formal_notice_wording);
  g_test_add_func ("/scenario/broken-template-refused", test_broken_template_refused);
  return g_test_run ();
}
