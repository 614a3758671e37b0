/* SPDX-License-Identifier: MIT */
/*
 * process_guard.c — umask, core dumps, dumpability.
 */
#include "process_guard.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

void process_guard_files(void) {
  umask(077);
}

void process_guard_secrets(void) {
  struct rlimit none = {0, 0};
  (void)setrlimit(RLIMIT_CORE, &none);
  (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
