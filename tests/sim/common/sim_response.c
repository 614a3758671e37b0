/* SPDX-License-Identifier: MIT */
/*
 * sim_response.c — helpers that fill a sim_response (the app's answer).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_server.h"

static void set_body(sim_response *resp, const char *text, size_t len) {
  free(resp->body);
  resp->body = malloc(len + 1);
  if (!resp->body) {
    /* Without memory the best we can say is "server error". */
    resp->status = 500;
    resp->body_len = 0;
    return;
  }
  memcpy(resp->body, text, len);
  resp->body[len] = '\0';
  resp->body_len = len;
}

void sim_respond_text(sim_response *resp, int status, const char *content_type,
                      const char *text) {
  resp->status = status;
  snprintf(resp->content_type, sizeof resp->content_type, "%s",
           content_type ? content_type : "");
  set_body(resp, text ? text : "", text ? strlen(text) : 0);
}

void sim_respond_json_as(sim_response *resp, int status,
                         const char *content_type, json_object *obj) {
  size_t len = 0;
  json_object_get(obj);
  const char *text = json_object_to_json_string_length(
      obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
  resp->status = status;
  snprintf(resp->content_type, sizeof resp->content_type, "%s", content_type);
  set_body(resp, text ? text : "null", text ? len : 4);
  json_object_put(obj);
}

void sim_respond_json(sim_response *resp, int status, json_object *obj) {
  sim_respond_json_as(resp, status, "application/json", obj);
}

void sim_add_header(sim_response *resp, const char *name, const char *value) {
  if (resp->n_headers >= SIM_MAX_HEADERS)
    return;
  char *n = strdup(name), *v = strdup(value ? value : "");
  if (!n || !v) {
    free(n);
    free(v);
    return;
  }
  resp->headers[resp->n_headers][0] = n;
  resp->headers[resp->n_headers][1] = v;
  resp->n_headers++;
}

void sim_response_release(sim_response *resp) {
  free(resp->body);
  resp->body = NULL;
  resp->body_len = 0;
  for (int i = 0; i < resp->n_headers; i++) {
    free(resp->headers[i][0]);
    free(resp->headers[i][1]);
    resp->headers[i][0] = resp->headers[i][1] = NULL;
  }
  resp->n_headers = 0;
}
