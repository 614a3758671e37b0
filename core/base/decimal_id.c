/* SPDX-License-Identifier: MIT */
/*
 * decimal_id.c — see decimal_id.h.
 */
#include "decimal_id.h"

#include <string.h>

int decimal_id_fits_int64(const char *digits) {
  static const char max[] = "9223372036854775807";
  while (digits[0] == '0' && digits[1])
    digits++;
  size_t len = strlen(digits);
  return len < sizeof max - 1 ||
         (len == sizeof max - 1 && strcmp(digits, max) <= 0);
}
