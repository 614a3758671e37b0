/* SPDX-License-Identifier: MIT */
/*
 * map_suggest_render.c — the reviewable CSV and the JSON of map suggestions.
 */
#include "map_suggest_render.h"

#include <stdlib.h>
#include <string.h>

#include "text_escape.h"

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
