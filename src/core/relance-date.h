/* relance-date.h: calendar dates (issue, due) as GDate; parsed from what spreadsheets
 * write and kept as YYYY-MM-DD in the store. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RELANCE_DATE_ORDER_DMY, /* 31/12/2026, 31.12.2026 (and always YYYY-MM-DD) */
  RELANCE_DATE_ORDER_MDY, /* 12/31/2026: only when the user says so */
} RelanceDateOrder;

gboolean relance_date_parse        (const char        *text,
                                    RelanceDateOrder   order,
                                    GDate             *out_date,
                                    GError           **error);
/* RELANCE_DATE_ORDER_DMY when @text can only be day first ("31/10/2026"), _MDY when it can
 * only be month first ("10/31/2026"), -1 when it does not tell (or is not such a date). */
int      relance_date_order_hint   (const char        *text);
gboolean relance_date_parse_format (const char        *format,
                                    RelanceDateOrder  *out_order,
                                    GError           **error);
gboolean relance_date_from_iso     (const char        *text,
                                    GDate             *out_date);
char    *relance_date_to_iso       (const GDate       *date);
char    *relance_date_format       (const GDate       *date,
                                    const char        *language);
int      relance_date_days_between (const GDate       *from,
                                    const GDate       *to);
/* The calendar day of @date_time in its own time zone. */
void     relance_date_from_date_time (GDateTime     *date_time,
                                      GDate         *out_date);
/* The same for many rows (imports): YYYY-MM-DD to a Julian day (0 when it is not such a
 * date) and back, with digit arithmetic only. @out holds 11 bytes. */
guint32  relance_date_julian_from_iso (const char     *text);
void     relance_date_julian_to_iso   (guint32         julian,
                                       char            out[11]);

G_END_DECLS
