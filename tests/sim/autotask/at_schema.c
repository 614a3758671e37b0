/*
 * at_schema.c — the field tables of the simulated entities, exactly the
 * camelCase names of the Autotask REST API (see reference/autotask.md).
 */
#include "at_schema.h"

#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const at_field companies[] = {
    {"id", AT_T_INT, 0, 1, 1, NULL},
    {"companyName", AT_T_STR, 0, 1, 0, NULL},
    {"companyNumber", AT_T_STR, 0, 0, 0, NULL},
    {"companyType", AT_T_INT, 1, 1, 0, NULL},
    {"isActive", AT_T_BOOL, 0, 0, 0, NULL},
    {"parentCompanyID", AT_T_INT, 0, 0, 0, "Company"},
    {"createDate", AT_T_DATE, 0, 0, 1, NULL},
    {"userDefinedFields", AT_T_UDFS, 0, 0, 0, NULL},
};

static const at_field contracts[] = {
    {"id", AT_T_INT, 0, 1, 1, NULL},
    {"companyID", AT_T_INT, 0, 1, 0, "Company"},
    {"contractName", AT_T_STR, 0, 1, 0, NULL},
    {"contractNumber", AT_T_STR, 0, 0, 0, NULL},
    {"contractType", AT_T_INT, 1, 1, 0, NULL},
    {"contractCategory", AT_T_INT, 1, 0, 0, NULL},
    {"contractPeriodType", AT_T_INT, 1, 0, 0, NULL},
    {"status", AT_T_INT, 1, 1, 0, NULL},
    {"startDate", AT_T_DATE, 0, 1, 0, NULL},
    {"endDate", AT_T_DATE, 0, 1, 0, NULL},
    {"billingPreference", AT_T_INT, 1, 0, 0, NULL},
    {"isDefaultContract", AT_T_BOOL, 0, 0, 0, NULL},
    {"userDefinedFields", AT_T_UDFS, 0, 0, 0, NULL},
};

static const at_field services[] = {
    {"id", AT_T_INT, 0, 1, 1, NULL},
    {"name", AT_T_STR, 0, 1, 0, NULL},
    {"description", AT_T_STR, 0, 0, 0, NULL},
    {"unitPrice", AT_T_DEC, 0, 0, 0, NULL},
    {"unitCost", AT_T_DEC, 0, 0, 0, NULL},
    {"periodType", AT_T_INT, 1, 1, 0, NULL},
    {"isActive", AT_T_BOOL, 0, 0, 0, NULL},
    {"billingCodeID", AT_T_INT, 0, 1, 0, "BillingCode"},
};

static const at_field contract_services[] = {
    {"id", AT_T_INT, 0, 1, 1, NULL},
    {"contractID", AT_T_INT, 0, 1, 1, "Contract"},
    {"serviceID", AT_T_INT, 0, 1, 0, "Service"},
    {"unitPrice", AT_T_DEC, 0, 0, 0, NULL},
    {"unitCost", AT_T_DEC, 0, 0, 0, NULL},
    {"adjustedPrice", AT_T_DEC, 0, 0, 0, NULL},
    {"invoiceDescription", AT_T_STR, 0, 0, 0, NULL},
    {"quoteItemID", AT_T_INT, 0, 0, 1, "QuoteItem"},
};

static const at_field contract_service_units[] = {
    {"id", AT_T_INT, 0, 1, 1, NULL},
    {"contractID", AT_T_INT, 0, 0, 1, "Contract"},
    {"contractServiceID", AT_T_INT, 0, 0, 1, "ContractService"},
    {"serviceID", AT_T_INT, 0, 0, 1, "Service"},
    {"startDate", AT_T_DATE, 0, 0, 1, NULL},
    {"endDate", AT_T_DATE, 0, 0, 1, NULL},
    {"units", AT_T_INT, 0, 0, 1, NULL},
    {"price", AT_T_DEC, 0, 0, 1, NULL},
    {"cost", AT_T_DEC, 0, 0, 1, NULL},
    {"approveAndPostDate", AT_T_DATE, 0, 0, 1, NULL},
};

static const at_field adjustments[] = {
    {"id", AT_T_INT, 0, 0, 1, NULL},
    {"contractID", AT_T_INT, 0, 1, 0, "Contract"},
    {"serviceID", AT_T_INT, 0, 1, 0, "Service"},
    {"contractServiceID", AT_T_INT, 0, 0, 0, "ContractService"},
    {"effectiveDate", AT_T_DATE, 0, 1, 0, NULL},
    {"unitChange", AT_T_INT, 0, 1, 0, NULL},
    {"adjustedUnitPrice", AT_T_DEC, 0, 0, 0, NULL},
};

static const at_entity entities[] = {
    {"Companies", "companies", companies, N(companies),
     AT_CAN_QUERY | AT_CAN_CREATE | AT_CAN_UPDATE | AT_HAS_UDFS},
    {"Contracts", "contracts", contracts, N(contracts),
     AT_CAN_QUERY | AT_CAN_CREATE | AT_CAN_UPDATE | AT_HAS_UDFS},
    {"Services", "services", services, N(services),
     AT_CAN_QUERY | AT_CAN_CREATE | AT_CAN_UPDATE},
    {"ContractServices", "contractServices", contract_services,
     N(contract_services), AT_CAN_QUERY | AT_CAN_CREATE | AT_CAN_UPDATE},
    {"ContractServiceUnits", "contractServiceUnits", contract_service_units,
     N(contract_service_units), AT_CAN_QUERY},
    {"ContractServiceAdjustments", "adjustments", adjustments, N(adjustments),
     AT_CAN_CREATE},
};

const at_entity *at_schema_entity(const char *name) {
  for (size_t i = 0; name && i < N(entities); i++)
    if (strcasecmp(entities[i].name, name) == 0)
      return &entities[i];
  return NULL;
}

size_t at_schema_count(void) {
  return N(entities);
}

const at_entity *at_schema_at(size_t i) {
  return i < N(entities) ? &entities[i] : NULL;
}

const at_field *at_schema_field(const at_entity *e, const char *name) {
  for (size_t i = 0; name && i < e->n_fields; i++)
    if (strcasecmp(e->fields[i].name, name) == 0)
      return &e->fields[i];
  return NULL;
}

const char *at_type_name(at_type t) {
  switch (t) {
  case AT_T_INT:
    return "integer";
  case AT_T_DEC:
    return "decimal";
  case AT_T_DATE:
    return "datetime";
  case AT_T_BOOL:
    return "boolean";
  case AT_T_STR:
  case AT_T_UDFS:
    break;
  }
  return "string";
}
