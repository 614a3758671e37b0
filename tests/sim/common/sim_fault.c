/* SPDX-License-Identifier: MIT */
/*
 * sim_fault.c — parsing, validating and matching fault injection rules
 * (the rule language is documented in sim_fault.h). Not thread-safe: the
 * server calls it under its mutex.
 */
#include "sim_fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule {
  json_object *json; /* the rule as given (our reference) */
  char name[64];
  char method[16];
  char path_prefix[512];
  char query_contains[256];
  long after;
  long times;
  long seen;
  long fired;
  sim_fault_kind kind;
  char action[64];
  long delay_ms;
  long chunk_bytes;
  long size_mb;
} rule;

struct sim_faults {
  rule *rules;
  size_t n;
};

sim_faults *sim_faults_new(void) {
  return calloc(1, sizeof(sim_faults));
}

static void free_rules(rule *rules, size_t n) {
  for (size_t i = 0; i < n; i++)
    json_object_put(rules[i].json);
  free(rules);
}

void sim_faults_clear(sim_faults *f) {
  if (!f)
    return;
  free_rules(f->rules, f->n);
  f->rules = NULL;
  f->n = 0;
}

void sim_faults_free(sim_faults *f) {
  sim_faults_clear(f);
  free(f);
}

static sim_fault_kind kind_of(const char *action) {
  static const struct {
    const char *name;
    sim_fault_kind kind;
  } kinds[] = {{"delay", SIM_FAULT_DELAY},
               {"reset", SIM_FAULT_RESET},
               {"hang", SIM_FAULT_HANG},
               {"truncate", SIM_FAULT_TRUNCATE},
               {"cut", SIM_FAULT_CUT},
               {"malformed", SIM_FAULT_MALFORMED},
               {"slow_body", SIM_FAULT_SLOW_BODY},
               {"oversize", SIM_FAULT_OVERSIZE}};
  if (!action || !*action)
    return SIM_FAULT_ANSWER;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].name, action) == 0)
      return kinds[i].kind;
  return SIM_FAULT_APP;
}

/* Copy an optional string member; -1 when present but not a string or too
 * long. */
static int get_str(json_object *o, const char *key, char *dst, size_t cap,
                   char *err, size_t errcap, size_t idx) {
  json_object *v;
  dst[0] = '\0';
  if (!json_object_object_get_ex(o, key, &v) ||
      json_object_is_type(v, json_type_null))
    return 0;
  if (!json_object_is_type(v, json_type_string) ||
      (size_t)json_object_get_string_len(v) >= cap) {
    snprintf(err, errcap,
             "fault rule %zu: \"%s\" must be a string shorter than %zu", idx,
             key, cap);
    return -1;
  }
  memcpy(dst, json_object_get_string(v),
         (size_t)json_object_get_string_len(v) + 1);
  return 0;
}

/* An optional non-negative integer member (default `def`). */
static int get_long(json_object *o, const char *key, long def, long *dst,
                    char *err, size_t errcap, size_t idx) {
  json_object *v;
  *dst = def;
  if (!json_object_object_get_ex(o, key, &v) ||
      json_object_is_type(v, json_type_null))
    return 0;
  if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) {
    snprintf(err, errcap,
             "fault rule %zu: \"%s\" must be a non-negative integer", idx, key);
    return -1;
  }
  *dst = (long)json_object_get_int64(v);
  return 0;
}

static int check_answer_members(json_object *o, char *err, size_t cap,
                                size_t idx) {
  json_object *v;
  if (json_object_object_get_ex(o, "headers", &v) &&
      !json_object_is_type(v, json_type_null)) {
    if (!json_object_is_type(v, json_type_object)) {
      snprintf(err, cap, "fault rule %zu: \"headers\" must be an object", idx);
      return -1;
    }
    json_object_object_foreach(v, hk, hv) {
      (void)hk;
      if (!json_object_is_type(hv, json_type_string)) {
        snprintf(err, cap, "fault rule %zu: header values must be strings",
                 idx);
        return -1;
      }
    }
  }
  if (json_object_object_get_ex(o, "body", &v) &&
      !json_object_is_type(v, json_type_null) &&
      !json_object_is_type(v, json_type_string)) {
    snprintf(err, cap, "fault rule %zu: \"body\" must be a string", idx);
    return -1;
  }
  return 0;
}

static int parse_rule(json_object *o, rule *r, char *err, size_t cap,
                      size_t idx) {
  long status;
  memset(r, 0, sizeof *r);
  if (!json_object_is_type(o, json_type_object)) {
    snprintf(err, cap, "fault rule %zu: must be a JSON object", idx);
    return -1;
  }
  if (get_str(o, "name", r->name, sizeof r->name, err, cap, idx) ||
      get_str(o, "method", r->method, sizeof r->method, err, cap, idx) ||
      get_str(o, "path_prefix", r->path_prefix, sizeof r->path_prefix, err, cap,
              idx) ||
      get_str(o, "query_contains", r->query_contains, sizeof r->query_contains,
              err, cap, idx) ||
      get_str(o, "action", r->action, sizeof r->action, err, cap, idx) ||
      get_long(o, "after", 0, &r->after, err, cap, idx) ||
      get_long(o, "times", 0, &r->times, err, cap, idx) ||
      get_long(o, "status", 500, &status, err, cap, idx) ||
      check_answer_members(o, err, cap, idx))
    return -1;
  r->kind = kind_of(r->action);
  if (status < 100 || status > 599) {
    snprintf(err, cap, "fault rule %zu: \"status\" must be 100..599", idx);
    return -1;
  }
  if (get_long(o, "delay_ms",
               r->kind == SIM_FAULT_HANG        ? 30000
               : r->kind == SIM_FAULT_SLOW_BODY ? 100
                                                : 0,
               &r->delay_ms, err, cap, idx) ||
      get_long(o, "chunk_bytes", 16, &r->chunk_bytes, err, cap, idx) ||
      get_long(o, "size_mb", 80, &r->size_mb, err, cap, idx))
    return -1;
  if (r->chunk_bytes < 1)
    r->chunk_bytes = 1;
  if (!r->name[0])
    snprintf(r->name, sizeof r->name, "rule%zu", idx);
  r->json = json_object_get(o);
  return 0;
}

int sim_faults_set(sim_faults *f, json_object *rules, char *err, size_t cap) {
  size_t n;
  int single = json_object_is_type(rules, json_type_object);
  if (!single && !json_object_is_type(rules, json_type_array)) {
    snprintf(err, cap, "fault rules must be a JSON array of objects");
    return -1;
  }
  n = single ? 1 : json_object_array_length(rules);
  rule *fresh = n ? calloc(n, sizeof(rule)) : NULL;
  if (n && !fresh) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    json_object *o = single ? rules : json_object_array_get_idx(rules, i);
    if (parse_rule(o, &fresh[i], err, cap, i) != 0) {
      free_rules(fresh, i);
      return -1;
    }
  }
  sim_faults_clear(f);
  f->rules = fresh;
  f->n = n;
  return 0;
}

int sim_faults_load_file(sim_faults *f, const char *path, char *err,
                         size_t cap) {
  json_object *rules = json_object_from_file(path);
  if (!rules) {
    snprintf(err, cap, "cannot read fault rules from %s: %s", path,
             json_util_get_last_err() ? json_util_get_last_err() : "bad JSON");
    return -1;
  }
  int rc = sim_faults_set(f, rules, err, cap);
  json_object_put(rules);
  return rc;
}

static int matches(const rule *r, const char *method, const char *path,
                   const char *query) {
  if (r->method[0] && strcasecmp(r->method, method) != 0)
    return 0;
  if (r->path_prefix[0] &&
      strncmp(path, r->path_prefix, strlen(r->path_prefix)) != 0)
    return 0;
  if (r->query_contains[0] && !strstr(query ? query : "", r->query_contains))
    return 0;
  return 1;
}

static void fill_hit(const rule *r, sim_fault_hit *hit) {
  hit->kind = r->kind;
  snprintf(hit->name, sizeof hit->name, "%s", r->name);
  snprintf(hit->action, sizeof hit->action, "%s", r->action);
  hit->delay_ms = r->delay_ms;
  hit->chunk_bytes = r->chunk_bytes;
  hit->size_mb = r->size_mb;
  hit->rule = json_object_get(r->json);
}

int sim_faults_match(sim_faults *f, const char *method, const char *path,
                     const char *query, sim_fault_hit *hit) {
  memset(hit, 0, sizeof *hit);
  for (size_t i = 0; i < f->n; i++) {
    rule *r = &f->rules[i];
    if (!matches(r, method, path, query))
      continue;
    r->seen++;
    if (r->seen <= r->after || (r->times > 0 && r->fired >= r->times))
      continue;
    r->fired++;
    fill_hit(r, hit);
    return 1;
  }
  return 0;
}

void sim_fault_hit_release(sim_fault_hit *hit) {
  json_object_put(hit->rule);
  hit->rule = NULL;
}

json_object *sim_faults_to_json(const sim_faults *f) {
  json_object *arr = json_object_new_array();
  if (!arr)
    return NULL;
  for (size_t i = 0; i < f->n; i++) {
    json_object *copy = NULL;
    if (json_object_deep_copy(f->rules[i].json, &copy, NULL) != 0)
      continue;
    json_object_object_add(copy, "seen",
                           json_object_new_int64(f->rules[i].seen));
    json_object_object_add(copy, "fired",
                           json_object_new_int64(f->rules[i].fired));
    json_object_array_add(arr, copy);
  }
  return arr;
}
