/* SPDX-License-Identifier: MIT */
/*
 * str_append.h — printf-style appending to a fixed buffer, for code that
 * builds text but has no business with stdio (engine/).
 */
#ifndef LPSA_CORE_STR_APPEND_H
#define LPSA_CORE_STR_APPEND_H

#include <stddef.h>

/* Append to the NUL-terminated string in buf (cap bytes in all), cutting
 * what does not fit; buf stays terminated. */
void str_appendf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
