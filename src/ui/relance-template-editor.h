/* relance-template-editor.h: the editor of one reminder template (subject and body, per
 * key and language) with errors at LINE:COLUMN as you type and a live preview on a real
 * invoice. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_TEMPLATE_EDITOR (relance_template_editor_get_type ())
G_DECLARE_FINAL_TYPE (RelanceTemplateEditor, relance_template_editor, RELANCE, TEMPLATE_EDITOR,
                      AdwBin)

GtkWidget  *relance_template_editor_new          (void);
void        relance_template_editor_set_store    (RelanceTemplateEditor *self,
                                                  RelanceStore          *store);
void        relance_template_editor_reload       (RelanceTemplateEditor *self);
/* Opens @key in @language ("fr" or "en"), dropping unsaved edits. */
void        relance_template_editor_open         (RelanceTemplateEditor *self,
                                                  const char            *key,
                                                  const char            *language);
/* Previews with invoice @number. */
void        relance_template_editor_set_preview_invoice (RelanceTemplateEditor *self,
                                                         const char            *number);
/* TRUE while the invoices or the preview values are read in the background, or a check
 * is pending. */
gboolean    relance_template_editor_is_busy      (RelanceTemplateEditor *self);
/* The preview as plain text: the subject, a blank line, then the body. */
char       *relance_template_editor_get_preview_text (RelanceTemplateEditor *self);
gboolean    relance_template_editor_save         (RelanceTemplateEditor *self);

G_END_DECLS
