/* SPDX-License-Identifier: MIT */
/*
 * conf_session.c — one test's host, inside the test's child process.
 */
#include "conf_session.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static void on_check_item(void *arg, const char *what, int ok,
                          const char *detail) {
  conf_session *s = arg;
  s->items++;
  if (!ok && s->items_failed++ == 0)
    snprintf(s->first_failed_item, sizeof s->first_failed_item, "%s%s%s",
             what ? what : "(no description)", detail ? ": " : "",
             detail ? detail : "");
}

static http_client *new_http(const conf_run *run, lpsa_log *log) {
  http_options o;
  http_options_default(&o);
  o.timeout_ms = (long)run->cfg.http_timeout * 1000L;
  o.max_concurrency = (unsigned)run->cfg.max_concurrency;
  o.ca_file = run->cfg.ca_file;
  return http_client_new(&o, log);
}

void conf_session_host(conf_session *s, const conf_run *run) {
  memset(s, 0, sizeof *s);
  s->run = run;
  s->cap.fd = -1;
  const char *log_path = run->opt->log_file ? run->opt->log_file : "/dev/null";
  s->log_file = fopen(log_path, "a");
  ck_assert_msg(s->log_file != NULL, "cannot open the log file %s", log_path);
  s->log =
      log_new(s->log_file, run->opt->verbose ? LPSA_LOG_DEBUG : LPSA_LOG_INFO);
  ck_assert_msg(s->log != NULL, "out of memory");
  secret_list_register(&run->cfg.secrets, s->log);
  s->http = new_http(run, s->log);
  ck_assert_msg(s->http != NULL,
                "cannot start the HTTP client (out of memory or a bad "
                "ca_file)");
  host_init(&s->host, s->log, s->http);
  s->host.check_fn = on_check_item;
  s->host.check_arg = s;
  ck_assert_msg(conf_capture_begin(&s->cap, run->tmpdir) == 0,
                "cannot capture stdout/stderr in %s", run->tmpdir);
}

void conf_session_load(conf_session *s, const conf_run *run) {
  conf_session_host(s, run);
  char err[1024] = "";
  int rc = loader_load_file(run->driver_path, run->expected_name, &s->drv, err,
                            sizeof err);
  ck_assert_msg(rc == LPSA_OK, "the host refuses the driver: %s", err);
  char cerr[8192] = "";
  rc = config_driver_resolve(&run->cfg, run->section, s->drv.desc->name,
                             s->drv.desc->config_keys, &s->dcfg, cerr,
                             sizeof cerr);
  ck_assert_msg(rc == 0, "the host refuses the [driver.%s] section: %s",
                run->section->name, cerr);
  secret_list_register(&s->dcfg.secrets, s->log);
}

void conf_session_open(conf_session *s, const conf_run *run) {
  conf_session_load(s, run);
  char err[1024] = "";
  const lpsa_driver *d = s->drv.desc;
  int rc = host_open_driver(&s->host, d, s->dcfg.values, s->dcfg.n_values,
                            &s->ctx, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK,
                "open() with the configured [driver.%s] section failed "
                "(%s): %s",
                run->section->name, host_status_str(rc), err);
  ck_assert_msg(s->ctx != NULL, "open() returned LPSA_OK but no context");
}

int conf_session_snapshot(conf_session *s, unsigned flags, int no_products,
                          int no_companies, lpsa_snapshot **out, char *err,
                          size_t errlen) {
  lpsa_snapshot_request req = conf_run_request(s->run, flags);
  if (no_products) {
    req.products = NULL;
    req.n_products = 0;
  }
  if (no_companies) {
    req.company_ids = NULL;
    req.n_company_ids = 0;
    req.agreement_ids = NULL;
    req.n_agreement_ids = 0;
  }
  err[0] = '\0';
  *out = snapshot_new(&req);
  if (!*out)
    return LPSA_ERR_NOMEM;
  return s->drv.desc->snapshot(s->ctx, &req, *out, err, errlen);
}

/* Quote captured output on one line: control characters as '?'. */
static void one_line(char *text) {
  for (char *p = text; *p; p++)
    if ((unsigned char)*p < 0x20)
      *p = '?';
}

void conf_session_end(conf_session *s, int quiet_matters, const char *during) {
  if (s->ctx && s->drv.desc)
    s->drv.desc->close(s->ctx);
  s->ctx = NULL;
  driver_config_free(&s->dcfg);
  loader_unload(&s->drv);
  char out[200];
  size_t n = conf_capture_end(&s->cap, out, sizeof out);
  http_client_free(s->http);
  log_free(s->log);
  if (s->log_file)
    fclose(s->log_file);
  memset(s, 0, sizeof *s);
  one_line(out);
  ck_assert_msg(!quiet_matters || n == 0,
                "the driver wrote %zu bytes to stdout/stderr %s (\"%s%s\"); a "
                "driver never prints: log through api->log() and return "
                "errors in err",
                n, during, out, n >= sizeof out ? "..." : "");
}
