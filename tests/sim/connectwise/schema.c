/* SPDX-License-Identifier: MIT */
/*
 * schema.c — field tables of company, agreement, addition and catalog item,
 * as listed in the ConnectWise reference (shared/reference/connectwise.md).
 */
#include "schema.h"

#include <strings.h>

#define INFO_FIELDS                                                            \
  {"_info", CW_T_OBJECT, 1}, {"_info/lastUpdated", CW_T_DATE, 1},              \
      {"_info/updatedBy", CW_T_STR, 1}, {"_info/dateEntered", CW_T_DATE, 1}, { \
    "_info/enteredBy", CW_T_STR, 1                                             \
  }

static const cw_field company_fields[] = {
    {"id", CW_T_INT, 1},
    {"identifier", CW_T_STR, 0},
    {"name", CW_T_STR, 0},
    {"status", CW_T_OBJECT, 0},
    {"status/id", CW_T_INT, 0},
    {"status/name", CW_T_STR, 0},
    {"types", CW_T_ARRAY, 0},
    {"deletedFlag", CW_T_BOOL, 0},
    INFO_FIELDS,
};

static const cw_field agreement_fields[] = {
    {"id", CW_T_INT, 1},
    {"name", CW_T_STR, 0},
    {"type", CW_T_OBJECT, 0},
    {"type/id", CW_T_INT, 0},
    {"type/name", CW_T_STR, 0},
    {"company", CW_T_OBJECT, 0},
    {"company/id", CW_T_INT, 0},
    {"company/identifier", CW_T_STR, 0},
    {"company/name", CW_T_STR, 0},
    {"parentAgreement", CW_T_OBJECT, 0},
    {"parentAgreement/id", CW_T_INT, 0},
    {"parentAgreement/name", CW_T_STR, 0},
    {"agreementStatus", CW_T_STR, 0},
    {"cancelledFlag", CW_T_BOOL, 0},
    {"startDate", CW_T_DATE, 0},
    {"endDate", CW_T_DATE, 0},
    {"noEndingDateFlag", CW_T_BOOL, 0},
    {"billingCycle", CW_T_OBJECT, 0},
    {"billingCycle/id", CW_T_INT, 0},
    {"billingCycle/name", CW_T_STR, 0},
    {"billStartDate", CW_T_DATE, 0},
    {"prorateFlag", CW_T_BOOL, 0},
    {"invoiceProratedAdditionsFlag", CW_T_BOOL, 0},
    {"periodType", CW_T_STR, 0},
    {"nextInvoiceDate", CW_T_DATE, 0},
    INFO_FIELDS,
};

static const cw_field addition_fields[] = {
    {"id", CW_T_INT, 1},
    {"product", CW_T_OBJECT, 0},
    {"product/id", CW_T_INT, 0},
    {"product/identifier", CW_T_STR, 0},
    {"quantity", CW_T_NUM, 0},
    {"lessIncluded", CW_T_NUM, 0},
    {"unitPrice", CW_T_NUM, 0},
    {"unitCost", CW_T_NUM, 0},
    {"billCustomer", CW_T_STR, 0},
    {"effectiveDate", CW_T_DATE, 0},
    {"cancelledDate", CW_T_DATE, 0},
    {"agreementId", CW_T_INT, 1},
    {"description", CW_T_STR, 0},
    {"invoiceDescription", CW_T_STR, 0},
    {"billedQuantity", CW_T_NUM, 1},
    {"uom", CW_T_STR, 0},
    {"extPrice", CW_T_NUM, 1},
    {"extCost", CW_T_NUM, 1},
    {"prorateCost", CW_T_NUM, 0},
    {"proratePrice", CW_T_NUM, 0},
    {"prorateCurrentPeriodFlag", CW_T_BOOL, 0},
    {"agreementStatus", CW_T_STR, 1},
    {"customFields", CW_T_ARRAY, 0},
    INFO_FIELDS,
};

static const cw_field status_fields[] = {
    {"id", CW_T_INT, 1},
    {"name", CW_T_STR, 0},
    {"defaultFlag", CW_T_BOOL, 0},
    {"inactiveFlag", CW_T_BOOL, 0},
    {"notifyFlag", CW_T_BOOL, 0},
    {"disallowSavingFlag", CW_T_BOOL, 0},
    {"notificationMessage", CW_T_STR, 0},
    {"customNoteFlag", CW_T_BOOL, 0},
    {"cancelOpenTracksFlag", CW_T_BOOL, 0},
    INFO_FIELDS,
};

static const cw_field catalog_fields[] = {
    {"id", CW_T_INT, 1},
    {"identifier", CW_T_STR, 0},
    {"description", CW_T_STR, 0},
    {"inactiveFlag", CW_T_BOOL, 0},
    {"productClass", CW_T_STR, 0},
    {"price", CW_T_NUM, 0},
    {"cost", CW_T_NUM, 0},
    {"recurringFlag", CW_T_BOOL, 0},
    INFO_FIELDS,
};

#define SCHEMA(name, table)                                                    \
  { name, table, sizeof(table) / sizeof(table[0]) }

const cw_schema cw_schema_company = SCHEMA("company", company_fields);
const cw_schema cw_schema_agreement = SCHEMA("agreement", agreement_fields);
const cw_schema cw_schema_addition = SCHEMA("addition", addition_fields);
const cw_schema cw_schema_catalog = SCHEMA("catalog item", catalog_fields);
const cw_schema cw_schema_status = SCHEMA("company status", status_fields);

const cw_field *cw_schema_find(const cw_schema *s, const char *path) {
  if (strcasecmp(path, "lastUpdated") == 0)
    path = "_info/lastUpdated";
  for (size_t i = 0; i < s->n_fields; i++)
    if (strcasecmp(s->fields[i].path, path) == 0)
      return &s->fields[i];
  return NULL;
}

const char *cw_type_name(cw_type t) {
  switch (t) {
  case CW_T_INT:
    return "integer";
  case CW_T_NUM:
    return "number";
  case CW_T_STR:
    return "string";
  case CW_T_BOOL:
    return "boolean";
  case CW_T_DATE:
    return "date";
  case CW_T_OBJECT:
    return "object";
  case CW_T_ARRAY:
    return "array";
  }
  return "value";
}
