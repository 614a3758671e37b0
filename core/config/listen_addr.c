/* SPDX-License-Identifier: MIT */
/*
 * listen_addr.c — parse HOST:PORT with inet_pton (numeric addresses only).
 */
#include "listen_addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define FORM "write HOST:PORT, e.g. 127.0.0.1:8750 or [::1]:8750"

static int parse_port(const char *s, int *port) {
  if (!*s || strlen(s) > 5)
    return -1;
  int v = 0;
  for (; *s; s++) {
    if (!isdigit((unsigned char)*s))
      return -1;
    v = v * 10 + (*s - '0');
  }
  if (v > 65535)
    return -1;
  *port = v;
  return 0;
}

int listen_addr_parse(const char *text, listen_addr *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  char host[64];
  const char *port;
  if (text[0] == '[') {
    const char *close = strchr(text, ']');
    if (!close || close[1] != ':' ||
        (size_t)(close - text - 1) >= sizeof host) {
      snprintf(err, errlen,
               "listen = %s: an IPv6 address needs brackets and "
               "a port; " FORM,
               text);
      return -1;
    }
    memcpy(host, text + 1, (size_t)(close - text - 1));
    host[close - text - 1] = '\0';
    port = close + 2;
    out->family = AF_INET6;
  } else {
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof host ||
        memchr(text, ':', (size_t)(colon - text))) {
      snprintf(err, errlen, "listen = %s: no HOST:PORT; " FORM, text);
      return -1;
    }
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    port = colon + 1;
    out->family = AF_INET;
    if (strcasecmp(host, "localhost") == 0)
      snprintf(host, sizeof host, "127.0.0.1");
  }
  if (parse_port(port, &out->port)) {
    snprintf(err, errlen,
             "listen = %s: the port must be a number from 1 to "
             "65535; " FORM,
             text);
    return -1;
  }
  if (inet_pton(out->family, host, out->addr) != 1) {
    snprintf(err, errlen,
             "listen = %s: \"%s\" is not a numeric %s address "
             "(names other than localhost are not looked up); " FORM,
             text, host, out->family == AF_INET ? "IPv4" : "IPv6");
    return -1;
  }
  static const unsigned char v6_loopback[16] = {[15] = 1};
  out->loopback = out->family == AF_INET
                      ? out->addr[0] == 127
                      : memcmp(out->addr, v6_loopback, 16) == 0;
  inet_ntop(out->family, out->addr, out->host, sizeof out->host);
  return 0;
}
