/* SPDX-License-Identifier: MIT */
/*
 * connectwise_sim.c — the connectwise-sim program: the pure ConnectWise
 * server (api.h) behind the shared simulator framework (sim_server.h), with
 * the ConnectWise-specific command line options.
 *
 * The framework serialises every callback under one mutex, so the single
 * cw_sim below needs no locking of its own.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "generate.h"
#include "sim_server.h"

static cw_sim the_sim;

static const char USAGE[] =
    "connectwise-sim options:\n"
    "  --company ID            company id used at login (default lpsademo)\n"
    "  --company-name NAME     CompanyName in /login/companyinfo\n"
    "  --public-key KEY        API member public key (default pubkey)\n"
    "  --private-key KEY       API member private key (default privkey)\n"
    "  --client-id GUID        the only clientId accepted (default: any)\n"
    "  --codebase CB           codebase, ending with / (default "
    "v4_6_release/)\n"
    "  --new-codebase CB       codebase after a move (default v2025_1/)\n"
    "  --move-codebase-after N after N API requests the old codebase answers "
    "404\n"
    "                          and discovery names the new one\n"
    "  --api-version V         api-current-version (default 2025.1)\n"
    "  --rate-limit-per-min N  answer 429 + Retry-After past N requests a "
    "minute\n"
    "  --omit-nulls            leave null members out of records\n"
    "Control: POST /_sim/codebase/move moves the codebase now.\n";

static const char *header_of(const void *ctx, const char *name) {
  return sim_header((const sim_request *)ctx, name);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void handle(void *app, const sim_request *req, sim_response *resp) {
  cw_request r = {req->method,  req->path, req->query,    header_of,
                  req,          req->body, req->body_len, req->fault_action,
                  now_seconds()};
  cw_response out = {0};
  cw_handle(app, &r, &out);
  resp->status = out.status;
  resp->body = out.body; /* the framework frees it */
  resp->body_len = out.body_len;
  out.body = NULL;
  if (resp->body)
    snprintf(resp->content_type, sizeof(resp->content_type),
             "application/json; charset=utf-8");
  for (int i = 0; i < out.n_headers; i++)
    sim_add_header(resp, out.headers[i][0], out.headers[i][1]);
  cw_response_free(&out);
}

static json_object *state_get(void *app) {
  return cw_dataset_dump(&((cw_sim *)app)->data);
}

static int state_put(void *app, json_object *state, char *err, size_t cap) {
  cw_sim *sim = app;
  cw_dataset fresh = {0};
  if (cw_dataset_load(&fresh, state, err, cap))
    return -1;
  cw_dataset_free(&sim->data);
  sim->data = fresh;
  return 0;
}

static int load(void *app, const sim_options *opt, char *err, size_t cap) {
  json_object *fx = NULL;
  ((cw_sim *)app)->cfg.tls = opt->tls_cert != NULL; /* https Link URLs */
  if (opt->fixture && opt->generate >= 0) {
    snprintf(err, cap, "give either --fixture or --generate, not both");
    return -1;
  }
  if (opt->fixture) {
    fx = json_object_from_file(opt->fixture);
    if (!fx) {
      snprintf(err, cap, "cannot read fixture %s: %s", opt->fixture,
               json_util_get_last_err());
      return -1;
    }
  } else if (opt->generate >= 0) {
    if (opt->generate > CW_GENERATE_MAX) {
      snprintf(err, cap, "--generate is limited to %d companies",
               CW_GENERATE_MAX);
      return -1;
    }
    fx = cw_generate(opt->seed, opt->change_pct, opt->generate);
  } else {
    fx = json_object_new_object(); /* an empty company */
  }
  if (!fx) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  int rc = state_put(app, fx, err, cap);
  json_object_put(fx);
  return rc;
}

/* A whole number option value >= lo. */
static int number(const char *name, const char *v, long lo, long *out,
                  char *err, size_t cap) {
  char *end;
  long n = v ? strtol(v, &end, 10) : 0;
  if (!v || !*v || *end || n < lo) {
    snprintf(err, cap, "%s needs a whole number of at least %ld", name, lo);
    return SIM_OPT_ERROR;
  }
  *out = n;
  return SIM_OPT_VALUE;
}

static int option(void *app, const char *name, const char *v, char *err,
                  size_t cap) {
  cw_config *cfg = &((cw_sim *)app)->cfg;
  const struct {
    const char *name;
    const char **slot;
  } strings[] = {{"--company", &cfg->company},
                 {"--company-name", &cfg->company_name},
                 {"--public-key", &cfg->public_key},
                 {"--private-key", &cfg->private_key},
                 {"--client-id", &cfg->client_id},
                 {"--codebase", &cfg->codebase},
                 {"--new-codebase", &cfg->new_codebase},
                 {"--api-version", &cfg->version}};
  if (strcmp(name, "--omit-nulls") == 0) {
    cfg->omit_nulls = 1;
    return SIM_OPT_FLAG;
  }
  if (strcmp(name, "--move-codebase-after") == 0)
    return number(name, v, 0, &cfg->move_after, err, cap);
  if (strcmp(name, "--rate-limit-per-min") == 0)
    return number(name, v, 0, &cfg->rate_limit_per_min, err, cap);
  for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
    if (strcmp(name, strings[i].name) != 0)
      continue;
    if (!v || !*v) {
      snprintf(err, cap, "%s needs a value", name);
      return SIM_OPT_ERROR;
    }
    size_t n = strlen(v);
    if ((strings[i].slot == &cfg->codebase ||
         strings[i].slot == &cfg->new_codebase) &&
        v[n - 1] != '/') {
      snprintf(err, cap, "%s must end with / (like v4_6_release/)", name);
      return SIM_OPT_ERROR;
    }
    *strings[i].slot = v;
    return SIM_OPT_VALUE;
  }
  return SIM_OPT_UNKNOWN;
}

/* POST /_sim/codebase/move: move the codebase now. */
static void control(void *app, const sim_request *req, sim_response *resp) {
  cw_sim *sim = app;
  if (strcmp(req->path, "/_sim/codebase/move") == 0 &&
      strcmp(req->method, "POST") == 0) {
    sim->moved = 1;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "codebase",
                           json_object_new_string(sim->cfg.new_codebase));
    sim_respond_json(resp, 200, o);
    json_object_put(o);
    return;
  }
  sim_respond_text(resp, 404, "application/json",
                   "{\"code\":\"NotFound\",\"message\":\"unknown control "
                   "path\"}");
}

int main(int argc, char **argv) {
  cw_config_default(&the_sim.cfg);
  sim_app app = {0};
  app.name = "connectwise-sim";
  app.ctx = &the_sim;
  app.handle = handle;
  app.state_get = state_get;
  app.state_put = state_put;
  app.load = load;
  app.option = option;
  app.usage = USAGE;
  app.control = control;
  int rc = sim_main(argc, argv, &app);
  cw_dataset_free(&the_sim.data);
  return rc;
}
