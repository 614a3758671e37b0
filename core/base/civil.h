/* SPDX-License-Identifier: MIT */
/*
 * civil.h — proleptic Gregorian calendar arithmetic (H. Hinnant's
 * algorithms): days since 1970-01-01 of a date and back. Plain integer
 * arithmetic, exact for every date time_t can hold, that never consults the
 * time zone or the environment (timegm() and mktime() may).
 */
#ifndef LPSA_CORE_CIVIL_H
#define LPSA_CORE_CIVIL_H

/* Days from 1970-01-01 to y-m-d (m is 1..12; d past the month's end counts
 * on into the next months, as timegm() does). */
long long days_from_civil(long long y, int m, int d);
/* The date of day z (days since 1970-01-01). */
void civil_from_days(long long z, long long *y, int *m, int *d);
/* 28..31 (m is 1..12). */
int civil_days_in_month(long long y, int m);

#endif
