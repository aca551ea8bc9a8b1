/* relance-store-outbox.h: the outbox's rows in the store. The rest of the outbox's SQL
 * still lives in src/mail/relance-outbox.c and moves here with the one data layer
 * (issue 16); new columns are written here from the start. */
#pragma once

#include "relance-store.h"

G_BEGIN_DECLS

/* One message queued (or a task recorded): what the outbox row holds. */
typedef struct
{
  gint64      client_id;
  const char *channel;
  const char *tone;
  const char *scenario_key;
  int         step_offset;
  const char *template_key;
  const char *state;
  const char *recipients;   /* NULL: "" */
  const char *subject;      /* NULL: "" */
  const char *message_id;   /* may be NULL */
  gint64      scheduled_at; /* UTC */
  gint64      queued_at;
  gint64      sent_at;      /* 0: not sent */
  const char *last_error;   /* may be NULL */
  gint64      amount_due;   /* what the message asks for, in minor units */
  gint64      ab_test_id;   /* 0: no A/B test */
  char        ab_variant;   /* 'a' or 'b' with a test */
} RelanceOutboxRow;

/* Inserts @row, and its message bytes apart when @raw is not NULL (migration 7); the new
 * row's id, 0 on error. Call inside the caller's transaction. */
gint64 relance_store_outbox_insert (RelanceStore            *store,
                                    const RelanceOutboxRow  *row,
                                    GBytes                  *raw,
                                    GError                 **error);

G_END_DECLS
