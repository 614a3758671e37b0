/* SPDX-License-Identifier: MIT */
/*
 * ats_schema.c — the field tables of the simulated entities, exactly the
 * camelCase names of the Autotask REST API (see reference/autotask.md).
 */
#include "ats_schema.h"

#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const ats_field companies[] = {
    {"id", ATS_T_INT, 0, 1, 1, NULL},
    {"companyName", ATS_T_STR, 0, 1, 0, NULL},
    {"companyNumber", ATS_T_STR, 0, 0, 0, NULL},
    {"companyType", ATS_T_INT, 1, 1, 0, NULL},
    {"isActive", ATS_T_BOOL, 0, 0, 0, NULL},
    {"parentCompanyID", ATS_T_INT, 0, 0, 0, "Company"},
    {"createDate", ATS_T_DATE, 0, 0, 1, NULL},
    {"userDefinedFields", ATS_T_UDFS, 0, 0, 0, NULL},
};

static const ats_field contracts[] = {
    {"id", ATS_T_INT, 0, 1, 1, NULL},
    {"companyID", ATS_T_INT, 0, 1, 0, "Company"},
    {"contractName", ATS_T_STR, 0, 1, 0, NULL},
    {"contractNumber", ATS_T_STR, 0, 0, 0, NULL},
    {"contractType", ATS_T_INT, 1, 1, 0, NULL},
    {"contractCategory", ATS_T_INT, 1, 0, 0, NULL},
    {"contractPeriodType", ATS_T_INT, 1, 0, 0, NULL},
    {"status", ATS_T_INT, 1, 1, 0, NULL},
    {"startDate", ATS_T_DATE, 0, 1, 0, NULL},
    {"endDate", ATS_T_DATE, 0, 1, 0, NULL},
    {"billingPreference", ATS_T_INT, 1, 0, 0, NULL},
    {"isDefaultContract", ATS_T_BOOL, 0, 0, 0, NULL},
    {"userDefinedFields", ATS_T_UDFS, 0, 0, 0, NULL},
};

static const ats_field services[] = {
    {"id", ATS_T_INT, 0, 1, 1, NULL},
    {"name", ATS_T_STR, 0, 1, 0, NULL},
    {"description", ATS_T_STR, 0, 0, 0, NULL},
    {"unitPrice", ATS_T_DEC, 0, 0, 0, NULL},
    {"unitCost", ATS_T_DEC, 0, 0, 0, NULL},
    {"periodType", ATS_T_INT, 1, 1, 0, NULL},
    {"isActive", ATS_T_BOOL, 0, 0, 0, NULL},
    {"billingCodeID", ATS_T_INT, 0, 1, 0, "BillingCode"},
};

static const ats_field contract_services[] = {
    {"id", ATS_T_INT, 0, 1, 1, NULL},
    {"contractID", ATS_T_INT, 0, 1, 1, "Contract"},
    {"serviceID", ATS_T_INT, 0, 1, 0, "Service"},
    {"unitPrice", ATS_T_DEC, 0, 0, 0, NULL},
    {"unitCost", ATS_T_DEC, 0, 0, 0, NULL},
    {"adjustedPrice", ATS_T_DEC, 0, 0, 0, NULL},
    {"invoiceDescription", ATS_T_STR, 0, 0, 0, NULL},
    {"quoteItemID", ATS_T_INT, 0, 0, 1, "QuoteItem"},
};

static const ats_field contract_service_units[] = {
    {"id", ATS_T_INT, 0, 1, 1, NULL},
    {"contractID", ATS_T_INT, 0, 0, 1, "Contract"},
    {"contractServiceID", ATS_T_INT, 0, 0, 1, "ContractService"},
    {"serviceID", ATS_T_INT, 0, 0, 1, "Service"},
    {"startDate", ATS_T_DATE, 0, 0, 1, NULL},
    {"endDate", ATS_T_DATE, 0, 0, 1, NULL},
    {"units", ATS_T_INT, 0, 0, 1, NULL},
    {"price", ATS_T_DEC, 0, 0, 1, NULL},
    {"cost", ATS_T_DEC, 0, 0, 1, NULL},
    {"approveAndPostDate", ATS_T_DATE, 0, 0, 1, NULL},
};

static const ats_field adjustments[] = {
    {"id", ATS_T_INT, 0, 0, 1, NULL},
    {"contractID", ATS_T_INT, 0, 1, 0, "Contract"},
    {"serviceID", ATS_T_INT, 0, 1, 0, "Service"},
    {"contractServiceID", ATS_T_INT, 0, 0, 0, "ContractService"},
    {"effectiveDate", ATS_T_DATE, 0, 1, 0, NULL},
    {"unitChange", ATS_T_INT, 0, 1, 0, NULL},
    {"adjustedUnitPrice", ATS_T_DEC, 0, 0, 0, NULL},
};

static const ats_entity entities[] = {
    {"Companies", "companies", companies, N(companies),
     ATS_CAN_QUERY | ATS_CAN_CREATE | ATS_CAN_UPDATE | ATS_HAS_UDFS},
    {"Contracts", "contracts", contracts, N(contracts),
     ATS_CAN_QUERY | ATS_CAN_CREATE | ATS_CAN_UPDATE | ATS_HAS_UDFS},
    {"Services", "services", services, N(services),
     ATS_CAN_QUERY | ATS_CAN_CREATE | ATS_CAN_UPDATE},
    {"ContractServices", "contractServices", contract_services,
     N(contract_services), ATS_CAN_QUERY | ATS_CAN_CREATE | ATS_CAN_UPDATE},
    {"ContractServiceUnits", "contractServiceUnits", contract_service_units,
     N(contract_service_units), ATS_CAN_QUERY},
    {"ContractServiceAdjustments", "adjustments", adjustments, N(adjustments),
     ATS_CAN_CREATE},
};

const ats_entity *ats_schema_entity(const char *name) {
  for (size_t i = 0; name && i < N(entities); i++)
    if (strcasecmp(entities[i].name, name) == 0)
      return &entities[i];
  return NULL;
}

size_t ats_schema_count(void) {
  return N(entities);
}

const ats_entity *ats_schema_at(size_t i) {
  return i < N(entities) ? &entities[i] : NULL;
}

const ats_field *ats_schema_field(const ats_entity *e, const char *name) {
  for (size_t i = 0; name && i < e->n_fields; i++)
    if (strcasecmp(e->fields[i].name, name) == 0)
      return &e->fields[i];
  return NULL;
}

const char *ats_type_name(ats_type t) {
  switch (t) {
  case ATS_T_INT:
    return "integer";
  case ATS_T_DEC:
    return "decimal";
  case ATS_T_DATE:
    return "datetime";
  case ATS_T_BOOL:
    return "boolean";
  case ATS_T_STR:
  case ATS_T_UDFS:
    break;
  }
  return "string";
}
