/* relance-templates-page.c: the Templates page of the main window: the reminder texts
 * (relance-template-editor.c) and the scenarios that send them
 * (relance-scenario-editor.c), side by side in a stack. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-scenario-editor.h"
#include "relance-template-editor.h"
#include "relance-templates-page.h"
#include "relance-ui-util.h"

struct _RelanceTemplatesPage
{
  AdwBin        parent_instance;

  RelanceStore *store;

  GtkStack              *stack;
  RelanceTemplateEditor *template_editor;
  RelanceScenarioEditor *scenario_editor;
};

G_DEFINE_FINAL_TYPE (RelanceTemplatesPage, relance_templates_page, ADW_TYPE_BIN)

static GParamSpec *store_pspec;

static void
relance_templates_page_dispose (GObject *object)
{
  RelanceTemplatesPage *self = RELANCE_TEMPLATES_PAGE (object);

  /* AdwBin unparents its child itself: gtk_widget_dispose_template() would do it first
   * and leave AdwBin a dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relance_templates_page_parent_class)->dispose (object);
}

static void
relance_templates_page_class_init (RelanceTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relance_templates_page_dispose;

  store_pspec =
    relance_class_install_store_property (object_class,
                                          G_STRUCT_OFFSET (RelanceTemplatesPage, store),
                                          (RelanceStoreSetter) relance_templates_page_set_store);

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

RelanceStore *
relance_templates_page_get_store (RelanceTemplatesPage *self)
{
  g_return_val_if_fail (RELANCE_IS_TEMPLATES_PAGE (self), NULL);
  return self->store;
}

void
relance_templates_page_set_store (RelanceTemplatesPage *self,
                                  RelanceStore         *store)
{
  g_return_if_fail (RELANCE_IS_TEMPLATES_PAGE (self));
  g_return_if_fail (store == NULL || RELANCE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      g_object_notify_by_pspec (G_OBJECT (self), store_pspec);
      relance_template_editor_set_store (self->template_editor, store);
      relance_scenario_editor_set_store (self->scenario_editor, store);
    }
}

void
relance_templates_page_reload (RelanceTemplatesPage *self)
{
  g_return_if_fail (RELANCE_IS_TEMPLATES_PAGE (self));

  relance_template_editor_reload (self->template_editor);
  relance_scenario_editor_reload (self->scenario_editor);
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
