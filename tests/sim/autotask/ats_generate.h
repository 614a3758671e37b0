/* SPDX-License-Identifier: MIT */
/*
 * ats_generate.h — a dataset from the shared world (--generate N --seed S
 * --change-pct P), agreeing with the LastPass simulator's companies.
 *
 * World company i becomes Companies.id = psa_company_id with one active
 * Recurring Service contract (monthly, started 1-24 months before today on
 * varied days, including the 29th-31st, renewed yearly: it ends the day
 * before its first anniversary after today)
 * holding one ContractService of "LastPass Business" or "LastPass Business
 * + MFA" (the company's mfa flag) whose units today are psa_quantity. Older
 * periods often had other counts, and about one contract in five had a
 * mid-period adjustment, so the row covering today does not start at the
 * period start. Noise: inactive and non-recurring contracts, other services,
 * and companies that are not in the world (ids from 50000), some of them
 * billing LastPass. Services are monthly except "Firewall Monitoring".
 */
#ifndef ATS_GENERATE_H
#define ATS_GENERATE_H

#include <stddef.h>

#include "ats_db.h"

/* NULL with err filled on failure. opt gives now and the picklist offset. */
ats_db *ats_generate(unsigned seed, int change_pct, int n,
                     const ats_db_options *opt, char *err, size_t len);

#endif
