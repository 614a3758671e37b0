/* SPDX-License-Identifier: MIT */
/*
 * http_sensitive.c — the table of credential-carrying request headers.
 */
#include "http_sensitive.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The host's own; a PSA's credential headers come from its driver's
 * descriptor (lpsa_driver.sensitive_headers), added at run time. */
static const char *const defaults[] = {"Authorization", "Proxy-Authorization",
                                       "Cookie", "X-Api-Key", "Api-Key"};

static int token(const char *name) {
  if (!*name)
    return 0;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || strchr("!#$%&'*+-.^_`|~", *p)))
      return 0;
  return 1;
}

int http_sensitive_init(http_sensitive *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
    if (http_sensitive_add(t, defaults[i])) {
      http_sensitive_free(t);
      return -1;
    }
  return 0;
}

int http_sensitive_add(http_sensitive *t, const char *name) {
  if (!name || !token(name))
    return -1;
  if (http_sensitive_has(t, name))
    return 0;
  char **grown = realloc(t->names, (t->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  t->names = grown;
  if (!(t->names[t->n] = strdup(name)))
    return -1;
  t->n++;
  return 0;
}

int http_sensitive_has(const http_sensitive *t, const char *line) {
  size_t n = strcspn(line, ":");
  while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
    n--;
  for (size_t i = 0; i < t->n; i++)
    if (strlen(t->names[i]) == n && strncasecmp(line, t->names[i], n) == 0)
      return 1;
  return 0;
}

void http_sensitive_free(http_sensitive *t) {
  for (size_t i = 0; i < t->n; i++)
    free(t->names[i]);
  free(t->names);
  t->names = NULL;
  t->n = 0;
}
