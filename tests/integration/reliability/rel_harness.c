/* SPDX-License-Identifier: MIT */
/*
 * rel_harness.c — the world, the host runs and the simulator views shared
 * by the reliability suites (see rel_harness.h).
 */
#include "rel_harness.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hostrun.h"

/* Credentials come from the environment, as a real installation's should
 * (a literal secret would need a 0600 configuration file). The values are
 * the simulators' defaults. */
static const char *const host_env[] = {
    "LPSA_NOW=" REL_TODAY "T12:00:00Z",
    "REL_LP_KEY=lpkey_demo",
    "REL_CW_PUB=pubkey",
    "REL_CW_PRIV=privkey",
    "REL_CW_CID=3f1c1c2e-0000-4d7e-9a63-5b0c2f1d7a11",
    "REL_AT_USER=api@demo.example",
    "REL_AT_SECRET=demosecret",
    "REL_AT_CODE=DEMOCODE",
    "REL_HP_SECRET=demosecret",
    NULL};

const char *const *rel_child_env(void) {
  return host_env;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* ---- the world -------------------------------------------------------- */

const char *rel_driver(const rel_world *w) {
  return w->opt.psa == REL_CONNECTWISE ? "connectwise"
         : w->opt.psa == REL_AUTOTASK  ? "autotask"
                                       : "halopsa";
}

static const char *sim_program(rel_psa psa) {
  return psa == REL_CONNECTWISE ? "connectwise-sim"
         : psa == REL_AUTOTASK  ? "autotask-sim"
                                : "halopsa-sim";
}

simproc *rel_sim(rel_world *w, rel_remote r) {
  return r == REL_LASTPASS ? &w->lp : &w->psa;
}

static void start_sim(simproc *sp, const char *program, const rel_world *w,
                      int latency_ms, const char *const *extra) {
  char n[16], seed[16], pct[16], lat[16], err[512];
  snprintf(n, sizeof n, "%d", w->opt.companies);
  snprintf(seed, sizeof seed, "%u", w->opt.seed);
  snprintf(pct, sizeof pct, "%d", w->opt.change_pct);
  snprintf(lat, sizeof lat, "%d", latency_ms);
  /* connectwise-sim and halopsa-sim have no --now: their dates do not
   * depend on today. halopsa-sim's rate limit is the driver tests' to
   * exercise: these worlds run many syncs in a few minutes. */
  int dated = strcmp(program, "connectwise-sim") != 0 &&
              strcmp(program, "halopsa-sim") != 0;
  int halo = strcmp(program, "halopsa-sim") == 0;
  const char *args[32] = {"--generate",   n,   "--seed",       seed,
                          "--change-pct", pct, "--latency-ms", lat};
  size_t k = 8;
  if (dated) {
    args[k++] = "--now";
    args[k++] = REL_TODAY;
  } else if (halo) {
    args[k++] = "--rate-limit";
    args[k++] = "0";
  }
  for (size_t e = 0; extra && extra[e] && k < 31; e++)
    args[k++] = extra[e];
  args[k] = NULL;
  ck_assert_msg(simproc_start(sp, program, args, err, sizeof err) == 0,
                "cannot start %s: %s", program, err);
}

static void write_mapping(const rel_world *w) {
  size_t cap = 64 + (size_t)w->opt.companies * 32;
  char *csv = malloc(cap);
  ck_assert_ptr_nonnull(csv);
  size_t len =
      (size_t)snprintf(csv, cap, "lastpass_company_id,psa_company_id\n");
  int every = w->opt.map_every > 1 ? w->opt.map_every : 1;
  for (int i = 0; i < w->opt.companies; i += every)
    len += (size_t)snprintf(csv + len, cap - len, "%ld,%ld\n", 100000L + i,
                            1000L + i);
  ck_assert_int_eq(test_write_file(w->dir, "mapping.csv", csv), 0);
  free(csv);
}

void rel_write_config(rel_world *w, const char *host_keys) {
  char timeout[64] = "", section[1024], text[4096];
  if (w->opt.http_timeout > 0)
    snprintf(timeout, sizeof timeout, "http_timeout = %d\n",
             w->opt.http_timeout);
  if (w->opt.psa == REL_CONNECTWISE)
    snprintf(section, sizeof section,
             "[driver.connectwise]\nsite = %s\ncompany_id = lpsademo\n"
             "public_key = env:REL_CW_PUB\nprivate_key = env:REL_CW_PRIV\n"
             "client_id = env:REL_CW_CID\nsku.lastpass = LASTPASS-BUS\n"
             "sku.lastpass_mfa = LASTPASS-MFA\n",
             w->psa.base_url);
  else if (w->opt.psa == REL_HALOPSA) {
    /* No pacing to speak of unless a test sets its own: a 429 here comes
     * from a fault rule, and its back-off (the window / 60) stays short. */
    const char *own = w->opt.driver_keys ? w->opt.driver_keys : "";
    snprintf(
        section, sizeof section,
        "[driver.halopsa]\nurl = %s\nclient_id = lpsa-demo-client\n"
        "client_secret = env:REL_HP_SECRET\n%s%s"
        "sku.lastpass = LastPass Business\n"
        "sku.lastpass_mfa = LastPass Business + MFA\n",
        w->psa.base_url,
        strstr(own, "requests_per_5min") ? "" : "requests_per_5min = 100000\n",
        strstr(own, "rate_window_seconds") ? "" : "rate_window_seconds = 1\n");
  } else
    snprintf(section, sizeof section,
             "[driver.autotask]\nzone_lookup_url = %s/atservicesrest\n"
             "username = env:REL_AT_USER\nsecret = env:REL_AT_SECRET\n"
             "integration_code = env:REL_AT_CODE\n"
             "sku.lastpass = LastPass Business\n"
             "sku.lastpass_mfa = LastPass Business + MFA\n",
             w->psa.base_url);
  snprintf(text, sizeof text,
           "; written by the reliability suite (rel_harness.c)\n"
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\nmax_decrease_percent = 50\n%s%s"
           "[lastpass]\napi_url = %s/business\napi_key = env:REL_LP_KEY\n"
           "%s%s",
           getenv("LPSA_DRIVER_DIR"), timeout, host_keys ? host_keys : "",
           w->lp.base_url, section,
           w->opt.driver_keys ? w->opt.driver_keys : "");
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", text), 0);
}

void rel_world_start(rel_world *w, const rel_world_opts *o) {
  memset(w, 0, sizeof *w);
  w->opt = *o;
  ck_assert_ptr_nonnull(getenv("LPSA_DRIVER_DIR"));
  w->dir = test_tmpdir("rel");
  ck_assert_ptr_nonnull(w->dir);
  start_sim(&w->lp, "lastpass-sim", w, 0, NULL);
  w->lp_up = 1;
  start_sim(&w->psa, sim_program(o->psa), w, o->psa_latency_ms, o->psa_args);
  w->psa_up = 1;
  write_mapping(w);
  rel_write_config(w, NULL);
}

void rel_world_stop(rel_world *w) {
  if (w->psa_up)
    simproc_stop(&w->psa);
  if (w->lp_up)
    simproc_stop(&w->lp);
  w->psa_up = w->lp_up = 0;
  if (w->dir) {
    test_rmtree(w->dir);
    free(w->dir);
    w->dir = NULL;
  }
}

char *rel_private_tmpdir_begin(const char *tag) {
  char *dir = test_tmpdir(tag);
  if (!dir || setenv("TMPDIR", dir, 1) != 0) {
    fprintf(stderr, "%s: cannot make a temporary directory\n", tag);
    exit(EXIT_FAILURE);
  }
  return dir;
}

void rel_private_tmpdir_end(char *dir) {
  test_rmtree(dir);
  free(dir);
}

/* ---- lpsa-host -------------------------------------------------------- */

static void host_run(rel_world *w, const char *const *extra_env, rel_run *r,
                     va_list ap) {
  const char *args[32] = {"-c", "lpsa.conf", "--driver", rel_driver(w),
                          "--json"};
  size_t n = 5;
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 31;)
    args[n++] = a;
  args[n] = NULL;
  const char *env[32];
  size_t k = 0;
  for (; host_env[k]; k++)
    env[k] = host_env[k];
  for (size_t i = 0; extra_env && extra_env[i] && k < 31; i++)
    env[k++] = extra_env[i];
  env[k] = NULL;
  hostrun h;
  memset(r, 0, sizeof *r);
  ck_assert_int_eq(hostrun_exec(w->dir, args, env, &h), 0);
  r->status = h.status;
  r->out = h.out;
  r->err = h.err;
  r->report = r->out ? json_tokener_parse(r->out) : NULL;
  ck_assert_msg(r->report != NULL,
                "lpsa-host (exit %d) printed no JSON report; stderr: %s",
                r->status, r->err ? r->err : "");
}

void rel_host(rel_world *w, rel_run *r, ...) {
  va_list ap;
  va_start(ap, r);
  host_run(w, NULL, r, ap);
  va_end(ap);
}

void rel_host_env(rel_world *w, const char *const *env, rel_run *r, ...) {
  va_list ap;
  va_start(ap, r);
  host_run(w, env, r, ap);
  va_end(ap);
}

void rel_host_exec(rel_world *w, const char *const *extra_env,
                   const char *const *args, hostrun *h) {
  const char *argv[32] = {"-c", "lpsa.conf"};
  const char *env[32];
  size_t n = 2, ne = 0;
  for (size_t i = 0; args[i] && n < 31; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  for (size_t i = 0; host_env[i]; i++)
    env[ne++] = host_env[i];
  for (size_t i = 0; extra_env && extra_env[i] && ne < 31; i++)
    env[ne++] = extra_env[i];
  env[ne] = NULL;
  ck_assert_int_eq(hostrun_exec(w->dir, argv, env, h), 0);
}

void rel_run_free(rel_run *r) {
  json_object_put(r->report);
  free(r->out);
  free(r->err);
  memset(r, 0, sizeof *r);
}

json_object *rel_history(rel_world *w, long long run_id) {
  char id[32];
  snprintf(id, sizeof id, "%lld", run_id);
  const char *list[] = {"-c", "lpsa.conf", "--json", "history", NULL};
  const char *one[] = {"-c",    "lpsa.conf", "--json", "history",
                       "--run", id,          NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(w->dir, run_id ? one : list, host_env, &h), 0);
  ck_assert_msg(h.status == 0, "history exited %d: %s", h.status, h.err);
  json_object *doc = json_tokener_parse(h.out);
  ck_assert_msg(doc != NULL, "history printed no JSON: %s", h.out);
  hostrun_free(&h);
  return doc;
}

pid_t rel_spawn_apply(rel_world *w) {
  const char *args[] = {"-c", "lpsa.conf", "--driver", rel_driver(w), NULL};
  pid_t pid = hostrun_spawn(w->dir, args, host_env);
  ck_assert_int_gt(pid, 0);
  return pid;
}

/* ---- reports ---------------------------------------------------------- */

json_object *rel_get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member \"%s\" in %s",
                key, json_object_to_json_string(o));
  return v;
}

const char *rel_str(json_object *o, const char *key) {
  json_object *v = rel_get(o, key);
  return v ? json_object_get_string(v) : "";
}

long long rel_int(json_object *o, const char *key) {
  return json_object_get_int64(rel_get(o, key));
}

json_object *rel_company(json_object *report, const char *lastpass_id) {
  json_object *list = rel_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "lastpass_id"), lastpass_id) == 0)
      return c;
  }
  return NULL;
}

json_object *rel_company_by_line(json_object *report, const char *line_id) {
  json_object *list = rel_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "line_id"), line_id) == 0)
      return c;
  }
  return NULL;
}

int rel_count_rule(json_object *rules, const char *code) {
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(rules); i++)
    n +=
        strcmp(rel_str(json_object_array_get_idx(rules, i), "code"), code) == 0;
  return n;
}

int rel_has_rule(json_object *rules, const char *code) {
  return rel_count_rule(rules, code) > 0;
}

int rel_count_status(json_object *report, const char *status) {
  json_object *list = rel_get(report, "companies");
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++)
    n += strcmp(rel_str(json_object_array_get_idx(list, i), "status"),
                status) == 0;
  return n;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *member_text(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v)
                                                    : "null";
}

char *rel_digest(json_object *report, int planned_as_updated) {
  json_object *list = rel_get(report, "companies");
  size_t n = json_object_array_length(list);
  char **lines = calloc(n + 1, sizeof *lines);
  ck_assert_ptr_nonnull(lines);
  size_t total = 1;
  for (size_t i = 0; i < n; i++) {
    json_object *c = json_object_array_get_idx(list, i);
    const char *status = rel_str(c, "status");
    if (planned_as_updated && strcmp(status, "planned") == 0)
      status = "updated";
    char codes[1024] = "";
    json_object *rules = rel_get(c, "rules");
    for (size_t k = 0; k < json_object_array_length(rules); k++) {
      size_t l = strlen(codes);
      snprintf(codes + l, sizeof codes - l, " %s",
               rel_str(json_object_array_get_idx(rules, k), "code"));
    }
    char line[1536];
    snprintf(line, sizeof line, "%s %s %s->%s%s\n", rel_str(c, "lastpass_id"),
             status, member_text(c, "old_quantity"),
             member_text(c, "new_quantity"), codes);
    lines[i] = strdup(line);
    ck_assert_ptr_nonnull(lines[i]);
    total += strlen(line);
  }
  qsort(lines, n, sizeof *lines, cmp_str);
  json_object *findings = rel_get(report, "findings");
  size_t nf = json_object_array_length(findings);
  total += 16 + nf * 40;
  char *out = malloc(total);
  ck_assert_ptr_nonnull(out);
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    len += (size_t)snprintf(out + len, total - len, "%s", lines[i]);
    free(lines[i]);
  }
  free(lines);
  len += (size_t)snprintf(out + len, total - len, "findings:");
  for (size_t k = 0; k < nf; k++)
    len += (size_t)snprintf(
        out + len, total - len, " %.36s",
        rel_str(json_object_array_get_idx(findings, k), "code"));
  return out;
}

/* ---- simulators ------------------------------------------------------- */

json_object *rel_log(rel_world *w, rel_remote r) {
  json_object *log = simproc_log(rel_sim(w, r));
  ck_assert_msg(log && json_object_is_type(log, json_type_array),
                "the simulator's /_sim/log did not answer");
  return log;
}

int rel_is_write(json_object *e) {
  const char *method = rel_str(e, "method"), *path = rel_str(e, "path");
  size_t n = strlen(path);
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
         strstr(path, "/query") == NULL &&
         !(n >= 6 && strcmp(path + n - 6, "/token") == 0);
}

int rel_count_writes(json_object *log) {
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++)
    n += rel_is_write(json_object_array_get_idx(log, i));
  return n;
}

int rel_count_requests(json_object *log, const char *method,
                       const char *path_part) {
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    n += strcmp(rel_str(e, "method"), method) == 0 &&
         strstr(rel_str(e, "path"), path_part) != NULL;
  }
  return n;
}

static int same_request(json_object *a, json_object *b) {
  static const char *const keys[] = {"method", "path", "query", "body"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
    if (strcmp(member_text(a, keys[k]), member_text(b, keys[k])) != 0)
      return 0;
  return 1;
}

int rel_log_shows_retry(json_object *log, const char *name) {
  size_t n = json_object_array_length(log);
  for (size_t i = 0; i < n; i++) {
    json_object *f = json_object_array_get_idx(log, i);
    if (strcmp(member_text(f, "fault"), name) != 0)
      continue;
    /* The log is written when an answer is done, so a hung request's
     * entry may come after its retry's: look both ways. */
    for (size_t j = 0; j < n; j++) {
      json_object *e = json_object_array_get_idx(log, j);
      long status = (long)rel_int(e, "status");
      if (j != i && strcmp(member_text(e, "fault"), "null") == 0 &&
          status / 100 == 2 && same_request(f, e))
        return 1;
    }
  }
  return 0;
}

long rel_fault_fired(rel_world *w, rel_remote r, const char *name) {
  json_object *rules = simproc_get_json(rel_sim(w, r), "/_sim/faults");
  ck_assert_ptr_nonnull(rules);
  long fired = -1;
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *rule = json_object_array_get_idx(rules, i);
    if (strcmp(member_text(rule, "name"), name) == 0)
      fired = (long)rel_int(rule, "fired");
  }
  json_object_put(rules);
  return fired;
}

void rel_wait_idle(rel_world *w, rel_remote r) {
  for (int i = 0; i < 1000; i++) {
    json_object *s = simproc_stats(rel_sim(w, r));
    ck_assert_ptr_nonnull(s);
    /* The per-endpoint counters (the top level has no "inflight"). */
    long long inflight = 0;
    json_object_object_foreach(rel_get(s, "endpoints"), key, e) {
      (void)key;
      inflight += rel_int(e, "inflight");
    }
    json_object_put(s);
    if (inflight == 0)
      return;
    sleep_ms(10);
  }
  ck_abort_msg("the simulator still has requests in progress after 10 s");
}

json_object *rel_state(rel_world *w, rel_remote r) {
  json_object *s = simproc_get_state(rel_sim(w, r));
  ck_assert_msg(s != NULL, "GET /_sim/state failed");
  return s;
}

char *rel_state_text(rel_world *w, rel_remote r) {
  json_object *s = rel_state(w, r);
  char *text =
      strdup(json_object_to_json_string_ext(s, JSON_C_TO_STRING_PLAIN));
  json_object_put(s);
  ck_assert_ptr_nonnull(text);
  return text;
}

void rel_put_state(rel_world *w, rel_remote r, json_object *state) {
  ck_assert_msg(
      simproc_put_state(rel_sim(w, r), json_object_to_json_string_ext(
                                           state, JSON_C_TO_STRING_PLAIN)) == 0,
      "PUT /_sim/state refused the edited state");
}

static long long id_of(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v)
                                                    : -1;
}

/* HaloPSA: the invoice line (of any invoice) with that id. */
static json_object *halo_line(json_object *state, long long line) {
  json_object *invoices = rel_get(state, "invoices");
  for (size_t i = 0; i < json_object_array_length(invoices); i++) {
    json_object *lines =
        rel_get(json_object_array_get_idx(invoices, i), "lines");
    for (size_t k = 0; k < json_object_array_length(lines); k++) {
      json_object *l = json_object_array_get_idx(lines, k);
      if (id_of(l, "id") == line)
        return l;
    }
  }
  return NULL;
}

/* ConnectWise: the addition; Autotask: the units row covering today;
 * HaloPSA: the invoice line. */
static json_object *quantity_holder(const rel_world *w, json_object *state,
                                    const char *line_id, const char **key) {
  long long line = atoll(line_id);
  if (w->opt.psa == REL_HALOPSA) {
    *key = "qty_order";
    return halo_line(state, line);
  }
  if (w->opt.psa == REL_CONNECTWISE) {
    json_object *adds = rel_get(state, "additions");
    *key = "quantity";
    for (size_t i = 0; i < json_object_array_length(adds); i++) {
      json_object *a = json_object_array_get_idx(adds, i);
      if (id_of(a, "id") == line)
        return a;
    }
    return NULL;
  }
  json_object *rows = rel_get(state, "contractServiceUnits"), *best = NULL;
  *key = "units";
  for (size_t i = 0; i < json_object_array_length(rows); i++) {
    json_object *row = json_object_array_get_idx(rows, i);
    if (id_of(row, "contractServiceID") != line)
      continue;
    const char *from = rel_str(row, "startDate"), *to = rel_str(row, "endDate");
    if (strncmp(from, REL_TODAY, 10) <= 0 && strncmp(REL_TODAY, to, 10) <= 0 &&
        (!best || strcmp(from, rel_str(best, "startDate")) > 0))
      best = row;
  }
  return best;
}

long long rel_psa_quantity(const rel_world *w, json_object *state,
                           const char *line_id) {
  const char *key;
  json_object *h = quantity_holder(w, state, line_id, &key);
  return h ? json_object_get_int64(rel_get(h, key)) : -1;
}

void rel_psa_set_quantity(rel_world *w, const char *line_id, long long q) {
  json_object *state = rel_state(w, REL_PSA);
  const char *key;
  json_object *h = quantity_holder(w, state, line_id, &key);
  ck_assert_msg(h != NULL, "no PSA line %s in the simulator's state", line_id);
  json_object_object_add(h, key, json_object_new_int64(q));
  rel_put_state(w, REL_PSA, state);
  json_object_put(state);
}

int rel_at_adjustments(json_object *state, const char *line_id,
                       long long *sum) {
  json_object *adj = rel_get(state, "adjustments");
  long long line = atoll(line_id);
  int n = 0;
  *sum = 0;
  for (size_t i = 0; i < json_object_array_length(adj); i++) {
    json_object *a = json_object_array_get_idx(adj, i);
    if (id_of(a, "contractServiceID") == line) {
      n++;
      *sum += rel_int(a, "unitChange");
    }
  }
  return n;
}

void rel_lp_set_seats(rel_world *w, const char *lastpass_id, long long seats) {
  json_object *state = rel_state(w, REL_LASTPASS);
  json_object *list = rel_get(state, "companies");
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (lastpass_id && id_of(c, "id") != atoll(lastpass_id))
      continue;
    json_object_object_add(c, "activeUsers", json_object_new_int64(seats));
    found++;
  }
  ck_assert_msg(found > 0, "no LastPass company %s", lastpass_id);
  rel_put_state(w, REL_LASTPASS, state);
  json_object_put(state);
}

void rel_lp_set_name(rel_world *w, const char *lastpass_id, const char *name) {
  json_object *state = rel_state(w, REL_LASTPASS);
  json_object *list = rel_get(state, "companies");
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (id_of(c, "id") != atoll(lastpass_id))
      continue;
    json_object_object_add(c, "name", json_object_new_string(name));
    found++;
  }
  ck_assert_msg(found > 0, "no LastPass company %s", lastpass_id);
  rel_put_state(w, REL_LASTPASS, state);
  json_object_put(state);
}

int rel_assert_psa_matches(rel_world *w, json_object *plan) {
  json_object *state = rel_state(w, REL_PSA);
  json_object *list = rel_get(plan, "companies");
  int planned = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    const char *line = rel_str(c, "line_id");
    if (!line[0] || strcmp(line, "null") == 0)
      continue;
    int is_planned = strcmp(rel_str(c, "status"), "planned") == 0;
    long long want = rel_int(c, is_planned ? "new_quantity" : "old_quantity");
    long long have = rel_psa_quantity(w, state, line);
    ck_assert_msg(have == want,
                  "PSA line %s of LastPass company %s holds %lld, expected "
                  "%lld (%s)",
                  line, rel_str(c, "lastpass_id"), have, want,
                  is_planned ? "the target" : "untouched");
    planned += is_planned;
  }
  json_object_put(state);
  return planned;
}

/* ---- the fault table -------------------------------------------------- */

void rel_fault_case_run(const rel_world_opts *o, const rel_fault_case *c) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base, r;
  rel_host(&w, &base, "--dry-run", NULL);
  /* Exit 1 is normal in a world with companies a person must see to
   * (Autotask contracts adjusted mid-period, say). */
  ck_assert_msg((base.status == 0 || base.status == 1) &&
                    rel_count_status(base.report, "planned"),
                "%s: the baseline dry run exited %d with %d planned changes; "
                "the world must be in a state that needs writes",
                c->name, base.status, rel_count_status(base.report, "planned"));
  char *want = rel_digest(base.report, 1);
  ck_assert_int_eq(simproc_clear_log(&w.lp), 0);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  char *state0 = rel_state_text(&w, REL_PSA);
  ck_assert_msg(simproc_set_faults(rel_sim(&w, c->remote), c->rules) == 0,
                "%s: the simulator refused the rules %s", c->name, c->rules);

  rel_host(&w, &r, NULL);
  ck_assert_msg(rel_fault_fired(&w, c->remote, "f") > 0,
                "%s: fault rule \"f\" never fired; the case tests nothing",
                c->name);
  rel_wait_idle(&w, REL_LASTPASS);
  rel_wait_idle(&w, REL_PSA);
  json_object *flog = rel_log(&w, c->remote);
  json_object *plog = rel_log(&w, REL_PSA);
  const char *aborted = rel_str(r.report, "aborted");
  if (c->expect == REL_ABORTED) {
    ck_assert_msg(r.status == 3, "%s (%s): exit %d, expected 3; stderr: %s",
                  c->name, c->why, r.status, r.err);
    ck_assert_msg(c->words && strstr(aborted, c->words),
                  "%s: the report's \"aborted\" (%s) lacks \"%s\"", c->name,
                  aborted, c->words ? c->words : "");
    ck_assert_msg(rel_count_writes(plog) == 0,
                  "%s: the PSA received %d write(s) in an aborted run", c->name,
                  rel_count_writes(plog));
    ck_assert_int_eq(rel_int(rel_get(r.report, "summary"), "updated"), 0);
    char *state1 = rel_state_text(&w, REL_PSA);
    ck_assert_msg(strcmp(state0, state1) == 0,
                  "%s: the PSA's state changed in an aborted run", c->name);
    free(state1);
  } else {
    ck_assert_msg(r.status == base.status,
                  "%s (%s): exit %d, expected %d as without the fault; "
                  "aborted: %s",
                  c->name, c->why, r.status, base.status, aborted);
    char *got = rel_digest(r.report, 0);
    ck_assert_msg(strcmp(want, got) == 0,
                  "%s: the report differs from the run without the fault\n"
                  "expected:\n%s\ngot:\n%s",
                  c->name, want, got);
    free(got);
    if (c->expect == REL_RETRIED)
      ck_assert_msg(rel_log_shows_retry(flog, "f"),
                    "%s: the log does not show the faulted request retried: "
                    "%s",
                    c->name, json_object_to_json_string(flog));
    ck_assert_int_gt(rel_assert_psa_matches(&w, base.report), 0);
  }
  json_object_put(flog);
  json_object_put(plog);
  free(state0);
  free(want);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}

/* ---- scenarios shared by the PSA suites ------------------------------ */

static int is_planned(json_object *c) {
  return strcmp(rel_str(c, "status"), "planned") == 0;
}

/* HaloPSA: one recorded change per planned line, old -> new, nothing else
 * changed, and no posted invoice lost a line. */
static void halo_applied_once(json_object *state, json_object *plan) {
  json_object *writes = rel_get(state, "writes");
  ck_assert_msg(json_object_array_length(rel_get(state, "dropped_lines")) == 0,
                "HaloPSA lost invoice lines to a post: %s",
                json_object_to_json_string(rel_get(state, "dropped_lines")));
  size_t changes = 0;
  for (size_t k = 0; k < json_object_array_length(writes); k++) {
    json_object *wr = json_object_array_get_idx(writes, k);
    ck_assert_int_eq(json_object_array_length(rel_get(wr, "created")), 0);
    changes += json_object_array_length(rel_get(wr, "changes"));
  }
  json_object *list = rel_get(plan, "companies");
  size_t planned = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "status"), "planned") != 0)
      continue;
    planned++;
    long long line = atoll(rel_str(c, "line_id"));
    int n = 0;
    for (size_t k = 0; k < json_object_array_length(writes); k++) {
      json_object *ch =
          rel_get(json_object_array_get_idx(writes, k), "changes");
      for (size_t j = 0; j < json_object_array_length(ch); j++) {
        json_object *e = json_object_array_get_idx(ch, j);
        if (id_of(e, "line") != line)
          continue;
        n++;
        ck_assert_msg(rel_int(e, "from") == rel_int(c, "old_quantity") &&
                          rel_int(e, "to") == rel_int(c, "new_quantity"),
                      "invoice line %lld changed %lld -> %lld, expected %lld "
                      "-> %lld",
                      line, rel_int(e, "from"), rel_int(e, "to"),
                      rel_int(c, "old_quantity"), rel_int(c, "new_quantity"));
      }
    }
    ck_assert_msg(n == 1,
                  "invoice line %lld: %d quantity change(s), expected "
                  "one",
                  line, n);
  }
  ck_assert_msg(changes == planned,
                "HaloPSA recorded %zu change(s) for %zu planned line(s)",
                changes, planned);
}

void rel_assert_applied_once(rel_world *w, json_object *plan) {
  json_object *state = rel_state(w, REL_PSA);
  if (w->opt.psa == REL_HALOPSA) {
    halo_applied_once(state, plan);
    json_object_put(state);
    return;
  }
  json_object *list = rel_get(plan, "companies");
  size_t planned = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (!is_planned(c))
      continue;
    planned++;
    const char *line = rel_str(c, "line_id");
    long long delta = rel_int(c, "new_quantity") - rel_int(c, "old_quantity");
    if (w->opt.psa == REL_AUTOTASK) {
      long long sum;
      int n = rel_at_adjustments(state, line, &sum);
      ck_assert_msg(n == 1 && sum == delta,
                    "contract service %s: %d adjustment(s) summing to %lld; "
                    "expected exactly one of %lld",
                    line, n, sum, delta);
      continue;
    }
    json_object *changes = rel_get(state, "changes");
    int n = 0;
    for (size_t k = 0; k < json_object_array_length(changes); k++) {
      json_object *e = json_object_array_get_idx(changes, k);
      if (id_of(e, "additionId") != atoll(line))
        continue;
      n++;
      ck_assert_msg(rel_int(e, "from") == rel_int(c, "old_quantity") &&
                        rel_int(e, "to") == rel_int(c, "new_quantity"),
                    "addition %s changed %lld -> %lld, expected %lld -> %lld",
                    line, rel_int(e, "from"), rel_int(e, "to"),
                    rel_int(c, "old_quantity"), rel_int(c, "new_quantity"));
    }
    ck_assert_msg(n == 1, "addition %s: %d quantity change(s), expected one",
                  line, n);
  }
  json_object *all =
      rel_get(state, w->opt.psa == REL_AUTOTASK ? "adjustments" : "changes");
  ck_assert_msg(json_object_array_length(all) == planned,
                "the PSA holds %zu change(s) for %zu planned line(s)",
                json_object_array_length(all), planned);
  json_object_put(state);
}

/* A dry run that must end as a normal world does (exit 0 or 1) with at
 * least `min_planned` planned changes. */
static void baseline(rel_world *w, rel_run *base, int min_planned) {
  rel_host(w, base, "--dry-run", NULL);
  ck_assert_msg((base->status == 0 || base->status == 1) &&
                    rel_count_status(base->report, "planned") >= min_planned,
                "the baseline dry run exited %d with %d planned changes (at "
                "least %d needed)",
                base->status, rel_count_status(base->report, "planned"),
                min_planned);
}

static int has_write_failed(json_object *c) {
  return strcmp(rel_str(c, "status"), "error") == 0 &&
         rel_has_rule(rel_get(c, "rules"), "WRITE_FAILED");
}

/* `text` with every "{agreement}" and "{line}" replaced (caller frees). */
static char *fill(const char *text, const char *agreement, const char *line) {
  size_t cap = strlen(text) * 2 + 256, len = 0;
  char *out = malloc(cap);
  ck_assert_ptr_nonnull(out);
  while (*text && len + 64 < cap) {
    const char *value = NULL;
    if (strncmp(text, "{agreement}", 11) == 0)
      value = agreement, text += 11;
    else if (strncmp(text, "{line}", 6) == 0)
      value = line, text += 6;
    if (value)
      len += (size_t)snprintf(out + len, cap - len, "%s", value);
    else
      out[len++] = *text++;
  }
  out[len] = '\0';
  return out;
}

static json_object *first_planned(json_object *report) {
  json_object *list = rel_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++)
    if (is_planned(json_object_array_get_idx(list, i)))
      return json_object_array_get_idx(list, i);
  ck_abort_msg("no planned company");
  return NULL;
}

void rel_scenario_write_fails(const rel_world_opts *o, const char *what,
                              const char *rules, int failed) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base, r, again;
  baseline(&w, &base, failed + 1);
  json_object *first = first_planned(base.report);
  char *filled =
      fill(rules, rel_str(first, "agreement_id"), rel_str(first, "line_id"));
  ck_assert_msg(simproc_set_faults(&w.psa, filled) == 0,
                "%s: the simulator refused %s", what, filled);
  free(filled);
  rel_host(&w, &r, NULL);
  ck_assert_msg(rel_fault_fired(&w, REL_PSA, "f") > 0,
                "%s: the fault never fired", what);
  rel_wait_idle(&w, REL_PSA);
  ck_assert_msg(r.status == 1, "%s: exit %d, expected 1", what, r.status);
  json_object *state = rel_state(&w, REL_PSA);
  json_object *list = rel_get(base.report, "companies");
  int n_failed = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *b = json_object_array_get_idx(list, i);
    if (!is_planned(b))
      continue;
    json_object *c = rel_company(r.report, rel_str(b, "lastpass_id"));
    ck_assert_ptr_nonnull(c);
    const char *line = rel_str(b, "line_id");
    long long have = rel_psa_quantity(&w, state, line);
    if (has_write_failed(c)) {
      n_failed++;
      ck_assert_msg(have == rel_int(b, "old_quantity"),
                    "%s: line %s failed but holds %lld, not %lld", what, line,
                    have, rel_int(b, "old_quantity"));
    } else {
      ck_assert_msg(strcmp(rel_str(c, "status"), "updated") == 0 &&
                        have == rel_int(b, "new_quantity"),
                    "%s: line %s is %s holding %lld; one failed write must "
                    "not stop the others",
                    what, line, rel_str(c, "status"), have);
    }
  }
  ck_assert_msg(n_failed == failed, "%s: %d WRITE_FAILED, expected %d", what,
                n_failed, failed);
  json_object_put(state);

  /* The next run, without the fault, finishes the job exactly once. */
  ck_assert_int_eq(simproc_clear_faults(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_msg(again.status == base.status, "%s: the re-run exited %d", what,
                again.status);
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *b = json_object_array_get_idx(list, i);
    json_object *c = rel_company(r.report, rel_str(b, "lastpass_id"));
    if (is_planned(b) && has_write_failed(c))
      ck_assert_str_eq(
          rel_str(rel_company(again.report, rel_str(b, "lastpass_id")),
                  "status"),
          "updated");
  }
  ck_assert_int_gt(rel_assert_psa_matches(&w, base.report), 0);
  rel_assert_applied_once(&w, base.report);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}

static const char *newest_run_result(rel_world *w) {
  static char result[64];
  json_object *h = rel_history(w, 0);
  json_object *runs = rel_get(h, "runs");
  ck_assert_int_gt(json_object_array_length(runs), 0);
  snprintf(result, sizeof result, "%s",
           rel_str(json_object_array_get_idx(runs, 0), "result"));
  json_object_put(h);
  return result;
}

void rel_scenario_psa_down(const rel_world_opts *o, const char *rules) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base, r, again;
  baseline(&w, &base, 4);
  int planned = rel_count_status(base.report, "planned");
  char *state0 = rel_state_text(&w, REL_PSA);
  ck_assert_int_eq(simproc_set_faults(&w.psa, rules), 0);
  rel_host(&w, &r, NULL);
  rel_wait_idle(&w, REL_PSA);
  ck_assert_msg(r.status == 3, "exit %d, expected 3 (stopped writing)",
                r.status);
  int failed = 0;
  json_object *list = rel_get(r.report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++)
    failed += has_write_failed(json_object_array_get_idx(list, i));
  ck_assert_int_eq(failed, 3);
  ck_assert_int_eq(rel_count_status(r.report, "planned"), planned - 3);
  ck_assert(rel_has_rule(rel_get(r.report, "findings"), "WRITE_FAILED"));
  char *state1 = rel_state_text(&w, REL_PSA);
  ck_assert_msg(strcmp(state0, state1) == 0,
                "the PSA changed although every write failed");
  ck_assert_str_eq(newest_run_result(&w), "stopped");

  ck_assert_int_eq(simproc_clear_faults(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_int_eq(again.status, base.status);
  ck_assert_int_eq(rel_count_status(again.report, "updated"), planned);
  ck_assert_int_gt(rel_assert_psa_matches(&w, base.report), 0);
  rel_assert_applied_once(&w, base.report);
  free(state1);
  free(state0);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}

static void expect_abort_no_write(rel_world *w, const char *state0,
                                  const char *words) {
  rel_run r;
  ck_assert_int_eq(simproc_clear_log(&w->psa), 0);
  rel_host(w, &r, NULL);
  ck_assert_msg(r.status == 3, "exit %d, expected 3; stderr %s", r.status,
                r.err);
  ck_assert_msg(strstr(rel_str(r.report, "aborted"), words),
                "\"aborted\" lacks \"%s\": %s", words,
                rel_str(r.report, "aborted"));
  json_object *log = rel_log(w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  char *state1 = rel_state_text(w, REL_PSA);
  ck_assert_str_eq(state0, state1);
  free(state1);
  rel_run_free(&r);
}

void rel_guardrail_lastpass_empty(const rel_world_opts *o) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base;
  baseline(&w, &base, 1);
  char *state0 = rel_state_text(&w, REL_PSA);
  json_object *lp0 = rel_state(&w, REL_LASTPASS);

  json_object *empty = rel_state(&w, REL_LASTPASS);
  json_object_object_add(empty, "companies", json_object_new_array());
  rel_put_state(&w, REL_LASTPASS, empty);
  json_object_put(empty);
  expect_abort_no_write(&w, state0, "no managed companies");

  rel_put_state(&w, REL_LASTPASS, lp0);
  rel_lp_set_seats(&w, NULL, 0);
  expect_abort_no_write(&w, state0, "zero users");

  json_object_put(lp0);
  free(state0);
  rel_run_free(&base);
  rel_world_stop(&w);
}

/* An active company already in step whose count is at least `min`, other
 * than `not_id`. */
static json_object *in_step_company(json_object *report, long long min,
                                    const char *not_id) {
  json_object *list = rel_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "status"), "unchanged") == 0 &&
        json_object_array_length(rel_get(c, "rules")) == 0 &&
        rel_int(c, "old_quantity") >= min &&
        (!not_id || strcmp(rel_str(c, "lastpass_id"), not_id) != 0))
      return c;
  }
  ck_abort_msg("no company in step with a count of at least %lld", min);
  return NULL;
}

static void expect_held(rel_world *w, json_object *report, const char *id,
                        const char *line, long long keeps) {
  json_object *c = rel_company(report, id);
  ck_assert_ptr_nonnull(c);
  ck_assert_msg(strcmp(rel_str(c, "status"), "held") == 0 &&
                    rel_has_rule(rel_get(c, "rules"), "LARGE_DECREASE"),
                "company %s: %s without LARGE_DECREASE: %s", id,
                rel_str(c, "status"), json_object_to_json_string(c));
  json_object *state = rel_state(w, REL_PSA);
  ck_assert_int_eq(rel_psa_quantity(w, state, line), keeps);
  json_object_put(state);
}

static void expect_set(rel_world *w, json_object *report, const char *id,
                       const char *line, long long to) {
  json_object *c = rel_company(report, id);
  ck_assert_ptr_nonnull(c);
  ck_assert_msg(strcmp(rel_str(c, "status"), "updated") == 0 &&
                    rel_int(c, "new_quantity") == to,
                "company %s: %s to %lld, expected updated to %lld", id,
                rel_str(c, "status"), rel_int(c, "new_quantity"), to);
  json_object *state = rel_state(w, REL_PSA);
  ck_assert_int_eq(rel_psa_quantity(w, state, line), to);
  json_object_put(state);
}

void rel_guardrail_large_decrease(const rel_world_opts *o) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base, r, allowed;
  baseline(&w, &base, 0);
  json_object *a = in_step_company(base.report, 4, NULL);
  json_object *b = in_step_company(base.report, 1, rel_str(a, "lastpass_id"));
  char a_id[32], b_id[32], a_line[32], b_line[32];
  snprintf(a_id, sizeof a_id, "%s", rel_str(a, "lastpass_id"));
  snprintf(b_id, sizeof b_id, "%s", rel_str(b, "lastpass_id"));
  snprintf(a_line, sizeof a_line, "%s", rel_str(a, "line_id"));
  snprintf(b_line, sizeof b_line, "%s", rel_str(b, "line_id"));
  long long a_old = rel_int(a, "old_quantity"),
            b_old = rel_int(b, "old_quantity");
  /* A loses three quarters of its users (max_decrease_percent is 50), B
   * all of them. */
  rel_lp_set_seats(&w, a_id, a_old / 4);
  rel_lp_set_seats(&w, b_id, 0);

  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, 1);
  expect_held(&w, r.report, a_id, a_line, a_old);
  expect_held(&w, r.report, b_id, b_line, b_old);
  ck_assert_int_eq(rel_count_status(r.report, "held"), 2);

  rel_host(&w, &allowed, "--allow-large-decrease", NULL);
  ck_assert_int_eq(allowed.status, base.status);
  expect_set(&w, allowed.report, a_id, a_line, a_old / 4);
  expect_set(&w, allowed.report, b_id, b_line, 0);
  ck_assert_int_eq(rel_count_status(allowed.report, "held"), 0);
  rel_run_free(&allowed);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}

void rel_guardrail_changed_in_psa(const rel_world_opts *o) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run base, first, second;
  baseline(&w, &base, 1);
  json_object *list = rel_get(base.report, "companies"), *p = NULL;
  for (size_t i = 0; i < json_object_array_length(list) && !p; i++)
    if (is_planned(json_object_array_get_idx(list, i)))
      p = json_object_array_get_idx(list, i);
  char id[32], line[32];
  snprintf(id, sizeof id, "%s", rel_str(p, "lastpass_id"));
  snprintf(line, sizeof line, "%s", rel_str(p, "line_id"));
  long long target = rel_int(p, "new_quantity");

  rel_host(&w, &first, NULL);
  ck_assert_int_eq(first.status, base.status);
  expect_set(&w, first.report, id, line, target);

  /* A person edits the count in the PSA between runs. */
  rel_psa_set_quantity(&w, line, target + 5);
  rel_host(&w, &second, NULL);
  ck_assert_int_eq(second.status, base.status);
  json_object *c = rel_company(second.report, id);
  json_object *rules = rel_get(c, "rules");
  ck_assert_msg(rel_has_rule(rules, "CHANGED_IN_PSA"),
                "company %s was changed by a person but the report says "
                "nothing: %s",
                id, json_object_to_json_string(c));
  ck_assert_int_eq(rel_int(c, "old_quantity"), target + 5);
  expect_set(&w, second.report, id, line, target);
  /* Nobody touched the others. */
  list = rel_get(second.report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *o2 = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(o2, "lastpass_id"), id) != 0)
      ck_assert_msg(!rel_has_rule(rel_get(o2, "rules"), "CHANGED_IN_PSA"),
                    "company %s reported CHANGED_IN_PSA: %s",
                    rel_str(o2, "lastpass_id"), json_object_to_json_string(o2));
  }
  rel_run_free(&second);
  rel_run_free(&first);
  rel_run_free(&base);
  rel_world_stop(&w);
}
