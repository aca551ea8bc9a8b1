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

G_END_DECLS
