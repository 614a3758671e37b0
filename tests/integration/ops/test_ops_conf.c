/* SPDX-License-Identifier: MIT */
/*
 * test_ops_conf.c — the shipped examples and documents hold what they
 * claim: conf/lpsa.conf.example loads, also with every commented-out key
 * switched on; its driver sections pass the real drivers' key checks; every
 * key the host and the drivers accept appears in it and in lpsa.conf(5);
 * mapping.csv.example parses; lpsa-host(1) names every option --help
 * lists; the systemd units say what they must.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_driver.h"
#include "hostrun.h"
#include "loader.h"
#include "mapping.h"

static char *dir;

static const char *const secret_vars[] = {
    "LPSA_LASTPASS_API_KEY",    "LPSA_CW_PUBLIC_KEY",
    "LPSA_CW_PRIVATE_KEY",      "LPSA_CW_CLIENT_ID",
    "LPSA_AT_USERNAME",         "LPSA_AT_SECRET",
    "LPSA_AT_INTEGRATION_CODE", "LPSA_SMTP_PASSWORD",
    "LPSA_HALO_CLIENT_SECRET",  NULL};

/* Every [host] and [lastpass] key of config.h. */
static const char *const host_keys[] = {"driver_path",
                                        "state_dir",
                                        "mapping_file",
                                        "schedule",
                                        "timezone",
                                        "max_decrease_percent",
                                        "max_increase_percent",
                                        "guardrail_min_seats",
                                        "plan_max_age",
                                        "suspended_companies",
                                        "metrics_file",
                                        "notify_email",
                                        "notify_on",
                                        "notify_webhook",
                                        "smtp_url",
                                        "smtp_from",
                                        "smtp_username",
                                        "smtp_password",
                                        "http_timeout",
                                        "max_concurrency",
                                        "ca_file",
                                        "api_url",
                                        "api_key",
                                        "module",
                                        "sku.lastpass",
                                        "sku.lastpass_mfa",
                                        NULL};

static void setup(void) {
  dir = test_tmpdir("conf");
  ck_assert_ptr_nonnull(dir);
  for (size_t i = 0; secret_vars[i]; i++)
    setenv(secret_vars[i], "example-secret-value", 1);
  setenv("LPSA_WEBHOOK_URL", "https://hooks.example/T0/B0/xyz", 1);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

static char *source(const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", getenv("LPSA_SOURCE_DIR"), rel);
  char *text = test_read_file(NULL, path);
  ck_assert_msg(text != NULL, "cannot read %s", path);
  return text;
}

static void load(const char *path, lpsa_config *cfg) {
  static char err[8192];
  ck_assert_msg(config_load(path, "/nonexistent", cfg, err, sizeof err) == 0,
                "%s", err);
}

START_TEST(example_loads) {
  char path[1024];
  snprintf(path, sizeof path, "%s/conf/lpsa.conf.example",
           getenv("LPSA_SOURCE_DIR"));
  lpsa_config cfg;
  load(path, &cfg);
  ck_assert_str_eq(cfg.schedule_text, "daily 02:00");
  ck_assert_str_eq(cfg.state_dir, "/var/lib/lpsa");
  ck_assert_uint_eq(cfg.n_drivers, 3);
  config_free(&cfg);
}
END_TEST

/* "; key = value" lines become "key = value"; ca_file points at a real
 * file. Returns the path of the variant. */
static const char *every_key_variant(void) {
  char *text = source("conf/lpsa.conf.example");
  static char path[1024];
  snprintf(path, sizeof path, "%s/every.conf", dir);
  char ca[1024];
  snprintf(ca, sizeof ca, "%s/ca.pem", dir);
  ck_assert_int_eq(test_write_file(dir, "ca.pem", "not checked here\n"), 0);
  FILE *out = fopen(path, "w");
  ck_assert_ptr_nonnull(out);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    const char *body = line;
    if (strncmp(line, "; ", 2) == 0 && strstr(line, " = ") &&
        strspn(line + 2, "abcdefghijklmnopqrstuvwxyz0123456789_.") ==
            (size_t)(strstr(line, " = ") - line - 2))
      body = line + 2;
    if (strncmp(body, "ca_file = ", 10) == 0)
      fprintf(out, "ca_file = %s\n", ca);
    else if (strncmp(body, "tls_cert = ", 11) == 0 ||
             strncmp(body, "tls_key = ", 10) == 0) /* read at start only */
      fprintf(out, "%.*s= %s\n", (int)strcspn(body, "="), body, ca);
    else
      fprintf(out, "%s\n", body);
  }
  fclose(out);
  free(text);
  return path;
}

START_TEST(every_commented_key_is_valid) {
  lpsa_config cfg;
  load(every_key_variant(), &cfg);
  ck_assert_uint_eq(cfg.n_notify_email, 2);
  ck_assert_ptr_nonnull(cfg.smtp_password);
  ck_assert_ptr_nonnull(cfg.metrics_file);
  ck_assert_ptr_nonnull(cfg.notify_webhook);
  ck_assert_ptr_nonnull(cfg.ca_file);
  ck_assert(cfg.web_configured);
  ck_assert_ptr_nonnull(cfg.web_tls_cert);
  ck_assert_ptr_nonnull(cfg.web_tls_key);
  config_free(&cfg);
}
END_TEST

/* Each driver section, every key switched on, passes the driver's own key
 * list; and every key the driver declares appears in its section. */
static void check_driver(const char *name) {
  lpsa_config cfg;
  load(every_key_variant(), &cfg);
  const config_driver_section *sec = config_driver(&cfg, name);
  ck_assert_ptr_nonnull(sec);
  const char *drivers = getenv("LPSA_DRIVER_DIR");
  loaded_driver d;
  char err[8192];
  ck_assert_msg(loader_load(&drivers, 1, name, &d, err, sizeof err) == LPSA_OK,
                "%s", err);
  driver_config dc;
  ck_assert_msg(config_driver_resolve(&cfg, sec, name, d.desc->config_keys, &dc,
                                      err, sizeof err) == 0,
                "%s", err);
  for (const lpsa_config_key *k = d.desc->config_keys; k->name; k++) {
    int found = 0;
    for (size_t i = 0; i < dc.n_values; i++)
      found |= strcmp(dc.values[i].key, k->name) == 0;
    ck_assert_msg(found, "conf/lpsa.conf.example: [driver.%s] lacks %s", name,
                  k->name);
  }
  char *man = source("conf/lpsa.conf.5");
  for (const lpsa_config_key *k = d.desc->config_keys; k->name; k++)
    ck_assert_msg(strstr(man, k->name), "lpsa.conf(5) lacks %s", k->name);
  free(man);
  driver_config_free(&dc);
  loader_unload(&d);
  config_free(&cfg);
}

START_TEST(connectwise_section) {
  check_driver("connectwise");
}
END_TEST

START_TEST(autotask_section) {
  check_driver("autotask");
}
END_TEST

START_TEST(halopsa_section) {
  check_driver("halopsa");
}
END_TEST

START_TEST(host_keys_documented) {
  char *example = source("conf/lpsa.conf.example");
  char *man = source("conf/lpsa.conf.5");
  for (size_t i = 0; host_keys[i]; i++) {
    char as_key[128];
    snprintf(as_key, sizeof as_key, "%s = ", host_keys[i]);
    ck_assert_msg(strstr(example, as_key), "lpsa.conf.example lacks %s",
                  host_keys[i]);
    ck_assert_msg(strstr(man, host_keys[i]), "lpsa.conf(5) lacks %s",
                  host_keys[i]);
  }
  free(example);
  free(man);
}
END_TEST

START_TEST(mapping_example_parses) {
  char path[1024];
  snprintf(path, sizeof path, "%s/conf/mapping.csv.example",
           getenv("LPSA_SOURCE_DIR"));
  mapping m;
  char err[4096];
  ck_assert_msg(mapping_load(path, &m, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(m.n_rows, 2);
  ck_assert_str_eq(m.rows[0].note, "Acme, Inc.");
  ck_assert_str_eq(m.rows[1].agreement_id, "1034");
  mapping_free(&m);
}
END_TEST

/* Every long option of --help appears in lpsa-host(1) (as \-\-name). */
START_TEST(man_page_lists_every_option) {
  const char *args[] = {"--help", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(NULL, args, NULL, &h), 0);
  ck_assert_int_eq(h.status, 0);
  char *man = source("conf/lpsa-host.1");
  int seen = 0;
  for (const char *p = h.out; (p = strstr(p, "--")); p += 2) {
    size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
    if (n == 0)
      continue;
    char roff[128] = "\\-\\-";
    size_t used = strlen(roff);
    for (size_t i = 0; i < n && used + 3 < sizeof roff; i++) {
      if (p[2 + i] == '-')
        roff[used++] = '\\';
      roff[used++] = p[2 + i];
    }
    roff[used] = '\0';
    ck_assert_msg(strstr(man, roff), "lpsa-host(1) lacks %.*s", (int)n + 2, p);
    seen++;
  }
  ck_assert_int_ge(seen, 14);
  static const char *const commands[] = {
      "drivers", "check", "history", "map suggest", "plan", "apply", NULL};
  for (size_t i = 0; commands[i]; i++) {
    ck_assert_ptr_nonnull(strstr(h.out, commands[i]));
    ck_assert_ptr_nonnull(strstr(man, commands[i]));
  }
  free(man);
  hostrun_free(&h);
}
END_TEST

START_TEST(units) {
  char *daemon = source("conf/lpsa-host.service.in");
  static const char *const d_lines[] = {
      "\nType=simple\n",
      "\nUser=lpsa\n",
      "\nStateDirectory=lpsa\n",
      "\nExecStart=@LPSA_BINDIR@/lpsa-host --config /etc/lpsa/lpsa.conf "
      "--daemon",
      "\nExecReload=/bin/kill -HUP $MAINPID\n",
      "\nNoNewPrivileges=yes\n",
      "\nProtectSystem=strict\n",
      NULL};
  for (size_t i = 0; d_lines[i]; i++)
    ck_assert_msg(strstr(daemon, d_lines[i]), "lpsa-host.service lacks %s",
                  d_lines[i]);
  free(daemon);
  char *once = source("conf/lpsa-host-once.service.in");
  ck_assert_ptr_nonnull(strstr(once, "\nType=oneshot\n"));
  ck_assert_ptr_null(strstr(once, "--daemon"));
  free(once);
  char *timer = source("conf/lpsa-host.timer");
  ck_assert_ptr_nonnull(strstr(timer, "\nUnit=lpsa-host-once.service\n"));
  ck_assert_ptr_nonnull(strstr(timer, "\nOnCalendar="));
  free(timer);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_conf");
  TCase *tc = tcase_create("conf");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, example_loads);
  tcase_add_test(tc, every_commented_key_is_valid);
  tcase_add_test(tc, connectwise_section);
  tcase_add_test(tc, autotask_section);
  tcase_add_test(tc, halopsa_section);
  tcase_add_test(tc, host_keys_documented);
  tcase_add_test(tc, mapping_example_parses);
  tcase_add_test(tc, man_page_lists_every_option);
  tcase_add_test(tc, units);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
