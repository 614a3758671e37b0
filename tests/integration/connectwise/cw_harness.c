/* SPDX-License-Identifier: MIT */
/*
 * cw_harness.c — the shared setup of the ConnectWise driver integration
 * tests (see cw_harness.h).
 */
#include "cw_harness.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_check(void *arg, const char *what, int ok, const char *detail) {
  cw_harness *h = arg;
  if (h->n_checks >= CWH_MAX_CHECKS)
    return;
  snprintf(h->check_what[h->n_checks], sizeof h->check_what[0], "%s", what);
  snprintf(h->check_detail[h->n_checks], sizeof h->check_detail[0], "%s",
           detail ? detail : "");
  h->check_ok[h->n_checks++] = ok;
}

static void write_fixture(cw_harness *h, const char *fixture) {
  snprintf(h->fixture_path, sizeof h->fixture_path,
           "/tmp/lpsa-cwdrv-fixture-XXXXXX");
  int fd = mkstemp(h->fixture_path);
  ck_assert_int_ge(fd, 0);
  size_t n = strlen(fixture);
  ck_assert_int_eq(write(fd, fixture, n), (ssize_t)n);
  close(fd);
}

static void load_and_host(cw_harness *h);

void cwh_start(cw_harness *h, const char *fixture, const char *const *args) {
  memset(h, 0, sizeof *h);
  setenv("LPSA_NOW", "2026-11-15T12:00:00Z", 1);
  const char *argv[32];
  size_t n = 0;
  if (fixture) {
    write_fixture(h, fixture);
    argv[n++] = "--fixture";
    argv[n++] = h->fixture_path;
  }
  for (size_t i = 0; args && args[i] && n < 30; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  ck_assert_msg(simproc_start(&h->sim, "connectwise-sim", argv, h->err,
                              sizeof h->err) == 0,
                "%s", h->err);
  h->sim_up = 1;
  load_and_host(h);
}

void cwh_start_bare(cw_harness *h) {
  memset(h, 0, sizeof *h);
  setenv("LPSA_NOW", "2026-11-15T12:00:00Z", 1);
  load_and_host(h);
}

static void load_and_host(cw_harness *h) {
  const char *dir = getenv("LPSA_DRIVER_DIR");
  ck_assert_msg(dir != NULL, "LPSA_DRIVER_DIR is not set");
  char path[1024];
  snprintf(path, sizeof path, "%s/connectwise.so", dir);
  ck_assert_msg(loader_load_file(path, "connectwise", &h->drv, h->err,
                                 sizeof h->err) == LPSA_OK,
                "%s", h->err);
  h->log_out = tmpfile();
  ck_assert_ptr_nonnull(h->log_out);
  h->log = log_new(h->log_out, LPSA_LOG_DEBUG);
  ck_assert_ptr_nonnull(h->log);
  http_options opt;
  http_options_default(&opt);
  opt.max_retries = 2;
  opt.backoff_base_ms = 5;
  opt.backoff_max_ms = 50;
  opt.timeout_ms = 20000;
  h->http = http_client_new(&opt, h->log);
  ck_assert_ptr_nonnull(h->http);
  host_init(&h->host, h->log, h->http);
  h->host.check_fn = on_check;
  h->host.check_arg = h;
}

int cwh_open(cw_harness *h, const char *const *kv) {
  const char *keys[] = {"site", "company_id", "public_key", "private_key",
                        "client_id"};
  const char *vals[] = {h->sim.base_url, "lpsademo", "pubkey", "privkey",
                        "3f1c2b9e-0000-4000-8000-00000000c11d"};
  lpsa_config_value cfg[24];
  size_t n = 0;
  for (size_t i = 0; i < 5; i++) {
    const char *v = vals[i];
    for (size_t j = 0; kv && kv[j]; j += 2)
      if (!strcmp(kv[j], keys[i]))
        v = kv[j + 1];
    cfg[n++] = (lpsa_config_value){keys[i], v, (int)i + 1};
  }
  for (size_t j = 0; kv && kv[j] && n < 24; j += 2) {
    int known = 0;
    for (size_t i = 0; i < 5; i++)
      known |= !strcmp(kv[j], keys[i]);
    if (!known)
      cfg[n++] = (lpsa_config_value){kv[j], kv[j + 1], 10};
  }
  h->err[0] = '\0';
  if (!h->api)
    return host_open_driver(&h->host, h->drv.desc, cfg, n, &h->ctx, h->err,
                            sizeof h->err);
  /* A test's own host table (one wrapping the host's). */
  return h->drv.desc->open(h->api, &h->host, cfg, n, &h->ctx, h->err,
                           sizeof h->err);
}

void cwh_stop(cw_harness *h) {
  if (h->ctx)
    h->drv.desc->close(h->ctx);
  h->ctx = NULL;
  loader_unload(&h->drv);
  if (h->http)
    http_client_free(h->http);
  if (h->log)
    log_free(h->log);
  if (h->log_out)
    fclose(h->log_out);
  if (h->sim_up)
    simproc_stop(&h->sim);
  if (h->fixture_path[0])
    unlink(h->fixture_path);
  memset(h, 0, sizeof *h);
}

int cwh_snapshot(cw_harness *h, const lpsa_snapshot_request *req,
                 lpsa_snapshot **out) {
  *out = snapshot_new(req);
  ck_assert_ptr_nonnull(*out);
  h->err[0] = '\0';
  return h->drv.desc->snapshot(h->ctx, req, *out, h->err, sizeof h->err);
}

json_object *cwh_log(cw_harness *h) {
  json_object *log = simproc_log(&h->sim);
  ck_assert_ptr_nonnull(log);
  return log;
}

void cwh_clear_log(cw_harness *h) {
  ck_assert_int_eq(simproc_clear_log(&h->sim), 0);
}

static const char *str_of(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

int cwh_count(cw_harness *h, const char *method, const char *path_part) {
  json_object *log = cwh_log(h);
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    if (method && strcmp(str_of(e, "method"), method))
      continue;
    if (path_part && !strstr(str_of(e, "path"), path_part))
      continue;
    n++;
  }
  json_object_put(log);
  return n;
}

int cwh_logged(cw_harness *h, const char *text) {
  fflush(h->log_out);
  long end = ftell(h->log_out);
  if (end <= 0)
    return 0;
  char *buf = calloc(1, (size_t)end + 1);
  ck_assert_ptr_nonnull(buf);
  rewind(h->log_out);
  size_t got = fread(buf, 1, (size_t)end, h->log_out);
  fseek(h->log_out, 0, SEEK_END);
  buf[got] = '\0';
  int found = strstr(buf, text) != NULL;
  free(buf);
  return found;
}

json_object *cwh_state_record(cw_harness *h, const char *kind, long id) {
  json_object *state = simproc_get_state(&h->sim);
  ck_assert_ptr_nonnull(state);
  json_object *arr = NULL, *found = NULL;
  if (json_object_object_get_ex(state, kind, &arr))
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
      json_object *r = json_object_array_get_idx(arr, i), *v = NULL;
      if (json_object_object_get_ex(r, "id", &v) &&
          json_object_get_int64(v) == id)
        found = json_object_get(r);
    }
  json_object_put(state);
  return found;
}

long cwh_company(const lpsa_snapshot *s, const char *id) {
  return snapshot_find_company(s, id);
}
long cwh_agreement(const lpsa_snapshot *s, const char *id) {
  return snapshot_find_agreement(s, id);
}
long cwh_line(const lpsa_snapshot *s, const char *id) {
  return snapshot_find_line(s, id);
}

int cwh_sim_links_whole(cw_harness *h) {
  char url[1024];
  snprintf(url, sizeof url,
           "%s/v4_6_release/apis/3.0/company/companies?conditions=id%%20in"
           "%%20%%281000%%2C1001%%2C1002%%2C1003%%29%%20and%%20name%%20not"
           "%%20like%%20%%22%%25zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz%%22"
           "&fields=id%%2Cidentifier%%2Cname%%2CdeletedFlag%%2Cstatus%%2Fname"
           "&pageSize=1",
           h->sim.base_url);
  const char *hdrs[] = {"Authorization: Basic bHBzYWRlbW8rcHVia2V5OnByaXZrZXk=",
                        "clientId: probe", NULL};
  simproc_http_result res;
  memset(&res, 0, sizeof res);
  int whole = 0;
  char link[4096];
  if (simproc_http("GET", url, hdrs, NULL, 0, &res) == 0 &&
      simproc_http_header(&res, "Link", link, sizeof link) == 0)
    whole = strstr(link, "rel=\"last\"") != NULL;
  simproc_http_result_free(&res);
  cwh_clear_log(h);
  return whole;
}
