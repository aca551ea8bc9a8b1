/* relance-cli-private.h: what the files of the command line share. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "relance-cli.h"
#include "relance-store.h"

G_BEGIN_DECLS

#define EXIT_USAGE 2

typedef struct
{
  RelanceLaunch *launch;
  const char    *command;
  RelanceStore  *store;
} CliContext;

int           relance_cli_fail          (GError        *error);
int           relance_cli_usage_error   (const char    *format,
                                         ...) G_GNUC_PRINTF (1, 2);
RelanceStore *relance_cli_store         (CliContext    *ctx,
                                         GError       **error);
gboolean      relance_cli_parse_options (GOptionEntry  *entries,
                                         const char    *parameter_string,
                                         char        ***args,
                                         int           *argc);
void          relance_cli_append_padded (GString       *out,
                                         const char    *text,
                                         int            width);
void          relance_cli_json_string_member (JsonBuilder *builder,
                                              const char  *name,
                                              const char  *value);
void          relance_cli_print_json    (JsonBuilder   *builder);

/* relance-cli-engine.c: the reminder engine's commands */
int relance_cli_cmd_invoice  (CliContext *ctx, char **argv);
int relance_cli_cmd_client   (CliContext *ctx, char **argv);
int relance_cli_cmd_plan     (CliContext *ctx, char **argv);
int relance_cli_cmd_preview  (CliContext *ctx, char **argv);
int relance_cli_cmd_template (CliContext *ctx, char **argv);
int relance_cli_cmd_rate     (CliContext *ctx, char **argv);
int relance_cli_cmd_config   (CliContext *ctx, char **argv);
int relance_cli_cmd_company  (CliContext *ctx, char **argv);

/* relance-cli-mail.c: sending */
int relance_cli_cmd_account  (CliContext *ctx, char **argv);
int relance_cli_cmd_send_due (CliContext *ctx, char **argv);
int relance_cli_cmd_history  (CliContext *ctx, char **argv);
int relance_cli_cmd_outbox   (CliContext *ctx, char **argv);
int relance_cli_cmd_sms      (CliContext *ctx, char **argv);

/* relance-cli-inbox.c: the clients' answers */
int relance_cli_cmd_inbox    (CliContext *ctx, char **argv);

/* relance-cli-scheduler.c: the scheduler */
int relance_cli_cmd_pause      (CliContext *ctx, char **argv);
int relance_cli_cmd_resume     (CliContext *ctx, char **argv);
int relance_cli_run_background (RelanceLaunch *launch);

/* relance-cli-backup.c: copies of the database */
int relance_cli_cmd_backup     (CliContext *ctx, char **argv);

/* relance-cli-documents.c: the formal-notice letter and the proof export */
int relance_cli_cmd_letter     (CliContext *ctx, char **argv);
int relance_cli_export_history (RelanceStore *store, const char *invoice_number,
                                const char *client, const char *path);

/* relance-cli-ab.c: A/B tests of texts, and a test sent to the owner */
int relance_cli_cmd_ab             (CliContext *ctx, char **argv);
int relance_cli_preview_send_to_me (CliContext *ctx, const char *number,
                                    const char *template_key);

/* relance-cli-bank.c: bank statements */
int relance_cli_cmd_bank       (CliContext *ctx, char **argv);

G_END_DECLS
