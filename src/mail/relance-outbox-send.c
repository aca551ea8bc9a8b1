/* relance-outbox-send.c: the send loop. Every ready row is claimed, sent and recorded
 * one after the other over one connection (SMTP, or Brevo's API for SMS and Brevo
 * emails); the exchange runs in a worker thread and every write to the store happens on
 * the caller's main context (one connection, one thread).
 *
 * The outcome of the previous message is written while this one is sent: a crash leaves
 * at most these two `sending`, and both become `uncertain`, never sent twice. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-brevo.h"
#include "relance-clock.h"
#include "relance-credentials.h"
#include "relance-mail-error.h"
#include "relance-oauth.h"
#include "relance-outbox-private.h"
#include "relance-sms.h"

/* Every so many outcomes recorded, the batch checkpoints itself (about 500 pages). */
#define CHECKPOINT_EVERY_RECORDS 64

/* ---- the batch: a worker thread talking to the main context ----------------------- */

typedef struct
{
  RelanceStore          *store;
  GMainContext          *context;
  RelanceAccount        *account;
  gboolean               email_by_brevo; /* "account.transport" is "brevo" */
  gboolean               smtp_needed;    /* emails wait and go by SMTP */
  gboolean               brevo_needed;   /* emails by Brevo, or SMS, wait */
  char                  *sms_sender;
  RelanceOutboxCallback  callback;
  gpointer               callback_data;
  GAsyncQueue           *replies;
  GArray                *ready;       /* ids of rows to claim, in sending order */
  guint                  ready_next;  /* the next of them to try */
  RelanceOutboxReport    report;
  GError                *store_error; /* a write to the store failed: stop */
  guint                  records_since_checkpoint;
} SendJob;

typedef enum { REQUEST_CLAIM, REQUEST_RECORD } RequestKind;

typedef struct
{
  SendJob            *job;
  RequestKind         kind;
  RelanceOutboxItem  *item;       /* claim: out; record: in */
  RelanceSmtpOutcome  outcome;
  char               *reply;
  GError             *send_error;
  gint64              retry_after; /* seconds the server asked to wait, 0 when none */
  gboolean            claim_next; /* record: then claim the next row */
  RelanceOutboxItem  *next;       /* the row claimed after the record */
  gboolean            stop;       /* out: a write to the store failed */
} Request;

static void
send_job_free (SendJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->account, relance_account_free);
  g_clear_pointer (&job->sms_sender, g_free);
  g_clear_pointer (&job->replies, g_async_queue_unref);
  g_clear_pointer (&job->ready, g_array_unref);
  g_clear_error (&job->report.account_error);
  g_clear_error (&job->store_error);
  g_free (job);
}

static void
report_item (SendJob *job, const RelanceOutboxItem *item, const char *outcome)
{
  if (job->callback != NULL)
    job->callback (item, outcome, job->callback_data);
}

/* The id of the next row to try to claim, 0 when none is ready. The ready rows are listed
 * once and handed out in turn, then listed again when the list runs out (rows queued or
 * come due meanwhile): finding "the first ready row" for every message made a batch read
 * every queued row, raw message included, once per message. The list is only a hint:
 * relance_store_claim_outbox() decides, with its conditional update, whether a row is
 * still ours to send. */
static gint64
next_ready_id (SendJob *job, gint64 now)
{
  if (job->ready != NULL && job->ready_next < job->ready->len)
    return g_array_index (job->ready, gint64, job->ready_next++);

  g_clear_pointer (&job->ready, g_array_unref);
  job->ready_next = 0;
  job->ready = relance_store_list_ready_outbox (job->store, now, &job->store_error);
  if (job->ready == NULL || job->ready->len == 0)
    return 0;
  return g_array_index (job->ready, gint64, job->ready_next++);
}

/* Claims the next ready row for this batch, or NULL (none left, paused, or an error). */
static RelanceOutboxItem *
claim_next (SendJob *job, GDateTime *now_dt)
{
  gint64 now = g_date_time_to_unix (now_dt);
  RelanceOutboxItem *item = NULL;
  gboolean paused = FALSE;

  while (job->store_error == NULL && !paused)
    {
      RelanceOutboxItem *cancelled = NULL;
      gint64 id = next_ready_id (job, now);

      if (id == 0)
        break;
      if (!relance_outbox_hold_claim_lock (job->store, &job->store_error))
        break;
      item = relance_outbox_claim (job->store, id, now_dt, &cancelled, &paused,
                                   &job->store_error);
      if (cancelled != NULL)
        {
          job->report.cancelled++;
          report_item (job, cancelled, "cancelled");
          relance_outbox_item_free (cancelled);
        }
      if (item != NULL || job->store_error != NULL)
        break;
    }
  return item;
}

/* Writes the outcome of a message sent (or given back) and reports it. */
static void
record_outcome (SendJob            *job,
                RelanceOutboxItem  *item,
                RelanceSmtpOutcome  outcome,
                const char         *reply,
                const GError       *send_error,
                gint64              retry_after,
                gint64              now)
{
  if (!relance_outbox_record (job->store, item, outcome, reply, send_error, retry_after, now,
                              &job->store_error))
    g_warning ("Could not record the outcome of reminder %" G_GINT64_FORMAT ": %s",
               item->id, job->store_error->message);
  else if (outcome != RELANCE_SMTP_ACCOUNT)
    {
      if (g_str_equal (item->state, "sent"))
        job->report.sent++;
      else if (g_str_equal (item->state, "retry"))
        job->report.retry++;
      else
        job->report.failed++;
      report_item (job, item, item->state);
    }
}

/* Runs on the main context. */
static gboolean
handle_request (gpointer data)
{
  Request *request = data;
  SendJob *job = request->job;
  g_autoptr(GDateTime) now_dt = relance_clock_now ();
  gint64 now = g_date_time_to_unix (now_dt);
  g_autoptr(RelanceOutboxItem) item = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(GError) send_error = NULL;
  RelanceSmtpOutcome outcome;
  gint64 retry_after;

  if (request->kind == REQUEST_CLAIM)
    {
      request->item = claim_next (job, now_dt);
      request->stop = job->store_error != NULL;
      g_async_queue_push (job->replies, request);
      return G_SOURCE_REMOVE;
    }

  /* The next row is claimed first, in its own transaction as always just before it is
   * sent, and the worker sends it while this one's outcome is written: the SMTP exchange
   * no longer waits for the two commits of every message. A crash in between leaves both
   * rows `sending`, so both become uncertain: none is ever sent twice. */
  if (request->claim_next && job->store_error == NULL
      && request->outcome != RELANCE_SMTP_ACCOUNT)
    request->next = claim_next (job, now_dt);
  if (request->next == NULL)
    {
      /* The last one: its outcome is written before the worker ends the batch. */
      record_outcome (job, request->item, request->outcome, request->reply,
                      request->send_error, request->retry_after, now);
      request->stop = job->store_error != NULL;
      g_async_queue_push (job->replies, request);
      return G_SOURCE_REMOVE;
    }

  /* The request belongs to the worker again once pushed: keep what the record needs. The
   * worker reads only the request meanwhile, never the job (this thread writes it). */
  request->stop = job->store_error != NULL;
  item = g_steal_pointer (&request->item);
  reply = g_strdup (request->reply);
  send_error = request->send_error != NULL ? g_error_copy (request->send_error) : NULL;
  outcome = request->outcome;
  retry_after = request->retry_after;
  g_async_queue_push (job->replies, request);
  record_outcome (job, item, outcome, reply, send_error, retry_after, now);
  /* Checkpointing here, while the worker sends, keeps the WAL short (its pages are
   * rewritten in place, not appended to a growing file) and no claim ever waits for the
   * checkpoint's two fsyncs. */
  if (++job->records_since_checkpoint >= CHECKPOINT_EVERY_RECORDS)
    {
      job->records_since_checkpoint = 0;
      relance_store_checkpoint_wal (job->store);
    }
  return G_SOURCE_REMOVE;
}

static void
call_main (SendJob *job, Request *request)
{
  request->job = job;
  g_main_context_invoke (job->context, handle_request, request);
  g_async_queue_pop (job->replies);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendJob *job = task_data;
  g_autoptr(RelanceSmtpSession) session = NULL;
  g_autoptr(RelanceBrevoSession) brevo = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_bearer = FALSE;
  gboolean stopped = FALSE;
  RelanceOutboxItem *next = NULL;
  char *password;

  if (job->brevo_needed)
    {
      char *api_key = relance_brevo_api_key_lookup (cancellable, &error);

      if (api_key == NULL)
        {
          job->report.account_error = g_steal_pointer (&error);
          g_task_return_boolean (task, TRUE);
          return;
        }
      brevo = relance_brevo_session_new (job->account, api_key);
      memset (api_key, 0, strlen (api_key));
      g_free (api_key);
    }

  /* The password, or an OAuth access token refreshed when it has less than 5 minutes left. */
  password = job->smtp_needed ? relance_oauth_get_smtp_secret (job->account, cancellable,
                                                               &is_bearer, &error)
                              : NULL;
  if (password == NULL && job->smtp_needed)
    {
      job->report.account_error = g_steal_pointer (&error);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (password != NULL)
    {
      session = relance_smtp_session_new_with_secret (job->account, password, is_bearer);
      memset (password, 0, strlen (password));
      g_free (password);
    }

  {
    Request claim_request = { .kind = REQUEST_CLAIM };

    if (!g_cancellable_is_cancelled (cancellable))
      call_main (job, &claim_request);
    next = claim_request.item;
    stopped = claim_request.stop;
  }

  while (next != NULL && !stopped)
    {
      Request record_request = { .kind = REQUEST_RECORD };
      RelanceOutboxItem *item = next;

      /* Handed to the main context with the request, which may keep it. */
      record_request.item = g_steal_pointer (&next);
      if (item->raw == NULL || (g_str_equal (item->channel, "sms") || job->email_by_brevo
                                ? brevo == NULL : session == NULL))
        {
          /* Queued after this batch looked at the rows: the next batch opens its transport. */
          record_request.outcome = RELANCE_SMTP_ACCOUNT;
          g_set_error_literal (&record_request.send_error, RELANCE_MAIL_ERROR,
                               RELANCE_MAIL_ERROR_CONFIG,
                               _("New reminders arrived while sending: they will go out with "
                                 "the next pass."));
        }
      else if (g_str_equal (item->channel, "sms"))
        {
          g_autofree char *content = g_strndup (g_bytes_get_data (item->raw, NULL),
                                                g_bytes_get_size (item->raw));

          record_request.outcome = relance_brevo_session_send_sms (
            brevo, job->sms_sender, item->recipients[0], content, item->message_id,
            &record_request.reply, &record_request.send_error);
          record_request.retry_after = relance_brevo_session_get_retry_after (brevo);
        }
      else if (job->email_by_brevo)
        {
          record_request.outcome = relance_brevo_session_send (
            brevo, (const char * const *) item->recipients, item->raw, &record_request.reply,
            &record_request.send_error);
          record_request.retry_after = relance_brevo_session_get_retry_after (brevo);
        }
      else
        record_request.outcome = relance_smtp_session_send (session,
                                                            (const char * const *) item->recipients,
                                                            item->raw, &record_request.reply,
                                                            &record_request.send_error);
      /* Nothing more is claimed after an account error or a refused key. */
      record_request.claim_next = !g_cancellable_is_cancelled (cancellable)
        && record_request.outcome != RELANCE_SMTP_ACCOUNT
        && !(record_request.outcome == RELANCE_SMTP_PERMANENT
             && g_error_matches (record_request.send_error, RELANCE_MAIL_ERROR,
                                 RELANCE_MAIL_ERROR_AUTH));
      call_main (job, &record_request);
      g_clear_pointer (&record_request.item, relance_outbox_item_free);
      g_free (record_request.reply);
      next = record_request.next;
      stopped = record_request.stop;
      /* A refused key fails its row (Brevo 401/403) and stops the batch like an account
       * error, so the other rows wait for the owner instead of failing one by one. */
      if (record_request.outcome == RELANCE_SMTP_ACCOUNT
          || (record_request.outcome == RELANCE_SMTP_PERMANENT
              && g_error_matches (record_request.send_error, RELANCE_MAIL_ERROR,
                                  RELANCE_MAIL_ERROR_AUTH)))
        {
          /* A refused access token is not reused by the next batch. */
          if (is_bearer && g_error_matches (record_request.send_error, RELANCE_MAIL_ERROR,
                                            RELANCE_MAIL_ERROR_AUTH))
            relance_oauth_forget_access_token (job->account);
          job->report.account_error = g_steal_pointer (&record_request.send_error);
          break;
        }
      g_clear_error (&record_request.send_error);
    }

  /* Claimed but not sent (the batch stopped): give it back untouched, nobody sent it. */
  if (next != NULL)
    {
      Request record_request = { .kind = REQUEST_RECORD, .item = next,
                                 .outcome = RELANCE_SMTP_ACCOUNT };
      call_main (job, &record_request);
      g_clear_pointer (&next, relance_outbox_item_free);
    }

  if (job->store_error != NULL)
    g_task_return_error (task, g_error_copy (job->store_error));
  else
    g_task_return_boolean (task, TRUE);
}

void
relance_outbox_send_async (RelanceStore           *store,
                           GCancellable           *cancellable,
                           RelanceOutboxCallback   callback,
                           gpointer                callback_data,
                           GAsyncReadyCallback     ready,
                           gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, ready, user_data);
  g_autoptr(GError) error = NULL;
  SendJob *job;

  g_task_set_source_tag (task, relance_outbox_send_async);
  job = g_new0 (SendJob, 1);
  job->store = g_object_ref (store);
  job->context = g_main_context_ref_thread_default ();
  job->callback = callback;
  job->callback_data = callback_data;
  job->replies = g_async_queue_new ();
  g_task_set_task_data (task, job, (GDestroyNotify) send_job_free);
  /* The batch checkpoints the WAL itself, while the worker sends (relance-store-outbox.h);
   * relance_outbox_send_finish() gives SQLite its own checkpoints back. */
  relance_store_set_sending_batch (store, TRUE);
  job->account = relance_account_load (store, &error);
  if (job->account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autofree char *transport = relance_store_get_setting (store,
                                                            RELANCE_SETTING_ACCOUNT_TRANSPORT);
    g_autoptr(GDateTime) now = relance_clock_now ();
    gboolean emails = TRUE, sms = FALSE;

    if (!relance_store_get_waiting_channels (store, g_date_time_to_unix (now), &emails, &sms,
                                             &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    job->email_by_brevo = g_strcmp0 (transport, "brevo") == 0;
    job->smtp_needed = emails && !job->email_by_brevo;
    job->brevo_needed = (emails && job->email_by_brevo) || sms;
    job->sms_sender = relance_store_get_setting (store, RELANCE_SETTING_SMS_SENDER);
  }
  g_task_run_in_thread (task, send_thread);
}

gboolean
relance_outbox_send_finish (RelanceStore         *store,
                            GAsyncResult         *result,
                            RelanceOutboxReport  *report,
                            GError              **error)
{
  GTask *task = G_TASK (result);
  SendJob *job = g_task_get_task_data (task);

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  relance_store_set_sending_batch (store, FALSE);
  if (report != NULL)
    {
      *report = job->report;
      report->account_error = job->report.account_error != NULL
                                ? g_error_copy (job->report.account_error) : NULL;
    }
  return g_task_propagate_boolean (task, error);
}
