/*
 * cw_set_quantity.c — driver.set_quantity(): set one addition's quantity to
 * an absolute number.
 *
 *   GET   finance/agreements/{agreement}/additions/{addition}
 *         re-read: the addition must still exist on that agreement, carry
 *         the expected catalog item and not be cancelled (else CONFLICT);
 *         already at the target: nothing is written (1 request)
 *   PATCH the same URL, [{"op":"replace","path":"quantity","value":N}]
 *         flagged RETRY_SAFE (an absolute value is idempotent); the answer,
 *         the updated addition, must show quantity N (2 requests)
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

static int gone(const target_ids *t, char *err, size_t errlen) {
  snprintf(err, errlen,
           "addition %lld no longer exists on agreement %lld: not changed",
           t->addition, t->agreement);
  return LPSA_ERR_CONFLICT;
}

static int write_quantity(cw_ctx *c, const target_ids *t, const char *rel,
                          long long target, lpsa_set_result *out, char *err,
                          size_t errlen) {
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
     * may have been applied; the host re-checks the line next run. */
    if (RESULT_HAS(out, wrote) &&
        (resp.status == 0 || resp.status == 502 || resp.status == 504))
      out->wrote = 1;
    cw_release(c, &resp);
    return rc;
  }
  if (RESULT_HAS(out, wrote))
    out->wrote = 1;
  json_object *doc = NULL;
  cw_addition_rec r;
  rc = read_addition(&resp, "the PATCH answer", &doc, &r, err, errlen);
  if (!rc && r.quantity != (double)target) {
    snprintf(err, errlen,
             "ConnectWise accepted setting addition %lld to %lld but its "
             "answer shows quantity %g",
             t->addition, target, r.quantity);
    rc = LPSA_ERR_PROTOCOL;
  }
  if (RESULT_HAS(out, after))
    out->after = rc ? (long long)r.quantity : target;
  json_object_put(doc);
  cw_release(c, &resp);
  return rc;
}

static int reread(cw_ctx *c, const target_ids *t, const char *rel,
                  const char *day, double *quantity, char *err, size_t errlen) {
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
  double q = 0;
  rc = reread(c, &t, rel, day, &q, err, errlen);
  if (rc)
    return rc;
  long long before;
  int fraction;
  if (cw_quantity_whole(q, &before, &fraction)) {
    snprintf(err, errlen,
             "addition %lld has quantity %g, which lpsa cannot manage: "
             "correct it in ConnectWise",
             t.addition, q);
    return LPSA_ERR_PROTOCOL;
  }
  if (RESULT_HAS(out, before))
    out->before = before;
  if (RESULT_HAS(out, after))
    out->after = before;
  if (q == (double)target)
    return LPSA_OK;
  return write_quantity(c, &t, rel, target, out, err, errlen);
}
