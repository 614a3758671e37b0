/* SPDX-License-Identifier: MIT */
/*
 * test_at_sim.c — autotask-sim as a separate process, over HTTP, the way the
 * Autotask driver will meet it: zone discovery with and without the trailing
 * slash, 401 in plain text, the 3-thread limit per entity (real concurrent
 * requests held by injected latency), paging by absolute nextPageUrl, the
 * hourly request budget, adjustments and the dataset in /_sim/state,
 * permission denial, domain faults through /_sim/faults, date styles and
 * option errors.
 */
#include <check.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simproc.h"

#define ROOT "/atservicesrest/v1.0"
#define USER_H "UserName: api@demo.example"
#define SECRET_H "Secret: demosecret"
#define CODE_H "ApiIntegrationCode: DEMOCODE"

static const char *const auth[] = {USER_H, SECRET_H, CODE_H,
                                   "Content-Type: application/json", NULL};

static void fixture_path(char *out, size_t cap, const char *name) {
  const char *src = getenv("LPSA_SOURCE_DIR");
  snprintf(out, cap, "%s/tests/sim/autotask/fixtures/%s", src ? src : ".",
           name);
}

static void start(simproc *sp, const char *const *args) {
  char err[512];
  ck_assert_msg(simproc_start(sp, "autotask-sim", args, err, sizeof err) == 0,
                "%s", err);
}

static void start_small(simproc *sp, const char *extra) {
  char path[1024];
  fixture_path(path, sizeof path, "small.json");
  const char *args[] = {"--fixture", path, extra, NULL};
  start(sp, args);
}

typedef struct reply {
  long status;
  json_object *json;
  char type[128];
  char *text;
  char *headers;
} reply;

static reply send_url(const char *method, const char *url, const char *body,
                      const char *const *headers) {
  simproc_http_result r;
  reply out = {0, NULL, "", NULL, NULL};
  ck_assert_int_eq(simproc_http(method, url, headers, body, 0, &r), 0);
  out.status = r.status;
  snprintf(out.type, sizeof out.type, "%s", r.content_type);
  if (r.body) {
    out.json = json_tokener_parse(r.body);
    out.text = strdup(r.body);
  }
  if (r.headers)
    out.headers = strdup(r.headers);
  simproc_http_result_free(&r);
  return out;
}

static reply api(const simproc *sp, const char *method, const char *path,
                 const char *body) {
  char url[4096];
  snprintf(url, sizeof url, "%s%s", sp->base_url, path);
  return send_url(method, url, body, auth);
}

static void reply_free(reply *r) {
  json_object_put(r->json);
  free(r->text);
  free(r->headers);
}

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(o, key, &v);
  return v;
}

/* ---- zone discovery and credentials -------------------------------------- */

static void check_zone(const char *flag, const char *suffix) {
  simproc sp;
  start_small(&sp, flag);
  char url[512], want[512];
  snprintf(url, sizeof url,
           "%s" ROOT "/zoneInformation?user=api%%40demo.example", sp.base_url);
  reply r = send_url("GET", url, NULL, NULL); /* no credentials needed */
  ck_assert_int_eq(r.status, 200);
  snprintf(want, sizeof want, "%s/atservicesrest%s", sp.base_url, suffix);
  ck_assert_str_eq(json_object_get_string(get(r.json, "url")), want);
  ck_assert_ptr_nonnull(get(r.json, "zoneName"));
  ck_assert_ptr_nonnull(get(r.json, "webUrl"));
  ck_assert_ptr_nonnull(get(r.json, "ci"));
  reply_free(&r);
  snprintf(url, sizeof url,
           "%s" ROOT "/zoneInformation?user=nobody%%40demo.example",
           sp.base_url);
  r = send_url("GET", url, NULL, NULL);
  ck_assert_int_eq(r.status, 500);
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}

START_TEST(zone_with_and_without_slash) {
  check_zone(NULL, "/");
  check_zone("--zone-url-no-slash", "");
}
END_TEST

START_TEST(credentials_plain_text_401) {
  simproc sp;
  start_small(&sp, NULL);
  char url[512];
  snprintf(url, sizeof url, "%s" ROOT "/Companies/1000", sp.base_url);
  const char *const wrong[] = {USER_H, "Secret: guess", CODE_H, NULL};
  reply r = send_url("GET", url, NULL, wrong);
  ck_assert_int_eq(r.status, 401);
  ck_assert_ptr_nonnull(strstr(r.type, "text/plain"));
  ck_assert_ptr_nonnull(r.text);
  ck_assert_ptr_null(r.json);
  reply_free(&r);
  r = send_url("GET", url, NULL, NULL);
  ck_assert_int_eq(r.status, 401);
  reply_free(&r);
  const char *const other_spelling[] = {USER_H, SECRET_H,
                                        "ApiIntegrationcode: DEMOCODE", NULL};
  r = send_url("GET", url, NULL, other_spelling);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(
      json_object_get_string(get(get(r.json, "item"), "companyName")),
      "O'Brien & Sons Plumbing");
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- the thread limit
 * -------------------------------------------------------- */

typedef struct par {
  const simproc *sp;
  const char *path;
  long status;
  char body[512];
  int retry_after;
} par;

static void *par_query(void *arg) {
  par *p = arg;
  char url[512];
  simproc_http_result r;
  snprintf(url, sizeof url, "%s%s", p->sp->base_url, p->path);
  if (simproc_http("POST", url, auth,
                   "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                   "\"MaxRecords\":1}",
                   20000, &r) == 0) {
    char v[64];
    p->status = r.status;
    snprintf(p->body, sizeof p->body, "%s", r.body ? r.body : "");
    p->retry_after = simproc_http_header(&r, "Retry-After", v, sizeof v) == 0;
  }
  simproc_http_result_free(&r);
  return NULL;
}

static void run_parallel(const simproc *sp, const char *const *paths, par *p,
                         int n) {
  pthread_t t[8];
  for (int i = 0; i < n; i++) {
    p[i] = (par){sp, paths[i], 0, "", 0};
    ck_assert_int_eq(pthread_create(&t[i], NULL, par_query, &p[i]), 0);
  }
  for (int i = 0; i < n; i++)
    pthread_join(t[i], NULL);
}

START_TEST(thread_limit_per_entity) {
  simproc sp;
  /* every request is held for a second, so the four overlap */
  const char *args[] = {"--latency-ms", "1000", NULL};
  start(&sp, args);
  const char *same[] = {ROOT "/Contracts/query", ROOT "/Contracts/query",
                        ROOT "/Contracts/query", ROOT "/Contracts/query"};
  par p[4];
  run_parallel(&sp, same, p, 4);
  int refused = 0, ok = 0;
  for (int i = 0; i < 4; i++) {
    if (p[i].status == 429) {
      refused++;
      ck_assert_ptr_nonnull(
          strstr(p[i].body, "thread threshold of 3 threads has been exceeded"));
      ck_assert(!p[i].retry_after);
    } else {
      ck_assert_int_eq(p[i].status, 200);
      ok++;
    }
  }
  ck_assert_int_eq(refused, 1);
  ck_assert_int_eq(ok, 3);
  /* the limit is per entity: 2 + 2 on two entities all pass */
  const char *mixed[] = {ROOT "/Contracts/query", ROOT "/Companies/query",
                         ROOT "/Contracts/query", ROOT "/Companies/query"};
  run_parallel(&sp, mixed, p, 4);
  for (int i = 0; i < 4; i++)
    ck_assert_int_eq(p[i].status, 200);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- paging -----------------------------------------------------------------
 */

START_TEST(paging_by_next_page_url) {
  simproc sp;
  const char *args[] = {"--generate", "1100",       "--seed", "5",
                        "--now",      "2026-11-15", NULL};
  start(&sp, args);
  const char *search = "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                       "\"IncludeFields\":[\"id\",\"companyName\"]}";
  reply r = api(&sp, "POST", ROOT "/Companies/query", search);
  int pages = 0, total = 0;
  long last = 0;
  for (;;) {
    ck_assert_int_eq(r.status, 200);
    pages++;
    json_object *items = get(r.json, "items");
    for (size_t i = 0; i < json_object_array_length(items); i++) {
      long id =
          json_object_get_int64(get(json_object_array_get_idx(items, i), "id"));
      ck_assert_int_gt(id, last);
      last = id;
    }
    total += (int)json_object_array_length(items);
    json_object *next = get(get(r.json, "pageDetails"), "nextPageUrl");
    if (json_object_is_type(next, json_type_null))
      break;
    char *url = strdup(json_object_get_string(next));
    /* absolute, on the simulator itself */
    ck_assert_int_eq(strncmp(url, sp.base_url, strlen(sp.base_url)), 0);
    /* a GET of a POST query's next page is refused, as by Autotask */
    if (pages == 1) {
      reply_free(&r);
      r = send_url("GET", url, NULL, auth);
      ck_assert_int_eq(r.status, 405);
    }
    reply_free(&r);
    r = send_url("POST", url, search, auth);
    free(url);
    ck_assert_int_lt(pages, 10);
  }
  reply_free(&r);
  /* 1100 world companies and 111 outside the world */
  ck_assert_int_eq(total, 1211);
  ck_assert_int_eq(pages, 3);
  r = api(&sp, "POST", ROOT "/Companies/query/count",
          "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}]}");
  ck_assert_int_eq(json_object_get_int(get(r.json, "queryCount")), 1211);
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- the request budget
 * -------------------------------------------------------- */

START_TEST(request_budget) {
  simproc sp;
  char path[1024];
  fixture_path(path, sizeof path, "small.json");
  const char *args[] = {"--fixture", path, "--threshold", "5", NULL};
  start(&sp, args);
  for (int i = 0; i < 4; i++) {
    reply r = api(&sp, "GET", ROOT "/Companies/1000", NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
  }
  reply r = api(&sp, "GET", ROOT "/ThresholdInformation", NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(
      json_object_get_int(get(r.json, "currentTimeframeRequestCount")), 5);
  ck_assert_int_eq(json_object_get_int(get(r.json, "externalRequestThreshold")),
                   5);
  reply_free(&r);
  r = api(&sp, "GET", ROOT "/Companies/1000", NULL);
  ck_assert_int_eq(r.status, 429);
  ck_assert_ptr_nonnull(get(r.json, "errors"));
  reply_free(&r);
  json_object *b = simproc_get_json(&sp, "/_sim/budget");
  ck_assert_int_eq(json_object_get_int(get(b, "count")), 6);
  json_object_put(b);
  ck_assert_int_eq(simproc_send_json(&sp, "DELETE", "/_sim/budget", NULL), 0);
  r = api(&sp, "GET", ROOT "/Companies/1000", NULL);
  ck_assert_int_eq(r.status, 200);
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- adjustments and the dataset
 * -------------------------------------------------- */

static json_object *find_adjustment(json_object *state, int contract) {
  json_object *log = get(state, "adjustments");
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *a = json_object_array_get_idx(log, i);
    if (json_object_get_int(get(a, "contractID")) == contract)
      return a;
  }
  return NULL;
}

START_TEST(adjustments_and_state) {
  simproc sp;
  start_small(&sp, NULL);
  reply r = api(&sp, "POST", ROOT "/ContractServiceAdjustments",
                "{\"contractID\":2001,\"serviceID\":30001,"
                "\"contractServiceID\":5001,\"effectiveDate\":"
                "\"2026-11-01T00:00:00Z\",\"unitChange\":-2,"
                "\"adjustedUnitPrice\":null}");
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_gt(json_object_get_int(get(r.json, "itemId")), 0);
  reply_free(&r);
  /* the row covering today now says 10 */
  r = api(&sp, "POST", ROOT "/ContractServiceUnits/query",
          "{\"filter\":[{\"op\":\"eq\",\"field\":\"contractServiceID\","
          "\"value\":5001},{\"op\":\"lte\",\"field\":\"startDate\",\"value\":"
          "\"2026-11-15\"},{\"op\":\"gte\",\"field\":\"endDate\",\"value\":"
          "\"2026-11-15\"}]}");
  ck_assert_int_eq(json_object_array_length(get(r.json, "items")), 1);
  ck_assert_int_eq(
      json_object_get_int(
          get(json_object_array_get_idx(get(r.json, "items"), 0), "units")),
      10);
  reply_free(&r);
  /* a service the contract lacks is created, and that is visible */
  r = api(&sp, "POST", ROOT "/Contracts/2011/ServiceAdjustments",
          "{\"serviceID\":30002,\"effectiveDate\":\"2026-11-01\","
          "\"unitChange\":3}");
  ck_assert_int_eq(r.status, 200);
  reply_free(&r);
  json_object *state = simproc_get_state(&sp);
  ck_assert_ptr_nonnull(state);
  json_object *a1 = find_adjustment(state, 2001),
              *a2 = find_adjustment(state, 2011);
  ck_assert_ptr_nonnull(a1);
  ck_assert_ptr_nonnull(a2);
  ck_assert(!json_object_get_boolean(get(a1, "createdContractService")));
  ck_assert(json_object_get_boolean(get(a2, "createdContractService")));
  ck_assert_int_eq(json_object_get_int(get(a1, "unitChange")), -2);
  ck_assert_ptr_nonnull(get(state, "contractServiceUnits"));
  /* the request log has both posts */
  json_object *log = simproc_log(&sp);
  int posts = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    posts += strcmp(json_object_get_string(get(e, "method")), "POST") == 0 &&
             strstr(json_object_get_string(get(e, "path")), "Adjustments");
  }
  ck_assert_int_eq(posts, 2);
  json_object_put(log);
  /* PUT the state back with the adjustments denied */
  json_object_object_add(
      state, "denied", json_tokener_parse("[\"ContractServiceAdjustments\"]"));
  ck_assert_int_eq(simproc_put_state(&sp, json_object_to_json_string(state)),
                   0);
  json_object_put(state);
  r = api(&sp, "POST", ROOT "/ContractServiceAdjustments",
          "{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
          "\"2026-11-01\",\"unitChange\":1}");
  ck_assert_int_eq(r.status, 500);
  ck_assert_ptr_nonnull(
      strstr(r.text, "does not have the adequate permissions"));
  reply_free(&r);
  /* the state survived the round trip: the earlier change is still there */
  r = api(&sp, "POST", ROOT "/ContractServiceUnits/query/count",
          "{\"filter\":[{\"op\":\"eq\",\"field\":\"contractServiceID\","
          "\"value\":5001},{\"op\":\"eq\",\"field\":\"units\",\"value\":10}]}");
  ck_assert_int_gt(json_object_get_int(get(r.json, "queryCount")), 0);
  reply_free(&r);
  /* a broken state is refused and the old one stays */
  ck_assert_int_ne(simproc_put_state(&sp, "{\"contracts\":7}"), 0);
  r = api(&sp, "GET", ROOT "/Contracts/2001", NULL);
  ck_assert_int_eq(json_object_get_int(get(get(r.json, "item"), "id")), 2001);
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- faults, styles, options
 * --------------------------------------------------------- */

START_TEST(domain_fault_rules) {
  simproc sp;
  start_small(&sp, NULL);
  ck_assert_int_eq(simproc_set_faults(&sp,
                                      "[{\"name\":\"loop\",\"path_prefix\":"
                                      "\"" ROOT "/Companies/query\","
                                      "\"action\":\"page_loop\"}]"),
                   0);
  reply r = api(&sp, "POST", ROOT "/Companies/query",
                "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                "\"MaxRecords\":20}");
  ck_assert_int_eq(r.status, 200);
  /* all 13 fit in one page, yet the next page is announced: page 1 again */
  json_object *next = get(get(r.json, "pageDetails"), "nextPageUrl");
  ck_assert(json_object_is_type(next, json_type_string));
  char *url = strdup(json_object_get_string(next));
  reply_free(&r);
  ck_assert_int_eq(simproc_clear_faults(&sp), 0);
  r = send_url("POST", url,
               "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
               "\"MaxRecords\":20}",
               auth);
  free(url);
  ck_assert_int_eq(
      json_object_get_int(
          get(json_object_array_get_idx(get(r.json, "items"), 0), "id")),
      1000);
  reply_free(&r);
  ck_assert_int_eq(
      simproc_set_faults(&sp, "{\"name\":\"types\",\"path_prefix\":\"" ROOT
                              "/ContractServiceUnits\",\"action\":"
                              "\"wrong_types\"}"),
      0);
  r = api(&sp, "POST", ROOT "/ContractServiceUnits/query",
          "{\"filter\":[{\"op\":\"eq\",\"field\":\"contractServiceID\","
          "\"value\":5001}]}");
  ck_assert(json_object_is_type(
      get(json_object_array_get_idx(get(r.json, "items"), 0), "units"),
      json_type_string));
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(date_styles_and_options) {
  simproc sp;
  char path[1024];
  fixture_path(path, sizeof path, "small.json");
  const char *args[] = {"--fixture", path, "--date-format", "plain", NULL};
  start(&sp, args);
  reply r = api(&sp, "GET", ROOT "/Contracts/2001", NULL);
  ck_assert_str_eq(
      json_object_get_string(get(get(r.json, "item"), "startDate")),
      "2025-03-01T00:00:00");
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  /* a database east or west of UTC writes its own midnight with its
   * offset: the day before the T stays the contract's start */
  static const char *const zones[][2] = {{"east", "2025-03-01T00:00:00+02:00"},
                                         {"west", "2025-03-01T00:00:00-05:00"}};
  for (size_t i = 0; i < 2; i++) {
    const char *zoned[] = {"--fixture", path, "--date-format", zones[i][0],
                           NULL};
    start(&sp, zoned);
    r = api(&sp, "GET", ROOT "/Contracts/2001", NULL);
    ck_assert_str_eq(
        json_object_get_string(get(get(r.json, "item"), "startDate")),
        zones[i][1]);
    reply_free(&r);
    ck_assert_int_eq(simproc_stop(&sp), 0);
  }
  /* picklist numbers move with the offset; absolute URLs follow --base-url */
  const char *more[] = {"--fixture", path,         "--picklist-offset",
                        "50",        "--base-url", "http://127.0.0.1:1/",
                        NULL};
  start(&sp, more);
  r = api(&sp, "GET", ROOT "/Services/entityInformation/fields", NULL);
  json_object *fields = get(r.json, "fields"), *period = NULL;
  for (size_t i = 0; i < json_object_array_length(fields); i++)
    if (strcmp(json_object_get_string(
                   get(json_object_array_get_idx(fields, i), "name")),
               "periodType") == 0)
      period = json_object_array_get_idx(fields, i);
  ck_assert_ptr_nonnull(period);
  json_object *monthly =
      json_object_array_get_idx(get(period, "picklistValues"), 0);
  ck_assert_str_eq(json_object_get_string(get(monthly, "label")), "Monthly");
  ck_assert_str_eq(json_object_get_string(get(monthly, "value")), "54");
  reply_free(&r);
  r = api(&sp, "GET", ROOT "/Services/30001", NULL);
  ck_assert_int_eq(json_object_get_int(get(get(r.json, "item"), "periodType")),
                   54);
  reply_free(&r);
  char url[512];
  snprintf(url, sizeof url,
           "%s" ROOT "/zoneInformation?user=api%%40demo.example", sp.base_url);
  r = send_url("GET", url, NULL, NULL);
  ck_assert_str_eq(json_object_get_string(get(r.json, "url")),
                   "http://127.0.0.1:1/atservicesrest/");
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  const char *bad[] = {"--date-format", "roman", NULL};
  char err[512];
  ck_assert_int_ne(simproc_start(&sp, "autotask-sim", bad, err, sizeof err), 0);
  const char *broken[] = {"--fixture", "/nonexistent/fixture.json", NULL};
  ck_assert_int_ne(simproc_start(&sp, "autotask-sim", broken, err, sizeof err),
                   0);
  const char *bad_now[] = {"--now", "15/11/2026", NULL};
  ck_assert_int_ne(simproc_start(&sp, "autotask-sim", bad_now, err, sizeof err),
                   0);
}
END_TEST

START_TEST(missing_service_fixture) {
  simproc sp;
  char path[1024];
  fixture_path(path, sizeof path, "missing_service.json");
  const char *args[] = {"--fixture", path, NULL};
  start(&sp, args);
  reply r = api(&sp, "POST", ROOT "/Services/query",
                "{\"filter\":[{\"op\":\"beginsWith\",\"field\":\"name\","
                "\"value\":\"lastpass\"}]}");
  ck_assert_int_eq(json_object_array_length(get(r.json, "items")), 1);
  reply_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("at_sim");
  TCase *tc = tcase_create("all");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, zone_with_and_without_slash);
  tcase_add_test(tc, credentials_plain_text_401);
  tcase_add_test(tc, thread_limit_per_entity);
  tcase_add_test(tc, paging_by_next_page_url);
  tcase_add_test(tc, request_budget);
  tcase_add_test(tc, adjustments_and_state);
  tcase_add_test(tc, domain_fault_rules);
  tcase_add_test(tc, date_styles_and_options);
  tcase_add_test(tc, missing_service_fixture);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses curl */
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
