/* SPDX-License-Identifier: MIT */
/*
 * test_hp_driver.c — what the HaloPSA driver does on the wire, end to end
 * through lpsa-host against halopsa-sim (generated worlds, rel_harness.h):
 * the token (discovered, reused, refreshed once, tenant, scopes), lists
 * read whole under a page cap or client by client, the rate limit (paced,
 * and backed off when another client shares it), lines it cannot bill
 * from, and writes HaloPSA does not apply as documented.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"

static rel_world_opts world(int companies) {
  rel_world_opts o = {
      .psa = REL_HALOPSA, .companies = companies, .seed = 5, .change_pct = 35};
  return o;
}

static long sim_number(rel_world *w, const char *path, const char *key) {
  json_object *o = simproc_get_json(&w->psa, path);
  ck_assert_msg(o != NULL, "GET %s failed", path);
  long v = (long)rel_int(o, key);
  json_object_put(o);
  return v;
}

static int count(rel_world *w, const char *method, const char *path) {
  json_object *log = rel_log(w, REL_PSA);
  int n = rel_count_requests(log, method, path);
  json_object_put(log);
  return n;
}

/* The text of every rule of company `lastpass_id`. */
static const char *rule_text(json_object *report, const char *lastpass_id,
                             const char *code) {
  json_object *c = rel_company(report, lastpass_id);
  ck_assert_ptr_nonnull(c);
  json_object *rules = rel_get(c, "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *r = json_object_array_get_idx(rules, i);
    if (strcmp(rel_str(r, "code"), code) == 0)
      return rel_str(r, "message");
  }
  ck_abort_msg("company %s has no %s: %s", lastpass_id, code,
               json_object_to_json_string(c));
  return NULL;
}

/* A dry run that must plan something, and its digest (caller frees). */
static char *plan_digest(rel_world *w, rel_run *r) {
  rel_host(w, r, "--dry-run", NULL);
  ck_assert_msg(r->status == 0 || r->status == 1, "dry run exit %d: %s",
                r->status, r->err);
  ck_assert_int_gt(rel_count_status(r->report, "planned"), 0);
  return rel_digest(r->report, 0);
}

/* ---- the token ---------------------------------------------------------- */

START_TEST(one_token_per_run_discovered_once) {
  rel_world_opts o = world(12);
  rel_world w;
  rel_world_start(&w, &o);
  rel_run plan, r;
  free(plan_digest(&w, &plan));
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  long tokens = sim_number(&w, "/_sim/tokens", "issued");
  rel_host(&w, &r, NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_gt(rel_count_status(r.report, "updated"), 0);
  /* Discovery and the token once for the whole run, reads and writes. */
  ck_assert_int_eq(sim_number(&w, "/_sim/tokens", "issued"), tokens + 1);
  ck_assert_int_eq(count(&w, "GET", "/api/authinfo"), 1);
  ck_assert_int_eq(count(&w, "POST", "/auth/token"), 1);
  rel_assert_applied_once(&w, plan.report);
  rel_run_free(&r);
  rel_run_free(&plan);
  rel_world_stop(&w);
}
END_TEST

START_TEST(expired_token_refreshed_and_run_completes) {
  rel_world_opts o = world(12);
  rel_world ref, w;
  rel_world_start(&ref, &o);
  rel_run base, r;
  free(plan_digest(&ref, &base));
  rel_world_stop(&ref);
  /* Each token answers 4 calls, then 401s: the run needs several. */
  const char *args[] = {"--token-max-uses", "4", NULL};
  o.psa_args = args;
  rel_world_start(&w, &o);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, base.status);
  char *got = rel_digest(r.report, 0);
  char *expect = rel_digest(base.report, 1);
  ck_assert_str_eq(got, expect);
  ck_assert_int_gt(sim_number(&w, "/_sim/tokens", "issued"), 2);
  /* Every 401 is answered by one new token, and each line written once. */
  json_object *log = rel_log(&w, REL_PSA);
  int refused = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++)
    refused += rel_int(json_object_array_get_idx(log, i), "status") == 401;
  json_object_put(log);
  ck_assert_int_gt(refused, 0);
  ck_assert_int_eq(count(&w, "POST", "/auth/token"), refused + 1);
  rel_assert_applied_once(&w, base.report);
  free(got);
  free(expect);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

START_TEST(hosted_tenant) {
  rel_world_opts o = world(8);
  const char *args[] = {"--tenant", "acme", NULL};
  o.psa_args = args;
  rel_world w;
  rel_world_start(&w, &o);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  ck_assert_msg(strstr(rel_str(r.report, "aborted"), "tenant = <your tenant "
                                                     "name>"),
                "%s", rel_str(r.report, "aborted"));
  rel_run_free(&r);
  w.opt.driver_keys = "tenant = acme\n";
  rel_write_config(&w, NULL);
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_le(r.status, 1);
  json_object *log = rel_log(&w, REL_PSA);
  int with_tenant = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    if (strcmp(rel_str(e, "path"), "/auth/token") == 0 &&
        strcmp(rel_str(e, "query"), "tenant=acme") == 0 &&
        rel_int(e, "status") == 200)
      with_tenant++;
  }
  json_object_put(log);
  ck_assert_int_eq(with_tenant, 1);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(authorisation_server_discovered_or_configured) {
  rel_world_opts o = world(8);
  const char *args[] = {"--auth-path", "/identity", NULL};
  o.psa_args = args;
  rel_world w;
  rel_world_start(&w, &o);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_eq(count(&w, "POST", "/identity/token"), 1);
  rel_run_free(&r);
  /* Configured: no lookup at all. */
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  char keys[256];
  snprintf(keys, sizeof keys, "auth_url = %s/identity/\n", w.psa.base_url);
  w.opt.driver_keys = keys;
  rel_write_config(&w, NULL);
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_eq(count(&w, "GET", "/api/authinfo"), 0);
  ck_assert_int_eq(count(&w, "POST", "/identity/token"), 1);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(scopes) {
  rel_world_opts o = world(10);
  const char *args[] = {"--scopes", "read:customers read:items read:invoices",
                        NULL};
  o.psa_args = args;
  rel_world w;
  rel_world_start(&w, &o);
  /* The default scope (all) is more than the application may have. */
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  ck_assert_ptr_nonnull(
      strstr(rel_str(r.report, "aborted"), "would not grant the scope"));
  rel_run_free(&r);
  /* Read scopes only: check names the missing edit:invoices, a dry run
   * works, an apply is refused per write with the scope to add. */
  w.opt.driver_keys = "scope = read:customers read:items read:invoices\n";
  rel_write_config(&w, NULL);
  rel_host(&w, &r, "check", NULL);
  ck_assert_int_ne(r.status, 0);
  json_object *items = rel_get(r.report, "items");
  int seen = 0;
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i);
    if (strcmp(rel_str(it, "what"), "HaloPSA scopes") == 0) {
      seen = 1;
      ck_assert_str_eq(rel_str(it, "status"), "fail");
      ck_assert_ptr_nonnull(strstr(rel_str(it, "detail"), "edit:invoices"));
    }
  }
  ck_assert(seen);
  rel_run_free(&r);
  rel_run dry, apply;
  free(plan_digest(&w, &dry));
  rel_host(&w, &apply, NULL);
  ck_assert_int_eq(rel_count_status(apply.report, "updated"), 0);
  json_object *list = rel_get(dry.report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "status"), "planned") == 0)
      ck_assert_ptr_nonnull(strstr(
          rule_text(apply.report, rel_str(c, "lastpass_id"), "WRITE_FAILED"),
          "edit:invoices"));
  }
  rel_run_free(&apply);
  rel_run_free(&dry);
  rel_world_stop(&w);
}
END_TEST

START_TEST(check_passes) {
  rel_world_opts o = world(6);
  rel_world w;
  rel_world_start(&w, &o);
  rel_run r;
  rel_host(&w, &r, "check", NULL);
  ck_assert_msg(r.status == 0, "check exit %d: %s", r.status, r.out);
  static const char *const want[] = {"HaloPSA authorisation server",
                                     "HaloPSA token",
                                     "HaloPSA scopes",
                                     "read clients",
                                     "read items",
                                     "read recurring invoices"};
  json_object *items = rel_get(r.report, "items");
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(items); i++) {
      json_object *it = json_object_array_get_idx(items, i);
      if (strcmp(rel_str(it, "what"), want[k]) == 0) {
        found = 1;
        ck_assert_str_eq(rel_str(it, "status"), "ok");
      }
    }
    ck_assert_msg(found, "check has no item \"%s\"", want[k]);
  }
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* The client secret and the tokens never show: not at debug level, not
 * when tokens expire and are fetched again, not in the journal. */
START_TEST(secret_and_tokens_never_printed) {
  rel_world_opts o = world(10);
  const char *args[] = {"--token-max-uses", "3", NULL};
  o.psa_args = args;
  rel_world w;
  rel_world_start(&w, &o);
  rel_run r;
  rel_host(&w, &r, "-v", "-v", NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_gt(sim_number(&w, "/_sim/tokens", "issued"), 1);
  /* The debug log did show the requests, headers redacted. */
  ck_assert_ptr_nonnull(strstr(r.err, "/auth/token"));
  ck_assert_ptr_nonnull(strstr(r.err, "Authorization: ***"));
  json_object *h = rel_history(&w, 0);
  const char *journal = json_object_to_json_string(h);
  const char *where[] = {r.out, r.err, journal};
  /* halopsa-sim's tokens are "hps.<serial>.<hex>". */
  static const char *const never[] = {
      "demosecret", "client_secret=", "Bearer hps.", "hps.1.", "hps.2."};
  for (size_t i = 0; i < sizeof where / sizeof *where; i++)
    for (size_t k = 0; k < sizeof never / sizeof *never; k++)
      ck_assert_msg(!strstr(where[i], never[k]), "\"%s\" printed: %s", never[k],
                    where[i]);
  json_object_put(h);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- lists -------------------------------------------------------------- */

START_TEST(page_cap_below_the_size_asked) {
  rel_world_opts o = world(30);
  rel_world ref, w;
  rel_world_start(&ref, &o);
  rel_run base, r;
  char *want = plan_digest(&ref, &base);
  rel_world_stop(&ref);
  const char *args[] = {"--page-cap", "7", NULL};
  o.psa_args = args;
  rel_world_start(&w, &o);
  char *got = plan_digest(&w, &r);
  ck_assert_str_eq(got, want);
  /* 30 clients and 33 invoices: 5 pages each, the later ones asked 7. */
  json_object *log = rel_log(&w, REL_PSA);
  int capped = 0, clients = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    clients += strcmp(rel_str(e, "path"), "/api/Client") == 0;
    capped += strstr(rel_str(e, "query"), "page_size=7&") != NULL;
  }
  json_object_put(log);
  ck_assert_int_eq(clients, 5);
  ck_assert_int_eq(capped, 8);
  free(want);
  free(got);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* A few mapped clients in a big instance: single reads, not the lists. */
START_TEST(few_clients_read_one_by_one) {
  rel_world_opts o = world(120);
  o.map_every = 40; /* clients 1000, 1040, 1080 */
  o.driver_keys = "page_size = 10\n";
  rel_world w;
  rel_world_start(&w, &o);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_eq(count(&w, "GET", "/api/Client/"), 2);
  json_object *log = rel_log(&w, REL_PSA);
  int per_client = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++)
    per_client += strstr(rel_str(json_object_array_get_idx(log, i), "query"),
                         "client_id=") != NULL;
  json_object_put(log);
  ck_assert_int_eq(per_client, 3);
  for (int i = 0; i < 120; i += 40) {
    char id[16];
    snprintf(id, sizeof id, "%d", 100000 + i);
    json_object *c = rel_company(r.report, id);
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(strcmp(rel_str(c, "status"), "planned") == 0 ||
                      strcmp(rel_str(c, "status"), "unchanged") == 0,
                  "%s", json_object_to_json_string(c));
  }
  rel_run_free(&r);
  /* A filter Halo ignores would hand other clients' invoices: refused. */
  ck_assert_int_eq(simproc_set_faults(
                       &w.psa, "[{\"name\":\"f\",\"query_contains\":"
                               "\"client_id=\",\"action\":\"ignore_filter\"}]"),
                   0);
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  ck_assert_ptr_nonnull(
      strstr(rel_str(r.report, "aborted"), "ignored the client_id filter"));
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- the rate limit ----------------------------------------------------- */

START_TEST(paced_within_the_limit) {
  rel_world_opts o = world(20);
  /* Halo allows 12 per 0.6 s; lpsa sends 12 per 1.2 s (room for requests
   * arriving late on a busy machine). The sync needs about 28. */
  const char *args[] = {"--rate-limit", "12", "--rate-window-ms", "600", NULL};
  o.psa_args = args;
  o.driver_keys =
      "page_size = 5\nrequests_per_5min = 12\nrate_window_seconds = 1.2\n";
  rel_world w;
  rel_world_start(&w, &o);
  rel_run plan, r;
  free(plan_digest(&w, &plan));
  ck_assert_int_eq(sim_number(&w, "/_sim/rate", "refused"), 0);
  /* The budget is one process's: the apply starts a window of its own. */
  ck_assert_int_eq(simproc_send_json(&w.psa, "DELETE", "/_sim/rate", ""), 0);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &r, NULL);
  ck_assert_int_le(r.status, 1);
  ck_assert_int_gt(rel_count_status(r.report, "updated"), 0);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_gt(json_object_array_length(log), 24);
  json_object_put(log);
  ck_assert_int_eq(sim_number(&w, "/_sim/rate", "refused"), 0);
  rel_assert_applied_once(&w, plan.report);
  rel_run_free(&r);
  rel_run_free(&plan);
  rel_world_stop(&w);
}
END_TEST

START_TEST(backs_off_when_the_limit_is_shared) {
  rel_world_opts o = world(20);
  o.driver_keys = "page_size = 5\n";
  rel_world ref, w;
  rel_world_start(&ref, &o);
  rel_run base, r;
  free(plan_digest(&ref, &base));
  rel_world_stop(&ref);
  /* Halo allows 8 per 0.5 s, lpsa believes 100000 per 0.6 s: only Halo's
   * 429s (no Retry-After) hold it back. */
  const char *args[] = {"--rate-limit", "8", "--rate-window-ms", "500", NULL};
  o.psa_args = args;
  o.driver_keys =
      "page_size = 5\nrequests_per_5min = 100000\nrate_window_seconds = 0.6\n";
  rel_world_start(&w, &o);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, base.status);
  char *got = rel_digest(r.report, 0);
  char *expect = rel_digest(base.report, 1);
  ck_assert_str_eq(got, expect);
  ck_assert_int_gt(sim_number(&w, "/_sim/rate", "refused"), 0);
  /* Every refused request was sent again and then answered. */
  json_object *log = rel_log(&w, REL_PSA);
  size_t n = json_object_array_length(log);
  for (size_t i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(log, i);
    if (rel_int(e, "status") != 429)
      continue;
    int answered = 0;
    for (size_t j = i + 1; j < n && !answered; j++) {
      json_object *f = json_object_array_get_idx(log, j);
      answered = rel_int(f, "status") / 100 == 2 &&
                 strcmp(rel_str(f, "method"), rel_str(e, "method")) == 0 &&
                 strcmp(rel_str(f, "path"), rel_str(e, "path")) == 0 &&
                 strcmp(rel_str(f, "query"), rel_str(e, "query")) == 0 &&
                 strcmp(rel_str(f, "body"), rel_str(e, "body")) == 0;
    }
    ck_assert_msg(answered, "a 429 to %s %s?%s was never retried",
                  rel_str(e, "method"), rel_str(e, "path"),
                  rel_str(e, "query"));
  }
  json_object_put(log);
  rel_assert_applied_once(&w, base.report);
  free(got);
  free(expect);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* ---- records lpsa cannot bill from ------------------------------------- */

static void set_line_member(rel_world *w, const char *line, const char *key,
                            json_object *value) {
  json_object *state = rel_state(w, REL_PSA);
  json_object *invoices = rel_get(state, "invoices");
  int done = 0;
  for (size_t i = 0; i < json_object_array_length(invoices); i++) {
    json_object *lines =
        rel_get(json_object_array_get_idx(invoices, i), "lines");
    for (size_t k = 0; k < json_object_array_length(lines); k++) {
      json_object *l = json_object_array_get_idx(lines, k);
      if (strcmp(rel_str(l, "id"), line) == 0) {
        json_object_object_add(l, key, json_object_get(value));
        done = 1;
      }
    }
  }
  json_object_put(value);
  ck_assert_msg(done, "no invoice line %s", line);
  rel_put_state(w, REL_PSA, state);
  json_object_put(state);
}

START_TEST(lines_halo_computes_or_cannot_be_billed) {
  rel_world_opts o = world(10);
  rel_world w;
  rel_world_start(&w, &o);
  rel_run base;
  rel_host(&w, &base, "--dry-run", NULL);
  /* The LastPass lines of clients 1001, 1002, 1003 and 1004. */
  set_line_member(&w, "7000004", "recurring_invoice_quantity_type",
                  json_object_new_int(2));
  set_line_member(&w, "7000008", "qty_order", json_object_new_double(4.5));
  set_line_member(&w, "7000012", "qty_order", NULL);
  set_line_member(&w, "7000016", "qty_order", json_object_new_string("7"));
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, 1);
  static const struct {
    const char *id, *words;
  } bad[] = {{"100001", "computed by HaloPSA"},
             {"100002", "not a whole number"},
             {"100003", "no quantity"},
             {"100004", "not a number"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    json_object *c = rel_company(r.report, bad[i].id);
    ck_assert_str_eq(rel_str(c, "status"), "error");
    ck_assert_ptr_nonnull(
        strstr(rule_text(r.report, bad[i].id, "BAD_PSA_RECORD"), bad[i].words));
  }
  /* The others are synced as before; nothing is written to the four. */
  json_object *state = rel_state(&w, REL_PSA);
  json_object *writes = rel_get(state, "writes");
  for (size_t i = 0; i < json_object_array_length(writes); i++) {
    long long inv = rel_int(json_object_array_get_idx(writes, i), "invoice");
    ck_assert_msg(inv < 5000001 || inv > 5000004, "invoice %lld was written",
                  inv);
  }
  json_object_put(state);
  ck_assert_int_eq(rel_count_status(r.report, "error"), 4);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* ---- writes HaloPSA does not apply as documented ----------------------- */

static json_object *first_planned(json_object *plan) {
  json_object *list = rel_get(plan, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++)
    if (strcmp(rel_str(json_object_array_get_idx(list, i), "status"),
               "planned") == 0)
      return json_object_array_get_idx(list, i);
  ck_abort_msg("nothing planned");
  return NULL;
}

static void write_fault(const char *rule, const char *words,
                        long long (*expect)(long long old, long long target)) {
  rel_world_opts o = world(10);
  rel_world w;
  rel_world_start(&w, &o);
  rel_run plan, r;
  rel_host(&w, &plan, "--dry-run", NULL);
  json_object *p = first_planned(plan.report);
  char id[32], line[32];
  snprintf(id, sizeof id, "%s", rel_str(p, "lastpass_id"));
  snprintf(line, sizeof line, "%s", rel_str(p, "line_id"));
  long long old = rel_int(p, "old_quantity"),
            target = rel_int(p, "new_quantity");
  ck_assert_int_eq(simproc_set_faults(&w.psa, rule), 0);
  rel_host(&w, &r, NULL);
  json_object *c = rel_company(r.report, id);
  ck_assert_str_eq(rel_str(c, "status"), "error");
  const char *text = rule_text(r.report, id, "WRITE_FAILED");
  ck_assert_msg(strstr(text, words), "\"%s\" lacks \"%s\"", text, words);
  json_object *state = rel_state(&w, REL_PSA);
  ck_assert_int_eq(rel_psa_quantity(&w, state, line), expect(old, target));
  json_object_put(state);
  rel_run_free(&r);
  rel_run_free(&plan);
  rel_world_stop(&w);
}

static long long keeps_old(long long old, long long target) {
  (void)target;
  return old;
}

static long long target_plus_1000(long long old, long long target) {
  (void)old;
  return target + 1000;
}

static long long reaches_target(long long old, long long target) {
  (void)old;
  return target;
}

START_TEST(post_accepted_but_not_applied) {
  write_fault("[{\"name\":\"f\",\"method\":\"POST\",\"path_prefix\":"
              "\"/api/RecurringInvoice\",\"times\":1,\"action\":"
              "\"ignore_write\"}]",
              "did not apply it", keeps_old);
}
END_TEST

START_TEST(another_writer_between_post_and_answer) {
  write_fault("[{\"name\":\"f\",\"method\":\"POST\",\"path_prefix\":"
              "\"/api/RecurringInvoice\",\"times\":1,\"action\":"
              "\"other_writer\",\"delta\":1000}]",
              "another writer", target_plus_1000);
}
END_TEST

START_TEST(halo_deleting_lines_is_reported) {
  write_fault("[{\"name\":\"f\",\"method\":\"POST\",\"path_prefix\":"
              "\"/api/RecurringInvoice\",\"times\":1,\"action\":"
              "\"lose_lines\"}]",
              "deleted invoice line(s)", reaches_target);
}
END_TEST

int main(void) {
  Suite *s = suite_create("halopsa_driver");
  TCase *token = tcase_create("token");
  tcase_set_timeout(token, 120);
  tcase_add_test(token, one_token_per_run_discovered_once);
  tcase_add_test(token, expired_token_refreshed_and_run_completes);
  tcase_add_test(token, hosted_tenant);
  tcase_add_test(token, authorisation_server_discovered_or_configured);
  tcase_add_test(token, scopes);
  tcase_add_test(token, check_passes);
  tcase_add_test(token, secret_and_tokens_never_printed);
  suite_add_tcase(s, token);
  TCase *lists = tcase_create("lists");
  tcase_set_timeout(lists, 120);
  tcase_add_test(lists, page_cap_below_the_size_asked);
  tcase_add_test(lists, few_clients_read_one_by_one);
  suite_add_tcase(s, lists);
  TCase *rate = tcase_create("rate");
  tcase_set_timeout(rate, 180);
  tcase_add_test(rate, paced_within_the_limit);
  tcase_add_test(rate, backs_off_when_the_limit_is_shared);
  suite_add_tcase(s, rate);
  TCase *records = tcase_create("records");
  tcase_set_timeout(records, 120);
  tcase_add_test(records, lines_halo_computes_or_cannot_be_billed);
  tcase_add_test(records, post_accepted_but_not_applied);
  tcase_add_test(records, another_writer_between_post_and_answer);
  tcase_add_test(records, halo_deleting_lines_is_reported);
  suite_add_tcase(s, records);
  char *tmp = rel_private_tmpdir_begin("halopsa-driver");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
