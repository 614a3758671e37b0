/* SPDX-License-Identifier: MIT */
/*
 * test_lastpass_sim.c — the LastPass simulator, driven as a separate process
 * through simproc and libcurl exactly as the lpsa client will drive it:
 * authentication, paging, parameter bounds, filters, billing cycles and
 * reports, users, generic and domain faults, the request log, state
 * replacement, latency and the shared world generator.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "sim_world.h"
#include "simproc.h"

#define AUTH "Authorization: api-key lpkey_demo"
#define BASE "/business/v1"

static const char fixture_json[] =
    "{\"companies\":["
    "{\"id\":11,\"name\":\"Café Müller GmbH\",\"status\":\"active\",\"type\":"
    "\"managed\",\"licenseLimit\":50,\"addons\":[\"mfa\"],\"activeUsers\":12,"
    "\"parentId\":null},"
    "{\"id\":12,\"name\":\"O'Brien & Sons\",\"status\":\"suspended\","
    "\"addons\":[],\"activeUsers\":3},"
    "{\"id\":13,\"name\":\"Acme Reseller\",\"type\":\"managed-msp\","
    "\"addons\":[\"sso\"],\"activeUsers\":40},"
    "{\"id\":14,\"name\":\"acme child\",\"parentId\":13,\"addons\":[\"mfa\","
    "\"sso\"],\"activeUsers\":0}],"
    "\"billingCycle\":{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}"
    "}";

static char fixture_path[256];

static void start_sim(simproc *sp, const char *const *args) {
  char err[512];
  ck_assert_msg(simproc_start(sp, "lastpass-sim", args, err, sizeof err) == 0,
                "%s", err);
}

static void write_fixture(void) {
  snprintf(fixture_path, sizeof fixture_path, "/tmp/test_lastpass_sim.%ld.json",
           (long)getpid());
  FILE *f = fopen(fixture_path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(fixture_json, f);
  fclose(f);
}

static void start_fixture(simproc *sp) {
  write_fixture();
  const char *args[] = {"--fixture", fixture_path, "--now", "2026-11-15", NULL};
  start_sim(sp, args);
  unlink(fixture_path);
}

/* GET base_url + path with the API key; the parsed body (or NULL). */
static json_object *lp_get(const simproc *sp, const char *path, long *status) {
  char url[4096];
  const char *headers[] = {AUTH, NULL};
  simproc_http_result r;
  snprintf(url, sizeof url, "%s%s", sp->base_url, path);
  simproc_http("GET", url, headers, NULL, 0, &r);
  *status = r.status;
  json_object *o = r.body ? json_tokener_parse(r.body) : NULL;
  simproc_http_result_free(&r);
  return o;
}

static json_object *member(json_object *o, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(o, key, &v);
  return v;
}

static const char *str_of(json_object *o, const char *key) {
  json_object *v = member(o, key);
  return v ? json_object_get_string(v) : NULL;
}

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Assert a 400 problem whose first error points at `param`. */
static void assert_bad_param(const simproc *sp, const char *path,
                             const char *param) {
  long status;
  char pointer[64];
  json_object *o = lp_get(sp, path, &status);
  ck_assert_msg(status == 400, "%s: status %ld", path, status);
  ck_assert_ptr_nonnull(o);
  ck_assert_int_eq(json_object_get_int(member(o, "status")), 400);
  json_object *errors = member(o, "errors");
  ck_assert_msg(errors && json_object_array_length(errors) >= 1, "%s", path);
  snprintf(pointer, sizeof pointer, "#/%s", param);
  ck_assert_str_eq(str_of(json_object_array_get_idx(errors, 0), "pointer"),
                   pointer);
  ck_assert_ptr_nonnull(str_of(json_object_array_get_idx(errors, 0), "detail"));
  json_object_put(o);
}

/* Follow every page of `first` (a path with '?'); returns every item in one
 * array and the number of pages. */
static json_object *all_pages(const simproc *sp, const char *first, int *pages,
                              int null_last) {
  char path[2048];
  json_object *all = json_object_new_array();
  long status;
  *pages = 0;
  snprintf(path, sizeof path, "%s", first);
  for (;;) {
    json_object *o = lp_get(sp, path, &status);
    ck_assert_msg(status == 200, "%s: %ld", path, status);
    json_object *items = member(o, "items"), *tok;
    ck_assert_ptr_nonnull(items);
    for (size_t i = 0; i < json_object_array_length(items); i++)
      json_object_array_add(
          all, json_object_get(json_object_array_get_idx(items, i)));
    (*pages)++;
    ck_assert_int_lt(*pages, 200);
    int has = json_object_object_get_ex(o, "nextPageToken", &tok);
    if (!tok) {
      /* companies say null on the last page; the reports leave it out */
      ck_assert_int_eq(has, null_last);
      json_object_put(o);
      return all;
    }
    snprintf(path, sizeof path, "%s&page-token=%s", first,
             json_object_get_string(tok));
    json_object_put(o);
  }
}

/* ---- authentication --------------------------------------------------------
 */

START_TEST(auth_problem_details) {
  simproc sp;
  char url[512];
  static const char *const bad[][2] = {
      {NULL, NULL},
      {"Authorization: api-key wrong", NULL},
      {"Authorization: Bearer lpkey_demo", NULL},
      {"Authorization: lpkey_demo", NULL}};
  start_sim(&sp, NULL);
  snprintf(url, sizeof url, "%s" BASE "/managed-companies", sp.base_url);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    simproc_http_result r;
    ck_assert_int_eq(
        simproc_http("GET", url, bad[i][0] ? bad[i] : NULL, NULL, 0, &r), 0);
    ck_assert_int_eq(r.status, 401);
    ck_assert_str_eq(r.content_type, "application/problem+json");
    json_object *o = json_tokener_parse(r.body);
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(str_of(o, "title"), "Unauthorized");
    ck_assert_int_eq(json_object_get_int(member(o, "status")), 401);
    ck_assert_ptr_nonnull(str_of(o, "detail"));
    ck_assert_str_eq(str_of(o, "instance"), BASE "/managed-companies");
    json_object_put(o);
    simproc_http_result_free(&r);
  }
  /* the scheme is case-insensitive; other keys via --api-key */
  const char *ok[] = {"Authorization: API-KEY lpkey_demo", NULL};
  simproc_http_result r;
  ck_assert_int_eq(simproc_http("GET", url, ok, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  const char *args[] = {"--api-key", "lpkey_other", NULL};
  start_sim(&sp, args);
  snprintf(url, sizeof url, "%s" BASE "/managed-companies", sp.base_url);
  ck_assert_int_eq(simproc_http("GET", url, ok, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 401);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(unknown_paths_and_methods) {
  simproc sp;
  long status;
  char url[512];
  const char *headers[] = {AUTH, NULL};
  simproc_http_result r;
  start_sim(&sp, NULL);
  json_object *o = lp_get(&sp, "/v1/managed-companies", &status);
  ck_assert_int_eq(status, 404); /* the base path /business is required */
  json_object_put(o);
  o = lp_get(&sp, BASE "/managed-companies/abc/users", &status);
  ck_assert_int_eq(status, 404);
  json_object_put(o);
  snprintf(url, sizeof url, "%s" BASE "/managed-companies", sp.base_url);
  ck_assert_int_eq(simproc_http("POST", url, headers, "{}", 0, &r), 0);
  ck_assert_int_eq(r.status, 405);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- paging
 * ------------------------------------------------------------------- */

START_TEST(paging_1234_companies) {
  simproc sp;
  const char *args[] = {"--generate", "1234", "--seed", "5", NULL};
  int pages;
  start_sim(&sp, args);
  json_object *all =
      all_pages(&sp, BASE "/managed-companies?max-results=500", &pages, 1);
  ck_assert_int_eq(pages, 3);
  ck_assert_int_eq(json_object_array_length(all), 1234);
  char *seen = calloc(1234, 1);
  ck_assert_ptr_nonnull(seen);
  for (size_t i = 0; i < 1234; i++) {
    json_object *c = json_object_array_get_idx(all, i);
    long id = (long)json_object_get_int64(member(c, "id"));
    ck_assert(id >= 100000 && id < 101234);
    ck_assert_msg(!seen[id - 100000], "company %ld twice", id);
    seen[id - 100000] = 1;
    /* the item shape the project assumes, exactly */
    ck_assert_int_eq(json_object_object_length(c), 6);
    ck_assert_ptr_nonnull(member(c, "name"));
    ck_assert_ptr_nonnull(str_of(c, "status"));
    ck_assert_str_eq(str_of(c, "type"), "managed");
    ck_assert(json_object_is_type(member(c, "licenseLimit"), json_type_int));
    ck_assert(json_object_is_type(member(c, "addons"), json_type_array));
  }
  free(seen);
  json_object_put(all);
  /* the default page is 10 */
  long status;
  json_object *o = lp_get(&sp, BASE "/managed-companies", &status);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 10);
  ck_assert_ptr_nonnull(str_of(o, "nextPageToken"));
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(max_results_bounds) {
  simproc sp;
  long status;
  const char *args[] = {"--generate", "600", NULL};
  start_sim(&sp, args);
  static const char *const bad[] = {"0", "501", "-1",         "abc",
                                    "",  "1.5", "99999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, BASE "/managed-companies?max-results=%s",
             bad[i]);
    assert_bad_param(&sp, path, "max-results");
  }
  json_object *o =
      lp_get(&sp, BASE "/managed-companies?max-results=1", &status);
  ck_assert_int_eq(status, 200);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 1);
  json_object_put(o);
  o = lp_get(&sp, BASE "/managed-companies?max-results=500", &status);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 500);
  json_object_put(o);
  /* billing reports allow 1..50 */
  assert_bad_param(&sp,
                   BASE "/managed-companies-reports/billing-reports?start-date="
                        "2026-11-01&end-date=2026-11-30&max-results=51",
                   "max-results");
  o = lp_get(&sp,
             BASE "/managed-companies-reports/billing-reports?start-date="
                  "2026-11-01&end-date=2026-11-30&max-results=50",
             &status);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 50);
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(page_tokens_are_checked) {
  simproc sp;
  long status;
  const char *args[] = {"--generate", "30", NULL};
  start_sim(&sp, args);
  json_object *o = lp_get(
      &sp, BASE "/managed-companies?max-results=5&status=active", &status);
  char tok[256], path[512];
  snprintf(tok, sizeof tok, "%s", str_of(o, "nextPageToken"));
  json_object_put(o);
  /* the same query continues */
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=5&status=active&page-token=%s",
           tok);
  o = lp_get(&sp, path, &status);
  ck_assert_int_eq(status, 200);
  json_object_put(o);
  /* another query, garbage, a changed dataset: 400 */
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=5&page-token=%s", tok);
  assert_bad_param(&sp, path, "page-token");
  assert_bad_param(&sp, BASE "/managed-companies?page-token=not-ours",
                   "page-token");
  assert_bad_param(&sp, BASE "/managed-companies?page-token=bHAxLjEuMy5mZi4w",
                   "page-token");
  json_object *state = simproc_get_state(&sp);
  ck_assert_int_eq(simproc_put_state(&sp, json_object_to_json_string(state)),
                   0);
  json_object_put(state);
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=5&status=active&page-token=%s",
           tok);
  assert_bad_param(&sp, path, "page-token");
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- filters
 * ------------------------------------------------------------------ */

/* The ids a companies query returns, as "11,12". */
static void ids_of(const simproc *sp, const char *query, char *out,
                   size_t cap) {
  char path[512];
  long status;
  snprintf(path, sizeof path, BASE "/managed-companies?max-results=100%s%s",
           *query ? "&" : "", query);
  json_object *o = lp_get(sp, path, &status);
  ck_assert_msg(status == 200, "%s: %ld", query, status);
  json_object *items = member(o, "items");
  out[0] = '\0';
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s%ld", i ? "," : "",
             (long)json_object_get_int64(
                 member(json_object_array_get_idx(items, i), "id")));
  }
  json_object_put(o);
}

START_TEST(company_filters_and_sort) {
  simproc sp;
  char ids[256];
  static const struct {
    const char *query, *ids;
  } cases[] = {{"", "11,12,13,14"},
               {"status=suspended", "12"},
               {"status=active,suspended", "11,12,13,14"},
               {"status=active", "11,13,14"},
               {"type=managed-msp", "13"},
               {"type=managed", "11,12,14"},
               {"addon=mfa", "11,14"},
               {"addon=sso", "13,14"},
               {"addon=mfa,sso", "11,13,14"},
               {"name=acme%25", "13,14"},
               {"name=%25m%C3%BCller%25", "11"},
               {"name=O%27Brien%20%26%20Sons", "12"},
               {"name=O%27Brien", ""},
               {"parent-id=13", "14"},
               {"sort=name", "14,13,11,12"},
               {"sort=-name", "12,11,13,14"},
               {"sort=name:desc", "12,11,13,14"},
               {"sort=-id", "14,13,12,11"},
               {"sort=id:asc", "11,12,13,14"},
               {"status=active&addon=mfa&sort=-id", "14,11"}};
  start_fixture(&sp);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ids_of(&sp, cases[i].query, ids, sizeof ids);
    ck_assert_msg(strcmp(ids, cases[i].ids) == 0, "%s gave %s, not %s",
                  cases[i].query, ids, cases[i].ids);
  }
  assert_bad_param(&sp, BASE "/managed-companies?status=deleted", "status");
  assert_bad_param(&sp, BASE "/managed-companies?type=msp", "type");
  assert_bad_param(&sp, BASE "/managed-companies?addon=mfa,x", "addon");
  assert_bad_param(&sp, BASE "/managed-companies?parent-id=x", "parent-id");
  assert_bad_param(&sp, BASE "/managed-companies?sort=size", "sort");
  /* the item fields come from the fixture */
  long status;
  json_object *o =
      lp_get(&sp, BASE "/managed-companies?status=suspended", &status);
  json_object *c = json_object_array_get_idx(member(o, "items"), 0);
  ck_assert_str_eq(str_of(c, "name"), "O'Brien & Sons");
  ck_assert_str_eq(str_of(c, "status"), "suspended");
  ck_assert(member(c, "licenseLimit") == NULL);
  ck_assert_int_eq(json_object_array_length(member(c, "addons")), 0);
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- billing
 * ------------------------------------------------------------------- */

START_TEST(billing_cycles) {
  simproc sp;
  long status;
  const char *args[] = {"--now", "2024-03-15", NULL};
  start_sim(&sp, args);
  json_object *o = lp_get(
      &sp, BASE "/managed-companies-reports/billing-cycles?number-of-cycles=3",
      &status);
  ck_assert_int_eq(status, 200);
  ck_assert(json_object_is_type(o, json_type_array));
  ck_assert_int_eq(json_object_array_length(o), 3);
  static const char *const want[][2] = {{"2024-03-01", "2024-03-31"},
                                        {"2024-02-01", "2024-02-29"},
                                        {"2024-01-01", "2024-01-31"}};
  for (int i = 0; i < 3; i++) {
    json_object *c = json_object_array_get_idx(o, (size_t)i);
    ck_assert_str_eq(str_of(c, "startDate"), want[i][0]);
    ck_assert_str_eq(str_of(c, "endDate"), want[i][1]);
  }
  json_object_put(o);
  o = lp_get(&sp, BASE "/managed-companies-reports/billing-cycles", &status);
  ck_assert_int_eq(json_object_array_length(o), 1);
  json_object_put(o);
  o = lp_get(
      &sp, BASE "/managed-companies-reports/billing-cycles?number-of-cycles=12",
      &status);
  ck_assert_str_eq(str_of(json_object_array_get_idx(o, 11), "startDate"),
                   "2023-04-01");
  json_object_put(o);
  assert_bad_param(
      &sp, BASE "/managed-companies-reports/billing-cycles?number-of-cycles=0",
      "number-of-cycles");
  assert_bad_param(
      &sp, BASE "/managed-companies-reports/billing-cycles?number-of-cycles=13",
      "number-of-cycles");
  ck_assert_int_eq(simproc_stop(&sp), 0);
  /* a fixture's billingCycle is the current one */
  start_fixture(&sp);
  o = lp_get(
      &sp, BASE "/managed-companies-reports/billing-cycles?number-of-cycles=2",
      &status);
  ck_assert_str_eq(str_of(json_object_array_get_idx(o, 0), "startDate"),
                   "2026-11-01");
  ck_assert_str_eq(str_of(json_object_array_get_idx(o, 0), "endDate"),
                   "2026-11-30");
  ck_assert_str_eq(str_of(json_object_array_get_idx(o, 1), "startDate"),
                   "2026-10-01");
  ck_assert_str_eq(str_of(json_object_array_get_idx(o, 1), "endDate"),
                   "2026-10-31");
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(billing_reports_paging) {
  simproc sp;
  int pages;
  const char *args[] = {"--generate",   "1234", "--seed", "8",
                        "--change-pct", "30",   NULL};
  start_sim(&sp, args);
  json_object *all =
      all_pages(&sp,
                BASE "/managed-companies-reports/billing-reports?start-date="
                     "2026-11-01&end-date=2026-11-30&max-results=50",
                &pages, 0);
  ck_assert_int_eq(pages, 25);
  ck_assert_int_eq(json_object_array_length(all), 1234);
  for (int i = 0; i < 1234; i++) {
    sim_world_company w;
    json_object *rec = json_object_array_get_idx(all, (size_t)i);
    sim_world_company_at(8, 30, i, &w);
    ck_assert_int_eq(json_object_object_length(rec), 4);
    ck_assert_int_eq(json_object_get_int64(member(rec, "companyId")),
                     w.lastpass_id);
    ck_assert_str_eq(str_of(rec, "companyName"), w.name);
    ck_assert_str_eq(str_of(rec, "licenseType"), "msp-managed-company");
    ck_assert_int_eq(json_object_get_int(member(rec, "activeUsers")), w.seats);
  }
  json_object_put(all);
  const char *rep = BASE "/managed-companies-reports/billing-reports";
  char path[256];
  snprintf(path, sizeof path, "%s?end-date=2026-11-30", rep);
  assert_bad_param(&sp, path, "start-date");
  snprintf(path, sizeof path, "%s?start-date=2026-11-01", rep);
  assert_bad_param(&sp, path, "end-date");
  snprintf(path, sizeof path, "%s?start-date=2026-02-30&end-date=2026-03-01",
           rep);
  assert_bad_param(&sp, path, "start-date");
  snprintf(path, sizeof path, "%s?start-date=2026-12-01&end-date=2026-11-30",
           rep);
  assert_bad_param(&sp, path, "end-date");
  snprintf(path, sizeof path,
           "%s?start-date=2026-11-01&end-date=2026-11-30&license-type=x", rep);
  assert_bad_param(&sp, path, "license-type");
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(billing_reports_license_type) {
  simproc sp;
  int pages;
  start_fixture(&sp);
  json_object *all =
      all_pages(&sp,
                BASE "/managed-companies-reports/billing-reports?start-date="
                     "2026-11-01&end-date=2026-11-30&license-type=managed-msp",
                &pages, 0);
  ck_assert_int_eq(json_object_array_length(all), 1);
  ck_assert_int_eq(json_object_get_int(
                       member(json_object_array_get_idx(all, 0), "companyId")),
                   13);
  json_object_put(all);
  all = all_pages(
      &sp,
      BASE "/managed-companies-reports/billing-reports?start-date="
           "2026-11-01&end-date=2026-11-30&license-type=msp-managed-company",
      &pages, 0);
  /* the suspended company and the grandchild are there too */
  ck_assert_int_eq(json_object_array_length(all), 3);
  json_object_put(all);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- users
 * ----------------------------------------------------------------------- */

START_TEST(users_follow_active_users) {
  simproc sp;
  int pages;
  long status;
  start_fixture(&sp);
  json_object *all = all_pages(
      &sp, BASE "/managed-companies/13/users?max-results=7", &pages, 0);
  int enrolled = 0, other = 0;
  static const char *const valid[] = {
      "enrolled", "pending-invitation", "expired-invitation",
      "staged",   "disabled",           "awaiting-approval"};
  int kinds[6] = {0};
  for (size_t i = 0; i < json_object_array_length(all); i++) {
    const char *s = str_of(json_object_array_get_idx(all, i), "accountStatus");
    int k = -1;
    for (int j = 0; j < 6; j++)
      if (strcmp(s, valid[j]) == 0)
        k = j;
    ck_assert_msg(k >= 0, "bad accountStatus %s", s);
    kinds[k]++;
    if (k == 0)
      enrolled++;
    else
      other++;
  }
  ck_assert_int_eq(enrolled, 40);
  ck_assert_int_eq(other, 40 / 8 + 2);
  for (int j = 1; j < 6; j++)
    ck_assert_msg(kinds[j] > 0, "no %s user", valid[j]);
  ck_assert_int_eq(pages, (47 + 6) / 7);
  json_object_put(all);
  json_object *o = lp_get(&sp, BASE "/managed-companies/999/users", &status);
  ck_assert_int_eq(status, 404);
  ck_assert_int_eq(json_object_get_int(member(o, "status")), 404);
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- faults
 * -------------------------------------------------------------------------- */

static json_object *first_page(const simproc *sp, const char *query,
                               long *status) {
  char path[512];
  snprintf(path, sizeof path, BASE "/managed-companies?%s", query);
  return lp_get(sp, path, status);
}

START_TEST(domain_faults_paging) {
  simproc sp;
  long status;
  char path[512];
  const char *args[] = {"--generate", "25", NULL};
  start_sim(&sp, args);
  /* page_loop: the second page points back at the first */
  ck_assert_int_eq(
      simproc_set_faults(&sp, "[{\"name\":\"loop\",\"path_prefix\":\"" BASE
                              "/managed-companies\",\"after\":1,\"times\":1,"
                              "\"action\":\"page_loop\"}]"),
      0);
  json_object *p1 = first_page(&sp, "max-results=10", &status);
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=10&page-token=%s",
           str_of(p1, "nextPageToken"));
  json_object *p2 = lp_get(&sp, path, &status);
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=10&page-token=%s",
           str_of(p2, "nextPageToken"));
  json_object *p3 = lp_get(&sp, path, &status);
  ck_assert_int_eq(status, 200);
  /* the "next" page is the first page again */
  ck_assert_str_eq(json_object_to_json_string(member(p3, "items")),
                   json_object_to_json_string(member(p1, "items")));
  json_object_put(p1);
  json_object_put(p2);
  json_object_put(p3);

  /* duplicate_ids: page 2 starts with page 1's last record */
  ck_assert_int_eq(
      simproc_set_faults(
          &sp, "[{\"after\":1,\"times\":1,\"action\":\"duplicate_ids\"}]"),
      0);
  p1 = first_page(&sp, "max-results=10", &status);
  snprintf(path, sizeof path,
           BASE "/managed-companies?max-results=10&page-token=%s",
           str_of(p1, "nextPageToken"));
  p2 = lp_get(&sp, path, &status);
  ck_assert_int_eq(
      json_object_get_int(
          member(json_object_array_get_idx(member(p2, "items"), 0), "id")),
      json_object_get_int(
          member(json_object_array_get_idx(member(p1, "items"), 9), "id")));
  json_object_put(p1);
  json_object_put(p2);

  /* empty_page: no items but a token that leads on to the real page */
  ck_assert_int_eq(
      simproc_set_faults(
          &sp, "[{\"after\":1,\"times\":1,\"action\":\"empty_page\"}]"),
      0);
  int pages;
  json_object *all =
      all_pages(&sp, BASE "/managed-companies?max-results=10", &pages, 1);
  ck_assert_int_eq(pages, 4);
  ck_assert_int_eq(json_object_array_length(all), 25);
  json_object_put(all);

  /* empty_token: the last page says "" */
  ck_assert_int_eq(simproc_set_faults(&sp, "[{\"action\":\"empty_token\"}]"),
                   0);
  p1 = first_page(&sp, "max-results=100", &status);
  ck_assert_str_eq(str_of(p1, "nextPageToken"), "");
  json_object_put(p1);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(domain_faults_records) {
  simproc sp;
  long status;
  const char *args[] = {"--generate", "5", NULL};
  const char *rep =
      BASE "/managed-companies-reports/"
           "billing-reports?start-date=2026-11-01&end-date=2026-11-30";
  start_sim(&sp, args);
  ck_assert_int_eq(
      simproc_set_faults(&sp, "[{\"action\":\"wrong_types\",\"times\":2}]"), 0);
  json_object *o = first_page(&sp, "", &status);
  json_object *items = member(o, "items");
  ck_assert(json_object_is_type(
      member(json_object_array_get_idx(items, 0), "id"), json_type_object));
  ck_assert(json_object_is_type(
      member(json_object_array_get_idx(items, 1), "id"), json_type_int));
  json_object_put(o);
  o = lp_get(&sp, rep, &status);
  ck_assert(json_object_is_type(
      member(json_object_array_get_idx(member(o, "items"), 0), "activeUsers"),
      json_type_string));
  json_object_put(o);

  ck_assert_int_eq(
      simproc_set_faults(
          &sp, "[{\"action\":\"missing_fields\",\"times\":1},"
               "{\"action\":\"missing_fields\",\"all\":true,\"times\":1},"
               "{\"action\":\"wrong_types\",\"field\":\"companyId\"}]"),
      0);
  o = first_page(&sp, "", &status);
  ck_assert_ptr_null(
      member(json_object_array_get_idx(member(o, "items"), 0), "id"));
  ck_assert_ptr_nonnull(
      member(json_object_array_get_idx(member(o, "items"), 1), "id"));
  json_object_put(o);
  o = lp_get(&sp, rep, &status);
  items = member(o, "items");
  for (size_t i = 0; i < json_object_array_length(items); i++)
    ck_assert(!json_object_object_get_ex(json_object_array_get_idx(items, i),
                                         "activeUsers", NULL));
  json_object_put(o);
  o = lp_get(&sp, rep, &status);
  ck_assert(json_object_is_type(
      member(json_object_array_get_idx(member(o, "items"), 0), "companyId"),
      json_type_object));
  json_object_put(o);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(generic_faults_through_the_sim) {
  simproc sp;
  char url[512], v[32];
  const char *headers[] = {AUTH, NULL};
  simproc_http_result r;
  const char *args[] = {"--generate", "40", NULL};
  start_sim(&sp, args);
  snprintf(url, sizeof url, "%s" BASE "/managed-companies?max-results=40",
           sp.base_url);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r), 0);
  size_t full = r.body_len;
  simproc_http_result_free(&r);
  ck_assert_int_eq(
      simproc_set_faults(
          &sp, "[{\"name\":\"lp429\",\"times\":1,\"status\":429,"
               "\"headers\":{\"Retry-After\":\"1\"},\"content_type\":"
               "\"application/problem+json\",\"body\":\"{\\\"title\\\":"
               "\\\"Too Many Requests\\\",\\\"status\\\":429}\"},"
               "{\"times\":1,\"action\":\"reset\"},"
               "{\"times\":1,\"action\":\"hang\",\"delay_ms\":3000},"
               "{\"times\":1,\"action\":\"truncate\"},"
               "{\"times\":1,\"action\":\"cut\"},"
               "{\"times\":1,\"action\":\"malformed\"},"
               "{\"times\":1,\"action\":\"slow_body\",\"chunk_bytes\":1024,"
               "\"delay_ms\":100},"
               "{\"times\":1,\"action\":\"oversize\",\"size_mb\":1},"
               "{\"times\":1,\"action\":\"delay\",\"delay_ms\":250}]"),
      0);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 429);
  ck_assert_int_eq(simproc_http_header(&r, "Retry-After", v, sizeof v), 0);
  ck_assert_str_eq(v, "1");
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   -1); /* reset */
  ck_assert_int_eq(r.status, 0);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 300, &r),
                   -1); /* hang */
  ck_assert_int_eq(r.curl_code, 28);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* truncate */
  json_object *o = json_tokener_parse(r.body);
  ck_assert_ptr_null(o);
  ck_assert_int_eq(strncmp(r.body, "{\"items\":[", 10), 0);
  ck_assert(r.body_len == full / 2);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   -1); /* cut */
  ck_assert_int_eq(r.curl_code, 18);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* malformed */
  ck_assert_str_eq(r.body, "{\"items\":[{\"id\":");
  simproc_http_result_free(&r);
  long long t0 = now_ms();
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* slow */
  ck_assert_int_ge(now_ms() - t0, (long long)((full / 1024) * 100));
  o = json_tokener_parse(r.body);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 40);
  json_object_put(o);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* oversize */
  ck_assert_uint_gt(r.body_len, 1000000);
  simproc_http_result_free(&r);
  t0 = now_ms();
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* delay */
  ck_assert_int_ge(now_ms() - t0, 250);
  ck_assert_int_eq(r.status, 200);
  simproc_http_result_free(&r);
  ck_assert_int_eq(simproc_http("GET", url, headers, NULL, 0, &r),
                   0); /* all spent */
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, full);
  simproc_http_result_free(&r);
  /* the log names every fault in order */
  json_object *log = simproc_log(&sp);
  static const char *const names[] = {"lp429", "rule1", "rule2", "rule3",
                                      "rule4", "rule5", "rule6", "rule7",
                                      "rule8", NULL};
  ck_assert_int_eq(json_object_array_length(log), 11);
  for (int i = 0; i < 10; i++) {
    const char *f =
        str_of(json_object_array_get_idx(log, (size_t)i + 1), "fault");
    if (names[i])
      ck_assert_str_eq(f, names[i]);
    else
      ck_assert_ptr_null(f);
  }
  json_object_put(log);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- log, state, latency
 * -------------------------------------------------------------- */

START_TEST(request_log) {
  simproc sp;
  long status;
  char logfile[256], line[8192];
  snprintf(logfile, sizeof logfile, "/tmp/test_lastpass_sim.%ld.log",
           (long)getpid());
  unlink(logfile);
  const char *args[] = {"--log", logfile, NULL};
  start_sim(&sp, args);
  json_object *o = lp_get(
      &sp, BASE "/managed-companies?max-results=2&status=active", &status);
  json_object_put(o);
  o = lp_get(&sp, BASE "/managed-companies?max-results=0", &status);
  json_object_put(o);
  json_object *st = simproc_stats(&sp); /* control requests are not logged */
  json_object_put(st);
  json_object *log = simproc_log(&sp);
  ck_assert_int_eq(json_object_array_length(log), 2);
  json_object *e = json_object_array_get_idx(log, 0);
  ck_assert_str_eq(str_of(e, "method"), "GET");
  ck_assert_str_eq(str_of(e, "path"), BASE "/managed-companies");
  ck_assert_str_eq(str_of(e, "query"), "max-results=2&status=active");
  ck_assert_int_eq(json_object_get_int(member(e, "status")), 200);
  ck_assert_int_eq(
      json_object_get_int(member(json_object_array_get_idx(log, 1), "status")),
      400);
  json_object_put(log);
  ck_assert_int_eq(simproc_clear_log(&sp), 0);
  log = simproc_log(&sp);
  ck_assert_int_eq(json_object_array_length(log), 0);
  json_object_put(log);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  FILE *f = fopen(logfile, "r");
  int lines = 0;
  ck_assert_ptr_nonnull(f);
  while (fgets(line, sizeof line, f)) {
    json_object *x = json_tokener_parse(line);
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(json_object_get_int(member(x, "seq")), ++lines);
    json_object_put(x);
  }
  fclose(f);
  unlink(logfile);
  ck_assert_int_eq(lines, 2);
}
END_TEST

START_TEST(state_get_put) {
  simproc sp;
  long status;
  start_fixture(&sp);
  json_object *s = simproc_get_state(&sp);
  ck_assert_int_eq(json_object_array_length(member(s, "companies")), 4);
  json_object *c = json_object_array_get_idx(member(s, "companies"), 3);
  ck_assert_int_eq(json_object_get_int(member(c, "parentId")), 13);
  ck_assert_int_eq(json_object_get_int(member(c, "activeUsers")), 0);
  ck_assert_str_eq(str_of(member(s, "billingCycle"), "startDate"),
                   "2026-11-01");
  json_object_put(s);
  ck_assert_int_eq(
      simproc_put_state(&sp, "{\"companies\":[{\"id\":7,\"name\":\"Only\","
                             "\"activeUsers\":9}]}"),
      0);
  json_object *o = lp_get(&sp, BASE "/managed-companies", &status);
  ck_assert_int_eq(json_object_array_length(member(o, "items")), 1);
  ck_assert_str_eq(
      str_of(json_object_array_get_idx(member(o, "items"), 0), "name"), "Only");
  json_object_put(o);
  /* refused states leave the data alone */
  static const char *const bad[] = {
      "[]",
      "{\"companies\":[{\"name\":\"x\"}]}",
      "{\"companies\":[{\"id\":1,\"name\":\"a\"},{\"id\":1,\"name\":\"b\"}]}",
      "{\"companies\":[{\"id\":1,\"name\":\"a\",\"status\":\"gone\"}]}",
      "{\"companies\":[{\"id\":1,\"name\":\"a\",\"addons\":[\"x\"]}]}",
      "{\"companies\":[{\"id\":1,\"name\":\"a\",\"activeUsers\":\"3\"}]}",
      ("{\"companies\":[],\"billingCycle\":{\"startDate\":\"2026-11-31\","
       "\"endDate\":\"2026-11-30\"}}")};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(simproc_put_state(&sp, bad[i]) == -1, "accepted %s", bad[i]);
  s = simproc_get_state(&sp);
  ck_assert_int_eq(json_object_array_length(member(s, "companies")), 1);
  ck_assert_ptr_null(member(s, "billingCycle"));
  json_object_put(s);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

typedef struct par {
  char url[512];
  long status;
} par;

static void *par_get(void *arg) {
  par *p = arg;
  const char *headers[] = {AUTH, NULL};
  simproc_http_result r;
  simproc_http("GET", p->url, headers, NULL, 0, &r);
  p->status = r.status;
  simproc_http_result_free(&r);
  return NULL;
}

START_TEST(latency_is_concurrent) {
  simproc sp;
  pthread_t t[4];
  par p[4];
  const char *args[] = {"--latency-ms", "200", NULL};
  start_sim(&sp, args);
  long long t0 = now_ms();
  for (int i = 0; i < 4; i++) {
    snprintf(p[i].url, sizeof p[i].url, "%s" BASE "/managed-companies",
             sp.base_url);
    ck_assert_int_eq(pthread_create(&t[i], NULL, par_get, &p[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    ck_assert_int_eq(p[i].status, 200);
  }
  long long ms = now_ms() - t0;
  ck_assert_int_ge(ms, 200);
  ck_assert_msg(ms < 700, "4 concurrent requests took %lld ms", ms);
  json_object *st = simproc_stats(&sp);
  ck_assert_int_eq(json_object_get_int(member(st, "max_inflight")), 4);
  json_object_put(st);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

/* ---- the shared world
 * ------------------------------------------------------------------ */

START_TEST(generated_world_matches_mapping) {
  simproc a, b;
  int pages;
  const char *args[] = {"--generate",   "120", "--seed", "77",
                        "--change-pct", "20",  NULL};
  start_sim(&a, args);
  start_sim(&b, args);
  json_object *sa = simproc_get_state(&a), *sb = simproc_get_state(&b);
  ck_assert_str_eq(json_object_to_json_string(sa),
                   json_object_to_json_string(sb));
  json_object_put(sa);
  json_object_put(sb);
  ck_assert_int_eq(simproc_stop(&b), 0);
  json_object *all =
      all_pages(&a, BASE "/managed-companies?max-results=500", &pages, 1);
  ck_assert_int_eq(json_object_array_length(all), 120);
  char exe[1024], cmd[1200], line[512];
  ck_assert_int_eq(simproc_find("sim-world", exe, sizeof exe), 0);
  snprintf(cmd, sizeof cmd, "'%s' --generate 120 --seed 77 --change-pct 20",
           exe);
  FILE *p = popen(cmd, "r");
  ck_assert_ptr_nonnull(fgets(line, sizeof line, p)); /* header */
  for (int i = 0; i < 120; i++) {
    sim_world_company w;
    json_object *c = json_object_array_get_idx(all, (size_t)i);
    sim_world_company_at(77, 20, i, &w);
    ck_assert_int_eq(json_object_get_int64(member(c, "id")), w.lastpass_id);
    ck_assert_str_eq(str_of(c, "name"), w.name);
    ck_assert_str_eq(str_of(c, "status"), w.suspended ? "suspended" : "active");
    ck_assert_int_eq(json_object_array_length(member(c, "addons")),
                     w.mfa ? 1 : 0);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    char want[64];
    snprintf(want, sizeof want, "%ld,%ld,,", w.lastpass_id, w.psa_company_id);
    ck_assert_int_eq(strncmp(line, want, strlen(want)), 0);
  }
  ck_assert_ptr_null(fgets(line, sizeof line, p));
  ck_assert_int_eq(pclose(p), 0);
  json_object_put(all);
  ck_assert_int_eq(simproc_stop(&a), 0);
}
END_TEST

START_TEST(bad_start_options) {
  simproc sp;
  char err[512];
  const char *missing[] = {"--fixture", "/nonexistent/fixture.json", NULL};
  const char *both[] = {"--fixture", "x.json", "--generate", "3", NULL};
  const char *now[] = {"--now", "2026-13-01", NULL};
  ck_assert_int_eq(simproc_start(&sp, "lastpass-sim", missing, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "exited (status 2)"));
  ck_assert_int_eq(simproc_start(&sp, "lastpass-sim", both, err, sizeof err),
                   -1);
  ck_assert_int_eq(simproc_start(&sp, "lastpass-sim", now, err, sizeof err),
                   -1);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("lastpass_sim");
  TCase *tc = tcase_create("all");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, auth_problem_details);
  tcase_add_test(tc, unknown_paths_and_methods);
  tcase_add_test(tc, paging_1234_companies);
  tcase_add_test(tc, max_results_bounds);
  tcase_add_test(tc, page_tokens_are_checked);
  tcase_add_test(tc, company_filters_and_sort);
  tcase_add_test(tc, billing_cycles);
  tcase_add_test(tc, billing_reports_paging);
  tcase_add_test(tc, billing_reports_license_type);
  tcase_add_test(tc, users_follow_active_users);
  tcase_add_test(tc, domain_faults_paging);
  tcase_add_test(tc, domain_faults_records);
  tcase_add_test(tc, generic_faults_through_the_sim);
  tcase_add_test(tc, request_log);
  tcase_add_test(tc, state_get_put);
  tcase_add_test(tc, latency_is_concurrent);
  tcase_add_test(tc, generated_world_matches_mapping);
  tcase_add_test(tc, bad_start_options);
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
