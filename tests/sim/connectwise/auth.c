/* SPDX-License-Identifier: MIT */
/*
 * auth.c — Basic credentials, clientId and denied areas (see auth.h).
 */
#include "auth.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int b64val(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Decodes standard base64 (padding optional) into out; -1 when malformed
 * or too long. */
static int b64decode(const char *in, char *out, size_t cap) {
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (; *in && *in != '='; in++) {
    int v = b64val(*in);
    if (v < 0)
      return -1;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o + 1 >= cap)
        return -1;
      out[o++] = (char)((acc >> bits) & 0xFF);
    }
  }
  while (*in == '=')
    in++;
  if (*in)
    return -1;
  out[o] = '\0';
  return memchr(out, '\0', o) ? -1 : 0;
}

int cw_auth_check(const cw_config *cfg, const char *authorization, char *why,
                  size_t cap) {
  char plain[512];
  if (!authorization || strncasecmp(authorization, "Basic ", 6) != 0) {
    snprintf(why, cap,
             "Authorization header with Basic credentials is "
             "missing; send base64(company+publicKey:privateKey).");
    return -1;
  }
  const char *b64 = authorization + 6;
  while (*b64 == ' ')
    b64++;
  if (b64decode(b64, plain, sizeof(plain))) {
    snprintf(why, cap, "Authorization header is not valid base64.");
    return -1;
  }
  char *plus = strchr(plain, '+'), *colon = plus ? strchr(plus, ':') : NULL;
  if (!plus || !colon) {
    snprintf(why, cap,
             "Credentials must have the form "
             "company+publicKey:privateKey.");
    return -1;
  }
  *plus = *colon = '\0';
  if (strcasecmp(plain, cfg->company) || strcmp(plus + 1, cfg->public_key) ||
      strcmp(colon + 1, cfg->private_key)) {
    snprintf(why, cap, "The company, public key or private key is wrong.");
    return -1;
  }
  return 0;
}

int cw_client_id_check(const cw_config *cfg, const char *client_id) {
  if (!client_id || !*client_id)
    return -1;
  return cfg->client_id && strcasecmp(cfg->client_id, client_id) ? -1 : 0;
}

/* 1 when `prefix` is `area` or a leading run of its segments. */
static int area_prefix(const char *prefix, const char *area) {
  size_t n = strlen(prefix);
  while (n && prefix[n - 1] == '/')
    n--;
  return n && strncasecmp(prefix, area, n) == 0 &&
         (area[n] == '\0' || area[n] == '/');
}

const char *cw_denied_entry(json_object *denied, const char *method,
                            const char *area) {
  for (size_t i = 0; denied && i < json_object_array_length(denied); i++) {
    const char *e =
        json_object_get_string(json_object_array_get_idx(denied, i));
    const char *path = e, *sp = strchr(e, ' ');
    if (sp) { /* "PATCH finance/..." */
      if ((size_t)(sp - e) != strlen(method) ||
          strncasecmp(e, method, (size_t)(sp - e)) != 0)
        continue;
      path = sp + 1;
    }
    while (*path == '/')
      path++;
    if (area_prefix(path, area))
      return e;
  }
  return NULL;
}

const char *cw_area_module(const char *area) {
  static const struct {
    const char *prefix, *module;
  } modules[] = {
      {"company/companies", "Companies > Company Maintenance"},
      {"finance/agreements", "Finance > Agreements"},
      {"procurement/catalog", "Procurement > Product Catalog"},
      {"system", "System > Table Setup"},
  };
  for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
    if (area_prefix(modules[i].prefix, area))
      return modules[i].module;
  return area;
}
