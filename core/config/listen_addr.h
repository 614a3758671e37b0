/* SPDX-License-Identifier: MIT */
/*
 * listen_addr.h — the web console's `listen` value: where it accepts
 * connections, and whether that is loopback only.
 *
 *   127.0.0.1:8750      an IPv4 address and a port
 *   [::1]:8750          an IPv6 address in brackets
 *   localhost:8750      127.0.0.1 (never looked up: no DNS at start)
 *   0.0.0.0:8750, [::]:8750   every address (needs TLS, see web/)
 * The port is 1..65535, or 0 for one the system picks (tests).
 */
#ifndef LPSA_CORE_LISTEN_ADDR_H
#define LPSA_CORE_LISTEN_ADDR_H

#include <stddef.h>

typedef struct listen_addr {
  int family; /* AF_INET or AF_INET6 */
  unsigned char addr[16];
  int port;
  int loopback;  /* 127.0.0.0/8 or ::1 */
  char host[64]; /* the address as a numeric string ("127.0.0.1", "::1") */
} listen_addr;

/* Parse `text`. 0, or -1 with one line in err (quoting the text, saying what
 * is wrong and showing the form); the caller prefixes file and line. */
int listen_addr_parse(const char *text, listen_addr *out, char *err,
                      size_t errlen);

#endif
