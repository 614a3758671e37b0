/* SPDX-License-Identifier: MIT */
/*
 * hps_generate.h — the shared generated world (sim_world.h) as a HaloPSA
 * dataset, for --generate N --seed S --change-pct P.
 *
 * Company i is client 1000+i (its world name). Items: 501 "LastPass
 * Business", 502 "LastPass Business + MFA", and three others (510-512).
 * Each client has one active recurring invoice, id 5000000+i, whose lines
 * are the LastPass line (id 7000000+4i, item 501 or 502 by the world's
 * MFA flag, qty_order = the world's PSA quantity), a backup line (id +1)
 * and, for every third client, a Microsoft 365 line (id +2): the lines a
 * write must keep. Every tenth client also has an invoice that ended on
 * 2025-12-31 (id 6000000+i) still carrying a LastPass line, which a sync
 * must ignore.
 */
#ifndef HPS_GENERATE_H
#define HPS_GENERATE_H

#include <json-c/json.h>

#define HPS_CLIENT_BASE 1000L
#define HPS_INVOICE_BASE 5000000L
#define HPS_ENDED_INVOICE_BASE 6000000L
#define HPS_LINE_BASE 7000000L
#define HPS_ITEM_LASTPASS 501
#define HPS_ITEM_LASTPASS_MFA 502

/* The dataset document (a new reference), or NULL when out of memory. */
json_object *hps_generate(unsigned seed, int change_pct, int n);

#endif
