/* SPDX-License-Identifier: MIT */
/*
 * generate.c — builds a fixture from the shared world (see generate.h); the
 * dataset loader then fills in every default, exactly as for a hand-written
 * fixture.
 */
#include "generate.h"

#include <stdio.h>
#include <string.h>

#include "sim_world.h"

#define AGREEMENT_BASE 1000000L
#define ADDITION_BASE 2000000L
#define NOISE_COMPANY_BASE 5000000L
#define NOISE_AGREEMENT_BASE 6000000L
#define NOISE_ADDITION_BASE 7000000L

static const char CATALOG[] =
    "[{\"id\":700,\"identifier\":\"LASTPASS-BUS\",\"description\":\"LastPass "
    "Business\",\"productClass\":\"Agreement\",\"price\":6,\"cost\":4,"
    "\"recurringFlag\":true},"
    "{\"id\":701,\"identifier\":\"LASTPASS-MFA\",\"description\":\"LastPass "
    "Business + Advanced MFA\",\"productClass\":\"Agreement\",\"price\":8,"
    "\"cost\":5.5,\"recurringFlag\":true},"
    "{\"id\":702,\"identifier\":\"LASTPASS-TEAMS\",\"description\":\"LastPass "
    "Teams (legacy)\",\"productClass\":\"Agreement\",\"price\":4,\"cost\":3,"
    "\"recurringFlag\":true,\"inactiveFlag\":true},"
    "{\"id\":710,\"identifier\":\"M365-BUS-PREM\",\"description\":\"Microsoft "
    "365 Business Premium\",\"productClass\":\"Agreement\",\"price\":22,"
    "\"cost\":18.5,\"recurringFlag\":true},"
    "{\"id\":711,\"identifier\":\"BACKUP-SRV\",\"description\":\"Server "
    "backup\",\"productClass\":\"Service\",\"price\":45,\"cost\":20,"
    "\"recurringFlag\":true},"
    "{\"id\":712,\"identifier\":\"SUPPORT-HOUR\",\"description\":\"Remote "
    "support hour\",\"productClass\":\"Service\",\"price\":125,\"cost\":0},"
    "{\"id\":713,\"identifier\":\"FW-APPLIANCE\",\"description\":\"Firewall "
    "appliance\",\"productClass\":\"Inventory\",\"price\":899.99,"
    "\"cost\":610.25}]";

/* A new tenant's statuses plus the custom ones MSPs add: whether a status
 * is inactive is its inactiveFlag, never its name. */
static const char STATUSES[] =
    "[{\"id\":1,\"name\":\"Active\",\"defaultFlag\":true},"
    "{\"id\":2,\"name\":\"Inactive\",\"inactiveFlag\":true},"
    "{\"id\":3,\"name\":\"Not-Approved\",\"inactiveFlag\":true},"
    "{\"id\":4,\"name\":\"Credit Hold\"},"
    "{\"id\":5,\"name\":\"Imported\"},"
    "{\"id\":6,\"name\":\"Former Client\",\"inactiveFlag\":true},"
    "{\"id\":7,\"name\":\"Onboarding\"}]";
#define STATUS_FORMER_CLIENT 6
#define STATUS_ONBOARDING 7

/* Adds key: value to obj; value NULL counts as failure. */
static int add(json_object *obj, const char *key, json_object *value) {
  if (!value)
    return -1;
  if (json_object_object_add(obj, key, value)) {
    json_object_put(value);
    return -1;
  }
  return 0;
}

static int push(json_object *arr, json_object *v) {
  if (!v)
    return -1;
  if (json_object_array_add(arr, v)) {
    json_object_put(v);
    return -1;
  }
  return 0;
}

static json_object *ref(long id) {
  json_object *o = json_object_new_object();
  if (o && add(o, "id", json_object_new_int64(id))) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

/* Cuts `name` to ConnectWise's 50 characters (UTF-8 code points). */
static void cut_name(const char *name, char *out, size_t cap) {
  size_t chars = 0, i = 0;
  for (; name[i] && i + 1 < cap; i++) {
    if (((unsigned char)name[i] & 0xC0) != 0x80 && ++chars > 50)
      break;
    out[i] = name[i];
  }
  out[i] = '\0';
}

/* status 0: the default one. */
static json_object *company(long id, const char *name, long status) {
  char cut[160];
  cut_name(name, cut, sizeof(cut));
  json_object *o = json_object_new_object();
  if (o && (add(o, "id", json_object_new_int64(id)) ||
            add(o, "name", json_object_new_string(cut)) ||
            (status && add(o, "status", ref(status))))) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

static json_object *agreement(long id, long company_id, const char *name,
                              const char *type, const char *status,
                              const char *start) {
  json_object *o = json_object_new_object(), *t = json_object_new_object();
  if (!o || !t ||
      add(t, "id",
          json_object_new_int64(strcmp(type, "Managed Services") ? 2 : 1)) ||
      add(t, "name", json_object_new_string(type)) || add(o, "type", t)) {
    json_object_put(t);
    json_object_put(o);
    return NULL;
  }
  if (add(o, "id", json_object_new_int64(id)) ||
      add(o, "name", json_object_new_string(name)) ||
      add(o, "company", ref(company_id)) ||
      add(o, "agreementStatus", json_object_new_string(status)) ||
      add(o, "startDate", json_object_new_string(start))) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

static json_object *addition(long id, long agreement_id, const char *product,
                             int quantity, const char *cancelled) {
  json_object *o = json_object_new_object(), *p = json_object_new_object();
  if (!o || !p || add(p, "identifier", json_object_new_string(product)) ||
      add(o, "product", p)) {
    json_object_put(p);
    json_object_put(o);
    return NULL;
  }
  if (add(o, "id", json_object_new_int64(id)) ||
      add(o, "agreementId", json_object_new_int64(agreement_id)) ||
      add(o, "quantity", json_object_new_int(quantity)) ||
      (cancelled &&
       add(o, "cancelledDate", json_object_new_string(cancelled)))) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

typedef struct lists {
  json_object *companies, *agreements, *additions;
} lists;

/* World company i, its managed agreement and the noise around it. */
static int world_company(lists *l, unsigned seed, int change_pct, int i) {
  sim_world_company w;
  sim_world_company_at(seed, change_pct, i, &w);
  long agr = AGREEMENT_BASE + 2L * i, add_id = ADDITION_BASE + 4L * i;
  const char *product = w.mfa ? "LASTPASS-MFA" : "LASTPASS-BUS";
  /* Some customers are still being onboarded: a custom status that bills. */
  long status = i % 7 == 3 ? STATUS_ONBOARDING : 0;
  if (push(l->companies, company(w.psa_company_id, w.name, status)) ||
      push(l->agreements,
           agreement(agr, w.psa_company_id, "Managed Services",
                     "Managed Services", "Active", "2025-01-01T00:00:00Z")) ||
      push(l->additions, addition(add_id, agr, product, w.psa_quantity, NULL)))
    return -1;
  if (i % 4 == 0 &&
      push(l->additions,
           addition(add_id + 1, agr, "M365-BUS-PREM", w.seats + 2, NULL)))
    return -1;
  if (i % 6 == 1 &&
      (push(l->agreements,
            agreement(agr + 1, w.psa_company_id, "Managed Services (2023)",
                      "Managed Services", "Cancelled",
                      "2023-01-01T00:00:00Z")) ||
       push(l->additions, addition(add_id + 2, agr + 1, product, w.seats,
                                   "2024-12-31T00:00:00Z"))))
    return -1;
  if (i % 9 == 2 && push(l->additions, addition(add_id + 3, agr, product, 5,
                                                "2025-06-30T00:00:00Z")))
    return -1;
  return 0;
}

/* Unmapped company k with an agreement of other products. */
static int noise_company(lists *l, int k) {
  static const char *const names[] = {"Contoso Plumbing", "Fabrikam Dental",
                                      "Northwind Traders", "Tailspin Toys"};
  static const char *const products[] = {"M365-BUS-PREM", "BACKUP-SRV",
                                         "SUPPORT-HOUR"};
  char name[64];
  snprintf(name, sizeof(name), "%s #%d", names[k % 4], k + 1);
  long cid = NOISE_COMPANY_BASE + k, agr = NOISE_AGREEMENT_BASE + k;
  /* Former customers keep their records under a custom inactive status. */
  long status = k % 2 ? STATUS_FORMER_CLIENT : 0;
  return push(l->companies, company(cid, name, status)) ||
                 push(l->agreements,
                      agreement(agr, cid, "Block Time", "Block Time",
                                k % 3 ? "Active" : "Expired",
                                "2024-03-01T00:00:00Z")) ||
                 push(l->additions, addition(NOISE_ADDITION_BASE + k, agr,
                                             products[k % 3], 1 + k % 20, NULL))
             ? -1
             : 0;
}

/* Moves *v into fx[key]; *v is NULL afterwards whatever happened. */
static int adopt(json_object *fx, const char *key, json_object **v) {
  int rc = add(fx, key, *v);
  *v = NULL;
  return rc;
}

json_object *cw_generate(unsigned seed, int change_pct, int n) {
  json_object *fx = json_object_new_object();
  lists l = {json_object_new_array(), json_object_new_array(),
             json_object_new_array()};
  int bad = !fx || !l.companies || !l.agreements || !l.additions;
  for (int i = 0; !bad && i < n; i++)
    bad = world_company(&l, seed, change_pct, i);
  int noise = n / 10 < 2 ? 2 : n / 10;
  for (int k = 0; !bad && k < noise; k++)
    bad = noise_company(&l, k);
  bad = bad || adopt(fx, "companies", &l.companies) ||
        adopt(fx, "agreements", &l.agreements) ||
        adopt(fx, "additions", &l.additions) ||
        add(fx, "catalog", json_tokener_parse(CATALOG)) ||
        add(fx, "statuses", json_tokener_parse(STATUSES));
  json_object_put(l.companies);
  json_object_put(l.agreements);
  json_object_put(l.additions);
  if (bad) {
    json_object_put(fx);
    return NULL;
  }
  return fx;
}
