/* SPDX-License-Identifier: MIT */
/*
 * lp_billing.c — the two billing report endpoints:
 *
 * GET /business/v1/managed-companies-reports/billing-cycles
 *   number-of-cycles 1..12 (optional, default 1) → a bare JSON array
 *   [{"startDate","endDate"}, ...], the current cycle first, then the
 *   calendar months before it. The current cycle is the fixture's
 *   billingCycle, else the calendar month of --now. The fault action
 *   "cycles" answers the rule's "cycles" array as it is instead: several
 *   cycles in any order, or none covering today.
 *
 * GET /business/v1/managed-companies-reports/billing-reports
 *   start-date, end-date (required, YYYY-MM-DD, start <= end), license-type
 *   (optional csv of msp-distributor, managed-msp, msp-managed-company),
 *   max-results 1..50 (default 10), page-token →
 *   {"items":[{"companyId","companyName","licenseType","activeUsers"}],
 *    "nextPageToken":"..."} (no nextPageToken member on the last page).
 *   Every company (active or suspended) has a record with its current
 *   activeUsers whatever period is asked: the simulator keeps no history.
 */
#include <stdlib.h>
#include <string.h>

#include "lp_app.h"
#include "lp_dates.h"

static json_object *cycle(const char *start, const char *end) {
  json_object *o = json_object_new_object();
  if (o) {
    json_object_object_add(o, "startDate", json_object_new_string(start));
    json_object_object_add(o, "endDate", json_object_new_string(end));
  }
  return o;
}

void lp_billing_cycles(lp_app *app, const sim_request *req,
                       sim_response *resp) {
  const char *v = sim_query(req, "number-of-cycles");
  long count = 1;
  int y, m, d;
  json_object *given;
  if (req->fault_action && strcmp(req->fault_action, "cycles") == 0 &&
      json_object_object_get_ex(req->fault_rule, "cycles", &given)) {
    sim_respond_json(resp, 200, given);
    return;
  }
  if (v) {
    char *end;
    count = strtol(v, &end, 10);
    if (!*v || *end || count < 1 || count > 12) {
      lp_problem_param(resp, req, "number-of-cycles",
                       "number-of-cycles must be an integer from 1 to 12");
      return;
    }
  }
  json_object *arr = json_object_new_array();
  if (!arr) {
    sim_respond_text(resp, 500, "text/plain", "out of memory\n");
    return;
  }
  lp_date_split(app->data.has_cycle ? app->data.cycle_start : app->now, &y, &m,
                &d);
  for (long i = 0; i < count; i++) {
    char start[11], end[11];
    lp_month_cycle(y, m, (int)i, start, end);
    if (i == 0 && app->data.has_cycle)
      json_object_array_add(arr,
                            cycle(app->data.cycle_start, app->data.cycle_end));
    else
      json_object_array_add(arr, cycle(start, end));
  }
  sim_respond_json(resp, 200, arr);
  json_object_put(arr);
}

static int license_mask(const char *csv, int *mask) {
  static const char *const types[] = {"msp-distributor", "managed-msp",
                                      "msp-managed-company"};
  const char *p = csv;
  *mask = 0;
  for (;;) {
    size_t n = strcspn(p, ",");
    int found = 0;
    for (int i = 0; i < 3; i++)
      if (strlen(types[i]) == n && strncmp(p, types[i], n) == 0) {
        *mask |= 1 << i;
        found = 1;
      }
    if (!found)
      return -1;
    if (!p[n])
      return 0;
    p += n + 1;
  }
}

static int read_period(const sim_request *req, sim_response *resp) {
  const char *start = sim_query(req, "start-date");
  const char *end = sim_query(req, "end-date");
  if (!start || !lp_date_valid(start)) {
    lp_problem_param(resp, req, "start-date",
                     start ? "start-date must be a date written YYYY-MM-DD"
                           : "start-date is required");
    return -1;
  }
  if (!end || !lp_date_valid(end)) {
    lp_problem_param(resp, req, "end-date",
                     end ? "end-date must be a date written YYYY-MM-DD"
                         : "end-date is required");
    return -1;
  }
  if (strcmp(start, end) > 0) {
    lp_problem_param(resp, req, "end-date",
                     "end-date must not be before start-date");
    return -1;
  }
  return 0;
}

static json_object *make_record(const void *ctx, size_t i) {
  const lp_company *c = ((const lp_company *const *)ctx)[i];
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  json_object_object_add(o, "companyId", json_object_new_int64(c->id));
  json_object_object_add(o, "companyName", json_object_new_string(c->name));
  json_object_object_add(o, "licenseType",
                         json_object_new_string(lp_license_type(c)));
  json_object_object_add(o, "activeUsers",
                         json_object_new_int64(c->active_users));
  return o;
}

void lp_billing_reports(lp_app *app, const sim_request *req,
                        sim_response *resp) {
  static const char *const hashed[] = {"start-date", "end-date", "license-type",
                                       NULL};
  const char *lt = sim_query(req, "license-type");
  int mask = 0;
  lp_paging pg;
  size_t n = 0;
  if (read_period(req, resp) != 0)
    return;
  if (lt && license_mask(lt, &mask) != 0) {
    lp_problem_param(resp, req, "license-type",
                     "license-type must be msp-distributor, managed-msp or "
                     "msp-managed-company");
    return;
  }
  if (lp_paging_read(app, req, 10, 50, lp_query_hash(req, hashed), &pg, resp) !=
      0)
    return;
  const lp_company **list =
      malloc((app->data.n ? app->data.n : 1) * sizeof *list);
  if (!list) {
    sim_respond_text(resp, 500, "text/plain", "out of memory\n");
    return;
  }
  for (size_t i = 0; i < app->data.n; i++) {
    const lp_company *c = &app->data.companies[i];
    if (!mask || (mask & (c->managed_msp ? 2 : 4)))
      list[n++] = c;
  }
  lp_page_respond(app, req, resp, &pg, n, make_record, list, 0, "activeUsers");
  free(list);
}
