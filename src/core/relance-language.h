/* relance-language.h: which of Relance's two languages ("fr" or "en") to use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *relance_language_for_user (void);
gboolean    relance_language_parse    (const char  *text,
                                       const char **out_code);

G_END_DECLS
