/* SPDX-License-Identifier: MIT */
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

/* An optional string of a record that must be all or nothing, copied. */
static int opt_string(json_object *item, const char *entity, long long id,
                      const char *field, char **out, char *err, size_t errlen) {
  const char *s = NULL;
  at_field f = at_json_string(item, field, &s);
  *out = NULL;
  if (at_field_is_bad(f))
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

/* The first unusable field of a placed record, for the one message the
 * record gets (fields are checked in the order a person reads them). */
typedef struct flaw {
  const char *field;
  char what[72]; /* "null", "is missing", "2.5, not a whole number" */
} flaw;

static void note_flaw(flaw *fl, const char *field, at_field f,
                      json_object *item) {
  if (fl->field || f == AT_FIELD_OK)
    return;
  fl->field = field;
  json_object *v = NULL;
  at_json_lookup(item, field, &v);
  if (f == AT_FIELD_MISSING || f == AT_FIELD_NULL || f == AT_FIELD_RANGE || !v)
    snprintf(fl->what, sizeof fl->what, "%s",
             f == AT_FIELD_MISSING ? "missing" : at_field_problem(f));
  else
    snprintf(fl->what, sizeof fl->what, "%.40s, %s",
             json_object_to_json_string_ext(
                 v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
             json_object_is_type(v, json_type_double) &&
                     f == AT_FIELD_WRONG_TYPE
                 ? "not a whole number"
                 : at_field_problem(f));
}

static void flaw_int(flaw *fl, json_object *item, const char *field,
                     long long *out) {
  note_flaw(fl, field, at_json_int(item, field, out), item);
}

/* Optional: absent or null is fine. */
static void flaw_opt_int(flaw *fl, json_object *item, const char *field,
                         int *has, long long *out) {
  at_field f = at_json_int(item, field, out);
  *has = f == AT_FIELD_OK;
  if (at_field_is_bad(f))
    note_flaw(fl, field, f, item);
}

static int flaw_date(flaw *fl, json_object *item, const char *field,
                     at_date *out) {
  at_field f = at_json_date(item, field, out);
  note_flaw(fl, field, f, item);
  return f == AT_FIELD_OK;
}

static void flaw_opt_date(flaw *fl, json_object *item, const char *field,
                          int *has, at_date *out) {
  at_field f = at_json_date(item, field, out);
  *has = f == AT_FIELD_OK;
  if (at_field_is_bad(f))
    note_flaw(fl, field, f, item);
}

/* A name, copied; -1 when out of memory. Names are only shown, so one
 * of the wrong type is dropped, not a flaw. */
static int opt_name(json_object *item, const char *field, char **out) {
  const char *s = NULL;
  *out = NULL;
  if (at_json_string(item, field, &s) != AT_FIELD_OK)
    return 0;
  *out = strdup(s);
  return *out ? 0 : -1;
}

static int oom(char *err, size_t errlen, const char *entity) {
  snprintf(err, errlen, "out of memory reading Autotask %s", entity);
  return AT_REC_FATAL;
}

int at_parse_service(json_object *item, at_service *out, char *err,
                     size_t errlen) {
  const char *E = "Services";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen))
    return AT_REC_FATAL;
  at_field f = at_json_int(item, "periodType", &out->period_type);
  out->has_period_type = f == AT_FIELD_OK;
  if (at_field_is_bad(f))
    return bad(err, errlen, E, out->id, "periodType", f);
  if (opt_string(item, E, out->id, "name", &out->name, err, errlen))
    return AT_REC_FATAL;
  f = at_json_bool(item, "isActive", &out->active);
  if (f == AT_FIELD_WRONG_TYPE) {
    at_service_free(out);
    return bad(err, errlen, E, out->id, "isActive", f);
  }
  if (f != AT_FIELD_OK)
    out->active = 1;
  return AT_REC_OK;
}

int at_parse_contract_service(json_object *item, at_contract_service *out,
                              char *err, size_t errlen) {
  const char *E = "ContractServices";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "contractID", &out->contract_id, err, errlen))
    return AT_REC_FATAL;
  flaw fl = {0};
  flaw_int(&fl, item, "serviceID", &out->service_id);
  if (!fl.field && out->service_id <= 0)
    note_flaw(&fl, "serviceID", AT_FIELD_WRONG_TYPE, item);
  if (!fl.field)
    return AT_REC_OK;
  snprintf(err, errlen,
           "Autotask sent contract service %lld of contract %lld with "
           "serviceID %s: lpsa cannot tell which service it bills; check the "
           "services of contract %lld in Autotask",
           out->id, out->contract_id, fl.what, out->contract_id);
  return AT_REC_BAD;
}

int at_parse_contract(json_object *item, at_contract *out, char *err,
                      size_t errlen) {
  const char *E = "Contracts";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "companyID", &out->company_id, err, errlen))
    return AT_REC_FATAL;
  flaw fl = {0};
  flaw_int(&fl, item, "contractType", &out->contract_type);
  flaw_int(&fl, item, "status", &out->status);
  flaw_opt_date(&fl, item, "startDate", &out->has_start, &out->start);
  flaw_opt_date(&fl, item, "endDate", &out->has_end, &out->end);
  flaw_opt_int(&fl, item, "contractCategory", &out->has_category,
               &out->category);
  flaw_opt_int(&fl, item, "contractPeriodType", &out->has_period_type,
               &out->period_type);
  if (opt_name(item, "contractName", &out->name))
    return oom(err, errlen, E);
  if (!fl.field)
    return AT_REC_OK;
  snprintf(err, errlen,
           "Autotask sent contract %lld with %s %s: lpsa cannot tell whether "
           "or how it bills now; check the contract in Autotask",
           out->id, fl.field, fl.what);
  return AT_REC_BAD;
}

int at_parse_company(json_object *item, at_company *out, char *err,
                     size_t errlen) {
  const char *E = "Companies";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen))
    return AT_REC_FATAL;
  flaw fl = {0};
  note_flaw(&fl, "isActive", at_json_bool(item, "isActive", &out->active),
            item);
  if (opt_name(item, "companyName", &out->name))
    return oom(err, errlen, E);
  if (!fl.field)
    return AT_REC_OK;
  /* Emitted so its note can name it; the host writes none of its lines. */
  out->active = 1;
  snprintf(err, errlen,
           "Autotask sent company %lld with %s %s: lpsa cannot tell whether "
           "it is an active company; check the company in Autotask",
           out->id, fl.field, fl.what);
  return AT_REC_BAD;
}

int at_parse_unit(json_object *item, at_unit *out, char *err, size_t errlen) {
  const char *E = "ContractServiceUnits";
  memset(out, 0, sizeof *out);
  if (at_parse_id(E, item, &out->id, err, errlen) ||
      req_int(item, E, out->id, "contractServiceID", &out->contract_service_id,
              err, errlen))
    return AT_REC_FATAL;
  flaw fl = {0};
  flaw_int(&fl, item, "contractID", &out->contract_id);
  flaw_int(&fl, item, "serviceID", &out->service_id);
  int start_ok = flaw_date(&fl, item, "startDate", &out->start);
  int end_ok = flaw_date(&fl, item, "endDate", &out->end);
  out->dates_ok = start_ok && end_ok;
  flaw_int(&fl, item, "units", &out->units);
  if (!fl.field && out->units < 0) {
    fl.field = "units";
    snprintf(fl.what, sizeof fl.what, "%lld, below zero", out->units);
  }
  if (!fl.field)
    return AT_REC_OK;
  snprintf(err, errlen,
           "Autotask sent units row %lld of contract service %lld with %s %s: "
           "lpsa cannot tell how many units it bills; check the contract "
           "service's units in Autotask",
           out->id, out->contract_service_id, fl.field, fl.what);
  return AT_REC_BAD;
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
