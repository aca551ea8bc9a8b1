/* relance-templates-page.h: the Templates page of the main window. */
#pragma once

#include <adwaita.h>

#include "relance-scenario-editor.h"
#include "relance-page.h"
#include "relance-template-editor.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_TEMPLATES_PAGE (relance_templates_page_get_type ())
G_DECLARE_FINAL_TYPE (RelanceTemplatesPage, relance_templates_page, RELANCE, TEMPLATES_PAGE, RelancePage)

RelanceTemplateEditor *relance_templates_page_get_template_editor (RelanceTemplatesPage *self);
RelanceScenarioEditor *relance_templates_page_get_scenario_editor (RelanceTemplatesPage *self);

G_END_DECLS
