/* relance-names.c: translated names for template keys, channels and tones.
 *
 * A channel and a tone are never put side by side as two translated words: in French the
 * tone's adjective would have to agree with a noun it does not know ("courriel courtoise").
 * Each pair is one whole string instead, so that every language can word it properly. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-names.h"

static const struct
{
  const char *key;
  const char *name;
} template_names[] = {
  /* Translators: the name of a reminder template (the step before the due date) */
  { "before-due", NC_("template", "Before the due date") },
  /* Translators: the name of a reminder template */
  { "due-today", NC_("template", "Due today") },
  /* Translators: the name of a reminder template */
  { "first-reminder", NC_("template", "First reminder") },
  /* Translators: the name of a reminder template */
  { "second-reminder", NC_("template", "Second reminder") },
  /* Translators: the name of a reminder template */
  { "firm", NC_("template", "Firm reminder") },
  /* Translators: the name of a reminder template: a firm reminder stating late-payment
   * penalties */
  { "firm-penalties", NC_("template", "Reminder with penalties") },
  /* Translators: the name of a reminder template: the formal notice to pay */
  { "formal-notice", NC_("template", "Formal notice") },
  /* Translators: the name of a template: the script of a phone call the owner makes */
  { "call-task", NC_("template", "Task: phone call") },
  /* Translators: the name of a template: the owner decides what to do next (large amount) */
  { "handover-task", NC_("template", "Task: decision") },
  /* Translators: the name of a text-message template */
  { "sms-before-due", NC_("template", "SMS before the due date") },
  /* Translators: the name of a text-message template */
  { "sms-overdue", NC_("template", "Overdue SMS") },
  /* Translators: the name of a template: a short friendly WhatsApp message the owner sends */
  { "whatsapp-nudge", NC_("template", "Task: WhatsApp nudge") },
};

const char *
relance_template_key_display_name (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (template_names); i++)
    if (g_strcmp0 (key, template_names[i].key) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "template", template_names[i].name);
  return key != NULL ? key : "";
}

const char *
relance_channel_display_name (const char *channel)
{
  if (g_strcmp0 (channel, "email") == 0)
    return C_("channel", "Email");
  if (g_strcmp0 (channel, "letter") == 0)
    return C_("channel", "Letter");
  if (g_strcmp0 (channel, "task") == 0)
    /* Translators: a phone call or another action the owner does by hand */
    return C_("channel", "Task");
  if (g_strcmp0 (channel, "sms") == 0)
    return C_("channel", "SMS");
  return channel != NULL ? channel : "";
}

const char *
relance_tone_display_name (const char *tone)
{
  if (g_strcmp0 (tone, "courteous") == 0)
    return C_("tone", "Courteous");
  if (g_strcmp0 (tone, "firm") == 0)
    return C_("tone", "Firm");
  if (g_strcmp0 (tone, "formal-notice") == 0)
    return C_("tone", "Formal notice");
  return tone != NULL ? tone : "";
}

static const struct
{
  const char *channel;
  const char *tone;
  const char *phrase;
} channel_tone_names[] = {
  /* Translators: how a reminder step goes out and its tone, shown together, e.g. in
   * `relance plan`; make it agree as a whole ("courriel, ton courtois") */
  { "email", "courteous", NC_("channel and tone", "Email, courteous tone") },
  /* Translators: how a reminder step goes out and its tone, shown together */
  { "email", "firm", NC_("channel and tone", "Email, firm tone") },
  /* Translators: how a reminder step goes out and its tone, shown together */
  { "email", "formal-notice", NC_("channel and tone", "Email, formal notice") },
  /* Translators: how a reminder step goes out (a printed letter) and its tone */
  { "letter", "courteous", NC_("channel and tone", "Letter, courteous tone") },
  /* Translators: how a reminder step goes out (a printed letter) and its tone */
  { "letter", "firm", NC_("channel and tone", "Letter, firm tone") },
  /* Translators: how a reminder step goes out (a printed letter) and its tone */
  { "letter", "formal-notice", NC_("channel and tone", "Letter, formal notice") },
  /* Translators: a reminder step the owner does by hand (a call) and its tone */
  { "task", "courteous", NC_("channel and tone", "Task, courteous tone") },
  /* Translators: a reminder step the owner does by hand (a call) and its tone */
  { "task", "firm", NC_("channel and tone", "Task, firm tone") },
  /* Translators: a reminder step the owner does by hand (a call) and its tone */
  { "task", "formal-notice", NC_("channel and tone", "Task, formal notice") },
  /* Translators: a reminder step sent as a text message and its tone */
  { "sms", "courteous", NC_("channel and tone", "SMS, courteous tone") },
  /* Translators: a reminder step sent as a text message and its tone */
  { "sms", "firm", NC_("channel and tone", "SMS, firm tone") },
  /* Translators: a reminder step sent as a text message and its tone */
  { "sms", "formal-notice", NC_("channel and tone", "SMS, formal notice") },
};

char *
relance_channel_tone_display_name (const char *channel,
                                   const char *tone)
{
  for (guint i = 0; i < G_N_ELEMENTS (channel_tone_names); i++)
    if (g_strcmp0 (channel, channel_tone_names[i].channel) == 0
        && g_strcmp0 (tone, channel_tone_names[i].tone) == 0)
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "channel and tone",
                                     channel_tone_names[i].phrase));
  /* Translators: a channel and a tone Relance does not know, both names as they are */
  return g_strdup_printf (C_("channel and tone", "%s, %s"),
                          relance_channel_display_name (channel),
                          relance_tone_display_name (tone));
}
