/* relance-import-private.h: what the files of the import share: relance-import.c runs it
 * and applies the rows, relance-import-map.c finds the header and the columns,
 * relance-import-validate.c reads every row into a checked record. */
#pragma once

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-csv.h"
#include "relance-import.h"
#include "relance-import-profiles.h"
#include "relance-import-read.h"
#include "relance-money.h"
#include "relance-store-import.h"

G_BEGIN_DECLS

/* Fields and their header synonyms */

typedef enum
{
  FIELD_NUMBER,
  FIELD_CLIENT,
  FIELD_NAME,
  FIELD_REFERENCE,
  FIELD_EMAIL,
  FIELD_CC,
  FIELD_PHONE,
  FIELD_ISSUE_DATE,
  FIELD_DUE_DATE,
  FIELD_TOTAL,
  FIELD_CURRENCY,
  FIELD_STATUS,
  FIELD_KIND,
  FIELD_LANGUAGE,
  FIELD_COUNTRY,
  FIELD_TIMEZONE,
  FIELD_SEGMENT,
  FIELD_NOTES,
  FIELD_PAID,
  FIELD_BALANCE,
  FIELD_STREET,
  FIELD_STREET2,
  FIELD_POSTCODE,
  FIELD_CITY,
  N_FIELDS
} Field;

#define FOR_INVOICES (1 << RELANCE_IMPORT_INVOICES)
#define FOR_CLIENTS  (1 << RELANCE_IMPORT_CLIENTS)

typedef struct
{
  const char *key;        /* the name --map uses */
  guint       kinds;
  /* Headers as normalise() leaves them (ASCII, lower case, single spaces), '|'-separated. */
  const char *synonyms;
  const char *example;    /* for the "missing column" message */
} FieldInfo;

extern const FieldInfo relance_import_field_info[N_FIELDS];

/* Values */

typedef enum
{
  STATUS_NONE,      /* column absent or cell empty */
  STATUS_OPEN,
  STATUS_PAID,
  STATUS_CANCELLED,
  STATUS_DISPUTED,
  STATUS_DRAFT,     /* not an invoice yet: not imported, counted */
} Status;

typedef struct
{
  const char *word;   /* normalised */
  int         value;
} Word;

/* Rows */

typedef struct
{
  guint        line;
  const char  *number;
  const char  *client;
  const char  *reference;   /* NULL when absent or empty */
  const char  *email;       /* NULL when absent or empty */
  const char  *country;     /* interned code or NULL */
  const char  *notes;       /* NULL when the column is absent */
  const char  *street;      /* NULL when absent or empty; lines joined with "\n" */
  const char  *postcode;
  const char  *city;
  const char  *language;    /* "fr", "en" or NULL */
  const char  *kind;        /* "business", "consumer" or NULL */
  const char  *currency;    /* interned */
  gboolean     currency_given;
  guint32      issue;
  guint32      due;
  gint64       total;
  gint64       paid;        /* -1 when absent */
  Status       status;
} InvoiceRow;

/* Column values: NULL when the column is absent, "" when the cell is empty. */
typedef struct
{
  guint        line;
  const char  *name;
  const char  *reference;
  const char  *email;
  const char  *cc;
  const char  *phone;
  const char  *language;    /* "fr", "en", NULL */
  const char  *country;     /* code, "" or NULL */
  const char  *timezone;
  const char  *kind;
  const char  *segment;
  const char  *notes;
  const char  *street;      /* lines joined with "\n"; NULL absent, "" empty */
  const char  *postcode;
  const char  *city;
} ClientRow;

typedef struct
{
  RelanceStore               *store;
  const char                 *path;
  const RelanceImportOptions *options;
  RelanceImportReport        *report;
  RelanceCsv                 *csv;
  RelanceImportSource         source;         /* what the table was read from */
  int                         columns[N_FIELDS];   /* -1 when absent */
  guint                       n_columns;
  guint                       header;         /* the header's record: titles above it */
  const RelanceImportProfile *profile;        /* the tool that wrote the file, if known */
  guint                       header_line;
  RelanceDateOrder            date_order;     /* given, or decided from the whole file */
  gboolean                    paid_is_flag;   /* the paid column says yes/no */
  char                       *default_currency;
  char                       *default_language;

  /* Existing data, loaded once. */
  RelanceStoreImport         *writer;         /* the store's side: reads, then writes */
  GStringChunk               *strings;
  GPtrArray                  *clients;        /* RelanceClient*, existing then created */
  GHashTable                 *by_reference;   /* reference → RelanceClient* */
  GHashTable                 *by_email;       /* folded email → RelanceClient* */
  GHashTable                 *by_name;        /* folded name → RelanceClient* */
  GArray                     *existing;       /* RelanceStoreImportInvoice */
  GHashTable                 *invoices;       /* number → RelanceStoreImportInvoice* */

  GString                    *key;
  GArray                     *rows;           /* InvoiceRow or ClientRow */
} Import;

G_GNUC_PRINTF (4, 0)
static inline void
add_error_at (Import     *self,
              guint       line,
              int         column,
              const char *format,
              va_list     args)
{
  g_autofree char *reason = g_strdup_vprintf (format, args);
  g_autofree char *place = relance_import_source_place (&self->source, self->path, line,
                                                        column);

  g_ptr_array_add (self->report->errors, g_strdup_printf ("%s: %s", place, reason));
}

G_GNUC_PRINTF (3, 4)
static inline void
add_error (Import     *self,
           guint       line,
           const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  add_error_at (self, line, -1, format, args);
  va_end (args);
}

/* An error about one field of a row: a spreadsheet's message names the cell. */
G_GNUC_PRINTF (4, 5)
static inline void
add_cell_error (Import     *self,
                guint       line,
                int         field,
                const char *format,
                ...)
{
  va_list args;

  va_start (args, format);
  add_error_at (self, line, self->source.kind == RELANCE_IMPORT_SOURCE_SHEET
                            ? self->columns[field] : -1, format, args);
  va_end (args);
}

static inline const char *
cell (Import  *self,
      guint    record,
      Field    field)
{
  if (self->columns[field] < 0)
    return NULL;
  return relance_csv_get_field (self->csv, record, (guint) self->columns[field]);
}

/* NULL for an absent column or an empty cell. */
static inline const char *
cell_or_null (Import *self,
              guint   record,
              Field   field)
{
  const char *value = cell (self, record, field);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* The key clients are matched on: case-insensitive, without allocating for ASCII. */
static inline const char *
fold_key (GString    *buffer,
          const char *text)
{
  gboolean ascii = TRUE;

  g_string_truncate (buffer, 0);
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        {
          ascii = FALSE;
          break;
        }
      g_string_append_c (buffer, g_ascii_tolower (*p));
    }
  if (!ascii)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);
      g_string_assign (buffer, folded);
    }
  return buffer->str;
}

/* relance-import-map.c: the header row (titles above it skipped), the tool that wrote the
 * file, which column holds which field, and the order of day and month. */
guint                       relance_import_find_header       (Import     *self);
const RelanceImportProfile *relance_import_detect_profile    (Import     *self);
gboolean                    relance_import_map_columns       (Import     *self);
void                        relance_import_decide_date_order (Import     *self,
                                                              const char *country);
/* A yes/no value ("Oui", "x", "0"…): 1 yes, 2 no, 0 when it is not one. */
int                         relance_import_flag              (const char *value);
/* Whether every value of @field's column is such a flag. */
gboolean                    relance_import_column_is_flag    (Import     *self,
                                                              Field       field);
/* The decimal separator of @field's column, from the values that tell. */
RelanceDecimalHint          relance_import_column_hint       (Import     *self,
                                                              Field       field);

/* relance-import-validate.c: self->rows from every data row, every problem in the report. */
void                        relance_import_validate_invoices (Import       *self,
                                                              GCancellable *cancellable);
void                        relance_import_validate_clients  (Import       *self,
                                                              GCancellable *cancellable);

G_END_DECLS
