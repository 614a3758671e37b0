/* SPDX-License-Identifier: MIT */
/*
 * world.c — the world of an integration test (see world.h).
 */
#include "world.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void world_begin(world *w, const char *tag) {
  memset(w, 0, sizeof *w);
  w->dir = test_tmpdir(tag);
  ck_assert_msg(w->dir != NULL, "cannot make the world's directory");
  world_setenv(w, "LPSA_TEST_KEY=" WORLD_LASTPASS_KEY);
  world_setenv(w, "LPSA_NOW=" WORLD_NOW);
  world_setenv(w, "LPSA_TEST_BACKOFF_MS=" WORLD_BACKOFF_MS);
}

void world_end(world *w) {
  simproc_stop(&w->psa);
  simproc_stop(&w->lp);
  if (w->dir) {
    test_rmtree(w->dir);
    free(w->dir);
    w->dir = NULL;
  }
}

/* ---- environment ------------------------------------------------------- */

static void env_rebuild(world *w) {
  for (size_t i = 0; i < w->n_env; i++)
    w->env[i] = w->env_text[i];
  w->env[w->n_env] = NULL;
}

static long env_find(const world *w, const char *name, size_t len) {
  for (size_t i = 0; i < w->n_env; i++)
    if (strncmp(w->env_text[i], name, len) == 0 && w->env_text[i][len] == '=')
      return (long)i;
  return -1;
}

void world_setenv(world *w, const char *kv) {
  const char *eq = strchr(kv, '=');
  ck_assert_msg(eq != NULL, "world_setenv(\"%s\"): not K=V", kv);
  ck_assert_uint_lt(strlen(kv), sizeof w->env_text[0]);
  long at = env_find(w, kv, (size_t)(eq - kv));
  if (at < 0) {
    ck_assert_uint_lt(w->n_env, WORLD_MAX_ENV);
    at = (long)w->n_env++;
  }
  memcpy(w->env_text[at], kv, strlen(kv) + 1);
  env_rebuild(w);
}

void world_unsetenv(world *w, const char *name) {
  long at = env_find(w, name, strlen(name));
  if (at < 0)
    return;
  for (size_t i = (size_t)at; i + 1 < w->n_env; i++)
    memcpy(w->env_text[i], w->env_text[i + 1], sizeof w->env_text[0]);
  w->n_env--;
  env_rebuild(w);
}

void world_set_now(world *w, const char *now) {
  char kv[128];
  snprintf(kv, sizeof kv, "LPSA_NOW=%s", now);
  world_setenv(w, kv);
}

/* ---- simulators -------------------------------------------------------- */

void world_sim(world *w, simproc *sp, const char *program,
               const char *const *args) {
  char err[1024];
  (void)w;
  ck_assert_msg(simproc_start(sp, program, args, err, sizeof err) == 0,
                "cannot start %s: %s", program, err);
}

void world_lastpass(world *w, const char *fixture, const char *today,
                    const char *const *extra) {
  char path[PATH_MAX];
  const char *args[48];
  size_t n = 0;
  w->lp_fixture[0] = '\0';
  if (fixture) {
    if (fixture[0] == '/')
      snprintf(path, sizeof path, "%s", fixture);
    else
      test_source_path(fixture, path, sizeof path);
    snprintf(w->lp_fixture, sizeof w->lp_fixture, "%s", path);
    args[n++] = "--fixture";
    args[n++] = path;
  }
  if (today) {
    args[n++] = "--now";
    args[n++] = today;
  }
  for (size_t i = 0; extra && extra[i]; i++) {
    ck_assert_uint_lt(n, 47);
    args[n++] = extra[i];
  }
  args[n] = NULL;
  simproc_stop(&w->lp);
  world_sim(w, &w->lp, "lastpass-sim", args);
}

/* ---- files ------------------------------------------------------------- */

void world_path(const world *w, const char *name, char *out, size_t cap) {
  snprintf(out, cap, "%s/%s", w->dir, name);
}

void world_write(world *w, const char *name, const char *text) {
  ck_assert_msg(test_write_file(w->dir, name, text) == 0,
                "cannot write %s in the world", name);
}

void world_write_private(world *w, const char *name, const char *text) {
  ck_assert_msg(test_write_file_mode(w->dir, name, text, 0600) == 0,
                "cannot write %s in the world", name);
}

void world_copy(world *w, const char *rel, const char *name) {
  ck_assert_msg(test_copy_source(rel, w->dir, name) == 0,
                "cannot copy %s from the source tree", rel);
}

char *world_read(const world *w, const char *name) {
  return test_read_file(w->dir, name);
}

int world_count(const world *w, const char *name, const char *needle) {
  return test_count_in_file(w->dir, name, needle);
}

int world_line_of(const world *w, const char *name, const char *needle) {
  char *text = world_read(w, name);
  ck_assert_msg(text != NULL, "%s is missing", name);
  const char *at = strstr(text, needle);
  ck_assert_msg(at != NULL, "%s has no line with \"%s\"", name, needle);
  int line = 1;
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  free(text);
  return line;
}

void world_wait_text(const world *w, const char *name, const char *needle,
                     int times) {
  if (test_wait_file_text(w->dir, name, needle, times, TEST_WAIT_MS))
    return;
  char *text = world_read(w, name);
  ck_abort_msg("%s never said \"%s\" %d time(s) in %ld ms; it holds: %.3000s",
               name, needle, times, TEST_WAIT_MS, text ? text : "(nothing)");
  free(text);
}

void world_config(world *w, const char *host_keys, const char *sections) {
  const char *drivers = getenv("LPSA_DRIVER_DIR");
  ck_assert_msg(drivers != NULL, "LPSA_DRIVER_DIR is not set (run by ctest)");
  size_t cap = 4096 + (host_keys ? strlen(host_keys) : 0) +
               (sections ? strlen(sections) : 0);
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  int n = snprintf(
      text, cap,
      "; written by the test world (tests/support/world.c)\n"
      "[host]\n"
      "driver_path = %s\n"
      "state_dir = state\n"
      "mapping_file = mapping.csv\n"
      "%s%s"
      "[lastpass]\n"
      "api_url = %s/business\n"
      "api_key = env:LPSA_TEST_KEY\n"
      "%s",
      drivers, host_keys ? host_keys : "",
      host_keys && *host_keys && host_keys[strlen(host_keys) - 1] != '\n' ? "\n"
                                                                          : "",
      w->lp.base_url, sections ? sections : "");
  ck_assert_int_lt(n, (int)cap);
  world_write_private(w, "lpsa.conf", text);
  free(text);
}

/* ---- lpsa-host --------------------------------------------------------- */

/* -c lpsa.conf, then `first` (may be NULL), then args. */
static void host_args(const char **out, size_t cap, const char *first,
                      const char *const *args) {
  size_t n = 0;
  out[n++] = "-c";
  out[n++] = "lpsa.conf";
  if (first)
    out[n++] = first;
  for (size_t i = 0; args && args[i]; i++) {
    ck_assert_uint_lt(n, cap - 1);
    out[n++] = args[i];
  }
  out[n] = NULL;
}

/* The world's environment, then `extra`. */
static void host_env(const world *w, const char **out, size_t cap,
                     const char *const *extra) {
  size_t n = 0;
  for (; n < w->n_env; n++)
    out[n] = w->env[n];
  for (size_t i = 0; extra && extra[i]; i++) {
    ck_assert_uint_lt(n, cap - 1);
    out[n++] = extra[i];
  }
  out[n] = NULL;
}

void world_run_with(world *w, const char *const *wrapper,
                    const char *const *env, const char *input,
                    const char *const *args, hostrun *r) {
  const char *argv[64], *envv[64];
  host_args(argv, 64, NULL, args);
  host_env(w, envv, 64, env);
  hostrun_opts o = {.wrapper = wrapper,
                    .cwd = w->dir,
                    .args = argv,
                    .env = envv,
                    .input = input};
  ck_assert_msg(hostrun_run(&o, r) == 0, "cannot run lpsa-host");
}

void world_run(world *w, const char *const *args, hostrun *r) {
  world_run_with(w, NULL, NULL, NULL, args, r);
}

json_object *world_json(world *w, int expect, const char *const *args) {
  const char *argv[64], *envv[64];
  host_args(argv, 64, "--json", args);
  host_env(w, envv, 64, NULL);
  hostrun r;
  ck_assert_int_eq(hostrun_exec(w->dir, argv, envv, &r), 0);
  ck_assert_msg(expect < 0 || r.status == expect,
                "lpsa-host %s: exit %d, expected %d; stderr: %.3000s",
                args && args[0] ? args[0] : "", r.status, expect, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL,
                "lpsa-host (exit %d) printed no JSON: %.2000s; stderr: "
                "%.2000s",
                r.status, r.out, r.err);
  hostrun_free(&r);
  return doc;
}

pid_t world_spawn(world *w, const char *const *env, const char *const *args) {
  const char *argv[64], *envv[64];
  host_args(argv, 64, NULL, args);
  host_env(w, envv, 64, env);
  pid_t pid = hostrun_spawn(w->dir, argv, envv);
  ck_assert_int_gt(pid, 0);
  return pid;
}

json_object *world_history(world *w, const char *const *args) {
  const char *argv[16] = {"history"};
  size_t n = 1;
  for (size_t i = 0; args && args[i]; i++) {
    ck_assert_uint_lt(n, 15);
    argv[n++] = args[i];
  }
  argv[n] = NULL;
  return world_json(w, 0, argv);
}

/* ---- the JSON-file PSA ------------------------------------------------- */

json_object *world_psa_file(world *w) {
  char *text = world_read(w, "psa.json");
  json_object *doc = text ? json_tokener_parse(text) : NULL;
  ck_assert_msg(doc != NULL, "psa.json cannot be read back: %.2000s",
                text ? text : "(missing)");
  free(text);
  return doc;
}

static json_object *psa_line(json_object *doc, const char *line_id) {
  json_object *lines = tj_get(doc, "lines");
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(tj_str(l, "id"), line_id) == 0)
      return l;
  }
  return NULL;
}

long long world_psa_quantity(world *w, const char *line_id) {
  json_object *doc = world_psa_file(w), *l = psa_line(doc, line_id);
  long long q = l ? tj_int(l, "quantity") : -1;
  json_object_put(doc);
  return q;
}

long long world_psa_writes(world *w) {
  json_object *doc = world_psa_file(w), *v = NULL;
  long long n = json_object_object_get_ex(doc, "writes", &v) && v
                    ? json_object_get_int64(v)
                    : 0;
  json_object_put(doc);
  return n;
}

void world_psa_set_quantity(world *w, const char *line_id, long long q) {
  json_object *doc = world_psa_file(w), *l = psa_line(doc, line_id);
  ck_assert_msg(l != NULL, "no line %s in psa.json", line_id);
  json_object_object_add(l, "quantity", json_object_new_int64(q));
  world_write(w, "psa.json", json_object_to_json_string(doc));
  json_object_put(doc);
}

/* ---- simulators' state and log ----------------------------------------- */

json_object *world_sim_state(simproc *sp) {
  json_object *s = simproc_get_state(sp);
  ck_assert_msg(s != NULL, "GET /_sim/state of %s failed", sp->exe);
  return s;
}

void world_sim_put_state(simproc *sp, json_object *state) {
  ck_assert_msg(simproc_put_state(sp, json_object_to_json_string_ext(
                                          state, JSON_C_TO_STRING_PLAIN)) == 0,
                "PUT /_sim/state of %s refused the edited state", sp->exe);
}

json_object *world_sim_log(simproc *sp) {
  json_object *log = simproc_log(sp);
  ck_assert_msg(log && json_object_is_type(log, json_type_array),
                "GET /_sim/log of %s did not answer", sp->exe);
  return log;
}

void world_sim_wait(simproc *sp, long log_entries, int idle) {
  ck_assert_msg(simproc_wait(sp, log_entries, idle, TEST_WAIT_MS) == 0,
                "%s did not reach %ld answered request(s)%s in %ld ms", sp->exe,
                log_entries, idle ? " and idle" : "", TEST_WAIT_MS);
}

static void lp_set(world *w, const char *lastpass_id, const char *key,
                   json_object *value) {
  json_object *state = world_sim_state(&w->lp);
  json_object *list = tj_get(state, "companies");
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (lastpass_id && strcmp(tj_text(c, "id"), lastpass_id) != 0)
      continue;
    json_object_object_add(c, key, json_object_get(value));
    found++;
  }
  json_object_put(value);
  ck_assert_msg(found > 0, "no LastPass company %s",
                lastpass_id ? lastpass_id : "at all");
  world_sim_put_state(&w->lp, state);
  json_object_put(state);
}

void world_lp_set_seats(world *w, const char *lastpass_id, long long seats) {
  lp_set(w, lastpass_id, "activeUsers", json_object_new_int64(seats));
}

void world_lp_set_name(world *w, const char *lastpass_id, const char *name) {
  lp_set(w, lastpass_id, "name", json_object_new_string(name));
}
