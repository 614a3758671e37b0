/* SPDX-License-Identifier: MIT */
/*
 * lp_dates.c — calendar arithmetic for billing cycles (see lp_dates.h).
 */
#include "lp_dates.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

int lp_date_valid(const char *s) {
  int y, m, d;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
      return 0;
  lp_date_split(s, &y, &m, &d);
  return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

void lp_date_split(const char *s, int *y, int *m, int *d) {
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
       (s[3] - '0');
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
}

/* Through a roomy buffer: the compiler cannot prove the fields are small. */
static void format_date(int y, int m, int d, char out[11]) {
  char buf[48];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
  memcpy(out, buf, 10);
  out[10] = '\0';
}

void lp_date_today(char out[11]) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  format_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}

void lp_month_cycle(int y, int m, int back, char start[11], char end[11]) {
  int months = y * 12 + (m - 1) - back;
  y = months / 12;
  m = months % 12 + 1;
  format_date(y, m, 1, start);
  format_date(y, m, days_in_month(y, m), end);
}
