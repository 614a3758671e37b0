/* SPDX-License-Identifier: MIT */
/*
 * lp_data.h — the LastPass simulator's dataset: the managed companies of one
 * MSP and, optionally, a fixed current billing cycle.
 *
 * Fixture / state JSON (GET and PUT /_sim/state use the same shape):
 *   {"companies":[{"id":123,"name":"Acme","status":"active",
 *                  "type":"managed","licenseLimit":50,"addons":["mfa"],
 *                  "activeUsers":12,"parentId":null}, ...],
 *    "billingCycle":{"startDate":"2026-11-01","endDate":"2026-11-30"}}
 * Defaults: status "active", type "managed", licenseLimit null, addons [],
 * activeUsers 0, parentId null; billingCycle absent = the calendar month of
 * the simulator's clock (--now).
 */
#ifndef LPSA_LP_DATA_H
#define LPSA_LP_DATA_H

#include <json-c/json.h>
#include <stddef.h>

#define LP_ADDON_MFA 1u
#define LP_ADDON_SSO 2u

typedef struct lp_company {
  long id;
  char *name;
  int suspended;      /* status "suspended" (else "active") */
  int managed_msp;    /* type "managed-msp" (else "managed") */
  long license_limit; /* -1 = null */
  unsigned addons;    /* LP_ADDON_* */
  long active_users;
  long parent_id; /* 0 = null */
} lp_company;

typedef struct lp_data {
  lp_company *companies; /* sorted by id */
  size_t n;
  int has_cycle;
  char cycle_start[11]; /* YYYY-MM-DD */
  char cycle_end[11];
} lp_data;

/* Replace nothing on failure: fills `out` only when `json` is valid. 0, or -1
 * with err naming the bad company and field. */
int lp_data_from_json(json_object *json, lp_data *out, char *err, size_t cap);
/* The dataset in fixture form (a new reference, NULL without memory). */
json_object *lp_data_to_json(const lp_data *d);
/* The generated world (sim_world.h): n companies for seed/change_pct. */
int lp_data_generate(lp_data *out, int n, unsigned seed, int change_pct);
void lp_data_free(lp_data *d);
/* The company with that id, or NULL. */
const lp_company *lp_data_find(const lp_data *d, long id);

const char *lp_status_name(const lp_company *c);
const char *lp_type_name(const lp_company *c);
/* The billing-report licenseType of a company. */
const char *lp_license_type(const lp_company *c);
/* {"id","name","status","type","licenseLimit","addons"}: the list item shape
 * the project assumes (lastpass.md, "Not published"). */
json_object *lp_company_item(const lp_company *c);

#endif
