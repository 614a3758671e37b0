/*
 * at_value.h — one typed field value, read from JSON by the schema's type.
 *
 * The filter engine and the dataset loader both need "this JSON, read as an
 * Autotask integer/decimal/string/datetime/boolean", with the same leniency
 * (numbers given as strings, dates with or without "Z") and the same
 * strictness (booleans are true/false).
 */
#ifndef AT_VALUE_H
#define AT_VALUE_H

#include <json-c/json.h>
#include <stdint.h>

#include "at_schema.h"

typedef struct at_value {
  at_type type;
  int is_null;
  int64_t i;     /* AT_T_INT, AT_T_DATE (seconds), AT_T_BOOL (0/1) */
  double d;      /* AT_T_DEC */
  const char *s; /* AT_T_STR: borrowed from the JSON */
} at_value;

/* Reads j (may be NULL: a null value) as type t. Returns 0, or -1 when j
 * cannot be read as t. */
int at_value_read(at_type t, json_object *j, at_value *out);

/* Orders two non-null values of the same type; strings case-insensitively. */
int at_value_cmp(const at_value *a, const at_value *b);

/* Case-insensitive substring tests for beginsWith/endsWith/contains. */
int at_str_begins(const char *s, const char *prefix);
int at_str_ends(const char *s, const char *suffix);
int at_str_contains(const char *s, const char *needle);

#endif
