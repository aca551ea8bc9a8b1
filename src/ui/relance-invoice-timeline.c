/* relance-invoice-timeline.c: the timeline of an invoice's page: its reminders and the
 * client's answers, newest first (relance-invoice-timeline.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-inbox.h"
#include "relance-invoice-timeline.h"
#include "relance-names.h"
#include "relance-outbox-labels.h"
#include "relance-outbox.h"
#include "relance-store-inbox.h"
#include "relance-ui-util.h"

static void
show_message_clicked_cb (GtkButton *button,
                         gpointer   user_data)
{
  relance_show_outbox_message (GTK_WIDGET (button),
                               g_object_get_data (G_OBJECT (button), "store"),
                               GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                    "outbox-id")));
}

/* A client's answer on the timeline: who, when, what kind, and the text of a reply. */
static GtkWidget *
answer_row_new (const RelanceInboxMessage *answer)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *time = relance_format_instant (answer->received_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  const char *title;
  const char *text;

  switch (answer->kind)
    {
    case RELANCE_INBOX_AUTO_REPLY:
      /* Translators: an out-of-office message on an invoice's timeline */
      title = _("Automatic Reply");
      text = answer->text != NULL ? answer->text : answer->subject;
      break;
    case RELANCE_INBOX_BOUNCE:
      /* Translators: a reminder that came back undelivered, on an invoice's timeline */
      title = _("Bounced");
      text = answer->bounced_address;
      break;
    case RELANCE_INBOX_REPLY:
    default:
      /* Translators: the client's answer to a reminder, on an invoice's timeline */
      title = _("Reply");
      text = answer->text != NULL ? answer->text : answer->subject;
      break;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Translators: an answer on an invoice's timeline: sender's address · date and time */
  subtitle = g_strdup_printf (_("%s · %s"), answer->sender, time);
  /* The subtitle of an expander row is markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (subtitle, -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);
  if (text != NULL && *text != '\0')
    {
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);
      /* Replies are what the owner reads: open; the others stay folded. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), answer->kind == RELANCE_INBOX_REPLY);
    }
  else
    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "inbox-id", GSIZE_TO_POINTER (answer->id));
  return row;
}

void
relance_invoice_timeline_fill (GtkListBox   *list,
                               RelanceStore *store,
                               const char   *number)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GError) error = NULL;
  guint next_answer = 0;

  relance_list_box_remove_all (list);
  /* Newest first, like the reminders: the two lists are merged by time below. */
  answers = relance_store_inbox_list (store, 0, number, &error);
  if (answers == NULL)
    {
      g_warning ("Could not list the answers about %s: %s", number, error->message);
      g_clear_error (&error);
    }
  items = relance_outbox_list (store, number, &error);
  if (items == NULL)
    {
      g_warning ("Could not list the reminders of %s: %s", number, error->message);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      GtkWidget *row;
      gint64 when = item->sent_at > 0 ? item->sent_at : item->scheduled_at;
      g_autofree char *time = relance_format_instant (when);
      g_autofree char *subtitle = NULL;
      GtkWidget *button;

      /* The answers that came after this reminder, above it. */
      for (; answers != NULL && next_answer < answers->len; next_answer++)
        {
          RelanceInboxMessage *answer = g_ptr_array_index (answers, next_answer);

          if (answer->received_at < when)
            break;
          gtk_list_box_append (list, answer_row_new (answer));
        }
      row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     item->subject != NULL && *item->subject != '\0'
                                     ? item->subject
                                     : relance_template_key_display_name (item->template_key));
      /* Translators: a reminder in an invoice's timeline: state · time · channel */
      subtitle = g_strdup_printf (_("%s · %s · %s"), relance_outbox_state_to_label (item->state),
                                  time, relance_channel_to_label (item->channel));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data (G_OBJECT (row), "outbox-id", GSIZE_TO_POINTER (item->id));

      button = gtk_button_new_with_mnemonic (_("Show _Message"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Open the exact message that was stored"));
      g_object_set_data (G_OBJECT (button), "outbox-id", GSIZE_TO_POINTER (item->id));
      g_object_set_data_full (G_OBJECT (button), "store", g_object_ref (store), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (show_message_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (list, row);
    }

  for (; answers != NULL && next_answer < answers->len; next_answer++)
    gtk_list_box_append (list, answer_row_new (g_ptr_array_index (answers, next_answer)));

  if (items->len == 0 && (answers == NULL || answers->len == 0))
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No reminder yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (list, row);
    }
}
