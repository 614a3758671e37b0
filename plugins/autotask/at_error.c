/* SPDX-License-Identifier: MIT */
/*
 * at_error.c — Autotask error answers to status codes (see at_error.h).
 */
#include "at_error.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "at_json.h"
#include "lpsa/status.h"

/* Append `s` to out as printable single-line text. */
static void append_clean(char *out, size_t cap, size_t *len, const char *s,
                         size_t n) {
  for (size_t i = 0; i < n && s[i] && *len + 1 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    out[(*len)++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
  }
  out[*len] = '\0';
}

static void join_errors(json_object *errors, char *out, size_t cap) {
  size_t len = 0;
  out[0] = '\0';
  size_t n = json_object_array_length(errors);
  for (size_t i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(errors, i);
    const char *text = NULL;
    if (e && json_object_is_type(e, json_type_string))
      text = json_object_get_string(e);
    else if (at_json_string(e, "message", &text) != AT_FIELD_OK)
      text = NULL;
    if (!text || !*text)
      continue;
    if (len)
      append_clean(out, cap, &len, "; ", 2);
    append_clean(out, cap, &len, text, strlen(text));
  }
}

void at_error_text(const char *body, size_t body_len, char *out, size_t cap) {
  json_object *root = NULL, *errors = NULL;
  if (!cap)
    return;
  out[0] = '\0';
  if (!body || !body_len)
    return;
  if (at_json_parse_object(body, body_len, &root) == 0) {
    if (at_json_lookup(root, "errors", &errors) && errors &&
        json_object_is_type(errors, json_type_array))
      join_errors(errors, out, cap);
    else {
      const char *msg = NULL;
      if (at_json_string(root, "message", &msg) == AT_FIELD_OK) {
        size_t len = 0;
        append_clean(out, cap, &len, msg, strlen(msg));
      }
    }
    json_object_put(root);
    return;
  }
  /* Plain text (the 401 body, a proxy's page): its first line, trimmed. */
  size_t start = 0;
  while (start < body_len && (body[start] == ' ' || body[start] == '\t' ||
                              body[start] == '\r' || body[start] == '\n'))
    start++;
  size_t end = start;
  while (end < body_len && body[end] != '\r' && body[end] != '\n' &&
         end - start < 200)
    end++;
  size_t len = 0;
  append_clean(out, cap, &len, body + start, end - start);
}

static int contains_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0)
      return 1;
  return 0;
}

int at_error_from_answer(long http_status, const char *body, size_t body_len,
                         const char *doing, char *err, size_t errlen) {
  char text[512];
  at_error_text(body, body_len, text, sizeof text);
  const char *sep = text[0] ? ": " : "";
  if (http_status == 401) {
    snprintf(err, errlen,
             "Autotask rejected the API user: check username, secret and "
             "integration_code (HTTP 401 while %s)",
             doing);
    return LPSA_ERR_AUTH;
  }
  /* Autotask answers a wrong integration code with HTTP 500 and this
   * text, not with a 401. */
  if (contains_ci(text, "IntegrationCode is invalid") ||
      contains_ci(text, "Integration Code is invalid")) {
    snprintf(err, errlen,
             "integration code rejected by Autotask (HTTP %ld while %s%s%s): "
             "set integration_code to the API Tracking Identifier on the API "
             "user's Security tab in Autotask (Admin > Resources/Users)",
             http_status, doing, sep, text);
    return LPSA_ERR_AUTH;
  }
  if (contains_ci(text, "thread threshold") ||
      contains_ci(text, "request threshold") || http_status == 429) {
    snprintf(err, errlen,
             "Autotask is throttling this integration (HTTP %ld while %s%s%s); "
             "another integration may share the limit: try again later",
             http_status, doing, sep, text);
    return LPSA_ERR_RATE_LIMITED;
  }
  if (http_status == 403 || contains_ci(text, "adequate permission")) {
    snprintf(err, errlen,
             "Autotask refused access (HTTP %ld while %s%s%s): the API user "
             "does not have the adequate permissions; grant its security "
             "level access to what is named here",
             http_status, doing, sep, text);
    return LPSA_ERR_PERMISSION;
  }
  snprintf(err, errlen, "Autotask answered HTTP %ld while %s: %s", http_status,
           doing, text[0] ? text : "(no error text)");
  return http_status == 404 ? LPSA_ERR_NOT_FOUND : LPSA_ERR_REMOTE;
}
