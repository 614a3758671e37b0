/* SPDX-License-Identifier: MIT */
/*
 * web_assets.c — look up an embedded asset by its path.
 */
#include "web_assets.h"

#include <string.h>

const web_asset *web_asset_find(const char *path) {
  if (strcmp(path, "/") == 0)
    path = "/index.html";
  for (size_t i = 0; i < web_assets_count; i++)
    if (strcmp(web_assets[i].path, path) == 0)
      return &web_assets[i];
  return NULL;
}
