/* relance-store-ab.h: the A/B test aggregate of the store, and the friendly channels'
 * switches.
 *
 * A test belongs to one email step of one scenario: text A is the step's template, text B
 * is stored with the test, per language. The split of clients is a keyed hash with the
 * test's salt (relance-ab.h); each reminder sent during a test records its variant in the
 * outbox (ab_test_id, ab_variant), and the counts are read back from there.
 *
 * A step is named on the command line as SCENARIO:OFFSET ("standard:+8", "firm:-5",
 * "gentle:0"): the scenario's key and the step's day from the due date. */
#pragma once

#include "relance-scenario.h"
#include "relance-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      id;
  gint64      step_id;
  char       *scenario_key;
  int         offset_days;
  char       *template_key;  /* text A */
  char       *salt;
  gint64      started_at;    /* unix seconds */
  gint64      stopped_at;    /* 0 while running */
  char        kept;          /* 'a', 'b', or 0 while running */
  GPtrArray  *texts;         /* RelanceTemplateText*: text B in each language it has */
} RelanceAbTest;

void relance_ab_test_free (RelanceAbTest *test);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceAbTest, relance_ab_test_free)

/* Text B of @test in @language, or NULL when the test has none in that language (clients
 * writing in that language then all get text A and are not counted). */
const RelanceTemplateText *relance_ab_test_get_text (const RelanceAbTest *test,
                                                     const char          *language);

/* Parses "SCENARIO:OFFSET" ("standard:+8"). FALSE with RELANCE_CORE_ERROR_INVALID. */
gboolean       relance_ab_parse_step_name     (const char  *name,
                                               char       **out_scenario_key,
                                               int         *out_offset_days,
                                               GError     **error);
/* "standard:+8" */
char          *relance_ab_format_step_name    (const char  *scenario_key,
                                               int          offset_days);

/* Starts a test of @text_b on the email step @scenario_key:@offset_days, or, when one runs
 * there already, gives it @text_b in @text_b->language (another language, or a corrected
 * text). The text is checked as templates are. Returns the test. */
RelanceAbTest *relance_store_ab_start         (RelanceStore               *store,
                                               const char                 *scenario_key,
                                               int                         offset_days,
                                               const RelanceTemplateText  *text_b,
                                               GDateTime                  *now,
                                               GError                    **error);
/* Ends the running test of the step; @keep 'b' makes text B the step's text: the template is
 * rewritten in B's languages, or, when other steps share that template, the step gets a copy
 * of its own ("<key>-b<test id>") so that they keep theirs. */
gboolean       relance_store_ab_stop          (RelanceStore  *store,
                                               const char    *scenario_key,
                                               int            offset_days,
                                               char           keep,
                                               GDateTime     *now,
                                               GError       **error);
/* The tests, running ones first then the latest stopped (@running_only: only those). */
GPtrArray     *relance_store_ab_list          (RelanceStore  *store,
                                               gboolean       running_only,
                                               GError       **error);
/* The running test of a step, or NULL (no error) when there is none. */
RelanceAbTest *relance_store_ab_get_running   (RelanceStore  *store,
                                               gint64         step_id,
                                               GError       **error);

typedef struct
{
  guint   sent;         /* invoices reminded with this variant (a message about two: two) */
  guint   paid_7d;      /* of them, paid in full within 7 days of the reminder */
  guint   paid_14d;     /* … within 14 days */
  guint   judged;       /* reminders sent at least 14 days ago: the ones the test uses */
  guint   judged_paid;  /* of them, paid within 14 days */
  double  median_days;  /* days from the reminder to the payment, paid ones; NAN if none */
} RelanceAbCounts;

/* Counts of variant A (@out[0]) and B (@out[1]) as of @now. */
gboolean       relance_store_ab_counts        (RelanceStore     *store,
                                               gint64            test_id,
                                               GDateTime        *now,
                                               RelanceAbCounts   out[2],
                                               GError          **error);

/* One test as the owner reads it: its counts and the verdict, on the dashboard, in the step's
 * editor and from `relance ab status`. */
typedef struct
{
  RelanceAbTest    *test;
  char             *step_name;   /* "standard:+8" */
  RelanceAbCounts   counts[2];
  double            probability_better;
  char             *verdict;     /* relance_ab_verdict_to_string() */
  char             *sentence;    /* translated */
} RelanceAbReport;

void       relance_ab_report_free     (RelanceAbReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceAbReport, relance_ab_report_free)
/* Reports of the tests (running only, or all), as of @now. */
GPtrArray *relance_store_ab_reports   (RelanceStore  *store,
                                       gboolean       running_only,
                                       GDateTime     *now,
                                       GError       **error);

/* Friendly channels: a step can be switched off without being removed (the Gentle
 * scenario's WhatsApp nudge ships switched off). */
gboolean       relance_store_set_step_enabled (RelanceStore  *store,
                                               gint64         step_id,
                                               gboolean       enabled,
                                               GError       **error);

/* Called by the store's migration 12, inside its transaction: the shipped WhatsApp texts
 * (INSERT OR IGNORE, like migration 5) and the Gentle scenario's WhatsApp nudge, off. */
gboolean       relance_store_ab_migrate_data  (RelanceStore  *store,
                                               GError       **error);

/* The template keys of WhatsApp texts start with this. */
#define RELANCE_WHATSAPP_TEMPLATE_PREFIX "whatsapp-"
/* The day of the Gentle scenario's WhatsApp nudge. */
#define RELANCE_GENTLE_WHATSAPP_OFFSET 8

G_END_DECLS
