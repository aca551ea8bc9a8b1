/* relance-scenario-editor.h: the editor of the reminder scenarios (their steps: offset,
 * channel, tone, penalties, template), and the labels of a step that other pages show. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_SCENARIO_EDITOR (relance_scenario_editor_get_type ())
G_DECLARE_FINAL_TYPE (RelanceScenarioEditor, relance_scenario_editor, RELANCE, SCENARIO_EDITOR,
                      AdwBin)

GtkWidget *relance_scenario_editor_new       (void);
void       relance_scenario_editor_set_store (RelanceScenarioEditor *self,
                                              RelanceStore          *store);
void       relance_scenario_editor_reload    (RelanceScenarioEditor *self);
/* Writes the edited steps of every scenario in one transaction; FALSE with the reason
 * shown next to the faulty field. */
gboolean   relance_scenario_editor_save      (RelanceScenarioEditor *self);

/* "D-3", "D+8" (translated: "J-3" in French). */
char       *relance_step_offset_label  (int         offset_days);
const char *relance_step_tone_label    (const char *tone);
const char *relance_step_channel_label (const char *channel);

G_END_DECLS
