/* SPDX-License-Identifier: MIT */
/*
 * schema.h — the fields of each ConnectWise record type and their types.
 *
 * The real server knows its model: a condition, orderBy or patch naming a
 * field it does not have is a 400, and comparing a number field with a string
 * is refused. The simulator needs the same knowledge to be as strict, so each
 * resource lists its field paths (nested with `/`) and their wire types.
 */
#ifndef CW_SCHEMA_H
#define CW_SCHEMA_H

#include <stddef.h>

typedef enum cw_type {
  CW_T_INT,    /* JSON integer */
  CW_T_NUM,    /* JSON number (quantities, prices) */
  CW_T_STR,    /* JSON string */
  CW_T_BOOL,   /* JSON boolean */
  CW_T_DATE,   /* ISO-8601 UTC string, compared in time order */
  CW_T_OBJECT, /* a reference object such as company {id, identifier, name} */
  CW_T_ARRAY   /* types, customFields */
} cw_type;

typedef struct cw_field {
  const char *path; /* as on the wire: "company/id" */
  cw_type type;
  int read_only; /* 1: PATCH/PUT may not change it */
} cw_field;

typedef struct cw_schema {
  const char *resource; /* "company", "agreement", "addition", "catalog item" */
  const cw_field *fields;
  size_t n_fields;
} cw_schema;

extern const cw_schema cw_schema_company;
extern const cw_schema cw_schema_agreement;
extern const cw_schema cw_schema_addition;
extern const cw_schema cw_schema_catalog;
/* company/companies/statuses: whether a status means inactive is its
 * inactiveFlag (a company's status member is only {id, name}). */
extern const cw_schema cw_schema_status;

/* The field whose path equals `path` case-insensitively, or NULL. The
 * top-level alias `lastUpdated` (which ConnectWise accepts in conditions)
 * resolves to `_info/lastUpdated`. */
const cw_field *cw_schema_find(const cw_schema *s, const char *path);
/* Name of a type for messages ("number", "date"...). */
const char *cw_type_name(cw_type t);

#endif
