/* relance-cli-rates.h: `relance rate update` and `relance rate list`, reached through the
 * "rate" command of relance-cli-engine.c. */
#pragma once

#include "relance-cli-private.h"

G_BEGIN_DECLS

/* TRUE when @argv ("rate", then its words) asks for update or list rather than set. */
gboolean relance_cli_rates_handles (char       **argv);
int      relance_cli_cmd_rates     (CliContext  *ctx,
                                    char       **argv);

G_END_DECLS
