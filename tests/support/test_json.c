/* SPDX-License-Identifier: MIT */
/*
 * test_json.c — JSON lookups for tests (see test_json.h).
 */
#include "test_json.h"

#include <check.h>
#include <string.h>

json_object *tj_parse(const char *text, const char *what) {
  json_object *o = text ? json_tokener_parse(text) : NULL;
  ck_assert_msg(o != NULL, "%s is not JSON: %.2000s", what,
                text ? text : "(nothing)");
  return o;
}

json_object *tj_get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member \"%s\" in %s",
                key, json_object_to_json_string(o));
  return v;
}

const char *tj_str(json_object *o, const char *key) {
  json_object *v = tj_get(o, key);
  return v ? json_object_get_string(v) : "";
}

long long tj_int(json_object *o, const char *key) {
  return json_object_get_int64(tj_get(o, key));
}

const char *tj_text(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v)
                                                    : "null";
}

static json_object *company_where(json_object *report, const char *key,
                                  const char *value) {
  json_object *list = tj_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(tj_text(c, key), value) == 0)
      return c;
  }
  return NULL;
}

json_object *report_company(json_object *report, const char *lastpass_id) {
  return company_where(report, "lastpass_id", lastpass_id);
}

json_object *report_company_must(json_object *report, const char *lastpass_id) {
  json_object *c = report_company(report, lastpass_id);
  ck_assert_msg(c != NULL, "no company %s in the report", lastpass_id);
  return c;
}

json_object *report_company_by_line(json_object *report, const char *line_id) {
  return company_where(report, "line_id", line_id);
}

const char *report_status(json_object *report, const char *lastpass_id) {
  return tj_str(report_company_must(report, lastpass_id), "status");
}

int report_count_rule(json_object *rules, const char *code,
                      const char *severity) {
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    n += strcmp(tj_str(f, "code"), code) == 0 &&
         (!severity || strcmp(tj_str(f, "severity"), severity) == 0);
  }
  return n;
}

int report_has_rule(json_object *rules, const char *code,
                    const char *severity) {
  return report_count_rule(rules, code, severity) > 0;
}

int report_count_status(json_object *report, const char *status) {
  json_object *list = tj_get(report, "companies");
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++)
    n += strcmp(tj_str(json_object_array_get_idx(list, i), "status"), status) ==
         0;
  return n;
}
