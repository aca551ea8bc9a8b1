/* relance-preferences-private.h: what the two files of the Preferences window share:
 * relance-preferences.c builds the window and its rows (company, sending, penalties) and
 * holds how a row is built and checked; relance-preferences-account.c holds the rows about
 * the mail account (server, password, sign-in, Brevo and text messages). */
#pragma once

#include <adwaita.h>

#include "relance-preferences.h"

G_BEGIN_DECLS

struct _RelancePreferences
{
  AdwPreferencesWindow  parent_instance;

  RelanceStore         *store;
  GCancellable         *cancellable;
  gboolean              loading;

  /* Company */
  GtkEntry             *name_entry, *address_entry, *siret_entry, *vat_entry, *iban_entry,
                       *bic_entry, *rate_entry, *threshold_entry, *host_entry, *user_entry,
                       *from_entry, *start_entry, *end_entry;
  AdwActionRow         *name_row, *iban_row, *bic_row, *rate_row, *threshold_row, *host_row,
                       *from_row, *password_row, *hours_row, *background_row;
  GtkDropDown          *country_dropdown, *language_dropdown, *security_dropdown,
                       *calendar_dropdown;
  GtkSpinButton        *terms_spin, *port_spin;
  GtkCheckButton       *legal_check, *contractual_check;
  GtkToggleButton      *day_toggles[7];
  GtkWidget            *password_entry;
  GtkSwitch            *background_switch;
  AdwActionRow         *bank_folder_row;
  GtkWidget            *bank_folder_clear;
  GtkLabel             *rates_note;
  GtkWidget            *rates_button;

  /* Sign-in, Brevo and SMS */
  GCancellable         *oauth_cancellable;
  AdwActionRow         *oauth_row, *brevo_row, *sender_row, *cost_row;
  GtkWidget            *oauth_buttons[2], *oauth_spinner, *oauth_cancel, *brevo_entry;
  GtkEntry             *sender_entry, *cost_entry;
  GPtrArray            *sms_rows;

  /* Template widgets */
  AdwPreferencesGroup  *identity_group, *payment_group, *clients_group, *server_group,
                       *password_group, *window_group, *background_group, *penalty_group,
                       *notice_group, *sign_in_group, *brevo_group, *sms_group;
};

/* relance-preferences.c: building rows. A row's error shows under its title (NULL clears
 * it); entries and drop-downs call @changed, swapped, with the window. */
void          relance_prefs_set_row_error (AdwActionRow         *row,
                                           GtkWidget            *widget,
                                           const char           *message);
AdwActionRow *relance_prefs_add_row       (AdwPreferencesGroup  *group,
                                           const char           *title,
                                           const char           *subtitle,
                                           GtkWidget            *widget);
GtkEntry     *relance_prefs_add_entry     (RelancePreferences   *self,
                                           AdwPreferencesGroup  *group,
                                           const char           *title,
                                           AdwActionRow        **out_row,
                                           GCallback             changed);
GtkDropDown  *relance_prefs_add_dropdown  (RelancePreferences   *self,
                                           AdwPreferencesGroup  *group,
                                           const char           *title,
                                           const char           *subtitle,
                                           GtkStringList        *model,
                                           GCallback             changed);
/* The entry's text without surrounding spaces, NULL when that leaves nothing. */
char         *relance_prefs_entry_text    (GtkEntry             *entry);
void          relance_prefs_set_entry     (GtkEntry             *entry,
                                           const char           *text);
void          relance_prefs_toast         (RelancePreferences   *self,
                                           const char           *text);

/* relance-preferences-account.c: the account's rows, built once and loaded from the
 * store (while self->loading is set). */
void          relance_prefs_build_account (RelancePreferences   *self);
void          relance_prefs_load_account  (RelancePreferences   *self);

G_END_DECLS
