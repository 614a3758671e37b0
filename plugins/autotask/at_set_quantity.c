/*
 * at_set_quantity.c — one contract service to an absolute unit count.
 *
 * Autotask only takes deltas (ContractServiceAdjustments.unitChange), so:
 *   1. re-read the contract service's ContractServiceUnits row covering
 *      as_of. Units rows exist only for an existing contract service, and
 *      the row names its contractID and serviceID, so one read both gives
 *      the count and proves the contract service is still there with the
 *      same service (an adjustment for a missing one would make Autotask
 *      CREATE it, and this integration never adds services);
 *   2. delta = target - units; 0 writes nothing;
 *   3. POST the adjustment effective at the period start (no proration),
 *      NOT flagged retry-safe: a repeated delta would apply twice;
 *   4. re-read the units to verify.
 * When the POST's fate is unknown (no answer, a gateway error, a 200
 * without itemId) or refused, the re-read decides: units == target means
 * it was applied, units == before means it was not, anything else is a
 * conflict. The adjustment is never posted twice in one call, and a re-run
 * computes its delta from a fresh read, so a crash cannot double a change.
 * Requests: 1 when nothing changes, 3 for a change.
 */
#include "at_set_quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_client.h"
#include "at_json.h"
#include "at_period.h"
#include "at_query_json.h"
#include "at_records.h"
#include "at_service_match.h"

/* The largest count accepted: LastPass seats, not a typo's 10^12. */
#define AT_MAX_UNITS 1000000000LL

typedef struct set_job {
  at_ctx *ctx;
  const lpsa_line_ref *line;
  long long contract_id, service_id, cs_id;
  at_date as_of, period_start;
  char *units_body;
} set_job;

static int oom(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory while writing to Autotask");
  return LPSA_ERR_NOMEM;
}

static int invalid(char *err, size_t errlen, const char *what,
                   const char *value) {
  snprintf(err, errlen, "set_quantity: %s \"%.60s\" is not valid for Autotask",
           what, value ? value : "(none)");
  return LPSA_ERR_INVALID;
}

static int read_line_ref(set_job *j, long long target, char *err,
                         size_t errlen) {
  const lpsa_line_ref *l = j->line;
  if (!l->agreement_id || !at_ref_is_id(l->agreement_id, &j->contract_id))
    return invalid(err, errlen, "contract id", l->agreement_id);
  if (!l->line_id || !at_ref_is_id(l->line_id, &j->cs_id))
    return invalid(err, errlen, "contract service id", l->line_id);
  if (!l->product_id || !at_ref_is_id(l->product_id, &j->service_id))
    return invalid(err, errlen, "service id", l->product_id);
  if (!l->as_of || at_date_parse(l->as_of, &j->as_of))
    return invalid(err, errlen, "date", l->as_of);
  if (!l->period_start || at_date_parse(l->period_start, &j->period_start)) {
    snprintf(err, errlen,
             "contract %s has no current billing period: Autotask changes "
             "are posted at the period start, so nothing was written",
             l->agreement_id);
    return LPSA_ERR_INVALID;
  }
  if (at_date_cmp(&j->period_start, &j->as_of) > 0)
    return invalid(err, errlen, "period start (after the run date)",
                   l->period_start);
  if (target < 0 || target > AT_MAX_UNITS) {
    snprintf(err, errlen, "set_quantity: %lld is not a unit count", target);
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK;
}

static char *units_body(const set_job *j) {
  static const char *const fields[] = {
      "id",        "contractServiceID", "contractID", "serviceID",
      "startDate", "endDate",           "units",      NULL};
  at_date after = at_date_add_days(&j->as_of, 1);
  at_date before = at_date_add_days(&j->as_of, -1);
  json_object *filter = json_object_new_array();
  json_object *c[3] = {at_cond_eq_int("contractServiceID", j->cs_id),
                       at_cond_date("lte", "startDate", &after),
                       at_cond_date("gte", "endDate", &before)};
  size_t added = 0;
  for (; filter && added < 3 && c[added]; added++)
    if (json_object_array_add(filter, c[added]))
      break;
  for (size_t i = added; i < 3; i++)
    json_object_put(c[i]);
  if (added < 3) {
    json_object_put(filter);
    return NULL;
  }
  return at_query_body(filter, fields);
}

/* The items of a query answer (single page: a filter on one id). */
static int answer_items(int rc, const lpsa_http_response *resp,
                        const char *doing, json_object **root,
                        json_object **items, char *err, size_t errlen) {
  rc = at_answer(rc, resp, doing, root, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  if (!at_json_lookup(*root, "items", items) || !*items ||
      !json_object_is_type(*items, json_type_array)) {
    snprintf(err, errlen, "Autotask's answer while %s has no items array",
             doing);
    return LPSA_ERR_PROTOCOL;
  }
  return LPSA_OK;
}

/* The units of the row covering as_of. */
static int judge_units(const set_job *j, int rc, const lpsa_http_response *resp,
                       long long *units, char *err, size_t errlen) {
  json_object *root = NULL, *items;
  const char *doing = "reading the contract service's units";
  at_unit best = {0};
  int have = 0;
  rc = answer_items(rc, resp, doing, &root, &items, err, errlen);
  size_t n = rc == LPSA_OK ? json_object_array_length(items) : 0;
  for (size_t i = 0; i < n && rc == LPSA_OK; i++) {
    at_unit u;
    if (at_parse_unit(json_object_array_get_idx(items, i), &u, err, errlen))
      rc = LPSA_ERR_PROTOCOL;
    else if (u.contract_service_id == j->cs_id &&
             at_unit_prefer(&u, have ? &best : NULL, &j->as_of)) {
      best = u;
      have = 1;
    }
  }
  json_object_put(root);
  if (rc != LPSA_OK)
    return rc;
  if (!have) {
    snprintf(err, errlen,
             "no ContractServiceUnits row of contract service %lld covers %s: "
             "it no longer exists on the contract, or the contract has no "
             "billing period then; nothing was written (this integration "
             "never adds services)",
             j->cs_id, j->line->as_of);
    return LPSA_ERR_CONFLICT;
  }
  if (best.contract_id != j->contract_id || best.service_id != j->service_id) {
    snprintf(err, errlen,
             "the units of contract service %lld belong to service %lld on "
             "contract %lld now: nothing was written",
             j->cs_id, best.service_id, best.contract_id);
    return LPSA_ERR_CONFLICT;
  }
  if (at_date_cmp(&best.start, &j->period_start) != 0) {
    /* Before: the period moved. After: someone adjusted mid-period, and an
     * adjustment at the period start would not reach today's row. */
    char rs[11];
    at_date_format(&best.start, rs);
    snprintf(err, errlen,
             "the units row of contract service %lld covering %s starts on "
             "%s, not at the billing period start %s: nothing was written; "
             "check the contract's units in Autotask",
             j->cs_id, j->line->as_of, rs, j->line->period_start);
    return LPSA_ERR_CONFLICT;
  }
  *units = best.units;
  return LPSA_OK;
}

static void query_request(const set_job *j, lpsa_http_request *req,
                          const char *url, const char *body, const char *entity,
                          const char *label) {
  at_request(j->ctx, req, "POST", url, body, LPSA_HTTP_RETRY_SAFE, entity,
             label);
}

/* Steps 1 and 4: read the units of the row covering as_of. */
static int reread(set_job *j, long long *units, char *err, size_t errlen) {
  char *url = at_api_url(j->ctx, "ContractServiceUnits/query");
  if (!url)
    return oom(err, errlen);
  lpsa_http_request req;
  lpsa_http_response resp = {.size = sizeof resp};
  query_request(j, &req, url, j->units_body, "ContractServiceUnits",
                "autotask ContractServiceUnits/query");
  int rc = j->ctx->api->http(j->ctx->host, &req, &resp);
  rc = judge_units(j, rc, &resp, units, err, errlen);
  j->ctx->api->http_release(j->ctx->host, &resp);
  free(url);
  return rc;
}

static char *adjustment_body(const set_job *j, long long delta) {
  char day[11];
  at_date_format(&j->period_start, day);
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  char when[32];
  snprintf(when, sizeof when, "%sT00:00:00Z", day);
  json_object_object_add(o, "contractID",
                         json_object_new_int64(j->contract_id));
  json_object_object_add(o, "serviceID", json_object_new_int64(j->service_id));
  json_object_object_add(o, "contractServiceID",
                         json_object_new_int64(j->cs_id));
  json_object_object_add(o, "effectiveDate", json_object_new_string(when));
  json_object_object_add(o, "unitChange", json_object_new_int64(delta));
  json_object_object_add(o, "adjustedUnitPrice", NULL);
  const char *text = json_object_to_json_string_ext(
      o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  /* json-c drops members it could not allocate: check they are all there. */
  char *body = text && json_object_object_length(o) == 6 &&
                       json_object_object_get(o, "effectiveDate") &&
                       json_object_object_get(o, "unitChange")
                   ? strdup(text)
                   : NULL;
  json_object_put(o);
  return body;
}

/* How a POST ended. */
typedef enum post_fate {
  POST_ACCEPTED, /* 200 with an itemId */
  POST_REFUSED,  /* a definite error answer: nothing was applied */
  POST_UNKNOWN   /* no answer, a gateway error, or a 200 we cannot read */
} post_fate;

static post_fate post_adjustment(set_job *j, long long delta, long long *item,
                                 int *post_rc, char *post_err,
                                 size_t post_errlen) {
  char *url = at_api_url(j->ctx, "ContractServiceAdjustments");
  char *body = adjustment_body(j, delta);
  post_fate fate = POST_REFUSED;
  if (!url || !body) {
    *post_rc = oom(post_err, post_errlen);
    free(url);
    free(body);
    return POST_REFUSED;
  }
  lpsa_http_request req;
  lpsa_http_response resp = {.size = sizeof resp};
  /* flags 0: never repeated by the transport. */
  at_request(j->ctx, &req, "POST", url, body, 0, "ContractServiceAdjustments",
             "autotask ContractServiceAdjustments");
  int rc = j->ctx->api->http(j->ctx->host, &req, &resp);
  json_object *root = NULL;
  *post_rc = at_answer(rc, &resp, "posting the contract service adjustment",
                       &root, post_err, post_errlen);
  if (*post_rc == LPSA_OK) {
    if (at_json_int(root, "itemId", item) == AT_FIELD_OK) {
      fate = POST_ACCEPTED;
    } else {
      fate = POST_UNKNOWN;
      *post_rc = LPSA_ERR_PROTOCOL;
      snprintf(post_err, post_errlen,
               "Autotask answered the adjustment with HTTP 200 but no itemId");
    }
  } else if (resp.status == 0 || resp.status == 502 || resp.status == 504 ||
             *post_rc == LPSA_ERR_PROTOCOL) {
    /* The request may have reached Autotask and been applied. */
    fate = POST_UNKNOWN;
  }
  json_object_put(root);
  j->ctx->api->http_release(j->ctx->host, &resp);
  free(url);
  free(body);
  return fate;
}

/* ABI 1.1: `after` was read after a write that reached Autotask or whose
 * answer was lost, so the host may trust it; a 1.0 host's result has no
 * room for the flag. */
static void mark_verified(lpsa_set_result *out) {
  if (out->size >= offsetof(lpsa_set_result, verified) + sizeof out->verified)
    out->verified = 1;
}

static int write_and_verify(set_job *j, long long target, lpsa_set_result *out,
                            char *err, size_t errlen) {
  long long delta = target - out->before, item = 0, now = 0;
  char post_err[512];
  int post_rc = LPSA_OK;
  post_fate fate =
      post_adjustment(j, delta, &item, &post_rc, post_err, sizeof post_err);
  /* Re-read whatever happened (but on a plain refusal whose cause is the
   * credentials or the budget, a read would fail the same way). */
  int rc = reread(j, &now, err, errlen);
  if (rc != LPSA_OK) {
    if (fate == POST_ACCEPTED) {
      out->wrote = 1;
      out->after = target;
      char read_err[256];
      snprintf(read_err, sizeof read_err, "%s", err);
      snprintf(err, errlen,
               "Autotask accepted adjustment %lld (%+lld units) but reading "
               "it back failed: %s",
               item, delta, read_err);
      return rc;
    }
    snprintf(err, errlen, "%s", post_err);
    /* Sent, fate unknown, and no way to look: the host must re-check. */
    out->wrote = fate == POST_UNKNOWN;
    return fate == POST_UNKNOWN && post_rc == LPSA_OK ? rc : post_rc;
  }
  out->after = now;
  if (fate != POST_REFUSED)
    mark_verified(out);
  if (now == target) {
    out->wrote = 1;
    if (fate != POST_ACCEPTED)
      j->ctx->api->log(j->ctx->host, LPSA_LOG_WARN,
                       "Autotask: the adjustment of contract service %lld "
                       "was applied although its answer was lost (%s)",
                       j->cs_id, post_err);
    return LPSA_OK;
  }
  if (now == out->before && fate != POST_ACCEPTED) {
    snprintf(err, errlen, "%s", post_err);
    /* Unanswered: Autotask may still apply it after this read. */
    out->wrote = fate == POST_UNKNOWN;
    return post_rc != LPSA_OK ? post_rc : LPSA_ERR_REMOTE;
  }
  /* Something reached Autotask, or someone else changed the count: let the
   * host re-check the line rather than trust this failure. */
  out->wrote = fate != POST_REFUSED;
  if (now == out->before)
    snprintf(err, errlen,
             "Autotask accepted adjustment %lld (%+lld units) for contract "
             "service %lld but its units are still %lld",
             item, delta, j->cs_id, now);
  else
    snprintf(err, errlen,
             "contract service %lld has %lld units after posting %+lld to "
             "%lld (expected %lld): someone else changed it; check it in "
             "Autotask before the next run",
             j->cs_id, now, delta, out->before, target);
  return now == out->before ? LPSA_ERR_REMOTE : LPSA_ERR_CONFLICT;
}

int at_set_quantity(lpsa_driver_ctx *vctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen) {
  if (!vctx || !line || !out || !err || !errlen) {
    if (err && errlen)
      snprintf(err, errlen,
               "autotask: set_quantity needs a context, a line "
               "and a result");
    return LPSA_ERR_INVALID;
  }
  err[0] = '\0';
  out->before = out->after = 0;
  out->wrote = 0;
  set_job j = {.ctx = vctx, .line = line};
  int rc = read_line_ref(&j, target, err, errlen);
  if (rc == LPSA_OK)
    rc = at_zone(j.ctx, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  j.units_body = units_body(&j);
  if (!j.units_body)
    rc = oom(err, errlen);
  if (rc == LPSA_OK)
    rc = reread(&j, &out->before, err, errlen);
  if (rc == LPSA_OK) {
    out->after = out->before;
    if (out->before != target)
      rc = write_and_verify(&j, target, out, err, errlen);
  }
  free(j.units_body);
  return rc;
}
