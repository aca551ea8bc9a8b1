/* relance-scenario.h: reminder scenarios (ordered steps) and the templates they use.
 *
 * Both live in the database (migration 3 seeds the shipped ones, in French and English)
 * so that the owner can edit them. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* The offsets the database accepts for a step, in days from the due date. */
#define RELANCE_STEP_MIN_OFFSET (-90)
#define RELANCE_STEP_MAX_OFFSET 365

typedef struct
{
  gint64    id;
  int       offset_days;   /* from the due date; negative = before it */
  char     *channel;       /* "email", "letter", "sms" or "task" (a call, a WhatsApp message
                            * when template_key starts with "whatsapp-"…) */
  char     *template_key;
  char     *tone;          /* "courteous", "firm" or "formal-notice" */
  gboolean  penalties;     /* state penalties and indemnity */
  gboolean  with_letter;   /* formal notice: also a letter to print */
  int       deadline_days; /* formal notice: days given to pay, 0 = none */
  gboolean  disabled;      /* switched off by the owner (an optional step): not planned */
} RelanceStep;

typedef struct
{
  gint64     id;
  char      *key;     /* "standard", "gentle", "firm" */
  char      *name_fr;
  char      *name_en;
  char      *segment; /* the client segment it serves by default, or NULL */
  GPtrArray *steps;   /* RelanceStep*, by offset */
} RelanceScenario;

typedef struct
{
  char *key;
  char *language;
  char *subject;
  char *body;
} RelanceTemplateText;

void relance_step_free          (RelanceStep         *step);
void relance_scenario_free      (RelanceScenario     *scenario);
void relance_template_text_free (RelanceTemplateText *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceScenario, relance_scenario_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceTemplateText, relance_template_text_free)

/* Tone rank for "most advanced step": courteous 0, firm 1, formal-notice 2. */
int              relance_tone_rank             (const char *tone);
const char      *relance_scenario_get_name     (const RelanceScenario *scenario,
                                                const char            *language);

/* The shipped template files (in the core GResource) "Subject: …\n\nbody". */
RelanceTemplateText *relance_template_text_load_shipped (const char  *key,
                                                         const char  *language,
                                                         GError     **error);
const char * const  *relance_template_shipped_keys      (void);
gboolean             relance_template_text_split        (const char  *contents,
                                                         char       **out_subject,
                                                         char       **out_body,
                                                         GError     **error);

/* Called by the store's migration 3, inside its transaction. */
gboolean         relance_scenario_seed          (RelanceStore  *store,
                                                 GError       **error);

GPtrArray       *relance_store_list_scenarios   (RelanceStore  *store,
                                                 GError       **error);
RelanceTemplateText *relance_store_get_template (RelanceStore  *store,
                                                 const char    *key,
                                                 const char    *language,
                                                 GError       **error);
gboolean         relance_store_save_template    (RelanceStore              *store,
                                                 const RelanceTemplateText *text,
                                                 GError                   **error);

/* The keys of the templates in the database (every language), sorted. */
GStrv            relance_store_list_template_keys (RelanceStore  *store,
                                                   GError       **error);
/* Whether a reminder points at the step: it is then proof, and cannot be removed.
 * A step not saved yet (@step_id 0) is never used. */
gboolean         relance_store_step_is_used     (RelanceStore  *store,
                                                 gint64         step_id,
                                                 gboolean      *out_used,
                                                 GError       **error);
/* Saves the edited steps of @scenarios (RelanceScenario*: a step whose id is 0 is added)
 * and deletes the saved steps of @removed_ids, all in one transaction: on error nothing is
 * written. Two steps of one scenario may swap days; two on the same day are refused. */
gboolean         relance_store_save_scenario_steps (RelanceStore  *store,
                                                    GPtrArray     *scenarios,
                                                    const gint64  *removed_ids,
                                                    guint          n_removed,
                                                    GError       **error);

G_END_DECLS
