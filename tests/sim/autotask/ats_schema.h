/* SPDX-License-Identifier: MIT */
/*
 * ats_schema.h — the entities the Autotask simulator serves, field by field.
 *
 * One static table describes every entity: its REST name, the key of its
 * array in the dataset, its camelCase fields with their data types, and
 * which fields are picklists. The query engine, the item renderer and
 * entityInformation/fields all read this table, so they cannot disagree.
 */
#ifndef ATS_SCHEMA_H
#define ATS_SCHEMA_H

#include <stddef.h>

typedef enum ats_type {
  ATS_T_INT,  /* integer / long ids and picklist numbers */
  ATS_T_DEC,  /* decimal money */
  ATS_T_STR,  /* string */
  ATS_T_DATE, /* datetime */
  ATS_T_BOOL, /* boolean */
  ATS_T_UDFS  /* userDefinedFields: [{"name":..,"value":..}] */
} ats_type;

typedef struct ats_field {
  const char *name; /* camelCase wire name */
  ats_type type;
  int picklist;  /* 1: value comes from a per-instance or fixed picklist */
  int required;  /* isRequired in entityInformation */
  int read_only; /* isReadOnly in entityInformation */
  const char *reference; /* referenced entity, or NULL */
} ats_field;

enum {
  ATS_CAN_QUERY = 1u << 0,
  ATS_CAN_CREATE = 1u << 1,
  ATS_CAN_UPDATE = 1u << 2,
  ATS_HAS_UDFS = 1u << 3
};

typedef struct ats_entity {
  const char *name; /* REST name, e.g. "ContractServiceUnits" */
  const char *key;  /* dataset array, e.g. "contractServiceUnits" */
  const ats_field *fields;
  size_t n_fields;
  unsigned caps;
} ats_entity;

/* Entity by REST name, case-insensitively; NULL when unknown. */
const ats_entity *ats_schema_entity(const char *name);
/* Entity by index (0..count-1), for iteration. */
size_t ats_schema_count(void);
const ats_entity *ats_schema_at(size_t i);
/* Field by name, case-insensitively; NULL when unknown. */
const ats_field *ats_schema_field(const ats_entity *e, const char *name);
/* "integer", "decimal", "string", "datetime", "boolean". */
const char *ats_type_name(ats_type t);

#endif
