/* test-brevo.c: the Brevo transport against a loopback SoupServer that answers like Brevo's
 * documented API: the JSON we send matches the built message, and every answer (success,
 * malformed, timeout, 400, 401, 403, 429 with Retry-After, 500, refused connection) maps to
 * the outcome the outbox expects. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "relance-brevo.h"
#include "relance-mail-error.h"
#include "relance-message.h"

/* ---- the fixture: a SoupServer in its own thread ----------------------------------- */

typedef struct
{
  GMutex        lock;
  GCond         ready_cond;
  gboolean      ready;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         port;
  /* What to answer, and what was asked */
  guint         status;
  char         *body;
  char         *retry_after;
  gboolean      hang;
  char         *last_path;
  char         *last_body;
  char         *last_api_key;
  char         *last_content_type;
  char         *last_accept;
  guint         requests;
} Fixture;

static Fixture fx;

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer user_data)
{
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);

  g_mutex_lock (&fx.lock);
  fx.requests++;
  g_free (fx.last_path);
  fx.last_path = g_strdup (path);
  g_free (fx.last_body);
  fx.last_body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_free (fx.last_api_key);
  fx.last_api_key = g_strdup (soup_message_headers_get_one (in, "api-key"));
  g_free (fx.last_content_type);
  fx.last_content_type = g_strdup (soup_message_headers_get_one (in, "content-type"));
  g_free (fx.last_accept);
  fx.last_accept = g_strdup (soup_message_headers_get_one (in, "accept"));
  if (fx.hang)
    {
      /* Never answer: the client's timeout must fire. */
      soup_server_message_pause (msg);
      g_mutex_unlock (&fx.lock);
      return;
    }
  if (fx.retry_after != NULL)
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After",
                                 fx.retry_after);
  soup_server_message_set_status (msg, fx.status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, fx.body,
                                    strlen (fx.body));
  g_mutex_unlock (&fx.lock);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fx.context);
  fx.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fx.server, NULL, handle, NULL, NULL);
  if (!soup_server_listen_local (fx.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("SoupServer: %s", error->message);
  uris = soup_server_get_uris (fx.server);
  g_mutex_lock (&fx.lock);
  fx.port = (guint) g_uri_get_port (uris->data);
  fx.ready = TRUE;
  g_cond_signal (&fx.ready_cond);
  g_mutex_unlock (&fx.lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (fx.loop);
  g_main_context_pop_thread_default (fx.context);
  return NULL;
}

static void
answer (guint status, const char *body, const char *retry_after)
{
  g_mutex_lock (&fx.lock);
  fx.status = status;
  g_free (fx.body);
  fx.body = g_strdup (body);
  g_free (fx.retry_after);
  fx.retry_after = g_strdup (retry_after);
  fx.hang = FALSE;
  g_mutex_unlock (&fx.lock);
}

static RelanceBrevoSession *
new_session (int timeout)
{
  RelanceAccount account = { 0 };

  account.timeout = timeout;
  return relance_brevo_session_new (&account, "xkeysib-test-0123456789");
}

/* ---- the message ------------------------------------------------------------------- */

static const char *TEXT = "Bonjour Madame Lefèvre,\n\nLa facture F2026-001 (1 200,00 €) est "
                          "échue depuis le 01/02/2026.\n\nCordialement,\nAtelier Dupont\n";
static const char *HTML = "<p>Bonjour Madame Lefèvre,</p><p>La facture <b>F2026-001</b> "
                          "(1&nbsp;200,00&nbsp;€) est échue.</p>";
static const guchar PDF[] = "%PDF-1.4\n\x01\x02\xff binary \x00 data\n%%EOF\n";

static GBytes *
build_message (char **out_id, gboolean with_attachment)
{
  const char *to[] = { "compta@boulangerie-martin.test", NULL };
  const char *cc[] = { "gerant@boulangerie-martin.test", NULL };
  const char *bcc[] = { "facturation@atelier-dupont.test", NULL };
  g_autoptr(GPtrArray) attachments = g_ptr_array_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 2, 24, 10, 0, 0);
  RelanceAttachment att = { (char *) "mise-en-demeure-F2026-001.pdf",
                            (char *) "application/pdf", NULL };
  RelanceMessageSpec spec = { 0 };
  g_autoptr(GError) error = NULL;
  GBytes *raw;

  att.data = g_bytes_new_static (PDF, sizeof PDF - 1);
  g_ptr_array_add (attachments, &att);
  spec.from_name = "Atelier Dupont";
  spec.from_address = "facturation@atelier-dupont.test";
  spec.reply_to = "compta@atelier-dupont.test";
  spec.to = to;
  spec.cc = cc;
  spec.bcc = bcc;
  spec.to_name = "Boulangerie Martin";
  spec.subject = "Relance : facture F2026-001 échue – Atelier Dupont";
  spec.text = TEXT;
  spec.html = HTML;
  spec.attachments = with_attachment ? attachments : NULL;
  spec.date = date;
  spec.auto_submitted = TRUE;
  raw = relance_message_build (&spec, out_id, &error);
  g_assert_no_error (error);
  g_bytes_unref (att.data);
  return raw;
}

static const char *ENVELOPE[] = { "compta@boulangerie-martin.test",
                                  "gerant@boulangerie-martin.test",
                                  "facturation@atelier-dupont.test", NULL };

static JsonObject *
parse_last_body (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&fx.lock);
  json_parser_load_from_data (parser, fx.last_body, -1, &error);
  g_mutex_unlock (&fx.lock);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_email_json (void)
{
  g_autoptr(RelanceBrevoSession) session = new_session (10);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) raw = build_message (&message_id, TRUE);
  g_autofree char *reply = NULL;
  g_autofree char *bracketed = g_strdup_printf ("<%s>", message_id);
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pdf = NULL;
  JsonObject *body, *o, *headers;
  JsonArray *a;
  gsize pdf_len;
  RelanceSmtpOutcome outcome;
  const char *key;

  answer (201, "{\"messageId\":\"<202602241000.12345678901@smtp-relay.mailin.fr>\"}", NULL);
  outcome = relance_brevo_session_send (session, ENVELOPE, raw, &reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, RELANCE_SMTP_SENT);
  g_assert_cmpstr (reply, ==, "201 messageId <202602241000.12345678901@smtp-relay.mailin.fr>");

  g_assert_cmpstr (fx.last_path, ==, "/v3/smtp/email");
  g_assert_cmpstr (fx.last_api_key, ==, "xkeysib-test-0123456789");
  g_assert_true (g_str_has_prefix (fx.last_content_type, "application/json"));
  g_assert_cmpstr (fx.last_accept, ==, "application/json");

  body = parse_last_body (parser);
  o = json_object_get_object_member (body, "sender");
  g_assert_cmpstr (json_object_get_string_member (o, "email"), ==,
                   "facturation@atelier-dupont.test");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Atelier Dupont");
  a = json_object_get_array_member (body, "to");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  o = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "email"), ==,
                   "compta@boulangerie-martin.test");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Boulangerie Martin");
  a = json_object_get_array_member (body, "cc");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0),
                                                  "email"), ==,
                   "gerant@boulangerie-martin.test");
  /* The Bcc is only in the envelope, never in the headers: it comes back as bcc. */
  a = json_object_get_array_member (body, "bcc");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0),
                                                  "email"), ==,
                   "facturation@atelier-dupont.test");
  o = json_object_get_object_member (body, "replyTo");
  g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, "compta@atelier-dupont.test");
  g_assert_cmpstr (json_object_get_string_member (body, "subject"), ==,
                   "Relance : facture F2026-001 échue – Atelier Dupont");
  g_assert_cmpstr (json_object_get_string_member (body, "textContent"), ==, TEXT);
  g_assert_cmpstr (json_object_get_string_member (body, "htmlContent"), ==, HTML);

  a = json_object_get_array_member (body, "attachment");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  o = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==,
                   "mise-en-demeure-F2026-001.pdf");
  pdf = g_base64_decode (json_object_get_string_member (o, "content"), &pdf_len);
  g_assert_cmpmem (pdf, pdf_len, PDF, sizeof PDF - 1);

  headers = json_object_get_object_member (body, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "Auto-Submitted"), ==,
                   "auto-generated");
  g_assert_cmpstr (json_object_get_string_member (headers, "Message-ID"), ==, bracketed);
  key = json_object_get_string_member (headers, "idempotencyKey");
  g_assert_true (g_uuid_string_is_valid (key));

  /* The same message again carries the same idempotency key (a retry is deduplicated). */
  {
    g_autoptr(JsonParser) again = json_parser_new ();
    g_autofree char *reply2 = NULL;
    g_autofree char *first_key = g_strdup (key);

    relance_brevo_session_send (session, ENVELOPE, raw, &reply2, NULL);
    headers = json_object_get_object_member (parse_last_body (again), "headers");
    g_assert_cmpstr (json_object_get_string_member (headers, "idempotencyKey"), ==, first_key);
  }
}

typedef struct
{
  const char         *name;
  guint               status;      /* 0: hang (timeout) */
  const char         *body;
  const char         *retry_after;
  RelanceSmtpOutcome  outcome;
  int                 code;        /* RELANCE_MAIL_ERROR_*, -1 when none */
  const char         *reply;       /* expected prefix of the reply, NULL for none */
  gint64              wait;        /* expected retry_after */
} StatusCase;

static const StatusCase status_cases[] = {
  { "success", 201, "{\"messageId\":\"<1.2@smtp-relay.mailin.fr>\"}", NULL, RELANCE_SMTP_SENT,
    -1, "201 messageId <1.2@smtp-relay.mailin.fr>", 0 },
  { "malformed", 201, "<html>oops</html>", NULL, RELANCE_SMTP_PERMANENT,
    RELANCE_MAIL_ERROR_PERMANENT, "201 <html>oops</html>", 0 },
  { "no-id", 201, "{\"id\":3}", NULL, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_PERMANENT,
    "201", 0 },
  { "400", 400, "{\"code\":\"invalid_parameter\",\"message\":\"email is not valid in to\"}",
    NULL, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_PERMANENT,
    "400 invalid_parameter: email is not valid in to", 0 },
  { "401", 401, "{\"code\":\"unauthorized\",\"message\":\"Key not found\"}", NULL,
    RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_AUTH, "401 unauthorized: Key not found", 0 },
  { "403", 403, "{\"code\":\"permission_denied\",\"message\":\"IP not allowed\"}", NULL,
    RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_AUTH, "403 permission_denied", 0 },
  { "429-seconds", 429, "{\"code\":\"too_many_requests\",\"message\":\"slow down\"}", "120",
    RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY, "429 too_many_requests", 120 },
  { "429-date", 429, "{}", "Tue, 24 Feb 2026 10:05:00 GMT", RELANCE_SMTP_TEMPORARY,
    RELANCE_MAIL_ERROR_TEMPORARY, "429", 300 },
  { "429-garbage", 429, "{}", "soon", RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
    "429", 0 },
  { "500", 500, "Internal Server Error", NULL, RELANCE_SMTP_TEMPORARY,
    RELANCE_MAIL_ERROR_TEMPORARY, "500 Internal Server Error", 0 },
  { "503-retry", 503, "", "30", RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY, "503",
    30 },
  { "timeout", 0, "", NULL, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY, NULL, 0 },
};

static void
test_statuses (void)
{
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) raw = build_message (&message_id, FALSE);

  g_setenv ("RELANCE_NOW", "2026-02-24T10:00:00Z", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      const StatusCase *c = &status_cases[i];
      g_autoptr(RelanceBrevoSession) session = new_session (c->status == 0 ? 1 : 10);
      g_autoptr(GError) error = NULL;
      g_autofree char *reply = NULL;
      RelanceSmtpOutcome outcome;

      g_test_message ("case %s", c->name);
      answer (c->status, c->body, c->retry_after);
      if (c->status == 0)
        fx.hang = TRUE;
      outcome = relance_brevo_session_send (session, ENVELOPE, raw, &reply, &error);
      g_assert_cmpint (outcome, ==, c->outcome);
      if (c->code < 0)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, RELANCE_MAIL_ERROR, c->code);
          g_assert_cmpuint (strlen (error->message), >, 20);
        }
      if (c->reply != NULL)
        g_assert_true (reply != NULL && g_str_has_prefix (reply, c->reply));
      else
        g_assert_null (reply);
      g_assert_cmpint (relance_brevo_session_get_retry_after (session), ==, c->wait);
    }
  answer (201, "{}", NULL);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(RelanceBrevoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) raw = build_message (&message_id, FALSE);
  g_autofree char *base = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("RELANCE_BREVO_BASE_URL"));
  RelanceSmtpOutcome outcome;

  /* A port that was just free and has no listener: the connection is refused. */
  g_assert_true (g_socket_bind (sock, any, TRUE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  base = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (sock, NULL);
  g_setenv ("RELANCE_BREVO_BASE_URL", base, TRUE);
  session = new_session (5);
  outcome = relance_brevo_session_send (session, ENVELOPE, raw, NULL, &error);
  g_setenv ("RELANCE_BREVO_BASE_URL", saved, TRUE);
  g_assert_cmpint (outcome, ==, RELANCE_SMTP_ACCOUNT);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_UNREACHABLE);
}

static void
test_sms (void)
{
  g_autoptr(RelanceBrevoSession) session = new_session (10);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  JsonObject *body;
  RelanceSmtpOutcome outcome;

  answer (201, "{\"reference\":\"ab1cde2fgh3i4jklmno\",\"messageId\":1511882900176220,"
               "\"smsCount\":1,\"usedCredits\":0.7,\"remainingCredits\":82.85}", NULL);
  outcome = relance_brevo_session_send_sms (session, "AtelierDup", "+33612345678",
                                            "Atelier Dupont : rappel, facture F2026-001.",
                                            "abc@sms.relance", &reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, RELANCE_SMTP_SENT);
  g_assert_cmpstr (reply, ==, "201 messageId 1511882900176220 reference ab1cde2fgh3i4jklmno");
  g_assert_cmpstr (fx.last_path, ==, "/v3/transactionalSMS/sms");
  body = parse_last_body (parser);
  g_assert_cmpstr (json_object_get_string_member (body, "sender"), ==, "AtelierDup");
  g_assert_cmpstr (json_object_get_string_member (body, "recipient"), ==, "33612345678");
  g_assert_cmpstr (json_object_get_string_member (body, "content"), ==,
                   "Atelier Dupont : rappel, facture F2026-001.");
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "transactional");
  g_assert_cmpstr (json_object_get_string_member (body, "tag"), ==, "abc@sms.relance");
  g_assert_false (json_object_get_boolean_member (body, "unicodeEnabled"));
  /* é is GSM-7; ê is not: only then does the SMS go as Unicode. */
  relance_brevo_session_send_sms (session, "AtelierDup", "+33612345678", "Facture échue.",
                                  NULL, NULL, NULL);
  body = parse_last_body (parser);
  g_assert_false (json_object_get_boolean_member (body, "unicodeEnabled"));
  relance_brevo_session_send_sms (session, "AtelierDup", "+33612345678", "Fête.", NULL, NULL,
                                  NULL);
  body = parse_last_body (parser);
  g_assert_true (json_object_get_boolean_member (body, "unicodeEnabled"));

  /* No sender: the account is at fault, nothing is asked of Brevo. */
  g_clear_error (&error);
  fx.requests = 0;
  outcome = relance_brevo_session_send_sms (session, NULL, "+33612345678", "x", NULL, NULL,
                                            &error);
  g_assert_cmpint (outcome, ==, RELANCE_SMTP_ACCOUNT);
  g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG);
  g_assert_cmpuint (fx.requests, ==, 0);
  /* 400 for a number Brevo refuses. */
  g_clear_error (&error);
  answer (400, "{\"code\":\"invalid_parameter\",\"message\":\"Invalid phone number\"}", NULL);
  outcome = relance_brevo_session_send_sms (session, "AtelierDup", "+33612345678", "x", NULL,
                                            NULL, &error);
  g_assert_cmpint (outcome, ==, RELANCE_SMTP_PERMANENT);
}

int
main (int argc, char *argv[])
{
  g_autofree char *base = NULL;
  GThread *thread;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The isolated XDG_DATA_DIRS hide the system's proxy settings schema, which the GNOME
   * proxy resolver would abort on; the loopback server needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_mutex_init (&fx.lock);
  g_cond_init (&fx.ready_cond);
  fx.context = g_main_context_new ();
  fx.loop = g_main_loop_new (fx.context, FALSE);
  fx.body = g_strdup ("{}");
  fx.status = 201;
  thread = g_thread_new ("brevo-fixture", server_thread, NULL);
  g_mutex_lock (&fx.lock);
  while (!fx.ready)
    g_cond_wait (&fx.ready_cond, &fx.lock);
  g_mutex_unlock (&fx.lock);
  base = g_strdup_printf ("http://127.0.0.1:%u", fx.port);
  g_setenv ("RELANCE_BREVO_BASE_URL", base, TRUE);

  g_test_add_func ("/brevo/email-json", test_email_json);
  g_test_add_func ("/brevo/statuses", test_statuses);
  g_test_add_func ("/brevo/unreachable", test_unreachable);
  g_test_add_func ("/brevo/sms", test_sms);
  status = g_test_run ();

  g_main_loop_quit (fx.loop);
  g_thread_join (thread);
  return status;
}
