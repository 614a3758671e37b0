/* SPDX-License-Identifier: MIT */
/*
 * test_rules.c — every rule of rules.c and the planner's guardrails, on
 * hand-built LastPass data, mapping rows and snapshots.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "planner.h"
#include "rules.h"

static const lpsa_terms cw_terms = {"ConnectWise PSA", "company", "agreement",
                                    "addition", "product"};

typedef struct world {
  lp_data lp;
  map_row rows[16];
  size_t n_rows;
  lpsa_snapshot *snap;
  run_result res;
} world;

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "LP-BUS"},
    {LPSA_SKU_LASTPASS_MFA, "LP-MFA"},
};

static void lp_add(world *w, const char *id, const char *name, int mfa,
                   int suspended, long long seats) {
  lp_data *d = &w->lp;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->companies = realloc(d->companies, d->cap * sizeof *d->companies);
  }
  lp_company *c = &d->companies[d->n];
  memset(c, 0, sizeof *c);
  c->id = strdup(id);
  c->name = strdup(name);
  c->sku = mfa ? LPSA_SKU_LASTPASS_MFA : LPSA_SKU_LASTPASS;
  c->suspended = suspended;
  c->seats = seats;
  c->has_record = 1;
  strmap_put(&d->ix, id, d->n);
  d->n++;
}

static void row(world *w, const char *lp, const char *psa, const char *ag) {
  w->rows[w->n_rows] =
      (map_row){lp, psa, ag, (int)w->n_rows + 2 /* after the header */};
  w->n_rows++;
}

static void company(world *w, const char *id, int active) {
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = id;
  c.name = id;
  c.active = active;
  ck_assert_int_eq(snapshot_add_company(w->snap, &c), LPSA_OK);
}

static void agreement(world *w, const char *id, const char *company_id,
                      lpsa_period_state period, int prorate) {
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = id;
  a.company_id = company_id;
  a.period = period;
  a.period_start = period == LPSA_PERIOD_CURRENT ? "2026-11-01" : NULL;
  a.period_end = period == LPSA_PERIOD_CURRENT ? "2026-11-30" : NULL;
  a.prorate = prorate;
  ck_assert_int_eq(snapshot_add_agreement(w->snap, &a), LPSA_OK);
}

static void line(world *w, const char *id, const char *agreement_id,
                 size_t product, long long qty) {
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = id;
  l.agreement_id = agreement_id;
  l.product = product;
  l.quantity = qty;
  ck_assert_int_eq(snapshot_add_line(w->snap, &l), LPSA_OK);
}

static world *world_new(void) {
  world *w = calloc(1, sizeof *w);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  w->snap = snapshot_new(&req);
  snapshot_product_found(w->snap, 0, "p1", "LastPass Business");
  snapshot_product_found(w->snap, 1, "p2", "LastPass MFA");
  return w;
}

static void world_free(world *w) {
  lp_data_free(&w->lp);
  snapshot_free(w->snap);
  run_result_free(&w->res);
  free(w);
}

static void evaluate_with(world *w, const plan_options *opt) {
  rules_input in = {&w->lp,    w->rows,       w->n_rows,          w->snap,
                    &cw_terms, "connectwise", opt->suspended_zero};
  ck_assert_int_eq(rules_evaluate(&in, &w->res), 0);
  ck_assert_int_eq(plan_compute(opt, &w->res), 0);
}

/* The default guardrails (max_increase_percent 100, guardrail_min_seats 5)
 * with the given drop limit. */
static void evaluate(world *w, int suspended_zero, int max_drop, int allow) {
  plan_options opt = {.max_decrease_percent = max_drop,
                      .allow_large_decrease = allow,
                      .suspended_zero = suspended_zero,
                      .as_of = "2026-11-25",
                      .max_increase_percent = 100,
                      .min_seats = 5};
  evaluate_with(w, &opt);
}

static const outcome *find(const world *w, const char *lastpass_id) {
  for (size_t i = 0; i < w->res.n; i++)
    if (strcmp(w->res.outcomes[i].lastpass_id, lastpass_id) == 0)
      return &w->res.outcomes[i];
  ck_abort_msg("no outcome for %s", lastpass_id);
  return NULL;
}

static const finding *rule(const finding_list *l, const char *code) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i].code, code) == 0)
      return &l->items[i];
  return NULL;
}

static void expect(const world *w, const char *lp, outcome_status st,
                   const char *code, severity sev, const char *words) {
  const outcome *o = find(w, lp);
  ck_assert_msg(o->status == st, "%s: status %s, expected %s", lp,
                outcome_status_name(o->status), outcome_status_name(st));
  if (!code)
    return;
  const finding *f = rule(&o->findings, code);
  ck_assert_msg(f != NULL, "%s: no %s finding", lp, code);
  ck_assert_int_eq(f->sev, sev);
  if (words)
    ck_assert_msg(strstr(f->message, words) != NULL, "%s: \"%s\" lacks \"%s\"",
                  code, f->message, words);
}

START_TEST(in_step_planned_and_sorted) {
  world *w = world_new();
  lp_add(w, "2", "zeta corp", 0, 0, 10);
  lp_add(w, "1", "Alpha", 1, 0, 12);
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  company(w, "c1", 1);
  company(w, "c2", 1);
  agreement(w, "a1", "c1", LPSA_PERIOD_CURRENT, 0);
  agreement(w, "a2", "c2", LPSA_PERIOD_NONE, 0);
  line(w, "l1", "a1", 1, 10);
  line(w, "l2", "a2", 0, 10);
  evaluate(w, 0, 50, 0);
  ck_assert_str_eq(w->res.outcomes[0].lastpass_name, "Alpha"); /* sorted */
  expect(w, "1", ST_PLANNED, NULL, 0, NULL);
  const outcome *o = find(w, "1");
  ck_assert_int_eq(o->old_quantity, 10);
  ck_assert_int_eq(o->new_quantity, 12);
  ck_assert_str_eq(o->effective_date, "2026-11-01"); /* period start */
  ck_assert_str_eq(o->product_id, "p2");
  expect(w, "2", ST_UNCHANGED, NULL, 0, NULL);
  ck_assert_str_eq(find(w, "2")->effective_date, "2026-11-25"); /* as_of */
  ck_assert_int_eq(find(w, "2")->findings.n, 0);
  world_free(w);
}
END_TEST

START_TEST(unmapped_and_unknown_rows) {
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 5);
  row(w, "99", "c1", NULL);
  company(w, "c1", 1);
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_SKIPPED, "UNMAPPED", SEV_INFO, "mapping file");
  const finding *f = rule(&w->res.findings, "MAPPING_UNKNOWN_LASTPASS");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(f->sev, SEV_WARNING);
  ck_assert_ptr_nonnull(strstr(f->message, "line 2"));
  world_free(w);
}
END_TEST

START_TEST(mapping_duplicates_both_ways) {
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 5);
  lp_add(w, "2", "Beta", 0, 0, 5);
  lp_add(w, "3", "Gamma", 0, 0, 5);
  row(w, "1", "c1", NULL);
  row(w, "1", "c9", NULL); /* one LastPass company twice */
  row(w, "2", "c2", NULL);
  row(w, "3", "c2", NULL); /* one PSA company for two */
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "MAPPING_DUPLICATE", SEV_ERROR, "lines 2 and 3");
  expect(w, "2", ST_ERROR, "MAPPING_DUPLICATE", SEV_ERROR, "one-to-one");
  expect(w, "3", ST_ERROR, "MAPPING_DUPLICATE", SEV_ERROR, "one-to-one");
  world_free(w);
}
END_TEST

START_TEST(company_missing_or_deleted) {
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 5);
  lp_add(w, "2", "Beta", 0, 0, 5);
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  company(w, "c2", 0);
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "PSA_COMPANY_NOT_FOUND", SEV_ERROR,
         "no company with id c1");
  expect(w, "2", ST_ERROR, "PSA_COMPANY_NOT_FOUND", SEV_ERROR, "deleted");
  world_free(w);
}
END_TEST

START_TEST(sku_not_configured_and_product_not_found) {
  static const lpsa_product_ref only_lp[] = {{LPSA_SKU_LASTPASS, "LP-BUS"}};
  world *w = calloc(1, sizeof *w);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = only_lp;
  req.n_products = 1;
  w->snap = snapshot_new(&req); /* LP-BUS never found */
  lp_add(w, "1", "Mfa Co", 1, 0, 5);
  lp_add(w, "2", "Plain Co", 0, 0, 5);
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  company(w, "c1", 1);
  company(w, "c2", 1);
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "SKU_NOT_CONFIGURED", SEV_ERROR, "sku.lastpass_mfa");
  expect(w, "2", ST_ERROR, "PRODUCT_NOT_FOUND", SEV_ERROR, NULL);
  const finding *f = rule(&w->res.findings, "PRODUCT_NOT_FOUND");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(strstr(f->message, "\"LP-BUS\""));
  world_free(w);
}
END_TEST

START_TEST(product_shared_by_skus) {
  world *w = world_new();
  snapshot_product_found(w->snap, 1, "p1", "same"); /* both SKUs -> p1 */
  lp_add(w, "1", "Alpha", 1, 0, 5);
  row(w, "1", "c1", NULL);
  company(w, "c1", 1);
  agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
  line(w, "l1", "a1", 0, 5);
  evaluate(w, 0, 50, 0);
  ck_assert_ptr_nonnull(rule(&w->res.findings, "PRODUCT_SHARED_BY_SKUS"));
  /* A shared product serves both SKUs: no SKU_MISMATCH. */
  expect(w, "1", ST_UNCHANGED, NULL, 0, NULL);
  world_free(w);
}
END_TEST

START_TEST(agreements_none_several_pinned) {
  world *w = world_new();
  lp_add(w, "1", "No agreement", 0, 0, 5);
  lp_add(w, "2", "No LP line", 0, 0, 5);
  lp_add(w, "3", "Two billing", 0, 0, 5);
  lp_add(w, "4", "Pinned", 0, 0, 7);
  lp_add(w, "5", "Pinned elsewhere", 0, 0, 5);
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  row(w, "3", "c3", "");
  row(w, "4", "c4", "a4b");
  row(w, "5", "c5", "a3a");
  for (int i = 1; i <= 5; i++) {
    char id[8];
    snprintf(id, sizeof id, "c%d", i);
    company(w, id, 1);
  }
  agreement(w, "a2", "c2", LPSA_PERIOD_NONE, 0);
  agreement(w, "a3a", "c3", LPSA_PERIOD_NONE, 0);
  agreement(w, "a3b", "c3", LPSA_PERIOD_NONE, 0);
  line(w, "l3a", "a3a", 0, 5);
  line(w, "l3b", "a3b", 0, 5);
  agreement(w, "a4a", "c4", LPSA_PERIOD_NONE, 0);
  agreement(w, "a4b", "c4", LPSA_PERIOD_NONE, 0);
  line(w, "l4a", "a4a", 0, 3);
  line(w, "l4b", "a4b", 0, 5);
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "NO_AGREEMENT", SEV_ERROR, "no active agreement");
  expect(w, "2", ST_ERROR, "NO_AGREEMENT", SEV_ERROR, "LP-BUS");
  expect(w, "3", ST_ERROR, "MULTIPLE_AGREEMENTS", SEV_ERROR, "a3a, a3b");
  expect(w, "4", ST_PLANNED, "ORPHAN_BILLING", SEV_WARNING, "a4a");
  ck_assert_str_eq(find(w, "4")->agreement_id, "a4b");
  ck_assert_int_eq(find(w, "4")->new_quantity, 7);
  expect(w, "5", ST_ERROR, "AGREEMENT_NOT_FOUND", SEV_ERROR, "a3a");
  world_free(w);
}
END_TEST

START_TEST(products_mismatch_period_prorate) {
  world *w = world_new();
  lp_add(w, "1", "Two lines", 0, 0, 5);
  lp_add(w, "2", "Tier change", 1, 0, 5);
  lp_add(w, "3", "Ended contract", 0, 0, 5);
  lp_add(w, "4", "Prorates", 0, 0, 6);
  for (int i = 1; i <= 4; i++) {
    char lp[4], id[8], ag[8], ln[8];
    snprintf(lp, sizeof lp, "%d", i);
    snprintf(id, sizeof id, "c%d", i);
    snprintf(ag, sizeof ag, "a%d", i);
    snprintf(ln, sizeof ln, "l%d", i);
    company(w, id, 1);
    agreement(w, ag, id, i == 3 ? LPSA_PERIOD_MISSING : LPSA_PERIOD_NONE,
              i == 4);
    line(w, ln, ag, 0, 5);
  }
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  row(w, "3", "c3", NULL);
  row(w, "4", "c4", NULL);
  line(w, "l1b", "a1", 1, 5);
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "MULTIPLE_PRODUCTS", SEV_ERROR, "2 LastPass");
  expect(w, "2", ST_ERROR, "SKU_MISMATCH", SEV_ERROR, "LastPass + MFA");
  expect(w, "3", ST_ERROR, "NO_BILLING_PERIOD", SEV_ERROR, NULL);
  expect(w, "4", ST_PLANNED, "PRORATE_AGREEMENT", SEV_WARNING, "prorat");
  world_free(w);
}
END_TEST

static void note(world *w, lpsa_note_kind kind, const char *company_id,
                 const char *agreement_id, const char *message) {
  lpsa_note n = LPSA_INIT(lpsa_note);
  n.kind = kind;
  n.company_id = company_id;
  n.agreement_id = agreement_id;
  n.message = message;
  ck_assert_int_eq(snapshot_add_note(w->snap, &n), LPSA_OK);
}

/* A driver's notes: a bad record stops that company only; a mid-period note
 * is information on a line that is still synced; an unknown kind is read as a
 * bad record. */
START_TEST(driver_notes) {
  world *w = world_new();
  lp_add(w, "1", "Null quantity", 0, 0, 5);
  lp_add(w, "2", "Mid period", 0, 0, 7);
  lp_add(w, "3", "Fine", 0, 0, 9);
  lp_add(w, "4", "Future kind", 0, 0, 9);
  for (int i = 1; i <= 4; i++) {
    char lp[4], id[8], ag[8], ln[8];
    snprintf(lp, sizeof lp, "%d", i);
    snprintf(id, sizeof id, "c%d", i);
    snprintf(ag, sizeof ag, "a%d", i);
    snprintf(ln, sizeof ln, "l%d", i);
    company(w, id, 1);
    agreement(w, ag, id, LPSA_PERIOD_CURRENT, 0);
    if (i != 1)
      line(w, ln, ag, 0, 5);
    row(w, strdup(lp), strdup(id), NULL);
  }
  note(w, LPSA_NOTE_BAD_RECORD, "c1", "a1", "addition 17 has no quantity");
  note(w, LPSA_NOTE_MID_PERIOD, "c2", "a2", "adjusted on 2026-11-15");
  note(w, (lpsa_note_kind)99, "c4", NULL, "something new");
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_ERROR, "BAD_PSA_RECORD", SEV_ERROR,
         "addition 17 has no quantity");
  ck_assert_ptr_null(rule(&find(w, "1")->findings, "NO_AGREEMENT"));
  expect(w, "2", ST_PLANNED, "MID_PERIOD_ADJUSTED", SEV_INFO,
         "adjusted on 2026-11-15");
  ck_assert_int_eq(find(w, "2")->new_quantity, 7);
  expect(w, "3", ST_PLANNED, NULL, 0, NULL);
  ck_assert_int_eq(find(w, "3")->findings.n, 0);
  expect(w, "4", ST_ERROR, "BAD_PSA_RECORD", SEV_ERROR, "something new");
  for (size_t i = 0; i < w->n_rows; i++) {
    free((char *)w->rows[i].lastpass_id);
    free((char *)w->rows[i].psa_company_id);
  }
  world_free(w);
}
END_TEST

START_TEST(orphan_on_unmapped_company) {
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 5);
  row(w, "1", "c1", NULL);
  company(w, "c1", 1);
  company(w, "c9", 1);
  agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
  agreement(w, "a9", "c9", LPSA_PERIOD_NONE, 0);
  line(w, "l1", "a1", 0, 5);
  line(w, "l9", "a9", 0, 4);
  evaluate(w, 0, 50, 0);
  const finding *f = rule(&w->res.findings, "ORPHAN_BILLING");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(strstr(f->message, "c9"));
  ck_assert_ptr_nonnull(strstr(f->message, "quantity 4"));
  world_free(w);
}
END_TEST

START_TEST(suspended_policies) {
  for (int zero = 0; zero <= 1; zero++) {
    world *w = world_new();
    lp_add(w, "1", "Sleepy", 0, 1, 0);
    row(w, "1", "c1", NULL);
    company(w, "c1", 1);
    agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
    line(w, "l1", "a1", 0, 9);
    evaluate(w, zero, 50, 0);
    if (zero) {
      /* An explicit policy: planned to 0, not held by the guardrail. */
      expect(w, "1", ST_PLANNED, "SUSPENDED", SEV_INFO, "zero");
      ck_assert_int_eq(find(w, "1")->new_quantity, 0);
    } else {
      expect(w, "1", ST_SKIPPED, "SUSPENDED", SEV_INFO, "skip");
    }
    world_free(w);
  }
}
END_TEST

START_TEST(guardrails) {
  /* old, new, max drop %, max growth %, min seats, allow -> status, rule */
  static const struct {
    long long old, seats;
    int max, grow, min_seats, allow;
    outcome_status st;
    const char *rule;
  } cases[] = {
      {10, 5, 50, 100, 0, 0, ST_PLANNED, NULL}, /* exactly 50%: allowed */
      {10, 4, 50, 100, 0, 0, ST_HELD, "LARGE_DECREASE"},  /* 60% */
      {10, 0, 100, 100, 0, 0, ST_HELD, "LARGE_DECREASE"}, /* to zero */
      {10, 0, 50, 100, 0, 1, ST_PLANNED, NULL}, /* --allow-large-decrease */
      {10, 9, 0, 100, 0, 0, ST_HELD, "LARGE_DECREASE"}, /* max 0, no min */
      {7, 7, 50, 100, 5, 0, ST_UNCHANGED, NULL},        /* in step */
      /* guardrail_min_seats: small counts are not held by percentages */
      {3, 1, 50, 100, 5, 0, ST_PLANNED, NULL},           /* -66%, 2 */
      {40, 4, 50, 100, 5, 0, ST_HELD, "LARGE_DECREASE"}, /* -90%, 36 */
      {10, 5, 40, 100, 5, 0, ST_HELD, "LARGE_DECREASE"}, /* exactly 5 */
      {9, 5, 40, 100, 5, 0, ST_PLANNED, NULL},           /* 4 seats */
      {10, 9, 0, 100, 5, 0, ST_PLANNED, NULL},           /* max 0, 1 */
      /* a drop to 0 is held from any count, even below the minimum */
      {6, 0, 100, 100, 5, 0, ST_HELD, "LARGE_DECREASE"},
      {2, 0, 100, 100, 5, 0, ST_HELD, "LARGE_DECREASE"},
      /* growth both ways: percentage AND seats */
      {64, 640, 50, 100, 5, 0, ST_HELD, "LARGE_INCREASE"}, /* +900% */
      {64, 128, 50, 100, 5, 0, ST_PLANNED, NULL},          /* +100% */
      {64, 129, 50, 100, 5, 0, ST_HELD, "LARGE_INCREASE"}, /* +101% */
      {2, 6, 50, 100, 5, 0, ST_PLANNED, NULL},             /* +200%, 4 */
      {2, 7, 50, 100, 5, 0, ST_HELD, "LARGE_INCREASE"},    /* +250%, 5 */
      {1000, 1400, 50, 100, 5, 0, ST_PLANNED, NULL},       /* +40% */
      {100, 300, 10, 100, 5, 0, ST_HELD, "LARGE_INCREASE"},
      {100, 300, 10, 1000, 5, 0, ST_PLANNED, NULL},
      {64, 640, 50, 100, 5, 1, ST_HELD, "LARGE_INCREASE"}, /* not a drop */
      /* from zero: more than any percentage once it is min_seats */
      {0, 4, 50, 100, 5, 0, ST_PLANNED, NULL},
      {0, 5, 50, 1000000, 5, 0, ST_HELD, "LARGE_INCREASE"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    world *w = world_new();
    lp_add(w, "1", "Alpha", 0, 0, cases[i].seats);
    row(w, "1", "c1", NULL);
    company(w, "c1", 1);
    agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
    line(w, "l1", "a1", 0, cases[i].old);
    plan_options opt = {.max_decrease_percent = cases[i].max,
                        .allow_large_decrease = cases[i].allow,
                        .as_of = "2026-11-25",
                        .max_increase_percent = cases[i].grow,
                        .min_seats = cases[i].min_seats};
    evaluate_with(w, &opt);
    const outcome *o = find(w, "1");
    ck_assert_msg(o->status == cases[i].st, "case %zu: %s", i,
                  outcome_status_name(o->status));
    ck_assert_int_eq(o->new_quantity, cases[i].seats);
    ck_assert_int_eq(o->has_target, 1);
    if (cases[i].rule) {
      const finding *f = rule(&o->findings, cases[i].rule);
      ck_assert_msg(f != NULL, "case %zu: no %s", i, cases[i].rule);
      ck_assert_int_eq(f->sev, SEV_WARNING);
      /* It says how to release it: this company's id. */
      ck_assert_ptr_nonnull(strstr(f->message, "--approve 1"));
    } else {
      ck_assert_ptr_null(rule(&o->findings, "LARGE_DECREASE"));
      ck_assert_ptr_null(rule(&o->findings, "LARGE_INCREASE"));
    }
    world_free(w);
  }
}
END_TEST

START_TEST(mapping_shrank_holds_every_change) {
  ck_assert(plan_mapping_shrank(10, 4));
  ck_assert(!plan_mapping_shrank(10, 5)); /* half: not more than half */
  ck_assert(plan_mapping_shrank(3, 1));
  ck_assert(!plan_mapping_shrank(3, 2));
  ck_assert(!plan_mapping_shrank(4, 9));
  ck_assert(!plan_mapping_shrank(0, 0));
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 11);
  lp_add(w, "2", "Beta", 0, 0, 7);
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  company(w, "c1", 1);
  company(w, "c2", 1);
  agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
  agreement(w, "a2", "c2", LPSA_PERIOD_NONE, 0);
  line(w, "l1", "a1", 0, 10);
  line(w, "l2", "a2", 0, 7);
  plan_options opt = {.max_decrease_percent = 50,
                      .as_of = "2026-11-25",
                      .max_increase_percent = 100,
                      .min_seats = 5,
                      .mapping_shrank = 1,
                      .mapping_rows = 2,
                      .mapping_rows_before = 9,
                      .mapping_rows_run = 41};
  evaluate_with(w, &opt);
  expect(w, "1", ST_HELD, "MAPPING_SHRANK", SEV_WARNING, "run 41");
  expect(w, "2", ST_UNCHANGED, NULL, 0, NULL); /* nothing to hold */
  ck_assert_ptr_nonnull(rule(&w->res.findings, "MAPPING_SHRANK"));
  ck_assert_ptr_nonnull(
      strstr(rule(&w->res.findings, "MAPPING_SHRANK")->message,
             "has 2 rows and had 9"));
  world_free(w);
}
END_TEST

START_TEST(approval_releases_named_companies_only) {
  world *w = world_new();
  static const char *const ids[] = {"1", "2", "3", "4", "5", "6"};
  static const char *const cs[] = {"c1", "c2", "c3", "c4", "c5", "c6"};
  static const char *const as[] = {"a1", "a2", "a3", "a4", "a5", "a6"};
  static const char *const ls[] = {"l1", "l2", "l3", "l4", "l5", "l6"};
  long long old[] = {40, 64, 8, 10, 7, 20}, now[] = {4, 640, 0, 11, 7, 2};
  for (int i = 0; i < 6; i++) {
    lp_add(w, ids[i], ids[i], 0, 0, now[i]);
    row(w, ids[i], cs[i], NULL);
    company(w, cs[i], 1);
    agreement(w, as[i], cs[i], LPSA_PERIOD_NONE, 0);
    line(w, ls[i], as[i], 0, old[i]);
  }
  w->lp.companies[2].has_record = 0; /* 3: NO_BILLING_RECORD */
  evaluate(w, 0, 50, 0);
  expect(w, "1", ST_HELD, "LARGE_DECREASE", SEV_WARNING, NULL);
  expect(w, "2", ST_HELD, "LARGE_INCREASE", SEV_WARNING, NULL);
  expect(w, "6", ST_HELD, "LARGE_DECREASE", SEV_WARNING, NULL);
  const char *approve[] = {"2", "3", "4", "5", "99", "1"};
  approval a = {approve, 6, "alice"};
  approval_use use[6];
  ck_assert_int_eq(approval_apply(&a, &w->res, use), 2);
  ck_assert_int_eq(use[0], APPROVAL_RELEASED);
  ck_assert_int_eq(use[1], APPROVAL_NO_TARGET);
  ck_assert_int_eq(use[2], APPROVAL_NOT_HELD); /* planned, 10 -> 11 */
  ck_assert_int_eq(use[3], APPROVAL_NOT_HELD); /* in step */
  ck_assert_int_eq(use[4], APPROVAL_UNKNOWN);
  ck_assert_int_eq(use[5], APPROVAL_RELEASED);
  /* Released: planned, who approved it, the finding now information. */
  const outcome *o = find(w, "2");
  ck_assert_int_eq(o->status, ST_PLANNED);
  ck_assert_str_eq(o->approved_by, "alice");
  const finding *f = rule(&o->findings, "LARGE_INCREASE");
  ck_assert_int_eq(f->sev, SEV_INFO);
  ck_assert_ptr_nonnull(strstr(f->message, "from 64 to 640"));
  ck_assert_ptr_nonnull(strstr(f->message, "; approved by alice"));
  ck_assert_ptr_null(strstr(f->message, "held"));
  /* Not named: still held. */
  expect(w, "6", ST_HELD, "LARGE_DECREASE", SEV_WARNING, NULL);
  ck_assert_ptr_null(find(w, "6")->approved_by);
  expect(w, "3", ST_HELD, "NO_BILLING_RECORD", SEV_WARNING, NULL);
  world_free(w);
}
END_TEST

START_TEST(approve_id_lists) {
  char **ids;
  size_t n;
  ck_assert_int_eq(approval_ids_parse("101, 102 ,103", &ids, &n), 0);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(ids[0], "101");
  ck_assert_str_eq(ids[1], "102");
  ck_assert_str_eq(ids[2], "103");
  approval_ids_free(ids, n);
  ck_assert_int_eq(approval_ids_parse("7", &ids, &n), 0);
  ck_assert_uint_eq(n, 1);
  approval_ids_free(ids, n);
  ck_assert_int_eq(approval_ids_parse("", &ids, &n), -1);
  ck_assert_int_eq(approval_ids_parse("1,,2", &ids, &n), -1);
  ck_assert_int_eq(approval_ids_parse("1, ", &ids, &n), -1);
}
END_TEST

START_TEST(no_billing_record_is_held) {
  world *w = world_new();
  lp_add(w, "1", "Alpha", 0, 0, 0);
  lp_add(w, "2", "Beta", 0, 0, 0);
  w->lp.companies[0].has_record = 0;
  w->lp.companies[1].has_record = 0;
  row(w, "1", "c1", NULL);
  row(w, "2", "c2", NULL);
  company(w, "c1", 1);
  company(w, "c2", 1);
  agreement(w, "a1", "c1", LPSA_PERIOD_NONE, 0);
  agreement(w, "a2", "c2", LPSA_PERIOD_NONE, 0);
  line(w, "l1", "a1", 0, 8);
  line(w, "l2", "a2", 0, 0);
  evaluate(w, 0, 50, 1); /* not even --allow-large-decrease writes it */
  expect(w, "1", ST_HELD, "NO_BILLING_RECORD", SEV_WARNING, "unknown");
  ck_assert(!find(w, "1")->has_target);
  expect(w, "2", ST_UNCHANGED, NULL, 0, NULL);
  world_free(w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rules");
  TCase *tc = tcase_create("rules");
  tcase_add_test(tc, in_step_planned_and_sorted);
  tcase_add_test(tc, unmapped_and_unknown_rows);
  tcase_add_test(tc, mapping_duplicates_both_ways);
  tcase_add_test(tc, company_missing_or_deleted);
  tcase_add_test(tc, sku_not_configured_and_product_not_found);
  tcase_add_test(tc, product_shared_by_skus);
  tcase_add_test(tc, agreements_none_several_pinned);
  tcase_add_test(tc, products_mismatch_period_prorate);
  tcase_add_test(tc, orphan_on_unmapped_company);
  tcase_add_test(tc, suspended_policies);
  tcase_add_test(tc, guardrails);
  tcase_add_test(tc, mapping_shrank_holds_every_change);
  tcase_add_test(tc, approval_releases_named_companies_only);
  tcase_add_test(tc, approve_id_lists);
  tcase_add_test(tc, no_billing_record_is_held);
  tcase_add_test(tc, driver_notes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
