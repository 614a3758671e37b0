/* SPDX-License-Identifier: MIT */
/*
 * web_assets.h — the console's page (HTML, CSS, JavaScript), compiled into
 * the binary from core/web/assets/ by embed_assets.cmake.
 */
#ifndef LPSA_WEB_ASSETS_H
#define LPSA_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
  const char *path; /* "/app.js" */
  const char *content_type;
  const unsigned char *data; /* NUL-terminated, len bytes before it */
  size_t len;
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_assets_count;

/* The asset served at `path` ("/" is /index.html), or NULL. */
const web_asset *web_asset_find(const char *path);

#endif
