/* relance-upcoming-page.h: the Upcoming page of the main window: the reminders the
 * scheduler will send today and this week (skip, postpone, send now), those that need a
 * decision (retry, cancel), and the global pause. */
#pragma once

#include <adwaita.h>

#include "relance-page.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_UPCOMING_PAGE (relance_upcoming_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceUpcomingPage, relance_upcoming_page, RELANCE, UPCOMING_PAGE, RelancePage)

gboolean      relance_upcoming_page_is_loading    (RelanceUpcomingPage *self);
/* How many messages are planned over the next seven days, as shown. */
guint         relance_upcoming_page_get_n_planned (RelanceUpcomingPage *self);
/* Tests: the "Send Due Reminders" button, the pause switch, the paused banner. */
GtkWidget    *relance_upcoming_page_get_send_button        (RelanceUpcomingPage *self);
/* The clients' replies waiting for a decision, and the tasks (bounced addresses). */
GtkListBox   *relance_upcoming_page_get_replies_list       (RelanceUpcomingPage *self);
GtkListBox   *relance_upcoming_page_get_tasks_list         (RelanceUpcomingPage *self);
GtkSwitch    *relance_upcoming_page_get_pause_switch       (RelanceUpcomingPage *self);

G_END_DECLS
