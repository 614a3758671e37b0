/* SPDX-License-Identifier: MIT */
/*
 * conf_state.c — the level-2 test line, saved between test processes.
 */
#include "conf_state.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static int copy(char *dst, size_t cap, const char *src) {
  int n = snprintf(dst, cap, "%s", src ? src : "");
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int conf_state_from_snapshot(const lpsa_snapshot *snap, const char *line_id,
                             conf_line_state *st, char *why, size_t len) {
  memset(st, 0, sizeof *st);
  long i = snapshot_find_line(snap, line_id);
  if (i < 0) {
    snprintf(why, len,
             "the test line %s is not in the snapshot: give the id of a "
             "line of a mapped product on an active agreement of a "
             "requested company",
             line_id);
    return -1;
  }
  const snap_line *l = &snap->lines[i];
  const snap_agreement *a = &snap->agreements[l->agreement];
  const snap_product *p = &snap->products[l->product];
  if (copy(st->company_id, sizeof st->company_id,
           snap->companies[a->company].id) ||
      copy(st->agreement_id, sizeof st->agreement_id, a->id) ||
      copy(st->line_id, sizeof st->line_id, l->id) ||
      copy(st->product_id, sizeof st->product_id, p->psa_id) ||
      copy(st->period_start, sizeof st->period_start,
           a->period == LPSA_PERIOD_CURRENT ? a->period_start : NULL)) {
    snprintf(why, len, "an id of test line %s is too long for the suite",
             line_id);
    return -1;
  }
  st->original = l->quantity;
  return 0;
}

lpsa_line_ref conf_state_ref(const conf_line_state *st, const char *as_of) {
  lpsa_line_ref ref = LPSA_INIT(lpsa_line_ref);
  ref.company_id = st->company_id;
  ref.agreement_id = st->agreement_id;
  ref.line_id = st->line_id;
  ref.product_id = st->product_id[0] ? st->product_id : NULL;
  ref.period_start = st->period_start[0] ? st->period_start : NULL;
  ref.as_of = as_of;
  return ref;
}

static const char *const keys[] = {"company_id", "agreement_id", "line_id",
                                   "product_id", "period_start"};

static char *field(conf_line_state *st, size_t i, size_t *cap) {
  char *f[] = {st->company_id, st->agreement_id, st->line_id, st->product_id,
               st->period_start};
  size_t caps[] = {sizeof st->company_id, sizeof st->agreement_id,
                   sizeof st->line_id, sizeof st->product_id,
                   sizeof st->period_start};
  *cap = caps[i];
  return f[i];
}

static void path_of(const char *dir, char *out, size_t cap) {
  snprintf(out, cap, "%s/line.json", dir);
}

int conf_state_save(const char *dir, const conf_line_state *st) {
  json_object *o = json_object_new_object();
  int rc = o ? 0 : -1;
  conf_line_state copy_st = *st;
  for (size_t i = 0; rc == 0 && i < sizeof keys / sizeof keys[0]; i++) {
    size_t cap;
    json_object *v = json_object_new_string(field(&copy_st, i, &cap));
    if (!v || json_object_object_add(o, keys[i], v) != 0) {
      json_object_put(v);
      rc = -1;
    }
  }
  json_object *q = rc == 0 ? json_object_new_int64(st->original) : NULL;
  if (rc == 0 && (!q || json_object_object_add(o, "original", q) != 0)) {
    json_object_put(q);
    rc = -1;
  }
  char path[4200];
  path_of(dir, path, sizeof path);
  if (rc == 0 && json_object_to_file(path, o) != 0)
    rc = -1;
  json_object_put(o);
  return rc;
}

int conf_state_load(const char *dir, conf_line_state *st) {
  char path[4200];
  path_of(dir, path, sizeof path);
  memset(st, 0, sizeof *st);
  json_object *o = json_object_from_file(path), *v;
  int rc = o && json_object_is_type(o, json_type_object) ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < sizeof keys / sizeof keys[0]; i++) {
    size_t cap;
    char *dst = field(st, i, &cap);
    if (!json_object_object_get_ex(o, keys[i], &v) ||
        copy(dst, cap, json_object_get_string(v)))
      rc = -1;
  }
  if (rc == 0 && json_object_object_get_ex(o, "original", &v))
    st->original = json_object_get_int64(v);
  else
    rc = -1;
  json_object_put(o);
  return rc;
}

long long conf_state_quantity(const lpsa_snapshot *snap, const char *line_id) {
  long i = snapshot_find_line(snap, line_id);
  return i < 0 ? -1 : snap->lines[i].quantity;
}
