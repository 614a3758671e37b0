/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cw_json.c — libFuzzer target for the ConnectWise driver's answer
 * parsers (plugins/connectwise, cw_pure): list and object bodies, the five
 * record parsers (company, status, agreement, addition, catalog item), the
 * login/companyinfo answer and error documents turned into messages.
 *
 * Every element of a list body goes through every record parser: the
 * parsers must refuse what is not theirs without crashing. A record that
 * parses must hold what cw_json.h promises (ids > 0, required strings set).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cw_error.h"
#include "cw_json.h"
#include "lpsa/status.h"

static void check_status(int rc, const char *err) {
  if (rc != LPSA_OK && (rc != LPSA_ERR_PROTOCOL || !err[0]))
    abort();
}

static void records(json_object *o) {
  char err[512];
  cw_company_rec c;
  err[0] = '\0';
  int rc = cw_company_from_json(o, &c, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK && c.id <= 0)
    abort();

  cw_status_rec st;
  err[0] = '\0';
  rc = cw_status_from_json(o, &st, err, sizeof err);
  check_status(rc, err);

  cw_agreement_rec a;
  err[0] = '\0';
  rc = cw_agreement_from_json(o, &a, err, sizeof err);
  check_status(rc, err);

  cw_addition_rec d;
  err[0] = '\0';
  rc = cw_addition_from_json(o, &d, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK) {
    /* A whole quantity is what the driver bills: never negative. */
    if (d.quantity.kind == CW_QTY_WHOLE && d.quantity.whole < 0)
      abort();
    (void)cw_addition_cancelled(d.cancelled_date, "2026-11-25");
    long long when;
    if (d.cancelled_date)
      (void)cw_parse_timestamp(d.cancelled_date, &when);
  }

  cw_catalog_rec k;
  err[0] = '\0';
  rc = cw_catalog_from_json(o, &k, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK && !k.identifier)
    abort();
}

/* Answer bodies reach the parsers as the host's transport hands them over:
 * NUL-terminated (lpsa/host.h: the NUL is not counted in body_len). */
static char *as_body(const uint8_t *data, size_t size) {
  char *body = malloc(size + 1);
  if (body) {
    memcpy(body, data, size);
    body[size] = '\0';
  }
  return body;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *body = as_body(data, size);
  if (!body)
    return 0;
  char err[512];
  json_object *doc = NULL;

  err[0] = '\0';
  int rc = cw_json_list(body, size, "fuzz list", &doc, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK) {
    size_t n = json_object_array_length(doc);
    for (size_t i = 0; i < n; i++)
      records(json_object_array_get_idx(doc, i));
    json_object_put(doc);
  }

  doc = NULL;
  err[0] = '\0';
  rc = cw_json_object(body, size, "fuzz object", &doc, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK) {
    records(doc);
    json_object_put(doc);
  }

  char *codebase = NULL;
  int unknown = 0;
  err[0] = '\0';
  rc = cw_companyinfo_parse(body, size, &codebase, &unknown, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK && !unknown && (!codebase || !cw_codebase_valid(codebase)))
    abort();
  free(codebase);

  static const long statuses[] = {0, 400, 401, 404, 409, 500};
  char msg[1024];
  for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++) {
    cw_error_message(statuses[i], body, size, "GET company/companies", msg,
                     sizeof msg);
    if (!memchr(msg, '\0', sizeof msg))
      abort();
  }
  free(body);
  return 0;
}
