/* SPDX-License-Identifier: MIT */
/*
 * clock.h — the clock of lpsa-host: every timestamp of a run (its start
 * and end, the journal's records, the metrics file, the e-mail's date)
 * reads it, so that one run never shows two clocks. LPSA_NOW
 * ("YYYY-MM-DDTHH:MM:SSZ", or a bare date: midnight UTC) fixes it, for
 * tests and demonstrations; otherwise it is the system's.
 */
#ifndef LPSA_CORE_CLOCK_H
#define LPSA_CORE_CLOCK_H

#include <time.h>

/* LPSA_NOW when it is set and well-formed, else time(NULL). */
time_t clock_now(void);

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (or a bare date, midnight UTC). -1 if bad
 * or NULL. */
time_t clock_parse_utc(const char *text);

/* `t` as "YYYY-MM-DDTHH:MM:SSZ". */
void clock_utc_text(time_t t, char out[32]);

#endif
