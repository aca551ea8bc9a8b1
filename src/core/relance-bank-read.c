/* relance-bank-read.c: reading bank statements into credits.
 *
 * CAMT (ISO 20022 camt.053 statements, camt.054 notifications, camt.052 reports) with
 * libxml2, refusing any DOCTYPE as the e-invoice reader does; elements are found by local
 * name, so versions .001.02 to .001.08 read alike (they differ in namespace, in <Sts> being
 * a code or a <Cd>, and in the debtor's name under <Dbtr> or <Dbtr><Pty>). OFX 1.x (SGML)
 * and 2.x (XML) through libofx, after a scan of our own that gives lines to errors and
 * refuses entities. The banks' CSV exports with the profiles of bank/profiles.ini. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libofx/libofx.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "relance-bank.h"
#include "relance-core-resources.h"
#include "relance-csv.h"
#include "relance-date.h"
#include "relance-error.h"
#include "relance-import-profiles.h"
#include "relance-money.h"
#include "relance-xml.h"

#define PROFILES_PATH "/com/example/Relance/core/bank/profiles.ini"

/* A year of a busy account in camt.053 is a few MB. */
#define MAX_STATEMENT_SIZE (64 * 1024 * 1024)
/* Lines before a CSV header (account number, period, balance) the reader looks through. */
#define MAX_PREAMBLE 30

void
relance_bank_credit_free (RelanceBankCredit *credit)
{
  if (credit == NULL)
    return;
  g_free (credit->key);
  g_free (credit->bank_id);
  g_free (credit->account);
  g_free (credit->currency);
  g_free (credit->payer);
  g_free (credit->label);
  g_free (credit->reference);
  g_free (credit);
}

void
relance_bank_statement_free (RelanceBankStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->format);
  g_free (statement->bank);
  g_free (statement->name);
  g_clear_pointer (&statement->credits, g_ptr_array_unref);
  g_free (statement);
}

static RelanceBankStatement *
statement_new (const char *name,
               const char *format)
{
  RelanceBankStatement *statement = g_new0 (RelanceBankStatement, 1);

  statement->name = g_path_get_basename (name);
  statement->format = g_strdup (format);
  statement->credits = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_bank_credit_free);
  return statement;
}

static gboolean
fail_at (GError     **error,
         const char  *name,
         guint        line,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (GError     **error,
         const char  *name,
         guint        line,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *base = g_path_get_basename (name);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, "%s:%u: %s", base, line,
                 message);
  else
    g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID, "%s: %s", base, message);
  return FALSE;
}

/* ---- amounts ---------------------------------------------------------------------- */

/* Whether three digits, and no fourth, follow @q: what a thousands separator must have
 * after it ("1.234,56" but not "300.00" read with a decimal comma). */
static gboolean
group_follows (const char *q)
{
  return g_ascii_isdigit (q[0]) && g_ascii_isdigit (q[1]) && g_ascii_isdigit (q[2])
         && !g_ascii_isdigit (q[3]);
}

gboolean
relance_bank_parse_amount (const char  *text,
                           char         decimal,
                           const char  *currency,
                           gint64      *out_minor,
                           GError     **error)
{
  int digits = relance_currency_digits (currency);
  char thousands = decimal == ',' ? '.' : ',';
  gboolean negative = FALSE, seen_digit = FALSE, in_fraction = FALSE;
  gint64 units = 0, fraction = 0;
  int fraction_digits = 0;
  g_autofree char *clean = g_strstrip (g_strdup (text));
  gsize length = strlen (clean);
  const char *p;

  /* A currency written next to the amount ("300,00 €", "EUR 12.50", "-49.00 EUR"). */
  if (g_str_has_suffix (clean, "€"))
    clean[length - strlen ("€")] = '\0';
  else if (length > 3 && currency != NULL && g_ascii_strcasecmp (clean + length - 3, currency) == 0)
    clean[length - 3] = '\0';
  g_strstrip (clean);
  p = clean;
  if (g_str_has_prefix (p, "€"))
    p += strlen ("€");
  else if (currency != NULL && g_ascii_strncasecmp (p, currency, 3) == 0)
    p += 3;
  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  for (; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isdigit (c))
        {
          seen_digit = TRUE;
          if (in_fraction)
            {
              if (++fraction_digits > digits)
                goto bad;
              fraction = fraction * 10 + (c - '0');
            }
          else
            {
              units = units * 10 + (c - '0');
              if (units > RELANCE_MONEY_MAX_UNITS)
                goto bad;
            }
        }
      else if (c == (guchar) decimal && !in_fraction)
        in_fraction = TRUE;
      else if ((c == (guchar) thousands || c == ' ' || c == '\'') && !in_fraction && seen_digit
               && group_follows (p + 1))
        continue;
      /* No-break spaces (U+00A0, U+202F) between thousands. */
      else if (c == 0xC2 && (guchar) p[1] == 0xA0 && !in_fraction && group_follows (p + 2))
        p++;
      else if (c == 0xE2 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0xAF && !in_fraction
               && group_follows (p + 3))
        p += 2;
      else
        goto bad;
    }
  if (!seen_digit)
    goto bad;
  for (; fraction_digits < digits; fraction_digits++)
    fraction *= 10;
  for (int i = 0; i < digits; i++)
    units *= 10;
  *out_minor = (units + fraction) * (negative ? -1 : 1);
  return TRUE;

bad:
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is what the file gives as an amount */
               _("“%s” is not an amount."), text);
  return FALSE;
}

/* ---- keys ------------------------------------------------------------------------- */

/* Gives each credit its key once the whole file is read: identical credits without a bank
 * id (two transfers of 50 € from one payer on one day) get their rank in the file, so they
 * stay two, and come out with the same keys from an overlapping statement. */
static void
assign_keys (RelanceBankStatement *statement)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < statement->credits->len; i++)
    {
      RelanceBankCredit *credit = g_ptr_array_index (statement->credits, i);
      g_autofree char *date = relance_date_to_iso (&credit->date);
      g_autofree char *base = NULL;
      guint rank;

      if (credit->bank_id != NULL && *credit->bank_id != '\0')
        {
          credit->key = g_strdup_printf ("id:%s:%s", credit->account, credit->bank_id);
          continue;
        }
      base = g_strdup_printf ("%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s",
                              credit->account, date, credit->amount, credit->currency,
                              credit->payer, credit->label);
      rank = GPOINTER_TO_UINT (g_hash_table_lookup (seen, base));
      g_hash_table_replace (seen, g_strdup (base), GUINT_TO_POINTER (rank + 1));
      {
        g_autofree char *with_rank = g_strdup_printf ("%s\x1f%u", base, rank);
        g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, with_rank, -1);

        credit->key = g_strdup_printf ("hash:%s", sum);
      }
    }
}

static RelanceBankCredit *
credit_new (void)
{
  RelanceBankCredit *credit = g_new0 (RelanceBankCredit, 1);

  g_date_clear (&credit->date, 1);
  return credit;
}

/* Blanks, line breaks and runs of spaces in a label become one space. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- CAMT ------------------------------------------------------------------------- */

static gboolean
is_named (xmlNode    *node,
          const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE
         && strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
child (xmlNode    *node,
       const char *name)
{
  for (xmlNode *c = node != NULL ? node->children : NULL; c != NULL; c = c->next)
    if (is_named (c, name))
      return c;
  return NULL;
}

/* child() along a path "A/B/C". */
static xmlNode *
path (xmlNode    *node,
      const char *steps)
{
  g_auto(GStrv) names = g_strsplit (steps, "/", -1);

  for (guint i = 0; node != NULL && names[i] != NULL; i++)
    node = child (node, names[i]);
  return node;
}

static char *
text_of (xmlNode *node)
{
  g_autofree xmlChar *content = NULL;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  return g_strstrip (g_strdup ((const char *) content));
}

static char *
path_text (xmlNode    *node,
           const char *steps)
{
  return text_of (path (node, steps));
}

static gboolean
camt_date (xmlNode *entry,
           GDate   *out)
{
  static const char *paths[] = { "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *text = path_text (entry, paths[i]);

      if (text != NULL && strlen (text) >= 10)
        {
          text[10] = '\0';
          if (relance_date_from_iso (text, out))
            return TRUE;
        }
    }
  return FALSE;
}

/* The debtor's name: <Dbtr><Nm> up to .07, <Dbtr><Pty><Nm> from .08; the ultimate debtor
 * when the bank names no other. */
static char *
camt_payer (xmlNode *details)
{
  static const char *paths[] = {
    "RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm", "RltdPties/UltmtDbtr/Nm",
    "RltdPties/UltmtDbtr/Pty/Nm",
  };

  for (guint i = 0; details != NULL && i < G_N_ELEMENTS (paths); i++)
    {
      char *name = path_text (details, paths[i]);

      if (name != NULL && *name != '\0')
        return name;
      g_free (name);
    }
  return g_strdup ("");
}

static char *
camt_label (xmlNode *details,
            xmlNode *entry)
{
  g_autoptr(GString) out = g_string_new (NULL);
  xmlNode *info = details != NULL ? child (details, "RmtInf") : NULL;

  for (xmlNode *c = info != NULL ? info->children : NULL; c != NULL; c = c->next)
    if (is_named (c, "Ustrd"))
      {
        g_autofree char *text = text_of (c);

        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, text);
      }
  if (out->len == 0)
    {
      g_autofree char *extra = path_text (details, "AddtlTxInf");

      if (extra == NULL || *extra == '\0')
        {
          g_free (extra);
          extra = path_text (entry, "AddtlNtryInf");
        }
      if (extra != NULL)
        g_string_append (out, extra);
    }
  return squeeze (out->str);
}

static gboolean
camt_amount (const char  *name,
             xmlNode     *amount_node,
             const char  *default_currency,
             gint64      *out_amount,
             char       **out_currency,
             GError     **error)
{
  g_autofree char *text = text_of (amount_node);
  g_autofree xmlChar *ccy = NULL;
  g_autoptr(GError) local = NULL;
  guint line = amount_node != NULL ? (guint) xmlGetLineNo (amount_node) : 0;

  if (text == NULL)
    return fail_at (error, name, line, "%s", _("An entry has no amount."));
  ccy = xmlGetProp (amount_node, (const xmlChar *) "Ccy");
  *out_currency = g_ascii_strup (ccy != NULL ? (const char *) ccy
                                             : default_currency != NULL ? default_currency : "",
                                 -1);
  if (!relance_currency_is_known (*out_currency))
    return fail_at (error, name, line,
                    /* Translators: %s is what the file gives as a currency code */
                    _("“%s” is not a currency code."), *out_currency);
  /* ISO 20022 amounts are plain decimals ("1234.56"): anything else is a broken file. */
  if (strspn (text, "0123456789.") != strlen (text)
      || !relance_bank_parse_amount (text, '.', *out_currency, out_amount, &local)
      || *out_amount <= 0)
    return fail_at (error, name, line,
                    /* Translators: %s is what the file gives as an amount */
                    _("“%s” is not an amount."), text);
  return TRUE;
}

static gboolean
camt_read_entry (const char            *name,
                 xmlNode               *entry,
                 const char            *account,
                 const char            *account_currency,
                 RelanceBankStatement  *statement,
                 GError               **error)
{
  g_autofree char *indicator = path_text (entry, "CdtDbtInd");
  g_autofree char *reversal = path_text (entry, "RvslInd");
  g_autofree char *status = path_text (entry, "Sts/Cd");
  g_autofree char *entry_ref = path_text (entry, "AcctSvcrRef");
  g_autoptr(GPtrArray) details = g_ptr_array_new ();
  xmlNode *entry_details = child (entry, "NtryDtls");
  guint line = (guint) xmlGetLineNo (entry);
  GDate date;

  if (status == NULL)
    status = path_text (entry, "Sts");
  if (g_strcmp0 (indicator, "CRDT") != 0 && g_strcmp0 (indicator, "DBIT") != 0)
    return fail_at (error, name, line, "%s",
                    _("An entry says neither CRDT nor DBIT in <CdtDbtInd>."));
  /* A reversed credit is money going back; only booked entries are payments. */
  if (g_strcmp0 (indicator, "CRDT") != 0 || g_strcmp0 (reversal, "true") == 0
      || (status != NULL && *status != '\0' && g_strcmp0 (status, "BOOK") != 0))
    {
      statement->n_debits++;
      return TRUE;
    }
  if (!camt_date (entry, &date))
    return fail_at (error, name, line, "%s", _("An entry has no booking date."));

  /* A batch booking holds several transfers, each with its amount and payer. */
  for (xmlNode *d = entry_details != NULL ? entry_details->children : NULL; d != NULL;
       d = d->next)
    if (is_named (d, "TxDtls"))
      g_ptr_array_add (details, d);

  if (details->len > 1)
    {
      for (guint i = 0; i < details->len; i++)
        {
          xmlNode *d = g_ptr_array_index (details, i);
          xmlNode *amount_node = child (d, "Amt");
          g_autoptr(RelanceBankCredit) credit = credit_new ();
          g_autofree char *ref = path_text (d, "Refs/AcctSvcrRef");

          if (amount_node == NULL)
            amount_node = path (d, "AmtDtls/TxAmt/Amt");
          if (!camt_amount (name, amount_node, account_currency, &credit->amount,
                            &credit->currency, error))
            return FALSE;
          if (ref == NULL && entry_ref != NULL)
            ref = g_strdup_printf ("%s/%u", entry_ref, i + 1);
          credit->bank_id = g_steal_pointer (&ref);
          credit->account = g_strdup (account);
          credit->date = date;
          credit->payer = camt_payer (d);
          credit->label = camt_label (d, entry);
          credit->reference = path_text (d, "RmtInf/Strd/CdtrRefInf/Ref");
          credit->line = (guint) xmlGetLineNo (d);
          g_ptr_array_add (statement->credits, g_steal_pointer (&credit));
        }
      return TRUE;
    }

  {
    xmlNode *d = details->len == 1 ? g_ptr_array_index (details, 0) : NULL;
    g_autoptr(RelanceBankCredit) credit = credit_new ();

    if (!camt_amount (name, child (entry, "Amt"), account_currency, &credit->amount,
                      &credit->currency, error))
      return FALSE;
    credit->bank_id = g_steal_pointer (&entry_ref);
    if (credit->bank_id == NULL && d != NULL)
      credit->bank_id = path_text (d, "Refs/AcctSvcrRef");
    credit->account = g_strdup (account);
    credit->date = date;
    credit->payer = camt_payer (d);
    credit->label = camt_label (d, entry);
    credit->reference = d != NULL ? path_text (d, "RmtInf/Strd/CdtrRefInf/Ref") : NULL;
    credit->line = line;
    g_ptr_array_add (statement->credits, g_steal_pointer (&credit));
  }
  return TRUE;
}

static RelanceBankStatement *
read_camt (const char  *name,
           GBytes      *bytes,
           GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(RelanceBankStatement) statement = NULL;
  g_autofree char *detail = NULL;
  RelanceXmlProblem problem;
  int line;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  xmlNode *root, *message;
  const char *href;
  const char *format;

  doc = relance_xml_read (data, size, &problem, &line, &detail);
  switch (problem)
    {
    case RELANCE_XML_NO_READER:
      fail_at (error, name, 0, "%s", _("The XML reader could not be started."));
      return NULL;
    case RELANCE_XML_DOCTYPE:
      fail_at (error, name, 0, "%s", _("This file declares a DTD or entities, which Relance "
                                       "refuses for safety."));
      return NULL;
    case RELANCE_XML_MALFORMED:
      fail_at (error, name, (guint) line,
               /* Translators: %s is libxml2's explanation (in English) */
               _("This file is not well-formed XML: %s."), detail);
      return NULL;
    case RELANCE_XML_OK:
    default:
      break;
    }

  root = xmlDocGetRootElement (doc);
  href = root != NULL && root->ns != NULL ? (const char *) root->ns->href : "";
  if (!is_named (root, "Document") || strstr (href, "iso:20022") == NULL)
    {
      fail_at (error, name, 0, "%s", _("This XML file is not an ISO 20022 bank statement "
                                       "(camt.053 or camt.054)."));
      return NULL;
    }
  format = strstr (href, "camt.054") != NULL ? "CAMT.054"
           : strstr (href, "camt.052") != NULL ? "CAMT.052" : "CAMT.053";
  statement = statement_new (name, format);

  for (message = root->children; message != NULL && message->type != XML_ELEMENT_NODE;
       message = message->next)
    ;
  if (!is_named (message, "BkToCstmrStmt") && !is_named (message, "BkToCstmrDbtCdtNtfctn")
      && !is_named (message, "BkToCstmrAcctRpt"))
    {
      fail_at (error, name, message != NULL ? (guint) xmlGetLineNo (message) : 0, "%s",
               _("This ISO 20022 file holds no statement, report or notification."));
      return NULL;
    }

  for (xmlNode *part = message->children; part != NULL; part = part->next)
    {
      g_autofree char *account = NULL;
      g_autofree char *account_currency = NULL;

      if (!is_named (part, "Stmt") && !is_named (part, "Ntfctn") && !is_named (part, "Rpt"))
        continue;
      account = path_text (part, "Acct/Id/IBAN");
      if (account == NULL)
        account = path_text (part, "Acct/Id/Othr/Id");
      if (account == NULL)
        account = g_strdup ("");
      account_currency = path_text (part, "Acct/Ccy");
      for (xmlNode *entry = part->children; entry != NULL; entry = entry->next)
        if (is_named (entry, "Ntry")
            && !camt_read_entry (name, entry, account, account_currency, statement, error))
          return NULL;
    }
  assign_keys (statement);
  return g_steal_pointer (&statement);
}

/* ---- OFX -------------------------------------------------------------------------- */

/* What our own scan of the text found in each <STMTTRN>, by FITID: the exact amount as
 * written (libofx gives a double) and the line, for the messages. */
typedef struct
{
  char  *fitid;
  char  *amount;
  GDate  date;
  guint  line;
} OfxScanned;

static void
ofx_scanned_free (OfxScanned *s)
{
  g_free (s->fitid);
  g_free (s->amount);
  g_free (s);
}

/* The value of an SGML/XML element <NAME>value (closing tag optional in OFX 1.x). */
static char *
ofx_value (const char *block,
           const char *end,
           const char *tag)
{
  const char *p = g_strstr_len (block, end - block, tag);
  const char *q;

  if (p == NULL)
    return NULL;
  p += strlen (tag);
  for (q = p; q < end && *q != '<' && *q != '\r' && *q != '\n'; q++)
    ;
  return g_strstrip (g_strndup (p, q - p));
}

static guint
line_at (const char *data,
         const char *at)
{
  guint line = 1;

  for (const char *p = data; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

static gboolean
ofx_scan (const char  *name,
          const char  *data,
          gsize        size,
          GPtrArray   *scanned,
          GError     **error)
{
  const char *end = data + size;
  const char *p = data;

  /* OFX 2 is XML: what the CAMT reader refuses, this one refuses too. */
  if (g_strstr_len (data, size, "<!DOCTYPE") != NULL || g_strstr_len (data, size, "<!ENTITY") != NULL)
    return fail_at (error, name, line_at (data, g_strstr_len (data, size, "<!")), "%s",
                    _("This file declares a DTD or entities, which Relance refuses for "
                      "safety."));
  while ((p = g_strstr_len (p, end - p, "<STMTTRN>")) != NULL)
    {
      const char *close = g_strstr_len (p, end - p, "</STMTTRN>");
      OfxScanned *s;
      g_autoptr(GError) local = NULL;
      gint64 minor;

      if (close == NULL)
        return fail_at (error, name, line_at (data, p), "%s",
                        _("A transaction (<STMTTRN>) is not closed."));
      s = g_new0 (OfxScanned, 1);
      s->line = line_at (data, p);
      s->fitid = ofx_value (p, close, "<FITID>");
      s->amount = ofx_value (p, close, "<TRNAMT>");
      g_ptr_array_add (scanned, s);
      if (s->amount == NULL)
        return fail_at (error, name, s->line, "%s", _("A transaction has no amount (<TRNAMT>)."));
      if (!relance_bank_parse_amount (s->amount, strchr (s->amount, ',') != NULL ? ',' : '.',
                                      "EUR", &minor, &local))
        return fail_at (error, name, s->line, "%s", local->message);
      {
        g_autofree char *posted = ofx_value (p, close, "<DTPOSTED>");

        if (posted == NULL || strlen (posted) < 8)
          return fail_at (error, name, s->line, "%s",
                          _("A transaction has no date (<DTPOSTED>)."));
        char y[5] = { 0 }, m[3] = { 0 }, d[3] = { 0 };

        memcpy (y, posted, 4);
        memcpy (m, posted + 4, 2);
        memcpy (d, posted + 6, 2);
        /* The day as the bank wrote it: libofx's time_t would move it by the time zone. */
        g_date_clear (&s->date, 1);
        if (!g_ascii_isdigit (y[0]) || !g_date_valid_dmy (atoi (d), atoi (m), atoi (y)))
          return fail_at (error, name, s->line,
                          /* Translators: %s is what the file gives as a date */
                          _("“%s” is not a date."), posted);
        g_date_set_dmy (&s->date, atoi (d), atoi (m), atoi (y));
      }
      p = close;
    }
  return TRUE;
}

typedef struct
{
  const char           *name;
  RelanceBankStatement *statement;
  GPtrArray            *scanned;
  guint                 next;      /* index in scanned of the next transaction */
  char                 *currency;  /* the statement's <CURDEF> */
  char                 *error;
  guint                 error_line;
} OfxRead;

static int
ofx_statement_cb (const struct OfxStatementData data,
                  void                         *user_data)
{
  OfxRead *read = user_data;

  if (data.currency_valid && read->currency == NULL)
    read->currency = g_ascii_strup (data.currency, -1);
  return 0;
}

static int
ofx_account_cb (const struct OfxAccountData data,
                void                       *user_data)
{
  OfxRead *read = user_data;

  if (data.currency_valid && read->currency == NULL)
    read->currency = g_ascii_strup (data.currency, -1);
  return 0;
}

/* The exact amount: the text of <TRNAMT> our scan kept for this FITID (libofx hands a
 * double); failing that, the double rounded to the currency's minor unit. */
static gint64
ofx_exact_amount (OfxRead                         *read,
                  const struct OfxTransactionData *data,
                  const char                      *currency,
                  guint                           *out_line,
                  GDate                           *out_date)
{
  for (guint k = 0; k < read->scanned->len; k++)
    {
      guint i = (read->next + k) % read->scanned->len;
      OfxScanned *s = g_ptr_array_index (read->scanned, i);
      gint64 minor;

      if (data->fi_id_valid && g_strcmp0 (s->fitid, data->fi_id) != 0)
        continue;
      if (relance_bank_parse_amount (s->amount, strchr (s->amount, ',') != NULL ? ',' : '.',
                                     currency, &minor, NULL))
        {
          read->next = i + 1;
          *out_line = s->line;
          *out_date = s->date;
          return minor;
        }
    }
  {
    char buffer[G_ASCII_DTOSTR_BUF_SIZE];
    gint64 minor = 0;

    g_ascii_formatd (buffer, sizeof buffer, "%.6f", data->amount);
    relance_bank_parse_amount (buffer, '.', "XXX", &minor, NULL);
    for (int i = relance_currency_digits (currency); i < 6; i++)
      minor = (minor + (minor >= 0 ? 5 : -5)) / 10;
    *out_line = 0;
    if (data->date_posted_valid)
      {
        g_autoptr(GDateTime) posted = g_date_time_new_from_unix_utc (data->date_posted);

        if (posted != NULL)
          g_date_set_dmy (out_date, g_date_time_get_day_of_month (posted),
                          g_date_time_get_month (posted), g_date_time_get_year (posted));
      }
    return minor;
  }
}

static int
ofx_transaction_cb (const struct OfxTransactionData data,
                    void                           *user_data)
{
  OfxRead *read = user_data;
  g_autoptr(RelanceBankCredit) credit = NULL;
  g_autofree char *label = NULL;
  const char *currency;
  guint line = 0;
  gint64 amount;
  GDate date;

  if (read->error != NULL)
    return 0;
  currency = data.currency_valid ? data.currency
             : read->currency != NULL ? read->currency
             : data.account_ptr != NULL && data.account_ptr->currency_valid
               ? data.account_ptr->currency : "EUR";
  if (!data.amount_valid || !data.date_posted_valid)
    return 0;
  g_date_clear (&date, 1);
  amount = ofx_exact_amount (read, &data, currency, &line, &date);
  if (amount <= 0)
    {
      read->statement->n_debits++;
      return 0;
    }
  credit = credit_new ();
  credit->amount = amount;
  credit->currency = g_ascii_strup (currency, -1);
  credit->line = line;
  credit->bank_id = data.fi_id_valid ? g_strdup (data.fi_id) : NULL;
  credit->account = g_strdup (data.account_id_valid ? data.account_id : "");
  credit->date = date;
  if (!g_date_valid (&credit->date))
    {
      read->error = g_strdup (_("A transaction has no date (<DTPOSTED>)."));
      read->error_line = line;
      return 0;
    }
  credit->payer = g_strdup (data.name_valid ? data.name : "");
  label = g_strdup_printf ("%s%s%s", data.name_valid ? data.name : "",
                           data.name_valid && data.memo_valid ? " " : "",
                           data.memo_valid ? data.memo : "");
  credit->label = squeeze (label);
  g_ptr_array_add (read->statement->credits, g_steal_pointer (&credit));
  return 0;
}

static RelanceBankStatement *
read_ofx (const char  *name,
          GBytes      *bytes,
          GError     **error)
{
  /* libofx keeps global state (and an OpenSP parser): one file at a time. */
  static GMutex lock;
  g_autoptr(RelanceBankStatement) statement = statement_new (name, "OFX");
  g_autoptr(GPtrArray) scanned = g_ptr_array_new_with_free_func ((GDestroyNotify) ofx_scanned_free);
  g_autoptr(GError) local = NULL;
  g_autofree char *tmp_path = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  OfxRead read = { name, statement, scanned, 0, NULL, NULL, 0 };
  LibofxContextPtr context;
  int fd, rc;

  if (!ofx_scan (name, data, size, scanned, error))
    return NULL;

  /* libofx reads from a path; the bytes may have come from elsewhere. */
  fd = g_file_open_tmp ("relance-XXXXXX.ofx", &tmp_path, &local);
  if (fd < 0 || !g_file_set_contents (tmp_path, data, (gssize) size, &local))
    {
      if (fd >= 0)
        close (fd);
      fail_at (error, name, 0, "%s", local->message);
      return NULL;
    }
  close (fd);

  g_mutex_lock (&lock);
  context = libofx_get_new_context ();
  /* The DTDs libofx needs for OFX 1.x: RELANCE_OFX_DTD_DIR (tests, Flatpak) or libofx's
   * own installed ones. */
  if (g_getenv ("RELANCE_OFX_DTD_DIR") != NULL)
    libofx_set_dtd_dir (context, g_getenv ("RELANCE_OFX_DTD_DIR"));
  ofx_set_statement_cb (context, ofx_statement_cb, &read);
  ofx_set_account_cb (context, ofx_account_cb, &read);
  ofx_set_transaction_cb (context, ofx_transaction_cb, &read);
  rc = libofx_proc_file (context, tmp_path, OFX);
  libofx_free_context (context);
  g_mutex_unlock (&lock);
  g_unlink (tmp_path);

  if (read.error != NULL)
    {
      fail_at (error, name, read.error_line, "%s", read.error);
      g_free (read.error);
      g_free (read.currency);
      return NULL;
    }
  g_free (read.currency);
  if (rc != 0 && statement->credits->len == 0 && statement->n_debits == 0 && scanned->len > 0)
    {
      fail_at (error, name, 0, "%s", _("This OFX file could not be read."));
      return NULL;
    }
  if (scanned->len > 0 && statement->credits->len + statement->n_debits == 0)
    {
      fail_at (error, name, 0, "%s", _("This OFX file could not be read."));
      return NULL;
    }
  assign_keys (statement);
  return g_steal_pointer (&statement);
}

/* ---- CSV -------------------------------------------------------------------------- */

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

static RelanceBankStatement *
read_csv (const char  *name,
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
      fail_at (error, name, error_line, "%s", local->message);
      return NULL;
    }
  for (header = 0; header < relance_csv_get_n_records (csv) && header < MAX_PREAMBLE; header++)
    if ((profile = detect_profile (csv, header)) != NULL)
      break;
  if (profile == NULL)
    {
      fail_at (error, name, 0, "%s",
               _("This file is not a statement Relance reads: not CAMT (ISO 20022 XML), not "
                 "OFX, and not the CSV export of a bank it knows."));
      return NULL;
    }
  statement = statement_new (name, "CSV");
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
          fail_at (error, name, line, _("“%s” is not a currency code."), currency);
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
          fail_at (error, name, line, "%s", local->message);
          return NULL;
        }
      /* Credit columns hold positive amounts; a sign there still means money going out. */
      if (amount <= 0)
        {
          statement->n_debits++;
          continue;
        }
      credit = credit_new ();
      if (!csv_date (csv_field (csv, r, date_col), profile->ymd, &credit->date))
        {
          fail_at (error, name, line, _("“%s” is not a date."), csv_field (csv, r, date_col));
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
      credit->label = squeeze (label->str);
      credit->reference = reference_col >= 0 && *csv_field (csv, r, reference_col) != '\0'
                            ? g_strdup (csv_field (csv, r, reference_col)) : NULL;
      credit->bank_id = id_col >= 0 && *csv_field (csv, r, id_col) != '\0'
                          ? g_strdup (csv_field (csv, r, id_col)) : NULL;
      credit->line = line;
      g_ptr_array_add (statement->credits, g_steal_pointer (&credit));
    }
  assign_keys (statement);
  return g_steal_pointer (&statement);
}

/* ---- dispatch --------------------------------------------------------------------- */

static const char *
skip_blanks (const char *p,
             const char *end)
{
  if (end - p >= 3 && (guchar) p[0] == 0xEF && (guchar) p[1] == 0xBB && (guchar) p[2] == 0xBF)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

RelanceBankStatement *
relance_bank_statement_read_bytes (const char  *name,
                                   GBytes      *bytes,
                                   GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *start = skip_blanks (data, data + size);
  gsize head = MIN (size, 4096);

  if (size > MAX_STATEMENT_SIZE)
    {
      fail_at (error, name, 0,
               /* Translators: %d is a size in megabytes */
               _("This file is larger than %d MB, which is far too big for a bank statement."),
               MAX_STATEMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  if (memchr (data, '\0', head) != NULL)
    {
      fail_at (error, name, 0, "%s",
               _("This file is not a statement Relance reads: not CAMT (ISO 20022 XML), not "
                 "OFX, and not the CSV export of a bank it knows."));
      return NULL;
    }
  if (g_str_has_prefix (start, "OFXHEADER") || g_strstr_len (data, head, "<?OFX") != NULL
      || g_strstr_len (data, head, "<OFX>") != NULL)
    return read_ofx (name, bytes, error);
  if (*start == '<')
    return read_camt (name, bytes, error);
  return read_csv (name, bytes, error);
}

RelanceBankStatement *
relance_bank_statement_read (const char  *path,
                             GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;

  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  return relance_bank_statement_read_bytes (path, bytes, error);
}

gboolean
relance_bank_is_statement_name (const char *path)
{
  static const char *suffixes[] = { ".xml", ".ofx", ".qfx", ".csv", ".053", ".054", ".camt" };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *base = g_path_get_basename (lower);

  if (base[0] == '.' || base[0] == '~')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]))
      return TRUE;
  return FALSE;
}
