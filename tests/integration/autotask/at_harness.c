/* SPDX-License-Identifier: MIT */
/*
 * at_harness.c — the Autotask driver test harness (see at_harness.h).
 */
#include "at_harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_check(void *arg, const char *what, int ok, const char *detail) {
  at_harness *h = arg;
  if (h->n_checks >= (int)(sizeof h->checks / sizeof h->checks[0]))
    return;
  at_check_seen *c = &h->checks[h->n_checks++];
  snprintf(c->what, sizeof c->what, "%s", what);
  snprintf(c->detail, sizeof c->detail, "%s", detail ? detail : "");
  c->ok = ok;
}

int at_reopen(at_harness *h, const char *const *kv, char *err, size_t errlen) {
  lpsa_config_value cfg[16];
  size_t n = 0;
  for (size_t i = 0; kv && kv[i] && kv[i + 1] && n < 16; i += 2) {
    cfg[n].key = kv[i];
    cfg[n].value = kv[i + 1];
    cfg[n++].line = 0;
  }
  if (h->ctx)
    h->drv.desc->close(h->ctx);
  h->ctx = NULL;
  return host_open_driver(&h->host, h->drv.desc, cfg, n, &h->ctx, err, errlen);
}

void at_start(at_harness *h, const char *const *sim_args,
              const char *const *extra) {
  char err[1024];
  memset(h, 0, sizeof *h);
  ck_assert_msg(
      simproc_start(&h->sim, "autotask-sim", sim_args, err, sizeof err) == 0,
      "%s", err);
  const char *level = getenv("AT_TEST_DEBUG");
  h->log = log_new(stderr, level ? LPSA_LOG_DEBUG : LPSA_LOG_ERROR);
  ck_assert_ptr_nonnull(h->log);
  http_options opt;
  http_options_default(&opt);
  opt.max_concurrency = 4;
  opt.backoff_base_ms = 20; /* the thread-limit 429 is retried quickly */
  opt.backoff_max_ms = 200;
  opt.timeout_ms = 20000;
  h->http = http_client_new(&opt, h->log);
  ck_assert_ptr_nonnull(h->http);
  host_init(&h->host, h->log, h->http);
  h->host.check_fn = on_check;
  h->host.check_arg = h;
  char path[1024];
  snprintf(path, sizeof path, "%s/autotask.so",
           getenv("LPSA_DRIVER_DIR") ? getenv("LPSA_DRIVER_DIR") : ".");
  ck_assert_msg(loader_load_file(path, "autotask", &h->drv, err, sizeof err) ==
                    LPSA_OK,
                "%s", err);
  snprintf(h->lookup_url, sizeof h->lookup_url, "%s/atservicesrest",
           h->sim.base_url);
  const char *kv[32] = {
      "zone_lookup_url", h->lookup_url, "username",         AT_USER,
      "secret",          AT_SECRET,     "integration_code", AT_CODE};
  size_t n = 8;
  for (size_t i = 0; extra && extra[i] && n < 30; i++)
    kv[n++] = extra[i];
  kv[n] = NULL;
  ck_assert_msg(at_reopen(h, kv, err, sizeof err) == LPSA_OK, "%s", err);
}

void at_stop(at_harness *h) {
  if (h->ctx)
    h->drv.desc->close(h->ctx);
  h->ctx = NULL;
  loader_unload(&h->drv);
  http_client_free(h->http);
  log_free(h->log);
  ck_assert_int_eq(simproc_stop(&h->sim), 0);
}

int at_snapshot_run(at_harness *h, const lpsa_snapshot_request *req,
                    lpsa_snapshot **out, char *err, size_t errlen) {
  *out = snapshot_new(req);
  ck_assert_ptr_nonnull(*out);
  err[0] = '\0';
  return h->drv.desc->snapshot(h->ctx, req, *out, err, errlen);
}

static int matches(json_object *e, const char *method, const char *part) {
  json_object *m, *p;
  return json_object_object_get_ex(e, "method", &m) &&
         json_object_object_get_ex(e, "path", &p) &&
         strcmp(json_object_get_string(m), method) == 0 &&
         strstr(json_object_get_string(p), part) != NULL;
}

int at_log_count(at_harness *h, const char *method, const char *part) {
  json_object *log = simproc_log(&h->sim);
  ck_assert_ptr_nonnull(log);
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++)
    n += matches(json_object_array_get_idx(log, i), method, part);
  json_object_put(log);
  return n;
}

json_object *at_log_last_body(at_harness *h, const char *method,
                              const char *part) {
  json_object *log = simproc_log(&h->sim), *body = NULL;
  ck_assert_ptr_nonnull(log);
  for (size_t i = json_object_array_length(log); i-- > 0;) {
    json_object *e = json_object_array_get_idx(log, i), *b;
    if (matches(e, method, part) && json_object_object_get_ex(e, "body", &b)) {
      body = json_tokener_parse(json_object_get_string(b));
      break;
    }
  }
  json_object_put(log);
  return body;
}

int at_stat_max_inflight(at_harness *h, const char *key) {
  json_object *st = simproc_stats(&h->sim), *eps, *e, *m;
  int v = -1;
  if (st && json_object_object_get_ex(st, "endpoints", &eps) &&
      json_object_object_get_ex(eps, key, &e) &&
      json_object_object_get_ex(e, "max_inflight", &m))
    v = json_object_get_int(m);
  json_object_put(st);
  return v;
}

void at_faults(at_harness *h, const char *rules) {
  ck_assert_int_eq(simproc_set_faults(&h->sim, rules), 0);
}

const snap_company *at_company(const lpsa_snapshot *s, const char *id) {
  long i = snapshot_find_company(s, id);
  return i < 0 ? NULL : &s->companies[i];
}
const snap_agreement *at_agreement(const lpsa_snapshot *s, const char *id) {
  long i = snapshot_find_agreement(s, id);
  return i < 0 ? NULL : &s->agreements[i];
}
const snap_line *at_line(const lpsa_snapshot *s, const char *id) {
  long i = snapshot_find_line(s, id);
  return i < 0 ? NULL : &s->lines[i];
}
