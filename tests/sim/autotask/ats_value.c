/* SPDX-License-Identifier: MIT */
/*
 * ats_value.c — reading JSON as typed Autotask values, and comparing them.
 */
#include "ats_value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats_date.h"

static int read_int(json_object *j, int64_t *out) {
  if (json_object_is_type(j, json_type_int)) {
    *out = json_object_get_int64(j);
    return 0;
  }
  if (json_object_is_type(j, json_type_double)) {
    double d = json_object_get_double(j);
    if (d != floor(d) || fabs(d) > 9e15)
      return -1;
    *out = (int64_t)d;
    return 0;
  }
  if (json_object_is_type(j, json_type_string)) {
    const char *s = json_object_get_string(j);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno)
      return -1;
    *out = v;
    return 0;
  }
  return -1;
}

static int read_dec(json_object *j, double *out) {
  if (json_object_is_type(j, json_type_int) ||
      json_object_is_type(j, json_type_double)) {
    *out = json_object_get_double(j);
    return 0;
  }
  if (json_object_is_type(j, json_type_string)) {
    const char *s = json_object_get_string(j);
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
      return -1;
    *out = v;
    return 0;
  }
  return -1;
}

static int read_bool(json_object *j, int64_t *out) {
  if (json_object_is_type(j, json_type_boolean)) {
    *out = json_object_get_boolean(j) ? 1 : 0;
    return 0;
  }
  if (json_object_is_type(j, json_type_string)) {
    const char *s = json_object_get_string(j);
    if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
      *out = strcasecmp(s, "true") == 0;
      return 0;
    }
  }
  return -1;
}

int ats_value_read(ats_type t, json_object *j, ats_value *out) {
  memset(out, 0, sizeof *out);
  out->type = t;
  if (!j || json_object_is_type(j, json_type_null)) {
    out->is_null = 1;
    return 0;
  }
  switch (t) {
  case ATS_T_INT:
    return read_int(j, &out->i);
  case ATS_T_DEC:
    return read_dec(j, &out->d);
  case ATS_T_BOOL:
    return read_bool(j, &out->i);
  case ATS_T_DATE:
    return json_object_is_type(j, json_type_string)
               ? ats_date_parse(json_object_get_string(j), &out->i)
               : -1;
  case ATS_T_STR:
    if (json_object_is_type(j, json_type_array) ||
        json_object_is_type(j, json_type_object))
      return -1;
    out->s = json_object_get_string(j);
    return 0;
  case ATS_T_UDFS:
    break;
  }
  return -1;
}

int ats_value_cmp(const ats_value *a, const ats_value *b) {
  switch (a->type) {
  case ATS_T_DEC:
    return (a->d > b->d) - (a->d < b->d);
  case ATS_T_STR:
    return strcasecmp(a->s, b->s);
  case ATS_T_INT:
  case ATS_T_DATE:
  case ATS_T_BOOL:
  case ATS_T_UDFS:
    break;
  }
  return (a->i > b->i) - (a->i < b->i);
}

int ats_str_begins(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  return strlen(s) >= n && strncasecmp(s, prefix, n) == 0;
}

int ats_str_ends(const char *s, const char *suffix) {
  size_t n = strlen(suffix), m = strlen(s);
  return m >= n && strcasecmp(s + m - n, suffix) == 0;
}

int ats_str_contains(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; *s; s++)
    if (strncasecmp(s, needle, n) == 0)
      return 1;
  return n == 0;
}
