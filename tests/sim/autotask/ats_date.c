/* SPDX-License-Identifier: MIT */
/*
 * ats_date.c — parsing, formatting and month arithmetic of Autotask dates.
 *
 * Civil-date conversion uses Howard Hinnant's days_from_civil algorithm: no
 * timegm(), no time zone state, so results never depend on the machine.
 */
#include "ats_date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int64_t ats_days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void ats_civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int ats_days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return days[m - 1];
}

/* Reads exactly n digits; returns -1 when they are not all digits. */
static int digits(const char **p, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i]))
      return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  return v;
}

static int parse_time(const char **p, int64_t *secs) {
  int hh = digits(p, 2);
  if (hh < 0 || hh > 23 || **p != ':')
    return -1;
  (*p)++;
  int mm = digits(p, 2);
  if (mm < 0 || mm > 59)
    return -1;
  int ss = 0;
  if (**p == ':') {
    (*p)++;
    ss = digits(p, 2);
    if (ss < 0 || ss > 60)
      return -1;
    if (**p == '.') {
      (*p)++;
      if (!isdigit((unsigned char)**p))
        return -1;
      while (isdigit((unsigned char)**p))
        (*p)++;
    }
  }
  *secs = hh * 3600 + mm * 60 + ss;
  return 0;
}

static int parse_zone(const char *p, int64_t *offset) {
  *offset = 0;
  if (*p == '\0' || ((*p == 'Z' || *p == 'z') && p[1] == '\0'))
    return 0;
  if (*p != '+' && *p != '-')
    return -1;
  int sign = *p == '-' ? -1 : 1;
  p++;
  int hh = digits(&p, 2);
  if (hh < 0 || hh > 14)
    return -1;
  if (*p == ':')
    p++;
  int mm = digits(&p, 2);
  if (mm < 0 || mm > 59 || *p != '\0')
    return -1;
  *offset = sign * (hh * 3600 + mm * 60);
  return 0;
}

int ats_date_parse(const char *s, int64_t *out) {
  if (!s)
    return -1;
  const char *p = s;
  int y = digits(&p, 4);
  if (y < 0 || *p++ != '-')
    return -1;
  int m = digits(&p, 2);
  if (m < 1 || m > 12 || *p++ != '-')
    return -1;
  int d = digits(&p, 2);
  if (d < 1 || d > ats_days_in_month(y, m))
    return -1;
  int64_t secs = 0;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    p++;
    if (parse_time(&p, &secs) != 0)
      return -1;
  }
  int64_t offset;
  if (parse_zone(p, &offset) != 0)
    return -1;
  *out = ats_days_from_civil(y, m, d) * ATS_DAY_SECS + secs - offset;
  return 0;
}

int ats_date_parse_day(const char *s, int64_t *out) {
  int64_t instant;
  if (ats_date_parse(s, &instant) != 0)
    return -1;
  /* Valid, so the first ten characters are YYYY-MM-DD. */
  const char *p = s;
  int y = digits(&p, 4);
  p++;
  int m = digits(&p, 2);
  p++;
  int d = digits(&p, 2);
  *out = ats_days_from_civil(y, m, d) * ATS_DAY_SECS;
  return 0;
}

void ats_date_format(int64_t t, ats_date_style style, char *buf, size_t len) {
  int64_t days =
      t >= 0 ? t / ATS_DAY_SECS : -((-t + ATS_DAY_SECS - 1) / ATS_DAY_SECS);
  int64_t secs = t - days * ATS_DAY_SECS;
  int y, m, d;
  ats_civil_from_days(days, &y, &m, &d);
  const char *tail = style == ATS_DATE_PLAIN    ? ""
                     : style == ATS_DATE_MILLIS ? ".000Z"
                     : style == ATS_DATE_EAST   ? "+02:00"
                     : style == ATS_DATE_WEST   ? "-05:00"
                                                : "Z";
  snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d,
           (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), tail);
}

int64_t ats_day_floor(int64_t t) {
  int64_t days =
      t >= 0 ? t / ATS_DAY_SECS : -((-t + ATS_DAY_SECS - 1) / ATS_DAY_SECS);
  return days * ATS_DAY_SECS;
}

int64_t ats_add_months(int64_t t, int months) {
  int y, m, d;
  ats_civil_from_days(ats_day_floor(t) / ATS_DAY_SECS, &y, &m, &d);
  int total = y * 12 + (m - 1) + months;
  int ny = total / 12, nm = total % 12 + 1;
  int dim = ats_days_in_month(ny, nm);
  return ats_days_from_civil(ny, nm, d > dim ? dim : d) * ATS_DAY_SECS;
}
