/* relance-store-migrations.c: the schema, one numbered migration per version, and the data
 * some of them add with C code. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store-private.h"
#include "relance-scenario.h"
#include "relance-store-ab.h"
#include "relance-store.h"
#include "relance-template.h"

/* Each migration runs in its own transaction and takes the schema from version N-1 to N. */
static const char *migrations[] = {
  /* 1: the records of the foundation */
  "CREATE TABLE company ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name TEXT NOT NULL DEFAULT '',"
  "  address TEXT NOT NULL DEFAULT '',"
  "  country TEXT NOT NULL DEFAULT 'FR',"
  "  siret TEXT, vat TEXT, iban TEXT, bic TEXT,"
  "  currency TEXT NOT NULL DEFAULT 'EUR',"
  "  language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),"
  "  payment_terms INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms BETWEEN 0 AND 365),"
  "  penalty_rate TEXT, payment_link TEXT);"
  "INSERT INTO company (id) VALUES (1);"
  "CREATE TABLE clients ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  reference TEXT UNIQUE,"
  "  email TEXT, cc TEXT, phone TEXT,"
  "  language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),"
  "  country TEXT, timezone TEXT,"
  "  kind TEXT NOT NULL DEFAULT 'business' CHECK (kind IN ('business', 'consumer')),"
  "  segment TEXT NOT NULL DEFAULT 'regular'"
  "    CHECK (segment IN ('regular', 'at-risk', 'strategic')),"
  "  paused INTEGER NOT NULL DEFAULT 0,"
  "  do_not_remind INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT);"
  "CREATE INDEX clients_name ON clients (name COLLATE NOCASE);"
  "CREATE TABLE invoices ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE CHECK (number <> ''),"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE RESTRICT,"
  "  issue_date TEXT NOT NULL,"
  "  due_date TEXT NOT NULL,"
  "  total INTEGER NOT NULL CHECK (total >= 0),"
  "  currency TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled', 'disputed')),"
  "  promise_date TEXT,"
  "  notes TEXT);"
  "CREATE INDEX invoices_client ON invoices (client_id);"
  "CREATE INDEX invoices_due ON invoices (due_date);"
  "CREATE TABLE payments ("
  "  id INTEGER PRIMARY KEY,"
  "  invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  method TEXT, note TEXT);"
  "CREATE INDEX payments_invoice ON payments (invoice_id);",

  /* 2: settings for `relance config` (send window, calendar, pause…) */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL) WITHOUT ROWID;",

  /* 3: the reminder engine: templates, scenarios and their steps, the reminders planned
   * or sent (one row per step of an invoice, ever), and the rates the user set. The
   * shipped scenarios and templates are seeded by relance_store_seed_scenarios(). */
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL,"
  "  language TEXT NOT NULL CHECK (language IN ('fr', 'en')),"
  "  subject TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  UNIQUE (key, language));"
  "CREATE TABLE scenarios ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL UNIQUE,"
  "  name_fr TEXT NOT NULL,"
  "  name_en TEXT NOT NULL,"
  "  segment TEXT UNIQUE CHECK (segment IN ('regular', 'at-risk', 'strategic')));"
  "CREATE TABLE scenario_steps ("
  "  id INTEGER PRIMARY KEY,"
  "  scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,"
  "  offset_days INTEGER NOT NULL CHECK (offset_days BETWEEN -90 AND 365),"
  "  channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'task')),"
  "  template_key TEXT NOT NULL,"
  "  tone TEXT NOT NULL CHECK (tone IN ('courteous', 'firm', 'formal-notice')),"
  "  penalties INTEGER NOT NULL DEFAULT 0,"
  "  with_letter INTEGER NOT NULL DEFAULT 0,"
  "  deadline_days INTEGER NOT NULL DEFAULT 0 CHECK (deadline_days BETWEEN 0 AND 90),"
  "  UNIQUE (scenario_id, offset_days));"
  "ALTER TABLE clients ADD COLUMN scenario_id INTEGER REFERENCES scenarios (id) "
  "  ON DELETE SET NULL;"
  "CREATE TABLE reminders ("
  "  id INTEGER PRIMARY KEY,"
  "  invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  step_id INTEGER NOT NULL REFERENCES scenario_steps (id) ON DELETE RESTRICT,"
  "  message_key TEXT,"
  "  channel TEXT NOT NULL,"
  "  handover INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'failed',"
  "    'uncertain', 'done', 'skipped', 'cancelled')),"
  "  scheduled_at INTEGER NOT NULL,"
  "  sent_at INTEGER,"
  "  UNIQUE (invoice_id, step_id));"
  "CREATE INDEX reminders_state ON reminders (state);"
  "CREATE TABLE rates ("
  "  series TEXT NOT NULL,"
  "  year INTEGER NOT NULL,"
  "  half INTEGER NOT NULL CHECK (half IN (1, 2)),"
  "  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN -1000 AND 10000),"
  "  source TEXT NOT NULL,"
  "  PRIMARY KEY (series, year, half)) WITHOUT ROWID;",

  /* 4: the outbox: one row per message (a client, its invoices, one step), with the exact
   * bytes sent as proof; reminders point at the row that carries them. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  channel TEXT NOT NULL,"
  "  tone TEXT NOT NULL,"
  "  scenario_key TEXT,"
  "  step_offset INTEGER NOT NULL,"
  "  template_key TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'failed',"
  "    'uncertain', 'cancelled', 'done')),"
  "  recipients TEXT NOT NULL DEFAULT '',"
  "  subject TEXT NOT NULL DEFAULT '',"
  "  message_id TEXT,"
  "  raw BLOB,"
  "  scheduled_at INTEGER NOT NULL,"
  "  queued_at INTEGER NOT NULL,"
  "  next_attempt_at INTEGER,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  claimed_by TEXT,"
  "  sent_at INTEGER,"
  "  server_reply TEXT,"
  "  last_error TEXT);"
  "CREATE INDEX outbox_ready ON outbox (state, next_attempt_at);"
  "CREATE INDEX outbox_client ON outbox (client_id);"
  "ALTER TABLE reminders ADD COLUMN outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL;"
  "CREATE INDEX reminders_outbox ON reminders (outbox_id);",

  /* 5: SMS steps. SQLite cannot alter a CHECK, so scenario_steps is rebuilt the way
   * https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table Schema
   * Changes") says: new table, copy, drop, rename; ids are kept, so reminders.step_id still
   * points at the same steps. migrate() turns foreign keys off around this one, and checks
   * them before committing. The SMS templates are added by add_sms_templates(). */
  "CREATE TABLE scenario_steps_new ("
  "  id INTEGER PRIMARY KEY,"
  "  scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,"
  "  offset_days INTEGER NOT NULL CHECK (offset_days BETWEEN -90 AND 365),"
  "  channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'task', 'sms')),"
  "  template_key TEXT NOT NULL,"
  "  tone TEXT NOT NULL CHECK (tone IN ('courteous', 'firm', 'formal-notice')),"
  "  penalties INTEGER NOT NULL DEFAULT 0,"
  "  with_letter INTEGER NOT NULL DEFAULT 0,"
  "  deadline_days INTEGER NOT NULL DEFAULT 0 CHECK (deadline_days BETWEEN 0 AND 90),"
  "  UNIQUE (scenario_id, offset_days));"
  "INSERT INTO scenario_steps_new (id, scenario_id, offset_days, channel, template_key, tone,"
  "  penalties, with_letter, deadline_days)"
  "  SELECT id, scenario_id, offset_days, channel, template_key, tone, penalties, with_letter,"
  "  deadline_days FROM scenario_steps;"
  "DROP TABLE scenario_steps;"
  "ALTER TABLE scenario_steps_new RENAME TO scenario_steps;",

  /* 6: what a queued message asks for (sum of the outstanding amounts it states), so that
   * a payment recorded after queueing, even a partial one, cancels it before it leaves. */
  "ALTER TABLE outbox ADD COLUMN amount_due INTEGER;",

  /* 7: the bytes of each message in a table of their own. In the outbox row they made it
   * span an overflow page, and every change of state (two per message sent) rewrote that
   * page and the free list with it. outbox.raw stays, always NULL, for the programs that
   * still insert into it: the trigger moves what they write. */
  "CREATE TABLE outbox_raw ("
  "  outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,"
  "  raw BLOB NOT NULL);"
  "INSERT INTO outbox_raw (outbox_id, raw) SELECT id, raw FROM outbox WHERE raw IS NOT NULL;"
  "UPDATE outbox SET raw = NULL WHERE raw IS NOT NULL;"
  "CREATE TRIGGER outbox_raw_moved AFTER INSERT ON outbox WHEN NEW.raw IS NOT NULL BEGIN"
  "  INSERT INTO outbox_raw (outbox_id, raw) VALUES (NEW.id, NEW.raw);"
  "  UPDATE outbox SET raw = NULL WHERE id = NEW.id;"
  "END;",

  /* 8: the shipped reminders after the due date mention a broken promise to pay; the texts
   * the owner never edited follow (refresh_promise_texts()). No change of schema. */
  "",

  /* 9: the client's postal address, for the formal-notice letter's window envelope. The
   * country stays in clients.country (ISO 3166 alpha-2); street lines are "\n"-separated. */
  "ALTER TABLE clients ADD COLUMN street TEXT;"
  "ALTER TABLE clients ADD COLUMN postcode TEXT;"
  "ALTER TABLE clients ADD COLUMN city TEXT;",

  /* 10: answers from the owner's inbox (issue 18). The outbox gains the state `bounced`:
   * SQLite cannot alter a CHECK, so the table is rebuilt as in migration 5 (ids kept, so
   * reminders.outbox_id and outbox_raw still point at the same rows; the indexes and the
   * trigger of migration 7 go with the old table and are made again). Then the messages
   * recognised in the inbox, where reading has got to, and what they hold against a
   * client (a reply pause, an address that bounced); editing the address clears the latter
   * whoever edits it, hence a trigger. */
  "CREATE TABLE outbox_new ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  channel TEXT NOT NULL,"
  "  tone TEXT NOT NULL,"
  "  scenario_key TEXT,"
  "  step_offset INTEGER NOT NULL,"
  "  template_key TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'failed',"
  "    'uncertain', 'cancelled', 'done', 'bounced')),"
  "  recipients TEXT NOT NULL DEFAULT '',"
  "  subject TEXT NOT NULL DEFAULT '',"
  "  message_id TEXT,"
  "  raw BLOB,"
  "  scheduled_at INTEGER NOT NULL,"
  "  queued_at INTEGER NOT NULL,"
  "  next_attempt_at INTEGER,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  claimed_by TEXT,"
  "  sent_at INTEGER,"
  "  server_reply TEXT,"
  "  last_error TEXT,"
  "  amount_due INTEGER);"
  "INSERT INTO outbox_new (id, client_id, channel, tone, scenario_key, step_offset,"
  "  template_key, state, recipients, subject, message_id, raw, scheduled_at, queued_at,"
  "  next_attempt_at, attempts, claimed_by, sent_at, server_reply, last_error, amount_due)"
  "  SELECT id, client_id, channel, tone, scenario_key, step_offset, template_key, state,"
  "  recipients, subject, message_id, raw, scheduled_at, queued_at, next_attempt_at, attempts,"
  "  claimed_by, sent_at, server_reply, last_error, amount_due FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"
  "CREATE INDEX outbox_ready ON outbox (state, next_attempt_at);"
  "CREATE INDEX outbox_client ON outbox (client_id);"
  "CREATE INDEX outbox_message_id ON outbox (message_id);"
  "CREATE TRIGGER outbox_raw_moved AFTER INSERT ON outbox WHEN NEW.raw IS NOT NULL BEGIN"
  "  INSERT INTO outbox_raw (outbox_id, raw) VALUES (NEW.id, NEW.raw);"
  "  UPDATE outbox SET raw = NULL WHERE id = NEW.id;"
  "END;"
  "CREATE TABLE inbox_cursor ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  uidvalidity INTEGER NOT NULL DEFAULT 0,"
  "  last_uid INTEGER NOT NULL DEFAULT 0,"
  "  checked_at INTEGER,"
  "  last_error TEXT,"
  "  next_try_at INTEGER);"
  "INSERT INTO inbox_cursor (id) VALUES (1);"
  "CREATE TABLE inbox_messages ("
  "  id INTEGER PRIMARY KEY,"
  "  uidvalidity INTEGER NOT NULL,"
  "  uid INTEGER NOT NULL,"
  "  message_id TEXT,"
  "  received_at INTEGER NOT NULL,"
  "  sender TEXT NOT NULL,"
  "  sender_name TEXT,"
  "  subject TEXT NOT NULL DEFAULT '',"
  "  kind TEXT NOT NULL CHECK (kind IN ('reply', 'auto-reply', 'bounce')),"
  "  client_id INTEGER REFERENCES clients (id) ON DELETE CASCADE,"
  "  outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,"
  "  invoices TEXT NOT NULL DEFAULT '',"
  "  action TEXT NOT NULL CHECK (action IN ('paused', 'noted', 'address-invalid', 'none')),"
  "  text TEXT,"
  "  bounced_address TEXT,"
  "  decision TEXT,"
  "  UNIQUE (uidvalidity, uid));"
  "CREATE INDEX inbox_messages_client ON inbox_messages (client_id);"
  "CREATE INDEX inbox_messages_message_id ON inbox_messages (message_id);"
  "CREATE TABLE client_mail_holds ("
  "  client_id INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,"
  "  reply_paused_until INTEGER,"
  "  reply_message INTEGER REFERENCES inbox_messages (id) ON DELETE SET NULL,"
  "  invalid_address TEXT,"
  "  invalid_since INTEGER);"
  "CREATE TRIGGER clients_address_edited AFTER UPDATE OF email ON clients"
  "  WHEN NEW.email IS NOT OLD.email BEGIN"
  "  UPDATE client_mail_holds SET invalid_address = NULL, invalid_since = NULL"
  "    WHERE client_id = NEW.id;"
  "END;",

  /* 11: bank statements. Each credit read once (key: the bank's id or a hash), what it became
   * (status), and its links to invoices: proposed (payment_id NULL) or applied (the payment
   * it made, removed with it by `bank undo`). The shipped texts that give the IBAN now give
   * the ISO 11649 payment reference too (refresh_reference_texts()). */
  "CREATE TABLE bank_transactions ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL UNIQUE,"
  "  account TEXT NOT NULL DEFAULT '',"
  "  bank_id TEXT,"
  "  date TEXT NOT NULL,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  currency TEXT NOT NULL,"
  "  payer TEXT NOT NULL DEFAULT '',"
  "  label TEXT NOT NULL DEFAULT '',"
  "  reference TEXT,"
  "  statement TEXT NOT NULL DEFAULT '',"
  "  status TEXT NOT NULL DEFAULT 'unmatched'"
  "    CHECK (status IN ('applied', 'proposed', 'unmatched', 'ignored')),"
  "  rule TEXT,"
  "  excess INTEGER NOT NULL DEFAULT 0 CHECK (excess >= 0),"
  "  note TEXT,"
  "  imported_at INTEGER NOT NULL);"
  "CREATE INDEX bank_transactions_status ON bank_transactions (status, date);"
  "CREATE TABLE bank_matches ("
  "  transaction_id INTEGER NOT NULL REFERENCES bank_transactions (id) ON DELETE CASCADE,"
  "  invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  payment_id INTEGER UNIQUE REFERENCES payments (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (transaction_id, invoice_id));"
  "CREATE INDEX bank_matches_invoice ON bank_matches (invoice_id);",

  /* 12: A/B tests of reminder texts and friendly channels (issue 20). A test belongs to an
   * email step; its text B is kept per language; at most one runs per step. Each reminder
   * sent during a test records the test and its variant in the outbox. A step can be
   * switched off without being removed (enabled). The shipped WhatsApp texts and the Gentle
   * scenario's WhatsApp nudge, switched off, come from relance_store_ab_migrate_data(). */
  "CREATE TABLE ab_tests ("
  "  id INTEGER PRIMARY KEY,"
  "  step_id INTEGER NOT NULL REFERENCES scenario_steps (id) ON DELETE CASCADE,"
  "  salt TEXT NOT NULL CHECK (salt <> ''),"
  "  started_at INTEGER NOT NULL,"
  "  stopped_at INTEGER,"
  "  kept TEXT CHECK (kept IN ('a', 'b')));"
  "CREATE UNIQUE INDEX ab_tests_running ON ab_tests (step_id) WHERE stopped_at IS NULL;"
  "CREATE TABLE ab_variants ("
  "  test_id INTEGER NOT NULL REFERENCES ab_tests (id) ON DELETE CASCADE,"
  "  language TEXT NOT NULL CHECK (language IN ('fr', 'en')),"
  "  subject TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  PRIMARY KEY (test_id, language)) WITHOUT ROWID;"
  "ALTER TABLE outbox ADD COLUMN ab_test_id INTEGER REFERENCES ab_tests (id) ON DELETE SET NULL;"
  "ALTER TABLE outbox ADD COLUMN ab_variant TEXT CHECK (ab_variant IN ('a', 'b'));"
  "CREATE INDEX outbox_ab_test ON outbox (ab_test_id) WHERE ab_test_id IS NOT NULL;"
  "ALTER TABLE scenario_steps ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1"
  "  CHECK (enabled IN (0, 1));",
};

/* Migration 5: the shipped SMS templates, for databases seeded before they existed (a new
 * database has them from migration 3 already: INSERT OR IGNORE keeps those). */
static gboolean
add_sms_templates (RelanceStore *self, GError **error)
{
  static const char *languages[] = { "fr", "en" };
  const char * const *keys = relance_template_shipped_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; g_str_has_prefix (keys[i], "sms-") && l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (keys[i], languages[l], error);
        sqlite3_stmt *stmt;
        int rc;

        if (text == NULL)
          return FALSE;
        stmt = relance_store_prepare (self, "INSERT OR IGNORE INTO templates (key, language, "
                                      "subject, body) VALUES (?1, ?2, ?3, ?4)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, text->key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, text->language, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, text->subject, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, text->body, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
        sqlite3_reset (stmt);
        if (rc != SQLITE_DONE)
          return relance_store_set_error (self, error);
      }
  return TRUE;
}

/* @body without the lines that give {{payment.reference}} (added in migration 9). */
static char *
without_reference_lines (const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      if (strstr (lines[n], "{{payment.reference}}") != NULL)
        continue;
      g_string_append (out, lines[n]);
      if (lines[n + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Migration 8: each shipped text that gained a {{#invoice.promise_date}} paragraph replaces
 * the stored one when the owner never edited it, that is when the stored text is the new one
 * without that paragraph. An edited text is left as the owner wrote it. */
static gboolean
refresh_promise_texts (RelanceStore *self, GError **error)
{
  static const char *languages[] = { "fr", "en" };
  static const char open_tag[] = "{{#invoice.promise_date}}\n";
  static const char close_tag[] = "{{/invoice.promise_date}}\n";
  const char * const *keys = relance_template_shipped_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (keys[i], languages[l], error);
        g_autofree char *before = NULL;
        g_autofree char *before_with_reference = NULL;
        g_autofree char *body = NULL;
        const char *start, *end;
        sqlite3_stmt *stmt;
        int rc;

        if (text == NULL)
          return FALSE;
        /* A database older than 8 has neither the promise paragraph nor the reference line
         * of migration 9: compared without both, updated to the whole shipped text. */
        body = without_reference_lines (text->body);
        start = strstr (body, open_tag);
        end = start != NULL ? strstr (start, close_tag) : NULL;
        if (end == NULL)
          continue;
        before = g_strdup_printf ("%.*s%s", (int) (start - body), body,
                                  end + strlen (close_tag));
        /* A database seeded with texts that already had the reference line. */
        start = strstr (text->body, open_tag);
        end = start != NULL ? strstr (start, close_tag) : NULL;
        if (end != NULL)
          before_with_reference = g_strdup_printf ("%.*s%s", (int) (start - text->body),
                                                   text->body, end + strlen (close_tag));
        stmt = relance_store_prepare (self, "UPDATE templates SET body = ?3 WHERE key = ?1 "
                                      "AND language = ?2 AND (body = ?4 OR body = ?5)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, text->key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, text->language, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, text->body, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, before, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 5, before_with_reference, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
        sqlite3_reset (stmt);
        if (rc != SQLITE_DONE)
          return relance_store_set_error (self, error);
      }
  return TRUE;
}

/* Migration 9: the shipped texts gained a line giving {{payment.reference}} next to the
 * IBAN; a stored text that is the new one without that line (never edited) is replaced. */
static gboolean
refresh_reference_texts (RelanceStore *self, GError **error)
{
  static const char *languages[] = { "fr", "en" };
  const char * const *keys = relance_template_shipped_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        g_autoptr(RelanceTemplateText) text =
          relance_template_text_load_shipped (keys[i], languages[l], error);
        g_autofree char *before = NULL;
        sqlite3_stmt *stmt;
        int rc;

        if (text == NULL)
          return FALSE;
        before = without_reference_lines (text->body);
        if (g_str_equal (before, text->body))
          continue;
        stmt = relance_store_prepare (self, "UPDATE templates SET body = ?3 WHERE key = ?1 "
                                      "AND language = ?2 AND body = ?4", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, text->key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, text->language, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, text->body, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, before, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
        sqlite3_reset (stmt);
        if (rc != SQLITE_DONE)
          return relance_store_set_error (self, error);
      }
  return TRUE;
}

/* Migrations that rebuild a table other tables point at: foreign keys must be off while
 * they run (a DROP TABLE would otherwise delete, or be refused by, the referencing rows),
 * and that can only be switched outside a transaction. */
gboolean
relance_store_migration_rebuilds_tables (int version)
{
  return version == 5 || version == 10;
}

/* Data a migration adds with C code, in the same transaction; NULL when none. */
static gboolean (* const migration_data[]) (RelanceStore *, GError **) = {
  NULL,
  NULL,
  relance_store_seed_scenarios,
  NULL,
  add_sms_templates,
  NULL,
  NULL,
  refresh_promise_texts,
  NULL,
  NULL,
  refresh_reference_texts,
  relance_store_ab_migrate_data,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migration_data) == G_N_ELEMENTS (migrations));

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RELANCE_STORE_SCHEMA_VERSION);


const char *
relance_store_migration_sql (int version)
{
  g_return_val_if_fail (version >= 1 && version <= RELANCE_STORE_SCHEMA_VERSION, NULL);
  return migrations[version - 1];
}

RelanceStoreMigrationData
relance_store_migration_data (int version)
{
  g_return_val_if_fail (version >= 1 && version <= RELANCE_STORE_SCHEMA_VERSION, NULL);
  return migration_data[version - 1];
}
