#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench_reference.py - a naive reference client: the same data read the
obvious way, to put lpsa-host's wall time next to.

What a competent script would do with N worker threads and keep-alive
connections (one per thread, Python's standard library only): read
LastPass page after page (each page token comes from the page before),
then the PSA: its fixed reads one after the other, and the reads that do
not depend on each other (ConnectWise's additions per agreement, Autotask's
chunks of ids, HaloPSA's pages) spread over the N threads. Autotask allows
3 concurrent requests per entity, so at most 3 threads go to it. It plans
nothing and writes nothing: it is the dry run's reading, nothing more.

    bench_reference.py --driver connectwise --lastpass URL --psa URL \\
        --mapping mapping.csv --threads 8 --now 2026-11-15

Prints one JSON object: wall_s, requests {lastpass, psa} and what was read
(records), so the benchmark can check it read as much as lpsa did.
"""

import argparse
import base64
import concurrent.futures
import csv
import http.client
import json
import sys
import threading
import time
import urllib.parse

LP_KEY = "lpkey_demo"
CW = {"company": "lpsademo", "public": "pubkey", "private": "privkey",
      "client": "00000000-0000-0000-0000-000000000000",
      "products": ["LASTPASS-BUS", "LASTPASS-MFA"]}
AT = {"user": "api@demo.example", "secret": "demosecret", "code": "DEMOCODE",
      "services": ["LastPass Business", "LastPass Business + MFA"]}
HP = {"client": "lpsa-demo-client", "secret": "demosecret",
      "items": ["LastPass Business", "LastPass Business + MFA"]}
AT_THREADS = 3  # Autotask: concurrent requests per entity


class Client:
    """Keep-alive connections, one per thread, and a request counter."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.prefix = u.path.rstrip("/")
        self.local = threading.local()
        self.lock = threading.Lock()
        self.requests = 0

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.local.conn = c
        return c

    def call(self, method, path, headers, body=None):
        with self.lock:
            self.requests += 1
        url = path if path.startswith("/") else f"{self.prefix}/{path}"
        data = body.encode() if isinstance(body, str) else body
        for attempt in (0, 1):
            c = self._conn()
            try:
                c.request(method, url, body=data, headers=headers)
                r = c.getresponse()
                payload = r.read()
                break
            except (http.client.HTTPException, OSError):
                # A kept-alive connection the server closed: once more.
                c.close()
                self.local.conn = None
                if attempt:
                    raise
        if r.status >= 400:
            raise RuntimeError(f"{method} {url}: HTTP {r.status}: "
                               f"{payload[:200]!r}")
        return json.loads(payload) if payload.strip() else None


def mapped_ids(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        header = next(rows)
        col = header.index("psa_company_id")
        return {int(r[col]) for r in rows if r and r[col].strip()}


def read_lastpass(base):
    c = Client(base)
    h = {"Authorization": f"api-key {LP_KEY}", "Accept": "application/json"}

    def pages(path):
        items, token = [], None
        while True:
            p = path + (f"&page-token={urllib.parse.quote(token)}"
                        if token else "")
            doc = c.call("GET", p, h)
            items += doc.get("items") or []
            token = doc.get("nextPageToken")
            if not token:
                return items

    companies = pages("v1/managed-companies?max-results=500")
    cycles = c.call("GET", "v1/managed-companies-reports/billing-cycles?"
                    "number-of-cycles=3", h)
    cycle = (cycles.get("items") or cycles.get("cycles") or [{}])[0] \
        if isinstance(cycles, dict) else cycles[0]
    start, end = cycle.get("startDate"), cycle.get("endDate")
    billing = pages("v1/managed-companies-reports/billing-reports?"
                    f"start-date={start}&end-date={end}&max-results=50")
    return c, len(companies) + len(billing)


def spread(threads, fn, jobs):
    with concurrent.futures.ThreadPoolExecutor(threads) as ex:
        return list(ex.map(fn, jobs))


def read_connectwise(base, mapping, threads, now):
    c = Client(base)
    auth = base64.b64encode(f"{CW['company']}+{CW['public']}:"
                            f"{CW['private']}".encode()).decode()
    h = {"Authorization": f"Basic {auth}", "clientId": CW["client"],
         "Accept": "application/vnd.connectwise.com+json; version=2025.1"}
    info = c.call("GET", f"login/companyinfo/{CW['company']}", {})
    root = f"{info['Codebase']}apis/3.0/"
    q = urllib.parse.quote
    ids = ",".join(f'"{p}"' for p in CW["products"])
    c.call("GET", f"{root}procurement/catalog?conditions="
           f"{q(f'identifier in ({ids})')}&pageSize=1000", h)

    def whole(path, cond=None):
        out, page = [], 1
        while True:
            extra = f"&conditions={q(cond)}" if cond else ""
            got = c.call("GET", f"{root}{path}?pageSize=1000&page={page}"
                         f"{extra}", h)
            out += got
            if len(got) < 1000:
                return out
            page += 1

    mapped = mapped_ids(mapping)
    companies = {x["id"] for x in whole("company/companies") if
                 x["id"] in mapped}
    agreements = [a["id"] for a in whole(
        "finance/agreements", "agreementStatus=\"Active\"")
        if (a.get("company") or {}).get("id") in companies]
    cond = q(f"cancelledDate=null or cancelledDate>[{now}]")
    lines = spread(threads, lambda a: len(c.call(
        "GET", f"{root}finance/agreements/{a}/additions?pageSize=1000&"
        f"conditions={cond}", h)), agreements)
    return c, len(companies) + len(agreements) + sum(lines)


def read_autotask(base, mapping, threads, now):
    c = Client(base)
    zone = c.call("GET", f"atservicesrest/v1.0/zoneInformation?user="
                  f"{urllib.parse.quote(AT['user'])}", {})
    api = urllib.parse.urlsplit(zone["url"]).path.rstrip("/") + "/v1.0/"
    h = {"ApiIntegrationCode": AT["code"], "UserName": AT["user"],
         "Secret": AT["secret"], "Content-Type": "application/json"}
    n = min(threads, AT_THREADS)

    def query(entity, flt):
        body = json.dumps({"filter": flt})
        doc = c.call("POST", f"{api}{entity}/query", h, body)
        items = doc["items"]
        while (doc.get("pageDetails") or {}).get("nextPageUrl"):
            nxt = urllib.parse.urlsplit(doc["pageDetails"]["nextPageUrl"])
            doc = c.call("POST", f"{nxt.path}?{nxt.query}", h, body)
            items += doc["items"]
        return items

    def chunks(ids, size):
        ids = sorted(ids)
        return [ids[i:i + size] for i in range(0, len(ids), size)]

    services = query("Services", [{"op": "in", "field": "name",
                                   "value": AT["services"]}])
    sids = [s["id"] for s in services]
    cs = query("ContractServices", [{"op": "in", "field": "serviceID",
                                     "value": sids}])
    contracts = sum(spread(n, lambda ch: query("Contracts", [
        {"op": "in", "field": "id", "value": ch}]), chunks(
            {x["contractID"] for x in cs}, 500)), [])
    mapped = mapped_ids(mapping)
    companies = sum(spread(n, lambda ch: query("Companies", [
        {"op": "in", "field": "id", "value": ch}]), chunks(
            {x["companyID"] for x in contracts} & mapped, 500)), [])
    units = sum(spread(n, lambda ch: query("ContractServiceUnits", [
        {"op": "in", "field": "contractServiceID", "value": ch},
        {"op": "lte", "field": "startDate", "value": now},
        {"op": "gte", "field": "endDate", "value": now}]), chunks(
            {x["id"] for x in cs}, 400)), [])
    return c, len(cs) + len(contracts) + len(companies) + len(units)


def read_halopsa(base, mapping, threads, now):
    c = Client(base)
    form = urllib.parse.urlencode({"grant_type": "client_credentials",
                                   "client_id": HP["client"],
                                   "client_secret": HP["secret"],
                                   "scope": "all"})
    tok = c.call("POST", "auth/token", {
        "Content-Type": "application/x-www-form-urlencoded"}, form)
    h = {"Authorization": f"Bearer {tok['access_token']}",
         "Accept": "application/json"}
    for name in HP["items"]:
        c.call("GET", f"api/Item?search={urllib.parse.quote(name)}", h)

    def whole(entity, extra=""):
        first = c.call("GET", f"api/{entity}?pageinate=true&page_size=100&"
                       f"page_no=1{extra}", h)
        key = next(k for k, v in first.items() if isinstance(v, list))
        pages = -(-first["record_count"] // 100)
        rest = spread(threads, lambda p: c.call(
            "GET", f"api/{entity}?pageinate=true&page_size=100&page_no={p}"
            f"{extra}", h)[key], range(2, pages + 1))
        return first[key] + sum(rest, [])

    clients = whole("Client", "&includeinactive=true")
    invoices = whole("RecurringInvoice", "&includelines=true")
    return c, len(clients) + len(invoices)


READERS = {"connectwise": read_connectwise, "autotask": read_autotask,
           "halopsa": read_halopsa}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--driver", required=True, choices=sorted(READERS))
    p.add_argument("--lastpass", required=True, help="lastpass-sim base URL")
    p.add_argument("--psa", required=True, help="the PSA simulator's URL")
    p.add_argument("--mapping", required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--now", default="2026-11-15")
    a = p.parse_args(argv)
    t0 = time.monotonic()
    lp, lp_records = read_lastpass(a.lastpass + "/business")
    psa, psa_records = READERS[a.driver](a.psa, a.mapping, a.threads, a.now)
    json.dump({"wall_s": time.monotonic() - t0, "threads": a.threads,
               "requests": {"lastpass": lp.requests, "psa": psa.requests},
               "records": {"lastpass": lp_records, "psa": psa_records}},
              sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
