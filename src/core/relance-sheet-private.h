/* relance-sheet-private.h: what the spreadsheet reader's files share: the result built row
 * by row and the cell texts (relance-sheet.c), the zip container and the SAX parsing of its
 * XML parts (relance-sheet-xml.c), and the two formats (relance-sheet-xlsx.c,
 * relance-sheet-ods.c). */
#pragma once

#include <glib/gi18n-lib.h>
#include <gsf/gsf-infile-zip.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-utils.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-sheet.h"

G_BEGIN_DECLS

/* No spreadsheet part worth importing comes near this once decompressed; a part that claims
 * or turns out to be bigger is a decompression bomb or garbage. */
#define PART_MAX_SIZE (200 * 1024 * 1024)
/* Deflate cannot beat about 1030:1, so a bigger part that claims more against the whole
 * archive lies about its size. libgsf does not tell a member's compressed size, so the
 * archive's size stands for it: an upper bound, which keeps the check free of false alarms. */
#define PART_MAX_RATIO       1000
#define PART_RATIO_MIN_SIZE  (10 * 1024 * 1024)
/* Repeated ODS cells are written once and stand for many: cap what they may expand to, so
 * a few bytes cannot ask for billions of cells. 100 000 invoices of 20 columns fit easily. */
#define MAX_CELLS     (8 * 1024 * 1024)
/* Beyond what Excel and LibreOffice allow; cells past it are garbage, not data. */
#define MAX_COLUMNS   (1u << 20)
#define MAX_ROWS      (1u << 30)
#define READ_CHUNK    (64 * 1024)

#define NS_ODF_OFFICE  "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_ODF_TABLE   "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_ODF_TEXT    "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_ODF_CALCEXT "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

/* libgsf has no autoptr cleanups of its own; local names avoid a clash if it gains them. */
typedef GsfInput  SheetInput;
typedef GsfInfile SheetInfile;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SheetInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SheetInfile, g_object_unref)

typedef struct
{
  guint       col;
  const char *text;   /* in @strings */
} Cell;

typedef struct
{
  guint number;
  guint first_cell;
  guint n_cells;      /* cells stored, sorted by column; empty ones are not */
} Row;

struct _RelanceSheet
{
  char         *name;
  GStringChunk *strings;
  GArray       *rows;    /* Row */
  GArray       *cells;   /* Cell */
};

/* The zip container */

typedef struct
{
  GsfInfile *zip;
  gsf_off_t  archive_size;
} Package;

static inline void
package_clear (Package *package)
{
  g_clear_object (&package->zip);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Package, package_clear)

/* XML parts: libxml2's SAX push parser fed by chunks, never a DOM */

typedef struct _XmlParse XmlParse;

struct _XmlParse
{
  void (*start) (XmlParse       *parse,
                 const char     *name,
                 const char     *uri,
                 const xmlChar **attributes,
                 int             n_attributes);
  void (*end)   (XmlParse       *parse,
                 const char     *name,
                 const char     *uri);

  xmlParserCtxtPtr ctxt;
  const char      *part;
  GString         *text;        /* characters, while @collect */
  gboolean         collect;
  gboolean         stopped;     /* the handlers stopped the parser: see the fields below */
  gboolean         doctype;
  gboolean         done;        /* stopped because everything needed was read */
  GError          *error;       /* stopped on an error of the handlers */
  int              xml_error_line;
  gboolean         xml_error;
};

/* relance-sheet.c: the result built row by row, cell texts, messages */
RelanceSheet *relance_sheet_new_empty          (void);
void          relance_sheet_end_row            (RelanceSheet  *sheet,
                                                guint          number,
                                                guint          first_cell);
void          relance_sheet_finish             (RelanceSheet  *sheet);
const char   *relance_sheet_intern             (RelanceSheet  *sheet,
                                                const char    *text);
gboolean      relance_sheet_parse_double       (const char    *text,
                                                double        *out);
void          relance_sheet_append_number_text (GString       *out,
                                                const char    *text);
void          relance_sheet_append_serial_date (GString       *out,
                                                double         serial,
                                                gboolean       date1904);
void          relance_sheet_append_iso_date    (GString       *out,
                                                const char    *text);
void          relance_sheet_append_odf_time    (GString       *out,
                                                const char    *text);
void          relance_sheet_append_ooxml_text  (GString       *out,
                                                const char    *text,
                                                gsize          length);
void          relance_sheet_set_not_found      (GError       **error,
                                                const char    *sheet_name,
                                                GPtrArray     *names);
void          relance_sheet_set_no_sheet       (GError       **error);

/* relance-sheet-xml.c: the zip container and the XML parts */
gboolean    relance_sheet_package_has           (Package        *package,
                                                 const char     *path);
char       *relance_sheet_package_read_small    (Package        *package,
                                                 const char     *path,
                                                 gsize           max);
void        relance_sheet_xml_stop              (XmlParse       *parse);
const char *relance_sheet_xml_attribute         (const xmlChar **attributes,
                                                 int             n_attributes,
                                                 const char     *uri,
                                                 const char     *name,
                                                 gsize          *length);
char       *relance_sheet_xml_attribute_dup     (const xmlChar **attributes,
                                                 int             n_attributes,
                                                 const char     *uri,
                                                 const char     *name);
gint64      relance_sheet_xml_attribute_int     (const xmlChar **attributes,
                                                 int             n_attributes,
                                                 const char     *uri,
                                                 const char     *name,
                                                 gint64          fallback);
gboolean    relance_sheet_xml_attribute_is      (const xmlChar **attributes,
                                                 int             n_attributes,
                                                 const char     *uri,
                                                 const char     *name,
                                                 const char     *expected);
gboolean    relance_sheet_xml_attribute_is_true (const xmlChar **attributes,
                                                 int             n_attributes,
                                                 const char     *name);
gboolean    relance_sheet_xml_parse_part        (Package        *package,
                                                 const char     *path,
                                                 gboolean        required,
                                                 XmlParse       *parse,
                                                 GError        **error);
void        relance_sheet_set_too_many_cells    (XmlParse       *parse);
char       *relance_sheet_resolve_target        (const char     *base_dir,
                                                 const char     *target);
char       *relance_sheet_part_dir              (const char     *path);

/* relance-sheet-xlsx.c: the main part of an Office Open XML package, as its _rels/.rels
 * names it, and the sheet read from it. */
char         *relance_sheet_xlsx_workbook_path (Package     *package,
                                                GError     **error);
RelanceSheet *relance_sheet_read_xlsx          (Package     *package,
                                                const char  *workbook_path,
                                                const char  *sheet_name,
                                                GError     **error);

/* relance-sheet-ods.c */
RelanceSheet *relance_sheet_read_ods (Package     *package,
                                      const char  *sheet_name,
                                      GError     **error);

G_END_DECLS
