/* relance-import-profiles.c: reading the profiles of invoicing tools' exports (a key file
 * in the core resource) once, and answering the importer's questions about them. */
#include "config.h"

#include <string.h>

#include "relance-core-resources.h"
#include "relance-import-profiles.h"

#define PROFILES_PATH "/com/example/Relance/core/import/profiles.ini"

struct _RelanceImportProfile
{
  char       *id;
  char       *name;
  GStrv       detect;    /* normalised */
  GHashTable *fields;    /* normalised header → field key */
  GHashTable *statuses;  /* normalised value → interned state */
};

/* The keys of a group that are not field names. */
static const char * const reserved_keys[] = { "Name", "Detect", "Statuses", NULL };

static const char * const states[] = { "open", "paid", "cancelled", "disputed", "draft", NULL };

char *
relance_import_normalise (const char *text,
                          gboolean    drop_brackets)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "C");
  GString *out = g_string_sized_new (strlen (ascii));
  gboolean pending_space = FALSE;
  int depth = 0;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      char c = *p;

      if (drop_brackets && (c == '(' || c == '['))
        {
          depth++;
          pending_space = TRUE;
          continue;
        }
      if (drop_brackets && (c == ')' || c == ']'))
        {
          depth = MAX (depth - 1, 0);
          continue;
        }
      if (depth > 0)
        continue;
      if (g_ascii_isalnum (c))
        {
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_c (out, g_ascii_tolower (c));
        }
      else
        pending_space = TRUE;
    }
  return g_string_free (out, FALSE);
}

static void
profile_free (RelanceImportProfile *profile)
{
  g_free (profile->id);
  g_free (profile->name);
  g_strfreev (profile->detect);
  g_clear_pointer (&profile->fields, g_hash_table_unref);
  g_clear_pointer (&profile->statuses, g_hash_table_unref);
  g_free (profile);
}

static RelanceImportProfile *
profile_load (GKeyFile   *file,
              const char *group)
{
  RelanceImportProfile *profile = g_new0 (RelanceImportProfile, 1);
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  g_auto(GStrv) detect = g_key_file_get_string_list (file, group, "Detect", NULL, NULL);
  g_auto(GStrv) statuses = g_key_file_get_string_list (file, group, "Statuses", NULL, NULL);
  GPtrArray *normalised = g_ptr_array_new ();

  profile->id = g_strdup (group);
  profile->name = g_key_file_get_string (file, group, "Name", NULL);
  if (profile->name == NULL)
    profile->name = g_strdup (group);
  for (guint i = 0; detect != NULL && detect[i] != NULL; i++)
    g_ptr_array_add (normalised, relance_import_normalise (detect[i], FALSE));
  g_ptr_array_add (normalised, NULL);
  profile->detect = (GStrv) g_ptr_array_free (normalised, FALSE);

  profile->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      g_auto(GStrv) headers = NULL;

      if (g_strv_contains (reserved_keys, keys[k]))
        continue;
      headers = g_key_file_get_string_list (file, group, keys[k], NULL, NULL);
      for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
        g_hash_table_insert (profile->fields, relance_import_normalise (headers[i], FALSE),
                             (gpointer) g_intern_string (keys[k]));
    }

  profile->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; statuses != NULL && statuses[i] != NULL; i++)
    {
      const char *colon = strrchr (statuses[i], ':');
      g_autofree char *value = NULL;

      /* A pair the file spells wrong is a bug of the data, caught by the profile test. */
      if (colon == NULL || !g_strv_contains (states, colon + 1))
        {
          g_warning ("Import profile %s: “%s” is not value:state", group, statuses[i]);
          continue;
        }
      value = g_strndup (statuses[i], colon - statuses[i]);
      g_hash_table_insert (profile->statuses, relance_import_normalise (value, FALSE),
                           (gpointer) g_intern_string (colon + 1));
    }
  return profile;
}

static GPtrArray *
load_profiles (void)
{
  GPtrArray *profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) profile_free);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (relance_core_get_resource (), PROFILES_PATH,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  if (bytes == NULL
      || !g_key_file_load_from_bytes (file, bytes, G_KEY_FILE_NONE, &error))
    {
      g_warning ("Import profiles could not be read: %s",
                 error != NULL ? error->message : "missing resource");
      return profiles;
    }
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    g_ptr_array_add (profiles, profile_load (file, groups[i]));
  return profiles;
}

static GPtrArray *
profiles (void)
{
  static gsize once = 0;
  static GPtrArray *list = NULL;

  if (g_once_init_enter (&once))
    {
      list = load_profiles ();
      g_once_init_leave (&once, 1);
    }
  return list;
}

GPtrArray *
relance_import_profile_list (void)
{
  return g_ptr_array_ref (profiles ());
}

const RelanceImportProfile *
relance_import_profile_detect (const char * const *headers,
                               guint               n_headers)
{
  GPtrArray *list = profiles ();
  const RelanceImportProfile *best = NULL;
  guint best_count = 0;

  for (guint p = 0; p < list->len; p++)
    {
      const RelanceImportProfile *profile = g_ptr_array_index (list, p);
      guint count = 0;
      gboolean all = TRUE;

      for (guint d = 0; all && profile->detect[d] != NULL; d++)
        {
          gboolean found = FALSE;

          for (guint h = 0; !found && h < n_headers; h++)
            found = headers[h] != NULL && strcmp (headers[h], profile->detect[d]) == 0;
          all = found;
          count++;
        }
      if (all && count > best_count)
        {
          best = profile;
          best_count = count;
        }
    }
  return best;
}

const char *
relance_import_profile_get_id (const RelanceImportProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->id;
}

const char *
relance_import_profile_get_name (const RelanceImportProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->name;
}

const char *
relance_import_profile_field (const RelanceImportProfile *profile,
                              const char                 *header)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return header != NULL ? g_hash_table_lookup (profile->fields, header) : NULL;
}

const char *
relance_import_profile_status (const RelanceImportProfile *profile,
                               const char                 *value)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return value != NULL ? g_hash_table_lookup (profile->statuses, value) : NULL;
}
