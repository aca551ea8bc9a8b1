/* relance-outbox.c: queueing, claiming, sending and recording reminders, at most once.
 *
 * Why each rule:
 *  - A row is claimed (queued/retry → sending) in a transaction of its own just before it
 *    is sent, one at a time, and two processes never claim the same row. The outcome of
 *    the previous message is written while this one is sent: a crash leaves at most these
 *    two `sending`.
 *  - Every claim checks the invoices again: a payment, dispute, promise or pause recorded
 *    since the row was queued cancels it before anything leaves.
 *  - The SMTP exchange runs in a worker thread; every write to the store is done on the
 *    caller's main context (one connection, one thread).
 *  - A row in `sending` whose process is gone is `uncertain`: the server may or may not
 *    have it; only the user may send it again.
 *  - A claim's commit is synchronous (FULL): it survives a power cut, not only a crash,
 *    before its message leaves. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relance-brevo.h"
#include "relance-clock.h"
#include "relance-credentials.h"
#include "relance-date.h"
#include "relance-epc-qr.h"
#include "relance-letter.h"
#include "relance-error.h"
#include "relance-mail-error.h"
#include "relance-message.h"
#include "relance-oauth.h"
#include "relance-store-inbox.h"
#include "relance-outbox.h"
#include "relance-store-outbox.h"
#include "relance-planner.h"
#include "relance-smtp.h"
#include "relance-sms.h"

/* WAL sizes that trigger a checkpoint: SQLite's default, and while a batch sends. */
#define DEFAULT_AUTOCHECKPOINT_PAGES 1000
#define SENDING_AUTOCHECKPOINT_PAGES 20000
/* Every so many outcomes recorded, the batch checkpoints itself (about 500 pages). */
#define CHECKPOINT_EVERY_RECORDS 64

/* Delays before retrying after a temporary failure, by attempt number. */
static const gint64 retry_delays[] = { 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60 };

void
relance_outbox_item_free (RelanceOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->client_name);
  g_free (item->channel);
  g_free (item->tone);
  g_free (item->scenario_key);
  g_free (item->template_key);
  g_free (item->state);
  g_strfreev (item->recipients);
  g_free (item->subject);
  g_free (item->message_id);
  g_clear_pointer (&item->raw, g_bytes_unref);
  g_strfreev (item->invoices);
  g_free (item->server_reply);
  g_free (item->last_error);
  g_free (item);
}

/* ---- who claims ------------------------------------------------------------------
 *
 * A row in `sending` belongs to the process that claimed it. Whether that process is still
 * alive is known from a lock it holds for its whole life: "<db>.claims/<uuid>.lock",
 * locked with flock(). A lock works across PID namespaces (each Flatpak instance has its
 * own), where process ids would lie; the kernel drops it when the process dies, however it
 * dies. The token in the row is "<uuid>". */

static GMutex claims_lock;
static GHashTable *claim_files; /* database path → fd held locked */

static const char *
claimer_token (void)
{
  static char *token;

  if (g_once_init_enter (&token))
    g_once_init_leave (&token, g_uuid_string_random ());
  return token;
}

static char *
claim_lock_path (RelanceStore *store, const char *token)
{
  g_autofree char *dir = g_strconcat (relance_store_get_path (store), ".claims", NULL);
  g_autofree char *name = g_strconcat (token, ".lock", NULL);

  return g_build_filename (dir, name, NULL);
}

/* Takes this process's lock for @store before its first claim. */
static gboolean
hold_claim_lock (RelanceStore *store, GError **error)
{
  const char *db = relance_store_get_path (store);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_mutex_lock (&claims_lock);
  if (claim_files == NULL)
    claim_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (claim_files, db))
    {
      g_mutex_unlock (&claims_lock);
      return TRUE;
    }
  path = claim_lock_path (store, claimer_token ());
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_mutex_unlock (&claims_lock);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: the first %s is a file path, the second the reason */
                   _("Could not create the sending lock “%s”: %s."), path, g_strerror (saved));
      return FALSE;
    }
  /* Held until the process exits. */
  g_hash_table_insert (claim_files, g_strdup (db), GINT_TO_POINTER (fd));
  g_mutex_unlock (&claims_lock);
  return TRUE;
}

static gboolean
claimer_is_alive (RelanceStore *store, const char *token)
{
  g_autofree char *path = NULL;
  int fd;
  gboolean alive;

  if (token == NULL || strchr (token, '/') != NULL || strstr (token, "..") != NULL)
    return FALSE;
  if (g_strcmp0 (token, claimer_token ()) == 0)
    return TRUE;
  path = claim_lock_path (store, token);
  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  alive = flock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  if (!alive)
    g_unlink (path); /* a dead claimer's lock: tidy it */
  close (fd);
  return alive;
}

/* ---- small SQL helpers ------------------------------------------------------------ */

static gboolean
exec_stmt (RelanceStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (store, error);
  return TRUE;
}

static gboolean
set_reminders_state (RelanceStore *store, gint64 outbox_id, const char *state, gint64 sent_at,
                     GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "UPDATE reminders SET state = ?2, sent_at = coalesce (?3, sent_at) WHERE outbox_id = ?1",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (sent_at > 0)
    sqlite3_bind_int64 (stmt, 3, sent_at);
  else
    sqlite3_bind_null (stmt, 3);
  return exec_stmt (store, stmt, error);
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* ---- recovery --------------------------------------------------------------------- */

int
relance_outbox_recover (RelanceStore  *store,
                        GError       **error)
{
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!relance_store_begin (store, error))
    return -1;
  stmt = relance_store_prepare (store,
    "SELECT id, claimed_by FROM outbox WHERE state = 'sending'", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!claimer_is_alive (store, (const char *) sqlite3_column_text (stmt, 1)))
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (dead, id);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      goto fail;
    }

  for (guint i = 0; i < dead->len; i++)
    {
      gint64 id = g_array_index (dead, gint64, i);

      stmt = relance_store_prepare (store,
        "UPDATE outbox SET state = 'uncertain', last_error = ?2 WHERE id = ?1 "
        "AND state = 'sending'", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Relance stopped while this message was being sent: the "
                                    "server may or may not have received it."), -1,
                         SQLITE_TRANSIENT);
      if (!exec_stmt (store, stmt, error)
          || !set_reminders_state (store, id, "uncertain", 0, error))
        goto fail;
    }
  if (!relance_store_commit (store, error))
    goto fail;
  return (int) dead->len;

fail:
  relance_store_rollback (store);
  return -1;
}

/* ---- queueing --------------------------------------------------------------------- */

static GStrv
split_addresses (const char *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (list == NULL)
    return g_strv_builder_end (builder);
  parts = g_strsplit_set (list, ",;", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static gint64
insert_outbox_row (RelanceStore                *store,
                   const RelancePlannedMessage *msg,
                   const char                  *state,
                   const char                  *recipients,
                   const char                  *subject,
                   const char                  *message_id,
                   GBytes                      *raw,
                   gint64                       now,
                   const char                  *last_error,
                   GError                     **error)
{
  RelanceOutboxRow row = {
    .client_id = msg->client->id, .channel = msg->channel, .tone = msg->step->tone,
    .scenario_key = msg->scenario_key, .step_offset = msg->step->offset_days,
    .template_key = msg->template_key, .state = state, .recipients = recipients,
    .subject = subject, .message_id = message_id,
    .scheduled_at = g_date_time_to_unix (msg->scheduled_at), .queued_at = now,
    .sent_at = g_str_equal (state, "done") ? now : 0, .last_error = last_error,
    .ab_test_id = msg->ab_test_id, .ab_variant = msg->ab_variant,
  };

  for (guint i = 0; i < msg->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);
      row.amount_due += relance_invoice_get_outstanding (p->invoice);
    }
  return relance_store_outbox_insert (store, &row, raw, error);
}

/* FALSE with *taken set when another process queued one of these steps already. */
static gboolean
insert_reminders (RelanceStore                *store,
                  const RelancePlannedMessage *msg,
                  gint64                       outbox_id,
                  const char                  *state,
                  gint64                       now,
                  gboolean                    *taken,
                  GError                     **error)
{
  for (guint i = 0; i < msg->invoices->len; i++)
    {
      RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, i);
      sqlite3_stmt *stmt = relance_store_prepare (store,
        "INSERT INTO reminders (invoice_id, step_id, channel, handover, state, scheduled_at, "
        "sent_at, outbox_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, p->invoice->id);
      sqlite3_bind_int64 (stmt, 2, p->step->id);
      sqlite3_bind_text (stmt, 3, msg->channel, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, msg->handover);
      sqlite3_bind_text (stmt, 5, state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (msg->scheduled_at));
      if (g_str_equal (state, "done"))
        sqlite3_bind_int64 (stmt, 7, now);
      sqlite3_bind_int64 (stmt, 8, outbox_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          if (sqlite3_extended_errcode (relance_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
            *taken = TRUE;
          return relance_store_set_error (store, error);
        }
    }
  return TRUE;
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
  g_autoptr(GBytes) raw = NULL;
  gint64 now_unix = g_date_time_to_unix (now);
  gboolean taken = FALSE;
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
  if (!relance_store_begin (store, error))
    return FALSE;
  id = insert_outbox_row (store, message, "done", NULL, task_note (outcome, message->language),
                          NULL, raw, now_unix, NULL, error);
  if (id == 0 || !insert_reminders (store, message, id, "done", now_unix, &taken, error)
      || !relance_store_commit (store, error))
    {
      relance_store_rollback (store);
      return FALSE;
    }

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
  cc = split_addresses (msg->client->cc);

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

/* Writes @batch in one transaction, each row under its own savepoint: a row another
 * process queued first is skipped, the others are kept. */
static gboolean
write_batch (RelanceStore  *store,
             GArray        *batch,
             gint64         now_unix,
             GPtrArray     *queued,
             gboolean      *any_queued,
             GError       **error)
{
  guint first = queued->len;
  sqlite3_stmt *stmt;

  if (!relance_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      BuiltRow *row = &g_array_index (batch, BuiltRow, i);
      g_autoptr(GError) local = NULL;
      const char *last_error = row->build_error != NULL ? row->build_error->message : NULL;
      gboolean taken = FALSE;
      gint64 id;

      if ((stmt = relance_store_prepare (store, "SAVEPOINT queue_row", error)) == NULL
          || !exec_stmt (store, stmt, error))
        goto fail;
      id = insert_outbox_row (store, row->msg, row->state, row->recipients, row->subject,
                              row->message_id, row->raw, now_unix, last_error, &local);
      if (id == 0
          || !insert_reminders (store, row->msg, id,
                                g_str_equal (row->state, "queued") ? "queued" : row->state,
                                now_unix, &taken, &local))
        {
          if (!taken)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              goto fail;
            }
          /* Another process queued it first: it is theirs to send. */
          if ((stmt = relance_store_prepare (store, "ROLLBACK TO queue_row", error)) == NULL
              || !exec_stmt (store, stmt, error))
            goto fail;
        }
      else
        {
          RelanceOutboxItem *item = item_from_planned (row->msg, id, row->state, row->subject,
                                                       now_unix);

          item->last_error = g_strdup (last_error);
          g_ptr_array_add (queued, item);
          *any_queued |= g_str_equal (row->state, "queued");
        }
      if ((stmt = relance_store_prepare (store, "RELEASE queue_row", error)) == NULL
          || !exec_stmt (store, stmt, error))
        goto fail;
    }
  if (!relance_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (store);
  g_ptr_array_remove_range (queued, first, queued->len - first);
  return FALSE;
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

/* ---- reading ---------------------------------------------------------------------- */

#define ITEM_COLUMNS \
  "o.id, o.client_id, c.name, o.channel, o.tone, o.scenario_key, o.step_offset, " \
  "o.template_key, o.state, o.recipients, o.subject, o.message_id, o.scheduled_at, " \
  "o.queued_at, o.next_attempt_at, o.attempts, o.sent_at, o.server_reply, o.last_error, " \
  "(SELECT group_concat (number, ',') FROM (SELECT i.number FROM reminders r " \
  "  JOIN invoices i ON i.id = r.invoice_id WHERE r.outbox_id = o.id ORDER BY i.number))"

static RelanceOutboxItem *
item_from_row (sqlite3_stmt *stmt)
{
  RelanceOutboxItem *item = g_new0 (RelanceOutboxItem, 1);
  const char *recipients = (const char *) sqlite3_column_text (stmt, 9);
  const char *numbers = (const char *) sqlite3_column_text (stmt, 19);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->client_id = sqlite3_column_int64 (stmt, 1);
  item->client_name = column_dup (stmt, 2);
  item->channel = column_dup (stmt, 3);
  item->tone = column_dup (stmt, 4);
  item->scenario_key = column_dup (stmt, 5);
  item->step_offset = sqlite3_column_int (stmt, 6);
  item->template_key = column_dup (stmt, 7);
  item->state = column_dup (stmt, 8);
  item->recipients = split_addresses (recipients);
  item->subject = column_dup (stmt, 10);
  item->message_id = column_dup (stmt, 11);
  item->scheduled_at = sqlite3_column_int64 (stmt, 12);
  item->queued_at = sqlite3_column_int64 (stmt, 13);
  item->next_attempt_at = sqlite3_column_int64 (stmt, 14);
  item->attempts = sqlite3_column_int (stmt, 15);
  item->sent_at = sqlite3_column_int64 (stmt, 16);
  item->server_reply = column_dup (stmt, 17);
  item->last_error = column_dup (stmt, 18);
  item->invoices = numbers != NULL ? g_strsplit (numbers, ",", -1) : g_new0 (char *, 1);
  return item;
}

GPtrArray *
relance_outbox_list (RelanceStore  *store,
                     const char    *invoice_number,
                     GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) relance_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  if (invoice_number != NULL)
    {
      stmt = relance_store_prepare (store,
        "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
        "WHERE o.id IN (SELECT r.outbox_id FROM reminders r JOIN invoices i "
        "ON i.id = r.invoice_id WHERE i.number = ?1) ORDER BY o.queued_at DESC, o.id DESC",
        error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, invoice_number, -1, SQLITE_TRANSIENT);
    }
  else
    stmt = relance_store_prepare (store,
      "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
      "ORDER BY o.queued_at DESC, o.id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

GPtrArray *
relance_outbox_list_for_client (RelanceStore  *store,
                                gint64         client_id,
                                GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) relance_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  stmt = relance_store_prepare (store,
    "SELECT " ITEM_COLUMNS " FROM outbox o JOIN clients c ON c.id = o.client_id "
    "WHERE o.client_id = ?1 ORDER BY o.queued_at DESC, o.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

RelanceOutboxItem *
relance_outbox_get (RelanceStore  *store,
                    gint64         id,
                    gboolean       with_raw,
                    GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT " ITEM_COLUMNS ", (SELECT r.raw FROM outbox_raw r WHERE r.outbox_id = o.id) "
    "FROM outbox o JOIN clients c ON c.id = o.client_id WHERE o.id = ?1", error);
  RelanceOutboxItem *item = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      item = item_from_row (stmt);
      if (with_raw && sqlite3_column_type (stmt, 20) != SQLITE_NULL)
        item->raw = g_bytes_new (sqlite3_column_blob (stmt, 20),
                                 (gsize) sqlite3_column_bytes (stmt, 20));
    }
  sqlite3_reset (stmt);
  if (item == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a reminder's number in the history */
                   _("There is no reminder %s in the history."), shown);
    }
  return item;
}

gint64
relance_outbox_count_ready (RelanceStore  *store,
                            GDateTime     *now,
                            GError       **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT count(*) FROM outbox WHERE channel IN ('email', 'sms') "
    "AND id IN (SELECT outbox_id FROM outbox_raw) "
    "AND (state = 'queued' "
    "OR (state = 'retry' AND coalesce (next_attempt_at, 0) <= ?1))", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (now));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* ---- the user's decisions ------------------------------------------------------- */

static gboolean
row_has_raw (RelanceStore *store, gint64 id)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT EXISTS (SELECT 1 FROM outbox_raw WHERE outbox_id = ?1)", NULL);
  gboolean has = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    has = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return has;
}

static gboolean
decide (RelanceStore *store, gint64 id, const char *new_state, GError **error)
{
  g_autoptr(RelanceOutboxItem) item = NULL;
  sqlite3_stmt *stmt;

  if (!relance_store_begin (store, error))
    return FALSE;
  if ((item = relance_outbox_get (store, id, FALSE, error)) == NULL)
    goto fail;
  if (!g_str_equal (item->state, "failed") && !g_str_equal (item->state, "uncertain"))
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: the first %s is a number, the second a state */
                   _("Reminder %s is %s: only failed or uncertain reminders can be retried "
                     "or cancelled."), shown, item->state);
      goto fail;
    }
  /* A message that could not even be built (no email address…) has nothing to send
   * again: retrying it means preparing it anew from today's data, so its steps are given
   * back to the planner and the row is closed. */
  if (g_str_equal (new_state, "queued") && !row_has_raw (store, id))
    {
      stmt = relance_store_prepare (store,
        "UPDATE outbox SET state = 'cancelled', last_error = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Prepared again from the current data."), -1,
                         SQLITE_TRANSIENT);
      if (!exec_stmt (store, stmt, error))
        goto fail;
      stmt = relance_store_prepare (store, "DELETE FROM reminders WHERE outbox_id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!exec_stmt (store, stmt, error) || !relance_store_commit (store, error))
        goto fail;
      return TRUE;
    }

  stmt = relance_store_prepare (store,
    "UPDATE outbox SET state = ?2, next_attempt_at = NULL, "
    "attempts = CASE WHEN ?2 = 'queued' THEN 0 ELSE attempts END WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, new_state, -1, SQLITE_STATIC);
  if (!exec_stmt (store, stmt, error) || !set_reminders_state (store, id, new_state, 0, error)
      || !relance_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  relance_store_rollback (store);
  return FALSE;
}

gboolean
relance_outbox_retry (RelanceStore  *store,
                      gint64         id,
                      GError       **error)
{
  return decide (store, id, "queued", error);
}

gboolean
relance_outbox_cancel (RelanceStore  *store,
                       gint64         id,
                       GError       **error)
{
  return decide (store, id, "cancelled", error);
}

/* ---- claiming and recording (main context) ---------------------------------------- */

/* Is every invoice of the row still to be reminded? Sets @reason when not. */
static gboolean
still_wanted (RelanceStore *store, gint64 id, GDate *today, char **reason, GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (store,
    "SELECT i.number, i.status, i.promise_date, c.paused, c.do_not_remind, i.total, "
    "coalesce ((SELECT sum (p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) "
    "FROM reminders r JOIN invoices i ON i.id = r.invoice_id "
    "JOIN clients c ON c.id = i.client_id WHERE r.outbox_id = ?1", error);
  g_autofree char *today_iso = relance_date_to_iso (today);
  gboolean wanted = TRUE;
  gint64 outstanding = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while (wanted && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
      stmt = relance_store_prepare (store, "SELECT amount_due FROM outbox WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
          && sqlite3_column_int64 (stmt, 0) != outstanding)
        *reason = g_strdup (_("A payment was recorded since the reminder was prepared: it will "
                              "be prepared again with the amount still due."));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* Claims row @id for this process. Returns the row (with raw) when claimed, NULL when it
 * was taken by someone else or cancelled (then *cancelled holds it for the report), or
 * when sending is paused (then *paused is set). Everything is read and written in the one
 * transaction: each transaction costs more than the statements of a claim. */
static RelanceOutboxItem *claim_in_transaction (RelanceStore       *store,
                                                 gint64              id,
                                                 gint64              now,
                                                 const GDate        *today_date,
                                                 RelanceOutboxItem **cancelled,
                                                 gboolean           *paused,
                                                 GError            **error);

static RelanceOutboxItem *
claim (RelanceStore *store, gint64 id, GDateTime *now_dt, RelanceOutboxItem **cancelled,
       gboolean *paused, GError **error)
{
  g_autoptr(GDateTime) here = g_date_time_to_local (now_dt);
  gint64 now = g_date_time_to_unix (now_dt);
  RelanceOutboxItem *item;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (here),
                  (GDateMonth) g_date_time_get_month (here),
                  (GDateYear) g_date_time_get_year (here));
  /* The claim is on the disk before its message leaves: with synchronous = NORMAL a power
   * cut just after the send could roll the claim back (a kill -9 could not), and the
   * reminder would go again. A durable commit syncs the WAL, and with it whatever was
   * committed before (the queueing, the previous outcome). The outcome's own commit stays
   * NORMAL: if it is lost, the row is found `sending` and becomes `uncertain`, never sent
   * again by itself. Proved by test_power_cut_never_sends_twice (test-sending.py). */
  relance_store_set_durable_commits (store, TRUE);
  item = claim_in_transaction (store, id, now, &today, cancelled, paused, error);
  relance_store_set_durable_commits (store, FALSE);
  return item;
}

static RelanceOutboxItem *
claim_in_transaction (RelanceStore       *store,
                      gint64              id,
                      gint64              now,
                      const GDate        *today_date,
                      RelanceOutboxItem **cancelled,
                      gboolean           *paused,
                      GError            **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *pause_setting = NULL;
  RelanceOutboxItem *item;
  sqlite3_stmt *stmt;
  GDate today = *today_date;

  if (!relance_store_begin (store, error))
    return NULL;
  pause_setting = relance_store_get_setting (store, RELANCE_SETTING_PAUSED);
  if (g_strcmp0 (pause_setting, "true") == 0)
    {
      *paused = TRUE;
      relance_store_rollback (store);
      return NULL;
    }
  if (!still_wanted (store, id, &today, &reason, error))
    goto fail;
  /* A reply or a bounce since the row was queued (relance-store-inbox.c). */
  if (reason == NULL)
    reason = relance_store_inbox_hold_reason (store, id, now);

  if (reason != NULL)
    {
      /* The invoices still unpaid will be planned again, without the others. */
      stmt = relance_store_prepare (store,
        "UPDATE outbox SET state = 'cancelled', last_error = ?2 WHERE id = ?1 "
        "AND state IN ('queued', 'retry')", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
      if (!exec_stmt (store, stmt, error))
        goto fail;
      if (sqlite3_changes (relance_store_get_db (store)) == 1)
        {
          stmt = relance_store_prepare (store,
            "DELETE FROM reminders WHERE outbox_id = ?1 AND invoice_id IN (SELECT i.id FROM "
            "invoices i JOIN clients c ON c.id = i.client_id WHERE i.status = 'open' "
            "AND c.paused = 0 AND c.do_not_remind = 0 AND (i.promise_date IS NULL "
            "OR i.promise_date < ?2) AND i.total > coalesce ((SELECT sum (p.amount) "
            "FROM payments p WHERE p.invoice_id = i.id), 0))", error);
          if (stmt == NULL)
            goto fail;
          {
            g_autofree char *today_iso = relance_date_to_iso (&today);
            sqlite3_bind_int64 (stmt, 1, id);
            sqlite3_bind_text (stmt, 2, today_iso, -1, SQLITE_TRANSIENT);
            if (!exec_stmt (store, stmt, error))
              goto fail;
          }
          if (!set_reminders_state (store, id, "cancelled", 0, error))
            goto fail;
          *cancelled = relance_outbox_get (store, id, FALSE, NULL);
        }
      if (!relance_store_commit (store, error))
        goto fail;
      return NULL;
    }

  stmt = relance_store_prepare (store,
    "UPDATE outbox SET state = 'sending', claimed_by = ?2, attempts = attempts + 1 "
    "WHERE id = ?1 AND (state = 'queued' OR (state = 'retry' "
    "AND coalesce (next_attempt_at, 0) <= ?3))", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, claimer_token (), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!exec_stmt (store, stmt, error))
    goto fail;
  if (sqlite3_changes (relance_store_get_db (store)) != 1)
    {
      relance_store_rollback (store);
      return NULL; /* another process has it */
    }
  if (!set_reminders_state (store, id, "sending", 0, error)
      || (item = relance_outbox_get (store, id, TRUE, error)) == NULL)
    goto fail;
  if (!relance_store_commit (store, error))
    {
      relance_outbox_item_free (item);
      goto fail;
    }
  return item;

fail:
  relance_store_rollback (store);
  return NULL;
}

static gboolean
record (RelanceStore *store, RelanceOutboxItem *item, RelanceSmtpOutcome outcome,
        const char *reply, const GError *send_error, gint64 retry_after, gint64 now,
        GError **error)
{
  const char *state;
  gint64 next = 0;
  sqlite3_stmt *stmt;

  switch (outcome)
    {
    case RELANCE_SMTP_SENT:
      state = "sent";
      break;
    case RELANCE_SMTP_TEMPORARY:
      if (item->attempts >= RELANCE_OUTBOX_MAX_ATTEMPTS)
        state = "failed";
      else
        {
          state = "retry";
          next = now + retry_delays[MIN (item->attempts, (int) G_N_ELEMENTS (retry_delays)) - 1];
          /* An HTTP API may say how long to wait (Retry-After): never sooner than that. */
          next = MAX (next, now + retry_after);
        }
      break;
    case RELANCE_SMTP_PERMANENT:
      state = "failed";
      break;
    case RELANCE_SMTP_ACCOUNT:
    default:
      /* Not this message's fault: it waits for the account to be fixed. */
      state = "queued";
      break;
    }

  if (!relance_store_begin (store, error))
    return FALSE;
  stmt = relance_store_prepare (store,
    "UPDATE outbox SET state = ?2, sent_at = ?3, next_attempt_at = ?4, server_reply = "
    "coalesce (?5, server_reply), last_error = ?6, claimed_by = NULL, "
    "attempts = attempts - ?7 WHERE id = ?1 AND (state = 'sending' "
    "OR (?2 = 'sent' AND state = 'uncertain'))", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, item->id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (outcome == RELANCE_SMTP_SENT)
    sqlite3_bind_int64 (stmt, 3, now);
  if (next > 0)
    sqlite3_bind_int64 (stmt, 4, next);
  if (reply != NULL)
    sqlite3_bind_text (stmt, 5, reply, -1, SQLITE_STATIC);
  if (send_error != NULL)
    sqlite3_bind_text (stmt, 6, send_error->message, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, outcome == RELANCE_SMTP_ACCOUNT ? 1 : 0);
  if (!exec_stmt (store, stmt, error))
    goto fail;
  if (sqlite3_changes (relance_store_get_db (store)) == 0)
    {
      /* Someone decided about this row meanwhile (cancelled by the user…): say it, the
       * outcome is not lost from the logs. */
      g_warning ("Reminder %" G_GINT64_FORMAT " was no longer being sent when its outcome "
                 "(%s) arrived", item->id, state);
    }
  if (!set_reminders_state (store, item->id, state,
                            outcome == RELANCE_SMTP_SENT ? now : 0, error)
      || !relance_store_commit (store, error))
    goto fail;

  g_free (item->state);
  item->state = g_strdup (state);
  item->next_attempt_at = next;
  if (outcome == RELANCE_SMTP_SENT)
    item->sent_at = now;
  g_free (item->server_reply);
  item->server_reply = g_strdup (reply);
  g_free (item->last_error);
  item->last_error = send_error != NULL ? g_strdup (send_error->message) : NULL;
  return TRUE;

fail:
  relance_store_rollback (store);
  return FALSE;
}

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
 * claim() decides, with its conditional update, whether a row is still ours to send. */
static gint64
next_ready_id (SendJob *job, gint64 now)
{
  sqlite3_stmt *stmt;
  int rc;

  if (job->ready != NULL && job->ready_next < job->ready->len)
    return g_array_index (job->ready, gint64, job->ready_next++);

  stmt = relance_store_prepare (job->store,
    "SELECT id FROM outbox WHERE channel IN ('email', 'sms') "
    "AND id IN (SELECT outbox_id FROM outbox_raw) "
    "AND (state = 'queued' "
    "OR (state = 'retry' AND coalesce (next_attempt_at, 0) <= ?1)) "
    "ORDER BY scheduled_at, id", &job->store_error);
  if (stmt == NULL)
    return 0;
  if (job->ready == NULL)
    job->ready = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_set_size (job->ready, 0);
  job->ready_next = 0;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (job->ready, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relance_store_set_error (job->store, &job->store_error);
      return 0;
    }
  if (job->ready->len == 0)
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
      if (!hold_claim_lock (job->store, &job->store_error))
        break;
      item = claim (job->store, id, now_dt, &cancelled, &paused, &job->store_error);
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
  if (!record (job->store, item, outcome, reply, send_error, retry_after, now, &job->store_error))
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
      sqlite3_wal_checkpoint_v2 (relance_store_get_db (job->store), NULL,
                                 SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
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
  /* Two small transactions per message filled the default 1000-page WAL every 70 messages
   * or so, and each checkpoint (two fsyncs) fell on a claim the worker was waiting for.
   * The WAL is checkpointed after the batch instead (relance_outbox_send_finish()). */
  sqlite3_wal_autocheckpoint (relance_store_get_db (store), SENDING_AUTOCHECKPOINT_PAGES);
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
    sqlite3_stmt *stmt = relance_store_prepare (store,
      "SELECT coalesce (sum (channel = 'email'), 0), coalesce (sum (channel = 'sms'), 0) "
      "FROM outbox WHERE channel IN ('email', 'sms') AND (state = 'queued' "
      "OR (state = 'retry' AND coalesce (next_attempt_at, 0) <= ?1))", &error);
    gboolean emails = TRUE, sms = FALSE;

    if (stmt == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (now));
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        emails = sqlite3_column_int64 (stmt, 0) > 0;
        sms = sqlite3_column_int64 (stmt, 1) > 0;
      }
    sqlite3_reset (stmt);
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
  sqlite3_wal_autocheckpoint (relance_store_get_db (store), DEFAULT_AUTOCHECKPOINT_PAGES);
  if (report != NULL)
    {
      *report = job->report;
      report->account_error = job->report.account_error != NULL
                                ? g_error_copy (job->report.account_error) : NULL;
    }
  return g_task_propagate_boolean (task, error);
}
