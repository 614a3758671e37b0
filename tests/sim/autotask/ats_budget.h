/* SPDX-License-Identifier: MIT */
/*
 * ats_budget.h — Autotask's request budget: a rolling one-hour count.
 *
 * The real limit is 10,000 requests per rolling 60 minutes per database,
 * shared by every integration; ThresholdInformation reports the count (and
 * counts itself). Requests are counted in one-second buckets over the last
 * 3600 seconds, so memory stays constant however many requests come.
 */
#ifndef ATS_BUDGET_H
#define ATS_BUDGET_H

#include <stdint.h>

#define ATS_BUDGET_WINDOW 3600
#define ATS_BUDGET_DEFAULT 10000

typedef struct ats_budget {
  int64_t second[ATS_BUDGET_WINDOW]; /* which second a bucket holds */
  long count[ATS_BUDGET_WINDOW];
  long threshold;
} ats_budget;

void ats_budget_init(ats_budget *b, long threshold);
/* Counts one request made at second `now` (monotonic seconds). */
void ats_budget_add(ats_budget *b, int64_t now);
/* Requests in the hour ending at `now` (both ends included). */
long ats_budget_count(const ats_budget *b, int64_t now);
/* 1 when more requests than the threshold were made in that hour. */
int ats_budget_exhausted(const ats_budget *b, int64_t now);

#endif
