/* relance-templates-page.c: the Templates page of the main window: the reminder texts
 * (relance-template-editor.c) and the scenarios that send them
 * (relance-scenario-editor.c), side by side in a stack. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-scenario-editor.h"
#include "relance-template-editor.h"
#include "relance-templates-page.h"
#include "relance-page.h"

struct _RelanceTemplatesPage
{
  RelancePage   parent_instance;


  GtkStack              *stack;
  RelanceTemplateEditor *template_editor;
  RelanceScenarioEditor *scenario_editor;
};

G_DEFINE_FINAL_TYPE (RelanceTemplatesPage, relance_templates_page, RELANCE_TYPE_PAGE)

static void
relance_templates_page_dispose (GObject *object)
{
  RelanceTemplatesPage *self = RELANCE_TEMPLATES_PAGE (object);

  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (relance_templates_page_parent_class)->dispose (object);
}

static void
relance_templates_page_reload (RelancePage *page);

static void
relance_templates_page_class_init (RelanceTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_templates_page_dispose;
  RELANCE_PAGE_CLASS (klass)->reload = relance_templates_page_reload;

  g_type_ensure (RELANCE_TYPE_TEMPLATE_EDITOR);
  g_type_ensure (RELANCE_TYPE_SCENARIO_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Relance/relance-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplatesPage, template_editor);
  gtk_widget_class_bind_template_child (widget_class, RelanceTemplatesPage, scenario_editor);
}

static void
relance_templates_page_init (RelanceTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}


RelanceTemplateEditor *
relance_templates_page_get_template_editor (RelanceTemplatesPage *self)
{
  g_return_val_if_fail (RELANCE_IS_TEMPLATES_PAGE (self), NULL);
  return self->template_editor;
}

RelanceScenarioEditor *
relance_templates_page_get_scenario_editor (RelanceTemplatesPage *self)
{
  g_return_val_if_fail (RELANCE_IS_TEMPLATES_PAGE (self), NULL);
  return self->scenario_editor;
}

static void
relance_templates_page_reload (RelancePage *page)
{
  RelanceTemplatesPage *self = RELANCE_TEMPLATES_PAGE (page);

  /* Editors given a new store read it as they receive it; read again all the same. */
  relance_template_editor_set_store (self->template_editor, RELANCE_PAGE_STORE (self));
  relance_scenario_editor_set_store (self->scenario_editor, RELANCE_PAGE_STORE (self));
  relance_template_editor_reload (self->template_editor);
  relance_scenario_editor_reload (self->scenario_editor);
}
