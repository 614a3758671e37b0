/*
 * at_records.c — strict parsers of Autotask query items (see at_records.h).
 */
#include "at_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_json.h"

static int bad(char *err, size_t errlen, const char *entity, long long id,
               const char *field, at_field f) {
  if (id)
    snprintf(err, errlen,
             "Autotask sent a %s record (id %lld) whose %s is %s: the answer "
             "does not match the API",
             entity, id, field, at_field_problem(f));
  else
    snprintf(err, errlen,
             "Autotask sent a %s record whose %s is %s: the answer does not "
             "match the API",
             entity, field, at_field_problem(f));
  return -1;
}

int at_parse_id(const char *entity, json_object *item, long long *id, char *err,
                size_t errlen) {
  if (!item || !json_object_is_type(item, json_type_object)) {
    snprintf(err, errlen,
             "Autotask sent a %s item that is not a JSON object: the answer "
             "does not match the API",
             entity);
    return -1;
  }
  at_field f = at_json_int(item, "id", id);
  if (f == AT_FIELD_OK && *id <= 0)
    f = AT_FIELD_WRONG_TYPE;
  return f == AT_FIELD_OK ? 0 : bad(err, errlen, entity, 0, "id", f);
}

/* A required whole-number field. */
static int req_int(json_object *item, const char *entity, long long id,
                   const char *field, long long *out, char *err,
                   size_t errlen) {
  at_field f = at_json_int(item, field, out);
  return f == AT_FIELD_OK ? 0 : bad(err, errlen, entity, id, field, f);
}

/* An optional whole-number field: absent or null leave *has = 0. */
static int opt_int(json_object *item, const char *entity, long long id,
                   const char *field, int *has, long long *out, char *err,
                   size_t errlen) {
  at_field f = at_json_int(item, field, out);
  *has = f == AT_FIELD_OK;
  if (f == AT_FIELD_WRONG_TYPE)
    return bad(err, errlen, entity, id, field, f);
  return 0;
}

static int opt_date(json_object *item, const char *entity, long long id,
                    const char *field, int *has, at_date *out, char *err,
                    size_t errlen) {
  at_field f = at_json_date(item, field, out);
  *has = f == AT_FIELD_OK;
  if (f == AT_FIELD_WRONG_TYPE)
    return bad(err, errlen, entity, id, field, f);
  return 0;
}

static int req_date(json_object *item, const char *entity, long long id,
                    const char *field, at_date *out, char *err, size_t errlen) {
  at_field f = at_json_date(item, field, out);
  return f == AT_FIELD_OK ? 0 : bad(err, errlen, entity, id, field, f);
}

/* An optional string, copied; -2 when out of memory. */
static int opt_string(json_object *item, const char *entity, long long id,
                      const char *field, char **out, char *err, size_t errlen) {
  const char *s = NULL;
  at_field f = at_json_string(item, field, &s);
  *out = NULL;
  if (f == AT_FIELD_WRONG_TYPE)
    return bad(err, errlen, entity, id, field, f);
  if (f != AT_FIELD_OK)
    return 0;
  *out = strdup(s);
  if (!*out) {
    snprintf(err, errlen, "out of memory reading Autotask %s", entity);
    return -1;
  }
  return 0;
}

int at_parse_service(json_object *item, at_service *out, char *err,
                     size_t errlen) {
  const char *E = "Services";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      opt_int(item, E, out->id, "periodType", &out->has_period_type,
              &out->period_type, err, errlen) ||
      opt_string(item, E, out->id, "name", &out->name, err, errlen))
    return -1;
  at_field f = at_json_bool(item, "isActive", &out->active);
  if (f == AT_FIELD_WRONG_TYPE) {
    at_service_free(out);
    return bad(err, errlen, E, out->id, "isActive", f);
  }
  if (f != AT_FIELD_OK)
    out->active = 1;
  return 0;
}

int at_parse_contract_service(json_object *item, at_contract_service *out,
                              char *err, size_t errlen) {
  const char *E = "ContractServices";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "contractID", &out->contract_id, err, errlen) ||
      req_int(item, E, out->id, "serviceID", &out->service_id, err, errlen))
    return -1;
  return 0;
}

int at_parse_contract(json_object *item, at_contract *out, char *err,
                      size_t errlen) {
  const char *E = "Contracts";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "companyID", &out->company_id, err, errlen) ||
      req_int(item, E, out->id, "contractType", &out->contract_type, err,
              errlen) ||
      req_int(item, E, out->id, "status", &out->status, err, errlen) ||
      opt_date(item, E, out->id, "startDate", &out->has_start, &out->start, err,
               errlen) ||
      opt_date(item, E, out->id, "endDate", &out->has_end, &out->end, err,
               errlen) ||
      opt_int(item, E, out->id, "contractCategory", &out->has_category,
              &out->category, err, errlen) ||
      opt_int(item, E, out->id, "contractPeriodType", &out->has_period_type,
              &out->period_type, err, errlen) ||
      opt_string(item, E, out->id, "contractName", &out->name, err, errlen))
    return -1;
  return 0;
}

int at_parse_company(json_object *item, at_company *out, char *err,
                     size_t errlen) {
  const char *E = "Companies";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen))
    return -1;
  at_field f = at_json_bool(item, "isActive", &out->active);
  if (f != AT_FIELD_OK)
    return bad(err, errlen, E, out->id, "isActive", f);
  return opt_string(item, E, out->id, "companyName", &out->name, err, errlen);
}

int at_parse_unit(json_object *item, at_unit *out, char *err, size_t errlen) {
  const char *E = "ContractServiceUnits";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "contractServiceID", &out->contract_service_id,
              err, errlen) ||
      req_int(item, E, out->id, "contractID", &out->contract_id, err, errlen) ||
      req_int(item, E, out->id, "serviceID", &out->service_id, err, errlen) ||
      req_date(item, E, out->id, "startDate", &out->start, err, errlen) ||
      req_date(item, E, out->id, "endDate", &out->end, err, errlen) ||
      req_int(item, E, out->id, "units", &out->units, err, errlen))
    return -1;
  if (out->units < 0) {
    snprintf(err, errlen,
             "Autotask ContractServiceUnits record %lld has negative units "
             "(%lld): fix the contract service before syncing",
             out->id, out->units);
    return -1;
  }
  return 0;
}

void at_service_free(at_service *s) {
  if (s) {
    free(s->name);
    s->name = NULL;
  }
}

void at_contract_free(at_contract *c) {
  if (c) {
    free(c->name);
    c->name = NULL;
  }
}

void at_company_free(at_company *c) {
  if (c) {
    free(c->name);
    c->name = NULL;
  }
}
