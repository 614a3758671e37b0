/* SPDX-License-Identifier: MIT */
/*
 * at_fields.c — the picklists behind periods, status and categories (see
 * at_fields.h).
 */
#include "at_fields.h"

#include <stdio.h>
#include <string.h>

#include "at_client.h"
#include "at_service_match.h"
#include "billing_period.h"

int at_fields_months(const at_picklist *p, int has, long long value) {
  return has ? bp_months_from_label(at_picklist_label(p, value)) : 0;
}

static int parse_contract_fields(at_ctx *ctx, json_object *root, at_fields *out,
                                 char *err, size_t errlen) {
  if (at_picklist_parse(root, "status", &out->contract_status, err, errlen) ||
      at_picklist_parse(root, "contractType", &out->contract_type, err,
                        errlen) ||
      at_picklist_parse(root, "contractPeriodType", &out->contract_period, err,
                        errlen) ||
      at_picklist_parse(root, "contractCategory", &out->contract_category, err,
                        errlen))
    return LPSA_ERR_PROTOCOL;
  long long v;
  if (at_picklist_value(&out->contract_status, "Active", &v) == 1) {
    out->active_status = v;
    out->active_from_picklist = 1;
  } else {
    out->active_status = AT_CONTRACT_STATUS_ACTIVE_FALLBACK;
    ctx->api->log(ctx->host, LPSA_LOG_WARN,
                  "Autotask: the Contracts status picklist has no single "
                  "\"Active\" label; taking status %d as active",
                  AT_CONTRACT_STATUS_ACTIVE_FALLBACK);
  }
  return LPSA_OK;
}

static int resolve_category(at_ctx *ctx, at_fields *out, char *err,
                            size_t errlen) {
  const char *want = ctx->contract_category;
  long long v;
  if (!want)
    return LPSA_OK;
  out->has_category = 1;
  if (at_ref_is_id(want, &out->category))
    return LPSA_OK;
  int hit = at_picklist_value(&out->contract_category, want, &v);
  if (hit == 1) {
    out->category = v;
    return LPSA_OK;
  }
  snprintf(err, errlen,
           "contract_category \"%.80s\" %s in this Autotask instance: use "
           "the category's exact name or its number",
           want,
           hit < 0 ? "names several contract categories"
                   : "is not a contract category");
  return LPSA_ERR_INVALID;
}

int at_fields_load(at_ctx *ctx, int services, at_fields *out, char *err,
                   size_t errlen) {
  json_object *root = NULL;
  memset(out, 0, sizeof *out);
  out->active_status = AT_CONTRACT_STATUS_ACTIVE_FALLBACK;
  int rc = LPSA_OK;
  if (services) {
    rc = at_get_json(ctx, "Services/entityInformation/fields", "Services",
                     "reading the Services fields", &root, err, errlen);
    if (rc == LPSA_OK && at_picklist_parse(root, "periodType",
                                           &out->service_period, err, errlen))
      rc = LPSA_ERR_PROTOCOL;
    json_object_put(root);
    root = NULL;
    if (rc != LPSA_OK)
      return rc;
  }
  rc = at_get_json(ctx, "Contracts/entityInformation/fields", "Contracts",
                   "reading the Contracts fields", &root, err, errlen);
  if (rc == LPSA_OK)
    rc = parse_contract_fields(ctx, root, out, err, errlen);
  json_object_put(root);
  if (rc == LPSA_OK)
    rc = resolve_category(ctx, out, err, errlen);
  if (rc != LPSA_OK)
    at_fields_free(out);
  return rc;
}

void at_fields_free(at_fields *f) {
  at_picklist_free(&f->service_period);
  at_picklist_free(&f->contract_status);
  at_picklist_free(&f->contract_type);
  at_picklist_free(&f->contract_period);
  at_picklist_free(&f->contract_category);
}
