/* SPDX-License-Identifier: MIT */
/*
 * ats_budget.c — one-second buckets of a rolling hour.
 */
#include "ats_budget.h"

#include <string.h>

void ats_budget_init(ats_budget *b, long threshold) {
  memset(b, 0, sizeof *b);
  for (int i = 0; i < ATS_BUDGET_WINDOW; i++)
    b->second[i] = -1;
  b->threshold = threshold;
}

static int slot(int64_t now) {
  int64_t s = now % ATS_BUDGET_WINDOW;
  return (int)(s < 0 ? s + ATS_BUDGET_WINDOW : s);
}

void ats_budget_add(ats_budget *b, int64_t now) {
  int i = slot(now);
  if (b->second[i] != now) { /* a bucket from an hour ago: reuse it */
    b->second[i] = now;
    b->count[i] = 0;
  }
  b->count[i]++;
}

long ats_budget_count(const ats_budget *b, int64_t now) {
  long n = 0;
  for (int i = 0; i < ATS_BUDGET_WINDOW; i++)
    if (b->second[i] > now - ATS_BUDGET_WINDOW && b->second[i] <= now)
      n += b->count[i];
  return n;
}

int ats_budget_exhausted(const ats_budget *b, int64_t now) {
  return ats_budget_count(b, now) > b->threshold;
}
