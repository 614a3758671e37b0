/* SPDX-License-Identifier: MIT */
/*
 * decimal_id.h — ids written in decimal digits (LastPass ids, in its
 * answers and in the mapping file) must fit in a signed 64-bit integer:
 * larger ones are refused, never clamped to one that may be another
 * company's.
 */
#ifndef LPSA_CORE_DECIMAL_ID_H
#define LPSA_CORE_DECIMAL_ID_H

/* 1 when `digits` (decimal digits only, leading zeros ignored) is at most
 * INT64_MAX, 9223372036854775807; else 0. */
int decimal_id_fits_int64(const char *digits);

#endif
