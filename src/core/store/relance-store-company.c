/* relance-store-company.c: the company profile (one row) and the settings table. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-error.h"
#include "relance-language.h"
#include "relance-money.h"
#include "relance-planner.h"
#include "relance-store-company.h"
#include "relance-store-private.h"
#include "relance-store.h"

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
  company->name = relance_store_column_dup (stmt, 0);
  company->address = relance_store_column_dup (stmt, 1);
  company->country = relance_store_column_dup (stmt, 2);
  company->siret = relance_store_column_dup (stmt, 3);
  company->vat = relance_store_column_dup (stmt, 4);
  company->iban = relance_store_column_dup (stmt, 5);
  company->bic = relance_store_column_dup (stmt, 6);
  company->currency = relance_store_column_dup (stmt, 7);
  company->language = relance_store_column_dup (stmt, 8);
  company->payment_terms = sqlite3_column_int (stmt, 9);
  company->penalty_rate = relance_store_column_dup (stmt, 10);
  company->payment_link = relance_store_column_dup (stmt, 11);
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
  relance_store_bind_text_or_null (stmt, 4, company->siret);
  relance_store_bind_text_or_null (stmt, 5, company->vat);
  relance_store_bind_text_or_null (stmt, 6, company->iban);
  relance_store_bind_text_or_null (stmt, 7, company->bic);
  sqlite3_bind_text (stmt, 8, company->currency != NULL ? company->currency : "EUR", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, company->language != NULL ? company->language : "fr", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 10, company->payment_terms);
  relance_store_bind_text_or_null (stmt, 11, company->penalty_rate);
  relance_store_bind_text_or_null (stmt, 12, company->payment_link);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self, error);
  relance_store_note_change (self, RELANCE_STORE_CHANGED_SETTINGS, 0, 0);
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
    value = relance_store_column_dup (stmt, 0);
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
  relance_store_note_change (self, RELANCE_STORE_CHANGED_SETTINGS, 0, 0);
  return TRUE;
}

gboolean
relance_store_get_reminders_paused (RelanceStore *self)
{
  g_autofree char *value = relance_store_get_setting (self, RELANCE_SETTING_PAUSED);

  return g_strcmp0 (value, "true") == 0;
}

gboolean
relance_store_set_reminders_paused (RelanceStore  *self,
                                    gboolean       paused,
                                    GError       **error)
{
  return relance_store_set_setting (self, RELANCE_SETTING_PAUSED, paused ? "true" : "false",
                                    error);
}
