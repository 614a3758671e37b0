/* SPDX-License-Identifier: MIT */
/*
 * lp_problem.c — error answers as RFC 9457 problem details, the format the
 * LastPass API documents: application/problem+json with title, status,
 * detail, instance and, for bad parameters, errors[{detail, pointer}].
 */
#include "lp_app.h"

static json_object *problem_object(const sim_request *req, int status,
                                   const char *title, const char *detail) {
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  json_object_object_add(o, "title", json_object_new_string(title));
  json_object_object_add(o, "status", json_object_new_int(status));
  json_object_object_add(o, "detail", json_object_new_string(detail));
  json_object_object_add(o, "instance", json_object_new_string(req->path));
  return o;
}

static void send(sim_response *resp, int status, json_object *o) {
  if (!o) {
    sim_respond_text(resp, 500, "text/plain", "out of memory\n");
    return;
  }
  sim_respond_json_as(resp, status, "application/problem+json", o);
  json_object_put(o);
}

void lp_problem(sim_response *resp, const sim_request *req, int status,
                const char *title, const char *detail) {
  send(resp, status, problem_object(req, status, title, detail));
}

void lp_problem_param(sim_response *resp, const sim_request *req,
                      const char *param, const char *detail) {
  char pointer[128];
  json_object *o = problem_object(req, 400, "Bad Request",
                                  "One or more parameters are invalid.");
  json_object *errors = json_object_new_array();
  json_object *e = json_object_new_object();
  if (!o || !errors || !e) {
    json_object_put(o);
    json_object_put(errors);
    json_object_put(e);
    send(resp, 500, NULL);
    return;
  }
  snprintf(pointer, sizeof pointer, "#/%s", param);
  json_object_object_add(e, "detail", json_object_new_string(detail));
  json_object_object_add(e, "pointer", json_object_new_string(pointer));
  json_object_array_add(errors, e);
  json_object_object_add(o, "errors", errors);
  send(resp, 400, o);
}
