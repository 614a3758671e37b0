/* SPDX-License-Identifier: MIT */
/*
 * retry_after.c — Retry-After parsing (see retry_after.h).
 */
#include "retry_after.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "civil.h"

static int month_index(const char *name) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; i++)
    if (strcmp(name, months[i]) == 0)
      return i;
  return -1;
}

/* Own arithmetic rather than timegm(), which may consult the environment. */
static time_t make_time(int year, int mon, int day, int h, int mi, int s) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mon < 0 || mon > 11 || day < 1 || day > mdays[mon] || h < 0 || h > 23 ||
      mi < 0 || mi > 59 || s < 0 || s > 60 || year < 1900 || year > 9999)
    return (time_t)-1;
  long long days = days_from_civil(year, mon + 1, day);
  return (time_t)(days * 86400LL + h * 3600LL + mi * 60LL + s);
}

time_t retry_after_http_date(const char *value) {
  char wday[16], mon[4], zone[4];
  int day, year, h, mi, s, used = 0;
  if (!value)
    return (time_t)-1;
  /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
  if (sscanf(value, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", wday, &day, mon,
             &year, &h, &mi, &s, zone, &used) == 8 &&
      strcmp(zone, "GMT") == 0 && value[used] == '\0')
    return make_time(year, month_index(mon), day, h, mi, s);
  /* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit year: RFC 9110
   * says to read it as the nearest past century; 1970.. covers real uses). */
  used = 0;
  if (sscanf(value, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s%n", wday, &day,
             mon, &year, &h, &mi, &s, zone, &used) == 8 &&
      strcmp(zone, "GMT") == 0 && value[used] == '\0')
    return make_time(year + (year < 70 ? 2000 : 1900), month_index(mon), day, h,
                     mi, s);
  /* asctime: "Sun Nov  6 08:49:37 1994" */
  used = 0;
  if (sscanf(value, "%3s %3s %2d %2d:%2d:%2d %4d%n", wday, mon, &day, &h, &mi,
             &s, &year, &used) == 7 &&
      value[used] == '\0')
    return make_time(year, month_index(mon), day, h, mi, s);
  return (time_t)-1;
}

static long delta_seconds(const char *p) {
  long long total = 0;
  for (; isdigit((unsigned char)*p); p++)
    if (total < LONG_MAX / 1000)
      total = total * 10 + (*p - '0');
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return -1;
  return total < LONG_MAX / 1000 ? (long)total : LONG_MAX / 1000;
}

long retry_after_seconds(const char *value, time_t now) {
  if (!value)
    return -1;
  while (*value == ' ' || *value == '\t')
    value++;
  if (isdigit((unsigned char)*value))
    return delta_seconds(value);
  char trimmed[64];
  size_t len = strlen(value);
  while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
    len--;
  if (len == 0 || len >= sizeof trimmed)
    return -1;
  memcpy(trimmed, value, len);
  trimmed[len] = '\0';
  time_t when = retry_after_http_date(trimmed);
  if (when == (time_t)-1)
    return -1;
  if (when <= now)
    return 0;
  long long diff = (long long)when - (long long)now;
  return diff < LONG_MAX / 1000 ? (long)diff : LONG_MAX / 1000;
}
