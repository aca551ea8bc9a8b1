/* relance-smtp.c: sends built messages through the owner's SMTP server with libcurl. One
 * easy handle per session keeps the connection open between the messages of a batch. The
 * server's replies are followed through curl's debug callback to tell at which step a
 * refusal came (MAIL FROM, RCPT TO, DATA) and to hand back the last reply line; what we
 * send is never recorded, so the AUTH exchange cannot end up in a log. */
#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relance-mail-error.h"
#include "relance-smtp.h"

#define MAX_CONNECT_TIMEOUT 30
#define MAX_REPLY_LENGTH    512

typedef enum
{
  STAGE_CONNECT,  /* greeting, EHLO, STARTTLS */
  STAGE_AUTH,
  STAGE_MAIL,
  STAGE_RCPT,
  STAGE_DATA,     /* the DATA command, waiting for 354 */
  STAGE_CONTENT,  /* the message and the final dot */
} Stage;

struct _RelanceSmtpSession
{
  CURL       *curl;
  char       *host;
  int         port;
  char       *password;  /* wiped on free; an OAuth access token when bearer */
  gboolean    bearer;
  gboolean    fresh_connect;

  /* One transfer */
  GBytes     *raw;
  gsize       offset;
  Stage       stage;
  gboolean    quitting;
  gint64      deadline;  /* monotonic µs: past it, the connection is dropped */
  curl_socket_t socket;  /* of the current connection, or CURL_SOCKET_BAD */
  gboolean    timed_out;
  int         timeout;   /* seconds */
  char       *last_reply;
  char        errbuf[CURL_ERROR_SIZE];
};

/* Called by curl at least once a second, also while it waits for a reply. Past the
 * deadline the socket is shut down before curl gives up: curl's own timeout would send
 * QUIT and wait politely for the server, which then delivers a message we are about to
 * record as "retry", and the retry would send it twice. A connection dropped before the
 * server's final 250 makes a well-behaved server discard the message. */
static int
on_progress (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  RelanceSmtpSession *self = user_data;

  if (self->deadline == 0 || g_get_monotonic_time () < self->deadline)
    return 0;
  self->timed_out = TRUE;
  if (self->socket != CURL_SOCKET_BAD)
    shutdown (self->socket, SHUT_RDWR);
  return 1;
}

/* The connection's socket, so that on_progress can drop it (CURLINFO_ACTIVESOCKET is only
 * known once a transfer is over). */
static int
on_socket_open (void          *user_data,
                curl_socket_t  fd,
                curlsocktype   purpose)
{
  RelanceSmtpSession *self = user_data;

  self->socket = fd;
  return CURL_SOCKOPT_OK;
}

static int
on_socket_close (void          *user_data,
                 curl_socket_t  fd)
{
  RelanceSmtpSession *self = user_data;

  if (self->socket == fd)
    self->socket = CURL_SOCKET_BAD;
  return close (fd);
}

static gpointer
global_init (gpointer data)
{
  CURLcode rc = curl_global_init (CURL_GLOBAL_DEFAULT);

  if (rc != CURLE_OK)
    g_warning ("libcurl could not be initialised: %s", curl_easy_strerror (rc));
  return GINT_TO_POINTER (rc == CURLE_OK);
}

static size_t
read_message (char   *buffer,
              size_t  size,
              size_t  nitems,
              void   *user_data)
{
  RelanceSmtpSession *self = user_data;
  gsize length;
  const char *data = g_bytes_get_data (self->raw, &length);
  gsize n = MIN (size * nitems, length - self->offset);

  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return n;
}

static gboolean
has_prefix_ci (const char *data,
               size_t      size,
               const char *prefix)
{
  size_t len = strlen (prefix);

  return size >= len && g_ascii_strncasecmp (data, prefix, len) == 0;
}

/* Records the stage from the command verbs we send (only their first bytes are looked at,
 * nothing is copied: a line after "AUTH" carries the credentials) and keeps the server's
 * last reply line. */
static int
debug_callback (CURL          *handle,
                curl_infotype  type,
                char          *data,
                size_t         size,
                void          *user_data)
{
  RelanceSmtpSession *self = user_data;

  switch (type)
    {
    case CURLINFO_HEADER_OUT:
      if (has_prefix_ci (data, size, "AUTH "))
        self->stage = STAGE_AUTH;
      else if (has_prefix_ci (data, size, "MAIL FROM:"))
        self->stage = STAGE_MAIL;
      else if (self->stage == STAGE_AUTH)
        ; /* a SASL response: never look further */
      else if (has_prefix_ci (data, size, "RCPT TO:"))
        self->stage = STAGE_RCPT;
      else if (has_prefix_ci (data, size, "DATA"))
        self->stage = STAGE_DATA;
      else if (has_prefix_ci (data, size, "QUIT"))
        self->quitting = TRUE;
      break;

    case CURLINFO_HEADER_IN:
      {
        g_autofree char *line = g_strndup (data, MIN (size, MAX_REPLY_LENGTH));
        g_autofree char *valid = NULL;

        /* curl says QUIT after a refusal: "221 Bye" must not hide the refusal. */
        if (self->quitting)
          break;
        g_strchomp (line);
        if (*line == '\0')
          break;
        /* Server text goes into logs and the UI: one printable line. */
        for (char *p = line; *p != '\0'; p++)
          if ((guchar) *p < 0x20 || *p == 0x7f)
            *p = ' ';
        valid = g_utf8_make_valid (line, -1);
        g_free (self->last_reply);
        self->last_reply = g_steal_pointer (&valid);
        if (self->stage == STAGE_DATA && g_str_has_prefix (self->last_reply, "354"))
          self->stage = STAGE_CONTENT;
      }
      break;

    case CURLINFO_TEXT:
    case CURLINFO_DATA_IN:
    case CURLINFO_DATA_OUT:
    case CURLINFO_SSL_DATA_IN:
    case CURLINFO_SSL_DATA_OUT:
    case CURLINFO_END:
    default:
      break;
    }
  return 0;
}

static char *
build_url (const RelanceAccount *account)
{
  const char *scheme = g_strcmp0 (account->security, "tls") == 0 ? "smtps" : "smtp";

  /* An IPv6 literal needs brackets in a URL. */
  if (strchr (account->host, ':') != NULL && account->host[0] != '[')
    return g_strdup_printf ("%s://[%s]:%d", scheme, account->host, account->port);
  return g_strdup_printf ("%s://%s:%d", scheme, account->host, account->port);
}

RelanceSmtpSession *
relance_smtp_session_new (const RelanceAccount *account,
                          const char           *password)
{
  return relance_smtp_session_new_with_secret (account, password, FALSE);
}

RelanceSmtpSession *
relance_smtp_session_new_with_secret (const RelanceAccount *account,
                                      const char           *secret,
                                      gboolean              is_bearer)
{
  static GOnce init_once = G_ONCE_INIT;
  g_autofree char *url = NULL;
  g_autofree char *mail_from = NULL;
  RelanceSmtpSession *self;
  CURL *curl;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (account->host != NULL && account->from_address != NULL, NULL);

  if (!GPOINTER_TO_INT (g_once (&init_once, global_init, NULL)))
    return NULL;
  curl = curl_easy_init ();
  if (curl == NULL)
    return NULL;

  self = g_new0 (RelanceSmtpSession, 1);
  self->curl = curl;
  self->host = g_strdup (account->host);
  self->port = account->port;
  self->password = g_strdup (secret);
  self->bearer = is_bearer;

  url = build_url (account);
  mail_from = g_strdup_printf ("<%s>", account->from_address);

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (g_strcmp0 (account->security, "starttls") == 0)
    curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  if (account->ca_file != NULL && *account->ca_file != '\0')
    curl_easy_setopt (curl, CURLOPT_CAINFO, account->ca_file);
  if (account->user != NULL && *account->user != '\0')
    curl_easy_setopt (curl, CURLOPT_USERNAME, account->user);
  if (self->password != NULL && self->bearer)
    {
      /* Only XOAUTH2 (what Microsoft 365 and Gmail document): with the bearer alone, curl
       * would pick OAUTHBEARER first, or PLAIN with an empty password when neither is
       * offered. */
      curl_easy_setopt (curl, CURLOPT_XOAUTH2_BEARER, self->password);
      curl_easy_setopt (curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
    }
  else if (self->password != NULL)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt (curl, CURLOPT_READDATA, self);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) MIN (account->timeout,
                                                              MAX_CONNECT_TIMEOUT));
  /* Our own deadline drops the connection (see on_progress); curl's is a backstop. */
  self->timeout = account->timeout;
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) account->timeout + 30);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, self);
  self->socket = CURL_SOCKET_BAD;
  curl_easy_setopt (curl, CURLOPT_SOCKOPTFUNCTION, on_socket_open);
  curl_easy_setopt (curl, CURLOPT_SOCKOPTDATA, self);
  curl_easy_setopt (curl, CURLOPT_CLOSESOCKETFUNCTION, on_socket_close);
  curl_easy_setopt (curl, CURLOPT_CLOSESOCKETDATA, self);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, self->errbuf);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, debug_callback);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, self);
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  return self;
}

void
relance_smtp_session_free (RelanceSmtpSession *session)
{
  if (session == NULL)
    return;
  curl_easy_cleanup (session->curl);
  if (session->password != NULL)
    {
      memset (session->password, 0, strlen (session->password));
      g_free (session->password);
    }
  g_free (session->host);
  g_free (session->last_reply);
  g_free (session);
}

/* The three-digit code of the last reply, 0 when there was none. */
static int
reply_code (RelanceSmtpSession *self)
{
  long code = 0;

  if (self->last_reply != NULL && g_ascii_isdigit (self->last_reply[0])
      && g_ascii_isdigit (self->last_reply[1]) && g_ascii_isdigit (self->last_reply[2]))
    return (self->last_reply[0] - '0') * 100 + (self->last_reply[1] - '0') * 10
           + (self->last_reply[2] - '0');
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &code);
  return (int) code;
}

static const char *
detail (RelanceSmtpSession *self,
        CURLcode            rc)
{
  if (self->last_reply != NULL)
    return self->last_reply;
  if (self->errbuf[0] != '\0')
    return self->errbuf;
  return curl_easy_strerror (rc);
}

static RelanceSmtpOutcome
fail (GError             **error,
      RelanceSmtpOutcome   outcome,
      RelanceMailError     code,
      char                *message)
{
  g_set_error_literal (error, RELANCE_MAIL_ERROR, code, message);
  g_free (message);
  return outcome;
}

/* A refusal by the server (a reply code, no transport failure) at the step it came. */
static RelanceSmtpOutcome
map_reply (RelanceSmtpSession  *self,
           CURLcode             rc,
           int                  code,
           GError             **error)
{
  const char *text = detail (self, rc);

  if (code >= 400 && code < 500)
    return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
                 /* Translators: %s is the server's reply, e.g. "451 4.3.0 Try again later". */
                 g_strdup_printf (_("The mail server asked to try again later (%s)."), text));

  switch (self->stage)
    {
    case STAGE_MAIL:
      if (code == 530)
        return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_AUTH,
                     g_strdup_printf (_("The mail server requires signing in and did not "
                                        "accept this account (%s)."), text));
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_SENDER_REJECTED,
                   g_strdup_printf (_("The mail server refused the sender address (%s): "
                                      "check the account’s From address."), text));
    case STAGE_RCPT:
      return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_RECIPIENT_REJECTED,
                   g_strdup_printf (_("The mail server refused a recipient (%s): check the "
                                      "client’s email address."), text));
    case STAGE_DATA:
    case STAGE_CONTENT:
      return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_PERMANENT,
                   g_strdup_printf (_("The mail server refused the message (%s)."), text));
    case STAGE_AUTH:
      if (self->bearer)
        return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_AUTH,
                     g_strdup_printf (_("The mail server refused Relance’s sign-in for this "
                                        "account (%s): check that sending by SMTP is allowed "
                                        "for the mailbox, or sign in again."), text));
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_AUTH,
                   g_strdup_printf (_("The mail server refused the user name or password "
                                      "(%s)."), text));
    case STAGE_CONNECT:
    default:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_UNREACHABLE,
                   g_strdup_printf (_("The mail server %s refused the connection (%s)."),
                                    self->host, text));
    }
}

static RelanceSmtpOutcome
map_result (RelanceSmtpSession  *self,
            CURLcode             rc,
            GError             **error)
{
  const char *curl_text = self->errbuf[0] != '\0' ? self->errbuf : curl_easy_strerror (rc);
  int code = reply_code (self);

  /* CURLcode has ~100 values, most of them for other protocols: an int switch. */
  switch ((int) rc)
    {
    case CURLE_OK:
      return RELANCE_SMTP_SENT;

    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_UNREACHABLE,
                   /* Translators: "Cannot reach the mail server smtp.example.com on port
                    * 587: Could not resolve host". */
                   g_strdup_printf (_("Cannot reach the mail server %s on port %d: %s."),
                                    self->host, self->port, curl_text));

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CERTIFICATE,
                   g_strdup_printf (_("The mail server’s certificate is not trusted (%s): "
                                      "check the server name, or give the account the "
                                      "certificate authority file of a private server."),
                                    curl_text));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CERTIFICATE,
                   g_strdup_printf (_("No secure connection could be made with the mail "
                                      "server %s (%s): its certificate is not trusted or it "
                                      "does not speak TLS on port %d."),
                                    self->host, curl_text, self->port));
    case CURLE_USE_SSL_FAILED:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CONFIG,
                   g_strdup_printf (_("The mail server %s does not offer STARTTLS on port %d: "
                                      "choose “tls” (usually port 465) if it expects TLS "
                                      "from the start."), self->host, self->port));

    case CURLE_LOGIN_DENIED:
      if (code >= 400 && code < 500)
        return map_reply (self, rc, code, error);
      if (self->bearer)
        {
          self->stage = STAGE_AUTH;
          return map_reply (self, rc, code, error);
        }
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_AUTH,
                   g_strdup (_("The mail server refused the user name or password.")));
    case CURLE_AUTH_ERROR:
      return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_AUTH,
                   g_strdup_printf (_("Relance could not sign in to the mail server (%s): "
                                      "it offers no sign-in method Relance knows, or only "
                                      "after a secure connection."), curl_text));

    case CURLE_OPERATION_TIMEDOUT:
      return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
                   g_strdup_printf (_("The mail server %s did not answer in time: the message "
                                      "will be tried again."), self->host));

    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_UPLOAD_FAILED:
    case CURLE_QUOTE_ERROR:
    default:
      /* curl reports every negative reply as a send/receive error: the reply code tells a
       * refusal from a dropped connection. A reply without a code is a broken exchange. */
      if (code >= 400 && code < 600)
        return map_reply (self, rc, code, error);
      return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
                   g_strdup_printf (_("The connection to the mail server %s was lost (%s): "
                                      "the message will be tried again."),
                                    self->host, curl_text));
    }
}

RelanceSmtpOutcome
relance_smtp_session_send (RelanceSmtpSession  *session,
                           const char * const  *recipients,
                           GBytes              *raw,
                           char               **out_reply,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  struct curl_slist *rcpt = NULL;
  RelanceSmtpOutcome outcome;
  CURLcode rc;

  g_return_val_if_fail (session != NULL, RELANCE_SMTP_ACCOUNT);
  g_return_val_if_fail (raw != NULL, RELANCE_SMTP_PERMANENT);

  if (out_reply != NULL)
    *out_reply = NULL;
  if (recipients == NULL || recipients[0] == NULL)
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The message has no recipient."));
      return RELANCE_SMTP_PERMANENT;
    }
  for (gsize i = 0; recipients[i] != NULL; i++)
    {
      g_autofree char *to = NULL;

      /* Envelope addresses become SMTP commands: the same rules as in headers. */
      if (!relance_address_is_valid (recipients[i]))
        {
          curl_slist_free_all (rcpt);
          g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                               _("A recipient address is not valid: the message was not "
                                 "sent."));
          return RELANCE_SMTP_PERMANENT;
        }
      to = g_strdup_printf ("<%s>", recipients[i]);
      rcpt = curl_slist_append (rcpt, to);
    }

  session->raw = raw;
  session->offset = 0;
  session->stage = STAGE_CONNECT;
  session->quitting = FALSE;
  session->timed_out = FALSE;
  session->deadline = g_get_monotonic_time () + (gint64) session->timeout * G_USEC_PER_SEC;
  session->errbuf[0] = '\0';
  g_clear_pointer (&session->last_reply, g_free);

  curl_easy_setopt (session->curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (session->curl, CURLOPT_FRESH_CONNECT, session->fresh_connect ? 1L : 0L);
  rc = curl_easy_perform (session->curl);
  session->deadline = 0;
  if (session->timed_out)
    rc = CURLE_OPERATION_TIMEDOUT;
  curl_easy_setopt (session->curl, CURLOPT_MAIL_RCPT, NULL);
  curl_slist_free_all (rcpt);
  session->raw = NULL;

  /* The stage starts again at MAIL FROM on a reused connection, which is right: the
   * greeting and AUTH were accepted on an earlier message. */
  outcome = map_result (session, rc, &local_error);
  /* curl closes a connection after a failed transfer; start the next one afresh so no
   * half-finished SMTP transaction is ever continued. */
  session->fresh_connect = outcome != RELANCE_SMTP_SENT;

  g_debug ("SMTP %s:%d: %s (curl %d)", session->host, session->port,
           session->last_reply != NULL ? session->last_reply : "no reply", rc);
  if (out_reply != NULL)
    *out_reply = g_strdup (session->last_reply);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return outcome;
}
