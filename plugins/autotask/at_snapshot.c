/* SPDX-License-Identifier: MIT */
/*
 * at_snapshot.c — driver.snapshot(): read what the sync needs from Autotask
 * and emit it through the host's builders (companies, then contracts, then
 * contract services, then notes). A read failure fails the whole snapshot:
 * the host must never act on a partial picture. One record that cannot be
 * billed from (a units row without a whole number of units, a contract
 * service without its service, ...) is that company's problem only: it
 * becomes a note (LPSA_NOTE_BAD_RECORD) and the rest goes on.
 *
 *   1. Services by id or name            -> product_found()
 *   2. ContractServices serviceID in [...]  (the lines)
 *   3. Contracts id in [...] (+ pinned)   -> at_select.h chooses
 *   4. Companies id in [...] (or all)
 *   5. ContractServiceUnits contractServiceID in [...] covering as_of
 */
#include "at_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_client.h"
#include "at_fields.h"
#include "at_idset.h"
#include "at_notes.h"
#include "at_period.h"
#include "at_query.h"
#include "at_query_json.h"
#include "at_records.h"
#include "at_select.h"
#include "at_service_match.h"
#include "at_vec.h"
#include "billing_period.h"

/* A record that cannot be billed from: its id, what it belongs to, and the
 * note's message. */
typedef struct bad_rec {
  long long id, owner;
  char *message;
} bad_rec;

typedef struct snap_run {
  at_ctx *ctx;
  const lpsa_snapshot_request *req;
  lpsa_snapshot *snap;
  at_date as_of;
  at_idset mapped, pinned;
  at_fields fields;
  at_service *services;
  size_t n_services, cap_services;
  long *product_of; /* per service: the first product index naming it */
  at_idset service_ix;
  at_contract_service *cs;
  size_t n_cs, cap_cs;
  at_contract *contracts;
  size_t n_contracts, cap_contracts;
  unsigned char *keep;
  at_idset contract_ix;
  at_company *companies;
  size_t n_companies, cap_companies;
  at_idset company_ix;
  at_unit *units;
  size_t n_units, cap_units;
  at_idset best_unit; /* contract service id -> units index */
  at_idset cs_ix;     /* contract service id -> index in cs (sorted) */
  /* Records read but not billable, kept until their company is known:
   * contract services (id, contract) and contracts (id, company). */
  bad_rec *bad_cs, *bad_contracts, *bad_units;
  size_t n_bad_cs, cap_bad_cs, n_bad_contracts, cap_bad_contracts;
  size_t n_bad_units, cap_bad_units;
  at_idset bad_line; /* contract services whose units cannot be read */
  at_notes notes;
} snap_run;

static int oom(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory while reading Autotask");
  return LPSA_ERR_NOMEM;
}

static int keep_bad(bad_rec **list, size_t *n, size_t *cap, long long id,
                    long long owner, const char *message) {
  bad_rec b = {id, owner, strdup(message)};
  if (!b.message || at_vec_push((void **)list, n, cap, sizeof b, &b)) {
    free(b.message);
    return -1;
  }
  return 0;
}

static void free_bad(bad_rec *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(list[i].message);
  free(list);
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* -- the request ---------------------------------------------------------- */

static int read_request(snap_run *r, char *err, size_t errlen) {
  const lpsa_snapshot_request *q = r->req;
  if (!q->as_of || at_date_parse(q->as_of, &r->as_of)) {
    snprintf(err, errlen, "the snapshot date \"%s\" is not YYYY-MM-DD",
             q->as_of ? q->as_of : "(none)");
    return LPSA_ERR_INVALID;
  }
  /* Autotask ids are numbers: any other mapped id cannot exist there and
   * is simply not emitted (the host reports it as not found). */
  for (size_t i = 0; i < q->n_company_ids; i++) {
    long long id;
    if (q->company_ids[i] && at_ref_is_id(q->company_ids[i], &id) &&
        at_idset_add(&r->mapped, id, i) < 0)
      return oom(err, errlen);
  }
  for (size_t i = 0; i < q->n_agreement_ids; i++) {
    long long id;
    if (q->agreement_ids[i] && at_ref_is_id(q->agreement_ids[i], &id) &&
        at_idset_add(&r->pinned, id, i) < 0)
      return oom(err, errlen);
  }
  return LPSA_OK;
}

/* Keys of a set, sorted, as a new array (NULL with *n = 0 when empty). */
static int set_keys(const at_idset *s, long long **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!s->len)
    return 0;
  long long *keys = malloc(s->len * sizeof *keys);
  if (!keys)
    return -1;
  for (size_t i = 0; i < s->cap; i++)
    if (s->used[i])
      keys[(*n)++] = s->keys[i];
  qsort(keys, *n, sizeof *keys, cmp_ll);
  *out = keys;
  return 0;
}

/* Run an `in` query over the keys of `ids` with optional extra conditions. */
static int query_in(snap_run *r, const char *entity, const char *field,
                    const at_idset *ids, size_t chunk, json_object *extra,
                    const char *const *fields, at_item_fn fn, char *err,
                    size_t errlen) {
  long long *keys;
  size_t n, n_bodies = 0;
  char **bodies = NULL;
  if (set_keys(ids, &keys, &n) ||
      at_query_in_bodies(field, keys, n, chunk, extra, fields, &bodies,
                         &n_bodies)) {
    free(keys);
    return oom(err, errlen);
  }
  free(keys);
  int rc = at_query_run(r->ctx, entity, bodies, n_bodies, fn, r, err, errlen);
  at_free_bodies(bodies, n_bodies);
  return rc;
}

/* -- 1. services ---------------------------------------------------------- */

static int take_service(void *arg, json_object *item, long long id, char *err,
                        size_t errlen) {
  snap_run *r = arg;
  at_service s;
  (void)id;
  if (at_parse_service(item, &s, err, errlen))
    return LPSA_ERR_PROTOCOL;
  if (at_vec_push((void **)&r->services, &r->n_services, &r->cap_services,
                  sizeof s, &s)) {
    at_service_free(&s);
    return oom(err, errlen);
  }
  return LPSA_OK;
}

/* One body per 250 refs: each ref may cost two OR conditions (its name, and
 * its id in the `in`), and Autotask allows 500. */
static char *services_body(const lpsa_snapshot_request *q, size_t first,
                           size_t count) {
  static const char *const fields[] = {"id", "name", "periodType", "isActive",
                                       NULL};
  json_object *items[251 + 1];
  long long ids[250];
  size_t n = 0, n_ids = 0;
  for (size_t i = first; i < first + count; i++) {
    long long id;
    if (at_ref_is_id(q->products[i].ref, &id))
      ids[n_ids++] = id;
    items[n++] = at_cond_eq_str("name", q->products[i].ref);
  }
  if (n_ids)
    items[n++] = at_cond_in_ids("id", ids, n_ids);
  json_object *filter = json_object_new_array();
  json_object *group = at_cond_group("or", items, n);
  if (!filter || !group || json_object_array_add(filter, group)) {
    json_object_put(group);
    json_object_put(filter);
    return NULL;
  }
  return at_query_body(filter, fields);
}

static int find_services(snap_run *r, char *err, size_t errlen) {
  const lpsa_snapshot_request *q = r->req;
  size_t n_bodies = (q->n_products + 249) / 250;
  char **bodies = calloc(n_bodies ? n_bodies : 1, sizeof *bodies);
  if (!bodies)
    return oom(err, errlen);
  int rc = LPSA_OK;
  for (size_t b = 0; b < n_bodies && rc == LPSA_OK; b++) {
    size_t first = b * 250;
    size_t count = q->n_products - first < 250 ? q->n_products - first : 250;
    bodies[b] = services_body(q, first, count);
    if (!bodies[b])
      rc = oom(err, errlen);
  }
  if (rc == LPSA_OK)
    rc = at_query_run(r->ctx, "Services", bodies, n_bodies, take_service, r,
                      err, errlen);
  at_free_bodies(bodies, n_bodies);
  if (rc != LPSA_OK)
    return rc;
  r->product_of =
      malloc((r->n_services ? r->n_services : 1) * sizeof *r->product_of);
  if (!r->product_of)
    return oom(err, errlen);
  for (size_t i = 0; i < r->n_services; i++)
    r->product_of[i] = -1;
  for (size_t p = 0; p < q->n_products; p++) {
    long hit = at_match_service(q->products[p].ref, r->services, r->n_services);
    if (hit == AT_MATCH_AMBIGUOUS) {
      r->ctx->api->log(r->ctx->host, LPSA_LOG_WARN,
                       "Autotask: several services are named \"%s\"; set the "
                       "service id in sku.%s instead",
                       q->products[p].ref, q->products[p].sku);
      continue;
    }
    if (hit < 0)
      continue;
    const at_service *s = &r->services[hit];
    char id[24];
    snprintf(id, sizeof id, "%lld", s->id);
    rc = r->ctx->api->product_found(r->snap, p, id, s->name);
    if (rc != LPSA_OK) {
      snprintf(err, errlen, "the host refused service %lld: %s", s->id,
               r->ctx->api->status_str(rc));
      return rc;
    }
    if (r->product_of[hit] < 0) {
      r->product_of[hit] = (long)p;
      if (at_idset_add(&r->service_ix, s->id, (size_t)hit) < 0)
        return oom(err, errlen);
    }
  }
  return LPSA_OK;
}

/* -- 2. contract services ------------------------------------------------- */

static int take_cs(void *arg, json_object *item, long long id, char *err,
                   size_t errlen) {
  snap_run *r = arg;
  at_contract_service cs;
  (void)id;
  int p = at_parse_contract_service(item, &cs, err, errlen);
  if (p == AT_REC_FATAL)
    return LPSA_ERR_PROTOCOL;
  if (p == AT_REC_BAD) {
    /* It answered a query for our services: its contract's company is told
     * once the contract is read. */
    int rc = keep_bad(&r->bad_cs, &r->n_bad_cs, &r->cap_bad_cs, cs.id,
                      cs.contract_id, err);
    err[0] = '\0';
    return rc ? oom(err, errlen) : LPSA_OK;
  }
  /* Only lines of the services asked for; anything else is ignored. */
  if (!at_idset_get(&r->service_ix, cs.service_id, NULL))
    return LPSA_OK;
  return at_vec_push((void **)&r->cs, &r->n_cs, &r->cap_cs, sizeof cs, &cs)
             ? oom(err, errlen)
             : LPSA_OK;
}

static int cmp_cs(const void *a, const void *b) {
  const at_contract_service *x = a, *y = b;
  int c = cmp_ll(&x->contract_id, &y->contract_id);
  return c ? c : cmp_ll(&x->id, &y->id);
}

static int read_contract_services(snap_run *r, char *err, size_t errlen) {
  static const char *const fields[] = {"id", "contractID", "serviceID", NULL};
  int rc = query_in(r, "ContractServices", "serviceID", &r->service_ix,
                    AT_IN_CHUNK, NULL, fields, take_cs, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  /* By contract, then id: emit_all walks contracts and their lines. */
  if (r->n_cs)
    qsort(r->cs, r->n_cs, sizeof *r->cs, cmp_cs);
  for (size_t i = 0; i < r->n_cs; i++)
    if (at_idset_add(&r->cs_ix, r->cs[i].id, i) < 0)
      return oom(err, errlen);
  return LPSA_OK;
}

/* -- 3. contracts ---------------------------------------------------------- */

static int take_contract(void *arg, json_object *item, long long id, char *err,
                         size_t errlen) {
  snap_run *r = arg;
  at_contract c;
  (void)id;
  int p = at_parse_contract(item, &c, err, errlen);
  if (p == AT_REC_FATAL)
    return LPSA_ERR_PROTOCOL;
  if (p == AT_REC_BAD) {
    /* Not selected (its status, type or dates are unknown); its company
     * is told if it is emitted. */
    at_contract_free(&c);
    int rc = keep_bad(&r->bad_contracts, &r->n_bad_contracts,
                      &r->cap_bad_contracts, c.id, c.company_id, err);
    err[0] = '\0';
    return rc ? oom(err, errlen) : LPSA_OK;
  }
  if (at_vec_push((void **)&r->contracts, &r->n_contracts, &r->cap_contracts,
                  sizeof c, &c)) {
    at_contract_free(&c);
    return oom(err, errlen);
  }
  return LPSA_OK;
}

static int cmp_contract(const void *a, const void *b) {
  return cmp_ll(&((const at_contract *)a)->id, &((const at_contract *)b)->id);
}

static int read_contracts(snap_run *r, char *err, size_t errlen) {
  static const char *const fields[] = {"id",
                                       "companyID",
                                       "contractName",
                                       "contractType",
                                       "status",
                                       "startDate",
                                       "endDate",
                                       "contractCategory",
                                       "contractPeriodType",
                                       NULL};
  at_idset ids = {0};
  int rc = LPSA_OK;
  for (size_t i = 0; i < r->n_cs && rc == LPSA_OK; i++)
    if (at_idset_add(&ids, r->cs[i].contract_id, 0) < 0)
      rc = oom(err, errlen);
  for (size_t i = 0; i < r->n_bad_cs && rc == LPSA_OK; i++)
    if (at_idset_add(&ids, r->bad_cs[i].owner, 0) < 0)
      rc = oom(err, errlen);
  for (size_t i = 0; i < r->pinned.cap && rc == LPSA_OK; i++)
    if (r->pinned.used[i] && at_idset_add(&ids, r->pinned.keys[i], 0) < 0)
      rc = oom(err, errlen);
  if (rc == LPSA_OK)
    rc = query_in(r, "Contracts", "id", &ids, AT_IN_CHUNK, NULL, fields,
                  take_contract, err, errlen);
  at_idset_free(&ids);
  if (rc != LPSA_OK)
    return rc;
  if (r->n_contracts)
    qsort(r->contracts, r->n_contracts, sizeof *r->contracts, cmp_contract);
  r->keep = malloc(r->n_contracts ? r->n_contracts : 1);
  if (!r->keep)
    return oom(err, errlen);
  at_select_rules rules = {
      .active_status = r->fields.active_status,
      .has_category = r->fields.has_category,
      .category = r->fields.category,
      .pinned = &r->pinned,
      .mapped =
          (r->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES) ? NULL : &r->mapped,
      .as_of = r->as_of,
  };
  if (at_select_contracts(r->contracts, r->n_contracts, &rules, r->keep))
    return oom(err, errlen);
  for (size_t i = 0; i < r->n_contracts; i++)
    if (r->keep[i] && at_idset_add(&r->contract_ix, r->contracts[i].id, i) < 0)
      return oom(err, errlen);
  return LPSA_OK;
}

/* -- 4. companies ---------------------------------------------------------- */

static int take_company(void *arg, json_object *item, long long id, char *err,
                        size_t errlen) {
  snap_run *r = arg;
  at_company c;
  (void)id;
  int p = at_parse_company(item, &c, err, errlen);
  if (p == AT_REC_FATAL)
    return LPSA_ERR_PROTOCOL;
  if (p == AT_REC_BAD) {
    /* Emitted all the same, so the note can name it. */
    int rc = at_notes_add(&r->notes, LPSA_NOTE_BAD_RECORD, c.id, 0, 0, err);
    err[0] = '\0';
    if (rc) {
      at_company_free(&c);
      return oom(err, errlen);
    }
  }
  if (at_vec_push((void **)&r->companies, &r->n_companies, &r->cap_companies,
                  sizeof c, &c)) {
    at_company_free(&c);
    return oom(err, errlen);
  }
  return LPSA_OK;
}

static int cmp_company(const void *a, const void *b) {
  return cmp_ll(&((const at_company *)a)->id, &((const at_company *)b)->id);
}

static int read_companies(snap_run *r, char *err, size_t errlen) {
  static const char *const fields[] = {"id", "companyName", "isActive", NULL};
  int rc = LPSA_OK;
  if (r->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES) {
    json_object *filter = json_object_new_array();
    json_object *all = at_cond_exist("id");
    char *body = NULL;
    if (filter && all && !json_object_array_add(filter, all)) {
      all = NULL;
      body = at_query_body(filter, fields);
      filter = NULL;
    }
    json_object_put(all);
    json_object_put(filter);
    if (!body)
      return oom(err, errlen);
    rc = at_query_run(r->ctx, "Companies", &body, 1, take_company, r, err,
                      errlen);
    free(body);
  } else {
    at_idset ids = {0};
    for (size_t i = 0; i < r->mapped.cap && rc == LPSA_OK; i++)
      if (r->mapped.used[i] && at_idset_add(&ids, r->mapped.keys[i], 0) < 0)
        rc = oom(err, errlen);
    for (size_t i = 0; i < r->n_contracts && rc == LPSA_OK; i++)
      if (r->keep && r->keep[i] &&
          at_idset_add(&ids, r->contracts[i].company_id, 0) < 0)
        rc = oom(err, errlen);
    if (rc == LPSA_OK)
      rc = query_in(r, "Companies", "id", &ids, AT_IN_CHUNK, NULL, fields,
                    take_company, err, errlen);
    at_idset_free(&ids);
  }
  if (rc != LPSA_OK)
    return rc;
  if (r->n_companies)
    qsort(r->companies, r->n_companies, sizeof *r->companies, cmp_company);
  for (size_t i = 0; i < r->n_companies; i++)
    if (at_idset_add(&r->company_ix, r->companies[i].id, i) < 0)
      return oom(err, errlen);
  return LPSA_OK;
}

/* -- 5. units ------------------------------------------------------------- */

/* Contract services per units query. The date window is a day wider than
 * as_of on each side, so a few lines bring two rows; 400 keeps a chunk's
 * rows within one page of 500 (500 ids would spill onto a second page). */
#define AT_UNITS_CHUNK 400

/* A contract kept and whose company was found: it will be emitted. */
static int emitted_contract(const snap_run *r, long long contract_id,
                            size_t *index) {
  size_t i;
  if (!at_idset_get(&r->contract_ix, contract_id, &i) ||
      !at_idset_get(&r->company_ix, r->contracts[i].company_id, NULL))
    return 0;
  if (index)
    *index = i;
  return 1;
}

static int take_unit(void *arg, json_object *item, long long id, char *err,
                     size_t errlen) {
  snap_run *r = arg;
  at_unit u;
  size_t best;
  (void)id;
  int p = at_parse_unit(item, &u, err, errlen);
  if (p == AT_REC_FATAL)
    return LPSA_ERR_PROTOCOL;
  if (p == AT_REC_BAD) {
    /* A row that surely does not cover as_of does not matter; any other
     * might hold today's count, so the line cannot be read. */
    int added = 0;
    if (!u.dates_ok || bp_contains(&u.start, &u.end, &r->as_of))
      added = at_idset_add(&r->bad_line, u.contract_service_id, 0);
    if (added > 0 && keep_bad(&r->bad_units, &r->n_bad_units, &r->cap_bad_units,
                              u.contract_service_id, 0, err))
      added = -1;
    err[0] = '\0';
    return added < 0 ? oom(err, errlen) : LPSA_OK;
  }
  /* The server filter is a day wider than as_of on each side (time zones,
   * date-time comparisons); the exact choice is made here. */
  const at_unit *cur = at_idset_get(&r->best_unit, u.contract_service_id, &best)
                           ? &r->units[best]
                           : NULL;
  if (!at_unit_prefer(&u, cur, &r->as_of))
    return LPSA_OK;
  if (at_vec_push((void **)&r->units, &r->n_units, &r->cap_units, sizeof u,
                  &u) ||
      at_idset_put(&r->best_unit, u.contract_service_id, r->n_units - 1))
    return oom(err, errlen);
  return LPSA_OK;
}

static int read_units(snap_run *r, char *err, size_t errlen) {
  static const char *const fields[] = {
      "id",        "contractServiceID", "contractID", "serviceID",
      "startDate", "endDate",           "units",      NULL};
  at_idset ids = {0};
  int rc = LPSA_OK;
  for (size_t i = 0; i < r->n_cs && rc == LPSA_OK; i++)
    if (emitted_contract(r, r->cs[i].contract_id, NULL) &&
        at_idset_add(&ids, r->cs[i].id, 0) < 0)
      rc = oom(err, errlen);
  at_date after = at_date_add_days(&r->as_of, 1);
  at_date before = at_date_add_days(&r->as_of, -1);
  json_object *extra = json_object_new_array();
  json_object *c1 = at_cond_date("lte", "startDate", &after);
  json_object *c2 = at_cond_date("gte", "endDate", &before);
  if (!extra || !c1 || !c2 || json_object_array_add(extra, c1)) {
    json_object_put(c1);
    json_object_put(c2);
    rc = oom(err, errlen);
  } else if (json_object_array_add(extra, c2)) {
    json_object_put(c2);
    rc = oom(err, errlen);
  }
  if (rc == LPSA_OK)
    rc = query_in(r, "ContractServiceUnits", "contractServiceID", &ids,
                  AT_UNITS_CHUNK, extra, fields, take_unit, err, errlen);
  json_object_put(extra);
  at_idset_free(&ids);
  return rc;
}

/* -- emitting ------------------------------------------------------------- */

static int builder_failed(snap_run *r, int rc, const char *what, long long id,
                          char *err, size_t errlen) {
  snprintf(err, errlen, "the host refused Autotask %s %lld: %s", what, id,
           r->ctx->api->status_str(rc));
  return rc;
}

static int emit_companies(snap_run *r, char *err, size_t errlen) {
  for (size_t i = 0; i < r->n_companies; i++) {
    const at_company *c = &r->companies[i];
    char id[24];
    snprintf(id, sizeof id, "%lld", c->id);
    lpsa_company rec = LPSA_INIT(lpsa_company);
    rec.id = id;
    rec.name = c->name;
    rec.active = c->active;
    int rc = r->ctx->api->add_company(r->snap, &rec);
    if (rc != LPSA_OK)
      return builder_failed(r, rc, "company", c->id, err, errlen);
  }
  return LPSA_OK;
}

static const at_service *service_of(const snap_run *r, long long id,
                                    long *product) {
  size_t i;
  if (!at_idset_get(&r->service_ix, id, &i))
    return NULL;
  *product = r->product_of[i];
  return &r->services[i];
}

static int is_bad_line(const snap_run *r, long long cs_id) {
  return at_idset_get(&r->bad_line, cs_id, NULL);
}

/* A line whose row covering as_of starts after the period start: the
 * contract was adjusted mid-period. Said in Autotask's words. */
static int note_mid_period(snap_run *r, const at_contract *c,
                           const at_period_line *l,
                           const at_period_decision *d) {
  char on[11], ps[11], pe[11], msg[640];
  at_date_format(&l->row->start, on);
  at_date_format(&d->start, ps);
  at_date_format(&d->end, pe);
  snprintf(msg, sizeof msg,
           "contract %lld was adjusted on %s within the current billing "
           "period (%s to %s): the change is posted effective %s and "
           "Autotask adds it to every units row of contract service %lld "
           "from then on; the slice before %s keeps its own count",
           c->id, on, ps, pe, ps, l->contract_service_id, on);
  return at_notes_add(&r->notes, LPSA_NOTE_MID_PERIOD, c->company_id, c->id,
                      l->contract_service_id, msg);
}

static int emit_contract(snap_run *r, const at_contract *c,
                         const at_contract_service *lines, size_t n,
                         at_period_line *pl, char *err, size_t errlen) {
  /* The lines whose units are known decide the period; a line with an
   * unreadable units row already makes the company an error. */
  at_period_line *good = calloc(n ? n : 1, sizeof *good);
  size_t n_good = 0;
  if (!good)
    return oom(err, errlen);
  for (size_t i = 0; i < n; i++) {
    long product;
    const at_service *s = service_of(r, lines[i].service_id, &product);
    size_t u;
    pl[i].contract_service_id = lines[i].id;
    pl[i].service_months =
        s ? at_fields_months(&r->fields.service_period, s->has_period_type,
                             s->period_type)
          : 0;
    pl[i].row =
        at_idset_get(&r->best_unit, lines[i].id, &u) ? &r->units[u] : NULL;
    if (!is_bad_line(r, lines[i].id))
      good[n_good++] = pl[i];
  }
  at_period_decision d;
  at_decide_period(c,
                   at_fields_months(&r->fields.contract_period,
                                    c->has_period_type, c->period_type),
                   good, n_good, &r->as_of, &d);
  int rc = LPSA_OK;
  for (size_t i = 0; i < n_good && d.state == LPSA_PERIOD_CURRENT; i++)
    if (good[i].row && at_date_cmp(&good[i].row->start, &d.start) > 0 &&
        note_mid_period(r, c, &good[i], &d)) {
      rc = oom(err, errlen);
      break;
    }
  free(good);
  if (rc != LPSA_OK)
    return rc;
  char id[24], company[24], ps[11], pe[11];
  snprintf(id, sizeof id, "%lld", c->id);
  snprintf(company, sizeof company, "%lld", c->company_id);
  at_date_format(&d.start, ps);
  at_date_format(&d.end, pe);
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = id;
  a.company_id = company;
  a.name = c->name;
  a.type = at_picklist_label(&r->fields.contract_type, c->contract_type);
  if (!a.type && c->contract_type == AT_CONTRACT_TYPE_RECURRING)
    a.type = "Recurring Service";
  /* Changes are posted at the period start, so Autotask never prorates
   * what this driver writes. */
  a.prorate = 0;
  a.period = d.state;
  if (d.state == LPSA_PERIOD_CURRENT) {
    a.period_start = ps;
    a.period_end = pe;
  } else {
    a.note = d.note;
  }
  rc = r->ctx->api->add_agreement(r->snap, &a);
  if (rc != LPSA_OK)
    return builder_failed(r, rc, "contract", c->id, err, errlen);
  return LPSA_OK;
}

static int emit_lines(snap_run *r, const at_contract_service *lines, size_t n,
                      const at_period_line *pl, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    long product;
    const at_service *s = service_of(r, lines[i].service_id, &product);
    char id[24], contract[24];
    if (!s || product < 0)
      continue;
    snprintf(id, sizeof id, "%lld", lines[i].id);
    snprintf(contract, sizeof contract, "%lld", lines[i].contract_id);
    lpsa_line l = LPSA_INIT(lpsa_line);
    l.id = id;
    l.agreement_id = contract;
    l.product = (size_t)product;
    /* No row covering as_of (the contract is emitted without a period) or
     * an unreadable one (the company is an error): the host writes
     * nothing, and 0 only fills the required field. */
    l.quantity =
        pl[i].row && !is_bad_line(r, lines[i].id) ? pl[i].row->units : 0;
    l.description = s->name;
    int rc = r->ctx->api->add_line(r->snap, &l);
    if (rc != LPSA_OK)
      return builder_failed(r, rc, "contract service", lines[i].id, err,
                            errlen);
  }
  return LPSA_OK;
}

/* The bad records whose company is emitted become notes; the others
 * concern nothing this run bills (an inactive contract, say). */
static int note_bad_records(snap_run *r, char *err, size_t errlen) {
  int bad = 0;
  for (size_t i = 0; i < r->n_bad_units && !bad; i++) {
    size_t k, ci;
    if (!at_idset_get(&r->cs_ix, r->bad_units[i].id, &k) ||
        !emitted_contract(r, r->cs[k].contract_id, &ci))
      continue;
    bad = at_notes_add(&r->notes, LPSA_NOTE_BAD_RECORD,
                       r->contracts[ci].company_id, r->contracts[ci].id,
                       r->bad_units[i].id, r->bad_units[i].message);
  }
  for (size_t i = 0; i < r->n_bad_cs && !bad; i++) {
    size_t ci;
    if (emitted_contract(r, r->bad_cs[i].owner, &ci))
      bad = at_notes_add(&r->notes, LPSA_NOTE_BAD_RECORD,
                         r->contracts[ci].company_id, r->contracts[ci].id,
                         r->bad_cs[i].id, r->bad_cs[i].message);
  }
  for (size_t i = 0; i < r->n_bad_contracts && !bad; i++) {
    const bad_rec *b = &r->bad_contracts[i];
    if (at_idset_get(&r->company_ix, b->owner, NULL))
      bad = at_notes_add(&r->notes, LPSA_NOTE_BAD_RECORD, b->owner, 0, 0,
                         b->message);
    else
      r->ctx->api->log(r->ctx->host, LPSA_LOG_WARN, "Autotask: %s", b->message);
  }
  return bad ? oom(err, errlen) : LPSA_OK;
}

static int emit_all(snap_run *r, char *err, size_t errlen) {
  int rc = emit_companies(r, err, errlen);
  if (rc != LPSA_OK || (r->req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY))
    return rc == LPSA_OK
               ? at_notes_emit(&r->notes, r->ctx, r->snap, err, errlen)
               : rc;
  at_period_line *pl = calloc(r->n_cs ? r->n_cs : 1, sizeof *pl);
  if (!pl)
    return oom(err, errlen);
  /* Contracts (sorted by id), each with its lines (r->cs sorted by
   * contract): agreements first, then lines, as the builders require. */
  size_t emitted = 0;
  for (size_t pass = 0; pass < 2 && rc == LPSA_OK; pass++) {
    size_t j = 0;
    for (size_t i = 0; i < r->n_contracts && rc == LPSA_OK; i++) {
      const at_contract *c = &r->contracts[i];
      size_t idx;
      if (!emitted_contract(r, c->id, &idx) || idx != i)
        continue;
      while (j < r->n_cs && r->cs[j].contract_id < c->id)
        j++;
      size_t k = j;
      while (k < r->n_cs && r->cs[k].contract_id == c->id)
        k++;
      if (pass == 0) {
        rc = emit_contract(r, c, r->cs + j, k - j, pl + j, err, errlen);
        emitted++;
      } else {
        rc = emit_lines(r, r->cs + j, k - j, pl + j, err, errlen);
      }
      j = k;
    }
  }
  free(pl);
  if (rc == LPSA_OK)
    rc = note_bad_records(r, err, errlen);
  if (rc == LPSA_OK)
    rc = at_notes_emit(&r->notes, r->ctx, r->snap, err, errlen);
  if (rc == LPSA_OK)
    r->ctx->api->log(r->ctx->host, LPSA_LOG_DEBUG,
                     "Autotask snapshot: %zu companies, %zu contracts, %zu "
                     "contract services read; %zu notes",
                     r->n_companies, emitted, r->n_cs, r->notes.n);
  return rc;
}

/* -- the whole ------------------------------------------------------------ */

static void run_free(snap_run *r) {
  for (size_t i = 0; i < r->n_services; i++)
    at_service_free(&r->services[i]);
  for (size_t i = 0; i < r->n_contracts; i++)
    at_contract_free(&r->contracts[i]);
  for (size_t i = 0; i < r->n_companies; i++)
    at_company_free(&r->companies[i]);
  free(r->services);
  free(r->product_of);
  free(r->cs);
  free(r->contracts);
  free(r->keep);
  free(r->companies);
  free(r->units);
  at_idset_free(&r->mapped);
  at_idset_free(&r->pinned);
  at_idset_free(&r->service_ix);
  at_idset_free(&r->contract_ix);
  at_idset_free(&r->company_ix);
  at_idset_free(&r->best_unit);
  at_idset_free(&r->cs_ix);
  at_idset_free(&r->bad_line);
  free_bad(r->bad_cs, r->n_bad_cs);
  free_bad(r->bad_contracts, r->n_bad_contracts);
  free_bad(r->bad_units, r->n_bad_units);
  at_notes_free(&r->notes);
  at_fields_free(&r->fields);
}

static int run_all(snap_run *r, char *err, size_t errlen) {
  int rc = read_request(r, err, errlen);
  if (rc == LPSA_OK)
    rc = at_zone(r->ctx, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  if (r->req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY) {
    rc = read_companies(r, err, errlen);
    return rc == LPSA_OK ? emit_all(r, err, errlen) : rc;
  }
  rc = at_fields_load(r->ctx, 1, &r->fields, err, errlen);
  if (rc == LPSA_OK && r->req->n_products)
    rc = find_services(r, err, errlen);
  if (rc == LPSA_OK)
    rc = read_contract_services(r, err, errlen);
  if (rc == LPSA_OK)
    rc = read_contracts(r, err, errlen);
  if (rc == LPSA_OK)
    rc = read_companies(r, err, errlen);
  if (rc == LPSA_OK)
    rc = read_units(r, err, errlen);
  if (rc == LPSA_OK)
    rc = emit_all(r, err, errlen);
  return rc;
}

int at_snapshot(lpsa_driver_ctx *vctx, const lpsa_snapshot_request *request,
                lpsa_snapshot *snap, char *err, size_t errlen) {
  if (!vctx || !request || !snap || !err || !errlen) {
    if (err && errlen)
      snprintf(err, errlen,
               "autotask: snapshot needs a context, a request and a snapshot");
    return LPSA_ERR_INVALID;
  }
  err[0] = '\0';
  snap_run r;
  memset(&r, 0, sizeof r);
  r.ctx = vctx;
  r.req = request;
  r.snap = snap;
  int rc = run_all(&r, err, errlen);
  run_free(&r);
  if (rc != LPSA_OK && !err[0])
    snprintf(err, errlen, "Autotask snapshot failed: %s",
             r.ctx->api->status_str(rc));
  return rc;
}
