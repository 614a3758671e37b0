/* SPDX-License-Identifier: MIT */
/*
 * cw_error.c — error documents and status mapping (see cw_error.h).
 */
#include "cw_error.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cw_buf.h"
#include "lpsa/status.h"

int cw_status_from_http(long status) {
  if (status >= 200 && status < 300)
    return LPSA_OK;
  switch (status) {
  case 0:
    return LPSA_ERR_NETWORK;
  case 401:
    return LPSA_ERR_AUTH;
  case 403:
    return LPSA_ERR_PERMISSION;
  case 404:
    return LPSA_ERR_NOT_FOUND;
  case 409:
    return LPSA_ERR_CONFLICT;
  case 429:
    return LPSA_ERR_RATE_LIMITED;
  default:
    return LPSA_ERR_REMOTE;
  }
}

const char *cw_http_reason(long status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 409:
    return "Conflict";
  case 415:
    return "Unsupported Media Type";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "";
  }
}

/* Append s with newlines and other control characters flattened to spaces,
 * so the message stays one line. */
static void put_flat(cw_buf *b, const char *s, size_t max) {
  size_t n = 0;
  for (const char *p = s; *p && n < max; p++, n++)
    cw_buf_putc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
  if (strlen(s) > max)
    cw_buf_puts(b, "...");
}

static const char *str_member(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!o || !json_object_object_get_ex(o, key, &v) ||
      json_object_get_type(v) != json_type_string)
    return NULL;
  const char *s = json_object_get_string(v);
  return s && *s ? s : NULL;
}

/* The field errors, at most three of them. */
static void put_field_errors(cw_buf *b, json_object *doc) {
  json_object *errs = NULL;
  if (!json_object_object_get_ex(doc, "errors", &errs) ||
      json_object_get_type(errs) != json_type_array)
    return;
  size_t n = json_object_array_length(errs), shown = 0;
  for (size_t i = 0; i < n && shown < 3; i++) {
    json_object *e = json_object_array_get_idx(errs, i);
    const char *msg = str_member(e, "message");
    const char *field = str_member(e, "field");
    if (!msg && !field)
      continue;
    cw_buf_puts(b, shown ? "; " : " (");
    if (field) {
      put_flat(b, field, 60);
      cw_buf_puts(b, msg ? ": " : "");
    }
    if (msg)
      put_flat(b, msg, 160);
    shown++;
  }
  if (shown)
    cw_buf_putc(b, ')');
}

/* Short printable text bodies are worth showing; HTML pages are not. */
static int plain_text(const char *body, size_t len) {
  if (!len || len > 200 || body[0] == '<')
    return 0;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)body[i] < 0x20 && !strchr("\r\n\t", body[i]))
      return 0;
  return 1;
}

void cw_error_message(long status, const char *body, size_t body_len,
                      const char *what, char *out, size_t cap) {
  cw_buf b;
  cw_buf_init(&b);
  const char *reason = cw_http_reason(status);
  cw_buf_printf(&b, "ConnectWise answered %ld%s%s to %s", status,
                *reason ? " " : "", reason, what ? what : "a request");
  json_object *doc = NULL;
  if (body && body_len && body_len < (1u << 20))
    doc = json_tokener_parse(body);
  const char *msg = json_object_get_type(doc) == json_type_object
                        ? str_member(doc, "message")
                        : NULL;
  const char *code = json_object_get_type(doc) == json_type_object
                         ? str_member(doc, "code")
                         : NULL;
  if (msg || code) {
    cw_buf_puts(&b, ": ");
    put_flat(&b, msg ? msg : code, 200);
    put_field_errors(&b, doc);
  } else if (!doc && body && plain_text(body, body_len)) {
    cw_buf_puts(&b, ": ");
    put_flat(&b, body, 200);
  }
  json_object_put(doc);
  cw_strlcpy(out, cw_buf_str(&b) ? cw_buf_str(&b) : "ConnectWise error", cap);
  cw_buf_free(&b);
}
