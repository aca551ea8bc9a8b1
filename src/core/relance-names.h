/* relance-names.h: the names a person reads for the stable keys of templates, channels and
 * tones ("first-reminder" → "First reminder", "Première relance"). The keys stay in the
 * database and in the command line's JSON; everything shown to a person goes through here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translated name of a template key; a key Relance does not ship is returned as is. */
const char *relance_template_key_display_name (const char *key);
/* "Email", "Letter", "Task", "SMS"; an unknown channel is returned as is. */
const char *relance_channel_display_name      (const char *channel);
/* "Courteous", "Firm", "Formal notice"; an unknown tone is returned as is. */
const char *relance_tone_display_name         (const char *tone);
/* A step's channel and tone together, as one phrase that agrees in every language:
 * "Email, courteous tone", "Letter, formal notice". Newly allocated. */
char       *relance_channel_tone_display_name (const char *channel,
                                               const char *tone);

G_END_DECLS
