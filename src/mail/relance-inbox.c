/* relance-inbox.c: reading the owner's inbox read-only (libcurl IMAP); the answers are
 * recognised in relance-inbox-classify.c. See relance-inbox.h.
 *
 * libcurl 7.88 runs every IMAP command here as a custom request on one connection: EXAMINE
 * (read-only), UID SEARCH, and UID FETCH … BODY.PEEK[] (libcurl's own URL fetch would SELECT
 * the mailbox read-write and FETCH BODY[], which sets \Seen). libcurl handles the
 * connection, TLS, login (password or XOAUTH2), tags and completion; it hands the untagged
 * lines of a custom request to the write callback but drops the bytes of a literal, so the
 * message itself is taken from libcurl's stream of received lines (CURLINFO_HEADER_IN),
 * using the literal's size announced in the FETCH line. */
#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-credentials.h"
#include "relance-inbox.h"
#include "relance-mail-error.h"
#include "relance-oauth.h"

/* Most answers are a few kilobytes; attachments beyond this are not needed to classify. */
#define FETCH_LIMIT (1024 * 1024)
/* Messages read per pass at most; the next pass goes on from there. */
#define BATCH_LIMIT 500

void
relance_imap_settings_free (RelanceImapSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->host);
  g_free (settings->security);
  g_free (settings);
}

static char *
setting_or_null (RelanceStore *store, const char *key)
{
  char *value = relance_store_get_setting (store, key);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static char *
derive_host (const char *smtp_host)
{
  static const struct { const char *smtp, *imap; } known[] = {
    { "smtp.office365.com", "outlook.office365.com" },
    { "smtp-mail.outlook.com", "outlook.office365.com" },
  };

  if (smtp_host == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (smtp_host, known[i].smtp) == 0)
      return g_strdup (known[i].imap);
  if (g_ascii_strncasecmp (smtp_host, "smtp.", 5) == 0)
    return g_strconcat ("imap.", smtp_host + 5, NULL);
  return g_strdup (smtp_host);
}

RelanceImapSettings *
relance_imap_settings_load (RelanceStore         *store,
                            const RelanceAccount *account)
{
  RelanceImapSettings *imap = g_new0 (RelanceImapSettings, 1);
  g_autofree char *port = setting_or_null (store, "account.imap-port");
  gint64 number = 0;

  imap->host = setting_or_null (store, "account.imap-host");
  if (imap->host == NULL)
    imap->host = derive_host (account->host);
  imap->security = setting_or_null (store, "account.imap-security");
  if (imap->security == NULL)
    imap->security = g_strdup (account->security != NULL ? account->security : "tls");
  if (port != NULL && g_ascii_string_to_signed (port, 10, 1, 65535, &number, NULL))
    imap->port = (int) number;
  else
    imap->port = g_str_equal (imap->security, "tls") ? 993 : 143;
  return imap;
}

gboolean
relance_imap_settings_save (RelanceStore  *store,
                            const char    *host,
                            int            port,
                            const char    *security,
                            GError       **error)
{
  if (security != NULL && !g_str_equal (security, "tls") && !g_str_equal (security, "starttls"))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("Use “--imap-security tls” or “--imap-security starttls”."));
      return FALSE;
    }
  if (port < 0 || port > 65535)
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   _("%d is not a port number: use a number from 1 to 65535."), port);
      return FALSE;
    }
  if (host != NULL && (strpbrk (host, " /\r\n\t") != NULL))
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   _("“%s” is not a host name."), host);
      return FALSE;
    }
  if (host != NULL && !relance_store_set_setting (store, "account.imap-host", host, error))
    return FALSE;
  if (port > 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", port);
      if (!relance_store_set_setting (store, "account.imap-port", text, error))
        return FALSE;
    }
  if (security != NULL
      && !relance_store_set_setting (store, "account.imap-security", security, error))
    return FALSE;
  return TRUE;
}

/* ---- IMAP (libcurl) --------------------------------------------------------------- */

typedef struct
{
  CURL       *curl;
  char       *base_url;
  GString    *untagged;   /* write callback: untagged lines of the last command */
  GByteArray *received;   /* every line received for the last command */
  char        errbuf[CURL_ERROR_SIZE];
  const RelanceImapSettings *imap;
  GCancellable *cancellable;
} Imap;

static size_t
on_untagged (char *data, size_t size, size_t n, void *user_data)
{
  Imap *self = user_data;

  g_string_append_len (self->untagged, data, (gssize) (size * n));
  return size * n;
}

static int
on_debug (CURL *curl, curl_infotype type, char *data, size_t size, void *user_data)
{
  Imap *self = user_data;

  (void) curl;
  if (type == CURLINFO_HEADER_IN)
    g_byte_array_append (self->received, (const guint8 *) data, (guint) size);
  return 0;
}

static int
on_progress (void *user_data, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
  Imap *self = user_data;

  (void) a; (void) b; (void) c; (void) d;
  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

static void
imap_clear (Imap *self)
{
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->base_url, g_free);
  if (self->untagged != NULL)
    g_string_free (self->untagged, TRUE);
  self->untagged = NULL;
  g_clear_pointer (&self->received, g_byte_array_unref);
}

static gboolean
imap_fail (Imap *self, CURLcode rc, GError **error)
{
  const RelanceImapSettings *imap = self->imap;
  const char *detail = self->errbuf[0] != '\0' ? self->errbuf : curl_easy_strerror (rc);

  switch ((int) rc)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE,
                   /* Translators: "Cannot reach the mail server imap.example.com on port 993
                    * to read the inbox: Connection refused; Relance will try again." */
                   _("Cannot reach the mail server %s on port %d to read the inbox: %s; "
                     "Relance will try again."), imap->host, imap->port, detail);
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CERTIFICATE,
                   _("The certificate of the mail server %s could not be verified, so the "
                     "inbox was not read (%s)."), imap->host, detail);
      break;
    case CURLE_LOGIN_DENIED:
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH,
                   _("The mail server %s refused the user name or password when reading the "
                     "inbox; check them with “relance account set-password”."), imap->host);
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Reading the inbox was cancelled."));
      break;
    default:
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_TEMPORARY,
                   _("Reading the inbox on %s failed: %s; Relance will try again."),
                   imap->host, detail);
      break;
    }
  return FALSE;
}

static gboolean
imap_open (Imap                      *self,
           const RelanceAccount      *account,
           const RelanceImapSettings *imap,
           const char                *secret,
           gboolean                   is_bearer,
           GCancellable              *cancellable,
           GError                   **error)
{
  const char *scheme = g_str_equal (imap->security, "tls") ? "imaps" : "imap";

  self->imap = imap;
  self->cancellable = cancellable;
  self->curl = curl_easy_init ();
  self->untagged = g_string_new (NULL);
  self->received = g_byte_array_new ();
  if (g_str_equal (imap->security, "none") && !g_str_equal (imap->host, "127.0.0.1")
      && !g_str_equal (imap->host, "localhost") && !g_str_equal (imap->host, "::1"))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("The inbox may be read without encryption only on this computer: "
                             "use “--imap-security tls” or “starttls”."));
      return FALSE;
    }
  self->base_url = strchr (imap->host, ':') != NULL
                   ? g_strdup_printf ("%s://[%s]:%d/", scheme, imap->host, imap->port)
                   : g_strdup_printf ("%s://%s:%d/", scheme, imap->host, imap->port);
  curl_easy_setopt (self->curl, CURLOPT_URL, self->base_url);
  curl_easy_setopt (self->curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  if (g_str_equal (imap->security, "starttls"))
    curl_easy_setopt (self->curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (self->curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  if (account->ca_file != NULL)
    curl_easy_setopt (self->curl, CURLOPT_CAINFO, account->ca_file);
  curl_easy_setopt (self->curl, CURLOPT_USERNAME, account->user);
  if (is_bearer)
    {
      curl_easy_setopt (self->curl, CURLOPT_XOAUTH2_BEARER, secret);
      curl_easy_setopt (self->curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
    }
  else
    curl_easy_setopt (self->curl, CURLOPT_PASSWORD, secret);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, (long) MIN (account->timeout, 30));
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, (long) account->timeout + 30);
  /* Long lines of a message must reach the debug stream whole (see the file comment). */
  curl_easy_setopt (self->curl, CURLOPT_BUFFERSIZE, 512L * 1024L);
  curl_easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, on_untagged);
  curl_easy_setopt (self->curl, CURLOPT_WRITEDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (self->curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFODATA, self);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, self->errbuf);
  return TRUE;
}

/* One command on the connection (libcurl logs in on the first one and keeps the
 * connection for the next: the mailbox examined stays open on the server). */
static gboolean
imap_command (Imap *self, const char *command, GError **error)
{
  CURLcode rc;

  g_string_truncate (self->untagged, 0);
  g_byte_array_set_size (self->received, 0);
  self->errbuf[0] = '\0';
  curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, command);
  rc = curl_easy_perform (self->curl);
  if (rc != CURLE_OK)
    return imap_fail (self, rc, error);
  return TRUE;
}

static gint64
response_code (const char *untagged, const char *code)
{
  const char *p = strstr (untagged, code);

  if (p == NULL)
    return 0;
  return g_ascii_strtoll (p + strlen (code), NULL, 10);
}

/* The literal of a "* n FETCH (… BODY[]<0> {size}" line in the received stream. */
static GBytes *
fetched_literal (Imap *self, gboolean *complete)
{
  const char *data = (const char *) self->received->data;
  gsize len = self->received->len;
  const char *p = data;

  *complete = FALSE;
  while (p < data + len)
    {
      const char *eol = memchr (p, '\n', data + len - p);
      const char *brace;

      if (eol == NULL)
        break;
      brace = g_strstr_len (p, eol - p, "{");
      if (p[0] == '*' && g_strstr_len (p, eol - p, "FETCH") != NULL && brace != NULL)
        {
          guint64 size = g_ascii_strtoull (brace + 1, NULL, 10);
          gsize available = (gsize) (data + len - (eol + 1));

          *complete = available >= size;
          return g_bytes_new (eol + 1, MIN (size, available));
        }
      p = eol + 1;
    }
  return NULL;
}

static GArray *
parse_search (const char *untagged, gint64 after_uid)
{
  GArray *uids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) lines = g_strsplit (untagged, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      if (!g_str_has_prefix (lines[i], "* SEARCH"))
        continue;
      words = g_strsplit (g_strstrip (lines[i] + 8), " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          gint64 uid = g_ascii_strtoll (words[w], NULL, 10);
          if (uid > after_uid)
            g_array_append_val (uids, uid);
        }
    }
  return uids;
}

static int
compare_uid (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

void
relance_inbox_report_clear (RelanceInboxReport *report)
{
  g_clear_pointer (&report->recognised, g_ptr_array_unref);
  report->read = 0;
}

static gboolean
check_pass (RelanceStore        *store,
            GDateTime           *now,
            GCancellable        *cancellable,
            RelanceInboxReport  *report,
            GError             **error)
{
  g_autoptr(RelanceAccount) account = relance_account_load (store, error);
  g_autoptr(RelanceImapSettings) imap = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GArray) uids = NULL;
  Imap session = { 0 };
  gint64 uidvalidity = 0, last_uid = 0, server_validity;
  gboolean is_bearer = FALSE, ok = FALSE;
  char *secret;

  if (account == NULL)
    return FALSE;
  imap = relance_imap_settings_load (store, account);
  if (imap->host == NULL)
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("No mail server is set for reading the inbox: give it with "
                             "“relance account set --imap-host HOST”."));
      return FALSE;
    }
  if (!relance_store_inbox_get_cursor (store, &uidvalidity, &last_uid, error))
    return FALSE;

  secret = relance_oauth_get_smtp_secret (account, cancellable, &is_bearer, error);
  if (secret == NULL)
    return FALSE;
  if (!imap_open (&session, account, imap, secret, is_bearer, cancellable, error))
    goto out;

  if (!imap_command (&session, "EXAMINE INBOX", error))
    goto out;
  server_validity = response_code (session.untagged->str, "[UIDVALIDITY ");

  /* The first pass, or the server numbered the mailbox anew: the last 60 days, and what
   * was recognised before is known by its Message-ID. */
  if (server_validity != uidvalidity || last_uid == 0)
    {
      g_autoptr(GDateTime) since = g_date_time_add_days (now, -RELANCE_INBOX_LOOKBACK_DAYS);
      static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec" };
      command = g_strdup_printf ("UID SEARCH SINCE %d-%s-%d", g_date_time_get_day_of_month (since),
                                 months[g_date_time_get_month (since) - 1],
                                 g_date_time_get_year (since));
      last_uid = 0;
    }
  else
    command = g_strdup_printf ("UID SEARCH UID %" G_GINT64_FORMAT ":*", last_uid + 1);
  if (!imap_command (&session, command, error))
    goto out;
  uids = parse_search (session.untagged->str, last_uid);
  g_array_sort (uids, compare_uid);

  for (guint i = 0; i < uids->len && i < BATCH_LIMIT; i++)
    {
      gint64 uid = g_array_index (uids, gint64, i);
      g_autofree char *fetch = g_strdup_printf ("UID FETCH %" G_GINT64_FORMAT
                                                " (UID BODY.PEEK[]<0.%d>)", uid, FETCH_LIMIT);
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(RelanceInboxMessage) message = NULL;
      gboolean complete = FALSE;

      if (!imap_command (&session, fetch, error))
        goto out;
      raw = fetched_literal (&session, &complete);
      if (!complete)
        {
          /* A line of the message looked like the end of the command to libcurl: what was
           * read is classified, and the next command goes on a new connection. */
          g_debug ("inbox: message %" G_GINT64_FORMAT " read in part only", uid);
          curl_easy_setopt (session.curl, CURLOPT_FRESH_CONNECT, 1L);
          if (!imap_command (&session, "EXAMINE INBOX", error))
            goto out;
          curl_easy_setopt (session.curl, CURLOPT_FRESH_CONNECT, 0L);
        }
      report->read++;
      if (raw != NULL)
        message = relance_inbox_classify (store, raw, server_validity, uid, now);
      if (message != NULL)
        {
          if (!relance_store_inbox_record (store, message, g_date_time_to_unix (now), error))
            goto out;
          g_ptr_array_add (report->recognised, g_steal_pointer (&message));
        }
      last_uid = uid;
      if (!relance_store_inbox_set_cursor (store, server_validity, last_uid, error))
        goto out;
    }
  /* Nothing new (or an empty mailbox on the first pass): the validity is kept all the same. */
  if (uids->len == 0 && !relance_store_inbox_set_cursor (store, server_validity,
                                                          MAX (last_uid, 0), error))
    goto out;
  ok = TRUE;
out:
  memset (secret, 0, strlen (secret));
  g_free (secret);
  imap_clear (&session);
  return ok;
}

gboolean
relance_inbox_check (RelanceStore        *store,
                     GDateTime           *now,
                     GCancellable        *cancellable,
                     RelanceInboxReport  *report,
                     GError             **error)
{
  g_autoptr(GError) local = NULL;
  gint64 at = g_date_time_to_unix (now);

  report->recognised = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_inbox_message_free);
  report->read = 0;
  if (check_pass (store, now, cancellable, report, &local))
    {
      relance_store_inbox_set_status (store, at, NULL, 0, NULL);
      return TRUE;
    }
  relance_store_inbox_set_status (store, at, local->message, at + RELANCE_INBOX_POLL_SECONDS,
                                  NULL);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

typedef struct
{
  char               *db_path;
  GDateTime          *now;
  RelanceInboxReport  report;
} CheckJob;

static void
check_job_free (CheckJob *job)
{
  g_free (job->db_path);
  g_date_time_unref (job->now);
  relance_inbox_report_clear (&job->report);
  g_free (job);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceStore) store = relance_store_open_quick (job->db_path, &error);

  (void) source;
  if (store == NULL || !relance_inbox_check (store, job->now, cancellable, &job->report, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
relance_inbox_check_async (const char          *db_path,
                           GDateTime           *now,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckJob *job = g_new0 (CheckJob, 1);

  job->db_path = g_strdup (db_path);
  job->now = g_date_time_ref (now);
  g_task_set_source_tag (task, relance_inbox_check_async);
  g_task_set_task_data (task, job, (GDestroyNotify) check_job_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
relance_inbox_check_finish (GAsyncResult        *result,
                            RelanceInboxReport  *report,
                            GError             **error)
{
  CheckJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  report->recognised = g_steal_pointer (&job->report.recognised);
  report->read = job->report.read;
  return TRUE;
}
