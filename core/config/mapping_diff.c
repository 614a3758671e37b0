/* SPDX-License-Identifier: MIT */
/*
 * mapping_diff.c — two mappings compared as sorted sets of rows.
 */
#include "mapping_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ids named in the text, per kind. */
#define DIFF_NAMED 5

static const char *or_empty(const char *s) {
  return s ? s : "";
}

/* Rows ordered by LastPass company, then PSA company and agreement. */
static int row_cmp(const void *a, const void *b) {
  const mapping_row *x = *(const mapping_row *const *)a;
  const mapping_row *y = *(const mapping_row *const *)b;
  int c = strcmp(x->lastpass_company_id, y->lastpass_company_id);
  if (!c)
    c = strcmp(x->psa_company_id, y->psa_company_id);
  if (!c)
    c = strcmp(or_empty(x->agreement_id), or_empty(y->agreement_id));
  return c;
}

static const mapping_row **sorted(const mapping *m) {
  const mapping_row **v = calloc(m->n_rows + 1, sizeof *v);
  if (!v)
    return NULL;
  for (size_t i = 0; i < m->n_rows; i++)
    v[i] = &m->rows[i];
  qsort(v, m->n_rows, sizeof *v, row_cmp);
  return v;
}

static int has_lastpass(const mapping_row **v, size_t n, const char *id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(v[mid]->lastpass_company_id, id);
    if (c == 0)
      return 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

typedef struct named {
  size_t n;
  char ids[256];
} named;

static void name_one(named *k, const char *id) {
  if (k->n++ >= DIFF_NAMED)
    return;
  size_t used = strlen(k->ids);
  snprintf(k->ids + used, sizeof k->ids - used, "%s%s", used ? ", " : "", id);
}

static void say(char *text, size_t cap, size_t n, const char *what,
                const named *k) {
  if (!n)
    return;
  size_t used = strlen(text);
  snprintf(text + used, cap - used, "%s%zu %s (LastPass %s%s)",
           used ? ", " : "", n, what, k->ids, k->n > DIFF_NAMED ? ", ..." : "");
}

int mapping_diff_of(const mapping *before, const mapping *after,
                    mapping_diff *out, char *text, size_t cap) {
  memset(out, 0, sizeof *out);
  const mapping_row **a = sorted(before), **b = sorted(after);
  if (!a || !b) {
    free(a);
    free(b);
    return -1;
  }
  named added = {0}, removed = {0}, changed = {0};
  size_t i = 0, j = 0, na = before->n_rows, nb = after->n_rows;
  /* A merge of the two sorted lists: rows only in one of them are added or
   * removed, unless the other still maps that LastPass company (changed;
   * counted once, on the side of the new row). */
  while (i < na || j < nb) {
    int c = i == na ? 1 : j == nb ? -1 : row_cmp(&a[i], &b[j]);
    if (c == 0) {
      i++, j++;
    } else if (c < 0) {
      const char *id = a[i++]->lastpass_company_id;
      if (!has_lastpass(b, nb, id)) {
        out->removed++;
        name_one(&removed, id);
      }
    } else {
      const char *id = b[j++]->lastpass_company_id;
      if (has_lastpass(a, na, id)) {
        out->changed++;
        name_one(&changed, id);
      } else {
        out->added++;
        name_one(&added, id);
      }
    }
  }
  if (text && cap) {
    text[0] = '\0';
    say(text, cap, out->added, out->added == 1 ? "row added" : "rows added",
        &added);
    say(text, cap, out->removed, "removed", &removed);
    say(text, cap, out->changed, "changed", &changed);
    size_t used = strlen(text);
    snprintf(text + used, cap - used, "%s%zu row%s now", used ? "; " : "", nb,
             nb == 1 ? "" : "s");
  }
  free(a);
  free(b);
  return 0;
}

int mapping_diff_any(const mapping_diff *d) {
  return d->added || d->removed || d->changed;
}
