/* SPDX-License-Identifier: MIT */
/*
 * approval.c — releasing held changes company by company.
 */
#include "approval.h"

#include <stdlib.h>
#include <string.h>

#include "planner.h"
#include "str_append.h"

int approval_is_hold(const char *code) {
  static const char *const holds[] = {"LARGE_DECREASE", "LARGE_INCREASE",
                                      "MAPPING_SHRANK", "NO_BILLING_RECORD"};
  for (size_t i = 0; i < sizeof holds / sizeof *holds; i++)
    if (strcmp(code, holds[i]) == 0)
      return 1;
  return 0;
}

/* "<what was found>; approved by WHO": the advice after PLAN_HOLD_ADVICE
 * no longer applies. */
static int mark_approved(finding *f, const char *by) {
  char *cut = strstr(f->message, PLAN_HOLD_ADVICE);
  size_t keep = cut ? (size_t)(cut - f->message) : strlen(f->message);
  size_t cap = keep + strlen(by) + 32;
  char *msg = malloc(cap);
  if (!msg)
    return -1;
  memcpy(msg, f->message, keep);
  msg[keep] = '\0';
  str_appendf(msg, cap, "; approved by %s", by);
  free(f->message);
  f->message = msg;
  f->sev = SEV_INFO;
  return 0;
}

int approval_release(outcome *o, const char *by) {
  for (size_t f = 0; f < o->findings.n; f++)
    if (approval_is_hold(o->findings.items[f].code) &&
        o->findings.items[f].sev == SEV_WARNING &&
        mark_approved(&o->findings.items[f], by))
      return -1;
  free(o->approved_by);
  if (!(o->approved_by = strdup(by)))
    return -1;
  o->status = ST_PLANNED;
  return 0;
}

static long find_id(const approval *a, const char *id) {
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->ids[i], id) == 0)
      return (long)i;
  return -1;
}

long approval_apply(const approval *a, run_result *res, approval_use *use) {
  if (use)
    for (size_t i = 0; i < a->n; i++)
      use[i] = APPROVAL_UNKNOWN;
  long released = 0;
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    long k = find_id(a, o->lastpass_id);
    if (k < 0)
      continue;
    approval_use u = APPROVAL_NOT_HELD;
    if (o->status == ST_HELD && !o->has_target)
      u = APPROVAL_NO_TARGET;
    else if (o->status == ST_HELD) {
      u = APPROVAL_RELEASED;
      if (approval_release(o, a->by))
        return -1;
      released++;
    }
    if (use && (use[k] == APPROVAL_UNKNOWN || u == APPROVAL_RELEASED))
      use[k] = u;
  }
  return released;
}

int approval_ids_parse(const char *list, char ***ids, size_t *n) {
  *ids = NULL;
  *n = 0;
  size_t cap = 1;
  for (const char *p = list; *p; p++)
    cap += *p == ',';
  char **out = calloc(cap + 1, sizeof *out);
  if (!out)
    return -1;
  const char *p = list;
  for (;;) {
    size_t len = strcspn(p, ",");
    const char *s = p, *e = p + len;
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
      e--;
    if (e == s || !(out[*n] = strndup(s, (size_t)(e - s)))) {
      approval_ids_free(out, *n);
      *n = 0;
      return -1;
    }
    (*n)++;
    if (!p[len])
      break;
    p += len + 1;
  }
  *ids = out;
  return 0;
}

void approval_ids_free(char **ids, size_t n) {
  for (size_t i = 0; ids && i < n; i++)
    free(ids[i]);
  free(ids);
}
