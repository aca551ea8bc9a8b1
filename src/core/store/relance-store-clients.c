/* relance-store-clients.c: clients: listing, finding by name or reference, saving; the
 * rules the window and the command line share (reminders paused or never sent, the
 * scenario chosen, deletion); balances and invoices in brief for the Clients page. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-store-clients.h"
#include "relance-store-private.h"
#include "relance-store.h"

/* Clients */

#define CLIENT_COLUMNS \
  "id, name, reference, email, cc, phone, language, country, timezone, kind, segment, " \
  "paused, do_not_remind, notes, street, postcode, city"

static RelanceClient *
client_from_row (sqlite3_stmt *stmt)
{
  RelanceClient *client = g_new0 (RelanceClient, 1);

  client->id = sqlite3_column_int64 (stmt, 0);
  client->name = relance_store_column_dup (stmt, 1);
  client->reference = relance_store_column_dup (stmt, 2);
  client->email = relance_store_column_dup (stmt, 3);
  client->cc = relance_store_column_dup (stmt, 4);
  client->phone = relance_store_column_dup (stmt, 5);
  client->language = relance_store_column_dup (stmt, 6);
  client->country = relance_store_column_dup (stmt, 7);
  client->timezone = relance_store_column_dup (stmt, 8);
  client->kind = relance_store_column_dup (stmt, 9);
  client->segment = relance_store_column_dup (stmt, 10);
  client->paused = sqlite3_column_int (stmt, 11) != 0;
  client->do_not_remind = sqlite3_column_int (stmt, 12) != 0;
  client->notes = relance_store_column_dup (stmt, 13);
  client->street = relance_store_column_dup (stmt, 14);
  client->postcode = relance_store_column_dup (stmt, 15);
  client->city = relance_store_column_dup (stmt, 16);
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
  return relance_store_collect_rows (self, stmt, (gpointer (*) (sqlite3_stmt *)) client_from_row,
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
  relance_store_bind_text_or_null (stmt, 2, client->reference);
  relance_store_bind_text_or_null (stmt, 3, client->email);
  relance_store_bind_text_or_null (stmt, 4, client->cc);
  relance_store_bind_text_or_null (stmt, 5, client->phone);
  sqlite3_bind_text (stmt, 6, client->language != NULL ? client->language : "fr", -1,
                     SQLITE_TRANSIENT);
  relance_store_bind_text_or_null (stmt, 7, client->country);
  relance_store_bind_text_or_null (stmt, 8, client->timezone);
  sqlite3_bind_text (stmt, 9, client->kind != NULL ? client->kind : "business", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, client->segment != NULL ? client->segment : "regular", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 11, client->paused ? 1 : 0);
  sqlite3_bind_int (stmt, 12, client->do_not_remind ? 1 : 0);
  relance_store_bind_text_or_null (stmt, 13, client->notes);
  relance_store_bind_text_or_null (stmt, 15, client->street);
  relance_store_bind_text_or_null (stmt, 16, client->postcode);
  relance_store_bind_text_or_null (stmt, 17, client->city);
  if (client->id != 0)
    sqlite3_bind_int64 (stmt, 14, client->id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  if (client->id == 0)
    client->id = sqlite3_last_insert_rowid (relance_store_get_db (self));
  relance_store_note_change (self, RELANCE_STORE_CHANGED_CLIENTS, client->id, 0);
  return TRUE;
}

/* ---- rules ----------------------------------------------------------------------------- */

static gboolean
no_such_client (GError **error)
{
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
               _("There is no such client."));
  return FALSE;
}

/* Steps @stmt, bound, for at most one row: *@found tells whether there was one, and the
 * statement is reset. FALSE (and @error) only when the engine fails. */
static gboolean
step_one (RelanceStore  *self,
          sqlite3_stmt  *stmt,
          gboolean      *found,
          gint64        *out_first,
          char         **out_second,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (*found && out_first != NULL)
    *out_first = sqlite3_column_int64 (stmt, 0);
  if (*found && out_second != NULL)
    *out_second = relance_store_column_dup (stmt, 1);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  return TRUE;
}

/* Runs @stmt, an UPDATE or DELETE of client @client_id bound by the caller, and notes
 * the change; NOT_FOUND when there is no such client. */
static gboolean
change_client (RelanceStore  *self,
               sqlite3_stmt  *stmt,
               gint64         client_id,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  if (sqlite3_changes (relance_store_get_db (self)) == 0)
    return no_such_client (error);
  relance_store_note_change (self, RELANCE_STORE_CHANGED_CLIENTS, client_id, 0);
  return TRUE;
}

/* One statement for both flags, so that resuming clears them together; -1 keeps one. */
static gboolean
set_reminder_flags (RelanceStore  *self,
                    gint64         client_id,
                    int            paused,
                    int            do_not_remind,
                    GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "UPDATE clients SET paused = coalesce (?2, paused), "
    "do_not_remind = coalesce (?3, do_not_remind) WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (paused >= 0)
    sqlite3_bind_int (stmt, 2, paused);
  if (do_not_remind >= 0)
    sqlite3_bind_int (stmt, 3, do_not_remind);
  return change_client (self, stmt, client_id, error);
}

gboolean
relance_store_set_client_paused (RelanceStore  *self,
                                 gint64         client_id,
                                 gboolean       paused,
                                 GError       **error)
{
  return set_reminder_flags (self, client_id, paused ? 1 : 0, -1, error);
}

gboolean
relance_store_set_client_do_not_remind (RelanceStore  *self,
                                        gint64         client_id,
                                        gboolean       do_not_remind,
                                        GError       **error)
{
  return set_reminder_flags (self, client_id, -1, do_not_remind ? 1 : 0, error);
}

gboolean
relance_store_resume_client (RelanceStore  *self,
                             gint64         client_id,
                             GError       **error)
{
  return set_reminder_flags (self, client_id, 0, 0, error);
}

gboolean
relance_store_get_client_scenario (RelanceStore  *self,
                                   gint64         client_id,
                                   gint64        *out_scenario_id,
                                   GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT coalesce (scenario_id, 0) FROM clients WHERE id = ?1", error);
  gboolean found;

  g_return_val_if_fail (out_scenario_id != NULL, FALSE);

  *out_scenario_id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!step_one (self, stmt, &found, out_scenario_id, NULL, error))
    return FALSE;
  return found || no_such_client (error);
}

gboolean
relance_store_set_client_scenario (RelanceStore  *self,
                                   gint64         client_id,
                                   gint64         scenario_id,
                                   GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (scenario_id != 0)
    {
      if ((stmt = relance_store_prepare (self, "SELECT id FROM scenarios WHERE id = ?1",
                                         error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, scenario_id);
      if (!step_one (self, stmt, &found, NULL, NULL, error))
        return FALSE;
      if (!found)
        {
          g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, scenario_id);

          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                       /* Translators: %s is a scenario key such as "firm", or its number */
                       _("There is no scenario “%s”."), name);
          return FALSE;
        }
    }
  if ((stmt = relance_store_prepare (self, "UPDATE clients SET scenario_id = ?2 WHERE id = ?1",
                                     error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (scenario_id != 0)
    sqlite3_bind_int64 (stmt, 2, scenario_id);
  return change_client (self, stmt, client_id, error);
}

gboolean
relance_store_check_client_deletable (RelanceStore  *self,
                                      gint64         client_id,
                                      GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    "SELECT (SELECT count (*) FROM invoices i WHERE i.client_id = c.id), c.name "
    "FROM clients c WHERE c.id = ?1", error);
  g_autofree char *name = NULL;
  gint64 n_invoices = 0;
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!step_one (self, stmt, &found, &n_invoices, &name, error))
    return FALSE;
  if (!found)
    return no_such_client (error);
  if (n_invoices > 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s has %d invoice, which is kept as a record. To "
                                "stop the reminders, pause the client or choose "
                                "“Do Not Remind” instead.",
                                "%s has %d invoices, which are kept as a record. "
                                "To stop the reminders, pause the client or choose "
                                "“Do Not Remind” instead.",
                                (gulong) n_invoices),
                   name, (int) n_invoices);
      return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_delete_client (RelanceStore  *self,
                             gint64         client_id,
                             GError       **error)
{
  sqlite3_stmt *stmt;

  /* The check again in the transaction that deletes: an invoice may have arrived since
   * the owner was asked. The outbox, inbox and holds of the client go with it. */
  if (!relance_store_begin (self, error))
    return FALSE;
  if (!relance_store_check_client_deletable (self, client_id, error)
      || (stmt = relance_store_prepare (self, "DELETE FROM clients WHERE id = ?1",
                                        error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!change_client (self, stmt, client_id, error) || !relance_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}

/* ---- what the Clients page reads ------------------------------------------------------- */

void
relance_client_balance_free (RelanceClientBalance *balance)
{
  if (balance == NULL)
    return;
  g_free (balance->currency);
  g_free (balance);
}

static RelanceClientBalance *
balance_from_row (sqlite3_stmt *stmt)
{
  RelanceClientBalance *balance = g_new0 (RelanceClientBalance, 1);

  balance->client_id = sqlite3_column_int64 (stmt, 0);
  balance->currency = relance_store_column_dup (stmt, 1);
  balance->outstanding = sqlite3_column_int64 (stmt, 2);
  balance->overdue = sqlite3_column_int64 (stmt, 3);
  return balance;
}

GPtrArray *
relance_store_list_client_balances (RelanceStore  *self,
                                    const GDate   *today,
                                    GError       **error)
{
  g_autofree char *today_iso = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  /* Payments are summed per invoice first, so that an invoice paid in three parts is
   * subtracted once; at 100 000 invoices this is the one pass the list can afford. */
  stmt = relance_store_prepare (self,
    "SELECT i.client_id, i.currency, "
    "  sum (i.total - coalesce (p.paid, 0)), "
    "  sum (CASE WHEN i.due_date < ?1 THEN i.total - coalesce (p.paid, 0) ELSE 0 END) "
    "FROM invoices i "
    "LEFT JOIN (SELECT invoice_id, sum (amount) AS paid FROM payments GROUP BY invoice_id) p "
    "  ON p.invoice_id = i.id "
    "WHERE i.status <> 'cancelled' AND i.total > coalesce (p.paid, 0) "
    "GROUP BY i.client_id, i.currency ORDER BY i.client_id, i.currency", error);
  if (stmt == NULL)
    return NULL;
  today_iso = relance_date_to_iso (today);
  sqlite3_bind_text (stmt, 1, today_iso, -1, SQLITE_TRANSIENT);
  return relance_store_collect_rows (self, stmt,
                                     (gpointer (*) (sqlite3_stmt *)) balance_from_row,
                                     (GDestroyNotify) relance_client_balance_free, error);
}

#define BRIEF_SELECT \
  "SELECT i.id, i.number, i.client_id, c.name, i.due_date, i.total, i.currency, i.status, " \
  "coalesce ((SELECT sum (p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) " \
  "FROM invoices i JOIN clients c ON c.id = i.client_id "

static RelanceInvoice *
brief_from_row (sqlite3_stmt *stmt)
{
  RelanceInvoice *invoice = g_new0 (RelanceInvoice, 1);

  invoice->id = sqlite3_column_int64 (stmt, 0);
  invoice->number = relance_store_column_dup (stmt, 1);
  invoice->client_id = sqlite3_column_int64 (stmt, 2);
  invoice->client_name = relance_store_column_dup (stmt, 3);
  g_date_clear (&invoice->issue_date, 1);
  relance_store_column_date (stmt, 4, &invoice->due_date);
  invoice->total = sqlite3_column_int64 (stmt, 5);
  invoice->currency = relance_store_column_dup (stmt, 6);
  invoice->status = relance_store_column_dup (stmt, 7);
  g_date_clear (&invoice->promise_date, 1);
  invoice->paid = sqlite3_column_int64 (stmt, 8);
  return invoice;
}

static GPtrArray *
collect_briefs (RelanceStore  *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  return relance_store_collect_rows (self, stmt, (gpointer (*) (sqlite3_stmt *)) brief_from_row,
                                     (GDestroyNotify) relance_invoice_free, error);
}

GPtrArray *
relance_store_list_client_invoices (RelanceStore  *self,
                                    gint64         client_id,
                                    GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    BRIEF_SELECT "WHERE i.client_id = ?1 ORDER BY i.due_date DESC, i.number", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return collect_briefs (self, stmt, error);
}

GPtrArray *
relance_store_list_invoices_to_preview (RelanceStore  *self,
                                        guint          limit,
                                        GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self,
    BRIEF_SELECT "WHERE i.status = 'open' AND i.total > "
    "  coalesce ((SELECT sum (p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) "
    "ORDER BY i.due_date, i.number LIMIT ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  return collect_briefs (self, stmt, error);
}
