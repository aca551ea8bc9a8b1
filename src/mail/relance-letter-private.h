/* relance-letter-private.h: what the two files of the formal notice share:
 * relance-letter.c gathers what the letter says (invoices, amounts, dates and addresses in
 * the client's language), relance-letter-layout.c lays it out with Pango and draws it with
 * cairo. */
#pragma once

#include <pango/pango.h>

#include "relance-letter.h"
#include "relance-penalty.h"

G_BEGIN_DECLS

/* Both languages, in the same order as the arguments: French first. */
#define TR(letter, fr, en) ((letter)->french ? (fr) : (en))

typedef struct
{
  RelanceInvoice *invoice;
  gint64          outstanding;
  RelancePenalty  penalty;
  gboolean        applies;
} LetterRow;

typedef struct
{
  char   currency[4];
  gint64 principal;
  gint64 interest;
  gint64 indemnity;
} LetterTotal;

struct _RelanceLetter
{
  RelanceCompany *company;
  RelanceClient  *client;
  GPtrArray      *rows;      /* LetterRow* */
  GArray         *totals;    /* LetterTotal */
  GDate           date;
  GDate           deadline;
  int             deadline_days;
  char           *registered_ref;
  char           *language;
  gboolean        french;
  gboolean        consumer;
  RelancePenaltyRegime regime;
  char           *qr_payload; /* NULL: no QR code */

  /* The last pagination */
  GArray         *items;     /* LetterItem */
  guint           n_pages;
  PangoContext   *pango;
  double          y;
};

/* relance-letter.c: the words. */
char      *relance_letter_long_date         (RelanceLetter      *letter,
                                             const GDate        *date);
char      *relance_letter_money             (RelanceLetter      *letter,
                                             gint64              minor,
                                             const char         *currency);
gint64     relance_letter_total_due         (const LetterTotal  *total);
/* The ISO 11649 reference the reminders give for the same invoices. */
char      *relance_letter_payment_reference (RelanceLetter      *letter);
/* The company's payment link for these invoices, NULL when it has none. */
char      *relance_letter_payment_link      (RelanceLetter      *letter);
gboolean   relance_letter_is_uk             (const char         *country);
/* The recipient block, one line each (char*), as the post reads it. */
GPtrArray *relance_letter_recipient_lines   (RelanceLetter      *letter);

/* relance-letter-layout.c: forgets the last pagination. */
void       relance_letter_clear_layout      (RelanceLetter      *letter);

G_END_DECLS
