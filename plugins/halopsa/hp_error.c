/* SPDX-License-Identifier: MIT */
/*
 * hp_error.c — HaloPSA error answers (see hp_error.h).
 */
#include "hp_error.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "hp_json.h"
#include "lpsa/status.h"

static void clean_copy(const char *in, size_t len, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < len && in[i] && o + 1 < cap && o < 200; i++) {
    unsigned char c = (unsigned char)in[i];
    out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
  }
  while (o && out[o - 1] == ' ')
    o--;
  if (cap)
    out[o] = '\0';
}

void hp_error_text(const char *body, size_t len, char *out, size_t cap) {
  if (cap)
    out[0] = '\0';
  if (!body || !len)
    return;
  json_tokener *tok = json_tokener_new();
  json_object *doc = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
  json_tokener_free(tok);
  static const char *const keys[] = {"errorMessage", "Message", "message",
                                     "error_description", "error"};
  const char *msg = NULL;
  for (size_t i = 0; doc && !msg && i < sizeof keys / sizeof *keys; i++)
    msg = hp_string(doc, keys[i]);
  if (msg)
    clean_copy(msg, strlen(msg), out, cap);
  else if (!doc || !json_object_is_type(doc, json_type_object))
    clean_copy(body, len, out, cap);
  json_object_put(doc);
}

int hp_error_from_answer(long status, const char *body, size_t len,
                         const char *doing, const char *scope, char *err,
                         size_t errlen) {
  char msg[256];
  hp_error_text(body, len, msg, sizeof msg);
  const char *sep = msg[0] ? ": " : "";
  switch (status) {
  case 401:
    snprintf(err, errlen,
             "HaloPSA refused the API application's token while %s (HTTP "
             "401%s%s), even a fresh one: check client_id and client_secret "
             "(Configuration > Integrations > Halo API)",
             doing, sep, msg);
    return LPSA_ERR_AUTH;
  case 403:
    snprintf(err, errlen,
             "HaloPSA denied %s (HTTP 403%s%s): give the API application "
             "the %s permission, and ask for it in scope",
             doing, sep, msg, scope ? scope : "needed");
    return LPSA_ERR_PERMISSION;
  case 404:
    snprintf(err, errlen, "HaloPSA found nothing while %s (HTTP 404%s%s)",
             doing, sep, msg);
    return LPSA_ERR_NOT_FOUND;
  case 429:
    snprintf(err, errlen,
             "HaloPSA still refused requests over its rate limit after the "
             "back-off while %s (HTTP 429%s%s): another integration may "
             "share the limit; lower requests_per_5min or run later",
             doing, sep, msg);
    return LPSA_ERR_RATE_LIMITED;
  default:
    break;
  }
  if (status >= 500)
    snprintf(err, errlen,
             "HaloPSA failed while %s (HTTP %ld%s%s); try again later", doing,
             status, sep, msg);
  else
    snprintf(err, errlen, "HaloPSA refused %s (HTTP %ld%s%s)", doing, status,
             sep, msg);
  return LPSA_ERR_REMOTE;
}
