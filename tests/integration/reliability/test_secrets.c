/* SPDX-License-Identifier: MIT */
/*
 * test_secrets.c — credentials never leave lpsa-host except towards the
 * API they belong to (issue 8, item 4).
 *
 * Every command of lpsa-host runs with debug logging (-vv) against the
 * LastPass simulator and a PSA simulator (ConnectWise, Autotask), with
 * known secret values given as env:, file: and literal, and nothing may
 * show any of them: stdout, stderr, the --report file, the journal and
 * every other file under state_dir (raw bytes), the saved plans (`plan`,
 * `plan --out`), the metrics file, the `map suggest` output, and what
 * `--syslog` logs (captured by an LD_PRELOAD
 * module standing in for syslog(3), see syslog_capture.c). The daemon runs
 * too: a sync at start, a reload (SIGHUP), a sync on SIGUSR1, a stop. Every
 * secret value carries the marker "S3cr3t", searched without case, so a
 * partial, truncated or re-cased copy is caught too; base64 forms
 * (ConnectWise's Basic authorization) are searched as well.
 *
 * Also: a literal secret in a config readable by others is refused (exit
 * 2, with the chmod to run), and so is a secret file readable by others;
 * http:// to a host that is not loopback is refused (exit 2; run in a
 * network namespace of its own, so a regression could not reach any
 * network); TLS to a loopback HTTPS server with a self-signed certificate
 * is refused by default (exit 3) and accepted with [host] ca_file.
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "echo_proxy.h"
#include "hostrun.h"
#include "simproc.h"
#include "smtp_sink.h"
#include "test_server.h"
#include "wrapped_host.h"

#define MARK "S3cr3t"
#define NOW_DATE "2026-11-15"
#define NOW "LPSA_NOW=" NOW_DATE "T12:00:00Z"
#define CW_FIXTURE "tests/sim/connectwise/fixtures/small.json"
#define AT_FIXTURE "tests/sim/autotask/fixtures/small.json"
#define CW_COMPANY "lpsademo"

/* --- the secrets --------------------------------------------------------- */

typedef struct secret_def {
  const char *key;   /* config key */
  const char *value; /* the secret */
  const char *env;   /* variable of the env: form */
} secret_def;

static const secret_def lp_key = {"api_key", "lpkey-" MARK "-LastPass-0a1b",
                                  "LPSA_T_LP_KEY"};
static const secret_def cw_secrets[] = {
    {"public_key", "cwpub-" MARK "-1c2d", "LPSA_T_CW_PUB"},
    {"private_key", "cwpriv-" MARK "-3e4f", "LPSA_T_CW_PRIV"},
    {"client_id", "cwcid-" MARK "-5a6b", "LPSA_T_CW_CID"},
    {NULL, NULL, NULL}};
static const secret_def at_secrets[] = {
    {"username", "lpsa-" MARK "-user@msp.example", "LPSA_T_AT_USER"},
    {"secret", "atsec-" MARK "-7c8d", "LPSA_T_AT_SECRET"},
    {"integration_code", "atcode-" MARK "-9e0f", "LPSA_T_AT_CODE"},
    {NULL, NULL, NULL}};

enum form { FORM_ENV, FORM_FILE, FORM_LITERAL };
static const char *const form_names[] = {"env:", "file:", "literal"};

/* --- one PSA ------------------------------------------------------------- */

typedef struct psa_case {
  const char *driver;
  const char *sim;
  const secret_def *secrets;
  const char *lastpass_json; /* the LastPass side of the story */
  const char *mapping;
  const char *fixed_keys; /* the section's keys besides secrets and URL */
  /* The request that finds the API (no credential in it, and its error
   * text is not shown): a hostile server lets it through. */
  const char *discovery;
} psa_case;

static const psa_case cw_case = {
    "connectwise",
    "connectwise-sim",
    cw_secrets,
    "{\"companies\":[{\"id\":201,\"name\":\"O'Brien\",\"status\":\"active\","
    "\"type\":\"managed\",\"addons\":[],\"activeUsers\":14},{\"id\":202,"
    "\"name\":\"Blue Sky\",\"status\":\"active\",\"type\":\"managed\","
    "\"addons\":[\"mfa\"],\"activeUsers\":8}],\"billingCycle\":{\"startDate\":"
    "\"2026-11-01\",\"endDate\":\"2026-11-30\"}}",
    "lastpass_company_id,psa_company_id\n201,1001\n202,1002\n",
    "company_id = " CW_COMPANY "\nsku.lastpass = LASTPASS-BUS\n"
    "sku.lastpass_mfa = LASTPASS-MFA\n",
    "login/companyinfo"};

static const psa_case at_case = {
    "autotask",
    "autotask-sim",
    at_secrets,
    "{\"companies\":[{\"id\":201,\"name\":\"O'Brien\",\"status\":\"active\","
    "\"type\":\"managed\",\"addons\":[],\"activeUsers\":14},{\"id\":202,"
    "\"name\":\"Cafe\",\"status\":\"active\",\"type\":\"managed\","
    "\"addons\":[\"mfa\"],\"activeUsers\":26}],\"billingCycle\":{"
    "\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}}",
    "lastpass_company_id,psa_company_id\n201,1000\n202,1001\n",
    "sku.lastpass = LastPass Business\n"
    "sku.lastpass_mfa = LastPass Business + MFA\n",
    "zoneInformation"};

/* --- what must never appear ---------------------------------------------- */

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

#define MAX_PATTERNS 128
typedef struct patterns {
  char text[MAX_PATTERNS][256];
  size_t n;
} patterns;

static void add_pattern(patterns *p, const char *s) {
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->text[i], s) == 0)
      return;
  ck_assert_uint_lt(p->n, MAX_PATTERNS);
  snprintf(p->text[p->n++], sizeof p->text[0], "%s", s);
}

/* s, and s with '/' written "\/" as a JSON writer may (the journal). */
static void add_json_pattern(patterns *p, const char *s) {
  add_pattern(p, s);
  if (!strchr(s, '/'))
    return;
  char esc[256];
  size_t o = 0;
  for (const char *c = s; *c && o + 2 < sizeof esc; c++) {
    if (*c == '/')
      esc[o++] = '\\';
    esc[o++] = *c;
  }
  esc[o] = '\0';
  add_pattern(p, esc);
}

static void percent(const char *in, char *out, size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  for (const unsigned char *c = (const unsigned char *)in; *c && o + 4 < cap;
       c++) {
    if (isalnum(*c) || strchr("-._~", *c)) {
      out[o++] = (char)*c;
    } else {
      out[o++] = '%';
      out[o++] = hex[*c >> 4];
      out[o++] = hex[*c & 15];
    }
  }
  out[o] = '\0';
}

/* Every form of one credential a transport or an echoing server might
 * write: the value (the marker covers it in any case), its percent-encoding
 * and its base64 encoding at each of the three byte alignments (inside the
 * base64 of a longer text, such as a whole header line), cut to the
 * characters that carry only the credential's bits. */
static void add_credential(patterns *p, const char *value) {
  char buf[512], b64[700];
  percent(value, buf, sizeof buf);
  add_pattern(p, buf);
  size_t n = strlen(value);
  for (size_t shift = 0; shift < 3; shift++) {
    snprintf(buf, sizeof buf, "%.*s%s", (int)shift, "xy", value);
    base64(buf, b64, sizeof b64);
    size_t first = (8 * shift + 5) / 6, end = 8 * (shift + n) / 6;
    if (end <= first || end - first < 8)
      continue;
    snprintf(buf, sizeof buf, "%.*s", (int)(end - first), b64 + first);
    add_json_pattern(p, buf);
  }
}

/* The marker (any case), and every form of each credential and of each
 * credential-carrying header value lpsa-host sends. */
static void patterns_for(const psa_case *pc, patterns *p) {
  char b64[256], value[512];
  memset(p, 0, sizeof *p);
  add_pattern(p, MARK);
  add_credential(p, lp_key.value);
  snprintf(value, sizeof value, "api-key %s", lp_key.value);
  add_credential(p, value);
  for (const secret_def *s = pc ? pc->secrets : NULL; s && s->key; s++)
    add_credential(p, s->value);
  if (pc == &cw_case) {
    char pair[256];
    snprintf(pair, sizeof pair, "%s+%s:%s", CW_COMPANY, cw_secrets[0].value,
             cw_secrets[1].value);
    base64(pair, b64, sizeof b64);
    add_json_pattern(p, b64);
    add_credential(p, b64);
    snprintf(value, sizeof value, "Basic %s", b64);
    add_credential(p, value);
  }
}

/* Case-insensitive search over raw bytes (files may hold NULs). */
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

static void assert_clean(const patterns *p, const char *where, const char *buf,
                         size_t len) {
  for (size_t i = 0; buf && i < p->n; i++) {
    const char *hit = find_ci(buf, len, p->text[i]);
    if (hit) {
      size_t from = (size_t)(hit - buf) > 80 ? (size_t)(hit - buf) - 80 : 0;
      size_t show = len - from < 200 ? len - from : 200;
      ck_abort_msg("a secret (%s) leaked into %s: ...%.*s...", p->text[i],
                   where, (int)show, buf + from);
    }
  }
}

/* --- the world: simulators, config, secrets ------------------------------ */

typedef struct world {
  char *dir;
  const psa_case *pc; /* NULL: LastPass only (jsonpsa) */
  enum form form;
  simproc lp, psa;
  int psa_up;
  char env_buf[8][256];
  const char *env[12];
  size_t n_env;
  patterns pats;
  unsigned runs; /* lpsa-host runs checked */
  /* Every run notifies (notify_on = always): the webhook and the mail
   * server keep what they were sent, checked at world_stop(). */
  test_server *hook;
  smtp_sink *smtp;
  /* Hostile servers in front of the simulators, or NULL. */
  echo_proxy *lp_px, *psa_px;
} world;

static void env_add(world *w, const char *kv) {
  ck_assert_uint_lt(w->n_env, 8);
  ck_assert_uint_lt(strlen(kv), sizeof w->env_buf[0]);
  memcpy(w->env_buf[w->n_env], kv, strlen(kv) + 1);
  w->env[w->n_env] = w->env_buf[w->n_env];
  w->env[++w->n_env] = NULL;
}

static void start_sims(world *w, const char *lp_key_value) {
  char err[512], fixture[1024];
  ck_assert_int_eq(
      test_write_file(w->dir, "lp.json", w->pc ? w->pc->lastpass_json : "{}"),
      0);
  snprintf(fixture, sizeof fixture, "%s/lp.json", w->dir);
  const char *lp_args[] = {"--fixture", fixture,      "--now", NOW_DATE,
                           "--api-key", lp_key_value, NULL};
  ck_assert_msg(
      simproc_start(&w->lp, "lastpass-sim", lp_args, err, sizeof err) == 0,
      "%s", err);
  if (!w->pc)
    return;
  const secret_def *s = w->pc->secrets;
  if (w->pc == &cw_case) {
    snprintf(fixture, sizeof fixture, "%s/" CW_FIXTURE,
             getenv("LPSA_SOURCE_DIR"));
    const char *args[] = {"--fixture",
                          fixture,
                          "--company",
                          CW_COMPANY,
                          "--public-key",
                          s[0].value,
                          "--private-key",
                          s[1].value,
                          "--client-id",
                          s[2].value,
                          NULL};
    ck_assert_msg(simproc_start(&w->psa, w->pc->sim, args, err, sizeof err) ==
                      0,
                  "%s", err);
  } else {
    snprintf(fixture, sizeof fixture, "%s/" AT_FIXTURE,
             getenv("LPSA_SOURCE_DIR"));
    const char *args[] = {"--fixture",          fixture,    "--user",
                          s[0].value,           "--secret", s[1].value,
                          "--integration-code", s[2].value, NULL};
    ck_assert_msg(simproc_start(&w->psa, w->pc->sim, args, err, sizeof err) ==
                      0,
                  "%s", err);
  }
  w->psa_up = 1;
}

/* The config value of a secret in the world's form; writes the file of the
 * file: form and adds the variable of the env: form. */
static void secret_value(world *w, const secret_def *s, const char *value,
                         char *out, size_t cap) {
  char kv[512];
  switch (w->form) {
  case FORM_ENV:
    snprintf(kv, sizeof kv, "%s=%s", s->env, value);
    env_add(w, kv);
    snprintf(out, cap, "env:%s", s->env);
    break;
  case FORM_FILE: {
    char name[128], text[300];
    snprintf(name, sizeof name, "secrets/%s.key", s->env);
    snprintf(text, sizeof text, "%s\n", value);
    ck_assert_int_eq(test_write_file(w->dir, name, text), 0);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", w->dir, name);
    ck_assert_int_eq(chmod(path, 0600), 0);
    snprintf(out, cap, "file:%s", name);
    break;
  }
  default:
    snprintf(out, cap, "%s", value);
  }
}

static const char *lp_url(const world *w) {
  return w->lp_px ? echo_proxy_url(w->lp_px) : w->lp.base_url;
}

static const char *psa_url(const world *w) {
  return w->psa_px ? echo_proxy_url(w->psa_px) : w->psa.base_url;
}

/* lpsa.conf for the world, mode 0600. `wrong` gives every secret another
 * value (still carrying the marker), as a mistyped credential would. */
static void write_config(world *w, int wrong, const char *extra_host) {
  char text[8192], v[512];
  size_t used = 0;
  w->n_env = 0;
  w->env[0] = NULL;
  env_add(w, NOW);
  used += (size_t)snprintf(
      text + used, sizeof text - used,
      "; written by test_secrets\n[host]\ndriver_path = %s\n"
      "state_dir = state\nmapping_file = mapping.csv\n"
      "metrics_file = out/lpsa.prom\nschedule = daily 02:00\n"
      "notify_on = always\nnotify_email = billing@msp.example\n"
      "smtp_url = %s\nsmtp_from = lpsa@msp.example\n"
      "notify_webhook = env:LPSA_T_HOOK\n"
      "%s[lastpass]\napi_url = %s/business\n",
      getenv("LPSA_DRIVER_DIR"), smtp_sink_url(w->smtp),
      extra_host ? extra_host : "", lp_url(w));
  char hook[300];
  snprintf(hook, sizeof hook, "LPSA_T_HOOK=%s/hooks/T0KEN-42", ts_url(w->hook));
  env_add(w, hook);
  secret_value(w, &lp_key, wrong ? "wrong-" MARK "-lp" : lp_key.value, v,
               sizeof v);
  used +=
      (size_t)snprintf(text + used, sizeof text - used, "api_key = %s\n", v);
  if (w->pc) {
    used += (size_t)snprintf(text + used, sizeof text - used, "[driver.%s]\n%s",
                             w->pc->driver, w->pc->fixed_keys);
    if (w->pc == &cw_case)
      used += (size_t)snprintf(text + used, sizeof text - used, "site = %s\n",
                               psa_url(w));
    else
      used +=
          (size_t)snprintf(text + used, sizeof text - used,
                           "zone_lookup_url = %s/atservicesrest\n", psa_url(w));
    for (const secret_def *s = w->pc->secrets; s->key; s++) {
      secret_value(w, s, wrong ? "wrong-" MARK "-psa" : s->value, v, sizeof v);
      used += (size_t)snprintf(text + used, sizeof text - used, "%s = %s\n",
                               s->key, v);
    }
  }
  ck_assert_uint_lt(used, sizeof text);
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", text), 0);
  char path[1024];
  snprintf(path, sizeof path, "%s/lpsa.conf", w->dir);
  ck_assert_int_eq(chmod(path, 0600), 0);
}

/* The webhook's receiver: 200 to every POST, each body kept. */
static int hook_handler(void *arg, const ts_request *req, ts_response *out) {
  (void)arg;
  (void)req;
  memset(out, 0, sizeof *out);
  out->status = 200;
  out->body = "ok";
  return 1;
}

static void world_start_with(world *w, const psa_case *pc, enum form form,
                             int hostile) {
  memset(w, 0, sizeof *w);
  w->hook = ts_start();
  ck_assert_ptr_nonnull(w->hook);
  ts_set_handler(w->hook, hook_handler, NULL);
  w->smtp = smtp_sink_start();
  ck_assert_ptr_nonnull(w->smtp);
  w->pc = pc;
  w->form = form;
  w->dir = test_tmpdir("secrets");
  ck_assert_ptr_nonnull(w->dir);
  char path[1024];
  snprintf(path, sizeof path, "%s/secrets", w->dir);
  ck_assert_int_eq(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/out", w->dir);
  ck_assert_int_eq(mkdir(path, 0700), 0);
  if (pc)
    ck_assert_int_eq(test_write_file(w->dir, "mapping.csv", pc->mapping), 0);
  patterns_for(pc, &w->pats);
  start_sims(w, lp_key.value);
  if (hostile) {
    w->lp_px = echo_proxy_start(w->lp.base_url);
    ck_assert_ptr_nonnull(w->lp_px);
    if (w->psa_up) {
      w->psa_px = echo_proxy_start(w->psa.base_url);
      ck_assert_ptr_nonnull(w->psa_px);
    }
  }
  write_config(w, 0, NULL);
}

static void world_start(world *w, const psa_case *pc, enum form form) {
  world_start_with(w, pc, form, 0);
}

/* What the webhook and the mail server received must be clean too;
 * returns how many of those texts hold `words` (NULL: how many there
 * are). */
static size_t check_notifications(world *w, const char *words) {
  size_t hits = 0;
  for (size_t i = 0; i < ts_request_count(w->hook); i++) {
    const ts_request *r = ts_request_at(w->hook, i);
    assert_clean(&w->pats, "a webhook POST", r->body, r->body_len);
    hits += !words || strstr(r->body, words) != NULL;
  }
  for (size_t i = 0; i < smtp_sink_count(w->smtp); i++) {
    smtp_message m;
    ck_assert_int_eq(smtp_sink_get(w->smtp, i, &m), 0);
    assert_clean(&w->pats, "an e-mail", m.data, strlen(m.data));
    hits += !words || strstr(m.data, words) != NULL;
    smtp_message_free(&m);
  }
  return hits;
}

static void world_stop(world *w) {
  check_notifications(w, NULL);
  echo_proxy_stop(w->psa_px);
  echo_proxy_stop(w->lp_px);
  if (w->psa_up)
    simproc_stop(&w->psa);
  simproc_stop(&w->lp);
  ts_stop(w->hook);
  smtp_sink_stop(w->smtp);
  test_rmtree(w->dir);
  free(w->dir);
}

/* Run lpsa-host -c lpsa.conf ARGS (NULL-terminated, at most 12) with the
 * world's environment plus `extra_env`; check its output; expect exit
 * `expect` unless it is negative. The caller frees *r when r is given. */
static int run_in(world *w, const char *const *wrapper,
                  const char *const *extra_env, int expect,
                  const char *const *args, hostrun *keep) {
  const char *argv[16] = {"-c", "lpsa.conf"};
  size_t n = 2;
  for (size_t i = 0; args[i]; i++) {
    ck_assert_uint_lt(n, 15);
    argv[n++] = args[i];
  }
  argv[n] = NULL;
  const char *env[24];
  size_t ne = 0;
  for (size_t i = 0; i < w->n_env; i++)
    env[ne++] = w->env[i];
  for (size_t i = 0; extra_env && extra_env[i]; i++)
    env[ne++] = extra_env[i];
  env[ne] = NULL;
  hostrun r;
  ck_assert_int_eq(wrapped_host_exec(wrapper, w->dir, argv, env, &r), 0);
  char what[512];
  size_t at = 0;
  for (size_t i = 2; i < n && at < sizeof what - 1; i++)
    at += (size_t)snprintf(what + at, sizeof what - at, " %s", argv[i]);
  char where[600];
  snprintf(where, sizeof where, "stdout of lpsa-host%s", what);
  assert_clean(&w->pats, where, r.out, strlen(r.out));
  snprintf(where, sizeof where, "stderr of lpsa-host%s", what);
  assert_clean(&w->pats, where, r.err, strlen(r.err));
  if (expect >= 0)
    ck_assert_msg(r.status == expect,
                  "lpsa-host%s (%s secrets): exit %d, expected %d\nstdout: "
                  "%.1500s\nstderr: %.1500s",
                  what, form_names[w->form], r.status, expect, r.out, r.err);
  w->runs++;
  int status = r.status;
  if (keep)
    *keep = r;
  else
    hostrun_free(&r);
  return status;
}

static int run(world *w, int expect, const char *const *args) {
  return run_in(w, NULL, NULL, expect, args, NULL);
}

/* The environment that sends syslog(3) to out/<file> (syslog_capture.c). */
typedef struct syslog_env {
  char capture[1100], preload[1100], asan[1100];
  const char *list[4];
} syslog_env;

static void syslog_env_init(const world *w, const char *file, syslog_env *e) {
  snprintf(e->capture, sizeof e->capture, "LPSA_SYSLOG_CAPTURE=%s/out/%s",
           w->dir, file);
  snprintf(e->preload, sizeof e->preload, "LD_PRELOAD=%s", LPSA_SYSLOG_SHIM);
  /* Under AddressSanitizer the preloaded module comes before the ASan
   * runtime; that is harmless here (it only replaces syslog). */
  const char *old = getenv("ASAN_OPTIONS");
  snprintf(e->asan, sizeof e->asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
           old ? old : "", old && *old ? ":" : "");
  e->list[0] = e->capture;
  e->list[1] = e->preload;
  e->list[2] = e->asan;
  e->list[3] = NULL;
}

/* The same with syslog(3) captured into out/syslog.txt. */
static int run_syslog(world *w, int expect, const char *const *args) {
  syslog_env e;
  syslog_env_init(w, "syslog.txt", &e);
  return run_in(w, NULL, e.list, expect, args, NULL);
}

/* How many times `words` occurs in dir/rel (0 when it does not exist). */
static int count_in(const world *w, const char *rel, const char *words) {
  char *text = test_read_file(w->dir, rel);
  int n = 0;
  for (const char *p = text; p && (p = strstr(p, words)) != NULL; p++)
    n++;
  free(text);
  return n;
}

/* Wait (polling, up to 60 s) until `words` occurs `n` times in rel. */
static void wait_for(const world *w, const char *rel, const char *words,
                     int n) {
  for (int i = 0; i < 1200 && count_in(w, rel, words) < n; i++)
    usleep(50000);
  ck_assert_msg(count_in(w, rel, words) >= n, "%s never said \"%s\" %d times",
                rel, words, n);
}

/* The daemon: a run at start, a reload (SIGHUP re-reads the config and
 * its secrets), a run on SIGUSR1, a stop on SIGTERM; logging to stderr
 * (host.err) or to syslog. */
static void daemon_cycle(world *w, int use_syslog) {
  const char *args[] = {"-c",        "lpsa.conf", "-vv", "--daemon",
                        "--run-now", NULL,        NULL};
  if (use_syslog)
    args[5] = "--syslog";
  syslog_env e;
  syslog_env_init(w, "daemon-syslog.txt", &e);
  const char *env[24];
  size_t n = 0;
  for (size_t i = 0; i < w->n_env; i++)
    env[n++] = w->env[i];
  for (size_t i = 0; use_syslog && e.list[i]; i++)
    env[n++] = e.list[i];
  env[n] = NULL;
  const char *log = use_syslog ? "out/daemon-syslog.txt" : "host.err";
  pid_t pid = hostrun_spawn(w->dir, args, env);
  ck_assert_int_gt(pid, 0);
  wait_for(w, log, "finished with exit code", 1);
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  wait_for(w, log, "finished with exit code", 2);
  ck_assert_int_eq(kill(pid, SIGTERM), 0);
  ck_assert_int_eq(hostrun_wait(pid), 0);
  /* The next spawn truncates host.out and host.err: check them now. */
  const char *files[] = {"host.out", "host.err", log};
  for (size_t i = 0; i < 3; i++) {
    char *text = test_read_file(w->dir, files[i]);
    ck_assert_msg(text != NULL, "%s is missing", files[i]);
    assert_clean(&w->pats, files[i], text, strlen(text));
    free(text);
  }
  w->runs++;
}

/* Every file under dir (except the config and the secrets it names) must
 * be clean; returns how many files were read. */
static size_t scan_tree(world *w, const char *dir, const char *rel) {
  DIR *d = opendir(dir);
  ck_assert_msg(d != NULL, "cannot open %s", dir);
  size_t files = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char path[2048], relpath[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    snprintf(relpath, sizeof relpath, "%s%s", rel, e->d_name);
    if (!strcmp(relpath, "lpsa.conf") || !strcmp(relpath, "secrets"))
      continue;
    struct stat st;
    ck_assert_int_eq(lstat(path, &st), 0);
    if (S_ISDIR(st.st_mode)) {
      char sub[1100];
      snprintf(sub, sizeof sub, "%s/", relpath);
      files += scan_tree(w, path, sub);
    } else if (S_ISREG(st.st_mode)) {
      FILE *f = fopen(path, "rb");
      ck_assert_ptr_nonnull(f);
      char *buf = malloc((size_t)st.st_size + 1);
      ck_assert_ptr_nonnull(buf);
      size_t got = fread(buf, 1, (size_t)st.st_size, f);
      fclose(f);
      assert_clean(&w->pats, relpath, buf, got);
      free(buf);
      files++;
    }
  }
  closedir(d);
  return files;
}

static int exists(const world *w, const char *rel) {
  char path[1100];
  snprintf(path, sizeof path, "%s/%s", w->dir, rel);
  struct stat st;
  return stat(path, &st) == 0 && st.st_size > 0;
}

static void expect_file(const world *w, const char *rel, const char *words) {
  char *text = test_read_file(w->dir, rel);
  ck_assert_msg(text != NULL, "%s was not written", rel);
  ck_assert_msg(strstr(text, words) != NULL, "%s lacks \"%s\"", rel, words);
  free(text);
}

/* --- every command, every form ------------------------------------------- */

static void every_command(world *w) {
  const char *dry[] = {"-vv", "--dry-run", "--report", "out/dry.json", NULL};
  run(w, 0, dry);
  const char *dry_json[] = {"-vv", "--json", "--dry-run", NULL};
  run(w, 0, dry_json);
  const char *apply[] = {"-vv", "--report", "out/apply.json", NULL};
  run(w, 0, apply);
  const char *again[] = {"-vv", "--json", "--report", "out/again.json", NULL};
  run(w, 0, again);
  const char *plan[] = {"-vv", "plan", NULL};
  run(w, 0, plan);
  const char *plan_out[] = {"-vv",   "--json",        "plan",
                            "--out", "out/plan.json", NULL};
  run(w, 0, plan_out);
  const char *sys_dry[] = {"-vv", "--syslog", "--dry-run", NULL};
  run_syslog(w, 0, sys_dry);
  const char *sys_apply[] = {"-vv", "--syslog", "--report", "out/sys.json",
                             NULL};
  run_syslog(w, 0, sys_apply);
  /* Commands whose exit status other tests own: only their output counts
   * here (they may also not exist yet in this build). */
  const char *const *const others[] = {
      (const char *const[]){"-vv", "check", NULL},
      (const char *const[]){"-vv", "--json", "check", NULL},
      (const char *const[]){"-vv", "drivers", NULL},
      (const char *const[]){"-vv", "--json", "drivers", NULL},
      (const char *const[]){"-vv", "history", NULL},
      (const char *const[]){"-vv", "--json", "history", NULL},
      (const char *const[]){"-vv", "history", "--run", "1", NULL},
      (const char *const[]){"-vv", "map", "suggest", "--output",
                            "out/suggest.csv", NULL},
      (const char *const[]){"-vv", "--json", "map", "suggest", NULL},
      (const char *const[]){"-vv", "--syslog", "check", NULL},
      (const char *const[]){"-vv", "--driver", "nosuch", "--dry-run", NULL},
      NULL};
  for (size_t i = 0; others[i]; i++)
    run(w, -1, others[i]);
  const char *sys_check[] = {"-vv", "--syslog", "check", NULL};
  run_syslog(w, -1, sys_check);
  daemon_cycle(w, 0);
  daemon_cycle(w, 1);

  /* What the runs must have left, so that the scan below is not empty. */
  expect_file(w, "out/dry.json", "lpsa.report/1");
  expect_file(w, "out/apply.json", "\"mode\":");
  expect_file(w, "out/sys.json", "lpsa.report/1");
  expect_file(w, "out/plan.json", "lpsa.plan/1");
  ck_assert_msg(exists(w, "state/journal.sqlite"), "no journal in state/");
  expect_file(w, "out/syslog.txt", "HTTP GET"); /* -vv reached syslog */
  if (!exists(w, "out/lpsa.prom"))
    fprintf(stderr, "test_secrets: note: metrics_file was not written by this "
                    "lpsa-host: the metrics file was not checked\n");
  size_t files = scan_tree(w, w->dir, "");
  ck_assert_uint_ge(files, 6);
  ck_assert_uint_ge(check_notifications(w, NULL), 2); /* mail and webhook */
}

/* Loop index: PSA (ConnectWise, Autotask) x form (env, file, literal). */
START_TEST(no_secret_in_any_output) {
  const psa_case *pc = _i / 3 == 0 ? &cw_case : &at_case;
  world w;
  world_start(&w, pc, (enum form)(_i % 3));
  every_command(&w);
  world_stop(&w);
}
END_TEST

/* Credentials the remote refuses end the run (exit 3) and still do not
 * show, nor do the error answers that quote the request. */
START_TEST(wrong_credentials_do_not_leak) {
  const psa_case *pc = _i == 0 ? &cw_case : &at_case;
  world w;
  world_start(&w, pc, FORM_ENV);
  write_config(&w, 1, NULL); /* LastPass refuses first */
  const char *dry[] = {"-vv", "--dry-run", "--report", "out/r1.json", NULL};
  run(&w, 3, dry);
  const char *check[] = {"-vv", "check", NULL};
  run(&w, -1, check);
  /* Right LastPass key, wrong PSA credentials: the driver is refused. */
  write_config(&w, 1, NULL);
  char kv[256];
  snprintf(kv, sizeof kv, "%s=%s", lp_key.env, lp_key.value);
  const char *right_lp[] = {kv, NULL};
  run_in(&w, NULL, right_lp, 3, dry, NULL);
  run_in(&w, NULL, right_lp, -1, check, NULL);
  ck_assert_uint_ge(scan_tree(&w, w.dir, ""), 2);
  world_stop(&w);
}
END_TEST

/* --- servers quoting the request back ------------------------------------ */

static const char *const echo_form_names[] = {"raw", "percent-encoded",
                                              "base64", "base64 of the line"};

/* The run's output held at least one redaction: the echo reached it. */
static void expect_redacted(const world *w, const char *rel) {
  char *text = test_read_file(w->dir, rel);
  ck_assert_msg(text != NULL, "%s was not written", rel);
  ck_assert_msg(strstr(text, "***") != NULL,
                "%s shows no redaction: the echo did not reach it", rel);
  free(text);
}

/* Loop index: PSA (ConnectWise, Autotask) x echo form (raw,
 * percent-encoded, base64 of each value, base64 of each line). A server in
 * front of each simulator answers 400 with the request's headers quoted
 * back (echo_proxy.h): first the PSA on every write (an apply whose every
 * change fails, then its history), then the PSA on everything (check, map
 * suggest, a dry run), then LastPass on everything. Every output of every
 * run is searched for every form of every credential: stdout, stderr,
 * syslog, the reports, the journal and every file of state_dir, the
 * metrics file, the suggestions, the webhook's POSTs and the e-mails. */
START_TEST(echoed_credentials_never_shown) {
  const psa_case *pc = _i / 4 == 0 ? &cw_case : &at_case;
  echo_form form = (echo_form)(_i % 4);
  fprintf(stderr, "test_secrets: %s, headers echoed %s\n", pc->driver,
          echo_form_names[form]);
  world w;
  world_start_with(&w, pc, FORM_ENV, 1);

  echo_proxy_set(w.psa_px, ECHO_WRITES, form);
  const char *apply[] = {"-vv", "--report", "out/echo-apply.json", NULL};
  run(&w, 1, apply);
  ck_assert_uint_ge(echo_proxy_echoed(w.psa_px), 1);
  expect_redacted(&w, "out/echo-apply.json");
  expect_file(&w, "out/echo-apply.json", "WRITE_FAILED");
  const char *sys_apply[] = {"-vv", "--syslog", "--json", NULL};
  run_syslog(&w, 1, sys_apply);
  expect_redacted(&w, "out/syslog.txt");
  hostrun h;
  const char *history_run[] = {"history", "--run", "1", NULL};
  run_in(&w, NULL, NULL, 0, history_run, &h);
  ck_assert_msg(strstr(h.out, "***") != NULL, "history shows: %s", h.out);
  hostrun_free(&h);
  const char *const *const histories[] = {
      (const char *const[]){"history", NULL},
      (const char *const[]){"--json", "history", "--run", "1", NULL},
      (const char *const[]){"--json", "history", "--run", "2", NULL}, NULL};
  for (size_t i = 0; histories[i]; i++)
    run(&w, 0, histories[i]);
  ck_assert_uint_ge(check_notifications(&w, "***"), 2);

  /* The discovery request carries no credential: let it through so that
   * the requests after it are the ones refused. */
  echo_proxy_set(w.psa_px, ECHO_ALL, form);
  echo_proxy_pass(w.psa_px, pc->discovery);
  const char *check[] = {"-vv", "check", NULL};
  run_in(&w, NULL, NULL, 1, check, &h);
  ck_assert_msg(strstr(h.out, "***") != NULL, "check shows: %s", h.out);
  hostrun_free(&h);
  const char *json_check[] = {"--json", "check", NULL};
  run(&w, 1, json_check);
  const char *suggest[] = {
      "-vv", "map", "suggest", "--output", "out/echo-suggest.csv", NULL};
  run_in(&w, NULL, NULL, 3, suggest, &h);
  ck_assert_msg(strstr(h.err, "***") != NULL, "map suggest says: %s", h.err);
  hostrun_free(&h);
  const char *dry[] = {"-vv", "--dry-run", "--report", "out/echo-dry.json",
                       NULL};
  run(&w, 3, dry);
  expect_redacted(&w, "out/echo-dry.json");

  echo_proxy_set(w.psa_px, ECHO_NONE, form);
  echo_proxy_set(w.lp_px, ECHO_ALL, form);
  const char *lp_apply[] = {"-vv", "--report", "out/echo-lp.json", NULL};
  run(&w, 3, lp_apply);
  ck_assert_uint_ge(echo_proxy_echoed(w.lp_px), 1);
  expect_redacted(&w, "out/echo-lp.json");
  run_in(&w, NULL, NULL, 1, check, &h);
  ck_assert_msg(strstr(h.out, "***") != NULL, "check shows: %s", h.out);
  hostrun_free(&h);
  run(&w, 3, suggest);
  const char *lp_sys[] = {"-vv", "--syslog", "--dry-run", NULL};
  run_syslog(&w, 3, lp_sys);

  ck_assert_uint_ge(scan_tree(&w, w.dir, ""), 6);
  world_stop(&w);
}
END_TEST

/* LastPass company `id` is renamed `name` (what a hostile or careless
 * LastPass admin can type). */
static void lp_rename(world *w, long long id, const char *name) {
  json_object *state = simproc_get_state(&w->lp);
  ck_assert_ptr_nonnull(state);
  json_object *list = NULL;
  ck_assert(json_object_object_get_ex(state, "companies", &list));
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i), *v = NULL;
    if (json_object_object_get_ex(c, "id", &v) &&
        json_object_get_int64(v) == id) {
      json_object_object_add(c, "name", json_object_new_string(name));
      found = 1;
    }
  }
  ck_assert(found);
  ck_assert_int_eq(simproc_put_state(&w->lp, json_object_to_json_string(state)),
                   0);
  json_object_put(state);
}

/* Loop index: PSA (ConnectWise, Autotask). A LastPass company named with a
 * credential, another with the base64 of one: the report hides them, and
 * so does every plan file (its default place and --out), and the apply of
 * that plan. */
START_TEST(plan_files_are_redacted) {
  const psa_case *pc = _i == 0 ? &cw_case : &at_case;
  world w;
  world_start(&w, pc, FORM_ENV);
  char name[800], b64[700];
  snprintf(name, sizeof name, "O'Brien %s", pc->secrets[1].value);
  lp_rename(&w, 201, name);
  base64(lp_key.value, b64, sizeof b64);
  snprintf(name, sizeof name, "Cafe %s", b64);
  lp_rename(&w, 202, name);
  const char *plan[] = {"plan", NULL};
  run(&w, 0, plan);
  const char *plan_out[] = {"plan", "--out", "out/plan.json", NULL};
  run(&w, 0, plan_out);
  expect_file(&w, "out/plan.json", "lpsa.plan/1");
  expect_file(&w, "out/plan.json", "O'Brien ***");
  const char *apply[] = {"--report", "out/plan-apply.json", "apply",
                         "out/plan.json", NULL};
  run(&w, 0, apply);
  expect_file(&w, "out/plan-apply.json", "O'Brien ***");
  ck_assert_uint_ge(scan_tree(&w, w.dir, ""), 4);
  world_stop(&w);
}
END_TEST

/* --- permissions --------------------------------------------------------- */

static void chmod_rel(const world *w, const char *rel, mode_t mode) {
  char path[1100];
  snprintf(path, sizeof path, "%s/%s", w->dir, rel);
  ck_assert_int_eq(chmod(path, mode), 0);
}

static void expect_refused(world *w, const char *words) {
  const char *dry[] = {"--dry-run", NULL};
  hostrun r;
  run_in(w, NULL, NULL, 2, dry, &r);
  ck_assert_msg(strstr(r.err, words) != NULL, "stderr lacks \"%s\": %s", words,
                r.err);
  hostrun_free(&r);
}

START_TEST(literal_secret_needs_private_config) {
  world w;
  world_start(&w, &cw_case, FORM_LITERAL);
  chmod_rel(&w, "lpsa.conf", 0644);
  expect_refused(&w, "chmod o-r");
  /* Group-readable, as installed for the service: the advice is the units'
   * environment file, not a chmod that would lock the service out. */
  chmod_rel(&w, "lpsa.conf", 0640);
  expect_refused(&w, "is readable by its group, which the service needs; "
                     "move the secret to the environment file the systemd "
                     "units load: add the line LPSA_");
  expect_refused(&w, "to /etc/lpsa/lpsa.env (root:lpsa, mode 640)");
  chmod_rel(&w, "lpsa.conf", 0600);
  const char *dry[] = {"--dry-run", NULL};
  run(&w, 0, dry);
  world_stop(&w);
}
END_TEST

/* env: secrets may sit in a config others can read; file: secrets may not
 * be readable by others themselves. */
START_TEST(env_and_file_secrets_permissions) {
  world w;
  world_start(&w, &cw_case, FORM_ENV);
  chmod_rel(&w, "lpsa.conf", 0644);
  const char *dry[] = {"--dry-run", NULL};
  run(&w, 0, dry);
  world_stop(&w);

  world_start(&w, &cw_case, FORM_FILE);
  chmod_rel(&w, "lpsa.conf", 0644);
  run(&w, 0, dry);
  char rel[256];
  snprintf(rel, sizeof rel, "secrets/%s.key", cw_secrets[1].env);
  chmod_rel(&w, rel, 0644);
  expect_refused(&w, "chmod");
  world_stop(&w);
}
END_TEST

/* A mistyped key holding a literal secret: lpsa-host cannot know it is a
 * secret, yet its messages must not repeat the value. */
START_TEST(mistyped_secret_key_not_echoed) {
  world w;
  world_start(&w, &cw_case, FORM_LITERAL);
  char *text = test_read_file(w.dir, "lpsa.conf");
  ck_assert_ptr_nonnull(text);
  char *at = strstr(text, "private_key =");
  ck_assert_ptr_nonnull(at);
  memcpy(at, "privat_key  =", 13);
  ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", text), 0);
  free(text);
  chmod_rel(&w, "lpsa.conf", 0600);
  expect_refused(&w, "privat_key");
  const char *check[] = {"-vv", "check", NULL};
  run(&w, -1, check);
  world_stop(&w);
}
END_TEST

/* --- control characters in a secret -------------------------------------- */

/* Run a dry run expected to be refused (exit 2) for `words`; the message
 * names the key and never the value (run_in checks the marker). */
static void expect_secret_refused(world *w, const char *const *extra_env,
                                  const char *words) {
  const char *dry[] = {"-vv", "--dry-run", NULL};
  hostrun r;
  run_in(w, NULL, extra_env, 2, dry, &r);
  ck_assert_msg(strstr(r.err, "api_key") && strstr(r.err, words),
                "stderr lacks api_key and \"%s\": %s", words, r.err);
  ck_assert_msg(!strstr(r.err, "Injected"), "the value was shown: %s", r.err);
  hostrun_free(&r);
}

static void write_key_file(world *w, const char *text) {
  char rel[256];
  snprintf(rel, sizeof rel, "secrets/%s.key", lp_key.env);
  ck_assert_int_eq(test_write_file(w->dir, rel, text), 0);
  chmod_rel(w, rel, 0600);
}

/* A line break in a credential would end its header and start another:
 * refused from the environment, a file (after its one line end) and a
 * literal, naming the key, never the value; nothing is sent. */
START_TEST(secrets_with_control_characters_refused) {
  world w;
  world_start(&w, &cw_case, FORM_ENV);
  char kv[512];
  snprintf(kv, sizeof kv, "%s=%s\r\nX-Injected: yes", lp_key.env, lp_key.value);
  const char *crlf[] = {kv, NULL};
  expect_secret_refused(&w, crlf, "carriage return");
  snprintf(kv, sizeof kv, "%s=%s\n", lp_key.env, lp_key.value);
  const char *lf[] = {kv, NULL};
  expect_secret_refused(&w, lf, "line feed");
  world_stop(&w);

  world_start(&w, &cw_case, FORM_FILE);
  char text[512];
  /* One line end, either kind, is the file's and is taken off: the key
   * sent is exactly the one LastPass knows (it answers). */
  snprintf(text, sizeof text, "%s\r\n", lp_key.value);
  write_key_file(&w, text);
  const char *dry[] = {"-vv", "--dry-run", NULL};
  run(&w, 0, dry);
  snprintf(text, sizeof text, "%s\n\n", lp_key.value);
  write_key_file(&w, text);
  expect_secret_refused(&w, NULL, "line feed at its end");
  snprintf(text, sizeof text, "%s\r\nX-Injected: yes\n", lp_key.value);
  write_key_file(&w, text);
  expect_secret_refused(&w, NULL, "carriage return");
  world_stop(&w);

  world_start(&w, &cw_case, FORM_LITERAL);
  char *conf = test_read_file(w.dir, "lpsa.conf");
  ck_assert_ptr_nonnull(conf);
  char *at = strstr(conf, lp_key.value);
  ck_assert_ptr_nonnull(at);
  at[4] = '\t'; /* "lpke\t-S3cr3t..." */
  ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", conf), 0);
  free(conf);
  chmod_rel(&w, "lpsa.conf", 0600);
  expect_secret_refused(&w, NULL, "a tab");
  world_stop(&w);
}
END_TEST

/* --- http:// beyond loopback --------------------------------------------- */

/* A network namespace with nothing but a down loopback: if the refusal
 * ever broke, lpsa-host still could not reach another machine. */
static int have_private_netns(void) {
  return wrapped_host_have("unshare") &&
         system("unshare -n true >/dev/null 2>&1") == 0;
}

static void expect_http_refused(world *w, const char *words) {
  static const char *const netns[] = {"unshare", "-n", NULL};
  const char *dry[] = {"--dry-run", NULL};
  hostrun r;
  run_in(w, netns, NULL, 2, dry, &r);
  ck_assert_msg(strstr(r.err, words) != NULL, "stderr lacks \"%s\": %s", words,
                r.err);
  hostrun_free(&r);
}

START_TEST(http_refused_beyond_loopback) {
  if (!have_private_netns()) {
    fprintf(stderr, "test_secrets: http_refused_beyond_loopback NOT RUN: "
                    "`unshare -n` is not permitted here (needs root)\n");
    return;
  }
  static const char *const hosts[] = {
      "http://10.11.12.13",           /* private range */
      "http://127.0.0.1.nip.io",      /* looks loopback, is not */
      "http://127.0.0.1@10.11.12.13", /* user info hiding the host */
      "HTTP://10.11.12.13",           /* scheme case */
      NULL};
  world w;
  world_start(&w, &cw_case, FORM_ENV);
  for (size_t i = 0; hosts[i]; i++) {
    /* LastPass side. */
    char *text = test_read_file(w.dir, "lpsa.conf");
    ck_assert_ptr_nonnull(text);
    char *url = strstr(text, w.lp.base_url);
    ck_assert_ptr_nonnull(url);
    char conf[8192];
    snprintf(conf, sizeof conf, "%.*s%s%s", (int)(url - text), text, hosts[i],
             url + strlen(w.lp.base_url));
    ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", conf), 0);
    expect_http_refused(&w, "api_url");
    /* PSA side (a driver URL key). */
    char *site = strstr(text, w.psa.base_url);
    ck_assert_ptr_nonnull(site);
    snprintf(conf, sizeof conf, "%.*s%s%s", (int)(site - text), text, hosts[i],
             site + strlen(w.psa.base_url));
    ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", conf), 0);
    expect_http_refused(&w, "site");
    ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", text), 0);
    free(text);
  }
  world_stop(&w);
}
END_TEST

/* --- TLS ------------------------------------------------------------------ */

static const char tls_companies[] =
    "{\"items\":[{\"id\":101,\"name\":\"Acme\",\"status\":\"active\","
    "\"type\":\"managed\",\"addons\":[]}],\"nextPageToken\":null}";
static const char tls_cycles[] =
    "[{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}]";
static const char tls_billing[] =
    "{\"items\":[{\"companyId\":101,\"companyName\":\"Acme\",\"licenseType\":"
    "\"msp-managed-company\",\"activeUsers\":14}],\"nextPageToken\":null}";
static const char tls_psa[] =
    "{\"companies\":[{\"id\":\"c1\",\"name\":\"Acme\",\"active\":true}],"
    "\"agreements\":[{\"id\":\"a1\",\"company_id\":\"c1\",\"name\":\"Managed\","
    "\"type\":\"Managed\",\"active\":true}],\"products\":[{\"id\":\"p1\","
    "\"code\":\"LP-BUS\",\"name\":\"LastPass Business\"}],\"lines\":[{\"id\":"
    "\"l1\",\"agreement_id\":\"a1\",\"product_id\":\"p1\",\"quantity\":14}]}";

/* A LastPass that answers the three reads a sync makes. */
static int lastpass_handler(void *arg, const ts_request *req,
                            ts_response *out) {
  (void)arg;
  const char *body = strstr(req->target, "billing-cycles")      ? tls_cycles
                     : strstr(req->target, "billing-reports")   ? tls_billing
                     : strstr(req->target, "managed-companies") ? tls_companies
                                                                : NULL;
  if (!body)
    return 0;
  memset(out, 0, sizeof *out);
  out->status = 200;
  out->headers = "Content-Type: application/json";
  out->body = body;
  return 1;
}

static int make_cert(const char *dir, const char *name) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
           "-nodes -days 2 -subj /CN=127.0.0.1 "
           "-addext subjectAltName=IP:127.0.0.1 -keyout %s/%s.key "
           "-out %s/%s.pem >/dev/null 2>&1",
           dir, name, dir, name);
  return system(cmd);
}

static void write_tls_config(world *w, const char *url, const char *ca) {
  char text[4096], host_extra[1100] = "";
  if (ca)
    snprintf(host_extra, sizeof host_extra, "ca_file = %s\n", ca);
  snprintf(text, sizeof text,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\nhttp_timeout = 10\n%s"
           "[lastpass]\napi_url = %s/business\napi_key = env:%s\n"
           "[driver.jsonpsa]\nfile = psa.json\nsku.lastpass = LP-BUS\n",
           getenv("LPSA_DRIVER_DIR"), host_extra, url, lp_key.env);
  ck_assert_int_eq(test_write_file(w->dir, "lpsa.conf", text), 0);
  chmod_rel(w, "lpsa.conf", 0600);
}

START_TEST(tls_self_signed_needs_ca_file) {
  world w;
  memset(&w, 0, sizeof w);
  w.dir = test_tmpdir("secrets-tls");
  ck_assert_ptr_nonnull(w.dir);
  patterns_for(NULL, &w.pats);
  ck_assert_msg(make_cert(w.dir, "server") == 0 &&
                    make_cert(w.dir, "other") == 0,
                "openssl could not make a certificate (tests/setup.sh "
                "installs openssl)");
  char *cert = test_read_file(w.dir, "server.pem");
  char *key = test_read_file(w.dir, "server.key");
  ck_assert(cert && key);
  test_server *tls = ts_start_tls(cert, key);
  ck_assert_ptr_nonnull(tls);
  ts_set_handler(tls, lastpass_handler, NULL);
  ck_assert_int_eq(test_write_file(w.dir, "psa.json", tls_psa), 0);
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "101,c1\n"),
                   0);
  char kv[256];
  snprintf(kv, sizeof kv, "%s=%s", lp_key.env, lp_key.value);
  env_add(&w, NOW);
  env_add(&w, kv);
  const char *dry[] = {"-vv", "--dry-run", NULL};

  /* Default trust store: the self-signed certificate is refused before
   * any request (so before the API key) is sent. */
  write_tls_config(&w, ts_url(tls), NULL);
  hostrun r;
  run_in(&w, NULL, NULL, 3, dry, &r);
  ck_assert_msg(strstr(r.err, "certificate") || strstr(r.err, "SSL") ||
                    strstr(r.err, "TLS"),
                "no TLS reason in: %s", r.err);
  hostrun_free(&r);
  ck_assert_uint_eq(ts_request_count(tls), 0);

  /* Another CA: still refused. */
  char ca[1100];
  snprintf(ca, sizeof ca, "%s/other.pem", w.dir);
  write_tls_config(&w, ts_url(tls), ca);
  run(&w, 3, dry);
  ck_assert_uint_eq(ts_request_count(tls), 0);

  /* The server's own certificate as ca_file: the sync runs. */
  snprintf(ca, sizeof ca, "%s/server.pem", w.dir);
  write_tls_config(&w, ts_url(tls), ca);
  run(&w, 0, dry);
  ck_assert_uint_ge(ts_request_count(tls), 3);
  const char *auth = ts_request_header(ts_request_at(tls, 0), "Authorization");
  ck_assert_ptr_nonnull(auth);
  ck_assert_ptr_nonnull(strstr(auth, lp_key.value));

  ts_stop(tls);
  free(cert);
  free(key);
  test_rmtree(w.dir);
  free(w.dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("secrets");
  TCase *tc = tcase_create("secrets");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, no_secret_in_any_output, 0, 6);
  tcase_add_loop_test(tc, wrong_credentials_do_not_leak, 0, 2);
  tcase_add_loop_test(tc, echoed_credentials_never_shown, 0, 8);
  tcase_add_loop_test(tc, plan_files_are_redacted, 0, 2);
  tcase_add_test(tc, literal_secret_needs_private_config);
  tcase_add_test(tc, env_and_file_secrets_permissions);
  tcase_add_test(tc, mistyped_secret_key_not_echoed);
  tcase_add_test(tc, secrets_with_control_characters_refused);
  tcase_add_test(tc, http_refused_beyond_loopback);
  tcase_add_test(tc, tls_self_signed_needs_ca_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
