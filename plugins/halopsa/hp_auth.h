/* SPDX-License-Identifier: MIT */
/*
 * hp_auth.h — HaloPSA's client-credentials authorisation:
 *   1. the authorisation server: auth_url as configured, else
 *      GET {url}/api/authinfo (no token) names it ("auth_url"), else it is
 *      {url}/auth, as on-premises Halo has it;
 *   2. POST {auth_url}/token[?tenant=NAME], form-urlencoded grant_type=
 *      client_credentials, client_id, client_secret, scope;
 *   3. the token is reused until its expires_in runs out (api->now(), with
 *      a margin), and hp_auth_forget() drops it after a 401 so the next
 *      call fetches a fresh one, once.
 * The secret goes only into the token request's body, which the host never
 * logs; the token only into the Authorization header, which it redacts.
 * set_quantity() may run on several threads at once: the token is fetched,
 * read and dropped under ctx->token_lock, and each request carries its own
 * copy of the header.
 */
#ifndef HP_AUTH_H
#define HP_AUTH_H

#include "hp_ctx.h"

/* Make sure ctx->auth_url is known. LPSA_OK or an error with err set. */
int hp_auth_discover(hp_ctx *ctx, char *err, size_t errlen);

/* Make sure ctx->token_header holds a token that has not expired. */
int hp_auth_token(hp_ctx *ctx, char *err, size_t errlen);

/* A copy of the Authorization header of the current token (NULL: none, or
 * out of memory); free it with hp_auth_header_free(), which wipes it. */
char *hp_auth_header(hp_ctx *ctx);
void hp_auth_header_free(char *header);

/* Drop the token (Halo refused it). */
void hp_auth_forget(hp_ctx *ctx);

#endif
