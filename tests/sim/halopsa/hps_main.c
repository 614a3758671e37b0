/* SPDX-License-Identifier: MIT */
/*
 * hps_main.c — halopsa-sim: the HaloPSA REST API simulator program.
 *
 * Plugs the API (hps_api.h) into the shared simulator framework, which owns
 * HTTP, the standard options, the request log, latency, faults and
 * statistics. The one global is the program's state, as the framework's
 * callbacks need a context. Options and control paths: README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hps_api.h"
#include "hps_generate.h"
#include "sim_server.h"

typedef struct app {
  hps_config cfg;
  hps_api *api;
} app;

static app the_app; /* the program's state (see the file comment) */

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void handle(void *ctx, const sim_request *r, sim_response *resp) {
  hps_api_handle(((app *)ctx)->api, r, now_ms(), resp);
}

static json_object *state_get(void *ctx) {
  hps_api *api = ((app *)ctx)->api;
  json_object *copy = NULL;
  if (json_object_deep_copy(api->db.root, &copy, NULL) != 0)
    return NULL;
  return copy;
}

static int state_put(void *ctx, json_object *state, char *err, size_t cap) {
  return hps_api_load(((app *)ctx)->api, state, err, cap);
}

static int load(void *ctx, const sim_options *opt, char *err, size_t cap) {
  app *a = ctx;
  a->api = hps_api_new(&a->cfg);
  if (!a->api) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  json_object *doc = NULL;
  if (opt->fixture) {
    doc = json_object_from_file(opt->fixture);
    if (!doc) {
      snprintf(err, cap,
               "cannot read the fixture %s: check the path and that "
               "it is JSON",
               opt->fixture);
      return -1;
    }
  } else if (opt->generate >= 0) {
    doc = hps_generate(opt->seed, opt->change_pct, opt->generate);
  } else {
    doc = json_object_new_object();
  }
  char why[512];
  int rc = doc ? hps_api_load(a->api, doc, why, sizeof why) : -1;
  if (rc)
    snprintf(err, cap, "%s: %s", opt->fixture ? opt->fixture : "dataset",
             doc ? why : "out of memory");
  json_object_put(doc);
  return rc;
}

static int number(const char *name, const char *value, long lo, long hi,
                  long *out, char *err, size_t cap) {
  char *end;
  long v = value ? strtol(value, &end, 10) : 0;
  if (!value || !*value || *end || v < lo || v > hi) {
    snprintf(err, cap, "%s needs a whole number from %ld to %ld", name, lo, hi);
    return SIM_OPT_ERROR;
  }
  *out = v;
  return SIM_OPT_VALUE;
}

static int text(const char **slot, const char *name, const char *value,
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
  hps_config *c = &((app *)ctx)->cfg;
  if (strcmp(name, "--client-id") == 0)
    return text(&c->auth.client_id, name, value, err, cap);
  if (strcmp(name, "--client-secret") == 0)
    return text(&c->auth.client_secret, name, value, err, cap);
  if (strcmp(name, "--tenant") == 0)
    return text(&c->auth.tenant, name, value, err, cap);
  if (strcmp(name, "--scopes") == 0)
    return text(&c->auth.scopes, name, value, err, cap);
  if (strcmp(name, "--auth-path") == 0) {
    int rc = text(&c->auth_path, name, value, err, cap);
    if (rc == SIM_OPT_VALUE && value[0] != '/') {
      snprintf(err, cap, "--auth-path must start with /");
      return SIM_OPT_ERROR;
    }
    return rc;
  }
  if (strcmp(name, "--base-url") == 0)
    return text(&c->base_url, name, value, err, cap);
  if (strcmp(name, "--token-ttl") == 0)
    return number(name, value, 1, 100000000, &c->auth.ttl_s, err, cap);
  if (strcmp(name, "--token-max-uses") == 0)
    return number(name, value, 0, 100000000, &c->auth.max_uses, err, cap);
  if (strcmp(name, "--page-cap") == 0)
    return number(name, value, 0, 100000000, &c->page_cap, err, cap);
  if (strcmp(name, "--rate-limit") == 0)
    return number(name, value, 0, 100000000, &c->rate_limit, err, cap);
  if (strcmp(name, "--rate-window-ms") == 0)
    return number(name, value, 1, 100000000, &c->rate_window_ms, err, cap);
  return SIM_OPT_UNKNOWN;
}

static void control(void *ctx, const sim_request *r, sim_response *resp) {
  hps_api *api = ((app *)ctx)->api;
  json_object *o = NULL;
  if (strcmp(r->path, "/_sim/tokens/expire") == 0 &&
      strcmp(r->method, "POST") == 0) {
    hps_auth_expire_all(&api->auth);
    sim_respond_text(resp, 204, "", "");
    return;
  }
  if (strcmp(r->path, "/_sim/tokens") == 0) {
    o = json_object_new_object();
    json_object_object_add(o, "issued",
                           json_object_new_int64(api->auth.issued));
  } else if (strcmp(r->path, "/_sim/rate") == 0) {
    if (strcmp(r->method, "DELETE") == 0) {
      hps_rate_reset(&api->rate);
      sim_respond_text(resp, 204, "", "");
      return;
    }
    o = json_object_new_object();
    json_object_object_add(
        o, "used", json_object_new_int64(hps_rate_used(&api->rate, now_ms())));
    json_object_object_add(o, "limit", json_object_new_int64(api->rate.limit));
    json_object_object_add(o, "window_ms",
                           json_object_new_int64(api->rate.window_ms));
    json_object_object_add(o, "refused",
                           json_object_new_int64(api->rate.refused));
  } else {
    sim_respond_text(resp, 404, "text/plain", "no such control path\n");
    return;
  }
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

static const char usage[] =
    "  --client-id ID          the API application's client id "
    "(default lpsa-demo-client)\n"
    "  --client-secret S       its client secret (default demosecret)\n"
    "  --tenant NAME           require ?tenant=NAME on token requests "
    "(hosted)\n"
    "  --scopes \"S...\"         scopes the application may have "
    "(default all)\n"
    "  --auth-path P           the auth server's path (default /auth)\n"
    "  --base-url URL          base of authinfo's auth_url (default: "
    "http:// + Host)\n"
    "  --token-ttl S           expires_in of tokens (default 3600)\n"
    "  --token-max-uses N      API calls a token answers (default 0: no "
    "limit)\n"
    "  --page-cap N            rows per answer at most (default 100; 0: "
    "none)\n"
    "  --rate-limit N          requests per rolling window (default 300; "
    "0: none)\n"
    "  --rate-window-ms N      the window (default 300000)\n";

int main(int argc, char **argv) {
  hps_config_default(&the_app.cfg);
  sim_app sim = {.name = "halopsa-sim",
                 .ctx = &the_app,
                 .handle = handle,
                 .state_get = state_get,
                 .state_put = state_put,
                 .load = load,
                 .option = option,
                 .usage = usage,
                 .control = control};
  int rc = sim_main(argc, argv, &sim);
  hps_api_free(the_app.api);
  return rc;
}
