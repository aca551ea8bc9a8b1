/* relance-creditor-ref.c: ISO 11649 creditor references, made and recognised.
 *
 * The check is ISO 7064 MOD 97-10, the same as the IBAN's: move "RFcc" to the end, replace
 * each letter by its number (A=10 … Z=35), and the result modulo 97 must be 1. */
#include "config.h"

#include <string.h>

#include "relance-creditor-ref.h"

/* Remainder modulo 97 of the digits @text (letters as two digits) would make, followed by
 * @tail; computed digit by digit so that no number overflows. */
static guint
mod97_append (guint       remainder,
              const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (g_ascii_isdigit (c))
        remainder = (remainder * 10 + (guint) (c - '0')) % 97;
      else if (c >= 'A' && c <= 'Z')
        remainder = (remainder * 100 + (guint) (c - 'A' + 10)) % 97;
    }
  return remainder;
}

static char *
clean_id (const char *id)
{
  GString *out = g_string_new (NULL);

  for (const char *p = id; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

char *
relance_creditor_ref_make (const char *id)
{
  g_autofree char *clean = clean_id (id);
  guint remainder;

  if (*clean == '\0' || strlen (clean) > RELANCE_CREDITOR_REF_MAX_ID)
    return NULL;
  remainder = mod97_append (0, clean);
  remainder = mod97_append (remainder, "RF00");
  return g_strdup_printf ("RF%02u%s", 98 - remainder, clean);
}

char *
relance_creditor_ref_normalise (const char *text)
{
  g_autofree char *clean = NULL;
  gsize length;

  if (text == NULL)
    return NULL;
  clean = clean_id (text);
  length = strlen (clean);
  /* Only spaces may stand between the characters of a reference. */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != ' ')
      return NULL;
  if (length < 5 || length > 4 + RELANCE_CREDITOR_REF_MAX_ID
      || clean[0] != 'R' || clean[1] != 'F'
      || !g_ascii_isdigit (clean[2]) || !g_ascii_isdigit (clean[3]))
    return NULL;
  if (mod97_append (mod97_append (0, clean + 4), (char[]) { clean[0], clean[1], clean[2],
                                                            clean[3], '\0' }) != 1)
    return NULL;
  return g_steal_pointer (&clean);
}

gboolean
relance_creditor_ref_is_valid (const char *text)
{
  g_autofree char *normal = relance_creditor_ref_normalise (text);

  return normal != NULL;
}

char *
relance_creditor_ref_format (const char *reference)
{
  g_autofree char *clean = clean_id (reference);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; clean[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, clean[i]);
    }
  return g_string_free (out, FALSE);
}

static void
append_base36 (GString *out,
               guint64  value,
               guint    min_width)
{
  static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char buffer[16];
  guint n = 0;

  do
    {
      buffer[n++] = digits[value % 36];
      value /= 36;
    }
  while (value > 0 && n < sizeof buffer);
  while (n < min_width && n < sizeof buffer)
    buffer[n++] = '0';
  while (n > 0)
    g_string_append_c (out, buffer[--n]);
}

char *
relance_creditor_ref_for_invoice (const char *number,
                                  gint64      invoice_id)
{
  g_autofree char *clean = clean_id (number);
  g_autoptr(GString) id = NULL;

  if (*clean != '\0' && strlen (clean) <= RELANCE_CREDITOR_REF_MAX_ID)
    return relance_creditor_ref_make (clean);
  id = g_string_new ("INV");
  append_base36 (id, (guint64) invoice_id, 1);
  return relance_creditor_ref_make (id->str);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

char *
relance_creditor_ref_for_group (const gint64 *invoice_ids,
                                guint         n_ids)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) id = g_string_new ("G");
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  guint64 value = 0;

  g_array_append_vals (sorted, invoice_ids, n_ids);
  g_array_sort (sorted, compare_ids);
  for (guint i = 0; i < sorted->len; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT ",", g_array_index (sorted, gint64, i));
      g_checksum_update (checksum, (const guchar *) text, -1);
    }
  g_checksum_get_digest (checksum, digest, &digest_len);
  /* 62 bits are 12 base-36 characters at most: one in 4.6 × 10^18 for two groups to meet. */
  for (guint i = 0; i < 8; i++)
    value = (value << 8) | digest[i];
  append_base36 (id, value >> 2, 12);
  return relance_creditor_ref_make (id->str);
}

char *
relance_creditor_ref_find (const char  *text,
                           char       **out_invalid)
{
  g_autofree char *upper = NULL;
  g_autofree char *invalid = NULL;

  if (out_invalid != NULL)
    *out_invalid = NULL;
  if (text == NULL)
    return NULL;
  upper = g_ascii_strup (text, -1);
  for (const char *p = upper; (p = strstr (p, "RF")) != NULL; p++)
    {
      GString *candidate;
      const char *q;

      /* "RF" must start a word. */
      if (p > upper && g_ascii_isalnum (p[-1]))
        continue;
      if (!g_ascii_isdigit (p[2]) || !g_ascii_isdigit (p[3]))
        continue;
      /* The longest run of letters, digits and single spaces (printed in groups of four)
       * that is a valid reference; shorter ones first would stop at a prefix. */
      candidate = g_string_new (NULL);
      for (q = p; *q != '\0' && candidate->len < 4 + RELANCE_CREDITOR_REF_MAX_ID; q++)
        {
          if (g_ascii_isalnum (*q))
            g_string_append_c (candidate, *q);
          else if (*q == ' ' && g_ascii_isalnum (q[1]) && candidate->len % 4 == 0)
            continue;
          else
            break;
        }
      while (candidate->len >= 5)
        {
          g_autofree char *normal = relance_creditor_ref_normalise (candidate->str);

          if (normal != NULL)
            {
              g_string_free (candidate, TRUE);
              return g_steal_pointer (&normal);
            }
          g_string_truncate (candidate, candidate->len - 1);
        }
      if (invalid == NULL)
        {
          /* What the payer typed, up to the end of the word. */
          const char *end = p;

          while (g_ascii_isalnum (*end))
            end++;
          invalid = g_strndup (p, end - p);
        }
      g_string_free (candidate, TRUE);
    }
  if (out_invalid != NULL)
    *out_invalid = g_steal_pointer (&invalid);
  return NULL;
}
