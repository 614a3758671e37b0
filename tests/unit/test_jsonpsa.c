/* SPDX-License-Identifier: MIT */
/*
 * test_jsonpsa.c — the JSON-file driver (sdk/template), loaded with the real
 * loader from $LPSA_DRIVER_DIR and driven through the real host table, the
 * way the sync uses it: snapshot filtering, set_quantity's re-read, no-op,
 * conflict and refusal paths, the atomic write and its counter, and check().
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_api.h"
#include "loader.h"
#include "log.h"
#include "snapshot.h"

#define assert_has(text, needle)                                               \
  ck_assert_msg(strstr((text), (needle)) != NULL, "expected \"%s\" in: %s",    \
                (needle), (text))

/* The PSA every test starts from. Requested companies are c1, c2 and c9. */
static const char *const psa_json =
    "{\"companies\":["
    " {\"id\":\"c1\",\"name\":\"Acme\",\"active\":true},"
    " {\"id\":\"c2\",\"name\":\"Beta\",\"active\":false},"
    " {\"id\":\"c3\",\"name\":\"Gamma\"}],"
    "\"agreements\":["
    " {\"id\":\"a1\",\"company_id\":\"c1\",\"name\":\"Managed services\","
    "  \"type\":\"Managed\",\"active\":true,\"prorate\":true,"
    "  \"period_start\":\"2026-11-01\",\"period_end\":\"2026-11-30\"},"
    " {\"id\":\"a2\",\"company_id\":\"c1\",\"active\":false},"
    " {\"id\":\"a3\",\"company_id\":\"c2\",\"period\":\"missing\","
    "  \"note\":\"starts 2027-01-01\"},"
    " {\"id\":\"a4\",\"company_id\":\"c3\"},"
    " {\"id\":\"a5\",\"company_id\":\"c1\",\"name\":\"Security\"}],"
    "\"products\":["
    " {\"id\":\"p1\",\"code\":\"LASTPASS-BUS\",\"name\":\"LastPass Business\"},"
    " {\"id\":\"p2\",\"code\":\"LASTPASS-MFA\",\"name\":\"LastPass MFA\"},"
    " {\"id\":\"p3\",\"code\":\"OTHER\"}],"
    "\"lines\":["
    " {\"id\":\"l1\",\"agreement_id\":\"a1\",\"product_id\":\"p1\","
    "  \"quantity\":12,\"cancelled\":false,\"description\":\"Seats\"},"
    " {\"id\":\"l2\",\"agreement_id\":\"a1\",\"product_id\":\"p3\","
    "  \"quantity\":5},"
    " {\"id\":\"l3\",\"agreement_id\":\"a1\",\"product_id\":\"p2\","
    "  \"quantity\":3,\"cancelled\":true},"
    " {\"id\":\"l4\",\"agreement_id\":\"a3\",\"product_id\":\"p2\","
    "  \"quantity\":7},"
    " {\"id\":\"l5\",\"agreement_id\":\"a2\",\"product_id\":\"p1\","
    "  \"quantity\":1},"
    " {\"id\":\"l6\",\"agreement_id\":\"a4\",\"product_id\":\"p1\","
    "  \"quantity\":2},"
    " {\"id\":\"l7\",\"agreement_id\":\"a5\",\"product_id\":\"p2\","
    "  \"quantity\":4}],"
    "\"fail\":{\"set_quantity\":[\"l7\"],\"snapshot\":false}}";

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "lastpass-bus"}, /* by code, any case */
    {LPSA_SKU_LASTPASS_MFA, "p2"},       /* by id */
    {LPSA_SKU_LASTPASS_MFA, "NOPE"}};    /* not in the catalog */
static const char *const company_ids[] = {"c1", "c2", "c9"};

/* One test's world: a temporary PSA file, a host, the loaded driver and an
 * open instance. */
typedef struct world {
  char dir[1024];
  char file[1200];
  lpsa_log *log;
  lpsa_host host;
  loaded_driver drv;
  lpsa_driver_ctx *ctx;
  char checks[2048]; /* check_item() calls, one per line */
} world;

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strdup(buf);
}

static void record_check(void *arg, const char *what, int ok,
                         const char *detail) {
  world *w = arg;
  size_t used = strlen(w->checks);
  snprintf(w->checks + used, sizeof w->checks - used, "%s %s%s%s\n",
           ok ? "OK" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
}

static void load_driver(world *w) {
  const char *dir = getenv("LPSA_DRIVER_DIR");
  ck_assert_msg(dir && *dir, "LPSA_DRIVER_DIR is not set (run through ctest)");
  const char *dirs[] = {dir};
  char err[1024];
  int rc = loader_load(dirs, 1, "jsonpsa", &w->drv, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);
  ck_assert_str_eq(w->drv.desc->version, "1.0.0");
  ck_assert_str_eq(w->drv.desc->terms->psa, "JSON PSA");
}

static int open_with(world *w, const lpsa_config_value *cfg, size_t n,
                     char *err, size_t errlen) {
  return w->drv.desc->open(host_api(), &w->host, cfg, n, &w->ctx, err, errlen);
}

static void setup(world *w, const char *json, const char *delay_ms) {
  memset(w, 0, sizeof *w);
  const char *build = getenv("LPSA_BUILD_DIR");
  ck_assert_ptr_nonnull(build);
  snprintf(w->dir, sizeof w->dir, "%s/tests/fixtures/tmp-jsonpsa-XXXXXX",
           build);
  ck_assert_ptr_nonnull(mkdtemp(w->dir));
  snprintf(w->file, sizeof w->file, "%s/psa.json", w->dir);
  write_file(w->file, json);
  w->log = log_new(stderr, LPSA_LOG_ERROR);
  ck_assert_ptr_nonnull(w->log);
  host_init(&w->host, w->log, NULL); /* the driver never uses HTTP */
  w->host.check_fn = record_check;
  w->host.check_arg = w;
  load_driver(w);
  lpsa_config_value cfg[2] = {{"file", w->file, 3},
                              {"write_delay_ms", delay_ms, 4}};
  char err[1024];
  int rc = open_with(w, cfg, delay_ms ? 2 : 1, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);
}

static void teardown(world *w) {
  w->drv.desc->close(w->ctx);
  loader_unload(&w->drv);
  log_free(w->log);
  DIR *d = opendir(w->dir);
  ck_assert_ptr_nonnull(d);
  int leftovers = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[2400];
    snprintf(p, sizeof p, "%s/%s", w->dir, e->d_name);
    leftovers += strcmp(e->d_name, "psa.json") != 0;
    unlink(p);
  }
  closedir(d);
  rmdir(w->dir);
  ck_assert_msg(leftovers == 0, "temporary files left next to the PSA file");
}

static lpsa_snapshot *take_snapshot(world *w, unsigned flags, int *rc,
                                    char *err, size_t errlen) {
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 3;
  req.company_ids = company_ids;
  req.n_company_ids = 3;
  req.as_of = "2026-11-15";
  req.flags = flags;
  lpsa_snapshot *snap = snapshot_new(&req);
  ck_assert_ptr_nonnull(snap);
  err[0] = '\0';
  *rc = w->drv.desc->snapshot(w->ctx, &req, snap, err, errlen);
  return snap;
}

static const snap_agreement *agreement(const lpsa_snapshot *s, const char *id) {
  long i = snapshot_find_agreement(s, id);
  ck_assert_msg(i >= 0, "agreement %s missing", id);
  return &s->agreements[i];
}

/* The document on disk, and one of its lines. */
static json_object *disk(const world *w) {
  json_object *doc = json_object_from_file(w->file);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

/* One member of line `line_id` in the document on disk. */
static json_object *disk_line_field(json_object *doc, const char *line_id,
                                    const char *key) {
  json_object *lines, *v;
  ck_assert(json_object_object_get_ex(doc, "lines", &lines));
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    ck_assert(json_object_object_get_ex(l, "id", &v));
    if (strcmp(json_object_get_string(v), line_id) == 0) {
      ck_assert_msg(json_object_object_get_ex(l, key, &v), "line %s has no %s",
                    line_id, key);
      return v;
    }
  }
  ck_abort_msg("line %s not on disk", line_id);
  return NULL;
}

static long long disk_quantity(json_object *doc, const char *line_id) {
  return json_object_get_int64(disk_line_field(doc, line_id, "quantity"));
}

static long long disk_writes(json_object *doc) {
  json_object *v;
  return json_object_object_get_ex(doc, "writes", &v) ? json_object_get_int64(v)
                                                      : 0;
}

static lpsa_line_ref ref_for(const char *line, const char *agreement_id,
                             const char *product) {
  lpsa_line_ref r = LPSA_INIT(lpsa_line_ref);
  r.company_id = "c1";
  r.agreement_id = agreement_id;
  r.line_id = line;
  r.product_id = product;
  r.period_start = strcmp(agreement_id, "a1") == 0 ? "2026-11-01" : NULL;
  r.as_of = "2026-11-15";
  return r;
}

static int set_q(world *w, const lpsa_line_ref *r, long long target,
                 lpsa_set_result *res, char *err, size_t errlen) {
  *res = LPSA_INIT(lpsa_set_result);
  err[0] = '\0';
  return w->drv.desc->set_quantity(w->ctx, r, target, res, err, errlen);
}

/* ---- open ---------------------------------------------------------------- */

/* `file` is required: the host refuses a section without it before
 * open(), so jsonpsa does not check again; opened without it anyway, it
 * fails on first use instead of crashing. Its own rules (a delay's form)
 * it checks itself. */
START_TEST(open_checks_its_own_rules) {
  world w;
  setup(&w, psa_json, NULL);
  lpsa_driver_ctx *ctx = NULL;
  char err[512];
  int rc =
      w.drv.desc->open(host_api(), &w.host, NULL, 0, &ctx, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_OK);
  ck_assert_int_eq(w.drv.desc->check(ctx, err, sizeof err), LPSA_ERR_NETWORK);
  assert_has(err, "jsonpsa: cannot read");
  w.drv.desc->close(ctx);
  ctx = NULL;
  lpsa_config_value bad[2] = {{"file", "x.json", 2},
                              {"write_delay_ms", "soon", 9}};
  rc = w.drv.desc->open(host_api(), &w.host, bad, 2, &ctx, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_INVALID);
  assert_has(err, "write_delay_ms = soon (line 9)");
  ck_assert_ptr_null(ctx);
  teardown(&w);
}
END_TEST

/* ---- snapshot ------------------------------------------------------------ */

START_TEST(snapshot_filters_like_a_psa) {
  world w;
  setup(&w, psa_json, NULL);
  int rc;
  char err[512];
  lpsa_snapshot *s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);
  /* Requested companies that exist, inactive ones marked so, and c3: not
   * requested, but it bills a mapped product (for ORPHAN_BILLING). */
  ck_assert_uint_eq(s->n_companies, 3);
  ck_assert_int_eq(s->companies[snapshot_find_company(s, "c1")].active, 1);
  ck_assert_str_eq(s->companies[snapshot_find_company(s, "c1")].name, "Acme");
  ck_assert_int_eq(s->companies[snapshot_find_company(s, "c2")].active, 0);
  ck_assert_int_ge(snapshot_find_company(s, "c3"), 0);
  /* Products by code (ignoring case) or id; unknown stays not found. */
  ck_assert(s->products[0].found);
  ck_assert_str_eq(s->products[0].psa_id, "p1");
  ck_assert_str_eq(s->products[0].label, "LastPass Business");
  ck_assert(s->products[1].found);
  ck_assert_str_eq(s->products[1].psa_id, "p2");
  ck_assert(!s->products[2].found);
  /* Active agreements of emitted companies, with their period state. */
  ck_assert_uint_eq(s->n_agreements, 4);
  const snap_agreement *a1 = agreement(s, "a1");
  ck_assert_int_eq(a1->period, LPSA_PERIOD_CURRENT);
  ck_assert_str_eq(a1->period_start, "2026-11-01");
  ck_assert_str_eq(a1->period_end, "2026-11-30");
  ck_assert_str_eq(a1->type, "Managed");
  ck_assert_int_eq(a1->prorate, 1);
  const snap_agreement *a3 = agreement(s, "a3");
  ck_assert_int_eq(a3->period, LPSA_PERIOD_MISSING);
  ck_assert_str_eq(a3->note, "starts 2027-01-01");
  ck_assert_int_eq(agreement(s, "a5")->period, LPSA_PERIOD_NONE);
  ck_assert_int_eq(snapshot_find_agreement(s, "a2"), -1);
  ck_assert_int_ge(snapshot_find_agreement(s, "a4"), 0);
  /* Live lines of mapped products on emitted agreements only. */
  ck_assert_uint_eq(s->n_lines, 4);
  const snap_line *l1 = &s->lines[snapshot_find_line(s, "l1")];
  ck_assert_int_eq(l1->quantity, 12);
  ck_assert_uint_eq(l1->product, 0);
  ck_assert_str_eq(l1->description, "Seats");
  ck_assert_uint_eq(s->lines[snapshot_find_line(s, "l4")].product, 1);
  ck_assert_int_eq(s->lines[snapshot_find_line(s, "l7")].quantity, 4);
  ck_assert_int_eq(s->lines[snapshot_find_line(s, "l6")].quantity, 2);
  const char *absent[] = {"l2", "l3", "l5"};
  for (size_t i = 0; i < 3; i++)
    ck_assert_int_eq(snapshot_find_line(s, absent[i]), -1);
  snapshot_free(s);
  teardown(&w);
}
END_TEST

START_TEST(snapshot_all_companies_and_companies_only) {
  world w;
  setup(&w, psa_json, NULL);
  int rc;
  char err[512];
  lpsa_snapshot *s =
      take_snapshot(&w, LPSA_SNAPSHOT_ALL_COMPANIES, &rc, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);
  ck_assert_uint_eq(s->n_companies, 3);
  ck_assert_int_ge(snapshot_find_agreement(s, "a4"), 0);
  ck_assert_int_ge(snapshot_find_line(s, "l6"), 0);
  snapshot_free(s);
  s = take_snapshot(&w,
                    LPSA_SNAPSHOT_ALL_COMPANIES | LPSA_SNAPSHOT_COMPANIES_ONLY,
                    &rc, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);
  ck_assert_uint_eq(s->n_companies, 3);
  ck_assert_uint_eq(s->n_agreements, 0);
  ck_assert_uint_eq(s->n_lines, 0);
  ck_assert(!s->products[0].found);
  snapshot_free(s);
  teardown(&w);
}
END_TEST

START_TEST(snapshot_failures) {
  world w;
  setup(&w, "{\"companies\":[],\"fail\":{\"snapshot\":true}}", NULL);
  int rc;
  char err[512];
  lpsa_snapshot *s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_REMOTE);
  assert_has(err, "fail.snapshot");
  snapshot_free(s);
  write_file(w.file, "{\"companies\":[}");
  s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_PROTOCOL);
  assert_has(err, "is not a valid JSON object");
  assert_has(err, w.file);
  snapshot_free(s);
  write_file(w.file, "{\"companies\":{}}");
  s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_PROTOCOL);
  assert_has(err, "\"companies\" in ");
  assert_has(err, "is not an array");
  snapshot_free(s);
  write_file(w.file,
             "{\"companies\":[{\"id\":\"c1\"}],\"agreements\":[{\"id\":\"a1\","
             "\"company_id\":\"c1\"}],\"products\":[{\"id\":\"p1\",\"code\":"
             "\"LASTPASS-BUS\"}],\"lines\":[{\"id\":\"l1\",\"agreement_id\":"
             "\"a1\",\"product_id\":\"p1\",\"quantity\":-2}]}");
  s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_PROTOCOL);
  assert_has(err, "line l1");
  assert_has(err, "whole number >= 0");
  snapshot_free(s);
  unlink(w.file);
  s = take_snapshot(&w, 0, &rc, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_NETWORK);
  assert_has(err, "cannot read");
  snapshot_free(s);
  write_file(w.file, psa_json); /* for teardown's check */
  teardown(&w);
}
END_TEST

/* ---- set_quantity -------------------------------------------------------- */

START_TEST(set_quantity_writes_nothing_when_equal) {
  world w;
  setup(&w, psa_json, NULL);
  char *before = read_file(w.file);
  lpsa_line_ref r = ref_for("l1", "a1", "p1");
  lpsa_set_result res;
  char err[512];
  ck_assert_int_eq(set_q(&w, &r, 12, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(res.wrote, 0);
  ck_assert_int_eq(res.before, 12);
  ck_assert_int_eq(res.after, 12);
  char *after = read_file(w.file);
  ck_assert_str_eq(before, after); /* not even rewritten */
  free(before);
  free(after);
  teardown(&w);
}
END_TEST

START_TEST(set_quantity_writes_and_verifies) {
  world w;
  setup(&w, psa_json, NULL);
  chmod(w.file, 0640);
  lpsa_line_ref r = ref_for("l1", "a1", "p1");
  lpsa_set_result res;
  char err[512];
  ck_assert_int_eq(set_q(&w, &r, 15, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(res.wrote, 1);
  ck_assert_int_eq(res.before, 12);
  ck_assert_int_eq(res.after, 15);
  json_object *doc = disk(&w);
  ck_assert_int_eq(disk_quantity(doc, "l1"), 15);
  ck_assert_int_eq(disk_quantity(doc, "l4"), 7); /* others untouched */
  ck_assert_int_eq(disk_writes(doc), 1);
  json_object_put(doc);
  struct stat st;
  ck_assert_int_eq(stat(w.file, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0640); /* mode kept */
  /* A second change counts a second write; the effective date is the
   * agreement's period start when there is one, else as_of. */
  r = ref_for("l7", "a5", "p2");
  ck_assert_int_eq(set_q(&w, &r, 4, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(res.wrote, 0);
  r = ref_for("l4", "a3", "p2");
  ck_assert_int_eq(set_q(&w, &r, 0, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(res.after, 0);
  doc = disk(&w);
  ck_assert_int_eq(disk_writes(doc), 2);
  ck_assert_str_eq(
      json_object_get_string(disk_line_field(doc, "l1", "effective_date")),
      "2026-11-01");
  ck_assert_str_eq(
      json_object_get_string(disk_line_field(doc, "l4", "effective_date")),
      "2026-11-15");
  json_object_put(doc);
  teardown(&w);
}
END_TEST

START_TEST(set_quantity_refuses_changed_lines) {
  world w;
  setup(&w, psa_json, NULL);
  char *before = read_file(w.file);
  lpsa_set_result res;
  char err[512];
  lpsa_line_ref r = ref_for("l99", "a1", "p1");
  ck_assert_int_eq(set_q(&w, &r, 1, &res, err, sizeof err), LPSA_ERR_CONFLICT);
  assert_has(err, "line l99 no longer exists");
  r = ref_for("l3", "a1", "p2");
  ck_assert_int_eq(set_q(&w, &r, 1, &res, err, sizeof err), LPSA_ERR_CONFLICT);
  assert_has(err, "(cancelled)");
  r = ref_for("l1", "a1", "p2");
  ck_assert_int_eq(set_q(&w, &r, 1, &res, err, sizeof err), LPSA_ERR_CONFLICT);
  assert_has(err, "line l1 now carries product p1, not p2");
  r = ref_for("l1", "a5", "p1");
  ck_assert_int_eq(set_q(&w, &r, 1, &res, err, sizeof err), LPSA_ERR_CONFLICT);
  assert_has(err, "line l1 is no longer on agreement a5");
  r = ref_for("l1", "a1", "p1");
  ck_assert_int_eq(set_q(&w, &r, -1, &res, err, sizeof err), LPSA_ERR_INVALID);
  ck_assert_int_eq(res.wrote, 0);
  char *after = read_file(w.file);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  teardown(&w);
}
END_TEST

START_TEST(set_quantity_failure_on_request) {
  world w;
  setup(&w, psa_json, NULL);
  lpsa_line_ref r = ref_for("l7", "a5", "p2");
  lpsa_set_result res;
  char err[512];
  ck_assert_int_eq(set_q(&w, &r, 9, &res, err, sizeof err), LPSA_ERR_REMOTE);
  ck_assert_int_eq(res.wrote, 0);
  ck_assert_int_eq(res.before, 4);
  assert_has(err, "refused the update of line l7");
  assert_has(err, "fail.set_quantity");
  json_object *doc = disk(&w);
  ck_assert_int_eq(disk_quantity(doc, "l7"), 4);
  ck_assert_int_eq(disk_writes(doc), 0);
  json_object_put(doc);
  teardown(&w);
}
END_TEST

static long elapsed_ms(const struct timespec *a) {
  struct timespec b;
  clock_gettime(CLOCK_MONOTONIC, &b);
  return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

START_TEST(write_delay_is_honoured) {
  world w;
  setup(&w, psa_json, "500");
  lpsa_line_ref r = ref_for("l1", "a1", "p1");
  lpsa_set_result res;
  char err[512];
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert_int_eq(set_q(&w, &r, 12, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_lt(elapsed_ms(&t0), 500); /* no write, no wait */
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert_int_eq(set_q(&w, &r, 13, &res, err, sizeof err), LPSA_OK);
  ck_assert_int_ge(elapsed_ms(&t0), 500);
  teardown(&w);
}
END_TEST

/* Killed while waiting to write: the file is the old one, whole. */
START_TEST(kill_before_write_leaves_the_file_intact) {
  world w;
  setup(&w, psa_json, "10000");
  char *before = read_file(w.file);
  int ready[2];
  ck_assert_int_eq(pipe(ready), 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    close(ready[0]);
    lpsa_line_ref r = ref_for("l1", "a1", "p1");
    lpsa_set_result res;
    char err[512];
    ck_assert_int_eq(write(ready[1], "x", 1), 1);
    set_q(&w, &r, 99, &res, err, sizeof err);
    _exit(0);
  }
  close(ready[1]);
  char c;
  ck_assert_int_eq(read(ready[0], &c, 1), 1);
  close(ready[0]);
  struct timespec pause_ts = {0, 100 * 1000000L};
  nanosleep(&pause_ts, NULL);
  kill(pid, SIGKILL);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status));
  char *after = read_file(w.file);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  teardown(&w);
}
END_TEST

/* ---- check --------------------------------------------------------------- */

START_TEST(check_reports_each_item) {
  world w;
  setup(&w, psa_json, NULL);
  char err[512] = "";
  ck_assert_ptr_nonnull(w.drv.desc->check);
  ck_assert_int_eq(w.drv.desc->check(w.ctx, err, sizeof err), LPSA_OK);
  assert_has(w.checks, "OK read ");
  assert_has(w.checks, "OK write ");
  w.checks[0] = '\0';
  write_file(w.file, "not json");
  ck_assert_int_eq(w.drv.desc->check(w.ctx, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  assert_has(w.checks, "FAIL read ");
  assert_has(w.checks, "is not a valid JSON object");
  write_file(w.file, psa_json);
  teardown(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("jsonpsa");
  TCase *tc = tcase_create("driver");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, open_checks_its_own_rules);
  tcase_add_test(tc, snapshot_filters_like_a_psa);
  tcase_add_test(tc, snapshot_all_companies_and_companies_only);
  tcase_add_test(tc, snapshot_failures);
  tcase_add_test(tc, set_quantity_writes_nothing_when_equal);
  tcase_add_test(tc, set_quantity_writes_and_verifies);
  tcase_add_test(tc, set_quantity_refuses_changed_lines);
  tcase_add_test(tc, set_quantity_failure_on_request);
  tcase_add_test(tc, write_delay_is_honoured);
  tcase_add_test(tc, kill_before_write_leaves_the_file_intact);
  tcase_add_test(tc, check_reports_each_item);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
