/* SPDX-License-Identifier: MIT */
/*
 * lp_dates.h — ISO calendar dates (YYYY-MM-DD) and monthly billing cycles for
 * the LastPass simulator.
 */
#ifndef LPSA_LP_DATES_H
#define LPSA_LP_DATES_H

/* 1 when `s` is a real date written YYYY-MM-DD (1970..9999). */
int lp_date_valid(const char *s);
/* Split a valid date. */
void lp_date_split(const char *s, int *y, int *m, int *d);
/* Today (UTC) as YYYY-MM-DD. */
void lp_date_today(char out[11]);
/* The calendar month `back` months before (y, m): its first and last day. */
void lp_month_cycle(int y, int m, int back, char start[11], char end[11]);

#endif
