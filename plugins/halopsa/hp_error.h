/* SPDX-License-Identifier: MIT */
/*
 * hp_error.h — HaloPSA's error answers as one line a person can act on.
 * The bodies seen in the wild: {"resultCode","errorMessage"},
 * {"ClassName","Message"}, {"Message"}, {"error","error_description"}
 * (OAuth), or plain text/HTML. Pure: unit-tested directly.
 */
#ifndef HP_ERROR_H
#define HP_ERROR_H

#include <stddef.h>

/* The message of an error body into out (at most 200 characters, control
 * characters made spaces; "" for an empty body). */
void hp_error_text(const char *body, size_t len, char *out, size_t cap);

/* The lpsa status for a non-2xx answer, with one line in err: `doing` is
 * "reading clients"..., `scope` the scope the call needs
 * ("read:customers"), for the 403 advice. */
int hp_error_from_answer(long status, const char *body, size_t len,
                         const char *doing, const char *scope, char *err,
                         size_t errlen);

#endif
