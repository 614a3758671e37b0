/* SPDX-License-Identifier: MIT */
/*
 * snapshot.c — builders that copy driver records into the host-owned model,
 * checking references as they go so the rules can trust every index.
 */
#include "snapshot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpsa/status.h"

/* Read a field of a record that may come from an older driver with a smaller
 * struct: fields past rec->size read as zero. */
#define FIELD(rec, member)                                                     \
  (LPSA_HAS_FIELD(rec, member) ? (rec)->member : (__typeof__((rec)->member))0)

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

static int fail(lpsa_snapshot *snap, int status, const char *fmt, ...) {
  if (!snap->error[0]) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(snap->error, sizeof snap->error, fmt, ap);
    va_end(ap);
  }
  return status;
}

static int reserve(void **items, size_t *cap, size_t len, size_t size) {
  if (len < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 64;
  void *grown = realloc(*items, ncap * size);
  if (!grown)
    return -1;
  *items = grown;
  *cap = ncap;
  return 0;
}

lpsa_snapshot *snapshot_new(const lpsa_snapshot_request *req) {
  lpsa_snapshot *snap = calloc(1, sizeof *snap);
  if (!snap)
    return NULL;
  if (req && req->n_products) {
    snap->products = calloc(req->n_products, sizeof *snap->products);
    if (!snap->products) {
      free(snap);
      return NULL;
    }
    snap->n_products = req->n_products;
    for (size_t i = 0; i < req->n_products; i++) {
      snap->products[i].sku = dup_or_null(req->products[i].sku);
      snap->products[i].ref = dup_or_null(req->products[i].ref);
      if (!snap->products[i].sku || !snap->products[i].ref) {
        snapshot_free(snap);
        return NULL;
      }
    }
  }
  return snap;
}

void snapshot_free(lpsa_snapshot *snap) {
  if (!snap)
    return;
  for (size_t i = 0; i < snap->n_products; i++) {
    free(snap->products[i].sku);
    free(snap->products[i].ref);
    free(snap->products[i].psa_id);
    free(snap->products[i].label);
  }
  for (size_t i = 0; i < snap->n_companies; i++) {
    free(snap->companies[i].id);
    free(snap->companies[i].name);
  }
  for (size_t i = 0; i < snap->n_agreements; i++) {
    snap_agreement *a = &snap->agreements[i];
    free(a->id);
    free(a->name);
    free(a->type);
    free(a->period_start);
    free(a->period_end);
    free(a->note);
  }
  for (size_t i = 0; i < snap->n_lines; i++) {
    free(snap->lines[i].id);
    free(snap->lines[i].description);
  }
  for (size_t i = 0; i < snap->n_notes; i++) {
    free(snap->notes[i].line_id);
    free(snap->notes[i].message);
  }
  free(snap->notes);
  free(snap->products);
  free(snap->companies);
  free(snap->agreements);
  free(snap->lines);
  strmap_free(&snap->company_ix);
  strmap_free(&snap->agreement_ix);
  strmap_free(&snap->line_ix);
  free(snap);
}

static long find(const strmap *ix, const char *id) {
  size_t v;
  return id && strmap_get(ix, id, &v) ? (long)v : -1;
}

long snapshot_find_company(const lpsa_snapshot *snap, const char *id) {
  return find(&snap->company_ix, id);
}
long snapshot_find_agreement(const lpsa_snapshot *snap, const char *id) {
  return find(&snap->agreement_ix, id);
}
long snapshot_find_line(const lpsa_snapshot *snap, const char *id) {
  return find(&snap->line_ix, id);
}

int snapshot_add_company(lpsa_snapshot *snap, const lpsa_company *rec) {
  if (!snap || !rec)
    return LPSA_ERR_INVALID;
  const char *id = FIELD(rec, id);
  if (!id || !*id)
    return fail(snap, LPSA_ERR_INVALID, "a company without an id");
  if (snapshot_find_company(snap, id) >= 0)
    return fail(snap, LPSA_ERR_INVALID, "company %s emitted twice", id);
  if (reserve((void **)&snap->companies, &snap->cap_companies,
              snap->n_companies, sizeof *snap->companies))
    return fail(snap, LPSA_ERR_NOMEM, "out of memory");
  snap_company *c = &snap->companies[snap->n_companies];
  memset(c, 0, sizeof *c);
  c->id = strdup(id);
  c->name = dup_or_null(FIELD(rec, name));
  c->active = FIELD(rec, active) != 0;
  if (!c->id || (FIELD(rec, name) && !c->name) ||
      strmap_put(&snap->company_ix, id, snap->n_companies)) {
    free(c->id);
    free(c->name);
    return fail(snap, LPSA_ERR_NOMEM, "out of memory copying company %s", id);
  }
  snap->n_companies++;
  return LPSA_OK;
}

int snapshot_add_agreement(lpsa_snapshot *snap, const lpsa_agreement *rec) {
  if (!snap || !rec)
    return LPSA_ERR_INVALID;
  const char *id = FIELD(rec, id);
  const char *company_id = FIELD(rec, company_id);
  if (!id || !*id)
    return fail(snap, LPSA_ERR_INVALID, "an agreement without an id");
  long company = snapshot_find_company(snap, company_id);
  if (company < 0)
    return fail(snap, LPSA_ERR_INVALID,
                "agreement %s refers to company %s, which was not emitted", id,
                company_id ? company_id : "(null)");
  if (snapshot_find_agreement(snap, id) >= 0)
    return fail(snap, LPSA_ERR_INVALID, "agreement %s emitted twice", id);
  lpsa_period_state period = FIELD(rec, period);
  const char *start = FIELD(rec, period_start);
  if (period == LPSA_PERIOD_CURRENT && (!start || !*start))
    return fail(snap, LPSA_ERR_INVALID,
                "agreement %s has a current period without a start date", id);
  if (period > LPSA_PERIOD_MISSING)
    return fail(snap, LPSA_ERR_INVALID, "agreement %s: bad period state", id);
  if (reserve((void **)&snap->agreements, &snap->cap_agreements,
              snap->n_agreements, sizeof *snap->agreements))
    return fail(snap, LPSA_ERR_NOMEM, "out of memory");
  snap_agreement *a = &snap->agreements[snap->n_agreements];
  memset(a, 0, sizeof *a);
  a->company = (size_t)company;
  a->prorate = FIELD(rec, prorate) != 0;
  a->period = period;
  a->id = strdup(id);
  a->name = dup_or_null(FIELD(rec, name));
  a->type = dup_or_null(FIELD(rec, type));
  a->period_start = dup_or_null(start);
  a->period_end = dup_or_null(FIELD(rec, period_end));
  a->note = dup_or_null(FIELD(rec, note));
  /* An optional field that was given must have been copied. */
  int lost = (FIELD(rec, name) && !a->name) || (FIELD(rec, type) && !a->type) ||
             (start && !a->period_start) ||
             (FIELD(rec, period_end) && !a->period_end) ||
             (FIELD(rec, note) && !a->note);
  if (!a->id || lost ||
      strmap_put(&snap->agreement_ix, id, snap->n_agreements)) {
    free(a->id);
    free(a->name);
    free(a->type);
    free(a->period_start);
    free(a->period_end);
    free(a->note);
    return fail(snap, LPSA_ERR_NOMEM, "out of memory copying agreement %s", id);
  }
  snap->n_agreements++;
  return LPSA_OK;
}

int snapshot_add_line(lpsa_snapshot *snap, const lpsa_line *rec) {
  if (!snap || !rec)
    return LPSA_ERR_INVALID;
  const char *id = FIELD(rec, id);
  const char *agreement_id = FIELD(rec, agreement_id);
  size_t product = FIELD(rec, product);
  long long quantity = FIELD(rec, quantity);
  if (!id || !*id)
    return fail(snap, LPSA_ERR_INVALID, "a line without an id");
  long agreement = snapshot_find_agreement(snap, agreement_id);
  if (agreement < 0)
    return fail(snap, LPSA_ERR_INVALID,
                "line %s refers to agreement %s, which was not emitted", id,
                agreement_id ? agreement_id : "(null)");
  if (product >= snap->n_products)
    return fail(snap, LPSA_ERR_INVALID,
                "line %s: product index %zu out of range", id, product);
  if (quantity < 0)
    return fail(snap, LPSA_ERR_INVALID, "line %s: negative quantity %lld", id,
                quantity);
  if (snapshot_find_line(snap, id) >= 0)
    return fail(snap, LPSA_ERR_INVALID, "line %s emitted twice", id);
  if (reserve((void **)&snap->lines, &snap->cap_lines, snap->n_lines,
              sizeof *snap->lines))
    return fail(snap, LPSA_ERR_NOMEM, "out of memory");
  snap_line *l = &snap->lines[snap->n_lines];
  memset(l, 0, sizeof *l);
  l->agreement = (size_t)agreement;
  l->product = product;
  l->quantity = quantity;
  l->id = strdup(id);
  l->description = dup_or_null(FIELD(rec, description));
  if (!l->id || (FIELD(rec, description) && !l->description) ||
      strmap_put(&snap->line_ix, id, snap->n_lines)) {
    free(l->id);
    free(l->description);
    return fail(snap, LPSA_ERR_NOMEM, "out of memory copying line %s", id);
  }
  snap->n_lines++;
  return LPSA_OK;
}

int snapshot_add_note(lpsa_snapshot *snap, const lpsa_note *rec) {
  if (!snap || !rec)
    return LPSA_ERR_INVALID;
  lpsa_note_kind kind = FIELD(rec, kind);
  const char *company_id = FIELD(rec, company_id);
  const char *agreement_id = FIELD(rec, agreement_id);
  const char *line_id = FIELD(rec, line_id);
  const char *message = FIELD(rec, message);
  if (kind == 0 || !message || !*message)
    return fail(snap, LPSA_ERR_INVALID, "a note without a kind or a message");
  long company = snapshot_find_company(snap, company_id);
  if (company < 0)
    return fail(snap, LPSA_ERR_INVALID,
                "a note about company %s, which was not emitted",
                company_id ? company_id : "(null)");
  long agreement = -1;
  if (agreement_id && *agreement_id) {
    agreement = snapshot_find_agreement(snap, agreement_id);
    if (agreement < 0)
      return fail(snap, LPSA_ERR_INVALID,
                  "a note about agreement %s, which was not emitted",
                  agreement_id);
  }
  if (reserve((void **)&snap->notes, &snap->cap_notes, snap->n_notes,
              sizeof *snap->notes))
    return fail(snap, LPSA_ERR_NOMEM, "out of memory");
  snap_note *n = &snap->notes[snap->n_notes];
  memset(n, 0, sizeof *n);
  /* A kind this host does not know is read the safe way. */
  n->kind = kind == LPSA_NOTE_MID_PERIOD ? kind : LPSA_NOTE_BAD_RECORD;
  n->company = (size_t)company;
  n->agreement = agreement;
  n->line_id = dup_or_null(line_id && *line_id ? line_id : NULL);
  n->message = strdup(message);
  if (!n->message || (line_id && *line_id && !n->line_id)) {
    free(n->line_id);
    free(n->message);
    return fail(snap, LPSA_ERR_NOMEM, "out of memory copying a note");
  }
  snap->n_notes++;
  return LPSA_OK;
}

int snapshot_product_found(lpsa_snapshot *snap, size_t index,
                           const char *psa_product_id, const char *label) {
  if (!snap || index >= snap->n_products || !psa_product_id || !*psa_product_id)
    return snap ? fail(snap, LPSA_ERR_INVALID,
                       "product_found: bad index or empty product id")
                : LPSA_ERR_INVALID;
  snap_product *p = &snap->products[index];
  char *id = strdup(psa_product_id);
  char *lab = dup_or_null(label);
  if (!id || (label && !lab)) {
    free(id);
    free(lab);
    return fail(snap, LPSA_ERR_NOMEM, "out of memory copying a product");
  }
  free(p->psa_id);
  free(p->label);
  p->psa_id = id;
  p->label = lab;
  p->found = 1;
  return LPSA_OK;
}
