/* relance-scenario.h: reminder scenarios (ordered steps) and the templates they use.
 *
 * Both live in the database (migration 3 seeds the shipped ones, in French and English)
 * so that the owner can edit them; relance-store-scenarios.h reads and writes them. */
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

/* The shipped scenarios (RelanceScenario*, ids 0), as migration 3 seeds them. */
GPtrArray           *relance_scenario_list_shipped     (void);

G_END_DECLS

/* Reading and writing them: the store's scenario aggregate. */
#include "relance-store-scenarios.h"
