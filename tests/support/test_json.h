/* SPDX-License-Identifier: MIT */
/*
 * test_json.h — reading what lpsa-host printed (a --json report, history,
 * a driver listing) and what a simulator answered, in tests: member
 * lookups that fail the current Check test when a member is missing, and
 * the report's companies and findings.
 *
 * A report: {"companies":[{"lastpass_id","status","line_id",
 * "old_quantity","new_quantity","rules":[{"code","severity",...}],...}],
 * "findings":[...], "summary":{...}, "aborted":...}.
 */
#ifndef LPSA_TEST_JSON_H
#define LPSA_TEST_JSON_H

#include <json-c/json.h>

/* Parse text; fails the test (naming `what` and the text) when it is not
 * JSON. A new reference. */
json_object *tj_parse(const char *text, const char *what);
/* The member `key` of o; fails the test when o has none. */
json_object *tj_get(json_object *o, const char *key);
/* Its text ("" for null) and its number. */
const char *tj_str(json_object *o, const char *key);
long long tj_int(json_object *o, const char *key);
/* A member's text whether it is present or not ("null" when absent). */
const char *tj_text(json_object *o, const char *key);

/* The report's company with that LastPass id, or NULL. */
json_object *report_company(json_object *report, const char *lastpass_id);
/* The same, failing the test when there is none. */
json_object *report_company_must(json_object *report, const char *lastpass_id);
/* The company whose PSA line is line_id, or NULL. */
json_object *report_company_by_line(json_object *report, const char *line_id);
/* The company's "status" (failing the test when it is not reported). */
const char *report_status(json_object *report, const char *lastpass_id);
/* How many of `rules` (an array of findings) have `code` and, unless
 * severity is NULL, that severity. */
int report_count_rule(json_object *rules, const char *code,
                      const char *severity);
int report_has_rule(json_object *rules, const char *code, const char *severity);
/* How many companies of the report have that status. */
int report_count_status(json_object *report, const char *status);

#endif
