/* SPDX-License-Identifier: MIT */
/*
 * hp_set_quantity.c — driver.set_quantity(): one invoice line to an
 * absolute quantity.
 *
 *   GET  RecurringInvoice/{invoice}   the re-read: the invoice must still
 *        be the client's, not disabled nor ended, and hold the line with
 *        the expected item, live and with a manual, whole quantity (else
 *        CONFLICT); at the target already: nothing written (1 request)
 *   POST RecurringInvoice [{"id":H,"lines":[every line as read, this one's
 *        qty_order = target]}] (hp_invoice.h): flagged RETRY_SAFE, since
 *        posting the same absolute lines again changes nothing more
 *   the answer (the saved invoice) must hold every line posted and the
 *        target; when it holds no lines, or was lost (no answer, 502, 504),
 *        the invoice is read back (2 or 3 requests). `verified` is set
 *        whenever `after` was read after the write.
 * A read-back that shows the old quantity means HaloPSA did not apply the
 * write; any other value, that another writer changed the line: both are
 * errors naming the values seen. When the answer was lost, the old
 * quantity only means the post did not arrive (or not yet): a network
 * failure, verified = 0, which the next run re-checks. Lines missing after the
 * write are an error too: they were deleted, and a person must restore them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_client.h"
#include "hp_invoice.h"
#include "hp_json.h"
#include "hp_set_quantity.h"
#include "hp_snapshot.h"

/* Fields the host's (older) lpsa_set_result may not have are not set. */
#define RESULT_HAS(out, member)                                                \
  ((out)->size >= offsetof(lpsa_set_result, member) + sizeof((out)->member))

typedef struct target {
  long long invoice, line, item, client;
  int has_client;
  long long value;
  char path[64];
  char as_of[11];
} target;

static int parse_ref(hp_ctx *ctx, const lpsa_line_ref *ref, target *t,
                     char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  if (!ref || hp_id_text(ref->agreement_id, &t->invoice) != 0 ||
      hp_id_text(ref->line_id, &t->line) != 0 ||
      hp_id_text(ref->product_id, &t->item) != 0) {
    snprintf(err, errlen,
             "set_quantity needs numeric HaloPSA recurring invoice, invoice "
             "line and item ids");
    return LPSA_ERR_INVALID;
  }
  t->has_client = hp_id_text(ref->company_id, &t->client) == 0;
  snprintf(t->path, sizeof t->path, "RecurringInvoice/%lld", t->invoice);
  if (ref->as_of && strlen(ref->as_of) == 10)
    memcpy(t->as_of, ref->as_of, 11);
  else
    hp_today(ctx, t->as_of);
  return LPSA_OK;
}

/* GET the invoice; *doc is the record. */
static int read_invoice(hp_ctx *ctx, const target *t, const char *doing,
                        json_object **doc, char *err, size_t errlen) {
  hp_call c = {.path = t->path,
               .label = "halopsa GET RecurringInvoice/{id}",
               .doing = doing,
               .scope = "read:invoices"};
  int rc = hp_get_json(ctx, &c, doc, err, errlen);
  if (rc == LPSA_ERR_NOT_FOUND)
    snprintf(err, errlen,
             "HaloPSA recurring invoice %lld no longer exists: not changed",
             t->invoice);
  if (rc == LPSA_ERR_NOT_FOUND)
    return LPSA_ERR_CONFLICT;
  if (rc == LPSA_OK && !json_object_is_type(*doc, json_type_object)) {
    snprintf(err, errlen,
             "HaloPSA answered recurring invoice %lld with no record",
             t->invoice);
    json_object_put(*doc);
    *doc = NULL;
    return LPSA_ERR_PROTOCOL;
  }
  return rc;
}

/* Is the re-read still the line the snapshot described? *q its quantity. */
static int still_ours(const target *t, json_object *doc, double *q, char *err,
                      size_t errlen) {
  hp_invoice inv;
  if (hp_invoice_read(doc, &inv, err, errlen) != 0)
    return LPSA_ERR_PROTOCOL;
  if (inv.id != t->invoice) {
    snprintf(err, errlen,
             "HaloPSA answered recurring invoice %lld with invoice %lld",
             t->invoice, inv.id);
    return LPSA_ERR_PROTOCOL;
  }
  if (t->has_client && inv.client_id != t->client) {
    snprintf(err, errlen,
             "recurring invoice %lld now belongs to client %lld, not %lld: "
             "not changed",
             t->invoice, inv.client_id, t->client);
    return LPSA_ERR_CONFLICT;
  }
  if (!hp_invoice_active(&inv, t->as_of)) {
    snprintf(err, errlen, "recurring invoice %lld is %s: not changed",
             t->invoice, inv.disabled ? "disabled" : "ended");
    return LPSA_ERR_CONFLICT;
  }
  if (!inv.lines) {
    snprintf(err, errlen,
             "HaloPSA sent recurring invoice %lld without its lines: not "
             "changed",
             t->invoice);
    return LPSA_ERR_PROTOCOL;
  }
  json_object *found = NULL;
  for (size_t i = 0; i < json_object_array_length(inv.lines) && !found; i++) {
    json_object *l = json_object_array_get_idx(inv.lines, i);
    long long id;
    if (hp_id(hp_member(l, "id"), &id) == 0 && id == t->line)
      found = l;
  }
  if (!found) {
    snprintf(err, errlen,
             "invoice line %lld no longer exists on recurring invoice %lld: "
             "not changed",
             t->line, t->invoice);
    return LPSA_ERR_CONFLICT;
  }
  hp_line l;
  hp_line_read(found, &l);
  if (!l.has_item || l.item_id != t->item) {
    snprintf(err, errlen,
             "invoice line %lld on recurring invoice %lld now carries item "
             "%lld, not %lld: not changed",
             t->line, t->invoice, l.has_item ? l.item_id : -1, t->item);
    return LPSA_ERR_CONFLICT;
  }
  if (!hp_line_live(&l, t->as_of)) {
    snprintf(err, errlen,
             "invoice line %lld on recurring invoice %lld is %s: not changed",
             t->line, t->invoice, l.inactive ? "inactive" : "ended");
    return LPSA_ERR_CONFLICT;
  }
  if (l.qty_type_set) {
    snprintf(err, errlen,
             "HaloPSA computes the quantity of invoice line %lld itself "
             "(recurring_invoice_quantity_type %lld): not changed",
             t->line, l.qty_type);
    return LPSA_ERR_CONFLICT;
  }
  long long whole;
  if (l.qty_state != HP_QTY_OK || !hp_qty_whole(l.qty, &whole)) {
    snprintf(err, errlen,
             "invoice line %lld on recurring invoice %lld has a quantity "
             "lpsa cannot manage (%s): correct it in HaloPSA",
             t->line, t->invoice,
             l.qty_state == HP_QTY_NULL ? "none" : "not a whole number");
    return LPSA_ERR_PROTOCOL;
  }
  *q = l.qty;
  return LPSA_OK;
}

/* What the verifying read (or answer) says, as the result and status.
 * `lost`: why the write's answer never came (NULL when it came): then the
 * old quantity means the post did not arrive (or not yet), not that Halo
 * refused it silently. */
static int judge_after(const target *t, json_object *saved, json_object *before,
                       long long old, const char *lost, lpsa_set_result *out,
                       char *err, size_t errlen) {
  double after = NAN;
  char missing[256];
  int v = hp_invoice_verify(saved, before, t->line, &after, missing,
                            sizeof missing);
  if (v == HP_VERIFY_NO_LINES)
    return -1; /* the caller reads it back */
  long long seen = 0;
  int whole = v != HP_VERIFY_NO_LINE && hp_qty_whole(after, &seen);
  if (RESULT_HAS(out, verified))
    out->verified = whole;
  if (RESULT_HAS(out, after))
    out->after = whole ? seen : old;
  if (v == HP_VERIFY_DROPPED) {
    snprintf(err, errlen,
             "HaloPSA deleted invoice line(s) %s of recurring invoice %lld "
             "when it was posted back with every line: restore them in "
             "HaloPSA, and check line %lld",
             missing, t->invoice, t->line);
    return LPSA_ERR_PROTOCOL;
  }
  if (v == HP_VERIFY_NO_LINE || !whole) {
    snprintf(err, errlen,
             "after the update of recurring invoice %lld, HaloPSA shows "
             "invoice line %lld %s: check it in HaloPSA",
             t->invoice, t->line,
             v == HP_VERIFY_NO_LINE ? "no more" : "with an odd quantity");
    return LPSA_ERR_PROTOCOL;
  }
  if (seen == t->value)
    return LPSA_OK;
  if (seen == old && lost) {
    /* Not applied as far as Halo shows now: a failure the host re-checks
     * next run (wrote stays 1: the post may still land, and would only set
     * the same absolute lines). */
    if (RESULT_HAS(out, verified))
      out->verified = 0;
    snprintf(err, errlen,
             "HaloPSA did not answer the update of recurring invoice %lld "
             "(%s) and still shows invoice line %lld at %lld: the update did "
             "not arrive, or not yet; the next run checks it before writing",
             t->invoice, lost, t->line, old);
    return LPSA_ERR_NETWORK;
  }
  if (seen == old) {
    snprintf(err, errlen,
             "HaloPSA accepted the update of recurring invoice %lld but "
             "invoice line %lld still holds %lld, not %lld: HaloPSA did not "
             "apply it; check the line in HaloPSA",
             t->invoice, t->line, old, t->value);
    return LPSA_ERR_PROTOCOL;
  }
  snprintf(err, errlen,
           "invoice line %lld on recurring invoice %lld holds %lld after "
           "lpsa set it from %lld to %lld: another writer (a person, another "
           "integration or a second lpsa) appears to be changing HaloPSA",
           t->line, t->invoice, seen, old, t->value);
  return LPSA_ERR_CONFLICT;
}

/* Read the invoice back after a write and judge it. */
static int read_back(hp_ctx *ctx, const target *t, json_object *before,
                     long long old, const char *lost, lpsa_set_result *out,
                     char *err, size_t errlen) {
  char doing[128];
  snprintf(doing, sizeof doing,
           "reading recurring invoice %lld back after the update", t->invoice);
  json_object *doc = NULL;
  char why[512];
  int rc = read_invoice(ctx, t, doing, &doc, why, sizeof why);
  if (rc) {
    snprintf(err, errlen,
             "the update of recurring invoice %lld (line %lld to %lld) could "
             "not be confirmed: %s",
             t->invoice, t->line, t->value, why);
  } else {
    rc = judge_after(t, doc, before, old, lost, out, err, errlen);
    if (rc < 0) {
      snprintf(err, errlen,
               "HaloPSA sent recurring invoice %lld without its lines after "
               "the update: it could not be confirmed",
               t->invoice);
      rc = LPSA_ERR_PROTOCOL;
    }
  }
  json_object_put(doc);
  return rc;
}

static int post(hp_ctx *ctx, const target *t, json_object *before,
                long long old, lpsa_set_result *out, char *err, size_t errlen) {
  char *body = hp_invoice_update_body(before, t->line, t->value, err, errlen);
  if (!body)
    return LPSA_ERR_PROTOCOL;
  char doing[160];
  snprintf(doing, sizeof doing,
           "posting recurring invoice %lld back with invoice line %lld at "
           "%lld",
           t->invoice, t->line, t->value);
  hp_call c = {.method = "POST",
               .path = "RecurringInvoice",
               .body = body,
               .flags = LPSA_HTTP_RETRY_SAFE,
               .label = "halopsa POST RecurringInvoice",
               .doing = doing,
               .scope = "edit:invoices"};
  lpsa_http_response resp;
  int rc = hp_send(ctx, &c, &resp, err, errlen);
  free(body);
  long status = resp.status;
  if (resp.attempts == 0) {
    /* Never sent (no token, out of memory): nothing can have changed. */
    hp_release(ctx, &resp);
    return rc;
  }
  if (status == 0 || status == 502 || status == 504) {
    /* No answer after the transport's retries: it may have been applied.
     * What the invoice shows now decides. */
    char lost[300];
    if (status)
      snprintf(lost, sizeof lost, "HTTP %ld from a gateway", status);
    else
      snprintf(lost, sizeof lost, "%.280s",
               resp.error[0] ? resp.error : "no answer");
    hp_release(ctx, &resp);
    if (RESULT_HAS(out, wrote))
      out->wrote = 1;
    return read_back(ctx, t, before, old, lost, out, err, errlen);
  }
  json_object *doc = NULL;
  rc = hp_judge(&c, rc, &resp, &doc, err, errlen);
  hp_release(ctx, &resp);
  if (rc) {
    json_object_put(doc);
    return rc;
  }
  if (RESULT_HAS(out, wrote))
    out->wrote = 1;
  json_object *saved = hp_invoice_in_answer(doc);
  rc = saved ? judge_after(t, saved, before, old, NULL, out, err, errlen) : -1;
  json_object_put(doc);
  if (rc < 0)
    rc = read_back(ctx, t, before, old, NULL, out, err, errlen);
  return rc;
}

int hp_set_quantity(lpsa_driver_ctx *vctx, const lpsa_line_ref *line,
                    long long value, lpsa_set_result *out, char *err,
                    size_t errlen) {
  hp_ctx *ctx = vctx;
  if (!err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  if (!ctx || !out) {
    snprintf(err, errlen, "set_quantity called without a result");
    return LPSA_ERR_INVALID;
  }
  if (RESULT_HAS(out, wrote))
    out->wrote = 0;
  if (RESULT_HAS(out, verified))
    out->verified = 0;
  target t;
  int rc = parse_ref(ctx, line, &t, err, errlen);
  if (rc)
    return rc;
  if (value < 0) {
    snprintf(err, errlen, "a quantity cannot be negative (%lld)", value);
    return LPSA_ERR_INVALID;
  }
  t.value = value;
  char doing[96];
  snprintf(doing, sizeof doing, "re-reading recurring invoice %lld", t.invoice);
  json_object *doc = NULL;
  rc = read_invoice(ctx, &t, doing, &doc, err, errlen);
  double q = 0;
  if (!rc)
    rc = still_ours(&t, doc, &q, err, errlen);
  if (!rc) {
    long long before = (long long)q;
    if (RESULT_HAS(out, before))
      out->before = before;
    if (RESULT_HAS(out, after))
      out->after = before;
    if (before != value)
      rc = post(ctx, &t, doc, before, out, err, errlen);
  }
  json_object_put(doc);
  return rc;
}
