/* SPDX-License-Identifier: MIT */
/*
 * at_set_quantity.c — one contract service to an absolute unit count.
 *
 * Autotask only takes deltas (ContractServiceAdjustments.unitChange), so:
 *   1. read the contract service's ContractServiceUnits row covering as_of.
 *      Units rows exist only for an existing contract service, and the row
 *      names its contractID and serviceID, so one read both gives the count
 *      and proves the contract service is still there with the same service
 *      (an adjustment for a missing one would make Autotask CREATE it, and
 *      this integration never adds services). The row may start after the
 *      period start (the contract was adjusted mid-period); one starting
 *      before it means the period moved: nothing is written;
 *   2. delta = target - units; 0 writes nothing;
 *   3. POST the adjustment effective at the period start (no proration),
 *      NOT flagged retry-safe: a repeated delta would apply twice.
 *      Adjustments are cumulative: Autotask adds unitChange to every units
 *      row from the effective date on, so today's row gets it even when it
 *      starts mid-period;
 *   4. read the row covering as_of again to verify.
 * After a POST that was accepted or whose answer was lost, the verifying
 * read is the truth (lpsa_set_result.verified = 1): units == target is
 * success; units == before means Autotask did not apply it as documented;
 * anything else means another writer changed the contract service. Either
 * failure is left to a person: the adjustment is never posted twice in one
 * call, and a re-run computes its delta from a fresh read, so a crash
 * cannot double a change. Requests: 1 when nothing changes, 3 for a change.
 */
#include "at_set_quantity.h"

#include <stddef.h>
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
    int p = at_parse_unit(json_object_array_get_idx(items, i), &u, err, errlen);
    if (p == AT_REC_FATAL ||
        (p == AT_REC_BAD && u.contract_service_id == j->cs_id &&
         (!u.dates_ok || at_unit_prefer(&u, NULL, &j->as_of))))
      rc = LPSA_ERR_PROTOCOL; /* today's count cannot be read */
    else if (p == AT_REC_OK && u.contract_service_id == j->cs_id &&
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
  if (at_date_cmp(&best.start, &j->period_start) < 0) {
    /* The period moved since the snapshot (after it: an adjustment
     * mid-period, which an adjustment at the period start still reaches). */
    char rs[11];
    at_date_format(&best.start, rs);
    snprintf(err, errlen,
             "the units row of contract service %lld covering %s starts on "
             "%s, before the billing period start %s: the contract's period "
             "is not what lpsa computed, so nothing was written; check the "
             "contract's dates and units in Autotask",
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

/* effectiveDate: the period start as a wall-clock noon without a zone.
 * Autotask keeps dates in the MSP's time zone. A time without a zone is
 * taken as that zone's own, so the day is the period start wherever the
 * database runs. No instant could do that: the zones from UTC-12 to
 * UTC+14 span 26 hours, so any "...Z" time is on another date in some of
 * them (midnight UTC is the previous day everywhere west of Greenwich).
 * Were a server to read it as UTC all the same, noon still keeps the day
 * from UTC-12 to UTC+11, where midnight would lose it west of UTC. */
static char *adjustment_body(const set_job *j, long long delta) {
  char day[11];
  at_date_format(&j->period_start, day);
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  char when[32];
  snprintf(when, sizeof when, "%sT12:00:00", day);
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
  /* Writes run in parallel. Each goes out on a fresh connection, and
   * Autotask may still count the one before as a thread for an instant
   * after its answer arrived; a refused write is never sent again, so
   * writes keep one of the entity's 3 threads free. */
  req.group_limit = AT_THREADS_PER_ENTITY - 1;
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

static int write_and_verify(set_job *j, long long target, lpsa_set_result *out,
                            char *err, size_t errlen) {
  long long delta = target - out->before, item = 0, now = 0;
  char post_err[512];
  int post_rc = LPSA_OK;
  post_fate fate =
      post_adjustment(j, delta, &item, &post_rc, post_err, sizeof post_err);
  /* Read back whatever happened: a refused POST is confirmed unapplied, an
   * accepted or unanswered one is judged by what Autotask now holds. */
  int rc = reread(j, &now, err, errlen);
  if (rc != LPSA_OK) {
    char read_err[256];
    snprintf(read_err, sizeof read_err, "%s", err);
    if (fate == POST_ACCEPTED) {
      out->wrote = 1;
      out->after = target;
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
  out->verified = fate != POST_REFUSED;
  if (now == target) {
    out->wrote = 1;
    if (fate != POST_ACCEPTED)
      j->ctx->api->log(j->ctx->host, LPSA_LOG_WARN,
                       "Autotask: the adjustment of contract service %lld "
                       "was applied although its answer was %s (%s)",
                       j->cs_id, fate == POST_UNKNOWN ? "lost" : "an error",
                       post_err);
    return LPSA_OK;
  }
  if (fate == POST_REFUSED && now == out->before) {
    snprintf(err, errlen, "%s", post_err);
    return post_rc != LPSA_OK ? post_rc : LPSA_ERR_REMOTE;
  }
  if (now == out->before) {
    /* Accepted, or unanswered: Autotask did not add the change to today's
     * row as documented, or may still add it later. Never post again. */
    out->wrote = 1;
    if (fate == POST_ACCEPTED)
      snprintf(err, errlen,
               "Autotask did not apply the adjustment as documented: it "
               "accepted adjustment %lld (%+lld units effective %s) for "
               "contract service %lld but its units are still %lld; check "
               "contract %lld in Autotask",
               item, delta, j->line->period_start, j->cs_id, now,
               j->contract_id);
    else
      snprintf(err, errlen,
               "the answer to the adjustment of contract service %lld "
               "(%+lld units) was lost (%s) and its units are still %lld: "
               "Autotask may still apply it; check contract %lld in Autotask",
               j->cs_id, delta, post_err, now, j->contract_id);
    return fate == POST_ACCEPTED ? LPSA_ERR_REMOTE : post_rc;
  }
  /* Neither the old count nor the target: someone else is writing. */
  out->wrote = fate != POST_REFUSED;
  char posted[600];
  if (fate == POST_REFUSED)
    snprintf(posted, sizeof posted,
             "lpsa's adjustment of %+lld was refused (%s)", delta, post_err);
  else
    snprintf(posted, sizeof posted, "lpsa posted %+lld (expecting %lld)", delta,
             target);
  snprintf(err, errlen,
           "another writer appears active on contract service %lld of "
           "contract %lld: it had %lld units, %s and Autotask now shows %lld; "
           "check it in Autotask and make sure only one lpsa writes to this "
           "Autotask database",
           j->cs_id, j->contract_id, out->before, posted, now);
  return LPSA_ERR_CONFLICT;
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
  /* open() refused 1.0 hosts; a result without `verified` is a bug. */
  if (out->size < offsetof(lpsa_set_result, verified) + sizeof out->verified) {
    snprintf(err, errlen,
             "autotask: set_quantity needs an ABI 1.1 lpsa_set_result");
    return LPSA_ERR_INVALID;
  }
  out->verified = 0;
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
