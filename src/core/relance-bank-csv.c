/* relance-bank-csv.c: the banks' CSV exports, read with the profiles of bank/profiles.ini
 * (the columns, the date and amount formats each bank writes). */
#include "config.h"

#include "relance-bank-private.h"
#include "relance-core-resources.h"
#include "relance-csv.h"
#include "relance-date.h"
#include "relance-import-profiles.h"
#include "relance-money.h"

#define PROFILES_PATH "/com/example/Relance/core/bank/profiles.ini"
/* Lines before a CSV header (account number, period, balance) the reader looks through. */
#define MAX_PREAMBLE 30

typedef struct
{
  char       *id;
  char       *name;
  GStrv       detect;    /* normalised */
  GHashTable *fields;    /* normalised header → field (interned) */
  GStrv       settled;   /* normalised */
  char       *currency;
  char        decimal;
  gboolean    ymd;
} BankProfile;

static const char * const profile_keys[] = {
  "Name", "Detect", "Settled", "Currency", "Decimal", "Dates", NULL,
};

static void
bank_profile_free (BankProfile *profile)
{
  g_free (profile->id);
  g_free (profile->name);
  g_strfreev (profile->detect);
  g_strfreev (profile->settled);
  g_free (profile->currency);
  g_clear_pointer (&profile->fields, g_hash_table_unref);
  g_free (profile);
}

static GStrv
normalised_list (GKeyFile   *file,
                 const char *group,
                 const char *key)
{
  g_auto(GStrv) values = g_key_file_get_string_list (file, group, key, NULL, NULL);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    g_ptr_array_add (out, relance_import_normalise (values[i], FALSE));
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

static GPtrArray *
bank_profiles (void)
{
  static gsize once = 0;
  static GPtrArray *list = NULL;

  if (g_once_init_enter (&once))
    {
      GPtrArray *profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) bank_profile_free);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (relance_core_get_resource (),
                                                        PROFILES_PATH,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(GKeyFile) file = g_key_file_new ();
      g_auto(GStrv) groups = NULL;

      if (bytes != NULL && g_key_file_load_from_bytes (file, bytes, G_KEY_FILE_NONE, NULL))
        groups = g_key_file_get_groups (file, NULL);
      else
        g_warning ("Bank profiles could not be read");
      for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
        {
          BankProfile *profile = g_new0 (BankProfile, 1);
          g_auto(GStrv) keys = g_key_file_get_keys (file, groups[i], NULL, NULL);
          g_autofree char *decimal = g_key_file_get_string (file, groups[i], "Decimal", NULL);
          g_autofree char *dates = g_key_file_get_string (file, groups[i], "Dates", NULL);

          profile->id = g_strdup (groups[i]);
          profile->name = g_key_file_get_string (file, groups[i], "Name", NULL);
          profile->detect = normalised_list (file, groups[i], "Detect");
          profile->settled = normalised_list (file, groups[i], "Settled");
          profile->currency = g_key_file_get_string (file, groups[i], "Currency", NULL);
          profile->decimal = g_strcmp0 (decimal, "dot") == 0 ? '.' : ',';
          profile->ymd = g_strcmp0 (dates, "ymd") == 0;
          profile->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
            {
              g_auto(GStrv) headers = NULL;

              if (g_strv_contains (profile_keys, keys[k]))
                continue;
              headers = normalised_list (file, groups[i], keys[k]);
              for (guint h = 0; headers[h] != NULL; h++)
                g_hash_table_insert (profile->fields, g_strdup (headers[h]),
                                     (gpointer) g_intern_string (keys[k]));
            }
          g_ptr_array_add (profiles, profile);
        }
      list = profiles;
      g_once_init_leave (&once, 1);
    }
  return list;
}

GStrv
relance_bank_profile_ids (void)
{
  GPtrArray *profiles = bank_profiles ();
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv ids;

  for (guint i = 0; i < profiles->len; i++)
    g_strv_builder_add (builder, ((BankProfile *) g_ptr_array_index (profiles, i))->id);
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

const char *
relance_bank_profile_name (const char *id)
{
  GPtrArray *profiles = bank_profiles ();

  for (guint i = 0; i < profiles->len; i++)
    {
      BankProfile *profile = g_ptr_array_index (profiles, i);

      if (g_strcmp0 (profile->id, id) == 0)
        return profile->name;
    }
  return NULL;
}

/* The profile whose Detect headers are all in record @r, the one with most on a tie. */
static BankProfile *
detect_profile (RelanceCsv *csv,
                guint       r)
{
  GPtrArray *profiles = bank_profiles ();
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  BankProfile *best = NULL;
  guint best_count = 0;

  for (guint f = 0; f < relance_csv_get_n_fields (csv, r); f++)
    g_ptr_array_add (headers, relance_import_normalise (relance_csv_get_field (csv, r, f), FALSE));
  g_ptr_array_add (headers, NULL);
  for (guint i = 0; i < profiles->len; i++)
    {
      BankProfile *profile = g_ptr_array_index (profiles, i);
      guint count = g_strv_length (profile->detect);
      gboolean all = count > 0;

      for (guint d = 0; all && profile->detect[d] != NULL; d++)
        all = g_strv_contains ((const char * const *) headers->pdata, profile->detect[d]);
      if (all && count > best_count)
        {
          best = profile;
          best_count = count;
        }
    }
  return best;
}

static const char *
csv_field (RelanceCsv  *csv,
           guint        r,
           int          column)
{
  return column >= 0 ? relance_csv_get_field (csv, r, (guint) column) : "";
}

static gboolean
csv_date (const char  *text,
          gboolean     ymd,
          GDate       *out)
{
  g_autofree char *day = g_strdup (text);
  char *cut = strpbrk (day, " T");

  if (cut != NULL)
    *cut = '\0';
  g_date_clear (out, 1);
  if (ymd || (strlen (day) == 10 && day[4] == '-'))
    return relance_date_from_iso (day, out);
  return relance_date_parse (day, RELANCE_DATE_ORDER_DMY, out, NULL);
}

RelanceBankStatement *
relance_bank_read_csv (const char  *name,
                       GBytes      *bytes,
                       GError     **error)
{
  g_autoptr(RelanceCsv) csv = NULL;
  g_autoptr(RelanceBankStatement) statement = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  BankProfile *profile = NULL;
  guint header = 0, error_line = 0;
  int date_col = -1, amount_col = -1, credit_col = -1, debit_col = -1, currency_col = -1;
  int payer_col = -1, reference_col = -1, id_col = -1, status_col = -1, value_col = -1;

  csv = relance_csv_parse (data, size, &error_line, &local);
  if (csv == NULL)
    {
      relance_bank_fail_at (error, name, error_line, "%s", local->message);
      return NULL;
    }
  for (header = 0; header < relance_csv_get_n_records (csv) && header < MAX_PREAMBLE; header++)
    if ((profile = detect_profile (csv, header)) != NULL)
      break;
  if (profile == NULL)
    {
      relance_bank_fail_at (error, name, 0, "%s",
                            _("This file is not a statement Relance reads: not CAMT (ISO "
                              "20022 XML), not OFX, and not the CSV export of a bank it "
                              "knows."));
      return NULL;
    }
  statement = relance_bank_statement_new (name, "CSV");
  statement->bank = g_strdup (profile->name);

  /* Columns in the header's order; for labels, in the profile's order of headers. */
  for (guint f = 0; f < relance_csv_get_n_fields (csv, header); f++)
    {
      g_autofree char *normal =
        relance_import_normalise (relance_csv_get_field (csv, header, f), FALSE);
      const char *field = g_hash_table_lookup (profile->fields, normal);
      int *slot = NULL;

      if (field == NULL)
        continue;
      if (g_str_equal (field, "date")) slot = &date_col;
      else if (g_str_equal (field, "value_date")) slot = &value_col;
      else if (g_str_equal (field, "amount")) slot = &amount_col;
      else if (g_str_equal (field, "credit")) slot = &credit_col;
      else if (g_str_equal (field, "debit")) slot = &debit_col;
      else if (g_str_equal (field, "currency")) slot = &currency_col;
      else if (g_str_equal (field, "payer")) slot = &payer_col;
      else if (g_str_equal (field, "reference")) slot = &reference_col;
      else if (g_str_equal (field, "id")) slot = &id_col;
      else if (g_str_equal (field, "status")) slot = &status_col;
      else if (g_str_equal (field, "label"))
        g_ptr_array_add (labels, GINT_TO_POINTER (f));
      if (slot != NULL && *slot < 0)
        *slot = (int) f;
    }
  if (date_col < 0)
    date_col = value_col;

  for (guint r = header + 1; r < relance_csv_get_n_records (csv); r++)
    {
      guint line = relance_csv_get_line (csv, r);
      g_autoptr(RelanceBankCredit) credit = NULL;
      g_autoptr(GString) label = g_string_new (NULL);
      const char *currency = currency_col >= 0 && *csv_field (csv, r, currency_col) != '\0'
                               ? csv_field (csv, r, currency_col)
                               : profile->currency != NULL ? profile->currency : "EUR";
      const char *amount_text;
      gint64 amount = 0;

      if (status_col >= 0 && profile->settled[0] != NULL)
        {
          g_autofree char *status = relance_import_normalise (csv_field (csv, r, status_col),
                                                              FALSE);

          if (!g_strv_contains ((const char * const *) profile->settled, status))
            continue;
        }
      if (!relance_currency_is_known (currency))
        {
          relance_bank_fail_at (error, name, line, _("“%s” is not a currency code."), currency);
          return NULL;
        }
      if (amount_col >= 0)
        amount_text = csv_field (csv, r, amount_col);
      else if (credit_col >= 0 && *csv_field (csv, r, credit_col) != '\0')
        amount_text = csv_field (csv, r, credit_col);
      else
        {
          /* A debit, or a line with no amount at all (a subtotal some banks add). */
          if (debit_col >= 0 && *csv_field (csv, r, debit_col) != '\0')
            statement->n_debits++;
          continue;
        }
      if (*amount_text == '\0')
        continue;
      g_clear_error (&local);
      if (!relance_bank_parse_amount (amount_text, profile->decimal, currency, &amount, &local))
        {
          relance_bank_fail_at (error, name, line, "%s", local->message);
          return NULL;
        }
      /* Credit columns hold positive amounts; a sign there still means money going out. */
      if (amount <= 0)
        {
          statement->n_debits++;
          continue;
        }
      credit = relance_bank_credit_new ();
      if (!csv_date (csv_field (csv, r, date_col), profile->ymd, &credit->date))
        {
          relance_bank_fail_at (error, name, line, _("“%s” is not a date."),
                                csv_field (csv, r, date_col));
          return NULL;
        }
      for (guint l = 0; l < labels->len; l++)
        {
          const char *part = csv_field (csv, r, GPOINTER_TO_INT (g_ptr_array_index (labels, l)));

          if (*part == '\0')
            continue;
          if (label->len > 0)
            g_string_append (label, " / ");
          g_string_append (label, part);
        }
      credit->amount = amount;
      credit->currency = g_ascii_strup (currency, -1);
      credit->account = g_strdup ("");
      credit->payer = g_strdup (csv_field (csv, r, payer_col));
      credit->label = relance_bank_squeeze (label->str);
      credit->reference = reference_col >= 0 && *csv_field (csv, r, reference_col) != '\0'
                            ? g_strdup (csv_field (csv, r, reference_col)) : NULL;
      credit->bank_id = id_col >= 0 && *csv_field (csv, r, id_col) != '\0'
                          ? g_strdup (csv_field (csv, r, id_col)) : NULL;
      credit->line = line;
      g_ptr_array_add (statement->credits, g_steal_pointer (&credit));
    }
  relance_bank_assign_keys (statement);
  return g_steal_pointer (&statement);
}
