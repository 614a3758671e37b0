/* SPDX-License-Identifier: MIT */
/*
 * cw_link.c — the Link header parser and query-parameter lookup (see
 * cw_link.h).
 */
#include "cw_link.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_ows(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static int is_token_end(char c) {
  return c == '\0' || c == ';' || c == ',' || c == '=' || c == ' ' || c == '\t';
}

/* Set one rel slot; a second, different target is malformed. */
static int set_rel(char **slot, const char *url, size_t len) {
  if (*slot)
    return (strlen(*slot) == len && !strncmp(*slot, url, len))
               ? CW_LINK_OK
               : CW_LINK_MALFORMED;
  *slot = strndup(url, len);
  return *slot ? CW_LINK_OK : CW_LINK_NOMEM;
}

/* Apply every rel named in the space-separated list rels[0..n). */
static int apply_rels(cw_links *out, const char *rels, size_t n,
                      const char *url, size_t url_len) {
  size_t i = 0;
  while (i < n) {
    while (i < n && (rels[i] == ' ' || rels[i] == '\t'))
      i++;
    size_t start = i;
    while (i < n && rels[i] != ' ' && rels[i] != '\t')
      i++;
    size_t wl = i - start;
    const char *w = rels + start;
    char **slot = NULL;
    if (wl == 4 && !strncasecmp(w, "next", 4))
      slot = &out->next;
    else if (wl == 4 && !strncasecmp(w, "prev", 4))
      slot = &out->prev;
    else if (wl == 8 && !strncasecmp(w, "previous", 8))
      slot = &out->prev;
    else if (wl == 5 && !strncasecmp(w, "first", 5))
      slot = &out->first;
    else if (wl == 4 && !strncasecmp(w, "last", 4))
      slot = &out->last;
    if (slot) {
      int rc = set_rel(slot, url, url_len);
      if (rc)
        return rc;
    }
  }
  return CW_LINK_OK;
}

/* Read a parameter value (token or quoted-string) into a fresh string. */
static const char *read_value(const char *p, char **val) {
  *val = NULL;
  size_t cap = strlen(p) + 1;
  char *v = malloc(cap);
  if (!v)
    return NULL;
  size_t n = 0;
  if (*p == '"') {
    p++;
    while (*p && *p != '"') {
      if (*p == '\\' && p[1])
        p++;
      v[n++] = *p++;
    }
    if (*p != '"') {
      free(v);
      return NULL;
    }
    p++;
  } else {
    while (!is_token_end(*p))
      v[n++] = *p++;
  }
  v[n] = '\0';
  *val = v;
  return p;
}

/* Parse the parameters after one <url>; *pp points just past '>'. */
static int parse_params(const char **pp, cw_links *out, const char *url,
                        size_t url_len) {
  const char *p = *pp;
  for (;;) {
    p = skip_ows(p);
    if (*p != ';')
      break;
    p = skip_ows(p + 1);
    const char *name = p;
    while (!is_token_end(*p))
      p++;
    size_t name_len = (size_t)(p - name);
    p = skip_ows(p);
    if (!name_len)
      return CW_LINK_MALFORMED;
    if (*p != '=')
      continue; /* a parameter without a value */
    p = skip_ows(p + 1);
    char *val = NULL;
    const char *after = read_value(p, &val);
    if (!after)
      return val ? CW_LINK_MALFORMED
                 : (*p == '"' ? CW_LINK_MALFORMED : CW_LINK_NOMEM);
    p = after;
    int rc = CW_LINK_OK;
    if (name_len == 3 && !strncasecmp(name, "rel", 3))
      rc = apply_rels(out, val, strlen(val), url, url_len);
    free(val);
    if (rc)
      return rc;
  }
  *pp = p;
  return CW_LINK_OK;
}

int cw_link_parse(const char *header, cw_links *out) {
  memset(out, 0, sizeof *out);
  if (!header)
    return CW_LINK_OK;
  const char *p = header;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if (!*p)
      return CW_LINK_OK;
    if (*p != '<')
      return CW_LINK_MALFORMED;
    const char *url = p + 1;
    const char *gt = strchr(url, '>');
    if (!gt || gt == url)
      return CW_LINK_MALFORMED;
    p = gt + 1;
    int rc = parse_params(&p, out, url, (size_t)(gt - url));
    if (rc)
      return rc;
    p = skip_ows(p);
    if (*p && *p != ',')
      return CW_LINK_MALFORMED;
  }
}

void cw_links_free(cw_links *l) {
  if (!l)
    return;
  free(l->next);
  free(l->prev);
  free(l->first);
  free(l->last);
  memset(l, 0, sizeof *l);
}

/* Locate parameter `name` in the query of `url`: 1 and its value span, or 0. */
static int find_param(const char *url, const char *name, const char **val,
                      size_t *val_len) {
  const char *q = url && name ? strchr(url, '?') : NULL;
  if (!q)
    return 0;
  size_t nl = strlen(name);
  const char *p = q + 1;
  while (*p && *p != '#') {
    const char *end = p + strcspn(p, "&#");
    const char *eq = memchr(p, '=', (size_t)(end - p));
    size_t key_len = eq ? (size_t)(eq - p) : (size_t)(end - p);
    if (key_len == nl && !strncmp(p, name, nl)) {
      *val = eq ? eq + 1 : end;
      *val_len = (size_t)(end - *val);
      return 1;
    }
    p = *end == '&' ? end + 1 : end;
  }
  return 0;
}

long cw_url_param(const char *url, const char *name, char *buf, size_t cap) {
  const char *v;
  size_t vl;
  if (!find_param(url, name, &v, &vl) || vl >= cap)
    return -1;
  memcpy(buf, v, vl);
  buf[vl] = '\0';
  return (long)vl;
}

int cw_url_param_num(const char *url, const char *name, long long *out) {
  const char *v;
  size_t vl;
  if (!find_param(url, name, &v, &vl))
    return 0;
  if (vl == 0 || vl > 18)
    return -1;
  long long n = 0;
  for (size_t i = 0; i < vl; i++) {
    if (v[i] < '0' || v[i] > '9')
      return -1;
    n = n * 10 + (v[i] - '0');
  }
  *out = n;
  return 1;
}
