/* relance-planner.h: deciding, for every unpaid invoice, which reminder goes out, when,
 * with which words and amounts.
 *
 * The planner is a pure function of (store contents, now): it reads, it never writes and
 * never sends. The rules it keeps are listed in relance-planner.c, each one proven by a
 * table-driven test in tests/core/test-planner.c. */
#pragma once

#include "relance-penalty.h"
#include "relance-scenario.h"
#include "relance-store.h"
#include "relance-store-rates.h"
#include "relance-template.h"

G_BEGIN_DECLS

typedef struct
{
  RelanceInvoice *invoice;
  RelanceStep    *step;              /* the step of this invoice's own scenario */
  int             days_overdue;      /* as of the scheduled date */
  gint64          penalties;         /* late-payment interest, invoice currency */
  gint64          indemnity;         /* fixed recovery indemnity */
  char            indemnity_currency[4];
  int             rate_bp;           /* penalty rate, hundredths of a percent */
} RelancePlannedInvoice;

typedef struct
{
  RelanceClient *client;
  char          *scenario_key;
  char          *scenario_name;   /* in the client's language */
  RelanceStep   *step;            /* the most advanced step among the invoices */
  char          *channel;         /* "email", "letter" or "task" */
  char          *template_key;    /* the step's, or "handover-task" */
  gboolean       handover;        /* over the amount threshold: a human takes over */
  GDateTime     *scheduled_at;    /* in the client's time zone */
  char          *language;        /* "fr" or "en" */
  char          *currency;
  GPtrArray     *invoices;        /* RelancePlannedInvoice* */
  /* A/B test of the step's text (relance-store-ab.h): 0 and 0 when none applies. */
  gint64         ab_test_id;
  char           ab_variant;      /* 'a' or 'b' */
  char          *ab_subject;      /* text B, when ab_variant is 'b' */
  char          *ab_body;
} RelancePlannedMessage;

void relance_planned_message_free (RelancePlannedMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelancePlannedMessage, relance_planned_message_free)

typedef enum
{
  RELANCE_PLAN_ALL,             /* every message the planner would send next */
  RELANCE_PLAN_NEXT_PER_CLIENT, /* only the earliest message of each client */
} RelancePlanMode;

/* Messages scheduled from @now up to @until (NULL: no limit), sorted by time. */
GPtrArray *relance_planner_plan   (RelanceStore           *store,
                                   GDateTime              *now,
                                   GDateTime              *until,
                                   RelancePlanMode         mode,
                                   GError                **error);

/* The earliest moment relance_planner_plan() would schedule a message for, from @now on,
 * without building the messages (the scheduler only needs the moment): @out_next gets it,
 * or NULL when nothing is planned. */
gboolean   relance_planner_next_due (RelanceStore           *store,
                                     GDateTime              *now,
                                     GDateTime             **out_next,
                                     GError                **error);

/* Renders @message with its template in the client's language (text B of a running A/B test
 * when the client is in group B). Any out pointer may be
 * NULL. The subject can never hold CR or LF; the HTML escapes every value. */
gboolean   relance_planner_render (RelanceStore                 *store,
                                   const RelancePlannedMessage  *message,
                                   char                        **out_subject,
                                   char                        **out_text,
                                   char                        **out_html,
                                   GError                      **error);

/* The values relance_planner_render() fills @message's template with, amounts and dates
 * formatted for @language (NULL: the message's own). */
/* The ISO 11649 reference the client is asked to give with the transfer: the invoice's for a
 * message about one invoice, the group's (relance_creditor_ref_for_group) for several. */
char                  *relance_planner_payment_reference (const RelancePlannedMessage *message);
RelanceTemplateValues *relance_planner_fill_values (RelanceStore                 *store,
                                                    const RelancePlannedMessage  *message,
                                                    const char                   *language,
                                                    GError                      **error);

/* Renders parsed templates with @values exactly as relance_planner_render() does (so a
 * preview shows what is sent). Any out pointer may be NULL. */
void       relance_planner_render_values (const RelanceTemplate  *subject_tpl,
                                          const RelanceTemplate  *body_tpl,
                                          RelanceTemplateValues  *values,
                                          char                  **out_subject,
                                          char                  **out_text,
                                          char                  **out_html);

/* The values a template preview shows for the invoice numbered @number, formatted for
 * @language: those of the message that carries it next as planned at @now, or, when
 * nothing is planned for it (every step sent…), of the invoice alone as of @now. */
RelanceTemplateValues *relance_planner_preview_values (RelanceStore  *store,
                                                       const char    *number,
                                                       const char    *language,
                                                       GDateTime     *now,
                                                       GError       **error);

/* The company's payment link filled in for @message ("" when none is set). */
char      *relance_planner_payment_link (RelanceStore                *store,
                                         const RelancePlannedMessage *message);

/* Settings of the reminder engine (relance config get/set), with their defaults. */
#define RELANCE_SETTING_SEND_WINDOW "send-window"          /* "mon-fri 09:00-18:00" */
#define RELANCE_SETTING_CALENDAR    "calendar"             /* FR, FR-ALSACE, GB, IE, BE, US */
#define RELANCE_SETTING_TIMEZONE    "timezone"             /* the company's, IANA name */
#define RELANCE_SETTING_THRESHOLD   "formal-notice-threshold" /* amount, company currency */
/* "true" while all sending is paused: the planner still plans (the owner sees what would go
 * out); whoever sends must check it. */
#define RELANCE_SETTING_PAUSED      "paused"

char      *relance_planner_default_timezone (const char *country);

G_END_DECLS
