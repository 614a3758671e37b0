/* SPDX-License-Identifier: MIT */
/*
 * report_load.h — a stored lpsa.report/1 document (report.h) read back
 * into the report's own structures, so `history --run N` prints a past run
 * with the same table the run printed, and the web console can do the same.
 */
#ifndef LPSA_CORE_REPORT_LOAD_H
#define LPSA_CORE_REPORT_LOAD_H

#include <json-c/json.h>
#include <stddef.h>

#include "lpsa/driver.h"
#include "outcome.h"
#include "report.h"

typedef struct report_loaded {
  json_object *doc; /* the parsed document; meta's strings point into it */
  report_meta meta; /* meta.terms points at `terms` */
  lpsa_terms terms; /* the report's, or neutral words for older reports */
  report_count *counts;
  run_result res; /* outcomes and findings; codes point into doc */
} report_loaded;

/* Parse `json`. 0, or -1 with why in err (not JSON, not lpsa.report/1,
 * out of memory). */
int report_load(const char *json, report_loaded *out, char *err, size_t errlen);
void report_loaded_free(report_loaded *r);

#endif
