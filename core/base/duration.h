/* SPDX-License-Identifier: MIT */
/*
 * duration.h — lengths of time in the configuration: "45s", "30m", "2h",
 * "1h30m", "1d"; a bare number is seconds. Units d, h, m, s, each at most
 * once and in that order.
 */
#ifndef LPSA_CORE_DURATION_H
#define LPSA_CORE_DURATION_H

#include <stddef.h>

/* 0 with *seconds set, or -1 when `text` is not a duration (or is longer
 * than 10 years). */
int duration_parse(const char *text, long *seconds);

/* The shortest text that parses back to `seconds` ("2h", "1h30m", "90s" is
 * "1m30s"; 0 is "0s"). */
void duration_format(long seconds, char *buf, size_t cap);

#endif
