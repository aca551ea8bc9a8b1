/* relance-store.c: the SQLite store: opening, refusing what is not ours, migrations, and
 * the clients / invoices / payments / company records.
 *
 * Every statement is prepared once per connection and bound, never built from strings. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "relance-backup.h"
#include "relance-clock.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-scenario.h"
#include "relance-store-ab.h"
#include "relance-store.h"

/* "RLNC": marks a file as a Relance database (PRAGMA application_id). */
#define RELANCE_APPLICATION_ID 0x524c4e43

struct _RelanceStore
{
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GHashTable *statements; /* SQL text (static) → sqlite3_stmt* */
  int         version;
  gint64      backup_checked_at; /* monotonic time of the last daily-backup check */
};

G_DEFINE_FINAL_TYPE (RelanceStore, relance_store, G_TYPE_OBJECT)

/* How long a statement waits for another connection's write lock before "busy". */
#define BUSY_TIMEOUT_US (5 * G_USEC_PER_SEC)

/* SQLite's own busy timeout sleeps 1 ms, then 2, 5, 10… ms: longer than another
 * connection of this process holds the write lock for a few rows, and a sending batch that
 * claims rows while a worker queues others waited that long hundreds of times. Short
 * sleeps first, the same 5 s in all. */
static int
wait_while_busy (gpointer data,
                 int      count)
{
  static const guint delays_us[] = { 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 25000 };
  guint64 waited = 0;
  guint delay;

  for (int i = 0; i < count; i++)
    waited += delays_us[MIN (i, (int) G_N_ELEMENTS (delays_us) - 1)];
  if (waited >= BUSY_TIMEOUT_US)
    return 0;
  delay = delays_us[MIN (count, (int) G_N_ELEMENTS (delays_us) - 1)];
  g_usleep (delay);
  return 1;
}

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
   * shipped scenarios and templates are seeded by relance_scenario_seed(). */
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
static gboolean
migration_rebuilds_tables (int version)
{
  return version == 5 || version == 10;
}

/* Data a migration adds with C code, in the same transaction; NULL when none. */
static gboolean (* const migration_data[]) (RelanceStore *, GError **) = {
  NULL,
  NULL,
  relance_scenario_seed,
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

static void
relance_store_finalize (GObject *object)
{
  RelanceStore *self = RELANCE_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (relance_store_parent_class)->finalize (object);
}

static void
relance_store_class_init (RelanceStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relance_store_finalize;
}

static void
relance_store_init (RelanceStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

gboolean
relance_store_set_error (RelanceStore  *self,
                         GError       **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                 /* Translators: %s is SQLite's own explanation */
                 _("The change was refused because it breaks a rule of the database (%s)."),
                 sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                 _("The database is busy in another program; try again in a moment."));
  else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                 /* Translators: %s is a file path */
                 _("The file “%s” is damaged or is not a Relance database."), self->path);
  else
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                 /* Translators: %s is SQLite's own explanation */
                 _("The database reported an error: %s."), sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
relance_store_prepare (RelanceStore  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
relance_store_exec (RelanceStore  *self,
                    const char    *sql,
                    GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* Transaction statements are prepared once like the others: a sending batch runs two
 * transactions per message, and sqlite3_exec() would parse them every time. */
static gboolean
step_cached (RelanceStore  *self,
             const char    *sql,
             GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* The first write of the day, from any process, copies the database first (see
 * relance-backup.h). Looked at once a minute at most: begin is on the sending path. */
static GMutex backup_lock;

static void
backup_if_first_write_today (RelanceStore *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->backup_checked_at != 0 && now - self->backup_checked_at < 60 * G_USEC_PER_SEC)
    return;
  self->backup_checked_at = now;
  if (!sqlite3_get_autocommit (self->db))
    return;
  /* One copy at a time in a process: the window's connection and a worker's may both
   * write first on a new day; the one that finds the other busy tries again later. */
  if (!g_mutex_trylock (&backup_lock))
    {
      self->backup_checked_at = 0;
      return;
    }
  ok = relance_backup_daily (self, &error);
  g_mutex_unlock (&backup_lock);
  /* A copy that cannot be made (disk full, a folder removed meanwhile) must not stop the
   * owner's action; a write a minute later tries again, and `relance backup list` shows
   * the gap. */
  if (!ok)
    g_message ("%s", error->message);
}

gboolean
relance_store_begin (RelanceStore  *self,
                     GError       **error)
{
  backup_if_first_write_today (self);
  /* IMMEDIATE takes the write lock now, so a concurrent writer waits (busy timeout)
   * instead of failing halfway through a user action. */
  return step_cached (self, "BEGIN IMMEDIATE", error);
}

void
relance_store_set_durable_commits (RelanceStore *self,
                                   gboolean      durable)
{
  g_return_if_fail (RELANCE_IS_STORE (self));

  /* SQLite in WAL mode: FULL syncs the WAL at every commit, NORMAL only at checkpoints
   * (safe against a crash, not against a power cut). Not inside a transaction. */
  relance_store_exec (self, durable ? "PRAGMA synchronous = FULL"
                                    : "PRAGMA synchronous = NORMAL", NULL);
}

gboolean
relance_store_commit (RelanceStore  *self,
                      GError       **error)
{
  return step_cached (self, "COMMIT", error);
}

void
relance_store_rollback (RelanceStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    step_cached (self, "ROLLBACK", NULL);
}

char *
relance_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "relance", "relance.db", NULL);
}

static gboolean
pragma_int (RelanceStore *self, const char *sql, int *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* PRAGMA quick_check answers "ok", or one row per problem found. */
static gboolean
quick_check_passes (RelanceStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
backup_before_migrating (RelanceStore *self, int from_version, GError **error)
{
  g_autofree char *backup = g_strdup_printf ("%s.v%d.bak", self->path, from_version);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_unlink (backup);
  /* VACUUM INTO writes a consistent copy even with WAL frames not yet checkpointed. */
  if (sqlite3_prepare_v2 (self->db, "VACUUM INTO ?", -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  sqlite3_bind_text (stmt, 1, backup, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: %s is a file path */
                   _("Could not save a copy of the database to “%s” before updating it; "
                     "nothing was changed."), backup);
      return FALSE;
    }
  return TRUE;
}

/* Step 10 of the SQLite recipe: the rebuilt schema still satisfies every foreign key. */
static gboolean
foreign_keys_hold (RelanceStore *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return relance_store_set_error (self, error);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self, error);
  g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_DATABASE,
                       _("The database holds links between records that do not match; it "
                         "was not updated. Restore a backup copy."));
  return FALSE;
}

static gboolean
migrate (RelanceStore *self, int from, int to, GError **error)
{
  if (from > 0 && from < to && !backup_before_migrating (self, from, error))
    return FALSE;

  for (int v = from + 1; v <= to; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v);
      gboolean fk_off = migration_rebuilds_tables (v);

      if (fk_off && !relance_store_exec (self, "PRAGMA foreign_keys = OFF", error))
        return FALSE;
      if (!relance_store_begin (self, error))
        goto restore;
      if (v == 1 && !relance_store_exec (self, "PRAGMA application_id = 1380732483", error))
        goto fail;
      if (!relance_store_exec (self, migrations[v - 1], error)
          || (migration_data[v - 1] != NULL && !migration_data[v - 1] (self, error))
          || (fk_off && !foreign_keys_hold (self, error))
          || !relance_store_exec (self, bump, error)
          || !relance_store_commit (self, error))
        goto fail;
      if (fk_off && !relance_store_exec (self, "PRAGMA foreign_keys = ON", error))
        return FALSE;
      self->version = v;
      continue;
    fail:
      relance_store_rollback (self);
    restore:
      if (fk_off)
        relance_store_exec (self, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  return TRUE;
}

G_STATIC_ASSERT (RELANCE_APPLICATION_ID == 1380732483);

static gboolean
journal_is_wal (RelanceStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return wal;
}

static RelanceStore *
open_internal (const char *path, int target_version, gboolean verify, GError **error)
{
  g_autoptr(RelanceStore) self = g_object_new (RELANCE_TYPE_STORE, NULL);
  g_autofree char *dir = NULL;
  int app_id = 0, version = 0, n_tables = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a folder, the second the system's reason */
                   _("Could not create the folder “%s”: %s."), dir, g_strerror (saved));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("“%s” is a folder, not a database file."), path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second SQLite's reason */
                   _("Could not open the database “%s”: %s."), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_handler (self->db, wait_while_busy, NULL);

  /* Read the header before writing anything: a foreign or damaged file stays untouched. */
  if (!pragma_int (self, "PRAGMA application_id", &app_id, NULL)
      || !pragma_int (self, "PRAGMA user_version", &version, NULL)
      || !pragma_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, NULL))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                   /* Translators: %s is a file path */
                   _("The file “%s” is damaged or is not a Relance database; it was left "
                     "untouched."), path);
      return NULL;
    }
  if (app_id != RELANCE_APPLICATION_ID && (app_id != 0 || n_tables > 0 || version != 0))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                   /* Translators: %s is a file path */
                   _("The file “%s” is not a Relance database; it was left untouched."), path);
      return NULL;
    }
  if (version > RELANCE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NEWER_DATABASE,
                   /* Translators: %s is a file path */
                   _("The database “%s” was created by a newer version of Relance; update "
                     "Relance to open it. It was left untouched."), path);
      return NULL;
    }
  /* A full check reads the whole file (0.1 s at 100 000 invoices), so it runs when the
   * window opens, before a migration, and before switching a file to WAL (a write); other
   * commands rely on SQLite noticing damage on the pages they read. */
  if (app_id == RELANCE_APPLICATION_ID
      && (verify || version < target_version || !journal_is_wal (self)))
    {
      if (!quick_check_passes (self))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
                       /* Translators: %s is a file path */
                       _("The database “%s” is damaged; it was left untouched. Restore a "
                         "backup copy."), path);
          return NULL;
        }
    }

  if (!relance_store_exec (self, "PRAGMA journal_mode = WAL", error)
      || !relance_store_exec (self, "PRAGMA foreign_keys = ON", error)
      || !relance_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  self->version = version;
  if (version < target_version && !migrate (self, version, target_version, error))
    return NULL;

  g_chmod (path, 0600);
  return g_steal_pointer (&self);
}

RelanceStore *
relance_store_open (const char  *path,
                    GError     **error)
{
  return open_internal (path, RELANCE_STORE_SCHEMA_VERSION, TRUE, error);
}

RelanceStore *
relance_store_open_quick (const char  *path,
                          GError     **error)
{
  return open_internal (path, RELANCE_STORE_SCHEMA_VERSION, FALSE, error);
}

gboolean
relance_store_verify (RelanceStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);

  if (quick_check_passes (self))
    return TRUE;
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_RELANCE,
               /* Translators: %s is a file path */
               _("The database “%s” is damaged; it was left untouched. Restore a "
                 "backup copy."), self->path);
  return FALSE;
}

RelanceStore *
relance_store_open_at_version (const char  *path,
                               int          version,
                               GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= RELANCE_STORE_SCHEMA_VERSION, NULL);
  return open_internal (path, version, TRUE, error);
}

const char *
relance_store_get_path (RelanceStore *self)
{
  return self->path;
}

sqlite3 *
relance_store_get_db (RelanceStore *self)
{
  return self->db;
}

int
relance_store_get_version (RelanceStore *self)
{
  return self->version;
}

/* Records */

void
relance_client_free (RelanceClient *client)
{
  if (client == NULL)
    return;
  g_free (client->name);
  g_free (client->reference);
  g_free (client->email);
  g_free (client->cc);
  g_free (client->phone);
  g_free (client->language);
  g_free (client->country);
  g_free (client->timezone);
  g_free (client->kind);
  g_free (client->segment);
  g_free (client->notes);
  g_free (client->street);
  g_free (client->postcode);
  g_free (client->city);
  g_free (client);
}

static gboolean
has_text (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return TRUE;
  return FALSE;
}

gboolean
relance_client_has_postal_address (const RelanceClient *client)
{
  g_return_val_if_fail (client != NULL, FALSE);
  return has_text (client->street) && has_text (client->city);
}

void
relance_invoice_free (RelanceInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->number);
  g_free (invoice->client_name);
  g_free (invoice->client_email);
  g_free (invoice->currency);
  g_free (invoice->status);
  g_free (invoice->notes);
  g_free (invoice);
}

void
relance_payment_free (RelancePayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->method);
  g_free (payment->note);
  g_free (payment);
}

void
relance_company_free (RelanceCompany *company)
{
  if (company == NULL)
    return;
  g_free (company->name);
  g_free (company->address);
  g_free (company->country);
  g_free (company->siret);
  g_free (company->vat);
  g_free (company->iban);
  g_free (company->bic);
  g_free (company->currency);
  g_free (company->language);
  g_free (company->penalty_rate);
  g_free (company->payment_link);
  g_free (company);
}

gint64
relance_invoice_get_outstanding (const RelanceInvoice *invoice)
{
  gint64 left = invoice->total - invoice->paid;
  return left > 0 ? left : 0;
}

const char *
relance_invoice_get_state (const RelanceInvoice *invoice)
{
  if (g_strcmp0 (invoice->status, "cancelled") == 0)
    return "cancelled";
  if (invoice->paid >= invoice->total)
    return "paid";
  if (g_strcmp0 (invoice->status, "disputed") == 0)
    return "disputed";
  if (invoice->paid > 0)
    return "partially-paid";
  return "open";
}

int
relance_invoice_get_days_overdue (const RelanceInvoice *invoice,
                                  const GDate          *today)
{
  int days;

  if (g_strcmp0 (invoice->status, "cancelled") == 0 || invoice->paid >= invoice->total
      || !g_date_valid (&invoice->due_date))
    return 0;
  days = g_date_days_between (&invoice->due_date, today);
  return days > 0 ? days : 0;
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static void
column_date (sqlite3_stmt *stmt, int col, GDate *out)
{
  g_date_clear (out, 1);
  relance_date_from_iso ((const char *) sqlite3_column_text (stmt, col), out);
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_date_or_null (sqlite3_stmt *stmt, int index, const GDate *date)
{
  if (date != NULL && g_date_valid (date))
    {
      g_autofree char *iso = relance_date_to_iso (date);
      sqlite3_bind_text (stmt, index, iso, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, index);
}

/* Company */

RelanceCompany *
relance_store_get_company (RelanceStore  *self,
                           GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT name, address, country, siret, vat, iban, bic, currency, language, payment_terms, "
    "penalty_rate, payment_link FROM company WHERE id = 1", error);
  RelanceCompany *company;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  company = g_new0 (RelanceCompany, 1);
  company->name = column_dup (stmt, 0);
  company->address = column_dup (stmt, 1);
  company->country = column_dup (stmt, 2);
  company->siret = column_dup (stmt, 3);
  company->vat = column_dup (stmt, 4);
  company->iban = column_dup (stmt, 5);
  company->bic = column_dup (stmt, 6);
  company->currency = column_dup (stmt, 7);
  company->language = column_dup (stmt, 8);
  company->payment_terms = sqlite3_column_int (stmt, 9);
  company->penalty_rate = column_dup (stmt, 10);
  company->payment_link = column_dup (stmt, 11);
  sqlite3_reset (stmt);
  return company;
}

gboolean
relance_store_set_company (RelanceStore          *self,
                           const RelanceCompany  *company,
                           GError               **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE company SET name = ?1, address = ?2, country = ?3, siret = ?4, vat = ?5, iban = ?6, "
    "bic = ?7, currency = ?8, language = ?9, payment_terms = ?10, penalty_rate = ?11, "
    "payment_link = ?12 WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, company->name != NULL ? company->name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, company->address != NULL ? company->address : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, company->country != NULL ? company->country : "FR", -1,
                     SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, company->siret);
  bind_text_or_null (stmt, 5, company->vat);
  bind_text_or_null (stmt, 6, company->iban);
  bind_text_or_null (stmt, 7, company->bic);
  sqlite3_bind_text (stmt, 8, company->currency != NULL ? company->currency : "EUR", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, company->language != NULL ? company->language : "fr", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 10, company->payment_terms);
  bind_text_or_null (stmt, 11, company->penalty_rate);
  bind_text_or_null (stmt, 12, company->payment_link);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* Settings */

char *
relance_store_get_setting (RelanceStore *self,
                           const char   *key)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, "SELECT value FROM settings WHERE key = ?",
                                              NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
relance_store_set_setting (RelanceStore  *self,
                           const char    *key,
                           const char    *value,
                           GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (value == NULL)
    stmt = relance_store_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = relance_store_prepare (self,
      "INSERT INTO settings (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* Steps @stmt to the end, turning each row into a record; NULL (and @error) when SQLite
 * fails midway (a damaged page), never a silently short list. */
static GPtrArray *
collect_rows (RelanceStore    *self,
              sqlite3_stmt    *stmt,
              gpointer       (*from_row) (sqlite3_stmt *stmt),
              GDestroyNotify   free_func,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Clients */

#define CLIENT_COLUMNS \
  "id, name, reference, email, cc, phone, language, country, timezone, kind, segment, " \
  "paused, do_not_remind, notes, street, postcode, city"

static RelanceClient *
client_from_row (sqlite3_stmt *stmt)
{
  RelanceClient *client = g_new0 (RelanceClient, 1);

  client->id = sqlite3_column_int64 (stmt, 0);
  client->name = column_dup (stmt, 1);
  client->reference = column_dup (stmt, 2);
  client->email = column_dup (stmt, 3);
  client->cc = column_dup (stmt, 4);
  client->phone = column_dup (stmt, 5);
  client->language = column_dup (stmt, 6);
  client->country = column_dup (stmt, 7);
  client->timezone = column_dup (stmt, 8);
  client->kind = column_dup (stmt, 9);
  client->segment = column_dup (stmt, 10);
  client->paused = sqlite3_column_int (stmt, 11) != 0;
  client->do_not_remind = sqlite3_column_int (stmt, 12) != 0;
  client->notes = column_dup (stmt, 13);
  client->street = column_dup (stmt, 14);
  client->postcode = column_dup (stmt, 15);
  client->city = column_dup (stmt, 16);
  return client;
}

GPtrArray *
relance_store_list_clients (RelanceStore  *self,
                            GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT " CLIENT_COLUMNS " FROM clients ORDER BY name COLLATE NOCASE, id", error);

  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, (gpointer (*) (sqlite3_stmt *)) client_from_row,
                       (GDestroyNotify) relance_client_free, error);
}

RelanceClient *
relance_store_get_client (RelanceStore  *self,
                          gint64         id,
                          GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT " CLIENT_COLUMNS " FROM clients WHERE id = ?", error);
  RelanceClient *client = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    client = client_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    relance_store_set_error (self, error);
  else if (client == NULL)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                 _("There is no such client."));
  return client;
}

/* 2: same reference, 1: same name, 0: same name but for case */
static int
match_rank (const char *reference, const char *name, const char *wanted)
{
  if (g_strcmp0 (reference, wanted) == 0)
    return 2;
  return g_strcmp0 (name, wanted) == 0 ? 1 : 0;
}

/* By reference first, then by exact name, then by name ignoring case. */
RelanceClient *
relance_store_find_client (RelanceStore  *self,
                           const char    *name_or_reference,
                           GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT " CLIENT_COLUMNS " FROM clients WHERE reference = ?1 OR name = ?1 "
    "OR lower(name) = lower(?1) "
    "ORDER BY reference = ?1 DESC, name = ?1 DESC, id LIMIT 2", error);
  RelanceClient *client = NULL;
  gboolean several = FALSE;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_or_reference, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      relance_store_set_error (self, error);
      return NULL;
    }
  if (rc == SQLITE_ROW)
    {
      int first_rank;

      client = client_from_row (stmt);
      first_rank = match_rank (client->reference, client->name, name_or_reference);
      /* Ambiguous only when the runner-up matches as well as the first one. */
      if (sqlite3_step (stmt) == SQLITE_ROW)
        several = match_rank ((const char *) sqlite3_column_text (stmt, 2),
                              (const char *) sqlite3_column_text (stmt, 1),
                              name_or_reference) == first_rank;
    }
  sqlite3_reset (stmt);
  if (client == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is what the user typed */
                   _("There is no client named “%s”."), name_or_reference);
      return NULL;
    }
  if (several)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is what the user typed */
                   _("Several clients are named “%s”; use the client's reference instead."),
                   name_or_reference);
      relance_client_free (client);
      return NULL;
    }
  return client;
}

gboolean
relance_store_save_client (RelanceStore   *self,
                           RelanceClient  *client,
                           GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (client->id == 0)
    stmt = relance_store_prepare (self,
      "INSERT INTO clients (name, reference, email, cc, phone, language, country, timezone, "
      "kind, segment, paused, do_not_remind, notes, street, postcode, city) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15, ?16, ?17)", error);
  else
    stmt = relance_store_prepare (self,
      "UPDATE clients SET name = ?1, reference = ?2, email = ?3, cc = ?4, phone = ?5, "
      "language = ?6, country = ?7, timezone = ?8, kind = ?9, segment = ?10, paused = ?11, "
      "do_not_remind = ?12, notes = ?13, street = ?15, postcode = ?16, city = ?17 "
      "WHERE id = ?14", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, client->name != NULL ? client->name : "", -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, client->reference);
  bind_text_or_null (stmt, 3, client->email);
  bind_text_or_null (stmt, 4, client->cc);
  bind_text_or_null (stmt, 5, client->phone);
  sqlite3_bind_text (stmt, 6, client->language != NULL ? client->language : "fr", -1,
                     SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 7, client->country);
  bind_text_or_null (stmt, 8, client->timezone);
  sqlite3_bind_text (stmt, 9, client->kind != NULL ? client->kind : "business", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, client->segment != NULL ? client->segment : "regular", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 11, client->paused ? 1 : 0);
  sqlite3_bind_int (stmt, 12, client->do_not_remind ? 1 : 0);
  bind_text_or_null (stmt, 13, client->notes);
  bind_text_or_null (stmt, 15, client->street);
  bind_text_or_null (stmt, 16, client->postcode);
  bind_text_or_null (stmt, 17, client->city);
  if (client->id != 0)
    sqlite3_bind_int64 (stmt, 14, client->id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  if (client->id == 0)
    client->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* Invoices */

#define INVOICE_SELECT \
  "SELECT i.id, i.number, i.client_id, c.name, c.email, i.issue_date, i.due_date, i.total, " \
  "i.currency, i.status, i.promise_date, " \
  "coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0), i.notes " \
  "FROM invoices i JOIN clients c ON c.id = i.client_id "

static RelanceInvoice *
invoice_from_row (sqlite3_stmt *stmt)
{
  RelanceInvoice *invoice = g_new0 (RelanceInvoice, 1);

  invoice->id = sqlite3_column_int64 (stmt, 0);
  invoice->number = column_dup (stmt, 1);
  invoice->client_id = sqlite3_column_int64 (stmt, 2);
  invoice->client_name = column_dup (stmt, 3);
  invoice->client_email = column_dup (stmt, 4);
  column_date (stmt, 5, &invoice->issue_date);
  column_date (stmt, 6, &invoice->due_date);
  invoice->total = sqlite3_column_int64 (stmt, 7);
  invoice->currency = column_dup (stmt, 8);
  invoice->status = column_dup (stmt, 9);
  column_date (stmt, 10, &invoice->promise_date);
  invoice->paid = sqlite3_column_int64 (stmt, 11);
  invoice->notes = column_dup (stmt, 12);
  return invoice;
}

GPtrArray *
relance_store_list_invoices (RelanceStore          *self,
                             RelanceInvoiceFilter   filter,
                             const GDate           *today,
                             GError               **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *today_iso = NULL;

  if (filter == RELANCE_INVOICE_FILTER_OVERDUE)
    {
      g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
      today_iso = relance_date_to_iso (today);
      stmt = relance_store_prepare (self,
        INVOICE_SELECT "WHERE i.due_date < ?1 AND i.status <> 'cancelled' "
        "AND i.total > coalesce((SELECT sum(p.amount) FROM payments p "
        "WHERE p.invoice_id = i.id), 0) ORDER BY i.due_date, i.number", error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, today_iso, -1, SQLITE_TRANSIENT);
    }
  else if (filter == RELANCE_INVOICE_FILTER_REMINDABLE)
    stmt = relance_store_prepare (self,
      INVOICE_SELECT "WHERE i.status = 'open' AND c.paused = 0 AND c.do_not_remind = 0 "
      "AND i.total > coalesce((SELECT sum(p.amount) FROM payments p "
      "WHERE p.invoice_id = i.id), 0)", error);
  else
    stmt = relance_store_prepare (self, INVOICE_SELECT "ORDER BY i.due_date, i.number", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, (gpointer (*) (sqlite3_stmt *)) invoice_from_row,
                       (GDestroyNotify) relance_invoice_free, error);
}

RelanceInvoice *
relance_store_get_invoice (RelanceStore  *self,
                           const char    *number,
                           GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self, INVOICE_SELECT "WHERE i.number = ?", error);
  RelanceInvoice *invoice = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    invoice = invoice_from_row (stmt);
  sqlite3_reset (stmt);
  /* A damaged page must not read as "no such invoice". */
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    relance_store_set_error (self, error);
  else if (invoice == NULL)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                 /* Translators: %s is an invoice number */
                 _("There is no invoice numbered “%s”."), number);
  return invoice;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
validate_invoice (const RelanceInvoice *invoice, GError **error)
{
  if (is_blank (invoice->number))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("An invoice needs a number."));
      return FALSE;
    }
  if (!g_date_valid (&invoice->issue_date) || !g_date_valid (&invoice->due_date))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("An invoice needs an issue date and a due date."));
      return FALSE;
    }
  if (g_date_compare (&invoice->due_date, &invoice->issue_date) < 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The due date cannot be before the issue date."));
      return FALSE;
    }
  if (invoice->total < 0 || invoice->total > RELANCE_MONEY_MAX_UNITS * 100)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The invoice total must be a positive amount."));
      return FALSE;
    }
  if (!relance_currency_is_known (invoice->currency))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The currency must be a three-letter ISO 4217 code such as EUR."));
      return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_save_invoice (RelanceStore    *self,
                            RelanceInvoice  *invoice,
                            GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!validate_invoice (invoice, error))
    return FALSE;

  if (invoice->id == 0)
    stmt = relance_store_prepare (self,
      "INSERT INTO invoices (number, client_id, issue_date, due_date, total, currency, status, "
      "promise_date, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  else
    stmt = relance_store_prepare (self,
      "UPDATE invoices SET number = ?1, client_id = ?2, issue_date = ?3, due_date = ?4, "
      "total = ?5, currency = ?6, status = ?7, promise_date = ?8, notes = ?9 WHERE id = ?10",
      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, invoice->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, invoice->client_id);
  bind_date_or_null (stmt, 3, &invoice->issue_date);
  bind_date_or_null (stmt, 4, &invoice->due_date);
  sqlite3_bind_int64 (stmt, 5, invoice->total);
  sqlite3_bind_text (stmt, 6, invoice->currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, invoice->status != NULL ? invoice->status : "open", -1,
                     SQLITE_TRANSIENT);
  bind_date_or_null (stmt, 8, &invoice->promise_date);
  bind_text_or_null (stmt, 9, invoice->notes);
  if (invoice->id != 0)
    sqlite3_bind_int64 (stmt, 10, invoice->id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                       /* Translators: %s is an invoice number */
                       _("An invoice numbered “%s” already exists."), invoice->number);
          return FALSE;
        }
      return relance_store_set_error (self, error);
    }
  if (invoice->id == 0)
    invoice->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

gboolean
relance_store_set_invoice_status (RelanceStore  *self,
                                  const char    *number,
                                  const char    *status,
                                  GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE invoices SET status = ?2 WHERE number = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   _("There is no invoice numbered “%s”."), number);
      return FALSE;
    }
  return TRUE;
}

/* Payments */

GPtrArray *
relance_store_list_payments (RelanceStore  *self,
                             gint64         invoice_id,
                             GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT id, invoice_id, date, amount, method, note FROM payments WHERE invoice_id = ? "
    "ORDER BY date, id", error);
  g_autoptr(GPtrArray) payments = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  payments = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_payment_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelancePayment *payment = g_new0 (RelancePayment, 1);
      payment->id = sqlite3_column_int64 (stmt, 0);
      payment->invoice_id = sqlite3_column_int64 (stmt, 1);
      column_date (stmt, 2, &payment->date);
      payment->amount = sqlite3_column_int64 (stmt, 3);
      payment->method = column_dup (stmt, 4);
      payment->note = column_dup (stmt, 5);
      g_ptr_array_add (payments, payment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&payments);
}

gboolean
relance_store_add_payment (RelanceStore    *self,
                           RelancePayment  *payment,
                           GError         **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "INSERT INTO payments (invoice_id, date, amount, method, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (payment->amount <= 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A payment must be a positive amount."));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, payment->invoice_id);
  bind_date_or_null (stmt, 2, &payment->date);
  sqlite3_bind_int64 (stmt, 3, payment->amount);
  bind_text_or_null (stmt, 4, payment->method);
  bind_text_or_null (stmt, 5, payment->note);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  payment->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

RelancePayment *
relance_store_pay (RelanceStore  *self,
                   const char    *number,
                   gint64         amount,
                   const GDate   *date,
                   GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(RelancePayment) payment = NULL;
  gint64 outstanding;

  if (!relance_store_begin (self, error))
    return NULL;

  invoice = relance_store_get_invoice (self, number, error);
  if (invoice == NULL)
    goto fail;
  if (g_strcmp0 (invoice->status, "cancelled") == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is an invoice number */
                   _("Invoice %s is cancelled; no payment can be recorded for it."), number);
      goto fail;
    }
  outstanding = relance_invoice_get_outstanding (invoice);
  if (outstanding == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %s is an invoice number */
                   _("Invoice %s is already paid in full."), number);
      goto fail;
    }
  if (amount < 0)
    amount = outstanding;
  if (amount == 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A payment must be a positive amount."));
      goto fail;
    }
  if (amount > outstanding)
    {
      g_autofree char *shown = relance_money_format (outstanding, invoice->currency,
                                                       relance_language_for_user ());
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: the first %s is an invoice number, the second an amount */
                   _("The payment is larger than what is left to pay on invoice %s (%s)."),
                   number, shown);
      goto fail;
    }

  payment = g_new0 (RelancePayment, 1);
  payment->invoice_id = invoice->id;
  payment->amount = amount;
  if (date != NULL && g_date_valid (date))
    payment->date = *date;
  else
    relance_clock_today (NULL, &payment->date);
  if (!relance_store_add_payment (self, payment, error) || !relance_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&payment);

fail:
  relance_store_rollback (self);
  return NULL;
}
