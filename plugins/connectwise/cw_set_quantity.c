/* SPDX-License-Identifier: MIT */
/*
 * cw_set_quantity.c — driver.set_quantity(): set one addition's quantity to
 * an absolute number.
 *
 *   GET   finance/agreements/{agreement}/additions/{addition}
 *         re-read: the addition must still exist on that agreement, carry
 *         the expected catalog item, not be cancelled and hold a whole
 *         quantity (else CONFLICT: 33.4 is never "already 33"); already at
 *         the target, exactly: nothing is written (1 request)
 *   PATCH the same URL, [{"op":"replace","path":"quantity","value":N}]
 *         flagged RETRY_SAFE (an absolute value is idempotent); the answer,
 *         the updated addition, is the verification: `after` is what it
 *         shows and `verified` is set (2 requests). It shows N: done. It
 *         still shows the old count: ConnectWise did not apply it. Anything
 *         else: another writer changed the addition meanwhile.
 *   GET   only when the PATCH's answer was lost after the transport's
 *         retries: the addition read again verifies the write the same way
 *         (3 requests).
 *
 * Only `quantity` is patched: no date, price or proration field is touched
 * (ConnectWise: "the billing update is not a prorating tool").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cw_client.h"
#include "cw_conditions.h"
#include "cw_json.h"

/* Fields of lpsa_set_result the host's struct may be too small to hold are
 * not written (a host built before a field existed). */
#define RESULT_HAS(out, member)                                                \
  ((out)->size >= offsetof(lpsa_set_result, member) + sizeof((out)->member))

typedef struct target_ids {
  long long agreement, addition, product;
} target_ids;

static int parse_ref(const lpsa_line_ref *line, target_ids *t, char *err,
                     size_t errlen) {
  if (!line || cw_parse_id(line->agreement_id, &t->agreement) ||
      cw_parse_id(line->line_id, &t->addition) ||
      cw_parse_id(line->product_id, &t->product)) {
    snprintf(err, errlen,
             "set_quantity needs numeric ConnectWise agreement, addition and "
             "product ids");
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK;
}

static void day_of(cw_ctx *c, const lpsa_line_ref *line, char out[11]) {
  if (cw_is_ymd(line->as_of)) {
    memcpy(out, line->as_of, 11);
    return;
  }
  time_t now = c->api->now(c->host);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Read the answer's addition (a GET or the PATCH answer). */
static int read_addition(const lpsa_http_response *resp, const char *what,
                         json_object **doc, cw_addition_rec *r, char *err,
                         size_t errlen) {
  int rc = cw_json_object(resp->body, resp->body_len, what, doc, err, errlen);
  if (!rc)
    rc = cw_addition_from_json(*doc, r, err, errlen);
  return rc;
}

/* Is the addition still the one the snapshot described? */
static int still_ours(const target_ids *t, const cw_addition_rec *r,
                      const char *day, char *err, size_t errlen) {
  if (r->agreement_id && r->agreement_id != t->agreement) {
    snprintf(err, errlen,
             "addition %lld now belongs to agreement %lld, not %lld: not "
             "changed",
             t->addition, r->agreement_id, t->agreement);
    return LPSA_ERR_CONFLICT;
  }
  if (r->product_id != t->product) {
    snprintf(err, errlen,
             "addition %lld on agreement %lld now carries product %lld, not "
             "%lld: not changed",
             t->addition, t->agreement, r->product_id, t->product);
    return LPSA_ERR_CONFLICT;
  }
  int cancelled = cw_addition_cancelled(r->cancelled_date, day);
  if (cancelled) {
    snprintf(err, errlen,
             cancelled > 0 ? "addition %lld on agreement %lld was cancelled "
                             "(%.40s): not changed"
                           : "addition %lld on agreement %lld has an "
                             "unreadable cancelledDate (%.40s): not changed",
             t->addition, t->agreement, r->cancelled_date);
    return cancelled > 0 ? LPSA_ERR_CONFLICT : LPSA_ERR_PROTOCOL;
  }
  return LPSA_OK;
}

/* The quantity of an addition read back, as a count, or CONFLICT: lpsa
 * never treats 33.4 as 33. */
static int whole_of(const target_ids *t, const cw_qty *q, long long *out,
                    char *err, size_t errlen) {
  if (q->kind == CW_QTY_WHOLE) {
    *out = q->whole;
    return LPSA_OK;
  }
  snprintf(err, errlen,
           q->kind == CW_QTY_NULL
               ? "addition %lld on agreement %lld has no quantity (%s) in "
                 "ConnectWise: not changed; set its quantity in ConnectWise"
               : "addition %lld on agreement %lld has quantity %s in "
                 "ConnectWise, not a whole number of seats: lpsa never rounds "
                 "a billed count, not changed; set it to a whole number in "
                 "ConnectWise",
           t->addition, t->agreement, q->text);
  return LPSA_ERR_CONFLICT;
}

static int gone(const target_ids *t, char *err, size_t errlen) {
  snprintf(err, errlen,
           "addition %lld no longer exists on agreement %lld: not changed",
           t->addition, t->agreement);
  return LPSA_ERR_CONFLICT;
}

static int reread(cw_ctx *c, const target_ids *t, const char *rel,
                  const char *day, cw_qty *quantity, char *err, size_t errlen) {
  cw_req req = {
      .rel = rel, .area = "Finance > Agreements", .grant = "Inquire and Edit"};
  lpsa_http_response resp;
  int rc = cw_call(c, &req, &resp, err, errlen);
  if (rc == LPSA_ERR_NOT_FOUND)
    rc = gone(t, err, errlen);
  json_object *doc = NULL;
  cw_addition_rec r;
  if (!rc)
    rc = read_addition(&resp, "the addition", &doc, &r, err, errlen);
  if (!rc)
    rc = still_ours(t, &r, day, err, errlen);
  if (!rc)
    *quantity = r.quantity;
  json_object_put(doc);
  cw_release(c, &resp);
  return rc;
}

/* What a read after the write (its answer, or a GET when the answer was
 * lost) shows, against the count before and the target. Sets `after` and
 * `verified`; LPSA_OK only when it shows the target. */
static int verify(const target_ids *t, long long before, long long target,
                  const cw_qty *seen, lpsa_set_result *out, char *err,
                  size_t errlen) {
  int whole = seen->kind == CW_QTY_WHOLE;
  if (whole && RESULT_HAS(out, after))
    out->after = seen->whole;
  if (whole && RESULT_HAS(out, verified))
    out->verified = 1;
  if (whole && seen->whole == target)
    return LPSA_OK;
  if (whole && seen->whole == before) {
    snprintf(err, errlen,
             "ConnectWise accepted setting addition %lld on agreement %lld "
             "from %lld to %lld, but it still shows %lld: it did not apply "
             "the change; check the addition in ConnectWise",
             t->addition, t->agreement, before, target, before);
    return LPSA_ERR_REMOTE;
  }
  /* Neither the count lpsa read nor the one it wrote: someone else wrote
   * in between (a fraction or null cannot be lpsa's either). */
  snprintf(err, errlen,
           "ConnectWise shows quantity %s on addition %lld on agreement %lld "
           "after lpsa set it from %lld to %lld: another writer appears "
           "active on this ConnectWise; lpsa stops writing: make sure one "
           "lpsa (and no other tool) sets these counts",
           seen->text, t->addition, t->agreement, before, target);
  return LPSA_ERR_CONFLICT;
}

static int write_quantity(cw_ctx *c, const target_ids *t, const char *rel,
                          const char *day, long long before, long long target,
                          lpsa_set_result *out, char *err, size_t errlen) {
  char body[96];
  snprintf(body, sizeof body,
           "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":%lld}]",
           target);
  cw_req req = {.method = "PATCH",
                .rel = rel,
                .body = body,
                .flags = LPSA_HTTP_RETRY_SAFE,
                .area = "Finance > Agreements",
                .grant = "Inquire and Edit"};
  lpsa_http_response resp;
  int rc = cw_call(c, &req, &resp, err, errlen);
  if (rc == LPSA_ERR_NOT_FOUND)
    rc = gone(t, err, errlen);
  if (rc) {
    /* No answer (or a gateway's) after the transport's retries: the PATCH
     * may have been applied. Read the addition to know. */
    int lost = resp.status == 0 || resp.status == 502 || resp.status == 504;
    cw_release(c, &resp);
    if (!lost)
      return rc;
    if (RESULT_HAS(out, wrote))
      out->wrote = 1;
    cw_qty seen;
    char rerr[512];
    if (reread(c, t, rel, day, &seen, rerr, sizeof rerr) != LPSA_OK)
      return rc; /* unconfirmed: the host checks the line next run */
    char verr[600];
    int vrc = verify(t, before, target, &seen, out, verr, sizeof verr);
    if (vrc == LPSA_OK)
      return LPSA_OK;
    if (vrc == LPSA_ERR_CONFLICT)
      snprintf(err, errlen, "%s", verr);
    return vrc == LPSA_ERR_CONFLICT ? vrc : rc;
  }
  if (RESULT_HAS(out, wrote))
    out->wrote = 1;
  json_object *doc = NULL;
  cw_addition_rec r;
  rc = read_addition(&resp, "the PATCH answer", &doc, &r, err, errlen);
  if (!rc)
    rc = verify(t, before, target, &r.quantity, out, err, errlen);
  json_object_put(doc);
  cw_release(c, &resp);
  return rc;
}

int cw_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen) {
  cw_ctx *c = ctx;
  target_ids t;
  if (!c || !out) {
    snprintf(err, errlen, "set_quantity called without a result");
    return LPSA_ERR_INVALID;
  }
  int rc = parse_ref(line, &t, err, errlen);
  if (rc)
    return rc;
  if (target < 0) {
    snprintf(err, errlen, "a quantity cannot be negative (%lld)", target);
    return LPSA_ERR_INVALID;
  }
  if (RESULT_HAS(out, wrote))
    out->wrote = 0;
  cw_op_begin(c);
  char rel[96], day[11];
  snprintf(rel, sizeof rel, "finance/agreements/%lld/additions/%lld",
           t.agreement, t.addition);
  day_of(c, line, day);
  cw_qty q;
  rc = reread(c, &t, rel, day, &q, err, errlen);
  long long before = 0;
  if (!rc)
    rc = whole_of(&t, &q, &before, err, errlen);
  if (rc)
    return rc;
  if (RESULT_HAS(out, before))
    out->before = before;
  if (RESULT_HAS(out, after))
    out->after = before;
  if (RESULT_HAS(out, verified))
    out->verified = 0;
  if (before == target)
    return LPSA_OK;
  return write_quantity(c, &t, rel, day, before, target, out, err, errlen);
}
