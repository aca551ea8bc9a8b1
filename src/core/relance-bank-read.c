/* relance-bank-read.c: reading bank statements into credits: the format recognised from the
 * content, then read by relance-bank-camt.c (ISO 20022), relance-bank-ofx.c (OFX 1.x and
 * 2.x) or relance-bank-csv.c (the banks' CSV exports); the credits' keys and amounts. */
#include "config.h"

#include <glib/gstdio.h>

#include "relance-bank-private.h"
#include "relance-date.h"
#include "relance-money.h"

/* A year of a busy account in camt.053 is a few MB. */
#define MAX_STATEMENT_SIZE (64 * 1024 * 1024)

void
relance_bank_credit_free (RelanceBankCredit *credit)
{
  if (credit == NULL)
    return;
  g_free (credit->key);
  g_free (credit->bank_id);
  g_free (credit->account);
  g_free (credit->currency);
  g_free (credit->payer);
  g_free (credit->label);
  g_free (credit->reference);
  g_free (credit);
}

void
relance_bank_statement_free (RelanceBankStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->format);
  g_free (statement->bank);
  g_free (statement->name);
  g_clear_pointer (&statement->credits, g_ptr_array_unref);
  g_free (statement);
}

RelanceBankStatement *
relance_bank_statement_new (const char *name,
                            const char *format)
{
  RelanceBankStatement *statement = g_new0 (RelanceBankStatement, 1);

  statement->name = g_path_get_basename (name);
  statement->format = g_strdup (format);
  statement->credits = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_credit_free);
  return statement;
}

gboolean
relance_bank_fail_at (GError     **error,
                      const char  *name,
                      guint        line,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *base = g_path_get_basename (name);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, "%s:%u: %s", base, line,
                 message);
  else
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, "%s: %s", base, message);
  return FALSE;
}

/* ---- amounts ---------------------------------------------------------------------- */

/* Whether three digits, and no fourth, follow @q: what a thousands separator must have
 * after it ("1.234,56" but not "300.00" read with a decimal comma). */
static gboolean
group_follows (const char *q)
{
  return g_ascii_isdigit (q[0]) && g_ascii_isdigit (q[1]) && g_ascii_isdigit (q[2])
         && !g_ascii_isdigit (q[3]);
}

gboolean
relance_bank_parse_amount (const char  *text,
                           char         decimal,
                           const char  *currency,
                           gint64      *out_minor,
                           GError     **error)
{
  int digits = relance_currency_digits (currency);
  char thousands = decimal == ',' ? '.' : ',';
  gboolean negative = FALSE, seen_digit = FALSE, in_fraction = FALSE;
  gint64 units = 0, fraction = 0;
  int fraction_digits = 0;
  g_autofree char *clean = g_strstrip (g_strdup (text));
  gsize length = strlen (clean);
  const char *p;

  /* A currency written next to the amount ("300,00 €", "EUR 12.50", "-49.00 EUR"). */
  if (g_str_has_suffix (clean, "€"))
    clean[length - strlen ("€")] = '\0';
  else if (length > 3 && currency != NULL && g_ascii_strcasecmp (clean + length - 3, currency) == 0)
    clean[length - 3] = '\0';
  g_strstrip (clean);
  p = clean;
  if (g_str_has_prefix (p, "€"))
    p += strlen ("€");
  else if (currency != NULL && g_ascii_strncasecmp (p, currency, 3) == 0)
    p += 3;
  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  for (; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isdigit (c))
        {
          seen_digit = TRUE;
          if (in_fraction)
            {
              if (++fraction_digits > digits)
                goto bad;
              fraction = fraction * 10 + (c - '0');
            }
          else
            {
              units = units * 10 + (c - '0');
              if (units > RELANCE_MONEY_MAX_UNITS)
                goto bad;
            }
        }
      else if (c == (guchar) decimal && !in_fraction)
        in_fraction = TRUE;
      else if ((c == (guchar) thousands || c == ' ' || c == '\'') && !in_fraction && seen_digit
               && group_follows (p + 1))
        continue;
      /* No-break spaces (U+00A0, U+202F) between thousands. */
      else if (c == 0xC2 && (guchar) p[1] == 0xA0 && !in_fraction && group_follows (p + 2))
        p++;
      else if (c == 0xE2 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0xAF && !in_fraction
               && group_follows (p + 3))
        p += 2;
      else
        goto bad;
    }
  if (!seen_digit)
    goto bad;
  for (; fraction_digits < digits; fraction_digits++)
    fraction *= 10;
  for (int i = 0; i < digits; i++)
    units *= 10;
  *out_minor = (units + fraction) * (negative ? -1 : 1);
  return TRUE;

bad:
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is what the file gives as an amount */
               _("“%s” is not an amount."), text);
  return FALSE;
}

/* ---- keys ------------------------------------------------------------------------- */

/* Gives each credit its key once the whole file is read: identical credits without a bank
 * id (two transfers of 50 € from one payer on one day) get their rank in the file, so they
 * stay two, and come out with the same keys from an overlapping statement. */
void
relance_bank_assign_keys (RelanceBankStatement *statement)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < statement->credits->len; i++)
    {
      RelanceBankCredit *credit = g_ptr_array_index (statement->credits, i);
      g_autofree char *date = relance_date_to_iso (&credit->date);
      g_autofree char *base = NULL;
      guint rank;

      if (credit->bank_id != NULL && *credit->bank_id != '\0')
        {
          credit->key = g_strdup_printf ("id:%s:%s", credit->account, credit->bank_id);
          continue;
        }
      base = g_strdup_printf ("%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s",
                              credit->account, date, credit->amount, credit->currency,
                              credit->payer, credit->label);
      rank = GPOINTER_TO_UINT (g_hash_table_lookup (seen, base));
      g_hash_table_replace (seen, g_strdup (base), GUINT_TO_POINTER (rank + 1));
      {
        g_autofree char *with_rank = g_strdup_printf ("%s\x1f%u", base, rank);
        g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, with_rank, -1);

        credit->key = g_strdup_printf ("hash:%s", sum);
      }
    }
}

RelanceBankCredit *
relance_bank_credit_new (void)
{
  RelanceBankCredit *credit = g_new0 (RelanceBankCredit, 1);

  g_date_clear (&credit->date, 1);
  return credit;
}

/* Blanks, line breaks and runs of spaces in a label become one space. */
char *
relance_bank_squeeze (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- dispatch --------------------------------------------------------------------- */

static const char *
skip_blanks (const char *p,
             const char *end)
{
  if (end - p >= 3 && (guchar) p[0] == 0xEF && (guchar) p[1] == 0xBB && (guchar) p[2] == 0xBF)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

RelanceBankStatement *
relance_bank_statement_read_bytes (const char  *name,
                                   GBytes      *bytes,
                                   GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *start = skip_blanks (data, data + size);
  gsize head = MIN (size, 4096);

  if (size > MAX_STATEMENT_SIZE)
    {
      relance_bank_fail_at (error, name, 0,
                            /* Translators: %d is a size in megabytes */
                            _("This file is larger than %d MB, which is far too big for a "
                              "bank statement."),
                            MAX_STATEMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  if (memchr (data, '\0', head) != NULL)
    {
      relance_bank_fail_at (error, name, 0, "%s",
                            _("This file is not a statement Relance reads: not CAMT (ISO "
                              "20022 XML), not OFX, and not the CSV export of a bank it "
                              "knows."));
      return NULL;
    }
  if (g_str_has_prefix (start, "OFXHEADER") || g_strstr_len (data, head, "<?OFX") != NULL
      || g_strstr_len (data, head, "<OFX>") != NULL)
    return relance_bank_read_ofx (name, bytes, error);
  if (*start == '<')
    return relance_bank_read_camt (name, bytes, error);
  return relance_bank_read_csv (name, bytes, error);
}

RelanceBankStatement *
relance_bank_statement_read (const char  *path,
                             GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;

  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  return relance_bank_statement_read_bytes (path, bytes, error);
}

gboolean
relance_bank_is_statement_name (const char *path)
{
  static const char *suffixes[] = { ".xml", ".ofx", ".qfx", ".csv", ".053", ".054", ".camt" };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *base = g_path_get_basename (lower);

  if (base[0] == '.' || base[0] == '~')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]))
      return TRUE;
  return FALSE;
}
