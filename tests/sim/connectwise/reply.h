/* SPDX-License-Identifier: MIT */
/*
 * reply.h — filling a cw_response: JSON bodies, headers and the ConnectWise
 * error shape {"code":"NotFound","message":"...","errors":[...]}.
 */
#ifndef CW_REPLY_H
#define CW_REPLY_H

#include <json-c/json.h>

#include "api.h"

/* Serialises `obj` (taking over the caller's reference; NULL means out of
 * memory) as the body with `status`. */
void cw_reply_json(cw_response *r, int status, json_object *obj);
/* The body `null` (json-c has no object for it). */
void cw_reply_null(cw_response *r, int status);
/* The error body. `errors` (taken over) may be NULL: no "errors" member. */
void cw_reply_error(cw_response *r, int status, const char *code,
                    const char *message, json_object *errors);
/* One entry of "errors": {"code","message","resource","field"}. NULL when out
 * of memory. */
json_object *cw_error_item(const char *code, const char *message,
                           const char *resource, const char *field);
/* 400 InvalidObject with one error item naming the parameter. */
void cw_reply_invalid(cw_response *r, const char *message, const char *resource,
                      const char *field);
/* 500 for an allocation failure. */
void cw_reply_nomem(cw_response *r);
/* Adds a header (ignored past CW_MAX_HEADERS or without memory). */
void cw_reply_header(cw_response *r, const char *name, const char *value);

#endif
