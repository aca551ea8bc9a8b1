/* relance-outbox-labels.c: how the pages name a reminder's state, channel and time.
 *
 * The strings and their contexts are those of the invoice page's timeline, so one
 * translation serves every page. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-message-viewer.h"
#include "relance-outbox-labels.h"
#include "relance-outbox.h"
#include "relance-ui-util.h"

const char *
relance_outbox_state_to_label (const char *state)
{
  static const struct { const char *state; const char *label; } labels[] = {
    /* Translators: the state of a reminder in an invoice's timeline */
    { "queued", NC_("reminder state", "Queued") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "sending", NC_("reminder state", "Sending") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "sent", NC_("reminder state", "Sent") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "retry", NC_("reminder state", "Will Retry") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "failed", NC_("reminder state", "Failed") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "uncertain", NC_("reminder state", "Uncertain") },
    /* Translators: the state of a reminder in an invoice's timeline */
    { "cancelled", NC_("reminder state", "Cancelled") },
    /* Translators: the state of a reminder whose email came back undelivered */
    { "bounced", NC_("reminder state", "Bounced") },
    /* Translators: the state of a reminder handed to the owner (a letter, a call) */
    { "done", NC_("reminder state", "Handed Over") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (state, labels[i].state) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "reminder state", labels[i].label);
  return state != NULL ? state : "";
}

const char *
relance_channel_to_label (const char *channel)
{
  if (g_strcmp0 (channel, "email") == 0)
    return C_("channel", "Email");
  if (g_strcmp0 (channel, "letter") == 0)
    return C_("channel", "Letter");
  if (g_strcmp0 (channel, "sms") == 0)
    return C_("channel", "Text Message");
  if (g_strcmp0 (channel, "task") == 0 || g_strcmp0 (channel, "phone") == 0)
    return C_("channel", "Phone Call");
  return channel != NULL ? channel : "";
}

char *
relance_format_instant (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (unix_time);
  local = g_date_time_to_local (utc);
  /* Translators: date and time of a reminder in an invoice's timeline, see the
   * g_date_time_format() documentation */
  return g_date_time_format (local, _("%e %b %Y, %H:%M"));
}

void
relance_show_outbox_message (GtkWidget    *parent,
                             RelanceStore *store,
                             gint64        id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceOutboxItem) item = NULL;
  item = relance_outbox_get (store, id, TRUE, &error);
  if (item == NULL)
    {
      relance_show_error_dialog (parent, _("Could Not Open the Message"), error);
      return;
    }
  gtk_window_present (GTK_WINDOW (relance_message_viewer_new (relance_widget_get_window (parent),
                                                              item)));
}
