/* relance-onboarding.h: the first-run assistant (company, mail account, scenario, import).
 *
 * Shown when the company has no name yet. Each step can be skipped; "Skip" closes the
 * assistant and it opens again at the same step next time, until it is finished. */
#pragma once

#include <adwaita.h>

#include "relance-store.h"

G_BEGIN_DECLS

#define RELANCE_TYPE_ONBOARDING (relance_onboarding_get_type ())
G_DECLARE_FINAL_TYPE (RelanceOnboarding, relance_onboarding, RELANCE, ONBOARDING, AdwWindow)

/* The setting that remembers where the assistant was left: "0" … "3", or "done". */
#define RELANCE_SETTING_ONBOARDING "onboarding.step"

RelanceOnboarding *relance_onboarding_new          (GtkWindow         *parent,
                                                    RelanceStore      *store);
/* TRUE on a first run (no company name, assistant not finished) or when it was skipped. */
gboolean           relance_onboarding_should_show  (RelanceStore      *store);
/* The step shown, from 0 (company) to 3 (import). */
guint              relance_onboarding_get_step     (RelanceOnboarding *self);
/* TRUE while the assistant waits for the keyring or a test email. */
gboolean           relance_onboarding_is_busy      (RelanceOnboarding *self);

/* Shared with the preferences: NULL when @text is acceptable for the company @field
 * ("name", "iban", "bic", "penalty-rate"), else a translated sentence saying what to fix. */
char              *relance_company_field_check     (const char        *field,
                                                    const char        *text);
/* "Day −3: courteous email · Day 7: firm email …", translated. */
char              *relance_scenario_describe_steps (GPtrArray         *steps);

/* Countries offered for the company: ISO codes with translated names. */
guint              relance_company_n_countries     (void);
const char        *relance_company_country_code    (guint              index);
const char        *relance_company_country_name    (guint              index);

G_END_DECLS
