/* test-epc-qr.c: the EPC QR code of a SEPA transfer, byte for byte against the EPC069-12
 * data format (version 002), the IBAN check digits, and the PNG it is drawn into. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "relance-epc-qr.h"
#include "relance-error.h"

#define IBAN_FR "FR7630006000011234567890189"

typedef struct
{
  const char *name;
  const char *bic;
  const char *beneficiary;
  const char *iban;
  gint64      amount;
  const char *remittance;
  const char *expected;
} PayloadCase;

static const PayloadCase payload_cases[] = {
  { "smallest-amount", "BNPAFRPPXXX", "Atelier Dupré SARL", IBAN_FR, 1, "Facture F2026-001",
    "BCD\n002\n1\nSCT\nBNPAFRPPXXX\nAtelier Dupré SARL\n" IBAN_FR "\nEUR0.01\n\n\n"
    "Facture F2026-001" },
  { "accents-no-bic", NULL, "Société Générale d’Électricité Dupré", IBAN_FR, 1230,
    "Facture F2026-002",
    "BCD\n002\n1\nSCT\n\nSociété Générale d’Électricité Dupré\n" IBAN_FR "\nEUR12.30\n\n\n"
    "Facture F2026-002" },
  { "largest-amount", "BNPAFRPP", "Dupré", IBAN_FR, G_GINT64_CONSTANT (99999999999),
    "Invoice F1",
    "BCD\n002\n1\nSCT\nBNPAFRPP\nDupré\n" IBAN_FR "\nEUR999999999.99\n\n\nInvoice F1" },
  { "iban-written-in-groups", "bnpafrpp", "Dupré", "fr76 3000 6000 0112 3456 7890 189", 4200,
    "Facture F7",
    "BCD\n002\n1\nSCT\nBNPAFRPP\nDupré\n" IBAN_FR "\nEUR42.00\n\n\nFacture F7" },
  /* No amount: the element stays, empty, so the text keeps its place. */
  { "no-amount", NULL, "Dupré", "DE89370400440532013000", 0, "Facture F8",
    "BCD\n002\n1\nSCT\n\nDupré\nDE89370400440532013000\n\n\n\nFacture F8" },
  /* Nothing after the IBAN: no separator after the last element. */
  { "nothing-after-iban", NULL, "Dupré", "GB29NWBK60161331926819", 0, NULL,
    "BCD\n002\n1\nSCT\n\nDupré\nGB29NWBK60161331926819" },
  { "line-breaks-flattened", NULL, "Atelier\nDupré", IBAN_FR, 100, "Facture\r\nF9 ",
    "BCD\n002\n1\nSCT\n\nAtelier Dupré\n" IBAN_FR "\nEUR1.00\n\n\nFacture  F9" },
  /* An ISO 11649 reference goes in the structured-reference element (line 9), and then no
   * unstructured text may follow (EPC069-12: one or the other). */
  { "creditor-reference", "BNPAFRPP", "Dupré", IBAN_FR, 120000, "RF18 5390 0754 7034",
    "BCD\n002\n1\nSCT\nBNPAFRPP\nDupré\n" IBAN_FR "\nEUR1200.00\n\nRF18539007547034" },
  /* A reference whose check digits are wrong is only text. */
  { "reference-typed-wrong", NULL, "Dupré", IBAN_FR, 100, "RF19539007547034",
    "BCD\n002\n1\nSCT\n\nDupré\n" IBAN_FR "\nEUR1.00\n\n\nRF19539007547034" },
};

static void
test_payload (gconstpointer data)
{
  const PayloadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = relance_epc_qr_payload (c->bic, c->beneficiary, c->iban, c->amount,
                                                     "EUR", c->remittance, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, c->expected);
  g_assert_cmpuint (strlen (payload), <=, RELANCE_EPC_MAX_BYTES);
  g_assert_false (g_str_has_suffix (payload, "\n"));
}

static void
test_truncation (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_auto(GStrv) fields = NULL;

  /* 80 characters of two bytes each: cut to 70 characters, never inside one. */
  for (int i = 0; i < 80; i++)
    g_string_append (name, "é");
  for (int i = 0; i < 200; i++)
    g_string_append_c (text, 'a' + i % 26);
  payload = relance_epc_qr_payload (NULL, name->str, IBAN_FR, 100, "EUR", text->str, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (payload, -1, NULL));
  fields = g_strsplit (payload, "\n", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 11);
  g_assert_cmpint (g_utf8_strlen (fields[5], -1), ==, RELANCE_EPC_MAX_NAME);
  g_assert_true (g_str_has_prefix (name->str, fields[5]));
  /* 140 bytes of name leave 137 bytes for the text under the 331-byte ceiling. */
  g_assert_cmpint (g_utf8_strlen (fields[10], -1), ==, 137);
  g_assert_true (g_str_has_prefix (text->str, fields[10]));
  g_assert_cmpuint (strlen (payload), ==, RELANCE_EPC_MAX_BYTES);

  /* With a short name the text keeps its 140 characters. */
  g_clear_pointer (&payload, g_free);
  g_clear_pointer (&fields, g_strfreev);
  payload = relance_epc_qr_payload (NULL, "Dupré", IBAN_FR, 100, "EUR", text->str, &error);
  g_assert_no_error (error);
  fields = g_strsplit (payload, "\n", -1);
  g_assert_cmpint (g_utf8_strlen (fields[10], -1), ==, RELANCE_EPC_MAX_REMITTANCE);
  g_assert_true (g_str_has_prefix (text->str, fields[10]));
}

static void
test_byte_ceiling (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_auto(GStrv) fields = NULL;

  /* 70 four-byte characters cannot fit in 331 bytes with the rest: the name is cut
   * further and the text gives way, on character boundaries. */
  for (int i = 0; i < 70; i++)
    g_string_append (name, "𝄞");
  for (int i = 0; i < 140; i++)
    g_string_append (text, "€");
  payload = relance_epc_qr_payload ("BNPAFRPPXXX", name->str, IBAN_FR, 99999999999, "EUR",
                                    text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (payload), <=, RELANCE_EPC_MAX_BYTES);
  g_assert_true (g_utf8_validate (payload, -1, NULL));
  fields = g_strsplit (payload, "\n", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 7);
  g_assert_cmpint (g_utf8_strlen (fields[5], -1), >, 50);
  g_assert_true (g_str_has_prefix (name->str, fields[5]));
  g_assert_cmpstr (fields[6], ==, IBAN_FR);
}

typedef struct
{
  const char *iban;
  const char *in_message;   /* NULL: valid */
} IbanCase;

static const IbanCase iban_cases[] = {
  { IBAN_FR, NULL },
  { "FR76 3000 6000 0112 3456 7890 189", NULL },
  { "de89 3704 0044 0532 0130 00", NULL },
  { "GB29NWBK60161331926819", NULL },
  { "FR7630006000011234567890188", "check digits" },
  { "FR7630006000011234567890", "has 27 characters" },
  { "GB29NWBK60161331926818", "check digits" },
  { "hello", "not an IBAN" },
  { "", "not an IBAN" },
  { "FR76 3000 6000 0112 3456 7890 18!", "letters and digits" },
};

static void
test_iban (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (iban_cases); i++)
    {
      const IbanCase *c = &iban_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *norm = NULL;
      gboolean ok = relance_iban_validate (c->iban, &norm, &error);

      if (c->in_message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_null (strchr (norm, ' '));
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
          if (strstr (error->message, c->in_message) == NULL)
            g_error ("IBAN “%s”: “%s” does not say “%s”", c->iban, error->message,
                     c->in_message);
        }
    }
  {
    g_autofree char *shown = relance_iban_format ("fr7630006000011234567890189");

    g_assert_cmpstr (shown, ==, "FR76 3000 6000 0112 3456 7890 189");
  }
}

static void
test_refusals (void)
{
  struct
  {
    const char *bic;
    const char *name;
    const char *iban;
    gint64      amount;
    const char *currency;
  } cases[] = {
    { NULL, "Dupré", "FR7630006000011234567890188", 100, "EUR" },   /* checksum */
    { NULL, "Dupré", IBAN_FR, 100, "GBP" },                         /* not euros */
    { NULL, "Dupré", IBAN_FR, G_GINT64_CONSTANT (100000000000), "EUR" }, /* over 999 999 999,99 */
    { NULL, "Dupré", IBAN_FR, -1, "EUR" },
    { NULL, "", IBAN_FR, 100, "EUR" },                              /* no beneficiary */
    { "BNP", "Dupré", IBAN_FR, 100, "EUR" },                        /* not a BIC */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = relance_epc_qr_payload (cases[i].bic, cases[i].name,
                                                         cases[i].iban, cases[i].amount,
                                                         cases[i].currency, "Facture F1",
                                                         &error);

      g_assert_null (payload);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_png (void)
{
  RelanceCompany company = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autofree char *payload = NULL;
  g_autofree guint8 *modules = NULL;
  const guint8 *data;
  GdkPixbuf *pixbuf;
  const guint8 *pixels;
  gsize len = 0;
  int width = 0, side, stride, channels;

  company.name = (char *) "Société Générale d’Électricité Dupré";
  company.iban = (char *) IBAN_FR;
  company.bic = (char *) "BNPAFRPPXXX";

  payload = relance_epc_qr_payload_for_company (&company, 1230, "EUR", "Facture F2026-001",
                                                &error);
  g_assert_no_error (error);
  modules = relance_epc_qr_encode (payload, &width, &error);
  g_assert_no_error (error);
  g_assert_cmpint ((width - 17) % 4, ==, 0);  /* a QR version: 21, 25, 29… modules */

  png = relance_epc_qr_png (&company, 1230, "EUR", "Facture F2026-001", 4, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (png, &len);
  side = (width + 8) * 4;

  /* The PNG signature, then IHDR with the size: the code plus a 4-module quiet zone. */
  g_assert_cmpuint (len, >, 33);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (read_be32 (data + 16), ==, (guint32) side);
  g_assert_cmpuint (read_be32 (data + 20), ==, (guint32) side);

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, side);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, side);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);

  /* Crisp modules: every pixel is black or white and matches its module; the quiet zone
   * is white and the finder pattern's corner black. */
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        const guint8 *px = pixels + y * stride + x * channels;
        int mx = x / 4 - 4, my = y / 4 - 4;
        gboolean dark = mx >= 0 && my >= 0 && mx < width && my < width
                        && modules[my * width + mx];

        g_assert_cmpuint (px[0], ==, dark ? 0 : 255);
        g_assert_cmpuint (px[1], ==, px[0]);
        g_assert_cmpuint (px[2], ==, px[0]);
      }
  g_assert_true (modules[0]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (payload_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/epc-qr/payload/%s", payload_cases[i].name);

      g_test_add_data_func (path, &payload_cases[i], test_payload);
    }
  g_test_add_func ("/epc-qr/truncation", test_truncation);
  g_test_add_func ("/epc-qr/byte-ceiling", test_byte_ceiling);
  g_test_add_func ("/epc-qr/iban", test_iban);
  g_test_add_func ("/epc-qr/refusals", test_refusals);
  g_test_add_func ("/epc-qr/png", test_png);
  return g_test_run ();
}
