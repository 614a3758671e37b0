/* SPDX-License-Identifier: MIT */
/*
 * at_error.h — turning an Autotask error answer into one status and one line
 * for a person. Pure.
 *
 *   401 (plain-text body)                 -> LPSA_ERR_AUTH
 *   403, or 500 "... adequate permissions" -> LPSA_ERR_PERMISSION
 *   429 or "thread threshold"/"request threshold" in the body (whatever the
 *   status, since Autotask sometimes sends the thread limit as a 500; the
 *   host has already retried)          -> LPSA_ERR_RATE_LIMITED
 *   404                                   -> LPSA_ERR_NOT_FOUND
 *   anything else but 200                 -> LPSA_ERR_REMOTE
 * The message joins {"errors":[...]} (strings, or objects with a "message")
 * with "; ", or quotes the first line of a plain-text body, and always names
 * the HTTP status and what the driver was doing.
 */
#ifndef AT_ERROR_H
#define AT_ERROR_H

#include <stddef.h>

/* `doing` says what was asked ("querying Contracts"). Writes err and returns
 * the status. Never returns LPSA_OK. */
int at_error_from_answer(long http_status, const char *body, size_t body_len,
                         const char *doing, char *err, size_t errlen);

/* The errors of a body, joined into one line of printable text (at most
 * cap - 1 bytes). Empty when the body has none. */
void at_error_text(const char *body, size_t body_len, char *out, size_t cap);

#endif
