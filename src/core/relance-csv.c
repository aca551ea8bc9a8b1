/* relance-csv.c: a CSV reader that splits a whole file in place, and a small writer. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-csv.h"
#include "relance-error.h"

typedef struct
{
  guint first_field;
  guint n_fields;
  guint line;
} Record;

struct _RelanceCsv
{
  char       *storage;   /* owned; the UTF-8 text starts at @text inside it */
  char       *text;
  gsize       length;
  const char *encoding;
  gboolean    had_bom;
  char        separator;
  GArray     *records;   /* Record */
  GArray     *fields;    /* char *, pointing into @storage (or @chunk for a table) */
  GStringChunk *chunk;   /* a table's text, built by relance_csv_table_add_record() */
};

/* How many records the separator detection looks at: enough to see a few data rows,
 * few enough to cost nothing on a big file. */
#define DETECT_RECORDS 30

void
relance_csv_free (RelanceCsv *csv)
{
  if (csv == NULL)
    return;
  g_free (csv->storage);
  g_clear_pointer (&csv->records, g_array_unref);
  g_clear_pointer (&csv->fields, g_array_unref);
  g_clear_pointer (&csv->chunk, g_string_chunk_free);
  g_free (csv);
}

RelanceCsv *
relance_csv_new_table (const char *origin)
{
  RelanceCsv *csv = g_new0 (RelanceCsv, 1);

  csv->encoding = g_intern_string (origin);
  /* Decimal points, as spreadsheets store numbers and e-invoices write amounts. */
  csv->separator = ',';
  csv->records = g_array_new (FALSE, FALSE, sizeof (Record));
  csv->fields = g_array_new (FALSE, FALSE, sizeof (char *));
  csv->chunk = g_string_chunk_new (64 * 1024);
  return csv;
}

void
relance_csv_table_add_record (RelanceCsv         *csv,
                              const char * const *values,
                              guint               n_values,
                              guint               line)
{
  Record record = { csv->fields->len, n_values, line };

  g_return_if_fail (csv->chunk != NULL);
  for (guint i = 0; i < n_values; i++)
    {
      char *copy = g_string_chunk_insert_const (csv->chunk, values[i] != NULL ? values[i] : "");

      g_array_append_val (csv->fields, copy);
    }
  g_array_append_val (csv->records, record);
}

/* Windows-1252's 0x80-0x9F; 0 where it defines no character. */
static const gunichar cp1252_c1[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Windows-1252 (or, with @latin1, ISO-8859-1) to UTF-8, as g_convert() would but several
 * times faster on big exports: a table instead of iconv. NULL when a byte is undefined. */
static char *
decode_8bit (const char *data,
             gsize       length,
             gboolean    latin1,
             gsize      *out_len)
{
  const guchar *u = (const guchar *) data;
  gsize high = 0;
  char *out;
  char *p;

  for (gsize i = 0; i < length; i++)
    {
      if (u[i] < 0x80)
        continue;
      if (!latin1 && u[i] < 0xA0 && cp1252_c1[u[i] - 0x80] == 0)
        return NULL;
      high++;
    }

  /* At most three bytes each (U+20AC and the like); two for Latin-1. */
  out = p = g_malloc (length + 2 * high + 1);
  for (gsize i = 0; i < length; i++)
    {
      gunichar c = u[i];

      if (c < 0x80)
        *p++ = (char) c;
      else
        {
          if (!latin1 && c < 0xA0)
            c = cp1252_c1[c - 0x80];
          p += g_unichar_to_utf8 (c, p);
        }
    }
  *p = '\0';
  *out_len = p - out;
  return out;
}

/* Turns @data into NUL-terminated UTF-8 owned by @csv. Takes ownership of @data (which
 * has @length bytes plus a NUL) when it can be used as is. */
static gboolean
decode (RelanceCsv  *csv,
        char        *data,
        gsize        length,
        GError     **error)
{
  g_autofree char *owned = data;
  const guchar *u = (const guchar *) data;
  g_autoptr(GError) local_error = NULL;
  const char *from = NULL;
  gsize skip = 0;
  gsize out_len = 0;

  if (length >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    {
      /* Excel's "Unicode text": UTF-16 with a BOM, no other way to recognise it. */
      from = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      csv->encoding = "UTF-16";
      csv->had_bom = TRUE;
      skip = 2;
    }
  else
    {
      if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        {
          csv->had_bom = TRUE;
          skip = 3;
        }
      if (memchr (data, '\0', length) != NULL)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("This file is neither a CSV text file, nor a spreadsheet (.xlsx, "
                         ".ods), nor an e-invoice (.pdf, .xml): Relance cannot read it."));
          return FALSE;
        }
      if (g_utf8_validate_len (data + skip, length - skip, NULL))
        {
          csv->encoding = "UTF-8";
          csv->storage = g_steal_pointer (&owned);
          csv->text = csv->storage + skip;
          csv->length = length - skip;
          return TRUE;
        }
      from = "WINDOWS-1252";
      csv->encoding = "WINDOWS-1252";
    }

  if (g_str_equal (from, "WINDOWS-1252"))
    {
      csv->storage = decode_8bit (data + skip, length - skip, FALSE, &out_len);
      if (csv->storage == NULL)
        {
          /* A few bytes are undefined in Windows-1252; Latin-1 maps every byte. */
          csv->storage = decode_8bit (data + skip, length - skip, TRUE, &out_len);
          csv->encoding = "ISO-8859-1";
        }
    }
  else
    csv->storage = g_convert (data + skip, length - skip, "UTF-8", from, NULL, &out_len,
                              &local_error);
  if (csv->storage == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is a technical reason from the system */
                   _("The file’s text could not be read: %s"), local_error->message);
      return FALSE;
    }
  csv->text = csv->storage;
  csv->length = out_len;
  return TRUE;
}

/* Counts, for each of the first records, how many of each candidate separator lie
 * outside quotes. A quote toggles the state, so doubled quotes cancel out. */
static char
detect_separator (const char *text,
                  gsize       length)
{
  static const char candidates[] = { ';', ',', '\t' };
  guint counts[DETECT_RECORDS][G_N_ELEMENTS (candidates)] = { { 0 } };
  guint n_records = 0;
  gboolean in_quotes = FALSE;
  gboolean record_has_text = FALSE;
  char best = ',';
  guint best_consistent = 0;
  guint best_header = 0;

  for (gsize i = 0; i < length && n_records < DETECT_RECORDS; i++)
    {
      char c = text[i];

      if (c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && (c == '\n' || c == '\r'))
        {
          if (record_has_text)
            n_records++;
          record_has_text = FALSE;
          continue;
        }
      else if (!in_quotes)
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            if (c == candidates[k])
              counts[n_records][k]++;
        }
      record_has_text = TRUE;
    }
  if (record_has_text && n_records < DETECT_RECORDS)
    n_records++;

  /* Spreadsheets saved as CSV may have a title or an export date above the header: the
   * separator is the one that splits the most records into the same number of fields (the
   * header and the data rows), whichever record comes first; on a tie, the one that gives
   * those records more fields. */
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint mode = 0;
      guint consistent = 0;

      for (guint r = 0; r < n_records; r++)
        {
          guint same = 0;

          if (counts[r][k] == 0)
            continue;
          for (guint q = 0; q < n_records; q++)
            if (counts[q][k] == counts[r][k])
              same++;
          if (same > consistent || (same == consistent && counts[r][k] > mode))
            {
              consistent = same;
              mode = counts[r][k];
            }
        }
      if (mode == 0)
        continue;
      if (best_header == 0 || consistent > best_consistent
          || (consistent == best_consistent && mode > best_header))
        {
          best = candidates[k];
          best_consistent = consistent;
          best_header = mode;
        }
    }
  return best;
}

static inline gboolean
is_blank (char c,
          char separator)
{
  return c == ' ' || (c == '\t' && separator != '\t');
}

static gboolean
split (RelanceCsv  *csv,
       guint       *out_error_line,
       GError     **error)
{
  char *r = csv->text;
  char *end = csv->text + csv->length;
  char sep = csv->separator;
  guint line = 1;

  while (r < end)
    {
      Record record = { csv->fields->len, 0, line };
      gboolean any_quoted = FALSE;

      for (;;)
        {
          char *start;
          char *w;
          char term;

          while (r < end && is_blank (*r, sep))
            r++;

          if (r < end && *r == '"')
            {
              guint quote_line = line;
              char *after;

              any_quoted = TRUE;
              r++;
              start = w = r;
              for (;;)
                {
                  if (r >= end)
                    {
                      if (out_error_line != NULL)
                        *out_error_line = quote_line;
                      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                                   /* Translators: %u is a line number in the file */
                                   _("The quoted field that starts on line %u is never "
                                     "closed: a closing quote (\") is missing."), quote_line);
                      return FALSE;
                    }
                  if (*r == '"')
                    {
                      if (r + 1 < end && r[1] == '"')
                        {
                          *w++ = '"';
                          r += 2;
                          continue;
                        }
                      r++;
                      break;
                    }
                  if (*r == '\r' || *r == '\n')
                    {
                      /* Line breaks inside a field come out as LF whatever the file used. */
                      if (*r == '\r' && r + 1 < end && r[1] == '\n')
                        r++;
                      line++;
                      *w++ = '\n';
                      r++;
                      continue;
                    }
                  *w++ = *r++;
                }

              /* Tolerate blanks after the closing quote; keep any other stray text. */
              after = r;
              while (r < end && is_blank (*r, sep))
                r++;
              if (r < end && *r != sep && *r != '\n' && *r != '\r')
                {
                  r = after;
                  while (r < end && *r != sep && *r != '\n' && *r != '\r')
                    *w++ = *r++;
                  while (w > start && is_blank (w[-1], sep))
                    w--;
                }
            }
          else
            {
              start = r;
              while (r < end && *r != sep && *r != '\n' && *r != '\r')
                r++;
              w = r;
              while (w > start && is_blank (w[-1], sep))
                w--;
            }

          term = r < end ? *r : '\0';
          *w = '\0';
          g_array_append_val (csv->fields, start);
          record.n_fields++;

          if (term == sep)
            {
              r++;
              continue;
            }
          if (term == '\r')
            {
              r++;
              if (r < end && *r == '\n')
                r++;
              line++;
            }
          else if (term == '\n')
            {
              r++;
              line++;
            }
          break;
        }

      if (record.n_fields == 1 && !any_quoted
          && *g_array_index (csv->fields, char *, record.first_field) == '\0')
        {
          /* An empty line (often the last one): not a record. */
          g_array_set_size (csv->fields, record.first_field);
          continue;
        }
      g_array_append_val (csv->records, record);
    }
  return TRUE;
}

static RelanceCsv *
parse_owned (char     *data,
             gsize     length,
             guint    *out_error_line,
             GError  **error)
{
  g_autoptr(RelanceCsv) csv = g_new0 (RelanceCsv, 1);
  guint estimate;

  if (out_error_line != NULL)
    *out_error_line = 0;
  if (!decode (csv, data, length, error))
    return NULL;

  csv->separator = detect_separator (csv->text, csv->length);
  /* One field per ~12 bytes and one record per ~100 is typical of invoice exports. */
  estimate = (guint) MIN (csv->length / 12 + 16, G_MAXUINT / 2);
  csv->fields = g_array_sized_new (FALSE, FALSE, sizeof (char *), estimate);
  csv->records = g_array_sized_new (FALSE, FALSE, sizeof (Record), estimate / 8 + 4);
  if (!split (csv, out_error_line, error))
    return NULL;
  return g_steal_pointer (&csv);
}

RelanceCsv *
relance_csv_parse (const char  *data,
                   gsize        length,
                   guint       *out_error_line,
                   GError     **error)
{
  char *copy = g_malloc (length + 1);

  memcpy (copy, data, length);
  copy[length] = '\0';
  return parse_owned (copy, length, out_error_line, error);
}

RelanceCsv *
relance_csv_read_file (const char  *path,
                       guint       *out_error_line,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (out_error_line != NULL)
    *out_error_line = 0;
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   /* Translators: %s is the system's reason */
                   _("The file could not be read: %s"), local_error->message);
      return NULL;
    }
  return parse_owned (data, length, out_error_line, error);
}

const char *
relance_csv_get_encoding (RelanceCsv *csv)
{
  return csv->encoding;
}

gboolean
relance_csv_get_had_bom (RelanceCsv *csv)
{
  return csv->had_bom;
}

char
relance_csv_get_separator (RelanceCsv *csv)
{
  return csv->separator;
}

guint
relance_csv_get_n_records (RelanceCsv *csv)
{
  return csv->records->len;
}

guint
relance_csv_get_n_fields (RelanceCsv *csv,
                          guint       record)
{
  g_return_val_if_fail (record < csv->records->len, 0);
  return g_array_index (csv->records, Record, record).n_fields;
}

const char *
relance_csv_get_field (RelanceCsv *csv,
                       guint       record,
                       guint       field)
{
  const Record *rec;

  g_return_val_if_fail (record < csv->records->len, "");
  rec = &g_array_index (csv->records, Record, record);
  if (field >= rec->n_fields)
    return "";
  return g_array_index (csv->fields, const char *, rec->first_field + field);
}

guint
relance_csv_get_line (RelanceCsv *csv,
                      guint       record)
{
  g_return_val_if_fail (record < csv->records->len, 0);
  return g_array_index (csv->records, Record, record).line;
}

void
relance_csv_append_field (GString    *out,
                          const char *value,
                          char        separator)
{
  gsize len;
  gboolean quote;

  if (value == NULL || *value == '\0')
    return;
  len = strlen (value);
  quote = is_blank (value[0], separator) || is_blank (value[len - 1], separator)
          || value[0] == '\t' || value[len - 1] == '\t';
  for (const char *p = value; !quote && *p != '\0'; p++)
    quote = *p == separator || *p == '"' || *p == '\n' || *p == '\r';

  if (!quote)
    {
      g_string_append_len (out, value, (gssize) len);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
relance_csv_append_record (GString            *out,
                           const char * const *values,
                           guint               n_values,
                           char                separator)
{
  for (guint i = 0; i < n_values; i++)
    {
      if (i > 0)
        g_string_append_c (out, separator);
      relance_csv_append_field (out, values[i], separator);
    }
  g_string_append_c (out, '\n');
}
