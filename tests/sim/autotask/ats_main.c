/* SPDX-License-Identifier: MIT */
/*
 * ats_main.c — autotask-sim: the Autotask PSA REST API simulator program.
 *
 * Wires the pure API (ats_api.h) into the shared simulator framework
 * (sim_server.h): the framework owns HTTP, the standard options, the request
 * log, latency, faults and in-flight counting; this file adds the Autotask
 * options, loads the dataset and adapts requests. The one global is the
 * program's state, as the framework's callbacks need a context.
 *
 * Options (besides the standard ones):
 *   --user EMAIL            API user (default api@demo.example)
 *   --secret S              API secret (default demosecret)
 *   --integration-code C    ApiIntegrationCode (default DEMOCODE)
 *   --zone-url-no-slash     zoneInformation's url without the trailing '/'
 *   --picklist-offset N     shift per-instance picklist numbers by N
 *   --threshold N           requests per rolling hour (default 10000)
 *   --thread-limit N        concurrent requests per entity (default 3)
 *   --now YYYY-MM-DD        the simulator's today (default: the real one)
 *   --date-format F         z (2026-11-01T00:00:00Z, default), plain
 *                           (no Z), millis (.000Z), east (+02:00) or west
 *                           (-05:00)
 *   --base-url URL          absolute URLs use this instead of the Host header
 *   --lenient-next-method   GET of a POST query's nextPageUrl is answered
 *                           (by default it gets 405, as from Autotask)
 *   --max-query-string N    longest GET query string (default 2048)
 * Control: GET /_sim/budget {"count","threshold"}; DELETE /_sim/budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ats_api.h"
#include "ats_date.h"
#include "ats_db.h"
#include "ats_generate.h"
#include "sim_server.h"

typedef struct app {
  ats_config cfg;
  ats_db_options dbopt;
  ats_api *api;
} app;

static app the_app; /* the program's state (see the file comment) */

static int64_t clock_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec;
}

static const char *req_header(const void *ctx, const char *name) {
  return sim_header(ctx, name);
}

static const char *req_arg(const void *ctx, const char *name) {
  return sim_query(ctx, name);
}

static ats_req adapt(const sim_request *r) {
  ats_req q = {r->method,       r->path,
               r->query,        r->body,
               r->body_len,     req_header,
               req_arg,         r,
               r->fault_action, r->inflight_same_endpoint,
               clock_seconds()};
  return q;
}

static void handle(void *ctx, const sim_request *r, sim_response *resp) {
  app *a = ctx;
  ats_req q = adapt(r);
  ats_resp out;
  memset(&out, 0, sizeof out);
  ats_api_handle(a->api, &q, &out);
  resp->status = out.status;
  resp->body = out.body;
  resp->body_len = out.body_len;
  snprintf(resp->content_type, sizeof resp->content_type, "%s",
           out.content_type);
}

static const char *endpoint_key(void *ctx, const sim_request *r, char *buf,
                                size_t cap) {
  (void)ctx;
  ats_req q = adapt(r);
  return ats_api_endpoint_key(&q, buf, cap);
}

static json_object *state_get(void *ctx) {
  app *a = ctx;
  json_object *copy = NULL;
  if (json_object_deep_copy(ats_db_root(ats_api_db(a->api)), &copy, NULL) != 0)
    return NULL;
  return copy;
}

static int state_put(void *ctx, json_object *state, char *err, size_t cap) {
  app *a = ctx;
  ats_db_options opt = a->dbopt;
  json_object *now;
  if (json_object_object_get_ex(state, "now", &now))
    opt.has_now = 0; /* the new state's own today wins */
  ats_db *db = ats_db_load(state, &opt, err, cap);
  if (!db)
    return -1;
  ats_api_set_db(a->api, db);
  return 0;
}

static ats_db *load_fixture(app *a, const char *path, char *err, size_t cap) {
  json_object *doc = json_object_from_file(path);
  if (!doc) {
    const char *why = json_util_get_last_err();
    snprintf(err, cap,
             "cannot read the fixture %s (%.*s); check the path and "
             "that it is JSON",
             path, why ? (int)strcspn(why, "\n") : 1, why ? why : "?");
    return NULL;
  }
  char why[512];
  ats_db *db = ats_db_load(doc, &a->dbopt, why, sizeof why);
  if (!db)
    snprintf(err, cap, "fixture %s: %s", path, why);
  json_object_put(doc);
  return db;
}

static int load(void *ctx, const sim_options *opt, char *err, size_t cap) {
  app *a = ctx;
  ats_db *db;
  a->api = ats_api_new(&a->cfg);
  if (!a->api) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  if (opt->fixture) {
    db = load_fixture(a, opt->fixture, err, cap);
  } else if (opt->generate >= 0) {
    db = ats_generate(opt->seed, opt->change_pct, opt->generate, &a->dbopt, err,
                      cap);
  } else {
    json_object *empty = json_object_new_object();
    db = empty ? ats_db_load(empty, &a->dbopt, err, cap) : NULL;
    json_object_put(empty);
  }
  if (!db)
    return -1;
  ats_api_set_db(a->api, db);
  return 0;
}

static int number(const char *value, long lo, long hi, long *out, char *err,
                  size_t cap, const char *name) {
  char *end;
  long v = value ? strtol(value, &end, 10) : 0;
  if (!value || !*value || *end || v < lo || v > hi) {
    snprintf(err, cap, "%s needs a whole number from %ld to %ld", name, lo, hi);
    return SIM_OPT_ERROR;
  }
  *out = v;
  return SIM_OPT_VALUE;
}

static int date_format(app *a, const char *value, char *err, size_t cap) {
  if (value && strcmp(value, "z") == 0)
    a->cfg.style = ATS_DATE_Z;
  else if (value && strcmp(value, "plain") == 0)
    a->cfg.style = ATS_DATE_PLAIN;
  else if (value && strcmp(value, "millis") == 0)
    a->cfg.style = ATS_DATE_MILLIS;
  else if (value && strcmp(value, "east") == 0)
    a->cfg.style = ATS_DATE_EAST;
  else if (value && strcmp(value, "west") == 0)
    a->cfg.style = ATS_DATE_WEST;
  else {
    snprintf(err, cap, "--date-format takes z, plain, millis, east or west");
    return SIM_OPT_ERROR;
  }
  return SIM_OPT_VALUE;
}

static int string_option(const char **slot, const char *name, const char *value,
                         char *err, size_t cap) {
  if (!value || !*value) {
    snprintf(err, cap, "%s needs a value", name);
    return SIM_OPT_ERROR;
  }
  *slot = value;
  return SIM_OPT_VALUE;
}

static int option(void *ctx, const char *name, const char *value, char *err,
                  size_t cap) {
  app *a = ctx;
  long v = 0;
  int rc;
  if (strcmp(name, "--user") == 0)
    return string_option(&a->cfg.user, name, value, err, cap);
  if (strcmp(name, "--secret") == 0)
    return string_option(&a->cfg.secret, name, value, err, cap);
  if (strcmp(name, "--integration-code") == 0)
    return string_option(&a->cfg.code, name, value, err, cap);
  if (strcmp(name, "--base-url") == 0)
    return string_option(&a->cfg.base_url, name, value, err, cap);
  if (strcmp(name, "--zone-url-no-slash") == 0) {
    a->cfg.zone_no_slash = 1;
    return SIM_OPT_FLAG;
  }
  if (strcmp(name, "--lenient-next-method") == 0) {
    a->cfg.strict_next = 0;
    return SIM_OPT_FLAG;
  }
  if (strcmp(name, "--date-format") == 0)
    return date_format(a, value, err, cap);
  if (strcmp(name, "--now") == 0) {
    if (!value || ats_date_parse(value, &a->dbopt.now) != 0) {
      snprintf(err, cap, "--now takes a date like 2026-11-15");
      return SIM_OPT_ERROR;
    }
    a->dbopt.has_now = 1;
    return SIM_OPT_VALUE;
  }
  if (strcmp(name, "--picklist-offset") == 0) {
    rc = number(value, -1000, 100000, &v, err, cap, name);
    a->dbopt.picklist_offset = (int)v;
    a->dbopt.has_picklist_offset = 1;
    return rc;
  }
  if (strcmp(name, "--threshold") == 0) {
    rc = number(value, 1, 100000000, &v, err, cap, name);
    a->cfg.threshold = v;
    return rc;
  }
  if (strcmp(name, "--thread-limit") == 0) {
    rc = number(value, 1, 1000, &v, err, cap, name);
    a->cfg.thread_limit = (int)v;
    return rc;
  }
  if (strcmp(name, "--max-query-string") == 0) {
    rc = number(value, 16, 100000000, &v, err, cap, name);
    a->cfg.max_query_string = v;
    return rc;
  }
  return SIM_OPT_UNKNOWN;
}

static void control(void *ctx, const sim_request *r, sim_response *resp) {
  app *a = ctx;
  if (strcmp(r->path, "/_sim/budget") != 0) {
    sim_respond_text(resp, 404, "text/plain", "no such control path\n");
    return;
  }
  if (strcmp(r->method, "DELETE") == 0) {
    ats_api_budget_reset(a->api);
    sim_respond_text(resp, 204, "", "");
    return;
  }
  json_object *o = json_object_new_object();
  if (!o)
    return;
  json_object_object_add(
      o, "count",
      json_object_new_int64(ats_api_budget_count(a->api, clock_seconds())));
  json_object_object_add(
      o, "threshold", json_object_new_int64(ats_api_config(a->api)->threshold));
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

static const char usage[] =
    "  --user EMAIL            API user (default api@demo.example)\n"
    "  --secret S              API secret (default demosecret)\n"
    "  --integration-code C    ApiIntegrationCode (default DEMOCODE)\n"
    "  --zone-url-no-slash     zoneInformation url without trailing '/'\n"
    "  --picklist-offset N     shift per-instance picklist numbers by N\n"
    "  --threshold N           requests per rolling hour (default 10000)\n"
    "  --thread-limit N        concurrent requests per entity (default 3)\n"
    "  --now YYYY-MM-DD        the simulator's today (default: today)\n"
    "  --date-format F         z (default), plain, millis, east, west\n"
    "  --base-url URL          base of absolute URLs (default: Host header)\n"
    "  --lenient-next-method   answer a GET of a POST query's nextPageUrl\n"
    "  --max-query-string N    longest GET query string (default 2048)\n";

int main(int argc, char **argv) {
  ats_config_default(&the_app.cfg);
  sim_app app = {.name = "autotask-sim",
                 .ctx = &the_app,
                 .handle = handle,
                 .endpoint_key = endpoint_key,
                 .state_get = state_get,
                 .state_put = state_put,
                 .load = load,
                 .option = option,
                 .usage = usage,
                 .control = control};
  int rc = sim_main(argc, argv, &app);
  ats_api_free(the_app.api);
  return rc;
}
