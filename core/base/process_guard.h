/* SPDX-License-Identifier: MIT */
/*
 * process_guard.h — what the lpsa-host process does to itself so that
 * others on the machine cannot read what it holds.
 *
 *   process_guard_files()    umask 077, first thing in main(): every file
 *                            lpsa creates (the journal and SQLite's -wal and
 *                            -shm files, the lock, reports, `map suggest`
 *                            output) is private to its owner whatever the
 *                            umask it was started with. A file meant for
 *                            another reader says so with an explicit mode
 *                            (the metrics file: atomic_write_file() sets it).
 *   process_guard_secrets()  once credentials are loaded: no core dump
 *                            (RLIMIT_CORE 0) and not dumpable (a core or a
 *                            debugger attached by the same user would read
 *                            the credentials from memory; the /proc files of
 *                            the process become root's).
 * Secrets given as env:NAME stay readable in /proc/PID/environ by the same
 * user (and root) while lpsa-host runs: the README says so.
 */
#ifndef LPSA_CORE_PROCESS_GUARD_H
#define LPSA_CORE_PROCESS_GUARD_H

void process_guard_files(void);
/* Safe to call more than once. Failures are ignored: neither call can fail
 * for an unprivileged process lowering its own limits. */
void process_guard_secrets(void);

#endif
