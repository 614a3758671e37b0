/* SPDX-License-Identifier: MIT */
/*
 * at_client.h — talking to Autotask through the host's transport: zone
 * discovery, request set-up (headers, concurrency group, labels) and
 * turning an answer into a JSON object or one error line.
 */
#ifndef AT_CLIENT_H
#define AT_CLIENT_H

#include <json-c/json.h>

#include "at_ctx.h"

/* Make sure ctx->base is known: the configured zone_url, or
 * GET {zone_lookup_url}/v1.0/zoneInformation?user=<username>. The result is
 * kept for the life of the instance. */
int at_zone(at_ctx *ctx, char *err, size_t errlen);

/* "{base}/v1.0/{path}" as a new string, or NULL when out of memory. Needs
 * at_zone() first. */
char *at_api_url(const at_ctx *ctx, const char *path);

/* Fill `req` for an Autotask API call: credentials headers, the entity as
 * concurrency group (AT_THREADS_PER_ENTITY at once), a counting label. */
void at_request(const at_ctx *ctx, lpsa_http_request *req, const char *method,
                const char *url, const char *body, unsigned flags,
                const char *group, const char *label);

/*
 * Judge one answer: `rc` is what http/http_many returned for it. On HTTP
 * 200 with a JSON object body, returns LPSA_OK and a new reference in *out
 * (unless out is NULL). Otherwise the status of at_error_from_answer(), a
 * transport failure, or LPSA_ERR_PROTOCOL for a body that is not complete
 * JSON, with one line in err that includes `doing`.
 */
int at_answer(int rc, const lpsa_http_response *resp, const char *doing,
              json_object **out, char *err, size_t errlen);

/* GET {base}/v1.0/{path} and judge the answer. */
int at_get_json(at_ctx *ctx, const char *path, const char *group,
                const char *doing, json_object **out, char *err, size_t errlen);

/* GET several paths at once (each in its own group); outs[i] answers
 * paths[i]. On failure every out is NULL and err names the first failure. */
int at_get_json_many(at_ctx *ctx, const char *const *paths,
                     const char *const *groups, const char *const *doing,
                     json_object **outs, size_t n, char *err, size_t errlen);

#endif
