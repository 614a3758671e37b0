/* SPDX-License-Identifier: MIT */
/*
 * conf_level0.c — level 0: what can be checked without the network. The
 * descriptor (read raw, so each field gets its own verdict even when the
 * loader refuses the whole), the exported symbols, loading through the
 * host's loader, open/close cycles, refusals of incomplete configurations,
 * bad arguments, and silence on stdout/stderr.
 */
#include <check.h>
#include <ctype.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_elf.h"
#include "conf_session.h"
#include "conf_tests.h"
#include "loader.h"

/* The ABI promises err holds at least LPSA_ERRLEN bytes; the suite gives
 * exactly that, followed by a guard band it checks for overruns. */
#define ERRLEN LPSA_ERRLEN
#define GUARD 0x5A

typedef struct errbuf {
  char text[ERRLEN * 2];
} errbuf;

static void err_reset(errbuf *e) {
  memset(e->text, 0, ERRLEN);
  memset(e->text + ERRLEN, GUARD, ERRLEN);
}

/* A refusal must come with a one-line message within errlen. */
static void err_expect_message(const errbuf *e, const char *call) {
  for (size_t i = ERRLEN; i < sizeof e->text; i++)
    ck_assert_msg((unsigned char)e->text[i] == GUARD,
                  "%s wrote past the end of err (errlen is %d)", call, ERRLEN);
  ck_assert_msg(memchr(e->text, '\0', ERRLEN) != NULL,
                "%s left err without a terminating NUL", call);
  ck_assert_msg(e->text[0] != '\0',
                "%s failed without a message in err: say what is wrong and "
                "what to do",
                call);
}

/* ---- the descriptor, read without the loader's verdict ----------------- */

typedef struct raw_driver {
  void *handle;
  const lpsa_driver *desc;
} raw_driver;

static void raw_load(const conf_run *run, raw_driver *r) {
  r->handle = dlopen(run->driver_path, RTLD_NOW | RTLD_LOCAL);
  ck_assert_msg(r->handle != NULL, "cannot load %s: %s", run->driver_path,
                dlerror());
  void *sym = dlsym(r->handle, LPSA_DRIVER_ENTRY);
  ck_assert_msg(sym != NULL,
                "%s does not export %s(); declare it with "
                "LPSA_EXPORT",
                run->driver_path, LPSA_DRIVER_ENTRY);
  lpsa_driver_entry_fn entry;
  memcpy(&entry, &sym, sizeof entry);
  r->desc = entry();
  ck_assert_msg(r->desc != NULL, "%s() returned NULL", LPSA_DRIVER_ENTRY);
}

static void raw_unload(raw_driver *r) {
  dlclose(r->handle);
  memset(r, 0, sizeof *r);
}

static int empty(const char *s) {
  return !s || !*s;
}

static int one_line(const char *s) {
  for (; s && *s; s++)
    if ((unsigned char)*s < 0x20)
      return 0;
  return 1;
}

/* Release numbers a package manager can order: a digit first, then digits,
 * letters and . + ~ - (Debian's version alphabet). */
static int version_like(const char *v) {
  if (empty(v) || !isdigit((unsigned char)v[0]))
    return 0;
  for (; *v; v++)
    if (!isalnum((unsigned char)*v) && !strchr(".+~-", *v))
      return 0;
  return 1;
}

static void test_load(const conf_run *run) {
  conf_session s;
  conf_session_load(&s, run);
  conf_session_end(&s, 0, NULL);
}

static void test_exports(const conf_run *run) {
  char extra[1024];
  int has_entry = 0;
  long n =
      conf_elf_extra_exports(run->driver_path, &has_entry, extra, sizeof extra);
  ck_assert_msg(n >= 0, "%s", extra);
  ck_assert_msg(has_entry, "%s does not export %s", run->driver_path,
                LPSA_DRIVER_ENTRY);
  ck_assert_msg(n == 0,
                "the driver exports %ld symbol(s) besides %s: %s; build with "
                "hidden visibility (C_VISIBILITY_PRESET hidden, or "
                "-fvisibility=hidden) and, for static libraries linked in, "
                "-Wl,--exclude-libs,ALL",
                n, LPSA_DRIVER_ENTRY, extra);
}

static void test_descriptor_abi(const conf_run *run) {
  raw_driver r;
  raw_load(run, &r);
  const lpsa_driver *d = r.desc;
  ck_assert_msg(d->magic == LPSA_DRIVER_MAGIC,
                "magic is 0x%08X, not LPSA_DRIVER_MAGIC (0x%08X)",
                (unsigned)d->magic, LPSA_DRIVER_MAGIC);
  ck_assert_msg(d->abi_major == LPSA_ABI_MAJOR,
                "abi_major is %u; this host speaks ABI %d.%d: set "
                "LPSA_ABI_MAJOR from the SDK headers",
                (unsigned)d->abi_major, LPSA_ABI_MAJOR, LPSA_ABI_MINOR);
  ck_assert_msg(d->abi_minor <= LPSA_ABI_MINOR,
                "abi_minor is %u, newer than this host's %d.%d",
                (unsigned)d->abi_minor, LPSA_ABI_MAJOR, LPSA_ABI_MINOR);
  size_t want = driver_struct_size_for_minor(d->abi_minor);
  ck_assert_msg(d->struct_size == want,
                "struct_size is %u; ABI %u.%u descriptors are %zu bytes: set "
                "it to sizeof(lpsa_driver)",
                (unsigned)d->struct_size, (unsigned)d->abi_major,
                (unsigned)d->abi_minor, want);
  raw_unload(&r);
}

static void check_terms(const lpsa_terms *t) {
  ck_assert_msg(t != NULL, "terms is NULL: give the PSA's own words");
  const char *f[] = {t->psa, t->company, t->agreement, t->line, t->product};
  const char *names[] = {"psa", "company", "agreement", "line", "product"};
  for (size_t i = 0; i < 5; i++)
    ck_assert_msg(!empty(f[i]) && one_line(f[i]), "terms.%s is %s", names[i],
                  empty(f[i]) ? "empty" : "not one line");
}

static void test_descriptor_text(const conf_run *run) {
  raw_driver r;
  raw_load(run, &r);
  const lpsa_driver *d = r.desc;
  ck_assert_msg(!empty(d->name), "name is empty");
  ck_assert_msg(strcmp(d->name, run->expected_name) == 0,
                "name is \"%s\" but the file is %s.so: they must be equal "
                "(lower case: a-z 0-9 _ -)",
                d->name, run->expected_name);
  for (const char *c = d->name; *c; c++)
    ck_assert_msg(islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
                      *c == '_' || *c == '-',
                  "name \"%s\" holds '%c': use a-z 0-9 _ -", d->name, *c);
  ck_assert_msg(version_like(d->version),
                "version \"%s\" is not a release number like 1.2.3",
                d->version ? d->version : "(null)");
  ck_assert_msg(!empty(d->description) && one_line(d->description) &&
                    strlen(d->description) <= LOADER_MAX_DESCRIPTION,
                "description must be one line of 1 to %d characters",
                LOADER_MAX_DESCRIPTION);
  check_terms(d->terms);
  raw_unload(&r);
}

static int valid_key(const char *k) {
  if (empty(k))
    return 0;
  for (; *k; k++)
    if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) &&
        *k != '_' && *k != '.' && *k != '-')
      return 0;
  return 1;
}

static void test_config_keys(const conf_run *run) {
  raw_driver r;
  raw_load(run, &r);
  const lpsa_config_key *k = r.desc->config_keys;
  ck_assert_msg(k != NULL, "config_keys is NULL: give an array ending in "
                           "{NULL}, even an empty one");
  const unsigned known = LPSA_KEY_REQUIRED | LPSA_KEY_SECRET | LPSA_KEY_URL;
  for (size_t i = 0; k[i].name; i++) {
    ck_assert_msg(valid_key(k[i].name), "config key \"%s\" must be lower case",
                  k[i].name);
    ck_assert_msg(
        strcmp(k[i].name, "module") != 0 && strncmp(k[i].name, "sku.", 4) != 0,
        "config key \"%s\" belongs to the host: remove it", k[i].name);
    ck_assert_msg((k[i].flags & ~known) == 0,
                  "config key \"%s\" has unknown flags 0x%x", k[i].name,
                  k[i].flags & ~known);
    ck_assert_msg(!empty(k[i].help) && one_line(k[i].help),
                  "config key \"%s\" needs a one-line help text", k[i].name);
    for (size_t j = 0; j < i; j++)
      ck_assert_msg(strcmp(k[i].name, k[j].name) != 0,
                    "config key \"%s\" is listed twice", k[i].name);
  }
  raw_unload(&r);
}

/* Header names compare without case (RFC 9110), so do duplicates. */
static int same_header(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  return *a == *b;
}

static int header_token(const char *s) {
  if (empty(s))
    return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
      return 0;
  return 1;
}

/* 1.1: the driver's credential headers, each a header name, at most
 * LPSA_MAX_SENSITIVE_HEADERS of them, none twice. */
static void test_sensitive_headers(const conf_run *run) {
  raw_driver r;
  raw_load(run, &r);
  const lpsa_driver *d = r.desc;
  if (d->abi_minor < 1 || !LPSA_DRIVER_HAS(d, sensitive_headers)) {
    raw_unload(&r);
    conf_not_run(run, "a 1.0 descriptor has no sensitive_headers");
  }
  const char *const *h = d->sensitive_headers;
  for (size_t i = 0; h && h[i]; i++) {
    ck_assert_msg(i < LPSA_MAX_SENSITIVE_HEADERS,
                  "sensitive_headers lists more than %d names: end it with "
                  "NULL",
                  LPSA_MAX_SENSITIVE_HEADERS);
    ck_assert_msg(strlen(h[i]) <= LPSA_MAX_HEADER_NAME,
                  "sensitive header \"%.40s...\" is longer than %d "
                  "characters",
                  h[i], LPSA_MAX_HEADER_NAME);
    ck_assert_msg(header_token(h[i]),
                  "sensitive header \"%s\" is not an HTTP header name: "
                  "letters, digits and !#$%%&'*+-.^_`|~, no colon or space",
                  h[i]);
    for (size_t j = 0; j < i; j++)
      ck_assert_msg(!same_header(h[i], h[j]),
                    "sensitive header \"%s\" is listed twice", h[i]);
  }
  raw_unload(&r);
}

static void test_operations(const conf_run *run) {
  raw_driver r;
  raw_load(run, &r);
  const lpsa_driver *d = r.desc;
  ck_assert_msg(d->open && d->close && d->snapshot && d->set_quantity,
                "a required operation is NULL:%s%s%s%s", d->open ? "" : " open",
                d->close ? "" : " close", d->snapshot ? "" : " snapshot",
                d->set_quantity ? "" : " set_quantity");
  raw_unload(&r);
}

/* ---- open and close ----------------------------------------------------- */

static void test_open_close_cycle(const conf_run *run) {
  conf_session s;
  conf_session_host(&s, run);
  for (int i = 0; i < 10; i++) {
    char err[1024] = "";
    int rc = loader_load_file(run->driver_path, run->expected_name, &s.drv, err,
                              sizeof err);
    ck_assert_msg(rc == LPSA_OK, "load #%d: %s", i + 1, err);
    char cerr[8192] = "";
    rc = config_driver_resolve(&run->cfg, run->section, s.drv.desc->name,
                               s.drv.desc->config_keys, &s.dcfg, cerr,
                               sizeof cerr);
    ck_assert_msg(rc == 0, "%s", cerr);
    rc = host_open_driver(&s.host, s.drv.desc, s.dcfg.values, s.dcfg.n_values,
                          &s.ctx, err, sizeof err);
    ck_assert_msg(rc == LPSA_OK && s.ctx, "open #%d failed: %s", i + 1, err);
    s.drv.desc->close(s.ctx);
    s.ctx = NULL;
    driver_config_free(&s.dcfg);
    loader_unload(&s.drv);
  }
  conf_session_end(&s, 0, NULL);
}

static size_t required_keys(const lpsa_driver *d) {
  size_t n = 0;
  for (const lpsa_config_key *k = d->config_keys; k && k->name; k++)
    n += (k->flags & LPSA_KEY_REQUIRED) != 0;
  return n;
}

/* open() that must fail: a message, and *out untouched. */
static void expect_open_refused(conf_session *s, const lpsa_host_api *api,
                                const lpsa_config_value *cfg, size_t n,
                                const char *what) {
  static const int sentinel_target = 0;
  lpsa_driver_ctx *const sentinel = (lpsa_driver_ctx *)&sentinel_target;
  lpsa_driver_ctx *out = sentinel;
  errbuf e;
  err_reset(&e);
  char call[300];
  snprintf(call, sizeof call, "open() %s", what);
  int rc = s->drv.desc->open(api, &s->host, cfg, n, &out, e.text, ERRLEN);
  if (rc == LPSA_OK && out != sentinel)
    s->drv.desc->close(out);
  ck_assert_msg(rc != LPSA_OK, "%s succeeded; it must fail", call);
  ck_assert_msg(out == sentinel,
                "%s failed but changed *out; leave it "
                "untouched on failure",
                call);
  err_expect_message(&e, call);
}

/* What the host says of the configured section without the values of the
 * key `drop` (NULL: without any value). 1 when it refuses it, err saying
 * why; a driver is never opened with a section the host refuses. */
static int host_refuses_without(const conf_run *run, const lpsa_driver *d,
                                const char *drop, char *err, size_t errlen) {
  config_driver_section sec = *run->section;
  config_value *kept = calloc(sec.n_values + 1, sizeof *kept);
  ck_assert_msg(kept != NULL, "out of memory");
  size_t n = 0;
  for (size_t i = 0; drop && i < sec.n_values; i++)
    if (strcasecmp(sec.values[i].key, drop) != 0)
      kept[n++] = sec.values[i];
  sec.values = kept;
  sec.n_values = n;
  driver_config dc;
  int rc = config_driver_resolve(&run->cfg, &sec, d->name, d->config_keys, &dc,
                                 err, errlen);
  if (rc == 0)
    driver_config_free(&dc);
  free(kept);
  return rc != 0;
}

/* open() sees only sections the host accepted: with no required key, an
 * empty one, which must open; with required keys, the host refuses the
 * empty section naming each of them, so the driver need not check. */
static void test_open_empty_config(const conf_run *run) {
  conf_session s;
  conf_session_load(&s, run);
  const lpsa_driver *d = s.drv.desc;
  if (required_keys(d) == 0) {
    lpsa_driver_ctx *ctx = NULL;
    char err[1024] = "";
    int rc = d->open(host_api(), &s.host, NULL, 0, &ctx, err, sizeof err);
    ck_assert_msg(rc == LPSA_OK && ctx,
                  "open() with an empty section failed (%s), but the driver "
                  "declares no required key: mark the keys it needs "
                  "LPSA_KEY_REQUIRED",
                  err);
    d->close(ctx);
  } else {
    char err[8192] = "";
    ck_assert_msg(host_refuses_without(run, d, NULL, err, sizeof err),
                  "the host accepts an empty [driver.%s] section although "
                  "the driver declares required keys",
                  run->section->name);
    for (const lpsa_config_key *k = d->config_keys; k->name; k++)
      ck_assert_msg(!(k->flags & LPSA_KEY_REQUIRED) || strstr(err, k->name),
                    "the host's refusal of an empty section does not name "
                    "the required key \"%s\": %s",
                    k->name, err);
  }
  conf_session_end(&s, 0, NULL);
}

static void test_open_missing_key(const conf_run *run) {
  conf_session s;
  conf_session_load(&s, run);
  const lpsa_driver *d = s.drv.desc;
  if (required_keys(d) == 0) {
    conf_session_end(&s, 0, NULL);
    conf_not_run(run, "the driver declares no required key");
  }
  for (const lpsa_config_key *k = d->config_keys; k->name; k++) {
    if (!(k->flags & LPSA_KEY_REQUIRED))
      continue;
    char err[8192] = "";
    ck_assert_msg(host_refuses_without(run, d, k->name, err, sizeof err),
                  "the host accepts the section without the required key "
                  "\"%s\"",
                  k->name);
    ck_assert_msg(strstr(err, k->name) != NULL,
                  "the host's refusal of the section without \"%s\" does "
                  "not name it: %s",
                  k->name, err);
  }
  conf_session_end(&s, 0, NULL);
}

/* A host table of another ABI major (a future lpsa-host): open() must
 * refuse it, with a message, leaving *out untouched. Every driver checks
 * the table it is given before using it. */
static void test_open_other_major(const conf_run *run) {
  conf_session s;
  conf_session_load(&s, run);
  lpsa_host_api other = *host_api();
  other.abi_major = LPSA_ABI_MAJOR + 1;
  char what[64];
  snprintf(what, sizeof what, "with a host table of driver ABI %d.0",
           LPSA_ABI_MAJOR + 1);
  expect_open_refused(&s, &other, s.dcfg.values, s.dcfg.n_values, what);
  conf_session_end(&s, 0, NULL);
}

static void test_close_null(const conf_run *run) {
  conf_session s;
  conf_session_load(&s, run);
  s.drv.desc->close(NULL);
  conf_session_end(&s, 0, NULL);
}

/* ---- bad arguments ------------------------------------------------------ */

static void test_snapshot_null_request(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_snapshot *snap = snapshot_new(NULL);
  ck_assert_msg(snap != NULL, "out of memory");
  errbuf e;
  err_reset(&e);
  int rc = s.drv.desc->snapshot(s.ctx, NULL, snap, e.text, ERRLEN);
  snapshot_free(snap);
  ck_assert_msg(rc != LPSA_OK, "snapshot() with a NULL request succeeded; "
                               "return LPSA_ERR_INVALID");
  err_expect_message(&e, "snapshot() with a NULL request");
  conf_session_end(&s, 0, NULL);
}

static void expect_set_refused(conf_session *s, const lpsa_line_ref *ref,
                               long long target, const char *what) {
  lpsa_set_result res = LPSA_INIT(lpsa_set_result);
  errbuf e;
  err_reset(&e);
  int rc = s->drv.desc->set_quantity(s->ctx, ref, target, &res, e.text, ERRLEN);
  char call[200];
  snprintf(call, sizeof call, "set_quantity() %s", what);
  ck_assert_msg(rc != LPSA_OK, "%s succeeded; return LPSA_ERR_INVALID", call);
  ck_assert_msg(res.wrote == 0, "%s failed but says it wrote", call);
  err_expect_message(&e, call);
}

static void test_set_null_line(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  expect_set_refused(&s, NULL, 1, "with a NULL line");
  conf_session_end(&s, 0, NULL);
}

static void test_set_line_without_ids(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_line_ref ref = LPSA_INIT(lpsa_line_ref);
  ref.as_of = run->as_of;
  expect_set_refused(&s, &ref, 1, "with a line whose ids are NULL");
  conf_session_end(&s, 0, NULL);
}

static void test_set_negative_target(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_line_ref ref = LPSA_INIT(lpsa_line_ref);
  ref.company_id = run->n_company_ids ? run->company_ids[0] : "1";
  ref.agreement_id = "1";
  ref.line_id = "1";
  ref.product_id = "1";
  ref.as_of = run->as_of;
  expect_set_refused(&s, &ref, -1, "to a negative quantity (-1)");
  conf_session_end(&s, 0, NULL);
}

/* ---- silence ------------------------------------------------------------ */

static void test_quiet(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_driver_ctx *ctx = NULL;
  char err[1024];
  lpsa_host_api other = *host_api();
  other.abi_major = LPSA_ABI_MAJOR + 1;
  if (s.drv.desc->open(&other, &s.host, s.dcfg.values, s.dcfg.n_values, &ctx,
                       err, sizeof err) == LPSA_OK &&
      ctx)
    s.drv.desc->close(ctx);
  s.drv.desc->close(NULL);
  conf_session_end(&s, 1,
                   "while loading, opening (and refusing a host of another "
                   "ABI) and closing");
}

static const conf_test tests[] = {
    {"level0.load", 0,
     "loads through the host's loader: file checks, dlopen, entry symbol, "
     "descriptor, and the [driver.NAME] section accepted",
     test_load},
    {"level0.exports", 0,
     "exports lpsa_driver_entry and no other symbol (hidden visibility)",
     test_exports},
    {"level0.descriptor_abi", 0,
     "magic, abi_major = the host's, abi_minor <= the host's, struct_size = "
     "that minor's descriptor size",
     test_descriptor_abi},
    {"level0.descriptor_text", 0,
     "name = the file's name in a-z 0-9 _ -, version like 1.2.3, a one-line "
     "description, every term set",
     test_descriptor_text},
    {"level0.config_keys", 0,
     "config keys lower case, unique, not module or sku.*, known flags, a "
     "help line each",
     test_config_keys},
    {"level0.sensitive_headers", 0,
     "ABI 1.1: each sensitive header name an HTTP header name of at most 64 "
     "characters, at most 32 of them, none twice (not run for 1.0)",
     test_sensitive_headers},
    {"level0.operations", 0,
     "open, close, snapshot and set_quantity are set (check is optional)",
     test_operations},
    {"level0.open_close_cycle", 0,
     "load, open, close and unload 10 times in one process",
     test_open_close_cycle},
    {"level0.open_empty_config", 0,
     "with no key required, open with an empty section succeeds; else the "
     "host refuses that section naming each required key (open never sees "
     "it)",
     test_open_empty_config},
    {"level0.open_missing_key", 0,
     "the host refuses the section without each required key, naming it, "
     "so open never sees a section without one",
     test_open_missing_key},
    {"level0.open_other_major", 0,
     "open with a host table of another ABI major fails with a message and "
     "leaves *out untouched",
     test_open_other_major},
    {"level0.close_null", 0, "close(NULL) is a no-op", test_close_null},
    {"level0.snapshot_null_request", 0,
     "snapshot with a NULL request fails with a message, no crash",
     test_snapshot_null_request},
    {"level0.set_null_line", 0,
     "set_quantity with a NULL line fails with a message, no crash",
     test_set_null_line},
    {"level0.set_line_without_ids", 0,
     "set_quantity with a line whose ids are NULL fails with a message",
     test_set_line_without_ids},
    {"level0.set_negative_target", 0,
     "set_quantity to a negative quantity fails with a message and writes "
     "nothing",
     test_set_negative_target},
    {"level0.quiet", 0,
     "nothing on stdout or stderr while loading, opening, refusing and "
     "closing",
     test_quiet},
};

const conf_test *conf_level0_tests(size_t *n) {
  *n = sizeof tests / sizeof tests[0];
  return tests;
}
