/* SPDX-License-Identifier: MIT */
/*
 * cw_conditions.h — building ConnectWise `conditions=` expressions safely.
 *
 * ConnectWise conditions are a small query language:
 *   company/id in (250,251) and agreementStatus="Active"
 * Strings are quoted (double or single quotes), dates sit in square brackets,
 * numbers are bare. Every value the driver puts in a condition comes from a
 * person (a product identifier, an agreement type name) or from the mapping
 * file, so it is quoted here and never pasted: a product called
 * `Bob's "Pro"` must not end the string early or inject an `or`.
 *
 * These functions build the raw expression; percent-encoding it for the URL
 * is the URL builder's job.
 */
#ifndef CW_CONDITIONS_H
#define CW_CONDITIONS_H

#include <stddef.h>

#include "cw_buf.h"

/* Append `s` as a string literal. The quote character is chosen so that no
 * escape is needed when possible: "..." normally, '...' when the value holds
 * a double quote but no apostrophe. Otherwise (both quote kinds) the value is
 * double-quoted with \" escapes. A backslash is always written as \\.
 * Returns 0, or -1 (nothing appended) when `s` holds a control character,
 * which no ConnectWise identifier can contain. */
int cw_cond_string(cw_buf *b, const char *s);

/* Append `field in ("a","b")`. Returns -1 (nothing appended) for an empty
 * list, which ConnectWise cannot express, or a value cw_cond_string refuses. */
int cw_cond_in_strings(cw_buf *b, const char *field, const char *const *vals,
                       size_t n);

/* Append `field in (1,2,3)`. Returns -1 (nothing appended) when n == 0. */
int cw_cond_in_ids(cw_buf *b, const char *field, const long long *ids,
                   size_t n);

/* Append a date literal `[YYYY-MM-DDT00:00:00Z]` for the day `ymd`
 * ("YYYY-MM-DD"). Returns -1 (nothing appended) if ymd is not such a date. */
int cw_cond_day(cw_buf *b, const char *ymd);

/* Lists are budgeted on their percent-encoded length, as they travel in
 * the URL: an id costs its digits, each separating comma 3 ("%2C"). */
#define CW_COND_SEP_COST 3

/* How many items, from the start, fit in one `in (...)` list of at most
 * max_items items whose encoded length (cost[i] each, plus
 * CW_COND_SEP_COST between two) is at most `room`. 0 when n == 0 or when
 * not even the first fits: the caller must then refuse, never send a URL
 * that is too long. */
size_t cw_cond_take(const size_t *cost, size_t n, size_t max_items,
                    size_t room);

/* cw_cond_take for ids (each costs its digits). */
size_t cw_cond_chunk(const long long *ids, size_t n, size_t max_ids,
                     size_t room);

/* Parse a ConnectWise record id written as canonical decimal ("42": digits
 * only, no sign, no leading zero, no spaces, 1..2^63-1). Returns 0 and sets
 * *out, or -1: such a string cannot be a ConnectWise id. */
int cw_parse_id(const char *s, long long *out);

/* Is `ymd` a valid "YYYY-MM-DD" calendar date? */
int cw_is_ymd(const char *ymd);

#endif
