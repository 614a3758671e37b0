/* SPDX-License-Identifier: MIT */
/*
 * dates.c — parsing and printing canonical UTC dates (see dates.h).
 */
#include "dates.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Reads exactly `n` digits at *p into *v and advances; -1 if not digits. */
static int digits(const char **p, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i]))
      return -1;
    x = x * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *v = x;
  return 0;
}

static int leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Parses the optional "THH:MM[:SS[.fff]]" part. */
static int parse_time(const char **p, int *hh, int *mi, int *ss) {
  *hh = *mi = *ss = 0;
  if (**p != 'T' && **p != 't' && **p != ' ')
    return 0;
  (*p)++;
  if (digits(p, 2, hh) || **p != ':')
    return -1;
  (*p)++;
  if (digits(p, 2, mi))
    return -1;
  if (**p == ':') {
    (*p)++;
    if (digits(p, 2, ss))
      return -1;
    if (**p == '.') {
      (*p)++;
      if (!isdigit((unsigned char)**p))
        return -1;
      while (isdigit((unsigned char)**p))
        (*p)++;
    }
  }
  return *hh < 24 && *mi < 60 && *ss < 60 ? 0 : -1;
}

int cw_date_parse(const char *text, char out[CW_DATE_LEN]) {
  const char *p = text;
  int y, m, d, hh, mi, ss;
  if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &m) || *p++ != '-' ||
      digits(&p, 2, &d))
    return -1;
  if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
    return -1;
  if (parse_time(&p, &hh, &mi, &ss))
    return -1;
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (strcmp(p, "+00:00") == 0)
    p += 6;
  if (*p)
    return -1;
  /* Every field is range-checked above; the casts tell the compiler so. */
  snprintf(out, CW_DATE_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
           (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u,
           (unsigned)hh % 100u, (unsigned)mi % 100u, (unsigned)ss % 100u);
  return 0;
}

void cw_date_format(time_t t, char out[CW_DATE_LEN]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, CW_DATE_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
