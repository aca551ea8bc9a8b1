/* relance-sms.c: SMS length and cost (GSM 03.38 default alphabet and its extension table,
 * or UCS-2), transliteration to GSM-7, and phone numbers in E.164.
 *
 * Why it matters: one character outside GSM-7 (a "ê" or a typographic apostrophe) turns a
 * 160-character message into three billed parts, so the owner sees the count before
 * enabling SMS, and French text is offered a GSM-7 spelling. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-error.h"
#include "relance-sms.h"

/* GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, is
 * left out). Ç is the capital: a lowercase ç is not in the basic set. */
static const gunichar gsm7_basic[] = {
  '@', 0x00A3, '$', 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, '\n', 0x00D8,
  0x00F8, '\r', 0x00C5, 0x00E5,
  0x0394, '_', 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3, 0x0398, 0x039E,
  0x00C6, 0x00E6, 0x00DF, 0x00C9,
  ' ', '!', '"', '#', 0x00A4, '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
  0x00A1, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
  'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
  0x00BF, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

/* The extension table: each is sent as ESC + one septet. */
static const gunichar gsm7_extension[] = {
  '\f', '^', '{', '}', '\\', '[', '~', ']', '|', 0x20AC,
};

guint
relance_sms_gsm7_septets (gunichar c)
{
  for (guint i = 0; i < G_N_ELEMENTS (gsm7_basic); i++)
    if (gsm7_basic[i] == c)
      return 1;
  for (guint i = 0; i < G_N_ELEMENTS (gsm7_extension); i++)
    if (gsm7_extension[i] == c)
      return 2;
  return 0;
}

/* Parts a text of @sizes (each 1 or 2 units, never split) needs with @per_part units each. */
static guint
count_parts (const guint8 *sizes, guint n, guint per_part)
{
  guint parts = 1, used = 0;

  for (guint i = 0; i < n; i++)
    {
      if (used + sizes[i] > per_part)
        {
          parts++;
          used = 0;
        }
      used += sizes[i];
    }
  return parts;
}

void
relance_sms_count (const char      *text,
                   RelanceSmsCount *out)
{
  g_autoptr(GByteArray) gsm = g_byte_array_new ();
  g_autoptr(GByteArray) ucs = g_byte_array_new ();
  guint septets = 0, utf16 = 0, chars = 0;
  gunichar first_ucs2 = 0;

  g_return_if_fail (out != NULL);
  memset (out, 0, sizeof *out);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint8 s = (guint8) relance_sms_gsm7_septets (c);
      guint8 u = c > 0xFFFF ? 2 : 1;

      if (s == 0 && first_ucs2 == 0)
        first_ucs2 = c;
      g_byte_array_append (gsm, &s, 1);
      g_byte_array_append (ucs, &u, 1);
      septets += s;
      utf16 += u;
      chars++;
    }

  out->characters = chars;
  out->first_ucs2 = first_ucs2;
  if (first_ucs2 == 0)
    {
      out->encoding = RELANCE_SMS_GSM7;
      out->units = septets;
      out->per_segment = septets <= 160 ? 160 : 153;
      out->segments = septets == 0 ? 0 : septets <= 160 ? 1 : count_parts (gsm->data, chars, 153);
    }
  else
    {
      out->encoding = RELANCE_SMS_UCS2;
      out->units = utf16;
      out->per_segment = utf16 <= 70 ? 70 : 67;
      out->segments = utf16 <= 70 ? 1 : count_parts (ucs->data, chars, 67);
    }
}

/* What French and English texts hold outside GSM-7, and the GSM-7 spelling closest to it.
 * Characters already in GSM-7 (é è à ù ç's capital Ç…) are never touched. */
static const struct { gunichar from; const char *to; } transliterations[] = {
  { 0x00E2, "a" }, { 0x00E1, "a" }, { 0x00E3, "a" },                   /* â á ã */
  { 0x00C0, "A" }, { 0x00C2, "A" }, { 0x00C1, "A" }, { 0x00C3, "A" },  /* À Â Á Ã */
  { 0x00EA, "e" }, { 0x00EB, "e" },                                    /* ê ë */
  { 0x00C8, "E" }, { 0x00CA, "E" }, { 0x00CB, "E" },                   /* È Ê Ë */
  { 0x00EE, "i" }, { 0x00EF, "i" }, { 0x00ED, "i" },                   /* î ï í */
  { 0x00CE, "I" }, { 0x00CF, "I" }, { 0x00CD, "I" }, { 0x00CC, "I" },  /* Î Ï Í Ì */
  { 0x00F4, "o" }, { 0x00F3, "o" }, { 0x00F5, "o" },                   /* ô ó õ */
  { 0x00D4, "O" }, { 0x00D3, "O" }, { 0x00D2, "O" }, { 0x00D5, "O" },  /* Ô Ó Ò Õ */
  { 0x00FB, "u" }, { 0x00FA, "u" },                                    /* û ú */
  { 0x00D9, "U" }, { 0x00DB, "U" }, { 0x00DA, "U" },                   /* Ù Û Ú */
  { 0x00E7, "c" },                                                     /* ç */
  { 0x00FF, "y" }, { 0x0178, "Y" }, { 0x00FD, "y" }, { 0x00DD, "Y" },  /* ÿ Ÿ ý Ý */
  { 0x0153, "oe" }, { 0x0152, "OE" },                                  /* œ Œ */
  { 0x2018, "'" }, { 0x2019, "'" }, { 0x02BC, "'" },                   /* ‘ ’ ʼ */
  { 0x201C, "\"" }, { 0x201D, "\"" }, { 0x00AB, "\"" }, { 0x00BB, "\"" }, /* “ ” « » */
  { 0x2013, "-" }, { 0x2014, "-" }, { 0x2010, "-" }, { 0x2011, "-" },  /* – — ‐ ‑ */
  { 0x2026, "..." },                                                   /* … */
  { 0x00A0, " " }, { 0x202F, " " }, { 0x2009, " " }, { 0x2007, " " },  /* no-break, thin */
  { 0x2022, "-" }, { 0x00B0, "o" },                                    /* • ° (n°) */
  { '\t', " " },
};

char *
relance_sms_transliterate (const char  *text,
                           char       **out_applied)
{
  g_autoptr(GString) result = g_string_new (NULL);
  g_autoptr(GString) applied = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (out_applied != NULL)
    *out_applied = NULL;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *to = NULL;

      if (relance_sms_gsm7_septets (c) == 0)
        for (guint i = 0; i < G_N_ELEMENTS (transliterations); i++)
          if (transliterations[i].from == c)
            {
              to = transliterations[i].to;
              break;
            }
      if (to == NULL)
        {
          g_string_append_unichar (result, c);
          continue;
        }
      g_string_append (result, to);
      {
        g_autoptr(GString) label = g_string_new (NULL);

        /* Spaces and tabs are shown by name: "→ " alone would read as nothing. */
        if (c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007)
          g_string_append (label, _("no-break space→space"));
        else if (c == '\t')
          g_string_append (label, _("tab→space"));
        else
          {
            g_string_append_unichar (label, c);
            g_string_append (label, "→");
            g_string_append (label, to);
          }
        if (!g_hash_table_contains (seen, label->str))
          {
            if (applied->len > 0)
              g_string_append (applied, ", ");
            g_string_append (applied, label->str);
            g_hash_table_add (seen, g_string_free (g_steal_pointer (&label), FALSE));
          }
      }
    }
  if (out_applied != NULL && applied->len > 0)
    *out_applied = g_string_free (g_steal_pointer (&applied), FALSE);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

gboolean
relance_sms_sender_is_valid (const char  *sender,
                             GError     **error)
{
  gsize len = sender != NULL ? strlen (sender) : 0;
  gboolean digits_only = len > 0;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (sender[i]))
        goto invalid;
      digits_only = digits_only && g_ascii_isdigit (sender[i]);
    }
  /* Operators take an alphanumeric name of 3 to 11 characters, or a number of up to 15. */
  if (len >= 3 && (len <= 11 || (digits_only && len <= 15)))
    return TRUE;

invalid:
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: %s is what the user typed */
               _("“%s” cannot be an SMS sender name: use 3 to 11 letters and digits, without "
                 "spaces or accents (for example “AtelierDup”)."), sender != NULL ? sender : "");
  return FALSE;
}

/* ---- phone numbers ---------------------------------------------------------------- */

typedef struct
{
  const char *country;
  const char *calling_code;
  guint       national_digits; /* after the trunk 0 */
} Numbering;

static const Numbering numberings[] = {
  { "FR", "33", 9 },
  { "GB", "44", 10 },
};

static const Numbering *
numbering_for_country (const char *country)
{
  for (guint i = 0; i < G_N_ELEMENTS (numberings); i++)
    if (country != NULL && g_ascii_strcasecmp (country, numberings[i].country) == 0)
      return &numberings[i];
  if (country != NULL && g_ascii_strcasecmp (country, "UK") == 0)
    return &numberings[1];
  return NULL;
}

static RelancePhoneKind
kind_of (const Numbering *n, const char *national)
{
  if (g_str_equal (n->country, "FR"))
    /* 06 and 07 (073 to 079) are mobiles; 01-05 and 09 fixed or VoIP; 08 special rate. */
    return national[0] == '6' || (national[0] == '7' && national[1] >= '3')
             ? RELANCE_PHONE_MOBILE : RELANCE_PHONE_LANDLINE;
  /* GB: 071-075 and 077-079 are mobiles, and 07624 (Isle of Man); 070 is a personal number,
   * 076 pagers; 01, 02 fixed; 03, 08, 09 non-geographic. */
  if (national[0] == '7'
      && ((national[1] >= '1' && national[1] <= '5') || national[1] >= '7'
          || g_str_has_prefix (national, "7624")))
    return RELANCE_PHONE_MOBILE;
  return RELANCE_PHONE_LANDLINE;
}

static char *
invalid_number (GError **error, const char *text, const char *why)
{
  g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
               /* Translators: the first %s is what the user typed, the second the reason */
               _("“%s” is not a phone number Relance can use: %s"), text, why);
  return NULL;
}

char *
relance_phone_normalise (const char        *text,
                         const char        *default_country,
                         RelancePhoneKind  *out_kind,
                         GError           **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean international = FALSE;
  const Numbering *n = NULL;
  const char *national;
  const char *shown = text != NULL ? text : "";

  if (out_kind != NULL)
    *out_kind = RELANCE_PHONE_UNKNOWN;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return invalid_number (error, "", _("it is empty."));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (c))
        g_string_append_c (digits, (char) c);
      else if (c == '+' && digits->len == 0 && !international)
        international = TRUE;
      else if (c == '(' && g_str_has_prefix (p, "(0)") && international)
        p += 2; /* "+33 (0)6…": that 0 is only dialled by national callers */
      else if (!(c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')'
                 || c == 0x00A0 || c == 0x202F || c == 0x2009))
        return invalid_number (error, shown, _("only digits, spaces, dots, dashes and a "
                                               "leading + are allowed."));
    }
  if (digits->len == 0)
    return invalid_number (error, shown, _("it has no digits."));

  if (!international && g_str_has_prefix (digits->str, "00"))
    {
      international = TRUE;
      g_string_erase (digits, 0, 2);
    }

  if (international)
    {
      for (guint i = 0; i < G_N_ELEMENTS (numberings); i++)
        if (g_str_has_prefix (digits->str, numberings[i].calling_code))
          n = &numberings[i];
      if (n == NULL)
        {
          /* Another country: E.164 allows up to 15 digits with the country code. */
          if (digits->len < 8 || digits->len > 15 || digits->str[0] == '0')
            return invalid_number (error, shown, _("an international number has 8 to 15 "
                                                   "digits after the + and its country code "
                                                   "does not start with 0."));
          return g_strconcat ("+", digits->str, NULL);
        }
      g_string_erase (digits, 0, (gssize) strlen (n->calling_code));
      if (digits->str[0] == '0')
        g_string_erase (digits, 0, 1); /* "+33 06…", written by many */
    }
  else
    {
      n = numbering_for_country (default_country != NULL ? default_country : "FR");
      if (n == NULL)
        return invalid_number (error, shown, _("write it with its country code, for "
                                               "example +33 6 12 34 56 78."));
      if (digits->str[0] != '0')
        return invalid_number (error, shown, _("a national number starts with 0; otherwise "
                                               "write it with its country code, for example "
                                               "+33 6 12 34 56 78."));
      g_string_erase (digits, 0, 1);
    }

  national = digits->str;
  if (digits->len != n->national_digits || national[0] == '0')
    {
      if (g_str_equal (n->country, "FR"))
        return invalid_number (error, shown, _("a French number has 10 digits, such as "
                                               "06 12 34 56 78."));
      return invalid_number (error, shown, _("a UK number has 11 digits, such as "
                                             "07700 900123."));
    }
  if (out_kind != NULL)
    *out_kind = kind_of (n, national);
  return g_strconcat ("+", n->calling_code, national, NULL);
}

char *
relance_phone_normalise_mobile (const char  *text,
                                const char  *default_country,
                                GError     **error)
{
  RelancePhoneKind kind;
  g_autofree char *e164 = relance_phone_normalise (text, default_country, &kind, error);

  if (e164 == NULL)
    return NULL;
  if (kind == RELANCE_PHONE_LANDLINE)
    {
      g_set_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID,
                   /* Translators: %s is a phone number */
                   _("%s is a landline or special-rate number: it cannot receive an SMS. "
                     "Give the client's mobile number (06 or 07 in France, 07 in the UK)."),
                   e164);
      return NULL;
    }
  return g_steal_pointer (&e164);
}
