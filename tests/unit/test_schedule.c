/* SPDX-License-Identifier: MIT */
/*
 * test_schedule.c — the schedule grammar and next-run times across DST, month
 * ends, leap years and year ends, in named zones (tzdata) and POSIX TZ rules.
 *
 * Expected instants are written by hand in UTC from the zones' published
 * transitions (2026: US Mar 8 / Nov 1 at 02:00; EU Mar 29 / Oct 25 at 01:00
 * UTC; Lord Howe Oct 4 02:00 -> 02:30 and Apr 5 02:00 -> 01:30).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schedule.h"
#include "zone.h"

/* "2026-03-08T07:00:00Z" -> time_t. */
static time_t utc(const char *iso) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  ck_assert_msg(sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
                       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6,
                "bad test time %s", iso);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

static void show(time_t t, char *buf, size_t len) {
  struct tm u, l;
  gmtime_r(&t, &u);
  localtime_r(&t, &l);
  char a[32], b[40];
  strftime(a, sizeof a, "%Y-%m-%dT%H:%M:%SZ", &u);
  strftime(b, sizeof b, "%a %Y-%m-%d %H:%M:%S %Z", &l);
  snprintf(buf, len, "%s (%s)", a, b);
}

static void use_tz(const char *tz) {
  ck_assert_int_eq(setenv("TZ", tz, 1), 0);
  tzset();
}

static void require_zone(const char *zone) {
  char path[256];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
  ck_assert_msg(access(path, R_OK) == 0,
                "%s is missing: install the tzdata package", path);
}

typedef struct next_case {
  const char *tz;
  const char *spec;
  const char *after;    /* UTC */
  const char *expected; /* UTC */
  const char *why;
} next_case;

static const next_case cases[] = {
    /* America/New_York, spring forward 2026-03-08 02:00 EST -> 03:00 EDT */
    {"America/New_York", "daily 02:30", "2026-03-07T12:00:00",
     "2026-03-08T07:00:00", "02:30 does not exist: run at 03:00 EDT"},
    {"America/New_York", "daily 02:30", "2026-03-08T07:00:00",
     "2026-03-09T06:30:00", "after the gap run, next day 02:30 EDT"},
    {"America/New_York", "daily 02:00", "2026-03-07T12:00:00",
     "2026-03-08T07:00:00", "02:00 itself is in the gap"},
    {"America/New_York", "daily 01:59", "2026-03-07T12:00:00",
     "2026-03-08T06:59:00", "just before the gap, still EST"},
    {"America/New_York", "daily 03:00", "2026-03-07T12:00:00",
     "2026-03-08T07:00:00", "03:00 EDT exists"},
    /* fall back 2026-11-01 02:00 EDT -> 01:00 EST */
    {"America/New_York", "daily 01:30", "2026-10-31T12:00:00",
     "2026-11-01T05:30:00", "01:30 twice: the first (EDT)"},
    {"America/New_York", "daily 01:30", "2026-11-01T05:30:00",
     "2026-11-02T06:30:00", "run once: not again at 01:30 EST"},
    {"America/New_York", "daily 01:30", "2026-11-01T05:45:00",
     "2026-11-02T06:30:00", "between the two 01:30s: tomorrow"},
    {"America/New_York", "daily 02:30", "2026-10-31T12:00:00",
     "2026-11-01T07:30:00", "02:30 after fall back is EST"},
    {"America/New_York", "daily 00:30", "2026-10-31T12:00:00",
     "2026-11-01T04:30:00", "00:30 before fall back is EDT"},
    /* the same rules as a POSIX TZ string (no tzdata needed) */
    {"EST5EDT,M3.2.0,M11.1.0", "daily 02:30", "2026-03-07T12:00:00",
     "2026-03-08T07:00:00", "POSIX rule: gap"},
    {"EST5EDT,M3.2.0,M11.1.0", "daily 01:30", "2026-10-31T12:00:00",
     "2026-11-01T05:30:00", "POSIX rule: overlap"},
    /* Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00
     * CEST -> 02:00 CET */
    {"Europe/Berlin", "daily 02:30", "2026-03-28T12:00:00",
     "2026-03-29T01:00:00", "Berlin gap: 03:00 CEST"},
    {"Europe/Berlin", "daily 02:30", "2026-10-24T12:00:00",
     "2026-10-25T00:30:00", "Berlin overlap: first 02:30 (CEST)"},
    {"Europe/Berlin", "daily 02:30", "2026-10-25T00:30:00",
     "2026-10-26T01:30:00", "Berlin overlap: once only"},
    {"Europe/Berlin", "weekly sun 02:15", "2026-03-23T00:00:00",
     "2026-03-29T01:00:00", "weekly on the gap Sunday"},
    {"Europe/Berlin", "daily 03:00", "2026-10-24T12:00:00",
     "2026-10-25T02:00:00", "03:00 after fall back is CET"},
    {"CET-1CEST,M3.5.0,M10.5.0/3", "daily 02:30", "2026-03-28T12:00:00",
     "2026-03-29T01:00:00", "POSIX EU rule: gap"},
    /* Lord Howe shifts by 30 minutes */
    {"Australia/Lord_Howe", "daily 02:15", "2026-10-03T00:00:00",
     "2026-10-03T15:30:00", "half-hour gap: run at 02:30"},
    {"Australia/Lord_Howe", "daily 01:45", "2026-04-04T00:00:00",
     "2026-04-04T14:45:00", "half-hour overlap: first 01:45 (+11)"},
    /* month ends and leap years (New York, 02:00 is EDT -4 / EST -5) */
    {"America/New_York", "monthly 31 02:00", "2026-04-01T12:00:00",
     "2026-04-30T06:00:00", "April has 30 days"},
    {"America/New_York", "monthly 31 02:00", "2026-04-30T06:00:00",
     "2026-05-31T06:00:00", "then May 31"},
    {"America/New_York", "monthly 31 02:00", "2026-02-01T12:00:00",
     "2026-02-28T07:00:00", "February 2026 has 28 days"},
    {"America/New_York", "monthly 30 02:00", "2028-02-01T12:00:00",
     "2028-02-29T07:00:00", "monthly 30 in leap February"},
    {"America/New_York", "monthly 29 02:00", "2027-02-01T12:00:00",
     "2027-02-28T07:00:00", "monthly 29, February 2027 (not leap)"},
    {"America/New_York", "monthly 29 02:00", "2028-02-01T12:00:00",
     "2028-02-29T07:00:00", "monthly 29, February 2028 (leap)"},
    {"America/New_York", "monthly 29 02:00", "2027-02-28T07:00:00",
     "2027-03-29T06:00:00", "after the clamped run, March 29 (EDT)"},
    {"America/New_York", "monthly 1 00:00", "2026-12-15T00:00:00",
     "2027-01-01T05:00:00", "monthly across the year end"},
    {"UTC", "monthly 15 12:00", "2026-01-15T12:00:00", "2026-02-15T12:00:00",
     "exactly at the run: next month"},
    {"UTC", "monthly 31 00:00", "2100-02-01T00:00:00", "2100-02-28T00:00:00",
     "2100 is not a leap year"},
    {"UTC", "monthly 29 00:00", "2000-02-01T00:00:00", "2000-02-29T00:00:00",
     "2000 is a leap year"},
    /* weekly across the year end: 2026-12-31 is a Thursday */
    {"America/New_York", "weekly fri 09:00", "2026-12-31T15:00:00",
     "2027-01-01T14:00:00", "next day is Friday, in the new year"},
    {"America/New_York", "weekly thursday 09:00", "2026-12-31T14:00:00",
     "2027-01-07T14:00:00", "exactly at the run: a week later"},
    {"America/New_York", "weekly THU 09:00", "2026-12-31T13:59:59",
     "2026-12-31T14:00:00", "a second before the run"},
    /* daily just before / at / after the time */
    {"UTC", "daily 02:00", "2026-05-10T01:59:59", "2026-05-10T02:00:00",
     "one second before"},
    {"UTC", "daily 02:00", "2026-05-10T02:00:00", "2026-05-11T02:00:00",
     "exactly at: strictly after"},
    {"UTC", "daily 02:00", "2026-05-10T02:00:01", "2026-05-11T02:00:00",
     "one second after"},
    {"UTC", "daily 0:05", "2026-12-31T23:59:00", "2027-01-01T00:05:00",
     "one-digit hour, across the year end"},
    {"Asia/Kolkata", "daily 02:00", "2026-05-10T00:00:00",
     "2026-05-10T20:30:00", "a +05:30 zone"},
    /* intervals ignore the wall clock, even across a gap */
    {"America/New_York", "every 6h", "2026-03-08T05:00:00",
     "2026-03-08T11:00:00", "every 6h across the gap"},
    {"UTC", "every 5m", "2026-05-10T00:00:00", "2026-05-10T00:05:00",
     "the shortest interval"},
    {"UTC", "EVERY 90M", "2026-05-10T00:00:00", "2026-05-10T01:30:00",
     "upper case"},
    {"UTC", "every 744h", "2026-05-10T00:00:00", "2026-06-10T00:00:00",
     "the longest interval"},
};

START_TEST(next_run) {
  const next_case *c = &cases[_i];
  if (strchr(c->tz, '/') && !strchr(c->tz, ','))
    require_zone(c->tz);
  use_tz(c->tz);
  schedule s;
  char err[256] = "";
  ck_assert_msg(schedule_parse(c->spec, &s, err, sizeof err) == 0, "%s: %s",
                c->spec, err);
  time_t got = schedule_next(&s, utc(c->after));
  time_t want = utc(c->expected);
  char g[96], w[96];
  show(got, g, sizeof g);
  show(want, w, sizeof w);
  ck_assert_msg(got == want, "%s, TZ=%s, after %sZ (%s): got %s, want %s",
                c->spec, c->tz, c->after, c->why, g, w);
  ck_assert(got > utc(c->after));
}
END_TEST

/* Walking a year of daily runs in a DST zone gives one run per local day,
 * always at 02:30 or (on the gap day) 03:00. */
START_TEST(year_of_daily_runs) {
  require_zone("America/New_York");
  use_tz("America/New_York");
  schedule s;
  ck_assert_int_eq(schedule_parse("daily 02:30", &s, NULL, 0), 0);
  time_t t = utc("2026-01-01T00:00:00");
  int runs = 0, at_three = 0;
  int last_yday = -1;
  for (;;) {
    t = schedule_next(&s, t);
    struct tm l;
    localtime_r(&t, &l);
    if (l.tm_year != 126)
      break;
    ck_assert_int_ne(l.tm_yday, last_yday);
    ck_assert(l.tm_hour == 2 || (l.tm_hour == 3 && l.tm_min == 0));
    if (l.tm_hour == 3) {
      at_three++;
      ck_assert_int_eq(l.tm_mon, 2);
      ck_assert_int_eq(l.tm_mday, 8);
    } else {
      ck_assert_int_eq(l.tm_min, 30);
    }
    last_yday = l.tm_yday;
    runs++;
  }
  ck_assert_int_eq(runs, 365);
  ck_assert_int_eq(at_three, 1);
}
END_TEST

typedef struct parse_case {
  const char *spec;
  const char *fragment; /* expected in the error message */
} parse_case;

static const parse_case bad[] = {
    {"", "empty"},
    {"   ", "empty"},
    {"hourly", "\"hourly\" is not a kind of schedule"},
    {"daily", "a part is missing; write daily HH:MM"},
    {"daily 2", "\"2\" is not a time"},
    {"daily 24:00", "\"24:00\" is not a time"},
    {"daily 02:60", "\"02:60\" is not a time"},
    {"daily 2:0", "\"2:0\" is not a time"},
    {"daily 002:00", "\"002:00\" is not a time"},
    {"daily -1:00", "is not a time"},
    {"daily 02:00 extra", "there is extra text"},
    {"daily 02:00 # nightly", "there is extra text"},
    {"weekly funday 02:00", "\"funday\" is not a day of the week"},
    {"weekly mo 02:00", "\"mo\" is not a day of the week"},
    {"weekly mon", "a part is missing"},
    {"monthly 0 02:00", "\"0\" is not a day of the month"},
    {"monthly 32 02:00", "\"32\" is not a day of the month"},
    {"monthly 1st 02:00", "\"1st\" is not a day of the month"},
    {"monthly 1", "a part is missing"},
    {"every", "a part is missing"},
    {"every 6", "\"6\" is not an interval"},
    {"every 6d", "\"6d\" is not an interval"},
    {"every h", "\"h\" is not an interval"},
    {"every xh", "\"x\" is not a whole number"},
    {"every 0h", "between 5 minutes and 31 days"},
    {"every 4m", "between 5 minutes and 31 days"},
    {"every 745h", "between 5 minutes and 31 days"},
    {"every 9999999h", "is not a whole number"},
    {"every -5m", "is not a whole number"},
};

/* `timezone` in lpsa.conf: the schedule runs in the configured zone, not
 * in the machine's, DST included, and the machine's comes back. */
START_TEST(configured_zone_not_the_machines) {
  require_zone("America/New_York");
  require_zone("Europe/Berlin");
  use_tz("Europe/Berlin"); /* the machine's */
  schedule s;
  ck_assert_int_eq(schedule_parse("daily 02:30", &s, NULL, 0), 0);
  zone_use("America/New_York");
  /* 2026-03-08: New York skips 02:00-03:00 (EST -> EDT): 03:00 EDT. */
  ck_assert_int_eq(schedule_next(&s, utc("2026-03-08T05:00:00")),
                   utc("2026-03-08T07:00:00"));
  /* The day before and after: 02:30 EST, 02:30 EDT. */
  ck_assert_int_eq(schedule_next(&s, utc("2026-03-07T05:00:00")),
                   utc("2026-03-07T07:30:00"));
  ck_assert_int_eq(schedule_next(&s, utc("2026-03-09T05:00:00")),
                   utc("2026-03-09T06:30:00"));
  /* 2026-11-01: 01:00-02:00 happens twice; 01:30 runs once, the first. */
  ck_assert_int_eq(schedule_parse("daily 01:30", &s, NULL, 0), 0);
  ck_assert_int_eq(schedule_next(&s, utc("2026-11-01T04:00:00")),
                   utc("2026-11-01T05:30:00"));
  ck_assert_int_eq(schedule_next(&s, utc("2026-11-01T05:30:00")),
                   utc("2026-11-02T06:30:00"));
  /* weekly mon 02:00 in New York while Berlin is already on summer time
   * (2026-03-30, Berlin changed on 03-29, New York on 03-08): 06:00Z. */
  ck_assert_int_eq(schedule_parse("weekly mon 02:00", &s, NULL, 0), 0);
  ck_assert_int_eq(schedule_next(&s, utc("2026-03-28T00:00:00")),
                   utc("2026-03-30T06:00:00"));
  char text[64];
  ck_assert_str_eq(zone_describe(text, sizeof text), "America/New_York");
  ck_assert_str_eq(zone_local_text("2026-11-25T12:00:00Z", text, sizeof text),
                   "2026-11-25 07:00:00 EST");
  /* Back to the machine's zone: Berlin's own gap, 2026-03-29. */
  zone_use(NULL);
  ck_assert_str_eq(getenv("TZ"), "Europe/Berlin");
  ck_assert_int_eq(schedule_parse("daily 02:30", &s, NULL, 0), 0);
  ck_assert_int_eq(schedule_next(&s, utc("2026-03-29T00:00:00")),
                   utc("2026-03-29T01:00:00"));
  ck_assert_str_eq(zone_local_text("2026-11-25T12:00:00Z", text, sizeof text),
                   "2026-11-25 13:00:00 CET");
  ck_assert_str_eq(zone_local_text("yesterday", text, sizeof text),
                   "yesterday");
}
END_TEST

START_TEST(zone_names) {
  char err[512];
  ck_assert_int_eq(zone_check("Europe/Berlin", err, sizeof err), 0);
  ck_assert_int_eq(zone_check("UTC", err, sizeof err), 0);
  ck_assert_int_eq(zone_check("Europe/Berln", err, sizeof err), -1);
  ck_assert_str_eq(err, "timezone \"Europe/Berln\" is not a time zone of "
                        "the tz database (/usr/share/zoneinfo); write a name "
                        "such as Europe/Berlin, America/New_York or UTC "
                        "(install tzdata if none is found)");
  ck_assert_int_eq(zone_check("../../etc/passwd", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "is not an IANA time zone name"));
  ck_assert_int_eq(zone_check("/etc/localtime", err, sizeof err), -1);
  ck_assert_int_eq(zone_check("CET-1CEST,M3.5.0,M10.5.0/3", err, sizeof err),
                   -1);
  ck_assert_int_eq(zone_check("", err, sizeof err), -1);
}
END_TEST

START_TEST(parse_errors) {
  const parse_case *c = &bad[_i];
  schedule s;
  char err[256] = "";
  ck_assert_int_eq(schedule_parse(c->spec, &s, err, sizeof err), -1);
  ck_assert_msg(strstr(err, c->fragment) != NULL, "%s: message \"%s\"", c->spec,
                err);
  ck_assert_msg(strncmp(err, "schedule \"", 10) == 0, "%s", err);
  ck_assert(strchr(err, '\n') == NULL);
}
END_TEST

START_TEST(parse_forms) {
  schedule s;
  char buf[64];
  ck_assert_int_eq(schedule_parse("Weekly  Monday\t2:05", &s, NULL, 0), 0);
  ck_assert_int_eq(s.kind, SCHEDULE_WEEKLY);
  ck_assert_int_eq(s.weekday, 1);
  ck_assert_int_eq(s.hour, 2);
  ck_assert_int_eq(s.minute, 5);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "weekly mon 02:05");
  ck_assert_int_eq(schedule_parse("weekly SUN 23:59", &s, NULL, 0), 0);
  ck_assert_int_eq(s.weekday, 0);
  ck_assert_int_eq(schedule_parse("monthly 31 00:00", &s, NULL, 0), 0);
  ck_assert_int_eq(s.day, 31);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "monthly 31 00:00");
  ck_assert_int_eq(schedule_parse("every 6h", &s, NULL, 0), 0);
  ck_assert_int_eq(s.kind, SCHEDULE_EVERY);
  ck_assert_int_eq(s.interval, 6 * 3600);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "every 6h");
  ck_assert_int_eq(schedule_parse("every 90m", &s, NULL, 0), 0);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "every 90m");
  ck_assert_int_eq(schedule_parse("every 120m", &s, NULL, 0), 0);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "every 2h");
  ck_assert_int_eq(schedule_parse(" daily 02:00 ", &s, NULL, 0), 0);
  schedule_format(&s, buf, sizeof buf);
  ck_assert_str_eq(buf, "daily 02:00");
}
END_TEST

START_TEST(long_text_and_small_buffer) {
  char text[300];
  memset(text, 'x', sizeof text - 1);
  text[sizeof text - 1] = '\0';
  schedule s;
  char err[16];
  ck_assert_int_eq(schedule_parse(text, &s, err, sizeof err), -1);
  ck_assert_uint_lt(strlen(err), sizeof err);
  char big[256];
  ck_assert_int_eq(schedule_parse(text, &s, big, sizeof big), -1);
  ck_assert_ptr_nonnull(strstr(big, "too long"));
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("schedule");
  TCase *tc = tcase_create("core");
  tcase_add_loop_test(tc, next_run, 0, sizeof cases / sizeof cases[0]);
  tcase_add_test(tc, year_of_daily_runs);
  tcase_add_test(tc, configured_zone_not_the_machines);
  tcase_add_test(tc, zone_names);
  tcase_add_loop_test(tc, parse_errors, 0, sizeof bad / sizeof bad[0]);
  tcase_add_test(tc, parse_forms);
  tcase_add_test(tc, long_text_and_small_buffer);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
