/* SPDX-License-Identifier: MIT */
/*
 * duration.c — parsing and printing durations (see duration.h).
 */
#include "duration.h"

#include <stdio.h>
#include <string.h>

#define DURATION_MAX (10L * 366 * 86400)

static const struct {
  char unit;
  long seconds;
} units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
#define N_UNITS (sizeof units / sizeof *units)

int duration_parse(const char *text, long *seconds) {
  const char *p = text;
  long total = 0;
  size_t next_unit = 0; /* units must come in order, each once */
  if (!p || !*p)
    return -1;
  while (*p) {
    long n = 0;
    const char *start = p;
    while (*p >= '0' && *p <= '9') {
      if (n > DURATION_MAX)
        return -1;
      n = n * 10 + (*p++ - '0');
    }
    if (p == start)
      return -1;
    if (!*p && start == text) { /* a bare number: seconds */
      total = n;
      break;
    }
    size_t u = next_unit;
    while (u < N_UNITS && units[u].unit != *p)
      u++;
    if (u == N_UNITS || n > DURATION_MAX / units[u].seconds)
      return -1;
    total += n * units[u].seconds;
    if (total > DURATION_MAX)
      return -1;
    next_unit = u + 1;
    p++;
  }
  if (total > DURATION_MAX)
    return -1;
  *seconds = total;
  return 0;
}

void duration_format(long seconds, char *buf, size_t cap) {
  size_t used = 0;
  if (cap == 0)
    return;
  buf[0] = '\0';
  if (seconds <= 0) {
    snprintf(buf, cap, "0s");
    return;
  }
  for (size_t u = 0; u < N_UNITS; u++) {
    long n = seconds / units[u].seconds;
    seconds %= units[u].seconds;
    if (n == 0)
      continue;
    int w = snprintf(buf + used, cap - used, "%ld%c", n, units[u].unit);
    if (w < 0 || (size_t)w >= cap - used)
      return;
    used += (size_t)w;
  }
}
