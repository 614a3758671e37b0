/* SPDX-License-Identifier: MIT */
/*
 * lp_api.c — the LastPass API surface: authentication, routing and the
 * dataset control callbacks. Only the MSP endpoints under the documented base
 * path /business are served:
 *   GET /business/v1/managed-companies
 *   GET /business/v1/managed-companies/{id}/users
 *   GET /business/v1/managed-companies-reports/billing-cycles
 *   GET /business/v1/managed-companies-reports/billing-reports
 * Every request needs "Authorization: api-key <key>" (scheme
 * case-insensitive, key exact); otherwise 401 problem details, before any
 * routing. Unknown paths: 404; other methods: 405 with Allow: GET.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lp_app.h"

#define BASE "/business/v1/"

static int authorised(const lp_app *app, const sim_request *req) {
  const char *auth = sim_header(req, "Authorization");
  if (!auth || strncasecmp(auth, "api-key ", 8) != 0)
    return 0;
  auth += 8;
  while (*auth == ' ')
    auth++;
  return strcmp(auth, app->api_key) == 0;
}

/* "/business/v1/managed-companies/{id}/users": the id, or 0. */
static long users_path(const char *path) {
  static const char prefix[] = BASE "managed-companies/";
  const char *p = path + sizeof prefix - 1;
  size_t digits;
  if (strncmp(path, prefix, sizeof prefix - 1) != 0)
    return 0;
  digits = strspn(p, "0123456789");
  if (digits == 0 || digits > 15 || strcmp(p + digits, "/users") != 0)
    return 0;
  return strtol(p, NULL, 10);
}

void lp_handle(void *ctx, const sim_request *req, sim_response *resp) {
  lp_app *app = ctx;
  const char *p = req->path;
  long company;
  int known =
      strcmp(p, BASE "managed-companies") == 0 ||
      strcmp(p, BASE "managed-companies-reports/billing-cycles") == 0 ||
      strcmp(p, BASE "managed-companies-reports/billing-reports") == 0 ||
      (company = users_path(p)) > 0;
  if (!authorised(app, req)) {
    lp_problem(resp, req, 401, "Unauthorized",
               "Missing or invalid API key: send Authorization: api-key "
               "<key>.");
    return;
  }
  if (!known) {
    lp_problem(resp, req, 404, "Not Found", "No such resource.");
    return;
  }
  if (strcmp(req->method, "GET") != 0) {
    lp_problem(resp, req, 405, "Method Not Allowed",
               "This simulator serves only GET on this resource.");
    sim_add_header(resp, "Allow", "GET");
    return;
  }
  if (strcmp(p, BASE "managed-companies") == 0)
    lp_list_companies(app, req, resp);
  else if (strcmp(p, BASE "managed-companies-reports/billing-cycles") == 0)
    lp_billing_cycles(app, req, resp);
  else if (strcmp(p, BASE "managed-companies-reports/billing-reports") == 0)
    lp_billing_reports(app, req, resp);
  else
    lp_list_users(app, users_path(p), req, resp);
}

json_object *lp_state_get(void *ctx) {
  lp_app *app = ctx;
  json_object *o = lp_data_to_json(&app->data);
  if (o)
    json_object_object_add(o, "generation",
                           json_object_new_int64(app->generation));
  return o;
}

int lp_state_put(void *ctx, json_object *state, char *err, size_t cap) {
  lp_app *app = ctx;
  lp_data fresh;
  if (lp_data_from_json(state, &fresh, err, cap) != 0)
    return -1;
  lp_data_free(&app->data);
  app->data = fresh;
  app->generation++;
  return 0;
}
