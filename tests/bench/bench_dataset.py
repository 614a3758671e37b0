# SPDX-License-Identifier: MIT
"""bench_dataset.py - counts of the generated dataset that the request models
need, read from the simulators' own state (GET /_sim/state) and the mapping
file, so the lower bound, the naive cost and the drivers' formulas are
computed from the very data the run saw, never from the run's own counts.

Dates are compared as their YYYY-MM-DD prefix; `as_of` is the run date.
"""

import csv
import datetime

LASTPASS_PRODUCTS_CW = {"lastpass-bus", "lastpass-mfa"}
LASTPASS_SERVICES_AT = {"lastpass business", "lastpass business + mfa"}


def mapped_psa_ids(mapping_path):
    """The mapped PSA company ids, in file order (comments skipped)."""
    ids = []
    with open(mapping_path, encoding="utf-8", newline="") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        header = next(rows)
        col = header.index("psa_company_id")
        for row in rows:
            if row and row[col].strip():
                ids.append(int(row[col]))
    return ids


def lastpass_counts(state):
    """Managed companies and billing records (the simulator gives every
    company one record per cycle, suspended ones included)."""
    n = len(state["companies"])
    return {"companies": n, "billing_records": n}


def _day(text):
    return text[:10] if text else None


def _shift(as_of, days):
    d = datetime.date.fromisoformat(as_of) + datetime.timedelta(days=days)
    return d.isoformat()


def connectwise_counts(state, mapped, as_of):
    mapped_set = set(mapped)
    present = {c["id"] for c in state["companies"]} & mapped_set
    active = {}
    for a in state["agreements"]:
        cid = (a.get("company") or {}).get("id")
        if (cid in present and a.get("agreementStatus") == "Active"
                and not a.get("cancelledFlag")):
            active[a["id"]] = cid
    lines = {}
    for x in state["additions"]:
        ident = ((x.get("product") or {}).get("identifier") or "").lower()
        cancelled = _day(x.get("cancelledDate"))
        if (x.get("agreementId") in active and ident in LASTPASS_PRODUCTS_CW
                and (cancelled is None or cancelled > as_of)):
            lines[x["agreementId"]] = lines.get(x["agreementId"], 0) + 1
    per_company = {}
    for cid in active.values():
        per_company[cid] = per_company.get(cid, 0) + 1
    all_active = sum(1 for a in state["agreements"]
                     if a.get("agreementStatus") == "Active"
                     and not a.get("cancelledFlag"))
    return {
        "mapped": len(mapped),
        "present": len(present),
        "all_companies": len(state["companies"]),
        "all_active_agreements": all_active,
        "agreements": len(active),
        "lines": sum(lines.values()),
        "lines_per_agreement": [lines.get(a, 0) for a in active],
        "agreements_per_company": per_company,
        "mapped_ids": sorted(mapped_set),
    }


def _covers(contract, as_of):
    start, end = _day(contract.get("startDate")), _day(contract.get("endDate"))
    return start is not None and start <= as_of and (end is None
                                                     or end >= as_of)


def autotask_counts(state, mapped, as_of):
    mapped_set = set(mapped)
    companies = {c["id"] for c in state["companies"]}
    present = companies & mapped_set
    services = {s["id"] for s in state["services"]
                if s.get("name", "").strip().lower() in LASTPASS_SERVICES_AT}
    contracts = {k["id"]: k for k in state["contracts"]}
    billing = [cs for cs in state["contractServices"]
               if cs.get("serviceID") in services]
    billed_contracts = {cs["contractID"] for cs in billing}

    def recurring_active(kid):
        k = contracts.get(kid)
        return k is not None and k.get("status") == 1 and k.get(
            "contractType") == 7

    # Kept contracts at least: active recurring ones covering as_of; at most:
    # every active recurring one (the driver adds one stand-in per mapped
    # company that has no covering contract).
    kept_min = {kid for kid in billed_contracts
                if recurring_active(kid) and _covers(contracts[kid], as_of)}
    kept_max = {kid for kid in billed_contracts if recurring_active(kid)}
    kept_mapped = {kid for kid in kept_min
                   if contracts[kid]["companyID"] in mapped_set}
    lines_min = sorted(cs["id"] for cs in billing
                       if cs["contractID"] in kept_min)
    lines_max = sorted(cs["id"] for cs in billing
                       if cs["contractID"] in kept_max)
    lines_mapped = [cs["id"] for cs in billing
                    if cs["contractID"] in kept_mapped]
    lo, hi = _shift(as_of, -1), _shift(as_of, 1)
    rows = {}
    for u in state["contractServiceUnits"]:
        start, end = _day(u.get("startDate")), _day(u.get("endDate"))
        if start and start <= hi and (end is None or end >= lo):
            rows[u["contractServiceID"]] = rows.get(u["contractServiceID"],
                                                    0) + 1
    lines_of = {}
    for cs in billing:
        lines_of[cs["contractID"]] = lines_of.get(cs["contractID"], 0) + 1
    per_company = {}
    for kid in kept_mapped:
        cid = contracts[kid]["companyID"]
        per_company.setdefault(cid, []).append(lines_of[kid])
    return {
        "mapped": len(mapped),
        "present": len(present),
        "services": len(services),
        "billing_lines": len(billing),
        "billed_contracts": len(billed_contracts),
        "companies_min": len(mapped_set | {contracts[k]["companyID"]
                                           for k in kept_min}),
        "companies_max": len(mapped_set | {contracts[k]["companyID"]
                                           for k in kept_max}),
        "unit_rows_min": [rows.get(i, 0) for i in lines_min],
        "unit_rows_max": [rows.get(i, 0) for i in lines_max],
        "kept_mapped": len(kept_mapped),
        "lines_mapped": len(lines_mapped),
        "contracts_per_company": per_company,
        "mapped_ids": sorted(mapped_set),
        "present_ids": present,
    }


def halopsa_counts(state, mapped, as_of):
    """Clients, invoices (every one: the driver reads the whole lists when
    that is cheaper) and the mapped clients the sync needs invoices of."""
    mapped_set = set(mapped)
    clients = {c["id"]: c for c in state["clients"]}
    present = [cid for cid in mapped if cid in clients]
    active = [cid for cid in present if not clients[cid].get("inactive")]
    return {
        "mapped": len(mapped),
        "present": len(present),
        "active_present": len(active),
        "all_clients": len(clients),
        "all_invoices": len(state["invoices"]),
        "items": len(state["items"]),
        "mapped_ids": sorted(mapped_set),
    }
