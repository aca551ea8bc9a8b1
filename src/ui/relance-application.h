/* relance-application.h: the Relance application (one per database, single instance). */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_APPLICATION (relance_application_get_type ())
G_DECLARE_FINAL_TYPE (RelanceApplication, relance_application, RELANCE, APPLICATION,
                      AdwApplication)

/* @database_path: the database to open, NULL for the default one. Another database than
 * the default makes the instance non-unique, so it never hands over to a running one. */
RelanceApplication *relance_application_new               (const char         *database_path);
const char         *relance_application_get_database_path (RelanceApplication *self);
/* NULL until startup, or when the database could not be opened. */
RelanceStore       *relance_application_get_store         (RelanceApplication *self);

G_END_DECLS
