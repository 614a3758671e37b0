/* SPDX-License-Identifier: MIT */
/*
 * ats_generate.c — the generated dataset is built as a document and loaded
 * like a fixture, so it gets the same checks and normalisation.
 */
#include "ats_generate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ats_date.h"
#include "ats_item.h"
#include "ats_units.h"
#include "sim_world.h"

#define SVC_LASTPASS 30001
#define SVC_LASTPASS_MFA 30002
#define SVC_BACKUP 30003
#define SVC_M365 30004
#define SVC_FIREWALL 30005
#define CONTRACT_BASE 700000
#define CS_BASE 800000
#define UNMAPPED_BASE 50000

/* splitmix64: deterministic per (seed, index, field), like sim_world. */
static uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t draw(unsigned seed, int index, unsigned field) {
  return mix(mix(mix((uint64_t)seed ^ 0xa7a5) ^ (uint64_t)(unsigned)index) ^
             field);
}

typedef struct gen {
  unsigned seed;
  int64_t now;
  json_object *doc;
  int bad;
} gen;

static json_object *arr(gen *g, const char *key) {
  json_object *a;
  return json_object_object_get_ex(g->doc, key, &a) ? a : NULL;
}

static void push(gen *g, const char *key, json_object *o) {
  if (!o || json_object_array_add(arr(g, key), o)) {
    json_object_put(o);
    g->bad = 1;
  }
}

static void date(gen *g, json_object *o, const char *key, int64_t t) {
  g->bad |= ats_item_set_date(o, key, t);
}

static void num(gen *g, json_object *o, const char *key, int64_t v) {
  g->bad |= ats_item_set_int(o, key, v);
}

static void dec(gen *g, json_object *o, const char *key, double v) {
  g->bad |= ats_item_set_dec(o, key, v);
}

static void str(gen *g, json_object *o, const char *key, const char *v) {
  g->bad |= ats_item_set_str(o, key, v);
}

static void service(gen *g, int id, const char *name, double price, double cost,
                    const char *period) {
  json_object *s = json_object_new_object();
  if (!s) {
    g->bad = 1;
    return;
  }
  num(g, s, "id", id);
  str(g, s, "name", name);
  str(g, s, "description", name);
  dec(g, s, "unitPrice", price);
  dec(g, s, "unitCost", cost);
  str(g, s, "periodType", period); /* a label: numbered on load */
  g->bad |= ats_item_set_bool(s, "isActive", 1);
  num(g, s, "billingCodeID", 29682800 + id % 100);
  push(g, "services", s);
}

static void company(gen *g, long id, const char *name, const char *type,
                    long lastpass_id, int days) {
  char number[32], lp[32];
  json_object *c = json_object_new_object(), *udfs = json_object_new_array(),
              *u = json_object_new_object();
  if (!c || !udfs || !u) {
    json_object_put(c);
    json_object_put(udfs);
    json_object_put(u);
    g->bad = 1;
    return;
  }
  snprintf(number, sizeof number, "C%06ld", id);
  snprintf(lp, sizeof lp, "%ld", lastpass_id);
  num(g, c, "id", id);
  str(g, c, "companyName", name);
  str(g, c, "companyNumber", number);
  str(g, c, "companyType", type);
  g->bad |= ats_item_set_bool(c, "isActive", 1);
  g->bad |= ats_item_set_null(c, "parentCompanyID");
  date(g, c, "createDate",
       ats_days_from_civil(2019, 1, 1) * ATS_DAY_SECS + days * ATS_DAY_SECS);
  str(g, u, "name", "LastPass ID");
  if (lastpass_id)
    str(g, u, "value", lp);
  else
    g->bad |= ats_item_set_null(u, "value");
  g->bad |= json_object_array_add(udfs, u) != 0;
  g->bad |= ats_add(c, "userDefinedFields", udfs);
  push(g, "companies", c);
}

typedef struct contract_spec {
  long id, company;
  const char *name, *type;
  int status;
  int64_t start, end;
} contract_spec;

static void contract(gen *g, const contract_spec *k) {
  char number[32];
  json_object *c = json_object_new_object();
  if (!c) {
    g->bad = 1;
    return;
  }
  snprintf(number, sizeof number, "CN-%ld", k->id);
  num(g, c, "id", k->id);
  num(g, c, "companyID", k->company);
  str(g, c, "contractName", k->name);
  str(g, c, "contractNumber", number);
  str(g, c, "contractType", k->type);
  str(g, c, "contractCategory", "Managed Services");
  str(g, c, "contractPeriodType", "Monthly");
  num(g, c, "status", k->status);
  date(g, c, "startDate", k->start);
  date(g, c, "endDate", k->end);
  str(g, c, "billingPreference", "Immediately");
  g->bad |= ats_item_set_bool(c, "isDefaultContract", 0);
  g->bad |= ats_add(c, "userDefinedFields", json_object_new_array());
  push(g, "contracts", c);
}

typedef struct step {
  int64_t from, units;
} step;

static json_object *steps_json(gen *g, const step *steps, size_t n) {
  json_object *units = json_object_new_array();
  for (size_t i = 0; units && i < n; i++) {
    json_object *s = json_object_new_object();
    if (!s || json_object_array_add(units, s)) {
      json_object_put(s);
      json_object_put(units);
      return NULL;
    }
    date(g, s, "from", steps[i].from);
    num(g, s, "units", steps[i].units);
  }
  return units;
}

/* A contract service whose units follow `steps` (see ats_units.h). */
static void contract_service(gen *g, long id, long contract, int svc,
                             double price, const step *steps, size_t n) {
  json_object *cs = json_object_new_object();
  if (!cs) {
    g->bad = 1;
    return;
  }
  num(g, cs, "id", id);
  num(g, cs, "contractID", contract);
  num(g, cs, "serviceID", svc);
  dec(g, cs, "unitPrice", price);
  dec(g, cs, "unitCost", (double)(long)(price * 60 + 0.5) / 100);
  g->bad |= ats_item_set_null(cs, "adjustedPrice");
  g->bad |= ats_item_set_null(cs, "quoteItemID");
  g->bad |= ats_add(cs, "units", steps_json(g, steps, n));
  push(g, "contractServices", cs);
}

/* A start 1..24 months before today on a varied day (29th-31st included). */
static int64_t start_of(gen *g, int i) {
  uint64_t r = draw(g->seed, i, 11);
  int months_ago = 1 + (int)(r % 24);
  int y, m, d;
  ats_civil_from_days(g->now / ATS_DAY_SECS, &y, &m, &d);
  int day = (r >> 8) % 4 == 0 ? 1 : 1 + (int)((r >> 16) % 31);
  int total = y * 12 + (m - 1) - months_ago;
  int sy = total / 12, sm = total % 12 + 1;
  int dim = ats_days_in_month(sy, sm);
  return ats_days_from_civil(sy, sm, day > dim ? dim : day) * ATS_DAY_SECS;
}

/* Contracts renew yearly: the end is the day before the first anniversary
 * after today (so it is in the future, and rows stay few). */
static int64_t end_of(gen *g, int64_t start) {
  int years = 1;
  while (ats_add_months(start, 12 * years) <= g->now && years < 100)
    years++;
  return ats_add_months(start, 12 * years) - ATS_DAY_SECS;
}

/* The current monthly period's start of a contract starting at `start`. */
static int64_t period_start(gen *g, int64_t start) {
  json_object *k = json_object_new_object();
  int64_t ps = start, pe;
  if (!k || ats_item_set_date(k, "startDate", start) ||
      ats_units_period_at(k, 1, g->now, &ps, &pe) != 0)
    ps = start;
  json_object_put(k);
  return ps;
}

static void world_company(gen *g, int i, int change_pct) {
  sim_world_company w;
  sim_world_company_at(g->seed, change_pct, i, &w);
  uint64_t r = draw(g->seed, i, 12);
  company(g, w.psa_company_id, w.name, "Customer", w.lastpass_id, i % 2000);
  char name[200];
  snprintf(name, sizeof name, "Managed Services - %s", w.name);
  int64_t start = start_of(g, i), ps = period_start(g, start);
  contract_spec k = {CONTRACT_BASE + 4L * i,
                     w.psa_company_id,
                     name,
                     "Recurring Service",
                     1,
                     start,
                     end_of(g, start)};
  contract(g, &k);
  int svc = w.mfa ? SVC_LASTPASS_MFA : SVC_LASTPASS;
  int q = w.psa_quantity;
  /* Earlier periods billed another count for about half the companies. */
  int64_t before = r % 2 ? q + 1 + (int64_t)((r >> 4) % 3) : q;
  /* About one in five had a mid-period change: the row covering today then
   * starts 5 days into the period. */
  int mid = (r >> 8) % 5 == 0 && ps + 5 * ATS_DAY_SECS <= g->now && q > 0;
  step steps[] = {
      {start, before}, {ps, mid ? q - 1 : q}, {ps + 5 * ATS_DAY_SECS, q}};
  contract_service(g, CS_BASE + 4L * i, k.id, svc, w.mfa ? 4.5 : 3.0, steps,
                   mid ? 3 : 2);
  if ((r >> 12) % 7 == 0) { /* another service on the same contract */
    step backup[] = {{start, 5}};
    contract_service(g, CS_BASE + 4L * i + 1, k.id, SVC_BACKUP, 12.0, backup,
                     1);
  }
  if ((r >> 16) % 10 == 0) { /* an old, inactive LastPass contract */
    contract_spec old = {CONTRACT_BASE + 4L * i + 1,
                         w.psa_company_id,
                         "Old LastPass agreement",
                         "Recurring Service",
                         0,
                         ats_add_months(start, -24),
                         start - ATS_DAY_SECS};
    contract(g, &old);
    step old_units[] = {{old.start, q}};
    contract_service(g, CS_BASE + 4L * i + 2, old.id, svc, 2.5, old_units, 1);
  }
  if ((r >> 20) % 10 == 0) { /* project work: not recurring */
    contract_spec tm = {CONTRACT_BASE + 4L * i + 2,
                        w.psa_company_id,
                        "Project hours",
                        "Time & Materials",
                        1,
                        start,
                        ats_add_months(start, 12) - ATS_DAY_SECS};
    contract(g, &tm);
  }
}

/* Companies the LastPass side does not know; every other one bills
 * LastPass anyway (orphan billing). */
static void unmapped_company(gen *g, int j) {
  char name[64];
  long id = UNMAPPED_BASE + j;
  snprintf(name, sizeof name, "Prospect %d Holdings", j + 1);
  company(g, id, name, j % 3 ? "Customer" : "Prospect", 0, j);
  if (j % 2)
    return;
  int64_t start = start_of(g, 100000 + j);
  contract_spec k = {CONTRACT_BASE + 4L * (100000 + j),
                     id,
                     "Managed Services",
                     "Recurring Service",
                     1,
                     start,
                     end_of(g, start)};
  contract(g, &k);
  step units[] = {{start, 3 + j % 7}};
  contract_service(g, CS_BASE + 4L * (100000 + j), k.id, SVC_LASTPASS, 3.0,
                   units, 1);
}

static json_object *new_doc(void) {
  static const char *const keys[] = {"companies",
                                     "contracts",
                                     "services",
                                     "contractServices",
                                     "contractServiceUnits",
                                     "adjustments"};
  json_object *doc = json_object_new_object();
  for (size_t i = 0; doc && i < sizeof keys / sizeof keys[0]; i++)
    if (ats_add(doc, keys[i], json_object_new_array())) {
      json_object_put(doc);
      return NULL;
    }
  return doc;
}

static void build(gen *g, int n, int change_pct) {
  service(g, SVC_LASTPASS, "LastPass Business", 3.0, 1.8, "Monthly");
  service(g, SVC_LASTPASS_MFA, "LastPass Business + MFA", 4.5, 2.7, "Monthly");
  service(g, SVC_BACKUP, "Managed Backup", 12.0, 7.0, "Monthly");
  service(g, SVC_M365, "Microsoft 365 Business Standard", 12.5, 10.0,
          "Monthly");
  service(g, SVC_FIREWALL, "Firewall Monitoring", 45.0, 20.0, "Quarterly");
  for (int i = 0; i < n && !g->bad; i++)
    world_company(g, i, change_pct);
  for (int j = 0; j < n / 10 + 1 && !g->bad; j++)
    unmapped_company(g, j);
}

ats_db *ats_generate(unsigned seed, int change_pct, int n,
                     const ats_db_options *opt, char *err, size_t len) {
  gen g = {seed, 0, new_doc(), 0};
  ats_db *db = NULL;
  g.now = opt && opt->has_now ? ats_day_floor(opt->now)
                              : ats_day_floor((int64_t)time(NULL));
  ats_db_options o = opt ? *opt : (ats_db_options){0};
  o.now = g.now;
  o.has_now = 1;
  if (!g.doc)
    g.bad = 1;
  else
    build(&g, n, change_pct);
  if (g.bad)
    snprintf(err, len, "out of memory");
  else
    db = ats_db_load(g.doc, &o, err, len);
  json_object_put(g.doc);
  return db;
}
