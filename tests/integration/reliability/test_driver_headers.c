/* SPDX-License-Identifier: MIT */
/*
 * test_driver_headers.c — a credential header a driver declares (lpsa_driver
 * .sensitive_headers, ABI 1.1) is hidden like the host's own, in every
 * output of lpsa-host.
 *
 * hdrpsa (hdr_driver.c) gets a session token from its PSA at run time and
 * sends it back in X-Hdr-Session; no configuration holds it, so only the
 * declaration tells the host it is a secret. The PSA here is a scripted
 * server that refuses the read with the header quoted back (raw,
 * percent-encoded or base64), and hdrpsa quotes that answer in its error,
 * as drivers do. Every output is then searched for the token in each form,
 * without case: stdout and stderr of a debug run (whose request lines must
 * show "X-Hdr-Session: ***"), the --report file, syslog (captured by the
 * LD_PRELOAD stand-in), `check` as text and JSON, `map suggest`,
 * `history` as text and JSON, every file under the test's directory (the
 * journal's raw bytes, the metrics file), the webhook's POSTs and the
 * e-mails.
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostrun.h"
#include "simproc.h"
#include "smtp_sink.h"
#include "test_server.h"
#include "wrapped_host.h"

#define NOW "LPSA_NOW=2026-11-15T12:00:00Z"
/* '+', '=' and '@' make the percent-encoded form differ from the raw one;
 * no '/', which JSON output may escape. */
#define TOKEN "sess+S3ss10n=7f@hdr-42"
#define MARK "S3ss10n"

static const char *const form_names[] = {"raw", "percent-encoded", "base64"};

static void percent(const char *in, char *out, size_t cap) {
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap;
       p++)
    o += isalnum(*p) || strchr("-._~", *p)
             ? (size_t)snprintf(out + o, cap - o, "%c", *p)
             : (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
  out[o] = '\0';
}

static void base64(const char *in, char *out, size_t cap) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(in), o = 0;
  const unsigned char *p = (const unsigned char *)in;
  for (size_t i = 0; i < n && o + 5 < cap; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    out[o++] = tab[(v >> 18) & 63];
    out[o++] = tab[(v >> 12) & 63];
    out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? tab[v & 63] : '=';
  }
  out[o] = '\0';
}

/* The token as the PSA quotes it, and what must never be seen. */
static char quoted[3][128];
static char answer[3][512];
static const char *forbidden[4];

static void forms_init(void) {
  snprintf(quoted[0], sizeof quoted[0], "%s", TOKEN);
  percent(TOKEN, quoted[1], sizeof quoted[1]);
  base64(TOKEN, quoted[2], sizeof quoted[2]);
  for (int f = 0; f < 3; f++) {
    snprintf(answer[f], sizeof answer[f],
             "{\"title\":\"Bad Request\",\"message\":\"refused: "
             "X-Hdr-Session: %s\"}",
             quoted[f]);
    forbidden[f] = quoted[f];
  }
  forbidden[3] = MARK; /* any part of the raw or percent-encoded form */
}

static const char *find_ci(const char *buf, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n && i + n <= len; i++) {
    size_t j = 0;
    while (j < n && tolower((unsigned char)buf[i + j]) ==
                        tolower((unsigned char)needle[j]))
      j++;
    if (j == n)
      return buf + i;
  }
  return NULL;
}

static void assert_clean(const char *where, const char *buf, size_t len) {
  for (size_t i = 0; buf && i < sizeof forbidden / sizeof *forbidden; i++) {
    const char *hit = find_ci(buf, len, forbidden[i]);
    if (hit) {
      size_t from = (size_t)(hit - buf) > 80 ? (size_t)(hit - buf) - 80 : 0;
      ck_abort_msg("the session token (%s) leaked into %s: ...%.*s...",
                   forbidden[i], where,
                   (int)(len - from < 200 ? len - from : 200), buf + from);
    }
  }
}

/* --- the world ------------------------------------------------------------ */

typedef struct world {
  char *dir;
  simproc lp;
  test_server *psa, *hook;
  smtp_sink *smtp;
  int form;
  char hook_env[300];
} world;

/* The PSA: a session for anyone, then every read refused with the
 * session header quoted back in the world's form. */
static int psa_handler(void *arg, const ts_request *req, ts_response *out) {
  const world *w = arg;
  memset(out, 0, sizeof *out);
  if (strncmp(req->target, "/session", 8) == 0) {
    out->status = 200;
    out->body = TOKEN;
  } else {
    out->status = 400;
    out->headers = "Content-Type: application/json";
    out->body = answer[w->form];
  }
  return 1;
}

static int hook_handler(void *arg, const ts_request *req, ts_response *out) {
  (void)arg, (void)req;
  memset(out, 0, sizeof *out);
  out->status = 200;
  out->body = "ok";
  return 1;
}

static void world_start(world *w, int form) {
  memset(w, 0, sizeof *w);
  w->form = form;
  w->dir = test_tmpdir("driver-headers");
  ck_assert_ptr_nonnull(w->dir);
  char path[1024], err[512], fixture[1024];
  snprintf(path, sizeof path, "%s/out", w->dir);
  ck_assert_int_eq(mkdir(path, 0700), 0);
  snprintf(fixture, sizeof fixture, "%s/sdk/ci/lastpass.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *lp_args[] = {"--fixture", fixture, "--now", "2026-11-15", NULL};
  ck_assert_msg(
      simproc_start(&w->lp, "lastpass-sim", lp_args, err, sizeof err) == 0,
      "%s", err);
  w->psa = ts_start();
  w->hook = ts_start();
  w->smtp = smtp_sink_start();
  ck_assert(w->psa && w->hook && w->smtp);
  ts_set_handler(w->psa, psa_handler, w);
  ts_set_handler(w->hook, hook_handler, NULL);
  snprintf(w->hook_env, sizeof w->hook_env, "LPSA_T_HOOK=%s/hooks/1",
           ts_url(w->hook));
  char conf[4096];
  snprintf(conf, sizeof conf,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\nmetrics_file = out/lpsa.prom\n"
           "notify_on = always\nnotify_email = billing@msp.example\n"
           "smtp_url = %s\nsmtp_from = lpsa@msp.example\n"
           "notify_webhook = env:LPSA_T_HOOK\n"
           "[lastpass]\napi_url = %s/business\napi_key = lpkey_demo\n"
           "[driver.hdrpsa]\nurl = %s\nsku.lastpass = LASTPASS-BUS\n",
           HDR_DRIVER_DIR, smtp_sink_url(w->smtp), w->lp.base_url,
           ts_url(w->psa));
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", conf), 0);
  snprintf(path, sizeof path, "%s/lpsa.conf", w->dir);
  ck_assert_int_eq(chmod(path, 0600), 0);
  ck_assert_int_eq(test_write_file(w->dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "100001,c1\n100002,c2\n"),
                   0);
}

/* Every file under dir, raw bytes (the journal's SQLite pages too). */
static size_t scan_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      n += scan_tree(path);
      continue;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
      continue;
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    assert_clean(path, buf, got);
    free(buf);
    n++;
  }
  closedir(d);
  return n;
}

static void world_stop(world *w) {
  size_t hooks = ts_request_count(w->hook), shown = 0;
  for (size_t i = 0; i < hooks; i++) {
    const ts_request *r = ts_request_at(w->hook, i);
    assert_clean("a webhook POST", r->body, r->body_len);
    shown += strstr(r->body, "***") != NULL;
  }
  size_t mails = smtp_sink_count(w->smtp);
  for (size_t i = 0; i < mails; i++) {
    smtp_message m;
    ck_assert_int_eq(smtp_sink_get(w->smtp, i, &m), 0);
    assert_clean("an e-mail", m.data, strlen(m.data));
    shown += strstr(m.data, "***") != NULL;
    smtp_message_free(&m);
  }
  ck_assert_msg(hooks >= 1 && mails >= 1 && shown >= 2,
                "notifications: %zu webhook POSTs, %zu e-mails, %zu showing "
                "the redacted answer",
                hooks, mails, shown);
  ck_assert_uint_ge(scan_tree(w->dir), 4);
  simproc_stop(&w->lp);
  ts_stop(w->psa);
  ts_stop(w->hook);
  smtp_sink_stop(w->smtp);
  test_rmtree(w->dir);
  free(w->dir);
}

/* lpsa-host -c lpsa.conf ARGS with the world's environment (plus syslog
 * capture into out/syslog.txt when `syslog` is set), both streams checked;
 * the exit code must be `expect`. The caller frees *r. */
static void run(world *w, int syslog, int expect, const char *const *args,
                hostrun *r) {
  const char *argv[16] = {"-c", "lpsa.conf"};
  size_t n = 2;
  for (size_t i = 0; args[i] && n < 15; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  char capture[1100], preload[1100], asan[1100];
  snprintf(capture, sizeof capture, "LPSA_SYSLOG_CAPTURE=%s/out/syslog.txt",
           w->dir);
  snprintf(preload, sizeof preload, "LD_PRELOAD=%s", LPSA_SYSLOG_SHIM);
  const char *old = getenv("ASAN_OPTIONS");
  snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
           old ? old : "", old && *old ? ":" : "");
  const char *env[] = {NOW,     w->hook_env, syslog ? capture : NULL,
                       preload, asan,        NULL};
  ck_assert_int_eq(wrapped_host_exec(NULL, w->dir, argv, env, r), 0);
  char where[200];
  snprintf(where, sizeof where, "the output of lpsa-host %s", args[0]);
  assert_clean(where, r->out, strlen(r->out));
  assert_clean(where, r->err, strlen(r->err));
  ck_assert_msg(r->status == expect,
                "lpsa-host %s: exit %d, expected %d\nstdout: %.1500s\n"
                "stderr: %.1500s",
                args[0], r->status, expect, r->out, r->err);
}

/* The text (a file of the world, or an output) reached by the quote: it
 * holds "***" where the token was. */
static void expect_redacted(const char *what, const char *text) {
  ck_assert_msg(text && strstr(text, "***"), "%s shows no redaction: %s", what,
                text ? text : "(nothing)");
}

START_TEST(declared_header_hidden_everywhere) {
  forms_init();
  fprintf(stderr, "test_driver_headers: the token quoted %s\n", form_names[_i]);
  world w;
  world_start(&w, _i);
  hostrun r;

  const char *sync[] = {"-vv", "--report", "out/sync.json", NULL};
  run(&w, 0, 3, sync, &r);
  /* The request line names the header and hides its value. */
  ck_assert_msg(strstr(r.err, "X-Hdr-Session: ***"), "%s", r.err);
  expect_redacted("stderr of the sync", r.err);
  hostrun_free(&r);
  char *report = test_read_file(w.dir, "out/sync.json");
  assert_clean("the report", report, report ? strlen(report) : 0);
  expect_redacted("the report", report);
  free(report);

  const char *sys[] = {"-vv", "--syslog", NULL};
  run(&w, 1, 3, sys, &r);
  hostrun_free(&r);
  char *syslog = test_read_file(w.dir, "out/syslog.txt");
  assert_clean("syslog", syslog, syslog ? strlen(syslog) : 0);
  expect_redacted("syslog", syslog);
  free(syslog);

  const char *check[] = {"check", NULL};
  run(&w, 0, 1, check, &r);
  expect_redacted("check", r.out);
  hostrun_free(&r);
  const char *json_check[] = {"--json", "check", NULL};
  run(&w, 0, 1, json_check, &r);
  expect_redacted("check --json", r.out);
  hostrun_free(&r);
  const char *suggest[] = {"map", "suggest", NULL};
  run(&w, 0, 3, suggest, &r);
  expect_redacted("map suggest", r.err);
  hostrun_free(&r);

  const char *history[] = {"history", NULL};
  run(&w, 0, 0, history, &r);
  hostrun_free(&r);
  /* An aborted run keeps no company rows: history only has to be clean. */
  const char *one[] = {"history", "--run", "1", NULL};
  run(&w, 0, 0, one, &r);
  hostrun_free(&r);
  const char *json_one[] = {"--json", "history", "--run", "1", NULL};
  run(&w, 0, 0, json_one, &r);
  hostrun_free(&r);

  ck_assert_uint_ge(ts_count(w.psa, "/companies"), 4);
  world_stop(&w);
}
END_TEST

int main(void) {
  char *tmp = test_private_tmpdir("driver-headers");
  Suite *s = suite_create("driver_headers");
  TCase *tc = tcase_create("redaction");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, declared_header_hidden_everywhere, 0, 3);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_rmtree(tmp);
  free(tmp);
  return failed ? 1 : 0;
}
