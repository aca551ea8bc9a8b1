/* relance-test-send.c: sending a rendered reminder to the owner, marked [TEST]. It goes
 * through the same account, credentials and SMTP session as reminders, so that what the
 * owner reads is what a client would get; it writes nothing to the store. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-account.h"
#include "relance-clock.h"
#include "relance-mail-error.h"
#include "relance-message.h"
#include "relance-oauth.h"
#include "relance-smtp.h"
#include "relance-test-send.h"

gboolean
relance_test_send (RelanceStore  *store,
                   const char    *subject,
                   const char    *text,
                   const char    *html,
                   char         **out_address,
                   GError       **error)
{
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(RelanceSmtpSession) session = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autofree char *message_id = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *marked = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GError) local = NULL;
  const char *to[2] = { NULL, NULL };
  RelanceMessageSpec spec = { 0 };
  RelanceSmtpOutcome outcome;
  gboolean is_bearer = FALSE;
  char *password;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (subject != NULL && text != NULL, FALSE);

  if ((account = relance_account_load (store, error)) == NULL)
    return FALSE;
  if ((password = relance_oauth_get_smtp_secret (account, NULL, &is_bearer, error)) == NULL)
    return FALSE;
  session = relance_smtp_session_new_with_secret (account, password, is_bearer);
  memset (password, 0, strlen (password));
  g_free (password);

  /* Never in the client's language only: "[TEST]" is the same mark in both. */
  marked = g_strdup_printf ("[TEST] %s", subject);
  to[0] = account->from_address;
  spec.from_name = account->from_name;
  spec.from_address = account->from_address;
  spec.reply_to = account->reply_to;
  spec.to = to;
  spec.to_name = account->from_name;
  spec.subject = marked;
  spec.text = text;
  spec.html = html;
  spec.date = now;
  spec.auto_submitted = TRUE;
  if ((raw = relance_message_build (&spec, &message_id, error)) == NULL)
    return FALSE;
  recipients = relance_message_spec_recipients (&spec);
  outcome = relance_smtp_session_send (session, (const char * const *) recipients, raw, &reply,
                                       &local);
  if (outcome != RELANCE_SMTP_SENT && is_bearer
      && g_error_matches (local, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH))
    relance_oauth_forget_access_token (account);
  if (outcome != RELANCE_SMTP_SENT)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (out_address != NULL)
    *out_address = g_strdup (account->from_address);
  return TRUE;
}

typedef struct
{
  char *db_path;
  char *subject;
  char *text;
  char *html;
} TestSendJob;

static void
test_send_job_free (TestSendJob *job)
{
  g_free (job->db_path);
  g_free (job->subject);
  g_free (job->text);
  g_free (job->html);
  g_free (job);
}

static void
test_send_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TestSendJob *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *address = NULL;

  if ((store = relance_store_open_quick (job->db_path, &error)) == NULL
      || !relance_test_send (store, job->subject, job->text, job->html, &address, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, address, g_free);
}

void
relance_test_send_async (const char          *db_path,
                         const char          *subject,
                         const char          *text,
                         const char          *html,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TestSendJob *job = g_new0 (TestSendJob, 1);

  job->db_path = g_strdup (db_path);
  job->subject = g_strdup (subject);
  job->text = g_strdup (text);
  job->html = g_strdup (html);
  g_task_set_source_tag (task, relance_test_send_async);
  g_task_set_task_data (task, job, (GDestroyNotify) test_send_job_free);
  g_task_run_in_thread (task, test_send_thread);
}

char *
relance_test_send_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
