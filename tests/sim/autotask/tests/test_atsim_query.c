/* SPDX-License-Identifier: MIT */
/*
 * test_atsim_query.c — the Autotask simulator's pure parts, called directly:
 * the query filter engine (every operator, groups, case rules, the 500-OR
 * limit, errors), paging by nextPageUrl over more than 1000 records,
 * IncludeFields, counts, entityInformation and per-instance picklists,
 * billing periods and unit rows, adjustments splitting rows, the request
 * budget, credentials, zone discovery, the thread limit and domain faults.
 * Requests go through ats_api_handle() exactly as the server would pass them.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats_api.h"
#include "ats_budget.h"
#include "ats_date.h"
#include "ats_db.h"
#include "ats_filter.h"
#include "ats_generate.h"
#include "ats_units.h"
#include "sim_world.h"

#define ROOT "/atservicesrest/v1.0"
#define HOST "127.0.0.1:9999"
#define TODAY "2026-11-15"

/* ---- a fake HTTP request ---------------------------------------------- */

typedef struct fake {
  const char *headers[12][2];
  int n_headers;
  char *args[12][2];
  int n_args;
  char path[4096];
  const char *query;
} fake;

static const char *fake_header(const void *ctx, const char *name) {
  const fake *f = ctx;
  for (int i = 0; i < f->n_headers; i++)
    if (strcasecmp(f->headers[i][0], name) == 0) /* as MHD does */
      return f->headers[i][1];
  return NULL;
}

static const char *fake_arg(const void *ctx, const char *name) {
  const fake *f = ctx;
  for (int i = 0; i < f->n_args; i++)
    if (strcmp(f->args[i][0], name) == 0)
      return f->args[i][1];
  return NULL;
}

static char *decode(const char *s, size_t n) {
  char *out = malloc(n + 1), *p = out;
  ck_assert_ptr_nonnull(out);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n + 1 && isxdigit((unsigned char)s[i + 1]) &&
        isxdigit((unsigned char)s[i + 2])) {
      char hex[3] = {s[i + 1], s[i + 2], 0};
      *p++ = (char)strtol(hex, NULL, 16);
      i += 2;
    } else {
      *p++ = s[i] == '+' ? ' ' : s[i];
    }
  }
  *p = '\0';
  return out;
}

/* Splits an absolute URL or a path into path and decoded arguments. */
static void fake_url(fake *f, const char *url) {
  if (strncmp(url, "http://", 7) == 0) {
    ck_assert_msg(strncmp(url + 7, HOST "/", strlen(HOST) + 1) == 0,
                  "absolute URL on another host: %s", url);
    url = strchr(url + 7, '/');
  }
  const char *q = strchr(url, '?');
  size_t plen = q ? (size_t)(q - url) : strlen(url);
  ck_assert_uint_lt(plen, sizeof f->path);
  memcpy(f->path, url, plen);
  f->path[plen] = '\0';
  f->query = q ? q + 1 : "";
  for (const char *p = f->query; *p && f->n_args < 12;) {
    const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(end - p));
    const char *kend = eq ? eq : end;
    f->args[f->n_args][0] = decode(p, (size_t)(kend - p));
    f->args[f->n_args][1] =
        eq ? decode(eq + 1, (size_t)(end - eq - 1)) : decode("", 0);
    f->n_args++;
    p = amp ? amp + 1 : end;
  }
}

static void fake_free(fake *f) {
  for (int i = 0; i < f->n_args; i++) {
    free(f->args[i][0]);
    free(f->args[i][1]);
  }
}

static void auth_headers(fake *f) {
  f->headers[f->n_headers][0] = "Host";
  f->headers[f->n_headers++][1] = HOST;
  f->headers[f->n_headers][0] = "UserName";
  f->headers[f->n_headers++][1] = "api@demo.example";
  f->headers[f->n_headers][0] = "Secret";
  f->headers[f->n_headers++][1] = "demosecret";
  f->headers[f->n_headers][0] = "ApiIntegrationCode";
  f->headers[f->n_headers++][1] = "DEMOCODE";
}

typedef struct answer {
  int status;
  char type[64];
  char *body;
  json_object *json; /* parsed body, or NULL */
} answer;

typedef struct call_opts {
  const char *fault;
  int inflight;
  int64_t clock;
  int no_auth;
  const char *const *headers; /* extra "Name", "value" pairs, NULL-ended */
} call_opts;

static answer call_with(ats_api *api, const char *method, const char *url,
                        const char *body, const call_opts *o) {
  fake f;
  memset(&f, 0, sizeof f);
  if (o && o->no_auth) {
    f.headers[0][0] = "Host";
    f.headers[0][1] = HOST;
    f.n_headers = 1;
  } else {
    auth_headers(&f);
  }
  for (int i = 0; o && o->headers && o->headers[i]; i += 2) {
    f.headers[f.n_headers][0] = o->headers[i];
    f.headers[f.n_headers++][1] = o->headers[i + 1];
  }
  fake_url(&f, url);
  ats_req req = {method,
                 f.path,
                 f.query,
                 body ? body : "",
                 body ? strlen(body) : 0,
                 fake_header,
                 fake_arg,
                 &f,
                 o ? o->fault : NULL,
                 o && o->inflight ? o->inflight : 1,
                 o ? o->clock : 0};
  ats_resp resp;
  memset(&resp, 0, sizeof resp);
  ats_api_handle(api, &req, &resp);
  fake_free(&f);
  answer a = {resp.status, "", resp.body, NULL};
  snprintf(a.type, sizeof a.type, "%s", resp.content_type);
  if (resp.body)
    a.json = json_tokener_parse(resp.body);
  return a;
}

static answer call(ats_api *api, const char *method, const char *url,
                   const char *body) {
  return call_with(api, method, url, body, NULL);
}

static void answer_free(answer *a) {
  free(a->body);
  json_object_put(a->json);
}

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(o, key, &v);
  return v;
}

static const char *first_error(const answer *a) {
  json_object *e = get(a->json, "errors");
  ck_assert_msg(json_object_is_type(e, json_type_array) &&
                    json_object_array_length(e) > 0,
                "no errors array in %s", a->body ? a->body : "(null)");
  return json_object_get_string(json_object_array_get_idx(e, 0));
}

/* ---- datasets ----------------------------------------------------------- */

static ats_db *db_from(const char *text, int offset) {
  char err[512] = "";
  json_object *doc = json_tokener_parse(text);
  ck_assert_ptr_nonnull(doc);
  ats_db_options opt = {offset, offset != 0, 0, 0};
  ats_db *db = ats_db_load(doc, &opt, err, sizeof err);
  json_object_put(doc);
  ck_assert_msg(db != NULL, "load: %s", err);
  return db;
}

static ats_db *db_small(void) {
  char path[1024], err[512] = "";
  const char *src = getenv("LPSA_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/tests/sim/autotask/fixtures/small.json",
           src ? src : ".");
  json_object *doc = json_object_from_file(path);
  ck_assert_msg(doc != NULL, "cannot read %s", path);
  ats_db *db = ats_db_load(doc, NULL, err, sizeof err);
  json_object_put(doc);
  ck_assert_msg(db != NULL, "small.json: %s", err);
  return db;
}

static ats_api *api_with(ats_db *db, const ats_config *cfg) {
  ats_config def;
  ats_config_default(&def);
  ats_api *api = ats_api_new(cfg ? cfg : &def);
  ck_assert_ptr_nonnull(api);
  ats_api_set_db(api, db);
  return api;
}

/* ---- the filter engine --------------------------------------------------- */

static const char contract_item[] =
    "{\"id\":10,\"companyID\":174,\"contractName\":\"Managed Services Café\","
    "\"contractNumber\":null,\"contractType\":7,\"status\":1,"
    "\"startDate\":\"2026-01-31T00:00:00Z\",\"endDate\":\"2027-01-30T00:00:"
    "00Z\",\"isDefaultContract\":false,\"userDefinedFields\":[{\"name\":"
    "\"LastPass ID\",\"value\":\"100001\"}]}";

typedef struct filter_case {
  const char *filter; /* the JSON array */
  int want;           /* 1 match, 0 no match, -1 error */
  const char *error;  /* substring of the error message */
} filter_case;

static const filter_case filter_cases[] = {
    {"[{\"op\":\"eq\",\"field\":\"companyID\",\"value\":174}]", 1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"companyID\",\"value\":\"174\"}]", 1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"companyID\",\"value\":175}]", 0, NULL},
    {"[{\"op\":\"noteq\",\"field\":\"companyID\",\"value\":175}]", 1, NULL},
    {"[{\"op\":\"noteq\",\"field\":\"companyID\",\"value\":174}]", 0, NULL},
    {"[{\"op\":\"gt\",\"field\":\"companyID\",\"value\":173}]", 1, NULL},
    {"[{\"op\":\"gt\",\"field\":\"companyID\",\"value\":174}]", 0, NULL},
    {"[{\"op\":\"gte\",\"field\":\"companyID\",\"value\":174}]", 1, NULL},
    {"[{\"op\":\"lt\",\"field\":\"companyID\",\"value\":175}]", 1, NULL},
    {"[{\"op\":\"lt\",\"field\":\"companyID\",\"value\":174}]", 0, NULL},
    {"[{\"op\":\"lte\",\"field\":\"companyID\",\"value\":174}]", 1, NULL},
    {"[{\"op\":\"beginsWith\",\"field\":\"contractName\",\"value\":"
     "\"MANAGED\"}]",
     1, NULL},
    {"[{\"op\":\"beginsWith\",\"field\":\"contractName\",\"value\":"
     "\"Services\"}]",
     0, NULL},
    {"[{\"op\":\"endsWith\",\"field\":\"contractName\",\"value\":\"café\"}]", 1,
     NULL},
    {"[{\"op\":\"contains\",\"field\":\"contractName\",\"value\":"
     "\"services\"}]",
     1, NULL},
    {"[{\"op\":\"contains\",\"field\":\"contractName\",\"value\":\"xyz\"}]", 0,
     NULL},
    {"[{\"op\":\"exist\",\"field\":\"contractNumber\"}]", 0, NULL},
    {"[{\"op\":\"notExist\",\"field\":\"contractNumber\"}]", 1, NULL},
    {"[{\"op\":\"exist\",\"field\":\"endDate\"}]", 1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"contractNumber\",\"value\":null}]", 1, NULL},
    {"[{\"op\":\"in\",\"field\":\"companyID\",\"value\":[1,174]}]", 1, NULL},
    {"[{\"op\":\"in\",\"field\":\"companyID\",\"value\":[1,2]}]", 0, NULL},
    {"[{\"op\":\"notIn\",\"field\":\"companyID\",\"value\":[1,2]}]", 1, NULL},
    {"[{\"op\":\"notIn\",\"field\":\"companyID\",\"value\":[174]}]", 0, NULL},
    {"[{\"op\":\"in\",\"field\":\"id\",\"value\":[30,3,10,7]}]", 1, NULL},
    {"[{\"op\":\"in\",\"field\":\"contractName\",\"value\":[\"x\","
     "\"MANAGED services Café\",\"a\"]}]",
     1, NULL},
    {"[{\"op\":\"in\",\"field\":\"contractNumber\",\"value\":[\"b\","
     "null]}]",
     1, NULL},
    {"[{\"op\":\"in\",\"field\":\"contractNumber\",\"value\":[\"b\"]}]", 0,
     NULL},
    {"[{\"op\":\"notIn\",\"field\":\"contractNumber\",\"value\":[\"b\"]}]", 1,
     NULL},
    /* dates compare as instants, with or without Z */
    {"[{\"op\":\"gt\",\"field\":\"startDate\",\"value\":\"2026-01-30\"}]", 1,
     NULL},
    {"[{\"op\":\"eq\",\"field\":\"startDate\",\"value\":"
     "\"2026-01-31T00:00:00\"}]",
     1, NULL},
    {"[{\"op\":\"lt\",\"field\":\"endDate\",\"value\":"
     "\"2027-01-30T00:00:00.000Z\"}]",
     0, NULL},
    {"[{\"op\":\"lte\",\"field\":\"endDate\",\"value\":"
     "\"2027-01-30T00:00:00.000Z\"}]",
     1, NULL},
    {"[{\"op\":\"gt\",\"field\":\"startDate\",\"value\":"
     "\"2026-01-30T23:00:00-02:00\"}]",
     0, NULL},
    /* booleans are true/false */
    {"[{\"op\":\"eq\",\"field\":\"isDefaultContract\",\"value\":false}]", 1,
     NULL},
    {"[{\"op\":\"eq\",\"field\":\"isDefaultContract\",\"value\":\"false\"}]", 1,
     NULL},
    {"[{\"op\":\"eq\",\"field\":\"isDefaultContract\",\"value\":0}]", -1,
     "Invalid value"},
    /* names are case-insensitive, operators too */
    {"[{\"op\":\"EQ\",\"field\":\"COMPANYID\",\"value\":174}]", 1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"lastpass id\",\"value\":\"100001\","
     "\"udf\":true}]",
     1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"LastPass ID\",\"value\":\"9\",\"udf\":"
     "true}]",
     0, NULL},
    {"[{\"op\":\"notExist\",\"field\":\"Other\",\"udf\":true}]", 1, NULL},
    /* groups, nested */
    {"[{\"op\":\"or\",\"items\":[{\"op\":\"eq\",\"field\":\"companyID\","
     "\"value\":1},{\"op\":\"eq\",\"field\":\"status\",\"value\":1}]}]",
     1, NULL},
    {"[{\"op\":\"and\",\"items\":[{\"op\":\"eq\",\"field\":\"companyID\","
     "\"value\":174},{\"op\":\"eq\",\"field\":\"status\",\"value\":0}]}]",
     0, NULL},
    {"[{\"op\":\"or\",\"items\":[{\"op\":\"and\",\"items\":[{\"op\":\"eq\","
     "\"field\":\"id\",\"value\":1},{\"op\":\"eq\",\"field\":\"status\","
     "\"value\":1}]},{\"op\":\"and\",\"items\":[{\"op\":\"eq\",\"field\":"
     "\"id\",\"value\":10},{\"op\":\"eq\",\"field\":\"contractType\","
     "\"value\":7}]}]}]",
     1, NULL},
    {"[{\"op\":\"eq\",\"field\":\"id\",\"value\":10},{\"op\":\"eq\",\"field\":"
     "\"status\",\"value\":0}]",
     0, NULL},
    /* errors */
    {"[{\"op\":\"eq\",\"field\":\"nope\",\"value\":1}]", -1,
     "Unable to find nope in the Contracts entity"},
    {"[{\"op\":\"like\",\"field\":\"id\",\"value\":1}]", -1,
     "Unknown operator"},
    {"[]", -1, "filter is required"},
    {"{\"op\":\"eq\",\"field\":\"id\",\"value\":1}", -1, "filter is required"},
    {"[{\"op\":\"in\",\"field\":\"id\",\"value\":1}]", -1, "array"},
    {"[{\"op\":\"eq\",\"field\":\"id\",\"value\":[1]}]", -1, "array"},
    {"[{\"op\":\"contains\",\"field\":\"id\",\"value\":\"1\"}]", -1, "string"},
    {"[{\"op\":\"eq\",\"field\":\"startDate\",\"value\":\"yesterday\"}]", -1,
     "Invalid value"},
    {"[{\"op\":\"eq\",\"field\":\"id\",\"value\":\"ten\"}]", -1,
     "Invalid value"},
    {"[{\"op\":\"or\",\"items\":[]}]", -1, "items"},
    {"[{\"op\":\"eq\",\"value\":1}]", -1, "field"},
    {"[{\"op\":\"gt\",\"field\":\"id\"}]", -1, "value"},
};

START_TEST(filter_table) {
  const ats_entity *e = ats_schema_entity("contracts");
  ck_assert_ptr_nonnull(e);
  json_object *item = json_tokener_parse(contract_item);
  ck_assert_ptr_nonnull(item);
  for (size_t i = 0; i < sizeof filter_cases / sizeof filter_cases[0]; i++) {
    const filter_case *c = &filter_cases[i];
    char err[512] = "";
    json_object *filter = json_tokener_parse(c->filter);
    ck_assert_msg(filter != NULL, "case %zu: bad test JSON", i);
    ats_filter *f = ats_filter_parse(e, filter, err, sizeof err);
    if (c->want < 0) {
      ck_assert_msg(f == NULL, "case %zu (%s): parsed, want error", i,
                    c->filter);
      ck_assert_msg(strstr(err, c->error) != NULL,
                    "case %zu: error '%s' lacks '%s'", i, err, c->error);
    } else {
      ck_assert_msg(f != NULL, "case %zu (%s): %s", i, c->filter, err);
      ck_assert_msg(ats_filter_match(f, item) == c->want,
                    "case %zu (%s): want %d", i, c->filter, c->want);
    }
    ats_filter_free(f);
    json_object_put(filter);
  }
  json_object_put(item);
}
END_TEST

/* A filter with `ors` items in one or-group plus an in-list of `ins`. */
static char *or_filter(int ors, int ins) {
  size_t cap = (size_t)(ors + ins) * 64 + 256, n = 0;
  char *s = malloc(cap);
  ck_assert_ptr_nonnull(s);
  n += (size_t)snprintf(s + n, cap - n, "[");
  if (ors) {
    n += (size_t)snprintf(s + n, cap - n, "{\"op\":\"or\",\"items\":[");
    for (int i = 0; i < ors; i++)
      n += (size_t)snprintf(s + n, cap - n,
                            "%s{\"op\":\"eq\",\"field\":\"id\",\"value\":%d}",
                            i ? "," : "", i + 1);
    n += (size_t)snprintf(s + n, cap - n, "]}");
  }
  if (ins) {
    n += (size_t)snprintf(s + n, cap - n,
                          "%s{\"op\":\"in\",\"field\":\"id\",\"value\":[",
                          ors ? "," : "");
    for (int i = 0; i < ins; i++)
      n += (size_t)snprintf(s + n, cap - n, "%s%d", i ? "," : "", i + 1);
    n += (size_t)snprintf(s + n, cap - n, "]}");
  }
  snprintf(s + n, cap - n, "]");
  return s;
}

static int or_parses(int ors, int ins, char *err, size_t len) {
  char *text = or_filter(ors, ins);
  json_object *filter = json_tokener_parse(text);
  ck_assert_ptr_nonnull(filter);
  ats_filter *f =
      ats_filter_parse(ats_schema_entity("Companies"), filter, err, len);
  int ok = f != NULL;
  ats_filter_free(f);
  json_object_put(filter);
  free(text);
  return ok;
}

START_TEST(or_limit) {
  char err[512] = "";
  ck_assert(or_parses(500, 0, err, sizeof err));
  ck_assert(or_parses(0, 500, err, sizeof err));
  ck_assert(or_parses(250, 250, err, sizeof err));
  ck_assert(!or_parses(501, 0, err, sizeof err));
  ck_assert_str_eq(err, "Invalid query syntax. Queries are limited to 500 or "
                        "fewer 'OR' conditions.");
  err[0] = '\0';
  ck_assert(!or_parses(0, 501, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "500 or fewer 'OR' conditions"));
  ck_assert(!or_parses(251, 250, err, sizeof err));
}
END_TEST

/* ---- paging ---------------------------------------------------------------
 */

/* n companies with ids 1000.. and names "Company i". */
static ats_db *db_companies(int n) {
  size_t cap = (size_t)n * 96 + 64, len = 0;
  char *doc = malloc(cap);
  ck_assert_ptr_nonnull(doc);
  len += (size_t)snprintf(doc, cap, "{\"now\":\"%s\",\"companies\":[", TODAY);
  for (int i = 0; i < n; i++)
    len +=
        (size_t)snprintf(doc + len, cap - len,
                         "%s{\"id\":%d,\"companyName\":\"Company %d\","
                         "\"companyType\":\"Customer\",\"isActive\":%s}",
                         i ? "," : "", 1000 + i, i, i % 3 ? "true" : "false");
  snprintf(doc + len, cap - len, "]}");
  ats_db *db = db_from(doc, 0);
  free(doc);
  return db;
}

/* Follows nextPageUrl (POSTed with the query's body, as Autotask wants)
 * from a POSTed query; returns the number of pages and checks that ids
 * arrive strictly ascending. */
static int follow_pages(ats_api *api, const char *entity, const char *search,
                        int *total, int64_t *last_id) {
  char url[256];
  snprintf(url, sizeof url, ROOT "/%s/query", entity);
  answer a = call(api, "POST", url, search);
  int pages = 0;
  *total = 0;
  *last_id = 0;
  for (;;) {
    ck_assert_msg(a.status == 200, "page %d: %d %s", pages, a.status, a.body);
    pages++;
    json_object *items = get(a.json, "items"), *pd = get(a.json, "pageDetails");
    size_t n = json_object_array_length(items);
    ck_assert_int_eq(json_object_get_int(get(pd, "count")), (int)n);
    ck_assert_ptr_nonnull(get(pd, "requestCount"));
    if (pages == 1)
      ck_assert(json_object_is_type(get(pd, "prevPageUrl"), json_type_null));
    else
      ck_assert(json_object_is_type(get(pd, "prevPageUrl"), json_type_string));
    for (size_t i = 0; i < n; i++) {
      int64_t id =
          json_object_get_int64(get(json_object_array_get_idx(items, i), "id"));
      ck_assert_msg(id > *last_id, "id %lld after %lld", (long long)id,
                    (long long)*last_id);
      *last_id = id;
    }
    *total += (int)n;
    json_object *next = get(pd, "nextPageUrl");
    if (!next || json_object_is_type(next, json_type_null))
      break;
    const char *url_next = json_object_get_string(next);
    ck_assert_msg(strncmp(url_next, "http://" HOST ROOT "/",
                          7 + strlen(HOST) + strlen(ROOT) + 1) == 0,
                  "nextPageUrl not absolute: %s", url_next);
    ck_assert_ptr_nonnull(strstr(url_next, "/query/next?paging="));
    char *copy = strdup(url_next);
    answer b = call(api, "POST", copy, search);
    free(copy);
    answer_free(&a);
    a = b;
    ck_assert_int_lt(pages, 1000);
  }
  answer_free(&a);
  return pages;
}

START_TEST(paging_over_1000) {
  ats_api *api = api_with(db_companies(1234), NULL);
  int total;
  int64_t last;
  int pages = follow_pages(api, "Companies",
                           "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}]}",
                           &total, &last);
  ck_assert_int_eq(pages, 3);
  ck_assert_int_eq(total, 1234);
  ck_assert_int_eq(last, 2233);
  pages = follow_pages(api, "Companies",
                       "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                       "\"MaxRecords\":100}",
                       &total, &last);
  ck_assert_int_eq(pages, 13);
  ck_assert_int_eq(total, 1234);
  /* the filter holds on every page: 1234 with i % 3 == 0 are inactive */
  pages = follow_pages(api, "Companies",
                       "{\"filter\":[{\"op\":\"eq\",\"field\":\"isActive\","
                       "\"value\":true}],\"MaxRecords\":200}",
                       &total, &last);
  ck_assert_int_eq(total, 1234 - 412);
  ck_assert_int_eq(pages, 5);
  ats_api_free(api);
}
END_TEST

START_TEST(page_details_and_post_next) {
  ats_api *api = api_with(db_companies(7), NULL);
  answer a = call(api, "POST", ROOT "/Companies/query",
                  "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                  "\"MaxRecords\":3}");
  ck_assert_int_eq(a.status, 200);
  json_object *pd = get(a.json, "pageDetails");
  ck_assert_int_eq(json_object_get_int(get(pd, "count")), 3);
  ck_assert_int_eq(json_object_get_int(get(pd, "requestCount")), 3);
  char *next = strdup(json_object_get_string(get(pd, "nextPageUrl")));
  /* the real API wants the original body POSTed again: accepted too */
  answer b = call(api, "POST", next,
                  "{\"filter\":[{\"op\":\"exist\","
                  "\"field\":\"id\"}],\"MaxRecords\":3}");
  ck_assert_int_eq(b.status, 200);
  ck_assert_int_eq(
      json_object_get_int(
          get(json_object_array_get_idx(get(b.json, "items"), 0), "id")),
      1003);
  answer_free(&b);
  answer_free(&a);
  /* by default (as from Autotask) a GET of a POST query's cursor is
   * refused; --lenient-next-method answers it */
  ats_api *strict = api_with(db_companies(7), NULL);
  answer c = call(strict, "GET", next, NULL);
  ck_assert_int_eq(c.status, 405);
  ck_assert_ptr_nonnull(strstr(c.body, "does not support http method 'GET'"));
  answer_free(&c);
  ats_config cfg;
  ats_config_default(&cfg);
  cfg.strict_next = 0;
  ats_api *lenient = api_with(db_companies(7), &cfg);
  answer g = call(lenient, "GET", next, NULL);
  ck_assert_int_eq(g.status, 200);
  answer_free(&g);
  ats_api_free(lenient);
  free(next);
  /* a GET query's cursor stays a GET */
  answer d = call(strict, "GET",
                  ROOT "/Companies/query?search=%7B%22filter%22%3A%5B%7B%22op%"
                       "22%3A%22exist%22%2C%22field%22%3A%22id%22%7D%5D%2C%"
                       "22MaxRecords%22%3A5%7D",
                  NULL);
  ck_assert_int_eq(d.status, 200);
  next = strdup(
      json_object_get_string(get(get(d.json, "pageDetails"), "nextPageUrl")));
  answer e = call(strict, "GET", next, NULL);
  ck_assert_int_eq(e.status, 200);
  ck_assert_int_eq(json_object_array_length(get(e.json, "items")), 2);
  ck_assert(json_object_is_type(get(get(e.json, "pageDetails"), "nextPageUrl"),
                                json_type_null));
  answer_free(&e);
  answer_free(&d);
  free(next);
  ats_api_free(strict);
  ats_api_free(api);
}
END_TEST

START_TEST(include_fields) {
  ats_api *api = api_with(db_companies(600), NULL);
  answer a = call(api, "POST", ROOT "/Companies/query",
                  "{\"filter\":[{\"op\":\"lt\",\"field\":\"id\",\"value\":1002}"
                  "],\"IncludeFields\":[\"ID\",\"companyname\"]}");
  ck_assert_int_eq(a.status, 200);
  json_object *item = json_object_array_get_idx(get(a.json, "items"), 0);
  /* the two named, and userDefinedFields, which Autotask always sends */
  ck_assert_int_eq(json_object_object_length(item), 3);
  ck_assert(
      json_object_is_type(get(item, "userDefinedFields"), json_type_array));
  ck_assert_ptr_nonnull(get(item, "id"));
  ck_assert_str_eq(json_object_get_string(get(item, "companyName")),
                   "Company 0");
  answer_free(&a);
  /* without IncludeFields every field is there, nulls included */
  a = call(api, "POST", ROOT "/Companies/query",
           "{\"filter\":[{\"op\":\"eq\",\"field\":\"id\",\"value\":1000}]}");
  item = json_object_array_get_idx(get(a.json, "items"), 0);
  ck_assert_int_eq(json_object_object_length(item), 8);
  ck_assert(json_object_object_get_ex(item, "parentCompanyID", NULL));
  ck_assert(
      json_object_is_type(get(item, "userDefinedFields"), json_type_array));
  answer_free(&a);
  a = call(api, "POST", ROOT "/Companies/query",
           "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
           "\"IncludeFields\":[\"companyName\"]}");
  ck_assert_int_eq(a.status, 500);
  ck_assert_ptr_nonnull(strstr(first_error(&a), "id must be included"));
  answer_free(&a);
  a = call(api, "POST", ROOT "/Companies/query",
           "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
           "\"IncludeFields\":[\"companyName\",\"id\"]}");
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  a = call(api, "POST", ROOT "/Companies/query",
           "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
           "\"IncludeFields\":[\"id\",\"bogus\"]}");
  ck_assert_int_eq(a.status, 500);
  ck_assert_ptr_nonnull(strstr(first_error(&a), "bogus"));
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(query_errors_and_count) {
  ats_api *api = api_with(db_companies(20), NULL);
  static const char *const bad[] = {
      "{}",
      "{\"filter\":[]}",
      "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],\"MaxRecords\":0}",
      "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],\"MaxRecords\":501}",
      "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],\"MaxRecords\":\"x\"}",
      "not json"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    answer a = call(api, "POST", ROOT "/Companies/query", bad[i]);
    ck_assert_msg(a.status == 500, "%s: %d", bad[i], a.status);
    ck_assert_str_eq(a.type, "application/json; charset=utf-8");
    first_error(&a);
    answer_free(&a);
  }
  answer a = call(api, "GET", ROOT "/Companies/query", NULL);
  ck_assert_int_eq(a.status, 500);
  ck_assert_ptr_nonnull(strstr(first_error(&a), "filter is required"));
  answer_free(&a);
  a = call(api, "POST", ROOT "/Companies/query/count",
           "{\"filter\":[{\"op\":\"gte\",\"field\":\"id\",\"value\":1013}]}");
  ck_assert_int_eq(a.status, 200);
  ck_assert_int_eq(json_object_object_length(a.json), 1);
  ck_assert_int_eq(json_object_get_int(get(a.json, "queryCount")), 7);
  answer_free(&a);
  a = call(api, "GET",
           ROOT "/Companies/query/count?search=%7B%22filter%22%3A%5B%7B%22op%"
                "22%3A%22exist%22%2C%22field%22%3A%22id%22%7D%5D%7D",
           NULL);
  ck_assert_int_eq(a.status, 200);
  ck_assert_int_eq(json_object_get_int(get(a.json, "queryCount")), 20);
  answer_free(&a);
  /* a GET query string past 2 KB is refused like IIS does: use POST */
  char *url = malloc(4096);
  ck_assert_ptr_nonnull(url);
  int n = snprintf(url, 4096,
                   ROOT "/Companies/query?search=%%7B%%22filter%%22"
                        "%%3A%%5B");
  while (n < 3000)
    n += snprintf(url + n, 4096 - (size_t)n, "%%20");
  a = call(api, "GET", url, NULL);
  ck_assert_int_eq(a.status, 404);
  answer_free(&a);
  free(url);
  ats_api_free(api);
}
END_TEST

START_TEST(get_by_id_and_children) {
  ats_api *api = api_with(db_small(), NULL);
  answer a = call(api, "GET", ROOT "/Companies/1001", NULL);
  ck_assert_int_eq(a.status, 200);
  ck_assert_str_eq(
      json_object_get_string(get(get(a.json, "item"), "companyName")),
      "Café Müller GmbH");
  answer_free(&a);
  a = call(api, "GET", ROOT "/Companies/4242", NULL);
  ck_assert_int_eq(a.status, 200);
  ck_assert(json_object_object_get_ex(a.json, "item", NULL));
  ck_assert(json_object_is_type(get(a.json, "item"), json_type_null));
  answer_free(&a);
  a = call(api, "GET", ROOT "/Contracts/2003/Services", NULL);
  ck_assert_int_eq(a.status, 200);
  json_object *items = get(a.json, "items");
  ck_assert_int_eq(json_object_array_length(items), 2);
  json_object *cs = json_object_array_get_idx(items, 0);
  ck_assert_int_eq(json_object_get_int(get(cs, "contractID")), 2003);
  /* a contract service carries no unit count */
  ck_assert(!json_object_object_get_ex(cs, "units", NULL));
  answer_free(&a);
  /* ContractServiceAdjustments can only be created */
  a = call(api, "POST", ROOT "/ContractServiceAdjustments/query",
           "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}]}");
  ck_assert_int_ge(a.status, 400);
  first_error(&a);
  answer_free(&a);
  a = call(api, "GET", ROOT "/ContractServiceAdjustments/1", NULL);
  ck_assert_int_ge(a.status, 400);
  answer_free(&a);
  a = call(api, "GET", ROOT "/Widgets/1", NULL);
  ck_assert_int_eq(a.status, 404);
  answer_free(&a);
  a = call(api, "GET", "/atservicesrest/V1.0/Companies/1000", NULL);
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  a = call(api, "GET", "/atservicesrest/v2.0/Companies/1000", NULL);
  ck_assert_int_eq(a.status, 404);
  answer_free(&a);
  a = call(api, "PATCH", ROOT "/ContractServiceUnits",
           "{\"id\":1,\"units\":5}");
  ck_assert_int_eq(a.status, 405);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

/* ---- metadata ---------------------------------------------------------------
 */

static json_object *field_named(json_object *fields, const char *name) {
  for (size_t i = 0; i < json_object_array_length(fields); i++) {
    json_object *f = json_object_array_get_idx(fields, i);
    if (strcmp(json_object_get_string(get(f, "name")), name) == 0)
      return f;
  }
  return NULL;
}

static const char *pick_value(json_object *field, const char *label) {
  json_object *vals = get(field, "picklistValues");
  for (size_t i = 0; i < json_object_array_length(vals); i++) {
    json_object *v = json_object_array_get_idx(vals, i);
    if (strcmp(json_object_get_string(get(v, "label")), label) == 0)
      return json_object_get_string(get(v, "value"));
  }
  return NULL;
}

START_TEST(entity_information) {
  ats_api *a1 = api_with(db_from("{}", 0), NULL);
  ats_api *a2 = api_with(db_from("{}", 100), NULL);
  answer x = call(a1, "GET", ROOT "/Services/entityInformation/fields", NULL);
  answer y = call(a2, "GET", ROOT "/Services/entityInformation/fields", NULL);
  ck_assert_int_eq(x.status, 200);
  json_object *px = field_named(get(x.json, "fields"), "periodType");
  json_object *py = field_named(get(y.json, "fields"), "periodType");
  ck_assert_ptr_nonnull(px);
  ck_assert(json_object_get_boolean(get(px, "isPickList")));
  ck_assert_str_eq(json_object_get_string(get(px, "dataType")), "integer");
  const char *mx = pick_value(px, "Monthly"), *my = pick_value(py, "Monthly");
  ck_assert_ptr_nonnull(mx);
  ck_assert_ptr_nonnull(pick_value(px, "Quarterly"));
  ck_assert_ptr_nonnull(pick_value(px, "Semi-Annual"));
  ck_assert_ptr_nonnull(pick_value(px, "Yearly"));
  /* per instance: not 1, and moved by the offset */
  ck_assert_str_ne(mx, "1");
  ck_assert_int_eq(atoi(my), atoi(mx) + 100);
  ck_assert(json_object_is_type(
      get(field_named(get(x.json, "fields"), "name"), "picklistValues"),
      json_type_null));
  answer_free(&x);
  answer_free(&y);
  /* documented numbers stay */
  x = call(a2, "GET", ROOT "/Contracts/entityInformation/fields", NULL);
  json_object *fields = get(x.json, "fields");
  ck_assert_str_eq(
      pick_value(field_named(fields, "contractType"), "Recurring Service"),
      "7");
  ck_assert_str_eq(pick_value(field_named(fields, "status"), "Active"), "1");
  ck_assert_str_eq(pick_value(field_named(fields, "status"), "Inactive"), "0");
  ck_assert_ptr_null(field_named(fields, "userDefinedFields"));
  answer_free(&x);
  x = call(a1, "GET", ROOT "/ContractServiceUnits/entityInformation", NULL);
  ck_assert_int_eq(x.status, 200);
  ck_assert(json_object_get_boolean(get(get(x.json, "info"), "canQuery")));
  ck_assert(!json_object_get_boolean(get(get(x.json, "info"), "canCreate")));
  answer_free(&x);
  ats_api_free(a1);
  ats_api_free(a2);
  /* a fixture's own numbering, and labels in items turned into numbers */
  ats_api *a3 = api_with(
      db_from("{\"picklists\":{\"Services.periodType\":[{\"value\":\"77\","
              "\"label\":\"Monthly\"},{\"value\":\"78\",\"label\":"
              "\"Quarterly\"}]},\"services\":[{\"id\":5,\"name\":\"LP\","
              "\"periodType\":\"Quarterly\"}]}",
              0),
      NULL);
  x = call(a3, "GET", ROOT "/Services/5", NULL);
  ck_assert_int_eq(json_object_get_int(get(get(x.json, "item"), "periodType")),
                   78);
  answer_free(&x);
  ats_api_free(a3);
  x = call(a3 = api_with(db_small(), NULL), "GET",
           ROOT "/Companies/entityInformation/userDefinedFields", NULL);
  ck_assert_str_eq(
      json_object_get_string(
          get(json_object_array_get_idx(get(x.json, "fields"), 0), "name")),
      "LastPass ID");
  answer_free(&x);
  ats_api_free(a3);
}
END_TEST

/* ---- dates, periods and unit rows -----------------------------------------
 */

static int64_t day(const char *s) {
  int64_t t;
  ck_assert_msg(ats_date_parse(s, &t) == 0, "date %s", s);
  return t;
}

START_TEST(dates) {
  char buf[40];
  ck_assert_int_eq(day("2026-11-01T00:00:00Z"), day("2026-11-01"));
  ck_assert_int_eq(day("2026-11-01T00:00:00"), day("2026-11-01"));
  ck_assert_int_eq(day("2026-11-01T00:00:00.000Z"), day("2026-11-01"));
  ck_assert_int_eq(day("2026-11-01T02:00:00+02:00"), day("2026-11-01"));
  int64_t t;
  ck_assert_int_ne(ats_date_parse("2026-02-29", &t), 0);
  ck_assert_int_ne(ats_date_parse("2026-11-01X", &t), 0);
  ck_assert_int_ne(ats_date_parse("", &t), 0);
  ats_date_format(day("2026-11-01"), ATS_DATE_Z, buf, sizeof buf);
  ck_assert_str_eq(buf, "2026-11-01T00:00:00Z");
  ats_date_format(day("2026-11-01"), ATS_DATE_PLAIN, buf, sizeof buf);
  ck_assert_str_eq(buf, "2026-11-01T00:00:00");
  ats_date_format(day("2026-11-01"), ATS_DATE_MILLIS, buf, sizeof buf);
  ck_assert_str_eq(buf, "2026-11-01T00:00:00.000Z");
  /* month steps clamp at month end from the anchor */
  ck_assert_int_eq(ats_add_months(day("2026-01-31"), 1), day("2026-02-28"));
  ck_assert_int_eq(ats_add_months(day("2026-01-31"), 2), day("2026-03-31"));
  ck_assert_int_eq(ats_add_months(day("2028-01-31"), 1), day("2028-02-29"));
  ck_assert_int_eq(ats_add_months(day("2026-11-15"), -12), day("2025-11-15"));
}
END_TEST

START_TEST(periods) {
  json_object *k =
      json_tokener_parse("{\"startDate\":\"2026-01-31T00:00:00Z\",\"endDate\":"
                         "\"2027-01-30T00:00:00Z\"}");
  int64_t s, e;
  ck_assert_int_eq(ats_units_period_at(k, 1, day("2026-03-15"), &s, &e), 0);
  ck_assert_int_eq(s, day("2026-02-28"));
  ck_assert_int_eq(e, day("2026-03-30"));
  ck_assert_int_eq(ats_units_period_at(k, 1, day("2026-03-31"), &s, &e), 0);
  ck_assert_int_eq(s, day("2026-03-31"));
  ck_assert_int_eq(ats_units_period_at(k, 3, day("2026-11-15"), &s, &e), 0);
  ck_assert_int_eq(s, day("2026-10-31"));
  ck_assert_int_eq(e, day("2027-01-30"));
  ck_assert_int_eq(ats_units_period_at(k, 1, day("2027-02-01"), &s, &e), -1);
  ck_assert_int_eq(ats_units_period_at(k, 1, day("2026-01-30"), &s, &e), -1);
  json_object_put(k);
}
END_TEST

typedef struct row {
  int64_t id, start, end, units;
} row;

/* The unit rows of a contract service, ordered by start. */
static int rows_of(ats_api *api, int csid, row *out, int cap) {
  char body[256];
  snprintf(body, sizeof body,
           "{\"filter\":[{\"op\":\"eq\",\"field\":\"contractServiceID\","
           "\"value\":%d}]}",
           csid);
  answer a = call(api, "POST", ROOT "/ContractServiceUnits/query", body);
  ck_assert_int_eq(a.status, 200);
  json_object *items = get(a.json, "items");
  int n = (int)json_object_array_length(items);
  ck_assert_int_le(n, cap);
  for (int i = 0; i < n; i++) {
    json_object *it = json_object_array_get_idx(items, i);
    row r = {json_object_get_int64(get(it, "id")),
             day(json_object_get_string(get(it, "startDate"))),
             day(json_object_get_string(get(it, "endDate"))),
             json_object_get_int64(get(it, "units"))};
    int j = i;
    while (j > 0 && out[j - 1].start > r.start) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = r;
  }
  answer_free(&a);
  /* rows tile the contract: no gap, no overlap */
  for (int i = 1; i < n; i++)
    ck_assert_int_eq(out[i].start, out[i - 1].end + ATS_DAY_SECS);
  return n;
}

static const row *row_at(const row *rows, int n, const char *date) {
  int64_t t = day(date);
  for (int i = 0; i < n; i++)
    if (rows[i].start <= t && t <= rows[i].end)
      return &rows[i];
  return NULL;
}

START_TEST(unit_rows_from_fixture) {
  ats_api *api = api_with(db_small(), NULL);
  row r[64];
  /* contract started on the 31st: 12 monthly rows with clamped starts */
  int n = rows_of(api, 5003, r, 64);
  ck_assert_int_eq(n, 12);
  ck_assert_int_eq(r[0].start, day("2026-01-31"));
  ck_assert_int_eq(r[1].start, day("2026-02-28"));
  ck_assert_int_eq(r[2].start, day("2026-03-31"));
  ck_assert_int_eq(r[11].end, day("2027-01-30"));
  ck_assert_int_eq(row_at(r, n, TODAY)->start, day("2026-10-31"));
  ck_assert_int_eq(row_at(r, n, TODAY)->units, 25);
  ck_assert_int_eq(r[0].units, 20);
  /* quarterly, started mid-month */
  n = rows_of(api, 5011, r, 64);
  ck_assert_int_eq(n, 8);
  ck_assert_int_eq(row_at(r, n, TODAY)->start, day("2026-09-20"));
  ck_assert_int_eq(row_at(r, n, TODAY)->end, day("2026-12-19"));
  ck_assert_int_eq(row_at(r, n, TODAY)->units, 30);
  /* a step inside a period split its row */
  n = rows_of(api, 5013, r, 64);
  ck_assert_int_eq(row_at(r, n, TODAY)->start, day("2026-11-03"));
  ck_assert_int_eq(row_at(r, n, TODAY)->units, 10);
  ck_assert_int_eq(row_at(r, n, "2026-11-02")->units, 8);
  ck_assert_int_eq(row_at(r, n, "2026-11-02")->start, day("2026-11-01"));
  ats_api_free(api);
}
END_TEST

/* ---- adjustments -----------------------------------------------------------
 */

static answer adjust(ats_api *api, const char *body) {
  return call(api, "POST", ROOT "/ContractServiceAdjustments", body);
}

static json_object *adjustments_log(ats_api *api) {
  return get(ats_db_root(ats_api_db(api)), "adjustments");
}

START_TEST(adjust_mid_period) {
  ats_api *api = api_with(db_small(), NULL);
  row before[64], after[64];
  int n0 = rows_of(api, 5001, before, 64);
  answer a = adjust(api, "{\"contractID\":2001,\"serviceID\":30001,"
                         "\"contractServiceID\":5001,\"effectiveDate\":"
                         "\"2026-11-10T00:00:00Z\",\"unitChange\":-3,"
                         "\"adjustedUnitPrice\":null}");
  ck_assert_int_eq(a.status, 200);
  ck_assert_int_eq(json_object_object_length(a.json), 1);
  ck_assert_int_gt(json_object_get_int64(get(a.json, "itemId")), 0);
  answer_free(&a);
  int n1 = rows_of(api, 5001, after, 64);
  ck_assert_int_eq(n1, n0 + 1);
  ck_assert_int_eq(row_at(after, n1, "2026-11-09")->units, 12);
  ck_assert_int_eq(row_at(after, n1, "2026-11-09")->start, day("2026-11-01"));
  ck_assert_int_eq(row_at(after, n1, "2026-11-09")->end, day("2026-11-09"));
  ck_assert_int_eq(row_at(after, n1, "2026-11-10")->units, 9);
  ck_assert_int_eq(row_at(after, n1, "2026-11-10")->start, day("2026-11-10"));
  ck_assert_int_eq(row_at(after, n1, "2026-11-10")->end, day("2026-11-30"));
  /* later periods carry the delta, earlier ones do not */
  ck_assert_int_eq(row_at(after, n1, "2026-12-15")->units, 9);
  ck_assert_int_eq(row_at(after, n1, "2027-02-28")->units, 9);
  ck_assert_int_eq(row_at(after, n1, "2026-10-15")->units, 12);
  ck_assert_int_eq(row_at(after, n1, "2025-03-15")->units, 10);
  /* a second change later in the same period splits again */
  a = adjust(api,
             "{\"contractID\":2001,\"serviceID\":30001,"
             "\"effectiveDate\":\"2026-11-20T00:00:00\",\"unitChange\":2}");
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  n1 = rows_of(api, 5001, after, 64);
  ck_assert_int_eq(row_at(after, n1, "2026-11-19")->units, 9);
  ck_assert_int_eq(row_at(after, n1, "2026-11-20")->units, 11);
  ck_assert_int_eq(row_at(after, n1, "2026-12-01")->units, 11);
  json_object *log = adjustments_log(api);
  ck_assert_int_eq(json_object_array_length(log), 2);
  ck_assert(!json_object_get_boolean(
      get(json_object_array_get_idx(log, 0), "createdContractService")));
  ats_api_free(api);
}
END_TEST

/* The ids a units query answers, as text. */
static char *unit_ids(ats_api *api, const char *filter) {
  char body[512];
  snprintf(body, sizeof body, "{\"filter\":%s}", filter);
  answer a = call(api, "POST", ROOT "/ContractServiceUnits/query", body);
  ck_assert_int_eq(a.status, 200);
  json_object *items = get(a.json, "items");
  char *out = calloc(1, 4096);
  ck_assert_ptr_nonnull(out);
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    size_t used = strlen(out);
    snprintf(out + used, 4096 - used, "%lld,",
             (long long)json_object_get_int64(
                 get(json_object_array_get_idx(items, i), "id")));
  }
  answer_free(&a);
  return out;
}

/* A query naming contractServiceID (the simulator's index) answers what a
 * scan of every row answers ("in" is not indexed), before and after an
 * adjustment appended rows; a service without rows answers none. */
START_TEST(units_index_answers_as_a_scan) {
  ats_api *api = api_with(db_small(), NULL);
  const char *eq = "[{\"op\":\"eq\",\"field\":\"contractServiceID\","
                   "\"value\":5001},{\"op\":\"gte\",\"field\":"
                   "\"endDate\",\"value\":\"2026-11-01\"}]";
  const char *in = "[{\"op\":\"in\",\"field\":\"contractServiceID\","
                   "\"value\":[5001]},{\"op\":\"gte\",\"field\":"
                   "\"endDate\",\"value\":\"2026-11-01\"}]";
  for (int round = 0; round < 2; round++) {
    char *a = unit_ids(api, eq), *b = unit_ids(api, in);
    ck_assert_str_ne(a, "");
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    answer x = adjust(api, "{\"contractID\":2001,\"serviceID\":30001,"
                           "\"contractServiceID\":5001,\"effectiveDate\":"
                           "\"2026-11-10T00:00:00Z\",\"unitChange\":-3}");
    ck_assert_int_eq(x.status, 200);
    answer_free(&x);
  }
  char *none = unit_ids(api, "[{\"op\":\"eq\",\"field\":"
                             "\"contractServiceID\",\"value\":987654}]");
  ck_assert_str_eq(none, "");
  free(none);
  ats_api_free(api);
}
END_TEST

START_TEST(adjust_at_period_start) {
  ats_api *api = api_with(db_small(), NULL);
  row before[64], after[64];
  int n0 = rows_of(api, 5003, before, 64);
  /* the billing-period start: no proration, the row changes in place */
  answer a = call(api, "POST", ROOT "/Contracts/2002/ServiceAdjustments",
                  "{\"serviceID\":30002,\"contractServiceID\":5003,"
                  "\"effectiveDate\":\"2026-10-31T00:00:00Z\",\"unitChange\":"
                  "4}");
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  int n1 = rows_of(api, 5003, after, 64);
  ck_assert_int_eq(n1, n0);
  ck_assert_int_eq(row_at(after, n1, TODAY)->id, row_at(before, n0, TODAY)->id);
  ck_assert_int_eq(row_at(after, n1, TODAY)->units, 29);
  ck_assert_int_eq(row_at(after, n1, "2026-10-30")->units, 25);
  ck_assert_int_eq(row_at(after, n1, "2027-01-15")->units, 29);
  /* the URL's contract wins over nothing, and must agree with the body */
  a = call(api, "POST", ROOT "/Contracts/2002/ServiceAdjustments",
           "{\"contractID\":2001,\"serviceID\":30002,\"effectiveDate\":"
           "\"2026-10-31\",\"unitChange\":1}");
  ck_assert_int_eq(a.status, 500);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

/* effectiveDate is read as the calendar day written, whatever its time or
 * offset: Autotask keeps dates as days of the database's own zone. Each of
 * these lands on 2026-11-01, contract 2001's period start, so the row
 * changes in place; read as instants, the first would fall on Oct 31 and
 * the last on Nov 2, splitting a row and prorating. */
START_TEST(adjust_effective_date_is_the_written_day) {
  static const char *const when[] = {
      "2026-11-01T00:00:00+02:00", "2026-11-01T12:00:00",
      "2026-11-01T12:00:00Z", "2026-11-01T00:00:00.000Z",
      "2026-11-01T23:30:00-05:00"};
  for (size_t i = 0; i < sizeof when / sizeof *when; i++) {
    ats_api *api = api_with(db_small(), NULL);
    row before[64], after[64];
    int n0 = rows_of(api, 5001, before, 64);
    char body[256];
    snprintf(body, sizeof body,
             "{\"contractID\":2001,\"serviceID\":30001,\"contractServiceID\":"
             "5001,\"effectiveDate\":\"%s\",\"unitChange\":3}",
             when[i]);
    answer a = adjust(api, body);
    ck_assert_msg(a.status == 200, "%s: %d %s", when[i], a.status, a.body);
    answer_free(&a);
    int n1 = rows_of(api, 5001, after, 64);
    ck_assert_msg(n1 == n0, "%s: a row was split", when[i]);
    ck_assert_int_eq(row_at(after, n1, TODAY)->start, day("2026-11-01"));
    ck_assert_int_eq(row_at(after, n1, TODAY)->units, 15);
    ck_assert_int_eq(row_at(after, n1, "2026-10-31")->units, 12);
    json_object *rec = json_object_array_get_idx(adjustments_log(api), 0);
    int64_t eff;
    ck_assert_int_eq(
        ats_date_parse(json_object_get_string(get(rec, "effectiveDate")), &eff),
        0);
    ck_assert_int_eq(eff, day("2026-11-01"));
    ats_api_free(api);
  }
}
END_TEST

START_TEST(adjust_refusals) {
  ats_api *api = api_with(db_small(), NULL);
  static const struct {
    const char *body, *error;
  } bad[] = {
      /* would go negative: 12 - 13 */
      {"{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
       "\"2026-11-01\",\"unitChange\":-13}",
       "negative"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"unitChange\":1}",
       "effectiveDate is required"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
       "\"2026-11-01\"}",
       "unitChange is required"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
       "\"2027-03-01\",\"unitChange\":1}",
       "contract end date"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
       "\"2025-02-01\",\"unitChange\":1}",
       "contract start date"},
      {"{\"contractID\":2007,\"serviceID\":30001,\"effectiveDate\":"
       "\"2026-11-01\",\"unitChange\":1}",
       "Recurring Service"},
      {"{\"contractID\":9999,\"serviceID\":30001,\"effectiveDate\":"
       "\"2026-11-01\",\"unitChange\":1}",
       "does not exist"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"contractServiceID\":5004,"
       "\"effectiveDate\":\"2026-11-01\",\"unitChange\":1}",
       "does not belong"},
      {"{\"contractID\":2001,\"serviceID\":31111,\"effectiveDate\":"
       "\"2026-11-01\",\"unitChange\":1}",
       "Service 31111 does not exist"},
      {"{\"contractID\":2001,\"serviceID\":30001,\"effectiveDate\":"
       "\"someday\",\"unitChange\":1}",
       "effectiveDate"},
      {"[1,2]", "JSON object"},
  };
  json_object *snap = NULL;
  ck_assert_int_eq(
      json_object_deep_copy(ats_db_root(ats_api_db(api)), &snap, NULL), 0);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    answer a = adjust(api, bad[i].body);
    ck_assert_msg(a.status == 500, "case %zu: %d", i, a.status);
    ck_assert_msg(strstr(first_error(&a), bad[i].error) != NULL,
                  "case %zu: '%s' lacks '%s'", i, first_error(&a),
                  bad[i].error);
    answer_free(&a);
  }
  /* nothing changed */
  ck_assert(json_object_equal(snap, ats_db_root(ats_api_db(api))));
  json_object_put(snap);
  /* exactly to zero is fine */
  answer a =
      adjust(api, "{\"contractID\":2001,\"serviceID\":30001,"
                  "\"effectiveDate\":\"2026-11-01\",\"unitChange\":-12}");
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(adjust_creates_missing_service) {
  ats_api *api = api_with(db_small(), NULL);
  /* contract 2011 has no LastPass service: the API creates one */
  answer a = adjust(api, "{\"contractID\":2011,\"serviceID\":30001,"
                         "\"effectiveDate\":\"2026-11-01T00:00:00Z\","
                         "\"unitChange\":5}");
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  a = call(api, "GET", ROOT "/Contracts/2011/Services", NULL);
  json_object *items = get(a.json, "items");
  ck_assert_int_eq(json_object_array_length(items), 2);
  int csid =
      json_object_get_int(get(json_object_array_get_idx(items, 1), "id"));
  ck_assert_int_eq(json_object_get_int(
                       get(json_object_array_get_idx(items, 1), "serviceID")),
                   30001);
  answer_free(&a);
  row r[64];
  int n = rows_of(api, csid, r, 64);
  ck_assert_int_eq(row_at(r, n, TODAY)->units, 5);
  ck_assert_int_eq(row_at(r, n, "2026-10-15")->units, 0);
  json_object *entry = json_object_array_get_idx(adjustments_log(api), 0);
  ck_assert(json_object_get_boolean(get(entry, "createdContractService")));
  ck_assert_int_eq(json_object_get_int(get(entry, "contractServiceID")), csid);
  /* a negative change cannot create one */
  a = adjust(api, "{\"contractID\":2011,\"serviceID\":30002,"
                  "\"effectiveDate\":\"2026-11-01\",\"unitChange\":-1}");
  ck_assert_int_eq(a.status, 500);
  answer_free(&a);
  ck_assert_int_eq(json_object_array_length(adjustments_log(api)), 1);
  ats_api_free(api);
}
END_TEST

/* ---- limits, credentials, zones, faults -------------------------------------
 */

START_TEST(budget_counter) {
  ats_budget b;
  ats_budget_init(&b, 4);
  ats_budget_add(&b, 100);
  ats_budget_add(&b, 100);
  ats_budget_add(&b, 101);
  ats_budget_add(&b, 100 + 3599);
  ck_assert_int_eq(ats_budget_count(&b, 100 + 3599), 4);
  ck_assert(!ats_budget_exhausted(&b, 100 + 3599));
  ck_assert_int_eq(ats_budget_count(&b, 100 + 3600), 2);
  ck_assert_int_eq(ats_budget_count(&b, 101 + 3600), 1);
  ats_budget_add(&b, 100 + 3599);
  ck_assert(ats_budget_exhausted(&b, 100 + 3599));
  /* a bucket an hour old is reused, not added to */
  ats_budget_add(&b, 100 + 7200);
  ck_assert_int_eq(ats_budget_count(&b, 100 + 7200), 1);
}
END_TEST

START_TEST(budget_through_api) {
  ats_config cfg;
  ats_config_default(&cfg);
  cfg.threshold = 5;
  ats_api *api = api_with(db_companies(3), &cfg);
  call_opts o = {.clock = 1000};
  for (int i = 0; i < 4; i++) {
    answer a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &o);
    ck_assert_int_eq(a.status, 200);
    answer_free(&a);
  }
  answer a = call_with(api, "GET", ROOT "/ThresholdInformation", NULL, &o);
  ck_assert_int_eq(a.status, 200);
  ck_assert_int_eq(
      json_object_get_int(get(a.json, "currentTimeframeRequestCount")), 5);
  ck_assert_int_eq(json_object_get_int(get(a.json, "externalRequestThreshold")),
                   5);
  ck_assert_int_eq(
      json_object_get_int(get(a.json, "requestThresholdTimeframe")), 60);
  answer_free(&a);
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &o);
  ck_assert_int_eq(a.status, 429);
  ck_assert_ptr_nonnull(strstr(first_error(&a), "threshold"));
  answer_free(&a);
  /* bad credentials are not counted against the database */
  call_opts anon = {.clock = 1000, .no_auth = 1};
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &anon);
  ck_assert_int_eq(a.status, 401);
  answer_free(&a);
  ck_assert_int_eq(ats_api_budget_count(api, 1000), 6);
  /* an hour later the budget is back */
  o.clock = 1000 + 3600;
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &o);
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(credentials) {
  ats_api *api = api_with(db_companies(1), NULL);
  call_opts anon = {.no_auth = 1};
  answer a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &anon);
  ck_assert_int_eq(a.status, 401);
  ck_assert_ptr_nonnull(strstr(a.type, "text/plain"));
  ck_assert_ptr_null(a.json); /* plain text, not JSON */
  answer_free(&a);
  const char *wrong[] = {"UserName", "api@demo.example",   "Secret",
                         "nope",     "ApiIntegrationCode", "DEMOCODE",
                         NULL};
  call_opts w = {.no_auth = 1, .headers = wrong};
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &w);
  ck_assert_int_eq(a.status, 401);
  answer_free(&a);
  /* a wrong integration code with a right user: Autotask's 500, not 401 */
  const char *code[] = {"UserName",   "api@demo.example",   "Secret",
                        "demosecret", "ApiIntegrationCode", "WRONGCODE",
                        NULL};
  call_opts wc = {.no_auth = 1, .headers = code};
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &wc);
  ck_assert_int_eq(a.status, 500);
  ck_assert_str_eq(a.body, "{\"errors\":[\"IntegrationCode is invalid.\"]}");
  answer_free(&a);
  code[5] = NULL; /* no ApiIntegrationCode header at all */
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &wc);
  ck_assert_int_eq(a.status, 500);
  ck_assert_ptr_nonnull(strstr(a.body, "IntegrationCode is invalid."));
  answer_free(&a);
  /* the other spelling of the header, the user's case, impersonation */
  const char *right[] = {"username",
                         "API@demo.example",
                         "Secret",
                         "demosecret",
                         "ApiIntegrationcode",
                         "DEMOCODE",
                         "ImpersonationResourceId",
                         "29682885",
                         NULL};
  call_opts r = {.no_auth = 1, .headers = right};
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &r);
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(zone_discovery) {
  ats_config cfg;
  ats_config_default(&cfg);
  ats_api *api = api_with(db_companies(1), &cfg);
  call_opts anon = {.no_auth = 1};
  answer a = call_with(
      api, "GET", ROOT "/zoneInformation?user=api%40demo.example", NULL, &anon);
  ck_assert_int_eq(a.status, 200);
  ck_assert_str_eq(json_object_get_string(get(a.json, "url")),
                   "http://" HOST "/atservicesrest/");
  ck_assert_ptr_nonnull(get(a.json, "zoneName"));
  ck_assert_ptr_nonnull(get(a.json, "webUrl"));
  ck_assert_int_eq(json_object_get_int(get(a.json, "ci")), 1);
  answer_free(&a);
  a = call_with(api, "GET", ROOT "/zoneInformation?user=who%40else.example",
                NULL, &anon);
  ck_assert_int_eq(a.status, 500);
  answer_free(&a);
  ats_api_free(api);
  cfg.zone_no_slash = 1;
  api = api_with(db_companies(1), &cfg);
  a = call_with(api, "GET", ROOT "/zoneInformation?user=api%40demo.example",
                NULL, &anon);
  ck_assert_str_eq(json_object_get_string(get(a.json, "url")),
                   "http://" HOST "/atservicesrest");
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(thread_limit_and_keys) {
  ats_api *api = api_with(db_companies(1), NULL);
  call_opts three = {.inflight = 3}, four = {.inflight = 4};
  answer a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &three);
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &four);
  ck_assert_int_eq(a.status, 429);
  ck_assert_ptr_nonnull(strstr(a.type, "text/plain"));
  ck_assert_ptr_nonnull(
      strstr(a.body, "thread threshold of 3 threads has been exceeded"));
  answer_free(&a);
  ats_api_free(api);
  /* the key: integration code and entity */
  fake f;
  memset(&f, 0, sizeof f);
  auth_headers(&f);
  ats_req q = {.method = "POST",
               .path = ROOT "/Contracts/query",
               .header = fake_header,
               .ctx = &f};
  char k1[128], k2[128], k3[128];
  ats_api_endpoint_key(&q, k1, sizeof k1);
  q.path = "/atservicesrest/V1.0/contracts/12";
  ats_api_endpoint_key(&q, k2, sizeof k2);
  q.path = ROOT "/Companies/query";
  ats_api_endpoint_key(&q, k3, sizeof k3);
  ck_assert_str_eq(k1, k2);
  ck_assert_str_ne(k1, k3);
  ck_assert_ptr_nonnull(strstr(k1, "democode"));
}
END_TEST

START_TEST(denied_entity) {
  ats_api *api = api_with(
      db_from("{\"denied\":[\"ContractServiceAdjustments\"],\"companies\":"
              "[{\"id\":1}]}",
              0),
      NULL);
  answer a = adjust(api, "{\"contractID\":1,\"serviceID\":1,\"effectiveDate\":"
                         "\"2026-11-01\",\"unitChange\":1}");
  ck_assert_int_eq(a.status, 500);
  ck_assert_ptr_nonnull(
      strstr(first_error(&a), "does not have the adequate permissions"));
  answer_free(&a);
  a = call(api, "GET", ROOT "/Companies/1", NULL);
  ck_assert_int_eq(a.status, 200);
  answer_free(&a);
  ats_api_free(api);
  char err[256];
  json_object *doc = json_tokener_parse("{\"denied\":[\"Nope\"]}");
  ck_assert_ptr_null(ats_db_load(doc, NULL, err, sizeof err));
  json_object_put(doc);
}
END_TEST

/* A dataset's "wire" member sends those fields as given (a record the
 * real API sends broken), while filters keep the stored values. */
START_TEST(wire_overrides) {
  ats_api *api =
      api_with(db_from("{\"companies\":[{\"id\":1,\"companyName\":\"A\","
                       "\"isActive\":true,\"wire\":{\"isActive\":null,"
                       "\"parentCompanyID\":9223372036854775808}},{\"id\":2,"
                       "\"companyName\":\"B\",\"isActive\":true}]}",
                       0),
               NULL);
  answer a = call(api, "POST", ROOT "/Companies/query",
                  "{\"filter\":[{\"op\":\"eq\",\"field\":\"isActive\","
                  "\"value\":true}],\"IncludeFields\":[\"id\",\"isActive\"]}");
  ck_assert_int_eq(a.status, 200);
  json_object *items = get(a.json, "items");
  ck_assert_int_eq(json_object_array_length(items), 2);
  json_object *one = json_object_array_get_idx(items, 0);
  ck_assert_ptr_null(get(one, "isActive"));
  /* not in IncludeFields: not sent */
  ck_assert(!json_object_object_get_ex(one, "parentCompanyID", NULL));
  ck_assert(json_object_get_boolean(
      get(json_object_array_get_idx(items, 1), "isActive")));
  answer_free(&a);
  a = call(api, "GET", ROOT "/Companies/1", NULL);
  ck_assert_int_eq(a.status, 200);
  ck_assert_ptr_nonnull(
      strstr(a.body, "\"parentCompanyID\":9223372036854775808"));
  ck_assert(!json_object_object_get_ex(get(a.json, "item"), "wire", NULL));
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(domain_faults) {
  ats_api *api = api_with(db_companies(12), NULL);
  const char *search = "{\"filter\":[{\"op\":\"exist\",\"field\":\"id\"}],"
                       "\"MaxRecords\":5}";
  call_opts loop = {.fault = "page_loop"};
  answer a = call(api, "POST", ROOT "/Companies/query", search);
  char *next = strdup(
      json_object_get_string(get(get(a.json, "pageDetails"), "nextPageUrl")));
  answer_free(&a);
  /* page 2 with page_loop: nextPageUrl points at the first page again */
  a = call_with(api, "POST", next, search, &loop);
  char *looped = strdup(
      json_object_get_string(get(get(a.json, "pageDetails"), "nextPageUrl")));
  answer_free(&a);
  a = call(api, "POST", looped, search);
  ck_assert_int_eq(
      json_object_get_int(
          get(json_object_array_get_idx(get(a.json, "items"), 0), "id")),
      1000);
  answer_free(&a);
  free(looped);
  call_opts dup = {.fault = "duplicate_ids"};
  a = call_with(api, "POST", next, search, &dup);
  json_object *items = get(a.json, "items");
  ck_assert_int_eq(json_object_array_length(items), 6);
  ck_assert_int_eq(
      json_object_get_int(get(json_object_array_get_idx(items, 0), "id")),
      json_object_get_int(get(json_object_array_get_idx(items, 5), "id")));
  answer_free(&a);
  call_opts empty = {.fault = "empty_page"};
  a = call_with(api, "POST", next, search, &empty);
  ck_assert_int_eq(json_object_array_length(get(a.json, "items")), 0);
  char *again = strdup(
      json_object_get_string(get(get(a.json, "pageDetails"), "nextPageUrl")));
  answer_free(&a);
  a = call(api, "POST", again, search); /* the same position: page 2 */
  ck_assert_int_eq(
      json_object_get_int(
          get(json_object_array_get_idx(get(a.json, "items"), 0), "id")),
      1005);
  answer_free(&a);
  free(again);
  call_opts wrong = {.fault = "wrong_types"};
  a = call_with(api, "GET", ROOT "/Companies/1000", NULL, &wrong);
  ck_assert(
      json_object_is_type(get(get(a.json, "item"), "id"), json_type_string));
  ck_assert(
      json_object_is_type(get(get(a.json, "item"), "isActive"), json_type_int));
  answer_free(&a);
  call_opts missing = {.fault = "missing_fields"};
  a = call_with(api, "POST", ROOT "/Companies/query", search, &missing);
  json_object *it = json_object_array_get_idx(get(a.json, "items"), 0);
  ck_assert_ptr_nonnull(get(it, "id"));
  ck_assert(!json_object_object_get_ex(it, "companyName", NULL));
  answer_free(&a);
  free(next);
  ats_api_free(api);
}
END_TEST

/* ---- the generated world
 * ----------------------------------------------------- */

START_TEST(generated_world_agrees) {
  char err[512] = "";
  ats_db_options opt = {0, 0, day(TODAY), 1};
  ats_db *db = ats_generate(7, 20, 60, &opt, err, sizeof err);
  ck_assert_msg(db != NULL, "%s", err);
  ats_api *api = api_with(db, NULL);
  int mid = 0, history = 0;
  for (int i = 0; i < 60; i++) {
    sim_world_company w;
    sim_world_company_at(7, 20, i, &w);
    char body[512];
    snprintf(body, sizeof body,
             "{\"filter\":[{\"op\":\"eq\",\"field\":\"companyID\",\"value\":"
             "%ld},{\"op\":\"eq\",\"field\":\"contractType\",\"value\":7},"
             "{\"op\":\"eq\",\"field\":\"status\",\"value\":1}]}",
             w.psa_company_id);
    answer a = call(api, "POST", ROOT "/Contracts/query", body);
    json_object *items = get(a.json, "items");
    ck_assert_int_eq(json_object_array_length(items), 1);
    json_object *contract =
        json_object_get(json_object_array_get_idx(items, 0));
    int contract_id = json_object_get_int(get(contract, "id"));
    ck_assert(day(json_object_get_string(get(contract, "endDate"))) >
              day(TODAY));
    answer_free(&a);
    snprintf(body, sizeof body, ROOT "/Contracts/%d/Services", contract_id);
    a = call(api, "GET", body, NULL);
    items = get(a.json, "items");
    int csid = 0;
    for (size_t j = 0; j < json_object_array_length(items); j++) {
      json_object *cs = json_object_array_get_idx(items, j);
      int svc = json_object_get_int(get(cs, "serviceID"));
      if (svc == 30001 || svc == 30002) {
        ck_assert_int_eq(svc, w.mfa ? 30002 : 30001);
        csid = json_object_get_int(get(cs, "id"));
      }
    }
    answer_free(&a);
    ck_assert_int_ne(csid, 0);
    row r[64];
    int n = rows_of(api, csid, r, 64);
    const row *now = row_at(r, n, TODAY);
    ck_assert_ptr_nonnull(now);
    ck_assert_int_eq(now->units, w.psa_quantity);
    int64_t ps, pe;
    ck_assert_int_eq(ats_units_period_at(contract, 1, day(TODAY), &ps, &pe), 0);
    mid += now->start != ps;
    history += r[0].units != now->units;
    json_object_put(contract);
  }
  /* the traps for drivers exist: rows starting mid-period, and first
   * periods with other counts than today's */
  ck_assert_int_gt(mid, 0);
  ck_assert_int_gt(history, 0);
  /* the companies outside the world exist too */
  answer a = call(api, "POST", ROOT "/Companies/query/count",
                  "{\"filter\":[{\"op\":\"gte\",\"field\":\"id\",\"value\":"
                  "50000}]}");
  ck_assert_int_eq(json_object_get_int(get(a.json, "queryCount")), 7);
  answer_free(&a);
  ats_api_free(api);
}
END_TEST

START_TEST(fixture_errors) {
  static const struct {
    const char *doc, *error;
  } bad[] = {
      {"[]", "JSON object"},
      {"{\"companies\":[{\"id\":1},{\"id\":1}]}", "id 1 appears twice"},
      {"{\"companies\":{}}", "must be an array"},
      {"{\"services\":[{\"id\":1,\"periodType\":\"Fortnightly\"}]}",
       "not a label"},
      {"{\"contracts\":[{\"id\":1,\"startDate\":\"soon\"}]}", "startDate"},
      {"{\"companies\":[{\"id\":1,\"isActive\":\"yes\"}]}", "isActive"},
      {"{\"contractServices\":[{\"id\":1,\"contractID\":9,\"units\":1}]}",
       "contract"},
      {"{\"contracts\":[{\"id\":9}],\"contractServices\":[{\"id\":1,"
       "\"contractID\":9}]}",
       "startDate"},
      {"{\"picklists\":[]}", "picklists"},
      {"{\"now\":\"tomorrow\"}", "now"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char err[512] = "";
    json_object *doc = json_tokener_parse(bad[i].doc);
    ck_assert_ptr_nonnull(doc);
    ats_db *db = ats_db_load(doc, NULL, err, sizeof err);
    json_object_put(doc);
    ck_assert_msg(db == NULL, "case %zu loaded", i);
    ck_assert_msg(strstr(err, bad[i].error) != NULL,
                  "case %zu: '%s' lacks '%s'", i, err, bad[i].error);
  }
  /* ids are given to items without one, after the highest */
  ats_db *db =
      db_from("{\"companies\":[{\"companyName\":\"a\"},{\"id\":7}]}", 0);
  ck_assert_ptr_nonnull(ats_db_find(db, ats_schema_entity("Companies"), 8));
  ats_db_free(db);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("at_query");
  TCase *tc = tcase_create("all");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, filter_table);
  tcase_add_test(tc, or_limit);
  tcase_add_test(tc, paging_over_1000);
  tcase_add_test(tc, page_details_and_post_next);
  tcase_add_test(tc, include_fields);
  tcase_add_test(tc, query_errors_and_count);
  tcase_add_test(tc, get_by_id_and_children);
  tcase_add_test(tc, entity_information);
  tcase_add_test(tc, dates);
  tcase_add_test(tc, periods);
  tcase_add_test(tc, unit_rows_from_fixture);
  tcase_add_test(tc, adjust_mid_period);
  tcase_add_test(tc, adjust_at_period_start);
  tcase_add_test(tc, units_index_answers_as_a_scan);
  tcase_add_test(tc, adjust_effective_date_is_the_written_day);
  tcase_add_test(tc, adjust_refusals);
  tcase_add_test(tc, adjust_creates_missing_service);
  tcase_add_test(tc, budget_counter);
  tcase_add_test(tc, budget_through_api);
  tcase_add_test(tc, credentials);
  tcase_add_test(tc, zone_discovery);
  tcase_add_test(tc, thread_limit_and_keys);
  tcase_add_test(tc, denied_entity);
  tcase_add_test(tc, wire_overrides);
  tcase_add_test(tc, domain_faults);
  tcase_add_test(tc, generated_world_agrees);
  tcase_add_test(tc, fixture_errors);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
