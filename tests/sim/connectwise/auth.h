/* SPDX-License-Identifier: MIT */
/*
 * auth.h — who may call: Basic credentials, the clientId header and the
 * security role's denied areas.
 *
 * ConnectWise API members authenticate with
 *   Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")
 * (the company id is case-insensitive, the keys are not) and every call must
 * carry a clientId header. Missing or wrong, both give 401 Unauthorized in
 * this simulator (the clientId check is documented by ConnectWise as
 * required; its exact status on the real server varies, 401 is the one
 * clients see most). A security role that lacks a module gives 403.
 */
#ifndef CW_AUTH_H
#define CW_AUTH_H

#include <json-c/json.h>
#include <stddef.h>

#include "api.h"

/* 0 when `authorization` holds the configured credentials; else -1 with a
 * one-line reason in `why`. */
int cw_auth_check(const cw_config *cfg, const char *authorization, char *why,
                  size_t cap);
/* 0 when `client_id` is acceptable (present, and equal to the configured
 * one when there is one, case-insensitively: it is a GUID). */
int cw_client_id_check(const cw_config *cfg, const char *client_id);
/* The `denied` entry that refuses `method` on `area` ("finance/agreements/
 * additions": the API path with ids left out), or NULL when allowed. */
const char *cw_denied_entry(json_object *denied, const char *method,
                            const char *area);
/* The ConnectWise security module that governs `area`, for messages:
 * "Finance > Agreements". */
const char *cw_area_module(const char *area);

#endif
