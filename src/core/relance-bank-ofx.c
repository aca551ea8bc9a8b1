/* relance-bank-ofx.c: OFX 1.x (SGML) and 2.x (XML) through libofx, after a scan of our own
 * that gives lines to errors, keeps the exact amounts and refuses entities. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libofx/libofx.h>
#include <stdlib.h>
#include <unistd.h>

#include "relance-bank-private.h"
#include "relance-date.h"
#include "relance-money.h"

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
  if (g_strstr_len (data, size, "<!DOCTYPE") != NULL
      || g_strstr_len (data, size, "<!ENTITY") != NULL)
    return relance_bank_fail_at (error, name, line_at (data, g_strstr_len (data, size, "<!")),
                                 "%s", _("This file declares a DTD or entities, which Relance "
                                         "refuses for safety."));
  while ((p = g_strstr_len (p, end - p, "<STMTTRN>")) != NULL)
    {
      const char *close = g_strstr_len (p, end - p, "</STMTTRN>");
      OfxScanned *s;
      g_autoptr(GError) local = NULL;
      gint64 minor;

      if (close == NULL)
        return relance_bank_fail_at (error, name, line_at (data, p), "%s",
                                     _("A transaction (<STMTTRN>) is not closed."));
      s = g_new0 (OfxScanned, 1);
      s->line = line_at (data, p);
      s->fitid = ofx_value (p, close, "<FITID>");
      s->amount = ofx_value (p, close, "<TRNAMT>");
      g_ptr_array_add (scanned, s);
      if (s->amount == NULL)
        return relance_bank_fail_at (error, name, s->line, "%s",
                                     _("A transaction has no amount (<TRNAMT>)."));
      if (!relance_bank_parse_amount (s->amount, strchr (s->amount, ',') != NULL ? ',' : '.',
                                      "EUR", &minor, &local))
        return relance_bank_fail_at (error, name, s->line, "%s", local->message);
      {
        g_autofree char *posted = ofx_value (p, close, "<DTPOSTED>");

        if (posted == NULL || strlen (posted) < 8)
          return relance_bank_fail_at (error, name, s->line, "%s",
                                       _("A transaction has no date (<DTPOSTED>)."));
        char y[5] = { 0 }, m[3] = { 0 }, d[3] = { 0 };

        memcpy (y, posted, 4);
        memcpy (m, posted + 4, 2);
        memcpy (d, posted + 6, 2);
        /* The day as the bank wrote it: libofx's time_t would move it by the time zone. */
        g_date_clear (&s->date, 1);
        if (!g_ascii_isdigit (y[0]) || !g_date_valid_dmy (atoi (d), atoi (m), atoi (y)))
          return relance_bank_fail_at (error, name, s->line,
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
          relance_date_from_date_time (posted, out_date);
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
  credit = relance_bank_credit_new ();
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
  credit->label = relance_bank_squeeze (label);
  g_ptr_array_add (read->statement->credits, g_steal_pointer (&credit));
  return 0;
}

RelanceBankStatement *
relance_bank_read_ofx (const char  *name,
                       GBytes      *bytes,
                       GError     **error)
{
  /* libofx keeps global state (and an OpenSP parser): one file at a time. */
  static GMutex lock;
  g_autoptr(RelanceBankStatement) statement = relance_bank_statement_new (name, "OFX");
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
      relance_bank_fail_at (error, name, 0, "%s", local->message);
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
      relance_bank_fail_at (error, name, read.error_line, "%s", read.error);
      g_free (read.error);
      g_free (read.currency);
      return NULL;
    }
  g_free (read.currency);
  if (rc != 0 && statement->credits->len == 0 && statement->n_debits == 0 && scanned->len > 0)
    {
      relance_bank_fail_at (error, name, 0, "%s", _("This OFX file could not be read."));
      return NULL;
    }
  if (scanned->len > 0 && statement->credits->len + statement->n_debits == 0)
    {
      relance_bank_fail_at (error, name, 0, "%s", _("This OFX file could not be read."));
      return NULL;
    }
  relance_bank_assign_keys (statement);
  return g_steal_pointer (&statement);
}
