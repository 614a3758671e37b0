/* SPDX-License-Identifier: MIT */
/* Compiling engine/, this file stands in for <curl/curl.h>: the engine is
 * pure (no stdio, json-c, curl or SQLite), so including it is refused. Leave
 * the I/O to the caller or to output/; see core/README.md. */
#error "engine/ is pure and may not include <curl/curl.h>; see core/README.md"
