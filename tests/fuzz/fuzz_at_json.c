/* SPDX-License-Identifier: MIT */
/*
 * fuzz_at_json.c — libFuzzer target for the Autotask driver's answer
 * parsers (plugins/autotask, lpsa_autotask_core): whole-body parsing, the
 * five record parsers (every item of "items" through each), picklists from
 * an entityInformation/fields answer, error answers turned into one line,
 * and the URL checks applied to the URLs Autotask hands out (the zone's
 * "url", pageDetails.nextPageUrl).
 *
 * A parser that fails (AT_REC_FATAL) must leave nothing allocated; one that
 * reads a bad record (AT_REC_BAD) is freed like a good one: LeakSanitizer
 * checks both.
 * A record that parses must hold what at_records.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "at_date.h"
#include "at_error.h"
#include "at_json.h"
#include "at_picklist.h"
#include "at_records.h"
#include "at_url.h"
#include "lpsa/status.h"

static void check_date(const at_date *d) {
  char text[11];
  at_date back;
  at_date_format(d, text);
  if (at_date_parse(text, &back) != 0 || at_date_cmp(&back, d) != 0)
    abort();
}

static void records(json_object *item) {
  char err[512];
  at_service s;
  if (at_parse_service(item, &s, err, sizeof err) == 0) {
    if (s.id <= 0)
      abort();
    at_service_free(&s);
  }
  at_contract_service cs;
  if (at_parse_contract_service(item, &cs, err, sizeof err) == 0 && cs.id <= 0)
    abort();
  /* AT_REC_BAD keeps what it read (the caller frees it too). */
  at_contract c;
  int rc = at_parse_contract(item, &c, err, sizeof err);
  if (rc != AT_REC_FATAL) {
    if (c.id <= 0)
      abort();
    if (rc == AT_REC_OK && c.has_start)
      check_date(&c.start);
    if (rc == AT_REC_OK && c.has_end)
      check_date(&c.end);
    at_contract_free(&c);
  }
  at_company co;
  rc = at_parse_company(item, &co, err, sizeof err);
  if (rc != AT_REC_FATAL) {
    if (co.id <= 0)
      abort();
    at_company_free(&co);
  }
  at_unit u;
  if (at_parse_unit(item, &u, err, sizeof err) == 0) {
    if (u.id <= 0 || u.units < 0)
      abort();
    check_date(&u.start);
    check_date(&u.end);
  }
}

static void picklists(json_object *root) {
  static const char *const fields[] = {"periodType", "status", "contractType",
                                       "contractCategory"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    at_picklist p;
    char err[512];
    if (at_picklist_parse(root, fields[i], &p, err, sizeof err) != 0)
      continue;
    for (size_t j = 0; j < p.n; j++) {
      long long v;
      if (!p.items[j].label)
        abort();
      if (at_picklist_label(&p, p.items[j].value) == NULL)
        abort();
      int found = at_picklist_value(&p, p.items[j].label, &v);
      if (found == 0)
        abort(); /* a label of the list must be found */
    }
    at_picklist_free(&p);
  }
}

/* The URLs the driver would send credentials to. */
static void url(json_object *obj, const char *key) {
  const char *u = NULL;
  if (at_json_string(obj, key, &u) != AT_FIELD_OK)
    return;
  char *base = at_url_base(u);
  if (base) {
    (void)at_url_is_safe(base);
    if (at_url_origin_len(base) > strlen(base))
      abort();
    (void)at_url_same_origin(base, u);
    free(base);
  }
  if (at_url_origin_len(u) > strlen(u))
    abort();
}

static void walk(json_object *root) {
  json_object *items = NULL, *details = NULL;
  if (at_json_lookup(root, "items", &items) && items &&
      json_object_is_type(items, json_type_array)) {
    size_t n = json_object_array_length(items);
    for (size_t i = 0; i < n; i++)
      records(json_object_array_get_idx(items, i));
  }
  if (at_json_lookup(root, "item", &items) && items)
    records(items);
  records(root);
  picklists(root);
  url(root, "url");
  if (at_json_lookup(root, "pageDetails", &details) && details)
    url(details, "nextPageUrl");
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
  json_object *root = NULL;
  int rc = at_json_parse_object(body, size, &root);
  if (rc == 0) {
    if (!root)
      abort();
    walk(root);
    json_object_put(root);
  } else if (rc != -1 && rc != -2) {
    abort();
  }

  static const long statuses[] = {0, 401, 403, 404, 429, 500};
  char err[1024];
  for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++) {
    err[0] = '\0';
    int st = at_error_from_answer(statuses[i], body, size, "querying Contracts",
                                  err, sizeof err);
    if (st == LPSA_OK || !err[0])
      abort();
  }
  char text[512];
  at_error_text(body, size, text, sizeof text);
  if (!memchr(text, '\0', sizeof text))
    abort();

  /* Short inputs double as a date-time string. */
  if (size < 64) {
    char s[64];
    memcpy(s, data, size);
    s[size] = '\0';
    at_date d;
    if (at_date_parse(s, &d) == 0)
      check_date(&d);
  }
  free(body);
  return 0;
}
