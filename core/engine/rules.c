/* SPDX-License-Identifier: MIT */
/*
 * rules.c — the best-practice rules of LastPass's PSA billing update (one
 * PSA company per LastPass company, existing companies/products/agreements
 * only, one agreement per company, one mapped product per agreement, two
 * SKUs) and what users of peer tools ask for (tier changes, orphan billing,
 * suspended companies). Pure: reads its input, writes outcomes.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "str_append.h"

enum { SKU_BIT_LP = 1, SKU_BIT_MFA = 2 };

/* Indexes built once per evaluation so that every company is checked in
 * time proportional to its own records. */
typedef struct rules_index {
  strmap lp_rows;     /* lastpass id -> first row */
  strmap psa_rows;    /* psa company id -> first row */
  size_t *lp_count;   /* per row: rows sharing its lastpass id */
  size_t *psa_count;  /* per row: rows sharing its psa company id */
  long *lp_other;     /* per row: another row with the same lastpass id */
  long *psa_other;    /* per row: another row with the same psa id */
  long *first_ag;     /* per company: first agreement, -1 */
  long *next_ag;      /* per agreement: next of the same company */
  long *first_line;   /* per agreement: first line, -1 */
  long *next_line;    /* per line: next of the same agreement */
  unsigned *sku_mask; /* per product: SKUs its PSA product is configured for */
} rules_index;

static unsigned sku_bit(const char *sku) {
  return strcmp(sku, LPSA_SKU_LASTPASS_MFA) == 0 ? SKU_BIT_MFA : SKU_BIT_LP;
}

static const char *sku_label(const char *sku) {
  return strcmp(sku, LPSA_SKU_LASTPASS_MFA) == 0 ? "LastPass + MFA"
                                                 : "LastPass";
}

static void index_free(rules_index *ix) {
  strmap_free(&ix->lp_rows);
  strmap_free(&ix->psa_rows);
  free(ix->lp_count);
  free(ix->psa_count);
  free(ix->lp_other);
  free(ix->psa_other);
  free(ix->first_ag);
  free(ix->next_ag);
  free(ix->first_line);
  free(ix->next_line);
  free(ix->sku_mask);
}

static int index_rows(const rules_input *in, rules_index *ix) {
  size_t n = in->n_rows ? in->n_rows : 1;
  ix->lp_count = calloc(n, sizeof(size_t));
  ix->psa_count = calloc(n, sizeof(size_t));
  ix->lp_other = malloc(n * sizeof(long));
  ix->psa_other = malloc(n * sizeof(long));
  if (!ix->lp_count || !ix->psa_count || !ix->lp_other || !ix->psa_other)
    return -1;
  for (size_t i = 0; i < in->n_rows; i++) {
    ix->lp_other[i] = ix->psa_other[i] = -1;
    size_t first;
    if (strmap_get(&ix->lp_rows, in->rows[i].lastpass_id, &first)) {
      ix->lp_count[first]++;
      ix->lp_other[i] = (long)first;
      if (ix->lp_other[first] < 0)
        ix->lp_other[first] = (long)i;
    } else if (strmap_put(&ix->lp_rows, in->rows[i].lastpass_id, i)) {
      return -1;
    } else {
      ix->lp_count[i] = 1;
    }
    if (strmap_get(&ix->psa_rows, in->rows[i].psa_company_id, &first)) {
      ix->psa_count[first]++;
      ix->psa_other[i] = (long)first;
      if (ix->psa_other[first] < 0)
        ix->psa_other[first] = (long)i;
    } else if (strmap_put(&ix->psa_rows, in->rows[i].psa_company_id, i)) {
      return -1;
    } else {
      ix->psa_count[i] = 1;
    }
  }
  /* Every row of a group reports the group's size. */
  for (size_t i = 0; i < in->n_rows; i++) {
    size_t first;
    strmap_get(&ix->lp_rows, in->rows[i].lastpass_id, &first);
    ix->lp_count[i] = ix->lp_count[first];
    strmap_get(&ix->psa_rows, in->rows[i].psa_company_id, &first);
    ix->psa_count[i] = ix->psa_count[first];
  }
  return 0;
}

static int index_snapshot(const lpsa_snapshot *s, rules_index *ix) {
  ix->first_ag = malloc((s->n_companies + 1) * sizeof(long));
  ix->next_ag = malloc((s->n_agreements + 1) * sizeof(long));
  ix->first_line = malloc((s->n_agreements + 1) * sizeof(long));
  ix->next_line = malloc((s->n_lines + 1) * sizeof(long));
  ix->sku_mask = calloc(s->n_products + 1, sizeof(unsigned));
  if (!ix->first_ag || !ix->next_ag || !ix->first_line || !ix->next_line ||
      !ix->sku_mask)
    return -1;
  for (size_t c = 0; c < s->n_companies; c++)
    ix->first_ag[c] = -1;
  /* Build the chains backwards so they list records in emitted order. */
  for (size_t a = s->n_agreements; a-- > 0;) {
    ix->first_line[a] = -1;
    ix->next_ag[a] = ix->first_ag[s->agreements[a].company];
    ix->first_ag[s->agreements[a].company] = (long)a;
  }
  for (size_t l = s->n_lines; l-- > 0;) {
    ix->next_line[l] = ix->first_line[s->lines[l].agreement];
    ix->first_line[s->lines[l].agreement] = (long)l;
  }
  for (size_t p = 0; p < s->n_products; p++) {
    ix->sku_mask[p] = sku_bit(s->products[p].sku);
    if (!s->products[p].found)
      continue;
    for (size_t q = 0; q < s->n_products; q++)
      if (q != p && s->products[q].found &&
          strcmp(s->products[q].psa_id, s->products[p].psa_id) == 0)
        ix->sku_mask[p] |= sku_bit(s->products[q].sku);
  }
  return 0;
}

static char *dup0(const char *s) {
  return s ? strdup(s) : NULL;
}

/* The name a person knows a line's product by. */
static const char *product_name(const lpsa_snapshot *s, size_t p) {
  const snap_product *prod = &s->products[p];
  return prod->ref;
}

static size_t count_lines(const rules_index *ix, size_t agreement) {
  size_t n = 0;
  for (long l = ix->first_line[agreement]; l >= 0; l = ix->next_line[l])
    n++;
  return n;
}

/* Global findings about the configured products. */
static int check_products(const rules_input *in, run_result *out) {
  const lpsa_snapshot *s = in->snap;
  const lpsa_terms *t = in->terms;
  for (size_t p = 0; p < s->n_products; p++) {
    const snap_product *prod = &s->products[p];
    if (!prod->found) {
      if (findings_add(&out->findings, "PRODUCT_NOT_FOUND", SEV_ERROR,
                       "sku.%s names the %s \"%s\", which the %s catalog does "
                       "not have; correct sku.%s in [driver.%s] or create the "
                       "%s in %s (lpsa never creates one)",
                       prod->sku, t->product, prod->ref, t->psa, prod->sku,
                       in->driver_name, t->product, t->psa))
        return -1;
      continue;
    }
    for (size_t q = 0; q < p; q++) {
      const snap_product *o = &s->products[q];
      if (o->found && strcmp(o->psa_id, prod->psa_id) == 0 &&
          strcmp(o->sku, prod->sku) != 0 &&
          findings_add(&out->findings, "PRODUCT_SHARED_BY_SKUS", SEV_WARNING,
                       "the %s \"%s\" (%s id %s) is configured for both "
                       "LastPass and LastPass + MFA; LastPass recommends one "
                       "%s per SKU, and lpsa cannot see a tier change on it",
                       t->product, prod->ref, t->psa, prod->psa_id, t->product))
        return -1;
    }
  }
  return 0;
}

/* Mapping rows that name a LastPass company LastPass does not list. */
static int check_unknown_rows(const rules_input *in, run_result *out) {
  for (size_t i = 0; i < in->n_rows; i++) {
    const map_row *r = &in->rows[i];
    if (lp_data_find(in->lastpass, r->lastpass_id) >= 0)
      continue;
    if (findings_add(&out->findings, "MAPPING_UNKNOWN_LASTPASS", SEV_WARNING,
                     "mapping file line %d names LastPass company %s, which "
                     "LastPass does not list; remove the row or correct the id",
                     r->line, r->lastpass_id))
      return -1;
  }
  return 0;
}

/* Lines of mapped products on companies no mapping row names. */
static int check_orphans(const rules_input *in, const rules_index *ix,
                         run_result *out) {
  const lpsa_snapshot *s = in->snap;
  const lpsa_terms *t = in->terms;
  for (size_t l = 0; l < s->n_lines; l++) {
    const snap_line *line = &s->lines[l];
    const snap_agreement *ag = &s->agreements[line->agreement];
    const snap_company *co = &s->companies[ag->company];
    /* A zero count bills nothing: not worth a warning. */
    if (strmap_get(&ix->psa_rows, co->id, NULL) || line->quantity == 0)
      continue;
    if (findings_add(&out->findings, "ORPHAN_BILLING", SEV_WARNING,
                     "%s %s \"%s\" is not in the mapping file but its %s %s "
                     "bills the LastPass %s \"%s\" (quantity %lld), which lpsa "
                     "will not update; map it to its LastPass company or "
                     "remove the %s",
                     t->company, co->id, co->name ? co->name : "", t->agreement,
                     ag->id, t->product, product_name(s, line->product),
                     line->quantity, t->line))
      return -1;
  }
  return 0;
}

/* Does the configuration offer any product for this SKU, and is one found? */
static void sku_products(const lpsa_snapshot *s, const char *sku,
                         int *configured, int *found) {
  *configured = *found = 0;
  for (size_t p = 0; p < s->n_products; p++)
    if (strcmp(s->products[p].sku, sku) == 0) {
      *configured = 1;
      *found |= s->products[p].found;
    }
}

#define ADD(o, code, sev, ...)                                                 \
  do {                                                                         \
    if (findings_add(&(o)->findings, code, sev, __VA_ARGS__))                  \
      return -1;                                                               \
  } while (0)

/* Pick the agreement to update; returns its rules_index, -1 with a finding set
 * (status error), or -2 when out of memory. */
static long choose_agreement(const rules_input *in, const rules_index *ix,
                             const map_row *row, size_t company, outcome *o) {
  const lpsa_snapshot *s = in->snap;
  const lpsa_terms *t = in->terms;
  const char *configured_product = NULL;
  for (size_t p = 0; p < s->n_products && !configured_product; p++)
    if (strcmp(s->products[p].sku, o->sku) == 0)
      configured_product = s->products[p].ref;

  if (row->agreement_id && row->agreement_id[0]) {
    long a = snapshot_find_agreement(s, row->agreement_id);
    if (a < 0 || s->agreements[a].company != company) {
      if (findings_add(&o->findings, "AGREEMENT_NOT_FOUND", SEV_ERROR,
                       "the %s %s pinned by mapping file line %d is not an "
                       "active %s of %s %s; correct agreement_id or "
                       "reactivate the %s in %s",
                       t->agreement, row->agreement_id, row->line, t->agreement,
                       t->company, row->psa_company_id, t->agreement, t->psa))
        return -2;
      return -1;
    }
    /* Other agreements of the company billing LastPass too. */
    for (long b = ix->first_ag[company]; b >= 0; b = ix->next_ag[b]) {
      if (b == a)
        continue;
      for (long l = ix->first_line[b]; l >= 0; l = ix->next_line[l])
        if (findings_add(&o->findings, "ORPHAN_BILLING", SEV_WARNING,
                         "%s %s also bills the LastPass %s \"%s\" (quantity "
                         "%lld), which lpsa does not update since %s %s is "
                         "pinned; this may bill the customer twice: remove "
                         "that %s",
                         t->agreement, s->agreements[b].id, t->product,
                         product_name(s, s->lines[l].product),
                         s->lines[l].quantity, t->agreement, row->agreement_id,
                         t->line))
          return -2;
    }
    if (ix->first_line[a] < 0) {
      if (findings_add(&o->findings, "NO_AGREEMENT", SEV_ERROR,
                       "the pinned %s %s carries no LastPass %s; lpsa never "
                       "adds one: add the %s \"%s\" to it in %s",
                       t->agreement, row->agreement_id, t->line, t->product,
                       configured_product ? configured_product : "?", t->psa))
        return -2;
      return -1;
    }
    return a;
  }

  size_t active = 0, billing = 0;
  long chosen = -1;
  char ids[256] = "";
  for (long b = ix->first_ag[company]; b >= 0; b = ix->next_ag[b]) {
    active++;
    if (ix->first_line[b] < 0)
      continue;
    billing++;
    chosen = b;
    size_t used = strlen(ids);
    if (used < sizeof ids - 40)
      str_appendf(ids, sizeof ids, "%s%s", used ? ", " : "",
                  s->agreements[b].id);
  }
  if (billing == 1)
    return chosen;
  if (billing == 0) {
    int rc;
    if (active == 0)
      rc = findings_add(&o->findings, "NO_AGREEMENT", SEV_ERROR,
                        "%s %s has no active %s; lpsa never creates one: "
                        "create the %s with the %s \"%s\" in %s, or remove "
                        "the mapping row",
                        t->company, row->psa_company_id, t->agreement,
                        t->agreement, t->product,
                        configured_product ? configured_product : "?", t->psa);
    else
      rc = findings_add(&o->findings, "NO_AGREEMENT", SEV_ERROR,
                        "%s %s has %zu active %s%s but no LastPass %s on "
                        "any; lpsa never adds one: add the %s \"%s\" to the "
                        "%s that bills LastPass",
                        t->company, row->psa_company_id, active, t->agreement,
                        active == 1 ? "" : "s", t->line, t->product,
                        configured_product ? configured_product : "?",
                        t->agreement);
    return rc ? -2 : -1;
  }
  if (findings_add(&o->findings, "MULTIPLE_AGREEMENTS", SEV_ERROR,
                   "%zu active %ss of %s %s carry LastPass %ss (%s); LastPass "
                   "updates one %s per %s: keep LastPass on one, or pin one "
                   "with agreement_id in mapping file line %d",
                   billing, t->agreement, t->company, row->psa_company_id,
                   t->line, ids, t->agreement, t->company, row->line))
    return -2;
  return -1;
}

/* Every rule for one mapped LastPass company. */
static int evaluate_company(const rules_input *in, const rules_index *ix,
                            const lp_company *lc, size_t row_ix, outcome *o) {
  const lpsa_snapshot *s = in->snap;
  const lpsa_terms *t = in->terms;
  const map_row *row = &in->rows[row_ix];
  if (!(o->psa_company_id = strdup(row->psa_company_id)))
    return -1;

  if (ix->lp_count[row_ix] > 1) {
    ADD(o, "MAPPING_DUPLICATE", SEV_ERROR,
        "the mapping file maps this LastPass company %zu times (lines %d and "
        "%d); LastPass maps one %s per company: keep one row",
        ix->lp_count[row_ix], row->line, in->rows[ix->lp_other[row_ix]].line,
        t->company);
    o->status = ST_ERROR;
    return 0;
  }
  if (ix->psa_count[row_ix] > 1) {
    ADD(o, "MAPPING_DUPLICATE", SEV_ERROR,
        "%s %s is mapped to %zu LastPass companies (mapping file lines %d and "
        "%d); the billing update needs one-to-one: keep one row",
        t->company, row->psa_company_id, ix->psa_count[row_ix], row->line,
        in->rows[ix->psa_other[row_ix]].line);
    o->status = ST_ERROR;
    return 0;
  }
  if (lc->suspended && !in->suspended_zero) {
    ADD(o, "SUSPENDED", SEV_INFO,
        "suspended in LastPass (not billed at month end); its %s is left as "
        "it is (suspended_companies = skip)",
        t->line);
    o->status = ST_SKIPPED;
    return 0;
  }
  int configured, found;
  sku_products(s, o->sku, &configured, &found);
  if (!configured) {
    ADD(o, "SKU_NOT_CONFIGURED", SEV_ERROR,
        "LastPass bills this company as %s, but no %s is configured for that "
        "SKU; add sku.%s = <%s> to [driver.%s]",
        sku_label(o->sku), t->product, o->sku, t->product, in->driver_name);
    o->status = ST_ERROR;
    return 0;
  }
  long c = snapshot_find_company(s, row->psa_company_id);
  if (c < 0) {
    ADD(o, "PSA_COMPANY_NOT_FOUND", SEV_ERROR,
        "%s has no %s with id %s (mapping file line %d); correct "
        "psa_company_id, or create the %s in %s first",
        t->psa, t->company, row->psa_company_id, row->line, t->company, t->psa);
    o->status = ST_ERROR;
    return 0;
  }
  const snap_company *co = &s->companies[c];
  if (co->name && !(o->psa_company_name = strdup(co->name)))
    return -1;
  if (!co->active) {
    ADD(o, "PSA_COMPANY_NOT_FOUND", SEV_ERROR,
        "%s %s (\"%s\") is deleted or inactive in %s; map this LastPass "
        "company to its active %s (mapping file line %d)",
        t->company, co->id, co->name ? co->name : "", t->psa, t->company,
        row->line);
    o->status = ST_ERROR;
    return 0;
  }
  /* A record the driver could not read safely: this company alone stops. */
  int bad = 0;
  for (size_t i = 0; i < s->n_notes; i++)
    if (s->notes[i].company == (size_t)c &&
        s->notes[i].kind != LPSA_NOTE_MID_PERIOD) {
      ADD(o, "BAD_PSA_RECORD", SEV_ERROR, "%s", s->notes[i].message);
      bad = 1;
    }
  if (bad) {
    o->status = ST_ERROR;
    return 0;
  }
  if (!found) {
    ADD(o, "PRODUCT_NOT_FOUND", SEV_ERROR,
        "no %s configured for %s exists in %s, so its %s cannot be found; "
        "see the catalog finding below",
        t->product, sku_label(o->sku), t->psa, t->line);
    o->status = ST_ERROR;
    return 0;
  }
  long a = choose_agreement(in, ix, row, (size_t)c, o);
  if (a == -2)
    return -1;
  if (a < 0) {
    o->status = ST_ERROR;
    return 0;
  }
  const snap_agreement *ag = &s->agreements[a];
  if (!(o->agreement_id = strdup(ag->id)))
    return -1;
  size_t nlines = count_lines(ix, (size_t)a);
  if (nlines > 1) {
    char names[256] = "";
    for (long l = ix->first_line[a]; l >= 0; l = ix->next_line[l]) {
      size_t used = strlen(names);
      if (used < sizeof names - 40)
        str_appendf(names, sizeof names, "%s%s \"%s\"", used ? ", " : "",
                    s->lines[l].id, product_name(s, s->lines[l].product));
    }
    ADD(o, "MULTIPLE_PRODUCTS", SEV_ERROR,
        "%s %s holds %zu LastPass %ss (%s); the billing update only works "
        "when one %s holds one: remove all but one",
        t->agreement, ag->id, nlines, t->line, names, t->agreement);
    o->status = ST_ERROR;
    return 0;
  }
  const snap_line *line = &s->lines[ix->first_line[a]];
  const snap_product *prod = &s->products[line->product];
  if (!(o->line_id = strdup(line->id)) ||
      !(o->product = strdup(prod->label ? prod->label : prod->ref)) ||
      !(o->product_id = dup0(prod->psa_id)))
    return -1;
  o->has_line = 1;
  o->old_quantity = line->quantity;
  if (!(ix->sku_mask[line->product] & sku_bit(o->sku))) {
    ADD(o, "SKU_MISMATCH", SEV_ERROR,
        "LastPass bills this company as %s, but %s %s carries the %s \"%s\", "
        "configured for %s; a tier change needs a person: replace the %s on "
        "the %s in %s",
        sku_label(o->sku), t->agreement, ag->id, t->product, prod->ref,
        sku_label(prod->sku), t->line, t->agreement, t->psa);
    o->status = ST_ERROR;
    return 0;
  }
  if (ag->period == LPSA_PERIOD_MISSING) {
    if (ag->note)
      ADD(o, "NO_BILLING_PERIOD", SEV_ERROR,
          "%s; lpsa posts counts at the start of the current billing period, "
          "so nothing is changed",
          ag->note);
    else
      ADD(o, "NO_BILLING_PERIOD", SEV_ERROR,
          "%s %s has no current billing period; lpsa posts counts at the "
          "start of the current period: fix the %s dates in %s",
          t->agreement, ag->id, t->agreement, t->psa);
    o->status = ST_ERROR;
    return 0;
  }
  if (ag->period == LPSA_PERIOD_CURRENT &&
      !(o->period_start = strdup(ag->period_start)))
    return -1;
  if (ag->prorate)
    ADD(o, "PRORATE_AGREEMENT", SEV_WARNING,
        "%s %s prorates: %s will bill a prorated amount for this change, "
        "while LastPass's billing update only sets the count; turn off "
        "prorating on the %s if that is not intended",
        t->agreement, ag->id, t->psa, t->agreement);
  if (lc->suspended)
    ADD(o, "SUSPENDED", SEV_INFO,
        "suspended in LastPass (not billed at month end); its count goes to 0 "
        "(suspended_companies = zero)");
  for (size_t i = 0; i < s->n_notes; i++)
    if (s->notes[i].company == (size_t)c &&
        s->notes[i].kind == LPSA_NOTE_MID_PERIOD &&
        (s->notes[i].agreement < 0 || s->notes[i].agreement == a))
      ADD(o, "MID_PERIOD_ADJUSTED", SEV_INFO, "%s", s->notes[i].message);
  o->status = ST_UNCHANGED; /* eligible: the planner decides */
  return 0;
}

static int by_name(const void *a, const void *b) {
  const outcome *x = a, *y = b;
  int c = strcasecmp(x->lastpass_name, y->lastpass_name);
  return c ? c : strcmp(x->lastpass_id, y->lastpass_id);
}

int rules_evaluate(const rules_input *in, run_result *out) {
  rules_index ix = {0};
  int rc = -1;
  if (index_rows(in, &ix) || index_snapshot(in->snap, &ix))
    goto done;
  if (check_products(in, out) || check_unknown_rows(in, out) ||
      check_orphans(in, &ix, out))
    goto done;
  for (size_t i = 0; i < in->lastpass->n; i++) {
    const lp_company *lc = &in->lastpass->companies[i];
    outcome *o = run_result_add(out);
    if (!o || !(o->lastpass_id = strdup(lc->id)) ||
        !(o->lastpass_name = strdup(lc->name)))
      goto done;
    o->sku = lc->sku;
    o->seats = lc->seats;
    o->seats_known = lc->has_record;
    o->suspended = lc->suspended;
    size_t row;
    if (!strmap_get(&ix.lp_rows, lc->id, &row)) {
      if (findings_add(&o->findings, "UNMAPPED", SEV_INFO,
                       "not in the mapping file, so no %s is updated for it; "
                       "to bill it, add a row with LastPass id %s and its %s "
                       "%s id",
                       in->terms->line, lc->id, in->terms->psa,
                       in->terms->company))
        goto done;
      o->status = ST_SKIPPED;
      continue;
    }
    if (evaluate_company(in, &ix, lc, row, o))
      goto done;
  }
  qsort(out->outcomes, out->n, sizeof *out->outcomes, by_name);
  rc = 0;
done:
  index_free(&ix);
  return rc;
}
