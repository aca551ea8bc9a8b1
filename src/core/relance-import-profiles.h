/* relance-import-profiles.h: the invoicing tools whose exports the importer recognises.
 *
 * Profiles are data (src/core/import/profiles.ini, in the core resource): the headers that
 * identify a tool's export, the headers that mean each field in it, and what its status
 * values mean. Headers and values are compared after relance_import_normalise(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RelanceImportProfile RelanceImportProfile;

/* ASCII, lower case, punctuation and apostrophes as single spaces: "Date d’émission"
 * becomes "date d emission". Parenthesised parts ("Total (€)") go when @drop_brackets. */
char                       *relance_import_normalise       (const char                 *text,
                                                            gboolean                    drop_brackets);

/* The profile whose Detect headers all appear among @headers (normalised), the one with
 * the most of them on a tie; NULL when none does. */
const RelanceImportProfile *relance_import_profile_detect  (const char * const         *headers,
                                                            guint                       n_headers);
/* Every profile, in file order (for tests). */
GPtrArray                  *relance_import_profile_list    (void);
const char                 *relance_import_profile_get_id  (const RelanceImportProfile *profile);
const char                 *relance_import_profile_get_name (const RelanceImportProfile *profile);
/* The field key (as --map names it) that a normalised header means in this tool's export,
 * or NULL. */
const char                 *relance_import_profile_field   (const RelanceImportProfile *profile,
                                                            const char                 *header);
/* "open", "paid", "cancelled", "disputed" or "draft" for a normalised status value, or
 * NULL. */
const char                 *relance_import_profile_status  (const RelanceImportProfile *profile,
                                                            const char                 *value);

G_END_DECLS
