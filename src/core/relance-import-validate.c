/* relance-import-validate.c: every data row of an import read into a checked record
 * (InvoiceRow or ClientRow), every problem reported against its line or cell; values are
 * read the way invoicing tools write them. */
#include "config.h"

#include "relance-import-private.h"
#include "relance-language.h"

/* ---- words ---------------------------------------------------------------------------- */

static const Word status_words[] = {
  { "payee", STATUS_PAID }, { "paye", STATUS_PAID }, { "reglee", STATUS_PAID },
  { "regle", STATUS_PAID }, { "soldee", STATUS_PAID }, { "solde", STATUS_PAID },
  { "paid", STATUS_PAID }, { "encaissee", STATUS_PAID }, { "acquittee", STATUS_PAID },
  { "settled", STATUS_PAID }, { "paid in full", STATUS_PAID },
  { "a payer", STATUS_OPEN }, { "impayee", STATUS_OPEN }, { "impaye", STATUS_OPEN },
  { "open", STATUS_OPEN }, { "unpaid", STATUS_OPEN }, { "en attente", STATUS_OPEN },
  { "ouverte", STATUS_OPEN }, { "due", STATUS_OPEN }, { "overdue", STATUS_OPEN },
  { "en retard", STATUS_OPEN }, { "partiellement payee", STATUS_OPEN },
  { "partially paid", STATUS_OPEN }, { "partial", STATUS_OPEN }, { "sent", STATUS_OPEN },
  { "envoyee", STATUS_OPEN }, { "emise", STATUS_OPEN }, { "issued", STATUS_OPEN },
  { "en attente de paiement", STATUS_OPEN }, { "awaiting payment", STATUS_OPEN },
  { "annulee", STATUS_CANCELLED }, { "annule", STATUS_CANCELLED },
  { "cancelled", STATUS_CANCELLED }, { "canceled", STATUS_CANCELLED },
  { "void", STATUS_CANCELLED }, { "avoir", STATUS_CANCELLED },
  { "litige", STATUS_DISPUTED }, { "en litige", STATUS_DISPUTED },
  { "disputed", STATUS_DISPUTED }, { "dispute", STATUS_DISPUTED },
  { "contestee", STATUS_DISPUTED }, { "in dispute", STATUS_DISPUTED },
  { "brouillon", STATUS_DRAFT }, { "draft", STATUS_DRAFT }, { "provisoire", STATUS_DRAFT },
  { "facture payee", STATUS_PAID }, { "payee partiellement", STATUS_OPEN },
  { "validee", STATUS_OPEN }, { "valide", STATUS_OPEN }, { "viewed", STATUS_OPEN },
  { "vue", STATUS_OPEN }, { "consultee", STATUS_OPEN }, { "a relancer", STATUS_OPEN },
  { "late", STATUS_OPEN }, { "past due", STATUS_OPEN }, { "pending", STATUS_OPEN },
  { "finalisee", STATUS_OPEN }, { "finalized", STATUS_OPEN }, { "final", STATUS_OPEN },
  { "abandonnee", STATUS_CANCELLED }, { "abandoned", STATUS_CANCELLED },
  { "classee sans suite", STATUS_CANCELLED }, { "written off", STATUS_CANCELLED },
  { "partiellement reglee", STATUS_OPEN }, { "partially settled", STATUS_OPEN },
};

enum { KIND_BUSINESS = 1, KIND_CONSUMER };
static const char * const kind_codes[] = { NULL, "business", "consumer" };
static const Word kind_words[] = {
  { "professionnel", KIND_BUSINESS }, { "professionnelle", KIND_BUSINESS },
  { "pro", KIND_BUSINESS }, { "entreprise", KIND_BUSINESS }, { "business", KIND_BUSINESS },
  { "b2b", KIND_BUSINESS }, { "company", KIND_BUSINESS }, { "professional", KIND_BUSINESS },
  { "societe", KIND_BUSINESS }, { "association", KIND_BUSINESS },
  { "particulier", KIND_CONSUMER }, { "consumer", KIND_CONSUMER },
  { "individual", KIND_CONSUMER }, { "b2c", KIND_CONSUMER }, { "private", KIND_CONSUMER },
  { "personne physique", KIND_CONSUMER }, { "private individual", KIND_CONSUMER },
};

enum { SEGMENT_REGULAR = 1, SEGMENT_AT_RISK, SEGMENT_STRATEGIC };
static const char * const segment_codes[] = { NULL, "regular", "at-risk", "strategic" };
static const Word segment_words[] = {
  { "regular", SEGMENT_REGULAR }, { "regulier", SEGMENT_REGULAR },
  { "normal", SEGMENT_REGULAR }, { "standard", SEGMENT_REGULAR },
  { "at risk", SEGMENT_AT_RISK }, { "a risque", SEGMENT_AT_RISK },
  { "risky", SEGMENT_AT_RISK }, { "risque", SEGMENT_AT_RISK },
  { "strategic", SEGMENT_STRATEGIC }, { "strategique", SEGMENT_STRATEGIC },
  { "key", SEGMENT_STRATEGIC }, { "key account", SEGMENT_STRATEGIC },
};

static const struct { const char *word; const char *code; } country_words[] = {
  { "france", "FR" }, { "belgique", "BE" }, { "belgium", "BE" }, { "suisse", "CH" },
  { "switzerland", "CH" }, { "luxembourg", "LU" }, { "monaco", "MC" },
  { "united kingdom", "GB" }, { "uk", "GB" }, { "royaume uni", "GB" },
  { "great britain", "GB" }, { "england", "GB" }, { "angleterre", "GB" },
  { "ireland", "IE" }, { "irlande", "IE" }, { "united states", "US" }, { "usa", "US" },
  { "etats unis", "US" }, { "canada", "CA" }, { "australia", "AU" }, { "australie", "AU" },
  { "new zealand", "NZ" }, { "nouvelle zelande", "NZ" }, { "germany", "DE" },
  { "allemagne", "DE" }, { "spain", "ES" }, { "espagne", "ES" }, { "italy", "IT" },
  { "italie", "IT" }, { "netherlands", "NL" }, { "pays bas", "NL" }, { "portugal", "PT" },
};

static int
lookup_word (const Word *table,
             guint       n,
             const char *value)
{
  g_autofree char *plain = relance_import_normalise (value, FALSE);

  for (guint i = 0; i < n; i++)
    if (strcmp (plain, table[i].word) == 0)
      return table[i].value;
  return 0;
}

/* Memoises a per-value decision for a column: few distinct values, many rows. Keys
 * point into the CSV buffer, which outlives the import. */
static int
cached_word (GHashTable **cache,
             const Word  *table,
             guint        n,
             const char  *value)
{
  gpointer found;
  int result;

  if (*cache == NULL)
    *cache = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_lookup_extended (*cache, value, NULL, &found))
    return GPOINTER_TO_INT (found);
  result = lookup_word (table, n, value);
  g_hash_table_insert (*cache, (gpointer) value, GINT_TO_POINTER (result));
  return result;
}

/* "FR", "France", "fr" → "FR" (interned); NULL when unknown. */
static const char *
parse_country (const char *value)
{
  g_autofree char *plain = relance_import_normalise (value, FALSE);

  if (strlen (plain) == 2 && g_ascii_isalpha (plain[0]) && g_ascii_isalpha (plain[1]))
    {
      char code[3] = { g_ascii_toupper (plain[0]), g_ascii_toupper (plain[1]), 0 };
      return g_intern_string (code);
    }
  for (guint i = 0; i < G_N_ELEMENTS (country_words); i++)
    if (strcmp (plain, country_words[i].word) == 0)
      return country_words[i].code;
  return NULL;
}

/* "eur", "€", "Euros" → "EUR" (interned); NULL when it is not a currency code. */
static const char *
parse_currency (const char *value)
{
  static const struct { const char *text; const char *code; } symbols[] = {
    { "€", "EUR" }, { "euro", "EUR" }, { "euros", "EUR" }, { "£", "GBP" }, { "$", "USD" },
    { "US$", "USD" }, { "CA$", "CAD" }, { "A$", "AUD" }, { "NZ$", "NZD" }, { "¥", "JPY" },
  };
  char code[4];

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (g_ascii_strcasecmp (value, symbols[i].text) == 0)
      return symbols[i].code;
  if (strlen (value) != 3)
    return NULL;
  for (int i = 0; i < 3; i++)
    code[i] = g_ascii_toupper (value[i]);
  code[3] = '\0';
  return relance_currency_is_known (code) ? g_intern_string (code) : NULL;
}

/* A syntactic check, enough to catch typos and swapped columns: one '@', a non-empty
 * local part, a domain with a dot in it, no blanks, controls or list punctuation. */
static gboolean
email_is_valid (const char *address)
{
  const char *at = strchr (address, '@');
  const char *dot;

  if (at == NULL || at == address || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (c <= ' ' || c == 0x7f || strchr ("<>()[]\\,;:\"", c) != NULL)
        return FALSE;
    }
  dot = strrchr (at + 1, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0' || at[1] == '.' || strstr (at, "..") != NULL)
    return FALSE;
  return TRUE;
}

/* Several addresses separated by ',' or ';', as copy lists are written. */
static gboolean
email_list_is_valid (const char *list)
{
  g_auto(GStrv) parts = g_strsplit_set (list, ",;", -1);
  guint n_valid = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *one = g_strstrip (parts[i]);

      if (*one == '\0')
        continue;
      if (!email_is_valid (one))
        return FALSE;
      n_valid++;
    }
  return n_valid > 0;
}

static gboolean
record_is_empty (Import *self,
                 guint   record)
{
  guint n = relance_csv_get_n_fields (self->csv, record);

  for (guint i = 0; i < n; i++)
    if (*relance_csv_get_field (self->csv, record, i) != '\0')
      return FALSE;
  return TRUE;
}

/* ---- rows ---------------------------------------------------------------------------- */

typedef struct
{
  GHashTable *status;
  GHashTable *kind;
  GHashTable *segment;
  GHashTable *language;   /* value → "fr"/"en" or "" when unknown */
  GHashTable *country;    /* value → code or "" when unknown */
  GHashTable *currency;   /* value → code or "" when unknown */
  GHashTable *timezone;   /* value → "" (valid) or NULL */
  GHashTable *seen;       /* invoice number or client key → line */
} Caches;

static void
caches_clear (Caches *c)
{
  g_clear_pointer (&c->status, g_hash_table_unref);
  g_clear_pointer (&c->kind, g_hash_table_unref);
  g_clear_pointer (&c->segment, g_hash_table_unref);
  g_clear_pointer (&c->language, g_hash_table_unref);
  g_clear_pointer (&c->country, g_hash_table_unref);
  g_clear_pointer (&c->currency, g_hash_table_unref);
  g_clear_pointer (&c->timezone, g_hash_table_unref);
  g_clear_pointer (&c->seen, g_hash_table_unref);
}

typedef const char *(*ParseFunc) (const char *value);

static const char *
parse_language (const char *value)
{
  const char *code = NULL;
  return relance_language_parse (value, &code) ? code : NULL;
}

static const char *
parse_timezone (const char *value)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (value);
  return tz != NULL ? "" : NULL;
}

/* Returns the parsed code, or NULL when the value is not recognised. */
static const char *
cached_parse (GHashTable **cache,
              ParseFunc    parse,
              const char  *value)
{
  const char *result;

  if (*cache == NULL)
    *cache = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_lookup_extended (*cache, value, NULL, (gpointer *) &result))
    return *result == '\x01' ? NULL : result;
  result = parse (value);
  g_hash_table_insert (*cache, (gpointer) value, (gpointer) (result != NULL ? result : "\x01"));
  return result;
}

static gboolean
check_field_count (Import *self,
                   guint   record)
{
  guint n = relance_csv_get_n_fields (self->csv, record);

  if (n <= self->n_columns)
    return TRUE;
  add_error (self, relance_csv_get_line (self->csv, record),
             /* Translators: the first %u is a number of fields in a row, the second the
              * number of columns of the header line */
             _("This row has %u fields but the header has %u columns; check the separators "
               "and quotes."), n, self->n_columns);
  return FALSE;
}

static void
validate_kind_language_country (Import      *self,
                                Caches      *caches,
                                guint        record,
                                guint        line,
                                const char **out_kind,
                                const char **out_language,
                                const char **out_country)
{
  const char *value;

  if ((value = cell_or_null (self, record, FIELD_KIND)) != NULL)
    {
      int kind = cached_word (&caches->kind, kind_words, G_N_ELEMENTS (kind_words), value);
      if (kind == 0)
        add_error (self, line,
                   /* Translators: %s is a value read from the file */
                   _("“%s” is not a customer type: use business (professionnel) or consumer "
                     "(particulier)."), value);
      else
        *out_kind = kind_codes[kind];
    }
  if ((value = cell_or_null (self, record, FIELD_LANGUAGE)) != NULL)
    {
      *out_language = cached_parse (&caches->language, parse_language, value);
      if (*out_language == NULL)
        /* Translators: %s is a value read from the file */
        add_error (self, line, _("“%s” is not a language Relance writes in: use fr or en."),
                   value);
    }
  if ((value = cell_or_null (self, record, FIELD_COUNTRY)) != NULL)
    {
      *out_country = cached_parse (&caches->country, parse_country, value);
      if (*out_country == NULL)
        add_error (self, line,
                   /* Translators: %s is a value read from the file */
                   _("“%s” is not a country: use a two-letter code such as FR or GB."), value);
    }
}

/* A name goes into email headers and letters: a line break or another control character
 * (a quoted field spanning lines) is refused rather than silently changed. */
static void
validate_name (Import *self, guint line, const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      {
        add_error (self, line,
                   /* Translators: %s is a client name as read from the file */
                   _("The client name “%s” contains a line break or a control character."),
                   name);
        return;
      }
}

static void
validate_email (Import     *self,
                guint       line,
                const char *value,
                gboolean    list)
{
  if (value == NULL || (list ? email_list_is_valid (value) : email_is_valid (value)))
    return;
  add_error (self, line,
             /* Translators: %s is a value read from the file */
             _("“%s” is not a valid email address."), value);
}

static gboolean
parse_date_cell (Import     *self,
                 guint       record,
                 guint       line,
                 Field       field,
                 const char *what,
                 guint32    *out)
{
  g_autoptr(GError) local_error = NULL;
  const char *value = cell_or_null (self, record, field);
  GDate date;

  if (value == NULL)
    {
      /* Translators: %s is “issue date” or “due date” */
      add_cell_error (self, line, field, _("The %s is missing."), what);
      return FALSE;
    }
  if (!relance_date_parse (value, self->date_order, &date, &local_error))
    {
      add_cell_error (self, line, field, "%s", local_error->message);
      return FALSE;
    }
  *out = g_date_get_julian (&date);
  return TRUE;
}

/* A status value: as the recognised tool writes it, else as invoicing tools generally do. */
static Status
status_of (Import     *self,
           Caches     *caches,
           const char *value)
{
  static const struct { const char *state; Status status; } states[] = {
    { "open", STATUS_OPEN }, { "paid", STATUS_PAID }, { "cancelled", STATUS_CANCELLED },
    { "disputed", STATUS_DISPUTED }, { "draft", STATUS_DRAFT },
  };
  gpointer found;
  Status status = STATUS_NONE;

  if (caches->status == NULL)
    caches->status = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_lookup_extended (caches->status, value, NULL, &found))
    return GPOINTER_TO_INT (found);
  if (self->profile != NULL)
    {
      g_autofree char *plain = relance_import_normalise (value, FALSE);
      const char *state = relance_import_profile_status (self->profile, plain);

      for (guint i = 0; state != NULL && i < G_N_ELEMENTS (states); i++)
        if (strcmp (states[i].state, state) == 0)
          status = states[i].status;
    }
  if (status == STATUS_NONE)
    status = lookup_word (status_words, G_N_ELEMENTS (status_words), value);
  g_hash_table_insert (caches->status, (gpointer) value, GINT_TO_POINTER (status));
  return status;
}

/* The street lines of a row: one column, or two joined on two lines; NULL when the file
 * has no address column. */
static const char *
street_of (Import *self,
           guint   record)
{
  const char *first = cell (self, record, FIELD_STREET);
  const char *second = cell (self, record, FIELD_STREET2);
  g_autofree char *joined = NULL;

  if (second == NULL || *second == '\0')
    return first;
  if (first == NULL || *first == '\0')
    return second;
  joined = g_strconcat (first, "\n", second, NULL);
  return g_string_chunk_insert_const (self->strings, joined);
}

/* The first invoice-level field on which two rows of one invoice disagree, N_FIELDS when
 * they agree. Strings in the rows point into the file or are interned, so equal values
 * compare equal with g_strcmp0. */
static Field
invoice_rows_differ (const InvoiceRow *a,
                     const InvoiceRow *b)
{
  if (g_strcmp0 (a->client, b->client) != 0)
    return FIELD_CLIENT;
  if (a->due != b->due)
    return FIELD_DUE_DATE;
  if (a->issue != b->issue)
    return FIELD_ISSUE_DATE;
  if (a->total != b->total)
    return FIELD_TOTAL;
  if (a->currency != b->currency)
    return FIELD_CURRENCY;
  if (a->paid != b->paid)
    return FIELD_PAID;
  if (a->status != b->status)
    return FIELD_STATUS;
  if (g_strcmp0 (a->reference, b->reference) != 0)
    return FIELD_REFERENCE;
  if (b->email != NULL && g_strcmp0 (a->email, b->email) != 0)
    return FIELD_EMAIL;
  return N_FIELDS;
}

void
relance_import_validate_invoices (Import       *self,
                   GCancellable *cancellable)
{
  guint n = relance_csv_get_n_records (self->csv);
  RelanceDecimalHint total_hint = relance_import_column_hint (self, FIELD_TOTAL);
  RelanceDecimalHint paid_hint = relance_import_column_hint (self, FIELD_PAID);
  RelanceDecimalHint balance_hint = relance_import_column_hint (self, FIELD_BALANCE);
  g_autoptr(GHashTable) row_of_number = g_hash_table_new (g_str_hash, g_str_equal);
  Caches caches = { NULL };

  self->paid_is_flag = relance_import_column_is_flag (self, FIELD_PAID);

  caches.seen = g_hash_table_new (g_str_hash, g_str_equal);
  self->rows = g_array_sized_new (FALSE, TRUE, sizeof (InvoiceRow), n);

  for (guint r = self->header + 1; r < n; r++)
    {
      InvoiceRow row = { 0 };
      const char *value;
      guint errors_before = self->report->errors->len;
      gpointer seen_line = NULL;
      gpointer first_index;
      gboolean repeated = FALSE;

      if (r % 1000 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      if (record_is_empty (self, r))
        continue;
      /* A spreadsheet's totals line under the invoices: amounts and nothing else. */
      if (cell_or_null (self, r, FIELD_NUMBER) == NULL
          && cell_or_null (self, r, FIELD_CLIENT) == NULL
          && cell_or_null (self, r, FIELD_DUE_DATE) == NULL
          && cell_or_null (self, r, FIELD_ISSUE_DATE) == NULL)
        {
          self->report->total_rows++;
          continue;
        }
      self->report->n_rows++;
      row.line = relance_csv_get_line (self->csv, r);
      if (!check_field_count (self, r))
        continue;

      row.number = cell_or_null (self, r, FIELD_NUMBER);
      if (row.number == NULL)
        add_error (self, row.line, _("The invoice number is missing."));
      else if (g_hash_table_lookup_extended (caches.seen, row.number, NULL, &seen_line))
        repeated = TRUE;
      else
        g_hash_table_insert (caches.seen, (gpointer) row.number, GUINT_TO_POINTER (row.line));

      row.client = cell_or_null (self, r, FIELD_CLIENT);
      if (row.client == NULL)
        add_error (self, row.line, _("The client is missing."));
      else
        validate_name (self, row.line, row.client);
      row.reference = cell_or_null (self, r, FIELD_REFERENCE);
      row.email = cell_or_null (self, r, FIELD_EMAIL);
      validate_email (self, row.line, row.email, FALSE);
      validate_kind_language_country (self, &caches, r, row.line, &row.kind, &row.language,
                                      &row.country);
      row.notes = cell (self, r, FIELD_NOTES);
      row.street = street_of (self, r);
      if (row.street != NULL && *row.street == '\0')
        row.street = NULL;
      row.postcode = cell_or_null (self, r, FIELD_POSTCODE);
      row.city = cell_or_null (self, r, FIELD_CITY);

      if (parse_date_cell (self, r, row.line, FIELD_DUE_DATE,
                           _("due date"), &row.due))
        {
          if (self->columns[FIELD_ISSUE_DATE] < 0)
            row.issue = row.due;
          else if (parse_date_cell (self, r, row.line, FIELD_ISSUE_DATE,
                                    _("issue date"), &row.issue)
                   && row.due < row.issue)
            add_cell_error (self, row.line, FIELD_DUE_DATE,
                            _("The due date is before the issue date."));
        }

      row.currency = g_intern_string (self->default_currency);
      if ((value = cell_or_null (self, r, FIELD_CURRENCY)) != NULL)
        {
          const char *code = cached_parse (&caches.currency, parse_currency, value);
          if (code == NULL)
            add_cell_error (self, row.line, FIELD_CURRENCY,
                       /* Translators: %s is a value read from the file */
                       _("“%s” is not a currency code: use a three-letter code such as EUR."),
                       value);
          else
            {
              row.currency = code;
              row.currency_given = TRUE;
            }
        }

      value = cell_or_null (self, r, FIELD_TOTAL);
      if (value == NULL)
        add_cell_error (self, row.line, FIELD_TOTAL, _("The total is missing."));
      else
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *found = NULL;

          if (!relance_money_parse (value, row.currency, total_hint, &row.total, &found,
                                    &local_error))
            add_cell_error (self, row.line, FIELD_TOTAL, "%s", local_error->message);
          else if (row.currency_given && g_strcmp0 (found, row.currency) != 0)
            add_cell_error (self, row.line, FIELD_TOTAL,
                       /* Translators: the %s are currency codes */
                       _("The total is written in %s but the currency column says %s."),
                       found, row.currency);
          else if (!row.currency_given && g_strcmp0 (found, row.currency) != 0)
            {
              row.currency = g_intern_string (found);
              row.currency_given = TRUE;
            }
        }

      row.paid = -1;
      if ((value = cell_or_null (self, r, FIELD_PAID)) != NULL && self->paid_is_flag)
        {
          int flag = relance_import_flag (value);

          if (flag != 0)
            row.paid = flag == 1 ? row.total : 0;
        }
      else if (value != NULL)
        {
          g_autoptr(GError) local_error = NULL;

          if (!relance_money_parse (value, row.currency, paid_hint, &row.paid, NULL,
                                    &local_error))
            add_cell_error (self, row.line, FIELD_PAID, "%s", local_error->message);
          else if (row.paid > row.total && errors_before == self->report->errors->len)
            add_cell_error (self, row.line, FIELD_PAID,
                            _("The amount paid is larger than the total."));
        }
      else if ((value = cell_or_null (self, r, FIELD_BALANCE)) != NULL)
        {
          g_autoptr(GError) local_error = NULL;
          gint64 balance = 0;

          /* What is still owed: the rest has been paid. */
          if (!relance_money_parse (value, row.currency, balance_hint, &balance, NULL,
                                    &local_error))
            add_cell_error (self, row.line, FIELD_BALANCE, "%s", local_error->message);
          else if (balance > row.total && errors_before == self->report->errors->len)
            add_cell_error (self, row.line, FIELD_BALANCE,
                            _("What is still owed is larger than the total."));
          else
            row.paid = row.total - balance;
        }

      if ((value = cell_or_null (self, r, FIELD_STATUS)) != NULL)
        {
          row.status = status_of (self, &caches, value);
          if (row.status == STATUS_NONE)
            add_cell_error (self, row.line, FIELD_STATUS,
                       /* Translators: %s is a value read from the file */
                       _("“%s” is not a status Relance knows: use open, paid, cancelled or "
                         "disputed."), value);
        }

      if (row.number != NULL && errors_before == self->report->errors->len)
        {
          RelanceStoreImportInvoice *e = g_hash_table_lookup (self->invoices, row.number);

          if (e != NULL && e->paid > row.total)
            add_error (self, row.line,
                       /* Translators: %s is an invoice number */
                       _("The new total of invoice %s is less than the payments already "
                         "recorded for it."), row.number);
        }

      if (errors_before != self->report->errors->len)
        continue;
      if (row.status == STATUS_DRAFT)
        {
          /* A draft is not an invoice the client has received: nothing to chase. */
          self->report->drafts++;
          continue;
        }
      if (repeated)
        {
          /* One invoice over several rows, one per invoice line: the rows are one invoice
           * when their invoice-level fields agree. When the first row was refused, its
           * error stands for both. */
          if (g_hash_table_lookup_extended (row_of_number, row.number, NULL, &first_index))
            {
              const InvoiceRow *first = &g_array_index (self->rows, InvoiceRow,
                                                        GPOINTER_TO_UINT (first_index));
              Field differs = invoice_rows_differ (first, &row);

              if (differs != N_FIELDS)
                add_error (self, row.line,
                           /* Translators: %s is an invoice number, %u a line number, the
                            * last %s a column title such as “Due date” */
                           _("Invoice %s is also on line %u, with another “%s”: the rows of "
                             "one invoice must agree on it."), row.number, first->line,
                           _(relance_import_field_info[differs].example));
              else
                self->report->merged_rows++;
            }
          continue;
        }
      if (row.number != NULL)
        g_hash_table_insert (row_of_number, (gpointer) row.number,
                             GUINT_TO_POINTER (self->rows->len));
      g_array_append_val (self->rows, row);
    }
  caches_clear (&caches);
}

/* Clients are the same client in one file when they share a reference, or a name when
 * they have none. */
void
relance_import_validate_clients (Import       *self,
                  GCancellable *cancellable)
{
  guint n = relance_csv_get_n_records (self->csv);
  Caches caches = { NULL };

  caches.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rows = g_array_sized_new (FALSE, TRUE, sizeof (ClientRow), n);

  for (guint r = self->header + 1; r < n; r++)
    {
      ClientRow row = { 0 };
      const char *value;
      const char *key;
      guint errors_before = self->report->errors->len;
      gpointer seen_line;

      if (r % 1000 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      if (record_is_empty (self, r))
        continue;
      self->report->n_rows++;
      row.line = relance_csv_get_line (self->csv, r);
      if (!check_field_count (self, r))
        continue;

      row.name = cell_or_null (self, r, FIELD_NAME);
      if (row.name != NULL)
        validate_name (self, row.line, row.name);
      row.reference = cell (self, r, FIELD_REFERENCE);
      row.email = cell (self, r, FIELD_EMAIL);
      row.cc = cell (self, r, FIELD_CC);
      row.phone = cell (self, r, FIELD_PHONE);
      row.timezone = cell (self, r, FIELD_TIMEZONE);
      row.notes = cell (self, r, FIELD_NOTES);
      row.street = street_of (self, r);
      row.postcode = cell (self, r, FIELD_POSTCODE);
      row.city = cell (self, r, FIELD_CITY);
      if (row.name == NULL)
        add_error (self, row.line, _("The client’s name is missing."));

      validate_email (self, row.line, row.email != NULL && *row.email ? row.email : NULL, FALSE);
      validate_email (self, row.line, row.cc != NULL && *row.cc ? row.cc : NULL, TRUE);
      validate_kind_language_country (self, &caches, r, row.line, &row.kind, &row.language,
                                      &row.country);
      if (row.country == NULL && cell (self, r, FIELD_COUNTRY) != NULL
          && cell_or_null (self, r, FIELD_COUNTRY) == NULL)
        row.country = "";
      if (row.timezone != NULL && *row.timezone != '\0'
          && cached_parse (&caches.timezone, parse_timezone, row.timezone) == NULL)
        add_error (self, row.line,
                   /* Translators: %s is a value read from the file */
                   _("“%s” is not a time zone: use a name such as Europe/Paris."),
                   row.timezone);
      if ((value = cell_or_null (self, r, FIELD_SEGMENT)) != NULL)
        {
          int segment = cached_word (&caches.segment, segment_words,
                                     G_N_ELEMENTS (segment_words), value);
          if (segment == 0)
            add_error (self, row.line,
                       /* Translators: %s is a value read from the file */
                       _("“%s” is not a segment: use regular, at-risk or strategic."), value);
          else
            row.segment = segment_codes[segment];
        }

      if (row.name != NULL)
        {
          key = row.reference != NULL && *row.reference != '\0'
                ? g_strconcat ("ref:", row.reference, NULL)
                : g_strconcat ("name:", fold_key (self->key, row.name), NULL);
          if (g_hash_table_lookup_extended (caches.seen, key, NULL, &seen_line))
            {
              add_error (self, row.line,
                         /* Translators: %s is a client name, %u a line number */
                         _("Client %s already appears on line %u of this file."), row.name,
                         GPOINTER_TO_UINT (seen_line));
              g_free ((char *) key);
            }
          else
            g_hash_table_insert (caches.seen, (char *) key, GUINT_TO_POINTER (row.line));
        }

      if (errors_before == self->report->errors->len)
        g_array_append_val (self->rows, row);
    }
  caches_clear (&caches);
}
