/* SPDX-License-Identifier: MIT */
/*
 * dates.h — the ISO-8601 UTC dates ConnectWise puts on the wire.
 *
 * Records carry dates as "2026-11-01T00:00:00Z". Conditions give them in
 * brackets and fixtures may be written by hand, so input is accepted in a few
 * spellings and turned into that one canonical form, which then sorts and
 * compares correctly as plain text.
 */
#ifndef CW_DATES_H
#define CW_DATES_H

#include <time.h>

#define CW_DATE_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus the NUL */

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "...:SS", "...:SS.fff", each with
 * an optional "Z" or "+00:00", into the canonical form. 0 on success, -1 when
 * the text is not such a date (or the date does not exist). */
int cw_date_parse(const char *text, char out[CW_DATE_LEN]);
/* The canonical form of a UTC time. */
void cw_date_format(time_t t, char out[CW_DATE_LEN]);

#endif
