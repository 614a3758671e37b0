/* SPDX-License-Identifier: MIT */
/*
 * at_records.h — the Autotask records the driver reads, parsed strictly from
 * query items. Pure.
 *
 * Each parser checks the fields the sync relies on, because a snapshot
 * built on a guess could post a delta to the wrong contract. A field that is
 * missing, null, of the wrong type or beyond the 64-bit range is one of two
 * things:
 *   - AT_REC_FATAL: the record cannot even be placed (its id, or the field
 *     naming what it belongs to: a units row's contractServiceID, a contract
 *     service's contractID, a contract's companyID). Nothing in the answer
 *     can be trusted then, so the snapshot fails; nothing is allocated.
 *   - AT_REC_BAD: the record is placed (its id and owner are set) but cannot
 *     be billed from: one company's problem, not the run's. err holds one
 *     line in Autotask's words naming the record, the field and what to do.
 * Optional fields may be absent or null. Strings are copied (free with the
 * matching *_free function, after AT_REC_OK and AT_REC_BAD).
 */
#ifndef AT_RECORDS_H
#define AT_RECORDS_H

#include <json-c/json.h>
#include <stddef.h>

#include "at_date.h"

/* Services: id, name, periodType (nullable), isActive (optional). */
typedef struct at_service {
  long long id;
  char *name; /* may be NULL */
  int has_period_type;
  long long period_type;
  int active; /* isActive; 1 when absent */
} at_service;

/* ContractServices: id, contractID, serviceID. */
typedef struct at_contract_service {
  long long id;
  long long contract_id;
  long long service_id;
} at_contract_service;

/* Contracts: id, companyID, contractType, status required; the rest may be
 * null (a recurring contract without dates has no billing period). */
typedef struct at_contract {
  long long id;
  long long company_id;
  char *name; /* contractName; may be NULL */
  long long contract_type;
  long long status;
  int has_start, has_end;
  at_date start, end;
  int has_category;
  long long category;
  int has_period_type;
  long long period_type; /* contractPeriodType */
} at_contract;

/* Companies: id, isActive required, companyName optional. */
typedef struct at_company {
  long long id;
  char *name;
  int active;
} at_company;

/* ContractServiceUnits: id, contractServiceID, contractID, serviceID,
 * startDate, endDate, units — all required; units a whole number >= 0. */
typedef struct at_unit {
  long long id;
  long long contract_service_id;
  long long contract_id;
  long long service_id;
  at_date start, end;
  long long units;
  /* Set even for AT_REC_BAD: 1 when start and end were read, so a bad row
   * that does not cover the run date can be told apart from one that
   * might. */
  int dates_ok;
} at_unit;

enum { AT_REC_OK = 0, AT_REC_FATAL = -1, AT_REC_BAD = 1 };

/* Each returns an AT_REC_* value, with a message in err unless AT_REC_OK.
 * at_parse_service is all or nothing (the catalog is every company's):
 * AT_REC_OK or AT_REC_FATAL. */
int at_parse_service(json_object *item, at_service *out, char *err,
                     size_t errlen);
int at_parse_contract_service(json_object *item, at_contract_service *out,
                              char *err, size_t errlen);
int at_parse_contract(json_object *item, at_contract *out, char *err,
                      size_t errlen);
int at_parse_company(json_object *item, at_company *out, char *err,
                     size_t errlen);
int at_parse_unit(json_object *item, at_unit *out, char *err, size_t errlen);

/* The id of any item: a whole number > 0. 0, or -1 with a message. */
int at_parse_id(const char *entity, json_object *item, long long *id, char *err,
                size_t errlen);

void at_service_free(at_service *s);
void at_contract_free(at_contract *c);
void at_company_free(at_company *c);

#endif
