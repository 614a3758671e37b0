/* SPDX-License-Identifier: MIT */
/*
 * conf_shape.c — the rules every snapshot obeys (see conf_shape.h).
 *
 * The builders already refuse duplicates and dangling references; checking
 * again here keeps the suite honest if a builder ever grows lax, and gives
 * the driver author one precise sentence.
 */
#include "conf_shape.h"

#include <stdio.h>
#include <string.h>

#include "strmap.h"

/* The id of record i of one kind. */
typedef const char *(*id_of_fn)(const lpsa_snapshot *snap, size_t i);

static const char *company_id(const lpsa_snapshot *s, size_t i) {
  return s->companies[i].id;
}
static const char *agreement_id(const lpsa_snapshot *s, size_t i) {
  return s->agreements[i].id;
}
static const char *line_id(const lpsa_snapshot *s, size_t i) {
  return s->lines[i].id;
}

/* 0 when every id of the kind is present and unique; else -1 and why. */
static int unique(const lpsa_snapshot *snap, size_t n, id_of_fn id_of,
                  const char *kind, char *why, size_t len) {
  strmap seen = {0};
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    const char *id = id_of(snap, i);
    if (!id || !*id) {
      snprintf(why, len, "%s #%zu has no id", kind, i + 1);
      rc = -1;
    } else if (strmap_get(&seen, id, NULL)) {
      snprintf(why, len, "%s id \"%s\" is emitted twice", kind, id);
      rc = -1;
    } else if (strmap_put(&seen, id, i)) {
      snprintf(why, len, "out of memory");
      rc = -1;
    }
  }
  strmap_free(&seen);
  return rc;
}

/* "YYYY-MM-DD" */
static int is_date(const char *s) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  return 1;
}

static int check_period(const snap_agreement *a, const char *as_of, char *why,
                        size_t len) {
  if (a->period != LPSA_PERIOD_CURRENT)
    return 0;
  if (!is_date(a->period_start) || !is_date(a->period_end)) {
    snprintf(why, len,
             "agreement %s has a current billing period without both dates "
             "as YYYY-MM-DD (start %s, end %s)",
             a->id, a->period_start ? a->period_start : "none",
             a->period_end ? a->period_end : "none");
    return -1;
  }
  if (strcmp(a->period_start, a->period_end) > 0 ||
      (as_of && (strcmp(a->period_start, as_of) > 0 ||
                 strcmp(as_of, a->period_end) > 0))) {
    snprintf(why, len,
             "agreement %s: the current billing period %s..%s does not "
             "cover the run's date %s; report LPSA_PERIOD_MISSING when no "
             "period covers it",
             a->id, a->period_start, a->period_end, as_of ? as_of : "?");
    return -1;
  }
  return 0;
}

static int check_agreements(const lpsa_snapshot *snap, const char *as_of,
                            char *why, size_t len) {
  for (size_t i = 0; i < snap->n_agreements; i++) {
    const snap_agreement *a = &snap->agreements[i];
    if (a->company >= snap->n_companies) {
      snprintf(why, len, "agreement %s belongs to no emitted company", a->id);
      return -1;
    }
    if (a->period > LPSA_PERIOD_MISSING) {
      snprintf(why, len, "agreement %s has an unknown period state %d", a->id,
               (int)a->period);
      return -1;
    }
    if (check_period(a, as_of, why, len))
      return -1;
  }
  return 0;
}

static int check_lines(const lpsa_snapshot *snap, char *why, size_t len) {
  for (size_t i = 0; i < snap->n_lines; i++) {
    const snap_line *l = &snap->lines[i];
    if (l->agreement >= snap->n_agreements) {
      snprintf(why, len, "line %s belongs to no emitted agreement", l->id);
      return -1;
    }
    if (l->quantity < 0) {
      snprintf(why, len, "line %s has a negative quantity %lld", l->id,
               l->quantity);
      return -1;
    }
    if (l->product >= snap->n_products) {
      snprintf(why, len,
               "line %s names product #%zu, but only %zu products were "
               "requested",
               l->id, l->product, snap->n_products);
      return -1;
    }
    if (!snap->products[l->product].found) {
      snprintf(why, len,
               "line %s is of product \"%s\", which the driver never "
               "reported found with product_found()",
               l->id, snap->products[l->product].ref);
      return -1;
    }
  }
  return 0;
}

int conf_shape_check(const lpsa_snapshot *snap, const char *as_of, char *why,
                     size_t len) {
  if (snap->error[0]) {
    snprintf(why, len, "a builder refused a record: %s", snap->error);
    return -1;
  }
  if (unique(snap, snap->n_companies, company_id, "company", why, len) ||
      unique(snap, snap->n_agreements, agreement_id, "agreement", why, len) ||
      unique(snap, snap->n_lines, line_id, "line", why, len))
    return -1;
  return check_agreements(snap, as_of, why, len) ? -1
                                                 : check_lines(snap, why, len);
}

int conf_shape_has_companies(const lpsa_snapshot *snap, const char *const *ids,
                             size_t n, char *why, size_t len) {
  int rc = 0;
  if (len)
    why[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (snapshot_find_company(snap, ids[i]) >= 0)
      continue;
    size_t used = strlen(why);
    if (rc == 0)
      snprintf(why, len, "requested companies not emitted: %s", ids[i]);
    else if (used + 1 < len)
      snprintf(why + used, len - used, ", %s", ids[i]);
    rc = -1;
  }
  return rc;
}

int conf_shape_companies_within(const lpsa_snapshot *sub,
                                const lpsa_snapshot *super, char *why,
                                size_t len) {
  for (size_t i = 0; i < sub->n_companies; i++)
    if (snapshot_find_company(super, sub->companies[i].id) < 0) {
      snprintf(why, len, "company %s is missing", sub->companies[i].id);
      return -1;
    }
  return 0;
}

static int same_count(size_t a, size_t b, const char *kind, char *why,
                      size_t len) {
  if (a == b)
    return 0;
  snprintf(why, len, "the first had %zu %s, the second %zu", a, kind, b);
  return -1;
}

static int lines_agree(const lpsa_snapshot *a, const lpsa_snapshot *b,
                       char *why, size_t len) {
  for (size_t i = 0; i < a->n_lines; i++) {
    const snap_line *la = &a->lines[i];
    long j = snapshot_find_line(b, la->id);
    if (j < 0) {
      snprintf(why, len, "line %s is missing from the second", la->id);
      return -1;
    }
    const snap_line *lb = &b->lines[j];
    if (strcmp(a->agreements[la->agreement].id,
               b->agreements[lb->agreement].id) != 0 ||
        la->product != lb->product || la->quantity != lb->quantity) {
      snprintf(why, len,
               "line %s differs: agreement %s, product #%zu, quantity %lld "
               "then agreement %s, product #%zu, quantity %lld",
               la->id, a->agreements[la->agreement].id, la->product,
               la->quantity, b->agreements[lb->agreement].id, lb->product,
               lb->quantity);
      return -1;
    }
  }
  return 0;
}

int conf_shape_agree(const lpsa_snapshot *a, const lpsa_snapshot *b, char *why,
                     size_t len) {
  if (same_count(a->n_companies, b->n_companies, "companies", why, len) ||
      same_count(a->n_agreements, b->n_agreements, "agreements", why, len) ||
      same_count(a->n_lines, b->n_lines, "lines", why, len))
    return -1;
  if (conf_shape_companies_within(a, b, why, len))
    return -1;
  for (size_t i = 0; i < a->n_agreements; i++)
    if (snapshot_find_agreement(b, a->agreements[i].id) < 0) {
      snprintf(why, len, "agreement %s is missing from the second",
               a->agreements[i].id);
      return -1;
    }
  return lines_agree(a, b, why, len);
}
