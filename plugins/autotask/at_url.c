/* SPDX-License-Identifier: MIT */
/*
 * at_url.c — URL checks and trimming (see at_url.h).
 */
#include "at_url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *at_url_base(const char *url) {
  size_t n = strlen(url);
  for (;;) {
    while (n && url[n - 1] == '/')
      n--;
    if (n >= 5 && strncasecmp(url + n - 5, "/v1.0", 5) == 0)
      n -= 5;
    else
      break;
  }
  char *out = malloc(n + 1);
  if (out) {
    memcpy(out, url, n);
    out[n] = '\0';
  }
  return out;
}

size_t at_url_origin_len(const char *url) {
  const char *p = strstr(url, "://");
  if (!p || p == url)
    return 0;
  p += 3;
  size_t host = strcspn(p, "/?#");
  if (host == 0)
    return 0;
  return (size_t)(p - url) + host;
}

int at_url_same_origin(const char *a, const char *b) {
  size_t la = at_url_origin_len(a), lb = at_url_origin_len(b);
  return la && la == lb && strncasecmp(a, b, la) == 0;
}

static int loopback_host(const char *h, size_t n) {
  if (n >= 9 && strncasecmp(h, "localhost", 9) == 0 && (n == 9 || h[9] == ':'))
    return 1;
  if (n >= 5 && strncmp(h, "[::1]", 5) == 0 && (n == 5 || h[5] == ':'))
    return 1;
  if (n >= 4 && strncmp(h, "127.", 4) == 0) {
    for (size_t i = 4; i < n && h[i] != ':'; i++)
      if (!(h[i] == '.' || (h[i] >= '0' && h[i] <= '9')))
        return 0;
    return 1;
  }
  return 0;
}

int at_url_is_safe(const char *url) {
  size_t o = at_url_origin_len(url);
  if (!o)
    return 0;
  if (strncasecmp(url, "https://", 8) == 0)
    return 1;
  if (strncasecmp(url, "http://", 7) != 0)
    return 0;
  const char *host = url + 7;
  size_t n = o - 7;
  /* user@host is never what Autotask sends. */
  if (memchr(host, '@', n))
    return 0;
  return loopback_host(host, n);
}
