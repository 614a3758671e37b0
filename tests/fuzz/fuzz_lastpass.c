/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lastpass.c — libFuzzer target for the LastPass answer parsers
 * (core/net/lastpass.c): companies pages, billing-report pages, billing cycles
 * and RFC 9457 problem details. Every input goes through all four, since
 * any of them may meet any body: a server answers what it answers.
 *
 * Checked: a parse that succeeds leaves well-formed data (ids and names
 * set, seats never negative, the next token NUL-terminated within its
 * buffer); a failed one says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lastpass.h"
#include "lpsa/status.h"

static void check_data(const lp_data *d) {
  if (d->n > d->cap)
    abort();
  for (size_t i = 0; i < d->n; i++) {
    const lp_company *c = &d->companies[i];
    if (!c->id || !c->name || !c->sku || c->seats < 0)
      abort();
    if (lp_data_find(d, c->id) < 0)
      abort();
  }
}

/* LPSA_OK, LPSA_ERR_NOMEM, or LPSA_ERR_PROTOCOL with a message. */
static void check_status(int rc, const char *err) {
  if (rc != LPSA_OK && rc != LPSA_ERR_NOMEM &&
      (rc != LPSA_ERR_PROTOCOL || !err[0]))
    abort();
}

static void check_next(const char *next, size_t cap) {
  if (!memchr(next, '\0', cap))
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
  char next[256], err[1024];
  lp_data d;

  memset(&d, 0, sizeof d);
  memset(next, 'x', sizeof next);
  err[0] = '\0';
  int rc = lastpass_parse_companies(body, size, &d, next, sizeof next, err,
                                    sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK)
    check_next(next, sizeof next);
  check_data(&d);
  /* Billing records land on the companies just read, like a real run. */
  memset(next, 'x', sizeof next);
  err[0] = '\0';
  rc = lastpass_parse_billing(body, size, &d, next, sizeof next, err,
                              sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK)
    check_next(next, sizeof next);
  check_data(&d);
  lp_data_free(&d);

  memset(&d, 0, sizeof d);
  err[0] = '\0';
  rc = lastpass_parse_cycles(body, size, "2026-11-25", &d, err, sizeof err);
  check_status(rc, err);
  if (rc == LPSA_OK && (!memchr(d.cycle_start, '\0', sizeof d.cycle_start) ||
                        !memchr(d.cycle_end, '\0', sizeof d.cycle_end)))
    abort();
  lp_data_free(&d);

  free(lastpass_problem_text(body, size));
  free(body);
  return 0;
}
