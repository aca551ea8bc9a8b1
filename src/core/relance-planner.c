/* relance-planner.c: the reminder planner.
 * (Over 800 lines: the planning rules below act on one shared plan, in one pass.)
 *
 * Rules (each one a case in tests/core/test-planner.c):
 *  1. Steps go in order; a step is never planned sooner than its gap after the previous
 *     step was actually sent, so a machine left off for weeks does not send a burst.
 *  2. An invoice already late when it arrives starts at the first overdue step; pre-due
 *     steps are skipped once the invoice is due (and a due-day step once it is late).
 *  3. Nothing for invoices paid, cancelled or disputed, nothing before the day after a
 *     promise-to-pay date (the next step is planned for then), nor for paused or
 *     do-not-remind clients;
 *     nothing while a reminder of the invoice is still queued, sending, failed or uncertain.
 *  4. Invoices of one client falling on the same day go in one message, which uses the most
 *     advanced step among them.
 *  5. A step of an invoice is planned at most once ever (reminders has a unique key).
 *  6. Times land inside the send window, on working days of the client's country, in the
 *     client's time zone.
 *  7. An invoice over the amount threshold stops before the formal notice: a task for a
 *     human is planned instead, and nothing after it.
 *  8. A client who replied is paused until the reply pause is over (reply-pause-days after
 *     the reply, or the owner's decision); nothing at all for a client whose address
 *     bounced, until the address is edited.
 *  9. A step the owner switched off is skipped; a WhatsApp step needs a mobile number.
 * 10. During an A/B test of an email step, each message records its client's variant (a
 *     keyed hash, stable) and a client in group B gets text B. */
#include "config.h"

#include <string.h>

#include "relance-ab.h"
#include "relance-calendar.h"
#include "relance-date.h"
#include "relance-money.h"
#include "relance-planner-private.h"
#include "relance-sms.h"
#include "relance-store-ab.h"
#include "relance-store-inbox.h"
#include "relance-store-planning.h"

#define DEFAULT_THRESHOLD_UNITS 5000

typedef struct
{
  RelanceStore          *store;
  RelanceCompany        *company;
  GPtrArray             *scenarios;        /* RelanceScenario* */
  GHashTable            *scenario_by_id;   /* gint64* → RelanceScenario* */
  GHashTable            *scenario_by_segment;
  RelanceScenario       *default_scenario;
  GHashTable            *clients;          /* gint64* → RelanceClient* */
  GHashTable            *holds;            /* gint64* client → RelanceClientHold* */
  GHashTable            *client_scenario;  /* gint64* client → gint64 scenario id */
  GHashTable            *reminders;        /* gint64* invoice → GArray of RelanceReminderState */
  GHashTable            *time_zones;       /* name → GTimeZone* */
  GHashTable            *send_times;       /* SendKey* → GDateTime*: most invoices share one */
  RelanceSendWindow      window;
  RelanceCalendarRegion  company_region;
  char                  *company_tz;
  gint64                 threshold_minor;
  RelancePenaltyPolicy   policy;
  RelanceRateTable      *rates;
  RelanceRateTable      *legal_rates;
  gboolean               sms_enabled;      /* an SMS transport and a sender are set */
  GHashTable            *ab_tests;         /* gint64* step id → RelanceAbTest* (running) */
  GPtrArray             *ab_test_list;
} PlanContext;

static void
plan_context_clear (PlanContext *ctx)
{
  g_clear_pointer (&ctx->company, relance_company_free);
  g_clear_pointer (&ctx->scenario_by_id, g_hash_table_unref);
  g_clear_pointer (&ctx->scenario_by_segment, g_hash_table_unref);
  g_clear_pointer (&ctx->scenarios, g_ptr_array_unref);
  g_clear_pointer (&ctx->clients, g_hash_table_unref);
  g_clear_pointer (&ctx->holds, g_hash_table_unref);
  g_clear_pointer (&ctx->client_scenario, g_hash_table_unref);
  g_clear_pointer (&ctx->reminders, g_hash_table_unref);
  g_clear_pointer (&ctx->send_times, g_hash_table_unref);
  g_clear_pointer (&ctx->time_zones, g_hash_table_unref);
  g_clear_pointer (&ctx->company_tz, g_free);
  g_clear_pointer (&ctx->rates, relance_rate_table_free);
  g_clear_pointer (&ctx->legal_rates, relance_rate_table_free);
  g_clear_pointer (&ctx->ab_tests, g_hash_table_unref);
  g_clear_pointer (&ctx->ab_test_list, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlanContext, plan_context_clear)

void
relance_planned_message_free (RelancePlannedMessage *message)
{
  if (message == NULL)
    return;
  relance_client_free (message->client);
  g_free (message->scenario_key);
  g_free (message->scenario_name);
  relance_step_free (message->step);
  g_free (message->channel);
  g_free (message->template_key);
  g_clear_pointer (&message->scheduled_at, g_date_time_unref);
  g_free (message->language);
  g_free (message->currency);
  g_clear_pointer (&message->invoices, g_ptr_array_unref);
  g_free (message->ab_subject);
  g_free (message->ab_body);
  g_free (message);
}

static void
planned_invoice_free (RelancePlannedInvoice *planned)
{
  relance_invoice_free (planned->invoice);
  relance_step_free (planned->step);
  g_free (planned);
}

GPtrArray *
relance_planned_invoices_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) planned_invoice_free);
}

static RelanceStep *
step_copy (const RelanceStep *step)
{
  RelanceStep *copy = g_memdup2 (step, sizeof *step);

  copy->channel = g_strdup (step->channel);
  copy->template_key = g_strdup (step->template_key);
  copy->tone = g_strdup (step->tone);
  return copy;
}

static RelanceClient *
client_copy (const RelanceClient *c)
{
  RelanceClient *copy = g_memdup2 (c, sizeof *c);

  copy->name = g_strdup (c->name);
  copy->reference = g_strdup (c->reference);
  copy->email = g_strdup (c->email);
  copy->cc = g_strdup (c->cc);
  copy->phone = g_strdup (c->phone);
  copy->language = g_strdup (c->language);
  copy->country = g_strdup (c->country);
  copy->timezone = g_strdup (c->timezone);
  copy->kind = g_strdup (c->kind);
  copy->segment = g_strdup (c->segment);
  copy->notes = g_strdup (c->notes);
  copy->street = g_strdup (c->street);
  copy->postcode = g_strdup (c->postcode);
  copy->city = g_strdup (c->city);
  return copy;
}

/* The time zone of a country's capital, or NULL for a country not listed. */
static const char *
country_zone (const char *country)
{
  static const struct { const char *country; const char *tz; } zones[] = {
    { "FR", "Europe/Paris" }, { "BE", "Europe/Brussels" }, { "GB", "Europe/London" },
    { "UK", "Europe/London" }, { "IE", "Europe/Dublin" }, { "US", "America/New_York" },
    { "CH", "Europe/Zurich" }, { "LU", "Europe/Luxembourg" }, { "CA", "America/Toronto" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_ascii_strcasecmp (zones[i].country, country != NULL ? country : "") == 0)
      return zones[i].tz;
  return NULL;
}

char *
relance_planner_default_timezone (const char *country)
{
  const char *zone = country_zone (country);

  return g_strdup (zone != NULL ? zone : "Europe/Paris");
}

static void
date_time_unref_nullable (gpointer dt)
{
  if (dt != NULL)
    g_date_time_unref (dt);
}

typedef struct
{
  gint64                 start; /* unix time */
  RelanceCalendarRegion  region;
  GTimeZone             *tz;    /* owned by ctx->time_zones */
} SendKey;

static guint
send_key_hash (gconstpointer p)
{
  const SendKey *k = p;
  return g_int64_hash (&k->start) ^ ((guint) k->region * 2654435761u) ^ g_direct_hash (k->tz);
}

static gboolean
send_key_equal (gconstpointer a, gconstpointer b)
{
  const SendKey *ka = a, *kb = b;
  return ka->start == kb->start && ka->region == kb->region && ka->tz == kb->tz;
}

/* relance_calendar_next_send_time() for many invoices that start from the same instant. */
static GDateTime *
next_send_time (PlanContext *ctx, RelanceCalendarRegion region, GTimeZone *tz, GDateTime *start)
{
  SendKey key = { g_date_time_to_unix (start), region, tz };
  GDateTime *when;

  if (g_hash_table_lookup_extended (ctx->send_times, &key, NULL, (gpointer *) &when))
    return when != NULL ? g_date_time_ref (when) : NULL;
  when = relance_calendar_next_send_time (region, &ctx->window, tz, start);
  g_hash_table_insert (ctx->send_times, g_memdup2 (&key, sizeof key),
                       when != NULL ? g_date_time_ref (when) : NULL);
  return when;
}

static GTimeZone *
context_time_zone (PlanContext *ctx, const char *name)
{
  GTimeZone *tz;

  if (name == NULL)
    name = ctx->company_tz;
  tz = g_hash_table_lookup (ctx->time_zones, name);
  if (tz == NULL)
    {
      /* An unknown zone stored for a client falls back to the company's. */
      if (relance_timezone_is_valid (name))
        tz = g_time_zone_new_identifier (name);
      else if (!g_str_equal (name, ctx->company_tz))
        tz = g_time_zone_ref (context_time_zone (ctx, ctx->company_tz));
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_hash_table_insert (ctx->time_zones, g_strdup (name), tz);
    }
  return tz;
}

/* ---- loading ---------------------------------------------------------------------- */

static gboolean
load_context (PlanContext *ctx, RelanceStore *store, GError **error)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autofree char *window = NULL;
  g_autofree char *calendar = NULL;
  g_autofree char *tz = NULL;
  g_autofree char *threshold = NULL;

  ctx->store = store;
  if ((ctx->company = relance_store_get_company (store, error)) == NULL)
    return FALSE;

  window = relance_store_get_setting (store, RELANCE_SETTING_SEND_WINDOW);
  if (window == NULL || !relance_send_window_parse (window, &ctx->window, NULL))
    relance_send_window_init_default (&ctx->window);
  calendar = relance_store_get_setting (store, RELANCE_SETTING_CALENDAR);
  if (!relance_calendar_region_from_string (calendar != NULL ? calendar : ctx->company->country,
                                            &ctx->company_region))
    ctx->company_region = RELANCE_CALENDAR_FR;
  tz = relance_store_get_setting (store, RELANCE_SETTING_TIMEZONE);
  ctx->company_tz = tz != NULL && relance_timezone_is_valid (tz)
                      ? g_steal_pointer (&tz)
                      : relance_planner_default_timezone (ctx->company->country);
  threshold = relance_store_get_setting (store, RELANCE_SETTING_THRESHOLD);
  if (threshold == NULL
      || !relance_money_parse (threshold, ctx->company->currency, RELANCE_DECIMAL_DOT,
                               &ctx->threshold_minor, NULL, NULL))
    {
      ctx->threshold_minor = DEFAULT_THRESHOLD_UNITS;
      for (int i = 0; i < relance_currency_digits (ctx->company->currency); i++)
        ctx->threshold_minor *= 10;
    }

  {
    g_autofree char *sms_transport = relance_store_get_setting (store,
                                                                RELANCE_SETTING_SMS_TRANSPORT);
    g_autofree char *sms_sender = relance_store_get_setting (store, RELANCE_SETTING_SMS_SENDER);

    ctx->sms_enabled = g_strcmp0 (sms_transport, "brevo") == 0
                       && relance_sms_sender_is_valid (sms_sender, NULL);
  }

  ctx->policy = relance_penalty_policy_for_country (ctx->company->country);
  if (ctx->company->penalty_rate != NULL)
    relance_rate_parse (ctx->company->penalty_rate, &ctx->policy.contractual_bp, NULL);
  if ((ctx->rates = relance_store_load_rates (store, ctx->policy.reference, error)) == NULL
      || (ctx->legal_rates = relance_store_load_rates (store, RELANCE_RATE_SERIES_FR_LEGAL,
                                                       error)) == NULL)
    return FALSE;

  ctx->time_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_time_zone_unref);
  ctx->send_times = g_hash_table_new_full (send_key_hash, send_key_equal, g_free,
                                           date_time_unref_nullable);

  if ((ctx->scenarios = relance_store_list_scenarios (store, error)) == NULL)
    return FALSE;
  ctx->scenario_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  ctx->scenario_by_segment = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ctx->scenarios->len; i++)
    {
      RelanceScenario *sc = g_ptr_array_index (ctx->scenarios, i);
      g_hash_table_insert (ctx->scenario_by_id, &sc->id, sc);
      if (sc->segment != NULL)
        g_hash_table_insert (ctx->scenario_by_segment, sc->segment, sc);
      if (g_strcmp0 (sc->key, "standard") == 0 || ctx->default_scenario == NULL)
        ctx->default_scenario = sc;
    }

  if ((clients = relance_store_list_clients (store, error)) == NULL)
    return FALSE;
  ctx->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) relance_client_free);
  for (guint i = 0; i < clients->len; i++)
    {
      RelanceClient *c = g_ptr_array_index (clients, i);
      g_hash_table_insert (ctx->clients, &c->id, c);
    }
  g_ptr_array_set_free_func (clients, NULL);

  /* Rule 10: the A/B tests running, by step. */
  if ((ctx->ab_test_list = relance_store_ab_list (store, TRUE, error)) == NULL)
    return FALSE;
  ctx->ab_tests = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < ctx->ab_test_list->len; i++)
    {
      RelanceAbTest *test = g_ptr_array_index (ctx->ab_test_list, i);
      g_hash_table_insert (ctx->ab_tests, &test->step_id, test);
    }

  /* Rule 8: every pause a reply set (compared with `now` per invoice) and bounced addresses. */
  if ((ctx->holds = relance_store_inbox_holds (store, 0, error)) == NULL)
    return FALSE;

  if ((ctx->client_scenario = relance_store_list_client_scenarios (store, error)) == NULL
      || (ctx->reminders = relance_store_list_reminder_states (store, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* The client's own zone; else their country's when it is not the company's (a New York
 * client of a Paris company is written to at 09:00 in New York); else the company's. */
static const char *
client_zone_name (PlanContext *ctx, const RelanceClient *client)
{
  const char *zone = NULL;

  if (client->timezone != NULL)
    return client->timezone;
  if (client->country != NULL && g_ascii_strcasecmp (client->country, ctx->company->country) != 0)
    zone = country_zone (client->country);
  if (zone != NULL)
    return zone;
  return ctx->company_tz;
}

static RelanceScenario *
scenario_for_client (PlanContext *ctx, const RelanceClient *client)
{
  gint64 *override = g_hash_table_lookup (ctx->client_scenario, &client->id);
  RelanceScenario *sc = NULL;

  if (override != NULL)
    sc = g_hash_table_lookup (ctx->scenario_by_id, override);
  if (sc == NULL && client->segment != NULL)
    sc = g_hash_table_lookup (ctx->scenario_by_segment, client->segment);
  return sc != NULL ? sc : ctx->default_scenario;
}

static void
date_max (GDate *a, const GDate *b)
{
  if (g_date_compare (a, b) < 0)
    *a = *b;
}

/* States of a reminder that make the invoice wait for the user or the outbox. */
static gboolean
state_blocks (const char *state)
{
  return state == g_intern_static_string ("queued") || state == g_intern_static_string ("sending")
         || state == g_intern_static_string ("retry") || state == g_intern_static_string ("failed")
         || state == g_intern_static_string ("uncertain");
}

typedef struct
{
  RelanceClient   *client;
  RelanceScenario *scenario;
  RelanceStep     *step;
  gboolean         handover;
  GDateTime       *when;
} InvoicePlan;

/* An SMS step is for clients with a mobile number, when an SMS transport is set up; a
 * WhatsApp step (a task that opens a chat) for clients with a mobile number; otherwise, and
 * for a step the owner switched off, the scenario goes on as if the step were not there. */
static gboolean
step_reaches_client (PlanContext *ctx, const RelanceStep *step, const RelanceClient *client)
{
  g_autofree char *mobile = NULL;
  gboolean whatsapp = g_strcmp0 (step->channel, "task") == 0
                      && g_str_has_prefix (step->template_key, RELANCE_WHATSAPP_TEMPLATE_PREFIX);

  /* Rule 9: a step switched off is not there. */
  if (step->disabled)
    return FALSE;
  if (g_strcmp0 (step->channel, "sms") != 0 && !whatsapp)
    return TRUE;
  if ((!whatsapp && !ctx->sms_enabled) || client->phone == NULL || *client->phone == '\0')
    return FALSE;
  mobile = relance_phone_normalise_mobile (client->phone,
                                           client->country != NULL ? client->country
                                                                   : ctx->company->country,
                                           NULL);
  return mobile != NULL;
}

/* The next step of one invoice, or FALSE when nothing is to be planned for it. */
static gboolean
plan_invoice (PlanContext *ctx, RelanceInvoice *inv, GDateTime *now, InvoicePlan *out)
{
  RelanceClient *client = g_hash_table_lookup (ctx->clients, &inv->client_id);
  RelanceClientHold *hold;
  RelanceScenario *scenario;
  GArray *rows;
  const RelanceReminderState *last = NULL;
  RelanceStep *next = NULL;
  GTimeZone *tz;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) start = NULL;
  RelanceCalendarRegion region;
  GDate today, earliest;
  gboolean handover;
  int skip_through = G_MININT;

  /* Rule 3: only open, unpaid invoices of clients who may be reminded. */
  if (client == NULL || client->paused || client->do_not_remind)
    return FALSE;
  hold = g_hash_table_lookup (ctx->holds, &inv->client_id);
  /* Rule 8: an address that bounced stops everything until it is edited. */
  if (hold != NULL && hold->invalid_address != NULL)
    return FALSE;
  if (g_strcmp0 (inv->status, "open") != 0 || relance_invoice_get_outstanding (inv) == 0)
    return FALSE;

  scenario = scenario_for_client (ctx, client);
  if (scenario == NULL || scenario->steps->len == 0)
    return FALSE;

  tz = context_time_zone (ctx, client_zone_name (ctx, client));
  local_now = g_date_time_to_timezone (now, tz);
  relance_date_from_date_time (local_now, &today);

  rows = g_hash_table_lookup (ctx->reminders, &inv->id);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const RelanceReminderState *row = &g_array_index (rows, RelanceReminderState, i);

      if (state_blocks (row->state))
        return FALSE;
      if (last == NULL || row->offset_days > last->offset_days)
        last = row;
    }
  /* Rule 7: after a hand-over to a human, Relance stays quiet. */
  if (last != NULL && last->handover)
    return FALSE;

  /* Rules 1, 2, 5: the first step after the last one done, skipping what is past. */
again:
  next = NULL;
  for (guint i = 0; i < scenario->steps->len; i++)
    {
      RelanceStep *step = g_ptr_array_index (scenario->steps, i);
      int cmp_due = g_date_compare (&today, &inv->due_date);

      if (last != NULL && step->offset_days <= last->offset_days)
        continue;
      if (step->offset_days <= skip_through)
        continue;
      if (step->offset_days < 0 && cmp_due >= 0)
        continue;
      if (step->offset_days == 0 && cmp_due > 0)
        continue;
      if (!step_reaches_client (ctx, step, client))
        continue;
      next = step;
      break;
    }
  if (next == NULL)
    return FALSE;

  earliest = inv->due_date;
  if (next->offset_days >= 0)
    g_date_add_days (&earliest, (guint) next->offset_days);
  else
    g_date_subtract_days (&earliest, (guint) -next->offset_days);

  if (last != NULL)
    {
      g_autoptr(GDateTime) done_utc = g_date_time_new_from_unix_utc (last->done_at);
      g_autoptr(GDateTime) done_local = g_date_time_to_timezone (done_utc, tz);
      GDate after_gap;

      relance_date_from_date_time (done_local, &after_gap);
      g_date_add_days (&after_gap, (guint) (next->offset_days - last->offset_days));
      date_max (&earliest, &after_gap);
    }

  /* Rule 3: a promise to pay holds everything until the day after it. The next step is
   * planned for then, so that the plan shows when reminders resume and the scheduler
   * wakes up for a broken promise; a payment or a new promise before then re-plans it. */
  if (g_date_valid (&inv->promise_date))
    {
      GDate resume = inv->promise_date;

      g_date_add_days (&resume, 1);
      date_max (&earliest, &resume);
    }

  /* Rule 6: inside the send window, on a working day, in the client's time zone. */
  if (g_date_compare (&earliest, &today) <= 0)
    start = g_date_time_ref (local_now);
  else
    start = g_date_time_new (tz, g_date_get_year (&earliest), g_date_get_month (&earliest),
                             g_date_get_day (&earliest), 0, 0, 0);
  /* Rule 8: the client replied; the owner decides, or reminders resume when the pause is
   * over (planned for then, so that the plan shows it and the scheduler wakes up). */
  if (hold != NULL && hold->reply_paused_until > g_date_time_to_unix (start))
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (hold->reply_paused_until);
      g_date_time_unref (start);
      start = g_date_time_to_timezone (until, tz);
    }
  if (client->country == NULL || !relance_calendar_region_from_string (client->country, &region))
    region = ctx->company_region;
  /* The company's own calendar choice (e.g. Alsace-Moselle) wins for its country. */
  if (region == RELANCE_CALENDAR_FR && ctx->company_region == RELANCE_CALENDAR_FR_ALSACE_MOSELLE)
    region = ctx->company_region;

  out->when = next_send_time (ctx, region, tz, start);
  if (out->when == NULL)
    return FALSE;

  /* Rule 2 again, on the day it would go out: a pre-due step pushed past the due date by
   * the window, a weekend or a holiday (or a due-day step pushed past it) would tell the
   * client the wrong thing; the next step is taken instead. */
  if (next->offset_days <= 0)
    {
      GDate when_date;
      int cmp_when;

      relance_date_from_date_time (out->when, &when_date);
      cmp_when = g_date_compare (&when_date, &inv->due_date);
      if ((next->offset_days < 0 && cmp_when >= 0) || (next->offset_days == 0 && cmp_when > 0))
        {
          skip_through = next->offset_days;
          g_clear_pointer (&out->when, g_date_time_unref);
          g_clear_pointer (&start, g_date_time_unref);
          goto again;
        }
    }

  /* Rule 7: big invoices go to a human instead of a formal notice. */
  handover = g_strcmp0 (next->tone, "formal-notice") == 0 && g_strcmp0 (next->channel, "task") != 0
             && g_strcmp0 (inv->currency, ctx->company->currency) == 0
             && inv->total > ctx->threshold_minor;

  out->client = client;
  out->scenario = scenario;
  out->step = next;
  out->handover = handover;
  return TRUE;
}

static RelancePlannedInvoice *
planned_invoice_new (PlanContext *ctx, RelanceInvoice *inv, const InvoicePlan *plan)
{
  RelancePlannedInvoice *planned = g_new0 (RelancePlannedInvoice, 1);
  RelancePenalty penalty = { 0 };
  GDate as_of;

  relance_date_from_date_time (plan->when, &as_of);
  planned->invoice = inv;
  planned->step = step_copy (plan->step);
  planned->days_overdue = relance_invoice_get_days_overdue (inv, &as_of);
  if (relance_penalty_compute (&ctx->policy, ctx->rates, ctx->legal_rates,
                               relance_invoice_get_outstanding (inv), inv->currency,
                               &inv->due_date, &as_of,
                               g_strcmp0 (plan->client->kind, "consumer") == 0, &penalty, NULL)
      && penalty.status == RELANCE_PENALTY_APPLIES)
    {
      planned->penalties = penalty.interest_minor;
      planned->indemnity = penalty.indemnity_minor;
      memcpy (planned->indemnity_currency, penalty.indemnity_currency, 4);
      planned->rate_bp = penalty.rate_bp;
    }
  return planned;
}

static gint
compare_messages (gconstpointer a, gconstpointer b)
{
  const RelancePlannedMessage *ma = *(RelancePlannedMessage * const *) a;
  const RelancePlannedMessage *mb = *(RelancePlannedMessage * const *) b;
  int cmp = g_date_time_compare (ma->scheduled_at, mb->scheduled_at);

  if (cmp != 0)
    return cmp;
  /* Stable and cheap: collating names for 100 000 messages costs more than planning them. */
  if (ma->client->id != mb->client->id)
    return ma->client->id < mb->client->id ? -1 : 1;
  return g_strcmp0 (ma->channel, mb->channel);
}

static gint
compare_planned_invoices (gconstpointer a, gconstpointer b)
{
  const RelancePlannedInvoice *pa = *(RelancePlannedInvoice * const *) a;
  const RelancePlannedInvoice *pb = *(RelancePlannedInvoice * const *) b;
  int cmp = g_date_compare (&pa->invoice->due_date, &pb->invoice->due_date);

  return cmp != 0 ? cmp : g_strcmp0 (pa->invoice->number, pb->invoice->number);
}

/* Rule 10: a message of a step under test carries its client's variant; clients writing in a
 * language text B does not have are left out of the test (text A, not counted). */
static void
assign_ab_variant (PlanContext *ctx, RelancePlannedMessage *msg)
{
  RelanceAbTest *test;
  const RelanceTemplateText *text_b;

  if (msg->handover || g_strcmp0 (msg->channel, "email") != 0)
    return;
  test = g_hash_table_lookup (ctx->ab_tests, &msg->step->id);
  if (test == NULL || (text_b = relance_ab_test_get_text (test, msg->language)) == NULL)
    return;
  msg->ab_test_id = test->id;
  msg->ab_variant = relance_ab_assign (test->salt, msg->client->id);
  if (msg->ab_variant == 'b')
    {
      msg->ab_subject = g_strdup (text_b->subject);
      msg->ab_body = g_strdup (text_b->body);
    }
}

GPtrArray *
relance_planner_plan (RelanceStore     *store,
                      GDateTime        *now,
                      GDateTime        *until,
                      RelancePlanMode   mode,
                      GError          **error)
{
  g_auto(PlanContext) ctx = { 0 };
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!load_context (&ctx, store, error))
    return NULL;
  invoices = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_REMINDABLE, NULL, error);
  if (invoices == NULL)
    return NULL;

  /* Rule 4: one message per client, day, channel and currency. */
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relance_planned_message_free);

  for (guint i = 0; i < invoices->len; i++)
    {
      RelanceInvoice *inv = g_ptr_array_index (invoices, i);
      InvoicePlan plan = { 0 };
      g_autofree char *key = NULL;
      const char *channel;
      RelancePlannedMessage *msg;

      if (!plan_invoice (&ctx, inv, now, &plan))
        continue;
      if (until != NULL && g_date_time_compare (plan.when, until) > 0)
        {
          g_date_time_unref (plan.when);
          continue;
        }

      channel = plan.handover ? "task" : plan.step->channel;
      key = g_strdup_printf ("%" G_GINT64_FORMAT "|%d-%02d-%02d|%s|%s", inv->client_id,
                             g_date_time_get_year (plan.when), g_date_time_get_month (plan.when),
                             g_date_time_get_day_of_month (plan.when),
                             g_strcmp0 (channel, "task") == 0 ? "task"
                             : g_strcmp0 (channel, "sms") == 0 ? "sms" : "mail", inv->currency);
      msg = g_hash_table_lookup (groups, key);
      if (msg == NULL)
        {
          msg = g_new0 (RelancePlannedMessage, 1);
          msg->client = client_copy (plan.client);
          msg->scenario_key = g_strdup (plan.scenario->key);
          msg->language = g_strdup (plan.client->language != NULL ? plan.client->language : "fr");
          msg->scenario_name = g_strdup (relance_scenario_get_name (plan.scenario, msg->language));
          msg->currency = g_strdup (inv->currency);
          msg->invoices = relance_planned_invoices_new ();
          g_hash_table_insert (groups, g_steal_pointer (&key), msg);
          g_ptr_array_add (messages, msg);
        }

      /* The message uses the most advanced step among its invoices. */
      if (msg->step == NULL
          || relance_tone_rank (plan.step->tone) > relance_tone_rank (msg->step->tone)
          || (relance_tone_rank (plan.step->tone) == relance_tone_rank (msg->step->tone)
              && plan.step->offset_days > msg->step->offset_days)
          || (plan.handover && !msg->handover))
        {
          g_clear_pointer (&msg->step, relance_step_free);
          msg->step = step_copy (plan.step);
          msg->handover = msg->handover || plan.handover;
        }
      if (msg->scheduled_at == NULL || g_date_time_compare (plan.when, msg->scheduled_at) < 0)
        {
          g_clear_pointer (&msg->scheduled_at, g_date_time_unref);
          msg->scheduled_at = g_date_time_ref (plan.when);
        }
      g_ptr_array_add (msg->invoices, planned_invoice_new (&ctx, inv, &plan));
      g_date_time_unref (plan.when);
      /* The planned invoice owns the row from now on. */
      invoices->pdata[i] = NULL;
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelancePlannedMessage *msg = value;

      msg->channel = g_strdup (msg->handover ? "task" : msg->step->channel);
      msg->template_key = g_strdup (msg->handover ? "handover-task" : msg->step->template_key);
      g_ptr_array_sort (msg->invoices, compare_planned_invoices);
      assign_ab_variant (&ctx, msg);
    }
  g_ptr_array_sort (messages, compare_messages);

  if (mode == RELANCE_PLAN_NEXT_PER_CLIENT)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (guint i = 0; i < messages->len;)
        {
          RelancePlannedMessage *msg = g_ptr_array_index (messages, i);

          if (g_hash_table_contains (seen, &msg->client->id))
            g_ptr_array_remove_index (messages, i);
          else
            {
              g_hash_table_add (seen, &msg->client->id);
              i++;
            }
        }
    }
  return g_steal_pointer (&messages);
}

gboolean
relance_planner_next_due (RelanceStore  *store,
                          GDateTime     *now,
                          GDateTime    **out_next,
                          GError       **error)
{
  g_auto(PlanContext) ctx = { 0 };
  g_autoptr(GPtrArray) invoices = NULL;
  GDateTime *next = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (out_next != NULL, FALSE);

  *out_next = NULL;
  if (!load_context (&ctx, store, error))
    return FALSE;
  invoices = relance_store_list_invoices (store, RELANCE_INVOICE_FILTER_REMINDABLE, NULL, error);
  if (invoices == NULL)
    return FALSE;

  /* A message is scheduled at the earliest moment among its invoices: the earliest
   * message is the earliest invoice plan. Each row goes as soon as it is planned. */
  for (guint i = 0; i < invoices->len; i++)
    {
      RelanceInvoice *inv = g_ptr_array_index (invoices, i);
      InvoicePlan plan = { 0 };

      if (plan_invoice (&ctx, inv, now, &plan))
        {
          if (next == NULL || g_date_time_compare (plan.when, next) < 0)
            {
              g_clear_pointer (&next, g_date_time_unref);
              next = g_steal_pointer (&plan.when);
            }
          g_clear_pointer (&plan.when, g_date_time_unref);
        }
      g_clear_pointer (&invoices->pdata[i], relance_invoice_free);
    }
  *out_next = next;
  return TRUE;
}
