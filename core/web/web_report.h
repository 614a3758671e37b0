/* SPDX-License-Identifier: MIT */
/*
 * web_report.h — the runs' JSON reports (lpsa.report/1, report.h) as the
 * journal keeps them: the latest finished one of the console's driver is
 * parsed once and kept (Overview and Mapping read it on every request; at
 * 5,000 companies parsing it is most of the answer's time).
 */
#ifndef LPSA_WEB_REPORT_H
#define LPSA_WEB_REPORT_H

#include <json-c/json.h>

#include "web_console.h"

/* The latest finished run of the driver (any driver when the console has
 * none): its id in *run_id (0: none) and its report, borrowed (NULL when
 * there is none or it cannot be read). */
json_object *web_report_latest(web_console *c, long long *run_id);
/* The report of run `run_id`: a new reference, or NULL. */
json_object *web_report_of(web_console *c, long long run_id);
/* Member `key` of o, or NULL (o may be NULL). */
json_object *web_json_get(json_object *o, const char *key);
const char *web_json_string(json_object *o, const char *key);
/* 1 when `hay` (may be NULL) contains `needle`, ASCII case-insensitive. */
int web_text_contains(const char *hay, const char *needle);

#endif
