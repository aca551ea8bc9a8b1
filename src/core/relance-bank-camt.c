/* relance-bank-camt.c: ISO 20022 camt.053 statements, camt.054 notifications and camt.052
 * reports, read with libxml2 (refusing any DOCTYPE, as the e-invoice reader does); elements
 * are found by local name, so versions .001.02 to .001.08 read alike (they differ in
 * namespace, in <Sts> being a code or a <Cd>, and in the debtor's name under <Dbtr> or
 * <Dbtr><Pty>). */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "relance-bank-private.h"
#include "relance-date.h"
#include "relance-money.h"
#include "relance-xml.h"

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
  return relance_bank_squeeze (out->str);
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
    return relance_bank_fail_at (error, name, line, "%s", _("An entry has no amount."));
  ccy = xmlGetProp (amount_node, (const xmlChar *) "Ccy");
  *out_currency = g_ascii_strup (ccy != NULL ? (const char *) ccy
                                             : default_currency != NULL ? default_currency : "",
                                 -1);
  if (!relance_currency_is_known (*out_currency))
    return relance_bank_fail_at (error, name, line,
                                 /* Translators: %s is what the file gives as a currency code */
                                 _("“%s” is not a currency code."), *out_currency);
  /* ISO 20022 amounts are plain decimals ("1234.56"): anything else is a broken file. */
  if (strspn (text, "0123456789.") != strlen (text)
      || !relance_bank_parse_amount (text, '.', *out_currency, out_amount, &local)
      || *out_amount <= 0)
    return relance_bank_fail_at (error, name, line,
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
    return relance_bank_fail_at (error, name, line, "%s",
                                 _("An entry says neither CRDT nor DBIT in <CdtDbtInd>."));
  /* A reversed credit is money going back; only booked entries are payments. */
  if (g_strcmp0 (indicator, "CRDT") != 0 || g_strcmp0 (reversal, "true") == 0
      || (status != NULL && *status != '\0' && g_strcmp0 (status, "BOOK") != 0))
    {
      statement->n_debits++;
      return TRUE;
    }
  if (!camt_date (entry, &date))
    return relance_bank_fail_at (error, name, line, "%s", _("An entry has no booking date."));

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
          g_autoptr(RelanceBankCredit) credit = relance_bank_credit_new ();
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
    g_autoptr(RelanceBankCredit) credit = relance_bank_credit_new ();

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

RelanceBankStatement *
relance_bank_read_camt (const char  *name,
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
      relance_bank_fail_at (error, name, 0, "%s", _("The XML reader could not be started."));
      return NULL;
    case RELANCE_XML_DOCTYPE:
      relance_bank_fail_at (error, name, 0, "%s",
                            _("This file declares a DTD or entities, which Relance refuses "
                              "for safety."));
      return NULL;
    case RELANCE_XML_MALFORMED:
      relance_bank_fail_at (error, name, (guint) line,
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
      relance_bank_fail_at (error, name, 0, "%s",
                            _("This XML file is not an ISO 20022 bank statement (camt.053 "
                              "or camt.054)."));
      return NULL;
    }
  format = strstr (href, "camt.054") != NULL ? "CAMT.054"
           : strstr (href, "camt.052") != NULL ? "CAMT.052" : "CAMT.053";
  statement = relance_bank_statement_new (name, format);

  for (message = root->children; message != NULL && message->type != XML_ELEMENT_NODE;
       message = message->next)
    ;
  if (!is_named (message, "BkToCstmrStmt") && !is_named (message, "BkToCstmrDbtCdtNtfctn")
      && !is_named (message, "BkToCstmrAcctRpt"))
    {
      relance_bank_fail_at (error, name, message != NULL ? (guint) xmlGetLineNo (message) : 0, "%s",
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
  relance_bank_assign_keys (statement);
  return g_steal_pointer (&statement);
}
