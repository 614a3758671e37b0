/* SPDX-License-Identifier: MIT */
/*
 * hps_generate.c — the generated world as a HaloPSA dataset (see
 * hps_generate.h).
 */
#include "hps_generate.h"

#include "sim_world.h"

static const char ITEMS[] =
    "[{\"id\":501,\"name\":\"LastPass Business\",\"description\":\"LastPass "
    "Business seat\",\"internalreference\":\"LP-BUS\",\"baseprice\":3.0},"
    "{\"id\":502,\"name\":\"LastPass Business + MFA\",\"description\":"
    "\"LastPass Business with Advanced MFA\",\"internalreference\":\"LP-MFA\","
    "\"baseprice\":4.5},"
    "{\"id\":510,\"name\":\"Managed Backup\",\"description\":\"Per-device "
    "backup\",\"internalreference\":\"BACKUP\",\"baseprice\":12.0},"
    "{\"id\":511,\"name\":\"Microsoft 365 Business Premium\",\"description\":"
    "\"\",\"internalreference\":\"M365-BP\",\"baseprice\":22.0},"
    "{\"id\":512,\"name\":\"Remote support hour\",\"description\":\"\","
    "\"internalreference\":\"SUPPORT\",\"baseprice\":125.0}]";

static json_object *line(long long id, int item, const char *name, double qty,
                         double price) {
  json_object *l = json_object_new_object();
  json_object_object_add(l, "id", json_object_new_int64(id));
  json_object_object_add(l, "_itemid", json_object_new_int(item));
  json_object_object_add(l, "item_shortdescription",
                         json_object_new_string(name));
  json_object_object_add(l, "qty_order", json_object_new_double(qty));
  json_object_object_add(l, "unit_price", json_object_new_double(price));
  return l;
}

static json_object *invoice(long long id, long client, const char *start,
                            const char *end) {
  json_object *inv = json_object_new_object();
  json_object_object_add(inv, "id", json_object_new_int64(id));
  json_object_object_add(inv, "client_id", json_object_new_int64(client));
  json_object_object_add(inv, "startdate", json_object_new_string(start));
  json_object_object_add(inv, "enddate",
                         end ? json_object_new_string(end) : NULL);
  json_object_object_add(inv, "period", json_object_new_int(1));
  json_object_object_add(inv, "lines", json_object_new_array());
  return inv;
}

json_object *hps_generate(unsigned seed, int change_pct, int n) {
  json_object *doc = json_object_new_object();
  json_object *items = json_tokener_parse(ITEMS);
  json_object *clients = json_object_new_array();
  json_object *invoices = json_object_new_array();
  if (!doc || !items || !clients || !invoices) {
    json_object_put(doc);
    json_object_put(items);
    json_object_put(clients);
    json_object_put(invoices);
    return NULL;
  }
  json_object_object_add(doc, "items", items);
  json_object_object_add(doc, "clients", clients);
  json_object_object_add(doc, "invoices", invoices);
  for (int i = 0; i < n; i++) {
    sim_world_company w;
    sim_world_company_at(seed, change_pct, i, &w);
    json_object *c = json_object_new_object();
    json_object_object_add(c, "id", json_object_new_int64(w.psa_company_id));
    json_object_object_add(c, "name", json_object_new_string(w.name));
    json_object_array_add(clients, c);

    long long base = HPS_LINE_BASE + 4LL * i;
    int item = w.mfa ? HPS_ITEM_LASTPASS_MFA : HPS_ITEM_LASTPASS;
    const char *item_name =
        w.mfa ? "LastPass Business + MFA" : "LastPass Business";
    json_object *inv = invoice(HPS_INVOICE_BASE + i, w.psa_company_id,
                               "2026-01-01T00:00:00", NULL);
    json_object *lines = json_object_object_get(inv, "lines");
    json_object_array_add(
        lines, line(base, item, item_name, w.psa_quantity, w.mfa ? 4.5 : 3.0));
    json_object_array_add(
        lines, line(base + 1, 510, "Managed Backup", 1 + i % 7, 12.0));
    if (i % 3 == 0)
      json_object_array_add(lines, line(base + 2, 511,
                                        "Microsoft 365 Business Premium",
                                        2 + i % 11, 22.0));
    json_object_array_add(invoices, inv);
    if (i % 10 == 9) {
      json_object *old = invoice(HPS_ENDED_INVOICE_BASE + i, w.psa_company_id,
                                 "2024-01-01T00:00:00", "2025-12-31T00:00:00");
      json_object_array_add(
          json_object_object_get(old, "lines"),
          line(base + 3, item, item_name, w.psa_quantity + 3, 3.0));
      json_object_array_add(invoices, old);
    }
  }
  return doc;
}
