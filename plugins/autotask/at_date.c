/* SPDX-License-Identifier: MIT */
/*
 * at_date.c — parsing Autotask dates and calendar arithmetic (see at_date.h).
 */
#include "at_date.h"

#include <ctype.h>

int at_is_leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int at_days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12)
    return 0;
  return m == 2 && at_is_leap_year(y) ? 29 : days[m - 1];
}

/* Read exactly `n` digits at *p into *out and advance. */
static int digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i]))
      return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *out = v;
  return 0;
}

/* "HH:MM[:SS[.fff]]" then "Z" / "+HH:MM" / "-HH:MM" / nothing, to the end. */
static int parse_time_tail(const char *p) {
  int h, mi, s = 0, oh, om;
  if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
    return -1;
  if (*p == ':') {
    p++;
    if (digits(&p, 2, &s))
      return -1;
    if (*p == '.') {
      p++;
      if (!isdigit((unsigned char)*p))
        return -1;
      while (isdigit((unsigned char)*p))
        p++;
    }
  }
  if (h > 23 || mi > 59 || s > 60)
    return -1;
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-') {
    p++;
    if (digits(&p, 2, &oh))
      return -1;
    if (*p == ':')
      p++;
    if (digits(&p, 2, &om) || oh > 23 || om > 59)
      return -1;
  }
  return *p ? -1 : 0;
}

int at_date_parse(const char *s, at_date *out) {
  at_date d;
  const char *p = s;
  if (!s || !out)
    return -1;
  if (digits(&p, 4, &d.y) || *p++ != '-' || digits(&p, 2, &d.m) ||
      *p++ != '-' || digits(&p, 2, &d.d))
    return -1;
  if (d.y < 1 || d.m < 1 || d.m > 12 || d.d < 1 ||
      d.d > at_days_in_month(d.y, d.m))
    return -1;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    if (parse_time_tail(p + 1))
      return -1;
  } else if (*p) {
    return -1;
  }
  *out = d;
  return 0;
}

void at_date_format(const at_date *d, char out[11]) {
  /* Digit by digit: the values are valid dates, and this keeps the
   * compiler's truncation analysis quiet without a larger buffer. */
  unsigned y = (unsigned)d->y % 10000u, m = (unsigned)d->m % 100u,
           dd = (unsigned)d->d % 100u;
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + dd / 10);
  out[9] = (char)('0' + dd % 10);
  out[10] = '\0';
}

int at_date_cmp(const at_date *a, const at_date *b) {
  if (a->y != b->y)
    return a->y < b->y ? -1 : 1;
  if (a->m != b->m)
    return a->m < b->m ? -1 : 1;
  if (a->d != b->d)
    return a->d < b->d ? -1 : 1;
  return 0;
}

int at_month_diff(const at_date *a, const at_date *b) {
  return (b->y - a->y) * 12 + (b->m - a->m);
}

at_date at_date_add_months(const at_date *base, int months) {
  /* Months counted from year 0 keep the arithmetic free of sign tricks for
   * any date this code can meet (years 1..9999). */
  int total = base->y * 12 + (base->m - 1) + months;
  at_date r;
  r.y = total / 12;
  r.m = total % 12 + 1;
  int dim = at_days_in_month(r.y, r.m);
  r.d = base->d < dim ? base->d : dim;
  return r;
}

at_date at_date_add_days(const at_date *base, int days) {
  at_date r = *base;
  while (days > 0) {
    int dim = at_days_in_month(r.y, r.m);
    if (r.d + days <= dim) {
      r.d += days;
      break;
    }
    days -= dim - r.d + 1;
    r.d = 1;
    if (++r.m > 12) {
      r.m = 1;
      r.y++;
    }
  }
  while (days < 0) {
    if (r.d + days >= 1) {
      r.d += days;
      break;
    }
    days += r.d;
    if (--r.m < 1) {
      r.m = 12;
      r.y--;
    }
    r.d = at_days_in_month(r.y, r.m);
  }
  return r;
}
