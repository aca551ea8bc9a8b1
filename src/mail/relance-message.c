/* relance-message.c: builds the exact bytes of a reminder email with GMime 3.2: text and
 * HTML alternatives in UTF-8, RFC 2047 headers, a Message-ID on the sender's domain, PDF
 * attachments, CRLF line ends. Every value is checked before it reaches a header, so a
 * client name or subject can never add a header (no CR, LF or other control character). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "relance-account.h"
#include "relance-mail-error.h"
#include "relance-message.h"

/* GMime 3.2 declares no autoptr cleanups for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)

void
relance_message_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID, message);
  return FALSE;
}

/* A value that goes into a header: UTF-8, no C0 control (CR, LF, TAB…) nor DEL. */
static gboolean
header_value_ok (const char *value)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
check_addresses (const char * const  *addresses,
                 GError             **error)
{
  for (gsize i = 0; addresses != NULL && addresses[i] != NULL; i++)
    if (!relance_address_is_valid (addresses[i]))
      {
        if (!header_value_ok (addresses[i]))
          return invalid (error, _("A recipient address contains a line break or another "
                                   "control character: the message was not built."));
        g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID,
                     /* Translators: %s is an email address. */
                     _("“%s” is not a valid email address: the message was not built."),
                     addresses[i]);
        return FALSE;
      }
  return TRUE;
}

/* "type/subtype" made of token characters only. */
static gboolean
split_mime_type (const char  *mime_type,
                 char       **out_type,
                 char       **out_subtype)
{
  g_auto(GStrv) parts = NULL;

  if (mime_type == NULL)
    return FALSE;
  for (const char *p = mime_type; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/!#$&^_.+-", *p) == NULL)
      return FALSE;
  parts = g_strsplit (mime_type, "/", -1);
  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    return FALSE;
  *out_type = g_strdup (parts[0]);
  *out_subtype = g_strdup (parts[1]);
  return TRUE;
}

/* "epc-qr@relance" style: printable ASCII, no spaces, no angle brackets. */
static gboolean
content_id_ok (const char *cid)
{
  if (*cid == '\0' || strlen (cid) > 200)
    return FALSE;
  for (const char *p = cid; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == '"')
      return FALSE;
  return TRUE;
}

static gboolean
check_spec (const RelanceMessageSpec  *spec,
            GError                   **error)
{
  if (spec->from_address == NULL || !relance_address_is_valid (spec->from_address))
    return invalid (error, _("The sender address is not a valid email address: the message "
                             "was not built."));
  if (spec->reply_to != NULL && !relance_address_is_valid (spec->reply_to))
    return invalid (error, _("The reply address (Reply-To) is not a valid email address: the "
                             "message was not built."));
  if (spec->to == NULL || spec->to[0] == NULL)
    return invalid (error, _("The message has no recipient."));
  if (!check_addresses (spec->to, error) || !check_addresses (spec->cc, error)
      || !check_addresses (spec->bcc, error))
    return FALSE;
  if (!header_value_ok (spec->from_name))
    return invalid (error, _("The sender name contains a line break or another control "
                             "character: the message was not built."));
  if (!header_value_ok (spec->to_name))
    return invalid (error, _("The recipient’s name contains a line break or another control "
                             "character: the message was not built."));
  if (spec->subject == NULL || !header_value_ok (spec->subject))
    return invalid (error, _("The subject is missing or contains a line break or another "
                             "control character: the message was not built."));
  if (spec->text == NULL || !g_utf8_validate (spec->text, -1, NULL))
    return invalid (error, _("The text of the message is missing or not valid UTF-8."));
  if (spec->html != NULL && !g_utf8_validate (spec->html, -1, NULL))
    return invalid (error, _("The HTML version of the message is not valid UTF-8."));
  if (spec->date == NULL)
    return invalid (error, _("The message has no date."));

  for (guint i = 0; spec->attachments != NULL && i < spec->attachments->len; i++)
    {
      const RelanceAttachment *att = g_ptr_array_index (spec->attachments, i);
      g_autofree char *type = NULL;
      g_autofree char *subtype = NULL;

      if (att == NULL || att->data == NULL || att->filename == NULL || *att->filename == '\0'
          || !header_value_ok (att->filename) || strpbrk (att->filename, "/\\") != NULL
          || !split_mime_type (att->mime_type, &type, &subtype))
        return invalid (error, _("An attachment has no data, an invalid file name or an "
                                 "invalid type: the message was not built."));
      if (att->content_id != NULL && !content_id_ok (att->content_id))
        return invalid (error, _("An inline image has an invalid content identifier: the "
                                 "message was not built."));
    }
  return TRUE;
}

static GMimeTextPart *
new_text_part (const char *subtype,
               const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr(GMimeDataWrapper) content = NULL;

  /* Not g_mime_text_part_set_text(): it re-encodes to the smallest charset that fits
   * (ISO-8859-1 for most French), and we promise UTF-8. */
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), content);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

static GMimePart *
new_attachment (const RelanceAttachment *att)
{
  g_autofree char *type = NULL;
  g_autofree char *subtype = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  GMimePart *part;
  gsize size;
  const guint8 *data = g_bytes_get_data (att->data, &size);

  /* Checked by check_spec(). */
  if (!split_mime_type (att->mime_type, &type, &subtype))
    g_assert_not_reached ();
  part = g_mime_part_new_with_type (type, subtype);
  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  if (att->content_id != NULL)
    {
      g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_INLINE);
      g_mime_part_set_content_id (part, att->content_id);
    }
  else
    g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_part_set_filename (part, att->filename);
  return part;
}

/* Parts that go in multipart/mixed: attachments, and inline images when there is no HTML
 * to show them in. */
static guint
count_attachments (const RelanceMessageSpec *spec)
{
  guint n = 0;

  for (guint i = 0; spec->attachments != NULL && i < spec->attachments->len; i++)
    {
      const RelanceAttachment *att = g_ptr_array_index (spec->attachments, i);
      if (att->content_id == NULL || spec->html == NULL)
        n++;
    }
  return n;
}

static void
add_mailboxes (GMimeMessage        *message,
               GMimeAddressType     type,
               const char * const  *addresses,
               const char          *first_name)
{
  for (gsize i = 0; addresses != NULL && addresses[i] != NULL; i++)
    g_mime_message_add_mailbox (message, type, i == 0 ? first_name : NULL, addresses[i]);
}

GBytes *
relance_message_build (const RelanceMessageSpec  *spec,
                       char                     **out_message_id,
                       GError                   **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *mailer = NULL;
  GMimeFormatOptions *options;
  GByteArray *array;
  const char *domain;

  g_return_val_if_fail (spec != NULL, NULL);

  if (out_message_id != NULL)
    *out_message_id = NULL;
  if (!check_spec (spec, error))
    return NULL;

  relance_message_init ();
  message = g_mime_message_new (TRUE);

  add_mailboxes (message, GMIME_ADDRESS_TYPE_FROM,
                 (const char * const[]) { spec->from_address, NULL }, spec->from_name);
  if (spec->reply_to != NULL)
    add_mailboxes (message, GMIME_ADDRESS_TYPE_REPLY_TO,
                   (const char * const[]) { spec->reply_to, NULL }, NULL);
  add_mailboxes (message, GMIME_ADDRESS_TYPE_TO, spec->to, spec->to_name);
  add_mailboxes (message, GMIME_ADDRESS_TYPE_CC, spec->cc, NULL);
  /* Bcc stays in the envelope only (relance_message_spec_recipients). */

  g_mime_message_set_subject (message, spec->subject, "utf-8");
  g_mime_message_set_date (message, spec->date);

  domain = strchr (spec->from_address, '@') + 1;
  uuid = g_uuid_string_random ();
  message_id = g_strdup_printf ("%s@%s", uuid, domain);
  g_mime_message_set_message_id (message, message_id);

  if (spec->auto_submitted)
    g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);
  mailer = g_strdup_printf ("Relance %s", PACKAGE_VERSION);
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Mailer", mailer, NULL);

  if (spec->html != NULL)
    {
      g_autoptr(GMimeTextPart) text = new_text_part ("plain", spec->text);
      g_autoptr(GMimeTextPart) html = new_text_part ("html", spec->html);
      GMimeMultipart *alternative = g_mime_multipart_new_with_subtype ("alternative");
      GMimeMultipart *related = NULL;

      /* Inline images (the payment QR code) travel with the HTML in multipart/related. */
      for (guint i = 0; spec->attachments != NULL && i < spec->attachments->len; i++)
        {
          const RelanceAttachment *att = g_ptr_array_index (spec->attachments, i);
          g_autoptr(GMimePart) part = NULL;

          if (att->content_id == NULL)
            continue;
          if (related == NULL)
            {
              related = g_mime_multipart_new_with_subtype ("related");
              g_mime_multipart_add (related, GMIME_OBJECT (html));
            }
          part = new_attachment (att);
          g_mime_multipart_add (related, GMIME_OBJECT (part));
        }

      g_mime_multipart_add (alternative, GMIME_OBJECT (text));
      if (related != NULL)
        {
          g_mime_multipart_add (alternative, GMIME_OBJECT (related));
          g_object_unref (related);
        }
      else
        g_mime_multipart_add (alternative, GMIME_OBJECT (html));
      body = GMIME_OBJECT (alternative);
    }
  else
    body = GMIME_OBJECT (new_text_part ("plain", spec->text));

  if (count_attachments (spec) > 0)
    {
      GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");

      g_mime_multipart_add (mixed, body);
      for (guint i = 0; i < spec->attachments->len; i++)
        {
          const RelanceAttachment *att = g_ptr_array_index (spec->attachments, i);
          g_autoptr(GMimePart) part = NULL;

          if (att->content_id != NULL && spec->html != NULL)
            continue;
          part = new_attachment (att);
          g_mime_multipart_add (mixed, GMIME_OBJECT (part));
        }
      g_object_unref (body);
      body = GMIME_OBJECT (mixed);
    }
  g_mime_message_set_mime_part (message, body);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  stream = g_mime_stream_mem_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_format_options_free (options);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  if (out_message_id != NULL)
    *out_message_id = g_steal_pointer (&message_id);
  return g_bytes_new (array->data, array->len);
}

GStrv
relance_message_spec_recipients (const RelanceMessageSpec *spec)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *lists[] = { spec->to, spec->cc, spec->bcc };

  g_return_val_if_fail (spec != NULL, NULL);

  /* One RCPT per mailbox: the same address twice would get the message twice. */
  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    for (gsize i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        char *key = g_ascii_strdown (lists[l][i], -1);

        if (g_hash_table_add (seen, key))
          g_strv_builder_add (builder, lists[l][i]);
      }
  return g_strv_builder_end (builder);
}

static GStrv
mailbox_addresses (InternetAddressList *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (address))
        g_strv_builder_add (builder,
                            internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)));
    }
  return g_strv_builder_end (builder);
}

GMimeMessage *
relance_message_parse (GBytes *raw)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  gsize len = 0;
  const char *data;

  if (raw == NULL)
    return NULL;
  relance_message_init ();
  data = g_bytes_get_data (raw, &len);
  /* Empty bytes have no buffer at all, which GMime refuses with a critical (found by
   * tests/fuzz/fuzz-message.c; its corpus keeps the empty input). */
  if (data == NULL || len == 0)
    return NULL;
  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

gboolean
relance_message_header_recipients (GBytes  *raw,
                                   GStrv   *out_to,
                                   GStrv   *out_cc)
{
  g_autoptr(GMimeMessage) message = NULL;

  g_return_val_if_fail (out_to != NULL && out_cc != NULL, FALSE);

  message = relance_message_parse (raw);
  if (message == NULL || g_mime_object_get_header (GMIME_OBJECT (message), "To") == NULL)
    return FALSE;
  *out_to = mailbox_addresses (g_mime_message_get_to (message));
  *out_cc = mailbox_addresses (g_mime_message_get_cc (message));
  return TRUE;
}
