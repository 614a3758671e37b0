/* SPDX-License-Identifier: MIT */
/*
 * map_suggest.c — best and runner-up PSA company per LastPass company.
 */
#include "map_suggest.h"

#include <stdlib.h>
#include <string.h>

#include "name_match.h"

const char *ms_state_name(ms_state s) {
  static const char *const names[] = {"suggested", "below_threshold",
                                      "ambiguous", "taken", "no_match"};
  return s <= MS_NO_MATCH ? names[s] : "?";
}

void ms_result_free(ms_result *r) {
  free(r->rows);
  memset(r, 0, sizeof *r);
}

static void free_keys(name_key *keys, size_t n) {
  for (size_t i = 0; keys && i < n; i++)
    name_key_free(&keys[i]);
  free(keys);
}

static name_key *make_keys(const ms_company *list, size_t n) {
  name_key *keys = calloc(n + 1, sizeof *keys);
  for (size_t i = 0; keys && i < n; i++)
    if (name_key_init(&keys[i], list[i].name) != 0) {
      free_keys(keys, i + 1);
      return NULL;
    }
  return keys;
}

/* Best and runner-up for one LastPass company. Scoring every pair is
 * N x M edit distances; the length bound skips most of them. */
static void rank(const name_key *lp, const name_key *psa, size_t n_psa,
                 ms_row *row) {
  row->best = row->second = -1;
  row->best_score = row->second_score = 0;
  for (size_t j = 0; j < n_psa; j++) {
    if (name_key_score_bound(lp, &psa[j]) <= row->second_score)
      continue;
    int s = name_key_score(lp, &psa[j]);
    if (s > row->best_score) {
      row->second = row->best;
      row->second_score = row->best_score;
      row->best = (long)j;
      row->best_score = s;
    } else if (s > row->second_score) {
      row->second = (long)j;
      row->second_score = s;
    }
  }
}

static void decide(ms_row *row, const ms_options *o) {
  if (row->best < 0 || row->best_score == 0)
    row->state = MS_NO_MATCH;
  else if (row->best_score < o->threshold)
    row->state = MS_BELOW_THRESHOLD;
  else if (row->second >= 0 && row->best_score < 100 &&
           row->second_score > row->best_score - o->margin)
    row->state = MS_AMBIGUOUS;
  else
    row->state = MS_SUGGESTED;
}

/* A PSA company keeps the one LastPass company that matches it best; the
 * others (ties included: a person must choose) become MS_TAKEN. */
static void resolve_shared(ms_row *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (rows[i].state != MS_SUGGESTED)
      continue;
    for (size_t k = 0; k < n; k++) {
      if (k == i || rows[k].best != rows[i].best ||
          (rows[k].state != MS_SUGGESTED && rows[k].state != MS_TAKEN))
        continue;
      if (rows[k].best_score >= rows[i].best_score) {
        rows[i].state = MS_TAKEN;
        rows[i].taken_by = (long)rows[k].lastpass;
        break;
      }
    }
  }
}

/* A row with what it sorts by. */
typedef struct sortable {
  ms_row row;
  const char *name, *id;
} sortable;

static int by_confidence(const void *pa, const void *pb) {
  const sortable *a = pa, *b = pb;
  if (a->row.best_score != b->row.best_score)
    return b->row.best_score - a->row.best_score;
  int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
  return c ? c : strcmp(a->id, b->id);
}

/* Highest confidence first, then by LastPass name and id. 0 or -1. */
static int sort_rows(ms_row *rows, size_t n, const ms_company *lastpass) {
  sortable *tmp = calloc(n + 1, sizeof *tmp);
  if (!tmp)
    return -1;
  for (size_t i = 0; i < n; i++)
    tmp[i] = (sortable){rows[i], lastpass[rows[i].lastpass].name,
                        lastpass[rows[i].lastpass].id};
  qsort(tmp, n, sizeof *tmp, by_confidence);
  for (size_t i = 0; i < n; i++)
    rows[i] = tmp[i].row;
  free(tmp);
  return 0;
}

int map_suggest(const ms_company *lastpass, size_t n_lastpass,
                const ms_company *psa, size_t n_psa, const ms_options *opt,
                ms_result *out) {
  memset(out, 0, sizeof *out);
  ms_options o = {MAP_SUGGEST_THRESHOLD, MAP_SUGGEST_MARGIN};
  if (opt && opt->threshold > 0)
    o.threshold = opt->threshold;
  if (opt && opt->margin > 0)
    o.margin = opt->margin;
  name_key *lk = make_keys(lastpass, n_lastpass);
  name_key *pk = make_keys(psa, n_psa);
  ms_row *rows = calloc(n_lastpass + 1, sizeof *rows);
  if (!lk || !pk || !rows) {
    free_keys(lk, lk ? n_lastpass : 0);
    free_keys(pk, pk ? n_psa : 0);
    free(rows);
    return -1;
  }
  for (size_t i = 0; i < n_lastpass; i++) {
    rows[i].lastpass = i;
    rows[i].taken_by = -1;
    rank(&lk[i], pk, n_psa, &rows[i]);
    decide(&rows[i], &o);
  }
  resolve_shared(rows, n_lastpass);
  free_keys(lk, n_lastpass);
  free_keys(pk, n_psa);
  if (sort_rows(rows, n_lastpass, lastpass) != 0) {
    free(rows);
    return -1;
  }
  out->rows = rows;
  out->n = n_lastpass;
  return 0;
}
