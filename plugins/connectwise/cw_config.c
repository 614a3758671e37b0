/* SPDX-License-Identifier: MIT */
/*
 * cw_config.c — turning the [driver.connectwise] section into a context:
 * validation of every value and the prepared authentication headers.
 *
 * The host has already refused unknown keys, checked the required ones and
 * the URL scheme, and resolved secrets, so none of that is checked again
 * here; what is left is ConnectWise's own rules (a codebase ends with '/',
 * a page size is 1..1000, no query in site...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_base64.h"
#include "cw_buf.h"
#include "cw_ctx.h"
#include "cw_json.h"

typedef struct cw_raw {
  const char *site, *company_id, *public_key, *private_key, *client_id;
  const char *codebase, *api_version, *agreement_type, *page_size;
} cw_raw;

/* The section's values; a key the section does not set reads as "" (the
 * host guarantees the required ones, so only a caller bypassing it sees
 * that, and gets a driver that fails on first use instead of a crash). */
static void collect(cw_raw *r, const lpsa_config_value *config, size_t n) {
  static const cw_raw unset = {"", "", "", "", "", NULL, NULL, NULL, NULL};
  *r = unset;
  for (size_t i = 0; i < n; i++) {
    const char *k = config[i].key, *v = config[i].value;
    if (!k || !v)
      continue;
    const char **slot = !strcmp(k, "site")             ? &r->site
                        : !strcmp(k, "company_id")     ? &r->company_id
                        : !strcmp(k, "public_key")     ? &r->public_key
                        : !strcmp(k, "private_key")    ? &r->private_key
                        : !strcmp(k, "client_id")      ? &r->client_id
                        : !strcmp(k, "codebase")       ? &r->codebase
                        : !strcmp(k, "api_version")    ? &r->api_version
                        : !strcmp(k, "agreement_type") ? &r->agreement_type
                        : !strcmp(k, "page_size")      ? &r->page_size
                                                       : NULL;
    if (slot)
      *slot = v;
  }
}

static int missing(const char *v) {
  return !v || !*v;
}

/* Header values must stay on one line: a CR or LF would let a value add
 * headers of its own. */
static int one_line(const char *v) {
  return v && !strpbrk(v, "\r\n");
}

/* The host has checked that every required key is set and that site is
 * an https:// (or loopback http://) URL; ConnectWise's own rules remain. */
static int check_values(const cw_raw *r, char *err, size_t errlen) {
  const char *names[] = {"site", "company_id", "public_key", "private_key",
                         "client_id"};
  const char *vals[] = {r->site, r->company_id, r->public_key, r->private_key,
                        r->client_id};
  for (size_t i = 0; i < 5; i++)
    if (!one_line(vals[i])) {
      snprintf(err, errlen, "%s holds a line break: remove it", names[i]);
      return LPSA_ERR_INVALID;
    }
  if (strchr(r->site, '?') || strchr(r->site, '#')) {
    snprintf(err, errlen, "site must not hold a query (?) or fragment (#)");
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK;
}

static int check_optional(cw_ctx *c, const cw_raw *r, char *err,
                          size_t errlen) {
  if (!missing(r->codebase)) {
    cw_buf b;
    cw_buf_init(&b);
    cw_buf_puts(&b, r->codebase[0] == '/' ? r->codebase + 1 : r->codebase);
    if (b.len && b.data[b.len - 1] != '/')
      cw_buf_putc(&b, '/');
    c->codebase_cfg = cw_buf_steal(&b);
    if (!c->codebase_cfg)
      return LPSA_ERR_NOMEM;
    if (!cw_codebase_valid(c->codebase_cfg)) {
      snprintf(err, errlen,
               "codebase \"%.60s\" is not a ConnectWise codebase such as "
               "v4_6_release/",
               r->codebase);
      return LPSA_ERR_INVALID;
    }
  }
  if (!missing(r->api_version) &&
      (!one_line(r->api_version) || strpbrk(r->api_version, " ;,"))) {
    snprintf(err, errlen, "api_version must look like 2025.1, not \"%.40s\"",
             r->api_version);
    return LPSA_ERR_INVALID;
  }
  c->page_size = CW_MAX_PAGE_SIZE;
  if (!missing(r->page_size)) {
    char *end = NULL;
    long v = strtol(r->page_size, &end, 10);
    if (!end || *end || v < 1 || v > CW_MAX_PAGE_SIZE) {
      snprintf(err, errlen,
               "page_size must be a whole number from 1 to %d, not \"%.20s\"",
               CW_MAX_PAGE_SIZE, r->page_size);
      return LPSA_ERR_INVALID;
    }
    c->page_size = v;
  }
  if (!missing(r->agreement_type)) {
    for (const unsigned char *p = (const unsigned char *)r->agreement_type; *p;
         p++)
      if (*p < 0x20 || *p == 0x7f) {
        snprintf(err, errlen,
                 "agreement_type holds a control character: write the "
                 "agreement type name as ConnectWise shows it");
        return LPSA_ERR_INVALID;
      }
    c->agreement_type = strdup(r->agreement_type);
    if (!c->agreement_type)
      return LPSA_ERR_NOMEM;
  }
  return LPSA_OK;
}

/* Authorization: Basic base64("{company}+{public}:{private}"), clientId and
 * the version-pinning Accept header, prepared once. */
static int build_headers(cw_ctx *c, const cw_raw *r) {
  cw_buf cred, h;
  cw_buf_init(&cred);
  cw_buf_printf(&cred, "%s+%s:%s", r->company_id, r->public_key,
                r->private_key);
  char *b64 =
      cred.oom ? NULL : cw_base64((const unsigned char *)cred.data, cred.len);
  /* Do not leave the private key in freed memory longer than needed. */
  if (cred.data)
    memset(cred.data, 0, cred.len);
  cw_buf_free(&cred);
  if (!b64)
    return LPSA_ERR_NOMEM;
  cw_buf_init(&h);
  cw_buf_printf(&h, "Authorization: Basic %s", b64);
  memset(b64, 0, strlen(b64));
  free(b64);
  c->h_auth = cw_buf_steal(&h);
  cw_buf_printf(&h, "clientId: %s", r->client_id);
  c->h_client = cw_buf_steal(&h);
  cw_buf_printf(&h, "Accept: application/vnd.connectwise.com+json; version=%s",
                missing(r->api_version) ? CW_DEFAULT_API_VERSION
                                        : r->api_version);
  c->h_accept = cw_buf_steal(&h);
  if (!c->h_auth || !c->h_client || !c->h_accept)
    return LPSA_ERR_NOMEM;
  const char *hs[] = {c->h_auth, c->h_client, c->h_accept};
  for (size_t i = 0; i < 3; i++)
    c->hdr_get[i] = c->hdr_body[i] = hs[i];
  c->hdr_get[3] = NULL;
  c->hdr_body[3] = "Content-Type: application/json";
  c->hdr_body[4] = NULL;
  return LPSA_OK;
}

int cw_config_apply(cw_ctx *c, const lpsa_config_value *config, size_t n,
                    char *err, size_t errlen) {
  cw_raw r;
  collect(&r, config, n);
  int rc = check_values(&r, err, errlen);
  if (rc)
    return rc;
  size_t sl = strlen(r.site);
  while (sl > 0 && r.site[sl - 1] == '/')
    sl--;
  c->site = strndup(r.site, sl);
  c->company_id = strdup(r.company_id);
  if (!c->site || !c->company_id)
    return LPSA_ERR_NOMEM;
  rc = check_optional(c, &r, err, errlen);
  if (!rc)
    rc = build_headers(c, &r);
  if (rc == LPSA_ERR_NOMEM)
    snprintf(err, errlen, "out of memory opening the ConnectWise driver");
  return rc;
}

static void free_secret(char *s) {
  if (s) {
    memset(s, 0, strlen(s));
    free(s);
  }
}

void cw_ctx_free(cw_ctx *c) {
  if (!c)
    return;
  free(c->site);
  free(c->company_id);
  free(c->codebase_cfg);
  free(c->agreement_type);
  free(c->codebase);
  free(c->root);
  free_secret(c->h_auth);
  free_secret(c->h_client);
  free(c->h_accept);
  pthread_mutex_destroy(&c->lock);
  free(c);
}
