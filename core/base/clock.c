/* SPDX-License-Identifier: MIT */
/*
 * clock.c — the run clock (LPSA_NOW or the system's), and its UTC text.
 */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>

#include "civil.h"

time_t clock_parse_utc(const char *text) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  char tail = 0;
  if (!text)
    return -1;
  int n = sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s,
                 &tail);
  if (n != 3 && !(n == 7 && tail == 'Z'))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return -1;
  return (time_t)(days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL +
                  s);
}

time_t clock_now(void) {
  time_t fixed = clock_parse_utc(getenv("LPSA_NOW"));
  return fixed != (time_t)-1 ? fixed : time(NULL);
}

void clock_utc_text(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
