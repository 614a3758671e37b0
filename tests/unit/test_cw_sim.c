/* SPDX-License-Identifier: MIT */
/*
 * test_cw_sim.c — the ConnectWise PSA simulator: its pure parts (query
 * strings, fields, orderBy, paging and Link headers, fixtures, the world
 * generator), the whole request handler called directly (auth, clientId,
 * security roles, lists, counts, PATCH/PUT, errors, rate limit, codebase
 * move, domain faults), and the connectwise-sim program end to end through
 * tests/support/simproc.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "dataset.h"
#include "fields.h"
#include "generate.h"
#include "orderby.h"
#include "paging.h"
#include "query.h"
#include "sim_world.h"
#include "simproc.h"

#ifndef CW_FIXTURE_DIR
#define CW_FIXTURE_DIR "tests/sim/connectwise/fixtures"
#endif

#define ROOT "/v4_6_release/apis/3.0/"
#define NOW 1800000000.0 /* a fixed clock: 2027-01-15 */
/* base64("lpsademo+pubkey:privkey") */
#define GOOD_AUTH "Basic bHBzYWRlbW8rcHVia2V5OnByaXZrZXk="
#define HOST "cw.test:8443"

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(o != NULL, "not JSON: %s", text);
  return o;
}

static long get_long(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s", key);
  return (long)json_object_get_int64(v);
}

static const char *get_str(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s", key);
  return json_object_get_string(v);
}

/* ---- query strings ----------------------------------------------------- */

START_TEST(query_parse_and_build) {
  cw_query q;
  ck_assert_int_eq(cw_query_parse("a=1&conditions=name%20like%20%22x%25%22"
                                  "&b=c+d&flag&&PageSize=5&bad=%zz",
                                  &q),
                   0);
  ck_assert_uint_eq(q.n, 6);
  ck_assert_str_eq(cw_query_get(&q, "conditions"), "name like \"x%\"");
  ck_assert_str_eq(cw_query_get(&q, "b"), "c d");
  ck_assert_str_eq(cw_query_get(&q, "flag"), "");
  ck_assert_str_eq(cw_query_get(&q, "pagesize"), "5"); /* case-insensitive */
  ck_assert_str_eq(cw_query_get(&q, "bad"), "%zz");
  ck_assert_ptr_null(cw_query_get(&q, "missing"));
  char *s = cw_query_build(&q, "pageSize", "page", "2");
  ck_assert_str_eq(s, "a=1&conditions=name%20like%20%22x%25%22&b=c%20d&flag="
                      "&bad=%25zz&page=2");
  free(s);
  cw_query_free(&q);
  char *e = cw_url_encode("/a b/é'&", 1);
  ck_assert_str_eq(e, "/a%20b/%C3%A9%27%26");
  free(e);
  ck_assert_int_eq(cw_query_parse("", &q), 0);
  ck_assert_uint_eq(q.n, 0);
  s = cw_query_build(&q, NULL, "pageId", "7");
  ck_assert_str_eq(s, "pageId=7");
  free(s);
  cw_query_free(&q);
}
END_TEST

/* ---- fields ------------------------------------------------------------ */

static char *trimmed(const char *fields, const char *record) {
  cw_fields *f = NULL;
  json_object *rec = parse(record);
  ck_assert_int_eq(cw_fields_parse(fields, &f), 0);
  json_object *out = cw_fields_apply(f, rec);
  ck_assert_ptr_nonnull(out);
  char *text = strdup(json_object_to_json_string_ext(
      out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(out);
  json_object_put(rec);
  cw_fields_free(f);
  return text;
}

START_TEST(fields_trim) {
  const char *agr =
      "{\"id\":5,\"name\":\"MS\",\"company\":{\"id\":1,\"identifier\":\"A\","
      "\"name\":\"Acme\"},\"parentAgreement\":null,\"type\":{\"id\":1,"
      "\"name\":\"T\"},\"customFields\":[{\"id\":1,\"caption\":\"c\","
      "\"value\":2}]}";
  struct {
    const char *fields, *want;
  } cases[] = {
      {"id,name", "{\"id\":5,\"name\":\"MS\"}"},
      {" ID , Name ", "{\"id\":5,\"name\":\"MS\"}"},
      {"company/id", "{\"company\":{\"id\":1}}"},
      {"id,company/id,company/name",
       "{\"id\":5,\"company\":{\"id\":1,\"name\":\"Acme\"}}"},
      {"company,company/id",
       "{\"company\":{\"id\":1,\"identifier\":\"A\",\"name\":\"Acme\"}}"},
      {"parentAgreement/id", "{\"parentAgreement\":null}"},
      {"nosuchfield", "{}"},
      {"id,nosuch/deeper", "{\"id\":5}"},
      {"customFields/caption", "{\"customFields\":[{\"caption\":\"c\"}]}"},
      {"id/x", "{\"id\":5}"},
      {",,id,,", "{\"id\":5}"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *got = trimmed(cases[i].fields, agr);
    ck_assert_msg(strcmp(got, cases[i].want) == 0, "fields=%s: %s",
                  cases[i].fields, got);
    free(got);
  }
  cw_fields *f = (cw_fields *)&f;
  ck_assert_int_eq(cw_fields_parse("  ", &f), 0);
  ck_assert_ptr_null(f);
  char *all = trimmed(NULL, "{\"id\":1,\"a\":[1,2]}");
  ck_assert_str_eq(all, "{\"id\":1,\"a\":[1,2]}");
  free(all);
}
END_TEST

/* ---- orderBy ----------------------------------------------------------- */

static char *sorted_ids(const char *order, const char *records) {
  char err[256];
  cw_orderby *o = NULL;
  ck_assert_msg(
      cw_orderby_parse(order, &cw_schema_company, &o, err, sizeof(err)) == 0,
      "%s", err);
  json_object *arr = parse(records);
  size_t n = json_object_array_length(arr);
  json_object **recs = malloc(n * sizeof(*recs));
  for (size_t i = 0; i < n; i++)
    recs[i] = json_object_array_get_idx(arr, i);
  ck_assert_int_eq(cw_orderby_sort(o, recs, n), 0);
  char *out = calloc(1, 256);
  for (size_t i = 0; i < n; i++)
    snprintf(out + strlen(out), 256 - strlen(out), "%s%ld", i ? "," : "",
             get_long(recs[i], "id"));
  free(recs);
  json_object_put(arr);
  cw_orderby_free(o);
  return out;
}

START_TEST(orderby_sorts) {
  const char *recs = "[{\"id\":3,\"name\":\"beta\",\"status\":{\"id\":2}},"
                     "{\"id\":1,\"name\":\"Alpha\",\"status\":{\"id\":1}},"
                     "{\"id\":4,\"name\":\"ALPHA\",\"status\":null},"
                     "{\"id\":2,\"name\":\"gamma\",\"status\":{\"id\":1}}]";
  struct {
    const char *order, *want;
  } cases[] = {
      {NULL, "1,2,3,4"},
      {"id asc", "1,2,3,4"},
      {"id desc", "4,3,2,1"},
      {"name", "1,4,3,2"}, /* Alpha = ALPHA: tie broken by id */
      {"NAME DESC", "2,3,1,4"},
      {"status/id asc, id desc", "4,2,1,3"}, /* null first */
      {"status/id desc,name asc", "3,1,2,4"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *got = sorted_ids(cases[i].order, recs);
    ck_assert_msg(strcmp(got, cases[i].want) == 0, "orderBy=%s: %s",
                  cases[i].order, got);
    free(got);
  }
  const char *bad[] = {"nosuch asc", "name up",  "name asc extra",
                       "status",     "name,,id", "types desc"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cw_orderby *o = NULL;
    char err[256];
    ck_assert_msg(cw_orderby_parse(bad[i], &cw_schema_company, &o, err,
                                   sizeof(err)) == -1,
                  "accepted %s", bad[i]);
    ck_assert_ptr_nonnull(strstr(err, "orderBy"));
  }
  cw_orderby *o = NULL;
  char err[64];
  ck_assert_int_eq(
      cw_orderby_parse("id", &cw_schema_company, &o, err, sizeof(err)), 0);
  ck_assert(cw_orderby_is_id_asc(o));
  cw_orderby_free(o);
  ck_assert_int_eq(
      cw_orderby_parse("id desc", &cw_schema_company, &o, err, sizeof(err)), 0);
  ck_assert(!cw_orderby_is_id_asc(o));
  cw_orderby_free(o);
}
END_TEST

/* ---- paging ------------------------------------------------------------ */

static int paging_of(const char *raw, const char *ptype, cw_paging *pg,
                     char *err, size_t cap) {
  cw_query q;
  ck_assert_int_eq(cw_query_parse(raw, &q), 0);
  int rc = cw_paging_parse(&q, ptype, pg, err, cap);
  cw_query_free(&q);
  return rc;
}

START_TEST(paging_parameters) {
  cw_paging pg;
  char err[256];
  ck_assert_int_eq(paging_of("", NULL, &pg, err, sizeof(err)), 0);
  ck_assert_int_eq(pg.page, 1);
  ck_assert_int_eq(pg.page_size, 25);
  ck_assert_int_eq(pg.forward_only, 0);
  ck_assert_int_eq(paging_of("page=3&pageSize=1000", NULL, &pg, err, 256), 0);
  ck_assert_int_eq(pg.page, 3);
  ck_assert_int_eq(pg.page_size, 1000);
  ck_assert_int_eq(paging_of("pageSize=5000", NULL, &pg, err, 256), 0);
  ck_assert_int_eq(pg.page_size, 1000); /* clamped */
  ck_assert_int_eq(paging_of("pageId=77", "Forward-Only", &pg, err, 256), 0);
  ck_assert_int_eq(pg.forward_only, 1);
  ck_assert_int_eq(pg.page_id, 77);
  ck_assert_int_eq(paging_of("pageId=77", NULL, &pg, err, 256), 0);
  ck_assert_int_eq(pg.page_id, 0); /* ignored without the header */
  const char *bad[] = {
      "page=0",    "page=-1",      "page=x",    "pageSize=0",
      "pageSize=", "pageSize=10a", "pageId=-3", "page=99999999999999999999"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ck_assert_msg(paging_of(bad[i], "forward-only", &pg, err, 256) == -1,
                  "accepted %s", bad[i]);
}
END_TEST

START_TEST(paging_links) {
  cw_query q;
  ck_assert_int_eq(cw_query_parse("pageSize=10&page=1", &q), 0);
  int nomem = 1;
  const char *base = "https://h/v4_6_release/apis/3.0/company/companies";
  char *l = cw_link_navigable(base, &q, 1, 3, 2, &nomem);
  ck_assert_str_eq(l, "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=2>; rel=\"next\", "
                      "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=3>; rel=\"last\"");
  free(l);
  l = cw_link_navigable(base, &q, 2, 3, 3, &nomem);
  ck_assert_str_eq(l, "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=1>; rel=\"first\", "
                      "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=1>; rel=\"prev\", "
                      "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=3>; rel=\"next\", "
                      "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=10&page=3>; rel=\"last\"");
  free(l);
  l = cw_link_navigable(base, &q, 3, 3, 0, &nomem);
  ck_assert_ptr_nonnull(strstr(l, "page=2>; rel=\"prev\""));
  ck_assert_ptr_null(strstr(l, "rel=\"next\""));
  free(l);
  ck_assert_ptr_null(cw_link_navigable(base, &q, 1, 1, 0, &nomem));
  ck_assert_int_eq(nomem, 0);
  ck_assert_ptr_null(cw_link_navigable(base, &q, 1, 0, 0, &nomem));
  cw_query_free(&q);
  ck_assert_int_eq(cw_query_parse("pageSize=2&pageId=5&conditions=id%3E1", &q),
                   0);
  l = cw_link_forward(base, &q, 1042);
  ck_assert_str_eq(l, "<https://h/v4_6_release/apis/3.0/company/companies?"
                      "pageSize=2&conditions=id%3E1&pageId=1042>; "
                      "rel=\"next\"");
  free(l);
  cw_query_free(&q);
}
END_TEST

/* ---- fixtures ---------------------------------------------------------- */

static json_object *read_fixture(const char *name) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", CW_FIXTURE_DIR, name);
  json_object *fx = json_object_from_file(path);
  ck_assert_msg(fx != NULL, "cannot read %s", path);
  return fx;
}

static void load_fixture(cw_dataset *d, const char *name) {
  json_object *fx = read_fixture(name);
  char err[512];
  memset(d, 0, sizeof(*d));
  ck_assert_msg(cw_dataset_load(d, fx, err, sizeof(err)) == 0, "%s", err);
  json_object_put(fx);
}

START_TEST(fixture_loads_with_derived_fields) {
  cw_dataset d;
  load_fixture(&d, "small.json");
  ck_assert_uint_eq(json_object_array_length(d.companies), 17);
  json_object *a = cw_dataset_find(d.agreements, 5009), *v = NULL;
  ck_assert_str_eq(get_str(a, "agreementStatus"), "Cancelled");
  ck_assert(json_object_object_get_ex(a, "company", &v));
  ck_assert_str_eq(get_str(v, "name"), "D'Angelo Law Group");
  ck_assert_str_eq(get_str(v, "identifier"), "DAngeloLaw");
  ck_assert(json_object_object_get_ex(a, "noEndingDateFlag", &v));
  ck_assert(!json_object_get_boolean(v));
  /* additions take their agreement's status and computed prices */
  json_object *ad = cw_dataset_find(d.additions, 9010);
  ck_assert_str_eq(get_str(ad, "agreementStatus"), "Cancelled");
  ad = cw_dataset_find(d.additions, 9006); /* 40 less 5 included, at 8 */
  ck_assert_int_eq(get_long(ad, "billedQuantity"), 35);
  ck_assert_int_eq(get_long(ad, "extPrice"), 280);
  ck_assert_str_eq(get_str(ad, "extCost"), "192.5");
  json_object *p = NULL;
  ck_assert(json_object_object_get_ex(ad, "product", &p));
  ck_assert_int_eq(get_long(p, "id"), 701);
  /* every field of the reference is present on every record */
  const char *company_fields[] = {"id",    "identifier",  "name", "status",
                                  "types", "deletedFlag", "_info"};
  const char *agreement_fields[] = {"id",
                                    "name",
                                    "type",
                                    "company",
                                    "parentAgreement",
                                    "agreementStatus",
                                    "cancelledFlag",
                                    "startDate",
                                    "endDate",
                                    "noEndingDateFlag",
                                    "billingCycle",
                                    "billStartDate",
                                    "prorateFlag",
                                    "invoiceProratedAdditionsFlag",
                                    "periodType",
                                    "nextInvoiceDate"};
  const char *addition_fields[] = {"id",
                                   "product",
                                   "quantity",
                                   "lessIncluded",
                                   "unitPrice",
                                   "unitCost",
                                   "billCustomer",
                                   "effectiveDate",
                                   "cancelledDate",
                                   "agreementId",
                                   "description",
                                   "invoiceDescription",
                                   "billedQuantity",
                                   "uom",
                                   "extPrice",
                                   "extCost",
                                   "prorateCost",
                                   "proratePrice",
                                   "prorateCurrentPeriodFlag",
                                   "agreementStatus",
                                   "_info",
                                   "customFields"};
  const char *catalog_fields[] = {"id",           "identifier",   "description",
                                  "inactiveFlag", "productClass", "price",
                                  "cost",         "recurringFlag"};
  struct {
    json_object *arr;
    const char **names;
    size_t n;
  } sets[] = {
      {d.companies, company_fields, 7},
      {d.agreements, agreement_fields, 16},
      {d.additions, addition_fields, 22},
      {d.catalog, catalog_fields, 8},
  };
  for (size_t s = 0; s < 4; s++)
    for (size_t i = 0; i < json_object_array_length(sets[s].arr); i++)
      for (size_t f = 0; f < sets[s].n; f++)
        ck_assert_msg(
            json_object_object_get_ex(json_object_array_get_idx(sets[s].arr, i),
                                      sets[s].names[f], NULL),
            "record %zu of set %zu lacks %s", i, s, sets[s].names[f]);
  /* the index of additions by agreement */
  size_t first, count;
  cw_dataset_additions_of(&d, 5013, &first, &count);
  ck_assert_uint_eq(count, 2);
  cw_dataset_additions_of(&d, 4242, &first, &count);
  ck_assert_uint_eq(count, 0);
  cw_dataset_free(&d);
}
END_TEST

START_TEST(fixture_round_trip) {
  cw_dataset d, again;
  char err[256];
  load_fixture(&d, "small.json");
  json_object *dump = cw_dataset_dump(&d);
  memset(&again, 0, sizeof(again));
  ck_assert_int_eq(cw_dataset_load(&again, dump, err, sizeof(err)), 0);
  json_object *dump2 = cw_dataset_dump(&again);
  ck_assert(json_object_equal(dump, dump2));
  json_object_put(dump);
  json_object_put(dump2);
  cw_dataset_free(&d);
  cw_dataset_free(&again);
}
END_TEST

START_TEST(fixture_errors) {
  struct {
    const char *fixture, *expect;
  } cases[] = {
      {"[]", "top level must be a JSON object"},
      {"{\"companies\":{}}", "companies must be an array"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\"},{\"id\":1,\"name\":\"b\"}]}",
       "id 1 appears twice"},
      {"{\"companies\":[{\"id\":\"1\",\"name\":\"a\"}]}",
       "companies[0]: id must be a positive whole number"},
      {"{\"companies\":[{\"id\":1}]}", "name is required"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\",\"identifier\":\"X\"},"
       "{\"id\":2,\"name\":\"b\",\"identifier\":\"x\"}]}",
       "identifier x is used by another company"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\",\"identifier\":"
       "\"1234567890123456789012345678901\"}]}",
       "identifier is longer than 30"},
      {"{\"companies\":[{\"id\":1,\"name\":"
       "\"123456789012345678901234567890123456789012345678901\"}]}",
       "name is longer than 50"},
      {"{\"agreements\":[{\"id\":1,\"company\":{\"id\":9}}]}",
       "company id 9 is not in companies"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\"}],\"agreements\":[{\"id\":1,"
       "\"company\":{\"id\":1},\"startDate\":\"yesterday\"}]}",
       "startDate must be a date"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\"}],\"agreements\":[{\"id\":1,"
       "\"company\":{\"id\":1},\"agreementStatus\":\"Open\"}]}",
       "agreementStatus must be one of Active, Cancelled, Expired, Inactive"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\"}],\"agreements\":[{\"id\":1,"
       "\"company\":{\"id\":1},\"parentAgreement\":{\"id\":1}}]}",
       "parentAgreement 1 is not another agreement"},
      {"{\"companies\":[{\"id\":1,\"name\":\"a\"}],\"agreements\":[{\"id\":1,"
       "\"company\":{\"id\":1}}],\"additions\":[{\"id\":1,\"agreementId\":1,"
       "\"product\":{\"identifier\":\"NOPE\"}}]}",
       "product must name a catalog item"},
      {"{\"catalog\":[{\"id\":1,\"identifier\":\"P\"}],\"additions\":[{\"id\":"
       "1,\"agreementId\":7,\"product\":{\"id\":1}}]}",
       "agreementId must be the id of one of the agreements"},
      {"{\"catalog\":[{\"id\":1,\"identifier\":\"P\"},{\"id\":2,"
       "\"identifier\":\"p\"}]}",
       "identifier p is used by another catalog item"},
      {"{\"catalog\":[{\"id\":1,\"identifier\":\"P\",\"productClass\":\"X\"}]}",
       "productClass must be one of"},
      {"{\"catalog\":[{\"id\":1,\"identifier\":\"P\",\"price\":\"1\"}]}",
       "price must be a number"},
      {"{\"denied\":[1]}", "denied[0] must be a string"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cw_dataset d = {0};
    char err[512];
    json_object *fx = parse(cases[i].fixture);
    ck_assert_msg(cw_dataset_load(&d, fx, err, sizeof(err)) == -1,
                  "accepted %s", cases[i].fixture);
    ck_assert_msg(strstr(err, cases[i].expect) != NULL, "%s: [%s]",
                  cases[i].fixture, err);
    ck_assert_ptr_null(d.companies); /* left empty */
    json_object_put(fx);
  }
}
END_TEST

START_TEST(derived_identifiers_are_unique) {
  cw_dataset d = {0};
  char err[256];
  json_object *fx =
      parse("{\"companies\":[{\"id\":1,\"name\":\"Acme Corp\"},{\"id\":2,"
            "\"name\":\"Acme Corp\"},{\"id\":3,\"name\":\"acme corp.\"},"
            "{\"id\":4,\"name\":\"!!!\"},{\"id\":5,\"name\":"
            "\"Abcdefghijklmnopqrstuvwxyz0123456789\"},{\"id\":6,\"name\":"
            "\"Abcdefghijklmnopqrstuvwxyz0123456789 2\"}]}");
  ck_assert_int_eq(cw_dataset_load(&d, fx, err, sizeof(err)), 0);
  const char *want[] = {"AcmeCorp",
                        "AcmeCorp2",
                        "acmecorp3",
                        "Company",
                        "Abcdefghijklmnopqrstuvwxyz0123",
                        "Abcdefghijklmnopqrstuvwxyz0122"};
  for (int i = 0; i < 6; i++)
    ck_assert_str_eq(get_str(json_object_array_get_idx(d.companies, (size_t)i),
                             "identifier"),
                     want[i]);
  json_object_put(fx);
  cw_dataset_free(&d);
}
END_TEST

/* ---- the generator ----------------------------------------------------- */

START_TEST(generator_follows_the_world) {
  json_object *fx = cw_generate(7, 20, 60);
  ck_assert_ptr_nonnull(fx);
  cw_dataset d = {0};
  char err[256];
  ck_assert_msg(cw_dataset_load(&d, fx, err, sizeof(err)) == 0, "%s", err);
  json_object_put(fx);
  ck_assert_uint_eq(json_object_array_length(d.companies), 60 + 6);
  for (int i = 0; i < 60; i++) {
    sim_world_company w;
    sim_world_company_at(7, 20, i, &w);
    json_object *c = cw_dataset_find(d.companies, w.psa_company_id);
    ck_assert_ptr_nonnull(c);
    ck_assert(strlen(get_str(c, "identifier")) <= 30);
    /* exactly one Active agreement holding exactly one live LastPass
     * addition with the world's PSA quantity */
    int active = 0, live = 0;
    for (size_t k = 0; k < json_object_array_length(d.agreements); k++) {
      json_object *a = json_object_array_get_idx(d.agreements, k), *co = NULL;
      json_object_object_get_ex(a, "company", &co);
      if (get_long(co, "id") != w.psa_company_id ||
          strcmp(get_str(a, "agreementStatus"), "Active"))
        continue;
      active++;
      size_t first, count;
      cw_dataset_additions_of(&d, get_long(a, "id"), &first, &count);
      for (size_t j = first; j < first + count; j++) {
        json_object *ad = json_object_array_get_idx(d.additions,
                                                    d.by_agreement[j]),
                    *p;
        json_object *cd = NULL;
        json_object_object_get_ex(ad, "product", &p);
        json_object_object_get_ex(ad, "cancelledDate", &cd);
        const char *ident = get_str(p, "identifier");
        if (cd || strncmp(ident, "LASTPASS-", 9))
          continue;
        live++;
        ck_assert_str_eq(ident, w.mfa ? "LASTPASS-MFA" : "LASTPASS-BUS");
        ck_assert_int_eq(get_long(ad, "quantity"), w.psa_quantity);
      }
    }
    ck_assert_int_eq(active, 1);
    ck_assert_int_eq(live, 1);
  }
  cw_dataset_free(&d);
  /* the same arguments give the same dataset */
  json_object *a = cw_generate(7, 20, 30), *b = cw_generate(7, 20, 30);
  ck_assert(json_object_equal(a, b));
  json_object_put(a);
  json_object_put(b);
}
END_TEST

/* ---- the handler, called directly -------------------------------------- */

typedef struct headers {
  const char *lines[12]; /* "Name: value" */
} headers;

static const char *header_of(const void *ctx, const char *name) {
  const headers *h = ctx;
  size_t n = strlen(name);
  for (int i = 0; i < 12 && h->lines[i]; i++)
    if (strncasecmp(h->lines[i], name, n) == 0 && h->lines[i][n] == ':')
      return h->lines[i] + n + 2;
  return NULL;
}

typedef struct fixture_sim {
  cw_sim sim;
} fixture_sim;

static void sim_init(cw_sim *sim, const char *fixture) {
  memset(sim, 0, sizeof(*sim));
  cw_config_default(&sim->cfg);
  load_fixture(&sim->data, fixture);
}

/* One call. `extra` lines replace the default headers of the same name;
 * "Name:" alone removes one. */
static void call_h(cw_sim *sim, const char *method, const char *target,
                   const char *body, const char *const *extra,
                   const char *fault, double now, cw_response *resp) {
  headers h = {{0}};
  const char *defaults[] = {"Authorization: " GOOD_AUTH, "clientId: abc",
                            "Host: " HOST, "Content-Type: application/json",
                            NULL};
  int n = 0;
  for (int i = 0; defaults[i]; i++) {
    int replaced = 0;
    size_t name_len = strcspn(defaults[i], ":");
    for (int j = 0; extra && extra[j]; j++)
      replaced |= strncasecmp(extra[j], defaults[i], name_len + 1) == 0;
    if (!replaced)
      h.lines[n++] = defaults[i];
  }
  for (int j = 0; extra && extra[j]; j++)
    if (extra[j][strlen(extra[j]) - 1] != ':')
      h.lines[n++] = extra[j];
  char path[2048];
  const char *q = strchr(target, '?');
  size_t plen = q ? (size_t)(q - target) : strlen(target);
  memcpy(path, target, plen);
  path[plen] = '\0';
  cw_request req = {method,
                    path,
                    q ? q + 1 : "",
                    header_of,
                    &h,
                    body ? body : "",
                    body ? strlen(body) : 0,
                    fault,
                    now};
  memset(resp, 0, sizeof(*resp));
  cw_handle(sim, &req, resp);
}

static void call(cw_sim *sim, const char *method, const char *target,
                 const char *body, cw_response *resp) {
  call_h(sim, method, target, body, NULL, NULL, NOW, resp);
}

/* The body as JSON (a new reference). */
static json_object *body_of(const cw_response *r) {
  ck_assert_ptr_nonnull(r->body);
  return parse(r->body);
}

static void expect_error(const cw_response *r, int status, const char *code,
                         const char *piece) {
  ck_assert_msg(r->status == status, "status %d, want %d: %s", r->status,
                status, r->body);
  json_object *b = body_of(r);
  ck_assert_str_eq(get_str(b, "code"), code);
  ck_assert_msg(strstr(get_str(b, "message"), piece) != NULL,
                "message [%s] lacks [%s]", get_str(b, "message"), piece);
  json_object_put(b);
}

/* "1001,1002,..." of a list response. */
static void ids_of(const cw_response *r, char *out, size_t cap) {
  json_object *b = body_of(r);
  out[0] = '\0';
  ck_assert(json_object_is_type(b, json_type_array));
  for (size_t i = 0; i < json_object_array_length(b); i++)
    snprintf(out + strlen(out), cap - strlen(out), "%s%ld", i ? "," : "",
             get_long(json_object_array_get_idx(b, i), "id"));
  json_object_put(b);
}

START_TEST(discovery) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  call_h(&sim, "GET", "/login/companyinfo/LPSADEMO", NULL,
         (const char *[]){"Authorization:", "clientId:", NULL}, NULL, NOW, &r);
  ck_assert_int_eq(r.status, 200);
  json_object *b = body_of(&r);
  ck_assert_str_eq(get_str(b, "Codebase"), "v4_6_release/");
  ck_assert_str_eq(get_str(b, "CompanyID"), "lpsademo");
  ck_assert_str_eq(get_str(b, "VersionCode"), "v2025.1");
  ck_assert_int_eq(strncmp(get_str(b, "VersionNumber"), "v4.6.", 5), 0);
  ck_assert_str_eq(get_str(b, "IsCloud"), "true");
  ck_assert_ptr_nonnull(get_str(b, "CompanyName"));
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET", "/login/companyinfo/someoneelse", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "null");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "system/info", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  b = body_of(&r);
  ck_assert_int_eq(strncmp(get_str(b, "version"), "v2025.1", 7), 0);
  ck_assert_str_eq(get_str(b, "isCloud"), "true");
  ck_assert_ptr_nonnull(get_str(b, "serverTimeZone"));
  json_object_put(b);
  ck_assert_str_eq(cw_response_header(&r, "api-current-version"), "2025.1");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(authentication) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  const char *target = ROOT "company/companies";
  call_h(&sim, "GET", target, NULL, (const char *[]){"Authorization:", NULL},
         NULL, NOW, &r);
  expect_error(&r, 401, "Unauthorized", "Basic");
  cw_response_free(&r);
  /* base64("lpsademo+pubkey:wrong") */
  call_h(&sim, "GET", target, NULL,
         (const char *[]){"Authorization: Basic bHBzYWRlbW8rcHVia2V5Ondyb25n",
                          NULL},
         NULL, NOW, &r);
  expect_error(&r, 401, "Unauthorized", "wrong");
  cw_response_free(&r);
  call_h(&sim, "GET", target, NULL,
         (const char *[]){"Authorization: Basic !!!", NULL}, NULL, NOW, &r);
  expect_error(&r, 401, "Unauthorized", "base64");
  cw_response_free(&r);
  /* base64("LPSADEMO+pubkey:privkey"): the company is case-insensitive */
  call_h(&sim, "GET", target, NULL,
         (const char *[]){
             "Authorization: basic TFBTQURFTU8rcHVia2V5OnByaXZrZXk=", NULL},
         NULL, NOW, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  call_h(&sim, "GET", target, NULL, (const char *[]){"clientId:", NULL}, NULL,
         NOW, &r);
  expect_error(&r, 401, "Unauthorized", "clientId");
  cw_response_free(&r);
  sim.cfg.client_id = "6f0c1c4e-0000-4000-8000-000000000001";
  call(&sim, "GET", target, NULL, &r);
  expect_error(&r, 401, "Unauthorized", "clientId");
  cw_response_free(&r);
  call_h(
      &sim, "GET", target, NULL,
      (const char *[]){"clientId: 6F0C1C4E-0000-4000-8000-000000000001", NULL},
      NULL, NOW, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(cw_response_header(&r, "api-current-version"), "2025.1");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(security_roles) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "denied.json");
  call(&sim, "GET", ROOT "finance/agreements/5001/additions", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  call(&sim, "PATCH", ROOT "finance/agreements/5001/additions/9001",
       "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":1}]", &r);
  expect_error(&r, 403, "Unauthorized", "Finance > Agreements (Edit Level)");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "procurement/catalog?pageSize=1", NULL, &r);
  expect_error(&r, 403, "Unauthorized", "Procurement > Product Catalog");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "procurement/catalog/700", NULL, &r);
  ck_assert_int_eq(r.status, 403);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
  sim_init(&sim, "no-agreements-access.json");
  call(&sim, "GET", ROOT "finance/agreements", NULL, &r);
  expect_error(&r, 403, "Unauthorized", "Finance > Agreements (Inquire");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/count", NULL, &r);
  ck_assert_int_eq(r.status, 403);
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(navigable_paging) {
  cw_sim sim;
  cw_response r;
  char ids[512];
  sim_init(&sim, "small.json");
  call(&sim, "GET", ROOT "company/companies", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,"
                        "1011,1012,1013,1014,1015,1016,1017");
  ck_assert_ptr_null(cw_response_header(&r, "Link")); /* one page */
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?pageSize=5", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1001,1002,1003,1004,1005");
  ck_assert_str_eq(cw_response_header(&r, "Link"),
                   "<http://" HOST ROOT "company/companies?pageSize=5&page=2>; "
                   "rel=\"next\", <http://" HOST ROOT
                   "company/companies?pageSize=5&page=4>; rel=\"last\"");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?page=2&pageSize=5", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1006,1007,1008,1009,1010");
  ck_assert_str_eq(cw_response_header(&r, "Link"),
                   "<http://" HOST ROOT "company/companies?pageSize=5&page=1>; "
                   "rel=\"first\", <http://" HOST ROOT
                   "company/companies?pageSize=5&page=1>; rel=\"prev\", "
                   "<http://" HOST ROOT
                   "company/companies?pageSize=5&page=3>; rel=\"next\", "
                   "<http://" HOST ROOT
                   "company/companies?pageSize=5&page=4>; rel=\"last\"");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?pageSize=5&page=4", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1016,1017");
  ck_assert_ptr_null(strstr(cw_response_header(&r, "Link"), "next"));
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?pageSize=5&page=9", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?pageSize=5000", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(cw_response_header(&r, "Link"));
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?pageSize=0", NULL, &r);
  expect_error(&r, 400, "InvalidObject", "pageSize");
  cw_response_free(&r);
  /* conditions travel in the Link, encoded */
  call(&sim, "GET",
       ROOT "company/companies?conditions=name%20like%20%22%25a%25%22"
            "&pageSize=2&orderBy=name%20desc",
       NULL, &r);
  ck_assert_ptr_nonnull(strstr(cw_response_header(&r, "Link"),
                               "conditions=name%20like%20%22%25a%25%22&"
                               "pageSize=2&orderBy=name%20desc&page=2>"));
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

/* Follows forward-only pages; returns the ids seen. */
static void walk_forward(cw_sim *sim, const char *first, char *ids, size_t cap,
                         int *pages) {
  char target[1024];
  snprintf(target, sizeof(target), "%s", first);
  ids[0] = '\0';
  *pages = 0;
  for (;;) {
    cw_response r;
    call_h(sim, "GET", target, NULL,
           (const char *[]){"pagination-type: forward-only", NULL}, NULL, NOW,
           &r);
    ck_assert_int_eq(r.status, 200);
    char page_ids[512];
    ids_of(&r, page_ids, sizeof(page_ids));
    snprintf(ids + strlen(ids), cap - strlen(ids), "%s%s",
             ids[0] && page_ids[0] ? "," : "", page_ids);
    (*pages)++;
    const char *link = cw_response_header(&r, "Link");
    if (!link) {
      cw_response_free(&r);
      break;
    }
    ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
    ck_assert_ptr_null(strstr(link, "rel=\"last\""));
    const char *start = strstr(link, ROOT);
    const char *end = strchr(start, '>');
    snprintf(target, sizeof(target), "%.*s", (int)(end - start), start);
    cw_response_free(&r);
    ck_assert_int_lt(*pages, 50);
  }
}

START_TEST(forward_only_paging) {
  cw_sim sim;
  cw_response r;
  char ids[1024];
  int pages;
  sim_init(&sim, "small.json");
  walk_forward(&sim, ROOT "company/companies?pageSize=5", ids, sizeof(ids),
               &pages);
  ck_assert_str_eq(ids, "1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,"
                        "1011,1012,1013,1014,1015,1016,1017");
  ck_assert_int_eq(pages, 4);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&pageId=1003", NULL,
         (const char *[]){"pagination-type: forward-only", NULL}, NULL, NOW,
         &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1004,1005,1006,1007,1008");
  ck_assert_str_eq(cw_response_header(&r, "Link"),
                   "<http://" HOST ROOT
                   "company/companies?pageSize=5&pageId=1008>; rel=\"next\"");
  cw_response_free(&r);
  /* an exact multiple: the last full page has no next */
  walk_forward(&sim,
               ROOT "company/companies?pageSize=4&conditions=id%3C%3D1008", ids,
               sizeof(ids), &pages);
  ck_assert_str_eq(ids, "1001,1002,1003,1004,1005,1006,1007,1008");
  ck_assert_int_eq(pages, 2);
  call_h(&sim, "GET", ROOT "company/companies?orderBy=name", NULL,
         (const char *[]){"pagination-type: forward-only", NULL}, NULL, NOW,
         &r);
  expect_error(&r, 400, "InvalidObject", "forward-only");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(lists_counts_and_records) {
  cw_sim sim;
  cw_response r;
  char ids[512];
  sim_init(&sim, "small.json");
  call(&sim, "GET",
       ROOT "company/companies?conditions=name%3D%22acme%20corp%22", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1006,1007");
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "company/companies/count?conditions=name%20like%20%22acme%25%22",
       NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "{\"count\":2}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/count", NULL, &r);
  ck_assert_str_eq(r.body, "{\"count\":17}");
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "finance/agreements?conditions=company/id=1011%20and%20"
            "agreementStatus=%22Active%22&fields=id,name,company/id",
       NULL, &r);
  ck_assert_str_eq(r.body,
                   "[{\"id\":5011,\"name\":\"Managed Services\",\"company\":{"
                   "\"id\":1011}},{\"id\":5012,\"name\":\"Block Time\","
                   "\"company\":{\"id\":1011}}]");
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "finance/agreements/count?conditions="
            "agreementStatus%21%3D%22Active%22",
       NULL, &r);
  ck_assert_str_eq(r.body, "{\"count\":3}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?conditions=nosuch%3D1", NULL, &r);
  expect_error(&r, 400, "InvalidObject", "unknown field 'nosuch'");
  json_object *b = body_of(&r), *errors = NULL;
  ck_assert(json_object_object_get_ex(b, "errors", &errors));
  ck_assert_str_eq(get_str(json_object_array_get_idx(errors, 0), "field"),
                   "conditions");
  ck_assert_ptr_nonnull(strstr(get_str(b, "message"), "Syntax:"));
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/count?conditions=id%3D", NULL, &r);
  ck_assert_int_eq(r.status, 400);
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies?orderBy=bogus", NULL, &r);
  expect_error(&r, 400, "InvalidObject", "orderBy");
  cw_response_free(&r);
  /* childConditions and customFieldConditions are accepted and ignored */
  call(&sim, "GET",
       ROOT "company/companies/count?childConditions=x%3D1&"
            "customFieldConditions=caption%3D%22y%22",
       NULL, &r);
  ck_assert_str_eq(r.body, "{\"count\":17}");
  cw_response_free(&r);
  /* one record, trimmed */
  call(&sim, "GET", ROOT "company/companies/1015?fields=name", NULL, &r);
  ck_assert_str_eq(r.body, "{\"name\":\"Wingtip 'Toys' & Co \\\\ Partners\"}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/999", NULL, &r);
  expect_error(&r, 404, "NotFound", "Company with id 999 was not found");
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "procurement/catalog?conditions=identifier%20like%20"
            "%22LASTPASS-%25%22%20and%20inactiveFlag%3Dfalse",
       NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "700,701");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "procurement/catalog/702", NULL, &r);
  b = body_of(&r);
  ck_assert_str_eq(get_str(b, "inactiveFlag"), "true");
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET", ROOT "procurement/catalog/count", NULL, &r);
  ck_assert_str_eq(r.body, "{\"count\":6}");
  cw_response_free(&r);
  /* additions hang under their agreement */
  call(&sim, "GET", ROOT "finance/agreements/5013/additions", NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "9014,9015");
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "finance/agreements/5018/additions?conditions=cancelledDate%3Dnull"
            "%20or%20cancelledDate%3E%5B2026-11-01T00%3A00%3A00Z%5D",
       NULL, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "9021");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/count", NULL, &r);
  ck_assert_str_eq(r.body, "{\"count\":2}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/4242/additions", NULL, &r);
  expect_error(&r, 404, "NotFound", "Agreement with id 4242");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/9002", NULL, &r);
  expect_error(&r, 404, "NotFound", "Addition with id 9002");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5002/additions/9002", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(routing_errors) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  call(&sim, "DELETE", ROOT "company/companies/1001", NULL, &r);
  expect_error(&r, 405, "ConnectWiseApi", "does not support http method");
  ck_assert_str_eq(cw_response_header(&r, "Allow"), "GET");
  cw_response_free(&r);
  call(&sim, "POST", ROOT "finance/agreements/5001/additions", "{}", &r);
  ck_assert_int_eq(r.status, 405);
  cw_response_free(&r);
  call(&sim, "DELETE", ROOT "finance/agreements/5001/additions/9001", NULL, &r);
  ck_assert_int_eq(r.status, 405);
  ck_assert_str_eq(cw_response_header(&r, "Allow"), "GET, PATCH, PUT");
  cw_response_free(&r);
  const char *missing[] = {ROOT "company/nothing",
                           ROOT "company/companies/abc",
                           ROOT "finance/additions",
                           ROOT "finance/agreements/5001/additions/9001/x",
                           "/v2019_1/apis/3.0/company/companies",
                           "/v4_6_release/apis/2.0/company/companies",
                           "/",
                           ROOT};
  for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
    call(&sim, "GET", missing[i], NULL, &r);
    ck_assert_msg(r.status == 404, "%s: %d", missing[i], r.status);
    expect_error(&r, 404, "NotFound", "No HTTP resource");
    cw_response_free(&r);
  }
  /* path case and a trailing slash do not matter (IIS) */
  call(&sim, "GET", "/V4_6_RELEASE/APIs/3.0/Company/Companies/1001/", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

static const char *PATCH_Q =
    "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":15}]";

START_TEST(patch_updates_quantity) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  const char *target = ROOT "finance/agreements/5001/additions/9001";
  call(&sim, "PATCH", target, PATCH_Q, &r);
  ck_assert_msg(r.status == 200, "%s", r.body);
  json_object *b = body_of(&r), *info = NULL;
  ck_assert_int_eq(get_long(b, "quantity"), 15);
  ck_assert_int_eq(get_long(b, "extPrice"), 90);
  ck_assert_int_eq(get_long(b, "id"), 9001);
  ck_assert_int_eq(get_long(b, "agreementId"), 5001);
  ck_assert_str_eq(get_str(b, "effectiveDate"), "2025-01-01T00:00:00Z");
  ck_assert(json_object_object_get_ex(b, "_info", &info));
  ck_assert_str_eq(get_str(info, "lastUpdated"), "2027-01-15T08:00:00Z");
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET", target, NULL, &r);
  b = body_of(&r);
  ck_assert_int_eq(get_long(b, "quantity"), 15);
  json_object_put(b);
  cw_response_free(&r);
  /* "/quantity" works too, and several operations apply in order */
  call(&sim, "PATCH", target,
       "[{\"op\":\"replace\",\"path\":\"/quantity\",\"value\":16.5},"
       "{\"op\":\"test\",\"path\":\"quantity\",\"value\":16.5},"
       "{\"op\":\"replace\",\"path\":\"description\",\"value\":\"LP\"}]",
       &r);
  ck_assert_msg(r.status == 200, "%s", r.body);
  b = body_of(&r);
  ck_assert_str_eq(get_str(b, "quantity"), "16.5");
  ck_assert_int_eq(get_long(b, "extPrice"), 99);
  ck_assert_str_eq(get_str(b, "description"), "LP");
  json_object_put(b);
  cw_response_free(&r);
  /* the journal saw both changes */
  ck_assert_uint_eq(json_object_array_length(sim.data.changes), 2);
  json_object *e = json_object_array_get_idx(sim.data.changes, 0);
  ck_assert_int_eq(get_long(e, "additionId"), 9001);
  ck_assert_int_eq(get_long(e, "from"), 12);
  ck_assert_int_eq(get_long(e, "to"), 15);
  ck_assert_str_eq(get_str(e, "method"), "PATCH");
  /* an unchanged quantity is not journalled */
  call(&sim, "PATCH", target,
       "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":16.5}]", &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  ck_assert_uint_eq(json_object_array_length(sim.data.changes), 2);
  /* product can be replaced by identifier */
  call(&sim, "PATCH", target,
       "[{\"op\":\"replace\",\"path\":\"product\",\"value\":{\"identifier\":"
       "\"lastpass-mfa\"}}]",
       &r);
  ck_assert_msg(r.status == 200, "%s", r.body);
  b = body_of(&r);
  json_object *p = NULL;
  json_object_object_get_ex(b, "product", &p);
  ck_assert_int_eq(get_long(p, "id"), 701);
  ck_assert_str_eq(get_str(p, "identifier"), "LASTPASS-MFA");
  json_object_put(b);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(patch_refusals_change_nothing) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  const char *target = ROOT "finance/agreements/5001/additions/9001";
  struct {
    const char *body;
    int status;
    const char *piece;
  } cases[] = {
      {"{\"op\":\"replace\"}", 400, "array of operations"},
      {"[{\"op\":\"replace\",\"path\":\"quantity\"}]", 400, "needs a value"},
      {"[{\"path\":\"quantity\",\"value\":1}]", 400, "op and path"},
      {"[{\"op\":\"replace\",\"path\":\"nosuch\",\"value\":1}]", 400,
       "no field 'nosuch'"},
      {"[{\"op\":\"replace\",\"path\":\"extPrice\",\"value\":1}]", 400,
       "extPrice cannot be changed"},
      {"[{\"op\":\"replace\",\"path\":\"id\",\"value\":1}]", 400,
       "id cannot be changed"},
      {"[{\"op\":\"replace\",\"path\":\"agreementId\",\"value\":5002}]", 400,
       "agreementId cannot be changed"},
      {"[{\"op\":\"replace\",\"path\":\"product/id\",\"value\":701}]", 400,
       "no field"},
      {"[{\"op\":\"remove\",\"path\":\"quantity\"}]", 400,
       "op 'remove' is not supported"},
      {"[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":\"x\"}]", 400,
       "quantity must be a number"},
      {"[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":3},"
       "{\"op\":\"replace\",\"path\":\"effectiveDate\",\"value\":\"soon\"}]",
       400, "effectiveDate must be a date"},
      {"[{\"op\":\"replace\",\"path\":\"billCustomer\",\"value\":\"Maybe\"}]",
       400, "billCustomer must be one of"},
      {"[{\"op\":\"test\",\"path\":\"quantity\",\"value\":99},"
       "{\"op\":\"replace\",\"path\":\"quantity\",\"value\":3}]",
       409, "test failed"},
      {"[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":3}", 400,
       "not valid JSON"},
      {"[] trailing", 400, "not valid JSON"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    call(&sim, "PATCH", target, cases[i].body, &r);
    ck_assert_msg(r.status == cases[i].status, "%s: %d %s", cases[i].body,
                  r.status, r.body);
    json_object *b = body_of(&r);
    ck_assert_msg(strstr(get_str(b, "message"), cases[i].piece) != NULL,
                  "%s: %s", cases[i].body, r.body);
    json_object_put(b);
    cw_response_free(&r);
  }
  call_h(&sim, "PATCH", target, PATCH_Q,
         (const char *[]){"Content-Type: text/plain", NULL}, NULL, NOW, &r);
  expect_error(&r, 415, "UnsupportedMediaType", "text/plain");
  cw_response_free(&r);
  call_h(&sim, "PATCH", target, PATCH_Q,
         (const char *[]){"Content-Type:", NULL}, NULL, NOW, &r);
  ck_assert_int_eq(r.status, 415);
  cw_response_free(&r);
  call(&sim, "PATCH", ROOT "finance/agreements/5002/additions/9001", PATCH_Q,
       &r);
  expect_error(&r, 404, "NotFound", "not found on agreement 5002");
  cw_response_free(&r);
  call(&sim, "PATCH", ROOT "finance/agreements/4242/additions/9001", PATCH_Q,
       &r);
  expect_error(&r, 404, "NotFound", "Agreement with id 4242");
  cw_response_free(&r);
  /* nothing changed */
  call(&sim, "GET", target, NULL, &r);
  json_object *b = body_of(&r);
  ck_assert_int_eq(get_long(b, "quantity"), 12);
  json_object_put(b);
  cw_response_free(&r);
  ck_assert_uint_eq(json_object_array_length(sim.data.changes), 0);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(put_replaces_addition) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  const char *target = ROOT "finance/agreements/5003/additions/9003";
  /* 9003 has a future cancelledDate; a PUT that leaves it out clears it */
  call(&sim, "PUT", target,
       "{\"id\":1,\"agreementId\":2,\"product\":{\"id\":700},\"quantity\":30,"
       "\"unitPrice\":5}",
       &r);
  ck_assert_msg(r.status == 200, "%s", r.body);
  json_object *b = body_of(&r), *cd = (json_object *)&cd;
  ck_assert_int_eq(get_long(b, "id"), 9003);
  ck_assert_int_eq(get_long(b, "agreementId"), 5003);
  ck_assert_int_eq(get_long(b, "quantity"), 30);
  ck_assert_int_eq(get_long(b, "extPrice"), 150);
  ck_assert(json_object_object_get_ex(b, "cancelledDate", &cd));
  ck_assert_ptr_null(cd);
  json_object_put(b);
  cw_response_free(&r);
  json_object *e = json_object_array_get_idx(sim.data.changes, 0);
  ck_assert_str_eq(get_str(e, "method"), "PUT");
  ck_assert_int_eq(get_long(e, "to"), 30);
  call(&sim, "PUT", target, "{\"quantity\":3}", &r);
  expect_error(&r, 400, "InvalidObject", "product is required");
  b = body_of(&r);
  json_object *errors = NULL;
  ck_assert(json_object_object_get_ex(b, "errors", &errors));
  json_object *item = json_object_array_get_idx(errors, 0);
  ck_assert_str_eq(get_str(item, "code"), "MissingRequiredField");
  ck_assert_str_eq(get_str(item, "field"), "product");
  ck_assert_str_eq(get_str(item, "resource"), "addition");
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "PUT", target, "[1]", &r);
  ck_assert_int_eq(r.status, 400);
  cw_response_free(&r);
  call(&sim, "PUT", target, "{\"product\":{\"id\":700},\"quantity\":\"many\"}",
       &r);
  expect_error(&r, 400, "InvalidObject", "quantity must be a number");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(rate_limit) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  sim.cfg.rate_limit_per_min = 3;
  for (int i = 0; i < 3; i++) {
    call_h(&sim, "GET", ROOT "system/info", NULL, NULL, NULL, NOW + i, &r);
    ck_assert_int_eq(r.status, 200);
    cw_response_free(&r);
  }
  call_h(&sim, "GET", ROOT "system/info", NULL, NULL, NULL, NOW + 10, &r);
  expect_error(&r, 429, "ConnectWiseApi", "Too many requests");
  ck_assert_str_eq(cw_response_header(&r, "Retry-After"), "50");
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "system/info", NULL, NULL, NULL, NOW + 60.5, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(codebase_moves) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  sim.cfg.move_after = 2;
  for (int i = 0; i < 2; i++) {
    call(&sim, "GET", ROOT "system/info", NULL, &r);
    ck_assert_int_eq(r.status, 200);
    cw_response_free(&r);
  }
  call(&sim, "GET", ROOT "system/info", NULL, &r);
  ck_assert_int_eq(r.status, 404);
  cw_response_free(&r);
  call(&sim, "GET", "/login/companyinfo/lpsademo", NULL, &r);
  json_object *b = body_of(&r);
  ck_assert_str_eq(get_str(b, "Codebase"), "v2025_1/");
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET", "/v2025_1/apis/3.0/company/companies/1001", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
  /* another starting codebase */
  sim_init(&sim, "small.json");
  sim.cfg.codebase = "v2025_1/";
  call(&sim, "GET", ROOT "system/info", NULL, &r);
  ck_assert_int_eq(r.status, 404);
  cw_response_free(&r);
  call(&sim, "GET", "/v2025_1/apis/3.0/system/info", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(domain_faults) {
  cw_sim sim;
  cw_response r;
  char ids[512];
  sim_init(&sim, "small.json");
  const char *list = ROOT "company/companies?pageSize=5&page=2";
  call_h(&sim, "GET", list, NULL, NULL, "page_loop", NOW, &r);
  ck_assert_ptr_nonnull(strstr(cw_response_header(&r, "Link"),
                               "pageSize=5&page=1>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&page=4", NULL, NULL,
         "page_loop", NOW, &r);
  ck_assert_ptr_nonnull(
      strstr(cw_response_header(&r, "Link"), "page=1>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", list, NULL, NULL, "duplicate_ids", NOW, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1005,1006,1007,1008,1009,1010");
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5", NULL, NULL,
         "duplicate_ids", NOW, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1001,1002,1003,1004,1005,1001");
  cw_response_free(&r);
  call_h(&sim, "GET", list, NULL, NULL, "empty_page", NOW, &r);
  ck_assert_str_eq(r.body, "[]");
  ck_assert_ptr_nonnull(
      strstr(cw_response_header(&r, "Link"), "page=3>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&page=4", NULL, NULL,
         "empty_page", NOW, &r);
  ck_assert_ptr_nonnull(
      strstr(cw_response_header(&r, "Link"), "page=5>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&pageId=1005", NULL,
         (const char *[]){"pagination-type: forward-only", NULL}, "page_loop",
         NOW, &r);
  ck_assert_ptr_nonnull(
      strstr(cw_response_header(&r, "Link"), "pageId=0>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&pageId=1005", NULL,
         (const char *[]){"pagination-type: forward-only", NULL},
         "duplicate_ids", NOW, &r);
  ids_of(&r, ids, sizeof(ids));
  ck_assert_str_eq(ids, "1005,1006,1007,1008,1009,1010");
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=5&pageId=1005", NULL,
         (const char *[]){"pagination-type: forward-only", NULL}, "empty_page",
         NOW, &r);
  ck_assert_str_eq(r.body, "[]");
  ck_assert_ptr_nonnull(
      strstr(cw_response_header(&r, "Link"), "pageId=1005>; rel=\"next\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "finance/agreements/5001/additions", NULL, NULL,
         "wrong_types", NOW, &r);
  json_object *b = body_of(&r);
  json_object *q = NULL;
  json_object_object_get_ex(json_object_array_get_idx(b, 0), "quantity", &q);
  ck_assert(json_object_is_type(q, json_type_string));
  ck_assert_str_eq(json_object_get_string(q), "12");
  json_object_put(b);
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies/1001", NULL, NULL, "wrong_types",
         NOW, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"id\":\"1001\""));
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies?pageSize=2", NULL, NULL,
         "missing_fields", NOW, &r);
  b = body_of(&r);
  ck_assert_uint_eq(json_object_array_length(b), 2);
  for (size_t i = 0; i < 2; i++) {
    json_object *rec = json_object_array_get_idx(b, i);
    ck_assert(!json_object_object_get_ex(rec, "id", NULL));
    ck_assert(json_object_object_get_ex(rec, "identifier", NULL));
  }
  json_object_put(b);
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies/count", NULL, NULL, "wrong_types",
         NOW, &r);
  ck_assert_str_eq(r.body, "{\"count\":\"17\"}");
  cw_response_free(&r);
  call_h(&sim, "GET", ROOT "company/companies/count", NULL, NULL,
         "missing_fields", NOW, &r);
  ck_assert_str_eq(r.body, "{}");
  cw_response_free(&r);
  /* faults never reach the stored data */
  call(&sim, "GET", ROOT "company/companies/1001", NULL, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"id\":1001,"));
  cw_response_free(&r);
  call_h(&sim, "PATCH", ROOT "finance/agreements/5001/additions/9001", PATCH_Q,
         NULL, "wrong_types", NOW, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"quantity\":\"15\""));
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/9001", NULL, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"quantity\":15,"));
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

START_TEST(omit_nulls) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/9001", NULL, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"cancelledDate\":null"));
  cw_response_free(&r);
  sim.cfg.omit_nulls = 1;
  call(&sim, "GET", ROOT "finance/agreements/5001/additions/9001", NULL, &r);
  ck_assert_ptr_null(strstr(r.body, "cancelledDate"));
  ck_assert_ptr_nonnull(strstr(r.body, "\"quantity\":12"));
  cw_response_free(&r);
  call(&sim, "GET", ROOT "finance/agreements/5001", NULL, &r);
  ck_assert_ptr_null(strstr(r.body, "parentAgreement"));
  ck_assert_ptr_null(strstr(r.body, "endDate"));
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

/* ---- the program, end to end ------------------------------------------- */

static const char *const AUTH_HEADERS[] = {
    "Authorization: " GOOD_AUTH, "clientId: e2e-client",
    "Content-Type: application/json", NULL};

static void http(const simproc *sp, const char *method, const char *path,
                 const char *body, simproc_http_result *res) {
  char url[2048];
  snprintf(url, sizeof(url), "%s%s", sp->base_url, path);
  ck_assert_msg(simproc_http(method, url, AUTH_HEADERS, body, 10000, res) == 0,
                "%s %s: no answer", method, url);
}

static void start_sim(simproc *sp, const char *fixture,
                      const char *const *more) {
  char path[1024], err[1024];
  const char *args[32];
  int n = 0;
  if (fixture) {
    snprintf(path, sizeof(path), "%s/%s", CW_FIXTURE_DIR, fixture);
    args[n++] = "--fixture";
    args[n++] = path;
  }
  for (int i = 0; more && more[i]; i++)
    args[n++] = more[i];
  args[n] = NULL;
  ck_assert_msg(simproc_start(sp, "connectwise-sim", args, err, sizeof(err)) ==
                    0,
                "%s", err);
}

START_TEST(program_end_to_end) {
  simproc sp;
  simproc_http_result res;
  char link[2048];
  start_sim(&sp, "small.json", NULL);
  http(&sp, "GET", "/login/companyinfo/lpsademo", NULL, &res);
  ck_assert_int_eq(res.status, 200);
  ck_assert_ptr_nonnull(strstr(res.body, "\"Codebase\":\"v4_6_release/\""));
  simproc_http_result_free(&res);
  http(&sp, "GET", ROOT "company/companies?pageSize=10", NULL, &res);
  ck_assert_int_eq(res.status, 200);
  ck_assert_ptr_nonnull(strstr(res.content_type, "application/json"));
  ck_assert_int_eq(simproc_http_header(&res, "Link", link, sizeof(link)), 0);
  ck_assert_ptr_nonnull(strstr(link, "page=2>; rel=\"next\""));
  ck_assert_ptr_nonnull(strstr(link, "http://127.0.0.1:"));
  ck_assert_int_eq(
      simproc_http_header(&res, "api-current-version", link, sizeof(link)), 0);
  simproc_http_result_free(&res);
  http(&sp, "PATCH", ROOT "finance/agreements/5001/additions/9001", PATCH_Q,
       &res);
  ck_assert_int_eq(res.status, 200);
  simproc_http_result_free(&res);
  json_object *state = simproc_get_state(&sp), *changes = NULL;
  ck_assert_ptr_nonnull(state);
  ck_assert(json_object_object_get_ex(state, "changes", &changes));
  ck_assert_uint_eq(json_object_array_length(changes), 1);
  json_object_put(state);
  /* an app-specific fault action reaches the handler */
  ck_assert_int_eq(simproc_set_faults(&sp,
                                      "[{\"path_prefix\":\"" ROOT
                                      "finance\",\"action\":\"wrong_types\","
                                      "\"times\":1}]"),
                   0);
  http(&sp, "GET", ROOT "finance/agreements/5001/additions/9001", NULL, &res);
  ck_assert_ptr_nonnull(strstr(res.body, "\"quantity\":\"15\""));
  simproc_http_result_free(&res);
  http(&sp, "GET", ROOT "finance/agreements/5001/additions/9001", NULL, &res);
  ck_assert_ptr_nonnull(strstr(res.body, "\"quantity\":15"));
  simproc_http_result_free(&res);
  /* a 429 with Retry-After from the generic fault rules */
  ck_assert_int_eq(simproc_set_faults(&sp, "[{\"status\":429,\"headers\":{"
                                           "\"Retry-After\":\"2\"},\"times\":"
                                           "1}]"),
                   0);
  http(&sp, "GET", ROOT "system/info", NULL, &res);
  ck_assert_int_eq(res.status, 429);
  ck_assert_int_eq(simproc_http_header(&res, "Retry-After", link, sizeof(link)),
                   0);
  ck_assert_str_eq(link, "2");
  simproc_http_result_free(&res);
  /* replacing the state takes effect; a bad state is refused */
  ck_assert_int_eq(
      simproc_put_state(&sp, "{\"denied\":[\"company/companies\"]}"), 0);
  http(&sp, "GET", ROOT "company/companies", NULL, &res);
  ck_assert_int_eq(res.status, 403);
  simproc_http_result_free(&res);
  ck_assert_int_eq(simproc_put_state(&sp, "{\"companies\":[{\"id\":1}]}"), -1);
  ck_assert_int_eq(simproc_send_json(&sp, "POST", "/_sim/codebase/move", "{}"),
                   0);
  http(&sp, "GET", "/login/companyinfo/lpsademo", NULL, &res);
  ck_assert_ptr_nonnull(strstr(res.body, "\"Codebase\":\"v2025_1/\""));
  simproc_http_result_free(&res);
  ck_assert_int_eq(simproc_stop(&sp), 0);
}
END_TEST

START_TEST(program_options) {
  simproc sp;
  simproc_http_result res;
  const char *opts[] = {"--generate",
                        "40",
                        "--seed",
                        "3",
                        "--codebase",
                        "v2025_1/",
                        "--client-id",
                        "e2e-client",
                        "--move-codebase-after",
                        "1",
                        "--new-codebase",
                        "v2026_1/",
                        "--omit-nulls",
                        "--rate-limit-per-min",
                        "3",
                        NULL};
  start_sim(&sp, NULL, opts);
  http(&sp, "GET", "/v2025_1/apis/3.0/company/companies/count", NULL, &res);
  ck_assert_int_eq(res.status, 200);
  ck_assert_str_eq(res.body, "{\"count\":44}");
  simproc_http_result_free(&res);
  http(&sp, "GET", "/v2025_1/apis/3.0/company/companies/count", NULL, &res);
  ck_assert_int_eq(res.status, 404);
  simproc_http_result_free(&res);
  http(&sp, "GET", "/v2026_1/apis/3.0/company/companies/count", NULL, &res);
  ck_assert_int_eq(res.status, 200);
  simproc_http_result_free(&res);
  /* --omit-nulls: the live addition has no cancelledDate member at all */
  http(&sp, "GET",
       "/v2026_1/apis/3.0/finance/agreements/1000000/additions/"
       "2000000",
       NULL, &res);
  ck_assert_int_eq(res.status, 200);
  ck_assert_ptr_null(strstr(res.body, "cancelledDate"));
  ck_assert_ptr_nonnull(strstr(res.body, "\"quantity\":"));
  simproc_http_result_free(&res);
  /* --rate-limit-per-min 3: the fourth API request this minute is a 429 */
  char retry[32];
  http(&sp, "GET", "/v2026_1/apis/3.0/system/info", NULL, &res);
  ck_assert_int_eq(res.status, 429);
  ck_assert_int_eq(
      simproc_http_header(&res, "Retry-After", retry, sizeof(retry)), 0);
  ck_assert_int_gt(atoi(retry), 0);
  ck_assert_int_le(atoi(retry), 60);
  simproc_http_result_free(&res);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  /* bad options and fixtures stop the program with a message */
  char err[1024];
  const char *bad1[] = {"--codebase", "v1", NULL};
  ck_assert_int_eq(
      simproc_start(&sp, "connectwise-sim", bad1, err, sizeof(err)), -1);
  char path[1024];
  snprintf(path, sizeof(path), "%s/../CMakeLists.txt", CW_FIXTURE_DIR);
  const char *bad2[] = {"--fixture", path, NULL};
  ck_assert_int_eq(
      simproc_start(&sp, "connectwise-sim", bad2, err, sizeof(err)), -1);
}
END_TEST

/* ---- URL length, company statuses, null quantities --------------------- */

/* A GET of `path` padded with a query parameter to exactly `len` characters
 * of whole URL ("http://" HOST path "?" query). */
static void call_len(cw_sim *sim, const char *path, size_t len,
                     cw_response *r) {
  size_t fixed = strlen("http://" HOST) + strlen(path) + strlen("?pad=");
  ck_assert_uint_gt(len, fixed);
  char *target = malloc(len + 1);
  ck_assert_ptr_nonnull(target);
  int n = snprintf(target, len + 1, "%s?pad=", path);
  memset(target + n, 'a', len - fixed);
  target[n + (len - fixed)] = '\0';
  call(sim, "GET", target, NULL, r);
  free(target);
}

START_TEST(url_length_limit) {
  cw_sim sim;
  cw_response r;
  sim_init(&sim, "small.json");
  call_len(&sim, ROOT "company/companies", CW_MAX_URL, &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  call_len(&sim, ROOT "company/companies", CW_MAX_URL + 1, &r);
  expect_error(&r, 414, "RequestUriTooLong", "2001 characters long");
  cw_response_free(&r);
  /* the whole URL counts, discovery included, and https is longer */
  call_len(&sim, "/login/companyinfo/lpsademo", CW_MAX_URL + 1, &r);
  ck_assert_int_eq(r.status, 414);
  cw_response_free(&r);
  sim.cfg.tls = 1;
  call_len(&sim, ROOT "company/companies", CW_MAX_URL, &r);
  expect_error(&r, 414, "RequestUriTooLong", "2001 characters long");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
}
END_TEST

/* Custom statuses as MSPs add them, a company on a status since deleted,
 * and additions whose quantity is null or fractional. */
static const char FIDELITY[] =
    "{\"statuses\":[{\"id\":1,\"name\":\"Active\",\"defaultFlag\":true},"
    "{\"id\":2,\"name\":\"Inactive\",\"inactiveFlag\":true},"
    "{\"id\":3,\"name\":\"Not-Approved\",\"inactiveFlag\":true},"
    "{\"id\":6,\"name\":\"Former Client\",\"inactiveFlag\":true},"
    "{\"id\":7,\"name\":\"Onboarding\"}],"
    "\"catalog\":[{\"id\":700,\"identifier\":\"LASTPASS-BUS\"}],"
    "\"companies\":[{\"id\":1013,\"name\":\"Former\",\"status\":{\"id\":6}},"
    "{\"id\":1014,\"name\":\"Gone\",\"status\":{\"id\":99}},"
    "{\"id\":1015,\"name\":\"New\",\"status\":{\"name\":\"onboarding\"}}],"
    "\"agreements\":[{\"id\":5016,\"company\":{\"id\":1015}}],"
    "\"additions\":[{\"id\":9030,\"agreementId\":5016,\"product\":{\"id\":700},"
    "\"quantity\":null},{\"id\":9031,\"agreementId\":5016,\"product\":{"
    "\"id\":700},\"quantity\":33.4},{\"id\":9032,\"agreementId\":5016,"
    "\"product\":{\"id\":700},\"quantity\":1.55}]}";

static void sim_init_text(cw_sim *sim, const char *fixture) {
  char err[512];
  memset(sim, 0, sizeof(*sim));
  cw_config_default(&sim->cfg);
  json_object *fx = parse(fixture);
  ck_assert_msg(cw_dataset_load(&sim->data, fx, err, sizeof(err)) == 0, "%s",
                err);
  json_object_put(fx);
}

START_TEST(company_statuses) {
  cw_sim sim;
  cw_response r;
  sim_init_text(&sim, FIDELITY);
  call(&sim, "GET",
       ROOT "company/companies/statuses?fields=id,name,inactiveFlag&"
            "orderBy=id",
       NULL, &r);
  ck_assert_int_eq(r.status, 200);
  json_object *b = body_of(&r);
  ck_assert_uint_eq(json_object_array_length(b), 5);
  int former = 0, onboarding = 0;
  for (size_t i = 0; i < json_object_array_length(b); i++) {
    json_object *st = json_object_array_get_idx(b, i), *f = NULL;
    ck_assert(json_object_object_get_ex(st, "inactiveFlag", &f));
    if (!strcmp(get_str(st, "name"), "Former Client"))
      former = json_object_get_boolean(f) ? 1 : -1;
    if (!strcmp(get_str(st, "name"), "Onboarding"))
      onboarding = json_object_get_boolean(f) ? -1 : 1;
  }
  ck_assert_int_eq(former, 1);     /* custom and inactive */
  ck_assert_int_eq(onboarding, 1); /* custom and active */
  json_object_put(b);
  cw_response_free(&r);
  call(&sim, "GET",
       ROOT "company/companies/statuses/count?conditions=inactiveFlag=true",
       NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "{\"count\":3}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/statuses/6", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"inactiveFlag\":true"));
  cw_response_free(&r);
  call(&sim, "POST", ROOT "company/companies/statuses", "{}", &r);
  ck_assert_int_eq(r.status, 405);
  cw_response_free(&r);
  /* a company's status is a reference {id, name} to that list */
  call(&sim, "GET", ROOT "company/companies/1013?fields=status", NULL, &r);
  ck_assert_str_eq(r.body,
                   "{\"status\":{\"id\":6,\"name\":\"Former Client\"}}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/1014?fields=status", NULL, &r);
  ck_assert_str_eq(r.body, "{\"status\":{\"id\":99,\"name\":\"Unknown\"}}");
  cw_response_free(&r);
  call(&sim, "GET", ROOT "company/companies/1015?fields=status", NULL, &r);
  ck_assert_str_eq(r.body, "{\"status\":{\"id\":7,\"name\":\"Onboarding\"}}");
  cw_response_free(&r);
  cw_dataset_free(&sim.data);
  /* a status named that the list lacks is a fixture error; the default
   * list applies without "statuses" */
  cw_dataset d = {0};
  char err[512];
  json_object *fx = parse("{\"companies\":[{\"id\":1,\"name\":\"A\",\"status\":"
                          "{\"name\":\"Gone\"}}]}");
  ck_assert_int_eq(cw_dataset_load(&d, fx, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "status Gone is not one of the statuses"));
  json_object_put(fx);
  fx = parse("{\"companies\":[{\"id\":1,\"name\":\"A\",\"status\":{\"name\":"
             "\"not-approved\"}}]}");
  ck_assert_int_eq(cw_dataset_load(&d, fx, err, sizeof(err)), 0);
  json_object *st = NULL, *c = json_object_array_get_idx(d.companies, 0);
  ck_assert(json_object_object_get_ex(c, "status", &st));
  ck_assert_int_eq(get_long(st, "id"), 3);
  ck_assert_str_eq(get_str(st, "name"), "Not-Approved");
  json_object_put(fx);
  cw_dataset_free(&d);
}
END_TEST

START_TEST(null_and_fractional_quantities) {
  cw_sim sim;
  cw_response r;
  sim_init_text(&sim, FIDELITY);
  /* served as given: null stays null, a fraction stays that fraction */
  call(&sim, "GET", ROOT "finance/agreements/5016/additions?fields=id,quantity",
       NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "[{\"id\":9030,\"quantity\":null},"
                           "{\"id\":9031,\"quantity\":33.4},"
                           "{\"id\":9032,\"quantity\":1.55}]");
  cw_response_free(&r);
  call(&sim, "PATCH", ROOT "finance/agreements/5016/additions/9031",
       "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":2.75}]", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"quantity\":2.75"));
  cw_response_free(&r);
  call(&sim, "PATCH", ROOT "finance/agreements/5016/additions/9030",
       "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":4}]", &r);
  ck_assert_int_eq(r.status, 200);
  cw_response_free(&r);
  json_object *dump = cw_dataset_dump(&sim.data), *changes = NULL;
  ck_assert(json_object_object_get_ex(dump, "changes", &changes));
  size_t n = json_object_array_length(changes);
  ck_assert_uint_eq(n, 2);
  ck_assert_ptr_nonnull(
      strstr(json_object_to_json_string_ext(
                 json_object_array_get_idx(changes, 0), JSON_C_TO_STRING_PLAIN),
             "\"from\":33.4,\"to\":2.75"));
  json_object *last = json_object_array_get_idx(changes, n - 1), *from = NULL;
  ck_assert(json_object_object_get_ex(last, "from", &from));
  ck_assert_ptr_null(from); /* from null */
  json_object_put(dump);
  cw_dataset_free(&sim.data);
  /* catalog identifiers up to 60 characters */
  cw_dataset d = {0};
  char err[512], fx_text[512];
  snprintf(fx_text, sizeof(fx_text),
           "{\"catalog\":[{\"id\":1,\"identifier\":\"%s\"}]}",
           "LASTPASS-BUSINESS-ANNUAL-PREPAID-WITH-ADVANCED-MFA-AND-SSO-X");
  json_object *fx = parse(fx_text);
  ck_assert_int_eq(cw_dataset_load(&d, fx, err, sizeof(err)), 0);
  json_object_put(fx);
  cw_dataset_free(&d);
  snprintf(fx_text, sizeof(fx_text),
           "{\"catalog\":[{\"id\":1,\"identifier\":\"%s\"}]}",
           "LASTPASS-BUSINESS-ANNUAL-PREPAID-WITH-ADVANCED-MFA-AND-SSO-XY");
  fx = parse(fx_text);
  ck_assert_int_eq(cw_dataset_load(&d, fx, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "longer than 60"));
  json_object_put(fx);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("cw_sim");
  TCase *pure = tcase_create("pure");
  tcase_add_test(pure, query_parse_and_build);
  tcase_add_test(pure, fields_trim);
  tcase_add_test(pure, orderby_sorts);
  tcase_add_test(pure, paging_parameters);
  tcase_add_test(pure, paging_links);
  tcase_add_test(pure, fixture_loads_with_derived_fields);
  tcase_add_test(pure, fixture_round_trip);
  tcase_add_test(pure, fixture_errors);
  tcase_add_test(pure, derived_identifiers_are_unique);
  tcase_add_test(pure, generator_follows_the_world);
  suite_add_tcase(s, pure);
  TCase *handler = tcase_create("handler");
  tcase_add_test(handler, discovery);
  tcase_add_test(handler, authentication);
  tcase_add_test(handler, security_roles);
  tcase_add_test(handler, navigable_paging);
  tcase_add_test(handler, forward_only_paging);
  tcase_add_test(handler, lists_counts_and_records);
  tcase_add_test(handler, routing_errors);
  tcase_add_test(handler, patch_updates_quantity);
  tcase_add_test(handler, patch_refusals_change_nothing);
  tcase_add_test(handler, put_replaces_addition);
  tcase_add_test(handler, rate_limit);
  tcase_add_test(handler, codebase_moves);
  tcase_add_test(handler, domain_faults);
  tcase_add_test(handler, omit_nulls);
  tcase_add_test(handler, url_length_limit);
  tcase_add_test(handler, company_statuses);
  tcase_add_test(handler, null_and_fractional_quantities);
  suite_add_tcase(s, handler);
  TCase *program = tcase_create("program");
  tcase_set_timeout(program, 60);
  tcase_add_test(program, program_end_to_end);
  tcase_add_test(program, program_options);
  suite_add_tcase(s, program);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
