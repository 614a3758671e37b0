/* SPDX-License-Identifier: MIT */
/*
 * ats_picklist.c — default picklists and label/number lookups.
 *
 * The per-instance defaults are on purpose not 1..n in natural order, so a
 * driver that hard-codes "1 = Monthly" fails against the simulator just as it
 * would against some real instance.
 */
#include "ats_picklist.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct pick {
  int value;
  const char *label;
} pick;

typedef struct pick_list {
  const char *key; /* "Entity.field" */
  int fixed;       /* documented numbers: the offset does not apply */
  const pick *values;
  size_t n;
} pick_list;

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const pick period_types[] = {
    {4, "Monthly"}, {5, "Quarterly"}, {6, "Semi-Annual"}, {7, "Yearly"}};
static const pick company_types[] = {
    {1, "Customer"},     {2, "Lead"},   {3, "Prospect"}, {4, "Dead"},
    {6, "Cancellation"}, {7, "Vendor"}, {8, "Partner"}};
static const pick contract_types[] = {
    {1, "Time & Materials"}, {3, "Fixed Price"},       {4, "Block Hours"},
    {6, "Retainer"},         {7, "Recurring Service"}, {8, "Per Ticket"}};
static const pick contract_categories[] = {
    {11, "Standard"}, {12, "Managed Services"}, {13, "Cloud Services"}};
static const pick contract_period_types[] = {
    {21, "Monthly"}, {22, "Quarterly"}, {23, "Semi-Annual"}, {24, "Yearly"}};
static const pick statuses[] = {{0, "Inactive"}, {1, "Active"}};
static const pick billing_preferences[] = {
    {31, "Manually"}, {32, "Immediately"}, {33, "Timesheet Approval"}};

static const pick_list lists[] = {
    {"Services.periodType", 0, period_types, N(period_types)},
    {"Companies.companyType", 0, company_types, N(company_types)},
    {"Contracts.contractType", 1, contract_types, N(contract_types)},
    {"Contracts.contractCategory", 0, contract_categories,
     N(contract_categories)},
    {"Contracts.contractPeriodType", 0, contract_period_types,
     N(contract_period_types)},
    {"Contracts.status", 1, statuses, N(statuses)},
    {"Contracts.billingPreference", 0, billing_preferences,
     N(billing_preferences)},
};

static json_object *entry(int value, const char *label) {
  char num[24];
  snprintf(num, sizeof num, "%d", value);
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  if (json_object_object_add(o, "value", json_object_new_string(num)) ||
      json_object_object_add(o, "label", json_object_new_string(label)) ||
      json_object_object_add(o, "isActive", json_object_new_boolean(1))) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

static json_object *build_list(const pick_list *pl, int offset) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; arr && i < pl->n; i++) {
    json_object *e = entry(pl->values[i].value + (pl->fixed ? 0 : offset),
                           pl->values[i].label);
    if (!e || json_object_array_add(arr, e)) {
      json_object_put(e);
      json_object_put(arr);
      return NULL;
    }
  }
  return arr;
}

json_object *ats_picklist_defaults(int offset) {
  json_object *all = json_object_new_object();
  for (size_t i = 0; all && i < N(lists); i++) {
    json_object *arr = build_list(&lists[i], offset);
    if (!arr || json_object_object_add(all, lists[i].key, arr)) {
      json_object_put(arr);
      json_object_put(all);
      return NULL;
    }
  }
  return all;
}

json_object *ats_picklist_list(json_object *picklists, const char *entity,
                               const char *field) {
  char key[128];
  snprintf(key, sizeof key, "%s.%s", entity, field);
  if (!json_object_is_type(picklists, json_type_object))
    return NULL;
  json_object_object_foreach(picklists, k, v) {
    if (strcasecmp(k, key) == 0 && json_object_is_type(v, json_type_array))
      return v;
  }
  return NULL;
}

static const char *str_of(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v)
                                               : NULL;
}

int ats_picklist_value(json_object *picklists, const char *entity,
                       const char *field, const char *label, int *value) {
  json_object *arr = ats_picklist_list(picklists, entity, field);
  size_t n = arr ? json_object_array_length(arr) : 0;
  for (size_t i = 0; label && i < n; i++) {
    json_object *e = json_object_array_get_idx(arr, i);
    const char *l = str_of(e, "label"), *v = str_of(e, "value");
    if (l && v && strcasecmp(l, label) == 0) {
      *value = atoi(v);
      return 0;
    }
  }
  return -1;
}

const char *ats_picklist_label(json_object *picklists, const char *entity,
                               const char *field, int value) {
  json_object *arr = ats_picklist_list(picklists, entity, field);
  size_t n = arr ? json_object_array_length(arr) : 0;
  for (size_t i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(arr, i);
    const char *v = str_of(e, "value");
    if (v && atoi(v) == value)
      return str_of(e, "label");
  }
  return NULL;
}

/* Lower-case letters only: "Semi-Annual" and "semiannual" compare equal. */
static void squash(const char *in, char *out, size_t len) {
  size_t j = 0;
  for (; *in && j + 1 < len; in++)
    if (isalpha((unsigned char)*in))
      out[j++] = (char)tolower((unsigned char)*in);
  out[j] = '\0';
}

int ats_period_months(const char *label) {
  static const struct {
    const char *name;
    int months;
  } names[] = {{"monthly", 1},      {"quarterly", 3}, {"semiannual", 6},
               {"semiannually", 6}, {"yearly", 12},   {"annual", 12},
               {"annually", 12}};
  char s[64];
  if (!label)
    return 0;
  squash(label, s, sizeof s);
  for (size_t i = 0; i < N(names); i++)
    if (strcmp(s, names[i].name) == 0)
      return names[i].months;
  return 0;
}
