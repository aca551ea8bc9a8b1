/* relance-message-viewer.c: a window showing a stored reminder exactly as it was sent.
 *
 * The outbox keeps the bytes handed to the mail server; this window decodes them with
 * GMime rather than rendering the template again, so what the owner reads is what the
 * client received, even after the template changed. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "relance-message.h"
#include "relance-message-viewer.h"

struct _RelanceMessageViewer
{
  AdwWindow    parent_instance;

  GtkLabel    *headers_label;
  GtkTextView *text_view;
};

G_DEFINE_FINAL_TYPE (RelanceMessageViewer, relance_message_viewer, ADW_TYPE_WINDOW)

static void
find_plain_text (GMimeObject *parent,
                 GMimeObject *part,
                 gpointer     user_data)
{
  char **text = user_data;

  if (*text != NULL || !GMIME_IS_TEXT_PART (part))
    return;
  if (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "plain"))
    *text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

static void
append_header (GString    *out,
               const char *name,
               const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_printf (out, "%s: %s\n", name, value);
}

gboolean
relance_message_decode (GBytes  *raw,
                        char   **out_headers,
                        char   **out_text)
{
  /* GMime 3.2 declares no autoptr cleanups: its objects are held as GObjects. */
  g_autoptr(GObject) message_object = NULL;
  GMimeMessage *message;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *date = NULL;
  GDateTime *sent;
  GString *headers;
  char *text = NULL;

  g_return_val_if_fail (raw != NULL, FALSE);

  message = relance_message_parse (raw);
  if (message == NULL)
    return FALSE;
  message_object = G_OBJECT (message);

  from = internet_address_list_to_string (g_mime_message_get_from (message), NULL, FALSE);
  to = internet_address_list_to_string (g_mime_message_get_to (message), NULL, FALSE);
  sent = g_mime_message_get_date (message);
  if (sent != NULL)
    date = g_date_time_format (sent, "%a, %d %b %Y %H:%M:%S %z");

  headers = g_string_new (NULL);
  /* Translators: a header of an email in the message viewer */
  append_header (headers, C_("mail header", "From"), from);
  /* Translators: a header of an email in the message viewer */
  append_header (headers, C_("mail header", "To"), to);
  /* Translators: a header of an email in the message viewer */
  append_header (headers, C_("mail header", "Date"), date);
  /* Translators: a header of an email in the message viewer */
  append_header (headers, C_("mail header", "Subject"), g_mime_message_get_subject (message));
  /* Translators: a header of an email in the message viewer */
  append_header (headers, C_("mail header", "Message-ID"),
                 g_mime_message_get_message_id (message));

  g_mime_message_foreach (message, find_plain_text, &text);
  if (text == NULL && GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)))
    text = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_mime_part (message)));

  if (out_headers != NULL)
    *out_headers = g_string_free (headers, FALSE);
  else
    g_string_free (headers, TRUE);
  if (out_text != NULL)
    *out_text = text != NULL ? text : g_strdup ("");
  else
    g_free (text);
  return TRUE;
}

static void
relance_message_viewer_class_init (RelanceMessageViewerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relance_message_viewer_init (RelanceMessageViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header_bar = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_window_set_title (GTK_WINDOW (self), _("Message"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 560);
  gtk_box_append (GTK_BOX (box), header_bar);

  self->headers_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->headers_label, 0.0f);
  gtk_label_set_selectable (self->headers_label, TRUE);
  gtk_label_set_wrap (self->headers_label, TRUE);
  gtk_label_set_wrap_mode (self->headers_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->headers_label), "dim-label");

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_cursor_visible (self->text_view, FALSE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_widget_set_vexpand (GTK_WIDGET (self->text_view), TRUE);

  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->headers_label));
  gtk_box_append (GTK_BOX (content), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->text_view));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

RelanceMessageViewer *
relance_message_viewer_new (GtkWindow               *parent,
                            const RelanceOutboxItem *item)
{
  RelanceMessageViewer *self;
  g_autofree char *headers = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (RELANCE_TYPE_MESSAGE_VIEWER,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  if (item->subject != NULL && *item->subject != '\0')
    gtk_window_set_title (GTK_WINDOW (self), item->subject);

  if (item->raw == NULL || !relance_message_decode (item->raw, &headers, &text))
    {
      g_free (text);
      /* Tasks and letters have no message: say so instead of an empty page. */
      text = g_strdup (_("No message was stored for this reminder."));
    }
  gtk_label_set_text (self->headers_label, headers != NULL ? headers : "");
  gtk_widget_set_visible (GTK_WIDGET (self->headers_label), headers != NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  return self;
}

char *
relance_message_viewer_get_text (RelanceMessageViewer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *body = NULL;

  g_return_val_if_fail (RELANCE_IS_MESSAGE_VIEWER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strconcat (gtk_label_get_text (self->headers_label), "\n", body, NULL);
}
