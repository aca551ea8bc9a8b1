/* relance-store-scenarios.h: the scenarios, their steps and the templates in the store. */
#pragma once

#include "relance-scenario.h"
#include "relance-store.h"

G_BEGIN_DECLS

/* The shipped templates (both languages) and scenarios: the store's migration 3 calls it
 * inside its transaction. */
gboolean         relance_store_seed_scenarios   (RelanceStore  *store,
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
