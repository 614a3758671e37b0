/*
 * map_suggest.c — best and runner-up PSA company per LastPass company, and
 * the reviewable CSV.
 */
#include "map_suggest.h"

#include <stdlib.h>
#include <string.h>

#include "name_match.h"
#include "text_escape.h"

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

/* -- output ---------------------------------------------------------------- */

/* A name for a note: quotes kept readable, control and bidi characters
 * escaped (text_escape.h). */
static void put_name(FILE *f, const char *name) {
  fputc('\'', f);
  text_escape_put(f, name, 0);
  fputc('\'', f);
}

static void put_note(FILE *f, const ms_company *lp, const ms_company *psa,
                     const ms_row *row, const ms_context *ctx) {
  const ms_company *l = &lp[row->lastpass];
  switch (row->state) {
  case MS_NO_MATCH:
    fputs("no PSA company resembles this name; LastPass name ", f);
    put_name(f, l->name);
    goto mapped;
  case MS_BELOW_THRESHOLD:
    fprintf(f, "below %d, check by hand: ", ctx->threshold);
    break;
  case MS_AMBIGUOUS:
    fputs("ambiguous, choose by hand: ", f);
    break;
  case MS_TAKEN:
    fprintf(f, "PSA company %s fits LastPass company %s ", psa[row->best].id,
            lp[row->taken_by].id);
    put_name(f, lp[row->taken_by].name);
    fputs(" at least as well: ", f);
    break;
  default:
    break;
  }
  fprintf(f, "confidence %d; ", row->best_score);
  if (row->second >= 0) {
    fprintf(f, "runner-up %s ", psa[row->second].id);
    put_name(f, psa[row->second].name);
    fprintf(f, " %d; ", row->second_score);
  } else {
    fputs("no runner-up; ", f);
  }
  fputs("LastPass name ", f);
  put_name(f, l->name);
  fputs("; PSA name ", f);
  put_name(f, psa[row->best].name);
mapped:
  if (ctx->mapped_now && ctx->mapped_now[row->lastpass])
    fprintf(f, "; mapped now to %s", ctx->mapped_now[row->lastpass]);
}

/* One CSV field, escaped (text_escape.h: no line break or control
 * character survives), quoted when it must be (RFC 4180). */
static void put_field(FILE *f, const char *raw) {
  if (!raw)
    return;
  char *s = text_escape_dup(raw, 0);
  if (!s) {
    fputs("(out of memory)", f);
    return;
  }
  if (!strpbrk(s, ",\"") && s[0] != ' ' && s[0] != '#') {
    fputs(s, f);
  } else {
    fputc('"', f);
    for (const char *p = s; *p; p++) {
      if (*p == '"')
        fputc('"', f);
      fputc(*p, f);
    }
    fputc('"', f);
  }
  free(s);
}

static void put_row(FILE *f, const ms_company *lp, const ms_company *psa,
                    const ms_row *row, const ms_context *ctx) {
  char *note = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&note, &len);
  if (mem) {
    put_note(mem, lp, psa, row, ctx);
    fclose(mem);
  }
  if (row->state != MS_SUGGESTED)
    fputs("# ", f);
  put_field(f, lp[row->lastpass].id);
  fputc(',', f);
  if (row->best >= 0 && row->state != MS_NO_MATCH)
    put_field(f, psa[row->best].id);
  fputs(",,", f);
  put_field(f, note ? note : "");
  fputc('\n', f);
  free(note);
}

void map_suggest_csv(FILE *out, const ms_company *lastpass,
                     const ms_company *psa, size_t n_psa, const ms_result *r,
                     const ms_context *ctx) {
  size_t live = 0;
  for (size_t i = 0; i < r->n; i++)
    live += r->rows[i].state == MS_SUGGESTED;
  fprintf(out,
          "# Mapping suggested by lpsa-host map suggest on %s from %zu "
          "LastPass managed\n"
          "# companies and %zu %s companies: %zu rows suggested, %zu left "
          "for a person.\n"
          "# Review every row. Lines starting with '#' are ignored: below "
          "confidence %d,\n"
          "# ambiguous, or their PSA company fits another LastPass company "
          "better.\n"
          "# Set agreement_id only where a company has several "
          "agreements/contracts.\n",
          ctx->date ? ctx->date : "?", r->n, n_psa, ctx->psa ? ctx->psa : "PSA",
          live, r->n - live, ctx->threshold);
  fputs("lastpass_company_id,psa_company_id,agreement_id,note\n", out);
  for (size_t i = 0; i < r->n; i++)
    put_row(out, lastpass, psa, &r->rows[i], ctx);
}

static json_object *str_or_null(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

json_object *map_suggest_json(const ms_company *lastpass, const ms_company *psa,
                              const ms_result *r, const ms_context *ctx) {
  json_object *root = json_object_new_object();
  json_object *list = json_object_new_array();
  if (!root || !list) {
    json_object_put(root);
    json_object_put(list);
    return NULL;
  }
  for (size_t i = 0; i < r->n; i++) {
    const ms_row *row = &r->rows[i];
    const ms_company *l = &lastpass[row->lastpass];
    int has = row->best >= 0 && row->state != MS_NO_MATCH;
    json_object *o = json_object_new_object();
    if (!o)
      continue;
    json_object_object_add(o, "lastpass_id", json_object_new_string(l->id));
    json_object_object_add(o, "lastpass_name", str_or_null(l->name));
    json_object_object_add(o, "psa_company_id",
                           has ? json_object_new_string(psa[row->best].id)
                               : NULL);
    json_object_object_add(o, "psa_name",
                           has ? str_or_null(psa[row->best].name) : NULL);
    json_object_object_add(o, "confidence",
                           json_object_new_int(row->best_score));
    json_object *ru = NULL;
    if (row->second >= 0) {
      ru = json_object_new_object();
      json_object_object_add(ru, "psa_company_id",
                             json_object_new_string(psa[row->second].id));
      json_object_object_add(ru, "psa_name",
                             str_or_null(psa[row->second].name));
      json_object_object_add(ru, "confidence",
                             json_object_new_int(row->second_score));
    }
    json_object_object_add(o, "runner_up", ru);
    json_object_object_add(o, "status",
                           json_object_new_string(ms_state_name(row->state)));
    json_object_object_add(
        o, "mapped_now",
        str_or_null(ctx->mapped_now ? ctx->mapped_now[row->lastpass] : NULL));
    json_object_array_add(list, o);
  }
  json_object_object_add(root, "threshold",
                         json_object_new_int(ctx->threshold));
  json_object_object_add(root, "suggestions", list);
  return root;
}
