/* SPDX-License-Identifier: MIT */
/*
 * ops_harness.c — shared set-up and polling for the operations tests.
 */
#include "ops_harness.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DATA "tests/integration/ops/data/"

const char *const ops_child_env[] = {"LPSA_TEST_KEY=lpkey_demo",
                                     "LPSA_NOW=2026-11-25T12:00:00Z", NULL};

void ops_setup(ops_env *e, const char *tag, const char *lastpass_fixture,
               const char *psa_file) {
  memset(e, 0, sizeof *e);
  e->dir = test_tmpdir(tag);
  ck_assert_ptr_nonnull(e->dir);
  char rel[256];
  snprintf(rel, sizeof rel, DATA "%s", psa_file);
  ck_assert_int_eq(test_copy_source(rel, e->dir, "psa.json"), 0);
  ck_assert_int_eq(test_copy_source(DATA "mapping.csv", e->dir, "mapping.csv"),
                   0);
  snprintf(e->lp_fixture, sizeof e->lp_fixture, "%s/" DATA "%s",
           getenv("LPSA_SOURCE_DIR"), lastpass_fixture);
  char err[512];
  const char *args[] = {"--fixture",  e->lp_fixture, "--now",
                        "2026-11-25", "--quiet",     NULL};
  ck_assert_msg(simproc_start(&e->lp, "lastpass-sim", args, err, sizeof err) ==
                    0,
                "%s", err);
}

void ops_lastpass_restart(ops_env *e, const char *fixture, const char *today) {
  simproc_stop(&e->lp);
  if (fixture)
    snprintf(e->lp_fixture, sizeof e->lp_fixture, "%s", fixture);
  char *text = test_read_file(NULL, e->lp_fixture);
  ck_assert_ptr_nonnull(text);
  json_object *doc = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(doc);
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
  char name[64];
  snprintf(name, sizeof name, "lastpass-%s.json", today);
  ck_assert_int_eq(
      test_write_file(e->dir, name, json_object_to_json_string(doc)), 0);
  json_object_put(doc);
  char path[1024], err[512];
  snprintf(path, sizeof path, "%s/%s", e->dir, name);
  const char *args[] = {"--fixture", path, "--now", today, "--quiet", NULL};
  ck_assert_msg(simproc_start(&e->lp, "lastpass-sim", args, err, sizeof err) ==
                    0,
                "%s", err);
}

void ops_teardown(ops_env *e) {
  simproc_stop(&e->lp);
  test_rmtree(e->dir);
  free(e->dir);
  e->dir = NULL;
}

void ops_write_config(ops_env *e, const char *host_extra,
                      const char *driver_extra, const char *products) {
  char text[8192];
  snprintf(text, sizeof text,
           "; written by the ops tests\n"
           "[host]\n"
           "driver_path = %s\n"
           "state_dir = state\n"
           "mapping_file = mapping.csv\n"
           "%s\n"
           "[lastpass]\n"
           "api_url = %s/business\n"
           "api_key = env:LPSA_TEST_KEY\n"
           "[driver.jsonpsa]\n"
           "file = %s/psa.json\n"
           "%s\n%s\n",
           getenv("LPSA_DRIVER_DIR"), host_extra ? host_extra : "",
           e->lp.base_url, e->dir,
           products ? products
                    : "sku.lastpass = LP-BUS\nsku.lastpass_mfa = LP-MFA",
           driver_extra ? driver_extra : "");
  ck_assert_int_eq(test_write_file(e->dir, "lpsa.conf", text), 0);
}

char *ops_read(ops_env *e, const char *name) {
  return test_read_file(e->dir, name);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ops_wait_for_text(ops_env *e, const char *name, const char *needle,
                      long timeout_ms) {
  long long end = now_ms() + timeout_ms;
  do {
    char *text = ops_read(e, name);
    int found = text && strstr(text, needle);
    free(text);
    if (found)
      return 1;
    usleep(20000);
  } while (now_ms() < end);
  return 0;
}

int ops_count_text(ops_env *e, const char *name, const char *needle) {
  char *text = ops_read(e, name);
  int n = 0;
  for (const char *p = text; p && (p = strstr(p, needle)); p += strlen(needle))
    n++;
  free(text);
  return n;
}

static json_object *psa_doc(ops_env *e) {
  char *text = ops_read(e, "psa.json");
  json_object *doc = text ? json_tokener_parse(text) : NULL;
  free(text);
  return doc;
}

long long ops_psa_writes(ops_env *e) {
  json_object *doc = psa_doc(e), *w = NULL;
  long long n = doc && json_object_object_get_ex(doc, "writes", &w)
                    ? json_object_get_int64(w)
                    : 0;
  json_object_put(doc);
  return n;
}

long long ops_psa_quantity(ops_env *e, const char *line_id) {
  json_object *doc = psa_doc(e);
  ck_assert_ptr_nonnull(doc);
  json_object *lines = ops_get(doc, "lines");
  long long q = -1;
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(json_object_get_string(ops_get(l, "id")), line_id) == 0)
      q = json_object_get_int64(ops_get(l, "quantity"));
  }
  json_object_put(doc);
  return q;
}

int ops_wait_for_writes(ops_env *e, long long n, long timeout_ms) {
  long long end = now_ms() + timeout_ms;
  do {
    if (ops_psa_writes(e) >= n)
      return 1;
    usleep(20000);
  } while (now_ms() < end);
  return 0;
}

static void with_config(const char *const *args, const char **out) {
  size_t n = 0;
  out[n++] = "-c";
  out[n++] = "lpsa.conf";
  for (size_t i = 0; args && args[i] && n < 11; i++)
    out[n++] = args[i];
  out[n] = NULL;
}

void ops_run(ops_env *e, hostrun *r, const char *const *args) {
  const char *all[12];
  with_config(args, all);
  ck_assert_int_eq(hostrun_exec(e->dir, all, ops_child_env, r), 0);
}

pid_t ops_spawn(ops_env *e, const char *const *args) {
  const char *all[12];
  with_config(args, all);
  pid_t pid = hostrun_spawn(e->dir, all, ops_child_env);
  ck_assert_int_gt(pid, 0);
  return pid;
}

int ops_stop(pid_t pid) {
  int status;
  if (waitpid(pid, &status, WNOHANG) == 0)
    kill(pid, SIGTERM);
  else
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return hostrun_wait(pid);
}

json_object *ops_get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
  return v;
}
