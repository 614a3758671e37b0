/* SPDX-License-Identifier: MIT */
/*
 * cw_snapshot.c — driver.snapshot(): the order of the reads and the
 * companies and agreements parts.
 *
 *   1. products    procurement/catalog, identifier in (...) (cw_catalog.c)
 *   2. companies   company/companies, id in (...) in chunks, or all, paged
 *   3. agreements  finance/agreements, company/id in (...) and Active, paged;
 *                  with agreement_type, pinned agreements are read apart so
 *                  the type filter cannot hide them
 *   4. lines       finance/agreements/{id}/additions, concurrently
 * (cw_additions.c)
 *
 * A failure of the picture as a whole (an answer that cannot be read,
 * paging faults, duplicate ids) fails the whole snapshot: the host must
 * never plan from a partial picture. A record that cannot be billed safely
 * (a null or fractional quantity, a company status ConnectWise does not
 * list) is that company's problem: an LPSA_NOTE_BAD_RECORD note makes it an
 * error and the rest of the run goes on.
 *
 * Every list is split so that no request URL is longer than CW_MAX_URL
 * (cw_budget.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cw_budget.h"
#include "cw_conditions.h"
#include "cw_json.h"
#include "cw_list.h"
#include "cw_snap.h"

int cw_snap_fail(cw_snap *s, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, s->errlen, fmt, ap);
  va_end(ap);
  return status;
}

int cw_snap_bad_record(cw_snap *s, long long company, long long agreement,
                       long long line, const char *fmt, ...) {
  char msg[600], cid[24], aid[24], lid[24];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(cid, sizeof cid, "%lld", company);
  snprintf(aid, sizeof aid, "%lld", agreement);
  snprintf(lid, sizeof lid, "%lld", line);
  lpsa_note n = LPSA_INIT(lpsa_note);
  n.kind = LPSA_NOTE_BAD_RECORD;
  n.company_id = cid;
  n.agreement_id = agreement ? aid : NULL;
  n.line_id = line ? lid : NULL;
  n.message = msg;
  s->c->api->log(s->c->host, LPSA_LOG_WARN, "connectwise: %s", msg);
  int rc = s->c->api->add_note(s->snap, &n);
  if (rc)
    return cw_snap_fail(s, rc, "the host refused a note about company %s (%s)",
                        cid, s->c->api->status_str(rc));
  return LPSA_OK;
}

long long cw_snap_agreement_company(const cw_snap *s, long long agreement) {
  for (size_t i = 0; i < s->n_agreements; i++)
    if (s->agreements[i] == agreement)
      return s->agreement_company[i];
  return 0;
}

/* --- company statuses ----------------------------------------------------- */

static const cw_list_kind status_kind = {
    "company status", "Companies > Company Maintenance", "Inquire"};

static int on_status(void *arg, json_object *rec, char *err, size_t errlen) {
  cw_snap *s = arg;
  cw_status_rec r;
  int rc = cw_status_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
  if (cw_idset_add(&s->statuses, r.id) < 0 ||
      (r.inactive && cw_idset_add(&s->inactive_statuses, r.id) < 0))
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  return LPSA_OK;
}

/* A company's status carries only its id and name: whether it means
 * inactive is the status's inactiveFlag ("Former Client" can be inactive,
 * "Onboarding" active), so the statuses are read once (one small list). */
static int read_statuses(cw_snap *s) {
  char *base = cw_list_query(s->c, "company/companies/statuses", NULL,
                             "id,name,inactiveFlag", s->c->page_size);
  if (!base)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  int rc = cw_list_read(s->c, &status_kind, base, NULL, on_status, s, s->err,
                        s->errlen);
  free(base);
  return rc;
}

/* --- companies ------------------------------------------------------------ */

static const cw_list_kind company_kind = {
    "company", "Companies > Company Maintenance", "Inquire"};

#define COMPANY_FIELDS "id,identifier,name,deletedFlag,status/id,status/name"

static int on_company(void *arg, json_object *rec, char *err, size_t errlen) {
  cw_snap *s = arg;
  cw_company_rec r;
  int rc = cw_company_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
  if (cw_idset_has(&s->companies, r.id))
    return LPSA_OK; /* already emitted by an earlier chunk */
  if (s->whole_companies && !cw_idset_has(&s->mapped_set, r.id))
    return LPSA_OK; /* reading the whole list: only mapped ones matter */
  char id[24];
  snprintf(id, sizeof id, "%lld", r.id);
  int listed = cw_idset_has(&s->statuses, r.status_id);
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = id;
  c.name = r.name ? r.name : r.identifier;
  c.active = !r.deleted && !cw_idset_has(&s->inactive_statuses, r.status_id);
  rc = s->c->api->add_company(s->snap, &c);
  if (rc)
    return cw_snap_fail(s, rc, "the host refused company %s (%s)", id,
                        s->c->api->status_str(rc));
  if (cw_idset_add(&s->companies, r.id) < 0)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  if (!r.deleted && !listed && r.status_id)
    return cw_snap_bad_record(
        s, r.id, 0, 0,
        "ConnectWise company %lld (\"%.60s\") has status %lld (\"%.40s\"), "
        "which company/companies/statuses does not list: lpsa cannot tell "
        "whether it is active; give it a listed status in ConnectWise and "
        "the next run syncs it",
        r.id, c.name ? c.name : "", r.status_id, r.status ? r.status : "");
  if (!r.deleted && !listed)
    return cw_snap_bad_record(
        s, r.id, 0, 0,
        "ConnectWise company %lld (\"%.60s\") has no status: lpsa cannot "
        "tell whether it is active; give it a status in ConnectWise and the "
        "next run syncs it",
        r.id, c.name ? c.name : "");
  return LPSA_OK;
}

/* The room for the ids of `field in (...)` in a list query of `path`, or
 * a failed snapshot when not even one id fits (an agreement_type too long
 * for a ConnectWise URL). */
static int id_room(cw_snap *s, const char *path, const char *field,
                   const char *extra, const char *fields, size_t *room) {
  *room = cw_budget_room(s->c, path, field, extra, fields, s->c->page_size);
  if (*room >= 20) /* the longest id */
    return LPSA_OK;
  return cw_snap_fail(
      s, LPSA_ERR_INVALID,
      "a ConnectWise query of %s would be longer than the %d characters "
      "ConnectWise accepts even with a single id: shorten agreement_type "
      "(it counts percent-encoded)",
      path, CW_MAX_URL);
}

/* Read `path` for every id of ids[0..n), in chunks that keep each URL
 * within CW_MAX_URL, with `extra` appended to each chunk's condition
 * (" and ..."), or NULL. */
static int read_chunked(cw_snap *s, const cw_list_kind *kind, const char *path,
                        const char *field, const long long *ids, size_t n,
                        const char *extra, const char *fields,
                        cw_record_fn fn) {
  size_t room = 0;
  int rc = n ? id_room(s, path, field, extra, fields, &room) : LPSA_OK;
  cw_idset seen;
  cw_idset_init(&seen);
  for (size_t at = 0; at < n && rc == LPSA_OK;) {
    size_t k = cw_cond_chunk(ids + at, n - at, CW_CHUNK_IDS, room);
    cw_buf cond;
    cw_buf_init(&cond);
    cw_cond_in_ids(&cond, field, ids + at, k);
    if (extra)
      cw_buf_puts(&cond, extra);
    char *base = cw_buf_str(&cond)
                     ? cw_list_query(s->c, path, cw_buf_str(&cond), fields,
                                     s->c->page_size)
                     : NULL;
    cw_buf_free(&cond);
    if (!base)
      rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    else
      rc = cw_list_read(s->c, kind, base, &seen, fn, s, s->err, s->errlen);
    free(base);
    at += k;
  }
  cw_idset_free(&seen);
  return rc;
}

/* Requests `n` ids take in chunks (no request is sent to count them). */
static int chunks_of(cw_snap *s, const char *path, const char *field,
                     const char *extra, const char *fields,
                     const long long *ids, size_t n, size_t *chunks) {
  size_t room = 0;
  *chunks = 0;
  int rc = n ? id_room(s, path, field, extra, fields, &room) : LPSA_OK;
  for (size_t at = 0; rc == LPSA_OK && at < n; ++*chunks)
    at += cw_cond_chunk(ids + at, n - at, CW_CHUNK_IDS, room);
  return rc;
}

/* Whether reading the whole list under `cond` (1 count request, then its
 * pages) costs fewer requests than `chunks` id-list requests. Most of an
 * MSP's PSA companies are LastPass customers, so with many mapped ids the
 * whole list is usually cheaper; with few, the count is never asked. */
static int whole_list_cheaper(cw_snap *s, const cw_list_kind *kind,
                              const char *path, const char *cond, size_t chunks,
                              int *cheaper, long long *total) {
  *cheaper = 0;
  *total = -1;
  if (chunks <= 2) /* a count plus one page can never beat them */
    return LPSA_OK;
  int rc = cw_list_count(s->c, kind, path, cond, total, s->err, s->errlen);
  if (rc == LPSA_OK) {
    long long pages = *total / s->c->page_size + 1;
    *cheaper = 1 + pages < (long long)chunks;
  }
  return rc;
}

/* The mapped ids that can be ConnectWise ids (canonical positive integers),
 * without repeats. Others cannot exist in ConnectWise: not emitting them
 * makes the host report PSA_COMPANY_NOT_FOUND. */
static int collect_mapped(cw_snap *s) {
  const lpsa_snapshot_request *req = s->req;
  s->mapped =
      calloc(req->n_company_ids ? req->n_company_ids : 1, sizeof *s->mapped);
  if (!s->mapped)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < req->n_company_ids; i++) {
    long long id;
    if (cw_parse_id(req->company_ids[i], &id)) {
      s->c->api->log(s->c->host, LPSA_LOG_DEBUG,
                     "connectwise: \"%s\" cannot be a ConnectWise company id",
                     req->company_ids[i] ? req->company_ids[i] : "");
      continue;
    }
    int added = cw_idset_add(&s->mapped_set, id);
    if (added < 0)
      return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    if (added)
      s->mapped[s->n_mapped++] = id;
  }
  return LPSA_OK;
}

static int read_companies(cw_snap *s) {
  int all = (s->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES) != 0, whole = all;
  if (!all && !s->n_mapped)
    return LPSA_OK; /* nothing to ask for */
  int rc = read_statuses(s);
  size_t chunks = 0;
  long long total = -1;
  if (rc == LPSA_OK && !all)
    rc = chunks_of(s, "company/companies", "id", NULL, COMPANY_FIELDS,
                   s->mapped, s->n_mapped, &chunks);
  if (rc == LPSA_OK && !all)
    rc = whole_list_cheaper(s, &company_kind, "company/companies", NULL, chunks,
                            &whole, &total);
  if (rc || !whole)
    return rc ? rc
              : read_chunked(s, &company_kind, "company/companies", "id",
                             s->mapped, s->n_mapped, NULL, COMPANY_FIELDS,
                             on_company);
  s->whole_companies = !all; /* then only mapped companies are emitted */
  char *base = cw_list_query(s->c, "company/companies", NULL, COMPANY_FIELDS,
                             s->c->page_size);
  if (!base)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  rc = total > 0 ? cw_list_read_known(s->c, &company_kind, base, total, NULL,
                                      on_company, s, s->err, s->errlen)
                 : cw_list_read(s->c, &company_kind, base, NULL, on_company, s,
                                s->err, s->errlen);
  free(base);
  return rc;
}

/* --- agreements ----------------------------------------------------------- */

static const cw_list_kind agreement_kind = {"agreement", "Finance > Agreements",
                                            "Inquire and Edit"};

#define AGREEMENT_FIELDS                                                       \
  "id,name,type/name,company/id,agreementStatus,cancelledFlag,prorateFlag"

static int pinned(const cw_snap *s, long long id) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", id);
  for (size_t i = 0; i < s->req->n_agreement_ids; i++)
    if (s->req->agreement_ids[i] && !strcmp(s->req->agreement_ids[i], buf))
      return 1;
  return 0;
}

/* Re-check on our side what the condition asked for: a server that ignored
 * part of it must not make a cancelled agreement look billable. */
static int wanted(const cw_snap *s, const cw_agreement_rec *r) {
  if (r->cancelled || (r->status && strcasecmp(r->status, "Active")))
    return 0;
  if (!cw_idset_has(&s->companies, r->company_id))
    return 0;
  if (s->c->agreement_type && !pinned(s, r->id) &&
      (!r->type || strcasecmp(r->type, s->c->agreement_type)))
    return 0;
  return 1;
}

static int remember_agreement(cw_snap *s, long long id, long long company) {
  if (s->n_agreements == s->cap_agreements) {
    size_t ncap = s->cap_agreements ? s->cap_agreements * 2 : 64;
    long long *p = realloc(s->agreements, ncap * sizeof *p);
    if (p)
      s->agreements = p;
    long long *q = p ? realloc(s->agreement_company, ncap * sizeof *q) : NULL;
    if (!q)
      return -1;
    s->agreement_company = q;
    s->cap_agreements = ncap;
  }
  s->agreement_company[s->n_agreements] = company;
  s->agreements[s->n_agreements++] = id;
  return cw_idset_add(&s->agreement_set, id) < 0 ? -1 : 0;
}

static int on_agreement(void *arg, json_object *rec, char *err, size_t errlen) {
  cw_snap *s = arg;
  cw_agreement_rec r;
  int rc = cw_agreement_from_json(rec, &r, err, errlen);
  if (rc)
    return rc;
  if (cw_idset_has(&s->agreement_set, r.id) || !wanted(s, &r))
    return LPSA_OK;
  char id[24], company[24];
  snprintf(id, sizeof id, "%lld", r.id);
  snprintf(company, sizeof company, "%lld", r.company_id);
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = id;
  a.company_id = company;
  a.name = r.name;
  a.type = r.type;
  a.prorate = r.prorate;
  /* ConnectWise has no billing period to honour: the sync only sets the
   * count (LastPass's rule for ConnectWise). */
  a.period = LPSA_PERIOD_NONE;
  rc = s->c->api->add_agreement(s->snap, &a);
  if (rc)
    return cw_snap_fail(s, rc, "the host refused agreement %s (%s)", id,
                        s->c->api->status_str(rc));
  if (remember_agreement(s, r.id, r.company_id))
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  return LPSA_OK;
}

/* " and agreementStatus=..." plus the type filter when asked. */
static char *agreement_extra(cw_snap *s, int with_type) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_puts(&b, " and agreementStatus=\"Active\" and cancelledFlag=false");
  if (with_type && s->c->agreement_type) {
    cw_buf_puts(&b, " and type/name=");
    if (cw_cond_string(&b, s->c->agreement_type)) {
      cw_buf_free(&b);
      return NULL;
    }
  }
  return cw_buf_steal(&b);
}

/* Pinned agreement ids the type filter may have hidden. */
static int read_pinned(cw_snap *s) {
  size_t n = 0;
  long long *ids = calloc(s->req->n_agreement_ids + 1, sizeof *ids);
  if (!ids)
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < s->req->n_agreement_ids; i++) {
    long long id;
    if (!cw_parse_id(s->req->agreement_ids[i], &id) &&
        !cw_idset_has(&s->agreement_set, id))
      ids[n++] = id;
  }
  int rc = LPSA_OK;
  char *extra = n ? agreement_extra(s, 0) : NULL;
  if (n && !extra)
    rc = cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  else if (n)
    rc = read_chunked(s, &agreement_kind, "finance/agreements", "id", ids, n,
                      extra, AGREEMENT_FIELDS, on_agreement);
  free(extra);
  free(ids);
  return rc;
}

static int read_agreements(cw_snap *s) {
  /* Only companies that exist can hold agreements. */
  size_t n = 0;
  for (size_t i = 0; i < s->n_mapped; i++)
    if (cw_idset_has(&s->companies, s->mapped[i]))
      s->mapped[n++] = s->mapped[i];
  char *extra = agreement_extra(s, 1);
  if (!extra) /* agreement_type was checked at open(): only OOM is left */
    return cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
  /* extra is " and <conditions>": the same conditions alone read every
   * active agreement; wanted() then keeps those of emitted companies. */
  const char *alone = extra + strlen(" and ");
  int whole = 0;
  size_t chunks = 0;
  long long total = -1;
  int rc = chunks_of(s, "finance/agreements", "company/id", extra,
                     AGREEMENT_FIELDS, s->mapped, n, &chunks);
  if (rc == LPSA_OK)
    rc = whole_list_cheaper(s, &agreement_kind, "finance/agreements", alone,
                            chunks, &whole, &total);
  if (rc == LPSA_OK && whole) {
    char *base = cw_list_query(s->c, "finance/agreements", alone,
                               AGREEMENT_FIELDS, s->c->page_size);
    rc = base ? cw_list_read_known(s->c, &agreement_kind, base, total, NULL,
                                   on_agreement, s, s->err, s->errlen)
              : cw_snap_fail(s, LPSA_ERR_NOMEM, "out of memory");
    free(base);
  } else if (rc == LPSA_OK) {
    rc = read_chunked(s, &agreement_kind, "finance/agreements", "company/id",
                      s->mapped, n, extra, AGREEMENT_FIELDS, on_agreement);
  }
  free(extra);
  if (rc == LPSA_OK && s->c->agreement_type)
    rc = read_pinned(s);
  return rc;
}

/* --- the whole --------------------------------------------------------------
 */

static void set_as_of(cw_snap *s) {
  if (cw_is_ymd(s->req->as_of)) {
    memcpy(s->as_of, s->req->as_of, 11);
    return;
  }
  time_t now = s->c->api->now(s->c->host);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(s->as_of, sizeof s->as_of, "%Y-%m-%d", &tm);
}

static int run(cw_snap *s) {
  int only_companies = (s->req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY) != 0;
  /* Request URLs are measured on the API root: know it first (this is the
   * discovery the first request would make anyway). */
  int rc = cw_ensure_root(s->c, s->err, s->errlen);
  if (!rc)
    rc = collect_mapped(s);
  if (!rc && !only_companies)
    rc = cw_snap_products(s);
  if (!rc)
    rc = read_companies(s);
  if (!rc && !only_companies)
    rc = read_agreements(s);
  if (!rc && !only_companies)
    rc = cw_snap_additions(s);
  return rc;
}

int cw_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                lpsa_snapshot *snap, char *err, size_t errlen) {
  cw_ctx *c = ctx;
  if (!c || !req || !snap) {
    snprintf(err, errlen, "snapshot called without a request");
    return LPSA_ERR_INVALID;
  }
  cw_snap s = {.c = c, .req = req, .snap = snap, .err = err, .errlen = errlen};
  cw_idset_init(&s.companies);
  cw_idset_init(&s.mapped_set);
  cw_idset_init(&s.agreement_set);
  cw_idset_init(&s.statuses);
  cw_idset_init(&s.inactive_statuses);
  set_as_of(&s);
  cw_op_begin(c);
  int rc = run(&s);
  free(s.prod_ids);
  free(s.prod_index);
  free(s.mapped);
  free(s.agreements);
  free(s.agreement_company);
  cw_idset_free(&s.statuses);
  cw_idset_free(&s.inactive_statuses);
  cw_idset_free(&s.companies);
  cw_idset_free(&s.mapped_set);
  cw_idset_free(&s.agreement_set);
  return rc;
}
