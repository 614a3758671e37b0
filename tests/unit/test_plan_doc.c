/* SPDX-License-Identifier: MIT */
/*
 * test_plan_doc.c — the plan file (lpsa.plan/1): what it holds, that it
 * reads back to the same decisions and the same id, and that anything that
 * is not exactly what lpsa wrote is refused with a message naming the file.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpsa/model.h"
#include "plan_doc.h"

static const char conf_sha[] =
    "b3348288f5034e51496cf8d0f35640e5fbbdb483aafdb0d0aef392d8e5942146";
static const char map_sha[] =
    "dac5b5ee4992ab63df95d501237aa2f20bc241486d110912678a4199ae091e93";

static outcome *add(run_result *r, const char *id, const char *name,
                    outcome_status st, long long old, long long target) {
  outcome *o = run_result_add(r);
  ck_assert_ptr_nonnull(o);
  o->lastpass_id = strdup(id);
  o->lastpass_name = strdup(name);
  o->sku = LPSA_SKU_LASTPASS;
  o->seats = target;
  o->seats_known = 1;
  char buf[32];
  snprintf(buf, sizeof buf, "c%s", id);
  o->psa_company_id = strdup(buf);
  snprintf(buf, sizeof buf, "a%s", id);
  o->agreement_id = strdup(buf);
  snprintf(buf, sizeof buf, "l%s", id);
  o->line_id = strdup(buf);
  o->product = strdup("LastPass Business");
  o->product_id = strdup("p1");
  o->has_line = 1;
  o->old_quantity = old;
  o->has_target = 1;
  o->new_quantity = target;
  o->effective_date = strdup("2026-11-25");
  o->status = st;
  return o;
}

/* A plan of three companies: planned, held (with its hold), in step. */
static void sample(plan_meta *m, run_result *r) {
  memset(m, 0, sizeof *m);
  memset(r, 0, sizeof *r);
  strcpy(m->created, "2026-11-25T12:00:00Z");
  m->created_epoch = 1795608000;
  m->driver = strdup("connectwise");
  m->driver_name = strdup("connectwise");
  m->driver_version = strdup("1.0.0");
  m->psa = strdup("ConnectWise PSA");
  m->config_path = strdup("/etc/lpsa/lpsa.conf");
  strcpy(m->config_digest, conf_sha);
  m->mapping_path = strdup("/etc/lpsa/mapping.csv");
  strcpy(m->mapping_digest, map_sha);
  m->mapping_rows = 3;
  strcpy(m->cycle_start, "2026-11-01");
  strcpy(m->cycle_end, "2026-11-30");
  strcpy(m->as_of, "2026-11-25");
  m->made_by_run = 7;
  m->made_by = strdup("alice");
  add(r, "101", "Acme \"Inc\" Müller", ST_PLANNED, 10, 12);
  outcome *h = add(r, "102", "Jumps", ST_HELD, 64, 640);
  ck_assert_int_eq(findings_add(&h->findings, "LARGE_INCREASE", SEV_WARNING,
                                "the count would grow from 64 to 640; held: "
                                "check it"),
                   0);
  ck_assert_int_eq(
      findings_add(&h->findings, "PRORATE_AGREEMENT", SEV_WARNING, "prorates"),
      0);
  add(r, "103", "In Step", ST_UNCHANGED, 7, 7);
  ck_assert_int_eq(
      findings_add(&r->findings, "ORPHAN_BILLING", SEV_WARNING, "an orphan"),
      0);
}

/* Two plan keys: this lpsa's, and another's. */
static const plan_key key = {{1, 2, 3, 4, 5, 6, 7, 8}};
static const plan_key other = {{8, 7, 6, 5, 4, 3, 2, 1}};

static char *rendered(void) {
  plan_meta m;
  run_result r;
  sample(&m, &r);
  char *text = plan_doc_render(&m, &r, &key, NULL);
  ck_assert_ptr_nonnull(text);
  plan_meta_free(&m);
  run_result_free(&r);
  return text;
}

START_TEST(renders_what_a_reviewer_needs) {
  char *text = rendered();
  json_object *d = json_tokener_parse(text);
  ck_assert_ptr_nonnull(d);
  json_object *v, *c, *ch;
  ck_assert(json_object_object_get_ex(d, "schema", &v));
  ck_assert_str_eq(json_object_get_string(v), "lpsa.plan/1");
  ck_assert(json_object_object_get_ex(d, "plan_id", &v));
  ck_assert_int_eq(strncmp(json_object_get_string(v), "20261125-120000-", 16),
                   0);
  ck_assert_uint_eq(strlen(json_object_get_string(v)), 16 + 12);
  ck_assert(json_object_object_get_ex(d, "companies", &v));
  ck_assert_uint_eq(json_object_array_length(v), 3);
  c = json_object_array_get_idx(v, 1);
  ck_assert(json_object_object_get_ex(c, "change", &ch));
  ck_assert(json_object_object_get_ex(ch, "held", &v));
  ck_assert(json_object_get_boolean(v));
  ck_assert(json_object_object_get_ex(ch, "hold", &v));
  /* The hold only: not the other warnings of the company. */
  ck_assert_uint_eq(json_object_array_length(v), 1);
  c = json_object_array_get_idx(v, 0);
  ck_assert(json_object_object_get_ex(c, "code", &v));
  ck_assert_str_eq(json_object_get_string(v), "LARGE_INCREASE");
  ck_assert(json_object_object_get_ex(d, "companies", &v));
  c = json_object_array_get_idx(v, 2);
  ck_assert(json_object_object_get_ex(c, "change", &ch));
  ck_assert_ptr_null(ch); /* in step */
  json_object_put(d);
  free(text);
}
END_TEST

START_TEST(reads_back_the_same_plan) {
  char *text = rendered();
  plan_doc p;
  char err[1024];
  ck_assert_msg(
      plan_doc_parse(text, strlen(text), "x.json", &p, err, sizeof err) == 0,
      "%s", err);
  ck_assert_str_eq(p.meta.driver, "connectwise");
  ck_assert_str_eq(p.meta.config_digest, conf_sha);
  ck_assert_int_eq(p.meta.created_epoch, 1795608000);
  ck_assert_int_eq(p.meta.made_by_run, 7);
  ck_assert_uint_eq(p.res.n, 3);
  const outcome *o = &p.res.outcomes[1];
  ck_assert_str_eq(o->lastpass_id, "102");
  ck_assert_int_eq(o->status, ST_HELD);
  ck_assert_int_eq(o->old_quantity, 64);
  ck_assert_int_eq(o->new_quantity, 640);
  ck_assert_str_eq(o->line_id, "l102");
  ck_assert_uint_eq(o->findings.n, 2);
  ck_assert_str_eq(o->findings.items[0].code, "LARGE_INCREASE");
  ck_assert_int_eq(o->findings.items[0].sev, SEV_WARNING);
  ck_assert_str_eq(p.res.outcomes[0].lastpass_name, "Acme \"Inc\" Müller");
  ck_assert_uint_eq(p.res.findings.n, 1);
  /* Its tag verifies with the key it was made with, and only that one. */
  ck_assert_msg(plan_doc_verify(&p, &key, "x.json", err, sizeof err) == 0, "%s",
                err);
  ck_assert_int_eq(plan_doc_verify(&p, &other, "x.json", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "x.json: this plan was not made by this "
                                    "lpsa, or was edited"));
  /* Rendered again, it is the same document, id and tag included. */
  char *again = plan_doc_render(&p.meta, &p.res, &key, NULL);
  ck_assert_str_eq(again, text);
  free(again);
  plan_doc_free(&p);
  free(text);
}
END_TEST

/* Parse `text` with `from` replaced by `to`: refused, err holding `why`. */
static void refused(const char *from, const char *to, const char *why) {
  char *text = rendered();
  char *at = strstr(text, from);
  ck_assert_msg(at != NULL, "no %s in the plan", from);
  size_t len = strlen(text) - strlen(from) + strlen(to);
  char *edited = malloc(len + 1);
  memcpy(edited, text, (size_t)(at - text));
  strcpy(edited + (at - text), to);
  strcat(edited, at + strlen(from));
  plan_doc p;
  char err[1024] = "";
  ck_assert_int_eq(
      plan_doc_parse(edited, strlen(edited), "x.json", &p, err, sizeof err),
      -1);
  ck_assert_msg(strstr(err, why) != NULL, "no '%s' in: %s", why, err);
  ck_assert_msg(strncmp(err, "x.json ", 7) == 0, "no file name: %s", err);
  ck_assert_uint_eq(p.res.n, 0);
  free(edited);
  free(text);
}

START_TEST(refuses_what_lpsa_did_not_write) {
  refused("\"schema\":\"lpsa.plan/1\"", "\"schema\":\"lpsa.plan/2\"",
          "its schema is \"lpsa.plan/2\"");
  refused("\"old\":10", "\"old\":11", "differs from its company's");
  refused("\"old_quantity\":10", "\"old_quantity\":\"10\"",
          "companies[0].old_quantity has the wrong type");
  refused("\"status\":\"held\"", "\"status\":\"updated\"",
          "is not a planned outcome");
  refused("\"status\":\"held\"", "\"status\":\"planned\"",
          "differs from its company's counts or status");
  refused("\"sku\":\"lastpass\"", "\"sku\":\"lastpass_sso\"",
          "is not a LastPass SKU");
  refused("\"created\":\"2026-11-25T12:00:00Z\"",
          "\"created\":\"2026-13-25T12:00:00Z\"", "is not a UTC time");
  refused(conf_sha, "zz", "is not well formed");
  refused("\"severity\":\"warning\"", "\"severity\":\"loud\"",
          "no rule code or severity");
  refused("\"companies\":[", "\"companies\":{},\"extra\":[",
          "plan.companies has the wrong type");
  /* A consistent edit is caught by the id. */
  refused("\"name\":\"connectwise\"", "\"name\":\"connectwisf\"",
          "was changed after lpsa-host made it");
  refused("\"made_by\":\"alice\"", "\"made_by\":\"mallory\"",
          "was changed after lpsa-host made it");
}
END_TEST

/* A tag edited, or a plan whose id was made again after an edit (what a
 * forger can compute without the key), parses but does not verify. */
START_TEST(a_new_id_is_not_a_new_tag) {
  char *text = rendered();
  plan_doc p;
  char err[1024];
  char *tag = strstr(text, "\"tag\":\"");
  ck_assert_ptr_nonnull(tag);
  tag += strlen("\"tag\":\"");
  *tag = *tag == '0' ? '1' : '0';
  ck_assert_msg(
      plan_doc_parse(text, strlen(text), "x.json", &p, err, sizeof err) == 0,
      "%s", err);
  ck_assert_int_eq(plan_doc_verify(&p, &key, "x.json", err, sizeof err), -1);
  /* 12 -> 0 for company 101, rendered with a fresh id but the old tag. */
  char old_tag[PLAN_TAG_HEX_LEN];
  memcpy(old_tag, p.meta.tag, sizeof old_tag);
  p.res.outcomes[0].new_quantity = 0;
  char *forged = plan_doc_render(&p.meta, &p.res, &other, NULL);
  ck_assert_ptr_nonnull(forged);
  plan_doc_free(&p);
  char *at = strstr(forged, "\"tag\":\"");
  ck_assert_ptr_nonnull(at);
  memcpy(at + strlen("\"tag\":\""), old_tag, 64);
  ck_assert_msg(plan_doc_parse(forged, strlen(forged), "x.json", &p, err,
                               sizeof err) == 0,
                "%s", err);
  ck_assert_int_eq(plan_doc_verify(&p, &key, "x.json", err, sizeof err), -1);
  plan_doc_free(&p);
  free(forged);
  free(text);
}
END_TEST

START_TEST(refuses_what_is_not_json) {
  static const char *const bad[] = {
      "", "{", "[]", "42", "{} {}", "{\"schema\":\"lpsa.plan/1\"}"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    plan_doc p;
    char err[1024] = "";
    ck_assert_int_eq(
        plan_doc_parse(bad[i], strlen(bad[i]), "x.json", &p, err, sizeof err),
        -1);
    ck_assert_msg(strstr(err, "x.json is not a plan") != NULL, "%zu: %s", i,
                  err);
    ck_assert_msg(strstr(err, "lpsa-host plan") != NULL, "%zu: %s", i, err);
  }
}
END_TEST

START_TEST(load_names_the_file) {
  plan_doc p;
  char err[1024];
  ck_assert_int_eq(
      plan_doc_load("/nonexistent/plan.json", &key, &p, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "cannot read the plan /nonexistent/plan"));
  ck_assert_int_eq(plan_doc_load("/", &key, &p, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("plan_doc");
  TCase *tc = tcase_create("plan_doc");
  tcase_add_test(tc, renders_what_a_reviewer_needs);
  tcase_add_test(tc, reads_back_the_same_plan);
  tcase_add_test(tc, refuses_what_lpsa_did_not_write);
  tcase_add_test(tc, a_new_id_is_not_a_new_tag);
  tcase_add_test(tc, refuses_what_is_not_json);
  tcase_add_test(tc, load_names_the_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
