/* SPDX-License-Identifier: MIT */
/*
 * cw_additions.c — reading the additions (lines) of every emitted agreement.
 *
 * ConnectWise has no global additions endpoint: additions hang under their
 * agreement, so this is one request per agreement (plus one per extra page).
 * They go out CONCURRENTLY through the host's http_many() (the host bounds
 * concurrency), all in one call (up to CW_ADDITIONS_BATCH agreements); an
 * agreement with several pages takes part in as many rounds as it has
 * pages.
 *
 * The condition asks for additions of the mapped catalog items that still
 * bill on the run's date; each record is checked again here (a server that
 * ignored the condition must not make a cancelled addition look live). When
 * the product ids do not fit one URL (cw_budget.h), each agreement is read
 * once per chunk of them.
 *
 * An addition that cannot be billed safely (no quantity, a fractional,
 * negative or absurd one, no product) is its company's problem: a
 * BAD_RECORD note names the agreement, the addition and what to do; the
 * line is not emitted and the rest of the run goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_budget.h"
#include "cw_conditions.h"
#include "cw_json.h"
#include "cw_list.h"
#include "cw_snap.h"

static const cw_list_kind addition_kind = {"addition", "Finance > Agreements",
                                           "Inquire and Edit"};

#define ADDITION_FIELDS                                                        \
  "id,product/id,product/identifier,quantity,cancelledDate,description"

typedef struct add_run {
  cw_snap *s;
  cw_idset seen;       /* addition ids are unique across agreements */
  long long agreement; /* the agreement whose page is being taken */
} add_run;

static int emit(add_run *run, const cw_addition_rec *r, size_t product,
                long long quantity) {
  cw_snap *s = run->s;
  char id[24], agreement[24];
  snprintf(id, sizeof id, "%lld", r->id);
  snprintf(agreement, sizeof agreement, "%lld", run->agreement);
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = id;
  l.agreement_id = agreement;
  l.product = product;
  l.quantity = quantity;
  l.description = r->description && *r->description ? r->description
                                                    : r->product_identifier;
  int rc = s->c->api->add_line(s->snap, &l);
  if (rc)
    return cw_snap_fail(s, rc, "the host refused addition %s (%s)", id,
                        s->c->api->status_str(rc));
  return LPSA_OK;
}

/* A note for the company of the agreement being read. */
static int bad(add_run *run, const cw_addition_rec *r, const char *what) {
  cw_snap *s = run->s;
  return cw_snap_bad_record(
      s, cw_snap_agreement_company(s, run->agreement), run->agreement, r->id,
      "addition %lld on agreement %lld %s", r->id, run->agreement, what);
}

/* The quantity of a mapped addition as a count, or a note. */
static int whole_quantity(add_run *run, const cw_addition_rec *r, int *ok) {
  char what[300];
  const cw_qty *q = &r->quantity;
  *ok = q->kind == CW_QTY_WHOLE;
  switch (q->kind) {
  case CW_QTY_WHOLE:
    return LPSA_OK;
  case CW_QTY_NULL:
    return bad(run, r,
               "has no quantity (null in ConnectWise): lpsa cannot tell how "
               "many seats it bills; set its quantity in ConnectWise and the "
               "next run syncs it");
  case CW_QTY_FRACTION:
    snprintf(what, sizeof what,
             "has quantity %s, not a whole number of seats: lpsa never "
             "rounds a billed count; set it to a whole number in ConnectWise "
             "and the next run syncs it",
             q->text);
    return bad(run, r, what);
  case CW_QTY_NEGATIVE:
    snprintf(what, sizeof what,
             "has quantity %s, below zero: no seat count can be; correct it "
             "in ConnectWise and the next run syncs it",
             q->text);
    return bad(run, r, what);
  case CW_QTY_TOO_LARGE:
    break;
  }
  snprintf(what, sizeof what,
           "has quantity %.30s, larger than any seat count: correct it in "
           "ConnectWise and the next run syncs it",
           q->text);
  return bad(run, r, what);
}

static int on_addition(void *arg, json_object *rec, char *err, size_t errlen) {
  add_run *run = arg;
  cw_snap *s = run->s;
  cw_addition_rec r;
  int rc = cw_addition_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
  /* The query asked for mapped products only: an addition without one is
   * an addition lpsa cannot place. */
  if (!r.product_id)
    return bad(run, &r,
               "has no product: lpsa cannot tell whether it bills LastPass; "
               "set its product in ConnectWise (or cancel it) and the next "
               "run syncs it");
  long index = cw_snap_product_index(s, r.product_id);
  if (index < 0)
    return LPSA_OK; /* not a mapped product */
  int cancelled = cw_addition_cancelled(r.cancelled_date, s->as_of);
  if (cancelled < 0)
    return cw_snap_fail(s, LPSA_ERR_PROTOCOL,
                        "ConnectWise sent addition %lld on agreement %lld with "
                        "an unreadable cancelledDate \"%.40s\"",
                        r.id, run->agreement, r.cancelled_date);
  if (cancelled)
    return LPSA_OK;
  int whole = 0;
  rc = whole_quantity(run, &r, &whole);
  if (rc || !whole)
    return rc;
  return emit(run, &r, (size_t)index, r.quantity.whole);
}

/* The condition for product ids[0..n): shared by every agreement. */
static char *build_condition(cw_snap *s, const long long *ids, size_t n) {
  cw_buf cond;
  cw_buf_init(&cond);
  cw_cond_in_ids(&cond, "product/id", ids, n);
  cw_buf_puts(&cond, " and (cancelledDate=null or cancelledDate>");
  cw_cond_day(&cond, s->as_of);
  cw_buf_puts(&cond, ")");
  return cw_buf_steal(&cond);
}

/* " and (cancelledDate=null or cancelledDate>[...])" alone, for the budget. */
static char *condition_tail(cw_snap *s) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_puts(&b, " and (cancelledDate=null or cancelledDate>");
  cw_cond_day(&b, s->as_of);
  cw_buf_puts(&b, ")");
  return cw_buf_steal(&b);
}

static char *agreement_base(cw_snap *s, long long agreement, const char *cond) {
  char path[64];
  snprintf(path, sizeof path, "finance/agreements/%lld/additions", agreement);
  return cw_list_query(s->c, path, cond, ADDITION_FIELDS, s->c->page_size);
}

/* One round: the next page of every unfinished stream, all at once. */
static int round_trip(add_run *run, cw_pager *pagers, const long long *ags,
                      size_t n) {
  cw_snap *s = run->s;
  cw_req *reqs = calloc(n, sizeof *reqs);
  cw_buf *urls = calloc(n, sizeof *urls);
  size_t *which = calloc(n, sizeof *which);
  lpsa_http_response *resps = calloc(n, sizeof *resps);
  size_t k = 0;
  int rc = (reqs && urls && which && resps) ? LPSA_OK : LPSA_ERR_NOMEM;
  for (size_t i = 0; rc == LPSA_OK && i < n; i++) {
    if (pagers[i].done)
      continue;
    cw_buf_init(&urls[k]);
    cw_pager_url(&pagers[i], &urls[k]);
    reqs[k] = (cw_req){.rel = cw_buf_str(&urls[k]),
                       .area = addition_kind.area,
                       .grant = addition_kind.grant,
                       .list = 1};
    which[k] = i;
    if (!reqs[k++].rel)
      rc = LPSA_ERR_NOMEM;
  }
  int sent = 0;
  if (rc == LPSA_ERR_NOMEM)
    cw_snap_fail(s, rc, "out of memory reading additions");
  else {
    rc = cw_call_many(s->c, reqs, k, resps, s->err, s->errlen);
    sent = 1;
  }
  for (size_t j = 0; rc == LPSA_OK && j < k; j++) {
    run->agreement = ags[which[j]];
    rc = cw_list_take_page(s->c, &addition_kind, &resps[j], &pagers[which[j]],
                           &run->seen, on_addition, run, s->err, s->errlen);
  }
  for (size_t j = 0; sent && j < k; j++)
    cw_release(s->c, &resps[j]);
  for (size_t j = 0; urls && j < k; j++)
    cw_buf_free(&urls[j]);
  free(reqs);
  free(urls);
  free(which);
  free(resps);
  return rc;
}

/* Streams ags[i] read under conds[i], i < n: one pager each. */
static int read_batch(add_run *run, const long long *ags, char *const *conds,
                      size_t n) {
  cw_snap *s = run->s;
  cw_pager *pagers = calloc(n, sizeof *pagers);
  if (!pagers)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  size_t ready = 0;
  int rc = LPSA_OK;
  for (; ready < n; ready++) {
    char *base = agreement_base(s, ags[ready], conds[ready]);
    int bad_alloc = !base || cw_pager_init(&pagers[ready], base);
    free(base);
    if (bad_alloc) {
      rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
      break;
    }
  }
  for (int more = 1; rc == LPSA_OK && more;) {
    rc = round_trip(run, pagers, ags, n);
    more = 0;
    for (size_t i = 0; i < n; i++)
      more |= !pagers[i].done;
  }
  for (size_t i = 0; i < n; i++)
    cw_pager_free(&pagers[i]);
  free(pagers);
  return rc;
}

/* The product-id conditions, split so that any agreement's URL fits
 * (measured with the longest agreement id there can be). */
static int product_conditions(cw_snap *s, char ***out, size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  char *tail = condition_tail(s);
  if (!tail)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  size_t room =
      cw_budget_room(s->c,
                     "finance/agreements/9223372036854775807/"
                     "additions",
                     "product/id", tail, ADDITION_FIELDS, s->c->page_size);
  free(tail);
  char **conds = calloc(s->n_prod, sizeof *conds);
  if (!conds)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  size_t k = 0;
  int rc = LPSA_OK;
  for (size_t at = 0; rc == LPSA_OK && at < s->n_prod; k++) {
    size_t take =
        cw_cond_chunk(s->prod_ids + at, s->n_prod - at, CW_CHUNK_IDS, room);
    conds[k] = take ? build_condition(s, s->prod_ids + at, take) : NULL;
    if (!conds[k])
      rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    at += take ? take : s->n_prod;
  }
  *out = conds;
  *n_out = k;
  return rc;
}

int cw_snap_additions(cw_snap *s) {
  if (!s->n_prod || !s->n_agreements)
    return LPSA_OK;
  char **conds = NULL;
  size_t n_conds = 0;
  int rc = product_conditions(s, &conds, &n_conds);
  add_run run = {.s = s};
  cw_idset_init(&run.seen);
  /* Streams: every agreement under every product condition. */
  size_t total = s->n_agreements * n_conds;
  long long *ags = rc ? NULL : calloc(total ? total : 1, sizeof *ags);
  char **cs = rc ? NULL : calloc(total ? total : 1, sizeof *cs);
  if (!rc && (!ags || !cs))
    rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  for (size_t i = 0; !rc && i < s->n_agreements; i++)
    for (size_t j = 0; j < n_conds; j++) {
      ags[i * n_conds + j] = s->agreements[i];
      cs[i * n_conds + j] = conds[j];
    }
  for (size_t at = 0; rc == LPSA_OK && at < total; at += CW_ADDITIONS_BATCH) {
    size_t n = total - at;
    if (n > CW_ADDITIONS_BATCH)
      n = CW_ADDITIONS_BATCH;
    rc = read_batch(&run, ags + at, cs + at, n);
  }
  cw_idset_free(&run.seen);
  for (size_t j = 0; j < n_conds; j++)
    free(conds[j]);
  free(conds);
  free(ags);
  free(cs);
  return rc;
}
