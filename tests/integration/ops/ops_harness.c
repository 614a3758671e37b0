/* SPDX-License-Identifier: MIT */
/*
 * ops_harness.c — the operations tests' data set and views over the shared
 * world (see ops_harness.h).
 */
#include "ops_harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "tests/integration/ops/data/"

const char *const ops_child_env[] = {"LPSA_TEST_KEY=" WORLD_LASTPASS_KEY,
                                     "LPSA_NOW=" WORLD_NOW, NULL};

void ops_setup(ops_env *e, const char *tag, const char *lastpass_fixture,
               const char *psa_file) {
  char rel[256];
  world_begin(e, tag);
  snprintf(rel, sizeof rel, DATA "%s", psa_file);
  world_copy(e, rel, "psa.json");
  world_copy(e, DATA "mapping.csv", "mapping.csv");
  snprintf(rel, sizeof rel, DATA "%s", lastpass_fixture);
  world_lastpass(e, rel, "2026-11-25", (const char *const[]){"--quiet", NULL});
}

void ops_lastpass_restart(ops_env *e, const char *fixture, const char *today) {
  char *text = test_read_file(NULL, fixture ? fixture : e->lp_fixture);
  ck_assert_ptr_nonnull(text);
  json_object *doc = tj_parse(text, "the LastPass fixture");
  free(text);
  int y, m;
  ck_assert_int_eq(sscanf(today, "%4d-%2d", &y, &m), 2);
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 || !(y % 400)));
  char start[16], end[16];
  snprintf(start, sizeof start, "%04d-%02d-01", y, m);
  snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, last);
  json_object *cycle = json_object_new_object();
  json_object_object_add(cycle, "startDate", json_object_new_string(start));
  json_object_object_add(cycle, "endDate", json_object_new_string(end));
  json_object_object_add(doc, "billingCycle", cycle);
  char name[64], path[4200];
  snprintf(name, sizeof name, "lastpass-%s.json", today);
  world_write(e, name, json_object_to_json_string(doc));
  json_object_put(doc);
  world_path(e, name, path, sizeof path);
  world_lastpass(e, path, today, (const char *const[]){"--quiet", NULL});
}

void ops_teardown(ops_env *e) {
  world_end(e);
}

void ops_write_config(ops_env *e, const char *host_extra,
                      const char *driver_extra, const char *products) {
  char sections[8192];
  snprintf(sections, sizeof sections,
           "[driver.jsonpsa]\nfile = %s/psa.json\n%s\n%s\n", e->dir,
           products ? products
                    : "sku.lastpass = LP-BUS\nsku.lastpass_mfa = LP-MFA",
           driver_extra ? driver_extra : "");
  /* host_extra and a line break: the lines' numbers are the tests'. */
  char host[4096];
  snprintf(host, sizeof host, "%s\n", host_extra ? host_extra : "");
  world_config(e, host, sections);
}

char *ops_read(ops_env *e, const char *name) {
  return world_read(e, name);
}

int ops_wait_for_text(ops_env *e, const char *name, const char *needle,
                      long timeout_ms) {
  return test_wait_file_text(e->dir, name, needle, 1, timeout_ms);
}

int ops_count_text(ops_env *e, const char *name, const char *needle) {
  return world_count(e, name, needle);
}

long long ops_psa_writes(ops_env *e) {
  /* Read while a run writes: jsonpsa replaces the file atomically. */
  return world_psa_writes(e);
}

long long ops_psa_quantity(ops_env *e, const char *line_id) {
  return world_psa_quantity(e, line_id);
}

typedef struct writes_reached {
  ops_env *e;
  long long n;
} writes_reached;

static int reached(void *arg) {
  writes_reached *r = arg;
  return ops_psa_writes(r->e) >= r->n;
}

int ops_wait_for_writes(ops_env *e, long long n, long timeout_ms) {
  writes_reached r = {e, n};
  return test_wait_until(reached, &r, timeout_ms);
}

void ops_run(ops_env *e, hostrun *r, const char *const *args) {
  world_run(e, args, r);
}

pid_t ops_spawn(ops_env *e, const char *const *args) {
  return world_spawn(e, NULL, args);
}

int ops_stop(pid_t pid) {
  return hostrun_stop(pid);
}
