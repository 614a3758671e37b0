/* SPDX-License-Identifier: MIT */
/*
 * billing_period.c — stepping a contract's periods from its start date (see
 * billing_period.h for the rule and why it matters).
 */
#include "billing_period.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static int valid_length(int months) {
  return months == 1 || months == 3 || months == 6 || months == 12;
}

/* Start of the k-th period: always from the original start day. */
static at_date nth_start(const at_date *start, int months, int k) {
  return at_date_add_months(start, k * months);
}

bp_result billing_period(const at_date *start, const at_date *end, int months,
                         const at_date *as_of, at_date *period_start,
                         at_date *period_end) {
  if (!valid_length(months))
    return BP_BAD_LENGTH;
  if (at_date_cmp(as_of, start) < 0)
    return BP_BEFORE_START;
  if (end && at_date_cmp(as_of, end) > 0)
    return BP_AFTER_END;
  /* Whole months between the two dates give the period index, give or take
   * one: the clamped day of the candidate decides. */
  int k = at_month_diff(start, as_of) / months;
  at_date first = nth_start(start, months, k);
  while (k > 0 && at_date_cmp(&first, as_of) > 0) {
    k--;
    first = nth_start(start, months, k);
  }
  at_date next = nth_start(start, months, k + 1);
  while (at_date_cmp(&next, as_of) <= 0) {
    k++;
    first = next;
    next = nth_start(start, months, k + 1);
  }
  at_date last = at_date_add_days(&next, -1);
  if (end && at_date_cmp(&last, end) > 0)
    last = *end;
  *period_start = first;
  *period_end = last;
  return BP_OK;
}

int bp_contains(const at_date *first, const at_date *last, const at_date *d) {
  return at_date_cmp(first, d) <= 0 && at_date_cmp(d, last) <= 0;
}

int bp_months_from_label(const char *label) {
  static const struct {
    const char *word;
    int months;
  } words[] = {
      {"monthly", 1},    {"month", 1},      {"quarterly", 3},
      {"quarter", 3},    {"semiannual", 6}, {"semiannually", 6},
      {"halfyearly", 6}, {"halfyear", 6},   {"sixmonths", 6},
      {"yearly", 12},    {"annual", 12},    {"annually", 12},
      {"year", 12},
  };
  char norm[32];
  size_t n = 0;
  if (!label)
    return 0;
  for (const char *p = label; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '-' || c == '_')
      continue;
    if (n + 1 >= sizeof norm)
      return 0;
    norm[n++] = (char)tolower(c);
  }
  norm[n] = '\0';
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(norm, words[i].word) == 0)
      return words[i].months;
  return 0;
}
