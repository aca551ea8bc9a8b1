/* ui-test-common.h: the harness the UI tests share (waiting on the main loop, reading
 * what the widget tree shows, filling a store, one application per subprocess). */
#pragma once

#include <adwaita.h>

#include "relance-application.h"
#include "relance-store-outbox.h"
#include "relance-store.h"

G_BEGIN_DECLS

typedef gboolean (*RelanceTestCondition) (gpointer data);

void                relance_test_keep_system_data_dirs    (void);
void                relance_test_use_system_data_dirs     (void);
void                relance_test_set_wait_timeout         (gint64                timeout_us);
void                relance_test_iterate_until            (RelanceTestCondition  condition,
                                                           gpointer              data,
                                                           const char           *what);
void                relance_test_collect_labels           (GtkWidget            *widget,
                                                           GString              *out);
char               *relance_test_visible_text             (GtkWidget            *widget);
void                relance_test_wait_for_text            (GtkWidget            *widget,
                                                           const char           *needle,
                                                           const char           *what);
void                relance_test_wait_text_gone           (GtkWidget            *widget,
                                                           const char           *needle,
                                                           const char           *what);
GtkWidget          *relance_test_find_descendant_of_type  (GtkWidget            *widget,
                                                           GType                 type);
GtkWidget          *relance_test_find_button_with_label   (GtkWidget            *widget,
                                                           const char           *label);
GtkWidget          *relance_test_find_button_with_action  (GtkWidget            *widget,
                                                           const char           *action);
GtkWidget          *relance_test_find_toplevel_of_type    (GType                 type);
GtkWidget          *relance_test_find_row                 (GtkWidget            *widget,
                                                           GType                 type,
                                                           const char           *title);
GtkWidget          *relance_test_find_widget              (GtkWidget            *widget,
                                                           const char           *id);
GtkWidget          *relance_test_get_widget               (GtkWidget            *root,
                                                           const char           *id);
void                relance_test_add_invoice              (RelanceStore         *store,
                                                           gint64                client_id,
                                                           const char           *number,
                                                           const char           *issue,
                                                           const char           *due,
                                                           gint64                total);
gint64              relance_test_add_client               (RelanceStore         *store,
                                                           const char           *name,
                                                           const char           *email);
/* A sent reminder about @invoice_number as the sender records it: the outbox @row (its
 * client_id is the invoice's when 0) with the message @raw, and the reminder of the first
 * scenario step pointing at it, both at @row->sent_at. */
void                relance_test_add_sent_reminder        (RelanceStore           *store,
                                                           const char             *invoice_number,
                                                           const RelanceOutboxRow *row,
                                                           const char             *raw);
char               *relance_test_new_database_path        (void);
RelanceApplication *relance_test_start_application        (const char           *path,
                                                           GtkWidget           **out_window);
void                relance_test_stop_application         (RelanceApplication   *app);
void                relance_test_run_in_subprocess        (gconstpointer         data);
void                relance_test_run_in_gtk_subprocess    (gconstpointer         data);

G_END_DECLS
