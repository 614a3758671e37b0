/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cw_conditions.c — libFuzzer target for the ConnectWise conditions
 * builder (plugins/connectwise/cw_conditions.c).
 *
 * The values quoted there come from people (product identifiers, agreement
 * types) and from the mapping file, so the property that matters is that
 * no value can break out of its string literal: every literal the builder
 * writes is read back here with ConnectWise's quoting rules (a quote
 * opens, a backslash escapes the next character, the same quote closes)
 * and must give back exactly the value, with nothing after it but what
 * the builder itself adds. The input is a list of values separated by
 * newlines; the same bytes also give ids for the `in (...)` and chunking
 * helpers.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_buf.h"
#include "cw_conditions.h"
#include "fuzz_input.h"

#define MAX_VALUES 64

/* Read one literal at *p into out (capacity >= strlen(*p) + 1); advance *p
 * past it. -1 when it is not a closed literal. */
static int read_literal(const char **p, char *out) {
  const char *s = *p;
  char q = *s++;
  if (q != '"' && q != '\'')
    return -1;
  size_t n = 0;
  for (; *s && *s != q; s++) {
    if (*s == '\\') {
      if (!*++s)
        return -1;
    }
    out[n++] = *s;
  }
  if (*s != q)
    return -1;
  out[n] = '\0';
  *p = s + 1;
  return 0;
}

static int has_control(const char *s) {
  for (const unsigned char *c = (const unsigned char *)s; *c; c++)
    if (*c < 0x20 || *c == 0x7f)
      return 1;
  return 0;
}

static void one_string(const char *v) {
  cw_buf b;
  cw_buf_init(&b);
  int rc = cw_cond_string(&b, v);
  if (rc != 0) {
    if (!has_control(v) || b.len != 0)
      abort(); /* refused a clean value, or appended before refusing */
  } else if (!b.oom) {
    const char *text = cw_buf_str(&b);
    char *back = malloc(strlen(text) + 1);
    if (back) {
      if (read_literal(&text, back) != 0 || *text || strcmp(back, v) != 0)
        abort(); /* the literal does not read back as the value */
      free(back);
    }
  }
  cw_buf_free(&b);
}

static void in_strings(const char *const *vals, size_t n) {
  cw_buf b;
  cw_buf_init(&b);
  int rc = cw_cond_in_strings(&b, "product/identifier", vals, n);
  if (rc == 0 && !b.oom) {
    const char *text = cw_buf_str(&b);
    static const char head[] = "product/identifier in (";
    if (strncmp(text, head, sizeof head - 1) != 0)
      abort();
    text += sizeof head - 1;
    char *back = malloc(strlen(text) + 1);
    for (size_t i = 0; back && i < n; i++) {
      if (read_literal(&text, back) != 0 || strcmp(back, vals[i]) != 0)
        abort();
      if (*text++ != (i + 1 < n ? ',' : ')'))
        abort();
    }
    if (back && *text)
      abort(); /* something after the closing parenthesis */
    free(back);
  } else if (rc != 0 && b.len != 0) {
    abort();
  }
  cw_buf_free(&b);
}

static void ids(fuzz_input *in) {
  long long list[MAX_VALUES];
  size_t n = (size_t)fuzz_range(in, 0, MAX_VALUES);
  for (size_t i = 0; i < n; i++)
    list[i] = fuzz_range(in, 1, LLONG_MAX);
  size_t max_ids = (size_t)fuzz_range(in, 1, 100);
  size_t max_chars = (size_t)fuzz_range(in, 1, 400);
  size_t take = cw_cond_chunk(list, n, max_ids, max_chars);
  if (take > n || take > max_ids)
    abort();
  cw_buf b;
  cw_buf_init(&b);
  int rc = cw_cond_in_ids(&b, "id", list, take);
  if ((rc == 0) != (take > 0))
    abort();
  if (rc == 0 && !b.oom) {
    const char *text = cw_buf_str(&b);
    /* percent-encoded, each comma is "%2C" */
    size_t list_chars = strlen(text) - strlen("id in (") - 1 + (take - 1) * 2;
    if (list_chars > max_chars)
      abort(); /* the chunk does not fit where the caller wanted it */
    long long back;
    char num[32];
    snprintf(num, sizeof num, "%lld", list[0]);
    if (cw_parse_id(num, &back) != 0 || back != list[0])
      abort();
  }
  cw_buf_free(&b);
}

static void days(const char *v) {
  cw_buf b;
  cw_buf_init(&b);
  int ok = cw_is_ymd(v);
  int rc = cw_cond_day(&b, v);
  if ((rc == 0) != (ok != 0))
    abort();
  if (rc == 0 && !b.oom && strlen(cw_buf_str(&b)) != 22)
    abort();
  long long id;
  if (cw_parse_id(v, &id) == 0 && id <= 0)
    abort();
  cw_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_input_make(data, size);
  char *vals[MAX_VALUES];
  size_t n = 0;
  while (in.len && n < MAX_VALUES) {
    char *v = fuzz_string(&in, '\n');
    if (!v)
      break;
    vals[n++] = v;
  }
  for (size_t i = 0; i < n; i++) {
    one_string(vals[i]);
    days(vals[i]);
  }
  in_strings((const char *const *)vals, n);
  for (size_t i = 0; i < n; i++)
    free(vals[i]);
  in = fuzz_input_make(data, size);
  ids(&in);
  return 0;
}
