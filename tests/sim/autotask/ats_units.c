/* SPDX-License-Identifier: MIT */
/*
 * ats_units.c — billing periods of a contract and the unit rows per period.
 */
#include "ats_units.h"

#include <stdio.h>
#include <stdlib.h>

#include "ats_date.h"
#include "ats_item.h"
#include "ats_picklist.h"

static const ats_entity *entity(const char *name) {
  return ats_schema_entity(name);
}

int ats_units_period_months(ats_db *db, json_object *cs) {
  int64_t sid, pt;
  json_object *svc = ats_item_int(cs, "serviceID", &sid) == 0
                         ? ats_db_find(db, entity("Services"), sid)
                         : NULL;
  if (!svc || ats_item_int(svc, "periodType", &pt) != 0)
    return 1;
  int months = ats_period_months(ats_picklist_label(
      ats_db_picklists(db), "Services", "periodType", (int)pt));
  return months > 0 ? months : 1;
}

int ats_units_period_at(json_object *contract, int months, int64_t t,
                        int64_t *start, int64_t *end) {
  int64_t s, e = INT64_MAX;
  if (ats_item_date(contract, "startDate", &s) != 0)
    return -1;
  s = ats_day_floor(s);
  if (ats_item_date(contract, "endDate", &e) == 0)
    e = ats_day_floor(e);
  t = ats_day_floor(t);
  if (t < s || t > e)
    return -1;
  /* Jump close by whole months, then step: the anchor is always the
   * contract start so the day clamps the same way every period. */
  int sy, sm, sd, ty, tm, td;
  ats_civil_from_days(s / ATS_DAY_SECS, &sy, &sm, &sd);
  ats_civil_from_days(t / ATS_DAY_SECS, &ty, &tm, &td);
  int k = ((ty - sy) * 12 + (tm - sm)) / months;
  if (k < 0)
    k = 0;
  while (k > 0 && ats_add_months(s, k * months) > t)
    k--;
  while (ats_add_months(s, (k + 1) * months) <= t)
    k++;
  *start = ats_add_months(s, k * months);
  *end = ats_add_months(s, (k + 1) * months) - ATS_DAY_SECS;
  if (*end > e)
    *end = e;
  return 0;
}

/* The units of the step function at day t: the last step starting on or
 * before t, else the earliest step. */
static int64_t units_at(json_object *cs, int64_t t) {
  json_object *u;
  if (!json_object_object_get_ex(cs, "units", &u))
    return 0;
  if (!json_object_is_type(u, json_type_array))
    return json_object_get_int64(u);
  int64_t v = 0, best = INT64_MIN, first = INT64_MAX, first_v = 0;
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(u); i++) {
    json_object *step = json_object_array_get_idx(u, i);
    int64_t from, n;
    if (ats_item_date(step, "from", &from) != 0 ||
        ats_item_int(step, "units", &n) != 0)
      continue;
    from = ats_day_floor(from);
    if (from < first) {
      first = from;
      first_v = n;
    }
    if (from <= t && from >= best) {
      best = from;
      v = n;
      found = 1;
    }
  }
  return found ? v : first_v;
}

typedef struct money {
  double price, cost;
} money;

static money prices_of(ats_db *db, json_object *cs) {
  money m = {0, 0};
  int64_t sid;
  json_object *svc = ats_item_int(cs, "serviceID", &sid) == 0
                         ? ats_db_find(db, entity("Services"), sid)
                         : NULL;
  if (ats_item_dec(cs, "adjustedPrice", &m.price) != 0 &&
      ats_item_dec(cs, "unitPrice", &m.price) != 0 && svc)
    ats_item_dec(svc, "unitPrice", &m.price);
  if (ats_item_dec(cs, "unitCost", &m.cost) != 0 && svc)
    ats_item_dec(svc, "unitCost", &m.cost);
  return m;
}

static int add_row(ats_db *db, json_object *cs, int64_t contract_id,
                   int64_t start, int64_t end, int64_t units, money m) {
  int64_t csid = 0, sid = 0;
  ats_item_int(cs, "id", &csid);
  ats_item_int(cs, "serviceID", &sid);
  json_object *row = json_object_new_object();
  if (!row)
    return -1;
  int bad = ats_item_set_int(row, "contractID", contract_id) ||
            ats_item_set_int(row, "contractServiceID", csid) ||
            ats_item_set_int(row, "serviceID", sid) ||
            ats_item_set_date(row, "startDate", start) ||
            ats_item_set_date(row, "endDate", end) ||
            ats_item_set_int(row, "units", units) ||
            ats_item_set_dec(row, "price", m.price) ||
            ats_item_set_dec(row, "cost", m.cost);
  /* Periods already over have been billed: Autotask stamps them. */
  bad = bad ||
        (end < ats_db_now(db)
             ? ats_item_set_date(row, "approveAndPostDate", end + ATS_DAY_SECS)
             : ats_item_set_null(row, "approveAndPostDate"));
  if (bad) {
    json_object_put(row);
    return -1;
  }
  return ats_db_append(db, entity("ContractServiceUnits"), row, NULL);
}

/* The earliest step date in (after, until], or 0 when none: a step
 * inside a period splits its row there, as an adjustment would have. */
static int64_t next_step(json_object *cs, int64_t after, int64_t until) {
  json_object *u;
  int64_t best = 0;
  if (!json_object_object_get_ex(cs, "units", &u) ||
      !json_object_is_type(u, json_type_array))
    return 0;
  for (size_t i = 0; i < json_object_array_length(u); i++) {
    int64_t from;
    if (ats_item_date(json_object_array_get_idx(u, i), "from", &from) != 0)
      continue;
    from = ats_day_floor(from);
    if (from > after && from <= until && (!best || from < best))
      best = from;
  }
  return best;
}

/* The rows of one period [ps, pe], split at the unit steps inside it. */
static int add_period(ats_db *db, json_object *cs, int64_t contract_id,
                      int64_t ps, int64_t pe, money m) {
  while (ps <= pe) {
    int64_t split = next_step(cs, ps, pe);
    int64_t end = split ? split - ATS_DAY_SECS : pe;
    if (add_row(db, cs, contract_id, ps, end, units_at(cs, ps), m) != 0)
      return -1;
    ps = end + ATS_DAY_SECS;
  }
  return 0;
}

int ats_units_generate(ats_db *db, json_object *cs, char *err, size_t len) {
  int64_t csid = 0, cid, s, e;
  ats_item_int(cs, "id", &csid);
  json_object *contract = ats_item_int(cs, "contractID", &cid) == 0
                              ? ats_db_find(db, entity("Contracts"), cid)
                              : NULL;
  if (!contract) {
    snprintf(err, len,
             "contract service %lld: its contract is not in the "
             "dataset",
             (long long)csid);
    return -1;
  }
  if (ats_item_date(contract, "startDate", &s) != 0) {
    snprintf(err, len, "contract %lld has services but no startDate",
             (long long)cid);
    return -1;
  }
  s = ats_day_floor(s);
  if (ats_item_date(contract, "endDate", &e) != 0)
    e = ats_add_months(s > ats_db_now(db) ? s : ats_db_now(db), 12);
  e = ats_day_floor(e);
  int months = ats_units_period_months(db, cs);
  money m = prices_of(db, cs);
  for (int k = 0; k < ATS_MAX_PERIODS; k++) {
    int64_t ps = ats_add_months(s, k * months);
    if (ps > e)
      break;
    int64_t pe = ats_add_months(s, (k + 1) * months) - ATS_DAY_SECS;
    if (add_period(db, cs, cid, ps, pe > e ? e : pe, m) != 0) {
      snprintf(err, len, "out of memory");
      return -1;
    }
  }
  return 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The sorted contractServiceIDs that already have rows (NULL when none). */
static int64_t *services_with_rows(ats_db *db, size_t *n) {
  json_object *rows = ats_db_items(db, entity("ContractServiceUnits"));
  size_t len = json_object_array_length(rows);
  *n = 0;
  int64_t *ids = malloc((len ? len : 1) * sizeof *ids);
  if (!ids)
    return NULL;
  for (size_t j = 0; j < len; j++)
    if (ats_item_int(json_object_array_get_idx(rows, j), "contractServiceID",
                     &ids[*n]) == 0)
      (*n)++;
  qsort(ids, *n, sizeof *ids, cmp_i64);
  return ids;
}

int ats_units_fill(ats_db *db, char *err, size_t len) {
  json_object *services = ats_db_items(db, entity("ContractServices"));
  size_t n_ids;
  int64_t *ids = services_with_rows(db, &n_ids);
  if (!ids) {
    snprintf(err, len, "out of memory");
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < json_object_array_length(services); i++) {
    json_object *cs = json_object_array_get_idx(services, i);
    int64_t csid = 0;
    ats_item_int(cs, "id", &csid);
    if (!bsearch(&csid, ids, n_ids, sizeof *ids, cmp_i64))
      rc = ats_units_generate(db, cs, err, len);
  }
  free(ids);
  return rc;
}
