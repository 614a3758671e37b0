/* SPDX-License-Identifier: MIT */
/*
 * ats_date.h — dates as the Autotask simulator sees them.
 *
 * Autotask sends datetimes as "2026-11-01T00:00:00Z" and sometimes without
 * the "Z" (or with fractional seconds); the simulator accepts all of them and
 * works on whole seconds since 1970 in UTC. Billing periods step by whole
 * months from an anchor day with the day clamped at month end, so a contract
 * starting on the 31st has periods starting 01-31, 02-28, 03-31, ...
 */
#ifndef ATS_DATE_H
#define ATS_DATE_H

#include <stddef.h>
#include <stdint.h>

#define ATS_DAY_SECS 86400

/* How datetimes are written on the wire (the real API is inconsistent). */
typedef enum ats_date_style {
  ATS_DATE_Z = 0,      /* 2026-11-01T00:00:00Z (default) */
  ATS_DATE_PLAIN = 1,  /* 2026-11-01T00:00:00 */
  ATS_DATE_MILLIS = 2, /* 2026-11-01T00:00:00.000Z */
  /* A database east or west of UTC writing its own midnight with its
   * offset: the calendar date is the part before the T. */
  ATS_DATE_EAST = 3, /* 2026-11-01T00:00:00+02:00 */
  ATS_DATE_WEST = 4  /* 2026-11-01T00:00:00-05:00 */
} ats_date_style;

/* Parses "YYYY-MM-DD" optionally followed by "THH:MM[:SS[.fff]]" and "Z" or
 * "+HH:MM"/"-HH:MM". Returns 0 and the UTC seconds, or -1. */
int ats_date_parse(const char *s, int64_t *out);

/* The calendar date a datetime string is written on, whatever its time and
 * offset ("2026-11-01T23:00:00-05:00" is 2026-11-01): midnight UTC of it.
 * Autotask keeps dates as days in the database's own zone. Returns 0, or -1
 * when ats_date_parse() would refuse the string. */
int ats_date_parse_day(const char *s, int64_t *out);

/* Writes t in the given style into buf (at least 32 bytes). */
void ats_date_format(int64_t t, ats_date_style style, char *buf, size_t len);

/* Days since 1970-01-01 of a civil date, and back. */
int64_t ats_days_from_civil(int y, int m, int d);
void ats_civil_from_days(int64_t days, int *y, int *m, int *d);

int ats_days_in_month(int y, int m);

/* The midnight of the day `months` months after t's day, with the day of
 * the month clamped at month end. The anchor day is t's own day, so stepping
 * from an anchor k*n months gives the clamped series the billing uses. */
int64_t ats_add_months(int64_t t, int months);

/* Midnight (UTC) of the day holding t. */
int64_t ats_day_floor(int64_t t);

#endif
