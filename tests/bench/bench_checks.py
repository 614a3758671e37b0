# SPDX-License-Identifier: MIT
"""bench_checks.py - the targets, checked against one case.

A case is one driver at one size and one concurrency: its dry-run, the
reference client's read and its apply (see bench.py for the dict). Each
check returns (name, status, detail) with status PASS, FAIL or n/a. `smoke`
keeps only what does not depend on timing or on the machine: the runs
complete, the host and the simulators count the same requests, nothing is
refused, the counts are within the documented formulas and the Autotask
thread limit holds.
"""

from bench_models import halopsa_paced_s, lo_hi

TARGET_SIZE = 5000  # the targets are stated for 5,000 companies
TARGET_LATENCY_MS = 50
AT_DRY_MAX_REQUESTS = 250
AT_DRY_MAX_WALL_S = 20.0
CW_SLACK_REQUESTS = 50
TARGET_PER_CHANGE = {"connectwise": 2, "autotask": 3, "halopsa": 2}
# Wall time against the floor (bench_floor.py), for these drivers; HaloPSA's
# ratio is shown (its default rate budget, not the network, sets its pace).
DRY_FLOOR_FACTOR = 1.15
APPLY_FLOOR_FACTOR = 1.3
FLOOR_DRIVERS = ("connectwise", "autotask")
CPU_PER_5000_S = 1.0  # host CPU of a dry run, per 5,000 companies
RSS_MAX_MB = 64.0
SIM_BUSY_MAX = 0.25  # share of a run the simulator's handlers may take
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
    return [
        (f"ConnectWise dry-run <= mapped agreements + {CW_SLACK_REQUESTS}",
         _verdict(psa <= a + CW_SLACK_REQUESTS),
         f"{psa} ConnectWise requests for {a} agreements "
         f"(+{total - psa} LastPass)"),
    ]


def floor_ratios(case):
    """Wall time against the floor, at the target size and latency."""
    if not _at_target_size(case):
        return []
    out = []
    for mode, factor in (("dry-run", DRY_FLOOR_FACTOR),
                         ("apply", APPLY_FLOOR_FACTOR)):
        r, floor = case["runs"].get(mode), case["floors"].get(mode)
        if not r or not floor:
            continue
        ratio = r["wall_s"] / floor
        checked = case["driver"] in FLOOR_DRIVERS
        out.append((f"{mode} wall <= {factor} x floor",
                    _verdict(ratio <= factor) if checked else "n/a",
                    f"{r['wall_s']:.2f} s, floor {floor:.2f} s: "
                    f"{ratio:.2f} x" + ("" if checked else
                                       " (shown; not a target)")))
    return out


def ahead_of_reference(case):
    ref = case.get("reference")
    if not ref:
        return None
    dry = case["runs"]["dry-run"]["wall_s"]
    return (f"dry-run ahead of the reference client "
            f"({case['concurrency']} threads)",
            _verdict(dry < ref["wall_s"]),
            f"lpsa {dry:.2f} s, reference {ref['wall_s']:.2f} s: "
            f"{dry / ref['wall_s']:.2f} x")


def resources(case):
    out = []
    rss = max(r["rss_mb"] for r in _runs(case))
    if case["size"] == TARGET_SIZE:
        cpu = case["runs"]["dry-run"]["cpu_s"]
        limit = CPU_PER_5000_S * case["size"] / 5000
        out.append((f"host CPU <= {CPU_PER_5000_S:.0f} s per 5,000 companies "
                    "(dry-run)", _verdict(cpu <= limit),
                    f"{cpu:.2f} s for {case['size']:,} companies"))
    out.append((f"host peak RSS <= {RSS_MAX_MB:.0f} MB per run",
                _verdict(rss <= RSS_MAX_MB), f"worst {rss:.1f} MB"))
    return out


def sim_busy(run, side):
    """Share of the run's wall time the simulator's handlers took."""
    h = run["sim"][side].get("handler") or {}
    return (h.get("total_ms", 0.0) / 1000.0) / run["wall_s"] \
        if run["wall_s"] else 0.0


def sims_not_bottleneck(case):
    worst, what = 0.0, ""
    for r in _runs(case):
        for side in ("lastpass", "psa"):
            b = sim_busy(r, side)
            if b >= worst:
                worst, what = b, f"{r['mode']} {side}"
    return ("simulators not the bottleneck (handlers' share of the run)",
            _verdict(worst <= SIM_BUSY_MAX),
            f"busiest: {what} {worst * 100:.1f} % (limit "
            f"{SIM_BUSY_MAX * 100:.0f} %)")


def reference_completes(case):
    ref = case.get("reference")
    if not ref:
        return None
    bad = ref["sim"]["psa"]["not_ok"] + ref["sim"]["lastpass"]["not_ok"]
    return ("reference client read the same world (no refused answers)",
            _verdict(bad == 0),
            f"{ref['requests']['lastpass']} LastPass + "
            f"{ref['requests']['psa']} PSA requests, "
            f"{ref['records']['psa']} PSA records, {bad} refused")


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
              thread_limit(case), halopsa_paced(case),
              reference_completes(case)]
    if not smoke:
        checks += [apply_target(case), growth(case),
                   ahead_of_reference(case), sims_not_bottleneck(case)]
        checks += (autotask_dry(case) + connectwise_dry(case) +
                   floor_ratios(case) + resources(case))
    return [c for c in checks if c]
