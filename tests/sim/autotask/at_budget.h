/*
 * at_budget.h — Autotask's request budget: a rolling one-hour count.
 *
 * The real limit is 10,000 requests per rolling 60 minutes per database,
 * shared by every integration; ThresholdInformation reports the count (and
 * counts itself). Requests are counted in one-second buckets over the last
 * 3600 seconds, so memory stays constant however many requests come.
 */
#ifndef AT_BUDGET_H
#define AT_BUDGET_H

#include <stdint.h>

#define AT_BUDGET_WINDOW 3600
#define AT_BUDGET_DEFAULT 10000

typedef struct at_budget {
  int64_t second[AT_BUDGET_WINDOW]; /* which second a bucket holds */
  long count[AT_BUDGET_WINDOW];
  long threshold;
} at_budget;

void at_budget_init(at_budget *b, long threshold);
/* Counts one request made at second `now` (monotonic seconds). */
void at_budget_add(at_budget *b, int64_t now);
/* Requests in the hour ending at `now` (both ends included). */
long at_budget_count(const at_budget *b, int64_t now);
/* 1 when more requests than the threshold were made in that hour. */
int at_budget_exhausted(const at_budget *b, int64_t now);

#endif
