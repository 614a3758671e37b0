/* SPDX-License-Identifier: MIT */
/*
 * plans_world.c — the plan tests' data set and lookups over the shared
 * world.
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
  world_begin(w, tag);
  world_copy(w, DATA "plans_psa.json", "psa.json");
  world_copy(w, DATA "plans_mapping.csv", "mapping.csv");
  world_lastpass(w, DATA "plans_lastpass.json", "2026-11-25",
                 (const char *const[]){"--quiet", NULL});
  pw_config(w, NULL);
}

void pw_teardown(pw *w) {
  world_end(w);
}

void pw_config(pw *w, const char *host_extra) {
  world_config(w, host_extra,
               WORLD_JSONPSA "sku.lastpass = LP-BUS\n"
                             "[driver.other]\n"
                             "module = jsonpsa\n"
                             "file = psa.json\n"
                             "sku.lastpass = LP-BUS\n");
}

/* LPSA_NOW for one run. */
static void clock_env(const char *now, char *kv, size_t cap) {
  snprintf(kv, cap, "LPSA_NOW=%s", now ? now : PW_NOW);
}

void pw_run(pw *w, hostrun *r, const char *now, const char *const *args) {
  char kv[64];
  clock_env(now, kv, sizeof kv);
  world_run_with(w, NULL, (const char *const[]){kv, NULL}, NULL, args, r);
}

json_object *pw_json(pw *w, int status, const char *now,
                     const char *const *args) {
  const char *all[24] = {"--json"};
  size_t n = 1;
  for (size_t i = 0; args && args[i]; i++) {
    ck_assert_int_lt(n, 23);
    all[n++] = args[i];
  }
  all[n] = NULL;
  hostrun r;
  pw_run(w, &r, now, all);
  ck_assert_msg(r.status == status, "exit %d, expected %d; stderr: %s",
                r.status, status, r.err);
  json_object *doc = tj_parse(r.out, "stdout");
  hostrun_free(&r);
  return doc;
}

char *pw_psa_text(pw *w) {
  char *text = world_read(w, "psa.json");
  ck_assert_ptr_nonnull(text);
  return text;
}

long long pw_qty(pw *w, const char *line) {
  long long q = world_psa_quantity(w, line);
  ck_assert_msg(q >= 0, "no line %s in psa.json", line);
  return q;
}

long long pw_writes(pw *w) {
  return world_psa_writes(w);
}

void pw_set_qty(pw *w, const char *line, long long quantity) {
  world_psa_set_quantity(w, line, quantity);
}

void pw_lp_seats(pw *w, long long lastpass_id, long long seats) {
  char id[32];
  snprintf(id, sizeof id, "%lld", lastpass_id);
  world_lp_set_seats(w, id, seats);
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

const char *pw_status(json_object *report, const char *lastpass_id) {
  return report_status(report, lastpass_id);
}

int pw_has_rule(json_object *report, const char *lastpass_id, const char *code,
                const char *severity) {
  return report_has_rule(tj_get(pw_company(report, lastpass_id), "rules"), code,
                         severity);
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
