/* relance-store-outbox-claim.c: claiming a row just before it is sent, recording what
 * became of it, and what a claimer that died left behind (see relance-store-outbox.h).
 *
 * Why each rule:
 *  - A row is claimed (queued/retry → sending) in a transaction of its own, with a
 *    conditional update: two processes never claim the same row.
 *  - Every claim checks the invoices again: a payment, cancellation, dispute, promise or
 *    pause recorded since the row was queued cancels it before anything leaves. This is
 *    the one place that rule lives; the command line, the window and the scheduler all
 *    send through it.
 *  - A claim's commit is durable (synchronous FULL): it survives a power cut, not only a
 *    crash, before its message leaves.
 *  - A row in `sending` whose claimer is gone is `uncertain`: the server may or may not
 *    have it; only the user may send it again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-date.h"
#include "relance-planner.h"
#include "relance-store-private.h"
#include "relance-store-inbox.h"
#include "relance-store-outbox-private.h"

/* ---- recovery --------------------------------------------------------------------- */

int
relance_store_recover_outbox (RelanceStore               *self,
                              RelanceOutboxClaimerAlive   alive,
                              gpointer                    user_data,
                              GError                    **error)
{
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (self), -1);
  g_return_val_if_fail (alive != NULL, -1);

  if (!relance_store_begin (self, error))
    return -1;
  stmt = relance_store_prepare (self,
    "SELECT id, claimed_by FROM outbox WHERE state = 'sending'", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!alive ((const char *) sqlite3_column_text (stmt, 1), user_data))
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (dead, id);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (self, error);
      goto fail;
    }

  for (guint i = 0; i < dead->len; i++)
    {
      gint64 id = g_array_index (dead, gint64, i);

      stmt = relance_store_prepare (self,
        "UPDATE outbox SET state = 'uncertain', last_error = ?2 WHERE id = ?1 "
        "AND state = 'sending'", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Relance stopped while this message was being sent: the "
                                    "server may or may not have received it."), -1,
                         SQLITE_TRANSIENT);
      if (!relance_store_outbox_run (self, stmt, error)
          || !relance_store_set_reminders_state (self, id, "uncertain", 0, error))
        goto fail;
      relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, 0, 0);
    }
  if (!relance_store_commit (self, error))
    goto fail;
  return (int) dead->len;

fail:
  relance_store_rollback (self);
  return -1;
}

/* ---- the rule that holds a reminder back ------------------------------------------ */

gboolean
relance_store_check_outbox_row (RelanceStore  *self,
                                gint64         id,
                                const GDate   *today,
                                gint64         now,
                                char         **reason,
                                GError       **error)
{
  g_autofree char *today_iso = NULL;
  sqlite3_stmt *stmt;
  gboolean wanted = TRUE;
  gint64 outstanding = 0;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (today != NULL && reason != NULL && *reason == NULL, FALSE);

  stmt = relance_store_prepare (self,
    "SELECT i.number, i.status, i.promise_date, c.paused, c.do_not_remind, i.total, "
    "coalesce ((SELECT sum (p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) "
    "FROM reminders r JOIN invoices i ON i.id = r.invoice_id "
    "JOIN clients c ON c.id = i.client_id WHERE r.outbox_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  today_iso = relance_date_to_iso (today);
  sqlite3_bind_int64 (stmt, 1, id);
  while (wanted && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 0);
      const char *status = (const char *) sqlite3_column_text (stmt, 1);
      const char *promise = (const char *) sqlite3_column_text (stmt, 2);

      if (sqlite3_column_int64 (stmt, 6) >= sqlite3_column_int64 (stmt, 5))
        *reason = g_strdup_printf (_("Invoice %s was paid before the reminder left."), number);
      else if (g_strcmp0 (status, "open") != 0)
        *reason = g_strdup_printf (_("Invoice %s was marked %s before the reminder left."),
                                   number, status);
      else if (promise != NULL && g_strcmp0 (promise, today_iso) >= 0)
        *reason = g_strdup_printf (_("A payment was promised for invoice %s."), number);
      else if (sqlite3_column_int (stmt, 3) || sqlite3_column_int (stmt, 4))
        *reason = g_strdup (_("Reminders to this client were paused."));
      wanted = *reason == NULL;
      outstanding += sqlite3_column_int64 (stmt, 5) - sqlite3_column_int64 (stmt, 6);
    }
  sqlite3_reset (stmt);

  /* A partial payment since the message was prepared: it would ask for the old amount. */
  if (wanted)
    {
      stmt = relance_store_prepare (self, "SELECT amount_due FROM outbox WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
          && sqlite3_column_int64 (stmt, 0) != outstanding)
        *reason = g_strdup (_("A payment was recorded since the reminder was prepared: it will "
                              "be prepared again with the amount still due."));
      sqlite3_reset (stmt);
    }

  /* A reply or a bounce since the row was queued (relance-store-inbox.c). */
  if (*reason == NULL)
    *reason = relance_store_inbox_hold_reason (self, id, now);
  return TRUE;
}

int
relance_store_cancel_waiting_outbox (RelanceStore  *self,
                                     gint64         outbox_id,
                                     gint64         client_id,
                                     const char    *reason,
                                     const GDate   *today,
                                     GError       **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autofree char *today_iso = today != NULL ? relance_date_to_iso (today) : NULL;
  sqlite3_stmt *stmt;
  int cancelled = 0;

  g_return_val_if_fail (RELANCE_IS_STORE (self), -1);
  g_return_val_if_fail (outbox_id > 0 || client_id > 0, -1);
  g_return_val_if_fail (reason != NULL, -1);

  if (outbox_id > 0)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, outbox_id);
    }
  else
    {
      stmt = relance_store_prepare (self,
        "SELECT id FROM outbox WHERE client_id = ?1 AND state IN ('queued', 'retry')", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, client_id);
      if ((ids = relance_store_outbox_collect_ids (self, stmt, error)) == NULL)
        return -1;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      stmt = relance_store_prepare (self,
        "UPDATE outbox SET state = 'cancelled', last_error = ?2 WHERE id = ?1 "
        "AND state IN ('queued', 'retry')", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
      if (!relance_store_outbox_run (self, stmt, error))
        return -1;
      if (sqlite3_changes (relance_store_get_db (self)) != 1)
        continue; /* sent, or decided about, meanwhile */

      if (today_iso == NULL)
        {
          /* A hold on the client: every step is planned again once it is over. */
          stmt = relance_store_prepare (self, "DELETE FROM reminders WHERE outbox_id = ?1",
                                        error);
          if (stmt == NULL)
            return -1;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!relance_store_outbox_run (self, stmt, error))
            return -1;
        }
      else
        {
          /* The invoices still unpaid will be planned again, without the others, whose
           * reminders stay on their timeline, cancelled. */
          stmt = relance_store_prepare (self,
            "DELETE FROM reminders WHERE outbox_id = ?1 AND invoice_id IN (SELECT i.id FROM "
            "invoices i JOIN clients c ON c.id = i.client_id WHERE i.status = 'open' "
            "AND c.paused = 0 AND c.do_not_remind = 0 AND (i.promise_date IS NULL "
            "OR i.promise_date < ?2) AND i.total > coalesce ((SELECT sum (p.amount) "
            "FROM payments p WHERE p.invoice_id = i.id), 0))", error);
          if (stmt == NULL)
            return -1;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_text (stmt, 2, today_iso, -1, SQLITE_STATIC);
          if (!relance_store_outbox_run (self, stmt, error)
              || !relance_store_set_reminders_state (self, id, "cancelled", 0, error))
            return -1;
        }
      relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, client_id, 0);
      cancelled++;
    }
  return cancelled;
}

/* ---- claiming --------------------------------------------------------------------- */

/* Everything is read and written in the one transaction: each transaction costs more
 * than the statements of a claim. */
static RelanceOutboxItem *
claim_in_transaction (RelanceStore        *self,
                      gint64               id,
                      const char          *claimer,
                      gint64               now,
                      const GDate         *today,
                      RelanceOutboxItem  **cancelled,
                      gboolean            *paused,
                      GError             **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *pause_setting = NULL;
  RelanceOutboxItem *item;
  sqlite3_stmt *stmt;

  if (!relance_store_begin (self, error))
    return NULL;
  pause_setting = relance_store_get_setting (self, RELANCE_SETTING_PAUSED);
  if (g_strcmp0 (pause_setting, "true") == 0)
    {
      *paused = TRUE;
      relance_store_rollback (self);
      return NULL;
    }
  if (!relance_store_check_outbox_row (self, id, today, now, &reason, error))
    goto fail;

  if (reason != NULL)
    {
      int closed = relance_store_cancel_waiting_outbox (self, id, 0, reason, today, error);

      if (closed < 0)
        goto fail;
      if (closed == 1)
        {
          *cancelled = relance_store_get_outbox_item (self, id, FALSE, NULL);
          if (*cancelled != NULL)
            relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX,
                                       (*cancelled)->client_id, 0);
        }
      if (!relance_store_commit (self, error))
        goto fail;
      return NULL;
    }

  stmt = relance_store_prepare (self,
    "UPDATE outbox SET state = 'sending', claimed_by = ?2, attempts = attempts + 1 "
    "WHERE id = ?1 AND (state = 'queued' OR (state = 'retry' "
    "AND coalesce (next_attempt_at, 0) <= ?3))", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, claimer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!relance_store_outbox_run (self, stmt, error))
    goto fail;
  if (sqlite3_changes (relance_store_get_db (self)) != 1)
    {
      relance_store_rollback (self);
      return NULL; /* another process has it */
    }
  if (!relance_store_set_reminders_state (self, id, "sending", 0, error)
      || (item = relance_store_get_outbox_item (self, id, TRUE, error)) == NULL)
    goto fail;
  relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, item->client_id, 0);
  if (!relance_store_commit (self, error))
    {
      relance_outbox_item_free (item);
      goto fail;
    }
  return item;

fail:
  relance_store_rollback (self);
  return NULL;
}

RelanceOutboxItem *
relance_store_claim_outbox (RelanceStore        *self,
                            gint64               id,
                            const char          *claimer,
                            gint64               now,
                            const GDate         *today,
                            RelanceOutboxItem  **cancelled,
                            gboolean            *paused,
                            GError             **error)
{
  RelanceOutboxItem *item;

  g_return_val_if_fail (RELANCE_IS_STORE (self), NULL);
  g_return_val_if_fail (claimer != NULL && today != NULL, NULL);
  g_return_val_if_fail (cancelled != NULL && *cancelled == NULL && paused != NULL, NULL);

  /* The claim is on the disk before its message leaves: with synchronous = NORMAL a power
   * cut just after the send could roll the claim back (a kill -9 could not), and the
   * reminder would go again. A durable commit syncs the WAL, and with it whatever was
   * committed before (the queueing, the previous outcome). The outcome's own commit stays
   * NORMAL: if it is lost, the row is found `sending` and becomes `uncertain`, never sent
   * again by itself. Proved by test_power_cut_never_sends_twice (test-sending.py). */
  relance_store_set_durable_commits (self, TRUE);
  item = claim_in_transaction (self, id, claimer, now, today, cancelled, paused, error);
  relance_store_set_durable_commits (self, FALSE);
  return item;
}

/* ---- recording -------------------------------------------------------------------- */

gboolean
relance_store_record_outbox (RelanceStore       *self,
                             RelanceOutboxItem  *item,
                             const char         *state,
                             gint64              next_attempt_at,
                             const char         *reply,
                             const char         *last_error,
                             gboolean            given_back,
                             gint64              now,
                             GError            **error)
{
  gboolean sent;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELANCE_IS_STORE (self), FALSE);
  g_return_val_if_fail (item != NULL && state != NULL, FALSE);

  sent = g_str_equal (state, "sent");
  if (!relance_store_begin (self, error))
    return FALSE;
  stmt = relance_store_prepare (self,
    "UPDATE outbox SET state = ?2, sent_at = ?3, next_attempt_at = ?4, server_reply = "
    "coalesce (?5, server_reply), last_error = ?6, claimed_by = NULL, "
    "attempts = attempts - ?7 WHERE id = ?1 AND (state = 'sending' "
    "OR (?2 = 'sent' AND state = 'uncertain'))", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, item->id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (sent)
    sqlite3_bind_int64 (stmt, 3, now);
  if (next_attempt_at > 0)
    sqlite3_bind_int64 (stmt, 4, next_attempt_at);
  if (reply != NULL)
    sqlite3_bind_text (stmt, 5, reply, -1, SQLITE_STATIC);
  if (last_error != NULL)
    sqlite3_bind_text (stmt, 6, last_error, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, given_back ? 1 : 0);
  if (!relance_store_outbox_run (self, stmt, error))
    goto fail;
  if (sqlite3_changes (relance_store_get_db (self)) == 0)
    {
      /* Someone decided about this row meanwhile (cancelled by the user…): say it, the
       * outcome is not lost from the logs. */
      g_warning ("Reminder %" G_GINT64_FORMAT " was no longer being sent when its outcome "
                 "(%s) arrived", item->id, state);
    }
  if (!relance_store_set_reminders_state (self, item->id, state, sent ? now : 0, error))
    goto fail;
  relance_store_note_change (self, RELANCE_STORE_CHANGED_OUTBOX, item->client_id, 0);
  if (!relance_store_commit (self, error))
    goto fail;

  g_free (item->state);
  item->state = g_strdup (state);
  item->next_attempt_at = next_attempt_at;
  if (sent)
    item->sent_at = now;
  g_free (item->server_reply);
  item->server_reply = g_strdup (reply);
  g_free (item->last_error);
  item->last_error = g_strdup (last_error);
  return TRUE;

fail:
  relance_store_rollback (self);
  return FALSE;
}
