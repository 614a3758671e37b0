/* SPDX-License-Identifier: MIT */
/*
 * http_sensitive.h — which request headers carry credentials: the one list
 * the host consults. Each HTTP client holds a table, filled with the
 * defaults below; more names are added to it at run time (a driver's own
 * credential headers), never by copying the list elsewhere.
 *
 * For a header in the table the HTTP client logs the name with "***" for
 * the value, and registers the value it sends for redaction in every
 * encoding (redact.h), so that a server quoting it back is hidden too.
 *
 * Defaults: the HTTP authentication and session headers (Authorization,
 * which carries LastPass's credential too, Proxy-Authorization, Cookie)
 * and the API-key headers in common use (X-Api-Key, Api-Key). A PSA's own
 * credential headers (ConnectWise's clientId; Autotask's UserName, Secret,
 * ApiIntegrationCode) are its driver's to declare, in the descriptor's
 * sensitive_headers, and join the table when the driver is opened
 * (host_open_driver). Names compare without case, as HTTP says.
 */
#ifndef LPSA_CORE_HTTP_SENSITIVE_H
#define LPSA_CORE_HTTP_SENSITIVE_H

#include <stddef.h>

typedef struct http_sensitive {
  char **names;
  size_t n;
} http_sensitive;

/* The table with the defaults. 0, or -1 when out of memory. */
int http_sensitive_init(http_sensitive *t);
/* Add a header name ("X-Auth-Token", no colon; duplicates are kept once).
 * 0, or -1 when out of memory or the name is not an HTTP token. */
int http_sensitive_add(http_sensitive *t, const char *name);
/* 1 when the header line "Name: value" (or the bare name) is in the
 * table. */
int http_sensitive_has(const http_sensitive *t, const char *line);
void http_sensitive_free(http_sensitive *t);

#endif
