/*
 * at_records.h — the Autotask records the driver reads, parsed strictly from
 * query items. Pure.
 *
 * Each parser checks the fields the sync relies on: a required field that
 * is missing, null or of the wrong type fails with one message naming the
 * entity, the record id and the field, because a snapshot built on a guess
 * could post a delta to the wrong contract. Optional fields may be absent or
 * null. Strings are copied (free with the matching *_free function).
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
} at_unit;

/* Each returns 0, or -1 with a message in err. */
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
