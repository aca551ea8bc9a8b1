/* relance-message.h: building a reminder email with GMime: text + HTML alternative,
 * UTF-8 with RFC 2047 headers, Message-ID on the sender's domain, optional attachments. */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

typedef struct
{
  char   *filename;  /* "mise-en-demeure-F2026-001.pdf" */
  char   *mime_type; /* "application/pdf" */
  GBytes *data;
  /* When set, the part is an inline image of the HTML alternative, which refers to it as
   * "cid:<content_id>" (multipart/related); otherwise an attachment. */
  char   *content_id;
} RelanceAttachment;

typedef struct
{
  const char         *from_name;     /* may be NULL */
  const char         *from_address;
  const char         *reply_to;      /* may be NULL */
  const char * const *to;            /* NULL-terminated addresses, at least one */
  const char * const *cc;            /* may be NULL */
  const char * const *bcc;           /* may be NULL */
  const char         *to_name;       /* display name of the first To, may be NULL */
  const char         *subject;       /* any CR/LF is refused (never folded in) */
  const char         *text;          /* the plain text part */
  const char         *html;          /* the HTML alternative, may be NULL */
  GPtrArray          *attachments;   /* RelanceAttachment*, may be NULL */
  GDateTime          *date;          /* the Date header */
  gboolean            auto_submitted;/* "Auto-Submitted: auto-generated" */
} RelanceMessageSpec;

/* The exact bytes to send (and keep as proof), CRLF line ends. Fails with
 * RELANCE_MAIL_ERROR_INVALID for an invalid address or a header value with CR/LF. */
GBytes *relance_message_build (const RelanceMessageSpec  *spec,
                               char                     **out_message_id,
                               GError                   **error);

/* The envelope recipients of a built message: To, Cc and Bcc addresses. */
GStrv   relance_message_spec_recipients (const RelanceMessageSpec *spec);

/* A stored message read back (transfer full), or NULL when @raw is not a MIME message. */
GMimeMessage *relance_message_parse (GBytes *raw);

/* The addresses of the To and of the Cc header of a stored message (a Bcc is in the
 * envelope only, never in the headers). FALSE when @raw is not a MIME message. */
gboolean relance_message_header_recipients (GBytes  *raw,
                                            GStrv   *out_to,
                                            GStrv   *out_cc);

/* Initialises GMime once for the process (thread-safe); the mail layer calls it for you. */
void    relance_message_init            (void);

G_END_DECLS
