/* SPDX-License-Identifier: MIT */
/*
 * map_suggest_render.h — map suggestions (map_suggest.h) as people and
 * scripts read them: the mapping CSV whose commented-out rows and notes are
 * described in map_suggest.h, and the same rows as JSON.
 */
#ifndef LPSA_CORE_MAP_SUGGEST_RENDER_H
#define LPSA_CORE_MAP_SUGGEST_RENDER_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#include "map_suggest.h"

/* What to say in the output's header and notes. */
typedef struct ms_context {
  const char *date; /* "YYYY-MM-DD", for the header */
  const char *psa;  /* the PSA's name ("ConnectWise PSA") */
  int threshold;    /* as used */
  /* For each LastPass index, the PSA company the live mapping file maps it
   * to now, or NULL; the array itself may be NULL. */
  const char *const *mapped_now;
} ms_context;

/* The CSV (header comment, column line, rows). */
void map_suggest_csv(FILE *out, const ms_company *lastpass,
                     const ms_company *psa, size_t n_psa, const ms_result *r,
                     const ms_context *ctx);
/* {"threshold": N, "suggestions": [...]}, or NULL when out of memory. */
json_object *map_suggest_json(const ms_company *lastpass, const ms_company *psa,
                              const ms_result *r, const ms_context *ctx);

#endif
