/* relance-creditor-ref.h: ISO 11649 structured creditor references ("RF18 F202 6010 2").
 *
 * A reference is "RF", two check digits and up to 21 letters or digits; the check digits
 * make the whole reference, moved and read as digits (A=10 … Z=35), equal 1 modulo 97, so a
 * reference typed wrong is caught. Relance derives one from each invoice (from its number)
 * and one from each grouped reminder (from the ids of the invoices it concerns), writes it
 * in every reminder, letter and EPC QR code, and recognises it on the credits of a bank
 * statement. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELANCE_CREDITOR_REF_MAX_ID 21

/* "RF" + check digits + @id (letters and digits only, at most 21, upper-cased); NULL when
 * @id has none or too many. */
char     *relance_creditor_ref_make          (const char     *id);
/* Whether @text (spaces allowed, any case) is a valid ISO 11649 reference. */
gboolean  relance_creditor_ref_is_valid      (const char     *text);
/* @text without spaces, upper-cased, when it is a valid reference; NULL otherwise. */
char     *relance_creditor_ref_normalise     (const char     *text);
/* The reference as printed: groups of four ("RF18 F202 6010 2"). */
char     *relance_creditor_ref_format        (const char     *reference);

/* The reference of one invoice: RF + check + the letters and digits of its number (upper
 * case) when there are 1 to 21 of them, else "INV" + the invoice's id in base 36. */
char     *relance_creditor_ref_for_invoice   (const char     *number,
                                              gint64          invoice_id);
/* The reference of a message about several invoices: RF + check + "G" + 12 base-36
 * characters of a hash of the sorted invoice ids. The same invoices give the same
 * reference, so a statement can be matched against the grouped reminders sent. */
char     *relance_creditor_ref_for_group     (const gint64   *invoice_ids,
                                              guint           n_ids);

/* Finds the first valid reference in free text (a remittance label, "RF18F20260102" or
 * "RF18 F202 6010 2"); NULL when there is none. With @out_invalid, a word that looks like
 * a reference but fails the check is returned there (a reference typed wrong). */
char     *relance_creditor_ref_find          (const char     *text,
                                              char          **out_invalid);

G_END_DECLS
