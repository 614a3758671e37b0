/* SPDX-License-Identifier: MIT */
/*
 * test_sim_common.c — the shared simulator framework: options, fault rules,
 * the HTTP server with its request log, latency, in-flight counting, control
 * API and every generic fault action, and the deterministic world generator
 * (library and sim-world program).
 *
 * The server runs in-process with a small echo app; requests go through
 * libcurl (simproc_http) like any client's.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "sim_fault.h"
#include "sim_internal.h"
#include "sim_server.h"
#include "sim_world.h"
#include "simproc.h"

/* ---- the echo app ----------------------------------------------------------
 */

typedef struct echo_app {
  json_object *state;
  int max_inflight_seen;
  int extra; /* set by --extra N */
  int flag;  /* set by --flag */
} echo_app;

static void echo_handle(void *ctx, const sim_request *req, sim_response *resp) {
  echo_app *app = ctx;
  const char *auth = sim_header(req, "X-Test");
  const char *x = sim_query(req, "x");
  json_object *o = json_object_new_object();
  if (req->inflight_same_endpoint > app->max_inflight_seen)
    app->max_inflight_seen = req->inflight_same_endpoint;
  json_object_object_add(o, "method", json_object_new_string(req->method));
  json_object_object_add(o, "path", json_object_new_string(req->path));
  json_object_object_add(o, "query", json_object_new_string(req->query));
  json_object_object_add(o, "body", json_object_new_string(req->body));
  json_object_object_add(o, "x", x ? json_object_new_string(x) : NULL);
  json_object_object_add(o, "xtest",
                         auth ? json_object_new_string(auth) : NULL);
  json_object_object_add(o, "inflight",
                         json_object_new_int(req->inflight_same_endpoint));
  json_object_object_add(o, "key", json_object_new_string(req->endpoint_key));
  json_object_object_add(
      o, "action",
      req->fault_action ? json_object_new_string(req->fault_action) : NULL);
  json_object_object_add(
      o, "padding",
      json_object_new_string("0123456789abcdefghijklmnopqrstuvwxyz"));
  sim_respond_json(resp, strcmp(req->path, "/created") == 0 ? 201 : 200, o);
  sim_add_header(resp, "X-Echo", "yes");
  json_object_put(o);
}

static json_object *echo_state_get(void *ctx) {
  echo_app *app = ctx;
  return json_object_get(app->state);
}

static int echo_state_put(void *ctx, json_object *state, char *err,
                          size_t cap) {
  echo_app *app = ctx;
  if (!json_object_is_type(state, json_type_object)) {
    snprintf(err, cap, "state must be an object");
    return -1;
  }
  json_object_put(app->state);
  app->state = json_object_get(state);
  return 0;
}

static int echo_option(void *ctx, const char *name, const char *value,
                       char *err, size_t cap) {
  echo_app *app = ctx;
  if (strcmp(name, "--flag") == 0) {
    app->flag = 1;
    return SIM_OPT_FLAG;
  }
  if (strcmp(name, "--extra") == 0) {
    if (!value || atoi(value) <= 0) {
      snprintf(err, cap, "--extra needs a positive number");
      return SIM_OPT_ERROR;
    }
    app->extra = atoi(value);
    return SIM_OPT_VALUE;
  }
  return SIM_OPT_UNKNOWN;
}

static sim_app make_app(echo_app *ctx) {
  sim_app app;
  memset(&app, 0, sizeof app);
  app.name = "echo-sim";
  app.ctx = ctx;
  app.handle = echo_handle;
  app.state_get = echo_state_get;
  app.state_put = echo_state_put;
  app.option = echo_option;
  return app;
}

/* A running in-process server. */
typedef struct fixture {
  echo_app ctx;
  sim_app app;
  sim_server *srv;
  char base[64];
  char log_path[256];
} fixture;

static void start(fixture *f, int latency_ms) {
  sim_options opt;
  char err[512];
  memset(f, 0, sizeof *f);
  f->ctx.state = json_object_new_object();
  json_object_object_add(f->ctx.state, "n", json_object_new_int(1));
  f->app = make_app(&f->ctx);
  sim_options_default(&opt);
  opt.latency_ms = latency_ms;
  snprintf(f->log_path, sizeof f->log_path, "/tmp/test_sim_common.%ld.log",
           (long)getpid());
  unlink(f->log_path);
  opt.log_file = f->log_path;
  f->srv = sim_server_start(&opt, &f->app, err, sizeof err);
  ck_assert_msg(f->srv != NULL, "%s", err);
  snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d",
           sim_server_port(f->srv));
}

static void stop(fixture *f) {
  sim_server_stop(f->srv);
  json_object_put(f->ctx.state);
  unlink(f->log_path);
}

static int get(fixture *f, const char *method, const char *path,
               const char *body, long timeout_ms, simproc_http_result *r) {
  char url[512];
  const char *headers[] = {"X-Test: hello", NULL};
  snprintf(url, sizeof url, "%s%s", f->base, path);
  return simproc_http(method, url, headers, body, timeout_ms, r);
}

static json_object *get_json(fixture *f, const char *path) {
  simproc_http_result r;
  ck_assert_int_eq(get(f, "GET", path, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  json_object *o = json_tokener_parse(r.body);
  ck_assert_ptr_nonnull(o);
  simproc_http_result_free(&r);
  return o;
}

static void set_faults(fixture *f, const char *json) {
  simproc_http_result r;
  ck_assert_int_eq(get(f, "POST", "/_sim/faults", json, 0, &r), 0);
  ck_assert_msg(r.status == 200, "faults refused: %s", r.body);
  simproc_http_result_free(&r);
}

static const char *str_member(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v)
                                               : NULL;
}

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ---- options ------------------------------------------------------------- */

START_TEST(options_standard_and_app) {
  echo_app ctx = {0};
  sim_app app = make_app(&ctx);
  sim_options opt;
  char err[256];
  char *argv[] = {"x",
                  "--port",
                  "0",
                  "--port-file=/tmp/p",
                  "--latency-ms",
                  "25",
                  "--generate",
                  "1234",
                  "--seed",
                  "42",
                  "--change-pct",
                  "7",
                  "--extra",
                  "3",
                  "--flag",
                  "--quiet",
                  "--faults",
                  "f.json",
                  "--log",
                  "l.jsonl"};
  ck_assert_int_eq(sim_options_parse(&opt, 20, argv, &app, err, sizeof err), 0);
  ck_assert_int_eq(opt.port, 0);
  ck_assert_str_eq(opt.port_file, "/tmp/p");
  ck_assert_int_eq(opt.latency_ms, 25);
  ck_assert_int_eq(opt.generate, 1234);
  ck_assert_uint_eq(opt.seed, 42);
  ck_assert_int_eq(opt.change_pct, 7);
  ck_assert_int_eq(opt.quiet, 1);
  ck_assert_str_eq(opt.faults_file, "f.json");
  ck_assert_str_eq(opt.log_file, "l.jsonl");
  ck_assert_int_eq(ctx.extra, 3);
  ck_assert_int_eq(ctx.flag, 1);
  ck_assert_ptr_null(opt.fixture);
}
END_TEST

START_TEST(options_errors) {
  echo_app ctx = {0};
  sim_app app = make_app(&ctx);
  sim_options opt;
  char err[256];
  char *bad_port[] = {"x", "--port", "70000"};
  char *unknown[] = {"x", "--bogus", "1"};
  char *missing[] = {"x", "--latency-ms"};
  char *app_bad[] = {"x", "--extra", "-1"};
  char *flag_value[] = {"x", "--quiet=1"};
  ck_assert_int_eq(sim_options_parse(&opt, 3, bad_port, &app, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "--port"));
  ck_assert_int_eq(sim_options_parse(&opt, 3, unknown, &app, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "--bogus"));
  ck_assert_int_eq(sim_options_parse(&opt, 2, missing, &app, err, sizeof err),
                   -1);
  ck_assert_int_eq(sim_options_parse(&opt, 3, app_bad, &app, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "--extra"));
  ck_assert_int_eq(
      sim_options_parse(&opt, 2, flag_value, &app, err, sizeof err), -1);
  /* defaults */
  ck_assert_int_eq(sim_options_parse(&opt, 1, unknown, &app, err, sizeof err),
                   0);
  ck_assert_int_eq(opt.generate, -1);
  ck_assert_uint_eq(opt.seed, 1);
  ck_assert_int_eq(opt.change_pct, 10);
}
END_TEST

/* ---- fault rules ------------------------------------------------------------
 */

static sim_faults *rules(const char *json) {
  char err[256] = "";
  json_object *o = json_tokener_parse(json);
  ck_assert_ptr_nonnull(o);
  sim_faults *f = sim_faults_new();
  ck_assert_msg(sim_faults_set(f, o, err, sizeof err) == 0, "%s", err);
  json_object_put(o);
  return f;
}

START_TEST(fault_after_times_and_filters) {
  sim_fault_hit hit;
  sim_faults *f =
      rules("[{\"name\":\"a\",\"method\":\"GET\",\"path_prefix\":\"/v1/x\","
            "\"after\":2,\"times\":1,\"status\":429},"
            "{\"name\":\"b\",\"query_contains\":\"page=2\",\"action\":\"page_"
            "loop\"}]");
  ck_assert_int_eq(sim_faults_match(f, "GET", "/v1/x", "", &hit), 0);
  ck_assert_int_eq(sim_faults_match(f, "POST", "/v1/x", "", &hit), 0);
  ck_assert_int_eq(sim_faults_match(f, "GET", "/v1/y", "", &hit), 0);
  ck_assert_int_eq(sim_faults_match(f, "GET", "/v1/xyz", "", &hit), 0);
  ck_assert_int_eq(sim_faults_match(f, "get", "/v1/x/1", "", &hit), 1);
  ck_assert_str_eq(hit.name, "a");
  ck_assert_int_eq(hit.kind, SIM_FAULT_ANSWER);
  sim_fault_hit_release(&hit);
  ck_assert_int_eq(sim_faults_match(f, "GET", "/v1/x", "", &hit), 0);
  ck_assert_int_eq(sim_faults_match(f, "GET", "/z", "a=1&page=2", &hit), 1);
  ck_assert_int_eq(hit.kind, SIM_FAULT_APP);
  ck_assert_str_eq(hit.action, "page_loop");
  sim_fault_hit_release(&hit);
  ck_assert_int_eq(sim_faults_match(f, "GET", "/z", "page=2", &hit), 1);
  sim_fault_hit_release(&hit);
  json_object *j = sim_faults_to_json(f);
  json_object *r0 = json_object_array_get_idx(j, 0), *v;
  ck_assert(json_object_object_get_ex(r0, "seen", &v));
  ck_assert_int_eq(json_object_get_int(v), 4);
  ck_assert(json_object_object_get_ex(r0, "fired", &v));
  ck_assert_int_eq(json_object_get_int(v), 1);
  json_object_put(j);
  sim_faults_free(f);
}
END_TEST

START_TEST(fault_kinds_and_defaults) {
  sim_fault_hit hit;
  static const struct {
    const char *action;
    sim_fault_kind kind;
  } cases[] = {{"delay", SIM_FAULT_DELAY},
               {"reset", SIM_FAULT_RESET},
               {"hang", SIM_FAULT_HANG},
               {"truncate", SIM_FAULT_TRUNCATE},
               {"cut", SIM_FAULT_CUT},
               {"malformed", SIM_FAULT_MALFORMED},
               {"slow_body", SIM_FAULT_SLOW_BODY},
               {"oversize", SIM_FAULT_OVERSIZE},
               {"duplicate_ids", SIM_FAULT_APP}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char json[128];
    snprintf(json, sizeof json, "{\"action\":\"%s\"}", cases[i].action);
    sim_faults *f = rules(json);
    ck_assert_int_eq(sim_faults_match(f, "GET", "/", "", &hit), 1);
    ck_assert_int_eq(hit.kind, cases[i].kind);
    if (cases[i].kind == SIM_FAULT_HANG)
      ck_assert_int_eq(hit.delay_ms, 30000);
    if (cases[i].kind == SIM_FAULT_OVERSIZE)
      ck_assert_int_eq(hit.size_mb, 80);
    ck_assert_str_eq(hit.name, "rule0");
    sim_fault_hit_release(&hit);
    sim_faults_free(f);
  }
}
END_TEST

START_TEST(fault_validation) {
  static const char *bad[] = {"42",
                              "[1]",
                              "[{\"after\":-1}]",
                              "[{\"status\":99}]",
                              "[{\"headers\":[1]}]",
                              "[{\"headers\":{\"a\":1}}]",
                              "[{\"body\":3}]",
                              "[{\"method\":7}]",
                              "[{\"times\":\"x\"}]"};
  char err[256];
  sim_faults *f = rules("[{\"name\":\"keep\"}]");
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_object *o = json_tokener_parse(bad[i]);
    err[0] = '\0';
    ck_assert_int_eq(sim_faults_set(f, o, err, sizeof err), -1);
    ck_assert_msg(err[0] != '\0', "no message for %s", bad[i]);
    json_object_put(o);
  }
  sim_fault_hit hit;
  ck_assert_int_eq(sim_faults_match(f, "GET", "/", "", &hit), 1); /* kept */
  ck_assert_str_eq(hit.name, "keep");
  sim_fault_hit_release(&hit);
  sim_faults_free(f);
}
END_TEST

START_TEST(default_endpoint_key) {
  char buf[128];
  sim_request req;
  memset(&req, 0, sizeof req);
  req.method = "PATCH";
  req.path = "/v4_6_release/apis/3.0/finance/agreements/5/additions/9";
  ck_assert_str_eq(
      sim_default_endpoint_key(&req, buf, sizeof buf),
      "PATCH /v4_6_release/apis/3.0/finance/agreements/{id}/additions/{id}");
  req.method = "GET";
  req.path = "/";
  ck_assert_str_eq(sim_default_endpoint_key(&req, buf, sizeof buf), "GET /");
}
END_TEST

/* ---- the server ------------------------------------------------------------
 */

START_TEST(serves_and_logs) {
  fixture f;
  simproc_http_result r;
  char v[64];
  start(&f, 0);
  ck_assert_int_eq(
      get(&f, "POST", "/created/%41?x=a%20b&y=2", "{\"k\":1}", 0, &r), 0);
  /* the path is percent-decoded, the query raw */
  ck_assert_int_eq(r.status, 200);
  json_object *o = json_tokener_parse(r.body);
  ck_assert_str_eq(str_member(o, "path"), "/created/A");
  ck_assert_str_eq(str_member(o, "query"), "x=a%20b&y=2");
  ck_assert_str_eq(str_member(o, "x"), "a b");
  ck_assert_str_eq(str_member(o, "xtest"), "hello");
  ck_assert_str_eq(str_member(o, "body"), "{\"k\":1}");
  ck_assert_str_eq(str_member(o, "key"), "POST /created/A");
  ck_assert_str_eq(r.content_type, "application/json");
  ck_assert_int_eq(simproc_http_header(&r, "x-echo", v, sizeof v), 0);
  ck_assert_str_eq(v, "yes");
  json_object_put(o);
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/created", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 201);
  simproc_http_result_free(&r);

  json_object *log = get_json(&f, "/_sim/log");
  ck_assert_int_eq(json_object_array_length(log), 2);
  json_object *e0 = json_object_array_get_idx(log, 0), *x;
  ck_assert_str_eq(str_member(e0, "method"), "POST");
  ck_assert_str_eq(str_member(e0, "path"), "/created/A");
  ck_assert_str_eq(str_member(e0, "query"), "x=a%20b&y=2");
  ck_assert_str_eq(str_member(e0, "body"), "{\"k\":1}");
  ck_assert(json_object_object_get_ex(e0, "status", &x));
  ck_assert_int_eq(json_object_get_int(x), 200);
  ck_assert(json_object_object_get_ex(e0, "seq", &x));
  ck_assert_int_eq(json_object_get_int(x), 1);
  ck_assert(json_object_object_get_ex(e0, "fault", &x));
  ck_assert_ptr_null(x);
  ck_assert(json_object_object_get_ex(e0, "ts_ms", &x));
  ck_assert(json_object_get_int64(x) > 1600000000000LL);
  json_object_put(log);

  /* the same lines are in the log file already (flushed per request) */
  FILE *lf = fopen(f.log_path, "r");
  char line[8192];
  int lines = 0;
  ck_assert_ptr_nonnull(lf);
  while (fgets(line, sizeof line, lf)) {
    json_object *e = json_tokener_parse(line);
    ck_assert_ptr_nonnull(e);
    ck_assert(json_object_object_get_ex(e, "seq", &x));
    ck_assert_int_eq(json_object_get_int(x), ++lines);
    json_object_put(e);
  }
  fclose(lf);
  ck_assert_int_eq(lines, 2);

  /* control requests are not logged; DELETE clears */
  ck_assert_int_eq(get(&f, "DELETE", "/_sim/log", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  log = get_json(&f, "/_sim/log");
  ck_assert_int_eq(json_object_array_length(log), 0);
  json_object_put(log);
  stop(&f);
}
END_TEST

START_TEST(log_body_truncated) {
  fixture f;
  simproc_http_result r;
  char *big = malloc(10001);
  ck_assert_ptr_nonnull(big);
  memset(big, 'a', 10000);
  big[10000] = '\0';
  start(&f, 0);
  ck_assert_int_eq(get(&f, "PUT", "/big", big, 0, &r), 0);
  simproc_http_result_free(&r);
  json_object *log = get_json(&f, "/_sim/log");
  ck_assert_int_eq(
      strlen(str_member(json_object_array_get_idx(log, 0), "body")), 4096);
  json_object_put(log);
  free(big);
  stop(&f);
}
END_TEST

START_TEST(state_get_put) {
  fixture f;
  simproc_http_result r;
  start(&f, 0);
  json_object *s = get_json(&f, "/_sim/state"), *v;
  ck_assert(json_object_object_get_ex(s, "n", &v));
  ck_assert_int_eq(json_object_get_int(v), 1);
  json_object_put(s);
  ck_assert_int_eq(get(&f, "PUT", "/_sim/state", "{\"n\":2}", 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "PUT", "/_sim/state", "[1]", 0, &r), 0);
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "state must be an object"));
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "PUT", "/_sim/state", "{bad", 0, &r), 0);
  ck_assert_int_eq(r.status, 400);
  simproc_http_result_free(&r);
  s = get_json(&f, "/_sim/state");
  ck_assert(json_object_object_get_ex(s, "n", &v));
  ck_assert_int_eq(json_object_get_int(v), 2);
  json_object_put(s);
  ck_assert_int_eq(get(&f, "GET", "/_sim/nope", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 404);
  simproc_http_result_free(&r);
  stop(&f);
}
END_TEST

START_TEST(fault_answer_with_headers) {
  fixture f;
  simproc_http_result r;
  char v[32];
  start(&f, 0);
  set_faults(&f,
             "[{\"name\":\"lp429\",\"method\":\"GET\",\"path_prefix\":\"/v1\","
             "\"after\":1,\"times\":1,\"status\":429,\"headers\":{\"Retry-"
             "After\":\"1\"},"
             "\"body\":\"{\\\"title\\\":\\\"slow down\\\"}\",\"content_type\":"
             "\"application/problem+json\"}]");
  ck_assert_int_eq(get(&f, "GET", "/v1/a", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/v1/a", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 429);
  ck_assert_str_eq(r.body, "{\"title\":\"slow down\"}");
  ck_assert_str_eq(r.content_type, "application/problem+json");
  ck_assert_int_eq(simproc_http_header(&r, "Retry-After", v, sizeof v), 0);
  ck_assert_str_eq(v, "1");
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/v1/a", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  /* the log names the fault; GET /_sim/faults shows the counters */
  json_object *log = get_json(&f, "/_sim/log"), *x;
  ck_assert_str_eq(str_member(json_object_array_get_idx(log, 1), "fault"),
                   "lp429");
  ck_assert(json_object_object_get_ex(json_object_array_get_idx(log, 1),
                                      "status", &x));
  ck_assert_int_eq(json_object_get_int(x), 429);
  json_object_put(log);
  json_object *rules_now = get_json(&f, "/_sim/faults");
  ck_assert(json_object_object_get_ex(json_object_array_get_idx(rules_now, 0),
                                      "fired", &x));
  ck_assert_int_eq(json_object_get_int(x), 1);
  json_object_put(rules_now);
  /* bad rules are refused with a reason; DELETE removes them */
  ck_assert_int_eq(get(&f, "POST", "/_sim/faults", "[{\"after\":-3}]", 0, &r),
                   0);
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "after"));
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "DELETE", "/_sim/faults", NULL, 0, &r), 0);
  simproc_http_result_free(&r);
  rules_now = get_json(&f, "/_sim/faults");
  ck_assert_int_eq(json_object_array_length(rules_now), 0);
  json_object_put(rules_now);
  stop(&f);
}
END_TEST

START_TEST(fault_reset_and_hang) {
  fixture f;
  simproc_http_result r;
  start(&f, 0);
  set_faults(&f,
             "[{\"name\":\"rst\",\"path_prefix\":\"/r\",\"action\":\"reset\"},"
             "{\"name\":\"hang\",\"path_prefix\":\"/h\",\"action\":\"hang\","
             "\"delay_ms\":2000}]");
  ck_assert_int_eq(get(&f, "GET", "/r", NULL, 0, &r), -1);
  ck_assert_int_eq(r.status, 0);
  ck_assert_int_ne(r.curl_code, 0);
  simproc_http_result_free(&r);
  long long t0 = now_ms();
  ck_assert_int_eq(get(&f, "GET", "/h", NULL, 300, &r), -1);
  ck_assert_int_eq(r.curl_code, 28); /* CURLE_OPERATION_TIMEDOUT */
  ck_assert(now_ms() - t0 < 1900);
  simproc_http_result_free(&r);
  json_object *log = get_json(&f, "/_sim/log"), *x;
  ck_assert_int_eq(json_object_array_length(log), 2);
  ck_assert_str_eq(str_member(json_object_array_get_idx(log, 0), "fault"),
                   "rst");
  ck_assert(json_object_object_get_ex(json_object_array_get_idx(log, 0),
                                      "status", &x));
  ck_assert_int_eq(json_object_get_int(x), 0);
  json_object_put(log);
  /* the reset request is no longer in flight (the hanging one still is) */
  int inflight = -1;
  for (int tries = 0; tries < 100 && inflight != 0; tries++) {
    json_object *st = get_json(&f, "/_sim/stats"), *eps, *ep, *v;
    ck_assert(json_object_object_get_ex(st, "endpoints", &eps));
    ck_assert(json_object_object_get_ex(eps, "GET /r", &ep));
    ck_assert(json_object_object_get_ex(ep, "inflight", &v));
    inflight = json_object_get_int(v);
    json_object_put(st);
    if (inflight)
      usleep(10000);
  }
  ck_assert_int_eq(inflight, 0);
  /* stop must not wait for the hanging request's 2 s */
  t0 = now_ms();
  stop(&f);
  ck_assert(now_ms() - t0 < 1500);
}
END_TEST

START_TEST(fault_body_damage) {
  fixture f;
  simproc_http_result r, ok;
  start(&f, 0);
  ck_assert_int_eq(get(&f, "GET", "/t", NULL, 0, &ok), 0);
  set_faults(&f,
             "[{\"path_prefix\":\"/t\",\"action\":\"truncate\",\"times\":1},"
             "{\"path_prefix\":\"/t\",\"action\":\"malformed\",\"times\":1},"
             "{\"path_prefix\":\"/t\",\"action\":\"cut\",\"times\":1}]");
  ck_assert_int_eq(get(&f, "GET", "/t", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, ok.body_len / 2);
  ck_assert_int_eq(memcmp(r.body, ok.body, r.body_len), 0);
  json_object *o = json_tokener_parse(r.body);
  ck_assert_ptr_null(o); /* a truncated document does not parse */
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/t", NULL, 0, &r), 0);
  ck_assert_str_eq(r.body, "{\"items\":[{\"id\":");
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/t", NULL, 0, &r), -1);
  ck_assert_int_eq(r.curl_code, 18); /* CURLE_PARTIAL_FILE */
  simproc_http_result_free(&r);
  simproc_http_result_free(&ok);
  stop(&f);
}
END_TEST

START_TEST(fault_slow_body_and_delay) {
  fixture f;
  simproc_http_result r, ok;
  start(&f, 0);
  ck_assert_int_eq(get(&f, "GET", "/s", NULL, 0, &ok), 0);
  set_faults(&f,
             "[{\"path_prefix\":\"/s\",\"action\":\"slow_body\",\"times\":1,"
             "\"chunk_bytes\":64,\"delay_ms\":50},"
             "{\"path_prefix\":\"/s\",\"action\":\"delay\",\"delay_ms\":300}]");
  long chunks = (long)((ok.body_len + 63) / 64);
  ck_assert_int_ge(chunks, 3);
  long long t0 = now_ms();
  ck_assert_int_eq(get(&f, "GET", "/s", NULL, 0, &r), 0);
  ck_assert_int_ge(now_ms() - t0, (chunks - 1) * 50);
  ck_assert_uint_eq(r.body_len, ok.body_len);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  t0 = now_ms();
  ck_assert_int_eq(get(&f, "GET", "/s", NULL, 0, &r), 0);
  ck_assert_int_ge(now_ms() - t0, 300);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, ok.body_len);
  simproc_http_result_free(&r);
  simproc_http_result_free(&ok);
  stop(&f);
}
END_TEST

START_TEST(fault_oversize) {
  fixture f;
  simproc_http_result r;
  start(&f, 0);
  set_faults(&f, "[{\"action\":\"oversize\",\"size_mb\":2}]");
  ck_assert_int_eq(get(&f, "GET", "/o", NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_ge(r.body_len, 2u * 1024 * 1024 - 100);
  ck_assert_uint_le(r.body_len, 2u * 1024 * 1024);
  json_object *o = json_tokener_parse(r.body), *items;
  ck_assert_ptr_nonnull(o); /* valid JSON, only too big */
  ck_assert(json_object_object_get_ex(o, "items", &items));
  ck_assert_int_gt(json_object_array_length(items), 20000);
  json_object_put(o);
  simproc_http_result_free(&r);
  stop(&f);
}
END_TEST

START_TEST(fault_app_action) {
  fixture f;
  simproc_http_result r;
  start(&f, 0);
  set_faults(&f, "{\"name\":\"dup\",\"action\":\"duplicate_ids\",\"times\":1}");
  ck_assert_int_eq(get(&f, "GET", "/a", NULL, 0, &r), 0);
  json_object *o = json_tokener_parse(r.body);
  ck_assert_str_eq(str_member(o, "action"), "duplicate_ids");
  json_object_put(o);
  simproc_http_result_free(&r);
  ck_assert_int_eq(get(&f, "GET", "/a", NULL, 0, &r), 0);
  o = json_tokener_parse(r.body);
  ck_assert_ptr_null(str_member(o, "action"));
  json_object_put(o);
  simproc_http_result_free(&r);
  stop(&f);
}
END_TEST

typedef struct par {
  fixture *f;
  char path[64];
  simproc_http_result r;
} par;

static void *par_get(void *arg) {
  par *p = arg;
  get(p->f, "GET", p->path, NULL, 0, &p->r);
  return NULL;
}

static long long run_parallel(fixture *f, int n, const char *path) {
  pthread_t t[8];
  par p[8];
  long long t0 = now_ms();
  for (int i = 0; i < n; i++) {
    p[i].f = f;
    snprintf(p[i].path, sizeof p[i].path, "%s", path);
    ck_assert_int_eq(pthread_create(&t[i], NULL, par_get, &p[i]), 0);
  }
  for (int i = 0; i < n; i++) {
    pthread_join(t[i], NULL);
    ck_assert_int_eq(p[i].r.status, 200);
    simproc_http_result_free(&p[i].r);
  }
  return now_ms() - t0;
}

START_TEST(latency_overlaps_and_inflight) {
  fixture f;
  start(&f, 200);
  long long ms = run_parallel(&f, 4, "/items/7");
  /* serialised latency would need 800 ms */
  ck_assert_int_ge(ms, 200);
  ck_assert_msg(ms < 700, "4 requests with 200 ms latency took %lld ms", ms);
  ck_assert_int_eq(f.ctx.max_inflight_seen, 4);
  json_object *stats = get_json(&f, "/_sim/stats"), *eps, *ep, *v;
  ck_assert(json_object_object_get_ex(stats, "total", &v));
  ck_assert_int_eq(json_object_get_int(v), 4);
  ck_assert(json_object_object_get_ex(stats, "max_inflight", &v));
  ck_assert_int_eq(json_object_get_int(v), 4);
  ck_assert(json_object_object_get_ex(stats, "endpoints", &eps));
  ck_assert(json_object_object_get_ex(eps, "GET /items/{id}", &ep));
  ck_assert(json_object_object_get_ex(ep, "requests", &v));
  ck_assert_int_eq(json_object_get_int(v), 4);
  json_object_put(stats);
  /* latency can be changed at run time; control requests are never delayed */
  simproc_http_result r;
  ck_assert_int_eq(get(&f, "PUT", "/_sim/latency", "{\"ms\":0}", 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  long long t0 = now_ms();
  ck_assert_int_eq(get(&f, "GET", "/items/8", NULL, 0, &r), 0);
  simproc_http_result_free(&r);
  ck_assert(now_ms() - t0 < 150);
  ck_assert_int_eq(get(&f, "DELETE", "/_sim/stats", NULL, 0, &r), 0);
  simproc_http_result_free(&r);
  stats = get_json(&f, "/_sim/stats");
  ck_assert(json_object_object_get_ex(stats, "total", &v));
  ck_assert_int_eq(json_object_get_int(v), 0);
  json_object_put(stats);
  stop(&f);
}
END_TEST

START_TEST(port_file_atomic) {
  char path[128];
  snprintf(path, sizeof path, "/tmp/test_sim_common.%ld.port", (long)getpid());
  ck_assert_int_eq(sim_write_port_file(path, 12345), 0);
  FILE *f = fopen(path, "r");
  char line[32] = "";
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
  fclose(f);
  ck_assert_str_eq(line, "12345\n");
  unlink(path);
  ck_assert_int_eq(sim_write_port_file("/nonexistent-dir/x", 1), -1);
}
END_TEST

/* ---- the world
 * --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

START_TEST(world_deterministic_and_plausible) {
  enum { N = 20000 };
  char(*names)[128] = malloc(sizeof(char[128]) * N);
  int changed = 0, suspended = 0, mfa = 0, odd = 0;
  ck_assert_ptr_nonnull(names);
  for (int i = 0; i < N; i++) {
    sim_world_company a, b;
    sim_world_company_at(42, 10, i, &a);
    sim_world_company_at(42, 10, i, &b);
    ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
    ck_assert_int_eq(a.index, i);
    ck_assert_int_eq(a.lastpass_id, 100000 + i);
    ck_assert_int_eq(a.psa_company_id, 1000 + i);
    ck_assert(a.seats >= 1 && a.seats <= 300);
    ck_assert(a.psa_quantity >= 0);
    ck_assert(a.name[0] != '\0');
    if (a.psa_quantity != a.seats) {
      changed++;
      ck_assert(a.changed);
      /* LastPass seats never a drop over 50% of the PSA count */
      ck_assert_msg(a.seats * 2 >= a.psa_quantity, "company %d: %d -> %d", i,
                    a.psa_quantity, a.seats);
    }
    suspended += a.suspended;
    mfa += a.mfa;
    odd += strpbrk(a.name, "'&\"%,") != NULL;
    /* names compare without the trailing space */
    size_t n = strlen(a.name);
    snprintf(names[i], 128, "%.*s",
             (int)(n && a.name[n - 1] == ' ' ? n - 1 : n), a.name);
  }
  ck_assert_msg(changed > N * 8 / 100 && changed < N * 12 / 100, "changed %d",
                changed);
  ck_assert_msg(suspended > N / 100 && suspended < N * 3 / 100, "suspended %d",
                suspended);
  ck_assert(mfa > N / 5 && mfa < N * 2 / 5);
  ck_assert(odd > N / 10);
  qsort(names, N, 128, cmp_str);
  for (int i = 1; i < N; i++)
    ck_assert_msg(strcmp(names[i - 1], names[i]) != 0, "duplicate name %s",
                  names[i]);
  free(names);
  /* another seed gives another world; change_pct 0 changes nothing */
  int differ = 0;
  for (int i = 0; i < 100; i++) {
    sim_world_company a, b;
    sim_world_company_at(1, 0, i, &a);
    sim_world_company_at(2, 0, i, &b);
    differ += strcmp(a.name, b.name) != 0 || a.seats != b.seats;
    ck_assert_int_eq(a.psa_quantity, a.seats);
  }
  ck_assert_int_gt(differ, 90);
}
END_TEST

/* Parse one CSV record (RFC 4180) of `line` into fields; returns the count. */
static int csv_split(const char *line, char fields[4][160]) {
  int n = 0;
  const char *p = line;
  while (n < 4) {
    size_t k = 0;
    if (*p == '"') {
      for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
        if (*p == '"')
          p++;
        fields[n][k++] = *p;
      }
      if (*p == '"')
        p++;
    } else {
      while (*p && *p != ',' && *p != '\n')
        fields[n][k++] = *p++;
    }
    fields[n++][k] = '\0';
    if (*p != ',')
      break;
    p++;
  }
  return n;
}

START_TEST(world_mapping_csv) {
  char exe[1024], cmd[1400], line[512], fields[4][160];
  ck_assert_msg(simproc_find("sim-world", exe, sizeof exe) == 0,
                "sim-world not built");
  snprintf(cmd, sizeof cmd,
           "'%s' --generate 300 --seed 9 --change-pct 15 --mapping -", exe);
  FILE *p = popen(cmd, "r");
  ck_assert_ptr_nonnull(p);
  ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
  ck_assert_str_eq(line,
                   "lastpass_company_id,psa_company_id,agreement_id,note\n");
  int rows = 0, quoted = 0;
  while (fgets(line, sizeof line, p)) {
    sim_world_company c;
    sim_world_company_at(9, 15, rows, &c);
    ck_assert_int_eq(csv_split(line, fields), 4);
    ck_assert_int_eq(atol(fields[0]), c.lastpass_id);
    ck_assert_int_eq(atol(fields[1]), c.psa_company_id);
    ck_assert_str_eq(fields[2], "");
    ck_assert_str_eq(fields[3], c.name);
    quoted += line[strlen(fields[0]) + strlen(fields[1]) + 3] == '"';
    rows++;
  }
  ck_assert_int_eq(pclose(p), 0);
  ck_assert_int_eq(rows, 300);
  ck_assert_int_gt(quoted, 0);
  /* the library writes the same bytes */
  char *mem = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&mem, &len);
  ck_assert_int_eq(sim_world_write_mapping(m, 9, 15, 2), 0);
  fclose(m);
  sim_world_company c0, c1;
  sim_world_company_at(9, 15, 0, &c0);
  sim_world_company_at(9, 15, 1, &c1);
  ck_assert_int_eq(strncmp(mem, "lastpass_company_id,", 20), 0);
  ck_assert_ptr_nonnull(strstr(mem, "\n100000,1000,,"));
  ck_assert_ptr_nonnull(strstr(mem, "\n100001,1001,,"));
  free(mem);
  /* usage errors exit 2 */
  snprintf(cmd, sizeof cmd, "'%s' --generate x 2>/dev/null", exe);
  p = popen(cmd, "r");
  ck_assert_int_eq(WEXITSTATUS(pclose(p)), 2);
}
END_TEST

START_TEST(csv_field_quoting) {
  char *mem = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&mem, &len);
  sim_world_csv_field(m, "plain");
  fputc('|', m);
  sim_world_csv_field(m, "a,b");
  fputc('|', m);
  sim_world_csv_field(m, "say \"hi\"");
  fputc('|', m);
  sim_world_csv_field(m, "trail ");
  fclose(m);
  ck_assert_str_eq(mem, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"trail \"");
  free(mem);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("sim_common");
  TCase *tc = tcase_create("all");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, options_standard_and_app);
  tcase_add_test(tc, options_errors);
  tcase_add_test(tc, fault_after_times_and_filters);
  tcase_add_test(tc, fault_kinds_and_defaults);
  tcase_add_test(tc, fault_validation);
  tcase_add_test(tc, default_endpoint_key);
  tcase_add_test(tc, serves_and_logs);
  tcase_add_test(tc, log_body_truncated);
  tcase_add_test(tc, state_get_put);
  tcase_add_test(tc, fault_answer_with_headers);
  tcase_add_test(tc, fault_reset_and_hang);
  tcase_add_test(tc, fault_body_damage);
  tcase_add_test(tc, fault_slow_body_and_delay);
  tcase_add_test(tc, fault_oversize);
  tcase_add_test(tc, fault_app_action);
  tcase_add_test(tc, latency_overlaps_and_inflight);
  tcase_add_test(tc, port_file_atomic);
  tcase_add_test(tc, world_deterministic_and_plausible);
  tcase_add_test(tc, world_mapping_csv);
  tcase_add_test(tc, csv_field_quoting);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
