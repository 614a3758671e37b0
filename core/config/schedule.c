/* SPDX-License-Identifier: MIT */
/*
 * schedule.c — parse the `schedule` key and compute the next run.
 *
 * The next run is found by walking calendar days in plain civil arithmetic
 * (no mktime(): its handling of times that do not exist or exist twice is
 * implementation-defined) and turning each candidate wall-clock time into an
 * instant with the zone's UTC offsets read through localtime_r().
 */
#include "schedule.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "civil.h"

#define GRAMMAR                                                                \
  "write daily HH:MM, weekly DAY HH:MM, monthly D HH:MM, every Nh or "         \
  "every Nm"
#define MAX_TOKENS 4
#define DAY_SECONDS 86400LL

static const char *const day_names[7] = {"sunday",    "monday",   "tuesday",
                                         "wednesday", "thursday", "friday",
                                         "saturday"};

__attribute__((format(printf, 4, 5))) static int
fail(char *err, size_t errlen, const char *text, const char *fmt, ...) {
  if (!err || !errlen)
    return -1;
  int n = snprintf(err, errlen, "schedule \"%s\": ", text);
  if (n < 0 || (size_t)n >= errlen)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* Split on spaces and tabs into at most MAX_TOKENS (+1 to detect extras)
 * words copied into buf. Returns the word count. */
static int tokenize(const char *text, char *buf, size_t buflen,
                    char *tok[MAX_TOKENS + 1]) {
  size_t len = strlen(text);
  if (len >= buflen) /* the caller checked; truncate rather than overrun */
    len = buflen - 1;
  memcpy(buf, text, len);
  buf[len] = '\0';
  int n = 0;
  for (char *save = NULL, *w = strtok_r(buf, " \t", &save);
       w && n <= MAX_TOKENS; w = strtok_r(NULL, " \t", &save))
    tok[n++] = w;
  return n;
}

/* Parse a decimal of 1..maxdigits digits with nothing after it. */
static int parse_uint(const char *s, int maxdigits, long long *out) {
  long long v = 0;
  int n = 0;
  for (; isdigit((unsigned char)s[n]); n++) {
    if (n == maxdigits)
      return -1;
    v = v * 10 + (s[n] - '0');
  }
  if (n == 0 || s[n] != '\0')
    return -1;
  *out = v;
  return 0;
}

/* "H:MM" or "HH:MM". */
static int parse_time(const char *s, int *hour, int *minute) {
  const char *colon = strchr(s, ':');
  if (!colon || colon == s || colon - s > 2 || strlen(colon + 1) != 2)
    return -1;
  char hbuf[3] = {0};
  memcpy(hbuf, s, (size_t)(colon - s));
  long long h, m;
  if (parse_uint(hbuf, 2, &h) || parse_uint(colon + 1, 2, &m) || h > 23 ||
      m > 59)
    return -1;
  *hour = (int)h;
  *minute = (int)m;
  return 0;
}

/* "mon" or "monday", any case. */
static int parse_weekday(const char *s) {
  for (int i = 0; i < 7; i++)
    if (strcasecmp(s, day_names[i]) == 0 ||
        (strlen(s) == 3 && strncasecmp(s, day_names[i], 3) == 0))
      return i;
  return -1;
}

static int parse_interval(const char *text, const char *word, schedule *out,
                          char *err, size_t errlen) {
  size_t n = strlen(word);
  char unit = n ? (char)tolower((unsigned char)word[n - 1]) : '\0';
  char num[16];
  long long v;
  if ((unit != 'h' && unit != 'm') || n < 2 || n - 1 >= sizeof num)
    return fail(err, errlen, text,
                "\"%s\" is not an interval; write every Nh (hours) or "
                "every Nm (minutes), e.g. every 6h",
                word);
  memcpy(num, word, n - 1);
  num[n - 1] = '\0';
  if (parse_uint(num, 6, &v))
    return fail(err, errlen, text,
                "\"%s\" is not a whole number; write every Nh or every Nm",
                num);
  v *= unit == 'h' ? 3600 : 60;
  if (v < SCHEDULE_MIN_INTERVAL || v > SCHEDULE_MAX_INTERVAL)
    return fail(err, errlen, text,
                "the interval must be between 5 minutes and 31 days (744h); "
                "pick a value in that range");
  out->kind = SCHEDULE_EVERY;
  out->interval = v;
  return 0;
}

static int expect_words(const char *text, int got, int want, const char *form,
                        char *err, size_t errlen) {
  if (got == want)
    return 0;
  return fail(err, errlen, text, "%s; write %s",
              got < want ? "a part is missing" : "there is extra text", form);
}

static int need_time(const char *text, const char *word, schedule *out,
                     char *err, size_t errlen) {
  if (parse_time(word, &out->hour, &out->minute) == 0)
    return 0;
  return fail(err, errlen, text,
              "\"%s\" is not a time; write HH:MM on a 24-hour clock, e.g. "
              "02:00",
              word);
}

int schedule_parse(const char *text, schedule *out, char *err, size_t errlen) {
  char buf[128];
  char *tok[MAX_TOKENS + 1];
  memset(out, 0, sizeof *out);
  if (!text)
    text = "";
  if (strlen(text) >= sizeof buf)
    return fail(err, errlen, "...", "the schedule is too long; " GRAMMAR);
  int n = tokenize(text, buf, sizeof buf, tok);
  if (n == 0)
    return fail(err, errlen, text, "the schedule is empty; " GRAMMAR);
  if (strcasecmp(tok[0], "daily") == 0) {
    out->kind = SCHEDULE_DAILY;
    if (expect_words(text, n, 2, "daily HH:MM", err, errlen))
      return -1;
    return need_time(text, tok[1], out, err, errlen);
  }
  if (strcasecmp(tok[0], "weekly") == 0) {
    out->kind = SCHEDULE_WEEKLY;
    if (expect_words(text, n, 3, "weekly DAY HH:MM, e.g. weekly mon 02:00", err,
                     errlen))
      return -1;
    out->weekday = parse_weekday(tok[1]);
    if (out->weekday < 0)
      return fail(err, errlen, text,
                  "\"%s\" is not a day of the week; write mon, tue, wed, "
                  "thu, fri, sat or sun",
                  tok[1]);
    return need_time(text, tok[2], out, err, errlen);
  }
  if (strcasecmp(tok[0], "monthly") == 0) {
    long long d;
    out->kind = SCHEDULE_MONTHLY;
    if (expect_words(text, n, 3, "monthly D HH:MM, e.g. monthly 1 02:00", err,
                     errlen))
      return -1;
    if (parse_uint(tok[1], 2, &d) || d < 1 || d > 31)
      return fail(err, errlen, text,
                  "\"%s\" is not a day of the month; write 1 to 31 (a day "
                  "past the month's end runs on its last day)",
                  tok[1]);
    out->day = (int)d;
    return need_time(text, tok[2], out, err, errlen);
  }
  if (strcasecmp(tok[0], "every") == 0) {
    if (expect_words(text, n, 2, "every Nh or every Nm, e.g. every 6h", err,
                     errlen))
      return -1;
    return parse_interval(text, tok[1], out, err, errlen);
  }
  return fail(err, errlen, text, "\"%s\" is not a kind of schedule; " GRAMMAR,
              tok[0]);
}

/* 0 = Sunday, as struct tm's tm_wday; 1970-01-01 was a Thursday. */
static int weekday_of(long long days) {
  long long w = (days + 4) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

/* The zone's UTC offset at instant t, in seconds east. */
static long long offset_at(time_t t) {
  struct tm tm;
  if (!localtime_r(&t, &tm))
    return 0;
  return tm.tm_gmtoff;
}

/* The local wall clock at t, as seconds since 1970-01-01 00:00 "local". */
static long long wall_at(time_t t) {
  return (long long)t + offset_at(t);
}

/* The earliest instant whose wall clock reads `wall`, or, when that wall
 * time falls in a gap, the first instant after the gap. Offsets are sampled
 * a day on either side: no zone changes its offset twice within two days. */
static time_t resolve_wall(long long wall) {
  long long before = offset_at((time_t)(wall - DAY_SECONDS));
  long long after = offset_at((time_t)(wall + DAY_SECONDS));
  long long c1 = wall - before, c2 = wall - after;
  int ok1 = wall_at((time_t)c1) == wall, ok2 = wall_at((time_t)c2) == wall;
  if (ok1 && ok2)
    return (time_t)(c1 < c2 ? c1 : c2); /* fall back: the first occurrence */
  if (ok1 || ok2)
    return (time_t)(ok1 ? c1 : c2);
  /* A gap: find the first instant whose wall clock has passed `wall`. */
  long long lo = c1 < c2 ? c1 : c2, hi = c1 < c2 ? c2 : c1;
  if (wall_at((time_t)hi) < wall || wall_at((time_t)lo) >= wall)
    return (time_t)hi; /* not a simple gap; cannot happen with real zones */
  while (hi - lo > 1) {
    long long mid = lo + (hi - lo) / 2;
    if (wall_at((time_t)mid) >= wall)
      hi = mid;
    else
      lo = mid;
  }
  return (time_t)hi;
}

static int day_matches(const schedule *s, long long days) {
  long long y;
  int m, d, last;
  switch (s->kind) {
  case SCHEDULE_DAILY:
    return 1;
  case SCHEDULE_WEEKLY:
    return weekday_of(days) == s->weekday;
  case SCHEDULE_MONTHLY:
    civil_from_days(days, &y, &m, &d);
    last = civil_days_in_month(y, m);
    return d == (s->day < last ? s->day : last);
  default:
    return 0;
  }
}

time_t schedule_next(const schedule *s, time_t after) {
  if (s->kind == SCHEDULE_EVERY) {
    if (s->interval <= 0 || (long long)after > LLONG_MAX - s->interval)
      return (time_t)-1;
    return (time_t)((long long)after + s->interval);
  }
  tzset();
  struct tm tm;
  if (!localtime_r(&after, &tm))
    return (time_t)-1;
  long long today =
      days_from_civil((long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  long long at = (long long)s->hour * 3600 + (long long)s->minute * 60;
  for (long long day = today; day <= today + 400; day++) {
    if (!day_matches(s, day))
      continue;
    time_t t = resolve_wall(day * DAY_SECONDS + at);
    if (t > after)
      return t;
  }
  return (time_t)-1;
}

int schedule_format(const schedule *s, char *buf, size_t len) {
  switch (s->kind) {
  case SCHEDULE_DAILY:
    return snprintf(buf, len, "daily %02d:%02d", s->hour, s->minute);
  case SCHEDULE_WEEKLY:
    return snprintf(buf, len, "weekly %.3s %02d:%02d", day_names[s->weekday],
                    s->hour, s->minute);
  case SCHEDULE_MONTHLY:
    return snprintf(buf, len, "monthly %d %02d:%02d", s->day, s->hour,
                    s->minute);
  case SCHEDULE_EVERY:
    if (s->interval % 3600 == 0)
      return snprintf(buf, len, "every %lldh", s->interval / 3600);
    return snprintf(buf, len, "every %lldm", s->interval / 60);
  }
  return snprintf(buf, len, "?");
}
