/* SPDX-License-Identifier: MIT */
/*
 * schedule.h — the `schedule` key: its grammar and the next run time.
 *
 * Grammar (words case-insensitive, separated by spaces or tabs):
 *   daily HH:MM              every day at HH:MM local time
 *   weekly DAY HH:MM         DAY = mon..sun or monday..sunday
 *   monthly D HH:MM          D = 1..31; in a month shorter than D the run is
 *                            on that month's last day (monthly 31 runs on
 *                            30 April and on 28 or 29 February)
 *   every Nh | every Nm      an interval: N hours or N minutes, from the
 *                            previous run; at least 5 minutes (a sync reads
 *                            every mapped company's billing, so more often
 *                            only loads the PSA and LastPass APIs) and at most
 *                            31 days
 * HH is 0..23 (one or two digits), MM is exactly two digits 00..59.
 *
 * Wall-clock kinds run in the local time zone (TZ, else /etc/localtime),
 * which is how a person reads "daily 02:00". Across daylight-saving changes:
 *   - a time that does not exist that day (02:30 when clocks jump from 02:00
 *     to 03:00) runs at the first instant after the gap (03:00);
 *   - a time that happens twice (01:30 when clocks fall back from 02:00 to
 *     01:00) runs once, at its first occurrence.
 * `every` intervals ignore the wall clock: next = after + N.
 */
#ifndef LPSA_CORE_SCHEDULE_H
#define LPSA_CORE_SCHEDULE_H

#include <stddef.h>
#include <time.h>

typedef enum schedule_kind {
  SCHEDULE_DAILY,
  SCHEDULE_WEEKLY,
  SCHEDULE_MONTHLY,
  SCHEDULE_EVERY
} schedule_kind;

#define SCHEDULE_MIN_INTERVAL (5LL * 60)
#define SCHEDULE_MAX_INTERVAL (31LL * 24 * 3600)

typedef struct schedule {
  schedule_kind kind;
  int hour, minute;   /* DAILY, WEEKLY, MONTHLY */
  int weekday;        /* WEEKLY: 0 = Sunday .. 6 = Saturday (as struct tm) */
  int day;            /* MONTHLY: 1..31 */
  long long interval; /* EVERY: seconds */
} schedule;

/* Parse `text`. Returns 0, or -1 with a one-line message in err that quotes
 * the text, says what is wrong and shows the grammar. The caller prefixes
 * the file and line. */
int schedule_parse(const char *text, schedule *out, char *err, size_t errlen);

/* The first run strictly after `after`. Wall-clock kinds use the local time
 * zone as it is now (tzset() is called, so a changed TZ takes effect).
 * Returns (time_t)-1 only if no run falls within the next 400 days or the
 * result would overflow, neither of which a parsed schedule can cause. */
time_t schedule_next(const schedule *s, time_t after);

/* The canonical text of a schedule ("weekly mon 02:00", "every 6h"), for
 * logs and `lpsa-host check`. Returns snprintf's result. */
int schedule_format(const schedule *s, char *buf, size_t len);

#endif
