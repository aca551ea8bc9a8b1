/* relance-client-dialog.c: the dialog that adds or edits a client.
 *
 * Addresses are checked with the same rule the sender applies (relance_address_is_valid)
 * and time zones with the calendar's, as the user types; the reason a value is refused is
 * written right under its field and Save stays insensitive until every field is valid, so
 * a reminder never fails later on a typo made here. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relance-account.h"
#include "relance-calendar.h"
#include "relance-client-dialog.h"
#include "relance-language.h"
#include "relance-ui-util.h"

typedef enum
{
  FIELD_NAME,
  FIELD_EMAIL,
  FIELD_CC,
  FIELD_PHONE,
  FIELD_POSTCODE,
  FIELD_CITY,
  FIELD_COUNTRY,
  FIELD_TIMEZONE,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  "name", "email", "cc", "phone", "postcode", "city", "country", "timezone",
};

/* The values behind the two combo rows, in the order of their items. */
static const char * const languages[] = { "en", "fr" };
static const char * const segments[] = { "regular", "at-risk", "strategic" };

struct _RelanceClientDialog
{
  AdwWindow      parent_instance;

  RelanceStore  *store;
  RelanceClient *client;     /* the copy being edited, id 0 for a new one */

  GtkWidget     *entries[N_FIELDS];
  GtkLabel      *errors[N_FIELDS];
  GtkTextView   *street_view;
  AdwComboRow   *language_row;
  AdwComboRow   *segment_row;
  GtkWidget     *save_button;
};

G_DEFINE_FINAL_TYPE (RelanceClientDialog, relance_client_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
field_text (RelanceClientDialog *self,
            Field                field)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entries[field]))));
}

static void
set_field_error (RelanceClientDialog *self,
                 Field                field,
                 const char          *message)
{
  gboolean shown = message != NULL;

  gtk_label_set_text (self->errors[field], shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->errors[field]), shown);
  if (shown)
    gtk_widget_add_css_class (self->entries[field], "error");
  else
    gtk_widget_remove_css_class (self->entries[field], "error");
}

static gboolean
cc_is_valid (const char *text)
{
  g_auto(GStrv) addresses = g_strsplit (text, ",", -1);

  for (guint i = 0; addresses[i] != NULL; i++)
    {
      g_strstrip (addresses[i]);
      if (*addresses[i] != '\0' && !relance_address_is_valid (addresses[i]))
        return FALSE;
    }
  return TRUE;
}

/* Empty, or two letters: what relance_calendar and the letter expect. */
static gboolean
country_is_valid (const char *text)
{
  return *text == '\0'
         || (strlen (text) == 2 && g_ascii_isalpha (text[0]) && g_ascii_isalpha (text[1]));
}

/* Checks every field and shows why one is refused. Returns whether Save may go ahead. */
static gboolean
validate (RelanceClientDialog *self)
{
  g_autofree char *name = field_text (self, FIELD_NAME);
  g_autofree char *email = field_text (self, FIELD_EMAIL);
  g_autofree char *cc = field_text (self, FIELD_CC);
  g_autofree char *zone = field_text (self, FIELD_TIMEZONE);
  g_autofree char *country = field_text (self, FIELD_COUNTRY);
  gboolean valid = TRUE;

  /* An untouched empty name blocks Save without scolding the user at once. */
  if (*name == '\0')
    {
      set_field_error (self, FIELD_NAME,
                       g_object_get_data (G_OBJECT (self->entries[FIELD_NAME]), "touched")
                       ? _("Type the client’s name.") : NULL);
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_NAME, NULL);

  if (*email != '\0' && !relance_address_is_valid (email))
    {
      /* Translators: shown under the email field of the client dialog */
      set_field_error (self, FIELD_EMAIL, _("This is not an email address, such as "
                                            "accounts@example.com."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_EMAIL, NULL);

  if (!cc_is_valid (cc))
    {
      set_field_error (self, FIELD_CC, _("Separate the addresses with commas, such as "
                                         "boss@example.com, accounts@example.com."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_CC, NULL);

  if (!country_is_valid (country))
    {
      /* Translators: shown under the country field of the client dialog */
      set_field_error (self, FIELD_COUNTRY, _("Type the country’s two-letter code, such as FR "
                                              "or GB, or leave it empty for the company’s."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_COUNTRY, NULL);

  if (*zone != '\0' && !relance_timezone_is_valid (zone))
    {
      set_field_error (self, FIELD_TIMEZONE, _("Unknown time zone: type a name such as "
                                               "Europe/Paris or America/New_York, or leave "
                                               "it empty to use the company’s."));
      valid = FALSE;
    }
  else
    set_field_error (self, FIELD_TIMEZONE, NULL);

  return valid;
}

static void
field_changed_cb (GtkEditable         *editable,
                  RelanceClientDialog *self)
{
  g_object_set_data (G_OBJECT (editable), "touched", GINT_TO_POINTER (TRUE));
  gtk_widget_set_sensitive (self->save_button, validate (self));
}

static char *
nullable (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The street lines as typed, without blank lines or surrounding spaces; NULL when none. */
static char *
street_text (RelanceClientDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->street_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) street = g_string_new (NULL);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      if (street->len > 0)
        g_string_append_c (street, '\n');
      g_string_append (street, lines[i]);
    }
  return street->len > 0 ? g_string_free (g_steal_pointer (&street), FALSE) : NULL;
}

static void
save_clicked_cb (RelanceClientDialog *self)
{
  g_autoptr(GError) error = NULL;
  RelanceClient *client = self->client;

  if (!validate (self))
    return;

  g_free (client->name);
  client->name = field_text (self, FIELD_NAME);
  g_free (client->email);
  client->email = nullable (field_text (self, FIELD_EMAIL));
  g_free (client->cc);
  client->cc = nullable (field_text (self, FIELD_CC));
  g_free (client->phone);
  client->phone = nullable (field_text (self, FIELD_PHONE));
  g_free (client->street);
  client->street = street_text (self);
  g_free (client->postcode);
  client->postcode = nullable (field_text (self, FIELD_POSTCODE));
  g_free (client->city);
  client->city = nullable (field_text (self, FIELD_CITY));
  g_free (client->country);
  client->country = nullable (field_text (self, FIELD_COUNTRY));
  for (char *c = client->country; c != NULL && *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
  g_free (client->timezone);
  client->timezone = nullable (field_text (self, FIELD_TIMEZONE));
  g_free (client->language);
  client->language = g_strdup (languages[adw_combo_row_get_selected (self->language_row)]);
  g_free (client->segment);
  client->segment = g_strdup (segments[adw_combo_row_get_selected (self->segment_row)]);
  if (client->kind == NULL)
    client->kind = g_strdup ("business");

  if (!relance_store_save_client (self->store, client, &error))
    {
      relance_show_error_dialog (GTK_WIDGET (self), _("Could Not Save the Client"), error);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, client->id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_field (RelanceClientDialog *self,
           GtkBox              *box,
           Field                field,
           const char          *title,
           GtkInputPurpose      purpose)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), purpose);
  self->entries[field] = row;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (group), list);

  gtk_label_set_xalign (GTK_LABEL (error_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_set_margin_start (error_label, 12);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_add_css_class (error_label, "caption");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_box_append (GTK_BOX (group), error_label);
  self->errors[field] = GTK_LABEL (error_label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL, -1);
  gtk_box_append (box, group);
}

/* The street lines: a text view, as an address has one to three of them. */
static void
add_street (RelanceClientDialog *self,
            GtkBox              *box)
{
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* Translators: a field of the client dialog: the postal address's street lines */
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Address (Street Lines)"));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_input_purpose (GTK_TEXT_VIEW (view), GTK_INPUT_PURPOSE_FREE_FORM);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (group), label);
  gtk_box_append (GTK_BOX (group), frame);
  gtk_box_append (box, group);
  self->street_view = GTK_TEXT_VIEW (view);
}

static AdwComboRow *
add_combo (GtkBox             *box,
           const char         *title,
           const char * const *labels)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (box, list);
  return ADW_COMBO_ROW (row);
}

static void
build (RelanceClientDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header_bar = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *fields = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *language_labels[] = {
    /* Translators: the language a client's reminders are written in */
    _("English"), _("French"), NULL,
  };
  const char *segment_labels[] = {
    /* Translators: a client segment; it chooses the reminder scenario */
    C_("segment", "Regular"), C_("segment", "At Risk"), C_("segment", "Strategic"), NULL,
  };

  gtk_window_set_title (GTK_WINDOW (self), self->client->id != 0 ? _("Edit Client")
                                                                 : _("New Client"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 640);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header_bar), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header_bar), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header_bar), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), self->save_button);
  gtk_box_append (GTK_BOX (box), header_bar);

  gtk_widget_set_margin_start (fields, 12);
  gtk_widget_set_margin_end (fields, 12);
  gtk_widget_set_margin_top (fields, 18);
  gtk_widget_set_margin_bottom (fields, 18);

  /* Translators: fields of the client dialog */
  add_field (self, GTK_BOX (fields), FIELD_NAME, _("_Name"), GTK_INPUT_PURPOSE_NAME);
  add_field (self, GTK_BOX (fields), FIELD_EMAIL, _("_Email"), GTK_INPUT_PURPOSE_EMAIL);
  /* Translators: a field of the client dialog: more addresses copied on each reminder */
  add_field (self, GTK_BOX (fields), FIELD_CC, _("_Copy To (Comma-Separated)"),
             GTK_INPUT_PURPOSE_EMAIL);
  add_field (self, GTK_BOX (fields), FIELD_PHONE, _("_Phone"), GTK_INPUT_PURPOSE_PHONE);
  add_street (self, GTK_BOX (fields));
  /* Translators: a field of the client dialog (postal address) */
  add_field (self, GTK_BOX (fields), FIELD_POSTCODE, _("P_ostcode"), GTK_INPUT_PURPOSE_FREE_FORM);
  /* Translators: a field of the client dialog (postal address) */
  add_field (self, GTK_BOX (fields), FIELD_CITY, _("C_ity"), GTK_INPUT_PURPOSE_FREE_FORM);
  /* Translators: a field of the client dialog: an ISO 3166 code such as FR or GB */
  add_field (self, GTK_BOX (fields), FIELD_COUNTRY, _("Co_untry Code (Empty: the Company’s)"),
             GTK_INPUT_PURPOSE_ALPHA);
  /* Translators: a field of the client dialog; an IANA name such as Europe/Paris */
  add_field (self, GTK_BOX (fields), FIELD_TIMEZONE, _("_Time Zone (Empty: the Company’s)"),
             GTK_INPUT_PURPOSE_FREE_FORM);
  self->language_row = add_combo (GTK_BOX (fields), _("_Language of the Reminders"),
                                  language_labels);
  self->segment_row = add_combo (GTK_BOX (fields), _("_Segment"), segment_labels);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), fields);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

static guint
index_of (const char * const *values,
          guint               n_values,
          const char         *value)
{
  for (guint i = 0; i < n_values; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return 0;
}

static void
fill (RelanceClientDialog *self)
{
  const RelanceClient *client = self->client;
  const char *texts[N_FIELDS] = {
    client->name, client->email, client->cc, client->phone, client->postcode, client->city,
    client->country, client->timezone,
  };

  for (guint i = 0; i < N_FIELDS; i++)
    gtk_editable_set_text (GTK_EDITABLE (self->entries[i]), texts[i] != NULL ? texts[i] : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->street_view),
                            client->street != NULL ? client->street : "", -1);
  adw_combo_row_set_selected (self->language_row,
                              index_of (languages, G_N_ELEMENTS (languages), client->language));
  adw_combo_row_set_selected (self->segment_row,
                              index_of (segments, G_N_ELEMENTS (segments), client->segment));
  /* Connected after filling, so that only what the user types counts as touched. */
  for (guint i = 0; i < N_FIELDS; i++)
    g_signal_connect (self->entries[i], "changed", G_CALLBACK (field_changed_cb), self);
  gtk_widget_set_sensitive (self->save_button, validate (self));
}

static void
relance_client_dialog_finalize (GObject *object)
{
  RelanceClientDialog *self = RELANCE_CLIENT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->client, relance_client_free);

  G_OBJECT_CLASS (relance_client_dialog_parent_class)->finalize (object);
}

static void
relance_client_dialog_class_init (RelanceClientDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = relance_client_dialog_finalize;

  /**
   * RelanceClientDialog::saved:
   * @id: the client's id in the store
   *
   * The client was written to the store.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relance_client_dialog_init (RelanceClientDialog *self)
{
}

RelanceClientDialog *
relance_client_dialog_new (GtkWindow           *parent,
                           RelanceStore        *store,
                           const RelanceClient *client)
{
  RelanceClientDialog *self;
  RelanceClient *copy = g_new0 (RelanceClient, 1);

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);

  if (client != NULL)
    {
      copy->id = client->id;
      copy->name = g_strdup (client->name);
      copy->reference = g_strdup (client->reference);
      copy->email = g_strdup (client->email);
      copy->cc = g_strdup (client->cc);
      copy->phone = g_strdup (client->phone);
      copy->language = g_strdup (client->language);
      copy->country = g_strdup (client->country);
      copy->timezone = g_strdup (client->timezone);
      copy->kind = g_strdup (client->kind);
      copy->segment = g_strdup (client->segment);
      copy->paused = client->paused;
      copy->do_not_remind = client->do_not_remind;
      copy->notes = g_strdup (client->notes);
      copy->street = g_strdup (client->street);
      copy->postcode = g_strdup (client->postcode);
      copy->city = g_strdup (client->city);
    }
  else
    {
      copy->language = g_strdup (relance_language_for_user ());
      copy->segment = g_strdup ("regular");
    }

  self = g_object_new (RELANCE_TYPE_CLIENT_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->client = copy;
  build (self);
  fill (self);
  gtk_widget_grab_focus (self->entries[FIELD_NAME]);
  return self;
}

static int
field_index (const char *name)
{
  for (int i = 0; i < N_FIELDS; i++)
    if (g_strcmp0 (field_names[i], name) == 0)
      return i;
  g_return_val_if_reached (-1);
}

GtkWidget *
relance_client_dialog_get_field (RelanceClientDialog *self,
                                 const char          *name)
{
  int i = field_index (name);

  g_return_val_if_fail (RELANCE_IS_CLIENT_DIALOG (self), NULL);
  return i >= 0 ? self->entries[i] : NULL;
}

GtkLabel *
relance_client_dialog_get_error_label (RelanceClientDialog *self,
                                       const char          *name)
{
  int i = field_index (name);

  g_return_val_if_fail (RELANCE_IS_CLIENT_DIALOG (self), NULL);
  return i >= 0 ? self->errors[i] : NULL;
}

GtkTextView *
relance_client_dialog_get_street_view (RelanceClientDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENT_DIALOG (self), NULL);
  return self->street_view;
}

GtkWidget *
relance_client_dialog_get_save_button (RelanceClientDialog *self)
{
  g_return_val_if_fail (RELANCE_IS_CLIENT_DIALOG (self), NULL);
  return self->save_button;
}
