/* SPDX-License-Identifier: MIT */
/*
 * test_gate.h — gates of the JSON-file test PSA (jsonpsa's write_gate and
 * after_write_gate): a FIFO at which each write waits until the test has
 * opened it for writing and closed it. The test knows the write is there
 * (gate_wait returns), acts at that exact point (kills the host, starts a
 * second run, sends a signal), then lets it go on: no sleep, no guess of
 * how long a delay must be.
 *
 *   gate_create(path);                 before the run starts
 *   int fd = gate_wait(path, TEST_WAIT_MS);   the write waits there
 *   ... kill the host, or run another, or signal it ...
 *   gate_open(path, fd);               it and every later write go on
 */
#ifndef LPSA_TEST_GATE_H
#define LPSA_TEST_GATE_H

/* mkfifo(path, 0600): 0, or -1. */
int gate_create(const char *path);
/* Wait until a write waits at the gate: an open descriptor (keep it until
 * gate_open()), or -1 after timeout_ms. */
int gate_wait(const char *path, long timeout_ms);
/* Remove the gate, then let the waiting write go on: every later write
 * passes without waiting. (Holding each write in turn would race the
 * driver's closing of the FIFO: use one gate per point instead.) A
 * negative fd (the host was killed at the gate) only removes it. */
void gate_open(const char *path, int fd);

#endif
