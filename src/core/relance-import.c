/* relance-import.c: importing clients and invoices from CSV files, all or nothing.
 *
 * Three passes over rows already split in one buffer (relance-csv.c): the headers are
 * matched to fields; every row is validated into a compact struct that points into the
 * buffer, collecting every problem; only when there is none are the rows applied, in
 * one transaction, with statements prepared once and the existing clients and invoices
 * loaded once into hash tables (no per-row SELECT). A dry run goes through the very same
 * apply code with writes switched off, so its counts are the real ones. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-clock.h"
#include "relance-csv.h"
#include "relance-error.h"
#include "relance-import.h"
#include "relance-import-profiles.h"
#include "relance-import-read.h"
#include "relance-language.h"
#include "relance-money.h"

/* ---------------------------------------------------------------------------------- */
/* Fields and their header synonyms                                                    */

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

static const FieldInfo field_info[N_FIELDS] = {
  [FIELD_NUMBER] = { "number", FOR_INVOICES,
    "n facture|no facture|n de facture|num facture|numero facture|numero de facture|numero|"
    "facture|n|no|invoice number|invoice|number|invoice no|invoice n|invoice num|invoice id|"
    "invoice ref|invoice reference|ref facture|reference facture|piece|n piece",
    N_("Invoice number") },
  [FIELD_CLIENT] = { "client", FOR_INVOICES,
    "client|customer|raison sociale|company|client name|customer name|nom client|"
    "nom du client|societe|nom|name|company name",
    N_("Client") },
  [FIELD_NAME] = { "name", FOR_CLIENTS,
    "nom|raison sociale|client|name|company|company name|customer|customer name|nom client|"
    "nom du client|societe",
    N_("Name") },
  [FIELD_REFERENCE] = { "reference", FOR_INVOICES | FOR_CLIENTS,
    "reference client|code client|client ref|customer id|reference|ref client|"
    "client reference|customer reference|customer ref|client id|client code|customer code|"
    "ref|id client|numero client|n client|customer no|customer number|account|compte client",
    N_("Client ref") },
  [FIELD_EMAIL] = { "email", FOR_INVOICES | FOR_CLIENTS,
    "e mail|email|courriel|mail|adresse email|adresse e mail|adresse mail|email address|"
    "e mail address|client email|customer email|adresse electronique",
    N_("Email") },
  [FIELD_CC] = { "cc", FOR_CLIENTS,
    "copie|cc|copie a|en copie|emails en copie|email cc",
    N_("Cc") },
  [FIELD_PHONE] = { "phone", FOR_CLIENTS,
    "telephone|tel|phone|phone number|numero de telephone|portable|mobile|telephone number",
    N_("Phone") },
  [FIELD_ISSUE_DATE] = { "issue_date", FOR_INVOICES,
    "date|date facture|date d emission|date emission|invoice date|issue date|date de facture|"
    "date de facturation|issued|issued on|date of issue|emise le",
    N_("Issue date") },
  [FIELD_DUE_DATE] = { "due_date", FOR_INVOICES,
    "echeance|date d echeance|date echeance|due date|due|date limite de paiement|"
    "date limite|payment due|due on|payment due date|a payer avant le",
    N_("Due date") },
  [FIELD_TOTAL] = { "total", FOR_INVOICES,
    "montant ttc|total ttc|total|amount|montant|total amount|invoice total|"
    "total due|net a payer|amount incl tax|total incl tax|total including tax|"
    "montant toutes taxes comprises|total facture|montant facture|invoice amount",
    N_("Total") },
  [FIELD_CURRENCY] = { "currency", FOR_INVOICES,
    "devise|currency|monnaie|currency code|code devise",
    N_("Currency") },
  [FIELD_STATUS] = { "status", FOR_INVOICES,
    "statut|etat|status|state|etat de paiement|statut de paiement|payment status|statut facture",
    N_("Status") },
  [FIELD_KIND] = { "kind", FOR_INVOICES | FOR_CLIENTS,
    "type|type client|customer type|client type|type de client|kind|categorie|client kind",
    N_("Customer type") },
  [FIELD_LANGUAGE] = { "language", FOR_INVOICES | FOR_CLIENTS,
    "langue|language|lang|langue du client|client language",
    N_("Language") },
  [FIELD_COUNTRY] = { "country", FOR_INVOICES | FOR_CLIENTS,
    "pays|country|code pays|country code",
    N_("Country") },
  [FIELD_TIMEZONE] = { "timezone", FOR_CLIENTS,
    "fuseau horaire|time zone|timezone|fuseau|tz",
    N_("Time zone") },
  [FIELD_SEGMENT] = { "segment", FOR_CLIENTS,
    "segment|client segment|customer segment",
    N_("Segment") },
  [FIELD_NOTES] = { "notes", FOR_INVOICES | FOR_CLIENTS,
    "notes|remarques|note|remarque|commentaire|commentaires|comments|comment|observations",
    N_("Notes") },
  [FIELD_PAID] = { "paid", FOR_INVOICES,
    "montant regle|deja paye|amount paid|paid|montant paye|regle|paye|paid amount|total paid|"
    "deja regle|somme reglee|payments|payee|facture payee|reglee|is paid|paye o n",
    N_("Amount paid") },
  /* What is still owed: paid = total − balance. Alone (no total), it is the amount due. */
  [FIELD_BALANCE] = { "balance", FOR_INVOICES,
    "balance|balance due|amount due|outstanding|amount outstanding|outstanding amount|"
    "remaining|remaining amount|left to pay|reste a payer|reste du|restant du|solde|"
    "solde du|solde restant|montant restant|montant restant du|montant du|reste a regler",
    N_("Balance") },
  /* The client's postal address, for the formal-notice letter's window envelope. */
  [FIELD_STREET] = { "street", FOR_INVOICES | FOR_CLIENTS,
    "adresse|address|rue|adresse postale|postal address|street|street address|adresse 1|"
    "address 1|address line 1|adresse ligne 1|billing address|adresse de facturation|"
    "billing street|adresse client|client address|customer address",
    N_("Address") },
  [FIELD_STREET2] = { "street2", FOR_INVOICES | FOR_CLIENTS,
    "adresse 2|address 2|address line 2|adresse ligne 2|complement d adresse|"
    "complement adresse|complement",
    N_("Address (second line)") },
  [FIELD_POSTCODE] = { "postcode", FOR_INVOICES | FOR_CLIENTS,
    "code postal|cp|zip|zip code|postcode|post code|postal code|billing zip|"
    "billing postal code|code postal facturation",
    N_("Postcode") },
  [FIELD_CITY] = { "city", FOR_INVOICES | FOR_CLIENTS,
    "ville|city|town|commune|localite|billing city|ville de facturation",
    N_("City") },
};

static gboolean
in_word_list (const char *list,
              const char *word)
{
  gsize len = strlen (word);

  for (const char *p = list; p != NULL; p = strchr (p, '|'), p = p ? p + 1 : NULL)
    if (strncmp (p, word, len) == 0 && (p[len] == '|' || p[len] == '\0'))
      return TRUE;
  return FALSE;
}

static int
field_from_header (RelanceImportKind  kind,
                   const char        *header)
{
  g_autofree char *plain = relance_import_normalise (header, TRUE);
  g_autofree char *full = relance_import_normalise (header, FALSE);

  for (int f = 0; f < N_FIELDS; f++)
    {
      if (!(field_info[f].kinds & (1u << kind)))
        continue;
      if ((*plain != '\0' && in_word_list (field_info[f].synonyms, plain))
          || in_word_list (field_info[f].synonyms, full))
        return f;
    }
  return -1;
}

/* ---------------------------------------------------------------------------------- */
/* Values                                                                              */

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

/* Paid flags: a "Payée" / "Paid" column of yes/no values instead of an amount. */
static const Word flag_words[] = {
  { "oui", 1 }, { "yes", 1 }, { "true", 1 }, { "vrai", 1 }, { "1", 1 }, { "x", 1 },
  { "y", 1 }, { "o", 1 },
  { "non", 2 }, { "no", 2 }, { "false", 2 }, { "faux", 2 }, { "0", 2 }, { "n", 2 },
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

/* The key clients are matched on: case-insensitive, without allocating for ASCII. */
static const char *
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

/* Dates are read and written once per row: plain digit arithmetic, no scanf/printf. */
static guint32
julian_from_iso (const char *text)
{
  GDate date;
  int y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return 0;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

static void
iso_from_julian (guint32 julian,
                 char    out[11])
{
  GDate date;
  guint y, m, d;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  y = g_date_get_year (&date);
  m = g_date_get_month (&date);
  d = g_date_get_day (&date);
  out[0] = (char) ('0' + y / 1000 % 10);
  out[1] = (char) ('0' + y / 100 % 10);
  out[2] = (char) ('0' + y / 10 % 10);
  out[3] = (char) ('0' + y % 10);
  out[4] = '-';
  out[5] = (char) ('0' + m / 10);
  out[6] = (char) ('0' + m % 10);
  out[7] = '-';
  out[8] = (char) ('0' + d / 10);
  out[9] = (char) ('0' + d % 10);
  out[10] = '\0';
}

/* ---------------------------------------------------------------------------------- */
/* Rows                                                                                */

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
  gint64   id;
  gint64   client_id;
  guint32  issue;
  guint32  due;
  gint64   total;
  gint64   paid;
  const char *currency;  /* interned */
  const char *status;    /* interned */
  char    *notes;        /* in the string chunk */
} Existing;

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
  GStringChunk               *strings;
  GPtrArray                  *clients;        /* RelanceClient*, existing then created */
  GHashTable                 *by_reference;   /* reference → RelanceClient* */
  GHashTable                 *by_email;       /* folded email → RelanceClient* */
  GHashTable                 *by_name;        /* folded name → RelanceClient* */
  Existing                   *existing;
  GHashTable                 *invoices;       /* number → Existing* */
  gint64                      next_fake_id;   /* dry runs: ids of clients not created */

  /* New rows of an invoice import wait here and go in by multi-row INSERTs: SQLite runs
   * a statement's per-execution set-up (the CHECK ... IN lists build a temporary b-tree)
   * once per batch instead of once per row. Ids are assigned here, under the write lock
   * taken before loading, as SQLite would (max + 1). */
  GPtrArray                  *pending_clients;  /* RelanceClient*, owned by clients */
  GArray                     *pending_invoices; /* PendingInvoice */
  GArray                     *pending_payments; /* PendingPayment */
  gint64                      last_client_id;
  gint64                      last_invoice_id;
  char                        today[11];

  GString                    *key;
  GArray                     *rows;           /* InvoiceRow or ClientRow */
  guint                       n_existing;     /* invoices in the store before the import */
  GPtrArray                  *dropped_indexes; /* their CREATE INDEX, to run at the end */
} Import;

static void
import_clear (Import *self)
{
  g_free (self->default_currency);
  g_free (self->default_language);
  relance_import_source_clear (&self->source);
  g_clear_pointer (&self->by_reference, g_hash_table_unref);
  g_clear_pointer (&self->by_email, g_hash_table_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->invoices, g_hash_table_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->existing, g_free);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->pending_clients, g_ptr_array_unref);
  g_clear_pointer (&self->pending_invoices, g_array_unref);
  g_clear_pointer (&self->pending_payments, g_array_unref);
  g_clear_pointer (&self->dropped_indexes, g_ptr_array_unref);
  if (self->key != NULL)
    g_string_free (self->key, TRUE);
}

G_GNUC_PRINTF (4, 0)
static void
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
static void
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
static void
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

static const char *
cell (Import  *self,
      guint    record,
      Field    field)
{
  if (self->columns[field] < 0)
    return NULL;
  return relance_csv_get_field (self->csv, record, (guint) self->columns[field]);
}

/* NULL for an absent column or an empty cell. */
static const char *
cell_or_null (Import *self,
              guint   record,
              Field   field)
{
  const char *value = cell (self, record, field);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* ---------------------------------------------------------------------------------- */
/* Headers                                                                             */

/* How far down a title, an export date or filters may push the header. */
#define HEADER_SEARCH 10

/* The header is the first record, among the first few, that names at least two fields
 * (or holds a header named by --map); the records above it are skipped. When none does,
 * the first record is taken, so that the missing columns are reported against it. */
static guint
find_header (Import *self)
{
  guint n = MIN (relance_csv_get_n_records (self->csv), HEADER_SEARCH);

  for (guint r = 0; r < n; r++)
    {
      guint n_fields = relance_csv_get_n_fields (self->csv, r);
      guint named = 0;
      guint64 seen = 0;

      for (guint c = 0; c < n_fields; c++)
        {
          const char *header = relance_csv_get_field (self->csv, r, c);
          int field = field_from_header (self->options->kind, header);
          GHashTableIter iter;
          gpointer value;

          if (field >= 0 && !(seen & (G_GUINT64_CONSTANT (1) << field)))
            {
              seen |= G_GUINT64_CONSTANT (1) << field;
              named++;
            }
          else if (self->options->mapping != NULL && *header != '\0')
            {
              g_hash_table_iter_init (&iter, self->options->mapping);
              while (g_hash_table_iter_next (&iter, NULL, &value))
                if (strcmp (value, header) == 0)
                  {
                    named++;
                    break;
                  }
            }
        }
      if (named >= 2)
        return r;
    }
  return 0;
}

/* The invoicing tool that wrote the file, from its header row. */
static const RelanceImportProfile *
detect_profile (Import *self)
{
  guint n = relance_csv_get_n_fields (self->csv, self->header);
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);

  if (self->options->kind != RELANCE_IMPORT_INVOICES)
    return NULL;
  for (guint c = 0; c < n; c++)
    g_ptr_array_add (headers,
                     relance_import_normalise (relance_csv_get_field (self->csv, self->header, c),
                                               FALSE));
  return relance_import_profile_detect ((const char * const *) headers->pdata, headers->len);
}

/* The field a header means: in the recognised tool's export first, then in general. */
static int
field_for_header (Import     *self,
                  const char *header)
{
  if (self->profile != NULL)
    {
      g_autofree char *plain = relance_import_normalise (header, FALSE);
      const char *key = relance_import_profile_field (self->profile, plain);

      for (int f = 0; key != NULL && f < N_FIELDS; f++)
        if ((field_info[f].kinds & (1u << self->options->kind))
            && strcmp (field_info[f].key, key) == 0)
          return f;
    }
  return field_from_header (self->options->kind, header);
}

/* Day or month first is decided once for the whole file: a first part above 12 means day
 * first, a second part above 12 month first. When no row tells, the company's country
 * decides (month first only in the United States) and the report says it was assumed. */
static void
decide_date_order (Import     *self,
                   const char *country)
{
  static const Field date_fields[] = { FIELD_DUE_DATE, FIELD_ISSUE_DATE };
  guint n = relance_csv_get_n_records (self->csv);
  gboolean dmy = FALSE, mdy = FALSE, ambiguous = FALSE;

  self->date_order = self->options->date_order;
  self->report->date_order = self->date_order;
  if (self->options->date_order_given || self->options->kind != RELANCE_IMPORT_INVOICES)
    return;
  for (guint r = self->header + 1; r < n && !(dmy && mdy); r++)
    for (guint i = 0; i < G_N_ELEMENTS (date_fields); i++)
      {
        const char *value;
        int hint;

        if (self->columns[date_fields[i]] < 0)
          continue;
        value = cell (self, r, date_fields[i]);
        hint = relance_date_order_hint (value);
        dmy = dmy || hint == RELANCE_DATE_ORDER_DMY;
        mdy = mdy || hint == RELANCE_DATE_ORDER_MDY;
        /* "05/03/2026" depends on the order; "2026-03-05" and "5 Mar 2026" do not. */
        ambiguous = ambiguous || (hint < 0 && value != NULL && g_ascii_isdigit (value[0])
                                  && (strchr ("/.-", value[1]) != NULL
                                      || (g_ascii_isdigit (value[1]) && value[2] != '\0'
                                          && strchr ("/.-", value[2]) != NULL)));
      }
  if (mdy && !dmy)
    self->date_order = RELANCE_DATE_ORDER_MDY;
  else if (!dmy && !mdy)
    {
      self->date_order = g_strcmp0 (country, "US") == 0 ? RELANCE_DATE_ORDER_MDY
                                                          : RELANCE_DATE_ORDER_DMY;
      self->report->date_order_assumed = ambiguous;
    }
  else
    self->date_order = RELANCE_DATE_ORDER_DMY;
  self->report->date_order = self->date_order;
}

/* A paid column that holds yes/no (or 1/0) for every row is a flag, not an amount. */
static gboolean
column_is_flag (Import *self,
                Field   field)
{
  guint n = relance_csv_get_n_records (self->csv);
  gboolean any = FALSE;

  if (self->columns[field] < 0)
    return FALSE;
  for (guint r = self->header + 1; r < n; r++)
    {
      const char *value = cell (self, r, field);
      g_autofree char *word = NULL;
      gboolean known = FALSE;

      if (value == NULL || *value == '\0')
        continue;
      word = relance_import_normalise (value, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (flag_words) && !known; i++)
        known = strcmp (word, flag_words[i].word) == 0;
      if (!known)
        return FALSE;
      any = TRUE;
    }
  return any;
}

static gboolean
map_columns (Import *self)
{
  RelanceImportKind kind = self->options->kind;
  guint n_headers = self->n_columns;
  g_autofree gboolean *taken = g_new0 (gboolean, n_headers);
  gboolean ok = TRUE;

  for (int f = 0; f < N_FIELDS; f++)
    self->columns[f] = -1;

  if (self->options->mapping != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->options->mapping);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int field = -1;
          int column = -1;
          g_autofree char *wanted = relance_import_normalise (value, FALSE);

          for (int f = 0; f < N_FIELDS; f++)
            if ((field_info[f].kinds & (1u << kind))
                && g_ascii_strcasecmp (key, field_info[f].key) == 0)
              field = f;
          if (field < 0)
            {
              add_error (self, self->header_line,
                         /* Translators: %s is the FIELD part of --map FIELD=HEADER */
                         _("“%s” is not a field that can be imported here."),
                         (const char *) key);
              ok = FALSE;
              continue;
            }
          for (guint c = 0; c < n_headers && column < 0; c++)
            if (strcmp (relance_csv_get_field (self->csv, self->header, c), value) == 0)
              column = (int) c;
          for (guint c = 0; c < n_headers && column < 0; c++)
            {
              g_autofree char *header = relance_import_normalise (relance_csv_get_field (self->csv, self->header, c), FALSE);
              if (strcmp (header, wanted) == 0)
                column = (int) c;
            }
          if (column < 0)
            {
              add_error (self, self->header_line,
                         /* Translators: %s is the HEADER part of --map FIELD=HEADER */
                         _("The file has no column “%s”, named in the column mapping."),
                         (const char *) value);
              ok = FALSE;
              continue;
            }
          self->columns[field] = column;
          taken[column] = TRUE;
        }
    }

  for (guint c = 0; c < n_headers; c++)
    {
      const char *header = relance_csv_get_field (self->csv, self->header, c);
      int field;

      if (taken[c])
        continue;
      field = field_for_header (self, header);
      if (field >= 0 && self->columns[field] < 0)
        self->columns[field] = (int) c;
      else if (*header != '\0')
        g_ptr_array_add (self->report->ignored_columns, g_strdup (header));
    }

  /* "Amount due" with no total beside it is what the invoice asks for, not a balance. */
  if (self->columns[FIELD_TOTAL] < 0 && self->columns[FIELD_BALANCE] >= 0)
    {
      self->columns[FIELD_TOTAL] = self->columns[FIELD_BALANCE];
      self->columns[FIELD_BALANCE] = -1;
    }

  for (int f = 0; f < N_FIELDS; f++)
    if (self->columns[f] >= 0)
      g_ptr_array_add (self->report->fields,
                       g_strdup_printf ("%s=%s", field_info[f].key,
                                        relance_csv_get_field (self->csv, self->header,
                                                               (guint) self->columns[f])));

  if (!ok)
    return FALSE;

  {
    static const Field invoice_required[] = { FIELD_NUMBER, FIELD_CLIENT, FIELD_DUE_DATE,
                                              FIELD_TOTAL };
    static const Field client_required[] = { FIELD_NAME };
    const Field *required = kind == RELANCE_IMPORT_INVOICES ? invoice_required : client_required;
    guint n_required = kind == RELANCE_IMPORT_INVOICES ? G_N_ELEMENTS (invoice_required)
                                                       : G_N_ELEMENTS (client_required);

    for (guint i = 0; i < n_required; i++)
      if (self->columns[required[i]] < 0)
        {
          add_error (self, self->header_line,
                     /* Translators: %s is a column title such as “Due date”; %s=%s shows the
                      * --map option */
                     _("The file has no “%s” column. Rename the column or map it with "
                       "--map %s=HEADER."),
                     _(field_info[required[i]].example), field_info[required[i]].key);
          ok = FALSE;
        }
  }
  return ok;
}

/* Per file column: if the values that tell agree on a decimal separator, that one;
 * when none tells, the habit that goes with the separator. */
static RelanceDecimalHint
column_hint (Import *self,
             Field   field)
{
  guint n = relance_csv_get_n_records (self->csv);
  gboolean comma = FALSE;
  gboolean dot = FALSE;

  if (self->columns[field] < 0)
    return RELANCE_DECIMAL_UNKNOWN;
  for (guint r = self->header + 1; r < n && !(comma && dot); r++)
    {
      switch (relance_money_guess_hint (cell (self, r, field)))
        {
        case RELANCE_DECIMAL_COMMA:
          comma = TRUE;
          break;
        case RELANCE_DECIMAL_DOT:
          dot = TRUE;
          break;
        case RELANCE_DECIMAL_UNKNOWN:
        default:
          break;
        }
    }
  if (comma && dot)
    return RELANCE_DECIMAL_UNKNOWN;
  if (comma)
    return RELANCE_DECIMAL_COMMA;
  if (dot)
    return RELANCE_DECIMAL_DOT;
  return relance_csv_get_separator (self->csv) == ';' ? RELANCE_DECIMAL_COMMA
                                                       : RELANCE_DECIMAL_DOT;
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

/* ---------------------------------------------------------------------------------- */
/* Loading what the store already holds                                                */

static void
index_client (Import        *self,
              RelanceClient *client)
{
  if (client->reference != NULL && *client->reference != '\0')
    g_hash_table_insert (self->by_reference, client->reference, client);
  if (client->email != NULL && *client->email != '\0')
    {
      const char *key = g_string_chunk_insert (self->strings, fold_key (self->key, client->email));
      if (!g_hash_table_contains (self->by_email, key))
        g_hash_table_insert (self->by_email, (gpointer) key, client);
    }
  {
    const char *key = g_string_chunk_insert (self->strings, fold_key (self->key, client->name));
    if (!g_hash_table_contains (self->by_name, key))
      g_hash_table_insert (self->by_name, (gpointer) key, client);
  }
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return text != NULL ? g_strdup (text) : NULL;
}

static gboolean
load_clients (Import  *self,
              GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self->store,
    "SELECT id, name, reference, email, cc, phone, language, country, timezone, kind, "
    "segment, notes, street, postcode, city FROM clients ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelanceClient *client = g_new0 (RelanceClient, 1);

      client->id = sqlite3_column_int64 (stmt, 0);
      client->name = column_dup (stmt, 1);
      client->reference = column_dup (stmt, 2);
      client->email = column_dup (stmt, 3);
      client->cc = column_dup (stmt, 4);
      client->phone = column_dup (stmt, 5);
      client->language = column_dup (stmt, 6);
      client->country = column_dup (stmt, 7);
      client->timezone = column_dup (stmt, 8);
      client->kind = column_dup (stmt, 9);
      client->segment = column_dup (stmt, 10);
      client->notes = column_dup (stmt, 11);
      client->street = column_dup (stmt, 12);
      client->postcode = column_dup (stmt, 13);
      client->city = column_dup (stmt, 14);
      g_ptr_array_add (self->clients, client);
      index_client (self, client);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self->store, error);
  return TRUE;
}

static gboolean
load_invoices (Import  *self,
               GError **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self->store, "SELECT count(*) FROM invoices", error);
  gint64 count;
  gint64 i = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relance_store_set_error (self->store, error);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  self->n_existing = (guint) MIN (count, G_MAXUINT);

  self->existing = g_new0 (Existing, MAX (count, 1));
  stmt = relance_store_prepare (self->store,
    "SELECT i.id, i.number, i.client_id, i.issue_date, i.due_date, i.total, i.currency, "
    "i.status, i.notes, COALESCE(p.paid, 0) FROM invoices i "
    "LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM payments GROUP BY invoice_id) p "
    "ON p.invoice_id = i.id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && i < count)
    {
      Existing *e = &self->existing[i++];
      const char *notes = (const char *) sqlite3_column_text (stmt, 8);
      const char *number;

      e->id = sqlite3_column_int64 (stmt, 0);
      number = g_string_chunk_insert (self->strings, (const char *) sqlite3_column_text (stmt, 1));
      e->client_id = sqlite3_column_int64 (stmt, 2);
      e->issue = julian_from_iso ((const char *) sqlite3_column_text (stmt, 3));
      e->due = julian_from_iso ((const char *) sqlite3_column_text (stmt, 4));
      e->total = sqlite3_column_int64 (stmt, 5);
      e->currency = g_intern_string ((const char *) sqlite3_column_text (stmt, 6));
      e->status = g_intern_string ((const char *) sqlite3_column_text (stmt, 7));
      e->notes = notes != NULL ? g_string_chunk_insert (self->strings, notes) : NULL;
      e->paid = sqlite3_column_int64 (stmt, 9);
      g_hash_table_insert (self->invoices, (gpointer) number, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return relance_store_set_error (self->store, error);
  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* Validation                                                                          */

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

static void
validate_invoices (Import       *self,
                   GCancellable *cancellable)
{
  guint n = relance_csv_get_n_records (self->csv);
  RelanceDecimalHint total_hint = column_hint (self, FIELD_TOTAL);
  RelanceDecimalHint paid_hint = column_hint (self, FIELD_PAID);
  RelanceDecimalHint balance_hint = column_hint (self, FIELD_BALANCE);
  g_autoptr(GHashTable) row_of_number = g_hash_table_new (g_str_hash, g_str_equal);
  Caches caches = { NULL };

  self->paid_is_flag = column_is_flag (self, FIELD_PAID);

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
      if (cell_or_null (self, r, FIELD_NUMBER) == NULL && cell_or_null (self, r, FIELD_CLIENT) == NULL
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
            add_cell_error (self, row.line, FIELD_DUE_DATE, _("The due date is before the issue date."));
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
          g_autofree char *word = relance_import_normalise (value, FALSE);

          for (guint i = 0; i < G_N_ELEMENTS (flag_words); i++)
            if (strcmp (word, flag_words[i].word) == 0)
              row.paid = flag_words[i].value == 1 ? row.total : 0;
        }
      else if (value != NULL)
        {
          g_autoptr(GError) local_error = NULL;

          if (!relance_money_parse (value, row.currency, paid_hint, &row.paid, NULL,
                                    &local_error))
            add_cell_error (self, row.line, FIELD_PAID, "%s", local_error->message);
          else if (row.paid > row.total && errors_before == self->report->errors->len)
            add_cell_error (self, row.line, FIELD_PAID, _("The amount paid is larger than the total."));
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
            add_cell_error (self, row.line, FIELD_BALANCE, _("What is still owed is larger than the total."));
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
          Existing *e = g_hash_table_lookup (self->invoices, row.number);

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
                           _(field_info[differs].example));
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
static void
validate_clients (Import       *self,
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

/* ---------------------------------------------------------------------------------- */
/* Applying                                                                            */

static RelanceClient *
match_client (Import     *self,
              const char *reference,
              const char *email,
              const char *name)
{
  RelanceClient *client = NULL;

  if (reference != NULL && *reference != '\0')
    {
      client = g_hash_table_lookup (self->by_reference, reference);
      if (client != NULL)
        return client;
    }
  if (email != NULL && *email != '\0')
    client = g_hash_table_lookup (self->by_email, fold_key (self->key, email));
  if (client == NULL && name != NULL)
    client = g_hash_table_lookup (self->by_name, fold_key (self->key, name));
  /* Two different references are two different clients, whatever their names. */
  if (client != NULL && reference != NULL && *reference != '\0'
      && client->reference != NULL && strcmp (client->reference, reference) != 0)
    return NULL;
  return client;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step_done (Import        *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self->store, error);
  return TRUE;
}

#define INSERT_CLIENT_SQL \
  "INSERT INTO clients (name, reference, email, cc, phone, language, country, timezone, " \
  "kind, segment, notes, street, postcode, city) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
/* The same columns then the id, for batches. */
#define CLIENT_COLUMNS 15
#define INSERT_CLIENTS_HEAD \
  "INSERT INTO clients (name, reference, email, cc, phone, language, country, timezone, " \
  "kind, segment, notes, street, postcode, city, id)"
#define INSERT_INVOICES_HEAD \
  "INSERT INTO invoices (id, number, client_id, issue_date, due_date, total, currency, " \
  "status, notes)"
#define INSERT_PAYMENTS_HEAD \
  "INSERT INTO payments (invoice_id, date, amount, method)"
#define UPDATE_CLIENT_SQL \
  "UPDATE clients SET name = ?1, reference = ?2, email = ?3, cc = ?4, phone = ?5, " \
  "language = ?6, country = ?7, timezone = ?8, kind = ?9, segment = ?10, notes = ?11, " \
  "street = ?12, postcode = ?13, city = ?14 WHERE id = ?15"

/* Binds the client's fields to parameters @base + 1 to @base + 14. */
static void
bind_client (sqlite3_stmt        *stmt,
             int                  base,
             const RelanceClient *client)
{
  bind_text_or_null (stmt, base + 1, client->name);
  bind_text_or_null (stmt, base + 2, client->reference);
  bind_text_or_null (stmt, base + 3, client->email);
  bind_text_or_null (stmt, base + 4, client->cc);
  bind_text_or_null (stmt, base + 5, client->phone);
  bind_text_or_null (stmt, base + 6, client->language);
  bind_text_or_null (stmt, base + 7, client->country);
  bind_text_or_null (stmt, base + 8, client->timezone);
  bind_text_or_null (stmt, base + 9, client->kind);
  bind_text_or_null (stmt, base + 10, client->segment);
  bind_text_or_null (stmt, base + 11, client->notes);
  bind_text_or_null (stmt, base + 12, client->street);
  bind_text_or_null (stmt, base + 13, client->postcode);
  bind_text_or_null (stmt, base + 14, client->city);
}

typedef struct
{
  gint64      id;
  const char *number;
  gint64      client_id;
  char        issue[11];
  char        due[11];
  gint64      total;
  const char *currency;
  const char *status;   /* static */
  const char *notes;
} PendingInvoice;

typedef struct
{
  gint64 invoice_id;
  gint64 amount;
} PendingPayment;

/* Rows per multi-row INSERT: past a few dozen the gain flattens, and 64 rows of 12
 * parameters stay far below SQLite's limit on parameters. */
#define BATCH_ROWS 64
/* Pending invoices that trigger a flush, to keep the buffers small. */
#define FLUSH_ROWS 4096

typedef void (*BindRow) (Import       *self,
                         sqlite3_stmt *stmt,
                         int           base,
                         guint         index);

/* Inserts @n_rows rows with "@head VALUES (?, ...), ...", BATCH_ROWS at a time. */
static gboolean
insert_batches (Import      *self,
                const char  *head,
                guint        n_columns,
                guint        n_rows,
                BindRow      bind_row,
                GError     **error)
{
  for (guint done = 0; done < n_rows;)
    {
      guint n = MIN (BATCH_ROWS, n_rows - done);
      g_autoptr(GString) sql = g_string_new (head);
      sqlite3_stmt *stmt;

      for (guint r = 0; r < n; r++)
        {
          g_string_append (sql, r == 0 ? " VALUES (?" : ", (?");
          for (guint c = 1; c < n_columns; c++)
            g_string_append (sql, ", ?");
          g_string_append_c (sql, ')');
        }
      /* Cached by its text: only the full batch and the last remainder get prepared. */
      stmt = relance_store_prepare (self->store, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      for (guint r = 0; r < n; r++)
        bind_row (self, stmt, r * n_columns, done + r);
      if (!step_done (self, stmt, error))
        return FALSE;
      done += n;
    }
  return TRUE;
}

static void
bind_pending_client (Import       *self,
                     sqlite3_stmt *stmt,
                     int           base,
                     guint         index)
{
  const RelanceClient *client = g_ptr_array_index (self->pending_clients, index);

  bind_client (stmt, base, client);
  sqlite3_bind_int64 (stmt, base + CLIENT_COLUMNS, client->id);
}

static void
bind_pending_invoice (Import       *self,
                      sqlite3_stmt *stmt,
                      int           base,
                      guint         index)
{
  const PendingInvoice *p = &g_array_index (self->pending_invoices, PendingInvoice, index);

  sqlite3_bind_int64 (stmt, base + 1, p->id);
  sqlite3_bind_text (stmt, base + 2, p->number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 3, p->client_id);
  sqlite3_bind_text (stmt, base + 4, p->issue, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, base + 5, p->due, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 6, p->total);
  sqlite3_bind_text (stmt, base + 7, p->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, base + 8, p->status, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, base + 9, p->notes);
}

static void
bind_pending_payment (Import       *self,
                      sqlite3_stmt *stmt,
                      int           base,
                      guint         index)
{
  const PendingPayment *p = &g_array_index (self->pending_payments, PendingPayment, index);

  sqlite3_bind_int64 (stmt, base + 1, p->invoice_id);
  sqlite3_bind_text (stmt, base + 2, self->today, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, base + 3, p->amount);
  sqlite3_bind_text (stmt, base + 4, "import", -1, SQLITE_STATIC);
}

/* Writes the pending clients: before anything that may refer to them. */
static gboolean
flush_clients (Import  *self,
               GError **error)
{
  if (!insert_batches (self, INSERT_CLIENTS_HEAD, CLIENT_COLUMNS, self->pending_clients->len,
                       bind_pending_client, error))
    return FALSE;
  g_ptr_array_set_size (self->pending_clients, 0);
  return TRUE;
}

/* Writes everything pending, in the order the foreign keys need. */
static gboolean
flush_pending (Import  *self,
               GError **error)
{
  if (!flush_clients (self, error)
      || !insert_batches (self, INSERT_INVOICES_HEAD, 9, self->pending_invoices->len,
                          bind_pending_invoice, error)
      || !insert_batches (self, INSERT_PAYMENTS_HEAD, 4, self->pending_payments->len,
                          bind_pending_payment, error))
    return FALSE;
  g_array_set_size (self->pending_invoices, 0);
  g_array_set_size (self->pending_payments, 0);
  return TRUE;
}

static gboolean
query_max_id (Import      *self,
              const char  *sql,
              gint64      *out_id,
              GError     **error)
{
  sqlite3_stmt *stmt = relance_store_prepare (self->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return relance_store_set_error (self->store, error);
  *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Adds @client (owned by the import from now on) to the store, or pretends to. */
static gboolean
create_client (Import         *self,
               RelanceClient  *client,
               GError        **error)
{
  g_ptr_array_add (self->clients, client);
  if (self->options->dry_run)
    client->id = --self->next_fake_id;
  else if (self->pending_clients != NULL)
    {
      client->id = ++self->last_client_id;
      g_ptr_array_add (self->pending_clients, client);
    }
  else
    {
      sqlite3_stmt *stmt = relance_store_prepare (self->store, INSERT_CLIENT_SQL, error);

      if (stmt == NULL)
        return FALSE;
      bind_client (stmt, 0, client);
      if (!step_done (self, stmt, error))
        return FALSE;
      client->id = sqlite3_last_insert_rowid (relance_store_get_db (self->store));
    }
  index_client (self, client);
  return TRUE;
}

static char *
dup_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* Every thousand rows: stop when cancelled (nothing is committed), report progress. */
static gboolean
every_thousand_rows (Import                 *self,
                     guint                   i,
                     RelanceImportProgress   progress,
                     gpointer                progress_data,
                     GCancellable           *cancellable,
                     GError                **error)
{
  if (i % 1000 != 0 || i == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress (i, self->rows->len, progress_data);
  return TRUE;
}

/* Filling a near-empty table with many rows is faster without its secondary indexes, built
 * once at the end from sorted keys, than with every row inserted into each of them. The
 * indexes of invoices and payments are dropped here and created again by
 * restore_indexes() in the same transaction, from their own definitions in the schema, so
 * the import can never leave them different or missing (a failure rolls everything back).
 * The UNIQUE key on the number is not an index of its own and stays. */
#define BULK_ROWS 20000

static gboolean
drop_indexes_for_bulk (Import  *self,
                       GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (self->rows->len < BULK_ROWS || self->rows->len < 2 * (gsize) self->n_existing)
    return TRUE;
  stmt = relance_store_prepare (self->store,
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN ('invoices', 'payments')", error);
  if (stmt == NULL)
    return FALSE;
  self->dropped_indexes = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (self->dropped_indexes,
                       g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return relance_store_set_error (self->store, error);
  for (guint i = 0; i < names->len; i++)
    {
      /* Names come from the schema itself; quoted as SQL identifiers all the same. */
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (names, i), "\"", -1);
      g_autofree char *quoted = g_strjoinv ("\"\"", parts);
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", quoted);

      if (!relance_store_exec (self->store, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_indexes (Import  *self,
                 GError **error)
{
  for (guint i = 0; self->dropped_indexes != NULL && i < self->dropped_indexes->len; i++)
    if (!relance_store_exec (self->store, g_ptr_array_index (self->dropped_indexes, i), error))
      return FALSE;
  g_clear_pointer (&self->dropped_indexes, g_ptr_array_unref);
  return TRUE;
}

static gboolean
apply_invoices (Import                 *self,
                RelanceImportProgress   progress,
                gpointer                progress_data,
                GCancellable           *cancellable,
                GError                **error)
{
  gboolean dry = self->options->dry_run;
  sqlite3_stmt *update = NULL;
  GDate today_date;

  relance_clock_today (NULL, &today_date);
  iso_from_julian (g_date_get_julian (&today_date), self->today);

  if (!dry)
    {
      if (!query_max_id (self, "SELECT coalesce(max(id), 0) FROM clients",
                         &self->last_client_id, error)
          || !query_max_id (self, "SELECT coalesce(max(id), 0) FROM invoices",
                            &self->last_invoice_id, error))
        return FALSE;
      self->pending_clients = g_ptr_array_new ();
      self->pending_invoices = g_array_sized_new (FALSE, FALSE, sizeof (PendingInvoice),
                                                  FLUSH_ROWS);
      self->pending_payments = g_array_new (FALSE, FALSE, sizeof (PendingPayment));
      if (!drop_indexes_for_bulk (self, error))
        return FALSE;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const InvoiceRow *row = &g_array_index (self->rows, InvoiceRow, i);
      Existing *e = g_hash_table_lookup (self->invoices, row->number);
      RelanceClient *client;
      const char *status;
      const char *currency;
      const char *notes;
      gint64 invoice_id;
      gint64 recorded;
      gint64 payments[2] = { 0, 0 };
      gboolean changed = FALSE;

      if (!every_thousand_rows (self, i, progress, progress_data, cancellable, error))
        return FALSE;

      client = match_client (self, row->reference, row->email, row->client);
      if (client == NULL)
        {
          client = g_new0 (RelanceClient, 1);
          client->name = g_strdup (row->client);
          client->reference = dup_or_null (row->reference);
          client->email = dup_or_null (row->email);
          client->language = g_strdup (row->language ? row->language : self->default_language);
          client->country = dup_or_null (row->country);
          client->street = dup_or_null (row->street);
          client->postcode = dup_or_null (row->postcode);
          client->city = dup_or_null (row->city);
          client->kind = g_strdup (row->kind ? row->kind : "business");
          client->segment = g_strdup ("regular");
          if (!create_client (self, client, error))
            return FALSE;
          self->report->clients_created++;
        }

      /* Cells left empty, and columns the file lacks, keep what the store has. */
      switch (row->status)
        {
        case STATUS_CANCELLED:
          status = "cancelled";
          break;
        case STATUS_DISPUTED:
          status = "disputed";
          break;
        case STATUS_OPEN:
        case STATUS_PAID:
          status = "open";
          break;
        case STATUS_NONE:
        case STATUS_DRAFT: /* left out in validation */
        default:
          status = e != NULL ? e->status : "open";
          break;
        }
      currency = e != NULL && !row->currency_given ? e->currency : row->currency;
      notes = row->notes != NULL ? (*row->notes != '\0' ? row->notes : NULL)
                                 : (e != NULL ? e->notes : NULL);

      if (e == NULL)
        {
          recorded = 0;
          invoice_id = 0;
          if (!dry)
            {
              PendingInvoice p;

              if (self->pending_invoices->len >= FLUSH_ROWS && !flush_pending (self, error))
                return FALSE;
              p.id = invoice_id = ++self->last_invoice_id;
              p.number = row->number;
              p.client_id = client->id;
              iso_from_julian (row->issue, p.issue);
              iso_from_julian (row->due, p.due);
              p.total = row->total;
              p.currency = currency;
              p.status = status;
              p.notes = notes;
              g_array_append_val (self->pending_invoices, p);
            }
          self->report->created++;
        }
      else
        {
          invoice_id = e->id;
          recorded = e->paid;
          changed = e->client_id != client->id || e->issue != row->issue || e->due != row->due
                    || e->total != row->total || strcmp (e->currency, currency) != 0
                    || strcmp (e->status, status) != 0 || g_strcmp0 (e->notes, notes) != 0;
          if (changed && !dry)
            {
              char issue[11], due[11];

              /* The client may be one this import created. */
              if (self->pending_clients->len > 0 && !flush_clients (self, error))
                return FALSE;
              update = relance_store_prepare (self->store,
                "UPDATE invoices SET client_id = ?2, issue_date = ?3, due_date = ?4, "
                "total = ?5, currency = ?6, status = ?7, notes = ?8 WHERE id = ?1", error);
              if (update == NULL)
                return FALSE;
              iso_from_julian (row->issue, issue);
              iso_from_julian (row->due, due);
              sqlite3_bind_int64 (update, 1, e->id);
              sqlite3_bind_int64 (update, 2, client->id);
              sqlite3_bind_text (update, 3, issue, -1, SQLITE_STATIC);
              sqlite3_bind_text (update, 4, due, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (update, 5, row->total);
              sqlite3_bind_text (update, 6, currency, -1, SQLITE_STATIC);
              sqlite3_bind_text (update, 7, status, -1, SQLITE_STATIC);
              bind_text_or_null (update, 8, notes);
              if (!step_done (self, update, error))
                return FALSE;
            }
        }

      /* What the file says was paid, beyond what is recorded; then the rest when the
       * status says the invoice is settled. */
      if (row->paid > recorded)
        {
          payments[0] = row->paid - recorded;
          recorded = row->paid;
        }
      if (row->status == STATUS_PAID && row->total > recorded)
        payments[1] = row->total - recorded;
      for (guint k = 0; k < G_N_ELEMENTS (payments); k++)
        {
          if (payments[k] <= 0)
            continue;
          changed = TRUE;
          if (!dry)
            {
              PendingPayment p = { invoice_id, payments[k] };

              g_array_append_val (self->pending_payments, p);
            }
        }

      if (e != NULL)
        {
          if (changed)
            self->report->updated++;
          else
            self->report->unchanged++;
        }
    }
  return dry || (flush_pending (self, error) && restore_indexes (self, error));
}

/* Replaces *@field with @value when the file has the column (@value not NULL); an empty
 * cell clears an optional field. Returns whether it changed. */
static gboolean
merge (char       **field,
       const char  *value,
       gboolean     optional)
{
  const char *wanted;

  if (value == NULL || (!optional && *value == '\0'))
    return FALSE;
  wanted = *value != '\0' ? value : NULL;
  if (g_strcmp0 (*field, wanted) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (wanted);
  return TRUE;
}

static gboolean
apply_clients (Import                 *self,
               RelanceImportProgress   progress,
               gpointer                progress_data,
               GCancellable           *cancellable,
               GError                **error)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      const ClientRow *row = &g_array_index (self->rows, ClientRow, i);
      RelanceClient *client;
      gboolean is_new = FALSE;
      gboolean changed = FALSE;

      if (!every_thousand_rows (self, i, progress, progress_data, cancellable, error))
        return FALSE;

      client = match_client (self, row->reference, row->email, row->name);
      if (client == NULL)
        {
          client = g_new0 (RelanceClient, 1);
          client->language = g_strdup (self->default_language);
          client->kind = g_strdup ("business");
          client->segment = g_strdup ("regular");
          is_new = TRUE;
        }
      changed |= merge (&client->name, row->name, FALSE);
      changed |= merge (&client->reference, row->reference, TRUE);
      changed |= merge (&client->email, row->email, TRUE);
      changed |= merge (&client->cc, row->cc, TRUE);
      changed |= merge (&client->phone, row->phone, TRUE);
      changed |= merge (&client->language, row->language, FALSE);
      changed |= merge (&client->country, row->country, TRUE);
      changed |= merge (&client->timezone, row->timezone, TRUE);
      changed |= merge (&client->kind, row->kind, FALSE);
      changed |= merge (&client->segment, row->segment, FALSE);
      changed |= merge (&client->notes, row->notes, TRUE);
      changed |= merge (&client->street, row->street, TRUE);
      changed |= merge (&client->postcode, row->postcode, TRUE);
      changed |= merge (&client->city, row->city, TRUE);

      if (is_new)
        {
          if (!create_client (self, client, error))
            return FALSE;
          self->report->created++;
          continue;
        }
      if (!changed)
        {
          self->report->unchanged++;
          continue;
        }
      self->report->updated++;
      /* The keys may have changed: index again (old keys stay, harmless within one file). */
      index_client (self, client);
      if (!self->options->dry_run)
        {
          sqlite3_stmt *stmt = relance_store_prepare (self->store, UPDATE_CLIENT_SQL, error);

          if (stmt == NULL)
            return FALSE;
          bind_client (stmt, 0, client);
          sqlite3_bind_int64 (stmt, CLIENT_COLUMNS, client->id);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------- */

void
relance_import_report_free (RelanceImportReport *report)
{
  if (report == NULL)
    return;
  g_free (report->path);
  g_free (report->encoding);
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_clear_pointer (&report->ignored_columns, g_ptr_array_unref);
  g_clear_pointer (&report->fields, g_ptr_array_unref);
  g_clear_pointer (&report->preview_rows, g_ptr_array_unref);
  g_free (report->profile);
  g_free (report->sheet);
  g_free (report);
}

static RelanceImportReport *
report_new (const char *path)
{
  RelanceImportReport *report = g_new0 (RelanceImportReport, 1);

  report->path = g_strdup (path);
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->ignored_columns = g_ptr_array_new_with_free_func (g_free);
  report->fields = g_ptr_array_new_with_free_func (g_free);
  report->preview_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return report;
}

/* How many rows the preview shows. */
#define PREVIEW_ROWS 10

static void
fill_preview (Import *self)
{
  guint n = MIN (relance_csv_get_n_records (self->csv), self->header + PREVIEW_ROWS + 1);

  /* From the header on: the titles above it are not part of the table. */
  for (guint r = self->header; r < n; r++)
    {
      guint n_fields = relance_csv_get_n_fields (self->csv, r);
      char **values = g_new0 (char *, n_fields + 1);

      for (guint f = 0; f < n_fields; f++)
        values[f] = g_strdup (relance_csv_get_field (self->csv, r, f));
      g_ptr_array_add (self->report->preview_rows, values);
    }
}

static int
query_pragma (RelanceStore *store,
              const char   *pragma)
{
  sqlite3_stmt *stmt = relance_store_prepare (store, pragma, NULL);
  int value = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

static gboolean
refuse (Import  *self,
        GError **error)
{
  guint n = self->report->errors->len;

  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IMPORT,
               /* Translators: %s is a file name; the first sentence is about a count */
               g_dngettext (GETTEXT_PACKAGE,
                            "%u problem was found in “%s”. Nothing was imported.",
                            "%u problems were found in “%s”. Nothing was imported.", n),
               n, self->path);
  return FALSE;
}

gboolean
relance_import_file (RelanceStore                *store,
                     const char                  *path,
                     const RelanceImportOptions  *options,
                     RelanceImportProgress        progress,
                     gpointer                     progress_data,
                     GCancellable                *cancellable,
                     RelanceImportReport        **out_report,
                     GError                     **error)
{
  g_autoptr(RelanceImportReport) report = NULL;
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(GError) local_error = NULL;
  Import self = { 0 };
  gboolean in_transaction = FALSE;
  gboolean ok = FALSE;
  guint error_line = 0;
  int cache_size = 0;
  int temp_store = -1;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL && options != NULL, FALSE);

  if (out_report != NULL)
    *out_report = NULL;

  report = report_new (path);
  csv = relance_import_read (store, path, options->sheet_name, &self.source, report->errors,
                             &error_line, &local_error);
  if (csv == NULL && error_line == 0 && report->errors->len == 0)
    {
      relance_import_source_clear (&self.source);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self.store = store;
  self.path = path;
  self.options = options;
  self.report = report;
  self.csv = csv;
  self.key = g_string_new (NULL);

  if (csv == NULL)
    {
      if (local_error != NULL)
        add_error (&self, error_line, "%s", local_error->message);
      refuse (&self, error);
      goto out;
    }

  report->encoding = g_strdup (relance_csv_get_encoding (csv));
  report->sheet = g_strdup (self.source.sheet);
  report->credit_notes = self.source.credit_notes;
  report->separator = relance_csv_get_separator (csv);

  if (relance_csv_get_n_records (csv) == 0)
    {
      add_error (&self, 1, _("The file is empty."));
      refuse (&self, error);
      goto out;
    }
  self.header = find_header (&self);
  self.header_line = relance_csv_get_line (csv, self.header);
  self.n_columns = relance_csv_get_n_fields (csv, self.header);
  report->header_line = self.header_line;
  report->skipped_above_header = self.header;
  fill_preview (&self);
  self.profile = detect_profile (&self);
  if (self.profile != NULL)
    report->profile = g_strdup (relance_import_profile_get_name (self.profile));
  if (!map_columns (&self))
    {
      refuse (&self, error);
      goto out;
    }
  if (relance_csv_get_n_records (csv) == self.header + 1)
    {
      add_error (&self, self.header_line, _("The file has a header line but no data rows."));
      refuse (&self, error);
      goto out;
    }

  company = relance_store_get_company (store, NULL);
  self.default_currency = g_strdup (company != NULL && company->currency != NULL
                                    ? company->currency : "EUR");
  self.default_language = g_strdup (company != NULL && company->language != NULL
                                    ? company->language : "fr");
  decide_date_order (&self, company != NULL ? company->country : NULL);

  /* A big page cache keeps the indexes of a large import in memory until the commit. */
  cache_size = query_pragma (store, "PRAGMA cache_size");
  relance_store_exec (store, "PRAGMA cache_size = -65536", NULL);
  /* Each multi-row INSERT keeps a statement journal (to undo its first rows when a later
   * one fails): in memory it costs a copy, in a temporary file a write per page. */
  temp_store = query_pragma (store, "PRAGMA temp_store");
  relance_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);

  /* Take the write lock before reading what exists, so nothing changes in between. */
  if (!options->dry_run)
    {
      if (!relance_store_begin (store, error))
        goto out;
      in_transaction = TRUE;
    }

  self.strings = g_string_chunk_new (64 * 1024);
  self.clients = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_client_free);
  self.by_reference = g_hash_table_new (g_str_hash, g_str_equal);
  self.by_email = g_hash_table_new (g_str_hash, g_str_equal);
  self.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self.invoices = g_hash_table_new (g_str_hash, g_str_equal);
  if (!load_clients (&self, error))
    goto out;
  if (options->kind == RELANCE_IMPORT_INVOICES && !load_invoices (&self, error))
    goto out;

  if (options->kind == RELANCE_IMPORT_INVOICES)
    validate_invoices (&self, cancellable);
  else
    validate_clients (&self, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (report->errors->len > 0)
    {
      refuse (&self, error);
      goto out;
    }

  if (options->kind == RELANCE_IMPORT_INVOICES
      ? !apply_invoices (&self, progress, progress_data, cancellable, error)
      : !apply_clients (&self, progress, progress_data, cancellable, error))
    goto out;

  if (in_transaction)
    {
      if (!relance_store_commit (store, error))
        goto out;
      in_transaction = FALSE;
    }
  if (progress != NULL)
    progress (self.rows->len, self.rows->len, progress_data);
  ok = TRUE;

out:
  if (in_transaction)
    relance_store_rollback (store);
  if (cache_size != 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %d", cache_size);
      relance_store_exec (store, sql, NULL);
    }
  if (temp_store >= 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA temp_store = %d", temp_store);
      relance_store_exec (store, sql, NULL);
    }
  import_clear (&self);
  if (out_report != NULL)
    *out_report = g_steal_pointer (&report);
  return ok;
}
