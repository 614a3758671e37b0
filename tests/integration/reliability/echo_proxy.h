/* SPDX-License-Identifier: MIT */
/*
 * echo_proxy.h — a hostile server for the secrets tests: a loopback HTTP
 * proxy in front of a simulator that forwards every request (rewriting the
 * simulator's own URL in the answer's headers), except those its mode
 * picks, which it answers 400 with the request's headers quoted back in
 * the body, as a careless API gateway does.
 *
 * The quote is in one encoding per proxy (echo_form): each header
 * "Name: value" (Host, Accept, Content-*, User-Agent, Expect and
 * Accept-Encoding left out) is one entry E of the body's "errors" array,
 * and all of them joined are the "message" and the "detail" (the fields
 * the three clients show):
 *   {"title":"Bad Request","message":"refused: E; E","detail":"...",
 *    "errors":[{"message":E,"detail":E,"pointer":"/headers"}, ...]}
 */
#ifndef LPSA_TEST_ECHO_PROXY_H
#define LPSA_TEST_ECHO_PROXY_H

#include <stddef.h>

typedef enum echo_mode {
  ECHO_NONE,   /* forward everything */
  ECHO_WRITES, /* answer every write (any method but GET, POST .../query
                  excepted) */
  ECHO_ALL     /* answer every request */
} echo_mode;

typedef enum echo_form {
  ECHO_RAW,        /* Name: value */
  ECHO_PERCENT,    /* Name: percent-encoded value (lower-case hex) */
  ECHO_BASE64,     /* Name: base64 of the value */
  ECHO_BASE64_LINE /* base64 of the whole "Name: value" */
} echo_form;

typedef struct echo_proxy echo_proxy;

/* A proxy in front of `upstream` ("http://127.0.0.1:PORT"). NULL on
 * failure. */
echo_proxy *echo_proxy_start(const char *upstream);
void echo_proxy_stop(echo_proxy *p);
const char *echo_proxy_url(const echo_proxy *p);
void echo_proxy_set(echo_proxy *p, echo_mode mode, echo_form form);
/* Forward requests whose target contains `part` whatever the mode (NULL:
 * none). The string must outlive the proxy. */
void echo_proxy_pass(echo_proxy *p, const char *part);
/* Requests answered with an echo so far. */
unsigned echo_proxy_echoed(const echo_proxy *p);

#endif
