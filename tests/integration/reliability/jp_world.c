/* SPDX-License-Identifier: MIT */
/*
 * jp_world.c — the JSON-file PSA world of the reliability suites (see
 * jp_world.h).
 */
#include "jp_world.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "rel_harness.h"

static const char lastpass_fixture[] =
    "{\"companies\":["
    "{\"id\":201,\"name\":\"A Co\",\"activeUsers\":10},"
    "{\"id\":202,\"name\":\"B Co\",\"activeUsers\":20},"
    "{\"id\":203,\"name\":\"C Co\",\"activeUsers\":30},"
    "{\"id\":204,\"name\":\"D Co\",\"activeUsers\":40},"
    "{\"id\":205,\"name\":\"E Co\",\"activeUsers\":50}],"
    "\"billingCycle\":{\"startDate\":\"2026-11-01\","
    "\"endDate\":\"2026-11-30\"}}";

static const char mapping[] = "lastpass_company_id,psa_company_id\n"
                              "201,c1\n202,c2\n203,c3\n204,c4\n205,c5\n";

static const char *const env[] = {"JP_LP_KEY=lpkey_demo",
                                  "LPSA_NOW=" REL_TODAY "T12:00:00Z", NULL};

char *jp_psa_doc(const char *fail, const char *a1_period) {
  char agreements[2048] = "", lines[1024] = "", companies[512] = "";
  for (int i = 1; i <= 5; i++) {
    char period[160] = "";
    if (i == 1)
      snprintf(period, sizeof period, ",%s", a1_period);
    else if (i < 5)
      snprintf(period, sizeof period, ",%s", JP_PERIOD_NOV);
    size_t l = strlen(companies);
    snprintf(companies + l, sizeof companies - l,
             "%s{\"id\":\"c%d\",\"name\":\"Co %d\",\"active\":true}",
             i > 1 ? "," : "", i, i);
    l = strlen(agreements);
    snprintf(agreements + l, sizeof agreements - l,
             "%s{\"id\":\"a%d\",\"company_id\":\"c%d\",\"name\":\"Managed\","
             "\"active\":true%s}",
             i > 1 ? "," : "", i, i, period);
    l = strlen(lines);
    snprintf(lines + l, sizeof lines - l,
             "%s{\"id\":\"l%d\",\"agreement_id\":\"a%d\",\"product_id\":"
             "\"p1\",\"quantity\":%d}",
             i > 1 ? "," : "", i, i, i * 10 - 1);
  }
  size_t cap = 8192;
  char *doc = malloc(cap);
  ck_assert_ptr_nonnull(doc);
  snprintf(doc, cap,
           "{\"companies\":[%s],\"agreements\":[%s],\"products\":[{\"id\":"
           "\"p1\",\"code\":\"LP-BUS\",\"name\":\"LastPass\"}],\"lines\":[%s],"
           "\"fail\":%s,\"writes\":0}",
           companies, agreements, lines, fail);
  return doc;
}

void jp_world_start(jp_world *w, const char *fail, const char *host_keys,
                    const char *driver_keys) {
  char err[512], fixture[1024], conf[4096];
  memset(w, 0, sizeof *w);
  w->dir = test_tmpdir("jp");
  ck_assert_ptr_nonnull(w->dir);
  ck_assert_int_eq(test_write_file(w->dir, "lastpass.json", lastpass_fixture),
                   0);
  snprintf(fixture, sizeof fixture, "%s/lastpass.json", w->dir);
  const char *args[] = {"--fixture", fixture,   "--now",
                        REL_TODAY,   "--quiet", NULL};
  ck_assert_msg(simproc_start(&w->lp, "lastpass-sim", args, err, sizeof err) ==
                    0,
                "%s", err);
  snprintf(conf, sizeof conf,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\n%s[lastpass]\napi_url = %s/business\n"
           "api_key = env:JP_LP_KEY\n[driver.jsonpsa]\nfile = psa.json\n"
           "sku.lastpass = LP-BUS\n%s",
           getenv("LPSA_DRIVER_DIR"), host_keys ? host_keys : "",
           w->lp.base_url, driver_keys ? driver_keys : "");
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", conf), 0);
  ck_assert_int_eq(test_write_file(w->dir, "mapping.csv", mapping), 0);
  char *doc = jp_psa_doc(fail, JP_PERIOD_NOV);
  ck_assert_int_eq(test_write_file(w->dir, "psa.json", doc), 0);
  free(doc);
}

void jp_world_stop(jp_world *w) {
  simproc_stop(&w->lp);
  if (w->dir) {
    test_rmtree(w->dir);
    free(w->dir);
  }
  memset(w, 0, sizeof *w);
}

json_object *jp_run(jp_world *w, int expect, char **err, ...) {
  const char *args[24] = {"-c", "lpsa.conf", "--driver", "jsonpsa", "--json"};
  size_t n = 5;
  va_list ap;
  va_start(ap, err);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 23;)
    args[n++] = a;
  va_end(ap);
  args[n] = NULL;
  hostrun h;
  ck_assert_int_eq(hostrun_exec(w->dir, args, env, &h), 0);
  ck_assert_msg(h.status == expect, "exit %d, expected %d; stderr: %s",
                h.status, expect, h.err);
  json_object *report = json_tokener_parse(h.out);
  ck_assert_msg(report != NULL, "no JSON on stdout: %s", h.out);
  if (err) {
    *err = h.err;
    h.err = NULL;
  }
  hostrun_free(&h);
  return report;
}

void jp_exec(jp_world *w, hostrun *h, ...) {
  const char *args[24] = {"-c", "lpsa.conf", "--driver", "jsonpsa"};
  size_t n = 4;
  va_list ap;
  va_start(ap, h);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 23;)
    args[n++] = a;
  va_end(ap);
  args[n] = NULL;
  ck_assert_int_eq(hostrun_exec(w->dir, args, env, h), 0);
}

static json_object *psa_file(jp_world *w) {
  char *text = test_read_file(w->dir, "psa.json");
  json_object *doc = text ? json_tokener_parse(text) : NULL;
  free(text);
  ck_assert_msg(doc != NULL, "psa.json cannot be read back");
  return doc;
}

long long jp_writes(jp_world *w) {
  json_object *doc = psa_file(w);
  long long n = rel_int(doc, "writes");
  json_object_put(doc);
  return n;
}

long long jp_quantity(jp_world *w, const char *id) {
  json_object *doc = psa_file(w), *lines = rel_get(doc, "lines");
  long long q = -1;
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(rel_str(l, "id"), id) == 0)
      q = rel_int(l, "quantity");
  }
  json_object_put(doc);
  return q;
}

void jp_rewrite(jp_world *w, const char *fail, const char *a1_period) {
  json_object *old = psa_file(w);
  char *doc = jp_psa_doc(fail, a1_period);
  json_object *fresh = json_tokener_parse(doc);
  ck_assert_ptr_nonnull(fresh);
  json_object_object_add(fresh, "lines",
                         json_object_get(rel_get(old, "lines")));
  json_object_object_add(fresh, "writes",
                         json_object_get(rel_get(old, "writes")));
  ck_assert_int_eq(
      test_write_file(w->dir, "psa.json", json_object_to_json_string(fresh)),
      0);
  json_object_put(fresh);
  json_object_put(old);
  free(doc);
}
