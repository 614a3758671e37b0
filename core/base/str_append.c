/* SPDX-License-Identifier: MIT */
/*
 * str_append.c — bounded appending.
 */
#include "str_append.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void str_appendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t used = strnlen(buf, cap);
  if (used + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + used, cap - used, fmt, ap);
  va_end(ap);
}
