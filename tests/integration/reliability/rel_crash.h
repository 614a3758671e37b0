/* SPDX-License-Identifier: MIT */
/*
 * rel_crash.h — lpsa-host killed with SIGKILL at every point of an apply,
 * then run again (issue 8 item 2; issue 5 item 8's kill test).
 *
 * For a PSA (Autotask, whose writes are deltas: the critical case;
 * ConnectWise; HaloPSA, which takes whole invoices): a reference apply in a
 * fast world counts T, the requests the PSA receives in a complete apply. Then
 * for N = 1..T, in a fresh world (15 companies, 5-6 changes) whose PSA
 * simulator answers after 60 ms:
 *   1. a dry run (as an operator would: it also records the counts seen);
 *   2. the apply starts in the background; when the PSA simulator has
 *      answered N requests, the host is killed with SIGKILL (the simulator
 *      is then in the 60 ms before request N+1 or later, so the kill lands
 *      before, between or after the steps of a change: re-read, write,
 *      verify, journal);
 *   3. once the simulator is idle (a write still in flight has landed),
 *      its log says which lines were written, and the journal (history
 *      --run K) which changes were left open (state "intent");
 *   4. the apply runs again to completion.
 * After every re-run:
 *   - the PSA holds the target of every company that can be fixed, and
 *     every other line is untouched;
 *   - nothing was applied twice: Autotask holds exactly one adjustment per
 *     changed contract service, of exactly the delta; ConnectWise journals
 *     exactly one quantity change per changed addition and received
 *     exactly one successful PATCH for it, over both runs; HaloPSA
 *     records exactly one change per changed invoice line and lost no
 *     line of any invoice posted back;
 *   - the re-run writes only lines the killed run had not written;
 *   - the journal shows what happened: the killed run is "interrupted",
 *     each change it left open is "resolved-applied" when the PSA had
 *     received its write, else "resolved-not-applied", and the re-run's
 *     report has one INTERRUPTED_CHANGE per open change;
 *   - no company the killed run did not write is reported CHANGED_IN_PSA.
 * Over the loop, kills must have landed both after a write and before one
 * with the change left open, or the test would prove nothing.
 */
#ifndef LPSA_TEST_REL_CRASH_H
#define LPSA_TEST_REL_CRASH_H

#include "rel_harness.h"

/* The loop above for one PSA; fails the calling Check test on the first
 * broken promise. */
void rel_crash_loop(rel_psa psa);

#endif
