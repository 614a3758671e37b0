#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_seeds.py — (re)write the fuzzers' seed corpora from the project's
fixtures: the simulators' data sets (tests/sim/*/fixtures/), the core
scenario data (tests/integration/core/data/) and conf/*.example when it
exists, turned into the answers the real APIs send (reference/*.md shapes),
plus a few hand-written edge cases per target. Run it from anywhere after a
fixture changes; the output is small and checked in:
    python3 tests/fuzz/corpus/make_seeds.py
"""
import glob
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def src(rel):
    return os.path.join(TOP, rel)


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def dumps(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


# --- configuration -----------------------------------------------------
CONFIG = """; lpsa configuration
[host]
driver_path = drivers:/usr/lib/lpsa/drivers
state_dir = state
mapping_file = mapping.csv
schedule = daily 02:00
max_decrease_percent = 50
suspended_companies = skip
http_timeout = 60
max_concurrency = 4

[lastpass]
api_url = https://api.lastpass.com/business
api_key = env:LPSA_LASTPASS_API_KEY

[driver.connectwise]
site = https://api-na.myconnectwise.net
company_id = mymsp
public_key = env:CW_PUBLIC
private_key = file:cw.key
client_id = 00000000-0000-0000-0000-000000000000
sku.lastpass = LASTPASS-BUS
sku.lastpass_mfa = LASTPASS-MFA

[driver.autotask]
zone_lookup_url = https://webservices.autotask.net/atservicesrest
username = api@msp.example
secret = env:LPSA_AUTOTASK_SECRET
integration_code = literal-code
sku.lastpass = LastPass Business
sku.lastpass_mfa = LastPass Business + MFA
"""
write("config", "full.conf", CONFIG)
write("config", "minimal.conf", "[lastpass]\napi_key = lpkey_literal\n")
write("config", "crlf_bom.conf",
      "\ufeff[host]\r\nschedule = weekly mon 03:30\r\n[lastpass]\r\n"
      "api_key = literal ; inline comment\r\n")
write("config", "notify.conf",
      "[host]\nnotify_email = a@example.com, b@example.com\nnotify_on = always\n"
      "smtp_url = smtps://mail.example.com:465\nsmtp_from = lpsa@example.com\n"
      "smtp_username = u\nsmtp_password = env:SMTP_PW\n"
      "notify_webhook = https://hooks.example.com/x\nmetrics_file = m.prom\n"
      "schedule = every 6h\n[lastpass]\napi_key = file:/nonexistent\n"
      "[driver.two-sites]\nmodule = connectwise\nsite = http://127.0.0.1:1\n")
write("config", "errors.conf",
      "[hots]\nstate_dir\n[host]\nmax_decrease_percent = 150\n"
      "suspended_companies = maybe\nschedule = monthly 31 25:00\n"
      "[driver.bad/name]\n[lastpass]\napi_url = http://example.com/\n")
for path in glob.glob(src("conf/*.example")):
    with open(path, "rb") as f:
        write("config", os.path.basename(path), f.read())

# --- mapping -----------------------------------------------------------
with open(src("tests/integration/core/data/mapping.csv"), "rb") as f:
    write("mapping", "scenario.csv", f.read())
write("mapping", "quoted.csv",
      '\ufeffnote,AGREEMENT_ID,psa_company_id,lastpass_company_id\r\n'
      '"Acme, ""Inc.""",1034,250,12345\r\n'
      '"two\nlines",,251,12346\r\n# comment\r\n\r\n,,252,12347\r\n')
write("mapping", "errors.csv",
      "lastpass_company_id,psa_company_id,extra\n1,,x\n\"unclosed,2\n")
write("mapping", "dups.csv",
      "lastpass_company_id,psa_company_id\n1,a\n1,b\n2,a\n3,c\n3,c\n")

# --- LastPass ----------------------------------------------------------
lp = json.load(open(src("tests/integration/core/data/lastpass.json")))
companies = [{k: c[k] for k in ("id", "name", "status", "type", "addons")
              if k in c} for c in lp["companies"]]
for c in companies[:3]:
    c["licenseLimit"] = 50
write("lastpass", "companies_page1.json",
      dumps({"items": companies[:8], "nextPageToken": "cGFnZTI="}))
write("lastpass", "companies_last.json",
      dumps({"items": companies[8:], "nextPageToken": None}))
billing = [{"companyId": c["id"] if i % 2 else str(c["id"]),
            "companyName": c["name"], "licenseType": "msp-managed-company",
            "activeUsers": c.get("activeUsers", 0)}
           for i, c in enumerate(lp["companies"])]
write("lastpass", "billing.json", dumps({"items": billing}))
cycle = lp.get("billingCycle", {"startDate": "2026-11-01",
                                "endDate": "2026-11-30"})
write("lastpass", "cycles.json",
      dumps([cycle, {"startDate": "2026-10-01", "endDate": "2026-10-31"}]))
write("lastpass", "cycles_items.json", dumps({"items": [cycle]}))
write("lastpass", "problem.json",
      dumps({"title": "Unauthorized", "status": 401,
             "detail": "The API key is invalid", "instance": "/business/v1",
             "errors": [{"detail": "bad key", "pointer": "/header"}]}))

# --- ConnectWise -------------------------------------------------------
cw = json.load(open(src("tests/sim/connectwise/fixtures/small.json")))
products = {p["identifier"]: p["id"] for p in cw["catalog"]}
write("cw_json", "catalog.json",
      dumps([{k: p[k] for k in ("id", "identifier", "description",
                                "inactiveFlag") if k in p}
             for p in cw["catalog"]]))
comps = []
for c in cw["companies"]:
    o = {"id": c["id"], "identifier": c["identifier"], "name": c["name"],
         "deletedFlag": c.get("deletedFlag", False)}
    if "status" in c:
        o["status"] = c["status"]
    comps.append(o)
write("cw_json", "companies.json", dumps(comps))
ags = []
for a in cw["agreements"]:
    ags.append({"id": a["id"], "name": a["name"],
                "type": a.get("type", {"id": 1, "name": "Managed Services"}),
                "company": a["company"],
                "agreementStatus": a.get("agreementStatus", "Active"),
                "cancelledFlag": a.get("cancelledFlag", False),
                "prorateFlag": a.get("prorateFlag", False)})
write("cw_json", "agreements.json", dumps(ags))
adds = []
for d in cw["additions"]:
    ident = d["product"]["identifier"]
    adds.append({"id": d["id"], "agreementId": d["agreementId"],
                 "product": {"id": products.get(ident, 1),
                             "identifier": ident},
                 "quantity": d["quantity"],
                 "cancelledDate": d.get("cancelledDate"),
                 "description": d.get("description", ident)})
write("cw_json", "additions.json", dumps(adds))
write("cw_json", "addition_fraction.json",
      dumps({"id": 1, "product": {"id": 2}, "quantity": 3.6,
             "cancelledDate": "2026-11-25T10:00:00+02:00"}))
write("cw_json", "companyinfo.json",
      dumps({"CompanyName": "lpsademo", "Codebase": "v4_6_release/",
             "VersionCode": "v2025.1", "CompanyID": "lpsademo",
             "IsCloud": True, "SiteUrl": "api-na.myconnectwise.net"}))
write("cw_json", "companyinfo_null.json", "null")
write("cw_json", "error.json",
      dumps({"code": "InvalidObject", "message": "Addition object is invalid",
             "errors": [{"code": "InvalidField",
                         "message": "quantity must be positive",
                         "resource": "addition", "field": "quantity"}]}))
for path in sorted(glob.glob(src("tests/sim/connectwise/fixtures/*.json"))):
    name = os.path.basename(path)
    if name != "small.json":
        with open(path, "rb") as f:
            write("cw_json", "sim_" + name, f.read())

base = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies"
write("cw_link", "navigable.txt",
      '<%s?pageSize=2&page=2>; rel="next", <%s?pageSize=2&page=9>; rel="last"'
      % (base, base))
write("cw_link", "forward_only.txt",
      '<%s?pageSize=1000&pageId=1040>; rel="next"\n'
      '<%s?pageSize=1000&pageId=2080>; rel="next"\n' % (base, base))
write("cw_link", "pages.txt",
      '<a?page=2>; rel="next", <a?page=3>; rel=last\n'
      '<a?page=3>; rel="next"; title="x, y; z", <a?page=3>; rel="last"\n'
      '<a?page=1>; rel="first", <a?page=2>; rel="prev"\n')
write("cw_link", "loop.txt", '<a?page=2>; rel="next"\n<a?page=2>; rel="next"\n')
write("cw_link", "odd.txt",
      '<a?conditions=id in (1,2)&page=2>; rel="next last", <b>; rel=canonical')

idents = [p["identifier"] for p in cw["catalog"]]
write("cw_conditions", "products.txt", "\n".join(idents))
write("cw_conditions", "quotes.txt",
      "Bob's \"Pro\"\nO'Brien\n\"quoted\"\nback\\slash\n2026-11-25\n"
      "2024-02-29\n250\n007\n\" or 1=1 or \"\nCafé Müller")

# --- Autotask ----------------------------------------------------------
at = json.load(open(src("tests/sim/autotask/fixtures/small.json")))
PERIOD = {"Monthly": 1, "Quarterly": 2, "Semi-Annual": 3, "Yearly": 4}
TYPE = {"Time & Materials": 1, "Fixed Price": 3, "Block Hours": 4,
        "Retainer": 6, "Recurring Service": 7, "Per Ticket": 8}


def page(items, next_url=None):
    return dumps({"items": items,
                  "pageDetails": {"count": len(items), "requestCount": 500,
                                  "prevPageUrl": None,
                                  "nextPageUrl": next_url}})


svcs = [{"id": s["id"], "name": s["name"],
         "periodType": PERIOD.get(s.get("periodType"), 1),
         "isActive": s.get("isActive", True)} for s in at["services"]]
write("at_json", "services.json", page(svcs))
cos = [{"id": c["id"], "companyName": c["companyName"],
        "isActive": c.get("isActive", True)} for c in at["companies"]]
zone = "https://webservices5.autotask.net/atservicesrest"
write("at_json", "companies.json",
      page(cos[:6], zone + "/v1.0/Companies/query/next?paging=abc"))
cons = []
for c in at["contracts"]:
    cons.append({"id": c["id"], "companyID": c["companyID"],
                 "contractName": c.get("contractName"),
                 "contractType": TYPE.get(c.get("contractType"), 7),
                 "status": c.get("status", 1),
                 "startDate": c.get("startDate"), "endDate": c.get("endDate"),
                 "contractCategory": 1,
                 "contractPeriodType": PERIOD.get(c.get("contractPeriodType"))})
write("at_json", "contracts.json", page(cons))
css = [{"id": s["id"], "contractID": s["contractID"],
        "serviceID": s["serviceID"]} for s in at["contractServices"]]
write("at_json", "contract_services.json", page(css))
units = []
uid = 1
for s in at["contractServices"]:
    rows = s.get("units", [])
    if not isinstance(rows, list):
        rows = [{"from": "2026-11-01", "units": rows}]
    for u in rows:
        units.append({"id": uid, "contractServiceID": s["id"],
                      "contractID": s["contractID"], "serviceID": s["serviceID"],
                      "startDate": u["from"] + "T00:00:00",
                      "endDate": "2027-02-28T00:00:00.000Z",
                      "units": u["units"]})
        uid += 1
write("at_json", "units.json", page(units[:12]))
write("at_json", "picklists.json", dumps({"fields": [
    {"name": "status", "dataType": "integer", "isPickList": True,
     "picklistValues": [{"value": "1", "label": "Active", "isActive": True},
                        {"value": 0, "label": "Inactive", "isActive": True}]},
    {"name": "contractType", "isPickList": True, "picklistValues": [
        {"value": str(v), "label": k, "isActive": True}
        for k, v in TYPE.items()]},
    {"name": "periodType", "isPickList": True, "picklistValues": [
        {"value": str(v), "label": k, "isActive": True}
        for k, v in PERIOD.items()]},
    {"name": "contractName", "dataType": "string", "isPickList": False}]}))
write("at_json", "zone.json",
      dumps({"zoneName": "Zone 5", "url": zone + "/",
             "webUrl": "https://ww5.autotask.net/", "ci": 1}))
write("at_json", "errors.json",
      dumps({"errors": ["User does not have adequate permissions",
                        {"message": "thread threshold of 3 exceeded"}]}))
write("at_json", "item.json", dumps({"item": cons[0]}))
write("at_json", "date.txt", "2026-11-01T00:00:00.123+05:30")

write("at_query", "names.txt",
      "\n".join("name\n" + s["name"] for s in at["services"]))
write("at_query", "escapes.txt",
      'name\nLastPass "Business"\\ \t\u00e9\ncontractCategory\n'
      '{"op":"or"}\nstartDate\n2026-11-01T00:00:00Z\n')
write("at_query", "ids.bin", bytes([200, 4]) + struct.pack("<I", 12345) +
      bytes([7, 1]))

# billing period: binary layout (year 2 bytes, month, day each via
# fuzz_range) is hard to write by hand, so text seeds ('T' + dates) from
# the Autotask fixture's contracts, plus a few binary blobs.
now = at.get("now", "2026-11-15")
for c in at["contracts"]:
    if c.get("startDate"):
        txt = "T%s\n%s\n%s\n" % (c["startDate"], now, c.get("endDate") or "")
        write("at_billing_period", "contract_%d.txt" % c["id"],
              txt.encode() + bytes([PERIOD.get(c.get("contractPeriodType"),
                                               1) - 1]))
write("at_billing_period", "jan31.txt", b"T2026-01-31\n2026-03-30\n\n\x00")
write("at_billing_period", "leap.txt",
      b"T2024-02-29\n2028-02-28\n2030-01-01\n\x03")
write("at_billing_period", "quarterly.txt",
      b"T2025-09-20\n2026-11-15\n\n\x01")
write("at_billing_period", "binary.bin", bytes(range(0, 40, 3)))
