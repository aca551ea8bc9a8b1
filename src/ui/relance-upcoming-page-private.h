/* relance-upcoming-page-private.h: what the files of the Upcoming page share: the page
 * (relance-upcoming-page.c: loading, filling, the object), its rows
 * (relance-upcoming-rows.c) and its actions (relance-upcoming-actions.c). */
#pragma once

#include "relance-outbox.h"
#include "relance-planner.h"
#include "relance-store-inbox.h"
#include "relance-upcoming-page.h"

G_BEGIN_DECLS

/* How far ahead the page plans, and the promise date a calendar offers first (days). */
#define PLAN_DAYS 7

struct _RelanceUpcomingPage
{
  RelancePage           parent_instance;

  GPtrArray       *planned;      /* RelancePlannedMessage*, as shown */
  GPtrArray       *replies;      /* RelanceInboxMessage*, pending replies as shown */
  guint            n_rows;       /* planned messages that have a row, from the first */
  GtkWidget       *more_row;     /* "Show More" after them, or NULL */
  GCancellable    *cancellable;  /* the load */
  GCancellable    *send_cancellable;
  gboolean         loading;
  gboolean         sending;
  gboolean         paused;
  gboolean         filling;

  GtkWidget       *account_banner;

  /* Template widgets */
  GtkBox          *banners_box;
  GtkSwitch       *pause_switch;
  AdwActionRow    *send_row;
  GtkSpinner      *send_spinner;
  GtkButton       *send_button;
  AdwStatusPage   *empty_page;
  GtkWidget       *problems_group;
  GtkListBox      *problems_list;
  GtkWidget       *replies_group;
  GtkListBox      *replies_list;
  GtkWidget       *tasks_group;
  GtkListBox      *tasks_list;
  GtkWidget       *today_group;
  GtkListBox      *today_list;
  GtkWidget       *week_group;
  GtkListBox      *week_list;
};

/* A client whose address bounced. */
typedef struct
{
  RelanceClient *client;
  char          *address;  /* the address that bounced */
} RelanceBouncedClient;

/* The window the page is in, or NULL. */
/* Shows @toast (floating) in the window. */
void           relance_upcoming_page_add_toast     (RelanceUpcomingPage *self,
                                                    AdwToast            *toast);
/* Shows @banner with @title, or hides it when @title is NULL. */
void           relance_upcoming_page_banner_set    (GtkWidget           *banner,
                                                    const char          *title);
/* The planned message at @index as shown, or NULL when there is none (any more). */
const RelancePlannedMessage *relance_upcoming_page_planned_at (RelanceUpcomingPage *self,
                                                               guint                index);
/* Send Due and Send Now follow the pause and a sending under way. */
void           relance_upcoming_page_update_sending (RelanceUpcomingPage *self);

/* Rows (relance-upcoming-rows.c). A planned message is the @index-th of self->planned. */
GtkWidget *relance_upcoming_planned_row_new (RelanceUpcomingPage         *self,
                                             const RelancePlannedMessage *message,
                                             guint                        index,
                                             gboolean                     today,
                                             GDateTime                   *now);
GtkWidget *relance_upcoming_problem_row_new (RelanceUpcomingPage         *self,
                                             const RelanceOutboxItem     *item);
GtkWidget *relance_upcoming_reply_row_new   (RelanceUpcomingPage         *self,
                                             const RelanceInboxMessage   *reply);
GtkWidget *relance_upcoming_bounced_row_new (RelanceUpcomingPage         *self,
                                             const RelanceBouncedClient  *bounced);

/* The upcoming.* actions (relance-upcoming-actions.c). */
void       relance_upcoming_page_actions_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
