/* relance-store-clients.c: clients: listing, finding by name or reference, saving. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
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
