/* relance-proof.c: the proof dossier (PDF with Pango and cairo, and CSV) of what was sent,
 * read back from the outbox: the text shown is decoded from the very bytes that were sent,
 * not rendered again from today's templates. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-csv.h"
#include "relance-error.h"
#include "relance-message.h"
#include "relance-outbox.h"
#include "relance-pdf-private.h"
#include "relance-proof.h"

#define PAGE_HEIGHT RELANCE_PDF_PAGE_HEIGHT
#define MARGIN      RELANCE_PDF_MARGIN
#define CONTENT     RELANCE_PDF_CONTENT
#define BOTTOM      RELANCE_PDF_BOTTOM
#define LABEL_WIDTH 110.0

/* ---- the rows ---------------------------------------------------------------------- */

GPtrArray *
relance_proof_collect (RelanceStore  *store,
                       const char    *invoice_number,
                       const char    *client,
                       GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) relance_outbox_item_free);
  g_autoptr(RelanceClient) who = NULL;

  if (invoice_number != NULL)
    {
      g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, invoice_number,
                                                                     error);
      if (invoice == NULL)
        return NULL;
    }
  if (client != NULL && (who = relance_store_find_client (store, client, error)) == NULL)
    return NULL;
  if ((list = relance_outbox_list (store, invoice_number, error)) == NULL)
    return NULL;

  /* The list is newest first; a dossier reads in the order things happened. */
  for (guint i = list->len; i > 0; i--)
    {
      RelanceOutboxItem *row = g_ptr_array_index (list, i - 1);
      RelanceOutboxItem *item;

      if (who != NULL && row->client_id != who->id)
        continue;
      if ((item = relance_outbox_get (store, row->id, TRUE, error)) == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

static GMimeObject *
find_text_plain (GMimeObject *object)
{
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        {
          GMimeObject *found = find_text_plain (g_mime_multipart_get_part (multipart, i));

          if (found != NULL)
            return found;
        }
      return NULL;
    }
  if (GMIME_IS_TEXT_PART (object) && !GMIME_IS_MULTIPART (object))
    {
      GMimeContentType *type = g_mime_object_get_content_type (object);
      const char *disposition = g_mime_object_get_disposition (object);

      if (g_mime_content_type_is_type (type, "text", "plain")
          && g_strcmp0 (disposition, GMIME_DISPOSITION_ATTACHMENT) != 0)
        return object;
    }
  return NULL;
}

char *
relance_proof_message_text (GBytes *raw)
{
  GMimeMessage *message;
  GMimeObject *part;
  GString *out = NULL;
  char *text = NULL;

  message = relance_message_parse (raw);
  if (message == NULL)
    return NULL;
  part = g_mime_message_get_mime_part (message);
  if (part != NULL && (part = find_text_plain (part)) != NULL)
    text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  g_object_unref (message);
  if (text == NULL)
    return NULL;

  /* The wire form has CRLF line ends; the reader wants lines. */
  out = g_string_new (text);
  g_free (text);
  g_string_replace (out, "\r\n", "\n", 0);
  return g_string_free (out, FALSE);
}

static char *
utc_format (gint64 unix_time, const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (dt, format);
}

/* ---- CSV --------------------------------------------------------------------------- */

GBytes *
relance_proof_to_csv (RelanceStore  *store,
                      const char    *invoice_number,
                      const char    *client,
                      GError       **error)
{
  static const char * const header[] = {
    "id", "client", "invoices", "channel", "state", "date", "time", "sent_at", "queued_at",
    "recipients", "subject", "message_id", "server_reply", "attempts",
  };
  g_autoptr(GPtrArray) items = relance_proof_collect (store, invoice_number, client, error);
  GString *out;

  if (items == NULL)
    return NULL;
  out = g_string_new (NULL);
  relance_csv_append_record (out, header, G_N_ELEMENTS (header), ',');
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, item->id);
      g_autofree char *invoices = g_strjoinv (" ", item->invoices);
      g_autofree char *date = utc_format (item->sent_at, "%Y-%m-%d");
      g_autofree char *time = utc_format (item->sent_at, "%H:%M:%S");
      g_autofree char *sent = utc_format (item->sent_at, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *queued = utc_format (item->queued_at, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *recipients = item->recipients != NULL
                                      ? g_strjoinv (" ", item->recipients) : g_strdup ("");
      g_autofree char *attempts = g_strdup_printf ("%d", item->attempts);
      const char *values[] = {
        id, item->client_name, invoices, item->channel, item->state, date, time, sent, queued,
        recipients, item->subject, item->message_id, item->server_reply, attempts,
      };

      G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (header));
      relance_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
    }
  return g_string_free_to_bytes (out);
}

/* ---- PDF --------------------------------------------------------------------------- */

typedef struct
{
  cairo_t      *cr;
  PangoContext *pango;
  guint         page;
  double        y;
  const char   *footer;
} Writer;

static PangoLayout *
make_layout (Writer *w, const char *markup, double size, gboolean bold, gboolean mono,
             double width)
{
  return relance_pdf_layout (w->pango, mono ? RELANCE_PDF_FONT_MONO : RELANCE_PDF_FONT, markup,
                             size, bold, width);
}

static void
footer (Writer *w)
{
  g_autofree char *text = g_markup_printf_escaped ("%s %u", w->footer, w->page);
  g_autoptr(PangoLayout) layout = make_layout (w, text, 8, FALSE, FALSE, CONTENT);

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (w->cr, 0.35, 0.35, 0.35);
  cairo_move_to (w->cr, MARGIN, PAGE_HEIGHT - MARGIN + 4);
  pango_cairo_show_layout (w->cr, layout);
}

static void
ensure_room (Writer *w, double height)
{
  if (w->y + height <= BOTTOM)
    return;
  footer (w);
  cairo_show_page (w->cr);
  w->page++;
  w->y = MARGIN;
}

static void
put (Writer *w, const char *markup, double size, gboolean bold, double space_after)
{
  g_autoptr(PangoLayout) layout = make_layout (w, markup, size, bold, FALSE, CONTENT);
  double h = relance_pdf_layout_height (layout);

  ensure_room (w, h);
  cairo_set_source_rgb (w->cr, 0.1, 0.1, 0.1);
  cairo_move_to (w->cr, MARGIN, w->y);
  pango_cairo_show_layout (w->cr, layout);
  w->y += h + space_after;
}

/* "Label    value" with the value wrapped in its own column. */
static void
field (Writer *w, const char *label, const char *value)
{
  g_autofree char *label_markup = g_markup_printf_escaped ("<span foreground=\"#555555\">%s"
                                                           "</span>", label);
  g_autofree char *value_markup = g_markup_escape_text (value != NULL && *value != '\0'
                                                          ? value : "—", -1);
  g_autoptr(PangoLayout) l1 = make_layout (w, label_markup, 9, FALSE, FALSE, LABEL_WIDTH - 6);
  g_autoptr(PangoLayout) l2 = make_layout (w, value_markup, 9, FALSE, FALSE,
                                           CONTENT - LABEL_WIDTH);
  double h = MAX (relance_pdf_layout_height (l1), relance_pdf_layout_height (l2));

  ensure_room (w, h);
  cairo_move_to (w->cr, MARGIN, w->y);
  pango_cairo_show_layout (w->cr, l1);
  cairo_set_source_rgb (w->cr, 0.1, 0.1, 0.1);
  cairo_move_to (w->cr, MARGIN + LABEL_WIDTH, w->y);
  pango_cairo_show_layout (w->cr, l2);
  w->y += h + 2;
}

/* The message text line by line, so a long message flows onto the next pages. */
static void
message_text (Writer *w, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *markup = g_markup_escape_text (*lines[i] != '\0' ? lines[i] : " ", -1);
      g_autoptr(PangoLayout) layout = make_layout (w, markup, 8.5, FALSE, TRUE, CONTENT - 12);
      double h = relance_pdf_layout_height (layout);

      ensure_room (w, h);
      cairo_set_source_rgb (w->cr, 0.75, 0.75, 0.75);
      cairo_rectangle (w->cr, MARGIN, w->y, 2, h);
      cairo_fill (w->cr);
      cairo_set_source_rgb (w->cr, 0.1, 0.1, 0.1);
      cairo_move_to (w->cr, MARGIN + 12, w->y);
      pango_cairo_show_layout (w->cr, layout);
      w->y += h;
    }
}

static const char *
state_label (const char *state)
{
  static const struct { const char *state; const char *label; } labels[] = {
    { "queued", N_("queued") }, { "sending", N_("sending") }, { "sent", N_("sent") },
    { "retry", N_("waiting to retry") }, { "failed", N_("failed") },
    { "uncertain", N_("uncertain (the process stopped while sending)") },
    { "cancelled", N_("cancelled") }, { "done", N_("handed to you") },
    { "bounced", N_("bounced (the address does not work)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (state, labels[i].state) == 0)
      return _(labels[i].label);
  return state;
}

static void
write_dossier (Writer *w, RelanceStore *store, GPtrArray *items, const char *invoice_number,
               RelanceClient *who, RelanceCompany *company)
{
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autofree char *generated = utc_format (g_date_time_to_unix (now), "%Y-%m-%d %H:%M:%S UTC");
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;

  if (invoice_number != NULL)
    /* Translators: the title of the proof dossier; %s is an invoice number */
    title = g_markup_printf_escaped (_("Reminders sent for invoice %s"), invoice_number);
  else if (who != NULL)
    /* Translators: the title of the proof dossier; %s is a client's name */
    title = g_markup_printf_escaped (_("Reminders sent to %s"), who->name);
  else
    title = g_markup_printf_escaped ("%s", _("Reminders sent"));
  put (w, title, 15, TRUE, 6);
  line = g_markup_printf_escaped (_("Generated by Relance on %s from the messages kept in its "
                                    "outbox: each text below is decoded from the exact bytes "
                                    "that were sent."), generated);
  put (w, line, 9, FALSE, 14);

  put (w, _("Sender"), 11, TRUE, 4);
  field (w, _("Company"), company->name);
  field (w, _("Address"), company->address);
  field (w, _("SIRET"), company->siret);
  field (w, _("VAT number"), company->vat);
  w->y += 10;

  if (who != NULL)
    {
      put (w, _("Client"), 11, TRUE, 4);
      field (w, _("Name"), who->name);
      field (w, _("Email"), who->email);
      w->y += 10;
    }

  if (items->len == 0)
    put (w, _("No reminder has been sent yet."), 10, FALSE, 0);

  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *heading = NULL;
      g_autofree char *when = utc_format (item->sent_at, "%Y-%m-%d %H:%M:%S UTC");
      g_autofree char *queued = utc_format (item->queued_at, "%Y-%m-%d %H:%M:%S UTC");
      g_autofree char *recipients = item->recipients != NULL
                                      ? g_strjoinv (", ", item->recipients) : NULL;
      g_autofree char *invoices = g_strjoinv (", ", item->invoices);
      g_autofree char *text = relance_proof_message_text (item->raw);

      ensure_room (w, 120);
      heading = g_markup_printf_escaped (
        /* Translators: a heading in the proof dossier: %1$u counts the reminders, %2$s is
         * the date and time it was sent (or queued) */
        _("Reminder %1$u — %2$s"), i + 1, item->sent_at > 0 ? when : queued);
      cairo_set_source_rgb (w->cr, 0.6, 0.6, 0.6);
      cairo_rectangle (w->cr, MARGIN, w->y, CONTENT, 0.6);
      cairo_fill (w->cr);
      w->y += 6;
      put (w, heading, 11, TRUE, 4);
      field (w, _("Sent on"), item->sent_at > 0 ? when : _("not sent"));
      field (w, _("Queued on"), queued);
      field (w, _("Channel"), item->channel);
      field (w, _("State"), state_label (item->state));
      field (w, _("Invoices"), invoices);
      field (w, _("Recipients"), recipients);
      field (w, _("Subject"), item->subject);
      field (w, "Message-ID", item->message_id);
      field (w, _("Server reply"), item->server_reply);
      if (item->last_error != NULL)
        field (w, _("Error"), item->last_error);
      w->y += 4;
      if (text != NULL)
        {
          put (w, _("Text of the message:"), 9, TRUE, 4);
          message_text (w, text);
        }
      else
        put (w, _("No message text was kept for this reminder."), 9, FALSE, 0);
      w->y += 16;
    }
  footer (w);
}

GBytes *
relance_proof_to_pdf (RelanceStore  *store,
                      const char    *invoice_number,
                      const char    *client,
                      GError       **error)
{
  g_autoptr(GPtrArray) items = relance_proof_collect (store, invoice_number, client, error);
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(RelanceClient) who = NULL;
  g_autoptr(GByteArray) pdf = NULL;
  g_autofree char *footer_text = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Writer w = { NULL, NULL, 1, MARGIN, NULL };

  if (items == NULL || (company = relance_store_get_company (store, error)) == NULL)
    return NULL;
  if (client != NULL)
    who = relance_store_find_client (store, client, error);
  else if (invoice_number != NULL)
    {
      g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, invoice_number,
                                                                     error);
      if (invoice != NULL)
        who = relance_store_get_client (store, invoice->client_id, error);
    }
  if ((client != NULL || invoice_number != NULL) && who == NULL)
    return NULL;

  footer_text = invoice_number != NULL
                  ? g_strdup_printf (_("Proof of reminders — invoice %s — page"), invoice_number)
                  : g_strdup (_("Proof of reminders — page"));
  w.footer = footer_text;

  pdf = g_byte_array_new ();
  surface = relance_pdf_surface_new (pdf, _("Proof of reminders"));
  w.cr = cairo_create (surface);
  w.pango = relance_pdf_pango_context (w.cr, NULL);

  write_dossier (&w, store, items, invoice_number, who, company);

  cairo_show_page (w.cr);
  g_object_unref (w.pango);
  cairo_destroy (w.cr);
  if ((status = relance_pdf_surface_finish (surface)) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("The proof dossier could not be made into a PDF: %s."),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
