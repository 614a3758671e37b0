/* SPDX-License-Identifier: MIT */
/*
 * reply.c — response building (see reply.h).
 */
#include "reply.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void set_body(cw_response *r, const char *text, size_t len) {
  free(r->body);
  r->body = malloc(len + 1);
  r->body_len = r->body ? len : 0;
  if (r->body) {
    memcpy(r->body, text, len);
    r->body[len] = '\0';
  }
}

void cw_reply_nomem(cw_response *r) {
  static const char text[] =
      "{\"code\":\"ConnectWiseApi\",\"message\":\"The simulator ran out of "
      "memory.\"}";
  r->status = 500;
  set_body(r, text, sizeof(text) - 1);
}

void cw_reply_null(cw_response *r, int status) {
  r->status = status;
  set_body(r, "null", 4);
  if (!r->body)
    cw_reply_nomem(r);
}

void cw_reply_json(cw_response *r, int status, json_object *obj) {
  if (!obj) {
    cw_reply_nomem(r);
    return;
  }
  size_t len = 0;
  const char *text = json_object_to_json_string_length(
      obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
  if (!text) {
    json_object_put(obj);
    cw_reply_nomem(r);
    return;
  }
  r->status = status;
  set_body(r, text, len);
  json_object_put(obj);
  if (!r->body)
    cw_reply_nomem(r);
}

json_object *cw_error_item(const char *code, const char *message,
                           const char *resource, const char *field) {
  json_object *e = json_object_new_object();
  if (e &&
      (json_object_object_add(e, "code", json_object_new_string(code)) ||
       json_object_object_add(e, "message", json_object_new_string(message)) ||
       json_object_object_add(e, "resource",
                              json_object_new_string(resource)) ||
       json_object_object_add(e, "field", json_object_new_string(field)))) {
    json_object_put(e);
    return NULL;
  }
  return e;
}

void cw_reply_error(cw_response *r, int status, const char *code,
                    const char *message, json_object *errors) {
  json_object *o = json_object_new_object();
  if (!o || json_object_object_add(o, "code", json_object_new_string(code)) ||
      json_object_object_add(o, "message", json_object_new_string(message)) ||
      (errors && json_object_object_add(o, "errors", errors))) {
    json_object_put(o);
    cw_reply_nomem(r);
    return;
  }
  cw_reply_json(r, status, o);
}

void cw_reply_invalid(cw_response *r, const char *message, const char *resource,
                      const char *field) {
  json_object *errors = json_object_new_array();
  json_object *item = cw_error_item("InvalidField", message, resource, field);
  if (!errors || !item || json_object_array_add(errors, item)) {
    json_object_put(errors);
    json_object_put(item);
    cw_reply_nomem(r);
    return;
  }
  cw_reply_error(r, 400, "InvalidObject", message, errors);
}

void cw_reply_header(cw_response *r, const char *name, const char *value) {
  if (r->n_headers >= CW_MAX_HEADERS)
    return;
  char *n = strdup(name), *v = strdup(value);
  if (!n || !v) {
    free(n);
    free(v);
    return;
  }
  r->headers[r->n_headers][0] = n;
  r->headers[r->n_headers][1] = v;
  r->n_headers++;
}

void cw_response_free(cw_response *r) {
  free(r->body);
  for (int i = 0; i < r->n_headers; i++) {
    free(r->headers[i][0]);
    free(r->headers[i][1]);
  }
  memset(r, 0, sizeof(*r));
}

const char *cw_response_header(const cw_response *r, const char *name) {
  for (int i = 0; i < r->n_headers; i++)
    if (strcasecmp(r->headers[i][0], name) == 0)
      return r->headers[i][1];
  return NULL;
}
