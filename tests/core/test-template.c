/* test-template.c: the reminder template language: names, syntax errors and their
 * positions, sections, and the three ways of rendering (text, HTML, header). */
#include "config.h"

#include <string.h>

#include "relance-error.h"
#include "relance-template.h"

/* The names the acceptance contract promises; the list may grow, never shrink. */
static const char * const required_names[] = {
  "client.name", "company.name", "company.iban", "company.bic", "company.address",
  "invoice.number", "invoice.issue_date", "invoice.due_date", "invoice.total",
  "invoice.outstanding", "invoice.days_overdue", "invoice.penalties", "invoice.indemnity",
  "payment.link", "penalties.amount", "penalties.rate", "indemnity", "deadline", "total_due",
};

static RelanceTemplate *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RelanceTemplate *tpl = relance_template_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tpl);
  return tpl;
}

static char *
render_text (const char                  *text,
             const RelanceTemplateValues *values,
             RelanceTemplateMode          mode)
{
  g_autoptr(RelanceTemplate) tpl = parse_ok (text);

  return relance_template_render (tpl, values, mode);
}

/* Three invoices of one client, as a grouped reminder would carry them. */
static RelanceTemplateValues *
three_invoices (void)
{
  static const struct { const char *number, *due, *outstanding; } rows[] = {
    { "F-2026-001", "15/01/2026", "1 200,00 €" },
    { "F-2026-007", "31/01/2026", "80,50 €" },
    { "F-2026-012", "14/02/2026", "3 000,00 €" },
  };
  RelanceTemplateValues *values = relance_template_values_new ("fr");

  relance_template_values_set (values, "client.name", "Boulangerie Dupré");
  relance_template_values_set (values, "company.name", "Atelier Lumière");
  relance_template_values_set (values, "total_due", "4 280,50 €");
  relance_template_values_set (values, "payment.link", "https://pay.example/all");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint k = relance_template_values_add_invoice (values);

      g_assert_cmpuint (k, ==, i);
      relance_template_values_set_invoice (values, k, "invoice.number", rows[i].number);
      relance_template_values_set_invoice (values, k, "invoice.due_date", rows[i].due);
      relance_template_values_set_invoice (values, k, "invoice.outstanding",
                                           rows[i].outstanding);
    }
  /* Only the second invoice has a broken promise. */
  relance_template_values_set_invoice (values, 1, "invoice.promise_date", "20/01/2026");
  return values;
}

static void
test_names_all_render (void)
{
  g_autoptr(GPtrArray) list = relance_template_list_names ();

  for (guint i = 0; i < G_N_ELEMENTS (required_names); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (list, required_names[i],
                                                     g_str_equal, NULL));

  for (guint i = 0; i < list->len; i++)
    {
      const char *name = g_ptr_array_index (list, i);
      g_autoptr(RelanceTemplateValues) values = relance_template_values_new ("en");
      g_autofree char *text = g_strdup_printf ("[{{%s}}] [{{ %s }}]", name, name);
      g_autofree char *value = g_strdup_printf ("value of %s", name);
      g_autofree char *expected = g_strdup_printf ("[%s] [%s]", value, value);
      g_autofree char *out = NULL;
      g_autoptr(RelanceTemplate) tpl = parse_ok (text);

      g_assert_true (relance_template_is_name (name));
      g_assert_nonnull (relance_template_describe_name (name));
      g_assert_true (relance_template_uses (tpl, name));
      relance_template_values_set (values, name, value);
      out = relance_template_render (tpl, values, RELANCE_TEMPLATE_MODE_TEXT);
      g_assert_cmpstr (out, ==, expected);

      /* Per-invoice values work in and out of the section for every name. */
      {
        g_autoptr(RelanceTemplateValues) per = relance_template_values_new ("en");
        g_autofree char *section = g_strdup_printf ("{{#invoices}}<{{%s}}>{{/invoices}}", name);
        g_autofree char *out_section = NULL;
        guint a = relance_template_values_add_invoice (per);
        guint b = relance_template_values_add_invoice (per);

        relance_template_values_set_invoice (per, a, name, "A");
        relance_template_values_set_invoice (per, b, name, "B");
        out_section = render_text (section, per, RELANCE_TEMPLATE_MODE_TEXT);
        g_assert_cmpstr (out_section, ==, "<A><B>");
      }
    }

  g_assert_false (relance_template_is_name ("client"));
  g_assert_null (relance_template_describe_name ("client"));
}

typedef struct
{
  const char *text;
  const char *prefix;  /* "LINE:COLUMN: " */
  const char *contains;
  const char *absent;  /* NULL or a phrase that must not be there */
  guint       line;
  guint       column;
  gsize       offset;
  guint       length;
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* unknown names, with and without a suggestion */
  { "Hello {{ client.nmae }}", "1:7: ", "Unknown placeholder “client.nmae”. Did you mean "
    "“client.name”?", NULL, 1, 7, 6, 17 },
  { "Hello {{ frobnicate }}", "1:7: ", "Unknown placeholder “frobnicate”.", "Did you mean",
    1, 7, 6, 16 },
  { "{{ Client.Name }}", "1:1: ", "Did you mean “client.name”?", NULL, 1, 1, 0, 17 },
  { "{{client_name}}", "1:1: ", "Did you mean “client.name”?", NULL, 1, 1, 0, 15 },
  { "{{invoice.total_due}}", "1:1: ", "“invoice.total_due”", NULL, 1, 1, 0, 21 },
  { "x\n {{ invoices }}", "2:2: ", "“invoices” is a section", NULL, 2, 2, 3, 14 },
  /* line 3, accented characters before the tag: columns are characters, not bytes */
  { "Bonjour,\n\nÉtéàç {{ invoice.nubmer }} reste dû.", "3:7: ",
    "Did you mean “invoice.number”?", NULL, 3, 7, 20, 20 },
  { "Ligne 1 {{client.name}}\n« Réf. » {{ paymnet.link }}\nfin", "2:10: ",
    "Did you mean “payment.link”?", NULL, 2, 10, 36, 18 },
  /* unclosed {{ */
  { "Cher {{ client.name", "1:6: ", "not closed", NULL, 1, 6, 5, 2 },
  { "Cher {{ client.name\n}} merci", "1:6: ", "not closed", NULL, 1, 6, 5, 2 },
  { "a\nb {{ client.name {{company.name}}", "2:3: ", "not closed", NULL, 2, 3, 4, 2 },
  { "trailing {{", "1:10: ", "not closed", NULL, 1, 10, 9, 2 },
  /* empty tags */
  { "a {{}} b", "1:3: ", "Empty placeholder", NULL, 1, 3, 2, 4 },
  { "é\n\t{{   }}", "2:2: ", "Empty placeholder", NULL, 2, 2, 4, 7 },
  { "{{#}}", "1:1: ", "Empty placeholder", NULL, 1, 1, 0, 5 },
  { "{{ / }}", "1:1: ", "Empty placeholder", NULL, 1, 1, 0, 7 },
  /* sections */
  { "Relevé\n  {{#invoices}}\n{{invoice.number}}\n", "2:3: ", "“{{#invoices}}” is never "
    "closed", NULL, 2, 3, 10, 13 },
  { "abc {{/invoices}}", "1:5: ", "never opened", NULL, 1, 5, 4, 13 },
  { "{{#invoices}}x{{/invoices}} {{/invoices}}", "1:29: ", "never opened", NULL,
    1, 29, 28, 13 },
  { "{{#invoices}}\n{{#invoices}}\n{{/invoices}}\n{{/invoices}}", "2:1: ",
    "Sections cannot be nested: close the section opened on line 1", NULL, 2, 1, 14, 13 },
  { "{{#invoice}}x{{/invoice}}", "1:1: ", "Unknown section “invoice”. Did you mean "
    "“invoices”?", NULL, 1, 1, 0, 12 },
  { "{{# lines }}x{{/lines}}", "1:1: ", "Unknown section “lines”", "Did you mean",
    1, 1, 0, 12 },
  { "{{#invoices}}x{{/foo}}", "1:15: ", "Unknown section “foo”", NULL, 1, 15, 14, 8 },
  /* placeholder sections */
  { "{{#client.name}}x{{/invoices}}", "1:18: ", "does not close the section that is open: "
    "close “{{#client.name}}”, opened on line 1, first", NULL, 1, 18, 17, 13 },
  { "a\n{{#client.name}}x", "2:1: ", "“{{#client.name}}” is never closed", NULL, 2, 1, 2, 16 },
  { "{{/client.name}}", "1:1: ", "never opened: add “{{#client.name}}”", NULL, 1, 1, 0, 16 },
  { "{{#client.nam}}x{{/client.nam}}", "1:1: ", "Unknown section “client.nam”. Did you mean "
    "“client.name”?", NULL, 1, 1, 0, 15 },
  /* {{#invoices}} inside a conditional inside {{#invoices}} is still nested */
  { "{{#invoices}}{{#client.name}}{{#invoices}}", "1:30: ", "Sections cannot be nested",
    NULL, 1, 30, 29, 13 },
  /* not text at all */
  { "ab\xff{{client.name}}", "1:3: ", "not valid UTF-8", NULL, 1, 3, 2, 1 },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) check_error = NULL;
      g_autoptr(RelanceTemplate) tpl = NULL;
      RelanceTemplatePosition pos = { 99, 99, 99, 99 };
      guint line = 0, column = 0;

      g_autofree char *shown = g_strescape (c->text, NULL);

      g_test_message ("case %u: %s", i, shown);
      tpl = relance_template_parse_full (c->text, &pos, &error);
      g_assert_null (tpl);
      g_assert_error (error, RELANCE_CORE_ERROR, RELANCE_CORE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, c->prefix));
      g_assert_nonnull (strstr (error->message, c->contains));
      if (c->absent != NULL)
        g_assert_null (strstr (error->message, c->absent));

      g_assert_cmpuint (pos.line, ==, c->line);
      g_assert_cmpuint (pos.column, ==, c->column);
      g_assert_cmpuint (pos.offset, ==, c->offset);
      g_assert_cmpuint (pos.length, ==, c->length);

      g_assert_true (relance_template_error_get_position (error, &line, &column));
      g_assert_cmpuint (line, ==, c->line);
      g_assert_cmpuint (column, ==, c->column);

      g_assert_false (relance_template_check (c->text, &check_error));
      g_assert_cmpstr (check_error->message, ==, error->message);
    }
}

static void
test_error_position_foreign (void)
{
  g_autoptr(GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_FAILED, "1:2: no");
  g_autoptr(GError) plain = g_error_new_literal (RELANCE_CORE_ERROR,
                                                 RELANCE_CORE_ERROR_INVALID, "Bad amount.");
  guint line = 7, column = 7;

  g_assert_false (relance_template_error_get_position (other, &line, &column));
  g_assert_false (relance_template_error_get_position (plain, &line, &column));
  g_assert_cmpuint (line, ==, 7);
  g_assert_cmpuint (column, ==, 7);
}

static const char grouped_template[] =
  "Dear {{client.name}},\n"
  "\n"
  "These invoices are still unpaid:\n"
  "{{#invoices}}\n"
  "  - {{ invoice.number }} | {{invoice.due_date}} | {{invoice.outstanding}}\n"
  "{{/invoices}}\n"
  "\n"
  "Total: {{total_due}}. Pay at {{payment.link}}\n"
  "Oldest: {{invoice.number}}\n";

static void
test_section_three_invoices (void)
{
  g_autoptr(RelanceTemplateValues) values = three_invoices ();
  g_autoptr(RelanceTemplate) tpl = parse_ok (grouped_template);
  g_autofree char *text = relance_template_render (tpl, values, RELANCE_TEMPLATE_MODE_TEXT);
  g_autofree char *html = relance_template_render (tpl, values, RELANCE_TEMPLATE_MODE_HTML);
  const char *p;
  guint rows = 0;

  g_assert_true (relance_template_has_section (tpl));
  g_assert_cmpstr (text, ==,
                   "Dear Boulangerie Dupré,\n"
                   "\n"
                   "These invoices are still unpaid:\n"
                   "  - F-2026-001 | 15/01/2026 | 1 200,00 €\n"
                   "  - F-2026-007 | 31/01/2026 | 80,50 €\n"
                   "  - F-2026-012 | 14/02/2026 | 3 000,00 €\n"
                   "\n"
                   "Total: 4 280,50 €. Pay at https://pay.example/all\n"
                   "Oldest: F-2026-001\n");

  /* In HTML the lines become the rows of a table, the bars its cells. */
  g_assert_nonnull (strstr (html, "These invoices are still unpaid:<br>\n<table "));
  for (p = html; (p = strstr (p, "<tr>")) != NULL; p++)
    rows++;
  g_assert_cmpuint (rows, ==, 3);
  g_assert_nonnull (strstr (html, "\">F-2026-007</td><td style=\""));
  g_assert_nonnull (strstr (html, "\">31/01/2026</td><td style=\""));
  g_assert_nonnull (strstr (html, "\">80,50 €</td></tr>\n"));
  g_assert_null (strstr (html, "- F-2026"));
  g_assert_null (strstr (html, "|"));
  g_assert_nonnull (strstr (html, "</table>\n<br>\nTotal: 4 280,50 €."));

  /* With no invoice the section is simply empty. */
  {
    g_autoptr(RelanceTemplateValues) none = relance_template_values_new ("en");
    g_autofree char *empty = NULL;

    relance_template_values_set (none, "client.name", "Ann");
    empty = relance_template_render (tpl, none, RELANCE_TEMPLATE_MODE_TEXT);
    g_assert_cmpstr (empty, ==,
                     "Dear Ann,\n\nThese invoices are still unpaid:\n\nTotal: . Pay at \n"
                     "Oldest: \n");
  }
}

typedef struct
{
  const char *text;
  const char *expected;
} RenderCase;

/* TEXT mode against three invoices (and the globals of three_invoices()). */
static const RenderCase text_cases[] = {
  /* inline section: no line is eaten, separators stay */
  { "Invoices: {{#invoices}}{{invoice.number}}, {{/invoices}}end.",
    "Invoices: F-2026-001, F-2026-007, F-2026-012, end." },
  /* invoice.* outside the section is the first invoice */
  { "Re: {{invoice.number}} ({{invoice.outstanding}})", "Re: F-2026-001 (1 200,00 €)" },
  /* global values inside the section */
  { "{{#invoices}}{{invoice.number}}@{{client.name}};{{/invoices}}",
    "F-2026-001@Boulangerie Dupré;F-2026-007@Boulangerie Dupré;F-2026-012@Boulangerie Dupré;" },
  /* a value nobody gave renders as nothing */
  { "[{{company.iban}}]", "[]" },
  /* no placeholder at all */
  { "Merci de votre confiance.\n", "Merci de votre confiance.\n" },
  { "", "" },
  /* escaping {{ and stray braces */
  { "Write \\{{client.name}} to insert the name; {single} and }} stay.",
    "Write {{client.name}} to insert the name; {single} and }} stay." },
  { "a \\ b \\{ c", "a \\ b \\{ c" },
  /* Windows line endings: the section lines go with their CRLF */
  { "Hi {{client.name}}\r\n{{#invoices}}\r\n* {{invoice.number}}\r\n{{/invoices}}\r\nBye",
    "Hi Boulangerie Dupré\r\n* F-2026-001\r\n* F-2026-007\r\n* F-2026-012\r\nBye" },
  /* indented section tags still take their whole line */
  { "A\n\t{{# invoices }}  \n{{invoice.number}}\n   {{/ invoices}}\nB",
    "A\nF-2026-001\nF-2026-007\nF-2026-012\nB" },
  /* a placeholder as a section: its content only when the value is there, per invoice */
  { "{{#invoices}}{{invoice.number}}{{#invoice.promise_date}} (promised "
    "{{invoice.promise_date}}){{/invoice.promise_date}};{{/invoices}}",
    "F-2026-001;F-2026-007 (promised 20/01/2026);F-2026-012;" },
  /* outside {{#invoices}}, the first invoice's value: none here */
  { "A{{#invoice.promise_date}}promised {{invoice.promise_date}}{{/invoice.promise_date}}B",
    "AB" },
  /* standalone conditional lines go with their tags, shown or not */
  { "Hi\n{{#company.iban}}\nIBAN: {{company.iban}}\n{{/company.iban}}\nBye", "Hi\nBye" },
  { "Hi\n{{#client.name}}\nDear {{client.name}}\n{{/client.name}}\nBye",
    "Hi\nDear Boulangerie Dupré\nBye" },
  /* a section tag at the very end */
  { "{{#invoices}}\n{{invoice.number}}\n{{/invoices}}", "F-2026-001\nF-2026-007\nF-2026-012\n" },
};

static void
test_render_text_cases (void)
{
  g_autoptr(RelanceTemplateValues) values = three_invoices ();

  for (guint i = 0; i < G_N_ELEMENTS (text_cases); i++)
    {
      g_autofree char *out = render_text (text_cases[i].text, values,
                                          RELANCE_TEMPLATE_MODE_TEXT);

      g_test_message ("case %u: %s", i, text_cases[i].text);
      g_assert_cmpstr (out, ==, text_cases[i].expected);
    }
}

static void
test_no_values (void)
{
  g_autofree char *out = render_text ("Hello {{client.name}}!{{#invoices}}x{{/invoices}}",
                                      NULL, RELANCE_TEMPLATE_MODE_TEXT);
  g_autofree char *subject = render_text ("  Hello\n{{client.name}}  ", NULL,
                                          RELANCE_TEMPLATE_MODE_HEADER);
  g_autoptr(RelanceTemplate) plain = parse_ok ("No placeholders here.");

  g_assert_cmpstr (out, ==, "Hello !");
  g_assert_cmpstr (subject, ==, "Hello");
  g_assert_false (relance_template_has_section (plain));
  g_assert_false (relance_template_uses (plain, "client.name"));
}

static void
test_html_escaping (void)
{
  g_autoptr(RelanceTemplateValues) values = relance_template_values_new ("fr");
  g_autofree char *html = NULL;

  relance_template_values_set (values, "client.name", "<script>&\"'");
  relance_template_values_set (values, "company.address", "1 rue Haute\r\n75001 Paris\x01");
  relance_template_values_set_title (values, "Relance <urgente>\r\nBcc: x@y");
  html = render_text ("Bonjour {{client.name}},\n\nSi a < b & c > d, écrivez-nous.\n"
                      "{{company.address}}",
                      values, RELANCE_TEMPLATE_MODE_HTML);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
                                         "<meta charset=\"utf-8\">\n"));
  g_assert_true (g_str_has_suffix (html, "</body>\n</html>\n"));
  g_assert_nonnull (strstr (html, "<title>Relance &lt;urgente&gt; Bcc: x@y</title>\n"));
  g_assert_nonnull (strstr (html, "<body style=\""));
  g_assert_nonnull (strstr (html, "Bonjour &lt;script&gt;&amp;&quot;&#39;,<br>\n<br>\n"));
  g_assert_nonnull (strstr (html, "Si a &lt; b &amp; c &gt; d, écrivez-nous.<br>\n"));
  /* a value's line breaks too; CR and other control characters disappear */
  g_assert_nonnull (strstr (html, "1 rue Haute<br>\n75001 Paris\n</div>"));
  g_assert_null (strstr (html, "<script>"));
  g_assert_null (strstr (html, "\r"));
  g_assert_null (strstr (html, "\x01"));
  g_assert_null (strstr (html, "&#x"));
}

static void
test_html_language (void)
{
  static const struct { const char *language; const char *expected; } cases[] = {
    { "fr", "<html lang=\"fr\">" },
    { "en-GB", "<html lang=\"en-GB\">" },
    { "\"><script>", "<html lang=\"en\">" },
    { "", "<html lang=\"en\">" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelanceTemplateValues) values = relance_template_values_new (cases[i].language);
      g_autofree char *html = render_text ("x", values, RELANCE_TEMPLATE_MODE_HTML);

      g_assert_nonnull (strstr (html, cases[i].expected));
      g_assert_null (strstr (html, "<title>"));
    }
}

/* HEADER mode: the value of client.name, the template, and the one line expected. */
static const struct
{
  const char *value;
  const char *text;
  const char *expected;
} header_cases[] = {
  { "Foo\r\nBcc: x@y", "Invoice {{invoice.number}} – {{client.name}}",
    "Invoice F-2026-001 – Foo Bcc: x@y" },
  { "Foo\nBcc: x@y\r", "{{client.name}}", "Foo Bcc: x@y" },
  { "Foo\rTo: y", "{{client.name}}", "Foo To: y" },
  { "A\x0b\x0c\x1b\x7f" "B", "{{client.name}}", "A B" },
  { "A\xc2\x85" "B\xe2\x80\xa8" "C", "{{client.name}}", "A B C" },      /* NEL, LINE SEP. */
  { "  spaced \t out  ", "[{{client.name}}]", "[ spaced out ]" },
  { "x", "  Rappel :\n\tfacture\r\n{{invoice.number}}  \n", "Rappel : facture F-2026-001" },
  { "Dupré", "{{#invoices}}\n{{invoice.number}}\n{{/invoices}}",
    "F-2026-001 F-2026-007 F-2026-012" },
  /* no-break spaces are typography (1 200,00 €), not layout: they stay */
  { "x", "{{invoice.outstanding}}", "1\xc2\xa0" "200,00\xe2\x80\xaf€" },
};

static void
test_header (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      g_autoptr(RelanceTemplateValues) values = relance_template_values_new ("fr");
      g_autoptr(RelanceTemplate) tpl = parse_ok (header_cases[i].text);
      g_autofree char *subject = NULL;
      g_autofree char *header = NULL;
      guint k = relance_template_values_add_invoice (values);

      relance_template_values_set (values, "client.name", header_cases[i].value);
      relance_template_values_set_invoice (values, k, "invoice.number", "F-2026-001");
      relance_template_values_set_invoice (values, k, "invoice.outstanding",
                                           "1\xc2\xa0" "200,00\xe2\x80\xaf€");
      k = relance_template_values_add_invoice (values);
      relance_template_values_set_invoice (values, k, "invoice.number", "F-2026-007");
      k = relance_template_values_add_invoice (values);
      relance_template_values_set_invoice (values, k, "invoice.number", "F-2026-012");

      subject = relance_template_render_subject (tpl, values);
      header = relance_template_render (tpl, values, RELANCE_TEMPLATE_MODE_HEADER);
      g_test_message ("case %u", i);
      g_assert_cmpstr (subject, ==, header_cases[i].expected);
      g_assert_cmpstr (header, ==, subject);
      g_assert_null (strchr (subject, '\r'));
      g_assert_null (strchr (subject, '\n'));
    }
}

static void
test_invalid_utf8_value (void)
{
  g_autoptr(RelanceTemplateValues) values = relance_template_values_new ("en");

  relance_template_values_set (values, "client.name", "Caf\xe9 \xff");
  for (int mode = RELANCE_TEMPLATE_MODE_TEXT; mode <= RELANCE_TEMPLATE_MODE_HEADER; mode++)
    {
      g_autofree char *out = render_text ("<{{client.name}}>", values, mode);

      g_assert_true (g_utf8_validate (out, -1, NULL));
      g_assert_nonnull (strstr (out, "Caf"));
    }
}

static void
test_french_round_trip (void)
{
  static const char text[] =
    "Bonjour {{client.name}},\n"
    "\n"
    "Sauf erreur de notre part, la facture n° {{invoice.number}} émise le "
    "{{invoice.issue_date}} et échue le {{invoice.due_date}} reste impayée : "
    "{{invoice.outstanding}} (retard : {{invoice.days_overdue}} jours).\n"
    "Pénalités de retard : {{penalties.amount}} au taux de {{penalties.rate}} ; indemnité "
    "forfaitaire : {{indemnity}}.\n"
    "Merci de régler {{total_due}} avant le {{deadline}} : IBAN {{company.iban}}.\n"
    "\n"
    "Cordialement,\n"
    "« {{company.name}} » — Œuvres & Façades\n";
  static const char * const pairs[][2] = {
    { "client.name", "Société Générale d’Électricité" },
    { "invoice.number", "F-2026-042" },
    { "invoice.issue_date", "1 février 2026" },
    { "invoice.due_date", "3 mars 2026" },
    { "invoice.outstanding", "1 234,56 €" },
    { "invoice.days_overdue", "12" },
    { "penalties.amount", "5,07 €" },
    { "penalties.rate", "12,15 %" },
    { "indemnity", "40,00 €" },
    { "total_due", "1 279,63 €" },
    { "deadline", "20 mars 2026" },
    { "company.iban", "FR76 3000 6000 0112 3456 7890 189" },
    { "company.name", "Atelier Lumière" },
  };
  g_autoptr(RelanceTemplateValues) values = relance_template_values_new ("fr");
  g_autoptr(GString) expected = g_string_new (text);
  g_autofree char *out = NULL;
  g_autofree char *html = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *tag = g_strdup_printf ("{{%s}}", pairs[i][0]);

      relance_template_values_set (values, pairs[i][0], pairs[i][1]);
      g_assert_cmpuint (g_string_replace (expected, tag, pairs[i][1], 0), ==, 1);
    }

  out = render_text (text, values, RELANCE_TEMPLATE_MODE_TEXT);
  g_assert_cmpstr (out, ==, expected->str);
  g_assert_true (g_utf8_validate (out, -1, NULL));

  html = render_text (text, values, RELANCE_TEMPLATE_MODE_HTML);
  g_assert_nonnull (strstr (html, "Bonjour Société Générale d’Électricité,<br>\n"));
  g_assert_nonnull (strstr (html, "« Atelier Lumière » — Œuvres &amp; Façades<br>\n"));
}

/* Parsing happens once; rendering the same compiled template many times gives the same
 * bytes every time (no state leaks from one message to the next). Speed is measured in
 * tests/bench, never asserted here. */
static void
test_render_many (void)
{
  g_autoptr(RelanceTemplate) body = parse_ok (grouped_template);
  g_autoptr(RelanceTemplate) subject = parse_ok ("Relance : {{invoice.number}} – "
                                                 "{{company.name}}");
  g_autoptr(RelanceTemplateValues) values = three_invoices ();
  g_autofree char *reference = relance_template_render (body, values,
                                                        RELANCE_TEMPLATE_MODE_TEXT);
  g_autofree char *reference_html = relance_template_render (body, values,
                                                             RELANCE_TEMPLATE_MODE_HTML);
  gsize total = 0;
  const guint n = 2000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = relance_template_render (body, values,
                                                       RELANCE_TEMPLATE_MODE_TEXT);
      g_autofree char *html = relance_template_render (body, values,
                                                       RELANCE_TEMPLATE_MODE_HTML);
      g_autofree char *line = relance_template_render_subject (subject, values);

      total += strlen (text) + strlen (html) + strlen (line);
    }
  g_assert_cmpuint (total, ==, n * (strlen (reference) + strlen (reference_html)
                                    + strlen ("Relance : F-2026-001 – Atelier Lumière")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/template/names/all-render", test_names_all_render);
  g_test_add_func ("/template/errors/positions", test_errors);
  g_test_add_func ("/template/errors/foreign", test_error_position_foreign);
  g_test_add_func ("/template/section/three-invoices", test_section_three_invoices);
  g_test_add_func ("/template/render/text", test_render_text_cases);
  g_test_add_func ("/template/render/no-values", test_no_values);
  g_test_add_func ("/template/render/invalid-utf8-value", test_invalid_utf8_value);
  g_test_add_func ("/template/html/escaping", test_html_escaping);
  g_test_add_func ("/template/html/language", test_html_language);
  g_test_add_func ("/template/header/no-crlf", test_header);
  g_test_add_func ("/template/french/round-trip", test_french_round_trip);
  g_test_add_func ("/template/performance/render-many", test_render_many);

  return g_test_run ();
}
