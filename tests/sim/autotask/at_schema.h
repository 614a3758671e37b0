/*
 * at_schema.h — the entities the Autotask simulator serves, field by field.
 *
 * One static table describes every entity: its REST name, the key of its
 * array in the dataset, its camelCase fields with their data types, and
 * which fields are picklists. The query engine, the item renderer and
 * entityInformation/fields all read this table, so they cannot disagree.
 */
#ifndef AT_SCHEMA_H
#define AT_SCHEMA_H

#include <stddef.h>

typedef enum at_type {
  AT_T_INT,  /* integer / long ids and picklist numbers */
  AT_T_DEC,  /* decimal money */
  AT_T_STR,  /* string */
  AT_T_DATE, /* datetime */
  AT_T_BOOL, /* boolean */
  AT_T_UDFS  /* userDefinedFields: [{"name":..,"value":..}] */
} at_type;

typedef struct at_field {
  const char *name; /* camelCase wire name */
  at_type type;
  int picklist;  /* 1: value comes from a per-instance or fixed picklist */
  int required;  /* isRequired in entityInformation */
  int read_only; /* isReadOnly in entityInformation */
  const char *reference; /* referenced entity, or NULL */
} at_field;

enum {
  AT_CAN_QUERY = 1u << 0,
  AT_CAN_CREATE = 1u << 1,
  AT_CAN_UPDATE = 1u << 2,
  AT_HAS_UDFS = 1u << 3
};

typedef struct at_entity {
  const char *name; /* REST name, e.g. "ContractServiceUnits" */
  const char *key;  /* dataset array, e.g. "contractServiceUnits" */
  const at_field *fields;
  size_t n_fields;
  unsigned caps;
} at_entity;

/* Entity by REST name, case-insensitively; NULL when unknown. */
const at_entity *at_schema_entity(const char *name);
/* Entity by index (0..count-1), for iteration. */
size_t at_schema_count(void);
const at_entity *at_schema_at(size_t i);
/* Field by name, case-insensitively; NULL when unknown. */
const at_field *at_schema_field(const at_entity *e, const char *name);
/* "integer", "decimal", "string", "datetime", "boolean". */
const char *at_type_name(at_type t);

#endif
