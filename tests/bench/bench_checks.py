# SPDX-License-Identifier: MIT
"""bench_checks.py - the scaling targets, checked against one case.

A case is one driver at one size: its dry-run and its apply (see bench.py
for the dict). Each check returns (name, status, detail) with status PASS,
FAIL or n/a. `smoke` keeps only what does not depend on timing or on the
machine: the runs complete, the host and the simulators count the same
requests, nothing is refused, the counts are within the documented formulas
and the Autotask thread limit holds.
"""

from bench_models import halopsa_paced_s, lo_hi

TARGET_SIZE = 5000  # the targets are stated for 5,000 companies
TARGET_LATENCY_MS = 50
AT_DRY_MAX_REQUESTS = 250
AT_DRY_MAX_WALL_S = 20.0
CW_SLACK_REQUESTS = 50
CW_WALL_FACTOR = 1.3
TARGET_PER_CHANGE = {"connectwise": 2, "autotask": 3, "halopsa": 2}
CPU_MAX_S = 3.0
RSS_MAX_MB = 100.0
AT_THREADS_PER_ENTITY = 3
GROWTH_MIN_SIZE = 1000
COMPANIES_PER_REQUEST = 20  # "grows with pages, not companies"


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _runs(case):
    return [case["runs"][m] for m in ("dry-run", "apply") if m in case["runs"]]


def completes(case):
    """Exit 0 (in step) or 1 (finished, some companies need a person: the
    generated worlds hold cases the rules send to a person) and no abort."""
    bad = [f"{r['mode']} exit {r['exit']}"
           + (f" ({r['report'].get('aborted')})" if r['report'].get('aborted')
              else "")
           for r in _runs(case)
           if r["exit"] not in (0, 1) or r["report"].get("aborted")]
    return ("runs finish (exit 0 or 1, not aborted)", _verdict(not bad),
            "; ".join(bad) or ", ".join(f"{r['mode']} exit {r['exit']}"
                                        for r in _runs(case)))


def counts_agree(case):
    diffs = []
    for r in _runs(case):
        for side in ("lastpass", "psa"):
            host, sim = r["requests"][side], r["sim"][side]["total"]
            if host != sim:
                diffs.append(f"{r['mode']} {side}: host {host}, sim {sim}")
    return ("host counts = simulator counts", _verdict(not diffs),
            "; ".join(diffs) or "equal on both sides of both runs")


def lastpass_formula(case):
    lo, hi = lo_hi(case["models"]["lastpass"]["formula"]["dry"])
    got = [r["requests"]["lastpass"] for r in _runs(case)]
    ok = all(lo <= g <= hi for g in got)
    return ("LastPass requests = client formula", _verdict(ok),
            f"measured {got}, formula {lo}..{hi}")


def driver_formula(case):
    lo, hi = lo_hi(case["models"]["psa"]["formula"]["dry"])
    got = case["runs"]["dry-run"]["requests"]["psa"]
    return (f"{case['driver']} dry-run requests = driver formula",
            _verdict(lo <= got <= hi), f"measured {got}, formula {lo}..{hi}")


def _extra(case):
    dry, app = case["runs"]["dry-run"], case["runs"]["apply"]
    return app["requests"]["total"] - dry["requests"]["total"], case["changes"]


def apply_formula(case):
    extra, c = _extra(case)
    k = case["models"]["psa"]["formula"]["per_change"]
    return (f"apply: extra requests = driver formula ({k}/change)",
            _verdict(extra == k * c), f"{extra} extra for {c} changes")


def apply_target(case):
    extra, c = _extra(case)
    k = TARGET_PER_CHANGE[case["driver"]]
    return (f"apply: at most {k} extra requests per change",
            _verdict(extra <= k * c),
            f"{extra} extra for {c} changes = "
            f"{extra / c if c else 0:.2f}/change")


def no_refusals(case):
    bad = [f"{r['mode']} {side}: {r['sim'][side]['not_ok']}"
           for r in _runs(case) for side in ("lastpass", "psa")
           if r["sim"][side]["not_ok"]]
    return ("no refused answers (429/5xx)", _verdict(not bad),
            "; ".join(bad) or "every answer 2xx")


def thread_limit(case):
    if case["driver"] != "autotask":
        return None
    worst = max((v.get("max_inflight", 0)
                 for r in _runs(case)
                 for k, v in r["sim"]["psa"]["endpoints"].items()
                 if "|" in k), default=0)
    return (f"Autotask: at most {AT_THREADS_PER_ENTITY} in flight per entity",
            _verdict(worst <= AT_THREADS_PER_ENTITY),
            f"most in flight on one entity: {worst}")


def halopsa_paced(case):
    """What HaloPSA's default budget would add (the benchmark runs without
    it: the limit, not lpsa, would be measured)."""
    if case["driver"] != "halopsa":
        return None
    parts = [f"{r['mode']} {r['requests']['psa']} requests: "
             f"+{halopsa_paced_s(r['requests']['psa']):.0f} s"
             for r in _runs(case)]
    return ("HaloPSA: time the default budget (250 per 5 min) adds", "n/a",
            "; ".join(parts))


def _at_target_size(case):
    return (case["size"] == TARGET_SIZE
            and case["latency_ms"] == TARGET_LATENCY_MS)


def autotask_dry(case):
    if case["driver"] != "autotask" or not _at_target_size(case):
        return []
    dry = case["runs"]["dry-run"]
    total, wall = dry["requests"]["total"], dry["wall_s"]
    return [
        (f"Autotask dry-run <= {AT_DRY_MAX_REQUESTS} requests (LastPass "
         "included)", _verdict(total <= AT_DRY_MAX_REQUESTS),
         f"{total} requests"),
        (f"Autotask dry-run wall < {AT_DRY_MAX_WALL_S:.0f} s",
         _verdict(wall < AT_DRY_MAX_WALL_S), f"{wall:.2f} s"),
    ]


def connectwise_dry(case):
    if case["driver"] != "connectwise" or case["size"] != TARGET_SIZE:
        return []
    dry = case["runs"]["dry-run"]
    a = case["dataset"]["psa"]["agreements"]
    psa, total = dry["requests"]["psa"], dry["requests"]["total"]
    bound = CW_WALL_FACTOR * total * case["latency_ms"] / 1000.0 / case[
        "concurrency"]
    return [
        (f"ConnectWise dry-run <= mapped agreements + {CW_SLACK_REQUESTS}",
         _verdict(psa <= a + CW_SLACK_REQUESTS),
         f"{psa} ConnectWise requests for {a} agreements "
         f"(+{total - psa} LastPass)"),
        ("ConnectWise dry-run wall <= 1.3 x requests x latency / concurrency",
         _verdict(dry["wall_s"] <= bound),
         f"{dry['wall_s']:.2f} s, bound {bound:.2f} s "
         f"({total} requests x {case['latency_ms']} ms / "
         f"{case['concurrency']})"),
    ]


def resources(case):
    cpu = max(r["cpu_s"] for r in _runs(case))
    rss = max(r["rss_mb"] for r in _runs(case))
    return [
        (f"host CPU < {CPU_MAX_S:.0f} s per run", _verdict(cpu < CPU_MAX_S),
         f"worst {cpu:.2f} s"),
        (f"host peak RSS < {RSS_MAX_MB:.0f} MB per run",
         _verdict(rss < RSS_MAX_MB), f"worst {rss:.1f} MB"),
    ]


def growth(case):
    """Requests the API does not force per record, per company."""
    if case["size"] < GROWTH_MIN_SIZE:
        return None
    dry = case["runs"]["dry-run"]["requests"]["psa"]
    forced = (case["dataset"]["psa"]["agreements"]
              if case["driver"] == "connectwise" else 0)
    rest = dry - forced
    limit = case["size"] / COMPANIES_PER_REQUEST
    what = ("besides one additions read per agreement (no global additions "
            "endpoint)" if forced else "in all")
    return ("requests grow with pages, not companies",
            _verdict(rest <= limit),
            f"{rest} {case['driver']} requests {what} for {case['size']} "
            f"companies (limit {limit:.0f}: >= {COMPANIES_PER_REQUEST} "
            "companies per request)")


def check_case(case, smoke):
    checks = [completes(case), counts_agree(case), lastpass_formula(case),
              driver_formula(case), apply_formula(case), no_refusals(case),
              thread_limit(case), halopsa_paced(case)]
    if not smoke:
        checks += [apply_target(case), growth(case)]
        checks += autotask_dry(case) + connectwise_dry(case) + resources(case)
    return [c for c in checks if c]
