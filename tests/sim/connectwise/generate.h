/* SPDX-License-Identifier: MIT */
/*
 * generate.h — a ConnectWise dataset for the shared generated world
 * (`--generate N --seed S --change-pct P`, tests/sim/common/sim_world.h).
 *
 * World company i becomes company id psa_company_id (1000 + i) with its odd
 * name (cut to ConnectWise's 50 characters) and an identifier derived from
 * it; one Active "Managed Services" agreement (Monthly) holding one addition
 * of LASTPASS-BUS, or LASTPASS-MFA for MFA customers, with quantity =
 * psa_quantity. Around them, so that filtering matters:
 *   - every 4th company: a Microsoft 365 addition on the same agreement;
 *   - every 6th (i % 6 == 1): a Cancelled older agreement that still holds a
 *     LastPass addition (cancelled in the past);
 *   - every 9th (i % 9 == 2): a second LastPass addition on the managed
 *     agreement, cancelled in the past (no longer billing);
 *   - N/10 (at least 2) unmapped companies (ids from 5000000) with agreements
 *     and additions of other products only.
 * The catalog holds the two LastPass products, an inactive legacy LastPass
 * product and unrelated items. Ids: agreements 1000000 + 2i (+1 for the
 * cancelled one), additions 2000000 + 4i + k.
 */
#ifndef CW_GENERATE_H
#define CW_GENERATE_H

#include <json-c/json.h>

#define CW_GENERATE_MAX 250000

/* The fixture (a new object) for n companies, or NULL when out of memory. */
json_object *cw_generate(unsigned seed, int change_pct, int n);

#endif
