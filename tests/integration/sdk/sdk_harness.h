/* SPDX-License-Identifier: MIT */
/*
 * sdk_harness.h — what the SDK's integration tests share: running a built
 * program (lpsa-conformance, lpsa-host) with its output captured, reading
 * the verdict of one test from a TAP file, and writing configurations.
 */
#ifndef LPSA_SDK_HARNESS_H
#define LPSA_SDK_HARNESS_H

#include "hostrun.h"

/* Run ${LPSA_BUILD_DIR}/bin/<program> args... in `cwd` with stdout and
 * stderr captured in r (free with hostrun_free). When `wrapped` and
 * LPSA_CONFORMANCE_WRAPPER is set ("valgrind -q ..."), the program runs
 * under that command. 0, or -1 when it could not be started. */
int sdk_exec(const char *cwd, const char *program, const char *const *args,
             int wrapped, hostrun *r);

/* The verdict of test `name` in the TAP text: "ok", "not ok", "skip", or
 * NULL when the TAP does not list it. */
const char *sdk_tap_verdict(const char *tap, const char *name);

/* Write dir/name with `text`, mode 0600 (a configuration holding literal
 * secrets must be private). 0 or -1. */
int sdk_write_private(const char *dir, const char *name, const char *text);

/* Copy the source tree's sdk/template/example/<name> into dir. 0 or -1. */
int sdk_copy_example(const char *dir, const char *name);

/* Copy the file `src` (any content) to dir/name with mode 0755. 0 or -1. */
int sdk_copy_file(const char *src, const char *dir, const char *name);

/* The value of LPSA_CONFORMANCE_LEVEL (0..2), else `dflt`. */
int sdk_level(int dflt);

#endif
