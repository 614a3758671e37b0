/* SPDX-License-Identifier: MIT */
/*
 * hp_config.h — the [driver.halopsa] keys, read into an instance.
 */
#ifndef HP_CONFIG_H
#define HP_CONFIG_H

#include "hp_ctx.h"

/* The keys (terminated by {NULL}). */
extern const lpsa_config_key hp_config_keys[];

/* Fill ctx's configuration from the section's values. LPSA_OK, or
 * LPSA_ERR_INVALID / LPSA_ERR_NOMEM with one line in err naming the key
 * (and its line in the configuration file). */
int hp_config_apply(hp_ctx *ctx, const lpsa_config_value *config, size_t n,
                    char *err, size_t errlen);

/* Release what hp_config_apply() and the token set hold (the secret and
 * the token are wiped first). */
void hp_ctx_free(hp_ctx *ctx);

/* A copy of `url` without trailing '/' and without a trailing "/api", or
 * NULL when out of memory. */
char *hp_url_base(const char *url);

/* A copy of `url` without trailing '/', or NULL when out of memory. */
char *hp_url_trim(const char *url);

/* 1 when `url` is https://, or http:// to this machine (127.0.0.1,
 * localhost, [::1]): where credentials may be sent. */
int hp_url_is_safe(const char *url);

#endif
