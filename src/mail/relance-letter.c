/* relance-letter.c: the formal notice to pay, what it says: the invoices it claims and
 * their amounts as of the letter's date, and the words, dates and addresses in the client's
 * language. relance-letter-layout.c lays it out and draws it.
 *
 * The wording is bilingual text kept here rather than gettext strings: the letter speaks
 * the client's language while the interface may speak another, and gettext serves one
 * language per process. The error messages, which the owner reads, are translated. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-date.h"
#include "relance-creditor-ref.h"
#include "relance-epc-qr.h"
#include "relance-error.h"
#include "relance-letter-private.h"
#include "relance-money.h"
#include "relance-planner.h"


static void
letter_row_free (LetterRow *row)
{
  g_clear_pointer (&row->invoice, relance_invoice_free);
  g_free (row);
}

void
relance_letter_free (RelanceLetter *letter)
{
  if (letter == NULL)
    return;
  relance_letter_clear_layout (letter);
  g_clear_pointer (&letter->company, relance_company_free);
  g_clear_pointer (&letter->client, relance_client_free);
  g_clear_pointer (&letter->rows, g_ptr_array_unref);
  g_clear_pointer (&letter->totals, g_array_unref);
  g_free (letter->registered_ref);
  g_free (letter->language);
  g_free (letter->qr_payload);
  g_free (letter);
}

const char *
relance_letter_get_language (RelanceLetter *letter)
{
  return letter->language;
}

char *
relance_letter_get_filename (RelanceLetter *letter)
{
  g_autoptr(GString) numbers = g_string_new (NULL);

  for (guint i = 0; i < letter->rows->len; i++)
    {
      LetterRow *row = g_ptr_array_index (letter->rows, i);

      g_string_append_c (numbers, '-');
      for (const char *p = row->invoice->number; *p != '\0'; p++)
        g_string_append_c (numbers, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '_');
    }
  return g_strdup_printf ("%s%s.pdf", TR (letter, "mise-en-demeure", "letter-before-action"),
                          numbers->str);
}

/* ---- what the letter says ---------------------------------------------------------- */

static LetterTotal *
total_for (RelanceLetter *letter, const char *currency)
{
  LetterTotal fresh = { { 0 }, 0, 0, 0 };

  for (guint i = 0; i < letter->totals->len; i++)
    if (g_strcmp0 (g_array_index (letter->totals, LetterTotal, i).currency, currency) == 0)
      return &g_array_index (letter->totals, LetterTotal, i);
  g_strlcpy (fresh.currency, currency, sizeof fresh.currency);
  g_array_append_val (letter->totals, fresh);
  return &g_array_index (letter->totals, LetterTotal, letter->totals->len - 1);
}

static gboolean
add_invoice (RelanceLetter               *letter,
             RelanceStore                *store,
             const char                  *number,
             const RelancePenaltyPolicy  *policy,
             const RelanceRateTable      *rates,
             const RelanceRateTable      *legal_rates,
             GError                     **error)
{
  g_autoptr(RelanceInvoice) invoice = relance_store_get_invoice (store, number, error);
  LetterRow *row;
  const char *state;

  if (invoice == NULL)
    return FALSE;

  state = relance_invoice_get_state (invoice);
  if (g_str_equal (state, "paid"))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   _("Invoice %s is paid: there is nothing left to claim."), number);
      return FALSE;
    }
  if (g_str_equal (state, "cancelled"))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   _("Invoice %s is cancelled: there is nothing to claim."), number);
      return FALSE;
    }
  if (g_date_compare (&invoice->due_date, &letter->date) >= 0)
    {
      g_autofree char *due = relance_date_to_iso (&invoice->due_date);

      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: %1$s is an invoice number, %2$s a date */
                   _("Invoice %1$s is not overdue yet (due on %2$s): a formal notice can only "
                     "claim an overdue invoice."), number, due);
      return FALSE;
    }
  if (letter->client == NULL
      && (letter->client = relance_store_get_client (store, invoice->client_id, error)) == NULL)
    return FALSE;
  if (invoice->client_id != letter->client->id)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("One formal notice can only claim invoices of one client."));
      return FALSE;
    }

  row = g_new0 (LetterRow, 1);
  row->outstanding = relance_invoice_get_outstanding (invoice);
  if (!relance_penalty_compute (policy, rates, legal_rates, row->outstanding, invoice->currency,
                                &invoice->due_date, &letter->date,
                                g_strcmp0 (letter->client->kind, "consumer") == 0,
                                &row->penalty, error))
    {
      g_free (row);
      return FALSE;
    }
  row->applies = row->penalty.status == RELANCE_PENALTY_APPLIES;
  row->invoice = g_steal_pointer (&invoice);
  g_ptr_array_add (letter->rows, row);

  total_for (letter, row->invoice->currency)->principal += row->outstanding;
  if (row->applies)
    {
      total_for (letter, row->invoice->currency)->interest += row->penalty.interest_minor;
      if (row->penalty.indemnity_minor > 0)
        total_for (letter, row->penalty.indemnity_currency)->indemnity
          += row->penalty.indemnity_minor;
    }
  return TRUE;
}

gint64
relance_letter_total_due (const LetterTotal *total)
{
  return total->principal + total->interest + total->indemnity;
}

/* "Facture F1" or "Factures F1, F2": the transfer's reference. */
char *
relance_letter_payment_reference (RelanceLetter *letter)
{
  /* The ISO 11649 reference the reminders give for the same invoices, so a transfer made
   * from the letter (or its QR code) is recognised on the statement. */
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (letter->rows->len == 1)
    {
      LetterRow *row = g_ptr_array_index (letter->rows, 0);

      return relance_creditor_ref_for_invoice (row->invoice->number, row->invoice->id);
    }
  for (guint i = 0; i < letter->rows->len; i++)
    g_array_append_val (ids, ((LetterRow *) g_ptr_array_index (letter->rows, i))->invoice->id);
  return relance_creditor_ref_for_group ((gint64 *) ids->data, ids->len);
}

RelanceLetter *
relance_letter_new (RelanceStore  *store,
                    const char    *invoice_number,
                    GPtrArray     *planned_invoices,
                    GDateTime     *date,
                    const char    *registered_ref,
                    GError       **error)
{
  g_autoptr(RelanceLetter) letter = g_new0 (RelanceLetter, 1);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(RelanceRateTable) rates = NULL;
  g_autoptr(RelanceRateTable) legal_rates = NULL;
  RelancePenaltyPolicy policy;

  g_return_val_if_fail ((invoice_number != NULL) != (planned_invoices != NULL), NULL);

  if (date == NULL)
    date = now = relance_clock_now ();
  g_date_clear (&letter->date, 1);
  g_date_set_dmy (&letter->date, (GDateDay) g_date_time_get_day_of_month (date),
                  (GDateMonth) g_date_time_get_month (date),
                  (GDateYear) g_date_time_get_year (date));
  letter->registered_ref = registered_ref != NULL && *registered_ref != '\0'
                             ? g_strstrip (g_strdup (registered_ref)) : NULL;
  letter->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) letter_row_free);
  letter->totals = g_array_new (FALSE, TRUE, sizeof (LetterTotal));
  letter->deadline_days = RELANCE_LETTER_DEFAULT_DEADLINE_DAYS;

  if ((letter->company = relance_store_get_company (store, error)) == NULL)
    return NULL;
  policy = relance_penalty_policy_for_country (letter->company->country);
  if (letter->company->penalty_rate != NULL)
    relance_rate_parse (letter->company->penalty_rate, &policy.contractual_bp, NULL);
  letter->regime = policy.regime;
  if ((rates = relance_store_load_rates (store, policy.reference, error)) == NULL
      || (legal_rates = relance_store_load_rates (store, RELANCE_RATE_SERIES_FR_LEGAL,
                                                  error)) == NULL)
    return NULL;

  if (invoice_number != NULL)
    {
      if (!add_invoice (letter, store, invoice_number, &policy, rates, legal_rates, error))
        return NULL;
    }
  else
    for (guint i = 0; i < planned_invoices->len; i++)
      {
        const RelancePlannedInvoice *planned = g_ptr_array_index (planned_invoices, i);

        if (!add_invoice (letter, store, planned->invoice->number, &policy, rates, legal_rates,
                          error))
          return NULL;
        if (planned->step != NULL && planned->step->deadline_days > 0)
          letter->deadline_days = planned->step->deadline_days;
      }
  if (letter->rows->len == 0)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("A formal notice needs at least one invoice."));
      return NULL;
    }

  letter->language = g_strdup (g_strcmp0 (letter->client->language, "fr") == 0 ? "fr" : "en");
  letter->french = g_str_equal (letter->language, "fr");
  letter->consumer = g_strcmp0 (letter->client->kind, "consumer") == 0;
  letter->deadline = letter->date;
  g_date_add_days (&letter->deadline, (guint) letter->deadline_days);

  /* A SEPA transfer code only when everything is claimed in euros, to an account we can
   * check: a code that the bank app refuses is worse than none. */
  if (letter->totals->len == 1
      && g_str_equal (g_array_index (letter->totals, LetterTotal, 0).currency, "EUR")
      && letter->company->iban != NULL && *letter->company->iban != '\0')
    {
      g_autofree char *reference = relance_letter_payment_reference (letter);
      g_autoptr(GError) qr_error = NULL;

      letter->qr_payload = relance_epc_qr_payload_for_company (
        letter->company,
        relance_letter_total_due (&g_array_index (letter->totals, LetterTotal, 0)), "EUR",
        reference, &qr_error);
      if (letter->qr_payload == NULL)
        g_debug ("No payment QR code in the letter: %s", qr_error->message);
    }
  return g_steal_pointer (&letter);
}

/* ---- words ------------------------------------------------------------------------- */

char *
relance_letter_long_date (RelanceLetter *letter, const GDate *date)
{
  static const char * const months_fr[] = {
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
  };
  static const char * const months_en[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  };
  guint day = g_date_get_day (date);
  guint month = g_date_get_month (date) - 1;
  guint year = g_date_get_year (date);

  if (letter->french)
    return g_strdup_printf ("%u%s %s %u", day, day == 1 ? "er" : "", months_fr[month], year);
  return g_strdup_printf ("%u %s %u", day, months_en[month], year);
}

char *
relance_letter_money (RelanceLetter *letter, gint64 minor, const char *currency)
{
  return relance_money_format (minor, currency, letter->language);
}

static gboolean
is_postcode (const char *word)
{
  gsize len = strlen (word);
  gboolean digit = FALSE, alpha = FALSE;

  for (const char *p = word; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (g_ascii_isalpha (*p))
        alpha = TRUE;
      else if (*p != '-')
        return FALSE;
    }
  /* 69002, F-69002, 1000 (Belgium); SW1A, 1AA (UK) — not a street number like "12". */
  return digit && (alpha ? len >= 2 && len <= 4 : len >= 4 && len <= 7);
}

char *
relance_letter_town_of_address (const char *address)
{
  g_auto(GStrv) lines = NULL;
  int n;

  if (address == NULL)
    return NULL;
  lines = g_strsplit_set (address, strchr (address, '\n') != NULL ? "\n" : ",", -1);
  n = (int) g_strv_length (lines);

  /* The last line, or the one before when the last names the country. */
  for (int i = n - 1; i >= 0 && i >= n - 2; i--)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autoptr(GString) town = g_string_new (NULL);
      gboolean postcode = FALSE;

      for (guint w = 0; words[w] != NULL; w++)
        {
          if (*words[w] == '\0')
            continue;
          if (g_ascii_strcasecmp (words[w], "cedex") == 0)
            break;
          if (is_postcode (words[w]))
            {
              postcode = TRUE;
              continue;
            }
          if (strpbrk (words[w], "0123456789") != NULL)
            continue;
          if (town->len > 0)
            g_string_append_c (town, ' ');
          g_string_append (town, words[w]);
        }
      if (postcode && town->len > 0)
        return g_string_free (g_steal_pointer (&town), FALSE);
    }
  return NULL;
}

/* The country line of a postal address, in capitals as the post asks (NF Z 10-011, Royal
 * Mail): the letter's language, or the code itself for a country not listed. */
static char *
country_line (RelanceLetter *letter, const char *code)
{
  static const struct { const char *code; const char *fr; const char *en; } countries[] = {
    { "FR", "France", "France" },
    { "GB", "Royaume-Uni", "United Kingdom" },
    { "BE", "Belgique", "Belgium" },
    { "CH", "Suisse", "Switzerland" },
    { "LU", "Luxembourg", "Luxembourg" },
    { "MC", "Monaco", "Monaco" },
    { "DE", "Allemagne", "Germany" },
    { "ES", "Espagne", "Spain" },
    { "IT", "Italie", "Italy" },
    { "NL", "Pays-Bas", "Netherlands" },
    { "PT", "Portugal", "Portugal" },
    { "AT", "Autriche", "Austria" },
    { "IE", "Irlande", "Ireland" },
    { "US", "États-Unis", "United States" },
    { "CA", "Canada", "Canada" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (countries[i].code, code) == 0)
      return g_utf8_strup (TR (letter, countries[i].fr, countries[i].en), -1);
  return g_ascii_strup (code, -1);
}

gboolean
relance_letter_is_uk (const char *country)
{
  return g_strcmp0 (country, "GB") == 0 || g_strcmp0 (country, "UK") == 0;
}

static gboolean
nonempty (const char *text)
{
  return text != NULL && *text != '\0';
}

/* The recipient block, one line each: name, street lines, then "POSTCODE TOWN" (France and
 * most of Europe) or "TOWN" over "POSTCODE" (United Kingdom), in capitals, then the
 * country in capitals when it is not the sender's. Without a postal address, the name and
 * the email address: the letter still goes out as the formal-notice email's attachment. */
GPtrArray *
relance_letter_recipient_lines (RelanceLetter *letter)
{
  const RelanceClient *client = letter->client;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *sender_country = nonempty (letter->company->country) ? letter->company->country
                                                                    : "FR";
  const char *country = nonempty (client->country) ? client->country : sender_country;
  g_autofree char *postcode = nonempty (client->postcode) ? g_utf8_strup (client->postcode, -1)
                                                          : NULL;
  g_autofree char *city = nonempty (client->city) ? g_utf8_strup (client->city, -1) : NULL;

  g_ptr_array_add (lines, g_strdup (client->name != NULL ? client->name : ""));
  if (!relance_client_has_postal_address (client))
    {
      if (client->email != NULL)
        g_ptr_array_add (lines, g_strdup (client->email));
      return lines;
    }
  if (nonempty (client->street))
    {
      g_auto(GStrv) street = g_strsplit (client->street, "\n", -1);

      for (guint i = 0; street[i] != NULL; i++)
        if (*g_strstrip (street[i]) != '\0')
          g_ptr_array_add (lines, g_strdup (street[i]));
    }
  if (relance_letter_is_uk (country))
    {
      if (city != NULL)
        g_ptr_array_add (lines, g_strdup (city));
      if (postcode != NULL)
        g_ptr_array_add (lines, g_strdup (postcode));
    }
  else
    g_ptr_array_add (lines, g_strjoin (" ", postcode != NULL ? postcode : "",
                                       city != NULL ? city : "", NULL));
  g_strstrip (g_ptr_array_index (lines, lines->len - 1));
  if (g_ascii_strcasecmp (country, sender_country) != 0
      && !(relance_letter_is_uk (country) && relance_letter_is_uk (sender_country)))
    g_ptr_array_add (lines, country_line (letter, country));
  return lines;
}

gboolean
relance_letter_has_postal_address (RelanceLetter *letter)
{
  g_return_val_if_fail (letter != NULL, FALSE);
  return relance_client_has_postal_address (letter->client);
}

char *
relance_letter_payment_link (RelanceLetter *letter)
{
  const char *pattern = letter->company->payment_link;
  LetterRow *row = g_ptr_array_index (letter->rows, 0);
  g_autofree char *number = g_uri_escape_string (row->invoice->number, NULL, FALSE);
  g_autofree char *amount = NULL;
  g_autoptr(GString) out = NULL;

  if (pattern == NULL || *pattern == '\0')
    return NULL;
  if (letter->totals->len == 1)
    {
      const LetterTotal *total = &g_array_index (letter->totals, LetterTotal, 0);

      amount = relance_money_to_decimal (relance_letter_total_due (total), total->currency);
    }
  out = g_string_new (pattern);
  g_string_replace (out, "{{invoice.number}}", number, 0);
  g_string_replace (out, "{{amount}}", amount != NULL ? amount : "", 0);
  g_string_replace (out, "{{amount.due}}", amount != NULL ? amount : "", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GBytes *
relance_letter_render_pdf (RelanceStore  *store,
                           const char    *invoice_number,
                           GPtrArray     *planned_invoices,
                           GDateTime     *date,
                           const char    *registered_ref,
                           GError       **error)
{
  g_autoptr(RelanceLetter) letter = relance_letter_new (store, invoice_number, planned_invoices,
                                                        date, registered_ref, error);

  if (letter == NULL)
    return NULL;
  return relance_letter_to_pdf (letter, error);
}
