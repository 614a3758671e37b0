/* SPDX-License-Identifier: MIT */
/*
 * lastpass.c — reads managed companies, the current billing cycle and the
 * billing report from the LastPass REST API, page by page, refusing any
 * answer that is not complete and well-formed: a partial read must never
 * look like a company losing its users.
 */
#include "lastpass.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal_id.h"
#include "lpsa/model.h"
#include "lpsa/status.h"

/* Bounds on one paged read (the API gives no totals to bound it by): more
 * records than any LastPass account holds, and pages that bring nothing,
 * are a server that keeps handing out page tokens, not a list. */
#define LP_MAX_ITEMS 50000
#define LP_MAX_EMPTY_PAGES 10
/* Full pages for LP_MAX_ITEMS, plus room for short and empty ones. */
#define LP_MAX_PAGES(page_size) (LP_MAX_ITEMS / (page_size) + 20)
#define LP_COMPANIES_PAGE 500
#define LP_BILLING_PAGE 50
/* More users than any one managed company can have: a corrupt count. */
#define LP_MAX_SEATS 10000000
/* Billing cycles asked for: the one covering today and those before it, so
 * today's is found whatever order LastPass lists them in. */
#define LP_CYCLES_ASKED 3

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return status;
}

/* An id as a decimal string: a JSON integer or a string of digits, from 0
 * to INT64_MAX. Larger ones are refused, never clamped: json-c reads them
 * as INT64_MAX, which could be another company's id. */
static int id_text(json_object *v, char *buf, size_t cap) {
  if (json_object_is_type(v, json_type_int)) {
    int64_t n = json_object_get_int64(v);
    if (n < 0 || (n == INT64_MAX && json_object_get_uint64(v) > INT64_MAX))
      return -1;
    snprintf(buf, cap, "%lld", (long long)n);
    return 0;
  }
  if (json_object_is_type(v, json_type_string)) {
    const char *s = json_object_get_string(v);
    size_t len = strlen(s);
    if (len == 0 || len >= cap || strspn(s, "0123456789") != len ||
        !decimal_id_fits_int64(s))
      return -1;
    memcpy(buf, s, len + 1);
    return 0;
  }
  return -1;
}

char *lastpass_problem_text(const char *body, size_t len) {
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return NULL;
  json_object *root = json_tokener_parse_ex(tok, body, (int)len);
  json_tokener_free(tok);
  if (!root || !json_object_is_type(root, json_type_object)) {
    json_object_put(root);
    return NULL;
  }
  json_object *title = NULL, *detail = NULL, *errors = NULL;
  json_object_object_get_ex(root, "title", &title);
  json_object_object_get_ex(root, "detail", &detail);
  json_object_object_get_ex(root, "errors", &errors);
  if (!title && !detail) {
    json_object_put(root);
    return NULL;
  }
  char buf[1024];
  size_t used = (size_t)snprintf(buf, sizeof buf, "%s%s%s",
                                 title ? json_object_get_string(title) : "",
                                 title && detail ? ": " : "",
                                 detail ? json_object_get_string(detail) : "");
  if (errors && json_object_is_type(errors, json_type_array)) {
    size_t n = json_object_array_length(errors);
    for (size_t i = 0; i < n && used < sizeof buf; i++) {
      json_object *e = json_object_array_get_idx(errors, i), *d = NULL,
                  *p = NULL;
      json_object_object_get_ex(e, "detail", &d);
      json_object_object_get_ex(e, "pointer", &p);
      used += (size_t)snprintf(buf + used, sizeof buf - used, " [%s%s%s]",
                               p ? json_object_get_string(p) : "",
                               p && d ? ": " : "",
                               d ? json_object_get_string(d) : "");
    }
  }
  json_object_put(root);
  return strdup(buf);
}

/* Parse `body` as a JSON object with an "items" array; return the root and
 * set *items and the next token. */
static json_object *parse_page(const char *body, size_t len,
                               json_object **items, char *next, size_t next_cap,
                               char *err, size_t errlen) {
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  json_object *root = json_tokener_parse_ex(tok, body, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t consumed = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  if (!root || jerr != json_tokener_success || consumed != len) {
    json_object_put(root);
    snprintf(err, errlen, "LastPass sent a malformed or truncated JSON page");
    return NULL;
  }
  json_object *nt = NULL;
  if (!json_object_is_type(root, json_type_object) ||
      !json_object_object_get_ex(root, "items", items) ||
      !json_object_is_type(*items, json_type_array)) {
    json_object_put(root);
    snprintf(err, errlen, "LastPass sent a page without an \"items\" list");
    return NULL;
  }
  next[0] = '\0';
  if (json_object_object_get_ex(root, "nextPageToken", &nt) && nt &&
      !json_object_is_type(nt, json_type_null)) {
    const char *s = json_object_get_string(nt);
    if (!json_object_is_type(nt, json_type_string) || strlen(s) >= next_cap) {
      json_object_put(root);
      snprintf(err, errlen, "LastPass sent an unusable nextPageToken");
      return NULL;
    }
    strcpy(next, s);
  }
  return root;
}

static int add_company(lp_data *out, const char *id, const char *name,
                       int suspended, int mfa) {
  if (out->n == out->cap) {
    size_t cap = out->cap ? out->cap * 2 : 256;
    lp_company *grown = realloc(out->companies, cap * sizeof *grown);
    if (!grown)
      return LPSA_ERR_NOMEM;
    out->companies = grown;
    out->cap = cap;
  }
  lp_company *c = &out->companies[out->n];
  memset(c, 0, sizeof *c);
  c->id = strdup(id);
  c->name = strdup(name);
  c->suspended = suspended;
  c->sku = mfa ? LPSA_SKU_LASTPASS_MFA : LPSA_SKU_LASTPASS;
  if (!c->id || !c->name || strmap_put(&out->ix, id, out->n)) {
    free(c->id);
    free(c->name);
    return LPSA_ERR_NOMEM;
  }
  out->n++;
  return LPSA_OK;
}

/* The page parsers count the records on the page into *records (kept or
 * not): paging is bounded by them. */
static int parse_companies(const char *body, size_t len, lp_data *out,
                           char *next, size_t next_cap, char *err,
                           size_t errlen, size_t *records) {
  json_object *items;
  json_object *root =
      parse_page(body, len, &items, next, next_cap, err, errlen);
  if (!root)
    return LPSA_ERR_PROTOCOL;
  int rc = LPSA_OK;
  size_t n = json_object_array_length(items);
  *records = n;
  for (size_t i = 0; i < n && rc == LPSA_OK; i++) {
    json_object *item = json_object_array_get_idx(items, i);
    json_object *id = NULL, *name = NULL, *status = NULL, *addons = NULL;
    char idbuf[32];
    if (!json_object_is_type(item, json_type_object) ||
        !json_object_object_get_ex(item, "id", &id) ||
        id_text(id, idbuf, sizeof idbuf) != 0) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass sent a managed company without a usable \"id\" "
                "(a whole number from 0 to 9223372036854775807)");
      break;
    }
    if (!json_object_object_get_ex(item, "name", &name) ||
        !json_object_is_type(name, json_type_string)) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass managed company %s has no \"name\" string", idbuf);
      break;
    }
    int suspended = 0;
    if (json_object_object_get_ex(item, "status", &status)) {
      const char *s = json_object_get_string(status);
      if (!json_object_is_type(status, json_type_string) ||
          (strcmp(s, "active") != 0 && strcmp(s, "suspended") != 0)) {
        rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                  "LastPass managed company %s has an unknown status", idbuf);
        break;
      }
      suspended = strcmp(s, "suspended") == 0;
    }
    int mfa = 0;
    if (json_object_object_get_ex(item, "addons", &addons) && addons &&
        !json_object_is_type(addons, json_type_null)) {
      if (!json_object_is_type(addons, json_type_array)) {
        rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                  "LastPass managed company %s: \"addons\" is not a list",
                  idbuf);
        break;
      }
      for (size_t k = 0; k < json_object_array_length(addons); k++) {
        json_object *a = json_object_array_get_idx(addons, k);
        if (json_object_is_type(a, json_type_string) &&
            strcmp(json_object_get_string(a), "mfa") == 0)
          mfa = 1;
      }
    }
    if (lp_data_find(out, idbuf) >= 0) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass listed managed company %s twice (broken paging?)",
                idbuf);
      break;
    }
    rc = add_company(out, idbuf, json_object_get_string(name), suspended, mfa);
    if (rc != LPSA_OK)
      snprintf(err, errlen, "out of memory");
  }
  json_object_put(root);
  return rc;
}

static int parse_billing(const char *body, size_t len, lp_data *out, char *next,
                         size_t next_cap, char *err, size_t errlen,
                         size_t *records) {
  json_object *items;
  json_object *root =
      parse_page(body, len, &items, next, next_cap, err, errlen);
  if (!root)
    return LPSA_ERR_PROTOCOL;
  int rc = LPSA_OK;
  size_t n = json_object_array_length(items);
  *records = n;
  for (size_t i = 0; i < n; i++) {
    json_object *item = json_object_array_get_idx(items, i);
    json_object *id = NULL, *users = NULL;
    char idbuf[32];
    if (!json_object_is_type(item, json_type_object) ||
        !json_object_object_get_ex(item, "companyId", &id) ||
        id_text(id, idbuf, sizeof idbuf) != 0) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass sent a billing record without a usable "
                "\"companyId\" (a whole number from 0 to "
                "9223372036854775807)");
      break;
    }
    if (!json_object_object_get_ex(item, "activeUsers", &users) ||
        !json_object_is_type(users, json_type_int) ||
        json_object_get_int64(users) < 0 ||
        json_object_get_int64(users) > LP_MAX_SEATS) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass billing record of company %s has no plausible "
                "\"activeUsers\" (a whole number from 0 to 10000000)",
                idbuf);
      break;
    }
    long at = lp_data_find(out, idbuf);
    if (at < 0)
      continue; /* a grandchild or a company outside the list: not ours */
    lp_company *c = &out->companies[at];
    if (c->has_record) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass sent two billing records for company %s (broken "
                "paging?)",
                idbuf);
      break;
    }
    c->has_record = 1;
    c->seats = json_object_get_int64(users);
  }
  json_object_put(root);
  return rc;
}

int lastpass_parse_companies(const char *body, size_t len, lp_data *out,
                             char *next, size_t next_cap, char *err,
                             size_t errlen) {
  size_t records;
  return parse_companies(body, len, out, next, next_cap, err, errlen, &records);
}

int lastpass_parse_billing(const char *body, size_t len, lp_data *out,
                           char *next, size_t next_cap, char *err,
                           size_t errlen) {
  size_t records;
  return parse_billing(body, len, out, next, next_cap, err, errlen, &records);
}

/* "YYYY-MM-DD", optionally followed by a time ("T..."): the dates go into
 * a URL, so nothing else may pass. */
static int iso_date(const char *s) {
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
      return 0;
  return s[10] == '\0' || s[10] == 'T';
}

int lastpass_parse_cycles(const char *body, size_t len, const char *as_of,
                          lp_data *out, char *err, size_t errlen) {
  json_tokener *tok = json_tokener_new();
  json_object *root = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
  if (tok && json_tokener_get_parse_end(tok) != len) {
    json_object_put(root);
    root = NULL;
  }
  json_tokener_free(tok);
  /* Documented as a bare list; a list wrapped like the paged ones
   * ({"items":[...]}) is accepted too. */
  json_object *list = root, *items = NULL;
  if (root && json_object_is_type(root, json_type_object) &&
      json_object_object_get_ex(root, "items", &items))
    list = items;
  if (!list || !json_object_is_type(list, json_type_array) ||
      json_object_array_length(list) == 0) {
    json_object_put(root);
    return fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass sent no billing cycle (expected a list of "
                "{startDate,endDate})");
  }
  if (!as_of || !iso_date(as_of)) {
    json_object_put(root);
    return fail(err, errlen, LPSA_ERR_INVALID,
                "no run date to pick the billing cycle by");
  }
  /* Only the cycle covering today may be billed, wherever it is listed:
   * another one would bill another month's counts. */
  int chosen = -1;
  char listed[400] = "";
  size_t used = 0, n = json_object_array_length(list);
  for (size_t i = 0; i < n; i++) {
    json_object *c = json_object_array_get_idx(list, i), *s = NULL, *e = NULL;
    if (!json_object_object_get_ex(c, "startDate", &s) ||
        !json_object_object_get_ex(c, "endDate", &e) ||
        !json_object_is_type(s, json_type_string) ||
        !json_object_is_type(e, json_type_string) ||
        strlen(json_object_get_string(s)) < 10 ||
        strlen(json_object_get_string(e)) < 10) {
      json_object_put(root);
      return fail(err, errlen, LPSA_ERR_PROTOCOL,
                  "LastPass sent a billing cycle without ISO start/end dates");
    }
    const char *sd = json_object_get_string(s), *ed = json_object_get_string(e);
    if (!iso_date(sd) || !iso_date(ed)) {
      json_object_put(root);
      return fail(err, errlen, LPSA_ERR_PROTOCOL,
                  "LastPass sent a billing cycle whose dates are not "
                  "YYYY-MM-DD");
    }
    int w = snprintf(listed + used, sizeof listed - used, "%s%.10s..%.10s",
                     used ? ", " : "", sd, ed);
    if (w > 0 && (size_t)w < sizeof listed - used)
      used += (size_t)w;
    if (strncmp(sd, as_of, 10) > 0 || strncmp(as_of, ed, 10) > 0)
      continue;
    if (chosen >= 0 && (strncmp(out->cycle_start, sd, 10) != 0 ||
                        strncmp(out->cycle_end, ed, 10) != 0)) {
      int rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                    "LastPass listed two different billing cycles covering "
                    "%.10s (%s..%s and %.10s..%.10s); which one to bill "
                    "cannot be told, so nothing is billed",
                    as_of, out->cycle_start, out->cycle_end, sd, ed);
      json_object_put(root); /* sd and ed live in it */
      return rc;
    }
    memcpy(out->cycle_start, sd, 10);
    out->cycle_start[10] = '\0';
    memcpy(out->cycle_end, ed, 10);
    out->cycle_end[10] = '\0';
    chosen = (int)i;
  }
  json_object_put(root);
  if (chosen < 0) {
    out->cycle_start[0] = out->cycle_end[0] = '\0';
    return fail(err, errlen, LPSA_ERR_PROTOCOL,
                "no billing cycle covers %.10s: LastPass listed %s; another "
                "cycle's counts are never billed, so nothing was written "
                "(run again once LastPass lists the current cycle)",
                as_of, listed);
  }
  return LPSA_OK;
}

/* GET one URL; on a non-200 answer turn it into a status and message. */
static int get(http_client *http, const lp_options *opt, const char *url,
               const char *label, lpsa_http_response *resp, char *err,
               size_t errlen) {
  char auth[2048];
  if ((size_t)snprintf(auth, sizeof auth, "Authorization: api-key %s",
                       opt->api_key) >= sizeof auth)
    return fail(err, errlen, LPSA_ERR_INVALID,
                "the LastPass api_key is too long (%zu characters); check "
                "[lastpass] api_key",
                strlen(opt->api_key));
  const char *headers[] = {auth, "Accept: application/json", NULL};
  lpsa_http_request req = {.size = sizeof req,
                           .method = "GET",
                           .url = url,
                           .headers = headers,
                           .label = label};
  int rc = http_send(http, &req, resp);
  if (rc != LPSA_OK)
    return fail(err, errlen, rc, "cannot reach LastPass: %s", resp->error);
  if (resp->status == 200) {
    if (opt->on_page)
      opt->on_page(opt->on_page_arg);
    return LPSA_OK;
  }
  char *problem = lastpass_problem_text(resp->body, resp->body_len);
  const char *why = problem ? problem : "no details";
  if (resp->status == 401)
    rc = fail(err, errlen, LPSA_ERR_AUTH,
              "LastPass rejected the API key (HTTP 401: %s); check api_key in "
              "[lastpass]",
              why);
  else if (resp->status == 403)
    rc = fail(err, errlen, LPSA_ERR_PERMISSION,
              "LastPass refused access (HTTP 403: %s); the API key needs the "
              "managed-companies reporting permission",
              why);
  else
    rc = fail(err, errlen, LPSA_ERR_REMOTE,
              "LastPass answered HTTP %ld to %s: %s", resp->status, label, why);
  free(problem);
  return rc;
}

typedef int (*page_parser)(const char *, size_t, lp_data *, char *, size_t,
                           char *, size_t, size_t *);

/* A read past the bounds: a server that never stops handing out pages. */
static int endless(char *err, size_t errlen, const char *label, size_t records,
                   int pages, int empty_run) {
  return fail(err, errlen, LPSA_ERR_PROTOCOL,
              "LastPass kept paging %s: %zu records on %d pages (%d empty in "
              "a row), more than any LastPass account holds (at most %d "
              "records, %d empty pages in a row); refusing to continue",
              label, records, pages, empty_run, LP_MAX_ITEMS,
              LP_MAX_EMPTY_PAGES);
}

/* Follow nextPageToken from `first_url` (pages of page_size records) until
 * the last page, within the bounds above. */
static int read_pages(http_client *http, const lp_options *opt,
                      const char *first_url, const char *label, int page_size,
                      page_parser parse, lp_data *out, char *err,
                      size_t errlen) {
  char next[1024] = "", url[4096];
  strmap seen = {0};
  int rc = LPSA_OK, empty_run = 0;
  size_t records = 0;
  for (int page = 0;; page++) {
    if (page >= LP_MAX_PAGES(page_size) || records > LP_MAX_ITEMS ||
        empty_run > LP_MAX_EMPTY_PAGES) {
      rc = endless(err, errlen, label, records, page, empty_run);
      break;
    }
    if (next[0]) {
      char esc[3 * sizeof next];
      http_url_escape(next, esc, sizeof esc);
      snprintf(url, sizeof url, "%s&page-token=%s", first_url, esc);
    } else {
      snprintf(url, sizeof url, "%s", first_url);
    }
    lpsa_http_response resp = {.size = sizeof resp};
    rc = get(http, opt, url, label, &resp, err, errlen);
    size_t on_page = 0;
    if (rc == LPSA_OK) {
      char pagerr[512];
      rc = parse(resp.body, resp.body_len, out, next, sizeof next, pagerr,
                 sizeof pagerr, &on_page);
      if (rc != LPSA_OK)
        snprintf(err, errlen, "%s (%s, page %d)", pagerr, label, page + 1);
    }
    records += on_page;
    empty_run = on_page == 0 ? empty_run + 1 : 0;
    http_response_release(&resp);
    if (rc != LPSA_OK || !next[0])
      break;
    if (strmap_get(&seen, next, NULL)) {
      rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass paging loops: page token of %s seen twice", label);
      break;
    }
    if (strmap_put(&seen, next, 0)) {
      rc = fail(err, errlen, LPSA_ERR_NOMEM, "out of memory");
      break;
    }
  }
  strmap_free(&seen);
  return rc;
}

static void base_url(const char *api_url, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", api_url);
  size_t len = strlen(buf);
  while (len && buf[len - 1] == '/')
    buf[--len] = '\0';
}

int lastpass_fetch(http_client *http, const lp_options *opt, lp_data *out,
                   char *err, size_t errlen) {
  char base[1024], url[2048];
  memset(out, 0, sizeof *out);
  base_url(opt->api_url, base, sizeof base);

  snprintf(url, sizeof url, "%s/v1/managed-companies?max-results=%d", base,
           LP_COMPANIES_PAGE);
  int rc = read_pages(http, opt, url, "lastpass managed-companies",
                      LP_COMPANIES_PAGE, parse_companies, out, err, errlen);
  if (rc == LPSA_OK && out->n == 0)
    rc = fail(err, errlen, LPSA_ERR_PROTOCOL,
              "LastPass returned no managed companies; refusing to continue, "
              "since that would zero every customer's bill");
  if (rc != LPSA_OK || opt->companies_only)
    return rc;

  snprintf(url, sizeof url,
           "%s/v1/managed-companies-reports/billing-cycles?number-of-cycles=%d",
           base, LP_CYCLES_ASKED);
  lpsa_http_response resp = {.size = sizeof resp};
  rc = get(http, opt, url, "lastpass billing-cycles", &resp, err, errlen);
  if (rc == LPSA_OK)
    rc = lastpass_parse_cycles(resp.body, resp.body_len, opt->as_of, out, err,
                               errlen);
  http_response_release(&resp);
  if (rc != LPSA_OK)
    return rc;

  snprintf(url, sizeof url,
           "%s/v1/managed-companies-reports/billing-reports?start-date=%s&"
           "end-date=%s&max-results=%d",
           base, out->cycle_start, out->cycle_end, LP_BILLING_PAGE);
  rc = read_pages(http, opt, url, "lastpass billing-reports", LP_BILLING_PAGE,
                  parse_billing, out, err, errlen);
  if (rc != LPSA_OK)
    return rc;

  long long total = 0;
  for (size_t i = 0; i < out->n; i++)
    total += out->companies[i].seats;
  if (total == 0)
    return fail(err, errlen, LPSA_ERR_PROTOCOL,
                "LastPass reports zero users for every one of %zu managed "
                "companies in the cycle %s..%s; refusing to continue, since "
                "that would zero every customer's bill",
                out->n, out->cycle_start, out->cycle_end);
  return LPSA_OK;
}
