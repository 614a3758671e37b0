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
  char fixture[4200], sections[2048];
  world_begin(w, "jp");
  world_set_now(w, REL_TODAY "T12:00:00Z");
  world_write(w, "lastpass.json", lastpass_fixture);
  world_path(w, "lastpass.json", fixture, sizeof fixture);
  world_lastpass(w, fixture, REL_TODAY, (const char *const[]){"--quiet", NULL});
  snprintf(sections, sizeof sections, WORLD_JSONPSA "sku.lastpass = LP-BUS\n%s",
           driver_keys ? driver_keys : "");
  world_config(w, host_keys, sections);
  world_write(w, "mapping.csv", mapping);
  char *doc = jp_psa_doc(fail, JP_PERIOD_NOV);
  world_write(w, "psa.json", doc);
  free(doc);
}

void jp_world_stop(jp_world *w) {
  world_end(w);
}

json_object *jp_run(jp_world *w, int expect, char **err, ...) {
  const char *args[24] = {"--driver", "jsonpsa", "--json"};
  size_t n = 3;
  va_list ap;
  va_start(ap, err);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 23;)
    args[n++] = a;
  va_end(ap);
  args[n] = NULL;
  hostrun h;
  world_run(w, args, &h);
  ck_assert_msg(h.status == expect, "exit %d, expected %d; stderr: %s",
                h.status, expect, h.err);
  json_object *report = tj_parse(h.out, "stdout");
  if (err) {
    *err = h.err;
    h.err = NULL;
  }
  hostrun_free(&h);
  return report;
}

void jp_exec(jp_world *w, hostrun *h, ...) {
  const char *args[24] = {"--driver", "jsonpsa"};
  size_t n = 2;
  va_list ap;
  va_start(ap, h);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 23;)
    args[n++] = a;
  va_end(ap);
  args[n] = NULL;
  world_run(w, args, h);
}

long long jp_writes(jp_world *w) {
  return world_psa_writes(w);
}

long long jp_quantity(jp_world *w, const char *id) {
  return world_psa_quantity(w, id);
}

void jp_rewrite(jp_world *w, const char *fail, const char *a1_period) {
  json_object *old = world_psa_file(w);
  char *doc = jp_psa_doc(fail, a1_period);
  json_object *fresh = tj_parse(doc, "the PSA document");
  json_object_object_add(fresh, "lines", json_object_get(tj_get(old, "lines")));
  json_object_object_add(fresh, "writes",
                         json_object_get(tj_get(old, "writes")));
  world_write(w, "psa.json", json_object_to_json_string(fresh));
  json_object_put(fresh);
  json_object_put(old);
  free(doc);
}
