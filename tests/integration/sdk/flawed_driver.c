/* SPDX-License-Identifier: MIT */
/*
 * flawed_driver.c — jsonpsa with one deliberate flaw, chosen at build time,
 * so the SDK tests can prove that the conformance suite catches each one
 * (a suite that passes everything proves nothing).
 *
 *   FLAW_CHATTY         open() writes to stderr
 *   FLAW_TOUCHES_OUT    a failed open() still writes *out
 *   FLAW_NULL_CRASH     snapshot() dereferences a NULL request
 *   FLAW_BAD_RECORD     snapshot() ignores a builder's refusal
 *   FLAW_UNSTABLE       every second snapshot() invents a line
 *   FLAW_LOST_WRITE     set_quantity() says it wrote but does not
 *   FLAW_ALWAYS_WRITES  set_quantity() says it wrote when nothing changed
 *   FLAW_LEAK           close() forgets the context (valgrind/LSan only)
 *   FLAW_BAD_HEADERS    a sensitive header name that is not a header name
 *
 * The driver's name (FLAW_NAME) is the file's name, flawed_<flaw>.
 */
#include "lpsa/lpsa.h"

/* jsonpsa's own entry must not be exported from here. */
#undef LPSA_EXPORT
#define LPSA_EXPORT
#define lpsa_driver_entry jsonpsa_entry
#include "jsonpsa.c"
#undef lpsa_driver_entry
#undef LPSA_EXPORT
#define LPSA_EXPORT __attribute__((visibility("default")))

#include <signal.h>

/* The flawed instance wraps jsonpsa's. jsonpsa.c defines struct
 * lpsa_driver_ctx as its own, so this one converts pointers, as a driver
 * with an instance type of its own may. */
typedef struct flawed_ctx {
  jp_ctx *inner;
  unsigned snapshots;
} flawed_ctx;

static int fl_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
#ifdef FLAW_CHATTY
  fprintf(stderr, "flawed driver: opening\n");
#endif
  lpsa_driver_ctx *inner = NULL;
  int rc = jp_open(api, host, config, n_config, &inner, err, errlen);
  if (rc != LPSA_OK) {
#ifdef FLAW_TOUCHES_OUT
    *out = NULL;
#endif
    return rc;
  }
  flawed_ctx *c = calloc(1, sizeof *c);
  if (!c) {
    jp_close(inner);
    snprintf(err, errlen, "flawed: out of memory");
    return LPSA_ERR_NOMEM;
  }
  c->inner = inner;
  *out = (lpsa_driver_ctx *)c;
  return LPSA_OK;
}

static void fl_close(lpsa_driver_ctx *ctx) {
  flawed_ctx *c = (flawed_ctx *)ctx;
  if (!c)
    return;
  jp_close(c->inner);
#ifndef FLAW_LEAK
  free(c);
#endif
}

static int fl_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                       lpsa_snapshot *snap, char *err, size_t errlen) {
  flawed_ctx *c = (flawed_ctx *)ctx;
#ifdef FLAW_NULL_CRASH
  if (!req)
    raise(SIGSEGV); /* what dereferencing it would do */
#endif
  int rc = jp_snapshot(c->inner, req, snap, err, errlen);
  c->snapshots++;
  if (rc != LPSA_OK || !req || (req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY) ||
      req->n_products == 0)
    return rc;
#ifdef FLAW_BAD_RECORD
  lpsa_line bad = LPSA_INIT(lpsa_line);
  bad.id = "bad";
  bad.agreement_id = "no-such-agreement";
  c->inner->api->add_line(snap, &bad); /* the refusal is ignored */
#endif
#ifdef FLAW_UNSTABLE
  if (c->snapshots % 2 == 0) {
    lpsa_line extra = LPSA_INIT(lpsa_line);
    extra.id = "phantom";
    extra.agreement_id = "a1";
    extra.quantity = 1;
    rc = c->inner->api->add_line(snap, &extra);
  }
#endif
  return rc;
}

static int fl_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                           long long target, lpsa_set_result *out, char *err,
                           size_t errlen) {
  flawed_ctx *c = (flawed_ctx *)ctx;
#ifdef FLAW_LOST_WRITE
  if (line && line->line_id && target >= 0) {
    out->before = target - 1;
    out->after = target;
    out->wrote = 1;
    return LPSA_OK;
  }
#endif
  int rc = jp_set_quantity(c->inner, line, target, out, err, errlen);
#ifdef FLAW_ALWAYS_WRITES
  if (rc == LPSA_OK)
    out->wrote = 1;
#endif
  return rc;
}

static int fl_check(lpsa_driver_ctx *ctx, char *err, size_t errlen) {
  flawed_ctx *c = (flawed_ctx *)ctx;
  return jp_check(c->inner, err, errlen);
}

static const lpsa_driver flawed_descriptor = {
    .magic = LPSA_DRIVER_MAGIC,
    .abi_major = LPSA_ABI_MAJOR,
    .abi_minor = LPSA_ABI_MINOR,
    .struct_size = sizeof(lpsa_driver),
    .name = FLAW_NAME,
    .version = "0.0.1",
    .description = "jsonpsa with a deliberate flaw (SDK tests)",
    .terms = &terms,
    .config_keys = keys,
    .open = fl_open,
    .close = fl_close,
    .snapshot = fl_snapshot,
    .set_quantity = fl_set_quantity,
    .check = fl_check,
#ifdef FLAW_BAD_HEADERS
    .sensitive_headers = (const char *const[]){"X-Good", "X Token", NULL},
#endif
};

LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void);
const lpsa_driver *lpsa_driver_entry(void) {
  return &flawed_descriptor;
}
