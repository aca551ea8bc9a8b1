/* relance-planner-render.c: the words and amounts of a planned message: its template filled
 * with the client's invoices, penalties, deadline, payment link and reference, in the
 * client's language, exactly as a preview shows it. */
#include "config.h"

#include "relance-creditor-ref.h"
#include "relance-date.h"
#include "relance-money.h"
#include "relance-planner-private.h"
#include "relance-template.h"

#define DEFAULT_DEADLINE_DAYS 8

/* ---- rendering -------------------------------------------------------------------- */

static char *
render_payment_link (const char *pattern, const RelancePlannedMessage *message)
{
  const RelancePlannedInvoice *first = g_ptr_array_index (message->invoices, 0);
  g_autoptr(RelanceTemplate) tpl = NULL;
  g_autoptr(RelanceTemplateValues) values = NULL;
  g_autofree char *number = NULL;
  g_autofree char *amount = NULL;

  if (pattern == NULL || *pattern == '\0' || (tpl = relance_template_parse (pattern, NULL)) == NULL)
    return g_strdup ("");
  values = relance_template_values_new (message->language);
  number = g_uri_escape_string (first->invoice->number, NULL, FALSE);
  amount = relance_money_to_decimal (relance_invoice_get_outstanding (first->invoice),
                                     first->invoice->currency);
  relance_template_values_set (values, "invoice.number", number);
  relance_template_values_set (values, "invoice.outstanding", amount);
  relance_template_values_set (values, "total_due", amount);
  return relance_template_render_subject (tpl, values);
}

char *
relance_planner_payment_link (RelanceStore                *store,
                              const RelancePlannedMessage *message)
{
  g_autoptr(RelanceCompany) company = relance_store_get_company (store, NULL);

  if (company == NULL)
    return g_strdup ("");
  return render_payment_link (company->payment_link, message);
}

RelanceTemplateValues *
relance_planner_fill_values (RelanceStore                 *store,
                             const RelancePlannedMessage  *message,
                             const char                   *language,
                             GError                      **error)
{
  g_autoptr(RelanceCompany) company = NULL;
  g_autoptr(RelanceTemplateValues) values = NULL;
  g_autofree char *link = NULL;
  const char *lang = language != NULL ? language : message->language;
  gint64 outstanding = 0, penalties = 0, indemnity = 0;
  int rate_bp = 0;
  const char *indemnity_currency = NULL;
  GDate deadline, as_of, latest_promise;
  int deadline_days;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  if ((company = relance_store_get_company (store, error)) == NULL)
    return NULL;

  relance_date_from_date_time (message->scheduled_at, &as_of);
  g_date_clear (&latest_promise, 1);
  values = relance_template_values_new (lang);
  relance_template_values_set (values, "client.name", message->client->name);
  relance_template_values_set (values, "company.name", company->name);
  relance_template_values_set (values, "company.iban", company->iban);
  relance_template_values_set (values, "company.bic", company->bic);
  relance_template_values_set (values, "company.address", company->address);

  for (guint i = 0; i < message->invoices->len; i++)
    {
      const RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);
      const RelanceInvoice *inv = p->invoice;
      guint row = relance_template_values_add_invoice (values);
      g_autofree char *issue = relance_date_format (&inv->issue_date, lang);
      g_autofree char *due = relance_date_format (&inv->due_date, lang);
      g_autofree char *total = relance_money_format (inv->total, inv->currency, lang);
      g_autofree char *left = relance_money_format (relance_invoice_get_outstanding (inv),
                                                    inv->currency, lang);
      g_autofree char *days = g_strdup_printf ("%d", p->days_overdue);
      g_autofree char *pen = relance_money_format (p->penalties, inv->currency, lang);
      g_autofree char *ind = relance_money_format (p->indemnity,
                                                   p->indemnity_currency[0] != '\0'
                                                     ? p->indemnity_currency : inv->currency,
                                                   lang);

      relance_template_values_set_invoice (values, row, "invoice.number", inv->number);
      relance_template_values_set_invoice (values, row, "invoice.issue_date", issue);
      relance_template_values_set_invoice (values, row, "invoice.due_date", due);
      relance_template_values_set_invoice (values, row, "invoice.total", total);
      relance_template_values_set_invoice (values, row, "invoice.outstanding", left);
      relance_template_values_set_invoice (values, row, "invoice.days_overdue", days);
      relance_template_values_set_invoice (values, row, "invoice.penalties", pen);
      relance_template_values_set_invoice (values, row, "invoice.indemnity", ind);
      /* A promise the client did not keep: the reminder may remind them of it. */
      if (g_date_valid (&inv->promise_date) && g_date_compare (&inv->promise_date, &as_of) < 0)
        {
          g_autofree char *promised = relance_date_format (&inv->promise_date, lang);

          relance_template_values_set_invoice (values, row, "invoice.promise_date", promised);
          if (!g_date_valid (&latest_promise)
              || g_date_compare (&inv->promise_date, &latest_promise) > 0)
            latest_promise = inv->promise_date;
        }

      outstanding += relance_invoice_get_outstanding (inv);
      penalties += p->penalties;
      indemnity += p->indemnity;
      if (p->indemnity_currency[0] != '\0')
        indemnity_currency = p->indemnity_currency;
      if (rate_bp == 0)
        rate_bp = p->rate_bp;
    }

  {
    g_autofree char *pen = relance_money_format (penalties, message->currency, lang);
    g_autofree char *ind = relance_money_format (indemnity, indemnity_currency != NULL
                                                              ? indemnity_currency
                                                              : message->currency, lang);
    g_autofree char *rate = relance_rate_format (rate_bp, lang);
    gint64 due_total = outstanding;
    g_autofree char *total = NULL;
    g_autofree char *deadline_text = NULL;

    if (message->step->penalties)
      {
        due_total += penalties;
        if (indemnity_currency == NULL || g_strcmp0 (indemnity_currency, message->currency) == 0)
          due_total += indemnity;
      }
    total = relance_money_format (due_total, message->currency, lang);

    relance_date_from_date_time (message->scheduled_at, &deadline);
    deadline_days = message->step->deadline_days > 0 ? message->step->deadline_days
                                                     : DEFAULT_DEADLINE_DAYS;
    g_date_add_days (&deadline, (guint) deadline_days);
    deadline_text = relance_date_format (&deadline, lang);

    relance_template_values_set (values, "penalties.amount", pen);
    relance_template_values_set (values, "penalties.rate", rate);
    relance_template_values_set (values, "indemnity", ind);
    relance_template_values_set (values, "total_due", total);
    relance_template_values_set (values, "deadline", deadline_text);
    /* Outside {{#invoices}}, invoice.* names come from the first invoice; when the broken
     * promise is on another one of the message, the latest broken promise stands in. */
    if (g_date_valid (&latest_promise))
      {
        g_autofree char *promised = relance_date_format (&latest_promise, lang);

        relance_template_values_set (values, "invoice.promise_date", promised);
      }
  }

  link = render_payment_link (company->payment_link, message);
  relance_template_values_set (values, "payment.link", link);
  {
    g_autofree char *reference = relance_planner_payment_reference (message);
    g_autofree char *shown = reference != NULL ? relance_creditor_ref_format (reference) : NULL;

    relance_template_values_set (values, "payment.reference", shown);
  }
  return g_steal_pointer (&values);
}

char *
relance_planner_payment_reference (const RelancePlannedMessage *message)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (message != NULL, NULL);
  if (message->invoices->len == 0)
    return NULL;
  if (message->invoices->len == 1)
    {
      const RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, 0);

      return relance_creditor_ref_for_invoice (p->invoice->number, p->invoice->id);
    }
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < message->invoices->len; i++)
    {
      const RelancePlannedInvoice *p = g_ptr_array_index (message->invoices, i);

      g_array_append_val (ids, p->invoice->id);
    }
  return relance_creditor_ref_for_group ((gint64 *) ids->data, ids->len);
}

void
relance_planner_render_values (const RelanceTemplate  *subject_tpl,
                               const RelanceTemplate  *body_tpl,
                               RelanceTemplateValues  *values,
                               char                  **out_subject,
                               char                  **out_text,
                               char                  **out_html)
{
  if (out_subject != NULL)
    {
      *out_subject = relance_template_render_subject (subject_tpl, values);
      relance_template_values_set_title (values, *out_subject);
    }
  if (out_text != NULL)
    {
      /* An empty value alone on its line (no payment link) must not leave a hole. */
      g_autofree char *text_body = relance_template_render (body_tpl, values,
                                                            RELANCE_TEMPLATE_MODE_TEXT);
      g_autoptr(GRegex) holes = g_regex_new ("\n{3,}", G_REGEX_OPTIMIZE, 0, NULL);
      *out_text = g_regex_replace_literal (holes, text_body, -1, 0, "\n\n", 0, NULL);
    }
  if (out_html != NULL)
    *out_html = relance_template_render (body_tpl, values, RELANCE_TEMPLATE_MODE_HTML);
}

gboolean
relance_planner_render (RelanceStore                 *store,
                        const RelancePlannedMessage  *message,
                        char                        **out_subject,
                        char                        **out_text,
                        char                        **out_html,
                        GError                      **error)
{
  g_autoptr(RelanceTemplateText) text = NULL;
  g_autoptr(RelanceTemplate) subject_tpl = NULL;
  g_autoptr(RelanceTemplate) body_tpl = NULL;
  g_autoptr(RelanceTemplateValues) values = NULL;

  /* The values read the company: a missing one is still reported before a missing template. */
  if ((values = relance_planner_fill_values (store, message, NULL, error)) == NULL)
    return FALSE;
  if (message->ab_body != NULL)
    {
      text = g_new0 (RelanceTemplateText, 1);
      text->subject = g_strdup (message->ab_subject);
      text->body = g_strdup (message->ab_body);
    }
  else if ((text = relance_store_get_template (store, message->template_key, message->language,
                                               error)) == NULL)
    return FALSE;
  if ((subject_tpl = relance_template_parse (text->subject, error)) == NULL
      || (body_tpl = relance_template_parse (text->body, error)) == NULL)
    return FALSE;
  relance_planner_render_values (subject_tpl, body_tpl, values, out_subject, out_text, out_html);
  return TRUE;
}

/* The message that carries the invoice next, or NULL. */
static RelancePlannedMessage *
steal_message_of (GPtrArray *plan,
                  gint64     invoice_id)
{
  for (guint i = 0; i < plan->len; i++)
    {
      RelancePlannedMessage *m = g_ptr_array_index (plan, i);

      for (guint j = 0; j < m->invoices->len; j++)
        if (((RelancePlannedInvoice *) g_ptr_array_index (m->invoices, j))->invoice->id
            == invoice_id)
          return g_ptr_array_steal_index (plan, i);
    }
  return NULL;
}

/* A message for the invoice alone, as of @now in the local time zone: no penalties and
 * the default deadline, as nothing of the scenario applies to it any more. */
static RelancePlannedMessage *
message_for_invoice (RelanceInvoice  *invoice,
                     RelanceClient   *client,
                     const char      *language,
                     GDateTime       *now)
{
  RelancePlannedMessage *message = g_new0 (RelancePlannedMessage, 1);
  RelancePlannedInvoice *planned = g_new0 (RelancePlannedInvoice, 1);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  GDate today;

  message->scheduled_at = g_date_time_to_timezone (now, local);
  relance_date_from_date_time (message->scheduled_at, &today);
  message->step = g_new0 (RelanceStep, 1);
  message->language = g_strdup (language);
  message->currency = g_strdup (invoice->currency);
  message->invoices = relance_planned_invoices_new ();
  message->client = client;
  planned->days_overdue = relance_invoice_get_days_overdue (invoice, &today);
  planned->invoice = invoice;
  g_ptr_array_add (message->invoices, planned);
  return message;
}

RelanceTemplateValues *
relance_planner_preview_values (RelanceStore  *store,
                                const char    *number,
                                const char    *language,
                                GDateTime     *now,
                                GError       **error)
{
  g_autoptr(RelanceInvoice) invoice = NULL;
  g_autoptr(RelanceClient) client = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(RelancePlannedMessage) message = NULL;

  g_return_val_if_fail (RELANCE_IS_STORE (store), NULL);
  g_return_val_if_fail (number != NULL && language != NULL && now != NULL, NULL);

  if ((invoice = relance_store_get_invoice (store, number, error)) == NULL
      || (client = relance_store_get_client (store, invoice->client_id, error)) == NULL
      || (plan = relance_planner_plan (store, now, NULL, RELANCE_PLAN_ALL, error)) == NULL)
    return NULL;
  message = steal_message_of (plan, invoice->id);
  if (message == NULL)
    message = message_for_invoice (g_steal_pointer (&invoice), g_steal_pointer (&client),
                                   language, now);
  return relance_planner_fill_values (store, message, language, error);
}
