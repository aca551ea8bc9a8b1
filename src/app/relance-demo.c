/* relance-demo.c: a small, believable set of clients and invoices, dated relative to the
 * clock (so the demo always has invoices due soon and overdue), for `relance --demo`. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "relance-clock.h"
#include "relance-demo.h"

typedef struct
{
  const char *name;
  const char *reference;
  const char *email;
  const char *language;
  const char *country;
  const char *timezone;
  const char *kind;
  const char *segment;
} DemoClient;

typedef struct
{
  const char *number;
  guint       client;     /* index into demo_clients */
  int         issued_ago; /* days before today */
  int         terms;      /* days from issue to due */
  gint64      total;      /* cents */
  gint64      paid;       /* cents already received */
  const char *status;
} DemoInvoice;

static const DemoClient demo_clients[] = {
  { "Boulangerie Martin", "CL001", "compta@boulangerie-martin.fr", "fr", "FR", "Europe/Paris",
    "business", "regular" },
  { "Garage des Alpes", "CL002", "contact@garage-des-alpes.fr", "fr", "FR", "Europe/Paris",
    "business", "at-risk" },
  { "Cabinet Lefèvre & Associés", "CL003", "factures@lefevre-avocats.fr", "fr", "FR",
    "Europe/Paris", "business", "strategic" },
  { "Hôtel Le Méridien du Lac", "CL004", "direction@hotel-lac.fr", "fr", "FR", "Europe/Paris",
    "business", "regular" },
  { "Sophie Bernard", "CL005", "sophie.bernard@example.fr", "fr", "FR", "Europe/Paris",
    "consumer", "regular" },
  { "Thornbury Design Ltd", "CL006", "accounts@thornbury-design.co.uk", "en", "GB",
    "Europe/London", "business", "regular" },
  { "Brooklyn Coffee Roasters", "CL007", "ap@brooklyncoffee.example.com", "en", "US",
    "America/New_York", "business", "strategic" },
  { "Imprimerie Vasseur", "CL008", "gestion@imprimerie-vasseur.fr", "fr", "FR", "Europe/Paris",
    "business", "regular" },
};

static const DemoInvoice demo_invoices[] = {
  { "F2026-0101", 0, 95, 30, 124000, 124000, "open" },
  { "F2026-0102", 0, 40, 30, 86050, 0, "open" },
  { "F2026-0103", 1, 75, 30, 342000, 100000, "open" },
  { "F2026-0104", 1, 50, 30, 129900, 0, "open" },
  { "F2026-0105", 2, 33, 30, 780000, 0, "open" },
  { "F2026-0106", 3, 28, 30, 215075, 0, "open" },
  { "F2026-0107", 3, 120, 30, 98000, 0, "disputed" },
  { "F2026-0108", 4, 20, 15, 45000, 0, "open" },
  { "F2026-0109", 5, 45, 30, 150000, 0, "open" },
  { "F2026-0110", 6, 62, 30, 264000, 0, "open" },
  { "F2026-0111", 7, 10, 30, 57600, 0, "open" },
  { "F2026-0112", 7, 70, 30, 33000, 0, "cancelled" },
  { "F2026-0113", 2, 5, 45, 1250000, 0, "open" },
  { "F2026-0114", 5, 15, 30, 72000, 0, "open" },
};

gboolean
relance_demo_fill (RelanceStore  *store,
                   GError       **error)
{
  g_autoptr(RelanceCompany) company = NULL;
  gint64 ids[G_N_ELEMENTS (demo_clients)];
  GDate today;

  relance_clock_today (NULL, &today);

  if (!relance_store_begin (store, error))
    return FALSE;

  if ((company = relance_store_get_company (store, error)) == NULL)
    goto fail;
  g_free (company->name);
  company->name = g_strdup ("Atelier Dupont");
  g_free (company->address);
  company->address = g_strdup ("12 rue des Tanneurs\n69002 Lyon");
  g_free (company->siret);
  company->siret = g_strdup ("12345678900012");
  g_free (company->vat);
  company->vat = g_strdup ("FR32123456789");
  g_free (company->iban);
  company->iban = g_strdup ("FR7630006000011234567890189");
  g_free (company->bic);
  company->bic = g_strdup ("AGRIFRPP");
  if (!relance_store_set_company (store, company, error))
    goto fail;

  for (guint i = 0; i < G_N_ELEMENTS (demo_clients); i++)
    {
      const DemoClient *d = &demo_clients[i];
      RelanceClient client = {
        .name = (char *) d->name, .reference = (char *) d->reference,
        .email = (char *) d->email, .language = (char *) d->language,
        .country = (char *) d->country, .timezone = (char *) d->timezone,
        .kind = (char *) d->kind, .segment = (char *) d->segment,
      };
      if (!relance_store_save_client (store, &client, error))
        goto fail;
      ids[i] = client.id;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_invoices); i++)
    {
      const DemoInvoice *d = &demo_invoices[i];
      RelanceInvoice invoice = {
        .number = (char *) d->number, .client_id = ids[d->client], .total = d->total,
        .currency = (char *) (g_str_equal (demo_clients[d->client].country, "GB") ? "GBP"
                              : g_str_equal (demo_clients[d->client].country, "US") ? "USD"
                              : "EUR"),
        .status = (char *) d->status,
      };

      invoice.issue_date = today;
      g_date_subtract_days (&invoice.issue_date, (guint) d->issued_ago);
      invoice.due_date = invoice.issue_date;
      g_date_add_days (&invoice.due_date, (guint) d->terms);
      g_date_clear (&invoice.promise_date, 1);
      if (!relance_store_save_invoice (store, &invoice, error))
        goto fail;
      if (d->paid > 0)
        {
          RelancePayment payment = { .invoice_id = invoice.id, .amount = d->paid,
                                     .method = (char *) "transfer" };
          payment.date = invoice.due_date;
          if (!relance_store_add_payment (store, &payment, error))
            goto fail;
        }
    }

  return relance_store_commit (store, error);

fail:
  relance_store_rollback (store);
  return FALSE;
}

/* A fresh database in a private temporary folder; returns its path. */
char *
relance_demo_create (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("relance-demo-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(RelanceStore) store = NULL;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "relance.db", NULL);
  store = relance_store_open (path, error);
  if (store == NULL || !relance_demo_fill (store, error))
    return NULL;
  return g_steal_pointer (&path);
}

/* Removes a database made by relance_demo_create() and its folder (with the WAL files and
 * the sending locks next to it); anything else is left alone. */
void
relance_demo_remove (const char *path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (dir);
  if (!g_str_has_prefix (base, "relance-demo-"))
    return;

  if ((listing = g_dir_open (dir, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);

        if (g_str_has_suffix (name, ".claims"))
          {
            g_autoptr(GDir) locks = g_dir_open (child, 0, NULL);
            const char *lock;

            while (locks != NULL && (lock = g_dir_read_name (locks)) != NULL)
              {
                g_autofree char *lock_path = g_build_filename (child, lock, NULL);
                g_unlink (lock_path);
              }
            g_rmdir (child);
          }
        else if (g_str_has_prefix (name, "relance.db"))
          g_unlink (child);
      }
  g_rmdir (dir);
}
