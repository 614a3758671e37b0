/* SPDX-License-Identifier: MIT */
/*
 * test_wait.h — tests wait for events, never for fixed times: a condition
 * polled against a deadline (a file that appears or says something, a
 * process that exits, a count that is reached). The deadline only bounds a
 * test that would otherwise hang; nothing is asserted about how long the
 * wait took.
 */
#ifndef LPSA_TEST_WAIT_H
#define LPSA_TEST_WAIT_H

#include <sys/types.h>

/* The deadline of every wait unless a test says otherwise: generous, for
 * valgrind and loaded machines. */
#define TEST_WAIT_MS 60000L

/* Milliseconds on the monotonic clock. */
long long test_now_ms(void);
/* Sleep (restarting after signals). For pacing a poll, not for waiting. */
void test_sleep_ms(long ms);

/* Call done(arg) until it returns non-zero, at most timeout_ms (polling
 * every 2 ms at first, then up to every 20 ms). 1 when done, 0 on timeout. */
int test_wait_until(int (*done)(void *arg), void *arg, long timeout_ms);

/* Wait until dir/name holds `needle` at least `times` times: 1, or 0 after
 * timeout_ms. */
int test_wait_file_text(const char *dir, const char *name, const char *needle,
                        int times, long timeout_ms);

/* Wait until process `pid` (a child) exits: its status as hostrun's (exit
 * code, or 128 + signal), or -1 after timeout_ms (it is still running). */
int test_wait_exit(pid_t pid, long timeout_ms);

#endif
