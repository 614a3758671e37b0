/* SPDX-License-Identifier: MIT */
/*
 * dataset.c — the collections of the simulated database: loading a fixture
 * (each record through records.c), cross-record checks, the index of
 * additions by agreement, lookups and the dump (format in dataset.h).
 */
#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nameset.h"
#include "records.h"

static long rec_id(json_object *rec) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, "id", &v);
  return (long)json_object_get_int64(v);
}

static const char *rec_str(json_object *rec, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, key, &v);
  return v ? json_object_get_string(v) : NULL;
}

long cw_dataset_index(json_object *records, long id) {
  size_t lo = 0, hi = records ? json_object_array_length(records) : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    long rid = rec_id(json_object_array_get_idx(records, mid));
    if (rid == id)
      return (long)mid;
    if (rid < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

json_object *cw_dataset_find(json_object *records, long id) {
  long i = cw_dataset_index(records, id);
  return i < 0 ? NULL : json_object_array_get_idx(records, (size_t)i);
}

static int by_id(const void *a, const void *b) {
  long x = rec_id(*(json_object *const *)a);
  long y = rec_id(*(json_object *const *)b);
  return x < y ? -1 : x > y;
}

/* Normalises fixture[key] into a new sorted array *out. 0, -1, -2. */
static int load_list(json_object *fixture, const char *key, cw_record_kind kind,
                     const cw_dataset *d, json_object **out, char *err,
                     size_t errlen) {
  json_object *list = NULL;
  *out = json_object_new_array();
  if (!*out)
    return -2;
  if (json_object_object_get_ex(fixture, key, &list) && list &&
      !json_object_is_type(list, json_type_array)) {
    snprintf(err, errlen, "fixture: %s must be an array", key);
    return -1;
  }
  cw_nameset seen = {0};
  size_t n = list ? json_object_array_length(list) : 0;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    char where[64];
    json_object *rec = NULL;
    snprintf(where, sizeof(where), "fixture: %s[%zu]", key, i);
    rc = cw_record_normalize(kind, d, json_object_array_get_idx(list, i), &seen,
                             where, &rec, err, errlen);
    if (rc == 0 && json_object_array_add(*out, rec)) {
      json_object_put(rec);
      rc = -2;
    }
  }
  cw_nameset_free(&seen);
  if (rc)
    return rc;
  json_object_array_sort(*out, by_id);
  for (size_t i = 1; i < n; i++) {
    long id = rec_id(json_object_array_get_idx(*out, i));
    if (rec_id(json_object_array_get_idx(*out, i - 1)) == id) {
      snprintf(err, errlen, "fixture: %s: id %ld appears twice", key, id);
      return -1;
    }
  }
  return 0;
}

/* fixture.statuses, or the default ones when absent. */
static int load_statuses(json_object *fixture, cw_dataset *d, char *err,
                         size_t errlen) {
  json_object *given = NULL;
  if (json_object_object_get_ex(fixture, "statuses", &given) && given)
    return load_list(fixture, "statuses", CW_REC_STATUS, d, &d->statuses, err,
                     errlen);
  json_object *dflt =
      json_tokener_parse("{\"statuses\":" CW_DEFAULT_STATUSES "}");
  if (!dflt)
    return -2;
  int rc =
      load_list(dflt, "statuses", CW_REC_STATUS, d, &d->statuses, err, errlen);
  json_object_put(dflt);
  return rc;
}

/* Fills parentAgreement/name and refuses unknown or self parents. */
static int link_parents(cw_dataset *d, char *err, size_t errlen) {
  for (size_t i = 0; i < json_object_array_length(d->agreements); i++) {
    json_object *a = json_object_array_get_idx(d->agreements, i), *p = NULL;
    if (!json_object_object_get_ex(a, "parentAgreement", &p) || !p)
      continue;
    json_object *parent = cw_dataset_find(d->agreements, rec_id(p));
    if (!parent || parent == a) {
      snprintf(err, errlen,
               "fixture: agreement %ld: parentAgreement %ld is not another "
               "agreement",
               rec_id(a), rec_id(p));
      return -1;
    }
    if (json_object_object_add(p, "name",
                               json_object_new_string(rec_str(parent, "name"))))
      return -2;
  }
  return 0;
}

static int denied_valid(json_object *denied, char *err, size_t errlen) {
  if (!json_object_is_type(denied, json_type_array)) {
    snprintf(err, errlen, "fixture: denied must be an array of strings");
    return -1;
  }
  for (size_t i = 0; i < json_object_array_length(denied); i++)
    if (!json_object_is_type(json_object_array_get_idx(denied, i),
                             json_type_string)) {
      snprintf(err, errlen,
               "fixture: denied[%zu] must be a string such as "
               "\"finance/agreements\"",
               i);
      return -1;
    }
  return 0;
}

/* Copies fixture[key] (an array) or makes an empty one. */
static int copy_array(json_object *fixture, const char *key,
                      json_object **out) {
  json_object *v = NULL;
  *out = NULL;
  if (json_object_object_get_ex(fixture, key, &v) && v)
    return json_object_deep_copy(v, out, NULL) ? -2 : 0;
  return (*out = json_object_new_array()) ? 0 : -2;
}

static long addition_agreement(const cw_dataset *d, size_t i) {
  json_object *v = NULL;
  json_object_object_get_ex(json_object_array_get_idx(d->additions, i),
                            "agreementId", &v);
  return (long)json_object_get_int64(v);
}

typedef struct agr_key {
  long agreement;
  size_t index;
} agr_key;

static int by_agreement_key(const void *a, const void *b) {
  const agr_key *x = a, *y = b;
  if (x->agreement != y->agreement)
    return x->agreement < y->agreement ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Builds by_agreement, so that listing one agreement's additions is a binary
 * search rather than a scan of every addition (datasets reach 10^4 and more).
 */
static int index_additions(cw_dataset *d) {
  size_t n = json_object_array_length(d->additions);
  agr_key *keys = malloc((n ? n : 1) * sizeof(*keys));
  d->by_agreement = malloc((n ? n : 1) * sizeof(size_t));
  if (!keys || !d->by_agreement) {
    free(keys);
    return -2;
  }
  for (size_t i = 0; i < n; i++)
    keys[i] = (agr_key){addition_agreement(d, i), i};
  qsort(keys, n, sizeof(*keys), by_agreement_key);
  for (size_t i = 0; i < n; i++)
    d->by_agreement[i] = keys[i].index;
  free(keys);
  return 0;
}

void cw_dataset_additions_of(const cw_dataset *d, long agreement_id,
                             size_t *first, size_t *count) {
  size_t n = json_object_array_length(d->additions), lo = 0, hi = n;
  while (lo < hi) { /* the first entry with agreementId >= agreement_id */
    size_t mid = lo + (hi - lo) / 2;
    if (addition_agreement(d, d->by_agreement[mid]) < agreement_id)
      lo = mid + 1;
    else
      hi = mid;
  }
  *first = lo;
  size_t end = lo;
  while (end < n && addition_agreement(d, d->by_agreement[end]) == agreement_id)
    end++;
  *count = end - lo;
}

void cw_dataset_free(cw_dataset *d) {
  json_object_put(d->companies);
  json_object_put(d->agreements);
  json_object_put(d->additions);
  json_object_put(d->catalog);
  json_object_put(d->statuses);
  json_object_put(d->denied);
  json_object_put(d->changes);
  free(d->by_agreement);
  memset(d, 0, sizeof(*d));
}

int cw_dataset_load(cw_dataset *d, json_object *fixture, char *err,
                    size_t errlen) {
  int rc;
  if (!json_object_is_type(fixture, json_type_object)) {
    snprintf(err, errlen,
             "fixture: the top level must be a JSON object with "
             "companies, agreements, additions and catalog");
    return -1;
  }
  if ((rc = load_list(fixture, "catalog", CW_REC_CATALOG, d, &d->catalog, err,
                      errlen)) ||
      (rc = load_statuses(fixture, d, err, errlen)) ||
      (rc = load_list(fixture, "companies", CW_REC_COMPANY, d, &d->companies,
                      err, errlen)) ||
      (rc = load_list(fixture, "agreements", CW_REC_AGREEMENT, d,
                      &d->agreements, err, errlen)) ||
      (rc = link_parents(d, err, errlen)) ||
      (rc = load_list(fixture, "additions", CW_REC_ADDITION, d, &d->additions,
                      err, errlen)) ||
      (rc = copy_array(fixture, "denied", &d->denied)) ||
      (rc = denied_valid(d->denied, err, errlen)) ||
      (rc = copy_array(fixture, "changes", &d->changes)) ||
      (rc = index_additions(d))) {
    if (rc == -2)
      snprintf(err, errlen, "fixture: out of memory");
    cw_dataset_free(d);
    return rc;
  }
  return 0;
}

json_object *cw_dataset_dump(const cw_dataset *d) {
  json_object *o = json_object_new_object();
  const struct {
    const char *key;
    json_object *v;
  } parts[] = {{"companies", d->companies}, {"agreements", d->agreements},
               {"additions", d->additions}, {"catalog", d->catalog},
               {"statuses", d->statuses},   {"denied", d->denied},
               {"changes", d->changes}};
  for (size_t i = 0; o && i < sizeof(parts) / sizeof(parts[0]); i++) {
    json_object *copy = NULL;
    if ((parts[i].v && json_object_deep_copy(parts[i].v, &copy, NULL)) ||
        json_object_object_add(o, parts[i].key,
                               copy ? copy : json_object_new_array())) {
      json_object_put(copy);
      json_object_put(o);
      return NULL;
    }
  }
  return o;
}
