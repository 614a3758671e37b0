/* SPDX-License-Identifier: MIT */
/*
 * cw_catalog.c — resolving the configured product identifiers against the
 * ConnectWise product catalog (procurement/catalog).
 *
 * Several configured refs may name one catalog item (the same product for
 * both SKUs, or "lp-bus" and "LP-BUS"): each is reported found with the same
 * catalog id, so the host can tell PRODUCT_SHARED_BY_SKUS, and lines of that
 * item carry the first such index. Identifiers compare without case, as
 * ConnectWise's database does. An inactive catalog item still resolves (its
 * existing additions still bill) with a warning in the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cw_budget.h"
#include "cw_conditions.h"
#include "cw_json.h"
#include "cw_list.h"
#include "cw_snap.h"

/* The best catalog item found for one configured product. */
typedef struct pick {
  long long id;
  char *label;
  int inactive;
  int ambiguous;
} pick;

typedef struct cat_run {
  cw_snap *s;
  pick *picks; /* one per request->products */
} cat_run;

static int better(const pick *p, const cw_catalog_rec *r) {
  return !p->id || (p->inactive && !r->inactive);
}

static int on_item(void *arg, json_object *rec, char *err, size_t errlen) {
  cat_run *run = arg;
  cw_catalog_rec r;
  int rc = cw_catalog_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
  const lpsa_snapshot_request *req = run->s->req;
  for (size_t i = 0; i < req->n_products; i++) {
    pick *p = &run->picks[i];
    if (strcasecmp(req->products[i].ref, r.identifier))
      continue;
    if (p->id && p->id != r.id && p->inactive == r.inactive)
      p->ambiguous = 1;
    if (!better(p, &r))
      continue;
    char *label =
        strdup(r.description && *r.description ? r.description : r.identifier);
    if (!label) {
      snprintf(err, errlen, "out of memory reading the catalog");
      return LPSA_ERR_NOMEM;
    }
    free(p->label);
    p->id = r.id;
    p->label = label;
    p->inactive = r.inactive;
  }
  return LPSA_OK;
}

/* The distinct refs worth asking for (control characters cannot occur in a
 * ConnectWise identifier, so such refs simply stay not found). */
static size_t distinct_refs(const lpsa_snapshot_request *req,
                            const char **out) {
  size_t n = 0;
  for (size_t i = 0; i < req->n_products; i++) {
    const char *ref = req->products[i].ref;
    int dup = 0;
    for (size_t j = 0; j < n && !dup; j++)
      dup = !strcasecmp(out[j], ref);
    cw_buf probe;
    cw_buf_init(&probe);
    int ok = ref && *ref && cw_cond_string(&probe, ref) == 0;
    cw_buf_free(&probe);
    if (!dup && ok)
      out[n++] = ref;
  }
  return n;
}

#define REFS_PER_QUERY 50
#define CATALOG_FIELDS "id,identifier,description,inactiveFlag"

/* The encoded length of each ref as a condition literal ("LP-BUS" with its
 * quotes), for the URL budget. */
static int literal_costs(cw_snap *s, const char **refs, size_t n,
                         size_t *cost) {
  for (size_t i = 0; i < n; i++) {
    cw_buf lit;
    cw_buf_init(&lit);
    cw_cond_string(&lit, refs[i]);
    if (!cw_buf_str(&lit)) {
      cw_buf_free(&lit);
      return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    }
    cost[i] = cw_budget_escaped(s->c, cw_buf_str(&lit));
    cw_buf_free(&lit);
  }
  return LPSA_OK;
}

/* Identifiers may be 60 characters long: the list is split so that each
 * request URL stays within CW_MAX_URL, as every other list. */
static int query_catalog(cat_run *run, const char **refs, size_t n) {
  cw_snap *s = run->s;
  static const cw_list_kind kind = {"catalog item",
                                    "Procurement > Product Catalog", "Inquire"};
  size_t *cost = calloc(n, sizeof *cost);
  if (!cost)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  int rc = literal_costs(s, refs, n, cost);
  size_t room = cw_budget_room(s->c, "procurement/catalog", "identifier", NULL,
                               CATALOG_FIELDS, s->c->page_size);
  for (size_t at = 0; rc == LPSA_OK && at < n;) {
    size_t k = cw_cond_take(cost + at, n - at, REFS_PER_QUERY, room);
    if (k == 0) { /* cannot happen for identifiers of ConnectWise's size */
      rc = cw_snap_fail(s, LPSA_ERR_INVALID,
                        "the product identifier \"%.80s\" is too long for a "
                        "ConnectWise query: correct it in the configuration",
                        refs[at]);
      break;
    }
    cw_buf cond;
    cw_buf_init(&cond);
    cw_cond_in_strings(&cond, "identifier", refs + at, k);
    char *base =
        cw_buf_str(&cond)
            ? cw_list_query(s->c, "procurement/catalog", cw_buf_str(&cond),
                            CATALOG_FIELDS, s->c->page_size)
            : NULL;
    cw_buf_free(&cond);
    if (!base)
      rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    else
      rc = cw_list_read(s->c, &kind, base, NULL, on_item, run, s->err,
                        s->errlen);
    free(base);
    at += k;
  }
  free(cost);
  return rc;
}

/* Record the distinct found ids with their first index. */
static int remember(cw_snap *s, const pick *picks) {
  size_t n = s->req->n_products;
  s->prod_ids = calloc(n ? n : 1, sizeof *s->prod_ids);
  s->prod_index = calloc(n ? n : 1, sizeof *s->prod_index);
  if (!s->prod_ids || !s->prod_index)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    if (!picks[i].id || cw_snap_product_index(s, picks[i].id) >= 0)
      continue;
    s->prod_ids[s->n_prod] = picks[i].id;
    s->prod_index[s->n_prod++] = i;
  }
  return LPSA_OK;
}

static int report(cw_snap *s, const pick *picks) {
  const lpsa_host_api *api = s->c->api;
  for (size_t i = 0; i < s->req->n_products; i++) {
    const pick *p = &picks[i];
    const char *ref = s->req->products[i].ref;
    if (!p->id) {
      api->log(s->c->host, LPSA_LOG_DEBUG,
               "connectwise: no catalog item has the identifier \"%s\"", ref);
      continue;
    }
    if (p->inactive)
      api->log(s->c->host, LPSA_LOG_WARN,
               "connectwise: product \"%s\" (catalog id %lld) is inactive in "
               "the ConnectWise catalog; its existing additions still bill",
               ref, p->id);
    if (p->ambiguous)
      api->log(s->c->host, LPSA_LOG_WARN,
               "connectwise: several catalog items have the identifier "
               "\"%s\"; using catalog id %lld",
               ref, p->id);
    char id[24];
    snprintf(id, sizeof id, "%lld", p->id);
    int rc = api->product_found(s->snap, i, id, p->label);
    if (rc)
      return cw_snap_fail(s, rc, "the host refused product %s (%s)", ref,
                          api->status_str(rc));
  }
  return remember(s, picks);
}

int cw_snap_products(cw_snap *s) {
  size_t n = s->req->n_products;
  if (!n)
    return LPSA_OK;
  const char **refs = calloc(n, sizeof *refs);
  pick *picks = calloc(n, sizeof *picks);
  int rc = LPSA_OK;
  if (!refs || !picks)
    rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  cat_run run = {s, picks};
  size_t k = rc ? 0 : distinct_refs(s->req, refs);
  if (!rc && k)
    rc = query_catalog(&run, refs, k);
  if (!rc)
    rc = report(s, picks);
  for (size_t i = 0; picks && i < n; i++)
    free(picks[i].label);
  free(picks);
  free(refs);
  return rc;
}

long cw_snap_product_index(const cw_snap *s, long long id) {
  for (size_t i = 0; i < s->n_prod; i++)
    if (s->prod_ids[i] == id)
      return (long)s->prod_index[i];
  return -1;
}
