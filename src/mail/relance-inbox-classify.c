/* relance-inbox-classify.c: recognising the clients' answers among the messages read from
 * the inbox (relance-inbox.c): a reply, an automatic reply or a bounce about invoices
 * Relance reminded, parsed with GMime; anything else is none of Relance's business. And
 * the sentence that tells the owner about one. See relance-inbox.h. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "relance-inbox.h"
#include "relance-message.h"

/* GMime 3.2 declares no autoptr cleanups (relance-message.c defines its own, privately). */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)

static gboolean
header_present (GMimeObject *object, const char *name)
{
  return g_mime_object_get_header (object, name) != NULL;
}

static gboolean
contains_word (const char *haystack, const char *needle)
{
  gsize len = strlen (needle);
  const char *p = haystack;

  if (haystack == NULL || len == 0)
    return FALSE;
  while ((p = strstr (p, needle)) != NULL)
    {
      gboolean start_ok = p == haystack || !g_ascii_isalnum (p[-1]);
      gboolean end_ok = !g_ascii_isalnum (p[len]) && p[len] != '-';

      if (start_ok && end_ok)
        return TRUE;
      p++;
    }
  return FALSE;
}

static gboolean
is_auto_reply (GMimeMessage *message)
{
  GMimeObject *object = GMIME_OBJECT (message);
  const char *auto_submitted = g_mime_object_get_header (object, "Auto-Submitted");
  const char *precedence = g_mime_object_get_header (object, "Precedence");
  const char *subject = g_mime_message_get_subject (message);
  g_autofree char *folded = subject != NULL ? g_utf8_casefold (subject, -1) : NULL;
  /* Subjects of out-of-office messages in English and French (Outlook, Gmail,
   * Thunderbird, Zimbra, OVH…), folded. */
  static const char *subjects[] = {
    "out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
    "auto-reply", "away from", "on vacation", "on holiday", "réponse automatique",
    "reponse automatique", "absence du bureau", "absent du bureau", "message d'absence",
    "message d’absence", "en congé", "en conge", "en vacances", "absent(e)", "absente",
  };

  /* RFC 3834: anything but "no" is automatic. */
  while (auto_submitted != NULL && g_ascii_isspace (*auto_submitted))
    auto_submitted++;
  if (auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "no", 2) != 0)
    return TRUE;
  if (header_present (object, "X-Autoreply") || header_present (object, "X-Autorespond"))
    return TRUE;
  if (precedence != NULL && g_ascii_strncasecmp (precedence, "auto_reply", 10) == 0)
    return TRUE;
  for (guint i = 0; folded != NULL && i < G_N_ELEMENTS (subjects); i++)
    if (strstr (folded, subjects[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Message-IDs this message says it answers: In-Reply-To, then References. */
static GPtrArray *
threading_ids (GMimeMessage *message)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  static const char *headers[] = { "In-Reply-To", "References" };

  for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
    {
      const char *value = g_mime_object_get_header (GMIME_OBJECT (message), headers[h]);
      GMimeReferences *refs;

      if (value == NULL)
        continue;
      refs = g_mime_references_parse (NULL, value);
      for (int i = 0; refs != NULL && i < g_mime_references_length (refs); i++)
        g_ptr_array_add (ids, g_strdup (g_mime_references_get_message_id (refs, i)));
      if (refs != NULL)
        g_mime_references_free (refs);
    }
  return ids;
}

typedef struct
{
  char       *text;        /* first text/plain part */
  char       *html;        /* first text/html part */
  GString    *report;      /* message/delivery-status contents */
  GPtrArray  *inner_ids;   /* Message-IDs of returned messages (rfc822, headers) */
  gboolean    is_dsn;
} Walk;

static char *
part_text (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (part));
  const char *charset = g_mime_content_type_get_parameter (type, "charset");
  char *utf8;

  if (content == NULL)
    return NULL;
  stream = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_mime_data_wrapper_write_to_stream (content, stream);
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0)
    {
      utf8 = g_convert ((const char *) bytes->data, bytes->len, "UTF-8",
                        g_mime_charset_iconv_name (charset), NULL, NULL, NULL);
      if (utf8 != NULL)
        return utf8;
    }
  utf8 = g_utf8_make_valid ((const char *) bytes->data, bytes->len);
  return utf8;
}

static void
collect_ids_from_headers (GMimeObject *object, GPtrArray *ids)
{
  const char *value = g_mime_object_get_header (object, "Message-ID");

  if (value != NULL)
    g_ptr_array_add (ids, g_strdup (value));
}

/* text/rfc822-headers: the returned message's headers as text. */
static void
collect_ids_from_text (const char *text, GPtrArray *ids)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Message-ID:", 11) == 0)
      {
        g_autofree char *value = g_strstrip (g_strdup (lines[i] + 11));
        if (*value == '\0' && lines[i + 1] != NULL)
          {
            g_free (value);
            value = g_strstrip (g_strdup (lines[i + 1]));
          }
        g_ptr_array_add (ids, g_steal_pointer (&value));
      }
}

static void
walk_part (GMimeObject *parent, GMimeObject *part, gpointer user_data)
{
  Walk *walk = user_data;
  GMimeContentType *type = g_mime_object_get_content_type (part);

  (void) parent;
  if (GMIME_IS_MESSAGE_PART (part))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
      if (inner != NULL)
        collect_ids_from_headers (GMIME_OBJECT (inner), walk->inner_ids);
      return;
    }
  if (!GMIME_IS_PART (part))
    return;
  if (g_mime_content_type_is_type (type, "message", "delivery-status")
      || g_mime_content_type_is_type (type, "message", "global-delivery-status"))
    {
      g_autofree char *text = part_text (GMIME_PART (part));
      if (text != NULL)
        g_string_append (walk->report, text);
      return;
    }
  if (g_mime_content_type_is_type (type, "text", "rfc822-headers"))
    {
      g_autofree char *text = part_text (GMIME_PART (part));
      collect_ids_from_text (text, walk->inner_ids);
      return;
    }
  if (g_mime_content_type_is_type (type, "text", "plain") && walk->text == NULL)
    walk->text = part_text (GMIME_PART (part));
  else if (g_mime_content_type_is_type (type, "text", "html") && walk->html == NULL)
    walk->html = part_text (GMIME_PART (part));
}

/* A readable text of an HTML-only answer: tags dropped, entities left as they are. */
static char *
strip_html (const char *html)
{
  GString *out = g_string_new (NULL);
  gboolean in_tag = FALSE;

  for (const char *p = html; *p != '\0'; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>')
        in_tag = FALSE;
      else if (!in_tag)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The answer's own words: quoted lines ("> …") and what follows the usual "On … wrote:"
 * are the reminder itself. Capped: the timeline shows the beginning. */
static char *
answer_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL && out->len < 4000; i++)
    {
      const char *line = lines[i];
      g_autofree char *folded = g_utf8_casefold (line, -1);

      if (g_str_has_prefix (line, ">"))
        continue;
      if (g_str_has_prefix (folded, "-----original message") || g_str_has_prefix (folded, "de :")
          || (g_str_has_prefix (folded, "on ") && g_str_has_suffix (g_strchomp (folded), "wrote:"))
          || (g_str_has_prefix (folded, "le ") && g_str_has_suffix (g_strchomp (folded), "a écrit :")))
        break;
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
report_field (const char *report, const char *name)
{
  g_auto(GStrv) lines = g_strsplit (report, "\n", -1);
  gsize len = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      {
        char *value = g_strstrip (g_strdup (lines[i] + len + 1));
        char *semi = strchr (value, ';');

        /* "rfc822; client@example.com" */
        if (semi != NULL)
          {
            char *bare = g_strstrip (g_strdup (semi + 1));
            g_free (value);
            value = bare;
          }
        return value;
      }
  return NULL;
}

static gboolean
from_mailer_daemon (const char *address)
{
  return address != NULL && (g_ascii_strncasecmp (address, "mailer-daemon@", 14) == 0
                             || g_ascii_strncasecmp (address, "postmaster@", 11) == 0
                             || g_ascii_strncasecmp (address, "mail-daemon@", 12) == 0);
}

/* Every <…@…> in @text: a mailer-daemon message quotes the lost message in its own way. */
static void
collect_bracketed_ids (const char *text, GPtrArray *ids)
{
  const char *p = text;

  while (p != NULL && (p = strchr (p, '<')) != NULL)
    {
      const char *end = strchr (p, '>');
      if (end == NULL)
        break;
      if (end - p < 256 && memchr (p, '@', end - p) != NULL && memchr (p, ' ', end - p) == NULL)
        g_ptr_array_add (ids, g_strndup (p + 1, end - p - 1));
      p = end;
    }
}

RelanceInboxMessage *
relance_inbox_classify (RelanceStore *store,
                        GBytes       *raw,
                        gint64        uidvalidity,
                        gint64        uid,
                        GDateTime    *now)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(RelanceInboxMessage) result = NULL;
  g_autoptr(GPtrArray) thread = NULL;
  g_autoptr(GPtrArray) inner_ids = g_ptr_array_new_with_free_func (g_free);
  Walk walk = { NULL, NULL, g_string_new (NULL), inner_ids, FALSE };
  InternetAddressList *from;
  InternetAddress *sender = NULL;
  GMimeContentType *type;
  GDateTime *date;
  const char *message_id;
  gboolean found = FALSE;
  gsize size;
  const guint8 *data = g_bytes_get_data (raw, &size);

  relance_message_init ();
  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    goto done;

  message_id = g_mime_message_get_message_id (message);
  if (message_id != NULL && relance_store_inbox_knows (store, message_id))
    goto done;

  result = g_new0 (RelanceInboxMessage, 1);
  result->uidvalidity = uidvalidity;
  result->uid = uid;
  result->message_id = g_strdup (message_id);
  from = g_mime_message_get_from (message);
  if (from != NULL && internet_address_list_length (from) > 0)
    sender = internet_address_list_get_address (from, 0);
  if (sender != NULL && INTERNET_ADDRESS_IS_MAILBOX (sender))
    {
      const char *name = internet_address_get_name (sender);
      result->sender = g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (sender)));
      result->sender_name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
    }
  if (result->sender == NULL)
    result->sender = g_strdup ("");
  result->subject = g_strdup (g_mime_message_get_subject (message) != NULL
                                ? g_mime_message_get_subject (message) : "");
  date = g_mime_message_get_date (message);
  result->received_at = date != NULL ? g_date_time_to_unix (date) : g_date_time_to_unix (now);

  g_mime_message_foreach (message, walk_part, &walk);
  type = g_mime_object_get_content_type (g_mime_message_get_mime_part (message));
  walk.is_dsn = type != NULL && g_mime_content_type_is_type (type, "multipart", "report")
                && g_strcmp0 (g_mime_content_type_get_parameter (type, "report-type"),
                              "delivery-status") == 0;

  /* Bounces first: a DSN also carries Auto-Submitted (RFC 3464, 3834). */
  if (walk.is_dsn || from_mailer_daemon (result->sender))
    {
      g_autofree char *action = report_field (walk.report->str, "Action");
      g_autofree char *recipient = report_field (walk.report->str, "Final-Recipient");

      /* A "delayed" or "delivered" report is no bounce: the message may still arrive. */
      if (walk.is_dsn && action != NULL && g_ascii_strcasecmp (action, "failed") != 0)
        goto unrelated;
      if (!walk.is_dsn)
        {
          collect_bracketed_ids (walk.text, inner_ids);
          collect_bracketed_ids (walk.html, inner_ids);
        }
      for (guint i = 0; !found && i < inner_ids->len; i++)
        found = relance_store_inbox_find_sent (store, g_ptr_array_index (inner_ids, i),
                                               &result->outbox_id, &result->client_id,
                                               &result->invoices);
      if (!found && walk.is_dsn && recipient != NULL)
        {
          /* A DSN that lost the original's headers still names the address. */
          g_autoptr(GPtrArray) clients = relance_store_inbox_clients_at (store, recipient, NULL);
          if (clients != NULL && clients->len > 0)
            {
              GStrv row = g_ptr_array_index (clients, 0);
              result->client_id = g_ascii_strtoll (row[0], NULL, 10);
              result->invoices = g_strdupv (row + 2);
              found = TRUE;
            }
        }
      if (!found)
        goto unrelated;
      result->kind = RELANCE_INBOX_BOUNCE;
      result->bounced_address = g_steal_pointer (&recipient);
      goto done;
    }

  /* Replies and automatic replies: threading headers first, then the client's address. */
  thread = threading_ids (message);
  for (guint i = 0; !found && i < thread->len; i++)
    found = relance_store_inbox_find_sent (store, g_ptr_array_index (thread, i),
                                           NULL, &result->client_id, &result->invoices);
  if (!found)
    {
      g_autoptr(GPtrArray) clients = relance_store_inbox_clients_at (store, result->sender, NULL);
      gboolean auto_reply = is_auto_reply (message);
      g_autofree char *body = walk.text != NULL ? g_strdup (walk.text)
                              : walk.html != NULL ? strip_html (walk.html) : g_strdup ("");

      for (guint c = 0; clients != NULL && !found && c < clients->len; c++)
        {
          GStrv row = g_ptr_array_index (clients, c);
          g_autoptr(GStrvBuilder) named = g_strv_builder_new ();
          gboolean any = FALSE;

          for (guint n = 2; row[n] != NULL; n++)
            if (contains_word (result->subject, row[n]) || contains_word (body, row[n]))
              {
                g_strv_builder_add (named, row[n]);
                any = TRUE;
              }
          /* An out-of-office message names no invoice: the client's address is enough. */
          if (any || (auto_reply && row[2] != NULL))
            {
              result->client_id = g_ascii_strtoll (row[0], NULL, 10);
              g_strfreev (result->invoices);
              result->invoices = any ? g_strv_builder_end (named) : g_strdupv (row + 2);
              found = TRUE;
            }
        }
    }
  if (!found)
    goto unrelated;

  result->kind = is_auto_reply (message) ? RELANCE_INBOX_AUTO_REPLY : RELANCE_INBOX_REPLY;
  if (result->kind == RELANCE_INBOX_REPLY)
    {
      g_autofree char *body = walk.text != NULL ? g_strdup (walk.text)
                              : walk.html != NULL ? strip_html (walk.html) : NULL;
      result->text = body != NULL ? answer_text (body) : NULL;
    }
  goto done;

unrelated:
  g_clear_pointer (&result, relance_inbox_message_free);
done:
  g_free (walk.text);
  g_free (walk.html);
  g_string_free (walk.report, TRUE);
  if (result != NULL && result->invoices == NULL)
    result->invoices = g_new0 (char *, 1);
  return g_steal_pointer (&result);
}

char *
relance_inbox_message_summary (const RelanceInboxMessage *message)
{
  const char *who = message->client_name != NULL ? message->client_name : message->sender;
  g_autofree char *numbers = g_strjoinv (", ", message->invoices);

  switch (message->kind)
    {
    case RELANCE_INBOX_REPLY:
      /* Translators: "Garage des Alpes replied about F2026-0103". */
      return g_strdup_printf (_("%s replied about %s"), who, numbers);
    case RELANCE_INBOX_AUTO_REPLY:
      /* Translators: an out-of-office message; reminders are not paused for it. */
      return g_strdup_printf (_("Automatic reply from %s about %s; reminders go on"), who,
                              numbers);
    case RELANCE_INBOX_BOUNCE:
    default:
      /* Translators: %s is a client's name. */
      return g_strdup_printf (_("A reminder to %s bounced: reminders stop until you find a "
                                "new address for them"), who);
    }
}
