/* SPDX-License-Identifier: MIT */
/*
 * exit_codes.h — lpsa-host's process exit codes, which scripts and the
 * service manager read (conf/lpsa-host.1 documents them).
 */
#ifndef LPSA_CORE_EXIT_CODES_H
#define LPSA_CORE_EXIT_CODES_H

enum {
  EXIT_IN_STEP = 0,   /* every mapped company in step (or only planned) */
  EXIT_ATTENTION = 1, /* finished, but some companies need a person */
  EXIT_USAGE = 2,     /* usage, configuration or driver-loading error */
  EXIT_ABORTED = 3    /* upstream failure before any write, or stopped */
};

#endif
