/* SPDX-License-Identifier: MIT */
/*
 * at_date.h — calendar dates as Autotask sends them, and the month arithmetic
 * the billing period needs. Pure: no I/O, no clock, no time zones.
 *
 * Autotask stores contract and units dates as whole days but sends them as
 * date-times ("2026-11-01T00:00:00", sometimes with "Z", a fraction or an
 * offset). Only the calendar date counts, so the time part is parsed for
 * validity and dropped: converting through time_t would move a midnight date
 * to the previous day in any zone west of UTC.
 */
#ifndef AT_DATE_H
#define AT_DATE_H

typedef struct at_date {
  int y; /* 1..9999 */
  int m; /* 1..12 */
  int d; /* 1..days in month */
} at_date;

/* "YYYY-MM-DD" optionally followed by "THH:MM[:SS[.fff]]" and "Z" or
 * "+HH:MM"/"-HH:MM" (or a space instead of T). Returns 0, or -1 when `s` is
 * NULL, malformed or not a real date (2026-02-30). */
int at_date_parse(const char *s, at_date *out);

/* "YYYY-MM-DD" into out (11 bytes). */
void at_date_format(const at_date *d, char out[11]);

/* <0, 0, >0 like strcmp. */
int at_date_cmp(const at_date *a, const at_date *b);

int at_is_leap_year(int y);
int at_days_in_month(int y, int m);

/* `base` moved by `months` (may be negative), the day clamped to the last
 * day of the target month: Jan 31 + 1 month = Feb 28 (29 in leap years). */
at_date at_date_add_months(const at_date *base, int months);

/* `base` moved by `days` (may be negative). */
at_date at_date_add_days(const at_date *base, int days);

/* Whole months from a to b ignoring days: (b.y-a.y)*12 + (b.m-a.m). */
int at_month_diff(const at_date *a, const at_date *b);

#endif
