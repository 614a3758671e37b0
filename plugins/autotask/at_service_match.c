/* SPDX-License-Identifier: MIT */
/*
 * at_service_match.c — resolving a configured service reference (see
 * at_service_match.h).
 */
#include "at_service_match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int at_ref_is_id(const char *ref, long long *id) {
  size_t n = strlen(ref);
  if (n == 0 || n > 18 || strspn(ref, "0123456789") != n)
    return 0;
  *id = strtoll(ref, NULL, 10);
  return *id > 0;
}

/* Among the matches of `same`, the unique one, the unique active one, or
 * an error. */
static long pick(const char *ref, const at_service *s, size_t n,
                 int (*same)(const char *, const char *)) {
  long hit = AT_MATCH_NONE, active_hit = AT_MATCH_NONE;
  size_t hits = 0, active = 0;
  for (size_t i = 0; i < n; i++) {
    if (!s[i].name || same(s[i].name, ref) != 0)
      continue;
    hits++;
    hit = (long)i;
    if (s[i].active) {
      active++;
      active_hit = (long)i;
    }
  }
  if (hits <= 1)
    return hit;
  return active == 1 ? active_hit : AT_MATCH_AMBIGUOUS;
}

long at_match_service(const char *ref, const at_service *services, size_t n) {
  long long id;
  if (at_ref_is_id(ref, &id))
    for (size_t i = 0; i < n; i++)
      if (services[i].id == id)
        return (long)i;
  long exact = pick(ref, services, n, strcmp);
  if (exact != AT_MATCH_NONE)
    return exact;
  return pick(ref, services, n, strcasecmp);
}
