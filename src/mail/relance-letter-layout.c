/* relance-letter-layout.c: the formal notice laid out once into positioned Pango layouts
 * (so a PDF and a print operation draw the same pages) and drawn with cairo. What it says
 * comes from relance-letter.c. */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-creditor-ref.h"
#include "relance-date.h"
#include "relance-epc-qr.h"
#include "relance-error.h"
#include "relance-letter-private.h"
#include "relance-money.h"
#include "relance-pdf-private.h"

#define PAGE_WIDTH   RELANCE_PDF_PAGE_WIDTH
#define PAGE_HEIGHT  RELANCE_PDF_PAGE_HEIGHT
#define MARGIN       RELANCE_PDF_MARGIN
#define CONTENT      RELANCE_PDF_CONTENT
#define BOTTOM       RELANCE_PDF_BOTTOM
#define RIGHT_COLUMN 311.8110                      /* 110 mm: window envelopes */
#define MM           2.8346457

/* Where the recipient's address goes, for the envelope the sender's country uses (the
 * address must show through its window however the folded sheet slides):
 * - France (NF Z 10-011, La Poste): C5/DL envelopes with a 100-110 × 45 mm window whose
 *   top left corner lies 100-110 mm from the left edge and 45-55 mm from the top, so the
 *   block starts at 110 × 55 mm and keeps within 80 × 35 mm;
 * - United Kingdom: DL envelopes with the window on the left, about 20 mm from the left
 *   edge and 50 mm from the top (90 × 45 mm), so the block starts at 25 × 55 mm. */
#define FR_ADDRESS_X (110 * MM)
#define UK_ADDRESS_X (25 * MM)
#define ADDRESS_Y    (55 * MM)
#define ADDRESS_W    (80 * MM)
#define QR_MODULE    2.0

typedef enum
{
  ITEM_TEXT,
  ITEM_RULE,
  ITEM_BOX,
  ITEM_QR,
} ItemKind;

typedef struct
{
  ItemKind     kind;
  guint        page;
  double       x, y, w, h;
  PangoLayout *layout;   /* ITEM_TEXT */
  double       grey;     /* ITEM_RULE, ITEM_BOX */
} LetterItem;

void
relance_letter_clear_layout (RelanceLetter *letter)
{
  for (guint i = 0; letter->items != NULL && i < letter->items->len; i++)
    g_clear_object (&g_array_index (letter->items, LetterItem, i).layout);
  g_clear_pointer (&letter->items, g_array_unref);
  g_clear_object (&letter->pango);
  letter->n_pages = 0;
}

/* ---- layout ------------------------------------------------------------------------ */

/* @markup in the letter's font, aligned as asked. */
static PangoLayout *
make_layout (RelanceLetter   *letter,
             const char      *markup,
             double           size,
             gboolean         bold,
             double           width,
             PangoAlignment   alignment)
{
  PangoLayout *layout = relance_pdf_layout (letter->pango, RELANCE_PDF_FONT, markup, size,
                                            bold, width);

  pango_layout_set_alignment (layout, alignment);
  return layout;
}

static void
place_layout (RelanceLetter *letter, PangoLayout *layout, double x, double y)
{
  LetterItem item = { ITEM_TEXT, letter->n_pages - 1, x, y, 0,
                      relance_pdf_layout_height (layout), layout, 0 };

  g_array_append_val (letter->items, item);
}

static void
place_shape (RelanceLetter *letter, ItemKind kind, double x, double y, double w, double h,
             double grey)
{
  LetterItem item = { kind, letter->n_pages - 1, x, y, w, h, NULL, grey };

  g_array_append_val (letter->items, item);
}

static void
new_page (RelanceLetter *letter)
{
  letter->n_pages++;
  letter->y = MARGIN;
}

/* Makes room for @height at the cursor, on a new page if this one is full. */
static void
ensure_room (RelanceLetter *letter, double height)
{
  if (letter->y + height > BOTTOM)
    new_page (letter);
}

/* A paragraph across the text column, kept on one page, then @space_after. */
static void
paragraph (RelanceLetter *letter, const char *markup, double size, gboolean bold,
           double space_after)
{
  PangoLayout *layout = make_layout (letter, markup, size, bold, CONTENT, PANGO_ALIGN_LEFT);
  double h = relance_pdf_layout_height (layout);

  ensure_room (letter, h);
  place_layout (letter, layout, MARGIN, letter->y);
  letter->y += h + space_after;
}

static char *
address_markup (const char *bold_first, const char * const *lines)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *first = g_markup_escape_text (bold_first != NULL ? bold_first : "", -1);

  g_string_append_printf (out, "<b>%s</b>", first);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_markup_escape_text (lines[i], -1);

      g_strstrip (line);
      if (*line != '\0')
        g_string_append_printf (out, "\n%s", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
layout_header (RelanceLetter *letter)
{
  RelanceCompany *company = letter->company;
  g_autoptr(GPtrArray) sender = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sender_markup = NULL;
  g_autofree char *recipient_markup = NULL;
  g_autofree char *town = relance_letter_town_of_address (company->address);
  g_autofree char *when = relance_letter_long_date (letter, &letter->date);
  g_autofree char *dateline = NULL;
  g_autoptr(GPtrArray) recipient_text = relance_letter_recipient_lines (letter);
  g_autoptr(GString) recipient_escaped = g_string_new (NULL);
  gboolean uk = relance_letter_is_uk (company->country);
  double sender_x = uk ? RIGHT_COLUMN : MARGIN;
  double sender_width = uk ? PAGE_WIDTH - MARGIN - RIGHT_COLUMN : RIGHT_COLUMN - MARGIN - 18;
  double recipient_x = uk ? UK_ADDRESS_X : FR_ADDRESS_X;
  PangoLayout *layout;
  double sender_bottom, recipient_bottom;

  if (company->address != NULL)
    {
      g_auto(GStrv) lines = g_strsplit_set (company->address,
                                            strchr (company->address, '\n') ? "\n" : ",", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_ptr_array_add (sender, g_strdup (lines[i]));
    }
  if (company->siret != NULL && *company->siret != '\0')
    g_ptr_array_add (sender, g_strdup_printf (TR (letter, "SIRET : %s", "Company no.: %s"),
                                              company->siret));
  if (company->vat != NULL && *company->vat != '\0')
    g_ptr_array_add (sender, g_strdup_printf (TR (letter, "N° TVA : %s", "VAT no.: %s"),
                                              company->vat));
  g_ptr_array_add (sender, NULL);
  sender_markup = address_markup (company->name, (const char * const *) sender->pdata);
  layout = make_layout (letter, sender_markup, 10, FALSE, sender_width, PANGO_ALIGN_LEFT);
  place_layout (letter, layout, sender_x, MARGIN);
  sender_bottom = MARGIN + relance_pdf_layout_height (layout);

  /* At a fixed place, whatever the height of the sender's block (which stays in the other
   * column): the window of the envelope does not move. Plain text, as the post reads it. */
  for (guint i = 0; i < recipient_text->len; i++)
    {
      g_autofree char *line = g_markup_escape_text (g_ptr_array_index (recipient_text, i), -1);

      g_string_append_printf (recipient_escaped, "%s%s", i > 0 ? "\n" : "", line);
    }
  recipient_markup = g_strdup (recipient_escaped->str);
  layout = make_layout (letter, recipient_markup, 10, FALSE, ADDRESS_W, PANGO_ALIGN_LEFT);
  place_layout (letter, layout, recipient_x, ADDRESS_Y);
  recipient_bottom = ADDRESS_Y + relance_pdf_layout_height (layout);

  letter->y = MAX (sender_bottom, recipient_bottom) + 28;
  if (town != NULL)
    dateline = g_markup_printf_escaped (TR (letter, "À %s, le %s", "%s, %s"), town, when);
  else
    dateline = g_markup_printf_escaped (TR (letter, "Le %s", "%s"), when);
  layout = make_layout (letter, dateline, 10, FALSE, PAGE_WIDTH - MARGIN - RIGHT_COLUMN,
                        PANGO_ALIGN_LEFT);
  place_layout (letter, layout, RIGHT_COLUMN, letter->y);
  letter->y += relance_pdf_layout_height (layout) + 22;
}

static void
layout_opening (RelanceLetter *letter)
{
  g_autofree char *registered = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *amount = NULL;
  g_autoptr(GString) amounts = g_string_new (NULL);
  gboolean several = letter->rows->len > 1;

  if (letter->registered_ref != NULL)
    registered = g_markup_printf_escaped (
      TR (letter, "Lettre recommandée avec accusé de réception n° <b>%s</b>",
          "Sent by registered post (signed for), no. <b>%s</b>"),
      letter->registered_ref);
  else
    registered = g_strdup (TR (letter,
                               "Lettre recommandée avec accusé de réception n° "
                               "________________________",
                               "Sent by registered post (signed for), no. "
                               "________________________"));
  paragraph (letter, registered, 10, FALSE, 8);

  subject = g_markup_printf_escaped ("%s", TR (letter, "Objet : Mise en demeure de payer",
                                               "Re: Letter before action"));
  paragraph (letter, subject, 11, TRUE, 16);
  paragraph (letter, TR (letter, "Madame, Monsieur,", "Dear Sir or Madam,"), 10, FALSE, 8);

  for (guint i = 0; i < letter->totals->len; i++)
    {
      const LetterTotal *total = &g_array_index (letter->totals, LetterTotal, i);
      g_autofree char *text = relance_letter_money (letter, relance_letter_total_due (total),
                                                    total->currency);

      if (i > 0)
        g_string_append (amounts, TR (letter, " et ", " and "));
      g_string_append (amounts, text);
    }
  if (several)
    intro = g_markup_printf_escaped (
      TR (letter,
          "Malgré nos précédentes relances, les factures ci-dessous restent impayées à ce jour. "
          "Par la présente, nous vous mettons en demeure de nous régler la somme de <b>%s</b>, "
          "détaillée ci-dessous.",
          "Despite our previous reminders, the invoices listed below remain unpaid. We hereby "
          "formally demand payment of <b>%s</b>, as detailed below."),
      amounts->str);
  else
    intro = g_markup_printf_escaped (
      TR (letter,
          "Malgré nos précédentes relances, la facture ci-dessous reste impayée à ce jour. "
          "Par la présente, nous vous mettons en demeure de nous régler la somme de <b>%s</b>, "
          "détaillée ci-dessous.",
          "Despite our previous reminders, the invoice below remains unpaid. We hereby "
          "formally demand payment of <b>%s</b>, as detailed below."),
      amounts->str);
  paragraph (letter, intro, 10, FALSE, 12);
}

typedef struct
{
  const char *fr;
  const char *en;
  double      width;
  gboolean    numeric;
} Column;

enum { COL_NUMBER, COL_DATE, COL_DUE, COL_PRINCIPAL, COL_PENALTIES, COL_RATE, COL_INDEMNITY,
       N_COLUMNS };

static const Column columns[N_COLUMNS] = {
  { "Facture", "Invoice", 62, FALSE },
  { "Date", "Date", 66, FALSE },
  { "Échéance", "Due date", 66, FALSE },
  { "Principal restant dû", "Outstanding principal", 66, TRUE },
  { "Pénalités de retard", "Late-payment interest", 60, TRUE },
  { "Taux annuel", "Annual rate", 46, TRUE },
  { "Indemnité forfaitaire", "Fixed compensation", 76, TRUE },
};

/* One table row: a layout per shown column, kept together on a page. */
static double
table_row (RelanceLetter *letter, char **cells, const gboolean *shown, gboolean header,
           gboolean shade)
{
  PangoLayout *layouts[N_COLUMNS] = { NULL };
  double height = 0, x = MARGIN, scale = 0, used = 0;

  for (int c = 0; c < N_COLUMNS; c++)
    if (shown[c])
      used += columns[c].width;
  scale = CONTENT / used;   /* hidden columns give their room to the others */

  for (int c = 0; c < N_COLUMNS; c++)
    {
      if (!shown[c])
        continue;
      layouts[c] = make_layout (letter, cells[c], header ? 7.5 : 8.5, header,
                                columns[c].width * scale - 6,
                                columns[c].numeric ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      /* Whole words in cells: a date or an amount is never cut in two. */
      pango_layout_set_wrap (layouts[c], PANGO_WRAP_WORD);
      height = MAX (height, relance_pdf_layout_height (layouts[c]));
    }
  height += 8;
  ensure_room (letter, height);
  if (header)
    place_shape (letter, ITEM_BOX, MARGIN, letter->y, CONTENT, height, 0.90);
  else if (shade)
    place_shape (letter, ITEM_BOX, MARGIN, letter->y, CONTENT, height, 0.97);
  for (int c = 0; c < N_COLUMNS; c++)
    {
      if (!shown[c])
        continue;
      place_layout (letter, layouts[c], x + 3, letter->y + 4);
      x += columns[c].width * scale;
    }
  place_shape (letter, ITEM_RULE, MARGIN, letter->y + height, CONTENT, 0.5, 0.6);
  letter->y += height;
  return height;
}

static void
table_header (RelanceLetter *letter, const gboolean *shown)
{
  char *cells[N_COLUMNS];

  for (int c = 0; c < N_COLUMNS; c++)
    cells[c] = g_markup_escape_text (TR (letter, columns[c].fr, columns[c].en), -1);
  table_row (letter, cells, shown, TRUE, FALSE);
  for (int c = 0; c < N_COLUMNS; c++)
    g_free (cells[c]);
}

static void
layout_table (RelanceLetter *letter)
{
  gboolean shown[N_COLUMNS] = { TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE };

  for (guint i = 0; i < letter->rows->len; i++)
    {
      LetterRow *row = g_ptr_array_index (letter->rows, i);

      if (row->applies)
        shown[COL_PENALTIES] = shown[COL_RATE] = TRUE;
      if (row->applies && row->penalty.indemnity_minor > 0)
        shown[COL_INDEMNITY] = TRUE;
    }

  /* The header and at least one row together. */
  ensure_room (letter, 60);
  table_header (letter, shown);
  for (guint i = 0; i < letter->rows->len; i++)
    {
      LetterRow *row = g_ptr_array_index (letter->rows, i);
      RelanceInvoice *inv = row->invoice;
      g_autofree char *issued = relance_date_format (&inv->issue_date, letter->language);
      g_autofree char *due = relance_date_format (&inv->due_date, letter->language);
      char *cells[N_COLUMNS] = { NULL };

      cells[COL_NUMBER] = g_markup_escape_text (inv->number, -1);
      cells[COL_DATE] = g_markup_escape_text (issued, -1);
      cells[COL_DUE] = g_markup_escape_text (due, -1);
      cells[COL_PRINCIPAL] = relance_letter_money (letter, row->outstanding, inv->currency);
      cells[COL_PENALTIES] = row->applies
                               ? relance_letter_money (letter, row->penalty.interest_minor,
                                                       inv->currency)
                               : g_strdup ("—");
      cells[COL_RATE] = row->applies ? relance_rate_format (row->penalty.rate_bp,
                                                            letter->language)
                                     : g_strdup ("—");
      cells[COL_INDEMNITY] = row->applies && row->penalty.indemnity_minor > 0
                               ? relance_letter_money (letter, row->penalty.indemnity_minor,
                                                       row->penalty.indemnity_currency)
                               : g_strdup ("—");

      /* A row that would start a new page repeats the header there first. */
      if (letter->y + 24 > BOTTOM)
        {
          new_page (letter);
          table_header (letter, shown);
        }
      table_row (letter, cells, shown, FALSE, i % 2 == 1);
      for (int c = 0; c < N_COLUMNS; c++)
        g_free (cells[c]);
    }
  letter->y += 10;
}

/* Label and amount lines under the table, right-aligned. */
static void
total_line (RelanceLetter *letter, const char *label, const char *amount, gboolean bold)
{
  g_autofree char *label_markup = g_markup_escape_text (label, -1);
  g_autofree char *amount_markup = g_markup_escape_text (amount, -1);
  PangoLayout *l1 = make_layout (letter, label_markup, 10, bold, CONTENT - 110,
                                 PANGO_ALIGN_RIGHT);
  PangoLayout *l2 = make_layout (letter, amount_markup, 10, bold, 106, PANGO_ALIGN_RIGHT);
  double h = MAX (relance_pdf_layout_height (l1), relance_pdf_layout_height (l2)) + 3;

  ensure_room (letter, h);
  if (bold)
    place_shape (letter, ITEM_RULE, MARGIN + CONTENT - 230, letter->y - 1, 230, 0.8, 0.2);
  place_layout (letter, l1, MARGIN, letter->y + (bold ? 2 : 0));
  place_layout (letter, l2, MARGIN + CONTENT - 106, letter->y + (bold ? 2 : 0));
  letter->y += h + (bold ? 4 : 0);
}

static void
layout_totals (RelanceLetter *letter)
{
  for (guint i = 0; i < letter->totals->len; i++)
    {
      const LetterTotal *total = &g_array_index (letter->totals, LetterTotal, i);
      const char *currency = total->currency;
      g_autofree char *principal = relance_letter_money (letter, total->principal, currency);
      g_autofree char *interest = relance_letter_money (letter, total->interest, currency);
      g_autofree char *indemnity = relance_letter_money (letter, total->indemnity, currency);
      g_autofree char *sum = relance_letter_money (letter, relance_letter_total_due (total),
                                                   currency);

      ensure_room (letter, 70);
      total_line (letter, TR (letter, "Principal restant dû", "Outstanding principal"),
                  principal, FALSE);
      if (total->interest > 0)
        total_line (letter, TR (letter, "Pénalités de retard", "Late-payment interest"),
                    interest, FALSE);
      if (total->indemnity > 0)
        total_line (letter, TR (letter, "Indemnités forfaitaires de recouvrement",
                                "Fixed compensation for recovery costs"), indemnity, FALSE);
      total_line (letter, TR (letter, "Total dû", "Total due"), sum, TRUE);
    }
  letter->y += 10;
}

static void
layout_legal_basis (RelanceLetter *letter)
{
  const LetterRow *first = NULL;
  gboolean same_rate = TRUE;
  gboolean indemnity = FALSE;
  g_autofree char *rate = NULL;
  g_autofree char *when = relance_letter_long_date (letter, &letter->date);
  g_autofree char *fixed = NULL;
  g_autofree char *text = NULL;
  const char *basis;

  for (guint i = 0; i < letter->rows->len; i++)
    {
      const LetterRow *row = g_ptr_array_index (letter->rows, i);

      if (!row->applies)
        continue;
      if (first == NULL)
        first = row;
      else if (row->penalty.rate_bp != first->penalty.rate_bp)
        same_rate = FALSE;
      if (row->penalty.indemnity_minor > 0)
        {
          indemnity = TRUE;
          if (fixed == NULL)
            fixed = relance_letter_money (letter, row->penalty.indemnity_minor,
                                          row->penalty.indemnity_currency);
        }
    }
  if (first == NULL)
    return;

  rate = same_rate ? relance_rate_format (first->penalty.rate_bp, letter->language)
                   : g_strdup (TR (letter, "indiqué dans le tableau", "shown in the table"));
  switch (letter->regime)
    {
    case RELANCE_PENALTY_REGIME_FRANCE:
      basis = TR (letter, "Conformément aux articles L441-10 et D441-5 du Code de commerce",
                  "Under articles L441-10 and D441-5 of the French Commercial Code");
      break;
    case RELANCE_PENALTY_REGIME_UK:
      basis = TR (letter, "Conformément au Late Payment of Commercial Debts (Interest) Act 1998",
                  "Under the Late Payment of Commercial Debts (Interest) Act 1998");
      break;
    case RELANCE_PENALTY_REGIME_EU:
      basis = TR (letter, "Conformément à la directive 2011/7/UE",
                  "Under Directive 2011/7/EU on combating late payment");
      break;
    case RELANCE_PENALTY_REGIME_NONE:
    default:
      basis = TR (letter, "Conformément à nos conditions générales de vente",
                  "Under our terms and conditions");
      break;
    }

  if (indemnity)
    text = g_markup_printf_escaped (
      TR (letter,
          "%s, ces sommes sont majorées de pénalités de retard au taux annuel de %s, calculées "
          "jusqu’au %s, ainsi que d’une indemnité forfaitaire pour frais de recouvrement de %s "
          "par facture, indiquée séparément ci-dessus.",
          "%s, these sums carry late-payment interest at the annual rate of %s, calculated up "
          "to %s, and fixed compensation for recovery costs of %s per invoice, stated "
          "separately above."),
      basis, rate, when, fixed);
  else
    text = g_markup_printf_escaped (
      TR (letter,
          "%s, ces sommes sont majorées de pénalités de retard au taux annuel de %s, calculées "
          "jusqu’au %s.",
          "%s, these sums carry late-payment interest at the annual rate of %s, calculated up "
          "to %s."),
      basis, rate, when);
  paragraph (letter, text, 10, FALSE, 10);
}

static void
layout_deadline (RelanceLetter *letter)
{
  g_autofree char *deadline = relance_letter_long_date (letter, &letter->deadline);
  g_autofree char *text = NULL;

  text = g_markup_printf_escaped (
    TR (letter,
        "Nous vous demandons de régler l’intégralité de cette somme <b>au plus tard le %s</b>, "
        "soit dans un délai de %d jours à compter de la date de la présente lettre.",
        "Please pay the full amount <b>by %s at the latest</b>, that is within %d days of the "
        "date of this letter."),
    deadline, letter->deadline_days);
  paragraph (letter, text, 10, FALSE, 12);
}

static void
layout_payment (RelanceLetter *letter)
{
  RelanceCompany *company = letter->company;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *reference = relance_letter_payment_reference (letter);
  g_autofree char *link = relance_letter_payment_link (letter);
  g_autofree char *heading = g_markup_printf_escaped (
    "%s", TR (letter, "Modalités de règlement", "How to pay"));
  double qr_side = 0, text_width = CONTENT, h;
  PangoLayout *layout;
  int width = 0;

  if (company->iban != NULL && *company->iban != '\0')
    {
      g_autofree char *iban = relance_iban_format (company->iban);
      g_autofree char *part = g_markup_printf_escaped (
        TR (letter, "Par virement bancaire\nTitulaire : %s\nIBAN : <b>%s</b>\n",
            "By bank transfer\nAccount holder: %s\nIBAN: <b>%s</b>\n"),
        company->name != NULL ? company->name : "", iban);

      g_string_append (text, part);
      if (company->bic != NULL && *company->bic != '\0')
        {
          g_autofree char *bic = g_markup_printf_escaped (TR (letter, "BIC : %s\n", "BIC: %s\n"),
                                                          company->bic);
          g_string_append (text, bic);
        }
    }
  {
    g_autofree char *shown = relance_creditor_ref_format (reference);
    g_autofree char *ref = g_markup_printf_escaped (
      TR (letter, "Référence de virement : <b>%s</b>", "Payment reference: <b>%s</b>"),
      shown);
    g_string_append (text, ref);
  }
  if (link != NULL)
    {
      g_autofree char *part = g_markup_printf_escaped (
        TR (letter, "\n\nPaiement en ligne : %s", "\n\nPay online: %s"), link);
      g_string_append (text, part);
    }
  if (letter->qr_payload != NULL)
    {
      g_autofree guint8 *modules = relance_epc_qr_encode (letter->qr_payload, &width, NULL);

      if (modules != NULL)
        {
          g_autofree char *caption = g_markup_printf_escaped (
            "\n\n<small>%s</small>",
            TR (letter, "Scannez le code ci-contre avec l’application de votre banque pour "
                        "payer par virement SEPA.",
                "Scan the code opposite with your banking app to pay by SEPA transfer."));

          qr_side = (width + 8) * QR_MODULE;
          text_width = CONTENT - qr_side - 16;
          g_string_append (text, caption);
        }
    }

  layout = make_layout (letter, heading, 10.5, TRUE, CONTENT, PANGO_ALIGN_LEFT);
  h = relance_pdf_layout_height (layout) + 6;
  {
    PangoLayout *body = make_layout (letter, text->str, 10, FALSE, text_width, PANGO_ALIGN_LEFT);
    double body_h = relance_pdf_layout_height (body);

    ensure_room (letter, h + MAX (body_h, qr_side));
    place_layout (letter, layout, MARGIN, letter->y);
    letter->y += h;
    place_layout (letter, body, MARGIN, letter->y);
    if (qr_side > 0)
      place_shape (letter, ITEM_QR, MARGIN + CONTENT - qr_side, letter->y - 4 * QR_MODULE,
                   qr_side, qr_side, 0);
    letter->y += MAX (body_h, qr_side - 4 * QR_MODULE) + 14;
  }
}

static void
layout_closing (RelanceLetter *letter)
{
  g_autofree char *consequence = NULL;
  g_autofree char *name = g_markup_escape_text (letter->company->name != NULL
                                                  ? letter->company->name : "", -1);
  g_autofree char *signature = NULL;
  PangoLayout *layout;
  double h;

  consequence = g_strdup (TR (letter,
    "À défaut de règlement dans ce délai, nous saisirons la juridiction compétente "
    "(procédure d’injonction de payer) afin d’obtenir le paiement de ces sommes, sans autre "
    "avis de notre part, les frais de procédure restant à votre charge.",
    "If we do not receive payment by that date, we will issue court proceedings against you "
    "without further notice to recover these sums, together with further interest and "
    "costs."));
  paragraph (letter, consequence, 10, FALSE, 10);
  if (letter->french && g_strcmp0 (letter->company->country, "FR") == 0)
    paragraph (letter, "La présente lettre vaut mise en demeure au sens de l’article 1344 du "
                       "Code civil.", 10, FALSE, 10);
  paragraph (letter, TR (letter,
                         "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos "
                         "salutations distinguées.",
                         "Yours faithfully,"), 10, FALSE, 18);

  signature = g_strdup_printf ("<span foreground=\"#555555\">%s</span>\n\n\n\n<b>%s</b>",
                               "Signature", name);
  layout = make_layout (letter, signature, 10, FALSE, PAGE_WIDTH - MARGIN - RIGHT_COLUMN,
                        PANGO_ALIGN_LEFT);
  h = relance_pdf_layout_height (layout);
  ensure_room (letter, h);
  place_layout (letter, layout, RIGHT_COLUMN, letter->y);
  place_shape (letter, ITEM_RULE, RIGHT_COLUMN, letter->y + h * 0.62,
               PAGE_WIDTH - MARGIN - RIGHT_COLUMN, 0.6, 0.4);
  letter->y += h;
}

static void
layout_footers (RelanceLetter *letter)
{
  /* The client rather than the invoices: forty numbers do not fit in a footer. */
  for (guint page = 0; page < letter->n_pages; page++)
    {
      g_autofree char *text = g_markup_printf_escaped (
        "%s — %s — page %u/%u", TR (letter, "Mise en demeure", "Letter before action"),
        letter->client->name, page + 1, letter->n_pages);
      PangoLayout *layout = make_layout (letter, text, 8, FALSE, CONTENT, PANGO_ALIGN_CENTER);
      LetterItem item = { ITEM_TEXT, page, MARGIN, PAGE_HEIGHT - MARGIN + 4, 0,
                          relance_pdf_layout_height (layout), layout, 0 };

      g_array_append_val (letter->items, item);
    }
}

guint
relance_letter_paginate (RelanceLetter *letter,
                         cairo_t       *cr)
{
  relance_letter_clear_layout (letter);
  letter->items = g_array_new (FALSE, TRUE, sizeof (LetterItem));
  letter->pango = relance_pdf_pango_context (cr, letter->french ? "fr-FR" : "en-GB");

  new_page (letter);
  layout_header (letter);
  layout_opening (letter);
  layout_table (letter);
  layout_totals (letter);
  layout_legal_basis (letter);
  layout_deadline (letter);
  layout_payment (letter);
  layout_closing (letter);
  layout_footers (letter);
  return letter->n_pages;
}

/* ---- drawing ----------------------------------------------------------------------- */

void
relance_letter_draw_page (RelanceLetter *letter,
                          cairo_t       *cr,
                          guint          page)
{
  g_return_if_fail (letter->items != NULL);

  for (guint i = 0; i < letter->items->len; i++)
    {
      LetterItem *item = &g_array_index (letter->items, LetterItem, i);

      if (item->page != page)
        continue;
      cairo_save (cr);
      switch (item->kind)
        {
        case ITEM_TEXT:
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          cairo_move_to (cr, item->x, item->y);
          pango_cairo_show_layout (cr, item->layout);
          break;
        case ITEM_RULE:
        case ITEM_BOX:
          cairo_set_source_rgb (cr, item->grey, item->grey, item->grey);
          cairo_rectangle (cr, item->x, item->y, item->w, item->h);
          cairo_fill (cr);
          break;
        case ITEM_QR:
          relance_epc_qr_draw (cr, letter->qr_payload, item->x, item->y, QR_MODULE, NULL);
          break;
        default:
          g_assert_not_reached ();
        }
      cairo_restore (cr);
    }
}

GBytes *
relance_letter_to_pdf (RelanceLetter  *letter,
                       GError        **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autofree char *title = relance_letter_payment_reference (letter);
  g_autofree char *full_title = g_strdup_printf ("%s — %s",
                                                 TR (letter, "Mise en demeure de payer",
                                                     "Letter before action"), title);
  g_autofree char *created = g_strdup_printf ("%04u-%02u-%02uT12:00:00Z",
                                              g_date_get_year (&letter->date),
                                              g_date_get_month (&letter->date),
                                              g_date_get_day (&letter->date));
  cairo_surface_t *surface = relance_pdf_surface_new (pdf, full_title);
  cairo_status_t status;
  cairo_t *cr;
  guint n_pages;

  if (letter->company->name != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, letter->company->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
  cr = cairo_create (surface);
  n_pages = relance_letter_paginate (letter, cr);
  for (guint page = 0; page < n_pages; page++)
    {
      relance_letter_draw_page (letter, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  if ((status = relance_pdf_surface_finish (surface)) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("The letter could not be made into a PDF: %s."),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
