/* relance-epc-qr.c: the EPC QR code of a SEPA credit transfer, built byte for byte after
 * EPC069-12 and drawn with libqrencode and cairo. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <png.h>
#include <string.h>

#include "relance-creditor-ref.h"
#include "relance-epc-qr.h"
#include "relance-error.h"

#define QUIET_ZONE 4

/* Lengths of the IBANs of the SEPA countries (ISO 13616 registry): a wrong length is a
 * clearer message than a failed checksum. Countries not listed are checked by form only. */
static const struct
{
  char code[3];
  int  length;
} iban_lengths[] = {
  { "AD", 24 }, { "AT", 20 }, { "BE", 16 }, { "BG", 22 }, { "CH", 21 }, { "CY", 28 },
  { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "EE", 20 }, { "ES", 24 }, { "FI", 18 },
  { "FR", 27 }, { "GB", 22 }, { "GI", 23 }, { "GR", 27 }, { "HR", 21 }, { "HU", 28 },
  { "IE", 22 }, { "IS", 26 }, { "IT", 27 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
  { "LV", 21 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 }, { "NO", 15 }, { "PL", 28 },
  { "PT", 25 }, { "RO", 24 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
  { "VA", 22 },
};

gboolean
relance_iban_validate (const char  *iban,
                       char       **out_normalized,
                       GError     **error)
{
  g_autoptr(GString) norm = g_string_new (NULL);
  guint remainder = 0;

  if (iban != NULL)
    for (const char *p = iban; *p != '\0'; p++)
      {
        if (*p == ' ' || *p == '\t' || *p == '-')
          continue;
        if (!g_ascii_isalnum (*p))
          {
            g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                         _("The IBAN “%s” may only hold letters and digits."), iban);
            return FALSE;
          }
        g_string_append_c (norm, g_ascii_toupper (*p));
      }

  if (norm->len < 15 || norm->len > 34 || !g_ascii_isalpha (norm->str[0])
      || !g_ascii_isalpha (norm->str[1]) || !g_ascii_isdigit (norm->str[2])
      || !g_ascii_isdigit (norm->str[3]))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("“%s” is not an IBAN: it starts with a country code and two check "
                     "digits (“FR76 …”) and has 15 to 34 characters."),
                   iban != NULL ? iban : "");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    if (strncmp (norm->str, iban_lengths[i].code, 2) == 0
        && (int) norm->len != iban_lengths[i].length)
      {
        g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                     /* Translators: %1$s is an IBAN, %2$s its country code, %3$d and
                      * %4$d are numbers of characters */
                     _("The IBAN “%1$s” is not valid: an IBAN of %2$s has %3$d characters, "
                       "this one has %4$d."),
                     iban, iban_lengths[i].code, iban_lengths[i].length, (int) norm->len);
        return FALSE;
      }

  /* ISO 13616: move the first four characters to the end, read letters as 10..35 and
   * the whole as a number; it must be 1 modulo 97. Digit by digit keeps it in a guint. */
  for (guint i = 0; i < norm->len; i++)
    {
      char c = norm->str[(i + 4) % norm->len];

      if (g_ascii_isdigit (c))
        remainder = (remainder * 10 + (guint) (c - '0')) % 97;
      else
        remainder = (remainder * 100 + (guint) (c - 'A' + 10)) % 97;
    }
  if (remainder != 1)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("The IBAN “%s” is not valid: its check digits do not match (a typing "
                     "mistake?). Copy it again from your bank statement."), iban);
      return FALSE;
    }

  if (out_normalized != NULL)
    *out_normalized = g_string_free (g_steal_pointer (&norm), FALSE);
  return TRUE;
}

char *
relance_iban_format (const char *iban)
{
  g_autofree char *norm = NULL;
  GString *out = g_string_new (NULL);

  if (!relance_iban_validate (iban, &norm, NULL))
    {
      g_string_append (out, iban != NULL ? iban : "");
      return g_string_free (out, FALSE);
    }
  for (guint i = 0; norm[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, norm[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
bic_is_valid (const char *bic)
{
  gsize len = strlen (bic);

  if (len != 8 && len != 11)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (i < 6 ? !g_ascii_isupper (bic[i]) : !(g_ascii_isupper (bic[i]) || g_ascii_isdigit (bic[i])))
      return FALSE;
  return TRUE;
}

/* @text on one line (CR, LF and tabs become spaces), trimmed, cut to @max_chars
 * characters and to @max_bytes bytes, never inside a character. */
static char *
clean_field (const char *text,
             glong       max_chars,
             gsize       max_bytes)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (NULL);
  glong n = 0;

  g_strstrip (valid);
  for (const char *p = valid; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      gsize len = (gsize) (g_utf8_next_char (p) - p);

      if (out->len + len > max_bytes)
        break;
      if (c == '\r' || c == '\n' || c == '\t')
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, (gssize) len);
    }
  return g_string_free (out, FALSE);
}

char *
relance_epc_qr_payload (const char  *bic,
                        const char  *name,
                        const char  *iban,
                        gint64       amount_minor,
                        const char  *currency,
                        const char  *remittance,
                        GError     **error)
{
  g_autofree char *norm_iban = NULL;
  g_autofree char *norm_bic = NULL;
  g_autofree char *clean_name = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  g_autofree char *structured = NULL;
  const char *fields[11];
  guint n_fields = G_N_ELEMENTS (fields);
  GString *out;
  gsize used;

  if (g_strcmp0 (currency, "EUR") != 0)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A SEPA transfer QR code can only ask for euros, not %s."),
                   currency != NULL ? currency : "?");
      return NULL;
    }
  if (amount_minor < 0 || amount_minor > RELANCE_EPC_MAX_AMOUNT)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   _("A SEPA transfer QR code can ask for 0.01 € to 999,999,999.99 €; "
                     "this amount is out of that range."));
      return NULL;
    }
  if (!relance_iban_validate (iban, &norm_iban, error))
    return NULL;
  if (bic != NULL && *bic != '\0')
    {
      norm_bic = g_ascii_strup (bic, -1);
      g_strstrip (norm_bic);
      g_strdelimit (norm_bic, " ", '\0');
      if (!bic_is_valid (norm_bic))
        {
          g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                       _("“%s” is not a BIC: it has 8 or 11 letters and digits, "
                         "such as “BNPAFRPPXXX”."), bic);
          return NULL;
        }
    }
  if (amount_minor > 0)
    amount = g_strdup_printf ("EUR%" G_GINT64_FORMAT ".%02d", amount_minor / 100,
                              (int) (amount_minor % 100));

  /* The name is cut to 70 characters, and further when they are so wide that the
   * payload would pass 331 bytes (11 elements: 10 separators). */
  used = 10 + strlen ("BCD002" "1" "SCT") + (norm_bic != NULL ? strlen (norm_bic) : 0)
         + strlen (norm_iban) + (amount != NULL ? strlen (amount) : 0);
  clean_name = clean_field (name, RELANCE_EPC_MAX_NAME, RELANCE_EPC_MAX_BYTES - used);
  if (*clean_name == '\0')
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("A SEPA transfer QR code needs the beneficiary’s name: set your "
                             "company name first."));
      return NULL;
    }
  fields[0] = "BCD";
  fields[1] = "002";
  fields[2] = "1";   /* UTF-8 */
  fields[3] = "SCT";
  fields[4] = norm_bic != NULL ? norm_bic : "";
  fields[5] = clean_name;
  fields[6] = norm_iban;
  fields[7] = amount != NULL ? amount : "";
  fields[8] = "";    /* purpose */
  fields[9] = "";    /* structured creditor reference */
  fields[10] = "";   /* unstructured remittance */

  /* EPC069-12: a structured creditor reference (ISO 11649) or an unstructured text, never
   * both. A reference lets the bank carry it as such to the statement we read back. */
  structured = relance_creditor_ref_normalise (remittance);
  if (structured != NULL)
    {
      fields[9] = structured;
      goto join;
    }

  /* The remittance text gets what room is left under the 331-byte ceiling. */
  used = 0;
  for (guint i = 0; i < 10; i++)
    used += strlen (fields[i]) + 1;
  text = clean_field (remittance, RELANCE_EPC_MAX_REMITTANCE,
                      used < RELANCE_EPC_MAX_BYTES ? RELANCE_EPC_MAX_BYTES - used : 0);
  fields[10] = text;

join:
  /* No separator after the last element that has a value. */
  while (n_fields > 0 && *fields[n_fields - 1] == '\0')
    n_fields--;
  out = g_string_new (NULL);
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, fields[i]);
    }
  return g_string_free (out, FALSE);
}

char *
relance_epc_qr_payload_for_company (const RelanceCompany *company,
                                    gint64                amount_minor,
                                    const char           *currency,
                                    const char           *reference,
                                    GError              **error)
{
  if (company->iban == NULL || *company->iban == '\0')
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("A SEPA transfer QR code needs your IBAN: set it with "
                             "“relance company set --iban …”."));
      return NULL;
    }
  return relance_epc_qr_payload (company->bic, company->name, company->iban, amount_minor,
                                 currency, reference, error);
}

guint8 *
relance_epc_qr_encode (const char  *payload,
                       int         *out_width,
                       GError     **error)
{
  QRcode *code = QRcode_encodeData ((int) strlen (payload), (const unsigned char *) payload, 0,
                                    QR_ECLEVEL_M);
  guint8 *modules;
  int width;

  if (code == NULL)
    {
      g_set_error_literal (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                           _("The payment QR code could not be made: its text is too long."));
      return NULL;
    }
  width = code->width;
  modules = g_new (guint8, (gsize) width * (gsize) width);
  for (int i = 0; i < width * width; i++)
    modules[i] = code->data[i] & 1;  /* bit 0: dark module; the other bits are metadata */
  QRcode_free (code);
  *out_width = width;
  return modules;
}

gboolean
relance_epc_qr_draw (cairo_t     *cr,
                     const char  *payload,
                     double       x,
                     double       y,
                     double       module,
                     GError     **error)
{
  int width = 0;
  g_autofree guint8 *modules = relance_epc_qr_encode (payload, &width, error);
  double side;

  if (modules == NULL)
    return FALSE;
  side = (width + 2 * QUIET_ZONE) * module;

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, side, side);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < width; row++)
    for (int col = 0; col < width; col++)
      {
        /* One rectangle per run of dark modules: fewer, seamless shapes in a PDF. */
        int start = col;

        if (!modules[row * width + col])
          continue;
        while (col + 1 < width && modules[row * width + col + 1])
          col++;
        cairo_rectangle (cr, x + (QUIET_ZONE + start) * module, y + (QUIET_ZONE + row) * module,
                         (col - start + 1) * module, module);
      }
  cairo_fill (cr);
  cairo_restore (cr);
  return TRUE;
}

static void
png_append (png_structp png_ptr, png_bytep data, png_size_t length)
{
  g_byte_array_append (png_get_io_ptr (png_ptr), data, (guint) length);
}

static void
png_no_flush (png_structp png_ptr)
{
}

/* Black modules on white, @module_px pixels each, with the quiet zone. */
static gboolean
write_png_1bit (const guint8 *modules, int width, int module_px, int side, GByteArray *out)
{
  png_structp png_ptr = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_ptr != NULL ? png_create_info_struct (png_ptr) : NULL;
  g_autofree guint8 *row = g_malloc0 ((gsize) (side + 7) / 8);

  if (png_ptr == NULL || info == NULL)
    {
      png_destroy_write_struct (&png_ptr, &info);
      return FALSE;
    }
  if (setjmp (png_jmpbuf (png_ptr)))
    {
      png_destroy_write_struct (&png_ptr, &info);
      return FALSE;
    }
  png_set_write_fn (png_ptr, out, png_append, png_no_flush);
  png_set_IHDR (png_ptr, info, (png_uint_32) side, (png_uint_32) side, 1, PNG_COLOR_TYPE_GRAY,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level (png_ptr, 1);
  png_set_filter (png_ptr, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_write_info (png_ptr, info);
  /* One packed line per row of modules, written module_px times. */
  for (int r = -QUIET_ZONE; r < width + QUIET_ZONE; r++)
    {
      memset (row, 0, (gsize) (side + 7) / 8);
      for (int x = 0; x < side; x++)
        {
          int c = x / module_px - QUIET_ZONE;
          gboolean dark = r >= 0 && r < width && c >= 0 && c < width && modules[r * width + c];

          if (!dark) /* 1 is white in a grey image; bits are packed from the left */
            row[x / 8] |= (guint8) (0x80 >> (x % 8));
        }
      for (int k = 0; k < module_px; k++)
        png_write_row (png_ptr, row);
    }
  png_write_end (png_ptr, NULL);
  png_destroy_write_struct (&png_ptr, &info);
  return TRUE;
}

GBytes *
relance_epc_qr_png (const RelanceCompany  *company,
                    gint64                 amount_minor,
                    const char            *currency,
                    const char            *reference,
                    int                    module_px,
                    GError               **error)
{
  g_autofree char *payload = NULL;
  g_autofree guint8 *modules = NULL;
  g_autoptr(GByteArray) png = NULL;
  int width = 0;
  int side;

  g_return_val_if_fail (company != NULL, NULL);
  g_return_val_if_fail (module_px > 0 && module_px <= 64, NULL);

  payload = relance_epc_qr_payload_for_company (company, amount_minor, currency, reference,
                                                error);
  if (payload == NULL || (modules = relance_epc_qr_encode (payload, &width, error)) == NULL)
    return NULL;

  /* A 1-bit grey PNG written with libpng, fastest compression: a reminder carries one,
   * so it must cost next to nothing (cairo's writer expands to 32-bit pixels first). The
   * modules are encoded once and packed directly. */
  side = (width + 2 * QUIET_ZONE) * module_px;
  png = g_byte_array_new ();
  if (!write_png_1bit (modules, width, module_px, side, png))
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_IO,
                   _("The payment QR code could not be drawn: %s."), "libpng");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
