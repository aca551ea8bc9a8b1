/* relance-import-map.c: which column of an import holds which field: the header row
 * (French and English synonyms, a recognised tool's own names, or --map), the order of day
 * and month, what a paid column and the amounts are written like. */
#include "config.h"

#include "relance-import-private.h"

/* ---- fields ------------------------------------------------------------------------- */

const FieldInfo relance_import_field_info[N_FIELDS] = {
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
      if (!(relance_import_field_info[f].kinds & (1u << kind)))
        continue;
      if ((*plain != '\0' && in_word_list (relance_import_field_info[f].synonyms, plain))
          || in_word_list (relance_import_field_info[f].synonyms, full))
        return f;
    }
  return -1;
}

/* ---- headers ------------------------------------------------------------------------ */

/* How far down a title, an export date or filters may push the header. */
#define HEADER_SEARCH 10

/* The header is the first record, among the first few, that names at least two fields
 * (or holds a header named by --map); the records above it are skipped. When none does,
 * the first record is taken, so that the missing columns are reported against it. */
guint
relance_import_find_header (Import *self)
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
const RelanceImportProfile *
relance_import_detect_profile (Import *self)
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
        if ((relance_import_field_info[f].kinds & (1u << self->options->kind))
            && strcmp (relance_import_field_info[f].key, key) == 0)
          return f;
    }
  return field_from_header (self->options->kind, header);
}

/* Day or month first is decided once for the whole file: a first part above 12 means day
 * first, a second part above 12 month first. When no row tells, the company's country
 * decides (month first only in the United States) and the report says it was assumed. */
void
relance_import_decide_date_order (Import     *self,
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

gboolean
relance_import_map_columns (Import *self)
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
            if ((relance_import_field_info[f].kinds & (1u << kind))
                && g_ascii_strcasecmp (key, relance_import_field_info[f].key) == 0)
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
              const char *text = relance_csv_get_field (self->csv, self->header, c);
              g_autofree char *header = relance_import_normalise (text, FALSE);

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
                       g_strdup_printf ("%s=%s", relance_import_field_info[f].key,
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
                     _(relance_import_field_info[required[i]].example),
                     relance_import_field_info[required[i]].key);
          ok = FALSE;
        }
  }
  return ok;
}

/* ---- values of whole columns -------------------------------------------------------- */

/* Paid flags: a "Payée" / "Paid" column of yes/no values instead of an amount. */
static const Word flag_words[] = {
  { "oui", 1 }, { "yes", 1 }, { "true", 1 }, { "vrai", 1 }, { "1", 1 }, { "x", 1 },
  { "y", 1 }, { "o", 1 },
  { "non", 2 }, { "no", 2 }, { "false", 2 }, { "faux", 2 }, { "0", 2 }, { "n", 2 },
};

int
relance_import_flag (const char *value)
{
  g_autofree char *word = relance_import_normalise (value, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (flag_words); i++)
    if (strcmp (word, flag_words[i].word) == 0)
      return flag_words[i].value;
  return 0;
}

/* A paid column that holds yes/no (or 1/0) for every row is a flag, not an amount. */
gboolean
relance_import_column_is_flag (Import *self,
                Field   field)
{
  guint n = relance_csv_get_n_records (self->csv);
  gboolean any = FALSE;

  if (self->columns[field] < 0)
    return FALSE;
  for (guint r = self->header + 1; r < n; r++)
    {
      const char *value = cell (self, r, field);

      if (value == NULL || *value == '\0')
        continue;
      if (relance_import_flag (value) == 0)
        return FALSE;
      any = TRUE;
    }
  return any;
}

/* Per file column: if the values that tell agree on a decimal separator, that one;
 * when none tells, the habit that goes with the separator. */
RelanceDecimalHint
relance_import_column_hint (Import *self,
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
