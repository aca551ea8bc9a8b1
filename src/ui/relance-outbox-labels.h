/* relance-outbox-labels.h: how the pages name a reminder's state, channel and time, and
 * open its stored message (the Clients and Upcoming pages share them). */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

const char *relance_outbox_state_to_label (const char   *state);
const char *relance_channel_to_label      (const char   *channel);
/* Local date and time of a unix instant; "" for 0. */
char       *relance_format_instant        (gint64        unix_time);
/* Opens the exact message stored with outbox row @id, over @parent. */
void        relance_show_outbox_message   (GtkWidget    *parent,
                                           RelanceStore *store,
                                           gint64        id);

G_END_DECLS
