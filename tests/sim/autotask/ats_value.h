/* SPDX-License-Identifier: MIT */
/*
 * ats_value.h — one typed field value, read from JSON by the schema's type.
 *
 * The filter engine and the dataset loader both need "this JSON, read as an
 * Autotask integer/decimal/string/datetime/boolean", with the same leniency
 * (numbers given as strings, dates with or without "Z") and the same
 * strictness (booleans are true/false).
 */
#ifndef ATS_VALUE_H
#define ATS_VALUE_H

#include <json-c/json.h>
#include <stdint.h>

#include "ats_schema.h"

typedef struct ats_value {
  ats_type type;
  int is_null;
  int64_t i;     /* ATS_T_INT, ATS_T_DATE (seconds), ATS_T_BOOL (0/1) */
  double d;      /* ATS_T_DEC */
  const char *s; /* ATS_T_STR: borrowed from the JSON */
} ats_value;

/* Reads j (may be NULL: a null value) as type t. Returns 0, or -1 when j
 * cannot be read as t. */
int ats_value_read(ats_type t, json_object *j, ats_value *out);

/* Orders two non-null values of the same type; strings case-insensitively. */
int ats_value_cmp(const ats_value *a, const ats_value *b);

/* Case-insensitive substring tests for beginsWith/endsWith/contains. */
int ats_str_begins(const char *s, const char *prefix);
int ats_str_ends(const char *s, const char *suffix);
int ats_str_contains(const char *s, const char *needle);

#endif
