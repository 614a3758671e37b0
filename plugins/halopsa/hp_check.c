/* SPDX-License-Identifier: MIT */
/*
 * hp_check.c — driver.check(): can this configuration do a sync?
 *
 * One checklist item each, through api->check_item():
 *   1. the authorisation server (auth_url, or found by /api/authinfo);
 *   2. a token for the API application (client credentials, tenant);
 *   3. the scopes the token was granted, when Halo names them: the sync
 *      reads clients, items and recurring invoices and edits invoices;
 *   4. one read of each: clients, items, recurring invoices (page_size=1).
 * 1 and 2 gate the rest. The host then looks the configured items up (its
 * "configured products" items). Editing invoices cannot be proven without
 * writing, so the invoices item says so.
 */
#include "hp_check.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hp_auth.h"
#include "hp_client.h"
#include "hp_json.h"

typedef struct check_run {
  hp_ctx *ctx;
  int status;
  char *err;
  size_t errlen;
} check_run;

static void item(check_run *r, const char *what, int rc, const char *detail) {
  r->ctx->api->check_item(r->ctx->host, what, rc == LPSA_OK, detail);
  if (rc != LPSA_OK && r->status == LPSA_OK) {
    r->status = rc;
    snprintf(r->err, r->errlen, "%s", detail ? detail : what);
  }
}

/* Is `word` one of the space-separated words of `list`? */
static int has(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; p && *p;) {
    while (*p == ' ')
      p++;
    size_t len = strcspn(p, " ");
    if (len == n && strncasecmp(p, word, n) == 0)
      return 1;
    p += len;
  }
  return 0;
}

static int covers(const char *scope, const char *area, int edit) {
  char want[64];
  if (has(scope, "all") || has(scope, "all:standard"))
    return 1;
  snprintf(want, sizeof want, "edit:%s", area);
  if (has(scope, want))
    return 1;
  snprintf(want, sizeof want, "read:%s", area);
  return !edit && has(scope, want);
}

static void check_scopes(check_run *r) {
  const char *scope = r->ctx->granted_scope;
  char msg[512];
  if (!scope) {
    r->ctx->api->check_item(
        r->ctx->host, "HaloPSA scopes", 1,
        "the token answer names no scopes; the reads below prove read "
        "access, edit:invoices is proven only by a write");
    return;
  }
  static const struct {
    const char *area;
    int edit;
    const char *name;
  } needs[] = {{"customers", 0, "read:customers"},
               {"items", 0, "read:items"},
               {"invoices", 1, "edit:invoices"}};
  char lacking[128] = "";
  for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
    if (!covers(scope, needs[i].area, needs[i].edit)) {
      size_t n = strlen(lacking);
      snprintf(lacking + n, sizeof lacking - n, "%s%s", n ? " " : "",
               needs[i].name);
    }
  if (lacking[0]) {
    snprintf(msg, sizeof msg,
             "the token has the scopes \"%.120s\", which lack %s: allow "
             "them to the API application and set scope (or leave it at "
             "all)",
             scope, lacking);
    item(r, "HaloPSA scopes", LPSA_ERR_PERMISSION, msg);
    return;
  }
  snprintf(msg, sizeof msg, "granted \"%.200s\"", scope);
  item(r, "HaloPSA scopes", LPSA_OK, msg);
}

static void check_read(check_run *r, const char *what, const char *path,
                       const char *key, const char *scope, const char *tail) {
  char msg[512] = "", doing[96], label[96];
  snprintf(doing, sizeof doing, "%s", what);
  snprintf(label, sizeof label, "halopsa GET %.*s", (int)strcspn(path, "?"),
           path);
  hp_call c = {.path = path, .label = label, .doing = doing, .scope = scope};
  json_object *doc = NULL, *list = NULL;
  long long count = -1;
  int rc = hp_get_json(r->ctx, &c, &doc, msg, sizeof msg);
  if (rc == LPSA_OK && hp_wrapped_list(doc, key, &list, &count) != 0) {
    snprintf(msg, sizeof msg,
             "HaloPSA answered without \"%s\": is url the Halo instance?", key);
    rc = LPSA_ERR_PROTOCOL;
  }
  if (rc == LPSA_OK) {
    if (count >= 0)
      snprintf(msg, sizeof msg, "readable (%s; %lld in all)%s", scope, count,
               tail);
    else
      snprintf(msg, sizeof msg, "readable (%s)%s", scope, tail);
  }
  json_object_put(doc);
  item(r, what, rc, msg);
}

int hp_check(lpsa_driver_ctx *vctx, char *err, size_t errlen) {
  hp_ctx *ctx = vctx;
  if (!err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  if (!ctx) {
    snprintf(err, errlen, "check called without a driver instance");
    return LPSA_ERR_INVALID;
  }
  check_run r = {ctx, LPSA_OK, err, errlen};
  char msg[512] = "";
  int rc = hp_auth_discover(ctx, msg, sizeof msg);
  if (rc == LPSA_OK)
    snprintf(msg, sizeof msg, "%s (%s)", ctx->auth_url,
             ctx->auth_configured ? "configured" : "found by /api/authinfo");
  item(&r, "HaloPSA authorisation server", rc, msg);
  if (r.status)
    return r.status;
  hp_auth_forget(ctx); /* prove the credentials now, with a fresh token */
  rc = hp_auth_token(ctx, msg, sizeof msg);
  if (rc == LPSA_OK)
    snprintf(msg, sizeof msg,
             "client credentials accepted%s%s; the token lasts %ld s and is "
             "reused until then",
             ctx->tenant ? " for tenant " : "", ctx->tenant ? ctx->tenant : "",
             ctx->token_lifetime);
  item(&r, "HaloPSA token", rc, msg);
  if (r.status)
    return r.status;
  check_scopes(&r);
  check_read(&r, "read clients",
             "Client?pageinate=true&page_size=1&page_no=1&includeinactive=true",
             "clients", "read:customers", "");
  check_read(&r, "read items", "Item?pageinate=true&page_size=1&page_no=1",
             "items", "read:items", "");
  check_read(&r, "read recurring invoices",
             "RecurringInvoice?pageinate=true&page_size=1&page_no=1&"
             "includelines=true",
             "invoices", "read:invoices",
             "; changing them needs edit:invoices, proven only by a write");
  return r.status;
}
