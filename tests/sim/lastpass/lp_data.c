/* SPDX-License-Identifier: MIT */
/*
 * lp_data.c — loading, dumping and generating the LastPass simulator's
 * dataset (see lp_data.h).
 */
#include "lp_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp_dates.h"
#include "sim_world.h"

void lp_data_free(lp_data *d) {
  for (size_t i = 0; i < d->n; i++)
    free(d->companies[i].name);
  free(d->companies);
  memset(d, 0, sizeof *d);
}

const char *lp_status_name(const lp_company *c) {
  return c->suspended ? "suspended" : "active";
}

const char *lp_type_name(const lp_company *c) {
  return c->managed_msp ? "managed-msp" : "managed";
}

const char *lp_license_type(const lp_company *c) {
  return c->managed_msp ? "managed-msp" : "msp-managed-company";
}

static int cmp_id(const void *a, const void *b) {
  const lp_company *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

const lp_company *lp_data_find(const lp_data *d, long id) {
  lp_company key;
  key.id = id;
  return bsearch(&key, d->companies, d->n, sizeof key, cmp_id);
}

/* ---- parsing ----------------------------------------------------------------
 */

static int fail(char *err, size_t cap, size_t i, const char *what) {
  snprintf(err, cap, "companies[%zu]: %s", i, what);
  return -1;
}

/* An optional integer member: 1 present, 0 absent or null, -1 wrong type. */
static int opt_long(json_object *o, const char *key, long *out) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return 0;
  if (!json_object_is_type(v, json_type_int))
    return -1;
  *out = (long)json_object_get_int64(v);
  return 1;
}

static int parse_addons(json_object *o, unsigned *out) {
  json_object *v;
  *out = 0;
  if (!json_object_object_get_ex(o, "addons", &v) || !v)
    return 0;
  if (!json_object_is_type(v, json_type_array))
    return -1;
  for (size_t i = 0; i < json_object_array_length(v); i++) {
    const char *a = json_object_get_string(json_object_array_get_idx(v, i));
    if (a && strcmp(a, "mfa") == 0)
      *out |= LP_ADDON_MFA;
    else if (a && strcmp(a, "sso") == 0)
      *out |= LP_ADDON_SSO;
    else
      return -1;
  }
  return 0;
}

/* A string member that must be one of two values; 0 = first, 1 = second. */
static int two_way(json_object *o, const char *key, const char *a,
                   const char *b, int *out) {
  json_object *v;
  *out = 0;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return 0;
  const char *s =
      json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
  if (strcmp(s, a) == 0)
    return 0;
  if (strcmp(s, b) == 0) {
    *out = 1;
    return 0;
  }
  return -1;
}

static int parse_company(json_object *o, lp_company *c, size_t i, char *err,
                         size_t cap) {
  json_object *v;
  memset(c, 0, sizeof *c);
  c->license_limit = -1;
  if (!json_object_is_type(o, json_type_object))
    return fail(err, cap, i, "must be an object");
  if (opt_long(o, "id", &c->id) != 1 || c->id <= 0)
    return fail(err, cap, i, "\"id\" must be a positive integer");
  if (!json_object_object_get_ex(o, "name", &v) ||
      !json_object_is_type(v, json_type_string))
    return fail(err, cap, i, "\"name\" must be a string");
  if (two_way(o, "status", "active", "suspended", &c->suspended))
    return fail(err, cap, i, "\"status\" must be \"active\" or \"suspended\"");
  if (two_way(o, "type", "managed", "managed-msp", &c->managed_msp))
    return fail(err, cap, i, "\"type\" must be \"managed\" or \"managed-msp\"");
  if (opt_long(o, "licenseLimit", &c->license_limit) < 0 ||
      c->license_limit < -1)
    return fail(err, cap, i,
                "\"licenseLimit\" must be an integer >= 0 or null");
  if (parse_addons(o, &c->addons) != 0)
    return fail(err, cap, i, "\"addons\" must be an array of \"mfa\"/\"sso\"");
  if (opt_long(o, "activeUsers", &c->active_users) < 0 || c->active_users < 0)
    return fail(err, cap, i, "\"activeUsers\" must be an integer >= 0");
  if (opt_long(o, "parentId", &c->parent_id) < 0 || c->parent_id < 0)
    return fail(err, cap, i, "\"parentId\" must be a positive integer or null");
  c->name = strdup(json_object_get_string(v));
  if (!c->name)
    return fail(err, cap, i, "out of memory");
  return 0;
}

static int parse_cycle(json_object *json, lp_data *d, char *err, size_t cap) {
  json_object *cyc, *s, *e;
  if (!json_object_object_get_ex(json, "billingCycle", &cyc) || !cyc)
    return 0;
  if (!json_object_object_get_ex(cyc, "startDate", &s) ||
      !json_object_object_get_ex(cyc, "endDate", &e) ||
      !lp_date_valid(json_object_get_string(s)) ||
      !lp_date_valid(json_object_get_string(e)) ||
      strcmp(json_object_get_string(s), json_object_get_string(e)) > 0) {
    snprintf(err, cap,
             "billingCycle needs startDate <= endDate, both "
             "YYYY-MM-DD");
    return -1;
  }
  d->has_cycle = 1;
  snprintf(d->cycle_start, sizeof d->cycle_start, "%s",
           json_object_get_string(s));
  snprintf(d->cycle_end, sizeof d->cycle_end, "%s", json_object_get_string(e));
  return 0;
}

int lp_data_from_json(json_object *json, lp_data *out, char *err, size_t cap) {
  json_object *arr;
  lp_data d;
  memset(&d, 0, sizeof d);
  if (!json_object_is_type(json, json_type_object) ||
      !json_object_object_get_ex(json, "companies", &arr) ||
      !json_object_is_type(arr, json_type_array)) {
    snprintf(err, cap,
             "the dataset must be an object with a \"companies\" array");
    return -1;
  }
  size_t n = json_object_array_length(arr);
  d.companies = calloc(n ? n : 1, sizeof(lp_company));
  if (!d.companies) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  for (; d.n < n; d.n++)
    if (parse_company(json_object_array_get_idx(arr, d.n), &d.companies[d.n],
                      d.n, err, cap) != 0) {
      lp_data_free(&d);
      return -1;
    }
  qsort(d.companies, d.n, sizeof(lp_company), cmp_id);
  for (size_t i = 1; i < d.n; i++)
    if (d.companies[i].id == d.companies[i - 1].id) {
      snprintf(err, cap, "two companies have the id %ld", d.companies[i].id);
      lp_data_free(&d);
      return -1;
    }
  if (parse_cycle(json, &d, err, cap) != 0) {
    lp_data_free(&d);
    return -1;
  }
  *out = d;
  return 0;
}

/* ---- dumping
 * ------------------------------------------------------------------ */

static json_object *addons_json(unsigned addons) {
  json_object *a = json_object_new_array();
  if (a && (addons & LP_ADDON_MFA))
    json_object_array_add(a, json_object_new_string("mfa"));
  if (a && (addons & LP_ADDON_SSO))
    json_object_array_add(a, json_object_new_string("sso"));
  return a;
}

json_object *lp_company_item(const lp_company *c) {
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  json_object_object_add(o, "id", json_object_new_int64(c->id));
  json_object_object_add(o, "name", json_object_new_string(c->name));
  json_object_object_add(o, "status",
                         json_object_new_string(lp_status_name(c)));
  json_object_object_add(o, "type", json_object_new_string(lp_type_name(c)));
  json_object_object_add(
      o, "licenseLimit",
      c->license_limit >= 0 ? json_object_new_int64(c->license_limit) : NULL);
  json_object_object_add(o, "addons", addons_json(c->addons));
  return o;
}

json_object *lp_data_to_json(const lp_data *d) {
  json_object *o = json_object_new_object();
  json_object *arr = json_object_new_array();
  if (!o || !arr) {
    json_object_put(o);
    json_object_put(arr);
    return NULL;
  }
  for (size_t i = 0; i < d->n; i++) {
    const lp_company *c = &d->companies[i];
    json_object *item = lp_company_item(c);
    if (!item)
      continue;
    json_object_object_add(item, "activeUsers",
                           json_object_new_int64(c->active_users));
    json_object_object_add(item, "parentId",
                           c->parent_id ? json_object_new_int64(c->parent_id)
                                        : NULL);
    json_object_array_add(arr, item);
  }
  json_object_object_add(o, "companies", arr);
  if (d->has_cycle) {
    json_object *cyc = json_object_new_object();
    json_object_object_add(cyc, "startDate",
                           json_object_new_string(d->cycle_start));
    json_object_object_add(cyc, "endDate",
                           json_object_new_string(d->cycle_end));
    json_object_object_add(o, "billingCycle", cyc);
  }
  return o;
}

/* ---- generating
 * ---------------------------------------------------------------- */

int lp_data_generate(lp_data *out, int n, unsigned seed, int change_pct) {
  memset(out, 0, sizeof *out);
  out->companies = calloc(n > 0 ? (size_t)n : 1, sizeof(lp_company));
  if (!out->companies)
    return -1;
  for (int i = 0; i < n; i++) {
    sim_world_company w;
    lp_company *c = &out->companies[i];
    sim_world_company_at(seed, change_pct, i, &w);
    c->id = w.lastpass_id;
    c->name = strdup(w.name);
    if (!c->name) {
      lp_data_free(out);
      return -1;
    }
    out->n++;
    c->suspended = w.suspended;
    c->addons = w.mfa ? LP_ADDON_MFA : 0;
    c->active_users = w.seats;
    /* the warning threshold an admin would set: a little above the seats */
    c->license_limit = ((w.seats + 9) / 10) * 10 + 5;
  }
  return 0;
}
