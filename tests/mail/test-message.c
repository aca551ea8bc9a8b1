/* test-message.c: reminder emails built with GMime and parsed back: encoded headers, the
 * two alternatives, attachments, the envelope, CRLF lines, and header injection refused. */
#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "relance-mail-error.h"
#include "relance-message.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)

static const char *text_fr = "Bonjour Madame Dupont,\n\nLa facture F2026-001 de 1 250,00 € est "
                             "échue depuis le 2 mars.\nMerci de régler au plus vite.\n";
static const char *html_fr = "<p>Bonjour Madame Dupont,</p>\n<p>La facture <b>F2026-001</b> de "
                             "1&nbsp;250,00&nbsp;€ est échue.</p>\n";

static void
fill_spec (RelanceMessageSpec *spec,
           GDateTime          *date)
{
  static const char *to[] = { "compta@dupont-sarl.fr", NULL };
  static const char *cc[] = { "direction@dupont-sarl.fr", NULL };
  static const char *bcc[] = { "moi@atelier-dupre.fr", NULL };

  memset (spec, 0, sizeof *spec);
  spec->from_name = "Atelier Dupré";
  spec->from_address = "facturation@atelier-dupre.fr";
  spec->reply_to = "contact@atelier-dupre.fr";
  spec->to = to;
  spec->cc = cc;
  spec->bcc = bcc;
  spec->to_name = "Hélène Dupont";
  spec->subject = "Rappel : facture F2026-001 échue — 1 250,00 €";
  spec->text = text_fr;
  spec->html = html_fr;
  spec->date = date;
  spec->auto_submitted = TRUE;
}

static GMimeMessage *
parse (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, size);
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_assert_nonnull (message);
  return message;
}

static char *
part_text (GMimeObject *object)
{
  g_assert_true (GMIME_IS_TEXT_PART (object));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (object, "charset"), ==, "utf-8");
  return g_mime_text_part_get_text (GMIME_TEXT_PART (object));
}

static const char *
header (GMimeMessage *message,
        const char   *name)
{
  return g_mime_object_get_header (GMIME_OBJECT (message), name);
}

static void
assert_lines (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize line_start = 0;

  g_assert_cmpuint (size, >, 2);
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\n')
        {
          g_assert_true (i > 0 && data[i - 1] == '\r');
          g_assert_cmpuint (i - line_start, <=, 998 + 1);
          line_start = i + 1;
        }
      else if (data[i] == '\r')
        g_assert_true (i + 1 < size && data[i + 1] == '\n');
      /* 7-bit on the wire: QP/base64 bodies and RFC 2047 headers. */
      g_assert_cmpint ((guchar) data[i], <, 0x80);
    }
  g_assert_cmpuint (line_start, ==, size);
}

static void
test_french (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 ("2026-03-02T09:15:00+01:00", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *raw_text = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *html = NULL;
  g_auto(GStrv) recipients = NULL;
  RelanceMessageSpec spec;
  InternetAddressList *list;
  InternetAddress *ia;
  GMimeObject *body;
  GDateTime *parsed_date;

  fill_spec (&spec, date);
  bytes = relance_message_build (&spec, &message_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  assert_lines (bytes);
  raw_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* Non-ASCII names are RFC 2047 encoded on the wire. */
  g_assert_nonnull (strstr (raw_text, "=?"));
  g_assert_null (strstr (raw_text, "Dupré"));
  g_assert_null (strstr (raw_text, "moi@atelier-dupre.fr"));

  message = parse (bytes);
  list = g_mime_message_get_from (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  ia = internet_address_list_get_address (list, 0);
  g_assert_cmpstr (internet_address_get_name (ia), ==, "Atelier Dupré");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), ==,
                   "facturation@atelier-dupre.fr");

  list = g_mime_message_get_to (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  ia = internet_address_list_get_address (list, 0);
  g_assert_cmpstr (internet_address_get_name (ia), ==, "Hélène Dupont");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), ==,
                   "compta@dupont-sarl.fr");

  list = g_mime_message_get_cc (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  list = g_mime_message_get_reply_to (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  g_assert_cmpstr (internet_address_mailbox_get_addr (
                     INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0))),
                   ==, "contact@atelier-dupre.fr");
  /* Bcc only in the envelope. */
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_bcc (message)), ==, 0);
  g_assert_null (header (message, "Bcc"));

  g_assert_cmpstr (g_mime_message_get_subject (message), ==, spec.subject);
  g_assert_cmpstr (header (message, "Auto-Submitted"), ==, "auto-generated");
  g_assert_cmpstr (header (message, "X-Mailer"), ==, "Relance " PACKAGE_VERSION);
  g_assert_cmpstr (header (message, "MIME-Version"), ==, "1.0");
  g_assert_cmpstr (header (message, "Date"), ==, "Mon, 02 Mar 2026 09:15:00 +0100");
  parsed_date = g_mime_message_get_date (message);
  g_assert_nonnull (parsed_date);
  g_assert_true (g_date_time_equal (parsed_date, date));

  g_assert_nonnull (message_id);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, message_id);
  g_assert_true (g_str_has_suffix (message_id, "@atelier-dupre.fr"));
  g_assert_cmpuint (strlen (message_id), ==, 36 + strlen ("@atelier-dupre.fr"));

  body = g_mime_message_get_mime_part (message);
  g_assert_true (GMIME_IS_MULTIPART (body));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                              "multipart", "alternative"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  plain = part_text (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
  html = part_text (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1));
  g_assert_true (g_mime_content_type_is_type (
    g_mime_object_get_content_type (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)),
    "text", "html"));
  /* Line ends are CRLF on the wire; the text itself comes back as written. */
  {
    g_autoptr(GString) p = g_string_new (plain);
    g_autoptr(GString) h = g_string_new (html);

    g_string_replace (p, "\r\n", "\n", 0);
    g_string_replace (h, "\r\n", "\n", 0);
    g_assert_cmpstr (p->str, ==, text_fr);
    g_assert_cmpstr (h->str, ==, html_fr);
  }

  recipients = relance_message_spec_recipients (&spec);
  g_assert_cmpstrv (recipients, ((const char *[]) { "compta@dupont-sarl.fr",
                                                   "direction@dupont-sarl.fr",
                                                   "moi@atelier-dupre.fr", NULL }));
}

static void
test_attachment (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) attachments = g_ptr_array_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GMimeStream) out = NULL;
  guint8 data[3000];
  RelanceAttachment att;
  RelanceMessageSpec spec;
  GMimeObject *body;
  GMimeObject *part;
  GByteArray *array;

  /* Every byte value, including CR, LF and NUL, must survive. */
  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + i / 256);
  pdf = g_bytes_new (data, sizeof data);
  att = (RelanceAttachment) { .filename = (char *) "mise-en-demeure-F2026-001.pdf",
                              .mime_type = (char *) "application/pdf", .data = pdf };
  g_ptr_array_add (attachments, &att);

  fill_spec (&spec, date);
  spec.html = NULL;
  spec.attachments = attachments;
  bytes = relance_message_build (&spec, NULL, &error);
  g_assert_no_error (error);
  assert_lines (bytes);

  message = parse (bytes);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                              "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0)));
  part = g_mime_multipart_get_part (GMIME_MULTIPART (body), 1);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part),
                                              "application", "pdf"));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==,
                   "mise-en-demeure-F2026-001.pdf");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==,
                   GMIME_CONTENT_ENCODING_BASE64);
  g_assert_true (g_mime_part_is_attachment (GMIME_PART (part)));

  out = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (part)), out);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  g_assert_cmpmem (array->data, array->len, data, sizeof data);
}

static void
test_long_lines (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) subject = g_string_new ("Relance ");
  g_autofree char *plain = NULL;
  RelanceMessageSpec spec;

  /* A 5000-character line and a 300-character subject without spaces still give short
   * lines on the wire. */
  for (int i = 0; i < 500; i++)
    g_string_append (text, "éèàç.12345");
  g_string_append_c (text, '\n');
  for (int i = 0; i < 30; i++)
    g_string_append (subject, "Échéance-");
  fill_spec (&spec, date);
  spec.text = text->str;
  spec.html = NULL;
  spec.subject = subject->str;
  bytes = relance_message_build (&spec, NULL, &error);
  g_assert_no_error (error);
  assert_lines (bytes);
  message = parse (bytes);
  /* GMime 3.2.13 merges adjacent base64 words before decoding and stops at the first
   * padding, so decode word by word (as Python's email and mail clients do). */
  {
    GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
    GMimeHeader *h = g_mime_header_list_get_header (headers, "Subject");
    g_auto(GStrv) words = g_regex_split_simple ("\\s+", g_mime_header_get_raw_value (h),
                                                0, 0);
    g_autoptr(GString) decoded = g_string_new (NULL);
    gboolean prev_encoded = FALSE;
    gboolean encoded;

    for (gsize i = 0; words[i] != NULL; i++)
      {
        g_autofree char *word = NULL;

        if (*words[i] == '\0')
          continue;
        word = g_mime_utils_header_decode_text (NULL, words[i]);
        /* A space between plain words; none between encoded words (RFC 2047 § 6.2). */
        encoded = g_str_has_prefix (words[i], "=?");
        if (decoded->len > 0 && !(encoded && prev_encoded))
          g_string_append_c (decoded, ' ');
        g_string_append (decoded, word);
        prev_encoded = encoded;
      }
    g_assert_cmpstr (decoded->str, ==, subject->str);
  }
  plain = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_mime_part (message)));
  g_assert_true (g_str_has_suffix (plain, "\r\n"));
  plain[strlen (plain) - 2] = '\n';
  plain[strlen (plain) - 1] = '\0';
  g_assert_cmpstr (plain, ==, text->str);
}

typedef struct
{
  const char *label;
  const char *from_name;
  const char *from_address;
  const char *to_name;
  const char *to;
  const char *cc;
  const char *subject;
  const char *reply_to;
} InjectionCase;

static void
test_injection (void)
{
  static const InjectionCase cases[] = {
    { "client name with CRLF", NULL, NULL, "Dupont\r\nBcc: evil@x.fr", NULL, NULL, NULL, NULL },
    { "client name with LF", NULL, NULL, "Dupont\nBcc: evil@x.fr", NULL, NULL, NULL, NULL },
    { "subject with LF", NULL, NULL, NULL, NULL, NULL, "Rappel\nBcc: evil@x.fr", NULL },
    { "subject with CR", NULL, NULL, NULL, NULL, NULL, "Rappel\rX: y", NULL },
    { "subject with TAB", NULL, NULL, NULL, NULL, NULL, "Rappel\tfacture", NULL },
    { "address with CRLF", NULL, NULL, NULL, "a@b.fr\r\nBcc: x@y.fr", NULL, NULL, NULL },
    { "cc with LF", NULL, NULL, NULL, NULL, "a@b.fr\nBcc: x@y.fr", NULL, NULL },
    { "sender name with CR", "Atelier\rBcc: x@y.fr", NULL, NULL, NULL, NULL, NULL, NULL },
    { "sender address", NULL, "facturation@atelier-dupre.fr>\r\nBcc: x@y.fr", NULL, NULL,
      NULL, NULL, NULL },
    { "reply-to with comma", NULL, NULL, NULL, NULL, NULL, NULL, "a@b.fr, evil@x.fr" },
    { "two addresses in one", NULL, NULL, NULL, "a@b.fr,evil@x.fr", NULL, NULL, NULL },
    { "address in brackets", NULL, NULL, NULL, "Evil <evil@x.fr>", NULL, NULL, NULL },
    { "no at sign", NULL, NULL, NULL, "compta.dupont.fr", NULL, NULL, NULL },
    { "NUL-free DEL", NULL, NULL, "Dupont\x7f", NULL, NULL, NULL, NULL },
    { "invalid UTF-8", NULL, NULL, "Dupont \xff", NULL, NULL, NULL, NULL },
  };
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const InjectionCase *c = &cases[i];
      const char *to[] = { c->to, NULL };
      const char *cc[] = { c->cc, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *message_id = NULL;
      RelanceMessageSpec spec;

      g_test_message ("case: %s", c->label);
      fill_spec (&spec, date);
      if (c->from_name != NULL)
        spec.from_name = c->from_name;
      if (c->from_address != NULL)
        spec.from_address = c->from_address;
      if (c->to_name != NULL)
        spec.to_name = c->to_name;
      if (c->to != NULL)
        spec.to = to;
      if (c->cc != NULL)
        spec.cc = cc;
      if (c->subject != NULL)
        spec.subject = c->subject;
      if (c->reply_to != NULL)
        spec.reply_to = c->reply_to;
      bytes = relance_message_build (&spec, &message_id, &error);
      g_assert_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_INVALID);
      g_assert_null (bytes);
      g_assert_null (message_id);
      /* The message never echoes a control character back. */
      g_assert_null (strpbrk (error->message, "\r\n"));
    }
}

static void
test_plain_ascii (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  RelanceMessageSpec spec;

  fill_spec (&spec, date);
  spec.from_name = NULL;
  spec.to_name = NULL;
  spec.reply_to = NULL;
  spec.cc = NULL;
  spec.bcc = NULL;
  spec.html = NULL;
  spec.auto_submitted = FALSE;
  spec.subject = "Invoice 42 is overdue";
  bytes = relance_message_build (&spec, NULL, &error);
  g_assert_no_error (error);
  message = parse (bytes);
  g_assert_null (header (message, "Auto-Submitted"));
  g_assert_null (header (message, "Reply-To"));
  g_assert_null (header (message, "Cc"));
  g_assert_cmpstr (header (message, "Date"), ==, "Mon, 02 Mar 2026 08:00:00 +0000");
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)));
}

static void
test_recipients_dedup (void)
{
  static const char *to[] = { "A@b.fr", NULL };
  static const char *cc[] = { "a@B.fr", "c@d.fr", NULL };
  static const char *bcc[] = { "c@d.fr", "e@f.fr", NULL };
  RelanceMessageSpec spec = { .to = to, .cc = cc, .bcc = bcc };
  g_auto(GStrv) recipients = relance_message_spec_recipients (&spec);

  g_assert_cmpstrv (recipients, ((const char *[]) { "A@b.fr", "c@d.fr", "e@f.fr", NULL }));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  relance_message_init ();

  g_test_add_func ("/mail/message/french", test_french);
  g_test_add_func ("/mail/message/attachment", test_attachment);
  g_test_add_func ("/mail/message/long-lines", test_long_lines);
  g_test_add_func ("/mail/message/injection", test_injection);
  g_test_add_func ("/mail/message/plain-ascii", test_plain_ascii);
  g_test_add_func ("/mail/message/recipients-dedup", test_recipients_dedup);
  return g_test_run ();
}
