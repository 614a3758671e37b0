/* SPDX-License-Identifier: MIT */
/*
 * sim_control.c — the control API under /_sim/ (documented in sim_server.h):
 * what tests use to read the request log, swap datasets and set faults
 * without restarting a simulator. Runs with the server mutex held.
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

static void problem(sim_response *resp, int status, const char *detail) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "error", json_object_new_string(detail));
  sim_respond_json(resp, status, o);
  json_object_put(o);
}

static void ok(sim_response *resp) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "ok", json_object_new_boolean(1));
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

/* Parse the request body as JSON; NULL (answer already set) when bad. */
static json_object *body_json(const sim_request *req, sim_response *resp) {
  json_tokener *tok = json_tokener_new();
  json_object *o = NULL;
  if (tok) {
    o = json_tokener_parse_ex(tok, req->body, (int)req->body_len);
    if (json_tokener_get_error(tok) != json_tokener_success) {
      json_object_put(o);
      o = NULL;
    }
    json_tokener_free(tok);
  }
  if (!o)
    problem(resp, 400, "the request body is not valid JSON");
  return o;
}

static void do_log(sim_server *srv, const sim_request *req,
                   sim_response *resp) {
  if (strcmp(req->method, "GET") == 0)
    sim_respond_json(resp, 200, sim_log_entries(&srv->log));
  else if (strcmp(req->method, "DELETE") == 0) {
    sim_log_clear(&srv->log);
    ok(resp);
  } else
    problem(resp, 405, "use GET or DELETE on /_sim/log");
}

static void do_state(sim_server *srv, const sim_request *req,
                     sim_response *resp) {
  char err[512] = "";
  if (strcmp(req->method, "GET") == 0 && srv->app.state_get) {
    json_object *s = srv->app.state_get(srv->app.ctx);
    if (!s)
      problem(resp, 500, "the simulator could not dump its state");
    else
      sim_respond_json(resp, 200, s);
    json_object_put(s);
  } else if (strcmp(req->method, "PUT") == 0 && srv->app.state_put) {
    json_object *s = body_json(req, resp);
    if (!s)
      return;
    if (srv->app.state_put(srv->app.ctx, s, err, sizeof err) == 0)
      ok(resp);
    else
      problem(resp, 400, err[0] ? err : "the state was refused");
    json_object_put(s);
  } else {
    problem(resp, 405, "this simulator does not support that on /_sim/state");
  }
}

static void do_faults(sim_server *srv, const sim_request *req,
                      sim_response *resp) {
  char err[512] = "";
  if (strcmp(req->method, "GET") == 0) {
    json_object *f = sim_faults_to_json(srv->faults);
    sim_respond_json(resp, 200, f);
    json_object_put(f);
  } else if (strcmp(req->method, "POST") == 0 ||
             strcmp(req->method, "PUT") == 0) {
    json_object *rules = body_json(req, resp);
    if (!rules)
      return;
    if (sim_faults_set(srv->faults, rules, err, sizeof err) == 0)
      ok(resp);
    else
      problem(resp, 400, err);
    json_object_put(rules);
  } else if (strcmp(req->method, "DELETE") == 0) {
    sim_faults_clear(srv->faults);
    ok(resp);
  } else {
    problem(resp, 405, "use GET, POST or DELETE on /_sim/faults");
  }
}

static void do_stats(sim_server *srv, const sim_request *req,
                     sim_response *resp) {
  if (strcmp(req->method, "GET") == 0) {
    json_object *s = sim_stats_to_json(&srv->stats);
    sim_respond_json(resp, 200, s);
    json_object_put(s);
  } else if (strcmp(req->method, "DELETE") == 0) {
    sim_stats_reset(&srv->stats);
    ok(resp);
  } else {
    problem(resp, 405, "use GET or DELETE on /_sim/stats");
  }
}

static void do_latency(sim_server *srv, const sim_request *req,
                       sim_response *resp) {
  json_object *v;
  if (strcmp(req->method, "GET") == 0) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ms", json_object_new_int(srv->latency_ms));
    sim_respond_json(resp, 200, o);
    json_object_put(o);
    return;
  }
  if (strcmp(req->method, "PUT") != 0) {
    problem(resp, 405, "use GET or PUT on /_sim/latency");
    return;
  }
  json_object *o = body_json(req, resp);
  if (!o)
    return;
  if (json_object_object_get_ex(o, "ms", &v) &&
      json_object_is_type(v, json_type_int) && json_object_get_int(v) >= 0) {
    srv->latency_ms = json_object_get_int(v);
    ok(resp);
  } else {
    problem(resp, 400, "send {\"ms\":N} with N >= 0");
  }
  json_object_put(o);
}

void sim_control_handle(sim_server *srv, const sim_request *req,
                        sim_response *resp) {
  const char *what = req->path + strlen("/_sim/");
  if (strcmp(req->path, "/_sim") == 0)
    what = "";
  if (strcmp(what, "log") == 0)
    do_log(srv, req, resp);
  else if (strcmp(what, "state") == 0)
    do_state(srv, req, resp);
  else if (strcmp(what, "faults") == 0)
    do_faults(srv, req, resp);
  else if (strcmp(what, "stats") == 0)
    do_stats(srv, req, resp);
  else if (strcmp(what, "latency") == 0)
    do_latency(srv, req, resp);
  else if (srv->app.control)
    srv->app.control(srv->app.ctx, req, resp);
  else
    problem(resp, 404, "unknown control path; see sim_server.h");
}
