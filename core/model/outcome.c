/* SPDX-License-Identifier: MIT */
/*
 * outcome.c — small helpers over the run's outcomes and findings.
 */
#include "outcome.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"

const char *severity_name(severity sev) {
  static const char *const names[] = {"info", "warning", "error"};
  return sev <= SEV_ERROR ? names[sev] : "error";
}

const char *outcome_status_name(outcome_status st) {
  static const char *const names[] = {"unchanged", "planned", "updated",
                                      "skipped",   "held",    "error"};
  return st <= ST_ERROR ? names[st] : "error";
}

int findings_add(finding_list *list, const char *code, severity sev,
                 const char *fmt, ...) {
  if (list->n == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 4;
    finding *grown = realloc(list->items, cap * sizeof *grown);
    if (!grown)
      return -1;
    list->items = grown;
    list->cap = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0 || !(msg = malloc((size_t)len + 1)))
    return -1;
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)len + 1, fmt, ap);
  va_end(ap);
  list->items[list->n++] = (finding){code, sev, msg, NULL};
  return 0;
}

void findings_free(finding_list *list) {
  for (size_t i = 0; i < list->n; i++) {
    free(list->items[i].message);
    finding_ack_free(list->items[i].ack);
  }
  free(list->items);
  memset(list, 0, sizeof *list);
}

int findings_max(const finding_list *list) {
  int max = -1;
  for (size_t i = 0; i < list->n; i++)
    if ((int)list->items[i].sev > max)
      max = (int)list->items[i].sev;
  return max;
}

int findings_has(const finding_list *list, const char *code) {
  for (size_t i = 0; i < list->n; i++)
    if (strcmp(list->items[i].code, code) == 0)
      return 1;
  return 0;
}

outcome *run_result_add(run_result *res) {
  if (res->n == res->cap) {
    size_t cap = res->cap ? res->cap * 2 : 64;
    outcome *grown = realloc(res->outcomes, cap * sizeof *grown);
    if (!grown)
      return NULL;
    res->outcomes = grown;
    res->cap = cap;
  }
  outcome *o = &res->outcomes[res->n++];
  memset(o, 0, sizeof *o);
  return o;
}

static void outcome_free(outcome *o) {
  free(o->lastpass_id);
  free(o->lastpass_name);
  free(o->psa_company_id);
  free(o->psa_company_name);
  free(o->agreement_id);
  free(o->line_id);
  free(o->product);
  free(o->product_id);
  free(o->period_start);
  free(o->effective_date);
  free(o->approved_by);
  findings_free(&o->findings);
}

void run_result_free(run_result *res) {
  for (size_t i = 0; i < res->n; i++)
    outcome_free(&res->outcomes[i]);
  free(res->outcomes);
  findings_free(&res->findings);
  memset(res, 0, sizeof *res);
}

int outcome_acknowledged(const outcome *o) {
  if (o->status != ST_ERROR && o->status != ST_HELD)
    return 0;
  size_t seen = 0;
  for (size_t k = 0; k < o->findings.n; k++) {
    const finding *f = &o->findings.items[k];
    if (f->sev == SEV_INFO)
      continue;
    if (!f->ack || f->ack->state != ACK_APPLIES)
      return 0;
    seen++;
  }
  return seen > 0;
}

void run_result_summarize(const run_result *res, run_summary *out) {
  memset(out, 0, sizeof *out);
  out->companies = res->n;
  for (size_t i = 0; i < res->n; i++) {
    out->acknowledged += (size_t)outcome_acknowledged(&res->outcomes[i]);
    switch (res->outcomes[i].status) {
    case ST_UPDATED:
      out->updated++;
      break;
    case ST_UNCHANGED:
      out->unchanged++;
      break;
    case ST_PLANNED:
      out->planned++;
      break;
    case ST_SKIPPED:
      out->skipped++;
      break;
    case ST_HELD:
      out->held++;
      break;
    case ST_ERROR:
      out->errors++;
      break;
    }
  }
}
