/* SPDX-License-Identifier: MIT */
/*
 * wrapped_host.h — run the built lpsa-host under a wrapper program
 * (valgrind, `unshare -n`), with its output captured like hostrun_exec()
 * (tests/support/hostrun.h, which has no wrapper).
 */
#ifndef LPSA_TEST_WRAPPED_HOST_H
#define LPSA_TEST_WRAPPED_HOST_H

#include "hostrun.h"

/* Run `wrapper... lpsa-host args...` in `cwd` with `env` added ("K=V",
 * NULL-terminated) and stdout/stderr captured in *r. `wrapper` is
 * NULL-terminated and may be NULL or empty (plain run); its first word is
 * looked up on PATH. 0, or -1 when it could not be started. */
int wrapped_host_exec(const char *const *wrapper, const char *cwd,
                      const char *const *args, const char *const *env,
                      hostrun *r);

/* 1 when `program` is found on PATH. */
int wrapped_host_have(const char *program);

#endif
