/* SPDX-License-Identifier: MIT */
/*
 * lastpass_async.h — LastPass read on a thread of its own while the caller
 * reads the PSA, so a dry run costs the longer of the two, not their sum.
 *
 * The PSA's snapshot needs only the mapping and the configured products,
 * never LastPass's answer, so both sides are read at once. The thread has
 * its own HTTP client (lastpass_fetch's requests are one at a time, each
 * page token coming from the page before, so it never takes a slot of the
 * PSA's window); it is made like the caller's (options, logger, deadline),
 * and its request counters are added to the caller's when it is joined, so
 * a run's report counts every request once. Signals stay with the caller's
 * thread (the new thread blocks them).
 *
 * When one side fails the other is abandoned (http_abandon): no further
 * request of it starts, so a run that is going to abort does so quickly.
 */
#ifndef LPSA_CORE_LASTPASS_ASYNC_H
#define LPSA_CORE_LASTPASS_ASYNC_H

#include "http.h"
#include "lastpass.h"

typedef struct lastpass_async lastpass_async;

/* Start lastpass_fetch(opt) on a new thread. `psa` is the caller's client:
 * the new one is made like it, and it is abandoned if LastPass fails. `opt`
 * (and its strings) must stay valid until lastpass_async_join(). NULL when
 * out of memory or no thread could start: then read LastPass in line. */
lastpass_async *lastpass_async_start(http_client *psa, const lp_options *opt);

/* The PSA side failed: stop LastPass's next request (its result is then
 * the consequence, not the cause). */
void lastpass_async_abandon(lastpass_async *a, const char *why);

/* Wait for the read and free `a`. Returns lastpass_fetch's status with its
 * message in err; *out the data (free with lp_data_free in every case).
 * *abandoned is 1 when the read was abandoned before it ended. The
 * thread's requests are added to the counters of the client given to
 * lastpass_async_start(). */
int lastpass_async_join(lastpass_async *a, lp_data *out, char *err,
                        size_t errlen, int *abandoned);

#endif
