/* test-sms.c: what an SMS costs (GSM-7 or UCS-2, extension characters, segment limits),
 * the GSM-7 spelling offered for French text, sender names, and phone numbers read the way
 * owners type them. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "../relance-test-sql.h"
#include "relance-error.h"
#include "relance-scenario.h"
#include "relance-sms.h"
#include "relance-store.h"

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

typedef struct
{
  const char         *unit;     /* repeated @times, then @tail appended */
  guint               times;
  const char         *tail;
  RelanceSmsEncoding  encoding;
  guint               units;
  guint               segments;
} CountCase;

static const CountCase count_cases[] = {
  { "", 0, "", RELANCE_SMS_GSM7, 0, 0 },
  { "a", 1, "", RELANCE_SMS_GSM7, 1, 1 },
  { "a", 160, "", RELANCE_SMS_GSM7, 160, 1 },        /* the boundary */
  { "a", 161, "", RELANCE_SMS_GSM7, 161, 2 },        /* one more: two parts of 153 */
  { "a", 306, "", RELANCE_SMS_GSM7, 306, 2 },
  { "a", 307, "", RELANCE_SMS_GSM7, 307, 3 },
  { "a", 159, "€", RELANCE_SMS_GSM7, 161, 2 },       /* € counts 2 */
  { "a", 158, "€", RELANCE_SMS_GSM7, 160, 1 },
  { "[]{}~^\\|", 1, "", RELANCE_SMS_GSM7, 16, 1 },   /* the extension table */
  { "a", 152, "€", RELANCE_SMS_GSM7, 154, 1 },       /* ≤160: one part */
  { "a", 152, "€aaaaaaa", RELANCE_SMS_GSM7, 161, 2 },
  { "éèùìòÇÉàäöüñÄÖÜÑÅåÆæøØß", 1, "", RELANCE_SMS_GSM7, 23, 1 }, /* basic-set accents */
  { "a", 159, "ç", RELANCE_SMS_UCS2, 160, 3 },       /* ç is not GSM-7 */
  { "ê", 70, "", RELANCE_SMS_UCS2, 70, 1 },
  { "ê", 71, "", RELANCE_SMS_UCS2, 71, 2 },
  { "ê", 134, "", RELANCE_SMS_UCS2, 134, 2 },
  { "ê", 135, "", RELANCE_SMS_UCS2, 135, 3 },
  { "a", 10, "’", RELANCE_SMS_UCS2, 11, 1 },         /* a typographic apostrophe */
  { "😀", 35, "", RELANCE_SMS_UCS2, 70, 1 },          /* outside the BMP: 2 units */
  { "😀", 36, "", RELANCE_SMS_UCS2, 72, 2 },
};

static void
test_count (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (count_cases); i++)
    {
      const CountCase *c = &count_cases[i];
      g_autofree char *body = repeat (c->unit, c->times);
      g_autofree char *text = g_strconcat (body, c->tail, NULL);
      RelanceSmsCount count;

      relance_sms_count (text, &count);
      g_test_message ("case %u: %s×%u + %s", i, c->unit, c->times, c->tail);
      g_assert_cmpint (count.encoding, ==, c->encoding);
      g_assert_cmpuint (count.units, ==, c->units);
      g_assert_cmpuint (count.segments, ==, c->segments);
      if (c->encoding == RELANCE_SMS_UCS2)
        g_assert_cmpuint (count.first_ucs2, !=, 0);
      else
        g_assert_cmpuint (count.first_ucs2, ==, 0);
    }
}

static void
test_escape_never_split (void)
{
  /* 152 letters then "€": the escape pair would straddle septets 153/154, so the first
   * part closes at 152 and the text needs 2 parts in all, whatever the split. With 305
   * letters and a "€", greedy packing needs 3 parts (153 + 153 + 1). */
  g_autofree char *a305 = repeat ("a", 305);
  g_autofree char *text = g_strconcat (a305, "€", NULL);
  RelanceSmsCount count;

  relance_sms_count (text, &count);
  g_assert_cmpuint (count.units, ==, 307);
  g_assert_cmpuint (count.segments, ==, 3);
  g_assert_cmpuint (count.per_segment, ==, 153);
}

typedef struct
{
  const char *in;
  const char *out;
  const char *applied; /* NULL when nothing was replaced */
} TranslitCase;

static const TranslitCase translit_cases[] = {
  { "Bonjour, votre facture", "Bonjour, votre facture", NULL },
  { "échéance dépassée à régler", "échéance dépassée à régler", NULL }, /* all GSM-7 */
  { "Fête", "Fete", "ê→e" },
  { "reçu, façon", "recu, facon", "ç→c" },
  { "Ça coûte", "Ça coute", "û→u" },                                   /* Ç is GSM-7 */
  { "l’œuvre «là»", "l'oeuvre \"là\"", "’→', œ→oe, «→\", »→\"" },
  { "Total\u00a0: 120\u202f€", "Total : 120 €", "no-break space→space" },
  { "Merci…", "Merci...", "…→..." },
  { "Zoë Brontë", "Zoe Bronte", "ë→e" },
  { "日本", "日本", NULL },                                              /* no spelling */
};

static void
test_transliterate (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (translit_cases); i++)
    {
      const TranslitCase *c = &translit_cases[i];
      g_autofree char *applied = NULL;
      g_autofree char *out = relance_sms_transliterate (c->in, &applied);

      g_assert_cmpstr (out, ==, c->out);
      g_assert_cmpstr (applied, ==, c->applied);
    }
}

static void
test_transliteration_keeps_gsm7 (void)
{
  const char *text = "Bonjour Zoë, votre facture F2026-001 de 1 200,00 € arrive à échéance le "
                     "01/02/2026. Règlement : IBAN FR76… Merci ! – Atelier Dupont, l’équipe";
  g_autofree char *out = relance_sms_transliterate (text, NULL);
  RelanceSmsCount before, after;

  relance_sms_count (text, &before);
  relance_sms_count (out, &after);
  g_assert_cmpint (before.encoding, ==, RELANCE_SMS_UCS2);
  g_assert_cmpint (after.encoding, ==, RELANCE_SMS_GSM7);
  g_assert_cmpuint (after.segments, <, before.segments);
}

static void
test_sender (void)
{
  static const struct { const char *sender; gboolean ok; } cases[] = {
    { "AtelierDup", TRUE }, { "Relance", TRUE }, { "ABC", TRUE }, { "12345678901", TRUE },
    { "33612345678901", TRUE }, { "AtelierDupont", FALSE }, { "AB", FALSE },
    { "Atelier Dup", FALSE }, { "Ateliér", FALSE }, { "", FALSE }, { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = relance_sms_sender_is_valid (cases[i].sender, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
    }
}

typedef struct
{
  const char       *text;
  const char       *country;
  const char       *e164;  /* NULL when refused */
  RelancePhoneKind  kind;  /* or a word of the reason */
  const char       *reason;
} PhoneCase;

static const PhoneCase phone_cases[] = {
  { "06 12 34 56 78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "06.12.34.56.78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "0612345678", NULL, "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "06-12-34-56-78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "07 81 23 45 67", "FR", "+33781234567", RELANCE_PHONE_MOBILE, NULL },
  { "+33 6 12 34 56 78", "GB", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "+33 (0)6 12 34 56 78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "+33 06 12 34 56 78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "0033 6 12 34 56 78", "FR", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "0033612345678", "GB", "+33612345678", RELANCE_PHONE_MOBILE, NULL },
  { "\u00a006\u00a012\u00a034\u00a056\u00a078 ", "FR", "+33612345678", RELANCE_PHONE_MOBILE,
    NULL },
  { "01 42 68 53 00", "FR", "+33142685300", RELANCE_PHONE_LANDLINE, NULL },
  { "09 72 12 34 56", "FR", "+33972123456", RELANCE_PHONE_LANDLINE, NULL },
  { "08 00 12 34 56", "FR", "+33800123456", RELANCE_PHONE_LANDLINE, NULL },
  { "07700 900123", "GB", "+447700900123", RELANCE_PHONE_MOBILE, NULL },
  { "+44 7700 900123", "FR", "+447700900123", RELANCE_PHONE_MOBILE, NULL },
  { "+44 (0)7700 900123", "FR", "+447700900123", RELANCE_PHONE_MOBILE, NULL },
  { "0044 7911 123456", "FR", "+447911123456", RELANCE_PHONE_MOBILE, NULL },
  { "07624 123456", "GB", "+447624123456", RELANCE_PHONE_MOBILE, NULL },
  { "020 7946 0018", "GB", "+442079460018", RELANCE_PHONE_LANDLINE, NULL },
  { "0161 496 0000", "UK", "+441614960000", RELANCE_PHONE_LANDLINE, NULL },
  { "+1 415 555 2671", "FR", "+14155552671", RELANCE_PHONE_UNKNOWN, NULL },
  { "+32 470 12 34 56", "FR", "+32470123456", RELANCE_PHONE_UNKNOWN, NULL },
  /* Refused, with the reason in words */
  { "", "FR", NULL, 0, "digits" },
  { "n/a", "FR", NULL, 0, "digits, spaces" },
  { "06 12 34 56", "FR", NULL, 0, "10 digits" },
  { "06 12 34 56 78 9", "FR", NULL, 0, "10 digits" },
  { "6 12 34 56 78", "FR", NULL, 0, "starts with 0" },
  { "+33 6 12 34", "FR", NULL, 0, "10 digits" },
  { "07700 9001", "GB", NULL, 0, "11 digits" },
  { "06 12 34 56 78", "DE", NULL, 0, "country code" },
  { "+0 612", "FR", NULL, 0, "8 to 15" },
  { "06 12 34 56 78 ext 2", "FR", NULL, 0, "digits, spaces" },
  { "++33612345678", "FR", NULL, 0, "digits, spaces" },
};

static void
test_phone (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      const PhoneCase *c = &phone_cases[i];
      g_autoptr(GError) error = NULL;
      RelancePhoneKind kind = 99;
      g_autofree char *e164 = relance_phone_normalise (c->text, c->country, &kind, &error);

      g_test_message ("phone case %u: “%s” in %s", i, c->text, c->country);
      g_assert_cmpstr (e164, ==, c->e164);
      if (c->e164 != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpint (kind, ==, c->kind);
        }
      else
        {
          g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, c->reason));
        }
    }
}

static void
test_mobile_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mobile = relance_phone_normalise_mobile ("06 12 34 56 78", "FR", &error);
  g_autofree char *landline = NULL;
  g_autofree char *foreign = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (mobile, ==, "+33612345678");
  landline = relance_phone_normalise_mobile ("01 42 68 53 00", "FR", &error);
  g_assert_null (landline);
  g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "landline"));
  g_assert_nonnull (strstr (error->message, "+33142685300"));
  g_clear_error (&error);
  /* Another country: the kind cannot be told, the number is kept. */
  foreign = relance_phone_normalise_mobile ("+32 470 12 34 56", "FR", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (foreign, ==, "+32470123456");
}

/* Whether SQLite takes @sql on the connection of @store (the schema's own rules). */
static gboolean
sql_accepted (RelanceStore *store,
              const char   *sql)
{
  return sqlite3_exec (relance_test_sql_db (store), sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Migration 5 rebuilds scenario_steps (SQLite cannot change a CHECK) under a database
 * whose reminders point at its steps: they must survive, keys stay enforced afterwards. */
static void
test_migration_allows_sms_steps (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "m5.db", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(RelanceStore) v4 = relance_store_open_at_version (path, 4, &error);

    g_assert_no_error (error);
    relance_test_sql_exec (v4,
      "INSERT INTO clients (id, name) VALUES (1, 'Boulangerie Martin');"
      "INSERT INTO invoices (id, number, client_id, issue_date, due_date, total, currency) "
      "  VALUES (1, 'F2026-001', 1, '2026-01-02', '2026-02-01', 120000, 'EUR');"
      "INSERT INTO reminders (invoice_id, step_id, channel, state, scheduled_at) "
      "  SELECT 1, min (id), 'email', 'sent', 1769940000 FROM scenario_steps;");
    /* Version 4 refuses an SMS step. */
    g_assert_false (sql_accepted (v4, "UPDATE scenario_steps SET channel = 'sms' "
                                      "WHERE id = (SELECT min (id) FROM scenario_steps)"));
    /* As a database seeded before the SMS templates existed. */
    relance_test_sql_exec (v4, "DELETE FROM templates WHERE key LIKE 'sms-%'");
  }
  {
    g_autoptr(RelanceStore) v5 = relance_store_open (path, &error);
    g_autofree char *reminders_sql = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (relance_test_sql_int (v5, "PRAGMA user_version"), ==,
                     RELANCE_STORE_SCHEMA_VERSION);
    g_assert_cmpint (relance_test_sql_int (v5, "PRAGMA foreign_keys"), ==, 1);
    g_assert_cmpint (relance_test_sql_int (v5, "SELECT count(*) FROM reminders r "
                                               "JOIN scenario_steps s ON s.id = r.step_id"),
                     ==, 1);
    /* 15 shipped steps, and the Gentle scenario's WhatsApp nudge (migration 12). */
    g_assert_cmpint (relance_test_sql_int (v5, "SELECT count(*) FROM scenario_steps"), ==, 16);
    g_assert_cmpint (relance_test_sql_int (v5, "SELECT count(*) FROM templates "
                                               "WHERE key LIKE 'sms-%'"), ==, 4);
    relance_test_sql_exec (v5, "UPDATE scenario_steps SET channel = 'sms' "
                               "WHERE id = (SELECT max (id) FROM scenario_steps)");
    g_assert_false (sql_accepted (v5, "UPDATE scenario_steps SET channel = 'fax'"));
    /* Foreign keys still hold: a step a reminder points at cannot go. */
    g_assert_false (sql_accepted (v5, "DELETE FROM scenario_steps WHERE id = "
                                      "(SELECT step_id FROM reminders)"));
    reminders_sql = relance_test_sql_text (v5, "SELECT sql FROM sqlite_schema WHERE name = "
                                                "'reminders'");
    g_assert_nonnull (strstr (reminders_sql, "REFERENCES scenario_steps"));
  }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sms/count", test_count);
  g_test_add_func ("/sms/escape-never-split", test_escape_never_split);
  g_test_add_func ("/sms/transliterate", test_transliterate);
  g_test_add_func ("/sms/transliteration-keeps-gsm7", test_transliteration_keeps_gsm7);
  g_test_add_func ("/sms/sender", test_sender);
  g_test_add_func ("/sms/phone", test_phone);
  g_test_add_func ("/sms/mobile-only", test_mobile_only);
  g_test_add_func ("/sms/migration-allows-sms-steps", test_migration_allows_sms_steps);
  return g_test_run ();
}
