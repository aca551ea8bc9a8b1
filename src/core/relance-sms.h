/* relance-sms.h: what an SMS reminder costs before it is sent (GSM 03.38 or UCS-2 length,
 * segments), a transliteration that keeps French and English text in GSM-7, and mobile
 * phone numbers validated and normalised to E.164. Pure GLib: no network, no store. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Settings of the SMS channel (relance config get/set). The channel exists for the planner
 * only when "sms.transport" names a transport ("brevo") and "sms.sender" is set. */
#define RELANCE_SETTING_SMS_TRANSPORT "sms.transport"        /* "brevo", or unset */
#define RELANCE_SETTING_SMS_SENDER    "sms.sender"           /* ≤ 11 letters or digits */
#define RELANCE_SETTING_SMS_COST      "sms.cost-per-segment" /* "0.045 EUR" */

typedef enum
{
  RELANCE_SMS_GSM7, /* 7-bit default alphabet: 160 per message, 153 per part */
  RELANCE_SMS_UCS2, /* anything else: 70 per message, 67 per part */
} RelanceSmsEncoding;

typedef struct
{
  RelanceSmsEncoding encoding;
  guint              characters;  /* Unicode characters in the text */
  guint              units;       /* septets (GSM-7, extension characters count 2) or
                                   * UTF-16 code units (UCS-2) */
  guint              segments;    /* messages billed; 0 for an empty text */
  guint              per_segment; /* 160 or 153 (GSM-7), 70 or 67 (UCS-2) */
  gunichar           first_ucs2;  /* the first character that forced UCS-2, or 0 */
} RelanceSmsCount;

/* Counts @text (UTF-8) the way the network bills it. A part never splits an escape pair
 * (GSM-7) or a surrogate pair (UCS-2). */
void      relance_sms_count             (const char       *text,
                                         RelanceSmsCount  *out);

/* Septets of @c in GSM-7 (1 basic, 2 extension table), 0 when not in GSM-7. */
guint     relance_sms_gsm7_septets      (gunichar          c);

/* @text with the characters outside GSM-7 that have a close GSM-7 spelling replaced
 * (ê → e, ç → c, œ → oe, ’ → ', « → ", no-break spaces → space…). @out_applied (may be
 * NULL) receives the replacements made, "ê→e, ç→c", or NULL when none was needed.
 * Characters without such a spelling are kept (the text then stays UCS-2). */
char     *relance_sms_transliterate     (const char       *text,
                                         char            **out_applied);

/* The sender name an SMS shows: 3 to 11 letters and digits, or a phone number. */
gboolean  relance_sms_sender_is_valid   (const char       *sender,
                                         GError          **error);

typedef enum
{
  RELANCE_PHONE_MOBILE,
  RELANCE_PHONE_LANDLINE, /* fixed, VoIP, special rate: cannot receive an SMS */
  RELANCE_PHONE_UNKNOWN,  /* another country: the kind cannot be told */
} RelancePhoneKind;

/* @text as people write it ("06 12 34 56 78", "06.12.34.56.78", "+33 6 12…", "0033 6…",
 * "+33 (0)6…", "07700 900123", "+44 7700 900123") → E.164 "+33612345678". National numbers
 * (leading 0) are read in @default_country ("FR", "GB"; NULL: FR). NULL with
 * RELANCE_CORE_ERROR_INVALID and a sentence saying what is wrong for nonsense. */
char     *relance_phone_normalise       (const char        *text,
                                         const char        *default_country,
                                         RelancePhoneKind  *out_kind,
                                         GError           **error);

/* The same, and refuses a number known not to be a mobile, with a clear message. */
char     *relance_phone_normalise_mobile (const char       *text,
                                          const char       *default_country,
                                          GError          **error);

G_END_DECLS
