/* relance-epc-qr.h: the EPC QR code ("Girocode") that lets a client pay an invoice by SEPA
 * credit transfer in one scan, following the European Payments Council's "Quick Response
 * code: guidelines to enable data capture for the initiation of a SEPA credit transfer"
 * (EPC069-12, version 002 of the data format), and the IBAN check it relies on. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "relance-store.h"

G_BEGIN_DECLS

/* Limits of the EPC069-12 data format. */
#define RELANCE_EPC_MAX_BYTES      331
#define RELANCE_EPC_MAX_NAME       70   /* characters */
#define RELANCE_EPC_MAX_REMITTANCE 140  /* characters */
#define RELANCE_EPC_MAX_AMOUNT     G_GINT64_CONSTANT (99999999999) /* 999 999 999,99 € */

/* Checks the form and the ISO 13616 check digits (mod 97) of @iban, written with or
 * without spaces, in any case. On success @out_normalized (may be NULL) receives it in
 * capitals without spaces. Fails with RELANCE_CORE_ERROR_INVALID and a sentence saying
 * what is wrong. */
gboolean  relance_iban_validate   (const char  *iban,
                                   char       **out_normalized,
                                   GError     **error);
/* "FR76 3000 6000 0112 3456 7890 189": the IBAN in groups of four, as printed. */
char     *relance_iban_format     (const char  *iban);

/* The EPC payload: "BCD", "002", "1" (UTF-8), "SCT", the BIC (may be NULL: optional in
 * version 002), the beneficiary's name (cut to 70 characters), the IBAN, "EUR12.34" (no
 * amount when @amount_minor is 0), no purpose, then @remittance: as the structured creditor
 * reference (line 9) when it is a valid ISO 11649 reference ("RF18…"), else as unstructured
 * text (line 10, cut to 140 characters; may be NULL) — never both, as EPC069-12 requires;
 * separated by LF with none at the end. Only euros can be asked for. */
char     *relance_epc_qr_payload  (const char  *bic,
                                   const char  *name,
                                   const char  *iban,
                                   gint64       amount_minor,
                                   const char  *currency,
                                   const char  *remittance,
                                   GError     **error);

/* The payload for @company's account (name, IBAN, BIC). */
char     *relance_epc_qr_payload_for_company (const RelanceCompany *company,
                                              gint64                amount_minor,
                                              const char           *currency,
                                              const char           *reference,
                                              GError              **error);

/* The matrix of @payload at error correction level M: @out_width modules a side, one byte
 * per module (1 dark, 0 light), row by row. */
guint8   *relance_epc_qr_encode   (const char  *payload,
                                   int         *out_width,
                                   GError     **error);

/* Draws the code of @payload with its top left corner at (@x, @y), @module points a
 * module, the 4-module quiet zone included (so it covers (width + 8) × @module). */
gboolean  relance_epc_qr_draw     (cairo_t     *cr,
                                   const char  *payload,
                                   double       x,
                                   double       y,
                                   double       module,
                                   GError     **error);

/* A PNG of the code for @company's account, @module_px pixels a module with a 4-module
 * quiet zone, black on white, no smoothing. */
GBytes   *relance_epc_qr_png      (const RelanceCompany  *company,
                                   gint64                 amount_minor,
                                   const char            *currency,
                                   const char            *reference,
                                   int                    module_px,
                                   GError               **error);

G_END_DECLS
