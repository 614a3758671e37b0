/* SPDX-License-Identifier: MIT */
/*
 * echo_proxy.c — forward to a simulator, or quote the request back.
 */
#include "echo_proxy.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "simproc.h"
#include "test_server.h"

struct echo_proxy {
  test_server *server;
  char upstream[128];
  /* Set before the host runs and read by the server's threads. */
  volatile int mode, form;
  const char *volatile pass; /* forwarded whatever the mode */
  unsigned echoed;           /* __atomic */
};

static const char *const quiet[] = {"Host",
                                    "Accept",
                                    "Content-Type",
                                    "Content-Length",
                                    "User-Agent",
                                    "Expect",
                                    "Accept-Encoding",
                                    "Connection",
                                    "Transfer-Encoding",
                                    NULL};

static int is_quiet(const char *name) {
  for (size_t i = 0; quiet[i]; i++)
    if (strcasecmp(name, quiet[i]) == 0)
      return 1;
  return 0;
}

static char *base64(const char *in) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(in), o = 0;
  const unsigned char *p = (const unsigned char *)in;
  char *out = malloc(4 * (n / 3 + 1) + 1);
  for (size_t i = 0; out && i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    out[o++] = tab[(v >> 18) & 63];
    out[o++] = tab[(v >> 12) & 63];
    out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? tab[v & 63] : '=';
  }
  if (out)
    out[o] = '\0';
  return out;
}

static char *percent(const char *in) {
  static const char hex[] = "0123456789abcdef";
  char *out = malloc(3 * strlen(in) + 1), *o = out;
  for (const unsigned char *p = (const unsigned char *)in; out && *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
      *o++ = (char)*p;
    } else {
      *o++ = '%';
      *o++ = hex[*p >> 4];
      *o++ = hex[*p & 15];
    }
  }
  if (out)
    *o = '\0';
  return out;
}

/* One quoted header in the proxy's form. */
static char *quote(const char *name, const char *value, echo_form form) {
  char line[4096];
  snprintf(line, sizeof line, "%s: %s", name, value);
  if (form == ECHO_BASE64_LINE)
    return base64(line);
  if (form == ECHO_RAW)
    return strdup(line);
  char *v = form == ECHO_PERCENT ? percent(value) : base64(value);
  if (v)
    snprintf(line, sizeof line, "%s: %s", name, v);
  free(v);
  return v ? strdup(line) : NULL;
}

static int echo(echo_proxy *p, const ts_request *req, ts_response *out) {
  json_object *root = json_object_new_object();
  json_object *errors = json_object_new_array();
  char all[4096] = "refused: ";
  json_object_object_add(root, "title", json_object_new_string("Bad Request"));
  for (size_t i = 0; i < req->n_headers; i++) {
    if (is_quiet(req->names[i]))
      continue;
    char *q = quote(req->names[i], req->values[i], (echo_form)p->form);
    if (!q)
      continue;
    size_t used = strlen(all);
    snprintf(all + used, sizeof all - used, "%s%s",
             used > strlen("refused: ") ? "; " : "", q);
    json_object *e = json_object_new_object();
    json_object_object_add(e, "message", json_object_new_string(q));
    json_object_object_add(e, "detail", json_object_new_string(q));
    json_object_object_add(e, "pointer", json_object_new_string("/headers"));
    json_object_array_add(errors, e);
    free(q);
  }
  json_object_object_add(root, "message", json_object_new_string(all));
  json_object_object_add(root, "detail", json_object_new_string(all));
  json_object_object_add(root, "errors", errors);
  memset(out, 0, sizeof *out);
  out->status = 400;
  out->headers = strdup("Content-Type: application/json");
  out->body = strdup(json_object_to_json_string_ext(
      root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  out->owned = 1;
  json_object_put(root);
  __atomic_fetch_add(&p->echoed, 1, __ATOMIC_SEQ_CST);
  return 1;
}

/* The answer's headers as "Name: value\n" lines, hop-by-hop ones left out
 * and the simulator's own URL (a Link to the next page) made the proxy's. */
static char *forward_headers(const echo_proxy *p, const char *raw) {
  size_t cap = (raw ? strlen(raw) : 0) * 2 + 64, used = 0;
  char *out = calloc(1, cap);
  const char *line = raw ? strchr(raw, '\n') : NULL; /* after the status */
  while (out && line && *++line) {
    size_t len = strcspn(line, "\r\n");
    char one[8192];
    snprintf(one, sizeof one, "%.*s", (int)len, line);
    line += len;
    if (*line == '\r')
      line++;
    size_t name = strcspn(one, ":");
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)name, one);
    /* Content-Type is kept; the server sets the framing headers itself. */
    if (!one[name] || strcasecmp(key, "Content-Length") == 0 ||
        strcasecmp(key, "Transfer-Encoding") == 0 ||
        strcasecmp(key, "Connection") == 0 || strcasecmp(key, "Date") == 0 ||
        strcasecmp(key, "Keep-Alive") == 0)
      continue;
    /* Rewrite every occurrence of the upstream URL. */
    for (const char *s = one; *s;) {
      const char *hit = strstr(s, p->upstream);
      size_t keep = hit ? (size_t)(hit - s) : strlen(s);
      used += (size_t)snprintf(out + used, cap - used, "%.*s", (int)keep, s);
      if (!hit)
        break;
      used += (size_t)snprintf(out + used, cap - used, "%s", ts_url(p->server));
      s = hit + strlen(p->upstream);
    }
    used += (size_t)snprintf(out + used, cap - used, "\n");
  }
  return out;
}

/* `in` (len bytes) with every `from` replaced by `to`; *out_len its
 * length. */
static char *replace_all(const char *in, size_t len, const char *from,
                         const char *to, size_t *out_len) {
  size_t nf = strlen(from), nt = strlen(to);
  char *out = malloc(len + (len / nf + 1) * nt + 1); /* the worst case */
  size_t o = 0;
  for (size_t i = 0; out && i < len;) {
    if (len - i >= nf && memcmp(in + i, from, nf) == 0) {
      memcpy(out + o, to, nt);
      o += nt;
      i += nf;
    } else {
      out[o++] = in[i++];
    }
  }
  if (out)
    out[o] = '\0';
  *out_len = out ? o : 0;
  return out;
}

static int forward(echo_proxy *p, const ts_request *req, ts_response *out) {
  char url[4096];
  snprintf(url, sizeof url, "%s%s", p->upstream, req->target);
  const char *headers[64];
  char *lines[64];
  size_t n = 0;
  for (size_t i = 0; i < req->n_headers && n < 63; i++) {
    if (strcasecmp(req->names[i], "Host") == 0 ||
        strcasecmp(req->names[i], "Content-Length") == 0 ||
        strcasecmp(req->names[i], "Connection") == 0 ||
        strcasecmp(req->names[i], "Expect") == 0 ||
        strcasecmp(req->names[i], "Transfer-Encoding") == 0)
      continue;
    size_t len = strlen(req->names[i]) + strlen(req->values[i]) + 3;
    lines[n] = malloc(len);
    if (!lines[n])
      break;
    snprintf(lines[n], len, "%s: %s", req->names[i], req->values[i]);
    headers[n] = lines[n];
    n++;
  }
  headers[n] = NULL;
  simproc_http_result res;
  int rc = simproc_http(req->method, url, headers,
                        req->body_len ? req->body : NULL, 30000, &res);
  for (size_t i = 0; i < n; i++)
    free(lines[i]);
  memset(out, 0, sizeof *out);
  out->owned = 1;
  if (rc != 0) {
    out->status = 502;
    out->headers = strdup("Content-Type: text/plain");
    out->body = strdup("the simulator did not answer");
    simproc_http_result_free(&res);
    return 1;
  }
  out->status = (int)res.status;
  out->headers = forward_headers(p, res.headers);
  /* Autotask's zone lookup names the simulator's URL in its body. */
  out->body = replace_all(res.body ? res.body : "", res.body_len, p->upstream,
                          ts_url(p->server), &out->body_len);
  simproc_http_result_free(&res);
  return 1;
}

static int is_write(const ts_request *req) {
  return strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
         !(strcmp(req->method, "POST") == 0 && strstr(req->target, "/query"));
}

static int handle(void *arg, const ts_request *req, ts_response *out) {
  echo_proxy *p = arg;
  int mode = p->mode;
  const char *pass = p->pass;
  if (pass && strstr(req->target, pass))
    return forward(p, req, out);
  if (mode == ECHO_ALL || (mode == ECHO_WRITES && is_write(req)))
    return echo(p, req, out);
  return forward(p, req, out);
}

echo_proxy *echo_proxy_start(const char *upstream) {
  echo_proxy *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  snprintf(p->upstream, sizeof p->upstream, "%s", upstream);
  if (!(p->server = ts_start())) {
    free(p);
    return NULL;
  }
  ts_set_handler(p->server, handle, p);
  return p;
}

void echo_proxy_stop(echo_proxy *p) {
  if (!p)
    return;
  ts_stop(p->server);
  free(p);
}

const char *echo_proxy_url(const echo_proxy *p) {
  return ts_url(p->server);
}

void echo_proxy_set(echo_proxy *p, echo_mode mode, echo_form form) {
  p->mode = (int)mode;
  p->form = (int)form;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void echo_proxy_pass(echo_proxy *p, const char *part) {
  p->pass = part;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

unsigned echo_proxy_echoed(const echo_proxy *p) {
  return __atomic_load_n(&p->echoed, __ATOMIC_SEQ_CST);
}
