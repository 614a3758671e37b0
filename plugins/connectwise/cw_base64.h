/* SPDX-License-Identifier: MIT */
/*
 * cw_base64.h — standard base64 (RFC 4648, with padding), for the Basic
 * Authorization header ConnectWise requires.
 */
#ifndef CW_BASE64_H
#define CW_BASE64_H

#include <stddef.h>

/* Encode n bytes of `in`; returns a malloc'ed NUL-terminated string or NULL
 * when out of memory. */
char *cw_base64(const unsigned char *in, size_t n);

#endif
