/* SPDX-License-Identifier: MIT */
/*
 * test_ops_zone.c — `timezone` and the scheduler, through lpsa-host: the
 * report, history and the e-mails' Date: show times in the configured zone;
 * `check` names the zone and reports the next run of the scheduler that is
 * enabled (the daemon's schedule or the systemd timer's OnCalendar=, read from
 * a unit tree under $LPSA_SYSTEMD_ROOT), warns when the timer runs in another
 * zone, and says when it cannot tell.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops_harness.h"
#include "smtp_sink.h"

static ops_env e;
static char root[4200];

static void setup(void) {
  ops_setup(&e, "zone", "lastpass.json", "psa.json");
  snprintf(root, sizeof root, "%s/sysroot", e.dir);
}

static void teardown(void) {
  ops_teardown(&e);
}

static void mkdirs(const char *rel) {
  mkdir(root, 0755);
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  for (char *p = path + strlen(root) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0755);
      *p = '/';
    }
  mkdir(path, 0755);
}

static void put(const char *rel, const char *text) {
  ck_assert_int_eq(test_write_file(root, rel, text), 0);
}

/* lpsa-host check with the unit tree and a machine zone of UTC. */
static hostrun check(void) {
  char sysroot[4300];
  snprintf(sysroot, sizeof sysroot, "LPSA_SYSTEMD_ROOT=%s", root);
  const char *env[] = {"LPSA_TEST_KEY=lpkey_demo",
                       "LPSA_NOW=2026-11-25T12:00:00Z", "TZ=UTC", sysroot,
                       NULL};
  const char *args[] = {"-c", "lpsa.conf", "check", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, env, &h), 0);
  return h;
}

static void expect(const hostrun *h, const char *needle) {
  ck_assert_msg(strstr(h->out, needle), "no \"%s\" in:\n%s\nstderr: %s", needle,
                h->out, h->err);
}

static void absent(const hostrun *h, const char *needle) {
  ck_assert_msg(!strstr(h->out, needle), "\"%s\" in:\n%s", needle, h->out);
}

START_TEST(report_and_history_in_the_configured_zone) {
  ops_write_config(&e, "timezone = America/New_York", NULL, NULL);
  const char *env[] = {"LPSA_TEST_KEY=lpkey_demo",
                       "LPSA_NOW=2026-11-25T12:00:00Z", "TZ=Europe/Berlin",
                       NULL};
  const char *dry[] = {"-c", "lpsa.conf", "--dry-run", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, dry, env, &h), 0);
  ck_assert_msg(h.status <= 1, "exit %d: %s", h.status, h.err);
  /* LPSA_NOW is 12:00 UTC: 07:00 in New York, 13:00 on this machine. */
  ck_assert_msg(strstr(h.out, ", started 2026-11-25 07:00:00 EST\n"), "%s",
                h.out);
  hostrun_free(&h);
  const char *hist[] = {"-c", "lpsa.conf", "history", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, hist, env, &h), 0);
  ck_assert_int_eq(h.status, 0);
  ck_assert_msg(strstr(h.out, " 2026-11-25 07:00:00 EST "), "%s", h.out);
  hostrun_free(&h);
  const char *run1[] = {"-c", "lpsa.conf", "history", "--run", "1", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, run1, env, &h), 0);
  ck_assert_msg(strstr(h.out, "started 2026-11-25 07:00:00 EST"), "%s", h.out);
  hostrun_free(&h);
  /* JSON keeps UTC for machines. */
  const char *json[] = {"-c", "lpsa.conf", "--json", "history", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, json, env, &h), 0);
  ck_assert_msg(strstr(h.out, "2026-11-25T12:00:00Z"), "%s", h.out);
  hostrun_free(&h);
  /* A name that is not a zone is refused with its line. */
  ops_write_config(&e, "timezone = America/New_Yrok", NULL, NULL);
  ck_assert_int_eq(hostrun_exec(e.dir, dry, env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "lpsa.conf:6: timezone \"America/New_Yrok\" is "
                              "not a time zone of the tz database"),
                "%s", h.err);
  hostrun_free(&h);
}
END_TEST

/* The e-mail's Date: is written in the configured zone too. */
START_TEST(email_date_in_the_configured_zone) {
  smtp_sink *sink = smtp_sink_start();
  ck_assert_ptr_nonnull(sink);
  char host[1024];
  snprintf(host, sizeof host,
           "timezone = America/New_York\nnotify_on = always\n"
           "notify_email = ops@msp.example\nsmtp_url = %s\n"
           "smtp_from = lpsa@msp.example",
           smtp_sink_url(sink));
  ops_write_config(&e, host, NULL, NULL);
  const char *env[] = {"LPSA_TEST_KEY=lpkey_demo",
                       "LPSA_NOW=2026-11-25T12:00:00Z", "TZ=UTC", NULL};
  const char *args[] = {"-c", "lpsa.conf", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, env, &h), 0);
  ck_assert_msg(h.status <= 1, "exit %d: %s", h.status, h.err);
  hostrun_free(&h);
  ck_assert_int_eq(smtp_sink_wait(sink, 1, OPS_WAIT_MS), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  const char *date =
      strncmp(m.data, "Date: ", 6) == 0 ? m.data : strstr(m.data, "\r\nDate: ");
  ck_assert_msg(date != NULL, "%s", m.data);
  const char *end = strstr(date + 2, "\r\n");
  ck_assert_ptr_nonnull(end);
  /* New York: -0500 in winter, -0400 in summer; never the machine's +0000. */
  ck_assert_msg(!strncmp(end - 5, "-0500", 5) || !strncmp(end - 5, "-0400", 5),
                "%.*s", (int)(end - date), date);
  smtp_message_free(&m);
  smtp_sink_stop(sink);
}
END_TEST

START_TEST(check_cannot_tell_without_an_enabled_unit) {
  ops_write_config(&e, "schedule = daily 02:00\ntimezone = America/New_York",
                   NULL, NULL);
  hostrun h = check();
  ck_assert_msg(h.status == 0, "%s", h.out);
  expect(&h, "[ok]   timezone: America/New_York (UTC-05:00 now); the "
             "schedule, reports, history and e-mails use it\n");
  expect(&h, "[ok]   schedule: daily 02:00; next run at ");
  expect(&h, " 02:00 EST if the daemon runs it (neither lpsa-host.service "
             "nor lpsa-host.timer is enabled here, so check cannot tell "
             "which scheduler runs lpsa-host)\n");
  hostrun_free(&h);
}
END_TEST

START_TEST(check_reports_the_enabled_daemon) {
  ops_write_config(&e,
                   "schedule = weekly mon 02:00\n"
                   "timezone = Europe/Berlin",
                   NULL, NULL);
  mkdirs("etc/systemd/system/multi-user.target.wants");
  put("etc/systemd/system/multi-user.target.wants/lpsa-host.service", "");
  hostrun h = check();
  ck_assert_msg(h.status == 0, "%s", h.out);
  expect(&h, "[ok]   schedule: the daemon runs lpsa-host (lpsa-host.service "
             "is enabled): weekly mon 02:00; next run at ");
  expect(&h, " 02:00 CET\n");
  hostrun_free(&h);
  /* Enabled without a schedule, the daemon would not start. */
  ops_write_config(&e, NULL, NULL, NULL);
  h = check();
  ck_assert_int_eq(h.status, 1);
  expect(&h, "[FAIL] schedule: lpsa-host.service (the daemon) is enabled but "
             "[host] sets no schedule");
  hostrun_free(&h);
}
END_TEST

START_TEST(check_reports_the_enabled_timer) {
  ops_write_config(&e, "schedule = daily 02:00", NULL, NULL);
  mkdirs("etc/systemd/system/timers.target.wants");
  mkdirs("lib/systemd/system");
  put("etc/systemd/system/timers.target.wants/lpsa-host.timer", "");
  put("lib/systemd/system/lpsa-host.timer",
      "[Unit]\nDescription=x\n[Timer]\nOnCalendar=*-*-* 02:00:00\n"
      "Persistent=true\n");
  hostrun h = check();
  ck_assert_msg(h.status == 0, "%s", h.out);
  expect(&h, "[ok]   schedule: the timer runs lpsa-host (lpsa-host.timer is "
             "enabled): OnCalendar=*-*-* 02:00:00; next run at 2026-");
  expect(&h, " 02:00 UTC ([host] schedule is for the daemon, which is not "
             "enabled)\n");
  absent(&h, "if the daemon runs it");
  hostrun_free(&h);

  /* A drop-in replaces the time; timezone differs from the machine's. */
  ops_write_config(&e, "timezone = Europe/Berlin", NULL, NULL);
  mkdirs("etc/systemd/system/lpsa-host.timer.d");
  put("etc/systemd/system/lpsa-host.timer.d/time.conf",
      "[Timer]\nOnCalendar=\nOnCalendar=Mon *-*-* 06:30\n");
  h = check();
  ck_assert_msg(h.status == 0, "%s", h.out);
  /* The timer runs 06:30 UTC (the machine's zone), shown in Berlin. */
  expect(&h, "OnCalendar=Mon *-*-* 06:30; next run at 2026-");
  expect(&h, " 07:30 CET\n");
  expect(&h, "[warn] schedule: lpsa-host.timer runs OnCalendar=Mon *-*-* "
             "06:30 in the machine's zone, not in timezone = Europe/Berlin; "
             "to run at that time in Europe/Berlin, write OnCalendar= and "
             "OnCalendar=Mon *-*-* 06:30 Europe/Berlin in a drop-in "
             "(systemctl edit lpsa-host.timer)\n");
  hostrun_free(&h);

  /* With the zone written after the time, no warning. */
  put("etc/systemd/system/lpsa-host.timer.d/time.conf",
      "[Timer]\nOnCalendar=\nOnCalendar=Mon *-*-* 06:30 Europe/Berlin\n");
  h = check();
  expect(&h, " 06:30 CET\n");
  absent(&h, "[warn] schedule");
  hostrun_free(&h);

  /* A calendar lpsa cannot compute: it says so. */
  put("etc/systemd/system/lpsa-host.timer.d/time.conf",
      "[Timer]\nOnCalendar=\nOnCalendar=Mon..Fri *-*-* 02:00\n");
  h = check();
  ck_assert_int_eq(h.status, 0);
  expect(&h, "[warn] schedule: lpsa-host.timer is enabled: OnCalendar=Mon..Fri "
             "*-*-* 02:00; check cannot tell when that runs (systemctl "
             "list-timers lpsa-host.timer can)\n");
  hostrun_free(&h);

  /* Both enabled: two schedulers. */
  mkdirs("etc/systemd/system/multi-user.target.wants");
  put("etc/systemd/system/multi-user.target.wants/lpsa-host.service", "");
  h = check();
  expect(&h, "[warn] schedule: both lpsa-host.service (the daemon) and "
             "lpsa-host.timer are enabled");
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops.zone");
  TCase *tc = tcase_create("zone");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, report_and_history_in_the_configured_zone);
  tcase_add_test(tc, email_date_in_the_configured_zone);
  tcase_add_test(tc, check_cannot_tell_without_an_enabled_unit);
  tcase_add_test(tc, check_reports_the_enabled_daemon);
  tcase_add_test(tc, check_reports_the_enabled_timer);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
