/* SPDX-License-Identifier: MIT */
/*
 * ats_adjust.c — validating an adjustment and splitting the unit rows.
 *
 * Everything is checked before anything changes, so a refused adjustment
 * leaves the dataset exactly as it was.
 */
#include "ats_adjust.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ats_date.h"
#include "ats_item.h"
#include "ats_picklist.h"
#include "ats_units.h"
#include "ats_value.h"

typedef struct adjustment {
  int64_t contract_id, service_id, cs_id, effective, delta;
  int has_cs_id, has_service_id, has_contract_id, has_price;
  double price;
} adjustment;

static int say(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
  return -1;
}

static const ats_entity *entity(const char *name) {
  return ats_schema_entity(name);
}

/* Reads an optional member; -1 when present but of the wrong type. */
static int field(json_object *body, const char *key, ats_type t, ats_value *v,
                 char *err, size_t len) {
  json_object *j = ats_member(body, key);
  if (ats_value_read(t, j, v) != 0)
    return say(err, len, "Invalid value for %s: '%s'.", key,
               json_object_get_string(j));
  return 0;
}

static int parse(json_object *body, adjustment *a, char *err, size_t len) {
  ats_value c, s, cs, d, u, p;
  if (!json_object_is_type(body, json_type_object))
    return say(err, len, "The request body must be a JSON object.");
  if (field(body, "contractID", ATS_T_INT, &c, err, len) ||
      field(body, "serviceID", ATS_T_INT, &s, err, len) ||
      field(body, "contractServiceID", ATS_T_INT, &cs, err, len) ||
      field(body, "effectiveDate", ATS_T_DATE, &d, err, len) ||
      field(body, "unitChange", ATS_T_INT, &u, err, len) ||
      field(body, "adjustedUnitPrice", ATS_T_DEC, &p, err, len))
    return -1;
  if (d.is_null)
    return say(err, len, "effectiveDate is required.");
  /* The day is the one written, whatever the time or offset: Autotask
   * keeps dates as days of the database's zone. */
  if (ats_date_parse_day(
          json_object_get_string(ats_member(body, "effectiveDate")), &d.i) != 0)
    return say(err, len, "Invalid value for effectiveDate.");
  if (u.is_null)
    return say(err, len, "unitChange is required.");
  *a = (adjustment){.contract_id = c.i,
                    .service_id = s.i,
                    .cs_id = cs.i,
                    .effective = ats_day_floor(d.i),
                    .delta = u.i,
                    .has_cs_id = !cs.is_null,
                    .has_service_id = !s.is_null,
                    .has_contract_id = !c.is_null,
                    .has_price = !p.is_null,
                    .price = p.d};
  return 0;
}

static int check_contract(ats_db *db, adjustment *a, int64_t path_id, char *err,
                          size_t len) {
  if (path_id >= 0) {
    if (a->has_contract_id && a->contract_id != path_id)
      return say(err, len,
                 "contractID %lld does not match the contract %lld "
                 "of the URL.",
                 (long long)a->contract_id, (long long)path_id);
    a->contract_id = path_id;
    a->has_contract_id = 1;
  }
  if (!a->has_contract_id)
    return say(err, len, "contractID is required.");
  json_object *k = ats_db_find(db, entity("Contracts"), a->contract_id);
  int64_t type = 0, s, e;
  if (!k)
    return say(err, len, "Contract %lld does not exist.",
               (long long)a->contract_id);
  ats_item_int(k, "contractType", &type);
  if (type != ATS_CONTRACT_TYPE_RECURRING)
    return say(err, len,
               "Service adjustments can only be made on Recurring "
               "Service contracts.");
  if (ats_item_date(k, "startDate", &s) == 0 && a->effective < ats_day_floor(s))
    return say(err, len,
               "The effective date must be on or after the "
               "contract start date.");
  if (ats_item_date(k, "endDate", &e) == 0 && a->effective > ats_day_floor(e))
    return say(err, len,
               "The effective date must be on or before the "
               "contract end date.");
  return 0;
}

/* The ContractService of (contract, service), or NULL. */
static json_object *find_cs(ats_db *db, int64_t contract_id,
                            int64_t service_id) {
  json_object *arr = ats_db_items(db, entity("ContractServices"));
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *cs = json_object_array_get_idx(arr, i);
    int64_t c, s;
    if (ats_item_int(cs, "contractID", &c) == 0 && c == contract_id &&
        ats_item_int(cs, "serviceID", &s) == 0 && s == service_id)
      return cs;
  }
  return NULL;
}

/* Finds the contract service, or decides to create one (*cs = NULL). */
static int resolve_cs(ats_db *db, adjustment *a, json_object **cs, char *err,
                      size_t len) {
  *cs = NULL;
  if (a->has_cs_id)
    *cs = ats_db_find(db, entity("ContractServices"), a->cs_id);
  if (*cs) {
    int64_t c = 0, s = 0;
    ats_item_int(*cs, "contractID", &c);
    ats_item_int(*cs, "serviceID", &s);
    if (c != a->contract_id)
      return say(err, len,
                 "ContractService %lld does not belong to contract "
                 "%lld.",
                 (long long)a->cs_id, (long long)a->contract_id);
    if (a->has_service_id && s != a->service_id)
      return say(err, len, "ContractService %lld is not of service %lld.",
                 (long long)a->cs_id, (long long)a->service_id);
    a->service_id = s;
    return 0;
  }
  if (!a->has_service_id)
    return say(err, len, "serviceID is required.");
  if (!ats_db_find(db, entity("Services"), a->service_id))
    return say(err, len, "Service %lld does not exist.",
               (long long)a->service_id);
  *cs = find_cs(db, a->contract_id, a->service_id);
  return 0;
}

typedef struct row_ref {
  json_object *row;
  int64_t start, end, units;
} row_ref;

/* The rows of a contract service from effective on (start or end at or
 * after it); the caller frees *out. */
static int affected_rows(ats_db *db, int64_t csid, int64_t effective,
                         row_ref **out, size_t *n) {
  const ats_entity *units = entity("ContractServiceUnits");
  json_object *rows = ats_db_items(db, units);
  size_t len = json_object_array_length(rows);
  /* Only the service's own rows (ats_index.h), else every row. */
  int scan = 1;
  size_t n_cand = 0;
  ats_index *x = ats_db_index(db, units);
  const size_t *cand =
      x ? ats_index_lookup(x, rows, csid, &n_cand, &scan) : NULL;
  if (!scan)
    len = n_cand;
  *n = 0;
  *out = malloc((len ? len : 1) * sizeof **out);
  if (!*out)
    return -1;
  for (size_t k = 0; k < len; k++) {
    json_object *r = json_object_array_get_idx(rows, scan ? k : cand[k]);
    row_ref ref = {r, 0, 0, 0};
    int64_t id;
    if (ats_item_int(r, "contractServiceID", &id) != 0 || id != csid ||
        ats_item_date(r, "startDate", &ref.start) != 0 ||
        ats_item_date(r, "endDate", &ref.end) != 0)
      continue;
    ats_item_int(r, "units", &ref.units);
    ref.start = ats_day_floor(ref.start);
    ref.end = ats_day_floor(ref.end);
    if (ref.end >= effective)
      (*out)[(*n)++] = ref;
  }
  return 0;
}

static int check_units(const adjustment *a, const row_ref *rows, size_t n,
                       char *err, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (rows[i].units + a->delta < 0)
      return say(err, len,
                 "The adjustment would leave %lld units: units "
                 "cannot be negative.",
                 (long long)(rows[i].units + a->delta));
  if (n == 0 && a->delta < 0)
    return say(err, len,
               "The adjustment would leave %lld units: units "
               "cannot be negative.",
               (long long)a->delta);
  return 0;
}

/* Splits the covering row at the effective date; returns the new row's id
 * (0 when the change is in place) through *split_id. */
static int apply_rows(ats_db *db, const adjustment *a, row_ref *rows, size_t n,
                      int64_t *split_id) {
  *split_id = 0;
  for (size_t i = 0; i < n; i++) {
    row_ref *r = &rows[i];
    if (r->start >= a->effective) {
      if (ats_item_set_int(r->row, "units", r->units + a->delta) ||
          (a->has_price && ats_item_set_dec(r->row, "price", a->price)))
        return -1;
      continue;
    }
    /* The covering row: its first part keeps its units and price. */
    json_object *copy = NULL;
    if (json_object_deep_copy(r->row, &copy, NULL) != 0 ||
        ats_item_set_date(r->row, "endDate", a->effective - ATS_DAY_SECS) ||
        ats_item_set_date(copy, "startDate", a->effective) ||
        ats_item_set_int(copy, "units", r->units + a->delta) ||
        ats_item_set_null(copy, "approveAndPostDate") ||
        (a->has_price && ats_item_set_dec(copy, "price", a->price))) {
      json_object_put(copy);
      return -1;
    }
    if (ats_db_append(db, entity("ContractServiceUnits"), copy, split_id))
      return -1;
  }
  return 0;
}

static json_object *create_cs(ats_db *db, const adjustment *a) {
  json_object *svc = ats_db_find(db, entity("Services"), a->service_id);
  json_object *cs = json_object_new_object();
  double price = 0, cost = 0;
  ats_item_dec(svc, "unitPrice", &price);
  ats_item_dec(svc, "unitCost", &cost);
  if (!cs || ats_item_set_int(cs, "contractID", a->contract_id) ||
      ats_item_set_int(cs, "serviceID", a->service_id) ||
      ats_item_set_dec(cs, "unitPrice", price) ||
      ats_item_set_dec(cs, "unitCost", cost) ||
      ats_item_set_null(cs, "adjustedPrice") ||
      ats_item_set_str(cs, "invoiceDescription", ats_item_str(svc, "name")) ||
      ats_item_set_null(cs, "quoteItemID") ||
      ats_item_set_int(cs, "units", 0)) {
    json_object_put(cs);
    return NULL;
  }
  if (ats_db_append(db, entity("ContractServices"), cs, NULL) != 0)
    return NULL;
  return cs;
}

static int record(ats_db *db, const adjustment *a, int64_t csid, int created,
                  int64_t split_id, int64_t *item_id) {
  json_object *o = json_object_new_object();
  if (!o || ats_item_set_int(o, "contractID", a->contract_id) ||
      ats_item_set_int(o, "serviceID", a->service_id) ||
      ats_item_set_int(o, "contractServiceID", csid) ||
      ats_item_set_date(o, "effectiveDate", a->effective) ||
      ats_item_set_int(o, "unitChange", a->delta) ||
      (a->has_price ? ats_item_set_dec(o, "adjustedUnitPrice", a->price)
                    : ats_item_set_null(o, "adjustedUnitPrice")) ||
      ats_item_set_bool(o, "createdContractService", created) ||
      (split_id ? ats_item_set_int(o, "splitRowId", split_id)
                : ats_item_set_null(o, "splitRowId"))) {
    json_object_put(o);
    return -1;
  }
  return ats_db_append(db, entity("ContractServiceAdjustments"), o, item_id);
}

/* Another writer's adjustment of the same contract service right after
 * ours: never 0, and never one that undoes ours (the count ends neither at
 * the old value nor at the target). */
static int other_writer(ats_db *db, const adjustment *ours, int64_t csid) {
  adjustment a = *ours;
  row_ref *rows = NULL;
  size_t n = 0;
  int64_t split_id = 0, item = 0;
  a.delta = ours->delta == -1 ? 2 : 1;
  a.has_price = 0;
  int bad = affected_rows(db, csid, a.effective, &rows, &n) ||
            apply_rows(db, &a, rows, n, &split_id) ||
            record(db, &a, csid, 0, split_id, &item);
  free(rows);
  return bad ? -1 : 0;
}

int ats_adjust_apply(ats_db *db, json_object *body, int64_t path_contract_id,
                     const char *fault, int64_t *item_id, char *err,
                     size_t len) {
  adjustment a = {0}; /* parse() fills it; zeroed for gcc's -O2 analysis */
  json_object *cs;
  row_ref *rows = NULL;
  size_t n = 0;
  int64_t csid = 0, split_id = 0;
  int created = 0;
  if (parse(body, &a, err, len) ||
      check_contract(db, &a, path_contract_id, err, len) ||
      resolve_cs(db, &a, &cs, err, len))
    return -1;
  if (cs) {
    ats_item_int(cs, "id", &csid);
    if (affected_rows(db, csid, a.effective, &rows, &n) != 0)
      return say(err, len, "out of memory");
  }
  if (check_units(&a, rows, n, err, len) != 0) {
    free(rows);
    return -1;
  }
  if (!cs) {
    created = 1;
    cs = create_cs(db, &a);
    if (!cs || ats_item_int(cs, "id", &csid) ||
        ats_units_generate(db, cs, err, len) ||
        affected_rows(db, csid, a.effective, &rows, &n))
      return say(err, len, "out of memory");
  }
  /* adjust_ignored: accepted (an itemId) but the units stay as they were. */
  int ignored = fault && strcmp(fault, "adjust_ignored") == 0;
  int bad = (!ignored && apply_rows(db, &a, rows, n, &split_id)) ||
            record(db, &a, csid, created, split_id, item_id);
  free(rows);
  if (!bad && fault && strcmp(fault, "adjust_other_writer") == 0)
    bad = other_writer(db, &a, csid);
  return bad ? say(err, len, "out of memory") : 0;
}
