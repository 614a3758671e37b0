/* SPDX-License-Identifier: MIT */
/*
 * plans_world.c — set-up and lookups for the plan tests.
 */
#include "plans_world.h"

#include <check.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA "tests/integration/core/data/"

void pw_setup(pw *w, const char *tag) {
  memset(w, 0, sizeof *w);
  w->dir = test_tmpdir(tag);
  ck_assert_ptr_nonnull(w->dir);
  ck_assert_int_eq(test_copy_source(DATA "plans_psa.json", w->dir, "psa.json"),
                   0);
  ck_assert_int_eq(
      test_copy_source(DATA "plans_mapping.csv", w->dir, "mapping.csv"), 0);
  char fixture[1024], err[512];
  snprintf(fixture, sizeof fixture, "%s/" DATA "plans_lastpass.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *args[] = {"--fixture",  fixture,   "--now",
                        "2026-11-25", "--quiet", NULL};
  ck_assert_msg(simproc_start(&w->lp, "lastpass-sim", args, err, sizeof err) ==
                    0,
                "%s", err);
  pw_config(w, NULL);
}

void pw_teardown(pw *w) {
  simproc_stop(&w->lp);
  test_rmtree(w->dir);
  free(w->dir);
  w->dir = NULL;
}

void pw_config(pw *w, const char *host_extra) {
  char text[4096];
  snprintf(text, sizeof text,
           "; written by the plan tests\n"
           "[host]\n"
           "driver_path = %s\n"
           "state_dir = state\n"
           "mapping_file = mapping.csv\n"
           "%s\n"
           "[lastpass]\n"
           "api_url = %s/business\n"
           "api_key = env:LPSA_TEST_KEY\n"
           "[driver.jsonpsa]\n"
           "file = psa.json\n"
           "sku.lastpass = LP-BUS\n"
           "[driver.other]\n"
           "module = jsonpsa\n"
           "file = psa.json\n"
           "sku.lastpass = LP-BUS\n",
           getenv("LPSA_DRIVER_DIR"), host_extra ? host_extra : "",
           w->lp.base_url);
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", text), 0);
}

void pw_run(pw *w, hostrun *r, const char *now, const char *const *args) {
  const char *all[14] = {"-c", "lpsa.conf"};
  size_t n = 2;
  for (size_t i = 0; args && args[i]; i++) {
    ck_assert_int_lt(n, 13);
    all[n++] = args[i];
  }
  all[n] = NULL;
  char clock[64];
  snprintf(clock, sizeof clock, "LPSA_NOW=%s", now ? now : PW_NOW);
  const char *env[] = {"LPSA_TEST_KEY=lpkey_demo", clock, NULL};
  ck_assert_int_eq(hostrun_exec(w->dir, all, env, r), 0);
}

json_object *pw_json(pw *w, int status, const char *now,
                     const char *const *args) {
  const char *all[12] = {"--json"};
  size_t n = 1;
  for (size_t i = 0; args && args[i]; i++) {
    ck_assert_int_lt(n, 11);
    all[n++] = args[i];
  }
  all[n] = NULL;
  hostrun r;
  pw_run(w, &r, now, all);
  ck_assert_msg(r.status == status, "exit %d, expected %d; stderr: %s",
                r.status, status, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL, "stdout is not JSON: %s", r.out);
  hostrun_free(&r);
  return doc;
}

static json_object *psa_doc(pw *w) {
  char *text = pw_psa_text(w);
  json_object *doc = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

char *pw_psa_text(pw *w) {
  char *text = test_read_file(w->dir, "psa.json");
  ck_assert_ptr_nonnull(text);
  return text;
}

static json_object *line_of(json_object *doc, const char *line) {
  json_object *lines = pw_get(doc, "lines");
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(json_object_get_string(pw_get(l, "id")), line) == 0)
      return l;
  }
  ck_abort_msg("no line %s in psa.json", line);
  return NULL;
}

long long pw_qty(pw *w, const char *line) {
  json_object *doc = psa_doc(w);
  long long q = json_object_get_int64(pw_get(line_of(doc, line), "quantity"));
  json_object_put(doc);
  return q;
}

long long pw_writes(pw *w) {
  json_object *doc = psa_doc(w);
  long long n = json_object_get_int64(pw_get(doc, "writes"));
  json_object_put(doc);
  return n;
}

void pw_set_qty(pw *w, const char *line, long long quantity) {
  json_object *doc = psa_doc(w);
  json_object_object_add(line_of(doc, line), "quantity",
                         json_object_new_int64(quantity));
  ck_assert_int_eq(
      test_write_file(w->dir, "psa.json", json_object_to_json_string(doc)), 0);
  json_object_put(doc);
}

void pw_lp_seats(pw *w, long long lastpass_id, long long seats) {
  json_object *state = simproc_get_state(&w->lp);
  ck_assert_ptr_nonnull(state);
  json_object *list = pw_get(state, "companies");
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (json_object_get_int64(pw_get(c, "id")) == lastpass_id) {
      json_object_object_add(c, "activeUsers", json_object_new_int64(seats));
      found = 1;
    }
  }
  ck_assert_msg(found, "no LastPass company %lld", lastpass_id);
  ck_assert_int_eq(simproc_put_state(&w->lp, json_object_to_json_string(state)),
                   0);
  json_object_put(state);
}

char *pw_plan(pw *w, const char *now) {
  const char *args[] = {"--driver", "jsonpsa", "plan", NULL};
  hostrun r;
  pw_run(w, &r, now, args);
  ck_assert_msg(r.status == 1, "plan: exit %d; stderr: %s", r.status, r.err);
  const char *at = strstr(r.out, " saved to ");
  ck_assert_msg(at != NULL, "plan printed no path: %s", r.out);
  at += strlen(" saved to ");
  char *path = strndup(at, strcspn(at, "\n"));
  hostrun_free(&r);
  return path;
}

json_object *pw_get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s in %s", key,
                json_object_to_json_string(o));
  return v;
}

json_object *pw_company(json_object *report, const char *lastpass_id) {
  json_object *list = pw_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(pw_get(c, "lastpass_id")), lastpass_id) ==
        0)
      return c;
  }
  ck_abort_msg("no company %s in the report", lastpass_id);
  return NULL;
}

const char *pw_status(json_object *report, const char *lastpass_id) {
  return json_object_get_string(
      pw_get(pw_company(report, lastpass_id), "status"));
}

int pw_has_rule(json_object *report, const char *lastpass_id, const char *code,
                const char *severity) {
  json_object *rules = pw_get(pw_company(report, lastpass_id), "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    if (strcmp(json_object_get_string(pw_get(f, "code")), code) == 0 &&
        strcmp(json_object_get_string(pw_get(f, "severity")), severity) == 0)
      return 1;
  }
  return 0;
}

const char *pw_user(void) {
  struct passwd *pw = getpwuid(getuid());
  ck_assert_ptr_nonnull(pw);
  return pw->pw_name;
}

char *pw_shell(const char *cmd) {
  FILE *p = popen(cmd, "r");
  ck_assert_ptr_nonnull(p);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  buf[n] = '\0';
  ck_assert_int_eq(pclose(p), 0);
  return strdup(buf);
}
