/* relance-store-inbox.c: the inbox aggregate (tables of migration 9): recognised answers,
 * the reading position, and the holds they put on clients. See relance-store-inbox.h. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-store-private.h"
#include "relance-store-inbox.h"
#include "relance-store-outbox.h"

static const char *kind_names[] = { "reply", "auto-reply", "bounce" };

const char *
relance_inbox_kind_to_string (RelanceInboxKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "reply");
  return kind_names[kind];
}

static RelanceInboxKind
kind_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      return (RelanceInboxKind) i;
  return RELANCE_INBOX_REPLY;
}

void
relance_inbox_message_free (RelanceInboxMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->message_id);
  g_free (message->sender);
  g_free (message->sender_name);
  g_free (message->subject);
  g_free (message->client_name);
  g_strfreev (message->invoices);
  g_free (message->action);
  g_free (message->text);
  g_free (message->bounced_address);
  g_free (message->decision);
  g_free (message);
}

void
relance_client_hold_free (RelanceClientHold *hold)
{
  if (hold == NULL)
    return;
  g_free (hold->invalid_address);
  g_free (hold);
}

static char *
dup_column (sqlite3_stmt *stmt, int column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
run (RelanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return relance_store_set_error (store, error);
  return TRUE;
}

static char *
strip_brackets (const char *message_id)
{
  g_autofree char *copy = g_strstrip (g_strdup (message_id));
  gsize len = strlen (copy);

  if (len >= 2 && copy[0] == '<' && copy[len - 1] == '>')
    return g_strndup (copy + 1, len - 2);
  return g_steal_pointer (&copy);
}

/* ---- reading position ------------------------------------------------------------- */

gboolean
relance_store_inbox_get_cursor (RelanceStore  *store,
                                gint64        *uidvalidity,
                                gint64        *last_uid,
                                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT uidvalidity, last_uid FROM inbox_cursor WHERE id = 1", error);
  int rc;

  *uidvalidity = *last_uid = 0;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *uidvalidity = sqlite3_column_int64 (stmt, 0);
      *last_uid = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

gboolean
relance_store_inbox_set_cursor (RelanceStore  *store,
                                gint64         uidvalidity,
                                gint64         last_uid,
                                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "UPDATE inbox_cursor SET uidvalidity = ?1, last_uid = ?2 WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, uidvalidity);
  sqlite3_bind_int64 (stmt, 2, last_uid);
  return run (store, stmt, error);
}

gboolean
relance_store_inbox_set_status (RelanceStore  *store,
                                gint64         checked_at,
                                const char    *error_text,
                                gint64         next_try_at,
                                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "UPDATE inbox_cursor SET checked_at = ?1, last_error = ?2, next_try_at = ?3 WHERE id = 1",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, checked_at);
  if (error_text != NULL)
    sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_TRANSIENT);
  if (next_try_at > 0)
    sqlite3_bind_int64 (stmt, 3, next_try_at);
  return run (store, stmt, error);
}

gboolean
relance_store_inbox_get_status (RelanceStore  *store,
                                gint64        *checked_at,
                                char         **error_text,
                                gint64        *next_try_at,
                                GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT checked_at, last_error, next_try_at FROM inbox_cursor WHERE id = 1", error);

  *checked_at = *next_try_at = 0;
  *error_text = NULL;
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *checked_at = sqlite3_column_int64 (stmt, 0);
      *error_text = dup_column (stmt, 1);
      *next_try_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* ---- matching --------------------------------------------------------------------- */

gboolean
relance_store_inbox_knows (RelanceStore *store,
                           const char   *message_id)
{
  g_autofree char *bare = NULL;
  sqlite3_stmt *stmt;
  gboolean known;

  if (message_id == NULL || *message_id == '\0')
    return FALSE;
  bare = strip_brackets (message_id);
  stmt = relance_store_prepare (store,
    "SELECT 1 FROM inbox_messages WHERE message_id = ?1 LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bare, -1, SQLITE_TRANSIENT);
  known = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return known;
}

static GStrv
invoices_of_outbox (RelanceStore *store, gint64 outbox_id)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT i.number FROM reminders r JOIN invoices i ON i.id = r.invoice_id "
    "WHERE r.outbox_id = ?1 ORDER BY i.number", NULL);
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();

  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, outbox_id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (numbers, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (numbers);
}

gboolean
relance_store_inbox_find_sent (RelanceStore  *store,
                               const char    *message_id,
                               gint64        *out_outbox_id,
                               gint64        *out_client_id,
                               GStrv         *out_invoices)
{
  g_autofree char *bare = NULL;
  sqlite3_stmt *stmt;
  gint64 outbox_id = 0, client_id = 0;

  if (message_id == NULL || *message_id == '\0')
    return FALSE;
  bare = strip_brackets (message_id);
  /* Messages that never left (cancelled before sending…) are not answers' targets. */
  stmt = relance_store_prepare (store,
    "SELECT id, client_id FROM outbox WHERE message_id = ?1 "
    "AND state IN ('sent', 'bounced', 'uncertain') ORDER BY id DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bare, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      outbox_id = sqlite3_column_int64 (stmt, 0);
      client_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (outbox_id == 0)
    return FALSE;
  if (out_outbox_id != NULL)
    *out_outbox_id = outbox_id;
  if (out_client_id != NULL)
    *out_client_id = client_id;
  if (out_invoices != NULL)
    *out_invoices = invoices_of_outbox (store, outbox_id);
  return TRUE;
}

static gboolean
address_in_list (const char *list, const char *address)
{
  g_auto(GStrv) parts = NULL;

  if (list == NULL)
    return FALSE;
  parts = g_strsplit_set (list, ",;", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      const char *open = strrchr (part, '<');
      g_autofree char *bare = NULL;

      /* "Name <address>" or a bare address. */
      bare = open != NULL ? g_strndup (open + 1, strcspn (open + 1, ">")) : g_strdup (part);
      if (g_ascii_strcasecmp (bare, address) == 0)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
relance_store_inbox_clients_at (RelanceStore  *store,
                                const char    *address,
                                GError       **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (address == NULL || *address == '\0')
    {
      g_array_unref (ids);
      return g_steal_pointer (&result);
    }
  /* A cheap LIKE narrows the scan; address_in_list() decides on whole addresses. */
  pattern = g_strdup_printf ("%%%s%%", address);
  stmt = relance_store_prepare (store,
    "SELECT id, name, email, cc FROM clients WHERE email LIKE ?1 OR cc LIKE ?1", error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *email = (const char *) sqlite3_column_text (stmt, 2);
      const char *cc = (const char *) sqlite3_column_text (stmt, 3);

      if (address_in_list (email, address) || address_in_list (cc, address))
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
          g_ptr_array_add (names, dup_column (stmt, 1));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_array_unref (ids);
      relance_store_set_error (store, error);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  g_array_index (ids, gint64, i));

      g_strv_builder_add (row, id_text);
      g_strv_builder_add (row, g_ptr_array_index (names, i));
      stmt = relance_store_prepare (store,
        "SELECT i.number FROM invoices i WHERE i.client_id = ?1 AND i.status = 'open' "
        "AND i.total > coalesce ((SELECT sum (p.amount) FROM payments p "
        "WHERE p.invoice_id = i.id), 0) ORDER BY i.number", error);
      if (stmt == NULL)
        {
          g_array_unref (ids);
          return NULL;
        }
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (row, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      g_ptr_array_add (result, g_strv_builder_end (row));
    }
  g_array_unref (ids);
  return g_steal_pointer (&result);
}

/* ---- recording -------------------------------------------------------------------- */

int
relance_store_inbox_reply_pause_days (RelanceStore *store)
{
  g_autofree char *value = relance_store_get_setting (store, RELANCE_SETTING_REPLY_PAUSE_DAYS);
  gint64 days;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, 365, &days, NULL))
    return RELANCE_REPLY_PAUSE_DAYS_DEFAULT;
  return (int) days;
}

/* The steps go back to the planner, which plans them again once the hold is over. */
static gboolean
cancel_queued (RelanceStore *store, gint64 client_id, const char *reason, GError **error)
{
  return relance_store_cancel_waiting_outbox (store, 0, client_id, reason, NULL, error) >= 0;
}

static gboolean
record_unlocked (RelanceStore *store, RelanceInboxMessage *message, gint64 now, GError **error)
{
  g_autofree char *invoices = message->invoices != NULL ? g_strjoinv (",", message->invoices)
                                                        : g_strdup ("");
  const char *action = "noted";
  sqlite3_stmt *stmt;

  if (message->kind == RELANCE_INBOX_REPLY && message->client_id > 0)
    action = "paused";
  else if (message->kind == RELANCE_INBOX_BOUNCE && message->client_id > 0)
    action = "address-invalid";
  else if (message->kind == RELANCE_INBOX_BOUNCE)
    action = "none";

  stmt = relance_store_prepare (store,
    "INSERT INTO inbox_messages (uidvalidity, uid, message_id, received_at, sender, "
    "sender_name, subject, kind, client_id, outbox_id, invoices, action, text, "
    "bounced_address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message->uidvalidity);
  sqlite3_bind_int64 (stmt, 2, message->uid);
  if (message->message_id != NULL)
    {
      g_autofree char *bare = strip_brackets (message->message_id);
      sqlite3_bind_text (stmt, 3, bare, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int64 (stmt, 4, message->received_at);
  sqlite3_bind_text (stmt, 5, message->sender != NULL ? message->sender : "", -1, SQLITE_STATIC);
  if (message->sender_name != NULL)
    sqlite3_bind_text (stmt, 6, message->sender_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, message->subject != NULL ? message->subject : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, relance_inbox_kind_to_string (message->kind), -1, SQLITE_STATIC);
  if (message->client_id > 0)
    sqlite3_bind_int64 (stmt, 9, message->client_id);
  if (message->outbox_id > 0)
    sqlite3_bind_int64 (stmt, 10, message->outbox_id);
  sqlite3_bind_text (stmt, 11, invoices, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, action, -1, SQLITE_STATIC);
  if (message->text != NULL)
    sqlite3_bind_text (stmt, 13, message->text, -1, SQLITE_STATIC);
  if (message->bounced_address != NULL)
    sqlite3_bind_text (stmt, 14, message->bounced_address, -1, SQLITE_STATIC);
  if (!run (store, stmt, error))
    return FALSE;
  message->id = sqlite3_last_insert_rowid (relance_store_get_db (store));
  g_free (message->action);
  message->action = g_strdup (action);

  if (g_str_equal (action, "paused"))
    {
      gint64 until = now + (gint64) relance_store_inbox_reply_pause_days (store) * 86400;

      stmt = relance_store_prepare (store,
        "INSERT INTO client_mail_holds (client_id, reply_paused_until, reply_message) "
        "VALUES (?1, ?2, ?3) ON CONFLICT (client_id) DO UPDATE SET "
        "reply_paused_until = max (coalesce (reply_paused_until, 0), excluded.reply_paused_until), "
        "reply_message = excluded.reply_message", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message->client_id);
      sqlite3_bind_int64 (stmt, 2, until);
      sqlite3_bind_int64 (stmt, 3, message->id);
      if (!run (store, stmt, error)
          || !cancel_queued (store, message->client_id,
                             _("The client replied: reminders wait for your decision."), error))
        return FALSE;
    }
  else if (g_str_equal (action, "address-invalid"))
    {
      g_autofree char *address = NULL;

      stmt = relance_store_prepare (store, "SELECT email FROM clients WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message->client_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        address = dup_column (stmt, 0);
      sqlite3_reset (stmt);
      if (address == NULL)
        address = g_strdup (message->bounced_address != NULL ? message->bounced_address : "");

      stmt = relance_store_prepare (store,
        "INSERT INTO client_mail_holds (client_id, invalid_address, invalid_since) "
        "VALUES (?1, ?2, ?3) ON CONFLICT (client_id) DO UPDATE SET "
        "invalid_address = excluded.invalid_address, invalid_since = excluded.invalid_since",
        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message->client_id);
      sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
      if (!run (store, stmt, error))
        return FALSE;
      if (message->outbox_id > 0)
        {
          stmt = relance_store_prepare (store,
            "UPDATE outbox SET state = 'bounced', last_error = ?2 WHERE id = ?1 "
            "AND state IN ('sent', 'uncertain')", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, message->outbox_id);
          sqlite3_bind_text (stmt, 2, _("The message came back: the address does not work."),
                             -1, SQLITE_TRANSIENT);
          if (!run (store, stmt, error))
            return FALSE;
        }
      if (!cancel_queued (store, message->client_id,
                          _("The client’s address bounced: reminders stop until it is "
                            "corrected."), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
relance_store_inbox_record (RelanceStore         *store,
                            RelanceInboxMessage  *message,
                            gint64                now,
                            GError              **error)
{
  if (!relance_store_begin (store, error))
    return FALSE;
  if (!record_unlocked (store, message, now, error) || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading ---------------------------------------------------------------------- */

#define MESSAGE_SELECT \
  "SELECT m.id, m.uidvalidity, m.uid, m.message_id, m.received_at, m.sender, " \
  "m.sender_name, m.subject, m.kind, m.client_id, c.name, m.outbox_id, m.invoices, " \
  "m.action, m.text, m.bounced_address, m.decision FROM inbox_messages m " \
  "LEFT JOIN clients c ON c.id = m.client_id "

static RelanceInboxMessage *
message_from_row (sqlite3_stmt *stmt)
{
  RelanceInboxMessage *m = g_new0 (RelanceInboxMessage, 1);
  const char *invoices = (const char *) sqlite3_column_text (stmt, 12);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->uidvalidity = sqlite3_column_int64 (stmt, 1);
  m->uid = sqlite3_column_int64 (stmt, 2);
  m->message_id = dup_column (stmt, 3);
  m->received_at = sqlite3_column_int64 (stmt, 4);
  m->sender = dup_column (stmt, 5);
  m->sender_name = dup_column (stmt, 6);
  m->subject = dup_column (stmt, 7);
  m->kind = kind_from_string ((const char *) sqlite3_column_text (stmt, 8));
  m->client_id = sqlite3_column_int64 (stmt, 9);
  m->client_name = dup_column (stmt, 10);
  m->outbox_id = sqlite3_column_int64 (stmt, 11);
  m->invoices = invoices != NULL && *invoices != '\0' ? g_strsplit (invoices, ",", -1)
                                                      : g_new0 (char *, 1);
  m->action = dup_column (stmt, 13);
  m->text = dup_column (stmt, 14);
  m->bounced_address = dup_column (stmt, 15);
  m->decision = dup_column (stmt, 16);
  return m;
}

static GPtrArray *
collect (RelanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) relance_inbox_message_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, message_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

GPtrArray *
relance_store_inbox_list (RelanceStore  *store,
                          gint64         client_id,
                          const char    *invoice,
                          GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    MESSAGE_SELECT "WHERE (?1 = 0 OR m.client_id = ?1) AND (?2 IS NULL "
    "OR ',' || m.invoices || ',' LIKE '%,' || ?2 || ',%') ORDER BY m.received_at DESC, m.id DESC",
    error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (invoice != NULL)
    sqlite3_bind_text (stmt, 2, invoice, -1, SQLITE_TRANSIENT);
  return collect (store, stmt, error);
}

GPtrArray *
relance_store_inbox_pending_replies (RelanceStore  *store,
                                     GError       **error)
{
  /* Only the reply that set each client's pause: older ones are superseded by it. */
  sqlite3_stmt *stmt = relance_store_prepare (store,
    MESSAGE_SELECT "JOIN client_mail_holds h ON h.reply_message = m.id "
    "WHERE m.kind = 'reply' AND m.decision IS NULL ORDER BY m.received_at, m.id", error);

  if (stmt == NULL)
    return NULL;
  return collect (store, stmt, error);
}

gboolean
relance_store_inbox_decide (RelanceStore  *store,
                            gint64         id,
                            const char    *decision,
                            GError       **error)
{
  static const char *decisions[] = { "resume", "dispute", "promise", "payment" };
  sqlite3_stmt *stmt;
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    known = known || g_strcmp0 (decision, decisions[i]) == 0;
  if (!known)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("Unknown decision “%s”: use resume, dispute, promise or payment."),
                   decision);
      return FALSE;
    }
  if (!relance_store_begin (store, error))
    return FALSE;
  stmt = relance_store_prepare (store,
    "UPDATE inbox_messages SET decision = ?2 WHERE id = ?1 AND kind = 'reply'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, decision, -1, SQLITE_STATIC);
  if (!run (store, stmt, error))
    goto fail;
  if (sqlite3_changes (relance_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                           _("This reply is no longer in the database."));
      goto fail;
    }
  /* Whatever the decision, the pause has done its job: the invoice's state (disputed,
   * promised, paid or open) now says what the planner does. */
  stmt = relance_store_prepare (store,
    "UPDATE client_mail_holds SET reply_paused_until = NULL, reply_message = NULL "
    "WHERE reply_message = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!run (store, stmt, error) || !relance_store_commit (store, error))
    goto fail;
  return TRUE;
fail:
  relance_store_rollback (store);
  return FALSE;
}

GHashTable *
relance_store_inbox_holds (RelanceStore  *store,
                           gint64         now,
                           GError       **error)
{
  g_autoptr(GHashTable) holds = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) relance_client_hold_free);
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT client_id, reply_paused_until, invalid_address FROM client_mail_holds "
    "WHERE reply_paused_until > ?1 OR invalid_address IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceClientHold *hold = g_new0 (RelanceClientHold, 1);
      gint64 until = sqlite3_column_int64 (stmt, 1);

      hold->client_id = sqlite3_column_int64 (stmt, 0);
      hold->reply_paused_until = until > now ? until : 0;
      hold->invalid_address = dup_column (stmt, 2);
      g_hash_table_insert (holds, &hold->client_id, hold);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&holds);
}

char *
relance_store_inbox_hold_reason (RelanceStore *store,
                                 gint64        outbox_id,
                                 gint64        now)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT h.reply_paused_until, h.invalid_address FROM outbox o "
    "JOIN client_mail_holds h ON h.client_id = o.client_id WHERE o.id = ?1", NULL);
  char *reason = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        reason = g_strdup (_("The client’s address bounced: reminders stop until it is "
                             "corrected."));
      else if (sqlite3_column_int64 (stmt, 0) > now)
        reason = g_strdup (_("The client replied: reminders wait for your decision."));
    }
  sqlite3_reset (stmt);
  return reason;
}

GPtrArray *
relance_store_inbox_invalid_addresses (RelanceStore  *store,
                                       GError       **error)
{
  g_autoptr(GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) relance_client_hold_free);
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT client_id, invalid_address FROM client_mail_holds "
    "WHERE invalid_address IS NOT NULL ORDER BY invalid_since", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceClientHold *hold = g_new0 (RelanceClientHold, 1);

      hold->client_id = sqlite3_column_int64 (stmt, 0);
      hold->invalid_address = dup_column (stmt, 1);
      g_ptr_array_add (result, hold);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

gboolean
relance_store_inbox_reminder_outstanding (RelanceStore *store)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT EXISTS (SELECT 1 FROM reminders r JOIN invoices i ON i.id = r.invoice_id "
    "WHERE r.state = 'sent' AND r.channel <> 'task' AND i.status = 'open' "
    "AND i.total > coalesce ((SELECT sum (p.amount) FROM payments p "
    "WHERE p.invoice_id = i.id), 0))", NULL);
  gboolean outstanding = FALSE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    outstanding = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return outstanding;
}
