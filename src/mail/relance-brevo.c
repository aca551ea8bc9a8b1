/* relance-brevo.c: Brevo's transactional email and SMS endpoints over libsoup 3, from a
 * worker thread (synchronous calls on a SoupSession made in that thread).
 *
 * Why the email is rebuilt from the stored MIME: the outbox keeps the exact bytes it built
 * as proof; reading the parts back from those bytes (GMime) means the API receives the
 * same sender, recipients, subject, text, HTML and attachments as the proof shows.
 *
 * Why an idempotency key: a timeout after Brevo took the request would otherwise send the
 * message twice on retry. The key is derived from the Message-ID, so every attempt of one
 * row carries the same key and Brevo drops the repeats. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relance-brevo.h"
#include "relance-clock.h"
#include "relance-credentials-private.h"
#include "relance-mail-error.h"
#include "relance-message.h"
#include "relance-sms.h"

/* GMime 3.2 declares no autoptr cleanups for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)

#define MAX_REPLY_LENGTH 300
#define MAX_RETRY_AFTER  (24 * 60 * 60)

struct _RelanceBrevoSession
{
  SoupSession *soup;
  char        *base;
  char        *api_key; /* wiped on free */
  gint64       retry_after;
};

static gboolean
base_url_is_safe (const char *base)
{
  g_autoptr(GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

RelanceBrevoSession *
relance_brevo_session_new (const RelanceAccount *account,
                           const char           *api_key)
{
  RelanceBrevoSession *self = g_new0 (RelanceBrevoSession, 1);
  const char *base = g_getenv ("RELANCE_BREVO_BASE_URL");
  int timeout = account != NULL && account->timeout > 0 ? account->timeout : 60;

  /* The override is for tests: plain HTTP only to this machine, so the api-key header
   * never crosses a network in the clear. */
  if (base != NULL && *base != '\0' && !base_url_is_safe (base))
    {
      g_warning ("RELANCE_BREVO_BASE_URL must be https:// or http:// to a loopback address; "
                 "ignored");
      base = NULL;
    }
  self->base = g_strdup (base != NULL && *base != '\0' ? base : RELANCE_BREVO_DEFAULT_BASE);
  while (g_str_has_suffix (self->base, "/"))
    self->base[strlen (self->base) - 1] = '\0';
  self->api_key = g_strdup (api_key);
  /* TLS is verified against the system's CAs (libsoup's default database). */
  self->soup = soup_session_new_with_options ("timeout", (guint) timeout,
                                              "idle-timeout", (guint) timeout,
                                              "user-agent", "Relance/" PACKAGE_VERSION,
                                              NULL);
  return self;
}

void
relance_brevo_session_free (RelanceBrevoSession *session)
{
  if (session == NULL)
    return;
  g_clear_object (&session->soup);
  if (session->api_key != NULL)
    {
      memset (session->api_key, 0, strlen (session->api_key));
      g_free (session->api_key);
    }
  g_free (session->base);
  g_free (session);
}

gint64
relance_brevo_session_get_retry_after (RelanceBrevoSession *session)
{
  return session->retry_after;
}

/* ---- the email's JSON, from the built MIME ---------------------------------------- */

static void
add_mailbox (JsonBuilder *builder, InternetAddress *ia)
{
  const char *name = internet_address_get_name (ia);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder,
                                 internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
  if (name != NULL && *name != '\0')
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_end_object (builder);
}

/* Adds the mailboxes of @list under @member (nothing when empty); remembers them in @seen. */
static void
add_list (JsonBuilder *builder, const char *member, InternetAddressList *list, GHashTable *seen)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;
  gboolean open = FALSE;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
        continue;
      if (!open)
        {
          json_builder_set_member_name (builder, member);
          json_builder_begin_array (builder);
          open = TRUE;
        }
      add_mailbox (builder, ia);
      g_hash_table_add (seen, g_ascii_strdown (
        internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), -1));
    }
  if (open)
    json_builder_end_array (builder);
}

typedef struct
{
  char      *text;
  char      *html;
  GPtrArray *attachments; /* JsonNode* objects {name, content} */
} Parts;

static GBytes *
decoded_content (GMimePart *part)
{
  GMimeDataWrapper *wrapper = g_mime_part_get_content (part);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GByteArray *array;

  if (wrapper == NULL)
    return g_bytes_new (NULL, 0);
  g_mime_data_wrapper_write_to_stream (wrapper, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}

static char *
text_of (GMimePart *part)
{
  g_autoptr(GBytes) bytes = decoded_content (part);
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part),
                                                                  "charset");
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = NULL;

  if (charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0
      || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    text = g_strndup (data != NULL ? data : "", len);
  else
    text = g_convert (data != NULL ? data : "", (gssize) len, "UTF-8", charset, NULL, NULL,
                      NULL);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  /* The proof has CRLF line ends (SMTP); an API takes plain newlines. */
  {
    GString *out = g_string_new (NULL);
    for (const char *p = text; *p != '\0'; p++)
      if (!(p[0] == '\r' && p[1] == '\n'))
        g_string_append_c (out, *p);
    return g_string_free (out, FALSE);
  }
}

static void
collect_part (GMimeObject *parent, GMimeObject *object, gpointer user_data)
{
  Parts *parts = user_data;
  GMimePart *part;
  GMimeContentType *type;
  const char *filename;

  if (!GMIME_IS_PART (object))
    return;
  part = GMIME_PART (object);
  type = g_mime_object_get_content_type (object);
  filename = g_mime_part_get_filename (part);

  if (!g_mime_part_is_attachment (part) && filename == NULL
      && g_mime_content_type_is_type (type, "text", "plain") && parts->text == NULL)
    parts->text = text_of (part);
  else if (!g_mime_part_is_attachment (part) && filename == NULL
           && g_mime_content_type_is_type (type, "text", "html") && parts->html == NULL)
    parts->html = text_of (part);
  else
    {
      g_autoptr(GBytes) bytes = decoded_content (part);
      g_autofree char *b64 = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      gsize len;
      const guchar *data = g_bytes_get_data (bytes, &len);

      b64 = g_base64_encode (data, len);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, filename != NULL ? filename : "attachment");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, b64);
      json_builder_end_object (builder);
      g_ptr_array_add (parts->attachments, json_builder_get_root (builder));
    }
}

/* A UUID (version 5 layout) from the Message-ID: the same row always gets the same key. */
static char *
idempotency_key (const char *message_id)
{
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, message_id, -1);
  char v = "89ab"[g_ascii_xdigit_value (sha[16]) & 3];

  return g_strdup_printf ("%.8s-%.4s-5%.3s-%c%.3s-%.12s", sha, sha + 8, sha + 13, v,
                          sha + 17, sha + 20);
}

char *
relance_brevo_email_json (const char * const  *recipients,
                          GBytes              *raw,
                          GError             **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) root = NULL;
  InternetAddressList *from;
  InternetAddressList *reply_to;
  const char *subject;
  const char *message_id;
  const char *auto_submitted;
  Parts parts = { NULL, NULL, NULL };
  gboolean bcc_open = FALSE;

  message = relance_message_parse (raw);
  from = message != NULL ? g_mime_message_get_from (message) : NULL;
  if (message == NULL || from == NULL || internet_address_list_length (from) != 1
      || !INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (from, 0)))
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The stored message could not be read back (no sender): it was "
                             "not sent."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sender");
  add_mailbox (builder, internet_address_list_get_address (from, 0));
  add_list (builder, "to", g_mime_message_get_to (message), seen);
  add_list (builder, "cc", g_mime_message_get_cc (message), seen);

  /* Bcc is only in the envelope: whoever the headers do not name. */
  for (gsize i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (recipients[i], -1);

      if (g_hash_table_contains (seen, lower))
        continue;
      if (!bcc_open)
        {
          json_builder_set_member_name (builder, "bcc");
          json_builder_begin_array (builder);
          bcc_open = TRUE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, recipients[i]);
      json_builder_end_object (builder);
      g_hash_table_add (seen, g_steal_pointer (&lower));
    }
  if (bcc_open)
    json_builder_end_array (builder);

  reply_to = g_mime_message_get_reply_to (message);
  if (reply_to != NULL && internet_address_list_length (reply_to) > 0
      && INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (reply_to, 0)))
    {
      json_builder_set_member_name (builder, "replyTo");
      add_mailbox (builder, internet_address_list_get_address (reply_to, 0));
    }

  subject = g_mime_message_get_subject (message);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject != NULL ? subject : "");

  parts.attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_mime_message_foreach (message, collect_part, &parts);
  if (parts.text == NULL && parts.html == NULL)
    {
      g_ptr_array_unref (parts.attachments);
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The stored message has no text to send: it was not sent."));
      return NULL;
    }
  if (parts.text != NULL)
    {
      json_builder_set_member_name (builder, "textContent");
      json_builder_add_string_value (builder, parts.text);
    }
  if (parts.html != NULL)
    {
      json_builder_set_member_name (builder, "htmlContent");
      json_builder_add_string_value (builder, parts.html);
    }
  if (parts.attachments->len > 0)
    {
      json_builder_set_member_name (builder, "attachment");
      json_builder_begin_array (builder);
      for (guint i = 0; i < parts.attachments->len; i++)
        json_builder_add_value (builder, json_node_ref (g_ptr_array_index (parts.attachments,
                                                                           i)));
      json_builder_end_array (builder);
    }
  g_free (parts.text);
  g_free (parts.html);
  g_ptr_array_unref (parts.attachments);

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  message_id = g_mime_message_get_message_id (message);
  if (message_id != NULL)
    {
      g_autofree char *bracketed = g_strdup_printf ("<%s>", message_id);
      g_autofree char *key = idempotency_key (message_id);

      json_builder_set_member_name (builder, "Message-ID");
      json_builder_add_string_value (builder, bracketed);
      json_builder_set_member_name (builder, "idempotencyKey");
      json_builder_add_string_value (builder, key);
    }
  auto_submitted = g_mime_object_get_header (GMIME_OBJECT (message), "Auto-Submitted");
  if (auto_submitted != NULL)
    {
      g_autofree char *value = g_strstrip (g_strdup (auto_submitted));

      json_builder_set_member_name (builder, "Auto-Submitted");
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ---- one call --------------------------------------------------------------------- */

static RelanceSmtpOutcome
fail (GError **error, RelanceSmtpOutcome outcome, RelanceMailError code, char *message)
{
  g_set_error_literal (error, RELANCE_MAIL_ERROR, code, message);
  g_free (message);
  return outcome;
}

static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  gint64 seconds = 0;

  if (value == NULL)
    value = soup_message_headers_get_one (headers, "x-sib-ratelimit-reset");
  if (value == NULL)
    return 0;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      char *end = NULL;

      seconds = g_ascii_strtoll (value, &end, 10);
      if (end == NULL || *g_strchug (end) != '\0')
        return 0;
    }
  else
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      g_autoptr(GDateTime) now = relance_clock_now ();

      if (when == NULL)
        return 0;
      seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
    }
  return CLAMP (seconds, 0, MAX_RETRY_AFTER);
}

/* "code: message" of a Brevo error body, or the start of whatever came. */
static char *
error_detail (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *snippet = NULL;

  if (data != NULL && len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *obj = json_node_get_object (json_parser_get_root (parser));
      const char *code = json_object_get_string_member_with_default (obj, "code", NULL);
      const char *message = json_object_get_string_member_with_default (obj, "message", NULL);

      if (code != NULL && message != NULL)
        return g_strdup_printf ("%s: %s", code, message);
      if (message != NULL)
        return g_strdup (message);
    }
  if (data == NULL || len == 0)
    return g_strdup ("");
  snippet = g_utf8_make_valid (data, (gssize) MIN (len, MAX_REPLY_LENGTH));
  g_strdelimit (snippet, "\r\n\t", ' ');
  return g_strdup (g_strstrip (snippet));
}

/* What @body says was accepted: "messageId <…>" (email) or "messageId 15118… reference …"
 * (SMS); NULL when the answer is not what Brevo documents. */
static char *
accepted_detail (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonObject *obj;
  JsonNode *id;
  const char *reference;

  if (data == NULL || len == 0
      || !json_parser_load_from_data (parser, data, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  obj = json_node_get_object (json_parser_get_root (parser));
  id = json_object_get_member (obj, "messageId");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
    return NULL;
  reference = json_object_get_string_member_with_default (obj, "reference", NULL);
  if (json_node_get_value_type (id) == G_TYPE_STRING && *json_node_get_string (id) != '\0')
    return g_strdup_printf ("messageId %s", json_node_get_string (id));
  if (json_node_get_value_type (id) == G_TYPE_INT64)
    return reference != NULL
             ? g_strdup_printf ("messageId %" G_GINT64_FORMAT " reference %s",
                                json_node_get_int (id), reference)
             : g_strdup_printf ("messageId %" G_GINT64_FORMAT, json_node_get_int (id));
  return NULL;
}

static RelanceSmtpOutcome
map_transport_error (RelanceBrevoSession *self, GError *soup_error, GError **error)
{
  if (g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
                 g_strdup_printf (_("Brevo (%s) did not answer in time: the message will be "
                                    "tried again."), self->base));
  if (soup_error->domain == G_TLS_ERROR)
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CERTIFICATE,
                 g_strdup_printf (_("No secure connection could be made with Brevo (%s): %s."),
                                  self->base, soup_error->message));
  if (soup_error->domain == G_RESOLVER_ERROR
      || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
      || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)
      || g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_UNREACHABLE,
                 /* Translators: "Cannot reach Brevo (https://api.brevo.com): Connection
                  * refused." */
                 g_strdup_printf (_("Cannot reach Brevo (%s): %s."), self->base,
                                  soup_error->message));
  /* Closed or reset mid-exchange: the idempotency key makes the retry safe. */
  return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
               g_strdup_printf (_("The connection to Brevo was lost (%s): the message will be "
                                  "tried again."), soup_error->message));
}

static RelanceSmtpOutcome
post_json (RelanceBrevoSession  *self,
           const char           *path,
           const char           *json,
           char                **out_reply,
           GError              **error)
{
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) soup_error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *status_text = NULL;
  SoupMessageHeaders *headers;
  guint status;

  self->retry_after = 0;
  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CONFIG,
                 g_strdup_printf (_("“%s” is not a valid address for Brevo."), url));
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_append (headers, "api-key", self->api_key != NULL ? self->api_key : "");
  soup_message_headers_append (headers, "accept", "application/json");
  request = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  body = soup_session_send_and_read (self->soup, msg, NULL, &soup_error);
  if (body == NULL)
    return map_transport_error (self, soup_error, error);

  status = soup_message_get_status (msg);
  if (status >= 200 && status < 300)
    {
      detail = accepted_detail (body);
      if (detail == NULL)
        {
          g_autofree char *seen = error_detail (body);

          if (out_reply != NULL)
            *out_reply = g_strdup_printf ("%u %s", status, seen);
          /* Accepted, yet no proof: sending again could duplicate it, so the owner
           * looks at Brevo's log and decides. */
          return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_PERMANENT,
                       g_strdup_printf (_("Brevo answered %u but not with a message id: the "
                                          "message was probably sent. Check Brevo’s "
                                          "transactional log before sending it again."),
                                        status));
        }
      if (out_reply != NULL)
        *out_reply = g_strdup_printf ("%u %s", status, detail);
      return RELANCE_SMTP_SENT;
    }

  detail = error_detail (body);
  status_text = *detail != '\0' ? g_strdup_printf ("%u %s", status, detail)
                                : g_strdup_printf ("%u %s", status,
                                                   soup_message_get_reason_phrase (msg));
  if (out_reply != NULL)
    *out_reply = g_strdup (status_text);

  if (status == 429 || status >= 500)
    {
      self->retry_after = parse_retry_after (soup_message_get_response_headers (msg));
      return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
                   status == 429
                     /* Translators: %s is Brevo's answer, e.g. "429 too_many_requests: …" */
                     ? g_strdup_printf (_("Brevo asked to slow down (%s): the message will be "
                                          "tried again later."), status_text)
                     : g_strdup_printf (_("Brevo had a problem (%s): the message will be tried "
                                          "again later."), status_text));
    }
  /* The contract: 400/401/403 make the row `failed` (its reply kept). A refused key
   * is also an account problem: the outbox stops the batch on RELANCE_MAIL_ERROR_AUTH so
   * the other rows are not failed one by one; the owner retries them once the key is set. */
  if (status == 401 || status == 403)
    return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_AUTH,
                 g_strdup_printf (_("Brevo refused the API key (%s): store a valid key with "
                                    "“relance account set-api-key”."), status_text));
  if (status == 402)
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CONFIG,
                 g_strdup_printf (_("The Brevo account cannot send (%s): add credits or "
                                    "check the plan."), status_text));
  if (status == 404 || status == 405)
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CONFIG,
                 g_strdup_printf (_("Brevo does not know this request (%s): check the "
                                    "transport settings."), status_text));
  if (status >= 400 && status < 500)
    return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_PERMANENT,
                 g_strdup_printf (_("Brevo refused the message (%s)."), status_text));
  return fail (error, RELANCE_SMTP_TEMPORARY, RELANCE_MAIL_ERROR_TEMPORARY,
               g_strdup_printf (_("Brevo gave an unexpected answer (%s): the message will be "
                                  "tried again."), status_text));
}

RelanceSmtpOutcome
relance_brevo_session_send (RelanceBrevoSession  *session,
                            const char * const   *recipients,
                            GBytes               *raw,
                            char                **out_reply,
                            GError              **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (session != NULL, RELANCE_SMTP_ACCOUNT);
  g_return_val_if_fail (raw != NULL, RELANCE_SMTP_PERMANENT);

  if (out_reply != NULL)
    *out_reply = NULL;
  session->retry_after = 0;
  if (recipients == NULL || recipients[0] == NULL)
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                           _("The message has no recipient."));
      return RELANCE_SMTP_PERMANENT;
    }
  for (gsize i = 0; recipients[i] != NULL; i++)
    if (!relance_address_is_valid (recipients[i]))
      {
        g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                             _("A recipient address is not valid: the message was not sent."));
        return RELANCE_SMTP_PERMANENT;
      }
  if ((json = relance_brevo_email_json (recipients, raw, error)) == NULL)
    return RELANCE_SMTP_PERMANENT;
  return post_json (session, "/v3/smtp/email", json, out_reply, error);
}

RelanceSmtpOutcome
relance_brevo_session_send_sms (RelanceBrevoSession  *session,
                                const char           *sender,
                                const char           *recipient,
                                const char           *content,
                                const char           *tag,
                                char                **out_reply,
                                GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean unicode = FALSE;

  g_return_val_if_fail (session != NULL, RELANCE_SMTP_ACCOUNT);

  if (out_reply != NULL)
    *out_reply = NULL;
  session->retry_after = 0;
  if (sender == NULL || *sender == '\0')
    return fail (error, RELANCE_SMTP_ACCOUNT, RELANCE_MAIL_ERROR_CONFIG,
                 g_strdup (_("No SMS sender name is set: run “relance config set sms.sender "
                             "NAME”.")));
  if (recipient == NULL || recipient[0] != '+' || strlen (recipient) < 9
      || content == NULL || *content == '\0' || !g_utf8_validate (content, -1, NULL))
    return fail (error, RELANCE_SMTP_PERMANENT, RELANCE_MAIL_ERROR_INVALID,
                 g_strdup (_("The SMS has no valid mobile number or no text: it was not "
                             "sent.")));
  {
    RelanceSmsCount count;

    relance_sms_count (content, &count);
    unicode = count.encoding == RELANCE_SMS_UCS2;
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "transactional");
  json_builder_set_member_name (builder, "sender");
  json_builder_add_string_value (builder, sender);
  /* Brevo wants the number with its country code and no "+". */
  json_builder_set_member_name (builder, "recipient");
  json_builder_add_string_value (builder, recipient + 1);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  /* GSM-7 text (é, è, à are in it) goes as GSM-7; anything else must not be rewritten by
   * Brevo into plain letters behind the owner's back: the count shown was for the text. */
  json_builder_set_member_name (builder, "unicodeEnabled");
  json_builder_add_boolean_value (builder, unicode);
  if (tag != NULL)
    {
      json_builder_set_member_name (builder, "tag");
      json_builder_add_string_value (builder, tag);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return post_json (session, "/v3/transactionalSMS/sms", json, out_reply, error);
}

/* ---- the API key in the keyring ----------------------------------------------------- */

static const SecretSchema *
api_key_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Relance.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

gboolean
relance_brevo_api_key_store (const char    *api_key,
                             GCancellable  *cancellable,
                             GError       **error)
{
  if (api_key == NULL || *api_key == '\0')
    {
      g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                           _("The API key is empty."));
      return FALSE;
    }
  for (const char *p = api_key; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      {
        /* It goes in an HTTP header: never echo it, just say what is wrong. */
        g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                             _("The API key contains spaces or other characters an API key "
                               "does not have: paste it again."));
        return FALSE;
      }
  /* Translators: the name of the keyring item, as shown in Passwords and Keys */
  return relance_credentials_keyring (RELANCE_KEYRING_STORE, api_key_schema (),
                                      _("Relance Brevo API key"), api_key, NULL, cancellable,
                                      error, "kind", "brevo-api-key", NULL);
}

char *
relance_brevo_api_key_lookup (GCancellable  *cancellable,
                              GError       **error)
{
  char *secret;

  if (!relance_credentials_keyring (RELANCE_KEYRING_LOOKUP, api_key_schema (), NULL, NULL,
                                    &secret, cancellable, error,
                                    "kind", "brevo-api-key", NULL))
    return NULL;
  if (secret == NULL)
    g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_NO_PASSWORD,
                         _("No Brevo API key is stored: run “relance account set-api-key”."));
  return secret;
}
