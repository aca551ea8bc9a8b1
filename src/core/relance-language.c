/* relance-language.c: the user's language for messages and formats, and the language
 * values accepted for clients ("fr", "français", "English"…). */
#include "config.h"

#include <string.h>

#include "relance-language.h"

/* French when the user's first message language is French, English otherwise. */
const char *
relance_language_for_user (void)
{
  const char * const *names = g_get_language_names_with_category ("LC_MESSAGES");

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "fr"))
        return "fr";
      if (g_str_has_prefix (names[i], "en"))
        return "en";
      if (strcmp (names[i], "C") == 0)
        break;
    }
  return "en";
}

gboolean
relance_language_parse (const char  *text,
                        const char **out_code)
{
  static const struct { const char *word; const char *code; } words[] = {
    { "fr", "fr" }, { "fra", "fr" }, { "fre", "fr" }, { "francais", "fr" },
    { "french", "fr" }, { "fr-fr", "fr" }, { "fr_fr", "fr" },
    { "en", "en" }, { "eng", "en" }, { "anglais", "en" }, { "english", "en" },
    { "en-gb", "en" }, { "en_gb", "en" }, { "en-us", "en" }, { "en_us", "en" },
  };
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  ascii = g_str_to_ascii (text, "C");
  lower = g_ascii_strdown (g_strstrip (ascii), -1);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (lower, words[i].word) == 0)
      {
        *out_code = words[i].code;
        return TRUE;
      }
  return FALSE;
}
