/* relance-bank-match.c: matching bank credits to open invoices (rules in the header).
 *
 * Built once per statement over every open invoice: a table of invoice numbers without
 * punctuation (references made from a number are that number), a table of ids, the invoices
 * sorted by what they owe, and the grouped reminders. Each credit then costs a few lookups
 * per position of its label, whatever the number of invoices. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "relance-bank-match.h"
#include "relance-creditor-ref.h"
#include "relance-error.h"
#include "relance-money.h"

/* Invoice numbers shorter than this (once punctuation is gone) are not looked for in labels:
 * "12" would be found in any date. */
#define MIN_NUMBER_LENGTH 3
#define MAX_NUMBER_LENGTH 64

typedef struct
{
  gint64                  owed;
  RelanceBankOpenInvoice *invoice;
} ByAmount;

struct _RelanceBankMatcher
{
  GPtrArray  *invoices;
  GHashTable *groups;         /* reference → GArray of ids */
  GHashTable *by_id;          /* &id → invoice */
  GHashTable *by_number;      /* normalised number → invoice */
  guint64     lengths;        /* bit n: some normalised number has n characters */
  GArray     *by_amount;      /* of ByAmount, sorted by what was owed at build time */
  GHashTable *client_names;   /* client id → normalised name */
  GHashTable *group_sums;     /* &sum owed when built → GPtrArray of GArray of ids, lazily */
  GStringChunk *chunk;
};

void
relance_bank_open_invoice_free (RelanceBankOpenInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->number);
  g_free (invoice->client_name);
  g_free (invoice->currency);
  g_free (invoice);
}

void
relance_bank_match_clear (RelanceBankMatch *match)
{
  g_clear_pointer (&match->allocations, g_array_unref);
  g_clear_pointer (&match->note, g_free);
  match->kind = RELANCE_BANK_MATCH_NONE;
  match->rule = NULL;
  match->excess = 0;
}

/* Upper-case letters and digits only, into @out (at least MAX_NUMBER_LENGTH + 1 bytes);
 * FALSE when longer. */
static gboolean
normalise_number (const char *number,
                  char       *out)
{
  gsize n = 0;

  for (const char *p = number; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      {
        if (n == MAX_NUMBER_LENGTH)
          return FALSE;
        out[n++] = g_ascii_toupper (*p);
      }
  out[n] = '\0';
  return TRUE;
}

static int
compare_owed (gconstpointer a,
              gconstpointer b)
{
  const ByAmount *x = a, *y = b;

  return x->owed < y->owed ? -1 : x->owed > y->owed;
}

RelanceBankMatcher *
relance_bank_matcher_new (GPtrArray  *invoices,
                          GHashTable *groups)
{
  RelanceBankMatcher *self = g_new0 (RelanceBankMatcher, 1);
  char normal[MAX_NUMBER_LENGTH + 1];

  self->invoices = g_ptr_array_ref (invoices);
  self->groups = groups != NULL ? g_hash_table_ref (groups) : NULL;
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->by_number = g_hash_table_new (g_str_hash, g_str_equal);
  self->client_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->chunk = g_string_chunk_new (64 * 1024);
  self->by_amount = g_array_sized_new (FALSE, FALSE, sizeof (ByAmount), invoices->len);
  for (guint i = 0; i < invoices->len; i++)
    {
      RelanceBankOpenInvoice *invoice = g_ptr_array_index (invoices, i);
      gsize length;

      g_hash_table_insert (self->by_id, &invoice->id, invoice);
      g_array_append_val (self->by_amount, ((ByAmount) { invoice->outstanding, invoice }));
      if (!normalise_number (invoice->number, normal))
        continue;
      length = strlen (normal);
      if (length < MIN_NUMBER_LENGTH)
        continue;
      g_hash_table_insert (self->by_number, g_string_chunk_insert (self->chunk, normal), invoice);
      self->lengths |= G_GUINT64_CONSTANT (1) << MIN (length, 63);
    }
  g_array_sort (self->by_amount, compare_owed);
  return self;
}

void
relance_bank_matcher_free (RelanceBankMatcher *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->invoices);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->by_number);
  g_hash_table_unref (self->client_names);
  g_clear_pointer (&self->group_sums, g_hash_table_unref);
  g_array_unref (self->by_amount);
  g_string_chunk_free (self->chunk);
  g_free (self);
}

/* ---- names ------------------------------------------------------------------------ */

static const char * const legal_words[] = {
  "sarl", "sas", "sasu", "eurl", "sa", "sci", "snc", "selarl", "scop", "ei", "eirl", "ste",
  "societe", "ets", "etablissements", "ltd", "limited", "llc", "llp", "inc", "plc", "gmbh",
  "co", "cie", "corp", "company", "the", "et", "and", "mr", "mme", "m", "mlle", "dr",
  /* what banks put before the payer in a label */
  "vir", "virement", "sepa", "recu", "de", "du", "des", "from", "transfer", "inst", NULL,
};

char *
relance_bank_normalise_name (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name != NULL ? name : "", "C");
  g_auto(GStrv) words = NULL;
  GString *out = g_string_new (NULL);

  for (char *p = ascii; *p != '\0'; p++)
    *p = g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : ' ';
  words = g_strsplit (ascii, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0' || g_strv_contains (legal_words, words[i]))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

static guint
levenshtein (const char *a,
             const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* Every word of @inner is a word of @outer. */
static gboolean
words_within (const char *inner,
              const char *outer)
{
  g_auto(GStrv) words = g_strsplit (inner, " ", -1);
  g_auto(GStrv) others = g_strsplit (outer, " ", -1);

  if (words[0] == NULL)
    return FALSE;
  for (guint i = 0; words[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) others, words[i]))
      return FALSE;
  return TRUE;
}

static gboolean
normal_names_close (const char *payer,
                    const char *client)
{
  gsize lp = strlen (payer), lc = strlen (client);

  if (lp < 3 || lc < 3)
    return lp > 0 && g_str_equal (payer, client);
  if (g_str_equal (payer, client) || words_within (client, payer) || words_within (payer, client))
    return TRUE;
  return levenshtein (payer, client) <= MAX (1, MIN (lp, lc) / 6);
}

gboolean
relance_bank_names_close (const char *payer,
                          const char *client)
{
  g_autofree char *p = relance_bank_normalise_name (payer);
  g_autofree char *c = relance_bank_normalise_name (client);

  return normal_names_close (p, c);
}

static const char *
client_normal_name (RelanceBankMatcher           *self,
                    const RelanceBankOpenInvoice *invoice)
{
  char *name = g_hash_table_lookup (self->client_names, &invoice->client_id);

  if (name == NULL)
    {
      name = relance_bank_normalise_name (invoice->client_name);
      g_hash_table_insert (self->client_names, g_memdup2 (&invoice->client_id, sizeof (gint64)),
                           name);
    }
  return name;
}

/* ---- allocation ------------------------------------------------------------------- */

static void
allocate (RelanceBankMatch       *out,
          GPtrArray              *targets,
          gint64                  amount)
{
  gint64 left = amount;

  out->allocations = g_array_new (FALSE, FALSE, sizeof (RelanceBankAllocation));
  for (guint i = 0; i < targets->len && left > 0; i++)
    {
      RelanceBankOpenInvoice *invoice = g_ptr_array_index (targets, i);
      RelanceBankAllocation a = { invoice->id, MIN (left, invoice->outstanding) };

      if (a.amount <= 0)
        continue;
      g_array_append_val (out->allocations, a);
      left -= a.amount;
    }
  out->excess = left;
}

static void
consume (RelanceBankMatcher *self,
         RelanceBankMatch   *match)
{
  for (guint i = 0; match->allocations != NULL && i < match->allocations->len; i++)
    {
      RelanceBankAllocation *a = &g_array_index (match->allocations, RelanceBankAllocation, i);
      RelanceBankOpenInvoice *invoice = g_hash_table_lookup (self->by_id, &a->invoice_id);

      if (invoice != NULL)
        invoice->outstanding -= a->amount;
    }
}

static gint64
owed (GPtrArray *targets)
{
  gint64 sum = 0;

  for (guint i = 0; i < targets->len; i++)
    sum += MAX (((RelanceBankOpenInvoice *) g_ptr_array_index (targets, i))->outstanding, 0);
  return sum;
}

static const char *
other_currency (GPtrArray  *targets,
                const char *currency)
{
  for (guint i = 0; i < targets->len; i++)
    {
      RelanceBankOpenInvoice *invoice = g_ptr_array_index (targets, i);

      if (g_strcmp0 (invoice->currency, currency) != 0)
        return invoice->currency;
    }
  return NULL;
}

/* ---- the rules -------------------------------------------------------------------- */

/* The open invoices a valid reference stands for (empty when none is open). */
static GPtrArray *
invoices_of_reference (RelanceBankMatcher *self,
                       const char         *reference)
{
  GPtrArray *targets = g_ptr_array_new ();
  const char *id = reference + 4;
  GArray *group = self->groups != NULL ? g_hash_table_lookup (self->groups, reference) : NULL;

  if (group != NULL)
    {
      for (guint i = 0; i < group->len; i++)
        {
          RelanceBankOpenInvoice *invoice = g_hash_table_lookup (self->by_id,
                                                                 &g_array_index (group, gint64, i));
          if (invoice != NULL)
            g_ptr_array_add (targets, invoice);
        }
      return targets;
    }
  if (g_str_has_prefix (id, "INV"))
    {
      gint64 value = g_ascii_strtoll (id + 3, NULL, 36);
      RelanceBankOpenInvoice *invoice = g_hash_table_lookup (self->by_id, &value);

      if (invoice != NULL)
        {
          g_autofree char *ref = relance_creditor_ref_for_invoice (invoice->number, invoice->id);

          if (g_strcmp0 (ref, reference) == 0)
            g_ptr_array_add (targets, invoice);
        }
    }
  if (targets->len == 0)
    {
      RelanceBankOpenInvoice *invoice = g_hash_table_lookup (self->by_number, id);

      if (invoice != NULL)
        g_ptr_array_add (targets, invoice);
    }
  return targets;
}

static gboolean
rule_reference (RelanceBankMatcher      *self,
                const RelanceBankCredit *credit,
                RelanceBankMatch        *out,
                GString                 *notes)
{
  g_autofree char *reference = relance_creditor_ref_normalise (credit->reference);
  g_autofree char *invalid = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  const char *currency;

  if (reference == NULL)
    reference = relance_creditor_ref_find (credit->reference, &invalid);
  if (reference == NULL)
    {
      g_autofree char *invalid_label = NULL;

      reference = relance_creditor_ref_find (credit->label, &invalid_label);
      if (invalid == NULL)
        invalid = g_steal_pointer (&invalid_label);
    }
  if (reference == NULL)
    {
      if (invalid != NULL)
        /* Translators: %s is a payment reference as the payer typed it */
        g_string_append_printf (notes, _("The reference %s is typed wrong."), invalid);
      return FALSE;
    }
  targets = invoices_of_reference (self, reference);
  if (targets->len == 0)
    {
      /* Translators: %s is a payment reference (RF…) */
      g_string_append_printf (notes, _("No unpaid invoice has the reference %s."), reference);
      return FALSE;
    }
  if ((currency = other_currency (targets, credit->currency)) != NULL)
    {
      /* Translators: the first %s is a currency code (of the payment), the second too (of
       * the invoice) */
      g_string_append_printf (notes, _("Paid in %s, invoiced in %s."), credit->currency,
                              currency);
      return FALSE;
    }
  out->kind = RELANCE_BANK_MATCH_CERTAIN;
  out->rule = "reference";
  allocate (out, targets, credit->amount);
  return TRUE;
}

/* The invoices whose numbers are in @label, in the order they come; longest first at each
 * place, and each bounded by what is not a letter or a digit (or the label's ends). */
static GPtrArray *
numbers_in_label (RelanceBankMatcher *self,
                  const char         *label)
{
  GPtrArray *found = g_ptr_array_new ();
  gsize length = strlen (label);
  g_autofree char *normal = g_malloc (length + 1);
  g_autofree gsize *origin = g_new (gsize, length + 1);
  gsize n = 0;

  for (gsize i = 0; i < length; i++)
    if (g_ascii_isalnum (label[i]))
      {
        origin[n] = i;
        normal[n++] = g_ascii_toupper (label[i]);
      }
  normal[n] = '\0';

  for (gsize start = 0; start < n;)
    {
      RelanceBankOpenInvoice *best = NULL;
      gsize best_length = 0;

      /* A number starts where a word starts. */
      if (origin[start] > 0 && g_ascii_isalnum (label[origin[start] - 1]))
        {
          start++;
          continue;
        }
      for (gsize len = MIN (n - start, MAX_NUMBER_LENGTH); len >= MIN_NUMBER_LENGTH; len--)
        {
          char saved;
          RelanceBankOpenInvoice *invoice;
          gsize end;

          if (!(self->lengths & (G_GUINT64_CONSTANT (1) << MIN (len, 63))))
            continue;
          end = origin[start + len - 1] + 1;
          if (end < length && g_ascii_isalnum (label[end]))
            continue;
          saved = normal[start + len];
          normal[start + len] = '\0';
          invoice = g_hash_table_lookup (self->by_number, normal + start);
          normal[start + len] = saved;
          if (invoice != NULL)
            {
              best = invoice;
              best_length = len;
              break;
            }
        }
      if (best != NULL)
        {
          if (!g_ptr_array_find (found, best, NULL))
            g_ptr_array_add (found, best);
          start += best_length;
        }
      else
        start++;
    }
  return found;
}

static gboolean
rule_number (RelanceBankMatcher      *self,
             const RelanceBankCredit *credit,
             RelanceBankMatch        *out,
             GString                 *notes)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autofree char *text = g_strdup_printf ("%s %s", credit->label != NULL ? credit->label : "",
                                           credit->reference != NULL ? credit->reference : "");
  const char *currency;

  targets = numbers_in_label (self, text);
  /* An invoice already paid by an earlier credit of this statement owes nothing more. */
  for (guint i = targets->len; i > 0; i--)
    if (((RelanceBankOpenInvoice *) g_ptr_array_index (targets, i - 1))->outstanding <= 0)
      g_ptr_array_remove_index (targets, i - 1);
  if (targets->len == 0)
    return FALSE;
  if ((currency = other_currency (targets, credit->currency)) != NULL)
    {
      if (notes->len > 0)
        g_string_append_c (notes, ' ');
      g_string_append_printf (notes, _("Paid in %s, invoiced in %s."), credit->currency,
                              currency);
      return FALSE;
    }
  allocate (out, targets, credit->amount);
  out->rule = "number";
  if (credit->amount <= owed (targets))
    out->kind = RELANCE_BANK_MATCH_CERTAIN;
  else
    {
      g_autofree char *shown = relance_money_format (owed (targets), credit->currency, "en");

      out->kind = RELANCE_BANK_MATCH_PROPOSED;
      if (notes->len > 0)
        g_string_append_c (notes, ' ');
      /* Translators: %s is an amount */
      g_string_append_printf (notes, _("More than the %s these invoices still owe."), shown);
    }
  return TRUE;
}

/* The grouped reminders of several invoices still all open, by what they owe together. */
static GHashTable *
group_sums (RelanceBankMatcher *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->group_sums != NULL)
    return self->group_sums;
  self->group_sums = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_iter_init (&iter, self->groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *ids = value;
      gint64 sum = 0;
      GPtrArray *list;

      for (guint i = 0; ids->len > 1 && i < ids->len; i++)
        {
          RelanceBankOpenInvoice *invoice =
            g_hash_table_lookup (self->by_id, &g_array_index (ids, gint64, i));

          if (invoice == NULL)
            {
              sum = 0;
              break;
            }
          sum += invoice->outstanding;
        }
      if (sum <= 0)
        continue;
      list = g_hash_table_lookup (self->group_sums, &sum);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->group_sums, g_memdup2 (&sum, sizeof sum), list);
        }
      g_ptr_array_add (list, ids);
    }
  return self->group_sums;
}

static gboolean
rule_amount (RelanceBankMatcher      *self,
             const RelanceBankCredit *credit,
             RelanceBankMatch        *out)
{
  g_autofree char *payer = relance_bank_normalise_name (*credit->payer != '\0' ? credit->payer
                                                                               : credit->label);
  g_autoptr(GPtrArray) best = NULL;
  GArray *list = self->by_amount;
  guint low = 0, high = list->len;

  /* One invoice that owes exactly this amount (found by what it owed when the matcher was
   * built; one paid meanwhile by this statement owes less, and is passed over). */
  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (g_array_index (list, ByAmount, mid).owed < credit->amount)
        low = mid + 1;
      else
        high = mid;
    }
  for (guint i = low; i < list->len && g_array_index (list, ByAmount, i).owed == credit->amount;
       i++)
    {
      RelanceBankOpenInvoice *invoice = g_array_index (list, ByAmount, i).invoice;

      if (invoice->outstanding != credit->amount)
        continue;
      if (g_strcmp0 (invoice->currency, credit->currency) != 0
          || !normal_names_close (payer, client_normal_name (self, invoice)))
        continue;
      /* The one due first, when several would do. */
      if (best == NULL)
        best = g_ptr_array_new ();
      if (best->len == 0
          || g_date_compare (&invoice->due_date,
                             &((RelanceBankOpenInvoice *) g_ptr_array_index (best, 0))->due_date) < 0)
        {
          g_ptr_array_set_size (best, 0);
          g_ptr_array_add (best, invoice);
        }
    }

  /* Or the invoices of one grouped reminder, together. */
  if (best == NULL && self->groups != NULL)
    {
      GPtrArray *candidates = g_hash_table_lookup (group_sums (self), &credit->amount);

      for (guint c = 0; candidates != NULL && best == NULL && c < candidates->len; c++)
        {
          GArray *ids = g_ptr_array_index (candidates, c);
          g_autoptr(GPtrArray) targets = g_ptr_array_new ();
          gboolean usable = TRUE;

          for (guint i = 0; usable && i < ids->len; i++)
            {
              RelanceBankOpenInvoice *invoice =
                g_hash_table_lookup (self->by_id, &g_array_index (ids, gint64, i));

              usable = invoice != NULL && invoice->outstanding > 0
                       && g_strcmp0 (invoice->currency, credit->currency) == 0;
              if (usable)
                g_ptr_array_add (targets, invoice);
            }
          if (usable && owed (targets) == credit->amount
              && normal_names_close (payer, client_normal_name (self,
                                                                g_ptr_array_index (targets, 0))))
            best = g_steal_pointer (&targets);
        }
    }
  if (best == NULL)
    return FALSE;
  out->kind = RELANCE_BANK_MATCH_PROPOSED;
  out->rule = "amount";
  allocate (out, best, credit->amount);
  return TRUE;
}

void
relance_bank_matcher_match (RelanceBankMatcher      *self,
                            const RelanceBankCredit *credit,
                            RelanceBankMatch        *out)
{
  g_autoptr(GString) notes = g_string_new (NULL);

  memset (out, 0, sizeof *out);
  if (rule_reference (self, credit, out, notes)
      || rule_number (self, credit, out, notes)
      || rule_amount (self, credit, out))
    {
      if (out->kind == RELANCE_BANK_MATCH_CERTAIN)
        consume (self, out);
    }
  if (notes->len > 0)
    out->note = g_string_free (g_steal_pointer (&notes), FALSE);
}

gboolean
relance_bank_matcher_allocate (RelanceBankMatcher  *self,
                               const gint64        *ids,
                               guint                n_ids,
                               gint64               amount,
                               const char          *currency,
                               RelanceBankMatch    *out,
                               GError             **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  const char *other;

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < n_ids; i++)
    {
      RelanceBankOpenInvoice *invoice = g_hash_table_lookup (self->by_id, &ids[i]);

      if (invoice == NULL || invoice->outstanding <= 0)
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT, "%s",
                       _("One of these invoices is already paid, or cancelled."));
          return FALSE;
        }
      g_ptr_array_add (targets, invoice);
    }
  if ((other = other_currency (targets, currency)) != NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_CONFLICT,
                   /* Translators: the first %s is a currency code (of the payment), the second
                    * too (of the invoice) */
                   _("This transfer is in %s and the invoice in %s: record it by hand with "
                     "the amount in the invoice’s currency."), currency, other);
      return FALSE;
    }
  out->kind = RELANCE_BANK_MATCH_CERTAIN;
  out->rule = "manual";
  allocate (out, targets, amount);
  consume (self, out);
  return TRUE;
}
