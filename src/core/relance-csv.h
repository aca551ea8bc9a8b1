/* relance-csv.h: reading and writing CSV files as spreadsheets and invoicing tools write them.
 *
 * The reader takes the whole file in one buffer, detects its encoding (UTF-8 with or
 * without BOM, UTF-16 with BOM, else Windows-1252) and its separator (';', ',' or tab,
 * chosen on the header line and checked on the following ones), and splits it following
 * RFC 4180 (quoted fields may hold separators, doubled quotes and line breaks; CRLF or
 * LF). Fields are unquoted in place in that one buffer, so reading 100 000 rows costs a
 * handful of allocations. Each record remembers the physical line where it starts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RelanceCsv RelanceCsv;

/* Reads @data (@length bytes, any encoding above). On a quoting error returns NULL,
 * sets @error and, when @out_error_line is not NULL, the line where the bad field starts
 * (0 for errors that have no line, such as a binary file). */
RelanceCsv *relance_csv_parse              (const char  *data,
                                            gsize        length,
                                            guint       *out_error_line,
                                            GError     **error);
RelanceCsv *relance_csv_read_file          (const char  *path,
                                            guint       *out_error_line,
                                            GError     **error);
void        relance_csv_free               (RelanceCsv  *csv);

/* A table read by another reader (a spreadsheet, a folder of e-invoices), for the
 * importer to treat like a CSV file: @origin is what relance_csv_get_encoding() returns
 * ("XLSX", "ODS", "E-INVOICE"), the separator is ',' so that amounts default to decimal
 * points. Records are added in order, each with the line (or row) users know it by. */
RelanceCsv *relance_csv_new_table          (const char  *origin);
void        relance_csv_table_add_record   (RelanceCsv         *csv,
                                            const char * const *values,
                                            guint               n_values,
                                            guint               line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelanceCsv, relance_csv_free)

/* "UTF-8", "UTF-16" or "WINDOWS-1252": what the bytes were before conversion. */
const char *relance_csv_get_encoding       (RelanceCsv  *csv);
gboolean    relance_csv_get_had_bom        (RelanceCsv  *csv);
char        relance_csv_get_separator      (RelanceCsv  *csv);

/* Records include the header line (record 0). Lines with nothing on them are skipped. */
guint       relance_csv_get_n_records      (RelanceCsv  *csv);
guint       relance_csv_get_n_fields       (RelanceCsv  *csv,
                                            guint        record);
/* The field's text, unquoted, with the blanks around an unquoted field removed; "" when
 * the record has fewer fields. Valid as long as @csv. */
const char *relance_csv_get_field          (RelanceCsv  *csv,
                                            guint        record,
                                            guint        field);
/* The physical line (from 1) where the record starts. */
guint       relance_csv_get_line           (RelanceCsv  *csv,
                                            guint        record);

/* Appends @value to @out, quoted when it holds @separator, a quote, a line break or
 * blanks at either end. NULL is written as an empty field. */
void        relance_csv_append_field       (GString     *out,
                                            const char  *value,
                                            char         separator);
/* Appends a whole record followed by LF. */
void        relance_csv_append_record      (GString            *out,
                                            const char * const *values,
                                            guint               n_values,
                                            char                separator);

G_END_DECLS
