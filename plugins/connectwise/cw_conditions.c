/* SPDX-License-Identifier: MIT */
/*
 * cw_conditions.c — quoting and list building for ConnectWise conditions
 * (see cw_conditions.h for the rules and why they matter).
 */
#include "cw_conditions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return 1;
  return 0;
}

int cw_cond_string(cw_buf *b, const char *s) {
  if (!s || has_control(s))
    return -1;
  int has_dq = strchr(s, '"') != NULL;
  int has_sq = strchr(s, '\'') != NULL;
  /* Single quotes only when they spare us every quote escape. */
  char quote = (has_dq && !has_sq) ? '\'' : '"';
  cw_buf_putc(b, quote);
  for (const char *p = s; *p; p++) {
    if (*p == '\\' || *p == quote)
      cw_buf_putc(b, '\\');
    cw_buf_putc(b, *p);
  }
  cw_buf_putc(b, quote);
  return 0;
}

int cw_cond_in_strings(cw_buf *b, const char *field, const char *const *vals,
                       size_t n) {
  if (!n)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!vals[i] || has_control(vals[i]))
      return -1;
  cw_buf_printf(b, "%s in (", field);
  for (size_t i = 0; i < n; i++) {
    if (i)
      cw_buf_putc(b, ',');
    cw_cond_string(b, vals[i]);
  }
  cw_buf_putc(b, ')');
  return 0;
}

int cw_cond_in_ids(cw_buf *b, const char *field, const long long *ids,
                   size_t n) {
  if (!n)
    return -1;
  cw_buf_printf(b, "%s in (", field);
  for (size_t i = 0; i < n; i++)
    cw_buf_printf(b, i ? ",%lld" : "%lld", ids[i]);
  cw_buf_putc(b, ')');
  return 0;
}

int cw_is_ymd(const char *ymd) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!ymd || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (ymd[i] < '0' || ymd[i] > '9'))
      return 0;
  int y = atoi(ymd), m = atoi(ymd + 5), d = atoi(ymd + 8);
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

int cw_cond_day(cw_buf *b, const char *ymd) {
  if (!cw_is_ymd(ymd))
    return -1;
  cw_buf_printf(b, "[%sT00:00:00Z]", ymd);
  return 0;
}

static size_t digits(long long v) {
  size_t n = 1;
  while (v >= 10) {
    v /= 10;
    n++;
  }
  return n;
}

size_t cw_cond_take(const size_t *cost, size_t n, size_t max_items,
                    size_t room) {
  size_t taken = 0, used = 0;
  while (taken < n && taken < max_items) {
    size_t add = cost[taken] + (taken ? CW_COND_SEP_COST : 0);
    if (used + add > room)
      break;
    used += add;
    taken++;
  }
  return taken;
}

size_t cw_cond_chunk(const long long *ids, size_t n, size_t max_ids,
                     size_t room) {
  size_t taken = 0, used = 0;
  while (taken < n && taken < max_ids) {
    size_t add = digits(ids[taken] < 0 ? 0 : ids[taken]) +
                 (taken ? CW_COND_SEP_COST : 0);
    if (used + add > room)
      break;
    used += add;
    taken++;
  }
  return taken;
}

int cw_parse_id(const char *s, long long *out) {
  if (!s || *s < '1' || *s > '9')
    return -1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9')
      return -1;
  errno = 0;
  char *end = NULL;
  long long v = strtoll(s, &end, 10);
  if (errno || !end || *end)
    return -1;
  *out = v;
  return 0;
}
