/* relance-outbox-queue.c: planned reminders become outbox rows: every message rendered
 * and built (the MIME email with its QR code and letter, or the SMS text) outside any
 * transaction, then written a few at a time by relance_store_queue_outbox(); tasks done by
 * the owner are recorded the same way (see relance-outbox.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-epc-qr.h"
#include "relance-letter.h"
#include "relance-mail-error.h"
#include "relance-message.h"
#include "relance-outbox-private.h"
#include "relance-sms.h"

/* ---- rows from planned messages ------------------------------------------------------ */

/* Fills @row from planned message @msg (what it asks for, its reminders: each invoice at
 * its own step); returns the ids the row points at, to free once it is written. */
static gint64 *
row_from_planned (RelanceOutboxRow            *row,
                  const RelancePlannedMessage *msg,
                  const char                  *state,
                  gint64                       now)
{
  guint n = msg->invoices->len;
  gint64 *ids = g_new0 (gint64, 2 * n + 1);

  *row = (RelanceOutboxRow) {
    .client_id = msg->client->id, .channel = msg->channel, .tone = msg->step->tone,
    .scenario_key = msg->scenario_key, .step_offset = msg->step->offset_days,
    .template_key = msg->template_key, .state = state,
    .scheduled_at = g_date_time_to_unix (msg->scheduled_at), .queued_at = now,
    .sent_at = g_str_equal (state, "done") ? now : 0,
    .ab_test_id = msg->ab_test_id, .ab_variant = msg->ab_variant,
    .handover = msg->handover, .n_invoices = n, .invoice_ids = ids, .step_ids = ids + n,
  };
  for (guint i = 0; i < n; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);

      row->amount_due += relance_invoice_get_outstanding (p->invoice);
      ids[i] = p->invoice->id;
      ids[n + i] = p->step->id;
    }
  return ids;
}

static RelanceOutboxItem *
item_from_planned (const RelancePlannedMessage *msg, gint64 id, const char *state,
                   const char *subject, gint64 now)
{
  RelanceOutboxItem *item = g_new0 (RelanceOutboxItem, 1);
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();

  item->id = id;
  item->client_id = msg->client->id;
  item->client_name = g_strdup (msg->client->name);
  item->channel = g_strdup (msg->channel);
  item->tone = g_strdup (msg->step->tone);
  item->scenario_key = g_strdup (msg->scenario_key);
  item->step_offset = msg->step->offset_days;
  item->template_key = g_strdup (msg->template_key);
  item->state = g_strdup (state);
  item->subject = g_strdup (subject);
  item->scheduled_at = g_date_time_to_unix (msg->scheduled_at);
  item->queued_at = now;
  for (guint i = 0; i < msg->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);
      g_strv_builder_add (numbers, p->invoice->number);
    }
  item->invoices = g_strv_builder_end (numbers);
  return item;
}


/* ---- friendly channels: tasks done by the owner ------------------------------------- */

static const char *
task_note (RelanceTaskOutcome outcome, const char *language)
{
  gboolean fr = g_strcmp0 (language, "fr") == 0;

  /* Kept in the client's language like the texts they sit beside on the timeline. */
  switch (outcome)
    {
    case RELANCE_TASK_WHATSAPP_SENT:
      return fr ? "Message WhatsApp envoyé" : "WhatsApp message sent";
    case RELANCE_TASK_CALL_PROMISE:
      return fr ? "Appel : promesse de paiement" : "Call: promise to pay";
    case RELANCE_TASK_CALL_DISPUTE:
      return fr ? "Appel : litige" : "Call: dispute";
    case RELANCE_TASK_CALL_PAID:
      return fr ? "Appel : réglé selon le client" : "Call: paid, says the client";
    case RELANCE_TASK_CALL_REACHED:
    case RELANCE_TASK_CALL_NO_ANSWER:
    default:
      return fr ? "Appel : client joint" : "Call: client reached";
    }
}

gboolean
relance_outbox_record_task (RelanceStore                 *store,
                            const RelancePlannedMessage  *message,
                            RelanceTaskOutcome            outcome,
                            const GDate                  *promise_date,
                            GDateTime                    *now,
                            GError                      **error)
{
  g_autofree char *text = NULL;
  g_autofree gint64 *reminder_ids = NULL;
  g_autoptr(GBytes) raw = NULL;
  RelanceOutboxRow row;
  gint64 id;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (message != NULL && now != NULL, FALSE);
  g_return_val_if_fail (outcome != RELANCE_TASK_CALL_PROMISE || promise_date != NULL, FALSE);

  if (outcome == RELANCE_TASK_CALL_NO_ANSWER)
    return TRUE;

  /* The proof kept is the rendered task (the WhatsApp text the owner sent). */
  if (!relance_planner_render (store, message, NULL, &text, NULL, error))
    return FALSE;
  raw = g_bytes_new (text, strlen (text));
  reminder_ids = row_from_planned (&row, message, "done", g_date_time_to_unix (now));
  row.subject = task_note (outcome, message->language);
  row.raw = raw;
  if (!relance_store_queue_outbox (store, &row, 1, FALSE, &id, error))
    return FALSE;

  /* The outcome, exactly as the commands apply it. */
  for (guint i = 0; i < message->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);
      g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, p->invoice->number,
                                                                     error);
      g_autoptr(RelancePayment) payment = NULL;
      GDate today;

      if (invoice == NULL)
        return FALSE;
      switch (outcome)
        {
        case RELANCE_TASK_CALL_PROMISE:
          invoice->promise_date = *promise_date;
          if (!relance_store_save_invoice (store, invoice, error))
            return FALSE;
          break;
        case RELANCE_TASK_CALL_DISPUTE:
          if (!relance_store_set_invoice_status (store, invoice->number, "disputed", error))
            return FALSE;
          break;
        case RELANCE_TASK_CALL_PAID:
          g_date_clear (&today, 1);
          g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                          g_date_time_get_month (now), g_date_time_get_year (now));
          if (relance_invoice_get_outstanding (invoice) > 0
              && (payment = relance_store_pay (store, invoice->number, -1, &today,
                                               error)) == NULL)
            return FALSE;
          break;
        case RELANCE_TASK_WHATSAPP_SENT:
        case RELANCE_TASK_CALL_REACHED:
        case RELANCE_TASK_CALL_NO_ANSWER:
        default:
          break;
        }
    }
  return TRUE;
}

#define PAYMENT_QR_CID "epc-qr@relance"

static RelanceAttachment *
attachment_new (const char *filename, const char *mime_type, GBytes *data, const char *cid)
{
  RelanceAttachment *att = g_new0 (RelanceAttachment, 1);

  att->filename = g_strdup (filename);
  att->mime_type = g_strdup (mime_type);
  att->data = g_bytes_ref (data);
  att->content_id = g_strdup (cid);
  return att;
}

static void
attachment_free (RelanceAttachment *att)
{
  g_free (att->filename);
  g_free (att->mime_type);
  g_clear_pointer (&att->data, g_bytes_unref);
  g_free (att->content_id);
  g_free (att);
}

/* The EPC QR code (SEPA credit transfer) for what the message asks, or NULL when the
 * company has no valid IBAN or the invoices are not in euros. */
static GBytes *
payment_qr (const RelanceCompany *company, const RelancePlannedMessage *msg)
{
  /* The same ISO 11649 reference as the text ({{payment.reference}}), in the code's
   * structured-reference field: the statement brings it back. */
  g_autofree char *reference = relance_planner_payment_reference (msg);
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  GBytes *png;

  if (company == NULL || company->iban == NULL || g_strcmp0 (msg->currency, "EUR") != 0)
    return NULL;
  for (guint i = 0; i < msg->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);
      amount += relance_invoice_get_outstanding (p->invoice);
    }
  png = relance_epc_qr_png (company, amount, msg->currency, reference, 4, &error);
  if (png == NULL)
    g_debug ("No payment QR code in the reminder: %s", error->message);
  return png;
}

/* Words written to the client, in the client's language (which may not be the language
 * of this process, so not gettext: like the templates, they are content). */
static const char *
client_words (const char *language, const char *fr, const char *en)
{
  return g_strcmp0 (language, "fr") == 0 ? fr : en;
}

/* Adds the QR code and the payment button at the end of the HTML body. */
static char *
decorate_html (const char *html, gboolean with_qr, const char *link, const char *language)
{
  g_autoptr(GString) extra = g_string_new (NULL);
  const char *body_end;

  if (link != NULL && *link != '\0'
      && (g_str_has_prefix (link, "https://") || g_str_has_prefix (link, "http://")))
    {
      g_autofree char *href = g_markup_escape_text (link, -1);
      g_string_append_printf (extra,
        "<p style=\"margin:24px 0\"><a href=\"%s\" style=\"display:inline-block;"
        "padding:10px 20px;background:#1c71d8;color:#ffffff;border-radius:6px;"
        "text-decoration:none;font-weight:bold\">%s</a></p>\n", href,
        client_words (language, "Payer en ligne", "Pay online"));
    }
  if (with_qr)
    g_string_append_printf (extra,
      "<p style=\"margin:24px 0 4px\"><img src=\"cid:" PAYMENT_QR_CID "\" width=\"180\" "
      "height=\"180\" alt=\"%s\"></p>\n<p style=\"margin:0;color:#5e5c64;font-size:90%%\">"
      "%s</p>\n",
      client_words (language, "QR code de virement SEPA", "SEPA transfer QR code"),
      client_words (language, "Scannez ce code avec l’application de votre banque pour payer "
                              "par virement.",
                    "Scan this code with your banking app to pay by bank transfer."));
  if (extra->len == 0 || (body_end = g_strrstr (html, "</body>")) == NULL)
    return g_strdup (html);
  return g_strdup_printf ("%.*s%s%s", (int) (body_end - html), html, extra->str, body_end);
}

/* Builds the email of one planned message. NULL with @error when it cannot be built (the
 * row is then recorded `failed` with that reason, visible to the user). */
static GBytes *
build_email (RelanceStore *store, const RelanceAccount *account,
             const RelanceCompany *company, const RelancePlannedMessage *msg, GDateTime *now,
             char **out_subject, char **out_recipients, char **out_message_id, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_auto(GStrv) cc = NULL;
  g_auto(GStrv) envelope = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GBytes) qr = NULL;
  g_autofree char *link = NULL;
  g_autofree char *decorated = NULL;
  const char *to[2] = { msg->client->email, NULL };
  const char *bcc[2] = { account->from_address, NULL };
  RelanceMessageSpec spec = { 0 };

  if (!relance_planner_render (store, msg, out_subject, &text, &html, error))
    return NULL;
  if (msg->client->email == NULL || *msg->client->email == '\0')
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                   /* Translators: %s is a client name */
                   _("%s has no email address: add one to send reminders."), msg->client->name);
      return NULL;
    }
  cc = relance_outbox_split_addresses (msg->client->cc);

  spec.from_name = account->from_name;
  spec.from_address = account->from_address;
  spec.reply_to = account->reply_to;
  spec.to = to;
  spec.to_name = msg->client->name;
  spec.cc = (const char * const *) cc;
  spec.bcc = account->bcc_self ? bcc : NULL;
  spec.subject = *out_subject;
  spec.text = text;
  spec.html = html;
  spec.date = now;
  spec.auto_submitted = TRUE;

  /* Pay in one step: the EPC QR code inline, the payment link as a button, and the
   * formal notice as a PDF letter, when they apply. */
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  link = relance_planner_payment_link (store, msg);
  qr = payment_qr (company, msg);
  if (qr != NULL)
    g_ptr_array_add (attachments, attachment_new ("virement-sepa.png", "image/png", qr,
                                                  PAYMENT_QR_CID));
  decorated = decorate_html (html, qr != NULL, link, msg->language);
  if (msg->step->with_letter)
    {
      g_autoptr(RelanceLetter) letter = relance_letter_new (store, NULL, msg->invoices, now, NULL,
                                                            error);
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *filename = NULL;

      if (letter == NULL || (pdf = relance_letter_to_pdf (letter, error)) == NULL)
        return NULL;
      filename = relance_letter_get_filename (letter);
      g_ptr_array_add (attachments, attachment_new (filename, "application/pdf", pdf, NULL));
    }
  spec.html = decorated;
  spec.attachments = attachments;

  envelope = relance_message_spec_recipients (&spec);
  *out_recipients = g_strjoinv (",", envelope);
  return relance_message_build (&spec, out_message_id, error);
}

/* Renders one planned SMS: its text (GSM-7 spelling when that keeps every character
 * readable) is the proof kept as `raw`; the recipient is the client's mobile in E.164. */
static GBytes *
build_sms (RelanceStore *store, const RelancePlannedMessage *msg, char **out_subject,
           char **out_recipients, char **out_message_id, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *gsm = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  RelanceSmsCount count;
  const char *country = msg->client->country;

  if (!relance_planner_render (store, msg, out_subject, &text, NULL, error))
    return NULL;
  if (country == NULL && (company = relance_store_get_company (store, NULL)) != NULL)
    country = company->country;
  if ((*out_recipients = relance_phone_normalise_mobile (msg->client->phone, country,
                                                         error)) == NULL)
    return NULL;
  g_strstrip (text);
  gsm = relance_sms_transliterate (text, NULL);
  relance_sms_count (gsm, &count);
  if (count.encoding == RELANCE_SMS_GSM7)
    {
      g_free (text);
      text = g_steal_pointer (&gsm);
    }
  uuid = g_uuid_string_random ();
  /* Also the idempotency tag sent with it: the same row always carries the same one. */
  *out_message_id = g_strdup_printf ("%s@sms.relance", uuid);
  return g_bytes_new (text, strlen (text));
}

/* A message built and waiting for its batch to be written. */
typedef struct
{
  RelancePlannedMessage *msg;  /* borrowed from the plan */
  const char            *state;
  GBytes                *raw;
  char                  *subject;
  char                  *recipients;
  char                  *message_id;
  GError                *build_error;
} BuiltRow;

static void
built_row_clear (BuiltRow *row)
{
  g_clear_pointer (&row->raw, g_bytes_unref);
  g_clear_pointer (&row->subject, g_free);
  g_clear_pointer (&row->recipients, g_free);
  g_clear_pointer (&row->message_id, g_free);
  g_clear_error (&row->build_error);
}

/* Rows are built outside any transaction and written a few at a time: one commit per row
 * held the write lock (and rewrote the WAL and the other connection's page cache) once per
 * message while the sending connection claimed and recorded rows in between. A batch is
 * written when it is this old or this long, so the first messages leave at once. */
#define QUEUE_BATCH_MAX 32
#define QUEUE_BATCH_US  (4 * 1000)

/* Writes @batch (one transaction): a row another process queued first is left out. */
static gboolean
write_batch (RelanceStore  *store,
             GArray        *batch,
             gint64         now_unix,
             GPtrArray     *queued,
             gboolean      *any_queued,
             GError       **error)
{
  g_autofree RelanceOutboxRow *rows = g_new0 (RelanceOutboxRow, batch->len);
  g_autofree gint64 *ids = g_new0 (gint64, batch->len);
  g_autoptr(GPtrArray) reminder_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < batch->len; i++)
    {
      BuiltRow *built = &g_array_index (batch, BuiltRow, i);

      g_ptr_array_add (reminder_ids, row_from_planned (&rows[i], built->msg, built->state,
                                                       now_unix));
      rows[i].recipients = built->recipients;
      rows[i].subject = built->subject;
      rows[i].message_id = built->message_id;
      rows[i].raw = built->raw;
      rows[i].last_error = built->build_error != NULL ? built->build_error->message : NULL;
    }
  if (!relance_store_queue_outbox (store, rows, batch->len, TRUE, ids, error))
    return FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      BuiltRow *built = &g_array_index (batch, BuiltRow, i);
      RelanceOutboxItem *item;

      if (ids[i] == 0)
        continue; /* another process queued it first: it is theirs to send */
      item = item_from_planned (built->msg, ids[i], built->state, built->subject, now_unix);
      item->last_error = g_strdup (rows[i].last_error);
      g_ptr_array_add (queued, item);
      *any_queued |= g_str_equal (built->state, "queued");
    }
  return TRUE;
}

/* Stops between messages when @cancellable is cancelled: the rows already committed stay
 * queued and the next pass sends them. */
static GPtrArray *
queue_due (RelanceStore  *store,
           GDateTime     *now,
           GCancellable  *cancellable,
           void         (*row_queued) (gpointer data),
           gpointer       row_data,
           GError       **error)
{
  g_autoptr(GPtrArray) planned = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GArray) batch = g_array_new (FALSE, TRUE, sizeof (BuiltRow));
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  gint64 now_unix = g_date_time_to_unix (now);
  gint64 batch_started = 0;

  g_array_set_clear_func (batch, (GDestroyNotify) built_row_clear);
  planned = relance_planner_plan (store, now, now, RELANCE_PLAN_ALL, error);
  if (planned == NULL)
    return NULL;
  queued = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_outbox_item_free);

  for (guint i = 0; i < planned->len; i++)
    {
      RelancePlannedMessage *msg = g_ptr_array_index (planned, i);
      BuiltRow row = { .msg = msg };
      gboolean any_queued = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* A WhatsApp message or a phone call is the owner's to do: it stays planned (shown in
       * Upcoming) until they say it was sent or how the call went (relance_outbox_record_task). */
      if (g_str_equal (msg->channel, "task") && !msg->handover)
        continue;
      if (g_str_equal (msg->channel, "email"))
        {
          if (account == NULL && (account = relance_account_load (store, error)) == NULL)
            return NULL;
          /* Read once per pass, not once per message: the company is the same for all. */
          if (company == NULL)
            company = relance_store_get_company (store, NULL);
          row.raw = build_email (store, account, company, msg, now, &row.subject,
                                 &row.recipients, &row.message_id, &row.build_error);
          row.state = row.raw != NULL ? "queued" : "failed";
        }
      else if (g_str_equal (msg->channel, "sms"))
        {
          row.raw = build_sms (store, msg, &row.subject, &row.recipients, &row.message_id,
                               &row.build_error);
          row.state = row.raw != NULL ? "queued" : "failed";
        }
      else
        {
          /* Tasks and letters go to the owner: handed over now, shown in the history. */
          if (!relance_planner_render (store, msg, &row.subject, NULL, NULL, error))
            return NULL;
          row.state = "done";
        }

      if (batch->len == 0)
        batch_started = g_get_monotonic_time ();
      g_array_append_val (batch, row);
      if (batch->len < QUEUE_BATCH_MAX && i + 1 < planned->len
          && g_get_monotonic_time () - batch_started < QUEUE_BATCH_US)
        continue;

      if (!write_batch (store, batch, now_unix, queued, &any_queued, error))
        return NULL;
      g_array_set_size (batch, 0);
      if (row_queued != NULL && any_queued)
        row_queued (row_data);
    }
  /* The last messages planned were the owner's tasks, left out: what came before them. */
  if (batch->len > 0)
    {
      gboolean any_queued = FALSE;

      if (!write_batch (store, batch, now_unix, queued, &any_queued, error))
        return NULL;
      if (row_queued != NULL && any_queued)
        row_queued (row_data);
    }
  return g_steal_pointer (&queued);
}

GPtrArray *
relance_outbox_queue_due (RelanceStore  *store,
                          GDateTime     *now,
                          GError       **error)
{
  return queue_due (store, now, NULL, NULL, NULL, error);
}

typedef struct
{
  char         *db_path;
  GDateTime    *now;
  GMainContext *context;     /* the caller's */
  GSourceFunc   row_queued;  /* may be NULL */
  gpointer      row_data;
  gint          notify_pending;
} QueueJob;

/* A job outlives its task while a "rows queued" call is on its way: reference-counted. */
static void
queue_job_clear (QueueJob *job)
{
  g_free (job->db_path);
  g_date_time_unref (job->now);
  g_clear_pointer (&job->context, g_main_context_unref);
}

static void
queue_job_release (gpointer job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) queue_job_clear);
}

static gboolean
deliver_row_queued (gpointer data)
{
  QueueJob *job = data;

  g_atomic_int_set (&job->notify_pending, 0);
  job->row_queued (job->row_data);
  return G_SOURCE_REMOVE;
}

/* In the worker: tell the caller a row was committed; several in a row make one call. */
static void
notify_row_queued (gpointer data)
{
  QueueJob *job = data;

  if (job->row_queued != NULL && g_atomic_int_compare_and_exchange (&job->notify_pending, 0, 1))
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_row_queued,
                                g_atomic_rc_box_acquire (job), queue_job_release);
}

/* Planning and building every email (GMime, the QR code, the PDF letter) takes seconds
 * with many invoices: done here, on a connection of this thread's own. */
static void
queue_due_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  QueueJob *job = task_data;
  g_autoptr(RelanceStore) store = NULL;
  GPtrArray *queued = NULL;
  GError *error = NULL;

  store = relance_store_open_quick (job->db_path, &error);
  if (store == NULL
      || (queued = queue_due (store, job->now, cancellable, notify_row_queued, job,
                              &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, queued, (GDestroyNotify) g_ptr_array_unref);
}

void
relance_outbox_queue_due_async (const char          *db_path,
                                GDateTime           *now,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  relance_outbox_queue_due_async_full (db_path, now, cancellable, NULL, NULL, callback,
                                       user_data);
}

void
relance_outbox_queue_due_async_full (const char          *db_path,
                                     GDateTime           *now,
                                     GCancellable        *cancellable,
                                     GSourceFunc          row_queued,
                                     gpointer             row_data,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueueJob *job;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (now != NULL);

  job = g_atomic_rc_box_new0 (QueueJob);
  job->db_path = g_strdup (db_path);
  job->now = g_date_time_ref (now);
  job->context = g_main_context_ref_thread_default ();
  job->row_queued = row_queued;
  job->row_data = row_data;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relance_outbox_queue_due_async);
  g_task_set_name (task, "[relance] queue due reminders");
  g_task_set_task_data (task, job, queue_job_release);
  g_task_run_in_thread (task, queue_due_thread);
}

GPtrArray *
relance_outbox_queue_due_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == relance_outbox_queue_due_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
