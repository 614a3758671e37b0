/*
 * cw_additions.c — reading the additions (lines) of every emitted agreement.
 *
 * ConnectWise has no global additions endpoint: additions hang under their
 * agreement, so this is one request per agreement (plus one per extra page).
 * They go out CONCURRENTLY through the host's http_many() (the host bounds
 * concurrency), in batches of CW_ADDITIONS_BATCH agreements; an agreement
 * with several pages takes part in as many rounds as it has pages.
 *
 * The condition asks for additions of the mapped catalog items that still
 * bill on the run's date; each record is checked again here (a server that
 * ignored the condition must not make a cancelled addition look live).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int on_addition(void *arg, json_object *rec, char *err, size_t errlen) {
  add_run *run = arg;
  cw_snap *s = run->s;
  cw_addition_rec r;
  int rc = cw_addition_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
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
  long long q;
  int fraction = 0;
  if (cw_quantity_whole(r.quantity, &q, &fraction))
    return cw_snap_fail(s, LPSA_ERR_PROTOCOL,
                        "addition %lld on agreement %lld has quantity %g, "
                        "which lpsa cannot manage: correct it in ConnectWise",
                        r.id, run->agreement, r.quantity);
  if (fraction)
    s->c->api->log(s->c->host, LPSA_LOG_WARN,
                   "connectwise: addition %lld on agreement %lld has a "
                   "fractional quantity %g; counted as %lld",
                   r.id, run->agreement, r.quantity, q);
  return emit(run, &r, (size_t)index, q);
}

/* "?conditions=...&fields=...&pageSize=N" shared by every agreement. */
static char *build_condition(cw_snap *s) {
  cw_buf cond;
  cw_buf_init(&cond);
  cw_cond_in_ids(&cond, "product/id", s->prod_ids, s->n_prod);
  cw_buf_puts(&cond, " and (cancelledDate=null or cancelledDate>");
  cw_cond_day(&cond, s->as_of);
  cw_buf_puts(&cond, ")");
  return cw_buf_steal(&cond);
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

static int read_batch(add_run *run, const long long *ags, size_t n,
                      const char *cond) {
  cw_snap *s = run->s;
  cw_pager *pagers = calloc(n, sizeof *pagers);
  if (!pagers)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  size_t ready = 0;
  int rc = LPSA_OK;
  for (; ready < n; ready++) {
    char *base = agreement_base(s, ags[ready], cond);
    int bad = !base || cw_pager_init(&pagers[ready], base);
    free(base);
    if (bad) {
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

int cw_snap_additions(cw_snap *s) {
  if (!s->n_prod || !s->n_agreements)
    return LPSA_OK;
  char *cond = build_condition(s);
  if (!cond)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  add_run run = {.s = s};
  cw_idset_init(&run.seen);
  int rc = LPSA_OK;
  for (size_t at = 0; rc == LPSA_OK && at < s->n_agreements;
       at += CW_ADDITIONS_BATCH) {
    size_t n = s->n_agreements - at;
    if (n > CW_ADDITIONS_BATCH)
      n = CW_ADDITIONS_BATCH;
    rc = read_batch(&run, s->agreements + at, n, cond);
  }
  cw_idset_free(&run.seen);
  free(cond);
  return rc;
}
