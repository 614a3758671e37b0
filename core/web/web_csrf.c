/* SPDX-License-Identifier: MIT */
/*
 * web_csrf.c — which methods need the token, and the constant-time check.
 */
#include "web_csrf.h"

#include <string.h>

int web_csrf_needed(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
         strcmp(method, "OPTIONS") != 0;
}

int web_csrf_valid(const web_session *s, const char *sent) {
  return web_token_equal(s->csrf, sent);
}
