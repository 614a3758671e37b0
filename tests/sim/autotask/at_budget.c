/*
 * at_budget.c — one-second buckets of a rolling hour.
 */
#include "at_budget.h"

#include <string.h>

void at_budget_init(at_budget *b, long threshold) {
  memset(b, 0, sizeof *b);
  for (int i = 0; i < AT_BUDGET_WINDOW; i++)
    b->second[i] = -1;
  b->threshold = threshold;
}

static int slot(int64_t now) {
  int64_t s = now % AT_BUDGET_WINDOW;
  return (int)(s < 0 ? s + AT_BUDGET_WINDOW : s);
}

void at_budget_add(at_budget *b, int64_t now) {
  int i = slot(now);
  if (b->second[i] != now) { /* a bucket from an hour ago: reuse it */
    b->second[i] = now;
    b->count[i] = 0;
  }
  b->count[i]++;
}

long at_budget_count(const at_budget *b, int64_t now) {
  long n = 0;
  for (int i = 0; i < AT_BUDGET_WINDOW; i++)
    if (b->second[i] > now - AT_BUDGET_WINDOW && b->second[i] <= now)
      n += b->count[i];
  return n;
}

int at_budget_exhausted(const at_budget *b, int64_t now) {
  return at_budget_count(b, now) > b->threshold;
}
