/* SPDX-License-Identifier: MIT */
/*
 * cw_error.h — ConnectWise error answers as one line a person understands,
 * and HTTP statuses as lpsa status codes.
 *
 * ConnectWise error bodies look like
 *   {"code":"InvalidObject","message":"Addition object is invalid",
 *    "errors":[{"code":"InvalidField","message":"quantity must be ...",
 *               "resource":"addition","field":"quantity"}]}
 * and become
 *   ConnectWise answered 400 Bad Request to PATCH finance/agreements/5/
 *   additions/9: Addition object is invalid (quantity: quantity must be ...)
 */
#ifndef CW_ERROR_H
#define CW_ERROR_H

#include <stddef.h>

/* lpsa status for a final HTTP status (after the host's retries):
 * 401 AUTH, 403 PERMISSION, 404 NOT_FOUND, 409 CONFLICT, 429 RATE_LIMITED,
 * other 4xx and 5xx REMOTE, 0 (no answer) NETWORK, 2xx OK. */
int cw_status_from_http(long status);

/* "Not Found" for 404 and so on; "" for a status without a common name. */
const char *cw_http_reason(long status);

/* Write "ConnectWise answered <status> <reason> to <what>: <message>
 * (<field>: <error message>; ...)" into out. `what` names the request
 * ("GET company/companies"); `body` (may be NULL) is the answer, used when
 * it is a ConnectWise error document or short plain text. */
void cw_error_message(long status, const char *body, size_t body_len,
                      const char *what, char *out, size_t cap);

#endif
