/* relance-cli-mail.c: the sending commands: account, send-due, history, outbox.
 * (Over 800 lines: the sending commands share the account, the outbox and their reports.) */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "relance-account.h"
#include "relance-brevo.h"
#include "relance-cli-private.h"
#include "relance-clock.h"
#include "relance-credentials.h"
#include "relance-inbox.h"
#include "relance-mail-error.h"
#include "relance-message.h"
#include "relance-names.h"
#include "relance-oauth.h"
#include "relance-outbox.h"
#include "relance-planner.h"
#include "relance-sms.h"
#include "relance-store-company.h"
#include "relance-smtp.h"

/* ---- account ---------------------------------------------------------------------- */

static void
print_account (const RelanceAccount *a)
{
  g_print ("%-12s%s\n", "host", a->host);
  g_print ("%-12s%d\n", "port", a->port);
  g_print ("%-12s%s\n", "security", a->security);
  g_print ("%-12s%s\n", "user", a->user);
  if (a->from_name != NULL)
    g_print ("%-12s%s <%s>\n", "from", a->from_name, a->from_address);
  else
    g_print ("%-12s%s\n", "from", a->from_address);
  g_print ("%-12s%s\n", "reply-to", a->reply_to != NULL ? a->reply_to : "—");
  g_print ("%-12s%s\n", "bcc-self", a->bcc_self ? "true" : "false");
  g_print ("%-12s%s\n", "ca-file", a->ca_file != NULL ? a->ca_file : "—");
  g_print ("%-12s%d\n", "timeout", a->timeout);
  g_print ("%-12s%s\n", "auth", a->auth != NULL ? a->auth : "password");
}

static void
print_imap (RelanceStore *store, const RelanceAccount *a)
{
  g_autoptr(RelanceImapSettings) imap = relance_imap_settings_load (store, a);

  g_print ("%-12s%s\n", "imap-host", imap->host != NULL ? imap->host : "—");
  g_print ("%-12s%d\n", "imap-port", imap->port);
  g_print ("%-12s%s\n", "imap-security", imap->security);
}

/* One line from standard input, without echo on a terminal; never from argv. */
static char *
read_password (GError **error)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char buffer[1024];
  char *line;
  gsize len;

  if (tty)
    {
      g_printerr ("%s ", _("Password:"));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }
  if (line == NULL)
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   _("No password was given on standard input."));
      return NULL;
    }
  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';
  if (len == 0)
    {
      g_set_error (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_CONFIG,
                   _("The password is empty."));
      return NULL;
    }
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);
  return line;
}

static int
account_test (RelanceStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(RelanceSmtpSession) session = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autofree char *message_id = NULL;
  g_autofree char *reply = NULL;
  g_auto(GStrv) recipients = NULL;
  const char *to[2] = { NULL, NULL };
  RelanceMessageSpec spec = { 0 };
  RelanceSmtpOutcome outcome;
  gboolean is_bearer = FALSE;
  char *password;

  if ((account = relance_account_load (store, &error)) == NULL)
    return relance_cli_fail (error);
  if ((password = relance_oauth_get_smtp_secret (account, NULL, &is_bearer, &error)) == NULL)
    return relance_cli_fail (error);
  session = relance_smtp_session_new_with_secret (account, password, is_bearer);
  memset (password, 0, strlen (password));
  g_free (password);

  to[0] = account->from_address;
  spec.from_name = account->from_name;
  spec.from_address = account->from_address;
  spec.reply_to = account->reply_to;
  spec.to = to;
  spec.to_name = account->from_name;
  spec.subject = _("Relance test message");
  spec.text = _("This message was sent by Relance to check your mail account. "
                "Reminders will be sent the same way.\n");
  spec.date = now;
  spec.auto_submitted = TRUE;
  if ((raw = relance_message_build (&spec, &message_id, &error)) == NULL)
    return relance_cli_fail (error);
  recipients = relance_message_spec_recipients (&spec);

  outcome = relance_smtp_session_send (session, (const char * const *) recipients, raw, &reply,
                                       &error);
  if (outcome != RELANCE_SMTP_SENT && is_bearer
      && g_error_matches (error, RELANCE_MAIL_ERROR, RELANCE_MAIL_ERROR_AUTH))
    relance_oauth_forget_access_token (account);
  if (outcome != RELANCE_SMTP_SENT)
    return relance_cli_fail (error);
  /* Translators: %s is an email address */
  g_print (_("Test message sent to %s."), account->from_address);
  g_print ("\n");
  return 0;
}

/* The Brevo API key, read on standard input like the password, stored in the keyring. */
static int
account_set_api_key (CliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  char *key;
  gboolean ok;

  if (relance_cli_store (ctx, &error) == NULL)
    return relance_cli_fail (error);
  if ((key = read_password (&error)) == NULL)
    return relance_cli_fail (error);
  ok = relance_brevo_api_key_store (key, NULL, &error);
  memset (key, 0, strlen (key));
  g_free (key);
  if (!ok)
    return relance_cli_fail (error);
  g_print ("%s\n", _("The Brevo API key is stored in the keyring."));
  return 0;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} SignInRun;

static void
oauth_prompt (const char *uri,
              const char *user_code,
              gpointer    user_data)
{
  if (user_code == NULL)
    g_print ("%s\n%s\n", _("Sign in in the browser. If no browser opens, open this address:"),
             uri);
  else
    {
      /* Translators: the first %s is a web address, the second a code like "ABCD-EFGH". */
      g_print (_("To sign in, open %s on any device and enter the code %s"), uri, user_code);
      g_print ("\n");
    }
  /* A script (or a person) acts on this line while the command waits. */
  fflush (stdout);
}

static void
oauth_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignInRun *run = user_data;

  relance_oauth_sign_in_finish (result, &run->error);
  run->done = TRUE;
}

/* relance account oauth microsoft|google [--device] [--client-id ID] */
static int
account_oauth (RelanceStore *store,
               const char   *name,
               gboolean      device,
               const char   *client_id)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  RelanceOAuthProvider provider = relance_oauth_provider_from_name (name);
  SignInRun run = { FALSE, NULL };

  if (provider == RELANCE_OAUTH_NONE)
    return relance_cli_usage_error (_("Use “account oauth microsoft” or “account oauth "
                                      "google”."));
  if ((account = relance_account_load (store, &error)) == NULL)
    return relance_cli_fail (error);
  if (client_id != NULL)
    {
      g_free (account->oauth_client_id);
      account->oauth_client_id = *client_id != '\0' ? g_strdup (client_id) : NULL;
    }
  if (!relance_account_validate (account, &error))
    return relance_cli_fail (error);

  g_main_context_push_thread_default (context);
  relance_oauth_sign_in_async (account, provider,
                               device ? RELANCE_OAUTH_FLOW_DEVICE : RELANCE_OAUTH_FLOW_BROWSER,
                               oauth_prompt, NULL, NULL, oauth_done, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  if (run.error != NULL)
    {
      g_propagate_error (&error, run.error);
      return relance_cli_fail (error);
    }

  g_free (account->auth);
  account->auth = g_strdup (relance_oauth_provider_auth (provider));
  if (!relance_account_save (store, account, &error))
    return relance_cli_fail (error);
  /* Translators: the first %s is "Microsoft 365" or "Gmail", the second a user name. */
  g_print (_("Signed in to %s as %s: reminders will be sent with this sign-in, kept in the "
             "keyring."), relance_oauth_provider_title (provider), account->user);
  g_print ("\n");
  return 0;
}

int
relance_cli_cmd_account (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *host = NULL, *security = NULL, *user = NULL, *from = NULL;
  g_autofree char *reply_to = NULL, *ca_file = NULL, *transport = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *imap_host = NULL, *imap_security = NULL;
  int port = 0, timeout = 0, imap_port = 0;
  gboolean bcc_self = FALSE, device = FALSE;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Mail server (SMTP) host name"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port, e.g. 587 (STARTTLS) or 465 (TLS)"),
      N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security,
      N_("starttls, tls, or none (loopback only)"), "starttls|tls|none" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name on the server"), N_("USER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Sender, e.g. \"Atelier Dupont "
                                                    "<compta@example.fr>\""), N_("ADDRESS") },
    { "reply-to", 0, 0, G_OPTION_ARG_STRING, &reply_to, N_("Address replies go to"),
      N_("ADDRESS") },
    { "bcc-self", 0, 0, G_OPTION_ARG_NONE, &bcc_self, N_("Send yourself a blind copy"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust this certificate authority (a company server)"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds to wait for the server"),
      N_("SECONDS") },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &transport,
      N_("smtp, or brevo (Brevo’s email API; key from “account set-api-key”)"), "smtp|brevo" },
    { "imap-host", 0, 0, G_OPTION_ARG_STRING, &imap_host,
      N_("Server the inbox is read from (IMAP); derived from --host when not given"),
      N_("HOST") },
    { "imap-port", 0, 0, G_OPTION_ARG_INT, &imap_port, N_("IMAP port, e.g. 993 (TLS)"),
      N_("PORT") },
    { "imap-security", 0, 0, G_OPTION_ARG_STRING, &imap_security, N_("tls or starttls"),
      "tls|starttls" },
    { "device", 0, 0, G_OPTION_ARG_NONE, &device,
      N_("oauth: sign in with a code typed on another device (no browser here)"), NULL },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("oauth: the OAuth client id to use instead of the built-in one"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelanceAccount) account = NULL;
  RelanceStore *store;
  const char *action;

  if (!relance_cli_parse_options (entries, "set|show|set-password|test|oauth [OPTIONS]", &argv,
                                  &argc))
    return EXIT_USAGE;
  if (argc == 3 && g_str_equal (argv[1], "oauth"))
    {
      if ((store = relance_cli_store (ctx, &error)) == NULL)
        return relance_cli_fail (error);
      return account_oauth (store, argv[2], device, client_id);
    }
  if (argc != 2)
    return relance_cli_usage_error (_("Use “account set”, “account show”, "
                                      "“account set-password”, “account set-api-key”, "
                                      "“account oauth microsoft|google” or "
                                      "“account test”."));
  action = argv[1];
  if (g_str_equal (action, "set-api-key"))
    return account_set_api_key (ctx);
  if (!g_str_equal (action, "set") && !g_str_equal (action, "show")
      && !g_str_equal (action, "set-password") && !g_str_equal (action, "test"))
    return relance_cli_usage_error (_("Use “account set”, “account show”, "
                                      "“account set-password”, “account set-api-key”, "
                                      "“account oauth microsoft|google” or "
                                      "“account test”."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (action, "set"))
    {
      account = relance_account_load (store, NULL);
      if (account == NULL)
        {
          account = g_new0 (RelanceAccount, 1);
          account->security = g_strdup ("starttls");
          account->port = 587;
          account->timeout = 60;
        }
#define TAKE(field, value) if (value != NULL) { g_free (account->field); \
                                                account->field = g_steal_pointer (&value); }
      TAKE (host, host);
      TAKE (security, security);
      TAKE (user, user);
      TAKE (ca_file, ca_file);
#undef TAKE
      if (reply_to != NULL)
        {
          g_free (account->reply_to);
          account->reply_to = *reply_to != '\0' ? g_steal_pointer (&reply_to) : NULL;
        }
      if (from != NULL)
        {
          g_free (account->from_name);
          g_free (account->from_address);
          account->from_name = account->from_address = NULL;
          if (!relance_address_parse (from, &account->from_name, &account->from_address, &error))
            return relance_cli_fail (error);
        }
      if (port != 0)
        account->port = port;
      if (timeout != 0)
        account->timeout = timeout;
      if (bcc_self)
        account->bcc_self = TRUE;
      if (transport != NULL && !g_str_equal (transport, "smtp")
          && !g_str_equal (transport, "brevo"))
        return relance_cli_usage_error (_("Use “--transport smtp” or “--transport brevo”."));
      if (g_strcmp0 (transport, "brevo") == 0)
        {
          /* Brevo's API needs no mail server: the account keeps its sender and options. */
          if (account->host == NULL)
            {
              account->host = g_strdup ("api.brevo.com");
              account->port = 443;
              g_free (account->security);
              account->security = g_strdup ("tls");
            }
          if (account->user == NULL)
            account->user = g_strdup ("brevo");
        }
      if (imap_security != NULL && !g_str_equal (imap_security, "tls")
          && !g_str_equal (imap_security, "starttls"))
        return relance_cli_usage_error (_("Use “--imap-security tls” or "
                                          "“--imap-security starttls”."));
      if (!relance_account_save (store, account, &error)
          || !relance_imap_settings_save (store, imap_host, imap_port, imap_security, &error)
          || (transport != NULL
              && !relance_store_set_setting (store, RELANCE_SETTING_ACCOUNT_TRANSPORT, transport,
                                             &error)))
        return relance_cli_fail (error);
      print_account (account);
      print_imap (store, account);
      return 0;
    }

  if (g_str_equal (action, "show"))
    {
      if ((account = relance_account_load (store, &error)) == NULL)
        return relance_cli_fail (error);
      print_account (account);
      print_imap (store, account);
      return 0;
    }

  if (g_str_equal (action, "set-password"))
    {
      char *password;
      gboolean ok;

      if ((account = relance_account_load (store, &error)) == NULL)
        return relance_cli_fail (error);
      if ((password = read_password (&error)) == NULL)
        return relance_cli_fail (error);
      ok = relance_credentials_store (account, password, NULL, &error);
      memset (password, 0, strlen (password));
      g_free (password);
      if (!ok)
        return relance_cli_fail (error);
      /* A password given after an OAuth sign-in means: sign in with the password again. */
      if (account->auth != NULL && !g_str_equal (account->auth, "password"))
        {
          g_clear_pointer (&account->auth, g_free);
          if (!relance_account_save (store, account, &error))
            return relance_cli_fail (error);
        }
      g_print ("%s\n", _("The password is stored in the keyring."));
      return 0;
    }

  return account_test (store);
}

/* ---- send-due --------------------------------------------------------------------- */

/* send-due builds the messages in a worker thread (its own connection) while this thread
 * already sends the ones queued so far: building and the SMTP exchange overlap. */
typedef struct
{
  GMainLoop           *loop;
  RelanceStore        *store;
  GDateTime           *now;
  RelanceOutboxReport  report;
  GError              *error;        /* the store or the queueing failed */
  GPtrArray           *queued;       /* the queueing's result */
  gboolean             queue_done;
  gboolean             sending;
  gboolean             stop;         /* an account error: no more sending */
} SendRun;

static void start_sending (SendRun *run);

static const char *
outcome_label (const char *state)
{
  if (g_strcmp0 (state, "sent") == 0)
    return C_("outbox", "sent");
  if (g_strcmp0 (state, "retry") == 0)
    return C_("outbox", "retry");
  if (g_strcmp0 (state, "failed") == 0)
    return C_("outbox", "failed");
  if (g_strcmp0 (state, "cancelled") == 0)
    return C_("outbox", "cancelled");
  if (g_strcmp0 (state, "done") == 0)
    return C_("outbox", "task");
  if (g_strcmp0 (state, "queued") == 0)
    return C_("outbox", "queued");
  if (g_strcmp0 (state, "uncertain") == 0)
    return C_("outbox", "uncertain");
  if (g_strcmp0 (state, "bounced") == 0)
    return C_("outbox", "bounced");
  return state;
}

static void
print_item_line (const RelanceOutboxItem *item, const char *state)
{
  g_autofree char *numbers = g_strjoinv (", ", item->invoices);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *detail = NULL;

  relance_cli_append_padded (line, outcome_label (state), 11);
  relance_cli_append_padded (line, item->client_name, 28);
  g_string_append_printf (line, "%s  ", numbers);
  if (g_strcmp0 (state, "sent") == 0)
    detail = item->message_id;
  else if (g_strcmp0 (state, "done") == 0)
    detail = item->subject;
  else
    detail = item->last_error != NULL ? item->last_error : item->server_reply;
  if (detail != NULL)
    g_string_append (line, detail);
  g_print ("%s\n", line->str);
}

static void
on_item (const RelanceOutboxItem *item, const char *outcome, gpointer user_data)
{
  print_item_line (item, outcome);
}

/* Sends again while rows are ready (more may have been queued meanwhile), then stops the
 * loop once the queueing is over too. */
static void
next_step (SendRun *run)
{
  g_autoptr(GError) error = NULL;

  if (run->sending)
    return;
  if (!run->stop && run->error == NULL
      && relance_outbox_count_ready (run->store, run->now, &error) > 0)
    {
      start_sending (run);
      return;
    }
  if (error != NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);
  if (run->queue_done)
    g_main_loop_quit (run->loop);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendRun *run = user_data;
  RelanceOutboxReport part = { 0 };
  g_autoptr(GError) error = NULL;

  relance_outbox_send_finish (RELANCE_STORE (source), result, &part, &error);
  run->sending = FALSE;
  run->report.sent += part.sent;
  run->report.retry += part.retry;
  run->report.failed += part.failed;
  run->report.cancelled += part.cancelled;
  if (part.account_error != NULL)
    {
      g_clear_error (&run->report.account_error);
      run->report.account_error = part.account_error;
      run->stop = TRUE;
    }
  if (error != NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);
  next_step (run);
}

static void
start_sending (SendRun *run)
{
  run->sending = TRUE;
  relance_outbox_send_async (run->store, NULL, on_item, run, on_sent, run);
}

static gboolean
on_rows_queued (gpointer user_data)
{
  next_step (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_queued (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->queued = relance_outbox_queue_due_finish (result, &error);
  if (run->queued == NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);
  run->queue_done = TRUE;
  next_step (run);
}

int
relance_cli_cmd_send_due (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show what would be sent now; send and write nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = relance_clock_now ();
  g_autoptr(RelanceAccount) account = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  SendRun run = { 0 };
  RelanceStore *store;
  int recovered;
  guint failed_now = 0;

  if (!relance_cli_parse_options (entries, "", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 1)
    return relance_cli_usage_error (_("“send-due” takes no argument, only --dry-run."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (relance_store_get_reminders_paused (store))
    {
      g_print ("%s\n", _("All reminders are paused: nothing was sent."));
      return 0;
    }
  if ((account = relance_account_load (store, &error)) == NULL)
    return relance_cli_fail (error);
  {
    g_autoptr(RelanceCompany) company = relance_store_get_company (store, &error);
    if (company == NULL)
      return relance_cli_fail (error);
    if (company->name == NULL || *company->name == '\0')
      {
        /* Every reminder is signed with it. */
        g_printerr ("relance: %s\n", _("Set your company name before sending reminders: "
                                       "relance company set --name …"));
        return 1;
      }
  }

  if (dry_run)
    {
      g_autoptr(GPtrArray) planned = relance_planner_plan (store, now, now, RELANCE_PLAN_ALL,
                                                           &error);
      if (planned == NULL)
        return relance_cli_fail (error);
      for (guint i = 0; i < planned->len; i++)
        {
          RelancePlannedMessage *msg = g_ptr_array_index (planned, i);
          g_autofree char *subject = NULL;
          g_autoptr(GString) numbers = g_string_new (NULL);
          g_autoptr(GString) line = g_string_new (NULL);

          if (!relance_planner_render (store, msg, &subject, NULL, NULL, &error))
            return relance_cli_fail (error);
          for (guint j = 0; j < msg->invoices->len; j++)
            {
              RelancePlannedInvoice *p = g_ptr_array_index (msg->invoices, j);
              g_string_append_printf (numbers, "%s%s", j > 0 ? ", " : "", p->invoice->number);
            }
          relance_cli_append_padded (line,
                                     g_str_equal (msg->channel, "email")
                                     || g_str_equal (msg->channel, "sms")
                                       ? C_("outbox", "would send")
                                       : C_("outbox", "task"), 11);
          relance_cli_append_padded (line, msg->client->name, 28);
          g_print ("%s%s  %s\n", line->str, numbers->str, subject);
        }
      g_print (g_dngettext (GETTEXT_PACKAGE, "Dry run: %u message would go out now; nothing "
                            "was sent or written.", "Dry run: %u messages would go out now; "
                            "nothing was sent or written.", planned->len), planned->len);
      g_print ("\n");
      return 0;
    }

  /* What a process that died mid-send left behind is uncertain, never sent again. */
  if ((recovered = relance_outbox_recover (store, &error)) < 0)
    return relance_cli_fail (error);
  if (recovered > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%d reminder was being sent when Relance stopped: it is marked "
                               "uncertain; check it with “relance history”.",
                               "%d reminders were being sent when Relance stopped: they are "
                               "marked uncertain; check them with “relance history”.",
                               recovered), recovered);
      g_printerr ("\n");
    }

  {
    g_autoptr(GMainContext) context = g_main_context_new ();

    g_main_context_push_thread_default (context);
    run.loop = g_main_loop_new (context, FALSE);
    run.store = store;
    run.now = now;
    relance_outbox_queue_due_async_full (relance_store_get_path (store), now, NULL,
                                         on_rows_queued, &run, on_queued, &run);
    /* Rows left queued by an earlier run go out while the new ones are built. */
    next_step (&run);
    g_main_loop_run (run.loop);
    g_main_loop_unref (run.loop);
    g_main_context_pop_thread_default (context);
  }

  queued = g_steal_pointer (&run.queued);
  for (guint i = 0; queued != NULL && i < queued->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (queued, i);
      if (!g_str_equal (item->state, "queued"))
        {
          print_item_line (item, item->state);
          failed_now += g_str_equal (item->state, "failed");
        }
    }

  run.report.failed += failed_now;
  /* Translators: the summary after sending; the numbers count messages */
  g_print (_("%u sent, %u to retry, %u failed."), run.report.sent, run.report.retry,
           run.report.failed);
  if (run.report.cancelled > 0)
    {
      g_print (" ");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u cancelled because its invoice changed.",
                            "%u cancelled because their invoices changed.",
                            run.report.cancelled), run.report.cancelled);
    }
  g_print ("\n");

  if (run.error != NULL)
    {
      int status = relance_cli_fail (run.error);
      g_clear_error (&run.error);
      g_clear_error (&run.report.account_error);
      return status;
    }
  if (run.report.account_error != NULL)
    {
      g_printerr ("relance: %s %s\n", _("Sending is paused:"), run.report.account_error->message);
      g_clear_error (&run.report.account_error);
      return 1;
    }
  return run.report.failed > 0 ? 1 : 0;
}

/* ---- history ---------------------------------------------------------------------- */

static char *
iso_or_null (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (dt, "%FT%TZ");
}

static void
add_member_strv (JsonBuilder *b, const char *name, char **values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

static gboolean
address_in (const char *address, char **list)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (g_ascii_strcasecmp (address, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "to" is whom the message is addressed to (its To header), not the SMTP envelope, which
 * also holds the Cc and the owner's Bcc copy: those get "cc" and "bcc", when there are. */
static void
add_recipient_members (JsonBuilder *b, RelanceStore *store, const RelanceOutboxItem *item)
{
  g_autoptr(RelanceOutboxItem) full = NULL;
  g_auto(GStrv) to = NULL;
  g_auto(GStrv) cc = NULL;
  g_autoptr(GStrvBuilder) bcc = g_strv_builder_new ();
  g_auto(GStrv) bcc_list = NULL;

  if (!g_str_equal (item->channel, "email")
      || (full = relance_outbox_get (store, item->id, TRUE, NULL)) == NULL
      || !relance_message_header_recipients (full->raw, &to, &cc))
    {
      /* An SMS, or no message stored (it could not be built): the envelope is all. */
      add_member_strv (b, "to", item->recipients);
      return;
    }
  for (guint i = 0; item->recipients != NULL && item->recipients[i] != NULL; i++)
    if (!address_in (item->recipients[i], to) && !address_in (item->recipients[i], cc))
      g_strv_builder_add (bcc, item->recipients[i]);
  bcc_list = g_strv_builder_end (bcc);

  add_member_strv (b, "to", to);
  if (cc[0] != NULL)
    add_member_strv (b, "cc", cc);
  if (bcc_list[0] != NULL)
    add_member_strv (b, "bcc", bcc_list);
}

int
relance_cli_cmd_history (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *invoice = NULL;
  g_autofree char *format = NULL;
  gint64 show = 0;
  g_autofree char *export_path = NULL;
  GOptionEntry entries[] = {
    { "invoice", 0, 0, G_OPTION_ARG_STRING, &invoice, N_("Only the reminders of this invoice"),
      N_("NUMBER") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"),
      N_("FORMAT") },
    { "show", 0, 0, G_OPTION_ARG_INT64, &show, N_("Print the exact message stored for a "
                                                   "reminder"), N_("ID") },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("Write the proof of the reminders to FILE.pdf or FILE.csv"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  RelanceStore *store;
  gboolean json = FALSE;

  if (!relance_cli_parse_options (entries, "", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 1)
    return relance_cli_usage_error (_("“history” takes no argument, only options."));
  if (format != NULL && !g_str_equal (format, "text") && !(json = g_str_equal (format, "json")))
    return relance_cli_usage_error (_("Unknown format “%s”: use text or json."), format);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (show != 0)
    {
      g_autoptr(RelanceOutboxItem) item = relance_outbox_get (store, show, TRUE, &error);
      gsize len = 0;
      const char *data;

      if (item == NULL)
        return relance_cli_fail (error);
      if (item->raw == NULL)
        {
          g_print ("%s %s\n\n", _("Subject:"), item->subject);
          return 0;
        }
      data = g_bytes_get_data (item->raw, &len);
      fwrite (data, 1, len, stdout);
      fflush (stdout);
      return 0;
    }

  if (export_path != NULL)
    return relance_cli_export_history (store, invoice, NULL, export_path);
  if (invoice != NULL)
    {
      g_autoptr(RelanceInvoice) inv = relance_store_get_invoice (store, invoice, &error);
      if (inv == NULL)
        return relance_cli_fail (error);
    }
  if ((items = relance_outbox_list (store, invoice, &error)) == NULL)
    return relance_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < items->len; i++)
        {
          RelanceOutboxItem *item = g_ptr_array_index (items, i);
          g_autofree char *scheduled = iso_or_null (item->scheduled_at);
          g_autofree char *queued_at = iso_or_null (item->queued_at);
          g_autofree char *sent = iso_or_null (item->sent_at);
          g_autofree char *next = iso_or_null (item->next_attempt_at);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, item->id);
          relance_cli_json_string_member (b, "client", item->client_name);
          add_recipient_members (b, store, item);
          add_member_strv (b, "invoices", item->invoices);
          relance_cli_json_string_member (b, "channel", item->channel);
          relance_cli_json_string_member (b, "tone", item->tone);
          relance_cli_json_string_member (b, "scenario", item->scenario_key);
          json_builder_set_member_name (b, "step");
          json_builder_add_int_value (b, item->step_offset);
          relance_cli_json_string_member (b, "state", item->state);
          json_builder_set_member_name (b, "attempts");
          json_builder_add_int_value (b, item->attempts);
          relance_cli_json_string_member (b, "scheduled_at", scheduled);
          relance_cli_json_string_member (b, "queued_at", queued_at);
          relance_cli_json_string_member (b, "sent_at", sent);
          relance_cli_json_string_member (b, "next_attempt_at", next);
          relance_cli_json_string_member (b, "server_reply", item->server_reply);
          relance_cli_json_string_member (b, "message_id", item->message_id);
          relance_cli_json_string_member (b, "subject", item->subject);
          relance_cli_json_string_member (b, "error", item->last_error);
          if (item->ab_variant != '\0')
            {
              const char variant[2] = { item->ab_variant, '\0' };
              relance_cli_json_string_member (b, "ab_variant", variant);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      relance_cli_print_json (b);
      return 0;
    }

  if (items->len == 0)
    {
      g_print ("%s\n", _("No reminder has been sent yet."));
      return 0;
    }
  for (guint i = 0; i < items->len; i++)
    {
      RelanceOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *when = iso_or_null (item->sent_at > 0 ? item->sent_at : item->queued_at);
      g_autofree char *numbers = g_strjoinv (", ", item->invoices);
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "%-6" G_GINT64_FORMAT, item->id);
      relance_cli_append_padded (line, when, 22);
      relance_cli_append_padded (line, outcome_label (item->state), 11);
      relance_cli_append_padded (line, item->client_name, 28);
      g_string_append (line, numbers);
      /* A task has no subject: its template's name says what it is. */
      g_print ("%s\n      %s", line->str,
               item->subject != NULL ? item->subject
                                     : relance_template_key_display_name (item->template_key));
      if (item->attempts > 1)
        g_print (g_dngettext (GETTEXT_PACKAGE, " (%d attempt)", " (%d attempts)",
                              item->attempts), item->attempts);
      g_print ("\n");
      if (item->ab_variant != '\0')
        {
          /* Translators: a reminder sent during an A/B test of two texts; %c is A or B */
          g_autofree char *ab = g_strdup_printf (_("A/B test: text %c"),
                                                 g_ascii_toupper (item->ab_variant));
          g_print ("      %s\n", ab);
        }
      if (item->message_id != NULL)
        g_print ("      Message-ID: %s\n", item->message_id);
      if (item->server_reply != NULL)
        g_print ("      %s %s\n", _("Server:"), item->server_reply);
      if (item->last_error != NULL)
        g_print ("      %s\n", item->last_error);
    }
  return 0;
}

/* ---- outbox retry|cancel ---------------------------------------------------------- */

int
relance_cli_cmd_outbox (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  RelanceStore *store;
  gint64 id;
  char *end = NULL;

  if (!relance_cli_parse_options (entries, "retry|cancel ID", &argv, &argc))
    return EXIT_USAGE;
  if (argc != 3 || (!g_str_equal (argv[1], "retry") && !g_str_equal (argv[1], "cancel")))
    return relance_cli_usage_error (_("Use “outbox retry ID” or “outbox cancel ID”."));
  id = g_ascii_strtoll (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || id <= 0)
    return relance_cli_usage_error (_("“%s” is not a reminder number from “relance history”."),
                                    argv[2]);
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (argv[1], "retry"))
    {
      if (!relance_outbox_retry (store, id, &error))
        return relance_cli_fail (error);
      g_print (_("Reminder %s will be sent with the next “relance send-due”."), argv[2]);
    }
  else
    {
      if (!relance_outbox_cancel (store, id, &error))
        return relance_cli_fail (error);
      g_print (_("Reminder %s is cancelled."), argv[2]);
    }
  g_print ("\n");
  return 0;
}

/* ---- sms -------------------------------------------------------------------------- */

/* "0.045 EUR" → millionths of the currency unit (no floating point for money). */
static gboolean
parse_cost (const char *text, gint64 *out_micro, char **out_currency)
{
  const char *p;
  gint64 micro = 0;
  int decimals = -1;

  if (text == NULL)
    return FALSE;
  {
    g_autofree char *copy = g_strstrip (g_strdup (text));
    char *space = strchr (copy, ' ');

    if (space == NULL)
      return FALSE;
    *space = '\0';
    for (p = copy; *p != '\0'; p++)
      {
        if ((*p == '.' || *p == ',') && decimals < 0)
          decimals = 0;
        else if (g_ascii_isdigit (*p) && decimals < 6 && micro < G_GINT64_CONSTANT (1) << 40)
          {
            micro = micro * 10 + (*p - '0');
            if (decimals >= 0)
              decimals++;
          }
        else
          return FALSE;
      }
    for (int d = decimals < 0 ? 0 : decimals; d < 6; d++)
      micro *= 10;
    *out_micro = micro;
    *out_currency = g_strstrip (g_strdup (space + 1));
    return strlen (*out_currency) == 3;
  }
}

static char *
format_micro (gint64 micro)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                                           micro / 1000000, micro % 1000000);
  gsize len = strlen (text);

  /* At least two decimals, trailing zeros beyond them dropped: 0.045, 0.09, 1.20. */
  while (len > 0 && text[len - 1] == '0' && len > strlen (text) - 4)
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

static void
print_sms_count (RelanceStore *store, const char *text)
{
  RelanceSmsCount count;
  g_autofree char *cost_setting = relance_store_get_setting (store, RELANCE_SETTING_SMS_COST);
  g_autofree char *currency = NULL;
  gint64 micro;

  relance_sms_count (text, &count);
  if (count.encoding == RELANCE_SMS_GSM7)
    g_print ("%-20s%s\n", _("Encoding:"), "GSM-7");
  else
    {
      char first[8] = { 0 };

      g_unichar_to_utf8 (count.first_ucs2, first);
      /* Translators: %s is the character that forced the longer encoding */
      g_print ("%-20s%s ", _("Encoding:"), "UCS-2");
      g_print (_("(because of “%s”)"), first);
      g_print ("\n");
    }
  g_print ("%-20s", _("Length:"));
  if (count.segments <= 1)
    /* Translators: "142 of 160 characters" (GSM-7 counts € [ ] { } twice) */
    g_print (_("%u of %u characters"), count.units, count.per_segment);
  else
    /* Translators: "201 characters, 153 per part" */
    g_print (_("%u characters, %u per part"), count.units, count.per_segment);
  g_print ("\n");
  g_print ("%-20s%u\n", _("Segments:"), count.segments);
  if (parse_cost (cost_setting, &micro, &currency))
    {
      g_autofree char *each = format_micro (micro);
      g_autofree char *total = format_micro (micro * count.segments);

      g_print ("%-20s%s %s (%u × %s %s)\n", _("Cost per message:"), total, currency,
               count.segments, each, currency);
    }
  else
    g_print ("%-20s%s\n", _("Cost per message:"),
             _("unknown: set it with “relance sms enable --cost ‘0.045 EUR’”"));
}

int
relance_cli_cmd_sms (CliContext *ctx, char **command_argv)
{
  g_auto(GStrv) argv = g_strdupv (command_argv);
  int argc = 0;
  g_autofree char *sender = NULL, *cost = NULL;
  GOptionEntry entries[] = {
    { "sender", 0, 0, G_OPTION_ARG_STRING, &sender,
      N_("The name SMS show as sender (3 to 11 letters and digits)"), N_("NAME") },
    { "cost", 0, 0, G_OPTION_ARG_STRING, &cost,
      N_("What one SMS part costs, e.g. \"0.045 EUR\""), N_("COST") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  RelanceStore *store;
  const char *action;

  if (!relance_cli_parse_options (entries, "check TEXT|FILE · enable --sender NAME · disable",
                                  &argv, &argc))
    return EXIT_USAGE;
  action = argc >= 2 ? argv[1] : "";
  if (!(g_str_equal (action, "check") && argc == 3)
      && !(g_str_equal (action, "enable") && argc == 2)
      && !(g_str_equal (action, "disable") && argc == 2))
    return relance_cli_usage_error (_("Use “sms check TEXT|FILE”, “sms enable --sender NAME "
                                      "[--cost COST]” or “sms disable”."));
  if ((store = relance_cli_store (ctx, &error)) == NULL)
    return relance_cli_fail (error);

  if (g_str_equal (action, "check"))
    {
      g_autofree char *contents = NULL;
      g_autofree char *body = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *gsm = NULL;
      g_autofree char *applied = NULL;
      const char *text = argv[2];

      if (g_file_test (argv[2], G_FILE_TEST_IS_REGULAR))
        {
          if (!g_file_get_contents (argv[2], &contents, NULL, &error))
            return relance_cli_fail (error);
          /* A template file: what counts is its body. */
          if (!g_str_has_prefix (contents, "Subject:")
              || !relance_template_text_split (contents, &subject, &body, NULL))
            body = g_strdup (contents);
          text = g_strstrip (body);
        }
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_printerr ("relance: %s\n", _("The text is not valid UTF-8."));
          return 1;
        }
      print_sms_count (store, text);
      gsm = relance_sms_transliterate (text, &applied);
      if (applied != NULL)
        {
          RelanceSmsCount before, after;

          relance_sms_count (text, &before);
          relance_sms_count (gsm, &after);
          if (after.encoding == RELANCE_SMS_GSM7)
            {
              g_print ("\n");
              /* Translators: %s lists replacements such as "ê→e, ç→c" */
              g_print (_("Relance sends it in GSM-7 with these replacements: %s."), applied);
              g_print ("\n");
              print_sms_count (store, gsm);
            }
        }
      return 0;
    }

  if (g_str_equal (action, "disable"))
    {
      if (!relance_store_set_setting (store, RELANCE_SETTING_SMS_TRANSPORT, "none", &error))
        return relance_cli_fail (error);
      g_print ("%s\n", _("SMS steps are off: scenarios go on without them."));
      return 0;
    }

  if (sender == NULL)
    sender = relance_store_get_setting (store, RELANCE_SETTING_SMS_SENDER);
  if (!relance_sms_sender_is_valid (sender, &error))
    return relance_cli_fail (error);
  if (cost != NULL)
    {
      gint64 micro;
      g_autofree char *currency = NULL;

      if (!parse_cost (cost, &micro, &currency))
        return relance_cli_usage_error (_("Write the cost of one SMS part as an amount and a "
                                          "currency code, e.g. \"0.045 EUR\"."));
    }
  if (!relance_store_set_setting (store, RELANCE_SETTING_SMS_SENDER, sender, &error)
      || (cost != NULL
          && !relance_store_set_setting (store, RELANCE_SETTING_SMS_COST, cost, &error))
      || !relance_store_set_setting (store, RELANCE_SETTING_SMS_TRANSPORT, "brevo", &error))
    return relance_cli_fail (error);
  /* Translators: %s is the SMS sender name */
  g_print (_("SMS steps are on, sent through Brevo as “%s” (API key from “relance account "
             "set-api-key”)."), sender);
  g_print ("\n");
  return 0;
}
