/* SPDX-License-Identifier: MIT */
/*
 * lp_companies.c — GET /business/v1/managed-companies: filters, sort and
 * paging over the managed companies.
 *
 * Accepted (all optional; values are case-sensitive, as documented):
 *   max-results 1..500 (default 10), page-token;
 *   status  csv of active, suspended;
 *   type    csv of managed, managed-msp;
 *   addon   csv of mfa, sso (a company matches when it has any of them);
 *   name    case-insensitive match, % matches any run of characters;
 *   parent-id  a company id;
 *   sort    id | name, optionally prefixed with - or suffixed with :asc /
 *           :desc (default id ascending; name ties are broken by id).
 * A bad value answers 400 problem details pointing at the parameter.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lp_app.h"

typedef struct filter {
  int status_mask; /* bit0 active, bit1 suspended; 0 = any */
  int type_mask;   /* bit0 managed, bit1 managed-msp; 0 = any */
  unsigned addons; /* any of; 0 = no filter */
  const char *name;
  long parent_id; /* 0 = no filter */
  int by_name;
  int descending;
} filter;

/* Each csv item must be one of `words`; sets bit i for words[i]. 0 on success.
 */
static int csv_mask(const char *csv, const char *const *words, int *mask) {
  const char *p = csv;
  *mask = 0;
  for (;;) {
    size_t n = strcspn(p, ",");
    int found = 0;
    for (int i = 0; words[i]; i++)
      if (strlen(words[i]) == n && strncmp(p, words[i], n) == 0) {
        *mask |= 1 << i;
        found = 1;
      }
    if (!found)
      return -1;
    if (!p[n])
      return 0;
    p += n + 1;
  }
}

static int parse_sort(const char *s, filter *f) {
  const char *field = s;
  size_t n;
  f->descending = 0;
  if (*field == '-' || *field == '+') {
    f->descending = *field == '-';
    field++;
  }
  n = strcspn(field, ":");
  if (n == 2 && strncmp(field, "id", 2) == 0)
    f->by_name = 0;
  else if (n == 4 && strncmp(field, "name", 4) == 0)
    f->by_name = 1;
  else
    return -1;
  if (!field[n])
    return 0;
  if (field != s) /* "-name:asc" says two things */
    return -1;
  if (strcmp(field + n, ":asc") == 0)
    return 0;
  if (strcmp(field + n, ":desc") == 0) {
    f->descending = 1;
    return 0;
  }
  return -1;
}

static int parse_id(const char *s, long *out) {
  if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 15)
    return -1;
  *out = strtol(s, NULL, 10);
  return *out > 0 ? 0 : -1;
}

static int read_filter(const sim_request *req, filter *f, sim_response *resp) {
  static const char *const statuses[] = {"active", "suspended", NULL};
  static const char *const types[] = {"managed", "managed-msp", NULL};
  static const char *const addons[] = {"mfa", "sso", NULL};
  const char *v;
  int mask;
  memset(f, 0, sizeof *f);
  if ((v = sim_query(req, "status")) &&
      csv_mask(v, statuses, &f->status_mask)) {
    lp_problem_param(
        resp, req, "status",
        "status must be a comma-separated list of active, suspended");
    return -1;
  }
  if ((v = sim_query(req, "type")) && csv_mask(v, types, &f->type_mask)) {
    lp_problem_param(resp, req, "type", "type must be managed or managed-msp");
    return -1;
  }
  if ((v = sim_query(req, "addon"))) {
    if (csv_mask(v, addons, &mask)) {
      lp_problem_param(resp, req, "addon",
                       "addon must be a comma-separated list of mfa, sso");
      return -1;
    }
    f->addons = (unsigned)mask;
  }
  if ((v = sim_query(req, "parent-id")) && parse_id(v, &f->parent_id)) {
    lp_problem_param(resp, req, "parent-id", "parent-id must be a company id");
    return -1;
  }
  if ((v = sim_query(req, "sort")) && parse_sort(v, f)) {
    lp_problem_param(resp, req, "sort",
                     "sort must be id or name, optionally -id, -name, id:desc, "
                     "name:asc ...");
    return -1;
  }
  f->name = sim_query(req, "name");
  return 0;
}

/* SQL LIKE with only %, ASCII case-insensitive. */
static int like(const char *p, const char *s) {
  for (; *p; p++, s++) {
    if (*p == '%') {
      while (*p == '%')
        p++;
      if (!*p)
        return 1;
      for (; *s; s++)
        if (like(p, s))
          return 1;
      return 0;
    }
    if (!*s || tolower((unsigned char)*p) != tolower((unsigned char)*s))
      return 0;
  }
  return *s == '\0';
}

static int keep(const filter *f, const lp_company *c) {
  if (f->status_mask && !(f->status_mask & (c->suspended ? 2 : 1)))
    return 0;
  if (f->type_mask && !(f->type_mask & (c->managed_msp ? 2 : 1)))
    return 0;
  if (f->addons && !(f->addons & c->addons))
    return 0;
  if (f->parent_id && c->parent_id != f->parent_id)
    return 0;
  return !f->name || like(f->name, c->name);
}

static int by_name(const void *a, const void *b) {
  const lp_company *x = *(const lp_company *const *)a;
  const lp_company *y = *(const lp_company *const *)b;
  int c = strcasecmp(x->name, y->name);
  return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int by_name_desc(const void *a, const void *b) {
  return by_name(b, a);
}

static json_object *make_item(const void *ctx, size_t i) {
  const lp_company *const *list = ctx;
  return lp_company_item(list[i]);
}

void lp_list_companies(lp_app *app, const sim_request *req,
                       sim_response *resp) {
  static const char *const hashed[] = {"sort", "status",    "type", "addon",
                                       "name", "parent-id", NULL};
  filter f;
  lp_paging pg;
  size_t n = 0;
  if (read_filter(req, &f, resp) != 0 ||
      lp_paging_read(app, req, 10, 500, lp_query_hash(req, hashed), &pg,
                     resp) != 0)
    return;
  const lp_company **list =
      malloc((app->data.n ? app->data.n : 1) * sizeof *list);
  if (!list) {
    sim_respond_text(resp, 500, "text/plain", "out of memory\n");
    return;
  }
  for (size_t i = 0; i < app->data.n; i++) {
    /* the data is sorted by id: walking it backwards gives id descending */
    size_t k = !f.by_name && f.descending ? app->data.n - 1 - i : i;
    if (keep(&f, &app->data.companies[k]))
      list[n++] = &app->data.companies[k];
  }
  if (f.by_name)
    qsort(list, n, sizeof *list, f.descending ? by_name_desc : by_name);
  lp_page_respond(app, req, resp, &pg, n, make_item, list, 1, "id");
  free(list);
}
