/* SPDX-License-Identifier: MIT */
/*
 * test_config.c — loading lpsa.conf: every key, defaults, relative paths,
 * comments, secrets and permissions, and the one-line-per-problem errors.
 *
 * Each test writes its file into a fresh temporary directory and loads it as
 * "lpsa.conf" from there, so messages can be compared exactly.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"

static char dir[PATH_MAX];
static char err[8192];

/* rm -rf without a shell (cheaper under valgrind --trace-children). */
static void remove_tree(const char *path) {
  struct stat st;
  ck_assert_int_eq(lstat(path, &st), 0);
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char child[PATH_MAX];
      snprintf(child, sizeof child, "%s/%s", path, e->d_name);
      remove_tree(child);
    }
    closedir(d);
  }
  ck_assert_int_eq(remove(path), 0);
}

static void setup(void) {
  const char *tmp = getenv("TMPDIR");
  char tmpl[PATH_MAX];
  snprintf(tmpl, sizeof tmpl, "%s/lpsa-config-XXXXXX", tmp ? tmp : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(tmpl));
  /* the canonical name, as config_load reports it */
  ck_assert_ptr_nonnull(realpath(tmpl, dir));
  ck_assert_int_eq(chdir(dir), 0);
  err[0] = '\0';
  ck_assert_int_eq(unsetenv("LPSA_TEST_API_KEY"), 0);
}

static void teardown(void) {
  ck_assert_int_eq(chdir("/"), 0);
  remove_tree(dir);
}

static void write_file(const char *name, const char *text, mode_t mode) {
  FILE *f = fopen(name, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(chmod(name, mode), 0);
}

/* Load `text` as lpsa.conf (mode 0600). */
static int load(const char *text, lpsa_config *cfg) {
  write_file("lpsa.conf", text, 0600);
  return config_load("lpsa.conf", "/opt/lpsa/lib/lpsa/drivers", cfg, err,
                     sizeof err);
}

/* Load text that must fail; returns the error text. */
static const char *load_bad(const char *text) {
  lpsa_config cfg;
  ck_assert_msg(load(text, &cfg) == -1, "loaded: %s", text);
  ck_assert_ptr_null(cfg.path); /* left zeroed */
  ck_assert_uint_eq(cfg.n_drivers, 0);
  return err;
}

static void assert_has(const char *haystack, const char *needle) {
  ck_assert_msg(strstr(haystack, needle) != NULL, "\"%s\" not in:\n%s", needle,
                haystack);
}

static int count_lines(const char *s) {
  int n = *s ? 1 : 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

#define MIN_LASTPASS "[lastpass]\napi_key = lpkey_literal_value\n"

START_TEST(defaults) {
  lpsa_config cfg;
  ck_assert_msg(load(MIN_LASTPASS, &cfg) == 0, "%s", err);
  char want[PATH_MAX + 16];
  snprintf(want, sizeof want, "%s/lpsa.conf", dir);
  ck_assert_str_eq(cfg.path, want);
  ck_assert_str_eq(cfg.dir, dir);
  ck_assert_str_eq(cfg.name, "lpsa.conf");
  ck_assert_uint_eq(cfg.n_driver_path, 1);
  ck_assert_str_eq(cfg.driver_path[0], "/opt/lpsa/lib/lpsa/drivers");
  ck_assert_str_eq(cfg.state_dir, "/var/lib/lpsa");
  ck_assert_ptr_null(cfg.mapping_file);
  ck_assert_ptr_null(cfg.schedule_text);
  ck_assert_int_eq(cfg.max_decrease_percent, 50);
  ck_assert_int_eq(cfg.max_increase_percent, 100);
  ck_assert_int_eq(cfg.guardrail_min_seats, 5);
  ck_assert_int_eq(cfg.plan_max_age, 24 * 3600);
  ck_assert_int_eq(cfg.suspended_zero, 0);
  ck_assert_int_eq(cfg.notify_on, CONFIG_NOTIFY_PROBLEMS);
  ck_assert_int_eq(cfg.http_timeout, 60);
  ck_assert_int_eq(cfg.run_timeout, 7200);
  ck_assert_int_eq(cfg.max_concurrency, 8);
  ck_assert_ptr_null(cfg.ca_file);
  ck_assert_ptr_null(cfg.metrics_file);
  ck_assert_uint_eq(cfg.n_notify_email, 0);
  ck_assert_str_eq(cfg.lastpass_api_url, "https://api.lastpass.com/business");
  ck_assert_int_eq(cfg.lastpass_api_url_line, 0);
  ck_assert_str_eq(cfg.lastpass_api_key, "lpkey_literal_value");
  ck_assert_uint_eq(cfg.secrets.n, 1);
  ck_assert_str_eq(cfg.secrets.values[0], "lpkey_literal_value");
  ck_assert_uint_eq(cfg.n_drivers, 0);
  ck_assert_int_eq(cfg.insecure_perms, 0);
  config_free(&cfg);
  ck_assert_ptr_null(cfg.path);
  config_free(&cfg); /* safe twice */
}
END_TEST

START_TEST(every_key) {
  write_file("ca.pem", "x", 0644);
  ck_assert_int_eq(setenv("LPSA_TEST_API_KEY", "lpkey_from_env", 1), 0);
  write_file("smtp.pw", "mail-secret\n", 0600);
  lpsa_config cfg;
  int rc = load("; lpsa test configuration\n"
                "[host]\n"
                "driver_path = drivers : /usr/lib/lpsa/drivers\n"
                "state_dir = state\n"
                "mapping_file = mapping.csv   ; relative to this file\n"
                "schedule = weekly Mon 02:30\n"
                "max_decrease_percent = 0\n"
                "suspended_companies = Zero\n"
                "metrics_file = /var/lib/node_exporter/lpsa.prom\n"
                "notify_email = a@example.com, b.c@example.org\n"
                "notify_on = always\n"
                "notify_webhook = https://hooks.example.com/x?y=1\n"
                "smtp_url = smtps://mail.example.com:465\n"
                "smtp_from = lpsa@example.com\n"
                "smtp_username = lpsa\n"
                "smtp_password = file:smtp.pw\n"
                "http_timeout = 3600\n"
                "max_concurrency = 16\n"
                "ca_file = ca.pem\n"
                "\n"
                "[lastpass]\n"
                "api_url = http://127.0.0.1:8080/business\n"
                "api_key = env:LPSA_TEST_API_KEY\n",
                &cfg);
  ck_assert_msg(rc == 0, "%s", err);
  char want[PATH_MAX + 32];
  ck_assert_uint_eq(cfg.n_driver_path, 2);
  snprintf(want, sizeof want, "%s/drivers", dir);
  ck_assert_str_eq(cfg.driver_path[0], want);
  ck_assert_str_eq(cfg.driver_path[1], "/usr/lib/lpsa/drivers");
  snprintf(want, sizeof want, "%s/state", dir);
  ck_assert_str_eq(cfg.state_dir, want);
  snprintf(want, sizeof want, "%s/mapping.csv", dir);
  ck_assert_str_eq(cfg.mapping_file, want);
  ck_assert_int_eq(cfg.mapping_file_line, 5);
  ck_assert_str_eq(cfg.schedule_text, "weekly Mon 02:30");
  ck_assert_int_eq(cfg.schedule_line, 6);
  ck_assert_int_eq(cfg.schedule.kind, SCHEDULE_WEEKLY);
  ck_assert_int_eq(cfg.schedule.weekday, 1);
  ck_assert_int_eq(cfg.schedule.minute, 30);
  ck_assert_int_eq(cfg.max_decrease_percent, 0);
  ck_assert_int_eq(cfg.suspended_zero, 1);
  ck_assert_str_eq(cfg.metrics_file, "/var/lib/node_exporter/lpsa.prom");
  ck_assert_uint_eq(cfg.n_notify_email, 2);
  ck_assert_str_eq(cfg.notify_email[0], "a@example.com");
  ck_assert_str_eq(cfg.notify_email[1], "b.c@example.org");
  ck_assert_int_eq(cfg.notify_on, CONFIG_NOTIFY_ALWAYS);
  ck_assert_str_eq(cfg.notify_webhook, "https://hooks.example.com/x?y=1");
  ck_assert_str_eq(cfg.smtp_url, "smtps://mail.example.com:465");
  ck_assert_str_eq(cfg.smtp_from, "lpsa@example.com");
  ck_assert_str_eq(cfg.smtp_username, "lpsa");
  ck_assert_str_eq(cfg.smtp_password, "mail-secret");
  ck_assert_int_eq(cfg.http_timeout, 3600);
  ck_assert_int_eq(cfg.max_concurrency, 16);
  snprintf(want, sizeof want, "%s/ca.pem", dir);
  ck_assert_str_eq(cfg.ca_file, want);
  ck_assert_str_eq(cfg.lastpass_api_url, "http://127.0.0.1:8080/business");
  ck_assert_int_eq(cfg.lastpass_api_url_line, 22);
  ck_assert_str_eq(cfg.lastpass_api_key, "lpkey_from_env");
  ck_assert_uint_eq(cfg.secrets.n, 3);
  ck_assert_str_eq(cfg.secrets.values[0], "https://hooks.example.com/x?y=1");
  ck_assert_str_eq(cfg.secrets.values[1], "mail-secret");
  ck_assert_str_eq(cfg.secrets.values[2], "lpkey_from_env");
  config_free(&cfg);
}
END_TEST

START_TEST(syntax_conveniences) {
  lpsa_config cfg;
  /* BOM, CRLF, '#' and ';' comment lines, inline " ;", indentation,
   * case-insensitive sections and keys, ':' as separator */
  int rc = load("\xEF\xBB\xBF# comment\r\n"
                "[HOST]\r\n"
                "  ; indented comment\r\n"
                "  Max_Decrease_Percent = 25 ; inline\r\n"
                "\tstate_dir: /srv/lpsa\r\n"
                "\r\n"
                "[LastPass]\r\n"
                "    api_key = lpkey_x;y\r\n",
                &cfg);
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_int_eq(cfg.max_decrease_percent, 25);
  ck_assert_str_eq(cfg.state_dir, "/srv/lpsa");
  ck_assert_str_eq(cfg.lastpass_api_key, "lpkey_x;y"); /* no space: kept */
  config_free(&cfg);
}
END_TEST

START_TEST(unknown_keys_and_sections) {
  const char *e = load_bad("[host]\n"                   /* 1 */
                           "max_decrase_percent = 10\n" /* 2 */
                           "colour = blue\n"            /* 3 */
                           "api_key = x\n"              /* 4 */
                           "sku.lastpass = X\n"         /* 5 */
                           "[hots]\n"                   /* 6 */
                           "a = b\n"                    /* 7 */
                           "[drivers.cw]\n"             /* 8 */
                           "[driver]\n"                 /* 9 */
                           "[driver.a/b]\n"             /* 10 */
                           "x = y\n"                    /* 11 */
                           "[weird]\n"                  /* 12 */
                           MIN_LASTPASS);               /* 13- */
  ck_assert_str_eq(
      e, "lpsa.conf:2: unknown key \"max_decrase_percent\" in [host]; did you "
         "mean \"max_decrease_percent\"?\n"
         "lpsa.conf:3: unknown key \"colour\" in [host]; [host] accepts: "
         "driver_path, state_dir, mapping_file, schedule, timezone, "
         "max_decrease_percent, max_increase_percent, guardrail_min_seats, "
         "plan_max_age, history_days, suspended_companies, metrics_file, "
         "notify_email, notify_on, notify_webhook, smtp_url, smtp_from, "
         "smtp_username, smtp_password, http_timeout, run_timeout, "
         "max_concurrency, ca_file\n"
         "lpsa.conf:4: \"api_key\" belongs in [lastpass], not [host]; move "
         "it\n"
         "lpsa.conf:5: \"sku.lastpass\" belongs in a [driver.NAME] section, "
         "not [host]; move it\n"
         "lpsa.conf:6: unknown section [hots]; did you mean [host]?\n"
         "lpsa.conf:8: unknown section [drivers.cw]; did you mean "
         "[driver.cw]?\n"
         "lpsa.conf:9: [driver] needs the driver's name; write "
         "[driver.NAME], e.g. [driver.connectwise]\n"
         "lpsa.conf:10: [driver.a/b]: \"a/b\" is not a driver name; use up "
         "to 40 letters, digits, '_' and '-'\n"
         "lpsa.conf:12: unknown section [weird]; use [host], [lastpass], "
         "[web] or [driver.NAME]");
}
END_TEST

START_TEST(bad_values) {
  const char *e = load_bad("[host]\n"                                /* 1 */
                           "max_decrease_percent = 101\n"            /* 2 */
                           "http_timeout = 0\n"                      /* 3 */
                           "max_concurrency = 4x\n"                  /* 4 */
                           "suspended_companies = delete\n"          /* 5 */
                           "notify_on = sometimes\n"                 /* 6 */
                           "schedule = daily 25:00\n"                /* 7 */
                           "notify_webhook = http://example.com/h\n" /* 8 */
                           "smtp_url = https://mail.example.com\n"   /* 9 */
                           "smtp_from = nobody\n"                    /* 10 */
                           "notify_email = a@example.com, bad@\n"    /* 11 */
                           "driver_path = a::b\n"                    /* 12 */
                           "state_dir =\n"                           /* 13 */
                           "ca_file = missing.pem\n"                 /* 14 */
                           "[lastpass]\n"                            /* 15 */
                           "api_url = ftp://x/\n"                    /* 16 */
                           "api_key = lpkey\n");                     /* 17 */
  ck_assert_int_eq(count_lines(e), 15);
  assert_has(e, "lpsa.conf:2: max_decrease_percent must be a whole number "
                "from 0 to 100, not \"101\"; fix the value\n");
  assert_has(e, "lpsa.conf:3: http_timeout must be a whole number from 1 to "
                "3600, not \"0\"");
  assert_has(e, "lpsa.conf:4: max_concurrency must be a whole number from 1 "
                "to 16, not \"4x\"");
  assert_has(e, "lpsa.conf:5: suspended_companies must be skip or zero, not "
                "\"delete\"");
  assert_has(e, "lpsa.conf:6: notify_on must be always, problems or never");
  assert_has(e, "lpsa.conf:7: schedule \"daily 25:00\": \"25:00\" is not a "
                "time; write HH:MM on a 24-hour clock, e.g. 02:00\n");
  assert_has(e, "lpsa.conf:8: notify_webhook: URL \"<the URL>\" uses "
                "http:// to another machine");
  ck_assert_ptr_null(strstr(e, "example.com/h")); /* a webhook is a secret */
  assert_has(e, "lpsa.conf:9: smtp_url: URL \"https://mail.example.com\" has "
                "an unsupported scheme; use smtps:// or smtp://");
  assert_has(e, "lpsa.conf:10: smtp_from: \"nobody\" is not an e-mail "
                "address");
  assert_has(e, "lpsa.conf:11: notify_email: \"bad@\" is not an e-mail "
                "address; write name@example.com, separated by commas");
  assert_has(e, "lpsa.conf:12: driver_path: directory 2 of the list is empty");
  assert_has(e, "lpsa.conf:13: state_dir is empty; give it a value or delete "
                "the line");
  assert_has(e, "lpsa.conf:14: ca_file = missing.pem: cannot read ");
  assert_has(e, "missing.pem: No such file or directory; fix the path");
  assert_has(e, "lpsa.conf:16: api_url: URL \"ftp://x/\" has an unsupported "
                "scheme");
  assert_has(e, "lpsa.conf:11: notify_email needs smtp_url and smtp_from in "
                "[host]; add them");
}
END_TEST

START_TEST(review_keys) {
  static const struct {
    const char *text;
    int increase, seats, age;
  } ok[] = {
      {"max_increase_percent = 0\nguardrail_min_seats = 0\n"
       "plan_max_age = 60s\n",
       0, 0, 60},
      {"max_increase_percent = 1000000\nguardrail_min_seats = 1000000\n"
       "plan_max_age = 31d\n",
       1000000, 1000000, 31 * 86400},
      {"plan_max_age = 90m\n", 100, 5, 5400},
      {"plan_max_age = 1d12h\n", 100, 5, 36 * 3600},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    char text[512];
    snprintf(text, sizeof text, "[host]\n%s%s", ok[i].text, MIN_LASTPASS);
    lpsa_config cfg;
    ck_assert_msg(load(text, &cfg) == 0, "case %zu: %s", i, err);
    ck_assert_int_eq(cfg.max_increase_percent, ok[i].increase);
    ck_assert_int_eq(cfg.guardrail_min_seats, ok[i].seats);
    ck_assert_int_eq(cfg.plan_max_age, ok[i].age);
    config_free(&cfg);
  }
  const char *e = load_bad("[host]\n"                     /* 1 */
                           "max_increase_percent = -1\n"  /* 2 */
                           "guardrail_min_seats = five\n" /* 3 */
                           "plan_max_age = 24\n"          /* 4 */
                           "[lastpass]\n"                 /* 5 */
                           "api_key = lpkey\n");          /* 6 */
  assert_has(e, "lpsa.conf:2: max_increase_percent must be a whole number "
                "from 0 to 1000000, not \"-1\"");
  assert_has(e, "lpsa.conf:3: guardrail_min_seats must be a whole number "
                "from 0 to 1000000, not \"five\"");
  assert_has(e, "lpsa.conf:4: plan_max_age must be a duration from 1m to "
                "31d such as 2h, 30m or 1h30m, not \"24\"; fix the value");
  static const char *const bad_ages[] = {"59s", "32d", "h",           "1.5h",
                                         "2w",  "-1h", "99999999999d"};
  for (size_t i = 0; i < sizeof bad_ages / sizeof *bad_ages; i++) {
    char text[256];
    snprintf(text, sizeof text, "[host]\nplan_max_age = %s\n%s", bad_ages[i],
             MIN_LASTPASS);
    e = load_bad(text);
    assert_has(e, "plan_max_age must be a duration");
  }
}
END_TEST

START_TEST(empty_list_item) {
  const char *e = load_bad("[host]\nnotify_email = a@example.com,,b@x.org\n"
                           "smtp_url = smtps://m.example.com\n"
                           "smtp_from = l@example.com\n" MIN_LASTPASS);
  ck_assert_str_eq(e, "lpsa.conf:2: notify_email: address 2 of the list is "
                      "empty; separate addresses with single commas");
}
END_TEST

START_TEST(duplicates_and_outside) {
  ck_assert_int_eq(unsetenv("NOPE_X"), 0);
  const char *e = load_bad("orphan = 1\n"                 /* 1 */
                           "[host]\n"                     /* 2 */
                           "state_dir = /a\n"             /* 3 */
                           "[lastpass]\n"                 /* 4 */
                           "api_key = lpkey_1\n"          /* 5 */
                           "[host]\n"                     /* 6 */
                           "STATE_DIR = /b\n"             /* 7 */
                           "smtp_password = env:NOPE_X\n" /* 8 */
                           "this line has no equals\n");  /* 9 */
  ck_assert_str_eq(
      e, "lpsa.conf:1: \"orphan\" is outside any section; put it under "
         "[host], [lastpass], [web] or [driver.NAME]\n"
         "lpsa.conf:7: state_dir is set twice in [host] (first at line 3); "
         "keep one of them\n"
         "lpsa.conf:8: smtp_password = env:NOPE_X: the environment variable "
         "NOPE_X is not set; set it in the service's environment (or use "
         "file:PATH)\n"
         "lpsa.conf:9: cannot read this line; write key = value, [section], "
         "or a comment starting with ; or #\n"
         "lpsa.conf:8: smtp_password needs smtp_username; add it to [host]");
}
END_TEST

START_TEST(missing_api_key) {
  const char *e = load_bad("[host]\nstate_dir = /x\n");
  ck_assert_str_eq(e, "lpsa.conf: [lastpass] lacks api_key; add api_key = "
                      "env:LPSA_LASTPASS_API_KEY (or file:PATH)");
}
END_TEST

START_TEST(indented_line_is_not_a_continuation) {
  /* inih would glue an indented line onto the previous value */
  lpsa_config cfg;
  int rc = load(
      "[host]\nstate_dir = /a\n    mapping_file = m.csv\n" MIN_LASTPASS, &cfg);
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_str_eq(cfg.state_dir, "/a");
  ck_assert_ptr_nonnull(strstr(cfg.mapping_file, "/m.csv"));
  config_free(&cfg);
  const char *e =
      load_bad("[host]\nstate_dir = /a\n   more words\n" MIN_LASTPASS);
  ck_assert_str_eq(e, "lpsa.conf:3: cannot read this line; write key = "
                      "value, [section], or a comment starting with ; or #");
}
END_TEST

START_TEST(long_line) {
  char text[1024];
  char value[400];
  memset(value, 'a', sizeof value - 1);
  value[sizeof value - 1] = '\0';
  snprintf(text, sizeof text, "[host]\nstate_dir = /%s\n" MIN_LASTPASS, value);
  const char *e = load_bad(text);
  assert_has(e, "lpsa.conf:2: the line is longer than");
  ck_assert_int_eq(count_lines(e), 1);
  /* a long line must not be split into a bogus extra line */
}
END_TEST

START_TEST(many_errors_are_capped) {
  char text[4096] = "[host]\n";
  for (int i = 0; i < 25; i++)
    strcat(text, "bogus = 1\n");
  strcat(text, MIN_LASTPASS);
  const char *e = load_bad(text);
  ck_assert_int_eq(count_lines(e), CONFIG_MAX_ERRORS + 1);
  assert_has(e, "lpsa.conf:2: unknown key \"bogus\"");
  assert_has(e, "lpsa.conf:21: unknown key \"bogus\"");
  ck_assert_ptr_null(strstr(e, "lpsa.conf:22:"));
  assert_has(e, "\nlpsa.conf: 5 more problems not shown; fix these and run "
                "again");
}
END_TEST

START_TEST(small_error_buffer) {
  lpsa_config cfg;
  char small[40];
  write_file("lpsa.conf", "[x]\n[y]\n[z]\n", 0600);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, small, sizeof small),
                   -1);
  ck_assert_uint_lt(strlen(small), sizeof small);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, NULL, 0), -1);
}
END_TEST

START_TEST(file_problems) {
  lpsa_config cfg;
  ck_assert_int_eq(config_load("nope.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_str_eq(err, "nope.conf: cannot open: No such file or directory; "
                        "check the path (--config FILE)");
  ck_assert_int_eq(mkdir("d.conf", 0700), 0);
  ck_assert_int_eq(config_load("d.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_str_eq(err, "d.conf: is not a regular file; point --config at "
                        "the INI file");
  FILE *f = fopen("nul.conf", "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite("[host]\0x", 1, 8, f), 8);
  fclose(f);
  ck_assert_int_eq(config_load("nul.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_str_eq(err, "nul.conf: holds a NUL byte; is this the "
                        "configuration file?");
}
END_TEST

/* A file lpsa-host may not read is a permission problem, said as one. */
START_TEST(timezone_key) {
  lpsa_config cfg;
  ck_assert_int_eq(setenv("LPSA_TEST_API_KEY", "lpkey_env", 1), 0);
  ck_assert_msg(load("[host]\ntimezone = Europe/Berlin\n[lastpass]\napi_key = "
                     "env:LPSA_TEST_API_KEY\n",
                     &cfg) == 0,
                "%s", err);
  ck_assert_str_eq(cfg.timezone, "Europe/Berlin");
  config_free(&cfg);
  ck_assert_int_eq(load("[lastpass]\napi_key = env:LPSA_TEST_API_KEY\n", &cfg),
                   0);
  ck_assert_ptr_null(cfg.timezone); /* the machine's */
  config_free(&cfg);
  ck_assert_str_eq(load_bad("[host]\n\ntimezone = Berlin\n[lastpass]\n"
                            "api_key = env:LPSA_TEST_API_KEY\n"),
                   "lpsa.conf:3: timezone \"Berlin\" is not a time zone of "
                   "the tz database (/usr/share/zoneinfo); write a name such "
                   "as Europe/Berlin, America/New_York or UTC (install tzdata "
                   "if none is found)");
}
END_TEST

START_TEST(unreadable_file_is_a_permission_problem) {
  write_file("lpsa.conf", "[lastpass]\napi_key = env:X\n", 0640);
  ck_assert_int_eq(chmod(".", 0755), 0);
  if (geteuid() != 0)
    ck_assert_int_eq(chmod("lpsa.conf", 0), 0);
  /* Root reads anything: the load runs in a child that became nobody. */
  int fds[2];
  ck_assert_int_eq(pipe(fds), 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    lpsa_config cfg;
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
      _exit(3);
    int rc = config_load("lpsa.conf", NULL, &cfg, err, sizeof err);
    ssize_t w = write(fds[1], err, strlen(err));
    _exit(rc == -1 && w > 0 ? 0 : 4);
  }
  close(fds[1]);
  char got[2048] = "";
  size_t n = 0;
  ssize_t r;
  while ((r = read(fds[0], got + n, sizeof got - 1 - n)) > 0)
    n += (size_t)r;
  close(fds[0]);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %d",
                status);
  ck_assert_msg(strstr(got, "lpsa.conf: cannot open: permission denied: a "
                            "permission problem, not a wrong path: "),
                "%s", got);
  ck_assert_msg(strstr(got, "/lpsa.conf (owner "), "%s", got);
  ck_assert_msg(strstr(got, "mode 0"), "%s", got);
  ck_assert_msg(strstr(got, "run lpsa-host as the service user or a member "
                            "of group "),
                "%s", got);
  ck_assert_ptr_null(strstr(got, "check the path"));
}
END_TEST

START_TEST(literal_secret_needs_private_file) {
  lpsa_config cfg;
  char want[PATH_MAX + 1024];
  write_file("lpsa.conf",
             "[host]\nstate_dir = /x\n\n\n\n\n\n[lastpass]\napi_key = "
             "lpkey_literal\n",
             0644);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "lpsa.conf holds a literal secret (line 9, api_key) and is "
           "readable by its group and by others, which the service needs; "
           "move the secret to the environment file the systemd units load: "
           "add the line LPSA_LASTPASS_API_KEY=<the secret> to "
           "/etc/lpsa/lpsa.env (root:lpsa, mode 640) and write api_key = "
           "env:LPSA_LASTPASS_API_KEY in [lastpass] (or file:PATH); and run: "
           "chmod o-r %s/lpsa.conf",
           dir);
  ck_assert_str_eq(err, want);
  ck_assert_ptr_null(strstr(err, "lpkey_literal"));
  /* group-readable, as installed (root:lpsa 0640): chmod 600 would lock the
   * service out, so the advice is the units' environment file. */
  ck_assert_int_eq(chmod("lpsa.conf", 0640), 0);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_str_eq(
      err, "lpsa.conf holds a literal secret (line 9, api_key) and is "
           "readable by its group, which the service needs; move the secret "
           "to the environment file the systemd units load: add the line "
           "LPSA_LASTPASS_API_KEY=<the secret> to /etc/lpsa/lpsa.env "
           "(root:lpsa, mode 640) and write api_key = "
           "env:LPSA_LASTPASS_API_KEY in [lastpass] (or file:PATH)");
  /* readable by others only */
  ck_assert_int_eq(chmod("lpsa.conf", 0604), 0);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "lpsa.conf holds a literal secret (line 9, api_key) and is "
           "readable by others; run: chmod o-r %s/lpsa.conf (or give the "
           "secret as env:LPSA_LASTPASS_API_KEY or file:PATH)",
           dir);
  ck_assert_str_eq(err, want);
  /* [host] secrets are named without a section */
  write_file("lpsa.conf",
             "[host]\nsmtp_username = u\nsmtp_password = hunter2\n"
             "[lastpass]\napi_key = env:LPSA_TEST_API_KEY\n",
             0640);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "add the line LPSA_SMTP_PASSWORD=<the secret> "
                            "to /etc/lpsa/lpsa.env") &&
                    strstr(err, "smtp_password = env:LPSA_SMTP_PASSWORD in "
                                "[host]"),
                "%s", err);
  write_file("lpsa.conf",
             "[host]\nstate_dir = /x\n\n\n\n\n\n[lastpass]\napi_key = "
             "lpkey_literal\n",
             0644);
  /* owner-only is fine */
  ck_assert_int_eq(chmod("lpsa.conf", 0600), 0);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), 0);
  ck_assert_int_eq(cfg.insecure_perms, 0);
  config_free(&cfg);
  /* an env: secret in a world-readable file is fine */
  ck_assert_int_eq(setenv("LPSA_TEST_API_KEY", "lpkey_env", 1), 0);
  write_file("lpsa.conf", "[lastpass]\napi_key = env:LPSA_TEST_API_KEY\n",
             0644);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), 0);
  ck_assert_int_eq(cfg.insecure_perms, 1);
  ck_assert_str_eq(cfg.lastpass_api_key, "lpkey_env");
  config_free(&cfg);
}
END_TEST

START_TEST(webhook_is_a_secret) {
  lpsa_config cfg;
  ck_assert_int_eq(
      setenv("LPSA_TEST_HOOK", "http://hooks.example.com/T0/B0/tok3n", 1), 0);
  ck_assert_int_eq(setenv("LPSA_TEST_API_KEY", "lpkey_env", 1), 0);
  write_file("lpsa.conf",
             "[host]\nnotify_webhook = env:LPSA_TEST_HOOK\n[lastpass]\n"
             "api_key = env:LPSA_TEST_API_KEY\n",
             0644);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_str_eq(err, "lpsa.conf:2: notify_webhook: URL \"<the URL>\" uses "
                        "http:// to another machine, which would send "
                        "credentials in clear; use https://");
  ck_assert_int_eq(
      setenv("LPSA_TEST_HOOK", "https://hooks.example.com/T0/B0/tok3n", 1), 0);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), 0);
  ck_assert_str_eq(cfg.notify_webhook, "https://hooks.example.com/T0/B0/tok3n");
  ck_assert_uint_eq(cfg.secrets.n, 2);
  config_free(&cfg);
  /* a literal webhook URL in a readable file is refused like any secret */
  write_file("lpsa.conf",
             "[host]\nnotify_webhook = https://hooks.example.com/T0/B0/x\n"
             "[lastpass]\napi_key = env:LPSA_TEST_API_KEY\n",
             0604);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "holds a literal secret (line 2, "
                                    "notify_webhook)"));
}
END_TEST

START_TEST(driver_sections) {
  lpsa_config cfg;
  int rc = load(MIN_LASTPASS                                /* 1-2 */
                "[driver.connectwise]\n"                    /* 3 */
                "site = https://api-na.myconnectwise.net\n" /* 4 */
                "Company_Id = mymsp\n"                      /* 5 */
                "private_key = file:/etc/lpsa/cw.key\n"     /* 6 */
                "sku.lastpass = LASTPASS-BUS , LP-OLD\n"    /* 7 */
                "SKU.LastPass_MFA = LASTPASS-MFA\n"         /* 8 */
                "[driver.cw-site2]\n"                       /* 9 */
                "module = connectwise\n"                    /* 10 */
                "[driver.autotask]\n"                       /* 11 */
                "[driver.ConnectWise]\n"                    /* 12 */
                "client_id = 1234\n",                       /* 13 */
                &cfg);
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_uint_eq(cfg.n_drivers, 3);
  const config_driver_section *cw = config_driver(&cfg, "CONNECTWISE");
  ck_assert_ptr_nonnull(cw);
  ck_assert_str_eq(cw->name, "connectwise");
  ck_assert_str_eq(cw->module, "connectwise");
  ck_assert_int_eq(cw->line, 3);
  ck_assert_int_eq(cw->module_line, 0);
  ck_assert_uint_eq(cw->n_values, 4);
  ck_assert_str_eq(cw->values[0].key, "site");
  ck_assert_str_eq(cw->values[0].value, "https://api-na.myconnectwise.net");
  ck_assert_int_eq(cw->values[0].line, 4);
  ck_assert_str_eq(cw->values[1].key, "Company_Id");
  ck_assert_str_eq(cw->values[2].value, "file:/etc/lpsa/cw.key"); /* raw */
  ck_assert_str_eq(cw->values[3].key, "client_id");
  ck_assert_int_eq(cw->values[3].line, 13);
  ck_assert_uint_eq(cw->n_sku_lastpass, 2);
  ck_assert_str_eq(cw->sku_lastpass[0], "LASTPASS-BUS");
  ck_assert_str_eq(cw->sku_lastpass[1], "LP-OLD");
  ck_assert_int_eq(cw->sku_lastpass_line, 7);
  ck_assert_uint_eq(cw->n_sku_lastpass_mfa, 1);
  ck_assert_str_eq(cw->sku_lastpass_mfa[0], "LASTPASS-MFA");
  const config_driver_section *s2 = config_driver(&cfg, "cw-site2");
  ck_assert_ptr_nonnull(s2);
  ck_assert_str_eq(s2->module, "connectwise");
  ck_assert_int_eq(s2->module_line, 10);
  const config_driver_section *at = config_driver(&cfg, "autotask");
  ck_assert_ptr_nonnull(at); /* an empty section still exists */
  ck_assert_int_eq(at->line, 11);
  ck_assert_uint_eq(at->n_values, 0);
  ck_assert_ptr_null(config_driver(&cfg, "halo"));
  config_free(&cfg);
}
END_TEST

START_TEST(driver_section_errors) {
  const char *e = load_bad(MIN_LASTPASS             /* 1-2 */
                           "[driver.cw]\n"          /* 3 */
                           "module = ../evil\n"     /* 4 */
                           "module = connectwise\n" /* 5 */
                           "sku.lastpas = X\n"      /* 6 */
                           "sku.lastpass = A,,B\n"  /* 7 */
                           "sku.lastpass = C\n"     /* 8 */
                           "site = x\n"             /* 9 */
                           "SITE = y\n"             /* 10 */
                           "sku.lastpass_mfa =\n"   /* 11 */
                           "[driver.at]\n"          /* 12 */
                           "module = a/b\n");       /* 13 */
  ck_assert_str_eq(
      e, "lpsa.conf:4: module \"../evil\" is not a driver name; write the "
         "driver file's name without \".so\" (letters, digits, '_' and '-')\n"
         "lpsa.conf:5: module is set twice in [driver.cw] (first at line 4); "
         "keep one of them\n"
         "lpsa.conf:6: unknown SKU \"lastpas\" in sku.lastpas; the SKUs are "
         "sku.lastpass and sku.lastpass_mfa\n"
         "lpsa.conf:7: sku.lastpass: product 2 of the list is empty; write "
         "the cw product names or ids separated by single commas\n"
         "lpsa.conf:8: sku.lastpass is set twice in [driver.cw] (first at "
         "line 7); list all products on one line, separated by commas\n"
         "lpsa.conf:10: SITE is set twice in [driver.cw] (first at line 9); "
         "keep one of them\n"
         "lpsa.conf:11: sku.lastpass_mfa: product 1 of the list is empty; "
         "write the cw product names or ids separated by single commas\n"
         "lpsa.conf:13: module \"a/b\" is not a driver name; write the driver "
         "file's name without \".so\" (letters, digits, '_' and '-')");
}
END_TEST

START_TEST(exe_driver_dir) {
  char *d = config_driver_dir_for_exe("/usr/local/bin/lpsa-host");
  ck_assert_str_eq(d, "/usr/local/lib/lpsa/drivers");
  free(d);
  d = config_driver_dir_for_exe("/home/me/build/bin/lpsa-host");
  ck_assert_str_eq(d, "/home/me/build/lib/lpsa/drivers");
  free(d);
  d = config_driver_dir_for_exe("/opt/lpsa/lpsa-host");
  ck_assert_str_eq(d, "/opt/lpsa/../lib/lpsa/drivers");
  free(d);
  d = config_driver_dir_for_exe("lpsa-host");
  ck_assert_str_eq(d, "./../lib/lpsa/drivers");
  free(d);
  d = config_driver_dir_for_exe("/bin/lpsa-host");
  ck_assert_str_eq(d, "/lib/lpsa/drivers");
  free(d);
  d = config_driver_dir_for_exe("/x/sbin/lpsa-host");
  ck_assert_str_eq(d, "/x/sbin/../lib/lpsa/drivers");
  free(d);
  d = config_default_driver_dir();
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(strstr(d, "lib/lpsa/drivers"));
  free(d);
}
END_TEST

START_TEST(suggestions) {
  static const char *const words[] = {"site", "company_id", "public_key",
                                      "private_key"};
  ck_assert_int_eq(config_edit_distance("kitten", "sitting"), 3);
  ck_assert_int_eq(config_edit_distance("", "abc"), 3);
  ck_assert_int_eq(config_edit_distance("ABC", "abc"), 0);
  ck_assert_str_eq(config_suggest("sit", words, 4), "site");
  ck_assert_str_eq(config_suggest("compnay_id", words, 4), "company_id");
  ck_assert_str_eq(config_suggest("privat_key", words, 4), "private_key");
  ck_assert_ptr_null(config_suggest("zone", words, 4));
  ck_assert_ptr_null(config_suggest("xy", words, 4));
}
END_TEST

START_TEST(init_defaults_alone) {
  lpsa_config cfg;
  ck_assert_int_eq(config_init_defaults(&cfg, NULL), 0);
  ck_assert_uint_eq(cfg.n_driver_path, 0);
  ck_assert_str_eq(cfg.state_dir, CONFIG_DEFAULT_STATE_DIR);
  ck_assert_ptr_null(cfg.lastpass_api_key);
  config_free(&cfg);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, defaults);
  tcase_add_test(tc, every_key);
  tcase_add_test(tc, syntax_conveniences);
  tcase_add_test(tc, unknown_keys_and_sections);
  tcase_add_test(tc, bad_values);
  tcase_add_test(tc, review_keys);
  tcase_add_test(tc, empty_list_item);
  tcase_add_test(tc, duplicates_and_outside);
  tcase_add_test(tc, missing_api_key);
  tcase_add_test(tc, indented_line_is_not_a_continuation);
  tcase_add_test(tc, long_line);
  tcase_add_test(tc, many_errors_are_capped);
  tcase_add_test(tc, small_error_buffer);
  tcase_add_test(tc, file_problems);
  tcase_add_test(tc, literal_secret_needs_private_file);
  tcase_add_test(tc, unreadable_file_is_a_permission_problem);
  tcase_add_test(tc, timezone_key);
  tcase_add_test(tc, webhook_is_a_secret);
  tcase_add_test(tc, driver_sections);
  tcase_add_test(tc, driver_section_errors);
  tcase_add_test(tc, exe_driver_dir);
  tcase_add_test(tc, suggestions);
  tcase_add_test(tc, init_defaults_alone);
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
